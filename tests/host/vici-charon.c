// SPDX-License-Identifier: GPL-2.0
/*
 * vici-charon SOCKET CHARON_PID [SEED_DIR]: agent/ike's VICI client against
 * a real charon (tests/host/vici-charon.sh starts a private one). Prints
 * what charon answers, as text, and one result line per case:
 *
 *	PASS vici-charon: <case>
 *	FAIL vici-charon: <case>
 *
 * Cases: version; an unknown command and event; load-conn of a minimal
 * IKEv2 transport connection (CHILD l2tp_spd_entry, udp/1701 both ways)
 * and of two bad ones; get-conns; list-conns and list-sas (streamed);
 * unload-conn twice; events registered on a second connection; charon's
 * answer to a malformed and to an oversized packet; and, last, SIGTERM to
 * charon, which the event connection must see as -EPIPE.
 *
 * With SEED_DIR, every packet charon sent is written there as a fuzz_vici
 * seed (charon-<what>), re-encoded from its decoded tree.
 */

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include "ike/vici.h"
#include "ike/vici_client.h"

static int failures;
static const char *seed_dir;

__attribute__((format(printf, 2, 3)))
static bool ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf("%s vici-charon: ", cond ? "PASS" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	failures += !cond;
	return cond;
}

static void encode_node(struct vici_msg *m, const struct vici_node *n)
{
	const struct vici_node *c;

	for (c = n->child; c; c = c->next) {
		if (c->type == VICI_SECTION_START) {
			vici_section_start(m, c->name);
			encode_node(m, c);
			vici_section_end(m);
		} else if (c->type == VICI_LIST_START) {
			vici_list_start(m, c->name);
			encode_node(m, c);
			vici_list_end(m);
		} else if (c->type == VICI_KEY_VALUE) {
			vici_kv_bytes(m, c->name, c->value, c->len);
		} else {
			vici_list_item_bytes(m, c->value, c->len);
		}
	}
}

/* A packet charon sent, as a fuzz_vici payload seed. */
static void save(const char *what, const struct vici_packet *p)
{
	static int seq;
	struct vici_msg m;
	char path[512], *c;
	FILE *f;

	if (!seed_dir)
		return;
	vici_begin_packet(&m, p->type, p->name);
	encode_node(&m, p->root);
	if (!vici_end(&m)) {
		snprintf(path, sizeof(path), "%s/charon-%02d-%s", seed_dir, ++seq,
			 what);
		for (c = path + strlen(seed_dir) + 1; *c; c++)
			if (*c == ' ' || *c == '/')
				*c = '-';
		f = fopen(path, "w");
		if (f) {
			fputc(0, f);	/* mode: one payload */
			fwrite(m.buf + VICI_HDR_LEN, 1, m.len - VICI_HDR_LEN, f);
			fclose(f);
		}
	}
	vici_msg_free(&m);
}

static void show(const char *title, const struct vici_packet *p)
{
	printf("--- %s: %s%s%s\n", title, vici_type_str(p->type),
	       p->name[0] ? " " : "", p->name);
	vici_dump(stdout, p->root, 2);
}

struct stream {
	const char *what;
	int n;
	char first[256];
};

static int on_stream(void *arg, const struct vici_packet *ev)
{
	struct stream *s = arg;

	if (!s->n && ev->root->child)
		snprintf(s->first, sizeof(s->first), "%s", ev->root->child->name);
	s->n++;
	show(s->what, ev);
	save(s->what, ev);
	return 0;
}

static int on_stray(void *arg, const struct vici_packet *ev)
{
	(void)arg;
	show("stray event", ev);
	return 0;
}

/* A command, its response shown and saved; the call's return value. */
static int cmd(struct vici_conn *c, struct vici_msg *req, const char *stream,
	       struct stream *s, struct vici_packet *resp)
{
	char name[VICI_NAME_MAX + 1];
	int ret;

	snprintf(name, sizeof(name), "%s", req->name);
	if (stream)
		ret = vici_call_stream(c, req, stream, on_stream, s, resp);
	else
		ret = vici_call(c, req, resp);
	vici_msg_free(req);
	if (ret) {
		printf("--- %s: error %d (%s): %s\n", name, ret, strerror(-ret),
		       c->err);
		return ret;
	}
	show(name, resp);
	save(name, resp);
	return 0;
}

