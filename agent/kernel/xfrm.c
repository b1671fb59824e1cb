// SPDX-License-Identifier: GPL-2.0
/*
 * XFRM netlink (NETLINK_XFRM) on libmnl: SPD entries and SA queries.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/xfrm.h>

#include "kernel/xfrm.h"
#include "lib/vec.h"

#ifndef MNL_SOCKET_DUMP_SIZE
#define MNL_SOCKET_DUMP_SIZE 32768
#endif

int xfrm_open(struct nl *nl)
{
	return nl_open_bus(nl, NETLINK_XFRM);
}

static size_t addr_len(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

bool xfrm_policy_same_id(const struct xpolicy *a, const struct xpolicy *b)
{
	size_t len = addr_len(a->family);

	return a->family == b->family && a->dir == b->dir && a->type == b->type &&
	       a->proto == b->proto && a->prefixlen_s == b->prefixlen_s &&
	       a->prefixlen_d == b->prefixlen_d &&
	       !memcmp(&a->saddr, &b->saddr, len) && !memcmp(&a->daddr, &b->daddr, len) &&
	       a->sport == b->sport && a->sport_mask == b->sport_mask &&
	       a->dport == b->dport && a->dport_mask == b->dport_mask &&
	       a->ifindex == b->ifindex && a->mark_v == b->mark_v &&
	       a->mark_m == b->mark_m && a->if_id == b->if_id;
}

static struct nlmsghdr *msg_start(void *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh;

	/* libmnl 1.0.4 leaves attribute padding as it finds it. */
	memset(buf, 0, NL_REQ_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	return nlh;
}

static void put_selector(struct xfrm_selector *sel, const struct xpolicy *p)
{
	sel->family = (uint16_t)p->family;
	memcpy(&sel->saddr, &p->saddr, addr_len(p->family));
	memcpy(&sel->daddr, &p->daddr, addr_len(p->family));
	sel->prefixlen_s = p->prefixlen_s;
	sel->prefixlen_d = p->prefixlen_d;
	sel->proto = p->proto;
	sel->sport = htons(p->sport);
	sel->sport_mask = htons(p->sport_mask);
	sel->dport = htons(p->dport);
	sel->dport_mask = htons(p->dport_mask);
	sel->ifindex = p->ifindex;
}

/* Keys besides the selector: type (if not main) and mark (if any). */
static void put_keys(struct nlmsghdr *nlh, const struct xpolicy *p)
{
	struct xfrm_userpolicy_type type = { .type = p->type };
	struct xfrm_mark mark = { .v = p->mark_v, .m = p->mark_m };

	if (p->type != XFRM_POLICY_TYPE_MAIN)
		mnl_attr_put(nlh, XFRMA_POLICY_TYPE, sizeof(type), &type);
	if (p->mark_v || p->mark_m)
		mnl_attr_put(nlh, XFRMA_MARK, sizeof(mark), &mark);
	if (p->if_id)
		mnl_attr_put_u32(nlh, XFRMA_IF_ID, p->if_id);
}

struct nlmsghdr *xfrm_policy_msg(void *buf, uint16_t type,
				 const struct xpolicy *p)
{
	struct xfrm_user_tmpl ut[XPOLICY_MAX_TMPL];
	struct xfrm_userpolicy_info *info;
	struct nlmsghdr *nlh;
	unsigned int i;

	nlh = msg_start(buf, type, 0);
	info = mnl_nlmsg_put_extra_header(nlh, sizeof(*info));
	put_selector(&info->sel, p);
	/* No limits: "ip xfrm policy" does the same. */
	info->lft.soft_byte_limit = XFRM_INF;
	info->lft.hard_byte_limit = XFRM_INF;
	info->lft.soft_packet_limit = XFRM_INF;
	info->lft.hard_packet_limit = XFRM_INF;
	info->priority = p->priority;
	info->dir = p->dir;
	info->action = p->action;
	info->share = XFRM_SHARE_ANY;

	if (p->ntmpl) {
		memset(ut, 0, sizeof(ut));
		for (i = 0; i < p->ntmpl && i < XPOLICY_MAX_TMPL; i++) {
			ut[i].family = (uint16_t)p->tmpl[i].family;
			ut[i].id.proto = p->tmpl[i].proto;
			ut[i].id.spi = htonl(p->tmpl[i].spi);
			memcpy(&ut[i].id.daddr, &p->tmpl[i].daddr,
			       addr_len(p->tmpl[i].family));
			memcpy(&ut[i].saddr, &p->tmpl[i].saddr,
			       addr_len(p->tmpl[i].family));
			ut[i].reqid = p->tmpl[i].reqid;
			ut[i].mode = p->tmpl[i].mode;
			ut[i].share = XFRM_SHARE_ANY;
			ut[i].optional = p->tmpl[i].optional;
			/* Any algorithm: the SA's choice is not the policy's. */
			ut[i].aalgos = ~0u;
			ut[i].ealgos = ~0u;
			ut[i].calgos = ~0u;
		}
		mnl_attr_put(nlh, XFRMA_TMPL, i * sizeof(ut[0]), ut);
	}
	put_keys(nlh, p);
	return nlh;
}

