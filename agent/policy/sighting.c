// SPDX-License-Identifier: GPL-2.0
/* The SAs the module saw carrying tunnels' packets (sighting.h). */

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/l2tp_ipsec.h>

#include "kernel/binding.h"
#include "kernel/violation.h"
#include "kernel/xfrm.h"
#include "policy/sighting.h"

bool sighting_from_event(const struct violation *v, uint64_t now_ms,
			 struct sighting *s)
{
	memset(s, 0, sizeof(*s));
	if (!v->has_spi || !v->spi ||
	    (v->src.family != AF_INET && v->src.family != AF_INET6) ||
	    v->dst.family != v->src.family || !v->src.port || !v->dst.port)
		return false;
	s->local = v->dst;
	s->peer = v->src;
	s->spi = v->spi;
	s->reqid = v->has_reqid ? v->reqid : 0;
	s->has_encap = v->has_encap;
	s->encap_sport = v->encap_sport;
	s->encap_dport = v->encap_dport;
	s->has_tid = v->has_v2_tunnel_id;
	s->tid = v->v2_tunnel_id;
	s->seen_ms = now_ms;
	return true;
}

int sightings_add(struct vec *tab, const struct sighting *s)
{
	return vec_push(tab, s, sizeof(*s));
}

int sighting_cmp(const void *x, const void *y)
{
	const struct sighting *a = x, *b = y;
	int c = endpoint_cmp(&a->local, &b->local);

	if (!c)
		c = endpoint_cmp(&a->peer, &b->peer);
	if (!c)
		c = (a->spi > b->spi) - (a->spi < b->spi);
	return c;
}

/* The same, the latest first among equals. */
static int cmp_latest(const void *x, const void *y)
{
	const struct sighting *a = x, *b = y;
	int c = sighting_cmp(a, b);

	return c ? c : (a->seen_ms < b->seen_ms) - (a->seen_ms > b->seen_ms);
}

static int cmp_newest(const void *x, const void *y)
{
	const struct sighting *a = x, *b = y;

	return (a->seen_ms < b->seen_ms) - (a->seen_ms > b->seen_ms);
}

/* An SA as the key a sighting has: (peer, local, SPI), ports 0. */
static void sa_key(const struct xsa *sa, struct sighting *k)
{
	memset(k, 0, sizeof(*k));
	k->peer.family = k->local.family = sa->family;
	if (sa->family == AF_INET6) {
		memcpy(&k->peer.addr.v6, &sa->saddr, sizeof(k->peer.addr.v6));
		memcpy(&k->local.addr.v6, &sa->daddr, sizeof(k->local.addr.v6));
	} else {
		memcpy(&k->peer.addr.v4, &sa->saddr, sizeof(k->peer.addr.v4));
		memcpy(&k->local.addr.v4, &sa->daddr, sizeof(k->local.addr.v4));
	}
	k->spi = sa->spi;
}

/* By local address, peer address, SPI: ports are not the SA's. */
static int cmp_sa_key(const void *x, const void *y)
{
	const struct sighting *a = x, *b = y;
	int c = endpoint_cmp_addr(&a->local, &b->local);

	if (!c)
		c = endpoint_cmp_addr(&a->peer, &b->peer);
	return c ? c : (a->spi > b->spi) - (a->spi < b->spi);
}

/* By 4-tuple only. */
static int cmp_tuple(const void *x, const void *y)
{
	const struct sighting *a = x, *b = y;
	int c = endpoint_cmp(&a->local, &b->local);

	return c ? c : endpoint_cmp(&a->peer, &b->peer);
}

void sightings_prune(struct vec *tab, uint64_t now_ms, const struct xsa *sas,
		     size_t nsas, const struct binding *bindings,
		     size_t nbindings, uint32_t owner)
{
	struct sighting *s = tab->v, *sa_keys, *bound, k;
	size_t i, n = 0, nbound = 0;

	if (!tab->n)
		return;
	sa_keys = calloc(nsas + 1, sizeof(*sa_keys));
	bound = calloc(nbindings + 1, sizeof(*bound));
	if (!sa_keys || !bound) {
		/* Without the indexes nothing can be checked: forget all. */
		tab->n = 0;
		goto out;
	}
	for (i = 0; i < nsas; i++)
		sa_key(&sas[i], &sa_keys[i]);
	qsort(sa_keys, nsas, sizeof(*sa_keys), cmp_sa_key);
	for (i = 0; i < nbindings; i++) {
		if (bindings[i].owner != owner ||
		    bindings[i].peer.family == AF_UNSPEC)
			continue;
		memset(&bound[nbound], 0, sizeof(bound[nbound]));
		bound[nbound].local = bindings[i].local;
		bound[nbound++].peer = bindings[i].peer;
	}
	qsort(bound, nbound, sizeof(*bound), cmp_tuple);

	qsort(s, tab->n, sizeof(*s), cmp_latest);
	for (i = 0; i < tab->n; i++) {
		if (n && !sighting_cmp(&s[n - 1], &s[i]))
			continue;	/* an older one of the same SA */
		k = s[i];
		if (!bsearch(&k, sa_keys, nsas, sizeof(*sa_keys), cmp_sa_key))
			continue;	/* its SA is gone */
		if (now_ms - s[i].seen_ms > SIGHTING_TTL_MS &&
		    !bsearch(&k, bound, nbound, sizeof(*bound), cmp_tuple))
			continue;
		s[n++] = s[i];
	}
	tab->n = n;
	if (n > SIGHTING_MAX) {
		qsort(s, n, sizeof(*s), cmp_newest);
		tab->n = SIGHTING_MAX;
		qsort(s, tab->n, sizeof(*s), sighting_cmp);
	}
out:
	free(sa_keys);
	free(bound);
}
