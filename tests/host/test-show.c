// SPDX-License-Identifier: GPL-2.0
/*
 * What "tunnel show" and "show" print of tunnels (agent/text/l2tp.c) and
 * "spd show" of policies (agent/text/xfrm.c), text and JSON, compared as
 * exact text. The expectations are what the command line printed before its
 * printers moved onto the renderer.
 */

#include <arpa/inet.h>
#include <sys/socket.h>

#include <linux/l2tp.h>
#include <linux/xfrm.h>

#include "kernel/binding.h"
#include "kernel/l2tp.h"
#include "kernel/xfrm.h"
#include "endpoints.h"
#include "policy/filters.h"
#include "renders.h"
#include "text/l2tp.h"
#include "text/xfrm.h"

/* Counters @present, each @base plus its index. */
static struct l2tp_stats stats(uint32_t present, uint64_t base)
{
	struct l2tp_stats st = { .present = present };
	unsigned int i;

	for (i = 0; i < L2TP_STAT_COUNT; i++)
		st.val[i] = base + i;
	return st;
}

/*
 * UDP over IPv4 and IPv6, a 32-bit ID, IP encapsulation, no addresses and
 * an encapsulation this program does not know, L2TPv2.
 */
static struct l2tp_tunnel tunnels[] = {
	{ .tunnel_id = 4, .peer_tunnel_id = 5, .version = 3, .encap = L2TP_ENCAPTYPE_UDP },
	{ .tunnel_id = 6, .peer_tunnel_id = 6, .version = 3, .encap = L2TP_ENCAPTYPE_UDP },
	{ .tunnel_id = 4294967295u, .peer_tunnel_id = 1, .version = 3,
	  .encap = L2TP_ENCAPTYPE_UDP },
	{ .tunnel_id = 50, .peer_tunnel_id = 51, .version = 3, .encap = L2TP_ENCAPTYPE_IP },
	{ .tunnel_id = 7, .peer_tunnel_id = 8, .version = 3, .encap = 9 },
	{ .tunnel_id = 20, .peer_tunnel_id = 21, .version = 2, .encap = L2TP_ENCAPTYPE_UDP },
};

/*
 * Ethernet with a device, PPP without, a type this program does not know, a
 * device name to escape, and another tunnel's.
 */
static struct l2tp_session sessions[] = {
	{ .tunnel_id = 4, .session_id = 40, .peer_session_id = 41,
	  .pw_type = L2TP_PWTYPE_ETH, .ifname = "l2tpeth0" },
	{ .tunnel_id = 4, .session_id = 42, .peer_session_id = 43, .pw_type = L2TP_PWTYPE_PPP },
	{ .tunnel_id = 20, .session_id = 0, .peer_session_id = 0, .pw_type = 77 },
	{ .tunnel_id = 50, .session_id = 500, .peer_session_id = 501,
	  .pw_type = L2TP_PWTYPE_ETH, .ifname = "l2tp\"q\\" },
	{ .tunnel_id = 99, .session_id = 990, .peer_session_id = 991,
	  .pw_type = L2TP_PWTYPE_ETH_VLAN },
};

/* exact with counters, peer port any, a listener of ours, every pin */
static struct binding bindings[] = {
	{ .id = 6, .reqid = 4, .l2tp_version = 3, .has_stats = true },
	{ .id = 7, .spi = 0x602, .mode = L2TP_IPSEC_MODE_AUDIT },
	{ .id = 8, .owner = 0x4c324147 },
	{ .id = 9, .reqid = 1, .spi = 0xdeadbeef, .encap_sport = 4500, .encap_dport = 4501,
	  .l2tp_version = 2, .v2_tunnel_id = 20, .allow_ah = true,
	  .mode = L2TP_IPSEC_MODE_ENFORCE, .owner = 0x4c324147, .has_stats = true },
};

/* inbound, outbound, inbound with NAT-T ports */
static const struct xsa sas[] = {
	{ .family = AF_INET, .spi = 0x402, .reqid = 4 },
	{ .family = AF_INET, .spi = 0x401, .reqid = 4 },
	{ .family = AF_INET, .spi = 0xc0ffee00, .has_encap = true, .encap_sport = 4501,
	  .encap_dport = 4500 },
};

