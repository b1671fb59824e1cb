// SPDX-License-Identifier: GPL-2.0
/* Automatic binding: from three kernel dumps to a plan (reconcile.h). */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "reconcile.h"

#include <linux/xfrm.h>

const char *const rc_state_names[] = {
	[RC_STATE_OTHER]	= "other",
	[RC_STATE_BOUND]	= "bound",
	[RC_STATE_UNBOUND]	= "unbound",
	[RC_STATE_NO_SA]	= "no-sa",
};

const char *rc_op_name(enum rc_op op)
{
	switch (op) {
	case RC_BIND:
		return "bind";
	case RC_UNBIND:
		return "unbind";
	case RC_DEL_TUNNEL:
		return "delete tunnel";
	case RC_DEL_SA:
		return "delete SA";
	case RC_NO_SA:
		return "no SA";
	case RC_ADD_FILTER:
		return "add filter";
	case RC_DEL_FILTER:
		return "delete filter";
	}
	return "?";
}

bool reconcile_tunnel_key(const struct l2tp_tunnel *t, struct binding *key)
{
	memset(key, 0, sizeof(*key));
	if (t->encap != L2TP_ENCAPTYPE_UDP ||
	    (t->local.family != AF_INET && t->local.family != AF_INET6) ||
	    !t->local.port || !t->peer.port)
		return false;
	key->local = t->local;
	key->peer = t->peer;
	return true;
}

/* An SA's address as an endpoint (port 0), for comparisons. */
static void sa_addr(const struct xsa *sa, const union filter_ip *ip,
		    struct endpoint *ep)
{
	memset(ep, 0, sizeof(*ep));
	ep->family = sa->family;
	if (sa->family == AF_INET6)
		memcpy(&ep->addr.v6, ip, sizeof(ep->addr.v6));
	else
		memcpy(&ep->addr.v4, ip, sizeof(ep->addr.v4));
}

/* A usable ESP transport SA from @src's address to @dst's. */
static bool sa_between(const struct xsa *sa, const struct endpoint *src,
		       const struct endpoint *dst)
{
	struct endpoint s, d;

	if (sa->proto != IPPROTO_ESP || sa->mode != XFRM_MODE_TRANSPORT ||
	    !sa->spi || sa->family != src->family)
		return false;
	sa_addr(sa, &sa->saddr, &s);
	sa_addr(sa, &sa->daddr, &d);
	return endpoint_same_addr(&s, src) && endpoint_same_addr(&d, dst);
}

const struct xsa *reconcile_inbound_sa(const struct l2tp_tunnel *t,
				       const struct xsa *sas, size_t nsas)
{
	size_t i;

	for (i = 0; i < nsas; i++)
		if (sa_between(&sas[i], &t->peer, &t->local))
			return &sas[i];
	return NULL;
}

const struct xsa *reconcile_outbound_sa(const struct l2tp_tunnel *t,
					const struct xsa *sas, size_t nsas,
					uint32_t reqid)
{
	size_t i;

	for (i = 0; i < nsas; i++)
		if (sa_between(&sas[i], &t->local, &t->peer) &&
		    (!reqid || sas[i].reqid == reqid))
			return &sas[i];
	return NULL;
}

/* An inbound SA of @t with @b's pinned reqid (or SPI): the binding's SA. */
static const struct xsa *pinned_sa(const struct l2tp_tunnel *t,
				   const struct binding *b,
				   const struct xsa *sas, size_t nsas)
{
	size_t i;

	for (i = 0; i < nsas; i++) {
		if (!sa_between(&sas[i], &t->peer, &t->local))
			continue;
		if (b->reqid && sas[i].reqid != b->reqid)
			continue;
		if (b->spi && sas[i].spi != b->spi)
			continue;
		return &sas[i];
	}
	return NULL;
}

const struct binding *reconcile_find_exact(const struct binding *key,
					   const struct binding *bindings,
					   size_t nbindings)
{
	size_t i;

	for (i = 0; i < nbindings; i++)
		if (endpoint_equal(&bindings[i].local, &key->local) &&
		    endpoint_equal(&bindings[i].peer, &key->peer))
			return &bindings[i];
	return NULL;
}

