/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_CLI_H
#define AGENT_CLI_H

#include <stdbool.h>
#include <stddef.h>
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
typedef int (*cli_fn)(const struct cli *cli, int argc, char **argv);

struct cli_group;

/**
 * struct cli_cmd - a row of a command table
 * @name: the command's word ("stats", "add")
 * @fn: what runs it; NULL for a group of subcommands
 * @synopsis: its usage line, as "l2tp-ipsec help" prints it (lines after
 *	the first indented, each ended by a newline); NULL for a group
 * @group: the subcommands of a group ("binding"), NULL for a command
 */
struct cli_cmd {
	const char *name;
	cli_fn fn;
	const char *synopsis;
	const struct cli_group *group;
};

/**
 * struct cli_group - a command table: the top level or a group's
 *	subcommands; dispatch, usage errors and the help text's synopsis all
 *	come from it
 * @name: the group's word ("binding"), NULL at the top level
 * @cmds: the rows, in the order of the help text
 * @n: how many
 */
struct cli_group {
	const char *name;
	const struct cli_cmd *cmds;
	size_t n;
};

/* Rows: a command, a group; a table. */
#define CLI_CMD(name, fn, synopsis) { (name), (fn), (synopsis), NULL }
#define CLI_SUB(name, group) { (name), NULL, NULL, &(group) }
#define CLI_GROUP(name, rows) { (name), (rows), sizeof(rows) / sizeof((rows)[0]) }

/* The top level (main.c) and the groups, one per cmd_*.c. */
extern const struct cli_group cli_commands;
extern const struct cli_group binding_cmds;
extern const struct cli_group tunnel_cmds;
extern const struct cli_group config_cmds;
extern const struct cli_group spd_cmds;

int cmd_stats(const struct cli *cli, int argc, char **argv);
int cmd_monitor(const struct cli *cli, int argc, char **argv);
int cmd_agent(const struct cli *cli, int argc, char **argv);
int cmd_show(const struct cli *cli, int argc, char **argv);
int cmd_sockets(const struct cli *cli, int argc, char **argv);

struct l2tp_client;
/*
 * cli_open() and the kernel's L2TP family on the same socket (cmd_tunnel.c).
 * An exit status: EXIT_OK, or the error was reported.
 */
int cli_open_l2tp(struct modclient *mc, struct l2tp_client *lc);

/* "l2tp-ipsec: <message>" on stderr */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Report a bad command line, with the synopsis of @topic (a top-level
 * command: "binding", "stats", ...; NULL: every command) if @with_usage.
 * Returns EXIT_USAGE.
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
