// SPDX-License-Identifier: GPL-2.0
/*
 * Binding table: an rhashtable keyed by 4-tuple for the packet path, an
 * xarray by id for dumps, a table of local endpoints so that a packet
 * reaching a bound socket from an unknown peer is told apart from traffic
 * to a socket nobody bound, and a table of the L2TPv2 tunnel IDs that
 * bindings pin on each endpoint, so that a listener there can refuse an
 * established tunnel's ID.
 *
 * Several bindings may share a 4-tuple (clients behind one NAT) when their
 * pins are disjoint. The first of them is in the 4-tuple table, the packet
 * path's one lookup; a share, found by a second lookup only for a binding
 * marked shared, holds them all, at most L2TP_IPSEC_MAX_SHARED. A binding
 * costs no memory for this; a shared 4-tuple costs one share.
 */

#include <linux/netlink.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>

#include "binding.h"
#include "pending.h"
#include "steer.h"

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

/*
 * The bindings of a shared 4-tuple. Slots are RCU pointers changed in
 * place under ln->lock, so neither adding nor deleting a binding moves
 * another one under a reader, and deleting allocates nothing. @len bounds
 * the used slots; @count is the number of bindings, at least 2.
 */
struct l2tp_ipsec_share {
	struct rhash_head node;
	struct l2tp_ipsec_key key;
	unsigned int len;
	unsigned int count;
	struct rcu_head rcu;
	struct l2tp_ipsec_binding __rcu *b[L2TP_IPSEC_MAX_SHARED];
};

static struct kmem_cache *binding_cache;

static const struct rhashtable_params binding_params = {
	.key_len = sizeof(struct l2tp_ipsec_key),
	.key_offset = offsetof(struct l2tp_ipsec_binding, key),
	.head_offset = offsetof(struct l2tp_ipsec_binding, node),
	.automatic_shrinking = true,
};

