// SPDX-License-Identifier: GPL-2.0
/*
 * agent/policy/reconcile.c: from L2TP tunnel, SA and binding dumps to the plan of
 * automatic binding.
 */

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "harness.h"
#include "kernel/violation.h"
#include "policy/reconcile.h"
#include "policy/spd.h"

#include <linux/xfrm.h>

#define OURS RECONCILE_OWNER
#define LOCAL "192.0.2.1"
#define PEER "198.51.100.2"
#define PEER2 "198.51.100.3"

static struct endpoint ep(const char *addr, uint16_t port)
{
	struct endpoint e;

	memset(&e, 0, sizeof(e));
	e.family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	inet_pton(e.family, addr, &e.addr);
	e.port = port;
	return e;
}

static struct l2tp_tunnel tunnel(uint32_t id, uint8_t version, const char *local,
				 uint16_t lport, const char *peer, uint16_t pport)
{
	struct l2tp_tunnel t;

	memset(&t, 0, sizeof(t));
	t.tunnel_id = id;
	t.version = version;
	t.encap = L2TP_ENCAPTYPE_UDP;
	t.local = ep(local, lport);
	t.peer = ep(peer, pport);
	return t;
}

static struct xsa esp(const char *src, const char *dst, uint32_t spi,
		      uint32_t reqid)
{
	struct xsa sa;

	memset(&sa, 0, sizeof(sa));
	sa.family = strchr(src, ':') ? AF_INET6 : AF_INET;
	inet_pton(sa.family, src, &sa.saddr);
	inet_pton(sa.family, dst, &sa.daddr);
	sa.spi = spi;
	sa.reqid = reqid;
	sa.proto = IPPROTO_ESP;
	sa.mode = XFRM_MODE_TRANSPORT;
	return sa;
}

/* The module saw @spi carrying @t's packets (an UNBOUND_NTF). */
static struct sighting seen(const struct l2tp_tunnel *t, uint32_t spi,
			    uint32_t reqid, uint64_t ms)
{
	struct sighting s;

	memset(&s, 0, sizeof(s));
	s.local = t->local;
	s.peer = t->peer;
	s.spi = spi;
	s.reqid = reqid;
	s.seen_ms = ms;
	return s;
}

static struct binding bound(const struct l2tp_tunnel *t, uint32_t reqid,
			    uint32_t owner)
{
	struct binding b;

	reconcile_tunnel_key(t, &b);
	b.reqid = reqid;
	b.l2tp_version = t->version;
	if (t->version == 2)
		b.v2_tunnel_id = (uint16_t)t->tunnel_id;
	b.owner = owner;
	b.id = 1;
	return b;
}

/* " out 192.0.2.1:1701>198.51.100.2:1701 p4c320040 r1" */
static size_t pol_str(const struct xpolicy *p, char *buf, size_t len)
{
	char s[ENDPOINT_STRLEN], d[ENDPOINT_STRLEN];

	addr_port_str(p->family, &p->saddr, p->sport, s, sizeof(s));
	addr_port_str(p->family, &p->daddr, p->dport, d, sizeof(d));
	return (size_t)snprintf(buf, len, " %s %s>%s p%x r%u",
				p->dir == XFRM_POLICY_OUT ? "out" : "in", s, d,
				p->priority, p->ntmpl ? p->tmpl[0].reqid : 0);
}

/* The plan as text: "op tunnel [reqid R] [spi S] [encap A:B] [vV] [idI] [oO]; ..." */
static const char *plan_str(const struct rc_input *in)
{
	static char buf[2048];
	struct vec plan = { NULL, 0, 0 };
	const struct rc_action *a;
	size_t i, n = 0;

	buf[0] = '\0';
	if (reconcile(in, &plan))
		return "ENOMEM";
	a = plan.v;
	for (i = 0; i < plan.n; i++) {
		n += snprintf(buf + n, sizeof(buf) - n, "%s%s %u", i ? "; " : "",
			      rc_op_name(a[i].op), a[i].tunnel_id);
		if (a[i].op == RC_BIND)
			n += snprintf(buf + n, sizeof(buf) - n,
				      " reqid %u spi %u encap %u:%u v%u id%u o%x",
				      a[i].b.reqid, a[i].b.spi, a[i].b.encap_sport,
				      a[i].b.encap_dport, a[i].b.l2tp_version,
				      a[i].b.v2_tunnel_id, a[i].b.owner);
		if (a[i].op == RC_DEL_SA)
			n += snprintf(buf + n, sizeof(buf) - n, " spi %x",
				      a[i].sa.spi);
		if (a[i].probe)
			n += snprintf(buf + n, sizeof(buf) - n, " probe");
		if (a[i].op == RC_ADD_FILTER || a[i].op == RC_DEL_FILTER)
			n += pol_str(&a[i].pol, buf + n, sizeof(buf) - n);
		if (n >= sizeof(buf))
			return "too long";
	}
	vec_free(&plan);
	return buf;
}

/* Does the plan's first action unbind with @resight? */
static bool plan_resight(const struct rc_input *in)
{
	struct vec plan = { NULL, 0, 0 };
	const struct rc_action *a;
	bool ret;

	if (reconcile(in, &plan))
		return false;
	a = plan.v;
	ret = plan.n && a[0].op == RC_UNBIND && a[0].resight;
	vec_free(&plan);
	return ret;
}

static const uint16_t ports_1701[] = { 1701 };

/* The namespace judges port 1701, as by default. */
#define INPUT(t, s, b) (struct rc_input){ \
	.tunnels = (t), .ntunnels = ARRAY_SIZE(t), \
	.sas = (s), .nsas = ARRAY_SIZE(s), \
	.bindings = (b), .nbindings = ARRAY_SIZE(b), .owner = OURS, \
	.ports = ports_1701, .nports = 1 }

#define SEEN(in, v) ((in).sightings = (v), (in).nsightings = ARRAY_SIZE(v))

