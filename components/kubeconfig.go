package components

import (
	"encoding/base64"
	"errors"
	"fmt"
	"slices"

	"gopkg.in/yaml.v3"
)

// decodeKubeconfig turns the base64 kubeconfig the credentials API returns into YAML text.
func decodeKubeconfig(encoded string) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return "", fmt.Errorf("decoding the cluster's kubeconfig: %w", err)
	}
	if len(raw) == 0 {
		return "", errors.New("the cluster returned an empty kubeconfig")
	}
	return string(raw), nil
}

// kubeloginAzureCLI rewrites an exec-format (kubelogin) kubeconfig so every user logs in with the
// Azure CLI's credentials instead of an interactive device code: the only way the Kubernetes
// provider can reach an Entra-only cluster (local accounts disabled) without a person at the
// keyboard. It needs kubelogin on the PATH and `az login`.
func kubeloginAzureCLI(kubeconfig string) (string, error) {
	var doc map[string]any
	if err := yaml.Unmarshal([]byte(kubeconfig), &doc); err != nil {
		return "", fmt.Errorf("reading the cluster's user kubeconfig: %w", err)
	}
	users, _ := doc["users"].([]any)
	rewritten := 0
	for _, u := range users {
		user, _ := u.(map[string]any)
		spec, _ := user["user"].(map[string]any)
		exec, _ := spec["exec"].(map[string]any)
		args, _ := exec["args"].([]any)
		if exec == nil || args == nil {
			continue
		}
		exec["args"] = azureCLILoginArgs(args)
		rewritten++
	}
	if rewritten == 0 {
		return "", errors.New("the cluster's user kubeconfig has no kubelogin exec entry to rewrite")
	}
	out, err := yaml.Marshal(doc)
	if err != nil {
		return "", err
	}
	return string(out), nil
}

// azureCLILoginArgs sets --login azurecli and drops the flags only interactive logins use.
func azureCLILoginArgs(args []any) []any {
	interactiveOnly := []string{"--client-id", "--login"}
	var out []any
	for i := 0; i < len(args); i++ {
		if s, ok := args[i].(string); ok && slices.Contains(interactiveOnly, s) {
			i++ // skip the flag's value too
			continue
		}
		out = append(out, args[i])
	}
	return append(out, "--login", "azurecli")
}
