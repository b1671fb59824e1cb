// SPDX-License-Identifier: GPL-2.0
/*
 * VICI client: a unix stream socket to charon, packets reassembled in a
 * buffer that both the blocking calls and the epoll reader go through, so
 * that any split of the stream into reads gives the same packets.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ike/vici_client.h"

/* ---- reassembly ------------------------------------------------------- */

/* A buffer this large is given back once empty: one big packet is rare. */
#define RX_KEEP 65536

int vici_rx_feed(struct vici_rx *rx, const void *data, size_t len, char *err,
		 size_t errlen)
{
	size_t held = rx->end - rx->start, cap;
	void *buf;

	if (len > VICI_RX_MAX - held) {
		snprintf(err, errlen, "receive buffer full: %zu bytes held, %zu more",
			 held, len);
		return -ENOBUFS;
	}
	if (rx->end + len > rx->cap && rx->start) {
		memmove(rx->buf, rx->buf + rx->start, held);
		rx->start = 0;
		rx->end = held;
	}
	if (rx->end + len > rx->cap) {
		cap = rx->cap ? rx->cap : 4096;
		while (cap < rx->end + len)
			cap *= 2;
		if (cap > VICI_RX_MAX)
			cap = VICI_RX_MAX;
		buf = realloc(rx->buf, cap);
		if (!buf) {
			snprintf(err, errlen, "out of memory for %zu bytes", cap);
			return -ENOMEM;
		}
		rx->buf = buf;
		rx->cap = cap;
	}
	if (len)
		memcpy(rx->buf + rx->end, data, len);
	rx->end += len;
	return 0;
}

static void rx_take(struct vici_rx *rx, size_t n)
{
	rx->start += n;
	if (rx->start < rx->end)
		return;
	rx->start = rx->end = 0;
	if (rx->cap > RX_KEEP) {
		free(rx->buf);
		rx->buf = NULL;
		rx->cap = 0;
	}
}

int vici_rx_next(struct vici_rx *rx, struct vici_packet *p, char *err,
		 size_t errlen)
{
	size_t held = rx->end - rx->start, n;
	const uint8_t *b;
	int ret;

	memset(p, 0, sizeof(*p));
	if (held < VICI_HDR_LEN)
		return 0;
	b = rx->buf + rx->start;
	ret = vici_frame_len(b, held, &n);
	if (ret == -EMSGSIZE) {
		snprintf(err, errlen, "packet length %u exceeds %d bytes",
			 (unsigned int)b[0] << 24 | (unsigned int)b[1] << 16 |
			 (unsigned int)b[2] << 8 | b[3], VICI_PACKET_MAX);
		return ret;
	}
	if (ret < 0) {
		snprintf(err, errlen, "packet of length 0");
		return ret;
	}
	if (held - VICI_HDR_LEN < n)
		return 0;
	/* A packet that does not decode is dropped: the framing still holds. */
	ret = vici_decode(p, b + VICI_HDR_LEN, n, err, errlen);
	rx_take(rx, VICI_HDR_LEN + n);
	return ret < 0 ? ret : 1;
}

size_t vici_rx_pending(const struct vici_rx *rx)
{
	return rx->end - rx->start;
}

void vici_rx_free(struct vici_rx *rx)
{
	free(rx->buf);
	memset(rx, 0, sizeof(*rx));
}

/* ---- connection ------------------------------------------------------- */

/* An error that leaves the connection usable. */
__attribute__((format(printf, 3, 4)))
static int soft(struct vici_conn *c, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	return err;
}

/* An error after which the stream cannot be trusted: close it. */
__attribute__((format(printf, 3, 4)))
static int lost(struct vici_conn *c, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	vici_rx_free(&c->rx);
	return err;
}

static void conn_init(struct vici_conn *c, int timeout_ms)
{
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->timeout_ms = timeout_ms ? timeout_ms : VICI_TIMEOUT_DEFAULT;
}

