/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_BINDING_H
#define AGENT_BINDING_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/counters.h"
#include "lib/endpoint.h"

struct modclient;
struct nlattr;
struct nlmsghdr;

/**
 * struct binding - an L2TP tunnel's socket information and the SA that
 *	must protect it; zero means "not pinned" for every optional field,
 *	since the kernel refuses zero for each of them
 * @id: assigned by the kernel (replies only)
 * @local: local address and port, both required
 * @peer: peer address (AF_UNSPEC: any, a listener) and port (0: any)
 * @reqid: reqid of the SA
 * @spi: SPI of the SA
 * @encap_sport: NAT-T source port of the SA (the peer's, after NAT)
 * @encap_dport: NAT-T destination port of the SA (ours)
 * @l2tp_version: L2TP version the header must carry, 0: 2 or 3
 * @v2_tunnel_id: local L2TPv2 tunnel ID the header must carry
 * @allow_ah: AH is good enough as well as ESP
 * @mode_set: @mode is given (requests) or was sent (replies)
 * @mode: enum l2tp_ipsec_mode, inherit unless @mode_set
 * @owner: opaque tag of whoever made it, 0: none (the agent's is
 *	RECONCILE_OWNER, reconcile.h)
 * @sock_pid: binding add: the process whose descriptor @sock_fd is
 *	(socket PID:FD); 0 if none is given
 * @sock_fd: binding add: with @sock_pid, that process's descriptor of the
 *	tunnel's socket; without, ours (what the kernel is sent)
 * @has_sock: give the kernel @sock_fd, a descriptor of ours, to steer to
 * @sock_inode: replies: the inode of the socket it steers to, 0 none
 * @out_mark: the mark of the tunnel's SA's outbound policy, 0 none
 * @v2_peer_tunnel_id: the peer's L2TPv2 tunnel ID, with which unmarked
 *	outbound packets are given @out_mark, 0 none
 * @has_stats: @stats came with the reply
 * @stats: the binding's counters
 */
struct binding {
	uint32_t id;
	struct endpoint local;
	struct endpoint peer;
	uint32_t reqid;
	uint32_t spi;
	uint16_t encap_sport;
	uint16_t encap_dport;
	uint8_t l2tp_version;
	uint16_t v2_tunnel_id;
	bool allow_ah;
	bool mode_set;
	uint8_t mode;
	uint32_t owner;
	int sock_pid;
	int sock_fd;
	bool has_sock;
	uint32_t sock_inode;
	uint32_t out_mark;
	uint16_t v2_peer_tunnel_id;
	bool has_stats;
	struct counters stats;
};

/*
 * Put an L2TP_IPSEC_A_BINDING nest that names @b: the key (addresses and
 * ports) and the pin (reqid, SPI, NAT-T ports, those set), which tells it
 * from the other bindings of a shared 4-tuple. Without a pin the kernel
 * takes the 4-tuple's only binding, and refuses with -ENOTUNIQ if several
 * share it.
 */
void binding_put_key(struct nlmsghdr *nlh, const struct binding *b);
/* Put an L2TP_IPSEC_A_BINDING nest that names a binding by its id alone. */
void binding_put_id(struct nlmsghdr *nlh, uint32_t id);
/* Put an L2TP_IPSEC_A_BINDING nest with the key and every pin. */
void binding_put(struct nlmsghdr *nlh, const struct binding *b);
/* Parse an L2TP_IPSEC_A_BINDING nest of a reply: 0 or -EPROTO. */
int binding_parse(const struct nlattr *nest, struct binding *b);

int binding_add(struct modclient *mc, const struct binding *b);
int binding_del(struct modclient *mc, const struct binding *key);
int binding_get(struct modclient *mc, const struct binding *key,
		struct binding *out);
/* The binding with that id: 0, -ENOENT, -errno. */
int binding_get_id(struct modclient *mc, uint32_t id, struct binding *out);
int binding_flush(struct modclient *mc);

/*
 * Called once per binding of a dump; return 0, or a negative errno to
 * stop being called (the dump is still read to its end and that error
 * returned).
 */
typedef int (*binding_fn)(const struct binding *b, void *data);

/*
 * Dump every binding of the namespace, in id order. -EINTR: see
 * nl_transact(); -ELOOP: the kernel sent an id that was not above the
 * previous one (a dump that would repeat itself forever), given up.
 */
int binding_dump(struct modclient *mc, binding_fn fn, void *data);
/* A binding_dump() callback: appends each binding to the struct vec @vec. */
int binding_collect(const struct binding *b, void *vec);

#endif
