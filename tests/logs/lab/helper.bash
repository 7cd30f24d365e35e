# Shared by tests/logs/lab/*.bats: these need root and a namespace with
# only lo (run through lab/netns, as scripts/run-tests does).
LAB_SRC="$(cd "$BATS_TEST_DIRNAME/../../../lab" && pwd)"
CORPUS="$(cd "$BATS_TEST_DIRNAME/../corpus" && pwd)"

# Why these tests cannot run here, or nothing.
unavailable() {
	local t
	[ -n "${DNSDOCTOR:-}" ] && [ -x "$DNSDOCTOR" ] || { echo "DNSDOCTOR is not set to an executable"; return; }
	[ "$(id -u)" -eq 0 ] || { echo "needs root (lab servers on 127.53.0.0/16, port 53)"; return; }
	[ "${LAB_NETNS:-}" = 1 ] || { echo "run through lab/netns"; return; }
	for t in nsd knotd named unbound knotc jq "$@"; do
		command -v "$t" >/dev/null 2>&1 || { echo "$t is not installed (scripts/install-deps)"; return; }
	done
}
