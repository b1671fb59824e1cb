// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's L2TP generic netlink family without a kernel: create
 * requests as the agent encodes them, and tunnel and session messages
 * (dump parts, notifications) laid out as Linux 6.1's l2tp_netlink.c sends
 * them, decoded into the agent's structs.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "harness.h"
#include "kernel/l2tp.h"

#define FAMILY 0x1b

static struct l2tp_client lc = { .family = FAMILY };

static const struct nlattr *find(const struct nlmsghdr *nlh, uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

static bool types_are(const struct nlmsghdr *nlh, const uint16_t *want, int n)
{
	const struct nlattr *a;
	uint16_t got[64];
	int i, ngot = 0;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (ngot < 64)
			got[ngot++] = mnl_attr_get_type(a);
	if (ngot == n && !memcmp(got, want, n * sizeof(*want)))
		return true;
	fprintf(stderr, "  types:");
	for (i = 0; i < ngot; i++)
		fprintf(stderr, " %u", got[i]);
	fprintf(stderr, "\n");
	return false;
}

static bool is_u32(const struct nlmsghdr *nlh, uint16_t type, uint32_t v)
{
	const struct nlattr *a = find(nlh, type);

	return a && mnl_attr_get_payload_len(a) == 4 && mnl_attr_get_u32(a) == v;
}

static bool is_u16(const struct nlmsghdr *nlh, uint16_t type, uint16_t v)
{
	const struct nlattr *a = find(nlh, type);

	return a && mnl_attr_get_payload_len(a) == 2 && mnl_attr_get_u16(a) == v;
}

static bool is_u8(const struct nlmsghdr *nlh, uint16_t type, uint8_t v)
{
	const struct nlattr *a = find(nlh, type);

	return a && mnl_attr_get_payload_len(a) == 1 && mnl_attr_get_u8(a) == v;
}

static bool is_bytes(const struct nlmsghdr *nlh, uint16_t type,
		     const void *v, uint16_t len)
{
	const struct nlattr *a = find(nlh, type);

	return a && mnl_attr_get_payload_len(a) == len &&
	       !memcmp(mnl_attr_get_payload(a), v, len);
}

static void set_ep(struct endpoint *ep, int family, const char *a, uint16_t port)
{
	memset(ep, 0, sizeof(*ep));
	ep->family = family;
	inet_pton(family, a, &ep->addr);
	ep->port = port;
}

static bool same_ep(const struct endpoint *a, int family, const char *addr,
		    uint16_t port)
{
	struct endpoint b;

	set_ep(&b, family, addr, port);
	if (a->family != family || a->port != port)
		return false;
	return !memcmp(&a->addr, &b.addr,
		       family == AF_INET ? sizeof(a->addr.v4) : sizeof(a->addr.v6));
}

static const struct genlmsghdr *genl_of(const struct nlmsghdr *nlh)
{
	return mnl_nlmsg_get_payload(nlh);
}

/* ------------------------------------------------------------------------ */

static void test_tunnel_request(void)
{
	static const uint16_t v4[] = {
		L2TP_ATTR_CONN_ID, L2TP_ATTR_PEER_CONN_ID, L2TP_ATTR_PROTO_VERSION,
		L2TP_ATTR_ENCAP_TYPE, L2TP_ATTR_IP_SADDR, L2TP_ATTR_IP_DADDR,
		L2TP_ATTR_UDP_SPORT, L2TP_ATTR_UDP_DPORT,
	};
	static const uint16_t v6[] = {
		L2TP_ATTR_CONN_ID, L2TP_ATTR_PEER_CONN_ID, L2TP_ATTR_PROTO_VERSION,
		L2TP_ATTR_ENCAP_TYPE, L2TP_ATTR_IP6_SADDR, L2TP_ATTR_IP6_DADDR,
		L2TP_ATTR_UDP_SPORT, L2TP_ATTR_UDP_DPORT,
	};
	static const uint8_t saddr[] = { 192, 0, 2, 1 }, daddr[] = { 198, 51, 100, 2 };
	char buf[NL_REQ_SIZE];
	struct l2tp_tunnel t, back;
	struct nlmsghdr *nlh;

	memset(&t, 0, sizeof(t));
	t.tunnel_id = 0x01020304;
	t.peer_tunnel_id = 4000000000u;
	t.version = 3;
	t.encap = L2TP_ENCAPTYPE_UDP;
	set_ep(&t.local, AF_INET, "192.0.2.1", 1701);
	set_ep(&t.peer, AF_INET, "198.51.100.2", 1702);

	nlh = l2tp_msg(&lc, buf, L2TP_CMD_TUNNEL_CREATE, 0);
	l2tp_put_tunnel(nlh, &t);
	check(nlh->nlmsg_type == FAMILY && genl_of(nlh)->cmd == L2TP_CMD_TUNNEL_CREATE &&
	      genl_of(nlh)->version == L2TP_GENL_VERSION &&
	      (nlh->nlmsg_flags & NLM_F_REQUEST),
	      "tunnel create: family, cmd TUNNEL_CREATE, version 1");
	check(types_are(nlh, v4, ARRAY_SIZE(v4)),
	      "tunnel create IPv4: IDs, version, encap, addresses, ports and nothing else");
	check(is_u32(nlh, L2TP_ATTR_CONN_ID, 0x01020304) &&
	      is_u32(nlh, L2TP_ATTR_PEER_CONN_ID, 4000000000u),
	      "tunnel create: tunnel IDs are u32 in host order");
	check(is_u8(nlh, L2TP_ATTR_PROTO_VERSION, 3) &&
	      is_u16(nlh, L2TP_ATTR_ENCAP_TYPE, L2TP_ENCAPTYPE_UDP),
	      "tunnel create: PROTO_VERSION is a u8 3, ENCAP_TYPE a u16 UDP");
	check(is_bytes(nlh, L2TP_ATTR_IP_SADDR, saddr, 4) &&
	      is_bytes(nlh, L2TP_ATTR_IP_DADDR, daddr, 4),
	      "tunnel create: IPv4 addresses are 4 bytes in network order");
	check(is_u16(nlh, L2TP_ATTR_UDP_SPORT, 1701) &&
	      is_u16(nlh, L2TP_ATTR_UDP_DPORT, 1702),
	      "tunnel create: UDP ports are u16 in host order");
	check(!l2tp_parse_tunnel(nlh, &back) && back.tunnel_id == t.tunnel_id &&
	      back.peer_tunnel_id == t.peer_tunnel_id && back.version == 3 &&
	      back.encap == L2TP_ENCAPTYPE_UDP &&
	      same_ep(&back.local, AF_INET, "192.0.2.1", 1701) &&
	      same_ep(&back.peer, AF_INET, "198.51.100.2", 1702),
	      "tunnel create IPv4 request decodes back unchanged");

	set_ep(&t.local, AF_INET6, "2001:db8::1", 1701);
	set_ep(&t.peer, AF_INET6, "2001:db8::2", 1701);
	nlh = l2tp_msg(&lc, buf, L2TP_CMD_TUNNEL_CREATE, 0);
	l2tp_put_tunnel(nlh, &t);
	check(types_are(nlh, v6, ARRAY_SIZE(v6)) &&
	      is_bytes(nlh, L2TP_ATTR_IP6_SADDR, &t.local.addr.v6, 16) &&
	      is_bytes(nlh, L2TP_ATTR_IP6_DADDR, &t.peer.addr.v6, 16),
	      "tunnel create IPv6: IP6_SADDR/IP6_DADDR of 16 bytes, no IPv4 attributes");
	check(!l2tp_parse_tunnel(nlh, &back) &&
	      same_ep(&back.local, AF_INET6, "2001:db8::1", 1701) &&
	      same_ep(&back.peer, AF_INET6, "2001:db8::2", 1701),
	      "tunnel create IPv6 request decodes back unchanged");
}

static void test_session_request(void)
{
	static const uint16_t full[] = {
		L2TP_ATTR_CONN_ID, L2TP_ATTR_SESSION_ID, L2TP_ATTR_PEER_SESSION_ID,
		L2TP_ATTR_PW_TYPE, L2TP_ATTR_L2SPEC_TYPE, L2TP_ATTR_IFNAME,
	};
	static const uint16_t bare[] = {
		L2TP_ATTR_CONN_ID, L2TP_ATTR_SESSION_ID, L2TP_ATTR_PEER_SESSION_ID,
		L2TP_ATTR_PW_TYPE,
	};
	char buf[NL_REQ_SIZE];
	struct l2tp_session s, back;
	struct nlmsghdr *nlh;

	memset(&s, 0, sizeof(s));
	s.tunnel_id = 4;
	s.session_id = 40;
	s.peer_session_id = 41;
	s.pw_type = L2TP_PWTYPE_ETH;
	s.l2spec_set = true;
	s.l2spec_type = L2TP_L2SPECTYPE_NONE;
	strcpy(s.ifname, "l2tpeth4");

	nlh = l2tp_msg(&lc, buf, L2TP_CMD_SESSION_CREATE, 0);
	l2tp_put_session(nlh, &s);
	check(genl_of(nlh)->cmd == L2TP_CMD_SESSION_CREATE &&
	      types_are(nlh, full, ARRAY_SIZE(full)),
	      "session create: tunnel and session IDs, pw type, l2spec type, ifname");
	check(is_u32(nlh, L2TP_ATTR_CONN_ID, 4) && is_u32(nlh, L2TP_ATTR_SESSION_ID, 40) &&
	      is_u32(nlh, L2TP_ATTR_PEER_SESSION_ID, 41) &&
	      is_u16(nlh, L2TP_ATTR_PW_TYPE, L2TP_PWTYPE_ETH) &&
	      is_u8(nlh, L2TP_ATTR_L2SPEC_TYPE, L2TP_L2SPECTYPE_NONE),
	      "session create: IDs u32, PW_TYPE u16 ETH (5), L2SPEC_TYPE u8");
	check(is_bytes(nlh, L2TP_ATTR_IFNAME, "l2tpeth4", 9),
	      "session create: IFNAME is NUL-terminated");
	check(!l2tp_parse_session(nlh, &back) && back.tunnel_id == 4 &&
	      back.session_id == 40 && back.peer_session_id == 41 &&
	      back.pw_type == L2TP_PWTYPE_ETH && same_str(back.ifname, "l2tpeth4"),
	      "session create request decodes back unchanged");

	s.l2spec_set = false;
	s.ifname[0] = '\0';
	nlh = l2tp_msg(&lc, buf, L2TP_CMD_SESSION_CREATE, 0);
	l2tp_put_session(nlh, &s);
	check(types_are(nlh, bare, ARRAY_SIZE(bare)),
	      "session create without ifname and l2spec-type leaves both to the kernel");
}

static void test_delete_requests(void)
{
	static const uint16_t sess[] = { L2TP_ATTR_CONN_ID, L2TP_ATTR_SESSION_ID };
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;

	/* What l2tp_tunnel_delete() and l2tp_session_delete() send. */
	nlh = l2tp_msg(&lc, buf, L2TP_CMD_TUNNEL_DELETE, 0);
	mnl_attr_put_u32(nlh, L2TP_ATTR_CONN_ID, 7);
	check(genl_of(nlh)->cmd == L2TP_CMD_TUNNEL_DELETE &&
	      is_u32(nlh, L2TP_ATTR_CONN_ID, 7), "tunnel delete: CONN_ID");
	nlh = l2tp_msg(&lc, buf, L2TP_CMD_SESSION_GET, NLM_F_DUMP);
	check((nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP &&
	      genl_of(nlh)->cmd == L2TP_CMD_SESSION_GET &&
	      mnl_nlmsg_get_payload_len(nlh) == sizeof(struct genlmsghdr),
	      "session dump request: SESSION_GET with NLM_F_DUMP and no attributes");
	nlh = l2tp_msg(&lc, buf, L2TP_CMD_SESSION_DELETE, 0);
	mnl_attr_put_u32(nlh, L2TP_ATTR_CONN_ID, 7);
	mnl_attr_put_u32(nlh, L2TP_ATTR_SESSION_ID, 70);
	check(types_are(nlh, sess, ARRAY_SIZE(sess)), "session delete: CONN_ID, SESSION_ID");
}

/* ------------------------------------------------------------------------ */
/* Messages as l2tp_nl_tunnel_send() / l2tp_nl_session_send() build them. */

static struct nlmsghdr *kmsg(char *buf, uint8_t cmd)
{
	struct nlmsghdr *nlh = nl_genl_start(buf, FAMILY, NLM_F_MULTI, cmd,
					     L2TP_GENL_VERSION);

	nlh->nlmsg_seq = 77;
	nlh->nlmsg_pid = 1234;
	return nlh;
}

static void put_stats(struct nlmsghdr *nlh, uint64_t base)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, L2TP_ATTR_STATS);

	/* nla_put_u64_64bit() pads with L2TP_ATTR_STATS_PAD where needed. */
	mnl_attr_put(nlh, L2TP_ATTR_STATS_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, L2TP_ATTR_TX_PACKETS, base + 1);
	mnl_attr_put_u64(nlh, L2TP_ATTR_TX_BYTES, base + 2);
	mnl_attr_put_u64(nlh, L2TP_ATTR_TX_ERRORS, base + 3);
	mnl_attr_put_u64(nlh, L2TP_ATTR_RX_PACKETS, base + 4);
	mnl_attr_put_u64(nlh, L2TP_ATTR_RX_BYTES, base + 5);
	mnl_attr_put_u64(nlh, L2TP_ATTR_RX_SEQ_DISCARDS, base + 6);
	mnl_attr_put_u64(nlh, L2TP_ATTR_RX_COOKIE_DISCARDS, base + 10);
	mnl_attr_put_u64(nlh, L2TP_ATTR_RX_OOS_PACKETS, base + 7);
	mnl_attr_put_u64(nlh, L2TP_ATTR_RX_ERRORS, base + 8);
	mnl_attr_put_u64(nlh, L2TP_ATTR_RX_INVALID, base + 11);
	mnl_attr_put_u64(nlh, 30, 99);		/* a newer kernel's counter */
	mnl_attr_nest_end(nlh, nest);
}

