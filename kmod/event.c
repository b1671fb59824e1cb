// SPDX-License-Identifier: GPL-2.0
/*
 * Events: violations, and unbound traffic for agents that discover tunnels.
 * Sent from the packet path, so they cost an allocation each: only when
 * someone listens, and at most a burst of 100 a second of each kind per
 * namespace; the next event says how many the limit swallowed.
 */

#include <net/genetlink.h>

#include "event.h"
#include "netlink.h"
#include "pending.h"

/* Off while the family is unregistered: its group ids are not ours then. */
static bool events_on;

/**
 * l2tp_ipsec_events_start - let the packet path send events
 *
 * Context: the genetlink family is registered.
 */
void l2tp_ipsec_events_start(void)
{
	WRITE_ONCE(events_on, true);
}

/**
 * l2tp_ipsec_events_stop - stop sending events before the family goes
 *
 * Return: with no packet left in l2tp_ipsec_event_violation().
 */
void l2tp_ipsec_events_stop(void)
{
	WRITE_ONCE(events_on, false);
	synchronize_net();
}

static size_t event_size(void)
{
	return nla_total_size(0) +			/* the nest */
	       nla_total_size(sizeof(u8)) +		/* reason */
	       nla_total_size(0) +			/* audit */
	       2 * nla_total_size(sizeof(struct in6_addr)) +
	       5 * nla_total_size(sizeof(u16)) +	/* ports, encap, tid */
	       5 * nla_total_size(sizeof(u32));	/* spi, reqid, id... */
}

static int fill_event(struct sk_buff *msg, const struct sk_buff *skb,
		      const struct l2tp_ipsec_pkt *pkt,
		      const struct l2tp_ipsec_binding *b,
		      enum l2tp_ipsec_reason reason, bool audit, u32 suppressed)
{
	u32 set_mark = l2tp_ipsec_sa_set_mark(pkt->x);
	const struct l2tp_ipsec_key *k = &pkt->key;
	const struct xfrm_state *x = pkt->x;
	struct nlattr *nest;
	u16 tid;

	nest = nla_nest_start(msg, L2TP_IPSEC_A_EVENT);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(msg, L2TP_IPSEC_A_EVENT_REASON, reason) ||
	    (audit && nla_put_flag(msg, L2TP_IPSEC_A_EVENT_AUDIT)) ||
	    l2tp_ipsec_nla_put_addr(msg, L2TP_IPSEC_A_EVENT_SRC_IPV4,
				    L2TP_IPSEC_A_EVENT_SRC_IPV6, k->family,
				    &k->paddr) ||
	    l2tp_ipsec_nla_put_addr(msg, L2TP_IPSEC_A_EVENT_DST_IPV4,
				    L2TP_IPSEC_A_EVENT_DST_IPV6, k->family,
				    &k->laddr) ||
	    nla_put_u16(msg, L2TP_IPSEC_A_EVENT_SPORT, ntohs(k->pport)) ||
	    nla_put_u16(msg, L2TP_IPSEC_A_EVENT_DPORT, ntohs(k->lport)))
		return -EMSGSIZE;
	if (x && (nla_put_u32(msg, L2TP_IPSEC_A_EVENT_SPI, ntohl(x->id.spi)) ||
		  nla_put_u32(msg, L2TP_IPSEC_A_EVENT_REQID, x->props.reqid)))
		return -EMSGSIZE;
	if (x && x->encap &&
	    (nla_put_u16(msg, L2TP_IPSEC_A_EVENT_ENCAP_SPORT,
			 ntohs(READ_ONCE(x->encap->encap_sport))) ||
	     nla_put_u16(msg, L2TP_IPSEC_A_EVENT_ENCAP_DPORT,
			 ntohs(READ_ONCE(x->encap->encap_dport)))))
		return -EMSGSIZE;
	if (b && nla_put_u32(msg, L2TP_IPSEC_A_EVENT_BINDING_ID, b->id))
		return -EMSGSIZE;
	if (suppressed &&
	    nla_put_u32(msg, L2TP_IPSEC_A_EVENT_SUPPRESSED, suppressed))
		return -EMSGSIZE;
	/* Read here, not on every packet: events are few. */
	if (l2tp_ipsec_v2_tunnel_id(skb, pkt->l2tp_off, pkt->l2tp_len, &tid) &&
	    nla_put_u16(msg, L2TP_IPSEC_A_EVENT_V2_TUNNEL_ID, tid))
		return -EMSGSIZE;
	if (set_mark && nla_put_u32(msg, L2TP_IPSEC_A_EVENT_SA_MARK, set_mark))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static void send_event(struct net *net, struct l2tp_ipsec_event_limit *limit,
		       u8 cmd, const struct sk_buff *skb,
		       const struct l2tp_ipsec_pkt *pkt,
		       const struct l2tp_ipsec_binding *b,
		       enum l2tp_ipsec_reason reason, bool audit)
{
	struct sk_buff *msg;
	void *hdr;

