// SPDX-License-Identifier: GPL-2.0
/*
 * nlbench - the control-plane side of the benchmark, over the module's
 * generic netlink family in the caller's namespace (tests/netlink/nlhelp).
 *
 *   nlbench add N FIRST LOCAL   add N bindings LOCAL:1701 <-> peer
 *                               172.16.0.0 + FIRST + i, port 1701,
 *                               reqid 1000 + FIRST + i, batched
 *   nlbench dump                dump every binding
 *   nlbench flush               delete every binding
 *
 * Each prints one JSON object: {"op", "n", "seconds", "per_second"}. The
 * peers are distinct, so every binding is an exact 4-tuple as a
 * concentrator's tunnels are.
 */

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nlhelp.h"

/* Requests per sendmsg(): NLH_BUFSZ holds 128 of at most 512 bytes. */
#define PER_SEND	100

static void report(const char *op, long n, double s)
{
	printf("{\"op\": \"%s\", \"n\": %ld, \"seconds\": %.6f, \"per_second\": %.1f}\n",
	       op, n, s, s > 0 ? n / s : 0.0);
}

static int add(struct nlh *h, long n, long first, const char *local)
{
	struct binding *b = calloc(n, sizeof(*b));
	int err, failed = -1;
	double t0;
	long i;

	if (!b)
		return 1;
	for (i = 0; i < n; i++) {
		struct in_addr peer = { htonl(0xac100000u + first + i) };

		binding_v4(&b[i], local, 1701, inet_ntoa(peer), 1701);
		BSET(&b[i], REQID, reqid, 1000 + first + i);
	}
	t0 = nlh_now();
	err = nlh_binding_add_many(h, b, n, PER_SEND, &failed);
	if (err) {
		fprintf(stderr, "nlbench: add #%d: %s (%s)\n", failed,
			strerror(-err), h->ext_msg);
		return 1;
	}
	report("add", n, nlh_now() - t0);
	free(b);
	return 0;
}

int main(int argc, char **argv)
{
	struct dump d = { 0 };
	struct nlh h;
	double t0;
	int err;

	err = nlh_open(&h, L2TP_IPSEC_GENL_NAME);
	if (err) {
		fprintf(stderr, "nlbench: %s: %s\n", L2TP_IPSEC_GENL_NAME,
			strerror(-err));
		return 1;
	}
	if (argc == 5 && !strcmp(argv[1], "add"))
		return add(&h, atol(argv[2]), atol(argv[3]), argv[4]);
	t0 = nlh_now();
	if (argc == 2 && !strcmp(argv[1], "dump")) {
		err = nlh_binding_dump(&h, &d);
		if (!err && !d.bad) {
			report("dump", d.count, nlh_now() - t0);
			return 0;
		}
	} else if (argc == 2 && !strcmp(argv[1], "flush")) {
		err = nlh_binding_flush(&h);
		if (!err) {
			report("flush", 0, nlh_now() - t0);
			return 0;
		}
	} else {
		fprintf(stderr, "usage: nlbench add N FIRST LOCAL | dump | flush\n");
		return 2;
	}
	fprintf(stderr, "nlbench: %s: %s (%d bad)\n", argv[1], strerror(-err), d.bad);
	return 1;
}
