// SPDX-License-Identifier: GPL-2.0
/*
 * The l2tp_ipsec generic netlink family: bindings, configuration and
 * counters of the caller's network namespace.
 */

#include <linux/in.h>
#include <linux/in6.h>
#include <net/genetlink.h>
#include <net/ipv6.h>

#include "binding.h"
#include "netlink.h"
#include "netlink-ops.h"
#include "netlink-policy.h"
#include "netns.h"
#include "steer.h"

static struct l2tp_ipsec_net *info_pernet(struct genl_info *info)
{
	return l2tp_ipsec_pernet(genl_info_net(info));
}

/* A reply to @info for @cmd; NULL if out of memory. */
static struct sk_buff *reply_new(struct genl_info *info, u8 cmd, void **hdr)
{
	struct sk_buff *msg;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return NULL;
	*hdr = genlmsg_put_reply(msg, info, &l2tp_ipsec_nl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static bool binding_missing(struct genl_info *info)
{
	if (!GENL_REQ_ATTR_CHECK(info, L2TP_IPSEC_A_BINDING))
		return false;
	NL_SET_ERR_MSG(info->extack, "Binding attribute missing");
	return true;
}

/* Reads one address given as an IPv4 or an IPv6 attribute; -ENODATA if
 * neither is there.
 */
static int parse_addr(struct nlattr **tb, int v4, int v6, xfrm_address_t *a,
		      u16 *family, struct netlink_ext_ack *extack)
{
	if (tb[v4] && tb[v6]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[v6],
				    "Give an IPv4 or an IPv6 address, not both");
		return -EINVAL;
	}
	if (tb[v4]) {
		__be32 ip = nla_get_in_addr(tb[v4]);

		if (ipv4_is_zeronet(ip) || ipv4_is_multicast(ip) ||
		    ipv4_is_lbcast(ip)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[v4],
					    "Address must be unicast");
			return -EINVAL;
		}
		a->a4 = ip;
		*family = AF_INET;
		return 0;
	}
	if (tb[v6]) {
		a->in6 = nla_get_in6_addr(tb[v6]);
		if (ipv6_addr_any(&a->in6) ||
		    ipv6_addr_is_multicast(&a->in6) ||
		    ipv6_addr_v4mapped(&a->in6)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[v6],
					    "Address must be unicast");
			return -EINVAL;
		}
		*family = AF_INET6;
		return 0;
	}
	return -ENODATA;
}

/* Fills @key from the key attributes of a binding nest. */
static int parse_key(struct nlattr **tb, struct nlattr *nest,
		     struct l2tp_ipsec_key *key,
		     struct netlink_ext_ack *extack)
{
	u16 peer_family;
	int err;

	memset(key, 0, sizeof(*key));
	err = parse_addr(tb, L2TP_IPSEC_A_BINDING_LOCAL_IPV4,
			 L2TP_IPSEC_A_BINDING_LOCAL_IPV6, &key->laddr,
			 &key->family, extack);
	if (err == -ENODATA) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "Local address missing");
		return -EINVAL;
	}
	if (err)
		return err;

	if (!tb[L2TP_IPSEC_A_BINDING_LOCAL_PORT]) {
		NL_SET_ERR_ATTR_MISS(extack, nest,
				     L2TP_IPSEC_A_BINDING_LOCAL_PORT);
		NL_SET_ERR_MSG(extack, "Local port missing");
		return -EINVAL;
	}
	key->lport = htons(nla_get_u16(tb[L2TP_IPSEC_A_BINDING_LOCAL_PORT]));

	err = parse_addr(tb, L2TP_IPSEC_A_BINDING_PEER_IPV4,
			 L2TP_IPSEC_A_BINDING_PEER_IPV6, &key->paddr,
			 &peer_family, extack);
	if (err == -ENODATA) {
		/* Any peer: a listener, RFC 3193 section 4.2.2 Inbound-1. */
		if (tb[L2TP_IPSEC_A_BINDING_PEER_PORT]) {
			NL_SET_ERR_MSG_ATTR(extack,
					    tb[L2TP_IPSEC_A_BINDING_PEER_PORT],
					    "Peer port needs a peer address");
			return -EINVAL;
		}
		return 0;
	}
	if (err)
		return err;
	if (peer_family != key->family) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "Local and peer address families differ");
		return -EINVAL;
	}
	if (tb[L2TP_IPSEC_A_BINDING_PEER_PORT])
		key->pport =
			htons(nla_get_u16(tb[L2TP_IPSEC_A_BINDING_PEER_PORT]));
	return 0;
}

