// SPDX-License-Identifier: GPL-2.0
/*
 * gen-corpus DIR: write the structure-aware seeds of the netlink and args
 * targets into DIR/<target>/gen-*: datagrams laid out as the kernel sends
 * them (kmod/netlink.c and kmod/event.c for l2tp_ipsec; Linux 6.1's
 * xfrm_user.c and l2tp_netlink.c), built with the agent's own encoders
 * where they write what the kernel writes. "make -C tests/fuzz seeds" runs
 * it; the files are committed, so that a change of layout shows in a diff.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/l2tp_ipsec.h>
#include <linux/netlink.h>
#include <linux/udp.h>
#include <linux/xfrm.h>

#include "kernel/binding.h"
#include "policy/filters.h"
#include "fuzz.h"
#include "kernel/l2tp.h"
#include "kernel/nsconfig.h"
#include "kernel/xfrm.h"
#include "policy/reconcile.h"
#include "policy/spd.h"

#define LOCAL4 "192.0.2.1"
#define PEER4 "198.51.100.2"
#define LOCAL6 "2001:db8::1"
#define PEER6 "2001:db8::2"

static const char *dir;

struct dgram {
	char buf[16384];
	size_t len;
};

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void save(const char *target, const char *name, const void *buf,
		 size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/gen-%s", dir, target, name);
	f = fopen(path, "w");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f))
		die(path);
}

static void dsave(const char *target, const char *name, struct dgram *d)
{
	save(target, name, d->buf, d->len);
	memset(d, 0, sizeof(*d));
}

/* A message at the end of @d; msg_end() adds it to the datagram. */
static struct nlmsghdr *msg(struct dgram *d, uint16_t type, uint16_t flags,
			    bool reply)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(d->buf + d->len);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	/* Replies carry the request's seq and port id; events carry 0. */
	nlh->nlmsg_seq = reply ? FUZZ_SEQ : 0;
	nlh->nlmsg_pid = reply ? FUZZ_PORTID : 0;
	return nlh;
}

static struct nlmsghdr *genl(struct dgram *d, uint16_t family, uint8_t cmd,
			     uint8_t version, uint16_t flags, bool reply)
{
	struct nlmsghdr *nlh = msg(d, family, flags, reply);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	g->cmd = cmd;
	g->version = version;
	return nlh;
}

static void end(struct dgram *d, struct nlmsghdr *nlh)
{
	d->len += NLMSG_ALIGN(nlh->nlmsg_len);
}

static void done(struct dgram *d, int err)
{
	struct nlmsghdr *nlh = msg(d, NLMSG_DONE, NLM_F_MULTI, true);
	int *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));

	*e = err;
	end(d, nlh);
}

/* An ack, capped (NETLINK_CAP_ACK), with an extack message if @text. */
static void ack(struct dgram *d, int err, const char *text)
{
	struct nlmsghdr *nlh = msg(d, NLMSG_ERROR, NLM_F_CAPPED, true);
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));

	e->error = err;
	e->msg.nlmsg_len = NLMSG_HDRLEN + 64;
	e->msg.nlmsg_seq = FUZZ_SEQ;
	if (text) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, text);
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 20);
	}
	end(d, nlh);
}

static void addr(int family, const char *s, void *out)
{
	if (inet_pton(family, s, out) != 1)
		die(s);
}

/* ------------------------------------------------------------------ */
/* l2tp_ipsec */

#define MOD "fuzz_module_msg"

static void put_addr(struct nlmsghdr *nlh, const struct endpoint *ep,
		     uint16_t v4, uint16_t v6)
{
	if (ep->family == AF_INET)
		mnl_attr_put(nlh, v4, 4, &ep->addr.v4);
	else if (ep->family == AF_INET6)
		mnl_attr_put(nlh, v6, 16, &ep->addr.v6);
}

static void put_stats(struct nlmsghdr *nlh, uint16_t type, bool ns)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	unsigned int i;

	for (i = L2TP_IPSEC_A_STATS_ACCEPTED; i <= L2TP_IPSEC_A_STATS_MAX; i++) {
		if (!ns && (i == L2TP_IPSEC_A_STATS_ACCEPTED_UNBOUND ||
			    i == L2TP_IPSEC_A_STATS_DROPPED_POLICY))
			continue;
		if (i != L2TP_IPSEC_A_STATS_PAD)
			mnl_attr_put_u64(nlh, i, 1000 + i);
	}
	mnl_attr_nest_end(nlh, nest);
}

