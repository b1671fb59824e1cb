// SPDX-License-Identifier: GPL-2.0
/*
 * The filter sets of agent/policy/filters.c against the RFCs' own tables.
 *
 * Every expected line below is the RFC's line with its blanks squeezed, in
 * RFC 3193's words (From, to, src, dst, Any-Addr, Any-Port); the RFC text
 * is quoted above each table. A set is rendered the same way, lines
 * numbered per direction in the order the function returns them, and
 * compared line by line. IPv6 variants are the same tables with the
 * addresses replaced (RFC 3193 Appendix A: "While example filter sets are
 * for IPv4, similar examples could just as easily be constructed for
 * IPv6").
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "policy/filters.h"
#include "harness.h"

#define LINE_LEN 320

/* An address or port and the name a table gives it. */
struct name {
	const char *value;
	const char *name;
};

struct names {
	const struct name *addrs;
	size_t naddrs;
	const struct name *ports;
	size_t nports;
};

static void addr_word(const struct filter *f, const struct filter_addr *a,
		      const struct names *nm, char *buf, size_t len)
{
	char text[INET6_ADDRSTRLEN];
	size_t i;

	if (a->any) {
		snprintf(buf, len, "Any-Addr");
		return;
	}
	inet_ntop(f->family, &a->ip, text, sizeof(text));
	for (i = 0; i < nm->naddrs; i++)
		if (!strcmp(text, nm->addrs[i].value)) {
			snprintf(buf, len, "%s", nm->addrs[i].name);
			return;
		}
	snprintf(buf, len, "%s", text);
}

static void port_word(const struct filter_port *p, const struct names *nm,
		      char *buf, size_t len)
{
	char text[8];
	size_t i;

	if (p->any) {
		snprintf(buf, len, "Any-Port");
		return;
	}
	snprintf(text, sizeof(text), "%u", p->port);
	for (i = 0; i < nm->nports; i++)
		if (!strcmp(text, nm->ports[i].value)) {
			snprintf(buf, len, "%s", nm->ports[i].name);
			return;
		}
	snprintf(buf, len, "%s", text);
}

/*
 * "Outbound-1: From 1.1.1.1, to 2.2.2.1, UDP, src 1701, dst 1701", and
 * with @action ", PROTECT(ESP, transport)" or ", BYPASS" after it.
 */
static void render(const struct filter *f, int num, const struct names *nm,
		   bool action, char *buf, size_t len)
{
	char src[64], dst[64], sport[16], dport[16], proto[64];
	const char *act = "?";

	addr_word(f, &f->src, nm, src, sizeof(src));
	addr_word(f, &f->dst, nm, dst, sizeof(dst));
	if (f->proto == IPPROTO_UDP) {
		port_word(&f->sport, nm, sport, sizeof(sport));
		port_word(&f->dport, nm, dport, sizeof(dport));
		snprintf(proto, sizeof(proto), "UDP, src %s, dst %s", sport, dport);
	} else if (f->proto == IPPROTO_ESP) {
		snprintf(proto, sizeof(proto), "ESP");
	} else {
		snprintf(proto, sizeof(proto), "proto %u", f->proto);
	}
	if (f->action == FILTER_BYPASS)
		act = "BYPASS";
	else if (f->action == FILTER_PROTECT && f->sa_proto == IPPROTO_ESP &&
		 f->sa_transport && !f->reqid)
		act = "PROTECT(ESP, transport)";
	else if (f->action == FILTER_DISCARD)
		act = "DISCARD";
	snprintf(buf, len, "%s-%d: From %s, to %s, %s%s%s",
		 f->dir == FILTER_OUT ? "Outbound" : f->dir == FILTER_IN ?
		 "Inbound" : "Forward", num, src, dst, proto,
		 action ? ", " : "", action ? act : "");
}

/* Replace every @from in @s by @to, in place (@s has LINE_LEN bytes). */
static void subst(char *s, const char *from, const char *to)
{
	char out[LINE_LEN];
	const char *p = s, *hit;
	size_t n = 0, lf = strlen(from), lt = strlen(to);

	while ((hit = strstr(p, from)) && n + (size_t)(hit - p) + lt < sizeof(out)) {
		memcpy(out + n, p, hit - p);
		n += hit - p;
		memcpy(out + n, to, lt);
		n += lt;
		p = hit + lf;
	}
	snprintf(out + n, sizeof(out) - n, "%s", p);
	memcpy(s, out, sizeof(out));
}

/* Address substitutions that make an IPv4 table an IPv6 one. */
struct v6map {
	const char *v4;
	const char *v6;
};

static const struct v6map appendix_v6[] = {
	{ "1.1.1.1", "2001:db8:1::1" },
	{ "2.2.2.1", "2001:db8:2::1" },
};

/*
 * Compare the set @got (@n lines, or a negative errno) with @want (@nwant
 * lines, in the RFC's words, IPv4), after the @map substitutions. Prints
 * every line that differs on stderr.
 */
static bool same_lines(const struct filter *got, int n, const struct names *nm,
		       bool action, const char *const *want, size_t nwant,
		       const struct v6map *map, size_t nmap)
{
	char line[LINE_LEN], exp[LINE_LEN];
	int in = 0, out = 0, i;
	bool ok = true;
	size_t j;

	if (n < 0) {
		fprintf(stderr, "  error %d (%s)\n", n, strerror(-n));
		return false;
	}
	for (i = 0; i < n || (size_t)i < nwant; i++) {
		line[0] = exp[0] = '\0';
		if (i < n)
			render(&got[i], got[i].dir == FILTER_OUT ? ++out : ++in, nm,
			       action, line, sizeof(line));
		if ((size_t)i < nwant) {
			snprintf(exp, sizeof(exp), "%s", want[i]);
			for (j = 0; j < nmap; j++)
				subst(exp, map[j].v4, map[j].v6);
		}
		if (strcmp(line, exp)) {
			fprintf(stderr, "  line %d\n    got:  %s\n    want: %s\n", i + 1,
				i < n ? line : "(none)", (size_t)i < nwant ? exp : "(none)");
			ok = false;
		}
	}
	return ok;
}

static union inet_addr ip(int family, const char *s)
{
	union inet_addr a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(family, s, &a) != 1)
		abort();
	return a;
}

static struct filter_addr addr(int family, const char *s)
{
	struct filter_addr a = { .any = !s };

	if (s)
		a.ip = ip(family, s);
	return a;
}

static const struct names no_names;