void reconcile_make_binding(const struct l2tp_tunnel *t, const struct xsa *sa,
			    uint32_t owner, struct binding *b)
{
	reconcile_tunnel_key(t, b);
	if (sa->reqid)
		b->reqid = sa->reqid;
	else
		b->spi = sa->spi;
	if (sa->has_encap) {
		b->encap_sport = sa->encap_sport;
		b->encap_dport = sa->encap_dport;
	}
	if (t->version == 2 || t->version == 3)
		b->l2tp_version = t->version;
	if (t->version == 2 && t->tunnel_id <= 0xffff)
		b->v2_tunnel_id = (uint16_t)t->tunnel_id;
	b->owner = owner;
}

/* Do @a and @b pin the same things (the key is known to be the same)? */
static bool same_pins(const struct binding *a, const struct binding *b)
{
	return a->reqid == b->reqid && a->spi == b->spi &&
	       a->encap_sport == b->encap_sport &&
	       a->encap_dport == b->encap_dport &&
	       a->l2tp_version == b->l2tp_version &&
	       a->v2_tunnel_id == b->v2_tunnel_id;
}

enum rc_state reconcile_tunnel_state(const struct l2tp_tunnel *t,
				     const struct rc_input *in,
				     const struct binding **b,
				     const struct xsa **sa)
{
	struct binding key;

	*b = NULL;
	*sa = NULL;
	if (!reconcile_tunnel_key(t, &key))
		return RC_STATE_OTHER;
	*b = reconcile_find_exact(&key, in->bindings, in->nbindings);
	if (*b && ((*b)->reqid || (*b)->spi))
		*sa = pinned_sa(t, *b, in->sas, in->nsas);
	else
		*sa = reconcile_inbound_sa(t, in->sas, in->nsas);
	if (*b)
		return RC_STATE_BOUND;
	return *sa ? RC_STATE_UNBOUND : RC_STATE_NO_SA;
}

/* ---------------------------------------------------------------------- */
/* Per-tunnel filters */

static void ep_ip(const struct endpoint *ep, union filter_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	if (ep->family == AF_INET6)
		memcpy(&ip->v6, &ep->addr.v6, sizeof(ip->v6));
	else
		memcpy(&ip->v4, &ep->addr.v4, sizeof(ip->v4));
}

int reconcile_tunnel_filters(const struct l2tp_tunnel *t, enum filter_role role,
			     uint32_t reqid_in, uint32_t reqid_out,
			     struct xpolicy *out, size_t max)
{
	const struct endpoint *i_ep, *r_ep;
	struct filter set[FILTER_SET_MAX];
	struct filter_tunnel ft;
	struct binding key;
	size_t n = 0;
	int i, lines;

	if (!reconcile_tunnel_key(t, &key))
		return 0;
	i_ep = role == FILTER_INITIATOR ? &key.local : &key.peer;
	r_ep = role == FILTER_INITIATOR ? &key.peer : &key.local;
	memset(&ft, 0, sizeof(ft));
	ft.role = role;
	ft.family = key.local.family;
	ep_ip(i_ep, &ft.i_addr.ip);
	ft.i_port = i_ep->port;
	ep_ip(r_ep, &ft.r_addr1);
	ft.r_addr2.any = true;
	ft.r_port = r_ep->port;
	lines = filter_tunnel_set(&ft, set, FILTER_SET_MAX);
	if (lines < 0)
		return lines;
	for (i = 0; i < lines; i++) {
		if (set[i].src.any || set[i].dst.any)
			continue;	/* the base set's, shared */
		if (n >= max)
			return -ENOSPC;
		xfrm_policy_tunnel_filter(&set[i], set[i].dir == FILTER_OUT ?
					  reqid_out : reqid_in, &out[n++]);
	}
	return (int)n;
}

