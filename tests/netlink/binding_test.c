// SPDX-License-Identifier: GPL-2.0
/*
 * binding_test - the l2tp_ipsec generic netlink family: every operation, the
 * round trip of every attribute, and every rejection with its exact errno and
 * the extack message that says why. binding-add's rejections are one table,
 * the variants of fixture add_rejects, each also naming the attribute the
 * extack must point at.
 *
 * Runs as root with l2tp_ipsec.ko loaded; every test gets a fresh network
 * namespace (see nltest.h).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "kselftest_harness.h"
#include "nltest.h"

/* The documentation ranges of RFC 5737 / RFC 3849. */
#define L4	"192.0.2.1"
#define P4	"198.51.100.7"
#define L6	"2001:db8::1"
#define P6	"2001:db8:1::7"

static void base_v4(struct binding *b)
{
	binding_v4(b, L4, 1701, P4, 1701);
}

static void assert_stats_zero(struct __test_metadata *_metadata,
			      const struct stats *s, uint32_t want_present)
{
	int i;

	ASSERT_EQ(want_present, s->present)
		TH_LOG("counters present 0x%x, expected 0x%x", s->present, want_present);
	for (i = 0; i <= L2TP_IPSEC_A_STATS_MAX; i++) {
		uint64_t v = s->v[i];

		ASSERT_EQ(0, v) TH_LOG("counter %d is %ju", i, (uintmax_t)v);
	}
}

/*
 * @got (a get or dump reply) carries @sent's attributes, ID and STATS, with
 * @sent's values; implied defaults are tolerated (binding_reply_bits()).
 */
static void assert_same_binding(struct __test_metadata *_metadata,
				const struct binding *sent, const struct binding *got)
{
	uint32_t want = sent->present | B_BIT(ID) | B_BIT(STATS);
	uint32_t have = binding_reply_bits(sent, got);
	char s1[128];

	ASSERT_EQ(want, have)
		TH_LOG("%s: attribute set 0x%x, expected 0x%x (sent 0x%x + id + stats)",
		       binding_str(sent, s1, sizeof(s1)), got->present, want,
		       sent->present);
	if (sent->present & B_BIT(LOCAL_IPV4))
		ASSERT_EQ(sent->local4, got->local4);
	if (sent->present & B_BIT(LOCAL_IPV6))
		ASSERT_EQ(0, memcmp(&sent->local6, &got->local6, 16));
	if (sent->present & B_BIT(PEER_IPV4))
		ASSERT_EQ(sent->peer4, got->peer4);
	if (sent->present & B_BIT(PEER_IPV6))
		ASSERT_EQ(0, memcmp(&sent->peer6, &got->peer6, 16));
	ASSERT_EQ(sent->local_port, got->local_port);
	ASSERT_EQ(sent->peer_port, got->peer_port);
	ASSERT_EQ(sent->reqid, got->reqid);
	ASSERT_EQ(sent->spi, got->spi);
	ASSERT_EQ(sent->encap_sport, got->encap_sport);
	ASSERT_EQ(sent->encap_dport, got->encap_dport);
	if (sent->present & B_BIT(L2TP_VERSION))
		ASSERT_EQ(sent->version, got->version);
	ASSERT_EQ(sent->v2_tunnel_id, got->v2_tunnel_id);
	ASSERT_EQ(sent->mode, got->mode);	/* 0 (inherit) when not given */
	ASSERT_EQ(sent->owner, got->owner);
	assert_stats_zero(_metadata, &got->stats, S_BINDING_BITS);
}

/* Add @b, get it back by its key, compare, and find it in the dump. */
static void roundtrip(struct __test_metadata *_metadata, struct nlh *h,
		      const struct binding *b)
{
	struct binding got, dumped[4];
	struct dump d = { .bindings = dumped, .cap = ARRAY_SIZE(dumped) };
	int err;

	err = nlh_binding_add(h, b);
	ASSERT_EQ(0, err) TH_LOG("add: %s (extack \"%s\")", errname(err), h->ext_msg);
	err = nlh_binding_get(h, b, &got);
	ASSERT_EQ(0, err) TH_LOG("get: %s (extack \"%s\")", errname(err), h->ext_msg);
	assert_same_binding(_metadata, b, &got);

	err = nlh_binding_dump(h, &d);
	ASSERT_EQ(0, err) TH_LOG("dump: %s", errname(err));
	ASSERT_EQ(0, d.bad);
	ASSERT_EQ(1, d.count);
	assert_same_binding(_metadata, b, &dumped[0]);
	ASSERT_EQ(got.id, dumped[0].id);
	ASSERT_NUM_BINDINGS(h, 1);
}

/* ======================================================================== */
/* The family */

NL_FIXTURE(family);

TEST_F(family, resolves_in_new_netns_with_version_1)
{
	/* The fixture resolved it in a fresh namespace: netnsok. */
	ASSERT_NE(0, self->h.family);
	ASSERT_EQ(L2TP_IPSEC_GENL_VERSION, self->h.version);
	/* maxattr is 0 with per-op policies in 6.1, so not checked. */
}

TEST_F(family, ops_and_admin_perm_flags)
{
	static const struct {
		int cmd;
		uint32_t want;	/* flags that must be set */
		bool admin;
	} ops[] = {
		{ L2TP_IPSEC_CMD_BINDING_ADD, GENL_CMD_CAP_DO, true },
		{ L2TP_IPSEC_CMD_BINDING_DEL, GENL_CMD_CAP_DO, true },
		{ L2TP_IPSEC_CMD_BINDING_GET, GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP, false },
		{ L2TP_IPSEC_CMD_BINDING_FLUSH, GENL_CMD_CAP_DO, true },
		{ L2TP_IPSEC_CMD_CONFIG_GET, GENL_CMD_CAP_DO, false },
		{ L2TP_IPSEC_CMD_CONFIG_SET, GENL_CMD_CAP_DO, true },
		{ L2TP_IPSEC_CMD_STATS_GET, GENL_CMD_CAP_DO, false },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		const struct nlh_op *op = &self->h.ops[ops[i].cmd];

		ASSERT_TRUE(op->present) TH_LOG("command %d not registered", ops[i].cmd);
		ASSERT_EQ(ops[i].want, op->flags & ops[i].want)
			TH_LOG("command %d flags 0x%x", ops[i].cmd, op->flags);
		ASSERT_EQ(ops[i].admin, !!(op->flags & GENL_ADMIN_PERM))
			TH_LOG("command %d flags 0x%x: GENL_ADMIN_PERM must be %s",
			       ops[i].cmd, op->flags, ops[i].admin ? "set" : "clear");
		/* Strict per-op policies: every op that takes input has one. */
		if (ops[i].cmd != L2TP_IPSEC_CMD_BINDING_FLUSH &&
		    ops[i].cmd != L2TP_IPSEC_CMD_CONFIG_GET)
			ASSERT_TRUE(op->flags & GENL_CMD_CAP_HASPOL)
				TH_LOG("command %d has no policy", ops[i].cmd);
	}
	ASSERT_FALSE(self->h.ops[L2TP_IPSEC_CMD_VIOLATION_NTF].present)
		TH_LOG("the notification must not be a request op");
}

TEST_F(family, events_group_resolves_and_joins)
{
	ASSERT_NE(0, self->h.events_grp) TH_LOG("no multicast group \"events\"");
	ASSERT_OK(nlh_join_events(&self->h));
}

TEST_F(family, unknown_command_rejected)
{
	struct nlmsghdr *req = nlh_req(&self->h, L2TP_IPSEC_CMD_VIOLATION_NTF, 0);

	ASSERT_ERR(EOPNOTSUPP, nlh_talk(&self->h, req, NULL, NULL));
	req = nlh_req(&self->h, 200, 0);
	ASSERT_ERR(EOPNOTSUPP, nlh_talk(&self->h, req, NULL, NULL));
}

/* ======================================================================== */
/* Bindings: what works */

NL_FIXTURE(binding);

TEST_F(binding, add_v4_exact_every_attribute_roundtrips)
{
	struct binding b;

	base_v4(&b);
	BSET(&b, REQID, reqid, 0x12345678);
	BSET(&b, SPI, spi, 0xc0ffee01);
	BSET(&b, ENCAP_SPORT, encap_sport, 31000);
	BSET(&b, ENCAP_DPORT, encap_dport, 4500);
	BSET(&b, L2TP_VERSION, version, 2);
	BSET(&b, V2_TUNNEL_ID, v2_tunnel_id, 0xbeef);
	b.present |= B_BIT(ALLOW_AH);
	BSET(&b, MODE, mode, L2TP_IPSEC_MODE_AUDIT);
	BSET(&b, OWNER, owner, 0x6c327470);
	roundtrip(_metadata, &self->h, &b);
}

TEST_F(binding, add_v6_exact_every_attribute_roundtrips)
{
	struct binding b;

	binding_v6(&b, L6, 1701, P6, 40000);
	BSET(&b, REQID, reqid, 1);
	BSET(&b, SPI, spi, 256);
	BSET(&b, ENCAP_SPORT, encap_sport, 65535);
	BSET(&b, ENCAP_DPORT, encap_dport, 1);
	BSET(&b, L2TP_VERSION, version, 3);
	BSET(&b, MODE, mode, L2TP_IPSEC_MODE_ENFORCE);
	roundtrip(_metadata, &self->h, &b);
}

TEST_F(binding, add_v4_key_only_replies_key_id_stats)
{
	struct binding b;

	base_v4(&b);
	roundtrip(_metadata, &self->h, &b);
}

TEST_F(binding, get_replies_only_the_attributes_given)
{
	struct binding b, got;
	struct binding dumped[2];
	struct dump d = { .bindings = dumped, .cap = ARRAY_SIZE(dumped) };

	/* UAPI: the reply holds ID, STATS and "every attribute given at add
	 * time"; nothing else, so absent stays distinguishable from a value.
	 */
	binding_v4(&b, L4, 1701, P4, 0);
	ASSERT_OK(nlh_binding_add(&self->h, &b));
	ASSERT_OK(nlh_binding_get(&self->h, &b, &got));
	ASSERT_EQ(b.present | B_BIT(ID) | B_BIT(STATS), got.present)
		TH_LOG("get: attributes 0x%x, sent 0x%x (extra: 0x%x)", got.present,
		       b.present, got.present & ~(b.present | B_BIT(ID) | B_BIT(STATS)));
	ASSERT_OK(nlh_binding_dump(&self->h, &d));
	ASSERT_EQ(1, d.count);
	ASSERT_EQ(b.present | B_BIT(ID) | B_BIT(STATS), dumped[0].present)
		TH_LOG("dump: attributes 0x%x, sent 0x%x", dumped[0].present, b.present);
}