static void binds(void)
{
	struct l2tp_tunnel t[] = { tunnel(5, 2, LOCAL, 1701, PEER, 1701) };
	struct xsa s[] = {
		esp(LOCAL, PEER, 0x102, 1),	/* outbound: not the one */
		esp(PEER, LOCAL, 0x101, 1),
	};
	struct xsa tun_mode[] = { esp(PEER, LOCAL, 0x101, 1) };
	struct xsa ah[] = { esp(PEER, LOCAL, 0x101, 1) };
	struct xsa larval[] = { esp(PEER, LOCAL, 0, 1) };
	struct xsa other[] = { esp(PEER2, LOCAL, 0x101, 1) };
	struct xsa nat[] = { esp(PEER, LOCAL, 0x101, 9) };
	struct xsa noreq[] = { esp(PEER, LOCAL, 0x101, 0) };
	struct sighting v[] = { seen(&t[0], 0x101, 1, 1) };
	struct binding none[1];
	struct rc_input in = INPUT(t, s, none);

	in.nbindings = 0;
	check(same_str(plan_str(&in), "not seen 5"),
	      "reconcile: an inbound SA that nothing saw carrying the tunnel: not bound");
	SEEN(in, v);
	check(same_str(plan_str(&in), "bind 5 reqid 1 spi 0 encap 0:0 v2 id5 o4c324147"),
	      "reconcile: v2 tunnel with the inbound SA seen carrying it: bind, reqid, version, v2 tunnel ID, owner");
	v[0].spi = 0x102;
	check(same_str(plan_str(&in), "not seen 5"),
	      "reconcile: a sighting of the outbound SA's SPI is no evidence");
	v[0].spi = 0x101;
	v[0].peer.port = 1702;
	check(same_str(plan_str(&in), "not seen 5"),
	      "reconcile: a sighting of another 4-tuple is no evidence for this one");
	v[0].peer.port = 1701;

	tun_mode[0].mode = XFRM_MODE_TUNNEL;
	in.sas = tun_mode;
	in.nsas = 1;
	check(same_str(plan_str(&in), "no SA 5"),
	      "reconcile: a tunnel-mode SA does not protect the tunnel: no SA");
	ah[0].proto = IPPROTO_AH;
	in.sas = ah;
	in.nsas = 1;
	check(same_str(plan_str(&in), "no SA 5"), "reconcile: an AH SA does not either");
	in.sas = larval;
	in.nsas = 1;
	check(same_str(plan_str(&in), "no SA 5"), "reconcile: nor a larval SA (SPI 0)");
	in.sas = other;
	in.nsas = 1;
	check(same_str(plan_str(&in), "no SA 5"),
	      "reconcile: nor an SA from another peer");
	in.nsas = 0;
	check(same_str(plan_str(&in), "no SA 5"), "reconcile: no SA at all: no SA, no binding");

	nat[0].has_encap = true;
	nat[0].encap_type = 2;
	nat[0].encap_sport = 4501;
	nat[0].encap_dport = 4500;
	in.sas = nat;
	in.nsas = 1;
	check(same_str(plan_str(&in), "not seen 5"),
	      "reconcile: a sighting whose reqid is not the SA's names another SA (its SPI reused)");
	v[0].reqid = 9;
	check(same_str(plan_str(&in), "bind 5 reqid 9 spi 0 encap 4501:4500 v2 id5 o4c324147"),
	      "reconcile: NAT-T SA: its encapsulation ports pinned");
	in.sas = noreq;
	v[0].reqid = 0;
	check(same_str(plan_str(&in), "bind 5 reqid 0 spi 257 encap 0:0 v2 id5 o4c324147"),
	      "reconcile: SA without reqid: its SPI pinned");
}

/*
 * Two SAs with one SPI: the kernel keeps them apart by mark or interface
 * ID, which a sighting does not name. The NAT-T ports seen decide, in
 * either dump order; where they do not, nothing is bound.
 */
static void same_spi(void)
{
	struct l2tp_tunnel t[] = { tunnel(5, 2, LOCAL, 1701, PEER, 1701) };
	struct xsa s[2] = { esp(PEER, LOCAL, 0x101, 1), esp(PEER, LOCAL, 0x101, 1) };
	struct sighting v[] = { seen(&t[0], 0x101, 1, 1) };
	struct binding none[1];
	struct rc_input in = INPUT(t, s, none);
	struct xsa tmp;
	int order;

	in.nbindings = 0;
	SEEN(in, v);
	s[0].has_encap = true;
	s[0].encap_type = 2;
	s[0].encap_sport = 4500;
	s[0].encap_dport = 4500;
	s[1].mark_v = s[1].mark_m = 1;
	v[0].has_encap = true;
	v[0].encap_sport = v[0].encap_dport = 4500;
	for (order = 0; order < 2; order++) {
		check(same_str(plan_str(&in), "bind 5 reqid 1 spi 0 encap 4500:4500 v2 id5 o4c324147"),
		      order ? "reconcile: one SPI, two SAs, reversed dump: the same one bound"
			    : "reconcile: one SPI, two SAs: the one with the NAT-T ports seen bound");
		tmp = s[0];
		s[0] = s[1];
		s[1] = tmp;
	}
	v[0].encap_sport = 4501;
	for (order = 0; order < 2; order++) {
		check(same_str(plan_str(&in), "ambiguous 5"),
		      order ? "reconcile: ... reversed dump: ambiguous too"
			    : "reconcile: one SPI, two SAs, neither with the ports seen: ambiguous, not bound");
		tmp = s[0];
		s[0] = s[1];
		s[1] = tmp;
	}
}

static void skips(void)
{
	struct l2tp_tunnel t[] = {
		tunnel(1, 3, LOCAL, 1701, PEER, 1701),
		tunnel(2, 2, LOCAL, 1701, PEER, 0),	/* unconnected */
		tunnel(3, 3, LOCAL, 0, PEER, 0),	/* IP encapsulation */
	};
	struct xsa s[] = { esp(PEER, LOCAL, 0x101, 1) };
	struct binding b[] = { bound(&t[0], 0, 0) };
	struct sighting v[1];
	struct rc_input in = INPUT(t, s, b);

	t[2].encap = L2TP_ENCAPTYPE_IP;
	check(same_str(plan_str(&in), ""),
	      "reconcile: a binding without owner keeps its tunnel; unconnected and IP tunnels ignored");
	b[0].owner = 7;
	check(same_str(plan_str(&in), ""), "reconcile: another owner's binding is never touched");
	t[0].tunnel_id = 99;	/* its tunnel replaced: another 4-tuple */
	t[0].peer.port = 1702;
	v[0] = seen(&t[0], 0x101, 1, 1);
	SEEN(in, v);
	check(same_str(plan_str(&in), "bind 99 reqid 1 spi 0 encap 0:0 v3 id0 o4c324147"),
	      "reconcile: another owner's stale binding is kept, new tunnel bound");
}