/*
 * Parses the binding nest of a request that names one binding: its id
 * alone, or its 4-tuple and maybe its pin.
 */
static int parse_name_req(struct genl_info *info, struct l2tp_ipsec_name *name)
{
	struct nlattr *tb[L2TP_IPSEC_A_BINDING_ENCAP_DPORT + 1];
	struct nlattr *nest = info->attrs[L2TP_IPSEC_A_BINDING];
	struct netlink_ext_ack *extack = info->extack;
	unsigned int i;
	int err;

	memset(name, 0, sizeof(*name));
	err = nla_parse_nested(tb, L2TP_IPSEC_A_BINDING_ENCAP_DPORT, nest,
			       l2tp_ipsec_binding_key_nl_policy, extack);
	if (err)
		return err;

	if (tb[L2TP_IPSEC_A_BINDING_ID]) {
		for (i = 0; i <= L2TP_IPSEC_A_BINDING_ENCAP_DPORT; i++) {
			if (i != L2TP_IPSEC_A_BINDING_ID && tb[i]) {
				NL_SET_ERR_MSG_ATTR(extack, tb[i],
						    "A binding id names a binding alone");
				return -EINVAL;
			}
		}
		name->id = nla_get_u32(tb[L2TP_IPSEC_A_BINDING_ID]);
		return 0;
	}

	err = parse_key(tb, nest, &name->key, extack);
	if (err)
		return err;

	if (!tb[L2TP_IPSEC_A_BINDING_ENCAP_SPORT] !=
	    !tb[L2TP_IPSEC_A_BINDING_ENCAP_DPORT]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "Give both NAT-T encapsulation ports or none");
		return -EINVAL;
	}
	if (tb[L2TP_IPSEC_A_BINDING_REQID]) {
		name->reqid = nla_get_u32(tb[L2TP_IPSEC_A_BINDING_REQID]);
		name->has_pin = true;
	}
	if (tb[L2TP_IPSEC_A_BINDING_SPI]) {
		name->spi = htonl(nla_get_u32(tb[L2TP_IPSEC_A_BINDING_SPI]));
		name->has_pin = true;
	}
	if (tb[L2TP_IPSEC_A_BINDING_ENCAP_SPORT]) {
		name->encap_sport =
		     htons(nla_get_u16(tb[L2TP_IPSEC_A_BINDING_ENCAP_SPORT]));
		name->encap_dport =
		     htons(nla_get_u16(tb[L2TP_IPSEC_A_BINDING_ENCAP_DPORT]));
		name->has_pin = true;
	}
	return 0;
}

static int parse_binding(struct genl_info *info, struct l2tp_ipsec_binding *b,
			 struct l2tp_ipsec_steer_req *req)
{
	struct nlattr *tb[L2TP_IPSEC_A_BINDING_V2_PEER_TUNNEL_ID + 1];
	struct nlattr *nest = info->attrs[L2TP_IPSEC_A_BINDING];
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *a;
	int err;

	err = nla_parse_nested(tb, L2TP_IPSEC_A_BINDING_V2_PEER_TUNNEL_ID, nest,
			       l2tp_ipsec_binding_add_nl_policy, extack);
	if (err)
		return err;
	err = parse_key(tb, nest, &b->key, extack);
	if (err)
		return err;

