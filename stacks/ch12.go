package stacks

import (
	"github.com/k8sbook/k8sbook/components"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// buildCh12 is chapter 12 (observability): a Log Analytics workspace, Container Insights on the
// cluster, and the pending-pods alert emailing the action group `critical`.
func buildCh12(ctx *pulumi.Context, e *env) error {
	shared, err := e.newShared(ctx, components.SharedInfraArgs{
		Monitoring: e.monitoringArgs(),
	})
	if err != nil {
		return err
	}
	cluster, err := e.newPrimaryCluster(ctx, shared, clusterSpec{
		monitoring: clusterMonitoring(shared),
	})
	if err != nil {
		return err
	}
	ctx.Export("resourceGroupName", shared.ResourceGroupName)
	ctx.Export("workspaceId", shared.WorkspaceID)
	exportCluster(ctx, "", shared.ResourceGroupName, cluster)
	return nil
}
