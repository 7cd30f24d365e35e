#!/usr/bin/env bats
# The Debian package as a user gets it: `make deb`, apt-get install of the
# .deb, then the installed binary, man pages, completion and service.
# Root only, in a network namespace of its own with the lab up:
#   lab/netns bats tests/deb   (scripts/run-tests: suite deb)
# The package is purged after, unless it was installed before.
# There is no running systemd here: the unit is checked offline
# (systemd-analyze verify, security --offline) and its ExecStart is run
# as a user of no account, with no capability and no new privileges, as
# DynamicUser= would, and scraped.

load ../lab/lab_helper

ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
OUT=$ROOT/build-deb
UNIT=/lib/systemd/system/dnsdoctor-exporter.service
XADDR=127.53.250.9:9553

setup_file() {
	lab_start
	[ -z "$LAB_SKIP" ] || return 0
	LAB_SKIP=$(lab_missing_tool dpkg-buildpackage lintian systemd-analyze man curl setpriv)
	export LAB_SKIP
	dpkg-query -W -f='${Status}' dnsdoctor 2>/dev/null | grep -q 'ok installed' &&
		touch "$LAB_TMP/was-installed"
	return 0
}

setup() { lab_skip_if_unavailable; }

teardown_file() {
	if [ -n "${LAB_TMP:-}" ]; then
		[ ! -f "$LAB_TMP/exporter.pid" ] || kill "$(cat "$LAB_TMP/exporter.pid")" 2>/dev/null || true
		if [ ! -f "$LAB_TMP/was-installed" ] && [ -f "$LAB_TMP/installed" ]; then
			DEBIAN_FRONTEND=noninteractive apt-get purge -y -q dnsdoctor >/dev/null 2>&1 || true
		fi
	fi
	lab_stop
}

deb() { ls "$OUT"/dnsdoctor_*.deb; }

@test "deb: make deb builds the package out of the tree" {
	touch "$BATS_TEST_TMPDIR/before"
	run make -C "$ROOT" deb
	echo "$output" | tail -n 20
	[ "$status" -eq 0 ]
	[ "$(deb | wc -l)" -eq 1 ]
	# build/, build-asan/ and the tree untouched: dh worked on a copy
	[ -z "$(find "$ROOT"/build "$ROOT"/build-asan -newer "$BATS_TEST_TMPDIR/before" 2>/dev/null | head -n 3)" ]
	[ ! -e "$ROOT/obj-x86_64-linux-gnu" ] && [ ! -e "$ROOT/debian/dnsdoctor" ]
	[ ! -e "$ROOT/debian/.debhelper" ]
}

@test "deb: lintian finds no error" {
	run lintian --fail-on error "$(deb)"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output != *"E: "* ]]
}

@test "deb: apt-get installs it" {
	DEBIAN_FRONTEND=noninteractive run apt-get install -y -q --reinstall --allow-downgrades "$(deb)"
	echo "$output" | tail -n 5
	[ "$status" -eq 0 ]
	touch "$LAB_TMP/installed"
	dpkg-query -W -f='${Status}' dnsdoctor | grep -q 'ok installed'
}

@test "deb: the installed dnsdoctor --version, man pages, conffile" {
	run /usr/bin/dnsdoctor --version
	[ "$status" -eq 0 ]
	[[ $output =~ ^dnsdoctor\ [0-9]+\.[0-9]+ ]]
	[ "$(man -w dnsdoctor-check)" = /usr/share/man/man1/dnsdoctor-check.1.gz ]
	man -w dnsdoctor
	man -w 7 dnsdoctor-findings
	run env MANWIDTH=80 man dnsdoctor-check
	[[ $output == *"--expect-ns NAMES|@FILE"* ]]
	dpkg-query -W -f='${Conffiles}' dnsdoctor | grep -q /etc/dnsdoctor/exporter.conf
	[ -f /usr/share/doc/dnsdoctor/copyright ]
}

