# Espace Connecté — the two commands: `make start` and `make test`.
SHELL := /bin/bash
NPM ?= npm
STAMP := node_modules/.install-stamp
TEST_FILES = $(shell find dist/tests -name '*.test.js' -not -path '*/fault/*' -not -path '*/image/*' | sort)

.PHONY: start build test test-deps test-root test-fault test-image bench kiosk clean install lint lint-ts format format-check

# Dependencies: reinstalled only when package-lock.json changes. No dependency install
# scripts: LevelDB loads from the prebuilt binaries its packages ship, Electron's binary is
# installed on the Pi only, and nothing here needs compiling.
$(STAMP): package.json package-lock.json
	$(NPM) ci --no-audit --no-fund --ignore-scripts
	@touch $(STAMP)

install: $(STAMP)

# tsc compiles and type-checks; esbuild then bundles the `espace` command (provisioning/bundle.ts):
# dist/bundle/espace.js is what make start, the systemd unit and the tests run.
build: $(STAMP)
	npx tsc -p tsconfig.json
	node dist/provisioning/bundle.js
	@if [ -f content/packs/kayes/pack.yaml ]; then node dist/bundle/espace.js content build content/packs/kayes -o dist/packs/kayes.espack --key content/keys/demo-signing.key --quiet; else echo "content/packs/kayes not written yet: demo pack not built"; fi

start: build
	node dist/bundle/espace.js start

kiosk: build
	node dist/bundle/espace.js kiosk

# System packages the tests use: Chromium for pages, and the real validators of generated files.
test-deps:
	@bash tests/support/install-test-deps.sh

# Formatting (Prettier, .prettierrc.json; `make format` applies it). The rooms the code cannot
# cross (.dependency-cruiser.cjs): content ← hub ← provisioning,
# content ← kiosk, and every room entered only through its index.ts. Then the browser's plain
# JavaScript type-checked from its JSDoc: the pages (tsconfig.browser.json) and the service
# worker, whose globals are a worker's (tsconfig.sw.json). Last typescript-eslint, strict and
# type-checked (eslint.config.js; `make lint-ts` runs it alone): a few minutes on two cores.
lint: $(STAMP)
	npx prettier --check --log-level warn .
	npx depcruise --config .dependency-cruiser.cjs --output-type err hub kiosk provisioning content tests
	npx tsc -p tsconfig.browser.json
	npx tsc -p tsconfig.sw.json
	$(MAKE) --no-print-directory lint-ts

lint-ts: $(STAMP)
	npx eslint hub kiosk provisioning content tests eslint.config.js .dependency-cruiser.cjs

# Prettier formats the TypeScript, the browser's JavaScript, JSON, HTML and CSS with one
# configuration (.prettierrc.json); Markdown and the YAML profiles stay as written
# (.prettierignore says why).
format: $(STAMP)
	npx prettier --write --log-level warn .

format-check: $(STAMP)
	npx prettier --check --log-level warn .

# The Debian Trixie root that `provision apply --root` is tested in: built once with mmdebstrap
# (a few minutes on a cold cache), then cached under var/debian-root/ with the .debs apply installs.
test-root: test-deps build
	@bash tests/support/debian-root.sh trixie >/dev/null

test: test-deps build lint test-root
	node --test --test-concurrency=2 --test-timeout=300000 $(TEST_FILES)

test-fault: test-deps build
	node --test --test-timeout=1200000 $$(find dist/tests/fault -name '*.test.js' | sort)

# The golden image booted under qemu (x86-64 standing in for the Pi's arm64; KVM when there is
# /dev/kvm, else software emulation): systemd starts the rendered units, /health answers on
# port 80, the kiosk's session shows the kiosk page (Debian's Chromium standing in for Electron).
# About 10 minutes, so not in make test; the kernel's root is cached next to test-root's.
test-image: test-deps build test-root
	@bash tests/support/install-test-deps.sh image
	node --test --test-timeout=1800000 dist/tests/image/boot.test.js

# `make bench QUICK=1` for a short run (2–3 s per load, a 1-minute soak);
# `make bench ONLY=hub,portal` for some sections (hub, portal, sync, peers, growth, pi, memory, instructions, status, community, logins, studio, opportunities, sms, tls, central, sd-wear, soak);
# `make bench ONLY=instructions BEFORE=../other-checkout` counts instructions per request beside another build (valgrind).
# `make bench HUB_NODE=image` runs the hubs (and their baselines) on the Node the Pi image installs,
# fetched for this machine from the npm registry (tests/bench/hub-node.sh); HUB_NODE=/path/to/node on another.
bench: test-deps build
	@hub_node="$$(bash tests/bench/hub-node.sh "$(HUB_NODE)")" && \
	ESPACE_HUB_NODE="$$hub_node" node dist/tests/bench/run.js $(if $(QUICK),--quick) $(if $(ONLY),--only=$(ONLY)) $(if $(BEFORE),--before=$(BEFORE))

clean:
	rm -rf dist
