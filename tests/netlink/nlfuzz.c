// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz - random and mutated generic netlink messages for l2tp_ipsec.
 *
 *   nlfuzz [--seed N] [--count N] [--time S] [--unpriv] [--fail-alloc]
 *          [--no-netns] [-v]
 *
 * Runs in a fresh network namespace (unless --no-netns) so what it adds
 * and configures dies with it: the namespace's exit path is fuzzed too.
 * Messages are built from a rough model of the family (right commands,
 * attribute types and sizes most of the time, anything some of the time),
 * then mutated: bit flips, lying attribute lengths, wrong nesting flags,
 * several messages per datagram, broken frames.
 *
 * Properties checked, each a failure line on stderr and exit status 1:
 *  - every well-framed request gets exactly one answer (an ACK/error with
 *    its sequence number, or NLMSG_DONE for a dump) within 5 s;
 *  - a rejection (errno other than EPERM, EOPNOTSUPP, ENOMEM, ENOBUFS)
 *    carries an extended ACK: a message or an attribute offset;
 *  - --unpriv (uid 65534, no capabilities): every change command is
 *    refused with EPERM and the namespace ends with no binding;
 *  - afterwards the family still answers: config get, a binding dump whose
 *    count equals the config's num-bindings, a flush.
 * With --fail-alloc the task sets its make-it-fail around each send() and
 * recv(), so the debug kernel's failslab/fail_page_alloc (task-filter) fail
 * the allocations made for its requests:
 * answers may then be lost (the ACK itself is an allocation), so only the
 * final consistency check applies, after make-it-fail is cleared.
 *
 * Prints one summary line: seed, messages, datagrams, answers by errno.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <grp.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nlhelp.h"

#define MAX_MSGS	8		/* messages per datagram */
#define DGRAM_MAX	4096
#define ANSWER_TIMEOUT_MS 5000

struct opts {
	uint64_t seed;
	long count;
	double time;
	bool unpriv, fail_alloc, netns, verbose;
};

struct tally {
	long msgs, dgrams, framed, broken, answers, dumps_done, failures;
	long err[256];			/* answers by errno (0 = ACK) */
	long no_extack[256];		/* rejections without extended ACK */
};

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64*: fast, and one seed replays a whole run */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static uint32_t below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static bool chance(unsigned int percent)
{
	return below(100) < percent;
}

/*
 * A "clean" message has no deliberate oddity: right types, sizes and
 * values, so that adds succeed and later gets, deletes, dumps and the
 * namespace's exit meet real bindings. weird() is chance() outside them.
 */
static bool clean;

static bool weird(unsigned int percent)
{
	return !clean && chance(percent);
}

static void fail(struct tally *t, const char *fmt, ...)
{
	va_list ap;

	t->failures++;
	fputs("nlfuzz: FAIL: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ------------------------------------------------------------------------ */
/* Message generation */

/* Values that sit on boundaries of what the module accepts. */
static uint32_t interesting_u32(void)
{
	static const uint32_t v[] = {
		0, 1, 2, 3, 0x7f, 0x80, 0xff, 0x100, 1701, 4500, 0xffff,
		0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
	};

	if (chance(30))
		return (uint32_t)rnd();
	return v[below(sizeof(v) / sizeof(v[0]))];
}

/* A few addresses and ports, so adds, gets and deletes meet each other. */
static void put_addr4(struct nlmsghdr *nlh, uint16_t type)
{
	static const uint32_t a[] = {
		0x0a000001, 0x0a000002, 0xc0000201, 0, 0xffffffff, 0xe0000001,
		0x7f000001,
	};
	uint32_t v = weird(15) ? a[below(7)] : a[below(3)];

	mnl_attr_put_u32(nlh, type, __builtin_bswap32(v));
}

static void put_addr6(struct nlmsghdr *nlh, uint16_t type)
{
	uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8 };

	a[15] = (uint8_t)below(3);
	if (weird(10))
		memset(a, chance(50) ? 0 : 0xff, sizeof(a));
	if (weird(5))
		a[0] = 0xff;	/* multicast */
	mnl_attr_put(nlh, type, sizeof(a), a);
}

static void put_random(struct nlmsghdr *nlh, uint16_t type)
{
	uint8_t buf[40];
	uint32_t len = below(chance(80) ? 9 : sizeof(buf) + 1);
	uint32_t i;

	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)rnd();
	mnl_attr_put(nlh, type, len, buf);
}

