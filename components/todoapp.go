package components

import (
	"errors"
	"fmt"
	"regexp"

	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	policyv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/policy/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The ToDo app's Kubernetes names, as the book uses them.
const (
	todoAppName      = "todoapp"
	todoSecretName   = "cosmosdb-secret"
	todoSecretKey    = "MONGO_URL"
	todoAppPort      = 8080
	todoServicePort  = 80
	todoNonRootUID   = 65532
	defaultTodoCount = 2
)

// TodoAppArgs describes the ToDo app on one cluster. Pass the cluster's provider with
// pulumi.Providers.
type TodoAppArgs struct {
	// Image is the app's container image, e.g. myacr.azurecr.io/todo:1.0.0.
	Image string
	// MongoURL is the MongoDB connection string; it is stored in the Secret and stays secret.
	MongoURL pulumi.StringInput
	// ClusterName is shown on the app's page, so readers see which cluster served them.
	ClusterName pulumi.StringInput
	Namespace   string // empty = default
	Replicas    int    // 0 = the book's 2
	// LoadBalancerTimeout bounds the wait for the Service's public IP (default 20m).
	LoadBalancerTimeout string
}

// TodoApp is the book's ToDo app: Secret, Deployment, LoadBalancer Service and a
// PodDisruptionBudget that keeps one pod serving through node drains.
type TodoApp struct {
	pulumi.ResourceState

	// LoadBalancerIP is the Service's public IP; URL is http://<ip>/.
	LoadBalancerIP pulumi.StringOutput
	URL            pulumi.StringOutput
	// Service is the LoadBalancer Service; things that need its IP depend on it.
	Service *corev1.Service
}

// imageRe accepts registry/repository[:tag][@digest] references.
var imageRe = regexp.MustCompile(`^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$`)

// IsImageReference reports whether s is a container image reference.
func IsImageReference(s string) bool { return imageRe.MatchString(s) }

func (a *TodoAppArgs) validate() error {
	var errs []error
	if !IsImageReference(a.Image) {
		errs = append(errs, fmt.Errorf("Image %q: must be a container image reference such as myacr.azurecr.io/todo:1.0.0", a.Image))
	}
	if a.MongoURL == nil {
		errs = append(errs, errors.New("MongoURL: required"))
	}
	if a.ClusterName == nil {
		errs = append(errs, errors.New("ClusterName: required"))
	}
	if a.Replicas < 0 || a.Replicas > 50 {
		errs = append(errs, fmt.Errorf("Replicas %d: must be between 0 and 50", a.Replicas))
	}
	return errors.Join(errs...)
}

// NewTodoApp deploys the ToDo app.
func NewTodoApp(ctx *pulumi.Context, name string, args *TodoAppArgs, opts ...pulumi.ResourceOption) (*TodoApp, error) {
	if args == nil {
		return nil, errors.New("TodoApp: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("TodoApp %s: %w", name, err)
	}
	app := &TodoApp{}
	if err := ctx.RegisterComponentResource("k8sbook:components:TodoApp", name, app, opts...); err != nil {
		return nil, err
	}
	namespace := optString(args.Namespace)
	labels := pulumi.StringMap{"app": pulumi.String(todoAppName)}
	meta := func(objectName string) *metav1.ObjectMetaArgs {
		return &metav1.ObjectMetaArgs{Name: pulumi.String(objectName), Namespace: namespace, Labels: labels}
	}

	secret, err := corev1.NewSecret(ctx, name+"-secret", &corev1.SecretArgs{
		Metadata:   meta(todoSecretName),
		Type:       pulumi.String("Opaque"),
		StringData: pulumi.StringMap{todoSecretKey: pulumi.ToSecret(args.MongoURL).(pulumi.StringOutput)},
	}, pulumi.Parent(app))
	if err != nil {
		return nil, err
	}

	replicas := args.Replicas
	if replicas == 0 {
		replicas = defaultTodoCount
	}
	if _, err := appsv1.NewDeployment(ctx, name+"-deployment", &appsv1.DeploymentArgs{
		Metadata: meta(todoAppName),
		Spec: &appsv1.DeploymentSpecArgs{
			Replicas: pulumi.Int(replicas),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: labels},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: labels},
				Spec:     todoPodSpec(args, secret),
			},
		},
	}, pulumi.Parent(app)); err != nil {
		return nil, err
	}

	// The pod disruption budget keeps one replica serving while Kured or a drain evicts pods.
	if _, err := policyv1.NewPodDisruptionBudget(ctx, name+"-pdb", &policyv1.PodDisruptionBudgetArgs{
		Metadata: meta(todoAppName),
		Spec: &policyv1.PodDisruptionBudgetSpecArgs{
			MinAvailable: pulumi.Int(1),
			Selector:     &metav1.LabelSelectorArgs{MatchLabels: labels},
		},
	}, pulumi.Parent(app)); err != nil {
		return nil, err
	}

	timeout := args.LoadBalancerTimeout
	if timeout == "" {
		timeout = "20m"
	}
	service, err := corev1.NewService(ctx, name+"-service", &corev1.ServiceArgs{
		Metadata: meta(todoAppName),
		Spec: &corev1.ServiceSpecArgs{
			Type:            pulumi.String("LoadBalancer"),
			Selector:        labels,
			SessionAffinity: pulumi.String("ClientIP"),
			Ports: corev1.ServicePortArray{corev1.ServicePortArgs{
				Name:       pulumi.String("http"),
				Port:       pulumi.Int(todoServicePort),
				TargetPort: pulumi.Int(todoAppPort),
				Protocol:   pulumi.String("TCP"),
			}},
		},
	}, pulumi.Parent(app), pulumi.Timeouts(&pulumi.CustomTimeouts{Create: timeout, Update: timeout}))
	if err != nil {
		return nil, err
	}

	app.Service = service
	app.LoadBalancerIP = service.Status.LoadBalancer().Ingress().Index(pulumi.Int(0)).Ip().Elem()
	app.URL = pulumi.Sprintf("http://%s/", app.LoadBalancerIP)
	if err := ctx.RegisterResourceOutputs(app, pulumi.Map{
		"loadBalancerIp": app.LoadBalancerIP,
		"url":            app.URL,
	}); err != nil {
		return nil, err
	}
	return app, nil
}

