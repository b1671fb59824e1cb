// SPDX-License-Identifier: GPL-2.0
/*
 * Automatic binding in the agent: event sockets, coalesced triggers, the
 * dumps, and carrying out reconcile()'s plan (autobind.h, reconcile.h).
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/timerfd.h>

#include "daemon/autobind.h"
#include "daemon/ike.h"
#include "daemon/loop.h"
#include "kernel/binding.h"
#include "kernel/l2tp.h"
#include "kernel/pppol2tp.h"
#include "kernel/violation.h"
#include "kernel/xfrm.h"
#include "lib/log.h"
#include "lib/pidfd.h"
#include "lib/status.h"
#include "lib/vec.h"
#include "policy/reconcile.h"
#include "policy/sighting.h"
#include "policy/spd.h"
#include "text/output.h"

#include <linux/xfrm.h>

#define EVENTS_RCVBUF		(1 << 20)
/* How long an L2TP TUNNEL_DELETE may take to leave the dumps. */
#define GONE_WAIT_MS		200
/* Dumps the kernel flagged as interrupted are taken again, this often. */
#define DUMP_TRIES		3
#define NOSA_LOG_MS		10000
#define NOSA_LOG_BURST		10
/*
 * How often the tunnels the last reconcile saw are looked for: a kernel
 * L2TP tunnel that goes with its socket (xl2tpd closing a tunnel, or
 * dying) raises no L2TP notification in 6.1 (only genl requests do).
 */
#define WATCH_MS		1000

/**
 * struct autobind - the state of automatic binding
 * @lc: L2TP requests, on the daemon's l2tp_ipsec socket
 * @l2tp_ev: the L2TP multicast socket
 * @lc_ev: the family on @l2tp_ev
 * @xfrm: XFRM requests (dumps, DELSA)
 * @xfrm_ev: the XFRM multicast socket (SA, EXPIRE, MAPPING groups)
 * @due: a reconcile is due
 * @why: what first asked for it
 * @since: when (CLOCK_MONOTONIC)
 * @nosa_rl: rate limit of "no SA yet" and "not seen yet" lines
 * @unsure_rl: rate limit of "several SAs" lines
 * @watch_fd: timerfd, armed while @watched holds tunnels (WATCH_MS)
 * @watched: the IDs (uint32_t) of the tunnels the last reconcile saw
 * @twin_seen: sightings from violations, kept by the next reconcile only
 *	for tunnels it finds unbound (autobind_twin_violation())
 * @sightings: the SAs the module saw carrying unbound tunnels (sighting.h)
 */
struct autobind {
	struct l2tp_client lc;
	struct nl l2tp_ev;
	struct l2tp_client lc_ev;
	struct nl xfrm;
	struct nl xfrm_ev;
	bool due;
	char why[48];
	struct timespec since;
	struct log_ratelimit nosa_rl;
	struct log_ratelimit unsure_rl;
	struct vec sightings;
	int sock_pid;
	int watch_fd;
	struct vec watched;
	struct vec twin_seen;
};

static uint64_t us_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)(now.tv_sec - t0->tv_sec) * 1000000u +
	       (uint64_t)((now.tv_nsec - t0->tv_nsec) / 1000);
}

void autobind_trigger(struct daemon *d, const char *why)
{
	struct autobind *ab = d->autobind;

	if (!ab || ab->due)
		return;
	ab->due = true;
	snprintf(ab->why, sizeof(ab->why), "%s", why);
	clock_gettime(CLOCK_MONOTONIC, &ab->since);
}

void autobind_twin_violation(struct daemon *d, const struct violation *v)
{
	struct autobind *ab = d->autobind;
	struct sighting s;

	if (!ab || v->unbound || !v->has_v2_tunnel_id || !v->v2_tunnel_id ||
	    (v->reason != L2TP_IPSEC_REASON_SA_MISMATCH &&
	     v->reason != L2TP_IPSEC_REASON_TUNNEL_ID) ||
	    !sighting_from_event(v, log_now_ms(), &s))
		return;
	if (vec_push(&ab->twin_seen, &s, sizeof(s)))
		return;
	autobind_trigger(d, "a twin's refused traffic");
}

