/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_FILTERS_H
#define AGENT_FILTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "lib/endpoint.h"

/*
 * The IPsec filter sets of RFC 5619 section 3.5.4 and Appendix A and of
 * RFC 3193 section 4.2 and Appendix A, as pure functions: no I/O, no kernel
 * types. xfrm.c turns a filter into an xfrm policy.
 *
 * Words are the RFCs': the initiator (RFC 5619's softwire initiator, SI, a
 * LAC) opens the L2TP tunnel, the responder (softwire concentrator, SC, an
 * LNS) answers. "Any-Addr" and "Any-Port" (RFC 3193 section 4.2.1) are
 * explicit flags, never a zero address or port.
 */

#define FILTER_PORT_L2TP	1701	/* RFC 2661 */
#define FILTER_PORT_IKE		500	/* RFC 7296 section 2 */
#define FILTER_PORT_NATT	4500	/* RFC 3947, RFC 3948 */

/* Room for any set below; the largest has 10 lines. */
#define FILTER_SET_MAX		16

/*
 * Priorities (xfrm: lower value wins). Every filter of ours carries one of
 * these, values no IKE daemon computes; by them and by the shape of the
 * policy, "spd show" and "spd remove" tell ours from others' from kernel
 * state alone (see xfrm.c):
 *
 * FILTER_PRIO_BYPASS   0x00004c32 (19506, "L2"): every BYPASS. Ahead of
 *                      the policies IKE daemons compute (strongSwan 5.9:
 *                      68541 to about 600000), so that IKE and ESP pass
 *                      even under a daemon's wider PROTECT; behind
 *                      hand-made policies, which default to 0.
 * FILTER_PRIO_BAND     0x4c320000..0x4c32ffff: every PROTECT and DISCARD,
 *                      below everything an IKE daemon installs, so that
 *                      IKE's own per-SA filters (RFC 3193 section 4.2.2:
 *                      "IKE should inject a specific filter set") win,
 *                      and ours catch what nothing else claims. Within the
 *                      band, more specific first: the offset is
 *                      16 * (number of Any-Addr) + 4 * (number of Any-Port)
 *                      + (1 if any protocol), at most 41, so a selector
 *                      has one offset whichever set it comes from, and
 *                      each set is in the order the RFC lists it ("from
 *                      highest priority to lowest priority", RFC 3193
 *                      4.2.1). Two sub-bands, by scope:
 * FILTER_PRIO_TUNNEL   0x4c320040 + offset (0x4c320040..0x4c32007f): the
 *                      per-tunnel filters the agent and "tunnel add"
 *                      install for one tunnel, their template pinned to
 *                      its SA's reqid. Ahead of the base set, so that a
 *                      tunnel's own filter, not the base set's reqid-less
 *                      one, judges its packets.
 * FILTER_PRIO_BASE     0x4c320080 + offset: the base set ("spd install"),
 *                      shared by every tunnel. Any other value of the band
 *                      (0x4c320000..0x4c32003f: the base set before the
 *                      sub-bands existed) is base scope too.
 * filter_priority() gives the base value; spd_tunnel_filter()
 * (xfrm.h) moves a line to the tunnel sub-band.
 */
#define FILTER_PRIO_BYPASS	0x00004c32u
#define FILTER_PRIO_BAND	0x4c320000u
#define FILTER_PRIO_BAND_MASK	0xffff0000u
#define FILTER_PRIO_TUNNEL	0x4c320040u
#define FILTER_PRIO_TUNNEL_MASK	0xffffffc0u
#define FILTER_PRIO_BASE	0x4c320080u

enum filter_role {
	FILTER_INITIATOR,	/* SI, LAC */
	FILTER_RESPONDER,	/* SC, LNS */
};

/* The values of XFRM_POLICY_IN/OUT/FWD; xfrm.c asserts it. */
enum filter_dir {
	FILTER_IN = 0,
	FILTER_OUT = 1,
	FILTER_FWD = 2,
};

enum filter_action {
	FILTER_BYPASS,		/* let it pass in the clear */
	FILTER_PROTECT,		/* require the SA below */
	FILTER_DISCARD,		/* drop */
};

/* @any: Any-Addr (prefix length 0); else the host @ip (/32 or /128). */
struct filter_addr {
	bool any;
	union inet_addr ip;
};

