// SPDX-License-Identifier: GPL-2.0
/*
 * The static tunnels' transactions (agent/cli/tunnel_txn.c) against a fake
 * kernel (fake_nl.c): every request they send is compared, in order and
 * byte for byte, with one built by the agent's own encoders. For each
 * request of "tunnel add" that fails, exactly what was made before it is
 * undone, last first: the tunnel deleted, the filters installed deleted,
 * the binding deleted by the same key. A rollback step that fails is
 * reported; "tunnel del" goes through its steps and stops at a failure.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/l2tp_ipsec.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>

#include "cli/tunnel_txn.h"
#include "fake_nl.h"
#include "harness.h"
#include "kernel/modclient.h"
#include "kernel/xfrm.h"
#include "policy/reconcile.h"

/* The families' ids of the fuzzers' fake kernel. */
#define MOD_FAMILY 0x20
#define L2TP_FAMILY 0x1b
#define EXTACK "fake: refused"

static struct modclient mc = { .family = MOD_FAMILY };
static struct l2tp_client lc = { .nl = &mc.nl, .family = L2TP_FAMILY };
static struct nl xnl;
/* No waiting: a tunnel still there after its delete has timed out. */
static const struct tunnel_txn tx = { &mc, &lc, &xnl, 0 };

/* The tunnel of every case, as "tunnel add" parses it. */
static struct binding b;
static struct l2tp_tunnel t;
static struct l2tp_session s;
/* Its filters, as the transaction must install them. */
static struct xpolicy filters[RC_TUNNEL_FILTERS_MAX];
static int nf;

static void set_ep(struct endpoint *ep, const char *addr, uint16_t port)
{
	memset(ep, 0, sizeof(*ep));
	ep->family = AF_INET;
	inet_pton(AF_INET, addr, &ep->addr);
	ep->port = port;
}

static void setup(void)
{
	uint32_t reqid_in, reqid_out;

	fake_nl_init(&mc.nl);
	fake_nl_init(&xnl);
	memset(&b, 0, sizeof(b));
	set_ep(&b.local, "192.0.2.1", 1701);
	set_ep(&b.peer, "192.0.2.2", 1701);
	b.reqid = 7;
	b.l2tp_version = 3;
	memset(&t, 0, sizeof(t));
	t.tunnel_id = 10;
	t.peer_tunnel_id = 20;
	t.version = 3;
	t.encap = L2TP_ENCAPTYPE_UDP;
	t.local = b.local;
	t.peer = b.peer;
	memset(&s, 0, sizeof(s));
	s.tunnel_id = t.tunnel_id;
	s.session_id = 30;
	s.peer_session_id = 40;
	s.pw_type = L2TP_PWTYPE_ETH;
	/* No SA in the fake's dumps: both directions take the binding's reqid. */
	reconcile_filter_reqids(&t, &b, NULL, 0, &reqid_in, &reqid_out);
	nf = reconcile_tunnel_filters(&t, FILTER_RESPONDER, reqid_in, reqid_out,
				      filters, RC_TUNNEL_FILTERS_MAX);
}

/* ------------------------------------------------------------------------ */
/* The fake kernel's answers */

/**
 * struct rule - how the fake kernel answers one kind of request
 * @type: nlmsg_type: a family, or XFRM_MSG_*
 * @cmd: the genl command (0 for XFRM)
 * @nth: which request of that kind: 0 the first, -1 all
 * @err: the error it gets, 0: none (an ack, or the dump's end)
 * @extack: the kernel's message with it, or NULL
 * @reply: puts the reply's messages before that, or NULL
 */
struct rule {
	uint16_t type;
	uint8_t cmd;
	int nth;
	int err;
	const char *extack;
	void (*reply)(void);
};

#define MAX_RULES 8

struct script {
	struct rule rules[MAX_RULES];
	int n;
};

static uint8_t cmd_of(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type != MOD_FAMILY && nlh->nlmsg_type != L2TP_FAMILY)
		return 0;
	return g->cmd;
}

static bool same_kind(const struct nlmsghdr *a, const struct nlmsghdr *b2)
{
	return a->nlmsg_type == b2->nlmsg_type && cmd_of(a) == cmd_of(b2);
}

/* Which request of its kind request @i is, counted from 0. */
static int nth_of_kind(const struct nlmsghdr *req, size_t i)
{
	const struct nlmsghdr *r;
	int n = 0;
	size_t j;

	for (j = 0; j < i; j++) {
		r = fake_nl_req(j, NULL);
		if (r && same_kind(r, req))
			n++;
	}
	return n;
}

