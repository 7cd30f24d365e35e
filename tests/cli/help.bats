#!/usr/bin/env bats
# Each command's own help, options a command does not take refused, and
# explain's list and documents as JSON. No network: all of it is decided
# before a query could be sent.

load helpers

COMMANDS="check trace propagation wait plan cert logs fleet analyze explain config help"

# The options (as written, with a value when they take one) the help of
# COMMAND lists.
options_of() {
	"$DNSDOCTOR" help "$1" | sed -n '/^options:/,/^$/p' |
		grep -oE '^  (--[a-z-]+|-[46])( [A-Z]\S*)?' | sed 's/^  //'
}

@test "each command's --help is its own, the same as help COMMAND" {
	local c global
	global=$("$DNSDOCTOR" --help)
	for c in $COMMANDS; do
		ddr "$c" --help
		[ "$status" -eq 0 ]
		[ -z "$stderr" ]
		[ "${lines[0]%% *}" = "usage:" ]
		[[ ${lines[0]} == "usage: dnsdoctor $c "* ]]
		[[ $output == *"example:"* && $output == *"exit status:"* ]]
		[ "$output" != "$global" ]
		[ "$output" = "$("$DNSDOCTOR" help "$c")" ]
		# before the command too, as getopt allows
		[ "$output" = "$("$DNSDOCTOR" --help "$c")" ]
	done
	# what each lists is what it is known by
	[[ $(options_of check) == *--expect-ns* && $(options_of check) != *--ca-file* ]]
	[[ $(options_of cert) == *--ca-file* && $(options_of cert) != *--expect-ns* ]]
	[[ $(options_of fleet) == *--shard* && $(options_of check) != *--shard* ]]
	[ -z "$(options_of help)" ]
}

@test "an option a command does not take: exit 3, one line naming the command" {
	local all c opt n=0
	all=$("$DNSDOCTOR" --help | grep -oE '^  (--[a-z-]+|-[46])' | sed 's/^  //' | sort -u)
	all+=$'\n'$(for c in $COMMANDS; do options_of "$c"; done | awk '{ print $1 }' | sort -u)
	for c in $COMMANDS; do
		local takes
		takes=$(options_of "$c" | awk '{ print $1 }')
		for opt in $(sort -u <<<"$all"); do
			case $opt in --help | --version) continue ;; esac
			grep -qxF -- "$opt" <<<"$takes" && continue
			# a value for every option that takes one: the refusal
			# comes before any value is looked at
			bad_input "$c" x "$opt" 1
			[ "$stderr" = "dnsdoctor: $c does not take $opt (see dnsdoctor $c --help)" ]
			n=$((n + 1))
		done
	done
	# the cases the issue names, among them
	bad_input check x --ca-file /nonexistent
	[[ $stderr == *"check does not take --ca-file"* ]]
	bad_input trace x --acme --expect-ns a.example,b.example
	[[ $stderr == *"trace does not take --acme"* ]]
	[ "$n" -gt 100 ]
}

@test "help: an unknown command, or more than one, is exit 3" {
	bad_input help bogus
	bad_input help check trace
	bad_input bogus --help
	[[ $stderr == *"unknown command 'bogus'"* ]]
}

@test "fleet lines take check's options only" {
	printf 'a.example --ca-file /x\nb.example --warn-days 3\n' >"$BATS_TEST_TMPDIR/list"
	ddr fleet "$BATS_TEST_TMPDIR/list" --json --rate 0 --per-server-rate 0 --timeout 0.2
	[ "$status" -eq 3 ]
	[ "$(jq -r '.error' <<<"${lines[0]}")" = "'--ca-file' is not an option of check" ]
	[ "$(jq -r '.error' <<<"${lines[1]}")" = "'--warn-days' is not an option of check" ]
}

@test "explain --list --json: every code once, with severity and title; explain CODE --json: its document" {
	ddr explain --list --json
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	local n
	n=$(find "$BATS_TEST_DIRNAME"/../../docs/findings -name '[A-Z0-9_]*.md' ! -name README.md | wc -l)
	[ "$(jq length <<<"$output")" -eq "$n" ]
	[ "$(jq -r '.[].code' <<<"$output" | sort -u | wc -l)" -eq "$n" ]
	[ "$(jq -r '[.[] | select(.severity != "error" and .severity != "warning" and .severity != "info")] | length' <<<"$output")" -eq 0 ]
	[ "$(jq -r '.[] | select(.code == "LAME_DELEGATION") | .title' <<<"$output")" = "a delegated server does not answer authoritatively" ]
	ddr explain lame_delegation --json
	[ "$status" -eq 0 ]
	[ "$(jq -r .code <<<"$output")" = LAME_DELEGATION ]
	[ "$(jq -r .doc <<<"$output")" = "$("$DNSDOCTOR" explain LAME_DELEGATION)" ]
	bad_input explain NO_SUCH_CODE --json
}

