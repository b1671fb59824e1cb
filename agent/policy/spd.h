/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_SPD_H
#define AGENT_SPD_H

#include <stdbool.h>
#include <stdint.h>

struct filter;
struct nl;
struct xpolicy;

/* The policy that puts @f into the kernel. */
void spd_from_filter(const struct filter *f, struct xpolicy *p);

/*
 * The per-tunnel policy for @f, a line of filter_tunnel_set(): as
 * spd_from_filter(), moved from the base set's priority to the
 * tunnel sub-band (FILTER_PRIO_TUNNEL, filters.h: 0x4c320040 + the same
 * offset, ahead of the base set at 0x4c320080 + offset), its template
 * pinned to @reqid. Outbound, @reqid 0 means "only SAs made with reqid 0"
 * to the kernel, not "any SA" (filters.h, struct filter).
 */
void spd_tunnel_filter(const struct filter *f, uint32_t reqid,
		       struct xpolicy *p);

/* Is @p one of ours (below) in the per-tunnel sub-band? */
bool spd_ours_tunnel(const struct xpolicy *p);

/*
 * Does @holder, a policy not ours with the selector of @want (a tunnel's
 * PROTECT filter, pinned to a reqid), protect exactly as @want would? It
 * does if it requires one ESP transport-mode SA of the same reqid and has
 * nothing that narrows what it matches (mark, interface id, security
 * context, interface): charon's own filter for the tunnel's CHILD_SA.
 */
bool spd_protects_as(const struct xpolicy *holder, const struct xpolicy *want);

/* Is @p one of ours in the base scope (not a tunnel's)? */
bool spd_ours_base(const struct xpolicy *p);

/* Is @p one of ours in the base scope, and one of the @n lines of @set? */
bool spd_base_member(const struct xpolicy *p, const struct filter *set,
		     size_t n);

/*
 * Is @p one of ours? It is if it has one of our priorities (filters.h) and
 * the shape of a filter: main type, no mark, no interface id, no security
 * context, no interface, and either no template (BYPASS, DISCARD) or one
 * ESP transport-mode template required (PROTECT).
 */
bool spd_ours(const struct xpolicy *p);

/*
 * Put @p in the kernel, idempotently: add it; if a policy with its selector
 * exists and is ours (an earlier install), replace it; if it is someone
 * else's, leave it, copy it to @holder (unless NULL) and return -EEXIST.
 */
int spd_policy_install(struct nl *nl, const struct xpolicy *p,
		       struct xpolicy *holder);

#endif