static void keeps_and_tears_down(void)
{
	struct l2tp_tunnel t[] = { tunnel(5, 2, LOCAL, 1701, PEER, 1701) };
	struct xsa s[] = { esp(PEER, LOCAL, 0x101, 1), esp(LOCAL, PEER, 0x102, 1) };
	struct xsa rekeyed[] = { esp(PEER, LOCAL, 0x201, 1) };
	struct xsa other_reqid[] = { esp(PEER, LOCAL, 0x301, 2) };
	struct xsa nat[] = { esp(PEER, LOCAL, 0x101, 1), esp(PEER, LOCAL, 0x111, 1) };
	struct sighting v[] = { seen(&t[0], 0x101, 1, 1) };
	struct binding b[] = { bound(&t[0], 1, OURS) };
	struct rc_input in = INPUT(t, s, b);

	check(same_str(plan_str(&in), ""), "reconcile: our binding, its SA there: nothing to do");
	in.sas = rekeyed;
	in.nsas = 1;
	check(same_str(plan_str(&in), ""),
	      "reconcile: rekey, new SPI with the same reqid: nothing to do");
	in.sas = other_reqid;
	check(same_str(plan_str(&in), "delete tunnel 5; unbind 5"),
	      "reconcile: the SA of our binding replaced by another reqid only: tunnel torn down, unbound");
	in.nsas = 0;
	check(same_str(plan_str(&in), "delete tunnel 5; unbind 5"),
	      "reconcile: the SAs of our binding gone: tunnel torn down, unbound");

	/* NAT-T: bound with the ports 4500:4500; the mapping moves to 1024. */
	b[0].encap_sport = 4500;
	b[0].encap_dport = 4500;
	nat[0].has_encap = nat[1].has_encap = true;
	nat[0].encap_sport = 1024;
	nat[1].encap_sport = 4501;	/* another client behind the NAT */
	nat[0].encap_dport = nat[1].encap_dport = 4500;
	in.sas = nat;
	in.nsas = 2;
	check(same_str(plan_str(&in), "unbind 5"),
	      "reconcile: NAT mapping changed, two SAs of its reqid, none seen: unbound until seen");
	check(plan_resight(&in), "reconcile: ... and the unbind says why (resight)");
	SEEN(in, v);
	check(same_str(plan_str(&in), "unbind 5; bind 5 reqid 1 spi 0 encap 1024:4500 v2 id5 o4c324147"),
	      "reconcile: NAT mapping changed: the SA seen (by SPI) followed to its new port");
	nat[0].encap_sport = 4500;
	check(same_str(plan_str(&in), ""),
	      "reconcile: NAT-T binding, its SA's ports unchanged: nothing to do");
	v[0].spi = 0x111;
	nat[0].encap_sport = 1024;
	check(same_str(plan_str(&in), "unbind 5; bind 5 reqid 1 spi 0 encap 4501:4500 v2 id5 o4c324147"),
	      "reconcile: ... the other SA seen carrying the tunnel: that one");

	/* Bound by reqid alone; an SA of the same reqid with NAT-T ports appears. */
	b[0] = bound(&t[0], 1, OURS);
	nat[0] = esp(PEER, LOCAL, 0x101, 1);
	v[0].spi = 0x101;
	check(same_str(plan_str(&in), "unbind 5; bind 5 reqid 1 spi 257 encap 0:0 v2 id5 o4c324147"),
	      "reconcile: another SA passes our reqid pin: the SPI seen pinned too");
	in.nsightings = 0;
	check(same_str(plan_str(&in), ""),
	      "reconcile: ... none seen: left as it is (nothing tells which)");
	/* SPI-pinned, rekeyed: the new SPI is not seen yet. */
	b[0].spi = 0x101;
	nat[0].spi = 0x201;
	check(same_str(plan_str(&in), "unbind 5") && plan_resight(&in),
	      "reconcile: SPI-pinned binding rekeyed, new SPI not seen: unbound until seen");
}

static void stale(void)
{
	struct l2tp_tunnel gone = tunnel(5, 2, LOCAL, 1701, PEER, 1701);
	struct l2tp_tunnel t[] = { tunnel(6, 3, LOCAL, 1702, PEER2, 1702) };
	struct xsa s[] = {
		esp(PEER, LOCAL, 0x101, 1), esp(LOCAL, PEER, 0x102, 1),
		esp(PEER2, LOCAL, 0x201, 2), esp(LOCAL, PEER2, 0x202, 2),
	};
	struct binding b[] = { bound(&gone, 1, OURS), bound(&t[0], 2, OURS) };
	struct rc_input in = INPUT(t, s, b);

	check(same_str(plan_str(&in), "unbind 0; delete SA 0 spi 101; delete SA 0 spi 102"),
	      "reconcile: our binding's tunnel gone: unbound, its SA pair deleted, others kept");
	t[0] = tunnel(6, 3, LOCAL, 1702, PEER, 1702);
	b[1] = bound(&t[0], 1, OURS);
	check(same_str(plan_str(&in), "unbind 0"),
	      "reconcile: tunnel gone, but another tunnel uses the address pair: SAs kept");
	b[0].owner = 0;
	check(same_str(plan_str(&in), ""),
	      "reconcile: a stale binding of no owner is never touched");
	in.ntunnels = 0;
	b[0].owner = OURS;
	check(same_str(plan_str(&in),
			"unbind 0; delete SA 0 spi 101; delete SA 0 spi 102; unbind 0"),
	      "reconcile: two stale bindings of one address pair: each SA deleted once");
}

