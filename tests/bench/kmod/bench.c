// SPDX-License-Identifier: GPL-2.0
/*
 * Micro benchmark of the per-packet check: the work of the LOCAL_IN hook
 * from the IPv4 header to the verdict (port bitmap, 4-tuple lookup with its
 * wildcard fallbacks, SA and header checks), run on prepared skbs by the
 * same kmod/binding.c and kmod/check.c the module uses. The counters and
 * events are left out: they are a per-CPU increment and, for violations,
 * rate-limited netlink.
 *
 * Each case is timed over @iters calls with ktime and the TSC, next to an
 * empty function called the same way (through a pointer, as netfilter
 * calls a hook), in @runs runs that interleave the cases: under TCG only
 * the ratio to the empty call means anything. Results
 * go to the kernel log, one line per case; the module stays loaded until
 * rmmod so that the runner reads them in order.
 */

#include <linux/ip.h>
#include <linux/module.h>
#include <linux/sort.h>
#include <linux/udp.h>
#include <linux/timex.h>
#include <net/xfrm.h>

#include "binding.h"
#include "check.h"
#include "steer.h"

static unsigned int bindings = 1000;
module_param(bindings, uint, 0444);
MODULE_PARM_DESC(bindings, "exact bindings beside the measured ones");
static unsigned int iters = 200000;
module_param(iters, uint, 0444);
MODULE_PARM_DESC(iters, "calls per timed run");
static unsigned int runs = 5;
module_param(runs, uint, 0444);
MODULE_PARM_DESC(runs, "timed runs per case; the median is reported");

#define LOCAL	0x0a010002	/* 10.1.0.2, the concentrator */
#define PEER	0x0a010001	/* 10.1.0.1, the exact binding's peer */
#define ANYPEER	0x0a010009	/* 10.1.0.9, a peer of the listener */
#define OTHER	0x0a010003	/* 10.1.0.3, an address no binding names */

/* Stands in for the namespace's ports; binding.c calls it on add/del. */
static DECLARE_BITMAP(watch, L2TP_IPSEC_NPORTS);

void l2tp_ipsec_watch_update(struct l2tp_ipsec_net *ln, u16 port)
{
	set_bit(port, watch);
}

struct bench_case {
	const char *name;
	__be32 saddr, daddr;
	u16 sport, dport;
	struct xfrm_state *x;
	struct sk_buff *skb;
};

typedef unsigned int (*judge_fn)(struct l2tp_ipsec_net *ln,
				 struct sk_buff *skb,
				 const struct xfrm_state *x);

/* What hook.c does before counting, minus the counters and events. */
static noinline unsigned int judge(struct l2tp_ipsec_net *ln,
				   struct sk_buff *skb,
				   const struct xfrm_state *x)
{
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int thoff = skb_network_offset(skb) + ip_hdrlen(skb);
	struct l2tp_ipsec_binding *b;
	struct l2tp_ipsec_pkt pkt;
	const struct udphdr *uh;
	struct udphdr _uh;

	if (iph->protocol != IPPROTO_UDP || ip_is_fragment(iph))
		return NF_ACCEPT;
	uh = skb_header_pointer(skb, thoff, sizeof(_uh), &_uh);
	if (!uh || !test_bit(ntohs(uh->dest), watch))
		return NF_ACCEPT;
	memset(&pkt.key, 0, sizeof(pkt.key));
	pkt.key.family = AF_INET;
	pkt.key.laddr.a4 = iph->daddr;
	pkt.key.paddr.a4 = iph->saddr;
	pkt.key.lport = uh->dest;
	pkt.key.pport = uh->source;
	pkt.x = x;
	pkt.l2tp_off = thoff + sizeof(*uh);
	pkt.l2tp_len = min_t(unsigned int, skb->len - pkt.l2tp_off,
			     ntohs(uh->len) - sizeof(*uh));

	b = l2tp_ipsec_binding_match(ln, &pkt.key, x);
	if (b)
		return l2tp_ipsec_check_bound(ln, skb, &pkt, b);
	if (l2tp_ipsec_endpoint_bound(ln, &pkt.key))
		return L2TP_IPSEC_REASON_ADDR_MISMATCH;
	return l2tp_ipsec_check_unbound(&pkt, L2TP_IPSEC_POLICY_PASS);
}

