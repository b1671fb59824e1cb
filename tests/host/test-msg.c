// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink messages without a kernel: requests as the agent encodes them,
 * replies and events as the kernel would send them, and the reply loop of
 * nl_transact() fed with crafted datagrams.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "kernel/binding.h"
#include "endpoints.h"
#include "harness.h"
#include "kernel/modclient.h"
#include "kernel/nsconfig.h"
#include "kernel/violation.h"

#define FAMILY 0x20

static struct modclient mc = { .family = FAMILY };

/* The attribute types in @nest, in order, into @types; returns how many. */
static int nest_types(const struct nlattr *nest, uint16_t *types, int max)
{
	const struct nlattr *a;
	int n = 0;

	mnl_attr_for_each_nested(a, nest)
		if (n < max)
			types[n++] = mnl_attr_get_type(a);
	return n;
}

static const struct nlattr *nest_find(const struct nlattr *nest, uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

static bool types_are(const struct nlattr *nest, const uint16_t *want, int n)
{
	uint16_t got[64];
	int i, ngot = nest_types(nest, got, 64);

	if (ngot == n && !memcmp(got, want, n * sizeof(*want)))
		return true;
	fprintf(stderr, "  types:");
	for (i = 0; i < ngot; i++)
		fprintf(stderr, " %u", got[i]);
	fprintf(stderr, "\n");
	return false;
}

static bool same_endpoint(const struct endpoint *a, const struct endpoint *b)
{
	if (a->family != b->family || a->port != b->port)
		return false;
	if (a->family == AF_INET)
		return a->addr.v4.s_addr == b->addr.v4.s_addr;
	if (a->family == AF_INET6)
		return !memcmp(&a->addr.v6, &b->addr.v6, sizeof(a->addr.v6));
	return true;
}

static bool same_binding(const struct binding *a, const struct binding *b)
{
	return a->id == b->id && same_endpoint(&a->local, &b->local) &&
	       same_endpoint(&a->peer, &b->peer) && a->reqid == b->reqid &&
	       a->spi == b->spi && a->encap_sport == b->encap_sport &&
	       a->encap_dport == b->encap_dport &&
	       a->l2tp_version == b->l2tp_version &&
	       a->v2_tunnel_id == b->v2_tunnel_id && a->allow_ah == b->allow_ah &&
	       a->mode_set == b->mode_set && a->mode == b->mode;
}

static void test_binding_encoding(void)
{
	static const uint16_t full[] = {
		L2TP_IPSEC_A_BINDING_LOCAL_IPV4, L2TP_IPSEC_A_BINDING_LOCAL_PORT,
		L2TP_IPSEC_A_BINDING_PEER_IPV4, L2TP_IPSEC_A_BINDING_PEER_PORT,
		L2TP_IPSEC_A_BINDING_REQID, L2TP_IPSEC_A_BINDING_SPI,
		L2TP_IPSEC_A_BINDING_ENCAP_SPORT, L2TP_IPSEC_A_BINDING_ENCAP_DPORT,
		L2TP_IPSEC_A_BINDING_L2TP_VERSION, L2TP_IPSEC_A_BINDING_V2_TUNNEL_ID,
		L2TP_IPSEC_A_BINDING_ALLOW_AH, L2TP_IPSEC_A_BINDING_MODE,
	};
	static const uint16_t key[] = {
		L2TP_IPSEC_A_BINDING_LOCAL_IPV4, L2TP_IPSEC_A_BINDING_LOCAL_PORT,
		L2TP_IPSEC_A_BINDING_PEER_IPV4, L2TP_IPSEC_A_BINDING_PEER_PORT,
		L2TP_IPSEC_A_BINDING_REQID, L2TP_IPSEC_A_BINDING_SPI,
		L2TP_IPSEC_A_BINDING_ENCAP_SPORT, L2TP_IPSEC_A_BINDING_ENCAP_DPORT,
	};
	static const uint16_t listener6[] = {
		L2TP_IPSEC_A_BINDING_LOCAL_IPV6, L2TP_IPSEC_A_BINDING_LOCAL_PORT,
	};
	static const uint16_t anyport6[] = {
		L2TP_IPSEC_A_BINDING_LOCAL_IPV6, L2TP_IPSEC_A_BINDING_LOCAL_PORT,
		L2TP_IPSEC_A_BINDING_PEER_IPV6,
	};
	static const uint8_t v4[] = { 192, 0, 2, 1 };
	char buf[NL_REQ_SIZE];
	const struct nlattr *nest, *a;
	struct nlmsghdr *nlh;
	struct binding b, out;
	int ret;

	memset(&b, 0, sizeof(b));
	set_ep(&b.local, AF_INET, "192.0.2.1", 1701);
	set_ep(&b.peer, AF_INET, "198.51.100.2", 1702);
	b.reqid = 7;
	b.spi = 0x12345678;
	b.encap_sport = 4500;
	b.encap_dport = 4501;
	b.l2tp_version = 2;
	b.v2_tunnel_id = 9;
	b.allow_ah = true;
	b.mode_set = true;
	b.mode = L2TP_IPSEC_MODE_AUDIT;

	nlh = modclient_msg(&mc, buf, L2TP_IPSEC_CMD_BINDING_ADD, 0);
	binding_put(nlh, &b);
	nest = modclient_attr(&mc, nlh, L2TP_IPSEC_A_BINDING);
	check(nest && types_are(nest, full, ARRAY_SIZE(full)),
	      "binding add request carries every pin in one L2TP_IPSEC_A_BINDING nest");
	a = nest ? nest_find(nest, L2TP_IPSEC_A_BINDING_LOCAL_IPV4) : NULL;
	check(a && mnl_attr_get_payload_len(a) == 4 &&
	      !memcmp(mnl_attr_get_payload(a), v4, 4),
	      "IPv4 address attribute is 4 bytes in network order");
	a = nest ? nest_find(nest, L2TP_IPSEC_A_BINDING_LOCAL_PORT) : NULL;
	check(a && mnl_attr_get_payload_len(a) == 2 && mnl_attr_get_u16(a) == 1701,
	      "port attribute is a u16 in host order");
	a = nest ? nest_find(nest, L2TP_IPSEC_A_BINDING_ALLOW_AH) : NULL;
	check(a && mnl_attr_get_payload_len(a) == 0, "allow-ah is an empty flag");
	a = nest ? nest_find(nest, L2TP_IPSEC_A_BINDING_L2TP_VERSION) : NULL;
	check(a && mnl_attr_get_payload_len(a) == 1 && mnl_attr_get_u8(a) == 2,
	      "l2tp-version is a u8");

	/* The kernel echoes what was given, plus the id. */
	mnl_attr_put_u32(nlh, 0, 0);	/* stray top-level attribute: ignored */
	ret = nest ? binding_parse(nest, &out) : -1;
	check(!ret && same_binding(&b, &out) && !out.has_stats,
	      "binding encodes and parses back unchanged");

	nlh = modclient_msg(&mc, buf, L2TP_IPSEC_CMD_BINDING_DEL, 0);
	binding_put_key(nlh, &b);
	nest = modclient_attr(&mc, nlh, L2TP_IPSEC_A_BINDING);
	check(nest && types_are(nest, key, ARRAY_SIZE(key)),
	      "binding key carries addresses, ports and the pin only");

	memset(&b, 0, sizeof(b));
	set_ep(&b.local, AF_INET6, "2001:db8::1", 1701);
	set_ep(&b.peer, AF_UNSPEC, NULL, 0);
	nlh = modclient_msg(&mc, buf, L2TP_IPSEC_CMD_BINDING_ADD, 0);
	binding_put(nlh, &b);
	nest = modclient_attr(&mc, nlh, L2TP_IPSEC_A_BINDING);
	check(nest && types_are(nest, listener6, ARRAY_SIZE(listener6)),
	      "listener binding has no peer attributes");
	a = nest ? nest_find(nest, L2TP_IPSEC_A_BINDING_LOCAL_IPV6) : NULL;
	check(a && mnl_attr_get_payload_len(a) == 16 &&
	      !memcmp(mnl_attr_get_payload(a), &b.local.addr.v6, 16),
	      "IPv6 address attribute is 16 bytes");
	ret = nest ? binding_parse(nest, &out) : -1;
	check(!ret && same_binding(&b, &out), "IPv6 listener parses back unchanged");

	set_ep(&b.peer, AF_INET6, "2001:db8::2", 0);
	nlh = modclient_msg(&mc, buf, L2TP_IPSEC_CMD_BINDING_ADD, 0);
	binding_put(nlh, &b);
	nest = modclient_attr(&mc, nlh, L2TP_IPSEC_A_BINDING);
	check(nest && types_are(nest, anyport6, ARRAY_SIZE(anyport6)),
	      "peer ADDR:any has a peer address and no peer port");
}

/* A reply nest built by hand, for what the agent must refuse. */
static int parse_crafted(void (*fill)(struct nlmsghdr *nlh), struct binding *out)
{
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = modclient_msg(&mc, buf, L2TP_IPSEC_CMD_BINDING_GET, 0);
	nest = mnl_attr_nest_start(nlh, L2TP_IPSEC_A_BINDING);
	fill(nlh);
	mnl_attr_nest_end(nlh, nest);
	return binding_parse(modclient_attr(&mc, nlh, L2TP_IPSEC_A_BINDING), out);
}

static void put_local(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, L2TP_IPSEC_A_BINDING_LOCAL_IPV4, htonl(0xc0000201));
	mnl_attr_put_u16(nlh, L2TP_IPSEC_A_BINDING_LOCAL_PORT, 1701);
}

