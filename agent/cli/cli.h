/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_CLI_H
#define AGENT_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "lib/status.h"

struct modclient;
struct render;

/**
 * struct cli - options given before the command
 * @out: where the command prints: stdout, text or (-j) JSON; main() ends
 *	it, and says "out of memory" if it ran out
 */
struct cli {
	struct render *out;
};

/* A command: @argv holds the words after the command's name. */
typedef int (*cli_cmd)(const struct cli *cli, int argc, char **argv);

int cmd_binding(const struct cli *cli, int argc, char **argv);
int cmd_tunnel(const struct cli *cli, int argc, char **argv);
int cmd_config(const struct cli *cli, int argc, char **argv);
int cmd_stats(const struct cli *cli, int argc, char **argv);
int cmd_monitor(const struct cli *cli, int argc, char **argv);
int cmd_agent(const struct cli *cli, int argc, char **argv);
int cmd_spd(const struct cli *cli, int argc, char **argv);
int cmd_show(const struct cli *cli, int argc, char **argv);
int cmd_help(const struct cli *cli, int argc, char **argv);
int cmd_version(const struct cli *cli, int argc, char **argv);

struct l2tp_client;
/*
 * cli_open() and the kernel's L2TP family on the same socket (cmd_tunnel.c).
 * An exit status: EXIT_OK, or the error was reported.
 */
int cli_open_l2tp(struct modclient *mc, struct l2tp_client *lc);

/* "l2tp-ipsec: <message>" on stderr */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Report a bad command line, with the synopsis of @topic ("binding",
 * "config", ...; NULL: every command) if @with_usage. Returns EXIT_USAGE.
 */
int cli_usage_error(const char *topic, bool with_usage, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* An args_*() failure: its message, and the synopsis on a syntax error. */
int cli_args_error(const char *topic, int args_ret, const char *err);

/* Reject words left over after a command that takes none. */
int cli_no_more_args(const char *topic, int argc, char **argv);

/* Open the family; on failure say why and return the exit status. */
int cli_open(struct modclient *mc);

/*
 * "l2tp-ipsec: <what>: <strerror>[: <kernel's message>]"; returns
 * EXIT_KERNEL.
 */
int cli_kernel_error(const struct modclient *mc, const char *what, int err);

struct nl;
/* Open a NETLINK_XFRM socket; on failure say why and return the exit status. */
int cli_open_xfrm(struct nl *nl);
/* cli_kernel_error() for a NETLINK_XFRM socket. */
int cli_xfrm_error(const struct nl *nl, const char *what, int err);

/* usage.c */
void usage_full(FILE *f);
void usage_synopsis(FILE *f, const char *topic);

#endif