static void put_tunnel_head(struct nlmsghdr *nlh, uint32_t id)
{
	mnl_attr_put_u8(nlh, L2TP_ATTR_PROTO_VERSION, 3);
	mnl_attr_put_u32(nlh, L2TP_ATTR_CONN_ID, id);
	mnl_attr_put_u32(nlh, L2TP_ATTR_PEER_CONN_ID, id + 100);
	mnl_attr_put_u32(nlh, L2TP_ATTR_DEBUG, 0);
	mnl_attr_put_u16(nlh, L2TP_ATTR_ENCAP_TYPE, L2TP_ENCAPTYPE_UDP);
	put_stats(nlh, 1000);
}

static struct nlmsghdr *tunnel_v4(char *buf, uint8_t cmd)
{
	struct nlmsghdr *nlh = kmsg(buf, cmd);

	put_tunnel_head(nlh, 4);
	mnl_attr_put_u8(nlh, L2TP_ATTR_UDP_CSUM, 0);
	mnl_attr_put_u16(nlh, L2TP_ATTR_UDP_SPORT, 1701);
	mnl_attr_put_u16(nlh, L2TP_ATTR_UDP_DPORT, 1702);
	mnl_attr_put_u32(nlh, L2TP_ATTR_IP_SADDR, htonl(0x0a000001));
	mnl_attr_put_u32(nlh, L2TP_ATTR_IP_DADDR, htonl(0x0a000002));
	return nlh;
}

