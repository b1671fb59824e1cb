// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's L2TP generic netlink family: unmanaged tunnels, sessions,
 * dumps and notifications, in plain structs.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>

#include <linux/genetlink.h>

#include "kernel/l2tp.h"
#include "lib/vec.h"

const char *const l2tp_stat_names[L2TP_STAT_COUNT] = {
	[L2TP_STAT_TX_PACKETS]		= "tx_packets",
	[L2TP_STAT_TX_BYTES]		= "tx_bytes",
	[L2TP_STAT_TX_ERRORS]		= "tx_errors",
	[L2TP_STAT_RX_PACKETS]		= "rx_packets",
	[L2TP_STAT_RX_BYTES]		= "rx_bytes",
	[L2TP_STAT_RX_SEQ_DISCARDS]	= "rx_seq_discards",
	[L2TP_STAT_RX_OOS_PACKETS]	= "rx_oos_packets",
	[L2TP_STAT_RX_ERRORS]		= "rx_errors",
	[L2TP_STAT_RX_COOKIE_DISCARDS]	= "rx_cookie_discards",
	[L2TP_STAT_RX_INVALID]		= "rx_invalid",
};

/* enum l2tp_stat of each L2TP_ATTR_STATS attribute; -1: not a counter */
static const int stat_of_attr[L2TP_ATTR_STATS_MAX + 1] = {
	[L2TP_ATTR_STATS_NONE]		= -1,
	[L2TP_ATTR_TX_PACKETS]		= L2TP_STAT_TX_PACKETS,
	[L2TP_ATTR_TX_BYTES]		= L2TP_STAT_TX_BYTES,
	[L2TP_ATTR_TX_ERRORS]		= L2TP_STAT_TX_ERRORS,
	[L2TP_ATTR_RX_PACKETS]		= L2TP_STAT_RX_PACKETS,
	[L2TP_ATTR_RX_BYTES]		= L2TP_STAT_RX_BYTES,
	[L2TP_ATTR_RX_SEQ_DISCARDS]	= L2TP_STAT_RX_SEQ_DISCARDS,
	[L2TP_ATTR_RX_OOS_PACKETS]	= L2TP_STAT_RX_OOS_PACKETS,
	[L2TP_ATTR_RX_ERRORS]		= L2TP_STAT_RX_ERRORS,
	[L2TP_ATTR_STATS_PAD]		= -1,
	[L2TP_ATTR_RX_COOKIE_DISCARDS]	= L2TP_STAT_RX_COOKIE_DISCARDS,
	[L2TP_ATTR_RX_INVALID]		= L2TP_STAT_RX_INVALID,
};

_Static_assert(L2TP_STAT_COUNT <= 32, "l2tp_stats.present is too small");

int l2tp_client_init(struct l2tp_client *lc, struct nl *nl)
{
	struct genl_family fam;
	int ret;

	memset(lc, 0, sizeof(*lc));
	ret = nl_genl_resolve(nl, L2TP_GENL_NAME, L2TP_GENL_MCGROUP, &fam);
	if (ret)
		return ret;
	lc->nl = nl;
	lc->family = fam.id;
	lc->mcgrp_id = fam.mcgrp_id;
	return 0;
}

struct nlmsghdr *l2tp_msg(const struct l2tp_client *lc, void *buf, uint8_t cmd,
			  uint16_t flags)
{
	return nl_genl_start(buf, lc->family, flags, cmd, L2TP_GENL_VERSION);
}

/* ------------------------------------------------------------------------ */
/* Encoding */

void l2tp_put_tunnel(struct nlmsghdr *nlh, const struct l2tp_tunnel *t)
{
	mnl_attr_put_u32(nlh, L2TP_ATTR_CONN_ID, t->tunnel_id);
	mnl_attr_put_u32(nlh, L2TP_ATTR_PEER_CONN_ID, t->peer_tunnel_id);
	mnl_attr_put_u8(nlh, L2TP_ATTR_PROTO_VERSION, t->version);
	mnl_attr_put_u16(nlh, L2TP_ATTR_ENCAP_TYPE, t->encap);
	if (t->local.family == AF_INET6) {
		mnl_attr_put(nlh, L2TP_ATTR_IP6_SADDR, sizeof(t->local.addr.v6),
			     &t->local.addr.v6);
		mnl_attr_put(nlh, L2TP_ATTR_IP6_DADDR, sizeof(t->peer.addr.v6),
			     &t->peer.addr.v6);
	} else {
		mnl_attr_put(nlh, L2TP_ATTR_IP_SADDR, sizeof(t->local.addr.v4),
			     &t->local.addr.v4);
		mnl_attr_put(nlh, L2TP_ATTR_IP_DADDR, sizeof(t->peer.addr.v4),
			     &t->peer.addr.v4);
	}
	if (t->encap == L2TP_ENCAPTYPE_UDP) {
		mnl_attr_put_u16(nlh, L2TP_ATTR_UDP_SPORT, t->local.port);
		mnl_attr_put_u16(nlh, L2TP_ATTR_UDP_DPORT, t->peer.port);
	}
}