/* Payload of the right size for @type's usual kind, most of the time. */
static void put_scalar(struct nlmsghdr *nlh, uint16_t type, int size)
{
	if (weird(8)) {
		put_random(nlh, type);
		return;
	}
	switch (size) {
	case 1:
		mnl_attr_put_u8(nlh, type, (uint8_t)(weird(30) ? rnd() : below(4)));
		break;
	case 2:
		mnl_attr_put_u16(nlh, type, (uint16_t)(weird(40) ?
				 interesting_u32() : 1701 + below(3)));
		break;
	case 4:
		mnl_attr_put_u32(nlh, type, weird(50) ? interesting_u32() : below(8));
		break;
	default:
		mnl_attr_put_u64(nlh, type, rnd());
		break;
	}
}

static uint16_t odd_flags(uint16_t type)
{
	if (weird(3))
		type |= NLA_F_NESTED;
	if (weird(3))
		type |= NLA_F_NET_BYTEORDER;
	return type;
}

static void put_binding_attr(struct nlmsghdr *nlh, uint16_t type)
{
	uint16_t t = odd_flags(type);

	switch (type) {
	case L2TP_IPSEC_A_BINDING_LOCAL_IPV4:
	case L2TP_IPSEC_A_BINDING_PEER_IPV4:
		put_addr4(nlh, t);
		break;
	case L2TP_IPSEC_A_BINDING_LOCAL_IPV6:
	case L2TP_IPSEC_A_BINDING_PEER_IPV6:
		put_addr6(nlh, t);
		break;
	case L2TP_IPSEC_A_BINDING_LOCAL_PORT:
	case L2TP_IPSEC_A_BINDING_PEER_PORT:
	case L2TP_IPSEC_A_BINDING_ENCAP_SPORT:
	case L2TP_IPSEC_A_BINDING_ENCAP_DPORT:
	case L2TP_IPSEC_A_BINDING_V2_TUNNEL_ID:
		put_scalar(nlh, t, 2);
		break;
	case L2TP_IPSEC_A_BINDING_L2TP_VERSION:
	case L2TP_IPSEC_A_BINDING_ALLOW_AH:
	case L2TP_IPSEC_A_BINDING_MODE:
		put_scalar(nlh, t, 1);
		break;
	case L2TP_IPSEC_A_BINDING_STATS: {
		struct nlattr *n = mnl_attr_nest_start(nlh, t);

		put_scalar(nlh, L2TP_IPSEC_A_STATS_ACCEPTED, 8);
		mnl_attr_nest_end(nlh, n);
		break;
	}
	default:
		put_scalar(nlh, t, 4);
		break;
	}
}

