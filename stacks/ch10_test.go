package stacks

import (
	"regexp"
	"strings"
	"testing"

	"github.com/k8sbook/k8sbook/internal/mocktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCh10Shared(t *testing.T) {
	res := runStack(t, "ch10")
	require.NoError(t, res.Err)
	account := mocktest.MustLookup(t, res, mocktest.TypeDatabaseAccount, "shared-db")
	mocktest.AssertInput(t, account, "locations", []any{
		map[string]any{"locationName": "japaneast", "failoverPriority": 0.0, "isZoneRedundant": false},
	})
	// One region: the book's BoundedStaleness bounds are accepted.
	mocktest.AssertInput(t, account, "consistencyPolicy.maxIntervalInSeconds", 10.0)
	mocktest.AssertInput(t, account, "consistencyPolicy.maxStalenessPrefix", 200.0)
	mocktest.MustLookup(t, res, mocktest.TypeTMProfile, "shared-tm")
	assert.Empty(t, res.OfType(mocktest.TypeManagedCluster), "the shared half has no cluster")

	for _, name := range sharedOutputs {
		assert.Contains(t, res.Outputs, name, "the color stacks read %s", name)
	}
	assert.True(t, res.Outputs[outMongoURL].Secret, "the connection string is exported as a secret")
	assert.Equal(t, "tm99-k8sbook-ch10-rg", res.Outputs[outResourceGroupName].Value)
}

func TestCh10Colors(t *testing.T) {
	for _, tc := range []struct {
		color, version string
		priority       float64
	}{
		{"blue", "1.35", 100},
		{"green", "1.36", 200},
	} {
		t.Run(tc.color, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, "ch10-"+tc.color)
			require.NoError(t, res.Err)
			prefix := tc.color + "-primary"
			ref := mocktest.MustLookup(t, res, mocktest.TypeStackReference, "shared")
			cluster := mocktest.MustLookup(t, res, mocktest.TypeManagedCluster, prefix+"-aks")
			provider := mocktest.MustLookup(t, res, mocktest.TypeK8sProvider, prefix+"-k8s")
			endpoint := mocktest.MustLookup(t, res, mocktest.TypeTMEndpoint, prefix+"-tm-endpoint")
			kured := mocktest.MustLookup(t, res, mocktest.TypeHelmRelease, prefix+"-kured-release")
			nginx := mocktest.MustLookup(t, res, mocktest.TypeDeployment, prefix+"-demo-nginx")
			secret := mocktest.MustLookup(t, res, mocktest.TypeSecret, prefix+"-todoapp-secret")

			mocktest.AssertInput(t, ref, "name", "organization/k8sbook/ch10")
			assert.Empty(t, res.OfType(mocktest.TypeDatabaseAccount), "a color stack never owns the shared resources")
			assert.Empty(t, res.OfType(mocktest.TypeTMProfile))
			assert.Empty(t, res.OfType(mocktest.TypeResourceGroup))

			mocktest.AssertInput(t, cluster, "resourceName", "tm99-k8sbook-ch10-aks-"+tc.color+"-primary")
			mocktest.AssertInput(t, cluster, "resourceGroupName", "tm99-k8sbook-ch10-rg")
			mocktest.AssertInput(t, cluster, "kubernetesVersion", tc.version)
			mocktest.AssertInput(t, cluster, "autoUpgradeProfile.nodeOSUpgradeChannel", "Unmanaged")

			mocktest.AssertInput(t, endpoint, "endpointName", "tm99-k8sbook-ch10-todoapp-"+tc.color+"-primary")
			mocktest.AssertInput(t, endpoint, "profileName", "tm99-k8sbook-ch10-tm-todoapp")
			mocktest.AssertInput(t, endpoint, "priority", tc.priority)

			assert.True(t, secret.InputIsSecret("stringData.MONGO_URL"), "the shared stack's secret stays secret")
			assertNoPlainSecret(t, res, mocktest.FakeCosmosKey("tm99-k8sbook-ch10-db"))
			mocktest.AssertInput(t, secret, "stringData.MONGO_URL", mocktest.FakeMongoURL("tm99-k8sbook-ch10-db"))

			mocktest.AssertInput(t, kured, "chart", "kured")
			mocktest.AssertInput(t, kured, "version", "6.1.0")
			mocktest.AssertInput(t, kured, "repositoryOpts.repo", "https://kubereboot.github.io/charts")
			mocktest.AssertInput(t, kured, "namespace", "kube-system")
			mocktest.AssertInput(t, kured, "values.configuration", map[string]any{
				"period": "1h", "rebootDays": []any{"su", "mo", "tu", "we", "th", "fr", "sa"},
				"startTime": "0:00", "endTime": "23:59:59", "timeZone": "Asia/Tokyo",
				"lockTtl": "30m", "drainTimeout": "10m",
			})
			assert.Equal(t, provider.URN, kured.ProviderURN(), "Kured goes to the color's cluster")
			mocktest.AssertInput(t, nginx, "spec.replicas", 3.0)
			assert.Equal(t, provider.URN, nginx.ProviderURN())

			assert.Equal(t, tc.priority, toFloat(res.Outputs["trafficPriority"].Value))
			assert.Equal(t, "http://tm99-k8sbook-ch10-todoapp.trafficmanager.net/", res.Outputs["appUrl"].Value)
			assert.True(t, res.Outputs["kubeconfig"].Secret)
		})
	}
}

