/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The checks of RFC 3193 section 3.3 on one packet, free of side effects.
 */

#ifndef _L2TP_IPSEC_CHECK_H
#define _L2TP_IPSEC_CHECK_H

#include <linux/skbuff.h>
#include <linux/l2tp_ipsec.h>

#include "binding.h"

/**
 * struct l2tp_ipsec_pkt - what the checks need to know of a packet
 * @key: its 4-tuple, local = destination, peer = source
 * @x: the last applied xfrm state, NULL for cleartext
 * @l2tp_off: offset of the L2TP header in the skb
 * @l2tp_len: bytes of UDP payload present
 */
struct l2tp_ipsec_pkt {
	struct l2tp_ipsec_key key;
	const struct xfrm_state *x;
	unsigned int l2tp_off;
	unsigned int l2tp_len;
};

enum l2tp_ipsec_reason l2tp_ipsec_check_bound(struct l2tp_ipsec_net *ln,
					      const struct sk_buff *skb,
					      const struct l2tp_ipsec_pkt *pkt,
					      const struct l2tp_ipsec_binding *b);
enum l2tp_ipsec_reason l2tp_ipsec_check_unbound(const struct l2tp_ipsec_pkt *pkt,
						u8 policy);
bool l2tp_ipsec_v2_tunnel_id(const struct sk_buff *skb, unsigned int off,
			     unsigned int len, u16 *tid);

#endif /* _L2TP_IPSEC_CHECK_H */
