#!/usr/bin/env bats
# --format html and svg (docs/html.md) from saved evidence (analyze) and
# replays: nothing is sent. What the page looks like in a browser is
# tests/lab/html.bats's; here, what dnsdoctor writes, under ASan too.

load helpers

setup() {
	LAB_HINTS=$BATS_TEST_TMPDIR/lab.hints
	printf '%s\n' '. 3600000 NS a.root-servers.net.' '. 3600000 NS b.root-servers.net.' \
		'a.root-servers.net. 3600000 A 127.53.0.1' \
		'b.root-servers.net. 3600000 A 127.53.0.2' >"$LAB_HINTS"
	FX=$BATS_TEST_DIRNAME/../fixtures/evidence
}

@test "html: one page, a strict CSP first, the verdict before the graph, nothing external" {
	ddr analyze "$FX/seed-stale.json" --format html
	[ "$status" -eq 2 ]
	[ -z "$stderr" ]
	[[ $output == "<!DOCTYPE html>"* ]]
	local csp
	csp=$(grep -n 'http-equiv="Content-Security-Policy"' <<<"$output")
	[[ $csp == *"default-src 'none'"* ]]
	# The policy comes before anything the page holds of the evidence.
	[ "${csp%%:*}" -lt "$(grep -n '<title>' <<<"$output" | head -1 | cut -d: -f1)" ]
	[ "$(grep -n 'id="verdict"' <<<"$output" | cut -d: -f1)" -lt "$(grep -n '<section id="graph">' <<<"$output" | cut -d: -f1)" ]
	! grep -Eiq '<script|<link|<iframe|<object|src="http|href="http|@import|url\(' <<<"$output" || false
	grep -q 'prefers-color-scheme:dark' <<<"$output"
	grep -q '@media print' <<<"$output"
}

@test "html: the graph: expected set, red edges with the code, findings by cause, the servers" {
	ddr analyze "$FX/seed-stale.json" --format html
	grep -q '>NS set expected</text>' <<<"$output"
	grep -A8 'class="edge fault"' <<<"$output" | grep -q '>EXPECTED_NS_MISMATCH</text>'
	grep -q '<article class="finding sev-error" data-code="EXPECTED_NS_MISMATCH">' <<<"$output"
	[ "$(grep -c '<tr><td>ns-' <<<"$output")" -eq 8 ]
	ddr analyze "$FX/dnssec-ds-unsigned.json" --format html
	grep -A8 'class="edge fault"' <<<"$output" | grep -q '>DS_WITHOUT_DNSKEY</text>'
	# The resolver's Extended DNS Error text, escaped as it came.
	grep -qF '<td>9 validation failure &lt;dnssec-ds-unsigned.com. SOA IN&gt;: ' <<<"$output"
	# DNSSEC_BOGUS_AT_RESOLVER is explained by it, inside its article.
	grep -q 'Explained by it' <<<"$output"
	ddr analyze "$FX/lame-refused.json" --format html
	grep -A8 'class="edge fault"' <<<"$output" | grep -q '>LAME_DELEGATION</text>'
}

@test "html: hostile-html: every string of the evidence escaped, 7-bit, one </svg>" {
	ddr analyze "$FX/hostile-html.json" --format html
	[ "$status" -eq 2 ]
	! LC_ALL=C grep -qaP '[\x00-\x08\x0b-\x1f\x7f-\xff]' <<<"$output" || false
	! grep -Eq '<script|<img|<b id|onerror="' <<<"$output" || false
	[ "$(grep -c '</svg>' <<<"$output")" -eq 1 ]
	grep -qF '&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;' <<<"$output"
	grep -qF '&quot;&gt;&lt;img\032src=x\032onerror=document.body.dataset.pwned=1&gt;\027[2j' <<<"$output"
	grep -qF '&lt;/svg&gt;&lt;b\032id=injected&gt;x' <<<"$output"
	# The control bytes of the TXT, shown with their escapes.
	grep -qF 'ctl:\x1b[2J\x07' <<<"$output"
}

@test "svg: the graph alone, as an SVG document; hostile names escaped" {
	ddr analyze "$FX/hostile-html.json" --format svg
	[ "$status" -eq 2 ]
	[[ $output == '<?xml version="1.0" encoding="UTF-8"?>'* ]]
	[ "$(grep -c '<svg' <<<"$output")" -eq 1 ]
	! grep -Eq '<script|<img|<b id|<html' <<<"$output" || false
	grep -qF '&lt;script&gt;document.title=' <<<"$output"
}

@test "html: -o FILE writes the page there and nothing on stdout; --replay as analyze" {
	ddr check seed-stale.com --replay "$FX/seed-stale.json" --root-hints "$LAB_HINTS" \
		--expect-ns ns-2034.awsdns-62.co.uk,ns-667.awsdns-19.net,ns-1267.awsdns-30.org,ns-145.awsdns-18.com \
		--format html -o "$BATS_TEST_TMPDIR/r.html"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	grep -q 'EXPECTED_NS_MISMATCH' "$BATS_TEST_TMPDIR/r.html"
	ddr analyze "$FX/healthy.json" -o "$BATS_TEST_TMPDIR/h.txt"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ -s "$BATS_TEST_TMPDIR/h.txt" ]
}

@test "html: other commands refuse it; svg of propagation evidence, exit 3 and no file" {
	bad_input trace example.com --format html
	[[ $stderr == *"trace does not take --format html"* ]]
	bad_input wait example.com TXT --expect x --format html
	ddr propagation healthy.com NS --replay "$FX/healthy.json" --root-hints "$LAB_HINTS" \
		--resolvers 127.53.53.53 --save-evidence "$BATS_TEST_TMPDIR/p.json"
	bad_input analyze "$BATS_TEST_TMPDIR/p.json" --format svg -o "$BATS_TEST_TMPDIR/x.html"
	[[ $stderr == *"--format svg draws the delegation graph of check"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/x.html" ]
	bad_input analyze "$FX/seed-stale.json" --format html -o "$BATS_TEST_TMPDIR/no/such/dir.html"
	[[ $stderr == *"cannot write"* ]]
}

@test "html: --help names the formats and -o" {
	ddr check --help
	[[ $output == *"html: one page with"* ]]
	[[ $output == *"--output FILE"* ]]
}

@test "html: propagation: the timeline, one row per server and resolver, the ETA; no svg" {
	ddr propagation healthy.com NS --replay "$FX/healthy.json" --root-hints "$LAB_HINTS" \
		--resolvers 127.53.53.53 --format html
	[[ $output == "<!DOCTYPE html>"* ]]
	grep -q '<section id="timeline">' <<<"$output"
	# The delegation's 2 servers of com. (NS: issue 15) and the resolver.
	[ "$(grep -c 'class="tl-row"' <<<"$output")" -eq 3 ]
	grep -q '<span id="eta">ETA: ' <<<"$output"
	bad_input propagation healthy.com NS --format svg
	bad_input plan healthy.com NS --format html
}
