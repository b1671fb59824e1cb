/* SPDX-License-Identifier: GPL-2.0 */
#ifndef FUZZ_NL_H
#define FUZZ_NL_H

#include <stddef.h>

#include "kernel/nl.h"

/* The datagram that answers every request from now on (not copied). */
void fuzz_nl_reply(const void *buf, size_t len);

/* A struct nl without a socket: port id FUZZ_PORTID, see fuzz_nl.c. */
void fuzz_nl_init(struct nl *nl);

#endif
