#!/usr/bin/env bats
# The misbehaving responder (tests/responder) in the lab: each behaviour is
# really there at the dig level, and what dnsdoctor prints of hostile data
# never carries a raw control byte. The findings of each hostile-* scenario
# are checked by scenarios.bats.
# Run as: DNSDOCTOR=/abs/path/build/dnsdoctor lab/netns bats tests/lab

load lab_helper
bats_require_minimum_version 1.5.0

setup_file() {
	if [ -z "${DNSDOCTOR:-}" ]; then
		export LAB_SKIP="DNSDOCTOR is not set (DNSDOCTOR=/abs/path/to/build/dnsdoctor)"
	fi
	lab_start
}
setup() { lab_skip_if_unavailable; }
teardown_file() { lab_stop; }

# The address of the responder of scenario hostile-BEHAVIOUR.
bad() { awk '$1 == "responder" { split($3, a, ","); print a[1] }' "$LAB_SRC/scenarios/hostile-$1/servers"; }
zone() { echo "hostile-$1.net"; }

# Raw control bytes: C0 but newline, DEL, and the C1 range as single bytes.
# dnsdoctor writes ASCII only, so any byte >= 0x80 is a fault too.
no_raw_controls() { ! LC_ALL=C grep -qaP '[\x00-\x09\x0b-\x1f\x7f-\xff]' "$1"; }

@test "responder: every behaviour's process runs, by the PID it wrote under the lab dir" {
	local n=0 f
	for f in "$LAB_TMP"/srv/responder-*/pid; do
		kill -0 "$(cat "$f")"
		n=$((n + 1))
	done
	[ "$n" -eq "$(cat "$LAB_SRC"/scenarios/*/servers | grep -c '^responder ')" ]
}

@test "responder: the healthy server of each hostile zone answers it authoritatively" {
	local d a z
	for d in "$LAB_SRC"/scenarios/hostile-*/; do
		a=$(awk '$1 != "responder" && $1 !~ /^#/ && NF == 5 { print $3 }' "$d/servers")
		z=$(basename "$d").net
		is_aa "@$a" "$z" SOA || { echo "not authoritative: $a $z"; return 1; }
	done
}

@test "responder: wrong-id, wrong-question and other-source replies are dropped by dig" {
	run q "@$(bad wrong-id)" "$(zone wrong-id)" SOA
	[[ $output == *"ID mismatch"* ]]
	run q "@$(bad wrong-question)" "$(zone wrong-question)" SOA
	[[ $output == *"Question section mismatch"* ]]
	run q "@$(bad other-source)" "$(zone other-source)" SOA
	[[ $output == *"timed out"* ]]
	is_aa +tcp "@$(bad other-source)" "$(zone other-source)" SOA
}

@test "responder: malformed messages do not parse" {
	local b
	! is_aa "@$(bad garbage)" "$(zone garbage)" SOA || false
	for b in counts-lie ptr-loop ptr-past-end; do
		run q "@$(bad "$b")" "$(zone "$b")" SOA
		echo "$b: $output"
		[[ $output == *"malformed"* || $output == *"bad"* || $output == *"mismatch"* ]]
	done
}

@test "responder: TC=1 over UDP, and TCP that accepts but never answers or trickles" {
	q "@$(bad tc-silent)" "$(zone tc-silent)" SOA +ignore | grep -q 'flags:[^;]* tc'
	run dig +tcp +time=1 +tries=1 "@$(bad tc-silent)" "$(zone tc-silent)" SOA
	[ "$status" -ne 0 ]
	is_aa "@$(bad tcp-trickle)" "$(zone tcp-trickle)" SOA
	run dig +tcp +time=1 +tries=1 "@$(bad tcp-trickle)" "$(zone tcp-trickle)" SOA
	[ "$status" -ne 0 ]
}

@test "responder: FORMERR to EDNS, a correct answer without it" {
	[ "$(status_of "@$(bad edns-formerr)" "$(zone edns-formerr)" SOA)" = FORMERR ]
	is_aa +noedns "@$(bad edns-formerr)" "$(zone edns-formerr)" SOA
}

