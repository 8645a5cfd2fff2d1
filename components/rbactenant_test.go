package components

import (
	"slices"
	"testing"

	"github.com/k8sbook/k8sbook/internal/mocktest"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	rbacTenantType    = "k8sbook:components:RBACTenant"
	developerObjectID = "11111111-2222-3333-4444-555555555555"
)

func runTenant(t *testing.T, args *RBACTenantArgs) (*mocktest.Result, string) {
	t.Helper()
	var namespace string
	res := runComponents(t, withK8sProvider(func(ctx *pulumi.Context, provider pulumi.ResourceOption) error {
		tenant, err := NewRBACTenant(ctx, "tenant", args, provider)
		if err != nil {
			return err
		}
		tenant.NamespaceName.ApplyT(func(ns string) string { namespace = ns; return ns })
		return nil
	}))
	return res, namespace
}

func developer(kind string) Subject {
	return Subject{Kind: kind, Name: pulumi.String(developerObjectID)}
}

func TestRBACTenant(t *testing.T) {
	res, namespace := runTenant(t, &RBACTenantArgs{Developer: developer(SubjectUser)})
	require.NoError(t, res.Err)
	assert.Equal(t, "k8sbook", namespace, "NamespaceName output")

	ns := mocktest.MustLookup(t, res, mocktest.TypeNamespace, "tenant-namespace")
	limits := mocktest.MustLookup(t, res, mocktest.TypeLimitRange, "tenant-limitrange")
	devRole := mocktest.MustLookup(t, res, mocktest.TypeRole, "tenant-dev-role")
	devBinding := mocktest.MustLookup(t, res, mocktest.TypeRoleBinding, "tenant-dev-rolebinding")
	readerRole := mocktest.MustLookup(t, res, mocktest.TypeRole, "tenant-pod-reader-role")
	account := mocktest.MustLookup(t, res, mocktest.TypeServiceAccount, "tenant-pod-reader-sa")
	readerBinding := mocktest.MustLookup(t, res, mocktest.TypeRoleBinding, "tenant-pod-reader-rolebinding")
	namespaced := []mocktest.Resource{limits, devRole, devBinding, readerRole, account, readerBinding}

	t.Run("the book's object names", func(t *testing.T) {
		mocktest.AssertInput(t, ns, "metadata.name", "k8sbook")
		mocktest.AssertInput(t, limits, "metadata.name", "mem-max-500mi")
		mocktest.AssertInput(t, devRole, "metadata.name", "k8sbook-dev")
		mocktest.AssertInput(t, devBinding, "metadata.name", "k8sbook-dev-rolebinding")
		mocktest.AssertInput(t, readerRole, "metadata.name", "pod-reader")
		mocktest.AssertInput(t, account, "metadata.name", "k8sbook-pod-reader")
		mocktest.AssertInput(t, readerBinding, "metadata.name", "k8sbook-pod-reader-rolebinding")
	})

	t.Run("everything lives in the namespace and is created after it", func(t *testing.T) {
		for _, r := range namespaced {
			mocktest.AssertInput(t, r, "metadata.namespace", "k8sbook")
			assert.Containsf(t, r.Dependencies, ns.URN, "%s depends on the Namespace", r.Name)
		}
	})

	t.Run("children of the component on the cluster's provider", func(t *testing.T) {
		comp := res.OfType(rbacTenantType)
		require.Len(t, comp, 1)
		provider := mocktest.MustLookup(t, res, mocktest.TypeK8sProvider, testK8sProvider)
		for _, r := range append(namespaced, ns) {
			assert.Equalf(t, comp[0].URN, r.Parent, "%s parent", r.Name)
			assert.Equalf(t, provider.URN, r.ProviderURN(), "%s provider", r.Name)
		}
	})

	t.Run("containers may use at most 500Mi", func(t *testing.T) {
		mocktest.AssertInput(t, limits, "spec.limits", []any{map[string]any{
			"type": "Container",
			"max":  map[string]any{"memory": "500Mi"},
		}})
	})

	t.Run("the developer manages workloads, nothing else", func(t *testing.T) {
		mocktest.AssertInput(t, devRole, "rules", []any{map[string]any{
			"apiGroups": strs("", "apps"),
			"resources": strs("deployments", "replicasets", "pods", "pods/log"),
			"verbs":     strs("*"),
		}})
		mocktest.AssertInput(t, devBinding, "roleRef", map[string]any{
			"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "k8sbook-dev",
		})
		mocktest.AssertInput(t, devBinding, "subjects", []any{map[string]any{
			"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": developerObjectID,
		}})
		assert.Contains(t, devBinding.Dependencies, devRole.URN, "binding after its Role")
	})

	t.Run("the pod reader's ServiceAccount only reads pods", func(t *testing.T) {
		mocktest.AssertInput(t, readerRole, "rules", []any{map[string]any{
			"apiGroups": strs(""),
			"resources": strs("pods"),
			"verbs":     strs("get", "watch", "list"),
		}})
		mocktest.AssertInput(t, readerBinding, "roleRef", map[string]any{
			"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "pod-reader",
		})
		mocktest.AssertInput(t, readerBinding, "subjects", []any{map[string]any{
			"kind": "ServiceAccount", "name": "k8sbook-pod-reader", "namespace": "k8sbook",
		}})
		assert.Contains(t, readerBinding.Dependencies, account.URN, "binding after its ServiceAccount")
	})

	t.Run("no stress pod unless asked", func(t *testing.T) {
		assert.Empty(t, res.OfType(mocktest.TypePod))
	})
}

