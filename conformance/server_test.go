package conformance

import (
	"flag"
	"os"
	"path"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
	etcdserver "k8s.io/apiserver/pkg/storage/etcd3/testserver"
	"k8s.io/apiserver/pkg/storage/storagebackend"
	"k8s.io/klog/v2"
	kubeapiservertesting "k8s.io/kubernetes/cmd/kube-apiserver/app/testing"
	"k8s.io/kubernetes/test/utils/ktesting"
	"k8s.io/kubernetes/test/utils/ktesting/initoption"
)

// VerboseEnv, when set to a non-empty value, lets the API server log to stderr.
const VerboseEnv = "K8SBOOK_CONFORMANCE_VERBOSE"

// APIServerFlags are the kube-apiserver flags of every target. RBAC is the
// authorizer AKS uses for Kubernetes RBAC; the admission plugins named here
// are on by default and the checks depend on them, so they are spelled out.
var APIServerFlags = []string{
	"--authorization-mode=RBAC",
	"--enable-admission-plugins=NamespaceLifecycle,LimitRanger,ServiceAccount,PodSecurity",
}

func TestMain(m *testing.M) {
	if os.Getenv(VerboseEnv) == "" {
		// The API server logs every start-up step; keep failures readable.
		fs := flag.NewFlagSet("klog", flag.ContinueOnError)
		klog.InitFlags(fs)
		_ = fs.Set("logtostderr", "false")
		_ = fs.Set("alsologtostderr", "false")
		_ = fs.Set("stderrthreshold", "FATAL")
		klog.SetOutput(discard{})
	}
	os.Exit(m.Run())
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// Etcd is one embedded etcd shared by the API servers of a top-level test;
// each API server gets its own key prefix, so targets never see each other.
type Etcd struct {
	endpoints []string
}

func startEtcd(t *testing.T) *Etcd {
	t.Helper()
	cfg := etcdserver.NewTestConfig(t)
	if os.Getenv(VerboseEnv) == "" {
		// etcd logs its own shutdown as errors; they are not the suite's.
		cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(zap.NewNop())
	}
	client := etcdserver.RunEtcd(t, cfg)
	return &Etcd{endpoints: client.Endpoints()}
}

// startTarget starts a fresh kube-apiserver on its own etcd prefix; it stops
// when t ends.
func startTarget(t *testing.T, etcd *Etcd) *Target {
	t.Helper()
	start := time.Now()
	storage := storagebackend.NewDefaultConfig(path.Join(uuid.New().String(), "registry"), nil)
	storage.Transport.ServerList = etcd.endpoints
	opts := kubeapiservertesting.NewDefaultTestServerOptions()
	// The server's own log goes to the (silenced) global klog, not to the
	// test's output, unless VerboseEnv is set.
	tCtx := ktesting.Init(t, initoption.PerTestOutput(os.Getenv(VerboseEnv) != ""))
	server, err := kubeapiservertesting.StartTestServer(tCtx, opts, APIServerFlags, storage)
	if err != nil {
		t.Fatalf("starting kube-apiserver: %v", err)
	}
	t.Cleanup(server.TearDownFn)
	target, err := NewTarget(server.ClientConfig)
	if err != nil {
		t.Fatal(err)
	}
	if err := target.EnsureDefaultServiceAccount(t.Context(), "default"); err != nil {
		t.Fatal(err)
	}
	t.Logf("kube-apiserver ready in %s", time.Since(start).Round(10*time.Millisecond))
	return target
}