static void put_binding(struct nlmsghdr *nlh)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, odd_flags(L2TP_IPSEC_A_BINDING));
	int n = (int)below(clean ? 3 : 10), i;

	/* Mostly a plausible key: family-consistent addresses and ports. */
	if (!weird(20)) {
		bool v6 = chance(30);

		put_binding_attr(nlh, v6 ? L2TP_IPSEC_A_BINDING_LOCAL_IPV6 :
				 L2TP_IPSEC_A_BINDING_LOCAL_IPV4);
		put_binding_attr(nlh, L2TP_IPSEC_A_BINDING_LOCAL_PORT);
		if (!weird(15) && chance(90)) {
			put_binding_attr(nlh, v6 ? L2TP_IPSEC_A_BINDING_PEER_IPV6 :
					 L2TP_IPSEC_A_BINDING_PEER_IPV4);
			put_binding_attr(nlh, L2TP_IPSEC_A_BINDING_PEER_PORT);
		}
	}
	for (i = 0; i < n; i++) {
		/* What a clean add carries besides its key. */
		static const uint16_t pins[] = {
			L2TP_IPSEC_A_BINDING_REQID, L2TP_IPSEC_A_BINDING_SPI,
			L2TP_IPSEC_A_BINDING_L2TP_VERSION, L2TP_IPSEC_A_BINDING_MODE,
			L2TP_IPSEC_A_BINDING_OWNER,
		};

		if (clean)
			put_binding_attr(nlh, pins[below(sizeof(pins) / sizeof(pins[0]))]);
		else
			put_binding_attr(nlh, (uint16_t)below(L2TP_IPSEC_A_BINDING_MAX + 3));
	}
	mnl_attr_nest_end(nlh, nest);
}

static void put_config(struct nlmsghdr *nlh)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, odd_flags(L2TP_IPSEC_A_CONFIG));
	int n = (int)below(5), i, j;

	for (i = 0; i < n; i++) {
		uint16_t type = (uint16_t)below(L2TP_IPSEC_A_CONFIG_MAX + 3);

		switch (type) {
		case L2TP_IPSEC_A_CONFIG_POLICY:
		case L2TP_IPSEC_A_CONFIG_MODE:
			put_scalar(nlh, odd_flags(type), 1);
			break;
		case L2TP_IPSEC_A_CONFIG_PORTS: {
			struct nlattr *p = mnl_attr_nest_start(nlh, odd_flags(type));
			int np = (int)below(weird(10) ? 40 : 4);

			for (j = 0; j < np; j++)
				put_scalar(nlh, odd_flags(!weird(10) ? L2TP_IPSEC_A_PORT :
					   (uint16_t)below(4)), 2);
			mnl_attr_nest_end(nlh, p);
			break;
		}
		case L2TP_IPSEC_A_CONFIG_MAX_BINDINGS:
			/* Keep the namespace small most of the time. */
			mnl_attr_put_u32(nlh, odd_flags(type),
					 weird(30) ? interesting_u32() : 64 + below(256));
			break;
		default:
			put_scalar(nlh, odd_flags(type), 4);
			break;
		}
	}
	mnl_attr_nest_end(nlh, nest);
}

static void put_attrs(struct nlmsghdr *nlh, uint8_t cmd)
{
	int n = weird(15) ? (int)below(4) : 1, i;

	for (i = 0; i < n; i++) {
		uint16_t top = !weird(20) ? (cmd == L2TP_IPSEC_CMD_CONFIG_SET ?
				L2TP_IPSEC_A_CONFIG : L2TP_IPSEC_A_BINDING) :
				(uint16_t)below(L2TP_IPSEC_A_MAX + 3);

		if (top == L2TP_IPSEC_A_BINDING)
			put_binding(nlh);
		else if (top == L2TP_IPSEC_A_CONFIG)
			put_config(nlh);
		else if (chance(50))
			put_random(nlh, odd_flags(top));
		else
			mnl_attr_nest_end(nlh, mnl_attr_nest_start(nlh, top));
	}
}

/* Flip bits or bytes after the genl header; the frame length stays true. */
static void mutate(struct nlmsghdr *nlh)
{
	uint32_t hdr = NLMSG_HDRLEN + GENL_HDRLEN, len = nlh->nlmsg_len, n, i;
	uint8_t *p = (uint8_t *)nlh;

	if (len <= hdr)
		return;
	n = 1 + below(4);
	for (i = 0; i < n; i++) {
		uint32_t off = hdr + below(len - hdr);

		if (chance(50))
			p[off] ^= (uint8_t)(1u << below(8));
		else
			p[off] = (uint8_t)interesting_u32();
	}
}

