#!/usr/bin/env bash
# bench/exporter.sh: `dnsdoctor exporter` with TARGETS scheduled checks at a
# 60 s interval, on the fleet bench's lab (bench/fleet_lab.py: a TLD of
# zones on NSD and Knot, 127.60.0.0/16), inside a network namespace with
# only loopback (re-runs itself under lab/netns). Root only.
#
# Prints: the exporter's CPU (% of one core) and RSS over WINDOW seconds of
# steady state; the latency of a /metrics scrape (p50/p99, ab, one client)
# with every target's result in it; the latency of /probe for one target
# next to `check` of the same zone (the critical path: the same questions
# without the HTTP); and, in the same run, the CPU `fleet` spends on the
# same targets once (the cost of the checks themselves).
#
# Environment: DNSDOCTOR (default build/dnsdoctor), TARGETS (1000), WINDOW
# (120: seconds measured, after one interval of warm-up), INTERVAL (60),
# SCRAPES (500), PROBES (50), KEEP=1 (keep the temp dir), EXPORTER_ARGS
# ("--rate 0 --per-server-rate 0": the lab's TLD has two addresses where
# .com has thirteen, so the default pacing of 20 queries a second to each
# would measure the pacing, not the exporter; "" for the defaults).
set -euo pipefail

BENCH_NAME=exporter
# shellcheck source=bench/common.bash
. "$(dirname "${BASH_SOURCE[0]}")/common.bash"
TARGETS=${TARGETS:-1000}
WINDOW=${WINDOW:-120}
INTERVAL=${INTERVAL:-60}
EXPORTER_ARGS=${EXPORTER_ARGS---rate 0 --per-server-rate 0}
# the bench lab is on loopback
SCRAPES=${SCRAPES:-500}
PROBES=${PROBES:-50}
in_netns || exec "$LAB_SRC/netns" "$0" "$@"
need nsd knotd dig jq python3 curl ab

