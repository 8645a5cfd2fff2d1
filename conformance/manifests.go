package conformance

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// DefaultManifestDir is where the stack tests of the root module write one
// file per stack, seen from this module's folder.
const DefaultManifestDir = "../testdata/manifests"

// ManifestDirEnv overrides DefaultManifestDir (for trying the suite on other files).
const ManifestDirEnv = "K8SBOOK_MANIFESTS"

// RequiredStacks are the stacks whose manifest file must exist: a missing one
// fails the suite instead of silently shrinking it. Extend it as stacks land.
var RequiredStacks = []string{"aio-blue", "aio-green", "ch08", "ch09", "ch10-blue", "ch10-green", "ch11"}

// File is one stack's manifest file.
type File struct {
	Path     string    `json:"-"`
	Stack    string    `json:"stack"`
	Clusters []Cluster `json:"clusters"`
}

// Cluster is one AKS cluster of a stack and what the program would put on it.
type Cluster struct {
	Name         string                       `json:"cluster"`
	Objects      []*unstructured.Unstructured `json:"-"`
	RawObjects   []map[string]any             `json:"objects"`
	HelmReleases []HelmRelease                `json:"helmReleases"`
}

// HelmRelease is a chart the program installs; the suite does not render charts.
type HelmRelease struct {
	Name       string `json:"name"`
	Chart      string `json:"chart"`
	Version    string `json:"version"`
	Repository string `json:"repository"`
	Namespace  string `json:"namespace"`
}

// ManifestDir returns the folder the suite reads.
func ManifestDir() string {
	if d := os.Getenv(ManifestDirEnv); d != "" {
		return d
	}
	return DefaultManifestDir
}

// LoadDir reads every *.json file of dir. It fails when there is none, when a
// required stack has no file, or when a file is malformed.
func LoadDir(dir string, required []string) ([]*File, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("no manifest files (*.json) in %s: the stack tests of the root module write them (go test ./... at the repository root)", dir)
	}
	sort.Strings(paths)
	var files []*File
	have := map[string]bool{}
	for _, p := range paths {
		f, err := LoadFile(p)
		if err != nil {
			return nil, err
		}
		have[f.Stack] = true
		files = append(files, f)
	}
	var missing []string
	for _, s := range required {
		if !have[s] {
			missing = append(missing, s)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("required manifest missing in %s for stack(s) %s", dir, strings.Join(missing, ", "))
	}
	return files, nil
}

// LoadFile reads and checks one manifest file.
func LoadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := ParseFile(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	f.Path = path
	if want := strings.TrimSuffix(filepath.Base(path), ".json"); f.Stack != want {
		return nil, fmt.Errorf("%s: stack is %q, want %q (the file name)", path, f.Stack, want)
	}
	return f, nil
}

// ParseFile decodes a manifest file and turns its objects into unstructured objects.
func ParseFile(data []byte) (*File, error) {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	var f File
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	if f.Stack == "" {
		return nil, fmt.Errorf("no stack name")
	}
	if len(f.Clusters) == 0 {
		return nil, fmt.Errorf("stack %s: no clusters", f.Stack)
	}
	for ci := range f.Clusters {
		c := &f.Clusters[ci]
		if c.Name == "" {
			return nil, fmt.Errorf("stack %s: cluster %d has no name", f.Stack, ci)
		}
		seen := map[string]bool{}
		for oi, raw := range c.RawObjects {
			o := &unstructured.Unstructured{Object: raw}
			if o.GetAPIVersion() == "" || o.GetKind() == "" || o.GetName() == "" {
				return nil, fmt.Errorf("stack %s cluster %s: object %d lacks apiVersion, kind or metadata.name", f.Stack, c.Name, oi)
			}
			id := Describe(o)
			if seen[id] {
				return nil, fmt.Errorf("stack %s cluster %s: %s appears twice", f.Stack, c.Name, id)
			}
			seen[id] = true
			c.Objects = append(c.Objects, o)
		}
	}
	return &f, nil
}

// Describe names an object the way a failure message should: kind, apiVersion, namespace/name.
func Describe(o *unstructured.Unstructured) string {
	name := o.GetName()
	if ns := o.GetNamespace(); ns != "" {
		name = ns + "/" + name
	}
	return fmt.Sprintf("%s %s (%s)", o.GetKind(), name, o.GetAPIVersion())
}

// Find returns the first object of the given kind and name (any namespace), or nil.
func (c *Cluster) Find(kind, name string) *unstructured.Unstructured {
	for _, o := range c.Objects {
		if o.GetKind() == kind && o.GetName() == name {
			return o
		}
	}
	return nil
}

// DeepCopy copies the cluster so a test can mutate its objects.
func (c *Cluster) DeepCopy() *Cluster {
	out := &Cluster{Name: c.Name, HelmReleases: append([]HelmRelease(nil), c.HelmReleases...)}
	for _, o := range c.Objects {
		out.Objects = append(out.Objects, o.DeepCopy())
	}
	return out
}
