/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * l2tp_ipsec: RFC 3193 section 3.3 checks for L2TP/UDP in IPsec transport mode.
 *
 * The family is specified in Documentation/netlink/specs/l2tp_ipsec.yaml:
 * every command, which attributes each request takes (the *-req sets and
 * the subsets binding-key, binding-add and config-set), their types,
 * ranges and lengths, and what replies and events carry. The module's
 * policies and ops are generated from it (scripts/nlgen.py); this header's
 * enums and constants match it (tests/host/check-spec.py).
 *
 * Generic netlink family "l2tp_ipsec", version 1, usable in every network
 * namespace; each request acts on the caller's. Every command that changes
 * state needs CAP_NET_ADMIN in the initial user namespace (GENL_ADMIN_PERM).
 * Validation is strict: an attribute a request does not take is rejected.
 *
 * Byte order: IPv4 addresses are big endian (as on the wire), IPv6 addresses
 * are 16 bytes in network order, ports, SPI, reqid and all other integers are
 * in host order.
 *
 * A binding ties an L2TP tunnel's socket information (local address and port,
 * peer address and port) to the IPsec SA that must protect it. It is named
 * by its 4-tuple and its pin: the reqid, SPI and NAT-T encapsulation ports
 * (_REQID, _SPI, _ENCAP_SPORT/_ENCAP_DPORT) it requires of the SA, each
 * optional. Up to L2TP_IPSEC_MAX_SHARED bindings may share a 4-tuple (two
 * clients behind one NAT) if their pins are disjoint: some field set in
 * both with different values, so that no SA passes both; an unpinned
 * binding shares its 4-tuple with none. A packet of a shared 4-tuple
 * belongs to the binding whose pin its SA passes. BINDING_DEL, _GET and
 * STATS_GET name a binding by _ID alone, or by the 4-tuple plus, where it
 * is shared, the pin as the binding holds it (-ENOTUNIQ without one).
 * The peer port may be a wildcard (no L2TP_IPSEC_A_BINDING_PEER_PORT)
 * and so may the peer address together with the peer port (a listener
 * binding, RFC 3193 section 4.2.2 "Inbound-1"). Addresses of one binding are
 * all IPv4 or all IPv6. A listener takes ID 0 (an SCCRQ) and the L2TPv2
 * tunnel IDs that no other binding of its local endpoint pins with
 * _V2_TUNNEL_ID; only a listener takes ID 0. With _SOCK_FD a binding holds
 * its tunnel's UDP socket, connected to the binding's 4-tuple, and the
 * packets it accepts go to that socket whatever socket the UDP lookup
 * would pick (steering twin tunnels of one 4-tuple); replies give the
 * socket's inode as _SOCK_INODE while it is open. _OUT_MARK is the mark of
 * the tunnel's SA's outbound policy: the socket gets it, and with
 * _V2_PEER_TUNNEL_ID unmarked L2TPv2 packets of the 4-tuple whose header
 * carries that tunnel ID get it at LOCAL_OUT and are routed again.
 */

#ifndef _UAPI_LINUX_L2TP_IPSEC_H
#define _UAPI_LINUX_L2TP_IPSEC_H

#define L2TP_IPSEC_GENL_NAME		"l2tp_ipsec"
#define L2TP_IPSEC_GENL_VERSION		1
#define L2TP_IPSEC_MCGRP_EVENTS		"events"

#define L2TP_IPSEC_MAX_PORTS		16
#define L2TP_IPSEC_MAX_BINDINGS_LIMIT	1048576
#define L2TP_IPSEC_DEFAULT_MAX_BINDINGS	262144
#define L2TP_IPSEC_DEFAULT_PORT		1701
#define L2TP_IPSEC_MAX_SHARED		64

/**
 * enum l2tp_ipsec_policy - what happens to L2TP traffic no binding matches
 * @L2TP_IPSEC_POLICY_PASS: accept it (the default: existing setups keep
 *	working)
 * @L2TP_IPSEC_POLICY_REQUIRE_IPSEC: accept it only if decrypted by a valid
 *	ESP transport-mode SA whose addresses are the packet's
 * @L2TP_IPSEC_POLICY_DROP: drop it
 */
enum l2tp_ipsec_policy {
	L2TP_IPSEC_POLICY_PASS,
	L2TP_IPSEC_POLICY_REQUIRE_IPSEC,
	L2TP_IPSEC_POLICY_DROP,
};

/**
 * enum l2tp_ipsec_mode - what happens to a packet that fails a check
 * @L2TP_IPSEC_MODE_INHERIT: a binding's default: use the namespace's mode
 * @L2TP_IPSEC_MODE_ENFORCE: drop it, count it, report it
 * @L2TP_IPSEC_MODE_AUDIT: accept it, count it as audited, report it
 */
