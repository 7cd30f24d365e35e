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
