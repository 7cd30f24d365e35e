# Shared by tests/cli/*.bats. $DNSDOCTOR is the absolute path of the binary
# under test (scripts/run-tests sets it). These tests need no network: every
# run gets root hints naming 127.0.0.1 only, from the option and from the
# environment, so even a binary that ignored a bad option could reach
# nothing but loopback.

# shellcheck disable=SC2154  # status, output, stderr: set by bats run
bats_require_minimum_version 1.5.0

setup() {
	if [[ -z ${DNSDOCTOR:-} || ! -x $DNSDOCTOR ]]; then
		skip "DNSDOCTOR is not set to an executable"
	fi
	HINTS=$BATS_TEST_TMPDIR/loopback.hints
	cat >"$HINTS" <<'HINTS'
; root hints for tests: loopback only
.                        3600000      NS    a.root-servers.test.
a.root-servers.test.     3600000      A     127.0.0.1
HINTS
	export DNSDOCTOR_ROOT_HINTS=$HINTS
	export NO_COLOR=1
	isolate_config
}

# The configuration files are the test's own, never the machine's.
isolate_config() {
	export XDG_CONFIG_HOME=$BATS_TEST_TMPDIR/xdg
	export DNSDOCTOR_SYSCONFDIR=$BATS_TEST_TMPDIR/etc
}

# ddr ARGS...: runs the binary with stdout in $output, stderr in $stderr.
ddr() {
	run --separate-stderr timeout 20 "$DNSDOCTOR" "$@"
	echo "# exit status: $status"
	echo "# stdout: $output"
	echo "# stderr: $stderr"
}

# bad_input ARGS...: the run must exit 3, print nothing on stdout and
# exactly one non-empty line on stderr.
bad_input() {
	ddr "$@"
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[[ -n $stderr && $stderr != *$'\n'* ]]
}