TEST_F(binding, add_v4_peer_port_wildcard)
{
	struct binding b;

	binding_v4(&b, L4, 1701, P4, 0);
	BSET(&b, L2TP_VERSION, version, 2);
	BSET(&b, V2_TUNNEL_ID, v2_tunnel_id, 1);
	roundtrip(_metadata, &self->h, &b);
}

TEST_F(binding, add_v6_peer_port_wildcard)
{
	struct binding b;

	binding_v6(&b, L6, 1701, P6, 0);
	BSET(&b, REQID, reqid, 7);
	roundtrip(_metadata, &self->h, &b);
}

TEST_F(binding, add_v4_listener)
{
	struct binding b;

	binding_v4(&b, L4, 1701, NULL, 0);
	BSET(&b, L2TP_VERSION, version, 2);
	b.present |= B_BIT(ALLOW_AH);
	roundtrip(_metadata, &self->h, &b);
}

TEST_F(binding, add_v6_listener)
{
	struct binding b;

	binding_v6(&b, L6, 65535, NULL, 0);
	BSET(&b, MODE, mode, L2TP_IPSEC_MODE_AUDIT);
	roundtrip(_metadata, &self->h, &b);
}

TEST_F(binding, add_accepts_boundary_values)
{
	struct binding b;

	binding_v4(&b, L4, 65535, P4, 65535);
	BSET(&b, REQID, reqid, UINT32_MAX);
	BSET(&b, SPI, spi, UINT32_MAX);
	BSET(&b, ENCAP_SPORT, encap_sport, 1);
	BSET(&b, ENCAP_DPORT, encap_dport, 65535);
	BSET(&b, V2_TUNNEL_ID, v2_tunnel_id, 65535);
	roundtrip(_metadata, &self->h, &b);
}

TEST_F(binding, add_accepts_mode_inherit)
{
	struct binding b;

	base_v4(&b);
	BSET(&b, MODE, mode, L2TP_IPSEC_MODE_INHERIT);
	ASSERT_OK(nlh_binding_add(&self->h, &b));
	ASSERT_NUM_BINDINGS(&self->h, 1);
}

TEST_F(binding, exact_wildcard_listener_are_distinct_keys)
{
	struct binding k[6], got;
	uint32_t id[6];
	int i, j;

	binding_v4(&k[0], L4, 1701, P4, 1701);
	binding_v4(&k[1], L4, 1701, P4, 0);
	binding_v4(&k[2], L4, 1701, NULL, 0);
	binding_v6(&k[3], L6, 1701, P6, 1701);
	binding_v6(&k[4], L6, 1701, P6, 0);
	binding_v6(&k[5], L6, 1701, NULL, 0);
	for (i = 0; i < 6; i++) {
		BSET(&k[i], REQID, reqid, 100 + i);
		ASSERT_OK(nlh_binding_add(&self->h, &k[i]));
	}
	ASSERT_NUM_BINDINGS(&self->h, 6);

	/* Every key finds its own binding, not a wider or narrower one. */
	for (i = 0; i < 6; i++) {
		ASSERT_OK(nlh_binding_get(&self->h, &k[i], &got));
		assert_same_binding(_metadata, &k[i], &got);
		id[i] = got.id;
		for (j = 0; j < i; j++)
			ASSERT_NE(id[j], id[i])
				TH_LOG("bindings %d and %d share id %u", j, i, id[i]);
	}

	/* Deleting the peer-port wildcard leaves the exact and the listener. */
	ASSERT_OK(nlh_binding_del(&self->h, &k[1]));
	ASSERT_ERR(ENOENT, nlh_binding_get(&self->h, &k[1], &got));
	ASSERT_OK(nlh_binding_get(&self->h, &k[0], &got));
	ASSERT_EQ(id[0], got.id);
	ASSERT_OK(nlh_binding_get(&self->h, &k[2], &got));
	ASSERT_EQ(id[2], got.id);
	ASSERT_NUM_BINDINGS(&self->h, 5);

	/* Now the listener: the exact one stays. */
	ASSERT_OK(nlh_binding_del(&self->h, &k[5]));
	ASSERT_OK(nlh_binding_get(&self->h, &k[3], &got));
	ASSERT_EQ(id[3], got.id);
	ASSERT_NUM_BINDINGS(&self->h, 4);
}

TEST_F(binding, get_is_exact_match_not_lookup)
{
	struct binding exact, wild, listener, got;

	binding_v4(&exact, L4, 1701, P4, 1701);
	binding_v4(&wild, L4, 1701, P4, 0);
	binding_v4(&listener, L4, 1701, NULL, 0);
	ASSERT_OK(nlh_binding_add(&self->h, &exact));
	ASSERT_ERR(ENOENT, nlh_binding_get(&self->h, &wild, &got));
	ASSERT_ERR(ENOENT, nlh_binding_get(&self->h, &listener, &got));
	ASSERT_ERR(ENOENT, nlh_binding_del(&self->h, &wild));
	ASSERT_ERR(ENOENT, nlh_binding_del(&self->h, &listener));
	ASSERT_OK(nlh_binding_get(&self->h, &exact, &got));
	ASSERT_NUM_BINDINGS(&self->h, 1);
}

TEST_F(binding, dump_empty)
{
	struct dump d = { 0 };

	ASSERT_OK(nlh_binding_dump(&self->h, &d));
	ASSERT_EQ(0, d.count);
}

TEST_F(binding, dump_lists_all_in_id_order)
{
	struct binding k[8], got[8];
	struct dump d = { .bindings = got, .cap = ARRAY_SIZE(got) };
	uint32_t ids[8];
	char peer[64];
	int i, j;

	for (i = 0; i < 8; i++) {
		if (i & 1) {
			snprintf(peer, sizeof(peer), "2001:db8:1::%d", i + 1);
			binding_v6(&k[i], L6, 1701, peer, 1701 + i);
		} else {
			snprintf(peer, sizeof(peer), "198.51.100.%d", i + 1);
			binding_v4(&k[i], L4, 1701, peer, 1701 + i);
		}
		BSET(&k[i], SPI, spi, 1000 + i);
		ASSERT_OK(nlh_binding_add(&self->h, &k[i]));
		ASSERT_OK(nlh_binding_get(&self->h, &k[i], &got[0]));
		ids[i] = got[0].id;
	}
	ASSERT_OK(nlh_binding_dump(&self->h, &d));
	ASSERT_EQ(0, d.bad);
	ASSERT_EQ(8, d.count);
	for (i = 0; i < 8; i++) {
		if (i)
			ASSERT_LT(got[i - 1].id, got[i].id) TH_LOG("dump not in id order");
		for (j = 0; j < 8; j++)
			if (ids[j] == got[i].id)
				break;
		ASSERT_LT(j, 8) TH_LOG("dumped id %u was never added", got[i].id);
		assert_same_binding(_metadata, &k[j], &got[i]);
	}
}

TEST_F(binding, del_removes_only_that_binding)
{
	struct binding a, b, got;

	binding_v4(&a, L4, 1701, P4, 1701);
	binding_v4(&b, L4, 1701, P4, 1702);
	ASSERT_OK(nlh_binding_add(&self->h, &a));
	ASSERT_OK(nlh_binding_add(&self->h, &b));
	ASSERT_OK(nlh_binding_del(&self->h, &a));
	ASSERT_ERR(ENOENT, nlh_binding_get(&self->h, &a, &got));
	ASSERT_OK(nlh_binding_get(&self->h, &b, &got));
	ASSERT_NUM_BINDINGS(&self->h, 1);
	/* And it can come back. */
	ASSERT_OK(nlh_binding_add(&self->h, &a));
	ASSERT_NUM_BINDINGS(&self->h, 2);
}

TEST_F(binding, flush_removes_all)
{
	struct binding b;
	struct dump d = { 0 };
	char peer[32];
	int i;

	ASSERT_OK(nlh_binding_flush(&self->h));	/* empty: fine */
	for (i = 0; i < 20; i++) {
		snprintf(peer, sizeof(peer), "198.51.100.%d", i + 1);
		binding_v4(&b, L4, 1701, peer, 0);
		ASSERT_OK(nlh_binding_add(&self->h, &b));
	}
	binding_v6(&b, L6, 1701, NULL, 0);
	ASSERT_OK(nlh_binding_add(&self->h, &b));
	ASSERT_NUM_BINDINGS(&self->h, 21);
	ASSERT_OK(nlh_binding_flush(&self->h));
	ASSERT_NUM_BINDINGS(&self->h, 0);
	ASSERT_OK(nlh_binding_dump(&self->h, &d));
	ASSERT_EQ(0, d.count);
	/* Usable afterwards. */
	ASSERT_OK(nlh_binding_add(&self->h, &b));
	ASSERT_NUM_BINDINGS(&self->h, 1);
}

/* ======================================================================== */
/* Bindings: rejections */

/*
 * One step of building a request from a table: put an attribute (its type
 * and payload), a nest of steps or a group of steps, or mark the attribute
 * that follows as the one the kernel's extack must point at
 * (NLMSGERR_ATTR_OFFS).
 */
enum step_kind {
	S_END,			/* ends a list */
	S_U8, S_U16, S_U32,	/* .num */
	S_IN4, S_IN6,		/* .addr, text for inet_pton() */
	S_BYTES,		/* .len bytes at .data */
	S_NEST,			/* nest .type holding the steps .sub (NULL: none) */
	S_NEST_NOFLAG,		/* the same with NLA_F_NESTED cleared */
	S_GROUP,		/* the steps .sub, in place */
	S_BAD,			/* the next attribute is the offending one */
};

struct step {
	enum step_kind kind;
	uint16_t type;
	uint32_t num;
	const char *addr;
	uint16_t len;
	const uint8_t *data;
	const struct step *sub;
};

#define STEPS(...)		((const struct step[]){ __VA_ARGS__, { .kind = S_END } })
#define PRIOR(...)		((const struct step *const[]){ __VA_ARGS__, NULL })

#define BA(A)			L2TP_IPSEC_A_BINDING_##A
#define PUT_U8(t, v)		{ .kind = S_U8, .type = (t), .num = (v) }
#define PUT_U16(t, v)		{ .kind = S_U16, .type = (t), .num = (v) }
#define PUT_U32(t, v)		{ .kind = S_U32, .type = (t), .num = (v) }
#define PUT_BYTES(t, ...)	{ .kind = S_BYTES, .type = (t),			\
				  .len = sizeof((const uint8_t[]){ __VA_ARGS__ }), \
				  .data = (const uint8_t[]){ __VA_ARGS__ } }
