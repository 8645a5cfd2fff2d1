package stacks

import (
	"strings"
	"testing"

	"github.com/k8sbook/k8sbook/components"
	"github.com/k8sbook/k8sbook/internal/mocktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	adminGroup = "0f0f0f0f-1111-2222-3333-444444444444"
	devUser    = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
	devUPN     = "developer@contoso.com"
)

func aadConfig(extra string) configEdit {
	return set("aad", `{"adminGroupObjectIds":["`+adminGroup+`"],"developerObjectId":"`+devUser+`","developerUserPrincipalName":"`+devUPN+`"`+extra+`}`)
}

func TestCh11WithoutEntraID(t *testing.T) {
	res := runStack(t, "ch11")
	require.NoError(t, res.Err)
	cluster := mocktest.MustLookup(t, res, mocktest.TypeManagedCluster, "primary-aks")
	provider := mocktest.MustLookup(t, res, mocktest.TypeK8sProvider, "primary-k8s")
	_, hasAAD := cluster.Input("aadProfile")
	assert.False(t, hasAAD, "the book's no-AAD path")
	assert.Empty(t, res.OfType(mocktest.TypeRoleAssignment), "no Entra principal to assign")

	binding := mocktest.MustLookup(t, res, mocktest.TypeRoleBinding, "primary-tenant-dev-rolebinding")
	mocktest.AssertInput(t, binding, "subjects[0].kind", "User")
	mocktest.AssertInput(t, binding, "subjects[0].name", noAADDeveloper)
	mocktest.AssertInput(t, mocktest.MustLookup(t, res, mocktest.TypeLimitRange, "primary-tenant-limitrange"), "metadata.name", "mem-max-500mi")
	stress := mocktest.MustLookup(t, res, mocktest.TypePod, "primary-tenant-stress")
	for _, typ := range []string{mocktest.TypeRole, mocktest.TypeRoleBinding, mocktest.TypeLimitRange, mocktest.TypePod} {
		for _, r := range res.OfType(typ) {
			assert.Equal(t, provider.URN, r.ProviderURN(), "%s %s goes to the ch11 cluster", r.Type, r.Name)
		}
	}
	mocktest.AssertInput(t, stress, "metadata.name", "stress")
	assert.Equal(t, "k8sbook", res.Outputs["namespace"].Value)
}

func TestCh11StressIsGated(t *testing.T) {
	res := runStack(t, "ch11", set("stress", "false"))
	require.NoError(t, res.Err)
	assert.Empty(t, res.OfType(mocktest.TypePod))
}

func TestCh11WithEntraID(t *testing.T) {
	res := runStack(t, "ch11", aadConfig(`,"azureRbac":true`))
	require.NoError(t, res.Err)
	cluster := mocktest.MustLookup(t, res, mocktest.TypeManagedCluster, "primary-aks")
	rg := mocktest.MustLookup(t, res, mocktest.TypeResourceGroup, "shared-rg")
	mocktest.AssertInput(t, cluster, "aadProfile.managed", true)
	mocktest.AssertInput(t, cluster, "aadProfile.enableAzureRBAC", true)
	mocktest.AssertInput(t, cluster, "aadProfile.adminGroupObjectIDs", []any{adminGroup})
	mocktest.AssertInput(t, cluster, "disableLocalAccounts", false)
	_, legacy := cluster.Input("aadProfile.serverAppSecret")
	assert.False(t, legacy, "no legacy client/server apps")

	assignments := res.OfType(mocktest.TypeRoleAssignment)
	require.Len(t, assignments, 1)
	a := assignments[0]
	mocktest.AssertInput(t, a, "principalId", devUser)
	mocktest.AssertInput(t, a, "principalType", "User")
	mocktest.AssertInput(t, a, "scope", "/subscriptions/"+mocktest.SubscriptionID+"/resourceGroups/tm99-k8sbook-ch11-rg")
	mocktest.AssertInput(t, a, "roleDefinitionId", "/subscriptions/"+mocktest.SubscriptionID+
		"/providers/Microsoft.Authorization/roleDefinitions/"+components.ClusterUserRoleID)
	assert.Contains(t, a.Dependencies, rg.URN)

	binding := mocktest.MustLookup(t, res, mocktest.TypeRoleBinding, "primary-tenant-dev-rolebinding")
	mocktest.AssertInput(t, binding, "subjects[0].kind", "User")
	mocktest.AssertInput(t, binding, "subjects[0].name", devUPN)
}

