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

static int plan_tunnel(const struct rc_input *in, const struct l2tp_tunnel *t,
		       struct vec *plan)
{
	const struct binding *cur;
	const struct xsa *sa;
	struct binding key, want;
	int ret;

	if (!reconcile_tunnel_key(t, &key))
		return 0;
	cur = reconcile_find_exact(&key, in->bindings, in->nbindings);
	if (cur && cur->owner != in->owner)
		return 0;	/* someone else's: never touched */
	if (!cur) {
		sa = reconcile_inbound_sa(t, in->sas, in->nsas);
		if (!sa)
			return push(plan, RC_NO_SA, t->tunnel_id, &key, NULL);
		reconcile_make_binding(t, sa, in->owner, &want);
		return push(plan, RC_BIND, t->tunnel_id, &want, NULL);
	}
	/* Ours. */
	sa = pinned_sa(t, cur, in->sas, in->nsas);
	if (!sa) {
		/* Its SA is gone and nothing replaced it: RFC 3193 3.1. */
		ret = push(plan, RC_DEL_TUNNEL, t->tunnel_id, cur, NULL);
		return ret ? ret : push(plan, RC_UNBIND, t->tunnel_id, cur, NULL);
	}
	reconcile_make_binding(t, sa, in->owner, &want);
	if (same_pins(cur, &want))
		return 0;
	ret = push(plan, RC_UNBIND, t->tunnel_id, cur, NULL);
	return ret ? ret : push(plan, RC_BIND, t->tunnel_id, &want, NULL);
}

/* Does a tunnel use the address pair of @b (in either role)? */
static bool pair_in_use(const struct rc_input *in, const struct binding *b)
{
	struct binding key;
	size_t i;

	for (i = 0; i < in->ntunnels; i++) {
		if (!reconcile_tunnel_key(&in->tunnels[i], &key))
			continue;
		if (endpoint_same_addr(&key.local, &b->local) &&
		    endpoint_same_addr(&key.peer, &b->peer))
			return true;
	}
	return false;
}

static bool tunnel_exists(const struct rc_input *in, const struct binding *b)
{
	struct binding key;
	size_t i;

	for (i = 0; i < in->ntunnels; i++)
		if (reconcile_tunnel_key(&in->tunnels[i], &key) &&
		    endpoint_equal(&key.local, &b->local) &&
		    endpoint_equal(&key.peer, &b->peer))
			return true;
	return false;
}

static int plan_stale(const struct rc_input *in, const struct binding *b,
		      bool *sa_gone, struct vec *plan)
{
	size_t i;
	int ret;

	if (b->owner != in->owner || b->peer.family == AF_UNSPEC ||
	    tunnel_exists(in, b))
		return 0;
	ret = push(plan, RC_UNBIND, 0, b, NULL);
	if (ret || pair_in_use(in, b))
		return ret;
	for (i = 0; i < in->nsas; i++) {
		if (sa_gone[i] || (!sa_between(&in->sas[i], &b->peer, &b->local) &&
				   !sa_between(&in->sas[i], &b->local, &b->peer)))
			continue;
		sa_gone[i] = true;
		ret = push(plan, RC_DEL_SA, 0, b, &in->sas[i]);
		if (ret)
			return ret;
	}
	return 0;
}

int reconcile(const struct rc_input *in, struct vec *plan)
{
	bool *sa_gone;
	size_t i;
	int ret = 0;

	sa_gone = calloc(in->nsas ? in->nsas : 1, sizeof(*sa_gone));
	if (!sa_gone)
		return -ENOMEM;
	for (i = 0; !ret && i < in->ntunnels; i++)
		ret = plan_tunnel(in, &in->tunnels[i], plan);
	for (i = 0; !ret && i < in->nbindings; i++)
		ret = plan_stale(in, &in->bindings[i], sa_gone, plan);
	free(sa_gone);
	return ret;
}
