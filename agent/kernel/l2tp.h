/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_L2TP_H
#define AGENT_L2TP_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
/* glibc's before the kernel's: linux/libc-compat.h then skips its copies. */
#include <netinet/in.h>

#include <linux/l2tp.h>

#include "kernel/nl.h"
#include "lib/endpoint.h"

/*
 * Client of the kernel's L2TP generic netlink family "l2tp" (l2tp_netlink.ko,
 * uapi linux/l2tp.h): unmanaged tunnels and their sessions, dumps, and the
 * family's multicast notifications, decoded into plain structs.
 *
 * What Linux 6.1 does, which callers must know:
 * - It sets no extack message; errors are bare errnos. -EEXIST from
 *   TUNNEL_CREATE: the tunnel ID is in use; -EADDRINUSE: the local address
 *   and port are (the kernel's socket does not share them).
 * - TUNNEL_DELETE only queues the deletion: the tunnel (with its sessions)
 *   stays in dumps, its ID taken and its socket open, until a work item
 *   runs shortly after. l2tp_tunnel_wait_gone() waits for that.
 * - Notifications go to listeners in every network namespace
 *   (genlmsg_multicast_allns) and carry no namespace: confirm one with a
 *   request in your own. They carry the port id and sequence number of the
 *   request that caused them, so a socket that joined the group must not
 *   be the one that sends requests (nl_transact() would take them for
 *   replies). Only changes made over generic netlink are announced: not a
 *   PPPoL2TP tunnel (xl2tpd), not the sessions a TUNNEL_DELETE takes along,
 *   not a tunnel that dies with its socket.
 */

/* Counters of a tunnel or a session, as dumps carry them. */
enum l2tp_stat {
	L2TP_STAT_TX_PACKETS,
	L2TP_STAT_TX_BYTES,
	L2TP_STAT_TX_ERRORS,
	L2TP_STAT_RX_PACKETS,
	L2TP_STAT_RX_BYTES,
	L2TP_STAT_RX_SEQ_DISCARDS,
	L2TP_STAT_RX_OOS_PACKETS,
	L2TP_STAT_RX_ERRORS,
	L2TP_STAT_RX_COOKIE_DISCARDS,
	L2TP_STAT_RX_INVALID,
	L2TP_STAT_COUNT,
};

/* "tx_packets", ... indexed by enum l2tp_stat */
extern const char *const l2tp_stat_names[L2TP_STAT_COUNT];

/**
 * struct l2tp_stats - counters of a tunnel or session
 * @val: indexed by enum l2tp_stat
 * @present: bit n set if the kernel sent counter n
 */
struct l2tp_stats {
	uint64_t val[L2TP_STAT_COUNT];
	uint32_t present;
};

/**
 * struct l2tp_tunnel - a kernel L2TP tunnel: what TUNNEL_CREATE takes and
 *	what TUNNEL_GET and notifications return
 * @tunnel_id: local tunnel (control connection) ID, never 0
 * @peer_tunnel_id: the peer's
 * @version: L2TP version, 2 or 3
 * @encap: enum l2tp_encap_type: L2TP_ENCAPTYPE_UDP or L2TP_ENCAPTYPE_IP
 * @local: the tunnel socket's local address and UDP port (port 0 for IP
 *	encapsulation); family AF_UNSPEC when the kernel sent none
 * @peer: the same of the peer; 0.0.0.0 / :: and port 0 when the socket is
 *	not connected
 * @udp_csum: IPv4: UDP checksums are sent (replies only)
 * @udp6_zero_csum_tx: IPv6: zero UDP checksums are sent (replies only)
 * @udp6_zero_csum_rx: IPv6: zero UDP checksums are accepted (replies only)
 * @stats: counters (replies only)
 */
struct l2tp_tunnel {
	uint32_t tunnel_id;
	uint32_t peer_tunnel_id;
	uint8_t version;
	uint16_t encap;
	struct endpoint local;
	struct endpoint peer;
	bool udp_csum;
	bool udp6_zero_csum_tx;
	bool udp6_zero_csum_rx;
	struct l2tp_stats stats;
};

/**
 * struct l2tp_session - a session (pseudowire) of a kernel L2TP tunnel
 * @tunnel_id: its tunnel's ID
 * @peer_tunnel_id: the tunnel's peer ID (replies only)
 * @session_id: local session ID, never 0
 * @peer_session_id: the peer's
 * @pw_type: enum l2tp_pwtype, e.g. L2TP_PWTYPE_ETH
 * @ifname: its network device (ETH: l2tpethN), empty if none or not given
 *	(then the kernel names it)
 * @l2spec_set: @l2spec_type is given (requests only; the kernel does not
 *	report it)
 * @l2spec_type: enum l2tp_l2spec_type; L2TPv3 defaults to DEFAULT
 * @cookie_len: length of @cookie, 0, 4 or 8 (replies only)
 * @cookie: the session's cookie (replies only)
 * @peer_cookie_len: length of @peer_cookie (replies only)
 * @peer_cookie: the peer's cookie (replies only)
 * @stats: counters (replies only)
 */
struct l2tp_session {
	uint32_t tunnel_id;
	uint32_t peer_tunnel_id;
	uint32_t session_id;
	uint32_t peer_session_id;
	uint16_t pw_type;
	char ifname[IF_NAMESIZE];
	bool l2spec_set;
	uint8_t l2spec_type;
	uint8_t cookie_len;
	uint8_t cookie[8];
	uint8_t peer_cookie_len;
	uint8_t peer_cookie[8];
	struct l2tp_stats stats;
};

/**
 * struct l2tp_client - the "l2tp" family on a socket of the caller's
 * @nl: the socket, not owned: several families can share one
 * @family: the family's id
 * @mcgrp_id: id of its multicast group "l2tp" (0 if it has none)
 */
