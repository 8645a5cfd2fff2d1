package stacks

import (
	"github.com/k8sbook/k8sbook/components"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ch09NginxReplicas is the book's replica count for the pending-pods demo.
const ch09NginxReplicas = 2

// buildCh09 is chapter 9 (scalability): one cluster whose pool autoscales, and the nginx demo
// whose 1000m CPU requests leave pods Pending until the autoscaler adds nodes.
func buildCh09(ctx *pulumi.Context, e *env) error {
	shared, err := e.newShared(ctx, components.SharedInfraArgs{})
	if err != nil {
		return err
	}
	cluster, err := e.newPrimaryCluster(ctx, shared, clusterSpec{
		autoscale: true,
	})
	if err != nil {
		return err
	}
	if _, err := components.NewNginxDemo(ctx, "primary-demo", &components.NginxDemoArgs{
		Replicas:   e.cfg.nginxReplicas(ch09NginxReplicas),
		CPURequest: "1000m",
	}, pulumi.Providers(cluster.Provider)); err != nil {
		return err
	}

	ctx.Export("resourceGroupName", shared.ResourceGroupName)
	exportCluster(ctx, "", shared.ResourceGroupName, cluster)
	return nil
}
