// SPDX-License-Identifier: GPL-2.0
/* Endpoints as written on the command line and printed back. */

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/endpoint.h"
#include "lib/number.h"

static int bad(char *err, size_t errlen, const char *s, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "bad endpoint '%s': %s", s, why);
	return -EINVAL;
}

static int parse_port(const char *s, const char *p, enum endpoint_role role,
		      struct endpoint *ep, char *err, size_t errlen)
{
	if (!strcmp(p, "any")) {
		if (role == ENDPOINT_LOCAL)
			return bad(err, errlen, s,
				   "the local port must be given (1..65535)");
		ep->port = 0;
		return 0;
	}
	if (parse_u16(p, 1, 65535, &ep->port))
		return bad(err, errlen, s, "port must be 1..65535");
	return 0;
}

/*
 * The kernel refuses what is not a unicast address too; saying why here is
 * friendlier.
 */
static int check_addr(const char *s, enum endpoint_role role,
		      const struct endpoint *ep, char *err, size_t errlen)
{
	bool wildcard, multicast, other = false;
	uint32_t v4;

	if (ep->family == AF_INET) {
		v4 = ntohl(ep->addr.v4.s_addr);
		wildcard = v4 == INADDR_ANY;
		multicast = IN_MULTICAST(v4);
		/* 0.0.0.0/8 ("this network") and the limited broadcast */
		other = (v4 >> 24) == 0 || v4 == INADDR_BROADCAST;
	} else {
		wildcard = IN6_IS_ADDR_UNSPECIFIED(&ep->addr.v6);
		multicast = IN6_IS_ADDR_MULTICAST(&ep->addr.v6);
		if (IN6_IS_ADDR_V4MAPPED(&ep->addr.v6))
			return bad(err, errlen, s,
				   "IPv4-mapped IPv6 addresses are not allowed; write the IPv4 address");
	}
	if (wildcard && role == ENDPOINT_LOCAL)
		return bad(err, errlen, s,
			   "the local address must not be the wildcard address");
	if (wildcard)
		return bad(err, errlen, s,
			   "the wildcard address is not a peer; write 'any' for any peer");
	if (multicast)
		return bad(err, errlen, s, "multicast addresses are not allowed");
	if (other)
		return bad(err, errlen, s, "not a unicast address");
	return 0;
}

int endpoint_parse(const char *s, enum endpoint_role role, struct endpoint *ep,
		   char *err, size_t errlen)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *hstart, *hend, *port;
	int ret;

	memset(ep, 0, sizeof(*ep));
	ep->family = AF_UNSPEC;

	if (!strcmp(s, "any")) {
		if (role == ENDPOINT_LOCAL)
			return bad(err, errlen, s,
				   "the local endpoint needs an address and a port");
		return 0;
	}

	if (s[0] == '[') {
		hstart = s + 1;
		hend = strchr(hstart, ']');
		if (!hend)
			return bad(err, errlen, s, "missing ']'");
		if (hend[1] != ':')
			return bad(err, errlen, s, "missing ':PORT' after ']'");
		port = hend + 2;
		ep->family = AF_INET6;
	} else {
		hstart = s;
		hend = strrchr(s, ':');
		if (!hend)
			return bad(err, errlen, s, "missing ':PORT'");
		if (memchr(s, ':', hend - s))
			return bad(err, errlen, s,
				   "an IPv6 address goes in brackets, as in [2001:db8::1]:1701");
		port = hend + 1;
		ep->family = AF_INET;
	}

	if ((size_t)(hend - hstart) >= sizeof(host))
		return bad(err, errlen, s, "address too long");
	memcpy(host, hstart, hend - hstart);
	host[hend - hstart] = '\0';
	if (inet_pton(ep->family, host, &ep->addr) != 1)
		return bad(err, errlen, s, "'%s' is not an %s address", host,
			   ep->family == AF_INET ? "IPv4" : "IPv6");

	ret = check_addr(s, role, ep, err, errlen);
	if (ret)
		return ret;
	return parse_port(s, port, role, ep, err, errlen);
}

const char *addr_port_str(int family, const void *addr, uint16_t port,
			  char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (!inet_ntop(family, addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	snprintf(buf, len, family == AF_INET6 ? "[%s]:%u" : "%s:%u", a, port);
	return buf;
}

const char *endpoint_addr_str(const struct endpoint *ep, bool port, char *buf,
			      size_t len)
{
	if (ep->family != AF_INET && ep->family != AF_INET6)
		return NULL;
	if (port)
		return addr_port_str(ep->family, &ep->addr, ep->port, buf, len);
	if (!inet_ntop(ep->family, &ep->addr, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

const char *endpoint_str(const struct endpoint *ep, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (ep->family != AF_INET && ep->family != AF_INET6) {
		snprintf(buf, len, "any");
		return buf;
	}
	if (ep->port)
		return addr_port_str(ep->family, &ep->addr, ep->port, buf, len);
	if (!inet_ntop(ep->family, &ep->addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	snprintf(buf, len, ep->family == AF_INET6 ? "[%s]:any" : "%s:any", a);
	return buf;
}

bool endpoint_same_addr(const struct endpoint *a, const struct endpoint *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->addr.v4.s_addr == b->addr.v4.s_addr;
	if (a->family == AF_INET6)
		return !memcmp(&a->addr.v6, &b->addr.v6, sizeof(a->addr.v6));
	return true;
}

bool endpoint_equal(const struct endpoint *a, const struct endpoint *b)
{
	return endpoint_same_addr(a, b) && a->port == b->port;
}

int endpoint_cmp_addr(const struct endpoint *a, const struct endpoint *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->family == AF_INET6)
		return memcmp(&a->addr.v6, &b->addr.v6, sizeof(a->addr.v6));
	if (a->family == AF_INET)
		return memcmp(&a->addr.v4, &b->addr.v4, sizeof(a->addr.v4));
	return 0;
}

int endpoint_cmp(const struct endpoint *a, const struct endpoint *b)
{
	int c = endpoint_cmp_addr(a, b);

	if (c)
		return c;
	return a->port < b->port ? -1 : a->port > b->port;
}
