/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_AUTOBIND_H
#define AGENT_AUTOBIND_H

#include <stddef.h>

struct daemon;

/*
 * Automatic binding in "l2tp-ipsec agent", the glue around reconcile.h:
 * the L2TP and XFRM multicast sockets join the daemon's loop, every trigger
 * (an l2tp_ipsec UNBOUND_NTF, an L2TP tunnel notification, an XFRM NEWSA,
 * DELSA, EXPIRE or MAPPING, lost events, the start) marks one reconcile as
 * due, and autobind_run(), called once after each batch of callbacks, does
 * it from fresh dumps: bursts of triggers cost one reconcile.
 *
 * The agent's bindings carry RECONCILE_OWNER; no other binding is touched.
 */

/*
 * Open the sockets (L2TP requests share the daemon's l2tp_ipsec socket),
 * join the groups, register the event sockets with the loop, and mark the
 * first reconcile due. 0 or -errno (logged).
 */
int autobind_open(struct daemon *d);
/* Close what autobind_open() opened; safe if it failed or never ran. */
void autobind_close(struct daemon *d);

struct violation;
/*
 * An UNBOUND_NTF: remember the SA it names as seen carrying its 4-tuple
 * (sighting.h), the evidence reconcile() binds by. Call it before
 * autobind_trigger().
 */
void autobind_sighting(struct daemon *d, const struct violation *v);

/*
 * A VIOLATION_NTF: a packet of an L2TPv2 tunnel (its header names one)
 * that a bound twin of its 4-tuple judged and refused (sa-mismatch or
 * tunnel-id). Once one twin is bound, the packets of a twin not bound yet
 * (the agent restarted, its bindings gone with the module) all meet that
 * binding and raise no UNBOUND_NTF: kept as a sighting of its tunnel, but
 * only if the next reconcile finds no binding of that tunnel ID on the
 * 4-tuple (a bound tunnel's SA is not second-guessed by what others send
 * with its ID). Triggers a reconcile.
 */
void autobind_twin_violation(struct daemon *d, const struct violation *v);

/* Mark a reconcile due, because of @why (kept for the log). */
void autobind_trigger(struct daemon *d, const char *why);

/* Reconcile now if one is due. */
void autobind_run(struct daemon *d);

struct binding;
/*
 * --flush-on-exit: delete the per-tunnel filters of the 4-tuples of
 * @ours[0..@n), the agent's bindings. 0 or -errno (logged).
 */
int autobind_flush_filters(struct daemon *d, const struct binding *ours,
			   size_t n);

/*
 * Events were lost (@why says where): rebuild the view from kernel dumps
 * (a reconcile, autobind.h).
 */
void autobind_resync(struct daemon *d, const char *why);

#endif
