// SPDX-License-Identifier: GPL-2.0
/*
 * l2tp-ipsec tunnel add|del|show: static (unmanaged) L2TPv3/UDP tunnels with
 * one Ethernet session each, made through the kernel's L2TP family, and the
 * l2tp_ipsec binding of their 4-tuple. The binding is made before the tunnel
 * and deleted after it, so that the tunnel never carries an unchecked packet.
 *
 * Both families share one netlink socket (the modclient's), so that
 * cli_kernel_error() reports the kernel's answers to either.
 */

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/l2tp_ipsec.h>

#include "cli/cli.h"
#include "kernel/binding.h"
#include "kernel/l2tp.h"
#include "kernel/modclient.h"
#include "kernel/xfrm.h"
#include "lib/names.h"
#include "lib/number.h"
#include "lib/vec.h"
#include "policy/reconcile.h"
#include "policy/spd.h"
#include "text/args.h"
#include "text/l2tp.h"
#include "text/output.h"
#include "text/render.h"

#define ERRLEN 256
#define WHATLEN 256
/* How long "tunnel del" waits for the kernel's deferred tunnel deletion. */
#define GONE_TIMEOUT_MS 2000

/* ------------------------------------------------------------------------ */
/* Command line */

/* The binding's keywords, handed to args_binding() as they are. */
static const char *const binding_kws[] = {
	"local", "peer", "reqid", "spi", "encap", "mode",
};

enum tunnel_kw {
	TKW_TUNNEL_ID,
	TKW_PEER_TUNNEL_ID,
	TKW_SESSION_ID,
	TKW_PEER_SESSION_ID,
	TKW_IFNAME,
	TKW_L2SPEC_TYPE,
	TKW_COUNT,
};

static const char *const tunnel_kws[TKW_COUNT] = {
	[TKW_TUNNEL_ID]		= "tunnel-id",
	[TKW_PEER_TUNNEL_ID]	= "peer-tunnel-id",
	[TKW_SESSION_ID]	= "session-id",
	[TKW_PEER_SESSION_ID]	= "peer-session-id",
	[TKW_IFNAME]		= "ifname",
	[TKW_L2SPEC_TYPE]	= "l2spec-type",
};

/**
 * struct tunnel_req - what "tunnel add" makes
 * @b: the binding of the tunnel's 4-tuple
 * @t: the tunnel
 * @s: its Ethernet session
 */
struct tunnel_req {
	struct binding b;
	struct l2tp_tunnel t;
	struct l2tp_session s;
};

static int parse_id(const char *kw, const char *val, uint32_t *out, char *err,
		    size_t errlen)
{
	if (parse_u32(val, 1, UINT32_MAX, false, out))
		return args_fail(ARGS_BAD_VALUE, err, errlen,
				 "bad %s '%s': must be 1..4294967295", kw, val);
	return 0;
}

/* What the kernel's dev_valid_name() accepts. */
static int parse_ifname(const char *val, char *out, size_t outlen, char *err,
			size_t errlen)
{
	const char *c;

	if (!*val || strlen(val) >= outlen)
		return args_fail(ARGS_BAD_VALUE, err, errlen,
				 "bad ifname '%s': must be 1..%zu characters", val,
				 outlen - 1);
	if (!strcmp(val, ".") || !strcmp(val, ".."))
		return args_fail(ARGS_BAD_VALUE, err, errlen,
				 "bad ifname '%s': not a device name", val);
	for (c = val; *c; c++)
		if (*c == '/' || *c == ':' || isspace((unsigned char)*c))
			return args_fail(ARGS_BAD_VALUE, err, errlen,
					 "bad ifname '%s': no '/', ':' or blanks", val);
	strcpy(out, val);
	return 0;
}

