package conformance

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// The self-tests prove the suite fails for the right reason: each one breaks a
// copy of a cluster's objects in memory and asserts that the acceptance step
// or a check reports it. They run on the real manifest files when present and
// otherwise on minimal in-memory clusters built here (never written to disk).

// baseCluster returns the first cluster of the real manifests that has an
// object of the given kind and name, or the reference cluster.
func baseCluster(t *testing.T, kind, name string, reference func(t *testing.T) *Cluster) *Cluster {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(ManifestDir(), "*.json"))
	// Prefer a chapter's own stack to the all-in-one ones.
	sort.SliceStable(paths, func(i, j int) bool {
		return !strings.HasPrefix(filepath.Base(paths[i]), "aio") && strings.HasPrefix(filepath.Base(paths[j]), "aio")
	})
	for _, p := range paths {
		f, err := LoadFile(p)
		if err != nil {
			continue // TestManifests reports it
		}
		for i := range f.Clusters {
			if f.Clusters[i].Find(kind, name) != nil {
				t.Logf("base: %s cluster %s", f.Path, f.Clusters[i].Name)
				return f.Clusters[i].DeepCopy()
			}
		}
	}
	t.Logf("base: in-memory reference objects (no manifest file has %s %s)", kind, name)
	return reference(t)
}

func mustParse(t *testing.T, stack, objects string) *Cluster {
	t.Helper()
	f, err := ParseFile([]byte(`{"stack":"` + stack + `","clusters":[{"cluster":"reference","objects":` + objects + `}]}`))
	if err != nil {
		t.Fatal(err)
	}
	return &f.Clusters[0]
}

func referenceTenant(t *testing.T) *Cluster {
	return mustParse(t, "ch11", `[
 {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"k8sbook"}},
 {"apiVersion":"v1","kind":"LimitRange","metadata":{"name":"mem-max-500mi","namespace":"k8sbook"},
  "spec":{"limits":[{"type":"Container","max":{"memory":"500Mi"}}]}},
 {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"k8sbook-dev","namespace":"k8sbook"},
  "rules":[{"apiGroups":["","apps"],"resources":["deployments","replicasets","pods","pods/log"],"verbs":["*"]}]},
 {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"k8sbook-dev-rolebinding","namespace":"k8sbook"},
  "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"k8sbook-dev"},
  "subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"Group","name":"00000000-0000-4000-8000-000000000001"}]},
 {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"pod-reader","namespace":"k8sbook"},
  "rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get","watch","list"]}]},
 {"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"k8sbook-pod-reader","namespace":"k8sbook"}},
 {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"k8sbook-pod-reader-rolebinding","namespace":"k8sbook"},
  "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"pod-reader"},
  "subjects":[{"kind":"ServiceAccount","name":"k8sbook-pod-reader","namespace":"k8sbook"}]},
 {"apiVersion":"v1","kind":"Pod","metadata":{"name":"stress","namespace":"k8sbook"},
  "spec":{"containers":[{"name":"stress","image":"polinux/stress","command":["stress"],"args":["--vm","1","--vm-bytes","300M","--vm-hang","1"]}]}}
]`)
}

func referenceTodo(t *testing.T) *Cluster {
	return mustParse(t, "ch08", `[
 {"apiVersion":"v1","kind":"Secret","metadata":{"name":"cosmosdb-secret"},"stringData":{"MONGO_URL":"[secret]"}},
 {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"todoapp","labels":{"app":"todoapp"}},
  "spec":{"replicas":2,"selector":{"matchLabels":{"app":"todoapp"}},
   "template":{"metadata":{"labels":{"app":"todoapp"}},"spec":{
    "securityContext":{"runAsNonRoot":true,"runAsUser":65532,"seccompProfile":{"type":"RuntimeDefault"}},
    "containers":[{"name":"todoapp","image":"example.azurecr.io/todoapp:1.0.0",
     "ports":[{"name":"http","containerPort":8080}],
     "env":[{"name":"MONGO_URL","valueFrom":{"secretKeyRef":{"name":"cosmosdb-secret","key":"MONGO_URL"}}},
            {"name":"POD_NAME","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}],
     "resources":{"requests":{"cpu":"250m","memory":"100Mi"},"limits":{"cpu":"250m","memory":"100Mi"}},
     "readinessProbe":{"httpGet":{"path":"/readyz","port":8080}},
     "livenessProbe":{"httpGet":{"path":"/healthz","port":8080}},
     "securityContext":{"runAsNonRoot":true,"runAsUser":65532,"readOnlyRootFilesystem":true,
      "allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]},"seccompProfile":{"type":"RuntimeDefault"}}}]}}}},
 {"apiVersion":"v1","kind":"Service","metadata":{"name":"todoapp"},
  "spec":{"type":"LoadBalancer","sessionAffinity":"ClientIP","selector":{"app":"todoapp"},"ports":[{"port":80,"targetPort":8080}]}},
 {"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"todoapp"},
  "spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"todoapp"}}}}
]`)
}