func TestCh11GroupDeveloper(t *testing.T) {
	res := runStack(t, "ch11", set("aad", `{"developerObjectId":"`+devUser+`","developerKind":"Group"}`))
	require.NoError(t, res.Err)
	binding := mocktest.MustLookup(t, res, mocktest.TypeRoleBinding, "primary-tenant-dev-rolebinding")
	mocktest.AssertInput(t, binding, "subjects[0].kind", "Group")
	mocktest.AssertInput(t, binding, "subjects[0].name", devUser)
	mocktest.AssertInput(t, res.OfType(mocktest.TypeRoleAssignment)[0], "principalType", "Group")
}

func TestCh11CreateDevGroup(t *testing.T) {
	res := runStack(t, "ch11", aadConfig(`,"createDevGroup":true`))
	require.NoError(t, res.Err)
	group := mocktest.MustLookup(t, res, mocktest.TypeEntraGroup, "developers")
	mocktest.AssertInput(t, group, "members", []any{devUser})
	mocktest.AssertInput(t, group, "securityEnabled", true)
	binding := mocktest.MustLookup(t, res, mocktest.TypeRoleBinding, "primary-tenant-dev-rolebinding")
	mocktest.AssertInput(t, binding, "subjects[0].kind", "Group")
	groupID, _ := binding.Input("subjects[0].name")
	assert.NotEqual(t, devUser, groupID, "the new group is bound, not the user")
	assert.Contains(t, binding.Dependencies, group.URN)
	a := res.OfType(mocktest.TypeRoleAssignment)[0]
	mocktest.AssertInput(t, a, "principalId", groupID)
	mocktest.AssertInput(t, a, "principalType", "Group")
}

func TestCh11WithoutLocalAccountsUsesKubelogin(t *testing.T) {
	res := runStack(t, "ch11", aadConfig(`,"disableLocalAccounts":true`))
	require.NoError(t, res.Err)
	cluster := mocktest.MustLookup(t, res, mocktest.TypeManagedCluster, "primary-aks")
	mocktest.AssertInput(t, cluster, "disableLocalAccounts", true)
	var tokens []string
	for _, inv := range res.Invocations {
		tokens = append(tokens, inv.Token)
	}
	assert.Contains(t, tokens, mocktest.TokListUserCreds)
	assert.NotContains(t, tokens, mocktest.TokListAdminCreds, "no admin credentials exist without local accounts")
	provider := mocktest.MustLookup(t, res, mocktest.TypeK8sProvider, "primary-k8s")
	assert.True(t, provider.InputIsSecret("kubeconfig"))
	kubeconfig, _ := provider.Input("kubeconfig")
	assert.Contains(t, kubeconfig, "- azurecli", "a non-interactive kubelogin login")
	assert.NotContains(t, kubeconfig, "devicecode")
}

func TestCh11BadConfig(t *testing.T) {
	cases := []struct {
		name, aad, want string
	}{
		{"developer not a GUID", `{"developerObjectId":"alice","developerKind":"Group"}`, `k8sbook:aad.developerObjectId = "alice": must be the Entra object id (a GUID)`},
		{"admin group not a GUID", `{"adminGroupObjectIds":["admins"],"developerObjectId":"` + devUser + `","developerKind":"Group"}`, `k8sbook:aad.adminGroupObjectIds[0] = "admins": must be an Entra object id (a GUID)`},
		{"unknown kind", `{"developerObjectId":"` + devUser + `","developerKind":"Robot"}`, `k8sbook:aad.developerKind = "Robot": must be User or Group`},
		{"user without UPN", `{"developerObjectId":"` + devUser + `"}`, `k8sbook:aad.developerUserPrincipalName: is required for a User developer`},
		{"group of a group", `{"developerObjectId":"` + devUser + `","developerKind":"Group","createDevGroup":true}`, `k8sbook:aad.createDevGroup = "true": needs a developer user`},
		{"tenant not a GUID", `{"developerObjectId":"` + devUser + `","developerKind":"Group","tenantId":"contoso"}`, `k8sbook:aad.tenantId = "contoso": must be a tenant id (a GUID)`},
		{"misspelt field", `{"developerObjectID2":"x"}`, `unknown field "developerObjectID2"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, "ch11", set("aad", tc.aad))
			require.Error(t, res.Err)
			assert.Contains(t, res.Err.Error(), tc.want)
			assert.Empty(t, res.Resources)
		})
	}
	res := runStack(t, "ch11", set("stress", "maybe"))
	require.Error(t, res.Err)
	assert.True(t, strings.Contains(res.Err.Error(), `k8sbook:stress = "maybe": must be true or false`))
}
