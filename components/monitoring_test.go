package components

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/k8sbook/k8sbook/internal/mocktest"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	testHostType = "k8sbook:test:Host"

	testRG          = "tm99-k8sbook-ch12-rg"
	testClusterName = "tm99-k8sbook-ch12-aks-primary"
	testAdminEmail  = "admin@example.com"
)

var (
	testClusterID = fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.ContainerService/managedClusters/%s",
		mocktest.SubscriptionID, testRG, testClusterName)
	testWorkspaceID = fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.OperationalInsights/workspaces/tm99-k8sbook-ch12-workspace",
		mocktest.SubscriptionID, testRG)
	testActionGroupID = fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Insights/actionGroups/critical",
		mocktest.SubscriptionID, testRG)
	testTags = map[string]string{"chapter": "ch12"}
)

// host stands for the component (SharedInfra, AKSCluster) that owns the monitoring resources.
type host struct{ pulumi.ResourceState }

// runMonitoring creates the shared half under one host and one cluster's half under another,
// the way SharedInfra and AKSCluster do; alert=false leaves out the action group ID.
func runMonitoring(t *testing.T, alert bool) *mocktest.Result {
	t.Helper()
	return runComponents(t, func(ctx *pulumi.Context) error {
		shared, cluster := &host{}, &host{}
		if err := ctx.RegisterComponentResource(testHostType, "shared", shared); err != nil {
			return err
		}
		if err := ctx.RegisterComponentResource(testHostType, "primary", cluster); err != nil {
			return err
		}
		m, err := newSharedMonitoring(ctx, "shared", shared, pulumi.String(testRG), "japaneast", &MonitoringArgs{
			WorkspaceName: "tm99-k8sbook-ch12-workspace",
			AdminEmail:    testAdminEmail,
		}, testTags)
		if err != nil {
			return err
		}
		args := &ClusterMonitoringArgs{WorkspaceResourceID: m.WorkspaceID, WorkspaceLocation: m.WorkspaceLocation}
		if alert {
			args.ActionGroupID = m.ActionGroupID
		}
		return newClusterMonitoring(ctx, "primary", cluster, pulumi.String(testRG), testClusterName, pulumi.String(testClusterID), args, testTags)
	})
}

func TestSharedMonitoring(t *testing.T) {
	res := runMonitoring(t, true)
	require.NoError(t, res.Err)
	shared := mocktest.MustLookup(t, res, testHostType, "shared")
	workspace := mocktest.MustLookup(t, res, mocktest.TypeWorkspace, "shared-workspace")
	group := mocktest.MustLookup(t, res, mocktest.TypeActionGroup, "shared-action-group")

	t.Run("a pay-as-you-go workspace with the default retention", func(t *testing.T) {
		mocktest.AssertInput(t, workspace, "workspaceName", "tm99-k8sbook-ch12-workspace")
		mocktest.AssertInput(t, workspace, "resourceGroupName", testRG)
		mocktest.AssertInput(t, workspace, "location", "japaneast")
		mocktest.AssertInput(t, workspace, "sku.name", "PerGB2018")
		mocktest.AssertInput(t, workspace, "retentionInDays", 30.0)
		mocktest.AssertInput(t, workspace, "tags", map[string]any{"chapter": "ch12"})
	})

	t.Run("action group critical mails the admin", func(t *testing.T) {
		mocktest.AssertInput(t, group, "actionGroupName", "critical")
		mocktest.AssertInput(t, group, "groupShortName", "critical")
		mocktest.AssertInput(t, group, "location", "global")
		mocktest.AssertInput(t, group, "enabled", true)
		mocktest.AssertInput(t, group, "emailReceivers", []any{map[string]any{
			"name": "admin", "emailAddress": testAdminEmail, "useCommonAlertSchema": true,
		}})
	})

	t.Run("children of the calling component", func(t *testing.T) {
		assert.Equal(t, shared.URN, workspace.Parent)
		assert.Equal(t, shared.URN, group.Parent)
	})
}

func TestSharedMonitoringRetention(t *testing.T) {
	res := runComponents(t, func(ctx *pulumi.Context) error {
		h := &host{}
		if err := ctx.RegisterComponentResource(testHostType, "shared", h); err != nil {
			return err
		}
		_, err := newSharedMonitoring(ctx, "shared", h, pulumi.String(testRG), "japaneast",
			&MonitoringArgs{WorkspaceName: "ws-1", AdminEmail: testAdminEmail, RetentionInDays: 90}, nil)
		return err
	})
	require.NoError(t, res.Err)
	mocktest.AssertInput(t, mocktest.MustLookup(t, res, mocktest.TypeWorkspace, "shared-workspace"), "retentionInDays", 90.0)
}

