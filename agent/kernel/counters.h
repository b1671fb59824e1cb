/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_COUNTERS_H
#define AGENT_COUNTERS_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/l2tp_ipsec.h>

struct nlattr;

/**
 * struct counters - the counters of a namespace or of one binding
 * @val: values, indexed by enum l2tp_ipsec_stats_attrs
 * @present: bit n set if the kernel sent counter n; a binding has no
 *	accepted_unbound or dropped_policy, a newer kernel may have more
 */
struct counters {
	uint64_t val[L2TP_IPSEC_A_STATS_MAX + 1];
	uint32_t present;
};

_Static_assert(L2TP_IPSEC_A_STATS_MAX < 32, "counters.present is too small");

static inline bool counters_has(const struct counters *c, unsigned int type)
{
	return type <= L2TP_IPSEC_A_STATS_MAX && (c->present & (1u << type));
}

/* Parse an L2TP_IPSEC_A_STATS nest: 0 or -EPROTO. */
int counters_parse(const struct nlattr *nest, struct counters *c);

#endif
