// SPDX-License-Identifier: GPL-2.0
/*
 * Tunnels being set up. An L2TPv2 LNS such as xl2tpd makes its kernel
 * tunnel, and so an agent its binding, only once the SCCCN arrives; until
 * then the LNS answers from its unconnected listener socket, unmarked. With
 * twin clients behind one NAT each client's SAs are told apart by marks
 * (strongSwan's mark_in = mark_out = %unique, set_mark_in=%same): an
 * unmarked SCCRP finds no SA and is held, and the set-up deadlocks.
 *
 * So the namespace remembers, for each SCCRQ a listener accepted, the SA's
 * set-mark by (4-tuple, peer's Assigned Tunnel ID): the LNS's answers to
 * that tunnel ID get the mark at LOCAL_OUT, and the LNS's own Assigned
 * Tunnel ID, read from its SCCRP, lets the client's next messages reach the
 * listener even where a twin's binding holds the 4-tuple. The first SA to
 * name a tunnel keeps it: another client behind the NAT cannot redirect
 * its answers. A fixed table, nothing allocated on the packet path; readers
 * take no lock (seqlock), writers are packets and flush.
 */

#include <asm/unaligned.h>

#include "pending.h"

#define L2TP_HDR_T	0x8000
#define L2TP_HDR_L	0x4000
#define L2TP_HDR_S	0x0800
#define L2TP_HDR_O	0x0200
#define L2TP_HDR_VER	0x000f
/* T, L, S and version 2: a control message (RFC 2661 section 3.1). */
#define L2TP_CTL_FLAGS	(L2TP_HDR_T | L2TP_HDR_L | L2TP_HDR_S | 2)
#define L2TP_CTL_HDR	12

/* RFC 2661 section 4.1: AVP header, M and H bits, length. */
#define AVP_HDR		6
#define AVP_H		0x4000
#define AVP_LEN		0x03ff
/* A bound on the work per packet; an SCCRQ carries about a dozen. */
#define AVP_MAX		64

#define AVP_MSG_TYPE	0
#define AVP_ASSIGNED	9
#define MSG_SCCRQ	1
#define MSG_SCCRP	2

/* What a control message says about its tunnel. */
struct ctl_msg {
	u16 tid;
	u16 type;
	u16 assigned;
};

/* A u16 AVP of the IETF (vendor 0), not hidden: its value. */
static bool avp_u16(const struct sk_buff *skb, unsigned int off,
		    const u8 *a, u16 attr, u16 *val)
{
	__be16 _v, *v;

	if ((get_unaligned_be16(a) & (AVP_H | AVP_LEN)) != AVP_HDR + 2 ||
	    get_unaligned_be16(a + 2) || get_unaligned_be16(a + 4) != attr)
		return false;
	v = skb_header_pointer(skb, off + AVP_HDR, sizeof(_v), &_v);
	if (!v)
		return false;
	*val = be16_to_cpu(*v);
	return true;
}

/*
 * Reads an L2TPv2 control message at @off (@len bytes of UDP payload): its
 * tunnel ID, its Message Type (RFC 2661 section 4.2: the first AVP) and
 * its Assigned Tunnel ID, 0 if it has none. False if it is no control
 * message or its AVPs do not fit in its length.
 */
static bool parse_ctl(const struct sk_buff *skb, unsigned int off,
		      unsigned int len, struct ctl_msg *m)
{
	u8 _h[L2TP_CTL_HDR], _a[AVP_HDR];
	unsigned int pos, end, alen, i;
	const u8 *h, *a;

	if (len < L2TP_CTL_HDR)
		return false;
	h = skb_header_pointer(skb, off, L2TP_CTL_HDR, _h);
	if (!h || (get_unaligned_be16(h) & (L2TP_CTL_FLAGS | L2TP_HDR_O |
					    L2TP_HDR_VER)) != L2TP_CTL_FLAGS)
		return false;
	end = min_t(unsigned int, len, get_unaligned_be16(h + 2));
	m->tid = get_unaligned_be16(h + 4);
	m->assigned = 0;
	for (pos = L2TP_CTL_HDR, i = 0; i < AVP_MAX && pos + AVP_HDR <= end;
	     i++, pos += alen) {
		a = skb_header_pointer(skb, off + pos, AVP_HDR, _a);
		if (!a)
			return false;
		alen = get_unaligned_be16(a) & AVP_LEN;
		if (alen < AVP_HDR || alen > end - pos)
			return false;
		if (!i) {
			if (!avp_u16(skb, off + pos, a, AVP_MSG_TYPE, &m->type))
				return false;
		} else if (avp_u16(skb, off + pos, a, AVP_ASSIGNED,
				   &m->assigned)) {
			break;
		}
	}
	return i > 0;
}

