// Command k8sbook is the Pulumi program that builds the Azure environments of Part 3 of
// 「しくみがわかる Kubernetes」; the stack name picks the chapter.
package main

import (
	"github.com/k8sbook/k8sbook/stacks"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() { pulumi.Run(stacks.Program) }
