// SPDX-License-Identifier: GPL-2.0
/* l2tp-ipsec monitor [count N] */

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "cli/cli.h"
#include "kernel/modclient.h"
#include "kernel/violation.h"
#include "lib/number.h"
#include "text/output.h"
#include "text/render.h"

struct monitor {
	const struct modclient *mc;
	struct render *out;
	uint32_t left;		/* events still to print; 0: no limit */
};

static int monitor_cb(const struct nlmsghdr *nlh, void *data)
{
	struct monitor *m = data;
	struct violation v;
	int ret;

	ret = violation_parse(m->mc, nlh, &v);
	if (ret == -ENOMSG || (!ret && v.unbound))
		return MNL_CB_OK;
	if (ret) {
		cli_error("monitor: malformed event from the kernel, skipped");
		return MNL_CB_OK;
	}
	render_violation(m->out, &v);
	/* Readers are often scripts behind a pipe: every event at once. */
	fflush(stdout);
	/* Out of memory: stop, main() says so. */
	if (render_failed(m->out) || (m->left && !--m->left))
		return MNL_CB_STOP;
	return MNL_CB_OK;
}

int cmd_monitor(const struct cli *cli, int argc, char **argv)
{
	struct monitor m = { .out = cli->out };
	struct modclient mc;
	int ret;

	if (argc >= 1 && !strcmp(argv[0], "count")) {
		if (argc < 2)
			return cli_usage_error("monitor", true, "'count' needs a value");
		if (parse_u32(argv[1], 1, UINT32_MAX, false, &m.left))
			return cli_usage_error("monitor", false,
					       "bad count '%s': must be 1..4294967295",
					       argv[1]);
		argc -= 2;
		argv += 2;
	}
	if (argc && !strcmp(argv[0], "count"))
		return cli_usage_error("monitor", true, "'count' given twice");
	if (argc)
		return cli_usage_error("monitor", true, "unknown keyword '%s'", argv[0]);

	ret = cli_open(&mc);
	if (ret)
		return ret;
	m.mc = &mc;
	ret = violation_subscribe(&mc);
	if (ret) {
		cli_error("monitor: joining multicast group 'events': %s",
			  ret == -EOPNOTSUPP ? "the family has no such group" :
			  strerror(-ret));
		modclient_close(&mc);
		return EXIT_KERNEL;
	}

	for (;;) {
		ret = nl_recv_events(&mc.nl, monitor_cb, &m);
		if (ret == 1) {
			ret = EXIT_OK;
			break;
		}
		if (ret == -ENOBUFS) {
			cli_error("monitor: events were lost: the socket's receive buffer overran");
			continue;
		}
		if (ret) {
			cli_error("monitor: %s", strerror(-ret));
			ret = EXIT_KERNEL;
			break;
		}
	}
	modclient_close(&mc);
	return ret;
}
