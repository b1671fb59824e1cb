// SPDX-License-Identifier: GPL-2.0
/*
 * l2tp-ipsec agent: signals, the configuration and its reloading, the
 * l2tp_ipsec events, on the loop of loop.h.
 *
 * Restart safety: the kernel keeps the state. Starting applies the
 * configuration file to the namespace (CONFIG_SET: policy, mode, ports,
 * max_bindings) and reconciles (autobind.h): the agent's missing bindings
 * are added, its stale ones removed, others' kept. SIGTERM and SIGINT
 * leave everything as it is, unless --flush-on-exit, which deletes the
 * agent's bindings (owner RECONCILE_OWNER) and no other.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <linux/genetlink.h>
#include <linux/l2tp_ipsec.h>

#include "daemon/autobind.h"
#include "daemon/base_spd.h"
#include "daemon/daemon.h"
#include "daemon/ike.h"
#include "daemon/loop.h"
#include "kernel/binding.h"
#include "kernel/nsconfig.h"
#include "kernel/violation.h"
#include "lib/endpoint.h"
#include "lib/names.h"
#include "lib/status.h"
#include "lib/vec.h"
#include "policy/reconcile.h"
#include "text/output.h"
#include "text/render.h"

/* Room for bursts of events while the loop is busy (needs CAP_NET_ADMIN). */
#define EVENTS_RCVBUF		(1 << 20)

/* Log lines per window; the kernel rate limits the events themselves too. */
#define VIOLATION_LOG_MS	10000
#define VIOLATION_LOG_BURST	20
#define UNBOUND_LOG_MS		10000
#define UNBOUND_LOG_BURST	20
#define WARN_LOG_MS		60000
#define WARN_LOG_BURST	5

/* ---------------------------------------------------------------------- */
/* The agent's state */

int daemon_init(struct daemon *d, const struct daemon_opts *opts)
{
	unsigned int i;

	memset(d, 0, sizeof(*d));
	d->opts = opts;
	d->sigfd = -1;
	for (i = 0; i < DAEMON_MAX_FDS; i++)
		d->fds[i].fd = -1;
	d->violation_rl = (struct log_ratelimit)
		LOG_RATELIMIT_INIT(VIOLATION_LOG_MS, VIOLATION_LOG_BURST);
	d->unbound_rl = (struct log_ratelimit)
		LOG_RATELIMIT_INIT(UNBOUND_LOG_MS, UNBOUND_LOG_BURST);
	d->warn_rl = (struct log_ratelimit)
		LOG_RATELIMIT_INIT(WARN_LOG_MS, WARN_LOG_BURST);
	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (d->epfd < 0)
		return -errno;
	return 0;
}

void daemon_fini(struct daemon *d)
{
	/* First: they take their sockets out of the epoll set. */
	ike_close(d, false);
	autobind_close(d);
	if (d->sigfd >= 0)
		close(d->sigfd);
	d->sigfd = -1;
	if (d->epfd >= 0)
		close(d->epfd);
	d->epfd = -1;
	/* Both are safe to close when never opened (zeroed by daemon_init). */
	modclient_close(&d->events);
	modclient_close(&d->mc);
}

static void notify(const char *state)
{
	int ret = daemon_notify(state);

	if (ret < 0)
		log_debug("sd_notify %s: %s", state, strerror(-ret));
}

/* ---------------------------------------------------------------------- */
/* Configuration */

static void log_kernel_error(const struct modclient *mc, const char *what,
			     int err)
{
	if (err == mc->nl.kernel_err && mc->nl.extack[0])
		log_error("%s: %s: %s", what, strerror(-err), mc->nl.extack);
	else if (err == -EPROTO)
		log_error("%s: malformed reply from the kernel", what);
	else
		log_error("%s: %s", what, strerror(-err));
}

static void set_log_level(const struct daemon *d)
{
	log_set_level(log_level_adjust(d->cfg.log_level, d->opts->verbosity));
}

static int apply_config(struct daemon *d, const struct agent_config *cfg)
{
	int ret = nsconfig_set(&d->mc, &cfg->ns);

	if (ret)
		log_kernel_error(&d->mc, "applying the configuration to the namespace",
				 ret);
	return ret;
}

