// SPDX-License-Identifier: GPL-2.0
/*
 * l2tp-ipsec: command line of the l2tp_ipsec kernel module.
 *
 * Exit status (scripts rely on it; see cli.h): 0 success, 1 the kernel
 * refused or netlink failed, 2 bad command line, 3 module not loaded.
 */

#include <errno.h>
#include <string.h>

#include <linux/l2tp_ipsec.h>

#include "cli/cli.h"
#include "text/render.h"

static int cmd_help(const struct cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	usage_full(stdout);
	return EXIT_OK;
}

static int cmd_version(const struct cli *cli, int argc, char **argv)
{
	struct render *r = cli->out;
	int ret;

	ret = cli_no_more_args("version", argc, argv);
	if (ret)
		return ret;
	render_open_object(r, NULL);
	render_string(r, "version", "l2tp-ipsec %s", AGENT_VERSION);
	render_string(r, "genl_family", " (genl family %s", L2TP_IPSEC_GENL_NAME);
	render_uint(r, "genl_version", " version %u)\n", L2TP_IPSEC_GENL_VERSION);
	render_close_object(r);
	return EXIT_OK;
}

static const struct cli_cmd top[] = {
	CLI_SUB("binding", binding_cmds),
	CLI_SUB("tunnel", tunnel_cmds),
	CLI_SUB("config", config_cmds),
	CLI_CMD("stats", cmd_stats,
		"l2tp-ipsec [-j] stats [local ADDR:PORT peer PEER [reqid N] [spi SPI]\n"
		"                 [encap SPORT:DPORT]]\n"),
	CLI_CMD("monitor", cmd_monitor, "l2tp-ipsec [-j] monitor [vici PATH] [count N]\n"),
	CLI_CMD("agent", cmd_agent,
		"l2tp-ipsec agent [-c FILE] [--flush-on-exit] [--check] [-v|-q]...\n"),
	CLI_SUB("spd", spd_cmds),
	CLI_CMD("show", cmd_show, "l2tp-ipsec [-j] show [vici PATH]\n"),
	CLI_CMD("sockets", cmd_sockets, "l2tp-ipsec [-j] sockets PID\n"),
	CLI_CMD("help", cmd_help, "l2tp-ipsec help | --help | -h\n"),
	CLI_CMD("version", cmd_version, "l2tp-ipsec [-j] version\n"),
};

const struct cli_group cli_commands = CLI_GROUP(NULL, top);

/* Run the row of @g that @argv[0] names; a group's with its next word. */
static int dispatch(const struct cli *cli, const struct cli_group *g,
		    int argc, char **argv)
{
	const struct cli_cmd *c;
	size_t i;

	if (argc < 1 && !g->name)
		return cli_usage_error(NULL, true, "no command given");
	if (argc < 1)
		return cli_usage_error(g->name, true, "%s: missing subcommand", g->name);
	for (i = 0; i < g->n; i++) {
		c = &g->cmds[i];
		if (strcmp(argv[0], c->name))
			continue;
		if (c->group)
			return dispatch(cli, c->group, argc - 1, argv + 1);
		return c->fn(cli, argc - 1, argv + 1);
	}
	if (!g->name)
		return cli_usage_error(NULL, true, "unknown command '%s'", argv[0]);
	return cli_usage_error(g->name, true, "unknown %s subcommand '%s'", g->name,
			       argv[0]);
}

int main(int argc, char **argv)
{
	struct render out;
	struct cli cli = { .out = &out };
	bool json = false;
	int i, ret;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage_full(stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else {
			return cli_usage_error(NULL, true, "unknown option '%s'", argv[i]);
		}
	}
	render_init(&out, stdout, json ? RENDER_JSON : RENDER_TEXT);
	ret = dispatch(&cli, &cli_commands, argc - i, argv + i);
	/* The one place that says so, whatever ran out. */
	if (render_end(&out)) {
		cli_error("out of memory");
		if (ret == EXIT_OK)
			ret = EXIT_KERNEL;
	}

	/* Output that did not reach its reader is a failure too. */
	if (fflush(stdout) == EOF || ferror(stdout)) {
		cli_error("writing the output: %s", strerror(errno));
		if (ret == EXIT_OK)
			ret = EXIT_KERNEL;
	}
	return ret;
}