void l2tp_put_session(struct nlmsghdr *nlh, const struct l2tp_session *s)
{
	mnl_attr_put_u32(nlh, L2TP_ATTR_CONN_ID, s->tunnel_id);
	mnl_attr_put_u32(nlh, L2TP_ATTR_SESSION_ID, s->session_id);
	mnl_attr_put_u32(nlh, L2TP_ATTR_PEER_SESSION_ID, s->peer_session_id);
	mnl_attr_put_u16(nlh, L2TP_ATTR_PW_TYPE, s->pw_type);
	if (s->l2spec_set)
		mnl_attr_put_u8(nlh, L2TP_ATTR_L2SPEC_TYPE, s->l2spec_type);
	if (s->ifname[0])
		mnl_attr_put_strz(nlh, L2TP_ATTR_IFNAME, s->ifname);
}

/* ------------------------------------------------------------------------ */
/* Decoding */

static const struct nl_policy l2tp_policy[L2TP_ATTR_MAX + 1] = {
	[L2TP_ATTR_PW_TYPE]		= { MNL_TYPE_U16, 0 },
	[L2TP_ATTR_ENCAP_TYPE]		= { MNL_TYPE_U16, 0 },
	[L2TP_ATTR_L2SPEC_TYPE]		= { MNL_TYPE_U8, 0 },
	[L2TP_ATTR_PROTO_VERSION]	= { MNL_TYPE_U8, 0 },
	[L2TP_ATTR_IFNAME]		= { MNL_TYPE_NUL_STRING, 0 },
	[L2TP_ATTR_CONN_ID]		= { MNL_TYPE_U32, 0 },
	[L2TP_ATTR_PEER_CONN_ID]	= { MNL_TYPE_U32, 0 },
	[L2TP_ATTR_SESSION_ID]		= { MNL_TYPE_U32, 0 },
	[L2TP_ATTR_PEER_SESSION_ID]	= { MNL_TYPE_U32, 0 },
	[L2TP_ATTR_UDP_CSUM]		= { MNL_TYPE_U8, 0 },
	[L2TP_ATTR_DEBUG]		= { MNL_TYPE_U32, 0 },
	[L2TP_ATTR_IP_SADDR]		= { MNL_TYPE_U32, 0 },
	[L2TP_ATTR_IP_DADDR]		= { MNL_TYPE_U32, 0 },
	[L2TP_ATTR_UDP_SPORT]		= { MNL_TYPE_U16, 0 },
	[L2TP_ATTR_UDP_DPORT]		= { MNL_TYPE_U16, 0 },
	[L2TP_ATTR_STATS]		= { MNL_TYPE_NESTED, 0 },
	[L2TP_ATTR_IP6_SADDR]		= { MNL_TYPE_BINARY, 16 },
	[L2TP_ATTR_IP6_DADDR]		= { MNL_TYPE_BINARY, 16 },
	[L2TP_ATTR_UDP_ZERO_CSUM6_TX]	= { MNL_TYPE_FLAG, 0 },
	[L2TP_ATTR_UDP_ZERO_CSUM6_RX]	= { MNL_TYPE_FLAG, 0 },
};

static int parse_attrs(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	if (nl_parse_genl(nlh, tb, L2TP_ATTR_MAX) ||
	    nl_validate(tb, l2tp_policy, L2TP_ATTR_MAX))
		return -EPROTO;
	return 0;
}

static int parse_stats(const struct nlattr *nest, struct l2tp_stats *st)
{
	const struct nlattr *tb[L2TP_ATTR_STATS_MAX + 1];
	unsigned int i;
	int s;

	if (nl_parse_nested(nest, tb, L2TP_ATTR_STATS_MAX))
		return -EPROTO;
	for (i = 0; i <= L2TP_ATTR_STATS_MAX; i++) {
		s = stat_of_attr[i];
		if (!tb[i] || s < 0)
			continue;
		if (mnl_attr_validate(tb[i], MNL_TYPE_U64))
			return -EPROTO;
		st->val[s] = mnl_attr_get_u64(tb[i]);
		st->present |= 1u << s;
	}
	return 0;
}