WORK=$(mktemp -d /tmp/dnsdoctor-exporter.XXXXXX)
XPID=
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	local f pid
	[ -z "$XPID" ] || { kill -TERM "$XPID" 2>/dev/null || true; wait "$XPID" 2>/dev/null || true; }
	for f in "$WORK"/srv/*/pid; do
		[ -f "$f" ] || continue
		pid=$(cat "$f" 2>/dev/null) || continue
		case $pid in '' | *[!0-9]*) continue ;; esac
		kill -TERM "$pid" 2>/dev/null || true
	done
	if [ -n "${KEEP:-}" ]; then echo "bench/exporter: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
say() { echo "bench/exporter: $*" >&2; }

# ------------------------------------------------------------------ the lab
ZONES=$TARGETS GARBAGE=0 NOT_DELEGATED=0 python3 "$BENCH/fleet_lab.py" "$WORK"
HINTS=$WORK/root.hints
while read -r name cmd; do
	# shellcheck disable=SC2086 # the command line is words without quotes
	$cmd > "$WORK/srv/$name/start.log" 2>&1 || die "$name did not start: $cmd"
done < "$WORK/procs"
deadline=$((SECONDS + 300))
while read -r a z; do
	until dig +norec +time=1 +tries=1 @"$a" "$z" SOA 2>/dev/null | grep -q 'flags: qr aa'; do
		[ $SECONDS -le $deadline ] || die "$a does not answer for $z SOA"
		sleep 0.2
	done
done < "$WORK/ready"
grep -E '^[a-z0-9]+\.flt$' "$WORK/domains.txt" | head -n "$TARGETS" > "$WORK/targets.txt"
n=$(wc -l < "$WORK/targets.txt")
{
	echo "interval $INTERVAL"
	sed 's/^/check /' "$WORK/targets.txt"
} > "$WORK/exporter.conf"
say "$n targets, every $INTERVAL s"

# ------------------------------------------------------------- exporter
ADDR=127.60.250.1:9553
"$DNSDOCTOR" exporter --allow-private --config "$WORK/exporter.conf" --listen "$ADDR" \
	--root-hints "$HINTS" $EXPORTER_ARGS 2> "$WORK/exporter.log" &
XPID=$!
ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$XPID/stat"; }
say "warming up one interval ($INTERVAL s)"
sleep "$INTERVAL"
c0=$(cpu_ticks) q0=$(curl -sf "http://$ADDR/metrics" | awk '/^dnsdoctor_exporter_checks_total/ { s += $2 } END { print s }')
say "measuring $WINDOW s"
sleep "$WINDOW"
c1=$(cpu_ticks) q1=$(curl -sf "http://$ADDR/metrics" | awk '/^dnsdoctor_exporter_checks_total/ { s += $2 } END { print s }')
rss_kb=$(awk '/^VmRSS/ { print $2 }' "/proc/$XPID/status")
hwm_kb=$(awk '/^VmHWM/ { print $2 }' "/proc/$XPID/status")
cpu_pct=$(awk -v a="$c0" -v b="$c1" -v t="$ticks" -v w="$WINDOW" 'BEGIN { printf "%.1f", 100 * (b - a) / t / w }')
checks=$((q1 - q0))
cpu_per_check=$(awk -v a="$c0" -v b="$c1" -v t="$ticks" -v n="$checks" 'BEGIN { if (n) printf "%.2f", 1000 * (b - a) / t / n; else print "-" }')
curl -sf "http://$ADDR/metrics" > "$WORK/metrics.txt"
series=$(grep -vc '^#' "$WORK/metrics.txt")
bytes=$(wc -c < "$WORK/metrics.txt")

# ab: "  50%     12" lines of its percentile table (ms)
pct() { awk -v p="$1%" '$1 == p { print $2 }' "$2"; }
say "$SCRAPES scrapes of /metrics"
ab -q -n "$SCRAPES" -c 1 "http://$ADDR/metrics" > "$WORK/ab-metrics.txt" 2>&1 || true
m50=$(pct 50 "$WORK/ab-metrics.txt") m99=$(pct 99 "$WORK/ab-metrics.txt")
one=$(head -n 1 "$WORK/targets.txt")
say "$PROBES probes of $one"
ab -q -n "$PROBES" -c 1 -s 30 "http://$ADDR/probe?target=$one" > "$WORK/ab-probe.txt" 2>&1 || true
p50=$(pct 50 "$WORK/ab-probe.txt") p99=$(pct 99 "$WORK/ab-probe.txt")
kill -TERM "$XPID"
wait "$XPID" || true
XPID=

# the critical path: check of the same zone, alone, PROBES times
for _ in $(seq 1 "$PROBES"); do
	s=$(date +%s%N)
	"$DNSDOCTOR" check "$one" --json --root-hints "$HINTS" > /dev/null 2>&1 || true
	e=$(date +%s%N)
	echo $(((e - s) / 1000000))
done | sort -n > "$WORK/check-ms.txt"
c50=$(awk -v n="$PROBES" 'NR == int(n * 0.5 + 0.5) { print }' "$WORK/check-ms.txt")
c99=$(awk -v n="$PROBES" 'NR == int(n * 0.99 + 0.5) { print }' "$WORK/check-ms.txt")

# the cost of the checks themselves: fleet over the same targets once
/usr/bin/time -f '%U %S' -o "$WORK/fleet.time" "$DNSDOCTOR" fleet "$WORK/targets.txt" --json --allow-private \
	--root-hints "$HINTS" $EXPORTER_ARGS > /dev/null 2> "$WORK/fleet.err" || true
fleet_cpu_per=$(tail -n 1 "$WORK/fleet.time" | awk -v n="$n" '{ printf "%.2f", 1000 * ($1 + $2) / n }')

echo
echo "exporter bench: $n scheduled targets every $INTERVAL s (flt. lab, NSD + Knot), $(nproc) cores, $WINDOW s measured"
echo
row() { printf '| %-58s | %22s |\n' "$1" "$2"; }
row measure value
row "checks run in the window" "$checks ($(awk -v c="$checks" -v w="$WINDOW" 'BEGIN { printf "%.1f", c / w }')/s)"
row "exporter CPU, % of one core" "$cpu_pct %"
row "  CPU per check" "$cpu_per_check ms"
row "  fleet on the same targets: CPU per check (the checks' own)" "$fleet_cpu_per ms"
row "exporter RSS now / peak" "$((rss_kb / 1024)) / $((hwm_kb / 1024)) MB"
row "/metrics: series, bytes" "$series, $bytes"
row "/metrics scrape latency p50 / p99 (ab, 1 client, $SCRAPES)" "${m50:-?} / ${m99:-?} ms"
row "/probe latency p50 / p99 ($one, $PROBES)" "${p50:-?} / ${p99:-?} ms"
row "  check of the same zone, p50 / p99 (process start included)" "${c50:-?} / ${c99:-?} ms"
