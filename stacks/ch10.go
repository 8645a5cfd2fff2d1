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
	shared, err := components.NewSharedInfra(ctx, "shared", &components.SharedInfraArgs{
		ResourceGroupName: e.names.of("rg"),
		Location:          e.cfg.Location,
		Tags:              e.names.tags(),
		Cosmos:            e.cosmosArgs(e.cfg.Location),
		TrafficManager:    e.trafficManagerArgs(),
	})
	if err != nil {
		return err
	}
	exportShared(ctx, shared)
	return nil
}

// The outputs a shared stack exports for its color stacks: the contract between them.
const (
	outResourceGroupName  = "resourceGroupName"
	outMongoURL           = "mongoUrl"
	outTrafficManager     = "trafficManagerProfileName"
	outTrafficManagerFQDN = "trafficManagerFqdn"
)

var sharedOutputs = []string{outResourceGroupName, outMongoURL, outTrafficManager, outTrafficManagerFQDN}

func exportShared(ctx *pulumi.Context, s *components.SharedInfra) {
	ctx.Export(outResourceGroupName, s.ResourceGroupName)
	ctx.Export(outMongoURL, s.MongoURL)
	ctx.Export(outTrafficManager, s.TrafficManagerProfileName)
	ctx.Export(outTrafficManagerFQDN, s.TrafficManagerFQDN)
	ctx.Export("appUrl", pulumi.Sprintf("http://%s/", s.TrafficManagerFQDN))
}

// readShared reads the shared half through a StackReference. A missing output fails the update
// with the stack and output named, instead of creating resources with empty values.
func (e *env) readShared(ctx *pulumi.Context, family string) (sharedRefs, error) {
	stack := e.cfg.SharedStack
	if stack == "" {
		stack = fmt.Sprintf("%s/%s/%s", ctx.Organization(), ctx.Project(), family)
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
					"k8sbook:sharedStack at the stack that holds the shared resources", stack, name, family)
			}
			return s, nil
		}).(pulumi.StringOutput)
	}
	return sharedRefs{
		resourceGroupName:  get(outResourceGroupName),
		mongoURL:           pulumi.ToSecret(get(outMongoURL)).(pulumi.StringOutput),
		trafficManager:     get(outTrafficManager),
		trafficManagerFQDN: get(outTrafficManagerFQDN),
	}, nil
}

// trafficPriority is the configured priority of a color's primary endpoint, or the book's.
func (e *env) trafficPriority() int {
	if p := e.cfg.TrafficPriority; p != nil {
		return *p
	}
	return bookPriority[e.color]
}

// buildCh10Color is ch10-blue and ch10-green: one cluster of the color with the ToDo app, its
// Traffic Manager endpoint, Kured and the nginx drain demo. Destroying it touches nothing else.
func buildCh10Color(ctx *pulumi.Context, e *env) error {
	shared, err := e.readShared(ctx, "ch10")
	if err != nil {
		return err
	}
	s := site{role: "primary", color: e.color, location: e.cfg.Location, priority: e.trafficPriority()}
	app, err := e.newAppCluster(ctx, shared, s, clusterSpec{nodeOSUpgradeChannel: components.NodeOSUpgradeUnmanaged})
	if err != nil {
		return err
	}
	name := logicalName(s.color, s.role)
	on := pulumi.Providers(app.cluster.Provider)
	if _, err := components.NewKuredAddon(ctx, name+"-kured", e.cfg.Kured.args(), on); err != nil {
		return err
	}
	if _, err := components.NewNginxDemo(ctx, name+"-demo", &components.NginxDemoArgs{
		Replicas:   e.cfg.nginxReplicas(ch10NginxReplicas),
		CPURequest: "100m",
	}, on); err != nil {
		return err
	}
	app.export(ctx, "", shared.resourceGroupName)
	ctx.Export("trafficPriority", pulumi.Int(s.priority))
	ctx.Export("appUrl", pulumi.Sprintf("http://%s/", shared.trafficManagerFQDN))
	return nil
}
