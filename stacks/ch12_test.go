package stacks

import (
	"github.com/k8sbook/k8sbook/internal/mocktest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCh12(t *testing.T) {
	res := runStack(t, "ch12")
	require.NoError(t, res.Err)
	workspace := mocktest.MustLookup(t, res, mocktest.TypeWorkspace, "shared-workspace")
	group := mocktest.MustLookup(t, res, mocktest.TypeActionGroup, "shared-action-group")
	cluster := mocktest.MustLookup(t, res, mocktest.TypeManagedCluster, "primary-aks")
	dcr := mocktest.MustLookup(t, res, mocktest.TypeDCR, "primary-monitoring-dcr")
	dcra := mocktest.MustLookup(t, res, mocktest.TypeDCRA, "primary-monitoring-dcra")
	alert := mocktest.MustLookup(t, res, mocktest.TypeMetricAlert, "primary-pending-pods-alert")
	workspaceID := "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/tm99-k8sbook-ch12-rg/providers/Microsoft.OperationalInsights/workspaces/tm99-k8sbook-ch12-workspace"

	mocktest.AssertInput(t, workspace, "workspaceName", "tm99-k8sbook-ch12-workspace")
	mocktest.AssertInput(t, workspace, "sku.name", "PerGB2018")
	mocktest.AssertInput(t, group, "actionGroupName", "critical")
	mocktest.AssertInput(t, group, "groupShortName", "critical")
	mocktest.AssertInput(t, group, "emailReceivers[0].emailAddress", "admin@example.com")

	mocktest.AssertInput(t, cluster, "addonProfiles.omsagent.enabled", true)
	mocktest.AssertInput(t, cluster, "addonProfiles.omsagent.config.useAADAuth", "true")
	mocktest.AssertInput(t, cluster, "addonProfiles.omsagent.config.logAnalyticsWorkspaceResourceID", workspaceID)

	mocktest.AssertInput(t, dcr, "dataSources.extensions[0].extensionName", "ContainerInsights")
	mocktest.AssertInput(t, dcr, "dataSources.extensions[0].streams", []any{"Microsoft-ContainerInsights-Group-Default"})
	mocktest.AssertInput(t, dcr, "destinations.logAnalytics[0].workspaceResourceId", workspaceID)
	mocktest.AssertInput(t, dcr, "dataFlows[0].streams", []any{"Microsoft-ContainerInsights-Group-Default"})
	mocktest.AssertInput(t, dcra, "resourceUri", "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/tm99-k8sbook-ch12-rg/providers/Microsoft.ContainerService/managedClusters/tm99-k8sbook-ch12-aks-primary")
	assert.Contains(t, dcra.Dependencies, cluster.URN)

	mocktest.AssertInput(t, alert, "ruleName", "pending_pods_tm99-k8sbook-ch12-aks-primary")
	c := "criteria.allOf[0]."
	mocktest.AssertInput(t, alert, c+"metricNamespace", "Microsoft.ContainerService/managedClusters")
	mocktest.AssertInput(t, alert, c+"metricName", "kube_pod_status_phase")
	mocktest.AssertInput(t, alert, c+"operator", "GreaterThan")
	mocktest.AssertInput(t, alert, c+"threshold", 0.0)
	mocktest.AssertInput(t, alert, c+"timeAggregation", "Total")
	mocktest.AssertInput(t, alert, c+"dimensions[0]", map[string]any{"name": "phase", "operator": "Include", "values": []any{"Pending"}})
	assert.Contains(t, alert.Dependencies, group.URN, "the alert notifies the action group `critical`")
}

func TestCh12BadConfig(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edits []configEdit
		want  string
	}{
		{"email missing", []configEdit{unset("adminEmail")}, "k8sbook:adminEmail: is required"},
		{"not an email", []configEdit{set("adminEmail", "admin")}, `k8sbook:adminEmail = "admin": must be an email address`},
		{"display name", []configEdit{set("adminEmail", "Admin <admin@example.com>")}, `k8sbook:adminEmail = "Admin <admin@example.com>"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, "ch12", tc.edits...)
			require.Error(t, res.Err)
			assert.Contains(t, res.Err.Error(), tc.want)
			assert.Empty(t, res.Resources)
		})
	}
}
