// SPDX-License-Identifier: GPL-2.0
/*
 * Binding table: an rhashtable keyed by 4-tuple for the packet path, an
 * xarray by id for dumps, a table of local endpoints so that a packet
 * reaching a bound socket from an unknown peer is told apart from traffic
 * to a socket nobody bound, and a table of the L2TPv2 tunnel IDs that
 * bindings pin on each endpoint, so that a listener there can refuse an
 * established tunnel's ID.
 */

#include <linux/netlink.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>

#include "binding.h"

struct l2tp_ipsec_ep_key {
	xfrm_address_t addr;
	__be16 port;
	u16 family;
};

struct l2tp_ipsec_endpoint {
	struct rhash_head node;
	struct l2tp_ipsec_ep_key key;
	unsigned int refs;
	struct rcu_head rcu;
};

/* Hashed as raw bytes like the others: every instance starts zeroed. */
struct l2tp_ipsec_tid_key {
	struct l2tp_ipsec_ep_key ep;
	u16 tid;
	u16 pad;
};

/* A tunnel ID pinned on a local endpoint, by @refs bindings. */
struct l2tp_ipsec_tid {
	struct rhash_head node;
	struct l2tp_ipsec_tid_key key;
	unsigned int refs;
	struct rcu_head rcu;
};

static struct kmem_cache *binding_cache;

static const struct rhashtable_params binding_params = {
	.key_len = sizeof(struct l2tp_ipsec_key),
	.key_offset = offsetof(struct l2tp_ipsec_binding, key),
	.head_offset = offsetof(struct l2tp_ipsec_binding, node),
	.automatic_shrinking = true,
};

static const struct rhashtable_params endpoint_params = {
	.key_len = sizeof(struct l2tp_ipsec_ep_key),
	.key_offset = offsetof(struct l2tp_ipsec_endpoint, key),
	.head_offset = offsetof(struct l2tp_ipsec_endpoint, node),
	.automatic_shrinking = true,
};

static const struct rhashtable_params tid_params = {
	.key_len = sizeof(struct l2tp_ipsec_tid_key),
	.key_offset = offsetof(struct l2tp_ipsec_tid, key),
	.head_offset = offsetof(struct l2tp_ipsec_tid, node),
	.automatic_shrinking = true,
};

static void ep_key_of(struct l2tp_ipsec_ep_key *ek,
		      const struct l2tp_ipsec_key *key)
{
	memset(ek, 0, sizeof(*ek));
	ek->addr = key->laddr;
	ek->port = key->lport;
	ek->family = key->family;
}

static void tid_key_of(struct l2tp_ipsec_tid_key *tk,
		       const struct l2tp_ipsec_key *key, u16 tid)
{
	memset(tk, 0, sizeof(*tk));
	ep_key_of(&tk->ep, key);
	tk->tid = tid;
}

/**
 * l2tp_ipsec_binding_cache_init - create the slab cache of bindings
 *
 * Return: 0 or -ENOMEM.
 */
int l2tp_ipsec_binding_cache_init(void)
{
	/* The size is a promise (Documentation/performance.rst). */
	BUILD_BUG_ON(IS_ENABLED(CONFIG_64BIT) &&
		     sizeof(struct l2tp_ipsec_binding) > 128);
	binding_cache = KMEM_CACHE(l2tp_ipsec_binding, SLAB_ACCOUNT);
	return binding_cache ? 0 : -ENOMEM;
}

/**
 * l2tp_ipsec_binding_cache_destroy - destroy the slab cache of bindings
 *
 * Waits for bindings still queued for an RCU free first.
 */
void l2tp_ipsec_binding_cache_destroy(void)
{
	rcu_barrier();
	kmem_cache_destroy(binding_cache);
}

static void binding_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(binding_cache,
			container_of(head, struct l2tp_ipsec_binding, rcu));
}

/* Called with ln->lock held. */
static int endpoint_get(struct l2tp_ipsec_net *ln,
			const struct l2tp_ipsec_key *key)
{
	struct l2tp_ipsec_endpoint *ep;
	struct l2tp_ipsec_ep_key ek;
	u16 port = ntohs(key->lport);
	unsigned long refs;
	int err;

	ep_key_of(&ek, key);
	ep = rhashtable_lookup_fast(&ln->endpoints, &ek, endpoint_params);
	if (ep) {
		ep->refs++;
		return 0;
	}

	ep = kzalloc(sizeof(*ep), GFP_KERNEL_ACCOUNT);
	if (!ep)
		return -ENOMEM;
	ep->key = ek;
	ep->refs = 1;

	refs = xa_to_value(xa_load(&ln->port_refs, port) ?: xa_mk_value(0));
	err = xa_err(xa_store(&ln->port_refs, port, xa_mk_value(refs + 1),
			      GFP_KERNEL_ACCOUNT));
	if (err)
		goto free_ep;

	err = rhashtable_insert_fast(&ln->endpoints, &ep->node,
				     endpoint_params);
	if (err)
		goto restore_refs;

	l2tp_ipsec_watch_update(ln, port);
	return 0;

restore_refs:
	if (refs)
		xa_store(&ln->port_refs, port, xa_mk_value(refs), GFP_KERNEL);
	else
		xa_erase(&ln->port_refs, port);
free_ep:
	kfree(ep);
	return err;
}

