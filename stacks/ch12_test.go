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
	workspace := mustLookup(t, res, mocktest.TypeWorkspace, "shared-workspace")
	group := mustLookup(t, res, mocktest.TypeActionGroup, "shared-action-group")
	cluster := mustLookup(t, res, mocktest.TypeManagedCluster, "primary-aks")
	dcr := mustLookup(t, res, mocktest.TypeDCR, "primary-monitoring-dcr")
	dcra := mustLookup(t, res, mocktest.TypeDCRA, "primary-monitoring-dcra")
	alert := mustLookup(t, res, mocktest.TypeMetricAlert, "primary-pending-pods-alert")
	workspaceID := "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/tm99-k8sbook-ch12-rg/providers/Microsoft.OperationalInsights/workspaces/tm99-k8sbook-ch12-workspace"

	assertInput(t, workspace, "workspaceName", "tm99-k8sbook-ch12-workspace")
	assertInput(t, workspace, "sku.name", "PerGB2018")
	assertInput(t, group, "actionGroupName", "critical")
	assertInput(t, group, "groupShortName", "critical")
	assertInput(t, group, "emailReceivers[0].emailAddress", "admin@example.com")

	assertInput(t, cluster, "addonProfiles.omsagent.enabled", true)
	assertInput(t, cluster, "addonProfiles.omsagent.config.useAADAuth", "true")
	assertInput(t, cluster, "addonProfiles.omsagent.config.logAnalyticsWorkspaceResourceID", workspaceID)

	assertInput(t, dcr, "dataSources.extensions[0].extensionName", "ContainerInsights")
	assertInput(t, dcr, "dataSources.extensions[0].streams", []any{"Microsoft-ContainerInsights-Group-Default"})
	assertInput(t, dcr, "destinations.logAnalytics[0].workspaceResourceId", workspaceID)
	assertInput(t, dcr, "dataFlows[0].streams", []any{"Microsoft-ContainerInsights-Group-Default"})
	assertInput(t, dcra, "resourceUri", "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/tm99-k8sbook-ch12-rg/providers/Microsoft.ContainerService/managedClusters/tm99-k8sbook-ch12-aks-primary")
	assert.Contains(t, dcra.Dependencies, cluster.URN)

	assertInput(t, alert, "ruleName", "pending_pods_tm99-k8sbook-ch12-aks-primary")
	c := "criteria.allOf[0]."
	assertInput(t, alert, c+"metricNamespace", "Microsoft.ContainerService/managedClusters")
	assertInput(t, alert, c+"metricName", "kube_pod_status_phase")
	assertInput(t, alert, c+"operator", "GreaterThan")
	assertInput(t, alert, c+"threshold", 0.0)
	assertInput(t, alert, c+"timeAggregation", "Total")
	assertInput(t, alert, c+"dimensions[0]", map[string]any{"name": "phase", "operator": "Include", "values": []any{"Pending"}})
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