/* kmod/netlink.c's binding nest: the id first, stats last. */
static void put_binding(struct nlmsghdr *nlh, const struct binding *b,
			bool stats)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, L2TP_IPSEC_A_BINDING);

	mnl_attr_put_u32(nlh, L2TP_IPSEC_A_BINDING_ID, b->id);
	put_addr(nlh, &b->local, L2TP_IPSEC_A_BINDING_LOCAL_IPV4,
		 L2TP_IPSEC_A_BINDING_LOCAL_IPV6);
	mnl_attr_put_u16(nlh, L2TP_IPSEC_A_BINDING_LOCAL_PORT, b->local.port);
	put_addr(nlh, &b->peer, L2TP_IPSEC_A_BINDING_PEER_IPV4,
		 L2TP_IPSEC_A_BINDING_PEER_IPV6);
	if (b->peer.port)
		mnl_attr_put_u16(nlh, L2TP_IPSEC_A_BINDING_PEER_PORT, b->peer.port);
	if (b->reqid)
		mnl_attr_put_u32(nlh, L2TP_IPSEC_A_BINDING_REQID, b->reqid);
	if (b->spi)
		mnl_attr_put_u32(nlh, L2TP_IPSEC_A_BINDING_SPI, b->spi);
	if (b->encap_sport) {
		mnl_attr_put_u16(nlh, L2TP_IPSEC_A_BINDING_ENCAP_SPORT, b->encap_sport);
		mnl_attr_put_u16(nlh, L2TP_IPSEC_A_BINDING_ENCAP_DPORT, b->encap_dport);
	}
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
	if (stats)
		put_stats(nlh, L2TP_IPSEC_A_BINDING_STATS, false);
	mnl_attr_nest_end(nlh, nest);
}

static struct binding binding(uint32_t id, int family, const char *local,
			      const char *peer, uint16_t pport)
{
	struct binding b;

	memset(&b, 0, sizeof(b));
	b.id = id;
	b.local.family = family;
	addr(family, local, &b.local.addr);
	b.local.port = 1701;
	if (peer) {
		b.peer.family = family;
		addr(family, peer, &b.peer.addr);
		b.peer.port = pport;
	}
	return b;
}

static void binding_msg(struct dgram *d, const struct binding *b, uint16_t flags,
			bool stats)
{
	struct nlmsghdr *nlh = genl(d, FUZZ_MOD_FAMILY, L2TP_IPSEC_CMD_BINDING_GET,
				    L2TP_IPSEC_GENL_VERSION, flags, true);

	put_binding(nlh, b, stats);
	end(d, nlh);
}

/* An event of a packet PEER4:1701 -> LOCAL4:1701, of SA @spi (0: none). */
static void event_msg(struct dgram *d, uint8_t cmd, uint8_t reason, bool audit,
		      uint32_t spi)
{
	struct nlmsghdr *nlh = genl(d, FUZZ_MOD_FAMILY, cmd, L2TP_IPSEC_GENL_VERSION,
				    0, false);
	struct nlattr *nest = mnl_attr_nest_start(nlh, L2TP_IPSEC_A_EVENT);
	struct in_addr a;

	mnl_attr_put_u8(nlh, L2TP_IPSEC_A_EVENT_REASON, reason);
	if (audit)
		mnl_attr_put(nlh, L2TP_IPSEC_A_EVENT_AUDIT, 0, NULL);
	addr(AF_INET, PEER4, &a);
	mnl_attr_put(nlh, L2TP_IPSEC_A_EVENT_SRC_IPV4, 4, &a);
	addr(AF_INET, LOCAL4, &a);
	mnl_attr_put(nlh, L2TP_IPSEC_A_EVENT_DST_IPV4, 4, &a);
	mnl_attr_put_u16(nlh, L2TP_IPSEC_A_EVENT_SPORT, 1701);
	mnl_attr_put_u16(nlh, L2TP_IPSEC_A_EVENT_DPORT, 1701);
	if (spi) {
		mnl_attr_put_u32(nlh, L2TP_IPSEC_A_EVENT_SPI, spi);
		mnl_attr_put_u32(nlh, L2TP_IPSEC_A_EVENT_REQID, 7);
		mnl_attr_put_u16(nlh, L2TP_IPSEC_A_EVENT_ENCAP_SPORT, 4500);
		mnl_attr_put_u16(nlh, L2TP_IPSEC_A_EVENT_ENCAP_DPORT, 4500);
		mnl_attr_put_u32(nlh, L2TP_IPSEC_A_EVENT_BINDING_ID, 3);
	}
	mnl_attr_put_u32(nlh, L2TP_IPSEC_A_EVENT_SUPPRESSED, 2);
	mnl_attr_nest_end(nlh, nest);
	end(d, nlh);
}

