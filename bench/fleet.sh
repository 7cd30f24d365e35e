#!/usr/bin/env bash
# bench/fleet.sh: `dnsdoctor fleet` on a lab TLD of ZONES delegated zones,
# with faults at known rates and a truth file. Brings up its own NSD and Knot
# servers on 127.60.0.0/16 in a temp dir (stopped by PID on exit), inside a
# network namespace with only loopback (re-runs itself under lab/netns).
# Root only. See bench/README.md.
#
# Prints: accuracy per fault class against the truth; domains/s, queries/s,
# client CPU per query and peak RSS of `fleet FILE --json`; dnsperf against
# the same child-zone servers in the same run (the ceiling) and the ratio; a
# sweep of --concurrency; the shell loop (`check` per domain) on a sample.
#
# Environment: DNSDOCTOR (default build/dnsdoctor), ZONES (20000), ADDRS
# (addresses per child server, 16), FAULT_PCT (2), SWEEP ("16 64 256 1024":
# --concurrency values to try, "" to skip), SAMPLE (500: shell-loop sample),
# DNSPERF_S (10: seconds of dnsperf), BENCH_MILLION=1 (also 1,000,000 lines:
# the list repeated, for peak RSS; long; MILLION_LINES sets another count),
# KEEP=1 (keep the temp dir), PROFILE=FILE (the main fleet run under
# `perf record -g`, into FILE: its CPU figures then include perf's cost).
set -euo pipefail

BENCH_NAME=fleet
# shellcheck source=bench/common.bash
. "$(dirname "${BASH_SOURCE[0]}")/common.bash"
ZONES=${ZONES:-20000}
SWEEP=${SWEEP-16 64 256 1024}
SAMPLE=${SAMPLE:-500}
DNSPERF_S=${DNSPERF_S:-10}
export ZONES

command -v dnsperf >/dev/null || apt_install dnsperf ||
	echo "bench/fleet: could not install dnsperf; no ceiling" >&2
in_netns || exec "$LAB_SRC/netns" "$0" "$@"
need nsd knotd dig jq python3
[ -x /usr/bin/time ] || die "/usr/bin/time is not installed (package time)"

WORK=$(mktemp -d /tmp/dnsdoctor-fleet.XXXXXX)
# shellcheck disable=SC2317 # called from the EXIT trap
stop_servers() {
	local f pid pids=()
	for f in "$WORK"/srv/*/pid; do
		[ -f "$f" ] || continue
		pid=$(cat "$f" 2>/dev/null) || continue
		case $pid in '' | *[!0-9]*) continue ;; esac
		pids+=("$pid")
	done
	for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do
		for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	done
}
# shellcheck disable=SC2317 # the EXIT trap
cleanup() {
	stop_servers
	if [ -n "${KEEP:-}" ]; then echo "bench/fleet: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
say() { echo "bench/fleet: $*" >&2; }

# ------------------------------------------------------------------ the lab
t0=$SECONDS
python3 "$BENCH/fleet_lab.py" "$WORK"
say "generated $ZONES zones in $((SECONDS - t0)) s ($(wc -l < "$WORK/domains.txt") lines)"
HINTS=$WORK/root.hints
while read -r name cmd; do
	# shellcheck disable=SC2086 # the command line is words without quotes
	$cmd > "$WORK/srv/$name/start.log" 2>&1 || { cat "$WORK/srv/$name/start.log" >&2; die "$name did not start: $cmd"; }
done < "$WORK/procs"
answers_aa() { dig +norec +time=1 +tries=1 @"$1" "$2" SOA 2>/dev/null | grep -q 'flags: qr aa'; }
deadline=$((SECONDS + 300))
while read -r a z; do
	until answers_aa "$a" "$z"; do
		[ $SECONDS -le $deadline ] || die "$a does not answer for $z SOA after 300 s (logs: $WORK/srv/*/log)"
		sleep 0.2
	done
done < "$WORK/ready"
say "servers up in $((SECONDS - t0)) s"

# One domain of each class, checked alone: the codes `check` gives.
echo
echo "== check, one domain of each class"
for cls in healthy lame ns_mismatch serial dead not_delegated; do
	d=$(awk -F'\t' -v c="$cls" '$2 == c { print $1; exit }' "$WORK/truth.tsv")
	[ -n "$d" ] || continue
	codes=$("$DNSDOCTOR" check "$d" --json --root-hints "$HINTS" |
		jq -r '[.findings[] | select(.severity != "info") | .code] | unique | join(",")' || true)
	printf '%-14s %-14s %s\n' "$cls" "$d" "${codes:--}"
done

udp_counter() { awk '/^Udp:/ { if (!h) { for (i = 2; i <= NF; i++) c[$i] = i; h = 1 } else print $c["'"$1"'"] }' /proc/net/snmp; }

