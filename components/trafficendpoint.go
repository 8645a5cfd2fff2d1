package components

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TrafficEndpointArgs describes one external endpoint of a Traffic Manager profile.
type TrafficEndpointArgs struct {
	ResourceGroupName pulumi.StringInput
	ProfileName       pulumi.StringInput
	// EndpointName is the endpoint's name in the profile, e.g. tm99-k8sbook-ch08-todoapp-primary.
	EndpointName string
	// Target is the public IP or FQDN Traffic Manager sends clients to.
	Target pulumi.StringInput
	// Priority orders endpoints under Priority routing: the lowest healthy one gets the traffic.
	Priority int
}

// TrafficEndpoint is an external Traffic Manager endpoint.
type TrafficEndpoint struct {
	pulumi.ResourceState

	EndpointName pulumi.StringOutput
}

// MinTrafficPriority and MaxTrafficPriority bound endpoint priorities in Azure.
const (
	MinTrafficPriority = 1
	MaxTrafficPriority = 1000
)

func (a *TrafficEndpointArgs) validate() error {
	var errs []error
	if a.ResourceGroupName == nil || a.ProfileName == nil || a.Target == nil {
		errs = append(errs, errors.New("ResourceGroupName, ProfileName and Target: required"))
	}
	if a.EndpointName == "" || len(a.EndpointName) > 260 {
		errs = append(errs, fmt.Errorf("EndpointName %q: must be 1–260 characters", a.EndpointName))
	}
	if a.Priority < MinTrafficPriority || a.Priority > MaxTrafficPriority {
		errs = append(errs, fmt.Errorf("Priority %d: must be between %d and %d", a.Priority, MinTrafficPriority, MaxTrafficPriority))
	}
	return errors.Join(errs...)
}

// NewTrafficEndpoint adds an external endpoint to a Traffic Manager profile.
func NewTrafficEndpoint(ctx *pulumi.Context, name string, args *TrafficEndpointArgs, opts ...pulumi.ResourceOption) (*TrafficEndpoint, error) {
	if args == nil {
		return nil, errors.New("TrafficEndpoint: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("TrafficEndpoint %s: %w", name, err)
	}
	e := &TrafficEndpoint{}
	if err := ctx.RegisterComponentResource("k8sbook:components:TrafficEndpoint", name, e, opts...); err != nil {
		return nil, err
	}
	endpoint, err := network.NewEndpoint(ctx, name+"-endpoint", &network.EndpointArgs{
		ResourceGroupName: args.ResourceGroupName,
		ProfileName:       args.ProfileName,
		EndpointName:      pulumi.String(args.EndpointName),
		EndpointType:      pulumi.String("ExternalEndpoints"),
		Type:              pulumi.String("Microsoft.Network/trafficManagerProfiles/externalEndpoints"),
		Target:            args.Target,
		Priority:          pulumi.Float64(float64(args.Priority)),
		EndpointStatus:    pulumi.String("Enabled"),
	}, pulumi.Parent(e), azureNative)
	if err != nil {
		return nil, err
	}
	e.EndpointName = endpoint.Name.Elem()
	if err := ctx.RegisterResourceOutputs(e, pulumi.Map{"endpointName": e.EndpointName}); err != nil {
		return nil, err
	}
	return e, nil
}
