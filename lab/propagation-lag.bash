# shellcheck shell=bash
# Sourced by what stages a change on lab/scenarios/propagation-lag (the lab
# tests, the demo, bench/wait.sh): its two servers, A (Knot "main") and B
# (Knot "old", a secondary that lags), each serve a copy of their own.

# propagation_lag_set DIR SERIAL main|old RECORD...: rewrites that server's
# copy of propagation-lag.net in the lab at DIR with RECORDs and SERIAL
# (each change needs a higher one), and returns once Knot has reloaded it.
propagation_lag_set() {
	local dir=$1 serial=$2 group=$3 zone=propagation-lag.net file
	shift 3
	file="$dir/zones/propagation-lag/$zone.zone"
	[ "$group" = old ] && file="$dir/zones/propagation-lag/$zone.lag.zone"
	{
		echo "\$ORIGIN $zone."
		echo "\$TTL 300"
		echo "@ 300 IN SOA a.propagation-lag.alpha-dns.net. hostmaster.$zone. $serial 7200 900 1209600 600"
		echo "@ IN NS a.propagation-lag.alpha-dns.net."
		echo "@ IN NS b.propagation-lag.beta-dns.org."
		printf '%s\n' "$@"
	} >"$file"
	knotc -s "$dir/srv/knot-$group/knot.sock" -b zone-reload "$zone." >/dev/null
}
