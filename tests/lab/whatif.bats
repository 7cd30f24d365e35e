#!/usr/bin/env bats
# check --ns (docs/whatif.md): the zone diagnosed as if the parent delegated
# to the servers given (Zonemaster's undelegated test), compared with the
# real delegation diagnosed in the same run. Scenario whatif-move: net.
# delegates whatif-move.net to the old provider (a serves, b REFUSED); the
# new provider's a and b (beta-dns.org) serve the zone; gamma-dns.com's c
# and d never got it. not-delegated.org: served, never delegated.
# Run as: DNSDOCTOR=/abs/path/build/dnsdoctor lab/netns bats tests/lab

load lab_helper
bats_require_minimum_version 1.5.0

ZONE=whatif-move.net
NEW=a.whatif-move.beta-dns.org,b.whatif-move.beta-dns.org
LACKING=c.whatif-move.gamma-dns.com,d.whatif-move.gamma-dns.com

setup_file() { lab_start_with_dnsdoctor; }
setup() { lab_skip_if_unavailable; }
teardown_file() { lab_stop; }

# check DOMAIN ARGS...: the JSON report in $output, stderr in $stderr.
check() {
	local domain=$1
	shift
	run --separate-stderr "$DNSDOCTOR" check "$domain" --json \
		--root-hints "$DNSDOCTOR_ROOT_HINTS" \
		--trust-anchor "$DNSDOCTOR_TRUST_ANCHOR" "$@"
	echo "# exit status: $status"
	echo "# stderr: $stderr"
	jq -c '{hypothetical_delegation, compared_with_real_delegation, findings: [.findings[] | [.code, .summary]]}' <<<"$output" || echo "# stdout: $output"
}
# problems: the warning and error codes, sorted, space separated.
problems() { jq -r '[.findings[] | select(.severity != "info") | .code] | unique | join(" ")' <<<"$output"; }
gone() { jq -r '.compared_with_real_delegation.would_go_away | join(" ")' <<<"$output"; }
appear() { jq -r '.compared_with_real_delegation.would_appear | join(" ")' <<<"$output"; }

@test "the real delegation: the old provider's b is lame" {
	check "$ZONE"
	[ "$status" -eq 2 ]
	[ "$(problems)" = "LAME_DELEGATION" ]
	# Without --ns the report has no what-if fields.
	[ "$(jq 'has("hypothetical_delegation")' <<<"$output")" = false ]
}

@test "--ns the new provider, which serves the zone: clean, LAME_DELEGATION would go away" {
	check "$ZONE" --ns "$NEW"
	[ "$status" -eq 0 ]
	[ -z "$(problems)" ]
	[ "$(gone)" = "LAME_DELEGATION" ]
	[ -z "$(appear)" ]
	[ "$(jq -r '[.hypothetical_delegation[].name] | join(" ")' <<<"$output")" = \
		"a.whatif-move.beta-dns.org. b.whatif-move.beta-dns.org." ]
	# Every server asked is a hypothetical one, listed as the parent's.
	[ "$(jq -r '[.servers[].name] | sort | join(" ")' <<<"$output")" = \
		"a.whatif-move.beta-dns.org. b.whatif-move.beta-dns.org." ]
	[ "$(jq -r '.parent' <<<"$output")" = "net." ]
}

@test "--ns servers that lack the zone: the usual lame findings, for them" {
	check "$ZONE" --ns "$LACKING"
	[ "$status" -eq 2 ]
	[ "$(problems)" = "LAME_DELEGATION ZONE_UNREACHABLE" ]
	[ "$(jq '[.findings[] | select(.code == "LAME_DELEGATION")] | length' <<<"$output")" -eq 2 ]
	jq -r '.findings[] | select(.code == "LAME_DELEGATION") | .summary' <<<"$output" | grep -q 'c.whatif-move.gamma-dns.com.*REFUSED'
	jq -r '.findings[] | select(.code == "LAME_DELEGATION") | .summary' <<<"$output" | grep -q 'd.whatif-move.gamma-dns.com.*REFUSED'
	# The old provider's lame b is not among them.
	! jq -r '.findings[].summary' <<<"$output" | grep -q alpha-dns || false
	[ "$(appear)" = "ZONE_UNREACHABLE" ]
	[ -z "$(gone)" ]
}

