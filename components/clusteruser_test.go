package components

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/k8sbook/k8sbook/internal/mocktest"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var testRGID = fmt.Sprintf("/subscriptions/%s/resourceGroups/%s", mocktest.SubscriptionID, "tm99-k8sbook-ch11-rg")

func runClusterUser(t *testing.T, scope, principal, kind string) *mocktest.Result {
	t.Helper()
	return runComponents(t, func(ctx *pulumi.Context) error {
		h := &host{}
		if err := ctx.RegisterComponentResource(testHostType, "shared", h); err != nil {
			return err
		}
		_, err := newClusterUserRoleAssignment(ctx, "shared-clusteruser-0", h, pulumi.String(scope), pulumi.String(principal), kind)
		return err
	})
}

func TestClusterUserRoleAssignment(t *testing.T) {
	for _, kind := range []string{SubjectUser, SubjectGroup} {
		t.Run(kind, func(t *testing.T) {
			res := runClusterUser(t, testRGID, developerObjectID, kind)
			require.NoError(t, res.Err)
			a := mocktest.MustLookup(t, res, mocktest.TypeRoleAssignment, "shared-clusteruser-0")
			mocktest.AssertInput(t, a, "scope", testRGID)
			mocktest.AssertInput(t, a, "principalId", developerObjectID)
			mocktest.AssertInput(t, a, "principalType", kind)
			mocktest.AssertInput(t, a, "roleDefinitionId", "/subscriptions/"+mocktest.SubscriptionID+
				"/providers/Microsoft.Authorization/roleDefinitions/4abbcc35-e782-43d8-92c5-2d3f1bd2039f")
			mocktest.AssertInput(t, a, "roleAssignmentName", roleAssignmentName(testRGID, developerObjectID,
				"/subscriptions/"+mocktest.SubscriptionID+"/providers/Microsoft.Authorization/roleDefinitions/"+ClusterUserRoleID))
			assert.Equal(t, mocktest.MustLookup(t, res, testHostType, "shared").URN, a.Parent)
		})
	}
}

func TestClusterUserRoleAssignmentBadArgs(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, scope, principal, kind, want string
	}{
		{"service principal", testRGID, developerObjectID, "ServicePrincipal", `PrincipalType "ServicePrincipal"`},
		{"no type", testRGID, developerObjectID, "", `PrincipalType ""`},
		{"principal not a GUID", testRGID, "dev@example.com", SubjectUser, "dev@example.com: must be an Entra object id"},
		{"scope outside a subscription", "tm99-k8sbook-ch11-rg", developerObjectID, SubjectUser, `scope "tm99-k8sbook-ch11-rg"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := runClusterUser(t, tc.scope, tc.principal, tc.kind)
			require.Error(t, res.Err)
			assert.ErrorContains(t, res.Err, tc.want)
			assert.Empty(t, res.OfType(mocktest.TypeRoleAssignment))
		})
	}
}

func TestRoleAssignmentName(t *testing.T) {
	role := "/subscriptions/" + mocktest.SubscriptionID + "/providers/Microsoft.Authorization/roleDefinitions/" + ClusterUserRoleID
	name := roleAssignmentName(testRGID, developerObjectID, role)
	assert.Regexp(t, regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`), name, "a version 5 UUID")
	assert.Equal(t, name, roleAssignmentName(testRGID, developerObjectID, role), "the same on every run")
	assert.Equal(t, name, roleAssignmentName(
		"/subscriptions/"+mocktest.SubscriptionID+"/resourcegroups/TM99-K8SBOOK-CH11-RG", developerObjectID, role), "IDs are case-insensitive")
	assert.NotEqual(t, name, roleAssignmentName(testRGID, "11111111-2222-3333-4444-555555555556", role), "another principal")
	assert.NotEqual(t, name, roleAssignmentName(testRGID+"x", developerObjectID, role), "another scope")
	assert.NotEqual(t, name, roleAssignmentName(testRGID, developerObjectID, role+"x"), "another role")
}

func TestIsObjectID(t *testing.T) {
	for _, ok := range []string{developerObjectID, "4ABBCC35-E782-43D8-92C5-2D3F1BD2039F"} {
		assert.Truef(t, IsObjectID(ok), "%s", ok)
	}
	for _, bad := range []string{"", "dev@example.com", "4abbcc35e78243d892c52d3f1bd2039f", "{4abbcc35-e782-43d8-92c5-2d3f1bd2039f}",
		"4abbcc35-e782-43d8-92c5-2d3f1bd2039", "4abbcc35-e782-43d8-92c5-2d3f1bd2039g", " 4abbcc35-e782-43d8-92c5-2d3f1bd2039f"} {
		assert.Falsef(t, IsObjectID(bad), "%s", bad)
	}
}
