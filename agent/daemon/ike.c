// SPDX-License-Identifier: GPL-2.0
/* The agent and charon: the PAD loaded over VICI, kept loaded (ike.h). */

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>

#include "daemon/ike.h"
#include "daemon/loop.h"
#include "daemon/xl2tpd.h"
#include "ike/conn.h"
#include "ike/sas.h"
#include "ike/vici_client.h"
#include "lib/log.h"
#include "text/output.h"

/* Retry delays while charon cannot be reached: 1 s, doubling up to 30 s. */
#define RETRY_FIRST_S	1
#define RETRY_MAX_S	30
/* A credential file larger than this is not a certificate or a key. */
#define CRED_FILE_MAX	(256 * 1024)

static const char *const events[] = {
	"ike-updown", "child-updown", "ike-rekey", "child-rekey", "ike-update",
};

/**
 * struct ike - the agent's side of charon
 * @cmd: the command connection
 * @ev: the event connection, in the loop while connected
 * @timerfd: the retry timer, in the loop for good
 * @retry_s: the next retry's delay
 * @loaded: charon has the PAD of the configuration in force
 * @redial: a LAC's "c NAME" to xl2tpd failed; retried on the timer
 * @sas: charon's CHILD_SAs, for the identities of violations
 * @tunnel_id: the last violation's tunnel identity
 */
struct ike {
	struct vici_conn cmd;
	struct vici_conn ev;
	int timerfd;
	unsigned int retry_s;
	bool loaded;
	bool redial;
	struct ike_sas_cache sas;
	char tunnel_id[IKE_ID_LEN];
};

static struct ike *ike_of(const struct daemon *d)
{
	return d->ike;
}

/* ---------------------------------------------------------------------- */
/* Commands */

/*
 * Send @req (built, or failed to build: its error is reported) and judge
 * the response: 0, -EREMOTEIO if charon said no, another -errno if the
 * connection failed. @what names the request in the log.
 */
static int call(struct ike *ike, struct vici_msg *req, const char *what,
		struct vici_packet *out)
{
	struct vici_packet resp;
	char err[VICI_ERR_LEN];
	int ret;

	if (req->err) {
		log_error("IKE: %s: %s", what, req->errmsg);
		ret = req->err;
		goto out;
	}
	ret = vici_call(&ike->cmd, req, &resp);
	if (ret) {
		log_error("IKE: %s: %s", what, ike->cmd.err);
		goto out;
	}
	ret = vici_success(&resp, req->name, err, sizeof(err));
	if (ret && ret != -EBADMSG)
		log_error("IKE: %s: %s", what, err);
	if (ret == -EBADMSG)
		ret = 0;	/* get-conns and get-shared say no "success" */
	if (!ret && out)
		*out = resp;
	else
		vici_packet_free(&resp);
out:
	vici_msg_free(req);
	return ret;
}

static int read_cred(const char *peer, const char *key, const char *path,
		     struct ike_blob *b, void **mem)
{
	struct stat st;
	ssize_t n;
	int fd, ret = 0;

	*mem = NULL;
	b->data = NULL;
	b->len = 0;
	if (!path)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		ret = -errno;
		goto fail;
	}
	if (!S_ISREG(st.st_mode) || st.st_size <= 0 || st.st_size > CRED_FILE_MAX) {
		ret = -EINVAL;
		goto fail;
	}
	*mem = malloc((size_t)st.st_size);
	if (!*mem) {
		ret = -ENOMEM;
		goto fail;
	}
	n = read(fd, *mem, (size_t)st.st_size);
	if (n != st.st_size) {
		ret = n < 0 ? -errno : -EIO;
		goto fail;
	}
	close(fd);
	b->data = *mem;
	b->len = (size_t)n;
	return 0;
fail:
	if (ret == -EINVAL)
		log_error("IKE: [peer %s] %s %s: not a regular file of 1..%d bytes",
			  peer, key, path, CRED_FILE_MAX);
	else
		log_error("IKE: [peer %s] %s %s: %s", peer, key, path, strerror(-ret));
	if (fd >= 0)
		close(fd);
	free(*mem);
	*mem = NULL;
	return ret;
}

/* Every address of [agent] local, as charon's local_addrs. */
static void local_addrs(const struct agent_config *cfg, char (*buf)[INET6_ADDRSTRLEN],
			const char **addrs)
{
	unsigned int i;

	for (i = 0; i < cfg->nlocal; i++) {
		if (!inet_ntop(cfg->local[i].family, &cfg->local[i].addr, buf[i],
			       INET6_ADDRSTRLEN))
			strcpy(buf[i], "%any");
		addrs[i] = buf[i];
	}
}

