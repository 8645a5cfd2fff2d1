package conformance

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// Names of the book's objects that the semantic checks look for.
const (
	DevRoleBinding       = "k8sbook-dev-rolebinding"
	PodReaderSA          = "k8sbook-pod-reader"
	MemLimitRange        = "mem-max-500mi"
	StressPod            = "stress"
	TodoDeployment       = "todoapp"
	NginxDeployment      = "nginx"
	RestrictedNamespace  = "conformance-psa-restricted"
	probeName            = "conformance-probe"
	overLimitMemory      = "600Mi"
	underLimitMemory     = "400Mi"
	limitRangeRefusalMsg = "maximum memory usage per Container is"
)

// Report collects what a check found: Problems fail the test, Notes are logged.
type Report struct {
	Problems []string
	Notes    []string
	reviews  int // SubjectAccessReviews asked
	requests int // real requests made as an impersonated identity
}

func (r *Report) failf(format string, args ...any) {
	r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
}
func (r *Report) notef(format string, args ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
}

// HasProblem says whether some problem contains every one of the given substrings.
func (r *Report) HasProblem(substrings ...string) bool {
	for _, p := range r.Problems {
		all := true
		for _, s := range substrings {
			if !strings.Contains(p, s) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

func fromUnstructured[T any](o *unstructured.Unstructured) (*T, error) {
	var v T
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(o.Object, &v); err != nil {
		return nil, fmt.Errorf("%s: %w", Describe(o), err)
	}
	return &v, nil
}

func namespaceOf(o *unstructured.Unstructured) string {
	if ns := o.GetNamespace(); ns != "" {
		return ns
	}
	return metav1.NamespaceDefault
}

// identity is whom a check acts as: the name the API server's authorizer sees.
type identity struct {
	user   string
	groups []string
	label  string
}

func (id identity) client(base *rest.Config) (kubernetes.Interface, error) {
	cfg := rest.CopyConfig(base)
	cfg.Impersonate = rest.ImpersonationConfig{UserName: id.user, Groups: id.groups}
	return kubernetes.NewForConfig(cfg)
}

// access is one request to ask the authorizer about.
type access struct {
	verb, group, resource, subresource, namespace string
}

func (a access) String() string {
	r := a.resource
	if a.subresource != "" {
		r += "/" + a.subresource
	}
	if a.group != "" {
		r += "." + a.group
	}
	return fmt.Sprintf("%s %s in namespace %s", a.verb, r, a.namespace)
}

// sar asks the API server's authorizer (SubjectAccessReview) and reports a mismatch.
func sar(ctx context.Context, t *Target, r *Report, id identity, a access, want bool) {
	r.reviews++
	review := &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{
		User:   id.user,
		Groups: id.groups,
		ResourceAttributes: &authorizationv1.ResourceAttributes{
			Verb: a.verb, Group: a.group, Resource: a.resource, Subresource: a.subresource, Namespace: a.namespace,
		},
	}}
	got, err := t.Client.AuthorizationV1().SubjectAccessReviews().Create(ctx, review, metav1.CreateOptions{})
	if err != nil {
		r.failf("SubjectAccessReview for %s (%s): %v", id.label, a, err)
		return
	}
	switch {
	case want && !got.Status.Allowed:
		r.failf("%s may not %s, but should (SubjectAccessReview: denied; %s)", id.label, a, got.Status.Reason)
	case !want && got.Status.Allowed:
		r.failf("%s may %s, but should not (SubjectAccessReview: allowed; %s)", id.label, a, got.Status.Reason)
	}
}

// expect checks the outcome of a real request made as an impersonated identity.
func expect(r *Report, id identity, what string, err error, wantAllowed bool) {
	r.requests++
	switch {
	case wantAllowed && err != nil:
		r.failf("%s could not %s, but should (real request: %v)", id.label, what, err)
	case !wantAllowed && err == nil:
		r.failf("%s could %s, but should not (real request succeeded)", id.label, what)
	case !wantAllowed && !apierrors.IsForbidden(err):
		r.failf("%s: %s failed for another reason than authorization: %v", id.label, what, err)
	}
}

var guidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// developerIdentity reads the developer subject from the RoleBinding.
func developerIdentity(rb *rbacv1.RoleBinding, r *Report) (identity, bool) {
	if len(rb.Subjects) != 1 {
		r.failf("RoleBinding %s/%s has %d subjects, want exactly one (the developer user or group)", rb.Namespace, rb.Name, len(rb.Subjects))
		if len(rb.Subjects) == 0 {
			return identity{}, false
		}
	}
	s := rb.Subjects[0]
	if s.APIGroup != rbacv1.GroupName {
		r.failf("RoleBinding %s/%s subject apiGroup is %q, want %q", rb.Namespace, rb.Name, s.APIGroup, rbacv1.GroupName)
	}
	// AKS with Entra ID knows a group by its object id (a user by UPN, and a
	// cluster without Entra ID by any name its credentials carry).
	if s.Kind == rbacv1.GroupKind && !guidRE.MatchString(s.Name) {
		r.failf("RoleBinding %s/%s binds Group %q, which is not an Entra object id (GUID): no member would ever match", rb.Namespace, rb.Name, s.Name)
	}
	if s.Name == "" {
		r.failf("RoleBinding %s/%s subject has no name", rb.Namespace, rb.Name)
	}
	switch s.Kind {
	case rbacv1.UserKind:
		return identity{user: s.Name, label: fmt.Sprintf("developer (User %s)", s.Name)}, true
	case rbacv1.GroupKind:
		return identity{user: "k8sbook-developer", groups: []string{s.Name}, label: fmt.Sprintf("developer (member of Group %s)", s.Name)}, true
	default:
		r.failf("RoleBinding %s/%s subject kind is %q, want User or Group", rb.Namespace, rb.Name, s.Kind)
		return identity{}, false
	}
}

func probePod(name, ns, memory string) *corev1.Pod {
	res := corev1.ResourceRequirements{}
	if memory != "" {
		q := resource.MustParse(memory)
		res.Requests = corev1.ResourceList{corev1.ResourceMemory: q}
		res.Limits = corev1.ResourceList{corev1.ResourceMemory: q}
	}
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, Labels: map[string]string{"app": name}},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{
			Name: "probe", Image: "registry.k8s.io/pause:3.10", Resources: res,
		}}},
	}
}

