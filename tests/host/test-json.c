// SPDX-License-Identifier: GPL-2.0
/* JSON shapes of agent/text/output.c, compared as exact text. */

#include <arpa/inet.h>
#include <stdint.h>
#include <sys/socket.h>

#include "kernel/binding.h"
#include "harness.h"
#include "kernel/nsconfig.h"
#include "kernel/violation.h"
#include "renders.h"
#include "text/output.h"

/* The JSON of @call, which prints through "&r", is @want. */
#define json_is(call, want) RENDERS(RENDER_JSON, want, call)

static void set_v4(struct endpoint *ep, const char *a, uint16_t port)
{
	ep->family = AF_INET;
	inet_pton(AF_INET, a, &ep->addr.v4);
	ep->port = port;
}

static void set_v6(struct endpoint *ep, const char *a, uint16_t port)
{
	ep->family = AF_INET6;
	inet_pton(AF_INET6, a, &ep->addr.v6);
	ep->port = port;
}

static void test_binding(void)
{
	struct binding b;
	unsigned int t;

	memset(&b, 0, sizeof(b));
	b.id = 1;
	set_v4(&b.local, "192.0.2.1", 1701);
	set_v4(&b.peer, "198.51.100.2", 0);
	b.reqid = 7;
	b.spi = 0x100;
	b.encap_sport = 4500;
	b.encap_dport = 4501;
	b.l2tp_version = 2;
	b.v2_tunnel_id = 5;
	b.allow_ah = true;
	b.mode_set = true;
	b.mode = L2TP_IPSEC_MODE_AUDIT;
	b.has_stats = true;
	for (t = L2TP_IPSEC_A_STATS_ACCEPTED; t <= L2TP_IPSEC_A_STATS_AUDITED; t++) {
		if (t == L2TP_IPSEC_A_STATS_ACCEPTED_UNBOUND ||
		    t == L2TP_IPSEC_A_STATS_DROPPED_POLICY)
			continue;
		b.stats.present |= 1u << t;
		b.stats.val[t] = t;
	}
	check(json_is(render_binding(&r, NULL, &b),
		      "{\"id\":1,\"local\":\"192.0.2.1:1701\",\"peer\":\"198.51.100.2:any\","
		      "\"family\":\"ipv4\",\"reqid\":7,\"spi\":\"0x00000100\","
		      "\"encap\":\"4500:4501\",\"version\":2,\"v2_tunnel_id\":5,"
		      "\"allow_ah\":true,\"mode\":\"audit\",\"stats\":{\"accepted\":2,"
		      "\"dropped_cleartext\":4,\"dropped_proto_mode\":5,"
		      "\"dropped_sa_mismatch\":6,\"dropped_addr_mismatch\":7,"
		      "\"dropped_tunnel_id\":8,\"dropped_malformed\":9,\"audited\":11}}"),
	      "json binding with every pin and per-binding counters");

	memset(&b, 0, sizeof(b));
	b.id = 4294967295u;
	set_v6(&b.local, "2001:db8::1", 1701);
	check(json_is(render_binding(&r, NULL, &b),
		      "{\"id\":4294967295,\"local\":\"[2001:db8::1]:1701\",\"peer\":\"any\","
		      "\"family\":\"ipv6\",\"allow_ah\":false,\"mode\":\"inherit\"}"),
	      "json binding IPv6 listener without pins or stats");

	memset(&b, 0, sizeof(b));
	set_v6(&b.local, "2001:db8::1", 1701);
	set_v6(&b.peer, "2001:db8::2", 1702);
	b.mode = 9;
	check(json_is(render_binding(&r, NULL, &b),
		      "{\"id\":0,\"local\":\"[2001:db8::1]:1701\","
		      "\"peer\":\"[2001:db8::2]:1702\",\"family\":\"ipv6\","
		      "\"allow_ah\":false,\"mode\":\"9\"}"),
	      "json binding with a mode this program does not know");
}

/* As "stats" prints them. */
static void stats_doc(struct render *r, const struct counters *c)
{
	render_open_object(r, NULL);
	render_counters(r, "stats", c, "", "\n");
	render_close_object(r);
}

static void test_counters(void)
{
	struct counters c;

	memset(&c, 0, sizeof(c));
	c.present = (1u << L2TP_IPSEC_A_STATS_ACCEPTED) |
		    (1u << L2TP_IPSEC_A_STATS_ACCEPTED_UNBOUND) |
		    (1u << L2TP_IPSEC_A_STATS_DROPPED_POLICY);
	c.val[L2TP_IPSEC_A_STATS_ACCEPTED] = UINT64_MAX;
	c.val[L2TP_IPSEC_A_STATS_DROPPED_POLICY] = 3;
	check(json_is(stats_doc(&r, &c), "{\"stats\":{\"accepted\":18446744073709551615,"
			   "\"accepted_unbound\":0,\"dropped_policy\":3}}"),
	      "json stats: u64 counters in full, only those sent");
}

