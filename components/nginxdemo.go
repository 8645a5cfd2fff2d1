package components

import (
	"cmp"
	"errors"
	"fmt"

	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// DefaultNginxImage is the demo workload's image, pinned so a chapter behaves the same every time.
const DefaultNginxImage = "nginx:1.29"

// NginxDemoArgs describes the book's `nginx` demo Deployment (ch09 pending pods, ch10 cordon/drain).
type NginxDemoArgs struct {
	Replicas int
	// CPURequest per pod, e.g. "1000m": large enough that pods pend and the autoscaler adds nodes.
	CPURequest string
	Image      string // empty = DefaultNginxImage
	Namespace  string // empty = default
}

// NginxDemo is the Deployment `nginx`. Pass the cluster's provider with pulumi.Providers.
type NginxDemo struct {
	pulumi.ResourceState

	DeploymentName pulumi.StringOutput
}

func (a *NginxDemoArgs) validate() error {
	var errs []error
	if a.Replicas < 0 || a.Replicas > 50 {
		errs = append(errs, fmt.Errorf("Replicas %d: must be between 0 and 50", a.Replicas))
	}
	if a.CPURequest == "" {
		errs = append(errs, errors.New("CPURequest: required"))
	}
	return errors.Join(errs...)
}

// NewNginxDemo creates the demo Deployment.
func NewNginxDemo(ctx *pulumi.Context, name string, args *NginxDemoArgs, opts ...pulumi.ResourceOption) (*NginxDemo, error) {
	if args == nil {
		return nil, errors.New("NginxDemo: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("NginxDemo %s: %w", name, err)
	}
	d := &NginxDemo{}
	if err := ctx.RegisterComponentResource("k8sbook:components:NginxDemo", name, d, opts...); err != nil {
		return nil, err
	}

	labels := pulumi.StringMap{"app": pulumi.String("nginx")}
	deployment, err := appsv1.NewDeployment(ctx, name+"-nginx", &appsv1.DeploymentArgs{
		Metadata: &metav1.ObjectMetaArgs{
			Name:      pulumi.String("nginx"),
			Namespace: optString(args.Namespace),
			Labels:    labels,
			Annotations: pulumi.StringMap{
				// The demo exists to leave pods Pending until nodes are added or drained;
				// waiting for readiness would only make `pulumi up` hang on purpose.
				"pulumi.com/skipAwait": pulumi.String("true"),
			},
		},
		Spec: &appsv1.DeploymentSpecArgs{
			Replicas: pulumi.Int(args.Replicas),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: labels},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: labels},
				Spec: &corev1.PodSpecArgs{
					Containers: corev1.ContainerArray{corev1.ContainerArgs{
						Name:  pulumi.String("nginx"),
						Image: pulumi.String(cmp.Or(args.Image, DefaultNginxImage)),
						Ports: corev1.ContainerPortArray{corev1.ContainerPortArgs{ContainerPort: pulumi.Int(80)}},
						Resources: &corev1.ResourceRequirementsArgs{
							Requests: pulumi.StringMap{"cpu": pulumi.String(args.CPURequest)},
						},
					}},
				},
			},
		},
	}, pulumi.Parent(d))
	if err != nil {
		return nil, err
	}
	d.DeploymentName = deployment.Metadata.Name().Elem()
	if err := ctx.RegisterResourceOutputs(d, pulumi.Map{"deploymentName": d.DeploymentName}); err != nil {
		return nil, err
	}
	return d, nil
}
