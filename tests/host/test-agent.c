// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's pieces that need no kernel: log lines (agent/lib/log.c), and of
 * the daemon (agent/daemon/daemon.c) the fd table and its dispatch, the events
 * parser fed with crafted l2tp_ipsec notifications, and sd_notify.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <linux/genetlink.h>
#include <linux/l2tp_ipsec.h>

#include "daemon/daemon.h"
#include "harness.h"
#include "kernel/nl.h"
#include "lib/log.h"

#define FAMILY 0x20

/* ---------------------------------------------------------------------- */

static size_t fmt(char *buf, size_t len, bool journal, enum log_level level,
		  const char *f, ...) __attribute__((format(printf, 5, 6)));

static size_t fmt(char *buf, size_t len, bool journal, enum log_level level,
		  const char *f, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, f);
	n = log_format(buf, len, journal, level, f, ap);
	va_end(ap);
	return n;
}

static void log_lines(void)
{
	char buf[LOG_LINE_MAX];
	size_t n;

	n = fmt(buf, sizeof(buf), false, LOG_LEVEL_ERROR, "x.conf:%d: %s", 3, "bad");
	check(same_str(buf, "l2tp-ipsec: error: x.conf:3: bad\n") && n == strlen(buf),
	      "log line for a human: 'l2tp-ipsec: error: ...'");
	fmt(buf, sizeof(buf), false, LOG_LEVEL_WARNING, "w");
	check(same_str(buf, "l2tp-ipsec: warning: w\n"), "log line: warning");
	fmt(buf, sizeof(buf), false, LOG_LEVEL_INFO, "i");
	check(same_str(buf, "l2tp-ipsec: info: i\n"), "log line: info");
	fmt(buf, sizeof(buf), false, LOG_LEVEL_DEBUG, "d");
	check(same_str(buf, "l2tp-ipsec: debug: d\n"), "log line: debug");
	fmt(buf, sizeof(buf), true, LOG_LEVEL_ERROR, "e");
	check(same_str(buf, "<3>e\n"), "journal line: <3> for error");
	fmt(buf, sizeof(buf), true, LOG_LEVEL_WARNING, "w");
	check(same_str(buf, "<4>w\n"), "journal line: <4> for warning");
	fmt(buf, sizeof(buf), true, LOG_LEVEL_INFO, "i");
	check(same_str(buf, "<6>i\n"), "journal line: <6> for info");
	fmt(buf, sizeof(buf), true, LOG_LEVEL_DEBUG, "d");
	check(same_str(buf, "<7>d\n"), "journal line: <7> for debug");
	fmt(buf, sizeof(buf), true, LOG_LEVEL_ERROR, "a\nb\tc\x7f" "d");
	check(same_str(buf, "<3>a?b?c?d\n"), "control characters become '?'");
	n = fmt(buf, 16, false, LOG_LEVEL_ERROR, "%s", "0123456789");
	check(same_str(buf, "l2tp-ipsec: er\n") && n == 15,
	      "a long line is cut, newline kept");
	n = fmt(buf, 8, true, LOG_LEVEL_ERROR, "%s", "0123456789");
	check(same_str(buf, "<3>012\n") && n == 7, "a long journal line is cut");
}

static void log_levels(void)
{
	check(log_level_parse("error") == LOG_LEVEL_ERROR &&
	      log_level_parse("warning") == LOG_LEVEL_WARNING &&
	      log_level_parse("info") == LOG_LEVEL_INFO &&
	      log_level_parse("debug") == LOG_LEVEL_DEBUG,
	      "log level names");
	check(log_level_parse("warn") < 0 && log_level_parse("") < 0 &&
	      log_level_parse("DEBUG") < 0, "unknown log level names");
	check(log_level_adjust(LOG_LEVEL_INFO, 1) == LOG_LEVEL_DEBUG &&
	      log_level_adjust(LOG_LEVEL_INFO, 9) == LOG_LEVEL_DEBUG &&
	      log_level_adjust(LOG_LEVEL_INFO, -1) == LOG_LEVEL_WARNING &&
	      log_level_adjust(LOG_LEVEL_INFO, -2) == LOG_LEVEL_ERROR &&
	      log_level_adjust(LOG_LEVEL_INFO, -9) == LOG_LEVEL_ERROR &&
	      log_level_adjust(LOG_LEVEL_ERROR, 3) == LOG_LEVEL_DEBUG &&
	      log_level_adjust(LOG_LEVEL_WARNING, 0) == LOG_LEVEL_WARNING,
	      "-v and -q move the level one step each, clamped");
}

