// SPDX-License-Identifier: GPL-2.0
/* Violation events of the "events" multicast group. */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/l2tp_ipsec.h>

#include "kernel/binding.h"
#include "kernel/modclient.h"
#include "kernel/violation.h"

static const struct nl_policy event_policy[L2TP_IPSEC_A_EVENT_MAX + 1] = {
	[L2TP_IPSEC_A_EVENT_REASON]		= { MNL_TYPE_U8, 0 },
	[L2TP_IPSEC_A_EVENT_AUDIT]		= { MNL_TYPE_FLAG, 0 },
	[L2TP_IPSEC_A_EVENT_SRC_IPV4]		= { MNL_TYPE_U32, 0 },
	[L2TP_IPSEC_A_EVENT_SRC_IPV6]		= { MNL_TYPE_BINARY, 16 },
	[L2TP_IPSEC_A_EVENT_DST_IPV4]		= { MNL_TYPE_U32, 0 },
	[L2TP_IPSEC_A_EVENT_DST_IPV6]		= { MNL_TYPE_BINARY, 16 },
	[L2TP_IPSEC_A_EVENT_SPORT]		= { MNL_TYPE_U16, 0 },
	[L2TP_IPSEC_A_EVENT_DPORT]		= { MNL_TYPE_U16, 0 },
	[L2TP_IPSEC_A_EVENT_SPI]		= { MNL_TYPE_U32, 0 },
	[L2TP_IPSEC_A_EVENT_REQID]		= { MNL_TYPE_U32, 0 },
	[L2TP_IPSEC_A_EVENT_ENCAP_SPORT]	= { MNL_TYPE_U16, 0 },
	[L2TP_IPSEC_A_EVENT_ENCAP_DPORT]	= { MNL_TYPE_U16, 0 },
	[L2TP_IPSEC_A_EVENT_BINDING_ID]		= { MNL_TYPE_U32, 0 },
	[L2TP_IPSEC_A_EVENT_SUPPRESSED]		= { MNL_TYPE_U32, 0 },
	[L2TP_IPSEC_A_EVENT_V2_TUNNEL_ID]	= { MNL_TYPE_U16, 0 },
	[L2TP_IPSEC_A_EVENT_SA_MARK]		= { MNL_TYPE_U32, 0 },
};

static void get_endpoint(const struct nlattr *v4, const struct nlattr *v6,
			 const struct nlattr *port, struct endpoint *ep)
{
	if (v4) {
		ep->family = AF_INET;
		memcpy(&ep->addr.v4, mnl_attr_get_payload(v4), sizeof(ep->addr.v4));
	} else if (v6) {
		ep->family = AF_INET6;
		memcpy(&ep->addr.v6, mnl_attr_get_payload(v6), sizeof(ep->addr.v6));
	} else {
		ep->family = AF_UNSPEC;
	}
	if (port)
		ep->port = mnl_attr_get_u16(port);
}

int violation_parse(const struct modclient *mc, const struct nlmsghdr *nlh,
		    struct violation *v)
{
	const struct nlattr *tb[L2TP_IPSEC_A_EVENT_MAX + 1];
	const struct genlmsghdr *genl;
	const struct nlattr *nest;

	memset(v, 0, sizeof(*v));
	if (nlh->nlmsg_type != mc->family ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl))
		return -ENOMSG;
	genl = mnl_nlmsg_get_payload(nlh);
	if (genl->cmd != L2TP_IPSEC_CMD_VIOLATION_NTF &&
	    genl->cmd != L2TP_IPSEC_CMD_UNBOUND_NTF)
		return -ENOMSG;

	nest = modclient_attr(mc, nlh, L2TP_IPSEC_A_EVENT);
	if (!nest || nl_parse_nested(nest, tb, L2TP_IPSEC_A_EVENT_MAX) ||
	    nl_validate(tb, event_policy, L2TP_IPSEC_A_EVENT_MAX) ||
	    !tb[L2TP_IPSEC_A_EVENT_REASON])
		return -EPROTO;

	v->unbound = genl->cmd == L2TP_IPSEC_CMD_UNBOUND_NTF;
	v->reason = mnl_attr_get_u8(tb[L2TP_IPSEC_A_EVENT_REASON]);
	v->audit = tb[L2TP_IPSEC_A_EVENT_AUDIT] != NULL;
	get_endpoint(tb[L2TP_IPSEC_A_EVENT_SRC_IPV4], tb[L2TP_IPSEC_A_EVENT_SRC_IPV6],
		     tb[L2TP_IPSEC_A_EVENT_SPORT], &v->src);
	get_endpoint(tb[L2TP_IPSEC_A_EVENT_DST_IPV4], tb[L2TP_IPSEC_A_EVENT_DST_IPV6],
		     tb[L2TP_IPSEC_A_EVENT_DPORT], &v->dst);
	if (tb[L2TP_IPSEC_A_EVENT_SPI]) {
		v->has_spi = true;
		v->spi = mnl_attr_get_u32(tb[L2TP_IPSEC_A_EVENT_SPI]);
	}
	if (tb[L2TP_IPSEC_A_EVENT_REQID]) {
		v->has_reqid = true;
		v->reqid = mnl_attr_get_u32(tb[L2TP_IPSEC_A_EVENT_REQID]);
	}
	if (tb[L2TP_IPSEC_A_EVENT_ENCAP_SPORT] && tb[L2TP_IPSEC_A_EVENT_ENCAP_DPORT]) {
		v->has_encap = true;
		v->encap_sport = mnl_attr_get_u16(tb[L2TP_IPSEC_A_EVENT_ENCAP_SPORT]);
		v->encap_dport = mnl_attr_get_u16(tb[L2TP_IPSEC_A_EVENT_ENCAP_DPORT]);
	}
	if (tb[L2TP_IPSEC_A_EVENT_BINDING_ID]) {
		v->has_binding_id = true;
		v->binding_id = mnl_attr_get_u32(tb[L2TP_IPSEC_A_EVENT_BINDING_ID]);
	}
	if (tb[L2TP_IPSEC_A_EVENT_SUPPRESSED]) {
		v->has_suppressed = true;
		v->suppressed = mnl_attr_get_u32(tb[L2TP_IPSEC_A_EVENT_SUPPRESSED]);
	}
	if (tb[L2TP_IPSEC_A_EVENT_V2_TUNNEL_ID]) {
		v->has_v2_tunnel_id = true;
		v->v2_tunnel_id = mnl_attr_get_u16(tb[L2TP_IPSEC_A_EVENT_V2_TUNNEL_ID]);
	}
	if (tb[L2TP_IPSEC_A_EVENT_SA_MARK])
		v->sa_mark = mnl_attr_get_u32(tb[L2TP_IPSEC_A_EVENT_SA_MARK]);
	return 0;
}

int violation_subscribe(struct modclient *mc)
{
	if (!mc->events_group)
		return -EOPNOTSUPP;
	return nl_join_group(&mc->nl, mc->events_group);
}

int violation_binding(struct modclient *mc, const struct violation *v,
		      struct binding *out)
{
	int ret;

	memset(out, 0, sizeof(*out));
	if (!v->has_binding_id)
		return -ENOENT;
	/* By id: its 4-tuple may be shared by several bindings. */
	ret = binding_get_id(mc, v->binding_id, out);
	if (ret)
		memset(out, 0, sizeof(*out));
	if (ret == -ENODATA)
		ret = -ENOENT;
	return ret;
}