/* One PAD entry into charon: its credentials, then its connection. */
static int load_peer(struct ike *ike, const struct agent_config *cfg,
		     const struct pad_peer *p)
{
	char addr[CONFIG_MAX_LOCAL][INET6_ADDRSTRLEN], what[128];
	const char *addrs[CONFIG_MAX_LOCAL];
	struct ike_local l = {
		.addrs = addrs, .naddrs = cfg->nlocal,
		.initiator = cfg->role == ROLE_LAC,
	};
	struct ike_creds c;
	struct vici_msg m;
	void *mem[3];
	int ret;

	local_addrs(cfg, addr, addrs);
	ret = read_cred(p->name, "local_cert", p->local_cert, &c.cert, &mem[0]);
	if (!ret)
		ret = read_cred(p->name, "local_key", p->local_key, &c.key, &mem[1]);
	else
		mem[1] = NULL;
	if (!ret)
		ret = read_cred(p->name, "ca_cert", p->ca_cert, &c.ca, &mem[2]);
	else
		mem[2] = NULL;
	if (!ret && c.ca.len) {
		snprintf(what, sizeof(what), "[peer %s] ca_cert %s", p->name, p->ca_cert);
		ike_load_cert_msg(&m, &c.ca, true);
		ret = call(ike, &m, what, NULL);
	}
	if (!ret && c.key.len) {
		snprintf(what, sizeof(what), "[peer %s] local_key %s", p->name, p->local_key);
		ike_load_key_msg(&m, &c.key);
		ret = call(ike, &m, what, NULL);
	}
	if (!ret && (p->psk || p->eap_secret)) {
		snprintf(what, sizeof(what), "[peer %s] %s", p->name,
			 p->psk ? "psk" : "eap_secret");
		ike_load_shared_msg(&m, p);
		ret = call(ike, &m, what, NULL);
	}
	if (!ret) {
		snprintf(what, sizeof(what), "[peer %s] connection", p->name);
		ike_load_conn_msg(&m, p, &l, &c);
		ret = call(ike, &m, what, NULL);
	}
	free(mem[0]);
	free(mem[1]);
	free(mem[2]);
	if (!ret)
		log_info("IKE: [peer %s] loaded: remote_id '%s', auth %s, remote %s",
			 p->name, p->remote_id, pad_auth_str(p),
			 p->remote_addrs ? p->remote_addrs : "any");
	return ret;
}

/* Does an entry of @pad load @name (a shared key only with a PSK)? */
static bool in_pad(const struct pad *pad, const char *name, bool shared)
{
	char buf[CONN_NAME_LEN];
	size_t i;

	for (i = 0; i < pad->n; i++)
		if (!strcmp(ike_conn_name(&pad->peers[i], buf), name) &&
		    (!shared || pad->peers[i].psk || pad->peers[i].eap_secret))
			return true;
	return false;
}

/*
 * Unload the connections (or, if @shared, the PSKs and EAP secrets) the agent loaded once
 * and @pad no longer names, as "get-conns" ("get-shared") lists them. An
 * empty @pad unloads all of ours.
 */
static int unload_stale(struct ike *ike, const struct pad *pad, bool shared)
{
	const char *cmd = shared ? "get-shared" : "get-conns";
	const char *list = shared ? "keys" : "conns";
	const struct vici_node *n;
	struct vici_packet resp;
	struct vici_msg m;
	char what[320];
	int ret;

	vici_begin(&m, cmd);
	ret = call(ike, &m, cmd, &resp);
	if (ret)
		return ret;
	n = vici_find(resp.root, list);
	for (n = n ? n->child : NULL; n && !ret; n = n->next) {
		if (n->type != VICI_LIST_ITEM || memchr(n->value, '\0', n->len))
			continue;
		if (!ike_name_ours(n->value) || in_pad(pad, n->value, shared))
			continue;
		snprintf(what, sizeof(what), "unloading '%s'", n->value);
		if (shared)
			ike_unload_shared_msg(&m, n->value);
		else
			ike_unload_conn_msg(&m, n->value);
		ret = call(ike, &m, what, NULL);
		if (!ret)
			log_info("IKE: '%s' unloaded: no [peer] names it", n->value);
	}
	vici_packet_free(&resp);
	return ret;
}

/* Delay of a retried "c NAME" to xl2tpd (not running yet, say). */
#define REDIAL_S	2

