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
			for i := range f.Clusters {
				c := &f.Clusters[i]
				t.Run(c.Name, func(t *testing.T) {
					target := startTarget(t, etcd)
					runCluster(t, target, c)
				})
			}
		})
	}
}

// runCluster is the whole proof for one cluster: acceptance, then checks.
func runCluster(t *testing.T, target *Target, c *Cluster) {
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
			for _, n := range r.Notes {
				t.Log(n)
			}
			for _, p := range r.Problems {
				t.Error(p)
			}
		})
	}
}
