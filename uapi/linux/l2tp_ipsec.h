/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * l2tp_ipsec: RFC 3193 section 3.3 checks for L2TP/UDP in IPsec transport mode.
 *
 * Matches Documentation/netlink/specs/l2tp_ipsec.yaml.
 *
 * Generic netlink family "l2tp_ipsec", version 1, usable in every network
 * namespace. Every command that changes state needs CAP_NET_ADMIN in the
 * initial user namespace (GENL_ADMIN_PERM). Unknown attributes are rejected.
 *
 * Byte order: IPv4 addresses are big endian (as on the wire), IPv6 addresses
 * are 16 bytes in network order, ports, SPI, reqid and all other integers are
 * in host order.
 *
 * A binding ties an L2TP tunnel's socket information (local address and port,
 * peer address and port) to the IPsec SA that must protect it. Its key is
 * the 4-tuple. The peer port may be a wildcard (no L2TP_IPSEC_A_BINDING_PEER_PORT)
 * and so may the peer address together with the peer port (a listener
 * binding, RFC 3193 section 4.2.2 "Inbound-1"). Addresses of one binding are
 * all IPv4 or all IPv6. A listener takes ID 0 (an SCCRQ) and the L2TPv2
 * tunnel IDs that no other binding of its local endpoint pins with
 * _V2_TUNNEL_ID; only a listener takes ID 0.
 *
 * L2TP_IPSEC_CMD_BINDING_ADD - add a binding
 *
 *   L2TP_IPSEC_A_BINDING: NLA_NESTED
 *     L2TP_IPSEC_A_BINDING_LOCAL_IPV4 (be32) or _LOCAL_IPV6 (16 bytes): required
 *     L2TP_IPSEC_A_BINDING_LOCAL_PORT: NLA_U16, required, 1..65535
 *     L2TP_IPSEC_A_BINDING_PEER_IPV4 or _PEER_IPV6: optional, absent = any
 *     L2TP_IPSEC_A_BINDING_PEER_PORT: NLA_U16, optional, absent = any
 *     L2TP_IPSEC_A_BINDING_REQID: NLA_U32, optional, >= 1
 *     L2TP_IPSEC_A_BINDING_SPI: NLA_U32, optional, >= 256
 *     L2TP_IPSEC_A_BINDING_ENCAP_SPORT: NLA_U16, optional, with _ENCAP_DPORT
 *     L2TP_IPSEC_A_BINDING_ENCAP_DPORT: NLA_U16, optional, with _ENCAP_SPORT
 *     L2TP_IPSEC_A_BINDING_L2TP_VERSION: NLA_U8, optional, 2 or 3
 *     L2TP_IPSEC_A_BINDING_V2_TUNNEL_ID: NLA_U16, optional, 1..65535
 *     L2TP_IPSEC_A_BINDING_ALLOW_AH: NLA_FLAG
 *     L2TP_IPSEC_A_BINDING_MODE: NLA_U8, enum l2tp_ipsec_mode, optional
 *     L2TP_IPSEC_A_BINDING_OWNER: NLA_U32, optional, >= 1: an opaque tag by
 *       which whoever made the binding tells it from others' after a
 *       restart; the kernel does not interpret it
 *
 *   Replies nothing. -EEXIST if the 4-tuple is bound already, -ENOSPC past
 *   the namespace's max-bindings.
 *
 * L2TP_IPSEC_CMD_BINDING_DEL - delete one binding
 *
 *   L2TP_IPSEC_A_BINDING: NLA_NESTED, the key attributes only
 *     (_LOCAL_IPV4/6, _LOCAL_PORT, _PEER_IPV4/6, _PEER_PORT)
 *
 *   -ENOENT if there is no such binding.
 *
 * L2TP_IPSEC_CMD_BINDING_GET - get one binding (do) or all (dump)
 *
 *   do request: L2TP_IPSEC_A_BINDING with the key attributes.
 *   reply, one message per binding:
 *   L2TP_IPSEC_A_BINDING: NLA_NESTED
 *     L2TP_IPSEC_A_BINDING_ID: NLA_U32, assigned by the kernel
 *     every attribute given at add time (_L2TP_VERSION is 2 when a
 *     _V2_TUNNEL_ID was given; _MODE only when not inherit), and
 *     L2TP_IPSEC_A_BINDING_STATS: NLA_NESTED, enum l2tp_ipsec_stats_attrs
 *
 * L2TP_IPSEC_CMD_BINDING_FLUSH - delete every binding of the namespace
 *
 * L2TP_IPSEC_CMD_CONFIG_GET - the namespace's configuration
 *
 *   reply:
 *   L2TP_IPSEC_A_CONFIG: NLA_NESTED
 *     L2TP_IPSEC_A_CONFIG_POLICY: NLA_U8, enum l2tp_ipsec_policy
 *     L2TP_IPSEC_A_CONFIG_MODE: NLA_U8, enum l2tp_ipsec_mode
 *     L2TP_IPSEC_A_CONFIG_PORTS: NLA_NESTED
 *       L2TP_IPSEC_A_PORT: NLA_U16, one per port
 *     L2TP_IPSEC_A_CONFIG_MAX_BINDINGS: NLA_U32
 *     L2TP_IPSEC_A_CONFIG_NUM_BINDINGS: NLA_U32 (reply only)
 *
 * L2TP_IPSEC_CMD_CONFIG_SET - change the namespace's configuration
 *
 *   L2TP_IPSEC_A_CONFIG: NLA_NESTED, any of _POLICY, _MODE (not inherit),
 *     _PORTS (0 to L2TP_IPSEC_MAX_PORTS ports, each 1..65535, replaces the
 *     set), _MAX_BINDINGS (1..L2TP_IPSEC_MAX_BINDINGS_LIMIT, not below the
 *     number of bindings present).
 *
 * L2TP_IPSEC_CMD_STATS_GET - counters
 *
 *   request: nothing for the namespace's counters, or L2TP_IPSEC_A_BINDING
 *   with the key attributes for one binding's.
 *   reply:
 *   L2TP_IPSEC_A_STATS: NLA_NESTED, enum l2tp_ipsec_stats_attrs, each NLA_U64
 *   (L2TP_IPSEC_A_STATS_ACCEPTED_UNBOUND and _DROPPED_POLICY exist only for
 *   the namespace)
 *
 * L2TP_IPSEC_CMD_VIOLATION_NTF - multicast to group "events", rate limited
 *
 *   L2TP_IPSEC_A_EVENT: NLA_NESTED
 *     L2TP_IPSEC_A_EVENT_REASON: NLA_U8, enum l2tp_ipsec_reason
 *     L2TP_IPSEC_A_EVENT_AUDIT: NLA_FLAG, present if the packet was let
 *       through because of audit mode
 *     L2TP_IPSEC_A_EVENT_SRC_IPV4/_SRC_IPV6, _DST_IPV4/_DST_IPV6
 *     L2TP_IPSEC_A_EVENT_SPORT, _DPORT: NLA_U16
 *     L2TP_IPSEC_A_EVENT_SPI, _REQID: NLA_U32, of the last applied SA, if any
 *     L2TP_IPSEC_A_EVENT_ENCAP_SPORT, _ENCAP_DPORT: NLA_U16, of that SA's
 *       NAT-T encapsulation, if any
 *     L2TP_IPSEC_A_EVENT_BINDING_ID: NLA_U32, if a binding matched
 *     L2TP_IPSEC_A_EVENT_SUPPRESSED: NLA_U32, events dropped by the rate
 *       limit since the previous event
 *
 * L2TP_IPSEC_CMD_UNBOUND_NTF - multicast to group "events", rate limited
 *   apart from violations
 *
 *   An L2TP packet reached a judged port and no tunnel binding names its
 *   4-tuple (no binding matched, or only a listener). Lets an agent find
 *   tunnels that no L2TP multicast announced (PPPoL2TP sockets of xl2tpd).
 *   L2TP_IPSEC_A_EVENT: NLA_NESTED, the attributes of a violation event;
 *     _REASON is L2TP_IPSEC_REASON_NONE if the packet was accepted,
 *     _BINDING_ID names the listener if one matched.
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

	__L2TP_IPSEC_A_EVENT_MAX,
	L2TP_IPSEC_A_EVENT_MAX = __L2TP_IPSEC_A_EVENT_MAX - 1
};

#endif /* _UAPI_LINUX_L2TP_IPSEC_H */
