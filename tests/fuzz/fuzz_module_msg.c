// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_module_msg: the input is one datagram from l2tp_ipsec.ko (family
 * FUZZ_MOD_FAMILY), as replies and as events.
 *
 * As replies (fuzz_nl.c answers each request with it): binding_dump(),
 * binding_get(), stats_get(), nsconfig_get(), an ack-only request
 * (binding_add()) and the family's resolution through the controller
 * (nl_genl_resolve()); every binding, counter set and config that parses
 * is printed and turned into JSON as the commands do. As events, every
 * message goes where nl_recv_events() sends it: the daemon's
 * daemon_event_cb() (logging on, at debug) and "monitor"'s
 * violation_parse(), printed.
 *
 * Checked: a dump's bindings come in rising id order (binding_dump()
 * promises it), what parses is within the struct's bounds.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/l2tp_ipsec.h>

#include "daemon/daemon.h"
#include "kernel/binding.h"
#include "kernel/counters.h"
#include "fuzz.h"
#include "fuzz_nl.h"
#include "kernel/modclient.h"
#include "kernel/nsconfig.h"
#include "kernel/stats.h"
#include "kernel/violation.h"
#include "lib/log.h"
#include "text/output.h"

static struct modclient mc;
static struct daemon d;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

	(void)argc;
	(void)argv;
	FUZZ_ASSERT(fd >= 0);
	/* Every log line is formatted, none is seen. */
	log_set_fd(fd);
	log_set_level(LOG_LEVEL_DEBUG);
	fuzz_nl_init(&mc.nl);
	mc.family = FUZZ_MOD_FAMILY;
	d.events = mc;
	return 0;
}

static void show(const struct binding *b)
{
	FUZZ_RENDER(render_binding(&r, NULL, b));
}

struct dump {
	unsigned int n;
	uint32_t last_id;
};

static int dump_fn(const struct binding *b, void *data)
{
	struct dump *dp = data;

	FUZZ_ASSERT(!dp->n || b->id > dp->last_id);
	FUZZ_ASSERT(b->local.family == AF_INET || b->local.family == AF_INET6);
	dp->n++;
	dp->last_id = b->id;
	show(b);
	return 0;
}

static void replies(void)
{
	struct dump dp = { 0 };
	struct genl_family fam;
	struct binding key, out;
	struct counters c;
	struct nsconfig nc;

	memset(&key, 0, sizeof(key));
	key.local.family = AF_INET;
	key.local.port = 1701;

	binding_dump(&mc, dump_fn, &dp);
	if (!binding_get(&mc, &key, &out))
		show(&out);
	if (!stats_get(&mc, NULL, &c))
		FUZZ_RENDER(render_counters(&r, NULL, &c, "", "\n"));
	if (!nsconfig_get(&mc, &nc)) {
		FUZZ_ASSERT(nc.nports <= L2TP_IPSEC_MAX_PORTS);
		FUZZ_RENDER(render_nsconfig(&r, &nc));
	}
	binding_add(&mc, &key);
	nl_genl_resolve(&mc.nl, L2TP_IPSEC_GENL_NAME, L2TP_IPSEC_MCGRP_EVENTS, &fam);
}

static void events(const uint8_t *data, size_t size)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)data;
	struct violation v;
	int rem = (int)size;

	d.violation_rl = (struct log_ratelimit)LOG_RATELIMIT_INIT(1000, UINT_MAX);
	d.unbound_rl = d.violation_rl;
	d.warn_rl = d.violation_rl;
	/* nl_recv_events()'s loop */
	for (; nl_msg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
		if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
			continue;
		daemon_event_cb(nlh, &d);
		if (violation_parse(&mc, nlh, &v))
			continue;
		FUZZ_RENDER(render_violation(&r, &v, NULL));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_nl_reply(data, size);
	replies();
	events(data, size);
	return 0;
}
