// SPDX-License-Identifier: GPL-2.0
/*
 * Our policies in the kernel's SPD: the filter lines of filters.h as XFRM
 * policies, and how to tell them from everyone else's.
 *
 * Which policies are ours. "spd show" and "spd remove" must tell them from
 * kernel state alone, after a restart, and whatever marks them must not
 * change which packets they match. A policy has no free-form cookie, so:
 *
 *  - its mark (XFRMA_MARK) and interface id (XFRMA_IF_ID) are match keys: a
 *    policy with either only sees packets that carry them;
 *  - a security context (XFRMA_SEC_CTX) needs an LSM and is matched too;
 *  - the sub policy type needs CONFIG_XFRM_SUB_POLICY and is looked up
 *    before the main type;
 *  - the index is the kernel's: a requested one is silently replaced when
 *    taken, and an update keeps the index of the policy it replaces, a
 *    foreign one included;
 *  - lifetimes expire policies or raise events.
 *
 * The priority is the one attribute that is ours to choose anyway (the
 * filters must be ordered), is dumped back verbatim, and survives updates.
 * Our filters use exactly the values of filters.h: 0x00004c32 for BYPASS,
 * 0x4c320000..0x4c32ffff for the rest ("L2" in ASCII), in which
 * 0x4c320040..0x4c32007f is the per-tunnel sub-band (a tunnel's own
 * filters, its SA's reqid in the template) and the rest the base set. No IKE daemon
 * computes such values (strongSwan's are below about 600000, "ip xfrm"
 * defaults to 0), and spd_ours() also wants the shape of one of our
 * filters (no mark, no if_id, main type, one required ESP transport
 * template or none), so a foreign policy passes only if it was made to look
 * exactly like ours.
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/xfrm.h>

#include "kernel/xfrm.h"
#include "policy/filters.h"
#include "policy/spd.h"

_Static_assert((int)FILTER_IN == (int)XFRM_POLICY_IN &&
	       (int)FILTER_OUT == (int)XFRM_POLICY_OUT &&
	       (int)FILTER_FWD == (int)XFRM_POLICY_FWD,
	       "enum filter_dir is XFRM_POLICY_*");

static uint8_t host_prefix(int family)
{
	return family == AF_INET6 ? 128 : 32;
}

void spd_from_filter(const struct filter *f, struct xpolicy *p)
{
	memset(p, 0, sizeof(*p));
	p->family = f->family;
	p->dir = (uint8_t)f->dir;
	p->type = XFRM_POLICY_TYPE_MAIN;
	p->proto = f->proto;
	if (!f->src.any) {
		p->saddr = f->src.ip;
		p->prefixlen_s = host_prefix(f->family);
	}
	if (!f->dst.any) {
		p->daddr = f->dst.ip;
		p->prefixlen_d = host_prefix(f->family);
	}
	if (!f->sport.any) {
		p->sport = f->sport.port;
		p->sport_mask = 0xffff;
	}
	if (!f->dport.any) {
		p->dport = f->dport.port;
		p->dport_mask = 0xffff;
	}
	p->priority = f->priority;
	p->action = f->action == FILTER_DISCARD ? XFRM_POLICY_BLOCK : XFRM_POLICY_ALLOW;
	if (f->action != FILTER_PROTECT)
		return;
	p->ntmpl = 1;
	p->tmpl[0].family = f->family;
	p->tmpl[0].proto = f->sa_proto;
	p->tmpl[0].mode = f->sa_transport ? XFRM_MODE_TRANSPORT : XFRM_MODE_TUNNEL;
	p->tmpl[0].reqid = f->reqid;
}

void spd_tunnel_filter(const struct filter *f, uint32_t reqid,
		       struct xpolicy *p)
{
	spd_from_filter(f, p);
	p->priority = FILTER_PRIO_TUNNEL + (f->priority - FILTER_PRIO_BASE);
	if (p->ntmpl)
		p->tmpl[0].reqid = reqid;
}

bool spd_ours_tunnel(const struct xpolicy *p)
{
	return (p->priority & FILTER_PRIO_TUNNEL_MASK) == FILTER_PRIO_TUNNEL &&
	       spd_ours(p);
}

bool spd_ours(const struct xpolicy *p)
{
	const struct xtmpl *t = &p->tmpl[0];

	if (p->type != XFRM_POLICY_TYPE_MAIN || p->mark_v || p->mark_m ||
	    p->if_id || p->has_sec_ctx || p->ifindex)
		return false;
	if (p->priority == FILTER_PRIO_BYPASS)
		return p->action == XFRM_POLICY_ALLOW && !p->ntmpl;
	if ((p->priority & FILTER_PRIO_BAND_MASK) != FILTER_PRIO_BAND)
		return false;
	if (p->action == XFRM_POLICY_BLOCK)
		return !p->ntmpl;
	return p->ntmpl == 1 && t->proto == IPPROTO_ESP &&
	       t->mode == XFRM_MODE_TRANSPORT && !t->optional && !t->spi;
}

bool spd_protects_as(const struct xpolicy *holder, const struct xpolicy *want)
{
	const struct xtmpl *h = &holder->tmpl[0], *w = &want->tmpl[0];

	if (want->action != XFRM_POLICY_ALLOW || want->ntmpl != 1 || !w->reqid)
		return false;
	if (!xfrm_policy_same_id(holder, want) || holder->type != XFRM_POLICY_TYPE_MAIN ||
	    holder->mark_m || holder->if_id || holder->has_sec_ctx || holder->ifindex)
		return false;
	return holder->action == XFRM_POLICY_ALLOW && holder->ntmpl == 1 &&
	       h->proto == IPPROTO_ESP && h->mode == XFRM_MODE_TRANSPORT &&
	       !h->optional && h->reqid == w->reqid;
}

bool spd_ours_base(const struct xpolicy *p)
{
	return spd_ours(p) && !spd_ours_tunnel(p);
}

bool spd_base_member(const struct xpolicy *p, const struct filter *set,
		     size_t n)
{
	struct xpolicy q;
	size_t i;

	if (!spd_ours_base(p))
		return false;
	for (i = 0; i < n; i++) {
		spd_from_filter(&set[i], &q);
		if (xfrm_policy_same_id(p, &q))
			return true;
	}
	return false;
}

int spd_policy_install(struct nl *nl, const struct xpolicy *p,
		       struct xpolicy *holder)
{
	struct xpolicy cur;
	int tries, ret;

	if (!holder)
		holder = &cur;

	/* A policy deleted between our add and get: add again, a few times. */
	for (tries = 0; tries < 3; tries++) {
		ret = xfrm_policy_add(nl, p, false);
		if (ret != -EEXIST)
			return ret;
		ret = xfrm_policy_get(nl, p, holder);
		if (ret == -ENOENT)
			continue;
		if (ret)
			return ret;
		if (!spd_ours(holder))
			return -EEXIST;
		return xfrm_policy_add(nl, p, true);
	}
	return -EAGAIN;
}