static void answer(const struct nl *nl, const struct nlmsghdr *req, size_t i,
		   void *data)
{
	const struct script *sc = data;
	const struct rule *r;
	int k, nth = nth_of_kind(req, i);

	(void)nl;
	for (k = 0; k < sc->n; k++) {
		r = &sc->rules[k];
		if (r->type != req->nlmsg_type || r->cmd != cmd_of(req) ||
		    (r->nth >= 0 && r->nth != nth))
			continue;
		if (r->reply)
			r->reply();
		if (r->err || r->extack)
			fake_nl_ack(r->err, r->extack);
		return;
	}
	/* By default a tunnel deleted is gone at once. */
	if (req->nlmsg_type == L2TP_FAMILY && cmd_of(req) == L2TP_CMD_TUNNEL_GET)
		fake_nl_ack(-ENODEV, NULL);
}

static void rule(struct script *sc, uint16_t type, uint8_t cmd, int nth,
		 int err, const char *extack, void (*reply)(void))
{
	if (sc->n < MAX_RULES)
		sc->rules[sc->n++] = (struct rule){ type, cmd, nth, err, extack, reply };
}

/* Replies */

static void reply_tunnel(void)
{
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh = l2tp_msg(&lc, buf, L2TP_CMD_TUNNEL_GET, 0);

	l2tp_put_tunnel(nlh, &t);
	fake_nl_put(nlh);
}

static const uint32_t session_ids[] = { 30, 31 };

/* Two sessions of the tunnel and one of another. */
static void reply_sessions(void)
{
	struct l2tp_session one = s;
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	size_t i;

	for (i = 0; i <= ARRAY_SIZE(session_ids); i++) {
		one.tunnel_id = i < ARRAY_SIZE(session_ids) ? t.tunnel_id : 99;
		one.session_id = i < ARRAY_SIZE(session_ids) ? session_ids[i] : 32;
		nlh = l2tp_msg(&lc, buf, L2TP_CMD_SESSION_GET, NLM_F_MULTI);
		l2tp_put_session(nlh, &one);
		fake_nl_put(nlh);
	}
}

/* Another's policy, with the selector of the last filter, for another SA. */
static struct xpolicy foreign(void)
{
	struct xpolicy p = filters[nf - 1];

	p.priority = 100;
	p.tmpl[0].reqid++;
	return p;
}

/* The IKE daemon's own filter for the tunnel's SA: the first filter's. */
static struct xpolicy ike_filter(void)
{
	struct xpolicy p = filters[0];

	p.priority = 268543;	/* charon's, for a /32 udp/1701 selector */
	return p;
}

static void reply_ike_filter(void)
{
	struct xpolicy p = ike_filter();
	char buf[NL_REQ_SIZE];

	fake_nl_put(xfrm_policy_msg(buf, XFRM_MSG_NEWPOLICY, &p));
}

static void reply_foreign(void)
{
	struct xpolicy p = foreign();
	char buf[NL_REQ_SIZE];

	fake_nl_put(xfrm_policy_msg(buf, XFRM_MSG_NEWPOLICY, &p));
}

/* The SPD: the tunnel's filters, and another's policy. */
static void reply_spd(void)
{
	char buf[NL_REQ_SIZE];
	int i;

	for (i = 0; i < nf; i++)
		fake_nl_put(xfrm_policy_msg(buf, XFRM_MSG_NEWPOLICY, &filters[i]));
	reply_foreign();
}

/* ------------------------------------------------------------------------ */
/* The requests a case expects, built with the agent's own encoders */

struct want {
	const struct nl *nl;
	union {
		struct nlmsghdr nlh;
		char buf[NL_REQ_SIZE];
	} u;
};

static struct want wants[FAKE_MAX_REQS];
static size_t nwants;

/* A zeroed buffer for the next request wanted on @nl. */
static void *want(const struct nl *nl)
{
	struct want *w;

	if (nwants >= FAKE_MAX_REQS) {
		fprintf(stderr, "test-tunnel-txn: more than %d requests wanted\n",
			FAKE_MAX_REQS);
		abort();
	}
	w = &wants[nwants++];
	memset(w, 0, sizeof(*w));
	w->nl = nl;
	return w->u.buf;
}