static void fixtures(void)
{
	unsigned int i;

	set_ep(&tunnels[0].local, AF_INET, "192.0.2.1", 1701);
	set_ep(&tunnels[0].peer, AF_INET, "198.51.100.2", 1702);
	tunnels[0].stats = stats(0x3ff, 100);
	set_ep(&tunnels[1].local, AF_INET6, "2001:db8::1", 1701);
	set_ep(&tunnels[1].peer, AF_INET6, "2001:db8::2", 4500);
	tunnels[1].stats = stats(0x9, 0);
	set_ep(&tunnels[2].local, AF_INET, "192.0.2.1", 1797);
	set_ep(&tunnels[2].peer, AF_INET, "198.51.100.3", 1797);
	set_ep(&tunnels[3].local, AF_INET, "192.0.2.1", 0);
	set_ep(&tunnels[3].peer, AF_INET, "198.51.100.2", 0);
	tunnels[3].stats = stats(0x3ff, 0);
	set_ep(&tunnels[5].local, AF_INET, "192.0.2.1", 1701);
	set_ep(&tunnels[5].peer, AF_INET, "198.51.100.9", 1701);
	tunnels[5].stats = stats(0x3ff, 7);
	sessions[0].stats = stats(0x3ff, 1000);
	sessions[2].stats = stats(0x1, 5);

	set_ep(&bindings[0].local, AF_INET, "192.0.2.1", 1701);
	set_ep(&bindings[0].peer, AF_INET, "198.51.100.2", 1702);
	for (i = L2TP_IPSEC_A_STATS_ACCEPTED; i <= L2TP_IPSEC_A_STATS_AUDITED; i++) {
		if (i == L2TP_IPSEC_A_STATS_ACCEPTED_UNBOUND ||
		    i == L2TP_IPSEC_A_STATS_DROPPED_POLICY)
			continue;
		bindings[0].stats.present |= 1u << i;
		bindings[0].stats.val[i] = i;
	}
	set_ep(&bindings[1].local, AF_INET6, "2001:db8::1", 1701);
	set_ep(&bindings[1].peer, AF_INET6, "2001:db8::2", 0);
	set_ep(&bindings[2].local, AF_INET, "192.0.2.1", 1797);
	set_ep(&bindings[3].local, AF_INET, "192.0.2.1", 1701);
	set_ep(&bindings[3].peer, AF_INET, "198.51.100.9", 1701);
	bindings[3].stats.present = 1u << L2TP_IPSEC_A_STATS_AUDITED;
	bindings[3].stats.val[L2TP_IPSEC_A_STATS_AUDITED] = 18446744073709551615ull;
}

/* tunnel show: each tunnel, its binding (-1: none) and how it matches */
static const struct {
	int tunnel, binding;
	enum bind_match match;
} tunnel_cases[] = {
	{ 0, 0, MATCH_EXACT },
	{ 1, 1, MATCH_PEER_PORT_ANY },
	{ 2, 2, MATCH_LISTENER },
	{ 3, -1, MATCH_NONE },
	{ 4, -1, MATCH_NONE },
	{ 5, 3, MATCH_EXACT },
};

/* show: each tunnel, its state, binding and SAs in and out (-1: none) */
static const struct {
	int tunnel;
	enum rc_state state;
	int binding, in, out;
} show_cases[] = {
	{ 0, RC_STATE_BOUND, 0, 0, 1 },
	{ 1, RC_STATE_UNBOUND, -1, 2, -1 },
	{ 2, RC_STATE_NO_SA, -1, -1, -1 },
	{ 3, RC_STATE_OTHER, -1, -1, -1 },
	{ 4, RC_STATE_OTHER, 1, 0, -1 },
	{ 5, RC_STATE_BOUND, 3, 2, 1 },
};