@test "--ns one new server and one lacking: judged against the set given" {
	check "$ZONE" --ns a.whatif-move.beta-dns.org --ns c.whatif-move.gamma-dns.com
	[ "$status" -eq 2 ]
	# The zone's NS RRset (a and b of beta) is not the set "published".
	[ "$(problems)" = "DELEGATION_NS_MISMATCH LAME_DELEGATION" ]
	jq -r '.findings[] | select(.code == "LAME_DELEGATION") | .summary' <<<"$output" | grep -q 'c.whatif-move.gamma-dns.com'
	[ "$(appear)" = "DELEGATION_NS_MISMATCH" ]
}

@test "--ns NAME/ADDR: the address is the glue, inside the zone too" {
	check "$ZONE" --ns ns1.whatif-move.net/127.53.100.3,ns2.whatif-move.net/127.53.100.4
	[ "$(jq -r '[.hypothetical_delegation[] | .name + "=" + (.addresses | join("+"))] | join(" ")' <<<"$output")" = \
		"ns1.whatif-move.net.=127.53.100.3 ns2.whatif-move.net.=127.53.100.4" ]
	# Asked at the address given, as glue; the zone names other servers.
	[ "$(jq -r '[.servers[] | select(.name == "ns1.whatif-move.net.") | "\(.address) \(.glue) \(.udp.aa)"] | join(",")' <<<"$output")" = \
		"127.53.100.3 true true" ]
	[[ " $(problems) " == *" DELEGATION_NS_MISMATCH "* ]]
	[[ " $(problems) " != *" LAME_DELEGATION "* ]]
	[[ " $(problems) " != *" ZONE_UNREACHABLE "* ]]
}

@test "a domain never delegated: --ns its servers, DOMAIN_NOT_DELEGATED would go away" {
	check not-delegated.org --ns a.not-delegated.gamma-dns.com,b.not-delegated.alpha-dns.net
	[ "$status" -eq 0 ]
	[ -z "$(problems)" ]
	[ "$(gone)" = "DOMAIN_NOT_DELEGATED" ]
	[ "$(jq -r '.parent' <<<"$output")" = "org." ]
}

@test "the text report says the delegation is hypothetical and what would change" {
	run --separate-stderr "$DNSDOCTOR" check "$ZONE" --color=never --root-hints "$DNSDOCTOR_ROOT_HINTS" \
		--trust-anchor "$DNSDOCTOR_TRUST_ANCHOR" --ns "$NEW"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"hypothetically delegated by net. (--ns)"* ]]
	[[ $output == *"Hypothetical delegation (--ns)"* ]]
	[[ $output == *"would go away: LAME_DELEGATION"* ]]
}

@test "--format nagios says it in the status line" {
	run --separate-stderr "$DNSDOCTOR" check "$ZONE" --format nagios --root-hints "$DNSDOCTOR_ROOT_HINTS" \
		--trust-anchor "$DNSDOCTOR_TRUST_ANCHOR" --ns "$LACKING"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ ${lines[0]} == *"whatif-move.net as delegated by --ns"* ]]
}

@test "the HTML page says it too" {
	run --separate-stderr "$DNSDOCTOR" check "$ZONE" --format html --root-hints "$DNSDOCTOR_ROOT_HINTS" \
		--trust-anchor "$DNSDOCTOR_TRUST_ANCHOR" --ns "$LACKING"
	[ "$status" -eq 2 ]
	[[ $output == *'<section id="what-if">'* ]]
	[[ $output == *"would appear: ZONE_UNREACHABLE"* ]]
}

@test "--ns with --save-evidence: analyze judges the hypothetical delegation again" {
	local ev=$BATS_TEST_TMPDIR/ev.json
	check "$ZONE" --ns "$LACKING" --save-evidence "$ev"
	local live
	live=$(problems)
	run --separate-stderr "$DNSDOCTOR" analyze "$ev" --json
	echo "# analyze: $output"
	[ "$(problems)" = "$live" ]
	[ "$(jq -r '[.hypothetical_delegation[].name] | join(" ")' <<<"$output")" = \
		"c.whatif-move.gamma-dns.com. d.whatif-move.gamma-dns.com." ]
	# The real delegation was not saved: no comparison.
	[ "$(jq -r '.compared_with_real_delegation' <<<"$output")" = null ]
	# --replay asks again only what was saved: the same, no comparison.
	run --separate-stderr "$DNSDOCTOR" check "$ZONE" --json --replay "$ev" --ns "$LACKING"
	echo "# replay: $stderr $output"
	[ "$(problems)" = "$live" ]
	[ "$(jq -r '.compared_with_real_delegation' <<<"$output")" = null ]
}