static void reload(struct daemon *d)
{
	char err[CONFIG_ERR_LEN], desc[1024];
	struct agent_config cfg;

	log_info("SIGHUP: reloading %s", d->opts->config_path);
	notify("RELOADING=1");
	if (config_load(d->opts->config_path, &cfg, err, sizeof(err))) {
		log_error("%s", err);
		log_error("reload failed: the previous configuration stays in force");
	} else if (apply_config(d, &cfg)) {
		config_free(&cfg);
		log_error("reload failed: the previous configuration stays in force");
	} else {
		/*
		 * role and local take effect for what the agent does from
		 * now on; the tunnel logic will reconcile existing tunnels.
		 */
		/* The base set the agent installed goes with its PAD. */
		if (cfg.pad.n)
			base_spd_apply(&cfg);
		else if (d->cfg.pad.n)
			base_spd_remove();
		config_free(&d->cfg);
		d->cfg = cfg;
		d->stats.reloads++;
		set_log_level(d);
		ike_reload(d);
		log_info("configuration reloaded: %s",
			 config_str(&d->cfg, desc, sizeof(desc)));
	}
	notify("READY=1");
}

/* ---------------------------------------------------------------------- */
/* Signals */

static void on_signal(struct daemon *d, int fd, uint32_t events, void *data)
{
	struct signalfd_siginfo si;
	ssize_t n;

	(void)events;
	(void)data;
	for (;;) {
		n = read(fd, &si, sizeof(si));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n != (ssize_t)sizeof(si)) {
			log_error("reading signals: %s",
				  n < 0 ? strerror(errno) : "short read");
			daemon_stop(d, EXIT_KERNEL);
			return;
		}
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			log_info("%s: exiting", si.ssi_signo == SIGTERM ?
				 "SIGTERM" : "SIGINT");
			daemon_stop(d, EXIT_OK);
			return;
		case SIGHUP:
			reload(d);
			break;
		}
	}
}

/* ---------------------------------------------------------------------- */
/* l2tp_ipsec events */

/*
 * Who the violation concerns, from charon (ike_identities()); false if
 * charon could not say. Only for what passed the log's rate limit: a
 * kernel request or three, and charon's list only when an IKE event made
 * it stale.
 */
static bool identities(struct daemon *d, const struct violation *v,
		       struct violation_identities *ids)
{
	struct binding b;
	int ret;

	ret = violation_binding(&d->mc, v, &b);
	if (ret && ret != -ENOENT)
		log_kernel_error(&d->mc, "the binding of a violation", ret);
	return ike_identities(d, b.reqid, b.spi, v->has_spi ? v->spi : 0, ids);
}

static void log_violation(struct daemon *d, const struct violation *v)
{
	char line[LOG_LINE_MAX] = "";
	struct violation_identities ids;
	unsigned int missed;
	struct render r;
	bool asked;
	size_t len;
	FILE *f;

	if (!log_enabled(LOG_LEVEL_WARNING) ||
	    !log_ratelimit(&d->violation_rl, log_now_ms(), &missed))
		return;
	if (missed)
		log_warning("%u violation messages suppressed", missed);
	/* charon unreachable: no identities rather than "none" for each. */
	asked = d->ike && identities(d, v, &ids);
	/* The words of "l2tp-ipsec monitor". */
	f = fmemopen(line, sizeof(line) - 1, "w");
	if (!f)
		return;
	render_init(&r, f, RENDER_TEXT);
	render_violation(&r, v, asked ? &ids : NULL);
	render_end(&r);
	fclose(f);
	len = strlen(line);
	if (len && line[len - 1] == '\n')
		line[len - 1] = '\0';
	log_warning("%s", line);
}

void daemon_on_unbound(struct daemon *d, const struct violation *v)
{
	char src[ENDPOINT_STRLEN], dst[ENDPOINT_STRLEN], num[12];
	char spi[SPI_STRLEN], encap[ENCAP_STRLEN], extra[128];
	unsigned int missed;
	int n = 0;

	autobind_sighting(d, v);
	autobind_trigger(d, "unbound traffic");
	if (!log_enabled(LOG_LEVEL_DEBUG) ||
	    !log_ratelimit(&d->unbound_rl, log_now_ms(), &missed))
		return;
	if (missed)
		log_debug("%u unbound-traffic messages suppressed", missed);
	if (!endpoint_addr_str(&v->src, true, src, sizeof(src)))
		snprintf(src, sizeof(src), "?");
	if (!endpoint_addr_str(&v->dst, true, dst, sizeof(dst)))
		snprintf(dst, sizeof(dst), "?");
	extra[0] = '\0';
	if (v->has_binding_id)
		n += snprintf(extra + n, sizeof(extra) - n, " listener %u",
			      v->binding_id);
	if (v->has_spi && n < (int)sizeof(extra))
		n += snprintf(extra + n, sizeof(extra) - n, " spi %s",
			      spi_str(v->spi, spi));
	if (v->has_reqid && n < (int)sizeof(extra))
		n += snprintf(extra + n, sizeof(extra) - n, " reqid %u", v->reqid);
	if (v->has_encap && n < (int)sizeof(extra))
		n += snprintf(extra + n, sizeof(extra) - n, " encap %s",
			      encap_str(v->encap_sport, v->encap_dport, encap));
	if (v->has_v2_tunnel_id && n < (int)sizeof(extra))
		n += snprintf(extra + n, sizeof(extra) - n, " tunnel-id %u",
			      v->v2_tunnel_id);
	if (v->sa_mark && n < (int)sizeof(extra))
		n += snprintf(extra + n, sizeof(extra) - n, " sa-mark 0x%08x",
			      v->sa_mark);
	if (v->has_suppressed && n < (int)sizeof(extra))
		snprintf(extra + n, sizeof(extra) - n, " suppressed %u",
			 v->suppressed);
	log_debug("unbound src %s dst %s %s %s%s", src, dst,
		  v->reason == L2TP_IPSEC_REASON_NONE ? "accepted" :
		  v->audit ? "audited" : "dropped",
		  name_of(reason_names, NAMES_LEN(reason_names), v->reason,
			  num, sizeof(num)),
		  extra);
}

