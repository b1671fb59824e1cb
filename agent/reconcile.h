/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_RECONCILE_H
#define AGENT_RECONCILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "binding.h"
#include "l2tp.h"
#include "vec.h"
#include "xfrm.h"

/*
 * Automatic binding, the pure part: from the kernel's L2TP tunnels, ESP SAs
 * and l2tp_ipsec bindings (three dumps) to the list of changes that make
 * them agree (RFC 3193 section 3.3 checks for every tunnel, section 3.1
 * teardown coupling). No I/O: agent/autobind.c dumps, calls reconcile() and
 * carries the plan out.
 *
 * Rules, for each UDP tunnel with a connected socket (4-tuple local =
 * IP_SADDR:UDP_SPORT, peer = IP_DADDR:UDP_DPORT):
 *
 *  - its inbound SA is an ESP transport-mode SA (SPI not 0) from the peer's
 *    address to the local one; the first one of the dump if several;
 *  - no binding has its 4-tuple and there is an inbound SA: bind it
 *    (RC_BIND), pinned to the SA's reqid (its SPI if the reqid is 0, so
 *    that a rekey with the same reqid changes nothing), its NAT-T ports if
 *    it has any, the tunnel's L2TP version and, for v2, the local tunnel ID,
 *    with owner = the agent's tag;
 *  - no binding and no inbound SA: RC_NO_SA (nothing to do but say so; the
 *    SA's NEWSA event brings the next reconcile);
 *  - a binding of another owner (or of none) has its 4-tuple: left alone;
 *  - our binding has it, and a valid SA with its reqid (SPI) between the
 *    tunnel's addresses is still there: kept, or re-made (RC_UNBIND then
 *    RC_BIND) if the SA's NAT-T ports or the tunnel's version changed;
 *  - our binding has it but its SA is gone with no replacement (deleted or
 *    hard-expired): the tunnel is torn down (RC_DEL_TUNNEL, then RC_UNBIND).
 *
 * and for each of our bindings whose tunnel is gone: RC_UNBIND, then
 * RC_DEL_SA for every ESP transport SA between its two addresses (both
 * directions), unless another tunnel still uses that address pair.
 *
 * Per-tunnel filters, when @filters is set in the input (a fourth dump, the
 * SPD): every tunnel bound by us (kept, re-made or bound now) wants the
 * lines of reconcile_tunnel_filters() for @role, pinned to its SAs' reqids.
 * A wanted policy missing from the SPD, or ours in the tunnel sub-band
 * with another priority or reqid, is installed (RC_ADD_FILTER, after every
 * RC_BIND); one whose selector is held by a policy not ours, or by our
 * base set, is left alone. Every policy of ours in the tunnel sub-band
 * (xfrm_policy_ours_tunnel()) that no bound tunnel wants is removed
 * (RC_DEL_FILTER, before the RC_UNBIND and RC_DEL_SA of gone tunnels).
 * Nothing else of the SPD is ever touched. Two tunnels wanting one
 * selector: the first of the tunnel dump has it.
 *
 * Listeners (RFC 3193 section 4.2.2 "Inbound-1"): once a tunnel's binding
 * names a local endpoint, the module drops packets to it from peers no
 * binding names, so a responder that must take new tunnels there keeps a
 * listener binding (any peer, no pin: any valid ESP transport SA of the
 * packet's addresses). Each of @listeners without a listener binding,
 * ours or another's, gets one of ours (RC_BIND, tunnel 0); a listener
 * binding of ours on no endpoint of @listeners goes (RC_UNBIND, no SA is
 * touched).
 */

/* The agent's owner tag on its bindings: "L2AG". */
#define RECONCILE_OWNER 0x4c324147u

enum rc_op {
	RC_BIND,	/* add @b (for tunnel @tunnel_id) */
	RC_UNBIND,	/* delete @b */
	RC_DEL_TUNNEL,	/* L2TP_CMD_TUNNEL_DELETE @tunnel_id */
	RC_DEL_SA,	/* XFRM_MSG_DELSA @sa */
	RC_NO_SA,	/* tunnel @tunnel_id has no SA yet: nothing to do */
	RC_ADD_FILTER,	/* install @pol, a filter of tunnel @tunnel_id */
	RC_DEL_FILTER,	/* XFRM_MSG_DELPOLICY @pol, a filter no tunnel wants */
};

/**
 * struct rc_action - one step of a plan
 * @op: what to do
 * @tunnel_id: the tunnel concerned; 0 for a binding or SA of a tunnel
 *	that is gone
 * @b: RC_BIND: the binding to add; RC_UNBIND, RC_DEL_TUNNEL: the binding
 *	concerned (its key suffices); RC_NO_SA: the tunnel's 4-tuple
 * @sa: RC_DEL_SA: the SA to delete
 * @pol: RC_ADD_FILTER, RC_DEL_FILTER: the policy
 */
struct rc_action {
	enum rc_op op;
	uint32_t tunnel_id;
	struct binding b;
	struct xsa sa;
	struct xpolicy pol;
};

