#!/usr/bin/env bats
# Sanity of the lab itself, at the dig level: every server answers, the
# resolver resolves, each scenario's fault is really there, and `lab down`
# leaves nothing running. No dnsdoctor involved.
# Run as: lab/netns bats tests/lab

load lab_helper

setup_file() { lab_start; }
setup() { lab_skip_if_unavailable; }
teardown_file() { lab_stop; }

COM=127.53.1.1      # a.gtld-servers.net (Knot): com. net.
COM_BIND=127.53.1.2 # b.gtld-servers.net (BIND): com. net.
ORG=127.53.2.1      # a0.nic.org (Knot)
ORG_BIND=127.53.2.2 # b0.nic.org (BIND)

auth_ns() { q +noall +authority "@$1" "$2" NS | awk '$4 == "NS" { print tolower($5) }' | sort | tr '\n' ' '; }
glue_a() { q +noall +additional "@$1" "$2" NS | awk -v n="$3" 'tolower($1) == n && $4 == "A" { print $5 }'; }

@test "every lab server answers its first zone's SOA authoritatively over UDP" {
	run "$LAB_SRC/lab" status "$LAB_TMP"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "every lab server answers over TCP too (but where a scenario's firewall drops TCP)" {
	local name a z bad=0 dropped
	dropped=$(cat "$LAB_SRC"/scenarios/*/firewall | awk '$2 == "tcp" || $2 == "all" { print $1 }')
	while read -r _ name a z; do
		if grep -qxF "$a" <<<"$dropped"; then
			run dig +tcp +time=1 +tries=1 "@$a" "$z" SOA
			[ "$status" -ne 0 ] || { echo "TCP should be dropped: $name $a"; bad=1; }
			continue
		fi
		q +tcp "@$a" "$z" SOA | grep -q 'flags:[^;]* aa' || { echo "no TCP answer: $name $a $z"; bad=1; }
	done < <("$LAB_SRC/lab" status "$LAB_TMP" | grep '^ok')
	[ "$bad" -eq 0 ]
}

@test "both root servers serve the lab root, and the hints name only lab addresses" {
	[ "$(serial_of @127.53.0.1 .)" = "$(serial_of @127.53.0.2 .)" ]
	is_aa @127.53.0.1 . SOA
	is_aa @127.53.0.2 . SOA
	! awk '$3 == "A" && $4 !~ /^127\.53\./' "$DNSDOCTOR_ROOT_HINTS" | grep -q . || false
	grep -q 'A.ROOT-SERVERS.NET.*127.53.0.1' "$DNSDOCTOR_ROOT_HINTS"
	[ "$LAB_RESOLVER" = 127.53.53.53 ]
}

@test "the root refers com. net. org. uk. to the TLD servers" {
	[ "$(auth_ns 127.53.0.1 com.)" = "a.gtld-servers.net. b.gtld-servers.net. " ]
	[ "$(auth_ns 127.53.0.2 org.)" = "a0.nic.org. b0.nic.org. " ]
	[ "$(auth_ns 127.53.0.1 uk.)" = "nsa.nic.uk. nsb.nic.uk. " ]
	[ "$(serial_of @$COM com.)" = "$(serial_of @$COM_BIND com.)" ]
	[ "$(serial_of @$ORG org.)" = "$(serial_of @$ORG_BIND org.)" ]
}

@test "the resolver resolves the healthy domain through the lab" {
	run dig +time=2 +tries=2 +short "@$LAB_RESOLVER" www.healthy.com A
	echo "$output"
	[ "$output" = 127.53.200.10 ]
}

@test "the resolver cannot resolve the seed domain (what ACM sees): SERVFAIL" {
	[ "$(dig +time=2 +tries=1 "@$LAB_RESOLVER" www.seed-refused.com A | sed -n 's/.*status: \([A-Z]*\).*/\1/p')" = SERVFAIL ]
}

@test "seed-refused: com. delegates to the 4 old servers, which refuse; the 4 new ones hold the ACM CNAME" {
	local old="ns-1452.awsdns-53.org. ns-1662.awsdns-15.co.uk. ns-216.awsdns-27.com. ns-549.awsdns-04.net. "
	[ "$(auth_ns $COM seed-refused.com)" = "$old" ]
	[ "$(auth_ns $COM_BIND seed-refused.com)" = "$old" ]
	for a in 127.53.20.1 127.53.20.2 127.53.20.3 127.53.20.4; do
		[ "$(status_of "@$a" seed-refused.com SOA)" = REFUSED ]
		is_aa "@$a" another-customer.com SOA # up, serving other zones
	done
	for a in 127.53.20.11 127.53.20.12 127.53.20.13 127.53.20.14; do
		is_aa "@$a" seed-refused.com SOA
		q "@$a" _3f1c0a9d2b7e4c55a1e8f0b6d9c2a417.seed-refused.com CNAME | grep -q 'acm-validations.aws'
	done
	# The name servers' names resolve to the fleet.
	[ "$(dig +short "@$LAB_RESOLVER" ns-549.awsdns-04.net A)" = 127.53.20.1 ]
	[ "$(dig +short "@$LAB_RESOLVER" ns-2034.awsdns-62.co.uk A)" = 127.53.20.11 ]
}

@test "seed-stale: the old servers serve an old copy (old NS, old serial, no ACM record)" {
	local a
	for a in 127.53.20.1 127.53.20.2 127.53.20.3 127.53.20.4; do
		is_aa "@$a" seed-stale.com SOA
		[ "$(serial_of "@$a" seed-stale.com)" = 2024010101 ]
		[ "$(ns_of "@$a" seed-stale.com)" = "ns-1452.awsdns-53.org. ns-1662.awsdns-15.co.uk. ns-216.awsdns-27.com. ns-549.awsdns-04.net. " ]
		[ "$(status_of "@$a" _8a4f2c6e1b9d3057c2e4a6f8b0d1c3e5.seed-stale.com CNAME)" = NXDOMAIN ]
	done
	for a in 127.53.20.11 127.53.20.12 127.53.20.13 127.53.20.14; do
		[ "$(serial_of "@$a" seed-stale.com)" = 2024060101 ]
		[ "$(ns_of "@$a" seed-stale.com)" = "ns-1267.awsdns-30.org. ns-145.awsdns-18.com. ns-2034.awsdns-62.co.uk. ns-667.awsdns-19.net. " ]
		q "@$a" _8a4f2c6e1b9d3057c2e4a6f8b0d1c3e5.seed-stale.com CNAME | grep -q 'acm-validations.aws'
	done
}

@test "partial-ns: net. says {A,B,C}; A,B serve the old copy; C,D serve NS {C,D}" {
	[ "$(auth_ns $COM partial-ns.net)" = "a.partial-ns.alpha-dns.net. b.partial-ns.beta-dns.org. c.partial-ns.gamma-dns.com. " ]
	for a in 127.53.21.1 127.53.21.2; do
		[ "$(serial_of "@$a" partial-ns.net)" = 2024050101 ]
		[ "$(ns_of "@$a" partial-ns.net)" = "a.partial-ns.alpha-dns.net. b.partial-ns.beta-dns.org. c.partial-ns.gamma-dns.com. " ]
	done
	for a in 127.53.21.3 127.53.21.4; do
		[ "$(serial_of "@$a" partial-ns.net)" = 2024060101 ]
		[ "$(ns_of "@$a" partial-ns.net)" = "c.partial-ns.gamma-dns.com. d.partial-ns.alpha-dns.net. " ]
	done
	[ "$(dig +short "@$LAB_RESOLVER" d.partial-ns.alpha-dns.net A)" = 127.53.21.4 ]
}

@test "lame-refused: A is authoritative, B answers REFUSED" {
	is_aa @127.53.22.1 lame-refused.org SOA
	[ "$(status_of @127.53.22.2 lame-refused.org SOA)" = REFUSED ]
	[ "$(ns_of @127.53.22.1 lame-refused.org)" = "a.lame-refused.alpha-dns.net. b.lame-refused.beta-dns.org. " ]
}

@test "acme-logs: both addresses serve one copy; the HTTP-01 targets resolve" {
	is_aa @127.53.60.1 acme-logs.com SOA
	is_aa @127.53.60.2 acme-logs.com SOA
	[ "$(serial_of @127.53.60.1 acme-logs.com)" = "$(serial_of @127.53.60.2 acme-logs.com)" ]
	[ "$(q +short @127.53.60.1 http-404.acme-logs.com A)" = 127.53.61.11 ]
	[ "$(status_of @127.53.60.2 _acme-challenge.dns-missing.acme-logs.com TXT)" = NXDOMAIN ]
}

@test "lame-referral: A is authoritative, B answers with a referral without AA" {
	is_aa @127.53.23.1 lame-referral.com SOA
	[ "$(status_of @127.53.23.2 lame-referral.com SOA)" = NOERROR ]
	! is_aa @127.53.23.2 lame-referral.com SOA || false
	[ "$(auth_ns 127.53.23.2 lame-referral.com)" = "a.lame-referral.beta-dns.org. b.lame-referral.gamma-dns.com. " ]
}

@test "dead-server: A and B answer, nothing listens on C" {
	is_aa @127.53.24.1 dead-server.net SOA
	is_aa @127.53.24.2 dead-server.net SOA
	run dig +norec +time=1 +tries=1 @127.53.24.3 dead-server.net SOA
	[ "$status" -ne 0 ]
	[ "$(dig +short "@$LAB_RESOLVER" c.dead-server.gamma-dns.com A)" = 127.53.24.3 ]
}

@test "serial-lag: same NS RRset, serials differ" {
	[ "$(serial_of @127.53.25.1 serial-lag.org)" = 2024060102 ]
	[ "$(serial_of @127.53.25.2 serial-lag.org)" = 2024060101 ]
	[ "$(ns_of @127.53.25.1 serial-lag.org)" = "$(ns_of @127.53.25.2 serial-lag.org)" ]
}

@test "glue-mismatch: glue says 127.53.26.2, the zone says 127.53.26.3, both serve the zone" {
	[ "$(glue_a $COM glue-mismatch.com ns2.glue-mismatch.com.)" = 127.53.26.2 ]
	[ "$(glue_a $COM_BIND glue-mismatch.com ns2.glue-mismatch.com.)" = 127.53.26.2 ]
	[ "$(glue_a $COM glue-mismatch.com ns1.glue-mismatch.com.)" = 127.53.26.1 ]
	[ "$(q +short @127.53.26.1 ns2.glue-mismatch.com A)" = 127.53.26.3 ]
	[ "$(q +short @127.53.26.1 ns1.glue-mismatch.com A)" = 127.53.26.1 ]
	for a in 127.53.26.1 127.53.26.2 127.53.26.3; do is_aa "@$a" glue-mismatch.com SOA; done
}

@test "glue-missing: net. has glue for ns1 only; ns1 gives ns2's address, which serves the zone" {
	[ "$(glue_a $COM glue-missing.net ns1.glue-missing.net.)" = 127.53.27.1 ]
	[ -z "$(glue_a $COM glue-missing.net ns2.glue-missing.net.)" ]
	[ -z "$(glue_a $COM_BIND glue-missing.net ns2.glue-missing.net.)" ]
	[ "$(auth_ns $COM glue-missing.net)" = "ns1.glue-missing.net. ns2.glue-missing.net. " ]
	[ "$(q +short @127.53.27.1 ns2.glue-missing.net A)" = 127.53.27.2 ]
	is_aa @127.53.27.2 glue-missing.net SOA
}

@test "ns-cname: b.ns-cname.gamma-dns.com is a CNAME; its target's server serves the zone" {
	q @127.53.9.1 b.ns-cname.gamma-dns.com A | grep -q 'CNAME.*ns-cname-target.beta-dns.org'
	[ "$(dig +short "@$LAB_RESOLVER" ns-cname-target.beta-dns.org A)" = 127.53.28.2 ]
	is_aa @127.53.28.1 ns-cname.org SOA
	is_aa @127.53.28.2 ns-cname.org SOA
	[ "$(ns_of @127.53.28.1 ns-cname.org)" = "a.ns-cname.alpha-dns.net. b.ns-cname.gamma-dns.com. " ]
}

@test "ns-unresolvable: c.ns-unresolvable.gamma-dns.com is NXDOMAIN on both provider servers" {
	[ "$(status_of @127.53.9.1 c.ns-unresolvable.gamma-dns.com A)" = NXDOMAIN ]
	[ "$(status_of @127.53.9.2 c.ns-unresolvable.gamma-dns.com A)" = NXDOMAIN ]
	is_aa @127.53.29.1 ns-unresolvable.com SOA
	is_aa @127.53.29.2 ns-unresolvable.com SOA
	[ "$(auth_ns $COM ns-unresolvable.com | wc -w)" -eq 3 ]
}

@test "too-few-ns: one NS in the delegation and in the zone" {
	[ "$(auth_ns $COM too-few-ns.net)" = "a.too-few-ns.alpha-dns.net. " ]
	[ "$(ns_of @127.53.30.1 too-few-ns.net)" = "a.too-few-ns.alpha-dns.net. " ]
}

@test "not-delegated: NXDOMAIN at both org. servers, though the zone is served" {
	[ "$(status_of @$ORG not-delegated.org NS)" = NXDOMAIN ]
	[ "$(status_of @$ORG_BIND not-delegated.org NS)" = NXDOMAIN ]
	is_aa @127.53.31.1 not-delegated.org SOA
}

@test "healthy: three programs, one serial, one NS RRset, UDP and TCP" {
	local a s n
	s=$(serial_of @127.53.32.1 healthy.com); n=$(ns_of @127.53.32.1 healthy.com)
	for a in 127.53.32.1 127.53.32.2 127.53.32.3; do
		is_aa "@$a" healthy.com SOA
		is_aa +tcp "@$a" healthy.com SOA
		[ "$(serial_of "@$a" healthy.com)" = "$s" ]
		[ "$(ns_of "@$a" healthy.com)" = "$n" ]
	done
	[ "$(auth_ns $COM healthy.com)" = "$n" ]
}

@test "acme-caa-parent: CAA digicert.com at acme-caa.com, none at www; the challenge TXT on both servers" {
	[ "$(q +short @127.53.90.1 acme-caa.com CAA | grep issue)" = '0 issue "digicert.com"' ]
	[ "$(q +short @127.53.90.2 acme-caa.com CAA | grep issue)" = '0 issue "digicert.com"' ]
	[ -z "$(q +short @127.53.90.1 www.acme-caa.com CAA)" ]
	[ -n "$(q +short @127.53.90.2 _acme-challenge.www.acme-caa.com TXT)" ]
}

@test "acme-dangling: the challenge CNAME's target domain is NXDOMAIN at com.; the loop chain is there" {
	[ "$(q +short @127.53.91.1 _acme-challenge.acme-dangling.net CNAME)" = 7e1f2a.auth.acme-dns-gone.com. ]
	[ "$(status_of "@$COM" 7e1f2a.auth.acme-dns-gone.com TXT)" = NXDOMAIN ]
	[ "$(q +short @127.53.91.2 hop2.loop.acme-dangling.net CNAME)" = _acme-challenge.loop.acme-dangling.net. ]
}

@test "acme-doubled: TXT at the doubled name, NXDOMAIN at the real one" {
	[ -n "$(q +short @127.53.92.1 _acme-challenge.acme-doubled.com.acme-doubled.com TXT)" ]
	[ "$(status_of @127.53.92.2 _acme-challenge.acme-doubled.com TXT)" = NXDOMAIN ]
}

@test "acm-typo: one CNAME at a doubled name, one with the zone appended to its target, one right" {
	[ -n "$(q +short @127.53.93.1 _a1b2c3.acm-typo.org.acm-typo.org CNAME)" ]
	[ "$(q +short @127.53.93.2 _0a0b0c.www.acm-typo.org CNAME)" = _1d1e1f.xkcdtest.acm-validations.aws.acm-typo.org. ]
	[ "$(q +short @127.53.93.1 _9f8e7d.api.acm-typo.org CNAME)" = _6c5b4a.xkcdtest.acm-validations.aws. ]
}

@test "acme-healthy: CAA for letsencrypt.org, challenge CNAME into acme-dns-lab.net, which holds the TXT" {
	[ "$(q +short @127.53.94.3 acme-healthy.org CAA | grep -c issue)" = 2 ]
	[ "$(q +short @127.53.94.2 _acme-challenge.acme-healthy.org CNAME)" = 4f3e2d1c.auth.acme-dns-lab.net. ]
	[ "$(q +short @127.53.94.1 4f3e2d1c.auth.acme-dns-lab.net TXT)" = '"healthy-token-0123456789abcdefghijklmnopqrst"' ]
	[ "$(q +short @127.53.94.3 4f3e2d1c.auth.acme-dns-lab.net TXT)" = '"healthy-token-0123456789abcdefghijklmnopqrst"' ]
}

@test "acme-lag: the primary takes an RFC 2136 update signed with the lab key; the copy on B does not change" {
	[ -f "$LAB_UPDATE_KEY" ]
	nsupdate -k "$LAB_UPDATE_KEY" <<-EOT
	server 127.53.65.1
	update add _acme-challenge.labtest.acme-lag.com. 60 TXT "lab-bats"
	send
	EOT
	[ "$(q +short @127.53.65.1 _acme-challenge.labtest.acme-lag.com TXT)" = '"lab-bats"' ]
	[ "$(status_of @127.53.65.2 _acme-challenge.labtest.acme-lag.com TXT)" = NXDOMAIN ]
	# Unsigned updates are refused.
	run nsupdate <<-EOT
	server 127.53.65.1
	update add _acme-challenge.unsigned.acme-lag.com. 60 TXT "x"
	send
	EOT
	[ "$status" -ne 0 ]
	[ "$(status_of @127.53.65.1 _acme-challenge.unsigned.acme-lag.com TXT)" = NXDOMAIN ]
}

@test "lab up refuses a directory where a lab is running" {
	run "$LAB_SRC/lab" up "$LAB_TMP"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"already running"* ]]
	"$LAB_SRC/lab" status "$LAB_TMP" # still up
}

@test "lab down stops every lab process (run last)" {
	"$LAB_SRC/lab" down "$LAB_TMP"
	local f left=""
	for f in /proc/[0-9]*/cmdline; do
		if { tr '\0' ' ' < "$f"; } 2>/dev/null | grep -qF " $LAB_TMP/srv/"; then left="$left $f"; fi
	done
	echo "left running:$left"
	[ -z "$left" ]
	run dig +norec +time=1 +tries=1 @127.53.0.1 . SOA
	[ "$status" -ne 0 ]
}
