// SPDX-License-Identifier: GPL-2.0
/* Human-readable output of bindings, counters, configuration and events. */

#include <inttypes.h>
#include <sys/socket.h>

#include "kernel/binding.h"
#include "kernel/nsconfig.h"
#include "kernel/violation.h"
#include "lib/names.h"
#include "text/output.h"

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

static void print_counter_list(FILE *f, const struct counters *c,
			       const char *before, const char *between,
			       const char *after)
{
	const char *sep = before;
	unsigned int i;

	for (i = 0; i <= L2TP_IPSEC_A_STATS_MAX; i++) {
		if (!counters_has(c, i) || !counter_names[i])
			continue;
		fprintf(f, "%s%s %" PRIu64, sep, counter_names[i], c->val[i]);
		sep = between;
	}
	if (sep != before)
		fputs(after, f);
}

void print_binding(FILE *f, const struct binding *b)
{
	char local[ENDPOINT_STRLEN], peer[ENDPOINT_STRLEN];
	char spi[SPI_STRLEN], encap[ENCAP_STRLEN], num[12];

	fprintf(f, "binding %u: local %s peer %s", b->id,
		endpoint_str(&b->local, local, sizeof(local)),
		endpoint_str(&b->peer, peer, sizeof(peer)));
	if (b->reqid)
		fprintf(f, " reqid %u", b->reqid);
	if (b->spi)
		fprintf(f, " spi %s", spi_str(b->spi, spi));
	if (b->encap_sport || b->encap_dport)
		fprintf(f, " encap %s", encap_str(b->encap_sport, b->encap_dport, encap));
	if (b->l2tp_version)
		fprintf(f, " version %u", b->l2tp_version);
	if (b->v2_tunnel_id)
		fprintf(f, " v2-tunnel-id %u", b->v2_tunnel_id);
	if (b->allow_ah)
		fputs(" allow-ah", f);
	fprintf(f, " mode %s",
		name_of(mode_names, NAMES_LEN(mode_names), b->mode, num, sizeof(num)));
	if (b->owner)
		fprintf(f, " owner 0x%08x", b->owner);
	fputc('\n', f);
	if (b->has_stats)
		print_counter_list(f, &b->stats, "    ", " ", "\n");
}

void print_counters(FILE *f, const struct counters *c)
{
	print_counter_list(f, c, "", "\n", "\n");
}

void print_nsconfig(FILE *f, const struct nsconfig *c)
{
	char num[12];
	unsigned int i;

	if (c->has_policy)
		fprintf(f, "policy %s\n", name_of(policy_names, NAMES_LEN(policy_names),
						  c->policy, num, sizeof(num)));
	if (c->has_mode)
		fprintf(f, "mode %s\n", name_of(mode_names, NAMES_LEN(mode_names),
						c->mode, num, sizeof(num)));
	if (c->has_ports) {
		fputs("ports ", f);
		for (i = 0; i < c->nports; i++)
			fprintf(f, "%s%u", i ? "," : "", c->ports[i]);
		fputs(c->nports ? "\n" : "none\n", f);
	}
	if (c->has_max_bindings)
		fprintf(f, "max_bindings %u\n", c->max_bindings);
	if (c->has_num_bindings)
		fprintf(f, "num_bindings %u\n", c->num_bindings);
}

static void print_packet_endpoint(FILE *f, const char *what,
				  const struct endpoint *ep)
{
	char buf[ENDPOINT_STRLEN];

	if (ep->family == AF_INET || ep->family == AF_INET6)
		fprintf(f, " %s %s", what,
			addr_port_str(ep->family, &ep->addr, ep->port, buf, sizeof(buf)));
}

void print_violation(FILE *f, const struct violation *v)
{
	char spi[SPI_STRLEN], encap[ENCAP_STRLEN], num[12];

	fprintf(f, "violation %s %s",
		name_of(reason_names, NAMES_LEN(reason_names), v->reason, num, sizeof(num)),
		v->audit ? "audited" : "dropped");
	print_packet_endpoint(f, "src", &v->src);
	print_packet_endpoint(f, "dst", &v->dst);
	if (v->has_spi)
		fprintf(f, " spi %s", spi_str(v->spi, spi));
	if (v->has_reqid)
		fprintf(f, " reqid %u", v->reqid);
	if (v->has_encap)
		fprintf(f, " encap %s", encap_str(v->encap_sport, v->encap_dport, encap));
	if (v->has_binding_id)
		fprintf(f, " binding %u", v->binding_id);
	if (v->has_suppressed)
		fprintf(f, " suppressed %u", v->suppressed);
	fputc('\n', f);
}
