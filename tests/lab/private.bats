#!/usr/bin/env bats
# Safe as a service: with --no-private (fleet and exporter by default) no
# special-purpose address learnt from DNS is contacted, and each one is an
# ADDRESS_REFUSED_PRIVATE finding. The whole lab is on 127.53.0.0/16
# (loopback): every name server below the root is refused, and so is the
# web host of acme-http01.net. Nothing reaches a refused address: the
# evidence holds no exchange with it, and nginx's access log no request.
# Run as: DNSDOCTOR=/abs/path/build/dnsdoctor lab/netns bats tests/lab/private.bats

load lab_helper
load tls_helper
bats_require_minimum_version 1.5.0

# The name servers on the way to acme-http01.net (lab/README.md's address
# plan): net. and org. (127.53.1.x, 127.53.2.x), the hosting provider
# (127.53.9.x) and the zone's own (127.53.95.1-2). Named with --resolvers,
# they are the operator's and never refused; www's addresses
# (127.53.95.11-12) come from DNS.
NAMED=127.53.1.1,127.53.1.2,127.53.2.1,127.53.2.2,127.53.9.1,127.53.9.2,127.53.95.1,127.53.95.2

setup_file() {
	nginx_require
	lab_start
	[ -z "$LAB_SKIP" ] || return 0
	local d=$LAB_TMP/nginx
	mkdir -p "$d/a"
	nginx_conf "$d" <<CONF
	server { listen 127.53.95.11:80; root $d/a; }
	server { listen 127.53.95.12:80; root $d/a; }
CONF
	nginx_start "$d"
}
setup() { lab_skip_if_unavailable; }
teardown_file() {
	nginx_stop
	lab_stop
}

dd() {
	run --separate-stderr "$DNSDOCTOR" "$@"
	echo "# exit status: $status"
	echo "# stderr: $stderr"
	echo "# stdout: $output"
}
codes() { jq -r '[.findings[] | select(.severity != "info") | .code] | unique | join(" ")' <<<"$1"; }
requests() { cat "$NGINX_DIR/access.log" 2>/dev/null | wc -l; }

@test "check --no-private: the TLD servers' loopback addresses are refused, named, and never asked" {
	local ev=$BATS_TEST_TMPDIR/ev.json
	dd check healthy.com --no-private --json --save-evidence "$ev"
	[ "$status" -eq 2 ]
	[[ " $(codes "$output") " == *" ADDRESS_REFUSED_PRIVATE "* ]]
	# The verdict is the refusal; what it leaves unreachable hangs under it.
	jq -e '.findings[0].code == "ADDRESS_REFUSED_PRIVATE"' <<<"$output"
	jq -e '[.findings[] | select(.code == "ADDRESS_REFUSED_PRIVATE") | .evidence.addresses[]
		| select(.address == "127.53.1.1" and .reason == "loopback")] | length == 1' <<<"$output"
	jq -e '[.findings[] | select(.code == "ADDRESS_REFUSED_PRIVATE") | .summary]
		| any(test("a.gtld-servers.net. .*127.53.1.1 \\(loopback\\)"))' <<<"$output"
	jq -e '[.findings[] | select(.code == "ADDRESS_REFUSED_PRIVATE") | .fix] | all(test("--allow-private"))' <<<"$output"
	jq -e '[.findings[] | select(.code == "ZONE_UNREACHABLE") | .caused_by.code] | all(. == "ADDRESS_REFUSED_PRIVATE")' <<<"$output"
	# The evidence: the refusals, and not one exchange with them; only the
	# operator's addresses (root hints, resolvers) were asked.
	jq -e '.refuse_private == true' "$ev"
	jq -e '[.refused[] | select(.use == "dns") | .addr] | unique == ["127.53.1.1", "127.53.1.2"]' "$ev"
	jq -e '[.exchanges[].addr] as $a | [.refused[].addr] | all(. as $r | $a | index($r) | not)' "$ev"
	local given
	given=$(jq -c '[.root_hints[], .resolvers[]? | split(" ")[1]] | unique' "$ev")
	jq -e --argjson g "$given" '[.exchanges[].addr] | unique | all(. as $x | $g | index($x))' "$ev"
	# analyze and --replay reach the same findings from the file.
	local want
	want=$(jq -c '[.findings[].code]' <<<"$output")
	dd analyze "$ev" --json
	[ "$status" -eq 2 ]
	[ "$(jq -c '[.findings[].code]' <<<"$output")" = "$want" ]
	dd check healthy.com --replay "$ev" --json
	[ "$status" -eq 2 ]
	[ "$(jq -c '[.findings[].code]' <<<"$output")" = "$want" ]
	# wait cannot see the value at a server it will not ask: exit 2 at
	# once, nothing polled (not the 60 s of --timeout).
	SECONDS=0
	dd wait www.healthy.com A --expect 192.0.2.1 --timeout 60 --no-private --json
	[ "$status" -eq 2 ]
	[ "$SECONDS" -lt 20 ]
	jq -e '.ok == false and ([.findings[].code] | unique == ["ADDRESS_REFUSED_PRIVATE"])' <<<"$output"
	# Without it (check's default), and with --allow-private: all clean.
	dd check healthy.com --allow-private --json
	[ "$status" -eq 0 ]
	[ "$(codes "$output")" = "" ]
}