	if (tb[L2TP_IPSEC_A_BINDING_REQID])
		b->reqid = nla_get_u32(tb[L2TP_IPSEC_A_BINDING_REQID]);
	if (tb[L2TP_IPSEC_A_BINDING_SPI])
		b->spi = htonl(nla_get_u32(tb[L2TP_IPSEC_A_BINDING_SPI]));

	if (!tb[L2TP_IPSEC_A_BINDING_ENCAP_SPORT] !=
	    !tb[L2TP_IPSEC_A_BINDING_ENCAP_DPORT]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "Give both NAT-T encapsulation ports or none");
		return -EINVAL;
	}
	if (tb[L2TP_IPSEC_A_BINDING_ENCAP_SPORT]) {
		b->encap_sport =
		     htons(nla_get_u16(tb[L2TP_IPSEC_A_BINDING_ENCAP_SPORT]));
		b->encap_dport =
		     htons(nla_get_u16(tb[L2TP_IPSEC_A_BINDING_ENCAP_DPORT]));
	}

	if (tb[L2TP_IPSEC_A_BINDING_L2TP_VERSION])
		b->version = nla_get_u8(tb[L2TP_IPSEC_A_BINDING_L2TP_VERSION]);
	a = tb[L2TP_IPSEC_A_BINDING_V2_TUNNEL_ID];
	if (a) {
		if (b->version == 3) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "A tunnel ID pin needs L2TP version 2");
			return -EINVAL;
		}
		if (l2tp_ipsec_is_listener(&b->key)) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "A listener binding takes no tunnel ID");
			return -EINVAL;
		}
		b->v2_tunnel_id = nla_get_u16(a);
		b->version = 2;
	}

	b->allow_ah = nla_get_flag(tb[L2TP_IPSEC_A_BINDING_ALLOW_AH]);
	if (tb[L2TP_IPSEC_A_BINDING_MODE])
		b->mode = nla_get_u8(tb[L2TP_IPSEC_A_BINDING_MODE]);
	if (tb[L2TP_IPSEC_A_BINDING_OWNER])
		b->owner = nla_get_u32(tb[L2TP_IPSEC_A_BINDING_OWNER]);
	if (tb[L2TP_IPSEC_A_BINDING_OUT_MARK])
		req->out_mark = nla_get_u32(tb[L2TP_IPSEC_A_BINDING_OUT_MARK]);
	a = tb[L2TP_IPSEC_A_BINDING_V2_PEER_TUNNEL_ID];
	if (a) {
		if (!req->out_mark || !b->key.pport || b->version == 3) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "A peer tunnel ID needs out-mark, a peer address and port, and L2TP version 2");
			return -EINVAL;
		}
		req->peer_tid = nla_get_u16(a);
	}
	/* Last: nothing may fail once the socket is held. */
	if (tb[L2TP_IPSEC_A_BINDING_SOCK_FD]) {
		struct sock *sk;

		sk = l2tp_ipsec_steer_sock_get(genl_info_net(info),
					       tb[L2TP_IPSEC_A_BINDING_SOCK_FD],
					       &b->key, b->v2_tunnel_id, extack);
		if (IS_ERR(sk))
			return PTR_ERR(sk);
		req->sk = sk;
	}
	return 0;
}

/**
 * l2tp_ipsec_nl_binding_add_doit - add a binding
 * @skb: the request
 * @info: its attributes, validated by the policy of binding-add
 *
 * Return: 0 or -errno.
 */
int l2tp_ipsec_nl_binding_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct l2tp_ipsec_steer_req req = {};
	struct l2tp_ipsec_binding b = {};
	int err;

	if (binding_missing(info))
		return -EINVAL;
	err = parse_binding(info, &b, &req);
	if (err)
		return err;
	return l2tp_ipsec_binding_add(info_pernet(info), &b, &req, info->extack);
}

