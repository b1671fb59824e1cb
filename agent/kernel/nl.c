// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink on libmnl: a socket with extended acks, requests and their
 * acks, dumps, family resolution and multicast events.
 *
 * The message loop is our own rather than mnl_cb_run(): that one stops at
 * the first NLM_F_DUMP_INTR message and would leave the rest of the dump in
 * the socket, and it ignores the error an NLMSG_DONE can carry.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "kernel/nl.h"

#ifndef MNL_SOCKET_DUMP_SIZE
#define MNL_SOCKET_DUMP_SIZE 32768
#endif
/* The kernel fills dump skbs up to 32 KiB; never let MSG_TRUNC happen. */
#define NL_RECV_SIZE (2 * MNL_SOCKET_DUMP_SIZE)

int nl_open_bus(struct nl *nl, int bus)
{
	int one = 1;
	int ret;

	memset(nl, 0, sizeof(*nl));
	nl->buflen = NL_RECV_SIZE;
	nl->buf = malloc(nl->buflen);
	if (!nl->buf)
		return -ENOMEM;

	nl->sock = mnl_socket_open(bus);
	if (!nl->sock) {
		ret = -errno;
		goto err_free_buf;
	}
	/*
	 * Have the kernel say why it refused a request, and not echo the
	 * request back in the error. Kernels too old for either still work.
	 */
	if (mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one)) &&
	    errno != ENOPROTOOPT) {
		ret = -errno;
		goto err_close_sock;
	}
	if (mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one)) &&
	    errno != ENOPROTOOPT) {
		ret = -errno;
		goto err_close_sock;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID)) {
		ret = -errno;
		goto err_close_sock;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);
	return 0;

err_close_sock:
	mnl_socket_close(nl->sock);
	nl->sock = NULL;
err_free_buf:
	free(nl->buf);
	nl->buf = NULL;
	return ret;
}

int nl_open(struct nl *nl)
{
	return nl_open_bus(nl, NETLINK_GENERIC);
}

void nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->buf);
	memset(nl, 0, sizeof(*nl));
}

