#!/usr/bin/env bats
# bats file_tags=not_under_asan
# Logs dnsdoctor has not seen: lab/acme/make-corpus runs real certbot and
# lego against Pebble in the lab again (new tokens, keys, times, orders),
# and each new log must classify exactly as the committed corpus's .expect.
# Run as: DNSDOCTOR=/abs/build/dnsdoctor lab/netns bats tests/logs/lab
bats_require_minimum_version 1.5.0
load helper

setup_file() {
	SKIP_WHY=$(unavailable certbot lego pebble openssl python3)
	export SKIP_WHY
	[ -z "$SKIP_WHY" ] || return 0
	FRESH=$(mktemp -d /tmp/dnsdoctor-fresh.XXXXXX)
	export FRESH
	# no pause between the retries: the classification does not depend
	# on it, and the suite stays short
	RETRY_GAP=0 "$LAB_SRC/acme/make-corpus" "$FRESH" >&3 2>&1
}
teardown_file() { [ -z "${FRESH:-}" ] || rm -rf "$FRESH"; }
setup() { [ -z "$SKIP_WHY" ] || skip "$SKIP_WHY"; }

fresh() {
	local f=$1 want got
	[ -s "$FRESH/$f" ] || { echo "make-corpus did not write $f"; return 1; }
	if cmp -s "$FRESH/$f" "$CORPUS/$f"; then
		echo "$f is the corpus's own copy, not a new log"
		return 1
	fi
	run --separate-stderr "$DNSDOCTOR" logs "$FRESH/$f" --json
	got=$(jq -S -f "$BATS_TEST_DIRNAME/../expect.jq" <<<"$output")
	want=$(jq -S . "$CORPUS/$f.expect")
	diff -u <(echo "$want") <(echo "$got")
}

@test "fresh certbot: success, missing, wrong, lame, refused, 404, retries (log and console)" {
	for c in success txt-missing txt-wrong lame http-refused http-404 retries; do
		fresh "certbot-$c.log"
		fresh "certbot-$c.console"
	done
}

@test "fresh lego: success, missing, wrong, lame, refused, 404, retries, its own propagation check giving up" {
	for c in success txt-missing txt-wrong lame http-refused http-404 retries \
		propagation-timeout propagation-servfail propagation-silent; do
		fresh "lego-$c.log"
	done
}
