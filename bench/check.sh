#!/usr/bin/env bash
# bench/check.sh: wall time and queries of `dnsdoctor check` against
# `zonemaster-cli` on lab zones. Brings the lab up in a temp dir (and down on
# exit), inside a network namespace of its own (re-runs itself under
# lab/netns when needed). Root only. See bench/README.md.
#
# Environment: DNSDOCTOR (default build/dnsdoctor), BENCH_DOMAINS (default
# "healthy.com dead-server.net silent-server.org seed-refused.com"), RUNS (dnsdoctor runs, default 10),
# ZM_RUNS (zonemaster runs, default 5), ZM_TESTS (e.g. "basic delegation":
# only those Zonemaster modules; default all), NO_ZONEMASTER=1 to skip it.
set -euo pipefail

BENCH_NAME=check
# shellcheck source=bench/common.bash
. "$(dirname "${BASH_SOURCE[0]}")/common.bash"
DOMAINS=${BENCH_DOMAINS:-healthy.com dead-server.net silent-server.org seed-refused.com}
RUNS=${RUNS:-10}
ZM_RUNS=${ZM_RUNS:-5}
ZM_TESTS=${ZM_TESTS:-}

# zonemaster-cli is needed only here (Debian's package).
if [ -z "${NO_ZONEMASTER:-}" ] && ! command -v zonemaster-cli >/dev/null; then
	if ! apt_install zonemaster-cli; then
		echo "bench/check: could not install zonemaster-cli; benchmarking dnsdoctor only" >&2
		export NO_ZONEMASTER=1
	fi
fi
in_netns || exec "$LAB_SRC/netns" "$0" "$@"
need hyperfine jq

WORK=$(mktemp -d /tmp/dnsdoctor-bench.XXXXXX)
trap '"$LAB_SRC/lab" down "$WORK/lab" >/dev/null 2>&1; rm -rf "$WORK"' EXIT
LAB_QUIET=1 "$LAB_SRC/lab" up "$WORK/lab"
# shellcheck disable=SC1091
. "$WORK/lab/env"
HINTS=$DNSDOCTOR_ROOT_HINTS

zm_args=(--hints "$HINTS" --no-ipv6 --no-progress)
for t in $ZM_TESTS; do zm_args+=(--test "$t"); done

ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }

rows=()
for d in $DOMAINS; do
	echo "bench: $d" >&2
	hyperfine -N -i --runs "$RUNS" --warmup 1 --style none \
		--export-json "$WORK/dd.json" \
		"$DNSDOCTOR check $d --json --root-hints $HINTS" >/dev/null 2>&1
	dd_med=$(jq '.results[0].median' "$WORK/dd.json")
	dd_q=$("$DNSDOCTOR" check "$d" --json --root-hints "$HINTS" | jq '.stats.queries // "?"' || true)
	dd_codes=$("$DNSDOCTOR" check "$d" --json --root-hints "$HINTS" |
		jq -r '[.findings[] | select(.severity != "info") | .code] | unique | join(",")' || true)
	zm_med="" zm_q="-"
	if [ -z "${NO_ZONEMASTER:-}" ]; then
		hyperfine -N -i --runs "$ZM_RUNS" --style none --export-json "$WORK/zm.json" \
			"zonemaster-cli ${zm_args[*]} --level WARNING $d" >/dev/null 2>&1
		zm_med=$(jq '.results[0].median' "$WORK/zm.json")
		# Queries Zonemaster sent (EXTERNAL_QUERY debug messages: cache misses).
		zm_q=$(zonemaster-cli "${zm_args[@]}" --raw --level DEBUG --no-time "$d" 2>/dev/null |
			grep -c EXTERNAL_QUERY || true)
	fi
	rows+=("$d|$(ms "$dd_med")|$dd_q|${dd_codes:--}|$([ -n "$zm_med" ] && ms "$zm_med" || echo -)|$zm_q|$([ -n "$zm_med" ] && awk -v a="$zm_med" -v b="$dd_med" 'BEGIN { printf "%.0fx", a / b }' || echo -)")
done

echo
echo "dnsdoctor check vs zonemaster-cli on the lab (loopback, no added latency)"
echo "medians of $RUNS (dnsdoctor) and $ZM_RUNS (zonemaster) runs; zonemaster modules: ${ZM_TESTS:-all}"
echo
printf '%-18s %12s %8s  %-34s %14s %8s %8s\n' domain dnsdoctor_ms queries findings zonemaster_ms zm_qs speedup
for r in "${rows[@]}"; do
	IFS='|' read -r d a q c z zq s <<<"$r"
	printf '%-18s %12s %8s  %-34s %14s %8s %8s\n' "$d" "$a" "$q" "$c" "$z" "$zq" "$s"
done