struct nlmsghdr *nl_genl_start(void *buf, uint16_t family, uint16_t flags,
			       uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	/* libmnl 1.0.4 leaves attribute padding as it finds it. */
	memset(buf, 0, NL_REQ_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

/* Receive one datagram from the kernel; anything sent by a process is dropped. */
static ssize_t nl_recv(struct nl *nl)
{
	struct sockaddr_nl addr;
	struct iovec iov = { .iov_base = nl->buf, .iov_len = nl->buflen };
	struct msghdr msg = {
		.msg_name = &addr,
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	ssize_t n;

	for (;;) {
		msg.msg_namelen = sizeof(addr);
		n = recvmsg(mnl_socket_get_fd(nl->sock), &msg, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (msg.msg_flags & MSG_TRUNC)
			return -EMSGSIZE;
		if (msg.msg_namelen != sizeof(addr) || addr.nl_pid != 0)
			continue;
		return n;
	}
}

static int extack_cb(const struct nlattr *attr, void *data)
{
	struct nl *nl = data;
	char *c;

	if (mnl_attr_get_type(attr) != NLMSGERR_ATTR_MSG ||
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
		return MNL_CB_OK;
	snprintf(nl->extack, sizeof(nl->extack), "%s", mnl_attr_get_str(attr));
	/* It goes to a terminal: no control characters. */
	for (c = nl->extack; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	return MNL_CB_OK;
}

int nl_parse_ack(struct nl *nl, const struct nlmsghdr *nlh)
{
	size_t len = mnl_nlmsg_get_payload_len(nlh);
	const void *payload = mnl_nlmsg_get_payload(nlh);
	size_t off;
	int err;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = payload;

		if (len < sizeof(*e))
			return -EBADMSG;
		err = e->error;
		off = sizeof(*e);
		/* Without NETLINK_CAP_ACK the request follows the header. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
		    e->msg.nlmsg_len >= sizeof(struct nlmsghdr))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	} else {
		/* NLMSG_DONE: the dump's error, if the kernel sent one */
		if (len < sizeof(err))
			return 0;
		memcpy(&err, payload, sizeof(err));
		off = sizeof(err);
	}
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && off <= len)
		mnl_attr_parse(nlh, off, extack_cb, nl);
	return err <= 0 ? err : -err;
}

bool nl_msg_ok(const struct nlmsghdr *nlh, int rem)
{
	return rem >= (int)sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) &&
	       nlh->nlmsg_len <= (unsigned int)rem;
}

void nl_tx_feed(struct nl_tx *tx, const void *buf, size_t n)
{
	const struct nlmsghdr *nlh = buf;
	int rem = (int)n;
	int err;

	for (; nl_msg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
		if (nlh->nlmsg_seq != tx->seq || nlh->nlmsg_pid != tx->nl->portid)
			continue;
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			tx->intr = true;

		switch (nlh->nlmsg_type) {
		case NLMSG_ERROR:
		case NLMSG_DONE:
			err = nl_parse_ack(tx->nl, nlh);
			if (err) {
				tx->err = err;
				tx->nl->kernel_err = err;
			}
			tx->done = true;
			return;
		default:
			if (nlh->nlmsg_type < NLMSG_MIN_TYPE || !tx->cb || tx->err)
				continue;
			errno = 0;
			switch (tx->cb(nlh, tx->data)) {
			case MNL_CB_ERROR:
				tx->err = errno ? -errno : -EPROTO;
				break;
			case MNL_CB_STOP:
				/*
				 * Replies that make no sense, such as a dump
				 * that never ends: stop reading them. Later
				 * requests skip the rest by sequence number.
				 */
				tx->err = errno ? -errno : -EPROTO;
				tx->done = true;
				return;
			}
		}
	}
}

int nl_tx_result(const struct nl_tx *tx)
{
	if (tx->err)
		return tx->err;
	return tx->intr ? -EINTR : 0;
}

void nl_tx_start(struct nl_tx *tx, struct nl *nl, struct nlmsghdr *req,
		 mnl_cb_t cb, void *data)
{
	*tx = (struct nl_tx){ .nl = nl, .cb = cb, .data = data };
	if ((req->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		req->nlmsg_flags |= NLM_F_ACK;
	req->nlmsg_flags |= NLM_F_REQUEST;
	if (++nl->seq == 0)
		++nl->seq;
	req->nlmsg_seq = tx->seq = nl->seq;
	req->nlmsg_pid = 0;
	nl->extack[0] = '\0';
	nl->kernel_err = 0;
}

int nl_transact(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data)
{
	struct nl_tx tx;
	ssize_t n;

	nl_tx_start(&tx, nl, req, cb, data);
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return -errno;

	while (!tx.done) {
		n = nl_recv(nl);
		if (n < 0)
			return (int)n;
		nl_tx_feed(&tx, nl->buf, (size_t)n);
	}
	return nl_tx_result(&tx);
}

struct attr_table {
	const struct nlattr **tb;
	unsigned int max;
};

static int attr_table_cb(const struct nlattr *attr, void *data)
{
	const struct attr_table *t = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type <= t->max)
		t->tb[type] = attr;
	return MNL_CB_OK;
}

int nl_parse_nested(const struct nlattr *nest, const struct nlattr **tb,
		    unsigned int max)
{
	struct attr_table t = { .tb = tb, .max = max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0 ||
	    mnl_attr_parse_nested(nest, attr_table_cb, &t) != MNL_CB_OK)
		return -EPROTO;
	return 0;
}

int nl_parse_genl(const struct nlmsghdr *nlh, const struct nlattr **tb,
		  unsigned int max)
{
	struct attr_table t = { .tb = tb, .max = max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr) ||
	    mnl_attr_parse(nlh, sizeof(struct genlmsghdr), attr_table_cb, &t) !=
	    MNL_CB_OK)
		return -EPROTO;
	return 0;
}

int nl_validate(const struct nlattr *const *tb, const struct nl_policy *pol,
		unsigned int max)
{
	unsigned int i;
	int ret;

	for (i = 0; i <= max; i++) {
		if (!tb[i] || pol[i].type == MNL_TYPE_UNSPEC)
			continue;
		if (pol[i].type == MNL_TYPE_BINARY)
			ret = mnl_attr_validate2(tb[i], MNL_TYPE_BINARY, pol[i].len);
		else
			ret = mnl_attr_validate(tb[i], pol[i].type);
		if (ret < 0)
			return -EPROTO;
	}
	return 0;
}

int nl_join_group(struct nl *nl, uint32_t group)
{
	int g = (int)group;

	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)))
		return -errno;
	return 0;
}

int nl_recv_events(struct nl *nl, mnl_cb_t cb, void *data)
{
	const struct nlmsghdr *nlh;
	ssize_t n;
	int rem;

	n = nl_recv(nl);
	if (n < 0)
		return (int)n;
	nlh = (const struct nlmsghdr *)nl->buf;
	rem = (int)n;
	for (; nl_msg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
		if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
			continue;
		errno = 0;
		switch (cb(nlh, data)) {
		case MNL_CB_ERROR:
			return errno ? -errno : -EPROTO;
		case MNL_CB_STOP:
			return 1;
		}
	}
	return 0;
}
