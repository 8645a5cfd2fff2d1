package stacks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/k8sbook/k8sbook/components"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// configNamespace is the project name: every key is k8sbook:<key>.
const configNamespace = "k8sbook"

// Config is every k8sbook:* key, read once per run and validated before any resource exists.
// Defaults live in Pulumi.yaml; the CLI applies them, so a missing key here means "not set".
type Config struct {
	Chapter           string
	Prefix            string
	Location          string
	FailoverLocation  string
	KubernetesVersion string
	NodeCount         int
	NodeVMSize        string
	Autoscale         AutoscaleConfig
	// NginxReplicas is nil when unset: each chapter then uses the book's count.
	NginxReplicas *int
	// TodoImage is the ToDo app's container image; required where the app runs.
	TodoImage          string
	MongoServerVersion string
	ProtectDatabase    bool
	// SharedStack is the stack a color stack reads; empty = <org>/<project>/<chapter>.
	SharedStack string
	// TrafficPriority is nil when unset: the color's book value applies.
	TrafficPriority *int
	Kured           KuredConfig
	// AAD is nil when k8sbook:aad is unset: the clusters then use Kubernetes RBAC without Entra ID.
	AAD        *AADConfig
	Stress     bool
	AdminEmail string
}

// AADConfig is the k8sbook:aad object: AKS-managed Microsoft Entra ID and the ch11 developer.
type AADConfig struct {
	AdminGroupObjectIDs []string `json:"adminGroupObjectIds"`
	// DeveloperObjectID is the Entra object id of the developer user or group of chapter 11.
	DeveloperObjectID string `json:"developerObjectId"`
	// DeveloperKind is User (default) or Group.
	DeveloperKind string `json:"developerKind,omitempty"`
	// DeveloperUPN is the name Kubernetes sees for a member user (developer@contoso.com); the
	// RoleBinding of a User developer needs it, the role assignment uses the object id.
	DeveloperUPN string `json:"developerUserPrincipalName,omitempty"`
	TenantID     string `json:"tenantId,omitempty"`
	// AzureRBAC lets Azure role assignments authorize Kubernetes requests (changing it replaces the cluster).
	AzureRBAC bool `json:"azureRbac,omitempty"`
	// DisableLocalAccounts removes the admin credentials; the program then needs kubelogin.
	DisableLocalAccounts bool `json:"disableLocalAccounts,omitempty"`
	// CreateDevGroup creates an Entra group holding the developer and binds the group instead.
	CreateDevGroup bool `json:"createDevGroup,omitempty"`
}

// KuredConfig is the k8sbook:kured object.
type KuredConfig struct {
	ChartVersion string   `json:"chartVersion,omitempty"`
	Period       string   `json:"period,omitempty"`
	RebootDays   []string `json:"rebootDays,omitempty"`
	StartTime    string   `json:"startTime,omitempty"`
	EndTime      string   `json:"endTime,omitempty"`
	TimeZone     string   `json:"timeZone,omitempty"`
	LockTTL      string   `json:"lockTtl,omitempty"`
	DrainTimeout string   `json:"drainTimeout,omitempty"`
}

// args maps the config onto the component, whose checks name the fields.
func (k KuredConfig) args() *components.KuredArgs {
	return &components.KuredArgs{
		ChartVersion: k.ChartVersion, Period: k.Period, RebootDays: k.RebootDays,
		StartTime: k.StartTime, EndTime: k.EndTime, TimeZone: k.TimeZone,
		LockTTL: k.LockTTL, DrainTimeout: k.DrainTimeout,
	}
}

// kuredKeys maps KuredArgs fields to the config's JSON names.
var kuredKeys = map[string]string{
	"ChartVersion": "chartVersion", "Period": "period", "RebootDays": "rebootDays", "StartTime": "startTime",
	"EndTime": "endTime", "TimeZone": "timeZone", "LockTTL": "lockTtl", "DrainTimeout": "drainTimeout",
}

// AutoscaleConfig is the k8sbook:autoscale object.
type AutoscaleConfig struct {
	MinCount               int    `json:"minCount"`
	MaxCount               int    `json:"maxCount"`
	ScanInterval           string `json:"scanInterval,omitempty"`
	ScaleDownDelayAfterAdd string `json:"scaleDownDelayAfterAdd,omitempty"`
	ScaleDownUnneededTime  string `json:"scaleDownUnneededTime,omitempty"`
}