static const char *const tunnel_text[] = {
	"tunnel 4: peer-tunnel-id 5 version 3 encap udp local 192.0.2.1:1701 "
	"peer 198.51.100.2:1702 bound (binding 6)\n"
	"    session 40: peer-session-id 41 pw eth ifname l2tpeth0\n"
	"    session 42: peer-session-id 43 pw ppp\n",
	"tunnel 6: peer-tunnel-id 6 version 3 encap udp local "
	"[2001:db8::1]:1701 peer [2001:db8::2]:4500 bound (binding 7, "
	"peer-port-any)\n",
	"tunnel 4294967295: peer-tunnel-id 1 version 3 encap udp local "
	"192.0.2.1:1797 peer 198.51.100.3:1797 bound (binding 8, listener)\n",
	"tunnel 50: peer-tunnel-id 51 version 3 encap ip local 192.0.2.1 peer "
	"198.51.100.2 unbound\n"
	"    session 500: peer-session-id 501 pw eth ifname l2tp\"q\\\n",
	"tunnel 7: peer-tunnel-id 8 version 3 encap 9 unbound\n",
	"tunnel 20: peer-tunnel-id 21 version 2 encap udp local 192.0.2.1:1701 "
	"peer 198.51.100.9:1701 bound (binding 9)\n"
	"    session 0: peer-session-id 0 pw 77\n",
};

static const char *const tunnel_json[] = {
	"{\"tunnel_id\":4,\"peer_tunnel_id\":5,\"version\":3,\"encap\":\"udp\","
	"\"family\":\"ipv4\",\"local\":\"192.0.2.1:1701\","
	"\"peer\":\"198.51.100.2:1702\",\"sessions\":[{\"session_id\":40,"
	"\"peer_session_id\":41,\"pw_type\":\"eth\",\"ifname\":\"l2tpeth0\","
	"\"stats\":{\"tx_packets\":1000,\"tx_bytes\":1001,\"tx_errors\":1002,"
	"\"rx_packets\":1003,\"rx_bytes\":1004,\"rx_seq_discards\":1005,"
	"\"rx_oos_packets\":1006,\"rx_errors\":1007,"
	"\"rx_cookie_discards\":1008,\"rx_invalid\":1009}},{\"session_id\":42,"
	"\"peer_session_id\":43,\"pw_type\":\"ppp\",\"stats\":{}}],"
	"\"stats\":{\"tx_packets\":100,\"tx_bytes\":101,\"tx_errors\":102,"
	"\"rx_packets\":103,\"rx_bytes\":104,\"rx_seq_discards\":105,"
	"\"rx_oos_packets\":106,\"rx_errors\":107,\"rx_cookie_discards\":108,"
	"\"rx_invalid\":109},\"bound\":true,\"binding\":{\"id\":6,"
	"\"local\":\"192.0.2.1:1701\",\"peer\":\"198.51.100.2:1702\","
	"\"family\":\"ipv4\",\"reqid\":4,\"version\":3,\"allow_ah\":false,"
	"\"mode\":\"inherit\",\"stats\":{\"accepted\":2,"
	"\"dropped_cleartext\":4,\"dropped_proto_mode\":5,"
	"\"dropped_sa_mismatch\":6,\"dropped_addr_mismatch\":7,"
	"\"dropped_tunnel_id\":8,\"dropped_malformed\":9,\"audited\":11},"
	"\"match\":\"exact\"}}",
	"{\"tunnel_id\":6,\"peer_tunnel_id\":6,\"version\":3,\"encap\":\"udp\","
	"\"family\":\"ipv6\",\"local\":\"[2001:db8::1]:1701\","
	"\"peer\":\"[2001:db8::2]:4500\",\"sessions\":[],"
	"\"stats\":{\"tx_packets\":0,\"rx_packets\":3},\"bound\":true,"
	"\"binding\":{\"id\":7,\"local\":\"[2001:db8::1]:1701\","
	"\"peer\":\"[2001:db8::2]:any\",\"family\":\"ipv6\","
	"\"spi\":\"0x00000602\",\"allow_ah\":false,\"mode\":\"audit\","
	"\"match\":\"peer-port-any\"}}",
	"{\"tunnel_id\":4294967295,\"peer_tunnel_id\":1,\"version\":3,"
	"\"encap\":\"udp\",\"family\":\"ipv4\",\"local\":\"192.0.2.1:1797\","
	"\"peer\":\"198.51.100.3:1797\",\"sessions\":[],\"stats\":{},"
	"\"bound\":true,\"binding\":{\"id\":8,\"local\":\"192.0.2.1:1797\","
	"\"peer\":\"any\",\"family\":\"ipv4\",\"allow_ah\":false,"
	"\"mode\":\"inherit\",\"owner\":1278361927,\"match\":\"listener\"}}",
	"{\"tunnel_id\":50,\"peer_tunnel_id\":51,\"version\":3,"
	"\"encap\":\"ip\",\"family\":\"ipv4\",\"local\":\"192.0.2.1\","
	"\"peer\":\"198.51.100.2\",\"sessions\":[{\"session_id\":500,"
	"\"peer_session_id\":501,\"pw_type\":\"eth\","
	"\"ifname\":\"l2tp\\\"q\\\\\",\"stats\":{}}],"
	"\"stats\":{\"tx_packets\":0,\"tx_bytes\":1,\"tx_errors\":2,"
	"\"rx_packets\":3,\"rx_bytes\":4,\"rx_seq_discards\":5,"
	"\"rx_oos_packets\":6,\"rx_errors\":7,\"rx_cookie_discards\":8,"
	"\"rx_invalid\":9},\"bound\":false,\"binding\":null}",
	"{\"tunnel_id\":7,\"peer_tunnel_id\":8,\"version\":3,\"encap\":\"9\","
	"\"sessions\":[],\"stats\":{},\"bound\":false,\"binding\":null}",
	"{\"tunnel_id\":20,\"peer_tunnel_id\":21,\"version\":2,"
	"\"encap\":\"udp\",\"family\":\"ipv4\",\"local\":\"192.0.2.1:1701\","
	"\"peer\":\"198.51.100.9:1701\",\"sessions\":[{\"session_id\":0,"
	"\"peer_session_id\":0,\"pw_type\":\"77\","
	"\"stats\":{\"tx_packets\":5}}],\"stats\":{\"tx_packets\":7,"
	"\"tx_bytes\":8,\"tx_errors\":9,\"rx_packets\":10,\"rx_bytes\":11,"
	"\"rx_seq_discards\":12,\"rx_oos_packets\":13,\"rx_errors\":14,"
	"\"rx_cookie_discards\":15,\"rx_invalid\":16},\"bound\":true,"
	"\"binding\":{\"id\":9,\"local\":\"192.0.2.1:1701\","
	"\"peer\":\"198.51.100.9:1701\",\"family\":\"ipv4\",\"reqid\":1,"
	"\"spi\":\"0xdeadbeef\",\"encap\":\"4500:4501\",\"version\":2,"
	"\"v2_tunnel_id\":20,\"allow_ah\":true,\"mode\":\"enforce\","
	"\"owner\":1278361927,\"stats\":{\"audited\":18446744073709551615},"
	"\"match\":\"exact\"}}",
};