/* Whether one of @n bindings names tunnel @s->tid on @s's 4-tuple. */
static bool tid_bound(const struct sighting *s, const struct binding *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i].v2_tunnel_id == s->tid && !endpoint_cmp(&b[i].local, &s->local) &&
		    !endpoint_cmp(&b[i].peer, &s->peer))
			return true;
	return false;
}

/* The twins' sightings of tunnels that no binding names, kept; the rest go. */
static void keep_twin_sightings(struct autobind *ab, const struct vec *bindings)
{
	const struct sighting *s = ab->twin_seen.v;
	size_t i;

	for (i = 0; i < ab->twin_seen.n; i++) {
		if (tid_bound(&s[i], bindings->v, bindings->n))
			continue;
		log_debug("twin: SPI 0x%08x seen carrying unbound tunnel %u, its packets refused by a bound twin",
			  s[i].spi, s[i].tid);
		if (sightings_add(&ab->sightings, &s[i]))
			break;
	}
	ab->twin_seen.n = 0;
}

void autobind_sighting(struct daemon *d, const struct violation *v)
{
	struct autobind *ab = d->autobind;
	struct sighting s;

	if (!ab || !sighting_from_event(v, log_now_ms(), &s))
		return;
	if (sightings_add(&ab->sightings, &s))
		log_warning("sighting of SPI 0x%08x not kept: %s", s.spi,
			    strerror(ENOMEM));
}

/* ---------------------------------------------------------------------- */
/* Dumps */

struct dumps {
	struct vec tunnels;
	struct vec sas;
	struct vec bindings;
	struct xpolicy *policies;
	size_t npolicies;
};

static void dumps_free(struct dumps *dm)
{
	vec_free(&dm->tunnels);
	vec_free(&dm->sas);
	vec_free(&dm->bindings);
	free(dm->policies);
	dm->policies = NULL;
	dm->npolicies = 0;
}

/* The three dumps; on error *@what and *@nl say which failed. */
static int take_dumps(struct daemon *d, struct dumps *dm, const char **what,
		      struct nl **nl)
{
	struct autobind *ab = d->autobind;
	int tries, ret = 0;

	for (tries = 0; tries < DUMP_TRIES; tries++) {
		dumps_free(dm);
		*what = "dumping L2TP tunnels";
		*nl = &d->mc.nl;
		ret = l2tp_tunnel_dump(&ab->lc, l2tp_tunnel_collect, &dm->tunnels);
		if (!ret) {
			*what = "dumping SAs";
			*nl = &ab->xfrm;
			ret = xfrm_sa_dump(&ab->xfrm, xfrm_sa_collect, &dm->sas);
		}
		if (!ret) {
			*what = "dumping bindings";
			*nl = &d->mc.nl;
			ret = binding_dump(&d->mc, binding_collect, &dm->bindings);
		}
		if (!ret) {
			*what = "dumping policies";
			*nl = &ab->xfrm;
			ret = xfrm_policy_list(&ab->xfrm, &dm->policies,
					       &dm->npolicies);
		}
		if (ret != -EINTR)
			break;
	}
	return ret;
}

/* ---------------------------------------------------------------------- */
/* Carrying out the plan */

static const char *pins_str(const struct binding *b, char *buf, size_t len)
{
	char spi[SPI_STRLEN], encap[ENCAP_STRLEN];
	int n = 0;

	buf[0] = '\0';
	if (b->reqid)
		n += snprintf(buf + n, len - n, " reqid %u", b->reqid);
	if (b->spi && n < (int)len)
		n += snprintf(buf + n, len - n, " spi %s", spi_str(b->spi, spi));
	if ((b->encap_sport || b->encap_dport) && n < (int)len)
		n += snprintf(buf + n, len - n, " encap %s",
			      encap_str(b->encap_sport, b->encap_dport, encap));
	if (b->l2tp_version && n < (int)len)
		n += snprintf(buf + n, len - n, " version %u", b->l2tp_version);
	if (b->v2_tunnel_id && n < (int)len)
		snprintf(buf + n, len - n, " v2-tunnel-id %u", b->v2_tunnel_id);
	return buf;
}

