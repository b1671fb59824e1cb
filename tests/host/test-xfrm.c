// SPDX-License-Identifier: GPL-2.0
/*
 * XFRM netlink messages without a kernel: policies and SA deletes as
 * agent/kernel/xfrm.c encodes them, byte for byte against the UAPI structures;
 * policy and SA replies as the kernel sends them (xfrm_user.c's
 * dump_one_policy() and copy_to_user_state_extra() layouts), parsed back;
 * and the test that tells our policies from others'.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/udp.h>
#include <linux/xfrm.h>

#include "policy/filters.h"
#include "harness.h"
#include "kernel/xfrm.h"
#include "policy/spd.h"

static struct filter one_filter(enum filter_role role, int family,
				const char *local, const char *remote, int index)
{
	struct filter set[FILTER_SET_MAX];
	struct filter_base b = { .role = role, .family = family };
	int n;

	b.remote.any = !remote;
	inet_pton(family, local, &b.local);
	if (remote)
		inet_pton(family, remote, &b.remote.ip);
	n = filter_base_set(&b, set, FILTER_SET_MAX);
	if (n <= index) {
		/* No line to test: a FAIL line, not a crash without one. */
		check(false, "filter_base_set() has line %d of the %s %s set (it returned %d)",
		      index + 1, role == FILTER_INITIATOR ? "SI" : "SC",
		      family == AF_INET6 ? "IPv6" : "IPv4", n);
		exit(harness_exit());
	}
	return set[index];
}

/* The attributes of a message after its fixed header, in order. */
static int attr_types(const struct nlmsghdr *nlh, size_t hdrlen, uint16_t *types,
		      int max)
{
	const struct nlattr *a;
	int n = 0;

	mnl_attr_for_each(a, nlh, hdrlen)
		if (n < max)
			types[n++] = mnl_attr_get_type(a);
	return n;
}

static const struct nlattr *attr_find(const struct nlmsghdr *nlh, size_t hdrlen,
				      uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, hdrlen)
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

static bool all_zero(const void *p, size_t len)
{
	const unsigned char *c = p;

	while (len--)
		if (*c++)
			return false;
	return true;
}

static void test_protect_v4(void)
{
	/* SC, IPv4: the last line, "From Any-Addr, to 192.0.2.1, UDP, src
	 * Any-Port, dst 1701, PROTECT(ESP, transport)". */
	struct filter f = one_filter(FILTER_RESPONDER, AF_INET, "192.0.2.1", NULL, 5);
	const struct xfrm_userpolicy_info *info;
	const struct xfrm_user_tmpl *ut;
	const struct nlattr *a;
	struct xfrm_selector sel;
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	struct xpolicy p;
	uint16_t types[8];
	uint8_t v4[4] = { 192, 0, 2, 1 };

	spd_from_filter(&f, &p);
	memset(buf, 0xff, sizeof(buf));
	nlh = xfrm_policy_msg(buf, XFRM_MSG_NEWPOLICY, &p);
	info = mnl_nlmsg_get_payload(nlh);
	check(nlh->nlmsg_type == XFRM_MSG_NEWPOLICY && nlh->nlmsg_flags == NLM_F_REQUEST &&
	      nlh->nlmsg_len == NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*info)) +
	      MNL_ALIGN(MNL_ATTR_HDRLEN + sizeof(*ut)),
	      "NEWPOLICY: header, xfrm_userpolicy_info and one attribute, nothing more");

	memset(&sel, 0, sizeof(sel));
	memcpy(&sel.daddr, v4, 4);
	sel.dport = htons(1701);
	sel.dport_mask = 0xffff;
	sel.family = AF_INET;
	sel.prefixlen_d = 32;
	sel.proto = IPPROTO_UDP;
	check(!memcmp(&info->sel, &sel, sizeof(sel)),
	      "NEWPOLICY selector: any source, 192.0.2.1/32, UDP, dport 1701 in network order with mask 0xffff, every other byte 0");
	check(info->priority == 0x4c320094 && info->index == 0 &&
	      info->dir == XFRM_POLICY_IN && info->action == XFRM_POLICY_ALLOW &&
	      info->flags == 0 && info->share == XFRM_SHARE_ANY,
	      "NEWPOLICY: priority 0x4c320094, dir in, allow, index 0 (the kernel's)");
	check(info->lft.soft_byte_limit == XFRM_INF && info->lft.hard_byte_limit == XFRM_INF &&
	      info->lft.soft_packet_limit == XFRM_INF &&
	      info->lft.hard_packet_limit == XFRM_INF &&
	      !info->lft.soft_add_expires_seconds && !info->lft.hard_add_expires_seconds &&
	      !info->lft.soft_use_expires_seconds && !info->lft.hard_use_expires_seconds &&
	      all_zero(&info->curlft, sizeof(info->curlft)),
	      "NEWPOLICY: no limits, never expires (as 'ip xfrm policy add')");

	check(attr_types(nlh, sizeof(*info), types, 8) == 1 && types[0] == XFRMA_TMPL,
	      "PROTECT: XFRMA_TMPL only (no mark, no type, no if_id)");
	a = attr_find(nlh, sizeof(*info), XFRMA_TMPL);
	ut = a ? mnl_attr_get_payload(a) : NULL;
	check(ut && mnl_attr_get_payload_len(a) == sizeof(*ut) && ut->id.proto == IPPROTO_ESP &&
	      ut->id.spi == 0 && all_zero(&ut->id.daddr, sizeof(ut->id.daddr)) &&
	      all_zero(&ut->saddr, sizeof(ut->saddr)) && ut->family == AF_INET &&
	      ut->reqid == 0 && ut->mode == XFRM_MODE_TRANSPORT && ut->optional == 0 &&
	      ut->share == XFRM_SHARE_ANY,
	      "PROTECT template: ESP, transport, any SPI and reqid, level required");
	check(ut && ut->aalgos == ~0u && ut->ealgos == ~0u && ut->calgos == ~0u,
	      "PROTECT template: any algorithm (else the SA's must be in the masks)");
}

