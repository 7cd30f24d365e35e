#!/usr/bin/env bats
# A network that answers DNS itself: every "root server" answers NXDOMAIN
# without authority (the misbehaving responder's "intercept" behaviour on
# two root addresses of its own). check and trace name the interception
# instead of blaming the domain.
# Run as: DNSDOCTOR=/abs/path/build/dnsdoctor lab/netns bats tests/lab

load lab_helper
bats_require_minimum_version 1.5.0

ROOT_A=127.53.250.1
ROOT_B=127.53.250.2

setup_file() {
	LAB_SKIP=$(lab_unavailable)
	RESPONDER=${LAB_RESPONDER:-$LAB_SRC/../build/tests/responder/responder}
	[ -n "$LAB_SKIP" ] || [ -x "$RESPONDER" ] || LAB_SKIP="no responder at $RESPONDER (make build)"
	export LAB_SKIP
	[ -z "$LAB_SKIP" ] || return 0
	export T=$BATS_FILE_TMPDIR
	ip addr add $ROOT_A/32 dev lo 2>/dev/null || true
	ip addr add $ROOT_B/32 dev lo 2>/dev/null || true
	printf '$ORIGIN x.\n$TTL 300\n@ SOA a. b. 1 1 1 1 1\n@ NS a.\n' >"$T/x.zone"
	printf '%s\n' '. 3600000 NS a.root-servers.net.' '. 3600000 NS b.root-servers.net.' \
		"a.root-servers.net. 3600000 A $ROOT_A" "b.root-servers.net. 3600000 A $ROOT_B" >"$T/hints"
	"$RESPONDER" --zone "x.=$T/x.zone" --listen "$ROOT_A:intercept" \
		--listen "$ROOT_B:intercept" --pidfile "$T/pid"
}
teardown_file() {
	# Stop the responder started above, by its PID.
	if [ -s "${T:-/nonexistent}/pid" ]; then kill "$(cat "$T/pid")" || true; fi
}
setup() { lab_skip_if_unavailable; DD=${DNSDOCTOR:-build/dnsdoctor}; }

@test "intercepted: check names NETWORK_DNS_INTERCEPTED, exit 2, and blames nothing else" {
	run --separate-stderr "$DD" check example.com --root-hints "$T/hints" --timeout 0.5 --json
	[ "$status" -eq 2 ]
	jq -e '[.findings[].code] == ["NETWORK_DNS_INTERCEPTED"]' <<<"$output"
	jq -e '.findings[0].evidence.root_answers | length == 2 and all(.rcode == "NXDOMAIN")' <<<"$output"
	jq -e '.summary | test("Something on this network answers DNS")' <<<"$output"
}

@test "intercepted: trace says the same" {
	run --separate-stderr "$DD" trace example.com --root-hints "$T/hints" --timeout 0.5 --json
	[ "$status" -eq 2 ]
	jq -e '[.findings[].code] == ["NETWORK_DNS_INTERCEPTED"]' <<<"$output"
}