/* ------------------------------------------------------------------------
 * RFC 3193 Appendix A.1: "Initiator and Responder use fixed addresses and
 * ports ... the initiator will use an IPv4 address of 1.1.1.1 and the
 * responder will use an IPv4 address of 2.2.2.1."
 */

/*
 * A.1.1 Protect the SCCRQ (before and after IKE phase 2 alike)
 *
 *   Initiator Filters:
 *      Outbound-1: From 1.1.1.1, to 2.2.2.1, UDP, src 1701,     dst 1701
 *
 *      Inbound-1:  From 2.2.2.1, to 1.1.1.1, UDP, src 1701,     dst 1701
 *      Inbound-2:  From 2.2.2.1, to 1.1.1.1, UDP, src Any-Port, dst 1701
 */
static const char *const a11_initiator[] = {
	"Outbound-1: From 1.1.1.1, to 2.2.2.1, UDP, src 1701, dst 1701",
	"Inbound-1: From 2.2.2.1, to 1.1.1.1, UDP, src 1701, dst 1701",
	"Inbound-2: From 2.2.2.1, to 1.1.1.1, UDP, src Any-Port, dst 1701",
};

/*
 *   Responder Filters:
 *      Outbound-1: None, dynamically injected when IKE Phase 2 completes
 *
 *      Inbound-1:  From Any-Addr, to 2.2.2.1, UDP, src Any-Port, dst 1701
 */
static const char *const a11_responder_before[] = {
	"Inbound-1: From Any-Addr, to 2.2.2.1, UDP, src Any-Port, dst 1701",
};

/*
 *   After IKE Phase 2 completes the filters at the initiator and
 *   responder will be: [initiator as above]
 *
 *   Responder Filters:
 *      Outbound-1: From 2.2.2.1,  to 1.1.1.1, UDP, src 1701,     dst 1701
 *
 *      Inbound-1:  From 1.1.1.1,  to 2.2.2.1, UDP, src 1701,     dst 1701
 *      Inbound-2:  From Any-Addr, to 2.2.2.1, UDP, src Any-Port, dst 1701
 */
static const char *const a11_responder_after[] = {
	"Outbound-1: From 2.2.2.1, to 1.1.1.1, UDP, src 1701, dst 1701",
	"Inbound-1: From 1.1.1.1, to 2.2.2.1, UDP, src 1701, dst 1701",
	"Inbound-2: From Any-Addr, to 2.2.2.1, UDP, src Any-Port, dst 1701",
};

/* ------------------------------------------------------------------------
 * RFC 3193 Appendix A.2: "Gateway to Gateway Scenario where Initiator and
 * Responder use dynamic ports ... assume the dynamic port given to the
 * initiator is 5000 and his IP address is 1.1.1.1. The responder will use
 * an IP address of 2.2.2.1 and a port number of 6000."
 */

/*
 * A.2.1 Initial Filters to allow either side to respond to negotiations
 *
 *   Responder Filters present at both peers:
 *     Inbound-1: From Any-Addr, to My-IPAddr, UDP, src Any-Port, dst 1701
 *
 * My-IPAddr is 1.1.1.1 at the initiator, 2.2.2.1 at the responder.
 */
static const char *const a21_at_initiator = "From Any-Addr, to 1.1.1.1, UDP, src Any-Port, dst 1701";
static const char *const a21_at_responder = "From Any-Addr, to 2.2.2.1, UDP, src Any-Port, dst 1701";

/*
 * A.2.2 Protect the SCCRQ, one peer is now the initiator
 *
 *   Initiator Filters:
 *      Outbound-1: From 1.1.1.1,  to 2.2.2.1, UDP, src 5000,     dst 1701
 *
 *      Inbound-1:  From 2.2.2.1,  to 1.1.1.1, UDP, src 1701,     dst 5000
 *      Inbound-2:  From 2.2.2.1,  to 1.1.1.1, UDP, src Any-Port, dst 5000
 *      Inbound-3:  From Any-Addr, to 1.1.1.1, UDP, src Any-Port, dst 1701
 *
 * (the same before and after IKE phase 2)
 */
static const char *const a22_initiator[] = {
	"Outbound-1: From 1.1.1.1, to 2.2.2.1, UDP, src 5000, dst 1701",
	"Inbound-1: From 2.2.2.1, to 1.1.1.1, UDP, src 1701, dst 5000",
	"Inbound-2: From 2.2.2.1, to 1.1.1.1, UDP, src Any-Port, dst 5000",
	"Inbound-3: From Any-Addr, to 1.1.1.1, UDP, src Any-Port, dst 1701",
};

/*
 *   Responder Filters:
 *      Outbound-1: None, dynamically injected when IKE Phase 2 completes
 *
 *      Inbound-1:  From Any-Addr, to 2.2.2.1, UDP, src Any-Port, dst 1701
 */
static const char *const a22_responder_before[] = {
	"Inbound-1: From Any-Addr, to 2.2.2.1, UDP, src Any-Port, dst 1701",
};

/*
 *   After IKE Phase 2 completes ...
 *   Responder Filters:
 *      Outbound-1: From 2.2.2.1,  to 1.1.1.1, UDP, src 1701,     dst 5000
 *
 *      Inbound-1:  From 1.1.1.1,  to 2.2.2.1, UDP, src 5000,     dst 1701
 *      Inbound-2:  From Any-Addr, to 2.2.2.1, UDP, src Any-Port, dst 1701
 */
static const char *const a22_responder_after[] = {
	"Outbound-1: From 2.2.2.1, to 1.1.1.1, UDP, src 1701, dst 5000",
	"Inbound-1: From 1.1.1.1, to 2.2.2.1, UDP, src 5000, dst 1701",
	"Inbound-2: From Any-Addr, to 2.2.2.1, UDP, src Any-Port, dst 1701",
};

/*
 * A.2.3 Protect the SCCRP after port change
 *
 *   The new filter set at the responder is:
 *
 *   Responder Filters:
 *      Outbound-1: From 2.2.2.1,  to 1.1.1.1, UDP, src 6000,     dst 5000
 *      Outbound-2: From 2.2.2.1,  to 1.1.1.1, UDP, src 1701,     dst 5000
 *
 *      Inbound-1:  From 1.1.1.1,  to 2.2.2.1, UDP, src 5000,     dst 6000
 *      Inbound-2:  From 1.1.1.1,  to 2.2.2.1, UDP, src 5000,     dst 1701
 *      Inbound-3:  From Any-Addr, to 2.2.2.1, UDP, src Any-Port, dst 1701
 *
 * and, "Once the phase 2 negotiations complete", the same again.
 */