@test "--ns --json validates against docs/result.schema.json" {
	/usr/bin/python3 -c 'import jsonschema' 2>/dev/null || skip "python3-jsonschema is not installed"
	local v=$BATS_TEST_DIRNAME/../schema/validate
	check "$ZONE" --ns "$NEW"
	run /usr/bin/python3 "$v" - <<<"$output"
	echo "$output"
	[ "$status" -eq 0 ]
	check "$ZONE" --ns "$LACKING" --save-evidence "$BATS_TEST_TMPDIR/ev.json"
	run /usr/bin/python3 "$v" - <<<"$output"
	[ "$status" -eq 0 ]
	run --separate-stderr "$DNSDOCTOR" analyze "$BATS_TEST_TMPDIR/ev.json" --json
	run /usr/bin/python3 "$v" - <<<"$output"
	echo "$output"
	[ "$status" -eq 0 ]
	run --separate-stderr "$DNSDOCTOR" plan "$ZONE" NS --json --root-hints "$DNSDOCTOR_ROOT_HINTS" \
		--trust-anchor "$DNSDOCTOR_TRUST_ANCHOR" --ns "$LACKING"
	[ "$status" -eq 2 ]
	run /usr/bin/python3 "$v" - <<<"$output"
	echo "$output"
	[ "$status" -eq 0 ]
}

# plan ARGS...: plan ZONE NS --json ARGS; the JSON in $output.
plan() {
	run --separate-stderr "$DNSDOCTOR" plan "$ZONE" NS --json \
		--root-hints "$DNSDOCTOR_ROOT_HINTS" \
		--trust-anchor "$DNSDOCTOR_TRUST_ANCHOR" "$@"
	echo "# exit status: $status"
	echo "# stderr: $stderr"
	jq -c '.ns_plan' <<<"$output" || echo "# stdout: $output"
}
# step_after ID: seconds after the start that step ID may begin.
step_after() { jq -r --arg s "$1" '.ns_plan.steps[] | select(.step == $s) | .after_s' <<<"$output"; }

@test "plan NS --ns the new provider: the steps, timed from the real TTLs" {
	plan --ns "$NEW"
	[ "$status" -eq 0 ]
	[ "$(jq -r .command <<<"$output")" = plan ]
	# net.'s referral carries 172800 s, the old zone's NS RRset 3600 s.
	[ "$(jq -r .ns_plan.parent_ns_ttl <<<"$output")" -eq 172800 ]
	[ "$(jq -r .ns_plan.zone_ns_ttl <<<"$output")" -eq 3600 ]
	[ "$(jq -r .ns_plan.ready <<<"$output")" = true ]
	[ "$(jq -r '.ns_plan.steps | map(.step) | join(" ")' <<<"$output")" = \
		"lower_ttl prepare switch wait retire" ]
	[ "$(step_after lower_ttl)" -eq 0 ]
	# Switch once the lowered TTL holds: the old 3600 s have run out;
	# retire once the parent's 172800 s have too.
	[ "$(step_after switch)" -eq 3600 ]
	[ "$(step_after wait)" -eq $((3600 + 172800)) ]
	[ "$(step_after retire)" -eq $((3600 + 172800)) ]
	# Clock times: the switch one hour after the run started.
	local started switch
	started=$(jq -r '.started | fromdate' <<<"$output")
	switch=$(jq -r '.ns_plan.steps[] | select(.step == "switch") | .at | fromdate' <<<"$output")
	[ $((switch - started)) -eq 3600 ]
	[ "$(jq -r '.ns_plan.from | join(" ")' <<<"$output")" = \
		"a.whatif-move.alpha-dns.net. b.whatif-move.alpha-dns.net." ]
	# No RDAP with the lab's root hints: the registrar is not named.
	[ "$(jq -r .ns_plan.registrar <<<"$output")" = null ]
	[ "$(jq -r '.compared_with_real_delegation.would_go_away | join(" ")' <<<"$output")" = LAME_DELEGATION ]
}