static void gen_module(void)
{
	static struct dgram d;
	struct binding b1 = binding(1, AF_INET, LOCAL4, PEER4, 1701);
	struct binding b2 = binding(2, AF_INET6, LOCAL6, NULL, 0);
	struct binding b3 = binding(3, AF_INET, LOCAL4, PEER4, 0);
	struct nlmsghdr *nlh;
	struct nsconfig c;
	struct nlattr *nest, *grp;

	b1.reqid = 7;
	b1.spi = 0xc0ffee01;
	b1.encap_sport = 4500;
	b1.encap_dport = 4500;
	b1.l2tp_version = 2;
	b1.v2_tunnel_id = 5;
	b1.mode_set = true;
	b1.mode = L2TP_IPSEC_MODE_AUDIT;
	b1.owner = RECONCILE_OWNER;
	b2.allow_ah = true;
	b3.l2tp_version = 3;

	binding_msg(&d, &b1, NLM_F_MULTI, true);
	binding_msg(&d, &b2, NLM_F_MULTI, true);
	binding_msg(&d, &b3, NLM_F_MULTI, true);
	done(&d, 0);
	dsave(MOD, "binding-dump", &d);

	binding_msg(&d, &b1, NLM_F_MULTI | NLM_F_DUMP_INTR, false);
	binding_msg(&d, &b1, NLM_F_MULTI | NLM_F_DUMP_INTR, false);
	done(&d, 0);
	dsave(MOD, "binding-dump-repeat-intr", &d);

	binding_msg(&d, &b1, 0, true);
	ack(&d, 0, NULL);
	dsave(MOD, "binding-get", &d);

	nlh = genl(&d, FUZZ_MOD_FAMILY, L2TP_IPSEC_CMD_STATS_GET,
		   L2TP_IPSEC_GENL_VERSION, 0, true);
	put_stats(nlh, L2TP_IPSEC_A_STATS, true);
	end(&d, nlh);
	ack(&d, 0, NULL);
	dsave(MOD, "stats-get", &d);

	memset(&c, 0, sizeof(c));
	c.has_policy = c.has_mode = c.has_ports = c.has_max_bindings = true;
	c.policy = L2TP_IPSEC_POLICY_REQUIRE_IPSEC;
	c.mode = L2TP_IPSEC_MODE_ENFORCE;
	c.ports[0] = 1701;
	c.ports[1] = 1702;
	c.nports = 2;
	c.max_bindings = 262144;
	nlh = genl(&d, FUZZ_MOD_FAMILY, L2TP_IPSEC_CMD_CONFIG_GET,
		   L2TP_IPSEC_GENL_VERSION, 0, true);
	nsconfig_put(nlh, &c);
	/* The kernel adds the count; nsconfig_put() is the request's. */
	nest = (struct nlattr *)((char *)nlh + NLMSG_HDRLEN + GENL_HDRLEN);
	mnl_attr_put_u32(nlh, L2TP_IPSEC_A_CONFIG_NUM_BINDINGS, 3);
	nest->nla_len = (uint16_t)((char *)mnl_nlmsg_get_payload_tail(nlh) -
				   (char *)nest);
	end(&d, nlh);
	ack(&d, 0, NULL);
	dsave(MOD, "config-get", &d);

	ack(&d, -EEXIST, "binding exists");
	dsave(MOD, "ack-eexist-extack", &d);
	ack(&d, 0, NULL);
	dsave(MOD, "ack-ok", &d);
	done(&d, -EMSGSIZE);
	dsave(MOD, "done-emsgsize", &d);

	/* CTRL_CMD_NEWFAMILY, as genetlink's ctrl_fill_info() writes it. */
	nlh = genl(&d, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY, 2, 0, true);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, L2TP_IPSEC_GENL_NAME);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FUZZ_MOD_FAMILY);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, L2TP_IPSEC_GENL_VERSION);
	mnl_attr_put_u32(nlh, CTRL_ATTR_HDRSIZE, 0);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MAXATTR, L2TP_IPSEC_A_MAX);
	nest = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	grp = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 9);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, L2TP_IPSEC_MCGRP_EVENTS);
	mnl_attr_nest_end(nlh, grp);
	mnl_attr_nest_end(nlh, nest);
	end(&d, nlh);
	ack(&d, 0, NULL);
	dsave(MOD, "ctrl-family", &d);

	event_msg(&d, L2TP_IPSEC_CMD_VIOLATION_NTF, L2TP_IPSEC_REASON_CLEARTEXT, false, 0);
	event_msg(&d, L2TP_IPSEC_CMD_VIOLATION_NTF, L2TP_IPSEC_REASON_SA_MISMATCH, true,
		  0xc0ffee01);
	dsave(MOD, "violation-events", &d);
	event_msg(&d, L2TP_IPSEC_CMD_UNBOUND_NTF, L2TP_IPSEC_REASON_NONE, false,
		  0xc0ffee01);
	dsave(MOD, "unbound-event", &d);
}