static void fill_good(struct nlmsghdr *nlh)
{
	struct nlattr *stats;

	mnl_attr_put_u32(nlh, L2TP_IPSEC_A_BINDING_ID, 42);
	put_local(nlh);
	mnl_attr_put_u32(nlh, 200, 1);		/* a newer kernel's attribute */
	stats = mnl_attr_nest_start(nlh, L2TP_IPSEC_A_BINDING_STATS);
	mnl_attr_put(nlh, L2TP_IPSEC_A_STATS_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, L2TP_IPSEC_A_STATS_ACCEPTED, 5);
	mnl_attr_put_u64(nlh, L2TP_IPSEC_A_STATS_AUDITED, 1ull << 40);
	mnl_attr_put_u64(nlh, 30, 9);		/* a newer kernel's counter */
	mnl_attr_nest_end(nlh, stats);
}

static void fill_two_locals(struct nlmsghdr *nlh)
{
	put_local(nlh);
	mnl_attr_put(nlh, L2TP_IPSEC_A_BINDING_LOCAL_IPV6, 16, "0123456789abcdef");
}

static void fill_no_port(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, L2TP_IPSEC_A_BINDING_LOCAL_IPV4, htonl(0xc0000201));
}

static void fill_short_v6(struct nlmsghdr *nlh)
{
	mnl_attr_put(nlh, L2TP_IPSEC_A_BINDING_LOCAL_IPV6, 15, "0123456789abcde");
	mnl_attr_put_u16(nlh, L2TP_IPSEC_A_BINDING_LOCAL_PORT, 1701);
}