struct nlmsghdr *xfrm_policy_id_msg(void *buf, uint16_t type,
				    const struct xpolicy *p)
{
	struct xfrm_userpolicy_id *id;
	struct nlmsghdr *nlh;

	nlh = msg_start(buf, type, 0);
	id = mnl_nlmsg_put_extra_header(nlh, sizeof(*id));
	put_selector(&id->sel, p);
	id->dir = p->dir;
	put_keys(nlh, p);
	return nlh;
}

/* Attributes after a fixed header of @hdrlen bytes into @tb[0..XFRMA_MAX]. */
struct attrs {
	const struct nlattr *tb[XFRMA_MAX + 1];
};

static int attrs_cb(const struct nlattr *attr, void *data)
{
	struct attrs *a = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type <= XFRMA_MAX)
		a->tb[type] = attr;
	return MNL_CB_OK;
}

static int parse_attrs(const struct nlmsghdr *nlh, size_t hdrlen,
		       struct attrs *a)
{
	memset(a, 0, sizeof(*a));
	if (mnl_nlmsg_get_payload_len(nlh) < hdrlen ||
	    mnl_attr_parse(nlh, (unsigned int)hdrlen, attrs_cb, a) != MNL_CB_OK)
		return -EPROTO;
	return 0;
}

/* What the agent reads of a reply, and how long each must be. */
static const struct nl_policy xfrma_policy[XFRMA_MAX + 1] = {
	[XFRMA_ENCAP]		= { MNL_TYPE_BINARY, sizeof(struct xfrm_encap_tmpl) },
	[XFRMA_POLICY_TYPE]	= { MNL_TYPE_BINARY, sizeof(struct xfrm_userpolicy_type) },
	[XFRMA_MARK]		= { MNL_TYPE_BINARY, sizeof(struct xfrm_mark) },
	[XFRMA_IF_ID]		= { MNL_TYPE_U32, 0 },
	[XFRMA_SET_MARK]	= { MNL_TYPE_U32, 0 },
	[XFRMA_SET_MARK_MASK]	= { MNL_TYPE_U32, 0 },
};

static void get_mark(const struct attrs *a, uint32_t *v, uint32_t *m)
{
	struct xfrm_mark mark = { 0, 0 };

	if (a->tb[XFRMA_MARK])
		memcpy(&mark, mnl_attr_get_payload(a->tb[XFRMA_MARK]), sizeof(mark));
	*v = mark.v;
	*m = mark.m;
}

static int parse_tmpls(const struct nlattr *attr, struct xpolicy *p)
{
	struct xfrm_user_tmpl ut;
	size_t len = mnl_attr_get_payload_len(attr);
	const char *data = mnl_attr_get_payload(attr);
	unsigned int i;

	if (len % sizeof(ut) || len / sizeof(ut) > XPOLICY_MAX_TMPL)
		return -EPROTO;
	p->ntmpl = (unsigned int)(len / sizeof(ut));
	for (i = 0; i < p->ntmpl; i++) {
		memcpy(&ut, data + i * sizeof(ut), sizeof(ut));
		p->tmpl[i].family = ut.family ? ut.family : p->family;
		p->tmpl[i].proto = ut.id.proto;
		p->tmpl[i].mode = ut.mode;
		p->tmpl[i].optional = ut.optional;
		p->tmpl[i].reqid = ut.reqid;
		p->tmpl[i].spi = ntohl(ut.id.spi);
		memcpy(&p->tmpl[i].daddr, &ut.id.daddr, sizeof(p->tmpl[i].daddr));
		memcpy(&p->tmpl[i].saddr, &ut.saddr, sizeof(p->tmpl[i].saddr));
	}
	return 0;
}

