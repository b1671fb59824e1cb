// SPDX-License-Identifier: GPL-2.0
/* Bindings: their netlink encoding and the requests that manage them. */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/l2tp_ipsec.h>

#include "kernel/binding.h"
#include "kernel/modclient.h"
#include "lib/vec.h"

static void put_addr(struct nlmsghdr *nlh, const struct endpoint *ep,
		     uint16_t type_v4, uint16_t type_v6)
{
	if (ep->family == AF_INET)
		mnl_attr_put(nlh, type_v4, sizeof(ep->addr.v4), &ep->addr.v4);
	else if (ep->family == AF_INET6)
		mnl_attr_put(nlh, type_v6, sizeof(ep->addr.v6), &ep->addr.v6);
}

static void put_key_attrs(struct nlmsghdr *nlh, const struct binding *b)
{
	put_addr(nlh, &b->local, L2TP_IPSEC_A_BINDING_LOCAL_IPV4,
		 L2TP_IPSEC_A_BINDING_LOCAL_IPV6);
	mnl_attr_put_u16(nlh, L2TP_IPSEC_A_BINDING_LOCAL_PORT, b->local.port);
	if (b->peer.family == AF_UNSPEC)
		return;
	put_addr(nlh, &b->peer, L2TP_IPSEC_A_BINDING_PEER_IPV4,
		 L2TP_IPSEC_A_BINDING_PEER_IPV6);
	if (b->peer.port)
		mnl_attr_put_u16(nlh, L2TP_IPSEC_A_BINDING_PEER_PORT, b->peer.port);
}

/* The pin: with the key, what names one of the bindings of a 4-tuple. */
static void put_pin_attrs(struct nlmsghdr *nlh, const struct binding *b)
{
	if (b->reqid)
		mnl_attr_put_u32(nlh, L2TP_IPSEC_A_BINDING_REQID, b->reqid);
	if (b->spi)
		mnl_attr_put_u32(nlh, L2TP_IPSEC_A_BINDING_SPI, b->spi);
	if (b->encap_sport || b->encap_dport) {
		mnl_attr_put_u16(nlh, L2TP_IPSEC_A_BINDING_ENCAP_SPORT, b->encap_sport);
		mnl_attr_put_u16(nlh, L2TP_IPSEC_A_BINDING_ENCAP_DPORT, b->encap_dport);
	}
}

void binding_put_key(struct nlmsghdr *nlh, const struct binding *b)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, L2TP_IPSEC_A_BINDING);

	put_key_attrs(nlh, b);
	put_pin_attrs(nlh, b);
	mnl_attr_nest_end(nlh, nest);
}

void binding_put_id(struct nlmsghdr *nlh, uint32_t id)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, L2TP_IPSEC_A_BINDING);

	mnl_attr_put_u32(nlh, L2TP_IPSEC_A_BINDING_ID, id);
	mnl_attr_nest_end(nlh, nest);
}

void binding_put(struct nlmsghdr *nlh, const struct binding *b)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, L2TP_IPSEC_A_BINDING);

	put_key_attrs(nlh, b);
	put_pin_attrs(nlh, b);
	if (b->l2tp_version)
		mnl_attr_put_u8(nlh, L2TP_IPSEC_A_BINDING_L2TP_VERSION, b->l2tp_version);
	if (b->v2_tunnel_id)
		mnl_attr_put_u16(nlh, L2TP_IPSEC_A_BINDING_V2_TUNNEL_ID, b->v2_tunnel_id);
	if (b->allow_ah)
		mnl_attr_put(nlh, L2TP_IPSEC_A_BINDING_ALLOW_AH, 0, NULL);
	if (b->mode_set)
		mnl_attr_put_u8(nlh, L2TP_IPSEC_A_BINDING_MODE, b->mode);
	if (b->owner)
		mnl_attr_put_u32(nlh, L2TP_IPSEC_A_BINDING_OWNER, b->owner);
	if (b->has_sock)
		mnl_attr_put_u32(nlh, L2TP_IPSEC_A_BINDING_SOCK_FD,
				 (uint32_t)b->sock_fd);
	if (b->out_mark)
		mnl_attr_put_u32(nlh, L2TP_IPSEC_A_BINDING_OUT_MARK, b->out_mark);
	if (b->v2_peer_tunnel_id)
		mnl_attr_put_u16(nlh, L2TP_IPSEC_A_BINDING_V2_PEER_TUNNEL_ID,
				 b->v2_peer_tunnel_id);
	mnl_attr_nest_end(nlh, nest);
}