static void fill_port_without_peer(struct nlmsghdr *nlh)
{
	put_local(nlh);
	mnl_attr_put_u16(nlh, L2TP_IPSEC_A_BINDING_PEER_PORT, 1701);
}

static void fill_short_reqid(struct nlmsghdr *nlh)
{
	put_local(nlh);
	mnl_attr_put_u16(nlh, L2TP_IPSEC_A_BINDING_REQID, 7);
}

static void fill_u32_counter(struct nlmsghdr *nlh)
{
	struct nlattr *stats;

	put_local(nlh);
	stats = mnl_attr_nest_start(nlh, L2TP_IPSEC_A_BINDING_STATS);
	mnl_attr_put_u32(nlh, L2TP_IPSEC_A_STATS_ACCEPTED, 5);
	mnl_attr_nest_end(nlh, stats);
}

static void fill_flag_with_data(struct nlmsghdr *nlh)
{
	put_local(nlh);
	mnl_attr_put_u8(nlh, L2TP_IPSEC_A_BINDING_ALLOW_AH, 1);
}

static void test_binding_replies(void)
{
	struct binding b;
	int ret;

	ret = parse_crafted(fill_good, &b);
	check(!ret && b.id == 42 && b.local.family == AF_INET &&
	      b.local.addr.v4.s_addr == htonl(0xc0000201) && b.local.port == 1701 &&
	      b.peer.family == AF_UNSPEC && !b.mode_set &&
	      b.mode == L2TP_IPSEC_MODE_INHERIT && b.has_stats &&
	      b.stats.present == ((1u << L2TP_IPSEC_A_STATS_ACCEPTED) |
				  (1u << L2TP_IPSEC_A_STATS_AUDITED)) &&
	      b.stats.val[L2TP_IPSEC_A_STATS_ACCEPTED] == 5 &&
	      b.stats.val[L2TP_IPSEC_A_STATS_AUDITED] == 1ull << 40,
	      "binding reply with id, stats, pad and unknown attributes parses");
	check(parse_crafted(fill_two_locals, &b) == -EPROTO,
	      "binding reply with IPv4 and IPv6 local address refused");
	check(parse_crafted(fill_no_port, &b) == -EPROTO,
	      "binding reply without local port refused");
	check(parse_crafted(fill_short_v6, &b) == -EPROTO,
	      "binding reply with a 15-byte IPv6 address refused");
	check(parse_crafted(fill_port_without_peer, &b) == -EPROTO,
	      "binding reply with peer port but no peer address refused");
	check(parse_crafted(fill_short_reqid, &b) == -EPROTO,
	      "binding reply with a 2-byte reqid refused");
	check(parse_crafted(fill_u32_counter, &b) == -EPROTO,
	      "binding reply with a 4-byte counter refused");
	check(parse_crafted(fill_flag_with_data, &b) == -EPROTO,
	      "binding reply with a flag carrying data refused");
}

