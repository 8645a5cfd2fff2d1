package components

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"strings"

	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	rbacv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/rbac/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The chapter 11 tenant's Kubernetes names, as the book uses them.
const (
	DefaultTenantNamespace    = "k8sbook"
	DefaultMaxContainerMemory = "500Mi"
	// StressImage is the chapter's memory-hog demo, pinned so the exercise behaves the same every time.
	StressImage = "polinux/stress:1.0.4"

	developerRoleName    = "k8sbook-dev"
	developerBindingName = "k8sbook-dev-rolebinding"
	podReaderRoleName    = "pod-reader"
	podReaderAccountName = "k8sbook-pod-reader"
	podReaderBindingName = "k8sbook-pod-reader-rolebinding"
	stressPodName        = "stress"
	rbacAPIGroup         = "rbac.authorization.k8s.io"
)

// Subject is whom a RoleBinding grants a role to.
type Subject struct {
	// Kind is "User" or "Group".
	Kind string
	// Name is the identity Kubernetes sees: with AKS-managed Microsoft Entra ID, a group's object
	// id, or a user's object id (guest users) or user principal name.
	Name pulumi.StringInput
}

// Subject kinds a developer binding accepts.
const (
	SubjectUser  = "User"
	SubjectGroup = "Group"
)

// RBACTenantArgs describes the book's isolated tenant namespace. Pass the cluster's provider with
// pulumi.Providers.
type RBACTenantArgs struct {
	// Namespace is the tenant's namespace; empty = "k8sbook".
	Namespace string
	// MaxContainerMemory is the LimitRange's per-container memory maximum, a Kubernetes quantity;
	// empty = "500Mi". The LimitRange is named mem-max-<lowercased value>, e.g. mem-max-500mi.
	MaxContainerMemory string
	// Developer is bound to Role k8sbook-dev (deployments, replicasets, pods, pods/log: all verbs).
	Developer Subject
	// Stress adds the book's `stress` Pod, which asks for 300M and so runs under the 500Mi limit.
	Stress bool
}

// RBACTenant is chapter 11's tenant: Namespace, LimitRange, the developer's Role and RoleBinding,
// and a read-only Role bound to a ServiceAccount.
type RBACTenant struct {
	pulumi.ResourceState

	NamespaceName pulumi.StringOutput
}

// memoryQuantityRe is a positive Kubernetes memory quantity: digits with an optional fraction
// and binary (Ki..Ei) or decimal (k..E) suffix. Exponent forms are accepted by Kubernetes but
// have no place in a config file.
var memoryQuantityRe = regexp.MustCompile(`^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$`)

// IsMemoryQuantity reports whether s is a Kubernetes memory quantity such as 500Mi or 1G.
func IsMemoryQuantity(s string) bool {
	m := memoryQuantityRe.FindStringSubmatch(s)
	return m != nil && strings.Trim(m[1], "0.") != "" // zero is no limit at all
}

// IsNamespaceName reports whether s is a valid Kubernetes namespace name (an RFC 1123 label).
func IsNamespaceName(s string) bool { return namespaceNameRe.MatchString(s) }

var namespaceNameRe = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)

func (a *RBACTenantArgs) validate() error {
	var errs []error
	if a.Namespace != "" && !IsNamespaceName(a.Namespace) {
		errs = append(errs, fmt.Errorf("Namespace %q: must be a DNS label (lowercase letters, digits and '-', at most 63)", a.Namespace))
	}
	if a.MaxContainerMemory != "" && !IsMemoryQuantity(a.MaxContainerMemory) {
		errs = append(errs, fmt.Errorf("MaxContainerMemory %q: must be a positive Kubernetes memory quantity such as 500Mi", a.MaxContainerMemory))
	}
	if a.Developer.Kind != SubjectUser && a.Developer.Kind != SubjectGroup {
		errs = append(errs, fmt.Errorf("Developer.Kind %q: must be %s or %s", a.Developer.Kind, SubjectUser, SubjectGroup))
	}
	if a.Developer.Name == nil {
		errs = append(errs, errors.New("Developer.Name: required"))
	}
	return errors.Join(errs...)
}

