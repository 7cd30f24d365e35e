#!/usr/bin/env bats
# cert when no address can be tried: "no such record" only when the
# authoritative servers answered so; otherwise why they could not be asked.
# (The handshakes themselves: tests/lab/web.bats.)
# Run as: DNSDOCTOR=/abs/path/build/dnsdoctor lab/netns bats tests/lab

load lab_helper
bats_require_minimum_version 1.5.0

setup_file() { lab_start; }
setup() { lab_skip_if_unavailable; DD=${DNSDOCTOR:-build/dnsdoctor}; }
teardown_file() { lab_stop; }

cert() {
	run --separate-stderr "$DD" cert "$@" --timeout 0.5
	echo "# exit $status; stderr: $stderr"
	[ "$status" -eq 3 ]
	[ -z "$output" ]
}

@test "cert: a name the servers say has no address: no A or AAAA record" {
	cert nothere.healthy.com
	[ "$stderr" = "dnsdoctor: nothere.healthy.com. has no A or AAAA record at its authoritative servers" ]
}

@test "cert: servers that never answer for the zone (all REFUSED): the addresses are unknown, not missing" {
	cert www.seed-refused.com
	[ "$stderr" = "dnsdoctor: the addresses of www.seed-refused.com. are unknown: no authoritative server of seed-refused.com. answered for them (dnsdoctor check seed-refused.com. says why)" ]
}

@test "cert: a name in a domain the parent denies: it does not exist" {
	cert www.not-delegated.org
	[ "$stderr" = "dnsdoctor: www.not-delegated.org. does not exist: the parent zone org. denies it" ]
}