static void test_config(void)
{
	struct nsconfig c = {
		.has_policy = true, .policy = L2TP_IPSEC_POLICY_PASS,
		.has_mode = true, .mode = L2TP_IPSEC_MODE_ENFORCE,
		.has_ports = true, .nports = 2, .ports = { 1701, 1702 },
		.has_max_bindings = true, .max_bindings = 262144,
		.has_num_bindings = true, .num_bindings = 0,
	};

	check(json_is(render_nsconfig(&r, &c),
		      "{\"policy\":\"pass\",\"mode\":\"enforce\",\"ports\":[1701,1702],"
		      "\"max_bindings\":262144,\"num_bindings\":0}"),
	      "json config show");
	c.nports = 0;
	c.policy = L2TP_IPSEC_POLICY_REQUIRE_IPSEC;
	c.mode = L2TP_IPSEC_MODE_AUDIT;
	check(json_is(render_nsconfig(&r, &c),
		      "{\"policy\":\"require-ipsec\",\"mode\":\"audit\",\"ports\":[],"
		      "\"max_bindings\":262144,\"num_bindings\":0}"),
	      "json config show without ports");
}

static void test_violation(void)
{
	struct violation v;

	memset(&v, 0, sizeof(v));
	v.reason = L2TP_IPSEC_REASON_SA_MISMATCH;
	v.audit = true;
	set_v6(&v.src, "2001:db8::2", 1701);
	set_v6(&v.dst, "2001:db8::1", 1701);
	v.has_spi = v.has_reqid = v.has_encap = v.has_binding_id = true;
	v.has_suppressed = true;
	v.spi = 0xdeadbeef;
	v.reqid = 0;
	v.encap_sport = 4500;
	v.encap_dport = 4500;
	v.binding_id = 3;
	v.suppressed = 12;
	check(json_is(render_violation(&r, &v, NULL),
		      "{\"event\":\"violation\",\"reason\":\"sa-mismatch\",\"audit\":true,"
		      "\"src\":\"[2001:db8::2]:1701\",\"dst\":\"[2001:db8::1]:1701\","
		      "\"spi\":\"0xdeadbeef\",\"reqid\":0,\"encap\":\"4500:4500\","
		      "\"binding_id\":3,\"suppressed\":12}"),
	      "json violation with every field");
	check(json_is(render_violation(&r, &v, (&(struct violation_identities){ "si.example", "CN=x \"y\"" })),
		      "{\"event\":\"violation\",\"reason\":\"sa-mismatch\",\"audit\":true,"
		      "\"src\":\"[2001:db8::2]:1701\",\"dst\":\"[2001:db8::1]:1701\","
		      "\"spi\":\"0xdeadbeef\",\"reqid\":0,\"encap\":\"4500:4500\","
		      "\"binding_id\":3,\"suppressed\":12,"
		      "\"tunnel_identity\":\"si.example\",\"sa_identity\":\"CN=x \\\"y\\\"\"}"),
	      "json violation with IKE identities, escaped");

	memset(&v, 0, sizeof(v));
	v.reason = L2TP_IPSEC_REASON_CLEARTEXT;
	set_v4(&v.src, "198.51.100.2", 0);
	set_v4(&v.dst, "192.0.2.1", 1701);
	check(json_is(render_violation(&r, &v, NULL),
		      "{\"event\":\"violation\",\"reason\":\"cleartext\",\"audit\":false,"
		      "\"src\":\"198.51.100.2:0\",\"dst\":\"192.0.2.1:1701\"}"),
	      "json violation cleartext, source port 0 printed as 0");
	check(json_is(render_violation(&r, &v, (&(struct violation_identities){ NULL, NULL })),
		      "{\"event\":\"violation\",\"reason\":\"cleartext\",\"audit\":false,"
		      "\"src\":\"198.51.100.2:0\",\"dst\":\"192.0.2.1:1701\","
		      "\"tunnel_identity\":null,\"sa_identity\":null}"),
	      "json violation, IKE asked, no identity: both null");
}

static void one_string(struct render *r, const char *key, const char *s)
{
	render_open_object(r, NULL);
	render_string(r, key, NULL, s);
	render_close_object(r);
}

static void test_escaping(void)
{
	check(json_is(one_string(&r, "s", "q\"b\\s/n\nt\tc\x01\x1f" "\xc3\xa9"), "{\"s\":\"q\\\"b\\\\s/n\\nt\\tc\\u0001\\u001f\xc3\xa9\"}"),
	      "json string escaping: quote, backslash, controls; '/' and UTF-8 kept");
}

int main(void)
{
	test_binding();
	test_counters();
	test_config();
	test_violation();
	test_escaping();
	return harness_exit();
}