static int tunnel_value(int kw, const char *val, struct tunnel_req *r,
			char *err, size_t errlen)
{
	switch (kw) {
	case TKW_TUNNEL_ID:
		return parse_id(tunnel_kws[kw], val, &r->t.tunnel_id, err, errlen);
	case TKW_PEER_TUNNEL_ID:
		return parse_id(tunnel_kws[kw], val, &r->t.peer_tunnel_id, err, errlen);
	case TKW_SESSION_ID:
		return parse_id(tunnel_kws[kw], val, &r->s.session_id, err, errlen);
	case TKW_PEER_SESSION_ID:
		return parse_id(tunnel_kws[kw], val, &r->s.peer_session_id, err, errlen);
	case TKW_IFNAME:
		return parse_ifname(val, r->s.ifname, sizeof(r->s.ifname), err, errlen);
	case TKW_L2SPEC_TYPE:
		r->s.l2spec_set = true;
		if (!strcmp(val, "none"))
			r->s.l2spec_type = L2TP_L2SPECTYPE_NONE;
		else if (!strcmp(val, "default"))
			r->s.l2spec_type = L2TP_L2SPECTYPE_DEFAULT;
		else
			return args_fail(ARGS_BAD_VALUE, err, errlen,
					 "bad l2spec-type '%s': must be none or default", val);
		return 0;
	}
	return args_fail(ARGS_BAD_SYNTAX, err, errlen, "internal error");
}

/*
 * "tunnel add" words: the tunnel's here, the binding's through
 * args_binding(), so that they mean exactly what they mean in "binding add".
 */
static int args_tunnel_add(int argc, char **argv, struct tunnel_req *r,
			   char *err, size_t errlen)
{
	const char *given[TKW_COUNT] = { NULL };
	char *peer = NULL;
	char **bargv;
	int bargc = 0;
	int i, kw, ret;

	memset(r, 0, sizeof(*r));
	bargv = calloc((size_t)argc + 1, sizeof(*bargv));
	if (!bargv)
		return args_fail(ARGS_BAD_VALUE, err, errlen, "out of memory");
	for (i = 0; i < argc; i++) {
		kw = name_lookup(tunnel_kws, TKW_COUNT, argv[i]);
		if (kw < 0 &&
		    name_lookup(binding_kws, NAMES_LEN(binding_kws), argv[i]) < 0) {
			ret = args_fail(ARGS_BAD_SYNTAX, err, errlen,
					"unknown keyword '%s'", argv[i]);
			goto out;
		}
		if (i + 1 >= argc) {
			ret = args_fail(ARGS_BAD_SYNTAX, err, errlen,
					"'%s' needs a value", argv[i]);
			goto out;
		}
		if (kw < 0) {
			if (!strcmp(argv[i], "peer"))
				peer = argv[i + 1];
			bargv[bargc++] = argv[i];
			bargv[bargc++] = argv[++i];
			continue;
		}
		if (given[kw]) {
			ret = args_fail(ARGS_BAD_SYNTAX, err, errlen,
					"'%s' given twice", argv[i]);
			goto out;
		}
		given[kw] = argv[++i];
		ret = tunnel_value(kw, given[kw], r, err, errlen);
		if (ret)
			goto out;
	}

	ret = args_binding(bargc, bargv, BINDING_ARGS_FULL, &r->b, err, errlen);
	if (ret)
		goto out;
	for (kw = 0; kw < TKW_COUNT; kw++) {
		if (!given[kw] && kw != TKW_IFNAME && kw != TKW_L2SPEC_TYPE) {
			ret = args_fail(ARGS_BAD_SYNTAX, err, errlen,
					"'%s N' is missing", tunnel_kws[kw]);
			goto out;
		}
	}
	if (r->b.peer.family == AF_UNSPEC || !r->b.peer.port) {
		ret = args_fail(ARGS_BAD_VALUE, err, errlen,
				"bad peer '%s': a tunnel needs the peer's address and port",
				peer);
		goto out;
	}

	/* An L2TPv3 tunnel: its packets must say so. */
	r->b.l2tp_version = 3;
	r->t.version = 3;
	r->t.encap = L2TP_ENCAPTYPE_UDP;
	r->t.local = r->b.local;
	r->t.peer = r->b.peer;
	r->s.tunnel_id = r->t.tunnel_id;
	r->s.pw_type = L2TP_PWTYPE_ETH;
out:
	free(bargv);
	return ret;
}

