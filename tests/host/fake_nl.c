// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's side of nl_transact() for host tests (fake_nl.h): the
 * request is logged, the test's function builds the reply datagram, and
 * the agent's own reply loop reads it with the caller's callback.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>

#include "fake_nl.h"

#define REPLY_SIZE 65536

static union {
	struct nlmsghdr nlh;
	char buf[NL_REQ_SIZE];
} reqs[FAKE_MAX_REQS];
static const struct nl *req_nl[FAKE_MAX_REQS];
static size_t nreqs;

static fake_nl_fn answer;
static void *answer_data;

/* The reply being built to @cur. */
static union {
	struct nlmsghdr nlh;
	char buf[REPLY_SIZE];
} reply;
static size_t reply_len;
static bool ended;
static const struct nlmsghdr *cur;

void fake_nl_init(struct nl *nl)
{
	memset(nl, 0, sizeof(*nl));
	nl->portid = FAKE_PORTID;
}

void fake_nl_start(fake_nl_fn fn, void *data)
{
	nreqs = 0;
	answer = fn;
	answer_data = data;
}

size_t fake_nl_count(void)
{
	return nreqs;
}

const struct nlmsghdr *fake_nl_req(size_t i, const struct nl **nl)
{
	if (i >= nreqs || i >= FAKE_MAX_REQS)
		return NULL;
	if (nl)
		*nl = req_nl[i];
	return &reqs[i].nlh;
}

/* Room for @len more bytes of reply, or the test is wrong: stop it. */
static struct nlmsghdr *room(size_t len)
{
	if (ended || reply_len + NLMSG_ALIGN(len) > sizeof(reply.buf)) {
		fprintf(stderr, "fake_nl: reply after its end, or too long\n");
		abort();
	}
	return (struct nlmsghdr *)(reply.buf + reply_len);
}

void fake_nl_put(const struct nlmsghdr *msg)
{
	memcpy(room(msg->nlmsg_len), msg, msg->nlmsg_len);
	reply_len += NLMSG_ALIGN(msg->nlmsg_len);
}

void fake_nl_ack(int err, const char *extack)
{
	struct nlmsghdr *nlh = room(NL_REQ_SIZE);
	struct nlmsgerr *e;

	nlh = mnl_nlmsg_put_header(nlh);
	nlh->nlmsg_type = NLMSG_ERROR;
	/* As with NETLINK_CAP_ACK and NETLINK_EXT_ACK, which nl_open() sets. */
	nlh->nlmsg_flags = NLM_F_CAPPED;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = err;
	e->msg = *cur;
	if (extack) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, extack);
	}
	reply_len += NLMSG_ALIGN(nlh->nlmsg_len);
	ended = true;
}

void fake_nl_done(int err)
{
	struct nlmsghdr *nlh = room(NLMSG_HDRLEN + sizeof(err));

	nlh = mnl_nlmsg_put_header(nlh);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(err)), &err, sizeof(err));
	reply_len += NLMSG_ALIGN(nlh->nlmsg_len);
	ended = true;
}

int __wrap_nl_transact(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb,
		       void *data);

int __wrap_nl_transact(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb,
		       void *data)
{
	bool dump = (req->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	struct nlmsghdr *nlh;
	size_t i = nreqs++;
	struct nl_tx tx;
	int rem;

	nl_tx_start(&tx, nl, req, cb, data);

	if (i < FAKE_MAX_REQS && req->nlmsg_len <= sizeof(reqs[i].buf)) {
		memcpy(reqs[i].buf, req, req->nlmsg_len);
		req_nl[i] = nl;
	}

	reply_len = 0;
	ended = false;
	cur = req;
	if (answer)
		answer(nl, req, i, answer_data);
	if (!ended && dump)
		fake_nl_done(0);
	else if (!ended)
		fake_nl_ack(0, NULL);

	/* All of it answers this request. */
	rem = (int)reply_len;
	for (nlh = &reply.nlh; nl_msg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
		nlh->nlmsg_seq = tx.seq;
		nlh->nlmsg_pid = nl->portid;
	}
	nl_tx_feed(&tx, reply.buf, reply_len);
	return nl_tx_result(&tx);
}