/* Called with ln->lock held. */
static void endpoint_put(struct l2tp_ipsec_net *ln,
			 const struct l2tp_ipsec_key *key)
{
	struct l2tp_ipsec_endpoint *ep;
	struct l2tp_ipsec_ep_key ek;
	u16 port = ntohs(key->lport);
	unsigned long refs;

	ep_key_of(&ek, key);
	ep = rhashtable_lookup_fast(&ln->endpoints, &ek, endpoint_params);
	if (WARN_ON_ONCE(!ep))
		return;
	if (--ep->refs)
		return;

	rhashtable_remove_fast(&ln->endpoints, &ep->node, endpoint_params);
	kfree_rcu(ep, rcu);

	refs = xa_to_value(xa_load(&ln->port_refs, port));
	if (refs > 1)
		/* Replacing an existing entry allocates nothing. */
		xa_store(&ln->port_refs, port, xa_mk_value(refs - 1),
			 GFP_KERNEL);
	else
		xa_erase(&ln->port_refs, port);
	l2tp_ipsec_watch_update(ln, port);
}

/*
 * The tunnel ID @b pins on its local endpoint: one entry per (endpoint,
 * ID), counted, since nothing stops two bindings of one endpoint from
 * pinning the same ID. Called with ln->lock held.
 */
static int tid_get(struct l2tp_ipsec_net *ln,
		   const struct l2tp_ipsec_binding *b)
{
	struct l2tp_ipsec_tid_key tk;
	struct l2tp_ipsec_tid *t;
	int err;

	if (!b->v2_tunnel_id)
		return 0;
	tid_key_of(&tk, &b->key, b->v2_tunnel_id);
	t = rhashtable_lookup_fast(&ln->tunnel_ids, &tk, tid_params);
	if (t) {
		t->refs++;
		return 0;
	}

	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return -ENOMEM;
	t->key = tk;
	t->refs = 1;
	err = rhashtable_insert_fast(&ln->tunnel_ids, &t->node, tid_params);
	if (err)
		kfree(t);
	return err;
}

/* Called with ln->lock held. */
static void tid_put(struct l2tp_ipsec_net *ln,
		    const struct l2tp_ipsec_binding *b)
{
	struct l2tp_ipsec_tid_key tk;
	struct l2tp_ipsec_tid *t;

	if (!b->v2_tunnel_id)
		return;
	tid_key_of(&tk, &b->key, b->v2_tunnel_id);
	t = rhashtable_lookup_fast(&ln->tunnel_ids, &tk, tid_params);
	if (WARN_ON_ONCE(!t))
		return;
	if (--t->refs)
		return;
	rhashtable_remove_fast(&ln->tunnel_ids, &t->node, tid_params);
	/* A listener's packet may be looking at it. */
	kfree_rcu(t, rcu);
}

/**
 * l2tp_ipsec_binding_add - add a copy of @tmpl to the namespace
 * @ln: the namespace's state
 * @tmpl: the binding to add; its counters, id and node are ignored
 * @extack: where to report why it failed
 *
 * Return: 0, -ENOSPC past the namespace's limit, -EEXIST if the 4-tuple is
 * bound already, -ENOMEM.
 */
int l2tp_ipsec_binding_add(struct l2tp_ipsec_net *ln,
			   const struct l2tp_ipsec_binding *tmpl,
			   struct netlink_ext_ack *extack)
{
	struct l2tp_ipsec_binding *b;
	int err;

	mutex_lock(&ln->lock);
	if (ln->nbindings >= ln->max_bindings) {
		NL_SET_ERR_MSG(extack,
			       "Namespace holds max-bindings bindings already");
		err = -ENOSPC;
		goto unlock;
	}