// todoPodSpec runs the app as a non-root user on a read-only root filesystem with no extra
// privileges (Pod Security "restricted"), and tells it where it runs through the downward API.
func todoPodSpec(args *TodoAppArgs, secret *corev1.Secret) *corev1.PodSpecArgs {
	fieldEnv := func(name, path string) corev1.EnvVarArgs {
		return corev1.EnvVarArgs{Name: pulumi.String(name), ValueFrom: &corev1.EnvVarSourceArgs{
			FieldRef: &corev1.ObjectFieldSelectorArgs{FieldPath: pulumi.String(path)},
		}}
	}
	probe := func(path string, period int) *corev1.ProbeArgs {
		return &corev1.ProbeArgs{
			HttpGet:          &corev1.HTTPGetActionArgs{Path: pulumi.String(path), Port: pulumi.Int(todoAppPort)},
			PeriodSeconds:    pulumi.Int(period),
			TimeoutSeconds:   pulumi.Int(2),
			FailureThreshold: pulumi.Int(3),
		}
	}
	resources := pulumi.StringMap{"cpu": pulumi.String("250m"), "memory": pulumi.String("100Mi")}
	return &corev1.PodSpecArgs{
		AutomountServiceAccountToken: pulumi.Bool(false),
		// Longer than the app's own shutdown timeout, so in-flight requests finish on SIGTERM.
		TerminationGracePeriodSeconds: pulumi.Int(30),
		SecurityContext: &corev1.PodSecurityContextArgs{
			RunAsNonRoot:   pulumi.Bool(true),
			RunAsUser:      pulumi.Int(todoNonRootUID),
			RunAsGroup:     pulumi.Int(todoNonRootUID),
			SeccompProfile: &corev1.SeccompProfileArgs{Type: pulumi.String("RuntimeDefault")},
		},
		Containers: corev1.ContainerArray{corev1.ContainerArgs{
			Name:  pulumi.String(todoAppName),
			Image: pulumi.String(args.Image),
			Ports: corev1.ContainerPortArray{corev1.ContainerPortArgs{
				Name: pulumi.String("http"), ContainerPort: pulumi.Int(todoAppPort),
			}},
			Env: corev1.EnvVarArray{
				corev1.EnvVarArgs{Name: pulumi.String("PORT"), Value: pulumi.String(fmt.Sprint(todoAppPort))},
				// Keep serving briefly after SIGTERM while the Service drops the pod from its
				// endpoints, then drain; both fit in the 30 s grace period.
				corev1.EnvVarArgs{Name: pulumi.String("SHUTDOWN_DELAY"), Value: pulumi.String("5s")},
				// Lets the Go runtime collect before the container's 100Mi limit is reached.
				corev1.EnvVarArgs{Name: pulumi.String("GOMEMLIMIT"), Value: pulumi.String("80MiB")},
				corev1.EnvVarArgs{Name: pulumi.String(todoSecretKey), ValueFrom: &corev1.EnvVarSourceArgs{
					SecretKeyRef: &corev1.SecretKeySelectorArgs{
						Name: secret.Metadata.Name().Elem(),
						Key:  pulumi.String(todoSecretKey),
					},
				}},
				fieldEnv("POD_NAME", "metadata.name"),
				fieldEnv("POD_NAMESPACE", "metadata.namespace"),
				fieldEnv("NODE_NAME", "spec.nodeName"),
				corev1.EnvVarArgs{Name: pulumi.String("CLUSTER_NAME"), Value: args.ClusterName},
			},
			Resources:      &corev1.ResourceRequirementsArgs{Requests: resources, Limits: resources},
			ReadinessProbe: probe("/readyz", 5),
			LivenessProbe:  probe("/healthz", 10),
			SecurityContext: &corev1.SecurityContextArgs{
				AllowPrivilegeEscalation: pulumi.Bool(false),
				ReadOnlyRootFilesystem:   pulumi.Bool(true),
				Capabilities:             &corev1.CapabilitiesArgs{Drop: pulumi.StringArray{pulumi.String("ALL")}},
			},
		}},
	}
}