static void ipv6_and_state(void)
{
	struct l2tp_tunnel t[] = {
		tunnel(8, 3, "2001:db8::1", 1701, "2001:db8::2", 1701),
		tunnel(9, 3, "2001:db8::1", 1702, "2001:db8::3", 1702),
		tunnel(10, 3, "2001:db8::1", 1703, "2001:db8::4", 1703),
	};
	struct xsa s[] = {
		esp("2001:db8::2", "2001:db8::1", 0x601, 6),
		esp("2001:db8::3", "2001:db8::1", 0x701, 7),
	};
	struct binding b[] = { bound(&t[0], 6, OURS) };
	struct sighting v[] = { seen(&t[1], 0x701, 7, 1) };
	struct rc_input in = INPUT(t, s, b);
	const struct binding *pb;
	const struct xsa *psa;
	enum rc_state st;

	SEEN(in, v);
	check(same_str(plan_str(&in), "bind 9 reqid 7 spi 0 encap 0:0 v3 id0 o4c324147; no SA 10"),
	      "reconcile: IPv6 tunnels: bound one kept, one bound, one without SA");
	st = reconcile_tunnel_state(&t[0], &in, &pb, &psa);
	check(st == RC_STATE_BOUND && pb == &b[0] && psa == &s[0],
	      "state: bound, with its binding and SA");
	st = reconcile_tunnel_state(&t[1], &in, &pb, &psa);
	check(st == RC_STATE_UNBOUND && !pb && psa == &s[1], "state: unbound, with its SA");
	st = reconcile_tunnel_state(&t[2], &in, &pb, &psa);
	check(st == RC_STATE_NO_SA && !pb && !psa &&
	      same_str(rc_state_names[st], "no-sa"), "state: no-sa");
}

/* Many tunnels, each with its SA pair: the sorted lookups find each one. */
static void many(void)
{
	enum { N = 3000 };
	struct l2tp_tunnel *t = calloc(N, sizeof(*t));
	struct xsa *s = calloc(2 * N, sizeof(*s));
	struct binding *b = calloc(N, sizeof(*b));
	struct sighting *v = calloc(N, sizeof(*v));
	struct vec plan = { NULL, 0, 0 };
	struct rc_input in;
	const struct rc_action *a;
	char peer[INET_ADDRSTRLEN];
	size_t i, binds = 0, ok = 0;

	if (!t || !s || !b || !v)
		abort();
	for (i = 0; i < N; i++) {
		snprintf(peer, sizeof(peer), "10.%zu.%zu.1", i / 256, i % 256);
		t[N - 1 - i] = tunnel((uint32_t)i + 1, 2, LOCAL, 1701, peer, 1701);
		s[2 * i] = esp(peer, LOCAL, 0x1000 + 2 * (uint32_t)i, (uint32_t)i + 1);
		s[2 * i + 1] = esp(LOCAL, peer, 0x1001 + 2 * (uint32_t)i, (uint32_t)i + 1);
		v[i] = seen(&t[N - 1 - i], 0x1000 + 2 * (uint32_t)i, (uint32_t)i + 1, i);
	}
	in = (struct rc_input){ .tunnels = t, .ntunnels = N, .sas = s,
				.nsas = 2 * N, .bindings = b, .owner = OURS,
				.sightings = v, .nsightings = N };
	if (reconcile(&in, &plan))
		abort();
	a = plan.v;
	for (i = 0; i < plan.n; i++) {
		if (a[i].op != RC_BIND)
			continue;
		binds++;
		/* tunnel i + 1 has the SAs of reqid i + 1 */
		ok += a[i].b.reqid == a[i].tunnel_id;
		b[i] = a[i].b;
	}
	check(plan.n == N && binds == N && ok == N,
	      "reconcile: %d tunnels, none bound: each bound to its own SA", N);
	vec_free(&plan);
	in.nbindings = N;
	if (reconcile(&in, &plan))
		abort();
	check(plan.n == 0, "reconcile: %d tunnels, all bound: nothing to do", N);
	vec_free(&plan);
	free(t);
	free(s);
	free(b);
	free(v);
}

#define OUT_F " out 192.0.2.1:1701>198.51.100.2:1701 p4c320040 r1"
#define IN_F " in 198.51.100.2:1701>192.0.2.1:1701 p4c320040 r1"

