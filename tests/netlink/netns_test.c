// SPDX-License-Identifier: GPL-2.0
/*
 * netns_test - l2tp_ipsec generic netlink across namespaces: privileges
 * (GENL_ADMIN_PERM against unprivileged users and user-namespace root),
 * isolation of bindings, config and counters between network namespaces,
 * namespaces that die holding bindings, and a 10,000-binding dump.
 *
 * Runs as root with l2tp_ipsec.ko loaded; every test starts in a fresh
 * network namespace (see nltest.h).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <sys/time.h>

#include "kselftest_harness.h"
#include "nltest.h"

#define NOBODY		65534
#define L4		"192.0.2.1"
#define P4		"198.51.100.7"

/* ======================================================================== */
/* Privileges */

enum unpriv_kind {
	UNPRIV_USER,		/* uid 65534, no capabilities, our netns */
	UNPRIV_USERNS_NETNS,	/* root of a new user ns that owns a new netns */
	UNPRIV_USERNS,		/* root of a new user ns, still in our netns */
};

#define CHILD_UNSHARE_FAILED	99

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -errno;
}

#define CHILD_EXPECT(step, want, call) do {					\
	int __r = (call);							\
	if (__r != -(want)) {							\
		fprintf(stderr, "# child step %d: %s: expected %s, got %s"	\
			" (extack \"%s\")\n", (step), #call, errname(want),	\
			errname(__r), h.ext_msg);				\
		return (step);							\
	}									\
} while (0)

/*
 * In a forked child: drop privileges as @kind says, then check that every
 * mutating command fails with -EPERM and every read works. @in_ours: the
 * namespace still holds @existing (added by the parent as root).
 * Returns 0 or the number of the failed step.
 */
static int unpriv_child(enum unpriv_kind kind, bool as_nobody,
			const struct binding *existing)
{
	uid_t uid = getuid();
	gid_t gid = getgid();
	bool in_ours = kind != UNPRIV_USERNS_NETNS;
	struct binding b, got;
	struct config c = { 0 };
	struct stats s;
	struct dump d = { 0 };
	struct nlh h = { 0 };
	char map[64];
	int err;

	if (as_nobody) {
		if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY)) {
			fprintf(stderr, "# child: cannot become uid %d: %s\n",
				NOBODY, strerror(errno));
			return 90;
		}
		uid = gid = NOBODY;
		/* A credential change clears dumpable, which makes our own
		 * /proc/self/uid_map root's.
		 */
		if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)) {
			fprintf(stderr, "# child: PR_SET_DUMPABLE: %s\n", strerror(errno));
			return 94;
		}
	}
	if (kind != UNPRIV_USER) {
		int flags = CLONE_NEWUSER;

		if (kind == UNPRIV_USERNS_NETNS)
			flags |= CLONE_NEWNET;
		if (unshare(flags)) {
			fprintf(stderr, "# child: unshare(CLONE_NEWUSER%s) as uid %d: %s\n",
				flags & CLONE_NEWNET ? "|CLONE_NEWNET" : "", uid,
				strerror(errno));
			return CHILD_UNSHARE_FAILED;
		}
		snprintf(map, sizeof(map), "0 %u 1", uid);
		if (write_file("/proc/self/setgroups", "deny") ||
		    write_file("/proc/self/uid_map", map)) {
			fprintf(stderr, "# child: uid_map: %s\n", strerror(errno));
			return 91;
		}
		snprintf(map, sizeof(map), "0 %u 1", gid);
		if (write_file("/proc/self/gid_map", map)) {
			fprintf(stderr, "# child: gid_map: %s\n", strerror(errno));
			return 92;
		}
		if (getuid() != 0) {
			fprintf(stderr, "# child: not root in the user namespace\n");
			return 93;
		}
	}

	err = nlh_open(&h, L2TP_IPSEC_GENL_NAME);
	if (err) {
		fprintf(stderr, "# child: family: %s\n", errname(err));
		return 1;
	}

	/* Every mutating command: -EPERM, whatever the namespace holds. */
	binding_v4(&b, L4, 1701, "198.51.100.99", 1701);
	CHILD_EXPECT(2, EPERM, nlh_binding_add(&h, &b));
	CHILD_EXPECT(3, EPERM, nlh_binding_del(&h, existing));
	CHILD_EXPECT(4, EPERM, nlh_binding_del(&h, &b));
	CHILD_EXPECT(5, EPERM, nlh_binding_flush(&h));
	CSET(&c, POLICY, policy, L2TP_IPSEC_POLICY_DROP);
	CHILD_EXPECT(6, EPERM, nlh_config_set(&h, &c));
	memset(&c, 0, sizeof(c));
	CSET(&c, MAX_BINDINGS, max_bindings, 1);
	CHILD_EXPECT(7, EPERM, nlh_config_set(&h, &c));

	/* Reads work. */
	CHILD_EXPECT(8, 0, nlh_binding_dump(&h, &d));
	if (d.count != (in_ours ? 1 : 0)) {
		fprintf(stderr, "# child: dump lists %d bindings, expected %d\n",
			d.count, in_ours ? 1 : 0);
		return 9;
	}
	CHILD_EXPECT(10, 0, nlh_config_get(&h, &c));
	if (c.num_bindings != (in_ours ? 1u : 0u) || c.policy != L2TP_IPSEC_POLICY_PASS) {
		fprintf(stderr, "# child: config-get num-bindings %u policy %u\n",
			c.num_bindings, c.policy);
		return 11;
	}
	CHILD_EXPECT(12, 0, nlh_stats_get(&h, NULL, &s));
	if (s.present != S_NS_BITS) {
		fprintf(stderr, "# child: namespace counters 0x%x\n", s.present);
		return 13;
	}
	if (in_ours) {
		CHILD_EXPECT(14, 0, nlh_binding_get(&h, existing, &got));
		CHILD_EXPECT(15, 0, nlh_stats_get(&h, existing, &s));
	} else {
		/* The permission to read does not make things appear. */
		CHILD_EXPECT(16, ENOENT, nlh_binding_get(&h, existing, &got));
	}
	nlh_close(&h);
	return 0;
}

