// SPDX-License-Identifier: GPL-2.0
/* L2TP tunnels and their sessions, as tunnel show and show print them. */

#include <sys/socket.h>

#include "kernel/binding.h"
#include "kernel/l2tp.h"
#include "kernel/xfrm.h"
#include "text/l2tp.h"
#include "text/output.h"
#include "text/render.h"

static const char *const match_names[] = {
	[MATCH_NONE]		= "none",
	[MATCH_EXACT]		= "exact",
	[MATCH_PEER_PORT_ANY]	= "peer-port-any",
	[MATCH_LISTENER]	= "listener",
};

/* JSON only: the counters the kernel sent. */
static void render_l2tp_stats(struct render *r, const struct l2tp_stats *st)
{
	unsigned int i;

	render_open_object(r, "stats");
	for (i = 0; i < L2TP_STAT_COUNT; i++)
		if (st->present & (1u << i))
			render_u64(r, l2tp_stat_names[i], NULL, st->val[i]);
	render_close_object(r);
}

static void render_session(struct render *r, const struct l2tp_session *s)
{
	char num[12];

	render_open_object(r, NULL);
	render_uint(r, "session_id", "    session %u:", s->session_id);
	render_uint(r, "peer_session_id", " peer-session-id %u", s->peer_session_id);
	render_string(r, "pw_type", " pw %s", l2tp_pw_name(s->pw_type, num, sizeof(num)));
	if (s->ifname[0])
		render_string(r, "ifname", " ifname %s", s->ifname);
	render_l2tp_stats(r, &s->stats);
	render_text(r, "\n");
	render_close_object(r);
}

void render_tunnel(struct render *r, const struct l2tp_tunnel *t,
		   const struct l2tp_session *s, size_t ns,
		   const struct binding *b, enum bind_match match)
{
	char local[ENDPOINT_STRLEN], peer[ENDPOINT_STRLEN], num[12];
	const char *l, *p;
	bool udp;
	size_t i;

	render_open_object(r, NULL);
	render_uint(r, "tunnel_id", "tunnel %u:", t->tunnel_id);
	render_uint(r, "peer_tunnel_id", " peer-tunnel-id %u", t->peer_tunnel_id);
	render_uint(r, "version", " version %u", t->version);
	render_string(r, "encap", " encap %s", l2tp_encap_name(t->encap, num, sizeof(num)));
	udp = t->encap == L2TP_ENCAPTYPE_UDP;
	l = endpoint_addr_str(&t->local, udp, local, sizeof(local));
	p = endpoint_addr_str(&t->peer, udp, peer, sizeof(peer));
	if (l && p) {
		render_string(r, "family", NULL, t->local.family == AF_INET6 ? "ipv6" : "ipv4");
		render_string(r, "local", " local %s", l);
		render_string(r, "peer", " peer %s", p);
	}
	/* The binding ends the tunnel's line in text, its object in JSON. */
	if (!b)
		render_text(r, " unbound\n");
	else if (match == MATCH_EXACT)
		render_text(r, " bound (binding %u)\n", b->id);
	else
		render_text(r, " bound (binding %u, %s)\n", b->id, match_names[match]);
	render_open_array(r, "sessions");
	for (i = 0; i < ns; i++)
		if (s[i].tunnel_id == t->tunnel_id)
			render_session(r, &s[i]);
	render_close_array(r);
	render_l2tp_stats(r, &t->stats);
	render_bool(r, "bound", NULL, b != NULL);
	if (!b) {
		render_null(r, "binding");
	} else if (render_is_json(r)) {
		render_open_object(r, "binding");
		render_binding_fields(r, b);
		render_string(r, "match", NULL, match_names[match]);
		render_close_object(r);
	}
	render_close_object(r);
}

void render_tunnel_state(struct render *r, const struct l2tp_tunnel *t,
			 enum rc_state st, const struct binding *b,
			 const struct xsa *in, const struct xsa *out,
			 const char *identity)
{
	char ep[ENDPOINT_STRLEN], encap[ENCAP_STRLEN];

	render_open_object(r, NULL);
	render_uint(r, "tunnel_id", "tunnel %u:", t->tunnel_id);
	render_uint(r, "version", " version %u", t->version);
	if (st != RC_STATE_OTHER) {
		render_string(r, "local", " local %s", endpoint_str(&t->local, ep, sizeof(ep)));
		render_string(r, "peer", " peer %s", endpoint_str(&t->peer, ep, sizeof(ep)));
	}
	render_string(r, "state", " %s\n", rc_state_names[st]);
	if (in) {
		render_open_object(r, "sa");
		render_uint(r, "reqid", "    sa reqid %u", in->reqid);
		render_hex(r, "spi_in", " spi-in %s", in->spi);
		if (out)
			render_hex(r, "spi_out", " spi-out %s", out->spi);
		if (in->has_encap)
			render_string(r, "encap", " encap %s",
				      encap_str(in->encap_sport, in->encap_dport, encap));
		if (identity)
			render_string(r, "identity", " identity %s", identity);
		render_text(r, "\n");
		render_close_object(r);
	} else {
		render_null(r, "sa");
	}
	if (b) {
		render_text(r, "    ");
		render_binding(r, "binding", b);
	} else {
		render_null(r, "binding");
	}
	render_close_object(r);
}
