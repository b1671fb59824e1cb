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

int cmd_help(const struct cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	usage_full(stdout);
	return EXIT_OK;
}

int cmd_version(const struct cli *cli, int argc, char **argv)
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

static const struct {
	const char *name;
	cli_cmd fn;
} commands[] = {
	{ "binding",	cmd_binding },
	{ "tunnel",	cmd_tunnel },
	{ "config",	cmd_config },
	{ "stats",	cmd_stats },
	{ "monitor",	cmd_monitor },
	{ "agent",	cmd_agent },
	{ "spd",	cmd_spd },
	{ "show",	cmd_show },
	{ "help",	cmd_help },
	{ "version",	cmd_version },
};

static int run(const struct cli *cli, int argc, char **argv)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[0], commands[i].name))
			return commands[i].fn(cli, argc - 1, argv + 1);
	return cli_usage_error(NULL, true, "unknown command '%s'", argv[0]);
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
	if (i >= argc)
		return cli_usage_error(NULL, true, "no command given");

	render_init(&out, stdout, json ? RENDER_JSON : RENDER_TEXT);
	ret = run(&cli, argc - i, argv + i);
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
