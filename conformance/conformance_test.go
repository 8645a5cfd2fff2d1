package conformance

import (
	"context"
	"testing"
)

// check is one semantic check of a cluster's objects.
type check struct {
	name string
	fn   func(context.Context, *Target, *Cluster) (Report, bool)
}

var checks = []check{
	{"rbac-tenant", CheckRBACTenant},
	{"todoapp", CheckTodoApp},
	{"nginx", CheckNginx},
}

// requiredChecks names, per stack, the semantic checks its objects must trigger in at least one
// of its clusters: a check that silently stopped applying (an object renamed or dropped) fails.
var requiredChecks = map[string][]string{
	"ch08":       {"todoapp"},
	"ch09":       {"nginx"},
	"ch10-blue":  {"todoapp", "nginx"},
	"ch10-green": {"todoapp", "nginx"},
	"ch11":       {"rbac-tenant"},
	"aio-blue":   {"todoapp", "rbac-tenant"},
	"aio-green":  {"todoapp", "rbac-tenant"},
}

// TestManifests applies every stack's objects, cluster by cluster, each to a
// fresh API server, and runs the semantic checks that the objects call for.
func TestManifests(t *testing.T) {
	files, err := LoadDir(ManifestDir(), RequiredStacks)
	if err != nil {
		t.Fatal(err)
	}
	etcd := startEtcd(t)
	for _, f := range files {
		t.Run(f.Stack, func(t *testing.T) {
			ran := map[string]bool{}
			for i := range f.Clusters {
				c := &f.Clusters[i]
				t.Run(c.Name, func(t *testing.T) {
					target := startTarget(t, etcd)
					for _, name := range runCluster(t, target, c) {
						ran[name] = true
					}
				})
			}
			for _, name := range requiredChecks[f.Stack] {
				if !ran[name] {
					t.Errorf("check %s found nothing to check in stack %s: its objects are missing or renamed", name, f.Stack)
				}
			}
		})
	}
}

// runCluster is the whole proof for one cluster: acceptance, then checks. It returns the names
// of the checks that found objects to check.
func runCluster(t *testing.T, target *Target, c *Cluster) (applied []string) {
	ctx := t.Context()
	for _, h := range c.HelmReleases {
		t.Logf("not covered: Helm release %s (chart %s %s from %s, namespace %s): charts are not rendered by this suite",
			h.Name, h.Chart, h.Version, h.Repository, h.Namespace)
	}
	results := target.ApplyAll(ctx, c.Objects)
	t.Run("acceptance", func(t *testing.T) {
		for _, p := range Failures(results) {
			t.Error(p)
		}
		t.Logf("%d objects applied (server-side apply, fieldValidation=Strict)", len(c.Objects))
	})
	for _, ck := range checks {
		t.Run(ck.name, func(t *testing.T) {
			r, applies := ck.fn(ctx, target, c)
			if !applies {
				t.Skipf("no objects for this check in cluster %s", c.Name)
			}
			applied = append(applied, ck.name)
			for _, n := range r.Notes {
				t.Log(n)
			}
			for _, p := range r.Problems {
				t.Error(p)
			}
		})
	}
	return applied
}
