#!/usr/bin/env bats
# --rate and --per-server-rate without a network: what they refuse, in one
# line, and that a fleet line cannot set them. The lab test
# (tests/lab/fleet_pace.bats) measures the pacing itself.

load helpers

@test "pace: a bad rate is one line and exit 3" {
	local v
	for v in fast -1 1e7 0.0001 '' 5qps nan inf; do
		bad_input check example.com --rate "$v"
		[[ "$stderr" == *"--rate wants queries per second"* ]]
		bad_input fleet - --per-server-rate "$v" </dev/null
		[[ "$stderr" == *"--per-server-rate wants queries per second"* ]]
	done
	bad_input check example.com --rate
}

@test "pace: good rates are taken, 0 among them" {
	local v
	for v in 0 0.001 0.5 20 1000000; do
		ddr fleet - --json --rate "$v" --per-server-rate "$v" </dev/null
		[ "$status" -eq 0 ]
		[ -z "$output" ]
	done
}

@test "pace: a fleet line cannot set the run's rates" {
	printf 'foo --rate 5\nbar --per-server-rate 0\n' >"$BATS_TEST_TMPDIR/in"
	ddr fleet "$BATS_TEST_TMPDIR/in" --json
	[ "$status" -eq 3 ]
	[ "$(jq -s length <<<"$output")" -eq 2 ]
	jq -se 'all(.exit == 3 and (.error | test("whole run")))' <<<"$output"
}