static bool slot_live(const struct l2tp_ipsec_pending_slot *s, u64 now)
{
	return time_before64(now, s->expires);
}

static bool slot_is(const struct l2tp_ipsec_pending_slot *s,
		    const struct l2tp_ipsec_key *key, u16 peer_tid)
{
	return s->peer_tid == peer_tid && !memcmp(&s->key, key, sizeof(*key));
}

/**
 * l2tp_ipsec_pending_init - an empty table for a new namespace
 * @ln: the namespace's state
 */
void l2tp_ipsec_pending_init(struct l2tp_ipsec_net *ln)
{
	struct l2tp_ipsec_pending *p = &ln->pending;

	seqlock_init(&p->lock);
	memset(p->slot, 0, sizeof(p->slot));
	p->until = jiffies;
}

/**
 * l2tp_ipsec_pending_flush - forget every tunnel being set up
 * @ln: the namespace's state
 */
void l2tp_ipsec_pending_flush(struct l2tp_ipsec_net *ln)
{
	struct l2tp_ipsec_pending *p = &ln->pending;

	write_seqlock_bh(&p->lock);
	memset(p->slot, 0, sizeof(p->slot));
	WRITE_ONCE(p->until, jiffies);
	write_sequnlock_bh(&p->lock);
}

/**
 * l2tp_ipsec_pending_learn - remember the SA of a new tunnel's SCCRQ
 * @ln: the namespace's state
 * @skb: a packet a listener binding accepted
 * @pkt: what was read of it
 *
 * Learns from an SCCRQ (header tunnel ID 0) with an Assigned Tunnel ID that
 * an SA with a set-mark decrypted. The same tunnel again with the same mark
 * (a retransmission) lives on; with another mark it stays the first SA's.
 * With no slot free, nothing is learned.
 *
 * Context: the packet path, BH disabled.
 */
void l2tp_ipsec_pending_learn(struct l2tp_ipsec_net *ln,
			      const struct sk_buff *skb,
			      const struct l2tp_ipsec_pkt *pkt)
{
	struct l2tp_ipsec_pending *p = &ln->pending;
	struct l2tp_ipsec_pending_slot *s, *free = NULL;
	u32 mark = l2tp_ipsec_sa_set_mark(pkt->x);
	struct ctl_msg m;
	unsigned int i;
	u64 now;

	if (!mark || !parse_ctl(skb, pkt->l2tp_off, pkt->l2tp_len, &m) ||
	    m.tid || m.type != MSG_SCCRQ || !m.assigned)
		return;

	now = get_jiffies_64();
	write_seqlock_bh(&p->lock);
	for (i = 0; i < L2TP_IPSEC_PENDING_MAX; i++) {
		s = &p->slot[i];
		if (!slot_live(s, now)) {
			free = free ?: s;
			continue;
		}
		if (!slot_is(s, &pkt->key, m.assigned))
			continue;
		/* First wins: a twin's SA does not take the tunnel over. */
		if (s->mark != mark)
			goto unlock;
		/* A retransmission: what the SCCRP told stays. */
		free = s;
		goto refresh;
	}
	if (!free)
		goto unlock;
	free->key = pkt->key;
	free->peer_tid = m.assigned;
	free->mark = mark;
	free->local_tid = 0;
refresh:
	free->expires = now + L2TP_IPSEC_PENDING_TTL;
	/* The newest expiry is the latest. */
	WRITE_ONCE(p->until, jiffies + L2TP_IPSEC_PENDING_TTL);
unlock:
	write_sequnlock_bh(&p->lock);
}

