package mocktest

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// WithStacks answers StackReference reads with the outputs of other stacks' runs (keyed by the
// fully qualified stack name) and passes everything else to Cloud. Secret outputs stay secret.
type WithStacks struct {
	Cloud  Cloud
	Stacks map[string]map[string]Output
}

// Outputs implements Cloud.
func (w WithStacks) Outputs(r Resource) (string, resource.PropertyMap, error) {
	if r.Type != TypeStackReference {
		return w.Cloud.Outputs(r)
	}
	name := r.Inputs["name"].StringValue()
	outs, ok := w.Stacks[name]
	if !ok {
		return "", nil, fmt.Errorf("unknown stack %s", name)
	}
	props := resource.PropertyMap{}
	for k, o := range outs {
		v := resource.NewPropertyValue(o.Value)
		if o.Secret {
			v = resource.MakeSecret(v)
		}
		props[resource.PropertyKey(k)] = v
	}
	return name, resource.PropertyMap{
		"name":    resource.NewProperty(name),
		"outputs": resource.NewObjectProperty(props),
	}, nil
}

// Invoke implements Cloud.
func (w WithStacks) Invoke(token string, args resource.PropertyMap) (resource.PropertyMap, error) {
	return w.Cloud.Invoke(token, args)
}
