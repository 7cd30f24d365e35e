#!/usr/bin/env bats
# RDAP in `check` (issue 15) against a real nginx started here (by PID, its
# files under the lab folder) on 127.53.80.1:80, serving the registry
# answers tests/lab/rdap_fixtures.py writes: one folder per scenario, each
# with its own bootstrap file (--rdap-bootstrap), so the lab's DNS is the
# same for every case and only the registry's story changes. The hostile
# servers are nginx locations: a 50 MB body, invalid JSON, JSON of the
# wrong shape, text/html, a redirect loop, a redirect to 169.254.169.254
# (refused before any connection), 429 with Retry-After, one byte a second.
# Run as: DNSDOCTOR=/abs/path/build/dnsdoctor lab/netns bats tests/lab/rdap.bats

load lab_helper
load tls_helper
bats_require_minimum_version 1.5.0

setup_file() {
	nginx_require
	lab_start
	[ -z "$LAB_SKIP" ] || return 0
	local d=$LAB_TMP/rdap
	mkdir -p "$d"
	python3 "$BATS_TEST_DIRNAME/rdap_fixtures.py" "$d"
	export RDAP=$d
	nginx_conf "$d" <<CONF
	server {
		listen 127.53.80.1:80;
		root $d/www;
		types { }
		default_type application/rdap+json;
		location /ctype/ { default_type text/html; }
		location /loop/ { return 302 \$request_uri; }
		location /private/ { return 302 http://169.254.169.254/latest/meta-data/; }
		location /ratelimit/ { add_header Retry-After 120 always; return 429; }
		location /trickle/ { limit_rate 1; }
	}
CONF
	nginx_start "$d"
}
setup() { lab_skip_if_unavailable; }
teardown_file() {
	nginx_stop
	lab_stop
}

# check DOMAIN SCENARIO [ARGS...]: check --json with SCENARIO's bootstrap.
check() {
	local domain=$1 scen=$2
	shift 2
	run --separate-stderr "$DNSDOCTOR" check "$domain" --json \
		--root-hints "$DNSDOCTOR_ROOT_HINTS" \
		--rdap-bootstrap "$RDAP/boot-$scen.json" "$@"
	echo "# exit status: $status"
	echo "# stderr: $stderr"
	echo "# stdout: $output"
}
codes() { jq -r '[.findings[].code] | unique | join(" ")' <<<"$output"; }
finding() { jq -r --arg c "$1" '.findings[] | select(.code == $c) | .'"$2" <<<"$output"; }
# The codes DNS alone gives for DOMAIN (RDAP off, as custom hints make it).
dns_codes() {
	run --separate-stderr "$DNSDOCTOR" check "$1" --json --root-hints "$DNSDOCTOR_ROOT_HINTS"
	codes
}

@test "nginx serves the registry's domain object (curl)" {
	run curl -s --noproxy '*' http://127.53.80.1/healthy/domain/healthy.com
	[ "$(jq -r .ldhName <<<"$output")" = HEALTHY.COM ]
}

@test "RDAP is off with custom root hints unless --rdap-bootstrap is given" {
	run --separate-stderr "$DNSDOCTOR" check healthy.com --json --root-hints "$DNSDOCTOR_ROOT_HINTS"
	[ "$status" -eq 0 ]
	[ "$(jq -r '.registry // "absent"' <<<"$output")" = absent ]
	check healthy.com healthy --no-rdap
	[ "$(jq -r '.registry // "absent"' <<<"$output")" = absent ]
}

# bats test_tags=under_valgrind
@test "healthy: the registry agrees; the report names the registrar; exit 0" {
	check healthy.com healthy
	[ "$status" -eq 0 ]
	[ "$(jq -r .registry.state <<<"$output")" = ok ]
	[ "$(jq -r .registry.registrar.name <<<"$output")" = "Lab Registrar, Inc." ]
	[ "$(jq -r .registry.registrar.iana_id <<<"$output")" = 9999 ]
	COLUMNS=200 run "$DNSDOCTOR" check healthy.com --root-hints "$DNSDOCTOR_ROOT_HINTS" --rdap-bootstrap "$RDAP/boot-healthy.json"
	[[ "$output" == *"Registry"* ]]
	[[ "$output" == *"Lab Registrar, Inc. (IANA 9999, https://registrar.lab.example/)"* ]]
}

# bats test_tags=under_valgrind
@test "the bootstrap fetched over HTTP works as the file does" {
	check healthy.com healthy
	local want=$output
	run --separate-stderr "$DNSDOCTOR" check healthy.com --json --root-hints "$DNSDOCTOR_ROOT_HINTS" \
		--rdap-bootstrap http://127.53.80.1/bootstrap.json
	[ "$status" -eq 0 ]
	[ "$(jq -c .registry <<<"$output")" = "$(jq -c .registry <<<"$want")" ]
}

@test "seed 000: registry and parent agree on the deleted servers: the fix names the registrar" {
	check seed-refused.com seed --expect-ns ns-2034.awsdns-62.co.uk,ns-667.awsdns-19.net,ns-1267.awsdns-30.org,ns-145.awsdns-18.com
	[ "$status" -eq 2 ]
	[[ " $(codes) " == *" EXPECTED_NS_MISMATCH "* ]]
	[[ " $(codes) " != *" REGISTRAR_NS_MISMATCH "* ]]
	[[ "$(finding EXPECTED_NS_MISMATCH fix)" == "At the registrar Lab Registrar, Inc. (IANA 9999, https://registrar.lab.example/), set the name servers to exactly: "* ]]
}

@test "registry updated, parent not yet: REGISTRAR_NS_MISMATCH is a change in flight (info)" {
	check seed-refused.com inflight --expect-ns ns-2034.awsdns-62.co.uk,ns-667.awsdns-19.net,ns-1267.awsdns-30.org,ns-145.awsdns-18.com
	[[ " $(codes) " == *" REGISTRAR_NS_MISMATCH "* ]]
	[ "$(finding REGISTRAR_NS_MISMATCH severity)" = info ]
	[ "$(finding REGISTRAR_NS_MISMATCH evidence.in_flight)" = true ]
	[ "$(finding REGISTRAR_NS_MISMATCH evidence.odd_one)" = parent ]
	[[ "$(finding REGISTRAR_NS_MISMATCH summary)" == *"in flight"* ]]
	# When it shows: the parent's NS TTL, read from its referral.
	[[ "$(finding REGISTRAR_NS_MISMATCH fix)" == *"within the parent's NS TTL, "[0-9]*" s ("* ]]
	# The same TTL in the evidence, as the referral from com. holds it,
	# and the wait that returns when com. publishes the registry's list.
	local ttl
	ttl=$(q +noall +authority @127.53.1.1 seed-refused.com NS | awk '$4 == "NS" { print $2; exit }')
	[ "$(finding REGISTRAR_NS_MISMATCH evidence.parent_ttl)" = "$ttl" ]
	[[ "$(finding REGISTRAR_NS_MISMATCH fix)" == *"'dnsdoctor wait seed-refused.com. NS --expect "*" --expect "*"' returns when every server of com. publishes them"* ]]
}

@test "the registry is the odd list: REGISTRAR_NS_MISMATCH names it and the registrar" {
	check healthy.com oddregistry
	[ "$status" -eq 1 ]
	[ "$(finding REGISTRAR_NS_MISMATCH severity)" = warning ]
	[ "$(finding REGISTRAR_NS_MISMATCH evidence.odd_one)" = registry ]
	[[ "$(finding REGISTRAR_NS_MISMATCH fix)" == "At the registrar Lab Registrar, Inc. (IANA 9999, https://registrar.lab.example/), set the name servers of healthy.com. to: "* ]]
}

@test "clientHold: REGISTRY_HOLD, and DOMAIN_NOT_DELEGATED says the domain is on hold" {
	check not-delegated.org clienthold
	[ "$status" -eq 2 ]
	[[ " $(codes) " == *" REGISTRY_HOLD "* ]]
	[ "$(finding REGISTRY_HOLD evidence.status)" = clientHold ]
	[[ "$(finding DOMAIN_NOT_DELEGATED summary)" == *"on hold (clientHold)"* ]]
}

@test "serverHold: REGISTRY_HOLD set by the registry" {
	check not-delegated.org serverhold
	[ "$(finding REGISTRY_HOLD evidence.status)" = serverHold ]
	[[ "$(finding DOMAIN_NOT_DELEGATED summary)" == *"on hold (serverHold)"* ]]
}

@test "redemptionPeriod: DOMAIN_PENDING_DELETE and DOMAIN_EXPIRED" {
	check not-delegated.org redemption
	[[ " $(codes) " == *" DOMAIN_PENDING_DELETE "* ]]
	[[ " $(codes) " == *" DOMAIN_EXPIRED "* ]]
	[[ "$(finding DOMAIN_NOT_DELEGATED summary)" == *"redemptionPeriod"* ]]
}

@test "not registered (404 at the registry): DOMAIN_NOT_DELEGATED says so" {
	check not-delegated.org missing
	[ "$(jq -r .registry.state <<<"$output")" = not-found ]
	[[ "$(finding DOMAIN_NOT_DELEGATED summary)" == *"not registered"* ]]
}

@test "expiring in 10 days: DOMAIN_EXPIRING (warning); --expiry-warn-days 5 silences it" {
	check healthy.com expiring
	[ "$status" -eq 1 ]
	[ "$(codes)" = DOMAIN_EXPIRING ]
	[[ "$(finding DOMAIN_EXPIRING summary)" == *"in 9 days"* || "$(finding DOMAIN_EXPIRING summary)" == *"in 10 days"* ]]
	check healthy.com expiring --expiry-warn-days 5
	[ "$status" -eq 0 ]
}

@test "expired 3 days ago and still delegated: DOMAIN_EXPIRED" {
	check healthy.com expired
	[ "$(codes)" = DOMAIN_EXPIRED ]
}

@test "registry dsData no longer matches the parent's DS: RDAP_DS_MISMATCH" {
	check dnssec-healthy.com dsbad --trust-anchor "$DNSDOCTOR_TRUST_ANCHOR"
	[[ " $(codes) " == *" RDAP_DS_MISMATCH "* ]]
	[[ "$(finding RDAP_DS_MISMATCH summary)" == *"4242 13 2 0123456789ABCDEF"* ]]
}

# registry_holds_parent_ds SCEN DOMAIN: a registry scenario SCEN whose
# object for DOMAIN holds exactly the DS the real parent (net., com.)
# serves for it, and its name servers, read here with dig.
registry_holds_parent_ds() {
	local scen=$1 domain=$2 ds ns dir=$RDAP/www/$1/domain
	ds=$(q +short @127.53.1.1 "$domain" DS)
	ns=$(q +noall +authority @127.53.1.1 "$domain" NS | awk '$4 == "NS" { print $5 }')
	[ -n "$ds" ] && [ -n "$ns" ]
	mkdir -p "$dir"
	jq --arg ds "$ds" --arg ns "$ns" --arg name "${domain^^}" '.ldhName = $name |
		.nameservers = [ $ns | split("\n")[] | { objectClassName: "nameserver", ldhName: . } ] |
		.secureDNS = { delegationSigned: true, dsData: [ $ds | split("\n")[] | split(" ") |
			{ keyTag: (.[0] | tonumber), algorithm: (.[1] | tonumber),
			  digestType: (.[2] | tonumber), digest: (.[3:] | join("")) } ] }' \
		"$RDAP/www/healthy/domain/healthy.com" >"$dir/$domain"
	sed "s|/healthy/|/$scen/|" "$RDAP/boot-healthy.json" >"$RDAP/boot-$scen.json"
}

@test "registry and parent agree on a DS no zone key matches: RDAP_DS_MISMATCH names the zone's key tags" {
	registry_holds_parent_ds dsstale dnssec-rollover-bad.net
	check dnssec-rollover-bad.net dsstale --trust-anchor "$DNSDOCTOR_TRUST_ANCHOR"
	[[ " $(codes) " == *" RDAP_DS_MISMATCH "* ]]
	local want got
	want=$(q +noall +answer @127.53.42.1 dnssec-rollover-bad.net DNSKEY | awk '$4 == "DNSKEY"' |
		while read -r line; do
			echo "$line" >"$BATS_TEST_TMPDIR/k"
			ldns-key2ds -n -2 "$BATS_TEST_TMPDIR/k" | awk '{ print $5 }'
		done | sort -n | paste -sd' ')
	got=$(finding RDAP_DS_MISMATCH evidence.zone_key_tags | tr -d , | tr ' ' '\n' | sort -n | paste -sd' ')
	echo "# zone key tags: want $want, got $got"
	[ -n "$want" ] && [ "$got" = "$want" ]
	[[ "$(finding RDAP_DS_MISMATCH summary)" == *"the parent serves the same, but no DNSKEY"* ]]
	[[ "$(finding RDAP_DS_MISMATCH fix)" == *"Lab Registrar, Inc."* ]]
}

@test "registry and parent agree on the DS of the zone's key: no RDAP_DS_MISMATCH" {
	registry_holds_parent_ds dsgood dnssec-healthy.com
	check dnssec-healthy.com dsgood --trust-anchor "$DNSDOCTOR_TRUST_ANCHOR"
	jq .registry <<<"$output"
	[ "$(jq -r '.registry.ds | length' <<<"$output")" -ge 1 ]
	[[ " $(codes) " != *" RDAP_DS_MISMATCH "* ]]
	[ "$status" -eq 0 ]
}

@test "a TLD with no RDAP service: RDAP_UNAVAILABLE (info) naming it" {
	check awsdns-15.co.uk nouk
	[ "$(finding RDAP_UNAVAILABLE severity)" = info ]
	[[ "$(finding RDAP_UNAVAILABLE summary)" == *"names no RDAP service for uk."* ]]
}

# Hostile registries: each a clear RDAP_UNAVAILABLE with its reason, within
# the time limit, the DNS findings unchanged, exit 0 as without RDAP.
hostile() {
	local scen=$1 reason=$2
	check healthy.com "$scen"
	[ "$status" -eq 0 ]
	[ "$(codes)" = RDAP_UNAVAILABLE ]
	[[ "$(finding RDAP_UNAVAILABLE summary)" == *"$reason"* ]]
	[ "$(jq -r .stats.elapsed_ms <<<"$output")" -lt 7000 ]
}

# bats test_tags=under_valgrind
@test "hostile: a 50 MB body is cut at the size limit" { hostile big "over the size limit"; }
@test "hostile: invalid JSON" { hostile badjson "invalid JSON"; }
@test "hostile: JSON of the wrong shape" { hostile shape "wrong shape"; }
@test "hostile: content type text/html" { hostile ctype "content type 'text/html'"; }
@test "hostile: a redirect loop" { hostile loop "redirects in a loop"; }
# bats test_tags=under_valgrind
@test "hostile: a redirect to a private address is never followed" {
	hostile private "169.254.169.254, a link-local"
}
@test "hostile: 429 with Retry-After" { hostile ratelimit "HTTP 429 (rate limited, Retry-After 120 s)"; }
@test "hostile: a body trickling one byte a second ends at the time limit" {
	hostile trickle "did not answer within the time limit"
}

@test "hostile: escape sequences in the registrar's name never reach the terminal raw" {
	run "$DNSDOCTOR" check healthy.com --root-hints "$DNSDOCTOR_ROOT_HINTS" --rdap-bootstrap "$RDAP/boot-escape.json" --color=never
	[ "$status" -eq 0 ]
	[[ "$output" == *'\x1b[31mEvil'* ]]
	! grep -q $'\x1b' <<<"$output" || false
	! grep -q $'\x07' <<<"$output" || false
	run "$DNSDOCTOR" check healthy.com --root-hints "$DNSDOCTOR_ROOT_HINTS" --rdap-bootstrap "$RDAP/boot-escape.json" --format html
	[[ "$output" == *'\x1b[31mEvil'* ]]
	! grep -q $'\x1b' <<<"$output" || false
	run "$DNSDOCTOR" check healthy.com --root-hints "$DNSDOCTOR_ROOT_HINTS" --rdap-bootstrap "$RDAP/boot-escape.json" --format nagios --expiry-warn-days 400
	[[ "$output" == *'\x1b[31mEvil'* ]]
	! grep -q $'\x1b' <<<"$output" || false
}

@test "the DNS diagnosis is the same with and without RDAP (hostile registry)" {
	local without
	without=$(dns_codes seed-refused.com)
	check seed-refused.com loop
	[ "$(jq -r '[.findings[] | select(.code != "RDAP_UNAVAILABLE") | .code] | unique | join(" ")' <<<"$output")" = "$without" ]
}

# bats test_tags=under_valgrind
@test "--save-evidence, analyze and --replay reach the same findings and registry view" {
	local ev=$BATS_TEST_TMPDIR/ev.json
	check not-delegated.org clienthold --save-evidence "$ev"
	local want
	want=$(jq -c '[.findings[] | [.code, .severity, .summary]], .registry' <<<"$output")
	[ "$(jq -r .rdap.url "$ev")" = http://127.53.80.1/clienthold/domain/not-delegated.org ]
	run --separate-stderr "$DNSDOCTOR" analyze "$ev" --json
	[ "$(jq -c '[.findings[] | [.code, .severity, .summary]], .registry' <<<"$output")" = "$want" ]
	run --separate-stderr "$DNSDOCTOR" check not-delegated.org --replay "$ev" --json
	[ "$(jq -c '[.findings[] | [.code, .severity, .summary]], .registry' <<<"$output")" = "$want" ]
}

@test "trace shows the registry's view beside the parent's delegation" {
	COLUMNS=200 run "$DNSDOCTOR" trace seed-refused.com --root-hints "$DNSDOCTOR_ROOT_HINTS" --rdap-bootstrap "$RDAP/boot-inflight.json"
	[[ "$output" == *"Registry"* ]]
	[[ "$output" == *"name servers: ns-2034.awsdns-62.co.uk."* ]]
	run --separate-stderr "$DNSDOCTOR" trace seed-refused.com --json --root-hints "$DNSDOCTOR_ROOT_HINTS" --rdap-bootstrap "$RDAP/boot-inflight.json"
	[ "$(jq -r '.registry.nameservers | length' <<<"$output")" -eq 4 ]
}

@test "html: the Registry section names the registrar, escaped" {
	run "$DNSDOCTOR" check healthy.com --root-hints "$DNSDOCTOR_ROOT_HINTS" --rdap-bootstrap "$RDAP/boot-healthy.json" --format html
	[[ "$output" == *'<h2>Registry (RDAP)</h2>'* ]]
	[[ "$output" == *'the registrar Lab Registrar, Inc. (IANA 9999, https://registrar.lab.example/)'* ]]
}

@test "a TLD is no registration: no RDAP look-up for com." {
	check com. healthy
	[ "$(jq -r '.registry // "absent"' <<<"$output")" = absent ]
}

@test "propagation NS with RDAP: the registry's list beside the parent servers' (change in flight)" {
	run --separate-stderr "$DNSDOCTOR" propagation seed-refused.com NS --json --root-hints "$DNSDOCTOR_ROOT_HINTS" --rdap-bootstrap "$RDAP/boot-inflight.json"
	[ "$(jq -r '.registry.nameservers | sort | join(" ")' <<<"$output")" = "ns-1267.awsdns-30.org. ns-145.awsdns-18.com. ns-2034.awsdns-62.co.uk. ns-667.awsdns-19.net." ]
	[ "$(jq -r '[.views[] | select(.kind == "authoritative") | .zone] | unique | join(" ")' <<<"$output")" = com. ]
	COLUMNS=200 run "$DNSDOCTOR" propagation seed-refused.com NS --root-hints "$DNSDOCTOR_ROOT_HINTS" --rdap-bootstrap "$RDAP/boot-inflight.json"
	[[ "$output" == *"Registry"*"name servers: ns-2034.awsdns-62.co.uk."* ]]
}

@test "json schema: check, trace and propagation NS with the registry's view validate" {
	local cmd
	for cmd in "check healthy.com" "check not-delegated.org" "trace healthy.com" "propagation seed-refused.com NS"; do
		# shellcheck disable=SC2086 # the command and its arguments
		run --separate-stderr "$DNSDOCTOR" $cmd --json --root-hints "$DNSDOCTOR_ROOT_HINTS" --rdap-bootstrap "$RDAP/boot-clienthold.json"
		jq -e 'has("registry")' <<<"$output"
		run /usr/bin/python3 "$BATS_TEST_DIRNAME/../schema/validate" - <<<"$output"
		echo "# $cmd: $output"
		[ "$status" -eq 0 ]
	done
}

# Delegation propagation (issue 15): NS at a zone's apex is asked of every
# server of the parent. These come last: they change com. on Knot (RFC 2136
# signed with the lab key); BIND's copy of com. (127.53.x.2) is read-only,
# so it keeps the old delegation, as a lagging parent server would.
OLD_NS=ns-549.awsdns-04.net,ns-1452.awsdns-53.org,ns-216.awsdns-27.com,ns-1662.awsdns-15.co.uk
NEW_NS=(ns-2034.awsdns-62.co.uk ns-667.awsdns-19.net ns-1267.awsdns-30.org ns-145.awsdns-18.com)
expects() { local n; for n; do printf -- '--expect\n%s\n' "$n"; done; }

@test "propagation NS follows the delegation: every parent server serves the old set, the new set nowhere" {
	mapfile -t old < <(expects ${OLD_NS//,/ })
	run --separate-stderr "$DNSDOCTOR" propagation seed-refused.com NS "${old[@]}" --json --root-hints "$DNSDOCTOR_ROOT_HINTS"
	# No HIGH_TTL: com.'s two days are the registry's, not the user's.
	[ "$status" -eq 0 ]
	[[ "$(codes)" != *RECORD_MISSING_ON_AUTH* ]]
	[ "$(jq -r '[.views[] | select(.kind == "authoritative") | .zone] | unique | join(" ")' <<<"$output")" = com. ]
	[ "$(jq -r '[.views[] | select(.kind == "authoritative" and .state == "current")] | length' <<<"$output")" -ge 2 ]
	mapfile -t new < <(expects "${NEW_NS[@]}")
	run --separate-stderr "$DNSDOCTOR" propagation seed-refused.com NS "${new[@]}" --json --root-hints "$DNSDOCTOR_ROOT_HINTS"
	[ "$status" -eq 2 ]
	[[ "$(codes)" == *RECORD_MISSING_ON_AUTH* ]]
	# wait on the set every parent server publishes returns at once.
	run --separate-stderr "$DNSDOCTOR" wait seed-refused.com NS "${old[@]}" --timeout 5 --root-hints "$DNSDOCTOR_ROOT_HINTS"
	[ "$status" -eq 0 ]
}

@test "wait NS after a registry change: times out naming the parent server that still publishes the old delegation" {
	command -v nsupdate >/dev/null || skip "nsupdate is not installed"
	local n
	{
		echo "server 127.53.1.1"
		echo "zone com."
		for n in ${OLD_NS//,/ }; do echo "update delete seed-refused.com. NS $n."; done
		for n in "${NEW_NS[@]}"; do echo "update add seed-refused.com. 172800 NS $n."; done
		echo send
	} | nsupdate -k "$LAB_UPDATE_KEY"
	mapfile -t new < <(expects "${NEW_NS[@]}")
	run --separate-stderr "$DNSDOCTOR" wait seed-refused.com NS "${new[@]}" --timeout 3 --json --root-hints "$DNSDOCTOR_ROOT_HINTS"
	echo "# $output"
	[ "$status" -eq 2 ]
	# Knot's com. publishes the new set; BIND's copy (127.53.1.2) lags.
	local lag
	lag=$(jq -r '[.findings[] | select(.code=="RECORD_MISSING_ON_AUTH") | .evidence.servers[].addr] | unique | join(" ")' <<<"$output")
	[[ " $lag " == *" 127.53.1.2 "* ]]
	[[ " $lag " != *" 127.53.1.1 "* ]]
}

@test "plan NS --ns (docs/whatif.md): the seed's fix, at the registrar RDAP names" {
	local new=ns-2034.awsdns-62.co.uk,ns-667.awsdns-19.net,ns-1267.awsdns-30.org,ns-145.awsdns-18.com
	run --separate-stderr "$DNSDOCTOR" plan seed-refused.com NS --json \
		--root-hints "$DNSDOCTOR_ROOT_HINTS" --rdap-bootstrap "$RDAP/boot-seed.json" --ns "$new"
	echo "# exit status: $status"
	echo "# stderr: $stderr"
	jq -c .ns_plan <<<"$output"
	[[ $(jq -r .ns_plan.registrar <<<"$output") == "the registrar Lab Registrar, Inc. (IANA 9999"* ]]
	[ "$(jq -r .ns_plan.ready <<<"$output")" = true ]
	jq -r '.ns_plan.steps[] | select(.step == "switch") | .text' <<<"$output" | grep -q '^At the registrar Lab Registrar, Inc.'
	# Earlier cases may have moved com.'s servers half-way: under the
	# hypothesis every parent server publishes the set given.
	[[ " $(jq -r '.ns_plan.blocking | join(" ")' <<<"$output") " != *" PARENT_NS_INCONSISTENT "* ]]
}