static void want_binding(uint8_t cmd)
{
	struct nlmsghdr *nlh = modclient_msg(&mc, want(&mc.nl), cmd, 0);

	if (cmd == L2TP_IPSEC_CMD_BINDING_ADD)
		binding_put(nlh, &b);
	else
		binding_put_key(nlh, &b);
}

/*
 * "tunnel del" names the binding by the tunnel's 4-tuple alone: it knows
 * no pin (the only binding of that 4-tuple; -ENOTUNIQ if several).
 */
static void want_binding_del_by_tunnel(void)
{
	struct nlmsghdr *nlh = modclient_msg(&mc, want(&mc.nl),
					     L2TP_IPSEC_CMD_BINDING_DEL, 0);
	struct binding k = b;

	k.reqid = 0;
	k.spi = 0;
	k.encap_sport = 0;
	k.encap_dport = 0;
	binding_put_key(nlh, &k);
}

static void want_xfrm_dump(uint16_t type)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(want(&xnl));

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
}

static void want_policy(uint16_t type, int i)
{
	if (type == XFRM_MSG_NEWPOLICY)
		xfrm_policy_msg(want(&xnl), type, &filters[i]);
	else
		xfrm_policy_id_msg(want(&xnl), type, &filters[i]);
}

static void want_l2tp(uint8_t cmd, uint32_t session_id)
{
	uint16_t flags = cmd == L2TP_CMD_SESSION_GET ? NLM_F_DUMP : 0;
	struct nlmsghdr *nlh = l2tp_msg(&lc, want(&mc.nl), cmd, flags);

	switch (cmd) {
	case L2TP_CMD_TUNNEL_CREATE:
		l2tp_put_tunnel(nlh, &t);
		break;
	case L2TP_CMD_SESSION_CREATE:
		l2tp_put_session(nlh, &s);
		break;
	case L2TP_CMD_SESSION_DELETE:
		mnl_attr_put_u32(nlh, L2TP_ATTR_CONN_ID, t.tunnel_id);
		mnl_attr_put_u32(nlh, L2TP_ATTR_SESSION_ID, session_id);
		break;
	case L2TP_CMD_TUNNEL_DELETE:
	case L2TP_CMD_TUNNEL_GET:
		mnl_attr_put_u32(nlh, L2TP_ATTR_CONN_ID, t.tunnel_id);
		break;
	}
}

/* Filters @from down to 0 deleted, then the binding: a rollback. */
static void want_undo_filters_binding(int from)
{
	int i;

	for (i = from; i >= 0; i--)
		want_policy(XFRM_MSG_DELPOLICY, i);
	want_binding(L2TP_IPSEC_CMD_BINDING_DEL);
}

/* "tunnel add" all through; returns how many requests that is. */
static size_t want_add(void)
{
	int i;

	nwants = 0;
	want_binding(L2TP_IPSEC_CMD_BINDING_ADD);
	want_xfrm_dump(XFRM_MSG_GETSA);
	for (i = 0; i < nf; i++)
		want_policy(XFRM_MSG_NEWPOLICY, i);
	want_l2tp(L2TP_CMD_TUNNEL_CREATE, 0);
	want_l2tp(L2TP_CMD_SESSION_CREATE, 0);
	return nwants;
}

static void describe(const char *who, size_t i, const struct nlmsghdr *nlh)
{
	fprintf(stderr, "  %s[%zu]: type 0x%x cmd %u len %u%s\n", who, i,
		nlh->nlmsg_type, cmd_of(nlh), nlh->nlmsg_len,
		nlh->nlmsg_flags & NLM_F_DUMP ? " dump" : "");
}

/* Were exactly the wanted requests sent, in order, on their sockets? */
static bool sent_wanted(void)
{
	size_t i, n = fake_nl_count();
	const struct nlmsghdr *got, *w;
	const struct nl *nl;
	bool ok = n == nwants;

	for (i = 0; ok && i < n; i++) {
		got = fake_nl_req(i, &nl);
		w = &wants[i].u.nlh;
		ok = got && nl == wants[i].nl && same_kind(got, w) &&
		     (got->nlmsg_flags & NLM_F_DUMP) == (w->nlmsg_flags & NLM_F_DUMP) &&
		     got->nlmsg_len == w->nlmsg_len &&
		     !memcmp(mnl_nlmsg_get_payload(got), mnl_nlmsg_get_payload(w),
			     mnl_nlmsg_get_payload_len(w));
	}
	if (ok)
		return true;
	fprintf(stderr, "  %zu requests sent, %zu wanted\n", n, nwants);
	for (i = 0; i < n || i < nwants; i++) {
		if (i < n && fake_nl_req(i, NULL))
			describe("sent", i, fake_nl_req(i, NULL));
		if (i < nwants)
			describe("want", i, &wants[i].u.nlh);
	}
	return false;
}

