package mocktest

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// MustLookup returns the resource with the given type and logical name, or stops the test
// listing what was registered.
func MustLookup(t testing.TB, res *Result, typ, name string) Resource {
	t.Helper()
	r, ok := res.Lookup(typ, name)
	if !ok {
		var registered []string
		for _, x := range res.Resources {
			registered = append(registered, x.Type+" "+x.Name)
		}
		slices.Sort(registered)
		require.Failf(t, "not registered", "%s %s; registered: %v", typ, name, registered)
	}
	return r
}

// AssertInput checks one input of r by property path (secrets unwrapped).
func AssertInput(t testing.TB, r Resource, path string, want any) {
	t.Helper()
	got, ok := r.Input(path)
	if assert.Truef(t, ok, "%s %s has no input %s", r.Type, r.Name, path) {
		assert.Equalf(t, want, got, "%s %s input %s", r.Type, r.Name, path)
	}
}
