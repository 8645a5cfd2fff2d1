package components

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// An exec-format kubeconfig as AKS returns it for an Entra-enabled cluster (format=exec).
const execKubeconfig = `apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://tm99-k8sbook-ch11-aks-primary.hcp.japaneast.azmk8s.io:443
  name: tm99-k8sbook-ch11-aks-primary
users:
- name: clusterUser_tm99-k8sbook-ch11-rg_tm99-k8sbook-ch11-aks-primary
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: kubelogin
      args:
      - get-token
      - --environment
      - AzurePublicCloud
      - --server-id
      - 6dae42f8-4368-4678-94ff-3960e28e3630
      - --client-id
      - 80faf920-1908-4b52-b5ef-a8e7bedfc67a
      - --tenant-id
      - 11111111-2222-3333-4444-555555555555
      - --login
      - devicecode
`

func TestKubeloginAzureCLI(t *testing.T) {
	out, err := kubeloginAzureCLI(execKubeconfig)
	require.NoError(t, err)
	var doc struct {
		Users []struct {
			User struct {
				Exec struct {
					Command string   `yaml:"command"`
					Args    []string `yaml:"args"`
				} `yaml:"exec"`
			} `yaml:"user"`
		} `yaml:"users"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(out), &doc))
	require.Len(t, doc.Users, 1)
	assert.Equal(t, "kubelogin", doc.Users[0].User.Exec.Command)
	assert.Equal(t, []string{
		"get-token", "--environment", "AzurePublicCloud",
		"--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630",
		"--tenant-id", "11111111-2222-3333-4444-555555555555",
		"--login", "azurecli",
	}, doc.Users[0].User.Exec.Args, "non-interactive Azure CLI login, no device code, no client id")
	assert.Contains(t, out, "server: https://tm99-k8sbook-ch11-aks-primary.hcp.japaneast.azmk8s.io:443", "the cluster entry is kept")
}

func TestKubeloginAzureCLIRefusesWithoutExec(t *testing.T) {
	_, err := kubeloginAzureCLI("apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    token: abc\n")
	assert.ErrorContains(t, err, "no kubelogin exec entry")
	_, err = kubeloginAzureCLI("users: [")
	assert.ErrorContains(t, err, "reading the cluster's user kubeconfig")
}

func TestDecodeKubeconfig(t *testing.T) {
	got, err := decodeKubeconfig(base64.StdEncoding.EncodeToString([]byte("apiVersion: v1\n")))
	require.NoError(t, err)
	assert.Equal(t, "apiVersion: v1\n", got)
	_, err = decodeKubeconfig("not base64!")
	assert.ErrorContains(t, err, "decoding the cluster's kubeconfig")
	_, err = decodeKubeconfig("")
	assert.ErrorContains(t, err, "empty kubeconfig")
}
