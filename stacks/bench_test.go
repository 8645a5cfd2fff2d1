package stacks

import (
	"testing"

	"github.com/k8sbook/k8sbook/internal/mocktest"
)

// BenchmarkMockRun measures one run of each stack under Pulumi mocks: the cost of every golden
// and assertion test, and how fast a change to a chapter is checked offline.
func BenchmarkMockRun(b *testing.B) {
	for _, stack := range []string{"ch08", "ch09", "ch10-blue", "ch11", "ch12", "aio-blue"} {
		b.Run(stack, func(b *testing.B) {
			cfg, err := mocktest.LoadStackConfig(projectDir, stack)
			if err != nil {
				b.Fatal(err)
			}
			cloud := cloudFor(b, stack)
			b.ReportAllocs()
			for b.Loop() {
				if res := mocktest.Run(Program, stack, cfg, cloud); res.Err != nil {
					b.Fatal(res.Err)
				}
			}
		})
	}
}