static const struct nl_policy binding_policy[L2TP_IPSEC_A_BINDING_MAX + 1] = {
	[L2TP_IPSEC_A_BINDING_ID]		= { MNL_TYPE_U32, 0 },
	[L2TP_IPSEC_A_BINDING_LOCAL_IPV4]	= { MNL_TYPE_U32, 0 },
	[L2TP_IPSEC_A_BINDING_LOCAL_IPV6]	= { MNL_TYPE_BINARY, 16 },
	[L2TP_IPSEC_A_BINDING_LOCAL_PORT]	= { MNL_TYPE_U16, 0 },
	[L2TP_IPSEC_A_BINDING_PEER_IPV4]	= { MNL_TYPE_U32, 0 },
	[L2TP_IPSEC_A_BINDING_PEER_IPV6]	= { MNL_TYPE_BINARY, 16 },
	[L2TP_IPSEC_A_BINDING_PEER_PORT]	= { MNL_TYPE_U16, 0 },
	[L2TP_IPSEC_A_BINDING_REQID]		= { MNL_TYPE_U32, 0 },
	[L2TP_IPSEC_A_BINDING_SPI]		= { MNL_TYPE_U32, 0 },
	[L2TP_IPSEC_A_BINDING_ENCAP_SPORT]	= { MNL_TYPE_U16, 0 },
	[L2TP_IPSEC_A_BINDING_ENCAP_DPORT]	= { MNL_TYPE_U16, 0 },
	[L2TP_IPSEC_A_BINDING_L2TP_VERSION]	= { MNL_TYPE_U8, 0 },
	[L2TP_IPSEC_A_BINDING_V2_TUNNEL_ID]	= { MNL_TYPE_U16, 0 },
	[L2TP_IPSEC_A_BINDING_ALLOW_AH]		= { MNL_TYPE_FLAG, 0 },
	[L2TP_IPSEC_A_BINDING_MODE]		= { MNL_TYPE_U8, 0 },
	[L2TP_IPSEC_A_BINDING_STATS]		= { MNL_TYPE_NESTED, 0 },
	[L2TP_IPSEC_A_BINDING_OWNER]		= { MNL_TYPE_U32, 0 },
	[L2TP_IPSEC_A_BINDING_SOCK_INODE]	= { MNL_TYPE_U32, 0 },
	[L2TP_IPSEC_A_BINDING_OUT_MARK]		= { MNL_TYPE_U32, 0 },
	[L2TP_IPSEC_A_BINDING_V2_PEER_TUNNEL_ID] = { MNL_TYPE_U16, 0 },
};

/* Exactly one of the two address attributes, or none if @optional. */
static int get_addr(const struct nlattr *v4, const struct nlattr *v6,
		    bool optional, struct endpoint *ep)
{
	if (v4 && v6)
		return -EPROTO;
	if (v4) {
		ep->family = AF_INET;
		memcpy(&ep->addr.v4, mnl_attr_get_payload(v4), sizeof(ep->addr.v4));
	} else if (v6) {
		ep->family = AF_INET6;
		memcpy(&ep->addr.v6, mnl_attr_get_payload(v6), sizeof(ep->addr.v6));
	} else {
		ep->family = AF_UNSPEC;
		return optional ? 0 : -EPROTO;
	}
	return 0;
}