static void test_config_encoding(void)
{
	static const uint16_t all[] = {
		L2TP_IPSEC_A_CONFIG_POLICY, L2TP_IPSEC_A_CONFIG_MODE,
		L2TP_IPSEC_A_CONFIG_PORTS, L2TP_IPSEC_A_CONFIG_MAX_BINDINGS,
	};
	struct nsconfig c = {
		.has_policy = true, .policy = L2TP_IPSEC_POLICY_DROP,
		.has_mode = true, .mode = L2TP_IPSEC_MODE_AUDIT,
		.has_ports = true, .nports = 2, .ports = { 1701, 1702 },
		.has_max_bindings = true, .max_bindings = 1000,
	};
	char buf[NL_REQ_SIZE];
	const struct nlattr *nest, *ports;
	struct nlmsghdr *nlh;
	struct nsconfig out;
	uint16_t types[8];
	int i, ret;

	nlh = modclient_msg(&mc, buf, L2TP_IPSEC_CMD_CONFIG_SET, 0);
	nsconfig_put(nlh, &c);
	nest = modclient_attr(&mc, nlh, L2TP_IPSEC_A_CONFIG);
	check(nest && types_are(nest, all, ARRAY_SIZE(all)),
	      "config set request carries every setting");
	ports = nest ? nest_find(nest, L2TP_IPSEC_A_CONFIG_PORTS) : NULL;
	ret = ports ? nest_types(ports, types, 8) : -1;
	for (i = 0; i < ret; i++)
		if (types[i] != L2TP_IPSEC_A_PORT)
			ret = -1;
	check(ret == 2, "ports are a nest of L2TP_IPSEC_A_PORT attributes");
	ret = nest ? nsconfig_parse(nest, &out) : -1;
	check(!ret && out.has_policy && out.policy == c.policy && out.has_mode &&
	      out.mode == c.mode && out.has_ports && out.nports == 2 &&
	      out.ports[0] == 1701 && out.ports[1] == 1702 && out.has_max_bindings &&
	      out.max_bindings == 1000 && !out.has_num_bindings,
	      "config encodes and parses back unchanged");

	memset(&c, 0, sizeof(c));
	c.has_ports = true;
	nlh = modclient_msg(&mc, buf, L2TP_IPSEC_CMD_CONFIG_SET, 0);
	nsconfig_put(nlh, &c);
	nest = modclient_attr(&mc, nlh, L2TP_IPSEC_A_CONFIG);
	ports = nest ? nest_find(nest, L2TP_IPSEC_A_CONFIG_PORTS) : NULL;
	check(ports && mnl_attr_get_payload_len(ports) == 0 &&
	      nest_types(nest, types, 8) == 1,
	      "ports none is an empty L2TP_IPSEC_A_CONFIG_PORTS nest and nothing else");
	ret = nest ? nsconfig_parse(nest, &out) : -1;
	check(!ret && out.has_ports && out.nports == 0, "empty port set parses back");

	c.nports = L2TP_IPSEC_MAX_PORTS;
	nlh = modclient_msg(&mc, buf, L2TP_IPSEC_CMD_CONFIG_GET, 0);
	nsconfig_put(nlh, &c);
	nest = modclient_attr(&mc, nlh, L2TP_IPSEC_A_CONFIG);
	ports = nest_find(nest, L2TP_IPSEC_A_CONFIG_PORTS);
	/* grow the nest by one port past the limit */
	mnl_attr_put_u16(nlh, L2TP_IPSEC_A_PORT, 9);
	((struct nlattr *)ports)->nla_len += MNL_ALIGN(MNL_ATTR_HDRLEN + 2);
	((struct nlattr *)nest)->nla_len += MNL_ALIGN(MNL_ATTR_HDRLEN + 2);
	check(nsconfig_parse(nest, &out) == -EPROTO,
	      "config reply with more than L2TP_IPSEC_MAX_PORTS ports refused");
}

