// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_l2tp_msg: the input is one datagram of the kernel's "l2tp" generic
 * netlink family (FUZZ_L2TP_FAMILY), answering (through fuzz_nl.c)
 * l2tp_tunnel_dump(), l2tp_session_dump() and l2tp_tunnel_get(); and, as
 * notifications, every message goes through l2tp_event_parse() as
 * autobind's event socket does.
 *
 * Checked: a tunnel or session that parses, encoded again as a create
 * request (l2tp_put_tunnel(), l2tp_put_session()), parses back the same;
 * names and cookies stay within their buffers; tunnel show and show print
 * it, text and JSON.
 */

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "fuzz.h"
#include "fuzz_nl.h"
#include "kernel/l2tp.h"
#include "text/l2tp.h"

static struct nl nl;
static struct l2tp_client lc;

static bool same_addr(const struct endpoint *a, const struct endpoint *b)
{
	if (a->family != b->family)
		return false;
	return !memcmp(&a->addr, &b->addr, a->family == AF_INET6 ? 16 : 4);
}

static int tunnel_fn(const struct l2tp_tunnel *t, void *data)
{
	static char buf[NL_REQ_SIZE];
	struct l2tp_tunnel back;
	struct nlmsghdr *nlh;
	char name[16];

	(void)data;
	FUZZ_RENDER(render_tunnel(&r, t, NULL, 0, NULL, MATCH_NONE));
	FUZZ_RENDER(render_tunnel_state(&r, t, RC_STATE_NO_SA, NULL, NULL, NULL, NULL));
	l2tp_encap_name(t->encap, name, sizeof(name));
	/* A create request needs addresses: tunnels without are not sent. */
	if (t->local.family == AF_UNSPEC)
		return 0;
	nlh = l2tp_msg(&lc, buf, L2TP_CMD_TUNNEL_CREATE, 0);
	l2tp_put_tunnel(nlh, t);
	FUZZ_ASSERT(!l2tp_parse_tunnel(nlh, &back));
	FUZZ_ASSERT(back.tunnel_id == t->tunnel_id &&
		    back.peer_tunnel_id == t->peer_tunnel_id &&
		    back.version == t->version && back.encap == t->encap &&
		    same_addr(&back.local, &t->local) &&
		    same_addr(&back.peer, &t->peer));
	if (t->encap == L2TP_ENCAPTYPE_UDP)
		FUZZ_ASSERT(back.local.port == t->local.port &&
			    back.peer.port == t->peer.port);
	return 0;
}

static int session_fn(const struct l2tp_session *s, void *data)
{
	static char buf[NL_REQ_SIZE];
	struct l2tp_tunnel t = { .tunnel_id = s->tunnel_id };
	struct l2tp_session back;
	struct nlmsghdr *nlh;
	char name[16];

	(void)data;
	FUZZ_RENDER(render_tunnel(&r, &t, s, 1, NULL, MATCH_NONE));
	FUZZ_ASSERT(memchr(s->ifname, '\0', sizeof(s->ifname)));
	FUZZ_ASSERT(s->cookie_len <= sizeof(s->cookie) &&
		    s->peer_cookie_len <= sizeof(s->peer_cookie));
	l2tp_pw_name(s->pw_type, name, sizeof(name));
	nlh = l2tp_msg(&lc, buf, L2TP_CMD_SESSION_CREATE, 0);
	l2tp_put_session(nlh, s);
	FUZZ_ASSERT(!l2tp_parse_session(nlh, &back));
	FUZZ_ASSERT(back.tunnel_id == s->tunnel_id &&
		    back.session_id == s->session_id &&
		    back.peer_session_id == s->peer_session_id &&
		    back.pw_type == s->pw_type && !strcmp(back.ifname, s->ifname));
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)data;
	struct l2tp_event ev;
	struct l2tp_tunnel t;
	int rem = (int)size, ret;

	fuzz_nl_init(&nl);
	lc.nl = &nl;
	lc.family = FUZZ_L2TP_FAMILY;
	fuzz_nl_reply(data, size);

	l2tp_tunnel_dump(&lc, tunnel_fn, NULL);
	l2tp_session_dump(&lc, session_fn, NULL);
	if (!l2tp_tunnel_get(&lc, 1, &t))
		tunnel_fn(&t, NULL);

	/* As notifications (nl_recv_events()'s walk). */
	for (; nl_msg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
		if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
			continue;
		ret = l2tp_event_parse(&lc, nlh, &ev);
		FUZZ_ASSERT(ret == 1 || ret == 0 || ret == -EPROTO);
		if (ret != 1)
			continue;
		if (l2tp_event_is_session(&ev))
			session_fn(&ev.session, NULL);
		else
			tunnel_fn(&ev.tunnel, NULL);
	}
	return 0;
}
