/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Steering: a binding may hold its tunnel's UDP socket, to which its
 * accepted packets go whatever socket the UDP lookup would pick among twins
 * of one 4-tuple, and the mark of its SA's outbound policy, which its
 * tunnel's packets get on the way out.
 */

#ifndef _L2TP_IPSEC_STEER_H
#define _L2TP_IPSEC_STEER_H

#include <linux/types.h>

#include "binding.h"

struct netlink_ext_ack;
struct nlattr;
struct net;
struct sk_buff;
struct sock;

/**
 * struct l2tp_ipsec_steer_req - what binding-add asks of steering
 * @sk: the tunnel's socket with a reference held, or NULL
 * @out_mark: mark of the tunnel's outbound packets, 0 for none
 * @peer_tid: the peer's L2TPv2 tunnel ID, which the headers of the
 *	tunnel's outbound packets carry, 0 for none (needs @out_mark)
 */
struct l2tp_ipsec_steer_req {
	struct sock *sk;
	u32 out_mark;
	u16 peer_tid;
};

/**
 * struct l2tp_ipsec_steer_info - what a reply reports of a binding's steering
 * @sock_inode: inode of the socket it steers to, 0 if none is open
 * @out_mark: see struct l2tp_ipsec_steer_req
 * @peer_tid: see struct l2tp_ipsec_steer_req
 */
struct l2tp_ipsec_steer_info {
	u32 sock_inode;
	u32 out_mark;
	u16 peer_tid;
};

static inline bool l2tp_ipsec_steer_wanted(const struct l2tp_ipsec_steer_req *r)
{
	return r->sk || r->out_mark;
}

/* Whether any binding of the namespace marks packets by peer tunnel ID. */
static inline bool l2tp_ipsec_steer_marks_any(struct l2tp_ipsec_net *ln)
{
	return atomic_read(&ln->outbound.nelems);
}

struct sock *l2tp_ipsec_steer_sock_get(struct net *net, const struct nlattr *fd,
				       const struct l2tp_ipsec_key *key,
				       u16 v2_tid, struct netlink_ext_ack *extack);
int l2tp_ipsec_steer_attach(struct l2tp_ipsec_net *ln,
			    const struct l2tp_ipsec_binding *b,
			    struct l2tp_ipsec_steer_req *req,
			    struct netlink_ext_ack *extack);
void l2tp_ipsec_steer_detach(struct l2tp_ipsec_net *ln, u32 id);
void l2tp_ipsec_steer_mark(struct l2tp_ipsec_net *ln,
			   const struct l2tp_ipsec_binding *b);
void l2tp_ipsec_steer(struct l2tp_ipsec_net *ln, struct sk_buff *skb,
		      const struct l2tp_ipsec_binding *b);
u32 l2tp_ipsec_steer_out_mark(struct l2tp_ipsec_net *ln,
			      const struct l2tp_ipsec_key *key, u16 peer_tid);
void l2tp_ipsec_steer_info(struct l2tp_ipsec_net *ln,
			   const struct l2tp_ipsec_binding *b,
			   struct l2tp_ipsec_steer_info *info);
int l2tp_ipsec_steer_init(struct l2tp_ipsec_net *ln);
void l2tp_ipsec_steer_destroy(struct l2tp_ipsec_net *ln);

#endif /* _L2TP_IPSEC_STEER_H */
