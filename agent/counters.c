// SPDX-License-Identifier: GPL-2.0
/* Counters of a namespace or a binding: L2TP_IPSEC_CMD_STATS_GET. */

#include <errno.h>
#include <string.h>

#include "binding.h"
#include "counters.h"
#include "modclient.h"

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

struct stats_reply {
	struct modclient *mc;
	struct counters *c;
	bool got;
};

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	struct stats_reply *r = data;
	const struct nlattr *attr;
	int ret;

	attr = modclient_attr(r->mc, nlh, L2TP_IPSEC_A_STATS);
	if (!attr) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	ret = counters_parse(attr, r->c);
	if (ret) {
		errno = -ret;
		return MNL_CB_ERROR;
	}
	r->got = true;
	return MNL_CB_OK;
}

int stats_get(struct modclient *mc, const struct binding *key,
	      struct counters *c)
{
	struct stats_reply r = { .mc = mc, .c = c };
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	int ret;

	nlh = modclient_msg(mc, buf, L2TP_IPSEC_CMD_STATS_GET, 0);
	if (key)
		binding_put_key(nlh, key);
	ret = nl_transact(&mc->nl, nlh, stats_cb, &r);
	if (ret)
		return ret;
	return r.got ? 0 : -ENODATA;
}
