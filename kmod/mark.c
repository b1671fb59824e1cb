// SPDX-License-Identifier: GPL-2.0
/*
 * LOCAL_OUT: each tunnel's packets leave through its own client's SA.
 * Twin tunnels of one 4-tuple (clients behind one NAT) have one SPD
 * selector; an IKE daemon tells their SAs apart by marks (strongSwan's
 * mark_out=%unique), and a packet is routed and looked up in the SPD with
 * its mark. A binding's socket carries its SA's mark (steer.c); what an
 * L2TPv2 daemon sends from its unconnected listener socket (xl2tpd sends
 * every control message so) carries none, and is marked here by its
 * 4-tuple and the peer's tunnel ID in its header, then routed again as
 * the mangle table's MARK target would have it. A packet that already
 * has a mark is left alone, and one that no binding claims keeps none:
 * the SPD then holds or drops it, it does not leave in clear. Before any
 * binding names a tunnel, its answers get the mark of the SA its SCCRQ
 * came through (pending.c); a binding's mark comes first.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>

#include "check.h"
#include "hook.h"
#include "netns.h"
#include "pending.h"
#include "steer.h"

/*
 * Nothing to do for a packet that has a mark, or in a namespace that
 * marks nothing (most): no header is read for them.
 */
static bool nothing_to_mark(const struct sk_buff *skb, struct net *net)
{
	struct l2tp_ipsec_net *ln = l2tp_ipsec_pernet(net);

	return skb->mark || (!l2tp_ipsec_steer_marks_any(ln) &&
			     !l2tp_ipsec_pending_any(ln));
}

/* The mark @skb must get, 0 if none; @key has its addresses. */
static u32 wanted_mark(struct net *net, const struct sk_buff *skb,
		       struct l2tp_ipsec_key *key, unsigned int thoff)
{
	struct l2tp_ipsec_net *ln = l2tp_ipsec_pernet(net);
	unsigned int off = thoff + sizeof(struct udphdr), len;
	const struct udphdr *uh;
	struct udphdr _uh;
	u32 mark;
	u16 tid;

	uh = skb_header_pointer(skb, thoff, sizeof(_uh), &_uh);
	if (!uh || !test_bit(ntohs(uh->source), ln->watch))
		return 0;
	key->lport = uh->source;
	key->pport = uh->dest;
	len = skb->len - off;
	if (!l2tp_ipsec_v2_tunnel_id(skb, off, len, &tid))
		return 0;
	mark = l2tp_ipsec_steer_out_mark(ln, key, tid);
	if (mark)
		return mark;
	return l2tp_ipsec_pending_out_mark(ln, skb, key, off, len, tid);
}

/**
 * l2tp_ipsec_out4 - mark an IPv4 L2TPv2 packet for its tunnel's SA
 * @priv: unused
 * @skb: the packet, leaving
 * @state: its hook state
 *
 * Return: NF_ACCEPT, or NF_DROP if it cannot be routed with its mark.
 */
unsigned int l2tp_ipsec_out4(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct l2tp_ipsec_key key;
	int err;
	u32 mark;

	if (nothing_to_mark(skb, state->net) || iph->protocol != IPPROTO_UDP ||
	    ip_is_fragment(iph))
		return NF_ACCEPT;
	memset(&key, 0, sizeof(key));
	key.family = AF_INET;
	key.laddr.a4 = iph->saddr;
	key.paddr.a4 = iph->daddr;
	mark = wanted_mark(state->net, skb, &key,
			   skb_network_offset(skb) + ip_hdrlen(skb));
	if (!mark)
		return NF_ACCEPT;
	skb->mark = mark;
	err = ip_route_me_harder(state->net, state->sk, skb, RTN_UNSPEC);
	return err < 0 ? NF_DROP_ERR(err) : NF_ACCEPT;
}

/**
 * l2tp_ipsec_out6 - mark an IPv6 L2TPv2 packet for its tunnel's SA
 * @priv: unused
 * @skb: the packet, leaving
 * @state: its hook state
 *
 * Return: NF_ACCEPT, or NF_DROP if it cannot be routed with its mark.
 */
unsigned int l2tp_ipsec_out6(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct l2tp_ipsec_key key;
	u8 nexthdr = ip6h->nexthdr;
	__be16 frag_off;
	int thoff, err;
	u32 mark;

	if (nothing_to_mark(skb, state->net))
		return NF_ACCEPT;
	thoff = ipv6_skip_exthdr(skb, skb_network_offset(skb) + sizeof(*ip6h),
				 &nexthdr, &frag_off);
	if (thoff < 0 || nexthdr != IPPROTO_UDP || (frag_off & htons(~0x7)))
		return NF_ACCEPT;
	memset(&key, 0, sizeof(key));
	key.family = AF_INET6;
	key.laddr.in6 = ip6h->saddr;
	key.paddr.in6 = ip6h->daddr;
	mark = wanted_mark(state->net, skb, &key, thoff);
	if (!mark)
		return NF_ACCEPT;
	skb->mark = mark;
	err = ip6_route_me_harder(state->net, state->sk, skb);
	return err < 0 ? NF_DROP_ERR(err) : NF_ACCEPT;
}
