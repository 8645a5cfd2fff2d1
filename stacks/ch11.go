package stacks

import (
	"github.com/k8sbook/k8sbook/components"
	"github.com/pulumi/pulumi-azuread/sdk/v5/go/azuread"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// noAADDeveloper is the user the developer Role is bound to on a cluster without Entra ID, as the
// book's no-AAD path did; give a client certificate that name to act as the developer.
const noAADDeveloper = "k8sbook-developer"

// developer is the ch11 developer: the Kubernetes subject bound to k8sbook-dev, and the Entra
// principal that gets the Cluster User role (nil without Entra ID).
type developer struct {
	subject   components.Subject
	principal *components.ClusterUser
}

// developer resolves the developer from k8sbook:aad, creating the Entra group when asked.
func (e *env) developer(ctx *pulumi.Context) (*developer, error) {
	a := e.cfg.AAD
	if a == nil {
		return &developer{subject: components.Subject{Kind: components.SubjectUser, Name: pulumi.String(noAADDeveloper)}}, nil
	}
	kind, id := a.developerKind(), pulumi.StringInput(pulumi.String(a.DeveloperObjectID))
	// Kubernetes knows an Entra group by its object id and a member user by their UPN.
	subjectName := id
	if kind == components.SubjectUser {
		subjectName = pulumi.String(a.DeveloperUPN)
	}
	if a.CreateDevGroup {
		group, err := azuread.NewGroup(ctx, "developers", &azuread.GroupArgs{
			DisplayName:     pulumi.String(e.names.of("developers")),
			Description:     pulumi.String("Developers of the k8sbook namespace (chapter 11)"),
			SecurityEnabled: pulumi.Bool(true),
			Members:         pulumi.StringArray{pulumi.String(a.DeveloperObjectID)},
		})
		if err != nil {
			return nil, err
		}
		kind, id, subjectName = components.SubjectGroup, group.ObjectId, group.ObjectId
	}
	return &developer{
		subject:   components.Subject{Kind: kind, Name: subjectName},
		principal: &components.ClusterUser{PrincipalID: id, PrincipalType: kind},
	}, nil
}

func (d *developer) clusterUsers() []components.ClusterUser {
	if d.principal == nil {
		return nil
	}
	return []components.ClusterUser{*d.principal}
}

// buildCh11 is chapter 11 (resource isolation): a cluster with Entra ID when k8sbook:aad is set,
// the developer's Cluster User role on the resource group, and the k8sbook tenant namespace.
func buildCh11(ctx *pulumi.Context, e *env) error {
	dev, err := e.developer(ctx)
	if err != nil {
		return err
	}
	shared, err := e.newShared(ctx, components.SharedInfraArgs{
		ClusterUsers: dev.clusterUsers(),
	})
	if err != nil {
		return err
	}
	cluster, err := e.newPrimaryCluster(ctx, shared, clusterSpec{})
	if err != nil {
		return err
	}
	tenant, err := components.NewRBACTenant(ctx, "primary-tenant", &components.RBACTenantArgs{
		Developer: dev.subject,
		Stress:    e.cfg.Stress,
	}, pulumi.Providers(cluster.Provider))
	if err != nil {
		return err
	}
	ctx.Export("resourceGroupName", shared.ResourceGroupName)
	ctx.Export("namespace", tenant.NamespaceName)
	exportCluster(ctx, "", shared.ResourceGroupName, cluster)
	return nil
}
