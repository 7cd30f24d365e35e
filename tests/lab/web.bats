#!/usr/bin/env bats
# HTTP-01 and `cert` from every address, against a real nginx started here
# (by PID, its config, files and certificates under the lab folder) on the
# addresses of the acme-http01 scenario. Port 80: 127.53.95.11 serves the
# token, 127.53.95.12 answers 404, nothing listens on 127.53.95.13,
# 127.53.95.14 redirects to port 8080. Port 443: .11 a current certificate
# for www and good, .12 one for another name, .15 an expired one, .16 one
# without its intermediate. Port 80 on .19, .20 and .21 redirects to
# other hosts: www (one address 404), good (serves it), nowhere (NXDOMAIN).
# Run as: DNSDOCTOR=/abs/path/build/dnsdoctor lab/netns bats tests/lab

load lab_helper
load tls_helper
bats_require_minimum_version 1.5.0

TOKEN=Xq7_lab-token-0123456789abcdefghijklmnopq
KEYAUTH=$TOKEN.lab-thumbprint-abcdefghijklmnopqrstuvwxyz01234
TOKEN2=Crlf_lab-token-0123456789abcdefghijklmnopq
TOKEN3=Lead_lab-token-0123456789abcdefghijklmnopq

setup_file() {
	nginx_require
	lab_start
	[ -z "$LAB_SKIP" ] || return 0
	local d=$LAB_TMP/nginx
	mkdir -p "$d/a/.well-known/acme-challenge" "$d/b" "$d/pki"
	mkcerts "$d/pki"
	export LAB_PKI=$d/pki
	printf '%s\n' "$KEYAUTH" >"$d/a/.well-known/acme-challenge/$TOKEN"
	# As people write it by hand: CRLF and spaces after it (the CA trims
	# trailing whitespace), and one with a space before it (it does not).
	printf '%s\r\n \t\n' "$TOKEN2.crlf-thumbprint" >"$d/a/.well-known/acme-challenge/$TOKEN2"
	printf ' %s\n' "$TOKEN3.lead-thumbprint" >"$d/a/.well-known/acme-challenge/$TOKEN3"
	nginx_conf "$d" <<CONF
	server { listen 127.53.95.11:80; root $d/a; }
	server { listen 127.53.95.12:80; root $d/b; }
	server { listen 127.53.95.14:80; return 302 http://\$host:8080\$request_uri; }
	server { listen 127.53.95.19:80; return 302 http://www.acme-http01.net\$request_uri; }
	server { listen 127.53.95.20:80; return 301 http://good.acme-http01.net\$request_uri; }
	server { listen 127.53.95.21:80; return 302 http://nowhere.acme-http01.net\$request_uri; }
	server { listen 127.53.95.11:443 ssl; ssl_certificate $d/pki/good.full.pem; ssl_certificate_key $d/pki/good.key; root $d/a; }
	server { listen 127.53.95.12:443 ssl; ssl_certificate $d/pki/other.full.pem; ssl_certificate_key $d/pki/other.key; root $d/b; }
	server { listen 127.53.95.15:443 ssl; ssl_certificate $d/pki/old.full.pem; ssl_certificate_key $d/pki/old.key; root $d/b; }
	server { listen 127.53.95.16:443 ssl; ssl_certificate $d/pki/nochain.pem; ssl_certificate_key $d/pki/nochain.key; root $d/b; }
CONF
	nginx_start "$d"
}
setup() { lab_skip_if_unavailable; }
teardown_file() {
	nginx_stop
	lab_stop
}

check() {
	run --separate-stderr "$DNSDOCTOR" check "$@" --json --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "# exit status: $status"
	echo "# stderr: $stderr"
	echo "# stdout: $output"
}
codes() { jq -r '[.findings[] | select(.severity != "info") | .code] | unique | join(" ")' <<<"$output"; }

@test "nginx serves the token on .11 and 404 on .12 (curl, pinned addresses)" {
	run curl -s --noproxy '*' --resolve "www.acme-http01.net:80:127.53.95.11" "http://www.acme-http01.net/.well-known/acme-challenge/$TOKEN"
	[ "$output" = "$KEYAUTH" ]
	run curl -s -o /dev/null -w '%{http_code}' --noproxy '*' --resolve "www.acme-http01.net:80:127.53.95.12" "http://www.acme-http01.net/.well-known/acme-challenge/$TOKEN"
	[ "$output" = 404 ]
}

# bats test_tags=under_valgrind
@test "http-01: one of two load balancers answers 404: HTTP01_BAD_RESPONSE names it, and the other as fine" {
	check www.acme-http01.net --acme --challenge http-01 --token "$TOKEN"
	[ "$status" -eq 2 ]
	[ "$(codes)" = HTTP01_BAD_RESPONSE ]
	jq -e '.findings[0].summary | test("127.53.95.12 answers 404") and test("127.53.95.11 answers as the CA expects")' <<<"$output"
	jq -e '.findings[0].evidence.fetches | length == 1' <<<"$output"
}

@test "http-01: the exact key authorisation is compared when given" {
	check www.acme-http01.net --acme --challenge http-01 --token "$TOKEN" --key-auth "$TOKEN.another-thumbprint"
	[ "$(codes)" = HTTP01_BAD_RESPONSE ]
	jq -e '.findings[0].evidence.fetches | length == 2' <<<"$output"
}

# bats test_tags=under_valgrind
@test "http-01: the file ends in a newline (echo > file), as the CA accepts: --key-auth matches it" {
	# The file on .11 is printf '%s\n' KEYAUTH; only the 404 of .12 is wrong.
	check www.acme-http01.net --acme --challenge http-01 --token "$TOKEN" --key-auth "$KEYAUTH"
	[ "$status" -eq 2 ]
	[ "$(codes)" = HTTP01_BAD_RESPONSE ]
	jq -e '.findings[0].evidence.fetches | length == 1' <<<"$output"
	jq -e '.findings[0].evidence.fetches[0].addr == "127.53.95.12"' <<<"$output"
	jq -e '.findings[0].summary | test("127.53.95.11 answers as the CA expects")' <<<"$output"
	# The body is shown with its escapes; the comparison was on the bytes:
	# the good file (on .11) holds KEYAUTH and a newline, shown as \x0a
	check good.acme-http01.net --acme --challenge http-01 --token "$TOKEN" --key-auth "$TOKEN.x" --save-evidence "$BATS_TEST_TMPDIR/nl.json"
	jq -e --arg k "$KEYAUTH" '.http01[0].body == ($k + "\\x0a")' "$BATS_TEST_TMPDIR/nl.json"
	check good.acme-http01.net --acme --challenge http-01 --token "$TOKEN" --key-auth "$KEYAUTH"
	[ "$status" -eq 0 ]
	[ "$(codes)" = "" ]
}

@test "http-01: CRLF, spaces and tabs after the key authorisation are trimmed; a space before it is not" {
	check good.acme-http01.net --acme --challenge http-01 --token "$TOKEN2" --key-auth "$TOKEN2.crlf-thumbprint"
	[ "$status" -eq 0 ]
	[ "$(codes)" = "" ]
	check good.acme-http01.net --acme --challenge http-01 --token "$TOKEN3" --key-auth "$TOKEN3.lead-thumbprint"
	[ "$status" -eq 2 ]
	[ "$(codes)" = HTTP01_BAD_RESPONSE ]
	jq -e '.findings[0].summary | test("127.53.95.11 answers 200 with \" Lead_lab-token")' <<<"$output"
	# Without the thumbprint only the token's prefix is known: a leading space fails too.
	check good.acme-http01.net --acme --challenge http-01 --token "$TOKEN3"
	[ "$(codes)" = HTTP01_BAD_RESPONSE ]
	check good.acme-http01.net --acme --challenge http-01 --token "$TOKEN2"
	[ "$(codes)" = "" ]
}

@test "http-01 without a token: both addresses answer HTTP, nothing to report" {
	check www.acme-http01.net --acme --challenge http-01
	[ "$status" -eq 0 ]
	[ "$(codes)" = "" ]
}

# bats test_tags=under_valgrind
@test "http-01: an address nothing listens on is HTTP01_UNREACHABLE" {
	check down.acme-http01.net --acme --challenge http-01 --token "$TOKEN"
	[ "$status" -eq 2 ]
	[ "$(codes)" = HTTP01_UNREACHABLE ]
	jq -e '.findings[0].summary | test("127.53.95.13 \\(connect-failed")' <<<"$output"
}

# bats test_tags=under_valgrind
@test "http-01: a redirect to port 8080 is not followed, as a CA does not (name reached through a CNAME)" {
	check redir.acme-http01.net --acme --challenge http-01 --token "$TOKEN"
	[ "$(codes)" = HTTP01_UNREACHABLE ]
	jq -e '.findings[0].summary | test("127.53.95.14 \\(redirect-refused: redirect to http://redir.acme-http01.net:8080/")' <<<"$output"
}

# bats test_tags=under_valgrind
@test "http-01 results travel with the evidence: analyze gives the same codes" {
	check www.acme-http01.net --acme --challenge http-01 --token "$TOKEN" --save-evidence "$BATS_TEST_TMPDIR/ev.json"
	local live
	live=$(codes)
	run --separate-stderr "$DNSDOCTOR" analyze "$BATS_TEST_TMPDIR/ev.json" --json
	[ "$(codes)" = "$live" ]
	[ "$live" = HTTP01_BAD_RESPONSE ]
}

cert() {
	run --separate-stderr "$DNSDOCTOR" cert "$@" --json --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "# exit status: $status"
	echo "# stderr: $stderr"
	echo "# stdout: $output"
}

# bats test_tags=under_valgrind
@test "cert: the two backends of www serve different certificates; one does not cover the name" {
	cert www.acme-http01.net --ca-file "$LAB_PKI/root.pem"
	[ "$status" -eq 2 ]
	[ "$(codes)" = "CERT_DIFFERS_ACROSS_ADDRESSES CERT_NAME_MISMATCH" ]
	jq -e '.findings[] | select(.code == "CERT_NAME_MISMATCH") | .evidence.addresses == ["127.53.95.12"]' <<<"$output"
	jq -e '.findings[] | select(.code == "CERT_NAME_MISMATCH") | .summary | test("127.53.95.12 \\(covers other.acme-http01.net\\)")' <<<"$output"
	jq -e '[.addresses[] | .sha256] | unique | length == 2' <<<"$output"
	# The human report in the layout every command shares (report/layout.h).
	run "$DNSDOCTOR" cert www.acme-http01.net --ca-file "$LAB_PKI/root.pem" --root-hints "$DNSDOCTOR_ROOT_HINTS"
	[ "$status" -eq 2 ]
	echo "$output"
	[ "$(sed -n 1p <<<"$output")" = "www.acme-http01.net port 443  ERROR" ]
	[[ "$(sed -n 3p <<<"$output")" == "  "[!\ ]* ]]
	grep -qx '  Fix:' <<<"$output"
	grep -qx 'Findings (1 error, 1 warning)' <<<"$output"
	grep -Eq '^  127\.53\.95\.12 +until ' <<<"$output"
}

@test "cert: one address, a current certificate with its chain: nothing to report" {
	cert good.acme-http01.net:443 --ca-file "$LAB_PKI/root.pem"
	[ "$status" -eq 0 ]
	[ "$(codes)" = "" ]
	jq -e '.addresses[0].chain == "ok"' <<<"$output"
}

@test "cert: an expired certificate is CERT_EXPIRED" {
	cert old.acme-http01.net --ca-file "$LAB_PKI/root.pem"
	[ "$status" -eq 2 ]
	[ "$(codes)" = CERT_EXPIRED ]
	jq -e '.findings[0].summary | test("valid until 2020-02-01T00:00:00Z")' <<<"$output"
}

@test "cert --format nagios: the days left before the earliest expiry are cert_days_left, with --warn-days and 0 as thresholds" {
	run --separate-stderr "$DNSDOCTOR" cert good.acme-http01.net --ca-file "$LAB_PKI/root.pem" --format nagios --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "# exit $status; stdout: $output; stderr: $stderr"
	[ "$status" -eq 0 ]
	[[ $output =~ ^DNSDOCTOR\ OK\ -\ good\.acme-http01\.net:443:\ [^|]+\ \|\ queries=[0-9]+\ duration=[0-9.]+s\ errors=0\ warnings=0\ cert_days_left=(8[0-9]|90)\;21:\;0:$ ]]
	run --separate-stderr "$DNSDOCTOR" cert old.acme-http01.net --ca-file "$LAB_PKI/root.pem" --format nagios --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "# exit $status; stdout: $output; stderr: $stderr"
	[ "$status" -eq 2 ]
	[[ ${output%%$'\n'*} =~ ^DNSDOCTOR\ CRITICAL\ -\ old\.acme-http01\.net:443:\ CERT_EXPIRED\ -\ .*\ cert_days_left=-[0-9]+\;21:\;0:$ ]]
}

# bats test_tags=under_valgrind
@test "cert: a leaf served without its intermediate is CERT_CHAIN_INCOMPLETE" {
	cert nochain.acme-http01.net --ca-file "$LAB_PKI/root.pem"
	[ "$(codes)" = CERT_CHAIN_INCOMPLETE ]
}

@test "cert: against the system store the lab root is unknown: CERT_CHAIN_INCOMPLETE" {
	cert good.acme-http01.net
	[ "$(codes)" = CERT_CHAIN_INCOMPLETE ]
}

@test "cert: --warn-days beyond the certificate's 90 days is CERT_EXPIRING_SOON" {
	cert good.acme-http01.net --ca-file "$LAB_PKI/root.pem" --warn-days 100
	[ "$status" -eq 1 ]
	[ "$(codes)" = CERT_EXPIRING_SOON ]
}

# bats test_tags=under_valgrind
@test "cert: no TLS on any address is exit 3, one line naming an address and why; --json says the same" {
	local why="no address of redir.acme-http01.net completed a TLS handshake on port 443: 127.53.95.14 connect-failed (Connection refused)"
	cert redir.acme-http01.net --ca-file "$LAB_PKI/root.pem"
	[ "$status" -eq 3 ]
	[ "$stderr" = "dnsdoctor: $why" ]
	# under --json, stdout is the envelope with the same reason
	jq -e --arg why "$why" '.exit == 3 and .verdict == "unknown" and .error == $why and .findings == []' <<<"$output"
	run --separate-stderr "$DNSDOCTOR" cert redir.acme-http01.net --ca-file "$LAB_PKI/root.pem" --root-hints "$DNSDOCTOR_ROOT_HINTS"
	[ "$status" -eq 3 ]
	[ "$output" = "" ]
}

@test "http-01 --replay answers from the evidence, not from the servers" {
	local ev=$BATS_TEST_TMPDIR/ev.json tok=$LAB_TMP/nginx/a/.well-known/acme-challenge/$TOKEN
	check www.acme-http01.net --acme --challenge http-01 --token "$TOKEN" --save-evidence "$ev"
	[ "$(codes)" = HTTP01_BAD_RESPONSE ]
	mv "$tok" "$tok.away"
	check www.acme-http01.net --acme --challenge http-01 --token "$TOKEN"
	local live_fetches
	live_fetches=$(jq '.findings[0].evidence.fetches | length' <<<"$output")
	check www.acme-http01.net --acme --challenge http-01 --token "$TOKEN" --replay "$ev"
	mv "$tok.away" "$tok"
	[ "$live_fetches" = 2 ]
	[ "$(codes)" = HTTP01_BAD_RESPONSE ]
	jq -e '.findings[0].evidence.fetches | length == 1' <<<"$output"
	jq -e '.findings[0].summary | test("127.53.95.11 answers as the CA expects")' <<<"$output"
}

# bats test_tags=under_valgrind
@test "cert evidence: --save-evidence, analyze and --replay give the same report" {
	local ev=$BATS_TEST_TMPDIR/cert.json
	cert www.acme-http01.net --ca-file "$LAB_PKI/root.pem" --save-evidence "$ev"
	[ "$status" -eq 2 ]
	local live
	live=$(jq -S '{exit, addresses, findings}' <<<"$output")
	jq -e '.command == "cert" and (.tls | length == 2) and (.cert.port == 443) and (.cert.ca_pem | startswith("-----BEGIN"))' "$ev"
	run --separate-stderr "$DNSDOCTOR" analyze "$ev" --json
	[ "$status" -eq 2 ]
	[ "$(jq -S '{exit, addresses, findings}' <<<"$output")" = "$live" ]
	# The roots came from the evidence: no --ca-file is needed to re-judge.
	cert www.acme-http01.net --replay "$ev"
	[ "$status" -eq 2 ]
	[ "$(jq -S '{exit, addresses, findings}' <<<"$output")" = "$live" ]
}

@test "cert evidence with a broken tls record is one line on stderr and exit 3" {
	local ev=$BATS_TEST_TMPDIR/cert.json
	cert good.acme-http01.net --ca-file "$LAB_PKI/root.pem" --save-evidence "$ev"
	[ "$status" -eq 0 ]
	jq '.tls[0] = {"addr": 1}' "$ev" >"$ev.bad"
	run --separate-stderr "$DNSDOCTOR" analyze "$ev.bad"
	[ "$status" -eq 3 ]
	[ "$output" = "" ]
	[ "$(wc -l <<<"$stderr")" -eq 1 ]
	[[ "$stderr" == *"not a TLS result"* ]]
	run --separate-stderr "$DNSDOCTOR" analyze "$ev.bad" --json
	[ "$status" -eq 3 ]
	jq -e '.exit == 3 and (.error | test("not a TLS result"))' <<<"$output"
}

# bats test_tags=under_valgrind
@test "cert: an address that accepts TCP but never speaks TLS times out alone; the other is still judged" {
	# A listener that never accepts: the kernel completes the TCP handshake,
	# the ClientHello is never answered.
	python3 -c 'import socket,time
s=socket.socket(); s.bind(("127.53.95.13",443)); s.listen(8)
open("'"$BATS_TEST_TMPDIR"'/ready","w").close(); time.sleep(600)' &
	local pid=$!
	for _ in $(seq 50); do [ -e "$BATS_TEST_TMPDIR/ready" ] && break; sleep 0.1; done
	cert down.acme-http01.net --ca-file "$LAB_PKI/root.pem"
	kill "$pid"
	wait "$pid" || true
	[ "$status" -eq 2 ]
	jq -e '.addresses[] | select(.address == "127.53.95.13") | .status == "timeout" and (.detail | test("no handshake within"))' <<<"$output"
	jq -e '.addresses[] | select(.address == "127.53.95.11") | .status == "ok"' <<<"$output"
	[ "$(codes)" = CERT_NAME_MISMATCH ]
}

@test "wildcard: *.acme-healthy.org is checked at acme-healthy.org, where issuewild \";\" forbids every CA" {
	check '*.acme-healthy.org' --acme --ca letsencrypt --txt healthy-token-0123456789abcdefghijklmnopqrst
	[ "$status" -eq 2 ]
	[ "$(codes)" = CAA_FORBIDS_ISSUER ]
	# the name asked about, wildcard kept
	jq -e '.domain == "*.acme-healthy.org." and .zone == "acme-healthy.org."' <<<"$output"
	jq -e '.findings[0].summary | test("issuewild")' <<<"$output"
	# the cause is the issuewild record, not a missing issue record (one
	# that names Let's Encrypt exists)
	jq -e '.findings[0].evidence.reason | test("issuewild records rule")' <<<"$output"
	jq -e '.findings[0].summary | test("no issue record names") | not' <<<"$output"
	jq -e '.findings[0].fix | test("CAA 0 issuewild \"letsencrypt.org\"") and (test("CAA 0 issue \"") | not)' <<<"$output"
	run --separate-stderr "$DNSDOCTOR" check '*.acme-healthy.org' --acme --ca letsencrypt --root-hints "$DNSDOCTOR_ROOT_HINTS"
	[[ "${lines[0]}" == "*.acme-healthy.org."* ]]
	# The same name without the wildcard: issue allows Let's Encrypt.
	check acme-healthy.org --acme --ca letsencrypt --txt healthy-token-0123456789abcdefghijklmnopqrst
	[ "$status" -eq 0 ]
}

@test "wildcard: without --acme or --acm a wildcard name is one line, exit 3" {
	check '*.acme-healthy.org'
	[ "$status" -eq 3 ]
	[ "$(wc -l <<<"$stderr")" -eq 1 ]
	[[ "$stderr" == *"wildcard"* ]]
	jq -e '.exit == 3 and (.error | test("wildcard"))' <<<"$output"
}

# bats test_tags=under_valgrind
@test "http-01: a redirect to another host is followed there, to every address: one answers 404" {
	check hop.acme-http01.net --acme --challenge http-01 --token "$TOKEN"
	[ "$status" -eq 2 ]
	[ "$(codes)" = HTTP01_BAD_RESPONSE ]
	jq -e '.findings[0].summary | test("127.53.95.19 redirects to http://www.acme-http01.net/.well-known/acme-challenge/[^ ]*, where 127.53.95.12 answers 404")' <<<"$output"
}

@test "http-01: a redirect to another host that serves the token is fine" {
	check hopgood.acme-http01.net --acme --challenge http-01 --token "$TOKEN" --save-evidence "$BATS_TEST_TMPDIR/ev.json"
	[ "$status" -eq 0 ]
	[ "$(codes)" = "" ]
	jq -e '[.http01[] | select(.start | test("//good.acme-http01.net/")) | .status] == ["ok"]' "$BATS_TEST_TMPDIR/ev.json"
	run --separate-stderr "$DNSDOCTOR" analyze "$BATS_TEST_TMPDIR/ev.json" --json
	[ "$status" -eq 0 ]
}

# bats test_tags=under_valgrind
@test "http-01: a redirect to a host that does not exist is HTTP01_UNREACHABLE" {
	check hopnowhere.acme-http01.net --acme --challenge http-01 --token "$TOKEN"
	[ "$status" -eq 2 ]
	[ "$(codes)" = HTTP01_UNREACHABLE ]
	jq -e '.findings[0].summary | test("127.53.95.21 \\(redirect to http://nowhere.acme-http01.net/[^ ]*, whose host has no address")' <<<"$output"
}