static void arm_timer(struct ike *ike, unsigned int s)
{
	struct itimerspec its = { .it_value = { .tv_sec = s } };

	timerfd_settime(ike->timerfd, 0, &its, NULL);
}

/* The [peer] whose connection is @conn, or NULL. */
static const struct pad_peer *peer_of_conn(const struct agent_config *cfg,
					   const char *conn)
{
	char name[CONN_NAME_LEN];
	size_t i;

	for (i = 0; conn && i < cfg->pad.n; i++)
		if (!strcmp(ike_conn_name(&cfg->pad.peers[i], name), conn))
			return &cfg->pad.peers[i];
	return NULL;
}

/* @p's CHILD_SA is up: xl2tpd may dial it now (xl2tpd.h). */
static void dial(struct ike *ike, const struct agent_config *cfg,
		 const struct pad_peer *p)
{
	if (cfg->role != ROLE_LAC || !p || !p->xl2tpd_lac)
		return;
	if (xl2tpd_dial(cfg->xl2tpd_control, p->xl2tpd_lac, p->name)) {
		ike->redial = true;
		arm_timer(ike, REDIAL_S);
	}
}

/*
 * A LAC brings its CHILD_SAs up (RFC 3193 section 4.2.2: before any L2TP),
 * those charon does not have yet if @initiate; xl2tpd dials the peers
 * whose CHILD_SA is up already (an agent restarted, a redial); the others
 * it dials when their child-updown comes.
 */
static void initiate_all(struct ike *ike, const struct agent_config *cfg,
			 bool initiate)
{
	struct vec sas = { NULL, 0, 0 };
	const struct ike_child *c;
	char name[CONN_NAME_LEN], what[128];
	struct vici_msg m;
	size_t i, j;
	bool up;

	if (cfg->role != ROLE_LAC)
		return;
	/* Unknown (list-sas failed): initiate; charon reuses what it has. */
	if (ike_list_sas(&ike->cmd, &sas))
		log_warning("IKE: %s", ike->cmd.err);
	c = sas.v;
	for (i = 0; i < cfg->pad.n; i++) {
		ike_conn_name(&cfg->pad.peers[i], name);
		for (j = 0, up = false; j < sas.n && !up; j++)
			up = !strcmp(c[j].conn, name);
		if (up) {
			dial(ike, cfg, &cfg->pad.peers[i]);
			continue;
		}
		if (!initiate)
			continue;
		snprintf(what, sizeof(what), "initiate [peer %s]", cfg->pad.peers[i].name);
		/* -1: charon initiates and answers at once; events tell the rest. */
		ike_initiate_msg(&m, name, -1);
		call(ike, &m, what, NULL);
	}
	vec_free(&sas);
}

/*
 * The PAD in force into charon, and what it no longer names out. A peer
 * charon refuses is logged and left out; the others load. -errno only if
 * the connection failed.
 */
