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

@test "--save-evidence to a path that cannot be written fails at once, before any query" {
	# A root that never answers: had it asked, the error would be about
	# the root; it never asks.
	printf '. 3600000 NS a.root.test.\na.root.test. 3600000 A 127.53.254.254\n' >"$BATS_TEST_TMPDIR/dead.hints"
	ddr check example.com --root-hints "$BATS_TEST_TMPDIR/dead.hints" --timeout 5 \
		--save-evidence /nonexistent/dir/ev.json
	[ "$status" -eq 3 ]
	[ "$stderr" = "dnsdoctor: cannot write evidence to /nonexistent/dir/ev.json: No such file or directory" ]
	[ -z "$output" ]
	# and a file is not left behind when the diagnosis could not be made
	ddr check example.com --root-hints "$BATS_TEST_TMPDIR/dead.hints" --timeout 0.2 \
		--save-evidence "$BATS_TEST_TMPDIR/none.json"
	[ "$status" -eq 3 ]
	[ ! -e "$BATS_TEST_TMPDIR/none.json" ]
}

@test "'-' is standard output for --save-evidence and standard input for analyze and --expect-ns @-" {
	run bash -c '"$1" check healthy.com --replay "$2" --root-hints "$3" --save-evidence - |
		"$1" analyze - --json' _ "$DNSDOCTOR" "$EV" "$LAB_HINTS"
	[ "$status" -eq 0 ]
	jq -e '.command == "analyze" and .domain == "healthy.com." and .exit == 0' <<<"$output"
	run bash -c '"$1" check healthy.com --replay "$2" --root-hints "$3" --save-evidence -' _ \
		"$DNSDOCTOR" "$EV" "$LAB_HINTS"
	jq -e '.dnsdoctor_evidence and (.exchanges | length > 10)' <<<"$output"
	run bash -c 'echo ns9.example.net | "$1" check healthy.com --replay "$2" --root-hints "$3" --expect-ns @- --json' _ \
		"$DNSDOCTOR" "$EV" "$LAB_HINTS"
	jq -e '.findings | map(.code) | index("EXPECTED_NS_MISMATCH")' <<<"$output"
}

@test "wait off a terminal: every 15 s of its clock, one line naming who still lacks the value" {
	ddr wait healthy.com NS --expect foo --replay "$EV" --root-hints "$LAB_HINTS" --timeout 40 --server-timeout 0.5
	[ "$status" -eq 2 ]
	[ "$(grep -c '^dnsdoctor: wait: after' <<<"$stderr")" -eq 2 ]
	# NS of a zone is its delegation: the 2 servers of com. (issue 15).
	grep -q '^dnsdoctor: wait: after 15 s, 0 of 2 addresses serve the value; waiting for a.gtld-servers.net. (127.53.1.1): a.healthy.alpha-dns.net. | b.healthy' <<<"$stderr"
	grep -q '^dnsdoctor: wait: after 30 s' <<<"$stderr"
	[[ $stderr == *"wait: timed out after 40 s"* ]]
}
