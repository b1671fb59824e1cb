// SPDX-License-Identifier: GPL-2.0
/*
 * nlhelp - libmnl helpers for the l2tp_ipsec generic netlink selftests.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nlhelp.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

double nlh_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* NLH_DEBUG=1 in the environment logs every message received. */
static bool nlh_debug;

static void __attribute__((constructor)) nlh_debug_init(void)
{
	const char *e = getenv("NLH_DEBUG");

	nlh_debug = e && *e && strcmp(e, "0");
}

/* ------------------------------------------------------------------------ */
/* Messages */

static struct nlmsghdr *msg_start(struct nlh *h, uint16_t type, uint8_t cmd,
				  uint8_t version, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(h->buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

struct nlmsghdr *nlh_req(struct nlh *h, uint8_t cmd, uint16_t flags)
{
	return msg_start(h, h->family, cmd, L2TP_IPSEC_GENL_VERSION, flags);
}

static void ext_clear(struct nlh *h)
{
	h->ext_msg[0] = '\0';
	h->has_offs = false;
	h->ext_offs = 0;
	h->has_miss_type = false;
	h->miss_type = 0;
}

static int ext_attr_cb(const struct nlattr *a, void *data)
{
	struct nlh *h = data;

	switch (mnl_attr_get_type(a)) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			snprintf(h->ext_msg, sizeof(h->ext_msg), "%s",
				 mnl_attr_get_str(a));
		break;
	case NLMSGERR_ATTR_OFFS:
		if (mnl_attr_validate(a, MNL_TYPE_U32) == 0) {
			h->has_offs = true;
			h->ext_offs = mnl_attr_get_u32(a);
		}
		break;
	case NLMSGERR_ATTR_MISS_TYPE:
		if (mnl_attr_validate(a, MNL_TYPE_U32) == 0) {
			h->has_miss_type = true;
			h->miss_type = mnl_attr_get_u32(a);
		}
		break;
	default:
		break;
	}
	return MNL_CB_OK;
}

/* The errno of an NLMSG_ERROR or NLMSG_DONE message; records its TLVs. */
static int msg_status(struct nlh *h, const struct nlmsghdr *m)
{
	const char *payload = mnl_nlmsg_get_payload(m);
	size_t plen = mnl_nlmsg_get_payload_len(m);
	size_t off;
	int err;

	if (m->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = (const void *)payload;

		if (plen < sizeof(*e))
			return -EBADMSG;
		err = e->error;
		off = sizeof(*e);
		if (!(m->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	} else {
		if (plen < sizeof(int))
			return 0;
		memcpy(&err, payload, sizeof(err));
		off = sizeof(int);
	}
	if ((m->nlmsg_flags & NLM_F_ACK_TLVS) && off < plen && !h->ext_msg[0])
		mnl_attr_parse_payload(payload + off, plen - off, ext_attr_cb, h);
	return err;
}

/*
 * Read until every request with a sequence number in [first, last] has its
 * ACK (or NLMSG_DONE). Returns the first error; *err_idx is its offset.
 */
static int collect(struct nlh *h, uint32_t first, uint32_t last,
		   nlh_cb cb, void *data, int *err_idx)
{
	int pending = last - first + 1;
	int ret = 0;

	h->recvs = 0;
	while (pending > 0) {
		const struct nlmsghdr *m;
		ssize_t n;
		int len;

		n = mnl_socket_recvfrom(h->sock, h->rbuf, NLH_BUFSZ);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return ret ? ret : -errno;
		}
		h->recvs++;
		len = n;
		for (m = (const void *)h->rbuf; mnl_nlmsg_ok(m, len);
		     m = mnl_nlmsg_next(m, &len)) {
			int err;

			if (nlh_debug)
				fprintf(stderr, "# nlh: recv type %u flags 0x%x seq %u pid %u len %u (want seq %u..%u pid %u, pending %d)\n",
					m->nlmsg_type, m->nlmsg_flags, m->nlmsg_seq,
					m->nlmsg_pid, m->nlmsg_len, first, last,
					h->portid, pending);

			if (m->nlmsg_pid != h->portid ||
			    m->nlmsg_seq < first || m->nlmsg_seq > last)
				continue;	/* multicast or stale */
			switch (m->nlmsg_type) {
			case NLMSG_NOOP:
			case NLMSG_OVERRUN:
				break;
			case NLMSG_ERROR:
			case NLMSG_DONE:
				pending--;
				err = msg_status(h, m);
				if (err && !ret) {
					ret = err;
					if (err_idx)
						*err_idx = m->nlmsg_seq - first;
				}
				break;
			default:
				if (cb) {
					err = cb(m, data);
					if (err < 0 && !ret)
						ret = err;
				}
				break;
			}
		}
	}
	return ret;
}

int nlh_talk(struct nlh *h, struct nlmsghdr *req, nlh_cb cb, void *data)
{
	if ((req->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		req->nlmsg_flags |= NLM_F_ACK;
	req->nlmsg_seq = ++h->seq;
	ext_clear(h);
	if (nlh_debug)
		fprintf(stderr, "# nlh: send type %u cmd %u flags 0x%x seq %u len %u\n",
			req->nlmsg_type, ((struct genlmsghdr *)mnl_nlmsg_get_payload(req))->cmd,
			req->nlmsg_flags, req->nlmsg_seq, req->nlmsg_len);
	if (mnl_socket_sendto(h->sock, req, req->nlmsg_len) < 0)
		return -errno;
	return collect(h, req->nlmsg_seq, req->nlmsg_seq, cb, data, NULL);
}

int nlh_simple(struct nlh *h, uint8_t cmd, nlh_cb cb, void *data)
{
	return nlh_talk(h, nlh_req(h, cmd, 0), cb, data);
}

/* ------------------------------------------------------------------------ */
/* Socket and family */

static int op_cb(const struct nlattr *a, void *data)
{
	struct nlh *h = data;
	struct nlattr *in;
	uint32_t id = 0, flags = 0;
	bool has_id = false;

	mnl_attr_for_each_nested(in, a) {
		if (mnl_attr_validate(in, MNL_TYPE_U32))
			continue;
		if (mnl_attr_get_type(in) == CTRL_ATTR_OP_ID) {
			id = mnl_attr_get_u32(in);
			has_id = true;
		} else if (mnl_attr_get_type(in) == CTRL_ATTR_OP_FLAGS) {
			flags = mnl_attr_get_u32(in);
		}
	}
	if (has_id && id <= L2TP_IPSEC_CMD_MAX) {
		h->ops[id].present = true;
		h->ops[id].flags = flags;
	}
	return MNL_CB_OK;
}

static int grp_cb(const struct nlattr *a, void *data)
{
	struct nlh *h = data;
	struct nlattr *in;
	const char *name = NULL;
	uint32_t id = 0;

	mnl_attr_for_each_nested(in, a) {
		if (mnl_attr_get_type(in) == CTRL_ATTR_MCAST_GRP_NAME &&
		    mnl_attr_validate(in, MNL_TYPE_NUL_STRING) == 0)
			name = mnl_attr_get_str(in);
		else if (mnl_attr_get_type(in) == CTRL_ATTR_MCAST_GRP_ID &&
			 mnl_attr_validate(in, MNL_TYPE_U32) == 0)
			id = mnl_attr_get_u32(in);
	}
	if (name && !strcmp(name, L2TP_IPSEC_MCGRP_EVENTS))
		h->events_grp = id;
	return MNL_CB_OK;
}

static int family_attr_cb(const struct nlattr *a, void *data)
{
	struct nlh *h = data;

	switch (mnl_attr_get_type(a)) {
	case CTRL_ATTR_FAMILY_ID:
		if (mnl_attr_validate(a, MNL_TYPE_U16) == 0)
			h->family = mnl_attr_get_u16(a);
		break;
	case CTRL_ATTR_VERSION:
		if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			h->version = mnl_attr_get_u32(a);
		break;
	case CTRL_ATTR_MAXATTR:
		if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			h->maxattr = mnl_attr_get_u32(a);
		break;
	case CTRL_ATTR_OPS:
		mnl_attr_parse_nested(a, op_cb, h);
		break;
	case CTRL_ATTR_MCAST_GROUPS:
		mnl_attr_parse_nested(a, grp_cb, h);
		break;
	default:
		break;
	}
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *m, void *data)
{
	mnl_attr_parse(m, sizeof(struct genlmsghdr), family_attr_cb, data);
	return 0;
}

int nlh_open(struct nlh *h, const char *family_name)
{
	struct nlmsghdr *req;
	int one = 1, rcvbuf = 4 << 20;
	int err;

	memset(h, 0, sizeof(*h));
	h->buf = malloc(NLH_BUFSZ);
	h->rbuf = malloc(NLH_BUFSZ);
	if (!h->buf || !h->rbuf) {
		err = -ENOMEM;
		goto fail;
	}
	h->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!h->sock) {
		err = -errno;
		goto fail;
	}
	if (mnl_socket_setsockopt(h->sock, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    mnl_socket_setsockopt(h->sock, NETLINK_CAP_ACK, &one, sizeof(one))) {
		err = -errno;
		goto fail;
	}
	/* Room for many ACKs of a batch; only root may force it, fine if not. */
	if (setsockopt(mnl_socket_get_fd(h->sock), SOL_SOCKET, SO_RCVBUFFORCE,
		       &rcvbuf, sizeof(rcvbuf)))
		setsockopt(mnl_socket_get_fd(h->sock), SOL_SOCKET, SO_RCVBUF,
			   &rcvbuf, sizeof(rcvbuf));
	if (mnl_socket_bind(h->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		goto fail;
	}
	h->portid = mnl_socket_get_portid(h->sock);

	req = msg_start(h, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	mnl_attr_put_strz(req, CTRL_ATTR_FAMILY_NAME, family_name);
	err = nlh_talk(h, req, family_cb, h);
	if (!err && !h->family)
		err = -ENOENT;
	if (err)
		goto fail;
	return 0;

fail:
	nlh_close(h);
	return err;
}

void nlh_close(struct nlh *h)
{
	if (h->sock)
		mnl_socket_close(h->sock);
	free(h->buf);
	free(h->rbuf);
	h->sock = NULL;
	h->buf = NULL;
	h->rbuf = NULL;
}

int nlh_join_events(struct nlh *h)
{
	uint32_t grp = h->events_grp;

	if (!grp)
		return -ENOENT;
	if (mnl_socket_setsockopt(h->sock, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)))
		return -errno;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Bindings */

static void binding_addrs(struct binding *b, int af, const char *local,
			  uint16_t lport, const char *peer, uint16_t pport)
{
	memset(b, 0, sizeof(*b));
	if (af == AF_INET) {
		if (inet_pton(AF_INET, local, &b->local4) != 1)
			abort();
		b->present |= B_BIT(LOCAL_IPV4);
		if (peer) {
			if (inet_pton(AF_INET, peer, &b->peer4) != 1)
				abort();
			b->present |= B_BIT(PEER_IPV4);
		}
	} else {
		if (inet_pton(AF_INET6, local, &b->local6) != 1)
			abort();
		b->present |= B_BIT(LOCAL_IPV6);
		if (peer) {
			if (inet_pton(AF_INET6, peer, &b->peer6) != 1)
				abort();
			b->present |= B_BIT(PEER_IPV6);
		}
	}
	BSET(b, LOCAL_PORT, local_port, lport);
	if (pport)
		BSET(b, PEER_PORT, peer_port, pport);
}

void binding_v4(struct binding *b, const char *local, uint16_t lport,
		const char *peer, uint16_t pport)
{
	binding_addrs(b, AF_INET, local, lport, peer, pport);
}

void binding_v6(struct binding *b, const char *local, uint16_t lport,
		const char *peer, uint16_t pport)
{
	binding_addrs(b, AF_INET6, local, lport, peer, pport);
}

void binding_put_attrs(struct nlmsghdr *nlh, const struct binding *b, uint32_t mask)
{
	uint32_t p = b->present & mask;

	if (p & B_BIT(ID))
		mnl_attr_put_u32(nlh, L2TP_IPSEC_A_BINDING_ID, b->id);
	if (p & B_BIT(LOCAL_IPV4))
		mnl_attr_put_u32(nlh, L2TP_IPSEC_A_BINDING_LOCAL_IPV4, b->local4);
	if (p & B_BIT(LOCAL_IPV6))
		mnl_attr_put(nlh, L2TP_IPSEC_A_BINDING_LOCAL_IPV6,
			     sizeof(b->local6), &b->local6);
	if (p & B_BIT(LOCAL_PORT))
		mnl_attr_put_u16(nlh, L2TP_IPSEC_A_BINDING_LOCAL_PORT, b->local_port);
	if (p & B_BIT(PEER_IPV4))
		mnl_attr_put_u32(nlh, L2TP_IPSEC_A_BINDING_PEER_IPV4, b->peer4);
	if (p & B_BIT(PEER_IPV6))
		mnl_attr_put(nlh, L2TP_IPSEC_A_BINDING_PEER_IPV6,
			     sizeof(b->peer6), &b->peer6);
	if (p & B_BIT(PEER_PORT))
		mnl_attr_put_u16(nlh, L2TP_IPSEC_A_BINDING_PEER_PORT, b->peer_port);
	if (p & B_BIT(REQID))
		mnl_attr_put_u32(nlh, L2TP_IPSEC_A_BINDING_REQID, b->reqid);
	if (p & B_BIT(SPI))
		mnl_attr_put_u32(nlh, L2TP_IPSEC_A_BINDING_SPI, b->spi);
	if (p & B_BIT(ENCAP_SPORT))
		mnl_attr_put_u16(nlh, L2TP_IPSEC_A_BINDING_ENCAP_SPORT, b->encap_sport);
	if (p & B_BIT(ENCAP_DPORT))
		mnl_attr_put_u16(nlh, L2TP_IPSEC_A_BINDING_ENCAP_DPORT, b->encap_dport);
	if (p & B_BIT(L2TP_VERSION))
		mnl_attr_put_u8(nlh, L2TP_IPSEC_A_BINDING_L2TP_VERSION, b->version);
	if (p & B_BIT(V2_TUNNEL_ID))
		mnl_attr_put_u16(nlh, L2TP_IPSEC_A_BINDING_V2_TUNNEL_ID, b->v2_tunnel_id);
	if (p & B_BIT(ALLOW_AH))
		mnl_attr_put(nlh, L2TP_IPSEC_A_BINDING_ALLOW_AH, 0, NULL);
	if (p & B_BIT(MODE))
		mnl_attr_put_u8(nlh, L2TP_IPSEC_A_BINDING_MODE, b->mode);
	if (p & B_BIT(OWNER))
		mnl_attr_put_u32(nlh, L2TP_IPSEC_A_BINDING_OWNER, b->owner);
}

void binding_put(struct nlmsghdr *nlh, const struct binding *b, uint32_t mask)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, L2TP_IPSEC_A_BINDING);

	binding_put_attrs(nlh, b, mask);
	mnl_attr_nest_end(nlh, nest);
}

static int stats_attr_cb(const struct nlattr *a, void *data)
{
	struct stats *s = data;
	uint16_t t = mnl_attr_get_type(a);

	if (t == L2TP_IPSEC_A_STATS_PAD)
		return MNL_CB_OK;
	if (t == L2TP_IPSEC_A_STATS_UNSPEC || t > L2TP_IPSEC_A_STATS_MAX)
		return MNL_CB_ERROR;
	if (mnl_attr_validate(a, MNL_TYPE_U64))
		return MNL_CB_ERROR;
	if (s->present & NLH_BIT(t))
		return MNL_CB_ERROR;	/* twice */
	s->present |= NLH_BIT(t);
	s->v[t] = mnl_attr_get_u64(a);
	return MNL_CB_OK;
}

int stats_parse(const struct nlattr *nest, struct stats *s)
{
	memset(s, 0, sizeof(*s));
	if (mnl_attr_parse_nested(nest, stats_attr_cb, s) < 0)
		return -EBADMSG;
	return 0;
}

static int binding_attr_cb(const struct nlattr *a, void *data)
{
	static const enum mnl_attr_data_type type[] = {
		[L2TP_IPSEC_A_BINDING_ID] = MNL_TYPE_U32,
		[L2TP_IPSEC_A_BINDING_LOCAL_IPV4] = MNL_TYPE_U32,
		[L2TP_IPSEC_A_BINDING_LOCAL_PORT] = MNL_TYPE_U16,
		[L2TP_IPSEC_A_BINDING_PEER_IPV4] = MNL_TYPE_U32,
		[L2TP_IPSEC_A_BINDING_PEER_PORT] = MNL_TYPE_U16,
		[L2TP_IPSEC_A_BINDING_REQID] = MNL_TYPE_U32,
		[L2TP_IPSEC_A_BINDING_SPI] = MNL_TYPE_U32,
		[L2TP_IPSEC_A_BINDING_ENCAP_SPORT] = MNL_TYPE_U16,
		[L2TP_IPSEC_A_BINDING_ENCAP_DPORT] = MNL_TYPE_U16,
		[L2TP_IPSEC_A_BINDING_L2TP_VERSION] = MNL_TYPE_U8,
		[L2TP_IPSEC_A_BINDING_V2_TUNNEL_ID] = MNL_TYPE_U16,
		[L2TP_IPSEC_A_BINDING_ALLOW_AH] = MNL_TYPE_FLAG,
		[L2TP_IPSEC_A_BINDING_MODE] = MNL_TYPE_U8,
		[L2TP_IPSEC_A_BINDING_STATS] = MNL_TYPE_NESTED,
		[L2TP_IPSEC_A_BINDING_OWNER] = MNL_TYPE_U32,
	};
	struct binding *b = data;
	uint16_t t = mnl_attr_get_type(a);

	if (t == L2TP_IPSEC_A_BINDING_UNSPEC || t > L2TP_IPSEC_A_BINDING_MAX)
		return MNL_CB_ERROR;
	if (b->present & NLH_BIT(t))
		return MNL_CB_ERROR;	/* twice */
	if (t == L2TP_IPSEC_A_BINDING_LOCAL_IPV6 || t == L2TP_IPSEC_A_BINDING_PEER_IPV6) {
		if (mnl_attr_get_payload_len(a) != sizeof(struct in6_addr))
			return MNL_CB_ERROR;
	} else if (mnl_attr_validate(a, type[t])) {
		return MNL_CB_ERROR;
	}
	b->present |= NLH_BIT(t);

	switch (t) {
	case L2TP_IPSEC_A_BINDING_ID:
		b->id = mnl_attr_get_u32(a);
		break;
	case L2TP_IPSEC_A_BINDING_LOCAL_IPV4:
		b->local4 = mnl_attr_get_u32(a);
		break;
	case L2TP_IPSEC_A_BINDING_LOCAL_IPV6:
		memcpy(&b->local6, mnl_attr_get_payload(a), sizeof(b->local6));
		break;
	case L2TP_IPSEC_A_BINDING_LOCAL_PORT:
		b->local_port = mnl_attr_get_u16(a);
		break;
	case L2TP_IPSEC_A_BINDING_PEER_IPV4:
		b->peer4 = mnl_attr_get_u32(a);
		break;
	case L2TP_IPSEC_A_BINDING_PEER_IPV6:
		memcpy(&b->peer6, mnl_attr_get_payload(a), sizeof(b->peer6));
		break;
	case L2TP_IPSEC_A_BINDING_PEER_PORT:
		b->peer_port = mnl_attr_get_u16(a);
		break;
	case L2TP_IPSEC_A_BINDING_REQID:
		b->reqid = mnl_attr_get_u32(a);
		break;
	case L2TP_IPSEC_A_BINDING_SPI:
		b->spi = mnl_attr_get_u32(a);
		break;
	case L2TP_IPSEC_A_BINDING_ENCAP_SPORT:
		b->encap_sport = mnl_attr_get_u16(a);
		break;
	case L2TP_IPSEC_A_BINDING_ENCAP_DPORT:
		b->encap_dport = mnl_attr_get_u16(a);
		break;
	case L2TP_IPSEC_A_BINDING_L2TP_VERSION:
		b->version = mnl_attr_get_u8(a);
		break;
	case L2TP_IPSEC_A_BINDING_V2_TUNNEL_ID:
		b->v2_tunnel_id = mnl_attr_get_u16(a);
		break;
	case L2TP_IPSEC_A_BINDING_ALLOW_AH:
		break;
	case L2TP_IPSEC_A_BINDING_MODE:
		b->mode = mnl_attr_get_u8(a);
		break;
	case L2TP_IPSEC_A_BINDING_OWNER:
		b->owner = mnl_attr_get_u32(a);
		break;
	case L2TP_IPSEC_A_BINDING_STATS:
		if (stats_parse(a, &b->stats))
			return MNL_CB_ERROR;
		break;
	}
	return MNL_CB_OK;
}

int binding_parse(const struct nlattr *nest, struct binding *b)
{
	memset(b, 0, sizeof(*b));
	if (mnl_attr_parse_nested(nest, binding_attr_cb, b) < 0)
		return -EBADMSG;
	return 0;
}

struct top_find {
	uint16_t type;
	const struct nlattr *found;
	int count;
};

static int top_find_cb(const struct nlattr *a, void *data)
{
	struct top_find *f = data;

	f->count++;
	if (mnl_attr_get_type(a) == f->type)
		f->found = a;
	return MNL_CB_OK;
}

/* The only top-level attribute of a reply, which must be of @type. */
static const struct nlattr *reply_nest(const struct nlmsghdr *m, uint16_t type)
{
	struct top_find f = { .type = type };

	if (mnl_attr_parse(m, sizeof(struct genlmsghdr), top_find_cb, &f) < 0)
		return NULL;
	if (f.count != 1 || !f.found ||
	    mnl_attr_validate(f.found, MNL_TYPE_NESTED))
		return NULL;
	return f.found;
}

int binding_parse_msg(const struct nlmsghdr *m, struct binding *b)
{
	const struct nlattr *nest = reply_nest(m, L2TP_IPSEC_A_BINDING);

	if (!nest)
		return -EBADMSG;
	return binding_parse(nest, b);
}

const char *binding_str(const struct binding *b, char *buf, size_t len)
{
	char l[INET6_ADDRSTRLEN] = "?", p[INET6_ADDRSTRLEN] = "*";
	char pp[8] = "*";

	if (b->present & B_BIT(LOCAL_IPV4))
		inet_ntop(AF_INET, &b->local4, l, sizeof(l));
	if (b->present & B_BIT(LOCAL_IPV6))
		inet_ntop(AF_INET6, &b->local6, l, sizeof(l));
	if (b->present & B_BIT(PEER_IPV4))
		inet_ntop(AF_INET, &b->peer4, p, sizeof(p));
	if (b->present & B_BIT(PEER_IPV6))
		inet_ntop(AF_INET6, &b->peer6, p, sizeof(p));
	if (b->present & B_BIT(PEER_PORT))
		snprintf(pp, sizeof(pp), "%u", b->peer_port);
	snprintf(buf, len, "[%s]:%u <- [%s]:%s", l, b->local_port, p, pp);
	return buf;
}

int nlh_binding_add(struct nlh *h, const struct binding *b)
{
	struct nlmsghdr *req = nlh_req(h, L2TP_IPSEC_CMD_BINDING_ADD, 0);

	binding_put(req, b, ~0u);
	return nlh_talk(h, req, NULL, NULL);
}

int nlh_binding_del(struct nlh *h, const struct binding *key)
{
	struct nlmsghdr *req = nlh_req(h, L2TP_IPSEC_CMD_BINDING_DEL, 0);

	binding_put(req, key, B_NAME_BITS);
	return nlh_talk(h, req, NULL, NULL);
}

struct get_ctx {
	struct binding *out;
	int count;
};

static int get_cb(const struct nlmsghdr *m, void *data)
{
	struct get_ctx *c = data;

	if (c->count++)
		return -E2BIG;		/* more than one reply */
	return binding_parse_msg(m, c->out);
}

int nlh_binding_get(struct nlh *h, const struct binding *key, struct binding *out)
{
	return nlh_binding_get_by(h, key, B_NAME_BITS, out);
}

int nlh_binding_get_by(struct nlh *h, const struct binding *key, uint32_t mask,
		       struct binding *out)
{
	struct nlmsghdr *req = nlh_req(h, L2TP_IPSEC_CMD_BINDING_GET, 0);
	struct get_ctx c = { .out = out };
	int err;

	binding_put(req, key, mask);
	memset(out, 0, sizeof(*out));
	err = nlh_talk(h, req, get_cb, &c);
	if (!err && c.count != 1)
		err = -ENODATA;
	return err;
}

int nlh_binding_flush(struct nlh *h)
{
	return nlh_simple(h, L2TP_IPSEC_CMD_BINDING_FLUSH, NULL, NULL);
}

int nlh_binding_add_many(struct nlh *h, const struct binding *b, int n,
			 int per_send, int *failed)
{
	int i = 0;

	ext_clear(h);
	while (i < n) {
		uint32_t first = h->seq + 1;
		size_t off = 0;
		int k, err, idx = 0;

		for (k = 0; k < per_send && i + k < n; k++) {
			struct nlmsghdr *m;
			struct genlmsghdr *g;
			struct nlattr *nest;

			if (off + 512 > NLH_BUFSZ)
				break;
			m = mnl_nlmsg_put_header(h->buf + off);
			m->nlmsg_type = h->family;
			m->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
			m->nlmsg_seq = ++h->seq;
			g = mnl_nlmsg_put_extra_header(m, sizeof(*g));
			g->cmd = L2TP_IPSEC_CMD_BINDING_ADD;
			g->version = L2TP_IPSEC_GENL_VERSION;
			nest = mnl_attr_nest_start(m, L2TP_IPSEC_A_BINDING);
			binding_put_attrs(m, &b[i + k], ~0u);
			mnl_attr_nest_end(m, nest);
			off += NLMSG_ALIGN(m->nlmsg_len);
		}
		if (mnl_socket_sendto(h->sock, h->buf, off) < 0)
			return -errno;
		err = collect(h, first, h->seq, NULL, NULL, &idx);
		if (err) {
			if (failed)
				*failed = i + idx;
			return err;
		}
		i += k;
	}
	return 0;
}

static int dump_cb(const struct nlmsghdr *m, void *data)
{
	struct dump *d = data;
	struct binding b;

	if (binding_parse_msg(m, &b)) {
		d->bad++;
		return 0;
	}
	if (d->count < d->cap) {
		if (d->ids)
			d->ids[d->count] = b.id;
		if (d->bindings)
			d->bindings[d->count] = b;
	}
	d->count++;
	return 0;
}

int nlh_binding_dump(struct nlh *h, struct dump *d)
{
	struct nlmsghdr *req = nlh_req(h, L2TP_IPSEC_CMD_BINDING_GET, NLM_F_DUMP);
	int err;

	d->count = 0;
	d->bad = 0;
	err = nlh_talk(h, req, dump_cb, d);
	d->parts = h->recvs;
	return err;
}

/* ------------------------------------------------------------------------ */
/* Config and stats */

static int port_cb(const struct nlattr *a, void *data)
{
	struct config *c = data;

	if (mnl_attr_get_type(a) != L2TP_IPSEC_A_PORT ||
	    mnl_attr_validate(a, MNL_TYPE_U16))
		return MNL_CB_ERROR;
	if (c->nports >= (int)(sizeof(c->ports) / sizeof(c->ports[0])))
		return MNL_CB_ERROR;
	c->ports[c->nports++] = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

static int config_attr_cb(const struct nlattr *a, void *data)
{
	struct config *c = data;
	uint16_t t = mnl_attr_get_type(a);

	if (t == L2TP_IPSEC_A_CONFIG_UNSPEC || t > L2TP_IPSEC_A_CONFIG_MAX ||
	    (c->present & NLH_BIT(t)))
		return MNL_CB_ERROR;
	c->present |= NLH_BIT(t);
	switch (t) {
	case L2TP_IPSEC_A_CONFIG_POLICY:
		if (mnl_attr_validate(a, MNL_TYPE_U8))
			return MNL_CB_ERROR;
		c->policy = mnl_attr_get_u8(a);
		break;
	case L2TP_IPSEC_A_CONFIG_MODE:
		if (mnl_attr_validate(a, MNL_TYPE_U8))
			return MNL_CB_ERROR;
		c->mode = mnl_attr_get_u8(a);
		break;
	case L2TP_IPSEC_A_CONFIG_PORTS:
		if (mnl_attr_parse_nested(a, port_cb, c) < 0)
			return MNL_CB_ERROR;
		break;
	case L2TP_IPSEC_A_CONFIG_MAX_BINDINGS:
		if (mnl_attr_validate(a, MNL_TYPE_U32))
			return MNL_CB_ERROR;
		c->max_bindings = mnl_attr_get_u32(a);
		break;
	case L2TP_IPSEC_A_CONFIG_NUM_BINDINGS:
		if (mnl_attr_validate(a, MNL_TYPE_U32))
			return MNL_CB_ERROR;
		c->num_bindings = mnl_attr_get_u32(a);
		break;
	}
	return MNL_CB_OK;
}

int config_parse(const struct nlattr *nest, struct config *c)
{
	memset(c, 0, sizeof(*c));
	if (mnl_attr_parse_nested(nest, config_attr_cb, c) < 0)
		return -EBADMSG;
	return 0;
}

void config_put(struct nlmsghdr *nlh, const struct config *c)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, L2TP_IPSEC_A_CONFIG);

	if (c->present & C_BIT(POLICY))
		mnl_attr_put_u8(nlh, L2TP_IPSEC_A_CONFIG_POLICY, c->policy);
	if (c->present & C_BIT(MODE))
		mnl_attr_put_u8(nlh, L2TP_IPSEC_A_CONFIG_MODE, c->mode);
	if (c->present & C_BIT(PORTS)) {
		struct nlattr *ports = mnl_attr_nest_start(nlh, L2TP_IPSEC_A_CONFIG_PORTS);
		int i;

		for (i = 0; i < c->nports; i++)
			mnl_attr_put_u16(nlh, L2TP_IPSEC_A_PORT, c->ports[i]);
		mnl_attr_nest_end(nlh, ports);
	}
	if (c->present & C_BIT(MAX_BINDINGS))
		mnl_attr_put_u32(nlh, L2TP_IPSEC_A_CONFIG_MAX_BINDINGS, c->max_bindings);
	if (c->present & C_BIT(NUM_BINDINGS))
		mnl_attr_put_u32(nlh, L2TP_IPSEC_A_CONFIG_NUM_BINDINGS, c->num_bindings);
	mnl_attr_nest_end(nlh, nest);
}

struct one_ctx {
	void *out;
	int count;
	uint16_t type;
};

static int config_cb(const struct nlmsghdr *m, void *data)
{
	struct one_ctx *c = data;
	const struct nlattr *nest;

	if (c->count++)
		return -E2BIG;
	nest = reply_nest(m, L2TP_IPSEC_A_CONFIG);
	if (!nest)
		return -EBADMSG;
	return config_parse(nest, c->out);
}

int nlh_config_get(struct nlh *h, struct config *c)
{
	struct one_ctx ctx = { .out = c };
	int err;

	memset(c, 0, sizeof(*c));
	err = nlh_simple(h, L2TP_IPSEC_CMD_CONFIG_GET, config_cb, &ctx);
	if (!err && ctx.count != 1)
		err = -ENODATA;
	return err;
}

int nlh_config_set(struct nlh *h, const struct config *c)
{
	struct nlmsghdr *req = nlh_req(h, L2TP_IPSEC_CMD_CONFIG_SET, 0);

	config_put(req, c);
	return nlh_talk(h, req, NULL, NULL);
}

static int stats_cb(const struct nlmsghdr *m, void *data)
{
	struct one_ctx *c = data;
	const struct nlattr *nest;

	if (c->count++)
		return -E2BIG;
	nest = reply_nest(m, L2TP_IPSEC_A_STATS);
	if (!nest)
		return -EBADMSG;
	return stats_parse(nest, c->out);
}

int nlh_stats_get(struct nlh *h, const struct binding *key, struct stats *s)
{
	struct nlmsghdr *req = nlh_req(h, L2TP_IPSEC_CMD_STATS_GET, 0);
	struct one_ctx ctx = { .out = s };
	int err;

	memset(s, 0, sizeof(*s));
	if (key)
		binding_put(req, key, B_NAME_BITS);
	err = nlh_talk(h, req, stats_cb, &ctx);
	if (!err && ctx.count != 1)
		err = -ENODATA;
	return err;
}
