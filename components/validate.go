package components

import "regexp"

// Predicates shared by the components' argument checks and the stacks' config validation, so a
// value the config accepts is never refused later by a component.
var (
	locationRe    = regexp.MustCompile(`^[a-z][a-z0-9]*$`)
	k8sVersionRe  = regexp.MustCompile(`^1\.[0-9]+(\.[0-9]+)?$`)
	durationRe    = regexp.MustCompile(`^[1-9][0-9]*[smh]$`)
	vmSizeRe      = regexp.MustCompile(`^Standard_[A-Za-z0-9_]+$`)
	clusterNameRe = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9-]{0,52}[a-zA-Z0-9]$`)
)

// IsLocation reports whether s is an Azure region's short name (japaneast, westus2).
func IsLocation(s string) bool { return locationRe.MatchString(s) }

// IsKubernetesVersion reports whether s is 1.<minor> or 1.<minor>.<patch>.
func IsKubernetesVersion(s string) bool { return k8sVersionRe.MatchString(s) }

// IsAutoscalerDuration reports whether s is a duration the cluster autoscaler accepts (10s, 10m, 1h).
func IsAutoscalerDuration(s string) bool { return durationRe.MatchString(s) }

// IsVMSize reports whether s looks like an Azure VM size (Standard_D2s_v3).
func IsVMSize(s string) bool { return vmSizeRe.MatchString(s) }

// MaxPoolNodes bounds a node pool's size; AKS allows more, the book's exercises need far fewer.
const MaxPoolNodes = 100
