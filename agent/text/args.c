// SPDX-License-Identifier: GPL-2.0
/* Keywords and values of the binding and config commands. */

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/l2tp_ipsec.h>

#include "kernel/binding.h"
#include "kernel/nsconfig.h"
#include "lib/names.h"
#include "lib/number.h"
#include "text/args.h"

int args_fail(int code, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return code;
}

enum binding_kw {
	KW_LOCAL,
	KW_PEER,
	/* the pin: in BINDING_ARGS_KEY too, to name one of a shared 4-tuple */
	KW_REQID,
	KW_SPI,
	KW_ENCAP,
	/* only in BINDING_ARGS_FULL from here on */
	KW_V2_TUNNEL_ID,
	KW_VERSION,
	KW_ALLOW_AH,
	KW_MODE,
	KW_SOCKET,
	KW_OUT_MARK,
	KW_V2_PEER_TUNNEL_ID,
	KW_COUNT,
};

static const char *const binding_kws[KW_COUNT] = {
	[KW_LOCAL]		= "local",
	[KW_PEER]		= "peer",
	[KW_REQID]		= "reqid",
	[KW_SPI]		= "spi",
	[KW_ENCAP]		= "encap",
	[KW_V2_TUNNEL_ID]	= "v2-tunnel-id",
	[KW_VERSION]		= "version",
	[KW_ALLOW_AH]		= "allow-ah",
	[KW_MODE]		= "mode",
	[KW_SOCKET]		= "socket",
	[KW_OUT_MARK]		= "out-mark",
	[KW_V2_PEER_TUNNEL_ID]	= "v2-peer-tunnel-id",
};

/*
 * "HEAD:TAIL": HEAD copied into @head (at most @len - 1 characters), a
 * pointer to TAIL returned; NULL without a colon or with a longer HEAD.
 */
static const char *split_colon(const char *s, char *head, size_t len)
{
	const char *colon = strchr(s, ':');

	if (!colon || (size_t)(colon - s) >= len)
		return NULL;
	memcpy(head, s, colon - s);
	head[colon - s] = '\0';
	return colon + 1;
}

static int parse_encap(const char *s, struct binding *b, char *err,
		       size_t errlen)
{
	char sport[8];
	const char *dport = split_colon(s, sport, sizeof(sport));

	if (!dport || parse_u16(sport, 1, 65535, &b->encap_sport) ||
	    parse_u16(dport, 1, 65535, &b->encap_dport))
		return args_fail(ARGS_BAD_VALUE, err, errlen,
				 "bad encap '%s': must be SPORT:DPORT, each 1..65535", s);
	return 0;
}

/* PID:FD, a descriptor of another process (taken with pidfd_getfd). */
static int parse_socket(const char *s, struct binding *b, char *err,
			size_t errlen)
{
	char pid[12];
	const char *fd = split_colon(s, pid, sizeof(pid));
	uint32_t p, f;

	if (!fd || parse_u32(pid, 1, INT32_MAX, false, &p) ||
	    parse_u32(fd, 0, INT32_MAX, false, &f))
		return args_fail(ARGS_BAD_VALUE, err, errlen,
				 "bad socket '%s': must be PID:FD, a process and one of its descriptors",
				 s);
	b->sock_pid = (int)p;
	b->sock_fd = (int)f;
	return 0;
}