static int run_child(enum unpriv_kind kind, bool as_nobody, const struct binding *b)
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(unpriv_child(kind, as_nobody, b));
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (!WIFEXITED(status))
		return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return WEXITSTATUS(status);
}

static void unpriv_check(struct __test_metadata *_metadata, struct nlh *h,
			 enum unpriv_kind kind)
{
	struct binding b, got;
	struct config c;
	int rc;

	/* Something to try to delete, and to read. */
	binding_v4(&b, L4, 1701, P4, 1701);
	BSET(&b, REQID, reqid, 5);
	ASSERT_EQ(0, nlh_binding_add(h, &b));

	rc = run_child(kind, true, &b);
	if (rc == CHILD_UNSHARE_FAILED) {
		TH_LOG("uid %d may not create user namespaces here; using root's", NOBODY);
		rc = run_child(kind, false, &b);
	}
	ASSERT_EQ(0, rc) TH_LOG("unprivileged child failed at step %d", rc);

	/* Nothing changed. */
	ASSERT_EQ(0, nlh_binding_get(h, &b, &got));
	ASSERT_EQ(5, got.reqid);
	ASSERT_EQ(0, nlh_config_get(h, &c));
	ASSERT_EQ(1, c.num_bindings);
	ASSERT_EQ(L2TP_IPSEC_POLICY_PASS, c.policy);
	ASSERT_EQ(L2TP_IPSEC_DEFAULT_MAX_BINDINGS, c.max_bindings);
}

NL_FIXTURE(perm);

TEST_F(perm, unprivileged_user_cannot_change_only_read)
{
	unpriv_check(_metadata, &self->h, UNPRIV_USER);
}

TEST_F(perm, userns_root_owning_netns_cannot_change_only_read)
{
	unpriv_check(_metadata, &self->h, UNPRIV_USERNS_NETNS);
}

TEST_F(perm, userns_root_cannot_change_only_read)
{
	unpriv_check(_metadata, &self->h, UNPRIV_USERNS);
}

TEST_F(perm, root_can_join_events_group)
{
	ASSERT_NE(0, self->h.events_grp);
	ASSERT_OK(nlh_join_events(&self->h));
}

/* ======================================================================== */
/* Isolation between network namespaces */

NL_FIXTURE(netns);

/* Open a second handle in a new network namespace (the caller moves there). */
static void open_other(struct __test_metadata *_metadata, struct nlh *b)
{
	int err;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	err = nlh_open(b, L2TP_IPSEC_GENL_NAME);
	ASSERT_EQ(0, err) TH_LOG("family in the second namespace: %s", errname(err));
}

