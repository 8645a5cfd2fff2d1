package components

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// azureNativeVersion is the one azure-native provider release every Azure resource and invoke of
// this project runs on. The generated SDK modules come from different releases (containerservice
// 2.88, insights 2.90, network 2.92 …) and would each ask for their own provider plugin; pinning
// them to one means one plugin download and one provider instance per stack.
const azureNativeVersion = "2.92.0"

// azureNative is the option that pins a resource or invoke to azureNativeVersion.
var azureNative = pulumi.Version(azureNativeVersion)