/**
 * struct rc_input - the three dumps
 * @tunnels: the namespace's L2TP tunnels
 * @ntunnels: their number
 * @sas: its SAs
 * @nsas: their number
 * @bindings: its bindings
 * @nbindings: their number
 * @owner: our owner tag (RECONCILE_OWNER)
 * @filters: plan per-tunnel filters (and read @policies)
 * @role: whose per-tunnel filters: the initiator's (LAC) or responder's
 * @policies: the SPD
 * @npolicies: its size
 * @listeners: local endpoints that want a listener binding (a responder's)
 * @nlisteners: their number
 */
struct rc_input {
	const struct l2tp_tunnel *tunnels;
	size_t ntunnels;
	const struct xsa *sas;
	size_t nsas;
	const struct binding *bindings;
	size_t nbindings;
	uint32_t owner;
	bool filters;
	enum filter_role role;
	const struct xpolicy *policies;
	size_t npolicies;
	const struct endpoint *listeners;
	size_t nlisteners;
};

/* Room for the per-tunnel filters of one tunnel. */
#define RC_TUNNEL_FILTERS_MAX FILTER_SET_MAX

/*
 * The per-tunnel filters of @t into @out: the lines of filter_tunnel_set()
 * (RFC 3193 sections 4.2.2 to 4.2.4) that name both addresses, as
 * xfrm_policy_tunnel_filter() policies, inbound ones pinned to @reqid_in,
 * outbound ones to @reqid_out. As @role: the initiator is the local end
 * (I-IPAddr:I-Port) and R-IPAddr1:R-Port the peer; the responder is the
 * local end, R-IPAddr1:R-Port, and the peer I-IPAddr:I-Port. The Any-Addr
 * lines (the responder's listener) are the base set's and never here.
 * Returns their number, 0 for a tunnel that is not a connected UDP one,
 * or -ENOSPC.
 */
int reconcile_tunnel_filters(const struct l2tp_tunnel *t, enum filter_role role,
			     uint32_t reqid_in, uint32_t reqid_out,
			     struct xpolicy *out, size_t max);

/*
 * The reqids the per-tunnel filters of @t, bound by @b, are pinned to:
 * inbound, @b's reqid, or the reqid of the inbound SA of @b's SPI (0 if
 * none); outbound, the reqid of its outbound SA with the inbound reqid, or
 * of any outbound SA of its address pair, else the inbound reqid.
 */
void reconcile_filter_reqids(const struct l2tp_tunnel *t, const struct binding *b,
			     const struct xsa *sas, size_t nsas,
			     uint32_t *reqid_in, uint32_t *reqid_out);

/*
 * Is @p a per-tunnel filter of ours (xfrm_policy_ours_tunnel()) that
 * belongs to @t in either role, whatever its reqid?
 */
bool reconcile_filter_of(const struct xpolicy *p, const struct l2tp_tunnel *t);

/*
 * The 4-tuple of an L2TP/UDP tunnel with a connected socket, as a binding
 * key in @key (the rest zeroed). False for other tunnels (IP
 * encapsulation, no addresses, unconnected).
 */
bool reconcile_tunnel_key(const struct l2tp_tunnel *t, struct binding *key);

/* The tunnel's inbound SA, see above; NULL if none. */
const struct xsa *reconcile_inbound_sa(const struct l2tp_tunnel *t,
				       const struct xsa *sas, size_t nsas);

/*
 * The tunnel's outbound SA: ESP transport from the local address to the
 * peer's, with @reqid unless 0; NULL if none.
 */
const struct xsa *reconcile_outbound_sa(const struct l2tp_tunnel *t,
					const struct xsa *sas, size_t nsas,
					uint32_t reqid);

/* The binding with exactly @key's 4-tuple; NULL if none. */
const struct binding *reconcile_find_exact(const struct binding *key,
					   const struct binding *bindings,
					   size_t nbindings);

/* The binding the agent would make for @t protected by @sa. */
void reconcile_make_binding(const struct l2tp_tunnel *t, const struct xsa *sa,
			    uint32_t owner, struct binding *b);

enum rc_state {
	RC_STATE_OTHER,		/* not a connected UDP tunnel */
	RC_STATE_BOUND,		/* a binding has its 4-tuple */
	RC_STATE_UNBOUND,	/* none has, though an SA protects it */
	RC_STATE_NO_SA,		/* none has, and no SA protects it */
};

extern const char *const rc_state_names[];

/*
 * What "l2tp-ipsec show" says of @t: its state, its exact binding (@b,
 * NULL if none) and its inbound SA (@sa, NULL if none).
 */
enum rc_state reconcile_tunnel_state(const struct l2tp_tunnel *t,
				     const struct rc_input *in,
				     const struct binding **b,
				     const struct xsa **sa);

/*
 * Compute the plan: append struct rc_action items to @plan (empty vec
 * first; vec_free() it), in the order to carry them out. 0 or -ENOMEM.
 */
int reconcile(const struct rc_input *in, struct vec *plan);

/* "bind", "unbind", ... */
const char *rc_op_name(enum rc_op op);

#endif
