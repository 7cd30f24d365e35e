#!/usr/bin/env bats
# Bad command-line input: one clear line on stderr, nothing on stdout,
# exit 3 — and never a query to anything.

load helpers

@test "unknown option" {
	bad_input check example.com --root-hints "$HINTS" --bogus
}

@test "unknown command" {
	bad_input frobnicate example.com
}

@test "check without a domain" {
	bad_input check
}

@test "trace without a domain" {
	bad_input trace
}

@test "label of 64 characters" {
	local label
	label=$(printf 'a%.0s' {1..64})
	bad_input check "$label.example.com" --root-hints "$HINTS" --timeout 1
}

@test "empty label" {
	bad_input check a..b --root-hints "$HINTS" --timeout 1
}

@test "name of 300 characters" {
	local label name=
	label=$(printf 'a%.0s' {1..49})
	for _ in 1 2 3 4 5 6; do name+="$label."; done
	[ "${#name}" -eq 300 ]
	bad_input check "$name" --root-hints "$HINTS" --timeout 1
}

@test "malformed name in trace" {
	bad_input trace a..b --root-hints "$HINTS" --timeout 1
}

@test "--timeout that is not a number" {
	bad_input check example.com --root-hints "$HINTS" --timeout soon
}

@test "--root-hints names a missing file" {
	bad_input check example.com --root-hints /nonexistent --timeout 1
}

@test "--root-hints file holds garbage" {
	printf 'this is not a root hints file\n%s\n\001\377{{{\n' \
		'. IN NS' >"$BATS_TEST_TMPDIR/garbage.hints"
	bad_input check example.com --root-hints "$BATS_TEST_TMPDIR/garbage.hints" \
		--timeout 1
}

@test "--expect-ns @FILE names a missing file" {
	bad_input check example.com --root-hints "$HINTS" --timeout 1 \
		--expect-ns @/nonexistent
}

@test "analyze a missing file" {
	bad_input analyze /nonexistent
}

@test "analyze without a file" {
	bad_input analyze
}

@test "analyze a file of invalid JSON" {
	printf '{"dnsdoctor_evidence":1,"domain":"example.com.",' \
		>"$BATS_TEST_TMPDIR/broken.json"
	bad_input analyze "$BATS_TEST_TMPDIR/broken.json"
}

@test "explain an unknown code" {
	bad_input explain NOT_A_CODE
}

@test "explain without a code" {
	bad_input explain
}

@test "explain --list with a code" {
	bad_input explain --list LAME_DELEGATION
}

@test "label of 64 characters in trace" {
	local label
	label=$(printf 'b%.0s' {1..64})
	bad_input trace "$label.example" TXT --root-hints "$HINTS" --timeout 1
}

@test "a name that is only dots, and a leading empty label" {
	bad_input check .. --root-hints "$HINTS" --timeout 1
	bad_input check .example.com --root-hints "$HINTS" --timeout 1
}

@test "a control character in the name is not echoed raw" {
	bad_input check $'ex\033[2Jample.com' --root-hints "$HINTS" --timeout 1
	[[ $stderr != *$'\033'* ]]
}

@test "Unicode that is not a valid internationalised name" {
	bad_input check $'\xff\xfe.example' --root-hints "$HINTS" --timeout 1
	[[ $stderr == *"internationalised"* ]]
	bad_input check 'a‮b.example' --root-hints "$HINTS" --timeout 1 # U+202E
}

@test "a Unicode name of 300 characters" {
	local name=
	for _ in $(seq 1 60); do name+="bü.x."; done
	[ "${#name}" -eq 300 ]
	bad_input check "$name" --root-hints "$HINTS" --timeout 1
}

@test "--root-hints names an unreadable file" {
	[ "$(id -u)" -ne 0 ] || skip "root reads every file"
	printf '. 1 NS a.\n' >"$BATS_TEST_TMPDIR/locked.hints"
	chmod 000 "$BATS_TEST_TMPDIR/locked.hints"
	bad_input check example.com --root-hints "$BATS_TEST_TMPDIR/locked.hints"
}

@test "--root-hints names a folder" {
	bad_input check example.com --root-hints "$BATS_TEST_TMPDIR" --timeout 1
}

@test "--expect-ns @FILE names a folder, and analyze a folder" {
	bad_input check example.com --root-hints "$HINTS" --timeout 1 \
		--expect-ns "@$BATS_TEST_TMPDIR"
	bad_input analyze "$BATS_TEST_TMPDIR"
}

@test "--replay names a missing file" {
	bad_input check example.com --root-hints "$HINTS" --replay /nonexistent
}

@test "unknown long option, short option, and option without its value" {
	bad_input trace example.com --colour
	bad_input check example.com -x
	bad_input check example.com --root-hints
}

@test "--expiry-warn-days out of range or not a number" {
	bad_input check example.com --root-hints "$HINTS" --expiry-warn-days -1
	bad_input check example.com --root-hints "$HINTS" --expiry-warn-days 4000
	bad_input check example.com --root-hints "$HINTS" --expiry-warn-days soon
}

@test "--rdap-bootstrap FILE that cannot be read" {
	bad_input check example.com --root-hints "$HINTS" --rdap-bootstrap /nonexistent/dns.json
}

@test "RDAP options are check's alone (fleet would flood registries)" {
	bad_input trace example.com --root-hints "$HINTS" --expiry-warn-days 3
	bad_input fleet - --rdap-bootstrap /dev/null
}