static void test_bypass_v6(void)
{
	/* SI, IPv6: "Outbound-1: From IPv6-SI, to IPv6-SC, ESP, BYPASS" */
	struct filter f = one_filter(FILTER_INITIATOR, AF_INET6, "2001:db8::1", "2001:db8::2", 0);
	const struct xfrm_userpolicy_info *info;
	struct in6_addr si, sc;
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	struct xpolicy p;

	inet_pton(AF_INET6, "2001:db8::1", &si);
	inet_pton(AF_INET6, "2001:db8::2", &sc);
	spd_from_filter(&f, &p);
	nlh = xfrm_policy_msg(buf, XFRM_MSG_UPDPOLICY, &p);
	info = mnl_nlmsg_get_payload(nlh);
	check(nlh->nlmsg_type == XFRM_MSG_UPDPOLICY &&
	      nlh->nlmsg_len == NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*info)),
	      "UPDPOLICY for a BYPASS: no attribute at all (no template)");
	check(info->sel.family == AF_INET6 && !memcmp(&info->sel.saddr, &si, 16) &&
	      !memcmp(&info->sel.daddr, &sc, 16) && info->sel.prefixlen_s == 128 &&
	      info->sel.prefixlen_d == 128 && info->sel.proto == IPPROTO_ESP &&
	      !info->sel.sport && !info->sel.sport_mask && !info->sel.dport &&
	      !info->sel.dport_mask,
	      "BYPASS ESP selector: IPv6 hosts /128, protocol 50, no ports");
	check(info->priority == FILTER_PRIO_BYPASS && info->dir == XFRM_POLICY_OUT &&
	      info->action == XFRM_POLICY_ALLOW,
	      "BYPASS: allow, priority 0x4c32, dir out");
}