#define PUT_MEM(t, n, p)	{ .kind = S_BYTES, .type = (t), .len = (n), .data = (p) }
#define NEST(t, ...)		{ .kind = S_NEST, .type = (t), .sub = STEPS(__VA_ARGS__) }
#define EMPTY_NEST(t)		{ .kind = S_NEST, .type = (t) }
#define NEST_NOFLAG(t, ...)	{ .kind = S_NEST_NOFLAG, .type = (t), .sub = STEPS(__VA_ARGS__) }
#define GROUP(...)		{ .kind = S_GROUP, .sub = STEPS(__VA_ARGS__) }
#define BAD			{ .kind = S_BAD }
/* Binding attributes by the tail of their name, and their nest. */
#define U8(A, v)		PUT_U8(BA(A), v)
#define U16(A, v)		PUT_U16(BA(A), v)
#define U32(A, v)		PUT_U32(BA(A), v)
#define IN4(A, s)		{ .kind = S_IN4, .type = BA(A), .addr = (s) }
#define IN6(A, s)		{ .kind = S_IN6, .type = BA(A), .addr = (s) }
#define BINDING(...)		NEST(L2TP_IPSEC_A_BINDING, __VA_ARGS__)

/* The parts of base_v4()'s key, and the IPv6 addresses. */
#define LOCAL4			IN4(LOCAL_IPV4, L4)
#define PEER4			IN4(PEER_IPV4, P4)
#define LOCAL6			IN6(LOCAL_IPV6, L6)
#define PEER6			IN6(PEER_IPV6, P6)
#define LPORT			U16(LOCAL_PORT, 1701)
#define PPORT			U16(PEER_PORT, 1701)
#define KEY4			GROUP(LOCAL4, LPORT, PEER4, PPORT)

/* 2001:db8::1 and a zero byte: IPv6 attributes of 4, 15 and 17 bytes. */
static const uint8_t addr6_17[17] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

NL_FIXTURE(add_rejects);

/*
 * A binding-add the module must refuse: with errno @err, an extack message
 * containing @msg, pointing at the attribute after BAD in @req (and at none
 * if there is no BAD), naming @miss as missing (0: none), and adding
 * nothing. @max_bindings (0: the default) is set and the @prior bindings
 * are added first; for such a case the rejection must be theirs: with the
 * first of them deleted, the same request passes.
 */
FIXTURE_VARIANT(add_rejects) {
	const struct step *req;
	int err;
	const char *msg;
	uint16_t miss;
	uint32_t max_bindings;
	const struct step *const *prior;
};

/* The request's structure. */
FIXTURE_VARIANT_ADD(add_rejects, missing_nest) {
	.req = (const struct step[]){ { .kind = S_END } },
	.err = EINVAL, .msg = "Binding attribute missing",
	.miss = L2TP_IPSEC_A_BINDING,
};

FIXTURE_VARIANT_ADD(add_rejects, empty_nest) {
	.req = STEPS(BAD, EMPTY_NEST(L2TP_IPSEC_A_BINDING)),
	.err = EINVAL, .msg = "Local address missing",
};

FIXTURE_VARIANT_ADD(add_rejects, nest_without_nested_flag) {
	.req = STEPS(BAD, NEST_NOFLAG(L2TP_IPSEC_A_BINDING, KEY4)),
	.err = EINVAL, .msg = "NLA_F_NESTED is missing",
};

FIXTURE_VARIANT_ADD(add_rejects, unknown_top_level_attr) {
	.req = STEPS(BINDING(KEY4), BAD, PUT_U32(200, 1)),
	.err = EINVAL, .msg = "Unknown attribute type",
};

/* Per-op policy: binding-add takes the binding nest only. */
FIXTURE_VARIANT_ADD(add_rejects, config_attr) {
	.req = STEPS(BINDING(KEY4), BAD,
		     NEST(L2TP_IPSEC_A_CONFIG,
			  PUT_U8(L2TP_IPSEC_A_CONFIG_POLICY, L2TP_IPSEC_POLICY_DROP))),
	.err = EINVAL, .msg = "Unknown attribute type",
};

FIXTURE_VARIANT_ADD(add_rejects, unknown_attr_in_nest) {
	.req = STEPS(BINDING(KEY4, BAD, PUT_U32(200, 1))),
	.err = EINVAL, .msg = "Unknown attribute type",
};

FIXTURE_VARIANT_ADD(add_rejects, type_past_max_in_nest) {
	.req = STEPS(BINDING(KEY4, BAD, PUT_U32(L2TP_IPSEC_A_BINDING_MAX + 1, 1))),
	.err = EINVAL, .msg = "Unknown attribute type",
};

FIXTURE_VARIANT_ADD(add_rejects, type_0_in_nest) {
	.req = STEPS(BINDING(KEY4, BAD, PUT_U32(0, 1))),
	.err = EINVAL, .msg = "Unknown attribute type",
};

/* Reply-only attributes have no policy entry: strict validation refuses them. */
FIXTURE_VARIANT_ADD(add_rejects, id_attr) {
	.req = STEPS(BINDING(KEY4, BAD, U32(ID, 5))),
	.err = EINVAL, .msg = "Unsupported attribute",
};

FIXTURE_VARIANT_ADD(add_rejects, stats_attr) {
	.req = STEPS(BINDING(KEY4, BAD, EMPTY_NEST(BA(STATS)))),
	.err = EINVAL, .msg = "Unsupported attribute",
};

FIXTURE_VARIANT_ADD(add_rejects, nested_flag_on_u16) {
	.req = STEPS(BINDING(LOCAL4, BAD, PUT_U16(BA(LOCAL_PORT) | NLA_F_NESTED, 1701),
			     PEER4, PPORT)),
	.err = EINVAL, .msg = "NLA_F_NESTED not expected",
};

/* The key. */
FIXTURE_VARIANT_ADD(add_rejects, no_local_address) {
	.req = STEPS(BAD, BINDING(LPORT, PEER4, PPORT)),
	.err = EINVAL, .msg = "Local address missing",
};

FIXTURE_VARIANT_ADD(add_rejects, both_local_v4_and_v6) {
	.req = STEPS(BINDING(LOCAL4, BAD, LOCAL6, LPORT)),
	.err = EINVAL, .msg = "Give an IPv4 or an IPv6 address, not both",
};

FIXTURE_VARIANT_ADD(add_rejects, missing_local_port) {
	.req = STEPS(BINDING(LOCAL4, PEER4, PPORT)),
	.err = EINVAL, .msg = "Local port missing",
	.miss = BA(LOCAL_PORT),
};

FIXTURE_VARIANT_ADD(add_rejects, local_port_0) {
	.req = STEPS(BINDING(LOCAL4, BAD, U16(LOCAL_PORT, 0), PEER4, PPORT)),
	.err = ERANGE, .msg = "integer out of range",
};

FIXTURE_VARIANT_ADD(add_rejects, peer_port_0) {
	.req = STEPS(BINDING(LOCAL4, LPORT, PEER4, BAD, U16(PEER_PORT, 0))),
	.err = ERANGE, .msg = "integer out of range",
};

FIXTURE_VARIANT_ADD(add_rejects, v4_local_v6_peer) {
	.req = STEPS(BAD, BINDING(LOCAL4, LPORT, PEER6, PPORT)),
	.err = EINVAL, .msg = "Local and peer address families differ",
};

FIXTURE_VARIANT_ADD(add_rejects, v6_local_v4_peer) {
	.req = STEPS(BAD, BINDING(LOCAL6, LPORT, PEER4, PPORT)),
	.err = EINVAL, .msg = "Local and peer address families differ",
};

FIXTURE_VARIANT_ADD(add_rejects, both_peer_v4_and_v6) {
	.req = STEPS(BINDING(LOCAL4, LPORT, PEER4, BAD, PEER6, PPORT)),
	.err = EINVAL, .msg = "Give an IPv4 or an IPv6 address, not both",
};

FIXTURE_VARIANT_ADD(add_rejects, peer_port_without_addr) {
	.req = STEPS(BINDING(LOCAL4, LPORT, BAD, PPORT)),
	.err = EINVAL, .msg = "Peer port needs a peer address",
};

FIXTURE_VARIANT_ADD(add_rejects, peer_port_without_addr_v6) {
	.req = STEPS(BINDING(LOCAL6, LPORT, BAD, PPORT)),
	.err = EINVAL, .msg = "Peer port needs a peer address",
};

/* Addresses that name no single host: local ones, then peers. */
FIXTURE_VARIANT_ADD(add_rejects, wildcard_local_v4) {
	.req = STEPS(BINDING(BAD, IN4(LOCAL_IPV4, "0.0.0.0"), LPORT, PEER4, PPORT)),
	.err = EINVAL, .msg = "Address must be unicast",
};

FIXTURE_VARIANT_ADD(add_rejects, wildcard_local_v4_listener) {
	.req = STEPS(BINDING(BAD, IN4(LOCAL_IPV4, "0.0.0.0"), LPORT)),
	.err = EINVAL, .msg = "Address must be unicast",
};

FIXTURE_VARIANT_ADD(add_rejects, wildcard_local_v6) {
	.req = STEPS(BINDING(BAD, IN6(LOCAL_IPV6, "::"), LPORT, PEER6, PPORT)),
	.err = EINVAL, .msg = "Address must be unicast",
};

FIXTURE_VARIANT_ADD(add_rejects, wildcard_local_v6_listener) {
	.req = STEPS(BINDING(BAD, IN6(LOCAL_IPV6, "::"), LPORT)),
	.err = EINVAL, .msg = "Address must be unicast",
};

FIXTURE_VARIANT_ADD(add_rejects, multicast_local_v4) {
	.req = STEPS(BINDING(BAD, IN4(LOCAL_IPV4, "224.0.0.1"), LPORT, PEER4, PPORT)),
	.err = EINVAL, .msg = "Address must be unicast",
};

FIXTURE_VARIANT_ADD(add_rejects, multicast_local_v4_listener) {
	.req = STEPS(BINDING(BAD, IN4(LOCAL_IPV4, "239.255.255.255"), LPORT)),
	.err = EINVAL, .msg = "Address must be unicast",
};

FIXTURE_VARIANT_ADD(add_rejects, multicast_local_v6) {
	.req = STEPS(BINDING(BAD, IN6(LOCAL_IPV6, "ff02::1"), LPORT, PEER6, PPORT)),
	.err = EINVAL, .msg = "Address must be unicast",
};

FIXTURE_VARIANT_ADD(add_rejects, multicast_local_v6_listener) {
	.req = STEPS(BINDING(BAD, IN6(LOCAL_IPV6, "ff0e::1:2"), LPORT)),
	.err = EINVAL, .msg = "Address must be unicast",
};