@test "responder: a 60 KB TXT set over TCP, TC=1 over UDP; two replies to one query" {
	q "@$(bad big-txt)" "$(zone big-txt)" TXT +ignore | grep -q 'flags:[^;]* tc'
	[ "$(q +tcp +short "@$(bad big-txt)" "$(zone big-txt)" TXT | wc -l)" -eq 240 ]
	is_aa "@$(bad two-replies)" "$(zone two-replies)" SOA
}

@test "responder: servfail-caa and drop-caa fail CAA only; the other server of each zone answers CAA" {
	local sf=127.53.96.2 drop=127.53.97.2
	[ "$(status_of "@$sf" www.acme-caa-servfail.org CAA)" = SERVFAIL ]
	[ "$(status_of +tcp "@$sf" www.acme-caa-servfail.org CAA)" = SERVFAIL ]
	is_aa "@$sf" acme-caa-servfail.org SOA
	[ -n "$(q +short "@$sf" _acme-challenge.www.acme-caa-servfail.org TXT)" ]
	[ "$(status_of @127.53.96.1 www.acme-caa-servfail.org CAA)" = NOERROR ]
	run q "@$drop" www.acme-caa-timeout.net CAA
	[[ $output == *"timed out"* ]]
	run q +tcp "@$drop" www.acme-caa-timeout.net CAA
	[[ $output == *"timed out"* ]]
	is_aa "@$drop" acme-caa-timeout.net SOA
	is_aa +tcp "@$drop" acme-caa-timeout.net SOA
	[ -n "$(q +short "@$drop" _acme-challenge.www.acme-caa-timeout.net TXT)" ]
	[ "$(status_of @127.53.97.1 www.acme-caa-timeout.net CAA)" = NOERROR ]
}

@test "terminal: check's human report of escape-laden NS and SOA data holds no raw control byte" {
	run --separate-stderr "$DNSDOCTOR" check "$(zone escapes)" --no-color --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "$output"
	[ "$status" -eq 2 ]
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/out"
	printf '%s\n' "$stderr" > "$BATS_TEST_TMPDIR/err"
	no_raw_controls "$BATS_TEST_TMPDIR/out"
	no_raw_controls "$BATS_TEST_TMPDIR/err"
	# The hostile name is there, escaped: the test saw the data.
	grep -qF '\027[2j\027]52' "$BATS_TEST_TMPDIR/out"
}

@test "terminal: trace TXT prints escape-laden TXT data with no raw control byte" {
	run --separate-stderr "$DNSDOCTOR" trace "$(zone escapes)" TXT --no-color --root-hints "$DNSDOCTOR_ROOT_HINTS"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/out"
	no_raw_controls "$BATS_TEST_TMPDIR/out"
	grep -qF 'osc52:\027]52;c;' "$BATS_TEST_TMPDIR/out"
	grep -qF 'nul:\000end' "$BATS_TEST_TMPDIR/out"
	grep -qF 'csi:\155[31mred' "$BATS_TEST_TMPDIR/out"
}

@test "trace: the 60 KB TXT set arrives whole over TCP after TC=1" {
	run --separate-stderr "$DNSDOCTOR" trace "$(zone big-txt)" TXT --json --root-hints "$DNSDOCTOR_ROOT_HINTS"
	[ "$status" -eq 0 ]
	[ "$(jq --arg a "$(bad big-txt)" '[.levels[].servers[] | select(.address == $a) | .answer[]] | length' <<<"$output")" -eq 240 ]
}

@test "every hostile check finishes within its timeouts: exit 0-2, never 3 or a signal" {
	local d rc
	for d in "$LAB_SRC"/scenarios/hostile-*/; do
		rc=0
		"$DNSDOCTOR" check "$(basename "$d").net" --root-hints "$DNSDOCTOR_ROOT_HINTS" >/dev/null 2>&1 || rc=$?
		echo "$(basename "$d"): $rc"
		[ "$rc" -le 2 ]
	done
}