// Problem is one broken rule of one key.
type Problem struct {
	Key    string // without the namespace, e.g. "prefix" or "autoscale.minCount"
	Value  string // as given; empty for secrets and missing keys
	Secret bool
	Rule   string
}

func (p Problem) String() string {
	switch {
	case p.Secret:
		return fmt.Sprintf("%s:%s (secret): %s", configNamespace, p.Key, p.Rule)
	case p.Value == "":
		return fmt.Sprintf("%s:%s: %s", configNamespace, p.Key, p.Rule)
	default:
		return fmt.Sprintf("%s:%s = %q: %s", configNamespace, p.Key, p.Value, p.Rule)
	}
}

// ConfigError lists every problem found in a stack's configuration.
type ConfigError struct {
	Stack    string
	Problems []Problem
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid configuration for stack %s:", e.Stack)
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p.String())
	}
	return b.String()
}

var prefixRe = regexp.MustCompile(`^[a-z][a-z0-9]{1,11}$`)

const (
	maxNodes         = components.MaxPoolNodes
	maxNginxReplicas = 50
)

// configReader collects problems instead of stopping at the first one.
type configReader struct {
	cfg      *config.Config
	problems []Problem
}

func (r *configReader) add(key, value, rule string) {
	r.problems = append(r.problems, Problem{Key: key, Value: value, Rule: rule})
}

// raw returns the key's value and whether it is set.
func (r *configReader) raw(key string) (string, bool) {
	v, err := r.cfg.Try(key)
	if err != nil {
		return "", false
	}
	return v, true
}

func (r *configReader) str(key string) string {
	v, _ := r.raw(key)
	return v
}

// integer reads a whole number in [min, max]; set is false when the key is unset or invalid.
func (r *configReader) integer(key string, min, max int) (n int, set bool) {
	v, ok := r.raw(key)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		r.add(key, v, "must be a whole number")
		return 0, false
	}
	if n < min || n > max {
		r.add(key, v, fmt.Sprintf("must be between %d and %d", min, max))
		return 0, false
	}
	return n, true
}

// boolean reads true/false; unset is false.
func (r *configReader) boolean(key string) bool {
	v, ok := r.raw(key)
	if !ok {
		return false
	}
	b, err := strconv.ParseBool(strings.TrimSpace(v))
	if err != nil {
		r.add(key, v, "must be true or false")
	}
	return b
}

// object decodes a JSON object key strictly, so a misspelt field is reported, not ignored.
func (r *configReader) object(key string, into any) bool {
	v, ok := r.raw(key)
	if !ok {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(v)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		r.add(key, v, "must be an object with the documented fields: "+jsonProblem(err))
		return false
	}
	return true
}

