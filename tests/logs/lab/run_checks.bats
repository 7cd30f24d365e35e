#!/usr/bin/env bats
# dnsdoctor logs --run-checks against the lab: the check a failure points
# at runs as a child dnsdoctor with the same --root-hints, and its findings
# show under the failure.
# Run as: DNSDOCTOR=/abs/build/dnsdoctor lab/netns bats tests/logs/lab
bats_require_minimum_version 1.5.0
load helper

setup_file() {
	SKIP_WHY=$(unavailable)
	export SKIP_WHY
	[ -z "$SKIP_WHY" ] || return 0
	LAB_TMP=$(mktemp -d /tmp/dnsdoctor-logs-lab.XXXXXX)
	export LAB_TMP
	"$LAB_SRC/lab" up "$LAB_TMP"
}
teardown_file() {
	if [ -n "${LAB_TMP:-}" ] && [ -d "$LAB_TMP" ]; then
		"$LAB_SRC/lab" down "$LAB_TMP"
		rm -rf "$LAB_TMP"
	fi
}
setup() { [ -z "$SKIP_WHY" ] || skip "$SKIP_WHY"; }

@test "--run-checks: the lame delegation behind the SERVFAIL is found" {
	run --separate-stderr "$DNSDOCTOR" logs "$CORPUS/certbot-lame.log" --json --run-checks \
		--root-hints "$LAB_TMP/root.hints"
	echo "# stderr: $stderr"
	[ "$status" -eq 2 ]
	jq -e '.failures[] | select(.cause == "dns-servfail-txt") | .commands[0]
		| .command == "dnsdoctor check seed-refused.com" and .ran
		  and ([.findings[].code] | index("LAME_DELEGATION") != null)
		  and ([.findings[].code] | index("ZONE_UNREACHABLE") != null)' <<<"$output"
	# lame-refused.org: one of two servers REFUSED; the TXT lookup said NXDOMAIN
	jq -e '.failures[] | select(.cause == "dns-nxdomain-txt") | .commands[]
		| select(.available) | .ran and ([.findings[].code] | index("LAME_DELEGATION") != null)' <<<"$output"
}

@test "--run-checks, human output: findings under the failure they explain" {
	run "$DNSDOCTOR" logs "$CORPUS/certbot-lame.log" --run-checks --root-hints "$LAB_TMP/root.hints"
	[ "$status" -eq 2 ]
	[[ "$output" == *"dnsdoctor check seed-refused.com"$'\n'*"-> error LAME_DELEGATION"* ]]
	[[ "$output" == *"(not available in this build)"* ]]
}

@test "--run-checks: a healthy zone's check finds nothing to blame" {
	run "$DNSDOCTOR" logs "$CORPUS/lego-http-404.log" --json --run-checks --root-hints "$LAB_TMP/root.hints"
	[ "$status" -eq 2 ]
	jq -e '.failures[0].commands[] | select(.available) | .ran and .exit_code == 0
		and ([.findings[] | select(.severity != "info")] | length == 0)' <<<"$output"
}
