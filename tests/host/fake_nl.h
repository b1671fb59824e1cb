/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A kernel for nl_transact(), for host tests linked with
 * -Wl,--wrap=nl_transact (tests/host/Makefile): every request is logged
 * and answered by the test's function through the agent's own reply loop
 * (nl_tx_feed()), as fuzz_nl.c does for the fuzzers. Only the socket is
 * gone.
 */
#ifndef HOST_FAKE_NL_H
#define HOST_FAKE_NL_H

#include <stddef.h>

#include "kernel/nl.h"

#define FAKE_PORTID 0x4c32
#define FAKE_MAX_REQS 64

/* A struct nl without a socket, as replies expect it. */
void fake_nl_init(struct nl *nl);

/*
 * Called for request @i of @nl (from 0 since fake_nl_start()): answer it
 * with fake_nl_put() and fake_nl_ack() / fake_nl_done(). Without an ack or
 * done of its own, a dump gets NLMSG_DONE, any other request ack 0.
 */
typedef void (*fake_nl_fn)(const struct nl *nl, const struct nlmsghdr *req,
			   size_t i, void *data);

/* Forget the log; answer with @fn from now on. */
void fake_nl_start(fake_nl_fn fn, void *data);

/* Requests since fake_nl_start(), as sent: NULL after the last. */
size_t fake_nl_count(void);
const struct nlmsghdr *fake_nl_req(size_t i, const struct nl **nl);

/* Add a reply message (copied; seq and port id are set by the fake). */
void fake_nl_put(const struct nlmsghdr *msg);
/* End the reply: an NLMSG_ERROR with @err (0: ack), its extack if set. */
void fake_nl_ack(int err, const char *extack);
/* End a dump: NLMSG_DONE with @err. */
void fake_nl_done(int err);

#endif
