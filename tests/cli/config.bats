#!/usr/bin/env bats
# The configuration files (/etc/dnsdoctor/config, then
# $XDG_CONFIG_HOME/dnsdoctor/config), the environment and the command
# line, in that order of precedence; `dnsdoctor config` says which won.
# DNSDOCTOR_SYSCONFDIR stands for /etc here (helpers.bash).

load helpers

setup() {
	isolate_config
	[[ -n ${DNSDOCTOR:-} && -x $DNSDOCTOR ]] || skip "DNSDOCTOR is not set to an executable"
	unset DNSDOCTOR_ROOT_HINTS DNSDOCTOR_RESOLVERS DNSDOCTOR_TRUST_ANCHOR NO_COLOR
	SYS=$DNSDOCTOR_SYSCONFDIR/dnsdoctor/config
	USR=$XDG_CONFIG_HOME/dnsdoctor/config
	mkdir -p "${SYS%/*}" "${USR%/*}"
}

# setting NAME: "VALUE FROM" of NAME in dnsdoctor config's output.
setting() {
	awk -v n="$1" '$1 == n { $1 = ""; sub(/^ +/, ""); print }' <<<"$output"
}

@test "config: no file, every setting its default" {
	ddr config
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ ${lines[0]} == "# system file: $SYS (absent)" ]]
	[[ ${lines[1]} == "# user file: $USR (absent)" ]]
	[[ $(setting timeout) == "2.4 (wait: 300)"*default ]]
	[[ $(setting resolvers) == *default ]]
	[ "$(grep -c ' default$' <<<"$output")" -eq 12 ]
}

@test "config: command line over environment over user file over system file" {
	printf '%s\n' '# the site' 'resolvers = 192.0.2.1' 'timeout = 5' 'warn-days=10' 'rate = 7' >"$SYS"
	printf '%s\n' 'resolvers = 192.0.2.2   # mine' '' 'timeout = 4' >"$USR"
	DNSDOCTOR_TIMEOUT=3 ddr config --rate 9
	[ "$status" -eq 0 ]
	[[ $(setting warn-days) =~ ^10\ +$SYS:4$ ]]
	[[ $(setting resolvers) =~ ^192\.0\.2\.2\ +$USR:1$ ]]
	[[ $(setting timeout) =~ ^3\ +environment\ DNSDOCTOR_TIMEOUT$ ]]
	[[ $(setting rate) =~ ^9\ +command\ line$ ]]
	[[ ${lines[0]} == *"(read)" && ${lines[1]} == *"(read)" ]]
}

@test "config: --no-color on the command line is color never" {
	echo 'color = always' >"$USR"
	ddr config --no-color
	[[ $(setting color) =~ ^never\ +command\ line$ ]]
	ddr config
	[[ $(setting color) =~ ^always\ +$USR:1$ ]]
}

@test "config: a file's setting reaches the run" {
	# root hints from the file: an unreadable one is the run's error
	echo "root-hints = $BATS_TEST_TMPDIR/no-such-hints" >"$USR"
	bad_input trace example.com
	[[ $stderr == *no-such-hints* ]]
	# the command line still wins
	printf '%s\n' '. 3600000 NS a.root-servers.test.' 'a.root-servers.test. 3600000 A 127.0.0.1' >"$BATS_TEST_TMPDIR/hints"
	ddr trace example.com --root-hints "$BATS_TEST_TMPDIR/hints" --server-timeout 0.2
	[[ $stderr != *no-such-hints* ]]
}

@test "config: a bad file is one line naming the file and line, exit 3" {
	printf '%s\n' '# ok' 'timeout = 3' 'rate = fast' >"$USR"
	bad_input check example.com
	[ "$stderr" = "dnsdoctor: $USR:3: --rate wants queries per second between 0.001 and 1000000, or 0 for no limit, not 'fast'" ]
	printf '%s\n' 'resolver = 192.0.2.1' >"$USR"
	bad_input config
	[ "$stderr" = "dnsdoctor: $USR:1: unknown setting 'resolver' (dnsdoctor config lists them)" ]
	printf '%s\n' '' 'timeout 3' >"$SYS"
	rm "$USR"
	bad_input config
	[ "$stderr" = "dnsdoctor: $SYS:2: expected NAME = VALUE" ]
	printf '%s\n' 'color =' >"$SYS"
	bad_input config
	[ "$stderr" = "dnsdoctor: $SYS:1: color has no value" ]
	# and a bad environment names its variable
	rm "$SYS"
	DNSDOCTOR_COLOR=sometimes bad_input config
	[[ $stderr == "dnsdoctor: DNSDOCTOR_COLOR: --color wants auto, always or never"* ]]
}

@test "config: help and --version need no good file" {
	echo 'nonsense' >"$USR"
	ddr --version
	[ "$status" -eq 0 ]
	ddr help check
	[ "$status" -eq 0 ]
	ddr check --help
	[ "$status" -eq 0 ]
}
