// SPDX-License-Identifier: GPL-2.0
/* Bindings, counters, settings and events, as text and JSON (render.c). */

#include <inttypes.h>
#include <stdio.h>
#include <sys/socket.h>

#include "kernel/binding.h"
#include "kernel/nsconfig.h"
#include "kernel/violation.h"
#include "lib/names.h"
#include "text/output.h"
#include "text/render.h"

const char *spi_str(uint32_t spi, char *buf)
{
	snprintf(buf, SPI_STRLEN, "0x%08" PRIx32, spi);
	return buf;
}

const char *encap_str(uint16_t sport, uint16_t dport, char *buf)
{
	snprintf(buf, ENCAP_STRLEN, "%u:%u", sport, dport);
	return buf;
}

const char *binding_key_str(const struct binding *b, char *buf, size_t len)
{
	char local[ENDPOINT_STRLEN], peer[ENDPOINT_STRLEN];

	snprintf(buf, len, "local %s peer %s",
		 endpoint_str(&b->local, local, sizeof(local)),
		 endpoint_str(&b->peer, peer, sizeof(peer)));
	return buf;
}

/* @table[@v] or @v in decimal, as a string value. */
static void render_name(struct render *r, const char *key, const char *fmt,
			const char *const *table, size_t n, unsigned int v)
{
	char num[12];

	render_string(r, key, fmt, name_of(table, n, v, num, sizeof(num)));
}

void render_counters(struct render *r, const char *key, const struct counters *c,
		     const char *lead, const char *sep)
{
	unsigned int i, n = 0;

	render_open_object(r, key);
	for (i = 0; i <= L2TP_IPSEC_A_STATS_MAX; i++) {
		if (!counters_has(c, i) || !counter_names[i])
			continue;
		render_text(r, "%s%s ", n++ ? sep : lead, counter_names[i]);
		render_u64(r, counter_names[i], "%" PRIu64, c->val[i]);
	}
	if (n)
		render_text(r, "\n");
	render_close_object(r);
}

void render_binding_fields(struct render *r, const struct binding *b)
{
	char ep[ENDPOINT_STRLEN], encap[ENCAP_STRLEN];

	render_uint(r, "id", "binding %u:", b->id);
	render_string(r, "local", " local %s", endpoint_str(&b->local, ep, sizeof(ep)));
	render_string(r, "peer", " peer %s", endpoint_str(&b->peer, ep, sizeof(ep)));
	render_string(r, "family", NULL, b->local.family == AF_INET6 ? "ipv6" : "ipv4");
	if (b->reqid)
		render_uint(r, "reqid", " reqid %u", b->reqid);
	if (b->spi)
		render_hex(r, "spi", " spi %s", b->spi);
	if (b->encap_sport || b->encap_dport)
		render_string(r, "encap", " encap %s",
			      encap_str(b->encap_sport, b->encap_dport, encap));
	if (b->l2tp_version)
		render_uint(r, "version", " version %u", b->l2tp_version);
	if (b->v2_tunnel_id)
		render_uint(r, "v2_tunnel_id", " v2-tunnel-id %u", b->v2_tunnel_id);
	render_bool(r, "allow_ah", " allow-ah", b->allow_ah);
	render_name(r, "mode", " mode %s", mode_names, NAMES_LEN(mode_names), b->mode);
	if (b->owner)
		render_uint(r, "owner", " owner 0x%08x", b->owner);
	if (b->sock_inode)
		render_uint(r, "sock_inode", " socket socket:[%u]", b->sock_inode);
	if (b->out_mark)
		render_hex(r, "out_mark", " out-mark %s", b->out_mark);
	if (b->v2_peer_tunnel_id)
		render_uint(r, "v2_peer_tunnel_id", " v2-peer-tunnel-id %u",
			    b->v2_peer_tunnel_id);
	render_text(r, "\n");
	if (b->has_stats)
		render_counters(r, "stats", &b->stats, "    ", " ");
}

void render_binding(struct render *r, const char *key, const struct binding *b)
{
	render_open_object(r, key);
	render_binding_fields(r, b);
	render_close_object(r);
}

void render_nsconfig(struct render *r, const struct nsconfig *c)
{
	unsigned int i;

	render_open_object(r, NULL);
	if (c->has_policy)
		render_name(r, "policy", "policy %s\n", policy_names,
			    NAMES_LEN(policy_names), c->policy);
	if (c->has_mode)
		render_name(r, "mode", "mode %s\n", mode_names, NAMES_LEN(mode_names),
			    c->mode);
	if (c->has_ports) {
		render_text(r, "ports ");
		render_open_array(r, "ports");
		for (i = 0; i < c->nports; i++)
			render_uint(r, NULL, i ? ",%u" : "%u", c->ports[i]);
		render_close_array(r);
		render_text(r, c->nports ? "\n" : "none\n");
	}
	if (c->has_max_bindings)
		render_uint(r, "max_bindings", "max_bindings %u\n", c->max_bindings);
	if (c->has_num_bindings)
		render_uint(r, "num_bindings", "num_bindings %u\n", c->num_bindings);
	render_close_object(r);
}

/* A packet's address and port, if the event has them; port 0 is 0. */
static void render_packet_endpoint(struct render *r, const char *key,
				   const char *fmt, const struct endpoint *ep)
{
	char buf[ENDPOINT_STRLEN];

	if (endpoint_addr_str(ep, true, buf, sizeof(buf)))
		render_string(r, key, fmt, buf);
}

/* @s, or "none" in text and null in JSON. */
static void render_identity(struct render *r, const char *key, const char *fmt,
			    const char *s)
{
	if (s)
		render_string(r, key, fmt, s);
	else if (render_is_json(r))
		render_null(r, key);
	else
		render_string(r, NULL, fmt, "none");
}

void render_violation(struct render *r, const struct violation *v,
		      const struct violation_identities *ids)
{
	char encap[ENCAP_STRLEN];

	render_open_object(r, NULL);
	render_string(r, "event", "%s", "violation");
	render_name(r, "reason", " %s", reason_names, NAMES_LEN(reason_names),
		    v->reason);
	render_bool(r, "audit", NULL, v->audit);
	render_text(r, v->audit ? " audited" : " dropped");
	render_packet_endpoint(r, "src", " src %s", &v->src);
	render_packet_endpoint(r, "dst", " dst %s", &v->dst);
	if (v->has_spi)
		render_hex(r, "spi", " spi %s", v->spi);
	if (v->has_reqid)
		render_uint(r, "reqid", " reqid %u", v->reqid);
	if (v->has_encap)
		render_string(r, "encap", " encap %s",
			      encap_str(v->encap_sport, v->encap_dport, encap));
	if (v->sa_mark)
		render_hex(r, "sa_mark", " sa-mark %s", v->sa_mark);
	if (v->has_v2_tunnel_id)
		render_uint(r, "v2_tunnel_id", " tunnel-id %u", v->v2_tunnel_id);
	if (v->has_binding_id)
		render_uint(r, "binding_id", " binding %u", v->binding_id);
	if (v->has_suppressed)
		render_uint(r, "suppressed", " suppressed %u", v->suppressed);
	if (ids) {
		render_identity(r, "tunnel_identity", " tunnel-identity %s", ids->tunnel);
		render_identity(r, "sa_identity", " sa-identity %s", ids->sa);
	}
	render_text(r, "\n");
	render_close_object(r);
}
