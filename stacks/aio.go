package stacks

import (
	"github.com/k8sbook/k8sbook/components"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// buildAIO is the shared half of the all-in-one: every shared resource of chapters 8–12 in one
// resource group. aio-blue and aio-green read it through a StackReference.
func buildAIO(ctx *pulumi.Context, e *env) error {
	dev, err := e.developer(ctx)
	if err != nil {
		return err
	}
	shared, err := e.newShared(ctx, components.SharedInfraArgs{
		Cosmos:         e.cosmosArgs(e.cfg.Location, e.cfg.FailoverLocation),
		TrafficManager: e.trafficManagerArgs(),
		Monitoring:     e.monitoringArgs(),
		ClusterUsers:   dev.clusterUsers(),
	})
	if err != nil {
		return err
	}
	exportShared(ctx, shared, true)
	return nil
}
