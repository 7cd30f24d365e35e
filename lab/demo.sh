#!/usr/bin/env bash
# lab/demo.sh: the two seed incidents replayed on the lab, then diagnosed
# by dnsdoctor: the registrar's stale name servers (seeds/000), then a DS
# left at the registrar, a TXT change that has not reached every server
# and cache (propagation, then wait), and the certbot log of such a
# failure (logs). Run as root: lab/netns lab/demo.sh (make demo).
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

step "Incident 2: a DS left at the registrar for a zone that is no longer signed"
printf '$ dig @%s dnssec-ds-unsigned.com SOA\n' "$LAB_VALIDATING_RESOLVER"
dig +time=2 +tries=1 "@$LAB_VALIDATING_RESOLVER" dnssec-ds-unsigned.com SOA |
	sed -n 's/.*\(status: [A-Z]*\).*/\1/p'
show "$DNSDOCTOR" check dnssec-ds-unsigned.com --root-hints "$DNSDOCTOR_ROOT_HINTS" \
	--resolvers "$LAB_VALIDATING_RESOLVER"

# The zone of propagation-lag.net on its two servers (A: knot-main, B:
# knot-old), rewritten with RECORDS and reloaded: how a provider's change
# reaches one server before the other.
ZONE=propagation-lag.net
serial=100
# shellcheck source=lab/propagation-lag.bash
. "$LAB_SRC/propagation-lag.bash"
zone_set() { # main|old RECORDS...
	serial=$((serial + 1))
	propagation_lag_set "$LAB_DIR" "$serial" "$@"
}
TXT="_acme-challenge.$ZONE"
TOKEN=tok-demo-9f2c
step "The DNS-01 record is written at the provider; one server has it, the other not yet"
printf '$ dig @%s %s TXT   # what the CA'"'"'s resolver sees first: NXDOMAIN, now cached\n' "$LAB_RESOLVER" "$TXT"
dig +time=2 +tries=1 "@$LAB_RESOLVER" "$TXT" TXT | sed -n 's/.*\(status: [A-Z]*\).*/\1/p'
zone_set main "_acme-challenge 60 IN TXT \"$TOKEN\""
show "$DNSDOCTOR" propagation "$TXT" TXT --expect "$TOKEN" --root-hints "$DNSDOCTOR_ROOT_HINTS" \
	--resolvers "$LAB_RESOLVER"

step "dnsdoctor wait: returns the moment every server serves it (B gets it 3 s from now)"
(sleep 3; zone_set old "_acme-challenge 60 IN TXT \"$TOKEN\"") &
show "$DNSDOCTOR" wait "$TXT" TXT --expect "$TOKEN" --root-hints "$DNSDOCTOR_ROOT_HINTS" --timeout 30
wait

step "The certbot log of such a failure, classified, with the check that confirms it"
show "$DNSDOCTOR" logs "$ROOT/tests/logs/corpus/certbot-txt-missing.console"

step "Taking the lab down"