int xfrm_policy_parse(const struct nlmsghdr *nlh, struct xpolicy *p)
{
	struct xfrm_userpolicy_info info;
	struct xfrm_userpolicy_type type;
	struct attrs a;

	memset(p, 0, sizeof(*p));
	if (nlh->nlmsg_type != XFRM_MSG_NEWPOLICY)
		return -ENOMSG;
	if (parse_attrs(nlh, sizeof(info), &a) ||
	    nl_validate(a.tb, xfrma_policy, XFRMA_MAX))
		return -EPROTO;
	memcpy(&info, mnl_nlmsg_get_payload(nlh), sizeof(info));

	p->family = info.sel.family;
	if (p->family != AF_INET && p->family != AF_INET6)
		return -EPROTO;
	memcpy(&p->saddr, &info.sel.saddr, addr_len(p->family));
	memcpy(&p->daddr, &info.sel.daddr, addr_len(p->family));
	p->prefixlen_s = info.sel.prefixlen_s;
	p->prefixlen_d = info.sel.prefixlen_d;
	p->proto = info.sel.proto;
	p->sport = ntohs(info.sel.sport);
	p->sport_mask = ntohs(info.sel.sport_mask);
	p->dport = ntohs(info.sel.dport);
	p->dport_mask = ntohs(info.sel.dport_mask);
	p->ifindex = info.sel.ifindex;
	p->priority = info.priority;
	p->index = info.index;
	p->dir = info.dir;
	p->action = info.action;
	p->type = XFRM_POLICY_TYPE_MAIN;
	if (a.tb[XFRMA_POLICY_TYPE]) {
		memcpy(&type, mnl_attr_get_payload(a.tb[XFRMA_POLICY_TYPE]),
		       sizeof(type));
		p->type = type.type;
	}
	get_mark(&a, &p->mark_v, &p->mark_m);
	if (a.tb[XFRMA_IF_ID])
		p->if_id = mnl_attr_get_u32(a.tb[XFRMA_IF_ID]);
	p->has_sec_ctx = a.tb[XFRMA_SEC_CTX] != NULL;
	if (a.tb[XFRMA_TMPL])
		return parse_tmpls(a.tb[XFRMA_TMPL], p);
	return 0;
}

int xfrm_policy_add(struct nl *nl, const struct xpolicy *p, bool update)
{
	char buf[NL_REQ_SIZE];

	return nl_transact(nl, xfrm_policy_msg(buf, update ? XFRM_MSG_UPDPOLICY :
					       XFRM_MSG_NEWPOLICY, p), NULL, NULL);
}

struct one_policy {
	struct xpolicy *out;
	bool found;
};

static int one_policy_cb(const struct nlmsghdr *nlh, void *data)
{
	struct one_policy *o = data;

	if (o->found || xfrm_policy_parse(nlh, o->out))
		return MNL_CB_OK;
	o->found = true;
	return MNL_CB_OK;
}

int xfrm_policy_get(struct nl *nl, const struct xpolicy *key,
		    struct xpolicy *out)
{
	struct one_policy o = { .out = out };
	char buf[NL_REQ_SIZE];
	int ret;

	ret = nl_transact(nl, xfrm_policy_id_msg(buf, XFRM_MSG_GETPOLICY, key),
			  one_policy_cb, &o);
	if (ret)
		return ret;
	return o.found ? 0 : -ENODATA;
}

int xfrm_policy_del(struct nl *nl, const struct xpolicy *key)
{
	char buf[NL_REQ_SIZE];

	return nl_transact(nl, xfrm_policy_id_msg(buf, XFRM_MSG_DELPOLICY, key),
			   NULL, NULL);
}

struct policy_list {
	struct xpolicy *list;
	size_t n;
	size_t cap;
};

static int policy_list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct policy_list *l = data;
	struct xpolicy *grown;
	size_t cap;
	int ret;

	if (l->n == l->cap) {
		cap = l->cap ? 2 * l->cap : 16;
		grown = realloc(l->list, cap * sizeof(*grown));
		if (!grown) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		l->list = grown;
		l->cap = cap;
	}
	ret = xfrm_policy_parse(nlh, &l->list[l->n]);
	if (ret == -ENOMSG)
		return MNL_CB_OK;
	if (ret) {
		errno = -ret;
		return MNL_CB_ERROR;
	}
	l->n++;
	return MNL_CB_OK;
}

