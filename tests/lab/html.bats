#!/usr/bin/env bats
# --format html as a person would look at it: a headless Chromium (file://
# only; the lab's namespace has nothing but loopback) opens the report of
# the seed scenarios and of the hostile-html zone, takes a screenshot, and
# the test reads the DOM it dumps: the graph's nodes and red edges, the
# root cause at the top, and no script run (no injected element, no CSP
# report in Chromium's log). HTML_SHOTS=DIR keeps the screenshots there
# (docs/img/ holds those of the seeds).
# Run as: DNSDOCTOR=/abs/path/build/dnsdoctor lab/netns bats tests/lab/html.bats

load lab_helper
bats_require_minimum_version 1.5.0

setup_file() { lab_start_with_dnsdoctor; }
setup() { lab_skip_if_unavailable; }
teardown_file() { lab_stop; }

# report NAME [ARGS...]: the check of scenario NAME (its manifest's domain
# and arguments, then ARGS) as $BATS_TEST_TMPDIR/NAME.html.
report() {
	local name=$1 m="$LAB_SRC/scenarios/$1/manifest" domain args
	shift
	domain=$(manifest_get "$m" domain)
	args=$(expand_env "$(manifest_get "$m" args)")
	# shellcheck disable=SC2086 # args is a word list by design
	run --separate-stderr "$DNSDOCTOR" check "$domain" $args "$@" \
		--root-hints "$DNSDOCTOR_ROOT_HINTS" --format html -o "$BATS_TEST_TMPDIR/$name.html"
	echo "# exit $status, stderr: $stderr"
	[ "$status" -eq 1 ] || [ "$status" -eq 2 ]
	[ -z "$output" ]
}

# browse NAME: Chromium's DOM of NAME.html after load into NAME.dom, its
# log into NAME.log, and a screenshot NAME.png, in one run. Its own
# profile; it exits by itself (--headless), bounded by timeout.
browse() {
	local page="file://$BATS_TEST_TMPDIR/$1.html" b=$BATS_TEST_TMPDIR/$1
	local flags=(--headless=new --no-sandbox --disable-gpu --no-first-run
		--user-data-dir="$BATS_TEST_TMPDIR/chromium" --window-size=1000,1300)
	timeout 60 chromium "${flags[@]}" --enable-logging=stderr --v=0 \
		--screenshot="$b.png" --dump-dom "$page" >"$b.dom" 2>"$b.log"
	[ -s "$b.png" ]
	if [ -n "${HTML_SHOTS:-}" ]; then
		cp "$b.png" "$HTML_SHOTS/$1.png"
	fi
	# Nothing ran, nothing was refused: the page has no script at all.
	! grep -Eai 'Content.Security.Policy|Refused to|CONSOLE' "$b.log" || false
	grep -q '<title>dnsdoctor: ' "$b.dom"
	! grep -Eq 'id="injected"|data-pwned|<img|<script' "$b.dom" || false
}

# top NAME TEXT: TEXT is in the verdict at the top, before any section.
top() {
	local dom=$BATS_TEST_TMPDIR/$1.dom head
	head=$(sed -n '/<header id="verdict"/,/<\/header>/p' "$dom")
	[[ $head == *"$2"* ]]
	[ "$(grep -n 'id="verdict"' "$dom" | cut -d: -f1)" -lt "$(grep -n -m1 '<section id=' "$dom" | cut -d: -f1)" ]
}

# red NAME CODE: an edge of the graph drawn red and labelled CODE.
red() {
	grep -A8 'class="edge fault"' "$BATS_TEST_TMPDIR/$1.dom" | grep -q ">$2<"
}

# bats test_tags=not_under_asan
@test "html: stale delegation with --expect-ns: the expected set beside the parent's, red" {
	cmp=seed-stale
	report "$cmp"
	browse "$cmp"
	top "$cmp" "your DNS provider assigned"
	red "$cmp" EXPECTED_NS_MISMATCH
	grep -q '>NS set expected<' "$BATS_TEST_TMPDIR/$cmp.dom"
	grep -q '>at the parent (com.)<' "$BATS_TEST_TMPDIR/$cmp.dom"
	grep -q '>ns-1267.awsdns-30.org.<' "$BATS_TEST_TMPDIR/$cmp.dom"
	grep -q '>127.53.20.13<' "$BATS_TEST_TMPDIR/$cmp.dom"
}

