# Shared by tests/lab/*.bats: bring the lab up once per file, take it down after.
# Run as: lab/netns bats tests/lab   (root; a network namespace with only lo)

LAB_SRC="$(cd "$BATS_TEST_DIRNAME/../../lab" && pwd)"

# Why the lab cannot run here, or nothing. (Bats 1.8 cannot skip from
# setup_file, so setup_file records the reason and each test's setup skips.)
lab_unavailable() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "the lab needs root (real DNS servers on 127.53.0.0/16, port 53): run sudo lab/netns bats tests/lab"
		return
	fi
	if ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | grep -vqx lo; then
		echo "the lab runs only in a network namespace with nothing but lo: run lab/netns bats tests/lab"
		return
	fi
	local t
	for t in nsd knotd named unbound dig jq; do
		command -v "$t" >/dev/null 2>&1 || { echo "$t is not installed (scripts/install-deps)"; return; }
	done
}

# setup_file: LAB_SKIP=reason, or the lab up in LAB_TMP with its env exported.
lab_start() {
	LAB_SKIP=${LAB_SKIP:-$(lab_unavailable)}
	export LAB_SKIP
	[ -z "$LAB_SKIP" ] || return 0
	LAB_TMP=$(mktemp -d /tmp/dnsdoctor-lab.XXXXXX)
	export LAB_TMP
	"$LAB_SRC/lab" up "$LAB_TMP"
	# shellcheck disable=SC1091
	. "$LAB_TMP/env"
}

# lab_start_with_dnsdoctor: lab_start for a file whose every test runs
# $DNSDOCTOR, skipped with a reason when it is not an executable.
lab_start_with_dnsdoctor() {
	if [ -z "${DNSDOCTOR:-}" ] || [ ! -x "${DNSDOCTOR:-}" ]; then
		export LAB_SKIP="DNSDOCTOR is not set to an executable"
	fi
	lab_start
}

# lab_missing_tool TOOL...: why the first missing TOOL stops a test file
# (looked up in sbin too), or nothing.
lab_missing_tool() {
	local t PATH="$PATH:/usr/sbin:/sbin"
	for t; do
		command -v "$t" >/dev/null 2>&1 || { echo "$t is not installed (scripts/install-deps)"; return; }
	done
}

# setup: skip every test when the lab could not be brought up.
lab_skip_if_unavailable() {
	if [ -n "${LAB_SKIP:-}" ]; then skip "$LAB_SKIP"; fi
}

lab_stop() {
	if [ -n "${LAB_TMP:-}" ] && [ -d "$LAB_TMP" ]; then
		"$LAB_SRC/lab" down "$LAB_TMP"
		rm -rf "$LAB_TMP"
	fi
}

# manifest_get FILE KEY: the value of KEY= in a scenario manifest.
manifest_get() {
	awk -v k="$2" 'index($0, k "=") == 1 { print substr($0, length(k) + 2); exit }' "$1"
}

# Replaces each ${NAME} in $1 with the variable's value (the lab's env file
# exports them); nothing else is expanded.
expand_env() {
	local s=$1
	while [[ $s =~ \$\{([A-Z_]+)\} ]]; do
		s=${s//"${BASH_REMATCH[0]}"/${!BASH_REMATCH[1]}}
	done
	printf '%s' "$s"
}

# dig helpers: one query, no recursion, one try.
q() { dig +norec +time=1 +tries=1 "$@"; }
status_of() { q "$@" | sed -n 's/.*status: \([A-Z]*\).*/\1/p'; }
is_aa() { q "$@" | grep -q 'flags:[^;]* aa'; }
serial_of() { q +short "$1" "$2" SOA | awk '{ print $3 }'; }
ns_of() { q +short "$1" "$2" NS | sort | tr '\n' ' '; }

# expand_env STRING: STRING with every ${NAME} replaced by the value of the
# environment variable NAME (empty when unset); nothing else is interpreted.
# Manifests' args= may name the lab's env (DIR/env), e.g.
# args=--resolvers ${LAB_VALIDATING_RESOLVER}.
expand_env() {
	local s=$1 out="" name
	while [[ $s =~ ^([^$]*)\$\{([A-Za-z_][A-Za-z0-9_]*)\}(.*)$ ]]; do
		name=${BASH_REMATCH[2]}
		out+=${BASH_REMATCH[1]}${!name:-}
		s=${BASH_REMATCH[3]}
	done
	printf '%s' "$out$s"
}