/* ------------------------------------------------------------------ */
/* XFRM */

#define XFRM "fuzz_xfrm_msg"

static int base_policies(int family, const char *local, struct xpolicy *out,
			 size_t max)
{
	struct filter set[FILTER_SET_MAX];
	struct filter_base fb;
	int n, i;

	memset(&fb, 0, sizeof(fb));
	fb.role = FILTER_RESPONDER;
	fb.family = family;
	addr(family, local, &fb.local);
	fb.remote.any = true;
	fb.nat_t = true;
	n = filter_base_set(&fb, set, FILTER_SET_MAX);
	if (n < 0 || (size_t)n > max)
		die("filter_base_set");
	for (i = 0; i < n; i++)
		spd_from_filter(&set[i], &out[i]);
	return n;
}

/*
 * A policy as the kernel dumps it: xfrm_policy_msg()'s layout (info, then
 * XFRMA_TMPL), with the kernel's index, and XFRMA_POLICY_TYPE as
 * dump_one_policy() adds it with CONFIG_XFRM_SUB_POLICY.
 */
static void policy_msg(struct dgram *d, const struct xpolicy *p, uint32_t index,
		       uint16_t flags, bool reply)
{
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh = xfrm_policy_msg(buf, XFRM_MSG_NEWPOLICY, p);
	char *info = mnl_nlmsg_get_payload(nlh);
	struct xfrm_userpolicy_type type = { .type = XFRM_POLICY_TYPE_MAIN };

	memcpy(info + offsetof(struct xfrm_userpolicy_info, index), &index,
	       sizeof(index));
	if (p->type == XFRM_POLICY_TYPE_MAIN)
		mnl_attr_put(nlh, XFRMA_POLICY_TYPE, sizeof(type), &type);
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = reply ? FUZZ_SEQ : 0;
	nlh->nlmsg_pid = reply ? FUZZ_PORTID : 0;
	memcpy(d->buf + d->len, nlh, nlh->nlmsg_len);
	end(d, (struct nlmsghdr *)(d->buf + d->len));
}

