// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_xfrm_msg: the input is one NETLINK_XFRM datagram, answering (through
 * fuzz_nl.c) xfrm_policy_list() (the SPD dump of "spd show" and the
 * reconcile), xfrm_sa_dump(), xfrm_policy_get() and spd_policy_install()
 * (its add, get, update); and, as XFRM events, every message goes through
 * xfrm_sa_parse() and xfrm_policy_parse().
 *
 * Checked: every policy that parses is encoded again by
 * xfrm_policy_msg() and parses back to the same policy (what "spd remove"
 * and an update send is what was read), with spd_ours() and
 * xfrm_policy_same_id() agreeing on both; SA addresses stay within their
 * family's length; spd show prints the list, text and JSON.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/xfrm.h>

#include "fuzz.h"
#include "fuzz_nl.h"
#include "kernel/xfrm.h"
#include "policy/spd.h"
#include "text/xfrm.h"

static struct nl nl;

static size_t alen(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

static bool same_tmpl(const struct xtmpl *a, const struct xtmpl *b)
{
	return a->family == b->family && a->proto == b->proto &&
	       a->mode == b->mode && a->optional == b->optional &&
	       a->reqid == b->reqid && a->spi == b->spi &&
	       !memcmp(&a->saddr, &b->saddr, alen(a->family)) &&
	       !memcmp(&a->daddr, &b->daddr, alen(a->family));
}

/* What xfrm_policy_msg() writes of @p, read back. */
static void policy_round_trip(const struct xpolicy *p)
{
	static char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	struct xpolicy q;
	unsigned int i;

	FUZZ_ASSERT(p->family == AF_INET || p->family == AF_INET6);
	FUZZ_ASSERT(p->ntmpl <= XPOLICY_MAX_TMPL);
	nlh = xfrm_policy_msg(buf, XFRM_MSG_NEWPOLICY, p);
	FUZZ_ASSERT(nlh->nlmsg_len <= sizeof(buf));
	FUZZ_ASSERT(!xfrm_policy_parse(nlh, &q));
	FUZZ_ASSERT(xfrm_policy_same_id(p, &q) && xfrm_policy_same_id(&q, p));
	FUZZ_ASSERT(q.priority == p->priority && q.action == p->action &&
		    q.ntmpl == p->ntmpl);
	for (i = 0; i < p->ntmpl; i++)
		FUZZ_ASSERT(same_tmpl(&p->tmpl[i], &q.tmpl[i]));
	/* The security context is the one thing not sent back. */
	if (!p->has_sec_ctx)
		FUZZ_ASSERT(spd_ours(p) == spd_ours(&q) &&
			    spd_ours_tunnel(p) == spd_ours_tunnel(&q));

	/* GETPOLICY / DELPOLICY by id carry the same selector and keys. */
	nlh = xfrm_policy_id_msg(buf, XFRM_MSG_DELPOLICY, p);
	FUZZ_ASSERT(nlh->nlmsg_len <= sizeof(buf));
}

static int sa_fn(const struct xsa *sa, void *data)
{
	static char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;

	(void)data;
	FUZZ_ASSERT(sa->family == AF_INET || sa->family == AF_INET6);
	nlh = xfrm_sa_del_msg(buf, sa);
	FUZZ_ASSERT(nlh->nlmsg_len <= sizeof(buf));
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)data;
	struct xpolicy *list, key, out;
	struct xsa sa;
	size_t n, i;
	int rem = (int)size;

	fuzz_nl_init(&nl);
	fuzz_nl_reply(data, size);

	if (xfrm_policy_list(&nl, &list, &n) == 0 || list) {
		for (i = 0; i < n; i++)
			policy_round_trip(&list[i]);
		FUZZ_RENDER(render_policies(&r, list, n));
		free(list);
	}
	xfrm_sa_dump(&nl, sa_fn, NULL);

	memset(&key, 0, sizeof(key));
	key.family = AF_INET;
	key.dir = XFRM_POLICY_IN;
	if (!xfrm_policy_get(&nl, &key, &out))
		policy_round_trip(&out);
	spd_policy_install(&nl, &key, &out);

	/* As events (autobind's socket): every message, whatever it is. */
	for (; nl_msg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
		if (!xfrm_sa_parse(nlh, &sa))
			sa_fn(&sa, NULL);
		if (!xfrm_policy_parse(nlh, &out))
			policy_round_trip(&out);
	}
	return 0;
}