static const char *const a23_responder[] = {
	"Outbound-1: From 2.2.2.1, to 1.1.1.1, UDP, src 6000, dst 5000",
	"Outbound-2: From 2.2.2.1, to 1.1.1.1, UDP, src 1701, dst 5000",
	"Inbound-1: From 1.1.1.1, to 2.2.2.1, UDP, src 5000, dst 6000",
	"Inbound-2: From 1.1.1.1, to 2.2.2.1, UDP, src 5000, dst 1701",
	"Inbound-3: From Any-Addr, to 2.2.2.1, UDP, src Any-Port, dst 1701",
};

/*
 *   Initiator Filters:
 *      Outbound-1: From 1.1.1.1, to 2.2.2.1, UDP, src 5000,     dst 6000
 *      Outbound-2: From 1.1.1.1, to 2.2.2.1, UDP, src 5000,     dst 1701
 *
 *      Inbound-1:  From 2.2.2.1, to 1.1.1.1, UDP, src 6000,     dst 5000
 *      Inbound-2:  From 2.2.2.1, to 1.1.1.1, UDP, src 1701,     dst 5000
 *      Inbound-3:  From 2.2.2.1, to 1.1.1.1, UDP, src Any-Port, dst 1701
 *
 * The one line where the appendix and the normative text disagree: its
 * Inbound-3 has "dst 1701" where section 4.2.4's "Inbound-3: From
 * R-IPAddr, to I-IPAddr, UDP, src Any-Port, dst I-Port" has dst 5000, and
 * it drops the gateway listener "From Any-Addr, to 1.1.1.1, UDP, src
 * Any-Port, dst 1701" that A.2.2 listed and that section 4.2.5 says "MUST"
 * be in the initial set, with no word of removing it. The line reads as the
 * two merged. We follow the sections: Inbound-3 to I-Port (else the
 * responder's Any-Port traffic to the initiator's socket, the reason
 * Inbound-3 exists, would be unprotected) and the listener kept last as
 * Inbound-4 (else this gateway could no longer accept a tunnel).
 */
static const char *const a23_initiator[] = {
	"Outbound-1: From 1.1.1.1, to 2.2.2.1, UDP, src 5000, dst 6000",
	"Outbound-2: From 1.1.1.1, to 2.2.2.1, UDP, src 5000, dst 1701",
	"Inbound-1: From 2.2.2.1, to 1.1.1.1, UDP, src 6000, dst 5000",
	"Inbound-2: From 2.2.2.1, to 1.1.1.1, UDP, src 1701, dst 5000",
	/* RFC: "Inbound-3: From 2.2.2.1, to 1.1.1.1, UDP, src Any-Port, dst 1701" */
	"Inbound-3: From 2.2.2.1, to 1.1.1.1, UDP, src Any-Port, dst 5000",
	/* not in A.2.3; A.2.2's Inbound-3, section 4.2.5 */
	"Inbound-4: From Any-Addr, to 1.1.1.1, UDP, src Any-Port, dst 1701",
};

/* ------------------------------------------------------------------------
 * RFC 3193 sections 4.2.2 to 4.2.5, in the symbolic terms of 4.2.1. The
 * sets are computed with addresses and ports, rendered with these names.
 */
#define I_V4 "192.0.2.1"
#define R1_V4 "198.51.100.1"
#define R2_V4 "198.51.100.2"
#define I_V6 "2001:db8::1"
#define R1_V6 "2001:db8:ffff::1"
#define R2_V6 "2001:db8:ffff::2"
#define I_PORT 5000
#define R_PORT 6000

static const struct name sym_ports[] = {
	{ "5000", "I-Port" },
	{ "6000", "R-Port" },
};

static const struct name sym_v4[] = {
	{ I_V4, "I-IPAddr" }, { R1_V4, "R-IPAddr1" }, { R2_V4, "R-IPAddr2" },
};

static const struct name sym_v6[] = {
	{ I_V6, "I-IPAddr" }, { R1_V6, "R-IPAddr1" }, { R2_V6, "R-IPAddr2" },
};

/* Section 4.2.4 calls the responder's address in use R-IPAddr. */
static const struct name sym_v4_r2[] = {
	{ I_V4, "I-IPAddr" }, { R1_V4, "R-IPAddr1" }, { R2_V4, "R-IPAddr" },
};

static const struct name sym_v6_r2[] = {
	{ I_V6, "I-IPAddr" }, { R1_V6, "R-IPAddr1" }, { R2_V6, "R-IPAddr" },
};

/*
 * 4.2.2 Initial filters needed to protect the SCCRQ
 *
 *      Responder Filters:
 *         Outbound-1: None.  They should be be dynamically created by IKE
 *         upon successful completion of phase 2.
 *
 *         Inbound-1:  From Any-Addr,  to R-IPAddr1, UDP, src Any-Port, dst
 *         1701
 */
static const char *const s422_responder_before[] = {
	"Inbound-1: From Any-Addr, to R-IPAddr1, UDP, src Any-Port, dst 1701",
};

/*
 *      Initiator Filters:
 *         Outbound-1: From I-IPAddr,  to R-IPAddr1, UDP, src I-Port,
 *         dst 1701
 *
 *         Inbound-1:  From R-IPAddr1, to I-IPAddr,  UDP, src 1701,
 *         dst I-Port
 *         Inbound-2:  From R-IPAddr1, to I-IPAddr,  UDP, src Any-Port,
 *         dst I-Port
 */
static const char *const s422_initiator[] = {
	"Outbound-1: From I-IPAddr, to R-IPAddr1, UDP, src I-Port, dst 1701",
	"Inbound-1: From R-IPAddr1, to I-IPAddr, UDP, src 1701, dst I-Port",
	"Inbound-2: From R-IPAddr1, to I-IPAddr, UDP, src Any-Port, dst I-Port",
};

/*
 *   ... The new filter set at the responder will be:
 *
 *      Responder Filters:
 *         Outbound-1: From R-IPAddr1, to I-IPAddr,  UDP, src 1701,
 *         dst I-Port
 *
 *         Inbound-1:  From I-IPAddr,  to R-IPAddr1, UDP, src I-Port,
 *         dst 1701
 *         Inbound-2:  From Any-Addr,  to R-IPAddr1, UDP, src Any-Port,
 *         dst 1701
 */
static const char *const s422_responder_after[] = {
	"Outbound-1: From R-IPAddr1, to I-IPAddr, UDP, src 1701, dst I-Port",
	"Inbound-1: From I-IPAddr, to R-IPAddr1, UDP, src I-Port, dst 1701",
	"Inbound-2: From Any-Addr, to R-IPAddr1, UDP, src Any-Port, dst 1701",
};