bool reconcile_filter_of(const struct xpolicy *p, const struct l2tp_tunnel *t)
{
	static const enum filter_role roles[] = { FILTER_INITIATOR, FILTER_RESPONDER };
	struct xpolicy set[RC_TUNNEL_FILTERS_MAX];
	int r, i, n;

	if (!xfrm_policy_ours_tunnel(p))
		return false;
	for (r = 0; r < 2; r++) {
		n = reconcile_tunnel_filters(t, roles[r], 0, 0, set,
					     RC_TUNNEL_FILTERS_MAX);
		for (i = 0; i < n; i++)
			if (xfrm_policy_same_id(&set[i], p))
				return true;
	}
	return false;
}

void reconcile_filter_reqids(const struct l2tp_tunnel *t, const struct binding *b,
			     const struct xsa *sas, size_t nsas,
			     uint32_t *reqid_in, uint32_t *reqid_out)
{
	const struct xsa *sa;

	*reqid_in = b->reqid;
	if (!b->reqid && b->spi) {
		sa = pinned_sa(t, b, sas, nsas);
		*reqid_in = sa ? sa->reqid : 0;
	}
	sa = *reqid_in ? reconcile_outbound_sa(t, sas, nsas, *reqid_in) : NULL;
	if (!sa)
		sa = reconcile_outbound_sa(t, sas, nsas, 0);
	*reqid_out = sa ? sa->reqid : *reqid_in;
}

/* The same policy to the kernel, and ours with the same pins? */
static bool same_filter(const struct xpolicy *a, const struct xpolicy *b)
{
	return xfrm_policy_same_id(a, b) && a->priority == b->priority &&
	       a->action == b->action && a->ntmpl == b->ntmpl &&
	       (!a->ntmpl || a->tmpl[0].reqid == b->tmpl[0].reqid);
}

static int push(struct vec *plan, enum rc_op op, uint32_t tunnel_id,
		const struct binding *b, const struct xsa *sa)
{
	struct rc_action a;

	memset(&a, 0, sizeof(a));
	a.op = op;
	a.tunnel_id = tunnel_id;
	if (b)
		a.b = *b;
	if (sa)
		a.sa = *sa;
	return vec_push(plan, &a, sizeof(a));
}

/* ---------------------------------------------------------------------- */
/*
 * The plan looks things up in sorted indexes, so that it costs
 * O(n log n) in the number of tunnels, SAs and bindings, not O(n^2).
 * Ties keep the dump's order ("the first SA of the dump").
 */

static int cmp_addr(const struct endpoint *a, const struct endpoint *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->family == AF_INET6)
		return memcmp(&a->addr.v6, &b->addr.v6, sizeof(a->addr.v6));
	if (a->family == AF_INET)
		return memcmp(&a->addr.v4, &b->addr.v4, sizeof(a->addr.v4));
	return 0;
}

static int cmp_ep(const struct endpoint *a, const struct endpoint *b)
{
	int c = cmp_addr(a, b);

	if (c)
		return c;
	return a->port < b->port ? -1 : a->port > b->port;
}

/* By (local, peer) with ports if @ports, else addresses only. */
static int cmp_pair(const struct endpoint *al, const struct endpoint *ap,
		    const struct endpoint *bl, const struct endpoint *bp,
		    bool ports)
{
	int c = ports ? cmp_ep(al, bl) : cmp_addr(al, bl);

	if (c)
		return c;
	return ports ? cmp_ep(ap, bp) : cmp_addr(ap, bp);
}

/* An index entry: a key, and where the item is in its dump. */
struct ix {
	struct endpoint a;	/* local, or an SA's source */
	struct endpoint b;	/* peer, or an SA's destination */
	size_t pos;
};

static int cmp_ix_ports(const void *x, const void *y)
{
	const struct ix *p = x, *q = y;
	int c = cmp_pair(&p->a, &p->b, &q->a, &q->b, true);

	return c ? c : (p->pos > q->pos) - (p->pos < q->pos);
}

