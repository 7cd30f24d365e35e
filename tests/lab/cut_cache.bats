#!/usr/bin/env bats
# The zone-cut cache that diagnoses on one engine share (fleet, exporter,
# logs --run-checks): the second diagnosis starts at the TLD's servers, asks
# fewer questions, finds what a lone one finds, and its saved evidence
# gives the same findings under analyze and --replay with no flags.
# bench/inprocess (from the build folder of DNSDOCTOR) runs the diagnoses,
# without the lab's resolvers: a validating resolver's second answer is its
# cache's (another Extended DNS Error text), whatever dnsdoctor does.
# Run as: DNSDOCTOR=/abs/path/build/dnsdoctor lab/netns bats tests/lab

load lab_helper
bats_require_minimum_version 1.5.0

setup_file() { lab_start; }
setup() {
	lab_skip_if_unavailable
	DD=${DNSDOCTOR:-build/dnsdoctor}
	INPROCESS=$(dirname "$DD")/bench/inprocess
	[ -x "$INPROCESS" ] || skip "no $INPROCESS"
}
teardown_file() { lab_stop; }

# bare ARGS...: dnsdoctor without the lab's root hints, anchor or resolvers.
bare() {
	run --separate-stderr env -u DNSDOCTOR_ROOT_HINTS -u DNSDOCTOR_TRUST_ANCHOR \
		-u DNSDOCTOR_RESOLVERS "$DD" "$@"
	echo "# exit $status; stderr: $stderr"
}

# root_walks FILE: how many walk questions FILE asked of the root.
root_walks() { jq '[.exchanges[] | select(.role == "walk" and .zone == ".")] | length' "$1"; }

@test "cut cache: the second check on one engine starts at the TLD and finds the same" {
	local run=$BATS_TEST_TMPDIR/run
	INPROCESS_SAVE=$run run env -u DNSDOCTOR_RESOLVERS "$INPROCESS" dnssec-expired.org 3
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"findings differ from the first run's: 0"* ]]
	jq -e 'has("cached_cuts") | not' "$run-1.json"
	jq -e '.cached_cuts | any(startswith("org. "))' "$run-2.json"
	[ "$(root_walks "$run-1.json")" -gt 0 ]
	[ "$(root_walks "$run-2.json")" -eq 0 ]
	[ "$(jq '.exchanges | length' "$run-2.json")" -lt "$(jq '.exchanges | length' "$run-1.json")" ]
	# The chain of trust is still checked from the root's keys.
	jq -e '[.exchanges[] | select(.role == "dnssec" and .qname == "." and .qtype == 48)] | length > 0' "$run-2.json"

	run env -u DNSDOCTOR_RESOLVERS "$DD" check dnssec-expired.org --json
	[ "$status" -eq 2 ]
	live=$(jq -c '[.findings[].code]' <<<"$output")
	[[ $live == *RRSIG_EXPIRED* && $live != *NETWORK_DNS_INTERCEPTED* ]]
	bare analyze "$run-2.json" --json
	[ "$status" -eq 2 ]
	[ "$(jq -c '[.findings[].code]' <<<"$output")" = "$live" ]
	local re=$BATS_TEST_TMPDIR/re.json
	bare check dnssec-expired.org --replay "$run-2.json" --save-evidence "$re" --json
	[ "$status" -eq 2 ]
	[ "$(jq -c '.cached_cuts' "$re")" = "$(jq -c '.cached_cuts' "$run-2.json")" ]
	[ "$(root_walks "$re")" -eq 0 ]
	bare analyze "$re" --json
	[ "$(jq -c '[.findings[].code]' <<<"$output")" = "$live" ]
}

@test "cut cache: a name the TLD does not delegate is walked again from the root" {
	local run=$BATS_TEST_TMPDIR/nx
	INPROCESS_SAVE=$run run env -u DNSDOCTOR_RESOLVERS "$INPROCESS" not-registered-here.com 2
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"findings differ from the first run's: 0"* ]]
	jq -e '.cached_cuts | any(startswith("com. "))' "$run-2.json"
	[ "$(root_walks "$run-2.json")" -gt 0 ]
	bare analyze "$run-2.json" --json
	[ "$(jq -c '[.findings[].code]' <<<"$output")" = '["DOMAIN_NOT_DELEGATED"]' ]
}

@test "cut cache: trace is always walked from the root" {
	run "$DD" trace healthy.com --save-evidence "$BATS_TEST_TMPDIR/t.json" --json
	[ "$status" -eq 0 ]
	jq -e 'has("cached_cuts") | not' "$BATS_TEST_TMPDIR/t.json"
	[ "$(root_walks "$BATS_TEST_TMPDIR/t.json")" -gt 0 ]
}