/* Addresses of one family: both of v4, both of v6, or none at all. */
static int parse_addrs(const struct nlattr *const *tb, struct l2tp_tunnel *t)
{
	const struct nlattr *s4 = tb[L2TP_ATTR_IP_SADDR], *d4 = tb[L2TP_ATTR_IP_DADDR];
	const struct nlattr *s6 = tb[L2TP_ATTR_IP6_SADDR], *d6 = tb[L2TP_ATTR_IP6_DADDR];

	t->local.family = t->peer.family = AF_UNSPEC;
	if ((s4 || d4) && (s6 || d6))
		return -EPROTO;
	if (s4 || d4) {
		if (!s4 || !d4)
			return -EPROTO;
		t->local.family = t->peer.family = AF_INET;
		memcpy(&t->local.addr.v4, mnl_attr_get_payload(s4), 4);
		memcpy(&t->peer.addr.v4, mnl_attr_get_payload(d4), 4);
	} else if (s6 || d6) {
		if (!s6 || !d6)
			return -EPROTO;
		t->local.family = t->peer.family = AF_INET6;
		memcpy(&t->local.addr.v6, mnl_attr_get_payload(s6), 16);
		memcpy(&t->peer.addr.v6, mnl_attr_get_payload(d6), 16);
	}
	if (tb[L2TP_ATTR_UDP_SPORT])
		t->local.port = mnl_attr_get_u16(tb[L2TP_ATTR_UDP_SPORT]);
	if (tb[L2TP_ATTR_UDP_DPORT])
		t->peer.port = mnl_attr_get_u16(tb[L2TP_ATTR_UDP_DPORT]);
	return 0;
}

int l2tp_parse_tunnel(const struct nlmsghdr *nlh, struct l2tp_tunnel *t)
{
	const struct nlattr *tb[L2TP_ATTR_MAX + 1];

	memset(t, 0, sizeof(*t));
	if (parse_attrs(nlh, tb) || !tb[L2TP_ATTR_CONN_ID])
		return -EPROTO;
	t->tunnel_id = mnl_attr_get_u32(tb[L2TP_ATTR_CONN_ID]);
	if (tb[L2TP_ATTR_PEER_CONN_ID])
		t->peer_tunnel_id = mnl_attr_get_u32(tb[L2TP_ATTR_PEER_CONN_ID]);
	if (tb[L2TP_ATTR_PROTO_VERSION])
		t->version = mnl_attr_get_u8(tb[L2TP_ATTR_PROTO_VERSION]);
	if (tb[L2TP_ATTR_ENCAP_TYPE])
		t->encap = mnl_attr_get_u16(tb[L2TP_ATTR_ENCAP_TYPE]);
	if (tb[L2TP_ATTR_UDP_CSUM])
		t->udp_csum = mnl_attr_get_u8(tb[L2TP_ATTR_UDP_CSUM]) != 0;
	t->udp6_zero_csum_tx = tb[L2TP_ATTR_UDP_ZERO_CSUM6_TX] != NULL;
	t->udp6_zero_csum_rx = tb[L2TP_ATTR_UDP_ZERO_CSUM6_RX] != NULL;
	if (parse_addrs(tb, t))
		return -EPROTO;
	if (tb[L2TP_ATTR_STATS] && parse_stats(tb[L2TP_ATTR_STATS], &t->stats))
		return -EPROTO;
	return 0;
}

static int get_cookie(const struct nlattr *a, uint8_t *buf, uint8_t *len)
{
	uint16_t n;

	if (!a)
		return 0;
	n = mnl_attr_get_payload_len(a);
	if (n > 8)
		return -EPROTO;
	memcpy(buf, mnl_attr_get_payload(a), n);
	*len = (uint8_t)n;
	return 0;
}