/*
 * The l2tp transport connection from @local to @remote as @id; @remote_ts
 * and @bogus make the bad variants.
 */
static void build_conn(struct vici_msg *m, const char *name, const char *local,
		       const char *remote, const char *id,
		       const char *remote_ts, bool bogus)
{
	vici_begin(m, "load-conn");
	vici_section_start(m, name);
	vici_kv(m, "version", "2");
	vici_list_start(m, "local_addrs");
	vici_list_item(m, local);
	vici_list_end(m);
	vici_list_start(m, "remote_addrs");
	vici_list_item(m, remote);
	vici_list_end(m);
	vici_list_start(m, "proposals");
	vici_list_item(m, "aes128-sha256-modp2048");
	vici_list_end(m);
	vici_section_start(m, "local");
	vici_kv(m, "auth", "psk");
	vici_kv(m, "id", id);
	vici_section_end(m);
	vici_section_start(m, "remote");
	vici_kv(m, "auth", "psk");
	vici_section_end(m);
	vici_section_start(m, "children");
	vici_section_start(m, "l2tp_spd_entry");
	vici_kv(m, "mode", "transport");
	vici_list_start(m, "local_ts");
	vici_list_item(m, "dynamic[udp/1701]");
	vici_list_end(m);
	vici_list_start(m, "remote_ts");
	vici_list_item(m, remote_ts);
	vici_list_end(m);
	vici_list_start(m, "esp_proposals");
	vici_list_item(m, "aes128-sha256");
	vici_list_end(m);
	if (bogus)
		vici_kv(m, "bogus_key", "1");
	vici_section_end(m);
	vici_section_end(m);
	vici_section_end(m);
}

/* Raw bytes to a fresh connection; what charon sends back in @wait_ms. */
static void raw_probe(const char *sock, const char *what, const void *buf,
		      size_t len, int wait_ms)
{
	struct vici_conn c;
	struct vici_packet p;
	struct pollfd pfd;
	ssize_t n;
	int ret;

	if (vici_connect(&c, sock, wait_ms)) {
		ok(false, "%s: connect: %s", what, c.err);
		return;
	}
	n = send(c.fd, buf, len, MSG_NOSIGNAL);
	if (n != (ssize_t)len)
		printf("--- %s: sent %zd of %zu bytes (%s)\n", what, n, len,
		       n < 0 ? strerror(errno) : "short");
	pfd = (struct pollfd){ .fd = c.fd, .events = POLLIN };
	ret = poll(&pfd, 1, wait_ms);
	if (ret == 0) {
		printf("--- %s: charon sent nothing in %d ms and kept the connection\n",
		       what, wait_ms);
		ok(true, "%s: charon stays silent", what);
		vici_close(&c);
		return;
	}
	ret = vici_read(&c);
	if (ret > 0 && vici_next(&c, &p) == 1) {
		show(what, &p);
		save(what, &p);
		ok(true, "%s: charon answers %s", what, vici_type_str(p.type));
		vici_packet_free(&p);
	} else {
		printf("--- %s: read %d: %s\n", what, ret, c.err);
		ok(ret == -EPIPE, "%s: charon closes the connection (%s)", what,
		   c.err);
	}
	vici_close(&c);
}

struct counts {
	int ike_up, ike_down, child_up, child_down, other;
};

/* Show and count the events that come on @ev within @ms of silence. */
static void drain_events(struct vici_conn *ev, int ms, struct counts *n)
{
	struct pollfd pfd = { .fd = ev->fd, .events = POLLIN };
	struct vici_packet p;
	bool up;
	int ret;

	for (;;) {
		while ((ret = vici_next(ev, &p)) == 1) {
			up = vici_yes(p.root, "up");
			show("async event", &p);
			save(p.name, &p);
			if (n && !strcmp(p.name, "ike-updown"))
				*(up ? &n->ike_up : &n->ike_down) += 1;
			else if (n && !strcmp(p.name, "child-updown"))
				*(up ? &n->child_up : &n->child_down) += 1;
			else if (n)
				n->other++;
			vici_packet_free(&p);
		}
		if (ret < 0 || poll(&pfd, 1, ms) != 1 || vici_read(ev) <= 0)
			return;
	}
}