static struct nlmsghdr *event_start(char *buf, uint16_t family, uint8_t cmd)
{
	struct nlmsghdr *nlh = nl_genl_start(buf, family, 0, cmd, 1);

	nlh->nlmsg_flags = 0;
	return nlh;
}

static void test_violation(void)
{
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	struct violation v;
	struct nlattr *nest;
	int ret;

	nlh = event_start(buf, FAMILY, L2TP_IPSEC_CMD_VIOLATION_NTF);
	nest = mnl_attr_nest_start(nlh, L2TP_IPSEC_A_EVENT);
	mnl_attr_put_u8(nlh, L2TP_IPSEC_A_EVENT_REASON, L2TP_IPSEC_REASON_TUNNEL_ID);
	mnl_attr_put(nlh, L2TP_IPSEC_A_EVENT_AUDIT, 0, NULL);
	mnl_attr_put_u32(nlh, L2TP_IPSEC_A_EVENT_SRC_IPV4, htonl(0xc6336402));
	mnl_attr_put_u32(nlh, L2TP_IPSEC_A_EVENT_DST_IPV4, htonl(0xc0000201));
	mnl_attr_put_u16(nlh, L2TP_IPSEC_A_EVENT_SPORT, 1702);
	mnl_attr_put_u16(nlh, L2TP_IPSEC_A_EVENT_DPORT, 1701);
	mnl_attr_put_u32(nlh, L2TP_IPSEC_A_EVENT_SPI, 0x1000);
	mnl_attr_put_u32(nlh, L2TP_IPSEC_A_EVENT_REQID, 3);
	mnl_attr_put_u16(nlh, L2TP_IPSEC_A_EVENT_ENCAP_SPORT, 4500);
	mnl_attr_put_u16(nlh, L2TP_IPSEC_A_EVENT_ENCAP_DPORT, 4501);
	mnl_attr_put_u32(nlh, L2TP_IPSEC_A_EVENT_BINDING_ID, 8);
	mnl_attr_put_u32(nlh, L2TP_IPSEC_A_EVENT_SUPPRESSED, 2);
	mnl_attr_put_u16(nlh, L2TP_IPSEC_A_EVENT_V2_TUNNEL_ID, 0);
	mnl_attr_put_u32(nlh, L2TP_IPSEC_A_EVENT_SA_MARK, 7);
	mnl_attr_nest_end(nlh, nest);
	ret = violation_parse(&mc, nlh, &v);
	check(!ret && v.has_v2_tunnel_id && !v.v2_tunnel_id && v.sa_mark == 7,
	      "violation event: tunnel ID 0 (an SCCRQ) is there, and the SA's mark");
	check(!ret && v.reason == L2TP_IPSEC_REASON_TUNNEL_ID && v.audit &&
	      v.src.family == AF_INET && v.src.addr.v4.s_addr == htonl(0xc6336402) &&
	      v.src.port == 1702 && v.dst.family == AF_INET && v.dst.port == 1701 &&
	      v.has_spi && v.spi == 0x1000 && v.has_reqid && v.reqid == 3 &&
	      v.has_encap && v.encap_sport == 4500 && v.encap_dport == 4501 &&
	      v.has_binding_id && v.binding_id == 8 && v.has_suppressed &&
	      v.suppressed == 2,
	      "violation event with every attribute parses");

	nlh = event_start(buf, FAMILY, L2TP_IPSEC_CMD_VIOLATION_NTF);
	nest = mnl_attr_nest_start(nlh, L2TP_IPSEC_A_EVENT);
	mnl_attr_put_u8(nlh, L2TP_IPSEC_A_EVENT_REASON, L2TP_IPSEC_REASON_CLEARTEXT);
	mnl_attr_put(nlh, L2TP_IPSEC_A_EVENT_SRC_IPV6, 16, "0123456789abcdef");
	mnl_attr_nest_end(nlh, nest);
	ret = violation_parse(&mc, nlh, &v);
	check(!ret && !v.audit && v.src.family == AF_INET6 &&
	      v.dst.family == AF_UNSPEC && !v.has_spi && !v.has_reqid &&
	      !v.has_encap && !v.has_binding_id && !v.has_suppressed &&
	      !v.has_v2_tunnel_id && !v.sa_mark,
	      "violation event without optional attributes parses");
	check(!v.unbound, "a violation event is not an unbound one");

	nlh = event_start(buf, FAMILY, L2TP_IPSEC_CMD_UNBOUND_NTF);
	nest = mnl_attr_nest_start(nlh, L2TP_IPSEC_A_EVENT);
	mnl_attr_put_u8(nlh, L2TP_IPSEC_A_EVENT_REASON, L2TP_IPSEC_REASON_NONE);
	mnl_attr_put_u32(nlh, L2TP_IPSEC_A_EVENT_SRC_IPV4, htonl(0xc6336402));
	mnl_attr_put_u16(nlh, L2TP_IPSEC_A_EVENT_SPORT, 1701);
	mnl_attr_nest_end(nlh, nest);
	ret = violation_parse(&mc, nlh, &v);
	check(!ret && v.unbound && v.reason == L2TP_IPSEC_REASON_NONE &&
	      v.src.port == 1701, "unbound event parses like a violation, marked unbound");

	nlh = event_start(buf, FAMILY + 1, L2TP_IPSEC_CMD_VIOLATION_NTF);
	check(violation_parse(&mc, nlh, &v) == -ENOMSG,
	      "message of another family is not a violation");
	nlh = event_start(buf, FAMILY, L2TP_IPSEC_CMD_BINDING_ADD);
	check(violation_parse(&mc, nlh, &v) == -ENOMSG,
	      "message with another command is not a violation");

	nlh = event_start(buf, FAMILY, L2TP_IPSEC_CMD_VIOLATION_NTF);
	nest = mnl_attr_nest_start(nlh, L2TP_IPSEC_A_EVENT);
	mnl_attr_put(nlh, L2TP_IPSEC_A_EVENT_AUDIT, 0, NULL);
	mnl_attr_nest_end(nlh, nest);
	check(violation_parse(&mc, nlh, &v) == -EPROTO,
	      "violation event without a reason refused");

	nlh = event_start(buf, FAMILY, L2TP_IPSEC_CMD_VIOLATION_NTF);
	nest = mnl_attr_nest_start(nlh, L2TP_IPSEC_A_EVENT);
	mnl_attr_put_u8(nlh, L2TP_IPSEC_A_EVENT_REASON, 1);
	mnl_attr_put(nlh, L2TP_IPSEC_A_EVENT_DST_IPV6, 4, "abcd");
	mnl_attr_nest_end(nlh, nest);
	check(violation_parse(&mc, nlh, &v) == -EPROTO,
	      "violation event with a 4-byte IPv6 address refused");
}

