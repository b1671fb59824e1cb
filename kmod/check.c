// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 3193 section 3.3: a packet of a tunnel that requires security must
 * have been decrypted by IPsec, by the SA that protects that tunnel, and
 * its addresses and ports must be the socket information the tunnel was set
 * up with. The 4-tuple is matched by the lookup; this file checks the
 * sec_path and the L2TP header against the binding found.
 */

#include <asm/unaligned.h>
#include <net/xfrm.h>

#include "check.h"
#include "pending.h"

#define L2TP_HDR_T	0x8000	/* control message */
#define L2TP_HDR_L	0x4000	/* length field present */
#define L2TP_HDR_S	0x0800	/* Ns and Nr present */
#define L2TP_HDR_O	0x0200	/* offset size present (v2 only) */
#define L2TP_HDR_VER	0x000f

/* The longest fixed L2TP header we look at: v2 with L, S and O. */
#define L2TP_HDR_MAX	14

static bool sa_usable(const struct xfrm_state *x, bool allow_ah)
{
	if (x->id.proto != IPPROTO_ESP &&
	    !(allow_ah && x->id.proto == IPPROTO_AH))
		return false;
	return x->props.mode == XFRM_MODE_TRANSPORT &&
	       READ_ONCE(x->km.state) == XFRM_STATE_VALID;
}

/* In transport mode the SA's addresses are the packet's own. */
static bool sa_addrs_match(const struct xfrm_state *x,
			   const struct l2tp_ipsec_key *key)
{
	return x->props.family == key->family &&
	       xfrm_addr_equal(&x->props.saddr, &key->paddr, key->family) &&
	       xfrm_addr_equal(&x->id.daddr, &key->laddr, key->family);
}

/*
 * Which connection a header names. RFC 3193 section 4.2.2 opens every
 * responder to new tunnels ("Inbound-1: From Any-Addr, to R-IPAddr1, UDP,
 * src Any-Port, dst 1701"): a listener binding. A new tunnel's first
 * message is an SCCRQ, sent before the peer knows the ID it will be given,
 * so with ID 0 in the header: L2TPv2 tunnel ID 0 (RFC 2661 section 3.1),
 * L2TPv3 control connection ID 0 (RFC 3931 sections 3.2.1, 5.4.3). Only a
 * listener takes ID 0. A listener's socket is also the one an L2TPv2
 * daemon reads its established tunnels' control messages from, dispatched
 * by the header's tunnel ID alone: a listener refuses the IDs that the
 * bindings of its endpoint pin, which only their own tunnels may use, and
 * those of tunnels being set up through another SA (pending.c).
 */
static enum l2tp_ipsec_reason check_id(struct l2tp_ipsec_net *ln,
				       const struct l2tp_ipsec_pkt *pkt,
				       const struct l2tp_ipsec_binding *b,
				       u32 id, bool v2)
{
	if (!l2tp_ipsec_is_listener(&b->key)) {
		if (!id)
			return L2TP_IPSEC_REASON_TUNNEL_ID;
		if (v2 && b->v2_tunnel_id && id != b->v2_tunnel_id)
			return L2TP_IPSEC_REASON_TUNNEL_ID;
		return L2TP_IPSEC_REASON_NONE;
	}
	/* No v3 connection ID is pinned: a listener takes any of them. */
	if (!v2 || !id)
		return L2TP_IPSEC_REASON_NONE;
	if (l2tp_ipsec_tunnel_id_owned(ln, &pkt->key, id))
		return L2TP_IPSEC_REASON_TUNNEL_ID;
	/* A tunnel being set up is its SA's, as a bound one its binding's. */
	if (l2tp_ipsec_pending_tid(ln, &pkt->key, id,
				   l2tp_ipsec_sa_set_mark(pkt->x)) ==
	    L2TP_IPSEC_PENDING_FOREIGN)
		return L2TP_IPSEC_REASON_TUNNEL_ID;
	return L2TP_IPSEC_REASON_NONE;
}

/* RFC 2661 section 3.1: the tunnel ID of a v2 header, if @len holds it. */
static bool v2_tunnel_id(const u8 *h, unsigned int len, u16 flags, u16 *tid)
{
	unsigned int need = 6;

	if (flags & L2TP_HDR_L)
		need += 2;
	if (flags & L2TP_HDR_S)
		need += 4;
	if (flags & L2TP_HDR_O)
		need += 2;
	if (len < need)
		return false;
	*tid = get_unaligned_be16(h + (flags & L2TP_HDR_L ? 4 : 2));
	return true;
}

