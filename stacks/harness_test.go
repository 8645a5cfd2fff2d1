package stacks

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/k8sbook/k8sbook/internal/mocktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// update rewrites testdata/<stack>.golden and testdata/manifests/<stack>.json from the program.
var update = flag.Bool("update", false, "rewrite golden inventories and manifests under testdata/")

// projectDir holds Pulumi.yaml and the Pulumi.<stack>.yaml files.
const projectDir = ".."

// configEdit changes a stack's loaded config before the run: the way a test sets a bad value.
type configEdit func(values map[string]string)

func set(key, value string) configEdit {
	return func(v map[string]string) { v[configNamespace+":"+key] = value }
}

func unset(key string) configEdit {
	return func(v map[string]string) { delete(v, configNamespace+":"+key) }
}

// runStack runs the program for stack under mocks with the config from Pulumi.<stack>.yaml
// (or configFrom's file when given via fromFile), after applying edits.
func runStack(t testing.TB, stack string, edits ...configEdit) *mocktest.Result {
	t.Helper()
	return runStackWithFile(t, stack, stack, edits...)
}

func runStackWithFile(t testing.TB, stack, file string, edits ...configEdit) *mocktest.Result {
	t.Helper()
	cfg, err := mocktest.LoadStackConfig(projectDir, file)
	require.NoError(t, err)
	for _, edit := range edits {
		edit(cfg.Values)
	}
	return mocktest.Run(Program, stack, cfg, cloudFor(t, stack))
}

// sharedStackOf names the stack a color stack reads by default.
var sharedStackOf = map[string]string{"ch10-blue": "ch10", "ch10-green": "ch10", "aio-blue": "aio", "aio-green": "aio"}

// cloudFor is the fake cloud for a stack. A color stack's StackReference is answered with the
// outputs of its shared stack's own mocked run, so the contract between the stacks is what is
// tested, not a hand-written copy of it.
func cloudFor(t testing.TB, stack string) mocktest.Cloud {
	t.Helper()
	shared, ok := sharedStackOf[stack]
	if !ok {
		return mocktest.FakeAzure{}
	}
	res := runStack(t, shared)
	require.NoError(t, res.Err, "the shared stack %s must run first", shared)
	return mocktest.WithStacks{Cloud: mocktest.FakeAzure{}, Stacks: map[string]map[string]mocktest.Output{
		"organization/k8sbook/" + shared: res.Outputs,
	}}
}

// stackFiles lists the stacks that have an example config file.
func stackFiles(t *testing.T) []string {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(projectDir, "Pulumi.*.yaml"))
	require.NoError(t, err)
	var stacks []string
	for _, m := range matches {
		stacks = append(stacks, strings.TrimSuffix(strings.TrimPrefix(filepath.Base(m), "Pulumi."), ".yaml"))
	}
	require.NotEmpty(t, stacks)
	return stacks
}

// checkGolden compares got with the file, or rewrites the file under -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; create it with: go test ./stacks -run TestGolden -update")
	if !bytes.Equal(want, got) {
		t.Errorf("%s is stale; review the diff and rewrite it with: go test ./stacks -run TestGolden -update\n%s",
			path, firstDifference(want, got))
	}
}

// checkAbsent: a stack without Kubernetes objects has no manifest file (a stale one is removed
// under -update).
func checkAbsent(t *testing.T, path string) {
	t.Helper()
	if *update {
		require.NoError(t, os.RemoveAll(path))
		return
	}
	_, err := os.Stat(path)
	assert.True(t, os.IsNotExist(err), "%s belongs to no stack with Kubernetes objects; remove it", path)
}

func firstDifference(want, got []byte) string {
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("first difference at line %d", i+1) + ":\n  want: " + wl + "\n  got:  " + gl
		}
	}
	return ""
}