static const struct rhashtable_params share_params = {
	.key_len = sizeof(struct l2tp_ipsec_key),
	.key_offset = offsetof(struct l2tp_ipsec_share, key),
	.head_offset = offsetof(struct l2tp_ipsec_share, node),
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

static bool pinned(const struct l2tp_ipsec_binding *b)
{
	return b->reqid || b->spi || b->encap_sport;
}

static bool pin_equal(const struct l2tp_ipsec_binding *b,
		      const struct l2tp_ipsec_name *n)
{
	return b->reqid == n->reqid && b->spi == n->spi &&
	       b->encap_sport == n->encap_sport &&
	       b->encap_dport == n->encap_dport;
}

/* No SA passes both: some field is pinned by both, to different values. */
static bool pins_disjoint(const struct l2tp_ipsec_binding *a,
			  const struct l2tp_ipsec_binding *b)
{
	return (a->reqid && b->reqid && a->reqid != b->reqid) ||
	       (a->spi && b->spi && a->spi != b->spi) ||
	       (a->encap_sport && b->encap_sport &&
		(a->encap_sport != b->encap_sport ||
		 a->encap_dport != b->encap_dport));
}

/**
 * l2tp_ipsec_pin_match - whether an SA passes a binding's pin
 * @b: the binding
 * @x: the last applied SA of the packet
 *
 * Context: RCU read side, or ln->lock held.
 * Return: true if @x has every reqid, SPI and NAT-T port that @b pins.
 */
bool l2tp_ipsec_pin_match(const struct l2tp_ipsec_binding *b,
			  const struct xfrm_state *x)
{
	const struct xfrm_encap_tmpl *encap;

	if (b->reqid && x->props.reqid != b->reqid)
		return false;
	if (b->spi && x->id.spi != b->spi)
		return false;
	if (!b->encap_sport)
		return true;
	/* RFC 3948: the peer's NAT mapping is part of the SA's identity. */
	encap = x->encap;
	return encap && READ_ONCE(encap->encap_sport) == b->encap_sport &&
	       READ_ONCE(encap->encap_dport) == b->encap_dport;
}

/* The share of a shared first binding. Called with ln->lock held. */
static struct l2tp_ipsec_share *share_of(struct l2tp_ipsec_net *ln,
					 const struct l2tp_ipsec_binding *b)
{
	if (!b->shared)
		return NULL;
	return rhashtable_lookup_fast(&ln->shares, &b->key, share_params);
}

static struct l2tp_ipsec_binding *share_slot(struct l2tp_ipsec_net *ln,
					     struct l2tp_ipsec_share *sh,
					     unsigned int i)
{
	return rcu_dereference_protected(sh->b[i],
					 lockdep_is_held(&ln->lock));
}

/*
 * Whether @tmpl may join the bindings of its 4-tuple, whose first is
 * @head. Called with ln->lock held.
 */
static int share_check(struct l2tp_ipsec_net *ln,
		       struct l2tp_ipsec_binding *head,
		       const struct l2tp_ipsec_binding *tmpl,
		       struct netlink_ext_ack *extack)
{
	struct l2tp_ipsec_share *sh = share_of(ln, head);
	unsigned int i, n = sh ? sh->len : 1;
	struct l2tp_ipsec_binding *b;
	struct l2tp_ipsec_name pin;

	memset(&pin, 0, sizeof(pin));
	pin.reqid = tmpl->reqid;
	pin.spi = tmpl->spi;
	pin.encap_sport = tmpl->encap_sport;
	pin.encap_dport = tmpl->encap_dport;
	for (i = 0; i < n; i++) {
		b = sh ? share_slot(ln, sh, i) : head;
		if (!b)
			continue;
		if (pin_equal(b, &pin)) {
			NL_SET_ERR_MSG(extack,
				       "A binding with this 4-tuple and pin exists");
			return -EEXIST;
		}
		if (!pinned(b)) {
			NL_SET_ERR_MSG(extack,
				       "An unpinned binding holds this 4-tuple: it matches every SA, so no other binding can share it");
			return -EEXIST;
		}
		if (!pinned(tmpl)) {
			NL_SET_ERR_MSG(extack,
				       "The 4-tuple is bound already: an unpinned binding would match every SA, so it cannot share it");
			return -EEXIST;
		}
		if (!pins_disjoint(b, tmpl)) {
			NL_SET_ERR_MSG(extack,
				       "A binding of this 4-tuple has a pin an SA could pass together with this one: pin a field both set to different values");
			return -EEXIST;
		}
	}
	if (sh && sh->count >= L2TP_IPSEC_MAX_SHARED) {
		NL_SET_ERR_MSG(extack,
			       "max-shared bindings share this 4-tuple already");
		return -ENOSPC;
	}
	return 0;
}

/* Adds @b to the bindings of @head's 4-tuple. Called with ln->lock held. */
static int share_join(struct l2tp_ipsec_net *ln,
		      struct l2tp_ipsec_binding *head,
		      struct l2tp_ipsec_binding *b)
{
	struct l2tp_ipsec_share *sh = share_of(ln, head);
	unsigned int i;
	int err;

	b->shared = 1;
	if (sh) {
		for (i = 0; i < L2TP_IPSEC_MAX_SHARED; i++)
			if (!share_slot(ln, sh, i))
				break;
		/* share_check() counted a free slot. */
		if (i == L2TP_IPSEC_MAX_SHARED)
			return -ENOSPC;
		rcu_assign_pointer(sh->b[i], b);
		if (i >= sh->len)
			/* Pairs with pick(): who sees @len sees the slot. */
			smp_store_release(&sh->len, i + 1);
		sh->count++;
		return 0;
	}

	sh = kzalloc(sizeof(*sh), GFP_KERNEL_ACCOUNT);
	if (!sh)
		return -ENOMEM;
	sh->key = head->key;
	RCU_INIT_POINTER(sh->b[0], head);
	RCU_INIT_POINTER(sh->b[1], b);
	sh->len = 2;
	sh->count = 2;
	err = rhashtable_lookup_insert_fast(&ln->shares, &sh->node,
					    share_params);
	if (err) {
		kfree(sh);
		return err;
	}
	/* Pairs with pick(): readers that see the flag find the share. */
	smp_store_release(&head->shared, 1);
	return 0;
}

/*
 * Takes @b out of its 4-tuple's share, and out of the 4-tuple table if it
 * is the first binding there, another one taking its place. Allocates
 * nothing. Called with ln->lock held.
 */
static void share_leave(struct l2tp_ipsec_net *ln,
			struct l2tp_ipsec_binding *b)
{
	struct l2tp_ipsec_binding *head, *m, *next = NULL;
	struct l2tp_ipsec_share *sh;
	unsigned int i;

	head = rhashtable_lookup_fast(&ln->bindings, &b->key, binding_params);
	sh = head ? share_of(ln, head) : NULL;
	if (!sh) {
		rhashtable_remove_fast(&ln->bindings, &b->node,
				       binding_params);
		return;
	}

	for (i = 0; i < sh->len; i++) {
		m = share_slot(ln, sh, i);
		if (m == b)
			RCU_INIT_POINTER(sh->b[i], NULL);
		else if (m && !next)
			next = m;
	}
	sh->count--;
	while (sh->len && !share_slot(ln, sh, sh->len - 1))
		WRITE_ONCE(sh->len, sh->len - 1);

	/* Same key, so replacing fails only if @b is not there. */
	if (head == b && next)
		rhashtable_replace_fast(&ln->bindings, &b->node, &next->node,
					binding_params);
	if (sh->count > 1)
		return;
	rhashtable_remove_fast(&ln->shares, &sh->node, share_params);
	kfree_rcu(sh, rcu);
	if (next)
		WRITE_ONCE(next->shared, 0);
}

/**
 * l2tp_ipsec_binding_add - add a copy of @tmpl to the namespace
 * @ln: the namespace's state
 * @tmpl: the binding to add; its counters, id and node are ignored
 * @req: what it steers with (socket, outbound mark), or NULL; the
 *	socket's reference passes to the binding, or is dropped on failure
 * @extack: where to report why it failed
 *
 * Several bindings may share a 4-tuple if their pins are pairwise
 * disjoint, so that no SA passes two of them.
 *
 * Return: 0, -ENOSPC past the namespace's limit or past
 * L2TP_IPSEC_MAX_SHARED bindings of one 4-tuple, -EEXIST if a binding of
 * the 4-tuple has the same pin or one not disjoint from it, -ENOMEM.
 */
int l2tp_ipsec_binding_add(struct l2tp_ipsec_net *ln,
			   const struct l2tp_ipsec_binding *tmpl,
			   struct l2tp_ipsec_steer_req *req,
			   struct netlink_ext_ack *extack)
{
	struct l2tp_ipsec_binding *b, *head;
	int err;

	mutex_lock(&ln->lock);
	if (ln->nbindings >= ln->max_bindings) {
		NL_SET_ERR_MSG(extack,
			       "Namespace holds max-bindings bindings already");
		err = -ENOSPC;
		goto unlock;
	}
	head = rhashtable_lookup_fast(&ln->bindings, &tmpl->key,
				      binding_params);
	if (head) {
		err = share_check(ln, head, tmpl, extack);
		if (err)
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

	if (req && l2tp_ipsec_steer_wanted(req)) {
		err = l2tp_ipsec_steer_attach(ln, b, req, extack);
		if (err)
			goto erase_id;
		/* Published with the binding: readers see it set or no binding. */
		b->steer = 1;
	}

	err = endpoint_get(ln, &b->key);
	if (err)
		goto detach;

	err = tid_get(ln, b);
	if (err)
		goto put_endpoint;

	if (head)
		err = share_join(ln, head, b);
	else
		err = rhashtable_lookup_insert_fast(&ln->bindings, &b->node,
						    binding_params);
	if (err)
		goto put_tid;

	ln->nbindings++;
	if (b->steer)
		l2tp_ipsec_steer_mark(ln, b);
	mutex_unlock(&ln->lock);
	return 0;

put_tid:
	tid_put(ln, b);
put_endpoint:
	endpoint_put(ln, &b->key);
detach:
	l2tp_ipsec_steer_detach(ln, b->id);
erase_id:
	xa_erase(&ln->ids, b->id);
free_binding:
	/* A dump may have seen it in ln->ids. */
	call_rcu(&b->rcu, binding_free_rcu);
unlock:
	mutex_unlock(&ln->lock);
	if (req && req->sk)
		sock_put(req->sk);
	return err;
}

/* Called with ln->lock held. */
static void binding_remove(struct l2tp_ipsec_net *ln,
			   struct l2tp_ipsec_binding *b)
{
	if (b->shared)
		share_leave(ln, b);
	else
		rhashtable_remove_fast(&ln->bindings, &b->node,
				       binding_params);
	xa_erase(&ln->ids, b->id);
	l2tp_ipsec_steer_detach(ln, b->id);
	tid_put(ln, b);
	endpoint_put(ln, &b->key);
	ln->nbindings--;
	call_rcu(&b->rcu, binding_free_rcu);
}

/**
 * l2tp_ipsec_binding_find - the binding a request names
 * @ln: the namespace's state
 * @name: its id, or its 4-tuple (wildcards as zeroes) and maybe a pin
 * @extack: where to report why none is named
 *
 * Without a pin, a 4-tuple names its binding only if no other shares it.
 *
 * Context: ln->lock held, so that the binding stays.
 * Return: the binding, ERR_PTR(-ENOENT) or ERR_PTR(-ENOTUNIQ).
 */
struct l2tp_ipsec_binding *
l2tp_ipsec_binding_find(struct l2tp_ipsec_net *ln,
			const struct l2tp_ipsec_name *name,
			struct netlink_ext_ack *extack)
{
	struct l2tp_ipsec_binding *b;
	struct l2tp_ipsec_share *sh;
	unsigned int i, n;

	lockdep_assert_held(&ln->lock);
	if (name->id) {
		b = xa_load(&ln->ids, name->id);
		goto found;
	}
	b = rhashtable_lookup_fast(&ln->bindings, &name->key, binding_params);
	if (!b)
		goto found;
	sh = share_of(ln, b);
	if (!sh) {
		if (name->has_pin && !pin_equal(b, name))
			b = NULL;
		goto found;
	}
	if (!name->has_pin) {
		NL_SET_ERR_MSG(extack,
			       "Several bindings share this 4-tuple: give the pin or the id of one");
		return ERR_PTR(-ENOTUNIQ);
	}
	n = sh->len;
	for (i = 0; i < n; i++) {
		b = share_slot(ln, sh, i);
		if (b && pin_equal(b, name))
			return b;
	}
	b = NULL;
found:
	if (!b) {
		NL_SET_ERR_MSG(extack, "No such binding");
		return ERR_PTR(-ENOENT);
	}
	return b;
}

/**
 * l2tp_ipsec_binding_del - delete the binding a request names
 * @ln: the namespace's state
 * @name: its id, or its 4-tuple and maybe a pin (l2tp_ipsec_binding_find())
 * @extack: where to report why none is named
 *
 * Return: 0, -ENOENT or -ENOTUNIQ.
 */
int l2tp_ipsec_binding_del(struct l2tp_ipsec_net *ln,
			   const struct l2tp_ipsec_name *name,
			   struct netlink_ext_ack *extack)
{
	struct l2tp_ipsec_binding *b;
	int err = 0;

	mutex_lock(&ln->lock);
	b = l2tp_ipsec_binding_find(ln, name, extack);
	if (IS_ERR(b))
		err = PTR_ERR(b);
	else
		binding_remove(ln, b);
	mutex_unlock(&ln->lock);
	return err;
}

/**
 * l2tp_ipsec_binding_flush - delete every binding of the namespace
 * @ln: the namespace's state
 *
 * The tunnels being set up are forgotten too: they wait for bindings.
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
	l2tp_ipsec_pending_flush(ln);
	mutex_unlock(&ln->lock);
}

/*
 * Of the bindings of @head's 4-tuple, the one whose pin @x passes; @head if
 * none does, so that the checks find why (cleartext, sa-mismatch).
 */
static struct l2tp_ipsec_binding *pick(struct l2tp_ipsec_net *ln,
				       struct l2tp_ipsec_binding *head,
				       const struct xfrm_state *x)
{
	struct l2tp_ipsec_binding *b;
	struct l2tp_ipsec_share *sh;
	unsigned int i, n;

	/* Pairs with share_join(): the flag is set once the share is in. */
	if (!head || !x || !smp_load_acquire(&head->shared))
		return head;
	sh = rhashtable_lookup(&ln->shares, &head->key, share_params);
	if (!sh)
		return head;
	/* Pairs with share_join(): slots below @len are published. */
	n = min_t(unsigned int, smp_load_acquire(&sh->len),
		  L2TP_IPSEC_MAX_SHARED);
	for (i = 0; i < n; i++) {
		b = rcu_dereference(sh->b[i]);
		if (b && l2tp_ipsec_pin_match(b, x))
			return b;
	}
	return head;
}

/**
 * l2tp_ipsec_binding_match - the binding a packet belongs to
 * @ln: the namespace's state
 * @pkt: the packet's 4-tuple
 * @x: the packet's last applied SA, or NULL
 *
 * Tries the exact 4-tuple, then any peer port, then any peer (a listener),
 * so the cost does not depend on the number of bindings. Of the bindings
 * that share the first 4-tuple found, it takes the one whose pin @x
 * passes (at most L2TP_IPSEC_MAX_SHARED tried), else the first.
 *
 * Context: RCU read side.
 * Return: the binding or NULL.
 */
struct l2tp_ipsec_binding *
l2tp_ipsec_binding_match(struct l2tp_ipsec_net *ln,
			 const struct l2tp_ipsec_key *pkt,
			 const struct xfrm_state *x)
{
	struct l2tp_ipsec_binding *b;
	struct l2tp_ipsec_key key = *pkt;

	b = rhashtable_lookup(&ln->bindings, &key, binding_params);
	if (b)
		return pick(ln, b, x);
	return l2tp_ipsec_binding_match_wild(ln, pkt, x);
}

/**
 * l2tp_ipsec_binding_match_wild - the binding a packet belongs to if no
 *	binding had its exact 4-tuple
 * @ln: the namespace's state
 * @pkt: the packet's 4-tuple
 * @x: the packet's last applied SA, or NULL
 *
 * The second and third lookups of l2tp_ipsec_binding_match(): any peer
 * port, then any peer (a listener). For a new tunnel's packets that a
 * twin's binding holds the 4-tuple of.
 *
 * Context: RCU read side.
 * Return: the binding or NULL.
 */
struct l2tp_ipsec_binding *
l2tp_ipsec_binding_match_wild(struct l2tp_ipsec_net *ln,
			      const struct l2tp_ipsec_key *pkt,
			      const struct xfrm_state *x)
{
	struct l2tp_ipsec_binding *b;
	struct l2tp_ipsec_key key = *pkt;

	key.pport = 0;
	b = rhashtable_lookup(&ln->bindings, &key, binding_params);
	if (b)
		return pick(ln, b, x);
	memset(&key.paddr, 0, sizeof(key.paddr));
	return pick(ln, rhashtable_lookup(&ln->bindings, &key, binding_params),
		    x);
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
	l2tp_ipsec_pending_init(ln);
	err = rhashtable_init(&ln->bindings, &binding_params);
	if (err)
		return err;
	err = rhashtable_init(&ln->shares, &share_params);
	if (err)
		goto destroy_bindings;
	err = rhashtable_init(&ln->endpoints, &endpoint_params);
	if (err)
		goto destroy_shares;
	err = rhashtable_init(&ln->tunnel_ids, &tid_params);
	if (err)
		goto destroy_endpoints;
	return 0;

destroy_endpoints:
	rhashtable_destroy(&ln->endpoints);
destroy_shares:
	rhashtable_destroy(&ln->shares);
destroy_bindings:
	rhashtable_destroy(&ln->bindings);
	return err;
}

/* Endpoints, tunnel IDs and shares. */
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
	struct l2tp_ipsec_binding *b;
	unsigned long id;

	/* Every binding has an id; those of a share are not all in ->bindings. */
	xa_for_each(&ln->ids, id, b)
		kmem_cache_free(binding_cache, b);
	rhashtable_destroy(&ln->bindings);
	rhashtable_free_and_destroy(&ln->shares, entry_free, NULL);
	rhashtable_free_and_destroy(&ln->endpoints, entry_free, NULL);
	rhashtable_free_and_destroy(&ln->tunnel_ids, entry_free, NULL);
	xa_destroy(&ln->ids);
	xa_destroy(&ln->port_refs);
}
