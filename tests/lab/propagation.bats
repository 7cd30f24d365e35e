#!/usr/bin/env bats
# propagation, wait, plan against real Knot servers and the lab's Unbound.
# Scenario lab/scenarios/propagation-lag: A (Knot main, 127.53.64.1) and B
# (Knot old, 127.53.64.2) serve separate copies of propagation-lag.net; each
# test rewrites the copies and reloads (B plays a secondary that lags).
# Every test uses names of its own, so the resolver's cache of one test
# never meets another's.

load lab_helper
# shellcheck source=lab/propagation-lag.bash
. "$BATS_TEST_DIRNAME/../../lab/propagation-lag.bash"
bats_require_minimum_version 1.5.0

ZONE=propagation-lag.net
A=127.53.64.1
B=127.53.64.2

setup_file() { lab_start; export SERIAL_FILE="$BATS_FILE_TMPDIR/serial"; echo 2024060101 > "$SERIAL_FILE"; }
teardown_file() { lab_stop; }
setup() { lab_skip_if_unavailable; DD=${DNSDOCTOR:-build/dnsdoctor}; }

# zone_set main|old RECORD...: that server's copy becomes the base zone plus
# RECORDs (a higher serial), reloaded before returning.
zone_set() {
	local serial
	serial=$(($(cat "$SERIAL_FILE") + 1))
	echo "$serial" > "$SERIAL_FILE"
	propagation_lag_set "$LAB_TMP" "$serial" "$@"
}

codes() { jq -r '.findings[].code' | sort | tr '\n' ' '; }

