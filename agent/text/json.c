// SPDX-License-Identifier: GPL-2.0
/* JSON form of bindings, counters, configuration and events, with json-c. */

#include <stdlib.h>
#include <sys/socket.h>

#include "kernel/binding.h"
#include "kernel/nsconfig.h"
#include "kernel/violation.h"
#include "lib/names.h"
#include "text/json.h"
#include "text/output.h"

_Noreturn static void oom(void)
{
	fputs("l2tp-ipsec: out of memory\n", stderr);
	exit(1);
}

json_object *json_new_object(void)
{
	json_object *obj = json_object_new_object();

	if (!obj)
		oom();
	return obj;
}

void json_put(json_object *obj, const char *key, json_object *val)
{
	if (!val || json_object_object_add(obj, key, val))
		oom();
}

static void put_str(json_object *obj, const char *key, const char *s)
{
	json_put(obj, key, json_object_new_string(s));
}

static void put_uint(json_object *obj, const char *key, uint64_t v)
{
	json_put(obj, key, json_object_new_uint64(v));
}

static void put_bool(json_object *obj, const char *key, bool v)
{
	json_put(obj, key, json_object_new_boolean(v));
}

static void put_name(json_object *obj, const char *key,
		     const char *const *table, size_t n, unsigned int v)
{
	char num[12];

	put_str(obj, key, name_of(table, n, v, num, sizeof(num)));
}

json_object *json_counters(const struct counters *c)
{
	json_object *obj = json_new_object();
	unsigned int i;

	for (i = 0; i <= L2TP_IPSEC_A_STATS_MAX; i++)
		if (counters_has(c, i) && counter_names[i])
			put_uint(obj, counter_names[i], c->val[i]);
	return obj;
}

json_object *json_binding(const struct binding *b)
{
	char ep[ENDPOINT_STRLEN], spi[SPI_STRLEN], encap[ENCAP_STRLEN];
	json_object *obj = json_new_object();

	put_uint(obj, "id", b->id);
	put_str(obj, "local", endpoint_str(&b->local, ep, sizeof(ep)));
	put_str(obj, "peer", endpoint_str(&b->peer, ep, sizeof(ep)));
	put_str(obj, "family", b->local.family == AF_INET6 ? "ipv6" : "ipv4");
	if (b->reqid)
		put_uint(obj, "reqid", b->reqid);
	if (b->spi)
		put_str(obj, "spi", spi_str(b->spi, spi));
	if (b->encap_sport || b->encap_dport)
		put_str(obj, "encap", encap_str(b->encap_sport, b->encap_dport, encap));
	if (b->l2tp_version)
		put_uint(obj, "version", b->l2tp_version);
	if (b->v2_tunnel_id)
		put_uint(obj, "v2_tunnel_id", b->v2_tunnel_id);
	put_bool(obj, "allow_ah", b->allow_ah);
	put_name(obj, "mode", mode_names, NAMES_LEN(mode_names), b->mode);
	if (b->owner)
		put_uint(obj, "owner", b->owner);
	if (b->has_stats)
		json_put(obj, "stats", json_counters(&b->stats));
	return obj;
}

json_object *json_nsconfig(const struct nsconfig *c)
{
	json_object *obj = json_new_object();
	json_object *ports;
	unsigned int i;

	if (c->has_policy)
		put_name(obj, "policy", policy_names, NAMES_LEN(policy_names), c->policy);
	if (c->has_mode)
		put_name(obj, "mode", mode_names, NAMES_LEN(mode_names), c->mode);
	if (c->has_ports) {
		ports = json_object_new_array();
		if (!ports)
			oom();
		for (i = 0; i < c->nports; i++) {
			json_object *port = json_object_new_uint64(c->ports[i]);

			if (!port || json_object_array_add(ports, port))
				oom();
		}
		json_put(obj, "ports", ports);
	}
	if (c->has_max_bindings)
		put_uint(obj, "max_bindings", c->max_bindings);
	if (c->has_num_bindings)
		put_uint(obj, "num_bindings", c->num_bindings);
	return obj;
}

static void put_packet_endpoint(json_object *obj, const char *key,
				const struct endpoint *ep)
{
	char buf[ENDPOINT_STRLEN];

	if (ep->family == AF_INET || ep->family == AF_INET6)
		put_str(obj, key, addr_port_str(ep->family, &ep->addr, ep->port,
						buf, sizeof(buf)));
}

json_object *json_violation(const struct violation *v)
{
	char spi[SPI_STRLEN], encap[ENCAP_STRLEN];
	json_object *obj = json_new_object();

	put_str(obj, "event", "violation");
	put_name(obj, "reason", reason_names, NAMES_LEN(reason_names), v->reason);
	put_bool(obj, "audit", v->audit);
	put_packet_endpoint(obj, "src", &v->src);
	put_packet_endpoint(obj, "dst", &v->dst);
	if (v->has_spi)
		put_str(obj, "spi", spi_str(v->spi, spi));
	if (v->has_reqid)
		put_uint(obj, "reqid", v->reqid);
	if (v->has_encap)
		put_str(obj, "encap", encap_str(v->encap_sport, v->encap_dport, encap));
	if (v->has_binding_id)
		put_uint(obj, "binding_id", v->binding_id);
	if (v->has_suppressed)
		put_uint(obj, "suppressed", v->suppressed);
	return obj;
}

const char *json_text(json_object *obj)
{
	const char *s;

	s = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
					   JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!s)
		oom();
	return s;
}

void json_print(FILE *f, json_object *obj)
{
	fprintf(f, "%s\n", json_text(obj));
	json_object_put(obj);
}