int xfrm_policy_list(struct nl *nl, struct xpolicy **list, size_t *n)
{
	struct policy_list l = { .list = NULL };
	char buf[NL_REQ_SIZE];
	int ret;

	ret = nl_transact(nl, msg_start(buf, XFRM_MSG_GETPOLICY, NLM_F_DUMP),
			  policy_list_cb, &l);
	if (ret && ret != -EINTR) {
		free(l.list);
		l.list = NULL;
		l.n = 0;
	}
	*list = l.list;
	*n = l.n;
	return ret;
}

int xfrm_sa_parse(const struct nlmsghdr *nlh, struct xsa *sa)
{
	struct xfrm_usersa_info info;
	struct xfrm_encap_tmpl encap;
	struct attrs a;

	memset(sa, 0, sizeof(*sa));
	if (nlh->nlmsg_type != XFRM_MSG_NEWSA)
		return -ENOMSG;
	if (parse_attrs(nlh, sizeof(info), &a) ||
	    nl_validate(a.tb, xfrma_policy, XFRMA_MAX))
		return -EPROTO;
	memcpy(&info, mnl_nlmsg_get_payload(nlh), sizeof(info));

	sa->family = info.family;
	if (sa->family != AF_INET && sa->family != AF_INET6)
		return -EPROTO;
	memcpy(&sa->saddr, &info.saddr, addr_len(sa->family));
	memcpy(&sa->daddr, &info.id.daddr, addr_len(sa->family));
	sa->spi = ntohl(info.id.spi);
	sa->proto = info.id.proto;
	sa->mode = info.mode;
	sa->reqid = info.reqid;
	if (a.tb[XFRMA_ENCAP]) {
		memcpy(&encap, mnl_attr_get_payload(a.tb[XFRMA_ENCAP]), sizeof(encap));
		sa->has_encap = true;
		sa->encap_type = encap.encap_type;
		sa->encap_sport = ntohs(encap.encap_sport);
		sa->encap_dport = ntohs(encap.encap_dport);
	}
	get_mark(&a, &sa->mark_v, &sa->mark_m);
	if (a.tb[XFRMA_IF_ID])
		sa->if_id = mnl_attr_get_u32(a.tb[XFRMA_IF_ID]);
	/* What it marks decrypted packets with; no mask is all bits. */
	if (a.tb[XFRMA_SET_MARK])
		sa->set_mark = mnl_attr_get_u32(a.tb[XFRMA_SET_MARK]) &
			       (a.tb[XFRMA_SET_MARK_MASK] ?
				mnl_attr_get_u32(a.tb[XFRMA_SET_MARK_MASK]) : ~0u);
	return 0;
}

struct nlmsghdr *xfrm_sa_del_msg(void *buf, const struct xsa *sa)
{
	struct xfrm_mark mark = { .v = sa->mark_v, .m = sa->mark_m };
	struct xfrm_usersa_id *id;
	struct nlmsghdr *nlh;

	nlh = msg_start(buf, XFRM_MSG_DELSA, 0);
	id = mnl_nlmsg_put_extra_header(nlh, sizeof(*id));
	memcpy(&id->daddr, &sa->daddr, addr_len(sa->family));
	id->spi = htonl(sa->spi);
	id->family = (uint16_t)sa->family;
	id->proto = sa->proto;
	/* The kernel finds a marked SA only by its mark. */
	if (sa->mark_v || sa->mark_m)
		mnl_attr_put(nlh, XFRMA_MARK, sizeof(mark), &mark);
	return nlh;
}

struct sa_dump {
	xsa_fn fn;
	void *data;
};

static int sa_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct sa_dump *d = data;
	struct xsa sa;
	int ret;

	ret = xfrm_sa_parse(nlh, &sa);
	if (ret == -ENOMSG)
		return MNL_CB_OK;
	if (!ret)
		ret = d->fn(&sa, d->data);
	if (ret) {
		errno = -ret;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

int xfrm_sa_collect(const struct xsa *sa, void *vec)
{
	return vec_push(vec, sa, sizeof(*sa));
}

int xfrm_sa_dump(struct nl *nl, xsa_fn fn, void *data)
{
	struct sa_dump d = { .fn = fn, .data = data };
	char buf[NL_REQ_SIZE];

	return nl_transact(nl, msg_start(buf, XFRM_MSG_GETSA, NLM_F_DUMP),
			   sa_dump_cb, &d);
}

int xfrm_sa_del(struct nl *nl, const struct xsa *sa)
{
	char buf[NL_REQ_SIZE];

	return nl_transact(nl, xfrm_sa_del_msg(buf, sa), NULL, NULL);
}