static void test_id_msgs(void)
{
	struct filter f = one_filter(FILTER_RESPONDER, AF_INET, "192.0.2.1", NULL, 5);
	const struct xfrm_userpolicy_info *info;
	const struct xfrm_userpolicy_id *id;
	const struct xfrm_userpolicy_type *type;
	const struct xfrm_mark *mark;
	const struct nlattr *a;
	char buf[NL_REQ_SIZE], buf2[NL_REQ_SIZE];
	struct nlmsghdr *nlh, *nlh2;
	struct xpolicy p;
	uint16_t types[8];

	spd_from_filter(&f, &p);
	nlh = xfrm_policy_id_msg(buf, XFRM_MSG_DELPOLICY, &p);
	id = mnl_nlmsg_get_payload(nlh);
	nlh2 = xfrm_policy_msg(buf2, XFRM_MSG_NEWPOLICY, &p);
	info = mnl_nlmsg_get_payload(nlh2);
	check(nlh->nlmsg_type == XFRM_MSG_DELPOLICY &&
	      nlh->nlmsg_len == NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*id)) &&
	      !memcmp(&id->sel, &info->sel, sizeof(id->sel)) && id->index == 0 &&
	      id->dir == XFRM_POLICY_IN,
	      "DELPOLICY: xfrm_userpolicy_id with the NEWPOLICY's selector and dir, index 0: by selector");

	p.type = XFRM_POLICY_TYPE_SUB;
	p.mark_v = 5;
	p.mark_m = 0xff;
	nlh = xfrm_policy_id_msg(buf, XFRM_MSG_GETPOLICY, &p);
	check(nlh->nlmsg_type == XFRM_MSG_GETPOLICY &&
	      attr_types(nlh, sizeof(*id), types, 8) == 2 &&
	      types[0] == XFRMA_POLICY_TYPE && types[1] == XFRMA_MARK,
	      "GETPOLICY of a sub policy with a mark: XFRMA_POLICY_TYPE and XFRMA_MARK");
	a = attr_find(nlh, sizeof(*id), XFRMA_POLICY_TYPE);
	type = a ? mnl_attr_get_payload(a) : NULL;
	a = attr_find(nlh, sizeof(*id), XFRMA_MARK);
	mark = a ? mnl_attr_get_payload(a) : NULL;
	check(type && type->type == XFRM_POLICY_TYPE_SUB && mark && mark->v == 5 &&
	      mark->m == 0xff, "policy type and mark carry their values");
}

static void test_padding(void)
{
	struct filter f = one_filter(FILTER_INITIATOR, AF_INET, "192.0.2.1", "192.0.2.2", 4);
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	struct xpolicy p;

	memset(buf, 0x5a, sizeof(buf));
	spd_from_filter(&f, &p);
	nlh = xfrm_policy_msg(buf, XFRM_MSG_NEWPOLICY, &p);
	check(!memchr(buf, 0x5a, nlh->nlmsg_len),
	      "requests carry no stale bytes (selector padding, user, ifindex, attribute padding)");
}

static void test_parse_policy(void)
{
	static const struct {
		enum filter_role role;
		int family;
		const char *local, *remote;
		int lines;	/* RFC 5619 A.1/A.2 with NAT-T: 6 BYPASS + PROTECTs */
	} sets[] = {
		{ FILTER_INITIATOR, AF_INET, "192.0.2.1", "192.0.2.2", 10 },
		{ FILTER_RESPONDER, AF_INET, "192.0.2.2", NULL, 8 },
		{ FILTER_INITIATOR, AF_INET6, "2001:db8::1", "2001:db8::2", 10 },
		{ FILTER_RESPONDER, AF_INET6, "2001:db8::2", "2001:db8::1", 8 },
	};
	struct filter set[FILTER_SET_MAX];
	struct xpolicy p, q;
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	int i, n, lines = 0, want = 0;
	bool ok = true;
	size_t s;

	for (s = 0; s < ARRAY_SIZE(sets); s++) {
		struct filter_base b = {
			.role = sets[s].role, .family = sets[s].family,
			.remote.any = !sets[s].remote, .nat_t = true,
		};

		inet_pton(b.family, sets[s].local, &b.local);
		if (sets[s].remote)
			inet_pton(b.family, sets[s].remote, &b.remote.ip);
		n = filter_base_set(&b, set, FILTER_SET_MAX);
		want += sets[s].lines;
		/* An empty or failed set must not pass for want of lines. */
		if (n != sets[s].lines) {
			fprintf(stderr, "  set %zu: filter_base_set() returned %d, want %d\n",
				s, n, sets[s].lines);
			ok = false;
		}
		for (i = 0; i < n; i++) {
			lines++;
			spd_from_filter(&set[i], &p);
			/* The kernel's answer has this layout; it adds the index. */
			nlh = xfrm_policy_msg(buf, XFRM_MSG_NEWPOLICY, &p);
			((struct xfrm_userpolicy_info *)mnl_nlmsg_get_payload(nlh))->index = 8 * i + 1;
			p.index = 8 * i + 1;
			if (xfrm_policy_parse(nlh, &q) || memcmp(&p, &q, sizeof(p)) ||
			    !spd_ours(&q) || !xfrm_policy_same_id(&p, &q)) {
				fprintf(stderr, "  set %zu line %d\n", s, i + 1);
				ok = false;
			}
		}
	}
	check(ok && lines == want,
	      "every line of the SI and SC sets, IPv4 and IPv6: encodes, parses back equal, is ours");
}

