// SPDX-License-Identifier: GPL-2.0
/*
 * agent/kernel/nl.c against the running kernel's generic netlink controller
 * (always there): family and group resolution, a missing family, the
 * kernel's extack message, a dump.
 */

#include <errno.h>

#include <linux/genetlink.h>

#include "harness.h"
#include "kernel/nl.h"

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	int *seen = data;

	if (nl_parse_genl(nlh, tb, CTRL_ATTR_MAX) || !tb[CTRL_ATTR_FAMILY_NAME]) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	seen[0]++;
	if (!strcmp(mnl_attr_get_str(tb[CTRL_ATTR_FAMILY_NAME]), "nlctrl"))
		seen[1]++;
	return MNL_CB_OK;
}

int main(void)
{
	char buf[NL_REQ_SIZE];
	struct genl_family fam;
	struct nlmsghdr *nlh;
	int seen[2] = { 0, 0 };
	uint32_t seq;
	struct nl nl;
	int ret;

	ret = nl_open(&nl);
	if (!check(!ret, "nl_open: generic netlink socket with extended acks")) {
		fprintf(stderr, "  %s\n", strerror(-ret));
		return harness_exit();
	}

	ret = nl_genl_resolve(&nl, "nlctrl", "notify", &fam);
	check(!ret && fam.id == GENL_ID_CTRL && fam.mcgrp_id != 0 && fam.version >= 1,
	      "resolve nlctrl and its multicast group 'notify'");

	ret = nl_genl_resolve(&nl, "nlctrl", "no-such-group", &fam);
	check(!ret && fam.id == GENL_ID_CTRL && fam.mcgrp_id == 0,
	      "resolve a family without the group asked for: group id 0");

	ret = nl_genl_resolve(&nl, "l2tp_ipsec_nx", NULL, &fam);
	check(ret == -ENOENT && nl.kernel_err == -ENOENT,
	      "resolve a missing family: -ENOENT from the kernel");

	seq = nl.seq;
	ret = nl_genl_resolve(&nl, "a-family-name-longer-than-genl-namsiz", NULL, &fam);
	if (!check(ret < 0 && nl.kernel_err == ret && nl.extack[0] != '\0',
		   "policy violation: the kernel's extack message is kept"))
		fprintf(stderr, "  ret %d, extack '%s'\n", ret, nl.extack);
	check(nl.seq == seq + 1, "every request takes the next sequence number");

	nlh = nl_genl_start(buf, GENL_ID_CTRL, NLM_F_DUMP, CTRL_CMD_GETFAMILY, 1);
	ret = nl_transact(&nl, nlh, family_cb, seen);
	check(!ret && seen[0] >= 1 && seen[1] == 1,
	      "dump of every family, read to NLMSG_DONE");

	ret = nl_genl_resolve(&nl, "nlctrl", NULL, &fam);
	check(!ret && fam.id == GENL_ID_CTRL, "socket usable after a dump");

	ret = nl_join_group(&nl, GENL_ID_CTRL);
	check(!ret, "join the controller's multicast group");

	nl_close(&nl);
	return harness_exit();
}