static int binding_value(enum binding_kw kw, const char *val, struct binding *b,
			 char *err, size_t errlen)
{
	int mode;

	switch (kw) {
	case KW_LOCAL:
		return endpoint_parse(val, ENDPOINT_LOCAL, &b->local, err, errlen) ?
			ARGS_BAD_VALUE : 0;
	case KW_PEER:
		return endpoint_parse(val, ENDPOINT_PEER, &b->peer, err, errlen) ?
			ARGS_BAD_VALUE : 0;
	case KW_REQID:
		if (parse_u32(val, 1, UINT32_MAX, true, &b->reqid))
			return args_fail(ARGS_BAD_VALUE, err, errlen,
					 "bad reqid '%s': must be 1..4294967295", val);
		return 0;
	case KW_SPI:
		if (parse_u32(val, 256, UINT32_MAX, true, &b->spi))
			return args_fail(ARGS_BAD_VALUE, err, errlen,
					 "bad spi '%s': must be 256..4294967295 (0x100..0xffffffff)",
					 val);
		return 0;
	case KW_ENCAP:
		return parse_encap(val, b, err, errlen);
	case KW_V2_TUNNEL_ID:
		if (parse_u16(val, 1, 65535, &b->v2_tunnel_id))
			return args_fail(ARGS_BAD_VALUE, err, errlen,
					 "bad v2-tunnel-id '%s': must be 1..65535", val);
		return 0;
	case KW_VERSION:
		if (strcmp(val, "2") && strcmp(val, "3"))
			return args_fail(ARGS_BAD_VALUE, err, errlen,
					 "bad version '%s': must be 2 or 3", val);
		b->l2tp_version = (uint8_t)(val[0] - '0');
		return 0;
	case KW_SOCKET:
		return parse_socket(val, b, err, errlen);
	case KW_OUT_MARK:
		if (parse_u32(val, 1, UINT32_MAX, true, &b->out_mark))
			return args_fail(ARGS_BAD_VALUE, err, errlen,
					 "bad out-mark '%s': must be 1..4294967295 (0x1..0xffffffff)",
					 val);
		return 0;
	case KW_V2_PEER_TUNNEL_ID:
		if (parse_u16(val, 1, 65535, &b->v2_peer_tunnel_id))
			return args_fail(ARGS_BAD_VALUE, err, errlen,
					 "bad v2-peer-tunnel-id '%s': must be 1..65535", val);
		return 0;
	case KW_MODE:
		mode = name_lookup(mode_names, NAMES_LEN(mode_names), val);
		if (mode < 0)
			return args_fail(ARGS_BAD_VALUE, err, errlen,
					 "bad mode '%s': must be enforce, audit or inherit",
					 val);
		b->mode = (uint8_t)mode;
		b->mode_set = true;
		return 0;
	default:
		return args_fail(ARGS_BAD_SYNTAX, err, errlen, "internal error");
	}
}

/* Contradictions the kernel would refuse, caught with better words. */
static int binding_check(const struct binding *b, const char *local,
			 const char *peer, char *err, size_t errlen)
{
	if (b->peer.family != AF_UNSPEC && b->peer.family != b->local.family)
		return args_fail(ARGS_BAD_VALUE, err, errlen,
				 "local '%s' and peer '%s' are of different address families",
				 local, peer);
	if (b->v2_tunnel_id && b->l2tp_version == 3)
		return args_fail(ARGS_BAD_VALUE, err, errlen,
				 "v2-tunnel-id needs L2TP version 2, not 3");
	if (b->v2_tunnel_id && b->peer.family == AF_UNSPEC)
		return args_fail(ARGS_BAD_VALUE, err, errlen,
				 "v2-tunnel-id is not allowed with 'peer any' (a listener binding)");
	if (b->v2_peer_tunnel_id && !b->out_mark)
		return args_fail(ARGS_BAD_VALUE, err, errlen,
				 "v2-peer-tunnel-id needs out-mark: it says which packets get the mark");
	if (b->v2_peer_tunnel_id && b->l2tp_version == 3)
		return args_fail(ARGS_BAD_VALUE, err, errlen,
				 "v2-peer-tunnel-id needs L2TP version 2, not 3");
	if (b->v2_peer_tunnel_id && (b->peer.family == AF_UNSPEC || !b->peer.port))
		return args_fail(ARGS_BAD_VALUE, err, errlen,
				 "v2-peer-tunnel-id needs 'peer ADDR:PORT', not '%s'", peer);
	if (b->sock_pid && (b->peer.family == AF_UNSPEC || !b->peer.port))
		return args_fail(ARGS_BAD_VALUE, err, errlen,
				 "socket needs 'peer ADDR:PORT', not '%s': only a connected socket steers",
				 peer);
	return 0;
}

int args_binding(int argc, char *const *argv, enum binding_args which,
		 struct binding *b, char *err, size_t errlen)
{
	const char *given[KW_COUNT] = { NULL };
	int nkw = which == BINDING_ARGS_FULL ? KW_COUNT : KW_ENCAP + 1;
	int i, kw, ret;

	memset(b, 0, sizeof(*b));
	for (i = 0; i < argc; i++) {
		kw = name_lookup(binding_kws, (size_t)nkw, argv[i]);
		if (kw < 0)
			return args_fail(ARGS_BAD_SYNTAX, err, errlen,
					 "unknown keyword '%s'", argv[i]);
		if (given[kw])
			return args_fail(ARGS_BAD_SYNTAX, err, errlen,
					 "'%s' given twice", argv[i]);
		if (kw == KW_ALLOW_AH) {
			b->allow_ah = true;
			given[kw] = argv[i];
			continue;
		}
		if (i + 1 >= argc)
			return args_fail(ARGS_BAD_SYNTAX, err, errlen,
					 "'%s' needs a value", argv[i]);
		given[kw] = argv[++i];
		ret = binding_value(kw, given[kw], b, err, errlen);
		if (ret)
			return ret;
	}
	if (!given[KW_LOCAL])
		return args_fail(ARGS_BAD_SYNTAX, err, errlen,
				 "'local ADDR:PORT' is missing");
	if (!given[KW_PEER])
		return args_fail(ARGS_BAD_SYNTAX, err, errlen,
				 "'peer ADDR:PORT|ADDR:any|any' is missing");
	return binding_check(b, given[KW_LOCAL], given[KW_PEER], err, errlen);
}

