package mocktest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// SecretPlaceholder replaces secret values in golden files and manifests.
const SecretPlaceholder = "[secret]"

// Plain converts a property value to plain Go data. With redact, secrets become SecretPlaceholder.
func Plain(v resource.PropertyValue, redact bool) any {
	switch {
	case v.IsSecret():
		if redact {
			return redactLeaves(Plain(v.SecretValue().Element, false))
		}
		return Plain(v.SecretValue().Element, redact)
	case v.IsOutput():
		o := v.OutputValue()
		if !o.Known {
			return "[unknown]"
		}
		if o.Secret && redact {
			return redactLeaves(Plain(o.Element, false))
		}
		return Plain(o.Element, redact)
	case v.IsComputed():
		return "[unknown]"
	case v.IsObject():
		return PlainMap(v.ObjectValue(), redact)
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = Plain(e, redact)
		}
		return out
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN)
	case v.IsAsset(), v.IsArchive():
		return "[asset]"
	case v.IsNull():
		return nil
	default:
		return v.V
	}
}

// redactLeaves keeps the shape of a secret object (its keys, so a Secret's stringData stays a
// map) and replaces every scalar with SecretPlaceholder.
func redactLeaves(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = redactLeaves(e)
		}
		return v
	case []any:
		for i, e := range v {
			v[i] = redactLeaves(e)
		}
		return v
	default:
		return SecretPlaceholder
	}
}

// PlainMap converts a property map, see Plain.
func PlainMap(m resource.PropertyMap, redact bool) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[string(k)] = Plain(v, redact)
	}
	return out
}

// Inventory renders resources as a stable, reviewable text: one block per resource with its
// parent, explicit provider, options and inputs (secrets redacted).
func Inventory(resources []Resource) []byte {
	byURN := map[string]Resource{}
	for _, r := range resources {
		byURN[r.URN] = r
	}
	label := func(urn string) string {
		if r, ok := byURN[urn]; ok {
			return r.Type + " " + r.Name
		}
		return urn
	}
	var b bytes.Buffer
	for _, r := range resources {
		fmt.Fprintf(&b, "%s %s\n", r.Type, r.Name)
		if r.Parent != "" && !strings.Contains(r.Parent, "pulumi:pulumi:Stack") {
			fmt.Fprintf(&b, "  parent: %s\n", label(r.Parent))
		}
		if p := r.ProviderURN(); p != "" {
			fmt.Fprintf(&b, "  provider: %s\n", label(p))
		}
		if len(r.IgnoreChanges) > 0 {
			fmt.Fprintf(&b, "  ignoreChanges: %s\n", strings.Join(r.IgnoreChanges, ", "))
		}
		if r.Protect {
			b.WriteString("  protect: true\n")
		}
		if r.RetainOnDelete {
			b.WriteString("  retainOnDelete: true\n")
		}
		if len(r.Inputs) > 0 {
			js, _ := json.Marshal(PlainMap(r.Inputs, true))
			fmt.Fprintf(&b, "  inputs: %s\n", js)
		}
	}
	return b.Bytes()
}

// ManifestFile is the Kubernetes side of a stack: per cluster, the objects the program applies
// and the Helm releases it installs. The conformance suite applies it to a real API server.
type ManifestFile struct {
	Stack    string            `json:"stack"`
	Clusters []ClusterManifest `json:"clusters"`
}

// ClusterManifest is what goes to one cluster.
type ClusterManifest struct {
	Cluster      string           `json:"cluster"`
	Objects      []map[string]any `json:"objects"`
	HelmReleases []HelmRelease    `json:"helmReleases,omitempty"`
}

// HelmRelease is a chart the program installs; charts are not rendered offline.
type HelmRelease struct {
	Name       string `json:"name"`
	Chart      string `json:"chart"`
	Version    string `json:"version"`
	Repository string `json:"repository"`
	Namespace  string `json:"namespace"`
}

// Manifests groups the stack's Kubernetes objects by the cluster their provider points at.
// Secret values are replaced by SecretPlaceholder. A stack without Kubernetes objects has none: nil.
func Manifests(stack string, resources []Resource) ([]byte, error) {
	clusters := map[string]*ClusterManifest{}
	for _, r := range resources {
		if !strings.HasPrefix(r.Type, "kubernetes:") {
			continue
		}
		name, err := clusterOf(r, resources)
		if err != nil {
			return nil, err
		}
		cm := clusters[name]
		if cm == nil {
			cm = &ClusterManifest{Cluster: name, Objects: []map[string]any{}}
			clusters[name] = cm
		}
		if r.Type == TypeHelmRelease {
			cm.HelmReleases = append(cm.HelmReleases, helmRelease(r))
			continue
		}
		cm.Objects = append(cm.Objects, PlainMap(r.Inputs, true))
	}
	if len(clusters) == 0 {
		return nil, nil
	}
	file := ManifestFile{Stack: stack, Clusters: []ClusterManifest{}}
	for _, cm := range clusters {
		slices.SortFunc(cm.Objects, compareObjects)
		file.Clusters = append(file.Clusters, *cm)
	}
	slices.SortFunc(file.Clusters, func(a, b ClusterManifest) int { return strings.Compare(a.Cluster, b.Cluster) })
	out, err := json.MarshalIndent(file, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// clusterOf finds the Azure name of the cluster a Kubernetes resource is deployed to: its
// provider's parent is an AKSCluster component whose ManagedCluster child carries the name.
func clusterOf(r Resource, all []Resource) (string, error) {
	providerURN := r.ProviderURN()
	if providerURN == "" {
		return "", fmt.Errorf("%s %s uses the default Kubernetes provider (the ambient kubeconfig), not a cluster's", r.Type, r.Name)
	}
	var provider *Resource
	for i := range all {
		if all[i].URN == providerURN {
			provider = &all[i]
		}
	}
	if provider == nil {
		return "", fmt.Errorf("%s %s: provider %s was not registered", r.Type, r.Name, providerURN)
	}
	for _, c := range all {
		if c.Parent == provider.Parent && c.Parent != "" && strings.Contains(c.Type, ":ManagedCluster") {
			if v, ok := c.Inputs["resourceName"]; ok && v.IsString() {
				return v.StringValue(), nil
			}
		}
	}
	return provider.Name, nil
}

func helmRelease(r Resource) HelmRelease {
	m := PlainMap(r.Inputs, true)
	str := func(v any) string { s, _ := v.(string); return s }
	repo := ""
	if opts, ok := m["repositoryOpts"].(map[string]any); ok {
		repo = str(opts["repo"])
	}
	return HelmRelease{
		Name: str(m["name"]), Chart: str(m["chart"]), Version: str(m["version"]),
		Repository: repo, Namespace: str(m["namespace"]),
	}
}

// kindOrder puts what other objects need first, the order a client applies them in.
var kindOrder = []string{"Namespace", "ServiceAccount", "LimitRange", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "Secret", "ConfigMap"}

func compareObjects(a, b map[string]any) int {
	rank := func(o map[string]any) int {
		k, _ := o["kind"].(string)
		if i := slices.Index(kindOrder, k); i >= 0 {
			return i
		}
		return len(kindOrder)
	}
	key := func(o map[string]any) string {
		md, _ := o["metadata"].(map[string]any)
		ns, _ := md["namespace"].(string)
		name, _ := md["name"].(string)
		k, _ := o["kind"].(string)
		return k + "/" + ns + "/" + name
	}
	return cmp.Or(cmp.Compare(rank(a), rank(b)), strings.Compare(key(a), key(b)))
}
