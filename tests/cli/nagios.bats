#!/usr/bin/env bats
# --format nagios (docs/nagios.md): the monitoring plugin's output, from
# saved evidence (analyze) and replays; nothing is sent.

load helpers

setup() {
	LAB_HINTS=$BATS_TEST_TMPDIR/lab.hints
	printf '%s\n' '. 3600000 NS a.root-servers.net.' '. 3600000 NS b.root-servers.net.' \
		'a.root-servers.net. 3600000 A 127.53.0.1' \
		'b.root-servers.net. 3600000 A 127.53.0.2' >"$LAB_HINTS"
	FX=$BATS_TEST_DIRNAME/../fixtures/evidence
}

# One performance datum as the guidelines define it:
# 'label'=value[UOM];[warn];[crit];[min];[max], trailing ';' optional.
PERF="('([^']|'')+'|[^ '=]+)=(-?[0-9]+(\.[0-9]+)?|U)(s|ms|us|%|B|KB|MB|TB|c)?(;[-0-9.:~@]*){0,4}"

# status_line WORD SUBJECT: the first line of $output is WORD's status
# line for SUBJECT, with one '|' and valid performance data after it.
status_line() {
	local first=${output%%$'\n'*}
	echo "# first line: $first"
	local re="^DNSDOCTOR $1 - $2: [^|]+ \\| (.*)\$"
	[[ $first =~ $re ]]
	local perf=${BASH_REMATCH[1]} all="^$PERF( $PERF)*\$"
	local fixed='^queries=[0-9]+ duration=[0-9]+\.[0-9]{3}s errors=[0-9]+ warnings=[0-9]+'
	[[ $perf =~ $all ]]
	[[ $perf =~ $fixed ]]
}

@test "--format nagios, OK: one status line, perfdata, exit 0" {
	ddr analyze "$FX/healthy.json" --format nagios
	[ "$status" -eq 0 ]
	status_line OK healthy.com
	[[ $output == *"errors=0 warnings=0" ]]
	[ "$(wc -l <<<"$output")" -eq 1 ]
	[ -z "$stderr" ]
}

@test "--format nagios, WARNING: the code and the verdict, then a line per finding, exit 1" {
	ddr analyze "$FX/serial-lag.json" --format nagios
	[ "$status" -eq 1 ]
	status_line WARNING serial-lag.org
	[[ ${output%%$'\n'*} == *": SOA_SERIAL_MISMATCH - "* ]]
	[[ $output == *$'\nwarning SOA_SERIAL_MISMATCH: '* ]]
}

