#!/usr/bin/env bats
# bats file_tags=not_under_asan
# fleet --shard on a real scheduler: a one-node Slurm cluster (lab/slurm:
# munged, slurmctld and slurmd from Debian, in the foreground) runs a job
# array of four shards against the lab; together their rows are exactly
# the rows of a single run.
# Run as: DNSDOCTOR=/abs/path/build/dnsdoctor lab/netns bats tests/lab

load lab_helper
bats_require_minimum_version 1.5.0

setup_file() {
	LAB_SKIP=${LAB_SKIP:-$(lab_missing_tool munged mungekey slurmctld slurmd sbatch squeue sinfo)}
	export LAB_SKIP
	lab_start
	[ -n "$LAB_SKIP" ] && return 0
	SLURM_DIR=$LAB_TMP/slurm
	export SLURM_DIR SLURM_CONF=$LAB_TMP/slurm/slurm.conf
	"$LAB_SRC/slurm" up "$SLURM_DIR"
}
setup() { lab_skip_if_unavailable; DD=${DNSDOCTOR:-build/dnsdoctor}; }
teardown_file() {
	if [ -n "${SLURM_DIR:-}" ]; then "$LAB_SRC/slurm" down "$SLURM_DIR"; fi
	lab_stop
}

# (line, exit, codes) of every row, sorted by line, one JSON array.
rows_key() {
	jq -sc 'map({line, exit, codes: ([.findings[]?.code] | sort)}) | sort_by(.line)' "$@"
}

@test "fleet --shard auto: a Slurm job array of four shards adds up to the single run" {
	local list=$BATS_TEST_TMPDIR/list m i
	for m in "$LAB_SRC"/scenarios/*/manifest; do
		manifest_get "$m" domain
	done >"$list"
	printf 'not..a.domain\n# a comment\n' >>"$list"
	run --separate-stderr "$DD" fleet --allow-private --rate 0 --per-server-rate 0 "$list" --json
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/single"
	run sbatch --parsable --array=0-3 --output="$SLURM_DIR/out-%a.ndjson" \
		--error="$SLURM_DIR/err-%a.log" \
		--wrap "exec '$DD' fleet --allow-private --rate 0 --per-server-rate 0 '$list' --json --shard auto"
	echo "# sbatch: $output"
	[ "$status" -eq 0 ]
	# The job array ends when squeue no longer lists it.
	for i in $(seq 1 600); do
		[ -z "$(squeue -h -j "${output%%;*}" 2>/dev/null)" ] && break
		sleep 0.1
	done
	[ -z "$(squeue -h)" ]
	for i in 0 1 2 3; do
		echo "# shard $i: $(wc -l <"$SLURM_DIR/out-$i.ndjson") rows; $(grep -v '^==' "$SLURM_DIR/err-$i.log" | head -n 1)"
		[ -s "$SLURM_DIR/out-$i.ndjson" ]
	done
	[ "$(rows_key "$SLURM_DIR"/out-*.ndjson)" = "$(rows_key "$BATS_TEST_TMPDIR/single")" ]
	[ "$(jq -s 'length' "$SLURM_DIR"/out-*.ndjson)" -eq "$(grep -vc '^#' "$list")" ]
}
