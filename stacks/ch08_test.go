package stacks

import (
	"testing"

	"github.com/k8sbook/k8sbook/internal/mocktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCh08(t *testing.T) {
	res := runStack(t, "ch08")
	require.NoError(t, res.Err)
	account := mocktest.MustLookup(t, res, mocktest.TypeDatabaseAccount, "shared-db")
	profile := mocktest.MustLookup(t, res, mocktest.TypeTMProfile, "shared-tm")
	mongoURL := mocktest.FakeMongoURL("tm99-k8sbook-ch08-db")

	t.Run("Cosmos DB for MongoDB spans both regions with automatic failover", func(t *testing.T) {
		mocktest.AssertInput(t, account, "accountName", "tm99-k8sbook-ch08-db")
		mocktest.AssertInput(t, account, "kind", "MongoDB")
		mocktest.AssertInput(t, account, "apiProperties.serverVersion", "6.0")
		mocktest.AssertInput(t, account, "capabilities[0].name", "EnableMongo")
		mocktest.AssertInput(t, account, "enableAutomaticFailover", true)
		mocktest.AssertInput(t, account, "locations", []any{
			map[string]any{"locationName": "japaneast", "failoverPriority": 0.0, "isZoneRedundant": false},
			map[string]any{"locationName": "westus2", "failoverPriority": 1.0, "isZoneRedundant": false},
		})
		mocktest.AssertInput(t, account, "consistencyPolicy.defaultConsistencyLevel", "BoundedStaleness")
		// Two regions: Azure's multi-region minimum, not the book's 10 s / 200.
		mocktest.AssertInput(t, account, "consistencyPolicy.maxIntervalInSeconds", 300.0)
		mocktest.AssertInput(t, account, "consistencyPolicy.maxStalenessPrefix", 100000.0)
		assert.Equal(t, "2.92.0", account.Version, "the binding pins the azure-native release")
		assert.False(t, account.Protect, "easy cleanup by default")
	})

	t.Run("Traffic Manager routes by priority and probes /healthz", func(t *testing.T) {
		mocktest.AssertInput(t, profile, "profileName", "tm99-k8sbook-ch08-tm-todoapp")
		mocktest.AssertInput(t, profile, "trafficRoutingMethod", "Priority")
		mocktest.AssertInput(t, profile, "dnsConfig.relativeName", "tm99-k8sbook-ch08-todoapp")
		mocktest.AssertInput(t, profile, "dnsConfig.ttl", 60.0)
		mocktest.AssertInput(t, profile, "monitorConfig.protocol", "HTTP")
		mocktest.AssertInput(t, profile, "monitorConfig.port", 80.0)
		mocktest.AssertInput(t, profile, "monitorConfig.path", "/healthz")
	})

	sites := []struct {
		role, location string
		priority       float64
	}{
		{"primary", "japaneast", 100},
		{"failover", "westus2", 500},
	}
	for _, s := range sites {
		t.Run(s.role, func(t *testing.T) {
			cluster := mocktest.MustLookup(t, res, mocktest.TypeManagedCluster, s.role+"-aks")
			provider := mocktest.MustLookup(t, res, mocktest.TypeK8sProvider, s.role+"-k8s")
			secret := mocktest.MustLookup(t, res, mocktest.TypeSecret, s.role+"-todoapp-secret")
			service := mocktest.MustLookup(t, res, mocktest.TypeService, s.role+"-todoapp-service")
			deployment := mocktest.MustLookup(t, res, mocktest.TypeDeployment, s.role+"-todoapp-deployment")
			pdb := mocktest.MustLookup(t, res, mocktest.TypePDB, s.role+"-todoapp-pdb")
			endpoint := mocktest.MustLookup(t, res, mocktest.TypeTMEndpoint, s.role+"-tm-endpoint")
			clusterName := "tm99-k8sbook-ch08-aks-" + s.role

			mocktest.AssertInput(t, cluster, "resourceName", clusterName)
			mocktest.AssertInput(t, cluster, "location", s.location)
			mocktest.AssertInput(t, cluster, "agentPoolProfiles[0].count", 2.0)
			_, autoscales := cluster.Input("agentPoolProfiles[0].enableAutoScaling")
			assert.False(t, autoscales)

			// Azure builds the clusters while Cosmos DB is created: only the Secret waits for it.
			assert.NotContains(t, cluster.Dependencies, account.URN, "the cluster must not wait for Cosmos DB")
			assert.Contains(t, secret.Dependencies, account.URN, "the Secret holds the account's connection string")

			for _, r := range []mocktest.Resource{secret, service, deployment, pdb} {
				assert.Equal(t, provider.URN, r.ProviderURN(), "%s %s must go to the %s cluster", r.Type, r.Name, s.role)
			}

			assert.True(t, secret.InputIsSecret("stringData.MONGO_URL"), "MONGO_URL must stay secret in the Secret")
			mocktest.AssertInput(t, secret, "metadata.name", "cosmosdb-secret")
			mocktest.AssertInput(t, secret, "stringData.MONGO_URL", mongoURL)

			mocktest.AssertInput(t, deployment, "metadata.name", "todoapp")
			mocktest.AssertInput(t, deployment, "spec.replicas", 2.0)
			c := "spec.template.spec.containers[0]."
			mocktest.AssertInput(t, deployment, c+"resources.requests", map[string]any{"cpu": "250m", "memory": "100Mi"})
			mocktest.AssertInput(t, deployment, c+"resources.limits", map[string]any{"cpu": "250m", "memory": "100Mi"})
			mocktest.AssertInput(t, deployment, c+"readinessProbe.httpGet.path", "/readyz")
			mocktest.AssertInput(t, deployment, c+"livenessProbe.httpGet.path", "/healthz")
			mocktest.AssertInput(t, deployment, c+"securityContext.readOnlyRootFilesystem", true)
			mocktest.AssertInput(t, deployment, c+"securityContext.allowPrivilegeEscalation", false)
			mocktest.AssertInput(t, deployment, "spec.template.spec.securityContext.runAsNonRoot", true)
			mocktest.AssertInput(t, deployment, c+"env[3].valueFrom.secretKeyRef", map[string]any{"name": "cosmosdb-secret", "key": "MONGO_URL"})
			mocktest.AssertInput(t, deployment, c+"env[4].valueFrom.fieldRef.fieldPath", "metadata.name")
			mocktest.AssertInput(t, deployment, c+"env[7]", map[string]any{"name": "CLUSTER_NAME", "value": clusterName})
			assert.Contains(t, deployment.Dependencies, secret.URN, "pods start after their Secret exists")

			mocktest.AssertInput(t, service, "metadata.name", "todoapp")
			mocktest.AssertInput(t, service, "spec.type", "LoadBalancer")
			mocktest.AssertInput(t, service, "spec.sessionAffinity", "ClientIP")
			mocktest.AssertInput(t, service, "spec.ports[0].port", 80.0)
			mocktest.AssertInput(t, service, "spec.ports[0].targetPort", 8080.0)
			assert.Equal(t, "20m", service.CustomTimeouts["create"], "generous wait for the load-balancer IP")
			mocktest.AssertInput(t, pdb, "spec.minAvailable", 1.0)

			mocktest.AssertInput(t, endpoint, "endpointName", "tm99-k8sbook-ch08-todoapp-"+s.role)
			mocktest.AssertInput(t, endpoint, "profileName", "tm99-k8sbook-ch08-tm-todoapp")
			mocktest.AssertInput(t, endpoint, "priority", s.priority)
			mocktest.AssertInput(t, endpoint, "target", mocktest.LoadBalancerIP(provider.URN))
			assert.Contains(t, endpoint.Dependencies, service.URN, "the endpoint is created after its Service has an IP")

			assert.Equal(t, clusterName, res.Outputs[s.role+"ClusterName"].Value)
			assert.Equal(t, "http://"+mocktest.LoadBalancerIP(provider.URN)+"/", res.Outputs[s.role+"Url"].Value)
			assert.True(t, res.Outputs[s.role+"Kubeconfig"].Secret)
		})
	}

	t.Run("the two sites are distinct", func(t *testing.T) {
		primary := mocktest.MustLookup(t, res, mocktest.TypeK8sProvider, "primary-k8s")
		failover := mocktest.MustLookup(t, res, mocktest.TypeK8sProvider, "failover-k8s")
		assert.NotEqual(t, mocktest.LoadBalancerIP(primary.URN), mocktest.LoadBalancerIP(failover.URN))
	})

	t.Run("the connection string is read from the account and never in plain text", func(t *testing.T) {
		var accounts []string
		for _, inv := range res.Invocations {
			if inv.Token == mocktest.TokListConnStrings {
				accounts = append(accounts, inv.Args["accountName"].StringValue()+"/"+inv.Args["resourceGroupName"].StringValue())
			}
		}
		assert.Equal(t, []string{"tm99-k8sbook-ch08-db/tm99-k8sbook-ch08-rg"}, accounts)
		assertNoPlainSecret(t, res, mocktest.FakeCosmosKey("tm99-k8sbook-ch08-db"))
		assertNoPlainSecret(t, res, mocktest.FakeToken("tm99-k8sbook-ch08-aks-primary"))
	})

	t.Run("outputs", func(t *testing.T) {
		assert.Equal(t, mocktest.Output{Value: "http://tm99-k8sbook-ch08-todoapp.trafficmanager.net/"}, res.Outputs["appUrl"])
		assert.Equal(t, mocktest.Output{Value: "tm99-k8sbook-ch08-todoapp.trafficmanager.net"}, res.Outputs["trafficManagerFqdn"])
	})
}

