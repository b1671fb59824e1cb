/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Netfilter hooks at LOCAL_IN, where transport-mode ESP has been removed
 * and the sec_path says which SAs did it.
 */

#ifndef _L2TP_IPSEC_HOOK_H
#define _L2TP_IPSEC_HOOK_H

#include <linux/netfilter.h>

#define L2TP_IPSEC_NF_OPS_NUM	2

extern const struct nf_hook_ops l2tp_ipsec_nf_ops[L2TP_IPSEC_NF_OPS_NUM];

#endif /* _L2TP_IPSEC_HOOK_H */