/*
 * 4.2.3 Responder chooses new IP Address
 *
 *      Initiator Filters:
 *         Outbound-1: From I-IPAddr,  to R-IPAddr2, UDP, src I-Port,
 *         dst 1701
 *
 *         Inbound-1:  From R-IPAddr2, to I-IPAddr,  UDP, src 1701,
 *         dst I-Port
 *         Inbound-2:  From R-IPAddr2, to I-IPAddr,  UDP, src Any-Port,
 *         dst I-Port
 */
static const char *const s423_initiator[] = {
	"Outbound-1: From I-IPAddr, to R-IPAddr2, UDP, src I-Port, dst 1701",
	"Inbound-1: From R-IPAddr2, to I-IPAddr, UDP, src 1701, dst I-Port",
	"Inbound-2: From R-IPAddr2, to I-IPAddr, UDP, src Any-Port, dst I-Port",
};

/*
 *   Once IKE phase 2 completes, the new filter set at the responder will
 *   be:
 *
 *      Responder Filters:
 *         Outbound-1: From R-IPAddr2, to I-IPAddr,  UDP, src 1701,
 *         dst I-Port
 *
 *         Inbound-1:  From I-IPAddr,  to R-IPAddr2, UDP, src I-Port,
 *         dst 1701
 *         Inbound-2:  From Any-Addr,  to R-IPAddr1, UDP, src Any-Port,
 *         dst 1701
 */
static const char *const s423_responder[] = {
	"Outbound-1: From R-IPAddr2, to I-IPAddr, UDP, src 1701, dst I-Port",
	"Inbound-1: From I-IPAddr, to R-IPAddr2, UDP, src I-Port, dst 1701",
	"Inbound-2: From Any-Addr, to R-IPAddr1, UDP, src Any-Port, dst 1701",
};

/*
 * 4.2.4 Responder chooses new Port Number
 *
 *      Initiator Filters:
 *         Outbound-1: From I-IPAddr, to R-IPAddr, UDP, src I-Port,   dst
 *         R-Port
 *         Outbound-2: From I-IPAddr, to R-IPAddr, UDP, src I-Port,   dst
 *         1701
 *
 *         Inbound-1:  From R-IPAddr, to I-IPAddr, UDP, src R-Port,   dst
 *         I-Port
 *         Inbound-2:  From R-IPAddr, to I-IPAddr, UDP, src 1701,     dst
 *         I-Port
 *         Inbound-3:  From R-IPAddr, to I-IPAddr, UDP, src Any-Port, dst
 *         I-Port
 */
static const char *const s424_initiator[] = {
	"Outbound-1: From I-IPAddr, to R-IPAddr, UDP, src I-Port, dst R-Port",
	"Outbound-2: From I-IPAddr, to R-IPAddr, UDP, src I-Port, dst 1701",
	"Inbound-1: From R-IPAddr, to I-IPAddr, UDP, src R-Port, dst I-Port",
	"Inbound-2: From R-IPAddr, to I-IPAddr, UDP, src 1701, dst I-Port",
	"Inbound-3: From R-IPAddr, to I-IPAddr, UDP, src Any-Port, dst I-Port",
};

/*
 *      Responder Filters:
 *         Outbound-1: From R-IPAddr, to I-IPAddr,  UDP, src R-Port,   dst
 *         I-Port
 *         Outbound-2: From R-IPAddr, to I-IPAddr,  UDP, src 1701,     dst
 *         I-Port
 *
 *         Inbound-1:  From I-IPAddr, to R-IPAddr,  UDP, src I-Port,   dst
 *         R-Port
 *         Inbound-2:  From I-IPAddr, to R-IPAddr,  UDP, src I-Port,   dst
 *         1701
 *         Inbound-3:  From Any-Addr, to R-IPAddr1, UDP, src Any-Port, dst
 *         1701
 */
static const char *const s424_responder[] = {
	"Outbound-1: From R-IPAddr, to I-IPAddr, UDP, src R-Port, dst I-Port",
	"Outbound-2: From R-IPAddr, to I-IPAddr, UDP, src 1701, dst I-Port",
	"Inbound-1: From I-IPAddr, to R-IPAddr, UDP, src I-Port, dst R-Port",
	"Inbound-2: From I-IPAddr, to R-IPAddr, UDP, src I-Port, dst 1701",
	"Inbound-3: From Any-Addr, to R-IPAddr1, UDP, src Any-Port, dst 1701",
};

/*
 * 4.2.5 Gateway-gateway and L2TP Dial-out considerations
 *
 *   ... The initial filter set at both sides MUST include the following
 *   filter:
 *
 *      Inbound Filter:
 *         1: From Any-Addr, to R-IPAddr1, UDP, src Any-Port, dst 1701
 *
 * At the initiator, R-IPAddr1 is the address it listens on itself (A.2.2:
 * "to 1.1.1.1"), that is its I-IPAddr; the line comes after the 4.2.2
 * ones, lowest priority.
 */
static const char *const s425_initiator[] = {
	"Outbound-1: From I-IPAddr, to R-IPAddr1, UDP, src I-Port, dst 1701",
	"Inbound-1: From R-IPAddr1, to I-IPAddr, UDP, src 1701, dst I-Port",
	"Inbound-2: From R-IPAddr1, to I-IPAddr, UDP, src Any-Port, dst I-Port",
	"Inbound-3: From Any-Addr, to I-IPAddr, UDP, src Any-Port, dst 1701",
};

/* ------------------------------------------------------------------------
 * RFC 5619 section 3.5.4 and Appendix A: the static SPD.
 *
 * Appendix A.1 "IPv6-over-IPv4 Softwire with L2TPv2 Example for IKE":
 * "IPv4 addresses of the softwire initiator and concentrator are denoted by
 * IPv4-SI and IPv4-SC, respectively. If NAT traversal is used in IKE, UDP
 * source and destination ports are 4500. In this SPD entry, IKE refers to
 * UDP port 500. * denotes wildcard and indicates ANY port or address."
 *
 * Softwire Initiator SPD:
 *
 *	Local	Remote	Protocol		Action
 *	IPv4-SI	IPv4-SC	ESP			BYPASS
 *	IPv4-SI	IPv4-SC	IKE			BYPASS
 *	IPv4-SI	IPv4-SC	UDP, src 1701, dst 1701	PROTECT(ESP, transport)
 *	IPv4-SC	IPv4-SI	UDP, src * , dst 1701	PROTECT(ESP, transport)
 *
 * Section 3.5.4.1 (IKEv2), "Softwire Initiator SPD-S":
 *
 *	IF local_address=IPv4-SI
 *	   remote_address=IPv4-SC
 *	   Next Layer Protocol=UDP
 *	   local_port=1701
 *	   remote_port=ANY (PFP=1)
 *	Then use SA ESP transport mode
 *
 * and "Note that IKEv2 and ESP traffic MUST be allowed (bypass). These
 * include IP protocol 50 and UDP port 500 and 4500."
 *
 * An SPD row has a local and a remote side and covers both directions; a
 * row is its outbound line (From Local, to Remote) and its inbound line
 * (From Remote, to Local). The fourth row is written From-To: it is the
 * inbound line "From IPv4-SC, src *, to IPv4-SI, dst 1701". "IKE" is our
 * UDP port 500 to or from Any-Port (a NAT picks the peer's port).
 * The SPD-S entry adds Outbound-4, its outbound half; its inbound half is
 * the fourth row.
 */
