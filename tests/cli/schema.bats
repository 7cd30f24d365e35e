#!/usr/bin/env bats
# Every command's --json validates against docs/result.schema.json (the
# envelope and the command's section): analyze of every saved fixture,
# logs of every corpus file, wait and trace replayed, and the exit-3 form.
# The live commands are validated in tests/lab/json_schema.bats.

load helpers

setup() {
	[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import jsonschema' 2>/dev/null ||
		skip "python3-jsonschema is not installed (scripts/install-deps)"
	VALIDATE=$BATS_TEST_DIRNAME/../schema/validate
	FIX=$BATS_TEST_DIRNAME/../fixtures/evidence
	LAB_HINTS=$BATS_TEST_TMPDIR/lab.hints
	printf '%s\n' '. 3600000 NS a.root-servers.net.' 'a.root-servers.net. 3600000 A 127.53.0.1' >"$LAB_HINTS"
}

# valid ARGS...: runs dnsdoctor ARGS --json and validates what it printed
# (kept in $json, its exit status in $code).
valid() {
	ddr "$@" --json
	json=$output code=$status
	echo "# dnsdoctor $* --json: exit $status"
	run "$VALIDATE" - <<<"$json"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "schema: the schema itself is valid JSON Schema (2020-12)" {
	run "$VALIDATE" /dev/null
	# /dev/null is not JSON: one complaint, and no schema error (exit 2)
	[ "$status" -eq 1 ]
	[[ $output == *"not JSON"* ]]
}

@test "schema: analyze of every saved evidence fixture" {
	local f n=0
	for f in "$FIX"/*.json; do
		valid analyze "$f"
		n=$((n + 1))
	done
	[ "$n" -ge 40 ]
}

@test "schema: logs of every corpus file" {
	local f n=0
	for f in "$BATS_TEST_DIRNAME"/../logs/corpus/*; do
		case $f in *.expect) continue ;; esac
		valid logs "$f"
		n=$((n + 1))
	done
	[ "$n" -ge 10 ]
}

@test "schema: wait and trace replayed, check replayed" {
	valid wait healthy.com NS --expect foo --replay "$FIX/healthy.json" --root-hints "$LAB_HINTS" --timeout 1
	[ "$code" -eq 2 ]
	jq -e '.command == "wait" and .exit == 2 and .ok == false' <<<"$json"
	valid trace healthy.com --replay "$FIX/healthy.json" --root-hints "$LAB_HINTS"
	valid check healthy.com --replay "$FIX/healthy.json" --root-hints "$LAB_HINTS"
}

@test "schema: a command that cannot be carried out prints the envelope with exit 3 and the error" {
	valid check 'a..b'
	[ "$code" -eq 3 ]
	jq -e '.exit == 3 and .verdict == "unknown" and (.error | test("invalid domain")) and .findings == []' <<<"$json"
	local a
	for a in "analyze /nonexistent" "cert example.com:99999" "logs /nonexistent" \
		"check healthy.com --replay /nonexistent"; do
		# shellcheck disable=SC2086 # a is a word list
		valid $a
		[ "$code" -eq 3 ]
		jq -e '.exit == 3 and (.error | length > 0)' <<<"$json"
	done
}
