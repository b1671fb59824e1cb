// SPDX-License-Identifier: GPL-2.0
/*
 * IPsec filter sets for L2TP: RFC 5619 section 3.5.4 and Appendix A (the
 * static SPD of a softwire initiator and concentrator), RFC 3193 section 4.2
 * (the per-tunnel filters, port float, address change, gateway-to-gateway).
 * Pure functions; tests/host/test-filters.c checks them against the RFCs'
 * own tables.
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "policy/filters.h"

/* A set being built: lines go to @out until @max, then -ENOSPC. */
struct set {
	struct filter *out;
	size_t max;
	size_t n;
	int family;
	int err;
};

static const struct filter_port any_port = { .any = true };
static const struct filter_addr any_addr = { .any = true };

static struct filter_port port(uint16_t p)
{
	return (struct filter_port){ .port = p };
}

static struct filter_addr host(const union inet_addr *ip)
{
	return (struct filter_addr){ .ip = *ip };
}

/* The largest offset (2 Any-Addr, 2 Any-Port, any protocol) fits a sub-band. */
_Static_assert(16 * 2 + 4 * 2 + 1 < FILTER_PRIO_BASE - FILTER_PRIO_TUNNEL &&
	       (FILTER_PRIO_TUNNEL & FILTER_PRIO_BAND_MASK) == FILTER_PRIO_BAND &&
	       (FILTER_PRIO_BASE & FILTER_PRIO_TUNNEL_MASK) != FILTER_PRIO_TUNNEL,
	       "the per-tunnel and base sub-bands hold every offset, apart");

uint32_t filter_priority(const struct filter *f)
{
	if (f->action == FILTER_BYPASS)
		return FILTER_PRIO_BYPASS;
	return FILTER_PRIO_BASE + 16 * (f->src.any + f->dst.any) +
	       4 * (f->sport.any + f->dport.any) + (f->proto ? 0 : 1);
}

static void add(struct set *s, enum filter_dir dir, enum filter_action action,
		uint8_t proto, struct filter_addr src, struct filter_port sport,
		struct filter_addr dst, struct filter_port dport)
{
	struct filter *f;

	if (s->n >= s->max) {
		s->err = -ENOSPC;
		return;
	}
	f = &s->out[s->n++];
	memset(f, 0, sizeof(*f));
	f->dir = dir;
	f->action = action;
	f->family = s->family;
	f->proto = proto;
	f->src = src;
	f->dst = dst;
	/* Ports are a UDP thing; an ESP selector has none. */
	f->sport = proto == IPPROTO_UDP ? sport : any_port;
	f->dport = proto == IPPROTO_UDP ? dport : any_port;
	if (action == FILTER_PROTECT) {
		f->sa_proto = IPPROTO_ESP;
		f->sa_transport = true;
	}
	f->priority = filter_priority(f);
}

/* PROTECT(ESP, transport) for UDP, the only protection the RFCs use */
static void protect(struct set *s, enum filter_dir dir, struct filter_addr src,
		    struct filter_port sport, struct filter_addr dst,
		    struct filter_port dport)
{
	add(s, dir, FILTER_PROTECT, IPPROTO_UDP, src, sport, dst, dport);
}

static int set_result(const struct set *s)
{
	return s->err ? s->err : (int)s->n;
}

static bool family_ok(int family)
{
	return family == AF_INET || family == AF_INET6;
}

/*
 * Bypass for IKE and ESP between @local and @remote, in both directions.
 *
 * RFC 5619 section 3.5.4.1: "Note that IKEv2 and ESP traffic MUST be
 * allowed (bypass). These include IP protocol 50 and UDP port 500 and
 * 4500."
 *
 * RFC 5619 Appendix A.1: "If NAT traversal is used in IKE, UDP source and
 * destination ports are 4500. In this SPD entry, IKE refers to UDP port
 * 500."
 *
 *	Local	Remote	Protocol	Action
 *	IPv4-SI	IPv4-SC	ESP		BYPASS
 *	IPv4-SI	IPv4-SC	IKE		BYPASS
 *
 * "IKE" is our port 500 (4500 with NAT-T) and Any-Port at the peer: behind
 * a NAT the peer's source port is the NAT's choice (RFC 3947 section 4),
 * so a fixed remote port would only work without NAT.
 */
