// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's side of nl_transact(), for the netlink harnesses: linked
 * with -Wl,--wrap=nl_transact, every request of the agent's code (binding
 * dumps, xfrm policy lists, family resolution...) is answered with the
 * fuzzer's input, one datagram of netlink messages, through the agent's own
 * reply loop (nl_tx_feed(), nl_parse_ack()) and its own callbacks. Only the
 * socket is gone.
 */

#include <errno.h>
#include <string.h>

#include <linux/netlink.h>

#include "fuzz.h"
#include "fuzz_nl.h"

static const void *reply;
static size_t reply_len;

void fuzz_nl_reply(const void *buf, size_t len)
{
	reply = buf;
	reply_len = len;
}

void fuzz_nl_init(struct nl *nl)
{
	memset(nl, 0, sizeof(*nl));
	nl->portid = FUZZ_PORTID;
}

int __wrap_nl_transact(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb,
		       void *data);

int __wrap_nl_transact(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb,
		       void *data)
{
	struct nl_tx tx;

	/* The request must fit the buffer the agent built it in. */
	FUZZ_ASSERT(req->nlmsg_len >= NLMSG_HDRLEN && req->nlmsg_len <= NL_REQ_SIZE);

	/* What nl_transact() does before sending, but the seq: one reply
	 * answers every request of an input, so they all get FUZZ_SEQ. */
	nl_tx_start(&tx, nl, req, cb, data);
	nl->seq = FUZZ_SEQ;
	req->nlmsg_seq = tx.seq = nl->seq;

	/* A real socket would wait for more if the datagram did not end the
	 * reply: there is no more, the reply ends here. */
	nl_tx_feed(&tx, reply, reply_len);
	FUZZ_ASSERT(memchr(nl->extack, '\0', sizeof(nl->extack)));
	return nl_tx_result(&tx);
}