static struct nlmsghdr *session_msg(char *buf, uint8_t cmd)
{
	struct nlmsghdr *nlh = kmsg(buf, cmd);

	mnl_attr_put_u32(nlh, L2TP_ATTR_CONN_ID, 4);
	mnl_attr_put_u32(nlh, L2TP_ATTR_SESSION_ID, 40);
	mnl_attr_put_u32(nlh, L2TP_ATTR_PEER_CONN_ID, 104);
	mnl_attr_put_u32(nlh, L2TP_ATTR_PEER_SESSION_ID, 41);
	mnl_attr_put_u32(nlh, L2TP_ATTR_DEBUG, 0);
	mnl_attr_put_u16(nlh, L2TP_ATTR_PW_TYPE, L2TP_PWTYPE_ETH);
	mnl_attr_put_strz(nlh, L2TP_ATTR_IFNAME, "l2tpeth4");
	mnl_attr_put(nlh, L2TP_ATTR_COOKIE, 4, "\x01\x02\x03\x04");
	mnl_attr_put_u8(nlh, L2TP_ATTR_RECV_SEQ, 0);
	mnl_attr_put_u8(nlh, L2TP_ATTR_SEND_SEQ, 0);
	mnl_attr_put_u8(nlh, L2TP_ATTR_LNS_MODE, 0);
	mnl_attr_put_u64(nlh, L2TP_ATTR_RECV_TIMEOUT, 500);
	put_stats(nlh, 2000);
	return nlh;
}

