/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Netfilter hooks: at LOCAL_IN, where transport-mode ESP has been removed
 * and the sec_path says which SAs did it (hook.c); at LOCAL_OUT, where a
 * tunnel's packets get the mark of their SA's policy (mark.c).
 */

#ifndef _L2TP_IPSEC_HOOK_H
#define _L2TP_IPSEC_HOOK_H

#include <linux/netfilter.h>

#define L2TP_IPSEC_NF_OPS_NUM	4

extern const struct nf_hook_ops l2tp_ipsec_nf_ops[L2TP_IPSEC_NF_OPS_NUM];

unsigned int l2tp_ipsec_out4(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state);
unsigned int l2tp_ipsec_out6(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state);

#endif /* _L2TP_IPSEC_HOOK_H */
