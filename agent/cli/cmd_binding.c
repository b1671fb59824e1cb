// SPDX-License-Identifier: GPL-2.0
/* l2tp-ipsec binding add|del|get|show|flush */

#include <unistd.h>

#include "cli/cli.h"
#include "kernel/binding.h"
#include "kernel/modclient.h"
#include "lib/pidfd.h"
#include "lib/status.h"
#include "text/args.h"
#include "text/output.h"
#include "text/render.h"

#define ERRLEN 256

static int binding_change(const char *what, enum binding_args which, int argc,
			  char **argv)
{
	struct modclient mc;
	struct binding b;
	char err[ERRLEN];
	int ret;

	ret = args_binding(argc, argv, which, &b, err, sizeof(err));
	if (ret)
		return cli_args_error("binding", ret, err);
	/* The kernel takes the socket from our own descriptor table. */
	if (b.sock_pid) {
		b.sock_fd = fd_of_process(b.sock_pid, b.sock_fd, err, sizeof(err));
		if (b.sock_fd < 0) {
			cli_error("%s: socket: %s", what, err);
			return EXIT_USAGE;
		}
		b.has_sock = true;
	}
	ret = cli_open(&mc);
	if (ret)
		goto out;
	if (which == BINDING_ARGS_FULL)
		ret = binding_add(&mc, &b);
	else
		ret = binding_del(&mc, &b);
	if (ret)
		ret = cli_kernel_error(&mc, what, ret);
	modclient_close(&mc);
out:
	if (b.has_sock)
		close(b.sock_fd);
	return ret;
}

static int binding_add_cmd(const struct cli *cli, int argc, char **argv)
{
	(void)cli;
	return binding_change("binding add", BINDING_ARGS_FULL, argc, argv);
}

static int binding_del_cmd(const struct cli *cli, int argc, char **argv)
{
	(void)cli;
	return binding_change("binding del", BINDING_ARGS_KEY, argc, argv);
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

static const struct cli_cmd rows[] = {
	CLI_CMD("add", binding_add_cmd,
		"l2tp-ipsec [-j] binding add local ADDR:PORT peer PEER [reqid N] [spi SPI]\n"
		"                 [encap SPORT:DPORT] [v2-tunnel-id N] [version 2|3] [allow-ah]\n"
		"                 [mode enforce|audit|inherit] [socket PID:FD] [out-mark MARK]\n"
		"                 [v2-peer-tunnel-id N]\n"),
	CLI_CMD("del", binding_del_cmd,
		"l2tp-ipsec [-j] binding del local ADDR:PORT peer PEER [reqid N] [spi SPI]\n"
		"                 [encap SPORT:DPORT]\n"),
	CLI_CMD("get", binding_get_cmd,
		"l2tp-ipsec [-j] binding get local ADDR:PORT peer PEER [reqid N] [spi SPI]\n"
		"                 [encap SPORT:DPORT]\n"),
	CLI_CMD("show", binding_show_cmd, "l2tp-ipsec [-j] binding show\n"),
	CLI_CMD("flush", binding_flush_cmd, "l2tp-ipsec [-j] binding flush\n"),
};

const struct cli_group binding_cmds = CLI_GROUP("binding", rows);
