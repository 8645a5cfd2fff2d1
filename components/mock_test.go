package components

import (
	"testing"

	"github.com/k8sbook/k8sbook/internal/mocktest"
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
)

const (
	testK8sProvider = "test-k8s"
)

// runComponents runs program under mocks as an update of the "test" stack with no config.
func runComponents(t *testing.T, program pulumi.RunFunc) *mocktest.Result {
	t.Helper()
	return mocktest.Run(program, "test", &mocktest.StackConfig{Project: "k8sbook", Values: map[string]string{}}, mocktest.FakeAzure{})
}

// withK8sProvider runs body with a Kubernetes provider for a fake cluster, passed as a resource option.
func withK8sProvider(body func(ctx *pulumi.Context, provider pulumi.ResourceOption) error) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		p, err := kubernetes.NewProvider(ctx, testK8sProvider, &kubernetes.ProviderArgs{
			Kubeconfig: pulumi.ToSecret(pulumi.String(mocktest.FakeKubeconfig("test"))).(pulumi.StringOutput),
		})
		if err != nil {
			return err
		}
		return body(ctx, pulumi.Providers(p))
	}
}

// assertNoInput checks that a property is not set.
func assertNoInput(t *testing.T, r mocktest.Resource, path string) {
	t.Helper()
	got, ok := r.Input(path)
	assert.Falsef(t, ok, "%s %s: %s should be unset, is %v", r.Type, r.Name, path, got)
}

// strs builds the plain form of a string array input.
func strs(s ...string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