@test "http-01 --no-private: www's loopback addresses are refused, and nginx gets no request" {
	local before
	before=$(requests)
	dd check www.acme-http01.net --acme --challenge http-01 --token abc --checks acme \
		--no-private --resolvers "$NAMED" --json --save-evidence "$BATS_TEST_TMPDIR/ev.json"
	[ "$status" -eq 2 ]
	[ "$(codes "$output")" = ADDRESS_REFUSED_PRIVATE ]
	jq -e '.findings[0].evidence | .use == "http" and .name == "www.acme-http01.net."
		and ([.addresses[].address] == ["127.53.95.11", "127.53.95.12"])' <<<"$output"
	# The name servers were the operator's: only the web host was refused.
	jq -e '[.refused[].use] | unique == ["http"]' "$BATS_TEST_TMPDIR/ev.json"
	jq -e '(.http01 // []) | length == 0' "$BATS_TEST_TMPDIR/ev.json"
	[ "$(requests)" -eq "$before" ]
	# The same check allowed: both addresses are fetched (and logged).
	dd check www.acme-http01.net --acme --challenge http-01 --token abc --checks acme \
		--resolvers "$NAMED" --json
	[ "$(codes "$output")" = HTTP01_BAD_RESPONSE ]
	[ "$(requests)" -eq $((before + 2)) ]
}

@test "fleet refuses by default; --allow-private lifts it; a line cannot" {
	printf 'healthy.com\nhealthy.com --allow-private\n' >"$BATS_TEST_TMPDIR/in"
	dd fleet "$BATS_TEST_TMPDIR/in" --json --rate 0 --per-server-rate 0
	[ "$status" -eq 3 ] # the worst row: line 2's
	[[ " $(codes "$(jq -c 'select(.line == 1)' <<<"$output")") " == *" ADDRESS_REFUSED_PRIVATE "* ]]
	jq -s -e 'map(select(.line == 1))[0] | .exit == 2' <<<"$output"
	jq -s -e 'map(select(.line == 2))[0] | .exit == 3 and (.error | test("whole run"))' <<<"$output"
	printf 'healthy.com\n' >"$BATS_TEST_TMPDIR/in"
	dd fleet "$BATS_TEST_TMPDIR/in" --json --rate 0 --per-server-rate 0 --allow-private
	[ "$status" -eq 0 ]
	[ "$(codes "$output")" = "" ]
	dd fleet "$BATS_TEST_TMPDIR/in" --no-private --allow-private
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"exclude each other"* ]]
}
