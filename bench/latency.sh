#!/usr/bin/env bash
# bench/latency.sh: `dnsdoctor check` on a lab where every answer is late by
# DELAY ms, against the critical path of the check (the round trips no
# prober can avoid, times DELAY). The kernel here has no netem, so dnsdist
# stands in front of every lab server: the servers listen on 127.54.x.y, and
# dnsdist on the lab's own 127.53.x.y forwards to them and holds each UDP
# answer back with DelayAction. Root only; inside lab/netns. See
# bench/README.md.
#
# Environment: DNSDOCTOR (default build/dnsdoctor), DELAY (ms, default 20),
# BENCH_DOMAINS (default "healthy.com dnssec-healthy.com seed-refused.com
# partial-ns.net glue-mismatch.com"),
# RUNS (default 10), ZM_RUNS (zonemaster-cli runs on the late lab, default
# 3; its column is left out when zonemaster-cli is not installed or
# NO_ZONEMASTER=1; bench/check.sh installs it), CHECK_ARGS (more options
# for dnsdoctor check, e.g. --acme; the critical path stays that of the
# plain check, so the ratio then includes the validation questions).
set -euo pipefail

BENCH_NAME=latency
# shellcheck source=bench/common.bash
. "$(dirname "${BASH_SOURCE[0]}")/common.bash"
DELAY=${DELAY:-20}
DOMAINS=${BENCH_DOMAINS:-healthy.com dnssec-healthy.com seed-refused.com partial-ns.net glue-mismatch.com}
RUNS=${RUNS:-10}
CHECK_ARGS=${CHECK_ARGS:-}
ZM_RUNS=${ZM_RUNS:-3}

# dnsdist is needed only here (Debian's package; policy-rc.d, if present,
# keeps the package's own service from starting).
command -v dnsdist >/dev/null || apt_install dnsdist || die "could not install dnsdist"
in_netns || exec "$LAB_SRC/netns" "$0" "$@"
need hyperfine jq dig dnsdist python3

WORK=$(mktemp -d /tmp/dnsdoctor-bench-latency.XXXXXX)
DIST_PID=
stop_dist() {
	[ -n "$DIST_PID" ] || return 0
	kill "$DIST_PID" 2>/dev/null || true
	wait "$DIST_PID" 2>/dev/null || true
	DIST_PID=
}
trap 'stop_dist; "$WORK/src/lab" down "$WORK/lab" >/dev/null 2>&1; rm -rf "$WORK"' EXIT

# A copy of the lab whose servers listen on 127.54.x.y; zones, glue and root
# hints keep the 127.53.x.y addresses, which are dnsdist's.
cp -a "$LAB_SRC" "$WORK/src"
for f in "$WORK/src/servers" "$WORK/src"/scenarios/*/servers; do
	awk '/^[[:space:]]*(#|$)/ { print; next } { gsub(/127\.53\./, "127.54.", $3); print }' "$f" >"$f.new"
	mv "$f.new" "$f"
done

# One listener per server address; each forwards only to its own server
# (a pool per address, chosen by the destination of the query).
write_dist_conf() {
	local delay=$1 conf=$2
	{
		echo "setSecurityPollSuffix('')"
		echo "setServFailWhenNoServer(true)"
		[ "$delay" -gt 0 ] && echo "addAction(AllRule(), DelayAction($delay))"
		awk '/^[[:space:]]*(#|$)/ { next } { n = split($3, a, ","); for (i = 1; i <= n; i++) if (a[i] != "-") print a[i] }' \
			"$WORK/src/servers" "$WORK/src"/scenarios/*/servers |
			sort -u | while read -r back; do
			front=${back/#127.54./127.53.}
			pool=p${back//./_}
			echo "addLocal('$front:53', { reusePort = false })"
			echo "newServer({ address = '$back:53', pool = '$pool', checkInterval = 3600 }):setUp()"
			echo "do local m = newNMG(); m:addMask('$front/32'); addAction(NetmaskGroupRule(m, false), PoolAction('$pool')) end"
		done
	} >"$conf"
}

