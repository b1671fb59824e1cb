// SPDX-License-Identifier: GPL-2.0
/* Endpoint parsing and printing of agent/lib/endpoint.c. */

#include <errno.h>
#include <sys/socket.h>

#include "lib/endpoint.h"
#include "harness.h"

#define L ENDPOINT_LOCAL
#define P ENDPOINT_PEER

/* @out: printed form when accepted, else the exact error message */
static const struct {
	const char *in;
	enum endpoint_role role;
	bool ok;
	int family;
	const char *out;
} cases[] = {
	{ "192.0.2.1:1701", L, true, AF_INET, "192.0.2.1:1701" },
	{ "192.0.2.1:1701", P, true, AF_INET, "192.0.2.1:1701" },
	{ "192.0.2.1:65535", L, true, AF_INET, "192.0.2.1:65535" },
	{ "192.0.2.1:01701", L, true, AF_INET, "192.0.2.1:1701" },
	{ "[2001:db8::1]:1701", L, true, AF_INET6, "[2001:db8::1]:1701" },
	{ "[2001:DB8:0:0::1]:4500", P, true, AF_INET6, "[2001:db8::1]:4500" },
	{ "[2001:db8::ffff:c000:201]:1701", L, true, AF_INET6,
	  "[2001:db8::ffff:c000:201]:1701" },
	{ "any", P, true, AF_UNSPEC, "any" },
	{ "198.51.100.2:any", P, true, AF_INET, "198.51.100.2:any" },
	{ "[2001:db8::2]:any", P, true, AF_INET6, "[2001:db8::2]:any" },

	{ "any", L, false, 0,
	  "bad endpoint 'any': the local endpoint needs an address and a port" },
	{ "192.0.2.1:any", L, false, 0,
	  "bad endpoint '192.0.2.1:any': the local port must be given (1..65535)" },
	{ "10.0.0.1:0", L, false, 0,
	  "bad endpoint '10.0.0.1:0': port must be 1..65535" },
	{ "10.0.0.1:0", P, false, 0,
	  "bad endpoint '10.0.0.1:0': port must be 1..65535" },
	{ "10.0.0.1:65536", L, false, 0,
	  "bad endpoint '10.0.0.1:65536': port must be 1..65535" },
	{ "10.0.0.1:-1", L, false, 0,
	  "bad endpoint '10.0.0.1:-1': port must be 1..65535" },
	{ "10.0.0.1:", L, false, 0,
	  "bad endpoint '10.0.0.1:': port must be 1..65535" },
	{ "10.0.0.1: 1701", L, false, 0,
	  "bad endpoint '10.0.0.1: 1701': port must be 1..65535" },
	{ "10.0.0.1:1701x", L, false, 0,
	  "bad endpoint '10.0.0.1:1701x': port must be 1..65535" },
	{ "10.0.0.1:0x6a5", L, false, 0,
	  "bad endpoint '10.0.0.1:0x6a5': port must be 1..65535" },
	{ "10.0.0.1:ANY", P, false, 0,
	  "bad endpoint '10.0.0.1:ANY': port must be 1..65535" },
	{ "10.0.0.1", L, false, 0, "bad endpoint '10.0.0.1': missing ':PORT'" },
	{ "", L, false, 0, "bad endpoint '': missing ':PORT'" },
	{ "2001:db8::1:1701", L, false, 0,
	  "bad endpoint '2001:db8::1:1701': an IPv6 address goes in brackets, as in [2001:db8::1]:1701" },
	{ "[2001:db8::1]1701", L, false, 0,
	  "bad endpoint '[2001:db8::1]1701': missing ':PORT' after ']'" },
	{ "[2001:db8::1]", L, false, 0,
	  "bad endpoint '[2001:db8::1]': missing ':PORT' after ']'" },
	{ "[2001:db8::1:1701", L, false, 0,
	  "bad endpoint '[2001:db8::1:1701': missing ']'" },
	{ "[2001:db8::1]:1701:1", L, false, 0,
	  "bad endpoint '[2001:db8::1]:1701:1': port must be 1..65535" },
	{ "[192.0.2.1]:1701", L, false, 0,
	  "bad endpoint '[192.0.2.1]:1701': '192.0.2.1' is not an IPv6 address" },
	{ "[]:1701", L, false, 0,
	  "bad endpoint '[]:1701': '' is not an IPv6 address" },
	{ "[fe80::1%eth0]:1701", L, false, 0,
	  "bad endpoint '[fe80::1%eth0]:1701': 'fe80::1%eth0' is not an IPv6 address" },
	{ ":1701", L, false, 0, "bad endpoint ':1701': '' is not an IPv4 address" },
	{ "1.2.3:1701", L, false, 0,
	  "bad endpoint '1.2.3:1701': '1.2.3' is not an IPv4 address" },
	{ "256.1.1.1:1701", L, false, 0,
	  "bad endpoint '256.1.1.1:1701': '256.1.1.1' is not an IPv4 address" },
	{ "1.2.3.4.5:1701", L, false, 0,
	  "bad endpoint '1.2.3.4.5:1701': '1.2.3.4.5' is not an IPv4 address" },
	{ "lns.example:1701", L, false, 0,
	  "bad endpoint 'lns.example:1701': 'lns.example' is not an IPv4 address" },
	{ "[1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa]:1701", L, false, 0,
	  "bad endpoint '[1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa]:1701': address too long" },
	{ "0.0.0.0:1701", L, false, 0,
	  "bad endpoint '0.0.0.0:1701': the local address must not be the wildcard address" },
	{ "0.0.0.0:1701", P, false, 0,
	  "bad endpoint '0.0.0.0:1701': the wildcard address is not a peer; write 'any' for any peer" },
	{ "[::]:any", P, false, 0,
	  "bad endpoint '[::]:any': the wildcard address is not a peer; write 'any' for any peer" },
	{ "224.0.0.1:1701", L, false, 0,
	  "bad endpoint '224.0.0.1:1701': multicast addresses are not allowed" },
	{ "239.1.2.3:1701", P, false, 0,
	  "bad endpoint '239.1.2.3:1701': multicast addresses are not allowed" },
	{ "[ff02::1]:1701", P, false, 0,
	  "bad endpoint '[ff02::1]:1701': multicast addresses are not allowed" },
	{ "0.1.2.3:1701", L, false, 0,
	  "bad endpoint '0.1.2.3:1701': not a unicast address" },
	{ "255.255.255.255:1701", P, false, 0,
	  "bad endpoint '255.255.255.255:1701': not a unicast address" },
	{ "[::ffff:192.0.2.1]:1701", L, false, 0,
	  "bad endpoint '[::ffff:192.0.2.1]:1701': IPv4-mapped IPv6 addresses are not allowed; write the IPv4 address" },
	{ "255.255.255.254:1701", P, true, AF_INET, "255.255.255.254:1701" },
	{ "1.0.0.0:1701", L, true, AF_INET, "1.0.0.0:1701" },
};

