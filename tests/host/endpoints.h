/* SPDX-License-Identifier: GPL-2.0 */
/* Endpoints from words, for the tests' fixtures. */
#ifndef HOST_ENDPOINTS_H
#define HOST_ENDPOINTS_H

#include <arpa/inet.h>
#include <string.h>

#include "lib/endpoint.h"

/* @family's address @a (NULL: none) and @port. */
static inline void set_ep(struct endpoint *ep, int family, const char *a,
			  uint16_t port)
{
	memset(ep, 0, sizeof(*ep));
	ep->family = family;
	if (a)
		inet_pton(family, a, &ep->addr);
	ep->port = port;
}

#endif