static int cmp_ix_addrs(const void *x, const void *y)
{
	const struct ix *p = x, *q = y;
	int c = cmp_pair(&p->a, &p->b, &q->a, &q->b, false);

	return c ? c : (p->pos > q->pos) - (p->pos < q->pos);
}

/* First entry of @ix[0..n) not below (@a, @b); n if none. */
static size_t lower_bound(const struct ix *ix, size_t n, const struct endpoint *a,
			  const struct endpoint *b, bool ports)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cmp_pair(&ix[mid].a, &ix[mid].b, a, b, ports) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool ix_at(const struct ix *ix, size_t n, size_t i,
		  const struct endpoint *a, const struct endpoint *b, bool ports)
{
	return i < n && !cmp_pair(&ix[i].a, &ix[i].b, a, b, ports);
}

/**
 * struct ctx - the input and its indexes
 * @in: the dumps
 * @tun: connected UDP tunnels by 4-tuple
 * @ntun: their number
 * @tun_pair: the same by address pair
 * @sa: SAs by (source, destination) address
 * @bind: bindings with a peer by 4-tuple
 * @nbind: their number
 */
struct ctx {
	const struct rc_input *in;
	struct ix *tun;
	size_t ntun;
	struct ix *tun_pair;
	struct ix *sa;
	struct ix *bind;
	size_t nbind;
};

static void ctx_free(struct ctx *c)
{
	free(c->tun);
	free(c->tun_pair);
	free(c->sa);
	free(c->bind);
}

static int ctx_init(struct ctx *c, const struct rc_input *in)
{
	struct binding key;
	size_t i;

	memset(c, 0, sizeof(*c));
	c->in = in;
	c->tun = calloc(in->ntunnels + 1, sizeof(*c->tun));
	c->tun_pair = calloc(in->ntunnels + 1, sizeof(*c->tun_pair));
	c->sa = calloc(in->nsas + 1, sizeof(*c->sa));
	c->bind = calloc(in->nbindings + 1, sizeof(*c->bind));
	if (!c->tun || !c->tun_pair || !c->sa || !c->bind) {
		ctx_free(c);
		return -ENOMEM;
	}
	for (i = 0; i < in->ntunnels; i++) {
		if (!reconcile_tunnel_key(&in->tunnels[i], &key))
			continue;
		c->tun[c->ntun] = (struct ix){ key.local, key.peer, i };
		c->tun_pair[c->ntun++] = (struct ix){ key.local, key.peer, i };
	}
	qsort(c->tun, c->ntun, sizeof(*c->tun), cmp_ix_ports);
	qsort(c->tun_pair, c->ntun, sizeof(*c->tun_pair), cmp_ix_addrs);
	for (i = 0; i < in->nsas; i++) {
		sa_addr(&in->sas[i], &in->sas[i].saddr, &c->sa[i].a);
		sa_addr(&in->sas[i], &in->sas[i].daddr, &c->sa[i].b);
		c->sa[i].pos = i;
	}
	qsort(c->sa, in->nsas, sizeof(*c->sa), cmp_ix_addrs);
	for (i = 0; i < in->nbindings; i++) {
		if (in->bindings[i].peer.family == AF_UNSPEC)
			continue;
		c->bind[c->nbind++] = (struct ix){ in->bindings[i].local,
						   in->bindings[i].peer, i };
	}
	qsort(c->bind, c->nbind, sizeof(*c->bind), cmp_ix_ports);
	return 0;
}

/*
 * The first SA of the dump from @src's address to @dst's that
 * sa_between() accepts and, unless @b is NULL, that carries @b's pins.
 */
static const struct xsa *find_sa(const struct ctx *c, const struct endpoint *src,
				 const struct endpoint *dst, const struct binding *b)
{
	const struct xsa *sa;
	size_t i;

	for (i = lower_bound(c->sa, c->in->nsas, src, dst, false);
	     ix_at(c->sa, c->in->nsas, i, src, dst, false); i++) {
		sa = &c->in->sas[c->sa[i].pos];
		if (!sa_between(sa, src, dst))
			continue;
		if (b && ((b->reqid && sa->reqid != b->reqid) ||
			  (b->spi && sa->spi != b->spi)))
			continue;
		return sa;
	}
	return NULL;
}

