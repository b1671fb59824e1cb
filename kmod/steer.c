// SPDX-License-Identifier: GPL-2.0
/*
 * Inbound steering. Two clients behind one NAT give two L2TP tunnels one
 * 4-tuple (NAT:1701 -> LNS:1701), and an L2TP daemon gives each its own
 * connected UDP socket; on Linux 6.1 the UDP lookup picks one of the twins
 * for both, and l2tp_udp_encap_recv() takes the tunnel from the socket,
 * not from the header's tunnel ID. A binding may hold its tunnel's socket:
 * once the packet's SA chose the binding, the packet is given to that
 * socket at LOCAL_IN, as nf_tproxy_assign_sock() does, and the UDP receive
 * path takes it from skb->sk (skb_steal_sock()) before any lookup.
 *
 * Outbound, each tunnel's packets must leave through its own client's SA,
 * whose policy an IKE daemon marks (strongSwan's mark_out=%unique): the
 * binding's socket gets that mark, and the packets an L2TPv2 daemon sends
 * from its unconnected listener socket (xl2tpd sends every control message
 * so) are marked at LOCAL_OUT by their 4-tuple and the peer's tunnel ID in
 * their header, then routed again.
 *
 * What a binding steers with lives in a struct l2tp_ipsec_steer, kept by
 * binding id in an xarray (and by 4-tuple and peer tunnel ID in a hash for
 * LOCAL_OUT), so a binding that does not steer costs nothing. A held
 * socket pins its namespace (a socket holds a reference on its net): a
 * reaper lets go of sockets their owners closed, so that a namespace whose
 * processes are gone can go too.
 */

#include <linux/file.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/inet_hashtables.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/udp.h>

#include "l2tp_core.h"
#include "steer.h"

/* The 4-tuple of a tunnel's outbound packets and their header's tunnel ID. */
struct l2tp_ipsec_out_key {
	struct l2tp_ipsec_key key;
	u16 peer_tid;
	u16 pad;
};

/**
 * struct l2tp_ipsec_steer - what one binding steers with
 * @node: in l2tp_ipsec_net.outbound, if @out.peer_tid is set
 * @out: the binding's 4-tuple and the peer's tunnel ID (0: not in the hash)
 * @sk: the tunnel's socket (a reference held), NULL once let go
 * @out_mark: the mark of the tunnel's outbound packets, 0 for none
 * @rcu: deferred free
 */
struct l2tp_ipsec_steer {
	struct rhash_head node;
	struct l2tp_ipsec_out_key out;
	struct sock __rcu *sk;
	u32 out_mark;
	struct rcu_head rcu;
};

static const struct rhashtable_params out_params = {
	.key_len = sizeof(struct l2tp_ipsec_out_key),
	.key_offset = offsetof(struct l2tp_ipsec_steer, out),
	.head_offset = offsetof(struct l2tp_ipsec_steer, node),
	.automatic_shrinking = true,
};

/* How soon a namespace is freed of a socket its owner closed. */
#define L2TP_IPSEC_REAP_PERIOD	(2 * HZ)

/* The socket is open, bound and connected to exactly @key. */
static bool sock_serves(const struct sock *sk, const struct l2tp_ipsec_key *key)
{
	const struct inet_sock *inet = inet_sk(sk);

	if (sk->sk_family != key->family ||
	    READ_ONCE(sk->sk_state) != TCP_ESTABLISHED ||
	    sock_flag(sk, SOCK_DEAD) || sk_unhashed(sk) ||
	    READ_ONCE(inet->inet_sport) != key->lport ||
	    READ_ONCE(inet->inet_dport) != key->pport)
		return false;
	if (key->family == AF_INET)
		return READ_ONCE(inet->inet_rcv_saddr) == key->laddr.a4 &&
		       READ_ONCE(inet->inet_daddr) == key->paddr.a4;
#if IS_ENABLED(CONFIG_IPV6)
	return ipv6_addr_equal(&sk->sk_v6_rcv_saddr, &key->laddr.in6) &&
	       ipv6_addr_equal(&sk->sk_v6_daddr, &key->paddr.in6);
#else
	return false;
#endif
}

/*
 * Whether @sk is the socket of the kernel L2TP tunnel @tid of @net: twins
 * of one 4-tuple are told apart by the tunnel that owns them, which the
 * kernel knows, not by anything the requester says about its sockets.
 */