static void kernel_error(struct nl *nl, const char *what, int err)
{
	if (err == nl->kernel_err && nl->extack[0])
		log_error("%s: %s: %s", what, strerror(-err), nl->extack);
	else
		log_error("%s: %s", what, strerror(-err));
}

static void sa_str(const struct xsa *sa, char *buf, size_t len)
{
	char s[INET6_ADDRSTRLEN], dd[INET6_ADDRSTRLEN], spi[SPI_STRLEN];

	inet_ntop(sa->family, &sa->saddr, s, sizeof(s));
	inet_ntop(sa->family, &sa->daddr, dd, sizeof(dd));
	snprintf(buf, len, "src %s dst %s spi %s reqid %u", s, dd,
		 spi_str(sa->spi, spi), sa->reqid);
}

/* "out udp 10.0.0.1:1701 -> 10.0.0.2:1701 priority 0x4c320040 reqid 1" */
static void filter_str(const struct xpolicy *p, char *buf, size_t len)
{
	char s[ENDPOINT_STRLEN], dd[ENDPOINT_STRLEN];

	addr_port_str(p->family, &p->saddr, p->sport, s, sizeof(s));
	addr_port_str(p->family, &p->daddr, p->dport, dd, sizeof(dd));
	snprintf(buf, len, "%s %s -> %s priority 0x%08x reqid %u",
		 p->dir == XFRM_POLICY_OUT ? "out" : p->dir == XFRM_POLICY_IN ?
		 "in" : "fwd", s, dd, p->priority,
		 p->ntmpl ? p->tmpl[0].reqid : 0);
}

/*
 * Add a tunnel's binding with its socket, if a process of ours holds the
 * tunnel's PPPoL2TP socket (an L2TPv2 daemon in kernel mode): twins of
 * one 4-tuple get their packets in their own socket then (steer.c). The
 * kernel checks that the socket is the tunnel's. @b is what was added.
 */
static int bind_steering(struct daemon *d, const struct rc_action *a,
			 struct binding *b)
{
	struct autobind *ab = d->autobind;
	int pid, fd, ret;
	char err[160];

	*b = a->b;
	if (!a->tunnel_id || !b->v2_tunnel_id ||
	    pppol2tp_find_tunnel(b->v2_tunnel_id, ab->sock_pid, &pid, &fd))
		return binding_add(&d->mc, b);
	ab->sock_pid = pid;
	b->sock_fd = fd_of_process(pid, fd, err, sizeof(err));
	if (b->sock_fd < 0) {
		log_warning("tunnel %u: its socket (process %d, descriptor %d): %s: bound without it",
			    a->tunnel_id, pid, fd, err);
		return binding_add(&d->mc, b);
	}
	b->sock_pid = pid;
	b->has_sock = true;
	ret = binding_add(&d->mc, b);
	close(b->sock_fd);
	b->sock_fd = fd;
	return ret;
}

