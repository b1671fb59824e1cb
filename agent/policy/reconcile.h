/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_RECONCILE_H
#define AGENT_RECONCILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/binding.h"
#include "kernel/l2tp.h"
#include "kernel/xfrm.h"
#include "lib/vec.h"
#include "policy/filters.h"
#include "policy/sighting.h"

/*
 * Automatic binding, the pure part: from the kernel's L2TP tunnels, ESP SAs
 * and l2tp_ipsec bindings (three dumps) to the list of changes that make
 * them agree (RFC 3193 section 3.3 checks for every tunnel, section 3.1
 * teardown coupling). No I/O: agent/daemon/autobind.c dumps, calls reconcile() and
 * carries the plan out.
 *
 * Rules, for each UDP tunnel with a connected socket (4-tuple local =
 * IP_SADDR:UDP_SPORT, peer = IP_DADDR:UDP_DPORT). Its candidate SAs are the
 * ESP transport-mode SAs (SPI not 0) from the peer's address to the local
 * one. Addresses do not tell candidates apart, and neither does the dump's
 * order: the evidence is @sightings, the SAs the module saw decrypting the
 * tunnel's own 4-tuple (sighting.h). Two candidates are one SA for a
 * binding when they share the reqid and the NAT-T ports (a rekey), or,
 * without a reqid, the SPI.
 *
 *  - no binding has its 4-tuple, no candidate: RC_NO_SA (the SA's NEWSA
 *    event brings the next reconcile);
 *  - no binding, candidates, none seen carrying the tunnel: RC_NOT_SEEN,
 *    not bound (its next packet is sighted and brings the next reconcile);
 *  - no binding, two SAs that are not one seen carrying it: RC_AMBIGUOUS,
 *    not bound (the namespace policy judges it meanwhile);
 *  - no binding, one seen: bind it (RC_BIND), pinned to its reqid (its SPI
 *    if the reqid is 0, so that a rekey with the same reqid changes
 *    nothing), its NAT-T ports if it has any, and its SPI as well if
 *    another candidate would pass those pins; the tunnel's L2TP version
 *    and, for v2, the local tunnel ID; owner = the agent's tag;
 *  - a binding of another owner (or of none) has its 4-tuple: left alone;
 *  - our binding has it and a candidate passes all its pins: kept, or
 *    re-made (RC_UNBIND then RC_BIND) if the tunnel's version or ID
 *    changed, or to pin the SPI seen when another SA now passes its pins;
 *  - our binding has it, no candidate passes its pins, but candidates with
 *    its reqid are there (a NAT mapping change moved the SA's ports, or a
 *    rekey replaced a pinned SPI): re-made for the one seen among them;
 *    if none or several are seen, unbound (RC_UNBIND, @resight) until the
 *    tunnel's next packet is seen;
 *  - our binding has it and no candidate has its reqid (SPI) any more
 *    (deleted or hard-expired): the tunnel is torn down (RC_DEL_TUNNEL,
 *    then RC_UNBIND).
 *
 * and for each of our bindings whose tunnel is gone: RC_UNBIND, then
 * RC_DEL_SA for the tunnel's own SAs: the inbound ones its pins accept and
 * the outbound ones of its reqid (with the NAT-T ports reversed, if it
 * pins them); an SA that another tunnel of the address pair may use (it is
 * unbound, or its binding's pins accept the SA) stays. Without a reqid the
 * outbound SA is not known: it stays.
 *
 * Per-tunnel filters, when @filters is set in the input (a fourth dump, the
 * SPD): every tunnel bound by us (kept, re-made or bound now) wants the
 * lines of reconcile_tunnel_filters() for @role, pinned to its SAs' reqids.
 * A wanted policy missing from the SPD, or ours in the tunnel sub-band
 * with another priority or reqid, is installed (RC_ADD_FILTER, after every
 * RC_BIND); one whose selector is held by a policy not ours, or by our
 * base set, is left alone. Every policy of ours in the tunnel sub-band
 * (spd_ours_tunnel()) that no bound tunnel wants is removed
 * (RC_DEL_FILTER, before the RC_UNBIND and RC_DEL_SA of gone tunnels).
 * Nothing else of the SPD is ever touched. Two tunnels wanting one
 * selector: the first of the tunnel dump has it.
 *
 * Probes: the module reports (UNBOUND_NTF) only packets to the ports it
 * judges, the namespace's (@ports) and those of bindings. A tunnel waiting
 * to be seen (RC_NOT_SEEN, RC_AMBIGUOUS, an unbind with @resight) on a
 * port judged for no other reason gets a listener binding of ours on its
 * local endpoint (RC_BIND, tunnel 0, @probe): its packets are judged as a
 * listener's (any valid ESP transport SA of their addresses) and reported,
 * so the SA carrying them is seen; it goes once no tunnel waits there.
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
	RC_NOT_SEEN,	/* tunnel @tunnel_id: @nsas SAs, none seen: nothing to do */
	RC_AMBIGUOUS,	/* tunnel @tunnel_id: @sa and @sa2 both seen: not bound */
};

