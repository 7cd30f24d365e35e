#!/usr/bin/env bats
# check --acme / --acm on the command line (issue 5): bad values are one
# line and exit 3; the evidence recorded from the lab scenarios
# (tests/fixtures/evidence) re-analysed offline gives the codes their
# manifests name, with the summaries that say what to fix.

load helpers

FIX=$BATS_TEST_DIRNAME/../fixtures/evidence

codes() { jq -r '[.findings[] | select(.severity != "info") | .code] | unique | join(" ")' <<<"$output"; }

@test "--challenge takes dns-01 or http-01 only" {
	ddr check example.com --challenge tls-alpn-01 --root-hints "$HINTS"
	[ "$status" -eq 3 ]
	[ "$stderr" = "dnsdoctor: --challenge wants dns-01 or http-01, not 'tls-alpn-01'" ]
}

@test "--acm without NAME=TARGET is one line and exit 3" {
	ddr check example.com --acm _abc.example.com --root-hints "$HINTS"
	[ "$status" -eq 3 ]
	[ "$stderr" = "dnsdoctor: --acm wants NAME=TARGET, as ACM shows them" ]
}

@test "--acm with a bad name is one line and exit 3, the byte shown escaped" {
	ddr check example.com --acm $'_a\x1b[31m.example.com=_b.acm-validations.aws' --root-hints "$HINTS"
	[ "$status" -eq 3 ]
	[[ "$stderr" == "dnsdoctor: --acm: "* ]]
	[[ "$stderr" != *$'\x1b'* ]]
}

@test "every validation code has an explanation" {
	local c
	for c in CAA_FORBIDS_ISSUER CAA_LOOKUP_FAILED ACME_CHALLENGE_MISSING \
		ACME_CHALLENGE_VALUE_MISMATCH ACME_CHALLENGE_DOUBLED_LABEL CNAME_DANGLING \
		CNAME_LOOP ACM_VALIDATION_CNAME_MISSING; do
		ddr explain "$c"
		[ "$status" -eq 0 ]
		[[ "${lines[0]}" == "# $c — "* ]]
	done
}

@test "analyze: CAA inherited from the parent name names the CA and the records" {
	ddr analyze "$FIX/acme-caa-parent.json" --json
	[ "$status" -eq 2 ]
	[ "$(codes)" = CAA_FORBIDS_ISSUER ]
	jq -e '.findings[] | select(.code == "CAA_FORBIDS_ISSUER") | .summary | test("acme-caa.com. \\(which www.acme-caa.com. inherits\\) forbids Let.s Encrypt")' <<<"$output"
	jq -e '.findings[] | select(.code == "CAA_FORBIDS_ISSUER") | .evidence.records | map(.value) | index("digicert.com")' <<<"$output"
}

@test "analyze: the seed's DNS-01 record is only on servers the parent does not delegate to" {
	ddr analyze "$FIX/seed-refused-acme.json" --json
	[ "$(codes)" = "ACME_CHALLENGE_MISSING EXPECTED_NS_MISMATCH LAME_DELEGATION ZONE_UNREACHABLE" ]
	jq -e '.findings[] | select(.code == "ACME_CHALLENGE_MISSING") | .summary | test("exists only on ns-1267.awsdns-30.org., .* which the parent \\(com.\\) does not delegate to")' <<<"$output"
}

@test "analyze: ACM typos are named: the name doubled, the target without its final dot" {
	ddr analyze "$FIX/acm-typo.json" --json
	[ "$(codes)" = ACM_VALIDATION_CNAME_MISSING ]
	[ "$(jq '[.findings[] | select(.code == "ACM_VALIDATION_CNAME_MISSING")] | length' <<<"$output")" -eq 2 ]
	jq -e '[.findings[].summary] | any(test("A CNAME sits at _a1b2c3.acm-typo.org.acm-typo.org. instead: the domain pasted twice"))' <<<"$output"
	jq -e '[.findings[].summary] | any(test("Its target is _1d1e1f.xkcdtest.acm-validations.aws.acm-typo.org. instead of"))' <<<"$output"
	# The correct third record raises nothing.
	jq -e '[.findings[].summary] | all(test("_9f8e7d") | not)' <<<"$output"
}

@test "analyze: the dangling and the looping challenge CNAME chains are spelt out" {
	ddr analyze "$FIX/acme-dangling.json" --json
	[ "$(codes)" = CNAME_DANGLING ]
	jq -e '.findings[0].evidence.chain == ["_acme-challenge.acme-dangling.net.", "7e1f2a.auth.acme-dns-gone.com."]' <<<"$output"
	ddr analyze "$FIX/acme-cname-loop.json" --json
	[ "$(codes)" = CNAME_LOOP ]
	jq -e '.findings[0].evidence.chain | length == 4' <<<"$output"
}