static void bypass_ike_esp(struct set *s, struct filter_addr local,
			   struct filter_addr remote, bool nat_t)
{
	add(s, FILTER_OUT, FILTER_BYPASS, IPPROTO_ESP, local, any_port, remote,
	    any_port);
	add(s, FILTER_IN, FILTER_BYPASS, IPPROTO_ESP, remote, any_port, local,
	    any_port);
	add(s, FILTER_OUT, FILTER_BYPASS, IPPROTO_UDP, local,
	    port(FILTER_PORT_IKE), remote, any_port);
	add(s, FILTER_IN, FILTER_BYPASS, IPPROTO_UDP, remote, any_port, local,
	    port(FILTER_PORT_IKE));
	if (!nat_t)
		return;
	add(s, FILTER_OUT, FILTER_BYPASS, IPPROTO_UDP, local,
	    port(FILTER_PORT_NATT), remote, any_port);
	add(s, FILTER_IN, FILTER_BYPASS, IPPROTO_UDP, remote, any_port, local,
	    port(FILTER_PORT_NATT));
}

/*
 * The static SPD of a softwire initiator or concentrator: IKE and ESP
 * bypass (above), then PROTECT(ESP, transport) for L2TP on UDP 1701.
 *
 * Initiator, RFC 5619 Appendix A.1 "Softwire Initiator SPD" (A.2 is the
 * same with IPv6-SI and IPv6-SC):
 *
 *	Local	Remote	Protocol		Action
 *	IPv4-SI	IPv4-SC	UDP, src 1701, dst 1701	PROTECT(ESP, transport)
 *	IPv4-SC	IPv4-SI	UDP, src * , dst 1701	PROTECT(ESP, transport)
 *
 * which is RFC 3193 Appendix A.1.1's initiator, I-Port 1701:
 *
 *	Outbound-1: From 1.1.1.1, to 2.2.2.1, UDP, src 1701,     dst 1701
 *	Inbound-1:  From 2.2.2.1, to 1.1.1.1, UDP, src 1701,     dst 1701
 *	Inbound-2:  From 2.2.2.1, to 1.1.1.1, UDP, src Any-Port, dst 1701
 *
 * and RFC 5619 section 3.5.4.1 (IKEv2) "Softwire Initiator SPD-S":
 *
 *	IF local_address=IPv4-SI, remote_address=IPv4-SC,
 *	   Next Layer Protocol=UDP, local_port=1701, remote_port=ANY (PFP=1)
 *	Then use SA ESP transport mode
 *
 * whose remote_port ANY also protects what we send to a responder that
 * floated its port (RFC 3193 section 4.2.4), hence "Outbound-2" below.
 *
 * Responder, RFC 5619 Appendix A.1 "Softwire Concentrator SPD":
 *
 *	Remote	Local	Protocol		Action
 *	*	IPv4-SC	UDP, src * , dst 1701	PROTECT(ESP, transport)
 *
 * which is RFC 3193 section 4.2.2's "Inbound-1: From Any-Addr, to
 * R-IPAddr1, UDP, src Any-Port, dst 1701", and section 3.5.4.1's
 * "Softwire Concentrator SPD-S: local_address=IPv4-SC, remote_address=ANY
 * (PFP=1), Next Layer Protocol=UDP, local_port=1701, remote_port=ANY
 * (PFP=1), Then use SA ESP transport mode". That entry covers both
 * directions, so the responder also gets the outbound mirror: RFC 3193's
 * responder leaves Outbound-1 to IKE ("dynamically created by IKE upon
 * successful completion of phase 2"); in Linux a transport-mode template
 * finds the SA from the packet's own addresses, so one outbound line from
 * R-IPAddr1:1701 to Any-Addr does what the per-peer lines would.
 *
 * A responder with a known peer (remote ADDR) puts it where "*" is: RFC
 * 3193 Appendix A.2.1, "The source IP in the inbound-1 filter above for
 * gateway to gateway tunnels can be IP specific".
 */
