// SPDX-License-Identifier: GPL-2.0
/* Automatic binding: from three kernel dumps to a plan (reconcile.h). */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "policy/reconcile.h"
#include "policy/spd.h"

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
	case RC_NOT_SEEN:
		return "not seen";
	case RC_AMBIGUOUS:
		return "ambiguous";
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
static void sa_addr(const struct xsa *sa, const union inet_addr *ip,
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

/*
 * Are @a and @b one SA for a binding? A rekey keeps the reqid and the
 * NAT-T ports; without a reqid only the SPI names an SA.
 */
static bool same_sa(const struct xsa *a, const struct xsa *b)
{
	if (!a->reqid || !b->reqid)
		return a->spi == b->spi;
	if (a->reqid != b->reqid || a->has_encap != b->has_encap)
		return false;
	return !a->has_encap || (a->encap_sport == b->encap_sport &&
				 a->encap_dport == b->encap_dport);
}

/* Would the module take a packet of @sa for binding @b (check.c)? */
static bool pins_accept(const struct binding *b, const struct xsa *sa)
{
	if (b->reqid && sa->reqid != b->reqid)
		return false;
	if (b->spi && sa->spi != b->spi)
		return false;
	if (!b->encap_sport)
		return true;
	return sa->has_encap && sa->encap_sport == b->encap_sport &&
	       sa->encap_dport == b->encap_dport;
}

/* Do @a and @b share a reqid (0 is none, shared with nothing)? */
static bool same_reqid(const struct xsa *a, const struct xsa *b)
{
	return a->reqid && a->reqid == b->reqid;
}

/*
 * The first SA from @src's address to @dst's with @reqid; with @reqid 0,
 * the first if they all share one reqid. NULL otherwise.
 */
static const struct xsa *only_sa(const struct endpoint *src,
				 const struct endpoint *dst, uint32_t reqid,
				 const struct xsa *sas, size_t nsas)
{
	const struct xsa *first = NULL;
	size_t i;

	for (i = 0; i < nsas; i++) {
		if (!sa_between(&sas[i], src, dst) ||
		    (reqid && sas[i].reqid != reqid))
			continue;
		if (!first)
			first = &sas[i];
		else if (!same_reqid(first, &sas[i]))
			return NULL;
	}
	return first;
}

const struct xsa *reconcile_inbound_sa(const struct l2tp_tunnel *t,
				       const struct xsa *sas, size_t nsas)
{
	const struct xsa *first = NULL;
	size_t i;

	for (i = 0; i < nsas; i++) {
		if (!sa_between(&sas[i], &t->peer, &t->local))
			continue;
		if (!first)
			first = &sas[i];
		else if (!same_sa(first, &sas[i]))
			return NULL;
	}
	return first;
}

const struct xsa *reconcile_outbound_sa(const struct l2tp_tunnel *t,
					const struct xsa *sas, size_t nsas,
					uint32_t reqid)
{
	return only_sa(&t->local, &t->peer, reqid, sas, nsas);
}

/* An inbound SA of @t that @b's pins accept: the binding's SA. */
static const struct xsa *pinned_sa(const struct l2tp_tunnel *t,
				   const struct binding *b,
				   const struct xsa *sas, size_t nsas)
{
	size_t i;

	for (i = 0; i < nsas; i++)
		if (sa_between(&sas[i], &t->peer, &t->local) &&
		    pins_accept(b, &sas[i]))
			return &sas[i];
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

void reconcile_steer(const struct l2tp_tunnel *t, const struct xsa *sas,
		     size_t nsas, struct binding *b)
{
	const struct xsa *out;

	b->out_mark = 0;
	b->v2_peer_tunnel_id = 0;
	if (!b->reqid || !t->peer_tunnel_id || t->peer_tunnel_id > 0xffff)
		return;
	/* Its own CHILD_SA's outbound mark, never one of another reqid. */
	out = only_sa(&t->local, &t->peer, b->reqid, sas, nsas);
	if (!out || !out->mark_m || !(out->mark_v & out->mark_m))
		return;
	b->out_mark = out->mark_v & out->mark_m;
	if (t->version == 2)
		b->v2_peer_tunnel_id = (uint16_t)t->peer_tunnel_id;
}

/* Do @a and @b pin the same things (the key is known to be the same)? */
static bool same_pins(const struct binding *a, const struct binding *b)
{
	return a->reqid == b->reqid && a->spi == b->spi &&
	       a->encap_sport == b->encap_sport &&
	       a->encap_dport == b->encap_dport &&
	       a->l2tp_version == b->l2tp_version &&
	       a->v2_tunnel_id == b->v2_tunnel_id &&
	       a->out_mark == b->out_mark &&
	       a->v2_peer_tunnel_id == b->v2_peer_tunnel_id;
}

enum rc_state reconcile_tunnel_state(const struct l2tp_tunnel *t,
				     const struct rc_input *in,
				     const struct binding **b,
				     const struct xsa **sa)
{
	struct binding key;
	size_t i;

	*b = NULL;
	*sa = NULL;
	if (!reconcile_tunnel_key(t, &key))
		return RC_STATE_OTHER;
	*b = reconcile_find_exact(&key, in->bindings, in->nbindings);
	/* Of twins (one 4-tuple), the one pinning its tunnel ID. */
	for (i = 0; t->version == 2 && i < in->nbindings; i++)
		if (in->bindings[i].v2_tunnel_id == t->tunnel_id &&
		    endpoint_equal(&in->bindings[i].local, &key.local) &&
		    endpoint_equal(&in->bindings[i].peer, &key.peer))
			*b = &in->bindings[i];
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

static void ep_ip(const struct endpoint *ep, union inet_addr *ip)
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
		spd_tunnel_filter(&set[i], set[i].dir == FILTER_OUT ?
					  reqid_out : reqid_in, &out[n++]);
	}
	return (int)n;
}

bool reconcile_filter_of(const struct xpolicy *p, const struct l2tp_tunnel *t)
{
	static const enum filter_role roles[] = { FILTER_INITIATOR, FILTER_RESPONDER };
	struct xpolicy set[RC_TUNNEL_FILTERS_MAX];
	int r, i, n;

	if (!spd_ours_tunnel(p))
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

/* By (local, peer) with ports if @ports, else addresses only. */
static int cmp_pair(const struct endpoint *al, const struct endpoint *ap,
		    const struct endpoint *bl, const struct endpoint *bp,
		    bool ports)
{
	int c = ports ? endpoint_cmp(al, bl) : endpoint_cmp_addr(al, bl);

	if (c)
		return c;
	return ports ? endpoint_cmp(ap, bp) : endpoint_cmp_addr(ap, bp);
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
 * @seen: sightings by 4-tuple (local, peer)
 * @lis: local endpoints of listener bindings, sorted
 * @nlis: their number
 * @judged: bitmap of the ports the module judges without a probe: the
 *	namespace's and those of bindings that are not listeners of ours
 * @probes: local endpoints of tunnels waiting to be seen on ports not
 *	judged (struct endpoint); sorted and unique after sort_probes()
 */
struct ctx {
	const struct rc_input *in;
	struct ix *tun;
	size_t ntun;
	struct ix *tun_pair;
	struct ix *sa;
	struct ix *bind;
	size_t nbind;
	struct ix *seen;
	struct endpoint *lis;
	size_t nlis;
	uint8_t judged[65536 / 8];
	struct vec probes;
};

static void ctx_free(struct ctx *c)
{
	free(c->tun);
	free(c->tun_pair);
	free(c->sa);
	free(c->bind);
	free(c->seen);
	free(c->lis);
	vec_free(&c->probes);
}

static int cmp_endpoint(const void *a, const void *b)
{
	return endpoint_cmp(a, b);
}

static void judge_port(struct ctx *c, uint16_t port)
{
	c->judged[port / 8] |= (uint8_t)(1u << (port % 8));
}

static bool port_judged(const struct ctx *c, uint16_t port)
{
	return c->judged[port / 8] & (1u << (port % 8));
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
	c->seen = calloc(in->nsightings + 1, sizeof(*c->seen));
	c->lis = calloc(in->nbindings + 1, sizeof(*c->lis));
	if (!c->tun || !c->tun_pair || !c->sa || !c->bind || !c->seen ||
	    !c->lis) {
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
	for (i = 0; i < in->nports; i++)
		judge_port(c, in->ports[i]);
	for (i = 0; i < in->nbindings; i++) {
		if (in->bindings[i].peer.family == AF_UNSPEC) {
			c->lis[c->nlis++] = in->bindings[i].local;
			if (in->bindings[i].owner != in->owner)
				judge_port(c, in->bindings[i].local.port);
			continue;
		}
		judge_port(c, in->bindings[i].local.port);
		c->bind[c->nbind++] = (struct ix){ in->bindings[i].local,
						   in->bindings[i].peer, i };
	}
	qsort(c->bind, c->nbind, sizeof(*c->bind), cmp_ix_ports);
	qsort(c->lis, c->nlis, sizeof(*c->lis), cmp_endpoint);
	for (i = 0; i < in->nsightings; i++)
		c->seen[i] = (struct ix){ in->sightings[i].local,
					  in->sightings[i].peer, i };
	qsort(c->seen, in->nsightings, sizeof(*c->seen), cmp_ix_ports);
	return 0;
}

/*
 * The first SA of the dump from @src's address to @dst's that
 * sa_between() accepts and, unless @b is NULL, that @b's pins accept.
 */
static const struct xsa *find_sa(const struct ctx *c, const struct endpoint *src,
				 const struct endpoint *dst, const struct binding *b)
{
	const struct xsa *sa;
	size_t i;

	for (i = lower_bound(c->sa, c->in->nsas, src, dst, false);
	     ix_at(c->sa, c->in->nsas, i, src, dst, false); i++) {
		sa = &c->in->sas[c->sa[i].pos];
		if (sa_between(sa, src, dst) && (!b || pins_accept(b, sa)))
			return sa;
	}
	return NULL;
}

/* The first SA from @src's address to @dst's if all share one reqid. */
static const struct xsa *only_out_sa(const struct ctx *c,
				     const struct endpoint *src,
				     const struct endpoint *dst)
{
	const struct xsa *sa, *first = NULL;
	size_t i;

	for (i = lower_bound(c->sa, c->in->nsas, src, dst, false);
	     ix_at(c->sa, c->in->nsas, i, src, dst, false); i++) {
		sa = &c->in->sas[c->sa[i].pos];
		if (!sa_between(sa, src, dst))
			continue;
		if (!first)
			first = sa;
		else if (!same_reqid(first, sa))
			return NULL;
	}
	return first;
}

/* How many tunnels have @key's 4-tuple: more than one are twins. */
static size_t tunnels_of(const struct ctx *c, const struct binding *key)
{
	size_t i = lower_bound(c->tun, c->ntun, &key->local, &key->peer, true),
	       n = 0;

	while (ix_at(c->tun, c->ntun, i + n, &key->local, &key->peer, true))
		n++;
	return n;
}

/*
 * The binding of tunnel @t (4-tuple @key): the one pinning its L2TPv2
 * tunnel ID, else one pinning none. A binding pinning another ID is a
 * twin's (clients behind one NAT: one 4-tuple, a tunnel each), unless
 * @t is alone on its 4-tuple: then its ID changed, and that is its
 * binding still (re-made by plan_ours()).
 */
static const struct binding *find_binding(const struct ctx *c,
					  const struct binding *key,
					  const struct l2tp_tunnel *t)
{
	size_t i = lower_bound(c->bind, c->nbind, &key->local, &key->peer, true);
	const struct binding *b, *first = NULL, *unpinned = NULL;

	for (; ix_at(c->bind, c->nbind, i, &key->local, &key->peer, true); i++) {
		b = &c->in->bindings[c->bind[i].pos];
		if (t->version == 2 && b->v2_tunnel_id == t->tunnel_id)
			return b;
		if (!first)
			first = b;
		if (!b->v2_tunnel_id && !unpinned)
			unpinned = b;
	}
	if (unpinned || t->version != 2)
		return unpinned ? unpinned : first;
	return tunnels_of(c, key) > 1 ? NULL : first;
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

	/*
	 * A tunnel whose CHILD_SA is marked has policies of its own
	 * (charon's, selector and mark); an unmarked filter of its 4-tuple
	 * would catch its twins' packets too.
	 */
	if (!c->in->filters || b->out_mark)
		return 0;
	/*
	 * Outbound: the binding's reqid if an outbound SA has it, else the
	 * pair's outbound reqid if it has only one (reconcile_filter_reqids).
	 */
	memset(&pin, 0, sizeof(pin));
	pin.reqid = b->reqid;
	out = b->reqid ? find_sa(c, &t->local, &t->peer, &pin) : NULL;
	if (!out)
		out = only_out_sa(c, &t->local, &t->peer);
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
		if (holder && (!spd_ours_tunnel(holder) ||
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
		if (spd_ours_tunnel(&in->policies[i]) &&
		    !find_pol(wix, nw, &in->policies[i]))
			ret = push_filter(plan, RC_DEL_FILTER, 0, &in->policies[i]);
out:
	free(ix);
	free(wix);
	free(add);
	return ret;
}

/* ---------------------------------------------------------------------- */

/* Where the inbound candidates of @t start in the SA index. */
static size_t first_candidate(const struct ctx *c, const struct l2tp_tunnel *t)
{
	return lower_bound(c->sa, c->in->nsas, &t->peer, &t->local, false);
}

/*
 * The next inbound candidate of @t from index position *@pos on (ESP
 * transport SAs from its peer's address to its local one) that @only's
 * pins accept (any if NULL); NULL when there is none left.
 */
static const struct xsa *next_candidate(const struct ctx *c,
					const struct l2tp_tunnel *t,
					const struct binding *only, size_t *pos)
{
	const struct xsa *sa;

	while (ix_at(c->sa, c->in->nsas, *pos, &t->peer, &t->local, false)) {
		sa = &c->in->sas[c->sa[(*pos)++].pos];
		if (sa_between(sa, &t->peer, &t->local) &&
		    (!only || pins_accept(only, sa)))
			return sa;
	}
	return NULL;
}

/* Had @sa the NAT-T ports that sighting @s saw? */
static bool encap_as_seen(const struct xsa *sa, const struct sighting *s)
{
	if (sa->has_encap != s->has_encap)
		return false;
	return !sa->has_encap || (sa->encap_sport == s->encap_sport &&
				  sa->encap_dport == s->encap_dport);
}

/*
 * The candidate of @t (see next_candidate()) that sighting @s names: its
 * SPI and reqid (the kernel never changes an SA's reqid), with the NAT-T
 * ports seen if several have them (the ports of one SA change with a NAT
 * mapping). *@tie gets another that fits as well and is not one with it,
 * so that the dump's order never picks between them.
 */
static const struct xsa *sighted_sa(const struct ctx *c,
				    const struct l2tp_tunnel *t,
				    const struct binding *only,
				    const struct sighting *s,
				    const struct xsa **tie)
{
	const struct xsa *sa, *best = NULL;
	size_t pos = first_candidate(c, t);
	bool best_exact = false, exact;

	*tie = NULL;
	while ((sa = next_candidate(c, t, only, &pos))) {
		if (sa->spi != s->spi || sa->reqid != s->reqid)
			continue;
		exact = encap_as_seen(sa, s);
		if (!best || (exact && !best_exact)) {
			best = sa;
			best_exact = exact;
			*tie = NULL;
		} else if (exact == best_exact && !same_sa(best, sa)) {
			*tie = sa;
		}
	}
	return best;
}

/*
 * The SA seen carrying @key's 4-tuple among those from @t's peer to its
 * local address that @only accepts (all if NULL): the latest sighting's,
 * in *@seen. *@other gets an SA seen that is not one with it (NULL if
 * none). Returns the number of such SAs in the dump, seen or not.
 */
static size_t seen_sa(const struct ctx *c, const struct l2tp_tunnel *t,
		      const struct binding *key, const struct binding *only,
		      const struct xsa **seen, const struct xsa **other)
{
	const struct rc_input *in = c->in;
	const struct sighting *s;
	const struct xsa *sa, *tie;
	uint64_t when = 0;
	size_t i, pos = first_candidate(c, t), n = 0;
	bool twins;

	*seen = *other = NULL;
	while (next_candidate(c, t, only, &pos))
		n++;
	twins = t->version == 2 && tunnels_of(c, key) > 1;
	for (i = lower_bound(c->seen, in->nsightings, &key->local, &key->peer, true);
	     ix_at(c->seen, in->nsightings, i, &key->local, &key->peer, true); i++) {
		s = &in->sightings[c->seen[i].pos];
		/*
		 * A packet naming another tunnel ID is a twin's; one naming
		 * none (an SCCRQ, or no ID reported) tells twins nothing.
		 */
		if (t->version == 2 && s->has_tid && s->tid &&
		    s->tid != t->tunnel_id)
			continue;
		if (twins && (!s->has_tid || !s->tid))
			continue;
		sa = sighted_sa(c, t, only, s, &tie);
		if (!sa)
			continue;	/* not a candidate, or gone */
		if (tie)
			*other = tie;
		if (*seen && !same_sa(*seen, sa)) {
			*other = sa;
		} else if (!*seen || s->seen_ms > when) {
			*seen = sa;
			when = s->seen_ms;
		}
	}
	return n;
}

/* Does a candidate of @t that is not one with @sa pass @b's pins? */
static bool other_passes(const struct ctx *c, const struct l2tp_tunnel *t,
			 const struct xsa *sa, const struct binding *b)
{
	const struct xsa *other;
	size_t pos = first_candidate(c, t);

	while ((other = next_candidate(c, t, b, &pos)))
		if (!same_sa(other, sa))
			return true;
	return false;
}

/*
 * The binding for @t protected by @sa: reconcile_make_binding(), with
 * @sa's SPI pinned too when another candidate that is not one with @sa
 * would pass its other pins (the same reqid, and @sa has no NAT-T ports
 * to tell them apart).
 */
static void choose_pins(const struct ctx *c, const struct l2tp_tunnel *t,
			const struct xsa *sa, struct binding *want)
{
	reconcile_make_binding(t, sa, c->in->owner, want);
	if (!want->spi && other_passes(c, t, sa, want))
		want->spi = sa->spi;
	reconcile_steer(t, c->in->sas, c->in->nsas, want);
}

/* @t waits to be seen: its local endpoint may need a probe. */
static int want_probe(struct ctx *c, const struct l2tp_tunnel *t)
{
	if (port_judged(c, t->local.port))
		return 0;	/* its packets are reported anyway */
	return vec_push(&c->probes, &t->local, sizeof(t->local));
}

/* Sort the probes and drop duplicates (two tunnels of one endpoint). */
static void sort_probes(struct ctx *c)
{
	struct endpoint *p = c->probes.v;
	size_t i, n = 0;

	if (!c->probes.n)
		return;
	qsort(p, c->probes.n, sizeof(*p), cmp_endpoint);
	for (i = 0; i < c->probes.n; i++)
		if (!n || endpoint_cmp(&p[n - 1], &p[i]))
			p[n++] = p[i];
	c->probes.n = n;
}

/* A tunnel that no binding has: bind it to the SA seen carrying it. */
static int plan_unbound(struct ctx *c, const struct l2tp_tunnel *t,
			const struct binding *key, struct vec *wants,
			struct vec *plan)
{
	const struct xsa *seen, *other;
	struct rc_action a;
	struct binding want;
	size_t n;
	int ret;

	n = seen_sa(c, t, key, NULL, &seen, &other);
	if (!n)
		return push(plan, RC_NO_SA, t->tunnel_id, key, NULL);
	if (!seen || other) {
		memset(&a, 0, sizeof(a));
		a.op = seen ? RC_AMBIGUOUS : RC_NOT_SEEN;
		a.tunnel_id = t->tunnel_id;
		a.b = *key;
		a.nsas = n;
		if (seen)
			a.sa = *seen;
		if (other)
			a.sa2 = *other;
		ret = vec_push(plan, &a, sizeof(a));
		return ret ? ret : want_probe(c, t);
	}
	choose_pins(c, t, seen, &want);
	ret = push(plan, RC_BIND, t->tunnel_id, &want, seen);
	return ret ? ret : want_filters(c, t, &want, wants);
}

static int push_rebind(struct vec *plan, const struct l2tp_tunnel *t,
		       const struct binding *cur, const struct binding *want,
		       const struct xsa *sa)
{
	int ret;

	if (same_pins(cur, want))
		return 0;
	ret = push(plan, RC_UNBIND, t->tunnel_id, cur, NULL);
	return ret ? ret : push(plan, RC_BIND, t->tunnel_id, want, sa);
}

/* Our binding @cur of @t: keep it, follow its SA, or tear down. */
static int plan_ours(struct ctx *c, const struct l2tp_tunnel *t,
		     const struct binding *cur, struct vec *wants,
		     struct vec *plan)
{
	const struct xsa *sa, *seen, *other;
	struct binding want, pin;
	struct rc_action a;
	int ret;

	sa = find_sa(c, &t->peer, &t->local, cur);
	if (sa) {
		/* Its SA is there: the tunnel's version and ID may change. */
		reconcile_make_binding(t, sa, c->in->owner, &want);
		want.reqid = cur->reqid;
		want.spi = cur->spi;
		want.encap_sport = cur->encap_sport;
		want.encap_dport = cur->encap_dport;
		reconcile_steer(t, c->in->sas, c->in->nsas, &want);
		/* Another SA passes its pins now: pin the one seen, if known. */
		if (!want.spi && want.reqid && other_passes(c, t, sa, cur) &&
		    seen_sa(c, t, cur, cur, &seen, &other) && seen && !other)
			want.spi = seen->spi;
		ret = push_rebind(plan, t, cur, &want, sa);
		return ret ? ret : want_filters(c, t, &want, wants);
	}
	memset(&pin, 0, sizeof(pin));
	pin.reqid = cur->reqid;
	if (!cur->reqid || !seen_sa(c, t, cur, &pin, &seen, &other)) {
		/* Its SA is gone and nothing replaced it: RFC 3193 3.1. */
		ret = push(plan, RC_DEL_TUNNEL, t->tunnel_id, cur, NULL);
		return ret ? ret : push(plan, RC_UNBIND, t->tunnel_id, cur, NULL);
	}
	if (seen && !other) {
		/* The SA seen carrying it, with new NAT-T ports or a new SPI. */
		choose_pins(c, t, seen, &want);
		ret = push_rebind(plan, t, cur, &want, seen);
		return ret ? ret : want_filters(c, t, &want, wants);
	}
	/* SAs of its reqid, and nothing says which is the tunnel's. */
	memset(&a, 0, sizeof(a));
	a.op = RC_UNBIND;
	a.tunnel_id = t->tunnel_id;
	a.b = *cur;
	a.resight = true;
	ret = vec_push(plan, &a, sizeof(a));
	return ret ? ret : want_probe(c, t);
}

static int plan_tunnel(struct ctx *c, const struct l2tp_tunnel *t,
		       struct vec *wants, struct vec *plan)
{
	const struct binding *cur;
	struct binding key;

	if (!reconcile_tunnel_key(t, &key))
		return 0;
	cur = find_binding(c, &key, t);
	if (!cur)
		return plan_unbound(c, t, &key, wants, plan);
	if (cur->owner != c->in->owner)
		return 0;	/* someone else's: never touched */
	return plan_ours(c, t, cur, wants, plan);
}

/*
 * Is @sa one of the SAs of @b's tunnel: inbound (@in) one that its pins
 * accept, outbound one of its reqid with its NAT-T ports reversed?
 */
static bool sa_of(const struct binding *b, const struct xsa *sa, bool in)
{
	if (in)
		return pins_accept(b, sa);
	if (!b->reqid || sa->reqid != b->reqid)
		return false;
	if (!b->encap_sport)
		return true;
	return sa->has_encap && sa->encap_sport == b->encap_dport &&
	       sa->encap_dport == b->encap_sport;
}

/*
 * May another tunnel of @b's address pair use @sa? Yes if it has no
 * binding (nothing says which SA it uses) or its binding takes @sa.
 */
static bool sa_shared(const struct ctx *c, const struct binding *b,
		      const struct xsa *sa, bool in)
{
	const struct l2tp_tunnel *t;
	const struct binding *other;
	struct binding key;
	size_t i;

	for (i = lower_bound(c->tun_pair, c->ntun, &b->local, &b->peer, false);
	     ix_at(c->tun_pair, c->ntun, i, &b->local, &b->peer, false); i++) {
		t = &c->in->tunnels[c->tun_pair[i].pos];
		reconcile_tunnel_key(t, &key);
		other = find_binding(c, &key, t);
		if (!other || sa_of(other, sa, in))
			return true;
	}
	return false;
}

/* Delete the SAs of @b from @src's address to @dst's not deleted yet. */
static int del_sas(const struct ctx *c, const struct binding *b,
		   const struct endpoint *src, const struct endpoint *dst,
		   bool in, bool *sa_gone, struct vec *plan)
{
	const struct xsa *sa;
	size_t i, pos;
	int ret;

	for (i = lower_bound(c->sa, c->in->nsas, src, dst, false);
	     ix_at(c->sa, c->in->nsas, i, src, dst, false); i++) {
		pos = c->sa[i].pos;
		sa = &c->in->sas[pos];
		if (sa_gone[pos] || !sa_between(sa, src, dst) ||
		    !sa_of(b, sa, in) || sa_shared(c, b, sa, in))
			continue;
		sa_gone[pos] = true;
		ret = push(plan, RC_DEL_SA, 0, b, sa);
		if (ret)
			return ret;
	}
	return 0;
}

/* Is @local one of the configured listeners (few: a loop will do)? */
static bool configured(const struct rc_input *in, const struct endpoint *local)
{
	size_t i;

	for (i = 0; i < in->nlisteners; i++)
		if (endpoint_equal(&in->listeners[i], local))
			return true;
	return false;
}

static bool listener_wanted(const struct ctx *c, const struct endpoint *local)
{
	/* No probe: the vec is NULL, which bsearch() must not get. */
	return configured(c->in, local) ||
	       (c->probes.n && bsearch(local, c->probes.v, c->probes.n,
				       sizeof(*local), cmp_endpoint));
}

static int push_listener(struct vec *plan, const struct ctx *c,
			 const struct endpoint *local, bool probe)
{
	struct rc_action a;

	if (bsearch(local, c->lis, c->nlis, sizeof(*local), cmp_endpoint))
		return 0;	/* ours, or an operator's */
	memset(&a, 0, sizeof(a));
	a.b.local = *local;
	a.b.peer.family = AF_UNSPEC;
	a.op = RC_BIND;
	a.b.owner = c->in->owner;
	a.probe = probe;
	return vec_push(plan, &a, sizeof(a));
}

/*
 * RFC 3193 4.2.2 Inbound-1: new tunnels still reach a bound endpoint; and
 * the probes of tunnels waiting to be seen.
 */
static int plan_listeners(const struct ctx *c, struct vec *plan)
{
	const struct endpoint *probe = c->probes.v;
	size_t i;
	int ret = 0;

	for (i = 0; !ret && i < c->in->nlisteners; i++)
		ret = push_listener(plan, c, &c->in->listeners[i], false);
	for (i = 0; !ret && i < c->probes.n; i++)
		if (!configured(c->in, &probe[i]))
			ret = push_listener(plan, c, &probe[i], true);
	return ret;
}

/* Is the tunnel of our binding @b there (find_binding() gives it @b)? */
static bool tunnel_of(const struct ctx *c, const struct binding *b)
{
	size_t i = lower_bound(c->tun, c->ntun, &b->local, &b->peer, true);
	const struct l2tp_tunnel *t;

	for (; ix_at(c->tun, c->ntun, i, &b->local, &b->peer, true); i++) {
		t = &c->in->tunnels[c->tun[i].pos];
		if (find_binding(c, b, t) == b)
			return true;
	}
	return false;
}

static int plan_stale(const struct ctx *c, const struct binding *b,
		      bool *sa_gone, struct vec *plan)
{
	int ret;

	if (b->owner != c->in->owner)
		return 0;
	if (b->peer.family == AF_UNSPEC)
		return listener_wanted(c, &b->local) ? 0 :
		       push(plan, RC_UNBIND, 0, b, NULL);
	if (tunnel_of(c, b))
		return 0;	/* its tunnel is there */
	ret = push(plan, RC_UNBIND, 0, b, NULL);
	if (ret)
		return ret;
	ret = del_sas(c, b, &b->peer, &b->local, true, sa_gone, plan);
	return ret ? ret : del_sas(c, b, &b->local, &b->peer, false, sa_gone, plan);
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
	sort_probes(&c);
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