	if (!READ_ONCE(events_on) ||
	    !genl_has_listeners(&l2tp_ipsec_nl_family, net,
				L2TP_IPSEC_NLGRP_EVENTS))
		return;
	if (!__ratelimit(&limit->rs)) {
		atomic_inc(&limit->suppressed);
		return;
	}

	msg = genlmsg_new(event_size(), GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &l2tp_ipsec_nl_family, 0, cmd);
	if (!hdr ||
	    fill_event(msg, skb, pkt, b, reason, audit,
		       atomic_xchg(&limit->suppressed, 0))) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&l2tp_ipsec_nl_family, net, msg, 0,
				L2TP_IPSEC_NLGRP_EVENTS, GFP_ATOMIC);
}

/**
 * l2tp_ipsec_event_limit_init - a burst of 100 events a second
 * @limit: the limit to set up
 */
void l2tp_ipsec_event_limit_init(struct l2tp_ipsec_event_limit *limit)
{
	ratelimit_state_init(&limit->rs, HZ, 100);
	/* Count what is suppressed in the events, not in the kernel log. */
	ratelimit_set_flags(&limit->rs, RATELIMIT_MSG_ON_RELEASE);
	atomic_set(&limit->suppressed, 0);
}

/**
 * l2tp_ipsec_event_violation - report a packet that failed a check
 * @net: the packet's namespace
 * @ln: its state
 * @skb: the packet
 * @pkt: what was read of it
 * @b: the binding it matched, or NULL
 * @reason: the first check it failed
 * @audit: the packet is let through because of audit mode
 *
 * Context: the packet path, RCU read side.
 */
void l2tp_ipsec_event_violation(struct net *net, struct l2tp_ipsec_net *ln,
				const struct sk_buff *skb,
				const struct l2tp_ipsec_pkt *pkt,
				const struct l2tp_ipsec_binding *b,
				enum l2tp_ipsec_reason reason, bool audit)
{
	send_event(net, &ln->violations, L2TP_IPSEC_CMD_VIOLATION_NTF, skb, pkt,
		   b, reason, audit);
}

/**
 * l2tp_ipsec_event_unbound - report a packet no tunnel binding names
 * @net: the packet's namespace
 * @ln: its state
 * @skb: the packet
 * @pkt: what was read of it
 * @listener: the listener binding it matched, or NULL
 * @reason: its verdict's reason, L2TP_IPSEC_REASON_NONE if it passed
 * @audit: the packet is let through because of audit mode
 *
 * Context: the packet path, RCU read side.
 */
void l2tp_ipsec_event_unbound(struct net *net, struct l2tp_ipsec_net *ln,
			      const struct sk_buff *skb,
			      const struct l2tp_ipsec_pkt *pkt,
			      const struct l2tp_ipsec_binding *listener,
			      enum l2tp_ipsec_reason reason, bool audit)
{
	send_event(net, &ln->unbound, L2TP_IPSEC_CMD_UNBOUND_NTF, skb, pkt,
		   listener, reason, audit);
}
