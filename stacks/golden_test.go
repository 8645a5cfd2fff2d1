package stacks

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/k8sbook/k8sbook/internal/mocktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGolden runs every stack that has a Pulumi.<stack>.yaml and compares what it registers with
// testdata/<stack>.golden, and its Kubernetes objects with testdata/manifests/<stack>.json.
func TestGolden(t *testing.T) {
	for _, stack := range stackFiles(t) {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			require.NoError(t, res.Err)
			checkGolden(t, filepath.Join(projectDir, "testdata", stack+".golden"), mocktest.Inventory(res.Resources))
			for _, r := range res.Resources {
				if strings.HasPrefix(r.Type, "azure-native:") {
					assert.Equal(t, "2.92.0", r.Version, "%s %s must use the one pinned azure-native provider", r.Type, r.Name)
				}
			}

			manifests, err := mocktest.Manifests(stack, res.Resources)
			require.NoError(t, err)
			path := filepath.Join(projectDir, "testdata", "manifests", stack+".json")
			if manifests == nil {
				checkAbsent(t, path)
				return
			}
			checkGolden(t, path, manifests)
		})
	}
}

// TestEveryStackIsAChapter keeps the example files and the program's chapters in step.
func TestEveryStackIsAChapter(t *testing.T) {
	files := stackFiles(t)
	assert.ElementsMatch(t, ChapterNames(), files, "every chapter needs a Pulumi.<stack>.yaml and every file a chapter")
}
