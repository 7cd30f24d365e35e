#!/usr/bin/env bats
# Internationalised names: Unicode input is converted to A-labels (IDNA2008,
# libidn2) and the human report shows both forms. Offline: the healthy lab
# scenario's recorded evidence is renamed to xn--4ca.com ("ä.com", the same
# length as "healthy", so the wire bytes stay valid) and replayed.

load helpers

setup_file() {
	local top
	top=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	export IDN_EV=$BATS_FILE_TMPDIR/idn.json LAB_HINTS=$BATS_FILE_TMPDIR/lab.hints
	sed 's/healthy/xn--4ca/g; s/6865616c746879/786e2d2d346361/g' \
		"$top/tests/fixtures/evidence/healthy.json" >"$IDN_EV"
	printf '%s\n' '. 3600000 NS a.root-servers.net.' \
		'a.root-servers.net. 3600000 A 127.53.0.1' \
		'. 3600000 NS b.root-servers.net.' \
		'b.root-servers.net. 3600000 A 127.53.0.2' >"$LAB_HINTS"
}

@test "check ä.com: the Unicode name is asked as xn--4ca.com, both forms in the header" {
	ddr check 'ä.com' --replay "$IDN_EV" --root-hints "$LAB_HINTS" --no-color
	[ "$status" -le 2 ]
	[[ ${lines[0]} == "ä.com. (xn--4ca.com.)  "* ]]
	[[ $output == *"Servers of xn--4ca.com."* ]]
}

@test "check Ä.COM maps to the same A-label (case folded, NFC)" {
	ddr check 'Ä.COM' --replay "$IDN_EV" --root-hints "$LAB_HINTS" --no-color
	[ "$status" -le 2 ]
	[[ ${lines[0]} == "ä.com. (xn--4ca.com.)  "* ]]
	ddr check $'a\xcc\x88.com' --replay "$IDN_EV" --root-hints "$LAB_HINTS" --no-color # a + combining diaeresis
	[[ ${lines[0]} == "ä.com. (xn--4ca.com.)  "* ]]
}

@test "check xn--4ca.com given as A-labels shows the Unicode form too" {
	ddr check xn--4ca.com --replay "$IDN_EV" --root-hints "$LAB_HINTS" --no-color
	[ "$status" -le 2 ]
	[[ ${lines[0]} == "ä.com. (xn--4ca.com.)  "* ]]
}

@test "JSON output names the A-label form" {
	ddr check 'ä.com' --replay "$IDN_EV" --root-hints "$LAB_HINTS" --json
	[ "$status" -le 2 ]
	[ "$(jq -r .domain <<<"$output")" = xn--4ca.com. ]
}

@test "bücher.example is accepted and converted (no network: exit 3 for the roots only)" {
	ddr check 'bücher.example' --root-hints "$HINTS" --timeout 0.3
	[ "$status" -eq 3 ]
	[[ $stderr == *"no root server answered"* ]]
}