int l2tp_parse_session(const struct nlmsghdr *nlh, struct l2tp_session *s)
{
	const struct nlattr *tb[L2TP_ATTR_MAX + 1];
	const char *name;

	memset(s, 0, sizeof(*s));
	if (parse_attrs(nlh, tb) || !tb[L2TP_ATTR_CONN_ID] ||
	    !tb[L2TP_ATTR_SESSION_ID])
		return -EPROTO;
	s->tunnel_id = mnl_attr_get_u32(tb[L2TP_ATTR_CONN_ID]);
	s->session_id = mnl_attr_get_u32(tb[L2TP_ATTR_SESSION_ID]);
	if (tb[L2TP_ATTR_PEER_CONN_ID])
		s->peer_tunnel_id = mnl_attr_get_u32(tb[L2TP_ATTR_PEER_CONN_ID]);
	if (tb[L2TP_ATTR_PEER_SESSION_ID])
		s->peer_session_id = mnl_attr_get_u32(tb[L2TP_ATTR_PEER_SESSION_ID]);
	if (tb[L2TP_ATTR_PW_TYPE])
		s->pw_type = mnl_attr_get_u16(tb[L2TP_ATTR_PW_TYPE]);
	if (tb[L2TP_ATTR_IFNAME]) {
		name = mnl_attr_get_str(tb[L2TP_ATTR_IFNAME]);
		if (strlen(name) >= sizeof(s->ifname))
			return -EPROTO;
		strcpy(s->ifname, name);
	}
	if (get_cookie(tb[L2TP_ATTR_COOKIE], s->cookie, &s->cookie_len) ||
	    get_cookie(tb[L2TP_ATTR_PEER_COOKIE], s->peer_cookie,
		       &s->peer_cookie_len))
		return -EPROTO;
	if (tb[L2TP_ATTR_STATS] && parse_stats(tb[L2TP_ATTR_STATS], &s->stats))
		return -EPROTO;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Requests */

static int simple_request(struct l2tp_client *lc, struct nlmsghdr *nlh)
{
	return nl_transact(lc->nl, nlh, NULL, NULL);
}

int l2tp_tunnel_create(struct l2tp_client *lc, const struct l2tp_tunnel *t)
{
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;

	nlh = l2tp_msg(lc, buf, L2TP_CMD_TUNNEL_CREATE, 0);
	l2tp_put_tunnel(nlh, t);
	return simple_request(lc, nlh);
}

int l2tp_session_create(struct l2tp_client *lc, const struct l2tp_session *s)
{
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;

	nlh = l2tp_msg(lc, buf, L2TP_CMD_SESSION_CREATE, 0);
	l2tp_put_session(nlh, s);
	return simple_request(lc, nlh);
}

int l2tp_tunnel_delete(struct l2tp_client *lc, uint32_t tunnel_id)
{
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;

	nlh = l2tp_msg(lc, buf, L2TP_CMD_TUNNEL_DELETE, 0);
	mnl_attr_put_u32(nlh, L2TP_ATTR_CONN_ID, tunnel_id);
	return simple_request(lc, nlh);
}

int l2tp_session_delete(struct l2tp_client *lc, uint32_t tunnel_id,
			uint32_t session_id)
{
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;

	nlh = l2tp_msg(lc, buf, L2TP_CMD_SESSION_DELETE, 0);
	mnl_attr_put_u32(nlh, L2TP_ATTR_CONN_ID, tunnel_id);
	mnl_attr_put_u32(nlh, L2TP_ATTR_SESSION_ID, session_id);
	return simple_request(lc, nlh);
}

/* Replies of TUNNEL_GET and SESSION_GET, do or dump. */
struct reply {
	const struct l2tp_client *lc;
	l2tp_tunnel_fn tunnel_fn;
	l2tp_session_fn session_fn;
	void *data;
	struct l2tp_tunnel *out;
	bool got;
};

static int reply_cb(const struct nlmsghdr *nlh, void *data)
{
	struct reply *r = data;
	struct l2tp_session s;
	struct l2tp_tunnel t;
	int ret;

	if (nlh->nlmsg_type != r->lc->family) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	if (r->session_fn) {
		ret = l2tp_parse_session(nlh, &s);
		if (!ret)
			ret = r->session_fn(&s, r->data);
	} else {
		ret = l2tp_parse_tunnel(nlh, &t);
		if (!ret && r->tunnel_fn)
			ret = r->tunnel_fn(&t, r->data);
		if (!ret && r->out)
			*r->out = t;
	}
	if (ret) {
		errno = -ret;
		return MNL_CB_ERROR;
	}
	r->got = true;
	return MNL_CB_OK;
}

int l2tp_tunnel_get(struct l2tp_client *lc, uint32_t tunnel_id,
		    struct l2tp_tunnel *out)
{
	struct reply r = { .lc = lc, .out = out };
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	int ret;

	nlh = l2tp_msg(lc, buf, L2TP_CMD_TUNNEL_GET, 0);
	mnl_attr_put_u32(nlh, L2TP_ATTR_CONN_ID, tunnel_id);
	ret = nl_transact(lc->nl, nlh, reply_cb, &r);
	if (ret)
		return ret;
	return r.got ? 0 : -ENODATA;
}

int l2tp_tunnel_wait_gone(struct l2tp_client *lc, uint32_t tunnel_id,
			  unsigned int timeout_ms)
{
	const struct timespec tick = { .tv_nsec = 10 * 1000 * 1000 };
	struct l2tp_tunnel t;
	unsigned int waited;
	int ret;

	for (waited = 0;; waited += 10) {
		ret = l2tp_tunnel_get(lc, tunnel_id, &t);
		if (ret == -ENODEV)
			return 0;
		if (ret)
			return ret;
		if (waited >= timeout_ms)
			return -ETIMEDOUT;
		nanosleep(&tick, NULL);
	}
}

int l2tp_tunnel_dump(struct l2tp_client *lc, l2tp_tunnel_fn fn, void *data)
{
	struct reply r = { .lc = lc, .tunnel_fn = fn, .data = data };
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;

	nlh = l2tp_msg(lc, buf, L2TP_CMD_TUNNEL_GET, NLM_F_DUMP);
	return nl_transact(lc->nl, nlh, reply_cb, &r);
}

int l2tp_tunnel_collect(const struct l2tp_tunnel *t, void *vec)
{
	return vec_push(vec, t, sizeof(*t));
}

int l2tp_session_collect(const struct l2tp_session *s, void *vec)
{
	return vec_push(vec, s, sizeof(*s));
}

int l2tp_session_dump(struct l2tp_client *lc, l2tp_session_fn fn, void *data)
{
	struct reply r = { .lc = lc, .session_fn = fn, .data = data };
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;

	nlh = l2tp_msg(lc, buf, L2TP_CMD_SESSION_GET, NLM_F_DUMP);
	return nl_transact(lc->nl, nlh, reply_cb, &r);
}

/* ------------------------------------------------------------------------ */
/* Notifications */

int l2tp_join_events(struct l2tp_client *lc)
{
	if (!lc->mcgrp_id)
		return -ENOENT;
	return nl_join_group(lc->nl, lc->mcgrp_id);
}

int l2tp_event_parse(const struct l2tp_client *lc, const struct nlmsghdr *nlh,
		     struct l2tp_event *ev)
{
	const struct genlmsghdr *genl;

	if (nlh->nlmsg_type != lc->family ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl))
		return 0;
	genl = mnl_nlmsg_get_payload(nlh);
	memset(ev, 0, sizeof(*ev));
	ev->cmd = genl->cmd;
	switch (genl->cmd) {
	case L2TP_CMD_TUNNEL_CREATE:
	case L2TP_CMD_TUNNEL_DELETE:
	case L2TP_CMD_TUNNEL_MODIFY:
		return l2tp_parse_tunnel(nlh, &ev->tunnel) ? -EPROTO : 1;
	case L2TP_CMD_SESSION_CREATE:
	case L2TP_CMD_SESSION_DELETE:
	case L2TP_CMD_SESSION_MODIFY:
		return l2tp_parse_session(nlh, &ev->session) ? -EPROTO : 1;
	default:
		return 0;
	}
}

