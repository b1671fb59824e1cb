// SPDX-License-Identifier: GPL-2.0
/* Names of the l2tp_ipsec family's enums and counters. */

#include <stdio.h>
#include <string.h>

#include "lib/names.h"

const char *const policy_names[L2TP_IPSEC_POLICY_DROP + 1] = {
	[L2TP_IPSEC_POLICY_PASS]		= "pass",
	[L2TP_IPSEC_POLICY_REQUIRE_IPSEC]	= "require-ipsec",
	[L2TP_IPSEC_POLICY_DROP]		= "drop",
};

const char *const mode_names[L2TP_IPSEC_MODE_AUDIT + 1] = {
	[L2TP_IPSEC_MODE_INHERIT]	= "inherit",
	[L2TP_IPSEC_MODE_ENFORCE]	= "enforce",
	[L2TP_IPSEC_MODE_AUDIT]		= "audit",
};

const char *const reason_names[L2TP_IPSEC_REASON_POLICY + 1] = {
	[L2TP_IPSEC_REASON_NONE]		= "none",
	[L2TP_IPSEC_REASON_CLEARTEXT]		= "cleartext",
	[L2TP_IPSEC_REASON_PROTO_MODE]		= "proto-mode",
	[L2TP_IPSEC_REASON_SA_MISMATCH]		= "sa-mismatch",
	[L2TP_IPSEC_REASON_ADDR_MISMATCH]	= "addr-mismatch",
	[L2TP_IPSEC_REASON_TUNNEL_ID]		= "tunnel-id",
	[L2TP_IPSEC_REASON_MALFORMED]		= "malformed",
	[L2TP_IPSEC_REASON_POLICY]		= "policy",
};

const char *const counter_names[L2TP_IPSEC_A_STATS_MAX + 1] = {
	[L2TP_IPSEC_A_STATS_ACCEPTED]			= "accepted",
	[L2TP_IPSEC_A_STATS_ACCEPTED_UNBOUND]		= "accepted_unbound",
	[L2TP_IPSEC_A_STATS_DROPPED_CLEARTEXT]		= "dropped_cleartext",
	[L2TP_IPSEC_A_STATS_DROPPED_PROTO_MODE]		= "dropped_proto_mode",
	[L2TP_IPSEC_A_STATS_DROPPED_SA_MISMATCH]	= "dropped_sa_mismatch",
	[L2TP_IPSEC_A_STATS_DROPPED_ADDR_MISMATCH]	= "dropped_addr_mismatch",
	[L2TP_IPSEC_A_STATS_DROPPED_TUNNEL_ID]		= "dropped_tunnel_id",
	[L2TP_IPSEC_A_STATS_DROPPED_MALFORMED]		= "dropped_malformed",
	[L2TP_IPSEC_A_STATS_DROPPED_POLICY]		= "dropped_policy",
	[L2TP_IPSEC_A_STATS_AUDITED]			= "audited",
};

int name_lookup(const char *const *table, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (table[i] && !strcmp(table[i], s))
			return (int)i;
	return -1;
}

const char *name_of(const char *const *table, size_t n, unsigned int v,
		    char *buf, size_t len)
{
	if (v < n && table[v])
		return table[v];
	snprintf(buf, len, "%u", v);
	return buf;
}