// TestCh10BlueAndGreenDifferOnlyInColorPriorityAndVersion compares the two inventories with the
// color, the priority, the Kubernetes version and the color's load-balancer IP masked.
func TestCh10BlueAndGreenDifferOnlyInColorPriorityAndVersion(t *testing.T) {
	normalize := func(stack, color string) string {
		res := runStack(t, stack)
		require.NoError(t, res.Err)
		provider := mocktest.MustLookup(t, res, mocktest.TypeK8sProvider, color+"-primary-k8s")
		s := string(mocktest.Inventory(res.Resources))
		s = strings.ReplaceAll(s, mocktest.LoadBalancerIP(provider.URN), "<ip>")
		s = strings.ReplaceAll(s, color, "<color>")
		s = regexp.MustCompile(`"1\.3[56]"`).ReplaceAllString(s, `"<version>"`)
		return regexp.MustCompile(`"priority":[0-9]+`).ReplaceAllString(s, `"priority":<priority>`)
	}
	blue, green := normalize("ch10-blue", "blue"), normalize("ch10-green", "green")
	assert.Equal(t, blue, green, firstDifference([]byte(blue), []byte(green)))
}

func TestCh10SwitchTraffic(t *testing.T) {
	res := runStack(t, "ch10-blue", set("trafficPriority", "300"))
	require.NoError(t, res.Err)
	mocktest.AssertInput(t, mocktest.MustLookup(t, res, mocktest.TypeTMEndpoint, "blue-primary-tm-endpoint"), "priority", 300.0)
}

func TestCh10ColorWithoutSharedOutput(t *testing.T) {
	cfg, err := mocktest.LoadStackConfig(projectDir, "ch10-blue")
	require.NoError(t, err)
	shared := runStack(t, "ch10")
	require.NoError(t, shared.Err)
	outputs := map[string]mocktest.Output{}
	for k, v := range shared.Outputs {
		if k != outMongoURL {
			outputs[k] = v
		}
	}
	res := mocktest.Run(Program, "ch10-blue", cfg, mocktest.WithStacks{Cloud: mocktest.FakeAzure{},
		Stacks: map[string]map[string]mocktest.Output{"organization/k8sbook/ch10": outputs}})
	require.Error(t, res.Err)
	assert.Contains(t, res.Err.Error(), `stack organization/k8sbook/ch10 has no output "mongoUrl": deploy it first (`+"`pulumi up -s ch10`)")
}

func TestCh10BadConfig(t *testing.T) {
	cases := []struct {
		name  string
		edits []configEdit
		want  string
	}{
		{"priority zero", []configEdit{set("trafficPriority", "0")}, `k8sbook:trafficPriority = "0": must be between 1 and 1000`},
		{"priority too high", []configEdit{set("trafficPriority", "1001")}, `k8sbook:trafficPriority = "1001": must be between 1 and 1000`},
		{"priority not a number", []configEdit{set("trafficPriority", "high")}, `k8sbook:trafficPriority = "high": must be a whole number`},
		{"shared stack not qualified", []configEdit{set("sharedStack", "ch10")}, `k8sbook:sharedStack = "ch10": must be <organization>/<project>/<stack>`},
		{"kured bad day", []configEdit{set("kured", `{"rebootDays":["monday"]}`)}, `k8sbook:kured.rebootDays = "[\"monday\"]"`},
		{"kured bad period", []configEdit{set("kured", `{"period":"hourly"}`)}, `k8sbook:kured.period = "hourly": must be a positive duration`},
		{"kured bad time zone", []configEdit{set("kured", `{"timeZone":"Tokyo"}`)}, `k8sbook:kured.timeZone = "Tokyo": must be an IANA time zone`},
		{"kured bad start", []configEdit{set("kured", `{"startTime":"25:00"}`)}, `k8sbook:kured.startTime = "25:00": must be a time of day`},
		{"kured bad chart", []configEdit{set("kured", `{"chartVersion":"latest"}`)}, `k8sbook:kured.chartVersion = "latest": must be a chart version`},
		{"image missing", []configEdit{unset("todoImage")}, `k8sbook:todoImage: is required`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, "ch10-blue", tc.edits...)
			require.Error(t, res.Err)
			assert.Contains(t, res.Err.Error(), tc.want)
			assert.Empty(t, res.Resources, "no resource may be registered when the config is bad")
		})
	}
}

func toFloat(v any) float64 {
	switch n := v.(type) {
	case int:
		return float64(n)
	case float64:
		return n
	}
	return -1
}