/* A request sent, and whether its answer came. */
struct pending {
	uint32_t seq;
	uint16_t type;
	uint8_t cmd;
	bool dump;		/* answered by NLMSG_DONE rather than an ACK */
	bool odd_flags;		/* nlmsg_flags the genl core refuses first */
	bool answered;
};

/* One request into @buf, described in *p; returns its length. */
static uint32_t build_msg(void *buf, const struct nlh *h, uint32_t seq,
			  struct pending *p)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	uint8_t cmd;

	clean = chance(40);
	/* Adds first: they make the state the other commands then meet. */
	if (clean)
		cmd = chance(40) ? L2TP_IPSEC_CMD_BINDING_ADD :
		      (uint8_t)(1 + below(L2TP_IPSEC_CMD_STATS_GET));
	else
		cmd = chance(90) ? (uint8_t)(1 + below(L2TP_IPSEC_CMD_MAX + 1)) :
		      (uint8_t)rnd();
	*p = (struct pending){ .seq = seq, .cmd = cmd,
			       .dump = (cmd == L2TP_IPSEC_CMD_BINDING_GET && chance(10)) ||
				       weird(10) };
	/* Now and then the controller family, which shares the socket. */
	nlh->nlmsg_type = weird(3) ? GENL_ID_CTRL : h->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (p->dump ? NLM_F_DUMP : 0);
	if (weird(3)) {
		nlh->nlmsg_flags |= (uint16_t)(rnd() & ~NLM_F_DUMP);
		p->odd_flags = nlh->nlmsg_flags & ~(NLM_F_REQUEST | NLM_F_ACK |
						    NLM_F_ECHO | NLM_F_DUMP);
	}
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = weird(10) ? (uint8_t)rnd() : L2TP_IPSEC_GENL_VERSION;
	if (!weird(5))
		put_attrs(nlh, cmd);
	if (weird(25))
		mutate(nlh);
	p->type = nlh->nlmsg_type;
	return nlh->nlmsg_len;
}

/*
 * Fault injection (task-filter) applies to this task only while it is in
 * a netlink send() or recv(): a failing allocation elsewhere, say in a 9p
 * read of the program's own pages, would break the VM's root file system,
 * not test the module. The run's memory is locked in up front for that.
 */
static int fail_fd = -1;

static int fail_open(void)
{
	char path[64];

	if (mlockall(MCL_CURRENT | MCL_FUTURE))
		return -errno;
	snprintf(path, sizeof(path), "/proc/self/task/%d/make-it-fail", gettid());
	fail_fd = open(path, O_WRONLY);
	return fail_fd < 0 ? -errno : 0;
}

static void fail_set(bool on)
{
	if (fail_fd >= 0 && pwrite(fail_fd, on ? "1" : "0", 1, 0) != 1)
		abort();	/* a fuzz run that silently stopped injecting */
}

/* ------------------------------------------------------------------------ */
/* Answers */

static bool is_change(uint8_t cmd)
{
	return cmd == L2TP_IPSEC_CMD_BINDING_ADD || cmd == L2TP_IPSEC_CMD_BINDING_DEL ||
	       cmd == L2TP_IPSEC_CMD_BINDING_FLUSH || cmd == L2TP_IPSEC_CMD_CONFIG_SET;
}