static bool fault_is(const struct tunnel_txn_fault *f, int err, int kernel_err,
		     const char *extack)
{
	if (f->err == err && f->kernel_err == kernel_err && !strcmp(f->extack, extack))
		return true;
	fprintf(stderr, "  fault: err %d kernel_err %d extack '%s'; want %d %d '%s'\n",
		f->err, f->kernel_err, f->extack, err, kernel_err, extack);
	return false;
}

static bool result_is(const struct tunnel_txn_result *res, enum tunnel_txn_step step,
		      unsigned int undone, unsigned int undo_failed)
{
	if (res->step == step && res->undone == undone &&
	    res->undo_failed == undo_failed)
		return true;
	fprintf(stderr, "  step %d undone 0x%x undo_failed 0x%x; want %d 0x%x 0x%x\n",
		res->step, res->undone, res->undo_failed, step, undone, undo_failed);
	return false;
}

static enum tunnel_txn_step run_add(struct script *sc, struct tunnel_txn_result *res)
{
	fake_nl_start(answer, sc);
	return tunnel_txn_add(&tx, &b, &t, &s, res);
}

static enum tunnel_txn_step run_del(struct script *sc, struct tunnel_txn_result *res)
{
	fake_nl_start(answer, sc);
	return tunnel_txn_del(&tx, t.tunnel_id, res);
}

/* ------------------------------------------------------------------------ */
/* tunnel add */

/* Where in want_add() each step's request is. */
#define K_BINDING 0
#define K_SAS 1
#define K_FILTER(i) (2 + (size_t)(i))
#define K_TUNNEL K_FILTER(nf)
#define K_SESSION (K_TUNNEL + 1)

static void test_add_ok(void)
{
	struct tunnel_txn_result res;
	struct script sc = { .n = 0 };
	enum tunnel_txn_step ret;

	check(nf == 2, "txn: a static IPv4 tunnel has 2 per-tunnel filters (in, out): %d", nf);
	want_add();
	ret = run_add(&sc, &res);
	check(ret == TXN_OK && sent_wanted() && result_is(&res, TXN_OK, 0, 0) &&
	      res.nfilters == (unsigned int)nf && fault_is(&res.fault, 0, 0, ""),
	      "txn add: all succeed: binding, SA dump, each filter, tunnel, session, nothing else");
}

static const char *add_req_name(size_t k, char *buf, size_t len)
{
	if (k == K_BINDING)
		return "binding add";
	if (k == K_SAS)
		return "SA dump";
	if (k < K_TUNNEL) {
		snprintf(buf, len, "filter %zu install", k - K_FILTER(0) + 1);
		return buf;
	}
	return k == K_TUNNEL ? "tunnel create" : "session create";
}

/**
 * fails_at() - request @k of "tunnel add" fails with -EPERM and EXTACK
 * @k: its index in want_add()
 * @sc: gets the rule that fails it
 * @tunnel_reqs: the rollback's requests for the tunnel, if it was made:
 *	1 its delete, 2 its delete and the wait
 * @kept: the tunnel stays, and so the rest
 * @installed: set to the number of filters installed before it
 *
 * Wants the requests up to it, then the rollback's: the tunnel's, and
 * unless it is @kept, the filters installed last first and the binding.
 * Return: the step that fails.
 */