static void log_ratelimits(void)
{
	struct log_ratelimit rl = LOG_RATELIMIT_INIT(1000, 3);
	unsigned int missed = 99;
	bool ok;

	ok = log_ratelimit(&rl, 5000, &missed) && !missed &&
	     log_ratelimit(&rl, 5001, &missed) && !missed &&
	     log_ratelimit(&rl, 5002, &missed) && !missed;
	check(ok, "rate limit: a burst goes through");
	ok = !log_ratelimit(&rl, 5003, &missed) && !log_ratelimit(&rl, 5999, &missed);
	check(ok, "rate limit: then holds back until the window ends");
	ok = log_ratelimit(&rl, 6000, &missed) && missed == 2 &&
	     log_ratelimit(&rl, 6001, &missed) && missed == 0;
	check(ok, "rate limit: the next window says how many were held back");
}

/* Lines written by log_msg() to a pipe. */
static int log_pipe[2];

static void capture_start(void)
{
	if (pipe(log_pipe) || fcntl(log_pipe[0], F_SETFL, O_NONBLOCK)) {
		perror("pipe");
		exit(1);
	}
	log_set_fd(log_pipe[1]);
	log_set_journal(false);
}

/* What was logged since the last call, NUL terminated. */
static const char *captured(void)
{
	static char buf[65536];
	ssize_t n;

	n = read(log_pipe[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void log_output(void)
{
	log_set_level(LOG_LEVEL_WARNING);
	log_info("not shown");
	log_debug("not shown");
	log_warning("shown %d", 1);
	log_error("shown %d", 2);
	check(same_str(captured(),
		       "l2tp-ipsec: warning: shown 1\nl2tp-ipsec: error: shown 2\n"),
	      "log_msg() writes the levels at or above the level set");
	log_set_journal(true);
	log_set_level(LOG_LEVEL_DEBUG);
	log_debug("dbg");
	log_set_journal(false);
	check(same_str(captured(), "<7>dbg\n"), "log_msg() under the journal");
}

/* ---------------------------------------------------------------------- */

struct fd_probe {
	int fd;
	int calls;
	int del_fd;		/* delete this fd when called, -1: none */
	int add_fd;		/* then register this one, -1: none */
	struct fd_probe *add_probe;
};

static void probe_cb(struct daemon *d, int fd, uint32_t events, void *data)
{
	struct fd_probe *p = data;
	char c;

	(void)events;
	if (fd != p->fd)
		fprintf(stderr, "  callback of fd %d called for fd %d\n", p->fd, fd);
	p->calls++;
	while (read(fd, &c, 1) == 1)
		;
	if (p->del_fd >= 0)
		daemon_del_fd(d, p->del_fd);
	if (p->add_fd >= 0)
		daemon_add_fd(d, p->add_fd, probe_cb, p->add_probe);
}

static void make_pipe(int p[2])
{
	if (pipe(p) || fcntl(p[0], F_SETFL, O_NONBLOCK)) {
		perror("pipe");
		exit(1);
	}
}

static void fd_table(void)
{
	struct daemon_opts opts = { .config_path = "x" };
	struct fd_probe a = { .del_fd = -1, .add_fd = -1 };
	struct fd_probe b = { .del_fd = -1, .add_fd = -1 };
	struct fd_probe c = { .del_fd = -1, .add_fd = -1 };
	int pa[2], pb[2], pc[2], extra[DAEMON_MAX_FDS][2];
	struct daemon d;
	int i, ret;

	check(daemon_init(&d, &opts) == 0, "daemon_init");
	make_pipe(pa);
	make_pipe(pb);
	make_pipe(pc);
	a.fd = pa[0];
	b.fd = pb[0];
	c.fd = pc[0];
	check(daemon_add_fd(&d, pa[0], probe_cb, &a) == 0 &&
	      daemon_add_fd(&d, pb[0], probe_cb, &b) == 0,
	      "daemon_add_fd registers two fds");
	check(daemon_dispatch(&d, 0) == 0 && !a.calls && !b.calls,
	      "nothing ready: no callback, no wait with timeout 0");
	ret = (int)write(pa[1], "x", 1);
	check(ret == 1 && daemon_dispatch(&d, 0) == 1 && a.calls == 1 && !b.calls,
	      "a ready fd runs its own callback once");
	check(daemon_dispatch(&d, 0) == 0 && a.calls == 1,
	      "drained: not called again");

	daemon_del_fd(&d, pa[0]);
	ret = (int)write(pa[1], "x", 1);
	check(ret == 1 && daemon_dispatch(&d, 0) == 0 && a.calls == 1,
	      "daemon_del_fd: no more callbacks");

	/*
	 * Both ready in one batch; whichever runs first deletes the other and
	 * puts c in its slot: the stale event must reach neither.
	 */
	daemon_add_fd(&d, pa[0], probe_cb, &a);
	a.calls = b.calls = 0;
	a.del_fd = pb[0];
	b.del_fd = pa[0];
	a.add_fd = b.add_fd = pc[0];
	a.add_probe = b.add_probe = &c;
	ret = (int)write(pa[1], "x", 1) + (int)write(pb[1], "x", 1);
	ret = ret == 2 ? daemon_dispatch(&d, 0) : -1;
	check(ret == 1 && a.calls + b.calls == 1 && c.calls == 0,
	      "an fd deleted and its slot taken again in one batch: event dropped");
	daemon_del_fd(&d, pa[0]);
	daemon_del_fd(&d, pb[0]);
	daemon_del_fd(&d, pc[0]);

	for (i = 0; i < DAEMON_MAX_FDS; i++) {
		make_pipe(extra[i]);
		ret = daemon_add_fd(&d, extra[i][0], probe_cb, &a);
		if (ret)
			break;
	}
	check(i == DAEMON_MAX_FDS, "DAEMON_MAX_FDS fds fit");
	check(daemon_add_fd(&d, pa[0], probe_cb, &a) == -ENOSPC,
	      "one more: -ENOSPC");
	for (i = 0; i < DAEMON_MAX_FDS; i++) {
		close(extra[i][0]);
		close(extra[i][1]);
	}

	daemon_stop(&d, 1);
	daemon_stop(&d, 0);
	check(d.stop && d.status == 1, "daemon_stop keeps the first status");
	daemon_fini(&d);
	check(d.epfd == -1, "daemon_fini closes the epoll fd");
	for (i = 0; i < 2; i++) {
		close(pa[i]);
		close(pb[i]);
		close(pc[i]);
	}
}

/* ---------------------------------------------------------------------- */

struct ev {
	uint8_t cmd;
	bool no_reason;
	uint8_t reason;
	bool audit;
	uint32_t binding_id, spi, reqid;
};

static const struct nlmsghdr *event_msg(char *buf, uint16_t family,
					const struct ev *e)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct in_addr a;

	nlh = nl_genl_start(buf, family, 0, e->cmd, L2TP_IPSEC_GENL_VERSION);
	nest = mnl_attr_nest_start(nlh, L2TP_IPSEC_A_EVENT);
	if (!e->no_reason)
		mnl_attr_put_u8(nlh, L2TP_IPSEC_A_EVENT_REASON, e->reason);
	if (e->audit)
		mnl_attr_put(nlh, L2TP_IPSEC_A_EVENT_AUDIT, 0, NULL);
	inet_pton(AF_INET, "198.51.100.2", &a);
	mnl_attr_put(nlh, L2TP_IPSEC_A_EVENT_SRC_IPV4, 4, &a);
	inet_pton(AF_INET, "192.0.2.1", &a);
	mnl_attr_put(nlh, L2TP_IPSEC_A_EVENT_DST_IPV4, 4, &a);
	mnl_attr_put_u16(nlh, L2TP_IPSEC_A_EVENT_SPORT, 1701);
	mnl_attr_put_u16(nlh, L2TP_IPSEC_A_EVENT_DPORT, 1701);
	if (e->spi)
		mnl_attr_put_u32(nlh, L2TP_IPSEC_A_EVENT_SPI, e->spi);
	if (e->reqid)
		mnl_attr_put_u32(nlh, L2TP_IPSEC_A_EVENT_REQID, e->reqid);
	if (e->binding_id)
		mnl_attr_put_u32(nlh, L2TP_IPSEC_A_EVENT_BINDING_ID, e->binding_id);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static void events(void)
{
	struct daemon_opts opts = { .config_path = "x" };
	char buf[NL_REQ_SIZE];
	struct daemon d;
	struct ev e;
	int i, ret;

	daemon_init(&d, &opts);
	d.events.family = FAMILY;
	log_set_level(LOG_LEVEL_DEBUG);
	captured();

	e = (struct ev){ .cmd = L2TP_IPSEC_CMD_VIOLATION_NTF,
			 .reason = L2TP_IPSEC_REASON_CLEARTEXT, .binding_id = 1 };
	ret = daemon_event_cb(event_msg(buf, FAMILY, &e), &d);
	check(ret == MNL_CB_OK && d.stats.violations == 1 &&
	      same_str(captured(),
		       "l2tp-ipsec: warning: violation cleartext dropped src 198.51.100.2:1701 dst 192.0.2.1:1701 binding 1\n"),
	      "violation event: counted, logged at warning with monitor's words");

	e = (struct ev){ .cmd = L2TP_IPSEC_CMD_UNBOUND_NTF,
			 .reason = L2TP_IPSEC_REASON_NONE, .binding_id = 3,
			 .spi = 0x1001, .reqid = 7 };
	ret = daemon_event_cb(event_msg(buf, FAMILY, &e), &d);
	check(ret == MNL_CB_OK && d.stats.unbound == 1 && d.stats.violations == 1 &&
	      same_str(captured(),
		       "l2tp-ipsec: debug: unbound src 198.51.100.2:1701 dst 192.0.2.1:1701 accepted none listener 3 spi 0x00001001 reqid 7\n"),
	      "unbound event: parsed, daemon_on_unbound() logs it at debug");

	e = (struct ev){ .cmd = L2TP_IPSEC_CMD_UNBOUND_NTF,
			 .reason = L2TP_IPSEC_REASON_POLICY, .audit = true };
	daemon_event_cb(event_msg(buf, FAMILY, &e), &d);
	check(d.stats.unbound == 2 &&
	      same_str(captured(),
		       "l2tp-ipsec: debug: unbound src 198.51.100.2:1701 dst 192.0.2.1:1701 audited policy\n"),
	      "unbound event of an audited packet");

	log_set_level(LOG_LEVEL_INFO);
	daemon_event_cb(event_msg(buf, FAMILY, &e), &d);
	check(d.stats.unbound == 3 && same_str(captured(), ""),
	      "unbound event below the log level: counted, not logged");

	e = (struct ev){ .cmd = L2TP_IPSEC_CMD_VIOLATION_NTF, .no_reason = true };
	daemon_event_cb(event_msg(buf, FAMILY, &e), &d);
	check(d.stats.malformed == 1 && d.stats.violations == 1 &&
	      same_str(captured(),
		       "l2tp-ipsec: warning: malformed violation event from the kernel, skipped\n"),
	      "violation event without a reason: malformed, skipped");
	e.cmd = L2TP_IPSEC_CMD_UNBOUND_NTF;
	daemon_event_cb(event_msg(buf, FAMILY, &e), &d);
	check(d.stats.malformed == 2 && d.stats.unbound == 3 &&
	      same_str(captured(),
		       "l2tp-ipsec: warning: malformed unbound event from the kernel, skipped\n"),
	      "unbound event without a reason: malformed, skipped");

	e = (struct ev){ .cmd = L2TP_IPSEC_CMD_VIOLATION_NTF };
	daemon_event_cb(event_msg(buf, FAMILY + 1, &e), &d);
	e.cmd = L2TP_IPSEC_CMD_MAX + 1;
	daemon_event_cb(event_msg(buf, FAMILY, &e), &d);
	check(d.stats.violations == 1 && d.stats.unbound == 3 &&
	      d.stats.malformed == 2 && same_str(captured(), ""),
	      "other families and unknown commands are ignored");

	e = (struct ev){ .cmd = L2TP_IPSEC_CMD_VIOLATION_NTF,
			 .reason = L2TP_IPSEC_REASON_SA_MISMATCH };
	for (i = 0; i < 100; i++)
		daemon_event_cb(event_msg(buf, FAMILY, &e), &d);
	ret = count_lines(captured());
	check(d.stats.violations == 101 && ret > 0 && ret < 100,
	      "a flood of violations: all counted, the log rate limited (%d lines)",
	      ret);
	daemon_fini(&d);
}

/* ---------------------------------------------------------------------- */

static void notify(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char path[64], got[64];
	ssize_t n;
	int fd;

	unsetenv("NOTIFY_SOCKET");
	check(daemon_notify("READY=1") == 0, "sd_notify without NOTIFY_SOCKET: nothing");

	snprintf(path, sizeof(path), "/tmp/test-agent-notify-%d", (int)getpid());
	unlink(path);
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("notify socket");
		exit(1);
	}
	setenv("NOTIFY_SOCKET", path, 1);
	check(daemon_notify("READY=1") == 1, "sd_notify to a socket path: sent");
	n = recv(fd, got, sizeof(got) - 1, MSG_DONTWAIT);
	got[n > 0 ? n : 0] = '\0';
	check(same_str(got, "READY=1"), "sd_notify: the datagram is the state");
	close(fd);
	unlink(path);

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(path, sizeof(path), "@test-agent-notify-%d", (int)getpid());
	memcpy(sa.sun_path + 1, path + 1, strlen(path) - 1);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa,
			   (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
				       strlen(path)))) {
		perror("abstract notify socket");
		exit(1);
	}
	setenv("NOTIFY_SOCKET", path, 1);
	check(daemon_notify("STOPPING=1") == 1, "sd_notify to an abstract socket: sent");
	n = recv(fd, got, sizeof(got) - 1, MSG_DONTWAIT);
	got[n > 0 ? n : 0] = '\0';
	check(same_str(got, "STOPPING=1"), "sd_notify: abstract socket got the state");
	close(fd);

	setenv("NOTIFY_SOCKET", "relative/path", 1);
	check(daemon_notify("READY=1") < 0, "sd_notify: a relative path is refused");
	setenv("NOTIFY_SOCKET", "/nonexistent/notify", 1);
	check(daemon_notify("READY=1") < 0, "sd_notify: no listener: an error");
	unsetenv("NOTIFY_SOCKET");
}

int main(void)
{
	log_lines();
	log_levels();
	log_ratelimits();
	capture_start();
	log_output();
	fd_table();
	events();
	notify();
	close(log_pipe[0]);
	close(log_pipe[1]);
	return harness_exit();
}
