# Sourced by the lab files that run nginx (web, private, rdap): certificates
# for the TLS servers, made with openssl at setup (a lab root, an
# intermediate, four leaves), an nginx config, and starting and stopping
# nginx by its PID.

# mkcerts DIR: a lab root, an intermediate, and leaves for acme-http01.net.
mkcerts() {
	local d=$1
	mkdir -p "$d/newcerts" && : >"$d/index.txt" && echo 1000 >"$d/serial"
	cat >"$d/ca.cnf" <<CNF
[ca]
default_ca = lab
[lab]
dir = $d
database = $d/index.txt
new_certs_dir = $d/newcerts
serial = $d/serial
default_md = sha256
default_days = 90
policy = any
copy_extensions = copy
unique_subject = no
[any]
commonName = supplied
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[v3_leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
CNF
	local ec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
	openssl req -x509 "${ec[@]}" -keyout "$d/root.key" -out "$d/root.pem" -days 30 \
		-subj "/CN=dnsdoctor lab root" -addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
	openssl req "${ec[@]}" -keyout "$d/inter.key" -out "$d/inter.csr" -subj "/CN=dnsdoctor lab intermediate" 2>/dev/null
	openssl ca -batch -config "$d/ca.cnf" -cert "$d/root.pem" -keyfile "$d/root.key" \
		-extensions v3_ca -in "$d/inter.csr" -out "$d/inter.pem" -notext 2>/dev/null
	# name SANS [STARTDATE ENDDATE]: a leaf signed by the intermediate
	leaf() {
		openssl req "${ec[@]}" -keyout "$d/$1.key" -out "$d/$1.csr" -subj "/CN=${2%%,*}" \
			-addext "subjectAltName=$(sed 's/[^,]*/DNS:&/g' <<<"$2")" 2>/dev/null
		openssl ca -batch -config "$d/ca.cnf" -cert "$d/inter.pem" -keyfile "$d/inter.key" \
			-extensions v3_leaf -in "$d/$1.csr" -out "$d/$1.pem" -notext \
			${3:+-startdate "$3"} ${4:+-enddate "$4"} 2>/dev/null
		cat "$d/$1.pem" "$d/inter.pem" >"$d/$1.full.pem"
	}
	leaf good www.acme-http01.net,good.acme-http01.net
	leaf other other.acme-http01.net
	leaf old old.acme-http01.net 20200101000000Z 20200201000000Z
	leaf nochain nochain.acme-http01.net
}

# nginx_conf DIR < SERVER-LINES: writes DIR/nginx.conf (pid, logs and temp
# files under DIR) with the server blocks read from stdin, for
# `nginx -c DIR/nginx.conf`; the caller stops it by DIR/nginx.pid.
nginx_conf() {
	local d=$1
	mkdir -p "$d/tmp"
	{
		cat <<CONF
worker_processes 1;
# Workers read files under the lab folder (mode 0700, root).
user root;
pid $d/nginx.pid;
error_log $d/error.log;
events { worker_connections 64; }
http {
	access_log $d/access.log;
	client_body_temp_path $d/tmp/body;
	proxy_temp_path $d/tmp/proxy;
	fastcgi_temp_path $d/tmp/fastcgi;
	uwsgi_temp_path $d/tmp/uwsgi;
	scgi_temp_path $d/tmp/scgi;
	default_type text/plain;
CONF
		cat
		echo "}"
	} >"$d/nginx.conf"
}

# nginx_require: LAB_SKIP, for lab_start, when DNSDOCTOR is not an
# executable or nginx is not installed.
nginx_require() {
	if [ -z "${DNSDOCTOR:-}" ] || [ ! -x "${DNSDOCTOR:-}" ]; then
		export LAB_SKIP="DNSDOCTOR is not set to an executable"
	elif ! command -v nginx >/dev/null; then
		export LAB_SKIP="nginx is not installed (scripts/install-deps)"
	fi
}

# nginx_start DIR: nginx on DIR/nginx.conf (nginx_conf); nginx_stop stops
# it by the PID it wrote, in teardown_file.
nginx_start() {
	nginx -e "$1/error.log" -c "$1/nginx.conf"
	export NGINX_DIR=$1
}
nginx_stop() {
	if [ -n "${NGINX_DIR:-}" ] && [ -s "$NGINX_DIR/nginx.pid" ]; then
		kill "$(cat "$NGINX_DIR/nginx.pid")" || true
	fi
}