static const char *const show_text[] = {
	"tunnel 4: version 3 local 192.0.2.1:1701 peer 198.51.100.2:1702 "
	"bound\n"
	"    sa reqid 4 spi-in 0x00000402 spi-out 0x00000401\n"
	"    binding 6: local 192.0.2.1:1701 peer 198.51.100.2:1702 reqid 4 "
	"version 3 mode inherit\n"
	"    accepted 2 dropped_cleartext 4 dropped_proto_mode 5 "
	"dropped_sa_mismatch 6 dropped_addr_mismatch 7 dropped_tunnel_id 8 "
	"dropped_malformed 9 audited 11\n",
	"tunnel 6: version 3 local [2001:db8::1]:1701 peer [2001:db8::2]:4500 "
	"unbound\n"
	"    sa reqid 0 spi-in 0xc0ffee00 encap 4501:4500\n",
	"tunnel 4294967295: version 3 local 192.0.2.1:1797 peer "
	"198.51.100.3:1797 no-sa\n",
	"tunnel 50: version 3 other\n",
	"tunnel 7: version 3 other\n"
	"    sa reqid 4 spi-in 0x00000402\n"
	"    binding 7: local [2001:db8::1]:1701 peer [2001:db8::2]:any spi "
	"0x00000602 mode audit\n",
	"tunnel 20: version 2 local 192.0.2.1:1701 peer 198.51.100.9:1701 "
	"bound\n"
	"    sa reqid 0 spi-in 0xc0ffee00 spi-out 0x00000401 encap 4501:4500\n"
	"    binding 9: local 192.0.2.1:1701 peer 198.51.100.9:1701 reqid 1 "
	"spi 0xdeadbeef encap 4500:4501 version 2 v2-tunnel-id 20 allow-ah "
	"mode enforce owner 0x4c324147\n"
	"    audited 18446744073709551615\n",
};

