package mocktest

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"hash/crc32"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// SubscriptionID is the fake subscription every Azure ID lives in.
const SubscriptionID = "00000000-0000-0000-0000-000000000000"

// FakeAzure answers like Azure and Kubernetes would after a successful update: each resource
// echoes its inputs plus the outputs the cloud computes, and invokes return fixed, recognisable
// values derived from their arguments.
type FakeAzure struct{}

var _ Cloud = FakeAzure{}

// armTypes maps the tokens we create to their ARM resource types, for resource IDs.
var armTypes = map[string]string{
	TypeManagedCluster:  "Microsoft.ContainerService/managedClusters",
	TypeDatabaseAccount: "Microsoft.DocumentDB/databaseAccounts",
	TypeTMProfile:       "Microsoft.Network/trafficManagerProfiles",
	TypeWorkspace:       "Microsoft.OperationalInsights/workspaces",
	TypeActionGroup:     "Microsoft.Insights/actionGroups",
	TypeDCR:             "Microsoft.Insights/dataCollectionRules",
	TypeMetricAlert:     "Microsoft.Insights/metricAlerts",
}

// armNameKeys names the input that holds the Azure name of resource group-scoped resources
// whose outputs need nothing but their name and ID.
var armNameKeys = map[string]string{
	TypeWorkspace:   "workspaceName",
	TypeActionGroup: "actionGroupName",
	TypeDCR:         "dataCollectionRuleName",
	TypeMetricAlert: "ruleName",
}

// Outputs returns the resource's ID and output properties.
func (FakeAzure) Outputs(r Resource) (string, resource.PropertyMap, error) {
	out := r.Inputs.Copy()
	str := func(k string) string {
		if v, ok := r.Inputs[resource.PropertyKey(k)]; ok && v.IsString() {
			return v.StringValue()
		}
		return ""
	}
	id := r.Name + "-id"
	switch {
	case r.Type == TypeResourceGroup:
		name := str("resourceGroupName")
		out["name"] = resource.NewProperty(name)
		id = fmt.Sprintf("/subscriptions/%s/resourceGroups/%s", SubscriptionID, name)
	case r.Type == TypeManagedCluster:
		name, rg := str("resourceName"), str("resourceGroupName")
		out["name"] = resource.NewProperty(name)
		out["nodeResourceGroup"] = resource.NewProperty(fmt.Sprintf("MC_%s_%s_%s", rg, name, str("location")))
		out["fqdn"] = resource.NewProperty(name + ".hcp." + str("location") + ".azmk8s.io")
		id = armID(rg, armTypes[r.Type], name)
	case r.Type == TypeDatabaseAccount:
		name := str("accountName")
		out["name"] = resource.NewProperty(name)
		out["documentEndpoint"] = resource.NewProperty("https://" + name + ".documents.azure.com:443/")
		id = armID(str("resourceGroupName"), armTypes[r.Type], name)
	case r.Type == TypeTMProfile:
		name := str("profileName")
		out["name"] = resource.NewProperty(name)
		if dns, ok := r.Inputs["dnsConfig"]; ok && dns.IsObject() {
			cfg := dns.ObjectValue().Copy()
			cfg["fqdn"] = resource.NewProperty(cfg["relativeName"].StringValue() + ".trafficmanager.net")
			out["dnsConfig"] = resource.NewObjectProperty(cfg)
		}
		id = armID(str("resourceGroupName"), armTypes[r.Type], name)
	case r.Type == TypeTMEndpoint:
		out["name"] = resource.NewProperty(str("endpointName"))
	case r.Type == TypeService:
		// Each cluster gets its own public IP, so tests can tell which Service an endpoint targets.
		ip := LoadBalancerIP(r.ProviderURN())
		out["status"] = resource.NewObjectProperty(resource.PropertyMap{
			"loadBalancer": resource.NewObjectProperty(resource.PropertyMap{
				"ingress": resource.NewArrayProperty([]resource.PropertyValue{
					resource.NewObjectProperty(resource.PropertyMap{"ip": resource.NewProperty(ip)}),
				}),
			}),
		})
	case armNameKeys[r.Type] != "":
		name := str(armNameKeys[r.Type])
		out["name"] = resource.NewProperty(name)
		id = armID(str("resourceGroupName"), armTypes[r.Type], name)
		switch r.Type {
		case TypeWorkspace:
			out["customerId"] = resource.NewProperty(fakeGUID("workspace " + id))
		case TypeDCR:
			out["immutableId"] = resource.NewProperty("dcr-" + strings.ReplaceAll(fakeGUID(id), "-", ""))
		}
	case r.Type == TypeDCRA:
		// An extension resource: its ID hangs off the resource it is associated with.
		name := str("associationName")
		out["name"] = resource.NewProperty(name)
		id = str("resourceUri") + "/providers/Microsoft.Insights/dataCollectionRuleAssociations/" + name
	case r.Type == TypeRoleAssignment:
		// Also an extension resource, of its scope. Azure needs a GUID name; without one the
		// fake derives it from the logical name.
		name := cmp.Or(str("roleAssignmentName"), fakeGUID(r.URN))
		out["name"] = resource.NewProperty(name)
		id = str("scope") + "/providers/Microsoft.Authorization/roleAssignments/" + name
	case r.Type == TypeEntraGroup:
		id = fakeGUID(r.URN)
		out["objectId"] = resource.NewProperty(id)
	}
	return id, out, nil
}

