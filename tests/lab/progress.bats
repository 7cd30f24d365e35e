#!/usr/bin/env bats
# The live line on a terminal (issue 16): while `check` waits on a server
# that drops every packet (silent-server.org), stderr on a terminal shows
# one line, redrawn in place, naming the silent address; it is erased before
# the report. Off a terminal nothing at all is written to stderr.
# Run as: DNSDOCTOR=/abs/path/build/dnsdoctor lab/netns bats tests/lab

load lab_helper
bats_require_minimum_version 1.5.0

SILENT=127.53.33.3 # lab/scenarios/silent-server/servers

setup_file() {
	LAB_SKIP=$(lab_missing_tool script)
	export LAB_SKIP
	lab_start
}
setup() { lab_skip_if_unavailable; DD=${DNSDOCTOR:-build/dnsdoctor}; }
teardown_file() { lab_stop; }

# on_tty FILE CMD...: runs CMD with stdin, stdout and stderr on a
# pseudo-terminal (util-linux script), what the terminal got into FILE.
on_tty() {
	local out=$1 cmd
	shift
	printf -v cmd '%q ' "$@"
	TERM=xterm COLUMNS=200 script -qefc "$cmd" /dev/null >"$out"
}

# A silent server's query waits --server-timeout out: the run lasts more
# than the second before the line is drawn, however fast the machine.
WAIT=(--server-timeout 4 --color=never)

@test "progress: on a terminal, one line names the silent server and is erased before the report" {
	local tty=$BATS_TEST_TMPDIR/tty esc=$'\r\e[K' rest
	run on_tty "$tty" "$DD" check silent-server.org "${WAIT[@]}"
	[ "$status" -eq 2 ]
	# The line, redrawn in place, with the address still silent (and its
	# name, read off the answers that gave the address).
	rest=$(<"$tty")
	[[ "$rest" == "$esc"* ]]
	grep -Eq "^checking silent-server\.org: [0-9]+\.[0-9] s, [0-9]+ queries.*; waiting on c\.silent-server\.gamma-dns\.com \(${SILENT//./\\.}\)$" <<<"${rest//"$esc"/$'\n'}"
	# Erased: after the last \r\e[K comes the report, nothing of the line.
	rest=${rest##*"$esc"}
	[[ "$rest" == "silent-server.org."*"NS_UNREACHABLE"* ]]
	[[ "$rest" != *"checking silent-server.org"* ]]
	[[ "$rest" != *$'\e'* ]]
}

@test "progress: the report on stdout is untouched when only stderr is a terminal" {
	local tty=$BATS_TEST_TMPDIR/tty report=$BATS_TEST_TMPDIR/report
	run on_tty "$tty" bash -c '"$@" >"$0"' "$report" "$DD" check silent-server.org "${WAIT[@]}"
	[ "$status" -eq 2 ]
	grep -aq "waiting on c.silent-server.gamma-dns.com ($SILENT)" "$tty"
	run grep -ac $'\r\|\e\|checking silent' "$report"
	[ "$output" -eq 0 ]
	grep -q NS_UNREACHABLE "$report"
}

@test "progress: off a terminal, and with --json on one, nothing is written to stderr" {
	run --separate-stderr "$DD" check silent-server.org "${WAIT[@]}"
	[ "$status" -eq 2 ]
	[ -z "$stderr" ]
	[[ "$output" == *NS_UNREACHABLE* ]]
	run --separate-stderr "$DD" check silent-server.org "${WAIT[@]}" --json
	[ "$status" -eq 2 ]
	[ -z "$stderr" ]
	jq -e '[.findings[].code] | index("NS_UNREACHABLE")' <<<"$output"
	local tty=$BATS_TEST_TMPDIR/tty
	run on_tty "$tty" "$DD" check silent-server.org "${WAIT[@]}" --json
	[ "$status" -eq 2 ]
	run grep -ac $'\e\[K\|checking silent' "$tty"
	[ "$output" -eq 0 ]
}