@test "analyze: a name without records in its zone is checked in that zone, not called undelegated" {
	ddr analyze "$FIX/acme-doubled-nxdomain.json" --json
	[ "$(codes)" = "ACME_CHALLENGE_DOUBLED_LABEL ACME_CHALLENGE_MISSING" ]
	jq -e '.zone == "acme-nxdomain.net." and .parent == "net."' <<<"$output"
	ddr analyze "$FIX/acme-doubled-nxdomain.json"
	[[ $output == *"Note: api.acme-nxdomain.net. has no records: the servers of"* ]]
}

@test "analyze: were its zone a public suffix (co.uk.), the same NXDOMAIN is DOMAIN_NOT_DELEGATED" {
	jq '.public_suffix_labels = 2' "$FIX/acme-doubled-nxdomain.json" >"$BATS_TEST_TMPDIR/psl.json"
	ddr analyze "$BATS_TEST_TMPDIR/psl.json" --json
	[ "$(codes)" = DOMAIN_NOT_DELEGATED ]
	jq '.public_suffix_labels = "two"' "$FIX/acme-doubled-nxdomain.json" >"$BATS_TEST_TMPDIR/bad.json"
	ddr analyze "$BATS_TEST_TMPDIR/bad.json"
	[ "$status" -eq 3 ]
	[[ $stderr == *"public_suffix_labels is not a label count"* ]]
}

@test "check: a public suffix list that cannot be read is one line, exit 3, before any query" {
	DNSDOCTOR_PUBLIC_SUFFIX_LIST=/nonexistent/psl.dat ddr check example.com --root-hints "$HINTS"
	[ "$status" -eq 3 ]
	[ "$output" = "" ]
	[[ $stderr == "dnsdoctor: cannot read public suffix list /nonexistent/psl.dat"* ]]
}

@test "analyze: the healthy ACME zone is clean and its evidence keeps the options" {
	ddr analyze "$FIX/acme-healthy.json" --json
	[ "$status" -eq 0 ]
	[ "$(codes)" = "" ]
	jq -e '.validation | index("acme")' "$FIX/acme-healthy.json"
}

@test "--token takes a base64url token only (it becomes part of a URL)" {
	ddr check example.com --acme --challenge http-01 --token 'a/../b' --root-hints "$HINTS"
	[ "$status" -eq 3 ]
	[ "$stderr" = "dnsdoctor: --token wants a base64url ACME token (A-Z a-z 0-9 - _)" ]
}

@test "cert: a bad port, no host, a bad --warn-days: one line, exit 3" {
	ddr cert example.com:99999 --root-hints "$HINTS"
	[ "$status" -eq 3 ]
	[ "$stderr" = "dnsdoctor: cert wants HOST or HOST:PORT (a port from 1 to 65535)" ]
	ddr cert --root-hints "$HINTS"
	[ "$status" -eq 3 ]
	[ "$stderr" = "dnsdoctor: cert wants exactly one HOST[:PORT] (see dnsdoctor --help)" ]
	ddr cert example.com --warn-days soon --root-hints "$HINTS"
	[ "$status" -eq 3 ]
	[ "$stderr" = "dnsdoctor: --warn-days wants days between 0 and 3650, not 'soon'" ]
}

@test "cert: an unreadable --ca-file is one line, exit 3" {
	ddr cert example.com --ca-file /nonexistent/roots.pem --root-hints "$HINTS"
	[ "$status" -eq 3 ]
	[ "$stderr" = "dnsdoctor: cannot read --ca-file /nonexistent/roots.pem: No such file or directory" ]
}

@test "cert: a --ca-file without a certificate, or with a NUL, is one line, exit 3" {
	printf 'not a certificate\n' >"$BATS_TEST_TMPDIR/roots.pem"
	ddr cert example.com --ca-file "$BATS_TEST_TMPDIR/roots.pem" --root-hints "$HINTS"
	[ "$status" -eq 3 ]
	[ "$stderr" = "dnsdoctor: the --ca-file holds no PEM certificate" ]
	printf 'a\0b' >"$BATS_TEST_TMPDIR/nul.pem"
	ddr cert example.com --ca-file "$BATS_TEST_TMPDIR/nul.pem" --root-hints "$HINTS"
	[ "$status" -eq 3 ]
	[ "$stderr" = "dnsdoctor: $BATS_TEST_TMPDIR/nul.pem is not a PEM file" ]
}