static bool has_extack(const struct nlmsghdr *m)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(m);
	size_t off = sizeof(*e);
	const struct nlattr *attr;

	if (!(m->nlmsg_flags & NLM_F_ACK_TLVS))
		return false;
	if (!(m->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	mnl_attr_for_each_payload((const void *)((const char *)e + off), m->nlmsg_len - NLMSG_HDRLEN - off) {
		uint16_t type = mnl_attr_get_type(attr);

		if (type == NLMSGERR_ATTR_MSG || type == NLMSGERR_ATTR_OFFS ||
		    type == NLMSGERR_ATTR_MISS_TYPE)
			return true;
	}
	return false;
}

static void note_answer(struct tally *t, const struct opts *o, uint16_t family,
			struct pending *p, const struct nlmsghdr *m)
{
	/* NLMSG_DONE carries the dump's status as an int, like an error. */
	int err = -*(const int *)mnl_nlmsg_get_payload(m);

	if (m->nlmsg_type == NLMSG_DONE)
		t->dumps_done++;
	if (p->answered) {
		fail(t, "seq %u answered twice", p->seq);
		return;
	}
	p->answered = true;
	t->answers++;
	t->err[err & 0xff]++;
	if (err < 0 || err > 255) {
		fail(t, "seq %u: errno %d out of range", p->seq, err);
		return;
	}
	/* The controller family's own answers are not ours to judge. */
	if (p->type != family)
		return;
	/*
	 * EPERM and EOPNOTSUPP come from the genl core before the family
	 * sees the message, EBUSY from netlink_dump_start() when one
	 * datagram asks for two dumps; the core gives none of them a text.
	 */
	if (err && m->nlmsg_type == NLMSG_ERROR && err != EPERM && err != EOPNOTSUPP &&
	    err != ENOMEM && err != ENOBUFS && !(p->dump && err == EBUSY) &&
	    !has_extack(m)) {
		t->no_extack[err & 0xff]++;
		if (!o->fail_alloc)
			fail(t, "cmd %u seq %u: %s without an extended ACK",
			     p->cmd, p->seq, strerror(err));
	}
	/*
	 * The genl core refuses odd nlmsg_flags (EINVAL) before it looks at
	 * permissions, and a dump of a change command has no dumpit.
	 */
	if (o->unpriv && is_change(p->cmd) && err != EPERM &&
	    !(p->odd_flags && err == EINVAL) && !(p->dump && err == EOPNOTSUPP))
		fail(t, "unprivileged cmd %u seq %u answered %s, not EPERM",
		     p->cmd, p->seq, err ? strerror(err) : "ACK");
}

/* Read until every pending request is answered; false on timeout. */
static bool collect(struct nlh *h, struct tally *t, const struct opts *o,
		    struct pending *pend, int npend)
{
	int left = 0, i;

	for (i = 0; i < npend; i++)
		left += !pend[i].answered;
	while (left > 0) {
		struct pollfd pfd = { .fd = mnl_socket_get_fd(h->sock), .events = POLLIN };
		const struct nlmsghdr *m;
		ssize_t n;
		int rc = poll(&pfd, 1, ANSWER_TIMEOUT_MS);

		if (rc <= 0)
			return false;
		fail_set(true);
		n = recv(pfd.fd, h->rbuf, NLH_BUFSZ, MSG_DONTWAIT);
		fail_set(false);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			if (errno == ENOBUFS && o->fail_alloc)
				return false;	/* an answer was lost, as allowed */
			fail(t, "recv: %s", strerror(errno));
			return false;
		}
		for (m = (const struct nlmsghdr *)h->rbuf; mnl_nlmsg_ok(m, (int)n);
		     m = mnl_nlmsg_next(m, (int *)&n)) {
			if (m->nlmsg_type != NLMSG_ERROR && m->nlmsg_type != NLMSG_DONE)
				continue;	/* a reply or a dump part */
			for (i = 0; i < npend; i++) {
				if (pend[i].seq != m->nlmsg_seq)
					continue;
				if (m->nlmsg_type == NLMSG_DONE && !pend[i].dump)
					fail(t, "seq %u: NLMSG_DONE for a non-dump", m->nlmsg_seq);
				if (!pend[i].answered)
					left--;
				note_answer(t, o, h->family, &pend[i], m);
				break;
			}
			if (i == npend && !o->fail_alloc)
				fail(t, "answer with unknown seq %u", m->nlmsg_seq);
		}
	}
	return true;
}

