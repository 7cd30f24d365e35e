#!/usr/bin/env bash
# lab/demo.sh: the seed incident (seeds/000) replayed on the lab, then
# diagnosed by dnsdoctor. Run as root: lab/netns lab/demo.sh (make demo).
# DNSDOCTOR may name the binary (default: build/dnsdoctor in the repo).
set -uo pipefail

LAB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$LAB_SRC")
DNSDOCTOR=${DNSDOCTOR:-$ROOT/build/dnsdoctor}
NEW_NS=ns-2034.awsdns-62.co.uk,ns-667.awsdns-19.net,ns-1267.awsdns-30.org,ns-145.awsdns-18.com

# Only ever in a namespace of our own, where nothing but lo exists.
if ip -o link show 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | grep -vqx lo; then
	exec "$LAB_SRC/netns" "$0" "$@"
fi
[ -x "$DNSDOCTOR" ] || { echo "demo: no dnsdoctor at $DNSDOCTOR (build it, or set DNSDOCTOR)" >&2; exit 1; }

if [ -t 1 ]; then B=$'\e[1m' N=$'\e[0m'; else B='' N=''; fi
step() { printf '\n%s== %s%s\n' "$B" "$*" "$N"; }
show() { printf '$ %s\n' "$*"; "$@"; printf '(exit status %s)\n' "$?"; }

LAB_DIR=$(mktemp -d /tmp/dnsdoctor-demo.XXXXXX)
trap '"$LAB_SRC/lab" down "$LAB_DIR" >/dev/null 2>&1; rm -rf "$LAB_DIR"' EXIT

step "Bringing up the lab: root, TLDs, the awsdns fleet, a resolver (all on 127.53/16)"
"$LAB_SRC/lab" up "$LAB_DIR" || exit 1
# shellcheck disable=SC1091
. "$LAB_DIR/env"

step "The incident: ACM's resolver cannot resolve seed-refused.com (SERVFAIL)"
printf '$ dig @%s _3f1c0a9d2b7e4c55a1e8f0b6d9c2a417.seed-refused.com CNAME\n' "$LAB_RESOLVER"
dig +time=2 +tries=1 "@$LAB_RESOLVER" _3f1c0a9d2b7e4c55a1e8f0b6d9c2a417.seed-refused.com CNAME |
	sed -n 's/.*\(status: [A-Z]*\).*/\1/p'

step "dnsdoctor check seed-refused.com (the registrar still lists the deleted hosted zone's servers)"
show "$DNSDOCTOR" check seed-refused.com --root-hints "$DNSDOCTOR_ROOT_HINTS"

step "... and with the 4 name servers Route 53 assigned to the new hosted zone"
show "$DNSDOCTOR" check seed-refused.com --expect-ns "$NEW_NS" --root-hints "$DNSDOCTOR_ROOT_HINTS"

step "The trap: the old hosted zone still answers (stale copy); without --expect-ns all looks fine"
show "$DNSDOCTOR" check seed-stale.com --root-hints "$DNSDOCTOR_ROOT_HINTS"

step "... with --expect-ns the fault is named"
show "$DNSDOCTOR" check seed-stale.com --expect-ns "$NEW_NS" --root-hints "$DNSDOCTOR_ROOT_HINTS"

step "Taking the lab down"