static void malformed(struct daemon *d, const char *what)
{
	unsigned int missed;

	d->stats.malformed++;
	if (log_ratelimit(&d->warn_rl, log_now_ms(), &missed))
		log_warning("malformed %s event from the kernel, skipped", what);
}

int daemon_event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl;
	struct daemon *d = data;
	struct violation v;

	if (nlh->nlmsg_type != d->events.family ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl))
		return MNL_CB_OK;
	genl = mnl_nlmsg_get_payload(nlh);
	switch (genl->cmd) {
	case L2TP_IPSEC_CMD_VIOLATION_NTF:
		if (violation_parse(&d->events, nlh, &v)) {
			malformed(d, "violation");
			break;
		}
		d->stats.violations++;
		log_violation(d, &v);
		autobind_twin_violation(d, &v);
		break;
	case L2TP_IPSEC_CMD_UNBOUND_NTF:
		if (violation_parse(&d->events, nlh, &v)) {
			malformed(d, "unbound");
			break;
		}
		d->stats.unbound++;
		daemon_on_unbound(d, &v);
		break;
	default:
		log_debug("l2tp_ipsec event with unknown command %u ignored",
			  genl->cmd);
		break;
	}
	return MNL_CB_OK;
}

static void on_events(struct daemon *d, int fd, uint32_t events, void *data)
{
	unsigned int missed;
	int ret;

	(void)fd;
	(void)events;
	(void)data;
	ret = nl_recv_events(&d->events.nl, daemon_event_cb, d);
	if (ret >= 0 || ret == -EAGAIN || ret == -EWOULDBLOCK)
		return;
	if (ret == -ENOBUFS) {
		d->stats.overruns++;
		if (log_ratelimit(&d->warn_rl, log_now_ms(), &missed))
			log_warning("l2tp_ipsec events lost: the socket's receive buffer overran");
		autobind_resync(d, "lost l2tp_ipsec events");
		return;
	}
	if (ret == -EMSGSIZE) {
		malformed(d, "oversized");
		return;
	}
	log_error("reading l2tp_ipsec events: %s", strerror(-ret));
	daemon_stop(d, EXIT_KERNEL);
}

static int events_open(struct daemon *d)
{
	int fd, size = EVENTS_RCVBUF, ret;

	ret = modclient_open(&d->events);
	if (ret)
		goto err;
	ret = violation_subscribe(&d->events);
	if (ret == -EOPNOTSUPP) {
		log_error("the l2tp_ipsec family has no multicast group '%s'",
			  L2TP_IPSEC_MCGRP_EVENTS);
		return ret;
	}
	if (ret)
		goto err;
	fd = mnl_socket_get_fd(d->events.nl.sock);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)))
		log_debug("events socket: receive buffer left as it is: %s",
			  strerror(errno));
	ret = fcntl(fd, F_GETFL);
	if (ret < 0 || fcntl(fd, F_SETFL, ret | O_NONBLOCK)) {
		ret = -errno;
		goto err;
	}
	ret = daemon_add_fd(d, fd, on_events, NULL);
	if (ret)
		goto err;
	return 0;
err:
	log_error("joining the l2tp_ipsec events group: %s", strerror(-ret));
	return ret;
}

/* ---------------------------------------------------------------------- */

/* An IKE event: its SAs are in the kernel now, or gone. */
static void ike_changed(struct daemon *d, const char *why)
{
	autobind_trigger(d, why);
}

