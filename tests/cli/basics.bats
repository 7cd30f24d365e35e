#!/usr/bin/env bats
# --version, --help and explain: exit 0, output on stdout only.

load helpers

@test "--version prints the version" {
	ddr --version
	[ "$status" -eq 0 ]
	# from a checkout, git describe's name of the commit beside it
	[[ ${lines[0]} =~ ^dnsdoctor\ [0-9]+\.[0-9]+\.[0-9]+([-.][^ ]*)?(\ \(git\ [0-9a-f]+(-dirty)?\))?$ ]]
	[ -z "$stderr" ]
}

@test "--help prints usage naming the commands" {
	ddr --help
	[ "$status" -eq 0 ]
	[[ $output == *check* && $output == *trace* ]]
	[[ $output == *analyze* && $output == *explain* ]]
	[ -z "$stderr" ]
}

@test "explain LAME_DELEGATION prints its document" {
	ddr explain LAME_DELEGATION
	[ "$status" -eq 0 ]
	[[ $output == *LAME_DELEGATION* ]]
	[[ $output == *"How to fix it"* ]]
	[ -z "$stderr" ]
}

@test "explain is case-insensitive" {
	ddr explain lame_delegation
	[ "$status" -eq 0 ]
	[[ $output == *LAME_DELEGATION* ]]
	[[ $output == *"How to fix it"* ]]
}

@test "explain --list: every code of docs/findings, once, with its severity and title" {
	ddr explain --list
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	local n
	n=$(find "$BATS_TEST_DIRNAME"/../../docs/findings -name '[A-Z0-9_]*.md' ! -name README.md | wc -l)
	[ "${#lines[@]}" -eq "$n" ]
	[ "$(awk '{ print $1 }' <<<"$output" | sort -u | wc -l)" -eq "$n" ]
	[[ $output == *"LAME_DELEGATION                error    a delegated server does not answer authoritatively"* ]]
	awk '$2 != "error" && $2 != "warning" && $2 != "info" { exit 1 }' <<<"$output"
}

@test "explain knows every code documented in docs/findings" {
	local doc code n=0
	for doc in "$BATS_TEST_DIRNAME"/../../docs/findings/*.md; do
		code=$(basename "$doc" .md)
		[ "$code" != README ] || continue # the folder's index
		ddr explain "$code"
		[ "$status" -eq 0 ]
		[[ $output == *"$code"* ]]
		n=$((n + 1))
	done
	[ "$n" -ge 14 ]
}