static const struct binding *find_binding(const struct ctx *c,
					  const struct binding *key)
{
	size_t i = lower_bound(c->bind, c->nbind, &key->local, &key->peer, true);

	if (!ix_at(c->bind, c->nbind, i, &key->local, &key->peer, true))
		return NULL;
	return &c->in->bindings[c->bind[i].pos];
}

/* ---------------------------------------------------------------------- */
/* Per-tunnel filters: wanted ones against the SPD, both sorted by selector */

/* A total order on what xfrm_policy_same_id() compares. */
static int cmp_pol(const struct xpolicy *a, const struct xpolicy *b)
{
	const uint32_t ka[] = { (uint32_t)a->family, a->dir, a->type, a->proto,
				a->prefixlen_s, a->prefixlen_d, a->sport,
				a->sport_mask, a->dport, a->dport_mask,
				(uint32_t)a->ifindex, a->mark_v, a->mark_m, a->if_id };
	const uint32_t kb[] = { (uint32_t)b->family, b->dir, b->type, b->proto,
				b->prefixlen_s, b->prefixlen_d, b->sport,
				b->sport_mask, b->dport, b->dport_mask,
				(uint32_t)b->ifindex, b->mark_v, b->mark_m, b->if_id };
	size_t i, len = a->family == AF_INET6 ? 16 : 4;
	int c;

	for (i = 0; i < sizeof(ka) / sizeof(ka[0]); i++)
		if (ka[i] != kb[i])
			return ka[i] < kb[i] ? -1 : 1;
	c = memcmp(&a->saddr, &b->saddr, len);
	return c ? c : memcmp(&a->daddr, &b->daddr, len);
}

/* A wanted filter; @seq keeps the tunnel dump's order among equals. */
struct want {
	struct xpolicy p;
	uint32_t tunnel_id;
	size_t seq;
};

static int cmp_want(const void *x, const void *y)
{
	const struct want *a = x, *b = y;
	int c = cmp_pol(&a->p, &b->p);

	return c ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

static int cmp_pol_ptr(const void *x, const void *y)
{
	const struct xpolicy *const *a = x, *const *b = y;

	return cmp_pol(*a, *b);
}

/* The filters @t, bound by us with @b, wants, onto @wants. */
static int want_filters(const struct ctx *c, const struct l2tp_tunnel *t,
			const struct binding *b, struct vec *wants)
{
	struct xpolicy set[RC_TUNNEL_FILTERS_MAX];
	struct binding pin;
	const struct xsa *out;
	struct want w;
	int i, n, ret;

	if (!c->in->filters)
		return 0;
	/* Outbound: the SA of the binding's reqid, else any of the pair's. */
	memset(&pin, 0, sizeof(pin));
	pin.reqid = b->reqid;
	out = b->reqid ? find_sa(c, &t->local, &t->peer, &pin) : NULL;
	if (!out)
		out = find_sa(c, &t->local, &t->peer, NULL);
	n = reconcile_tunnel_filters(t, c->in->role, b->reqid,
				     out ? out->reqid : b->reqid, set,
				     RC_TUNNEL_FILTERS_MAX);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		memset(&w, 0, sizeof(w));
		w.p = set[i];
		w.tunnel_id = t->tunnel_id;
		w.seq = wants->n;
		ret = vec_push(wants, &w, sizeof(w));
		if (ret)
			return ret;
	}
	return 0;
}

static int push_filter(struct vec *plan, enum rc_op op, uint32_t tunnel_id,
		       const struct xpolicy *p)
{
	struct rc_action a;

	memset(&a, 0, sizeof(a));
	a.op = op;
	a.tunnel_id = tunnel_id;
	a.pol = *p;
	return vec_push(plan, &a, sizeof(a));
}

/*
 * The policy of @ix[0..n) (sorted pointers) with @p's selector, or NULL.
 */
