// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_config: bytes as the configuration file, through config_load_file()
 * (our line reader, libinih, every key's parser).
 *
 * Checked for any input: a second reading, as a reload (SIGHUP) does, gives
 * the same verdict, message and configuration; a short error buffer only
 * cuts the message; an accepted file is within bounds, and written back
 * as a file it reads as the same configuration.
 */

#include <arpa/inet.h>
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/config.h"
#include "fuzz.h"
#include "lib/names.h"

static int load(const uint8_t *data, size_t size, struct agent_config *cfg,
		char *err, size_t errlen)
{
	FILE *f;
	int ret;

	/* glibc's fmemopen() refuses a 0-byte buffer. */
	f = size ? fmemopen((void *)data, size, "r") : fopen("/dev/null", "r");
	FUZZ_ASSERT(f);
	ret = config_load_file(f, "fuzz.conf", cfg, err, errlen);
	fclose(f);
	return ret;
}

static bool same_str_or_null(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool same_pad(const struct pad *a, const struct pad *b)
{
	const struct pad_peer *p, *q;
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++) {
		p = &a->peers[i];
		q = &b->peers[i];
		if (strcmp(p->name, q->name) || p->auth != q->auth ||
		    !same_str_or_null(p->remote_id, q->remote_id) ||
		    !same_str_or_null(p->remote_addrs, q->remote_addrs) ||
		    !same_str_or_null(p->eap, q->eap) ||
		    !same_str_or_null(p->local_id, q->local_id) ||
		    !same_str_or_null(p->local_cert, q->local_cert) ||
		    !same_str_or_null(p->local_key, q->local_key) ||
		    !same_str_or_null(p->ca_cert, q->ca_cert) ||
		    !same_str_or_null(p->xl2tpd_lac, q->xl2tpd_lac) ||
		    p->shared_nat != q->shared_nat ||
		    p->eap_secret_len != q->eap_secret_len ||
		    (p->eap_secret_len && memcmp(p->eap_secret, q->eap_secret, p->eap_secret_len)) ||
		    p->psk_len != q->psk_len ||
		    (p->psk_len && memcmp(p->psk, q->psk, p->psk_len)))
			return false;
	}
	return true;
}

static bool same_config(const struct agent_config *a, const struct agent_config *b)
{
	unsigned int i;

	if (strcmp(a->vici_socket, b->vici_socket) ||
	    strcmp(a->xl2tpd_control, b->xl2tpd_control) || !same_pad(&a->pad, &b->pad))
		return false;
	if (a->role != b->role || a->nlocal != b->nlocal ||
	    a->log_level != b->log_level || a->nat_t != b->nat_t ||
	    a->ns.policy != b->ns.policy || a->ns.mode != b->ns.mode ||
	    a->ns.nports != b->ns.nports ||
	    a->ns.max_bindings != b->ns.max_bindings)
		return false;
	for (i = 0; i < a->nlocal; i++)
		if (a->local[i].family != b->local[i].family ||
		    a->local[i].port != b->local[i].port ||
		    memcmp(&a->local[i].addr, &b->local[i].addr,
			   sizeof(a->local[i].addr)))
			return false;
	for (i = 0; i < a->ns.nports; i++)
		if (a->ns.ports[i] != b->ns.ports[i])
			return false;
	return true;
}

/*
 * Can @p's PSK be written as it is? Hex doubles it, and a line has a
 * limit: text where the parser reads back the same bytes.
 */
/*
 * A secret read from text is written back as text: its hex form is twice
 * as long and may not fit a line.
 */
static bool secret_as_text(const uint8_t *s, size_t len)
{
	size_t i;

	if (len >= 2 && !memcmp(s, "0x", 2))
		return false;
	/* What a line can hold: anything but NUL and line ends, not blank-ended. */
	for (i = 0; i < len; i++)
		if (!s[i] || s[i] == '\n' ||
		    ((i == 0 || i == len - 1) && isspace(s[i])))
			return false;
	return true;
}

/* The file that says @cfg, every key written out. */
static size_t write_back(const struct agent_config *cfg, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	size_t n = 0;
	unsigned int i;
	int r;

#define PUT(...) do {							\
		r = snprintf(buf + n, len - n, __VA_ARGS__);		\
		FUZZ_ASSERT(r > 0 && (size_t)r < len - n);		\
		n += (size_t)r;						\
	} while (0)
#define PUT_SECRET(key, s, slen) do {					\
		size_t k;						\
									\
		if (secret_as_text(s, slen)) {				\
			PUT(key "=%.*s\n", (int)(slen), (const char *)(s)); \
			break;						\
		}							\
		PUT(key "=0x");						\
		for (k = 0; k < (slen); k++)				\
			PUT("%02x", (s)[k]);				\
		PUT("\n");						\
	} while (0)

	PUT("[agent]\nrole = %s\n", role_names[cfg->role]);
	/* One line each: 16 IPv6 addresses do not fit on one. */
	for (i = 0; i < cfg->nlocal; i++) {
		FUZZ_ASSERT(inet_ntop(cfg->local[i].family, &cfg->local[i].addr,
				      a, sizeof(a)));
		PUT("local = %s\n", a);
	}
	PUT("ports = ");
	for (i = 0; i < cfg->ns.nports; i++)
		PUT("%s%u", i ? "," : "", cfg->ns.ports[i]);
	PUT("%s\n", cfg->ns.nports ? "" : "none");
	PUT("policy = %s\nmode = %s\nmax_bindings = %u\nlog_level = %s\nnat_t = %s\n",
	    policy_names[cfg->ns.policy], mode_names[cfg->ns.mode],
	    cfg->ns.max_bindings, log_level_names[cfg->log_level],
	    cfg->nat_t ? "yes" : "no");
	PUT("vici_socket = %s\nxl2tpd_control = %s\n", cfg->vici_socket,
	    cfg->xl2tpd_control);
	for (i=0; i < cfg->pad.n; i++) {
		const struct pad_peer *p=&cfg->pad.peers[i];

		PUT("[peer %s]\nremote_id=%s\nauth=%s\n", p->name, p->remote_id,
		    pad_auth_str(p));
		if (p->key_line[PAD_KEY_REMOTE_ADDRS])
			PUT("remote_addrs=%s\n", p->remote_addrs ? p->remote_addrs : "any");
		if (p->psk)
			PUT_SECRET("psk", p->psk, p->psk_len);
		if (p->local_id)
			PUT("local_id=%s\n", p->local_id);
		if (p->local_cert)
			PUT("local_cert=%s\n", p->local_cert);
		if (p->local_key)
			PUT("local_key=%s\n", p->local_key);
		if (p->ca_cert)
			PUT("ca_cert=%s\n", p->ca_cert);
		if (p->xl2tpd_lac)
			PUT("xl2tpd_lac=%s\n", p->xl2tpd_lac);
		if (p->key_line[PAD_KEY_SHARED_NAT])
			PUT("shared_nat=%s\n", p->shared_nat ? "yes" : "no");
		if (p->eap_secret)
			PUT_SECRET("eap_secret", p->eap_secret, p->eap_secret_len);
	}