/* ------------------------------------------------------------------------ */

static int one_round(struct nlh *h, struct tally *t, const struct opts *o, uint32_t *seq)
{
	static uint8_t dgram[DGRAM_MAX * 2];
	struct pending pend[MAX_MSGS];
	uint32_t len = 0, off[MAX_MSGS];
	int nmsg = chance(85) ? 1 : 2 + (int)below(MAX_MSGS - 1), npend = 0, i;
	ssize_t rc;

	for (i = 0; i < nmsg && len <= DGRAM_MAX; i++) {
		struct pending *p = &pend[npend];

		/* Messages stay well under DGRAM_MAX: the buffer has room. */
		off[npend] = len;
		len += NLMSG_ALIGN(build_msg(dgram + len, h, ++*seq, p));
		npend++;
		t->msgs++;
	}
	if (chance(5)) {
		/*
		 * A broken frame: the last message's length lies, or the
		 * datagram ends inside it. netlink_rcv_skb() stops there
		 * without an answer; the messages before it are answered.
		 */
		struct nlmsghdr *last = (struct nlmsghdr *)(dgram + off[npend - 1]);
		uint32_t mlen = last->nlmsg_len;

		if (chance(50))
			last->nlmsg_len = chance(50) ? below(NLMSG_HDRLEN) : mlen + 1 + below(64);
		else
			len = off[npend - 1] + 1 + below(mlen - 1);
		npend--;
		t->broken++;
	}
	t->framed += npend;
	t->dgrams++;
	fail_set(true);
	rc = send(mnl_socket_get_fd(h->sock), dgram, len, 0);
	fail_set(false);
	if (rc < 0) {
		if ((errno == ENOMEM || errno == ENOBUFS) && o->fail_alloc)
			return 0;
		fail(t, "send: %s", strerror(errno));
		return -1;
	}
	if (!collect(h, t, o, pend, npend) && !o->fail_alloc) {
		for (i = 0; i < npend; i++)
			if (!pend[i].answered)
				fail(t, "type %u cmd %u seq %u (seed %llu): no answer in %d ms",
				     pend[i].type, pend[i].cmd, pend[i].seq,
				     (unsigned long long)o->seed, ANSWER_TIMEOUT_MS);
		return -1;
	}
	return 0;
}

static int drop_privileges(void)
{
	gid_t g = 65534;

	if (setgroups(1, &g) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		return -errno;
	return 0;
}

/* The family still works, and its tables agree with each other. */
static void final_check(struct nlh *h, struct tally *t, const struct opts *o)
{
	struct config c = { 0 };
	struct dump d = { 0 };
	int rc;

	rc = nlh_config_get(h, &c);
	if (rc) {
		fail(t, "config get after the run: %s", strerror(-rc));
		return;
	}
	rc = nlh_binding_dump(h, &d);
	if (rc) {
		fail(t, "binding dump after the run: %s", strerror(-rc));
		return;
	}
	if (d.bad)
		fail(t, "binding dump: %d messages did not parse", d.bad);
	if ((uint32_t)d.count != c.num_bindings)
		fail(t, "dump has %d bindings, config says %u", d.count, c.num_bindings);
	if (o->unpriv && d.count)
		fail(t, "unprivileged run left %d bindings", d.count);
	printf("nlfuzz: after the run: %d bindings, max %u, %d ports\n",
	       d.count, c.max_bindings, c.nports);
	if (!o->unpriv) {
		rc = nlh_binding_flush(h);
		if (rc)
			fail(t, "flush after the run: %s", strerror(-rc));
	}
}

static void usage(void)
{
	fputs("usage: nlfuzz [--seed N] [--count N] [--time S] [--unpriv] [--fail-alloc]\n"
	      "              [--no-netns] [-v]\n", stderr);
	exit(2);
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	int i;

	o->seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	o->count = -1;
	o->time = -1;
	o->netns = true;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--seed") && i + 1 < argc)
			o->seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(a, "--count") && i + 1 < argc)
			o->count = strtol(argv[++i], NULL, 0);
		else if (!strcmp(a, "--time") && i + 1 < argc)
			o->time = strtod(argv[++i], NULL);
		else if (!strcmp(a, "--unpriv"))
			o->unpriv = true;
		else if (!strcmp(a, "--fail-alloc"))
			o->fail_alloc = true;
		else if (!strcmp(a, "--no-netns"))
			o->netns = false;
		else if (!strcmp(a, "-v"))
			o->verbose = true;
		else
			usage();
	}
	if (o->count < 0 && o->time < 0)
		o->count = 10000;
	if (!o->seed)
		o->seed = 1;
}