func probeDeployment(name, ns string) *appsv1.Deployment {
	labels := map[string]string{"app": name}
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr(int32(1)),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       probePod(name, ns, "").Spec,
			},
		},
	}
}

var dryRunAll = metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}, FieldValidation: metav1.FieldValidationStrict}

// CheckRBACTenant proves chapter 11's tenant: the developer's and the pod
// reader's rights, and the LimitRange, through the API server's own
// authorizer and admission. It applies when the cluster has the developer
// RoleBinding, the pod reader ServiceAccount or the LimitRange.
func CheckRBACTenant(ctx context.Context, t *Target, c *Cluster) (r Report, applies bool) {
	devRB := c.Find("RoleBinding", DevRoleBinding)
	readerSA := c.Find("ServiceAccount", PodReaderSA)
	lr := c.Find("LimitRange", MemLimitRange)
	if devRB == nil && readerSA == nil && lr == nil {
		return r, false
	}
	if devRB == nil || readerSA == nil || lr == nil {
		r.failf("incomplete tenant: RoleBinding %s present=%v, ServiceAccount %s present=%v, LimitRange %s present=%v",
			DevRoleBinding, devRB != nil, PodReaderSA, readerSA != nil, MemLimitRange, lr != nil)
	}
	if devRB != nil {
		checkDeveloper(ctx, t, &r, devRB)
	}
	if readerSA != nil {
		checkPodReader(ctx, t, &r, readerSA)
	}
	if lr != nil {
		checkLimitRange(ctx, t, &r, lr)
	}
	if stress := c.Find("Pod", StressPod); stress != nil {
		checkStress(ctx, t, &r, stress)
	} else {
		r.notef("no Pod %s in this cluster's objects (the stress demo is off): its admission is not checked", StressPod)
	}
	return r, true
}

