# divergence — the project's vocabulary. `make run` (live), `make demo` (offline), `make test`.
SWIFT      ?= swift
JOBS       ?= 2
BIN        := .build/debug/divergence
DATA       ?= ../shared/data
PACKAGES   := libxml2-dev libcurl4-openssl-dev libsqlite3-dev pkg-config
SUDO       := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
DEMO_AS_OF := 2026-02-07
# Release builds link the Swift runtime and Foundation statically: a process starts in about two thirds of the CPU
# time (no symbol lookups across 50 shared libraries) and runtime calls are direct. bench and install share these
# flags, since a release build with other flags recompiles every module.
RELEASE    := -c release --static-swift-stdlib

.PHONY: deps build run demo demo-data test validate bench fuzz fmt clean test-asan test-tsan leak-check install man

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

## bench: release-build benchmarks, in-process and whole-process (parse, score-text against feedparser and VADER; wrk
## against `divergence serve`, skipped where wrk is absent; see README#benchmarks)
bench: deps
	@[ -x .build/venv/bin/python ] || python3 -m venv .build/venv
	@.build/venv/bin/pip install -q feedparser vaderSentiment 2>/dev/null || echo "bench: pip could not install the Python reference tools; their columns are skipped"
	$(SWIFT) build $(RELEASE) -j $(JOBS) --product divergence-bench
	$(SWIFT) build $(RELEASE) -j $(JOBS) --product divergence
	.build/release/divergence-bench "$(DATA)"

## Sanitizers: each has its own scratch path (.build-asan, .build-tsan), so `make build` and `make test` keep theirs.
## Swift on Linux has no -sanitize=undefined, so UBSan covers the C compiled into the build (trap mode: no runtime to
## link). SWIFT_BACKTRACE=enable=no leaves crashes to the sanitizer's report; DIVERGENCE_SANITIZER lets a test that
## cannot run under one skip itself; DIVERGENCE_TEST_TIME_SCALE stretches the tests' wall-clock bounds.
SAN_SUPP   := $(CURDIR)/Tests/Sanitizers
UBSAN_C    := -Xcc -fsanitize=undefined -Xcc -fsanitize-trap=undefined
ASAN_FLAGS := --scratch-path .build-asan --sanitize=address $(UBSAN_C)
ASAN_ENV   := SWIFT_BACKTRACE=enable=no DIVERGENCE_SANITIZER=address DIVERGENCE_TEST_TIME_SCALE=$${DIVERGENCE_TEST_TIME_SCALE:-3} \
              ASAN_OPTIONS=detect_leaks=1:handle_sigill=1 LSAN_OPTIONS=suppressions=$(SAN_SUPP)/lsan.supp
TSAN_ENV   := SWIFT_BACKTRACE=enable=no DIVERGENCE_SANITIZER=thread DIVERGENCE_TEST_TIME_SCALE=$${DIVERGENCE_TEST_TIME_SCALE:-6} \
              TSAN_OPTIONS=suppressions=$(SAN_SUPP)/tsan.supp LD_PRELOAD=$(CURDIR)/.build-tsan/libtsan-swift-mutex.so
CLANG      ?= clang
SAN_RESULT  = took=$$(( $$(date +%s) - start )); \
              if [ $$status -eq 0 ]; then echo "$@: PASS ($$took s)"; else echo "$@: FAIL (exit $$status, $$took s)"; exit 1; fi

## test-asan: every test suite under AddressSanitizer + LeakSanitizer (UBSan traps in C code), in .build-asan
test-asan: deps
	@echo "$@: swift test $(ASAN_FLAGS)"; start=$$(date +%s); \
	$(ASAN_ENV) $(SWIFT) test -j $(JOBS) $(ASAN_FLAGS); status=$$?; $(SAN_RESULT)

## test-tsan: every test suite under ThreadSanitizer, in .build-tsan (Tests/Sanitizers/tsan-swift-mutex.c preloaded)
test-tsan: deps
	@echo "$@: swift test --scratch-path .build-tsan --sanitize=thread"; start=$$(date +%s); \
	mkdir -p .build-tsan && $(CLANG) -shared -fPIC -O1 -o .build-tsan/libtsan-swift-mutex.so $(SAN_SUPP)/tsan-swift-mutex.c -ldl && \
	$(SWIFT) build --build-tests -j $(JOBS) --scratch-path .build-tsan --sanitize=thread && \
	$(TSAN_ENV) $(SWIFT) test --skip-build --scratch-path .build-tsan --sanitize=thread; status=$$?; $(SAN_RESULT)

