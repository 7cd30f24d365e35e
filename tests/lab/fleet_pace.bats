#!/usr/bin/env bats
# bats file_tags=not_under_asan
# fleet's pacing (docs/fleet.md): a server that never answers gets no more
# than --per-server-rate, retries included, and --rate bounds the whole
# run. Datagrams are counted by an nftables rule inside the lab's network
# namespace. Every bound is the bucket's own: its burst (a tenth of a
# second's worth, at least one) plus the rate times the time the run itself
# measured; a run without pacing shows the bound would otherwise be broken.
# Run as: DNSDOCTOR=/abs/path/build/dnsdoctor lab/netns bats tests/lab

load lab_helper
bats_require_minimum_version 1.5.0

# lab/scenarios/dead-server: the third name server of dead-server.net.
DEAD=127.53.24.3

setup_file() {
	LAB_SKIP=$(lab_missing_tool nft)
	export LAB_SKIP
	lab_start
	[ -n "$LAB_SKIP" ] && return 0
	# Names under dead-server.net, each asked of its three servers: as
	# many distinct questions for the dead one.
	LIST=$LAB_TMP/pace-dead.txt
	export LIST
	for i in $(seq 20); do echo "x$i.dead-server.net"; done >"$LIST"
}
setup() { lab_skip_if_unavailable; DD=${DNSDOCTOR:-build/dnsdoctor}; }
teardown() { nft delete table inet ddpace 2>/dev/null || true; }
teardown_file() { lab_stop; }

# silence_dead: DEAD drops every datagram sent to it, after counting it;
# no ICMP comes back, so each question is retried until it times out.
silence_dead() {
	nft delete table inet ddpace 2>/dev/null || true
	nft add table inet ddpace
	nft add chain inet ddpace out '{ type filter hook output priority 0; }'
	nft add rule inet ddpace out ip daddr "$DEAD" udp dport 53 counter drop
}

# sent_to_dead: the datagrams counted since silence_dead.
sent_to_dead() {
	nft list table inet ddpace | sed -n 's/.*counter packets \([0-9]*\) .*/\1/p'
}

# timed CMD...: runs CMD with `run --separate-stderr`; MS is its wall time.
timed() {
	local t0 t1
	t0=$(date +%s%N)
	run --separate-stderr "$@"
	t1=$(date +%s%N)
	MS=$(((t1 - t0) / 1000000))
}

# burst RATE: the bucket's burst (engine/pace.c), in whole queries.
burst() { local b=$(($1 / 10)); echo $((b ? b : 1)); }

@test "fleet pace: a silent server gets no more than --per-server-rate, retries included" {
	local rate=10 n bound
	silence_dead
	timed "$DD" fleet --allow-private "$LIST" --json --per-server-rate "$rate"
	n=$(sent_to_dead)
	bound=$(($(burst $rate) + rate * MS / 1000))
	echo "# exit $status; $n datagrams to $DEAD in $MS ms; bound $bound; ${stderr%%$'\n'*}"
	[ "$status" -le 2 ]
	[ "$(jq -s length <<<"$output")" -eq 20 ]
	[ "$n" -gt 0 ]
	[ "$n" -le "$bound" ]
	# The summary counts what the silent server made fleet send again.
	local retries
	retries=$(sed -n 's/^fleet: .*), \([0-9]*\) retries (\([0-9]*\) questions.*/\1 \2/p' <<<"$stderr")
	echo "# retries, questions retried: $retries"
	[ "${retries%% *}" -gt 0 ] && [ "${retries##* }" -gt 0 ]
	[ "${retries%% *}" -ge "${retries##* }" ]
	# Without pacing the same list asks it faster than that.
	silence_dead
	timed "$DD" fleet --allow-private "$LIST" --json --per-server-rate 0 --rate 0
	n=$(sent_to_dead)
	echo "# unpaced: $n datagrams in $MS ms"
	[ "$n" -gt $(($(burst $rate) + rate * MS / 1000)) ]
}

# The summary's "in X s (... N queries/s)": queries/s is sent / elapsed,
# rounded; X is elapsed to a tenth.
summary_rate() { sed -n 's/^fleet: .* in \([0-9.]*\) s (.* \([0-9]*\) queries\/s).*/\1 \2/p' <<<"$1" | head -1; }

@test "fleet pace: --rate bounds the queries of the whole run" {
	local rate=50 secs qps ms bound
	timed "$DD" fleet --allow-private "$LIST" --json --rate "$rate" --per-server-rate 0
	echo "# exit $status; ${stderr%%$'\n'*}"
	[ "$(jq -s length <<<"$output")" -eq 20 ]
	read -r secs qps <<<"$(summary_rate "$stderr")"
	# The run's own elapsed time, at least X - 0.05 s.
	ms=$(awk -v s="$secs" 'BEGIN { printf "%d", s * 1000 - 50 }')
	[ "$ms" -gt 0 ]
	# sent <= burst + rate * elapsed, so sent / elapsed <= rate +
	# burst / elapsed, plus a half for the rounding.
	bound=$((rate + ($(burst $rate) * 1000 + ms - 1) / ms + 1))
	echo "# $qps queries/s over $secs s; bound $bound"
	[ "$qps" -le "$bound" ]
	timed "$DD" fleet --allow-private "$LIST" --json --rate 0 --per-server-rate 0
	read -r secs qps <<<"$(summary_rate "$stderr")"
	echo "# unpaced: $qps queries/s over $secs s"
	[ "$qps" -gt "$bound" ]
}

@test "fleet pace: bad rates are refused in one line, and on a fleet line" {
	run --separate-stderr "$DD" fleet --allow-private "$LIST" --rate fast
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"--rate wants queries per second"*"not 'fast'"* ]]
	[ "$(grep -c . <<<"$stderr")" -eq 1 ]
	run --separate-stderr "$DD" check dead-server.net --per-server-rate -2
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"--per-server-rate wants queries per second"* ]]
	printf 'healthy.com --per-server-rate 5\n' >"$BATS_TEST_TMPDIR/in"
	run --separate-stderr "$DD" fleet --allow-private "$BATS_TEST_TMPDIR/in" --json
	[ "$status" -eq 3 ]
	jq -e '.exit == 3 and (.error | test("whole run"))' <<<"$output"
}