/*
 * charon as both peers: 127.0.0.1 initiates l2tp-smoke to 127.0.0.2, where
 * l2tp-resp answers. A real IKE_SA and CHILD_SA, if the kernel takes the
 * ESP SAs: events, list-sas with child-sas, terminate.
 */
static void ike_to_itself(struct vici_conn *c, struct vici_conn *ev,
			  const char *sock)
{
	struct counts n = { 0 }, twice = { 0 };
	struct vici_packet resp;
	struct vici_conn dup;
	struct stream s;
	struct vici_msg m;
	int ret;

	/* charon keeps a client once per registration: a second one doubles. */
	ret = vici_connect(&dup, sock, 5000);
	ok(!ret && !vici_register(&dup, "ike-updown") &&
	   !vici_register(&dup, "ike-updown"),
	   "events: ike-updown registered twice on one connection, both confirmed");

	vici_begin(&m, "load-shared");
	vici_kv(&m, "type", "IKE");
	vici_kv(&m, "data", "vici-charon smoke test secret");
	vici_list_start(&m, "owners");
	vici_list_item(&m, "lns.example");
	vici_list_item(&m, "lac.example");
	vici_list_end(&m);
	ret = cmd(c, &m, NULL, NULL, &resp);
	ok(!ret && !vici_success(&resp, "load-shared", c->err, sizeof(c->err)),
	   "load-shared: a PSK for lns.example and lac.example");
	if (!ret)
		vici_packet_free(&resp);

	build_conn(&m, "l2tp-resp", "127.0.0.2", "127.0.0.1", "lac.example",
		   "dynamic[udp/1701]", false);
	ret = cmd(c, &m, NULL, NULL, &resp);
	ok(!ret && !vici_success(&resp, "load-conn", c->err, sizeof(c->err)),
	   "load-conn l2tp-resp, the responder side on 127.0.0.2");
	if (!ret)
		vici_packet_free(&resp);

	s = (struct stream){ .what = "control-log" };
	vici_begin(&m, "initiate");
	vici_kv(&m, "child", "l2tp_spd_entry");
	vici_kv(&m, "ike", "l2tp-smoke");
	vici_kv(&m, "timeout", "5000");
	vici_kv(&m, "loglevel", "1");
	ret = cmd(c, &m, "control-log", &s, &resp);
	ok(!ret, "initiate l2tp-smoke/l2tp_spd_entry: %d control-log events, success=%s errmsg=%s",
	   s.n, ret ? "?" : vici_str(resp.root, "success"),
	   ret ? "?" : vici_str(resp.root, "errmsg") ?
	   vici_str(resp.root, "errmsg") : "(none)");
	if (!ret)
		vici_packet_free(&resp);

	drain_events(ev, 500, &n);
	ok(n.ike_up == 2, "events: %d ike-updown up (initiator and responder), %d child-updown up",
	   n.ike_up, n.child_up);
	drain_events(&dup, 200, &twice);
	ok(twice.ike_up == 4, "events: registered twice, each ike-updown comes twice (%d for 2)",
	   twice.ike_up);
	vici_close(&dup);

	s = (struct stream){ .what = "list-sa" };
	vici_begin(&m, "list-sas");
	vici_kv(&m, "noblock", "yes");
	ret = cmd(c, &m, "list-sa", &s, &resp);
	ok(!ret && s.n == 2, "list-sas: %d list-sa events (initiator and responder)",
	   s.n);
	if (!ret)
		vici_packet_free(&resp);

	vici_begin(&m, "terminate");
	vici_kv(&m, "ike", "l2tp-smoke");
	vici_kv(&m, "timeout", "5000");
	s = (struct stream){ .what = "control-log" };
	ret = cmd(c, &m, "control-log", &s, &resp);
	ok(!ret && !vici_success(&resp, "terminate", c->err, sizeof(c->err)),
	   "terminate ike l2tp-smoke: matches=%s terminated=%s",
	   ret ? "?" : vici_str(resp.root, "matches"),
	   ret ? "?" : vici_str(resp.root, "terminated"));
	if (!ret)
		vici_packet_free(&resp);
	n = (struct counts){ 0 };
	drain_events(ev, 500, &n);
	ok(n.ike_down == 2, "events: %d ike-updown down, %d child-updown down",
	   n.ike_down, n.child_down);

	vici_begin(&m, "unload-conn");
	vici_kv(&m, "name", "l2tp-resp");
	ret = cmd(c, &m, NULL, NULL, &resp);
	if (!ret)
		vici_packet_free(&resp);
}