func jsonProblem(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return fmt.Sprintf("field %s must be a %s", typeErr.Field, typeErr.Type)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// loadConfig reads and validates every key. Chapter-specific rules are added by the chapter.
func loadConfig(ctx *pulumi.Context, ch *chapter) (*Config, error) {
	r := &configReader{cfg: config.New(ctx, configNamespace)}
	c := &Config{
		Chapter:           r.str("chapter"),
		Prefix:            r.str("prefix"),
		Location:          r.str("location"),
		FailoverLocation:  r.str("failoverLocation"),
		KubernetesVersion: r.str("kubernetesVersion"),
		NodeVMSize:        r.str("nodeVmSize"),
	}
	c.TodoImage = r.str("todoImage")
	c.MongoServerVersion = r.str("mongoServerVersion")
	c.ProtectDatabase = r.boolean("protectDatabase")
	c.NodeCount, _ = r.integer("nodeCount", 1, maxNodes)
	if r.object("autoscale", &c.Autoscale) {
		c.Autoscale.validate(r)

	}
	if n, ok := r.integer("nginxReplicas", 0, maxNginxReplicas); ok {
		c.NginxReplicas = &n
	}
	c.SharedStack = r.str("sharedStack")
	if n, ok := r.integer("trafficPriority", components.MinTrafficPriority, components.MaxTrafficPriority); ok {
		c.TrafficPriority = &n
	}
	if r.object("kured", &c.Kured) {
		c.Kured.validate(r)
	}
	var aad AADConfig
	if r.object("aad", &aad) {
		aad.validate(r)
		c.AAD = &aad
	}
	c.Stress = r.boolean("stress")
	c.AdminEmail = r.str("adminEmail")
	if c.AdminEmail != "" && !components.IsEmailAddress(c.AdminEmail) {
		r.add("adminEmail", c.AdminEmail, "must be an email address such as admin@example.com")
	}

	c.validate(r, ctx.Stack())
	if ch.validate != nil {
		ch.validate(c, r, ctx.Stack())
	}
	if len(r.problems) > 0 {
		return nil, &ConfigError{Stack: ctx.Stack(), Problems: r.problems}
	}
	return c, nil
}

func (c *Config) validate(r *configReader, stack string) {
	switch {
	case c.Prefix == "":
		r.add("prefix", "", fmt.Sprintf("is required: it starts every Azure name; set it with `pulumi config set k8sbook:prefix <prefix> -s %s` (2–12 lowercase letters or digits, a letter first)", stack))
	case !prefixRe.MatchString(c.Prefix):
		r.add("prefix", c.Prefix, "must be 2–12 characters: a lowercase letter, then lowercase letters or digits")
	}
	checkLocation(r, "location", c.Location)
	if c.FailoverLocation != "" {
		checkLocation(r, "failoverLocation", c.FailoverLocation)
	}
	if c.KubernetesVersion != "" && !components.IsKubernetesVersion(c.KubernetesVersion) {
		r.add("kubernetesVersion", c.KubernetesVersion, "must be empty (the AKS default) or 1.<minor>[.<patch>], e.g. 1.36; list them with `az aks get-versions -l <location>`")
	}
	if !components.IsVMSize(c.NodeVMSize) {
		r.add("nodeVmSize", c.NodeVMSize, "must be an Azure VM size such as Standard_D2s_v3")
	}
	if c.TodoImage != "" && !components.IsImageReference(c.TodoImage) {
		r.add("todoImage", c.TodoImage, "must be a container image reference such as myacr.azurecr.io/todo:1.0.0")
	}
	if !components.IsMongoServerVersion(c.MongoServerVersion) {
		r.add("mongoServerVersion", c.MongoServerVersion, "must be a Cosmos DB for MongoDB server version: 4.2, 5.0, 6.0 or 7.0")
	}
}

// requireTodoImage is the rule of every chapter that runs the ToDo app.
func requireTodoImage(c *Config, r *configReader, stack string) {
	if c.TodoImage == "" {
		r.add("todoImage", "", fmt.Sprintf("is required: build the ToDo app's image and push it to a registry "+
			"the clusters can pull from, e.g. `az acr build --registry <acr> --image todo:1.0.0 todo/`, then "+
			"`pulumi config set k8sbook:todoImage <acr>.azurecr.io/todo:1.0.0 -s %s`", stack))
	}
}

// checkSharedStack is the rule of the color stacks: a fully qualified stack name when set.
func checkSharedStack(c *Config, r *configReader, _ string) {
	if c.SharedStack != "" && strings.Count(c.SharedStack, "/") != 2 {
		r.add("sharedStack", c.SharedStack, "must be <organization>/<project>/<stack>, e.g. organization/k8sbook/ch10")
	}
}

// requireFailoverLocation is the rule of every chapter with a second region.
func requireFailoverLocation(c *Config, r *configReader, _ string) {
	if c.FailoverLocation == "" {
		r.add("failoverLocation", "", "is required: the second region for Cosmos DB and the failover cluster")
	} else if c.FailoverLocation == c.Location {
		r.add("failoverLocation", c.FailoverLocation, "must differ from k8sbook:location: failover needs a second region")
	}
}

func checkLocation(r *configReader, key, value string) {
	if !components.IsLocation(value) {
		r.add(key, value, "must be an Azure region's short name in lowercase, e.g. japaneast (see `az account list-locations -o table`)")
	}
}

func (a AutoscaleConfig) validate(r *configReader) {
	if a.MinCount < 1 || a.MinCount > maxNodes {
		r.add("autoscale.minCount", strconv.Itoa(a.MinCount), fmt.Sprintf("must be between 1 and %d", maxNodes))
	}
	if a.MaxCount < a.MinCount || a.MaxCount > maxNodes {
		r.add("autoscale.maxCount", strconv.Itoa(a.MaxCount), fmt.Sprintf("must be between autoscale.minCount (%d) and %d", a.MinCount, maxNodes))
	}
	for _, d := range []struct{ key, value string }{
		{"autoscale.scanInterval", a.ScanInterval},
		{"autoscale.scaleDownDelayAfterAdd", a.ScaleDownDelayAfterAdd},
		{"autoscale.scaleDownUnneededTime", a.ScaleDownUnneededTime},
	} {
		if d.value != "" && !components.IsAutoscalerDuration(d.value) {
			r.add(d.key, d.value, "must be a whole number of seconds, minutes or hours, e.g. 10s or 10m")
		}
	}
}

func (k KuredConfig) validate(r *configReader) {
	problems := k.args().KuredProblems()
	for _, field := range slices.Sorted(maps.Keys(problems)) {
		key := kuredKeys[field]
		value, _ := json.Marshal(map[string]any{
			"chartVersion": k.ChartVersion, "period": k.Period, "rebootDays": k.RebootDays, "startTime": k.StartTime,
			"endTime": k.EndTime, "timeZone": k.TimeZone, "lockTtl": k.LockTTL, "drainTimeout": k.DrainTimeout,
		}[key])
		r.add("kured."+key, strings.Trim(string(value), `"`), problems[field])
	}
}

func (a *AADConfig) validate(r *configReader) {
	for i, id := range a.AdminGroupObjectIDs {
		if !components.IsObjectID(id) {
			r.add(fmt.Sprintf("aad.adminGroupObjectIds[%d]", i), id, "must be an Entra object id (a GUID)")
		}
	}
	if !components.IsObjectID(a.DeveloperObjectID) {
		r.add("aad.developerObjectId", a.DeveloperObjectID, "must be the Entra object id (a GUID) of the developer user or group, e.g. from `az ad user show --id <upn> --query id`")
	}
	switch a.DeveloperKind {
	case "", components.SubjectUser, components.SubjectGroup:
	default:
		r.add("aad.developerKind", a.DeveloperKind, "must be User or Group")
	}
	if a.developerKind() == components.SubjectUser && !a.CreateDevGroup && !components.IsEmailAddress(a.DeveloperUPN) {
		r.add("aad.developerUserPrincipalName", a.DeveloperUPN, "is required for a User developer: the user principal name Kubernetes sees, e.g. developer@contoso.com (or bind a group: developerKind Group or createDevGroup true)")
	}
	if a.CreateDevGroup && a.DeveloperKind == components.SubjectGroup {
		r.add("aad.createDevGroup", "true", "needs a developer user (developerKind User) to put in the new group")
	}
	if a.TenantID != "" && !components.IsObjectID(a.TenantID) {
		r.add("aad.tenantId", a.TenantID, "must be a tenant id (a GUID)")
	}
}

// developerKind is User unless the config says Group.
func (a *AADConfig) developerKind() string {
	if a.DeveloperKind == "" {
		return components.SubjectUser
	}
	return a.DeveloperKind
}

// maxPrimaryPriority keeps a color's failover endpoint (primary + 400) within Azure's 1000.
func maxPrimaryPriority(c *Config, r *configReader, _ string) {
	if p := c.TrafficPriority; p != nil && *p+failoverOffset > components.MaxTrafficPriority {
		r.add("trafficPriority", strconv.Itoa(*p), fmt.Sprintf("must be at most %d here: the failover endpoint gets it plus %d",
			components.MaxTrafficPriority-failoverOffset, failoverOffset))
	}
}

// requireAdminEmail is the rule of the chapters with the pending-pods alert.
func requireAdminEmail(c *Config, r *configReader, stack string) {
	if c.AdminEmail == "" {
		r.add("adminEmail", "", fmt.Sprintf("is required: the action group `critical` emails alerts there; "+
			"set it with `pulumi config set k8sbook:adminEmail <you@example.com> -s %s`", stack))
	}
}

// nginxReplicas is the configured count or the chapter's book value.
func (c *Config) nginxReplicas(book int) int {
	if c.NginxReplicas != nil {
		return *c.NginxReplicas
	}
	return book
}
