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
 * The sockets are kept by binding id in an xarray, so a binding that does
 * not steer costs nothing. A held socket pins its namespace (a socket holds
 * a reference on its net): a reaper lets go of sockets their owner closed,
 * so that a namespace whose processes are gone can go too.
 */

#include <linux/file.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/workqueue.h>
#include <net/inet_hashtables.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "binding.h"
#include "steer.h"

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

/**
 * l2tp_ipsec_steer_sock_get - take the socket a binding-add request gives
 * @net: the requester's namespace
 * @fd: the sock-fd attribute, a descriptor of the requesting process
 * @key: the binding's 4-tuple
 * @extack: where to report why the socket does not do
 *
 * Context: process context of the requester (its file table).
 * Return: the socket with a reference held, or ERR_PTR(-EBADF),
 * ERR_PTR(-ENOTSOCK) or ERR_PTR(-EINVAL).
 */
struct sock *l2tp_ipsec_steer_sock_get(struct net *net, const struct nlattr *fd,
				       const struct l2tp_ipsec_key *key,
				       struct netlink_ext_ack *extack)
{
	struct socket *sock;
	struct sock *sk;
	bool serves;
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
	release_sock(sk);
	if (!serves) {
		NL_SET_ERR_MSG_ATTR(extack, fd,
				    "sock-fd's socket is not bound and connected to the binding's 4-tuple");
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
 * l2tp_ipsec_steer_attach - let binding @id steer to @sk
 * @ln: the namespace's state
 * @id: the binding's id
 * @sk: a socket of l2tp_ipsec_steer_sock_get(); its reference passes to
 *	the binding on success
 *
 * Context: ln->lock held.
 * Return: 0 or -ENOMEM.
 */
int l2tp_ipsec_steer_attach(struct l2tp_ipsec_net *ln, u32 id, struct sock *sk)
{
	int err;

	err = xa_insert(&ln->socks, id, sk, GFP_KERNEL_ACCOUNT);
	if (err)
		return err;
	queue_delayed_work(system_wq, &ln->reap, L2TP_IPSEC_REAP_PERIOD);
	return 0;
}

/**
 * l2tp_ipsec_steer_detach - let go of binding @id's socket, if it has one
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
	struct sock *sk = xa_erase(&ln->socks, id);

	if (sk)
		sock_put(sk);
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
	struct sock *sk = xa_load(&ln->socks, b->id);

	if (!sk || !sock_serves(sk, &b->key) ||
	    !refcount_inc_not_zero(&sk->sk_refcnt))
		return;
	skb_orphan(skb);
	skb->sk = sk;
	skb->destructor = sock_edemux;
}

/**
 * l2tp_ipsec_steer_inode - the inode of the socket binding @b steers to
 * @ln: the namespace's state
 * @b: the binding
 *
 * Context: RCU read side or ln->lock held.
 * Return: the socket's inode number, 0 if @b steers to no open socket.
 */
u32 l2tp_ipsec_steer_inode(struct l2tp_ipsec_net *ln,
			   const struct l2tp_ipsec_binding *b)
{
	struct sock *sk;
	u32 ino = 0;

	if (!b->steer)
		return 0;
	sk = xa_load(&ln->socks, b->id);
	if (!sk || !refcount_inc_not_zero(&sk->sk_refcnt))
		return 0;
	if (!sock_flag(sk, SOCK_DEAD))
		ino = sock_i_ino(sk);
	sock_put(sk);
	return ino;
}

/* Lets go of the sockets that their owners closed; runs while any is held. */
static void reap(struct work_struct *work)
{
	struct l2tp_ipsec_net *ln = container_of(to_delayed_work(work),
						 struct l2tp_ipsec_net, reap);
	struct sock *sk;
	unsigned long id;

	mutex_lock(&ln->lock);
	xa_for_each(&ln->socks, id, sk) {
		if (sock_flag(sk, SOCK_DEAD))
			l2tp_ipsec_steer_detach(ln, id);
	}
	if (!xa_empty(&ln->socks))
		queue_delayed_work(system_wq, &ln->reap, L2TP_IPSEC_REAP_PERIOD);
	mutex_unlock(&ln->lock);
}

/**
 * l2tp_ipsec_steer_init - set up a namespace's steering state
 * @ln: the namespace's state
 */
void l2tp_ipsec_steer_init(struct l2tp_ipsec_net *ln)
{
	xa_init_flags(&ln->socks, XA_FLAGS_ACCOUNT);
	INIT_DELAYED_WORK(&ln->reap, reap);
}

/**
 * l2tp_ipsec_steer_destroy - let go of every socket of a dying namespace
 * @ln: the namespace's state
 *
 * Context: no packet and no request is left in the namespace.
 */
void l2tp_ipsec_steer_destroy(struct l2tp_ipsec_net *ln)
{
	struct sock *sk;
	unsigned long id;

	cancel_delayed_work_sync(&ln->reap);
	xa_for_each(&ln->socks, id, sk)
		sock_put(sk);
	xa_destroy(&ln->socks);
}