@test "plan NS --expect servers that lack the zone: not ready, and why" {
	plan --expect c.whatif-move.gamma-dns.com --expect d.whatif-move.gamma-dns.com
	[ "$status" -eq 2 ]
	[ "$(jq -r .ns_plan.ready <<<"$output")" = false ]
	[ "$(jq -r '.ns_plan.blocking | join(" ")' <<<"$output")" = "LAME_DELEGATION ZONE_UNREACHABLE" ]
	[ "$(jq -r '.ns_plan.to | join(" ")' <<<"$output")" = \
		"c.whatif-move.gamma-dns.com. d.whatif-move.gamma-dns.com." ]
	jq -r '.ns_plan.steps[] | select(.step == "prepare") | .text' <<<"$output" | grep -q 'NOT READY: LAME_DELEGATION, ZONE_UNREACHABLE'
}

@test "plan NS text: numbered steps with UTC clock times" {
	run --separate-stderr "$DNSDOCTOR" plan "$ZONE" NS --color=never --root-hints "$DNSDOCTOR_ROOT_HINTS" \
		--trust-anchor "$DNSDOCTOR_TRUST_ANCHOR" --ns "$NEW"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"plan of a delegation change"* ]]
	[[ $output == *"1. now, "*" UTC: Lower the TTL of the NS records"* ]]
	[[ $output =~ 3\.\ [0-9-]+\ [0-9:]+\ UTC\ \(\+1\ h\ 00\ min\):\ At\ the\ registrar ]]
	[[ $output == *"(+49 h 00 min): Retire the old servers"* ]]
}

@test "plan NS for a domain not delegated yet: nothing to wait for" {
	run --separate-stderr "$DNSDOCTOR" plan not-delegated.org NS --json --root-hints "$DNSDOCTOR_ROOT_HINTS" \
		--trust-anchor "$DNSDOCTOR_TRUST_ANCHOR" --ns a.not-delegated.gamma-dns.com,b.not-delegated.alpha-dns.net
	echo "$output" | jq -c .ns_plan
	[ "$status" -eq 0 ]
	[ "$(jq -r .ns_plan.parent_ns_ttl <<<"$output")" = null ]
	[ "$(jq -r '.ns_plan.steps | map(.step) | join(" ")' <<<"$output")" = "lower_ttl prepare switch" ]
	[ "$(step_after switch)" -eq 0 ]
}

# The DS (KEYTAG ALG DIGESTTYPE DIGEST) of the key that signs
# dnssec-rollover-bad.net now (as dnssec_whatif.bats).
current_ds() {
	local dir
	dir=$(mktemp -d)
	q +noall +answer @127.53.42.1 dnssec-rollover-bad.net DNSKEY | awk '$5 == 257' | head -n 1 >"$dir/ksk"
	(cd "$dir" && ldns-key2ds -n -2 ksk) |
		awk '{ for (i = 1; i < NF; i++) if ($i == "DS") { print $(i + 1), $(i + 2), $(i + 3), $(i + 4); exit } }'
	rm -rf "$dir"
}

@test "--ns: DNSSEC against the DS the parent has, or the one --ds gives" {
	local ns=a.dnssec-rollover-bad.beta-dns.org,b.dnssec-rollover-bad.gamma-dns.com ds
	# net. publishes the DS of a key the zone dropped: the move does not
	# change that, so it is neither gone nor new.
	check dnssec-rollover-bad.net --ns "$ns"
	[[ " $(problems) " == *" DS_NO_MATCHING_DNSKEY "* ]]
	[[ " $(gone) $(appear) " != *" DS_NO_MATCHING_DNSKEY "* ]]
	ds=$(current_ds)
	echo "# DS: $ds"
	[ -n "$ds" ]
	check dnssec-rollover-bad.net --ns "$ns" --ds "$ds"
	[[ " $(problems) " != *" DS_NO_MATCHING_DNSKEY "* ]]
	[[ " $(gone) " == *" DS_NO_MATCHING_DNSKEY "* ]]
}

@test "--ns: a name typed in Unicode is asked and shown as its A-labels, as the DOMAIN argument is" {
	check "$ZONE" --ns "bücher.beta-dns.org/127.53.100.3"
	[ "$(jq -r '[.hypothetical_delegation[].name] | join(" ")' <<<"$output")" = "xn--bcher-kva.beta-dns.org." ]
	[ "$(jq -r '[.hypothetical_delegation[].addresses[]] | join(" ")' <<<"$output")" = 127.53.100.3 ]
}
