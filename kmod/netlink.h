/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The l2tp_ipsec generic netlink family.
 */

#ifndef _L2TP_IPSEC_NETLINK_H
#define _L2TP_IPSEC_NETLINK_H

#include <net/genetlink.h>

enum l2tp_ipsec_nlgrp {
	L2TP_IPSEC_NLGRP_EVENTS,
};

extern struct genl_family l2tp_ipsec_nl_family;

int l2tp_ipsec_nl_register(void);
void l2tp_ipsec_nl_unregister(void);

#endif /* _L2TP_IPSEC_NETLINK_H */