# run_fleet TAG LIST [ARGS]: fleet --json over LIST; leaves $WORK/TAG.{rows,err,time}
# and sets wall, dps, qps, queries, cpu, rss_kb.
run_fleet() {
	local tag=$1 list=$2
	shift 2
	local wrap=()
	[ -z "${PROFILE:-}" ] || [ "$tag" != main ] ||
		wrap=(perf record -q -F 1999 -g -o "$PROFILE" --)
	DNSDOCTOR_NO_PROGRESS=1 /usr/bin/time -v -o "$WORK/$tag.time" \
		"${wrap[@]}" "$DNSDOCTOR" fleet "$list" --json --root-hints "$HINTS" --allow-private \
		--rate 0 --per-server-rate 0 "$@" \
		> "$WORK/$tag.rows" 2> "$WORK/$tag.err" || true
	read -r wall dps qps < <(sed -n 's/^fleet: .* in \([0-9.]*\) s (\([0-9.]*\) domains\/s, \([0-9.]*\) queries\/s).*/\1 \2 \3/p' "$WORK/$tag.err")
	read -r retries retried < <(sed -n 's/^fleet: .*), \([0-9]*\) retries (\([0-9]*\) questions.*/\1 \2/p' "$WORK/$tag.err")
	[ -n "${wall:-}" ] || { cat "$WORK/$tag.err" >&2; die "no summary from fleet ($tag)"; }
	# questions sent: the summary's rate times its time (the rows' sum counts
	# a question merged with another domain's once per domain)
	queries=$(awk -v w="$wall" -v q="$qps" 'BEGIN { printf "%.0f", w * q }')
	cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$WORK/$tag.time")
	rss_kb=$(awk -F': ' '/Maximum resident/ { print $2 }' "$WORK/$tag.time")
}

# ------------------------------------------------------------- fleet runs
echo
echo "== fleet $WORK/domains.txt --json --root-hints HINTS --allow-private --rate 0 --per-server-rate 0 (default concurrency)"
"$DNSDOCTOR" check z000000.flt --root-hints "$HINTS" >/dev/null 2>&1 || true # warm the page cache
rcv0=$(udp_counter RcvbufErrors)
run_fleet main "$WORK/domains.txt"
rcv1=$(udp_counter RcvbufErrors)
sed 's/^/  /' "$WORK/main.err"
main_wall=$wall main_dps=$dps main_qps=$qps main_q=$queries main_cpu=$cpu main_rss=$rss_kb
main_retries=${retries:-0} main_retried=${retried:-0}
echo
echo "== accuracy against the truth ($WORK/truth.tsv)"
acc=0
python3 "$BENCH/fleet_score.py" "$WORK/truth.tsv" "$WORK/main.rows" || acc=$?
echo "UDP datagrams dropped by the kernel during the run (Udp RcvbufErrors): $((rcv1 - rcv0))"

sweep_rows=()
for c in $SWEEP; do
	say "fleet --concurrency $c"
	run_fleet "c$c" "$WORK/domains.txt" --concurrency "$c"
	exact=yes
	python3 "$BENCH/fleet_score.py" "$WORK/truth.tsv" "$WORK/c$c.rows" >/dev/null || exact=no
	sweep_rows+=("$c|$wall|$dps|$qps|$(awk -v c="$cpu" -v q="$queries" 'BEGIN { printf "%.1f", c * 1e6 / q }')|$(awk -v c="$cpu" -v w="$wall" 'BEGIN { printf "%.0f%%", 100 * c / w }')|$((rss_kb / 1024))|$exact")
done

# --------------------------------------------------------- dnsperf ceiling
ceiling=""
if command -v dnsperf >/dev/null; then
	say "dnsperf ${DNSPERF_S} s against the child NSD and Knot at once"
	dnsperf -s 127.60.10.1 -d "$WORK/dnsperf.txt" -l "$DNSPERF_S" -q 200 > "$WORK/dnsperf-nsd.out" 2>&1 &
	p1=$!
	dnsperf -s 127.60.20.1 -d "$WORK/dnsperf.txt" -l "$DNSPERF_S" -q 200 > "$WORK/dnsperf-knot.out" 2>&1 &
	p2=$!
	wait "$p1" "$p2" || true
	dq() { awk '/Queries per second/ { printf "%.0f", $4 }' "$1"; }
	nsd_qps=$(dq "$WORK/dnsperf-nsd.out") knot_qps=$(dq "$WORK/dnsperf-knot.out")
	ceiling=$((${nsd_qps:-0} + ${knot_qps:-0}))
	lost=$(awk '/Queries lost/ { s += $3 } END { print s + 0 }' "$WORK/dnsperf-nsd.out" "$WORK/dnsperf-knot.out")
fi

