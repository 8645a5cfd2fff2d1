# One entry point for every Go module in the repository: the Pulumi program at the root and the
# modules that carry their own dependencies (the ToDo app, the conformance suite).
MODULES := $(dir $(wildcard go.mod */go.mod))

.PHONY: test vet fmt-check check

## test: run every module's tests (offline; the conformance suite's first build takes longest)
test:
	@set -e; for m in $(MODULES); do echo "== go test $$m"; (cd $$m && go test -timeout 30m ./...); done

## vet: go vet every module
vet:
	@set -e; for m in $(MODULES); do echo "== go vet $$m"; (cd $$m && go vet ./...); done

## fmt-check: fail when a file is not gofmt-formatted
fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

check: fmt-check vet test