TEST_F(netns, bindings_isolated)
{
	struct nlh *a = &self->h, b;
	struct binding k[3], got;
	struct dump d = { 0 };
	int i;

	binding_v4(&k[0], L4, 1701, P4, 1701);
	binding_v4(&k[1], L4, 1701, P4, 0);
	binding_v6(&k[2], "2001:db8::1", 1701, NULL, 0);
	for (i = 0; i < 3; i++)
		ASSERT_NL(a, 0, nlh_binding_add(a, &k[i]));

	open_other(_metadata, &b);
	ASSERT_NL(&b, 0, nlh_binding_dump(&b, &d));
	ASSERT_EQ(0, d.count) TH_LOG("bindings of namespace A visible in B");
	ASSERT_NUM_BINDINGS(&b, 0);
	for (i = 0; i < 3; i++) {
		ASSERT_NL(&b, ENOENT, nlh_binding_get(&b, &k[i], &got));
		ASSERT_NL(&b, ENOENT, nlh_binding_del(&b, &k[i]));
	}

	/* The same key in B is not a duplicate. */
	ASSERT_NL(&b, 0, nlh_binding_add(&b, &k[0]));
	ASSERT_NUM_BINDINGS(&b, 1);
	ASSERT_NUM_BINDINGS(a, 3);

	/* Flush in B leaves A alone, delete in A leaves B alone. */
	ASSERT_NL(&b, 0, nlh_binding_flush(&b));
	ASSERT_NUM_BINDINGS(a, 3);
	ASSERT_NL(&b, 0, nlh_binding_add(&b, &k[0]));
	ASSERT_NL(a, 0, nlh_binding_del(a, &k[0]));
	ASSERT_NL(&b, 0, nlh_binding_get(&b, &k[0], &got));
	ASSERT_NUM_BINDINGS(a, 2);
	ASSERT_NUM_BINDINGS(&b, 1);
	nlh_close(&b);
}

TEST_F(netns, config_isolated)
{
	struct nlh *a = &self->h, b;
	struct config c = { 0 }, got;
	struct binding k;

	CSET(&c, POLICY, policy, L2TP_IPSEC_POLICY_DROP);
	CSET(&c, MODE, mode, L2TP_IPSEC_MODE_AUDIT);
	CSET(&c, PORTS, nports, 2);
	c.ports[0] = 1702;
	c.ports[1] = 1703;
	CSET(&c, MAX_BINDINGS, max_bindings, 1);
	ASSERT_NL(a, 0, nlh_config_set(a, &c));

	open_other(_metadata, &b);
	ASSERT_NL(&b, 0, nlh_config_get(&b, &got));
	ASSERT_EQ(L2TP_IPSEC_POLICY_PASS, got.policy);
	ASSERT_EQ(L2TP_IPSEC_MODE_ENFORCE, got.mode);
	ASSERT_EQ(1, got.nports);
	ASSERT_EQ(L2TP_IPSEC_DEFAULT_PORT, got.ports[0]);
	ASSERT_EQ(L2TP_IPSEC_DEFAULT_MAX_BINDINGS, got.max_bindings);

	/* A's max-bindings of 1 does not limit B. */
	binding_v4(&k, L4, 1701, NULL, 0);
	ASSERT_NL(&b, 0, nlh_binding_add(&b, &k));
	binding_v4(&k, L4, 1702, NULL, 0);
	ASSERT_NL(&b, 0, nlh_binding_add(&b, &k));

	/* And B's change leaves A as it was. */
	memset(&c, 0, sizeof(c));
	CSET(&c, POLICY, policy, L2TP_IPSEC_POLICY_REQUIRE_IPSEC);
	ASSERT_NL(&b, 0, nlh_config_set(&b, &c));
	ASSERT_NL(a, 0, nlh_config_get(a, &got));
	ASSERT_EQ(L2TP_IPSEC_POLICY_DROP, got.policy);
	ASSERT_EQ(L2TP_IPSEC_MODE_AUDIT, got.mode);
	ASSERT_EQ(2, got.nports);
	ASSERT_EQ(1, got.max_bindings);
	ASSERT_EQ(0, got.num_bindings);
	nlh_close(&b);
}