int main(int argc, char **argv)
{
	struct tally t = { 0 };
	struct opts o = { 0 };
	struct nlh h;
	uint32_t seq = 0;
	double start, end;
	int rc, i;

	parse_opts(argc, argv, &o);
	rng_state = o.seed;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("nlfuzz: seed %llu%s%s\n", (unsigned long long)o.seed,
	       o.unpriv ? ", unprivileged" : "", o.fail_alloc ? ", failing allocations" : "");

	if (o.netns && unshare(CLONE_NEWNET)) {
		perror("nlfuzz: unshare(CLONE_NEWNET)");
		return 2;
	}
	if (o.unpriv && drop_privileges()) {
		perror("nlfuzz: dropping privileges");
		return 2;
	}
	rc = nlh_open(&h, L2TP_IPSEC_GENL_NAME);
	if (rc) {
		fprintf(stderr, "nlfuzz: family %s: %s\n", L2TP_IPSEC_GENL_NAME, strerror(-rc));
		return 2;
	}
	i = 1 << 22;
	setsockopt(mnl_socket_get_fd(h.sock), SOL_SOCKET, SO_RCVBUF, &i, sizeof(i));
	if (chance(50))
		nlh_join_events(&h);
	if (o.fail_alloc) {
		rc = fail_open();
		if (rc) {
			fprintf(stderr, "nlfuzz: make-it-fail: %s (needs CONFIG_FAULT_INJECTION)\n",
				strerror(-rc));
			return 2;
		}
	}

	start = nlh_now();
	end = o.time >= 0 ? start + o.time : 0;
	while ((o.count < 0 || t.msgs < o.count) && (!end || nlh_now() < end)) {
		if (one_round(&h, &t, &o, &seq))
			break;
		if (t.failures > 20)
			break;
	}

	/* A fresh socket: the fuzzed one may hold a lost answer's error. */
	nlh_close(&h);
	rc = nlh_open(&h, L2TP_IPSEC_GENL_NAME);
	if (rc)
		fail(&t, "family gone after the run: %s", strerror(-rc));
	else
		final_check(&h, &t, &o);

	printf("nlfuzz: seed %llu: %ld messages (%ld framed, %ld broken frames) in %ld datagrams,"
	       " %ld answers (%ld dumps), %.1f s\n",
	       (unsigned long long)o.seed, t.msgs, t.framed, t.broken, t.dgrams, t.answers,
	       t.dumps_done, nlh_now() - start);
	printf("nlfuzz: answers by errno:");
	for (i = 0; i < 256; i++)
		if (t.err[i])
			printf(" %s=%ld", i ? strerrorname_np(i) ?: "?" : "ACK", t.err[i]);
	printf("\n");
	for (i = 0; i < 256; i++)
		if (t.no_extack[i])
			printf("nlfuzz: %ld %s rejections without extended ACK\n",
			       t.no_extack[i], strerrorname_np(i) ?: "?");
	printf("nlfuzz: %ld failures\n", t.failures);
	return t.failures ? 1 : 0;
}