/* Per-tunnel filters planned, kept, removed; nothing else of the SPD. */
static void filters(void)
{
	struct l2tp_tunnel t[] = { tunnel(5, 2, LOCAL, 1701, PEER, 1701) };
	struct xsa s[] = { esp(PEER, LOCAL, 0x101, 1), esp(LOCAL, PEER, 0x102, 1) };
	struct xsa s2[] = { esp(PEER, LOCAL, 0x101, 1), esp(LOCAL, PEER, 0x102, 2) };
	struct binding b[] = { bound(&t[0], 1, OURS) };
	struct sighting v[] = { seen(&t[0], 0x101, 1, 1) };
	struct xpolicy pol[RC_TUNNEL_FILTERS_MAX + 3], base[FILTER_SET_MAX];
	struct filter set[FILTER_SET_MAX];
	struct filter_base fb;
	struct rc_input in = INPUT(t, s, b);
	int n, m, i;

	in.filters = true;
	in.role = FILTER_RESPONDER;
	in.nbindings = 0;
	SEEN(in, v);
	check(same_str(plan_str(&in),
			"bind 5 reqid 1 spi 0 encap 0:0 v2 id5 o4c324147; add filter 5"
			OUT_F "; add filter 5" IN_F),
	      "filters: a new bound tunnel (responder): bind, then its two 4-tuple filters, reqid pinned");
	in.sas = s2;
	check(same_str(plan_str(&in),
			"bind 5 reqid 1 spi 0 encap 0:0 v2 id5 o4c324147; add filter 5"
			" out 192.0.2.1:1701>198.51.100.2:1701 p4c320040 r2; add filter 5" IN_F),
	      "filters: outbound pinned to the outbound SA's reqid");
	in.sas = s;

	in.role = FILTER_INITIATOR;
	check(same_str(plan_str(&in),
			"bind 5 reqid 1 spi 0 encap 0:0 v2 id5 o4c324147; add filter 5"
			OUT_F "; add filter 5" IN_F "; add filter 5"
			" in 198.51.100.2:0>192.0.2.1:1701 p4c320044 r1"),
	      "filters: initiator: its Any-Port inbound line too (RFC 3193 4.2.2)");
	in.role = FILTER_RESPONDER;

	/* The SPD after the install, with the base set and a foreign policy. */
	n = reconcile_tunnel_filters(&t[0], FILTER_RESPONDER, 1, 1, pol,
				     RC_TUNNEL_FILTERS_MAX);
	memset(&fb, 0, sizeof(fb));
	fb.role = FILTER_RESPONDER;
	fb.family = AF_INET;
	inet_pton(AF_INET, LOCAL, &fb.local);
	fb.remote.any = true;
	m = filter_base_set(&fb, set, FILTER_SET_MAX);
	for (i = 0; i < m; i++)
		spd_from_filter(&set[i], &base[i]);
	check(n == 2 && m > 0 && spd_ours_tunnel(&pol[0]) &&
	      !spd_ours_tunnel(&base[m - 1]) && spd_ours(&base[m - 1]),
	      "filters: tunnel sub-band tells them from the base set");
	pol[n] = base[m - 1];			/* the listener, Any-Addr */
	pol[n + 1] = pol[0];			/* someone else's, same shape */
	pol[n + 1].sport = 1702;
	pol[n + 1].priority = 100;
	in.policies = pol;
	in.npolicies = (size_t)n + 2;
	in.nbindings = 1;
	check(same_str(plan_str(&in), ""),
	      "filters: restart, filters in place: nothing to do, base and foreign untouched");
	check(reconcile_filter_of(&pol[0], &t[0]) && reconcile_filter_of(&pol[1], &t[0]) &&
	      !reconcile_filter_of(&pol[n], &t[0]) && !reconcile_filter_of(&pol[n + 1], &t[0]),
	      "filters: reconcile_filter_of() knows a tunnel's own");

	pol[1].tmpl[0].reqid = 7;
	check(same_str(plan_str(&in), "add filter 5" IN_F),
	      "filters: ours with another reqid: installed again");
	pol[1].tmpl[0].reqid = 1;

	in.ntunnels = 0;
	check(same_str(plan_str(&in), "delete filter 0" OUT_F "; delete filter 0" IN_F
			"; unbind 0; delete SA 0 spi 101; delete SA 0 spi 102"),
	      "filters: tunnel gone: its filters removed with its binding and SAs, nothing else");
	in.ntunnels = 1;

	pol[0].priority = 100;			/* a foreign policy holds it */
	pol[0].tmpl[0].reqid = 0;
	check(same_str(plan_str(&in), ""),
	      "filters: a selector held by someone else is left alone");
	pol[0] = base[m - 1];			/* base held, tunnel missing */
	check(same_str(plan_str(&in), "add filter 5" OUT_F),
	      "filters: a missing one installed, the base set left alone");

	b[0].owner = 7;
	in.npolicies = 0;
	check(same_str(plan_str(&in), ""),
	      "filters: a tunnel bound by someone else gets none");
}

/* RFC 3193 4.2.2 Inbound-1: a responder keeps taking new tunnels. */
static void listeners(void)
{
	struct l2tp_tunnel t[] = { tunnel(5, 2, LOCAL, 1701, PEER, 1701) };
	struct xsa s[] = { esp(PEER, LOCAL, 0x101, 1), esp(LOCAL, PEER, 0x102, 1) };
	struct endpoint want[] = { ep(LOCAL, 1701) };
	struct binding b[2];
	struct rc_input in;

	b[0] = bound(&t[0], 1, OURS);
	memset(&b[1], 0, sizeof(b[1]));
	b[1].local = ep(LOCAL, 1701);
	b[1].peer.family = AF_UNSPEC;
	b[1].owner = OURS;
	in = INPUT(t, s, b);
	in.listeners = want;
	in.nlisteners = ARRAY_SIZE(want);

	in.nbindings = 1;
	check(same_str(plan_str(&in), "bind 0 reqid 0 spi 0 encap 0:0 v0 id0 o4c324147"),
	      "reconcile: a responder's endpoint without a listener gets one of ours, unpinned");
	in.nbindings = 2;
	check(same_str(plan_str(&in), ""),
	      "reconcile: our listener there: nothing to do, no SA touched");
	b[1].owner = 0;
	check(same_str(plan_str(&in), ""),
	      "reconcile: an operator's listener serves as well: none of ours added");
	b[1].owner = OURS;
	in.nlisteners = 0;
	check(same_str(plan_str(&in), "unbind 0"),
	      "reconcile: our listener that no endpoint wants goes, its SAs stay");
	b[1].owner = 7;
	check(same_str(plan_str(&in), ""),
	      "reconcile: another owner's listener is never touched");
}

/* Tunnels on ports nothing else makes the module judge get a probe. */
static void probes(void)
{
	struct l2tp_tunnel t[] = {
		tunnel(5, 3, LOCAL, 1702, PEER, 1702),
		tunnel(6, 3, LOCAL, 1702, PEER2, 1702),
	};
	struct xsa s[] = { esp(PEER, LOCAL, 0x101, 1), esp(PEER2, LOCAL, 0x201, 2) };
	struct sighting v[] = { seen(&t[0], 0x101, 1, 1) };
	struct binding b[3];
	struct rc_input in;

	memset(b, 0, sizeof(b));
	in = INPUT(t, s, b);
	in.nbindings = 0;
	check(same_str(plan_str(&in), "not seen 5; not seen 6; bind 0 reqid 0 spi 0 encap 0:0 v0 id0 o4c324147 probe"),
	      "probes: two tunnels not seen on an unjudged port: one probe listener on their endpoint");
	in.nports = 0;
	t[0].local.port = t[1].local.port = 1701;
	check(same_str(plan_str(&in), "not seen 5; not seen 6; bind 0 reqid 0 spi 0 encap 0:0 v0 id0 o4c324147 probe"),
	      "probes: ... also on 1701 when the namespace judges no port");
	in.nports = 1;
	check(same_str(plan_str(&in), "not seen 5; not seen 6"),
	      "probes: none on a port of the namespace (1701)");
	t[0].local.port = t[1].local.port = 1702;

	/* The probe there; tunnel 5 seen: bound; the probe stays for 6. */
	b[0].local = ep(LOCAL, 1702);
	b[0].peer.family = AF_UNSPEC;
	b[0].owner = OURS;
	in.nbindings = 1;
	SEEN(in, v);
	check(same_str(plan_str(&in), "bind 5 reqid 1 spi 0 encap 0:0 v3 id0 o4c324147; not seen 6"),
	      "probes: one tunnel seen through the probe: bound, the probe stays for the other");
	b[1] = bound(&t[0], 1, OURS);
	in.ntunnels = 1;
	in.nbindings = 2;
	check(same_str(plan_str(&in), "unbind 0"),
	      "probes: no tunnel waits there: the probe goes, the binding stays");
	in.nbindings = 1;
	b[0].owner = 0;
	in.nsightings = 0;
	check(same_str(plan_str(&in), "not seen 5"),
	      "probes: an operator's listener there serves as the probe");
}