static int lo_up(void)
{
	struct ifreq ifr = { 0 };
	int fd, err = 0;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return -errno;
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		err = -errno;
	} else {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
			err = -errno;
	}
	close(fd);
	return err;
}

/* One L2TPv3 control-like datagram to 127.0.0.1:1701 from socket @fd. */
static int send_l2tp(int fd)
{
	static const uint8_t l2tp[12] = { 0xc8, 0x03, 0x00, 0x0c };
	struct sockaddr_in to = {
		.sin_family = AF_INET,
		.sin_port = htons(1701),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};

	if (sendto(fd, l2tp, sizeof(l2tp), 0, (void *)&to, sizeof(to)) < 0)
		return -errno;
	return 0;
}

static uint64_t stats_total(const struct stats *s)
{
	uint64_t t = 0;
	int i;

	for (i = L2TP_IPSEC_A_STATS_ACCEPTED; i <= L2TP_IPSEC_A_STATS_MAX; i++)
		t += s->v[i];
	return t;
}

/* Read the counters of @key (NULL: namespace) once they total @total (2 s max). */
static int stats_wait(struct nlh *h, const struct binding *key, uint64_t total,
		      struct stats *s)
{
	int i, err = 0;

	for (i = 0; i < 200; i++) {
		err = nlh_stats_get(h, key, s);
		if (err || stats_total(s) >= total)
			return err;
		usleep(10000);
	}
	return err;
}

static void assert_only(struct __test_metadata *_metadata, const struct stats *s,
			int idx, uint64_t want)
{
	int i;

	for (i = L2TP_IPSEC_A_STATS_ACCEPTED; i <= L2TP_IPSEC_A_STATS_MAX; i++) {
		uint64_t v = s->v[i], w = i == idx ? want : 0;

		ASSERT_EQ(w, v) TH_LOG("counter %d is %ju, expected %ju", i,
				       (uintmax_t)v, (uintmax_t)w);
	}
}

/* The next event of the family on @h within 2 s: its command and nest. */
struct event {
	uint8_t cmd;
	uint8_t reason;
	bool audit;
	uint16_t sport, dport;
	uint32_t binding_id;
	bool has_binding;
};

static int event_attr(const struct nlattr *a, void *data)
{
	struct event *e = data;

	switch (mnl_attr_get_type(a)) {
	case L2TP_IPSEC_A_EVENT_REASON:
		e->reason = mnl_attr_get_u8(a);
		break;
	case L2TP_IPSEC_A_EVENT_AUDIT:
		e->audit = true;
		break;
	case L2TP_IPSEC_A_EVENT_SPORT:
		e->sport = mnl_attr_get_u16(a);
		break;
	case L2TP_IPSEC_A_EVENT_DPORT:
		e->dport = mnl_attr_get_u16(a);
		break;
	case L2TP_IPSEC_A_EVENT_BINDING_ID:
		e->binding_id = mnl_attr_get_u32(a);
		e->has_binding = true;
		break;
	}
	return MNL_CB_OK;
}

static int next_event(struct nlh *h, struct event *e)
{
	int fd = mnl_socket_get_fd(h->sock);
	const struct genlmsghdr *g;
	const struct nlattr *a;
	struct nlmsghdr *nlh;
	struct timeval tv = { .tv_sec = 2 };
	ssize_t n;

	memset(e, 0, sizeof(*e));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return -errno;
	n = mnl_socket_recvfrom(h->sock, h->rbuf, NLH_BUFSZ);
	if (n < 0)
		return -errno;
	nlh = (struct nlmsghdr *)h->rbuf;
	if (!mnl_nlmsg_ok(nlh, n) || nlh->nlmsg_type != h->family)
		return -EPROTO;
	g = mnl_nlmsg_get_payload(nlh);
	e->cmd = g->cmd;
	mnl_attr_for_each(a, nlh, sizeof(*g))
		if (mnl_attr_get_type(a) == L2TP_IPSEC_A_EVENT)
			return mnl_attr_parse_nested(a, event_attr, e) < 0 ?
			       -EPROTO : 0;
	return -EPROTO;
}

/*
 * Unbound traffic raises unbound-ntf (how an agent finds tunnels nobody
 * announced); a failed check raises violation-ntf; a packet that only a
 * listener matched raises both, the unbound one naming the listener.
 */
