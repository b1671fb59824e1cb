/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What l2tp_ipsec uses of net/l2tp/l2tp_core.c, whose header is not among
 * the installed kernel headers: two exported functions, taken with
 * symbol_get() when needed so that the module does not depend on
 * l2tp_core. struct l2tp_tunnel stays opaque: only its address is compared.
 */

#ifndef _L2TP_IPSEC_L2TP_CORE_H
#define _L2TP_IPSEC_L2TP_CORE_H

#include <linux/types.h>

struct l2tp_tunnel;
struct net;

struct l2tp_tunnel *l2tp_tunnel_get(const struct net *net, u32 tunnel_id);
void l2tp_tunnel_dec_refcount(struct l2tp_tunnel *tunnel);

#endif /* _L2TP_IPSEC_L2TP_CORE_H */
