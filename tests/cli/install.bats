#!/usr/bin/env bats
# What `meson install` puts under the prefix, from the build the binary
# under test comes from (into a DESTDIR of the test's own, nothing rebuilt).

load helpers

setup() {
	isolate_config
	BUILDDIR=$(dirname "$DNSDOCTOR")
	[ -f "$BUILDDIR/meson-info/intro-installed.json" ] || skip "$BUILDDIR is not a meson build"
}

@test "meson install: binary, man pages, completions, unit, configuration, docs" {
	local dest=$BATS_TEST_TMPDIR/dest prefix unit
	run meson install -C "$BUILDDIR" --no-rebuild --destdir "$dest"
	[ "$status" -eq 0 ]
	prefix=$(meson introspect --buildoptions "$BUILDDIR" | jq -r '.[] | select(.name == "prefix") | .value')
	[ -x "$dest$prefix/bin/dnsdoctor" ]
	[ -f "$dest$prefix/share/man/man1/dnsdoctor.1" ]
	[ -f "$dest$prefix/share/man/man1/dnsdoctor-check.1" ]
	[ -f "$dest$prefix/share/man/man7/dnsdoctor-findings.7" ]
	[ -n "$(find "$dest" -path '*/bash-completion/completions/dnsdoctor')" ]
	[ -n "$(find "$dest" -path '*/zsh/*/_dnsdoctor')" ]
	[ -n "$(find "$dest" -path '*/fish/vendor_completions.d/dnsdoctor.fish')" ]
	unit=$(find "$dest" -name dnsdoctor-exporter.service)
	[ -n "$unit" ]
	grep -qx "ExecStart=$prefix/bin/dnsdoctor exporter --config .*/dnsdoctor/exporter.conf" "$unit"
	[ -n "$(find "$dest" -path '*/dnsdoctor/exporter.conf')" ]
	[ -f "$dest$prefix/share/doc/dnsdoctor/alerts.yml" ]
	[ -f "$dest$prefix/share/doc/dnsdoctor/examples/exporter.conf.example" ]
	[ -f "$dest$prefix/share/doc/dnsdoctor/examples/config.example" ]
	[ -f "$dest$prefix/share/doc/dnsdoctor/findings/LAME_DELEGATION.md" ]
	# nothing of the tests' (the responder, the fuzz replays)
	[ -z "$(find "$dest" -name 'responder' -o -name 'fuzz_*')" ]
}

@test "the example configuration is a good one" {
	local etc=$BATS_TEST_TMPDIR/etc/dnsdoctor
	mkdir -p "$etc"
	# every setting, uncommented
	sed -n 's/^#\([a-z-]* = \)/\1/p' "$BATS_TEST_DIRNAME/../../data/config.example" >"$etc/config"
	[ "$(wc -l <"$etc/config")" -eq 12 ]
	ddr config
	[ "$status" -eq 0 ]
	[ "$(grep -c "$etc/config:" <<<"$output")" -eq 12 ]
}
