/* RDAP's bootstrap for `check` (rdap_setup.h). RDAP is about the public
 * DNS: with custom root hints (a lab, a private namespace) IANA's registries
 * know nothing of the names, so RDAP is off there unless a bootstrap is
 * named. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "core/rdap.h"
#include "diag/inputs.h"
#include "diag/rdap_setup.h"

#define CACHE_MAX_AGE_S 86400 /* IANA's file changes a few times a year */

static bool is_url(const char *s)
{
	return strncasecmp(s, "http://", 7) == 0 ||
	       strncasecmp(s, "https://", 8) == 0;
}

/* $XDG_CACHE_HOME/dnsdoctor/rdap-dns.json, or under ~/.cache. */
static void cache_path(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	buf[0] = '\0';
	if (xdg && xdg[0] == '/')
		snprintf(buf, len, "%s/dnsdoctor/rdap-dns.json", xdg);
	else if (home && home[0] == '/')
		snprintf(buf, len, "%s/.cache/dnsdoctor/rdap-dns.json", home);
}

/* The cached bootstrap when younger than a day, else NULL. */
static char *cache_read(const char *path, size_t *len)
{
	struct stat st;
	FILE *f;
	char *buf;
	if (!path[0] || stat(path, &st) < 0 || st.st_size <= 0 ||
	    (size_t)st.st_size > RDAP_BODY_MAX ||
	    time(NULL) - st.st_mtime > CACHE_MAX_AGE_S ||
	    !(f = fopen(path, "rb")))
		return NULL;
	if ((buf = malloc((size_t)st.st_size + 1)))
		*len = fread(buf, 1, (size_t)st.st_size, f);
	fclose(f);
	if (buf)
		buf[*len] = '\0';
	return buf;
}

int diag_rdap_setup(struct diag *d, struct diag_env *env, struct diag_rdap *r)
{
	const struct diag_request *o = d->req;
	memset(r, 0, sizeof(*r));
	r->cfg.boot_out = &r->fetched;
	r->cfg.boot_out_len = &r->fetched_len;
	if (env->replay) {
		/* The recorded exchange, whatever the flags say: the replay
		 * answers only what was asked then. */
		const struct ev_rdap *e = env->replay->rdap;
		if (!e)
			return 0;
		r->cfg.boot_name = e->bootstrap;
		r->cfg.replay_url = e->url;
		r->cfg.replay_none = !e->url;
		return 1;
	}
	if (o->no_rdap ||
	    (!o->rdap_bootstrap && (!o->rdap_default || o->root_hints)))
		return 0;
	if (o->rdap_bootstrap && is_url(o->rdap_bootstrap)) {
		r->cfg.boot_name = o->rdap_bootstrap;
		r->cfg.boot_fetch = true;
		return 1;
	}
	if (o->rdap_bootstrap) {
		if (!(r->text = diag_read_file(d, "--rdap-bootstrap file",
					       o->rdap_bootstrap, RDAP_BODY_MAX,
					       &r->cfg.boot_len)))
			return -1;
		r->cfg.boot_name = o->rdap_bootstrap;
		r->cfg.boot_text = r->text;
		return 1;
	}
	r->cfg.boot_name = RDAP_IANA_BOOTSTRAP;
	cache_path(r->cache, sizeof(r->cache));
	if ((r->text = cache_read(r->cache, &r->cfg.boot_len)))
		r->cfg.boot_text = r->text;
	else
		r->cfg.boot_fetch = true;
	return 1;
}

/* mkdir -p for the cache file's folders. */
static void make_dirs(const char *path)
{
	char p[1024];
	snprintf(p, sizeof(p), "%s", path);
	for (char *s = p + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0700);
			*s = '/';
		}
}

void diag_rdap_done(struct diag_rdap *r)
{
	if (r->fetched && r->cache[0] && r->cfg.boot_fetch) {
		char tmp[1100];
		FILE *f;
		snprintf(tmp, sizeof(tmp), "%s.%ld", r->cache, (long)getpid());
		make_dirs(r->cache);
		if ((f = fopen(tmp, "wb"))) {
			bool ok = fwrite(r->fetched, 1, r->fetched_len, f) ==
				  r->fetched_len;
			ok &= fclose(f) == 0;
			if (!ok || rename(tmp, r->cache) < 0)
				unlink(tmp);
		}
	}
	free(r->fetched);
	free(r->text);
	memset(r, 0, sizeof(*r));
}
