/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_VIOLATION_H
#define AGENT_VIOLATION_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/endpoint.h"

struct binding;
struct modclient;
struct nlmsghdr;

/**
 * struct violation - an L2TP_IPSEC_CMD_VIOLATION_NTF event: a packet that
 *	failed a check
 * @unbound: it is an L2TP_IPSEC_CMD_UNBOUND_NTF (same attributes)
 * @reason: enum l2tp_ipsec_reason
 * @audit: it was let through because of audit mode
 * @src: the packet's source address and port (family AF_UNSPEC if absent)
 * @dst: its destination
 * @spi, @reqid: of the last applied SA, if @has_spi, @has_reqid
 * @encap_sport, @encap_dport: that SA's NAT-T ports, if @has_encap
 * @binding_id: the binding that matched, if @has_binding_id
 * @suppressed: events the rate limit dropped before this one, if
 *	@has_suppressed
 * @v2_tunnel_id: the L2TPv2 header's tunnel ID, if @has_v2_tunnel_id
 *	(0: an SCCRQ)
 * @sa_mark: the mark the SA gives what it decrypts (its CHILD_SA's), 0
 *	if none
 */
struct violation {
	bool unbound;
	uint8_t reason;
	bool audit;
	struct endpoint src;
	struct endpoint dst;
	bool has_spi, has_reqid, has_encap, has_binding_id, has_suppressed;
	bool has_v2_tunnel_id;
	uint32_t spi;
	uint32_t reqid;
	uint16_t encap_sport;
	uint16_t encap_dport;
	uint32_t binding_id;
	uint32_t suppressed;
	uint16_t v2_tunnel_id;
	uint32_t sa_mark;
};

/*
 * Parse the L2TP_IPSEC_A_EVENT nest of a notification, a VIOLATION_NTF or
 * an UNBOUND_NTF (the same attributes): 0, -EPROTO if malformed, -ENOMSG
 * if @nlh is neither of the family.
 */
int violation_parse(const struct modclient *mc, const struct nlmsghdr *nlh,
		    struct violation *v);

/*
 * The binding @v names (its binding_id), asked of the kernel (over @mc,
 * not the events' socket) by the keys the packet can have matched: exact,
 * any peer port, any peer; taken only with that id. 0, -ENOENT if there is
 * none (no binding_id, or it went since), or -errno; @out is zeroed unless
 * 0.
 */
int violation_binding(struct modclient *mc, const struct violation *v,
		      struct binding *out);

/* Join the family's "events" group: -EOPNOTSUPP if it has none. */
int violation_subscribe(struct modclient *mc);

#endif