static const char *const show_json[] = {
	"{\"tunnel_id\":4,\"version\":3,\"local\":\"192.0.2.1:1701\","
	"\"peer\":\"198.51.100.2:1702\",\"state\":\"bound\","
	"\"sa\":{\"reqid\":4,\"spi_in\":\"0x00000402\","
	"\"spi_out\":\"0x00000401\"},\"binding\":{\"id\":6,"
	"\"local\":\"192.0.2.1:1701\",\"peer\":\"198.51.100.2:1702\","
	"\"family\":\"ipv4\",\"reqid\":4,\"version\":3,\"allow_ah\":false,"
	"\"mode\":\"inherit\",\"stats\":{\"accepted\":2,"
	"\"dropped_cleartext\":4,\"dropped_proto_mode\":5,"
	"\"dropped_sa_mismatch\":6,\"dropped_addr_mismatch\":7,"
	"\"dropped_tunnel_id\":8,\"dropped_malformed\":9,\"audited\":11}}}",
	"{\"tunnel_id\":6,\"version\":3,\"local\":\"[2001:db8::1]:1701\","
	"\"peer\":\"[2001:db8::2]:4500\",\"state\":\"unbound\","
	"\"sa\":{\"reqid\":0,\"spi_in\":\"0xc0ffee00\","
	"\"encap\":\"4501:4500\"},\"binding\":null}",
	"{\"tunnel_id\":4294967295,\"version\":3,\"local\":\"192.0.2.1:1797\","
	"\"peer\":\"198.51.100.3:1797\",\"state\":\"no-sa\",\"sa\":null,"
	"\"binding\":null}",
	"{\"tunnel_id\":50,\"version\":3,\"state\":\"other\",\"sa\":null,"
	"\"binding\":null}",
	"{\"tunnel_id\":7,\"version\":3,\"state\":\"other\","
	"\"sa\":{\"reqid\":4,\"spi_in\":\"0x00000402\"},\"binding\":{\"id\":7,"
	"\"local\":\"[2001:db8::1]:1701\",\"peer\":\"[2001:db8::2]:any\","
	"\"family\":\"ipv6\",\"spi\":\"0x00000602\",\"allow_ah\":false,"
	"\"mode\":\"audit\"}}",
	"{\"tunnel_id\":20,\"version\":2,\"local\":\"192.0.2.1:1701\","
	"\"peer\":\"198.51.100.9:1701\",\"state\":\"bound\","
	"\"sa\":{\"reqid\":0,\"spi_in\":\"0xc0ffee00\","
	"\"spi_out\":\"0x00000401\",\"encap\":\"4501:4500\"},"
	"\"binding\":{\"id\":9,\"local\":\"192.0.2.1:1701\","
	"\"peer\":\"198.51.100.9:1701\",\"family\":\"ipv4\",\"reqid\":1,"
	"\"spi\":\"0xdeadbeef\",\"encap\":\"4500:4501\",\"version\":2,"
	"\"v2_tunnel_id\":20,\"allow_ah\":true,\"mode\":\"enforce\","
	"\"owner\":1278361927,\"stats\":{\"audited\":18446744073709551615}}}",
};

#define AT(array, i) ((i) < 0 ? NULL : &(array)[i])

static void test_tunnel_show(void)
{
	const struct binding *b;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tunnel_cases); i++) {
		b = AT(bindings, tunnel_cases[i].binding);
		check(RENDERS(RENDER_TEXT, tunnel_text[i],
			      render_tunnel(&r, &tunnels[tunnel_cases[i].tunnel], sessions,
					    ARRAY_SIZE(sessions), b, tunnel_cases[i].match)),
		      "tunnel show, text: case %zu", i);
		check(RENDERS(RENDER_JSON, tunnel_json[i],
			      render_tunnel(&r, &tunnels[tunnel_cases[i].tunnel], sessions,
					    ARRAY_SIZE(sessions), b, tunnel_cases[i].match)),
		      "tunnel show, JSON: case %zu", i);
	}
}

