package stacks

import (
	"github.com/k8sbook/k8sbook/components"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The book's BoundedStaleness bounds (10 s / 200 operations) are accepted by Azure only for a
// single-region account; an account that spans regions needs at least 300 s / 100000.
const (
	bookStalenessSeconds = 10
	bookStalenessPrefix  = 200
)

// cosmosArgs is the chapter's Cosmos DB for MongoDB account in the given regions (write region first).
func (e *env) cosmosArgs(regions ...string) *components.CosmosArgs {
	seconds, prefix := bookStalenessSeconds, bookStalenessPrefix
	if len(regions) > 1 {
		seconds, prefix = components.MultiRegionMinStalenessSeconds, components.MultiRegionMinStalenessPrefix
	}
	return &components.CosmosArgs{
		AccountName:          e.names.of("db"),
		Regions:              regions,
		ServerVersion:        e.cfg.MongoServerVersion,
		MaxIntervalInSeconds: seconds,
		MaxStalenessPrefix:   prefix,
		Protect:              e.cfg.ProtectDatabase,
	}
}

// trafficManagerArgs is the book's profile: Priority routing, TTL 60, HTTP probe of the app.
func (e *env) trafficManagerArgs() *components.TrafficManagerArgs {
	return &components.TrafficManagerArgs{
		ProfileName:     e.names.of("tm", "todoapp"),
		RelativeDNSName: e.names.of("todoapp"),
		TTL:             60,
		MonitorPath:     "/healthz",
		MonitorPort:     80,
	}
}

// sharedRefs is what an app cluster needs from the shared half of its chapter, whether that half
// is built in the same stack (ch08) or read from another one (ch10 colors).
type sharedRefs struct {
	resourceGroupName  pulumi.StringInput
	mongoURL           pulumi.StringInput // secret
	trafficManager     pulumi.StringInput // profile name
	trafficManagerFQDN pulumi.StringInput
	// monitoring connects clusters to the shared workspace and action group; nil without.
	monitoring *components.ClusterMonitoringArgs
}

func refsOf(s *components.SharedInfra) sharedRefs {
	return sharedRefs{
		resourceGroupName:  s.ResourceGroupName,
		mongoURL:           s.MongoURL,
		trafficManager:     s.TrafficManagerProfileName,
		trafficManagerFQDN: s.TrafficManagerFQDN,
	}
}

// monitoringArgs is the chapter's Log Analytics workspace and action group `critical`.
func (e *env) monitoringArgs() *components.MonitoringArgs {
	return &components.MonitoringArgs{WorkspaceName: e.names.of("workspace"), AdminEmail: e.cfg.AdminEmail}
}

// clusterMonitoring connects a cluster to the shared monitoring built in the same stack.
func clusterMonitoring(s *components.SharedInfra) *components.ClusterMonitoringArgs {
	return &components.ClusterMonitoringArgs{
		WorkspaceResourceID: s.WorkspaceID,
		WorkspaceLocation:   s.WorkspaceLocation,
		ActionGroupID:       s.ActionGroupID,
	}
}

// site is one cluster running the ToDo app behind Traffic Manager.
type site struct {
	role     string // primary, failover
	color    string // blue, green; empty outside blue/green
	location string
	priority int
}

// appCluster is what a site built.
type appCluster struct {
	cluster *components.AKSCluster
	app     *components.TodoApp
}

// newAppCluster builds a site: its cluster, the ToDo app on it, and its Traffic Manager endpoint
// targeting the app's load-balancer IP. Every chapter with the app goes through here.
func (e *env) newAppCluster(ctx *pulumi.Context, shared sharedRefs, s site, spec clusterSpec) (*appCluster, error) {
	spec.role, spec.color = s.role, s.color
	spec.resourceGroupName = shared.resourceGroupName
	spec.location = pulumi.String(s.location)
	cluster, err := e.newCluster(ctx, spec)
	if err != nil {
		return nil, err
	}
	name := logicalName(s.color, s.role)
	app, err := components.NewTodoApp(ctx, name+"-todoapp", &components.TodoAppArgs{
		Image:       e.cfg.TodoImage,
		MongoURL:    shared.mongoURL,
		ClusterName: cluster.ClusterName,
	}, pulumi.Providers(cluster.Provider))
	if err != nil {
		return nil, err
	}
	if _, err := components.NewTrafficEndpoint(ctx, name+"-tm", &components.TrafficEndpointArgs{
		ResourceGroupName: shared.resourceGroupName,
		ProfileName:       shared.trafficManager,
		EndpointName:      e.names.of(nonEmpty("todoapp", s.color, s.role)...),
		Target:            app.LoadBalancerIP,
		Priority:          s.priority,
	}); err != nil {
		return nil, err
	}
	return &appCluster{cluster: cluster, app: app}, nil
}

// export publishes a site's cluster outputs and its direct URL under the site's key.
func (a *appCluster) export(ctx *pulumi.Context, key string, rg pulumi.StringInput) {
	exportCluster(ctx, key, rg, a.cluster)
	ctx.Export(outputName(key, "url"), a.app.URL)
}
