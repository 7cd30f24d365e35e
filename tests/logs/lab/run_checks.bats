#!/usr/bin/env bats
# dnsdoctor logs --run-checks against the lab: the diagnoses a failure
# points at run in-process with every option given to logs, and their
# findings show under the failure.
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
	# lame-refused.org: one of two servers REFUSED; the TXT lookup said
	# NXDOMAIN. Every confirming diagnosis ran, propagation and
	# check --acme too.
	jq -e '[.failures[] | select(.cause == "dns-nxdomain-txt") | .commands[]
		| select(.ran | not)] | length == 0' <<<"$output"
	jq -e '.failures[] | select(.cause == "dns-nxdomain-txt") | .commands[]
		| select(.command == "dnsdoctor check lame-refused.org")
		| [.findings[].code] | index("LAME_DELEGATION") != null' <<<"$output"
	jq -e '.failures[] | select(.cause == "dns-nxdomain-txt") | .commands[]
		| select(.command == "dnsdoctor check lame-refused.org --acme --challenge dns-01")
		| [.findings[].code] | index("ACME_CHALLENGE_MISSING") != null' <<<"$output"
}

@test "--run-checks: --trust-anchor and --resolvers reach the diagnoses it runs" {
	# A root anchor that matches no root key, and a resolver that never
	# answers: both show in the findings of the check it runs in-process.
	echo ". 86400 IN DS 12345 13 2 0000000000000000000000000000000000000000000000000000000000000000" >"$BATS_TEST_TMPDIR/bad.anchor"
	run --separate-stderr "$DNSDOCTOR" logs "$CORPUS/certbot-lame.log" --json --run-checks \
		--root-hints "$LAB_TMP/root.hints" --trust-anchor "$BATS_TEST_TMPDIR/bad.anchor" \
		--resolvers 127.0.0.9 --timeout 0.5
	[ "$status" -eq 2 ]
	jq -e '.failures[] | select(.cause == "dns-nxdomain-txt") | .commands[]
		| select(.command == "dnsdoctor check lame-refused.org")
		| [.findings[].code] | index("DS_NO_MATCHING_DNSKEY") != null and index("RESOLVER_UNREACHABLE") != null' <<<"$output"
	# propagation asks only the resolvers named, never built-in ones
	jq -e '.failures[] | select(.cause == "dns-nxdomain-txt") | .commands[]
		| select(.command == "dnsdoctor propagation _acme-challenge.lame-refused.org TXT")
		| [.findings[].code] | index("RESOLVER_UNREACHABLE") != null' <<<"$output"
}

@test "--run-checks, human output: findings under the failure they explain" {
	run "$DNSDOCTOR" logs "$CORPUS/certbot-lame.log" --run-checks --root-hints "$LAB_TMP/root.hints"
	[ "$status" -eq 2 ]
	[[ "$output" == *"dnsdoctor check seed-refused.com"$'\n'*"-> error LAME_DELEGATION"* ]]
	[[ "$output" == *"dnsdoctor check lame-refused.org --acme --challenge dns-01"$'\n'*"-> error ACME_CHALLENGE_MISSING"* ]]
	[[ "$output" != *"not available in this build"* ]]
}

@test "--run-checks: a healthy zone's check finds nothing to blame" {
	run "$DNSDOCTOR" logs "$CORPUS/lego-http-404.log" --json --run-checks --root-hints "$LAB_TMP/root.hints"
	[ "$status" -eq 2 ]
	# The DNS is fine: check and propagation blame nothing.
	jq -e '[.failures[0].commands[] | select(.command | test("--acme") | not)
		| select(.ran and .exit_code == 0
			 and ([.findings[] | select(.severity != "info")] | length == 0) | not)]
		| length == 0' <<<"$output"
	# The HTTP-01 check goes on to port 80, where nothing listens now (the
	# corpus's web server ran only while the corpus was made).
	jq -e '.failures[0].commands[] | select(.command | test("--challenge http-01"))
		| .ran and ([.findings[] | select(.severity != "info") | .code] == ["HTTP01_UNREACHABLE"])' <<<"$output"
}
