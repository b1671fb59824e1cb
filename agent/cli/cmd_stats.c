// SPDX-License-Identifier: GPL-2.0
/* l2tp-ipsec stats [local ADDR:PORT peer PEER [reqid N] [spi SPI] [encap S:D]] */

#include "cli/cli.h"
#include "kernel/binding.h"
#include "kernel/modclient.h"
#include "kernel/stats.h"
#include "text/args.h"
#include "text/output.h"
#include "text/render.h"

int cmd_stats(const struct cli *cli, int argc, char **argv)
{
	struct binding key;
	struct modclient mc;
	struct counters c;
	char err[256];
	int ret;

	if (argc) {
		ret = args_binding(argc, argv, BINDING_ARGS_KEY, &key, err,
				   sizeof(err));
		if (ret)
			return cli_args_error("stats", ret, err);
	}
	ret = cli_open(&mc);
	if (ret)
		return ret;
	ret = stats_get(&mc, argc ? &key : NULL, &c);
	if (ret) {
		ret = cli_kernel_error(&mc, "stats", ret);
	} else {
		render_open_object(cli->out, NULL);
		render_counters(cli->out, "stats", &c, "", "\n");
		render_close_object(cli->out);
	}
	modclient_close(&mc);
	return ret;
}
