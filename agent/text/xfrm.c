// SPDX-License-Identifier: GPL-2.0
/* XFRM policies in words, and the table of spd show (render.c). */

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <sys/socket.h>

#include <linux/xfrm.h>

#include "kernel/xfrm.h"
#include "policy/spd.h"
#include "text/render.h"
#include "text/xfrm.h"

#define WORD_LEN (INET6_ADDRSTRLEN + 8)

static const char *dir_word(uint8_t dir)
{
	switch (dir) {
	case XFRM_POLICY_IN:
		return "in";
	case XFRM_POLICY_OUT:
		return "out";
	case XFRM_POLICY_FWD:
		return "fwd";
	default:
		return "?";
	}
}

static const char *action_word(const struct xpolicy *p)
{
	if (p->action == XFRM_POLICY_BLOCK)
		return "discard";
	return p->ntmpl ? "protect" : "bypass";
}

static const char *proto_word(uint8_t proto, char *buf, size_t len)
{
	switch (proto) {
	case 0:
		return "any";
	case IPPROTO_ICMP:
		return "icmp";
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_GRE:
		return "gre";
	case IPPROTO_ESP:
		return "esp";
	case IPPROTO_AH:
		return "ah";
	case IPPROTO_ICMPV6:
		return "ipv6-icmp";
	default:
		snprintf(buf, len, "%u", proto);
		return buf;
	}
}

/* "any", "ADDR" (a host) or "ADDR/PLEN" */
static const char *addr_word(int family, const union inet_addr *ip,
			     uint8_t plen, char *buf, size_t len)
{
	char text[INET6_ADDRSTRLEN];

	if (!plen)
		return "any";
	inet_ntop(family, ip, text, sizeof(text));
	if (plen == (family == AF_INET6 ? 128 : 32))
		snprintf(buf, len, "%s", text);
	else
		snprintf(buf, len, "%s/%u", text, plen);
	return buf;
}

/* "any", "N", or "N/0xMASK" for a partial mask (not made by us) */
static const char *port_word(uint16_t port, uint16_t mask, char *buf, size_t len)
{
	if (!mask)
		return "any";
	if (mask == 0xffff)
		snprintf(buf, len, "%u", port);
	else
		snprintf(buf, len, "%u/0x%04x", port, mask);
	return buf;
}

struct words {
	char proto[8];
	char src[WORD_LEN];
	char dst[WORD_LEN];
	char sport[16];
	char dport[16];
	const char *proto_w;
	const char *src_w;
	const char *dst_w;
	const char *sport_w;
	const char *dport_w;
};

static void words_of(const struct xpolicy *p, struct words *w)
{
	w->proto_w = proto_word(p->proto, w->proto, sizeof(w->proto));
	w->src_w = addr_word(p->family, &p->saddr, p->prefixlen_s, w->src, sizeof(w->src));
	w->dst_w = addr_word(p->family, &p->daddr, p->prefixlen_d, w->dst, sizeof(w->dst));
	w->sport_w = port_word(p->sport, p->sport_mask, w->sport, sizeof(w->sport));
	w->dport_w = port_word(p->dport, p->dport_mask, w->dport, sizeof(w->dport));
}

const char *policy_str(const struct xpolicy *p, char *buf, size_t len)
{
	struct words w;

	words_of(p, &w);
	snprintf(buf, len, "%s %s %s %s port %s -> %s port %s", dir_word(p->dir),
		 action_word(p), w.proto_w, w.src_w, w.sport_w, w.dst_w, w.dport_w);
	return buf;
}

/* ---- spd show ---------------------------------------------------------- */

static const char *const heads[] = {
	"DIR", "ACTION", "PROTO", "SRC", "SPORT", "DST", "DPORT", "PRIORITY", "OURS",
};

/* A number for an exact port, else its word (any, N/0xMASK). */
static void render_port(struct render *r, const char *key, uint16_t port,
			uint16_t mask, const char *word)
{
	if (mask == 0xffff)
		render_uint(r, key, "%u", port);
	else
		render_string(r, key, "%s", word);
}

static void render_template(struct render *r, const struct xtmpl *t)
{
	char proto[8];

	render_open_object(r, NULL);
	render_string(r, "proto", NULL, proto_word(t->proto, proto, sizeof(proto)));
	render_string(r, "mode", NULL, t->mode == XFRM_MODE_TRANSPORT ? "transport" :
		      t->mode == XFRM_MODE_TUNNEL ? "tunnel" : "other");
	render_uint(r, "reqid", NULL, t->reqid);
	render_string(r, "level", NULL, t->optional ? "use" : "required");
	render_close_object(r);
}

/* A row of the table, an object of the list. */
static void render_policy(struct render *r, const struct xpolicy *p)
{
	bool ours = spd_ours(p), tunnel = spd_ours_tunnel(p);
	struct words w;
	char mark[24];
	unsigned int i;

	words_of(p, &w);
	render_open_object(r, NULL);
	render_string(r, "dir", "%s", dir_word(p->dir));
	render_string(r, "action", "%s", action_word(p));
	render_string(r, "family", NULL, p->family == AF_INET6 ? "ipv6" : "ipv4");
	render_string(r, "proto", "%s", w.proto_w);
	render_string(r, "src", "%s", w.src_w);
	render_port(r, "sport", p->sport, p->sport_mask, w.sport_w);
	render_string(r, "dst", "%s", w.dst_w);
	render_port(r, "dport", p->dport, p->dport_mask, w.dport_w);
	render_uint(r, "priority", "%u", p->priority);
	render_uint(r, "index", NULL, p->index);
	if (p->mark_v || p->mark_m) {
		snprintf(mark, sizeof(mark), "0x%" PRIx32 "/0x%" PRIx32, p->mark_v, p->mark_m);
		render_string(r, "mark", NULL, mark);
	}
	if (p->if_id)
		render_uint(r, "if_id", NULL, p->if_id);
	if (p->ntmpl) {
		render_open_array(r, "templates");
		for (i = 0; i < p->ntmpl; i++)
			render_template(r, &p->tmpl[i]);
		render_close_array(r);
	}
	/* text: one column; JSON: whether, and for ours which scope */
	render_bool(r, "ours", NULL, ours);
	render_string(r, NULL, "%s", !ours ? "no" : tunnel ? "yes (tunnel)" : "yes");
	if (ours)
		render_string(r, "scope", NULL, tunnel ? "tunnel" : "base");
	render_close_object(r);
}

void render_policies(struct render *r, const struct xpolicy *list, size_t n)
{
	size_t i;

	render_open_object(r, NULL);
	render_open_table(r, "policies", heads, sizeof(heads) / sizeof(heads[0]));
	for (i = 0; i < n; i++)
		render_policy(r, &list[i]);
	render_close_array(r);
	render_close_object(r);
}
