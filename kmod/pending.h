/* SPDX-License-Identifier: GPL-2.0 */
/*
 * L2TPv2 tunnels being set up: which SA a tunnel's SCCRQ came through, so
 * that the LNS's answers leave through it and its next messages are judged
 * by the listener, before any binding names the tunnel.
 */

#ifndef _L2TP_IPSEC_PENDING_H
#define _L2TP_IPSEC_PENDING_H

#include <linux/jiffies.h>
#include <linux/skbuff.h>
#include <net/xfrm.h>

#include "check.h"
#include "netns.h"

/* What a header's tunnel ID is to the tunnels being set up. */
enum l2tp_ipsec_pending_tid {
	L2TP_IPSEC_PENDING_NONE,	/* no live slot holds it */
	L2TP_IPSEC_PENDING_OURS,	/* held for the packet's SA's mark only */
	L2TP_IPSEC_PENDING_FOREIGN,	/* held for another mark */
};

/* The mark an SA sets on what it decrypts (XFRMA_SET_MARK), 0 if none. */
static inline u32 l2tp_ipsec_sa_set_mark(const struct xfrm_state *x)
{
	return x ? x->props.smark.v & x->props.smark.m : 0;
}

/* Whether any slot may be live: a namespace that sets nothing up skips. */
static inline bool l2tp_ipsec_pending_any(struct l2tp_ipsec_net *ln)
{
	return time_before(jiffies, READ_ONCE(ln->pending.until));
}

void l2tp_ipsec_pending_init(struct l2tp_ipsec_net *ln);
void l2tp_ipsec_pending_flush(struct l2tp_ipsec_net *ln);
void l2tp_ipsec_pending_learn(struct l2tp_ipsec_net *ln,
			      const struct sk_buff *skb,
			      const struct l2tp_ipsec_pkt *pkt);
u32 l2tp_ipsec_pending_out_mark(struct l2tp_ipsec_net *ln,
				const struct sk_buff *skb,
				const struct l2tp_ipsec_key *key,
				unsigned int off, unsigned int len, u16 tid);
enum l2tp_ipsec_pending_tid
l2tp_ipsec_pending_tid(struct l2tp_ipsec_net *ln,
		       const struct l2tp_ipsec_key *key, u16 tid, u32 mark);

#endif /* _L2TP_IPSEC_PENDING_H */