/* Permutation @k (0 <= k < n!) of @src[0..n) into @dst. */
static void permute(const struct xsa *src, struct xsa *dst, size_t n, size_t k)
{
	bool used[8] = { false };
	size_t i, j, f, pick;

	for (i = 0; i < n; i++) {
		for (f = 1, j = 2; j < n - i; j++)
			f *= j;
		pick = k / f;
		k %= f;
		for (j = 0; j < n; j++) {
			if (used[j])
				continue;
			if (!pick--)
				break;
		}
		used[j] = true;
		dst[i] = src[j];
	}
}

/*
 * Two SAs with the tunnel's addresses (two clients behind one NAT, or a
 * peer holding a second SA): the sightings decide, in every order of the
 * SA dump (an agent that took the first of the dump bound the foreign one
 * whenever the kernel listed it first).
 */
static void two_sas_every_order(void)
{
	struct l2tp_tunnel t[] = { tunnel(5, 2, LOCAL, 1701, PEER, 1701) };
	const struct xsa sas[4] = {
		esp(PEER, LOCAL, 0x1001, 1), esp(LOCAL, PEER, 0x1002, 1),
		esp(PEER, LOCAL, 0x9001, 9), esp(LOCAL, PEER, 0x9002, 9),
	};
	struct xsa twins[4] = {
		esp(PEER, LOCAL, 0x1001, 1), esp(LOCAL, PEER, 0x1002, 1),
		esp(PEER, LOCAL, 0x2001, 1), esp(LOCAL, PEER, 0x2002, 1),
	};
	struct sighting own[] = { seen(&t[0], 0x1001, 1, 5) };
	struct sighting foreign[] = { seen(&t[0], 0x9001, 9, 5) };
	struct sighting both[] = { seen(&t[0], 0x1001, 1, 5), seen(&t[0], 0x9001, 9, 6) };
	struct sighting rekey[] = { seen(&t[0], 0x1001, 1, 5), seen(&t[0], 0x1011, 1, 6) };
	struct xsa perm[5];
	struct binding b[] = { bound(&t[0], 1, OURS) };
	struct rc_input in = INPUT(t, perm, b);
	size_t k, good[8] = { 0 };
	int i;

	for (i = 0; i < 4; i++) {
		twins[i].has_encap = true;
		twins[i].encap_sport = i < 2 ? 4500 : 4501;
		twins[i].encap_dport = 4500;
	}
	for (k = 0; k < 24; k++) {
		permute(sas, perm, 4, k);
		in.nsas = 4;
		in.nbindings = 0;
		SEEN(in, own);
		good[0] += same_str(plan_str(&in), "bind 5 reqid 1 spi 0 encap 0:0 v2 id5 o4c324147");
		SEEN(in, foreign);
		good[1] += same_str(plan_str(&in), "bind 5 reqid 9 spi 0 encap 0:0 v2 id5 o4c324147");
		SEEN(in, both);
		good[2] += same_str(plan_str(&in), "ambiguous 5");
		both[0].seen_ms = 7;	/* the other order of sightings */
		good[2] += same_str(plan_str(&in), "ambiguous 5");
		both[0].seen_ms = 5;
		in.nsightings = 0;
		good[3] += same_str(plan_str(&in), "not seen 5");
		/* A rekey: the old SPI and the new one seen, both reqid 1. */
		perm[4] = esp(PEER, LOCAL, 0x1011, 1);
		in.nsas = 5;
		SEEN(in, rekey);
		good[4] += same_str(plan_str(&in), "bind 5 reqid 1 spi 0 encap 0:0 v2 id5 o4c324147");
		/* Teardown: only the tunnel's own SAs go (reqid 1, both ways). */
		in.nsas = 4;
		in.nbindings = 1;
		in.ntunnels = 0;
		good[5] += same_str(plan_str(&in),
				    "unbind 0; delete SA 0 spi 1001; delete SA 0 spi 1002");
		in.ntunnels = 1;

		/* NAT twins sharing reqid 1, told apart by their NAT-T ports. */
		permute(twins, perm, 4, k);
		in.nbindings = 0;
		SEEN(in, own);
		good[6] += same_str(plan_str(&in), "bind 5 reqid 1 spi 0 encap 4500:4500 v2 id5 o4c324147");
		for (i = 0; i < 4; i++)
			perm[i].has_encap = perm[i].spi >= 0x2000;
		/* Ours without NAT-T ports: only its SPI tells it from the twin. */
		good[7] += same_str(plan_str(&in), "bind 5 reqid 1 spi 4097 encap 0:0 v2 id5 o4c324147");
	}
	check(good[0] == 24, "two SAs, own seen: own bound in all 24 dump orders (%zu)", good[0]);
	check(good[1] == 24, "two SAs, the other seen: that one bound in all 24 orders (%zu)", good[1]);
	check(good[2] == 48, "two SAs, both seen: not bound, in all 24 x 2 orders (%zu)", good[2]);
	check(good[3] == 24, "two SAs, none seen: not bound in all 24 orders (%zu)", good[3]);
	check(good[4] == 24, "rekey: old and new SPI of one reqid seen: bound by reqid (%zu)", good[4]);
	check(good[5] == 24, "teardown deletes the tunnel's own SA pair only (%zu)", good[5]);
	check(good[6] == 24, "NAT twins with one reqid: reqid and NAT-T ports pinned (%zu)", good[6]);
	check(good[7] == 24, "one reqid, only the twin has NAT-T: the SPI seen pinned (%zu)", good[7]);
}