/* "tunnel-id N" for del; optional (@optional) for show. */
static int args_tunnel_id(int argc, char **argv, bool optional, uint32_t *id,
			  char *err, size_t errlen)
{
	*id = 0;
	if (!argc && optional)
		return 0;
	if (!argc)
		return args_fail(ARGS_BAD_SYNTAX, err, errlen, "'tunnel-id N' is missing");
	if (strcmp(argv[0], "tunnel-id"))
		return args_fail(ARGS_BAD_SYNTAX, err, errlen, "unknown keyword '%s'", argv[0]);
	if (argc < 2)
		return args_fail(ARGS_BAD_SYNTAX, err, errlen, "'tunnel-id' needs a value");
	if (argc > 2)
		return args_fail(ARGS_BAD_SYNTAX, err, errlen, "unexpected argument '%s'",
				 argv[2]);
	return parse_id("tunnel-id", argv[1], id, err, errlen);
}

/* ------------------------------------------------------------------------ */
/* tunnel add */

static int add_error(struct modclient *mc, const struct tunnel_req *r,
		     const char *step, int err)
{
	char what[WHATLEN], ep[ENDPOINT_STRLEN], key[2 * ENDPOINT_STRLEN + 16];

	if (!strcmp(step, "binding"))
		snprintf(what, sizeof(what), "tunnel add: binding %s",
			 binding_key_str(&r->b, key, sizeof(key)));
	else if (!strcmp(step, "tunnel") && err == -EEXIST)
		snprintf(what, sizeof(what), "tunnel add: tunnel-id %u is in use",
			 r->t.tunnel_id);
	else if (!strcmp(step, "tunnel") && err == -EADDRINUSE)
		snprintf(what, sizeof(what), "tunnel add: local %s is in use",
			 endpoint_str(&r->t.local, ep, sizeof(ep)));
	else if (!strcmp(step, "tunnel"))
		snprintf(what, sizeof(what), "tunnel add: creating tunnel-id %u",
			 r->t.tunnel_id);
	else if (err == -EEXIST && r->s.ifname[0])
		snprintf(what, sizeof(what),
			 "tunnel add: session-id %u or ifname %s is in use",
			 r->s.session_id, r->s.ifname);
	else if (err == -EEXIST)
		snprintf(what, sizeof(what), "tunnel add: session-id %u is in use",
			 r->s.session_id);
	else if (err == -EPROTONOSUPPORT)
		snprintf(what, sizeof(what),
			 "tunnel add: Ethernet sessions (modprobe l2tp_eth)");
	else
		snprintf(what, sizeof(what), "tunnel add: creating session-id %u",
			 r->s.session_id);
	return cli_kernel_error(mc, what, err);
}

/*
 * Per-tunnel filters of a static tunnel. It has no initiator and no
 * responder: no control connection, each end fixed and known to the other.
 * Its filters are the responder's after phase 2 (RFC 3193 section 4.2.2),
 * the local end as R-IPAddr1:R-Port: exactly the 4-tuple in both
 * directions. The initiator's set would add "from R-IPAddr, any port"
 * inbound, which is only there because a responder may answer from a new
 * port (4.2.4), something a static peer never does.
 */
#define STATIC_ROLE FILTER_RESPONDER

/* @t's filters, pinned to the reqids of its SAs (reconcile_filter_reqids). */
static int static_filters(struct nl *xnl, const struct l2tp_tunnel *t,
			  const struct binding *b, struct xpolicy *set,
			  const char **what)
{
	struct vec sas = { NULL, 0, 0 };
	uint32_t reqid_in, reqid_out;
	int ret;

	*what = "tunnel add: reading the SAs";
	ret = xfrm_sa_dump(xnl, xfrm_sa_collect, &sas);
	if (ret) {
		vec_free(&sas);
		return ret;
	}
	reconcile_filter_reqids(t, b, sas.v, sas.n, &reqid_in, &reqid_out);
	vec_free(&sas);
	*what = "tunnel add: its filters";
	return reconcile_tunnel_filters(t, STATIC_ROLE, reqid_in, reqid_out, set,
					RC_TUNNEL_FILTERS_MAX);
}

