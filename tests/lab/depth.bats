#!/usr/bin/env bats
# What a zone checker is expected to find beside the incidents' faults
# (issue 20), each with a healthy twin.
#
# Not a zone: a name inside healthy.com (www), an alias (shop, a CNAME to
# www.acme-dangling.net) and a name with no records are diagnosed as
# healthy.com, and the report says so at the top.
#
# PARENT_NS_INCONSISTENT: the parent's servers disagree about a delegation,
# as while a registry update is in flight. com. is served by Knot
# (a.gtld-servers.net, 127.53.1.1), which takes RFC 2136 updates, and by
# BIND (b.gtld-servers.net, 127.53.1.2), which keeps the zone file: an
# update sent to Knot alone splits the parent.

load lab_helper

NEW_NS="ns-2034.awsdns-62.co.uk. ns-667.awsdns-19.net. ns-1267.awsdns-30.org. ns-145.awsdns-18.com."

setup_file() {
	lab_start
}

teardown_file() {
	lab_stop
}

setup() {
	lab_skip_if_unavailable
}

# update_com LINES...: an RFC 2136 update of com. at Knot only.
update_com() {
	{
		echo "server 127.53.1.1"
		echo "zone com."
		printf '%s\n' "$@"
		echo "send"
	} | nsupdate -k "$LAB_UPDATE_KEY"
}

codes() {
	jq -r '[.findings[].code] | join(" ")' <<<"$1"
}

@test "not a zone: healthy.com is a zone: no note, no not_a_zone" {
	run "$DNSDOCTOR" check healthy.com --json --root-hints "$DNSDOCTOR_ROOT_HINTS"
	[ "$status" -eq 0 ]
	jq -e 'has("not_a_zone") | not' <<<"$output"
	run "$DNSDOCTOR" check healthy.com --root-hints "$DNSDOCTOR_ROOT_HINTS"
	[[ $output != *"Note:"* ]] || false
}

@test "not a zone: www.healthy.com is a name in healthy.com, said at the top" {
	run "$DNSDOCTOR" check www.healthy.com --json --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "$output"
	[ "$status" -eq 0 ]
	jq -e '.zone == "healthy.com." and .not_a_zone == {"zone": "healthy.com.", "alias": null, "has_records": true}' <<<"$output"
	COLUMNS=400 run "$DNSDOCTOR" check www.healthy.com --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "$output"
	# At the top: after the headline and the verdict, before any table.
	head -n 5 <<<"$output" | grep -qxF "  Note: www.healthy.com. is not a zone: it has no delegation of its own and is a name in healthy.com., which this report is about."
}

@test "not a zone: shop.healthy.com is an alias: the note names the target to check too" {
	run "$DNSDOCTOR" check shop.healthy.com --json --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "$output"
	[ "$status" -eq 0 ]
	jq -e '.not_a_zone == {"zone": "healthy.com.", "alias": "www.acme-dangling.net.", "has_records": true}' <<<"$output"
	COLUMNS=400 run "$DNSDOCTOR" check shop.healthy.com --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "$output"
	[[ $output == *"Note: shop.healthy.com. is not a zone: it is an alias (CNAME) in healthy.com. for www.acme-dangling.net."*"so check www.acme-dangling.net. too."* ]]
}

@test "not a zone: nosuch.healthy.com has no records" {
	run "$DNSDOCTOR" check nosuch.healthy.com --json --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "$output"
	jq -e '.not_a_zone == {"zone": "healthy.com.", "alias": null, "has_records": false}' <<<"$output"
	COLUMNS=400 run "$DNSDOCTOR" check nosuch.healthy.com --root-hints "$DNSDOCTOR_ROOT_HINTS"
	[[ $output == *"Note: nosuch.healthy.com. has no records: the servers of healthy.com. answer NXDOMAIN for it. It is not a zone; this report is about healthy.com."* ]]
}