static const struct xpolicy *find_pol(const struct xpolicy *const *ix, size_t n,
				      const struct xpolicy *p)
{
	const struct xpolicy *const *hit = bsearch(&p, ix, n, sizeof(*ix),
						   cmp_pol_ptr);

	return hit ? *hit : NULL;
}

static int plan_filters(const struct ctx *c, struct vec *wants,
			struct vec *plan)
{
	const struct rc_input *in = c->in;
	const struct xpolicy **ix, **wix, *holder;
	struct want *w = wants->v, **add;
	size_t i, nw = 0;
	int ret = 0;

	if (!in->filters)
		return 0;
	/* No tunnel wants any: w is NULL, which qsort() must not get. */
	if (wants->n)
		qsort(w, wants->n, sizeof(*w), cmp_want);
	ix = calloc(in->npolicies + 1, sizeof(*ix));
	wix = calloc(wants->n + 1, sizeof(*wix));
	add = calloc(wants->n + 1, sizeof(*add));	/* by seq */
	if (!ix || !wix || !add) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < in->npolicies; i++)
		ix[i] = &in->policies[i];
	qsort(ix, in->npolicies, sizeof(*ix), cmp_pol_ptr);
	for (i = 0; i < wants->n; i++) {
		if (i && !cmp_pol(&w[i - 1].p, &w[i].p))
			continue;	/* an earlier tunnel has it */
		wix[nw++] = &w[i].p;
		holder = find_pol(ix, in->npolicies, &w[i].p);
		if (holder && (!xfrm_policy_ours_tunnel(holder) ||
			       same_filter(holder, &w[i].p)))
			continue;	/* someone else's, the base set's, or done */
		add[w[i].seq] = &w[i];
	}
	/* In the order wanted: tunnel by tunnel, each in the RFC's order. */
	for (i = 0; !ret && i < wants->n; i++)
		if (add[i])
			ret = push_filter(plan, RC_ADD_FILTER, add[i]->tunnel_id,
					  &add[i]->p);
	for (i = 0; !ret && i < in->npolicies; i++)
		if (xfrm_policy_ours_tunnel(&in->policies[i]) &&
		    !find_pol(wix, nw, &in->policies[i]))
			ret = push_filter(plan, RC_DEL_FILTER, 0, &in->policies[i]);
out:
	free(ix);
	free(wix);
	free(add);
	return ret;
}

/* ---------------------------------------------------------------------- */

static int plan_tunnel(const struct ctx *c, const struct l2tp_tunnel *t,
		       struct vec *wants, struct vec *plan)
{
	const struct rc_input *in = c->in;
	const struct binding *cur;
	const struct xsa *sa;
	struct binding key, want;
	int ret;

	if (!reconcile_tunnel_key(t, &key))
		return 0;
	cur = find_binding(c, &key);
	if (cur && cur->owner != in->owner)
		return 0;	/* someone else's: never touched */
	if (!cur) {
		sa = find_sa(c, &t->peer, &t->local, NULL);
		if (!sa)
			return push(plan, RC_NO_SA, t->tunnel_id, &key, NULL);
		reconcile_make_binding(t, sa, in->owner, &want);
		ret = push(plan, RC_BIND, t->tunnel_id, &want, NULL);
		return ret ? ret : want_filters(c, t, &want, wants);
	}
	/* Ours. */
	sa = find_sa(c, &t->peer, &t->local, cur);
	if (!sa) {
		/* Its SA is gone and nothing replaced it: RFC 3193 3.1. */
		ret = push(plan, RC_DEL_TUNNEL, t->tunnel_id, cur, NULL);
		return ret ? ret : push(plan, RC_UNBIND, t->tunnel_id, cur, NULL);
	}
	reconcile_make_binding(t, sa, in->owner, &want);
	if (!same_pins(cur, &want)) {
		ret = push(plan, RC_UNBIND, t->tunnel_id, cur, NULL);
		if (!ret)
			ret = push(plan, RC_BIND, t->tunnel_id, &want, NULL);
		if (ret)
			return ret;
	}
	return want_filters(c, t, &want, wants);
}