struct l2tp_client {
	struct nl *nl;
	uint16_t family;
	uint32_t mcgrp_id;
};

/*
 * Resolve the family on @nl. -ENOENT: l2tp_netlink is not loaded and could
 * not be autoloaded.
 */
int l2tp_client_init(struct l2tp_client *lc, struct nl *nl);

/* Start a request of the family in @buf (NL_REQ_SIZE bytes). */
struct nlmsghdr *l2tp_msg(const struct l2tp_client *lc, void *buf, uint8_t cmd,
			  uint16_t flags);

/*
 * Encoding: the attributes of a TUNNEL_CREATE for an unmanaged tunnel (the
 * kernel makes its own socket, bound to @t->local and connected to @t->peer)
 * and of a SESSION_CREATE. Only @t->tunnel_id, peer_tunnel_id, version,
 * encap, local and peer are used, and @s's IDs, pw_type, ifname and
 * l2spec_type.
 */
void l2tp_put_tunnel(struct nlmsghdr *nlh, const struct l2tp_tunnel *t);
void l2tp_put_session(struct nlmsghdr *nlh, const struct l2tp_session *s);

/*
 * Decoding: a tunnel or session message of the family (reply, dump part or
 * notification), whatever its cmd. 0, or -EPROTO if an attribute is
 * malformed or an ID is missing.
 */
int l2tp_parse_tunnel(const struct nlmsghdr *nlh, struct l2tp_tunnel *t);
int l2tp_parse_session(const struct nlmsghdr *nlh, struct l2tp_session *s);

int l2tp_tunnel_create(struct l2tp_client *lc, const struct l2tp_tunnel *t);
int l2tp_session_create(struct l2tp_client *lc, const struct l2tp_session *s);
/* -ENODEV: no such tunnel / session. */
int l2tp_tunnel_delete(struct l2tp_client *lc, uint32_t tunnel_id);
int l2tp_session_delete(struct l2tp_client *lc, uint32_t tunnel_id,
			uint32_t session_id);
int l2tp_tunnel_get(struct l2tp_client *lc, uint32_t tunnel_id,
		    struct l2tp_tunnel *out);

/*
 * Poll (every 10 ms, up to @timeout_ms) until the tunnel is gone after a
 * TUNNEL_DELETE. 0, -ETIMEDOUT, or another error of TUNNEL_GET.
 */
int l2tp_tunnel_wait_gone(struct l2tp_client *lc, uint32_t tunnel_id,
			  unsigned int timeout_ms);

/*
 * Called once per tunnel or session of a dump; return 0, or a negative errno
 * to stop being called (the dump is still read to its end and that error
 * returned).
 */
typedef int (*l2tp_tunnel_fn)(const struct l2tp_tunnel *t, void *data);
typedef int (*l2tp_session_fn)(const struct l2tp_session *s, void *data);

/*
 * Every tunnel of the namespace (6.1: in tunnel ID order), including those
 * made by others (ip l2tp, xl2tpd's PPPoL2TP tunnels), and every session of
 * every tunnel. Dumps are not atomic: an entry can be missed or seen twice
 * if the table changes meanwhile.
 */
int l2tp_tunnel_dump(struct l2tp_client *lc, l2tp_tunnel_fn fn, void *data);
int l2tp_session_dump(struct l2tp_client *lc, l2tp_session_fn fn, void *data);

/* Callbacks for the dumps that append each item to the struct vec @vec. */
int l2tp_tunnel_collect(const struct l2tp_tunnel *t, void *vec);
int l2tp_session_collect(const struct l2tp_session *s, void *vec);

/**
 * struct l2tp_event - a notification of the family's multicast group
 * @cmd: L2TP_CMD_TUNNEL_CREATE, _TUNNEL_DELETE, _TUNNEL_MODIFY (@tunnel
 *	is set) or L2TP_CMD_SESSION_CREATE, _SESSION_DELETE, _SESSION_MODIFY
 *	(@session is set)
 * @tunnel: the tunnel, as it was when the event was sent (a deleted
 *	tunnel's still has its addresses)
 * @session: the session
 */
struct l2tp_event {
	uint8_t cmd;
	struct l2tp_tunnel tunnel;
	struct l2tp_session session;
};

static inline bool l2tp_event_is_session(const struct l2tp_event *ev)
{
	return ev->cmd == L2TP_CMD_SESSION_CREATE ||
	       ev->cmd == L2TP_CMD_SESSION_DELETE ||
	       ev->cmd == L2TP_CMD_SESSION_MODIFY;
}

/* Join the family's multicast group on lc->nl. */
int l2tp_join_events(struct l2tp_client *lc);

/*
 * Decode @nlh if it is a notification of the family: 1 if it is one (@ev
 * set), 0 if it is not (another family, or another command), -EPROTO if it
 * is malformed. For callers that read several families on one socket.
 */
int l2tp_event_parse(const struct l2tp_client *lc, const struct nlmsghdr *nlh,
		     struct l2tp_event *ev);

/* Return 0 to go on, 1 to stop, a negative errno to fail. */
typedef int (*l2tp_event_fn)(const struct l2tp_event *ev, void *data);

/*
 * Wait for one batch of notifications on lc->nl and hand each of the family
 * to @fn; malformed ones are skipped. Return 0; 1 if @fn returned 1;
 * -ENOBUFS if events were lost (dump again to resynchronise); other -errno.
 */
int l2tp_recv_events(struct l2tp_client *lc, l2tp_event_fn fn, void *data);

/* "udp", "ip", or the number; "eth", "ppp", ... */
const char *l2tp_encap_name(uint16_t encap, char *buf, size_t len);
const char *l2tp_pw_name(uint16_t pw_type, char *buf, size_t len);

#endif