@test "parent-ns: both servers of com. agree on seed-stale.com: no PARENT_NS_INCONSISTENT" {
	run "$DNSDOCTOR" check seed-stale.com --json --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "$output"
	[[ " $(codes "$output") " != *" PARENT_NS_INCONSISTENT "* ]] || false
}

@test "parent-ns: Knot has the new delegation, BIND the old: each server and its set named" {
	local lines=("update delete seed-stale.com. NS") ns
	for ns in $NEW_NS; do lines+=("update add seed-stale.com. 172800 NS $ns"); done
	update_com "${lines[@]}"
	run "$DNSDOCTOR" check seed-stale.com --json --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "$output"
	[ "$status" -ge 1 ]
	local f
	f=$(jq -c '.findings[] | select(.code == "PARENT_NS_INCONSISTENT")' <<<"$output")
	[ -n "$f" ]
	[ "$(jq -r .severity <<<"$f")" = warning ]
	[ "$(jq -r .evidence.parent <<<"$f")" = com. ]
	[ "$(jq '.evidence.answers | length' <<<"$f")" -eq 2 ]
	# Knot refers to the new servers, BIND to the old ones.
	jq -e '.evidence.answers[] | select(.servers == ["a.gtld-servers.net. (127.53.1.1)"])
		| .ns | index("ns-2034.awsdns-62.co.uk.") != null' <<<"$f"
	jq -e '.evidence.answers[] | select(.servers == ["b.gtld-servers.net. (127.53.1.2)"])
		| .ns | index("ns-549.awsdns-04.net.") != null' <<<"$f"
	# The human report says it with both servers.
	COLUMNS=400 run "$DNSDOCTOR" check seed-stale.com --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "$output"
	[[ $output == *"PARENT_NS_INCONSISTENT"* ]]
	[[ $output == *"a.gtld-servers.net. (127.53.1.1) delegates to {"*"ns-2034.awsdns-62.co.uk."* ]]
	[[ $output == *"b.gtld-servers.net. (127.53.1.2) delegates to {"*"ns-549.awsdns-04.net."* ]]
}

@test "parent-ns: a registration in flight: Knot delegates fresh-registration.com, BIND answers NXDOMAIN" {
	run dig +norec @127.53.1.2 fresh-registration.com NS
	[[ $output == *"status: NXDOMAIN"* ]]
	update_com "update add fresh-registration.com. 172800 NS a.healthy.alpha-dns.net." \
		"update add fresh-registration.com. 172800 NS b.healthy.beta-dns.org."
	run dig +norec @127.53.1.1 fresh-registration.com NS
	[[ $output == *"status: NOERROR"* ]]
	run "$DNSDOCTOR" check fresh-registration.com --json --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "$output"
	local f
	f=$(jq -c '.findings[] | select(.code == "PARENT_NS_INCONSISTENT")' <<<"$output")
	[ -n "$f" ]
	jq -e '.evidence.answers[] | select(.rcode == "NXDOMAIN")
		| .servers == ["b.gtld-servers.net. (127.53.1.2)"]' <<<"$f"
	jq -e '.evidence.answers[] | select(.ns)
		| .servers == ["a.gtld-servers.net. (127.53.1.1)"]
		and .ns == ["a.healthy.alpha-dns.net.", "b.healthy.beta-dns.org."]' <<<"$f"
}

