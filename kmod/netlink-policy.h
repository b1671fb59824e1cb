/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attribute policies of the l2tp_ipsec family, as specified in
 * Documentation/netlink/specs/l2tp_ipsec.yaml.
 */

#ifndef _L2TP_IPSEC_NETLINK_POLICY_H
#define _L2TP_IPSEC_NETLINK_POLICY_H

#include <net/netlink.h>
#include <linux/l2tp_ipsec.h>

extern const struct nla_policy
l2tp_ipsec_binding_add_nl_policy[L2TP_IPSEC_A_BINDING_OWNER + 1];
extern const struct nla_policy
l2tp_ipsec_binding_key_nl_policy[L2TP_IPSEC_A_BINDING_PEER_PORT + 1];

extern const struct nla_policy
l2tp_ipsec_binding_add_req_nl_policy[L2TP_IPSEC_A_BINDING + 1];
extern const struct nla_policy
l2tp_ipsec_binding_key_req_nl_policy[L2TP_IPSEC_A_BINDING + 1];
extern const struct nla_policy
l2tp_ipsec_config_set_req_nl_policy[L2TP_IPSEC_A_CONFIG + 1];
extern const struct nla_policy
l2tp_ipsec_config_nl_policy[L2TP_IPSEC_A_CONFIG_MAX_BINDINGS + 1];
extern const struct nla_policy
l2tp_ipsec_port_nl_policy[L2TP_IPSEC_A_PORT + 1];
extern const struct nla_policy
l2tp_ipsec_empty_req_nl_policy[L2TP_IPSEC_A_MAX + 1];

#endif /* _L2TP_IPSEC_NETLINK_POLICY_H */