# start_dist DELAY [wait]: (re)starts dnsdist; with "wait", until the lab
# root answers through it.
start_dist() {
	local delay=$1
	stop_dist
	write_dist_conf "$delay" "$WORK/dnsdist-$delay.conf"
	dnsdist --supervised --disable-syslog -C "$WORK/dnsdist-$delay.conf" >"$WORK/dnsdist-$delay.log" 2>&1 &
	DIST_PID=$!
	[ "${2:-}" = wait ] || return 0
	for _ in $(seq 100); do
		dig +norec +time=1 +tries=1 @127.53.0.1 . SOA >/dev/null 2>&1 && return 0
		kill -0 "$DIST_PID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$WORK/dnsdist-$delay.log" >&2
	die "dnsdist did not come up"
}

# The critical path: bench/critical_path.py walks the lab with dig +norec.
critical() { python3 "$BENCH/critical_path.py" "$HINTS" "$1"; }

median_ms() {
	hyperfine -N -i --runs "$RUNS" --warmup 1 --style none --export-json "$WORK/h.json" \
		"$DNSDOCTOR check $1 --json $CHECK_ARGS" >/dev/null 2>&1
	jq '.results[0].median * 1000' "$WORK/h.json"
}

# The median of zonemaster-cli on DOMAIN, or - when it is not to be run.
zonemaster_ms() {
	if [ -n "${NO_ZONEMASTER:-}" ] || ! command -v zonemaster-cli >/dev/null; then
		echo -
		return
	fi
	hyperfine -N -i --runs "$ZM_RUNS" --style none --export-json "$WORK/zm.json" \
		"zonemaster-cli --hints $HINTS --no-ipv6 --no-progress --level WARNING $1" >/dev/null 2>&1
	jq '.results[0].median * 1000' "$WORK/zm.json"
}

# dnsdist first: the lab's Unbound must reach the root through it when `up`
# checks that it resolves.
start_dist 0
sleep 0.5
kill -0 "$DIST_PID" 2>/dev/null || { cat "$WORK/dnsdist-0.log" >&2; die "dnsdist did not start"; }
export LAB_RESPONDER=${LAB_RESPONDER:-$ROOT/build/tests/responder/responder}
LAB_QUIET=1 "$WORK/src/lab" up "$WORK/lab"
# shellcheck disable=SC1091
. "$WORK/lab/env"
HINTS=$DNSDOCTOR_ROOT_HINTS

declare -A base
for d in $DOMAINS; do
	echo "bench/latency: $d, no delay" >&2
	base[$d]=$(median_ms "$d")
done
start_dist "$DELAY" wait
rows=()
for d in $DOMAINS; do
	echo "bench/latency: $d, $DELAY ms per answer" >&2
	crit=$(critical "$d") || die "could not walk the lab to $d"
	late=$(median_ms "$d")
	# shellcheck disable=SC2086 # CHECK_ARGS holds several options
	q=$("$DNSDOCTOR" check "$d" --json $CHECK_ARGS | jq '.stats.queries' || true)
	zm=$(zonemaster_ms "$d")
	rows+=("$(awk -v d="$d" -v b="${base[$d]}" -v l="$late" -v c="$crit" -v q="$q" -v delay="$DELAY" -v zm="$zm" 'BEGIN {
		cp = c * delay
		printf "%-20s %9.1f %9.1f %9d %8d %9.0f %8.2f %9.1f", d, b, l, q, c, cp, l / cp, (l - b) / delay
		if (zm == "-") printf " %12s %8s\n", "-", "-"
		else printf " %12.0f %7.0fx\n", zm, zm / l
	}')")
done

echo
echo "dnsdoctor check${CHECK_ARGS:+ $CHECK_ARGS} with every UDP answer $DELAY ms late (dnsdist DelayAction); medians of $RUNS runs"
echo
printf '%-20s %9s %9s %9s %8s %9s %8s %9s %12s %8s\n' domain base_ms late_ms queries crit_rt crit_ms ratio rt_spent zonemaster_ms speedup
printf '%s\n' "${rows[@]}"
echo
echo "base_ms: through dnsdist without delay; crit_rt: round trips on the critical path;"
echo "crit_ms = crit_rt x $DELAY; ratio = late_ms / crit_ms (target <= 1.5);"
echo "rt_spent = (late_ms - base_ms) / $DELAY: the round trips dnsdoctor waited for, one after another;"
echo "zonemaster_ms: zonemaster-cli on the same late lab (median of $ZM_RUNS); speedup = zonemaster_ms / late_ms."
