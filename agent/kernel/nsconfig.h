/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_NSCONFIG_H
#define AGENT_NSCONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/l2tp_ipsec.h>

struct modclient;
struct nlattr;
struct nlmsghdr;

/**
 * struct nsconfig - the module's configuration of one network namespace;
 *	in a request only the fields with has_* set are changed
 * @policy: enum l2tp_ipsec_policy, for traffic no binding matches
 * @mode: enum l2tp_ipsec_mode, enforce or audit
 * @ports: UDP ports checked besides the local ports of bindings
 * @nports: how many; 0 with @has_ports empties the set
 * @max_bindings: limit on bindings
 * @num_bindings: bindings present (replies only)
 */
struct nsconfig {
	bool has_policy, has_mode, has_ports, has_max_bindings, has_num_bindings;
	uint8_t policy;
	uint8_t mode;
	uint16_t ports[L2TP_IPSEC_MAX_PORTS];
	unsigned int nports;
	uint32_t max_bindings;
	uint32_t num_bindings;
};

void nsconfig_put(struct nlmsghdr *nlh, const struct nsconfig *c);
/* Parse an L2TP_IPSEC_A_CONFIG nest: 0 or -EPROTO. */
int nsconfig_parse(const struct nlattr *nest, struct nsconfig *c);

int nsconfig_get(struct modclient *mc, struct nsconfig *c);
int nsconfig_set(struct modclient *mc, const struct nsconfig *c);

#endif