func checkDeveloper(ctx context.Context, t *Target, r *Report, o *unstructured.Unstructured) {
	rb, err := fromUnstructured[rbacv1.RoleBinding](o)
	if err != nil {
		r.failf("%v", err)
		return
	}
	ns := namespaceOf(o)
	dev, ok := developerIdentity(rb, r)
	if !ok {
		return
	}
	other := metav1.NamespaceDefault
	for _, verb := range []string{"create", "get", "list", "watch", "update", "delete"} {
		sar(ctx, t, r, dev, access{verb: verb, group: "apps", resource: "deployments", namespace: ns}, true)
		sar(ctx, t, r, dev, access{verb: verb, group: "", resource: "pods", namespace: ns}, true)
		sar(ctx, t, r, dev, access{verb: verb, group: "apps", resource: "replicasets", namespace: ns}, true)
	}
	sar(ctx, t, r, dev, access{verb: "get", resource: "pods", subresource: "log", namespace: ns}, true)
	for _, verb := range []string{"create", "list", "delete"} {
		sar(ctx, t, r, dev, access{verb: verb, group: "apps", resource: "deployments", namespace: other}, false)
		sar(ctx, t, r, dev, access{verb: verb, resource: "pods", namespace: other}, false)
	}
	sar(ctx, t, r, dev, access{verb: "create", group: rbacv1.GroupName, resource: "roles", namespace: ns}, false)
	sar(ctx, t, r, dev, access{verb: "create", group: rbacv1.GroupName, resource: "rolebindings", namespace: ns}, false)
	sar(ctx, t, r, dev, access{verb: "get", resource: "secrets", namespace: ns}, false)
	sar(ctx, t, r, dev, access{verb: "list", resource: "secrets", namespace: ns}, false)

	// The same through real requests made as the developer.
	cs, err := dev.client(t.Config)
	if err != nil {
		r.failf("client for %s: %v", dev.label, err)
		return
	}
	apps := cs.AppsV1()
	core := cs.CoreV1()
	_, err = apps.Deployments(ns).Create(ctx, probeDeployment(probeName, ns), metav1.CreateOptions{})
	expect(r, dev, "create a Deployment in "+ns, err, true)
	_, err = apps.Deployments(ns).List(ctx, metav1.ListOptions{})
	expect(r, dev, "list Deployments in "+ns, err, true)
	err = apps.Deployments(ns).Delete(ctx, probeName, metav1.DeleteOptions{})
	expect(r, dev, "delete a Deployment in "+ns, err, true)
	_, err = core.Pods(ns).Create(ctx, probePod(probeName, ns, "64Mi"), metav1.CreateOptions{})
	expect(r, dev, "create a Pod in "+ns, err, true)
	_, err = core.Pods(ns).List(ctx, metav1.ListOptions{})
	expect(r, dev, "list Pods in "+ns, err, true)
	err = core.Pods(ns).Delete(ctx, probeName, metav1.DeleteOptions{})
	expect(r, dev, "delete a Pod in "+ns, err, true)

	// Leave nothing behind if a forbidden request got through.
	admin := t.Client
	_, err = apps.Deployments(other).Create(ctx, probeDeployment(probeName, other), metav1.CreateOptions{})
	expect(r, dev, "create a Deployment in "+other, err, false)
	_ = admin.AppsV1().Deployments(other).Delete(ctx, probeName, metav1.DeleteOptions{})
	_, err = apps.Deployments(other).List(ctx, metav1.ListOptions{})
	expect(r, dev, "list Deployments in "+other, err, false)
	_, err = core.Pods(other).Create(ctx, probePod(probeName, other, "64Mi"), metav1.CreateOptions{})
	expect(r, dev, "create a Pod in "+other, err, false)
	_ = admin.CoreV1().Pods(other).Delete(ctx, probeName, metav1.DeleteOptions{})
	_, err = core.Pods(other).List(ctx, metav1.ListOptions{})
	expect(r, dev, "list Pods in "+other, err, false)
	role := &rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Name: probeName, Namespace: ns},
		Rules: []rbacv1.PolicyRule{{APIGroups: []string{""}, Resources: []string{"secrets"}, Verbs: []string{"get"}}}}
	_, err = cs.RbacV1().Roles(ns).Create(ctx, role, metav1.CreateOptions{})
	expect(r, dev, "create a Role in "+ns, err, false)
	_ = admin.RbacV1().Roles(ns).Delete(ctx, probeName, metav1.DeleteOptions{})
	_, err = core.Secrets(ns).List(ctx, metav1.ListOptions{})
	expect(r, dev, "list Secrets in "+ns, err, false)
	r.notef("%s: checked with %d SubjectAccessReviews and %d impersonated requests so far", dev.label, r.reviews, r.requests)
}

