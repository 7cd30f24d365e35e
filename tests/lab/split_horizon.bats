#!/usr/bin/env bats
# SPLIT_HORIZON against a real Unbound whose local-data shadows a public lab
# name (www.healthy.com: 127.53.200.10 at the authoritative servers). The
# split resolver runs on 127.53.66.53 from a config of its own, started here
# and stopped by its PID. `propagation` treats the first of --resolvers as
# the local (system) resolver.

load lab_helper

SPLIT=127.53.66.53

setup_file() {
	lab_start
	[ -z "$LAB_SKIP" ] || return 0
	local d="$LAB_TMP/split"
	mkdir -p "$d"
	cat > "$d/unbound.conf" <<-EOF
	server:
	    interface: $SPLIT
	    port: 53
	    outgoing-interface: $SPLIT
	    do-ip6: no
	    username: ""
	    chroot: ""
	    directory: "$d"
	    pidfile: "$d/pid"
	    logfile: "$d/log"
	    use-syslog: no
	    num-threads: 1
	    root-hints: "$DNSDOCTOR_ROOT_HINTS"
	    do-not-query-localhost: no
	    access-control: 127.0.0.0/8 allow
	    module-config: "iterator"
	    # the internal view of one public name; everything else recurses
	    local-zone: "www.healthy.com." static
	    local-data: "www.healthy.com. 3600 IN A 127.53.200.99"
	remote-control:
	    control-enable: no
	EOF
	PATH=$PATH:/usr/sbin unbound -d -c "$d/unbound.conf" > "$d/start.log" 2>&1 &
	echo $! > "$d/our-pid"
	for _ in $(seq 50); do
		dig +time=1 +tries=1 @"$SPLIT" www.healthy.com A 2>/dev/null | grep -q 'status: NOERROR' && break
		sleep 0.1
	done
}
teardown_file() {
	local p
	if [ -n "${LAB_TMP:-}" ] && [ -f "$LAB_TMP/split/our-pid" ]; then
		p=$(cat "$LAB_TMP/split/our-pid")
		kill "$p" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
	fi
	lab_stop
}
setup() { lab_skip_if_unavailable; DD=${DNSDOCTOR:-build/dnsdoctor}; }

@test "split horizon: the resolvers really disagree (dig)" {
	[ "$(dig +short @"$SPLIT" www.healthy.com A)" = 127.53.200.99 ]
	[ "$(dig +short @"$LAB_RESOLVER" www.healthy.com A)" = 127.53.200.10 ]
	[ "$(dig +short +norec @127.53.32.1 www.healthy.com A)" = 127.53.200.10 ]
}

@test "split horizon: a local resolver whose local-data shadows the public name is SPLIT_HORIZON, named" {
	run "$DD" propagation www.healthy.com A --resolvers "$SPLIT,$LAB_RESOLVER" --json --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "$output"
	[ "$status" -ne 0 ]
	[ "$(jq -r '[.findings[] | select(.code=="SPLIT_HORIZON") | .evidence.addr] | join(" ")' <<<"$output")" = "$SPLIT" ]
	[ "$(jq -r '.findings[] | select(.code=="SPLIT_HORIZON") | .evidence.aa' <<<"$output")" = true ]
	# Only the shadowing resolver: the lab resolver and the servers agree.
	[ "$(jq '[.findings[] | select(.code=="SPLIT_HORIZON")] | length' <<<"$output")" -eq 1 ]
	[[ "$(jq -r '.findings[] | select(.code=="SPLIT_HORIZON") | .summary' <<<"$output")" == *127.53.200.99* ]]
}

@test "split horizon: the same name through a plain resolver that agrees with the servers is not SPLIT_HORIZON" {
	run "$DD" propagation www.healthy.com A --resolvers "$LAB_RESOLVER" --json --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(jq '[.findings[] | select(.code=="SPLIT_HORIZON")] | length' <<<"$output")" -eq 0 ]
	[ "$(jq -r '[.findings[].code] | join(" ")' <<<"$output")" = PROPAGATION_COMPLETE ]
}