static const struct name sxv4[] = {
	{ "192.0.2.1", "IPv4-SI" }, { "192.0.2.2", "IPv4-SC" },
};

static const struct name sxv6[] = {
	{ "2001:db8::1", "IPv6-SI" }, { "2001:db8::2", "IPv6-SC" },
};

static const char *const a1_si[] = {
	/* IPv4-SI IPv4-SC ESP BYPASS */
	"Outbound-1: From IPv4-SI, to IPv4-SC, ESP, BYPASS",
	"Inbound-1: From IPv4-SC, to IPv4-SI, ESP, BYPASS",
	/* IPv4-SI IPv4-SC IKE BYPASS */
	"Outbound-2: From IPv4-SI, to IPv4-SC, UDP, src 500, dst Any-Port, BYPASS",
	"Inbound-2: From IPv4-SC, to IPv4-SI, UDP, src Any-Port, dst 500, BYPASS",
	/* IPv4-SI IPv4-SC UDP, src 1701, dst 1701 PROTECT(ESP, transport), out */
	"Outbound-3: From IPv4-SI, to IPv4-SC, UDP, src 1701, dst 1701, PROTECT(ESP, transport)",
	/* 3.5.4.1 SPD-S: local_port=1701, remote_port=ANY, out */
	"Outbound-4: From IPv4-SI, to IPv4-SC, UDP, src 1701, dst Any-Port, PROTECT(ESP, transport)",
	/* IPv4-SI IPv4-SC UDP, src 1701, dst 1701, in */
	"Inbound-3: From IPv4-SC, to IPv4-SI, UDP, src 1701, dst 1701, PROTECT(ESP, transport)",
	/* IPv4-SC IPv4-SI UDP, src * , dst 1701 (and SPD-S, in) */
	"Inbound-4: From IPv4-SC, to IPv4-SI, UDP, src Any-Port, dst 1701, PROTECT(ESP, transport)",
};

/*
 * Softwire Concentrator SPD:
 *
 *	Remote	Local	Protocol		Action
 *	*	IPv4-SC	ESP			BYPASS
 *	*	IPv4-SC	IKE			BYPASS
 *	*	IPv4-SC	UDP, src * , dst 1701	PROTECT(ESP, transport)
 *
 * Section 3.5.4.1, "Softwire Concentrator SPD-S":
 *
 *	IF name="l2tp_spd_entry"
 *	   local_address=IPv4-SC
 *	   remote_address=ANY (PFP=1)
 *	   Next Layer Protocol=UDP
 *	   local_port=1701
 *	   remote_port=ANY (PFP=1)
 *	Then use SA ESP transport mode
 */
static const char *const a1_sc[] = {
	/* * IPv4-SC ESP BYPASS */
	"Outbound-1: From IPv4-SC, to Any-Addr, ESP, BYPASS",
	"Inbound-1: From Any-Addr, to IPv4-SC, ESP, BYPASS",
	/* * IPv4-SC IKE BYPASS */
	"Outbound-2: From IPv4-SC, to Any-Addr, UDP, src 500, dst Any-Port, BYPASS",
	"Inbound-2: From Any-Addr, to IPv4-SC, UDP, src Any-Port, dst 500, BYPASS",
	/* * IPv4-SC UDP, src *, dst 1701: as a row, both directions */
	"Outbound-3: From IPv4-SC, to Any-Addr, UDP, src 1701, dst Any-Port, PROTECT(ESP, transport)",
	"Inbound-3: From Any-Addr, to IPv4-SC, UDP, src Any-Port, dst 1701, PROTECT(ESP, transport)",
};

/* "If NAT traversal is used in IKE, UDP source and destination ports are 4500." */
static const char *const a1_sc_natt[] = {
	"Outbound-1: From IPv4-SC, to IPv4-SI, ESP, BYPASS",
	"Inbound-1: From IPv4-SI, to IPv4-SC, ESP, BYPASS",
	"Outbound-2: From IPv4-SC, to IPv4-SI, UDP, src 500, dst Any-Port, BYPASS",
	"Inbound-2: From IPv4-SI, to IPv4-SC, UDP, src Any-Port, dst 500, BYPASS",
	"Outbound-3: From IPv4-SC, to IPv4-SI, UDP, src 4500, dst Any-Port, BYPASS",
	"Inbound-3: From IPv4-SI, to IPv4-SC, UDP, src Any-Port, dst 4500, BYPASS",
	"Outbound-4: From IPv4-SC, to IPv4-SI, UDP, src 1701, dst Any-Port, PROTECT(ESP, transport)",
	"Inbound-4: From IPv4-SI, to IPv4-SC, UDP, src Any-Port, dst 1701, PROTECT(ESP, transport)",
};

/* Appendix A.2 is A.1 with IPv6-SI and IPv6-SC. */
static const struct v6map si_sc_v6[] = {
	{ "IPv4-", "IPv6-" },
};

#define TABLE(t) t, ARRAY_SIZE(t)

static int tunnel(struct filter *set, enum filter_role role, int family,
		  const char *i, uint16_t i_port, const char *r1, const char *r2,
		  uint16_t r_port, bool gateway)
{
	struct filter_tunnel t = {
		.role = role,
		.family = family,
		.i_addr = addr(family, i),
		.i_port = i_port,
		.r_addr1 = ip(family, r1),
		.r_addr2 = addr(family, r2),
		.r_port = r_port,
		.gateway = gateway,
	};

	return filter_tunnel_set(&t, set, FILTER_SET_MAX);
}