static enum tunnel_txn_step fails_at(size_t k, struct script *sc,
				     int tunnel_reqs, bool kept, int *installed)
{
	const struct nlmsghdr *req;
	enum tunnel_txn_step step;

	want_add();
	req = &wants[k].u.nlh;
	/* Only that one of its kind: the other filters get their ack. */
	rule(sc, req->nlmsg_type, cmd_of(req),
	     k >= K_FILTER(0) && k < K_TUNNEL ? (int)(k - K_FILTER(0)) : 0,
	     -EPERM, EXTACK, NULL);
	nwants = k + 1;

	*installed = k >= K_TUNNEL ? nf : k > K_SAS ? (int)(k - K_FILTER(0)) : 0;
	if (k == K_BINDING)
		return TXN_BINDING;
	step = k == K_SAS ? TXN_SAS : k < K_TUNNEL ? TXN_FILTERS :
	       k == K_TUNNEL ? TXN_TUNNEL : TXN_SESSION;
	if (step == TXN_SESSION) {
		want_l2tp(L2TP_CMD_TUNNEL_DELETE, 0);
		if (tunnel_reqs > 1)
			want_l2tp(L2TP_CMD_TUNNEL_GET, 0);
		if (kept)
			return step;
	}
	want_undo_filters_binding(*installed - 1);
	return step;
}

/* Request @k fails: what came before it is undone, last first. */
static void test_add_fails_at(size_t k)
{
	struct tunnel_txn_result res;
	struct script sc = { .n = 0 };
	enum tunnel_txn_step step;
	unsigned int undone = 0;
	char name[48];
	int installed;

	step = fails_at(k, &sc, 2, false, &installed);
	if (step == TXN_SESSION)
		undone |= TXN_BIT(TXN_TUNNEL);
	if (installed)
		undone |= TXN_BIT(TXN_FILTERS);
	if (step != TXN_BINDING)
		undone |= TXN_BIT(TXN_BINDING);
	run_add(&sc, &res);
	check(sent_wanted() && result_is(&res, step, undone, 0) &&
	      fault_is(&res.fault, -EPERM, -EPERM, EXTACK) &&
	      res.nfilters == (unsigned int)installed,
	      "txn add: %s fails: the step, errno and extack kept, what came before undone in reverse",
	      add_req_name(k, name, sizeof(name)));
}

static void test_add_filter_held(void)
{
	struct tunnel_txn_result res;
	struct script sc = { .n = 0 };
	struct xpolicy held = foreign();

	/* The last filter's selector is another's: NEWPOLICY, GETPOLICY. */
	rule(&sc, XFRM_MSG_NEWPOLICY, 0, nf - 1, -EEXIST, NULL, NULL);
	rule(&sc, XFRM_MSG_GETPOLICY, 0, 0, 0, NULL, reply_foreign);
	want_add();
	nwants = K_TUNNEL;
	want_policy(XFRM_MSG_GETPOLICY, nf - 1);
	want_undo_filters_binding(nf - 2);
	run_add(&sc, &res);
	check(sent_wanted() &&
	      result_is(&res, TXN_FILTERS, TXN_BIT(TXN_FILTERS) | TXN_BIT(TXN_BINDING), 0) &&
	      fault_is(&res.fault, -EEXIST, 0, "") && res.holder_priority == held.priority,
	      "txn add: a filter's selector held by another's policy: its priority said, that policy left alone, the rest undone");
}

/*
 * The first filter's place is charon's equal filter (ESP transport, the
 * same reqid): left to it, not installed, and not deleted by a rollback
 * (a delete goes by selector: it would take charon's).
 */
static void test_add_filter_held_by_ike(void)
{
	struct tunnel_txn_result res;
	struct script sc = { .n = 0 };

	rule(&sc, XFRM_MSG_NEWPOLICY, 0, 0, -EEXIST, NULL, NULL);
	rule(&sc, XFRM_MSG_GETPOLICY, 0, 0, 0, NULL, reply_ike_filter);
	want_add();
	nwants = K_FILTER(0) + 1;
	want_policy(XFRM_MSG_GETPOLICY, 0);
	want_policy(XFRM_MSG_NEWPOLICY, 1);
	want_l2tp(L2TP_CMD_TUNNEL_CREATE, 0);
	want_l2tp(L2TP_CMD_SESSION_CREATE, 0);
	run_add(&sc, &res);
	check(sent_wanted() && result_is(&res, TXN_OK, 0, 0) && res.nfilters == 1 &&
	      res.nheld == 1,
	      "txn add: a filter's place held by the IKE daemon's equal filter (same reqid): left to it, the rest installed");

	sc.n = 0;
	rule(&sc, XFRM_MSG_NEWPOLICY, 0, 0, -EEXIST, NULL, NULL);
	rule(&sc, XFRM_MSG_GETPOLICY, 0, 0, 0, NULL, reply_ike_filter);
	rule(&sc, L2TP_FAMILY, L2TP_CMD_TUNNEL_CREATE, 0, -EPERM, EXTACK, NULL);
	want_add();
	nwants = K_FILTER(0) + 1;
	want_policy(XFRM_MSG_GETPOLICY, 0);
	want_policy(XFRM_MSG_NEWPOLICY, 1);
	want_l2tp(L2TP_CMD_TUNNEL_CREATE, 0);
	want_policy(XFRM_MSG_DELPOLICY, 1);
	want_binding(L2TP_IPSEC_CMD_BINDING_DEL);
	run_add(&sc, &res);
	check(sent_wanted() && res.step == TXN_TUNNEL && res.nfilters == 1,
	      "txn add: rolled back, only the filter it installed is deleted, never the IKE daemon's");
}