TEST_F(netns, events_report_unbound_and_violations)
{
	struct nlh *a = &self->h, ev;
	struct binding lst, got;
	struct event e;
	int u;

	ASSERT_EQ(0, lo_up());
	ASSERT_EQ(0, nlh_open(&ev, L2TP_IPSEC_GENL_NAME));
	ASSERT_EQ(0, nlh_join_events(&ev));
	u = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, u);

	ASSERT_EQ(0, send_l2tp(u));
	ASSERT_EQ(0, next_event(&ev, &e));
	ASSERT_EQ(L2TP_IPSEC_CMD_UNBOUND_NTF, e.cmd);
	ASSERT_EQ(L2TP_IPSEC_REASON_NONE, e.reason);
	ASSERT_EQ(1701, e.dport);
	ASSERT_FALSE(e.has_binding);

	binding_v4(&lst, "127.0.0.1", 1701, NULL, 0);
	ASSERT_NL(a, 0, nlh_binding_add(a, &lst));
	ASSERT_NL(a, 0, nlh_binding_get(a, &lst, &got));
	ASSERT_EQ(0, send_l2tp(u));
	ASSERT_EQ(0, next_event(&ev, &e));
	ASSERT_EQ(L2TP_IPSEC_CMD_VIOLATION_NTF, e.cmd);
	ASSERT_EQ(L2TP_IPSEC_REASON_CLEARTEXT, e.reason);
	ASSERT_FALSE(e.audit);
	ASSERT_TRUE(e.has_binding);
	ASSERT_EQ(got.id, e.binding_id);
	ASSERT_EQ(0, next_event(&ev, &e));
	ASSERT_EQ(L2TP_IPSEC_CMD_UNBOUND_NTF, e.cmd);
	ASSERT_EQ(L2TP_IPSEC_REASON_CLEARTEXT, e.reason);
	ASSERT_TRUE(e.has_binding);
	ASSERT_EQ(got.id, e.binding_id);

	close(u);
	nlh_close(&ev);
}

TEST_F(netns, counters_isolated)
{
	struct nlh *a = &self->h, b;
	struct config c = { 0 };
	struct binding lst;
	struct stats s;
	int ua, ub;

	ASSERT_EQ(0, lo_up());
	ua = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, ua);

	open_other(_metadata, &b);
	ASSERT_EQ(0, lo_up());
	ub = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, ub);

	/* A: policy pass, one unbound datagram. */
	ASSERT_EQ(0, send_l2tp(ua));
	ASSERT_NL(a, 0, stats_wait(a, NULL, 1, &s));
	assert_only(_metadata, &s, L2TP_IPSEC_A_STATS_ACCEPTED_UNBOUND, 1);
	ASSERT_NL(&b, 0, nlh_stats_get(&b, NULL, &s));
	assert_only(_metadata, &s, 0, 0);

	/* B: policy drop, two unbound datagrams. */
	CSET(&c, POLICY, policy, L2TP_IPSEC_POLICY_DROP);
	ASSERT_NL(&b, 0, nlh_config_set(&b, &c));
	ASSERT_EQ(0, send_l2tp(ub));
	ASSERT_EQ(0, send_l2tp(ub));
	ASSERT_NL(&b, 0, stats_wait(&b, NULL, 2, &s));
	assert_only(_metadata, &s, L2TP_IPSEC_A_STATS_DROPPED_POLICY, 2);
	ASSERT_NL(a, 0, nlh_stats_get(a, NULL, &s));
	assert_only(_metadata, &s, L2TP_IPSEC_A_STATS_ACCEPTED_UNBOUND, 1);

	/* A: a listener binding on 127.0.0.1:1701 sees cleartext. */
	binding_v4(&lst, "127.0.0.1", 1701, NULL, 0);
	ASSERT_NL(a, 0, nlh_binding_add(a, &lst));
	ASSERT_EQ(0, send_l2tp(ua));
	ASSERT_NL(a, 0, stats_wait(a, &lst, 1, &s));
	assert_only(_metadata, &s, L2TP_IPSEC_A_STATS_DROPPED_CLEARTEXT, 1);
	ASSERT_NL(a, 0, nlh_stats_get(a, NULL, &s));
	ASSERT_EQ(1, s.v[L2TP_IPSEC_A_STATS_ACCEPTED_UNBOUND]);
	ASSERT_EQ(1, s.v[L2TP_IPSEC_A_STATS_DROPPED_CLEARTEXT]);
	ASSERT_EQ(2, stats_total(&s));
	ASSERT_NL(&b, 0, nlh_stats_get(&b, NULL, &s));
	assert_only(_metadata, &s, L2TP_IPSEC_A_STATS_DROPPED_POLICY, 2);

	close(ua);
	close(ub);
	nlh_close(&b);
}

