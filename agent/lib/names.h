/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_NAMES_H
#define AGENT_NAMES_H

#include <stddef.h>

#include <linux/l2tp_ipsec.h>

/*
 * Names of the family's enums as the spec spells them ("require-ipsec",
 * "sa-mismatch"), and of the counters with '_' for '-' ("dropped_cleartext")
 * so that they can be JSON keys and shell words alike. Indexed by value;
 * NULL where a value has no name (counters' UNSPEC and PAD).
 */
extern const char *const policy_names[L2TP_IPSEC_POLICY_DROP + 1];
extern const char *const mode_names[L2TP_IPSEC_MODE_AUDIT + 1];
extern const char *const reason_names[L2TP_IPSEC_REASON_POLICY + 1];
extern const char *const counter_names[L2TP_IPSEC_A_STATS_MAX + 1];

#define NAMES_LEN(t) (sizeof(t) / sizeof((t)[0]))

/* Index of @s in @table, or -1. */
int name_lookup(const char *const *table, size_t n, const char *s);

/*
 * table[v], or v in decimal (into @buf) for a value a newer kernel knows and
 * this program does not.
 */
const char *name_of(const char *const *table, size_t n, unsigned int v,
		    char *buf, size_t len);

#endif