int vici_connect(struct vici_conn *c, const char *path, int timeout_ms)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, err;

	conn_init(c, timeout_ms);
	if (!path)
		path = VICI_SOCKET_DEFAULT;
	if (strlen(path) >= sizeof(sun.sun_path) || strlen(path) >= sizeof(c->path))
		return soft(c, -ENAMETOOLONG, "vici: socket path '%s' is too long",
			    path);
	strcpy(c->path, path);
	strcpy(sun.sun_path, path);

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return soft(c, -errno, "vici: socket: %s", strerror(errno));
	/* A unix socket connects at once or not at all, even non-blocking. */
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		err = errno;
		close(fd);
		if (err == EAGAIN)
			return soft(c, -EAGAIN, "vici: connect to %s: charon's backlog is full",
				    path);
		return soft(c, -err, "vici: connect to %s: %s%s", path,
			    strerror(err),
			    err == ENOENT || err == ECONNREFUSED ?
			    " (is charon running, with the vici plugin?)" : "");
	}
	c->fd = fd;
	return 0;
}

int vici_conn_fd(struct vici_conn *c, int fd, int timeout_ms)
{
	int fl;

	conn_init(c, timeout_ms);
	snprintf(c->path, sizeof(c->path), "fd %d", fd);
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return soft(c, -errno, "vici: fd %d: %s", fd, strerror(errno));
	c->fd = fd;
	return 0;
}

void vici_close(struct vici_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	vici_rx_free(&c->rx);
}

bool vici_connected(const struct vici_conn *c)
{
	return c->fd >= 0;
}

/* 0 when @events are ready (or the socket failed: the I/O call says). */
static int wait_fd(struct vici_conn *c, short events)
{
	struct pollfd pfd = { .fd = c->fd, .events = events };
	int n;

	do
		n = poll(&pfd, 1, c->timeout_ms);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n ? 0 : -ETIMEDOUT;
}

static int send_all(struct vici_conn *c, const uint8_t *buf, size_t len,
		    const char *what)
{
	size_t off = 0;
	ssize_t n;
	int ret;

	while (off < len) {
		/* MSG_NOSIGNAL: a charon gone is -EPIPE here, not SIGPIPE. */
		n = send(c->fd, buf + off, len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			ret = wait_fd(c, POLLOUT);
			if (ret == -ETIMEDOUT)
				return lost(c, ret, "vici: charon took nothing of %s for %d ms",
					    what, c->timeout_ms);
			if (ret)
				return lost(c, ret, "vici: poll: %s", strerror(-ret));
			continue;
		}
		if (n < 0 && (errno == EPIPE || errno == ECONNRESET))
			return lost(c, -EPIPE, "vici: charon closed the connection (%s) before taking %s",
				    c->path, what);
		return lost(c, n < 0 ? -errno : -EIO, "vici: sending %s: %s", what,
			    n < 0 ? strerror(errno) : "sent nothing");
	}
	return 0;
}

/*
 * One read into the buffer: bytes read, 0 if none waited, <0. @when says
 * what was awaited, for the messages ("while awaiting events").
 */
static int recv_some(struct vici_conn *c, const char *when)
{
	uint8_t buf[16384];
	char frag[VICI_ERR_LEN];
	ssize_t n;
	int ret;

	do
		n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	if (n == 0 || (n < 0 && errno == ECONNRESET)) {
		if (vici_rx_pending(&c->rx))
			return lost(c, -EPIPE, "vici: charon closed the connection (%s) %zu bytes into a packet, %s",
				    c->path, vici_rx_pending(&c->rx), when);
		return lost(c, -EPIPE, "vici: charon closed the connection (%s) %s",
			    c->path, when);
	}
	if (n < 0)
		return lost(c, -errno, "vici: recv %s: %s", when,
			    strerror(errno));
	ret = vici_rx_feed(&c->rx, buf, (size_t)n, frag, sizeof(frag));
	if (ret)
		return lost(c, ret, "vici: %s", frag);
	return (int)n;
}