func TestCh08ProtectDatabase(t *testing.T) {
	res := runStack(t, "ch08", set("protectDatabase", "true"), set("mongoServerVersion", "4.2"))
	require.NoError(t, res.Err)
	account := mocktest.MustLookup(t, res, mocktest.TypeDatabaseAccount, "shared-db")
	assert.True(t, account.Protect)
	mocktest.AssertInput(t, account, "apiProperties.serverVersion", "4.2")
}

func TestCh08BadConfig(t *testing.T) {
	cases := []struct {
		name  string
		edits []configEdit
		want  []string
	}{
		{name: "failover in the same region", edits: []configEdit{set("failoverLocation", "japaneast")},
			want: []string{`k8sbook:failoverLocation = "japaneast": must differ from k8sbook:location`}},
		{name: "failover unset", edits: []configEdit{unset("failoverLocation")},
			want: []string{`k8sbook:failoverLocation: is required`}},
		{name: "image missing", edits: []configEdit{unset("todoImage")},
			want: []string{"k8sbook:todoImage: is required", "az acr build --registry <acr> --image todo:1.0.0 todo/", "-s ch08"}},
		{name: "image with spaces", edits: []configEdit{set("todoImage", "my image")},
			want: []string{`k8sbook:todoImage = "my image": must be a container image reference`}},
		{name: "image uppercase", edits: []configEdit{set("todoImage", "MyAcr.azurecr.io/Todo:1")},
			want: []string{`k8sbook:todoImage = "MyAcr.azurecr.io/Todo:1"`}},
		{name: "mongo 3.6", edits: []configEdit{set("mongoServerVersion", "3.6")},
			want: []string{`k8sbook:mongoServerVersion = "3.6": must be a Cosmos DB for MongoDB server version: 4.2, 5.0, 6.0 or 7.0`}},
		{name: "protect not a bool", edits: []configEdit{set("protectDatabase", "yes please")},
			want: []string{`k8sbook:protectDatabase = "yes please": must be true or false`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, "ch08", tc.edits...)
			require.Error(t, res.Err)
			for _, w := range tc.want {
				assert.Contains(t, res.Err.Error(), w)
			}
			assert.Empty(t, res.Resources, "no resource may be registered when the config is bad")
		})
	}
}
