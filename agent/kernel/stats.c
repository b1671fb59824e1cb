// SPDX-License-Identifier: GPL-2.0
/* L2TP_IPSEC_CMD_STATS_GET: the counters of a namespace or a binding. */

#include <errno.h>

#include "kernel/binding.h"
#include "kernel/counters.h"
#include "kernel/modclient.h"
#include "kernel/stats.h"

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
