package stacks

import (
	"github.com/k8sbook/k8sbook/components"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The book's Traffic Manager priorities: the primary takes the traffic while it is healthy.
const (
	primaryPriority  = 100
	failoverPriority = 500
)

// buildCh08 is chapter 8 (availability): Cosmos DB for MongoDB replicated to a second region,
// and the ToDo app on a cluster in each region behind Traffic Manager's priority routing.
func buildCh08(ctx *pulumi.Context, e *env) error {
	cfg := e.cfg
	shared, err := e.newShared(ctx, components.SharedInfraArgs{
		Cosmos:         e.cosmosArgs(cfg.Location, cfg.FailoverLocation),
		TrafficManager: e.trafficManagerArgs(),
	})
	if err != nil {
		return err
	}
	refs := refsOf(shared)
	for _, s := range []site{
		{role: "primary", location: cfg.Location, priority: primaryPriority},
		{role: "failover", location: cfg.FailoverLocation, priority: failoverPriority},
	} {
		app, err := e.newAppCluster(ctx, refs, s, clusterSpec{})
		if err != nil {
			return err
		}
		app.export(ctx, s.role, shared.ResourceGroupName)
	}
	ctx.Export("resourceGroupName", shared.ResourceGroupName)
	ctx.Export("trafficManagerFqdn", shared.TrafficManagerFQDN)
	ctx.Export("appUrl", pulumi.Sprintf("http://%s/", shared.TrafficManagerFQDN))
	return nil
}
