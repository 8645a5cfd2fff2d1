package mocktest

// The type tokens and invoke tokens the program registers and calls, named once for the fake
// cloud and for every test that looks resources up.
const (
	TypeResourceGroup   = "azure-native:resources:ResourceGroup"
	TypeManagedCluster  = "azure-native:containerservice/v20241001:ManagedCluster"
	TypeDatabaseAccount = "azure-native:documentdb:DatabaseAccount"
	TypeTMProfile       = "azure-native:network:Profile"
	TypeTMEndpoint      = "azure-native:network:Endpoint"
	TypeWorkspace       = "azure-native:operationalinsights:Workspace"
	TypeActionGroup     = "azure-native:insights:ActionGroup"
	TypeDCR             = "azure-native:insights:DataCollectionRule"
	TypeDCRA            = "azure-native:insights:DataCollectionRuleAssociation"
	TypeMetricAlert     = "azure-native:insights:MetricAlert"
	TypeRoleAssignment  = "azure-native:authorization:RoleAssignment"
	TypeEntraGroup      = "azuread:index/group:Group"
	TypeK8sProvider     = "pulumi:providers:kubernetes"
	TypeStackReference  = "pulumi:pulumi:StackReference"
	TypeDeployment      = "kubernetes:apps/v1:Deployment"
	TypeSecret          = "kubernetes:core/v1:Secret"
	TypeService         = "kubernetes:core/v1:Service"
	TypeNamespace       = "kubernetes:core/v1:Namespace"
	TypeLimitRange      = "kubernetes:core/v1:LimitRange"
	TypeServiceAccount  = "kubernetes:core/v1:ServiceAccount"
	TypePod             = "kubernetes:core/v1:Pod"
	TypePDB             = "kubernetes:policy/v1:PodDisruptionBudget"
	TypeRole            = "kubernetes:rbac.authorization.k8s.io/v1:Role"
	TypeRoleBinding     = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding"
	TypeHelmRelease     = "kubernetes:helm.sh/v3:Release"
	TokListAdminCreds   = "azure-native:containerservice/v20241001:listManagedClusterAdminCredentials"
	TokListUserCreds    = "azure-native:containerservice/v20241001:listManagedClusterUserCredentials"
	TokListConnStrings  = "azure-native:documentdb:listDatabaseAccountConnectionStrings"
)