	b = kmem_cache_zalloc(binding_cache, GFP_KERNEL_ACCOUNT);
	if (!b) {
		err = -ENOMEM;
		goto unlock;
	}
	b->key = tmpl->key;
	b->reqid = tmpl->reqid;
	b->spi = tmpl->spi;
	b->encap_sport = tmpl->encap_sport;
	b->encap_dport = tmpl->encap_dport;
	b->v2_tunnel_id = tmpl->v2_tunnel_id;
	b->version = tmpl->version;
	b->allow_ah = tmpl->allow_ah;
	b->mode = tmpl->mode;
	b->owner = tmpl->owner;

	err = xa_alloc_cyclic(&ln->ids, &b->id, b, xa_limit_32b, &ln->next_id,
			      GFP_KERNEL_ACCOUNT);
	if (err < 0)
		goto free_binding;

	err = endpoint_get(ln, &b->key);
	if (err)
		goto erase_id;

	err = tid_get(ln, b);
	if (err)
		goto put_endpoint;

	err = rhashtable_lookup_insert_fast(&ln->bindings, &b->node,
					    binding_params);
	if (err) {
		if (err == -EEXIST)
			NL_SET_ERR_MSG(extack,
				       "A binding with this 4-tuple exists");
		goto put_tid;
	}

	ln->nbindings++;
	mutex_unlock(&ln->lock);
	return 0;

put_tid:
	tid_put(ln, b);
put_endpoint:
	endpoint_put(ln, &b->key);
erase_id:
	xa_erase(&ln->ids, b->id);
free_binding:
	/* A dump may have seen it in ln->ids. */
	call_rcu(&b->rcu, binding_free_rcu);
unlock:
	mutex_unlock(&ln->lock);
	return err;
}

/* Called with ln->lock held. */
static void binding_remove(struct l2tp_ipsec_net *ln,
			   struct l2tp_ipsec_binding *b)
{
	rhashtable_remove_fast(&ln->bindings, &b->node, binding_params);
	xa_erase(&ln->ids, b->id);
	tid_put(ln, b);
	endpoint_put(ln, &b->key);
	ln->nbindings--;
	call_rcu(&b->rcu, binding_free_rcu);
}

/**
 * l2tp_ipsec_binding_del - delete the binding with the given key
 * @ln: the namespace's state
 * @key: the binding's 4-tuple
 *
 * Return: 0 or -ENOENT.
 */
int l2tp_ipsec_binding_del(struct l2tp_ipsec_net *ln,
			   const struct l2tp_ipsec_key *key)
{
	struct l2tp_ipsec_binding *b;
	int err = -ENOENT;

	mutex_lock(&ln->lock);
	b = rhashtable_lookup_fast(&ln->bindings, key, binding_params);
	if (b) {
		binding_remove(ln, b);
		err = 0;
	}
	mutex_unlock(&ln->lock);
	return err;
}

/**
 * l2tp_ipsec_binding_flush - delete every binding of the namespace
 * @ln: the namespace's state
 */
void l2tp_ipsec_binding_flush(struct l2tp_ipsec_net *ln)
{
	struct l2tp_ipsec_binding *b;
	unsigned long id;

	mutex_lock(&ln->lock);
	xa_for_each(&ln->ids, id, b) {
		binding_remove(ln, b);
		cond_resched();
	}
	mutex_unlock(&ln->lock);
}

/**
 * l2tp_ipsec_binding_find - the binding with exactly this key
 * @ln: the namespace's state
 * @key: a 4-tuple, wildcards as zeroes
 *
 * Context: ln->lock held, so that the binding stays.
 * Return: the binding or NULL.
 */
struct l2tp_ipsec_binding *
l2tp_ipsec_binding_find(struct l2tp_ipsec_net *ln,
			const struct l2tp_ipsec_key *key)
{
	return rhashtable_lookup_fast(&ln->bindings, key, binding_params);
}

/**
 * l2tp_ipsec_binding_match - the binding a packet belongs to
 * @ln: the namespace's state
 * @pkt: the packet's 4-tuple
 *
 * Tries the exact 4-tuple, then any peer port, then any peer (a listener),
 * so the cost does not depend on the number of bindings.
 *
 * Context: RCU read side.
 * Return: the binding or NULL.
 */
struct l2tp_ipsec_binding *
l2tp_ipsec_binding_match(struct l2tp_ipsec_net *ln,
			 const struct l2tp_ipsec_key *pkt)
{
	struct l2tp_ipsec_binding *b;
	struct l2tp_ipsec_key key = *pkt;

	b = rhashtable_lookup(&ln->bindings, &key, binding_params);
	if (b)
		return b;
	key.pport = 0;
	b = rhashtable_lookup(&ln->bindings, &key, binding_params);
	if (b)
		return b;
	memset(&key.paddr, 0, sizeof(key.paddr));
	return rhashtable_lookup(&ln->bindings, &key, binding_params);
}

