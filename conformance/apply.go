package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
)

// FieldManager is the server-side apply field manager of the suite.
const FieldManager = "k8sbook-conformance"

// Target is a running API server and admin clients for it.
type Target struct {
	Config  *rest.Config
	Client  kubernetes.Interface
	Dynamic dynamic.Interface
	Mapper  meta.RESTMapper
}

// NewTarget builds clients for an API server reached through cfg (an admin config).
func NewTarget(cfg *rest.Config) (*Target, error) {
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	groups, err := restmapper.GetAPIGroupResources(cs.Discovery())
	if err != nil {
		return nil, fmt.Errorf("discovery: %w", err)
	}
	return &Target{Config: cfg, Client: cs, Dynamic: dyn, Mapper: restmapper.NewDiscoveryRESTMapper(groups)}, nil
}

// ApplyResult is the outcome of applying one object.
type ApplyResult struct {
	Object *unstructured.Unstructured // as sent
	Live   *unstructured.Unstructured // as the server returned it (nil on error)
	Err    error
}

// applyRank orders objects the way they must reach a cluster: namespaces,
// then service accounts, then policy objects that admission reads (a
// LimitRange must exist before the pods it constrains), RBAC, configuration,
// and workloads last.
func applyRank(o *unstructured.Unstructured) int {
	switch o.GetKind() {
	case "Namespace":
		return 0
	case "ServiceAccount":
		return 1
	case "LimitRange", "ResourceQuota":
		return 2
	case "ClusterRole", "Role":
		return 3
	case "ClusterRoleBinding", "RoleBinding":
		return 4
	case "Secret", "ConfigMap":
		return 5
	case "Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob":
		return 7
	default:
		return 6
	}
}

// Ordered returns objs in apply order (stable within a rank).
func Ordered(objs []*unstructured.Unstructured) []*unstructured.Unstructured {
	out := append([]*unstructured.Unstructured(nil), objs...)
	sort.SliceStable(out, func(i, j int) bool { return applyRank(out[i]) < applyRank(out[j]) })
	return out
}

// ResourceFor maps an object's kind to its resource and says whether it is namespaced.
func (t *Target) ResourceFor(o *unstructured.Unstructured) (schema.GroupVersionResource, bool, error) {
	gvk := o.GroupVersionKind()
	m, err := t.Mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		return schema.GroupVersionResource{}, false, fmt.Errorf("kind %s is not served by this Kubernetes release: %w", gvk, err)
	}
	return m.Resource, m.Scope.Name() == meta.RESTScopeNameNamespace, nil
}

// ResourceClient returns the dynamic client for an object, defaulting its namespace.
func (t *Target) ResourceClient(o *unstructured.Unstructured) (dynamic.ResourceInterface, string, error) {
	gvr, namespaced, err := t.ResourceFor(o)
	if err != nil {
		return nil, "", err
	}
	if !namespaced {
		if o.GetNamespace() != "" {
			return nil, "", fmt.Errorf("%s is cluster-scoped but has metadata.namespace %q", o.GetKind(), o.GetNamespace())
		}
		return t.Dynamic.Resource(gvr), "", nil
	}
	ns := o.GetNamespace()
	if ns == "" {
		ns = metav1.NamespaceDefault
	}
	return t.Dynamic.Resource(gvr).Namespace(ns), ns, nil
}

// Apply sends one object by server-side apply with strict field validation.
func (t *Target) Apply(ctx context.Context, o *unstructured.Unstructured, dryRun bool) (*unstructured.Unstructured, error) {
	rc, ns, err := t.ResourceClient(o)
	if err != nil {
		return nil, err
	}
	obj := o.DeepCopy()
	if ns != "" {
		obj.SetNamespace(ns)
	}
	data, err := json.Marshal(obj.Object)
	if err != nil {
		return nil, err
	}
	opts := metav1.PatchOptions{FieldManager: FieldManager, Force: ptr(true), FieldValidation: metav1.FieldValidationStrict}
	if dryRun {
		opts.DryRun = []string{metav1.DryRunAll}
	}
	return rc.Patch(ctx, obj.GetName(), types.ApplyPatchType, data, opts)
}

// ApplyAll applies objs in apply order and returns one result per object. A
// namespace that gets created also gets its `default` ServiceAccount, as the
// controller manager of a real cluster would add it (the in-process API
// server runs no controllers, and the ServiceAccount admission plugin refuses
// pods whose service account does not exist).
func (t *Target) ApplyAll(ctx context.Context, objs []*unstructured.Unstructured) []ApplyResult {
	var results []ApplyResult
	for _, o := range Ordered(objs) {
		live, err := t.Apply(ctx, o, false)
		results = append(results, ApplyResult{Object: o, Live: live, Err: err})
		if err == nil && o.GetKind() == "Namespace" && o.GetAPIVersion() == "v1" {
			if err := t.EnsureDefaultServiceAccount(ctx, o.GetName()); err != nil {
				results = append(results, ApplyResult{Object: o, Err: fmt.Errorf("creating its default ServiceAccount: %w", err)})
			}
		}
	}
	return results
}

// EnsureDefaultServiceAccount creates ServiceAccount `default` in ns if it is missing.
func (t *Target) EnsureDefaultServiceAccount(ctx context.Context, ns string) error {
	sa := &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "default", Namespace: ns}}
	_, err := t.Client.CoreV1().ServiceAccounts(ns).Create(ctx, sa, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		return nil
	}
	return err
}

// Failures turns the failed results into one message per object.
func Failures(results []ApplyResult) []string {
	var out []string
	for _, r := range results {
		if r.Err != nil {
			out = append(out, fmt.Sprintf("%s was refused: %v", Describe(r.Object), r.Err))
		}
	}
	return out
}

func ptr[T any](v T) *T { return &v }
