/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_MODCLIENT_H
#define AGENT_MODCLIENT_H

#include <stdint.h>

#include "kernel/nl.h"

/**
 * struct modclient - client of l2tp_ipsec.ko's generic netlink family
 * @nl: the socket
 * @family: the family's id
 * @events_group: id of its multicast group "events" (0 if it has none)
 */
struct modclient {
	struct nl nl;
	uint16_t family;
	uint32_t events_group;
};

/* -ENOENT: the family is not registered, the module is not loaded. */
int modclient_open(struct modclient *mc);
void modclient_close(struct modclient *mc);

/* Start a request of the family in @buf (NL_REQ_SIZE bytes). */
struct nlmsghdr *modclient_msg(const struct modclient *mc, void *buf,
			       uint8_t cmd, uint16_t flags);

/*
 * Return the L2TP_IPSEC_A_* attribute @type of a message of the family, or
 * NULL. Replies are matched by sequence number, so their cmd is not checked.
 */
const struct nlattr *modclient_attr(const struct modclient *mc,
				    const struct nlmsghdr *nlh,
				    unsigned int type);

#endif