/* @any: Any-Port; else @port (host order, 1..65535). */
struct filter_port {
	bool any;
	uint16_t port;
};

/**
 * struct filter - one line of a filter set
 * @dir: direction of the packets it applies to
 * @action: what happens to them
 * @family: AF_INET or AF_INET6
 * @proto: IPPROTO_UDP or IPPROTO_ESP (ports only with UDP)
 * @src: "From" of RFC 3193
 * @dst: "to"
 * @sport: "src" port
 * @dport: "dst" port
 * @priority: see FILTER_PRIO_*
 * @sa_proto: PROTECT: the SA's protocol, IPPROTO_ESP
 * @sa_transport: PROTECT: the SA is in transport mode (always here)
 * @reqid: PROTECT: reqid of the SA. 0 means "any SA that fits" only for
 *	inbound checks (xfrm_state_ok()); outbound, the kernel looks for an
 *	SA with exactly this reqid (xfrm_state_find()), so an outbound line
 *	with reqid 0 uses SAs made with reqid 0, and otherwise fails closed
 *	(an acquire, the packet dropped) unless an IKE daemon's own policy for
 *	the flow, carrying its SA's reqid, outranks it (it does: see the
 *	priorities above)
 */
struct filter {
	enum filter_dir dir;
	enum filter_action action;
	int family;
	uint8_t proto;
	struct filter_addr src;
	struct filter_addr dst;
	struct filter_port sport;
	struct filter_port dport;
	uint32_t priority;
	uint8_t sa_proto;
	bool sa_transport;
	uint32_t reqid;
};

/**
 * struct filter_base - what the static set of one host depends on
 * @role: initiator (SI) or responder (SC)
 * @family: AF_INET or AF_INET6
 * @local: our address (IPv4-SI for the initiator, IPv4-SC for the responder)
 * @remote: the peer's address; Any-Addr ("*") only for the responder
 * @nat_t: IKE uses NAT traversal: bypass UDP 4500 as well as 500
 */
struct filter_base {
	enum filter_role role;
	int family;
	union inet_addr local;
	struct filter_addr remote;
	bool nat_t;
};

/*
 * The static set of @b into @out, in priority order; returns the number of
 * lines, -EINVAL for a @b the RFCs have no set for, -ENOSPC if @max is too
 * small. The RFC text each line comes from is quoted in filters.c.
 */
int filter_base_set(const struct filter_base *b, struct filter *out, size_t max);

/**
 * struct filter_tunnel - the terms of RFC 3193 section 4.2.1 for one tunnel
 * @role: whose filters: the initiator's or the responder's
 * @family: AF_INET or AF_INET6
 * @i_addr: I-IPAddr; Any-Addr only for the responder before IKE phase 2
 *	(it does not know its peer yet: its filters are Inbound-1 alone)
 * @i_port: I-Port (ignored while @i_addr is Any-Addr)
 * @r_addr1: R-IPAddr1, the address the responder listens on
 * @r_addr2: R-IPAddr2, the responder's new address after StopCCN "Try
 *	Another" (section 4.2.3); Any-Addr: it kept R-IPAddr1
 * @r_port: R-Port; 1701 unless the responder chose a new port (4.2.4)
 * @gateway: gateway-to-gateway or dial-out (4.2.5): either side may start
 *	a tunnel, so each listens with "From Any-Addr, to My-IPAddr"
 */
struct filter_tunnel {
	enum filter_role role;
	int family;
	struct filter_addr i_addr;
	uint16_t i_port;
	union inet_addr r_addr1;
	struct filter_addr r_addr2;
	uint16_t r_port;
	bool gateway;
};

/*
 * The per-tunnel set of RFC 3193 sections 4.2.2 to 4.2.5 into @out:
 * outbound lines, then inbound lines, each "from highest priority to
 * lowest priority" and numbered in that order as the RFC numbers them
 * (Outbound-1, ...). Every line is PROTECT(ESP, transport). Returns the
 * number of lines, -EINVAL or -ENOSPC as filter_base_set().
 */
int filter_tunnel_set(const struct filter_tunnel *t, struct filter *out,
		      size_t max);

/* The priority of @f by the rule above (FILTER_PRIO_*). */
uint32_t filter_priority(const struct filter *f);

#endif
