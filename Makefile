# dnsdoctor — the short way in. Every target that needs packages installs
# them first (scripts/install-deps; run as root on Debian 12).

MESON_FLAGS = -Dwerror=true
ASAN_FLAGS  = -Db_sanitize=address,undefined -Db_lundef=false

.PHONY: all deps build build-asan test demo bench bench-fleet fuzz deb clean

all: build

deps:
	scripts/install-deps

build:
	test -f build/build.ninja || meson setup build $(MESON_FLAGS)
	ninja -C build

build-asan:
	test -f build-asan/build.ninja || meson setup build-asan $(MESON_FLAGS) $(ASAN_FLAGS)
	ninja -C build-asan

test: deps
	$(MAKE) build build-asan
	scripts/run-tests

# The Debian package, built from a copy of the tree (scripts/make-deb):
# build-deb/dnsdoctor_VERSION_ARCH.deb, for apt install ./build-deb/....
deb: deps
	scripts/make-deb build-deb

demo: deps
	$(MAKE) build
	DNSDOCTOR=$(CURDIR)/build/dnsdoctor lab/netns lab/demo.sh

bench: deps
	$(MAKE) build
	DNSDOCTOR=$(CURDIR)/build/dnsdoctor lab/netns bench/check.sh
	DNSDOCTOR=$(CURDIR)/build/dnsdoctor lab/netns bench/wait.sh
	DNSDOCTOR=$(CURDIR)/build/dnsdoctor lab/netns bench/cert.sh
	DNSDOCTOR=$(CURDIR)/build/dnsdoctor lab/netns bench/latency.sh

# The fleet bench: 20,000 zones on NSD and Knot (ZONES=...), ~6 min; not in
# `make bench`. BENCH_MILLION=1 adds a run over 1,000,000 lines (long).
bench-fleet: deps
	$(MAKE) build
	DNSDOCTOR=$(CURDIR)/build/dnsdoctor lab/netns bench/fleet.sh

# The exporter bench: 1,000 scheduled targets at 60 s, ~5 min; not in
# `make bench`.
bench-exporter: deps
	$(MAKE) build
	DNSDOCTOR=$(CURDIR)/build/dnsdoctor lab/netns bench/exporter.sh

# libFuzzer: every tests/fuzz target for FUZZ_SECONDS each, starting from
# its saved corpus tests/fuzz/corpus/TARGET. New inputs go to
# build-fuzz/corpus/TARGET (fold the useful ones in with -merge=1); a crash
# is written to tests/fuzz/corpus/TARGET/crash-* and fails the run, so once
# fixed it replays in every build.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = response evidence_json dname hints nslist caa acmelog
FUZZ_FLAGS = -Dfuzzing=true -Dtests=false -Db_sanitize=address,undefined -Db_lundef=false

fuzz: deps
	test -f build-fuzz/build.ninja || CC=clang CFLAGS=-fsanitize=fuzzer-no-link \
		meson setup build-fuzz $(MESON_FLAGS) $(FUZZ_FLAGS)
	ninja -C build-fuzz
	for t in $(FUZZ_TARGETS); do \
		echo "== fuzz_$$t: $(FUZZ_SECONDS) s"; \
		mkdir -p build-fuzz/corpus/$$t; \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		build-fuzz/tests/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) \
			-print_final_stats=1 -artifact_prefix=tests/fuzz/corpus/$$t/crash- \
			build-fuzz/corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

clean:
	rm -rf build build-asan build-fuzz build-deb