static bool stats_ok(const struct l2tp_stats *st, uint64_t base)
{
	return st->present == (1u << L2TP_STAT_COUNT) - 1 &&
	       st->val[L2TP_STAT_TX_PACKETS] == base + 1 &&
	       st->val[L2TP_STAT_TX_BYTES] == base + 2 &&
	       st->val[L2TP_STAT_RX_PACKETS] == base + 4 &&
	       st->val[L2TP_STAT_RX_OOS_PACKETS] == base + 7 &&
	       st->val[L2TP_STAT_RX_ERRORS] == base + 8 &&
	       st->val[L2TP_STAT_RX_COOKIE_DISCARDS] == base + 10 &&
	       st->val[L2TP_STAT_RX_INVALID] == base + 11;
}

static void test_tunnel_replies(void)
{
	char buf[NL_REQ_SIZE];
	struct l2tp_tunnel t;
	struct nlmsghdr *nlh;

	nlh = tunnel_v4(buf, L2TP_CMD_TUNNEL_GET);
	check(!l2tp_parse_tunnel(nlh, &t) && t.tunnel_id == 4 &&
	      t.peer_tunnel_id == 104 && t.version == 3 &&
	      t.encap == L2TP_ENCAPTYPE_UDP && !t.udp_csum &&
	      same_ep(&t.local, AF_INET, "10.0.0.1", 1701) &&
	      same_ep(&t.peer, AF_INET, "10.0.0.2", 1702),
	      "tunnel dump part, IPv4 UDP, as 6.1 sends it: IDs, version, encap, addresses, ports");
	check(stats_ok(&t.stats, 1000),
	      "tunnel dump part: every counter, padding and a newer kernel's counter skipped");

	nlh = kmsg(buf, L2TP_CMD_TUNNEL_GET);
	put_tunnel_head(nlh, 6);
	mnl_attr_put(nlh, L2TP_ATTR_UDP_ZERO_CSUM6_RX, 0, NULL);
	mnl_attr_put_u16(nlh, L2TP_ATTR_UDP_SPORT, 1701);
	mnl_attr_put_u16(nlh, L2TP_ATTR_UDP_DPORT, 1701);
	mnl_attr_put(nlh, L2TP_ATTR_IP6_SADDR, 16,
		     "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01");
	mnl_attr_put(nlh, L2TP_ATTR_IP6_DADDR, 16,
		     "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x02");
	check(!l2tp_parse_tunnel(nlh, &t) && t.tunnel_id == 6 &&
	      !t.udp6_zero_csum_tx && t.udp6_zero_csum_rx &&
	      same_ep(&t.local, AF_INET6, "2001:db8::1", 1701) &&
	      same_ep(&t.peer, AF_INET6, "2001:db8::2", 1701),
	      "tunnel dump part, IPv6 UDP: addresses, ports, zero-checksum flags");

	/* A tunnel whose socket is gone: no address attributes at all. */
	nlh = kmsg(buf, L2TP_CMD_TUNNEL_GET);
	put_tunnel_head(nlh, 9);
	check(!l2tp_parse_tunnel(nlh, &t) && t.tunnel_id == 9 &&
	      t.local.family == AF_UNSPEC && t.peer.family == AF_UNSPEC,
	      "tunnel dump part without addresses: family AF_UNSPEC");

	/* L2TPv3 over IP: addresses, no ports. */
	nlh = kmsg(buf, L2TP_CMD_TUNNEL_GET);
	mnl_attr_put_u32(nlh, L2TP_ATTR_CONN_ID, 10);
	mnl_attr_put_u16(nlh, L2TP_ATTR_ENCAP_TYPE, L2TP_ENCAPTYPE_IP);
	mnl_attr_put_u32(nlh, L2TP_ATTR_IP_SADDR, htonl(0x0a000001));
	mnl_attr_put_u32(nlh, L2TP_ATTR_IP_DADDR, htonl(0x0a000002));
	check(!l2tp_parse_tunnel(nlh, &t) && t.encap == L2TP_ENCAPTYPE_IP &&
	      same_ep(&t.local, AF_INET, "10.0.0.1", 0) &&
	      same_ep(&t.peer, AF_INET, "10.0.0.2", 0) && !t.stats.present,
	      "tunnel dump part, L2TPv3 over IP: addresses without ports");
}