func checkPodReader(ctx context.Context, t *Target, r *Report, o *unstructured.Unstructured) {
	ns := namespaceOf(o)
	reader := identity{
		user:   fmt.Sprintf("system:serviceaccount:%s:%s", ns, o.GetName()),
		groups: []string{"system:serviceaccounts", "system:serviceaccounts:" + ns},
		label:  fmt.Sprintf("ServiceAccount %s/%s", ns, o.GetName()),
	}
	for _, verb := range []string{"get", "list", "watch"} {
		sar(ctx, t, r, reader, access{verb: verb, resource: "pods", namespace: ns}, true)
		sar(ctx, t, r, reader, access{verb: verb, resource: "secrets", namespace: ns}, false)
		sar(ctx, t, r, reader, access{verb: verb, resource: "pods", namespace: metav1.NamespaceDefault}, false)
	}
	for _, verb := range []string{"create", "update", "patch", "delete", "deletecollection"} {
		sar(ctx, t, r, reader, access{verb: verb, resource: "pods", namespace: ns}, false)
	}
	sar(ctx, t, r, reader, access{verb: "list", group: "apps", resource: "deployments", namespace: ns}, false)

	// Real requests as the ServiceAccount, on a pod the admin creates.
	admin := t.Client.CoreV1()
	if _, err := admin.Pods(ns).Create(ctx, probePod(probeName+"-read", ns, "64Mi"), metav1.CreateOptions{}); err != nil {
		r.failf("creating a pod for the pod reader to read in %s: %v", ns, err)
		return
	}
	defer admin.Pods(ns).Delete(ctx, probeName+"-read", metav1.DeleteOptions{})
	cs, err := reader.client(t.Config)
	if err != nil {
		r.failf("client for %s: %v", reader.label, err)
		return
	}
	core := cs.CoreV1()
	_, err = core.Pods(ns).Get(ctx, probeName+"-read", metav1.GetOptions{})
	expect(r, reader, "get a Pod in "+ns, err, true)
	_, err = core.Pods(ns).List(ctx, metav1.ListOptions{})
	expect(r, reader, "list Pods in "+ns, err, true)
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	w, err := core.Pods(ns).Watch(wctx, metav1.ListOptions{})
	expect(r, reader, "watch Pods in "+ns, err, true)
	if err == nil {
		w.Stop()
	}
	cancel()
	err = core.Pods(ns).Delete(ctx, probeName+"-read", metav1.DeleteOptions{})
	expect(r, reader, "delete a Pod in "+ns, err, false)
	_, err = core.Secrets(ns).List(ctx, metav1.ListOptions{})
	expect(r, reader, "list Secrets in "+ns, err, false)
	_, err = core.Pods(metav1.NamespaceDefault).List(ctx, metav1.ListOptions{})
	expect(r, reader, "list Pods in default", err, false)
	r.notef("%s: checked with %d SubjectAccessReviews and %d impersonated requests so far", reader.label, r.reviews, r.requests)
}

