#!/usr/bin/env bats
# fleet: every lab scenario in one run, each row with the codes `check`
# prints for the domain alone; one row per line, bad lines included; shards
# that add up to the whole; --resume after a signal; output that cannot be
# written is exit 3. The lab's servers are ours: no pacing (--rate 0
# --per-server-rate 0), as the bench runs; fleet_pace.bats tests pacing.
# Run as: DNSDOCTOR=/abs/path/build/dnsdoctor lab/netns bats tests/lab

load lab_helper
bats_require_minimum_version 1.5.0

setup_file() {
	lab_start
	[ -n "$LAB_SKIP" ] && return 0
	# One line per scenario: its domain and the options its manifest gives.
	local m domain args
	LIST=$LAB_TMP/fleet-scenarios.txt
	export LIST
	: >"$LIST"
	for m in "$LAB_SRC"/scenarios/*/manifest; do
		domain=$(manifest_get "$m" domain)
		args=$(expand_env "$(manifest_get "$m" args)")
		printf '%s %s\n' "$domain" "$args" >>"$LIST"
	done
}
setup() { lab_skip_if_unavailable; DD=${DNSDOCTOR:-build/dnsdoctor}; }
teardown_file() { lab_stop; }

# The warning and error codes of a row or a check report, sorted, one line.
codes() {
	jq -r '[.findings[] | select(.severity != "info") | .code] | unique | join(" ")'
}
# What check finds that fleet does not ask for: the name-server behaviour
# questions (EDNS version, option and flag, 0x20, AXFR, the apex AAAA;
# docs/fleet.md), left out of fleet for its speed. Prints check's findings
# without them, and the exit status they leave (STATUS when none is left
# out).
without_behaviour() { # status
	jq -c --argjson st "$1" '
		def beh: (.code | IN("NS_EDNS_VERSION_IGNORED", "NS_EDNS_UNKNOWN_OPTION", "NS_EDNS_UNKNOWN_FLAG", "NS_QNAME_CASE", "NS_AXFR_OPEN"))
			or (.code == "NS_QUERY_TYPE_FAILS" and .evidence.qtype == "AAAA");
		([.findings[] | select(beh)] | length) as $out
		| .findings |= map(select(beh | not))
		| .exit = (if $out == 0 then $st
			   elif any(.findings[]; .severity == "error") then 2
			   elif any(.findings[]; .severity == "warning") then 1
			   else 0 end)'
}

# schema_ok ROWS: every row valid against docs/result.schema.json's
# fleet_row.
schema_ok() {
	run /usr/bin/python3 "$BATS_TEST_DIRNAME/../schema/validate" --fleet - <<<"$1"
	echo "$output"
	[ "$status" -eq 0 ]
}

# Lines of stderr that are not the sanitizers' own notes.
own_stderr() {
	grep -v '^==[0-9]*==' <<<"$1" || true
}

@test "fleet: every scenario's row holds the codes check prints for it alone" {
	# Under valgrind (DNSDOCTOR_REAL set) the client runs some fifty times
	# slower: with 64 domains at once a reply can wait in the socket past
	# a server's timeout, and a healthy server looks stalled. Fewer at once
	# keeps the client as prompt as check is; the codes must not change.
	local slow=()
	[ -n "${DNSDOCTOR_REAL:-}" ] && slow=(--concurrency 8)
	run --separate-stderr "$DD" fleet --allow-private --rate 0 --per-server-rate 0 "${slow[@]}" "$LIST" --json
	echo "# exit $status; stderr: $stderr"
	local rows=$output summary=$stderr n want got line domain args
	n=$(grep -c . "$LIST")
	[ "$(jq -s length <<<"$rows")" -eq "$n" ]
	[ "$(jq -s '[.[].line] | unique | length' <<<"$rows")" -eq "$n" ]
	schema_ok "$rows"
	line=0
	# The reference: check itself (the plain binary when this file runs
	# under valgrind, which is there to watch fleet).
	local ref=${DNSDOCTOR_REAL:-$DD}
	while read -r domain args; do
		line=$((line + 1))
		# shellcheck disable=SC2086 # args is a word list by design
		run --separate-stderr "$ref" check "$domain" $args --json
		local ref_row
		ref_row=$(without_behaviour "$status" <<<"$output")
		want="$(codes <<<"$ref_row") exit $(jq .exit <<<"$ref_row")"
		got="$(jq -c --argjson l "$line" 'select(.line == $l)' <<<"$rows" | codes) exit $(jq --argjson l "$line" 'select(.line == $l) | .exit' <<<"$rows")"
		echo "# line $line $domain: check [$want] fleet [$got]"
		[ "$got" = "$want" ]
	done <"$LIST"
	# The summary counts what the rows say.
	[[ "$(own_stderr "$summary")" == "fleet: $n lines, $n domains"* ]]
}

@test "fleet: one row per line, bad lines too, whatever bytes they hold" {
	printf '# comment\n\nhealthy.com\nseed-refused.com --expect-ns ns1.example,ns2.example\n\nnot/a domain\n-x\nhealthy.com --json\nbad\001\033[31mname\nhealthy.com --no-such-option\n' >"$BATS_TEST_TMPDIR/in"
	run --separate-stderr "$DD" fleet --allow-private --rate 0 --per-server-rate 0 "$BATS_TEST_TMPDIR/in" --json
	echo "# exit $status; stderr: $stderr"
	echo "$output"
	[ "$status" -eq 3 ]
	[ "$(jq -s length <<<"$output")" -eq 7 ]
	jq -se '[.[].line] | sort == [3, 4, 6, 7, 8, 9, 10]' <<<"$output"
	jq -se 'map(select(.line == 3))[0] | .domain == "healthy.com" and .exit == 0 and .verdict == "ok" and .queries > 0' <<<"$output"
	jq -se 'map(select(.line == 4))[0] | .exit == 2 and ([.findings[].code] | index("EXPECTED_NS_MISMATCH"))' <<<"$output"
	jq -se 'map(select(.line >= 6)) | all(.exit == 3 and (.error | length > 0) and (.input | type == "string") and (.domain == null))' <<<"$output"
	jq -se 'map(select(.line == 8))[0].error | test("whole run")' <<<"$output"
	# Control bytes come out escaped, never raw.
	jq -se 'map(select(.line == 9))[0].input == "bad\\x01\\x1b[31mname"' <<<"$output"
	! grep -q $'\033' <<<"$output$stderr" || false
	[[ "$(own_stderr "$stderr")" == *"not a domain 5"* ]]
	schema_ok "$output"
}

@test "fleet: without --json, the broken domains grouped by root cause" {
	printf 'healthy.com\nseed-refused.com\ndead-server.net\nlame-refused.org\n' >"$BATS_TEST_TMPDIR/in"
	run --separate-stderr "$DD" fleet --allow-private --rate 0 --per-server-rate 0 "$BATS_TEST_TMPDIR/in"
	echo "# exit $status"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == "3 of 4 domains have a problem, by root cause:"* ]]
	[[ "$output" == *"LAME_DELEGATION (2 domains, error)"*"NS_UNREACHABLE (1 domain, error)"* ]]
	grep -qx '  dead-server.net' <<<"$output"
	! grep -q healthy.com <<<"$output" || false
}

@test "fleet: four shards together are the single run, each line once" {
	run --separate-stderr "$DD" fleet --allow-private --rate 0 --per-server-rate 0 "$LIST" --json
	local whole
	whole=$(jq -sc 'map({line, exit}) | sort_by(.line)' <<<"$output")
	: >"$BATS_TEST_TMPDIR/all"
	for k in 0 1 2 3; do
		run --separate-stderr "$DD" fleet --allow-private --rate 0 --per-server-rate 0 "$LIST" --json --shard "$k/4"
		echo "# shard $k: $(jq -s length <<<"$output") rows"
		printf '%s\n' "$output" >>"$BATS_TEST_TMPDIR/all"
	done
	[ "$(jq -sc 'map({line, exit}) | sort_by(.line)' "$BATS_TEST_TMPDIR/all")" = "$whole" ]
	# Slurm's job array names the share as well (task 5 of 4..7 is 1/4).
	run --separate-stderr "$DD" fleet --allow-private --rate 0 --per-server-rate 0 "$LIST" --json --shard 1/4
	local one
	one=$(jq -sc 'map(.line) | sort' <<<"$output")
	run --separate-stderr env SLURM_ARRAY_TASK_ID=5 SLURM_ARRAY_TASK_MIN=4 \
		SLURM_ARRAY_TASK_COUNT=4 "$DD" fleet --allow-private --rate 0 --per-server-rate 0 "$LIST" --json --shard auto
	[ "$(jq -sc 'map(.line) | sort' <<<"$output")" = "$one" ]
	run --separate-stderr "$DD" fleet --allow-private --rate 0 --per-server-rate 0 "$LIST" --json --shard 4/4
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"--shard wants K/N"* ]]
}

@test "fleet --resume: a run stopped by SIGINT, resumed, has every row once" {
	local out=$BATS_TEST_TMPDIR/rows.ndjson i n
	# Slow lines (a silent server waits out its timeout) keep it in flight.
	for i in $(seq 1 12); do
		echo "silent-server.org"
		echo "healthy.com"
	done >"$BATS_TEST_TMPDIR/in"
	n=24
	"$DD" fleet --allow-private --rate 0 --per-server-rate 0 "$BATS_TEST_TMPDIR/in" --json --concurrency 2 --resume "$out" 2>"$BATS_TEST_TMPDIR/err1" &
	local pid=$!
	for i in $(seq 1 300); do
		[ -s "$out" ] && break
		sleep 0.05
	done
	kill -INT "$pid"
	local rc=0
	wait "$pid" || rc=$?
	echo "# first run: exit $rc, $(wc -l <"$out") rows; $(cat "$BATS_TEST_TMPDIR/err1")"
	[ "$rc" -eq 3 ]
	grep -q "stopped by a signal" "$BATS_TEST_TMPDIR/err1"
	[ "$(wc -l <"$out")" -lt "$n" ]
	run --separate-stderr "$DD" fleet --allow-private --rate 0 --per-server-rate 0 "$BATS_TEST_TMPDIR/in" --json --resume "$out"
	echo "# second run: exit $status; $stderr"
	[ "$status" -eq 2 ]
	[ "$(jq -s length "$out")" -eq "$n" ]
	[ "$(jq -s '[.[].line] | unique | length' "$out")" -eq "$n" ]
	jq -se 'all(has("interrupted") | not)' "$out"
}

@test "fleet: output that cannot be written stops the run with exit 3" {
	run --separate-stderr bash -c '"$0" fleet --allow-private --rate 0 --per-server-rate 0 "$1" --json >/dev/full' "$DD" "$LIST"
	echo "# exit $status; stderr: $stderr"
	[ "$status" -eq 3 ]
	[[ "$(own_stderr "$stderr")" == *"cannot write the output: No space left on device"* ]]
	# A reader that goes away: the same, not a silent end.
	run --separate-stderr bash -c '"$0" fleet --allow-private --rate 0 --per-server-rate 0 "$1" --json --concurrency 1 | head -c 1 >/dev/null; exit "${PIPESTATUS[0]}"' "$DD" "$LIST"
	echo "# exit $status; stderr: $stderr"
	[ "$status" -eq 3 ]
	[[ "$(own_stderr "$stderr")" == *"cannot write the output: Broken pipe"* ]]
}

@test "--checks: only the areas named are asked about and judged, in check and fleet alike" {
	run --separate-stderr "$DD" check dnssec-expired.org --json --resolvers "$LAB_VALIDATING_RESOLVER"
	[ "$status" -eq 2 ]
	local all_q
	all_q=$(jq .stats.queries <<<"$output")
	[[ "$(codes <<<"$output")" == *RRSIG_EXPIRED* ]]
	run --separate-stderr "$DD" check dnssec-expired.org --json --checks delegation --resolvers "$LAB_VALIDATING_RESOLVER" --save-evidence "$BATS_TEST_TMPDIR/ev.json"
	echo "# exit $status; $(jq -c '{checks, q: .stats.queries, f: [.findings[].code]}' <<<"$output")"
	[ "$status" -eq 0 ]
	[ "$(codes <<<"$output")" = "" ]
	jq -e '.checks == ["delegation"]' <<<"$output"
	# No DNSKEY or DS was asked.
	jq -e '[.exchanges[] | select(.qtype == 48 or .qtype == 43)] | length == 0' "$BATS_TEST_TMPDIR/ev.json"
	[ "$(jq .stats.queries <<<"$output")" -lt "$all_q" ]
	run --separate-stderr "$DD" analyze "$BATS_TEST_TMPDIR/ev.json" --json
	[ "$status" -eq 0 ]
	jq -e '.checks == ["delegation"]' <<<"$output"
	printf 'dnssec-expired.org\ndnssec-expired.org --checks dnssec\n' >"$BATS_TEST_TMPDIR/in"
	run --separate-stderr "$DD" fleet --allow-private --rate 0 --per-server-rate 0 "$BATS_TEST_TMPDIR/in" --json --checks delegation
	jq -se 'map(select(.line == 1))[0].findings == []' <<<"$output"
	jq -se 'map(select(.line == 2))[0] | [.findings[].code] | index("RRSIG_EXPIRED")' <<<"$output"
	run --separate-stderr "$DD" check dnssec-expired.org --checks dnssec,bogus
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"--checks wants areas among delegation, dnssec, acme, caa, not 'bogus'"* ]]
}