@test "propagation: a primed resolver is RESOLVER_STALE with the seconds its cache has left" {
	zone_set main "stale1 300 IN A 127.53.200.1"
	zone_set old "stale1 300 IN A 127.53.200.1"
	[ "$(dig +short @"$LAB_RESOLVER" stale1.$ZONE A)" = 127.53.200.1 ]
	zone_set main "stale1 300 IN A 127.53.200.2"
	zone_set old "stale1 300 IN A 127.53.200.2"
	run "$DD" propagation stale1.$ZONE A --expect 127.53.200.2 --resolvers "$LAB_RESOLVER" --json
	[ "$status" -eq 1 ]
	left=$(jq -r '.findings[] | select(.code=="RESOLVER_STALE") | .evidence.seconds_left' <<<"$output")
	ttl=$(dig +noall +answer @"$LAB_RESOLVER" stale1.$ZONE A | awk '{ print $2 }')
	echo "seconds_left=$left resolver ttl=$ttl"
	[ -n "$left" ] && [ -n "$ttl" ]
	d=$((left - ttl)); [ ${d#-} -le 3 ]
	eta=$(jq -r .eta_seconds <<<"$output")
	[ "$eta" = "$left" ]
}

@test "propagation --format nagios: a primed resolver is WARNING, the seconds it has left are eta in the perfdata" {
	zone_set main "stale2 300 IN A 127.53.200.1"
	zone_set old "stale2 300 IN A 127.53.200.1"
	[ "$(dig +short @"$LAB_RESOLVER" stale2.$ZONE A)" = 127.53.200.1 ]
	zone_set main "stale2 300 IN A 127.53.200.2"
	zone_set old "stale2 300 IN A 127.53.200.2"
	run --separate-stderr "$DD" propagation stale2.$ZONE A --expect 127.53.200.2 --resolvers "$LAB_RESOLVER" --format nagios
	echo "# exit $status; stdout: $output"
	[ "$status" -eq 1 ]
	first=${output%%$'\n'*}
	[[ $first == "DNSDOCTOR WARNING - stale2.$ZONE A: RESOLVER_STALE - "* ]]
	[[ $first =~ \ errors=0\ warnings=1\ eta=([0-9]+)s$ ]]
	eta=${BASH_REMATCH[1]}
	[ "$eta" -gt 200 ] && [ "$eta" -le 300 ]
	grep -q '^warning RESOLVER_STALE: ' <<<"$output"
}

@test "propagation: a cached NXDOMAIN is RESOLVER_NEGATIVE_CACHED with the seconds it has left" {
	[ "$(dig @"$LAB_RESOLVER" _acme-challenge.neg1.$ZONE TXT | sed -n 's/.*status: \([A-Z]*\).*/\1/p')" = NXDOMAIN ]
	zone_set main '_acme-challenge.neg1 60 IN TXT "token-neg1"'
	zone_set old '_acme-challenge.neg1 60 IN TXT "token-neg1"'
	run "$DD" propagation _acme-challenge.neg1.$ZONE TXT --expect token-neg1 --resolvers "$LAB_RESOLVER" --json
	[ "$status" -eq 1 ]
	[[ "$(codes <<<"$output")" == *RESOLVER_NEGATIVE_CACHED* ]]
	left=$(jq -r '.findings[] | select(.code=="RESOLVER_NEGATIVE_CACHED") | .evidence.seconds_left' <<<"$output")
	# The resolver's own remaining negative TTL: the SOA it hands out.
	ttl=$(dig +noall +authority @"$LAB_RESOLVER" _acme-challenge.neg1.$ZONE TXT | awk '$4 == "SOA" { print $2 }')
	echo "seconds_left=$left resolver soa ttl=$ttl"
	[ -n "$left" ] && [ -n "$ttl" ]
	d=$((left - ttl)); [ ${d#-} -le 3 ]
}

@test "propagation: the lagging server is named in RECORD_MISSING_ON_AUTH and the ETA is null" {
	zone_set main '_acme-challenge.lag1 60 IN TXT "token-lag1"'
	zone_set old
	run "$DD" propagation _acme-challenge.lag1.$ZONE TXT --expect token-lag1 --resolvers "$LAB_RESOLVER" --json
	[ "$status" -eq 2 ]
	[ "$(jq -r '[.findings[] | select(.code=="RECORD_MISSING_ON_AUTH") | .evidence.servers[].addr] | join(" ")' <<<"$output")" = "$B" ]
	[ "$(jq -r .eta_seconds <<<"$output")" = null ]
	[[ "$(codes <<<"$output")" == *RRSET_INCONSISTENT* ]]
}

@test "propagation: analyze of the saved evidence gives the same findings" {
	zone_set main '_acme-challenge.an1 60 IN TXT "token-an1"'
	zone_set old
	ev="$BATS_TEST_TMPDIR/ev.json"
	run "$DD" propagation _acme-challenge.an1.$ZONE TXT --expect token-an1 --resolvers "$LAB_RESOLVER" --json --save-evidence "$ev"
	live=$(codes <<<"$output")
	[ -n "$live" ]
	run "$DD" analyze "$ev" --json
	[ "$(codes <<<"$output")" = "$live" ]
	[ "$(jq -r .eta_seconds <<<"$output")" = null ]
}

@test "propagation: every view current is PROPAGATION_COMPLETE, exit 0" {
	zone_set main "done1 300 IN A 127.53.200.3"
	zone_set old "done1 300 IN A 127.53.200.3"
	run "$DD" propagation done1.$ZONE A --expect 127.53.200.3 --resolvers "$LAB_RESOLVER" --json
	[ "$status" -eq 0 ]
	[ "$(codes <<<"$output")" = "PROPAGATION_COMPLETE " ]
	[ "$(jq -r .eta_seconds <<<"$output")" = 0 ]
}

@test "propagation: a challenge CNAME into another zone is asked of every server of that zone" {
	# lab/scenarios/acme-healthy: _acme-challenge is a CNAME into
	# acme-dns-lab.net, whose servers (127.53.94.1 and .3) hold the TXT.
	run "$DD" propagation _acme-challenge.acme-healthy.org TXT --resolvers "$LAB_RESOLVER" --json
	[ "$status" -eq 0 ]
	[ "$(codes <<<"$output")" = "PROPAGATION_COMPLETE " ]
	[ "$(jq -r '[.views[] | select(.zone == "acme-dns-lab.net." and .state == "current") | .addr] | sort | join(" ")' <<<"$output")" = "127.53.94.1 127.53.94.3" ]
	[ "$(jq -r '[.views[] | select(.zone == "acme-healthy.org." and .state == "alias")] | length' <<<"$output")" = 2 ]
}

@test "wait: returns 0 once the lagging server gets the value" {
	zone_set main '_acme-challenge.w1 60 IN TXT "token-w1"'
	zone_set old
	"$DD" wait _acme-challenge.w1.$ZONE TXT --expect token-w1 --timeout 60 > "$BATS_TEST_TMPDIR/out" 2>&1 &
	pid=$!
	sleep 2
	# Still waiting: the secondary lacks it.
	kill -0 "$pid"
	zone_set old '_acme-challenge.w1 60 IN TXT "token-w1"'
	rc=0; wait "$pid" || rc=$?
	cat "$BATS_TEST_TMPDIR/out"
	[ "$rc" -eq 0 ]
	grep -q "served by all 2 addresses" "$BATS_TEST_TMPDIR/out"
}

@test "propagation: every --expect adds to the set; a server with only one of two values lags" {
	# The two TXT values of a certificate for w3 and *.w3: A has both, B one.
	zone_set main '_acme-challenge.w3 60 IN TXT "tok-base"' '_acme-challenge.w3 60 IN TXT "tok-wild"'
	zone_set old '_acme-challenge.w3 60 IN TXT "tok-base"'
	run "$DD" propagation _acme-challenge.w3.$ZONE TXT --expect tok-base --expect tok-wild --json
	[ "$status" -eq 2 ]
	[ "$(jq -r '.expect_more | join(" ")' <<<"$output")" = tok-wild ]
	[ "$(jq -r '[.findings[] | select(.code=="RECORD_MISSING_ON_AUTH") | .evidence.servers[].addr] | join(" ")' <<<"$output")" = "$B" ]
	[[ "$(jq -r '.findings[] | select(.code=="RECORD_MISSING_ON_AUTH") | .summary' <<<"$output")" == *"with the expected values tok-base, tok-wild"* ]]
	# One --expect alone is served everywhere (the copies still differ).
	run "$DD" propagation _acme-challenge.w3.$ZONE TXT --expect tok-base --json
	[[ "$(codes <<<"$output")" != *RECORD_MISSING_ON_AUTH* ]]
	# wait returns once B has both; its evidence keeps the set.
	zone_set old '_acme-challenge.w3 60 IN TXT "tok-base"' '_acme-challenge.w3 60 IN TXT "tok-wild"'
	run "$DD" wait _acme-challenge.w3.$ZONE TXT --expect tok-base --expect tok-wild --timeout 10 --save-evidence "$BATS_TEST_TMPDIR/w3.json"
	[ "$status" -eq 0 ]
	[ "$(jq -r '.record.expect_more | join(" ")' "$BATS_TEST_TMPDIR/w3.json")" = tok-wild ]
}

@test "wait: gives up with exit 2 and names the server that never gets it" {
	zone_set main '_acme-challenge.w2 60 IN TXT "token-w2"'
	zone_set old
	run "$DD" wait _acme-challenge.w2.$ZONE TXT --expect token-w2 --timeout 2 --json
	[ "$status" -eq 2 ]
	[[ "$(codes <<<"$output")" == *RECORD_MISSING_ON_AUTH* ]]
	[ "$(jq -r '[.findings[] | select(.code=="RECORD_MISSING_ON_AUTH") | .evidence.servers[].addr] | join(" ")' <<<"$output")" = "$B" ]
}

@test "wait: never asks a resolver unless told to" {
	zone_set main '_acme-challenge.w3 60 IN TXT "token-w3"'
	zone_set old '_acme-challenge.w3 60 IN TXT "token-w3"'
	ev="$BATS_TEST_TMPDIR/ev.json"
	run "$DD" wait _acme-challenge.w3.$ZONE TXT --expect token-w3 --timeout 10 --save-evidence "$ev"
	[ "$status" -eq 0 ]
	[ "$(jq '[.exchanges[] | select(.role=="record-resolver")] | length' "$ev")" -eq 0 ]
	[ "$(jq '[.exchanges[] | select(.role=="record")] | length' "$ev")" -eq 2 ]
}

@test "wait --replay: the saved evidence gives the same outcome offline, the lagging one too" {
	zone_set main '_acme-challenge.w4 60 IN TXT "token-w4"'
	zone_set old '_acme-challenge.w4 60 IN TXT "token-w4"'
	ev="$BATS_TEST_TMPDIR/ok.json"
	run "$DD" wait _acme-challenge.w4.$ZONE TXT --expect token-w4 --timeout 10 --save-evidence "$ev"
	[ "$status" -eq 0 ]
	run "$DD" wait _acme-challenge.w4.$ZONE TXT --expect token-w4 --timeout 10 --replay "$ev"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"served by all 2 addresses"* ]]
	zone_set old
	ev="$BATS_TEST_TMPDIR/lag.json"
	run "$DD" wait _acme-challenge.w4.$ZONE TXT --expect token-w4 --timeout 1 --save-evidence "$ev"
	[ "$status" -eq 2 ]
	# Offline, a wait of five minutes runs out on the recording's clock,
	# which the replay engine moves without sleeping.
	run --separate-stderr "$DD" wait _acme-challenge.w4.$ZONE TXT --expect token-w4 --timeout 300 --replay "$ev" --json
	[ "$status" -eq 2 ]
	[ "$(jq .duration_ms <<<"$output")" -ge 300000 ]
	[ "$(jq -r '[.findings[] | select(.code=="RECORD_MISSING_ON_AUTH") | .evidence.servers[].addr] | join(" ")' <<<"$output")" = "$B" ]
}

@test "plan: the worst case is the record's TTL at the servers, steps in UTC" {
	zone_set main "plan1 300 IN A 127.53.200.4"
	zone_set old "plan1 300 IN A 127.53.200.4"
	run "$DD" plan plan1.$ZONE A --resolvers "$LAB_RESOLVER" --json
	[ "$status" -eq 0 ]
	ttl=$(dig +noall +answer +norec @"$A" plan1.$ZONE A | awk '{ print $2 }')
	[ "$(jq -r .ttl <<<"$output")" = "$ttl" ]
	[ "$(jq -r .worst_case_seconds <<<"$output")" -ge "$ttl" ]
	[ "$(jq -r '.steps | length' <<<"$output")" -eq 3 ]
	[[ "$(jq -r '.steps[1].at' <<<"$output")" == *UTC ]]
}

# check --acme judges every server on its own: the CA's resolver asks one.
acme_check() {
	run --separate-stderr "$DD" check "$@" --json --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "# exit $status; stderr: $stderr"
	echo "$output" | jq -c '.findings[] | {code, severity, summary}'
}

@test "check --acme: the right TXT on A does not hide B's earlier value: an error naming B, 1 in 2" {
	zone_set main '_acme-challenge.acmestale1 60 IN TXT "order-2-digest"'
	zone_set old '_acme-challenge.acmestale1 60 IN TXT "order-1-digest"'
	acme_check acmestale1.$ZONE --acme --txt order-2-digest
	[ "$status" -eq 2 ]
	jq -e '[.findings[] | select(.code == "ACME_CHALLENGE_VALUE_MISMATCH" and .severity == "error")] | length == 1' <<<"$output"
	jq -e '.findings[] | select(.code == "ACME_CHALLENGE_VALUE_MISMATCH") | .evidence.servers_wrong == ["b.propagation-lag.beta-dns.org."] and .evidence.servers_right == ["a.propagation-lag.alpha-dns.net."]' <<<"$output"
	jq -e '.findings[] | select(.code == "ACME_CHALLENGE_VALUE_MISMATCH") | .summary | test("b.propagation-lag.beta-dns.org. serves only \"order-1-digest\"") and test("1 in 2")' <<<"$output"
	jq -e '.findings[] | select(.code == "ACME_CHALLENGE_VALUE_MISMATCH") | .evidence.values_by_server["b.propagation-lag.beta-dns.org."] == ["order-1-digest"]' <<<"$output"
	# Both orders' values on B (a client that adds before it deletes) is fine there.
	zone_set old '_acme-challenge.acmestale1 60 IN TXT "order-1-digest"' '_acme-challenge.acmestale1 60 IN TXT "order-2-digest"'
	acme_check acmestale1.$ZONE --acme --txt order-2-digest
	jq -e '[.findings[] | select(.code == "ACME_CHALLENGE_VALUE_MISMATCH")] | length == 0' <<<"$output"
}

@test "check --acme: a secondary that lacks the record is an error naming it, 1 in 2" {
	zone_set main '_acme-challenge.acmestale2 60 IN TXT "order-9-digest"'
	zone_set old
	acme_check acmestale2.$ZONE --acme --txt order-9-digest
	[ "$status" -eq 2 ]
	jq -e '.findings[] | select(.code == "ACME_CHALLENGE_MISSING") | .severity == "error" and (.summary | test("not on b.propagation-lag.beta-dns.org.") and test("1 in 2"))' <<<"$output"
	jq -e '[.findings[] | select(.code == "ACME_CHALLENGE_VALUE_MISMATCH")] | length == 0' <<<"$output"
}

@test "propagation: a resolver that cached the old address and one that did not are RESOLVERS_DISAGREE" {
	zone_set main "disagree1 300 IN A 127.53.200.11"
	zone_set old "disagree1 300 IN A 127.53.200.11"
	[ "$(dig +short @"$LAB_RESOLVER" disagree1.$ZONE A)" = 127.53.200.11 ]
	zone_set main "disagree1 300 IN A 127.53.200.12"
	zone_set old "disagree1 300 IN A 127.53.200.12"
	run "$DD" propagation disagree1.$ZONE A --expect 127.53.200.12 --resolvers "$LAB_RESOLVER,$LAB_VALIDATING_RESOLVER" --json
	echo "$output" | jq -c '.findings[] | {code, summary}'
	[ "$status" -eq 1 ]
	[ "$(codes <<<"$output")" = "RESOLVERS_DISAGREE RESOLVER_STALE " ]
	jq -e '.findings[] | select(.code == "RESOLVERS_DISAGREE") | .evidence.resolvers | length == 2' <<<"$output"
}

@test "propagation: a record with a TTL of a day is HIGH_TTL" {
	zone_set main "highttl1 86400 IN A 127.53.200.13"
	zone_set old "highttl1 86400 IN A 127.53.200.13"
	run "$DD" propagation highttl1.$ZONE A --expect 127.53.200.13 --resolvers "$LAB_VALIDATING_RESOLVER" --json
	echo "$output" | jq -c '.findings[] | {code, summary}'
	[ "$status" -eq 1 ]
	jq -e '.findings[] | select(.code == "HIGH_TTL") | .evidence.ttl == 86400 and .evidence.kind == "positive"' <<<"$output"
}

@test "check and propagation: a resolver named with --resolvers that never answers is RESOLVER_UNREACHABLE" {
	# 127.0.0.9: nothing listens (port unreachable); 127.53.254.1: no lab
	# server either. The lab resolver answers and is not named.
	run --separate-stderr "$DD" check healthy.com --resolvers "$LAB_RESOLVER,127.0.0.9,dead=127.53.254.1" --timeout 0.5 --json
	[ "$status" -eq 1 ]
	[ "$(jq -r '[.findings[] | select(.code == "RESOLVER_UNREACHABLE") | .evidence.address] | sort | join(" ")' <<<"$output")" = "127.0.0.9 127.53.254.1" ]
	jq -e '.findings[] | select(.evidence.address == "127.53.254.1") | .severity == "warning" and (.summary | test("dead \\(127.53.254.1\\)"))' <<<"$output"
	# every resolver asked has its line, healthy or not
	jq -e '[.resolvers[] | .address + " " + .status] == ["127.53.53.53 ok", "127.0.0.9 unreachable", "127.53.254.1 unreachable"]' <<<"$output"
	run --separate-stderr "$DD" check healthy.com --resolvers "$LAB_RESOLVER,127.0.0.9" --timeout 0.5
	[[ "$output" == *"Resolvers asked for healthy.com. SOA"* ]]
	[[ "$output" == *"127.0.0.9"*"unreachable"*"unreachable"* ]]
	[[ "$output" == *"127.53.53.53"*"NOERROR"* ]]
	zone_set main "unreach1 300 IN A 127.53.200.21"
	zone_set old "unreach1 300 IN A 127.53.200.21"
	run --separate-stderr "$DD" propagation unreach1.$ZONE A --resolvers "$LAB_RESOLVER,127.0.0.9" --timeout 0.5 --json
	[ "$status" -eq 1 ]
	[ "$(codes <<<"$output")" = "RESOLVER_UNREACHABLE " ]
	# all answered but one: not "complete"
	jq -e '[.findings[] | select(.code == "PROPAGATION_COMPLETE")] | length == 0' <<<"$output"
}

@test "resolvers with a port: ADDR#PORT is asked on that port (the lab resolver answers on 53, nothing on 5353)" {
	run --separate-stderr "$DD" check healthy.com --resolvers "$LAB_RESOLVER#53,$LAB_RESOLVER#5353" --timeout 0.5 --json
	[ "$status" -eq 1 ]
	[ "$(jq -r '[.findings[] | select(.code == "RESOLVER_UNREACHABLE") | .evidence.address] | join(" ")' <<<"$output")" = "$LAB_RESOLVER#5353" ]
	zone_set main "port1 300 IN A 127.53.200.31"
	zone_set old "port1 300 IN A 127.53.200.31"
	run --separate-stderr "$DD" propagation port1.$ZONE A --resolvers "[::1]:5353 $LAB_RESOLVER" --timeout 0.5 --json
	jq -e '[.views[] | select(.kind == "resolver" or .kind == "local") | .addr] | sort == ["127.53.53.53", "::1#5353"]' <<<"$output"
	jq -e '.views[] | select(.addr == "127.53.53.53") | .state == "current"' <<<"$output"
}

# The lines every command's human report opens with (report/layout.h):
# "SUBJECT [QUALIFIER]  WORD  [TAIL]", a blank line, the verdict indented by
# two, "  Fix:", and "Findings (N errors, M warnings)"; no line ends in a
# space.
layout_of() {
	local out=$1 head=$2
	echo "$out" | head -n 8
	[[ "$(sed -n 1p <<<"$out")" =~ ^$head\ \ (OK|WARNING|ERROR) ]]
	[ -z "$(sed -n 2p <<<"$out")" ]
	[[ "$(sed -n 3p <<<"$out")" == "  "[!\ ]* ]]
	grep -qx '  Fix:' <<<"$out"
	grep -Eq '^Findings \([0-9]+ errors?, [0-9]+ warnings?\)$' <<<"$out"
	if grep -n ' $' <<<"$out"; then return 1; fi
}

@test "one layout: check, propagation and a timed-out wait open alike; width from COLUMNS" {
	zone_set main '_acme-challenge.lay1 60 IN TXT "tok-lay1"'
	zone_set old
	run "$DD" propagation _acme-challenge.lay1.$ZONE TXT --expect tok-lay1
	[ "$status" -eq 2 ]
	layout_of "$output" "_acme-challenge\.lay1\.$ZONE\. TXT"
	[[ "$(sed -n 3p <<<"$output")" == "  ETA: never, unless something changes."* ]]
	grep -Eq '^  VIEW +SERVER +ADDRESS +STATE' <<<"$output"
	run --separate-stderr "$DD" wait _acme-challenge.lay1.$ZONE TXT --expect tok-lay1 --timeout 1
	[ "$status" -eq 2 ]
	layout_of "$output" "_acme-challenge\.lay1\.$ZONE\. TXT"
	run "$DD" check seed-refused.com
	[ "$status" -eq 2 ]
	layout_of "$output" "seed-refused\.com\."
	# 78 columns off a terminal; COLUMNS=50: 48
	run "$DD" propagation _acme-challenge.lay1.$ZONE TXT --expect tok-lay1
	[ "$(sed -n '1d;/^Findings/q;p' <<<"$output" | awk '{ print length }' | sort -n | tail -n 1)" -le 78 ]
	COLUMNS=50 run "$DD" propagation _acme-challenge.lay1.$ZONE TXT --expect tok-lay1
	[ "$(sed -n '1d;/^Findings/q;p' <<<"$output" | awk '{ print length }' | sort -n | tail -n 1)" -le 48 ]
}