func TestRBACTenantGroupDeveloper(t *testing.T) {
	res, _ := runTenant(t, &RBACTenantArgs{Developer: developer(SubjectGroup)})
	require.NoError(t, res.Err)
	binding := mocktest.MustLookup(t, res, mocktest.TypeRoleBinding, "tenant-dev-rolebinding")
	mocktest.AssertInput(t, binding, "subjects[0].kind", "Group")
	mocktest.AssertInput(t, binding, "subjects[0].name", developerObjectID)
}

func TestRBACTenantCustomNamespaceAndMemory(t *testing.T) {
	res, namespace := runTenant(t, &RBACTenantArgs{Namespace: "team-a", MaxContainerMemory: "1Gi", Developer: developer(SubjectUser)})
	require.NoError(t, res.Err)
	assert.Equal(t, "team-a", namespace)
	limits := mocktest.MustLookup(t, res, mocktest.TypeLimitRange, "tenant-limitrange")
	mocktest.AssertInput(t, limits, "metadata.name", "mem-max-1gi")
	mocktest.AssertInput(t, limits, "metadata.namespace", "team-a")
	mocktest.AssertInput(t, limits, "spec.limits[0].max.memory", "1Gi")
	mocktest.AssertInput(t, mocktest.MustLookup(t, res, mocktest.TypeRoleBinding, "tenant-pod-reader-rolebinding"), "subjects[0].namespace", "team-a")
}

func TestRBACTenantStressPod(t *testing.T) {
	res, _ := runTenant(t, &RBACTenantArgs{Developer: developer(SubjectUser), Stress: true})
	require.NoError(t, res.Err)
	pod := mocktest.MustLookup(t, res, mocktest.TypePod, "tenant-stress")
	limits := mocktest.MustLookup(t, res, mocktest.TypeLimitRange, "tenant-limitrange")

	mocktest.AssertInput(t, pod, "metadata.name", "stress")
	mocktest.AssertInput(t, pod, "metadata.namespace", "k8sbook")
	mocktest.AssertInput(t, pod, `metadata.annotations["pulumi.com/skipAwait"]`, "true")
	mocktest.AssertInput(t, pod, "spec.containers[0].image", StressImage)
	mocktest.AssertInput(t, pod, "spec.containers[0].command", strs("stress"))
	mocktest.AssertInput(t, pod, "spec.containers[0].args", strs("--vm", "1", "--vm-bytes", "300M", "--vm-hang", "1"))
	assertNoInput(t, pod, "spec.containers[0].resources")
	assert.Contains(t, pod.Dependencies, limits.URN, "the LimitRange must exist when the pod is admitted")
	assert.Equal(t, mocktest.MustLookup(t, res, mocktest.TypeK8sProvider, testK8sProvider).URN, pod.ProviderURN())
}

func TestRBACTenantBadArgs(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		args  *RBACTenantArgs
		field string
	}{
		{"no args", nil, "args are required"},
		{"no developer kind", &RBACTenantArgs{Developer: Subject{Name: pulumi.String(developerObjectID)}}, `Developer.Kind ""`},
		{"lowercase kind", &RBACTenantArgs{Developer: developer("user")}, `Developer.Kind "user"`},
		{"service account kind", &RBACTenantArgs{Developer: developer("ServiceAccount")}, `Developer.Kind "ServiceAccount"`},
		{"no developer name", &RBACTenantArgs{Developer: Subject{Kind: SubjectUser}}, "Developer.Name: required"},
		{"namespace not a label", &RBACTenantArgs{Namespace: "K8sBook", Developer: developer(SubjectUser)}, `Namespace "K8sBook"`},
		{"namespace too long", &RBACTenantArgs{Namespace: string(slices.Repeat([]byte("a"), 64)), Developer: developer(SubjectUser)}, "Namespace"},
		{"memory without number", &RBACTenantArgs{MaxContainerMemory: "Mi", Developer: developer(SubjectUser)}, `MaxContainerMemory "Mi"`},
		{"memory with a bad unit", &RBACTenantArgs{MaxContainerMemory: "500MB", Developer: developer(SubjectUser)}, `MaxContainerMemory "500MB"`},
		{"memory zero", &RBACTenantArgs{MaxContainerMemory: "0Mi", Developer: developer(SubjectUser)}, `MaxContainerMemory "0Mi"`},
		{"memory negative", &RBACTenantArgs{MaxContainerMemory: "-1Gi", Developer: developer(SubjectUser)}, `MaxContainerMemory "-1Gi"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, _ := runTenant(t, tc.args)
			require.Error(t, res.Err)
			assert.ErrorContains(t, res.Err, tc.field)
			for _, r := range res.Resources {
				assert.Equal(t, mocktest.TypeK8sProvider, r.Type, "nothing but the test's provider is registered: %s", r.Name)
			}
		})
	}
}

func TestIsMemoryQuantity(t *testing.T) {
	for _, ok := range []string{"500Mi", "1Gi", "1.5Gi", "300M", "1048576", "64Ki", "2G"} {
		assert.Truef(t, IsMemoryQuantity(ok), "%s", ok)
	}
	for _, bad := range []string{"", "Mi", "500MB", "500mi", "0", "0.0Gi", "-1Gi", "1e9", " 500Mi", "500 Mi", "1.Gi"} {
		assert.Falsef(t, IsMemoryQuantity(bad), "%s", bad)
	}
}
