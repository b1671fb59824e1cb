/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_IKE_VICI_CLIENT_H
#define AGENT_IKE_VICI_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike/vici.h"

/*
 * A client of charon's VICI socket, single-threaded, no library.
 *
 * charon answers one command at a time per connection, without a sequence
 * number, and may send EVENT packets at any moment, also between a command
 * and its response (list-sas streams its "list-sa" events before the
 * CMD_RESPONSE). So the agent keeps two connections:
 * - commands: vici_call() and vici_call_stream() block (poll, with the
 *   connection's timeout) until the response; EVENT packets that arrive
 *   meanwhile go to a callback;
 * - events: vici_register() once, then the fd goes into the agent's epoll
 *   loop and vici_read() + vici_next() take what arrives, a partial packet
 *   waiting in the connection's buffer for the rest.
 *
 * Errors are negative errno values with a complete message in c->err
 * ("vici: ..."):
 *   -EPIPE	charon closed the connection (it stopped or restarted:
 *		reconnect and load everything again)
 *   -ENOENT	charon knows no such command or event (CMD_UNKNOWN,
 *		EVENT_UNKNOWN); the connection stays usable
 *   -ETIMEDOUT	charon said nothing for the timeout
 *   -EBADMSG, -EMSGSIZE, -EPROTO	a malformed, oversized or unexpected
 *		packet
 *   -ENOTCONN	the connection was closed after an earlier error
 *   others	from the socket calls, or a callback's error
 * After any error but -ENOENT and a callback's, the connection is closed:
 * the stream can no longer be trusted to pair requests and responses.
 */

#define VICI_SOCKET_DEFAULT	"/var/run/charon.vici"
#define VICI_TIMEOUT_DEFAULT	5000	/* ms */

/**
 * struct vici_rx - packets reassembled from a byte stream
 * @buf: bytes received and not yet taken; malloc()ed
 * @start: first byte not taken
 * @end: past the last byte received
 * @cap: room in @buf
 *
 * Zero-initialised is empty. Bytes go in with vici_rx_feed() as they come,
 * complete packets out with vici_rx_next().
 */
struct vici_rx {
	uint8_t *buf;
	size_t start;
	size_t end;
	size_t cap;
};

/*
 * Most bytes a vici_rx holds: one largest packet and a read's worth. Take
 * out every packet (vici_rx_next() until 0) before feeding more.
 */
#define VICI_RX_MAX	(VICI_HDR_LEN + VICI_PACKET_MAX + 65536)

/* 0, -ENOBUFS past VICI_RX_MAX, -ENOMEM; then @err says so. */
int vici_rx_feed(struct vici_rx *rx, const void *data, size_t len, char *err,
		 size_t errlen);
/*
 * The first complete packet, decoded into @p (vici_packet_free() it): 1;
 * 0 if none is complete yet; <0 with @err set: as vici_decode() for a
 * packet that does not decode (it is dropped, the next can be taken), or
 * -EMSGSIZE / -EBADMSG for a length over VICI_PACKET_MAX or of 0, after
 * which the stream is lost: nothing says where the next packet starts.
 * Messages of the vici_rx_* functions are fragments, as the codec's.
 */
int vici_rx_next(struct vici_rx *rx, struct vici_packet *p, char *err,
		 size_t errlen);
/* Bytes of a packet begun and not complete (0: at a packet boundary). */
size_t vici_rx_pending(const struct vici_rx *rx);
void vici_rx_free(struct vici_rx *rx);

struct vici_conn;

/*
 * Called with each EVENT packet that arrives while a call waits for its
 * reply. A negative return is kept and returned by the call, which still
 * reads up to its reply so that the connection stays in step; no more
 * events go to the callback during that call.
 */
typedef int (*vici_event_fn)(void *arg, const struct vici_packet *ev);

/**
 * struct vici_conn - a connection to charon
 * @fd: the socket, non-blocking; -1 when closed
 * @timeout_ms: how long a call waits for charon to say something (each
 *	wait, not the whole call: list-sas streams on while charon sends);
 *	-1: for ever
 * @path: the socket's path
 * @rx: bytes received, not yet taken
 * @on_event: where EVENT packets go during a call, NULL: dropped
 * @arg: for @on_event
 * @dropped: EVENT packets dropped for want of @on_event
 * @err: the last error's message
 */
struct vici_conn {
	int fd;
	int timeout_ms;
	char path[108];
	struct vici_rx rx;
	vici_event_fn on_event;
	void *arg;
	unsigned long dropped;
	char err[VICI_ERR_LEN];
};

/*
 * Connect to @path (NULL: VICI_SOCKET_DEFAULT), with @timeout_ms for the
 * calls (0: VICI_TIMEOUT_DEFAULT). -ENOENT or -ECONNREFUSED mean that no
 * charon listens there. @c is set up even on failure: vici_close() it.
 */
int vici_connect(struct vici_conn *c, const char *path, int timeout_ms);
/* Adopt a connected stream socket (tests: one end of a socketpair). */
int vici_conn_fd(struct vici_conn *c, int fd, int timeout_ms);
void vici_close(struct vici_conn *c);
bool vici_connected(const struct vici_conn *c);

/*
 * Send the request @req (vici_end() is called if it was not) and wait for
 * its CMD_RESPONSE, decoded into @resp (vici_packet_free() it, after a
 * success only). EVENT packets before it go to c->on_event. A response of
 * "success = no" is a success here: see vici_success().
 */
int vici_call(struct vici_conn *c, struct vici_msg *req,
	      struct vici_packet *resp);
/*
 * A streamed command (list-sas, list-conns, ...): register for @event,
 * send @req, give every @event packet up to the response to @fn, and
 * unregister. Other events go to c->on_event.
 */
int vici_call_stream(struct vici_conn *c, struct vici_msg *req,
		     const char *event, vici_event_fn fn, void *arg,
		     struct vici_packet *resp);
/* EVENT_REGISTER / EVENT_UNREGISTER @event and wait for the confirmation. */
int vici_register(struct vici_conn *c, const char *event);
int vici_unregister(struct vici_conn *c, const char *event);

/*
 * The event connection in an epoll loop: on EPOLLIN call vici_read() once,
 * then vici_next() until it returns 0. Call vici_next() until 0 also after
 * the vici_register() calls, before the first wait: the read that brought
 * a confirmation may have brought events after it, which sit in c->rx
 * and would not wake epoll. vici_read(): bytes read (>0), 0 if
 * none were waiting, -EPIPE if charon closed, <0 on an error.
 * vici_next(): 1 with a packet in @p (vici_packet_free() it), 0 if no
 * complete packet is buffered, <0 on a malformed stream. With EPOLLET,
 * call vici_read() until it returns 0.
 */
int vici_read(struct vici_conn *c);
int vici_next(struct vici_conn *c, struct vici_packet *p);

#endif
