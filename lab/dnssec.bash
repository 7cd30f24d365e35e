# shellcheck shell=bash
# DNSSEC for the lab, sourced by lab/lab: keys, signing, the trust anchor and
# the validating resolver. Everything is made again at every `lab/lab up`,
# under DIR, with dates relative to that moment:
#
#   1. each scenario's `dnssec` file (after the shared-records are appended):
#        key  NAME ZONE [ALG[:BITS]]
#                                a new ECDSAP256SHA256 key (flags 257: one
#                                CSK per zone), DIR/keys/SCENARIO/NAME/;
#                                ALG another ldns-keygen algorithm, BITS its
#                                size (RSA: 2048 unless given)
#        ds   KEY [KEY...]       append the key's DS (SHA-256) to the parent
#                                zone (a shared zone: the TLD)
#        ds-sha1 KEY             the same with a SHA-1 DS only
#        sign ZONE SOURCE OUTPUT KEY[,KEY...] [inception=OFFSET]
#             [expiration=OFFSET] [nsec3] [strip-nsec] [cds=KEY|delete]
#                                ldns-signzone SOURCE (in the scenario folder)
#                                into DIR/zones/SCENARIO/OUTPUT, the FILE the
#                                scenario's `servers` lines name; OFFSET is
#                                +N or -N seconds, or Nm, Nh, Nd (defaults:
#                                inception=-1h expiration=+30d); nsec3 = NSEC3
#                                with 0 extra iterations and no salt (RFC 9276);
#                                nsec3=ITER:SALT with those (hex salt);
#                                cds=KEY adds the key's CDS (SHA-256) and
#                                CDNSKEY at the apex before signing, KEY
#                                not necessarily one it signs with;
#                                cds=delete the RFC 8078 delete form
#        unsign OUTPUT ALG TYPE[,TYPE...]
#                                after signing, drop the RRSIGs of algorithm
#                                ALG (a number) over those apex types
#        tamper OUTPUT TYPE FROM TO
#                                after signing, replace FROM with TO in the
#                                data of OUTPUT's TYPE records (not their
#                                RRSIGs): signatures that no longer verify
#   2. the TLDs in LAB_SIGNED_TLDS (their scenario DS records already in), then
#      the root with the TLDs' DS; the root's DS is the trust anchor:
#        DIR/trust-anchor        the root DS, zone-file presentation format
#                                (DNSDOCTOR_TRUST_ANCHOR, Unbound's anchor)
#        DIR/trust-anchor.delv   the same for `delv -a` (trust-anchors { })
#   Zones not named anywhere here (provider zones, issue 2's scenarios) stay
#   unsigned: insecure delegations from a signed parent.
#
# Tools: ldns-keygen and ldns-signzone (Debian ldnsutils). ECDSA P-256 keys
# and signatures take milliseconds, so this adds well under a second to `up`.

LAB_SIGNED_TLDS="com net org uk"
LAB_NSEC3_ZONES="org uk"          # the others (and the root) use NSEC
LAB_SIGN_INCEPTION=-1h
LAB_SIGN_EXPIRATION=+30d
LAB_DS_TTL=86400
VALIDATING_RESOLVER_ADDR=127.53.53.54

# dnssec_offset OFFSET: seconds, or nothing (status 1) when malformed.
dnssec_offset() {
	local v=$1 sign=1 n unit
	case $v in +*) v=${v#+} ;; -*) sign=-1 v=${v#-} ;; esac
	n=${v%[smhd]}
	unit=${v#"$n"}
	case $n in '' | *[!0-9]*) return 1 ;; esac
	case $unit in m) n=$((n * 60)) ;; h) n=$((n * 3600)) ;; d) n=$((n * 86400)) ;; esac
	echo $((sign * n))
}

# dnssec_keygen KEYDIR ZONE [ALGORITHM]: prints the key's base path
# (KEYDIR/Kzone.+013+tag); ALGORITHM as ldns-keygen names it (default
# ECDSAP256SHA256; RSA keys are 2048 bits).
dnssec_keygen() {
	local kd=$1 alg=${3:-ECDSAP256SHA256} base bits=()
	mkdir -p "$kd"
	case $alg in RSA*) bits=(-b 2048) ;; esac
	case $alg in *:*) bits=(-b "${alg#*:}") alg=${alg%%:*} ;; esac
	base=$(cd "$kd" && ldns-keygen -a "$alg" "${bits[@]}" -k "$2" 2>&1) || die "ldns-keygen -a $alg -k $2 failed: $base"
	[ -f "$kd/$base.ds" ] || die "ldns-keygen for $2 wrote no $kd/$base.ds"
	# ldns-keygen's DS takes the key's hash (SHA-1 for RSASHA1): the DS
	# is SHA-256 for every algorithm, as registries ask.
	if [ "$alg" != ECDSAP256SHA256 ]; then
		(cd "$kd" && ldns-key2ds -n -2 "$base.key") | awk '$4 == "DS" { $2 = ""; print }' > "$kd/$base.ds"
		[ -s "$kd/$base.ds" ] || die "ldns-key2ds -2 wrote no DS for $kd/$base"
	fi
	echo "$kd/$base"
}