/**
 * l2tp_ipsec_v2_tunnel_id - the tunnel ID an L2TPv2 packet is addressed to
 * @skb: the packet
 * @off: offset of its L2TP header
 * @len: bytes of UDP payload present
 * @tid: the tunnel ID, on success
 *
 * Return: true if the payload is an L2TPv2 header long enough for its flags.
 */
bool l2tp_ipsec_v2_tunnel_id(const struct sk_buff *skb, unsigned int off,
			     unsigned int len, u16 *tid)
{
	u8 buf[L2TP_HDR_MAX];
	const u8 *h;
	u16 flags;

	len = min_t(unsigned int, len, L2TP_HDR_MAX);
	if (len < 2)
		return false;
	h = skb_header_pointer(skb, off, len, buf);
	if (!h)
		return false;
	flags = get_unaligned_be16(h);
	return (flags & L2TP_HDR_VER) == 2 && v2_tunnel_id(h, len, flags, tid);
}

static enum l2tp_ipsec_reason check_header(struct l2tp_ipsec_net *ln,
					   const struct sk_buff *skb,
					   const struct l2tp_ipsec_pkt *pkt,
					   const struct l2tp_ipsec_binding *b)
{
	unsigned int len = min_t(unsigned int, pkt->l2tp_len, L2TP_HDR_MAX);
	u8 buf[L2TP_HDR_MAX];
	unsigned int ver;
	const u8 *h;
	u16 flags, tid;

	if (len < 2)
		return L2TP_IPSEC_REASON_MALFORMED;
	h = skb_header_pointer(skb, pkt->l2tp_off, len, buf);
	if (!h)
		return L2TP_IPSEC_REASON_MALFORMED;

	flags = get_unaligned_be16(h);
	ver = flags & L2TP_HDR_VER;
	if ((ver != 2 && ver != 3) || (b->version && ver != b->version))
		return L2TP_IPSEC_REASON_MALFORMED;

	if (ver == 3) {
		/* RFC 3931 section 4.1.2.1 (data), 3.2.1 (control) */
		if (!(flags & L2TP_HDR_T))
			return len < 8 ? L2TP_IPSEC_REASON_MALFORMED :
					 L2TP_IPSEC_REASON_NONE;
		if (len < 12)
			return L2TP_IPSEC_REASON_MALFORMED;
		return check_id(ln, pkt, b, get_unaligned_be32(h + 4), false);
	}

	if (!v2_tunnel_id(h, len, flags, &tid))
		return L2TP_IPSEC_REASON_MALFORMED;
	return check_id(ln, pkt, b, tid, true);
}

/**
 * l2tp_ipsec_check_bound - judge a packet that matched a binding
 * @ln: the namespace's state, whose tunnel ID index a listener reads
 * @skb: the packet
 * @pkt: what was read of it
 * @b: the binding its 4-tuple matched
 *
 * Context: RCU read side.
 * Return: L2TP_IPSEC_REASON_NONE if it passes, else the first failure.
 */
enum l2tp_ipsec_reason l2tp_ipsec_check_bound(struct l2tp_ipsec_net *ln,
					      const struct sk_buff *skb,
					      const struct l2tp_ipsec_pkt *pkt,
					      const struct l2tp_ipsec_binding *b)
{
	const struct xfrm_state *x = pkt->x;

	if (!x)
		return L2TP_IPSEC_REASON_CLEARTEXT;
	if (!sa_usable(x, b->allow_ah))
		return L2TP_IPSEC_REASON_PROTO_MODE;
	if (!l2tp_ipsec_pin_match(b, x))
		return L2TP_IPSEC_REASON_SA_MISMATCH;
	if (!sa_addrs_match(x, &pkt->key))
		return L2TP_IPSEC_REASON_ADDR_MISMATCH;
	return check_header(ln, skb, pkt, b);
}

/**
 * l2tp_ipsec_check_unbound - apply the namespace policy to unbound traffic
 * @pkt: what was read of the packet
 * @policy: enum l2tp_ipsec_policy
 *
 * Return: L2TP_IPSEC_REASON_NONE or L2TP_IPSEC_REASON_POLICY.
 */
enum l2tp_ipsec_reason l2tp_ipsec_check_unbound(const struct l2tp_ipsec_pkt *pkt,
						u8 policy)
{
	const struct xfrm_state *x = pkt->x;

	switch (policy) {
	case L2TP_IPSEC_POLICY_PASS:
		return L2TP_IPSEC_REASON_NONE;
	case L2TP_IPSEC_POLICY_REQUIRE_IPSEC:
		if (x && sa_usable(x, false) && sa_addrs_match(x, &pkt->key))
			return L2TP_IPSEC_REASON_NONE;
		return L2TP_IPSEC_REASON_POLICY;
	default:
		return L2TP_IPSEC_REASON_POLICY;
	}
}