/**
 * l2tp_ipsec_nl_binding_del_doit - delete the binding a key names
 * @skb: the request
 * @info: its attributes, validated by the policy of binding-del
 *
 * Return: 0 or -errno (-ENOTUNIQ: a shared 4-tuple without a pin).
 */
int l2tp_ipsec_nl_binding_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct l2tp_ipsec_name name;
	int err;

	if (binding_missing(info))
		return -EINVAL;
	err = parse_name_req(info, &name);
	if (err)
		return err;
	return l2tp_ipsec_binding_del(info_pernet(info), &name, info->extack);
}

static int put_stats(struct sk_buff *msg, int attr, const u64 *cnt,
		     bool is_binding)
{
	struct nlattr *nest;
	unsigned int i;

	nest = nla_nest_start(msg, attr);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < L2TP_IPSEC_CNT_NUM; i++) {
		/* Unbound traffic is counted for the namespace only. */
		if (is_binding && (i == L2TP_IPSEC_CNT_ACCEPTED_UNBOUND ||
				   i == L2TP_IPSEC_CNT_DROPPED_POLICY))
			continue;
		if (nla_put_u64_64bit(msg, L2TP_IPSEC_A_STATS_ACCEPTED + i,
				      cnt[i], L2TP_IPSEC_A_STATS_PAD))
			return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int put_binding_stats(struct sk_buff *msg, int attr,
			     const struct l2tp_ipsec_binding *b)
{
	u64 cnt[L2TP_IPSEC_CNT_NUM];

	l2tp_ipsec_binding_stats(b, cnt);
	return put_stats(msg, attr, cnt, true);
}

static int put_binding(struct sk_buff *msg, struct l2tp_ipsec_net *ln,
		       const struct l2tp_ipsec_binding *b)
{
	const struct l2tp_ipsec_key *k = &b->key;
	struct l2tp_ipsec_steer_info si;
	struct nlattr *nest;

	nest = nla_nest_start(msg, L2TP_IPSEC_A_BINDING);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(msg, L2TP_IPSEC_A_BINDING_ID, b->id) ||
	    l2tp_ipsec_nla_put_addr(msg, L2TP_IPSEC_A_BINDING_LOCAL_IPV4,
				    L2TP_IPSEC_A_BINDING_LOCAL_IPV6, k->family,
				    &k->laddr) ||
	    nla_put_u16(msg, L2TP_IPSEC_A_BINDING_LOCAL_PORT, ntohs(k->lport)))
		return -EMSGSIZE;
	if (!xfrm_addr_any(&k->paddr, k->family) &&
	    l2tp_ipsec_nla_put_addr(msg, L2TP_IPSEC_A_BINDING_PEER_IPV4,
				    L2TP_IPSEC_A_BINDING_PEER_IPV6, k->family,
				    &k->paddr))
		return -EMSGSIZE;
	if (k->pport &&
	    nla_put_u16(msg, L2TP_IPSEC_A_BINDING_PEER_PORT, ntohs(k->pport)))
		return -EMSGSIZE;
	if (b->reqid && nla_put_u32(msg, L2TP_IPSEC_A_BINDING_REQID, b->reqid))
		return -EMSGSIZE;
	if (b->spi &&
	    nla_put_u32(msg, L2TP_IPSEC_A_BINDING_SPI, ntohl(b->spi)))
		return -EMSGSIZE;
	if (b->encap_sport &&
	    (nla_put_u16(msg, L2TP_IPSEC_A_BINDING_ENCAP_SPORT,
			 ntohs(b->encap_sport)) ||
	     nla_put_u16(msg, L2TP_IPSEC_A_BINDING_ENCAP_DPORT,
			 ntohs(b->encap_dport))))
		return -EMSGSIZE;
	if (b->version &&
	    nla_put_u8(msg, L2TP_IPSEC_A_BINDING_L2TP_VERSION, b->version))
		return -EMSGSIZE;
	if (b->v2_tunnel_id &&
	    nla_put_u16(msg, L2TP_IPSEC_A_BINDING_V2_TUNNEL_ID,
			b->v2_tunnel_id))
		return -EMSGSIZE;
	if (b->allow_ah && nla_put_flag(msg, L2TP_IPSEC_A_BINDING_ALLOW_AH))
		return -EMSGSIZE;
	if (b->mode && nla_put_u8(msg, L2TP_IPSEC_A_BINDING_MODE, b->mode))
		return -EMSGSIZE;
	if (b->owner && nla_put_u32(msg, L2TP_IPSEC_A_BINDING_OWNER, b->owner))
		return -EMSGSIZE;
	l2tp_ipsec_steer_info(ln, b, &si);
	if (si.sock_inode &&
	    nla_put_u32(msg, L2TP_IPSEC_A_BINDING_SOCK_INODE, si.sock_inode))
		return -EMSGSIZE;
	if (si.out_mark &&
	    nla_put_u32(msg, L2TP_IPSEC_A_BINDING_OUT_MARK, si.out_mark))
		return -EMSGSIZE;
	if (si.peer_tid &&
	    nla_put_u16(msg, L2TP_IPSEC_A_BINDING_V2_PEER_TUNNEL_ID, si.peer_tid))
		return -EMSGSIZE;
	if (put_binding_stats(msg, L2TP_IPSEC_A_BINDING_STATS, b))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int fill_binding(struct sk_buff *msg, struct l2tp_ipsec_net *ln,
			const struct l2tp_ipsec_binding *b, u32 portid, u32 seq)
{
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &l2tp_ipsec_nl_family, NLM_F_MULTI,
			  L2TP_IPSEC_CMD_BINDING_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (put_binding(msg, ln, b)) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return 0;
}

/**
 * l2tp_ipsec_nl_binding_get_doit - reply with the binding a key names
 * @skb: the request
 * @info: its attributes, validated by the policy of binding-get
 *
 * Return: 0 or -errno (-ENOTUNIQ: a shared 4-tuple without a pin).
 */
int l2tp_ipsec_nl_binding_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct l2tp_ipsec_net *ln = info_pernet(info);
	const struct l2tp_ipsec_binding *b;
	struct l2tp_ipsec_name name;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (binding_missing(info))
		return -EINVAL;
	err = parse_name_req(info, &name);
	if (err)
		return err;

	msg = reply_new(info, L2TP_IPSEC_CMD_BINDING_GET, &hdr);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&ln->lock);
	b = l2tp_ipsec_binding_find(ln, &name, info->extack);
	if (IS_ERR(b))
		err = PTR_ERR(b);
	else
		err = put_binding(msg, ln, b);
	mutex_unlock(&ln->lock);

	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/**
 * l2tp_ipsec_nl_binding_get_dumpit - dump every binding of the namespace
 * @skb: the reply
 * @cb: the dump's state; cb->args[0] is the next binding id, stable under
 *      changes
 *
 * Return: the reply's length, 0 at the end, or -errno.
 */