@test "root: check . diagnoses the root zone like any other: its servers, their agreement, its DNSSEC" {
	run "$DNSDOCTOR" check . --json --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "$output"
	[ "$status" -eq 0 ]
	jq -e '.zone == "." and .parent == null and .findings == []' <<<"$output"
	jq -e '[.servers[].name] | unique == ["a.root-servers.net.", "b.root-servers.net."]' <<<"$output"
	jq -e '[.servers[] | .in_parent and .in_zone and .udp.answer == "authoritative"] | all' <<<"$output"
	COLUMNS=200 run "$DNSDOCTOR" check . --root-hints "$DNSDOCTOR_ROOT_HINTS"
	[[ $output == *". is delegated by the root hints to 2 name servers that answer authoritatively and agree."* ]]
	# The root's keys are judged against the trust anchor: one whose
	# digest matches no key of the root is found.
	sed 's/\(DS [0-9]* [0-9]* [0-9]* \)[0-9a-fA-F]\{4\}/\10000/' "$DNSDOCTOR_TRUST_ANCHOR" >"$BATS_TEST_TMPDIR/ta"
	! cmp -s "$DNSDOCTOR_TRUST_ANCHOR" "$BATS_TEST_TMPDIR/ta" || false
	run "$DNSDOCTOR" check . --json --root-hints "$DNSDOCTOR_ROOT_HINTS" --trust-anchor "$BATS_TEST_TMPDIR/ta"
	[ "$(jq -r '[.findings[].code] | join(" ")' <<<"$output")" = DS_NO_MATCHING_DNSKEY ]
}

@test "root: root hints naming a server the root does not list, at a dead address" {
	{ cat "$DNSDOCTOR_ROOT_HINTS"; echo ". 3600000 NS c.root-servers.net."; echo "c.root-servers.net. 3600000 A 127.53.0.9"; } >"$BATS_TEST_TMPDIR/hints"
	run "$DNSDOCTOR" check . --json --root-hints "$BATS_TEST_TMPDIR/hints"
	echo "$output"
	[ "$status" -eq 2 ]
	[ "$(jq -r '[.findings[].code] | join(" ")' <<<"$output")" = "NS_UNREACHABLE DELEGATION_NS_MISMATCH" ]
	jq -e '.findings[1].summary | startswith("The root hints list {a.root-servers.net., b.root-servers.net., c.root-servers.net.} for .")' <<<"$output"
	jq -e '.findings[1].fix | contains("root hints file")' <<<"$output"
}

@test "root: check . --acme is refused in one line, exit 3" {
	run "$DNSDOCTOR" check . --acme --root-hints "$DNSDOCTOR_ROOT_HINTS"
	[ "$status" -eq 3 ]
	[ "$output" = "dnsdoctor: the root zone has no certificate: --acme and --acm check a domain name" ]
}

@test "cds: the delete form is info only, and says the DS is still at org." {
	run "$DNSDOCTOR" check dnssec-cds-delete.org --json --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "$output"
	[ "$status" -eq 0 ]
	jq -e '[.findings[] | select(.code == "CDS_DELETE")] | length == 1 and .[0].severity == "info" and .[0].evidence.ds_at_parent == true' <<<"$output"
	jq -e '[.findings[].code] | (index("CDS_INVALID") or index("CDS_INCONSISTENT")) | not' <<<"$output"
}

@test "cds: servers that disagree are each named with what they publish" {
	run "$DNSDOCTOR" check dnssec-cds-inconsistent.com --json --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "$output"
	[ "$status" -eq 1 ]
	jq -e '.findings[] | select(.code == "CDS_INCONSISTENT") | .evidence.servers | map({(.address): .published}) | add | (.["127.53.165.1"] | test("^CDNSKEY [0-9]+/13, CDS [0-9]+/13$")) and .["127.53.165.2"] == "nothing"' <<<"$output"
	# The copy that has them has them right: nothing else to say.
	jq -e '[.findings[].code] | index("CDS_INVALID") | not' <<<"$output"
}

@test "cds: a CDS for a key that is not in the DNSKEY set, at every server" {
	run "$DNSDOCTOR" check dnssec-cds-invalid.net --json --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "$output"
	jq -e '.findings[] | select(.code == "CDS_INVALID") | .evidence.servers | length == 2 and all(.problems | index("a CDS matches no key of the DNSKEY set"))' <<<"$output"
}