func referenceNginx(t *testing.T) *Cluster {
	return mustParse(t, "ch09", `[
 {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx","namespace":"default"},
  "spec":{"replicas":2,"selector":{"matchLabels":{"app":"nginx"}},
   "template":{"metadata":{"labels":{"app":"nginx"}},"spec":{"containers":[{"name":"nginx","image":"nginx",
    "resources":{"requests":{"cpu":"1000m"}}}]}}}}
]`)
}

// mutation breaks a cluster and says what the suite must then report.
type mutation struct {
	name   string
	kind   string // the object the base cluster must have
	object string
	ref    func(*testing.T) *Cluster
	mutate func(t *testing.T, c *Cluster)
	// verify asserts the failure is reported; results and reports are those of the broken cluster.
	verify func(t *testing.T, results []ApplyResult, reports map[string]Report)
}

func obj(t *testing.T, c *Cluster, kind, name string) *unstructured.Unstructured {
	t.Helper()
	o := c.Find(kind, name)
	if o == nil {
		t.Fatalf("base cluster has no %s %s", kind, name)
	}
	return o
}

func set(t *testing.T, o *unstructured.Unstructured, value any, fields ...string) {
	t.Helper()
	if err := unstructured.SetNestedField(o.Object, value, fields...); err != nil {
		t.Fatal(err)
	}
}

// rules returns the Role's rules as a mutable slice of maps.
func rules(t *testing.T, o *unstructured.Unstructured) []any {
	t.Helper()
	rs, ok := o.Object["rules"].([]any)
	if !ok || len(rs) == 0 {
		t.Fatalf("%s has no rules", Describe(o))
	}
	return rs
}

// addRule widens a Role by one rule of its own, so the widening holds
// whatever the Role's existing rules look like.
func addRule(t *testing.T, role *unstructured.Unstructured, group, resource string, verbs ...string) {
	t.Helper()
	var vs []any
	for _, v := range verbs {
		vs = append(vs, v)
	}
	role.Object["rules"] = append(rules(t, role), map[string]any{
		"apiGroups": []any{group}, "resources": []any{resource}, "verbs": vs,
	})
}

func wantRefused(kind, name, reason string) func(*testing.T, []ApplyResult, map[string]Report) {
	return func(t *testing.T, results []ApplyResult, _ map[string]Report) {
		t.Helper()
		for _, f := range Failures(results) {
			if strings.Contains(f, kind+" ") && strings.Contains(f, name) && strings.Contains(f, reason) {
				t.Logf("reported as expected: %s", f)
				return
			}
		}
		t.Errorf("acceptance did not report %s %s refused (%q); failures: %q", kind, name, reason, Failures(results))
	}
}

func wantProblem(check string, substrings ...string) func(*testing.T, []ApplyResult, map[string]Report) {
	return func(t *testing.T, results []ApplyResult, reports map[string]Report) {
		t.Helper()
		if f := Failures(results); len(f) > 0 {
			t.Errorf("the broken objects should still be accepted, got %q", f)
		}
		r := reports[check]
		if !r.HasProblem(substrings...) {
			t.Errorf("check %s did not report a problem containing %q; problems: %q", check, substrings, r.Problems)
			return
		}
		for _, p := range r.Problems {
			t.Logf("reported as expected: %s", p)
		}
	}
}

