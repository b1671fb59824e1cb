/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inbound steering: a binding that holds its tunnel's UDP socket hands its
 * accepted packets to that socket, whatever socket the UDP lookup would
 * pick among twins of one 4-tuple.
 */

#ifndef _L2TP_IPSEC_STEER_H
#define _L2TP_IPSEC_STEER_H

#include <linux/types.h>

struct l2tp_ipsec_binding;
struct l2tp_ipsec_key;
struct l2tp_ipsec_net;
struct netlink_ext_ack;
struct nlattr;
struct net;
struct sk_buff;
struct sock;

struct sock *l2tp_ipsec_steer_sock_get(struct net *net, const struct nlattr *fd,
				       const struct l2tp_ipsec_key *key,
				       struct netlink_ext_ack *extack);
int l2tp_ipsec_steer_attach(struct l2tp_ipsec_net *ln, u32 id,
			    struct sock *sk);
void l2tp_ipsec_steer_detach(struct l2tp_ipsec_net *ln, u32 id);
void l2tp_ipsec_steer(struct l2tp_ipsec_net *ln, struct sk_buff *skb,
		      const struct l2tp_ipsec_binding *b);
u32 l2tp_ipsec_steer_inode(struct l2tp_ipsec_net *ln,
			   const struct l2tp_ipsec_binding *b);
void l2tp_ipsec_steer_init(struct l2tp_ipsec_net *ln);
void l2tp_ipsec_steer_destroy(struct l2tp_ipsec_net *ln);

#endif /* _L2TP_IPSEC_STEER_H */
