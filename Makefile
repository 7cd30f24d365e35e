# dnsdoctor — the short way in. Every target that needs packages installs
# them first (scripts/install-deps; run as root on Debian 12).

MESON_FLAGS = -Dwerror=true
ASAN_FLAGS  = -Db_sanitize=address,undefined -Db_lundef=false

.PHONY: all deps build build-asan test demo bench clean

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

demo: deps
	$(MAKE) build
	DNSDOCTOR=$(CURDIR)/build/dnsdoctor lab/netns lab/demo.sh

bench: deps
	$(MAKE) build
	DNSDOCTOR=$(CURDIR)/build/dnsdoctor lab/netns bench/check.sh

clean:
	rm -rf build build-asan
