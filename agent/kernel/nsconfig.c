// SPDX-License-Identifier: GPL-2.0
/* The module's per-namespace configuration: L2TP_IPSEC_CMD_CONFIG_GET/SET. */

#include <errno.h>
#include <string.h>

#include "kernel/modclient.h"
#include "kernel/nsconfig.h"

void nsconfig_put(struct nlmsghdr *nlh, const struct nsconfig *c)
{
	struct nlattr *nest, *ports;
	unsigned int i;

	nest = mnl_attr_nest_start(nlh, L2TP_IPSEC_A_CONFIG);
	if (c->has_policy)
		mnl_attr_put_u8(nlh, L2TP_IPSEC_A_CONFIG_POLICY, c->policy);
	if (c->has_mode)
		mnl_attr_put_u8(nlh, L2TP_IPSEC_A_CONFIG_MODE, c->mode);
	if (c->has_ports) {
		/* An empty nest is how the set is emptied. */
		ports = mnl_attr_nest_start(nlh, L2TP_IPSEC_A_CONFIG_PORTS);
		for (i = 0; i < c->nports; i++)
			mnl_attr_put_u16(nlh, L2TP_IPSEC_A_PORT, c->ports[i]);
		mnl_attr_nest_end(nlh, ports);
	}
	if (c->has_max_bindings)
		mnl_attr_put_u32(nlh, L2TP_IPSEC_A_CONFIG_MAX_BINDINGS,
				 c->max_bindings);
	mnl_attr_nest_end(nlh, nest);
}

static const struct nl_policy config_policy[L2TP_IPSEC_A_CONFIG_MAX + 1] = {
	[L2TP_IPSEC_A_CONFIG_POLICY]		= { MNL_TYPE_U8, 0 },
	[L2TP_IPSEC_A_CONFIG_MODE]		= { MNL_TYPE_U8, 0 },
	[L2TP_IPSEC_A_CONFIG_PORTS]		= { MNL_TYPE_NESTED, 0 },
	[L2TP_IPSEC_A_CONFIG_MAX_BINDINGS]	= { MNL_TYPE_U32, 0 },
	[L2TP_IPSEC_A_CONFIG_NUM_BINDINGS]	= { MNL_TYPE_U32, 0 },
};

static int parse_ports(const struct nlattr *nest, struct nsconfig *c)
{
	const struct nlattr *attr;

	mnl_attr_for_each_nested(attr, nest) {
		if (mnl_attr_get_type(attr) != L2TP_IPSEC_A_PORT)
			continue;
		if (mnl_attr_validate(attr, MNL_TYPE_U16) < 0 ||
		    c->nports >= L2TP_IPSEC_MAX_PORTS)
			return -EPROTO;
		c->ports[c->nports++] = mnl_attr_get_u16(attr);
	}
	c->has_ports = true;
	return 0;
}

int nsconfig_parse(const struct nlattr *nest, struct nsconfig *c)
{
	const struct nlattr *tb[L2TP_IPSEC_A_CONFIG_MAX + 1];

	memset(c, 0, sizeof(*c));
	if (nl_parse_nested(nest, tb, L2TP_IPSEC_A_CONFIG_MAX) ||
	    nl_validate(tb, config_policy, L2TP_IPSEC_A_CONFIG_MAX))
		return -EPROTO;

	if (tb[L2TP_IPSEC_A_CONFIG_POLICY]) {
		c->has_policy = true;
		c->policy = mnl_attr_get_u8(tb[L2TP_IPSEC_A_CONFIG_POLICY]);
	}
	if (tb[L2TP_IPSEC_A_CONFIG_MODE]) {
		c->has_mode = true;
		c->mode = mnl_attr_get_u8(tb[L2TP_IPSEC_A_CONFIG_MODE]);
	}
	if (tb[L2TP_IPSEC_A_CONFIG_PORTS] &&
	    parse_ports(tb[L2TP_IPSEC_A_CONFIG_PORTS], c))
		return -EPROTO;
	if (tb[L2TP_IPSEC_A_CONFIG_MAX_BINDINGS]) {
		c->has_max_bindings = true;
		c->max_bindings = mnl_attr_get_u32(tb[L2TP_IPSEC_A_CONFIG_MAX_BINDINGS]);
	}
	if (tb[L2TP_IPSEC_A_CONFIG_NUM_BINDINGS]) {
		c->has_num_bindings = true;
		c->num_bindings = mnl_attr_get_u32(tb[L2TP_IPSEC_A_CONFIG_NUM_BINDINGS]);
	}
	return 0;
}

struct config_reply {
	struct modclient *mc;
	struct nsconfig *c;
	bool got;
};

static int config_cb(const struct nlmsghdr *nlh, void *data)
{
	struct config_reply *r = data;
	const struct nlattr *attr;

	attr = modclient_attr(r->mc, nlh, L2TP_IPSEC_A_CONFIG);
	if (!attr || nsconfig_parse(attr, r->c)) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	r->got = true;
	return MNL_CB_OK;
}

int nsconfig_get(struct modclient *mc, struct nsconfig *c)
{
	struct config_reply r = { .mc = mc, .c = c };
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	int ret;

	nlh = modclient_msg(mc, buf, L2TP_IPSEC_CMD_CONFIG_GET, 0);
	ret = nl_transact(&mc->nl, nlh, config_cb, &r);
	if (ret)
		return ret;
	return r.got ? 0 : -ENODATA;
}

int nsconfig_set(struct modclient *mc, const struct nsconfig *c)
{
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;

	nlh = modclient_msg(mc, buf, L2TP_IPSEC_CMD_CONFIG_SET, 0);
	nsconfig_put(nlh, c);
	return nl_transact(&mc->nl, nlh, NULL, NULL);
}