#undef PUT_SECRET
#undef PUT
	return n;
}

static void check_accepted(const struct agent_config *cfg)
{
	struct agent_config again;
	static char buf[1 << 20];
	char err[CONFIG_ERR_LEN];
	size_t n;

	FUZZ_ASSERT(cfg->role == ROLE_LAC || cfg->role == ROLE_LNS);
	FUZZ_ASSERT(cfg->nlocal >= 1 && cfg->nlocal <= CONFIG_MAX_LOCAL);
	FUZZ_ASSERT(cfg->ns.nports <= L2TP_IPSEC_MAX_PORTS);
	FUZZ_ASSERT(cfg->ns.policy < NAMES_LEN(policy_names) &&
		    cfg->ns.mode < NAMES_LEN(mode_names));
	FUZZ_ASSERT(cfg->ns.max_bindings >= 1 &&
		    cfg->ns.max_bindings <= L2TP_IPSEC_MAX_BINDINGS_LIMIT);
	FUZZ_ASSERT((unsigned int)cfg->log_level <= LOG_LEVEL_DEBUG);
	config_str(cfg, buf, sizeof(buf));
	FUZZ_ASSERT(strlen(buf) < sizeof(buf));
	config_str(cfg, buf, 7);	/* cut short: still terminated */
	FUZZ_ASSERT(strlen(buf) < 7);

	n = write_back(cfg, buf, sizeof(buf));
	if (load((const uint8_t *)buf, n, &again, err, sizeof(err))) {
		fprintf(stderr, "written back:\n%s---\n%s\n", buf, err);
		FUZZ_ASSERT(!"an accepted configuration, written back, is refused");
	}
	FUZZ_ASSERT(same_config(cfg, &again));
	config_free(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char err1[CONFIG_ERR_LEN], err2[CONFIG_ERR_LEN];
	struct agent_config cfg1, cfg2;
	char small[24];
	int ret1, ret2, ret3;

	memset(&cfg1, 0, sizeof(cfg1));
	memset(&cfg2, 0, sizeof(cfg2));
	ret1 = load(data, size, &cfg1, err1, sizeof(err1));
	ret3 = load(data, size, &cfg2, small, sizeof(small));
	if (!ret3)
		config_free(&cfg2);
	ret2 = load(data, size, &cfg2, err2, sizeof(err2));

	FUZZ_ASSERT(ret1 == ret2 && ret1 == ret3);
	if (ret1) {
		/* "fuzz.conf:LINE: reason" or "fuzz.conf: reason" */
		FUZZ_ASSERT(ret1 < 0 && !strcmp(err1, err2));
		FUZZ_ASSERT(!strncmp(err1, "fuzz.conf:", 10) && strlen(err1) > 11);
		FUZZ_ASSERT(strlen(small) < sizeof(small) && !strncmp(small, err1, strlen(small)));
		return 0;
	}
	FUZZ_ASSERT(same_config(&cfg1, &cfg2));
	check_accepted(&cfg1);
	config_free(&cfg1);
	config_free(&cfg2);
	return 0;
}
