// SPDX-License-Identifier: GPL-2.0
/*
 * l2tp-ipsec tunnel add|del|show: static (unmanaged) L2TPv3/UDP tunnels with
 * one Ethernet session each, made through the kernel's L2TP family, and the
 * l2tp_ipsec binding of their 4-tuple. The binding is made before the tunnel
 * and deleted after it, so that the tunnel never carries an unchecked packet:
 * tunnel_txn.c has those steps and their rollback, this file their words.
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
#include "cli/tunnel_txn.h"
#include "kernel/binding.h"
#include "kernel/l2tp.h"
#include "kernel/modclient.h"
#include "lib/names.h"
#include "lib/number.h"
#include "lib/vec.h"
#include "policy/reconcile.h"
#include "text/args.h"
#include "text/l2tp.h"
#include "text/output.h"
#include "text/render.h"

#define ERRLEN 256
#define WHATLEN 256

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
/* The transactions' failures, in words (tunnel_txn.h has the steps) */

/* What a message names, in place of its one "%s". */
enum txn_name {
	NAME_NONE,
	NAME_BINDING,		/* "binding local A peer B" */
	NAME_LOCAL,		/* "local A" */
	NAME_TUNNEL,		/* "tunnel-id N" */
	NAME_SESSION,		/* "session-id N" */
	NAME_SESSION_IF,	/* the same, " or ifname X" if one was given */
	NAME_HOLDER,		/* "priority N" */
	NAME_FILTERS_LEFT,	/* "N of M left" */
};

/* How it is said: with the errno and the kernel's message, or alone. */
enum txn_say {
	SAY_KERNEL,	/* cli_kernel_error(): bindings, tunnels, sessions */
	SAY_XFRM,	/* cli_xfrm_error(): SAs and policies */
	SAY_ALONE,	/* cli_error(): the text says it all */
};

/**
 * struct txn_msg - the words for a failed step
 * @step: the step
 * @err: the errno it failed with, 0: any
 * @say: how they are said
 * @name: what "%s" in @fmt stands for
 * @fmt: the words, with at most one "%s"
 */
struct txn_msg {
	enum tunnel_txn_step step;
	int err;
	enum txn_say say;
	enum txn_name name;
	const char *fmt;
};

/* In each table the first row that matches wins. */
static const struct txn_msg add_msgs[] = {
	{ TXN_BINDING, 0, SAY_KERNEL, NAME_BINDING, "tunnel add: %s" },
	{ TXN_SAS, 0, SAY_XFRM, NAME_NONE, "tunnel add: reading the SAs" },
	{ TXN_FILTER_SET, 0, SAY_XFRM, NAME_NONE, "tunnel add: its filters" },
	{ TXN_FILTERS, -EEXIST, SAY_ALONE, NAME_HOLDER,
	  "tunnel add: one of its filters has a policy that is not ours in its place (%s)" },
	{ TXN_FILTERS, 0, SAY_XFRM, NAME_NONE, "tunnel add: installing its filters" },
	{ TXN_TUNNEL, -EEXIST, SAY_KERNEL, NAME_TUNNEL, "tunnel add: %s is in use" },
	{ TXN_TUNNEL, -EADDRINUSE, SAY_KERNEL, NAME_LOCAL, "tunnel add: %s is in use" },
	{ TXN_TUNNEL, 0, SAY_KERNEL, NAME_TUNNEL, "tunnel add: creating %s" },
	{ TXN_SESSION, -EEXIST, SAY_KERNEL, NAME_SESSION_IF, "tunnel add: %s is in use" },
	{ TXN_SESSION, -EPROTONOSUPPORT, SAY_KERNEL, NAME_NONE,
	  "tunnel add: Ethernet sessions (modprobe l2tp_eth)" },
	{ TXN_SESSION, 0, SAY_KERNEL, NAME_SESSION, "tunnel add: creating %s" },
};

/* What the rollback of "tunnel add" could not undo. */
static const struct txn_msg undo_msgs[] = {
	{ TXN_TUNNEL, 0, SAY_KERNEL, NAME_TUNNEL,
	  "tunnel add: rollback: deleting %s (it keeps its filters and binding)" },
	{ TXN_FILTERS, 0, SAY_XFRM, NAME_FILTERS_LEFT,
	  "tunnel add: rollback: deleting its filters (%s)" },
	{ TXN_BINDING, 0, SAY_KERNEL, NAME_BINDING, "tunnel add: rollback: deleting %s" },
};

static const struct txn_msg del_msgs[] = {
	{ TXN_LOOKUP, -ENODEV, SAY_ALONE, NAME_TUNNEL, "tunnel del: %s: no such tunnel" },
	{ TXN_LOOKUP, 0, SAY_KERNEL, NAME_TUNNEL, "tunnel del: %s" },
	{ TXN_SESSIONS, 0, SAY_KERNEL, NAME_TUNNEL, "tunnel del: %s" },
	{ TXN_SESSION, 0, SAY_KERNEL, NAME_SESSION, "tunnel del: %s" },
	{ TXN_TUNNEL, 0, SAY_KERNEL, NAME_TUNNEL, "tunnel del: %s" },
	{ TXN_SPD, 0, SAY_XFRM, NAME_NONE, "tunnel del: reading the SPD" },
	{ TXN_FILTERS, 0, SAY_XFRM, NAME_NONE, "tunnel del: deleting its filters" },
	{ TXN_BINDING, 0, SAY_KERNEL, NAME_BINDING, "tunnel del: %s" },
};

