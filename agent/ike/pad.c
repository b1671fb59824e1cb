// SPDX-License-Identifier: GPL-2.0
/* The PAD of the configuration file: [peer NAME] sections, checked. */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike/pad.h"
#include "lib/endpoint.h"

static const char *const key_names[PAD_KEY_COUNT] = {
	[PAD_KEY_REMOTE_ID]	= "remote_id",
	[PAD_KEY_REMOTE_ADDRS]	= "remote_addrs",
	[PAD_KEY_AUTH]		= "auth",
	[PAD_KEY_PSK]		= "psk",
	[PAD_KEY_LOCAL_ID]	= "local_id",
	[PAD_KEY_LOCAL_CERT]	= "local_cert",
	[PAD_KEY_LOCAL_KEY]	= "local_key",
	[PAD_KEY_CA_CERT]	= "ca_cert",
	[PAD_KEY_XL2TPD_LAC]	= "xl2tpd_lac",
	[PAD_KEY_EAP_SECRET]	= "eap_secret",
	[PAD_KEY_SHARED_NAT]	= "shared_nat",
};

/* Longest value of a key: an identity or a path. */
#define VALUE_MAX 1024

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int pad_add_peer(struct pad *pad, const char *name, int line, char *err,
		 size_t errlen)
{
	struct pad_peer *grown;
	size_t i, len = strlen(name);

	if (!len)
		return fail(err, errlen, "[peer] needs a name: [peer NAME]");
	if (len > PAD_NAME_MAX)
		return fail(err, errlen, "peer name '%s' too long: at most %d characters",
			    name, PAD_NAME_MAX);
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("-_.", name[i]))
			return fail(err, errlen,
				    "bad peer name '%s': letters, digits, '-', '_' and '.' only",
				    name);
	for (i = 0; i < pad->n; i++)
		if (!strcmp(pad->peers[i].name, name))
			return fail(err, errlen, "duplicate section [peer %s] (first on line %d)",
				    name, pad->peers[i].line);
	grown = realloc(pad->peers, (pad->n + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	pad->peers = grown;
	memset(&grown[pad->n], 0, sizeof(*grown));
	memcpy(grown[pad->n].name, name, len + 1);
	grown[pad->n].line = line;
	pad->n++;
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "0x" and an even number of hex digits, or the text itself. */
/* A secret, TEXT or 0xHEX, into *@out (malloc()ed) and *@outlen. */
static int parse_secret(const char *key, const char *v, unsigned char **out,
			size_t *outlen, char *err, size_t errlen)
{
	size_t len = strlen(v), i;
	unsigned char *b;
	int hi, lo;

	if (!len)
		return fail(err, errlen, "empty %s", key);
	if (!strncmp(v, "0x", 2)) {
		v += 2;
		len -= 2;
		if (!len || len % 2)
			return fail(err, errlen,
				    "bad %s: after '0x', an even number of hex digits", key);
		b = malloc(len / 2);
		if (!b)
			return -ENOMEM;
		for (i = 0; i < len / 2; i++) {
			hi = hexval((unsigned char)v[2 * i]);
			lo = hexval((unsigned char)v[2 * i + 1]);
			if (hi < 0 || lo < 0) {
				free(b);
				return fail(err, errlen, "bad %s: '%c%c' is not hex", key,
					    v[2 * i], v[2 * i + 1]);
			}
			b[i] = (unsigned char)(hi << 4 | lo);
		}
		*out = b;
		*outlen = len / 2;
		return 0;
	}
	*out = (unsigned char *)strdup(v);
	if (!*out)
		return -ENOMEM;
	*outlen = len;
	return 0;
}

static int parse_auth(struct pad_peer *p, const char *v, char *err, size_t errlen)
{
	if (!strcmp(v, "pubkey")) {
		p->auth = PAD_AUTH_PUBKEY;
	} else if (!strcmp(v, "psk")) {
		p->auth = PAD_AUTH_PSK;
	} else if (!strncmp(v, "eap-", 4) && v[4]) {
		p->auth = PAD_AUTH_EAP;
		p->eap = strdup(v);
		if (!p->eap)
			return -ENOMEM;
	} else {
		return fail(err, errlen, "bad auth '%s': must be pubkey, psk or eap-METHOD", v);
	}
	return 0;
}

/* What xl2tpd takes as a section name and as one word of "c NAME". */
static bool lac_name_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (!n || n > PAD_LAC_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("-_.", s[i]))
			return false;
	return true;
}

static char **string_key(struct pad_peer *p, enum pad_key k)
{
	switch (k) {
	case PAD_KEY_REMOTE_ID:
		return &p->remote_id;
	case PAD_KEY_REMOTE_ADDRS:
		return &p->remote_addrs;
	case PAD_KEY_LOCAL_ID:
		return &p->local_id;
	case PAD_KEY_LOCAL_CERT:
		return &p->local_cert;
	case PAD_KEY_LOCAL_KEY:
		return &p->local_key;
	case PAD_KEY_CA_CERT:
		return &p->ca_cert;
	case PAD_KEY_XL2TPD_LAC:
		return &p->xl2tpd_lac;
	default:
		return NULL;
	}
}

int pad_set(struct pad *pad, const char *key, const char *value, int line,
	    char *err, size_t errlen)
{
	struct pad_peer *p;
	char **s;
	int k;

	if (!pad->n)
		return fail(err, errlen, "key '%s' outside a [peer] section", key);
	p = &pad->peers[pad->n - 1];
	for (k = 0; k < PAD_KEY_COUNT; k++)
		if (!strcmp(key, key_names[k]))
			break;
	if (k == PAD_KEY_COUNT)
		return fail(err, errlen, "unknown key '%s' in [peer %s]", key, p->name);
	if (p->key_line[k])
		return fail(err, errlen, "duplicate key '%s' (first on line %d)", key,
			    p->key_line[k]);
	if (!*value)
		return fail(err, errlen, "empty value for '%s'", key);
	if (strlen(value) > VALUE_MAX)
		return fail(err, errlen, "value of '%s' too long: at most %d characters",
			    key, VALUE_MAX);
	p->key_line[k] = line;
	if (k == PAD_KEY_AUTH)
		return parse_auth(p, value, err, errlen);
	if (k == PAD_KEY_PSK)
		return parse_secret(key, value, &p->psk, &p->psk_len, err, errlen);
	if (k == PAD_KEY_EAP_SECRET)
		return parse_secret(key, value, &p->eap_secret, &p->eap_secret_len, err,
				    errlen);
	if (k == PAD_KEY_SHARED_NAT) {
		if (strcmp(value, "yes") && strcmp(value, "no"))
			return fail(err, errlen, "bad shared_nat '%s': yes or no", value);
		p->shared_nat = !strcmp(value, "yes");
		return 0;
	}
	if (k == PAD_KEY_XL2TPD_LAC && !lac_name_ok(value))
		return fail(err, errlen,
			    "bad xl2tpd_lac '%s': the name of a [lac NAME] section of xl2tpd.conf (letters, digits, '-', '_', '.', at most %d)",
			    value, PAD_LAC_MAX);
	s = string_key(p, (enum pad_key)k);
	/* "any" is the concentrator's peer from anywhere: no address. */
	if (k == PAD_KEY_REMOTE_ADDRS && (!strcmp(value, "any") || !strcmp(value, "%any")))
		return 0;
	*s = strdup(value);
	return *s ? 0 : -ENOMEM;
}

int pad_addr(const char *s, union inet_addr *ip)
{
	union inet_addr tmp;

	if (!s)
		return 0;
	if (!ip)
		ip = &tmp;
	memset(ip, 0, sizeof(*ip));
	if (inet_pton(AF_INET, s, &ip->v4) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, s, &ip->v6) == 1)
		return AF_INET6;
	return 0;
}

