#!/usr/bin/env bats
# When not one root server answers, the check cannot be carried out: exit 3.
# Run inside a network namespace of its own (only loopback, nothing
# listening), so this needs root; skipped otherwise.

load helpers

in_empty_netns() {
	unshare -n sh -c 'ip link set lo up && exec "$@"' sh "$@"
}

@test "no root server answers: exit 3" {
	if ((EUID != 0)) || ! in_empty_netns true 2>/dev/null; then
		skip "needs root and unshare -n"
	fi
	run --separate-stderr in_empty_netns timeout 30 \
		"$DNSDOCTOR" check example.com --root-hints "$HINTS" --timeout 1
	echo "# exit status: $status"
	echo "# stdout: $output"
	echo "# stderr: $stderr"
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[ -n "$stderr" ]
}
