// SPDX-License-Identifier: GPL-2.0
/*
 * Attribute policies of the l2tp_ipsec family, one per request shape, as
 * specified in Documentation/netlink/specs/l2tp_ipsec.yaml. Validation is
 * strict: an attribute a request does not list is rejected.
 */

#include "netlink-policy.h"

/* The 4-tuple that names a binding. */
const struct nla_policy
l2tp_ipsec_binding_key_nl_policy[L2TP_IPSEC_A_BINDING_PEER_PORT + 1] = {
	[L2TP_IPSEC_A_BINDING_LOCAL_IPV4] = { .type = NLA_BE32 },
	[L2TP_IPSEC_A_BINDING_LOCAL_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[L2TP_IPSEC_A_BINDING_LOCAL_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[L2TP_IPSEC_A_BINDING_PEER_IPV4] = { .type = NLA_BE32 },
	[L2TP_IPSEC_A_BINDING_PEER_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[L2TP_IPSEC_A_BINDING_PEER_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
};

/* The 4-tuple and the identity of the SA that must protect it. */
const struct nla_policy
l2tp_ipsec_binding_add_nl_policy[L2TP_IPSEC_A_BINDING_OWNER + 1] = {
	[L2TP_IPSEC_A_BINDING_LOCAL_IPV4] = { .type = NLA_BE32 },
	[L2TP_IPSEC_A_BINDING_LOCAL_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[L2TP_IPSEC_A_BINDING_LOCAL_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[L2TP_IPSEC_A_BINDING_PEER_IPV4] = { .type = NLA_BE32 },
	[L2TP_IPSEC_A_BINDING_PEER_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[L2TP_IPSEC_A_BINDING_PEER_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[L2TP_IPSEC_A_BINDING_REQID] = NLA_POLICY_MIN(NLA_U32, 1),
	[L2TP_IPSEC_A_BINDING_SPI] = NLA_POLICY_MIN(NLA_U32, 256),
	[L2TP_IPSEC_A_BINDING_ENCAP_SPORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[L2TP_IPSEC_A_BINDING_ENCAP_DPORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[L2TP_IPSEC_A_BINDING_L2TP_VERSION] = NLA_POLICY_RANGE(NLA_U8, 2, 3),
	[L2TP_IPSEC_A_BINDING_V2_TUNNEL_ID] = NLA_POLICY_MIN(NLA_U16, 1),
	[L2TP_IPSEC_A_BINDING_ALLOW_AH] = { .type = NLA_FLAG },
	[L2TP_IPSEC_A_BINDING_MODE] =
		NLA_POLICY_MAX(NLA_U8, L2TP_IPSEC_MODE_AUDIT),
	[L2TP_IPSEC_A_BINDING_OWNER] = NLA_POLICY_MIN(NLA_U32, 1),
};

const struct nla_policy l2tp_ipsec_port_nl_policy[L2TP_IPSEC_A_PORT + 1] = {
	[L2TP_IPSEC_A_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
};

static struct netlink_range_validation max_bindings_range = {
	.min = 1,
	.max = L2TP_IPSEC_MAX_BINDINGS_LIMIT,
};

const struct nla_policy
l2tp_ipsec_config_nl_policy[L2TP_IPSEC_A_CONFIG_MAX_BINDINGS + 1] = {
	[L2TP_IPSEC_A_CONFIG_POLICY] =
		NLA_POLICY_MAX(NLA_U8, L2TP_IPSEC_POLICY_DROP),
	[L2TP_IPSEC_A_CONFIG_MODE] =
		NLA_POLICY_RANGE(NLA_U8, L2TP_IPSEC_MODE_ENFORCE,
				 L2TP_IPSEC_MODE_AUDIT),
	[L2TP_IPSEC_A_CONFIG_PORTS] =
		NLA_POLICY_NESTED(l2tp_ipsec_port_nl_policy),
	[L2TP_IPSEC_A_CONFIG_MAX_BINDINGS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &max_bindings_range),
};

/* binding-add */
const struct nla_policy
l2tp_ipsec_binding_add_req_nl_policy[L2TP_IPSEC_A_BINDING + 1] = {
	[L2TP_IPSEC_A_BINDING] =
		NLA_POLICY_NESTED(l2tp_ipsec_binding_add_nl_policy),
};

/* binding-del, binding-get, stats-get */
const struct nla_policy
l2tp_ipsec_binding_key_req_nl_policy[L2TP_IPSEC_A_BINDING + 1] = {
	[L2TP_IPSEC_A_BINDING] =
		NLA_POLICY_NESTED(l2tp_ipsec_binding_key_nl_policy),
};

/* config-set */
const struct nla_policy
l2tp_ipsec_config_set_req_nl_policy[L2TP_IPSEC_A_CONFIG + 1] = {
	[L2TP_IPSEC_A_CONFIG] = NLA_POLICY_NESTED(l2tp_ipsec_config_nl_policy),
};

/* binding-flush, config-get, binding dumps: no attribute at all. */
const struct nla_policy l2tp_ipsec_empty_req_nl_policy[L2TP_IPSEC_A_MAX + 1];