static void test_show(void)
{
	const struct l2tp_tunnel *t;
	const struct binding *b;
	const struct xsa *in, *out;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(show_cases); i++) {
		t = &tunnels[show_cases[i].tunnel];
		b = AT(bindings, show_cases[i].binding);
		in = AT(sas, show_cases[i].in);
		out = AT(sas, show_cases[i].out);
		check(RENDERS(RENDER_TEXT, show_text[i],
			      render_tunnel_state(&r, t, show_cases[i].state, b, in, out, NULL)),
		      "show, text: case %zu (%s)", i, rc_state_names[show_cases[i].state]);
		check(RENDERS(RENDER_JSON, show_json[i],
			      render_tunnel_state(&r, t, show_cases[i].state, b, in, out, NULL)),
		      "show, JSON: case %zu (%s)", i, rc_state_names[show_cases[i].state]);
	}
}

/* What render_tunnel_state() writes for tunnel 0 bound, with @identity. */
static char *shown(enum render_mode mode, const char *identity)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct render r;

	render_init(&r, f, mode);
	render_tunnel_state(&r, &tunnels[0], RC_STATE_BOUND, &bindings[0], &sas[0],
			    &sas[1], identity);
	render_end(&r);
	fclose(f);
	return text;
}

/* The peer's IKE identity, when charon knows the SA: in "sa", last. */
static void test_show_identity(void)
{
	char *text = shown(RENDER_TEXT, "C=CH, CN=si.example");
	char *json = shown(RENDER_JSON, "C=CH, CN=si.example");

	check(text && strstr(text, "    sa reqid 4 spi-in 0x00000402 spi-out 0x00000401 "
			     "identity C=CH, CN=si.example\n"),
	      "show, text: the identity charon gives, on the sa line");
	check(json && strstr(json, "\"spi_out\":\"0x00000401\","
			     "\"identity\":\"C=CH, CN=si.example\"}"),
	      "show, JSON: \"identity\" in \"sa\"");
	free(text);
	free(json);
}

/* A policy of @family from @src/@plen_s to @dst/@plen_d (NULL: any). */
static struct xpolicy policy(int family, uint8_t dir, uint8_t proto, const char *src,
			     uint8_t plen_s, const char *dst, uint8_t plen_d)
{
	struct xpolicy p = {
		.family = family, .dir = dir, .proto = proto, .action = XFRM_POLICY_ALLOW,
		.prefixlen_s = plen_s, .prefixlen_d = plen_d,
	};

	if (src)
		inet_pton(family, src, &p.saddr);
	if (dst)
		inet_pton(family, dst, &p.daddr);
	return p;
}

static const struct xtmpl esp = { .proto = IPPROTO_ESP, .mode = XFRM_MODE_TRANSPORT };

/*
 * In the order of spd show: ours in every sub-band and others', every
 * action, every direction and one it does not know, protocols with and
 * without a name, prefixes, exact, partial and no port masks, marks,
 * interface ids, templates of every mode and level.
 */
static struct xpolicy policies[9];