static void carry_out(struct daemon *d, const struct rc_action *a)
{
	struct autobind *ab = d->autobind;
	struct binding b;
	char key[2 * ENDPOINT_STRLEN + 16], pins[128], what[320], sa[160];
	unsigned int missed;
	int ret;

	binding_key_str(&a->b, key, sizeof(key));
	b = a->b;
	switch (a->op) {
	case RC_BIND:
		ret = bind_steering(d, a, &b);
		if (ret == -EEXIST)
			break;	/* made meanwhile: the next reconcile sees it */
		snprintf(what, sizeof(what), "binding tunnel %u: %s", a->tunnel_id, key);
		if (ret) {
			kernel_error(&d->mc.nl, what, ret);
			break;
		}
		if (!a->tunnel_id && a->probe) {
			log_info("probe listener bound: %s owner 0x%08x: a tunnel there waits for the SA carrying it to be seen",
				 key, a->b.owner);
			break;
		}
		if (!a->tunnel_id) {
			log_info("listener bound: %s owner 0x%08x (RFC 3193 4.2.2)",
				 key, a->b.owner);
			break;
		}
		log_info("bound tunnel %u: %s%s owner 0x%08x, the SA seen carrying it: spi %s (%llu us after %s)",
			 a->tunnel_id, key, pins_str(&a->b, pins, sizeof(pins)),
			 a->b.owner, spi_str(a->sa.spi, sa),
			 (unsigned long long)us_since(&ab->since), ab->why);
		if (b.has_sock || b.out_mark)
			log_info("tunnel %u steers: socket %s (process %d, descriptor %d), out-mark 0x%08x, v2-peer-tunnel-id %u",
				 a->tunnel_id, b.has_sock ? "yes" : "none", b.sock_pid,
				 b.has_sock ? b.sock_fd : -1, b.out_mark,
				 b.v2_peer_tunnel_id);
		break;
	case RC_UNBIND:
		ret = binding_del(&d->mc, &a->b);
		if (ret && ret != -ENOENT) {
			snprintf(what, sizeof(what), "deleting binding %s", key);
			kernel_error(&d->mc.nl, what, ret);
			break;
		}
		if (a->resight)
			log_warning("unbound tunnel %u: %s: no SA passes the pins of its binding%s and several of its reqid are there; none seen carrying it: bound again when its traffic is seen",
				    a->tunnel_id, key, pins_str(&a->b, pins, sizeof(pins)));
		else if (a->tunnel_id)
			log_info("unbound tunnel %u: %s", a->tunnel_id, key);
		else if (a->b.peer.family == AF_UNSPEC)
			log_info("listener unbound: %s: no configured endpoint, no tunnel waiting there", key);
		else
			log_info("unbound %s: its tunnel is gone", key);
		break;
	case RC_DEL_TUNNEL:
		log_warning("tunnel %u (%s): its SA%s is gone and nothing replaced it: tearing the tunnel down",
			    a->tunnel_id, key, pins_str(&a->b, pins, sizeof(pins)));
		ret = l2tp_tunnel_delete(&ab->lc, a->tunnel_id);
		if (ret && ret != -ENODEV) {
			snprintf(what, sizeof(what), "deleting tunnel %u", a->tunnel_id);
			kernel_error(&d->mc.nl, what, ret);
		}
		break;
	case RC_DEL_SA:
		sa_str(&a->sa, sa, sizeof(sa));
		/* An SA charon made goes through charon (an IKE Delete). */
		ret = ike_terminate_spi(d, a->sa.spi);
		if (ret > 0)
			break;
		ret = xfrm_sa_del(&ab->xfrm, &a->sa);
		if (ret && ret != -ESRCH && ret != -ENOENT) {
			snprintf(what, sizeof(what), "deleting SA %s", sa);
			kernel_error(&ab->xfrm, what, ret);
			break;
		}
		log_info("deleted SA %s: the tunnel of %s is gone", sa, key);
		break;
	case RC_ADD_FILTER:
		filter_str(&a->pol, sa, sizeof(sa));
		ret = spd_policy_install(&ab->xfrm, &a->pol, NULL);
		if (ret) {
			snprintf(what, sizeof(what), "filter of tunnel %u: %s",
				 a->tunnel_id, sa);
			kernel_error(&ab->xfrm, what, ret);
			break;
		}
		log_info("filter of tunnel %u installed: %s", a->tunnel_id, sa);
		break;
	case RC_DEL_FILTER:
		filter_str(&a->pol, sa, sizeof(sa));
		ret = xfrm_policy_del(&ab->xfrm, &a->pol);
		if (ret && ret != -ENOENT) {
			snprintf(what, sizeof(what), "deleting filter %s", sa);
			kernel_error(&ab->xfrm, what, ret);
			break;
		}
		log_info("filter removed: %s: its tunnel is gone", sa);
		break;
	case RC_NO_SA:
		if (log_ratelimit(&ab->nosa_rl, log_now_ms(), &missed))
			log_info("tunnel %u (%s): no ESP transport SA protects it yet: not bound",
				 a->tunnel_id, key);
		break;
	case RC_NOT_SEEN:
		if (log_ratelimit(&ab->nosa_rl, log_now_ms(), &missed))
			log_info("tunnel %u (%s): %zu ESP transport SA%s between its addresses, none seen carrying its traffic yet: not bound",
				 a->tunnel_id, key, a->nsas, a->nsas == 1 ? "" : "s");
		break;
	case RC_AMBIGUOUS:
		if (log_ratelimit(&ab->unsure_rl, log_now_ms(), &missed)) {
			sa_str(&a->sa, sa, sizeof(sa));
			sa_str(&a->sa2, what, sizeof(what));
			log_warning("tunnel %u (%s): two SAs seen carrying its traffic (%s; %s), nothing tells which is its own: not bound, the namespace policy judges it",
				    a->tunnel_id, key, sa, what);
		}
		break;
	}
}

