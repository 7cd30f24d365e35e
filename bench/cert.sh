#!/usr/bin/env bash
# bench/cert.sh: `dnsdoctor cert` on a name with four addresses, one real
# nginx TLS server and three that accept TCP and never answer the
# ClientHello. Handshakes run at once, so the run should take one timeout
# (5 s), not three. Brings the lab up in a temp dir (down on exit) inside
# lab/netns. Root only. See bench/README.md.
#
# Environment: DNSDOCTOR (default build/dnsdoctor), DNSDOCTOR_OLD (another
# binary to compare, e.g. one built before the handshakes were parallel),
# RUNS (hyperfine runs, default 3).
set -euo pipefail

BENCH_NAME=cert
# shellcheck source=bench/common.bash
. "$(dirname "${BASH_SOURCE[0]}")/common.bash"
RUNS=${RUNS:-3}
NAME=many.acme-http01.net

in_netns || exec "$LAB_SRC/netns" "$0" "$@"
need jq hyperfine nginx python3 openssl

WORK=$(mktemp -d /tmp/dnsdoctor-bench-cert.XXXXXX)
PIDS=()
stop() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	[ -s "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null
	"$LAB_SRC/lab" down "$WORK/lab" >/dev/null 2>&1
	rm -rf "$WORK"
}
trap stop EXIT
LAB_QUIET=1 "$LAB_SRC/lab" up "$WORK/lab"
# shellcheck disable=SC1091
. "$WORK/lab/env"
# shellcheck disable=SC1091
. "$ROOT/tests/lab/tls_helper.bash"
mkcerts "$WORK/pki" >/dev/null 2>&1
nginx_conf "$WORK" <<CONF
	server { listen 127.53.95.11:443 ssl; ssl_certificate $WORK/pki/good.full.pem; ssl_certificate_key $WORK/pki/good.key; }
CONF
nginx -e "$WORK/error.log" -c "$WORK/nginx.conf"
for a in 127.53.95.13 127.53.95.17 127.53.95.18; do
	python3 -c 'import socket,sys,time
s=socket.socket(); s.bind((sys.argv[1],443)); s.listen(8); time.sleep(3600)' "$a" &
	PIDS+=($!)
done
sleep 0.5

args=(cert "$NAME" --ca-file "$WORK/pki/root.pem" --json --root-hints "$DNSDOCTOR_ROOT_HINTS")
echo "addresses and what each answered:"
"$DNSDOCTOR" "${args[@]}" | jq -r '.addresses[] | "  \(.address) \(.status) \(.detail)"' || true
cmds=("$DNSDOCTOR ${args[*]}")
[ -n "${DNSDOCTOR_OLD:-}" ] && cmds+=("$DNSDOCTOR_OLD ${args[*]}")
hyperfine -N -i --runs "$RUNS" --export-json "$WORK/h.json" "${cmds[@]}" >/dev/null 2>&1
jq -r '.results[] | "\(.command | split(" ")[0]): median \(.median * 1000 | floor) ms, min \(.min * 1000 | floor) ms, max \(.max * 1000 | floor) ms"' "$WORK/h.json"
/usr/bin/time -v "$DNSDOCTOR" "${args[@]}" 2>"$WORK/time.txt" >/dev/null || true
echo "max RSS: $(awk -F': ' '/Maximum resident/ { print $2 }' "$WORK/time.txt") KiB"
