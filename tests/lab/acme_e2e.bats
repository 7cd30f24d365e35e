#!/usr/bin/env bats
# bats file_tags=not_under_asan
# End to end with real software (issue 4): Pebble (Let's Encrypt's test CA)
# validates dns-01 through an Unbound that asks the lagging server of
# acme-lag.com; certbot publishes the TXT record through RFC 2136 to the
# primary (lab/scenarios/acme-lag, lab/acme/e2e). A fixed 1 s sleep fails;
# `dnsdoctor wait` as the auth hook gets the certificate.
# Run as: DNSDOCTOR=/abs/path/build/dnsdoctor lab/netns bats tests/lab/acme_e2e.bats

load lab_helper

# Why the ACME tools cannot run here, or nothing.
acme_unavailable() {
	local py missing
	missing=$(lab_missing_tool certbot pebble nsupdate knotc openssl)
	[ -z "$missing" ] || { echo "$missing"; return; }
	py=$(sed -n '1s/^#!//p' "$(command -v certbot)")
	$py -c 'import certbot_dns_rfc2136' 2>/dev/null ||
		echo "certbot's RFC 2136 plugin is not installed (scripts/install-deps: python3-certbot-dns-rfc2136)"
}

setup_file() {
	LAB_SKIP=$(acme_unavailable)
	export LAB_SKIP
	lab_start
}
teardown_file() { lab_stop; }
setup() {
	lab_skip_if_unavailable
	DNSDOCTOR=${DNSDOCTOR:-$PWD/build/dnsdoctor}
	export DNSDOCTOR
}

@test "acme e2e: certbot-dns-rfc2136 with a 1 s propagation sleep fails: the CA gets NXDOMAIN from the lagging server" {
	run "$LAB_SRC/acme/e2e" sleep 1
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"certificate: none"* ]]
	# The CA's own reason: the lookup of the TXT record failed with NXDOMAIN (rcode 3).
	[[ "$output" == *"Error retrieving TXT records for DNS challenge"* ]]
	[[ "$output" == *"unsuccessful response: '\\\\x03'"* ]]
}

@test "acme e2e: certbot --manual with nsupdate + dnsdoctor wait as the auth hook gets a certificate" {
	[ -x "$DNSDOCTOR" ] || skip "DNSDOCTOR=$DNSDOCTOR is not an executable"
	run "$LAB_SRC/acme/e2e" wait
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"dnsdoctor wait exit 0"* ]] # wait --certbot
	[[ "$output" == *"served by all 2 addresses"* ]]
	cert=$(sed -n 's/^certificate: //p' <<<"$output")
	[ -s "$cert" ]
	# A real certificate for the name, issued by Pebble.
	name=$(sed -n 's/.*(name \([^,]*\),.*/\1/p' <<<"$output")
	openssl x509 -in "$cert" -noout -ext subjectAltName | grep -q "DNS:$name"
	openssl x509 -in "$cert" -noout -issuer | grep -qi pebble
}

@test "acme e2e: lego's exec provider with nsupdate + dnsdoctor wait --lego gets a certificate" {
	[ -x "$DNSDOCTOR" ] || skip "DNSDOCTOR=$DNSDOCTOR is not an executable"
	command -v lego >/dev/null || skip "lego is not installed"
	run "$LAB_SRC/acme/e2e" lego
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"e2e: lego: lego exit 0"* ]]
	# wait took lego's arguments: it waited on present, not on cleanup
	[[ "$output" == *"dnsdoctor wait --lego present exit 0"* ]]
	[[ "$output" == *"served by all 2 addresses"* ]]
	[[ "$output" == *"dnsdoctor wait --lego cleanup exit 0"* ]]
	cert=$(sed -n 's/^certificate: //p' <<<"$output")
	[ -s "$cert" ]
	name=$(sed -n 's/.*(name \([^,]*\),.*/\1/p' <<<"$output")
	openssl x509 -in "$cert" -noout -ext subjectAltName | grep -q "DNS:$name"
	openssl x509 -in "$cert" -noout -issuer | grep -qi pebble
}