/* Delete the SAs from @src's address to @dst's not deleted yet. */
static int del_sas(const struct ctx *c, const struct binding *b,
		   const struct endpoint *src, const struct endpoint *dst,
		   bool *sa_gone, struct vec *plan)
{
	size_t i, pos;
	int ret;

	for (i = lower_bound(c->sa, c->in->nsas, src, dst, false);
	     ix_at(c->sa, c->in->nsas, i, src, dst, false); i++) {
		pos = c->sa[i].pos;
		if (sa_gone[pos] || !sa_between(&c->in->sas[pos], src, dst))
			continue;
		sa_gone[pos] = true;
		ret = push(plan, RC_DEL_SA, 0, b, &c->in->sas[pos]);
		if (ret)
			return ret;
	}
	return 0;
}

static bool listener_wanted(const struct rc_input *in,
			    const struct endpoint *local)
{
	size_t i;

	for (i = 0; i < in->nlisteners; i++)
		if (endpoint_equal(&in->listeners[i], local))
			return true;
	return false;
}

/* RFC 3193 4.2.2 Inbound-1: new tunnels still reach a bound endpoint. */
static int plan_listeners(const struct ctx *c, struct vec *plan)
{
	struct binding key;
	size_t i;
	int ret;

	for (i = 0; i < c->in->nlisteners; i++) {
		memset(&key, 0, sizeof(key));
		key.local = c->in->listeners[i];
		key.peer.family = AF_UNSPEC;
		/* Listeners are few and not in the sorted index. */
		if (reconcile_find_exact(&key, c->in->bindings, c->in->nbindings))
			continue;	/* ours, or an operator's */
		key.owner = c->in->owner;
		ret = push(plan, RC_BIND, 0, &key, NULL);
		if (ret)
			return ret;
	}
	return 0;
}

static int plan_stale(const struct ctx *c, const struct binding *b,
		      bool *sa_gone, struct vec *plan)
{
	size_t i;
	int ret;

	if (b->owner != c->in->owner)
		return 0;
	if (b->peer.family == AF_UNSPEC)
		return listener_wanted(c->in, &b->local) ? 0 :
		       push(plan, RC_UNBIND, 0, b, NULL);
	i = lower_bound(c->tun, c->ntun, &b->local, &b->peer, true);
	if (ix_at(c->tun, c->ntun, i, &b->local, &b->peer, true))
		return 0;	/* its tunnel is there */
	ret = push(plan, RC_UNBIND, 0, b, NULL);
	if (ret)
		return ret;
	/* Another tunnel uses the address pair: its SAs stay. */
	i = lower_bound(c->tun_pair, c->ntun, &b->local, &b->peer, false);
	if (ix_at(c->tun_pair, c->ntun, i, &b->local, &b->peer, false))
		return 0;
	ret = del_sas(c, b, &b->peer, &b->local, sa_gone, plan);
	return ret ? ret : del_sas(c, b, &b->local, &b->peer, sa_gone, plan);
}

int reconcile(const struct rc_input *in, struct vec *plan)
{
	struct vec wants = { NULL, 0, 0 };
	struct ctx c;
	bool *sa_gone;
	size_t i;
	int ret;

	ret = ctx_init(&c, in);
	if (ret)
		return ret;
	sa_gone = calloc(in->nsas + 1, sizeof(*sa_gone));
	if (!sa_gone) {
		ctx_free(&c);
		return -ENOMEM;
	}
	for (i = 0; !ret && i < in->ntunnels; i++)
		ret = plan_tunnel(&c, &in->tunnels[i], &wants, plan);
	if (!ret)
		ret = plan_listeners(&c, plan);
	if (!ret)
		ret = plan_filters(&c, &wants, plan);
	for (i = 0; !ret && i < in->nbindings; i++)
		ret = plan_stale(&c, &in->bindings[i], sa_gone, plan);
	vec_free(&wants);
	free(sa_gone);
	ctx_free(&c);
	return ret;
}