/* Datagrams of replies, built message by message. */
struct dgram {
	char buf[8192];
	size_t len;
};

static struct nlmsghdr *msg_add(struct dgram *d, uint16_t type, uint16_t flags,
				uint32_t seq, uint32_t pid)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(d->buf + d->len);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = pid;
	return nlh;
}

static void msg_end(struct dgram *d, struct nlmsghdr *nlh)
{
	d->len += NLMSG_ALIGN(nlh->nlmsg_len);
}

static void add_reply(struct dgram *d, uint16_t flags, uint32_t seq, uint32_t pid)
{
	struct nlmsghdr *nlh = msg_add(d, FAMILY, flags, seq, pid);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	g->cmd = L2TP_IPSEC_CMD_BINDING_GET;
	msg_end(d, nlh);
}

static void add_done(struct dgram *d, uint32_t seq, int err, const char *msg)
{
	struct nlmsghdr *nlh = msg_add(d, NLMSG_DONE, NLM_F_MULTI, seq, 1234);
	int *e = mnl_nlmsg_put_extra_header(nlh, sizeof(int));

	*e = err;
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	}
	msg_end(d, nlh);
}

/* An ack; @echo bytes of the request follow its header unless capped. */
static void add_ack(struct dgram *d, uint32_t seq, int err, const char *msg,
		    size_t echo)
{
	struct nlmsghdr *nlh = msg_add(d, NLMSG_ERROR, 0, seq, 1234);
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));

	e->error = err;
	e->msg.nlmsg_len = sizeof(struct nlmsghdr) + echo;
	e->msg.nlmsg_type = FAMILY;
	e->msg.nlmsg_seq = seq;
	if (echo)
		memset(mnl_nlmsg_put_extra_header(nlh, echo), 0x55, echo);
	else
		nlh->nlmsg_flags |= NLM_F_CAPPED;
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 20);
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	}
	msg_end(d, nlh);
}