/* Delete @set[0..n): a rollback; say what fails. */
static void del_filters(struct nl *xnl, const struct xpolicy *set, int n,
			const char *what)
{
	int i, ret;

	for (i = 0; i < n; i++) {
		ret = xfrm_policy_del(xnl, &set[i]);
		if (ret && ret != -ENOENT)
			cli_xfrm_error(xnl, what, ret);
	}
}

static int tunnel_add(const struct cli *cli, int argc, char **argv)
{
	char err[ERRLEN], what[WHATLEN], key[2 * ENDPOINT_STRLEN + 16];
	struct xpolicy filters[RC_TUNNEL_FILTERS_MAX], holder;
	const char *step;
	struct tunnel_req r;
	struct modclient mc;
	struct l2tp_client lc;
	struct nl xnl = { 0 };
	int ret, undo, nf = 0, i;

	(void)cli;
	ret = args_tunnel_add(argc, argv, &r, err, sizeof(err));
	if (ret)
		return cli_args_error("tunnel", ret, err);
	ret = cli_open_l2tp(&mc, &lc);
	if (ret)
		return ret;
	ret = cli_open_xfrm(&xnl);
	if (ret)
		goto out;

	/* The binding first: the tunnel's first packet is checked. */
	ret = binding_add(&mc, &r.b);
	if (ret) {
		ret = add_error(&mc, &r, "binding", ret);
		goto out;
	}
	/* Then its filters (RFC 3193 4.2): its first packet is protected. */
	nf = static_filters(&xnl, &r.t, &r.b, filters, &step);
	if (nf < 0) {
		ret = cli_xfrm_error(&xnl, step, nf);
		nf = 0;
		goto undo_binding;
	}
	for (i = 0; i < nf; i++) {
		ret = spd_policy_install(&xnl, &filters[i], &holder);
		if (ret == -EEXIST) {
			cli_error("tunnel add: one of its filters has a policy that is not ours in its place (priority %u)",
				  holder.priority);
			ret = EXIT_KERNEL;
		} else if (ret) {
			ret = cli_xfrm_error(&xnl, "tunnel add: installing its filters", ret);
		}
		if (ret) {
			nf = i;
			goto undo_filters;
		}
	}
	ret = l2tp_tunnel_create(&lc, &r.t);
	if (ret) {
		ret = add_error(&mc, &r, "tunnel", ret);
		goto undo_filters;
	}
	ret = l2tp_session_create(&lc, &r.s);
	if (ret) {
		ret = add_error(&mc, &r, "session", ret);
		goto undo_tunnel;
	}
	goto out;

undo_tunnel:
	undo = l2tp_tunnel_delete(&lc, r.t.tunnel_id);
	if (!undo)
		undo = l2tp_tunnel_wait_gone(&lc, r.t.tunnel_id, GONE_TIMEOUT_MS);
	if (undo) {
		/* A tunnel that is still there keeps its binding. */
		snprintf(what, sizeof(what),
			 "tunnel add: rollback: deleting tunnel-id %u", r.t.tunnel_id);
		cli_kernel_error(&mc, what, undo);
		goto out;
	}
undo_filters:
	del_filters(&xnl, filters, nf, "tunnel add: rollback: deleting its filters");
undo_binding:
	undo = binding_del(&mc, &r.b);
	if (undo) {
		snprintf(what, sizeof(what), "tunnel add: rollback: deleting binding %s",
			 binding_key_str(&r.b, key, sizeof(key)));
		cli_kernel_error(&mc, what, undo);
	}
out:
	if (xnl.sock)
		nl_close(&xnl);
	modclient_close(&mc);
	return ret;
}

/* ------------------------------------------------------------------------ */
/* tunnel del */