int filter_base_set(const struct filter_base *b, struct filter *out, size_t max)
{
	struct set s = { .out = out, .max = max, .family = b->family };
	struct filter_addr local = host(&b->local);
	struct filter_port l2tp = port(FILTER_PORT_L2TP);

	if (!family_ok(b->family))
		return -EINVAL;
	switch (b->role) {
	case FILTER_INITIATOR:
		/* "remote_address=IPv4-SC": the SI knows its SC. */
		if (b->remote.any)
			return -EINVAL;
		bypass_ike_esp(&s, local, b->remote, b->nat_t);
		protect(&s, FILTER_OUT, local, l2tp, b->remote, l2tp);
		protect(&s, FILTER_OUT, local, l2tp, b->remote, any_port);
		protect(&s, FILTER_IN, b->remote, l2tp, local, l2tp);
		protect(&s, FILTER_IN, b->remote, any_port, local, l2tp);
		break;
	case FILTER_RESPONDER:
		bypass_ike_esp(&s, local, b->remote, b->nat_t);
		protect(&s, FILTER_OUT, local, l2tp, b->remote, any_port);
		protect(&s, FILTER_IN, b->remote, any_port, local, l2tp);
		break;
	default:
		return -EINVAL;
	}
	return set_result(&s);
}

/*
 * The initiator's filters, RFC 3193 sections 4.2.2 to 4.2.5, R-IPAddr being
 * R-IPAddr2 after a "Try Another" (4.2.3) and R-IPAddr1 otherwise.
 *
 * 4.2.2 (and 4.2.3 with R-IPAddr2 for R-IPAddr1), the responder keeps port
 * 1701:
 *	Outbound-1: From I-IPAddr,  to R-IPAddr1, UDP, src I-Port, dst 1701
 *	Inbound-1:  From R-IPAddr1, to I-IPAddr,  UDP, src 1701, dst I-Port
 *	Inbound-2:  From R-IPAddr1, to I-IPAddr,  UDP, src Any-Port,
 *		    dst I-Port
 *
 * 4.2.4, the responder chose R-Port:
 *	Outbound-1: From I-IPAddr, to R-IPAddr, UDP, src I-Port, dst R-Port
 *	Outbound-2: From I-IPAddr, to R-IPAddr, UDP, src I-Port, dst 1701
 *	Inbound-1:  From R-IPAddr, to I-IPAddr, UDP, src R-Port, dst I-Port
 *	Inbound-2:  From R-IPAddr, to I-IPAddr, UDP, src 1701,   dst I-Port
 *	Inbound-3:  From R-IPAddr, to I-IPAddr, UDP, src Any-Port,
 *		    dst I-Port
 *
 * 4.2.5, gateway-to-gateway or dial-out: "The initial filter set at both
 * sides MUST include the following filter: Inbound Filter: 1: From
 * Any-Addr, to R-IPAddr1, UDP, src Any-Port, dst 1701", R-IPAddr1 being
 * the address this side listens on; Appendix A.2.2 lists it last
 * ("Inbound-3: From Any-Addr, to 1.1.1.1, UDP, src Any-Port, dst 1701").
 */
static void initiator_set(struct set *s, const struct filter_tunnel *t)
{
	struct filter_addr i_addr = t->i_addr;
	struct filter_addr r_addr = t->r_addr2.any ? host(&t->r_addr1) : t->r_addr2;
	struct filter_port i_port = port(t->i_port);
	struct filter_port l2tp = port(FILTER_PORT_L2TP);

	if (t->r_port == FILTER_PORT_L2TP) {
		protect(s, FILTER_OUT, i_addr, i_port, r_addr, l2tp);
		protect(s, FILTER_IN, r_addr, l2tp, i_addr, i_port);
		protect(s, FILTER_IN, r_addr, any_port, i_addr, i_port);
	} else {
		protect(s, FILTER_OUT, i_addr, i_port, r_addr, port(t->r_port));
		protect(s, FILTER_OUT, i_addr, i_port, r_addr, l2tp);
		protect(s, FILTER_IN, r_addr, port(t->r_port), i_addr, i_port);
		protect(s, FILTER_IN, r_addr, l2tp, i_addr, i_port);
		protect(s, FILTER_IN, r_addr, any_port, i_addr, i_port);
	}
	if (t->gateway)
		protect(s, FILTER_IN, any_addr, any_port, i_addr, l2tp);
}

