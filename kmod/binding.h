/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bindings: an L2TP tunnel's socket information and the identity of the
 * IPsec SA that must protect it.
 */

#ifndef _L2TP_IPSEC_BINDING_H
#define _L2TP_IPSEC_BINDING_H

#include <linux/atomic.h>
#include <linux/rhashtable-types.h>
#include <linux/types.h>
#include <net/xfrm.h>

#include "netns.h"

struct netlink_ext_ack;

/*
 * Hash key. Hashed and compared as raw bytes, so every instance starts
 * zeroed. A zero @paddr means any peer, a zero @pport any peer port.
 */
struct l2tp_ipsec_key {
	xfrm_address_t laddr;
	xfrm_address_t paddr;
	__be16 lport;
	__be16 pport;
	u16 family;
	u16 pad;
};

/**
 * struct l2tp_ipsec_binding - one bound tunnel
 * @node: in l2tp_ipsec_net.bindings
 * @key: the tunnel's 4-tuple
 * @id: dump cursor and name in events
 * @reqid: pinned reqid, 0 if not pinned
 * @spi: pinned SPI, 0 if not pinned
 * @encap_sport: NAT-T encapsulation source port, 0 if none recorded
 * @encap_dport: NAT-T encapsulation destination port
 * @v2_tunnel_id: pinned local L2TPv2 tunnel ID, 0 if not pinned
 * @version: L2TP version the header must carry, 0 for 2 or 3
 * @allow_ah: AH is accepted as well as ESP
 * @mode: enum l2tp_ipsec_mode
 * @owner: opaque tag of whoever made it, 0 if none
 * @cnt: counters; a tunnel's packets come in on one CPU at a time mostly,
 *	and per-CPU copies would cost nr_cpus times the memory per binding
 * @rcu: deferred free
 */
struct l2tp_ipsec_binding {
	struct rhash_head node;
	struct l2tp_ipsec_key key;
	u32 id;
	u32 reqid;
	__be32 spi;
	__be16 encap_sport;
	__be16 encap_dport;
	u16 v2_tunnel_id;
	u8 version;
	bool allow_ah;
	u8 mode;
	u32 owner;
	atomic64_t cnt[L2TP_IPSEC_CNT_NUM];
	struct rcu_head rcu;
};

static inline bool l2tp_ipsec_is_listener(const struct l2tp_ipsec_key *key)
{
	return !key->pport && xfrm_addr_any(&key->paddr, key->family);
}

int l2tp_ipsec_binding_cache_init(void);
void l2tp_ipsec_binding_cache_destroy(void);
int l2tp_ipsec_bindings_init(struct l2tp_ipsec_net *ln);
void l2tp_ipsec_bindings_destroy(struct l2tp_ipsec_net *ln);

int l2tp_ipsec_binding_add(struct l2tp_ipsec_net *ln,
			   const struct l2tp_ipsec_binding *tmpl,
			   struct netlink_ext_ack *extack);
int l2tp_ipsec_binding_del(struct l2tp_ipsec_net *ln,
			   const struct l2tp_ipsec_key *key);
void l2tp_ipsec_binding_flush(struct l2tp_ipsec_net *ln);
struct l2tp_ipsec_binding *
l2tp_ipsec_binding_find(struct l2tp_ipsec_net *ln,
			const struct l2tp_ipsec_key *key);
struct l2tp_ipsec_binding *
l2tp_ipsec_binding_match(struct l2tp_ipsec_net *ln,
			 const struct l2tp_ipsec_key *pkt);
bool l2tp_ipsec_endpoint_bound(struct l2tp_ipsec_net *ln,
			       const struct l2tp_ipsec_key *pkt);

#endif /* _L2TP_IPSEC_BINDING_H */