/* Each bind's steering: "tunnel:mMARK:pPEER_TID ..." */
static const char *steer_str(const struct rc_input *in)
{
	static char buf[256];
	struct vec plan = { NULL, 0, 0 };
	const struct rc_action *a;
	size_t i, n = 0;

	buf[0] = '\0';
	if (reconcile(in, &plan))
		return "ENOMEM";
	a = plan.v;
	for (i = 0; i < plan.n && n < sizeof(buf); i++)
		if (a[i].op == RC_BIND)
			n += snprintf(buf + n, sizeof(buf) - n, "%s%u:m%x:p%u",
				      n ? " " : "", a[i].tunnel_id, a[i].b.out_mark,
				      a[i].b.v2_peer_tunnel_id);
	vec_free(&plan);
	return buf;
}

/* A client's SA pair behind the NAT: marked as strongSwan's %unique. */
static void client_sas(struct xsa *sa, uint32_t spi, uint32_t reqid,
		       uint16_t nat_port, bool marked)
{
	sa[0] = esp(PEER, LOCAL, spi, reqid);
	sa[1] = esp(LOCAL, PEER, spi + 1, reqid);
	sa[0].has_encap = sa[1].has_encap = true;
	sa[0].encap_sport = sa[1].encap_dport = nat_port;
	sa[0].encap_dport = sa[1].encap_sport = 4500;
	if (!marked)
		return;
	sa[0].set_mark = reqid;
	sa[1].mark_v = reqid;
	sa[1].mark_m = 0xffffffff;
}

static struct sighting seen_tid(const struct l2tp_tunnel *t, uint32_t spi,
				uint32_t reqid, uint16_t nat_port, uint16_t tid,
				uint64_t ms)
{
	struct sighting s = seen(t, spi, reqid, ms);

	s.has_encap = true;
	s.encap_sport = nat_port;
	s.encap_dport = 4500;
	s.has_tid = true;
	s.tid = tid;
	return s;
}

/*
 * Twin tunnels: two clients behind one NAT, tunnels 5 and 6 of one 4-tuple
 * (NAT:1701 -> LNS:1701), each with its own CHILD_SA (reqids 1 and 2,
 * marks 1 and 2, NAT ports 4500 and 4501). The header's tunnel ID in each
 * sighting says which tunnel an SA carried; in every order of the SA
 * dump, of the tunnel dump and of the sightings.
 */
static void twins_every_order(void)
{
	struct l2tp_tunnel tt[2] = {
		tunnel(5, 2, LOCAL, 1701, PEER, 1701),
		tunnel(6, 2, LOCAL, 1701, PEER, 1701),
	}, t[2];
	struct xsa sas[4], perm[4];
	struct sighting ss[2], sccrq[2], cross[2], sv[2];
	struct binding bb[2], b[2];
	struct rc_input in = INPUT(t, perm, b);
	size_t k, o, good[10] = { 0 };
	int pass;

	tt[0].peer_tunnel_id = 50;
	tt[1].peer_tunnel_id = 60;
	for (pass = 0; pass < 2; pass++) {
		client_sas(&sas[0], 0x1000, 1, 4500, !pass);
		client_sas(&sas[2], 0x2000, pass ? 1 : 2, 4501, !pass);
		ss[0] = seen_tid(&tt[0], 0x1000, 1, 4500, 5, 10);
		ss[1] = seen_tid(&tt[1], 0x2000, pass ? 1 : 2, 4501, 6, 11);
		sccrq[0] = seen_tid(&tt[0], 0x1000, 1, 4500, 0, 10);
		sccrq[1] = seen_tid(&tt[1], 0x2000, pass ? 1 : 2, 4501, 0, 11);
		cross[0] = seen_tid(&tt[0], 0x1000, 1, 4500, 5, 10);
		cross[1] = seen_tid(&tt[0], 0x2000, pass ? 1 : 2, 4501, 5, 11);
		for (k = 0; k < 24 * 4; k++) {
			permute(sas, perm, 4, k % 24);
			o = k / 24;
			t[0] = tt[o & 1];
			t[1] = tt[!(o & 1)];
			sv[0] = ss[(o >> 1) & 1];
			sv[1] = ss[!((o >> 1) & 1)];
			in.nbindings = 0;
			SEEN(in, sv);
			if (!pass) {
				good[0] += same_str(plan_str(&in), (o & 1) ?
					"bind 6 reqid 2 spi 0 encap 4501:4500 v2 id6 o4c324147; bind 5 reqid 1 spi 0 encap 4500:4500 v2 id5 o4c324147" :
					"bind 5 reqid 1 spi 0 encap 4500:4500 v2 id5 o4c324147; bind 6 reqid 2 spi 0 encap 4501:4500 v2 id6 o4c324147");
				good[1] += same_str(steer_str(&in), (o & 1) ?
					"6:m2:p60 5:m1:p50" : "5:m1:p50 6:m2:p60");
			} else {
				/* No marks: one reqid, the NAT ports tell them apart. */
				good[0] += same_str(plan_str(&in), (o & 1) ?
					"bind 6 reqid 1 spi 0 encap 4501:4500 v2 id6 o4c324147; bind 5 reqid 1 spi 0 encap 4500:4500 v2 id5 o4c324147" :
					"bind 5 reqid 1 spi 0 encap 4500:4500 v2 id5 o4c324147; bind 6 reqid 1 spi 0 encap 4501:4500 v2 id6 o4c324147");
				good[1] += same_str(steer_str(&in), (o & 1) ?
					"6:m0:p0 5:m0:p0" : "5:m0:p0 6:m0:p0");
			}
			/* SCCRQs name no tunnel: nothing tells the twins apart. */
			SEEN(in, sccrq);
			good[2] += same_str(plan_str(&in), (o & 1) ?
					    "not seen 6; not seen 5" : "not seen 5; not seen 6");
			/* Both SAs seen with tunnel 5's ID: 5 is not bound; 6 not seen. */
			SEEN(in, cross);
			good[3] += same_str(plan_str(&in), (o & 1) ?
					    "not seen 6; ambiguous 5" : "ambiguous 5; not seen 6");
			/* 5 bound with its steering: kept; 6 bound beside it. */
			bb[0] = bound(&tt[0], 1, OURS);
			bb[0].encap_sport = 4500;
			bb[0].encap_dport = 4500;
			if (!pass) {
				bb[0].out_mark = 1;
				bb[0].v2_peer_tunnel_id = 50;
			}
			b[0] = bb[0];
			in.nbindings = 1;
			SEEN(in, sv);
			good[4] += same_str(plan_str(&in),
					    pass ? "bind 6 reqid 1 spi 0 encap 4501:4500 v2 id6 o4c324147" :
					    "bind 6 reqid 2 spi 0 encap 4501:4500 v2 id6 o4c324147");
			/* Both bound: nothing to do. */
			bb[1] = bound(&tt[1], pass ? 1 : 2, OURS);
			bb[1].encap_sport = 4501;
			bb[1].encap_dport = 4500;
			if (!pass) {
				bb[1].out_mark = 2;
				bb[1].v2_peer_tunnel_id = 60;
			}
			b[0] = bb[o & 1];
			b[1] = bb[!(o & 1)];
			b[1].id = 2;
			in.nbindings = 2;
			good[5] += same_str(plan_str(&in), "");
			/* Client B leaves: its tunnel and its SAs only go. */
			t[0] = tt[0];
			in.ntunnels = 1;
			good[6] += same_str(plan_str(&in),
					    "unbind 0; delete SA 0 spi 2000; delete SA 0 spi 2001");
			/* Client A leaves instead. */
			t[0] = tt[1];
			good[7] += same_str(plan_str(&in),
					    "unbind 0; delete SA 0 spi 1000; delete SA 0 spi 1001");
			in.ntunnels = 2;
			t[0] = tt[o & 1];
			/* Without steering on 5: re-made with it (marks only). */
			b[o & 1].out_mark = 0;
			b[o & 1].v2_peer_tunnel_id = 0;
			good[8] += same_str(plan_str(&in), pass ? "" :
					    "unbind 5; bind 5 reqid 1 spi 0 encap 4500:4500 v2 id5 o4c324147");
			good[9] += !pass || same_str(steer_str(&in), "");
		}
	}
	check(good[0] == 192, "twins: each tunnel bound to the SA seen with its ID, every order (%zu)", good[0]);
	check(good[1] == 192, "twins: each binding steers with its own CHILD_SA's mark and peer tunnel ID (%zu)", good[1]);
	check(good[2] == 192, "twins: SCCRQ sightings (ID 0) bind neither (%zu)", good[2]);
	check(good[3] == 192, "twins: two SAs seen with one tunnel's ID: that one not bound (%zu)", good[3]);
	check(good[4] == 192, "twins: one bound, the other bound beside it (%zu)", good[4]);
	check(good[5] == 192, "twins: both bound: nothing to do (%zu)", good[5]);
	check(good[6] == 192, "twins: B's teardown removes B's binding and SA pair only (%zu)", good[6]);
	check(good[7] == 192, "twins: A's teardown removes A's binding and SA pair only (%zu)", good[7]);
	check(good[8] == 192, "twins: a binding without its steering is re-made with it (%zu)", good[8]);
	check(good[9] == 192, "twins: without marks no binding steers outbound (%zu)", good[9]);
}

