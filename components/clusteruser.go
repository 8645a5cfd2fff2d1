package components

import (
	"crypto/sha1"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-azure-native-sdk/authorization/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ClusterUserRoleID is the built-in "Azure Kubernetes Service Cluster User Role": it lets a
// principal list the clusters' user credentials (az aks get-credentials) and nothing more.
const ClusterUserRoleID = "4abbcc35-e782-43d8-92c5-2d3f1bd2039f"

var objectIDRe = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// IsObjectID reports whether s is a GUID, the form of Entra object and tenant ids.
func IsObjectID(s string) bool { return objectIDRe.MatchString(s) }

// subscriptionRe takes the subscription out of an Azure resource ID.
var subscriptionRe = regexp.MustCompile(`^/subscriptions/([^/]+)(/|$)`)

// roleDefinitionID is the full ID of a built-in role in the subscription that holds scope.
// Taking the subscription from the scope, rather than from the provider's getClientConfig,
// keeps the assignment's inputs a pure function of its scope: nothing to invoke, the same in a
// preview and under mocks, and always the subscription the role is assigned in.
func roleDefinitionID(scope, role string) (string, error) {
	m := subscriptionRe.FindStringSubmatch(scope)
	if m == nil {
		return "", fmt.Errorf("role assignment scope %q: not an ID under /subscriptions/", scope)
	}
	return "/subscriptions/" + m[1] + "/providers/Microsoft.Authorization/roleDefinitions/" + role, nil
}

// roleAssignmentNamespace seeds roleAssignmentName's UUIDs; any fixed UUID would do.
var roleAssignmentNamespace = [16]byte{0x6b, 0x38, 0x73, 0x62, 0x6f, 0x6f, 0x4b, 0x2d, 0x92, 0x61, 0x63, 0x6c, 0x75, 0x73, 0x74, 0x72}

// roleAssignmentName is a name-based (version 5) UUID of scope, principal and role. Azure wants
// a GUID as the name and allows one assignment per (scope, principal, role); deriving the name
// from exactly those makes it the same on every run and on every machine, so a lost or
// re-imported state finds the existing assignment instead of a random new name (the same
// convention as Bicep's guid(scope, principal, role)). Case is folded: Azure IDs are
// case-insensitive.
func roleAssignmentName(scope, principalID, role string) string {
	h := sha1.New()
	h.Write(roleAssignmentNamespace[:])
	h.Write([]byte(strings.ToLower(scope + "|" + principalID + "|" + role)))
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// newClusterUserRoleAssignment gives a user or group the "Azure Kubernetes Service Cluster User
// Role" on scope (the resource group that holds the clusters), as a child of parent.
// principalType is "User" or "Group".
func newClusterUserRoleAssignment(ctx *pulumi.Context, name string, parent pulumi.Resource, scope pulumi.StringInput,
	principalID pulumi.StringInput, principalType string) (*authorization.RoleAssignment, error) {
	if scope == nil || principalID == nil {
		return nil, fmt.Errorf("%s: scope and principal ID are required", name)
	}
	if principalType != SubjectUser && principalType != SubjectGroup {
		return nil, fmt.Errorf("%s: PrincipalType %q: must be %s or %s", name, principalType, SubjectUser, SubjectGroup)
	}
	ids := pulumi.All(scope, principalID).ApplyT(func(v []any) ([]string, error) {
		scope, principal := v[0].(string), v[1].(string)
		if !IsObjectID(principal) {
			return nil, errors.New("cluster user principal ID " + principal + ": must be an Entra object id (a GUID)")
		}
		role, err := roleDefinitionID(scope, ClusterUserRoleID)
		if err != nil {
			return nil, err
		}
		return []string{role, roleAssignmentName(scope, principal, role)}, nil
	}).(pulumi.StringArrayOutput)
	return authorization.NewRoleAssignment(ctx, name, &authorization.RoleAssignmentArgs{
		Scope:              scope,
		PrincipalId:        principalID,
		PrincipalType:      pulumi.String(principalType),
		RoleDefinitionId:   ids.Index(pulumi.Int(0)),
		RoleAssignmentName: ids.Index(pulumi.Int(1)),
		Description:        pulumi.String("Lets the developer fetch the clusters' user kubeconfig"),
	}, pulumi.Parent(parent), azureNative)
}