enum l2tp_ipsec_mode {
	L2TP_IPSEC_MODE_INHERIT,
	L2TP_IPSEC_MODE_ENFORCE,
	L2TP_IPSEC_MODE_AUDIT,
};

/**
 * enum l2tp_ipsec_reason - why a packet failed, in events
 * @L2TP_IPSEC_REASON_NONE: no failure
 * @L2TP_IPSEC_REASON_CLEARTEXT: not decrypted by IPsec at all
 * @L2TP_IPSEC_REASON_PROTO_MODE: last applied SA not ESP (or AH where
 *	allowed), not transport mode, or not valid any more
 * @L2TP_IPSEC_REASON_SA_MISMATCH: SA's reqid, SPI or NAT-T encapsulation
 *	ports are not the binding's
 * @L2TP_IPSEC_REASON_ADDR_MISMATCH: SA's addresses are not the packet's, or
 *	the packet reached a bound local endpoint from a peer no binding names
 * @L2TP_IPSEC_REASON_TUNNEL_ID: the header names a connection the binding
 *	may not take: L2TPv2 tunnel ID not the binding's, ID 0 (L2TPv2 tunnel
 *	or L2TPv3 control connection, an SCCRQ) off a listener, or through a
 *	listener an L2TPv2 tunnel ID that another binding of the same local
 *	endpoint pins
 * @L2TP_IPSEC_REASON_MALFORMED: UDP or L2TP header truncated, or L2TP
 *	version not the binding's
 * @L2TP_IPSEC_REASON_POLICY: unbound traffic refused by the namespace policy
 */
enum l2tp_ipsec_reason {
	L2TP_IPSEC_REASON_NONE,
	L2TP_IPSEC_REASON_CLEARTEXT,
	L2TP_IPSEC_REASON_PROTO_MODE,
	L2TP_IPSEC_REASON_SA_MISMATCH,
	L2TP_IPSEC_REASON_ADDR_MISMATCH,
	L2TP_IPSEC_REASON_TUNNEL_ID,
	L2TP_IPSEC_REASON_MALFORMED,
	L2TP_IPSEC_REASON_POLICY,
};

enum l2tp_ipsec_cmd {
	L2TP_IPSEC_CMD_UNSPEC,
	L2TP_IPSEC_CMD_BINDING_ADD,
	L2TP_IPSEC_CMD_BINDING_DEL,
	L2TP_IPSEC_CMD_BINDING_GET,
	L2TP_IPSEC_CMD_BINDING_FLUSH,
	L2TP_IPSEC_CMD_CONFIG_GET,
	L2TP_IPSEC_CMD_CONFIG_SET,
	L2TP_IPSEC_CMD_STATS_GET,
	L2TP_IPSEC_CMD_VIOLATION_NTF,
	L2TP_IPSEC_CMD_UNBOUND_NTF,

	__L2TP_IPSEC_CMD_MAX,
	L2TP_IPSEC_CMD_MAX = __L2TP_IPSEC_CMD_MAX - 1
};

enum l2tp_ipsec_attrs {
	L2TP_IPSEC_A_UNSPEC,
	L2TP_IPSEC_A_BINDING,
	L2TP_IPSEC_A_CONFIG,
	L2TP_IPSEC_A_STATS,
	L2TP_IPSEC_A_EVENT,

	__L2TP_IPSEC_A_MAX,
	L2TP_IPSEC_A_MAX = __L2TP_IPSEC_A_MAX - 1
};

enum l2tp_ipsec_binding_attrs {
	L2TP_IPSEC_A_BINDING_UNSPEC,
	L2TP_IPSEC_A_BINDING_ID,
	L2TP_IPSEC_A_BINDING_LOCAL_IPV4,
	L2TP_IPSEC_A_BINDING_LOCAL_IPV6,
	L2TP_IPSEC_A_BINDING_LOCAL_PORT,
	L2TP_IPSEC_A_BINDING_PEER_IPV4,
	L2TP_IPSEC_A_BINDING_PEER_IPV6,
	L2TP_IPSEC_A_BINDING_PEER_PORT,
	L2TP_IPSEC_A_BINDING_REQID,
	L2TP_IPSEC_A_BINDING_SPI,
	L2TP_IPSEC_A_BINDING_ENCAP_SPORT,
	L2TP_IPSEC_A_BINDING_ENCAP_DPORT,
	L2TP_IPSEC_A_BINDING_L2TP_VERSION,
	L2TP_IPSEC_A_BINDING_V2_TUNNEL_ID,
	L2TP_IPSEC_A_BINDING_ALLOW_AH,
	L2TP_IPSEC_A_BINDING_MODE,
	L2TP_IPSEC_A_BINDING_STATS,
	L2TP_IPSEC_A_BINDING_OWNER,
	L2TP_IPSEC_A_BINDING_SOCK_FD,
	L2TP_IPSEC_A_BINDING_SOCK_INODE,
	L2TP_IPSEC_A_BINDING_OUT_MARK,
	L2TP_IPSEC_A_BINDING_V2_PEER_TUNNEL_ID,

