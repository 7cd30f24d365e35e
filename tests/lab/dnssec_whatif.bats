#!/usr/bin/env bats
# `check --ds`: a DS that is not published yet, checked against the zone's
# keys before the registrar is touched. On dnssec-rollover-bad the published
# DS names an old key; the DS of the key that really signs must clear
# DS_NO_MATCHING_DNSKEY, a made-up one must not, and the validating
# resolver, which sees only the published DS, still fails.
# Run as: DNSDOCTOR=/abs/path/build/dnsdoctor lab/netns bats tests/lab

load lab_helper
bats_require_minimum_version 1.5.0

ZONE=dnssec-rollover-bad.net
SERVER=127.53.42.1

setup_file() { lab_start_with_dnsdoctor; }
setup() { lab_skip_if_unavailable; }
teardown_file() { lab_stop; }

# codes ARGS...: the warning and error codes of a check, sorted.
codes() {
	"$DNSDOCTOR" check "$ZONE" --json --root-hints "$DNSDOCTOR_ROOT_HINTS" \
		--trust-anchor "$DNSDOCTOR_TRUST_ANCHOR" \
		--resolvers "$LAB_VALIDATING_RESOLVER" "$@" |
		jq -r '.findings[] | select(.severity != "info") | .code' | sort -u | tr '\n' ' '
}

# The DS (KEYTAG ALG DIGESTTYPE DIGEST) of the zone's key-signing key.
current_ds() {
	local dir
	dir=$(mktemp -d)
	q +noall +answer "@$SERVER" "$ZONE" DNSKEY | awk '$5 == 257' | head -n 1 > "$dir/ksk"
	(cd "$dir" && ldns-key2ds -n -2 ksk) |
		awk '{ for (i = 1; i < NF; i++) if ($i == "DS") { print $(i + 1), $(i + 2), $(i + 3), $(i + 4); exit } }'
	rm -rf "$dir"
}

@test "published DS: no DNSKEY matches it, and the resolver fails" {
	run codes
	echo "$output"
	[[ $output == *DS_NO_MATCHING_DNSKEY* ]]
	[[ $output == *DNSSEC_BOGUS_AT_RESOLVER* ]]
}

@test "--ds with the DS of the signing key: the fix would work" {
	local ds
	ds=$(current_ds)
	echo "DS: $ds"
	[ -n "$ds" ]
	run codes --ds "$ds"
	echo "$output"
	[[ $output != *DS_NO_MATCHING_DNSKEY* ]]
	# The resolver still sees the published DS.
	[[ $output == *DNSSEC_BOGUS_AT_RESOLVER* ]]
	run --separate-stderr "$DNSDOCTOR" check "$ZONE" --json --root-hints "$DNSDOCTOR_ROOT_HINTS" \
		--trust-anchor "$DNSDOCTOR_TRUST_ANCHOR" --ds "$ds"
	[ "$(jq -r '[.findings[] | select(.code | startswith("DS_"))] | length' <<<"$output")" = 0 ]
}

@test "--ds with a made-up digest: still no match, and the finding says it is the given DS" {
	local ds
	ds=$(current_ds | awk '{ print $1, $2, $3, "0000000000000000000000000000000000000000000000000000000000000000" }')
	run --separate-stderr "$DNSDOCTOR" check "$ZONE" --json --root-hints "$DNSDOCTOR_ROOT_HINTS" \
		--trust-anchor "$DNSDOCTOR_TRUST_ANCHOR" --ds "$ds"
	echo "$output"
	[ "$(jq -r '[.findings[] | select(.code == "DS_NO_MATCHING_DNSKEY") | .evidence.what_if] | first' <<<"$output")" = true ]
}

@test "--ds that is not a DS record: one line on stderr, exit 3" {
	run --separate-stderr "$DNSDOCTOR" check "$ZONE" --root-hints "$DNSDOCTOR_ROOT_HINTS" --ds "not a ds"
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[ "$(wc -l <<<"$stderr")" -eq 1 ]
}