// Invoke answers the provider functions the program calls.
func (FakeAzure) Invoke(token string, args resource.PropertyMap) (resource.PropertyMap, error) {
	switch token {
	case TokListAdminCreds:
		return credentialResults("clusterAdmin", FakeKubeconfig(args["resourceName"].StringValue())), nil
	case TokListUserCreds:
		if f, ok := args["format"]; !ok || f.StringValue() != "exec" {
			return nil, fmt.Errorf("the fake cloud only serves exec-format user kubeconfigs")
		}
		return credentialResults("clusterUser", FakeUserKubeconfig(args["resourceName"].StringValue())), nil
	case TokListConnStrings:
		account := args["accountName"].StringValue()
		entry := func(description, cs string) resource.PropertyValue {
			return resource.NewObjectProperty(resource.PropertyMap{
				"description":      resource.NewProperty(description),
				"connectionString": resource.NewProperty(cs),
			})
		}
		return resource.PropertyMap{
			"connectionStrings": resource.NewArrayProperty([]resource.PropertyValue{
				entry("Primary MongoDB Connection String", FakeMongoURL(account)),
				entry("Secondary MongoDB Connection String", strings.Replace(FakeMongoURL(account), "primarykey", "secondarykey", 1)),
			}),
		}, nil
	}
	return nil, fmt.Errorf("the fake cloud has no answer for invoke %s", token)
}

// FakeKubeconfig is the admin kubeconfig the fake cloud returns for a cluster; its token is the
// kind of value that must never appear in plain text.
func FakeKubeconfig(cluster string) string {
	return fakeKubeconfig(cluster, "clusterAdmin", "token: "+FakeToken(cluster))
}

// credentialResults is the shape of AKS's list*Credentials answers: base64 kubeconfigs.
func credentialResults(name, kubeconfig string) resource.PropertyMap {
	return resource.PropertyMap{
		"kubeconfigs": resource.NewArrayProperty([]resource.PropertyValue{
			resource.NewObjectProperty(resource.PropertyMap{
				"name":  resource.NewProperty(name),
				"value": resource.NewProperty(base64.StdEncoding.EncodeToString([]byte(kubeconfig))),
			}),
		}),
	}
}

// FakeMongoURL is the primary MongoDB connection string the fake cloud returns for an account.
func FakeMongoURL(account string) string {
	return fmt.Sprintf("mongodb://%[1]s:%[2]s@%[1]s.mongo.cosmos.azure.com:10255/?ssl=true&replicaSet=globaldb&retrywrites=false&maxIdleTimeMS=120000&appName=@%[1]s@",
		account, FakeCosmosKey(account))
}

// FakeCosmosKey is the account key inside FakeMongoURL.
func FakeCosmosKey(account string) string {
	return "primarykey" + strings.ReplaceAll(account, "-", "") + "=="
}

// FakeUserKubeconfig is the exec-format (kubelogin, device code) kubeconfig AKS returns for an
// Entra-enabled cluster's users.
func FakeUserKubeconfig(cluster string) string {
	return fakeKubeconfig(cluster, "clusterUser", `exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: kubelogin
      args: [get-token, --environment, AzurePublicCloud, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630, --client-id, 80faf920-1908-4b52-b5ef-a8e7bedfc67a, --tenant-id, 11111111-2222-3333-4444-555555555555, --login, devicecode]`)
}

// fakeKubeconfig is a one-cluster kubeconfig whose user authenticates as userSpec says.
func fakeKubeconfig(cluster, user, userSpec string) string {
	return fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: %[1]s
  cluster:
    server: https://%[1]s.hcp.example.azmk8s.io:443
users:
- name: %[2]s_%[1]s
  user:
    %[3]s
contexts:
- name: %[1]s
  context: {cluster: %[1]s, user: %[2]s_%[1]s}
current-context: %[1]s
`, cluster, user, userSpec)
}

// FakeToken is the admin token inside FakeKubeconfig.
func FakeToken(cluster string) string { return "admintoken-" + strings.ReplaceAll(cluster, "-", "") }

// LoadBalancerIP is the public IP the fake cloud gives a Service on the cluster of providerURN.
func LoadBalancerIP(providerURN string) string {
	return fmt.Sprintf("20.%d.%d.10", crc32.ChecksumIEEE([]byte(providerURN))%200+1, len(providerURN)%200+1)
}

// fakeGUID is a GUID-shaped value derived from seed, the same on every run.
func fakeGUID(seed string) string {
	a, b := crc32.ChecksumIEEE([]byte(seed)), crc32.ChecksumIEEE([]byte(seed+"/"))
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%04x%08x", a, b>>16, b&0xfff, a>>20, a&0xffff, b)
}

func armID(rg, armType, name string) string {
	return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/%s/%s", SubscriptionID, rg, armType, name)
}
