/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_PPPOL2TP_H
#define AGENT_PPPOL2TP_H

#include <stddef.h>
#include <stdint.h>

#include "lib/endpoint.h"

struct vec;

/**
 * struct l2tp_sock - a kernel L2TPv2 tunnel that a process holds
 * @tunnel_id: its local tunnel ID
 * @peer_tunnel_id: the peer's (its Assigned Tunnel ID)
 * @fd: the tunnel's UDP socket, a descriptor of that process
 * @pppox_fd: the PPPoL2TP socket (session 0) it was read from
 * @peer: the tunnel's peer address and port
 */
struct l2tp_sock {
	uint16_t tunnel_id;
	uint16_t peer_tunnel_id;
	int fd;
	int pppox_fd;
	struct endpoint peer;
};

/*
 * The kernel L2TPv2 tunnels whose PPPoL2TP tunnel sockets (session 0) the
 * process @pid holds, as an L2TP daemon in kernel mode (xl2tpd) makes one
 * per tunnel: appended to @out (struct l2tp_sock each), in descriptor
 * order. The kernel says each tunnel's ID and UDP socket descriptor
 * (getsockname() of a copy taken with pidfd_getfd()). 0, or -errno with
 * @err naming what failed.
 */
int pppol2tp_tunnels(int pid, struct vec *out, char *err, size_t errlen);

/*
 * Which process of the agent's network namespace holds kernel L2TPv2
 * tunnel @tid's PPPoL2TP socket, @hint first (the last one found: the
 * L2TP daemon), then every other: 0 with *@pid and *@fd, its descriptor
 * of the tunnel's UDP socket; -ENOENT if none, or -errno.
 */
int pppol2tp_find_tunnel(uint16_t tid, int hint, int *pid, int *fd);

#endif
