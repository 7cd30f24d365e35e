# bench/common.bash: the start every bench script shares. Set BENCH_NAME,
# then source this; it sets BENCH, ROOT, LAB_SRC and DNSDOCTOR (absolute,
# exported) and refuses to go on unless run as root. The caller re-runs
# itself under lab/netns with: in_netns || exec "$LAB_SRC/netns" "$0" "$@"
# shellcheck shell=bash

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
# shellcheck disable=SC2034 # used by the scripts that source this
LAB_SRC=$ROOT/lab
DNSDOCTOR=${DNSDOCTOR:-$ROOT/build/dnsdoctor}
case $DNSDOCTOR in /*) ;; *) DNSDOCTOR=$PWD/$DNSDOCTOR ;; esac
export DNSDOCTOR

die() { echo "bench/$BENCH_NAME: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (the lab runs real servers on port 53)"

# True inside a namespace whose only interface is lo (lab/netns).
in_netns() { ! ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | grep -vqx lo; }

# apt_install PKG...: Debian's packages that only a bench needs. Inside the
# lab's namespace there is no network, so apt-get runs in PID 1's.
apt_install() {
	local apt=(apt-get)
	in_netns && apt=(nsenter --net=/proc/1/ns/net -- apt-get)
	echo "bench/$BENCH_NAME: installing $* (apt-get install -y $*)" >&2
	"${apt[@]}" install -y "$@" >/dev/null
}

# need TOOL...: dies naming the first tool that is not installed; also
# checks the dnsdoctor binary.
need() {
	local t
	[ -x "$DNSDOCTOR" ] || die "no dnsdoctor at $DNSDOCTOR (make build, or set DNSDOCTOR)"
	for t; do
		command -v "$t" >/dev/null || die "$t is not installed (scripts/install-deps)"
	done
}
