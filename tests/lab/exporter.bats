#!/usr/bin/env bats
# dnsdoctor exporter against the lab's real servers, scraped by a real
# Prometheus (Debian's), its exposition linted by promtool.
# The exporter listens on 127.53.250.1:9553, Prometheus on 127.53.250.2:9090.

load lab_helper
bats_require_minimum_version 1.5.0

XADDR=127.53.250.1:9553
PADDR=127.53.250.2:9090

setup_file() {
	lab_start
	[ -z "$LAB_SKIP" ] || return 0
	LAB_SKIP=$(lab_missing_tool prometheus promtool curl)
	export LAB_SKIP
	[ -z "$LAB_SKIP" ] || return 0
	local dd=${DNSDOCTOR:-build/dnsdoctor}
	cat >"$LAB_TMP/exporter.conf" <<-EOF
		# the lab's targets, checked every 10 s
		interval 10
		module acme --acme --challenge dns-01
		check seed-refused.com
		check healthy.com
		check dnssec-healthy.com
		propagation _acme-challenge.propagation-lag.net TXT --expect never-there
	EOF
	# the lab is all on loopback: --allow-private
	"$dd" exporter --allow-private --config "$LAB_TMP/exporter.conf" --listen "$XADDR" \
		--root-hints "$DNSDOCTOR_ROOT_HINTS" --trust-anchor "$DNSDOCTOR_TRUST_ANCHOR" \
		2>"$LAB_TMP/exporter.log" &
	echo $! >"$LAB_TMP/exporter.pid"
	mkdir -p "$LAB_TMP/prom"
	cat >"$LAB_TMP/prom/prometheus.yml" <<-EOF
		global:
		  scrape_interval: 1s
		  evaluation_interval: 1s
		scrape_configs:
		  - job_name: dnsdoctor
		    static_configs:
		      - targets: ['$XADDR']
		  - job_name: dnsdoctor-probe
		    metrics_path: /probe
		    scrape_interval: 2s
		    scrape_timeout: 2s
		    static_configs:
		      - targets: [healthy.com, lame-refused.org]
		    relabel_configs:
		      - source_labels: [__address__]
		        target_label: __param_target
		      - source_labels: [__param_target]
		        target_label: instance
		      - target_label: __address__
		        replacement: '$XADDR'
	EOF
	prometheus --config.file="$LAB_TMP/prom/prometheus.yml" \
		--storage.tsdb.path="$LAB_TMP/prom/data" \
		--web.listen-address="$PADDR" >"$LAB_TMP/prom/log" 2>&1 &
	echo $! >"$LAB_TMP/prom.pid"
}

teardown_file() {
	local p
	for p in exporter prom; do
		if [ -f "$LAB_TMP/$p.pid" ]; then
			kill "$(cat "$LAB_TMP/$p.pid")" 2>/dev/null || true
			wait "$(cat "$LAB_TMP/$p.pid")" 2>/dev/null || true
		fi
	done
	lab_stop
}

setup() { lab_skip_if_unavailable; DD=${DNSDOCTOR:-build/dnsdoctor}; }

# until_ok TRIES CMD...: CMD until it succeeds, a second apart (a guard
# against a hang, not a bound on speed).
until_ok() {
	local n=$1
	shift
	for ((; n > 0; n--)); do
		"$@" && return 0
		sleep 1
	done
	return 1
}

# prom_query EXPR: the JSON of Prometheus' instant query.
prom_query() { curl -sf --get "http://$PADDR/api/v1/query" --data-urlencode "query=$1"; }
# prom_has EXPR: the query returns at least one series.
prom_has() { prom_query "$1" | jq -e '.data.result | length > 0' >/dev/null; }
# metrics_have PATTERN: /metrics has a line matching PATTERN (grep -E).
metrics_have() { curl -sf "http://$XADDR/metrics" | grep -Eq "$1"; }

