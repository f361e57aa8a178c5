# FlowShield. `make dev` runs the stack, `make test` runs every test; both install what is missing.

TEMPORAL_CLI_VERSION := v1.5.1
GHZ_VERSION := v0.120.0
TOOLS := $(CURDIR)/.tools/bin
# The Temporal CLI from PATH when present, else the pinned one built into .tools/bin.
TEMPORAL := $(or $(shell command -v temporal 2>/dev/null),$(TOOLS)/temporal)
NODE_DEPS := node_modules/.package-lock.json
TSX := node --import tsx

.PHONY: dev test bench build install temporal ghz generate check-generated lint typecheck migrate clean

dev: install
	$(TSX) scripts/dev.ts

test: install check-generated lint typecheck
	$(TSX) scripts/test.ts

# The benchmark; QUICK=1 for a run of under two minutes. Results: the table, and .bench/results.json.
bench: install build $(TOOLS)/ghz
	QUICK=$(QUICK) $(TSX) bench/src/main.ts

# What production runs: dist/{auth,profile,worker}.js and the prebuilt dist/workflow-bundle.js.
build: $(NODE_DEPS)
	$(TSX) scripts/build.ts

install: $(NODE_DEPS) $(TEMPORAL)

# npm 11 runs install scripts only for the packages under "allowScripts" in package.json. `npm
# install` rather than `npm ci`: the lock file this registry writes omits other platforms'
# optional binaries, which `npm ci` counts as out of sync.
$(NODE_DEPS): package.json package-lock.json
	npm install --no-audit --no-fund
	@touch $@

$(TOOLS)/temporal:
	@echo "Building the Temporal CLI $(TEMPORAL_CLI_VERSION) into .tools/bin (once; takes a few minutes)"
	GOBIN=$(TOOLS) go install github.com/temporalio/cli/cmd/temporal@$(TEMPORAL_CLI_VERSION)

temporal: $(TEMPORAL)

# ghz, the gRPC load tool `make bench` drives Login and GetProfile with.
$(TOOLS)/ghz:
	GOBIN=$(TOOLS) go install github.com/bojand/ghz/cmd/ghz@$(GHZ_VERSION)

ghz: $(TOOLS)/ghz

# The TypeScript in gen/ is committed; `make test` fails when it no longer matches proto/.
generate: $(NODE_DEPS)
	npx buf generate

check-generated: generate
	@test -z "$$(git status --porcelain -- gen)" || { git status --short -- gen; echo "gen/ is out of date with proto/: run 'make generate' and commit"; exit 1; }

lint: $(NODE_DEPS)
	npx buf lint

typecheck: $(NODE_DEPS)
	npx tsc -p tsconfig.json

clean:
	rm -rf .data .bench dist