# ------------------------------------------------------------ shell loop
say "shell loop: check once per domain, $SAMPLE domains"
awk -v n="$SAMPLE" '/^[a-z0-9]+\.flt$/ && k++ < n' "$WORK/domains.txt" > "$WORK/sample.txt"
n_sample=$(wc -l < "$WORK/sample.txt")
t_start=$(date +%s.%N)
while read -r d; do
	"$DNSDOCTOR" check "$d" --json --root-hints "$HINTS" > /dev/null 2>&1 || true
done < "$WORK/sample.txt"
t_end=$(date +%s.%N)
loop_dps=$(awk -v a="$t_start" -v b="$t_end" -v n="$n_sample" 'BEGIN { printf "%.1f", n / (b - a) }')
run_fleet sample "$WORK/sample.txt"
sample_dps=$dps

# ------------------------------------------------------------- 1M lines
million=""
if [ -n "${BENCH_MILLION:-}" ]; then
	n_million=${MILLION_LINES:-1000000}
	say "$n_million lines (the list repeated): peak RSS"
	python3 -c '
import itertools, sys
src = open(sys.argv[1]).read().splitlines()
with open(sys.argv[2], "w") as f:
    for line in itertools.islice(itertools.cycle(src), int(sys.argv[3])):
        f.write(line + "\n")' "$WORK/domains.txt" "$WORK/million.txt" "$n_million"
	ln -s /dev/null "$WORK/million.rows" # ~600 MB of rows: not kept
	run_fleet million "$WORK/million.txt"
	million="$wall s, $dps domains/s" million_rss=$((rss_kb / 1024))
fi

# ---------------------------------------------------------------- table
lines=$(wc -l < "$WORK/domains.txt")
cpu_us=$(awk -v c="$main_cpu" -v q="$main_q" 'BEGIN { printf "%.1f", c * 1e6 / q }')
echo
echo "fleet bench: $ZONES zones under flt. (NSD + Knot, ${ADDRS:-16} addresses each), $lines lines, $(nproc) cores"
echo
printf '| %-52s | %26s |\n' measure value
printf '|%s|%s|\n' "$(printf -- '-%.0s' $(seq 1 54))" "$(printf -- '-%.0s' $(seq 1 28))"
row() { printf '| %-52s | %26s |\n' "$1" "$2"; }
row "fleet --json, default concurrency: wall" "$main_wall s"
row "  domains/s" "$main_dps"
row "  queries/s (fleet's summary)" "$main_qps"
row "  queries sent (queries/s x wall)" "$main_q"
row "  client CPU user+sys" "$main_cpu s"
row "  client CPU per query" "$cpu_us us"
# Answered at the first try: the questions fleet's summary says needed a
# retry, over the questions sent (queries sent less the retries).
row "  retries (questions retried)" "$main_retries ($main_retried)"
row "  answered at the first try" "$(awk -v q="$main_q" -v r="$main_retries" -v n="$main_retried" 'BEGIN { printf "%.2f%%", 100 * (1 - n / (q - r)) }')"
row "  peak RSS, $lines lines" "$((main_rss / 1024)) MB"
if [ -n "$ceiling" ]; then
	row "dnsperf ceiling (NSD $nsd_qps + Knot $knot_qps, lost ${lost:-?})" "$ceiling q/s"
	row "  fleet queries/s / ceiling" "$(awk -v a="$main_qps" -v b="$ceiling" 'BEGIN { printf "%.2f", a / b }')"
else
	row "dnsperf ceiling" "not measured (no dnsperf)"
fi
row "shell loop, check per domain ($n_sample domains)" "$loop_dps domains/s"
row "  fleet on the same $n_sample" "$sample_dps domains/s"
row "  speed-up" "$(awk -v a="$sample_dps" -v b="$loop_dps" 'BEGIN { printf "%.0fx", a / b }')"
row "  fleet on $lines lines over the shell loop" "$(awk -v a="$main_dps" -v b="$loop_dps" 'BEGIN { printf "%.0fx", a / b }')"
if [ -n "$million" ]; then
	row "$n_million lines (the list repeated)" "$million"
	row "  peak RSS, $n_million lines" "$million_rss MB"
else
	row "1,000,000 lines" "not run (BENCH_MILLION=1)"
fi
if [ ${#sweep_rows[@]} -gt 0 ]; then
	echo
	printf '%-12s %8s %10s %10s %13s %8s %8s %9s\n' concurrency wall_s domains/s queries/s cpu_us/query cpu rss_MB accurate
	for r in "${sweep_rows[@]}"; do
		IFS='|' read -r c w d q u p m x <<<"$r"
		printf '%-12s %8s %10s %10s %13s %8s %8s %9s\n' "$c" "$w" "$d" "$q" "$u" "$p" "$m" "$x"
	done
fi
exit "$acc"