@test "exporter: /metrics serves the scheduled targets' results; promtool accepts the exposition" {
	until_ok 60 metrics_have '^dnsdoctor_check_success\{kind="check",domain="healthy.com"\} 1$'
	until_ok 60 metrics_have '^dnsdoctor_propagation_eta_seconds\{kind="propagation",domain="_acme-challenge.propagation-lag.net",type="TXT"\} \+Inf$'
	until_ok 60 metrics_have '^dnsdoctor_rrsig_expiry_timestamp_seconds\{kind="check",domain="dnssec-healthy.com"\} [0-9]+$'
	run curl -sf "http://$XADDR/metrics"
	[ "$status" -eq 0 ]
	grep -Eq '^dnsdoctor_finding\{kind="check",domain="seed-refused.com",code="LAME_DELEGATION",severity="error"\} 1$' <<<"$output"
	grep -Eq '^dnsdoctor_check_exit_code\{kind="check",domain="seed-refused.com"\} 2$' <<<"$output"
	grep -Eq '^dnsdoctor_exporter_targets 4$' <<<"$output"
	# HELP and TYPE once per family, whatever the number of targets
	[ "$(grep -c '^# TYPE dnsdoctor_check_success ' <<<"$output")" -eq 1 ]
	# the signatures expire after the check, and not years away
	exp=$(sed -n 's/^dnsdoctor_rrsig_expiry_timestamp_seconds{kind="check",domain="dnssec-healthy.com"} //p' <<<"$output")
	[ "$exp" -gt "$(date +%s)" ]
	run promtool check metrics <<<"$output"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "exporter: Prometheus scrapes it: LAME_DELEGATION on the broken zone, success on the healthy one, through /metrics and /probe" {
	until_ok 90 prom_has 'dnsdoctor_finding{job="dnsdoctor",code="LAME_DELEGATION",domain="seed-refused.com"} == 1'
	until_ok 90 prom_has 'dnsdoctor_check_success{job="dnsdoctor",domain="healthy.com"} == 1'
	until_ok 90 prom_has 'dnsdoctor_finding{job="dnsdoctor-probe",instance="lame-refused.org",code="LAME_DELEGATION"} == 1'
	until_ok 90 prom_has 'dnsdoctor_check_success{job="dnsdoctor-probe",instance="healthy.com"} == 1'
	# and Prometheus' own view of the scrapes: both jobs up
	run prom_query 'up{job=~"dnsdoctor.*"}'
	jq -e '[.data.result[] | .value[1]] | all(. == "1")' <<<"$output"
}

@test "exporter: /probe checks one domain now; its module adds options" {
	run curl -sf "http://$XADDR/probe?target=seed-refused.com"
	[ "$status" -eq 0 ]
	grep -Eq '^dnsdoctor_finding\{kind="check",domain="seed-refused.com",code="LAME_DELEGATION",severity="error"\} 1$' <<<"$output"
	! grep -q '^dnsdoctor_exporter_targets' <<<"$output" || false
	run promtool check metrics <<<"$output"
	[ "$status" -eq 0 ]
	# --acme --challenge dns-01 finds the challenge record missing
	run curl -sf "http://$XADDR/probe?target=healthy.com&module=acme"
	grep -Eq 'code="ACME_CHALLENGE_MISSING"' <<<"$output"
}

@test "exporter: a zone whose names and TXT hold quotes, backslashes and escape bytes yields valid exposition" {
	run curl -sf "http://$XADDR/probe?target=hostile-escapes.net"
	echo "$output"
	[ "$status" -eq 0 ]
	grep -Eq '^dnsdoctor_check_exit_code\{kind="check",domain="hostile-escapes.net"\} 2$' <<<"$output"
	# one sample per line, nothing raw: every line a comment or NAME{LABELS} VALUE
	! grep -v '^#' <<<"$output" | grep -Ev '^[a-z_]+(\{[^{}]*\})? [-+0-9.eInf]+$' || false
	[[ $output != *$'\e'* ]]
	run promtool check metrics <<<"$output"
	[ "$status" -eq 0 ]
	# a name with escapes is not a target: 400 with one line, escapes not echoed raw
	run curl -s -w '\n%{http_code}' --get "http://$XADDR/probe" --data-urlencode $'target=a"b\\c\e[2J.hostile-escapes.net'
	echo "$output"
	[ "$(tail -n 1 <<<"$output")" = 400 ]
	[[ $output != *$'\e'* ]]
}

@test "exporter: bad requests get 400, 404, 405; never a crash" {
	code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
	[ "$(code "http://$XADDR/probe")" = 400 ]
	[ "$(code "http://$XADDR/probe?target=healthy.com&module=nope")" = 400 ]
	[ "$(code "http://$XADDR/probe?target=bad..name")" = 400 ]
	[ "$(code "http://$XADDR/probe?target=a.com&target=b.com")" = 400 ]
	[ "$(code "http://$XADDR/nope")" = 404 ]
	[ "$(code -X POST "http://$XADDR/metrics")" = 405 ]
	run curl -s "http://$XADDR/probe?target=%1b%5b2J.com"
	[[ $output != *$'\e'* ]]
	# still serving
	[ "$(code "http://$XADDR/metrics")" = 200 ]
}

@test "exporter: SIGHUP with a bad configuration keeps the old one and says why; a good one is taken" {
	cp "$LAB_TMP/exporter.conf" "$LAB_TMP/exporter.conf.good"
	echo "chek typo.example" >>"$LAB_TMP/exporter.conf"
	kill -HUP "$(cat "$LAB_TMP/exporter.pid")"
	until_ok 20 metrics_have '^dnsdoctor_exporter_config_last_reload_successful 0$'
	grep -q "exporter.conf:8: 'chek' is not a directive" "$LAB_TMP/exporter.log"
	metrics_have '^dnsdoctor_exporter_targets 4$'
	cp "$LAB_TMP/exporter.conf.good" "$LAB_TMP/exporter.conf"
	kill -HUP "$(cat "$LAB_TMP/exporter.pid")"
	until_ok 20 metrics_have '^dnsdoctor_exporter_config_last_reload_successful 1$'
	# the results of the targets that stay are kept
	metrics_have '^dnsdoctor_check_success\{kind="check",domain="healthy.com"\} 1$'
}

@test "exporter: SIGHUP reads the root hints file again (the diagnoses keep it in memory between runs)" {
	local x=127.53.250.4:9553 pid hints=$BATS_TEST_TMPDIR/root.hints
	# First, root hints that name an address where nothing listens.
	sed -E 's/[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/127.53.250.9/' "$DNSDOCTOR_ROOT_HINTS" >"$hints"
	grep -q 127.53.250.9 "$hints"
	printf 'interval 10\ncheck healthy.com\n' >"$BATS_TEST_TMPDIR/x.conf"
	"$DD" exporter --allow-private --config "$BATS_TEST_TMPDIR/x.conf" --listen "$x" \
		--root-hints "$hints" 2>"$BATS_TEST_TMPDIR/x.log" &
	pid=$!
	have() { curl -sf "http://$x/metrics" | grep -Eq "$1"; }
	local st=0
	until_ok 30 have '^dnsdoctor_check_success\{kind="check",domain="healthy.com"\} 0$' || st=1
	# Then the lab's hints, in the same file, and SIGHUP.
	cp "$DNSDOCTOR_ROOT_HINTS" "$hints"
	kill -HUP "$pid" || st=1
	[ "$st" -eq 0 ] && until_ok 30 have '^dnsdoctor_check_success\{kind="check",domain="healthy.com"\} 1$' || st=1
	kill "$pid"
	wait "$pid" || true
	cat "$BATS_TEST_TMPDIR/x.log"
	[ "$st" -eq 0 ]
}

@test "exporter: a bad configuration, an option a line's command does not take, a busy port: one line, exit 3" {
	printf 'check a.example --expect tok\n' >"$BATS_TEST_TMPDIR/bad.conf"
	run --separate-stderr "$DD" exporter --config "$BATS_TEST_TMPDIR/bad.conf" --listen 127.53.250.3:9553
	[ "$status" -eq 3 ]
	[[ $stderr == *"bad.conf:1: '--expect' is not an option of check"* ]]
	[ "$(wc -l <<<"$stderr")" -eq 1 ]
	printf 'check a.example\ncheck A.example\n' >"$BATS_TEST_TMPDIR/dup.conf"
	run --separate-stderr "$DD" exporter --config "$BATS_TEST_TMPDIR/dup.conf" --listen 127.53.250.3:9553
	[ "$status" -eq 3 ]
	[[ $stderr == *"dup.conf:2: check A.example is already a target (line 1)"* ]]
	run --separate-stderr "$DD" exporter --listen "$XADDR" --root-hints "$DNSDOCTOR_ROOT_HINTS"
	[ "$status" -eq 3 ]
	[[ $stderr == *"cannot listen on $XADDR: Address already in use"* ]]
	run --separate-stderr "$DD" exporter --listen nonsense
	[ "$status" -eq 3 ]
	[[ $stderr == *"--listen wants ADDRESS:PORT"* ]]
	run --separate-stderr "$DD" exporter --config /nonexistent
	[ "$status" -eq 3 ]
	[[ $stderr == *"cannot read /nonexistent"* ]]
}

@test "exporter: SIGTERM stops it cleanly, exit 0, with a check in flight (nothing leaks under ASan)" {
	local pid
	printf 'check healthy.com\ncert www.acme-http01.net\n' >"$BATS_TEST_TMPDIR/x.conf"
	"$DD" exporter --allow-private --config "$BATS_TEST_TMPDIR/x.conf" --listen 127.53.250.4:9553 \
		--root-hints "$DNSDOCTOR_ROOT_HINTS" 2>"$BATS_TEST_TMPDIR/log" &
	pid=$!
	until_ok 60 eval 'curl -sf "http://127.53.250.4:9553/metrics" | grep -q "^dnsdoctor_check_success{kind=\"check\",domain=\"healthy.com\"}"'
	kill -HUP "$pid" || st=1
	# a probe answered, then one in flight when the signal comes: under
	# ASan, any leak of either fails the exit status
	curl -sf -o /dev/null "http://127.53.250.4:9553/probe?target=healthy.com"
	curl -s -o /dev/null "http://127.53.250.4:9553/probe?target=silent-server.org" &
	local cpid=$!
	sleep 0.5
	kill -TERM "$pid"
	local rc=0
	wait "$pid" || rc=$?
	wait "$cpid" || true
	cat "$BATS_TEST_TMPDIR/log"
	[ "$rc" -eq 0 ]
	grep -q "stopping" "$BATS_TEST_TMPDIR/log"
}

@test "exporter: without --allow-private, addresses learnt from DNS on loopback are refused, as a finding" {
	local pid
	"$DD" exporter --listen 127.53.250.5:9553 --root-hints "$DNSDOCTOR_ROOT_HINTS" 2>"$BATS_TEST_TMPDIR/log" &
	pid=$!
	until_ok 20 curl -sf -o /dev/null "http://127.53.250.5:9553/metrics"
	run curl -sf "http://127.53.250.5:9553/probe?target=healthy.com"
	kill -TERM "$pid"
	wait "$pid" || true
	echo "$output"
	grep -Eq '^dnsdoctor_finding\{kind="check",domain="healthy.com",code="ADDRESS_REFUSED_PRIVATE",severity="error"\} 1$' <<<"$output"
	grep -Eq '^dnsdoctor_check_success\{kind="check",domain="healthy.com"\} 0$' <<<"$output"
}

@test "alerting rules: promtool accepts docs/alerts.yml" {
	run promtool check rules "$BATS_TEST_DIRNAME/../../docs/alerts.yml"
	echo "$output"
	[ "$status" -eq 0 ]
}