func checkLimitRange(ctx context.Context, t *Target, r *Report, o *unstructured.Unstructured) {
	ns := namespaceOf(o)
	pods := t.Client.CoreV1().Pods(ns)
	_, err := pods.Create(ctx, probePod(probeName+"-over", ns, overLimitMemory), dryRunAll)
	switch {
	case err == nil:
		r.failf("a container asking %s memory was admitted in namespace %s; LimitRange %s should refuse it", overLimitMemory, ns, o.GetName())
	case !apierrors.IsForbidden(err) || !strings.Contains(err.Error(), limitRangeRefusalMsg):
		r.failf("a container asking %s memory in %s was refused, but not by the LimitRange: %v", overLimitMemory, ns, err)
	default:
		r.notef("LimitRange %s/%s refused a %s container: %v", ns, o.GetName(), overLimitMemory, err)
	}
	if _, err := pods.Create(ctx, probePod(probeName+"-under", ns, underLimitMemory), dryRunAll); err != nil {
		r.failf("a container asking %s memory was refused in namespace %s: %v", underLimitMemory, ns, err)
	}
}

var vmBytesRE = regexp.MustCompile(`^(\d+)([KMG]?)$`)

func checkStress(ctx context.Context, t *Target, r *Report, o *unstructured.Unstructured) {
	ns := namespaceOf(o)
	live, err := t.Client.CoreV1().Pods(ns).Get(ctx, o.GetName(), metav1.GetOptions{})
	if err != nil {
		r.failf("Pod %s/%s is not on the server: %v", ns, o.GetName(), err)
		return
	}
	for _, c := range live.Spec.Containers {
		limit, hasLimit := c.Resources.Limits[corev1.ResourceMemory]
		if hasLimit {
			r.notef("Pod %s/%s container %s admitted with memory limit %s (set or defaulted by the LimitRange)", ns, live.Name, c.Name, limit.String())
		} else {
			r.notef("Pod %s/%s container %s admitted without a memory limit", ns, live.Name, c.Name)
		}
		// stress --vm-bytes N[K|M|G] uses powers of 1024.
		for i, a := range c.Args {
			if a != "--vm-bytes" || i+1 >= len(c.Args) {
				continue
			}
			m := vmBytesRE.FindStringSubmatch(c.Args[i+1])
			if m == nil {
				continue
			}
			want := resource.MustParse(m[1] + map[string]string{"": "", "K": "Ki", "M": "Mi", "G": "Gi"}[m[2]])
			if hasLimit && limit.Cmp(want) < 0 {
				r.failf("Pod %s/%s allocates %s but its memory limit is %s: it would be OOM-killed instead of showing the book's behaviour", ns, live.Name, want.String(), limit.String())
			}
		}
	}
}

