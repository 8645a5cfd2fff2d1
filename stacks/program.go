// Package stacks maps each Pulumi stack to one chapter of the book's Part 3 and wires the
// components that chapter needs.
package stacks

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// chapter is one environment of the book: the stack name that selects it, the extra config rules
// it needs, and the function that builds it.
type chapter struct {
	name string
	// family is the chapter part of Azure names (ch10-blue builds ch10's resources).
	family string
	// color is blue or green for the stacks of a blue/green pair.
	color string
	// validate adds the chapter's own config rules (required keys, cross-key constraints).
	validate func(c *Config, r *configReader, stack string)
	build    func(ctx *pulumi.Context, env *env) error
}

// chapters lists every environment the program can build, by stack name.
var chapters = map[string]*chapter{
	"ch08": {name: "ch08", family: "ch08", build: buildCh08, validate: rules(requireFailoverLocation, requireTodoImage)},
	"ch09": {name: "ch09", family: "ch09", build: buildCh09},
	"ch10": {name: "ch10", family: "ch10", build: buildCh10},
	"ch11": {name: "ch11", family: "ch11", build: buildCh11},
	"ch12": {name: "ch12", family: "ch12", build: buildCh12, validate: rules(requireAdminEmail)},
	"aio":  {name: "aio", family: "aio", build: buildAIO, validate: rules(requireFailoverLocation, requireAdminEmail)},

	"ch10-blue":  colorChapter("ch10", "blue", ch10Layout),
	"ch10-green": colorChapter("ch10", "green", ch10Layout),
	"aio-blue":   colorChapter("aio", "blue", aioLayout),
	"aio-green":  colorChapter("aio", "green", aioLayout),
}

// The color stacks of chapter 10 hold one cluster with the drain demo; those of the all-in-one
// hold a primary and a failover cluster with everything of Part 3.
var (
	ch10Layout = colorLayout{nginx: true}
	aioLayout  = colorLayout{failover: true, autoscale: true, monitoring: true, tenant: true}
)

func colorChapter(family, color string, layout colorLayout) *chapter {
	checks := []rule{requireTodoImage, checkSharedStack}
	if layout.failover {
		checks = append(checks, requireFailoverLocation, maxPrimaryPriority)
	}
	return &chapter{
		name: family + "-" + color, family: family, color: color, validate: rules(checks...),
		build: func(ctx *pulumi.Context, e *env) error { return buildColor(ctx, e, layout) },
	}
}

// rule is one chapter-specific config check.
type rule func(c *Config, r *configReader, stack string)

func rules(rs ...rule) func(c *Config, r *configReader, stack string) {
	return func(c *Config, r *configReader, stack string) {
		for _, check := range rs {
			check(c, r, stack)
		}
	}
}

// ChapterNames returns the valid stack (and k8sbook:chapter) names, sorted.
func ChapterNames() []string {
	names := make([]string, 0, len(chapters))
	for n := range chapters {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// env is what a chapter's build function works with.
type env struct {
	cfg    *Config
	names  names
	family string
	color  string
}

// Program is the Pulumi program: it resolves the chapter, validates config, then builds.
func Program(ctx *pulumi.Context) error {
	ch, err := resolveChapter(ctx)
	if err != nil {
		return err
	}
	cfg, err := loadConfig(ctx, ch)
	if err != nil {
		return err
	}
	return ch.build(ctx, &env{
		cfg:    cfg,
		names:  names{prefix: cfg.Prefix, chapter: ch.family},
		family: ch.family,
		color:  ch.color,
	})
}

// resolveChapter picks the chapter from k8sbook:chapter, or else from the stack name.
func resolveChapter(ctx *pulumi.Context) (*chapter, error) {
	override, _ := config.New(ctx, configNamespace).Try("chapter")
	name := cmp.Or(override, ctx.Stack())
	if ch, ok := chapters[name]; ok {
		return ch, nil
	}
	valid := strings.Join(ChapterNames(), ", ")
	if override != "" {
		return nil, &ConfigError{Stack: ctx.Stack(), Problems: []Problem{{
			Key: "chapter", Value: override, Rule: "must be one of: " + valid,
		}}}
	}
	return nil, fmt.Errorf("stack %q is not a k8sbook chapter: name the stack one of %s, "+
		"or keep the name and pick the chapter with `pulumi config set k8sbook:chapter <chapter> -s %s`",
		ctx.Stack(), valid, ctx.Stack())
}

// names builds Azure names the book's way: {prefix}-k8sbook-{chapter}-{what}[-{color}][-{role}].
type names struct {
	prefix, chapter string
}

func (n names) of(parts ...string) string {
	return strings.Join(append([]string{n.prefix, "k8sbook", n.chapter}, parts...), "-")
}

// tags marks every Azure resource with the project and chapter, to find and clean them up.
func (n names) tags() map[string]string {
	return map[string]string{"project": "k8sbook", "chapter": n.chapter}
}
