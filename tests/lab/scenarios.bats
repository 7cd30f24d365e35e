#!/usr/bin/env bats
# One test per lab scenario: `dnsdoctor check` must report exactly the finding
# codes (severity warning or error) that lab/scenarios/NAME/manifest expects,
# and exit 0 when it expects none, 1 or 2 otherwise (and consistently with the
# severities it printed).
# Run as: DNSDOCTOR=/abs/path/build/dnsdoctor lab/netns bats tests/lab

load lab_helper
bats_require_minimum_version 1.5.0

setup_file() {
	if [ -z "${DNSDOCTOR:-}" ]; then
		export LAB_SKIP="DNSDOCTOR is not set (DNSDOCTOR=/abs/path/to/build/dnsdoctor)"
	elif [ ! -x "$DNSDOCTOR" ]; then
		export LAB_SKIP="DNSDOCTOR=$DNSDOCTOR is not an executable"
	fi
	lab_start
}
setup() { [[ "$BATS_TEST_DESCRIPTION" == "every scenario folder"* ]] || lab_skip_if_unavailable; }
teardown_file() { lab_stop; }

scenario() {
	local name=$1 m="$LAB_SRC/scenarios/$1/manifest" domain args expect got want worst
	[ -f "$m" ] || { echo "no manifest: $m"; return 1; }
	domain=$(manifest_get "$m" domain)
	args=$(expand_env "$(manifest_get "$m" args)")
	expect=$(manifest_get "$m" expect)

	# shellcheck disable=SC2086 # args is a word list by design
	run --separate-stderr "$DNSDOCTOR" check "$domain" $args --json --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "# $DNSDOCTOR check $domain $args --json --root-hints $DNSDOCTOR_ROOT_HINTS"
	echo "# exit status: $status"
	echo "# stderr: $stderr"
	echo "# stdout: $output"

	if ! jq -e .findings >/dev/null <<<"$output"; then
		echo "stdout is not JSON with .findings"
		return 1
	fi
	got=$(jq -r '.findings[] | select(.severity == "warning" or .severity == "error") | .code' <<<"$output" | sort -u | tr '\n' ' ')
	want=$(tr ' ' '\n' <<<"$expect" | grep . | sort -u | tr '\n' ' ' || true)
	worst=$(jq -r '[.findings[].severity] | if index("error") then 2 elif index("warning") then 1 else 0 end' <<<"$output")
	echo "# expected: [$want]"
	echo "# got:      [$got]"
	[ "$got" = "$want" ]
	if [ -z "$want" ]; then
		[ "$status" -eq 0 ]
	else
		[ "$status" -eq 1 ] || [ "$status" -eq 2 ]
	fi
	# The exit status follows the findings it printed (0 none, 1 warnings, 2 errors).
	[ "$status" -eq "$worst" ]
}

