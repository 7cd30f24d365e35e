#!/usr/bin/env bats
# check --ns (docs/whatif.md): bad input is one clear line on stderr,
# nothing on stdout, exit 3, and no question asked. The diagnosis itself is
# tested in the lab (tests/lab/whatif.bats).

load helpers

# ns_bad WANT ARGS...: bad_input for `check example.com ARGS...`, the line
# naming WANT.
ns_bad() {
	local want=$1
	shift
	bad_input check example.com --root-hints "$HINTS" --timeout 1 "$@"
	[[ $stderr == *"$want"* ]]
}

@test "--ns: a name with an empty label" {
	ns_bad "'ns1..example.net' is not a name server name" --ns ns1..example.net
}

@test "--ns: a name with a space" {
	ns_bad "is not a name server name" --ns "ns1 example.net"
}

@test "--ns: the root is no name server" {
	ns_bad "is not a name server name" --ns .
}

@test "--ns: an empty item in the list" {
	ns_bad "an empty name server" --ns ns1.example.net,,ns2.example.net
}

@test "--ns: an address that is not one" {
	ns_bad "'192.0.2.300' (for ns1.example.net.) is not an IPv4 or IPv6 address" \
		--ns ns1.example.net/192.0.2.300
}

@test "--ns: an empty address" {
	ns_bad "is not an IPv4 or IPv6 address" --ns ns1.example.net/
}

@test "--ns: a name for an address" {
	ns_bad "is not an IPv4 or IPv6 address" --ns ns1.example.net/ns2.example.net
}

@test "--ns: a name inside the zone without its address" {
	ns_bad "ns1.example.com. is inside example.com.: give its address" \
		--ns ns1.example.com,ns2.example.net
}

@test "--ns: too many name servers in one list" {
	local list= i
	for i in $(seq 1 17); do list+="ns$i.example.net,"; done
	ns_bad "at most 16 name servers" --ns "${list%,}"
}

@test "--ns: too many name servers over several options" {
	local args=() i
	for i in $(seq 1 17); do args+=(--ns "ns$i.example.net"); done
	ns_bad "at most 16 --ns options" "${args[@]}"
}

@test "--ns: a command that does not take it" {
	bad_input trace example.com --root-hints "$HINTS" --ns ns1.example.net
}

@test "--ns: in check's help" {
	ddr check --help
	[ "$status" -eq 0 ]
	[[ $output == *"--ns NAME[/ADDR],..."* ]]
}

@test "plan: --ns on a type that is not NS" {
	bad_input plan www.example.com A --root-hints "$HINTS" --ns ns1.example.net
	[[ $stderr == *"plan DOMAIN NS"* ]]
}

@test "plan NS --ns: a bad address" {
	bad_input plan example.com NS --root-hints "$HINTS" --timeout 1 --ns ns1.example.net/300.1.1.1
}

@test "plan NS --expect: a name inside the zone without its address" {
	bad_input plan example.com NS --root-hints "$HINTS" --timeout 1 --expect ns1.example.com
}

@test "--ns: the root has no parent" {
	bad_input check . --root-hints "$HINTS" --timeout 1 --ns ns1.example.net
	[[ $stderr == *"root zone has no parent"* ]]
}

@test "--ns: fleet does not take it" {
	printf 'example.com\n' >"$BATS_TEST_TMPDIR/list"
	bad_input fleet "$BATS_TEST_TMPDIR/list" --root-hints "$HINTS" --ns ns1.example.net
}
