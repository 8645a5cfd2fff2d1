package mocktest

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// StackConfig is a stack's configuration as the Pulumi CLI would hand it to the program.
type StackConfig struct {
	Project    string
	Values     map[string]string // "k8sbook:prefix" -> value (objects as JSON)
	SecretKeys []string
}

// LoadStackConfig reads Pulumi.yaml and Pulumi.<stack>.yaml from dir with the SDK's own loaders
// and applies the project's config defaults the way the CLI does: a stack value wins, else the
// declared default.
func LoadStackConfig(dir, stack string) (*StackConfig, error) {
	proj, err := workspace.LoadProject(filepath.Join(dir, "Pulumi.yaml"))
	if err != nil {
		return nil, err
	}
	ps, err := workspace.LoadProjectStack(nil, proj, filepath.Join(dir, "Pulumi."+stack+".yaml"))
	if err != nil {
		return nil, err
	}
	sc := &StackConfig{Project: string(proj.Name), Values: map[string]string{}}
	for key, decl := range proj.Config {
		if decl.Default == nil {
			continue
		}
		v, err := defaultString(decl.Default)
		if err != nil {
			return nil, fmt.Errorf("Pulumi.yaml config %s: %w", key, err)
		}
		sc.Values[string(proj.Name)+":"+key] = v
	}
	for key, v := range ps.Config {
		if v.Secure() {
			return nil, fmt.Errorf("Pulumi.%s.yaml: %s is encrypted; example stack files must not hold secrets", stack, key)
		}
		s, err := v.Value(config.NopDecrypter)
		if err != nil {
			return nil, fmt.Errorf("Pulumi.%s.yaml: %s: %w", stack, key, err)
		}
		sc.Values[key.String()] = s
	}
	return sc, nil
}

func defaultString(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case bool:
		return strconv.FormatBool(v), nil
	case int:
		return strconv.Itoa(v), nil
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), nil
	default:
		b, err := json.Marshal(v)
		return string(b), err
	}
}

// Output is one resolved stack output.
type Output struct {
	Value  any
	Secret bool
}

// Result is what one run of a program registered and exported.
type Result struct {
	Err         error
	Resources   []Resource
	Invocations []Invocation
	Outputs     map[string]Output
}

// Run executes program for stack under mocks with the given config. It runs as an update (not a
// preview) so every output is known and secrets can be checked.
func Run(program pulumi.RunFunc, stack string, cfg *StackConfig, cloud Cloud) *Result {
	rec := NewRecorder(cfg.Project, stack, cloud)
	res := &Result{Outputs: map[string]Output{}}
	var mu sync.Mutex
	res.Err = pulumi.RunErr(func(ctx *pulumi.Context) error {
		if err := program(ctx); err != nil {
			return err
		}
		for name, v := range ctx.GetCurrentExportMap() {
			out := pulumi.ToOutput(v)
			secret := pulumi.IsSecret(out)
			out.ApplyT(func(x any) any {
				mu.Lock()
				res.Outputs[name] = Output{Value: x, Secret: secret}
				mu.Unlock()
				return x
			})
		}
		return nil
	}, pulumi.WithMocks(cfg.Project, stack, rec), func(info *pulumi.RunInfo) {
		info.Config = cfg.Values
		info.ConfigSecretKeys = slices.Clone(cfg.SecretKeys)
		info.DryRun = false
	})
	res.Resources = rec.Resources()
	res.Invocations = rec.Invocations()
	return res
}

// Lookup returns the resource with the given type and logical name.
func (r *Result) Lookup(typ, name string) (Resource, bool) {
	for _, res := range r.Resources {
		if res.Type == typ && res.Name == name {
			return res, true
		}
	}
	return Resource{}, false
}

// OfType returns every resource of the given type, sorted by URN.
func (r *Result) OfType(typ string) []Resource {
	var out []Resource
	for _, res := range r.Resources {
		if res.Type == typ {
			out = append(out, res)
		}
	}
	return out
}

// ByURN returns the resource with the given URN.
func (r *Result) ByURN(urn string) (Resource, bool) {
	for _, res := range r.Resources {
		if res.URN == urn {
			return res, true
		}
	}
	return Resource{}, false
}

// Input returns the plain value (secrets unwrapped) at a property path such as
// "agentPoolProfiles[0].minCount", and whether it is present.
func (res Resource) Input(path string) (any, bool) {
	v, _, ok := res.lookup(path)
	if !ok {
		return nil, false
	}
	return Plain(v, false), true
}

// InputIsSecret reports whether the value at path is present and secret, either itself or
// because an enclosing value is.
func (res Resource) InputIsSecret(path string) bool {
	v, enclosed, ok := res.lookup(path)
	return ok && (enclosed || v.ContainsSecrets())
}

// lookup walks a property path, looking through secrets and known outputs on the way; secret
// tells whether it passed through one.
func (res Resource) lookup(path string) (v resource.PropertyValue, secret bool, ok bool) {
	p, err := resource.ParsePropertyPath(path)
	if err != nil {
		return resource.PropertyValue{}, false, false
	}
	v = resource.NewObjectProperty(res.Inputs)
	for _, key := range p {
		v, secret = unwrap(v, secret)
		switch k := key.(type) {
		case string:
			if !v.IsObject() {
				return resource.PropertyValue{}, false, false
			}
			if v, ok = v.ObjectValue()[resource.PropertyKey(k)]; !ok {
				return resource.PropertyValue{}, false, false
			}
		case int:
			if !v.IsArray() || k < 0 || k >= len(v.ArrayValue()) {
				return resource.PropertyValue{}, false, false
			}
			v = v.ArrayValue()[k]
		}
	}
	return v, secret, true
}

func unwrap(v resource.PropertyValue, secret bool) (resource.PropertyValue, bool) {
	for {
		switch {
		case v.IsSecret():
			v, secret = v.SecretValue().Element, true
		case v.IsOutput() && v.OutputValue().Known:
			secret = secret || v.OutputValue().Secret
			v = v.OutputValue().Element
		default:
			return v, secret
		}
	}
}
