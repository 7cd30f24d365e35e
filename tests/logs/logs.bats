#!/usr/bin/env bats
# dnsdoctor logs: every corpus file classified as its .expect says, plus
# retries, rate limits, commands, stdin, bad input and hostile input.
# Run as: DNSDOCTOR=/abs/path/build/dnsdoctor bats tests/logs
bats_require_minimum_version 1.5.0

CORPUS="$BATS_TEST_DIRNAME/corpus"

setup() {
	[ -n "${DNSDOCTOR:-}" ] && [ -x "$DNSDOCTOR" ] || skip "DNSDOCTOR is not set to an executable"
	T=$(mktemp -d)
}
teardown() { [ -z "${T:-}" ] || rm -rf "$T"; }

# corpus NAME: `logs NAME --json` projected by expect.jq equals NAME.expect,
# and the exit status says whether there were failures.
corpus() {
	local f="$CORPUS/$1" want got
	run --separate-stderr "$DNSDOCTOR" logs "$f" --json
	echo "# exit $status, stderr: $stderr"
	[ -n "$output" ]
	got=$(jq -S -f "$BATS_TEST_DIRNAME/expect.jq" <<<"$output")
	want=$(jq -S . "$f.expect")
	diff -u <(echo "$want") <(echo "$got")
	if [ "$(jq '.failures | length' <<<"$output")" -gt 0 ]; then
		[ "$status" -eq 2 ]
	else
		[ "$status" -eq 0 ]
	fi
}

