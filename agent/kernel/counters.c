// SPDX-License-Identifier: GPL-2.0
/* Counters of a namespace or a binding as the module reports them. */

#include <errno.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "kernel/counters.h"

int counters_parse(const struct nlattr *nest, struct counters *c)
{
	const struct nlattr *attr;
	unsigned int type;

	memset(c, 0, sizeof(*c));
	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return -EPROTO;
	mnl_attr_for_each_nested(attr, nest) {
		type = mnl_attr_get_type(attr);
		/* PAD only aligns the u64s; types above MAX are a newer kernel's. */
		if (type == L2TP_IPSEC_A_STATS_UNSPEC ||
		    type == L2TP_IPSEC_A_STATS_PAD || type > L2TP_IPSEC_A_STATS_MAX)
			continue;
		if (mnl_attr_validate(attr, MNL_TYPE_U64) < 0)
			return -EPROTO;
		c->val[type] = mnl_attr_get_u64(attr);
		c->present |= 1u << type;
	}
	return 0;
}