/* The floor: a call through a pointer that does nothing. */
static noinline unsigned int empty(struct l2tp_ipsec_net *ln,
				   struct sk_buff *skb,
				   const struct xfrm_state *x)
{
	barrier();
	return NF_ACCEPT;
}

static struct sk_buff *make_skb(const struct bench_case *c)
{
	struct sk_buff *skb = alloc_skb(128, GFP_KERNEL);
	struct udphdr *uh;
	struct iphdr *iph;
	u8 *l2tp;

	if (!skb)
		return NULL;
	skb_reserve(skb, 32);
	skb_reset_network_header(skb);
	iph = skb_put_zero(skb, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = IPPROTO_UDP;
	iph->saddr = c->saddr;
	iph->daddr = c->daddr;
	uh = skb_put_zero(skb, sizeof(*uh));
	uh->source = htons(c->sport);
	uh->dest = htons(c->dport);
	uh->len = htons(sizeof(*uh) + 64);
	iph->tot_len = htons(sizeof(*iph) + sizeof(*uh) + 64);
	/* L2TPv3 data header, session 0x1000, then payload. */
	l2tp = skb_put_zero(skb, 64);
	l2tp[1] = 3;
	l2tp[6] = 0x10;
	return skb;
}

static struct xfrm_state *make_sa(__be32 saddr, __be32 daddr, u32 reqid)
{
	struct xfrm_state *x = kzalloc(sizeof(*x), GFP_KERNEL);

