package stacks

import (
	"fmt"
	"testing"

	"github.com/k8sbook/k8sbook/internal/mocktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCh09(t *testing.T) {
	res := runStack(t, "ch09")
	require.NoError(t, res.Err)

	rg, ok := res.Lookup(mocktest.TypeResourceGroup, "shared-rg")
	require.True(t, ok, "resource group")
	cluster, ok := res.Lookup(mocktest.TypeManagedCluster, "primary-aks")
	require.True(t, ok, "cluster")
	provider, ok := res.Lookup(mocktest.TypeK8sProvider, "primary-k8s")
	require.True(t, ok, "kubernetes provider")
	nginx, ok := res.Lookup(mocktest.TypeDeployment, "primary-demo-nginx")
	require.True(t, ok, "nginx deployment")

	t.Run("names follow the book", func(t *testing.T) {
		mocktest.AssertInput(t, rg, "resourceGroupName", "tm99-k8sbook-ch09-rg")
		mocktest.AssertInput(t, rg, "location", "japaneast")
		mocktest.AssertInput(t, cluster, "resourceName", "tm99-k8sbook-ch09-aks-primary")
		mocktest.AssertInput(t, cluster, "resourceGroupName", "tm99-k8sbook-ch09-rg")
		mocktest.AssertInput(t, cluster, "location", "japaneast")
	})

	t.Run("the pool autoscales 1..5 and pulumi up leaves the count to the autoscaler", func(t *testing.T) {
		mocktest.AssertInput(t, cluster, "agentPoolProfiles[0].enableAutoScaling", true)
		mocktest.AssertInput(t, cluster, "agentPoolProfiles[0].minCount", 1.0)
		mocktest.AssertInput(t, cluster, "agentPoolProfiles[0].maxCount", 5.0)
		mocktest.AssertInput(t, cluster, "agentPoolProfiles[0].count", 1.0)
		mocktest.AssertInput(t, cluster, "agentPoolProfiles[0].mode", "System")
		mocktest.AssertInput(t, cluster, "autoScalerProfile.scanInterval", "10s")
		mocktest.AssertInput(t, cluster, "autoScalerProfile.scaleDownDelayAfterAdd", "10m")
		mocktest.AssertInput(t, cluster, "autoScalerProfile.scaleDownUnneededTime", "10m")
		assert.Equal(t, []string{"agentPoolProfiles[0].count"}, cluster.IgnoreChanges)
	})

	t.Run("managed identity, no service principal", func(t *testing.T) {
		mocktest.AssertInput(t, cluster, "identity.type", "SystemAssigned")
		_, hasSP := cluster.Input("servicePrincipalProfile")
		assert.False(t, hasSP, "no service principal")
		mocktest.AssertInput(t, cluster, "enableRBAC", true)
		mocktest.AssertInput(t, cluster, "autoUpgradeProfile.nodeOSUpgradeChannel", "NodeImage")
		_, hasVersion := cluster.Input("kubernetesVersion")
		assert.False(t, hasVersion, "unset kubernetesVersion leaves the AKS default")
	})

	t.Run("the cluster waits for its resource group", func(t *testing.T) {
		assert.Contains(t, cluster.Dependencies, rg.URN)
	})

	t.Run("nginx demo requests a whole CPU per pod on the cluster's provider", func(t *testing.T) {
		mocktest.AssertInput(t, nginx, "metadata.name", "nginx")
		mocktest.AssertInput(t, nginx, "spec.replicas", 2.0)
		mocktest.AssertInput(t, nginx, "spec.template.spec.containers[0].resources.requests.cpu", "1000m")
		assert.Equal(t, provider.URN, nginx.ProviderURN(), "nginx must go to the ch09 cluster, not the ambient kubeconfig")
	})

	t.Run("the kubeconfig is a secret from the invoke to the provider and the output", func(t *testing.T) {
		token := mocktest.FakeToken("tm99-k8sbook-ch09-aks-primary")
		assert.True(t, provider.InputIsSecret("kubeconfig"), "provider kubeconfig input must be secret")

		out := res.Outputs["kubeconfig"]
		assert.True(t, out.Secret, "kubeconfig output must be secret")
		assert.Contains(t, out.Value, token, "the kubeconfig output is the decoded admin kubeconfig")
		assertNoPlainSecret(t, res, token)
	})

	t.Run("outputs", func(t *testing.T) {
		assert.Equal(t, mocktest.Output{Value: "tm99-k8sbook-ch09-rg"}, res.Outputs["resourceGroupName"])
		assert.Equal(t, mocktest.Output{Value: "tm99-k8sbook-ch09-aks-primary"}, res.Outputs["clusterName"])
		assert.Equal(t, mocktest.Output{
			Value: "az aks get-credentials --resource-group tm99-k8sbook-ch09-rg --name tm99-k8sbook-ch09-aks-primary",
		}, res.Outputs["getCredentialsCommand"])
	})

	t.Run("credentials are read for this cluster", func(t *testing.T) {
		var clusters []string
		for _, inv := range res.Invocations {
			if inv.Token == mocktest.TokListAdminCreds {
				clusters = append(clusters, inv.Args["resourceName"].StringValue())
			}
		}
		assert.Equal(t, []string{"tm99-k8sbook-ch09-aks-primary"}, clusters)
	})
}

func TestCh09ConfigChangesTheCluster(t *testing.T) {
	res := runStack(t, "ch09",
		set("nginxReplicas", "6"),
		set("kubernetesVersion", "1.36"),
		set("autoscale", `{"minCount":2,"maxCount":8}`),
	)
	require.NoError(t, res.Err)
	cluster, ok := res.Lookup(mocktest.TypeManagedCluster, "primary-aks")
	require.True(t, ok)
	mocktest.AssertInput(t, cluster, "agentPoolProfiles[0].minCount", 2.0)
	mocktest.AssertInput(t, cluster, "agentPoolProfiles[0].maxCount", 8.0)
	mocktest.AssertInput(t, cluster, "agentPoolProfiles[0].count", 2.0)
	mocktest.AssertInput(t, cluster, "kubernetesVersion", "1.36")
	mocktest.AssertInput(t, cluster, "agentPoolProfiles[0].orchestratorVersion", "1.36")
	_, tuned := cluster.Input("autoScalerProfile.scanInterval")
	assert.False(t, tuned, "an autoscale object without tuning keeps the AKS defaults")
	nginx, ok := res.Lookup(mocktest.TypeDeployment, "primary-demo-nginx")
	require.True(t, ok)
	mocktest.AssertInput(t, nginx, "spec.replicas", 6.0)
}

func TestChapterOverrideRunsAnotherStackName(t *testing.T) {
	res := runStackWithFile(t, "ch09-test", "ch09", set("chapter", "ch09"))
	require.NoError(t, res.Err)
	_, ok := res.Lookup(mocktest.TypeManagedCluster, "primary-aks")
	assert.True(t, ok, "ch09-test with k8sbook:chapter=ch09 builds chapter 9")
}

// assertNoPlainSecret fails if secret appears anywhere a reader could see it in plain text: a
// non-secret output or a recorded input outside a secret.
func assertNoPlainSecret(t *testing.T, res *mocktest.Result, secret string) {
	t.Helper()
	for name, out := range res.Outputs {
		if !out.Secret {
			assert.NotContains(t, fmt.Sprint(out.Value), secret, "output %s leaks a secret", name)
		}
	}
	inventory := string(mocktest.Inventory(res.Resources))
	assert.NotContains(t, inventory, secret, "an input outside a secret holds the secret")
}
