#!/usr/bin/env bats
# Saved evidence carries what it was taken with (root hints, trust anchor,
# resolvers): --replay and analyze need no flags, and evidence of another
# domain is refused in one line.
# Run as: DNSDOCTOR=/abs/path/build/dnsdoctor lab/netns bats tests/lab

load lab_helper
bats_require_minimum_version 1.5.0

setup_file() { lab_start; }
setup() { lab_skip_if_unavailable; DD=${DNSDOCTOR:-build/dnsdoctor}; }
teardown_file() { lab_stop; }

# bare ARGS...: dnsdoctor without the lab's root hints, anchor or resolvers.
bare() {
	run --separate-stderr env -u DNSDOCTOR_ROOT_HINTS -u DNSDOCTOR_TRUST_ANCHOR \
		-u DNSDOCTOR_RESOLVERS "$DD" "$@"
	echo "# exit $status; stderr: $stderr"
}

@test "replay: the evidence names its root hints, trust anchor and resolvers" {
	local ev=$BATS_TEST_TMPDIR/ev.json
	run "$DD" check dnssec-expired.org --save-evidence "$ev" --json
	[ "$status" -eq 2 ]
	live=$(jq -c '[.findings[].code]' <<<"$output")
	jq -e '.root_hints == ["a.root-servers.net. 127.53.0.1", "b.root-servers.net. 127.53.0.2"]' "$ev"
	jq -e '.resolvers | length == 2' "$ev"
	jq -e '.trust_anchor | length == 1' "$ev"
	bare check dnssec-expired.org --replay "$ev" --json
	[ "$status" -eq 2 ]
	[ "$(jq -c '[.findings[].code]' <<<"$output")" = "$live" ]
	# DNSSEC_BOGUS_AT_RESOLVER needs the resolvers and the anchor
	[[ $live == *DNSSEC_BOGUS_AT_RESOLVER* && $live == *RRSIG_EXPIRED* ]]
	bare analyze "$ev" --json
	[ "$(jq -c '[.findings[].code]' <<<"$output")" = "$live" ]
}

@test "replay: propagation and trace evidence replay without flags too" {
	local ev=$BATS_TEST_TMPDIR/prop.json
	run "$DD" propagation healthy.com SOA --save-evidence "$ev" --json
	live=$(jq -c '[.views[] | .state]' <<<"$output")
	bare propagation healthy.com SOA --replay "$ev" --json
	[ "$(jq -c '[.views[] | .state]' <<<"$output")" = "$live" ]
	run "$DD" trace healthy.com --save-evidence "$ev" --json
	[ "$status" -eq 0 ]
	bare trace healthy.com --replay "$ev" --json
	[ "$status" -eq 0 ]
	jq -e '.levels | length == 3' <<<"$output"
}

@test "replay: evidence of another domain is one line, exit 3" {
	local ev=$BATS_TEST_TMPDIR/other.json
	run "$DD" check healthy.com --save-evidence "$ev"
	bare check seed-refused.com --replay "$ev"
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[ "$stderr" = "dnsdoctor: $ev holds the evidence of healthy.com., not of seed-refused.com." ]
}
