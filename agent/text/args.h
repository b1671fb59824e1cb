/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_ARGS_H
#define AGENT_ARGS_H

#include <stddef.h>

struct binding;
struct nsconfig;

/*
 * Command-line words after the command into requests, checked before
 * anything is sent. On error the message names the offending word.
 */
enum args_result {
	ARGS_OK = 0,
	ARGS_BAD_VALUE = -1,	/* a value is wrong: print the message */
	ARGS_BAD_SYNTAX = -2,	/* unknown or missing keyword: add usage */
};

enum binding_args {
	BINDING_ARGS_FULL,	/* binding add: key and pins */
	BINDING_ARGS_KEY,	/* binding del/get, stats: "local ... peer ..."
				 * and the pin (reqid, spi, encap) */
};

/*
 * The one way an argument parser fails: the message @fmt into @err (@errlen
 * bytes), and @code (ARGS_BAD_VALUE or ARGS_BAD_SYNTAX) returned.
 */
int args_fail(int code, char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

int args_binding(int argc, char *const *argv, enum binding_args which,
		 struct binding *b, char *err, size_t errlen);
int args_nsconfig(int argc, char *const *argv, struct nsconfig *c,
		  char *err, size_t errlen);
/* "P[,P...]" or "none" */
int args_ports(const char *s, struct nsconfig *c, char *err, size_t errlen);

#endif