static bool sock_of_tunnel(struct sock *sk, struct net *net, u16 tid)
{
	struct l2tp_tunnel *(*get)(const struct net *net, u32 tunnel_id);
	void (*put)(struct l2tp_tunnel *tunnel);
	struct l2tp_tunnel *t;
	bool owns = false;

	get = symbol_get(l2tp_tunnel_get);
	put = symbol_get(l2tp_tunnel_dec_refcount);
	if (get && put) {
		t = get(net, tid);
		if (t) {
			rcu_read_lock();
			owns = rcu_dereference_sk_user_data(sk) == (void *)t;
			rcu_read_unlock();
			put(t);
		}
	}
	if (get)
		symbol_put(l2tp_tunnel_get);
	if (put)
		symbol_put(l2tp_tunnel_dec_refcount);
	return owns;
}

/**
 * l2tp_ipsec_steer_sock_get - take the socket a binding-add request gives
 * @net: the requester's namespace
 * @fd: the sock-fd attribute, a descriptor of the requesting process
 * @key: the binding's 4-tuple
 * @v2_tid: the binding's local L2TPv2 tunnel ID, 0 if it pins none
 * @extack: where to report why the socket does not do
 *
 * A kernel L2TP tunnel's socket (UDP_ENCAP_L2TPINUDP) is taken only for
 * the binding of that tunnel, named by @v2_tid; a plain UDP socket (an
 * L2TP daemon in user space) by its 4-tuple alone.
 *
 * Context: process context of the requester (its file table).
 * Return: the socket with a reference held, or ERR_PTR(-EBADF),
 * ERR_PTR(-ENOTSOCK) or ERR_PTR(-EINVAL).
 */
struct sock *l2tp_ipsec_steer_sock_get(struct net *net, const struct nlattr *fd,
				       const struct l2tp_ipsec_key *key,
				       u16 v2_tid, struct netlink_ext_ack *extack)
{
	struct socket *sock;
	bool serves, l2tp;
	struct sock *sk;
	int err;

	if (!key->pport) {
		NL_SET_ERR_MSG_ATTR(extack, fd,
				    "Only a binding with a peer address and port can steer");
		return ERR_PTR(-EINVAL);
	}
	sock = sockfd_lookup(nla_get_u32(fd), &err);
	if (!sock) {
		NL_SET_ERR_MSG_ATTR(extack, fd,
				    "sock-fd is not an open socket of the caller");
		return ERR_PTR(err);
	}
	sk = sock->sk;
	err = -EINVAL;
	if (sk->sk_type != SOCK_DGRAM || sk->sk_protocol != IPPROTO_UDP ||
	    sk->sk_family != key->family) {
		NL_SET_ERR_MSG_ATTR(extack, fd,
				    "sock-fd is not a UDP socket of the binding's family");
		goto put;
	}
	if (!net_eq(sock_net(sk), net)) {
		NL_SET_ERR_MSG_ATTR(extack, fd,
				    "sock-fd's socket is in another network namespace");
		goto put;
	}
	lock_sock(sk);
	serves = sock_serves(sk, key);
	l2tp = udp_sk(sk)->encap_type == UDP_ENCAP_L2TPINUDP;
	release_sock(sk);
	if (!serves) {
		NL_SET_ERR_MSG_ATTR(extack, fd,
				    "sock-fd's socket is not bound and connected to the binding's 4-tuple");
		goto put;
	}
	if (l2tp && !v2_tid) {
		NL_SET_ERR_MSG_ATTR(extack, fd,
				    "sock-fd is a kernel L2TP tunnel's socket: give the tunnel's v2-tunnel-id");
		goto put;
	}
	if (l2tp && !sock_of_tunnel(sk, net, v2_tid)) {
		NL_SET_ERR_MSG_ATTR(extack, fd,
				    "sock-fd is not the socket of L2TP tunnel v2-tunnel-id");
		goto put;
	}
	sock_hold(sk);
	sockfd_put(sock);
	return sk;

put:
	sockfd_put(sock);
	return ERR_PTR(err);
}

/**
 * l2tp_ipsec_steer_attach - give binding @b what it steers with
 * @ln: the namespace's state
 * @b: the binding, with its id and key; not yet published
 * @req: what binding-add asked; the socket's reference passes to the
 *	binding on success (@req->sk is then NULL)
 * @extack: where to report why it failed
 *
 * Context: ln->lock held.
 * Return: 0, -EEXIST if another binding of the 4-tuple has the same peer
 * tunnel ID, or -ENOMEM.
 */