static int base(struct filter *set, enum filter_role role, int family,
		const char *local, const char *remote, bool nat_t)
{
	struct filter_base b = {
		.role = role,
		.family = family,
		.local = ip(family, local),
		.remote = addr(family, remote),
		.nat_t = nat_t,
	};

	return filter_base_set(&b, set, FILTER_SET_MAX);
}

static void test_appendix_a(int family)
{
	const struct v6map *map = family == AF_INET6 ? appendix_v6 : NULL;
	size_t nmap = family == AF_INET6 ? ARRAY_SIZE(appendix_v6) : 0;
	const char *i = family == AF_INET6 ? "2001:db8:1::1" : "1.1.1.1";
	const char *r = family == AF_INET6 ? "2001:db8:2::1" : "2.2.2.1";
	const char *v = family == AF_INET6 ? "IPv6" : "IPv4";
	struct filter set[FILTER_SET_MAX];
	int n;

	n = tunnel(set, FILTER_INITIATOR, family, i, 1701, r, NULL, 1701, false);
	check(same_lines(set, n, &no_names, false, TABLE(a11_initiator), map, nmap),
	      "RFC 3193 A.1.1 initiator (%s): the RFC's 3 lines", v);
	n = tunnel(set, FILTER_RESPONDER, family, NULL, 0, r, NULL, 1701, false);
	check(same_lines(set, n, &no_names, false, TABLE(a11_responder_before), map, nmap),
	      "RFC 3193 A.1.1 responder before IKE phase 2 (%s): Outbound none, the Any-Addr Inbound-1",
	      v);
	n = tunnel(set, FILTER_RESPONDER, family, i, 1701, r, NULL, 1701, false);
	check(same_lines(set, n, &no_names, false, TABLE(a11_responder_after), map, nmap),
	      "RFC 3193 A.1.1 responder after IKE phase 2 (%s): the RFC's 3 lines", v);

	n = tunnel(set, FILTER_INITIATOR, family, i, 5000, r, NULL, 1701, true);
	check(same_lines(set, n, &no_names, false, TABLE(a22_initiator), map, nmap),
	      "RFC 3193 A.2.2 gateway initiator (%s): the RFC's 4 lines", v);
	n = tunnel(set, FILTER_RESPONDER, family, NULL, 0, r, NULL, 1701, true);
	check(same_lines(set, n, &no_names, false, TABLE(a22_responder_before), map, nmap),
	      "RFC 3193 A.2.2 gateway responder before IKE phase 2 (%s): the RFC's line", v);
	n = tunnel(set, FILTER_RESPONDER, family, i, 5000, r, NULL, 1701, true);
	check(same_lines(set, n, &no_names, false, TABLE(a22_responder_after), map, nmap),
	      "RFC 3193 A.2.2 gateway responder after IKE phase 2 (%s): the RFC's 3 lines", v);
	n = tunnel(set, FILTER_RESPONDER, family, i, 5000, r, NULL, 6000, true);
	check(same_lines(set, n, &no_names, false, TABLE(a23_responder), map, nmap),
	      "RFC 3193 A.2.3 gateway responder after the port change (%s): the RFC's 5 lines",
	      v);
	n = tunnel(set, FILTER_INITIATOR, family, i, 5000, r, NULL, 6000, true);
	check(same_lines(set, n, &no_names, false, TABLE(a23_initiator), map, nmap),
	      "RFC 3193 A.2.3 gateway initiator after the port change (%s): the RFC's lines, Inbound-3 and -4 per sections 4.2.4 and 4.2.5",
	      v);
}

/* A.2.1: the listener of "Responder Filters present at both peers". */
static bool has_line(const struct filter *set, int n, const char *want,
		     const struct v6map *map, size_t nmap)
{
	char line[LINE_LEN], exp[LINE_LEN];
	const char *body;
	size_t j;
	int i;

	snprintf(exp, sizeof(exp), "%s", want);
	for (j = 0; j < nmap; j++)
		subst(exp, map[j].v4, map[j].v6);
	for (i = 0; i < n; i++) {
		if (set[i].dir != FILTER_IN)
			continue;
		render(&set[i], 0, &no_names, false, line, sizeof(line));
		body = strstr(line, ": ");
		if (body && !strcmp(body + 2, exp))
			return true;
	}
	fprintf(stderr, "  no inbound line '%s'\n", exp);
	return false;
}

static void test_a21(int family)
{
	const struct v6map *map = family == AF_INET6 ? appendix_v6 : NULL;
	size_t nmap = family == AF_INET6 ? ARRAY_SIZE(appendix_v6) : 0;
	const char *i = family == AF_INET6 ? "2001:db8:1::1" : "1.1.1.1";
	const char *r = family == AF_INET6 ? "2001:db8:2::1" : "2.2.2.1";
	struct filter set[FILTER_SET_MAX];
	int n;
	bool ok;

	n = tunnel(set, FILTER_INITIATOR, family, i, 5000, r, NULL, 1701, true);
	ok = has_line(set, n, a21_at_initiator, map, nmap);
	n = tunnel(set, FILTER_INITIATOR, family, i, 5000, r, NULL, 6000, true);
	ok = has_line(set, n, a21_at_initiator, map, nmap) && ok;
	n = tunnel(set, FILTER_RESPONDER, family, NULL, 0, r, NULL, 1701, true);
	ok = has_line(set, n, a21_at_responder, map, nmap) && ok;
	n = tunnel(set, FILTER_RESPONDER, family, i, 5000, r, NULL, 6000, true);
	ok = has_line(set, n, a21_at_responder, map, nmap) && ok;
	check(ok, "RFC 3193 A.2.1 (%s): both gateways keep 'From Any-Addr, to My-IPAddr, UDP, src Any-Port, dst 1701'",
	      family == AF_INET6 ? "IPv6" : "IPv4");
}