	__L2TP_IPSEC_A_BINDING_MAX,
	L2TP_IPSEC_A_BINDING_MAX = __L2TP_IPSEC_A_BINDING_MAX - 1
};

enum l2tp_ipsec_config_attrs {
	L2TP_IPSEC_A_CONFIG_UNSPEC,
	L2TP_IPSEC_A_CONFIG_POLICY,
	L2TP_IPSEC_A_CONFIG_MODE,
	L2TP_IPSEC_A_CONFIG_PORTS,
	L2TP_IPSEC_A_CONFIG_MAX_BINDINGS,
	L2TP_IPSEC_A_CONFIG_NUM_BINDINGS,

	__L2TP_IPSEC_A_CONFIG_MAX,
	L2TP_IPSEC_A_CONFIG_MAX = __L2TP_IPSEC_A_CONFIG_MAX - 1
};

enum l2tp_ipsec_port_attrs {
	L2TP_IPSEC_A_PORT_UNSPEC,
	L2TP_IPSEC_A_PORT,

	__L2TP_IPSEC_A_PORT_MAX,
	L2TP_IPSEC_A_PORT_MAX = __L2TP_IPSEC_A_PORT_MAX - 1
};

/*
 * Counter attributes. accepted + accepted-unbound + audited + every
 * dropped-* counter = L2TP packets the hook judged.
 */
enum l2tp_ipsec_stats_attrs {
	L2TP_IPSEC_A_STATS_UNSPEC,
	L2TP_IPSEC_A_STATS_PAD,
	L2TP_IPSEC_A_STATS_ACCEPTED,
	L2TP_IPSEC_A_STATS_ACCEPTED_UNBOUND,
	L2TP_IPSEC_A_STATS_DROPPED_CLEARTEXT,
	L2TP_IPSEC_A_STATS_DROPPED_PROTO_MODE,
	L2TP_IPSEC_A_STATS_DROPPED_SA_MISMATCH,
	L2TP_IPSEC_A_STATS_DROPPED_ADDR_MISMATCH,
	L2TP_IPSEC_A_STATS_DROPPED_TUNNEL_ID,
	L2TP_IPSEC_A_STATS_DROPPED_MALFORMED,
	L2TP_IPSEC_A_STATS_DROPPED_POLICY,
	L2TP_IPSEC_A_STATS_AUDITED,

	__L2TP_IPSEC_A_STATS_MAX,
	L2TP_IPSEC_A_STATS_MAX = __L2TP_IPSEC_A_STATS_MAX - 1
};

enum l2tp_ipsec_event_attrs {
	L2TP_IPSEC_A_EVENT_UNSPEC,
	L2TP_IPSEC_A_EVENT_REASON,
	L2TP_IPSEC_A_EVENT_AUDIT,
	L2TP_IPSEC_A_EVENT_SRC_IPV4,
	L2TP_IPSEC_A_EVENT_SRC_IPV6,
	L2TP_IPSEC_A_EVENT_DST_IPV4,
	L2TP_IPSEC_A_EVENT_DST_IPV6,
	L2TP_IPSEC_A_EVENT_SPORT,
	L2TP_IPSEC_A_EVENT_DPORT,
	L2TP_IPSEC_A_EVENT_SPI,
	L2TP_IPSEC_A_EVENT_REQID,
	L2TP_IPSEC_A_EVENT_ENCAP_SPORT,
	L2TP_IPSEC_A_EVENT_ENCAP_DPORT,
	L2TP_IPSEC_A_EVENT_BINDING_ID,
	L2TP_IPSEC_A_EVENT_SUPPRESSED,
	L2TP_IPSEC_A_EVENT_V2_TUNNEL_ID,
	L2TP_IPSEC_A_EVENT_SA_MARK,

	__L2TP_IPSEC_A_EVENT_MAX,
	L2TP_IPSEC_A_EVENT_MAX = __L2TP_IPSEC_A_EVENT_MAX - 1
};

#endif /* _UAPI_LINUX_L2TP_IPSEC_H */