int l2tp_ipsec_steer_attach(struct l2tp_ipsec_net *ln,
			    const struct l2tp_ipsec_binding *b,
			    struct l2tp_ipsec_steer_req *req,
			    struct netlink_ext_ack *extack)
{
	struct l2tp_ipsec_steer *s;
	int err;

	s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s)
		return -ENOMEM;
	s->out.key = b->key;
	s->out.peer_tid = req->peer_tid;
	s->out_mark = req->out_mark;
	if (s->out.peer_tid) {
		err = rhashtable_lookup_insert_fast(&ln->outbound, &s->node,
						    out_params);
		if (err) {
			if (err == -EEXIST)
				NL_SET_ERR_MSG(extack,
					       "Another binding of this 4-tuple has this peer tunnel ID");
			kfree(s);
			return err;
		}
	}
	err = xa_insert(&ln->steers, b->id, s, GFP_KERNEL_ACCOUNT);
	if (err) {
		if (s->out.peer_tid)
			rhashtable_remove_fast(&ln->outbound, &s->node,
					       out_params);
		/* A packet leaving may have found it. */
		kfree_rcu(s, rcu);
		return err;
	}
	if (req->sk) {
		rcu_assign_pointer(s->sk, req->sk);
		req->sk = NULL;
		queue_delayed_work(system_wq, &ln->reap, L2TP_IPSEC_REAP_PERIOD);
	}
	return 0;
}

static void steer_free(struct l2tp_ipsec_net *ln, struct l2tp_ipsec_steer *s,
		       struct sock *sk)
{
	if (s->out.peer_tid)
		rhashtable_remove_fast(&ln->outbound, &s->node, out_params);
	if (sk)
		sock_put(sk);
	kfree_rcu(s, rcu);
}

/**
 * l2tp_ipsec_steer_detach - forget what binding @id steers with
 * @ln: the namespace's state
 * @id: the binding's id
 *
 * Readers that still see the socket take a reference only if one is left,
 * and UDP sockets are freed after an RCU grace period (SOCK_RCU_FREE).
 *
 * Context: ln->lock held.
 */
void l2tp_ipsec_steer_detach(struct l2tp_ipsec_net *ln, u32 id)
{
	struct l2tp_ipsec_steer *s = xa_erase(&ln->steers, id);

	if (!s)
		return;
	steer_free(ln, s,
		   rcu_dereference_protected(s->sk, lockdep_is_held(&ln->lock)));
}

/**
 * l2tp_ipsec_steer_mark - mark the socket of binding @b for its SA
 * @ln: the namespace's state
 * @b: the binding, just published
 *
 * Done once the binding is in, so that a refused binding leaves the
 * socket as it was. Routing and the xfrm lookup of the socket's packets
 * (the kernel L2TP tunnel's data among them) use the mark.
 *
 * Context: ln->lock held.
 */
void l2tp_ipsec_steer_mark(struct l2tp_ipsec_net *ln,
			   const struct l2tp_ipsec_binding *b)
{
	struct l2tp_ipsec_steer *s = xa_load(&ln->steers, b->id);
	struct sock *sk;

	if (!s || !s->out_mark)
		return;
	sk = rcu_dereference_protected(s->sk, lockdep_is_held(&ln->lock));
	if (sk)
		sock_set_mark(sk, s->out_mark);
}

/**
 * l2tp_ipsec_steer - hand an accepted packet to its binding's socket
 * @ln: the namespace's state
 * @skb: the packet, at LOCAL_IN
 * @b: the binding that accepted it, whose socket is looked up
 *
 * Whatever socket early demux or GRO set is replaced. A socket that is
 * closed or connected elsewhere by now gets nothing: the packet takes the
 * normal UDP lookup.
 *
 * Context: RCU read side, softirq.
 */
void l2tp_ipsec_steer(struct l2tp_ipsec_net *ln, struct sk_buff *skb,
		      const struct l2tp_ipsec_binding *b)
{
	struct l2tp_ipsec_steer *s = xa_load(&ln->steers, b->id);
	struct sock *sk;

	if (!s)
		return;
	sk = rcu_dereference(s->sk);
	if (!sk || !sock_serves(sk, &b->key) ||
	    !refcount_inc_not_zero(&sk->sk_refcnt))
		return;
	skb_orphan(skb);
	skb->sk = sk;
	skb->destructor = sock_edemux;
}

