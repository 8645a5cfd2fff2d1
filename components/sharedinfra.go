package components

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-azure-native-sdk/resources/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// SharedInfraArgs describes what a chapter shares between its clusters. Only the resource group
// is mandatory; each optional part is a pointer that is nil when the chapter doesn't use it.
type SharedInfraArgs struct {
	// ResourceGroupName is the Azure name of the resource group (1–90 chars).
	ResourceGroupName string
	Location          string
	Tags              map[string]string
}

// SharedInfra holds a chapter's shared Azure resources.
type SharedInfra struct {
	pulumi.ResourceState

	ResourceGroupName     pulumi.StringOutput
	ResourceGroupLocation pulumi.StringOutput
}

var resourceGroupNameRe = regexp.MustCompile(`^[-\w._()]{0,89}[-\w_()]$`)

func (a *SharedInfraArgs) validate() error {
	var errs []error
	if !resourceGroupNameRe.MatchString(a.ResourceGroupName) {
		errs = append(errs, fmt.Errorf("ResourceGroupName %q: must be 1–90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'", a.ResourceGroupName))
	}
	if !IsLocation(a.Location) {
		errs = append(errs, fmt.Errorf("Location %q: must be an Azure region's short name, e.g. japaneast", a.Location))
	}
	return errors.Join(errs...)
}

// NewSharedInfra creates the resource group and the optional shared services.
func NewSharedInfra(ctx *pulumi.Context, name string, args *SharedInfraArgs, opts ...pulumi.ResourceOption) (*SharedInfra, error) {
	if args == nil {
		return nil, errors.New("SharedInfra: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("SharedInfra %s: %w", name, err)
	}
	s := &SharedInfra{}
	if err := ctx.RegisterComponentResource("k8sbook:components:SharedInfra", name, s, opts...); err != nil {
		return nil, err
	}

	rg, err := resources.NewResourceGroup(ctx, name+"-rg", &resources.ResourceGroupArgs{
		ResourceGroupName: pulumi.String(args.ResourceGroupName),
		Location:          pulumi.String(args.Location),
		Tags:              pulumi.ToStringMap(args.Tags),
	}, pulumi.Parent(s))
	if err != nil {
		return nil, err
	}
	s.ResourceGroupName = rg.Name
	s.ResourceGroupLocation = rg.Location

	if err := ctx.RegisterResourceOutputs(s, pulumi.Map{
		"resourceGroupName":     s.ResourceGroupName,
		"resourceGroupLocation": s.ResourceGroupLocation,
	}); err != nil {
		return nil, err
	}
	return s, nil
}
