// SPDX-License-Identifier: GPL-2.0
/* l2tp-ipsec config set|show */

#include "cli/cli.h"
#include "kernel/modclient.h"
#include "kernel/nsconfig.h"
#include "text/args.h"
#include "text/output.h"

static int config_set_cmd(const struct cli *cli, int argc, char **argv)
{
	struct modclient mc;
	struct nsconfig c;
	char err[256];
	int ret;

	(void)cli;
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

static const struct cli_cmd rows[] = {
	CLI_CMD("set", config_set_cmd,
		"l2tp-ipsec [-j] config set [policy pass|require-ipsec|drop] [mode enforce|audit]\n"
		"                 [ports P[,P...]|none] [max-bindings N]\n"),
	CLI_CMD("show", config_show_cmd, "l2tp-ipsec [-j] config show\n"),
};

const struct cli_group config_cmds = CLI_GROUP("config", rows);