FIXTURE_VARIANT_ADD(add_rejects, broadcast_local_v4) {
	.req = STEPS(BINDING(BAD, IN4(LOCAL_IPV4, "255.255.255.255"), LPORT)),
	.err = EINVAL, .msg = "Address must be unicast",
};

FIXTURE_VARIANT_ADD(add_rejects, v4_mapped_local_v6) {
	.req = STEPS(BINDING(BAD, IN6(LOCAL_IPV6, "::ffff:192.0.2.1"), LPORT)),
	.err = EINVAL, .msg = "Address must be unicast",
};

FIXTURE_VARIANT_ADD(add_rejects, zero_peer_v4) {
	.req = STEPS(BINDING(LOCAL4, LPORT, BAD, IN4(PEER_IPV4, "0.0.0.0"), PPORT)),
	.err = EINVAL, .msg = "Address must be unicast",
};

FIXTURE_VARIANT_ADD(add_rejects, zero_peer_v4_any_port) {
	.req = STEPS(BINDING(LOCAL4, LPORT, BAD, IN4(PEER_IPV4, "0.0.0.0"))),
	.err = EINVAL, .msg = "Address must be unicast",
};

FIXTURE_VARIANT_ADD(add_rejects, zero_peer_v6) {
	.req = STEPS(BINDING(LOCAL6, LPORT, BAD, IN6(PEER_IPV6, "::"), PPORT)),
	.err = EINVAL, .msg = "Address must be unicast",
};

FIXTURE_VARIANT_ADD(add_rejects, zero_peer_v6_any_port) {
	.req = STEPS(BINDING(LOCAL6, LPORT, BAD, IN6(PEER_IPV6, "::"))),
	.err = EINVAL, .msg = "Address must be unicast",
};

FIXTURE_VARIANT_ADD(add_rejects, multicast_peer_v4) {
	.req = STEPS(BINDING(LOCAL4, LPORT, BAD, IN4(PEER_IPV4, "224.0.0.5"), PPORT)),
	.err = EINVAL, .msg = "Address must be unicast",
};

FIXTURE_VARIANT_ADD(add_rejects, multicast_peer_v6) {
	.req = STEPS(BINDING(LOCAL6, LPORT, BAD, IN6(PEER_IPV6, "ff02::2"))),
	.err = EINVAL, .msg = "Address must be unicast",
};

FIXTURE_VARIANT_ADD(add_rejects, broadcast_peer_v4) {
	.req = STEPS(BINDING(LOCAL4, LPORT, BAD, IN4(PEER_IPV4, "255.255.255.255"), PPORT)),
	.err = EINVAL, .msg = "Address must be unicast",
};

FIXTURE_VARIANT_ADD(add_rejects, v4_mapped_peer_v6) {
	.req = STEPS(BINDING(LOCAL6, LPORT, BAD, IN6(PEER_IPV6, "::ffff:198.51.100.7"), PPORT)),
	.err = EINVAL, .msg = "Address must be unicast",
};

/* The options. */
FIXTURE_VARIANT_ADD(add_rejects, encap_sport_only) {
	.req = STEPS(BAD, BINDING(KEY4, U16(ENCAP_SPORT, 4500))),
	.err = EINVAL, .msg = "Give both NAT-T encapsulation ports or none",
};

FIXTURE_VARIANT_ADD(add_rejects, encap_dport_only) {
	.req = STEPS(BAD, BINDING(KEY4, U16(ENCAP_DPORT, 4500))),
	.err = EINVAL, .msg = "Give both NAT-T encapsulation ports or none",
};

FIXTURE_VARIANT_ADD(add_rejects, encap_port_0) {
	.req = STEPS(BINDING(KEY4, BAD, U16(ENCAP_SPORT, 0), U16(ENCAP_DPORT, 4500))),
	.err = ERANGE, .msg = "integer out of range",
};

FIXTURE_VARIANT_ADD(add_rejects, encap_dport_0) {
	.req = STEPS(BINDING(KEY4, U16(ENCAP_SPORT, 4500), BAD, U16(ENCAP_DPORT, 0))),
	.err = ERANGE, .msg = "integer out of range",
};

FIXTURE_VARIANT_ADD(add_rejects, v2_tunnel_id_with_version_3) {
	.req = STEPS(BINDING(KEY4, U8(L2TP_VERSION, 3), BAD, U16(V2_TUNNEL_ID, 42))),
	.err = EINVAL, .msg = "A tunnel ID pin needs L2TP version 2",
};

FIXTURE_VARIANT_ADD(add_rejects, v2_tunnel_id_on_listener) {
	.req = STEPS(BINDING(LOCAL4, LPORT, BAD, U16(V2_TUNNEL_ID, 42))),
	.err = EINVAL, .msg = "A listener binding takes no tunnel ID",
};

FIXTURE_VARIANT_ADD(add_rejects, v2_tunnel_id_on_listener_v6) {
	.req = STEPS(BINDING(LOCAL6, LPORT, U8(L2TP_VERSION, 2), BAD, U16(V2_TUNNEL_ID, 42))),
	.err = EINVAL, .msg = "A listener binding takes no tunnel ID",
};

FIXTURE_VARIANT_ADD(add_rejects, v2_tunnel_id_0) {
	.req = STEPS(BINDING(KEY4, BAD, U16(V2_TUNNEL_ID, 0))),
	.err = ERANGE, .msg = "integer out of range",
};

FIXTURE_VARIANT_ADD(add_rejects, reqid_0) {
	.req = STEPS(BINDING(KEY4, BAD, U32(REQID, 0))),
	.err = ERANGE, .msg = "integer out of range",
};

FIXTURE_VARIANT_ADD(add_rejects, owner_zero) {
	.req = STEPS(BINDING(KEY4, BAD, U32(OWNER, 0))),
	.err = ERANGE, .msg = "integer out of range",
};

/* SPIs 1 to 255 are reserved (RFC 4303 section 2.1), 0 is none. */
FIXTURE_VARIANT_ADD(add_rejects, spi_255) {
	.req = STEPS(BINDING(KEY4, BAD, U32(SPI, 255))),
	.err = ERANGE, .msg = "integer out of range",
};

FIXTURE_VARIANT_ADD(add_rejects, spi_1) {
	.req = STEPS(BINDING(KEY4, BAD, U32(SPI, 1))),
	.err = ERANGE, .msg = "integer out of range",
};

FIXTURE_VARIANT_ADD(add_rejects, spi_0) {
	.req = STEPS(BINDING(KEY4, BAD, U32(SPI, 0))),
	.err = ERANGE, .msg = "integer out of range",
};

FIXTURE_VARIANT_ADD(add_rejects, version_4) {
	.req = STEPS(BINDING(KEY4, BAD, U8(L2TP_VERSION, 4))),
	.err = ERANGE, .msg = "integer out of range",
};

FIXTURE_VARIANT_ADD(add_rejects, version_1) {
	.req = STEPS(BINDING(KEY4, BAD, U8(L2TP_VERSION, 1))),
	.err = ERANGE, .msg = "integer out of range",
};

FIXTURE_VARIANT_ADD(add_rejects, version_0) {
	.req = STEPS(BINDING(KEY4, BAD, U8(L2TP_VERSION, 0))),
	.err = ERANGE, .msg = "integer out of range",
};

FIXTURE_VARIANT_ADD(add_rejects, version_255) {
	.req = STEPS(BINDING(KEY4, BAD, U8(L2TP_VERSION, 255))),
	.err = ERANGE, .msg = "integer out of range",
};

FIXTURE_VARIANT_ADD(add_rejects, mode_3) {
	.req = STEPS(BINDING(KEY4, BAD, U8(MODE, 3))),
	.err = ERANGE, .msg = "integer out of range",
};

FIXTURE_VARIANT_ADD(add_rejects, mode_255) {
	.req = STEPS(BINDING(KEY4, BAD, U8(MODE, 255))),
	.err = ERANGE, .msg = "integer out of range",
};

FIXTURE_VARIANT_ADD(add_rejects, flag_with_payload) {
	.req = STEPS(BINDING(KEY4, BAD, PUT_U32(BA(ALLOW_AH), 1))),
	.err = ERANGE, .msg = "Attribute failed policy validation",
};

/*
 * Attribute sizes: an integer of the wrong size fails the length check of
 * its type, a binary attribute of the wrong size the exact-length range
 * check (NLA_POLICY_EXACT_LEN), which returns -ERANGE in 6.1.
 */
FIXTURE_VARIANT_ADD(add_rejects, u16_of_1_byte) {
	.req = STEPS(BINDING(LOCAL4, PEER4, PPORT, BAD, PUT_BYTES(BA(LOCAL_PORT), 5))),
	.err = EINVAL, .msg = "invalid attribute length",
};

FIXTURE_VARIANT_ADD(add_rejects, u32_of_3_bytes) {
	.req = STEPS(BINDING(LPORT, PEER4, PPORT, BAD, PUT_BYTES(BA(LOCAL_IPV4), 192, 0, 2))),
	.err = EINVAL, .msg = "invalid attribute length",
};

FIXTURE_VARIANT_ADD(add_rejects, u8_of_4_bytes) {
	.req = STEPS(BINDING(KEY4, BAD, PUT_U32(BA(L2TP_VERSION), 2))),
	.err = EINVAL, .msg = "invalid attribute length",
};

FIXTURE_VARIANT_ADD(add_rejects, v6_addr_of_15_bytes) {
	.req = STEPS(BINDING(LPORT, PEER6, PPORT, BAD, PUT_MEM(BA(LOCAL_IPV6), 15, addr6_17))),
	.err = ERANGE, .msg = "binary attribute size out of range",
};

FIXTURE_VARIANT_ADD(add_rejects, v6_addr_of_17_bytes) {
	.req = STEPS(BINDING(LPORT, PEER6, PPORT, BAD, PUT_MEM(BA(LOCAL_IPV6), 17, addr6_17))),
	.err = ERANGE, .msg = "binary attribute size out of range",
};

FIXTURE_VARIANT_ADD(add_rejects, v6_addr_of_4_bytes) {
	.req = STEPS(BINDING(LPORT, PEER6, PPORT, BAD, PUT_MEM(BA(LOCAL_IPV6), 4, addr6_17))),
	.err = ERANGE, .msg = "binary attribute size out of range",
};

FIXTURE_VARIANT_ADD(add_rejects, peer_v6_addr_of_15_bytes) {
	.req = STEPS(BINDING(LOCAL6, LPORT, PPORT, BAD, PUT_MEM(BA(PEER_IPV6), 15, addr6_17))),
	.err = ERANGE, .msg = "binary attribute size out of range",
};