/* sighting.c: dedupe, SAs gone, age, bound tuples kept, order. */
static void sightings(void)
{
	struct l2tp_tunnel t[] = {
		tunnel(5, 2, LOCAL, 1701, PEER, 1701),
		tunnel(6, 2, LOCAL, 1701, PEER2, 1701),
	};
	struct xsa s[] = { esp(PEER, LOCAL, 0x101, 1), esp(PEER2, LOCAL, 0x201, 2) };
	struct binding b[] = { bound(&t[1], 2, OURS) };
	struct vec tab = { NULL, 0, 0 };
	struct sighting x[] = {
		seen(&t[0], 0x101, 1, 10), seen(&t[0], 0x101, 1, 20),
		seen(&t[0], 0x999, 1, 20),	/* its SA gone */
		seen(&t[1], 0x201, 2, 1),	/* old, but its tuple bound */
	};
	const struct sighting *v;
	struct violation ev;
	struct sighting one;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(x); i++)
		if (sightings_add(&tab, &x[i]))
			abort();
	sightings_prune(&tab, 1 + SIGHTING_TTL_MS, s, 2, b, 1, OURS);
	v = tab.v;
	check(tab.n == 2 && v[0].spi == 0x101 && v[0].seen_ms == 20 && v[1].spi == 0x201,
	      "sightings: one per SA, the latest; gone SAs dropped; a bound tuple's kept past the TTL");
	sightings_prune(&tab, 21 + SIGHTING_TTL_MS, s, 2, b, 1, OURS);
	check(tab.n == 1 && ((const struct sighting *)tab.v)[0].spi == 0x201,
	      "sightings: an unbound tuple's forgotten after the TTL");
	sightings_prune(&tab, 21 + SIGHTING_TTL_MS, s, 2, b, 0, OURS);
	check(tab.n == 0, "sightings: ... and a bound one's once its binding is gone");
	vec_free(&tab);

	memset(&ev, 0, sizeof(ev));
	ev.unbound = true;
	ev.src = t[0].peer;
	ev.dst = t[0].local;
	check(!sighting_from_event(&ev, 1, &one), "sightings: cleartext names no SA: none");
	ev.has_spi = ev.has_reqid = true;
	ev.spi = 0x101;
	ev.reqid = 1;
	check(sighting_from_event(&ev, 1, &one) && one.spi == 0x101 && one.reqid == 1 &&
	      endpoint_equal(&one.local, &t[0].local) && endpoint_equal(&one.peer, &t[0].peer),
	      "sightings: an event's SPI, reqid and 4-tuple (destination = local)");
	ev.src.port = 0;
	check(!sighting_from_event(&ev, 1, &one), "sightings: no source port: none");
}

int main(void)
{
	binds();
	same_spi();
	skips();
	keeps_and_tears_down();
	stale();
	ipv6_and_state();
	many();
	filters();
	listeners();
	two_sas_every_order();
	twins_every_order();
	sightings();
	probes();
	return harness_exit();
}
