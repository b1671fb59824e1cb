// SPDX-License-Identifier: GPL-2.0
/*
 * LOCAL_IN hooks. After transport-mode ESP is removed (also ESP in UDP),
 * xfrm4/6_transport_finish re-inject the plain packet through PRE_ROUTING
 * and LOCAL_IN with its sec_path, and IPv4 fragments are reassembled by
 * now: the hook sees what the UDP socket will see, with the proof of
 * decryption on it. Every judged packet moves exactly one namespace
 * counter.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/udp.h>
#include <net/ipv6.h>

#include "check.h"
#include "event.h"
#include "hook.h"
#include "netns.h"
#include "pending.h"
#include "steer.h"

static const u8 reason_counter[] = {
	[L2TP_IPSEC_REASON_CLEARTEXT] = L2TP_IPSEC_CNT_DROPPED_CLEARTEXT,
	[L2TP_IPSEC_REASON_PROTO_MODE] = L2TP_IPSEC_CNT_DROPPED_PROTO_MODE,
	[L2TP_IPSEC_REASON_SA_MISMATCH] = L2TP_IPSEC_CNT_DROPPED_SA_MISMATCH,
	[L2TP_IPSEC_REASON_ADDR_MISMATCH] = L2TP_IPSEC_CNT_DROPPED_ADDR_MISMATCH,
	[L2TP_IPSEC_REASON_TUNNEL_ID] = L2TP_IPSEC_CNT_DROPPED_TUNNEL_ID,
	[L2TP_IPSEC_REASON_MALFORMED] = L2TP_IPSEC_CNT_DROPPED_MALFORMED,
	[L2TP_IPSEC_REASON_POLICY] = L2TP_IPSEC_CNT_DROPPED_POLICY,
};

static const struct xfrm_state *last_sa(const struct sk_buff *skb)
{
	const struct sec_path *sp = skb_sec_path(skb);

	return sp && sp->len ? sp->xvec[sp->len - 1] : NULL;
}

/*
 * A client behind the NAT of a bound tunnel sets up its own: its messages
 * have the twin's 4-tuple but an SA the twin's binding (every binding of a
 * shared 4-tuple, l2tp_ipsec_binding_match() tried them all) does not pin.
 * Its SCCRQ (tunnel ID 0), and its next messages to the tunnel ID the LNS
 * gave it through that SA, are judged by the endpoint's wider bindings
 * (a listener), as if no binding had the 4-tuple. Anything else stays
 * judged by the twin's binding: sa-mismatch.
 */
static bool setting_up(struct l2tp_ipsec_net *ln, const struct sk_buff *skb,
		       const struct l2tp_ipsec_pkt *pkt,
		       const struct l2tp_ipsec_binding *b)
{
	u16 tid;

	if (l2tp_ipsec_is_listener(&b->key) || !pkt->x ||
	    l2tp_ipsec_pin_match(b, pkt->x) ||
	    !l2tp_ipsec_v2_tunnel_id(skb, pkt->l2tp_off, pkt->l2tp_len, &tid))
		return false;
	return !tid ||
	       l2tp_ipsec_pending_tid(ln, &pkt->key, tid,
				      l2tp_ipsec_sa_set_mark(pkt->x)) ==
	       L2TP_IPSEC_PENDING_OURS;
}

static unsigned int judge(struct net *net, struct sk_buff *skb,
			  struct l2tp_ipsec_pkt *pkt, unsigned int thoff)
{
	struct l2tp_ipsec_net *ln = l2tp_ipsec_pernet(net);
	struct l2tp_ipsec_binding *b;
	enum l2tp_ipsec_reason reason;
	enum l2tp_ipsec_counter cnt;
	const struct udphdr *uh;
	struct udphdr _uh;
	unsigned int ulen;
	u8 mode;

	uh = skb_header_pointer(skb, thoff, sizeof(_uh), &_uh);
	if (!uh || !test_bit(ntohs(uh->dest), ln->watch))
		return NF_ACCEPT;

	pkt->key.lport = uh->dest;
	pkt->key.pport = uh->source;
	pkt->x = last_sa(skb);
	pkt->l2tp_off = thoff + sizeof(*uh);
	pkt->l2tp_len = skb->len - pkt->l2tp_off;
	ulen = ntohs(uh->len);
	/* 0 is an IPv6 jumbogram's length; otherwise it bounds the payload. */
	if (ulen)
		pkt->l2tp_len = ulen < sizeof(*uh) ? 0 :
				min(pkt->l2tp_len, ulen - (unsigned int)sizeof(*uh));

