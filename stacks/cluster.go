package stacks

import (
	"slices"
	"strings"

	"github.com/k8sbook/k8sbook/components"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// clusterSpec is what differs between the clusters of the chapters; the rest comes from config.
type clusterSpec struct {
	role              string // primary, failover
	color             string // blue, green; empty outside blue/green chapters
	resourceGroupName pulumi.StringInput
	location          pulumi.StringInput
	autoscale         bool
	// nodeOSUpgradeChannel is Unmanaged on clusters where Kured handles reboots.
	nodeOSUpgradeChannel string
	monitoring           *components.ClusterMonitoringArgs
}

// newCluster builds one AKS cluster named {prefix}-k8sbook-{chapter}-aks[-{color}]-{role}.
func (e *env) newCluster(ctx *pulumi.Context, spec clusterSpec) (*components.AKSCluster, error) {
	args := &components.AKSClusterArgs{
		ResourceGroupName:    spec.resourceGroupName,
		Location:             spec.location,
		ClusterName:          e.names.of(nonEmpty("aks", spec.color, spec.role)...),
		KubernetesVersion:    e.cfg.KubernetesVersion,
		VMSize:               e.cfg.NodeVMSize,
		NodeCount:            e.cfg.NodeCount,
		NodeOSUpgradeChannel: spec.nodeOSUpgradeChannel,
		Tags:                 e.names.tags(),
		EntraID:              e.entraID(),
		Monitoring:           spec.monitoring,
	}
	if spec.autoscale {
		a := e.cfg.Autoscale
		args.Autoscale = &components.Autoscale{
			MinCount:               a.MinCount,
			MaxCount:               a.MaxCount,
			ScanInterval:           a.ScanInterval,
			ScaleDownDelayAfterAdd: a.ScaleDownDelayAfterAdd,
			ScaleDownUnneededTime:  a.ScaleDownUnneededTime,
		}
	}
	return components.NewAKSCluster(ctx, logicalName(spec.color, spec.role), args)
}

// newPrimaryCluster is the one cluster of a single-cluster chapter, in the shared resource group.
func (e *env) newPrimaryCluster(ctx *pulumi.Context, shared *components.SharedInfra, spec clusterSpec) (*components.AKSCluster, error) {
	spec.role = "primary"
	spec.resourceGroupName = shared.ResourceGroupName
	spec.location = shared.ResourceGroupLocation
	return e.newCluster(ctx, spec)
}

// newShared is the chapter's resource group {prefix}-k8sbook-{chapter}-rg in k8sbook:location,
// with the optional parts the chapter sets in parts.
func (e *env) newShared(ctx *pulumi.Context, parts components.SharedInfraArgs) (*components.SharedInfra, error) {
	parts.ResourceGroupName = e.names.of("rg")
	parts.Location = e.cfg.Location
	parts.Tags = e.names.tags()
	return components.NewSharedInfra(ctx, "shared", &parts)
}

// entraID is AKS-managed Entra ID from k8sbook:aad; nil without it (Kubernetes RBAC only).
func (e *env) entraID() *components.EntraID {
	a := e.cfg.AAD
	if a == nil {
		return nil
	}
	return &components.EntraID{
		AdminGroupObjectIDs:  a.AdminGroupObjectIDs,
		EnableAzureRBAC:      a.AzureRBAC,
		TenantID:             a.TenantID,
		DisableLocalAccounts: a.DisableLocalAccounts,
	}
}

// exportCluster exports a cluster's name, kubeconfig (secret) and the az command that fetches
// credentials; key prefixes the output names when a stack has several clusters.
func exportCluster(ctx *pulumi.Context, key string, rg pulumi.StringInput, c *components.AKSCluster) {
	ctx.Export(outputName(key, "clusterName"), c.ClusterName)
	ctx.Export(outputName(key, "kubeconfig"), c.Kubeconfig)
	ctx.Export(outputName(key, "getCredentialsCommand"),
		pulumi.Sprintf("az aks get-credentials --resource-group %s --name %s", rg, c.ClusterName))
}

// outputName is "name" without a key and "keyName" with one (failoverClusterName).
func outputName(key, name string) string {
	if key == "" {
		return name
	}
	return key + strings.ToUpper(name[:1]) + name[1:]
}

// logicalName joins the non-empty parts with "-": the component name (primary, blue-primary).
func logicalName(parts ...string) string {
	return strings.Join(nonEmpty(parts...), "-")
}

func nonEmpty(parts ...string) []string {
	return slices.DeleteFunc(slices.Clone(parts), func(p string) bool { return p == "" })
}
