package stacks

import (
	"fmt"

	"github.com/k8sbook/k8sbook/components"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The book's ch10 numbers: blue takes the traffic (100) until green (200) is ready and blue is
// moved behind it (e.g. 300); the nginx demo has three replicas to cordon and drain.
var bookPriority = map[string]int{"blue": 100, "green": 200}

const ch10NginxReplicas = 3

// buildCh10 is the shared half of chapter 10 (maintainability): resource group, Cosmos DB in one
// region and the Traffic Manager profile. The color stacks read its outputs.
func buildCh10(ctx *pulumi.Context, e *env) error {
	shared, err := e.newShared(ctx, components.SharedInfraArgs{
		Cosmos:         e.cosmosArgs(e.cfg.Location),
		TrafficManager: e.trafficManagerArgs(),
	})
	if err != nil {
		return err
	}
	exportShared(ctx, shared, false)
	return nil
}

// The outputs a shared stack exports for its color stacks: the contract between them.
const (
	outResourceGroupName  = "resourceGroupName"
	outMongoURL           = "mongoUrl"
	outTrafficManager     = "trafficManagerProfileName"
	outTrafficManagerFQDN = "trafficManagerFqdn"
	outWorkspaceID        = "workspaceId"
	outWorkspaceLocation  = "workspaceLocation"
	outActionGroupID      = "actionGroupId"
)

var (
	sharedOutputs     = []string{outResourceGroupName, outMongoURL, outTrafficManager, outTrafficManagerFQDN}
	monitoringOutputs = []string{outWorkspaceID, outWorkspaceLocation, outActionGroupID}
)

// exportShared exports what color stacks read; monitoring too when the shared half has it.
func exportShared(ctx *pulumi.Context, s *components.SharedInfra, monitoring bool) {
	ctx.Export(outResourceGroupName, s.ResourceGroupName)
	ctx.Export(outMongoURL, s.MongoURL)
	ctx.Export(outTrafficManager, s.TrafficManagerProfileName)
	ctx.Export(outTrafficManagerFQDN, s.TrafficManagerFQDN)
	ctx.Export("appUrl", pulumi.Sprintf("http://%s/", s.TrafficManagerFQDN))
	if monitoring {
		ctx.Export(outWorkspaceID, s.WorkspaceID)
		ctx.Export(outWorkspaceLocation, s.WorkspaceLocation)
		ctx.Export(outActionGroupID, s.ActionGroupID)
	}
}

// readShared reads the shared half through a StackReference. A missing output fails the update
// with the stack and output named, instead of creating resources with empty values.
func (e *env) readShared(ctx *pulumi.Context, monitoring bool) (sharedRefs, error) {
	stack := e.cfg.SharedStack
	if stack == "" {
		stack = fmt.Sprintf("%s/%s/%s", ctx.Organization(), ctx.Project(), e.family)
	}
	ref, err := pulumi.NewStackReference(ctx, "shared", &pulumi.StackReferenceArgs{Name: pulumi.String(stack)})
	if err != nil {
		return sharedRefs{}, err
	}
	get := func(name string) pulumi.StringOutput {
		return ref.GetOutput(pulumi.String(name)).ApplyT(func(v any) (string, error) {
			s, ok := v.(string)
			if !ok || s == "" {
				return "", fmt.Errorf("stack %s has no output %q: deploy it first (`pulumi up -s %s`), or point "+
					"k8sbook:sharedStack at the stack that holds the shared resources", stack, name, e.family)
			}
			return s, nil
		}).(pulumi.StringOutput)
	}
	refs := sharedRefs{
		resourceGroupName:  get(outResourceGroupName),
		mongoURL:           pulumi.ToSecret(get(outMongoURL)).(pulumi.StringOutput),
		trafficManager:     get(outTrafficManager),
		trafficManagerFQDN: get(outTrafficManagerFQDN),
	}
	if monitoring {
		refs.monitoring = &components.ClusterMonitoringArgs{
			WorkspaceResourceID: get(outWorkspaceID),
			WorkspaceLocation:   get(outWorkspaceLocation),
			ActionGroupID:       get(outActionGroupID),
		}
	}
	return refs, nil
}

// trafficPriority is the configured priority of a color's primary endpoint, or the book's.
func (e *env) trafficPriority() int {
	if p := e.cfg.TrafficPriority; p != nil {
		return *p
	}
	return bookPriority[e.color]
}

// failoverOffset puts a color's failover endpoint behind both colors' primaries, as the book's
// 100/500 and 200/600.
const failoverOffset = 400

// colorLayout is what a color stack of a blue/green pair holds on each of its clusters.
type colorLayout struct {
	failover   bool // a second cluster in failoverLocation
	autoscale  bool
	monitoring bool // monitoring add-on, Container Insights and the pending-pods alert
	nginx      bool // the nginx drain demo
	tenant     bool // the ch11 tenant namespace
}

// buildColor is every color stack (ch10-blue/green, aio-blue/green): per site a cluster of the
// color with the ToDo app, its Traffic Manager endpoint and Kured, plus what the layout adds.
// Destroying a color stack touches nothing of the other stacks.
func buildColor(ctx *pulumi.Context, e *env, layout colorLayout) error {
	shared, err := e.readShared(ctx, layout.monitoring)
	if err != nil {
		return err
	}
	sites := []site{{role: "primary", color: e.color, location: e.cfg.Location, priority: e.trafficPriority()}}
	if layout.failover {
		sites = append(sites, site{role: "failover", color: e.color, location: e.cfg.FailoverLocation,
			priority: e.trafficPriority() + failoverOffset})
	}
	var dev *developer
	if layout.tenant {
		if dev, err = e.developer(ctx); err != nil {
			return err
		}
	}
	for _, s := range sites {
		app, err := e.newAppCluster(ctx, shared, s, clusterSpec{
			nodeOSUpgradeChannel: components.NodeOSUpgradeUnmanaged,
			autoscale:            layout.autoscale,
			monitoring:           shared.monitoring,
		})
		if err != nil {
			return err
		}
		name := logicalName(s.color, s.role)
		on := pulumi.Providers(app.cluster.Provider)
		if _, err := components.NewKuredAddon(ctx, name+"-kured", e.cfg.Kured.args(), on); err != nil {
			return err
		}
		if layout.nginx {
			if _, err := components.NewNginxDemo(ctx, name+"-demo", &components.NginxDemoArgs{
				Replicas:   e.cfg.nginxReplicas(ch10NginxReplicas),
				CPURequest: "100m",
			}, on); err != nil {
				return err
			}
		}
		if layout.tenant {
			if _, err := components.NewRBACTenant(ctx, name+"-tenant", &components.RBACTenantArgs{
				Developer: dev.subject,
				Stress:    e.cfg.Stress,
			}, on); err != nil {
				return err
			}
		}
		key := ""
		if layout.failover {
			key = s.role
		}
		app.export(ctx, key, shared.resourceGroupName)
		ctx.Export(outputName(key, "trafficPriority"), pulumi.Int(s.priority))
	}
	ctx.Export("appUrl", pulumi.Sprintf("http://%s/", shared.trafficManagerFQDN))
	return nil
}