int args_ports(const char *s, struct nsconfig *c, char *err, size_t errlen)
{
	char tok[8];
	const char *p, *end;
	unsigned int i;
	uint16_t port;
	size_t len;

	c->has_ports = true;
	c->nports = 0;
	if (!strcmp(s, "none"))
		return 0;

	for (p = s;; p = end + 1) {
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		len = (size_t)(end - p);
		if (len >= sizeof(tok))
			len = sizeof(tok) - 1;	/* too long: fails as a port */
		memcpy(tok, p, len);
		tok[len] = '\0';
		if (parse_u16(tok, 1, 65535, &port) || (size_t)(end - p) != len)
			return args_fail(ARGS_BAD_VALUE, err, errlen,
					 "bad ports '%s': '%.*s' is not a port 1..65535",
					 s, (int)(end - p), p);
		for (i = 0; i < c->nports; i++)
			if (c->ports[i] == port)
				return args_fail(ARGS_BAD_VALUE, err, errlen,
						 "bad ports '%s': %u is listed twice",
						 s, port);
		if (c->nports == L2TP_IPSEC_MAX_PORTS)
			return args_fail(ARGS_BAD_VALUE, err, errlen,
					 "bad ports '%s': at most %d ports",
					 s, L2TP_IPSEC_MAX_PORTS);
		c->ports[c->nports++] = port;
		if (!*end)
			return 0;
	}
}

enum config_kw {
	CFG_POLICY,
	CFG_MODE,
	CFG_PORTS,
	CFG_MAX_BINDINGS,
	CFG_COUNT,
};

static const char *const config_kws[CFG_COUNT] = {
	[CFG_POLICY]		= "policy",
	[CFG_MODE]		= "mode",
	[CFG_PORTS]		= "ports",
	[CFG_MAX_BINDINGS]	= "max-bindings",
};

int args_nsconfig(int argc, char *const *argv, struct nsconfig *c,
		  char *err, size_t errlen)
{
	bool given[CFG_COUNT] = { false };
	const char *val;
	uint32_t max;
	int i, kw, v, ret;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < argc; i++) {
		kw = name_lookup(config_kws, NAMES_LEN(config_kws), argv[i]);
		if (kw < 0)
			return args_fail(ARGS_BAD_SYNTAX, err, errlen,
					 "unknown keyword '%s'", argv[i]);
		if (given[kw])
			return args_fail(ARGS_BAD_SYNTAX, err, errlen,
					 "'%s' given twice", argv[i]);
		if (i + 1 >= argc)
			return args_fail(ARGS_BAD_SYNTAX, err, errlen,
					 "'%s' needs a value", argv[i]);
		given[kw] = true;
		val = argv[++i];

		switch (kw) {
		case CFG_POLICY:
			v = name_lookup(policy_names, NAMES_LEN(policy_names), val);
			if (v < 0)
				return args_fail(ARGS_BAD_VALUE, err, errlen,
						 "bad policy '%s': must be pass, require-ipsec or drop",
						 val);
			c->has_policy = true;
			c->policy = (uint8_t)v;
			break;
		case CFG_MODE:
			v = name_lookup(mode_names, NAMES_LEN(mode_names), val);
			if (v != L2TP_IPSEC_MODE_ENFORCE && v != L2TP_IPSEC_MODE_AUDIT)
				return args_fail(ARGS_BAD_VALUE, err, errlen,
						 "bad mode '%s': must be enforce or audit",
						 val);
			c->has_mode = true;
			c->mode = (uint8_t)v;
			break;
		case CFG_PORTS:
			ret = args_ports(val, c, err, errlen);
			if (ret)
				return ret;
			break;
		case CFG_MAX_BINDINGS:
			if (parse_u32(val, 1, L2TP_IPSEC_MAX_BINDINGS_LIMIT, false, &max))
				return args_fail(ARGS_BAD_VALUE, err, errlen,
						 "bad max-bindings '%s': must be 1..%d",
						 val, L2TP_IPSEC_MAX_BINDINGS_LIMIT);
			c->has_max_bindings = true;
			c->max_bindings = max;
			break;
		}
	}
	if (!argc)
		return args_fail(ARGS_BAD_SYNTAX, err, errlen,
				 "nothing to set: give policy, mode, ports or max-bindings");
	return 0;
}
