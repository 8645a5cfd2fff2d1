// Package mocktest runs a Pulumi program under the SDK's mock monitor and records everything it
// registers, so tests can read what a stack would create without a cloud account.
package mocktest

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/providers"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Resource is one registration as the engine would have received it.
type Resource struct {
	URN    string
	Type   string
	Name   string
	Custom bool
	// Parent is the parent's URN; empty for children of the stack.
	Parent string
	// Provider is the explicit provider reference ("<urn>::<id>"); empty means the default provider.
	Provider string
	// Version is the provider version the resource asked for; empty for the SDK's default.
	Version        string
	Inputs         resource.PropertyMap
	Dependencies   []string // URNs
	IgnoreChanges  []string
	Protect        bool
	RetainOnDelete bool
	CustomTimeouts map[string]string // create/update/delete when set
}

// ProviderURN is the URN part of the provider reference; empty for the default provider.
func (r Resource) ProviderURN() string {
	if r.Provider == "" {
		return ""
	}
	ref, err := providers.ParseReference(r.Provider)
	if err != nil {
		return r.Provider
	}
	return string(ref.URN())
}

// Invocation is one provider function call (an invoke).
type Invocation struct {
	Token    string
	Args     resource.PropertyMap
	Provider string
}

// Cloud answers for the cloud: the outputs a resource gets and the results of invokes.
type Cloud interface {
	Outputs(r Resource) (id string, outputs resource.PropertyMap, err error)
	Invoke(token string, args resource.PropertyMap) (resource.PropertyMap, error)
}

// Recorder implements pulumi.MockResourceMonitor: it records, then asks the Cloud for outputs.
type Recorder struct {
	project, stack string
	cloud          Cloud

	mu        sync.Mutex
	resources []Resource
	invokes   []Invocation
}

// NewRecorder returns a recorder for one run of a project's stack, backed by a fake cloud.
func NewRecorder(project, stack string, cloud Cloud) *Recorder {
	return &Recorder{project: project, stack: stack, cloud: cloud}
}

// NewResource records a registration.
func (r *Recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	res := Resource{
		Type:     args.TypeToken,
		Name:     args.Name,
		Custom:   args.Custom,
		Provider: args.Provider,
		Inputs:   args.Inputs,
	}
	if rpc := args.RegisterRPC; rpc != nil {
		res.Parent = rpc.GetParent()
		res.Version = rpc.GetVersion()
		res.Dependencies = slices.Clone(rpc.GetDependencies())
		res.IgnoreChanges = slices.Clone(rpc.GetIgnoreChanges())
		res.Protect = rpc.GetProtect()
		res.RetainOnDelete = rpc.GetRetainOnDelete()
		if ct := rpc.GetCustomTimeouts(); ct != nil {
			res.CustomTimeouts = map[string]string{"create": ct.GetCreate(), "update": ct.GetUpdate(), "delete": ct.GetDelete()}
		}
	}
	if rpc := args.ReadRPC; rpc != nil {
		res.Parent = rpc.GetParent()
		res.Dependencies = slices.Clone(rpc.GetDependencies())
		res.Version = rpc.GetVersion()
	}
	res.URN = r.urnOf(res)
	id, outputs, err := r.cloud.Outputs(res)
	if err != nil {
		return "", nil, fmt.Errorf("fake cloud, %s %s: %w", res.Type, res.Name, err)
	}
	r.mu.Lock()
	r.resources = append(r.resources, res)
	r.mu.Unlock()
	return id, outputs, nil
}

// Call records an invoke and answers it from the fake cloud.
func (r *Recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	r.mu.Lock()
	r.invokes = append(r.invokes, Invocation{Token: args.Token, Args: args.Args, Provider: args.Provider})
	r.mu.Unlock()
	return r.cloud.Invoke(args.Token, args.Args)
}

// Resources returns the registrations sorted by URN.
func (r *Recorder) Resources() []Resource {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := slices.Clone(r.resources)
	slices.SortFunc(out, func(a, b Resource) int { return strings.Compare(a.URN, b.URN) })
	return out
}

// Invocations returns the invokes in the order they were made.
func (r *Recorder) Invocations() []Invocation {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.invokes)
}

// urnOf computes the URN the mock monitor gives the resource (its type qualified by the parent's).
func (r *Recorder) urnOf(res Resource) string {
	parentType := tokens.Type("")
	if p := resource.URN(res.Parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(r.stack), tokens.PackageName(r.project), parentType, tokens.Type(res.Type), res.Name))
}