struct want_fault {
	enum tunnel_txn_step step;
	int err;
	int kernel_err;
	const char *extack;
};

/**
 * struct undo_case - a step of "tunnel add" fails, and so may its undoing
 * @name: the case
 * @session: the session fails (else the tunnel's create, or with @sas the
 *	SA dump)
 * @sas: the SA dump fails
 * @rules: how the rollback's requests are answered
 * @tunnel_reqs: see fails_at()
 * @kept: see fails_at()
 * @undone: TXN_BIT()s of the steps undone
 * @failed: the rollback's failures, in @undo_failed
 * @filters_left: filters it could not delete
 */
struct undo_case {
	const char *name;
	bool session;
	bool sas;
	struct rule rules[2];
	int tunnel_reqs;
	bool kept;
	unsigned int undone;
	struct want_fault failed[2];
	unsigned int filters_left;
};

#define B(step) TXN_BIT(TXN_##step)
#define L2TP(cmd) L2TP_FAMILY, L2TP_CMD_##cmd
#define BDEL MOD_FAMILY, L2TP_IPSEC_CMD_BINDING_DEL
#define PDEL XFRM_MSG_DELPOLICY, 0

static const struct undo_case undo_cases[] = {
	{ "the tunnel's delete fails: reported, its filters and binding kept",
	  true, false, { { L2TP(TUNNEL_DELETE), 0, -EPERM, EXTACK, NULL } }, 1, true, 0,
	  { { TXN_TUNNEL, -EPERM, -EPERM, EXTACK } }, 0 },
	{ "the tunnel outlasts the wait: -ETIMEDOUT reported, its filters and binding kept",
	  true, false, { { L2TP(TUNNEL_GET), -1, 0, NULL, reply_tunnel } }, 2, true, 0,
	  { { TXN_TUNNEL, -ETIMEDOUT, 0, "" } }, 0 },
	{ "the tunnel already gone (-ENODEV): its filters and binding undone",
	  true, false, { { L2TP(TUNNEL_DELETE), 0, -ENODEV, NULL, NULL } }, 2, false,
	  B(TUNNEL) | B(FILTERS) | B(BINDING), { { 0 } }, 0 },
	{ "a filter's delete fails: reported (1 left), the other and the binding deleted",
	  false, false, { { PDEL, 0, -EPERM, EXTACK, NULL } }, 2, false, B(BINDING),
	  { { TXN_FILTERS, -EPERM, -EPERM, EXTACK } }, 1 },
	{ "filters already gone (-ENOENT) count as undone",
	  false, false, { { PDEL, -1, -ENOENT, NULL, NULL } }, 2, false,
	  B(FILTERS) | B(BINDING), { { 0 } }, 0 },
	{ "the binding's delete fails: reported with the kernel's message",
	  false, true, { { BDEL, 0, -EPERM, EXTACK, NULL } }, 2, false, 0,
	  { { TXN_BINDING, -EPERM, -EPERM, EXTACK } }, 0 },
	{ "a binding already gone (-ENOENT) counts as undone",
	  false, true, { { BDEL, 0, -ENOENT, NULL, NULL } }, 2, false, B(BINDING), { { 0 } }, 0 },
	{ "filters and binding both fail: both reported, every filter tried",
	  false, false, { { PDEL, -1, -EIO, NULL, NULL }, { BDEL, 0, -EPERM, NULL, NULL } },
	  2, false, 0, { { TXN_FILTERS, -EIO, -EIO, "" }, { TXN_BINDING, -EPERM, -EPERM, "" } },
	  2 },
};