int binding_parse(const struct nlattr *nest, struct binding *b)
{
	const struct nlattr *tb[L2TP_IPSEC_A_BINDING_MAX + 1];
	int ret;

	memset(b, 0, sizeof(*b));
	if (nl_parse_nested(nest, tb, L2TP_IPSEC_A_BINDING_MAX) ||
	    nl_validate(tb, binding_policy, L2TP_IPSEC_A_BINDING_MAX))
		return -EPROTO;

	ret = get_addr(tb[L2TP_IPSEC_A_BINDING_LOCAL_IPV4],
		       tb[L2TP_IPSEC_A_BINDING_LOCAL_IPV6], false, &b->local);
	if (ret || !tb[L2TP_IPSEC_A_BINDING_LOCAL_PORT])
		return -EPROTO;
	b->local.port = mnl_attr_get_u16(tb[L2TP_IPSEC_A_BINDING_LOCAL_PORT]);

	ret = get_addr(tb[L2TP_IPSEC_A_BINDING_PEER_IPV4],
		       tb[L2TP_IPSEC_A_BINDING_PEER_IPV6], true, &b->peer);
	if (ret)
		return ret;
	if (tb[L2TP_IPSEC_A_BINDING_PEER_PORT]) {
		if (b->peer.family == AF_UNSPEC)
			return -EPROTO;
		b->peer.port = mnl_attr_get_u16(tb[L2TP_IPSEC_A_BINDING_PEER_PORT]);
	}

	if (tb[L2TP_IPSEC_A_BINDING_ID])
		b->id = mnl_attr_get_u32(tb[L2TP_IPSEC_A_BINDING_ID]);
	if (tb[L2TP_IPSEC_A_BINDING_REQID])
		b->reqid = mnl_attr_get_u32(tb[L2TP_IPSEC_A_BINDING_REQID]);
	if (tb[L2TP_IPSEC_A_BINDING_SPI])
		b->spi = mnl_attr_get_u32(tb[L2TP_IPSEC_A_BINDING_SPI]);
	if (tb[L2TP_IPSEC_A_BINDING_ENCAP_SPORT])
		b->encap_sport = mnl_attr_get_u16(tb[L2TP_IPSEC_A_BINDING_ENCAP_SPORT]);
	if (tb[L2TP_IPSEC_A_BINDING_ENCAP_DPORT])
		b->encap_dport = mnl_attr_get_u16(tb[L2TP_IPSEC_A_BINDING_ENCAP_DPORT]);
	if (tb[L2TP_IPSEC_A_BINDING_L2TP_VERSION])
		b->l2tp_version = mnl_attr_get_u8(tb[L2TP_IPSEC_A_BINDING_L2TP_VERSION]);
	if (tb[L2TP_IPSEC_A_BINDING_V2_TUNNEL_ID])
		b->v2_tunnel_id = mnl_attr_get_u16(tb[L2TP_IPSEC_A_BINDING_V2_TUNNEL_ID]);
	b->allow_ah = tb[L2TP_IPSEC_A_BINDING_ALLOW_AH] != NULL;
	if (tb[L2TP_IPSEC_A_BINDING_MODE]) {
		b->mode_set = true;
		b->mode = mnl_attr_get_u8(tb[L2TP_IPSEC_A_BINDING_MODE]);
	}
	if (tb[L2TP_IPSEC_A_BINDING_OWNER])
		b->owner = mnl_attr_get_u32(tb[L2TP_IPSEC_A_BINDING_OWNER]);
	if (tb[L2TP_IPSEC_A_BINDING_SOCK_INODE])
		b->sock_inode = mnl_attr_get_u32(tb[L2TP_IPSEC_A_BINDING_SOCK_INODE]);
	if (tb[L2TP_IPSEC_A_BINDING_OUT_MARK])
		b->out_mark = mnl_attr_get_u32(tb[L2TP_IPSEC_A_BINDING_OUT_MARK]);
	if (tb[L2TP_IPSEC_A_BINDING_V2_PEER_TUNNEL_ID])
		b->v2_peer_tunnel_id =
			mnl_attr_get_u16(tb[L2TP_IPSEC_A_BINDING_V2_PEER_TUNNEL_ID]);
	if (tb[L2TP_IPSEC_A_BINDING_STATS]) {
		ret = counters_parse(tb[L2TP_IPSEC_A_BINDING_STATS], &b->stats);
		if (ret)
			return ret;
		b->has_stats = true;
	}
	return 0;
}