static void test_session_replies(void)
{
	char buf[NL_REQ_SIZE];
	struct l2tp_session s;
	struct nlmsghdr *nlh;

	nlh = session_msg(buf, L2TP_CMD_SESSION_GET);
	check(!l2tp_parse_session(nlh, &s) && s.tunnel_id == 4 && s.session_id == 40 &&
	      s.peer_tunnel_id == 104 && s.peer_session_id == 41 &&
	      s.pw_type == L2TP_PWTYPE_ETH && same_str(s.ifname, "l2tpeth4") &&
	      s.cookie_len == 4 && !memcmp(s.cookie, "\x01\x02\x03\x04", 4) &&
	      s.peer_cookie_len == 0,
	      "session dump part as 6.1 sends it: IDs, pw type, ifname, cookie");
	check(stats_ok(&s.stats, 2000), "session dump part: every counter");
}

/* What the parser must refuse. */
typedef void (*fill_fn)(struct nlmsghdr *nlh);

static int parse_tunnel_with(fill_fn fill)
{
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh = kmsg(buf, L2TP_CMD_TUNNEL_GET);
	struct l2tp_tunnel t;

	fill(nlh);
	return l2tp_parse_tunnel(nlh, &t);
}

static int parse_session_with(fill_fn fill)
{
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh = kmsg(buf, L2TP_CMD_SESSION_GET);
	struct l2tp_session s;

	mnl_attr_put_u32(nlh, L2TP_ATTR_CONN_ID, 4);
	fill(nlh);
	return l2tp_parse_session(nlh, &s);
}