/*
 * Delete the per-tunnel filters of @t (reconcile_filter_of(): ours, in the
 * tunnel sub-band, with @t's selectors), whoever installed them. An exit
 * status.
 */
static int del_tunnel_filters(const struct l2tp_tunnel *t)
{
	struct xpolicy *list = NULL;
	struct nl xnl = { 0 };
	size_t i, n = 0;
	int ret;

	if (!reconcile_tunnel_key(t, &(struct binding){ 0 }))
		return EXIT_OK;
	ret = cli_open_xfrm(&xnl);
	if (ret)
		return ret;
	ret = xfrm_policy_list(&xnl, &list, &n);
	if (ret) {
		ret = cli_xfrm_error(&xnl, "tunnel del: reading the SPD", ret);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (!reconcile_filter_of(&list[i], t))
			continue;
		ret = xfrm_policy_del(&xnl, &list[i]);
		if (ret && ret != -ENOENT) {
			ret = cli_xfrm_error(&xnl, "tunnel del: deleting its filters", ret);
			goto out;
		}
		ret = EXIT_OK;
	}
out:
	free(list);
	nl_close(&xnl);
	return ret;
}

static int tunnel_del(const struct cli *cli, int argc, char **argv)
{
	struct vec sessions = { NULL, 0, 0 };
	char err[ERRLEN], what[WHATLEN], key_str[2 * ENDPOINT_STRLEN + 16];
	const struct l2tp_session *s;
	struct l2tp_client lc;
	struct l2tp_tunnel t;
	struct modclient mc;
	struct binding key;
	uint32_t id;
	size_t i;
	int ret;

	(void)cli;
	ret = args_tunnel_id(argc, argv, false, &id, err, sizeof(err));
	if (ret)
		return cli_args_error("tunnel", ret, err);
	ret = cli_open_l2tp(&mc, &lc);
	if (ret)
		return ret;

	snprintf(what, sizeof(what), "tunnel del: tunnel-id %u", id);
	ret = l2tp_tunnel_get(&lc, id, &t);
	if (ret == -ENODEV) {
		cli_error("%s: no such tunnel", what);
		ret = EXIT_KERNEL;
		goto out;
	}
	if (ret)
		goto kernel_error;

	/* Sessions one by one: listeners hear of each. */
	ret = l2tp_session_dump(&lc, l2tp_session_collect, &sessions);
	if (ret)
		goto kernel_error;
	s = sessions.v;
	for (i = 0; i < sessions.n; i++) {
		if (s[i].tunnel_id != id)
			continue;
		ret = l2tp_session_delete(&lc, id, s[i].session_id);
		if (ret && ret != -ENODEV) {
			snprintf(what, sizeof(what), "tunnel del: session-id %u",
				 s[i].session_id);
			goto kernel_error;
		}
	}

	ret = l2tp_tunnel_delete(&lc, id);
	if (!ret || ret == -ENODEV)
		ret = l2tp_tunnel_wait_gone(&lc, id, GONE_TIMEOUT_MS);
	if (ret == -ETIMEDOUT)
		cli_error("%s: still there after %d ms; deleting its binding anyway",
			  what, GONE_TIMEOUT_MS);
	else if (ret)
		goto kernel_error;

	/* Its filters, then the binding: its last packet was checked too. */
	ret = del_tunnel_filters(&t);
	if (ret)
		goto out;
	if (reconcile_tunnel_key(&t, &key)) {
		ret = binding_del(&mc, &key);
		if (ret == -ENOENT) {
			ret = 0;	/* an unbound tunnel */
		} else if (ret) {
			snprintf(what, sizeof(what), "tunnel del: binding %s",
				 binding_key_str(&key, key_str, sizeof(key_str)));
			goto kernel_error;
		}
	}
	goto out;

kernel_error:
	ret = cli_kernel_error(&mc, what, ret);
out:
	vec_free(&sessions);
	modclient_close(&mc);
	return ret;
}

/* ------------------------------------------------------------------------ */
/* tunnel show */