/* One L2TP_IPSEC_CMD_BINDING_GET reply, do or dump. */
struct binding_reply {
	struct modclient *mc;
	binding_fn fn;
	void *data;
	struct binding *out;
	bool got;
	uint32_t last_id;
};

static int binding_reply_cb(const struct nlmsghdr *nlh, void *data)
{
	struct binding_reply *r = data;
	const struct nlattr *attr;
	struct binding b;
	int ret;

	attr = modclient_attr(r->mc, nlh, L2TP_IPSEC_A_BINDING);
	if (!attr) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	ret = binding_parse(attr, &b);
	/*
	 * A dump comes in id order. One that repeats itself would never end:
	 * give up rather than print the same bindings forever.
	 */
	if (!ret && r->fn && r->got && b.id <= r->last_id) {
		errno = ELOOP;
		return MNL_CB_STOP;
	}
	r->last_id = b.id;
	if (!ret && r->fn)
		ret = r->fn(&b, r->data);
	if (ret) {
		errno = -ret;
		return MNL_CB_ERROR;
	}
	if (r->out)
		*r->out = b;
	r->got = true;
	return MNL_CB_OK;
}

static int binding_request(struct modclient *mc, uint8_t cmd,
			   const struct binding *b, bool full)
{
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;

	nlh = modclient_msg(mc, buf, cmd, 0);
	if (full)
		binding_put(nlh, b);
	else if (b)
		binding_put_key(nlh, b);
	return nl_transact(&mc->nl, nlh, NULL, NULL);
}

int binding_add(struct modclient *mc, const struct binding *b)
{
	return binding_request(mc, L2TP_IPSEC_CMD_BINDING_ADD, b, true);
}

int binding_del(struct modclient *mc, const struct binding *key)
{
	return binding_request(mc, L2TP_IPSEC_CMD_BINDING_DEL, key, false);
}

int binding_flush(struct modclient *mc)
{
	return binding_request(mc, L2TP_IPSEC_CMD_BINDING_FLUSH, NULL, false);
}

/* Send the BINDING_GET @nlh, its one binding into @out. */
static int get_one(struct modclient *mc, struct nlmsghdr *nlh,
		   struct binding *out)
{
	struct binding_reply r = { .mc = mc, .out = out };
	int ret;

	ret = nl_transact(&mc->nl, nlh, binding_reply_cb, &r);
	if (ret)
		return ret;
	return r.got ? 0 : -ENODATA;
}

int binding_get(struct modclient *mc, const struct binding *key,
		struct binding *out)
{
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;

	nlh = modclient_msg(mc, buf, L2TP_IPSEC_CMD_BINDING_GET, 0);
	binding_put_key(nlh, key);
	return get_one(mc, nlh, out);
}

int binding_get_id(struct modclient *mc, uint32_t id, struct binding *out)
{
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;

	nlh = modclient_msg(mc, buf, L2TP_IPSEC_CMD_BINDING_GET, 0);
	binding_put_id(nlh, id);
	return get_one(mc, nlh, out);
}

int binding_collect(const struct binding *b, void *vec)
{
	return vec_push(vec, b, sizeof(*b));
}

int binding_dump(struct modclient *mc, binding_fn fn, void *data)
{
	struct binding_reply r = { .mc = mc, .fn = fn, .data = data };
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;

	nlh = modclient_msg(mc, buf, L2TP_IPSEC_CMD_BINDING_GET, NLM_F_DUMP);
	return nl_transact(&mc->nl, nlh, binding_reply_cb, &r);
}
