/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_LOOP_H
#define AGENT_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "daemon/config.h"
#include "kernel/modclient.h"
#include "lib/log.h"

struct autobind;
struct ike;

/*
 * "l2tp-ipsec agent": one thread, one epoll loop. Every event source is a
 * file descriptor registered with daemon_add_fd() and a callback; the loop
 * never busy-waits (epoll_wait() without a timeout). Signals arrive on a
 * signalfd, so no code runs in signal context.
 */

#define DAEMON_MAX_FDS 8

struct daemon;

/*
 * Called when @fd is ready: @events holds EPOLLIN, EPOLLERR, EPOLLHUP as
 * epoll reported them (level triggered: read until nothing is left, or be
 * called again).
 */
typedef void (*daemon_fd_fn)(struct daemon *d, int fd, uint32_t events,
			     void *data);

/**
 * struct daemon_fd - one registered file descriptor
 * @fd: the descriptor, -1 for a free slot
 * @fn: its callback, NULL for a free slot
 * @data: passed to @fn
 * @gen: bumped each time the slot is taken, so that an event of a slot
 *	freed and taken again in one epoll batch is not misdelivered
 */
struct daemon_fd {
	int fd;
	daemon_fd_fn fn;
	void *data;
	uint32_t gen;
};

/**
 * struct daemon_opts - the command line of "l2tp-ipsec agent"
 * @config_path: -c FILE
 * @flush_on_exit: --flush-on-exit
 * @verbosity: number of -v minus number of -q
 */
struct daemon_opts {
	const char *config_path;
	bool flush_on_exit;
	int verbosity;
};

/**
 * struct daemon_stats - what went through the loop (logs, tests)
 * @violations: VIOLATION_NTF events received
 * @unbound: UNBOUND_NTF events handed to daemon_on_unbound()
 * @malformed: events of the family that did not parse
 * @overruns: ENOBUFS on a multicast socket: events lost
 * @resyncs: calls of daemon_resync()
 * @reloads: configurations applied by SIGHUP
 */
struct daemon_stats {
	uint64_t violations;
	uint64_t unbound;
	uint64_t malformed;
	uint64_t overruns;
	uint64_t resyncs;
	uint64_t reloads;
};

/**
 * struct daemon - the agent's state
 * @opts: its command line
 * @cfg: the configuration in force
 * @mc: requests to l2tp_ipsec (config, bindings)
 * @events: l2tp_ipsec's "events" multicast group; a socket of its own, so
 *	that requests on @mc never skip events while waiting for their ack
 * @epfd: the epoll instance
 * @sigfd: signalfd of SIGTERM, SIGINT, SIGHUP
 * @fds: registered descriptors
 * @stop: leave the loop
 * @status: exit status once stopped
 * @violation_rl: rate limit of violation log lines
 * @unbound_rl: rate limit of unbound-event log lines
 * @warn_rl: rate limit of other warnings (overruns, malformed events)
 * @stats: counters
 * @autobind: automatic binding (autobind.h), NULL until it is set up
 * @ike: the IKE daemon (ike.h), NULL without [peer] sections
 * @ike_changed: called by ike.c with each IKE event (SAs came or went)
 * @spd_check: an XFRM policy went (an IKE daemon's update replaces a base
 *	line of ours with the same selector, and its delete then takes it):
 *	the base SPD is checked once the batch is served (base_spd.h)
 */
struct daemon {
	const struct daemon_opts *opts;
	struct agent_config cfg;
	struct modclient mc;
	struct modclient events;
	int epfd;
	int sigfd;
	struct daemon_fd fds[DAEMON_MAX_FDS];
	bool stop;
	int status;
	struct log_ratelimit violation_rl;
	struct log_ratelimit unbound_rl;
	struct log_ratelimit warn_rl;
	struct daemon_stats stats;
	struct autobind *autobind;
	struct ike *ike;
	void (*ike_changed)(struct daemon *d, const char *why);
	bool spd_check;
};

/*
 * Watch @fd for input (EPOLLIN; EPOLLERR and EPOLLHUP come anyway) and
 * call @fn when it is ready. This is how a new event source (the L2TP
 * genl multicast socket, the XFRM one, the VICI socket) joins the loop.
 * Returns 0, -ENOSPC if DAEMON_MAX_FDS are registered, or epoll's -errno.
 */
int daemon_add_fd(struct daemon *d, int fd, daemon_fd_fn fn, void *data);
/* Stop watching @fd (does not close it). */
void daemon_del_fd(struct daemon *d, int fd);

/*
 * Wait for ready descriptors once (@timeout_ms as for epoll_wait(), -1:
 * forever) and run their callbacks. Returns the number of callbacks run,
 * or -errno.
 */
int daemon_dispatch(struct daemon *d, int timeout_ms);

/* Leave the loop after the current callback, with exit @status. */
void daemon_stop(struct daemon *d, int status);

/*
 * Send @state ("READY=1", "RELOADING=1", "STOPPING=1", "STATUS=...") to
 * systemd over $NOTIFY_SOCKET, as sd_notify(3) would. Returns 1 if sent, 0
 * if there is no $NOTIFY_SOCKET, or -errno.
 */
int daemon_notify(const char *state);

#endif