static enum bind_match match_kind(const struct binding *b,
				  const struct binding *key)
{
	if (!endpoint_same_addr(&b->local, &key->local) || b->local.port != key->local.port)
		return MATCH_NONE;
	if (b->peer.family == AF_UNSPEC)
		return MATCH_LISTENER;
	if (!endpoint_same_addr(&b->peer, &key->peer))
		return MATCH_NONE;
	if (!b->peer.port)
		return MATCH_PEER_PORT_ANY;
	return b->peer.port == key->peer.port ? MATCH_EXACT : MATCH_NONE;
}

/*
 * The binding that judges the tunnel's packets, in the module's order:
 * exact, then peer port any, then listener.
 */
static const struct binding *find_binding(const struct l2tp_tunnel *t,
					  const struct vec *bindings,
					  enum bind_match *match)
{
	const struct binding *b = bindings->v, *best = NULL;
	enum bind_match m;
	struct binding key;
	size_t i;

	*match = MATCH_NONE;
	if (!reconcile_tunnel_key(t, &key))
		return NULL;
	for (i = 0; i < bindings->n; i++) {
		m = match_kind(&b[i], &key);
		if (m != MATCH_NONE && (*match == MATCH_NONE || m < *match)) {
			*match = m;
			best = &b[i];
		}
	}
	return best;
}

static int tunnel_show(const struct cli *cli, int argc, char **argv)
{
	struct vec tunnels = { NULL, 0, 0 }, sessions = { NULL, 0, 0 };
	struct vec bindings = { NULL, 0, 0 };
	const struct l2tp_tunnel *t;
	const struct binding *b;
	struct l2tp_client lc;
	struct modclient mc;
	enum bind_match match;
	char err[ERRLEN];
	const char *what;
	uint32_t id;
	size_t i;
	int ret;

	ret = args_tunnel_id(argc, argv, true, &id, err, sizeof(err));
	if (ret)
		return cli_args_error("tunnel", ret, err);
	ret = cli_open_l2tp(&mc, &lc);
	if (ret)
		return ret;

	what = "tunnel show: L2TP tunnels";
	ret = l2tp_tunnel_dump(&lc, l2tp_tunnel_collect, &tunnels);
	if (!ret) {
		what = "tunnel show: L2TP sessions";
		ret = l2tp_session_dump(&lc, l2tp_session_collect, &sessions);
	}
	if (!ret) {
		what = "tunnel show: bindings";
		ret = binding_dump(&mc, binding_collect, &bindings);
	}
	if (ret) {
		ret = cli_kernel_error(&mc, what, ret);
		goto out;
	}

	render_open_object(cli->out, NULL);
	render_open_array(cli->out, "tunnels");
	t = tunnels.v;
	for (i = 0; i < tunnels.n; i++) {
		if (id && t[i].tunnel_id != id)
			continue;
		b = find_binding(&t[i], &bindings, &match);
		render_tunnel(cli->out, &t[i], sessions.v, sessions.n, b, match);
	}
	render_close_array(cli->out);
	render_close_object(cli->out);
out:
	vec_free(&tunnels);
	vec_free(&sessions);
	vec_free(&bindings);
	modclient_close(&mc);
	return ret;
}

/* ------------------------------------------------------------------------ */

static const struct cli_cmd rows[] = {
	CLI_CMD("add", tunnel_add,
		"l2tp-ipsec [-j] tunnel add local ADDR:PORT peer ADDR:PORT tunnel-id N\n"
		"                 peer-tunnel-id N session-id N peer-session-id N [ifname NAME]\n"
		"                 [l2spec-type none|default] [reqid N] [spi SPI]\n"
		"                 [encap SPORT:DPORT] [mode enforce|audit|inherit]\n"),
	CLI_CMD("del", tunnel_del, "l2tp-ipsec [-j] tunnel del tunnel-id N\n"),
	CLI_CMD("show", tunnel_show, "l2tp-ipsec [-j] tunnel show [tunnel-id N]\n"),
};

const struct cli_group tunnel_cmds = CLI_GROUP("tunnel", rows);