/* The live slot of (@key, @peer_tid), or NULL. Readers retry around it. */
static struct l2tp_ipsec_pending_slot *find(struct l2tp_ipsec_pending *p,
					    const struct l2tp_ipsec_key *key,
					    u16 peer_tid, u64 now)
{
	struct l2tp_ipsec_pending_slot *s;
	unsigned int i;

	for (i = 0; i < L2TP_IPSEC_PENDING_MAX; i++) {
		s = &p->slot[i];
		if (slot_live(s, now) && slot_is(s, key, peer_tid))
			return s;
	}
	return NULL;
}

/**
 * l2tp_ipsec_pending_out_mark - the mark of an outbound L2TPv2 packet to a
 *	tunnel being set up
 * @ln: the namespace's state
 * @skb: the packet, leaving unmarked
 * @key: its 4-tuple, local = source, peer = destination
 * @off: offset of its L2TP header
 * @len: bytes of UDP payload present
 * @tid: the tunnel ID of its header: the peer's Assigned Tunnel ID
 *
 * An SCCRP also tells the LNS's own Assigned Tunnel ID, which the slot
 * keeps for the peer's next messages.
 *
 * Context: the packet path (LOCAL_OUT), RCU read side.
 * Return: the mark of the SA that set the tunnel up, 0 if none.
 */
u32 l2tp_ipsec_pending_out_mark(struct l2tp_ipsec_net *ln,
				const struct sk_buff *skb,
				const struct l2tp_ipsec_key *key,
				unsigned int off, unsigned int len, u16 tid)
{
	struct l2tp_ipsec_pending *p = &ln->pending;
	struct l2tp_ipsec_pending_slot *s;
	struct ctl_msg m;
	unsigned int seq;
	u64 now;
	u32 mark;

	if (!tid || !l2tp_ipsec_pending_any(ln))
		return 0;
	now = get_jiffies_64();
	do {
		seq = read_seqbegin(&p->lock);
		s = find(p, key, tid, now);
		mark = s ? s->mark : 0;
	} while (read_seqretry(&p->lock, seq));

	if (!mark || !parse_ctl(skb, off, len, &m) || m.type != MSG_SCCRP ||
	    !m.assigned)
		return mark;
	write_seqlock_bh(&p->lock);
	s = find(p, key, tid, now);
	if (s && s->mark == mark)
		s->local_tid = m.assigned;
	write_sequnlock_bh(&p->lock);
	return mark;
}

/**
 * l2tp_ipsec_pending_tid - whose tunnel being set up a tunnel ID is
 * @ln: the namespace's state
 * @key: the packet's 4-tuple, as it arrives
 * @tid: the tunnel ID of its header
 * @mark: the set-mark of its SA, 0 if none
 *
 * Context: the packet path, RCU read side.
 * Return: L2TP_IPSEC_PENDING_FOREIGN if a live slot of @key has @tid as the
 * LNS's tunnel ID for another mark than @mark, else
 * L2TP_IPSEC_PENDING_OURS if one has it for @mark, else
 * L2TP_IPSEC_PENDING_NONE.
 */
enum l2tp_ipsec_pending_tid
l2tp_ipsec_pending_tid(struct l2tp_ipsec_net *ln,
		       const struct l2tp_ipsec_key *key, u16 tid, u32 mark)
{
	const struct l2tp_ipsec_pending *p = &ln->pending;
	const struct l2tp_ipsec_pending_slot *s;
	enum l2tp_ipsec_pending_tid ret;
	unsigned int seq, i;
	u64 now;

	if (!tid || !l2tp_ipsec_pending_any(ln))
		return L2TP_IPSEC_PENDING_NONE;
	now = get_jiffies_64();
	do {
		seq = read_seqbegin(&p->lock);
		ret = L2TP_IPSEC_PENDING_NONE;
		for (i = 0; i < L2TP_IPSEC_PENDING_MAX; i++) {
			s = &p->slot[i];
			if (s->local_tid != tid || !slot_live(s, now) ||
			    memcmp(&s->key, key, sizeof(*key)))
				continue;
			if (!mark || s->mark != mark) {
				ret = L2TP_IPSEC_PENDING_FOREIGN;
				break;
			}
			ret = L2TP_IPSEC_PENDING_OURS;
		}
	} while (read_seqretry(&p->lock, seq));
	return ret;
}
