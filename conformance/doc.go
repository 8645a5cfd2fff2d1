// Package conformance applies the Kubernetes objects that the k8sbook stacks
// would create (testdata/manifests/<stack>.json, written by the stack tests of
// the root module) to a real kube-apiserver and etcd started in-process, and
// checks that they are accepted and mean what the book says: RBAC through the
// API server's own authorizer, LimitRange and Pod Security through its own
// admission chain.
//
// It is a module of its own because k8s.io/kubernetes is heavy to build and
// pins every k8s.io staging module; the root module stays light.
package conformance