var mutations = []mutation{
	{
		name: "unknown-field-refused-by-strict-validation", kind: "Deployment", object: TodoDeployment, ref: referenceTodo,
		mutate: func(t *testing.T, c *Cluster) {
			set(t, obj(t, c, "Deployment", TodoDeployment), int64(2), "spec", "replicaz")
		},
		verify: wantRefused("Deployment", TodoDeployment, ".spec.replicaz: field not declared in schema"),
	},
	{
		name: "invalid-value-refused", kind: "Deployment", object: NginxDeployment, ref: referenceNginx,
		mutate: func(t *testing.T, c *Cluster) {
			set(t, obj(t, c, "Deployment", NginxDeployment), int64(-1), "spec", "replicas")
		},
		verify: wantRefused("Deployment", NginxDeployment, "must be greater than or equal to 0"),
	},
	{
		name: "developer-role-widened-to-secrets", kind: "RoleBinding", object: DevRoleBinding, ref: referenceTenant,
		mutate: func(t *testing.T, c *Cluster) {
			addRule(t, obj(t, c, "Role", "k8sbook-dev"), "", "secrets", "*")
		},
		verify: wantProblem("rbac-tenant", "developer", "may get secrets", "but should not"),
	},
	{
		name: "developer-role-narrowed-without-pods", kind: "RoleBinding", object: DevRoleBinding, ref: referenceTenant,
		mutate: func(t *testing.T, c *Cluster) {
			for _, ri := range rules(t, obj(t, c, "Role", "k8sbook-dev")) {
				r := ri.(map[string]any)
				var kept []any
				for _, res := range r["resources"].([]any) {
					if res != "pods" {
						kept = append(kept, res)
					}
				}
				r["resources"] = kept
			}
		},
		verify: wantProblem("rbac-tenant", "developer", "could not create a Pod in k8sbook"),
	},
	{
		name: "developer-group-by-display-name", kind: "RoleBinding", object: DevRoleBinding, ref: referenceTenant,
		mutate: func(t *testing.T, c *Cluster) {
			set(t, obj(t, c, "RoleBinding", DevRoleBinding), []any{map[string]any{
				"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "k8sbook-developers",
			}}, "subjects")
		},
		verify: wantProblem("rbac-tenant", `binds Group "k8sbook-developers", which is not an Entra object id`),
	},
	{
		name: "pod-reader-widened-to-secrets", kind: "ServiceAccount", object: PodReaderSA, ref: referenceTenant,
		mutate: func(t *testing.T, c *Cluster) {
			addRule(t, obj(t, c, "Role", "pod-reader"), "", "secrets", "get", "list", "watch")
		},
		verify: wantProblem("rbac-tenant", "ServiceAccount k8sbook/k8sbook-pod-reader", "could list Secrets"),
	},
	{
		name: "pod-reader-widened-to-delete", kind: "ServiceAccount", object: PodReaderSA, ref: referenceTenant,
		mutate: func(t *testing.T, c *Cluster) {
			addRule(t, obj(t, c, "Role", "pod-reader"), "", "pods", "delete")
		},
		verify: wantProblem("rbac-tenant", "ServiceAccount k8sbook/k8sbook-pod-reader", "could delete a Pod"),
	},
	{
		name: "limitrange-without-max", kind: "LimitRange", object: MemLimitRange, ref: referenceTenant,
		mutate: func(t *testing.T, c *Cluster) {
			for _, li := range obj(t, c, "LimitRange", MemLimitRange).Object["spec"].(map[string]any)["limits"].([]any) {
				delete(li.(map[string]any), "max")
			}
		},
		verify: wantProblem("rbac-tenant", "asking 600Mi memory was admitted"),
	},
	{
		name: "todoapp-template-privileged", kind: "Deployment", object: TodoDeployment, ref: referenceTodo,
		mutate: func(t *testing.T, c *Cluster) {
			d := obj(t, c, "Deployment", TodoDeployment)
			cs, _, _ := unstructured.NestedSlice(d.Object, "spec", "template", "spec", "containers")
			c0 := cs[0].(map[string]any)
			sc, _ := c0["securityContext"].(map[string]any)
			if sc == nil {
				sc = map[string]any{}
				c0["securityContext"] = sc
			}
			sc["allowPrivilegeEscalation"] = true
			sc["capabilities"] = map[string]any{"add": []any{"NET_ADMIN"}}
			set(t, d, cs, "spec", "template", "spec", "containers")
		},
		verify: wantProblem("todoapp", "does not pass Pod Security admission at restricted", "allowPrivilegeEscalation"),
	},
	{
		name: "service-selects-nothing", kind: "Deployment", object: TodoDeployment, ref: referenceTodo,
		mutate: func(t *testing.T, c *Cluster) {
			set(t, obj(t, c, "Service", TodoDeployment), map[string]any{"app": "todo-app-typo"}, "spec", "selector")
		},
		verify: wantProblem("todoapp", "Service", "does not select the Deployment's pods"),
	},
	{
		name: "pdb-blocks-every-drain", kind: "Deployment", object: TodoDeployment, ref: referenceTodo,
		mutate: func(t *testing.T, c *Cluster) {
			pdb := obj(t, c, "PodDisruptionBudget", TodoDeployment)
			unstructured.RemoveNestedField(pdb.Object, "spec", "maxUnavailable")
			set(t, pdb, "100%", "spec", "minAvailable")
		},
		verify: wantProblem("todoapp", "allows no voluntary disruption"),
	},
	{
		name: "nginx-without-cpu-request", kind: "Deployment", object: NginxDeployment, ref: referenceNginx,
		mutate: func(t *testing.T, c *Cluster) {
			d := obj(t, c, "Deployment", NginxDeployment)
			cs, _, _ := unstructured.NestedSlice(d.Object, "spec", "template", "spec", "containers")
			delete(cs[0].(map[string]any), "resources")
			set(t, d, cs, "spec", "template", "spec", "containers")
		},
		verify: wantProblem("nginx", "has no CPU request"),
	},
}