/* What the first buffered packet is, for an error about it. */
static const char *head_what(const struct vici_rx *rx, const char *what,
			     char *buf, size_t len)
{
	size_t held = rx->end - rx->start;

	if (held > VICI_HDR_LEN && rx->buf[rx->start + VICI_HDR_LEN] == VICI_EVENT) {
		snprintf(buf, len, "event packet before the %s", what);
		return buf;
	}
	return what;
}

/*
 * Read until a packet that is not an EVENT, into @p. EVENT packets named
 * @stream go to @fn, the others to c->on_event; the first callback error
 * is kept in *@cb_err and stops the callbacks.
 */
static int await(struct vici_conn *c, const char *what, const char *stream,
		 vici_event_fn fn, void *arg, int *cb_err,
		 struct vici_packet *p)
{
	char frag[VICI_ERR_LEN], wbuf[VICI_ERR_LEN], when[VICI_ERR_LEN];
	const char *pw;
	vici_event_fn to;
	void *to_arg;
	int ret;

	for (;;) {
		pw = head_what(&c->rx, what, wbuf, sizeof(wbuf));
		ret = vici_rx_next(&c->rx, p, frag, sizeof(frag));
		if (ret < 0)
			return lost(c, ret, "vici: %s: %s", pw, frag);
		if (!ret) {
			ret = wait_fd(c, POLLIN);
			if (ret == -ETIMEDOUT)
				return lost(c, ret, "vici: no %s from charon within %d ms",
					    what, c->timeout_ms);
			if (ret)
				return lost(c, ret, "vici: poll: %s", strerror(-ret));
			snprintf(when, sizeof(when), "while awaiting the %s", what);
			ret = recv_some(c, when);
			if (ret < 0)
				return ret;
			continue;
		}
		if (p->type != VICI_EVENT)
			return 0;
		to = c->on_event;
		to_arg = c->arg;
		if (stream && !strcmp(p->name, stream)) {
			to = fn;
			to_arg = arg;
		}
		if (!to) {
			c->dropped++;
		} else if (!*cb_err) {
			ret = to(to_arg, p);
			if (ret < 0)
				*cb_err = ret;
		}
		vici_packet_free(p);
	}
}

static int not_connected(struct vici_conn *c, const char *what)
{
	char last[VICI_ERR_LEN];

	if (c->fd >= 0)
		return 0;
	memcpy(last, c->err, sizeof(last));
	if (!last[0])
		return soft(c, -ENOTCONN, "vici: not connected, for %s", what);
	return soft(c, -ENOTCONN, "vici: not connected, for %s (closed after: %.200s)",
		    what, last);
}

/* Send a finished @req, read its response: the common part of the calls. */
static int call(struct vici_conn *c, struct vici_msg *req, const char *stream,
		vici_event_fn fn, void *arg, struct vici_packet *resp)
{
	char what[VICI_NAME_MAX + 32], sent[VICI_NAME_MAX + 32];
	int ret, cb_err = 0;

	memset(resp, 0, sizeof(*resp));
	if (vici_end(req))
		return soft(c, req->err, "vici: request '%s': %s", req->name,
			    req->errmsg);
	if (req->type != VICI_CMD_REQUEST)
		return soft(c, -EINVAL, "vici: a %s is not a command",
			    vici_type_str(req->type));
	snprintf(what, sizeof(what), "response to '%s'", req->name);
	snprintf(sent, sizeof(sent), "request '%s'", req->name);
	ret = not_connected(c, sent);
	if (!ret)
		ret = send_all(c, req->buf, req->len, sent);
	if (!ret)
		ret = await(c, what, stream, fn, arg, &cb_err, resp);
	if (ret)
		return ret;
	switch (resp->type) {
	case VICI_CMD_RESPONSE:
		break;
	case VICI_CMD_UNKNOWN:
		vici_packet_free(resp);
		return soft(c, -ENOENT, "vici: charon knows no command '%s'",
			    req->name);
	default:
		ret = lost(c, -EPROTO, "vici: %s instead of the %s",
			   vici_type_str(resp->type), what);
		vici_packet_free(resp);
		return ret;
	}
	if (cb_err) {
		vici_packet_free(resp);
		return soft(c, cb_err, "vici: an event handler failed during '%s'",
			    req->name);
	}
	return 0;
}