int main(void)
{
	char err[256], buf[ENDPOINT_STRLEN];
	struct endpoint ep;
	size_t i;
	bool ok;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		err[0] = '\0';
		ret = endpoint_parse(cases[i].in, cases[i].role, &ep, err, sizeof(err));
		if (cases[i].ok) {
			ok = !ret || (fprintf(stderr, "  %s\n", err), false);
			ok = ok && ep.family == cases[i].family;
			ok = ok && same_str(endpoint_str(&ep, buf, sizeof(buf)),
					    cases[i].out);
		} else {
			ok = ret == -EINVAL && same_str(err, cases[i].out);
		}
		check(ok, "endpoint %s '%s' %s",
		      cases[i].role == L ? "local" : "peer", cases[i].in,
		      cases[i].ok ? "accepted" : "rejected");
	}

	/* Packet endpoints print port 0 as a number, not as "any". */
	ret = endpoint_parse("[2001:db8::1]:1701", L, &ep, err, sizeof(err));
	check(!ret && same_str(addr_port_str(AF_INET6, &ep.addr, 0, buf, sizeof(buf)),
			       "[2001:db8::1]:0"),
	      "addr_port_str prints port 0 literally");
	check(same_str(endpoint_addr_str(&ep, true, buf, sizeof(buf)), "[2001:db8::1]:1701"),
	      "endpoint_addr_str: address and port");
	check(same_str(endpoint_addr_str(&ep, false, buf, sizeof(buf)), "2001:db8::1"),
	      "endpoint_addr_str without the port: the bare address");
	ep.family = AF_UNSPEC;
	check(!endpoint_addr_str(&ep, true, buf, sizeof(buf)),
	      "endpoint_addr_str of no address: NULL");
	return harness_exit();
}
