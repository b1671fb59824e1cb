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

struct l2tp_ipsec_steer_req;
struct netlink_ext_ack;

/* The drop counters a binding can move: dropped_cleartext..dropped_malformed. */
#define L2TP_IPSEC_BINDING_DROPS \
	(L2TP_IPSEC_CNT_DROPPED_MALFORMED - L2TP_IPSEC_CNT_DROPPED_CLEARTEXT + 1)

/**
 * struct l2tp_ipsec_binding - one bound tunnel
 * @node: in l2tp_ipsec_net.bindings, for the first binding of a 4-tuple
 *	only; the others of a shared 4-tuple are reached through its share
 * @key: the tunnel's 4-tuple
 * @accepted: packets that passed every check
 * @audited: packets that failed a check and were accepted in audit mode
 * @id: dump cursor and name in events
 * @reqid: pinned reqid, 0 if not pinned
 * @spi: pinned SPI, 0 if not pinned
 * @encap_sport: NAT-T encapsulation source port, 0 if none recorded
 * @encap_dport: NAT-T encapsulation destination port
 * @owner: opaque tag of whoever made it, 0 if none
 * @v2_tunnel_id: pinned local L2TPv2 tunnel ID, 0 if not pinned
 * @version: L2TP version the header must carry, 0 for 2 or 3
 * @mode: enum l2tp_ipsec_mode
 * @allow_ah: AH is accepted as well as ESP
 * @steer: it steers (its tunnel's socket, its outbound mark: in
 *	l2tp_ipsec_net.steers)
 * @shared: other bindings share @key (a struct l2tp_ipsec_share holds
 *	them all); read locklessly with smp_load_acquire()
 * @dropped: drops by reason, from L2TP_IPSEC_CNT_DROPPED_CLEARTEXT on
 * @rcu: deferred free
 *
 * 128 bytes on 64-bit, the memory a concentrator pays per tunnel. The
 * counters are atomics, not per-CPU: a tunnel's packets mostly arrive on
 * one CPU, and per-CPU copies would cost nr_cpus times as much. Only the
 * counters a binding can move are here, and the drops are 32 bits: they
 * count attacks and faults, and wrap (the namespace's own are 64 bits).
 */
struct l2tp_ipsec_binding {
	struct rhash_head node;
	struct l2tp_ipsec_key key;
	atomic64_t accepted;
	atomic64_t audited;
	u32 id;
	u32 reqid;
	__be32 spi;
	__be16 encap_sport;
	__be16 encap_dport;
	u32 owner;
	u16 v2_tunnel_id;
	u8 version:2;
	u8 mode:2;
	u8 allow_ah:1;
	u8 steer:1;
	u8 shared;
	atomic_t dropped[L2TP_IPSEC_BINDING_DROPS];
	struct rcu_head rcu;
};

/**
 * l2tp_ipsec_binding_count - count a judged packet on its binding
 * @b: the binding
 * @idx: the namespace counter the packet moved
 *
 * Context: RCU read side.
 */
static inline void l2tp_ipsec_binding_count(struct l2tp_ipsec_binding *b,
					    enum l2tp_ipsec_counter idx)
{
	if (idx == L2TP_IPSEC_CNT_ACCEPTED)
		atomic64_inc(&b->accepted);
	else if (idx == L2TP_IPSEC_CNT_AUDITED)
		atomic64_inc(&b->audited);
	else if (idx >= L2TP_IPSEC_CNT_DROPPED_CLEARTEXT &&
		 idx <= L2TP_IPSEC_CNT_DROPPED_MALFORMED)
		atomic_inc(&b->dropped[idx - L2TP_IPSEC_CNT_DROPPED_CLEARTEXT]);
}

/**
 * struct l2tp_ipsec_name - what names one binding in a request
 * @key: its 4-tuple, unless @id is given
 * @id: its id, 0 if named by @key
 * @has_pin: the request gave a pin: the binding must hold exactly it
 * @reqid: the pin's reqid, 0 for none
 * @spi: the pin's SPI, 0 for none
 * @encap_sport: the pin's NAT-T encapsulation source port, 0 for none
 * @encap_dport: the pin's NAT-T encapsulation destination port
 */
struct l2tp_ipsec_name {
	struct l2tp_ipsec_key key;
	u32 id;
	bool has_pin;
	u32 reqid;
	__be32 spi;
	__be16 encap_sport;
	__be16 encap_dport;
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
			   struct l2tp_ipsec_steer_req *req,
			   struct netlink_ext_ack *extack);
int l2tp_ipsec_binding_del(struct l2tp_ipsec_net *ln,
			   const struct l2tp_ipsec_name *name,
			   struct netlink_ext_ack *extack);
void l2tp_ipsec_binding_flush(struct l2tp_ipsec_net *ln);
struct l2tp_ipsec_binding *
l2tp_ipsec_binding_find(struct l2tp_ipsec_net *ln,
			const struct l2tp_ipsec_name *name,
			struct netlink_ext_ack *extack);
bool l2tp_ipsec_pin_match(const struct l2tp_ipsec_binding *b,
			  const struct xfrm_state *x);
struct l2tp_ipsec_binding *
l2tp_ipsec_binding_match(struct l2tp_ipsec_net *ln,
			 const struct l2tp_ipsec_key *pkt,
			 const struct xfrm_state *x);
struct l2tp_ipsec_binding *
l2tp_ipsec_binding_match_wild(struct l2tp_ipsec_net *ln,
			      const struct l2tp_ipsec_key *pkt,
			      const struct xfrm_state *x);
bool l2tp_ipsec_endpoint_bound(struct l2tp_ipsec_net *ln,
			       const struct l2tp_ipsec_key *pkt);
bool l2tp_ipsec_tunnel_id_owned(struct l2tp_ipsec_net *ln,
				const struct l2tp_ipsec_key *pkt, u16 tid);
void l2tp_ipsec_binding_stats(const struct l2tp_ipsec_binding *b,
			      u64 out[L2TP_IPSEC_CNT_NUM]);

#endif /* _L2TP_IPSEC_BINDING_H */