@test "algorithms: the RRsets algorithm 8 does not sign, at each server; DNSKEY is signed by both" {
	run "$DNSDOCTOR" check dnssec-alg-not-signing.com --json --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "$output"
	jq -e '.findings[] | select(.code == "DNSKEY_ALGORITHM_NOT_SIGNING") | .evidence.rrsets | (map(.rrset) | unique == ["NS", "SOA"]) and length == 4 and all(.algorithms == [8])' <<<"$output"
}

@test "rsa key size: the 1024-bit key named by tag, algorithm and size; 2048-bit keys are not" {
	run "$DNSDOCTOR" check dnssec-rsa-1024.net --json --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "$output"
	jq -e '.findings[] | select(.code == "DNSKEY_RSA_KEY_SIZE") | .evidence.keys | length == 1 and .[0].bits == 1024 and .[0].algorithm == 8' <<<"$output"
	run "$DNSDOCTOR" check dnssec-alg-not-signing.com --json --root-hints "$DNSDOCTOR_ROOT_HINTS"
	jq -e '[.findings[].code] | index("DNSKEY_RSA_KEY_SIZE") | not' <<<"$output"
}

# The lab's servers are on loopback, under a root on loopback: a private
# namespace, where special addresses and one /24 are the design and nothing
# is said. The same evidence with the root hints of the public Internet is
# judged as the public namespace would be (nothing is asked again:
# `analyze` runs the checks only).
@test "ns addresses: judged in the public namespace only" {
	local ev=$BATS_TEST_TMPDIR/healthy.json
	run "$DNSDOCTOR" check healthy.com --json --save-evidence "$ev" --root-hints "$DNSDOCTOR_ROOT_HINTS"
	[ "$status" -eq 0 ]
	jq -e '[.findings[].code] | (index("NS_ADDRESS_SPECIAL_PURPOSE") or index("NS_PREFIX_NOT_DIVERSE") or index("NS_ADDRESS_FAMILY_MISSING")) | not' <<<"$output"
	jq '.root_hints = ["a.root-servers.net. 198.41.0.4", "b.root-servers.net. 170.247.170.2"]' "$ev" >"$ev.public"
	run "$DNSDOCTOR" analyze "$ev.public" --json
	echo "$output"
	[ "$status" -eq 2 ]
	jq -e '[.findings[] | select(.code == "NS_ADDRESS_SPECIAL_PURPOSE") | .evidence] | length == 3 and all(.addresses[0].reason == "loopback")' <<<"$output"
	jq -e '[.findings[] | select(.code == "NS_ADDRESS_SPECIAL_PURPOSE")][0].summary | test("127\\.53\\.32\\.[123] \\(loopback\\)")' <<<"$output"
}

@test "unsigned parent: a signed zone under one is said not validated, and why; its missing DS is not held against it" {
	run "$DNSDOCTOR" check dnssec-under-unsigned.alpha-dns.net --json --root-hints "$DNSDOCTOR_ROOT_HINTS" --trust-anchor "$DNSDOCTOR_TRUST_ANCHOR"
	echo "$output"
	[ "$status" -eq 0 ]
	jq -e '.findings[] | select(.code == "DNSSEC_NOT_VALIDATED") | .evidence == {"zone": "dnssec-under-unsigned.alpha-dns.net.", "reason": "insecure-above", "insecure_at": "alpha-dns.net."}' <<<"$output"
	jq -e '[.findings[].code] | index("DNSSEC_SIGNED_WITHOUT_DS") | not' <<<"$output"
	# An unsigned zone under an unsigned one lacks nothing: no note.
	run "$DNSDOCTOR" check lab-hosting.net --json --root-hints "$DNSDOCTOR_ROOT_HINTS" --trust-anchor "$DNSDOCTOR_TRUST_ANCHOR"
	jq -e '[.findings[].code] | index("DNSSEC_NOT_VALIDATED") | not' <<<"$output"
}
