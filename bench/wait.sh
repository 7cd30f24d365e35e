#!/usr/bin/env bash
# bench/wait.sh: how fast `dnsdoctor wait` notices the last server getting a
# record, the queries it sends, and certbot + Pebble issuance time with
# `wait` as the hook against certbot's default 60 s sleep. Brings the lab up
# in a temp dir (and down on exit), inside lab/netns (re-runs itself there
# when needed). Root only. See bench/README.md.
#
# Environment: DNSDOCTOR (default build/dnsdoctor), RUNS (wait runs, default
# 5), NO_CERTBOT=1 to skip the certbot + Pebble part (it takes ~80 s: the
# default sleep is 60 s), LAG (lab/acme/e2e's secondary lag, default 5).
set -euo pipefail

BENCH_NAME="wait"
# shellcheck source=bench/common.bash
. "$(dirname "${BASH_SOURCE[0]}")/common.bash"
RUNS=${RUNS:-5}
ZONE=propagation-lag.net

in_netns || exec "$LAB_SRC/netns" "$0" "$@"
need jq

WORK=$(mktemp -d /tmp/dnsdoctor-bench-wait.XXXXXX)
trap '"$LAB_SRC/lab" down "$WORK/lab" >/dev/null 2>&1; rm -rf "$WORK"' EXIT
LAB_QUIET=1 "$LAB_SRC/lab" up "$WORK/lab"
# shellcheck disable=SC1091
. "$WORK/lab/env"

# zone_set main|old RECORD...: that Knot's copy of propagation-lag.net (A =
# main, 127.53.64.1; B = old, 127.53.64.2) becomes the base zone plus
# RECORDs with a higher serial; returns once knotc's blocking reload is done.
serial=2024060101
# shellcheck source=lab/propagation-lag.bash
. "$LAB_SRC/propagation-lag.bash"
zone_set() {
	serial=$((serial + 1))
	propagation_lag_set "$LAB_DIR" "$serial" "$@"
}
now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# One run: A has the record, B does not; wait starts; after a pause (varied,
# so the change falls at different points of the poll cycle) B gets it.
# Latency: from the moment B's reload returned to wait's exit.
: > "$WORK/lat"
: > "$WORK/queries"
for i in $(seq "$RUNS"); do
	name="_acme-challenge.bench$i.$ZONE"
	rr="_acme-challenge.bench$i 60 IN TXT \"token-$i\""
	zone_set main "$rr"
	zone_set old
	( "$DNSDOCTOR" wait "$name" TXT --expect "token-$i" --timeout 60 --json \
		--root-hints "$DNSDOCTOR_ROOT_HINTS" > "$WORK/wait.$i.json" 2> "$WORK/wait.$i.err"
	  echo $? > "$WORK/wait.$i.rc"; now > "$WORK/wait.$i.end" ) &
	pid=$!
	sleep "$(awk -v i="$i" 'BEGIN { printf "%.2f", 2 + i * 0.17 }')"
	kill -0 "$pid" 2>/dev/null || die "run $i: wait returned before the lagging server had the record: $(cat "$WORK/wait.$i.json" "$WORK/wait.$i.err")"
	zone_set old "$rr"
	t1=$(now)
	wait "$pid"
	[ "$(cat "$WORK/wait.$i.rc")" = 0 ] || die "run $i: wait failed: $(cat "$WORK/wait.$i.json" "$WORK/wait.$i.err")"
	lat=$(awk -v a="$t1" -v b="$(cat "$WORK/wait.$i.end")" 'BEGIN { printf "%.3f", b - a }')
	q=$(jq -r .queries "$WORK/wait.$i.json")
	echo "$lat" >> "$WORK/lat"
	echo "$q" >> "$WORK/queries"
	echo "bench/wait: run $i: returned ${lat}s after the lagging server's reload; $q queries in $(jq -r .seconds "$WORK/wait.$i.json")s" >&2
done
lat_med=$(median < "$WORK/lat")
lat_min=$(sort -g "$WORK/lat" | head -n1)
lat_max=$(sort -g "$WORK/lat" | tail -n1)
q_med=$(median < "$WORK/queries")
# The walk to the zone's servers alone (the record already everywhere).
zone_set main '_acme-challenge.walk 60 IN TXT "walk"'
zone_set old '_acme-challenge.walk 60 IN TXT "walk"'
q_walk=$("$DNSDOCTOR" wait "_acme-challenge.walk.$ZONE" TXT --expect walk --timeout 10 --json \
	--root-hints "$DNSDOCTOR_ROOT_HINTS" | jq -r .queries)

certbot_row() { # label e2e-args...
	local label=$1 out line
	shift
	out=$(LAB_DIR=$LAB_DIR "$LAB_SRC/acme/e2e" "$@" 2>&1) || true
	line=$(grep '^e2e: ' <<<"$out" | tail -n1)
	if [[ $line =~ certbot\ exit\ ([0-9]+)\ after\ ([0-9.]+)\ s ]]; then
		local r="certificate"
		[ "${BASH_REMATCH[1]}" = 0 ] || r="FAILED (exit ${BASH_REMATCH[1]})"
		printf '| %-58s | %8s s | %-20s |\n' "$label" "${BASH_REMATCH[2]}" "$r"
	else
		printf '| %-58s | %10s | %-20s |\n' "$label" "-" "did not run"
		echo "$out" | tail -n 5 >&2
	fi
}

echo
echo "dnsdoctor wait, lab propagation-lag.net (2 Knot servers; B reloaded while wait polls), $RUNS runs:"
echo
printf '| %-58s | %10s |\n' "measure" "value"
printf '|%s|%s|\n' "$(printf -- '-%.0s' $(seq 60))" "$(printf -- '-%.0s' $(seq 12))"
printf '| %-58s | %8s s |\n' "last server's reload returned -> wait exits, median" "$lat_med"
printf '| %-58s | %8s s |\n' "  min / max" "$lat_min / $lat_max"
printf '| %-58s | %10s |\n' "queries per wait, median (walk from the root + polls)" "$q_med"
printf '| %-58s | %10s |\n' "  of which the walk (record already everywhere)" "$q_walk"

if [ -z "${NO_CERTBOT:-}" ]; then
	echo
	echo "certbot + Pebble, dns-01 via RFC 2136, acme-lag.com (B lags ${LAG:-5} s; the CA asks B):"
	echo
	printf '| %-58s | %10s | %-20s |\n' "propagation step" "issuance" "result"
	printf '|%s|%s|%s|\n' "$(printf -- '-%.0s' $(seq 60))" "$(printf -- '-%.0s' $(seq 12))" "$(printf -- '-%.0s' $(seq 22))"
	certbot_row "manual hook: nsupdate + dnsdoctor wait" wait
	certbot_row "certbot-dns-rfc2136, --dns-rfc2136-propagation-seconds 60" sleep 60
	certbot_row "certbot-dns-rfc2136, --dns-rfc2136-propagation-seconds 1" sleep 1
fi