func TestClusterMonitoring(t *testing.T) {
	res := runMonitoring(t, true)
	require.NoError(t, res.Err)
	cluster := mocktest.MustLookup(t, res, testHostType, "primary")
	rule := mocktest.MustLookup(t, res, mocktest.TypeDCR, "primary-monitoring-dcr")
	association := mocktest.MustLookup(t, res, mocktest.TypeDCRA, "primary-monitoring-dcra")
	alert := mocktest.MustLookup(t, res, mocktest.TypeMetricAlert, "primary-pending-pods-alert")
	ruleID := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Insights/dataCollectionRules/MSCI-japaneast-%s",
		mocktest.SubscriptionID, testRG, testClusterName)

	t.Run("Container Insights rule named and placed as Azure's onboarding does", func(t *testing.T) {
		mocktest.AssertInput(t, rule, "dataCollectionRuleName", "MSCI-japaneast-"+testClusterName)
		mocktest.AssertInput(t, rule, "location", "japaneast")
		mocktest.AssertInput(t, rule, "resourceGroupName", testRG)
		mocktest.AssertInput(t, rule, "kind", "Linux")
	})

	t.Run("the extension's stream flows to the workspace", func(t *testing.T) {
		mocktest.AssertInput(t, rule, "dataSources.extensions", []any{map[string]any{
			"name":          "ContainerInsightsExtension",
			"extensionName": "ContainerInsights",
			"streams":       strs("Microsoft-ContainerInsights-Group-Default"),
			"extensionSettings": map[string]any{"dataCollectionSettings": map[string]any{
				"interval": "1m", "namespaceFilteringMode": "Off", "enableContainerLogV2": true,
			}},
		}})
		mocktest.AssertInput(t, rule, "destinations.logAnalytics", []any{map[string]any{
			"name": "ciworkspace", "workspaceResourceId": testWorkspaceID,
		}})
		mocktest.AssertInput(t, rule, "dataFlows", []any{map[string]any{
			"streams": strs("Microsoft-ContainerInsights-Group-Default"), "destinations": strs("ciworkspace"),
		}})
	})

	t.Run("the rule is associated with the cluster", func(t *testing.T) {
		mocktest.AssertInput(t, association, "associationName", "ContainerInsightsExtension")
		mocktest.AssertInput(t, association, "resourceUri", testClusterID)
		mocktest.AssertInput(t, association, "dataCollectionRuleId", ruleID)
		assert.Contains(t, association.Dependencies, rule.URN)
	})

	t.Run("pending pods alert the admin", func(t *testing.T) {
		mocktest.AssertInput(t, alert, "ruleName", "pending_pods_"+testClusterName)
		mocktest.AssertInput(t, alert, "location", "global")
		mocktest.AssertInput(t, alert, "scopes", strs(testClusterID))
		mocktest.AssertInput(t, alert, "enabled", true)
		mocktest.AssertInput(t, alert, "evaluationFrequency", "PT1M")
		mocktest.AssertInput(t, alert, "windowSize", "PT5M")
		mocktest.AssertInput(t, alert, "criteria", map[string]any{
			"odataType": "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
			"allOf": []any{map[string]any{
				"name":            "pending",
				"criterionType":   "StaticThresholdCriterion",
				"metricNamespace": "Microsoft.ContainerService/managedClusters",
				"metricName":      "kube_pod_status_phase",
				"operator":        "GreaterThan",
				"threshold":       0.0,
				"timeAggregation": "Total",
				"dimensions": []any{map[string]any{
					"name": "phase", "operator": "Include", "values": strs("Pending"),
				}},
			}},
		})
		mocktest.AssertInput(t, alert, "actions", []any{map[string]any{"actionGroupId": testActionGroupID}})
	})

	t.Run("children of the calling component", func(t *testing.T) {
		for _, r := range []mocktest.Resource{rule, association, alert} {
			assert.Equalf(t, cluster.URN, r.Parent, "%s parent", r.Name)
		}
	})
}