/**
 * l2tp_ipsec_endpoint_bound - whether any binding has the packet's local end
 * @ln: the namespace's state
 * @pkt: the packet's 4-tuple
 *
 * Context: RCU read side.
 * Return: true if a binding names the packet's local address and port.
 */
bool l2tp_ipsec_endpoint_bound(struct l2tp_ipsec_net *ln,
			       const struct l2tp_ipsec_key *pkt)
{
	struct l2tp_ipsec_ep_key ek;

	ep_key_of(&ek, pkt);
	return rhashtable_lookup(&ln->endpoints, &ek, endpoint_params);
}

/**
 * l2tp_ipsec_tunnel_id_owned - whether a binding pins an L2TPv2 tunnel ID
 *	on the packet's local endpoint
 * @ln: the namespace's state
 * @pkt: the packet's 4-tuple; only its local address, port and family count
 * @tid: the tunnel ID of the packet's header
 *
 * A listener binding pins no tunnel ID itself, so a listener asks this to
 * tell an established tunnel's ID, which only that tunnel's binding may
 * take, from a new tunnel's.
 *
 * Context: RCU read side.
 * Return: true if some binding of that endpoint has @tid as v2_tunnel_id.
 */
bool l2tp_ipsec_tunnel_id_owned(struct l2tp_ipsec_net *ln,
				const struct l2tp_ipsec_key *pkt, u16 tid)
{
	struct l2tp_ipsec_tid_key tk;

	tid_key_of(&tk, pkt, tid);
	return rhashtable_lookup(&ln->tunnel_ids, &tk, tid_params);
}

/**
 * l2tp_ipsec_binding_stats - read a binding's counters
 * @b: the binding
 * @out: its counters, indexed by enum l2tp_ipsec_counter; those a binding
 *	never moves (accepted_unbound, dropped_policy) read 0
 */
void l2tp_ipsec_binding_stats(const struct l2tp_ipsec_binding *b,
			      u64 out[L2TP_IPSEC_CNT_NUM])
{
	unsigned int i;

	memset(out, 0, sizeof(u64) * L2TP_IPSEC_CNT_NUM);
	out[L2TP_IPSEC_CNT_ACCEPTED] = atomic64_read(&b->accepted);
	out[L2TP_IPSEC_CNT_AUDITED] = atomic64_read(&b->audited);
	for (i = 0; i < L2TP_IPSEC_BINDING_DROPS; i++)
		out[L2TP_IPSEC_CNT_DROPPED_CLEARTEXT + i] =
			(u32)atomic_read(&b->dropped[i]);
}

/**
 * l2tp_ipsec_bindings_init - set up the tables of a namespace
 * @ln: the namespace's state
 *
 * Return: 0 or -errno.
 */
int l2tp_ipsec_bindings_init(struct l2tp_ipsec_net *ln)
{
	int err;

	xa_init_flags(&ln->ids, XA_FLAGS_ALLOC1 | XA_FLAGS_ACCOUNT);
	xa_init(&ln->port_refs);
	err = rhashtable_init(&ln->bindings, &binding_params);
	if (err)
		return err;
	err = rhashtable_init(&ln->endpoints, &endpoint_params);
	if (err)
		goto destroy_bindings;
	err = rhashtable_init(&ln->tunnel_ids, &tid_params);
	if (err)
		goto destroy_endpoints;
	return 0;

destroy_endpoints:
	rhashtable_destroy(&ln->endpoints);
destroy_bindings:
	rhashtable_destroy(&ln->bindings);
	return err;
}

static void binding_free(void *ptr, void *arg)
{
	kmem_cache_free(binding_cache, ptr);
}

/* Endpoints and tunnel IDs. */
static void entry_free(void *ptr, void *arg)
{
	kfree(ptr);
}

/**
 * l2tp_ipsec_bindings_destroy - free every binding of a dying namespace
 * @ln: the namespace's state
 *
 * Context: the namespace's hooks are unregistered and no reader is left.
 */
void l2tp_ipsec_bindings_destroy(struct l2tp_ipsec_net *ln)
{
	rhashtable_free_and_destroy(&ln->bindings, binding_free, NULL);
	rhashtable_free_and_destroy(&ln->endpoints, entry_free, NULL);
	rhashtable_free_and_destroy(&ln->tunnel_ids, entry_free, NULL);
	xa_destroy(&ln->ids);
	xa_destroy(&ln->port_refs);
}