/* Keys of @n distinct bindings; odd ones IPv6, every 10th a peer-port wildcard. */
static struct binding *many_bindings(int n)
{
	struct binding *v = calloc(n, sizeof(*v));
	char peer[64];
	int i;

	if (!v)
		return NULL;
	for (i = 0; i < n; i++) {
		uint16_t pport = i % 10 == 9 ? 0 : 1024 + i % 1000;

		if (i & 1) {
			snprintf(peer, sizeof(peer), "2001:db8:1::%x:%x", i >> 8, i & 0xff);
			binding_v6(&v[i], "2001:db8::1", 1701, peer, pport);
			BSET(&v[i], L2TP_VERSION, version, 3);
		} else {
			snprintf(peer, sizeof(peer), "10.%d.%d.%d", 1 + (i >> 16),
				 (i >> 8) & 0xff, i & 0xff);
			binding_v4(&v[i], "10.0.0.1", 1701, peer, pport);
			BSET(&v[i], V2_TUNNEL_ID, v2_tunnel_id, 1 + i % 65535);
		}
		BSET(&v[i], REQID, reqid, 1 + i);
	}
	return v;
}

/* The index many_bindings() encoded into @b's peer address, or -1. */
static int binding_index(const struct binding *b)
{
	const uint8_t *p;

	if (b->present & B_BIT(PEER_IPV4)) {
		p = (const uint8_t *)&b->peer4;
		return ((p[1] - 1) << 16) | (p[2] << 8) | p[3];
	}
	if (b->present & B_BIT(PEER_IPV6)) {
		p = b->peer6.s6_addr;
		return (p[13] << 8) | p[15];
	}
	return -1;
}

/* Namespaces that die holding bindings: the module cleans up, stays usable. */
TEST_F(netns, dies_with_bindings)
{
	const int rounds = 3, n = 1000;
	struct binding *v = many_bindings(n);
	struct nlh doomed;
	struct dump d = { 0 };
	struct binding b, got;
	int round, self_ns, failed = -1;

	ASSERT_NE(NULL, v);
	for (round = 0; round < rounds; round++) {
		struct config c = { 0 };
		int err;

		self_ns = open("/proc/self/ns/net", O_RDONLY);
		ASSERT_LE(0, self_ns);
		open_other(_metadata, &doomed);
		err = nlh_binding_add_many(&doomed, v, n, 64, &failed);
		ASSERT_EQ(0, err) TH_LOG("add #%d: %s (extack \"%s\")", failed,
					 errname(err), doomed.ext_msg);
		CSET(&c, POLICY, policy, L2TP_IPSEC_POLICY_DROP);
		ASSERT_NL(&doomed, 0, nlh_config_set(&doomed, &c));
		ASSERT_NUM_BINDINGS(&doomed, n);
		/* Leave: the socket was the last reference to the namespace. */
		ASSERT_EQ(0, setns(self_ns, CLONE_NEWNET));
		close(self_ns);
		nlh_close(&doomed);
	}
	free(v);
	/* Namespaces are torn down by a workqueue; give it a moment. */
	sleep(1);

	/* Ours and a brand-new namespace are healthy and empty. */
	ASSERT_NUM_BINDINGS(&self->h, 0);
	binding_v4(&b, L4, 1701, P4, 1701);
	ASSERT_OK(nlh_binding_add(&self->h, &b));
	ASSERT_OK(nlh_binding_get(&self->h, &b, &got));
	ASSERT_OK(nlh_binding_del(&self->h, &b));

	open_other(_metadata, &doomed);
	ASSERT_NUM_BINDINGS(&doomed, 0);
	ASSERT_NL(&doomed, 0, nlh_binding_dump(&doomed, &d));
	ASSERT_EQ(0, d.count);
	ASSERT_NL(&doomed, 0, nlh_binding_add(&doomed, &b));
	nlh_close(&doomed);
}

/* ======================================================================== */
/* Scale */

NL_FIXTURE(scale);

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