static void no_conn_id(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, L2TP_ATTR_PEER_CONN_ID, 4);
}

static void saddr_only(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, L2TP_ATTR_CONN_ID, 4);
	mnl_attr_put_u32(nlh, L2TP_ATTR_IP_SADDR, htonl(0x0a000001));
}

static void v4_and_v6(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, L2TP_ATTR_CONN_ID, 4);
	mnl_attr_put_u32(nlh, L2TP_ATTR_IP_SADDR, htonl(0x0a000001));
	mnl_attr_put_u32(nlh, L2TP_ATTR_IP_DADDR, htonl(0x0a000002));
	mnl_attr_put(nlh, L2TP_ATTR_IP6_SADDR, 16, "0123456789abcdef");
	mnl_attr_put(nlh, L2TP_ATTR_IP6_DADDR, 16, "0123456789abcdef");
}

static void short_v6(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, L2TP_ATTR_CONN_ID, 4);
	mnl_attr_put(nlh, L2TP_ATTR_IP6_SADDR, 15, "0123456789abcde");
	mnl_attr_put(nlh, L2TP_ATTR_IP6_DADDR, 16, "0123456789abcdef");
}

static void short_conn_id(struct nlmsghdr *nlh)
{
	mnl_attr_put_u16(nlh, L2TP_ATTR_CONN_ID, 4);
}

static void u32_counter(struct nlmsghdr *nlh)
{
	struct nlattr *nest;

	mnl_attr_put_u32(nlh, L2TP_ATTR_CONN_ID, 4);
	nest = mnl_attr_nest_start(nlh, L2TP_ATTR_STATS);
	mnl_attr_put_u32(nlh, L2TP_ATTR_RX_PACKETS, 1);
	mnl_attr_nest_end(nlh, nest);
}

static void no_session_id(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, L2TP_ATTR_PEER_SESSION_ID, 4);
}

static void ifname_unterminated(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, L2TP_ATTR_SESSION_ID, 40);
	mnl_attr_put(nlh, L2TP_ATTR_IFNAME, 4, "eth0");
}

static void ifname_too_long(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, L2TP_ATTR_SESSION_ID, 40);
	mnl_attr_put_strz(nlh, L2TP_ATTR_IFNAME, "0123456789abcdef");
}

static void long_cookie(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, L2TP_ATTR_SESSION_ID, 40);
	mnl_attr_put(nlh, L2TP_ATTR_PEER_COOKIE, 9, "012345678");
}

static void test_refusals(void)
{
	check(parse_tunnel_with(no_conn_id) == -EPROTO,
	      "tunnel message without CONN_ID refused");
	check(parse_tunnel_with(saddr_only) == -EPROTO,
	      "tunnel message with a local address but no peer address refused");
	check(parse_tunnel_with(v4_and_v6) == -EPROTO,
	      "tunnel message with IPv4 and IPv6 addresses refused");
	check(parse_tunnel_with(short_v6) == -EPROTO,
	      "tunnel message with a 15-byte IPv6 address refused");
	check(parse_tunnel_with(short_conn_id) == -EPROTO,
	      "tunnel message with a 2-byte CONN_ID refused");
	check(parse_tunnel_with(u32_counter) == -EPROTO,
	      "tunnel message with a 4-byte counter refused");
	check(parse_session_with(no_session_id) == -EPROTO,
	      "session message without SESSION_ID refused");
	check(parse_session_with(ifname_unterminated) == -EPROTO,
	      "session message with an IFNAME without NUL refused");
	check(parse_session_with(ifname_too_long) == -EPROTO,
	      "session message with a 16-character IFNAME refused");
	check(parse_session_with(long_cookie) == -EPROTO,
	      "session message with a 9-byte cookie refused");
}