int main(int argc, char **argv)
{
	struct vici_conn c, ev;
	struct vici_packet resp, p;
	struct stream s;
	struct vici_msg m;
	const char *sock;
	pid_t charon;
	int ret, i;

	if (argc == 3 && !strcmp(argv[1], "--connect")) {
		/* Only connect: what a socket left by a charon gone answers. */
		ret = vici_connect(&c, argv[2], 1000);
		printf("connect: %d (%s)\n", ret, ret ? c.err : "connected");
		vici_close(&c);
		return ret ? -ret : 0;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: vici-charon SOCKET CHARON_PID [SEED_DIR]\n"
			"       vici-charon --connect SOCKET\n");
		return 2;
	}
	sock = argv[1];
	charon = (pid_t)atoi(argv[2]);
	seed_dir = argc > 3 ? argv[3] : NULL;

	ret = vici_connect(&c, sock, 5000);
	if (!ok(!ret, "connect to %s", sock)) {
		fprintf(stderr, "%s\n", c.err);
		return 1;
	}
	c.on_event = on_stray;

	/* The event connection first: load-conn and unload raise nothing. */
	ret = vici_connect(&ev, sock, 5000);
	ok(!ret && !vici_register(&ev, "ike-updown") &&
	   !vici_register(&ev, "child-updown") &&
	   !vici_register(&ev, "child-rekey") && !vici_register(&ev, "ike-rekey") &&
	   !vici_register(&ev, "ike-update"),
	   "events: ike-updown, child-updown, child-rekey, ike-rekey, ike-update confirmed");
	ret = vici_register(&ev, "no-such-event");
	ok(ret == -ENOENT, "events: no-such-event -> %d: %s", ret, ev.err);

	vici_begin(&m, "version");
	ret = cmd(&c, &m, NULL, NULL, &resp);
	ok(!ret && vici_str(resp.root, "daemon") && vici_str(resp.root, "version"),
	   "version: daemon %s, version %s",
	   ret ? "?" : vici_str(resp.root, "daemon"),
	   ret ? "?" : vici_str(resp.root, "version"));
	if (!ret)
		vici_packet_free(&resp);

	vici_begin(&m, "no-such-command");
	ret = cmd(&c, &m, NULL, NULL, &resp);
	ok(ret == -ENOENT && vici_connected(&c),
	   "no-such-command -> CMD_UNKNOWN (%s)", c.err);

	build_conn(&m, "l2tp-smoke", "127.0.0.1", "127.0.0.2", "lns.example",
		   "dynamic[udp/1701]", false);
	ret = cmd(&c, &m, NULL, NULL, &resp);
	ok(!ret && !vici_success(&resp, "load-conn", c.err, sizeof(c.err)),
	   "load-conn l2tp-smoke (transport, dynamic[udp/1701]): success");
	if (!ret)
		vici_packet_free(&resp);

	build_conn(&m, "l2tp-bad-ts", "127.0.0.1", "127.0.0.2", "lns.example",
		   "[udp/1701]", false);
	ret = cmd(&c, &m, NULL, NULL, &resp);
	ok(!ret && vici_success(&resp, "load-conn", c.err, sizeof(c.err)) == -EREMOTEIO,
	   "load-conn with remote_ts [udp/1701] refused: \"%s\"", c.err);
	if (!ret)
		vici_packet_free(&resp);

	build_conn(&m, "l2tp-bogus", "127.0.0.1", "127.0.0.2", "lns.example",
		   "dynamic[udp/1701]", true);
	ret = cmd(&c, &m, NULL, NULL, &resp);
	ok(!ret && vici_success(&resp, "load-conn", c.err, sizeof(c.err)) == -EREMOTEIO,
	   "load-conn with an unknown key refused: \"%s\"", c.err);
	if (!ret)
		vici_packet_free(&resp);

	vici_begin(&m, "get-conns");
	ret = cmd(&c, &m, NULL, NULL, &resp);
	ok(!ret && vici_count(vici_find(resp.root, "conns")) == 1 &&
	   !strcmp(vici_find(resp.root, "conns")->child->value, "l2tp-smoke"),
	   "get-conns: [ l2tp-smoke ]");
	if (!ret)
		vici_packet_free(&resp);

	s = (struct stream){ .what = "list-conn" };
	vici_begin(&m, "list-conns");
	ret = cmd(&c, &m, "list-conn", &s, &resp);
	ok(!ret && s.n == 1 && !strcmp(s.first, "l2tp-smoke") && !resp.root->child,
	   "list-conns: %d list-conn event(s) (%s), then an empty response",
	   s.n, s.first);
	if (!ret)
		vici_packet_free(&resp);

	s = (struct stream){ .what = "list-sa" };
	vici_begin(&m, "list-sas");
	vici_kv(&m, "noblock", "yes");
	ret = cmd(&c, &m, "list-sa", &s, &resp);
	ok(!ret && s.n == 0, "list-sas noblock: %d list-sa events, response with %zu elements",
	   s.n, ret ? 0 : vici_count(resp.root));
	if (!ret)
		vici_packet_free(&resp);

	/* Streamed events need the registration: without it, nothing comes. */
	s = (struct stream){ .what = "list-conn" };
	c.on_event = on_stream;
	c.arg = &s;
	vici_begin(&m, "list-conns");
	ret = cmd(&c, &m, NULL, NULL, &resp);
	ok(!ret && s.n == 0, "list-conns without registering for list-conn: %d events",
	   s.n);
	if (!ret)
		vici_packet_free(&resp);
	c.on_event = on_stray;

	ike_to_itself(&c, &ev, sock);

	for (i = 0; i < 2; i++) {
		vici_begin(&m, "unload-conn");
		vici_kv(&m, "name", "l2tp-smoke");
		ret = cmd(&c, &m, NULL, NULL, &resp);
		if (!i)
			ok(!ret && !vici_success(&resp, "unload-conn", c.err,
						  sizeof(c.err)),
			   "unload-conn l2tp-smoke: success");
		else
			ok(!ret && vici_success(&resp, "unload-conn", c.err,
						 sizeof(c.err)) == -EREMOTEIO,
			   "unload-conn again refused: \"%s\"", c.err);
		if (!ret)
			vici_packet_free(&resp);
	}

	/* What the unloads raised: nothing, the SAs were terminated before. */
	drain_events(&ev, 300, NULL);
	ret = vici_unregister(&ev, "ike-rekey");
	ok(!ret, "events: unregister ike-rekey confirmed");
	ret = vici_unregister(&ev, "ike-rekey");
	ok(ret == -ENOENT, "events: unregister ike-rekey again -> %d: %s", ret,
	   ev.err);

	/* A section end at the top level: charon's parser refuses it. */
	{
		static const uint8_t bad[] = { 0, 0, 0, 12, VICI_CMD_REQUEST, 9,
			'l', 'o', 'a', 'd', '-', 'c', 'o', 'n', 'n', 2 };

		raw_probe(sock, "malformed load-conn", bad, sizeof(bad), 1000);
	}
	/* The length of an oversized packet, and no more. */
	{
		static const uint8_t big[] = { 0, 8, 0, 1, VICI_CMD_REQUEST };

		raw_probe(sock, "oversized length 524289", big, sizeof(big), 1000);
	}
	/* An empty command name. */
	{
		static const uint8_t empty[] = { 0, 0, 0, 2, VICI_CMD_REQUEST, 0 };

		raw_probe(sock, "empty command name", empty, sizeof(empty), 1000);
	}

	vici_close(&c);

	/* charon stops: the event connection must say so, distinctly. */
	if (charon > 0 && !kill(charon, SIGTERM)) {
		struct pollfd pfd = { .fd = ev.fd, .events = POLLIN };

		do {
			ret = poll(&pfd, 1, 5000);
			ret = ret == 1 ? vici_read(&ev) : -ETIMEDOUT;
			while (ret > 0 && vici_next(&ev, &p) == 1) {
				show("event at shutdown", &p);
				save("shutdown-event", &p);
				vici_packet_free(&p);
			}
		} while (ret > 0);
		ok(ret == -EPIPE && !vici_connected(&ev),
		   "charon stopped: the event connection -> EPIPE: %s", ev.err);
	}
	vici_close(&ev);
	return failures ? 1 : 0;
}
