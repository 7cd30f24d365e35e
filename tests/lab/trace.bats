#!/usr/bin/env bats
# trace's exit status follows the convention of the other commands: 0 when
# the walk reached the zone, 2 (DOMAIN_NOT_DELEGATED) when the parent says
# the name does not exist, 3 when no server on the way answered.
# Run as: DNSDOCTOR=/abs/path/build/dnsdoctor lab/netns bats tests/lab

load lab_helper
bats_require_minimum_version 1.5.0

setup_file() { lab_start; }
setup() { lab_skip_if_unavailable; DD=${DNSDOCTOR:-build/dnsdoctor}; }
teardown_file() { lab_stop; }

@test "trace: a delegated zone is exit 0, even when its servers are lame" {
	run "$DD" trace healthy.com
	[ "$status" -eq 0 ]
	run "$DD" trace seed-refused.com --json
	[ "$status" -eq 0 ]
	jq -e '.exit == 0 and .findings == []' <<<"$output"
}

@test "trace: a name the parent does not delegate is exit 2, DOMAIN_NOT_DELEGATED" {
	run "$DD" trace not-delegated.org --json
	[ "$status" -eq 2 ]
	jq -e '[.findings[].code] == ["DOMAIN_NOT_DELEGATED"] and .exit == 2' <<<"$output"
	run "$DD" trace not-delegated.org
	[ "$status" -eq 2 ]
}

@test "trace: no root server answers: exit 3, one line" {
	printf '. 3600000 NS a.root.test.\na.root.test. 3600000 A 127.53.254.254\n' >"$BATS_TEST_TMPDIR/dead.hints"
	run --separate-stderr "$DD" trace example.com --root-hints "$BATS_TEST_TMPDIR/dead.hints" --timeout 0.3
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[ "$stderr" = "dnsdoctor: no root server answered: this machine has no DNS path to the Internet (or --root-hints names servers that are not there)" ]
}