/**
 * struct rc_action - one step of a plan
 * @op: what to do
 * @tunnel_id: the tunnel concerned; 0 for a binding or SA of a tunnel
 *	that is gone
 * @b: RC_BIND: the binding to add; RC_UNBIND, RC_DEL_TUNNEL: the binding
 *	concerned (its key suffices); RC_NO_SA: the tunnel's 4-tuple
 * @sa: RC_DEL_SA: the SA to delete; RC_AMBIGUOUS: one SA seen; RC_BIND of
 *	a tunnel: the SA bound
 * @sa2: RC_AMBIGUOUS: another SA seen
 * @nsas: RC_NOT_SEEN: the number of candidate SAs
 * @resight: RC_UNBIND: the binding's SA changed and no sighting says
 *	which SA is the tunnel's now
 * @probe: RC_BIND, RC_UNBIND of a listener: a probe (see above)
 * @pol: RC_ADD_FILTER, RC_DEL_FILTER: the policy
 */
struct rc_action {
	enum rc_op op;
	uint32_t tunnel_id;
	struct binding b;
	struct xsa sa;
	struct xsa sa2;
	size_t nsas;
	bool resight;
	bool probe;
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
 * @sightings: the SAs seen carrying tunnels' packets, any order
 * @nsightings: their number
 * @ports: the namespace's judged L2TP ports
 * @nports: their number
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
	const struct sighting *sightings;
	size_t nsightings;
	const uint16_t *ports;
	size_t nports;
};

/* Room for the per-tunnel filters of one tunnel. */
#define RC_TUNNEL_FILTERS_MAX FILTER_SET_MAX

/*
 * The per-tunnel filters of @t into @out: the lines of filter_tunnel_set()
 * (RFC 3193 sections 4.2.2 to 4.2.4) that name both addresses, as
 * spd_tunnel_filter() policies, inbound ones pinned to @reqid_in,
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
 * none); outbound, the inbound reqid if an outbound SA has it, else the
 * reqid of the outbound SAs of the address pair if they all share one,
 * else the inbound reqid (never one SA picked among several).
 */
void reconcile_filter_reqids(const struct l2tp_tunnel *t, const struct binding *b,
			     const struct xsa *sas, size_t nsas,
			     uint32_t *reqid_in, uint32_t *reqid_out);

/*
 * Is @p a per-tunnel filter of ours (spd_ours_tunnel()) that
 * belongs to @t in either role, whatever its reqid?
 */
bool reconcile_filter_of(const struct xpolicy *p, const struct l2tp_tunnel *t);

/*
 * The 4-tuple of an L2TP/UDP tunnel with a connected socket, as a binding
 * key in @key (the rest zeroed). False for other tunnels (IP
 * encapsulation, no addresses, unconnected).
 */
bool reconcile_tunnel_key(const struct l2tp_tunnel *t, struct binding *key);

/*
 * The tunnel's inbound SA when its candidates are all one SA (see above):
 * the first of them; NULL if none or several: addresses alone do not pick
 * one.
 */
const struct xsa *reconcile_inbound_sa(const struct l2tp_tunnel *t,
				       const struct xsa *sas, size_t nsas);

/*
 * The tunnel's outbound SA: ESP transport from the local address to the
 * peer's with @reqid; with @reqid 0, the first of them if they all share
 * one reqid. NULL if none, or if @reqid is 0 and their reqids differ.
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

/*
 * Outbound steering of @b, @t's binding pinned to a reqid: the mark of
 * the outbound SA of that reqid (strongSwan's mark_out of the CHILD_SA),
 * and for L2TPv2 the peer's tunnel ID, which the headers of the tunnel's
 * packets carry (the module marks those that the L2TP daemon sends
 * unmarked). Both 0 if that SA has no mark, or several SAs of other
 * reqids would be candidates: a mark is never picked among SAs.
 */
void reconcile_steer(const struct l2tp_tunnel *t, const struct xsa *sas,
		     size_t nsas, struct binding *b);

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