static void test_add_undo(const struct undo_case *c)
{
	const struct want_fault *f;
	unsigned int failed = 0;
	struct tunnel_txn_result res;
	struct script sc = { .n = 0 };
	enum tunnel_txn_step step;
	bool ok = true;
	size_t i;
	int installed;

	step = fails_at(c->session ? K_SESSION : c->sas ? K_SAS : K_TUNNEL, &sc,
			c->tunnel_reqs, c->kept, &installed);
	for (i = 0; i < ARRAY_SIZE(c->rules) && c->rules[i].type; i++)
		sc.rules[sc.n++] = c->rules[i];
	run_add(&sc, &res);
	for (i = 0; i < ARRAY_SIZE(c->failed) && c->failed[i].step; i++) {
		f = &c->failed[i];
		failed |= TXN_BIT(f->step);
		ok &= fault_is(&res.undo[f->step], f->err, f->kernel_err, f->extack);
	}
	check(ok && sent_wanted() && result_is(&res, step, c->undone, failed) &&
	      fault_is(&res.fault, -EPERM, -EPERM, EXTACK) &&
	      res.filters_left == c->filters_left,
	      "txn add: rollback: %s", c->name);
}

/* ------------------------------------------------------------------------ */
/* tunnel del */

/* Where in want_del() each request is. */
#define D_LOOKUP 0
#define D_SESSIONS 1
#define D_SESSION(i) (2 + (size_t)(i))
#define D_TUNNEL D_SESSION(ARRAY_SIZE(session_ids))
#define D_SPD (D_TUNNEL + 2)
#define D_FILTER(i) (D_SPD + 1 + (size_t)(i))
#define D_ALL 0

/* "tunnel del" of t, its first @n requests (D_ALL: all through). */
static void want_del(size_t n)
{
	size_t i;

	nwants = 0;
	want_l2tp(L2TP_CMD_TUNNEL_GET, 0);
	want_l2tp(L2TP_CMD_SESSION_GET, 0);
	for (i = 0; i < ARRAY_SIZE(session_ids); i++)
		want_l2tp(L2TP_CMD_SESSION_DELETE, session_ids[i]);
	want_l2tp(L2TP_CMD_TUNNEL_DELETE, 0);
	want_l2tp(L2TP_CMD_TUNNEL_GET, 0);
	if (t.encap == L2TP_ENCAPTYPE_UDP) {
		want_xfrm_dump(XFRM_MSG_GETPOLICY);
		for (i = 0; i < (size_t)nf; i++)
			want_policy(XFRM_MSG_DELPOLICY, (int)i);
		want_binding_del_by_tunnel();
	}
	if (n)
		nwants = n;
}

/**
 * struct del_case - "tunnel del" with the fake kernel's answers
 * @name: the case
 * @rules: answers ahead of the usual ones (the tunnel, its sessions and
 *	filters there, a deleted tunnel gone)
 * @sent: the requests up to the last one sent (D_ALL: all)
 * @step: the step that fails
 * @fault: how
 * @session_id: for TXN_SESSION, the session named
 * @lingered: the tunnel outlasts the wait
 */
struct del_case {
	const char *name;
	struct rule rules[2];
	size_t sent;
	enum tunnel_txn_step step;
	struct want_fault fault;
	uint32_t session_id;
	bool lingered;
};

/* The D_* that depend on nf, which only setup() knows. */
#define D_FILTER_SENT 1000
#define D_SPD_SENT 1001