## leak-check: `divergence run` on the demo scenario (a full ingest into a fresh store) must leave LeakSanitizer silent
leak-check: deps
	@echo "$@: swift build $(ASAN_FLAGS) --product divergence"; start=$$(date +%s); \
	$(SWIFT) build -j $(JOBS) $(ASAN_FLAGS) --product divergence; status=$$?; \
	if [ $$status -eq 0 ]; then \
	  scratch=$$(mktemp -d); \
	  echo "$@: divergence run --config feeds/demo/divergence.toml --as-of $(DEMO_AS_OF) --store $$scratch/demo.sqlite"; \
	  $(ASAN_ENV) .build-asan/debug/divergence run --config feeds/demo/divergence.toml --as-of $(DEMO_AS_OF) \
	    --store $$scratch/demo.sqlite >$$scratch/stdout 2>$$scratch/stderr; status=$$?; cat $$scratch/stderr; \
	  if grep -q "Sanitizer" $$scratch/stderr; then status=1; else echo "$@: no leaks reported"; fi; rm -rf $$scratch; \
	fi; $(SAN_RESULT)

## fuzz: libFuzzer + AddressSanitizer on each parser for FUZZ_SECONDS (default 60) each, one at a time; new coverage is
## merged into Tests/Fuzz/corpus, findings go to .build-fuzz/fuzz/findings (see README#fuzzing)
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= feed jsonfeed opml article date delimited survey series config readings
fuzz: deps
	$(SWIFT) build --scratch-path .build-fuzz -c release -j $(JOBS) --product divergence-fuzz \
	  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DDIVERGENCE_FUZZ
	Tests/Fuzz/fuzz.sh .build-fuzz/release/divergence-fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

## man: the man page generated from the command tree (swift-argument-parser's generate-manual plugin)
man: deps
	mkdir -p $(CURDIR)/.build/man
	$(SWIFT) package --allow-writing-to-package-directory generate-manual --output-directory $(CURDIR)/.build/man

## install: the binary, man page, shell completions and systemd/cron/logrotate recipes under $(DESTDIR)$(PREFIX)
## (PREFIX defaults to /usr/local; CONFIGURATION=debug skips the release build)
PREFIX        ?= /usr/local
CONFIGURATION ?= release
install: man
	$(SWIFT) build $(if $(filter release,$(CONFIGURATION)),$(RELEASE),-c $(CONFIGURATION)) -j $(JOBS) --product divergence
	install -D -m 0755 .build/$(CONFIGURATION)/divergence $(DESTDIR)$(PREFIX)/bin/divergence
	install -D -m 0644 .build/man/divergence.1 $(DESTDIR)$(PREFIX)/share/man/man1/divergence.1
	mkdir -p $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
	  $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	.build/$(CONFIGURATION)/divergence --generate-completion-script bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/divergence
	.build/$(CONFIGURATION)/divergence --generate-completion-script zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_divergence
	.build/$(CONFIGURATION)/divergence --generate-completion-script fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/divergence.fish
	install -D -m 0644 -t $(DESTDIR)$(PREFIX)/lib/systemd/system contrib/systemd/divergence.service \
	  contrib/systemd/divergence-ingest.service contrib/systemd/divergence-ingest.timer
	install -D -m 0644 contrib/cron/divergence $(DESTDIR)$(PREFIX)/share/divergence/cron/divergence
	install -D -m 0644 contrib/logrotate/divergence $(DESTDIR)$(PREFIX)/share/divergence/logrotate/divergence
	install -D -m 0644 -t $(DESTDIR)$(PREFIX)/share/divergence/prometheus contrib/prometheus/divergence.rules.yml
	install -D -m 0644 -t $(DESTDIR)$(PREFIX)/share/divergence/grafana contrib/grafana/divergence.json contrib/grafana/provisioning.yml

fmt:
	@command -v swift-format >/dev/null && swift-format -i -r Sources Tests || echo "fmt: swift-format not installed"

clean:
	rm -rf .build .divergence
