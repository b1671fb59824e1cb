/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_DAEMON_H
#define AGENT_DAEMON_H

#include <stdbool.h>
#include <stdint.h>

#include "daemon/loop.h"

struct nlmsghdr;
struct violation;

/*
 * Run the agent: read the configuration, apply it, serve events until
 * SIGTERM or SIGINT. Returns the exit status (cli.h): 0 after a signal, 1
 * when netlink fails or the kernel refuses the configuration at start, 2
 * for a bad configuration file (nothing was sent to the kernel), 3 when
 * the module is not loaded.
 */
int daemon_run(const struct daemon_opts *opts);

/* Prepare @d for daemon_add_fd() and friends: an epoll instance. */
int daemon_init(struct daemon *d, const struct daemon_opts *opts);
/* Close what daemon_init() and the registrations opened, but not the fds. */
void daemon_fini(struct daemon *d);

/*
 * The events group's parser, as the loop calls it for each message
 * (mnl_cb_t; exposed for tests). Violations are logged at warning level,
 * rate limited; unbound events go to daemon_on_unbound().
 */
int daemon_event_cb(const struct nlmsghdr *nlh, void *data);

/**
 * daemon_on_unbound() - L2TP traffic reached a judged port and no tunnel
 *	binding names its 4-tuple (L2TP_IPSEC_CMD_UNBOUND_NTF)
 * @d: the agent
 * @v: the event, parsed like a violation:
 *	@v->src: the peer's address and UDP port as the packet carried them
 *	(after NAT: the NAT's); @v->dst: our address and port;
 *	@v->reason: L2TP_IPSEC_REASON_NONE if the packet was accepted, else
 *	why it failed (then a violation event came too), with @v->audit set
 *	if audit mode let it through;
 *	@v->has_binding_id/@v->binding_id: the listener binding it matched;
 *	@v->has_spi/spi, has_reqid/reqid, has_encap/encap_sport/encap_dport:
 *	the SA that decrypted it, if IPsec did;
 *	@v->has_suppressed/suppressed: unbound events the kernel's rate limit
 *	dropped before this one
 *
 * How the agent learns of tunnels no L2TP multicast announces (xl2tpd's,
 * made through PPPoL2TP): logs the event at debug level and asks for a
 * reconcile (autobind.h), which binds the tunnel of this 4-tuple.
 */
void daemon_on_unbound(struct daemon *d, const struct violation *v);

#endif