/*
 * A responder (LNS) takes new tunnels on every local address and port of
 * its configuration: a listener binding on each (RFC 3193 4.2.2
 * "Inbound-1"). An initiator (LAC) only ever hears from its concentrator.
 */
static size_t wanted_listeners(const struct agent_config *cfg,
			       struct endpoint *out, size_t max)
{
	unsigned int i, j;
	size_t n = 0;

	if (cfg->role != ROLE_LNS)
		return 0;
	for (i = 0; i < cfg->nlocal; i++) {
		for (j = 0; j < cfg->ns.nports && n < max; j++) {
			out[n] = cfg->local[i];
			out[n++].port = cfg->ns.ports[j];
		}
	}
	return n;
}

/*
 * Remember the tunnels a reconcile saw, and look for them every WATCH_MS
 * while there are any: their going raises no event when their socket
 * takes them (xl2tpd's), and their bindings, SAs and the sockets the
 * bindings hold would stay until something else asked for a reconcile.
 */
static void watch_tunnels(struct autobind *ab, const struct vec *tunnels)
{
	const struct l2tp_tunnel *t = tunnels->v;
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };
	size_t i;

	ab->watched.n = 0;
	for (i = 0; i < tunnels->n; i++) {
		if (vec_push(&ab->watched, &t[i].tunnel_id, sizeof(t[i].tunnel_id))) {
			/* Unsure what is there: look again at the next tick. */
			ab->watched.n = 0;
			break;
		}
	}
	if (tunnels->n) {
		its.it_value.tv_nsec = its.it_interval.tv_nsec =
			(WATCH_MS % 1000) * 1000000L;
		its.it_value.tv_sec = its.it_interval.tv_sec = WATCH_MS / 1000;
	}
	if (ab->watch_fd >= 0)
		timerfd_settime(ab->watch_fd, 0, &its, NULL);
}

static int tunnel_seen(const struct l2tp_tunnel *t, void *data)
{
	struct vec *seen = data;

	return vec_push(seen, &t->tunnel_id, sizeof(t->tunnel_id));
}

