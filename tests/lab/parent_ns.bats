#!/usr/bin/env bats
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
