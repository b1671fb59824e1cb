// SPDX-License-Identifier: GPL-2.0
/*
 * Resolving a generic netlink family, and one of its multicast groups,
 * through the controller (CTRL_CMD_GETFAMILY). Apart from nl.c so that
 * its reply parser goes through nl_transact() by a call between objects,
 * which the fuzzer (tests/fuzz, -Wl,--wrap=nl_transact) can answer.
 */

#include <errno.h>
#include <string.h>

#include <linux/genetlink.h>

#include "kernel/nl.h"

struct resolve {
	const char *group;
	struct genl_family *fam;
};

static void resolve_group(const struct nlattr *groups, struct resolve *r)
{
	const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	const struct nlattr *grp;

	mnl_attr_for_each_nested(grp, groups) {
		if (nl_parse_nested(grp, tb, CTRL_ATTR_MCAST_GRP_MAX) ||
		    !tb[CTRL_ATTR_MCAST_GRP_NAME] || !tb[CTRL_ATTR_MCAST_GRP_ID] ||
		    mnl_attr_validate(tb[CTRL_ATTR_MCAST_GRP_NAME], MNL_TYPE_NUL_STRING) ||
		    mnl_attr_validate(tb[CTRL_ATTR_MCAST_GRP_ID], MNL_TYPE_U32))
			continue;
		if (!strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]), r->group))
			r->fam->mcgrp_id = mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	}
}

static int resolve_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct resolve *r = data;

	if (nlh->nlmsg_type != GENL_ID_CTRL || nl_parse_genl(nlh, tb, CTRL_ATTR_MAX))
		return MNL_CB_OK;
	if (tb[CTRL_ATTR_FAMILY_ID] &&
	    !mnl_attr_validate(tb[CTRL_ATTR_FAMILY_ID], MNL_TYPE_U16))
		r->fam->id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_VERSION] &&
	    !mnl_attr_validate(tb[CTRL_ATTR_VERSION], MNL_TYPE_U32))
		r->fam->version = mnl_attr_get_u32(tb[CTRL_ATTR_VERSION]);
	if (r->group && tb[CTRL_ATTR_MCAST_GROUPS] &&
	    !mnl_attr_validate(tb[CTRL_ATTR_MCAST_GROUPS], MNL_TYPE_NESTED))
		resolve_group(tb[CTRL_ATTR_MCAST_GROUPS], r);
	return MNL_CB_OK;
}

int nl_genl_resolve(struct nl *nl, const char *name, const char *group,
		    struct genl_family *fam)
{
	char buf[NL_REQ_SIZE];
	struct resolve r = { .group = group, .fam = fam };
	struct nlmsghdr *nlh;
	int ret;

	memset(fam, 0, sizeof(*fam));
	nlh = nl_genl_start(buf, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	ret = nl_transact(nl, nlh, resolve_cb, &r);
	if (ret)
		return ret;
	return fam->id ? 0 : -EPROTO;
}
