package components

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
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
	// Cosmos adds a Cosmos DB for MongoDB account; nil for chapters without the ToDo app.
	Cosmos *CosmosArgs
	// TrafficManager adds a Traffic Manager profile; nil for chapters without one.
	TrafficManager *TrafficManagerArgs
	// Monitoring adds a Log Analytics workspace and the action group `critical`.
	Monitoring *MonitoringArgs
	// ClusterUsers get the "Azure Kubernetes Service Cluster User Role" on the resource group.
	ClusterUsers []ClusterUser
}

// ClusterUser is an Entra principal allowed to fetch the clusters' user credentials.
type ClusterUser struct {
	PrincipalID   pulumi.StringInput
	PrincipalType string // User or Group
}

// CosmosArgs describes the Cosmos DB for MongoDB (RU) account.
type CosmosArgs struct {
	// AccountName is global in Azure: 3–44 lowercase letters, digits or hyphens.
	AccountName string
	// Regions in failover priority order; the first is the write region.
	Regions []string
	// ServerVersion of the MongoDB API: 4.2, 5.0, 6.0 or 7.0.
	ServerVersion string
	// BoundedStaleness bounds: Azure accepts 5–86400 s and 10+ operations for one region, and
	// at least 300 s and 100000 operations when the account spans regions.
	MaxIntervalInSeconds int
	MaxStalenessPrefix   int
	// Protect makes `pulumi destroy` refuse to delete the account (and its data).
	Protect bool
}

// TrafficManagerArgs describes the Traffic Manager profile in front of the clusters.
type TrafficManagerArgs struct {
	ProfileName string
	// RelativeDNSName is the global DNS label: <RelativeDNSName>.trafficmanager.net.
	RelativeDNSName string
	TTL             int
	// The health probe: HTTP GET on MonitorPort and MonitorPath of each endpoint.
	MonitorPath string
	MonitorPort int
}

// SharedInfra holds a chapter's shared Azure resources.
type SharedInfra struct {
	pulumi.ResourceState

	ResourceGroupName     pulumi.StringOutput
	ResourceGroupLocation pulumi.StringOutput
	// MongoURL is the primary MongoDB connection string (a secret); empty without Cosmos.
	MongoURL pulumi.StringOutput
	// Traffic Manager profile name and FQDN; empty without TrafficManager.
	TrafficManagerProfileName pulumi.StringOutput
	TrafficManagerFQDN        pulumi.StringOutput
	// Workspace resource ID and region, and the action group's ID; empty without Monitoring.
	WorkspaceID       pulumi.StringOutput
	WorkspaceLocation pulumi.StringOutput
	ActionGroupID     pulumi.StringOutput
}