# dnssec_cds ZONE KEYBASE|delete: the CDS and CDNSKEY records asking the
# parent for the key's DS (or, with delete, for none), zone-file lines.
dnssec_cds() {
	local zone=$1 kb=$2
	if [ "$kb" = delete ]; then
		printf '%s 3600 IN CDS 0 0 0 00\n%s 3600 IN CDNSKEY 0 3 0 AA==\n' "$zone." "$zone."
		return
	fi
	(cd "$(dirname "$kb")" && ldns-key2ds -n -2 "$(basename "$kb").key") |
		awk '$4 == "DS" { $4 = "CDS"; print }'
	awk '$3 == "DNSKEY" || $4 == "DNSKEY" { sub(/DNSKEY/, "CDNSKEY"); print }' "$kb.key"
}

# dnssec_sign ZONE IN OUT INCEPTION EXPIRATION NSEC3(0|1|ITER:SALT) STRIP-NSEC(0|1) CDS(""|KEYBASE|delete) KEYBASE...
dnssec_sign() {
	local zone=$1 in=$2 out=$3 inc=$4 exp=$5 nsec3=$6 strip=$7 cds=$8 now opts=()
	shift 8
	now=$(date +%s)
	case $nsec3 in
		0) ;;
		1) opts=(-n -t 0) ;;
		*) opts=(-n -t "${nsec3%%:*}" -s "${nsec3#*:}") ;;
	esac
	mkdir -p "$(dirname "$out")"
	if [ -n "$cds" ]; then
		cat "$in" > "$out.src"
		dnssec_cds "${zone%.}" "$cds" >> "$out.src"
		in=$out.src
	fi
	if ! ldns-signzone "${opts[@]}" -i $((now + inc)) -e $((now + exp)) -f "$out" -o "$zone" "$in" "$@" > "$out.log" 2>&1; then
		cat "$out.log" >&2
		die "ldns-signzone failed for $zone ($in)"
	fi
	rm -f "$out.log" "$out.src"
	if [ "$strip" = 1 ]; then
		# A signed zone without its denial chain: NXDOMAIN answers then
		# carry no NSEC/NSEC3 proof (dnssec-nsec-missing).
		awk '$4 != "NSEC" && $4 != "NSEC3" && $4 != "NSEC3PARAM" &&
		     !($4 == "RRSIG" && ($5 == "NSEC" || $5 == "NSEC3" || $5 == "NSEC3PARAM"))' \
			"$out" > "$out.stripped" && mv "$out.stripped" "$out"
	fi
}

# dnssec_publish_ds DIR KEYBASE [DSFILE]: appends the key's DS (DSFILE, by
# default the SHA-256 one ldns-keygen wrote) to the parent's shared zone.
dnssec_publish_ds() {
	local dir=$1 kb=$2 dsf=${3:-$2.ds} owner parent file
	owner=$(awk '$3 == "DS" { print tolower($1); exit }' "$dsf")
	case $owner in
		.) die "the root's DS is the trust anchor, not a record" ;;
		*.*.) parent=${owner#*.} ;;
		*) parent=. ;;
	esac
	if [ "$parent" = . ]; then file=$dir/zones/shared/root.zone; else file=$dir/zones/shared/${parent%.}.zone; fi
	[ -f "$file" ] || die "no shared zone $parent to publish the DS of $owner in"
	awk -v ttl="$LAB_DS_TTL" '$3 == "DS" { $2 = ttl " IN"; print }' "$dsf" >> "$file"
}

# dnssec_publish_ds_sha1 DIR KEYBASE: the same with a SHA-1 DS only.
dnssec_publish_ds_sha1() {
	local dir=$1 kb=$2 base
	# ldns-key2ds writes a TTL that ldns-keygen's .ds file has not: the
	# same shape as that file (NAME IN DS ...) for dnssec_publish_ds.
	base=$(cd "$(dirname "$kb")" && ldns-key2ds -n -1 "$(basename "$kb").key" 2>&1 > "$(basename "$kb").sha1.raw") ||
		die "ldns-key2ds -1 failed for $kb: $base"
	awk '$4 == "DS" { $2 = ""; print }' "$kb.sha1.raw" > "$kb.sha1.ds"
	[ -s "$kb.sha1.ds" ] || die "ldns-key2ds -1 wrote no DS for $kb"
	dnssec_publish_ds "$dir" "$kb" "$kb.sha1.ds"
}

