package stacks

import (
	"testing"

	"github.com/k8sbook/k8sbook/internal/mocktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAIOShared(t *testing.T) {
	res := runStack(t, "aio")
	require.NoError(t, res.Err)
	account := mocktest.MustLookup(t, res, mocktest.TypeDatabaseAccount, "shared-db")
	mocktest.AssertInput(t, account, "locations[1].locationName", "westus2")
	mocktest.MustLookup(t, res, mocktest.TypeTMProfile, "shared-tm")
	mocktest.MustLookup(t, res, mocktest.TypeWorkspace, "shared-workspace")
	mocktest.MustLookup(t, res, mocktest.TypeActionGroup, "shared-action-group")
	assert.Empty(t, res.OfType(mocktest.TypeManagedCluster), "clusters live in the color stacks")
	for _, name := range append(sharedOutputs, monitoringOutputs...) {
		assert.Contains(t, res.Outputs, name, "aio colors read %s", name)
	}
	assert.True(t, res.Outputs[outMongoURL].Secret)

	withAAD := runStack(t, "aio", set("aad", `{"developerObjectId":"`+devUser+`","developerKind":"Group"}`))
	require.NoError(t, withAAD.Err)
	assert.Len(t, withAAD.OfType(mocktest.TypeRoleAssignment), 1, "the developer's Cluster User role lives with the shared resources")
}

func TestAIOColors(t *testing.T) {
	for _, tc := range []struct {
		color                 string
		primary, failover     float64
		primaryAt, failoverAt string
	}{
		{"blue", 100, 500, "japaneast", "westus2"},
		{"green", 200, 600, "japaneast", "westus2"},
	} {
		t.Run(tc.color, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, "aio-"+tc.color)
			require.NoError(t, res.Err)
			assert.Empty(t, res.OfType(mocktest.TypeDatabaseAccount))
			assert.Empty(t, res.OfType(mocktest.TypeWorkspace))
			for _, site := range []struct {
				role, location string
				priority       float64
			}{{"primary", tc.primaryAt, tc.primary}, {"failover", tc.failoverAt, tc.failover}} {
				p := tc.color + "-" + site.role
				cluster := mocktest.MustLookup(t, res, mocktest.TypeManagedCluster, p+"-aks")
				provider := mocktest.MustLookup(t, res, mocktest.TypeK8sProvider, p+"-k8s")
				mocktest.AssertInput(t, cluster, "resourceName", "tm99-k8sbook-aio-aks-"+tc.color+"-"+site.role)
				mocktest.AssertInput(t, cluster, "location", site.location)
				mocktest.AssertInput(t, cluster, "agentPoolProfiles[0].enableAutoScaling", true)
				mocktest.AssertInput(t, cluster, "autoUpgradeProfile.nodeOSUpgradeChannel", "Unmanaged")
				mocktest.AssertInput(t, cluster, "addonProfiles.omsagent.enabled", true)
				mocktest.AssertInput(t, mocktest.MustLookup(t, res, mocktest.TypeTMEndpoint, p+"-tm-endpoint"), "priority", site.priority)
				mocktest.AssertInput(t, mocktest.MustLookup(t, res, mocktest.TypeMetricAlert, p+"-pending-pods-alert"), "ruleName",
					"pending_pods_tm99-k8sbook-aio-aks-"+tc.color+"-"+site.role)
				mocktest.MustLookup(t, res, mocktest.TypeDCRA, p+"-monitoring-dcra")
				for _, name := range []string{p + "-kured-release", p + "-todoapp-deployment", p + "-tenant-dev-rolebinding"} {
					found := false
					for _, r := range res.Resources {
						if r.Name == name {
							found = true
							assert.Equal(t, provider.URN, r.ProviderURN(), "%s goes to its own cluster", name)
						}
					}
					assert.True(t, found, "%s registered", name)
				}
				assert.True(t, res.Outputs[site.role+"Kubeconfig"].Secret)
				assert.True(t, mocktest.MustLookup(t, res, mocktest.TypeSecret, p+"-todoapp-secret").InputIsSecret("stringData.MONGO_URL"))
			}
			assertNoPlainSecret(t, res, mocktest.FakeCosmosKey("tm99-k8sbook-aio-db"))
		})
	}
}

func TestAIOColorPriorityLeavesRoomForFailover(t *testing.T) {
	res := runStack(t, "aio-blue", set("trafficPriority", "700"))
	require.Error(t, res.Err)
	assert.Contains(t, res.Err.Error(), `k8sbook:trafficPriority = "700": must be at most 600 here: the failover endpoint gets it plus 400`)
	assert.Empty(t, res.Resources)

	ok := runStack(t, "aio-blue", set("trafficPriority", "300"))
	require.NoError(t, ok.Err)
	mocktest.AssertInput(t, mocktest.MustLookup(t, ok, mocktest.TypeTMEndpoint, "blue-failover-tm-endpoint"), "priority", 700.0)
}