int l2tp_ipsec_nl_binding_get_dumpit(struct sk_buff *skb,
				     struct netlink_callback *cb)
{
	struct l2tp_ipsec_net *ln = l2tp_ipsec_pernet(sock_net(skb->sk));
	const struct l2tp_ipsec_binding *b;
	unsigned long id;
	int err = 0;

	rcu_read_lock();
	xa_for_each_start(&ln->ids, id, b, cb->args[0]) {
		err = fill_binding(skb, ln, b, NETLINK_CB(cb->skb).portid,
				   cb->nlh->nlmsg_seq);
		if (err)
			break;
		cb->args[0] = id + 1;
	}
	rcu_read_unlock();

	/* A full skb ends this round; an empty one means one would never fit. */
	return skb->len ?: err;
}

/**
 * l2tp_ipsec_nl_binding_flush_doit - delete every binding of the namespace
 * @skb: the request
 * @info: its attributes, validated by the policy of binding-flush
 *
 * Return: 0 or -errno.
 */
int l2tp_ipsec_nl_binding_flush_doit(struct sk_buff *skb,
				     struct genl_info *info)
{
	l2tp_ipsec_binding_flush(info_pernet(info));
	return 0;
}

static int put_config(struct sk_buff *msg, struct l2tp_ipsec_net *ln)
{
	struct nlattr *nest, *ports;
	unsigned int i;

	nest = nla_nest_start(msg, L2TP_IPSEC_A_CONFIG);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(msg, L2TP_IPSEC_A_CONFIG_POLICY, ln->policy) ||
	    nla_put_u8(msg, L2TP_IPSEC_A_CONFIG_MODE, ln->mode))
		return -EMSGSIZE;
	ports = nla_nest_start(msg, L2TP_IPSEC_A_CONFIG_PORTS);
	if (!ports)
		return -EMSGSIZE;
	for (i = 0; i < ln->nports; i++)
		if (nla_put_u16(msg, L2TP_IPSEC_A_PORT, ln->ports[i]))
			return -EMSGSIZE;
	nla_nest_end(msg, ports);
	if (nla_put_u32(msg, L2TP_IPSEC_A_CONFIG_MAX_BINDINGS,
			ln->max_bindings) ||
	    nla_put_u32(msg, L2TP_IPSEC_A_CONFIG_NUM_BINDINGS, ln->nbindings))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/**
 * l2tp_ipsec_nl_config_get_doit - reply with the namespace's configuration
 * @skb: the request
 * @info: its attributes, validated by the policy of config-get
 *
 * Return: 0 or -errno.
 */