static void policy_fixtures(void)
{
	struct xpolicy *p = policies;

	p[0] = policy(AF_INET, XFRM_POLICY_OUT, 0, NULL, 0, NULL, 0);
	p[0].priority = FILTER_PRIO_BAND + 1;
	p[0].index = 5;

	p[1] = policy(AF_INET, XFRM_POLICY_OUT, IPPROTO_UDP, "192.0.2.1", 32, NULL, 0);
	p[1].sport = 1701;
	p[1].sport_mask = 0xffff;
	p[1].priority = FILTER_PRIO_BASE + 20;
	p[1].index = 8;
	p[1].ntmpl = 1;
	p[1].tmpl[0] = esp;

	p[2] = policy(AF_INET, XFRM_POLICY_IN, IPPROTO_ICMP, "10.6.0.1", 32, "10.6.0.2", 24);
	p[2].priority = 2;
	p[2].index = 6;
	p[2].ntmpl = 1;
	p[2].tmpl[0] = (struct xtmpl){ .proto = IPPROTO_AH, .mode = XFRM_MODE_TRANSPORT };

	p[3] = policy(AF_INET, XFRM_POLICY_IN, IPPROTO_ESP, NULL, 0, "192.0.2.1", 32);
	p[3].priority = FILTER_PRIO_BYPASS;
	p[3].index = 16;

	p[4] = policy(AF_INET, XFRM_POLICY_IN, IPPROTO_UDP, "198.51.100.2", 32, "192.0.2.1", 32);
	p[4].sport = 1702;
	p[4].sport_mask = 0xffff;
	p[4].dport = 1701;
	p[4].dport_mask = 0xffff;
	p[4].priority = FILTER_PRIO_TUNNEL;
	p[4].index = 4294967295u;
	p[4].ntmpl = 1;
	p[4].tmpl[0] = esp;
	p[4].tmpl[0].reqid = 4;

	p[5] = policy(AF_INET, XFRM_POLICY_FWD, IPPROTO_TCP, "10.9.0.0", 16, "10.8.0.1", 32);
	p[5].action = XFRM_POLICY_BLOCK;
	p[5].sport = 80;
	p[5].sport_mask = 0xffff;
	p[5].dport = 0x1200;
	p[5].dport_mask = 0xff00;
	p[5].index = 3;

	p[6] = policy(AF_INET, 7, 132, "10.7.0.1", 32, "10.7.0.2", 32);
	p[6].mark_v = 5;
	p[6].mark_m = 0xff;
	p[6].if_id = 7;
	p[6].priority = 10;
	p[6].index = 9;
	p[6].ntmpl = 2;
	p[6].tmpl[0] = (struct xtmpl){ .proto = IPPROTO_ESP, .mode = XFRM_MODE_TUNNEL,
				       .reqid = 3, .optional = true };
	p[6].tmpl[1] = (struct xtmpl){ .proto = IPPROTO_AH, .mode = XFRM_MODE_BEET };

	p[7] = policy(AF_INET6, XFRM_POLICY_OUT, IPPROTO_GRE, "2001:db8:9::", 48,
		      "2001:db8:8::1", 128);
	p[7].priority = 4294967295u;
	p[7].index = 1;

	p[8] = policy(AF_INET6, XFRM_POLICY_IN, IPPROTO_ICMPV6, "2001:db8:9::1", 128, NULL, 0);
	p[8].priority = 1;
	p[8].index = 2;
	p[8].mark_m = 0x1;
}

static const char spd_text[] =
	"DIR  ACTION   PROTO      SRC              SPORT  DST            DPORT "
	"       PRIORITY    OURS\n"
	"out  bypass   any        any              any    any            any   "
	"       1278345217  no\n"
	"out  protect  udp        192.0.2.1        1701   any            any   "
	"       1278345364  yes\n"
	"in   protect  icmp       10.6.0.1         any    10.6.0.2/24    any   "
	"       2           no\n"
	"in   bypass   esp        any              any    192.0.2.1      any   "
	"       19506       yes\n"
	"in   protect  udp        198.51.100.2     1702   192.0.2.1      1701  "
	"       1278345280  yes (tunnel)\n"
	"fwd  discard  tcp        10.9.0.0/16      80     10.8.0.1       "
	"4608/0xff00  0           no\n"
	"?    protect  132        10.7.0.1         any    10.7.0.2       any   "
	"       10          no\n"
	"out  bypass   gre        2001:db8:9::/48  any    2001:db8:8::1  any   "
	"       4294967295  no\n"
	"in   bypass   ipv6-icmp  2001:db8:9::1    any    any            any   "
	"       1           no\n";