// CheckTodoApp proves the ToDo app's objects: its pod template passes Pod
// Security admission at `restricted`, its Service and PodDisruptionBudget
// select its pods and leave room for a drain.
func CheckTodoApp(ctx context.Context, t *Target, c *Cluster) (r Report, applies bool) {
	o := c.Find("Deployment", TodoDeployment)
	if o == nil {
		return r, false
	}
	dep, err := fromUnstructured[appsv1.Deployment](o)
	if err != nil {
		r.failf("%v", err)
		return r, true
	}
	ns := namespaceOf(o)
	podLabels := labels.Set(dep.Spec.Template.Labels)
	checkRestricted(ctx, t, &r, dep)

	svc, err := t.Client.CoreV1().Services(ns).Get(ctx, TodoDeployment, metav1.GetOptions{})
	if err != nil {
		r.failf("Service %s/%s: %v", ns, TodoDeployment, err)
	} else {
		if len(svc.Spec.Selector) == 0 || !labels.SelectorFromSet(svc.Spec.Selector).Matches(podLabels) {
			r.failf("Service %s/%s selector %v does not select the Deployment's pods (labels %v)", ns, svc.Name, svc.Spec.Selector, podLabels)
		}
		for _, p := range svc.Spec.Ports {
			if !targetsContainerPort(p.TargetPort, dep.Spec.Template.Spec.Containers) {
				r.failf("Service %s/%s port %d targets %s, which no container of Deployment %s exposes", ns, svc.Name, p.Port, p.TargetPort.String(), dep.Name)
			}
		}
		r.notef("Service %s/%s: type %s, selector %v, ports %v", ns, svc.Name, svc.Spec.Type, svc.Spec.Selector, svc.Spec.Ports)
	}

	pdb, err := t.Client.PolicyV1().PodDisruptionBudgets(ns).Get(ctx, TodoDeployment, metav1.GetOptions{})
	if err != nil {
		r.failf("PodDisruptionBudget %s/%s: %v", ns, TodoDeployment, err)
		return r, true
	}
	sel, err := metav1.LabelSelectorAsSelector(pdb.Spec.Selector)
	switch {
	case err != nil:
		r.failf("PodDisruptionBudget %s/%s selector: %v", ns, pdb.Name, err)
	case pdb.Spec.Selector == nil || sel.Empty() || !sel.Matches(podLabels):
		r.failf("PodDisruptionBudget %s/%s selector %v does not select the Deployment's pods (labels %v)", ns, pdb.Name, pdb.Spec.Selector, podLabels)
	}
	replicas := int32(1)
	if dep.Spec.Replicas != nil {
		replicas = *dep.Spec.Replicas
	}
	if allowed, err := disruptionsAllowed(pdb, replicas); err != nil {
		r.failf("PodDisruptionBudget %s/%s: %v", ns, pdb.Name, err)
	} else if allowed < 1 {
		r.failf("PodDisruptionBudget %s/%s allows no voluntary disruption with %d replicas: draining a node (Kured, cordon/drain) would hang", ns, pdb.Name, replicas)
	} else {
		r.notef("PodDisruptionBudget %s/%s allows %d disruption(s) with %d replicas", ns, pdb.Name, allowed, replicas)
	}
	return r, true
}

func targetsContainerPort(target intstr.IntOrString, containers []corev1.Container) bool {
	for _, c := range containers {
		for _, p := range c.Ports {
			if (target.Type == intstr.Int && p.ContainerPort == target.IntVal) ||
				(target.Type == intstr.String && p.Name == target.StrVal) {
				return true
			}
		}
	}
	return false
}

// disruptionsAllowed computes what the disruption controller would allow
// with every replica healthy.
func disruptionsAllowed(pdb *policyv1.PodDisruptionBudget, replicas int32) (int32, error) {
	switch {
	case pdb.Spec.MinAvailable != nil:
		v, err := intstr.GetScaledValueFromIntOrPercent(pdb.Spec.MinAvailable, int(replicas), true)
		if err != nil {
			return 0, err
		}
		return replicas - int32(v), nil
	case pdb.Spec.MaxUnavailable != nil:
		v, err := intstr.GetScaledValueFromIntOrPercent(pdb.Spec.MaxUnavailable, int(replicas), true)
		if err != nil {
			return 0, err
		}
		return int32(v), nil
	default:
		return 0, fmt.Errorf("neither minAvailable nor maxUnavailable is set")
	}
}

