#!/usr/bin/env bats
# Every command's --json, live against the lab, validates against
# docs/result.schema.json (tests/schema/validate): the same envelope for
# all, then each command's own section.
# Run as: DNSDOCTOR=/abs/path/build/dnsdoctor lab/netns bats tests/lab

load lab_helper
bats_require_minimum_version 1.5.0

setup_file() {
	if [ -z "${DNSDOCTOR:-}" ] || [ ! -x "${DNSDOCTOR:-}" ]; then
		export LAB_SKIP="DNSDOCTOR is not set to an executable"
	elif ! /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
		export LAB_SKIP="python3-jsonschema is not installed (scripts/install-deps)"
	fi
	lab_start
}
setup() { lab_skip_if_unavailable; VALIDATE=$BATS_TEST_DIRNAME/../schema/validate; }
teardown_file() { lab_stop; }

# valid ARGS...: dnsdoctor ARGS --json, validated; the JSON in $json.
valid() {
	run --separate-stderr "$DNSDOCTOR" "$@" --json
	json=$output code=$status
	echo "# dnsdoctor $* --json: exit $status; stderr: $stderr"
	run /usr/bin/python3 "$VALIDATE" - <<<"$json"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(jq -r .exit <<<"$json")" -eq "$code" ]
}

@test "json schema: check, healthy and broken, with --acme and resolvers" {
	valid check healthy.com
	[ "$code" -eq 0 ]
	valid check seed-refused.com --expect-ns ns-1267.awsdns-30.org,ns-145.awsdns-18.com
	[ "$code" -eq 2 ]
	valid check acme-stale.org --acme --txt tok-current-order-0123456789abcdefghijklmnopq
	[ "$code" -eq 2 ]
	valid check dnssec-expired.org --resolvers "$LAB_VALIDATING_RESOLVER"
	[ "$code" -eq 2 ]
}

@test "json schema: trace, propagation, plan, wait" {
	valid trace healthy.com SOA
	valid propagation www.propagation-lag.net A --resolvers "$LAB_RESOLVER"
	valid plan www.propagation-lag.net A --resolvers "$LAB_RESOLVER"
	valid wait healthy.com NS --expect a.healthy.alpha-dns.net. --timeout 10
	[ "$code" -eq 0 ]
	# NS of a zone is its delegation: the 2 servers of com. (issue 15).
	jq -e '.ok == true and .servers == 2' <<<"$json"
}

@test "json schema: analyze of live evidence, and a check of a name nobody delegates" {
	run "$DNSDOCTOR" check glue-mismatch.com --save-evidence "$BATS_TEST_TMPDIR/ev.json"
	valid analyze "$BATS_TEST_TMPDIR/ev.json"
	jq -e '.command == "analyze" and (.findings | map(.code) | index("GLUE_MISMATCH"))' <<<"$json"
	valid check not-delegated.org
	[ "$code" -eq 2 ]
}