/* A policy reply built by hand, as dump_one_policy() lays it out. */
static struct nlmsghdr *reply(char *buf, uint32_t priority, uint8_t action,
			      int ntmpl, uint8_t mode, uint8_t optional)
{
	struct xfrm_userpolicy_info *info;
	struct xfrm_user_tmpl ut[2];
	struct xfrm_userpolicy_type type = { .type = XFRM_POLICY_TYPE_MAIN };
	struct nlmsghdr *nlh;
	int i;

	memset(buf, 0, NL_REQ_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = XFRM_MSG_NEWPOLICY;
	info = mnl_nlmsg_put_extra_header(nlh, sizeof(*info));
	info->sel.family = AF_INET;
	info->sel.proto = IPPROTO_UDP;
	info->priority = priority;
	info->action = action;
	info->dir = XFRM_POLICY_OUT;
	info->index = 9;
	memset(ut, 0, sizeof(ut));
	for (i = 0; i < ntmpl; i++) {
		ut[i].id.proto = IPPROTO_ESP;
		ut[i].family = AF_INET;
		ut[i].mode = mode;
		ut[i].optional = optional;
		ut[i].reqid = 3;
	}
	if (ntmpl)
		mnl_attr_put(nlh, XFRMA_TMPL, ntmpl * sizeof(ut[0]), ut);
	/* CONFIG_XFRM_SUB_POLICY kernels always send the type. */
	mnl_attr_put(nlh, XFRMA_POLICY_TYPE, sizeof(type), &type);
	return nlh;
}

static void test_ours(void)
{
	char buf[NL_REQ_SIZE];
	struct xfrm_mark mark = { .v = 1, .m = 0xffffffff };
	struct nlmsghdr *nlh;
	struct xpolicy p;

	nlh = reply(buf, FILTER_PRIO_BYPASS, XFRM_POLICY_ALLOW, 0, 0, 0);
	check(!xfrm_policy_parse(nlh, &p) && spd_ours(&p) && p.index == 9,
	      "ours: allow without template at 0x4c32 (BYPASS)");
	nlh = reply(buf, 0x4c320004, XFRM_POLICY_ALLOW, 1, XFRM_MODE_TRANSPORT, 0);
	check(!xfrm_policy_parse(nlh, &p) && spd_ours(&p) && p.ntmpl == 1 &&
	      p.tmpl[0].reqid == 3,
	      "ours: one required ESP transport template in the band (PROTECT), a reqid too");
	nlh = reply(buf, 0x4c32ffff, XFRM_POLICY_BLOCK, 0, 0, 0);
	check(!xfrm_policy_parse(nlh, &p) && spd_ours(&p),
	      "ours: block in the band (DISCARD)");

	nlh = reply(buf, 0, XFRM_POLICY_ALLOW, 1, XFRM_MODE_TRANSPORT, 0);
	check(!xfrm_policy_parse(nlh, &p) && !spd_ours(&p),
	      "not ours: priority 0 ('ip xfrm policy add' without priority)");
	nlh = reply(buf, 0x4c330000, XFRM_POLICY_ALLOW, 1, XFRM_MODE_TRANSPORT, 0);
	check(!xfrm_policy_parse(nlh, &p) && !spd_ours(&p),
	      "not ours: just past the band");
	nlh = reply(buf, 0x4c320000, XFRM_POLICY_ALLOW, 0, 0, 0);
	check(!xfrm_policy_parse(nlh, &p) && !spd_ours(&p),
	      "not ours: a bypass at a PROTECT priority");
	nlh = reply(buf, FILTER_PRIO_BYPASS, XFRM_POLICY_ALLOW, 1, XFRM_MODE_TRANSPORT, 0);
	check(!xfrm_policy_parse(nlh, &p) && !spd_ours(&p),
	      "not ours: a template at the BYPASS priority");
	nlh = reply(buf, 0x4c320000, XFRM_POLICY_ALLOW, 1, XFRM_MODE_TUNNEL, 0);
	check(!xfrm_policy_parse(nlh, &p) && !spd_ours(&p),
	      "not ours: tunnel mode");
	nlh = reply(buf, 0x4c320000, XFRM_POLICY_ALLOW, 1, XFRM_MODE_TRANSPORT, 1);
	check(!xfrm_policy_parse(nlh, &p) && !spd_ours(&p),
	      "not ours: an optional template (level use)");
	nlh = reply(buf, 0x4c320000, XFRM_POLICY_ALLOW, 2, XFRM_MODE_TRANSPORT, 0);
	check(!xfrm_policy_parse(nlh, &p) && p.ntmpl == 2 && !spd_ours(&p),
	      "not ours: two templates");
	nlh = reply(buf, 0x4c320000, XFRM_POLICY_ALLOW, 1, XFRM_MODE_TRANSPORT, 0);
	mnl_attr_put(nlh, XFRMA_MARK, sizeof(mark), &mark);
	check(!xfrm_policy_parse(nlh, &p) && p.mark_v == 1 && p.mark_m == 0xffffffff &&
	      !spd_ours(&p), "not ours: a mark");
	nlh = reply(buf, FILTER_PRIO_BYPASS, XFRM_POLICY_ALLOW, 0, 0, 0);
	mnl_attr_put_u32(nlh, XFRMA_IF_ID, 4);
	check(!xfrm_policy_parse(nlh, &p) && p.if_id == 4 && !spd_ours(&p),
	      "not ours: an xfrm interface id");
	nlh = reply(buf, FILTER_PRIO_BYPASS, XFRM_POLICY_ALLOW, 0, 0, 0);
	((struct xfrm_userpolicy_info *)mnl_nlmsg_get_payload(nlh))->sel.ifindex = 2;
	check(!xfrm_policy_parse(nlh, &p) && p.ifindex == 2 && !spd_ours(&p),
	      "not ours: a selector with an interface");
}

static void test_bad_replies(void)
{
	struct xfrm_mark mark = { 1, 2 };
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	struct xpolicy p;

	nlh = reply(buf, 0, XFRM_POLICY_ALLOW, 0, 0, 0);
	mnl_attr_put_u32(nlh, 200, 1);		/* a newer kernel's attribute */
	check(!xfrm_policy_parse(nlh, &p), "policy reply with an unknown attribute parses");
	nlh = reply(buf, 0, XFRM_POLICY_ALLOW, 0, 0, 0);
	nlh->nlmsg_type = XFRM_MSG_NEWSA;
	check(xfrm_policy_parse(nlh, &p) == -ENOMSG, "an SA message is not a policy");
	nlh = reply(buf, 0, XFRM_POLICY_ALLOW, 0, 0, 0);
	nlh->nlmsg_len = NLMSG_HDRLEN + 100;
	check(xfrm_policy_parse(nlh, &p) == -EPROTO,
	      "policy reply shorter than xfrm_userpolicy_info refused");
	nlh = reply(buf, 0, XFRM_POLICY_ALLOW, 0, 0, 0);
	mnl_attr_put(nlh, XFRMA_TMPL, 10, "0123456789");
	check(xfrm_policy_parse(nlh, &p) == -EPROTO,
	      "template attribute not a whole number of templates refused");
	nlh = reply(buf, 0, XFRM_POLICY_ALLOW, 0, 0, 0);
	mnl_attr_put(nlh, XFRMA_MARK, 4, &mark);
	check(xfrm_policy_parse(nlh, &p) == -EPROTO, "4-byte mark refused");
	nlh = reply(buf, 0, XFRM_POLICY_ALLOW, 0, 0, 0);
	((struct xfrm_userpolicy_info *)mnl_nlmsg_get_payload(nlh))->sel.family = AF_UNIX;
	check(xfrm_policy_parse(nlh, &p) == -EPROTO, "selector of another family refused");
}

static void test_same_id(void)
{
	/* "Outbound-3: From IPv4-SI, to IPv4-SC, UDP, src 1701, dst 1701" */
	struct filter f = one_filter(FILTER_INITIATOR, AF_INET, "192.0.2.1", "192.0.2.2", 4);
	struct xpolicy a, b;

	spd_from_filter(&f, &a);
	b = a;
	b.priority = 0;
	b.ntmpl = 0;
	b.index = 77;
	check(xfrm_policy_same_id(&a, &b),
	      "same policy to the kernel: priority, action, templates and index do not count");
	b = a;
	b.mark_v = 1;
	b.mark_m = 1;
	check(!xfrm_policy_same_id(&a, &b), "another policy: a mark");
	b = a;
	b.dir = XFRM_POLICY_IN;
	check(!xfrm_policy_same_id(&a, &b), "another policy: the direction");
	b = a;
	b.dport_mask = 0;
	b.dport = 0;
	check(!xfrm_policy_same_id(&a, &b), "another policy: a port");
}

static struct nlmsghdr *sa_reply(char *buf, const char *src, const char *dst)
{
	struct xfrm_usersa_info *info;
	struct xfrm_encap_tmpl encap;
	struct xfrm_mark mark = { .v = 0x10, .m = 0xf0 };
	struct nlmsghdr *nlh;

	memset(buf, 0, NL_REQ_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = XFRM_MSG_NEWSA;
	info = mnl_nlmsg_put_extra_header(nlh, sizeof(*info));
	info->family = AF_INET;
	info->sel.family = AF_INET;
	inet_pton(AF_INET, src, &info->saddr);
	inet_pton(AF_INET, dst, &info->id.daddr);
	info->id.spi = htonl(0xc0de1001);
	info->id.proto = IPPROTO_ESP;
	info->mode = XFRM_MODE_TRANSPORT;
	info->reqid = 7;
	mnl_attr_put_strz(nlh, XFRMA_ALG_AEAD, "rfc4106(gcm(aes))");	/* ignored */
	memset(&encap, 0, sizeof(encap));
	encap.encap_type = UDP_ENCAP_ESPINUDP;
	encap.encap_sport = htons(4501);
	encap.encap_dport = htons(4500);
	mnl_attr_put(nlh, XFRMA_ENCAP, sizeof(encap), &encap);
	mnl_attr_put(nlh, XFRMA_MARK, sizeof(mark), &mark);
	return nlh;
}

static void test_sa(void)
{
	const struct xfrm_usersa_id *id;
	const struct xfrm_mark *mark;
	const struct nlattr *a;
	char buf[NL_REQ_SIZE], del[NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	struct in_addr src, dst;
	struct xsa sa;
	uint16_t types[4];
	int ret;

	inet_pton(AF_INET, "198.51.100.2", &src);
	inet_pton(AF_INET, "192.0.2.1", &dst);
	nlh = sa_reply(buf, "198.51.100.2", "192.0.2.1");
	ret = xfrm_sa_parse(nlh, &sa);
	check(!ret && sa.family == AF_INET && sa.saddr.v4.s_addr == src.s_addr &&
	      sa.daddr.v4.s_addr == dst.s_addr && sa.spi == 0xc0de1001 &&
	      sa.proto == IPPROTO_ESP && sa.mode == XFRM_MODE_TRANSPORT && sa.reqid == 7 &&
	      sa.has_encap && sa.encap_type == UDP_ENCAP_ESPINUDP && sa.encap_sport == 4501 &&
	      sa.encap_dport == 4500 && sa.mark_v == 0x10 && sa.mark_m == 0xf0,
	      "SA reply: addresses, SPI in host order, proto, mode, reqid, NAT-T ports, mark");

	nlh = xfrm_sa_del_msg(del, &sa);
	id = mnl_nlmsg_get_payload(nlh);
	a = attr_find(nlh, sizeof(*id), XFRMA_MARK);
	mark = a ? mnl_attr_get_payload(a) : NULL;
	check(nlh->nlmsg_type == XFRM_MSG_DELSA && nlh->nlmsg_flags == NLM_F_REQUEST &&
	      !memcmp(&id->daddr, &dst, 4) && all_zero((char *)&id->daddr + 4, 12) &&
	      id->spi == htonl(0xc0de1001) && id->family == AF_INET &&
	      id->proto == IPPROTO_ESP && attr_types(nlh, sizeof(*id), types, 4) == 1 &&
	      mark && mark->v == 0x10 && mark->m == 0xf0,
	      "DELSA: xfrm_usersa_id (daddr, SPI in network order, family, proto) and the SA's mark");

	sa.mark_v = sa.mark_m = 0;
	nlh = xfrm_sa_del_msg(del, &sa);
	check(attr_types(nlh, sizeof(*id), types, 4) == 0, "DELSA of an SA without mark: no attribute");

	nlh = sa_reply(buf, "198.51.100.2", "192.0.2.1");
	nlh->nlmsg_type = XFRM_MSG_NEWPOLICY;
	check(xfrm_sa_parse(nlh, &sa) == -ENOMSG, "a policy message is not an SA");
	nlh = sa_reply(buf, "198.51.100.2", "192.0.2.1");
	mnl_attr_put(nlh, XFRMA_ENCAP, 4, "abcd");
	check(xfrm_sa_parse(nlh, &sa) == -EPROTO, "SA reply with a short XFRMA_ENCAP refused");
}

int main(void)
{
	test_protect_v4();
	test_bypass_v6();
	test_id_msgs();
	test_padding();
	test_parse_policy();
	test_ours();
	test_bad_replies();
	test_same_id();
	test_sa();
	return harness_exit();
}
