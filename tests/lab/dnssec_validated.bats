#!/usr/bin/env bats
# DNSSEC_NOT_VALIDATED: a check says when the chain could not be
# validated (no anchor for the root in use, or a break above the zone), so
# that "ok" never means more than was checked.
# Run as: DNSDOCTOR=/abs/path/build/dnsdoctor lab/netns bats tests/lab

load lab_helper
bats_require_minimum_version 1.5.0

setup_file() { lab_start; }
setup() { lab_skip_if_unavailable; DD=${DNSDOCTOR:-build/dnsdoctor}; }
teardown_file() { lab_stop; }

codes() { jq -c '[.findings[] | .code + ":" + .severity]' <<<"$output"; }

@test "no trust anchor for the lab's root: DNSSEC_NOT_VALIDATED (info), and the zone's DS fault is not claimed checked" {
	run env -u DNSDOCTOR_TRUST_ANCHOR -u DNSDOCTOR_RESOLVERS "$DD" check dnssec-ds-unsigned.com --json
	echo "$(codes)"
	[ "$status" -eq 0 ]
	[ "$(codes)" = '["DNSSEC_NOT_VALIDATED:info"]' ]
	jq -e '.findings[0].evidence.reason == "no-trust-anchor"' <<<"$output"
	# with the anchor the fault is found
	run env -u DNSDOCTOR_RESOLVERS "$DD" check dnssec-ds-unsigned.com --json
	[ "$status" -eq 2 ]
	[ "$(codes)" = '["DS_WITHOUT_DNSKEY:error"]' ]
}

@test "an anchor that matches no root key: the break is an error, and nothing below it is claimed validated" {
	echo ". 86400 IN DS 12345 13 2 0000000000000000000000000000000000000000000000000000000000000000" >"$BATS_TEST_TMPDIR/bad.anchor"
	run env -u DNSDOCTOR_RESOLVERS "$DD" check dnssec-ds-unsigned.com --trust-anchor "$BATS_TEST_TMPDIR/bad.anchor" --json
	echo "$(codes)"
	[ "$status" -eq 2 ]
	[ "$(codes)" = '["DS_NO_MATCHING_DNSKEY:error","DNSSEC_NOT_VALIDATED:info"]' ]
	jq -e '.findings[1].evidence | .reason == "chain-broken" and .stopped_at == "."' <<<"$output"
}

@test "a validated zone says nothing of the kind" {
	run env -u DNSDOCTOR_RESOLVERS "$DD" check dnssec-healthy.com --json
	[ "$status" -eq 0 ]
	[ "$(codes)" = '[]' ]
}