/* copy_to_user_state_extra()'s SA: info, then algorithms, encap, mark... */
static void sa_msg(struct dgram *d, uint16_t type, int family, const char *src,
		   const char *dst, uint32_t spi, uint32_t reqid, bool encap,
		   bool mark, bool reply)
{
	struct nlmsghdr *nlh = msg(d, type, reply ? NLM_F_MULTI : 0, reply);
	/* Built apart: netlink aligns to 4 bytes, the struct wants 8. */
	struct xfrm_usersa_info sa, *info = &sa;
	/* struct xfrm_algo_aead and its 20-byte key (AES-128-GCM, salt) */
	union {
		struct xfrm_algo_aead a;
		char room[sizeof(struct xfrm_algo_aead) + 20];
	} aead;
	struct xfrm_encap_tmpl et;
	struct xfrm_mark m = { 0x10, 0xff };

	memset(&sa, 0, sizeof(sa));
	info->family = (uint16_t)family;
	addr(family, src, &info->saddr);
	addr(family, dst, &info->id.daddr);
	info->id.spi = htonl(spi);
	info->id.proto = IPPROTO_ESP;
	info->mode = XFRM_MODE_TRANSPORT;
	info->reqid = reqid;
	info->replay_window = 32;
	info->lft.soft_byte_limit = XFRM_INF;
	info->lft.hard_byte_limit = XFRM_INF;
	info->lft.soft_packet_limit = XFRM_INF;
	info->lft.hard_packet_limit = XFRM_INF;
	info->sel.family = (uint16_t)family;
	memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(sa)), &sa, sizeof(sa));
	memset(&aead, 0, sizeof(aead));
	snprintf(aead.a.alg_name, sizeof(aead.a.alg_name), "rfc4106(gcm(aes))");
	aead.a.alg_key_len = 160;
	aead.a.alg_icv_len = 128;
	mnl_attr_put(nlh, XFRMA_ALG_AEAD, sizeof(aead), &aead);
	if (encap) {
		memset(&et, 0, sizeof(et));
		et.encap_type = UDP_ENCAP_ESPINUDP;
		et.encap_sport = htons(4500);
		et.encap_dport = htons(4500);
		mnl_attr_put(nlh, XFRMA_ENCAP, sizeof(et), &et);
	}
	if (mark) {
		mnl_attr_put(nlh, XFRMA_MARK, sizeof(m), &m);
		mnl_attr_put_u32(nlh, XFRMA_IF_ID, 3);
	}
	mnl_attr_put_u32(nlh, XFRMA_SA_EXTRA_FLAGS, 0);
	end(d, nlh);
}

static void gen_xfrm(void)
{
	static struct dgram d;
	struct xpolicy pol[FILTER_SET_MAX];
	struct l2tp_tunnel t;
	struct xfrm_mark m = { 1, 0xffffffff };
	struct nlmsghdr *nlh;
	int n, i;

	n = base_policies(AF_INET, LOCAL4, pol, FILTER_SET_MAX);
	for (i = 0; i < n; i++)
		policy_msg(&d, &pol[i], 8 * i + 1, NLM_F_MULTI, true);
	done(&d, 0);
	dsave(XFRM, "policy-dump-base4", &d);

	n = base_policies(AF_INET6, LOCAL6, pol, FILTER_SET_MAX);
	for (i = 0; i < n; i++)
		policy_msg(&d, &pol[i], 8 * i + 2, NLM_F_MULTI, true);
	done(&d, 0);
	dsave(XFRM, "policy-dump-base6", &d);

	memset(&t, 0, sizeof(t));
	t.tunnel_id = 5;
	t.version = 2;
	t.encap = L2TP_ENCAPTYPE_UDP;
	t.local.family = t.peer.family = AF_INET;
	addr(AF_INET, LOCAL4, &t.local.addr);
	addr(AF_INET, PEER4, &t.peer.addr);
	t.local.port = t.peer.port = 1701;
	n = reconcile_tunnel_filters(&t, FILTER_INITIATOR, 7, 8, pol, FILTER_SET_MAX);
	for (i = 0; i < n; i++)
		policy_msg(&d, &pol[i], 8 * i + 4, NLM_F_MULTI, true);
	/* A foreign one: strongSwan's, tunnel mode, marked. */
	pol[0].priority = 383615;
	pol[0].tmpl[0].mode = XFRM_MODE_TUNNEL;
	pol[0].mark_v = 1;
	pol[0].mark_m = 0xffffffff;
	policy_msg(&d, &pol[0], 100, NLM_F_MULTI, true);
	done(&d, 0);
	dsave(XFRM, "policy-dump-tunnel", &d);

	policy_msg(&d, &pol[1], 12, 0, true);
	ack(&d, 0, NULL);
	dsave(XFRM, "policy-get", &d);

	ack(&d, -EEXIST, NULL);
	dsave(XFRM, "ack-eexist", &d);

	sa_msg(&d, XFRM_MSG_NEWSA, AF_INET, PEER4, LOCAL4, 0xc0ffee01, 7, false, false, true);
	sa_msg(&d, XFRM_MSG_NEWSA, AF_INET, LOCAL4, PEER4, 0xc0ffee02, 7, true, false, true);
	sa_msg(&d, XFRM_MSG_NEWSA, AF_INET6, PEER6, LOCAL6, 0x1001, 0, false, true, true);
	done(&d, 0);
	dsave(XFRM, "sa-dump", &d);

	sa_msg(&d, XFRM_MSG_NEWSA, AF_INET, PEER4, LOCAL4, 0xc0ffee03, 9, true, false, false);
	sa_msg(&d, XFRM_MSG_DELSA, AF_INET, PEER4, LOCAL4, 0xc0ffee01, 7, false, false, false);
	nlh = msg(&d, XFRM_MSG_NEWPOLICY, 0, false);
	{
		struct xfrm_userpolicy_info info;
		struct xfrm_user_sec_ctx ctx = { .len = sizeof(ctx), .exttype = XFRMA_SEC_CTX };

		memset(&info, 0, sizeof(info));
		info.sel.family = AF_INET6;
		info.dir = XFRM_POLICY_OUT;
		info.priority = 0x4c320050;
		memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(info)), &info, sizeof(info));
		mnl_attr_put(nlh, XFRMA_MARK, sizeof(m), &m);
		mnl_attr_put_u32(nlh, XFRMA_IF_ID, 4);
		mnl_attr_put(nlh, XFRMA_SEC_CTX, sizeof(ctx), &ctx);
	}
	end(&d, nlh);
	dsave(XFRM, "events", &d);
}