static void test_section_42(int family)
{
	bool v6 = family == AF_INET6;
	const char *i = v6 ? I_V6 : I_V4, *r1 = v6 ? R1_V6 : R1_V4;
	const char *r2 = v6 ? R2_V6 : R2_V4, *v = v6 ? "IPv6" : "IPv4";
	struct names sym = {
		.addrs = v6 ? sym_v6 : sym_v4, .naddrs = ARRAY_SIZE(sym_v4),
		.ports = sym_ports, .nports = ARRAY_SIZE(sym_ports),
	};
	struct names sym_r2 = sym;
	/* Without an address change R-IPAddr is R-IPAddr1 (4.2.1). */
	static const struct v6map r_is_r1[] = { { "R-IPAddr,", "R-IPAddr1," } };
	struct filter set[FILTER_SET_MAX];
	int n;

	sym_r2.addrs = v6 ? sym_v6_r2 : sym_v4_r2;

	n = tunnel(set, FILTER_RESPONDER, family, NULL, 0, r1, NULL, 1701, false);
	check(same_lines(set, n, &sym, false, TABLE(s422_responder_before), NULL, 0),
	      "RFC 3193 4.2.2 responder before IKE phase 2 (%s)", v);
	n = tunnel(set, FILTER_INITIATOR, family, i, I_PORT, r1, NULL, 1701, false);
	check(same_lines(set, n, &sym, false, TABLE(s422_initiator), NULL, 0),
	      "RFC 3193 4.2.2 initiator (%s)", v);
	n = tunnel(set, FILTER_RESPONDER, family, i, I_PORT, r1, NULL, 1701, false);
	check(same_lines(set, n, &sym, false, TABLE(s422_responder_after), NULL, 0),
	      "RFC 3193 4.2.2 responder after IKE phase 2 (%s)", v);

	n = tunnel(set, FILTER_INITIATOR, family, i, I_PORT, r1, r2, 1701, false);
	check(same_lines(set, n, &sym, false, TABLE(s423_initiator), NULL, 0),
	      "RFC 3193 4.2.3 initiator after StopCCN Try-Another (%s)", v);
	n = tunnel(set, FILTER_RESPONDER, family, i, I_PORT, r1, r2, 1701, false);
	check(same_lines(set, n, &sym, false, TABLE(s423_responder), NULL, 0),
	      "RFC 3193 4.2.3 responder on R-IPAddr2, listening on R-IPAddr1 (%s)", v);

	n = tunnel(set, FILTER_INITIATOR, family, i, I_PORT, r1, r2, R_PORT, false);
	check(same_lines(set, n, &sym_r2, false, TABLE(s424_initiator), NULL, 0),
	      "RFC 3193 4.2.4 initiator, responder on a new address and port (%s)", v);
	n = tunnel(set, FILTER_RESPONDER, family, i, I_PORT, r1, r2, R_PORT, false);
	check(same_lines(set, n, &sym_r2, false, TABLE(s424_responder), NULL, 0),
	      "RFC 3193 4.2.4 responder on a new address and port (%s)", v);
	n = tunnel(set, FILTER_INITIATOR, family, i, I_PORT, r1, NULL, R_PORT, false);
	check(same_lines(set, n, &sym, false, TABLE(s424_initiator), r_is_r1, 1),
	      "RFC 3193 4.2.4 initiator, responder on a new port only (%s)", v);
	n = tunnel(set, FILTER_RESPONDER, family, i, I_PORT, r1, NULL, R_PORT, false);
	check(same_lines(set, n, &sym, false, TABLE(s424_responder), r_is_r1, 1),
	      "RFC 3193 4.2.4 responder on a new port only (%s)", v);

	n = tunnel(set, FILTER_INITIATOR, family, i, I_PORT, r1, NULL, 1701, true);
	check(same_lines(set, n, &sym, false, TABLE(s425_initiator), NULL, 0),
	      "RFC 3193 4.2.5 gateway initiator: the 4.2.2 lines and the Any-Addr listener last (%s)",
	      v);
	n = tunnel(set, FILTER_RESPONDER, family, i, I_PORT, r1, NULL, 1701, true);
	check(same_lines(set, n, &sym, false, TABLE(s422_responder_after), NULL, 0),
	      "RFC 3193 4.2.5 gateway responder: its R-IPAddr1 listener is the 4.2.5 line (%s)",
	      v);
}

static void test_rfc5619(int family)
{
	bool v6 = family == AF_INET6;
	const char *si = v6 ? "2001:db8::1" : "192.0.2.1";
	const char *sc = v6 ? "2001:db8::2" : "192.0.2.2";
	const char *v = v6 ? "A.2 (IPv6)" : "A.1 (IPv4)";
	struct names nm = { .addrs = v6 ? sxv6 : sxv4, .naddrs = ARRAY_SIZE(sxv4) };
	const struct v6map *map = v6 ? si_sc_v6 : NULL;
	size_t nmap = v6 ? 1 : 0;
	struct filter set[FILTER_SET_MAX];
	int n;

	n = base(set, FILTER_INITIATOR, family, si, sc, false);
	check(same_lines(set, n, &nm, true, TABLE(a1_si), map, nmap),
	      "RFC 5619 %s Softwire Initiator SPD and 3.5.4 SPD-S: every row, both directions", v);
	n = base(set, FILTER_RESPONDER, family, sc, NULL, false);
	check(same_lines(set, n, &nm, true, TABLE(a1_sc), map, nmap),
	      "RFC 5619 %s Softwire Concentrator SPD and 3.5.4 SPD-S: every row, both directions", v);
	n = base(set, FILTER_RESPONDER, family, sc, si, true);
	check(same_lines(set, n, &nm, true, TABLE(a1_sc_natt), map, nmap),
	      "RFC 5619 %s concentrator with a known peer and NAT-T: IKE on 500 and 4500", v);
	n = base(set, FILTER_INITIATOR, family, si, NULL, false);
	check(n == -EINVAL, "RFC 5619 %s: no initiator SPD without the concentrator's address", v);
}

/* Does every packet @a matches also match @b (same direction and protocol)? */
static bool covers(const struct filter *b, const struct filter *a)
{
	size_t len = a->family == AF_INET6 ? 16 : 4;

	return a->dir == b->dir && a->proto == b->proto &&
	       (b->src.any || (!a->src.any && !memcmp(&a->src.ip, &b->src.ip, len))) &&
	       (b->dst.any || (!a->dst.any && !memcmp(&a->dst.ip, &b->dst.ip, len))) &&
	       (b->sport.any || (!a->sport.any && a->sport.port == b->sport.port)) &&
	       (b->dport.any || (!a->dport.any && a->dport.port == b->dport.port));
}

/*
 * Priorities: BYPASS at FILTER_PRIO_BYPASS, the rest in the band; in each
 * direction never decreasing down the list ("listed from highest priority
 * to lowest priority"); a line wider than another has a larger value (the
 * narrower wins); and equal selectors have equal priorities in every set,
 * so that one policy serves them all.
 */