static const struct del_case del_cases[] = {
	{ "its sessions one by one, the tunnel, its filters (not another's), its binding",
	  { { 0 } }, D_ALL, TXN_OK, { 0 }, 0, false },
	{ "no such tunnel: TXN_LOOKUP, -ENODEV, nothing else sent",
	  { { L2TP(TUNNEL_GET), 0, -ENODEV, NULL, NULL } }, D_LOOKUP + 1, TXN_LOOKUP,
	  { 0, -ENODEV, -ENODEV, "" }, 0, false },
	{ "the session dump fails: stops there",
	  { { L2TP(SESSION_GET), 0, -EPERM, NULL, NULL } }, D_SESSIONS + 1, TXN_SESSIONS,
	  { 0, -EPERM, -EPERM, "" }, 0, false },
	{ "a session's delete fails: stops there, names it",
	  { { L2TP(SESSION_DELETE), 1, -EPERM, EXTACK, NULL } }, D_SESSION(1) + 1,
	  TXN_SESSION, { 0, -EPERM, -EPERM, EXTACK }, 31, false },
	{ "a session already gone is no failure; the tunnel's delete fails: stops, filters and binding kept",
	  { { L2TP(SESSION_DELETE), 0, -ENODEV, NULL, NULL },
	    { L2TP(TUNNEL_DELETE), 0, -EPERM, NULL, NULL } }, D_TUNNEL + 1, TXN_TUNNEL,
	  { 0, -EPERM, -EPERM, "" }, 0, false },
	{ "the tunnel outlasts the wait: said (lingered), filters and binding go; ones already gone are no failure",
	  { { L2TP(TUNNEL_GET), -1, 0, NULL, reply_tunnel },
	    { PDEL, 0, -ENOENT, NULL, NULL } }, D_ALL, TXN_OK, { 0 }, 0, true },
	{ "the SPD dump fails: stops there, the binding kept",
	  { { XFRM_MSG_GETPOLICY, 0, 0, -EINTR, NULL, NULL } }, D_SPD_SENT, TXN_SPD,
	  { 0, -EINTR, -EINTR, "" }, 0, false },
	{ "a filter's delete fails: stops there, the binding kept",
	  { { PDEL, 0, -EPERM, EXTACK, NULL } }, D_FILTER_SENT, TXN_FILTERS,
	  { 0, -EPERM, -EPERM, EXTACK }, 0, false },
	{ "the binding's delete fails: TXN_BINDING with the kernel's message",
	  { { BDEL, 0, -EPERM, EXTACK, NULL } }, D_ALL, TXN_BINDING,
	  { 0, -EPERM, -EPERM, EXTACK }, 0, false },
	{ "an unbound tunnel (the binding's delete: -ENOENT) is no failure",
	  { { BDEL, 0, -ENOENT, NULL, NULL } }, D_ALL, TXN_OK, { 0 }, 0, false },
};

/* @key is t's, or zero if it has none or (!@found) was not found. */
static bool same_key(const struct binding *key, bool found)
{
	struct binding want_key;

	if (!found || !reconcile_tunnel_key(&t, &want_key))
		memset(&want_key, 0, sizeof(want_key));
	return !memcmp(key, &want_key, sizeof(want_key));
}

static void run_del_case(const struct del_case *c, const char *what)
{
	struct tunnel_txn_result res;
	struct script sc = { .n = 0 };
	size_t i, sent = c->sent;

	for (i = 0; i < ARRAY_SIZE(c->rules) && c->rules[i].type; i++)
		sc.rules[sc.n++] = c->rules[i];
	rule(&sc, L2TP(TUNNEL_GET), 0, 0, NULL, reply_tunnel);
	rule(&sc, L2TP(SESSION_GET), 0, 0, NULL, reply_sessions);
	rule(&sc, XFRM_MSG_GETPOLICY, 0, 0, 0, NULL, reply_spd);
	if (sent == D_SPD_SENT)
		sent = D_SPD + 1;
	else if (sent == D_FILTER_SENT)
		sent = D_FILTER(0) + 1;
	want_del(sent);
	check(run_del(&sc, &res) == c->step && sent_wanted() &&
	      result_is(&res, c->step, 0, 0) &&
	      fault_is(&res.fault, c->fault.err, c->fault.kernel_err,
		       c->fault.extack ? c->fault.extack : "") &&
	      res.session_id == c->session_id && res.lingered == c->lingered &&
	      same_key(&res.key, c->step != TXN_LOOKUP) &&
	      (c->step || res.nfilters == (t.encap == L2TP_ENCAPTYPE_UDP ? (unsigned int)nf : 0)),
	      "txn del: %s%s", what, c->name);
}

int main(void)
{
	size_t k, n;

	setup();
	test_add_ok();
	n = want_add();
	for (k = 0; k < n; k++)
		test_add_fails_at(k);
	test_add_filter_held();
	test_add_filter_held_by_ike();
	for (k = 0; k < ARRAY_SIZE(undo_cases); k++)
		test_add_undo(&undo_cases[k]);
	for (k = 0; k < ARRAY_SIZE(del_cases); k++)
		run_del_case(&del_cases[k], "");
	/* No 4-tuple (IP encapsulation): no filters, no binding. */
	t.encap = L2TP_ENCAPTYPE_IP;
	run_del_case(&del_cases[0], "IP-encapsulated, no SPD dump or binding delete: ");
	t.encap = L2TP_ENCAPTYPE_UDP;
	return harness_exit();
}
