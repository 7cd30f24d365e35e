#!/usr/bin/env bats
# A delegation change reaching the world (issue 15): the lab's TLD servers
# (Knot "tld" and BIND's view "tld", one zone file each for com. and net.)
# get a new delegation while the lab's Unbound still holds the old one.
# Scenario lab/scenarios/deleg-move: net. delegates deleg-move.net to {A,B}
# (TTL 60 s); the test moves it to {C,D}, Knot first, BIND (SIGHUP) after,
# so one parent server lags. The DS case changes dnssec-healthy.com's DS in
# com. the same way. Each test puts the TLD zone back as it found it.

load lab_helper
bats_require_minimum_version 1.5.0

ZONE=deleg-move.net
OLD_NS="a.deleg-move.alpha-dns.net. b.deleg-move.beta-dns.org."
C=c.deleg-move.gamma-dns.com
D=d.deleg-move.alpha-dns.net
KNOT_TLD=127.53.1.1 # a.gtld-servers.net: Knot
BIND_TLD=127.53.1.2 # b.gtld-servers.net: BIND

setup_file() { lab_start; }
teardown_file() { lab_stop; }
setup() {
	lab_skip_if_unavailable
	DD=${DNSDOCTOR:-build/dnsdoctor}
	HINTS=(--root-hints "$DNSDOCTOR_ROOT_HINTS")
}

tld_file() { echo "$LAB_TMP/zones/shared/$1.zone"; }
reload_knot() { knotc -s "$LAB_TMP/srv/knot-tld/knot.sock" -b zone-reload "$1." >/dev/null; }
# BIND has no control channel in the lab: SIGHUP (to the lab's own named,
# by the PID it wrote) reloads its zones. Returns once 127.53.1.2 serves
# what grep -q PATTERN finds in `dig +norec NAME TYPE` (at most 100 looks).
reload_bind() {
	local name=$1 type=$2 pattern=$3 i
	kill -HUP "$(cat "$LAB_TMP/srv/bind/pid")"
	for i in $(seq 100); do
		q +nosplit @"$BIND_TLD" "$name" "$type" | grep -qi -- "$pattern" && return 0
		sleep 0.1
	done
	echo "# BIND did not reload $name $type" >&3
	return 1
}

# ns_move FROM1 FROM2 TO1 TO2: net.'s delegation of deleg-move.net from
# {FROM1,FROM2} to {TO1,TO2} in the zone file (both servers read it).
ns_move() {
	sed -i -e "s/^\(deleg-move\.net\.[[:space:]].*NS[[:space:]]*\)$1\$/\1$3/" \
		-e "s/^\(deleg-move\.net\.[[:space:]].*NS[[:space:]]*\)$2\$/\1$4/" "$(tld_file net)"
}

# What the resolver's cached copy has left, as it says.
resolver_ttl() { dig +noall +answer @"$LAB_RESOLVER" "$1" "$2" | awk 'NR == 1 { print $2 }'; }

@test "lab: net. delegates deleg-move.net to the old servers; the new ones serve the zone already" {
	[ "$(q +noall +authority @"$KNOT_TLD" $ZONE NS | awk '{ print $5 }' | sort | tr '\n' ' ')" = "$OLD_NS " ]
	[ "$(ns_of @127.53.120.3 $ZONE)" = "$C. $D. " ]
}

