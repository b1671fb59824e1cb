/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_NL_H
#define AGENT_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

/* Room for one request of this program; they are all far smaller. */
#define NL_REQ_SIZE 4096
#define NL_EXTACK_LEN 256

/**
 * struct nl - a generic netlink socket with extended acks turned on
 * @sock: the libmnl socket
 * @portid: its netlink port id; replies carry it
 * @seq: sequence number of the last request
 * @buf: receive buffer, big enough for one dump skb of the kernel
 * @buflen: its size
 * @extack: the kernel's message (NLMSGERR_ATTR_MSG) about the last request,
 *	empty if it sent none; also set on success, as a warning
 * @kernel_err: the error the kernel answered the last request with, 0 if
 *	none (an error of nl_transact() can also be local: a malformed reply)
 */
struct nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	char *buf;
	size_t buflen;
	char extack[NL_EXTACK_LEN];
	int kernel_err;
};

/**
 * struct genl_family - what the controller told about a family
 * @id: netlink message type of the family
 * @version: its version
 * @mcgrp_id: id of the multicast group asked for, 0 if it has none such
 */
struct genl_family {
	uint16_t id;
	uint32_t version;
	uint32_t mcgrp_id;
};

int nl_open(struct nl *nl);
/* The same on another netlink bus, e.g. NETLINK_XFRM. */
int nl_open_bus(struct nl *nl, int bus);
void nl_close(struct nl *nl);

/* Start a generic netlink message in @buf (NL_REQ_SIZE bytes, zeroed). */
struct nlmsghdr *nl_genl_start(void *buf, uint16_t family, uint16_t flags,
			       uint8_t cmd, uint8_t version);

/**
 * nl_transact() - send a request, hand each reply message to @cb
 * @nl: the socket
 * @req: the request; NLM_F_DUMP in its flags makes it a dump
 * @cb: called for each reply message of the family (may be NULL); returns
 *	MNL_CB_OK; or MNL_CB_ERROR with errno set, after which it is not called
 *	again but the replies are still read up to their end; or MNL_CB_STOP
 *	with errno set to give up on the replies at once
 * @data: passed to @cb
 *
 * Requests other than dumps ask for an ack. Messages that do not carry this
 * request's sequence number and our port id (stale replies, events) are
 * skipped.
 *
 * Return: 0; the kernel's or @cb's negative errno, with nl->extack holding
 * the kernel's message if any; or -EINTR after a complete dump that the
 * kernel flagged NLM_F_DUMP_INTR (the table changed while it was read, so
 * what @cb saw may be inconsistent).
 */
int nl_transact(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data);

/**
 * struct nl_tx - the replies to one request, as nl_transact() reads them;
 *	apart so that tests can feed it without a kernel
 * @nl: the socket (its portid, extack and kernel_err)
 * @seq: the request's sequence number
 * @cb: see nl_transact()
 * @data: passed to @cb
 * @err: first error: @cb's, or the kernel's (which wins)
 * @done: the ack or NLMSG_DONE arrived
 * @intr: a reply was flagged NLM_F_DUMP_INTR
 */
struct nl_tx {
	struct nl *nl;
	uint32_t seq;
	mnl_cb_t cb;
	void *data;
	int err;
	bool done;
	bool intr;
};

/*
 * Does a whole netlink message start at @nlh, with @rem bytes left in the
 * datagram? mnl_nlmsg_ok() (libmnl 1.0.4) compares nlmsg_len as an int, so
 * a length of 2 GiB or more passes and mnl_nlmsg_next() then leaves the
 * buffer; this one compares unsigned. Use it for every datagram walk.
 */
bool nl_msg_ok(const struct nlmsghdr *nlh, int rem);

/*
 * What nl_transact() does before it sends @req: ask for an ack (unless a
 * dump), take the next sequence number, clear nl->extack and kernel_err,
 * and set up @tx to read the replies. Apart for the fake kernels of tests.
 */
void nl_tx_start(struct nl_tx *tx, struct nl *nl, struct nlmsghdr *req,
		 mnl_cb_t cb, void *data);
/* Process one datagram of replies. */
void nl_tx_feed(struct nl_tx *tx, const void *buf, size_t len);
/* The return value of nl_transact() once @tx is done. */
int nl_tx_result(const struct nl_tx *tx);

/*
 * Resolve a generic netlink family by name through the controller, and the id
 * of its multicast group @group unless NULL. -ENOENT: no such family (its
 * module is not loaded and could not be loaded).
 */
int nl_genl_resolve(struct nl *nl, const char *name, const char *group,
		    struct genl_family *fam);

int nl_join_group(struct nl *nl, uint32_t group);

/*
 * Wait for one batch of multicast messages and hand those of a family to
 * @cb. Return 0; 1 if @cb returned MNL_CB_STOP; -ENOBUFS if the socket
 * overran and events were lost (reading again is fine); other -errno.
 */
int nl_recv_events(struct nl *nl, mnl_cb_t cb, void *data);

/*
 * Parse the acknowledgement or NLMSG_DONE @nlh: return the error it carries
 * (0 or negative) and keep the kernel's message in nl->extack.
 */
int nl_parse_ack(struct nl *nl, const struct nlmsghdr *nlh);

/*
 * Fill @tb[0..@max] with the attributes of a nest or of a generic netlink
 * message. Later duplicates win; types above @max (from a newer kernel) are
 * ignored. Return 0 or -EPROTO.
 */
int nl_parse_nested(const struct nlattr *nest, const struct nlattr **tb,
		    unsigned int max);
int nl_parse_genl(const struct nlmsghdr *nlh, const struct nlattr **tb,
		  unsigned int max);

/**
 * struct nl_policy - what an attribute of a reply must look like
 * @type: its libmnl type; MNL_TYPE_UNSPEC: not checked
 * @len: for MNL_TYPE_BINARY, its exact length
 */
struct nl_policy {
	enum mnl_attr_data_type type;
	uint16_t len;
};

/* Check every attribute present in @tb[0..@max] against @pol: 0 or -EPROTO. */
int nl_validate(const struct nlattr *const *tb, const struct nl_policy *pol,
		unsigned int max);

#endif
