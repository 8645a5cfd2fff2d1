package components

import (
	"errors"
	"fmt"

	cs "github.com/pulumi/pulumi-azure-native-sdk/containerservice/v2/v20241001"
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Node OS upgrade channels. Kured only makes sense with Unmanaged: with any other channel AKS
// patches and reboots the nodes itself and the two mechanisms would fight over reboots.
const (
	NodeOSUpgradeNodeImage = "NodeImage"
	NodeOSUpgradeUnmanaged = "Unmanaged"
)

// systemPoolName is the book's node pool name; the autoscaler docs of the book refer to it.
const systemPoolName = "default"

// AKSClusterArgs describes one managed cluster.
type AKSClusterArgs struct {
	ResourceGroupName pulumi.StringInput // required
	Location          pulumi.StringInput // required
	// ClusterName is the Azure name of the cluster and its DNS prefix (1–54 chars).
	ClusterName string
	// KubernetesVersion is "1.x" or "1.x.y"; empty lets AKS pick its default.
	KubernetesVersion string
	VMSize            string
	// NodeCount is the fixed size of the system pool; ignored when Autoscale is set.
	NodeCount int
	// Autoscale turns on Azure's built-in cluster autoscaler for the system pool.
	Autoscale *Autoscale
	// NodeOSUpgradeChannel is NodeImage (default) or Unmanaged (for clusters that run Kured).
	NodeOSUpgradeChannel string
	// EntraID enables AKS-managed Microsoft Entra ID; nil builds a cluster with Kubernetes RBAC only.
	EntraID *EntraID
	// Monitoring enables the monitoring add-on, sends Container Insights data to the shared
	// workspace and, with an action group, adds the pending-pods alert; nil leaves it off.
	Monitoring *ClusterMonitoringArgs
	Tags       map[string]string
}

// Autoscale bounds the system pool and tunes the cluster autoscaler profile.
type Autoscale struct {
	MinCount int
	MaxCount int
	// Durations in the autoscaler's own format ("10s", "10m"); empty keeps the AKS default.
	ScanInterval           string
	ScaleDownDelayAfterAdd string
	ScaleDownUnneededTime  string
}

// EntraID configures AKS-managed Microsoft Entra ID integration.
type EntraID struct {
	AdminGroupObjectIDs []string
	// EnableAzureRBAC lets Azure role assignments authorize Kubernetes requests. Changing it
	// makes Azure replace the cluster.
	EnableAzureRBAC bool
	TenantID        string // empty = the subscription's tenant
	// DisableLocalAccounts removes the admin credentials. The provider then logs in through
	// kubelogin with the Azure CLI's identity, which needs kubelogin on the PATH and `az login`.
	DisableLocalAccounts bool
}

// AKSCluster is a managed cluster with a system-assigned identity and a Kubernetes provider built
// from its admin credentials.
type AKSCluster struct {
	pulumi.ResourceState

	ClusterName       pulumi.StringOutput
	ClusterID         pulumi.IDOutput
	NodeResourceGroup pulumi.StringOutput
	// Kubeconfig is the admin kubeconfig (a secret).
	Kubeconfig pulumi.StringOutput
	// Provider deploys Kubernetes objects to this cluster; pass it with pulumi.Providers.
	Provider *kubernetes.Provider
}

func (a *AKSClusterArgs) validate() error {
	var errs []error
	if a.ResourceGroupName == nil {
		errs = append(errs, errors.New("ResourceGroupName: required"))
	}
	if a.Location == nil {
		errs = append(errs, errors.New("Location: required"))
	}
	if !clusterNameRe.MatchString(a.ClusterName) {
		errs = append(errs, fmt.Errorf("ClusterName %q: must be 2–54 letters, digits or hyphens, starting and ending with a letter or digit", a.ClusterName))
	}
	if a.KubernetesVersion != "" && !IsKubernetesVersion(a.KubernetesVersion) {
		errs = append(errs, fmt.Errorf("KubernetesVersion %q: must be empty or 1.<minor>[.<patch>]", a.KubernetesVersion))
	}
	if !IsVMSize(a.VMSize) {
		errs = append(errs, fmt.Errorf("VMSize %q: must be an Azure VM size such as Standard_D2s_v3", a.VMSize))
	}
	switch a.NodeOSUpgradeChannel {
	case "", NodeOSUpgradeNodeImage, NodeOSUpgradeUnmanaged:
	default:
		errs = append(errs, fmt.Errorf("NodeOSUpgradeChannel %q: must be %s or %s", a.NodeOSUpgradeChannel, NodeOSUpgradeNodeImage, NodeOSUpgradeUnmanaged))
	}
	if a.Autoscale == nil {
		if a.NodeCount < 1 || a.NodeCount > MaxPoolNodes {
			errs = append(errs, fmt.Errorf("NodeCount %d: must be between 1 and %d", a.NodeCount, MaxPoolNodes))
		}
	} else {
		errs = append(errs, a.Autoscale.validate()...)
	}
	if a.Monitoring != nil {
		errs = append(errs, a.Monitoring.validate()...)
	}
	return errors.Join(errs...)
}

func (s *Autoscale) validate() []error {
	var errs []error
	if s.MinCount < 1 || s.MinCount > MaxPoolNodes {
		errs = append(errs, fmt.Errorf("Autoscale.MinCount %d: must be between 1 and %d", s.MinCount, MaxPoolNodes))
	}
	if s.MaxCount < s.MinCount || s.MaxCount > MaxPoolNodes {
		errs = append(errs, fmt.Errorf("Autoscale.MaxCount %d: must be between MinCount (%d) and %d", s.MaxCount, s.MinCount, MaxPoolNodes))
	}
	for field, v := range map[string]string{
		"ScanInterval":           s.ScanInterval,
		"ScaleDownDelayAfterAdd": s.ScaleDownDelayAfterAdd,
		"ScaleDownUnneededTime":  s.ScaleDownUnneededTime,
	} {
		if v != "" && !IsAutoscalerDuration(v) {
			errs = append(errs, fmt.Errorf("Autoscale.%s %q: must be a whole number of s, m or h, e.g. 10s", field, v))
		}
	}
	return errs
}

// NewAKSCluster creates the managed cluster, reads its admin credentials and builds a Kubernetes
// provider from them.
func NewAKSCluster(ctx *pulumi.Context, name string, args *AKSClusterArgs, opts ...pulumi.ResourceOption) (*AKSCluster, error) {
	if args == nil {
		return nil, errors.New("AKSCluster: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("AKSCluster %s: %w", name, err)
	}
	c := &AKSCluster{}
	if err := ctx.RegisterComponentResource("k8sbook:components:AKSCluster", name, c, opts...); err != nil {
		return nil, err
	}

	clusterOpts := []pulumi.ResourceOption{pulumi.Parent(c), azureNative}
	if args.Autoscale != nil {
		// The autoscaler owns the node count after creation; without this every `pulumi up`
		// would scale the pool back to its initial size.
		clusterOpts = append(clusterOpts, pulumi.IgnoreChanges([]string{"agentPoolProfiles[0].count"}))
	}
	cluster, err := cs.NewManagedCluster(ctx, name+"-aks", args.clusterArgs(), clusterOpts...)
	if err != nil {
		return nil, err
	}

	if args.Monitoring != nil {
		if err := newClusterMonitoring(ctx, name, c, args.ResourceGroupName, args.ClusterName,
			cluster.ID().ToStringOutput(), args.Monitoring, args.Tags); err != nil {
			return nil, err
		}
	}

	kubeconfig := pulumi.ToSecret(args.credentials(ctx, c, cluster)).(pulumi.StringOutput)

	provider, err := kubernetes.NewProvider(ctx, name+"-k8s", &kubernetes.ProviderArgs{
		Kubeconfig: kubeconfig,
		// Lets `pulumi destroy` finish when the cluster (and so its objects) is already gone.
		DeleteUnreachable: pulumi.Bool(true),
	}, pulumi.Parent(c))
	if err != nil {
		return nil, err
	}

	c.ClusterName = cluster.Name
	c.ClusterID = cluster.ID()
	c.NodeResourceGroup = cluster.NodeResourceGroup.Elem()
	c.Kubeconfig = kubeconfig
	c.Provider = provider
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"clusterName":       c.ClusterName,
		"clusterId":         c.ClusterID,
		"nodeResourceGroup": c.NodeResourceGroup,
		"kubeconfig":        c.Kubeconfig,
	}); err != nil {
		return nil, err
	}
	return c, nil
}