TEST_F_TIMEOUT(scale, dump_10000_bindings, 600)
{
	const int n = 10000;
	struct binding *v = many_bindings(n);
	struct dump d = { 0 };
	char *seen = calloc(n, 1);
	double t0, t_add, t_dump, t_flush, t_single;
	int i, err, parts, failed = -1;
	uint32_t *ids, have;

	ASSERT_NE(NULL, v);
	ASSERT_NE(NULL, seen);
	d.cap = n + 16;
	d.bindings = calloc(d.cap, sizeof(*d.bindings));
	ASSERT_NE(NULL, d.bindings);

	t0 = now_ms();
	err = nlh_binding_add_many(&self->h, v, n, 64, &failed);
	t_add = now_ms() - t0;
	ASSERT_EQ(0, err) TH_LOG("add #%d: %s (extack \"%s\")", failed, errname(err),
				 self->h.ext_msg);
	ASSERT_NUM_BINDINGS(&self->h, n);

	t0 = now_ms();
	err = nlh_binding_dump(&self->h, &d);
	t_dump = now_ms() - t0;
	ASSERT_EQ(0, err) TH_LOG("dump: %s", errname(err));
	ASSERT_EQ(0, d.bad) TH_LOG("%d dump messages did not parse", d.bad);
	ASSERT_EQ(n, d.count);
	parts = d.parts;
	ASSERT_LT(1, parts) TH_LOG("a dump of %d bindings fit one message?", n);

	/* Ascending ids (so distinct), and exactly the keys added. */
	for (i = 0; i < n; i++) {
		const struct binding *b = &d.bindings[i];
		int idx = binding_index(b);

		if (i)
			ASSERT_LT(d.bindings[i - 1].id, b->id)
				TH_LOG("dump entry %d: id %u after %u", i, b->id,
				       d.bindings[i - 1].id);
		ASSERT_TRUE(idx >= 0 && idx < n) TH_LOG("dump entry %d: unknown peer", i);
		ASSERT_EQ(0, seen[idx]) TH_LOG("binding %d dumped twice", idx);
		seen[idx] = 1;
		have = binding_reply_bits(&v[idx], b);
		ASSERT_EQ(v[idx].present | B_BIT(ID) | B_BIT(STATS), have);
		ASSERT_EQ(v[idx].reqid, b->reqid);
		ASSERT_EQ(v[idx].peer_port, b->peer_port);
	}
	ids = calloc(n, sizeof(*ids));
	ASSERT_NE(NULL, ids);
	for (i = 0; i < n; i++)
		ids[i] = d.bindings[i].id;
	qsort(ids, n, sizeof(*ids), cmp_u32);
	for (i = 1; i < n; i++) {
		uint32_t prev = ids[i - 1], cur = ids[i];

		ASSERT_NE(prev, cur) TH_LOG("id %u twice", cur);
	}

	t0 = now_ms();
	ASSERT_OK(nlh_binding_flush(&self->h));
	t_flush = now_ms() - t0;
	ASSERT_NUM_BINDINGS(&self->h, 0);
	ASSERT_OK(nlh_binding_dump(&self->h, &d));
	ASSERT_EQ(0, d.count);

	/* For comparison: 1000 adds, one request and ACK each. */
	t0 = now_ms();
	for (i = 0; i < 1000; i++)
		ASSERT_OK(nlh_binding_add(&self->h, &v[i]));
	t_single = now_ms() - t0;
	ASSERT_OK(nlh_binding_flush(&self->h));

	TH_LOG("%d bindings: add %.1f ms (64 per sendmsg), dump %.1f ms in %d reads, flush %.1f ms; 1000 single adds %.1f ms",
	       n, t_add, t_dump, parts, t_flush, t_single);
	free(ids);
	free(seen);
	free(d.bindings);
	free(v);
}

/* Read one recvmsg() worth of a dump; append binding ids; 1 at NLMSG_DONE. */
static int dump_read_part(struct nlh *h, uint32_t seq, uint32_t *ids, int *n, int cap)
{
	const struct nlmsghdr *m;
	ssize_t r;
	int len, done = 0;

	r = mnl_socket_recvfrom(h->sock, h->rbuf, NLH_BUFSZ);
	if (r < 0)
		return -errno;
	len = r;
	for (m = (const void *)h->rbuf; mnl_nlmsg_ok(m, len); m = mnl_nlmsg_next(m, &len)) {
		struct binding b;

		if (m->nlmsg_seq != seq)
			continue;
		if (m->nlmsg_type == NLMSG_DONE) {
			done = 1;
		} else if (m->nlmsg_type == NLMSG_ERROR) {
			return -EPROTO;
		} else if (m->nlmsg_type == h->family) {
			if (binding_parse_msg(m, &b) || *n >= cap)
				return -EBADMSG;
			ids[(*n)++] = b.id;
		}
	}
	return done;
}