/*
 * The responder's filters, RFC 3193 sections 4.2.2 to 4.2.4.
 *
 * 4.2.2, before IKE phase 2 (I-IPAddr not known yet):
 *	Outbound-1: None.  They should be be dynamically created by IKE
 *		    upon successful completion of phase 2.
 *	Inbound-1:  From Any-Addr,  to R-IPAddr1, UDP, src Any-Port, dst 1701
 *
 * 4.2.2 after phase 2, and 4.2.3 with R-IPAddr2 ("Outbound-1: From
 * R-IPAddr2, ...") except in the last line, which stays on R-IPAddr1:
 *	Outbound-1: From R-IPAddr1, to I-IPAddr,  UDP, src 1701, dst I-Port
 *	Inbound-1:  From I-IPAddr,  to R-IPAddr1, UDP, src I-Port, dst 1701
 *	Inbound-2:  From Any-Addr,  to R-IPAddr1, UDP, src Any-Port, dst 1701
 *
 * 4.2.4, the responder chose R-Port:
 *	Outbound-1: From R-IPAddr, to I-IPAddr,  UDP, src R-Port, dst I-Port
 *	Outbound-2: From R-IPAddr, to I-IPAddr,  UDP, src 1701,   dst I-Port
 *	Inbound-1:  From I-IPAddr, to R-IPAddr,  UDP, src I-Port, dst R-Port
 *	Inbound-2:  From I-IPAddr, to R-IPAddr,  UDP, src I-Port, dst 1701
 *	Inbound-3:  From Any-Addr, to R-IPAddr1, UDP, src Any-Port, dst 1701
 *
 * 4.2.5 adds nothing here: the responder's My-IPAddr listener is its
 * R-IPAddr1 line already.
 */
static void responder_set(struct set *s, const struct filter_tunnel *t)
{
	struct filter_addr i_addr = t->i_addr;
	struct filter_addr r_addr1 = host(&t->r_addr1);
	struct filter_addr r_addr = t->r_addr2.any ? r_addr1 : t->r_addr2;
	struct filter_port i_port = port(t->i_port);
	struct filter_port l2tp = port(FILTER_PORT_L2TP);

	if (t->i_addr.any) {
		protect(s, FILTER_IN, any_addr, any_port, r_addr1, l2tp);
		return;
	}
	if (t->r_port == FILTER_PORT_L2TP) {
		protect(s, FILTER_OUT, r_addr, l2tp, i_addr, i_port);
		protect(s, FILTER_IN, i_addr, i_port, r_addr, l2tp);
	} else {
		protect(s, FILTER_OUT, r_addr, port(t->r_port), i_addr, i_port);
		protect(s, FILTER_OUT, r_addr, l2tp, i_addr, i_port);
		protect(s, FILTER_IN, i_addr, i_port, r_addr, port(t->r_port));
		protect(s, FILTER_IN, i_addr, i_port, r_addr, l2tp);
	}
	protect(s, FILTER_IN, any_addr, any_port, r_addr1, l2tp);
}

int filter_tunnel_set(const struct filter_tunnel *t, struct filter *out,
		      size_t max)
{
	struct set s = { .out = out, .max = max, .family = t->family };

	if (!family_ok(t->family) || !t->r_port)
		return -EINVAL;
	/* I-Port is known once I-IPAddr is. */
	if (!t->i_addr.any && !t->i_port)
		return -EINVAL;
	switch (t->role) {
	case FILTER_INITIATOR:
		if (t->i_addr.any)
			return -EINVAL;
		initiator_set(&s, t);
		break;
	case FILTER_RESPONDER:
		responder_set(&s, t);
		break;
	default:
		return -EINVAL;
	}
	return set_result(&s);
}