// credentials reads the kubeconfig the provider uses: the admin one while local accounts exist,
// else the Entra user one rewritten for a non-interactive kubelogin.
func (a *AKSClusterArgs) credentials(ctx *pulumi.Context, parent pulumi.Resource, cluster *cs.ManagedCluster) pulumi.StringOutput {
	if a.EntraID != nil && a.EntraID.DisableLocalAccounts {
		creds := cs.ListManagedClusterUserCredentialsOutput(ctx, cs.ListManagedClusterUserCredentialsOutputArgs{
			ResourceGroupName: a.ResourceGroupName,
			ResourceName:      cluster.Name,
			Format:            pulumi.String("exec"),
		}, pulumi.Parent(parent), azureNative)
		return creds.Kubeconfigs().Index(pulumi.Int(0)).Value().ApplyT(func(encoded string) (string, error) {
			kubeconfig, err := decodeKubeconfig(encoded)
			if err != nil {
				return "", err
			}
			return kubeloginAzureCLI(kubeconfig)
		}).(pulumi.StringOutput)
	}
	creds := cs.ListManagedClusterAdminCredentialsOutput(ctx, cs.ListManagedClusterAdminCredentialsOutputArgs{
		ResourceGroupName: a.ResourceGroupName,
		ResourceName:      cluster.Name,
	}, pulumi.Parent(parent), azureNative)
	return creds.Kubeconfigs().Index(pulumi.Int(0)).Value().ApplyT(decodeKubeconfig).(pulumi.StringOutput)
}