static bool id_in(uint32_t id, const uint32_t *set, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (set[i] == id)
			return true;
	return false;
}

/*
 * The dump cursor (the next binding id) stays valid when every binding is
 * flushed between two parts of a dump and new ones are added: the dump ends,
 * ids stay ascending, none repeats, and nothing flushed shows up once the
 * flush is done.
 */
TEST_F_TIMEOUT(scale, dump_survives_flush_between_parts, 300)
{
	const int n = 3000, extra = 10, cap = 2 * (n + extra);
	struct binding *v = many_bindings(n + extra);
	uint32_t *old = calloc(n, sizeof(*old)), *ids = calloc(cap, sizeof(*ids));
	struct dump d = { .ids = old, .cap = n };
	struct nlmsghdr *req;
	struct nlh h2;
	int i, err, got = 0, first_part, parts = 0, failed = -1, fresh = 0;
	uint32_t seq;

	ASSERT_NE(NULL, v);
	ASSERT_NE(NULL, old);
	ASSERT_NE(NULL, ids);
	err = nlh_binding_add_many(&self->h, v, n, 64, &failed);
	ASSERT_EQ(0, err) TH_LOG("add #%d: %s", failed, errname(err));
	ASSERT_OK(nlh_binding_dump(&self->h, &d));
	ASSERT_EQ(n, d.count);
	ASSERT_EQ(0, nlh_open(&h2, L2TP_IPSEC_GENL_NAME));

	req = nlh_req(&self->h, L2TP_IPSEC_CMD_BINDING_GET, NLM_F_DUMP);
	seq = req->nlmsg_seq = ++self->h.seq;
	ASSERT_LE(0, mnl_socket_sendto(self->h.sock, req, req->nlmsg_len));
	/* The first part; 6.1 builds the second as this recvmsg() returns. */
	err = dump_read_part(&self->h, seq, ids, &got, cap);
	ASSERT_EQ(0, err) TH_LOG("first part: %s (a dump of %d in one part?)", errname(err), n);
	first_part = got;
	parts++;

	ASSERT_NL(&h2, 0, nlh_binding_flush(&h2));
	for (i = n; i < n + extra; i++)
		ASSERT_NL(&h2, 0, nlh_binding_add(&h2, &v[i]));

	do {
		err = dump_read_part(&self->h, seq, ids, &got, cap);
		ASSERT_LE(0, err) TH_LOG("dump part %d: %s", parts + 1, errname(err));
		parts++;
		ASSERT_LT(parts, 1000) TH_LOG("the dump does not end");
	} while (!err);

	TH_LOG("%d parts, %d bindings, %d in the first part", parts, got, first_part);
	ASSERT_LT(0, first_part);
	ASSERT_GE(n + extra, got);
	for (i = 1; i < got; i++) {
		uint32_t prev = ids[i - 1], cur = ids[i];

		ASSERT_LT(prev, cur) TH_LOG("entry %d: id %u after %u", i, cur, prev);
	}
	/* After the part built during the flush, only new bindings. */
	for (i = 0; i < got; i++) {
		uint32_t id = ids[i];

		ASSERT_TRUE(i < 2 * first_part + 8 || !id_in(id, old, n))
			TH_LOG("entry %d: id %u was flushed before its part was built", i, id);
		fresh += !id_in(id, old, n);
	}
	/*
	 * The loop above checks nothing if the dump ended early: the extra
	 * bindings added after the flush (ids above every old one, so above
	 * the cursor) must all be in it.
	 */
	ASSERT_EQ(extra, fresh) TH_LOG("%d of the %d bindings added after the flush dumped",
				       fresh, extra);
	ASSERT_NUM_BINDINGS(&self->h, extra);
	nlh_close(&h2);
	free(ids);
	free(old);
	free(v);
}

TEST_HARNESS_MAIN