// NewRBACTenant creates the tenant. Every namespaced object takes its namespace from the
// Namespace resource, so it is created after it.
func NewRBACTenant(ctx *pulumi.Context, name string, args *RBACTenantArgs, opts ...pulumi.ResourceOption) (*RBACTenant, error) {
	if args == nil {
		return nil, errors.New("RBACTenant: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("RBACTenant %s: %w", name, err)
	}
	t := &RBACTenant{}
	if err := ctx.RegisterComponentResource("k8sbook:components:RBACTenant", name, t, opts...); err != nil {
		return nil, err
	}

	ns, err := corev1.NewNamespace(ctx, name+"-namespace", &corev1.NamespaceArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(cmp.Or(args.Namespace, DefaultTenantNamespace))},
	}, pulumi.Parent(t))
	if err != nil {
		return nil, err
	}
	namespace := ns.Metadata.Name().Elem()
	meta := func(objectName string) *metav1.ObjectMetaArgs {
		return &metav1.ObjectMetaArgs{Name: pulumi.String(objectName), Namespace: namespace}
	}

	maxMemory := cmp.Or(args.MaxContainerMemory, DefaultMaxContainerMemory)
	limitRange, err := corev1.NewLimitRange(ctx, name+"-limitrange", &corev1.LimitRangeArgs{
		Metadata: meta("mem-max-" + strings.ToLower(maxMemory)),
		Spec: &corev1.LimitRangeSpecArgs{
			Limits: corev1.LimitRangeItemArray{corev1.LimitRangeItemArgs{
				Type: pulumi.String("Container"),
				Max:  pulumi.StringMap{"memory": pulumi.String(maxMemory)},
			}},
		},
	}, pulumi.Parent(t))
	if err != nil {
		return nil, err
	}

	devRole, err := rbacv1.NewRole(ctx, name+"-dev-role", &rbacv1.RoleArgs{
		Metadata: meta(developerRoleName),
		Rules: rbacv1.PolicyRuleArray{rbacv1.PolicyRuleArgs{
			// The book also lists "extensions", whose workload APIs Kubernetes removed in 1.16.
			ApiGroups: pulumi.ToStringArray([]string{"", "apps"}),
			Resources: pulumi.ToStringArray([]string{"deployments", "replicasets", "pods", "pods/log"}),
			Verbs:     pulumi.ToStringArray([]string{"*"}),
		}},
	}, pulumi.Parent(t))
	if err != nil {
		return nil, err
	}
	if _, err := rbacv1.NewRoleBinding(ctx, name+"-dev-rolebinding", &rbacv1.RoleBindingArgs{
		Metadata: meta(developerBindingName),
		RoleRef:  roleRef(devRole),
		Subjects: rbacv1.SubjectArray{rbacv1.SubjectArgs{
			Kind:     pulumi.String(args.Developer.Kind),
			ApiGroup: pulumi.String(rbacAPIGroup),
			Name:     args.Developer.Name,
		}},
	}, pulumi.Parent(t)); err != nil {
		return nil, err
	}

	readerRole, err := rbacv1.NewRole(ctx, name+"-pod-reader-role", &rbacv1.RoleArgs{
		Metadata: meta(podReaderRoleName),
		Rules: rbacv1.PolicyRuleArray{rbacv1.PolicyRuleArgs{
			ApiGroups: pulumi.ToStringArray([]string{""}),
			Resources: pulumi.ToStringArray([]string{"pods"}),
			Verbs:     pulumi.ToStringArray([]string{"get", "watch", "list"}),
		}},
	}, pulumi.Parent(t))
	if err != nil {
		return nil, err
	}
	account, err := corev1.NewServiceAccount(ctx, name+"-pod-reader-sa", &corev1.ServiceAccountArgs{
		Metadata: meta(podReaderAccountName),
	}, pulumi.Parent(t))
	if err != nil {
		return nil, err
	}
	if _, err := rbacv1.NewRoleBinding(ctx, name+"-pod-reader-rolebinding", &rbacv1.RoleBindingArgs{
		Metadata: meta(podReaderBindingName),
		RoleRef:  roleRef(readerRole),
		Subjects: rbacv1.SubjectArray{rbacv1.SubjectArgs{
			Kind:      pulumi.String("ServiceAccount"),
			Name:      account.Metadata.Name().Elem(),
			Namespace: namespace,
		}},
	}, pulumi.Parent(t)); err != nil {
		return nil, err
	}

	if args.Stress {
		if err := newStressPod(ctx, name, t, meta(stressPodName), limitRange); err != nil {
			return nil, err
		}
	}

	t.NamespaceName = namespace
	if err := ctx.RegisterResourceOutputs(t, pulumi.Map{"namespaceName": t.NamespaceName}); err != nil {
		return nil, err
	}
	return t, nil
}

func roleRef(role *rbacv1.Role) rbacv1.RoleRefArgs {
	return rbacv1.RoleRefArgs{
		ApiGroup: pulumi.String(rbacAPIGroup),
		Kind:     pulumi.String("Role"),
		Name:     role.Metadata.Name().Elem(),
	}
}

// newStressPod is the book's memory demo: it sets no resources, so the LimitRange gives it its
// maximum as the limit; it is created after the LimitRange, which only applies at admission.
func newStressPod(ctx *pulumi.Context, name string, parent pulumi.Resource, meta *metav1.ObjectMetaArgs, limitRange *corev1.LimitRange) error {
	// Raising --vm-bytes above the limit gets the container OOM-killed, which is the point of the
	// exercise; waiting for readiness would only make `pulumi up` fail.
	meta.Annotations = pulumi.StringMap{"pulumi.com/skipAwait": pulumi.String("true")}
	meta.Labels = pulumi.StringMap{"app": pulumi.String(stressPodName)}
	_, err := corev1.NewPod(ctx, name+"-stress", &corev1.PodArgs{
		Metadata: meta,
		Spec: &corev1.PodSpecArgs{
			Containers: corev1.ContainerArray{corev1.ContainerArgs{
				Name:    pulumi.String(stressPodName),
				Image:   pulumi.String(StressImage),
				Command: pulumi.ToStringArray([]string{"stress"}),
				Args:    pulumi.ToStringArray([]string{"--vm", "1", "--vm-bytes", "300M", "--vm-hang", "1"}),
			}},
		},
	}, pulumi.Parent(parent), pulumi.DependsOn([]pulumi.Resource{limitRange}))
	return err
}