@test "propagation and wait NS: a parent server that lags is 'unknown until the registry publishes'; wait returns once every parent server does; the resolver's cached delegation sets the ETA" {
	# Prime the resolver with the old delegation.
	[ "$(dig +short @"$LAB_RESOLVER" $ZONE NS | sort | tr '\n' ' ')" = "$OLD_NS " ]
	ns_move a.deleg-move.alpha-dns.net. b.deleg-move.beta-dns.org. $C. $D.
	reload_knot net
	[ "$(q +noall +authority @"$KNOT_TLD" $ZONE NS | awk '{ print $5 }' | sort | tr '\n' ' ')" = "$C. $D. " ]

	# Knot publishes it, BIND (the other parent server) does not yet.
	run "$DD" propagation $ZONE NS --expect $C --expect $D --resolvers "$LAB_RESOLVER" "${HINTS[@]}" --json
	echo "$output" | jq -c '.delegation, .findings[].code'
	[ "$status" -eq 2 ]
	[ "$(jq -r '.delegation.parent_zone' <<<"$output")" = net. ]
	[ "$(jq -r '.delegation.parent_addresses' <<<"$output")" = 2 ]
	[ "$(jq -r '.delegation.parent_current' <<<"$output")" = 1 ]
	[ "$(jq -r '.delegation.fresh_resolver_eta_seconds' <<<"$output")" = null ]
	[ "$(jq -r '.eta_seconds' <<<"$output")" = null ]
	jq -e '.findings[] | select(.code == "RECORD_MISSING_ON_AUTH") | .summary | test("b.gtld-servers.net")' <<<"$output"
	jq -e '[.findings[].code] | index("HIGH_TTL") == null' <<<"$output"
	COLUMNS=400 run "$DD" propagation $ZONE NS --expect $C --expect $D --resolvers "$LAB_RESOLVER" "${HINTS[@]}"
	[ "$status" -eq 2 ]
	[[ $output == *"ETA: unknown: when the registry publishes the delegation on every server of net."* ]]
	[[ $output == *"parent servers: 1 of 2 addresses publish the expected set"* ]]

	# wait does not return while a parent server lags...
	run "$DD" wait $ZONE NS --expect $C --expect $D "${HINTS[@]}" --timeout 2 --json
	[ "$status" -eq 2 ]
	jq -e '.findings[] | select(.code == "RECORD_MISSING_ON_AUTH")' <<<"$output"
	# ... and returns once every one publishes it.
	"$DD" wait $ZONE NS --expect $C --expect $D "${HINTS[@]}" --json >"$BATS_TEST_TMPDIR/wait.json" 2>/dev/null &
	local pid=$!
	reload_bind $ZONE NS "$C"
	local st=0
	wait "$pid" || st=$?
	cat "$BATS_TEST_TMPDIR/wait.json"
	[ "$st" -eq 0 ]
	[ "$(jq -r '.ok' "$BATS_TEST_TMPDIR/wait.json")" = true ]
	[ "$(jq -r '.servers' "$BATS_TEST_TMPDIR/wait.json")" = 2 ]

	# Every parent server publishes it: a fresh resolver uses it now; the
	# primed one keeps the old set for the TTL it holds.
	run "$DD" propagation $ZONE NS --expect $C --expect $D --resolvers "$LAB_RESOLVER" "${HINTS[@]}" --json --save-evidence "$BATS_TEST_TMPDIR/ev.json"
	local ttl
	ttl=$(resolver_ttl $ZONE NS)
	echo "$output" | jq -c '.delegation'
	echo "resolver ttl=$ttl"
	[ "$status" -eq 1 ]
	[ "$(jq -r '.delegation.parent_current' <<<"$output")" = 2 ]
	[ "$(jq -r '.delegation.fresh_resolver_eta_seconds' <<<"$output")" = 0 ]
	[ "$(jq -r '[.views[] | select(.kind == "resolver")][0].state' <<<"$output")" = stale ]
	/usr/bin/python3 "$BATS_TEST_DIRNAME/../schema/validate" - <<<"$output"
	local left eta
	left=$(jq -r '.delegation.resolvers[0].eta_seconds' <<<"$output")
	eta=$(jq -r '.eta_seconds' <<<"$output")
	[ "$eta" = "$left" ]
	[ "$(jq -r '.delegation.resolvers_eta_seconds' <<<"$output")" = "$left" ]
	[ "$(jq -r '.findings[] | select(.code == "RESOLVER_STALE") | .evidence.seconds_left' <<<"$output")" = "$left" ]
	jq -e '.findings[] | select(.code == "RESOLVER_STALE") | .fix | test("cached delegation")' <<<"$output"
	# analyze of the saved evidence: the same delegation, the same ETAs.
	local live
	live=$(jq -c .delegation <<<"$output")
	run "$DD" analyze "$BATS_TEST_TMPDIR/ev.json" --json
	[ "$status" -eq 1 ]
	[ "$(jq -c .delegation <<<"$output")" = "$live" ]
	local d=$((left - ttl))
	[ ${d#-} -le 3 ]
	COLUMNS=400 run "$DD" propagation $ZONE NS --expect $C --expect $D --resolvers "$LAB_RESOLVER" "${HINTS[@]}"
	[[ $output == *"a fresh resolver (a CA's) gets the new delegation now"* ]]
	[[ $output == *"resolver $LAB_RESOLVER: keeps its cached copy (not the expected set) for another"* ]]
	run "$DD" propagation $ZONE NS --expect $C --expect $D --resolvers "$LAB_RESOLVER" "${HINTS[@]}" --format html
	[[ $output == *"a fresh resolver (a CA&#39;s) gets the new delegation now"* || $output == *"a fresh resolver (a CA's) gets the new delegation now"* ]]

	# wait --resolvers: also until the resolver lets its copy go and asks
	# the parent again.
	run "$DD" wait $ZONE NS --expect $C --expect $D --resolvers "$LAB_RESOLVER" "${HINTS[@]}" --json
	[ "$status" -eq 0 ]
	[ "$(dig +short @"$LAB_RESOLVER" $ZONE NS | sort | tr '\n' ' ')" = "$C. $D. " ]

	# Put net. back.
	ns_move $C. $D. a.deleg-move.alpha-dns.net. b.deleg-move.beta-dns.org.
	reload_knot net
	reload_bind $ZONE NS a.deleg-move.alpha-dns.net
}

@test "propagation and wait DS: asked of the parent's servers; wait returns once every one serves the new DS; the resolver's cached DS sets the ETA" {
	local z=dnssec-healthy.com file old new tag
	file=$(tld_file com)
	old=$(q +short +nosplit @"$KNOT_TLD" $z DS | head -1 | tr A-F a-f)
	[ -n "$old" ]
	tag=${old%% *}
	new="$tag 13 2 $(printf '%064d' 0 | tr 0 a)"
	# Prime the resolver with the old DS.
	[ "$(dig +short +nosplit @"$LAB_RESOLVER" $z DS | tr A-F a-f)" = "$old" ]
	local olddigest=${old##* } newdigest=${new##* }
	cp "$file" "$BATS_TEST_TMPDIR/com.zone"
	# The digest as the signer wrote it (case as in the file).
	sed -i "s/$olddigest/$newdigest/I" "$file"
	grep -qi "$newdigest" "$file"
	reload_knot com

	run "$DD" propagation $z DS --expect "$new" --resolvers "$LAB_RESOLVER" "${HINTS[@]}" --json
	echo "$output" | jq -c '.delegation, .findings[].code'
	[ "$status" -eq 2 ]
	[ "$(jq -r '.delegation.parent_zone' <<<"$output")" = com. ]
	[ "$(jq -r '.delegation.parent_current' <<<"$output")" = 1 ]
	[ "$(jq -r '.delegation.fresh_resolver_eta_seconds' <<<"$output")" = null ]
	jq -e '[.findings[].code] | index("HIGH_TTL") == null' <<<"$output"
	jq -e '[.views[] | select(.kind == "authoritative") | .zone] | unique == ["com."]' <<<"$output"
	/usr/bin/python3 "$BATS_TEST_DIRNAME/../schema/validate" - <<<"$output"

	"$DD" wait $z DS --expect "$new" "${HINTS[@]}" --json >"$BATS_TEST_TMPDIR/wait.json" 2>/dev/null &
	local pid=$!
	reload_bind $z DS "$(echo "$newdigest" | cut -c1-20)"
	local st=0
	wait "$pid" || st=$?
	cat "$BATS_TEST_TMPDIR/wait.json"
	[ "$st" -eq 0 ]
	[ "$(jq -r '.servers' "$BATS_TEST_TMPDIR/wait.json")" = 2 ]

	run "$DD" propagation $z DS --expect "$new" --resolvers "$LAB_RESOLVER" "${HINTS[@]}" --json
	local ttl left
	ttl=$(resolver_ttl $z DS)
	echo "$output" | jq -c '.delegation'
	echo "resolver ttl=$ttl"
	[ "$status" -eq 1 ]
	[ "$(jq -r '.delegation.fresh_resolver_eta_seconds' <<<"$output")" = 0 ]
	left=$(jq -r '.delegation.resolvers[0].eta_seconds' <<<"$output")
	[ "$(jq -r '.eta_seconds' <<<"$output")" = "$left" ]
	jq -e '.findings[] | select(.code == "RESOLVER_STALE")' <<<"$output"
	local d=$((left - ttl))
	[ ${d#-} -le 3 ]

	# Put com. back.
	cp "$BATS_TEST_TMPDIR/com.zone" "$file"
	reload_knot com
	reload_bind $z DS "$(echo "$olddigest" | cut -c1-20)"
}

@test "propagation NS, the first seed: com. moves seed-refused.com to the new servers after the resolver met the old ones (REFUSED): it follows the new delegation, or gets com.'s TTL as its bound" {
	local z=seed-refused.com file
	local new="ns-2034.awsdns-62.co.uk ns-667.awsdns-19.net ns-1267.awsdns-30.org ns-145.awsdns-18.com"
	file=$(tld_file com)
	# Prime the resolver with the old delegation: it fails (REFUSED).
	[ "$(dig +time=3 @"$LAB_RESOLVER" $z SOA | awk '/status:/ { print $6 }')" = "SERVFAIL," ]
	cp "$file" "$BATS_TEST_TMPDIR/com.zone"
	sed -i -e '/^seed-refused\.com\.[[:space:]].*[[:space:]]NS[[:space:]]/d' "$file"
	local n
	for n in $new; do echo "seed-refused.com. 172800 IN NS $n." >>"$file"; done
	reload_knot com
	reload_bind $z NS ns-2034.awsdns-62
	local expects=() ttl
	for n in $new; do expects+=(--expect "$n"); done
	ttl=$(q +noall +authority @"$KNOT_TLD" $z NS | awk '$4 == "NS" { print $2; exit }')

	run --separate-stderr "$DD" propagation $z NS "${expects[@]}" --resolvers "$LAB_RESOLVER" "${HINTS[@]}" --json
	echo "$output" | jq -c '.delegation'
	cp "$BATS_TEST_TMPDIR/com.zone" "$file"
	reload_knot com
	reload_bind $z NS ns-549.awsdns-04
	[ "$(jq -r '.delegation.parent_current' <<<"$output")" = 2 ]
	[ "$(jq -r '.delegation.fresh_resolver_eta_seconds' <<<"$output")" = 0 ]
	# Unbound, finding every old server refusing, may ask com. again and
	# follow the new delegation at once (ETA 0, no bound); a resolver that
	# keeps failing (SERVFAIL) gets no ETA but com.'s TTL as its bound.
	local eta bound
	eta=$(jq -r '.delegation.resolvers[0].eta_seconds' <<<"$output")
	bound=$(jq -r '.delegation.resolvers[0].eta_bound_seconds' <<<"$output")
	echo "# eta $eta, bound $bound, com.'s TTL $ttl"
	[ -n "$ttl" ]
	if [ "$eta" = 0 ]; then
		[ "$bound" = null ]
		[ "$(jq -r '.eta_seconds' <<<"$output")" = 0 ]
	else
		[ "$eta" = null ]
		[ "$bound" -le "$ttl" ] && [ "$bound" -ge $((ttl - 5)) ]
	fi
	/usr/bin/python3 "$BATS_TEST_DIRNAME/../schema/validate" - <<<"$output"
}
