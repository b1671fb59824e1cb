// SPDX-License-Identifier: GPL-2.0
/* l2tp-ipsec binding add|del|get|show|flush */

#include <errno.h>
#include <string.h>

#include "cli/cli.h"
#include "kernel/binding.h"
#include "kernel/modclient.h"
#include "text/args.h"
#include "text/output.h"
#include "text/render.h"

#define ERRLEN 256

static int binding_change(const struct cli *cli, const char *what,
			  enum binding_args which, int argc, char **argv)
{
	struct modclient mc;
	struct binding b;
	char err[ERRLEN];
	int ret;

	(void)cli;
	ret = args_binding(argc, argv, which, &b, err, sizeof(err));
	if (ret)
		return cli_args_error("binding", ret, err);
	ret = cli_open(&mc);
	if (ret)
		return ret;
	if (which == BINDING_ARGS_FULL)
		ret = binding_add(&mc, &b);
	else
		ret = binding_del(&mc, &b);
	if (ret)
		ret = cli_kernel_error(&mc, what, ret);
	modclient_close(&mc);
	return ret;
}

static int binding_get_cmd(const struct cli *cli, int argc, char **argv)
{
	struct modclient mc;
	struct binding key, b;
	char err[ERRLEN];
	int ret;

	ret = args_binding(argc, argv, BINDING_ARGS_KEY, &key, err, sizeof(err));
	if (ret)
		return cli_args_error("binding", ret, err);
	ret = cli_open(&mc);
	if (ret)
		return ret;
	ret = binding_get(&mc, &key, &b);
	if (ret)
		ret = cli_kernel_error(&mc, "binding get", ret);
	else
		render_binding(cli->out, NULL, &b);
	modclient_close(&mc);
	return ret;
}

/*
 * Printed as the dump arrives, so memory does not grow with the table (the
 * renderer writes the document's opening with the first binding: a dump
 * refused outright prints nothing).
 */
static int show_one(const struct binding *b, void *data)
{
	render_binding(data, NULL, b);
	return 0;
}

static int binding_show_cmd(const struct cli *cli, int argc, char **argv)
{
	struct modclient mc;
	int ret;

	ret = cli_no_more_args("binding", argc, argv);
	if (ret)
		return ret;
	ret = cli_open(&mc);
	if (ret)
		return ret;
	render_open_object(cli->out, NULL);
	render_open_array(cli->out, "bindings");
	ret = binding_dump(&mc, show_one, cli->out);
	if (ret) {
		/* What was printed stays a document, ahead of the error. */
		render_end(cli->out);
		ret = cli_kernel_error(&mc, "binding show", ret);
	} else {
		render_close_array(cli->out);
		render_close_object(cli->out);
	}
	modclient_close(&mc);
	return ret;
}

static int binding_flush_cmd(const struct cli *cli, int argc, char **argv)
{
	struct modclient mc;
	int ret;

	(void)cli;
	ret = cli_no_more_args("binding", argc, argv);
	if (ret)
		return ret;
	ret = cli_open(&mc);
	if (ret)
		return ret;
	ret = binding_flush(&mc);
	if (ret)
		ret = cli_kernel_error(&mc, "binding flush", ret);
	modclient_close(&mc);
	return ret;
}

int cmd_binding(const struct cli *cli, int argc, char **argv)
{
	const char *sub;

	if (argc < 1)
		return cli_usage_error("binding", true, "binding: missing subcommand");
	sub = argv[0];
	argc--;
	argv++;
	if (!strcmp(sub, "add"))
		return binding_change(cli, "binding add", BINDING_ARGS_FULL, argc, argv);
	if (!strcmp(sub, "del"))
		return binding_change(cli, "binding del", BINDING_ARGS_KEY, argc, argv);
	if (!strcmp(sub, "get"))
		return binding_get_cmd(cli, argc, argv);
	if (!strcmp(sub, "show"))
		return binding_show_cmd(cli, argc, argv);
	if (!strcmp(sub, "flush"))
		return binding_flush_cmd(cli, argc, argv);
	return cli_usage_error("binding", true, "unknown binding subcommand '%s'", sub);
}