/* What the messages of one transaction name. */
struct txn_names {
	const struct binding *key;
	const struct endpoint *local;
	uint32_t tunnel_id;
	uint32_t session_id;
	const char *ifname;
	const struct tunnel_txn_result *res;
};

static const char *txn_name_str(enum txn_name name, const struct txn_names *nm,
				char *buf, size_t len)
{
	char key[2 * ENDPOINT_STRLEN + 16], ep[ENDPOINT_STRLEN];
	int n;

	buf[0] = '\0';
	switch (name) {
	case NAME_NONE:
		break;
	case NAME_BINDING:
		snprintf(buf, len, "binding %s", binding_key_str(nm->key, key, sizeof(key)));
		break;
	case NAME_LOCAL:
		snprintf(buf, len, "local %s", endpoint_str(nm->local, ep, sizeof(ep)));
		break;
	case NAME_TUNNEL:
		snprintf(buf, len, "tunnel-id %u", nm->tunnel_id);
		break;
	case NAME_SESSION:
	case NAME_SESSION_IF:
		n = snprintf(buf, len, "session-id %u", nm->session_id);
		if (name == NAME_SESSION_IF && nm->ifname[0] && n > 0 && (size_t)n < len)
			snprintf(buf + n, len - (size_t)n, " or ifname %s", nm->ifname);
		break;
	case NAME_HOLDER:
		snprintf(buf, len, "priority %u", nm->res->holder_priority);
		break;
	case NAME_FILTERS_LEFT:
		snprintf(buf, len, "%u of %u left", nm->res->filters_left,
			 nm->res->nfilters);
		break;
	}
	return buf;
}

/* Say that @step failed with @f, in the words of @tab: an exit status. */
static int txn_error(const struct txn_msg *tab, size_t n,
		     enum tunnel_txn_step step, const struct tunnel_txn_fault *f,
		     const struct txn_names *nm)
{
	/* The error printers read the fault from a socket: give them one. */
	struct modclient m = { .nl = { .kernel_err = f->kernel_err } };
	char what[WHATLEN], name[WHATLEN];
	const struct txn_msg *msg = NULL;
	size_t i;

	for (i = 0; i < n && !msg; i++)
		if (tab[i].step == step && (!tab[i].err || tab[i].err == f->err))
			msg = &tab[i];
	if (!msg) {
		cli_error("tunnel: step %d failed: %s", step, strerror(-f->err));
		return EXIT_KERNEL;
	}
	snprintf(what, sizeof(what), msg->fmt,
		 txn_name_str(msg->name, nm, name, sizeof(name)));
	memcpy(m.nl.extack, f->extack, sizeof(m.nl.extack));
	switch (msg->say) {
	case SAY_KERNEL:
		return cli_kernel_error(&m, what, f->err);
	case SAY_XFRM:
		return cli_xfrm_error(&m.nl, what, f->err);
	case SAY_ALONE:
		break;
	}
	cli_error("%s", what);
	return EXIT_KERNEL;
}

/* ------------------------------------------------------------------------ */
/* tunnel add */

static int tunnel_add(const struct cli *cli, int argc, char **argv)
{
	struct tunnel_txn_result res;
	struct txn_names nm;
	char err[ERRLEN];
	struct tunnel_req r;
	struct modclient mc;
	struct l2tp_client lc;
	struct nl xnl = { 0 };
	int ret, step;

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

	tunnel_txn_add(&(struct tunnel_txn){ &mc, &lc, &xnl, TXN_GONE_TIMEOUT_MS },
		       &r.b, &r.t, &r.s, &res);
	nm = (struct txn_names){ &r.b, &r.t.local, r.t.tunnel_id, r.s.session_id,
				 r.s.ifname, &res };
	if (res.step)
		ret = txn_error(add_msgs, NAMES_LEN(add_msgs), res.step, &res.fault, &nm);
	/* Then each step the rollback failed to undo, in its order. */
	for (step = TXN_STEP_COUNT - 1; step > TXN_OK; step--)
		if (res.undo_failed & TXN_BIT(step))
			txn_error(undo_msgs, NAMES_LEN(undo_msgs), step,
				  &res.undo[step], &nm);
	nl_close(&xnl);
out:
	modclient_close(&mc);
	return ret;
}

/* ------------------------------------------------------------------------ */
/* tunnel del */

static int tunnel_del(const struct cli *cli, int argc, char **argv)
{
	struct tunnel_txn_result res;
	struct l2tp_client lc;
	struct txn_names nm;
	struct modclient mc;
	struct nl xnl = { 0 };
	char err[ERRLEN];
	uint32_t id;
	int ret;

	(void)cli;
	ret = args_tunnel_id(argc, argv, false, &id, err, sizeof(err));
	if (ret)
		return cli_args_error("tunnel", ret, err);
	ret = cli_open_l2tp(&mc, &lc);
	if (ret)
		return ret;
	/* Before anything goes: a tunnel deleted must not leave its binding. */
	ret = cli_open_xfrm(&xnl);
	if (ret)
		goto out;

	tunnel_txn_del(&(struct tunnel_txn){ &mc, &lc, &xnl, TXN_GONE_TIMEOUT_MS },
		       id, &res);
	nm = (struct txn_names){ &res.key, NULL, id, res.session_id, "", &res };
	if (res.lingered)
		cli_error("tunnel del: tunnel-id %u: still there after %d ms; deleting its binding anyway",
			  id, TXN_GONE_TIMEOUT_MS);
	if (res.step)
		ret = txn_error(del_msgs, NAMES_LEN(del_msgs), res.step, &res.fault, &nm);
	nl_close(&xnl);
out:
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