int l2tp_ipsec_nl_config_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct l2tp_ipsec_net *ln = info_pernet(info);
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = reply_new(info, L2TP_IPSEC_CMD_CONFIG_GET, &hdr);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&ln->lock);
	err = put_config(msg, ln);
	mutex_unlock(&ln->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* Reads a new port set; every port once, at most L2TP_IPSEC_MAX_PORTS. */
static int parse_ports(struct nlattr *nest, u16 *ports, u8 *nports,
		       struct netlink_ext_ack *extack)
{
	struct nlattr *a;
	unsigned int i;
	int rem;

	*nports = 0;
	nla_for_each_nested(a, nest, rem) {
		u16 port;

		if (nla_type(a) != L2TP_IPSEC_A_PORT)
			continue;
		if (*nports == L2TP_IPSEC_MAX_PORTS) {
			NL_SET_ERR_MSG_ATTR(extack, a, "Too many ports");
			return -EINVAL;
		}
		port = nla_get_u16(a);
		for (i = 0; i < *nports; i++) {
			if (ports[i] == port) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "Port given twice");
				return -EINVAL;
			}
		}
		ports[(*nports)++] = port;
	}
	return 0;
}

/**
 * l2tp_ipsec_nl_config_set_doit - change the namespace's configuration
 * @skb: the request
 * @info: its attributes, validated by the policy of config-set
 *
 * Return: 0 or -errno.
 */