FIXTURE_VARIANT_ADD(add_rejects, peer_v6_addr_of_17_bytes) {
	.req = STEPS(BINDING(LOCAL6, LPORT, PPORT, BAD, PUT_MEM(BA(PEER_IPV6), 17, addr6_17))),
	.err = ERANGE, .msg = "binary attribute size out of range",
};

FIXTURE_VARIANT_ADD(add_rejects, peer_v6_addr_of_4_bytes) {
	.req = STEPS(BINDING(LOCAL6, LPORT, PPORT, BAD, PUT_MEM(BA(PEER_IPV6), 4, addr6_17))),
	.err = ERANGE, .msg = "binary attribute size out of range",
};

/*
 * The namespace's state. Same 4-tuple and pin, other options: still the
 * same binding.
 */
FIXTURE_VARIANT_ADD(add_rejects, duplicate) {
	.prior = PRIOR(STEPS(BINDING(KEY4, U32(REQID, 1)))),
	.req = STEPS(BINDING(KEY4, U32(REQID, 1), U8(MODE, L2TP_IPSEC_MODE_AUDIT))),
	.err = EEXIST, .msg = "A binding with this 4-tuple and pin exists",
};

FIXTURE_VARIANT_ADD(add_rejects, duplicate_unpinned) {
	.prior = PRIOR(STEPS(BINDING(KEY4))),
	.req = STEPS(BINDING(KEY4, U16(V2_TUNNEL_ID, 7))),
	.err = EEXIST, .msg = "A binding with this 4-tuple and pin exists",
};

FIXTURE_VARIANT_ADD(add_rejects, duplicate_listener_v6) {
	.prior = PRIOR(STEPS(BINDING(LOCAL6, LPORT))),
	.req = STEPS(BINDING(LOCAL6, LPORT)),
	.err = EEXIST, .msg = "A binding with this 4-tuple and pin exists",
};

FIXTURE_VARIANT_ADD(add_rejects, duplicate_among_shared) {
	.prior = PRIOR(STEPS(BINDING(KEY4, U32(REQID, 1))),
		       STEPS(BINDING(KEY4, U32(REQID, 2))),
		       STEPS(BINDING(KEY4, U32(REQID, 3)))),
	.req = STEPS(BINDING(KEY4, U32(REQID, 1))),
	.err = EEXIST, .msg = "A binding with this 4-tuple and pin exists",
};

FIXTURE_VARIANT_ADD(add_rejects, duplicate_nat_twin) {
	.prior = PRIOR(STEPS(BINDING(KEY4, U32(REQID, 1), U16(ENCAP_SPORT, 4500),
				     U16(ENCAP_DPORT, 4500)))),
	.req = STEPS(BINDING(KEY4, U32(REQID, 1), U16(ENCAP_SPORT, 4500),
			     U16(ENCAP_DPORT, 4500))),
	.err = EEXIST, .msg = "A binding with this 4-tuple and pin exists",
};

/* Sharing a 4-tuple: an unpinned binding would take every SA. */
FIXTURE_VARIANT_ADD(add_rejects, share_with_unpinned) {
	.prior = PRIOR(STEPS(BINDING(KEY4))),
	.req = STEPS(BINDING(KEY4, U32(REQID, 2))),
	.err = EEXIST, .msg = "An unpinned binding holds this 4-tuple",
};

FIXTURE_VARIANT_ADD(add_rejects, share_unpinned) {
	.prior = PRIOR(STEPS(BINDING(KEY4, U32(REQID, 1)))),
	.req = STEPS(BINDING(KEY4, U8(MODE, L2TP_IPSEC_MODE_AUDIT))),
	.err = EEXIST, .msg = "an unpinned binding would match every SA",
};

FIXTURE_VARIANT_ADD(add_rejects, share_unpinned_listener) {
	.prior = PRIOR(STEPS(BINDING(LOCAL4, LPORT, U32(REQID, 1)))),
	.req = STEPS(BINDING(LOCAL4, LPORT)),
	.err = EEXIST, .msg = "an unpinned binding would match every SA",
};

/* Pins that an SA could pass together. */
FIXTURE_VARIANT_ADD(add_rejects, share_pin_superset) {
	.prior = PRIOR(STEPS(BINDING(KEY4, U32(REQID, 1)))),
	.req = STEPS(BINDING(KEY4, U32(REQID, 1), U16(ENCAP_SPORT, 4500),
			     U16(ENCAP_DPORT, 4500))),
	.err = EEXIST, .msg = "has a pin an SA could pass together with this one",
};

FIXTURE_VARIANT_ADD(add_rejects, share_reqid_vs_spi) {
	.prior = PRIOR(STEPS(BINDING(KEY4, U32(REQID, 1)))),
	.req = STEPS(BINDING(KEY4, U32(SPI, 0x1000))),
	.err = EEXIST, .msg = "has a pin an SA could pass together with this one",
};

FIXTURE_VARIANT_ADD(add_rejects, share_overlaps_second) {
	.prior = PRIOR(STEPS(BINDING(KEY4, U32(REQID, 1), U32(SPI, 0x1000))),
		       STEPS(BINDING(KEY4, U32(REQID, 2), U32(SPI, 0x2000)))),
	.req = STEPS(BINDING(KEY4, U32(SPI, 0x1000), U16(ENCAP_SPORT, 4500),
			     U16(ENCAP_DPORT, 4500))),
	.err = EEXIST, .msg = "has a pin an SA could pass together with this one",
};

FIXTURE_VARIANT_ADD(add_rejects, past_max_bindings) {
	.max_bindings = 3,
	.prior = PRIOR(STEPS(BINDING(LOCAL4, LPORT, IN4(PEER_IPV4, "198.51.100.1"), PPORT)),
		       STEPS(BINDING(LOCAL4, LPORT, IN4(PEER_IPV4, "198.51.100.2"), PPORT)),
		       STEPS(BINDING(LOCAL4, LPORT, IN4(PEER_IPV4, "198.51.100.3"), PPORT))),
	.req = STEPS(BINDING(LOCAL4, LPORT, IN4(PEER_IPV4, "198.51.100.4"), PPORT)),
	.err = ENOSPC, .msg = "Namespace holds max-bindings bindings already",
};

/* Put @s's address attribute of family @af. */
static void put_addr(struct __test_metadata *_metadata, struct nlmsghdr *req,
		     const struct step *s, int af)
{
	uint8_t a[16];

	ASSERT_EQ(1, inet_pton(af, s->addr, a)) TH_LOG("bad address \"%s\" in the table", s->addr);
	mnl_attr_put(req, s->type, af == AF_INET ? 4 : 16, a);
}

/* Where the next attribute of @req goes. */
static uint32_t tail_offset(const struct nlmsghdr *req)
{
	return (const char *)mnl_nlmsg_get_payload_tail(req) - (const char *)req;
}

/*
 * Put the steps @s into @req, nests @depth deep; *mark says that a BAD
 * waits for its attribute, *bad is that attribute's offset (0: none yet).
 * A malformed table fails the test, so that a typo cannot pass as a
 * rejection.
 */
static void put_steps(struct __test_metadata *_metadata, struct nlmsghdr *req,
		      const struct step *s, int depth, bool *mark, uint32_t *bad)
{
	struct nlattr *nest;

	ASSERT_LT(depth, 4) TH_LOG("steps nested too deep");
	for (; s && s->kind != S_END; s++) {
		if (s->kind == S_BAD) {
			ASSERT_FALSE(*mark || *bad) TH_LOG("more than one BAD");
			*mark = true;
			continue;
		}
		if (*mark && s->kind != S_GROUP) {
			*bad = tail_offset(req);
			*mark = false;
		}
		switch (s->kind) {
		case S_U8:
			mnl_attr_put_u8(req, s->type, s->num);
			break;
		case S_U16:
			mnl_attr_put_u16(req, s->type, s->num);
			break;
		case S_U32:
			mnl_attr_put_u32(req, s->type, s->num);
			break;
		case S_IN4:
			put_addr(_metadata, req, s, AF_INET);
			break;
		case S_IN6:
			put_addr(_metadata, req, s, AF_INET6);
			break;
		case S_BYTES:
			mnl_attr_put(req, s->type, s->len, s->data);
			break;
		case S_NEST:
		case S_NEST_NOFLAG:
			nest = mnl_attr_nest_start(req, s->type);
			put_steps(_metadata, req, s->sub, depth + 1, mark, bad);
			mnl_attr_nest_end(req, nest);
			if (s->kind == S_NEST_NOFLAG)
				nest->nla_type &= ~NLA_F_NESTED;
			break;
		case S_GROUP:
			put_steps(_metadata, req, s->sub, depth + 1, mark, bad);
			break;
		default:
			ASSERT_TRUE(false) TH_LOG("step kind %d", s->kind);
		}
	}
}

/*
 * The binding-add request the steps @s describe, in h->buf; *bad is the
 * offset of the attribute after BAD (0: there is no BAD).
 */
static struct nlmsghdr *build_req(struct __test_metadata *_metadata, struct nlh *h,
				  const struct step *s, uint32_t *bad)
{
	struct nlmsghdr *req = nlh_req(h, L2TP_IPSEC_CMD_BINDING_ADD, 0);
	bool mark = false;

	*bad = 0;
	put_steps(_metadata, req, s, 0, &mark, bad);
	ASSERT_FALSE(mark) TH_LOG("BAD marks no attribute");
	return req;
}