	b = l2tp_ipsec_binding_match(ln, &pkt->key, pkt->x);
	if (b && setting_up(ln, skb, pkt, b))
		b = l2tp_ipsec_binding_match_wild(ln, &pkt->key, pkt->x) ?: b;
	if (b) {
		reason = l2tp_ipsec_check_bound(ln, skb, pkt, b);
		mode = b->mode ?: READ_ONCE(ln->mode);
	} else {
		/* A bound socket's traffic from a peer no binding names. */
		if (l2tp_ipsec_endpoint_bound(ln, &pkt->key))
			reason = L2TP_IPSEC_REASON_ADDR_MISMATCH;
		else
			reason = l2tp_ipsec_check_unbound(pkt,
							  READ_ONCE(ln->policy));
		mode = READ_ONCE(ln->mode);
	}

	if (reason == L2TP_IPSEC_REASON_NONE) {
		cnt = b ? L2TP_IPSEC_CNT_ACCEPTED :
			  L2TP_IPSEC_CNT_ACCEPTED_UNBOUND;
	} else {
		cnt = mode == L2TP_IPSEC_MODE_AUDIT ? L2TP_IPSEC_CNT_AUDITED :
						      reason_counter[reason];
		l2tp_ipsec_event_violation(net, ln, skb, pkt, b, reason,
					   cnt == L2TP_IPSEC_CNT_AUDITED);
	}

	/* Tells an agent about tunnels that nobody announced. */
	if (!b || l2tp_ipsec_is_listener(&b->key))
		l2tp_ipsec_event_unbound(net, ln, skb, pkt, b, reason,
					 cnt == L2TP_IPSEC_CNT_AUDITED);

	l2tp_ipsec_count(ln, cnt);
	if (b)
		l2tp_ipsec_binding_count(b, cnt);

	if (reason == L2TP_IPSEC_REASON_NONE) {
		/* Its SA chose @b: to @b's socket, not to the lookup's twin. */
		if (b && b->steer)
			l2tp_ipsec_steer(ln, skb, b);
		/* A new tunnel's SCCRQ, which only a listener takes. */
		if (b && l2tp_ipsec_is_listener(&b->key))
			l2tp_ipsec_pending_learn(ln, skb, pkt);
		return NF_ACCEPT;
	}
	return cnt == L2TP_IPSEC_CNT_AUDITED ? NF_ACCEPT : NF_DROP;
}

static unsigned int l2tp_ipsec_in4(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct l2tp_ipsec_pkt pkt;

	/* Fragments are reassembled before LOCAL_IN; be safe anyway. */
	if (iph->protocol != IPPROTO_UDP || ip_is_fragment(iph))
		return NF_ACCEPT;

	memset(&pkt.key, 0, sizeof(pkt.key));
	pkt.key.family = AF_INET;
	pkt.key.laddr.a4 = iph->daddr;
	pkt.key.paddr.a4 = iph->saddr;
	return judge(state->net, skb, &pkt,
		     skb_network_offset(skb) + ip_hdrlen(skb));
}

static unsigned int l2tp_ipsec_in6(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct l2tp_ipsec_pkt pkt;
	u8 nexthdr = ip6h->nexthdr;
	__be16 frag_off;
	int thoff;

	thoff = ipv6_skip_exthdr(skb, skb_network_offset(skb) + sizeof(*ip6h),
				 &nexthdr, &frag_off);
	/*
	 * IPv6 reassembles after LOCAL_IN: judge the first fragment, which
	 * carries the UDP header; the others die with it if it is dropped.
	 */
	if (thoff < 0 || nexthdr != IPPROTO_UDP || (frag_off & htons(~0x7)))
		return NF_ACCEPT;

	memset(&pkt.key, 0, sizeof(pkt.key));
	pkt.key.family = AF_INET6;
	pkt.key.laddr.in6 = ip6h->daddr;
	pkt.key.paddr.in6 = ip6h->saddr;
	return judge(state->net, skb, &pkt, thoff);
}

/*
 * LOCAL_IN before the filter table, so every L2TP packet is judged and
 * counted; LOCAL_OUT after the mangle table, whose marks it leaves alone,
 * and before NAT and filter, which see the packet routed for its SA.
 */
const struct nf_hook_ops l2tp_ipsec_nf_ops[L2TP_IPSEC_NF_OPS_NUM] = {
	{
		.hook = l2tp_ipsec_in4,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP_PRI_FILTER - 10,
	},
	{
		.hook = l2tp_ipsec_in6,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP6_PRI_FILTER - 10,
	},
	{
		.hook = l2tp_ipsec_out4,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP_PRI_MANGLE + 10,
	},
	{
		.hook = l2tp_ipsec_out6,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP6_PRI_MANGLE + 10,
	},
};
