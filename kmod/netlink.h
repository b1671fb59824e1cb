/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The l2tp_ipsec generic netlink family.
 */

#ifndef _L2TP_IPSEC_NETLINK_H
#define _L2TP_IPSEC_NETLINK_H

#include <net/genetlink.h>
#include <net/xfrm.h>

/* The family, its ops and groups: generated from the YAML spec. */
#include "netlink-ops.h"

/* An address as its IPv4 (@v4) or IPv6 (@v6) attribute, by @family. */
static inline int l2tp_ipsec_nla_put_addr(struct sk_buff *msg, int v4, int v6,
					  u16 family, const xfrm_address_t *a)
{
	if (family == AF_INET)
		return nla_put_in_addr(msg, v4, a->a4);
	return nla_put_in6_addr(msg, v6, &a->in6);
}

int l2tp_ipsec_nl_register(void);
void l2tp_ipsec_nl_unregister(void);

#endif /* _L2TP_IPSEC_NETLINK_H */