TEST_F(add_rejects, errno_and_extack)
{
	struct binding prior[4], got;
	const struct step *const *p;
	struct nlmsghdr *req;
	uint32_t id[4], bad;
	int n = 0, err, i;

	if (variant->max_bindings) {
		struct config c = { 0 };

		CSET(&c, MAX_BINDINGS, max_bindings, variant->max_bindings);
		ASSERT_OK(nlh_config_set(&self->h, &c));
	}
	for (p = variant->prior; p && *p; p++, n++) {
		ASSERT_LT(n, (int)ARRAY_SIZE(prior));
		req = build_req(_metadata, &self->h, *p, &bad);
		ASSERT_OK(binding_parse_msg(req, &prior[n]));
		ASSERT_OK(nlh_talk(&self->h, req, NULL, NULL));
		ASSERT_OK(nlh_binding_get(&self->h, &prior[n], &got));
		id[n] = got.id;
	}

	req = build_req(_metadata, &self->h, variant->req, &bad);
	EXPECT_REJECT(&self->h, req, variant->err, variant->msg);
	if (bad) {
		ASSERT_TRUE(self->h.has_offs) TH_LOG("the extack names no attribute");
		ASSERT_EQ(bad, self->h.ext_offs)
			TH_LOG("the extack names the attribute at offset %u, not %u",
			       self->h.ext_offs, bad);
	} else {
		ASSERT_FALSE(self->h.has_offs)
			TH_LOG("the extack names the attribute at offset %u", self->h.ext_offs);
	}
	ASSERT_EQ(variant->miss != 0, self->h.has_miss_type)
		TH_LOG("missing attribute %u reported, %u expected",
		       self->h.miss_type, variant->miss);
	ASSERT_EQ(variant->miss, self->h.miss_type);

	/* Nothing added, and what was there is untouched. */
	ASSERT_NUM_BINDINGS(&self->h, n);
	for (i = 0; i < n; i++) {
		ASSERT_OK(nlh_binding_get(&self->h, &prior[i], &got));
		ASSERT_EQ(id[i], got.id);
		assert_same_binding(_metadata, &prior[i], &got);
	}
	if (!n)
		return;

	/* The namespace's state was the reason: with room, the request passes. */
	ASSERT_OK(nlh_binding_del(&self->h, &prior[0]));
	req = build_req(_metadata, &self->h, variant->req, &bad);
	err = nlh_talk(&self->h, req, NULL, NULL);
	ASSERT_EQ(0, err) TH_LOG("after the delete: %s (extack \"%s\")", errname(err),
				 self->h.ext_msg);
	ASSERT_NUM_BINDINGS(&self->h, n);
}

/* ======================================================================== */
/* Bindings that share a 4-tuple */

/* The binding of @key's 4-tuple with reqid @reqid (and nothing else pinned). */
static void with_reqid(struct binding *b, uint32_t reqid)
{
	base_v4(b);
	BSET(b, REQID, reqid, reqid);
}

/* A request naming @b by the attributes @mask of it. */
static struct nlmsghdr *name_req(struct nlh *h, uint8_t cmd, const struct binding *b,
				 uint32_t mask)
{
	struct nlmsghdr *req = nlh_req(h, cmd, 0);

	binding_put(req, b, mask);
	return req;
}

TEST_F(binding, share_different_reqids)
{
	struct binding b[2], got, dumped[4];
	struct dump d = { .bindings = dumped, .cap = ARRAY_SIZE(dumped) };
	struct stats s;
	int i;

	for (i = 0; i < 2; i++) {
		with_reqid(&b[i], i + 1);
		ASSERT_OK(nlh_binding_add(&self->h, &b[i]));
	}
	ASSERT_NUM_BINDINGS(&self->h, 2);
	ASSERT_OK(nlh_binding_dump(&self->h, &d));
	ASSERT_EQ(2, d.count);
	for (i = 0; i < 2; i++) {
		assert_same_binding(_metadata, &b[i], &dumped[i]);
		/* The 4-tuple and the pin name it. */
		ASSERT_OK(nlh_binding_get(&self->h, &b[i], &got));
		assert_same_binding(_metadata, &b[i], &got);
		ASSERT_EQ(dumped[i].id, got.id);
		ASSERT_OK(nlh_stats_get(&self->h, &b[i], &s));
		/* So does its id, alone. */
		ASSERT_OK(nlh_binding_get_by(&self->h, &dumped[i], B_BIT(ID), &got));
		ASSERT_EQ(dumped[i].id, got.id);
		ASSERT_EQ((uint32_t)i + 1, got.reqid);
	}
}

TEST_F(binding, share_nat_twins_one_reqid_other_encap_ports)
{
	struct binding b[3], got;
	int i;

	for (i = 0; i < 3; i++) {
		with_reqid(&b[i], 5);
		BSET(&b[i], ENCAP_SPORT, encap_sport, 4500 + i);
		BSET(&b[i], ENCAP_DPORT, encap_dport, 4500);
		ASSERT_OK(nlh_binding_add(&self->h, &b[i]));
	}
	ASSERT_NUM_BINDINGS(&self->h, 3);
	for (i = 0; i < 3; i++) {
		ASSERT_OK(nlh_binding_get(&self->h, &b[i], &got));
		ASSERT_EQ(4500 + i, got.encap_sport);
	}
}

TEST_F(binding, share_v6_and_listener)
{
	struct binding b;
	int i;

	for (i = 0; i < 2; i++) {
		binding_v6(&b, L6, 1701, P6, 1701);
		BSET(&b, SPI, spi, 0x1000 + i);
		ASSERT_OK(nlh_binding_add(&self->h, &b));
		binding_v4(&b, L4, 1701, NULL, 0);
		BSET(&b, REQID, reqid, 10 + i);
		ASSERT_OK(nlh_binding_add(&self->h, &b));
	}
	ASSERT_NUM_BINDINGS(&self->h, 4);
}

TEST_F(binding, share_key_alone_is_ambiguous)
{
	struct binding b[2], key, got;
	struct stats s;
	int i;

	for (i = 0; i < 2; i++) {
		with_reqid(&b[i], i + 1);
		ASSERT_OK(nlh_binding_add(&self->h, &b[i]));
	}
	base_v4(&key);
	EXPECT_REJECT(&self->h, name_req(&self->h, L2TP_IPSEC_CMD_BINDING_DEL, &key, B_KEY_BITS),
		      ENOTUNIQ, "Several bindings share this 4-tuple: give the pin or the id");
	EXPECT_REJECT(&self->h, name_req(&self->h, L2TP_IPSEC_CMD_BINDING_GET, &key, B_KEY_BITS),
		      ENOTUNIQ, "Several bindings share this 4-tuple");
	EXPECT_REJECT(&self->h, name_req(&self->h, L2TP_IPSEC_CMD_STATS_GET, &key, B_KEY_BITS),
		      ENOTUNIQ, "Several bindings share this 4-tuple");
	/* Nothing was deleted. */
	ASSERT_NUM_BINDINGS(&self->h, 2);
	for (i = 0; i < 2; i++) {
		ASSERT_OK(nlh_binding_get(&self->h, &b[i], &got));
		ASSERT_OK(nlh_stats_get(&self->h, &b[i], &s));
	}
}

TEST_F(binding, share_del_by_pin)
{
	struct binding b[3], key, got;
	int i;

	for (i = 0; i < 3; i++) {
		with_reqid(&b[i], i + 1);
		ASSERT_OK(nlh_binding_add(&self->h, &b[i]));
	}
	/* A pin no binding holds exactly, even one an SA of them passes. */
	with_reqid(&key, 4);
	ASSERT_ERR(ENOENT, nlh_binding_del(&self->h, &key));
	with_reqid(&key, 2);
	BSET(&key, SPI, spi, 0x1000);
	ASSERT_ERR(ENOENT, nlh_binding_del(&self->h, &key));
	ASSERT_NUM_BINDINGS(&self->h, 3);

	/* The first of the 4-tuple: the others stay reachable. */
	ASSERT_OK(nlh_binding_del(&self->h, &b[0]));
	ASSERT_ERR(ENOENT, nlh_binding_get(&self->h, &b[0], &got));
	for (i = 1; i < 3; i++)
		ASSERT_OK(nlh_binding_get(&self->h, &b[i], &got));
	base_v4(&key);
	ASSERT_ERR(ENOTUNIQ, nlh_binding_get(&self->h, &key, &got));

	/* One left: its 4-tuple names it again, without a pin. */
	ASSERT_OK(nlh_binding_del(&self->h, &b[1]));
	ASSERT_OK(nlh_binding_get(&self->h, &key, &got));
	ASSERT_EQ(3, got.reqid);
	/* And the pin it does not hold names nothing. */
	ASSERT_ERR(ENOENT, nlh_binding_get(&self->h, &b[1], &got));

	/* It shares again, and the freed pins come back. */
	ASSERT_OK(nlh_binding_add(&self->h, &b[0]));
	ASSERT_OK(nlh_binding_add(&self->h, &b[1]));
	ASSERT_NUM_BINDINGS(&self->h, 3);
	ASSERT_OK(nlh_binding_del(&self->h, &b[2]));
	ASSERT_OK(nlh_binding_del(&self->h, &b[0]));
	ASSERT_OK(nlh_binding_del(&self->h, &key));
	ASSERT_NUM_BINDINGS(&self->h, 0);
}

TEST_F(binding, del_by_id)
{
	struct binding b[2], got, id;
	int i;

	for (i = 0; i < 2; i++) {
		with_reqid(&b[i], i + 1);
		ASSERT_OK(nlh_binding_add(&self->h, &b[i]));
	}
	ASSERT_OK(nlh_binding_get(&self->h, &b[1], &got));
	memset(&id, 0, sizeof(id));
	BSET(&id, ID, id, got.id);
	BSET(&b[1], ID, id, got.id);
	EXPECT_REJECT(&self->h,
		      name_req(&self->h, L2TP_IPSEC_CMD_BINDING_DEL, &b[1],
			       B_KEY_BITS | B_BIT(REQID) | B_BIT(ID)),
		      EINVAL, "A binding id names a binding alone");
	ASSERT_OK(nlh_talk(&self->h, name_req(&self->h, L2TP_IPSEC_CMD_BINDING_DEL, &id,
					      B_BIT(ID)), NULL, NULL));
	EXPECT_REJECT(&self->h, name_req(&self->h, L2TP_IPSEC_CMD_BINDING_DEL, &id, B_BIT(ID)),
		      ENOENT, "No such binding");
	ASSERT_ERR(ENOENT, nlh_binding_get(&self->h, &b[1], &got));
	ASSERT_OK(nlh_binding_get(&self->h, &b[0], &got));
	ASSERT_NUM_BINDINGS(&self->h, 1);
	/* Unique again: the 4-tuple alone names the one left. */
	base_v4(&id);
	ASSERT_OK(nlh_binding_get(&self->h, &id, &got));
	ASSERT_EQ(1, got.reqid);
}

TEST_F(binding, name_rejects_half_encap_pin)
{
	struct binding b;

	with_reqid(&b, 1);
	BSET(&b, ENCAP_SPORT, encap_sport, 4500);
	EXPECT_REJECT(&self->h, name_req(&self->h, L2TP_IPSEC_CMD_BINDING_DEL, &b, B_NAME_BITS),
		      EINVAL, "Give both NAT-T encapsulation ports or none");
}

