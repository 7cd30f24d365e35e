#!/usr/bin/env bats
# The man pages gendoc wrote beside the binary under test (BUILD/data):
# one a command, each listing the very options its --help lists, and
# dnsdoctor-findings(7) every code explain knows.

load helpers

setup() {
	isolate_config
	MAN=$(dirname "$DNSDOCTOR")/data
	[ -f "$MAN/dnsdoctor.1" ] || skip "no man pages in $MAN (built by ninja)"
	export NO_COLOR=1
}

# The commands dnsdoctor --help lists.
commands() {
	"$DNSDOCTOR" --help | sed -n '/^commands:/,/^$/p' | grep -oE '^  [a-z]+' | sed 's/^  //'
}

# PAGE's options as --help writes them ("--name VALUE"), --help aside.
man_options() {
	sed -n '/^\.SH OPTIONS/,/^\.SH [^O]/p' "$1" | grep -E '^\\fB\\-' |
		sed -e 's/\\-/-/g' -e 's/\\f[BIR]//g' | grep -vx -- '--help'
}

# COMMAND's options as its --help lists them.
help_options() {
	"$DNSDOCTOR" help "$1" | sed -n '/^options:/,/^$/p' |
		grep -oE '^  (--[a-z-]+|-[46])( [^ ]+)?' | sed 's/^  //'
}

@test "man: a page for every command, naming the same options as its --help" {
	local c n=0
	for c in $(commands); do
		[ -f "$MAN/dnsdoctor-$c.1" ]
		diff <(man_options "$MAN/dnsdoctor-$c.1") <(help_options "$c")
		grep -q "^\.TH \"DNSDOCTOR-${c^^}\" 1 " "$MAN/dnsdoctor-$c.1"
		n=$((n + 1))
	done
	[ "$n" -ge 12 ]
	# and no page for a command that is not there
	[ "$(ls "$MAN"/dnsdoctor-*.1 | wc -l)" -eq "$n" ]
	[[ $(man_options "$MAN/dnsdoctor-check.1") == *"--expect-ns NAMES|@FILE"* ]]
}

@test "man: dnsdoctor-findings(7) lists every code explain knows" {
	local codes
	codes=$("$DNSDOCTOR" explain --list | awk '{ print $1 }')
	[ "$(wc -l <<<"$codes")" -gt 30 ]
	diff <(grep -oE '^\\fB[A-Z][A-Z0-9_]+\\fR' "$MAN/dnsdoctor-findings.7" | sed 's/\\f[BR]//g') <(echo "$codes")
}

@test "man: every page renders without a warning from groff" {
	local p
	for p in "$MAN"/*.1 "$MAN"/*.7; do
		run --separate-stderr man --warnings -l "$p"
		[ "$status" -eq 0 ]
		[ -z "$stderr" ] || { echo "# $p: $stderr"; false; }
		[[ $output == *NAME* && $output == *DESCRIPTION* ]]
	done
}