bool pad_eap_has_secret(const struct pad_peer *p)
{
	return p->auth == PAD_AUTH_EAP && strcmp(p->eap, "eap-tls") &&
	       strcmp(p->eap, "eap-radius");
}

bool pad_id_wildcard(const char *id)
{
	return strchr(id, '*') || !strcmp(id, "%any") || !strcmp(id, "any");
}

const char *pad_auth_str(const struct pad_peer *p)
{
	switch (p->auth) {
	case PAD_AUTH_PUBKEY:
		return "pubkey";
	case PAD_AUTH_PSK:
		return "psk";
	case PAD_AUTH_EAP:
		return p->eap;
	case PAD_AUTH_NONE:
		break;
	}
	return "none";
}

/* The line of @k in @p, or of its section if @k was not given. */
static int at(const struct pad_peer *p, enum pad_key k)
{
	return p->key_line[k] ? p->key_line[k] : p->line;
}

static int check_peer(const struct pad_peer *p, bool initiator, int *line,
		      char *err, size_t errlen)
{
	static const enum pad_key need_cert[] = {
		PAD_KEY_LOCAL_CERT, PAD_KEY_LOCAL_KEY,
	};
	size_t i;

	*line = p->line;
	if (!p->remote_id)
		return fail(err, errlen, "[peer %s] needs remote_id (the peer's IKE identity)",
			    p->name);
	if (p->auth == PAD_AUTH_NONE)
		return fail(err, errlen, "[peer %s] needs auth (pubkey, psk or eap-METHOD)",
			    p->name);
	if (p->auth != PAD_AUTH_EAP && p->eap_secret) {
		*line = at(p, PAD_KEY_EAP_SECRET);
		return fail(err, errlen, "eap_secret of [peer %s] needs auth eap-METHOD, not %s",
			    p->name, pad_auth_str(p));
	}
	if (initiator && !p->key_line[PAD_KEY_REMOTE_ADDRS]) {
		return fail(err, errlen,
			    "[peer %s] needs remote_addrs: a LAC sets up its tunnels to a known address",
			    p->name);
	}
	if (initiator && !p->remote_addrs) {
		*line = at(p, PAD_KEY_REMOTE_ADDRS);
		return fail(err, errlen,
			    "remote_addrs of [peer %s] cannot be any: a LAC sets up its tunnels to a known address",
			    p->name);
	}
	if (initiator && !pad_addr(p->remote_addrs, NULL)) {
		*line = at(p, PAD_KEY_REMOTE_ADDRS);
		return fail(err, errlen,
			    "bad remote_addrs '%s' of [peer %s]: a LAC's LNS is one IPv4 or IPv6 address (its filters name it, RFC 5619 section 3.5.4)",
			    p->remote_addrs, p->name);
	}
	if (!initiator && p->xl2tpd_lac) {
		*line = at(p, PAD_KEY_XL2TPD_LAC);
		return fail(err, errlen,
			    "xl2tpd_lac of [peer %s] is for a LAC: an LNS does not dial its peers",
			    p->name);
	}
	if (initiator && p->shared_nat) {
		*line = at(p, PAD_KEY_SHARED_NAT);
		return fail(err, errlen,
			    "shared_nat of [peer %s] is for an LNS: a LAC's one LNS is behind no NAT of its clients",
			    p->name);
	}
	if (initiator && p->auth == PAD_AUTH_EAP) {
		*line = at(p, PAD_KEY_AUTH);
		return fail(err, errlen,
			    "auth %s of [peer %s]: EAP is for an LNS's peers; a LAC's LNS proves itself with pubkey or psk",
			    pad_auth_str(p), p->name);
	}
	if (p->auth == PAD_AUTH_PSK) {
		if (!p->psk)
			return fail(err, errlen, "[peer %s] has auth psk but no psk", p->name);
		if (pad_id_wildcard(p->remote_id)) {
			*line = at(p, PAD_KEY_REMOTE_ID);
			return fail(err, errlen,
				    "remote_id '%s' of [peer %s] is a wildcard: a PSK must belong to exactly one identity (RFC 3193 section 5.1.4, RFC 5619 section 3.5.2)",
				    p->remote_id, p->name);
		}
		for (i = PAD_KEY_LOCAL_CERT; i <= PAD_KEY_CA_CERT; i++) {
			if (p->key_line[i]) {
				*line = p->key_line[i];
				return fail(err, errlen, "%s of [peer %s] is for certificates, not auth psk",
					    key_names[i], p->name);
			}
		}
		return 0;
	}
	if (p->psk) {
		*line = at(p, PAD_KEY_PSK);
		return fail(err, errlen, "psk of [peer %s] needs auth psk, not %s", p->name,
			    pad_auth_str(p));
	}
	if (pad_eap_has_secret(p) && pad_id_wildcard(p->remote_id)) {
		*line = at(p, PAD_KEY_REMOTE_ID);
		return fail(err, errlen,
			    "remote_id '%s' of [peer %s] is a wildcard: the secret of %s must belong to exactly one identity (use eap-tls for many)",
			    p->remote_id, p->name, pad_auth_str(p));
	}
	if (p->auth == PAD_AUTH_EAP && pad_eap_has_secret(p) && !p->eap_secret)
		return fail(err, errlen, "[peer %s] with auth %s needs eap_secret (the secret of %s)",
			    p->name, pad_auth_str(p), p->remote_id);
	if (p->auth == PAD_AUTH_EAP && !pad_eap_has_secret(p) && p->eap_secret) {
		*line = at(p, PAD_KEY_EAP_SECRET);
		return fail(err, errlen,
			    "eap_secret of [peer %s]: %s proves the peer without a secret of ours",
			    p->name, pad_auth_str(p));
	}
	/* With pubkey and EAP, we prove ourselves with a certificate. */
	for (i = 0; i < sizeof(need_cert) / sizeof(need_cert[0]); i++)
		if (!p->key_line[need_cert[i]])
			return fail(err, errlen, "[peer %s] with auth %s needs %s", p->name,
				    pad_auth_str(p), key_names[need_cert[i]]);
	if ((p->auth == PAD_AUTH_PUBKEY || !pad_eap_has_secret(p)) && !p->ca_cert &&
	    (p->auth != PAD_AUTH_EAP || !strcmp(p->eap, "eap-tls")))
		return fail(err, errlen,
			    "[peer %s] with auth %s needs ca_cert (the CA the peer's certificate must chain to)",
			    p->name, pad_auth_str(p));
	return 0;
}