TEST_F(binding, share_limit_per_4tuple)
{
	struct binding b;
	struct nlmsghdr *req;
	int i;

	for (i = 1; i <= L2TP_IPSEC_MAX_SHARED; i++) {
		with_reqid(&b, i);
		ASSERT_OK(nlh_binding_add(&self->h, &b));
	}
	ASSERT_NUM_BINDINGS(&self->h, L2TP_IPSEC_MAX_SHARED);
	with_reqid(&b, L2TP_IPSEC_MAX_SHARED + 1);
	req = nlh_req(&self->h, L2TP_IPSEC_CMD_BINDING_ADD, 0);
	binding_put(req, &b, b.present);
	EXPECT_REJECT(&self->h, req, ENOSPC, "max-shared bindings share this 4-tuple already");
	/* Another 4-tuple is not concerned. */
	binding_v4(&b, L4, 1701, P4, 1702);
	ASSERT_OK(nlh_binding_add(&self->h, &b));
	/* One slot freed in the middle takes the next. */
	with_reqid(&b, 30);
	ASSERT_OK(nlh_binding_del(&self->h, &b));
	with_reqid(&b, L2TP_IPSEC_MAX_SHARED + 1);
	ASSERT_OK(nlh_binding_add(&self->h, &b));
	ASSERT_NUM_BINDINGS(&self->h, L2TP_IPSEC_MAX_SHARED + 1);
	/* Torn down in any order, then by flush. */
	for (i = 1; i <= L2TP_IPSEC_MAX_SHARED; i += 2) {
		with_reqid(&b, i);
		ASSERT_OK(nlh_binding_del(&self->h, &b));
	}
	ASSERT_OK(nlh_binding_flush(&self->h));
	ASSERT_NUM_BINDINGS(&self->h, 0);
}

TEST_F(binding, share_counts_against_max_bindings)
{
	struct config c = { 0 };
	struct binding b;
	struct nlmsghdr *req;

	CSET(&c, MAX_BINDINGS, max_bindings, 2);
	ASSERT_OK(nlh_config_set(&self->h, &c));
	with_reqid(&b, 1);
	ASSERT_OK(nlh_binding_add(&self->h, &b));
	with_reqid(&b, 2);
	ASSERT_OK(nlh_binding_add(&self->h, &b));
	with_reqid(&b, 3);
	req = nlh_req(&self->h, L2TP_IPSEC_CMD_BINDING_ADD, 0);
	binding_put(req, &b, b.present);
	EXPECT_REJECT(&self->h, req, ENOSPC, "Namespace holds max-bindings bindings already");
}

/* The namespace dies with shared 4-tuples in it (kmemleak, KASAN). */
TEST_F(binding, share_left_to_netns_exit)
{
	struct binding b;
	int i;

	for (i = 1; i <= 5; i++) {
		with_reqid(&b, i);
		ASSERT_OK(nlh_binding_add(&self->h, &b));
		binding_v4(&b, L4, 1701, NULL, 0);
		BSET(&b, SPI, spi, 0x1000 + i);
		ASSERT_OK(nlh_binding_add(&self->h, &b));
	}
	with_reqid(&b, 1);
	ASSERT_OK(nlh_binding_del(&self->h, &b));
	ASSERT_NUM_BINDINGS(&self->h, 9);
}

/* Key-only requests that name no binding, or none at all. */

TEST_F(binding, del_rejects_missing_nest)
{
	struct nlmsghdr *req = nlh_req(&self->h, L2TP_IPSEC_CMD_BINDING_DEL, 0);

	EXPECT_REJECT(&self->h, req, EINVAL, "Binding attribute missing");
}

TEST_F(binding, get_rejects_missing_nest)
{
	struct nlmsghdr *req = nlh_req(&self->h, L2TP_IPSEC_CMD_BINDING_GET, 0);

	EXPECT_REJECT(&self->h, req, EINVAL, "Binding attribute missing");
}

TEST_F(binding, del_rejects_missing)
{
	struct nlmsghdr *req;
	struct binding b;

	base_v4(&b);
	req = nlh_req(&self->h, L2TP_IPSEC_CMD_BINDING_DEL, 0);
	binding_put(req, &b, B_KEY_BITS);
	EXPECT_REJECT(&self->h, req, ENOENT, "No such binding");

	/* Deleted once, missing the second time. */
	ASSERT_OK(nlh_binding_add(&self->h, &b));
	ASSERT_OK(nlh_binding_del(&self->h, &b));
	req = nlh_req(&self->h, L2TP_IPSEC_CMD_BINDING_DEL, 0);
	binding_put(req, &b, B_KEY_BITS);
	EXPECT_REJECT(&self->h, req, ENOENT, "No such binding");
}

TEST_F(binding, get_rejects_missing)
{
	struct nlmsghdr *req;
	struct binding b;

	base_v4(&b);
	req = nlh_req(&self->h, L2TP_IPSEC_CMD_BINDING_GET, 0);
	binding_put(req, &b, B_KEY_BITS);
	EXPECT_REJECT(&self->h, req, ENOENT, "No such binding");
}

/* ======================================================================== */
/* Configuration */

NL_FIXTURE(config);

static void sort_ports(uint16_t *p, int n)
{
	int i, j;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && p[j - 1] > p[j]; j--) {
			uint16_t t = p[j];

			p[j] = p[j - 1];
			p[j - 1] = t;
		}
}

TEST_F(config, get_defaults)
{
	struct config c;

	ASSERT_OK(nlh_config_get(&self->h, &c));
	ASSERT_EQ(C_BIT(POLICY) | C_BIT(MODE) | C_BIT(PORTS) | C_BIT(MAX_BINDINGS) |
		  C_BIT(NUM_BINDINGS), c.present);
	ASSERT_EQ(L2TP_IPSEC_POLICY_PASS, c.policy);
	ASSERT_EQ(L2TP_IPSEC_MODE_ENFORCE, c.mode);
	ASSERT_EQ(1, c.nports);
	ASSERT_EQ(L2TP_IPSEC_DEFAULT_PORT, c.ports[0]);
	ASSERT_EQ(L2TP_IPSEC_DEFAULT_MAX_BINDINGS, c.max_bindings);
	ASSERT_EQ(262144, c.max_bindings);
	ASSERT_EQ(0, c.num_bindings);
}

TEST_F(config, set_policy_each_value)
{
	static const uint8_t v[] = { L2TP_IPSEC_POLICY_REQUIRE_IPSEC,
				     L2TP_IPSEC_POLICY_DROP, L2TP_IPSEC_POLICY_PASS };
	struct config c, got;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		memset(&c, 0, sizeof(c));
		CSET(&c, POLICY, policy, v[i]);
		ASSERT_OK(nlh_config_set(&self->h, &c));
		ASSERT_OK(nlh_config_get(&self->h, &got));
		ASSERT_EQ(v[i], got.policy);
	}
}

TEST_F(config, set_mode_each_value)
{
	static const uint8_t v[] = { L2TP_IPSEC_MODE_AUDIT, L2TP_IPSEC_MODE_ENFORCE };
	struct config c, got;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		memset(&c, 0, sizeof(c));
		CSET(&c, MODE, mode, v[i]);
		ASSERT_OK(nlh_config_set(&self->h, &c));
		ASSERT_OK(nlh_config_get(&self->h, &got));
		ASSERT_EQ(v[i], got.mode);
	}
}

TEST_F(config, set_ports_replaces_the_set)
{
	struct config c = { 0 }, got;
	int i;

	CSET(&c, PORTS, nports, 3);
	c.ports[0] = 4500;
	c.ports[1] = 1701;
	c.ports[2] = 1;
	ASSERT_OK(nlh_config_set(&self->h, &c));
	ASSERT_OK(nlh_config_get(&self->h, &got));
	ASSERT_EQ(3, got.nports);
	sort_ports(got.ports, got.nports);
	ASSERT_EQ(1, got.ports[0]);
	ASSERT_EQ(1701, got.ports[1]);
	ASSERT_EQ(4500, got.ports[2]);

	/* L2TP_IPSEC_MAX_PORTS is allowed. */
	c.nports = L2TP_IPSEC_MAX_PORTS;
	for (i = 0; i < c.nports; i++)
		c.ports[i] = 65535 - i;
	ASSERT_OK(nlh_config_set(&self->h, &c));
	ASSERT_OK(nlh_config_get(&self->h, &got));
	ASSERT_EQ(L2TP_IPSEC_MAX_PORTS, got.nports);
	sort_ports(got.ports, got.nports);
	for (i = 0; i < got.nports; i++)
		ASSERT_EQ(65535 - L2TP_IPSEC_MAX_PORTS + 1 + i, got.ports[i]);

	/* And the empty set: only bindings' ports are checked then. */
	c.nports = 0;
	ASSERT_OK(nlh_config_set(&self->h, &c));
	ASSERT_OK(nlh_config_get(&self->h, &got));
	ASSERT_EQ(0, got.nports);
}

TEST_F(config, set_max_bindings)
{
	static const uint32_t v[] = { 1, L2TP_IPSEC_MAX_BINDINGS_LIMIT, 1000 };
	struct config c, got;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		memset(&c, 0, sizeof(c));
		CSET(&c, MAX_BINDINGS, max_bindings, v[i]);
		ASSERT_OK(nlh_config_set(&self->h, &c));
		ASSERT_OK(nlh_config_get(&self->h, &got));
		ASSERT_EQ(v[i], got.max_bindings);
	}
}

TEST_F(config, set_all_fields_at_once)
{
	struct config c = { 0 }, got;

	CSET(&c, POLICY, policy, L2TP_IPSEC_POLICY_DROP);
	CSET(&c, MODE, mode, L2TP_IPSEC_MODE_AUDIT);
	CSET(&c, PORTS, nports, 2);
	c.ports[0] = 1701;
	c.ports[1] = 1702;
	CSET(&c, MAX_BINDINGS, max_bindings, 77);
	ASSERT_OK(nlh_config_set(&self->h, &c));
	ASSERT_OK(nlh_config_get(&self->h, &got));
	ASSERT_EQ(L2TP_IPSEC_POLICY_DROP, got.policy);
	ASSERT_EQ(L2TP_IPSEC_MODE_AUDIT, got.mode);
	ASSERT_EQ(2, got.nports);
	sort_ports(got.ports, got.nports);
	ASSERT_EQ(1701, got.ports[0]);
	ASSERT_EQ(1702, got.ports[1]);
	ASSERT_EQ(77, got.max_bindings);
	ASSERT_EQ(0, got.num_bindings);
}