static int start(struct daemon *d, const sigset_t *sigs)
{
	char desc[1024];
	int ret;

	d->sigfd = signalfd(-1, sigs, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->sigfd < 0) {
		log_error("signalfd: %s", strerror(errno));
		return EXIT_KERNEL;
	}
	ret = daemon_add_fd(d, d->sigfd, on_signal, NULL);
	if (ret) {
		log_error("epoll: %s", strerror(-ret));
		return EXIT_KERNEL;
	}

	ret = modclient_open(&d->mc);
	if (ret == -ENOENT) {
		log_error("l2tp_ipsec module not loaded (genl family '%s' not found)",
			  L2TP_IPSEC_GENL_NAME);
		return EXIT_NO_MODULE;
	}
	if (ret) {
		log_error("generic netlink family '%s': %s", L2TP_IPSEC_GENL_NAME,
			  strerror(-ret));
		return EXIT_KERNEL;
	}
	/* Subscribed first: nothing between the two goes unseen. */
	if (events_open(d))
		return EXIT_KERNEL;
	if (apply_config(d, &d->cfg))
		return EXIT_KERNEL;
	/* Before IKE: nothing of L2TP leaves in clear while SAs come up. */
	if (base_spd_apply(&d->cfg))
		return EXIT_KERNEL;
	if (autobind_open(d))
		return EXIT_KERNEL;
	d->ike_changed = ike_changed;
	if (ike_open(d))
		return EXIT_KERNEL;
	log_info("started: %s", config_str(&d->cfg, desc, sizeof(desc)));
	return EXIT_OK;
}

static int collect_ours(const struct binding *b, void *data)
{
	return b->owner == RECONCILE_OWNER ? binding_collect(b, data) : 0;
}

/*
 * --flush-on-exit: delete the bindings the agent made, and only those, and
 * their per-tunnel filters.
 */
static int flush_ours(struct daemon *d)
{
	struct vec ours = { NULL, 0, 0 };
	const struct binding *b;
	size_t i;
	int ret;

	ret = binding_dump(&d->mc, collect_ours, &ours);
	b = ours.v;
	for (i = 0; !ret && i < ours.n; i++) {
		ret = binding_del(&d->mc, &b[i]);
		if (ret == -ENOENT)
			ret = 0;
	}
	if (!ret)
		log_info("--flush-on-exit: deleted the agent's %zu bindings", ours.n);
	if (!ret)
		ret = autobind_flush_filters(d, ours.v, ours.n);
	vec_free(&ours);
	return ret;
}

static int stop(struct daemon *d)
{
	int ret;

	notify("STOPPING=1");
	if (d->status != EXIT_OK || !d->opts->flush_on_exit)
		return d->status;
	/* What the agent loaded into charon goes too. */
	ike_close(d, true);
	ret = flush_ours(d);
	if (!ret && d->cfg.pad.n && base_spd_remove())
		return EXIT_KERNEL;
	if (ret) {
		log_kernel_error(&d->mc, "--flush-on-exit", ret);
		return EXIT_KERNEL;
	}
	return EXIT_OK;
}

int daemon_run(const struct daemon_opts *opts)
{
	char err[CONFIG_ERR_LEN];
	struct agent_config cfg;
	struct daemon d;
	sigset_t sigs;
	int ret, status;

	log_init();
	log_set_level(log_level_adjust(LOG_LEVEL_DEFAULT, opts->verbosity));

	/*
	 * Blocked from the start: a signal that comes while starting waits in
	 * the signalfd and is served by the loop. They stay blocked until
	 * exit, so that none kills the process while it cleans up.
	 */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &sigs, NULL)) {
		log_error("sigprocmask: %s", strerror(errno));
		return EXIT_KERNEL;
	}
	signal(SIGPIPE, SIG_IGN);

	/* A bad file: say why and leave before any netlink socket exists. */
	if (config_load(opts->config_path, &cfg, err, sizeof(err))) {
		log_error("%s", err);
		return EXIT_USAGE;
	}

	ret = daemon_init(&d, opts);
	if (ret) {
		config_free(&cfg);
		log_error("epoll: %s", strerror(-ret));
		return EXIT_KERNEL;
	}
	d.cfg = cfg;
	set_log_level(&d);

	status = start(&d, &sigs);
	if (status == EXIT_OK) {
		notify("READY=1\nSTATUS=configuration applied, watching events");
		while (!d.stop) {
			/* Once per batch: a burst of triggers, one reconcile. */
			autobind_run(&d);
			if (d.spd_check) {
				d.spd_check = false;
				base_spd_restore(&d.cfg);
			}
			ret = daemon_dispatch(&d, -1);
			if (ret < 0) {
				log_error("epoll_wait: %s", strerror(-ret));
				daemon_stop(&d, EXIT_KERNEL);
			}
		}
		status = stop(&d);
		log_info("stopped, exit status %d", status);
	}
	daemon_fini(&d);
	config_free(&d.cfg);
	return status;
}