int l2tp_ipsec_nl_config_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[L2TP_IPSEC_A_CONFIG_MAX_BINDINGS + 1];
	struct l2tp_ipsec_net *ln = info_pernet(info);
	struct netlink_ext_ack *extack = info->extack;
	u16 ports[L2TP_IPSEC_MAX_PORTS], old[L2TP_IPSEC_MAX_PORTS];
	u8 nports = 0, nold;
	unsigned int i;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, L2TP_IPSEC_A_CONFIG)) {
		NL_SET_ERR_MSG(extack, "Config attribute missing");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, L2TP_IPSEC_A_CONFIG_MAX_BINDINGS,
			       info->attrs[L2TP_IPSEC_A_CONFIG],
			       l2tp_ipsec_config_set_nl_policy, extack);
	if (err)
		return err;
	if (tb[L2TP_IPSEC_A_CONFIG_PORTS]) {
		err = parse_ports(tb[L2TP_IPSEC_A_CONFIG_PORTS], ports,
				  &nports, extack);
		if (err)
			return err;
	}

	mutex_lock(&ln->lock);
	if (tb[L2TP_IPSEC_A_CONFIG_MAX_BINDINGS] &&
	    nla_get_u32(tb[L2TP_IPSEC_A_CONFIG_MAX_BINDINGS]) < ln->nbindings) {
		NL_SET_ERR_MSG_ATTR(extack, tb[L2TP_IPSEC_A_CONFIG_MAX_BINDINGS],
				    "Fewer than the bindings present");
		err = -EBUSY;
		goto unlock;
	}

	if (tb[L2TP_IPSEC_A_CONFIG_MAX_BINDINGS])
		ln->max_bindings =
			nla_get_u32(tb[L2TP_IPSEC_A_CONFIG_MAX_BINDINGS]);
	if (tb[L2TP_IPSEC_A_CONFIG_POLICY])
		WRITE_ONCE(ln->policy,
			   nla_get_u8(tb[L2TP_IPSEC_A_CONFIG_POLICY]));
	if (tb[L2TP_IPSEC_A_CONFIG_MODE])
		WRITE_ONCE(ln->mode, nla_get_u8(tb[L2TP_IPSEC_A_CONFIG_MODE]));
	if (tb[L2TP_IPSEC_A_CONFIG_PORTS]) {
		nold = ln->nports;
		memcpy(old, ln->ports, sizeof(old));
		memcpy(ln->ports, ports, sizeof(ports));
		ln->nports = nports;
		for (i = 0; i < nold; i++)
			l2tp_ipsec_watch_update(ln, old[i]);
		for (i = 0; i < nports; i++)
			l2tp_ipsec_watch_update(ln, ports[i]);
	}
unlock:
	mutex_unlock(&ln->lock);
	return err;
}

/**
 * l2tp_ipsec_nl_stats_get_doit - counters of the namespace or a binding
 * @skb: the request
 * @info: its attributes, validated by the policy of stats-get
 *
 * Return: 0 or -errno.
 */
int l2tp_ipsec_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct l2tp_ipsec_net *ln = info_pernet(info);
	const struct l2tp_ipsec_binding *b;
	u64 cnt[L2TP_IPSEC_CNT_NUM];
	struct l2tp_ipsec_name name;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (info->attrs[L2TP_IPSEC_A_BINDING]) {
		err = parse_name_req(info, &name);
		if (err)
			return err;
	}

	msg = reply_new(info, L2TP_IPSEC_CMD_STATS_GET, &hdr);
	if (!msg)
		return -ENOMEM;

	if (!info->attrs[L2TP_IPSEC_A_BINDING]) {
		l2tp_ipsec_stats_read(ln, cnt);
		err = put_stats(msg, L2TP_IPSEC_A_STATS, cnt, false);
	} else {
		mutex_lock(&ln->lock);
		b = l2tp_ipsec_binding_find(ln, &name, info->extack);
		if (IS_ERR(b))
			err = PTR_ERR(b);
		else
			err = put_binding_stats(msg, L2TP_IPSEC_A_STATS, b);
		mutex_unlock(&ln->lock);
	}
	if (err)
		goto free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

free:
	nlmsg_free(msg);
	return err;
}

/**
 * l2tp_ipsec_nl_register - register the generic netlink family
 *
 * Return: 0 or -errno.
 */
int l2tp_ipsec_nl_register(void)
{
	return genl_register_family(&l2tp_ipsec_nl_family);
}

/**
 * l2tp_ipsec_nl_unregister - unregister the generic netlink family
 */
void l2tp_ipsec_nl_unregister(void)
{
	genl_unregister_family(&l2tp_ipsec_nl_family);
}
