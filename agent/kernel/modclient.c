// SPDX-License-Identifier: GPL-2.0
/* Opening the l2tp_ipsec generic netlink family. */

#include <errno.h>

#include <linux/genetlink.h>
#include <linux/l2tp_ipsec.h>

#include "kernel/modclient.h"

int modclient_open(struct modclient *mc)
{
	struct genl_family fam;
	int ret;

	ret = nl_open(&mc->nl);
	if (ret)
		return ret;
	ret = nl_genl_resolve(&mc->nl, L2TP_IPSEC_GENL_NAME,
			      L2TP_IPSEC_MCGRP_EVENTS, &fam);
	if (ret) {
		nl_close(&mc->nl);
		return ret;
	}
	mc->family = fam.id;
	mc->events_group = fam.mcgrp_id;
	return 0;
}

void modclient_close(struct modclient *mc)
{
	nl_close(&mc->nl);
}

struct nlmsghdr *modclient_msg(const struct modclient *mc, void *buf,
			       uint8_t cmd, uint16_t flags)
{
	return nl_genl_start(buf, mc->family, flags, cmd,
			     L2TP_IPSEC_GENL_VERSION);
}

const struct nlattr *modclient_attr(const struct modclient *mc,
				    const struct nlmsghdr *nlh,
				    unsigned int type)
{
	const struct nlattr *tb[L2TP_IPSEC_A_MAX + 1];

	if (nlh->nlmsg_type != mc->family ||
	    nl_parse_genl(nlh, tb, L2TP_IPSEC_A_MAX))
		return NULL;
	return tb[type];
}