static const char spd_json[] =
	"{\"policies\":[{\"dir\":\"out\",\"action\":\"bypass\","
	"\"family\":\"ipv4\",\"proto\":\"any\",\"src\":\"any\","
	"\"sport\":\"any\",\"dst\":\"any\",\"dport\":\"any\","
	"\"priority\":1278345217,\"index\":5,\"ours\":false},{\"dir\":\"out\","
	"\"action\":\"protect\",\"family\":\"ipv4\",\"proto\":\"udp\","
	"\"src\":\"192.0.2.1\",\"sport\":1701,\"dst\":\"any\","
	"\"dport\":\"any\",\"priority\":1278345364,\"index\":8,"
	"\"templates\":[{\"proto\":\"esp\",\"mode\":\"transport\",\"reqid\":0,"
	"\"level\":\"required\"}],\"ours\":true,\"scope\":\"base\"},"
	"{\"dir\":\"in\",\"action\":\"protect\",\"family\":\"ipv4\","
	"\"proto\":\"icmp\",\"src\":\"10.6.0.1\",\"sport\":\"any\","
	"\"dst\":\"10.6.0.2/24\",\"dport\":\"any\",\"priority\":2,\"index\":6,"
	"\"templates\":[{\"proto\":\"ah\",\"mode\":\"transport\",\"reqid\":0,"
	"\"level\":\"required\"}],\"ours\":false},{\"dir\":\"in\","
	"\"action\":\"bypass\",\"family\":\"ipv4\",\"proto\":\"esp\","
	"\"src\":\"any\",\"sport\":\"any\",\"dst\":\"192.0.2.1\","
	"\"dport\":\"any\",\"priority\":19506,\"index\":16,\"ours\":true,"
	"\"scope\":\"base\"},{\"dir\":\"in\",\"action\":\"protect\","
	"\"family\":\"ipv4\",\"proto\":\"udp\",\"src\":\"198.51.100.2\","
	"\"sport\":1702,\"dst\":\"192.0.2.1\",\"dport\":1701,"
	"\"priority\":1278345280,\"index\":4294967295,"
	"\"templates\":[{\"proto\":\"esp\",\"mode\":\"transport\",\"reqid\":4,"
	"\"level\":\"required\"}],\"ours\":true,\"scope\":\"tunnel\"},"
	"{\"dir\":\"fwd\",\"action\":\"discard\",\"family\":\"ipv4\","
	"\"proto\":\"tcp\",\"src\":\"10.9.0.0/16\",\"sport\":80,"
	"\"dst\":\"10.8.0.1\",\"dport\":\"4608/0xff00\",\"priority\":0,"
	"\"index\":3,\"ours\":false},{\"dir\":\"?\",\"action\":\"protect\","
	"\"family\":\"ipv4\",\"proto\":\"132\",\"src\":\"10.7.0.1\","
	"\"sport\":\"any\",\"dst\":\"10.7.0.2\",\"dport\":\"any\","
	"\"priority\":10,\"index\":9,\"mark\":\"0x5/0xff\",\"if_id\":7,"
	"\"templates\":[{\"proto\":\"esp\",\"mode\":\"tunnel\",\"reqid\":3,"
	"\"level\":\"use\"},{\"proto\":\"ah\",\"mode\":\"other\",\"reqid\":0,"
	"\"level\":\"required\"}],\"ours\":false},{\"dir\":\"out\","
	"\"action\":\"bypass\",\"family\":\"ipv6\",\"proto\":\"gre\","
	"\"src\":\"2001:db8:9::/48\",\"sport\":\"any\","
	"\"dst\":\"2001:db8:8::1\",\"dport\":\"any\",\"priority\":4294967295,"
	"\"index\":1,\"ours\":false},{\"dir\":\"in\",\"action\":\"bypass\","
	"\"family\":\"ipv6\",\"proto\":\"ipv6-icmp\",\"src\":\"2001:db8:9::1\","
	"\"sport\":\"any\",\"dst\":\"any\",\"dport\":\"any\",\"priority\":1,"
	"\"index\":2,\"mark\":\"0x0/0x1\",\"ours\":false}]}";

static void test_spd_show(void)
{
	policy_fixtures();
	check(RENDERS(RENDER_TEXT, spd_text,
		      render_policies(&r, policies, ARRAY_SIZE(policies))),
	      "spd show, text: a table, columns as wide as their widest cell");
	check(RENDERS(RENDER_JSON, spd_json,
		      render_policies(&r, policies, ARRAY_SIZE(policies))),
	      "spd show, JSON: every field");
	check(RENDERS(RENDER_TEXT, "DIR  ACTION  PROTO  SRC  SPORT  DST  DPORT  PRIORITY  OURS\n", render_policies(&r, policies, 0)),
	      "spd show, text: no policies, the heads");
	check(RENDERS(RENDER_JSON, "{\"policies\":[]}", render_policies(&r, policies, 0)),
	      "spd show, JSON: no policies");
}

int main(void)
{
	test_show_identity();
	fixtures();
	test_tunnel_show();
	test_show();
	test_spd_show();
	return harness_exit();
}