@test "deb: bash completes dnsdoctor ch<TAB> and check --ac<TAB> as installed" {
	run bash -c '
		. /usr/share/bash-completion/bash_completion
		# bash-completion loads ours on demand, from its own folder
		__load_completion dnsdoctor || exit 9
		c() {
			COMP_WORDS=("$@") COMP_CWORD=$(($# - 1))
			COMP_LINE="$*" COMP_POINT=${#COMP_LINE}
			_dnsdoctor dnsdoctor "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
			echo "${COMPREPLY[*]}"
		}
		c dnsdoctor ch
		c dnsdoctor check --ac'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = check ]
	[ "${lines[1]}" = "--acme --account-uri --acm" ]
	[ -f /usr/share/zsh/vendor-completions/_dnsdoctor ]
	[ -f /usr/share/fish/vendor_completions.d/dnsdoctor.fish ]
}

@test "deb: the installed binary checks a lab domain" {
	run /usr/bin/dnsdoctor check healthy.com --allow-private --json
	echo "$output" | head -n 20
	[ "$status" -eq 0 ]
	[ "$(jq -r .verdict <<<"$output")" = ok ]
	# The graph: Graphviz's plugins opened from their folder, no RPATH.
	run /usr/bin/dnsdoctor check healthy.com --allow-private --format svg
	[ "$status" -eq 0 ]
	[[ $output == "<?xml"*"<svg"* ]]
	[[ $output == *"a.healthy.alpha"* ]] # Graphviz writes "-" as &#45;
}

@test "deb: systemd-analyze accepts the unit, and its hardening" {
	run systemd-analyze verify "$UNIT"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	local d
	for d in DynamicUser=yes ProtectSystem=strict NoNewPrivileges=yes \
		CapabilityBoundingSet= PrivateTmp=yes ProtectHome=yes; do
		grep -qx "$d" "$UNIT"
	done
	grep -q '^RestrictAddressFamilies=' "$UNIT"
	# exposure 0 (locked down) to 10 (not at all): at most 2
	run systemd-analyze security --offline=true --threshold=20 "$UNIT"
	echo "$output" | tail -n 1
	[ "$status" -eq 0 ]
}

@test "deb: the unit's ExecStart, run as DynamicUser= would, serves /metrics and /probe" {
	local exec argv uid=61953 dir=$LAB_TMP/pub i
	exec=$(sed -n 's/^ExecStart=//p' "$UNIT")
	[[ $exec == "/usr/bin/dnsdoctor exporter --config /etc/dnsdoctor/exporter.conf" ]]
	read -ra argv <<<"$exec"
	# the lab's files, where a user of no account can read them
	mkdir -p "$dir"
	cp "$DNSDOCTOR_ROOT_HINTS" "$DNSDOCTOR_TRUST_ANCHOR" "$dir/"
	chmod 755 "$LAB_TMP" "$dir" && chmod 644 "$dir"/*
	# what a drop-in would add for the lab: its roots, its loopback
	env -i PATH=/usr/bin:/bin HOME=/ \
		setpriv --reuid="$uid" --regid="$uid" --clear-groups --no-new-privs \
		--bounding-set=-all --inh-caps=-all -- \
		"${argv[@]}" --listen "$XADDR" --allow-private \
		--root-hints "$dir/root.hints" --trust-anchor "$dir/trust-anchor" \
		--resolvers "$DNSDOCTOR_RESOLVERS" \
		2>"$LAB_TMP/exporter.log" &
	echo $! >"$LAB_TMP/exporter.pid"
	# Up to 30 s to listen: a guard against a hang, not a measure.
	for i in $(seq 300); do
		curl -sf "http://$XADDR/metrics" >"$LAB_TMP/metrics" && break
		sleep 0.1
	done
	cat "$LAB_TMP/exporter.log"
	grep -q '^dnsdoctor_exporter_build_info{' "$LAB_TMP/metrics"
	grep -qx 'dnsdoctor_exporter_targets 0' "$LAB_TMP/metrics"
	[ "$(stat -c %u "/proc/$(cat "$LAB_TMP/exporter.pid")")" -eq "$uid" ]
	grep -qx 'NoNewPrivs:[[:space:]]*1' "/proc/$(cat "$LAB_TMP/exporter.pid")/status"
	grep -qx 'CapBnd:[[:space:]]*0000000000000000' "/proc/$(cat "$LAB_TMP/exporter.pid")/status"
	run curl -sf "http://$XADDR/probe?target=healthy.com"
	echo "$output" | grep dnsdoctor_check_success
	[ "$status" -eq 0 ]
	grep -q '^dnsdoctor_check_success{.*} 1$' <<<"$output"
	kill "$(cat "$LAB_TMP/exporter.pid")"
	rm "$LAB_TMP/exporter.pid"
}