@test "--format nagios, CRITICAL: root cause codes first, consequences under their cause, the fix last, exit 2" {
	ddr analyze "$FX/seed-refused-noexpect.json" --format nagios
	[ "$status" -eq 2 ]
	status_line CRITICAL seed-refused.com
	[[ ${output%%$'\n'*} == *": LAME_DELEGATION, ZONE_UNREACHABLE - No server "* ]]
	[[ ${output%%$'\n'*} == *" errors=5 warnings=0" ]]
	local rest=${output#*$'\n'}
	# every long line is a finding or the fix
	local long='^(  )?(error|warning|info) [A-Z0-9_]+: |^Fix: '
	while IFS= read -r line; do
		[[ $line =~ $long ]]
	done <<<"$rest"
	[ "$(grep -c '^error LAME_DELEGATION: ' <<<"$rest")" -eq 4 ]
	[[ $(tail -n 1 <<<"$rest") == "Fix: "* ]]
	# the status line is cut, with "...", at 200 characters of text
	local text=${output%% | *}
	text=${text#DNSDOCTOR CRITICAL - }
	[ "${#text}" -le 200 ]
	[[ $text == *... ]]
}

@test "--format nagios: a consequence comes indented under its root cause" {
	ddr analyze "$FX/dnssec-ds-unsigned.json" --format nagios
	[ "$status" -eq 2 ]
	[[ $output == *$'\nerror DS_WITHOUT_DNSKEY: '*$'\n  error DNSSEC_BOGUS_AT_RESOLVER: '* ]]
}

@test "--format nagios: same exit code as the text report for every fixture; one line is one line" {
	local f code first
	for f in "$FX"/*.json; do
		run "$DNSDOCTOR" analyze "$f"
		code=$status
		run --separate-stderr "$DNSDOCTOR" analyze "$f" --format nagios
		echo "# $(basename "$f"): $code vs $status"
		[ "$status" -eq "$code" ]
		first=${output%%$'\n'*}
		case $code in
		0) [[ $first == "DNSDOCTOR OK - "* ]] ;;
		1) [[ $first == "DNSDOCTOR WARNING - "* ]] ;;
		2) [[ $first == "DNSDOCTOR CRITICAL - "* ]] ;;
		*) false ;;
		esac
		# exactly one '|' in the status line, none below it
		[ "$(tr -cd '|' <<<"$first" | wc -c)" -eq 1 ]
		[ "$(tr -cd '|' <<<"$output" | wc -c)" -eq 1 ]
		# nothing but printable ASCII and newlines
		[ "$(LC_ALL=C tr -d '\n -~' <<<"$output" | wc -c)" -eq 0 ]
	done
}

@test "--format nagios: hostile names stay escaped, on one line" {
	ddr analyze "$FX/hostile-escapes.json" --format nagios
	[ "$status" -eq 2 ]
	status_line CRITICAL hostile-escapes.net
	[ "$(LC_ALL=C tr -d '\n -~' <<<"$output" | wc -c)" -eq 0 ]
	[ "$(tr -cd '|' <<<"$output" | wc -c)" -eq 1 ]
}

@test "--format nagios: a '|' from the input is written \\x7c, so Nagios does not read it as perfdata" {
	ddr propagation healthy.com NS --expect 'a|b' --replay "$FX/healthy.json" \
		--root-hints "$LAB_HINTS" --resolvers 127.53.53.53 --format nagios
	[ "$status" -eq 2 ]
	status_line CRITICAL "healthy.com NS"
	[[ $output == *'expected value a\x7cb'* ]]
	[ "$(tr -cd '|' <<<"$output" | wc -c)" -eq 1 ]
}

@test "--format nagios: propagation and wait replayed; wait's timeout is CRITICAL with its reason" {
	ddr propagation healthy.com NS --replay "$FX/healthy.json" --root-hints "$LAB_HINTS" \
		--resolvers 127.53.53.53 --format nagios
	[ "$status" -eq 0 ]
	status_line OK "healthy.com NS"
	ddr wait healthy.com NS --expect foo --replay "$FX/healthy.json" --root-hints "$LAB_HINTS" \
		--timeout 1 --format nagios
	[ "$status" -eq 2 ]
	status_line CRITICAL "healthy.com NS"
	[[ ${output%%$'\n'*} == *"RECORD_MISSING_ON_AUTH - not served by every address within 1 s: "* ]]
	# no progress lines on stderr: Icinga 2 would show them
	ddr wait healthy.com NS --expect foo --replay "$FX/healthy.json" --root-hints "$LAB_HINTS" \
		--timeout 40 --server-timeout 0.5 --format nagios
	[ "$status" -eq 2 ]
	[ -z "$stderr" ]
	[[ ${output%%$'\n'*} == *" within 40 s: "* ]]
}

@test "--format nagios, UNKNOWN: the one line of why is the status line, on stdout; stderr stays empty; exit 3" {
	# Icinga 2 mixes a plugin's stderr into its output: nothing goes there.
	ddr analyze "$BATS_TEST_TMPDIR/none.json" --format nagios
	[ "$status" -eq 3 ]
	[[ $output =~ ^DNSDOCTOR\ UNKNOWN\ -\ cannot\ read\ evidence\ [^$'\n']*none.json ]]
	[ "$(wc -l <<<"$output")" -eq 1 ]
	[ -z "$stderr" ]
	ddr analyze "$BATS_TEST_TMPDIR/none.json"
	[[ $stderr == "dnsdoctor: cannot read evidence "* ]]
	# a bad argument, wherever it stands
	ddr check example.com --bogus --format nagios
	[ "$status" -eq 3 ]
	[ "$output" = "DNSDOCTOR UNKNOWN - unknown option '--bogus' (see dnsdoctor --help)" ]
	[ -z "$stderr" ]
	ddr check --format=nagios
	[ "$status" -eq 3 ]
	[[ $output == "DNSDOCTOR UNKNOWN - check wants exactly one DOMAIN"* ]]
	# no server answers: the check could not be carried out
	printf '. 3600000 NS a.root.test.\na.root.test. 3600000 A 127.53.254.254\n' >"$BATS_TEST_TMPDIR/dead.hints"
	ddr check example.com --root-hints "$BATS_TEST_TMPDIR/dead.hints" --timeout 0.2 --format nagios
	[ "$status" -eq 3 ]
	[[ $output == "DNSDOCTOR UNKNOWN - "* ]]
	[ "$(wc -l <<<"$output")" -eq 1 ]
}

@test "--format json is --json, byte for byte" {
	local a
	for a in "analyze $FX/seed-refused.json" "analyze $FX/healthy.json" "explain --list" \
		"explain LAME_DELEGATION" "check healthy.com --replay $FX/healthy.json --root-hints $LAB_HINTS"; do
		# shellcheck disable=SC2086 # a is a word list
		run "$DNSDOCTOR" $a --json
		local json=$output code=$status
		# shellcheck disable=SC2086
		run "$DNSDOCTOR" $a --format json
		[ "$status" -eq "$code" ]
		[ "$output" = "$json" ]
	done
	ddr analyze "$FX/healthy.json" --format json --json
	[ "$status" -eq 0 ]
	ddr analyze "$FX/healthy.json" --format text
	[[ $output == "healthy.com.  OK"* ]]
}

@test "--format: an unknown format, or two formats, is exit 3 with one line" {
	bad_input check example.com --format yaml
	[ "$stderr" = "dnsdoctor: --format wants text, json, nagios, html or svg, not 'yaml'" ]
	bad_input analyze "$FX/healthy.json" --format text --json
	[ "$stderr" = "dnsdoctor: --format text and --json exclude each other" ]
}

@test "--format nagios is refused by the commands that do not write it, naming the command" {
	local c
	for c in explain trace plan fleet logs; do
		ddr "$c" x --format nagios
		[ "$status" -eq 3 ]
		[ "$output" = "DNSDOCTOR UNKNOWN - $c does not take --format nagios: it is for check, cert, propagation, wait and analyze (docs/nagios.md)" ]
		[ -z "$stderr" ]
	done
	# analyze of evidence of another kind
	"$DNSDOCTOR" trace healthy.com --replay "$FX/healthy.json" --root-hints "$LAB_HINTS" \
		--save-evidence "$BATS_TEST_TMPDIR/trace.json" >/dev/null
	ddr analyze "$BATS_TEST_TMPDIR/trace.json" --format nagios
	[ "$status" -eq 3 ]
	[ "$output" = "DNSDOCTOR UNKNOWN - --format nagios is for check, cert, propagation and wait; this is trace evidence" ]
}

@test "--format is in the help of every command that writes output" {
	local c
	for c in check cert propagation wait analyze trace; do
		ddr "$c" --help
		[ "$status" -eq 0 ]
		[[ $output == *"--format FORMAT"*nagios* ]]
	done
}