static int load_all(struct ike *ike, const struct agent_config *cfg)
{
	size_t i, failed = 0;
	int ret;

	for (i = 0; i < cfg->pad.n; i++) {
		ret = load_peer(ike, cfg, &cfg->pad.peers[i]);
		if (ret && !vici_connected(&ike->cmd))
			return ret;
		failed += !!ret;
	}
	unload_stale(ike, &cfg->pad, false);
	unload_stale(ike, &cfg->pad, true);
	if (!vici_connected(&ike->cmd))
		return -EPIPE;
	ike->loaded = true;
	log_info("IKE: PAD loaded into charon: %zu of %zu peers%s", cfg->pad.n - failed,
		 cfg->pad.n, failed ? " (see the errors above)" : "");
	initiate_all(ike, cfg, true);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Connections */

static void on_event(struct daemon *d, int fd, uint32_t events, void *data);
static void event(struct daemon *d, const struct vici_packet *ev);
static int drain(struct daemon *d);

/* An event that came with a confirmation while subscribing. */
static int early_event(void *arg, const struct vici_packet *ev)
{
	event(arg, ev);
	return 0;
}

static void arm_retry(struct ike *ike)
{
	arm_timer(ike, ike->retry_s);
	if (ike->retry_s < RETRY_MAX_S)
		ike->retry_s = ike->retry_s * 2 > RETRY_MAX_S ? RETRY_MAX_S : ike->retry_s * 2;
}

static void disconnect(struct daemon *d)
{
	struct ike *ike = ike_of(d);

	if (ike->ev.fd >= 0)
		daemon_del_fd(d, ike->ev.fd);
	vici_close(&ike->ev);
	vici_close(&ike->cmd);
	ike->loaded = false;
	/* A charon that comes back has other CHILD_SAs. */
	ike_sas_cache_stale(&ike->sas);
}

/* Connect both, subscribe, load. 0, or -errno (logged) and disconnected. */
static int connect_and_load(struct daemon *d)
{
	struct ike *ike = ike_of(d);
	const char *path = d->cfg.vici_socket;
	size_t i;
	int ret;

	ret = vici_connect(&ike->cmd, path, 0);
	if (!ret)
		ret = vici_connect(&ike->ev, path, 0);
	if (ret) {
		log_warning("IKE: charon not reachable at %s: %s; retrying in %u s", path,
			    strerror(-ret), ike->retry_s);
		goto fail;
	}
	ike->ev.on_event = early_event;
	ike->ev.arg = d;
	for (i = 0; i < sizeof(events) / sizeof(events[0]) && !ret; i++)
		ret = vici_register(&ike->ev, events[i]);
	if (!ret)
		ret = daemon_add_fd(d, ike->ev.fd, on_event, NULL);
	/* Read along with the last confirmation: taken now, not at the next. */
	if (!ret)
		drain(d);
	if (!ret)
		ret = load_all(ike, &d->cfg);
	if (ret) {
		log_warning("IKE: %s; retrying in %u s",
			    ike->ev.err[0] ? ike->ev.err : ike->cmd.err, ike->retry_s);
		goto fail;
	}
	ike->retry_s = RETRY_FIRST_S;
	return 0;
fail:
	disconnect(d);
	arm_retry(ike);
	return ret;
}

static void on_timer(struct daemon *d, int fd, uint32_t events, void *data)
{
	uint64_t n;

	(void)events;
	(void)data;
	if (read(fd, &n, sizeof(n)) != sizeof(n))
		return;
	if (!vici_connected(&ike_of(d)->cmd)) {
		connect_and_load(d);
	} else if (ike_of(d)->redial) {
		ike_of(d)->redial = false;
		initiate_all(ike_of(d), &d->cfg, false);
	}
}

/* One event: logged; what it changed in the kernel, a reconcile sees. */
static void event(struct daemon *d, const struct vici_packet *ev)
{
	const struct vici_node *sa;
	const char *id;

	for (sa = ev->root ? ev->root->child : NULL; sa; sa = sa->next)
		if (sa->type == VICI_SECTION_START)
			break;
	id = sa ? vici_str(sa, "remote-id") : NULL;
	if (!strcmp(ev->name, "ike-updown") || !strcmp(ev->name, "child-updown"))
		log_info("IKE: %s %s: %s (%s)", ev->name,
			 vici_yes(ev->root, "up") ? "up" : "down",
			 sa && sa->name ? sa->name : "?", id ? id : "no identity");
	else
		log_debug("IKE: %s: %s", ev->name, sa && sa->name ? sa->name : "?");
	/* Only now may the L2TP daemon send its SCCRQ. */
	if (!strcmp(ev->name, "child-updown") && vici_yes(ev->root, "up") && sa)
		dial(ike_of(d), &d->cfg, peer_of_conn(&d->cfg, sa->name));
	/* Every event we subscribe to may change which CHILD_SA is whose. */
	ike_sas_cache_stale(&ike_of(d)->sas);
	/* What it changed is in the kernel's SAs: the daemon reconciles. */
	if (d->ike_changed)
		d->ike_changed(d, ev->name);
}

/* Every complete packet buffered on the event connection: 0 or -errno. */
static int drain(struct daemon *d)
{
	struct ike *ike = ike_of(d);
	struct vici_packet p;
	int ret;

	while ((ret = vici_next(&ike->ev, &p)) > 0) {
		if (p.type == VICI_EVENT)
			event(d, &p);
		vici_packet_free(&p);
	}
	return ret;
}

static void on_event(struct daemon *d, int fd, uint32_t events, void *data)
{
	struct ike *ike = ike_of(d);
	int ret;

	(void)fd;
	(void)events;
	(void)data;
	ret = vici_read(&ike->ev);
	if (ret >= 0)
		ret = drain(d);
	if (ret < 0) {
		/* A restarted charon has nothing of ours: load it all again. */
		log_warning("IKE: %s; reloading the PAD when charon is back",
			    ret == -EPIPE ? "charon closed the VICI socket" : ike->ev.err);
		disconnect(d);
		ike->retry_s = RETRY_FIRST_S;
		arm_retry(ike);
	}
}

/* ---------------------------------------------------------------------- */

int ike_open(struct daemon *d)
{
	struct ike *ike;
	int ret;

	if (!d->cfg.pad.n)
		return 0;
	ike = calloc(1, sizeof(*ike));
	if (!ike)
		return -ENOMEM;
	ike->cmd.fd = ike->ev.fd = -1;
	ike->retry_s = RETRY_FIRST_S;
	ike_sas_cache_init(&ike->sas);
	ike->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (ike->timerfd < 0) {
		ret = -errno;
		free(ike);
		log_error("IKE: timerfd: %s", strerror(-ret));
		return ret;
	}
	ret = daemon_add_fd(d, ike->timerfd, on_timer, NULL);
	if (ret) {
		close(ike->timerfd);
		free(ike);
		log_error("IKE: epoll: %s", strerror(-ret));
		return ret;
	}
	d->ike = ike;
	/* Not reachable yet is no failure: the timer retries. */
	connect_and_load(d);
	return 0;
}

void ike_reload(struct daemon *d)
{
	struct ike *ike = ike_of(d);

	if (!ike) {
		ike_open(d);
		return;
	}
	if (vici_connected(&ike->cmd) && load_all(ike, &d->cfg)) {
		disconnect(d);
		arm_retry(ike);
	}
}

void ike_close(struct daemon *d, bool unload)
{
	static const struct pad empty;
	struct ike *ike = ike_of(d);

	if (!ike)
		return;
	if (unload && vici_connected(&ike->cmd)) {
		unload_stale(ike, &empty, false);
		unload_stale(ike, &empty, true);
	}
	disconnect(d);
	daemon_del_fd(d, ike->timerfd);
	close(ike->timerfd);
	ike_sas_cache_free(&ike->sas);
	free(ike);
	d->ike = NULL;
}

int ike_terminate_spi(struct daemon *d, uint32_t spi)
{
	struct ike *ike = ike_of(d);
	struct vec sas = { NULL, 0, 0 };
	const struct ike_child *o;
	char what[VICI_NAME_MAX + 64];
	struct vici_msg m;
	bool ambiguous;
	int ret;

	if (!ike || !vici_connected(&ike->cmd) || !spi)
		return 0;
	ret = ike_list_sas(&ike->cmd, &sas);
	if (ret) {
		log_error("IKE: %s", ike->cmd.err);
		vec_free(&sas);
		return ret;
	}
	o = ike_child_of_spi(&sas, spi, &ambiguous);
	if (ambiguous) {
		/* Which to terminate is not known: charon keeps both. */
		log_warning("IKE: SA 0x%08x: two of charon's CHILD_SAs have this SPI; neither terminated nor deleted",
			    spi);
		vec_free(&sas);
		return 1;
	}
	if (!o) {
		vec_free(&sas);
		return 0;
	}
	if (!ike_name_ours(o->conn)) {
		/* charon's own: never deleted behind its back, nor by us. */
		log_warning("IKE: SA 0x%08x belongs to '%s', a connection the agent did not load: left alone",
			    spi, o->conn);
	} else {
		/*
		 * -1: charon sends the IKE Delete and answers at once. The
		 * IKE_SA goes too when this was its only CHILD_SA.
		 */
		if (o->children == 1) {
			snprintf(what, sizeof(what), "terminating IKE_SA %u of %s", o->ike_id,
				 o->conn);
			ike_terminate_ike_msg(&m, o->ike_id, -1);
		} else {
			snprintf(what, sizeof(what), "terminating CHILD_SA %u of %s",
				 o->child_id, o->conn);
			ike_terminate_msg(&m, o->conn, o->child_id, -1);
		}
		if (!call(ike, &m, what, NULL))
			log_info("IKE: %s (%s): its tunnel is gone (IKE Delete to the peer)",
				 what, o->remote_id);
	}
	vec_free(&sas);
	return 1;
}

bool ike_identities(struct daemon *d, uint32_t reqid, uint32_t spi,
		    uint32_t carrier, struct violation_identities *ids)
{
	struct ike *ike = ike_of(d);

	ids->tunnel = ids->sa = NULL;
	if (!ike || !vici_connected(&ike->cmd))
		return false;
	if (ike_sas_cache_identities(&ike->sas, &ike->cmd, log_now_ms(), reqid, spi,
				     carrier, &ids->tunnel, &ids->sa, ike->tunnel_id)) {
		log_error("IKE: listing CHILD_SAs for a violation's identities: %s",
			  ike->cmd.err);
		return false;
	}
	return true;
}

bool ike_ready(const struct daemon *d)
{
	return d->ike && d->ike->loaded;
}