/* ------------------------------------------------------------------------ */

static void test_events(void)
{
	char buf[NL_REQ_SIZE];
	struct l2tp_event ev;
	struct nlmsghdr *nlh;

	nlh = tunnel_v4(buf, L2TP_CMD_TUNNEL_CREATE);
	nlh->nlmsg_flags = NLM_F_ACK;	/* what l2tp_tunnel_notify() sets */
	check(l2tp_event_parse(&lc, nlh, &ev) == 1 &&
	      ev.cmd == L2TP_CMD_TUNNEL_CREATE && !l2tp_event_is_session(&ev) &&
	      ev.tunnel.tunnel_id == 4 &&
	      same_ep(&ev.tunnel.local, AF_INET, "10.0.0.1", 1701) &&
	      same_ep(&ev.tunnel.peer, AF_INET, "10.0.0.2", 1702),
	      "event: TUNNEL_CREATE notification decodes into the tunnel");

	nlh = tunnel_v4(buf, L2TP_CMD_TUNNEL_DELETE);
	check(l2tp_event_parse(&lc, nlh, &ev) == 1 &&
	      ev.cmd == L2TP_CMD_TUNNEL_DELETE && ev.tunnel.tunnel_id == 4 &&
	      ev.tunnel.local.port == 1701,
	      "event: TUNNEL_DELETE still carries the tunnel's addresses");

	nlh = session_msg(buf, L2TP_CMD_SESSION_DELETE);
	check(l2tp_event_parse(&lc, nlh, &ev) == 1 &&
	      ev.cmd == L2TP_CMD_SESSION_DELETE && l2tp_event_is_session(&ev) &&
	      ev.session.tunnel_id == 4 && ev.session.session_id == 40 &&
	      same_str(ev.session.ifname, "l2tpeth4"),
	      "event: SESSION_DELETE notification decodes into the session");

	nlh = session_msg(buf, L2TP_CMD_SESSION_CREATE);
	nlh->nlmsg_type = FAMILY + 1;
	check(l2tp_event_parse(&lc, nlh, &ev) == 0,
	      "event: a message of another family is not one");

	nlh = kmsg(buf, L2TP_CMD_NOOP);
	check(l2tp_event_parse(&lc, nlh, &ev) == 0, "event: NOOP is not one");

	nlh = kmsg(buf, L2TP_CMD_SESSION_MODIFY);
	no_session_id(nlh);
	check(l2tp_event_parse(&lc, nlh, &ev) == -EPROTO,
	      "event: a malformed SESSION_MODIFY is -EPROTO");

	nlh = kmsg(buf, L2TP_CMD_TUNNEL_CREATE);
	nlh->nlmsg_len = NLMSG_HDRLEN + 2;	/* no room for the genl header */
	check(l2tp_event_parse(&lc, nlh, &ev) == 0,
	      "event: a message too short for a genl header is not one");
}

static void test_names(void)
{
	char num[12];

	check(same_str(l2tp_encap_name(L2TP_ENCAPTYPE_UDP, num, sizeof(num)), "udp") &&
	      same_str(l2tp_encap_name(L2TP_ENCAPTYPE_IP, num, sizeof(num)), "ip") &&
	      same_str(l2tp_encap_name(7, num, sizeof(num)), "7"),
	      "encapsulation names: udp, ip, a number for the unknown");
	check(same_str(l2tp_pw_name(L2TP_PWTYPE_ETH, num, sizeof(num)), "eth") &&
	      same_str(l2tp_pw_name(L2TP_PWTYPE_PPP, num, sizeof(num)), "ppp") &&
	      same_str(l2tp_pw_name(0x99, num, sizeof(num)), "153"),
	      "pseudowire names: eth, ppp, a number for the unknown");
}

int main(void)
{
	test_tunnel_request();
	test_session_request();
	test_delete_requests();
	test_tunnel_replies();
	test_session_replies();
	test_refusals();
	test_events();
	test_names();
	return harness_exit();
}
