/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_TEXT_L2TP_H
#define AGENT_TEXT_L2TP_H

#include <stddef.h>

#include "policy/reconcile.h"

struct binding;
struct l2tp_session;
struct l2tp_tunnel;
struct render;
struct xsa;

/* How the module's lookup finds the binding of a tunnel's packets. */
enum bind_match {
	MATCH_NONE,
	MATCH_EXACT,
	MATCH_PEER_PORT_ANY,
	MATCH_LISTENER,
};

/*
 * tunnel show: @t, its sessions among @s[0..@ns), and @b, the binding that
 * judges its packets (NULL: none), found by @match. Text: a line, ending in
 * "bound (binding N[, match])" or "unbound", and the sessions indented
 * beneath; JSON: an object with "sessions", "stats", "bound" and "binding"
 * (BINDING + "match", or null).
 */
void render_tunnel(struct render *r, const struct l2tp_tunnel *t,
		   const struct l2tp_session *s, size_t ns,
		   const struct binding *b, enum bind_match match);

/*
 * show: @t in state @st, @in the SA that protects it and @out the SA back
 * (NULL: none), and its binding @b (NULL: none); @identity: the IKE
 * identity of the peer whose CHILD_SA @in is, as charon says (NULL: not
 * known, and then not printed). Text: the tunnel's line, "sa ..." and
 * "binding ..." indented beneath; JSON: an object with "state", "sa" (with
 * "identity" when known) and "binding" (null when none).
 */
void render_tunnel_state(struct render *r, const struct l2tp_tunnel *t,
			 enum rc_state st, const struct binding *b,
			 const struct xsa *in, const struct xsa *out,
			 const char *identity);

#endif