# dnssec_scenarios DIR: keys, DS records and signed zones of every scenario's
# `dnssec` file. Runs after the shared-records are appended, before the TLDs
# are signed.
dnssec_scenarios() {
	local dir=$1 f src scn w k kb inc exp nsec3 opt keylist bases
	for f in "$LAB_SRC"/scenarios/*/dnssec; do
		[ -f "$f" ] || continue
		src=$(dirname "$f")
		scn=$(basename "$src")
		local -A keys=()
		while read -r -a w; do
			[ "${#w[@]}" -gt 0 ] || continue
			case ${w[0]} in
				'#'*) continue ;;
				key)
					[ "${#w[@]}" -eq 3 ] || [ "${#w[@]}" -eq 4 ] || die "$f: want: key NAME ZONE [ALGORITHM]"
					keys[${w[1]}]=$(dnssec_keygen "$dir/keys/$scn/${w[1]}" "${w[2]}" "${w[3]:-}")
					;;
				ds)
					[ "${#w[@]}" -ge 2 ] || die "$f: want: ds KEY [KEY...]"
					for k in "${w[@]:1}"; do
						[ -n "${keys[$k]:-}" ] || die "$f: ds: no key $k"
						dnssec_publish_ds "$dir" "${keys[$k]}"
					done
					;;
				ds-sha1)
					[ "${#w[@]}" -eq 2 ] || die "$f: want: ds-sha1 KEY"
					[ -n "${keys[${w[1]}]:-}" ] || die "$f: ds-sha1: no key ${w[1]}"
					dnssec_publish_ds_sha1 "$dir" "${keys[${w[1]}]}"
					;;
				sign)
					[ "${#w[@]}" -ge 5 ] || die "$f: want: sign ZONE SOURCE OUTPUT KEY[,KEY] [inception=OFFSET] [expiration=OFFSET] [nsec3] [strip-nsec]"
					inc=$(dnssec_offset "$LAB_SIGN_INCEPTION") exp=$(dnssec_offset "$LAB_SIGN_EXPIRATION") nsec3=0 strip=0 cds=
					for opt in "${w[@]:5}"; do
						case $opt in
							inception=*) inc=$(dnssec_offset "${opt#*=}") || die "$f: bad offset: $opt" ;;
							expiration=*) exp=$(dnssec_offset "${opt#*=}") || die "$f: bad offset: $opt" ;;
							nsec3) nsec3=1 ;;
							nsec3=*:*) nsec3=${opt#nsec3=} ;;
							strip-nsec) strip=1 ;;
							cds=delete) cds=delete ;;
							cds=*)
								[ -n "${keys[${opt#cds=}]:-}" ] || die "$f: cds: no key ${opt#cds=}"
								cds=${keys[${opt#cds=}]} ;;
							*) die "$f: unknown sign option $opt" ;;
						esac
					done
					bases=()
					IFS=, read -r -a keylist <<<"${w[4]}"
					for k in "${keylist[@]}"; do
						[ -n "${keys[$k]:-}" ] || die "$f: sign: no key $k"
						bases+=("${keys[$k]}")
					done
					[ -f "$src/${w[2]}" ] || die "$f: no zone file ${w[2]}"
					dnssec_sign "${w[1]}" "$src/${w[2]}" "$dir/zones/$scn/${w[3]}" "$inc" "$exp" "$nsec3" "$strip" "$cds" "${bases[@]}"
					;;
				tamper)
					[ "${#w[@]}" -eq 5 ] || die "$f: want: tamper OUTPUT TYPE FROM TO"
					[ -f "$dir/zones/$scn/${w[1]}" ] || die "$f: tamper: ${w[1]} is not signed yet"
					awk -v t="${w[2]}" -v from="${w[3]}" -v to="${w[4]}" \
						'$4 == t { n += gsub(from, to) } { print } END { exit n == 0 }' \
						"$dir/zones/$scn/${w[1]}" > "$dir/zones/$scn/${w[1]}.tampered" ||
						die "$f: tamper: no ${w[2]} record holds ${w[3]}"
					mv "$dir/zones/$scn/${w[1]}.tampered" "$dir/zones/$scn/${w[1]}"
					;;
				unsign)
					[ "${#w[@]}" -eq 4 ] || die "$f: want: unsign OUTPUT ALG TYPE[,TYPE...]"
					[ -f "$dir/zones/$scn/${w[1]}" ] || die "$f: unsign: ${w[1]} is not signed yet"
					# ldns-signzone writes RRSIG lines as OWNER TTL IN RRSIG
					# COVERED ALG ...: drop the apex ones of ALG over TYPEs.
					awk -v alg="${w[2]}" -v types=",${w[3]}," -v apex="$(awk '$4 == "SOA" { print $1; exit }' "$dir/zones/$scn/${w[1]}")" '
						$4 == "RRSIG" && $1 == apex && $6 == alg && index(types, "," $5 ",") { n++; next }
						{ print } END { exit n == 0 }' \
						"$dir/zones/$scn/${w[1]}" > "$dir/zones/$scn/${w[1]}.unsigned" ||
						die "$f: unsign: no RRSIG of algorithm ${w[2]} over ${w[3]} at the apex"
					mv "$dir/zones/$scn/${w[1]}.unsigned" "$dir/zones/$scn/${w[1]}"
					;;
				*) die "$f: unknown line: ${w[*]}" ;;
			esac
		done < "$f"
		unset keys
	done
}

# dnssec_shared DIR: signs the TLDs (scenario DS records already appended),
# then the root with the TLDs' DS, and writes the trust anchor.
dnssec_shared() {
	local dir=$1 z kb file nsec3 inc exp
	inc=$(dnssec_offset "$LAB_SIGN_INCEPTION") exp=$(dnssec_offset "$LAB_SIGN_EXPIRATION")
	for z in $LAB_SIGNED_TLDS .; do
		if [ "$z" = . ]; then file=$dir/zones/shared/root.zone; else file=$dir/zones/shared/$z.zone; fi
		[ -f "$file" ] || die "no shared zone file for $z"
		kb=$(dnssec_keygen "$dir/keys/shared/${z/#./root}" "${z%.}.")
		nsec3=0
		case " $LAB_NSEC3_ZONES " in *" $z "*) nsec3=1 ;; esac
		[ "$z" = . ] || dnssec_publish_ds "$dir" "$kb"
		dnssec_sign "${z%.}." "$file" "$file.signed" "$inc" "$exp" "$nsec3" 0 "" "$kb"
		mv "$file.signed" "$file"
	done
	# The root's DS: the lab's trust anchor (kb is the root key now).
	awk -v ttl="$LAB_DS_TTL" '$3 == "DS" { $2 = ttl " IN"; print }' "$kb.ds" > "$dir/trust-anchor"
	awk '$4 == "DS" { printf "trust-anchors {\n\t\".\" static-ds %s %s %s \"%s\";\n};\n", $5, $6, $7, $8 }' \
		"$dir/trust-anchor" > "$dir/trust-anchor.delv"
	if [ ! -s "$dir/trust-anchor" ] || [ ! -s "$dir/trust-anchor.delv" ]; then
		die "could not write the trust anchor from $kb.ds"
	fi
}

# The validating resolver: a second Unbound, same settings as the first plus
# the validator, the lab trust anchor, Extended DNS Errors and logged
# validation failures. Remote control on a unix socket under DIR, so tests
# can flush its cache (unbound-control -c DIR/srv/unbound-validating/unbound.conf).
gen_unbound_validating() { # dir
	local dir=$1 p="$1/srv/unbound-validating"
	mkdir -p "$p"
	cat > "$p/unbound.conf" <<-EOF
	# generated by lab/lab: the lab's validating resolver (trust anchor: the lab root)
	server:
	    interface: $VALIDATING_RESOLVER_ADDR
	    port: 53
	    outgoing-interface: $VALIDATING_RESOLVER_ADDR
	    do-ip4: yes
	    do-ip6: no
	    username: ""
	    chroot: ""
	    directory: "$p"
	    pidfile: "$p/pid"
	    logfile: "$p/log"
	    use-syslog: no
	    verbosity: 1
	    num-threads: 1
	    root-hints: "$dir/root.hints"
	    do-not-query-localhost: no
	    access-control: 127.0.0.0/8 allow
	    module-config: "validator iterator"
	    trust-anchor-file: "$dir/trust-anchor"
	    trust-anchor-signaling: no
	    root-key-sentinel: no
	    val-log-level: 2
	    ede: yes
	    cache-max-ttl: 60
	    cache-max-negative-ttl: 10
	    harden-referral-path: no
	    prefetch: no
	    minimal-responses: no
	remote-control:
	    control-enable: yes
	    control-interface: "$p/control.sock"
	    control-use-cert: no
	EOF
	echo "unbound-validating unbound -c $p/unbound.conf" >> "$dir/procs"
}

# validating_resolver_ready: the root's SOA validates (AD) through it.
validating_resolver_ready() {
	local out
	out=$(dig +time=1 +tries=1 +dnssec @"$VALIDATING_RESOLVER_ADDR" . SOA 2>/dev/null) || return 1
	grep -q 'status: NOERROR' <<<"$out" && grep -q 'flags:[^;]* ad' <<<"$out"
}