/* Whether @id is among the @n IDs at @ids. */
static bool id_in(uint32_t id, const uint32_t *ids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

static void on_watch(struct daemon *d, int fd, uint32_t events, void *data)
{
	struct autobind *ab = d->autobind;
	struct vec seen = { NULL, 0, 0 };
	const uint32_t *w = ab->watched.v;
	uint64_t n;
	size_t i;
	int ret;

	(void)events;
	(void)data;
	if (read(fd, &n, sizeof(n)) != sizeof(n))
		return;
	ret = l2tp_tunnel_dump(&ab->lc, tunnel_seen, &seen);
	if (ret) {
		vec_free(&seen);
		autobind_trigger(d, "L2TP tunnel watch");
		return;
	}
	if (!ab->watched.n && seen.n)
		autobind_trigger(d, "L2TP tunnel watch");
	for (i = 0; i < ab->watched.n; i++) {
		if (!id_in(w[i], seen.v, seen.n)) {
			autobind_trigger(d, "L2TP tunnel gone (no event)");
			break;
		}
	}
	vec_free(&seen);
}

void autobind_run(struct daemon *d)
{
	struct endpoint listeners[CONFIG_MAX_LOCAL * L2TP_IPSEC_MAX_PORTS];
	struct autobind *ab = d->autobind;
	struct dumps dm = { { NULL, 0, 0 }, { NULL, 0, 0 }, { NULL, 0, 0 },
			    NULL, 0 };
	struct vec plan = { NULL, 0, 0 };
	const struct rc_action *a;
	struct rc_input in;
	struct timespec t0, t1, t2;
	const char *what;
	struct nl *nl;
	uint64_t waited, dump_us, plan_us;
	size_t i;
	int ret;

	if (!ab || !ab->due)
		return;
	ab->due = false;
	waited = us_since(&ab->since);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = take_dumps(d, &dm, &what, &nl);
	if (ret) {
		kernel_error(nl, what, ret);
		goto out;
	}
	keep_twin_sightings(ab, &dm.bindings);
	in = (struct rc_input) {
		.tunnels = dm.tunnels.v, .ntunnels = dm.tunnels.n,
		.sas = dm.sas.v, .nsas = dm.sas.n,
		.bindings = dm.bindings.v, .nbindings = dm.bindings.n,
		.owner = RECONCILE_OWNER,
		.filters = true,
		.role = d->cfg.role == ROLE_LAC ? FILTER_INITIATOR : FILTER_RESPONDER,
		.policies = dm.policies, .npolicies = dm.npolicies,
		.listeners = listeners,
		.nlisteners = wanted_listeners(&d->cfg, listeners,
					       sizeof(listeners) / sizeof(listeners[0])),
		.sightings = ab->sightings.v, .nsightings = ab->sightings.n,
		.ports = d->cfg.ns.ports, .nports = d->cfg.ns.nports,
	};
	dump_us = us_since(&t0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ret = reconcile(&in, &plan);
	if (ret) {
		log_error("reconcile: %s", strerror(-ret));
		goto out;
	}
	plan_us = us_since(&t1);
	clock_gettime(CLOCK_MONOTONIC, &t2);
	a = plan.v;
	for (i = 0; i < plan.n; i++)
		carry_out(d, &a[i]);
	sightings_prune(&ab->sightings, log_now_ms(), dm.sas.v, dm.sas.n,
			dm.bindings.v, dm.bindings.n, RECONCILE_OWNER);
	watch_tunnels(ab, &dm.tunnels);
	log_debug("reconcile after %s: %zu tunnels, %zu SAs, %zu bindings, %zu policies, %zu actions; %llu us of work (dumps %llu, plan %llu, actions %llu), started %llu us after the trigger",
		  ab->why, dm.tunnels.n, dm.sas.n, dm.bindings.n, dm.npolicies, plan.n,
		  (unsigned long long)us_since(&t0), (unsigned long long)dump_us,
		  (unsigned long long)plan_us, (unsigned long long)us_since(&t2),
		  (unsigned long long)waited);
out:
	vec_free(&plan);
	dumps_free(&dm);
}

int autobind_flush_filters(struct daemon *d, const struct binding *ours,
			   size_t n)
{
	struct autobind *ab = d->autobind;
	struct xpolicy *list = NULL;
	struct l2tp_tunnel t;
	size_t np = 0, i, j, gone = 0;
	int ret;

	if (!ab)
		return 0;
	ret = xfrm_policy_list(&ab->xfrm, &list, &np);
	for (i = 0; !ret && i < np; i++) {
		for (j = 0; j < n; j++) {
			memset(&t, 0, sizeof(t));
			t.encap = L2TP_ENCAPTYPE_UDP;
			t.local = ours[j].local;
			t.peer = ours[j].peer;
			if (reconcile_filter_of(&list[i], &t))
				break;
		}
		if (j == n)
			continue;
		ret = xfrm_policy_del(&ab->xfrm, &list[i]);
		if (ret == -ENOENT)
			ret = 0;
		gone += !ret;
	}
	free(list);
	if (ret)
		kernel_error(&ab->xfrm, "--flush-on-exit: deleting filters", ret);
	else
		log_info("--flush-on-exit: deleted %zu per-tunnel filters", gone);
	return ret;
}

/* ---------------------------------------------------------------------- */
/* Event sockets */

static void lost_events(struct daemon *d, const char *what)
{
	d->stats.overruns++;
	log_warning("%s events lost: the socket's receive buffer overran; resynchronising",
		    what);
	autobind_resync(d, what);
}

static int l2tp_event(const struct l2tp_event *ev, void *data)
{
	struct daemon *d = data;
	struct autobind *ab = d->autobind;
	int ret;

	switch (ev->cmd) {
	case L2TP_CMD_TUNNEL_DELETE:
		/*
		 * The kernel deletes the tunnel from a work item: wait until
		 * it has left the dumps, or its binding would not look stale.
		 * Events come from every namespace: an ID not ours is gone.
		 */
		ret = l2tp_tunnel_wait_gone(&ab->lc, ev->tunnel.tunnel_id,
					    GONE_WAIT_MS);
		if (ret)
			log_debug("tunnel %u still there %d ms after its deletion: %s",
				  ev->tunnel.tunnel_id, GONE_WAIT_MS, strerror(-ret));
		autobind_trigger(d, "L2TP tunnel deletion");
		break;
	case L2TP_CMD_TUNNEL_CREATE:
	case L2TP_CMD_TUNNEL_MODIFY:
		autobind_trigger(d, "L2TP tunnel creation");
		break;
	}
	return 0;
}

static void on_l2tp(struct daemon *d, int fd, uint32_t events, void *data)
{
	struct autobind *ab = d->autobind;
	int ret;

	(void)fd;
	(void)events;
	(void)data;
	ret = l2tp_recv_events(&ab->lc_ev, l2tp_event, d);
	if (ret >= 0 || ret == -EAGAIN || ret == -EWOULDBLOCK)
		return;
	if (ret == -ENOBUFS) {
		lost_events(d, "L2TP");
		return;
	}
	log_error("reading L2TP events: %s", strerror(-ret));
	daemon_stop(d, EXIT_KERNEL);
}

static int xfrm_event(const struct nlmsghdr *nlh, void *data)
{
	struct daemon *d = data;

	switch (nlh->nlmsg_type) {
	case XFRM_MSG_NEWSA:
	case XFRM_MSG_UPDSA:
		autobind_trigger(d, "XFRM new SA");
		break;
	case XFRM_MSG_DELSA:
	case XFRM_MSG_FLUSHSA:
		autobind_trigger(d, "XFRM SA deletion");
		break;
	case XFRM_MSG_EXPIRE:
		autobind_trigger(d, "XFRM SA expiry");
		break;
	case XFRM_MSG_MAPPING:
		autobind_trigger(d, "XFRM NAT mapping");
		break;
	case XFRM_MSG_DELPOLICY:
	case XFRM_MSG_FLUSHPOLICY:
		d->spd_check = true;
		break;
	}
	return MNL_CB_OK;
}

static void on_xfrm(struct daemon *d, int fd, uint32_t events, void *data)
{
	struct autobind *ab = d->autobind;
	int ret;

	(void)fd;
	(void)events;
	(void)data;
	ret = nl_recv_events(&ab->xfrm_ev, xfrm_event, d);
	if (ret >= 0 || ret == -EAGAIN || ret == -EWOULDBLOCK)
		return;
	if (ret == -ENOBUFS) {
		d->spd_check = true;
		lost_events(d, "XFRM");
		return;
	}
	log_error("reading XFRM events: %s", strerror(-ret));
	daemon_stop(d, EXIT_KERNEL);
}

/* Big receive buffer, non-blocking, into the loop. */
static int watch(struct daemon *d, struct nl *nl, daemon_fd_fn fn)
{
	int fd = mnl_socket_get_fd(nl->sock), size = EVENTS_RCVBUF, fl;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)))
		log_debug("event socket: receive buffer left as it is: %s",
			  strerror(errno));
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK))
		return -errno;
	return daemon_add_fd(d, fd, fn, NULL);
}

