#!/usr/bin/env bats
# Commands that replay saved evidence (--replay): nothing is sent, and the
# engine's clock is the recording's, so even waiting takes no real time.

load helpers

setup() {
	LAB_HINTS=$BATS_TEST_TMPDIR/lab.hints
	printf '%s\n' '. 3600000 NS a.root-servers.net.' '. 3600000 NS b.root-servers.net.' \
		'a.root-servers.net. 3600000 A 127.53.0.1' \
		'b.root-servers.net. 3600000 A 127.53.0.2' >"$LAB_HINTS"
	EV=$BATS_TEST_DIRNAME/../fixtures/evidence/healthy.json
}

@test "wait --replay: the value never comes; gives up after its --timeout of the recording's clock, exit 2" {
	# ddr's own 20 s limit only guards against a hang; the wait sleeps on
	# the replay engine's clock, which moves without waiting.
	ddr wait healthy.com NS --expect foo --replay "$EV" --root-hints "$LAB_HINTS" --timeout 1
	echo "# exit $status; stderr: $stderr"
	[ "$status" -eq 2 ]
	[[ $stderr == *"wait: timed out after 1 s"* ]]
	[[ $output == *RECORD_MISSING_ON_AUTH* ]]
}

@test "wait --replay --json: the timeout report is JSON with the findings" {
	ddr wait healthy.com NS --expect foo --replay "$EV" --root-hints "$LAB_HINTS" --timeout 1 --json
	[ "$status" -eq 2 ]
	jq -e '.findings | map(.code) | index("RECORD_MISSING_ON_AUTH")' <<<"$output"
}

@test "output that cannot be written is exit 3 with one line, not a silent success" {
	[ -w /dev/full ] || skip "no /dev/full"
	local a
	for a in "analyze $EV" "analyze $EV --json" "explain --list" "explain LAME_DELEGATION"; do
		# shellcheck disable=SC2086 # a is a word list
		run --separate-stderr bash -c '"$0" "$@" >/dev/full' "$DNSDOCTOR" $a
		echo "# dnsdoctor $a >/dev/full: exit $status, stderr: $stderr"
		[ "$status" -eq 3 ]
		[ "$(wc -l <<<"$stderr")" -eq 1 ]
		[[ $stderr == "dnsdoctor: cannot write"* ]]
	done
}