@test "every scenario folder has a test in this file" {
	local d missing=""
	for d in "$LAB_SRC"/scenarios/*/; do
		d=$(basename "$d")
		grep -qs "^@test \"scenario $d:" "$BATS_TEST_FILENAME" || missing="$missing $d"
	done
	echo "missing:$missing"
	[ -z "$missing" ]
}

@test "scenario healthy: 3 servers, 3 programs, consistent: nothing to report" { scenario healthy; }
@test "scenario seed-refused: old servers REFUSE, --expect-ns names the new ones" { scenario seed-refused; }
@test "scenario seed-refused-noexpect: old servers REFUSE, no --expect-ns" { scenario seed-refused-noexpect; }
@test "scenario seed-stale: old servers serve a stale copy, --expect-ns names the new ones" { scenario seed-stale; }
@test "scenario seed-stale-noexpect: stale copy, no --expect-ns: invisible" { scenario seed-stale-noexpect; }
@test "scenario partial-ns: half-done NS change" { scenario partial-ns; }
@test "scenario deleg-move: delegated to the old servers, the new ones ready: nothing to report" { scenario deleg-move; }
@test "scenario lame-refused: one server REFUSED" { scenario lame-refused; }
@test "scenario whatif-move: provider move not made yet, old b REFUSED (check --ns: whatif.bats)" { scenario whatif-move; }
@test "scenario lame-referral: one server answers with a referral" { scenario lame-referral; }
@test "scenario dead-server: nothing listens on one address" { scenario dead-server; }
@test "scenario serial-lag: one server has an older serial" { scenario serial-lag; }
@test "scenario propagation-lag: two copies, identical at start" { scenario propagation-lag; }
# bats test_tags=under_valgrind
@test "scenario acme-lag: RFC 2136 primary and a lagging copy, identical at start" { scenario acme-lag; }
# bats test_tags=under_valgrind
@test "scenario acme-stale-secondary: challenge TXT right on one server, stale on the other" { scenario acme-stale-secondary; }
# bats test_tags=under_valgrind
@test "scenario acme-moved: the delegation still points at the old provider" { scenario acme-moved; }
# bats test_tags=under_valgrind
@test "scenario acme-precheck-servfail: B answers SERVFAIL to TXT only; the check asks none: nothing to report" { scenario acme-precheck-servfail; }
# bats test_tags=under_valgrind
@test "scenario acme-precheck-silent: B never answers" { scenario acme-precheck-silent; }
@test "scenario glue-mismatch: glue differs from the zone's A record" { scenario glue-mismatch; }
@test "scenario glue-missing: in-bailiwick NS without glue" { scenario glue-missing; }
@test "scenario ns-cname: an NS name is a CNAME" { scenario ns-cname; }
@test "scenario ns-unresolvable: an NS name is NXDOMAIN" { scenario ns-unresolvable; }
@test "scenario too-few-ns: a single NS" { scenario too-few-ns; }
@test "scenario too-few-ns-child: two servers at net., one in the zone's own NS RRset" { scenario too-few-ns-child; }
@test "scenario shared-address: two NS names on one address" { scenario shared-address; }
@test "scenario referral-size: NS and glue over 512 octets" { scenario referral-size; }
@test "scenario ns-refused-types: one server answers SOA, REFUSED to NS and DNSKEY" { scenario ns-refused-types; }
@test "scenario lame-no-aa: one server answers without the AA bit" { scenario lame-no-aa; }
@test "scenario ns-edns-version: one server answers EDNS version 1 as version 0, no BADVERS" { scenario ns-edns-version; }
@test "scenario ns-edns-unknown: one server answers FORMERR to an unknown EDNS option or flag" { scenario ns-edns-unknown; }
@test "scenario ns-drop-do: one server drops queries with the DO bit" { scenario ns-drop-do; }
@test "scenario ns-case: one server lower-cases the question (0x20)" { scenario ns-case; }
@test "scenario ns-aaaa-dropped: one server drops AAAA questions" { scenario ns-aaaa-dropped; }
@test "scenario axfr-open: BIND gives AXFR to anyone: NS_AXFR_OPEN, info only" {
	scenario axfr-open
	jq -e '[.findings[] | select(.code == "NS_AXFR_OPEN" and .severity == "info" and .evidence.address == "127.53.79.20")] | length == 1' <<<"$output"
}
# bats test_tags=under_valgrind
@test "scenario dnssec-island: signed, valid, no DS at com.: an island of security" { scenario dnssec-island; }
# bats test_tags=under_valgrind
@test "scenario dnssec-island-expired: signed, expired 3 days ago, no DS at org.: its own signatures fail, nobody validates them" { scenario dnssec-island-expired; }
# bats test_tags=under_valgrind
@test "scenario dnssec-under-unsigned: signed, valid, under unsigned alpha-dns.net.: clean" { scenario dnssec-under-unsigned; }
@test "scenario dnssec-under-unsigned-expired: signed, expired, under unsigned alpha-dns.net.: its own signatures fail" { scenario dnssec-under-unsigned-expired; }
# bats test_tags=under_valgrind
@test "scenario dnssec-ds-sha1: the DS at net. is SHA-1 only" { scenario dnssec-ds-sha1; }
# bats test_tags=under_valgrind
@test "scenario dnssec-nsec3-iterations: NSEC3 with 10 iterations and a salt" { scenario dnssec-nsec3-iterations; }
# bats test_tags=under_valgrind
@test "scenario dnssec-alg-rsasha1: signed with RSASHA1 (5)" { scenario dnssec-alg-rsasha1; }
# bats test_tags=under_valgrind
@test "scenario dnssec-rsa-1024: signed with a 1024-bit RSASHA256 key" { scenario dnssec-rsa-1024; }
# bats test_tags=under_valgrind
@test "scenario dnssec-alg-not-signing: algorithm 8 in the key set signs no SOA or NS" { scenario dnssec-alg-not-signing; }
# bats test_tags=under_valgrind
@test "scenario dnssec-cds-healthy: CDS and CDNSKEY of the zone's key, signed, on both servers: clean" { scenario dnssec-cds-healthy; }
# bats test_tags=under_valgrind
@test "scenario dnssec-cds-invalid: CDS and CDNSKEY for a key the zone does not have" { scenario dnssec-cds-invalid; }
@test "scenario dnssec-cds-inconsistent: one server publishes CDS and CDNSKEY, the other none" { scenario dnssec-cds-inconsistent; }
@test "scenario dnssec-cds-delete: the delete form is info only" { scenario dnssec-cds-delete; }
@test "scenario not-delegated: NXDOMAIN at the TLD" { scenario not-delegated; }
@test "scenario silent-server: one server drops every packet" { scenario silent-server; }
@test "scenario no-tcp: one server's TCP port is firewalled" { scenario no-tcp; }
@test "scenario cohosted: the parent's servers serve the child too" { scenario cohosted; }
# bats test_tags=under_valgrind
@test "scenario dnssec-ds-unsigned: DS at com. for a zone its servers serve unsigned (no DNSKEY): bogus" { scenario dnssec-ds-unsigned; }
# bats test_tags=under_valgrind
@test "scenario dnssec-expired: every signature expired 3 days ago: bogus" { scenario dnssec-expired; }
# bats test_tags=under_valgrind
@test "scenario dnssec-expiring-soon: valid signatures that expire 2 days after lab/lab up" { scenario dnssec-expiring-soon; }
# bats test_tags=under_valgrind
@test "scenario dnssec-healthy: signed zone (ECDSAP256SHA256, NSEC) with its DS at com., served by NSD, Knot and BIND: validates" { scenario dnssec-healthy; }
# bats test_tags=under_valgrind
@test "scenario dnssec-healthy-nsec3: signed zone (ECDSAP256SHA256, NSEC3 0 iterations, no salt) with its DS at org., Knot and BIND: validates" { scenario dnssec-healthy-nsec3; }
# bats test_tags=under_valgrind
@test "scenario dnssec-not-yet-valid: every signature has its inception 3 days in the future: bogus" { scenario dnssec-not-yet-valid; }
# bats test_tags=under_valgrind
@test "scenario dnssec-one-unsigned: DS at net.; server A (NSD) serves the signed zone, server B (Knot) the same zone unsigned" { scenario dnssec-one-unsigned; }
# bats test_tags=under_valgrind
@test "scenario dnssec-rrsig-invalid: the SOA edited after signing: its signature does not verify" { scenario dnssec-rrsig-invalid; }
# bats test_tags=under_valgrind
@test "scenario dnssec-rollover-bad: DS at net. matches the old key; the zone is signed with a new key only: bogus" { scenario dnssec-rollover-bad; }
# bats test_tags=under_valgrind
@test "scenario hostile-wrong-id: one server answers with another query ID" { scenario hostile-wrong-id; }
# bats test_tags=under_valgrind
@test "scenario hostile-other-source: one server answers UDP from another address" { scenario hostile-other-source; }
# bats test_tags=under_valgrind
@test "scenario hostile-wrong-question: one server answers another question" { scenario hostile-wrong-question; }
# bats test_tags=under_valgrind
@test "scenario hostile-garbage: one server answers random bytes" { scenario hostile-garbage; }
# bats test_tags=under_valgrind
@test "scenario hostile-counts-lie: one server's header claims records it lacks" { scenario hostile-counts-lie; }
# bats test_tags=under_valgrind
@test "scenario hostile-ptr-loop: one server sends a compression-pointer loop" { scenario hostile-ptr-loop; }
# bats test_tags=under_valgrind
@test "scenario hostile-ptr-past-end: one server sends a pointer past the end" { scenario hostile-ptr-past-end; }
# bats test_tags=under_valgrind
@test "scenario hostile-tc-silent: TC=1 over UDP, TCP accepts and never answers" { scenario hostile-tc-silent; }
# bats test_tags=under_valgrind
@test "scenario hostile-tcp-trickle: TCP length 65535 then a byte per 200 ms" { scenario hostile-tcp-trickle; }
# bats test_tags=under_valgrind
@test "scenario hostile-edns-formerr: one server answers FORMERR to EDNS" { scenario hostile-edns-formerr; }
# bats test_tags=under_valgrind
@test "scenario hostile-big-txt: a 60 KB TXT RRset over TCP" { scenario hostile-big-txt; }
# bats test_tags=under_valgrind
@test "scenario hostile-escapes: terminal escapes in TXT, NS and SOA data" { scenario hostile-escapes; }
# bats test_tags=under_valgrind
@test "scenario hostile-html: <script>, <img onerror>, </svg> and control bytes in TXT, NS and SOA data" { scenario hostile-html; }
# bats test_tags=under_valgrind
@test "scenario hostile-two-replies: two different replies to one query" { scenario hostile-two-replies; }
# bats test_tags=under_valgrind
@test "scenario acme-logs: the ACME log corpus zone, one Knot process on 2 addresses" { scenario acme-logs; }
# bats test_tags=under_valgrind
@test "scenario dnssec-nsec-missing: signed zone served without its NSEC chain" { scenario dnssec-nsec-missing; }
# bats test_tags=under_valgrind
@test "scenario dnssec-alg-unsupported: DS with algorithm 1 for an unsigned zone: insecure" { scenario dnssec-alg-unsupported; }
# bats test_tags=under_valgrind
@test "scenario acme-healthy: permissive CAA, challenge CNAME into an acme-dns zone that holds the TXT: nothing to report" { scenario acme-healthy; }
# bats test_tags=under_valgrind
@test "scenario acme-caa-parent: CAA at the parent name allows DigiCert only; Let's Encrypt asked" { scenario acme-caa-parent; }
# bats test_tags=under_valgrind
@test "scenario acme-dangling: _acme-challenge CNAME to a name in a domain that does not exist" { scenario acme-dangling; }
# bats test_tags=under_valgrind
@test "scenario acme-cname-loop: _acme-challenge CNAME chain comes back to its start" { scenario acme-cname-loop; }
# bats test_tags=under_valgrind
@test "scenario acme-doubled: the challenge TXT sits at _acme-challenge.DOMAIN.DOMAIN" { scenario acme-doubled; }
# bats test_tags=under_valgrind
@test "scenario acme-doubled-nxdomain: a name without records (NXDOMAIN in its zone), its challenge TXT doubled" { scenario acme-doubled-nxdomain; }
@test "scenario acm-typo: ACM CNAMEs with the name doubled and the target without its final dot" { scenario acm-typo; }
@test "scenario seed-refused-acm: the ACM CNAME exists only on the undelegated new servers" { scenario seed-refused-acm; }
@test "scenario seed-refused-acme: the DNS-01 TXT exists only on the undelegated new servers" { scenario seed-refused-acme; }
# bats test_tags=under_valgrind
@test "scenario acme-http01: the HTTP-01 lab zone, DNS-01 record present: nothing to report" { scenario acme-http01; }
# bats test_tags=under_valgrind
@test "scenario acme-caa-servfail: one server of two answers SERVFAIL to CAA only" { scenario acme-caa-servfail; }
# bats test_tags=under_valgrind
@test "scenario acme-caa-timeout: one server of two never answers CAA (UDP or TCP), answers the rest" { scenario acme-caa-timeout; }

# Root cause first (issue "Root cause first"): the headline (.summary)
# and the fix are the root fault's; what it explains follows it, carries
# caused_by, and is one finding however many servers show it.
headline() { # DOMAIN ARGS...: runs check --json into $output
	local domain=$1
	shift
	run --separate-stderr "$DNSDOCTOR" check "$domain" "$@" --json --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "# exit $status; stderr: $stderr"
	jq -c '{summary: .summary, findings: [.findings[] | {code, caused_by, subjects}]}' <<<"$output"
}

@test "root cause first: the registrar's stale list heads the seed incident, its lame servers one finding under it" {
	headline seed-refused.com --acme --expect-ns ns-2034.awsdns-62.co.uk,ns-667.awsdns-19.net,ns-1267.awsdns-30.org,ns-145.awsdns-18.com
	[ "$status" -eq 2 ]
	[ "$(jq -r '.findings[0].code' <<<"$output")" = EXPECTED_NS_MISMATCH ]
	[[ $(jq -r .fix <<<"$output") == "At the registrar of seed-refused.com., set the name servers to exactly"* ]]
	[[ $(jq -r .summary <<<"$output") == *"Because of this:"*"(LAME_DELEGATION, seen 4 times)"* ]]
	# every other finding is explained by it; the four lame servers are one
	jq -e '[.findings[1:][] | .caused_by.code] | all(. == "EXPECTED_NS_MISMATCH")' <<<"$output"
	jq -e '[.findings[] | select(.code == "LAME_DELEGATION")] | length == 1' <<<"$output"
	jq -e '.findings[] | select(.code == "LAME_DELEGATION") | (.subjects | length == 4) and (.also | length == 3)' <<<"$output"
	jq -e '[.findings[].code] | index("ACME_CHALLENGE_MISSING") and index("ZONE_UNREACHABLE")' <<<"$output"
}

@test "root cause first: a DS left at the registrar heads, the validating resolver's SERVFAIL follows it" {
	headline dnssec-ds-unsigned.com --resolvers "$LAB_VALIDATING_RESOLVER"
	[ "$status" -eq 2 ]
	[ "$(jq -r '[.findings[].code] | join(" ")' <<<"$output")" = "DS_WITHOUT_DNSKEY DNSSEC_BOGUS_AT_RESOLVER" ]
	[[ $(jq -r .summary <<<"$output") == "The DS at the parent names keys of dnssec-ds-unsigned.com."*"Because of this: a validating resolver answers SERVFAIL"* ]]
	[[ $(jq -r .fix <<<"$output") == "Remove the DS record at the registrar"* ]]
	jq -e '.findings[1].caused_by == {"code": "DS_WITHOUT_DNSKEY", "subject": "dnssec-ds-unsigned.com."}' <<<"$output"
}

@test "root cause first: a lame server with validating resolvers that answer is the headline alone" {
	headline lame-refused.org --resolvers "$LAB_RESOLVER,$LAB_VALIDATING_RESOLVER"
	[ "$status" -eq 2 ]
	[ "$(jq -r '[.findings[] | select(.severity != "info") | .code] | join(" ")' <<<"$output")" = LAME_DELEGATION ]
	jq -e '.findings[0].caused_by == null' <<<"$output"
	[[ $(jq -r .summary <<<"$output") != *"Because of this"* ]]
}

@test "root cause first: a challenge TXT stale on one server: the value mismatch naming it heads" {
	local m="$LAB_SRC/scenarios/acme-stale-secondary/manifest"
	# shellcheck disable=SC2046 # the manifest's args are a word list
	headline "$(manifest_get "$m" domain)" $(expand_env "$(manifest_get "$m" args)")
	[ "$status" -eq 2 ]
	[ "$(jq -r '.findings[0].code' <<<"$output")" = ACME_CHALLENGE_VALUE_MISMATCH ]
	[[ $(jq -r .summary <<<"$output") == "$(jq -r '.findings[0].summary' <<<"$output")"* ]]
}

# --format nagios against the real servers (docs/nagios.md): the status
# word follows the exit code, the root cause's code is on the status line.
@test "nagios: check seed-refused.com is CRITICAL with LAME_DELEGATION; healthy.com is OK" {
	local first
	run --separate-stderr "$DNSDOCTOR" check seed-refused.com --format nagios --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "# exit $status; stdout: $output; stderr: $stderr"
	[ "$status" -eq 2 ]
	first=${output%%$'\n'*}
	[[ $first == "DNSDOCTOR CRITICAL - seed-refused.com: LAME_DELEGATION, ZONE_UNREACHABLE - "* ]]
	[[ $first =~ \ \|\ queries=[1-9][0-9]*\ duration=[0-9]+\.[0-9]{3}s\ errors=[0-9]+\ warnings=0$ ]]
	grep -q '^error LAME_DELEGATION: ' <<<"$output"
	run --separate-stderr "$DNSDOCTOR" check healthy.com --format nagios --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "# exit $status; stdout: $output; stderr: $stderr"
	[ "$status" -eq 0 ]
	[[ $output =~ ^DNSDOCTOR\ OK\ -\ healthy\.com:\ [^|]+\ \|\ queries=[1-9][0-9]*\ duration=[0-9.]+s\ errors=0\ warnings=0$ ]]
}
