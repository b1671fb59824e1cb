/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_STATS_H
#define AGENT_STATS_H

#include "kernel/counters.h"

struct binding;
struct modclient;

/* The namespace's counters, or those of the binding with @key's key. */
int stats_get(struct modclient *mc, const struct binding *key,
	      struct counters *c);

#endif
