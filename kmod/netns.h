/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per network namespace state of l2tp_ipsec: bindings, configuration,
 * counters.
 */

#ifndef _L2TP_IPSEC_NETNS_H
#define _L2TP_IPSEC_NETNS_H

#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/ratelimit.h>
#include <linux/seqlock.h>
#include <linux/rhashtable-types.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/netns/generic.h>
#include <net/xfrm.h>
#include <linux/l2tp_ipsec.h>

#define L2TP_IPSEC_NPORTS	65536

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

/* Tunnels being set up that a namespace remembers, and for how long. */
#define L2TP_IPSEC_PENDING_MAX	32
#define L2TP_IPSEC_PENDING_TTL	(60 * HZ)

/**
 * struct l2tp_ipsec_pending_slot - one L2TPv2 tunnel being set up
 * @key: its 4-tuple as it arrives (local = destination)
 * @expires: jiffies_64 at which the slot is free again
 * @mark: the set-mark of the SA that brought its SCCRQ, never 0
 * @peer_tid: the peer's Assigned Tunnel ID, never 0 in a used slot
 * @local_tid: the LNS's Assigned Tunnel ID from its SCCRP, 0 until seen
 */
struct l2tp_ipsec_pending_slot {
	struct l2tp_ipsec_key key;
	u64 expires;
	u32 mark;
	u16 peer_tid;
	u16 local_tid;
};

/**
 * struct l2tp_ipsec_pending - the namespace's tunnels being set up
 * @lock: writers (packet path, flush) serialise on it, readers retry
 * @until: jiffies at which the last slot expires: past it, no slot is live
 * @slot: the slots
 */
struct l2tp_ipsec_pending {
	seqlock_t lock;
	unsigned long until;
	struct l2tp_ipsec_pending_slot slot[L2TP_IPSEC_PENDING_MAX];
};

/* Counter indexes, in the order of the L2TP_IPSEC_A_STATS_* attributes. */
enum l2tp_ipsec_counter {
	L2TP_IPSEC_CNT_ACCEPTED,
	L2TP_IPSEC_CNT_ACCEPTED_UNBOUND,
	L2TP_IPSEC_CNT_DROPPED_CLEARTEXT,
	L2TP_IPSEC_CNT_DROPPED_PROTO_MODE,
	L2TP_IPSEC_CNT_DROPPED_SA_MISMATCH,
	L2TP_IPSEC_CNT_DROPPED_ADDR_MISMATCH,
	L2TP_IPSEC_CNT_DROPPED_TUNNEL_ID,
	L2TP_IPSEC_CNT_DROPPED_MALFORMED,
	L2TP_IPSEC_CNT_DROPPED_POLICY,
	L2TP_IPSEC_CNT_AUDITED,
	L2TP_IPSEC_CNT_NUM,
};

/**
 * struct l2tp_ipsec_event_limit - rate limit of one kind of event
 * @rs: a burst of 100 a second
 * @suppressed: events dropped since the last one sent
 */
struct l2tp_ipsec_event_limit {
	struct ratelimit_state rs;
	atomic_t suppressed;
};

struct l2tp_ipsec_pcpu_stats {
	u64_stats_t cnt[L2TP_IPSEC_CNT_NUM];
	struct u64_stats_sync syncp;
};

/**
 * struct l2tp_ipsec_net - state of one network namespace
 * @lock: serialises every change below; the packet path takes no lock
 * @bindings: bindings keyed by their 4-tuple (RCU), the first of each
 *	4-tuple
 * @shares: the bindings of each 4-tuple that several share (RCU)
 * @endpoints: local endpoints that have at least one binding (RCU)
 * @tunnel_ids: (local endpoint, L2TPv2 tunnel ID) pairs that bindings pin
 *	(RCU); a listener there refuses those IDs
 * @ids: bindings by id, for dumps in a stable order
 * @next_id: cursor of the cyclic id allocator
 * @port_refs: number of endpoints on each local port
 * @nbindings: bindings present
 * @max_bindings: limit on @nbindings
 * @policy: enum l2tp_ipsec_policy for unbound traffic
 * @mode: enum l2tp_ipsec_mode, enforce or audit
 * @nports: entries used in @ports
 * @ports: configured ports
 * @stats: namespace counters
 * @violations: rate limit of violation events
 * @unbound: rate limit of unbound-traffic events
 * @watch: ports the hook judges: @ports and the local ports of bindings
 * @steers: what steering bindings steer with, by binding id (RCU)
 * @outbound: the same, of bindings with a peer tunnel ID, by 4-tuple and
 *	that ID (RCU)
 * @reap: lets go of the sockets in @steers that their owners closed
 * @pending: L2TPv2 tunnels being set up, before any binding names them
 */
struct l2tp_ipsec_net {
	struct mutex lock;	/* serialises changes, never on the packet path */
	struct rhashtable bindings;
	struct rhashtable shares;
	struct rhashtable endpoints;
	struct rhashtable tunnel_ids;
	struct xarray ids;
	u32 next_id;
	struct xarray port_refs;
	u32 nbindings;
	u32 max_bindings;
	u8 policy;
	u8 mode;
	u8 nports;
	u16 ports[L2TP_IPSEC_MAX_PORTS];
	struct l2tp_ipsec_pcpu_stats __percpu *stats;
	struct l2tp_ipsec_event_limit violations;
	struct l2tp_ipsec_event_limit unbound;
	DECLARE_BITMAP(watch, L2TP_IPSEC_NPORTS);
	struct xarray steers;
	struct rhashtable outbound;
	struct delayed_work reap;
	struct l2tp_ipsec_pending pending;
};

extern unsigned int l2tp_ipsec_net_id;

static inline struct l2tp_ipsec_net *l2tp_ipsec_pernet(const struct net *net)
{
	return net_generic(net, l2tp_ipsec_net_id);
}

int l2tp_ipsec_netns_register(void);
void l2tp_ipsec_netns_unregister(void);
void l2tp_ipsec_watch_update(struct l2tp_ipsec_net *ln, u16 port);
void l2tp_ipsec_stats_read(struct l2tp_ipsec_net *ln,
			   u64 out[L2TP_IPSEC_CNT_NUM]);

static inline void l2tp_ipsec_count(struct l2tp_ipsec_net *ln,
				    enum l2tp_ipsec_counter idx)
{
	struct l2tp_ipsec_pcpu_stats *s = this_cpu_ptr(ln->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->cnt[idx]);
	u64_stats_update_end(&s->syncp);
}

#endif /* _L2TP_IPSEC_NETNS_H */
