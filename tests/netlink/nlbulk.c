// SPDX-License-Identifier: GPL-2.0
/*
 * nlbulk - bindings in a loop, for the fault tests (tests/vm/faults.test.sh);
 * tests/bench/nlbench adds many at once.
 *
 *   nlbulk churn SECONDS LOCAL4 LPORT PEER4 PORT0 NPORTS
 *                                      add, then delete, the NPORTS exact
 *                                      bindings PEER4:PORT0.. <- LOCAL4:LPORT
 *                                      in a loop, with a listener on LOCAL4:LPORT
 *                                      coming and going too
 *   nlbulk count                       the namespace's number of bindings
 *
 * Works in the caller's network namespace. Prints what it did and the time
 * it took; exits 1 on an unexpected netlink error, naming it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nlhelp.h"

static int die_nl(struct nlh *h, const char *what, int err)
{
	fprintf(stderr, "nlbulk: %s: %s%s%s\n", what, strerror(-err),
		h->ext_msg[0] ? ": " : "", h->ext_msg);
	return 1;
}

static int cmd_churn(struct nlh *h, double secs, const char *local, uint16_t lport,
		     const char *peer, uint16_t port0, int nports)
{
	struct binding listener, b;
	long rounds = 0, adds = 0, dels = 0;
	double end = nlh_now() + secs;
	int i, err;

	binding_v4(&listener, local, lport, NULL, 0);
	while (nlh_now() < end) {
		err = nlh_binding_add(h, &listener);
		if (err && err != -EEXIST)
			return die_nl(h, "listener add", err);
		for (i = 0; i < nports; i++) {
			binding_v4(&b, local, lport, peer, (uint16_t)(port0 + i));
			BSET(&b, REQID, reqid, (uint32_t)(i + 1));
			err = nlh_binding_add(h, &b);
			if (err)
				return die_nl(h, "add", err);
			adds++;
		}
		/* The listener goes first: lookups fall through to nothing. */
		err = nlh_binding_del(h, &listener);
		if (err)
			return die_nl(h, "listener del", err);
		for (i = 0; i < nports; i++) {
			binding_v4(&b, local, lport, peer, (uint16_t)(port0 + i));
			err = nlh_binding_del(h, &b);
			if (err)
				return die_nl(h, "del", err);
			dels++;
		}
		rounds++;
	}
	printf("nlbulk: churn: %ld rounds, %ld adds, %ld deletes in %.1f s\n",
	       rounds, adds, dels, secs);
	return 0;
}

static int cmd_count(struct nlh *h)
{
	struct config c = { 0 };
	int err = nlh_config_get(h, &c);

	if (err)
		return die_nl(h, "config get", err);
	printf("%u\n", c.num_bindings);
	return 0;
}

static void usage(void)
{
	fputs("usage: nlbulk churn SECONDS LOCAL4 LPORT PEER4 PORT0 NPORTS\n"
	      "       nlbulk count\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	struct nlh h;
	int err, rc;

	if (argc < 2)
		usage();
	err = nlh_open(&h, L2TP_IPSEC_GENL_NAME);
	if (err) {
		fprintf(stderr, "nlbulk: family %s: %s\n", L2TP_IPSEC_GENL_NAME,
			strerror(-err));
		return 1;
	}
	if (!strcmp(argv[1], "churn") && argc == 8)
		rc = cmd_churn(&h, atof(argv[2]), argv[3], (uint16_t)atoi(argv[4]),
			       argv[5], (uint16_t)atoi(argv[6]), atoi(argv[7]));
	else if (!strcmp(argv[1], "count") && argc == 2)
		rc = cmd_count(&h);
	else
		usage();
	nlh_close(&h);
	return rc;
}