static bool priorities_ok(const struct filter *set, int n, const char *what)
{
	uint32_t last[3] = { 0, 0, 0 };
	bool ok = n > 0;
	int i, j;

	for (i = 0; i < n; i++) {
		const struct filter *f = &set[i];
		bool band = (f->priority & FILTER_PRIO_BAND_MASK) == FILTER_PRIO_BAND;

		if (f->action == FILTER_BYPASS ? f->priority != FILTER_PRIO_BYPASS : !band) {
			fprintf(stderr, "  %s: line %d: priority %#x\n", what, i + 1, f->priority);
			ok = false;
		}
		if (f->action != FILTER_BYPASS && f->priority < last[f->dir]) {
			fprintf(stderr, "  %s: line %d comes after a lower priority\n", what, i + 1);
			ok = false;
		}
		if (f->action != FILTER_BYPASS)
			last[f->dir] = f->priority;
		for (j = 0; j < n; j++)
			if (i != j && covers(&set[j], f) && !covers(f, &set[j]) &&
			    set[j].priority <= f->priority) {
				fprintf(stderr, "  %s: line %d is wider than line %d but not after it\n",
					what, j + 1, i + 1);
				ok = false;
			}
	}
	return ok;
}

static void test_priorities(void)
{
	struct filter set[FILTER_SET_MAX], other[FILTER_SET_MAX];
	bool ok = true;
	int n, m, i, j, same;

	n = base(set, FILTER_INITIATOR, AF_INET, I_V4, R1_V4, true);
	ok = priorities_ok(set, n, "SI base") && ok;
	n = base(set, FILTER_RESPONDER, AF_INET6, R1_V6, NULL, true);
	ok = priorities_ok(set, n, "SC base") && ok;
	n = tunnel(set, FILTER_INITIATOR, AF_INET, I_V4, I_PORT, R1_V4, R2_V4, R_PORT, true);
	ok = priorities_ok(set, n, "4.2.4+4.2.5 initiator") && ok;
	n = tunnel(set, FILTER_RESPONDER, AF_INET6, I_V6, I_PORT, R1_V6, R2_V6, R_PORT, true);
	ok = priorities_ok(set, n, "4.2.4 responder") && ok;
	check(ok, "priorities: BYPASS 0x4c32, the rest in 0x4c32xxxx, narrower lines first");

	/* The documented values: 16 per Any-Addr, 4 per Any-Port. */
	n = tunnel(set, FILTER_INITIATOR, AF_INET, I_V4, I_PORT, R1_V4, NULL, 1701, true);
	check(n == 4 && set[0].priority == 0x4c320080 && set[1].priority == 0x4c320080 &&
	      set[2].priority == 0x4c320084 && set[3].priority == 0x4c320094,
	      "priorities: host-to-host 0x4c320080, one Any-Port 0x4c320084, Any-Addr and Any-Port 0x4c320094");

	/* The responder's listener is one policy in the base and tunnel sets. */
	n = base(set, FILTER_RESPONDER, AF_INET, R1_V4, NULL, false);
	m = tunnel(other, FILTER_RESPONDER, AF_INET, I_V4, I_PORT, R1_V4, NULL, R_PORT, false);
	ok = n > 0 && m > 0;
	same = 0;
	for (i = 0; ok && i < m; i++)
		for (j = 0; j < n; j++)
			if (covers(&set[j], &other[i]) && covers(&other[i], &set[j])) {
				same++;
				if (set[j].priority != other[i].priority)
					ok = false;
			}
	/* Not vacuous: the listener line is in both sets. */
	if (!same)
		fprintf(stderr, "  no selector in both the base and tunnel sets\n");
	check(ok && same > 0,
	      "priorities: an equal selector has an equal priority in the base and tunnel sets");
}

static void test_every_line_protect_esp_transport(void)
{
	struct filter set[FILTER_SET_MAX];
	bool ok = true;
	int n, i;

	n = tunnel(set, FILTER_INITIATOR, AF_INET, I_V4, I_PORT, R1_V4, R2_V4, R_PORT, true);
	for (i = 0; i < n; i++)
		ok = ok && set[i].action == FILTER_PROTECT && set[i].sa_proto == IPPROTO_ESP &&
		     set[i].sa_transport && set[i].reqid == 0 && set[i].proto == IPPROTO_UDP &&
		     set[i].family == AF_INET;
	check(ok && n == 6,
	      "RFC 3193 4.2: every per-tunnel line is UDP, PROTECT(ESP, transport), any reqid");
}

static void test_bad_input(void)
{
	struct filter set[FILTER_SET_MAX];
	struct filter_tunnel t = {
		.role = FILTER_INITIATOR, .family = AF_INET,
		.i_addr = addr(AF_INET, I_V4), .i_port = 1701,
		.r_addr1 = ip(AF_INET, R1_V4), .r_addr2 = { .any = true },
		.r_port = 1701,
	};
	struct filter_base b = {
		.role = FILTER_RESPONDER, .family = AF_INET,
		.local = ip(AF_INET, R1_V4), .remote = { .any = true },
	};
	struct filter_tunnel bad;
	struct filter_base badb;

	check(filter_tunnel_set(&t, set, 2) == -ENOSPC &&
	      filter_base_set(&b, set, 5) == -ENOSPC,
	      "a set longer than the room given is -ENOSPC");
	bad = t;
	bad.i_addr.any = true;
	check(filter_tunnel_set(&bad, set, FILTER_SET_MAX) == -EINVAL,
	      "initiator without I-IPAddr refused");
	bad = t;
	bad.i_port = 0;
	check(filter_tunnel_set(&bad, set, FILTER_SET_MAX) == -EINVAL,
	      "I-IPAddr without I-Port refused");
	bad = t;
	bad.r_port = 0;
	check(filter_tunnel_set(&bad, set, FILTER_SET_MAX) == -EINVAL,
	      "R-Port 0 refused");
	bad = t;
	bad.family = AF_UNIX;
	badb = b;
	badb.family = 0;
	check(filter_tunnel_set(&bad, set, FILTER_SET_MAX) == -EINVAL &&
	      filter_base_set(&badb, set, FILTER_SET_MAX) == -EINVAL,
	      "a family other than IPv4 and IPv6 refused");
	bad = t;
	bad.role = 7;
	badb = b;
	badb.role = 7;
	check(filter_tunnel_set(&bad, set, FILTER_SET_MAX) == -EINVAL &&
	      filter_base_set(&badb, set, FILTER_SET_MAX) == -EINVAL,
	      "an unknown role refused");
}

int main(void)
{
	test_appendix_a(AF_INET);
	test_appendix_a(AF_INET6);
	test_a21(AF_INET);
	test_a21(AF_INET6);
	test_section_42(AF_INET);
	test_section_42(AF_INET6);
	test_rfc5619(AF_INET);
	test_rfc5619(AF_INET6);
	test_priorities();
	test_every_line_protect_esp_transport();
	test_bad_input();
	return harness_exit();
}