struct counting {
	int calls;
	int fail_at;	/* 1-based call that fails, 0: none */
};

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	struct counting *c = data;

	(void)nlh;
	if (++c->calls == c->fail_at) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* Gives up at the second reply, as binding_dump() does on a repeated id. */
static int stop_cb(const struct nlmsghdr *nlh, void *data)
{
	struct counting *c = data;

	(void)nlh;
	if (++c->calls == 2) {
		errno = ELOOP;
		return MNL_CB_STOP;
	}
	return MNL_CB_OK;
}

static void tx_start(struct nl_tx *tx, struct nl *nl, struct counting *c)
{
	memset(nl, 0, sizeof(*nl));
	nl->portid = 1234;
	memset(c, 0, sizeof(*c));
	memset(tx, 0, sizeof(*tx));
	tx->nl = nl;
	tx->seq = 77;
	tx->cb = count_cb;
	tx->data = c;
}

static void test_reply_loop(void)
{
	struct counting c;
	struct nl_tx tx;
	struct dgram d;
	struct nl nl;

	tx_start(&tx, &nl, &c);
	memset(&d, 0, sizeof(d));
	add_reply(&d, NLM_F_MULTI, 76, 1234);			/* stale */
	add_reply(&d, NLM_F_MULTI, 77, 1234);
	add_reply(&d, 0, 77, 0);				/* an event */
	add_reply(&d, NLM_F_MULTI, 77, 4321);			/* not ours */
	add_reply(&d, NLM_F_MULTI | NLM_F_DUMP_INTR, 77, 1234);
	add_reply(&d, NLM_F_MULTI, 77, 1234);
	nl_tx_feed(&tx, d.buf, d.len);
	check(c.calls == 3 && !tx.done && tx.intr,
	      "dump: replies of other requests skipped, NLM_F_DUMP_INTR noted, reading goes on");
	memset(&d, 0, sizeof(d));
	add_reply(&d, NLM_F_MULTI, 77, 1234);
	add_done(&d, 77, 0, NULL);
	add_reply(&d, NLM_F_MULTI, 77, 1234);			/* after the end */
	nl_tx_feed(&tx, d.buf, d.len);
	check(c.calls == 4 && tx.done && nl_tx_result(&tx) == -EINTR,
	      "dump: read to NLMSG_DONE over two datagrams, then -EINTR for the interruption");

	tx_start(&tx, &nl, &c);
	memset(&d, 0, sizeof(d));
	add_reply(&d, NLM_F_MULTI, 77, 1234);
	add_done(&d, 77, -EMSGSIZE, "dump too big");
	nl_tx_feed(&tx, d.buf, d.len);
	check(tx.done && nl_tx_result(&tx) == -EMSGSIZE && nl.kernel_err == -EMSGSIZE &&
	      same_str(nl.extack, "dump too big"),
	      "dump: the error and message of NLMSG_DONE are the result");

	tx_start(&tx, &nl, &c);
	memset(&d, 0, sizeof(d));
	add_ack(&d, 77, -EEXIST, "binding exists", 0);
	nl_tx_feed(&tx, d.buf, d.len);
	check(tx.done && nl_tx_result(&tx) == -EEXIST && c.calls == 0 &&
	      same_str(nl.extack, "binding exists"),
	      "ack: capped error with extack message");

	tx_start(&tx, &nl, &c);
	memset(&d, 0, sizeof(d));
	add_ack(&d, 77, -EINVAL, "bad attribute", 20);
	nl_tx_feed(&tx, d.buf, d.len);
	check(tx.done && nl_tx_result(&tx) == -EINVAL &&
	      same_str(nl.extack, "bad attribute"),
	      "ack: uncapped error (request echoed) with extack message after it");

	tx_start(&tx, &nl, &c);
	memset(&d, 0, sizeof(d));
	add_ack(&d, 77, -EPERM, NULL, 0);
	nl_tx_feed(&tx, d.buf, d.len);
	check(tx.done && nl_tx_result(&tx) == -EPERM && nl.extack[0] == '\0',
	      "ack: error without extack");

	tx_start(&tx, &nl, &c);
	memset(&d, 0, sizeof(d));
	add_reply(&d, 0, 77, 1234);
	add_ack(&d, 77, 0, "note: \x1b[31mred", 0);
	nl_tx_feed(&tx, d.buf, d.len);
	check(tx.done && nl_tx_result(&tx) == 0 && c.calls == 1 &&
	      same_str(nl.extack, "note: ?[31mred"),
	      "ack: success keeps a warning, control characters replaced");

	tx_start(&tx, &nl, &c);
	c.fail_at = 1;
	memset(&d, 0, sizeof(d));
	add_reply(&d, NLM_F_MULTI, 77, 1234);
	add_reply(&d, NLM_F_MULTI, 77, 1234);
	add_reply(&d, NLM_F_MULTI, 77, 1234);
	add_done(&d, 77, 0, NULL);
	nl_tx_feed(&tx, d.buf, d.len);
	check(tx.done && c.calls == 1 && nl_tx_result(&tx) == -EPROTO &&
	      nl.kernel_err == 0,
	      "callback error: no more callbacks, dump still read to its end, local error");

	tx_start(&tx, &nl, &c);
	tx.cb = stop_cb;
	memset(&d, 0, sizeof(d));
	add_reply(&d, NLM_F_MULTI, 77, 1234);
	add_reply(&d, NLM_F_MULTI, 77, 1234);
	add_reply(&d, NLM_F_MULTI, 77, 1234);
	nl_tx_feed(&tx, d.buf, d.len);
	check(tx.done && c.calls == 2 && nl_tx_result(&tx) == -ELOOP,
	      "callback stop: replies given up at once, without waiting for the end");

	tx_start(&tx, &nl, &c);
	memset(&d, 0, sizeof(d));
	add_ack(&d, 77, 0, NULL, 0);
	((struct nlmsghdr *)d.buf)->nlmsg_len = 500;	/* runs past the datagram */
	nl_tx_feed(&tx, d.buf, d.len);
	check(!tx.done && c.calls == 0, "truncated message ignored");

	/*
	 * Found by tests/fuzz (fuzz_module_msg): libmnl 1.0.4's
	 * mnl_nlmsg_ok() takes a length of 2 GiB or more for a negative int
	 * and lets it through; the walk then left the datagram.
	 */
	tx_start(&tx, &nl, &c);
	memset(&d, 0, sizeof(d));
	add_reply(&d, NLM_F_MULTI, 77, 1234);
	((struct nlmsghdr *)d.buf)->nlmsg_len = 0xffffff2a;
	nl_tx_feed(&tx, d.buf, d.len);
	check(!tx.done && c.calls == 0 && !nl_msg_ok((void *)d.buf, (int)d.len),
	      "message claiming 4 GiB (nlmsg_len 0xffffff2a) ignored, not walked past");

	tx_start(&tx, &nl, &c);
	memset(&d, 0, sizeof(d));
	add_ack(&d, 77, 0, NULL, 0);
	((struct nlmsghdr *)d.buf)->nlmsg_len = NLMSG_HDRLEN + 2;
	nl_tx_feed(&tx, d.buf, NLMSG_HDRLEN + 2);
	check(tx.done && nl_tx_result(&tx) == -EBADMSG, "ack too short for nlmsgerr refused");
}

static void test_request_padding(void)
{
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *a;
	size_t i;
	bool zero = true;

	memset(buf, 0xff, sizeof(buf));
	nlh = modclient_msg(&mc, buf, L2TP_IPSEC_CMD_BINDING_ADD, 0);
	a = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_u8(nlh, L2TP_IPSEC_A_BINDING_L2TP_VERSION, 2);
	for (i = MNL_ATTR_HDRLEN + 1; i < MNL_ALIGN(MNL_ATTR_HDRLEN + 1); i++)
		zero = zero && ((unsigned char *)a)[i] == 0;
	check(zero && ((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->reserved == 0,
	      "requests carry no stale bytes (genl reserved field, attribute padding)");
}

int main(void)
{
	test_request_padding();
	test_binding_encoding();
	test_binding_replies();
	test_config_encoding();
	test_violation();
	test_reply_loop();
	return harness_exit();
}