int pad_check(const struct pad *pad, bool initiator, int *line, char *err,
	      size_t errlen)
{
	const struct pad_peer *p, *q;
	bool same_id;
	size_t i, j;
	int ret;

	for (i = 0; i < pad->n; i++) {
		p = &pad->peers[i];
		ret = check_peer(p, initiator, line, err, errlen);
		if (ret)
			return ret;
		for (j = 0; j < i; j++) {
			q = &pad->peers[j];
			same_id = !strcmp(p->remote_id, q->remote_id);
			/*
			 * A LAC reaches one LNS at two addresses (IPv4 and
			 * IPv6): one identity, two connections, told apart
			 * by address. An LNS could not tell which applies.
			 */
			if (same_id && !(initiator && strcmp(p->remote_addrs, q->remote_addrs))) {
				*line = at(p, PAD_KEY_REMOTE_ID);
				return fail(err, errlen,
					    "remote_id '%s' of [peer %s] is also [peer %s]'s (line %d): one entry per identity%s",
					    p->remote_id, p->name, q->name, at(q, PAD_KEY_REMOTE_ID),
					    initiator ? " and address" : "");
			}
			if (!same_id && p->psk && q->psk && p->psk_len == q->psk_len &&
			    !memcmp(p->psk, q->psk, p->psk_len)) {
				*line = at(p, PAD_KEY_PSK);
				return fail(err, errlen,
					    "psk of [peer %s] is also [peer %s]'s (line %d): a group PSK is refused, a PSK must belong to exactly one identity (RFC 3193 section 5.1.4, RFC 5619 section 3.5.2)",
					    p->name, q->name, at(q, PAD_KEY_PSK));
			}
		}
	}
	return 0;
}

static void peer_free(struct pad_peer *p)
{
	free(p->remote_id);
	free(p->remote_addrs);
	free(p->eap);
	if (p->psk)
		memset(p->psk, 0, p->psk_len);
	free(p->psk);
	free(p->local_id);
	free(p->local_cert);
	free(p->local_key);
	free(p->ca_cert);
	free(p->xl2tpd_lac);
	if (p->eap_secret)
		memset(p->eap_secret, 0, p->eap_secret_len);
	free(p->eap_secret);
}

void pad_free(struct pad *pad)
{
	size_t i;

	for (i = 0; i < pad->n; i++)
		peer_free(&pad->peers[i]);
	free(pad->peers);
	pad->peers = NULL;
	pad->n = 0;
}
