package components

import (
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-azure-native-sdk/insights/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/operationalinsights/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Chapter 12's monitoring: a Log Analytics workspace and the action group `critical` shared by
// every cluster, and per cluster Container Insights (a data collection rule and its association)
// and the pending-pods metric alert.

const (
	// ActionGroupName is the book's action group, also its short name (at most 12 characters).
	ActionGroupName = "critical"
	// DefaultRetentionInDays is the workspace retention when none is given; PerGB2018 includes
	// 31 days of retention in its price.
	DefaultRetentionInDays = 30
	MinRetentionInDays     = 30
	MaxRetentionInDays     = 730

	workspaceSKU = "PerGB2018"

	containerInsightsStream      = "Microsoft-ContainerInsights-Group-Default"
	containerInsightsExtension   = "ContainerInsights"
	containerInsightsSourceName  = "ContainerInsightsExtension"
	containerInsightsDestination = "ciworkspace"
	// containerInsightsAssociation is the association name Azure's own onboarding uses; the
	// portal's Insights blade looks for it.
	containerInsightsAssociation = "ContainerInsightsExtension"
	dataCollectionRuleMaxLen     = 64
)

// MonitoringArgs describes the shared half of monitoring.
type MonitoringArgs struct {
	// WorkspaceName is the Log Analytics workspace's name, e.g. tm99-k8sbook-ch12-workspace.
	WorkspaceName string
	// AdminEmail receives the alerts of action group `critical`.
	AdminEmail string
	// RetentionInDays is the workspace's retention, 30–730; 0 = 30.
	RetentionInDays int
}

// workspaceNameRe is Log Analytics' rule: 4–63 letters, digits and hyphens, alphanumeric at both ends.
var workspaceNameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$`)

// IsWorkspaceName reports whether s is a valid Log Analytics workspace name.
func IsWorkspaceName(s string) bool { return workspaceNameRe.MatchString(s) }

// IsEmailAddress reports whether s is a bare email address (no display name, no angle brackets)
// with a dotted domain, such as admin@example.com.
func IsEmailAddress(s string) bool {
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s {
		return false
	}
	_, domain, _ := strings.Cut(s, "@")
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

func (a *MonitoringArgs) validate() []error {
	var errs []error
	if !IsWorkspaceName(a.WorkspaceName) {
		errs = append(errs, fmt.Errorf("WorkspaceName %q: must be 4–63 letters, digits or hyphens, starting and ending with a letter or digit", a.WorkspaceName))
	}
	if !IsEmailAddress(a.AdminEmail) {
		errs = append(errs, fmt.Errorf("AdminEmail %q: must be an email address such as admin@example.com", a.AdminEmail))
	}
	if a.RetentionInDays != 0 && (a.RetentionInDays < MinRetentionInDays || a.RetentionInDays > MaxRetentionInDays) {
		errs = append(errs, fmt.Errorf("RetentionInDays %d: must be between %d and %d (0 = %d)",
			a.RetentionInDays, MinRetentionInDays, MaxRetentionInDays, DefaultRetentionInDays))
	}
	return errs
}

// sharedMonitoring is what the clusters need from the shared half.
type sharedMonitoring struct {
	WorkspaceID       pulumi.StringOutput
	WorkspaceLocation pulumi.StringOutput
	ActionGroupID     pulumi.StringOutput
}

// newSharedMonitoring creates the Log Analytics workspace and the action group `critical` as
// children of parent. Call args.validate first.
func newSharedMonitoring(ctx *pulumi.Context, name string, parent pulumi.Resource, resourceGroupName pulumi.StringInput,
	location string, args *MonitoringArgs, tags map[string]string) (*sharedMonitoring, error) {
	retention := args.RetentionInDays
	if retention == 0 {
		retention = DefaultRetentionInDays
	}
	workspace, err := operationalinsights.NewWorkspace(ctx, name+"-workspace", &operationalinsights.WorkspaceArgs{
		WorkspaceName:     pulumi.String(args.WorkspaceName),
		ResourceGroupName: resourceGroupName,
		Location:          pulumi.String(location),
		Sku:               &operationalinsights.WorkspaceSkuArgs{Name: pulumi.String(workspaceSKU)},
		RetentionInDays:   pulumi.Int(retention),
		Tags:              pulumi.ToStringMap(tags),
	}, pulumi.Parent(parent), azureNative)
	if err != nil {
		return nil, err
	}

	group, err := insights.NewActionGroup(ctx, name+"-action-group", &insights.ActionGroupArgs{
		ActionGroupName:   pulumi.String(ActionGroupName),
		GroupShortName:    pulumi.String(ActionGroupName),
		ResourceGroupName: resourceGroupName,
		Location:          pulumi.String("global"),
		Enabled:           pulumi.Bool(true),
		EmailReceivers: insights.EmailReceiverArray{insights.EmailReceiverArgs{
			Name:                 pulumi.String("admin"),
			EmailAddress:         pulumi.String(args.AdminEmail),
			UseCommonAlertSchema: pulumi.Bool(true),
		}},
		Tags: pulumi.ToStringMap(tags),
	}, pulumi.Parent(parent), azureNative)
	if err != nil {
		return nil, err
	}

	return &sharedMonitoring{
		WorkspaceID:       workspace.ID().ToStringOutput(),
		WorkspaceLocation: workspace.Location,
		ActionGroupID:     group.ID().ToStringOutput(),
	}, nil
}

// ClusterMonitoringArgs connects one cluster to the shared monitoring.
type ClusterMonitoringArgs struct {
	// WorkspaceResourceID is the Log Analytics workspace's resource ID (required).
	WorkspaceResourceID pulumi.StringInput
	// WorkspaceLocation is the workspace's region (required): Azure's own onboarding puts the
	// cluster's data collection rule there and names it MSCI-<region>-<cluster>.
	WorkspaceLocation pulumi.StringInput
	// ActionGroupID receives the pending-pods alert; nil creates no alert.
	ActionGroupID pulumi.StringInput
}

func (a *ClusterMonitoringArgs) validate() []error {
	var errs []error
	if a.WorkspaceResourceID == nil {
		errs = append(errs, errors.New("Monitoring.WorkspaceResourceID: required"))
	}
	if a.WorkspaceLocation == nil {
		errs = append(errs, errors.New("Monitoring.WorkspaceLocation: required"))
	}
	return errs
}

// dataCollectionRuleName is Azure's name for a cluster's Container Insights rule, cut to the
// 64 characters a rule name may have and never ending in a hyphen.
func dataCollectionRuleName(location, clusterName string) string {
	n := "MSCI-" + location + "-" + clusterName
	if len(n) > dataCollectionRuleMaxLen {
		n = n[:dataCollectionRuleMaxLen]
	}
	return strings.TrimRight(n, "-")
}

// pendingPodsAlertName is the book's alert name for a cluster.
func pendingPodsAlertName(clusterName string) string { return "pending_pods_" + clusterName }

// newClusterMonitoring sends the cluster's Container Insights data to the workspace (a data
// collection rule and its association with the cluster, which the monitoring add-on with
// managed-identity auth needs) and, with an action group, adds the pending-pods alert. Its
// resources are children of parent; call args.validate first. clusterID must come from the
// ManagedCluster, so everything here is created after the cluster.
func newClusterMonitoring(ctx *pulumi.Context, name string, parent pulumi.Resource, resourceGroupName pulumi.StringInput,
	clusterName string, clusterID pulumi.StringInput, args *ClusterMonitoringArgs, tags map[string]string) error {
	ruleName := args.WorkspaceLocation.ToStringOutput().ApplyT(func(location string) string {
		return dataCollectionRuleName(location, clusterName)
	}).(pulumi.StringOutput)
	rule, err := insights.NewDataCollectionRule(ctx, name+"-monitoring-dcr", &insights.DataCollectionRuleArgs{
		DataCollectionRuleName: ruleName,
		ResourceGroupName:      resourceGroupName,
		Location:               args.WorkspaceLocation.ToStringOutput(),
		Kind:                   pulumi.String("Linux"),
		Description:            pulumi.String("Container Insights data of " + clusterName),
		DataSources: &insights.DataCollectionRuleDataSourcesArgs{
			Extensions: insights.ExtensionDataSourceArray{insights.ExtensionDataSourceArgs{
				Name:          pulumi.String(containerInsightsSourceName),
				ExtensionName: pulumi.String(containerInsightsExtension),
				Streams:       pulumi.ToStringArray([]string{containerInsightsStream}),
				ExtensionSettings: pulumi.Map{
					"dataCollectionSettings": pulumi.Map{
						"interval":               pulumi.String("1m"),
						"namespaceFilteringMode": pulumi.String("Off"),
						"enableContainerLogV2":   pulumi.Bool(true),
					},
				},
			}},
		},
		Destinations: &insights.DataCollectionRuleDestinationsArgs{
			LogAnalytics: insights.LogAnalyticsDestinationArray{insights.LogAnalyticsDestinationArgs{
				Name:                pulumi.String(containerInsightsDestination),
				WorkspaceResourceId: args.WorkspaceResourceID,
			}},
		},
		DataFlows: insights.DataFlowArray{insights.DataFlowArgs{
			Streams:      pulumi.ToStringArray([]string{containerInsightsStream}),
			Destinations: pulumi.ToStringArray([]string{containerInsightsDestination}),
		}},
		Tags: pulumi.ToStringMap(tags),
	}, pulumi.Parent(parent), azureNative)
	if err != nil {
		return err
	}

	if _, err := insights.NewDataCollectionRuleAssociation(ctx, name+"-monitoring-dcra", &insights.DataCollectionRuleAssociationArgs{
		AssociationName:      pulumi.String(containerInsightsAssociation),
		ResourceUri:          clusterID,
		DataCollectionRuleId: rule.ID().ToStringOutput(),
		Description:          pulumi.String("Sends the cluster's Container Insights data to the rule's workspace"),
	}, pulumi.Parent(parent), azureNative); err != nil {
		return err
	}

	if args.ActionGroupID == nil {
		return nil
	}
	// Pods are Pending for a moment whenever they are scheduled, so creating or deleting
	// workloads (and the cluster itself) can fire this alert; the book warns about it too.
	_, err = insights.NewMetricAlert(ctx, name+"-pending-pods-alert", &insights.MetricAlertArgs{
		RuleName:            pulumi.String(pendingPodsAlertName(clusterName)),
		ResourceGroupName:   resourceGroupName,
		Location:            pulumi.String("global"),
		Description:         pulumi.String("Pods are Pending on " + clusterName),
		Scopes:              pulumi.StringArray{clusterID},
		Severity:            pulumi.Int(3),
		Enabled:             pulumi.Bool(true),
		AutoMitigate:        pulumi.Bool(true),
		EvaluationFrequency: pulumi.String("PT1M"),
		WindowSize:          pulumi.String("PT5M"),
		Criteria: insights.MetricAlertSingleResourceMultipleMetricCriteriaArgs{
			OdataType: pulumi.String("Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria"),
			AllOf: insights.MetricCriteriaArray{insights.MetricCriteriaArgs{
				Name:            pulumi.String("pending"),
				CriterionType:   pulumi.String("StaticThresholdCriterion"),
				MetricNamespace: pulumi.String("Microsoft.ContainerService/managedClusters"),
				MetricName:      pulumi.String("kube_pod_status_phase"),
				Operator:        pulumi.String("GreaterThan"),
				Threshold:       pulumi.Float64(0),
				TimeAggregation: pulumi.String("Total"),
				Dimensions: insights.MetricDimensionArray{insights.MetricDimensionArgs{
					Name:     pulumi.String("phase"),
					Operator: pulumi.String("Include"),
					Values:   pulumi.ToStringArray([]string{"Pending"}),
				}},
			}},
		},
		Actions: insights.MetricAlertActionArray{insights.MetricAlertActionArgs{ActionGroupId: args.ActionGroupID}},
		Tags:    pulumi.ToStringMap(tags),
	}, pulumi.Parent(parent), azureNative)
	return err
}