	if (!x)
		return NULL;
	x->id.proto = IPPROTO_ESP;
	x->id.daddr.a4 = daddr;
	x->props.saddr.a4 = saddr;
	x->props.family = AF_INET;
	x->props.mode = XFRM_MODE_TRANSPORT;
	x->props.reqid = reqid;
	x->km.state = XFRM_STATE_VALID;
	return x;
}

static int add(struct l2tp_ipsec_net *ln, __be32 peer, u16 pport, u16 lport,
	       u32 reqid)
{
	struct l2tp_ipsec_binding b = {};

	b.key.family = AF_INET;
	b.key.laddr.a4 = htonl(LOCAL);
	b.key.paddr.a4 = peer;
	b.key.lport = htons(lport);
	b.key.pport = htons(pport);
	b.reqid = reqid;
	return l2tp_ipsec_binding_add(ln, &b, NULL, NULL);
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 median(u64 *v, unsigned int n)
{
	sort(v, n, sizeof(u64), cmp_u64, NULL);
	return v[n / 2];
}

/* One timed run of @iters calls: ns*100 and TSC ticks*100 per call. */
static void time_run(struct l2tp_ipsec_net *ln, judge_fn fn,
		     const struct bench_case *c, u64 *ns100, u64 *tsc100)
{
	u64 t0, c0;
	unsigned int i;

	local_bh_disable();
	rcu_read_lock();
	t0 = ktime_get_ns();
	c0 = get_cycles();
	for (i = 0; i < iters; i++)
		fn(ln, c->skb, c->x);
	*tsc100 = (get_cycles() - c0) * 100 / iters;
	*ns100 = (ktime_get_ns() - t0) * 100 / iters;
	rcu_read_unlock();
	local_bh_enable();
	cond_resched();
}

#define NCASES	5
#define MAXRUNS	16

/*
 * Runs interleave the cases (empty, exact, ..., empty, exact, ...), so a
 * slow moment of a shared host falls on all of them; each case's ratio to
 * the empty call is taken within a run, then the median over runs.
 */
static void time_all(struct l2tp_ipsec_net *ln, struct bench_case *cases,
		     bool report)
{
	/* Only module init runs this: static keeps the stack small. */
	static u64 ns[NCASES][MAXRUNS], tsc[NCASES][MAXRUNS];
	static u64 ratio[NCASES][MAXRUNS];
	unsigned int r, i, n = clamp(runs, 1U, (unsigned int)MAXRUNS);

	for (r = 0; r < n; r++)
		for (i = 0; i < NCASES; i++)
			time_run(ln, i ? judge : empty, &cases[i], &ns[i][r],
				 &tsc[i][r]);
	for (r = 0; r < n; r++)
		for (i = 0; i < NCASES; i++)
			ratio[i][r] = ns[i][r] * 100 / max(ns[0][r], 1ULL);
	for (i = 0; report && i < NCASES; i++) {
		judge_fn fn = i ? judge : empty;
		u64 n100 = median(ns[i], n), t100 = median(tsc[i], n);
		u64 r100 = median(ratio[i], n);
		unsigned int verdict;

		/* The lookup is an RCU reader, as in the hook. */
		rcu_read_lock();
		verdict = fn(ln, cases[i].skb, cases[i].x);
		rcu_read_unlock();
		pr_info("case=%s bindings=%u iters=%u verdict=%u ns=%llu.%02llu tsc=%llu.%02llu ratio=%llu.%02llu\n",
			cases[i].name, bindings + 2, iters, verdict,
			n100 / 100, n100 % 100, t100 / 100, t100 % 100,
			r100 / 100, r100 % 100);
	}
}

static int __init bench_init(void)
{
	struct bench_case cases[NCASES] = {
		{ "empty", htonl(PEER), htonl(LOCAL), 1701, 1701 },
		{ "exact", htonl(PEER), htonl(LOCAL), 1701, 1701 },
		{ "wildcard", htonl(ANYPEER), htonl(LOCAL), 40000, 1702 },
		{ "miss", htonl(PEER), htonl(OTHER), 1701, 1701 },
		{ "cleartext", htonl(PEER), htonl(LOCAL), 1701, 1701 },
	};
	struct l2tp_ipsec_net *ln;
	unsigned int i;
	int err;

	ln = kzalloc(sizeof(*ln), GFP_KERNEL);
	if (!ln)
		return -ENOMEM;
	mutex_init(&ln->lock);
	ln->max_bindings = UINT_MAX;
	err = l2tp_ipsec_binding_cache_init();
	if (err)
		goto free_ln;
	err = l2tp_ipsec_steer_init(ln);
	if (err)
		goto destroy_cache;
	err = l2tp_ipsec_bindings_init(ln);
	if (err)
		goto destroy_steer;

	/* The measured tunnel, a listener for the wildcard case, the crowd. */
	err = add(ln, htonl(PEER), 1701, 1701, 1) ?:
	      add(ln, 0, 0, 1702, 0);
	for (i = 0; !err && i < bindings; i++) {
		err = add(ln, htonl(0xac100000 + i), 1701, 1701, 1000 + i);
		if (!(i % 1024))
			cond_resched();
	}
	if (err)
		goto destroy;

	cases[1].x = make_sa(htonl(PEER), htonl(LOCAL), 1);
	cases[2].x = make_sa(htonl(ANYPEER), htonl(LOCAL), 7);
	cases[3].x = cases[1].x;
	cases[0].x = cases[1].x;
	err = -ENOMEM;
	if (!cases[1].x || !cases[2].x)
		goto free_cases;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		cases[i].skb = make_skb(&cases[i]);
		if (!cases[i].skb)
			goto free_cases;
	}

	/* Let the table finish growing: a lookup during a resize walks both. */
	flush_work(&ln->bindings.run_work);
	time_all(ln, cases, false);	/* warm up */
	time_all(ln, cases, true);

	/* What a binding costs by layout, whatever slab merging shows. */
	pr_info("sizeof binding=%zu\n", sizeof(struct l2tp_ipsec_binding));
	err = 0;

free_cases:
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		kfree_skb(cases[i].skb);
	kfree(cases[1].x);
	kfree(cases[2].x);
destroy:
	l2tp_ipsec_bindings_destroy(ln);
destroy_steer:
	l2tp_ipsec_steer_destroy(ln);
destroy_cache:
	l2tp_ipsec_binding_cache_destroy();
free_ln:
	kfree(ln);
	return err;
}

static void __exit bench_exit(void)
{
}

module_init(bench_init);
module_exit(bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("l2tp_ipsec: micro benchmark of the packet check");