@test "time options: --server-timeout for one answer, --timeout of wait up to a day" {
	bad_input check x --timeout 301
	[ "$stderr" = "dnsdoctor: --timeout wants seconds between 0.05 and 300, not '301'" ]
	bad_input check x --server-timeout 0.01
	[ "$stderr" = "dnsdoctor: --server-timeout wants seconds between 0.05 and 300, not '0.01'" ]
	bad_input wait x TXT --expect v --timeout 86401
	[ "$stderr" = "dnsdoctor: --timeout wants seconds between 0.05 and 86400, not '86401'" ]
	bad_input wait x TXT --expect v --server-timeout 600
	# accepted: they fail later, at the names, not at the options
	ddr wait bad..name TXT --expect v --timeout 86400 --server-timeout 5
	[ "$status" -eq 3 ]
	[[ $stderr != *timeout* ]]
	ddr check bad..name --server-timeout 10 --timeout 1
	[ "$status" -eq 3 ]
	[[ $stderr != *timeout* ]]
}

@test "wait --certbot and --lego: what the hook is handed, checked before anything is asked" {
	# lego's cleanup: nothing to wait for
	ddr wait --lego cleanup _acme-challenge.x.example. tok
	[ "$status" -eq 0 ]
	[ -z "$output$stderr" ]
	bad_input wait --lego remove _acme-challenge.x.example. tok
	[[ $stderr == *"lego's action is present or cleanup, not 'remove'"* ]]
	bad_input wait --lego present _acme-challenge.x.example.
	bad_input wait --lego present _acme-challenge.x.example. tok --expect tok
	unset CERTBOT_DOMAIN CERTBOT_VALIDATION
	bad_input wait --certbot
	[[ $stderr == *"CERTBOT_DOMAIN and CERTBOT_VALIDATION are not set"* ]]
	CERTBOT_DOMAIN=x.example CERTBOT_VALIDATION=tok bad_input wait --certbot x.example TXT
	CERTBOT_DOMAIN=x.example CERTBOT_VALIDATION=tok bad_input wait --certbot --lego
	bad_input check x.example --lego
	[[ $stderr == *"check does not take --lego"* ]]
}

@test "colour: --color=always|never|auto, NO_COLOR and TERM=dumb; width from COLUMNS" {
	local ev=$BATS_TEST_DIRNAME/../fixtures/evidence/dnssec-ds-unsigned.json esc=$'\e['
	ddr analyze "$ev" --color=always
	[ "$status" -eq 2 ]
	[[ $output == *"$esc"* ]] # off a terminal, because asked
	NO_COLOR=1 ddr analyze "$ev" --color=always
	[[ $output == *"$esc"* ]] # the flag wins over the variable
	ddr analyze "$ev" --color=never
	[[ $output != *"$esc"* ]]
	ddr analyze "$ev"
	[[ $output != *"$esc"* ]] # auto, off a terminal
	bad_input analyze "$ev" --color=sometimes
	if command -v script >/dev/null; then
		# on a terminal (a pty from script): colour, unless TERM=dumb
		# or NO_COLOR
		local out
		out=$(env -u NO_COLOR TERM=xterm script -qec "$DNSDOCTOR analyze $ev" /dev/null || true)
		[[ $out == *"$esc"* ]]
		out=$(env -u NO_COLOR TERM=dumb script -qec "$DNSDOCTOR analyze $ev" /dev/null || true)
		[[ $out != *"$esc"* ]]
		out=$(NO_COLOR=1 TERM=xterm script -qec "$DNSDOCTOR analyze $ev" /dev/null || true)
		[[ $out != *"$esc"* ]]
	fi
	# the headline paragraph: 78 columns off a terminal, COLUMNS when set
	ddr analyze "$ev"
	[ "$(sed -n '3,6p' <<<"$output" | awk '{ print length }' | sort -n | tail -n 1)" -le 79 ]
	COLUMNS=150 ddr analyze "$ev"
	[ "$(grep -c . <<<"$output")" -gt 0 ]
	[ "$(sed -n '3p' <<<"$output" | awk '{ print length }')" -gt 100 ]
}
