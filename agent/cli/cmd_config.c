// SPDX-License-Identifier: GPL-2.0
/* l2tp-ipsec config set|show */

#include <string.h>

#include "cli/cli.h"
#include "kernel/modclient.h"
#include "kernel/nsconfig.h"
#include "text/args.h"
#include "text/output.h"

static int config_set_cmd(int argc, char **argv)
{
	struct modclient mc;
	struct nsconfig c;
	char err[256];
	int ret;

	ret = args_nsconfig(argc, argv, &c, err, sizeof(err));
	if (ret)
		return cli_args_error("config", ret, err);
	ret = cli_open(&mc);
	if (ret)
		return ret;
	ret = nsconfig_set(&mc, &c);
	if (ret)
		ret = cli_kernel_error(&mc, "config set", ret);
	modclient_close(&mc);
	return ret;
}

static int config_show_cmd(const struct cli *cli, int argc, char **argv)
{
	struct modclient mc;
	struct nsconfig c;
	int ret;

	ret = cli_no_more_args("config", argc, argv);
	if (ret)
		return ret;
	ret = cli_open(&mc);
	if (ret)
		return ret;
	ret = nsconfig_get(&mc, &c);
	if (ret)
		ret = cli_kernel_error(&mc, "config show", ret);
	else
		render_nsconfig(cli->out, &c);
	modclient_close(&mc);
	return ret;
}

int cmd_config(const struct cli *cli, int argc, char **argv)
{
	if (argc < 1)
		return cli_usage_error("config", true, "config: missing subcommand");
	if (!strcmp(argv[0], "set"))
		return config_set_cmd(argc - 1, argv + 1);
	if (!strcmp(argv[0], "show"))
		return config_show_cmd(cli, argc - 1, argv + 1);
	return cli_usage_error("config", true, "unknown config subcommand '%s'",
			       argv[0]);
}