# bats test_tags=not_under_asan
@test "html: DS without DNSKEY: the DS -> DNSKEY link red with its code" {
	cmp=dnssec-ds-unsigned
	report "$cmp"
	browse "$cmp"
	top "$cmp" "but its servers serve no DNSKEY"
	red "$cmp" DS_WITHOUT_DNSKEY
	grep -q '>DS<' "$BATS_TEST_TMPDIR/$cmp.dom"
	grep -A8 'class="node fault"' "$BATS_TEST_TMPDIR/$cmp.dom" | grep -q '>none<'
}

# bats test_tags=not_under_asan
@test "html: lame server: its address red, REFUSED, LAME_DELEGATION" {
	cmp=lame-refused
	report "$cmp"
	browse "$cmp"
	top "$cmp" "does not serve it"
	red "$cmp" LAME_DELEGATION
	grep -A8 'class="node fault"' "$BATS_TEST_TMPDIR/$cmp.dom" | grep -q '>REFUSED<'
}

# bats test_tags=not_under_asan
@test "html: hostile-html: <script>, <img onerror>, </svg> shown as text, nothing runs" {
	cmp=hostile-html
	report "$cmp"
	browse "$cmp"
	local dom=$BATS_TEST_TMPDIR/$cmp.dom
	grep -qF '&lt;script&gt;document.title=' "$dom"
	grep -qF '&lt;/svg&gt;&lt;b id=injected&gt;' "$dom"
	grep -qF '"&gt;&lt;img\032src=x\032onerror=document.body.dataset.pwned=1&gt;\027[2j' "$dom"
	[ "$(grep -c '</svg>' "$dom")" -eq 1 ]
}

# bats test_tags=not_under_asan
@test "html: the page's CSP stops a script that got in all the same" {
	report lame-refused
	sed 's|<body>|<body><script>document.title="pwned"</script>|' \
		"$BATS_TEST_TMPDIR/lame-refused.html" >"$BATS_TEST_TMPDIR/forced.html"
	run browse forced
	[ "$status" -ne 0 ]
	grep -q '<title>dnsdoctor: ' "$BATS_TEST_TMPDIR/forced.dom"
	grep -qi 'Content Security Policy' "$BATS_TEST_TMPDIR/forced.log"
}

@test "html: the hostile page, dnsdoctor's side: escaped, 7-bit, one </svg>" {
	local f=$BATS_TEST_TMPDIR/hostile-html.html
	report hostile-html
	! LC_ALL=C grep -qaP '[\x00-\x08\x0b-\x1f\x7f-\xff]' "$f" || false
	! grep -Eq '<script|<img|<b id' "$f" || false
	[ "$(grep -c '</svg>' "$f")" -eq 1 ]
	grep -qF '&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;' "$f"
	run --separate-stderr "$DNSDOCTOR" check hostile-html.net --root-hints "$DNSDOCTOR_ROOT_HINTS" --format svg
	[ "$status" -eq 2 ]
	[[ $output == "<?xml"* ]]
	! grep -Eq '<script|<img|<b id' <<<"$output" || false
}

# bats test_tags=not_under_asan
@test "html: propagation lag: the timeline, the stale resolver until its TTL runs out, the ETA a line" {
	# shellcheck source=lab/propagation-lag.bash
	. "$LAB_SRC/propagation-lag.bash"
	local z=propagation-lag.net r="html1 300 IN A"
	propagation_lag_set "$LAB_TMP" 2025010101 main "$r 127.53.200.1"
	propagation_lag_set "$LAB_TMP" 2025010101 old "$r 127.53.200.1"
	[ "$(dig +short @"$LAB_RESOLVER" "html1.$z" A)" = 127.53.200.1 ]
	propagation_lag_set "$LAB_TMP" 2025010102 main "$r 127.53.200.2"
	propagation_lag_set "$LAB_TMP" 2025010102 old "$r 127.53.200.2"
	run --separate-stderr "$DNSDOCTOR" propagation "html1.$z" A --expect 127.53.200.2 \
		--resolvers "$LAB_RESOLVER" --root-hints "$DNSDOCTOR_ROOT_HINTS" \
		--format html -o "$BATS_TEST_TMPDIR/propagation-lag.html"
	echo "# exit $status, stderr: $stderr"
	[ "$status" -eq 1 ]
	browse propagation-lag
	local dom=$BATS_TEST_TMPDIR/propagation-lag.dom
	top propagation-lag "ETA: "
	[ "$(grep -c 'data-kind="auth" data-state="current"' "$dom")" -eq 2 ]
	grep 'data-kind="resolver" data-state="stale"' "$dom" | grep -q 'class="old".*127.53.200.1 until '
	grep -q 'class="tl-eta"' "$dom"
	grep -q 'data-code="RESOLVER_STALE"' "$dom"
}