TEST_F(config, set_one_field_keeps_the_others)
{
	struct config c = { 0 }, got;

	CSET(&c, POLICY, policy, L2TP_IPSEC_POLICY_REQUIRE_IPSEC);
	ASSERT_OK(nlh_config_set(&self->h, &c));
	ASSERT_OK(nlh_config_get(&self->h, &got));
	ASSERT_EQ(L2TP_IPSEC_POLICY_REQUIRE_IPSEC, got.policy);
	ASSERT_EQ(L2TP_IPSEC_MODE_ENFORCE, got.mode);
	ASSERT_EQ(1, got.nports);
	ASSERT_EQ(1701, got.ports[0]);
	ASSERT_EQ(L2TP_IPSEC_DEFAULT_MAX_BINDINGS, got.max_bindings);

	memset(&c, 0, sizeof(c));
	CSET(&c, MAX_BINDINGS, max_bindings, 5);
	ASSERT_OK(nlh_config_set(&self->h, &c));
	ASSERT_OK(nlh_config_get(&self->h, &got));
	ASSERT_EQ(L2TP_IPSEC_POLICY_REQUIRE_IPSEC, got.policy);
	ASSERT_EQ(1, got.nports);
	ASSERT_EQ(5, got.max_bindings);
}

TEST_F(config, num_bindings_follows_add_del)
{
	struct binding a, b;

	ASSERT_NUM_BINDINGS(&self->h, 0);
	binding_v4(&a, L4, 1701, P4, 1701);
	binding_v6(&b, L6, 1701, NULL, 0);
	ASSERT_OK(nlh_binding_add(&self->h, &a));
	ASSERT_NUM_BINDINGS(&self->h, 1);
	ASSERT_OK(nlh_binding_add(&self->h, &b));
	ASSERT_NUM_BINDINGS(&self->h, 2);
	ASSERT_OK(nlh_binding_del(&self->h, &a));
	ASSERT_NUM_BINDINGS(&self->h, 1);
	ASSERT_OK(nlh_binding_flush(&self->h));
	ASSERT_NUM_BINDINGS(&self->h, 0);
}

/*
 * Set @c and require @err with an extack message containing @msg; the config
 * must not change.
 */
static void set_rejected(struct __test_metadata *_metadata, struct nlh *h,
			 const struct config *c, int err, const char *msg)
{
	struct config before, after;
	struct nlmsghdr *req;
	int i;

	ASSERT_EQ(0, nlh_config_get(h, &before));
	req = nlh_req(h, L2TP_IPSEC_CMD_CONFIG_SET, 0);
	config_put(req, c);
	EXPECT_REJECT(h, req, err, msg);
	ASSERT_EQ(0, nlh_config_get(h, &after));
	ASSERT_EQ(before.policy, after.policy) TH_LOG("a rejected set changed the policy");
	ASSERT_EQ(before.mode, after.mode) TH_LOG("a rejected set changed the mode");
	ASSERT_EQ(before.max_bindings, after.max_bindings)
		TH_LOG("a rejected set changed max-bindings");
	ASSERT_EQ(before.nports, after.nports) TH_LOG("a rejected set changed the ports");
	sort_ports(before.ports, before.nports);
	sort_ports(after.ports, after.nports);
	for (i = 0; i < before.nports; i++)
		ASSERT_EQ(before.ports[i], after.ports[i]);
}

TEST_F(config, set_rejects_mode_inherit)
{
	struct config c = { 0 };

	CSET(&c, MODE, mode, L2TP_IPSEC_MODE_INHERIT);
	set_rejected(_metadata, &self->h, &c, ERANGE, "integer out of range");
}

TEST_F(config, set_rejects_mode_3)
{
	struct config c = { 0 };

	CSET(&c, MODE, mode, 3);
	set_rejected(_metadata, &self->h, &c, ERANGE, "integer out of range");
}

TEST_F(config, set_rejects_policy_3)
{
	struct config c = { 0 };

	CSET(&c, POLICY, policy, 3);
	set_rejected(_metadata, &self->h, &c, ERANGE, "integer out of range");
}

TEST_F(config, set_rejects_17_ports)
{
	struct config c = { 0 };
	int i;

	CSET(&c, PORTS, nports, L2TP_IPSEC_MAX_PORTS + 1);
	for (i = 0; i < c.nports; i++)
		c.ports[i] = 2000 + i;
	set_rejected(_metadata, &self->h, &c, EINVAL, "Too many ports");
}

TEST_F(config, set_rejects_port_0)
{
	struct config c = { 0 };

	CSET(&c, PORTS, nports, 2);
	c.ports[0] = 1701;
	c.ports[1] = 0;
	set_rejected(_metadata, &self->h, &c, ERANGE, "integer out of range");
}

TEST_F(config, set_rejects_max_bindings_0)
{
	struct config c = { 0 };

	CSET(&c, MAX_BINDINGS, max_bindings, 0);
	set_rejected(_metadata, &self->h, &c, ERANGE, "integer out of range");
}

TEST_F(config, set_rejects_max_bindings_past_limit)
{
	struct config c = { 0 };

	CSET(&c, MAX_BINDINGS, max_bindings, L2TP_IPSEC_MAX_BINDINGS_LIMIT + 1);
	set_rejected(_metadata, &self->h, &c, ERANGE, "integer out of range");
}

TEST_F(config, set_rejects_max_bindings_below_count)
{
	struct config c = { 0 }, got;
	struct binding b;
	int i;

	for (i = 0; i < 3; i++) {
		binding_v4(&b, L4, 1701 + i, NULL, 0);
		ASSERT_OK(nlh_binding_add(&self->h, &b));
	}
	CSET(&c, MAX_BINDINGS, max_bindings, 2);
	set_rejected(_metadata, &self->h, &c, EBUSY, "Fewer than the bindings present");
	/* Equal to the count is fine. */
	c.max_bindings = 3;
	ASSERT_OK(nlh_config_set(&self->h, &c));
	ASSERT_OK(nlh_config_get(&self->h, &got));
	ASSERT_EQ(3, got.max_bindings);
	ASSERT_EQ(3, got.num_bindings);
}

TEST_F(config, set_rejected_as_a_whole)
{
	struct config c = { 0 };
	int i;

	/* Valid policy, mode and max-bindings, but one port too many. */
	CSET(&c, POLICY, policy, L2TP_IPSEC_POLICY_DROP);
	CSET(&c, MODE, mode, L2TP_IPSEC_MODE_AUDIT);
	CSET(&c, MAX_BINDINGS, max_bindings, 10);
	CSET(&c, PORTS, nports, L2TP_IPSEC_MAX_PORTS + 1);
	for (i = 0; i < c.nports; i++)
		c.ports[i] = 3000 + i;
	set_rejected(_metadata, &self->h, &c, EINVAL, "Too many ports");

	/* Valid ports, but max-bindings below the count. */
	memset(&c, 0, sizeof(c));
	{
		struct binding b;

		binding_v4(&b, L4, 1701, NULL, 0);
		ASSERT_OK(nlh_binding_add(&self->h, &b));
		binding_v4(&b, L4, 1702, NULL, 0);
		ASSERT_OK(nlh_binding_add(&self->h, &b));
	}
	CSET(&c, POLICY, policy, L2TP_IPSEC_POLICY_DROP);
	CSET(&c, PORTS, nports, 1);
	c.ports[0] = 9999;
	CSET(&c, MAX_BINDINGS, max_bindings, 1);
	set_rejected(_metadata, &self->h, &c, EBUSY, "Fewer than the bindings present");
}

TEST_F(config, set_rejects_missing_nest)
{
	struct nlmsghdr *req = nlh_req(&self->h, L2TP_IPSEC_CMD_CONFIG_SET, 0);

	EXPECT_REJECT(&self->h, req, EINVAL, "Config attribute missing");
}

TEST_F(config, set_rejects_unknown_attr_in_nest)
{
	struct nlmsghdr *req = nlh_req(&self->h, L2TP_IPSEC_CMD_CONFIG_SET, 0);
	struct nlattr *nest;

	nest = mnl_attr_nest_start(req, L2TP_IPSEC_A_CONFIG);
	mnl_attr_put_u8(req, L2TP_IPSEC_A_CONFIG_POLICY, L2TP_IPSEC_POLICY_DROP);
	mnl_attr_put_u32(req, 200, 1);
	mnl_attr_nest_end(req, nest);
	EXPECT_REJECT(&self->h, req, EINVAL, "Unknown attribute type");
}

TEST_F(config, set_rejects_unknown_attr_in_ports)
{
	struct nlmsghdr *req = nlh_req(&self->h, L2TP_IPSEC_CMD_CONFIG_SET, 0);
	struct nlattr *nest, *ports;

	nest = mnl_attr_nest_start(req, L2TP_IPSEC_A_CONFIG);
	ports = mnl_attr_nest_start(req, L2TP_IPSEC_A_CONFIG_PORTS);
	mnl_attr_put_u16(req, L2TP_IPSEC_A_PORT, 1701);
	mnl_attr_put_u16(req, 7, 1702);
	mnl_attr_nest_end(req, ports);
	mnl_attr_nest_end(req, nest);
	EXPECT_REJECT(&self->h, req, EINVAL, "Unknown attribute type");
}

/* ======================================================================== */
/* Counters */

NL_FIXTURE(stats);

TEST_F(stats, namespace_has_every_counter_at_0)
{
	struct stats s;

	ASSERT_OK(nlh_stats_get(&self->h, NULL, &s));
	assert_stats_zero(_metadata, &s, S_NS_BITS);
}

TEST_F(stats, binding_has_its_counters_at_0)
{
	struct binding b;
	struct stats s;

	base_v4(&b);
	ASSERT_OK(nlh_binding_add(&self->h, &b));
	ASSERT_OK(nlh_stats_get(&self->h, &b, &s));
	/* Exactly the binding counters: no accepted-unbound, no dropped-policy. */
	assert_stats_zero(_metadata, &s, S_BINDING_BITS);

	binding_v6(&b, L6, 1701, NULL, 0);
	ASSERT_OK(nlh_binding_add(&self->h, &b));
	ASSERT_OK(nlh_stats_get(&self->h, &b, &s));
	assert_stats_zero(_metadata, &s, S_BINDING_BITS);
}

TEST_F(stats, binding_missing_rejected)
{
	struct nlmsghdr *req = nlh_req(&self->h, L2TP_IPSEC_CMD_STATS_GET, 0);
	struct binding b;

	base_v4(&b);
	binding_put(req, &b, B_KEY_BITS);
	EXPECT_REJECT(&self->h, req, ENOENT, "No such binding");
}

TEST_F(stats, binding_bad_key_rejected)
{
	struct nlmsghdr *req = nlh_req(&self->h, L2TP_IPSEC_CMD_STATS_GET, 0);
	struct binding b;

	binding_v4(&b, L4, 1701, NULL, 1701);	/* peer port without address */
	binding_put(req, &b, B_KEY_BITS);
	EXPECT_REJECT(&self->h, req, EINVAL, "Peer port needs a peer address");
}

TEST_HARNESS_MAIN