/**
 * l2tp_ipsec_steer_out_mark - the mark an outbound L2TPv2 packet must get
 * @ln: the namespace's state
 * @key: its 4-tuple, local = source, peer = destination
 * @peer_tid: the tunnel ID of its header
 *
 * Context: RCU read side.
 * Return: the mark of the binding with that 4-tuple and peer tunnel ID,
 * 0 if there is none (or it has no mark).
 */
u32 l2tp_ipsec_steer_out_mark(struct l2tp_ipsec_net *ln,
			      const struct l2tp_ipsec_key *key, u16 peer_tid)
{
	struct l2tp_ipsec_out_key k;
	struct l2tp_ipsec_steer *s;

	memset(&k, 0, sizeof(k));
	k.key = *key;
	k.peer_tid = peer_tid;
	s = rhashtable_lookup(&ln->outbound, &k, out_params);
	return s ? s->out_mark : 0;
}

/**
 * l2tp_ipsec_steer_info - what binding @b steers with, for a reply
 * @ln: the namespace's state
 * @b: the binding
 * @info: filled in; all zero if @b does not steer
 *
 * Context: ln->lock held, or the RCU read side.
 */
void l2tp_ipsec_steer_info(struct l2tp_ipsec_net *ln,
			   const struct l2tp_ipsec_binding *b,
			   struct l2tp_ipsec_steer_info *info)
{
	struct l2tp_ipsec_steer *s;
	struct sock *sk;

	memset(info, 0, sizeof(*info));
	if (!b->steer)
		return;
	rcu_read_lock();
	s = xa_load(&ln->steers, b->id);
	if (s) {
		info->out_mark = s->out_mark;
		info->peer_tid = s->out.peer_tid;
		sk = rcu_dereference(s->sk);
		if (sk && refcount_inc_not_zero(&sk->sk_refcnt)) {
			if (!sock_flag(sk, SOCK_DEAD))
				info->sock_inode = sock_i_ino(sk);
			sock_put(sk);
		}
	}
	rcu_read_unlock();
}

/* Lets go of the sockets that their owners closed; runs while any is held. */
static void reap(struct work_struct *work)
{
	struct l2tp_ipsec_net *ln = container_of(to_delayed_work(work),
						 struct l2tp_ipsec_net, reap);
	struct l2tp_ipsec_steer *s;
	unsigned long id;
	bool held = false;
	struct sock *sk;

	mutex_lock(&ln->lock);
	xa_for_each(&ln->steers, id, s) {
		sk = rcu_dereference_protected(s->sk,
					       lockdep_is_held(&ln->lock));
		if (sk && sock_flag(sk, SOCK_DEAD)) {
			RCU_INIT_POINTER(s->sk, NULL);
			sock_put(sk);
			sk = NULL;
		}
		held |= !!sk;
	}
	if (held)
		queue_delayed_work(system_wq, &ln->reap, L2TP_IPSEC_REAP_PERIOD);
	mutex_unlock(&ln->lock);
}

/**
 * l2tp_ipsec_steer_init - set up a namespace's steering state
 * @ln: the namespace's state
 *
 * Return: 0 or -errno.
 */
int l2tp_ipsec_steer_init(struct l2tp_ipsec_net *ln)
{
	xa_init_flags(&ln->steers, XA_FLAGS_ACCOUNT);
	INIT_DELAYED_WORK(&ln->reap, reap);
	return rhashtable_init(&ln->outbound, &out_params);
}

/**
 * l2tp_ipsec_steer_destroy - let go of what a dying namespace steers with
 * @ln: the namespace's state
 *
 * Context: no packet and no request is left in the namespace.
 */
void l2tp_ipsec_steer_destroy(struct l2tp_ipsec_net *ln)
{
	struct l2tp_ipsec_steer *s;
	unsigned long id;

	cancel_delayed_work_sync(&ln->reap);
	xa_for_each(&ln->steers, id, s)
		steer_free(ln, s, rcu_dereference_protected(s->sk, 1));
	xa_destroy(&ln->steers);
	rhashtable_destroy(&ln->outbound);
}
