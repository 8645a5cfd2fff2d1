package components

// A small typed binding for the two Cosmos DB operations this project uses: the
// azure-native:documentdb:DatabaseAccount resource and the listDatabaseAccountConnectionStrings
// invoke. The generated module (pulumi-azure-native-sdk/documentdb/v2) only resolves at v2.0.0,
// which does not compile against the v2.9x umbrella module the other services need. The tokens
// and property names are the generated SDK's, and the provider version is pinned to the
// azure-native release the other modules use, so swapping this file for the generated package
// later changes no state.

import (
	"fmt"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const (
	databaseAccountToken       = "azure-native:documentdb:DatabaseAccount"
	listConnectionStringsToken = "azure-native:documentdb:listDatabaseAccountConnectionStrings"

	// primaryMongoConnectionString is the description Azure gives the read-write MongoDB string.
	primaryMongoConnectionString = "Primary MongoDB Connection String"
)

// databaseAccount is the registered resource; only the outputs we read are declared.
type databaseAccount struct {
	pulumi.CustomResourceState

	Name             pulumi.StringOutput `pulumi:"name"`
	DocumentEndpoint pulumi.StringOutput `pulumi:"documentEndpoint"`
}

// mongoAccountSpec is what we set on a Cosmos DB for MongoDB (RU) account.
type mongoAccountSpec struct {
	AccountName       string
	ResourceGroupName pulumi.StringInput
	// Regions in failover order; the first is the write region.
	Regions              []string
	ServerVersion        string
	MaxIntervalInSeconds int
	MaxStalenessPrefix   int
	Tags                 map[string]string
}

// databaseAccountArgs is the wire shape of the resource's inputs (property names as the API's).
type databaseAccountArgs struct {
	AccountName              string            `pulumi:"accountName"`
	ResourceGroupName        string            `pulumi:"resourceGroupName"`
	Location                 string            `pulumi:"location"`
	Kind                     string            `pulumi:"kind"`
	DatabaseAccountOfferType string            `pulumi:"databaseAccountOfferType"`
	EnableAutomaticFailover  bool              `pulumi:"enableAutomaticFailover"`
	MinimalTlsVersion        string            `pulumi:"minimalTlsVersion"`
	ApiProperties            map[string]any    `pulumi:"apiProperties"`
	Capabilities             []map[string]any  `pulumi:"capabilities"`
	ConsistencyPolicy        map[string]any    `pulumi:"consistencyPolicy"`
	Locations                []map[string]any  `pulumi:"locations"`
	Tags                     map[string]string `pulumi:"tags"`
}

// databaseAccountInputs carries the same properties as Inputs.
type databaseAccountInputs struct {
	AccountName              pulumi.StringInput
	ResourceGroupName        pulumi.StringInput
	Location                 pulumi.StringInput
	Kind                     pulumi.StringInput
	DatabaseAccountOfferType pulumi.StringInput
	EnableAutomaticFailover  pulumi.BoolInput
	MinimalTlsVersion        pulumi.StringInput
	ApiProperties            pulumi.MapInput
	Capabilities             pulumi.MapArrayInput
	ConsistencyPolicy        pulumi.MapInput
	Locations                pulumi.MapArrayInput
	Tags                     pulumi.StringMapInput
}

func (databaseAccountInputs) ElementType() reflect.Type {
	return reflect.TypeOf((*databaseAccountArgs)(nil)).Elem()
}

// newMongoAccount registers a Cosmos DB for MongoDB account.
func newMongoAccount(ctx *pulumi.Context, name string, spec mongoAccountSpec, opts ...pulumi.ResourceOption) (*databaseAccount, error) {
	locations := pulumi.MapArray{}
	for priority, region := range spec.Regions {
		locations = append(locations, pulumi.Map{
			"locationName":     pulumi.String(region),
			"failoverPriority": pulumi.Int(priority),
			"isZoneRedundant":  pulumi.Bool(false),
		})
	}
	inputs := databaseAccountInputs{
		AccountName:              pulumi.String(spec.AccountName),
		ResourceGroupName:        spec.ResourceGroupName,
		Location:                 pulumi.String(spec.Regions[0]),
		Kind:                     pulumi.String("MongoDB"),
		DatabaseAccountOfferType: pulumi.String("Standard"),
		EnableAutomaticFailover:  pulumi.Bool(true),
		MinimalTlsVersion:        pulumi.String("Tls12"),
		ApiProperties:            pulumi.Map{"serverVersion": pulumi.String(spec.ServerVersion)},
		// EnableMongo selects the MongoDB wire-protocol endpoint (<account>.mongo.cosmos.azure.com).
		Capabilities: pulumi.MapArray{pulumi.Map{"name": pulumi.String("EnableMongo")}},
		ConsistencyPolicy: pulumi.Map{
			"defaultConsistencyLevel": pulumi.String("BoundedStaleness"),
			"maxIntervalInSeconds":    pulumi.Int(spec.MaxIntervalInSeconds),
			"maxStalenessPrefix":      pulumi.Int(spec.MaxStalenessPrefix),
		},
		Locations: locations,
		Tags:      pulumi.ToStringMap(spec.Tags),
	}
	var account databaseAccount
	opts = append(opts, azureNative)
	if err := ctx.RegisterResource(databaseAccountToken, name, inputs, &account, opts...); err != nil {
		return nil, err
	}
	return &account, nil
}

type listConnectionStringsArgs struct {
	AccountName       string `pulumi:"accountName"`
	ResourceGroupName string `pulumi:"resourceGroupName"`
}

type connectionString struct {
	ConnectionString string `pulumi:"connectionString"`
	Description      string `pulumi:"description"`
}

type listConnectionStringsResult struct {
	ConnectionStrings []connectionString `pulumi:"connectionStrings"`
}

// primaryMongoURL reads the account's read-write MongoDB connection string once the account
// exists. The result is a secret from the moment it is read.
func primaryMongoURL(ctx *pulumi.Context, resourceGroupName pulumi.StringInput, account *databaseAccount, parent pulumi.Resource) pulumi.StringOutput {
	url := pulumi.All(resourceGroupName, account.Name).ApplyT(func(args []any) (string, error) {
		var result listConnectionStringsResult
		if err := ctx.Invoke(listConnectionStringsToken, &listConnectionStringsArgs{
			ResourceGroupName: args[0].(string),
			AccountName:       args[1].(string),
		}, &result, azureNative, pulumi.Parent(parent)); err != nil {
			return "", fmt.Errorf("listing the connection strings of Cosmos DB account %s: %w", args[1], err)
		}
		for _, cs := range result.ConnectionStrings {
			if cs.Description == primaryMongoConnectionString {
				return cs.ConnectionString, nil
			}
		}
		return "", fmt.Errorf("Cosmos DB account %s returned no %q", args[1], primaryMongoConnectionString)
	}).(pulumi.StringOutput)
	return pulumi.ToSecret(url).(pulumi.StringOutput)
}
