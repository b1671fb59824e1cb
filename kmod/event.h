/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Violation events on the "events" multicast group.
 */

#ifndef _L2TP_IPSEC_EVENT_H
#define _L2TP_IPSEC_EVENT_H

#include "check.h"
#include "netns.h"

void l2tp_ipsec_event_limit_init(struct l2tp_ipsec_event_limit *limit);
void l2tp_ipsec_events_start(void);
void l2tp_ipsec_events_stop(void);
void l2tp_ipsec_event_violation(struct net *net, struct l2tp_ipsec_net *ln,
				const struct sk_buff *skb,
				const struct l2tp_ipsec_pkt *pkt,
				const struct l2tp_ipsec_binding *b,
				enum l2tp_ipsec_reason reason, bool audit);
void l2tp_ipsec_event_unbound(struct net *net, struct l2tp_ipsec_net *ln,
			      const struct sk_buff *skb,
			      const struct l2tp_ipsec_pkt *pkt,
			      const struct l2tp_ipsec_binding *listener,
			      enum l2tp_ipsec_reason reason, bool audit);

#endif /* _L2TP_IPSEC_EVENT_H */