/* ------------------------------------------------------------------ */
/* L2TP */

#define L2TP "fuzz_l2tp_msg"

/* l2tp_nl_tunnel_send(): ids, version, encap, debug, stats, addresses. */
static void tunnel_msg(struct dgram *d, uint8_t cmd, const struct l2tp_tunnel *t,
		       uint16_t flags, bool reply)
{
	struct nlmsghdr *nlh = genl(d, FUZZ_L2TP_FAMILY, cmd, L2TP_GENL_VERSION,
				    flags, reply);
	struct nlattr *nest;
	unsigned int i;

	l2tp_put_tunnel(nlh, t);
	mnl_attr_put_u32(nlh, L2TP_ATTR_DEBUG, 0);
	nest = mnl_attr_nest_start(nlh, L2TP_ATTR_STATS);
	for (i = L2TP_ATTR_TX_PACKETS; i <= L2TP_ATTR_STATS_MAX; i++)
		if (i != L2TP_ATTR_STATS_PAD)
			mnl_attr_put_u64(nlh, i, 10 * i);
	mnl_attr_nest_end(nlh, nest);
	if (t->local.family == AF_INET6)
		mnl_attr_put(nlh, L2TP_ATTR_UDP_ZERO_CSUM6_RX, 0, NULL);
	else if (t->encap == L2TP_ENCAPTYPE_UDP)
		mnl_attr_put_u8(nlh, L2TP_ATTR_UDP_CSUM, 1);
	end(d, nlh);
}

