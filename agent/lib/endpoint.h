/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_ENDPOINT_H
#define AGENT_ENDPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

/* An IPv4 or IPv6 address, the family kept beside it. */
union inet_addr {
	struct in_addr v4;
	struct in6_addr v6;
};

/*
 * One side of a tunnel's socket information: an address and a UDP port.
 * family AF_UNSPEC means any address (and then any port), port 0 any port.
 */
struct endpoint {
	int family;
	union inet_addr addr;
	uint16_t port;
};

enum endpoint_role {
	ENDPOINT_LOCAL,		/* ADDR:PORT */
	ENDPOINT_PEER,		/* ADDR:PORT, ADDR:any or any */
};

/* "[" + IPv6 + "]:" + port + NUL */
#define ENDPOINT_STRLEN (INET6_ADDRSTRLEN + 8)

/*
 * Parse "192.0.2.1:1701", "[2001:db8::1]:1701", "ADDR:any" and "any" (the
 * last two only for ENDPOINT_PEER) with inet_pton(). On error return -EINVAL
 * and write a message such as "bad endpoint '10.0.0.1:0': port must be
 * 1..65535" to @err.
 */
int endpoint_parse(const char *s, enum endpoint_role role, struct endpoint *ep,
		   char *err, size_t errlen);

/* The inverse of endpoint_parse(): "any", "ADDR:any", "ADDR:PORT", "[V6]:PORT". */
const char *endpoint_str(const struct endpoint *ep, char *buf, size_t len);

/* "ADDR:PORT" or "[V6]:PORT" with a literal port, 0 included (packets). */
const char *addr_port_str(int family, const void *addr, uint16_t port,
			  char *buf, size_t len);

/*
 * What a socket or a packet has: addr_port_str() of @ep, or with @port
 * false the bare address (IP encapsulation has no ports); NULL if @ep has no
 * address.
 */
const char *endpoint_addr_str(const struct endpoint *ep, bool port, char *buf,
			      size_t len);

/* Same family and address (ports not compared); AF_UNSPEC equals itself. */
bool endpoint_same_addr(const struct endpoint *a, const struct endpoint *b);
/* Same address and port. */
bool endpoint_equal(const struct endpoint *a, const struct endpoint *b);

/* A total order by family and address (<0, 0, >0), for sorted indexes. */
int endpoint_cmp_addr(const struct endpoint *a, const struct endpoint *b);
/* The same, then by port. */
int endpoint_cmp(const struct endpoint *a, const struct endpoint *b);

#endif