static int open_l2tp(struct daemon *d, struct autobind *ab)
{
	int ret;

	ret = l2tp_client_init(&ab->lc, &d->mc.nl);
	if (ret) {
		log_error("kernel L2TP (genl family '%s', modprobe l2tp_netlink): %s",
			  L2TP_GENL_NAME, strerror(-ret));
		return ret;
	}
	ret = nl_open(&ab->l2tp_ev);
	if (!ret)
		ret = l2tp_client_init(&ab->lc_ev, &ab->l2tp_ev);
	if (!ret)
		ret = l2tp_join_events(&ab->lc_ev);
	if (!ret)
		ret = watch(d, &ab->l2tp_ev, on_l2tp);
	if (ret)
		log_error("joining the L2TP multicast group: %s", strerror(-ret));
	return ret;
}

static int open_xfrm(struct daemon *d, struct autobind *ab)
{
	static const uint32_t groups[] = {
		XFRMNLGRP_SA, XFRMNLGRP_EXPIRE, XFRMNLGRP_MAPPING, XFRMNLGRP_POLICY,
	};
	unsigned int i;
	int ret;

	ret = xfrm_open(&ab->xfrm);
	if (ret) {
		log_error("NETLINK_XFRM (modprobe xfrm_user): %s", strerror(-ret));
		return ret;
	}
	ret = xfrm_open(&ab->xfrm_ev);
	for (i = 0; !ret && i < sizeof(groups) / sizeof(groups[0]); i++)
		ret = nl_join_group(&ab->xfrm_ev, groups[i]);
	if (!ret)
		ret = watch(d, &ab->xfrm_ev, on_xfrm);
	if (ret)
		log_error("joining the XFRM multicast groups: %s", strerror(-ret));
	return ret;
}