// checkRestricted creates the Deployment's pod template as a Pod (dry run) in
// a namespace that enforces the `restricted` Pod Security level. A bare pod
// must be refused there first, so a pass cannot come from admission being off.
func checkRestricted(ctx context.Context, t *Target, r *Report, dep *appsv1.Deployment) {
	core := t.Client.CoreV1()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: RestrictedNamespace, Labels: map[string]string{
		"pod-security.kubernetes.io/enforce":         "restricted",
		"pod-security.kubernetes.io/enforce-version": "latest",
	}}}
	if _, err := core.Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		r.failf("creating namespace %s: %v", RestrictedNamespace, err)
		return
	}
	sas := []string{"default"}
	if sa := dep.Spec.Template.Spec.ServiceAccountName; sa != "" && sa != "default" {
		sas = append(sas, sa)
	}
	for _, sa := range sas {
		_, err := core.ServiceAccounts(RestrictedNamespace).Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: sa}}, metav1.CreateOptions{})
		if err != nil && !apierrors.IsAlreadyExists(err) {
			r.failf("creating ServiceAccount %s/%s: %v", RestrictedNamespace, sa, err)
			return
		}
	}
	if _, err := core.Pods(RestrictedNamespace).Create(ctx, probePod(probeName+"-bare", RestrictedNamespace, "64Mi"), dryRunAll); err == nil {
		r.failf("a pod without any securityContext was admitted in %s: Pod Security admission is not enforcing, the check below would prove nothing", RestrictedNamespace)
	}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name: dep.Name + "-template", Namespace: RestrictedNamespace,
			Labels: dep.Spec.Template.Labels, Annotations: dep.Spec.Template.Annotations,
		},
		Spec: *dep.Spec.Template.Spec.DeepCopy(),
	}
	if _, err := core.Pods(RestrictedNamespace).Create(ctx, pod, dryRunAll); err != nil {
		r.failf("the pod template of Deployment %s/%s does not pass Pod Security admission at restricted: %v", namespaceOfDep(dep), dep.Name, err)
	} else {
		r.notef("the pod template of Deployment %s/%s passes Pod Security admission at restricted", namespaceOfDep(dep), dep.Name)
	}
}

func namespaceOfDep(d *appsv1.Deployment) string {
	if d.Namespace != "" {
		return d.Namespace
	}
	return metav1.NamespaceDefault
}

// CheckNginx proves that every Deployment named nginx reached the server with
// its CPU requests intact (they are what makes pods pend and nodes appear in
// chapter 9, and what cordon/drain moves around in chapter 10).
func CheckNginx(ctx context.Context, t *Target, c *Cluster) (r Report, applies bool) {
	for _, o := range c.Objects {
		if o.GetKind() != "Deployment" || o.GetName() != NginxDeployment {
			continue
		}
		applies = true
		want, err := fromUnstructured[appsv1.Deployment](o)
		if err != nil {
			r.failf("%v", err)
			continue
		}
		ns := namespaceOf(o)
		live, err := t.Client.AppsV1().Deployments(ns).Get(ctx, o.GetName(), metav1.GetOptions{})
		if err != nil {
			r.failf("Deployment %s/%s is not on the server: %v", ns, o.GetName(), err)
			continue
		}
		if want.Spec.Replicas != nil && (live.Spec.Replicas == nil || *live.Spec.Replicas != *want.Spec.Replicas) {
			r.failf("Deployment %s/%s replicas: server has %v, manifest %d", ns, o.GetName(), live.Spec.Replicas, *want.Spec.Replicas)
		}
		for i, wc := range want.Spec.Template.Spec.Containers {
			wq, ok := wc.Resources.Requests[corev1.ResourceCPU]
			if !ok || wq.IsZero() {
				r.failf("Deployment %s/%s container %s has no CPU request", ns, o.GetName(), wc.Name)
				continue
			}
			if i >= len(live.Spec.Template.Spec.Containers) {
				r.failf("Deployment %s/%s: container %s missing on the server", ns, o.GetName(), wc.Name)
				continue
			}
			lq := live.Spec.Template.Spec.Containers[i].Resources.Requests[corev1.ResourceCPU]
			if lq.Cmp(wq) != 0 {
				r.failf("Deployment %s/%s container %s CPU request: server has %s, manifest %s", ns, o.GetName(), wc.Name, lq.String(), wq.String())
				continue
			}
			r.notef("Deployment %s/%s container %s requests %s CPU on the server", ns, o.GetName(), wc.Name, lq.String())
		}
	}
	return r, applies
}