var (
	resourceGroupNameRe = regexp.MustCompile(`^[-\w._()]{0,89}[-\w_()]$`)
	cosmosAccountRe     = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,42}[a-z0-9]$`)
	dnsLabelRe          = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
)

func (a *SharedInfraArgs) validate() error {
	var errs []error
	if !resourceGroupNameRe.MatchString(a.ResourceGroupName) {
		errs = append(errs, fmt.Errorf("ResourceGroupName %q: must be 1–90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'", a.ResourceGroupName))
	}
	if !IsLocation(a.Location) {
		errs = append(errs, fmt.Errorf("Location %q: must be an Azure region's short name, e.g. japaneast", a.Location))
	}
	if a.Cosmos != nil {
		errs = append(errs, a.Cosmos.validate()...)
	}
	if a.TrafficManager != nil {
		errs = append(errs, a.TrafficManager.validate()...)
	}
	if a.Monitoring != nil {
		errs = append(errs, a.Monitoring.validate()...)
	}
	for i, u := range a.ClusterUsers {
		if u.PrincipalID == nil || (u.PrincipalType != SubjectUser && u.PrincipalType != SubjectGroup) {
			errs = append(errs, fmt.Errorf("ClusterUsers[%d]: needs a PrincipalID and a PrincipalType of User or Group", i))
		}
	}
	return errors.Join(errs...)
}

// Cosmos DB for MongoDB server versions Azure offers for new RU accounts that our app supports.
var mongoServerVersions = []string{"4.2", "5.0", "6.0", "7.0"}

// IsMongoServerVersion reports whether v is a supported Cosmos DB for MongoDB server version.
func IsMongoServerVersion(v string) bool { return slices.Contains(mongoServerVersions, v) }

// Azure's limits on BoundedStaleness for accounts that span regions.
const (
	MultiRegionMinStalenessSeconds = 300
	MultiRegionMinStalenessPrefix  = 100000
)

func (c *CosmosArgs) validate() []error {
	var errs []error
	if !cosmosAccountRe.MatchString(c.AccountName) {
		errs = append(errs, fmt.Errorf("Cosmos.AccountName %q: must be 3–44 lowercase letters, digits or hyphens, not starting or ending with a hyphen", c.AccountName))
	}
	if len(c.Regions) == 0 {
		errs = append(errs, errors.New("Cosmos.Regions: at least one region is required"))
	}
	seen := map[string]bool{}
	for _, r := range c.Regions {
		if !IsLocation(r) {
			errs = append(errs, fmt.Errorf("Cosmos.Regions %q: must be an Azure region's short name", r))
		}
		if seen[r] {
			errs = append(errs, fmt.Errorf("Cosmos.Regions %q: listed twice; each region holds one replica", r))
		}
		seen[r] = true
	}
	if !IsMongoServerVersion(c.ServerVersion) {
		errs = append(errs, fmt.Errorf("Cosmos.ServerVersion %q: must be one of %s", c.ServerVersion, strings.Join(mongoServerVersions, ", ")))
	}
	minSeconds, minPrefix := 5, 10
	if len(c.Regions) > 1 {
		minSeconds, minPrefix = MultiRegionMinStalenessSeconds, MultiRegionMinStalenessPrefix
	}
	if c.MaxIntervalInSeconds < minSeconds || c.MaxIntervalInSeconds > 86400 {
		errs = append(errs, fmt.Errorf("Cosmos.MaxIntervalInSeconds %d: must be between %d and 86400 for %d region(s)", c.MaxIntervalInSeconds, minSeconds, len(c.Regions)))
	}
	if c.MaxStalenessPrefix < minPrefix {
		errs = append(errs, fmt.Errorf("Cosmos.MaxStalenessPrefix %d: must be at least %d for %d region(s)", c.MaxStalenessPrefix, minPrefix, len(c.Regions)))
	}
	return errs
}

func (t *TrafficManagerArgs) validate() []error {
	var errs []error
	if t.ProfileName == "" || len(t.ProfileName) > 63 {
		errs = append(errs, fmt.Errorf("TrafficManager.ProfileName %q: must be 1–63 characters", t.ProfileName))
	}
	if !dnsLabelRe.MatchString(t.RelativeDNSName) {
		errs = append(errs, fmt.Errorf("TrafficManager.RelativeDNSName %q: must be a DNS label: 1–63 lowercase letters, digits or hyphens", t.RelativeDNSName))
	}
	if t.TTL < 0 || t.TTL > 2147483647 {
		errs = append(errs, fmt.Errorf("TrafficManager.TTL %d: must not be negative", t.TTL))
	}
	if !strings.HasPrefix(t.MonitorPath, "/") {
		errs = append(errs, fmt.Errorf("TrafficManager.MonitorPath %q: must start with /", t.MonitorPath))
	}
	if t.MonitorPort < 1 || t.MonitorPort > 65535 {
		errs = append(errs, fmt.Errorf("TrafficManager.MonitorPort %d: must be a TCP port", t.MonitorPort))
	}
	return errs
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
	}, pulumi.Parent(s), azureNative)
	if err != nil {
		return nil, err
	}
	s.ResourceGroupName = rg.Name
	s.ResourceGroupLocation = rg.Location
	s.MongoURL = pulumi.String("").ToStringOutput()
	s.TrafficManagerProfileName = pulumi.String("").ToStringOutput()
	s.TrafficManagerFQDN = pulumi.String("").ToStringOutput()
	s.WorkspaceID = pulumi.String("").ToStringOutput()
	s.WorkspaceLocation = pulumi.String("").ToStringOutput()
	s.ActionGroupID = pulumi.String("").ToStringOutput()

	if c := args.Cosmos; c != nil {
		opts := []pulumi.ResourceOption{pulumi.Parent(s)}
		if c.Protect {
			opts = append(opts, pulumi.Protect(true))
		}
		account, err := newMongoAccount(ctx, name+"-db", mongoAccountSpec{
			AccountName:          c.AccountName,
			ResourceGroupName:    rg.Name,
			Regions:              c.Regions,
			ServerVersion:        c.ServerVersion,
			MaxIntervalInSeconds: c.MaxIntervalInSeconds,
			MaxStalenessPrefix:   c.MaxStalenessPrefix,
			Tags:                 args.Tags,
		}, opts...)
		if err != nil {
			return nil, err
		}
		s.MongoURL = primaryMongoURL(ctx, rg.Name, account, s)
	}

	if t := args.TrafficManager; t != nil {
		profile, err := network.NewProfile(ctx, name+"-tm", &network.ProfileArgs{
			ProfileName:          pulumi.String(t.ProfileName),
			ResourceGroupName:    rg.Name,
			Location:             pulumi.String("global"),
			ProfileStatus:        pulumi.String("Enabled"),
			TrafficRoutingMethod: pulumi.String("Priority"),
			DnsConfig: &network.DnsConfigArgs{
				RelativeName: pulumi.String(t.RelativeDNSName),
				Ttl:          pulumi.Float64(float64(t.TTL)),
			},
			MonitorConfig: &network.MonitorConfigArgs{
				Protocol:                  pulumi.String("HTTP"),
				Port:                      pulumi.Float64(float64(t.MonitorPort)),
				Path:                      pulumi.String(t.MonitorPath),
				IntervalInSeconds:         pulumi.Float64(30),
				TimeoutInSeconds:          pulumi.Float64(10),
				ToleratedNumberOfFailures: pulumi.Float64(3),
			},
			TrafficViewEnrollmentStatus: pulumi.String("Disabled"),
			Tags:                        pulumi.ToStringMap(args.Tags),
		}, pulumi.Parent(s), azureNative)
		if err != nil {
			return nil, err
		}
		s.TrafficManagerProfileName = profile.Name.Elem()
		s.TrafficManagerFQDN = profile.DnsConfig.Fqdn().Elem()
	}

	if m := args.Monitoring; m != nil {
		mon, err := newSharedMonitoring(ctx, name, s, rg.Name, args.Location, m, args.Tags)
		if err != nil {
			return nil, err
		}
		s.WorkspaceID, s.WorkspaceLocation, s.ActionGroupID = mon.WorkspaceID, mon.WorkspaceLocation, mon.ActionGroupID
	}

	for i, u := range args.ClusterUsers {
		if _, err := newClusterUserRoleAssignment(ctx, fmt.Sprintf("%s-clusteruser-%d", name, i), s,
			rg.ID().ToStringOutput(), u.PrincipalID, u.PrincipalType); err != nil {
			return nil, err
		}
	}

	if err := ctx.RegisterResourceOutputs(s, pulumi.Map{
		"resourceGroupName":         s.ResourceGroupName,
		"resourceGroupLocation":     s.ResourceGroupLocation,
		"mongoUrl":                  s.MongoURL,
		"trafficManagerProfileName": s.TrafficManagerProfileName,
		"trafficManagerFqdn":        s.TrafficManagerFQDN,
		"workspaceId":               s.WorkspaceID,
		"actionGroupId":             s.ActionGroupID,
	}); err != nil {
		return nil, err
	}
	return s, nil
}