@test "every corpus file has an .expect and a test in this file" {
	local f missing=""
	for f in "$CORPUS"/*; do
		f=$(basename "$f")
		case $f in *.expect | README.md) continue ;; esac
		[ -f "$CORPUS/$f.expect" ] || missing="$missing $f(.expect)"
		grep -q "^@test \"corpus $f:" "$BATS_TEST_FILENAME" || missing="$missing $f(test)"
	done
	echo "missing:$missing"
	[ -z "$missing" ]
}

@test "corpus certbot-success.log: certbot debug log, no failure, one success" { corpus certbot-success.log; }
@test "corpus certbot-success.console: certbot console, no failure" { corpus certbot-success.console; }
@test "corpus certbot-txt-missing.log: NXDOMAIN for the TXT name" { corpus certbot-txt-missing.log; }
@test "corpus certbot-txt-missing.console: NXDOMAIN for the TXT name" { corpus certbot-txt-missing.console; }
@test "corpus certbot-txt-wrong.log: TXT value mismatch" { corpus certbot-txt-wrong.log; }
@test "corpus certbot-txt-wrong.console: TXT value mismatch" { corpus certbot-txt-wrong.console; }
@test "corpus certbot-lame.log: SERVFAIL (all REFUSED) and NXDOMAIN (one lame)" { corpus certbot-lame.log; }
@test "corpus certbot-lame.console: SERVFAIL and NXDOMAIN" { corpus certbot-lame.console; }
@test "corpus certbot-http-refused.log: HTTP-01 connection refused" { corpus certbot-http-refused.log; }
@test "corpus certbot-http-refused.console: HTTP-01 connection refused" { corpus certbot-http-refused.console; }
@test "corpus certbot-http-404.log: HTTP-01 404" { corpus certbot-http-404.log; }
@test "corpus certbot-http-404.console: HTTP-01 404" { corpus certbot-http-404.console; }
@test "corpus certbot-retries.log: 6 runs, 6 failures, over 5/hour" { corpus certbot-retries.log; }
@test "corpus certbot-retries.console: 6 runs, 6 failures" { corpus certbot-retries.console; }
@test "corpus lego-success.log: lego, no failure" { corpus lego-success.log; }
@test "corpus lego-txt-missing.log: NXDOMAIN for the TXT name" { corpus lego-txt-missing.log; }
@test "corpus lego-txt-wrong.log: TXT value mismatch" { corpus lego-txt-wrong.log; }
@test "corpus lego-lame.log: SERVFAIL and NXDOMAIN" { corpus lego-lame.log; }
@test "corpus lego-http-refused.log: connection refused" { corpus lego-http-refused.log; }
@test "corpus lego-http-404.log: 404" { corpus lego-http-404.log; }
@test "corpus lego-retries.log: 6 runs, 6 failures" { corpus lego-retries.log; }
@test "corpus lego-propagation-servfail.log: lego's own check gives up on a server answering SERVFAIL" {
	corpus lego-propagation-servfail.log
	run "$DNSDOCTOR" logs "$CORPUS/lego-propagation-servfail.log" --json
	jq -e '.failures[0] | .cause == "txt-not-propagated" and .precheck.server == "b.acme-precheck-servfail.beta-dns.org." and .precheck.answer == "SERVFAIL"' <<<"$output"
}
@test "corpus lego-propagation-silent.log: lego's own check gives up on a server that never answers" {
	corpus lego-propagation-silent.log
	run "$DNSDOCTOR" logs "$CORPUS/lego-propagation-silent.log" --json
	jq -e '.failures[0] | .cause == "txt-not-propagated" and .precheck.server == "127.53.99.12" and .precheck.answer == "timeout"' <<<"$output"
	jq -e '.retries[0] | .attempts == 1 and .failures == 1' <<<"$output"
}
@test "corpus lego-propagation-timeout.log: lego's own check gives up on a server without the record" {
	corpus lego-propagation-timeout.log
	run "$DNSDOCTOR" logs "$CORPUS/lego-propagation-timeout.log" --json
	jq -e '.failures[0] | .cause == "txt-not-propagated" and .precheck.server == "b.propagation-lag.beta-dns.org." and .precheck.answer == "NXDOMAIN"' <<<"$output"
	jq -e '.failures[0].command == "dnsdoctor propagation _acme-challenge.w1.propagation-lag.net TXT"' <<<"$output"
	# one attempt, failed
	jq -e '.retries[0] | .attempts == 1 and .failures == 1' <<<"$output"
	run "$DNSDOCTOR" logs "$CORPUS/lego-propagation-timeout.log"
	[[ $output == *"the client gave up on: b.propagation-lag.beta-dns.org. answering NXDOMAIN"* ]]
}
@test "corpus acme.sh.log: no TXT, incorrect TXT, rateLimited, success" { corpus acme.sh.log; }
@test "corpus cert-manager-describe-challenge.txt: mismatch x3, not propagated" { corpus cert-manager-describe-challenge.txt; }
@test "corpus cert-manager-describe-order.txt: duplicate-certificate rate limit" { corpus cert-manager-describe-order.txt; }
@test "corpus cert-manager-describe-certificate.txt: timeout during connect" { corpus cert-manager-describe-certificate.txt; }
@test "corpus cert-manager-challenges.json: CAA SERVFAIL, secondary NXDOMAIN" { corpus cert-manager-challenges.json; }

@test "retries: intervals and first/last come from the log's times" {
	run "$DNSDOCTOR" logs "$CORPUS/acme.sh.log" --json
	[ "$(jq -c '.retries[0].intervals' <<<"$output")" = "[3600,3600,3600]" ]  # the "Single domain=" lines, an hour apart
	[ "$(jq -r '.retries[0].first' <<<"$output")" = "2024-06-05T02:00:02Z" ]
	[ "$(jq -r '.failures[] | select(.cause == "txt-missing") | .first' <<<"$output")" = "2024-06-05T02:00:31Z" ]
}

@test "retries across inputs: rotated certbot and lego logs add up" {
	run "$DNSDOCTOR" logs "$CORPUS/certbot-retries.log" "$CORPUS/lego-retries.log" --json
	[ "$status" -eq 2 ]
	[ "$(jq -r .format <<<"$output")" = mixed ]
	[ "$(jq '.retries[0].attempts' <<<"$output")" -eq 12 ]
	[ "$(jq '.failures[0].count' <<<"$output")" -eq 12 ]
	[ "$(jq '.retries[0].intervals | length' <<<"$output")" -eq 11 ]
	[ "$(jq -r '.retries[0].rate_limit.status' <<<"$output")" = over-limit ]
	[ "$(jq '.rate_limits[0].seen' <<<"$output")" -eq 12 ]
	[ "$(jq '.rate_limits[0].max' <<<"$output")" -eq 300 ]
}

@test "commands: each cause points at the check that confirms it" {
	run "$DNSDOCTOR" logs "$CORPUS/certbot-lame.log" --json
	[ "$(jq -r '.failures[] | select(.cause == "dns-servfail-txt") | .command' <<<"$output")" = "dnsdoctor check seed-refused.com" ]
	[ "$(jq -r '.failures[] | select(.cause == "dns-nxdomain-txt") | .command' <<<"$output")" = "dnsdoctor propagation _acme-challenge.lame-refused.org TXT" ]
	run "$DNSDOCTOR" logs "$CORPUS/lego-http-404.log" --json
	[ "$(jq -r '.failures[0].command' <<<"$output")" = "dnsdoctor check http-404.acme-logs.com --acme --challenge http-01" ]
	# every confirming diagnosis exists in this build
	[ "$(jq -r '[.failures[0].commands[] | select(.available) | .command] | join(", ")' <<<"$output")" = "dnsdoctor check http-404.acme-logs.com --acme --challenge http-01, dnsdoctor propagation http-404.acme-logs.com A, dnsdoctor check http-404.acme-logs.com" ]
	jq -e '[.failures[].commands[] | select(.available | not)] | length == 0' <<<"$output"
	run "$DNSDOCTOR" logs "$CORPUS/cert-manager-describe-order.txt" --json
	[ "$(jq -r '.failures[0].command' <<<"$output")" = null ]
}

@test "human output: a table, the cause, the commands, the limits" {
	run "$DNSDOCTOR" logs "$CORPUS/certbot-lame.log"
	[ "$status" -eq 2 ]
	[[ "$output" == *"certbot-lame.log (certbot-log)"* ]]
	[[ "$output" == *"dns-servfail-txt"*"seed-refused.com"* ]]
	[[ "$output" == *"dnsdoctor propagation _acme-challenge.lame-refused.org TXT"* ]]
	[[ "$output" != *"not available in this build"* ]]
	[[ "$output" == *"5 failed validations per account, hostname and hour"* ]]
}

@test "stdin: '-' reads the log from standard input" {
	run bash -c '"$1" logs - --json < "$2"' _ "$DNSDOCTOR" "$CORPUS/lego-lame.log"
	[ "$status" -eq 2 ]
	[ "$(jq -r '.inputs[0].file + " " + .format' <<<"$output")" = "- lego" ]
	[ "$(jq '.failures | length' <<<"$output")" -eq 2 ]
}

@test "bad input: a missing file, an unknown format, no file: one line, exit 3" {
	run --separate-stderr "$DNSDOCTOR" logs "$T/nope.log"
	[ "$status" -eq 3 ] && [ -z "$output" ] && [ "$(wc -l <<<"$stderr")" -eq 1 ]
	head -c 4096 /dev/urandom > "$T/garbage"
	run --separate-stderr "$DNSDOCTOR" logs "$T/garbage"
	[ "$status" -eq 3 ] && [ "$(wc -l <<<"$stderr")" -eq 1 ]
	[[ "$stderr" == *"not a log dnsdoctor reads"* ]]
	: > "$T/empty"
	run --separate-stderr "$DNSDOCTOR" logs "$T/empty"
	[ "$status" -eq 3 ] && [ "$(wc -l <<<"$stderr")" -eq 1 ]
	run --separate-stderr "$DNSDOCTOR" logs
	[ "$status" -eq 3 ] && [ "$(wc -l <<<"$stderr")" -eq 1 ]
}

@test "hostile input: escape sequences are shown escaped, JSON stays valid" {
	printf '2024/06/01 12:00:00 [INFO] [evil.example] acme: Obtaining bundled SAN certificate\n' > "$T/evil.log"
	printf '[evil.example] acme: error: 403 :: urn:ietf:params:acme:error:unauthorized :: \033]0;pwned\007\033[31mNo TXT record found at _acme-challenge.evil.example \377\376\n' >> "$T/evil.log"
	run "$DNSDOCTOR" logs "$T/evil.log"
	[ "$status" -eq 2 ]
	[[ "$output" != *$'\033'* ]] && [[ "$output" != *$'\007'* ]]
	[[ "$output" == *'\x1b]0;pwned'* ]]
	run "$DNSDOCTOR" logs "$T/evil.log" --json
	jq -e '.failures[0].cause == "txt-missing"' <<<"$output"
	[[ "$output" != *$'\033'* ]]
}

@test "hostile input: a line over 64 KiB is cut and counted, not fatal" {
	{
		printf '2024/06/01 12:00:00 [INFO] [big.example] acme: Obtaining bundled SAN certificate\n'
		printf '[big.example] acme: error: 400 :: urn:ietf:params:acme:error:dns :: DNS problem: SERVFAIL looking up TXT for _acme-challenge.big.example '
		head -c 200000 /dev/zero | tr '\0' 'x'
		printf '\n'
	} > "$T/long.log"
	run "$DNSDOCTOR" logs "$T/long.log" --json
	[ "$status" -eq 2 ]
	[ "$(jq .summary.long_lines <<<"$output")" -eq 1 ]
	[ "$(jq -r '.failures[0].cause' <<<"$output")" = dns-servfail-txt ]
	[ "$(jq -r '.failures[0].domains[0]' <<<"$output")" = big.example ]
}

@test "hostile input: cert-manager JSON of the wrong shape gives no failure" {
	printf '{"kind":"List","apiVersion":"acme.cert-manager.io/v1","items":[1,"x",null,{"spec":[],"status":{"reason":7}},{"spec":{"dnsName":{}},"status":"invalid"}]}' > "$T/cm.json"
	run --separate-stderr "$DNSDOCTOR" logs "$T/cm.json" --json
	[ "$status" -eq 0 ]
	[ "$(jq -r .format <<<"$output")" = cert-manager-json ]
	[ "$(jq '.failures | length' <<<"$output")" -eq 0 ]
}

@test "--run-checks: runs every confirming diagnosis with the same options, in-process" {
	# a root that does not answer (127.0.0.0/8 only): the confirming
	# diagnoses cannot be carried out, and the report says why under the
	# failure
	printf '.  3600000 NS a.root.test.\na.root.test. 3600000 A 127.53.254.254\n' > "$T/hints"
	run --separate-stderr "$DNSDOCTOR" logs "$CORPUS/certbot-lame.log" --json --run-checks \
		--root-hints "$T/hints" --timeout 0.1
	[ "$status" -eq 2 ]
	jq -e '.failures[] | select(.cause == "dns-servfail-txt") | .commands[0]
		| .command == "dnsdoctor check seed-refused.com" and .available and (.ran | not)
		  and (.error | test("no root server answered"))' <<<"$output"
	jq -e '[.failures[].commands[] | select(.error | not)] | length == 0' <<<"$output"
	jq -e '[.failures[].commands[] | .command] | any(test("^dnsdoctor propagation "))' <<<"$output"
}

@test "times: certbot's local time is not labelled UTC; --log-tz converts it" {
	run "$DNSDOCTOR" logs "$CORPUS/certbot-lame.log" --json
	[ "$(jq -r .times_utc <<<"$output")" = false ]
	first=$(jq -r '.failures[0].first' <<<"$output")
	[[ $first =~ ^[0-9-]{10}T[0-9:]{8}$ ]] # no Z
	run "$DNSDOCTOR" logs "$CORPUS/certbot-lame.log" --json --log-tz +09:00
	[ "$(jq -r .times_utc <<<"$output")" = true ]
	utc=$(jq -r '.failures[0].first' <<<"$output")
	[ "$utc" = "$(date -u -d "${first} 9 hours ago" +%Y-%m-%dT%H:%M:%SZ)" ]
	# the forms of an offset, and a zone name of the system's database
	for tz in +0900 +09 Asia/Seoul; do
		run "$DNSDOCTOR" logs "$CORPUS/certbot-lame.log" --json --log-tz "$tz"
		[ "$(jq -r '.failures[0].first' <<<"$output")" = "$utc" ]
	done
	run "$DNSDOCTOR" logs "$CORPUS/certbot-lame.log"
	[[ $output == *"Times are the logs' own local time"* ]]
	# cert-manager writes UTC itself
	run "$DNSDOCTOR" logs "$CORPUS/cert-manager-challenges.json" --json
	[ "$(jq -r .times_utc <<<"$output")" = true ]
	[[ "$(jq -r '.failures[0].first' <<<"$output")" == *Z ]]
}

@test "times: a --log-tz that is no zone is one line, exit 3" {
	run --separate-stderr "$DNSDOCTOR" logs "$CORPUS/certbot-lame.log" --log-tz Mars/Olympus
	[ "$status" -eq 3 ]
	[ "$stderr" = "dnsdoctor: --log-tz wants UTC, +HH:MM or a zone name such as Europe/Paris, not 'Mars/Olympus'" ]
	run --separate-stderr "$DNSDOCTOR" logs "$CORPUS/certbot-lame.log" --log-tz +25:00
	[ "$status" -eq 3 ]
	run --separate-stderr "$DNSDOCTOR" logs "$CORPUS/certbot-lame.log" --log-tz ../../etc/passwd
	[ "$status" -eq 3 ]
}
