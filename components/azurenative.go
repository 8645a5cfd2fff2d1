package components

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// azureNativeVersion is the azure-native provider release every Azure resource and invoke of this
// project runs on. Without the option, a generated module takes its version from whichever
// umbrella module Go's version selection picks, and the Cosmos DB binding (documentdb.go) would
// have to follow it by hand; pinning it here makes the provider release a decision of this project,
// the same for every resource.
const azureNativeVersion = "2.92.0"

// azureNative is the option that pins a resource or invoke to azureNativeVersion.
var azureNative = pulumi.Version(azureNativeVersion)