func (a *AKSClusterArgs) clusterArgs() *cs.ManagedClusterArgs {
	pool := cs.ManagedClusterAgentPoolProfileArgs{
		Name:   pulumi.String(systemPoolName),
		Mode:   pulumi.String(string(cs.AgentPoolModeSystem)),
		OsType: pulumi.String(string(cs.OSTypeLinux)),
		Type:   pulumi.String(string(cs.AgentPoolTypeVirtualMachineScaleSets)),
		VmSize: pulumi.String(a.VMSize),
		Count:  pulumi.Int(a.NodeCount),
	}
	if a.KubernetesVersion != "" {
		pool.OrchestratorVersion = pulumi.String(a.KubernetesVersion)
	}
	var autoscalerProfile cs.ManagedClusterPropertiesAutoScalerProfilePtrInput
	if s := a.Autoscale; s != nil {
		// AKS still wants an initial count for an autoscaled pool; it is ignored afterwards.
		pool.Count = pulumi.Int(s.MinCount)
		pool.EnableAutoScaling = pulumi.Bool(true)
		pool.MinCount = pulumi.Int(s.MinCount)
		pool.MaxCount = pulumi.Int(s.MaxCount)
		autoscalerProfile = &cs.ManagedClusterPropertiesAutoScalerProfileArgs{
			ScanInterval:           optString(s.ScanInterval),
			ScaleDownDelayAfterAdd: optString(s.ScaleDownDelayAfterAdd),
			ScaleDownUnneededTime:  optString(s.ScaleDownUnneededTime),
		}
	}

	channel := a.NodeOSUpgradeChannel
	if channel == "" {
		channel = NodeOSUpgradeNodeImage
	}

	args := &cs.ManagedClusterArgs{
		ResourceGroupName: a.ResourceGroupName,
		Location:          a.Location,
		ResourceName:      pulumi.String(a.ClusterName),
		DnsPrefix:         pulumi.String(a.ClusterName),
		KubernetesVersion: optString(a.KubernetesVersion),
		Identity: &cs.ManagedClusterIdentityArgs{
			Type: cs.ResourceIdentityTypeSystemAssigned,
		},
		EnableRBAC:        pulumi.Bool(true),
		AgentPoolProfiles: cs.ManagedClusterAgentPoolProfileArray{pool},
		AutoScalerProfile: autoscalerProfile,
		AutoUpgradeProfile: &cs.ManagedClusterAutoUpgradeProfileArgs{
			NodeOSUpgradeChannel: pulumi.String(channel),
		},
		NetworkProfile: &cs.ContainerServiceNetworkProfileArgs{
			NetworkPlugin:     pulumi.String(string(cs.NetworkPluginAzure)),
			NetworkPluginMode: pulumi.String(string(cs.NetworkPluginModeOverlay)),
			LoadBalancerSku:   pulumi.String(string(cs.LoadBalancerSkuStandard)),
		},
		Sku: &cs.ManagedClusterSKUArgs{
			Name: pulumi.String(string(cs.ManagedClusterSKUNameBase)),
			Tier: pulumi.String(string(cs.ManagedClusterSKUTierFree)),
		},
		Tags: pulumi.ToStringMap(a.Tags),
	}
	if e := a.EntraID; e != nil {
		args.AadProfile = &cs.ManagedClusterAADProfileArgs{
			Managed:             pulumi.Bool(true),
			EnableAzureRBAC:     pulumi.Bool(e.EnableAzureRBAC),
			AdminGroupObjectIDs: pulumi.ToStringArray(e.AdminGroupObjectIDs),
			TenantID:            optString(e.TenantID),
		}
		args.DisableLocalAccounts = pulumi.Bool(e.DisableLocalAccounts)
	}
	if m := a.Monitoring; m != nil {
		args.AddonProfiles = cs.ManagedClusterAddonProfileMap{
			"omsagent": cs.ManagedClusterAddonProfileArgs{
				Enabled: pulumi.Bool(true),
				Config: pulumi.StringMap{
					"logAnalyticsWorkspaceResourceID": m.WorkspaceResourceID,
					"useAADAuth":                      pulumi.String("true"),
				},
			},
		}
	}
	return args
}

// optString leaves a property unset instead of sending an empty string to Azure.
func optString(s string) pulumi.StringPtrInput {
	if s == "" {
		return nil
	}
	return pulumi.String(s)
}