static void session_msg(struct dgram *d, uint8_t cmd, const struct l2tp_session *s,
			uint16_t flags, bool reply)
{
	struct nlmsghdr *nlh = genl(d, FUZZ_L2TP_FAMILY, cmd, L2TP_GENL_VERSION,
				    flags, reply);
	static const uint8_t cookie[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	l2tp_put_session(nlh, s);
	mnl_attr_put_u32(nlh, L2TP_ATTR_PEER_CONN_ID, 50);
	mnl_attr_put_u32(nlh, L2TP_ATTR_DEBUG, 0);
	mnl_attr_put(nlh, L2TP_ATTR_COOKIE, 4, cookie);
	mnl_attr_put(nlh, L2TP_ATTR_PEER_COOKIE, 8, cookie);
	mnl_attr_put_u8(nlh, L2TP_ATTR_RECV_SEQ, 0);
	mnl_attr_put_u8(nlh, L2TP_ATTR_SEND_SEQ, 0);
	end(d, nlh);
}

static struct l2tp_tunnel tunnel(uint32_t id, int family, const char *local,
				 const char *peer, uint16_t encap)
{
	struct l2tp_tunnel t;

	memset(&t, 0, sizeof(t));
	t.tunnel_id = id;
	t.peer_tunnel_id = id + 100;
	t.version = 3;
	t.encap = encap;
	t.local.family = t.peer.family = family;
	addr(family, local, &t.local.addr);
	addr(family, peer, &t.peer.addr);
	if (encap == L2TP_ENCAPTYPE_UDP)
		t.local.port = t.peer.port = 1701;
	return t;
}

static void gen_l2tp(void)
{
	static struct dgram d;
	struct l2tp_tunnel t4 = tunnel(5, AF_INET, LOCAL4, PEER4, L2TP_ENCAPTYPE_UDP);
	struct l2tp_tunnel t6 = tunnel(6, AF_INET6, LOCAL6, PEER6, L2TP_ENCAPTYPE_UDP);
	struct l2tp_tunnel tip = tunnel(7, AF_INET, LOCAL4, PEER4, L2TP_ENCAPTYPE_IP);
	struct l2tp_session s;

	t4.version = 2;
	tunnel_msg(&d, L2TP_CMD_TUNNEL_GET, &t4, NLM_F_MULTI, true);
	tunnel_msg(&d, L2TP_CMD_TUNNEL_GET, &t6, NLM_F_MULTI, true);
	tunnel_msg(&d, L2TP_CMD_TUNNEL_GET, &tip, NLM_F_MULTI, true);
	done(&d, 0);
	dsave(L2TP, "tunnel-dump", &d);

	tunnel_msg(&d, L2TP_CMD_TUNNEL_GET, &t4, 0, true);
	ack(&d, 0, NULL);
	dsave(L2TP, "tunnel-get", &d);
	ack(&d, -ENODEV, NULL);
	dsave(L2TP, "tunnel-get-enodev", &d);

	memset(&s, 0, sizeof(s));
	s.tunnel_id = 6;
	s.session_id = 60;
	s.peer_session_id = 61;
	s.pw_type = L2TP_PWTYPE_ETH;
	snprintf(s.ifname, sizeof(s.ifname), "l2tpeth0");
	session_msg(&d, L2TP_CMD_SESSION_GET, &s, NLM_F_MULTI, true);
	s.session_id = 62;
	s.pw_type = L2TP_PWTYPE_PPP;
	s.ifname[0] = '\0';
	session_msg(&d, L2TP_CMD_SESSION_GET, &s, NLM_F_MULTI, true);
	done(&d, 0);
	dsave(L2TP, "session-dump", &d);

	tunnel_msg(&d, L2TP_CMD_TUNNEL_CREATE, &t4, 0, false);
	tunnel_msg(&d, L2TP_CMD_TUNNEL_DELETE, &t6, 0, false);
	session_msg(&d, L2TP_CMD_SESSION_DELETE, &s, 0, false);
	dsave(L2TP, "events", &d);
}

/* ------------------------------------------------------------------ */
/* reconcile: the four dumps in one datagram */

#define RC "fuzz_reconcile"

static void sa_pair(struct dgram *d, int family, const char *local,
		    const char *peer, uint32_t spi, uint32_t reqid, bool encap)
{
	sa_msg(d, XFRM_MSG_NEWSA, family, peer, local, spi, reqid, encap, false, true);
	sa_msg(d, XFRM_MSG_NEWSA, family, local, peer, spi + 1, reqid, encap, false, true);
}

static void gen_reconcile(void)
{
	static struct dgram d;
	struct l2tp_tunnel t4 = tunnel(5, AF_INET, LOCAL4, PEER4, L2TP_ENCAPTYPE_UDP);
	struct l2tp_tunnel t6 = tunnel(6, AF_INET6, LOCAL6, PEER6, L2TP_ENCAPTYPE_UDP);
	struct binding b4 = binding(1, AF_INET, LOCAL4, PEER4, 1701);
	struct binding stale = binding(2, AF_INET, LOCAL4, "203.0.113.9", 1701);
	struct binding listen = binding(3, AF_INET, LOCAL4, NULL, 0);
	struct xpolicy pol[FILTER_SET_MAX];
	int n, i;

	t4.version = 2;
	b4.reqid = 7;
	b4.l2tp_version = 2;
	b4.v2_tunnel_id = 5;
	b4.owner = stale.owner = listen.owner = RECONCILE_OWNER;

	/* New tunnels with their SAs, nothing bound yet. */
	tunnel_msg(&d, L2TP_CMD_TUNNEL_GET, &t4, NLM_F_MULTI, true);
	tunnel_msg(&d, L2TP_CMD_TUNNEL_GET, &t6, NLM_F_MULTI, true);
	sa_pair(&d, AF_INET, LOCAL4, PEER4, 0x1000, 7, false);
	sa_pair(&d, AF_INET6, LOCAL6, PEER6, 0x2000, 0, true);
	dsave(RC, "unbound", &d);

	/* Bound, filters in place, plus a stale binding and the listener. */
	tunnel_msg(&d, L2TP_CMD_TUNNEL_GET, &t4, NLM_F_MULTI, true);
	sa_pair(&d, AF_INET, LOCAL4, PEER4, 0x1000, 7, false);
	sa_pair(&d, AF_INET, LOCAL4, "203.0.113.9", 0x3000, 8, false);
	binding_msg(&d, &b4, NLM_F_MULTI, false);
	binding_msg(&d, &stale, NLM_F_MULTI, false);
	binding_msg(&d, &listen, NLM_F_MULTI, false);
	n = reconcile_tunnel_filters(&t4, FILTER_RESPONDER, 7, 7, pol, FILTER_SET_MAX);
	for (i = 0; i < n; i++)
		policy_msg(&d, &pol[i], 8 * i + 4, NLM_F_MULTI, true);
	n = base_policies(AF_INET, LOCAL4, pol, FILTER_SET_MAX);
	for (i = 0; i < n; i++)
		policy_msg(&d, &pol[i], 8 * i + 1, NLM_F_MULTI, true);
	dsave(RC, "bound-stale-listener", &d);

	/* Two SA pairs of one address pair; the module saw one, then both. */
	tunnel_msg(&d, L2TP_CMD_TUNNEL_GET, &t4, NLM_F_MULTI, true);
	sa_pair(&d, AF_INET, LOCAL4, PEER4, 0x9000, 9, false);
	sa_pair(&d, AF_INET, LOCAL4, PEER4, 0x1000, 7, false);
	event_msg(&d, L2TP_IPSEC_CMD_UNBOUND_NTF, L2TP_IPSEC_REASON_NONE, false, 0x1000);
	dsave(RC, "two-sas-one-seen", &d);
	tunnel_msg(&d, L2TP_CMD_TUNNEL_GET, &t4, NLM_F_MULTI, true);
	sa_pair(&d, AF_INET, LOCAL4, PEER4, 0x9000, 9, true);
	sa_pair(&d, AF_INET, LOCAL4, PEER4, 0x1000, 7, true);
	event_msg(&d, L2TP_IPSEC_CMD_UNBOUND_NTF, L2TP_IPSEC_REASON_NONE, false, 0x1000);
	event_msg(&d, L2TP_IPSEC_CMD_UNBOUND_NTF, L2TP_IPSEC_REASON_NONE, false, 0x9000);
	binding_msg(&d, &b4, NLM_F_MULTI, false);
	dsave(RC, "two-sas-both-seen-bound", &d);

	/* Bound, its SA gone: the tunnel goes. */
	tunnel_msg(&d, L2TP_CMD_TUNNEL_GET, &t4, NLM_F_MULTI, true);
	binding_msg(&d, &b4, NLM_F_MULTI, false);
	dsave(RC, "sa-gone", &d);
}

/* ------------------------------------------------------------------ */
/* args: argv words, NUL separated */

static void word_seed(const char *name, const char *const *w)
{
	char buf[512];
	size_t n = 0, l;

	for (; *w; w++) {
		l = strlen(*w) + 1;
		if (n + l > sizeof(buf))
			die(name);
		memcpy(buf + n, *w, l);
		n += l;
	}
	save("fuzz_args", name, buf, n - 1);	/* no NUL after the last */
}

static void gen_args(void)
{
	static const char *const full[] = {
		"local", LOCAL4 ":1701", "peer", PEER4 ":1701", "reqid", "0x10",
		"spi", "0xc0ffee01", "encap", "4500:4500", "version", "2",
		"v2-tunnel-id", "5", "allow-ah", "mode", "audit", NULL };
	static const char *const v6[] = {
		"local", "[" LOCAL6 "]:1701", "peer", "[" PEER6 "]:any", NULL };
	static const char *const any[] = {
		"local", LOCAL4 ":1701", "peer", "any", "mode", "inherit", NULL };
	static const char *const cfg[] = {
		"policy", "require-ipsec", "mode", "audit", "ports", "1701,1702",
		"max-bindings", "1000", NULL };
	static const char *const none[] = { "ports", "none", NULL };
	static const char *const num[] = { "0xffffffff", NULL };
	static const char *const lvl[] = { "debug", NULL };

	word_seed("binding-full", full);
	word_seed("binding-v6", v6);
	word_seed("binding-any", any);
	word_seed("config", cfg);
	word_seed("ports-none", none);
	word_seed("number", num);
	word_seed("log-level", lvl);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen-corpus DIR\n");
		return 2;
	}
	dir = argv[1];
	gen_module();
	gen_xfrm();
	gen_l2tp();
	gen_reconcile();
	gen_args();
	return 0;
}