struct events {
	const struct l2tp_client *lc;
	l2tp_event_fn fn;
	void *data;
};

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct events *e = data;
	struct l2tp_event ev;
	int ret;

	if (l2tp_event_parse(e->lc, nlh, &ev) != 1)
		return MNL_CB_OK;
	ret = e->fn(&ev, e->data);
	if (ret < 0) {
		errno = -ret;
		return MNL_CB_ERROR;
	}
	return ret ? MNL_CB_STOP : MNL_CB_OK;
}

int l2tp_recv_events(struct l2tp_client *lc, l2tp_event_fn fn, void *data)
{
	struct events e = { .lc = lc, .fn = fn, .data = data };

	return nl_recv_events(lc->nl, event_cb, &e);
}

/* ------------------------------------------------------------------------ */
/* Names */

const char *l2tp_encap_name(uint16_t encap, char *buf, size_t len)
{
	switch (encap) {
	case L2TP_ENCAPTYPE_UDP:
		return "udp";
	case L2TP_ENCAPTYPE_IP:
		return "ip";
	}
	snprintf(buf, len, "%u", encap);
	return buf;
}

const char *l2tp_pw_name(uint16_t pw_type, char *buf, size_t len)
{
	switch (pw_type) {
	case L2TP_PWTYPE_NONE:
		return "none";
	case L2TP_PWTYPE_ETH_VLAN:
		return "eth-vlan";
	case L2TP_PWTYPE_ETH:
		return "eth";
	case L2TP_PWTYPE_PPP:
		return "ppp";
	case L2TP_PWTYPE_PPP_AC:
		return "ppp-ac";
	case L2TP_PWTYPE_IP:
		return "ip";
	}
	snprintf(buf, len, "%u", pw_type);
	return buf;
}