int vici_call(struct vici_conn *c, struct vici_msg *req,
	      struct vici_packet *resp)
{
	return call(c, req, NULL, NULL, NULL, resp);
}

/* EVENT_REGISTER or EVENT_UNREGISTER and its answer. */
static int event_op(struct vici_conn *c, enum vici_type op, const char *event)
{
	const char *verb = op == VICI_EVENT_REGISTER ? "register" : "unregister";
	char what[VICI_NAME_MAX + 48], sent[VICI_NAME_MAX + 32];
	struct vici_packet p;
	struct vici_msg m;
	int ret, cb_err = 0;

	snprintf(what, sizeof(what), "answer to %s '%s'", verb, event);
	snprintf(sent, sizeof(sent), "%s '%s'", verb, event);
	ret = vici_begin_packet(&m, op, event);
	if (!ret)
		ret = vici_end(&m);
	if (ret) {
		ret = soft(c, ret, "vici: %s: %s", verb, m.errmsg);
		vici_msg_free(&m);
		return ret;
	}
	ret = not_connected(c, sent);
	if (!ret)
		ret = send_all(c, m.buf, m.len, sent);
	vici_msg_free(&m);
	if (!ret)
		ret = await(c, what, NULL, NULL, NULL, &cb_err, &p);
	if (ret)
		return ret;
	ret = p.type;
	vici_packet_free(&p);
	if (ret == VICI_EVENT_CONFIRM)
		return cb_err ? soft(c, cb_err, "vici: an event handler failed during %s '%s'",
				     verb, event) : 0;
	if (ret == VICI_EVENT_UNKNOWN)
		return soft(c, -ENOENT, op == VICI_EVENT_REGISTER ?
			    "vici: charon knows no event '%s'" :
			    "vici: charon has no registration for event '%s'",
			    event);
	return lost(c, -EPROTO, "vici: %s instead of the %s",
		    vici_type_str((unsigned int)ret), what);
}

int vici_register(struct vici_conn *c, const char *event)
{
	return event_op(c, VICI_EVENT_REGISTER, event);
}

int vici_unregister(struct vici_conn *c, const char *event)
{
	return event_op(c, VICI_EVENT_UNREGISTER, event);
}

int vici_call_stream(struct vici_conn *c, struct vici_msg *req,
		     const char *event, vici_event_fn fn, void *arg,
		     struct vici_packet *resp)
{
	char saved[VICI_ERR_LEN];
	int ret, un;

	memset(resp, 0, sizeof(*resp));
	ret = vici_register(c, event);
	if (ret)
		return ret;
	ret = call(c, req, event, fn, arg, resp);
	if (ret && !vici_connected(c))
		return ret;
	/* Unregister even after a failed command; keep the first error. */
	memcpy(saved, c->err, sizeof(saved));
	un = vici_unregister(c, event);
	if (ret) {
		memcpy(c->err, saved, sizeof(saved));
		return ret;
	}
	if (un)
		vici_packet_free(resp);
	return un;
}

int vici_read(struct vici_conn *c)
{
	int ret = not_connected(c, "reading events");

	return ret ? ret : recv_some(c, "while awaiting events");
}

int vici_next(struct vici_conn *c, struct vici_packet *p)
{
	char frag[VICI_ERR_LEN];
	int ret;

	ret = vici_rx_next(&c->rx, p, frag, sizeof(frag));
	if (ret < 0)
		return lost(c, ret, "vici: event stream: %s", frag);
	return ret;
}
