package stacks

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBadConfig: every bad value fails with a message naming the key, the value and the rule,
// and nothing is registered.
func TestBadConfig(t *testing.T) {
	cases := []struct {
		name  string
		stack string // default ch09
		edits []configEdit
		want  []string // substrings of the error, in order of appearance not required
	}{
		{name: "prefix missing", edits: []configEdit{unset("prefix")},
			want: []string{"k8sbook:prefix: is required", "pulumi config set k8sbook:prefix <prefix> -s ch09"}},
		{name: "prefix uppercase", edits: []configEdit{set("prefix", "Tm99")},
			want: []string{`k8sbook:prefix = "Tm99": must be 2–12 characters: a lowercase letter, then lowercase letters or digits`}},
		{name: "prefix starts with a digit", edits: []configEdit{set("prefix", "9tm")},
			want: []string{`k8sbook:prefix = "9tm"`}},
		{name: "prefix too short", edits: []configEdit{set("prefix", "t")},
			want: []string{`k8sbook:prefix = "t"`}},
		{name: "prefix too long", edits: []configEdit{set("prefix", "abcdefghijklm")},
			want: []string{`k8sbook:prefix = "abcdefghijklm"`}},
		{name: "prefix with a hyphen", edits: []configEdit{set("prefix", "tm-99")},
			want: []string{`k8sbook:prefix = "tm-99"`}},
		{name: "location display name", edits: []configEdit{set("location", "Japan East")},
			want: []string{`k8sbook:location = "Japan East": must be an Azure region's short name`}},
		{name: "failover location display name", edits: []configEdit{set("failoverLocation", "West US 2")},
			want: []string{`k8sbook:failoverLocation = "West US 2": must be an Azure region's short name`}},
		{name: "kubernetes version with v", edits: []configEdit{set("kubernetesVersion", "v1.36")},
			want: []string{`k8sbook:kubernetesVersion = "v1.36": must be empty (the AKS default) or 1.<minor>[.<patch>]`}},
		{name: "kubernetes version word", edits: []configEdit{set("kubernetesVersion", "latest")},
			want: []string{`k8sbook:kubernetesVersion = "latest"`}},
		{name: "node count zero", edits: []configEdit{set("nodeCount", "0")},
			want: []string{`k8sbook:nodeCount = "0": must be between 1 and 100`}},
		{name: "node count too large", edits: []configEdit{set("nodeCount", "101")},
			want: []string{`k8sbook:nodeCount = "101": must be between 1 and 100`}},
		{name: "node count not a number", edits: []configEdit{set("nodeCount", "two")},
			want: []string{`k8sbook:nodeCount = "two": must be a whole number`}},
		{name: "vm size without Standard_", edits: []configEdit{set("nodeVmSize", "D2s_v3")},
			want: []string{`k8sbook:nodeVmSize = "D2s_v3": must be an Azure VM size such as Standard_D2s_v3`}},
		{name: "autoscale min zero", edits: []configEdit{set("autoscale", `{"minCount":0,"maxCount":5}`)},
			want: []string{`k8sbook:autoscale.minCount = "0": must be between 1 and 100`}},
		{name: "autoscale min above max", edits: []configEdit{set("autoscale", `{"minCount":4,"maxCount":2}`)},
			want: []string{`k8sbook:autoscale.maxCount = "2": must be between autoscale.minCount (4) and 100`}},
		{name: "autoscale max too large", edits: []configEdit{set("autoscale", `{"minCount":1,"maxCount":101}`)},
			want: []string{`k8sbook:autoscale.maxCount = "101"`}},
		{name: "autoscale misspelt field", edits: []configEdit{set("autoscale", `{"minCount":1,"maxNodes":5}`)},
			want: []string{`k8sbook:autoscale = `, `unknown field "maxNodes"`}},
		{name: "autoscale not an object", edits: []configEdit{set("autoscale", `5`)},
			want: []string{`k8sbook:autoscale = "5": must be an object`}},
		{name: "autoscale count as text", edits: []configEdit{set("autoscale", `{"minCount":"one","maxCount":5}`)},
			want: []string{`field minCount must be a int`}},
		{name: "autoscale scan interval", edits: []configEdit{set("autoscale", `{"minCount":1,"maxCount":5,"scanInterval":"10 seconds"}`)},
			want: []string{`k8sbook:autoscale.scanInterval = "10 seconds": must be a whole number of seconds, minutes or hours`}},
		{name: "nginx replicas negative", edits: []configEdit{set("nginxReplicas", "-1")},
			want: []string{`k8sbook:nginxReplicas = "-1": must be between 0 and 50`}},
		{name: "nginx replicas too many", edits: []configEdit{set("nginxReplicas", "51")},
			want: []string{`k8sbook:nginxReplicas = "51"`}},
		{name: "unknown chapter", edits: []configEdit{set("chapter", "ch99")},
			want: []string{`k8sbook:chapter = "ch99": must be one of: `, "ch09"}},
		{name: "unknown stack name", stack: "dev",
			want: []string{`stack "dev" is not a k8sbook chapter`, "ch09", "pulumi config set k8sbook:chapter <chapter> -s dev"}},
		{name: "every problem is reported at once",
			edits: []configEdit{set("prefix", "X"), set("nodeCount", "0"), set("location", "Japan East")},
			want:  []string{`k8sbook:prefix = "X"`, `k8sbook:nodeCount = "0"`, `k8sbook:location = "Japan East"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			stack := tc.stack
			if stack == "" {
				stack = "ch09"
			}
			res := runStackWithFile(t, stack, "ch09", tc.edits...)
			require.Error(t, res.Err)
			for _, w := range tc.want {
				assert.Contains(t, res.Err.Error(), w)
			}
			assert.Empty(t, res.Resources, "no resource may be registered when the config is bad")
		})
	}
}

// TestConfigErrorListsOneLinePerProblem keeps the message readable when several keys are wrong.
func TestConfigErrorListsOneLinePerProblem(t *testing.T) {
	res := runStack(t, "ch09", set("prefix", "X"), set("nodeVmSize", "big"))
	var cfgErr *ConfigError
	require.ErrorAs(t, res.Err, &cfgErr)
	lines := strings.Split(cfgErr.Error(), "\n")
	assert.Contains(t, lines[0], "invalid configuration for stack ch09")
	assert.Len(t, lines, 3, "a header and one line per problem:\n%s", cfgErr)
}
