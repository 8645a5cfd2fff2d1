package components

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"time"
	_ "time/tzdata" // Kured time zones are checked the same on any machine

	helmv3 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/helm/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Kured's official chart; pinned so a cluster gets the same Kured on every `pulumi up`.
const (
	KuredChartRepository = "https://kubereboot.github.io/charts"
	KuredChartVersion    = "6.1.0" // Kured 1.23.0
	kuredChart           = "kured"
)

// KuredArgs describes Kured, the reboot daemon that drains and reboots nodes one at a time after
// OS patches. Use it only on clusters whose node OS upgrade channel is Unmanaged: with any other
// channel AKS patches and reboots nodes itself, and the two would fight.
type KuredArgs struct {
	ChartVersion string // empty = KuredChartVersion
	Repository   string // empty = KuredChartRepository
	Namespace    string // empty = kube-system
	// Period is how often Kured checks for a pending reboot (a Go duration, e.g. 1h).
	Period string
	// RebootDays and the StartTime–EndTime window (in TimeZone) bound when nodes may reboot.
	RebootDays []string // su mo tu we th fr sa; empty = every day
	StartTime  string   // e.g. 0:00
	EndTime    string   // e.g. 23:59:59
	TimeZone   string   // IANA name, e.g. Asia/Tokyo; empty = UTC
	// LockTTL releases the cluster-wide reboot lock if its holder dies (Go duration).
	LockTTL string
	// DrainTimeout bounds each node drain (Go duration); PodDisruptionBudgets are respected.
	DrainTimeout string
}

// KuredAddon is Kured installed from its Helm chart through the cluster's provider.
type KuredAddon struct {
	pulumi.ResourceState

	ReleaseName  pulumi.StringOutput
	ChartVersion pulumi.StringOutput
}

var (
	kuredDays      = []string{"su", "mo", "tu", "we", "th", "fr", "sa"}
	clockRe        = regexp.MustCompile(`^([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$`)
	chartVersionRe = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`)
)

// KuredProblems returns one message per invalid field, so the stacks can name their config keys.
func (a *KuredArgs) KuredProblems() map[string]string {
	p := map[string]string{}
	if a.ChartVersion != "" && !chartVersionRe.MatchString(a.ChartVersion) {
		p["ChartVersion"] = "must be a chart version such as " + KuredChartVersion
	}
	for field, v := range map[string]string{"Period": a.Period, "LockTTL": a.LockTTL, "DrainTimeout": a.DrainTimeout} {
		if d, err := time.ParseDuration(v); v != "" && (err != nil || d <= 0) {
			p[field] = "must be a positive duration such as 1h or 30m"
		}
	}
	for _, d := range a.RebootDays {
		if !slices.Contains(kuredDays, d) {
			p["RebootDays"] = "must list days as su, mo, tu, we, th, fr or sa"
		}
	}
	for field, v := range map[string]string{"StartTime": a.StartTime, "EndTime": a.EndTime} {
		if v != "" && !clockRe.MatchString(v) {
			p[field] = "must be a time of day such as 0:00 or 23:59:59"
		}
	}
	if a.TimeZone != "" {
		if _, err := time.LoadLocation(a.TimeZone); err != nil {
			p["TimeZone"] = "must be an IANA time zone such as Asia/Tokyo or UTC"
		}
	}
	return p
}

// NewKuredAddon installs Kured. Pass the cluster's provider with pulumi.Providers.
func NewKuredAddon(ctx *pulumi.Context, name string, args *KuredArgs, opts ...pulumi.ResourceOption) (*KuredAddon, error) {
	if args == nil {
		return nil, errors.New("KuredAddon: args are required")
	}
	if problems := args.KuredProblems(); len(problems) > 0 {
		var errs []error
		for _, field := range slices.Sorted(maps.Keys(problems)) {
			errs = append(errs, fmt.Errorf("%s: %s", field, problems[field]))
		}
		return nil, fmt.Errorf("KuredAddon %s: %w", name, errors.Join(errs...))
	}
	k := &KuredAddon{}
	if err := ctx.RegisterComponentResource("k8sbook:components:KuredAddon", name, k, opts...); err != nil {
		return nil, err
	}

	configuration := pulumi.Map{}
	for key, v := range map[string]string{
		"period": args.Period, "startTime": args.StartTime, "endTime": args.EndTime,
		"timeZone": args.TimeZone, "lockTtl": args.LockTTL, "drainTimeout": args.DrainTimeout,
	} {
		if v != "" {
			configuration[key] = pulumi.String(v)
		}
	}
	if len(args.RebootDays) > 0 {
		configuration["rebootDays"] = pulumi.ToStringArray(args.RebootDays)
	}
	release, err := helmv3.NewRelease(ctx, name+"-release", &helmv3.ReleaseArgs{
		Name:      pulumi.String(kuredChart),
		Chart:     pulumi.String(kuredChart),
		Version:   pulumi.String(cmp.Or(args.ChartVersion, KuredChartVersion)),
		Namespace: pulumi.String(cmp.Or(args.Namespace, "kube-system")),
		RepositoryOpts: &helmv3.RepositoryOptsArgs{
			Repo: pulumi.String(cmp.Or(args.Repository, KuredChartRepository)),
		},
		Values: pulumi.Map{"configuration": configuration},
	}, pulumi.Parent(k))
	if err != nil {
		return nil, err
	}
	k.ReleaseName = release.Name.Elem()
	k.ChartVersion = release.Version.Elem()
	if err := ctx.RegisterResourceOutputs(k, pulumi.Map{
		"releaseName":  k.ReleaseName,
		"chartVersion": k.ChartVersion,
	}); err != nil {
		return nil, err
	}
	return k, nil
}