static int open_watch(struct daemon *d, struct autobind *ab)
{
	int ret;

	ab->watch_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (ab->watch_fd < 0) {
		ret = -errno;
		log_error("tunnel watch: timerfd: %s", strerror(-ret));
		return ret;
	}
	ret = daemon_add_fd(d, ab->watch_fd, on_watch, NULL);
	if (ret) {
		log_error("tunnel watch: epoll: %s", strerror(-ret));
		close(ab->watch_fd);
		ab->watch_fd = -1;
	}
	return ret;
}

int autobind_open(struct daemon *d)
{
	struct autobind *ab;
	int ret;

	ab = calloc(1, sizeof(*ab));
	if (!ab)
		return -ENOMEM;
	ab->nosa_rl = (struct log_ratelimit)
		LOG_RATELIMIT_INIT(NOSA_LOG_MS, NOSA_LOG_BURST);
	ab->unsure_rl = (struct log_ratelimit)
		LOG_RATELIMIT_INIT(NOSA_LOG_MS, NOSA_LOG_BURST);
	ab->watch_fd = -1;
	d->autobind = ab;
	/* Subscribed before the first dump: no change goes unseen. */
	ret = open_l2tp(d, ab);
	if (!ret)
		ret = open_xfrm(d, ab);
	if (!ret)
		ret = open_watch(d, ab);
	if (ret) {
		autobind_close(d);
		return ret;
	}
	autobind_trigger(d, "start");
	return 0;
}

void autobind_close(struct daemon *d)
{
	struct autobind *ab = d->autobind;

	if (!ab)
		return;
	if (ab->l2tp_ev.sock)
		daemon_del_fd(d, mnl_socket_get_fd(ab->l2tp_ev.sock));
	if (ab->xfrm_ev.sock)
		daemon_del_fd(d, mnl_socket_get_fd(ab->xfrm_ev.sock));
	if (ab->watch_fd >= 0) {
		daemon_del_fd(d, ab->watch_fd);
		close(ab->watch_fd);
	}
	nl_close(&ab->l2tp_ev);
	nl_close(&ab->xfrm_ev);
	nl_close(&ab->xfrm);
	vec_free(&ab->sightings);
	vec_free(&ab->watched);
	vec_free(&ab->twin_seen);
	free(ab);
	d->autobind = NULL;
}

void autobind_resync(struct daemon *d, const char *why)
{
	d->stats.resyncs++;
	log_debug("resync after %s", why);
	autobind_trigger(d, "resync");
}
