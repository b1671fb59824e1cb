// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's name tables against the UAPI enums: every value has the name
 * its C identifier spells (counters with '_', enums with '-'), and the
 * counter names are exactly the documented JSON keys.
 */

#include <ctype.h>

#include "harness.h"
#include "lib/names.h"

struct ident {
	unsigned int value;
	const char *id;		/* identifier without its prefix */
};

#define STATS(x) { L2TP_IPSEC_A_STATS_##x, #x }
static const struct ident stats_ids[] = {
	STATS(ACCEPTED), STATS(ACCEPTED_UNBOUND), STATS(DROPPED_CLEARTEXT),
	STATS(DROPPED_PROTO_MODE), STATS(DROPPED_SA_MISMATCH),
	STATS(DROPPED_ADDR_MISMATCH), STATS(DROPPED_TUNNEL_ID),
	STATS(DROPPED_MALFORMED), STATS(DROPPED_POLICY), STATS(AUDITED),
};

#define POLICY(x) { L2TP_IPSEC_POLICY_##x, #x }
static const struct ident policy_ids[] = {
	POLICY(PASS), POLICY(REQUIRE_IPSEC), POLICY(DROP),
};

#define MODE(x) { L2TP_IPSEC_MODE_##x, #x }
static const struct ident mode_ids[] = {
	MODE(INHERIT), MODE(ENFORCE), MODE(AUDIT),
};

#define REASON(x) { L2TP_IPSEC_REASON_##x, #x }
static const struct ident reason_ids[] = {
	REASON(NONE), REASON(CLEARTEXT), REASON(PROTO_MODE), REASON(SA_MISMATCH),
	REASON(ADDR_MISMATCH), REASON(TUNNEL_ID), REASON(MALFORMED),
	REASON(POLICY),
};

/* The JSON counter keys, in the UAPI's order, as documented. */
static const char *const documented_counters[] = {
	"accepted", "accepted_unbound", "dropped_cleartext", "dropped_proto_mode",
	"dropped_sa_mismatch", "dropped_addr_mismatch", "dropped_tunnel_id",
	"dropped_malformed", "dropped_policy", "audited",
};

static void spelled(const char *id, char sep, char *out, size_t len)
{
	size_t i;

	for (i = 0; id[i] && i + 1 < len; i++)
		out[i] = id[i] == '_' ? sep : (char)tolower((unsigned char)id[i]);
	out[i] = '\0';
}

static void check_table(const char *what, const char *const *table, size_t n,
			const struct ident *ids, size_t nids, unsigned int max,
			char sep)
{
	char want[64];
	size_t i;
	bool ok;

	for (i = 0; i < nids; i++) {
		spelled(ids[i].id, sep, want, sizeof(want));
		ok = ids[i].value < n && same_str(table[ids[i].value], want);
		check(ok, "%s name of %s is '%s'", what, ids[i].id, want);
	}
	/* A value added to the UAPI without a name here shows up as a gap. */
	ok = n == max + 1;
	for (i = 0; ok && i < n; i++)
		ok = table[i] != NULL || (fprintf(stderr, "  %zu unnamed\n", i), false);
	check(ok, "%s table covers the UAPI enum", what);
}

int main(void)
{
	unsigned int t;
	size_t i;
	bool ok;

	check_table("policy", policy_names, NAMES_LEN(policy_names), policy_ids,
		    ARRAY_SIZE(policy_ids), L2TP_IPSEC_POLICY_DROP, '-');
	check_table("mode", mode_names, NAMES_LEN(mode_names), mode_ids,
		    ARRAY_SIZE(mode_ids), L2TP_IPSEC_MODE_AUDIT, '-');
	check_table("reason", reason_names, NAMES_LEN(reason_names), reason_ids,
		    ARRAY_SIZE(reason_ids), L2TP_IPSEC_REASON_POLICY, '-');

	for (i = 0; i < ARRAY_SIZE(stats_ids); i++) {
		char want[64];

		spelled(stats_ids[i].id, '_', want, sizeof(want));
		check(same_str(counter_names[stats_ids[i].value], want),
		      "counter name of L2TP_IPSEC_A_STATS_%s is '%s'",
		      stats_ids[i].id, want);
	}

	/* Every attribute after PAD is a counter with a name; UNSPEC, PAD have none. */
	ok = NAMES_LEN(counter_names) == L2TP_IPSEC_A_STATS_MAX + 1 &&
	     !counter_names[L2TP_IPSEC_A_STATS_UNSPEC] &&
	     !counter_names[L2TP_IPSEC_A_STATS_PAD];
	for (t = L2TP_IPSEC_A_STATS_PAD + 1; ok && t <= L2TP_IPSEC_A_STATS_MAX; t++)
		ok = counter_names[t] != NULL;
	check(ok && ARRAY_SIZE(stats_ids) ==
		    L2TP_IPSEC_A_STATS_MAX - L2TP_IPSEC_A_STATS_PAD,
	      "counter table covers L2TP_IPSEC_A_STATS_PAD+1..L2TP_IPSEC_A_STATS_MAX");

	ok = ARRAY_SIZE(documented_counters) ==
	     L2TP_IPSEC_A_STATS_MAX - L2TP_IPSEC_A_STATS_PAD;
	for (i = 0; ok && i < ARRAY_SIZE(documented_counters); i++)
		ok = same_str(counter_names[L2TP_IPSEC_A_STATS_PAD + 1 + i],
			      documented_counters[i]);
	check(ok, "counter names are the documented JSON keys, in order");

	check(name_lookup(policy_names, NAMES_LEN(policy_names), "require-ipsec") ==
	      L2TP_IPSEC_POLICY_REQUIRE_IPSEC &&
	      name_lookup(policy_names, NAMES_LEN(policy_names), "require_ipsec") == -1 &&
	      name_lookup(mode_names, NAMES_LEN(mode_names), "Audit") == -1,
	      "name_lookup is exact");
	{
		char buf[12];

		check(same_str(name_of(mode_names, NAMES_LEN(mode_names), 7, buf,
				       sizeof(buf)), "7"),
		      "name_of prints an unknown value as its number");
	}
	return harness_exit();
}
