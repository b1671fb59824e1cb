/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_STATUS_H
#define AGENT_STATUS_H

/*
 * Exit status of l2tp-ipsec, the command line's and the agent's alike.
 * Scripts rely on these; "l2tp-ipsec help" and the man page document them.
 */
enum {
	EXIT_OK = 0,		/* done */
	EXIT_KERNEL = 1,	/* the kernel refused the request, netlink failed */
	EXIT_USAGE = 2,		/* bad command line or configuration: nothing was sent */
	EXIT_NO_MODULE = 3,	/* genl family l2tp_ipsec not found */
};

#endif
