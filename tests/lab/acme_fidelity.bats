#!/usr/bin/env bats
# Fidelity (issue "Correct at the edges"): dnsdoctor check --acme, run in
# lego's own DNS hook on the exact value lego hands it, against the
# decision of a real CA (Pebble) that validates through each server of
# the zone in turn (lab/acme/fidelity). Healthy, missing, wrong value, a
# stale secondary, a lagging secondary: dnsdoctor says error exactly when
# the CA refuses on some server. HTTP-01 through certbot --manual: a key
# authorisation file ending in a newline, a 404, a refused connection.
# Run as: DNSDOCTOR=/abs/path/build/dnsdoctor lab/netns bats tests/lab

load lab_helper

setup_file() {
	LAB_SKIP=$(lab_missing_tool lego certbot pebble unbound knotc openssl python3)
	export LAB_SKIP
	lab_start
}
teardown_file() { lab_stop; }
setup() {
	lab_skip_if_unavailable
	DNSDOCTOR=${DNSDOCTOR:-$PWD/build/dnsdoctor}
	export DNSDOCTOR
}

@test "fidelity: dnsdoctor agrees with Pebble on every case, the stale and the lagging secondary included" {
	run "$LAB_SRC/acme/fidelity"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"fidelity: 10 agree, 0 disagree"* ]]
	[[ $output == *"moved-zone: dnsdoctor 2/2, CA via A refused, via B refused: agree"* ]]
	[[ $output == *"wrong-delegation: dnsdoctor 2/2, CA via A refused, via B refused: agree"* ]]
	# the racy cases really are racy: the CA accepts through A, refuses through B
	[[ $output == *"stale-secondary: dnsdoctor 2/2, CA via A ok, via B refused: agree"* ]]
	[[ $output == *"lagging-secondary: dnsdoctor 2/2, CA via A ok, via B refused: agree"* ]]
	[[ $output == *"healthy: dnsdoctor 0/0, CA via A ok, via B ok: agree"* ]]
	# HTTP-01 with certbot: a file ending in a newline validates at the CA
	# and at dnsdoctor; a 404 and a refused connection fail both
	[[ $output == *"http-newline: dnsdoctor 0, CA ok: agree"* ]]
	[[ $output == *"http-missing: dnsdoctor 2, CA refused: agree"* ]]
	[[ $output == *"http-refused: dnsdoctor 2, CA refused: agree"* ]]
}