// TestSelfTests proves that the suite passes on the base clusters and fails,
// with the right message, on each broken copy.
func TestSelfTests(t *testing.T) {
	etcd := startEtcd(t)
	bases := []struct {
		kind, name string
		ref        func(*testing.T) *Cluster
	}{
		{"RoleBinding", DevRoleBinding, referenceTenant},
		{"Deployment", TodoDeployment, referenceTodo},
		{"Deployment", NginxDeployment, referenceNginx},
	}
	for _, b := range bases {
		t.Run("baseline-"+b.name, func(t *testing.T) {
			c := baseCluster(t, b.kind, b.name, b.ref)
			target := startTarget(t, etcd)
			results, reports := runAll(t, target, c)
			if f := Failures(results); len(f) > 0 {
				t.Errorf("base cluster refused: %q", f)
			}
			for name, r := range reports {
				if len(r.Problems) > 0 {
					t.Errorf("check %s on the base cluster: %q", name, r.Problems)
				}
			}
		})
	}
	for _, m := range mutations {
		t.Run(m.name, func(t *testing.T) {
			c := baseCluster(t, m.kind, m.object, m.ref)
			m.mutate(t, c)
			target := startTarget(t, etcd)
			results, reports := runAll(t, target, c)
			m.verify(t, results, reports)
		})
	}
}

func runAll(t *testing.T, target *Target, c *Cluster) ([]ApplyResult, map[string]Report) {
	t.Helper()
	results := target.ApplyAll(t.Context(), c.Objects)
	reports := map[string]Report{}
	for _, ck := range checks {
		if r, applies := ck.fn(t.Context(), target, c); applies {
			reports[ck.name] = r
		}
	}
	return results, reports
}

// TestLoadDirFailsWithoutManifests proves the suite cannot pass on nothing.
func TestLoadDirFailsWithoutManifests(t *testing.T) {
	empty := t.TempDir()
	if _, err := LoadDir(empty, nil); err == nil || !strings.Contains(err.Error(), "no manifest files") {
		t.Errorf("LoadDir on an empty folder: got %v, want a 'no manifest files' error", err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ch09.json"), []byte(`{"stack":"ch09","clusters":[{"cluster":"c","objects":[]}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadDir(dir, []string{"ch09", "ch11"}); err == nil || !strings.Contains(err.Error(), "ch11") {
		t.Errorf("LoadDir without a required stack: got %v, want an error naming ch11", err)
	}
	if _, err := LoadDir(dir, []string{"ch09"}); err != nil {
		t.Errorf("LoadDir with every required stack: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ch10.json"), []byte(`{"stack":"ch09","clusters":[{"cluster":"c","objects":[]}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadDir(dir, nil); err == nil || !strings.Contains(err.Error(), "want \"ch10\"") {
		t.Errorf("LoadDir with a file whose stack differs from its name: got %v", err)
	}
}
