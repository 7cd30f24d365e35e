#!/usr/bin/env bash
# bench/inprocess.sh: memory and time of the diagnosis layer run back to
# back in one process on one engine (bench/inprocess.c): `check
# healthy.com` COUNT times (default 1000) against the lab, printing RSS and
# heap in use after 1, 10, 100, 1000 runs, and the queries per run: the
# first walks from the root, the next from the zone-cut cache; then the
# same without the cache. A flat RSS means a diagnosis frees everything it
# made. Also: one `dnsdoctor check` under
# /usr/bin/time -v (peak RSS) and valgrind (heap allocations), the per-run
# cost that fleet multiplies. Root only; brings the lab up and down.
#
# Environment: DNSDOCTOR (default build/dnsdoctor; bench/inprocess is
# taken from the same build folder), COUNT (1000), DOMAIN (healthy.com).
set -euo pipefail

BENCH_NAME=inprocess
# shellcheck source=bench/common.bash
. "$(dirname "${BASH_SOURCE[0]}")/common.bash"
COUNT=${COUNT:-1000}
DOMAIN=${DOMAIN:-healthy.com}
INPROCESS=$(dirname "$DNSDOCTOR")/bench/inprocess
in_netns || exec "$LAB_SRC/netns" "$0" "$@"
need valgrind
[ -x "$INPROCESS" ] || die "no $INPROCESS (make build)"
[ -x /usr/bin/time ] || apt_install time

WORK=$(mktemp -d /tmp/dnsdoctor-bench.XXXXXX)
trap '"$LAB_SRC/lab" down "$WORK/lab" >/dev/null 2>&1; rm -rf "$WORK"' EXIT
LAB_QUIET=1 "$LAB_SRC/lab" up "$WORK/lab"
# shellcheck disable=SC1091
. "$WORK/lab/env"
unset DNSDOCTOR_RESOLVERS # the check alone: resolvers add their recursion

echo "== $COUNT x check $DOMAIN in one process"
"$INPROCESS" "$DOMAIN" "$COUNT"

echo "== the same without the zone-cut cache (every run walks from the root)"
INPROCESS_NO_CUTS=1 "$INPROCESS" "$DOMAIN" "$COUNT"

echo "== one dnsdoctor check $DOMAIN: peak RSS"
/usr/bin/time -v "$DNSDOCTOR" check "$DOMAIN" --json 2>"$WORK/time" >/dev/null || true
sed -n 's/^\tMaximum resident set size (kbytes): /max RSS kB: /p' "$WORK/time"

echo "== one dnsdoctor check $DOMAIN: heap allocations (valgrind)"
valgrind "$DNSDOCTOR" check "$DOMAIN" --json 2>"$WORK/vg" >/dev/null || true
sed -n 's/^==[0-9]*==   total heap usage: /heap: /p' "$WORK/vg"