func TestClusterMonitoringWithoutActionGroup(t *testing.T) {
	res := runMonitoring(t, false)
	require.NoError(t, res.Err)
	assert.Empty(t, res.OfType(mocktest.TypeMetricAlert), "no action group, no alert")
	mocktest.MustLookup(t, res, mocktest.TypeDCR, "primary-monitoring-dcr")
	mocktest.MustLookup(t, res, mocktest.TypeDCRA, "primary-monitoring-dcra")
}

func TestDataCollectionRuleName(t *testing.T) {
	assert.Equal(t, "MSCI-japaneast-tm99-k8sbook-ch12-aks-primary", dataCollectionRuleName("japaneast", "tm99-k8sbook-ch12-aks-primary"))
	long := dataCollectionRuleName("australiasoutheast", "abcdefghijkl-k8sbook-aio-aks-green-failover-x")
	assert.Len(t, long, 64)
	assert.Equal(t, "MSCI-australiasoutheast-abcdefghijkl-k8sbook-aio-aks-green-failo", long)
	// A cut that lands on a hyphen drops it: rule names end in a letter or digit.
	cut := dataCollectionRuleName("westus2", strings.Repeat("a", 50)+"-bbbbbb")
	assert.Equal(t, "MSCI-westus2-"+strings.Repeat("a", 50), cut)
}

func TestMonitoringArgsValidate(t *testing.T) {
	valid := func() MonitoringArgs {
		return MonitoringArgs{WorkspaceName: "tm99-k8sbook-ch12-workspace", AdminEmail: testAdminEmail}
	}
	require.Empty(t, func() []error { a := valid(); return a.validate() }())
	cases := []struct {
		name  string
		edit  func(a *MonitoringArgs)
		field string
	}{
		{"workspace name too short", func(a *MonitoringArgs) { a.WorkspaceName = "abc" }, `WorkspaceName "abc"`},
		{"workspace name too long", func(a *MonitoringArgs) { a.WorkspaceName = strings.Repeat("w", 64) }, "WorkspaceName"},
		{"workspace name with underscore", func(a *MonitoringArgs) { a.WorkspaceName = "my_workspace" }, `WorkspaceName "my_workspace"`},
		{"workspace name ends in hyphen", func(a *MonitoringArgs) { a.WorkspaceName = "workspace-" }, `WorkspaceName "workspace-"`},
		{"no email", func(a *MonitoringArgs) { a.AdminEmail = "" }, `AdminEmail ""`},
		{"not an email", func(a *MonitoringArgs) { a.AdminEmail = "admin" }, `AdminEmail "admin"`},
		{"display name", func(a *MonitoringArgs) { a.AdminEmail = "Admin <admin@example.com>" }, "AdminEmail"},
		{"undotted domain", func(a *MonitoringArgs) { a.AdminEmail = "admin@localhost" }, `AdminEmail "admin@localhost"`},
		{"retention too short", func(a *MonitoringArgs) { a.RetentionInDays = 7 }, "RetentionInDays 7"},
		{"retention too long", func(a *MonitoringArgs) { a.RetentionInDays = 731 }, "RetentionInDays 731"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := valid()
			tc.edit(&a)
			errs := a.validate()
			require.Len(t, errs, 1)
			assert.ErrorContains(t, errs[0], tc.field)
		})
	}
}

func TestClusterMonitoringArgsValidate(t *testing.T) {
	ok := &ClusterMonitoringArgs{WorkspaceResourceID: pulumi.String(testWorkspaceID), WorkspaceLocation: pulumi.String("japaneast")}
	assert.Empty(t, ok.validate())
	err := errors.Join((&ClusterMonitoringArgs{}).validate()...)
	assert.ErrorContains(t, err, "Monitoring.WorkspaceResourceID: required")
	assert.ErrorContains(t, err, "Monitoring.WorkspaceLocation: required")
}

func TestIsEmailAddress(t *testing.T) {
	for _, ok := range []string{"admin@example.com", "first.last+k8s@mail.example.co.jp"} {
		assert.Truef(t, IsEmailAddress(ok), "%s", ok)
	}
	for _, bad := range []string{"", "admin", "@example.com", "admin@", "admin@localhost", "admin@example.", "Admin <admin@example.com>",
		"<admin@example.com>", " admin@example.com", "a@b@example.com", "admin@example.com, other@example.com"} {
		assert.Falsef(t, IsEmailAddress(bad), "%s", bad)
	}
}
