#!/usr/bin/env bats
# fleet without a network: what it refuses in one line, and the rows of
# lines that are not domains (those never cause a query). The lab tests
# (tests/lab/fleet.bats) check real domains.

load helpers

# stderr without the sanitizers' own notes (an ASan build warns once that
# fibers switch stacks).
own_stderr() {
	grep -v '^==[0-9]*==' <<<"$stderr" || true
}

@test "fleet: a run it cannot start is one line and exit 3" {
	bad_input fleet
	bad_input fleet a b
	bad_input fleet /nonexistent/list --json
	bad_input fleet - --shard 3/3 </dev/null
	bad_input fleet - --shard auto </dev/null
	bad_input fleet - --resume "$BATS_TEST_TMPDIR/out" </dev/null
	bad_input fleet - --save-evidence "$BATS_TEST_TMPDIR/ev" </dev/null
	bad_input fleet - --concurrency 0 </dev/null
}

@test "fleet: lines that are not domains each get a row, none is skipped" {
	printf 'bad..name --acme  # why\n# comment\n-x\n\nfoo --json\nfoo --no-such-option\nfoo --timeout nope\n' >"$BATS_TEST_TMPDIR/in"
	ddr fleet "$BATS_TEST_TMPDIR/in" --json
	[ "$status" -eq 3 ]
	[ "$(jq -s length <<<"$output")" -eq 5 ]
	jq -se '[.[].line] | sort == [1, 3, 5, 6, 7]' <<<"$output"
	jq -se 'all(.exit == 3 and has("input") and (.error | length > 0) and (has("domain") | not))' <<<"$output"
	jq -se 'map(select(.line == 5))[0].error | test("whole run")' <<<"$output"
	# The row holds the line as written, its options too, not its comment.
	jq -se 'map(select(.line == 1))[0].input == "bad..name --acme"' <<<"$output"
	jq -se 'map(select(.line == 3))[0].error | test("must start with a domain")' <<<"$output"
	jq -se 'map(select(.line == 7))[0].error == "'"'"'--timeout'"'"' is an option of the whole run, not of one line"' <<<"$output"
	[[ "$(own_stderr)" == "fleet: 5 lines, 0 domains"* ]]
}

@test "fleet --resume: complete rows are kept, a cut-off one is redone" {
	local out=$BATS_TEST_TMPDIR/rows
	printf 'bad..one\nbad..two\nbad..three\n' >"$BATS_TEST_TMPDIR/in"
	printf '{"line":1,"input":"bad..one","error":"e","exit":3}\n{"line":3,"inp' >"$out"
	ddr fleet "$BATS_TEST_TMPDIR/in" --json --resume "$out"
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[ "$(jq -sc '[.[].line] | sort' "$out")" = "[1,2,3]" ]
	[[ "$(own_stderr)" == "fleet: 2 lines"* ]]
	# Done: nothing more to do.
	ddr fleet "$BATS_TEST_TMPDIR/in" --json --resume "$out"
	[[ "$(own_stderr)" == "fleet: 0 lines"* ]]
	[ "$(wc -l <"$out")" -eq 3 ]
}

@test "fleet: --shard K/N splits the lines, every one in exactly one share" {
	seq -f 'bad..%g' 1 40 >"$BATS_TEST_TMPDIR/in"
	: >"$BATS_TEST_TMPDIR/all"
	for k in 0 1 2; do
		ddr fleet "$BATS_TEST_TMPDIR/in" --json --shard "$k/3"
		[ "$(jq -s length <<<"$output")" -gt 0 ]
		printf '%s\n' "$output" >>"$BATS_TEST_TMPDIR/all"
	done
	[ "$(jq -sc '[.[].line] | sort' "$BATS_TEST_TMPDIR/all")" = "$(seq 1 40 | jq -sc .)" ]
}
