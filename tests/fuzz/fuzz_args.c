// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_args: the parsers of words, as the command line and the
 * configuration file hand them over. The input is split at NUL bytes into
 * argv words (at most ARGS_MAX), and goes through args_binding() both
 * ways, args_nsconfig(), and with its first word args_ports(),
 * endpoint_parse(), parse_u32()/parse_u16(), log_level_parse().
 *
 * Checked: what is accepted survives the trip to netlink and back
 * (binding_put() then binding_parse(), nsconfig_put() then
 * nsconfig_parse()) and to text and back (endpoint_str(), numbers); error
 * messages are terminated.
 */

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>

#include "kernel/binding.h"
#include "lib/endpoint.h"
#include "text/args.h"
#include "fuzz.h"
#include "kernel/nl.h"
#include "kernel/nsconfig.h"
#include "lib/log.h"
#include "lib/number.h"
#include "text/output.h"

#define ARGS_MAX 32
#define WORDS_MAX 4096	/* longer inputs are cut: words are short */

static bool same_ep(const struct endpoint *a, const struct endpoint *b)
{
	return endpoint_equal(a, b);
}

/* The nest binding_put() wrote, parsed back. */
static void binding_round_trip(const struct binding *b)
{
	static char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	struct binding out;

	nlh = nl_genl_start(buf, FUZZ_MOD_FAMILY, 0, 1, 1);
	binding_put(nlh, b);
	FUZZ_ASSERT(nlh->nlmsg_len <= sizeof(buf));
	FUZZ_ASSERT(!binding_parse(mnl_nlmsg_get_payload_offset(nlh,
					sizeof(struct genlmsghdr)), &out));
	FUZZ_ASSERT(same_ep(&out.local, &b->local) && same_ep(&out.peer, &b->peer));
	FUZZ_ASSERT(out.reqid == b->reqid && out.spi == b->spi &&
		    out.encap_sport == b->encap_sport &&
		    out.encap_dport == b->encap_dport &&
		    out.l2tp_version == b->l2tp_version &&
		    out.v2_tunnel_id == b->v2_tunnel_id &&
		    out.allow_ah == b->allow_ah && out.mode_set == b->mode_set &&
		    out.mode == b->mode && out.owner == b->owner);
}

static void nsconfig_round_trip(const struct nsconfig *c)
{
	static char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	struct nsconfig out;

	nlh = nl_genl_start(buf, FUZZ_MOD_FAMILY, 0, 1, 1);
	nsconfig_put(nlh, c);
	FUZZ_ASSERT(!nsconfig_parse(mnl_nlmsg_get_payload_offset(nlh,
					sizeof(struct genlmsghdr)), &out));
	FUZZ_ASSERT(out.has_policy == c->has_policy && out.has_mode == c->has_mode &&
		    out.has_ports == c->has_ports &&
		    out.has_max_bindings == c->has_max_bindings);
	FUZZ_ASSERT(out.policy == c->policy && out.mode == c->mode &&
		    out.max_bindings == c->max_bindings && out.nports == c->nports);
	FUZZ_ASSERT(!memcmp(out.ports, c->ports, c->nports * sizeof(c->ports[0])));
}

static void one_binding(int argc, char **argv, enum binding_args which)
{
	char err[256];
	struct binding b;

	err[0] = '\0';
	if (args_binding(argc, argv, which, &b, err, sizeof(err))) {
		FUZZ_ASSERT(memchr(err, '\0', sizeof(err)));
		return;
	}
	FUZZ_RENDER(render_binding(&r, NULL, &b));
	binding_round_trip(&b);
}

static void one_word(const char *w)
{
	char err[256], text[ENDPOINT_STRLEN];
	struct endpoint ep, again;
	struct nsconfig c;
	uint32_t u32, back;
	uint16_t u16;
	int role;

	memset(&c, 0, sizeof(c));
	if (args_ports(w, &c, err, sizeof(err)) == 0)
		FUZZ_ASSERT(c.has_ports && c.nports <= L2TP_IPSEC_MAX_PORTS);

	for (role = ENDPOINT_LOCAL; role <= ENDPOINT_PEER; role++) {
		if (endpoint_parse(w, role, &ep, err, sizeof(err)))
			continue;
		endpoint_str(&ep, text, sizeof(text));
		FUZZ_ASSERT(!endpoint_parse(text, role, &again, err, sizeof(err)));
		FUZZ_ASSERT(endpoint_equal(&ep, &again));
	}

	if (!parse_u32(w, 0, UINT32_MAX, true, &u32)) {
		snprintf(text, sizeof(text), "%u", u32);
		FUZZ_ASSERT(!parse_u32(text, 0, UINT32_MAX, false, &back) &&
			    back == u32);
	}
	if (!parse_u16(w, 1, 65535, &u16))
		FUZZ_ASSERT(u16 >= 1);
	(void)log_level_parse(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char words[WORDS_MAX + 1];
	char *argv[ARGS_MAX + 1];
	struct nsconfig c;
	char err[256];
	size_t i, n = size < WORDS_MAX ? size : WORDS_MAX;
	int argc = 0;

	/* "a\0b\0c" is argv { "a", "b", "c" }: NUL ends a word as exec does. */
	memcpy(words, data, n);
	words[n] = '\0';
	argv[argc++] = words;
	for (i = 0; i < n && argc < ARGS_MAX; i++)
		if (!words[i])
			argv[argc++] = words + i + 1;
	argv[argc] = NULL;

	one_binding(argc, argv, BINDING_ARGS_FULL);
	one_binding(argc, argv, BINDING_ARGS_KEY);

	if (!args_nsconfig(argc, argv, &c, err, sizeof(err))) {
		FUZZ_RENDER(render_nsconfig(&r, &c));
		nsconfig_round_trip(&c);
	}
	one_word(argv[0]);
	return 0;
}
