# divergence — the project's vocabulary. `make run` (live), `make demo` (offline), `make test`.
SWIFT      ?= swift
JOBS       ?= 2
BIN        := .build/debug/divergence
DATA       ?= ../shared/data
PACKAGES   := libxml2-dev libcurl4-openssl-dev libsqlite3-dev pkg-config
SUDO       := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
DEMO_AS_OF := 2026-02-07

.PHONY: deps build run demo demo-data test validate bench fmt clean

## deps: install the Debian packages the build links against (quiet when present)
deps:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

## build: debug build of every target
build: deps
	$(SWIFT) build -j $(JOBS)

## run: ingest the live sources in feeds/divergence.toml, store them, print the report (exit 3 = some sources failed)
run: build
	@$(BIN) run --config feeds/divergence.toml; status=$$?; [ $$status -eq 0 ] || [ $$status -eq 3 ]

## demo: the same on the offline early-2026 scenario in feeds/demo, as of $(DEMO_AS_OF)
demo: build
	@$(BIN) run --config feeds/demo/divergence.toml --as-of $(DEMO_AS_OF)

## demo-data: regenerate the demo scenario's market CSVs (deterministic)
demo-data: deps
	$(SWIFT) run -j $(JOBS) divergence-demo-data feeds/demo/market

## test: every test suite (unit, loopback HTTP, SQLite, end-to-end on the real binary)
test: build
	$(SWIFT) test -j $(JOBS)

## validate: real-data checks against ../shared/data (skipped when absent)
validate: build
	@if [ -d "$(DATA)" ]; then .build/debug/divergence-validate "$(DATA)"; \
	else echo "validate: skipped: $(DATA) is absent (real-data checks need ../shared/data)"; fi

## bench: release-build benchmarks (see README#benchmarks)
bench: deps
	@[ -x .build/venv/bin/python ] || python3 -m venv .build/venv
	@.build/venv/bin/pip install -q feedparser vaderSentiment 2>/dev/null || echo "bench: pip could not install the Python reference tools; their columns are skipped"
	$(SWIFT) build -c release -j $(JOBS) --product divergence-bench
	.build/release/divergence-bench "$(DATA)"

fmt:
	@command -v swift-format >/dev/null && swift-format -i -r Sources Tests || echo "fmt: swift-format not installed"

clean:
	rm -rf .build .divergence
