/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared fixture and assertions of the l2tp_ipsec netlink selftests.
 * Include after kselftest_harness.h.
 *
 * The 6.1 harness forks every test (setup, body, teardown) into its own
 * process, so FIXTURE_SETUP's unshare(CLONE_NEWNET) gives every test a fresh
 * network namespace that dies with the test.
 */
#ifndef NLTEST_H
#define NLTEST_H

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "nlhelp.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

static inline const char *errname(int err)
{
	const char *n;

	if (err < 0)
		err = -err;
	if (!err)
		return "0";
	n = strerrorname_np(err);
	return n ? n : "?";
}

/* " (missing attribute N reported)" if the extack named one, else "". */
static inline const char *ext_miss_str(const struct nlh *h)
{
	static char buf[64];

	if (!h->has_miss_type)
		return "";
	snprintf(buf, sizeof(buf), " (only NLMSGERR_ATTR_MISS_TYPE %u)", h->miss_type);
	return buf;
}

static inline bool has_substr(const char *s, const char *sub)
{
	return strstr(s, sub);
}

static inline double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static inline void nl_setup(struct __test_metadata *_metadata, struct nlh *h)
{
	int err;

	ASSERT_EQ(0, unshare(CLONE_NEWNET))
		TH_LOG("unshare(CLONE_NEWNET): %s (must run as root)", strerror(errno));
	err = nlh_open(h, L2TP_IPSEC_GENL_NAME);
	ASSERT_EQ(0, err)
		TH_LOG("generic netlink family \"%s\" not usable: %s (is l2tp_ipsec.ko loaded?)",
		       L2TP_IPSEC_GENL_NAME, errname(err));
}

/* FIXTURE(name) with a libmnl socket in a fresh network namespace. */
#define NL_FIXTURE(name)					\
	FIXTURE(name) {						\
		struct nlh h;					\
	};							\
	FIXTURE_SETUP(name)					\
	{							\
		nl_setup(_metadata, &self->h);			\
	}							\
	FIXTURE_TEARDOWN(name)					\
	{							\
		nlh_close(&self->h);				\
	}

/*
 * Send @req and require exactly errno @err and an extack message that
 * contains @msg (which must not be empty: every rejection says why); the
 * message goes to the log.
 */
#define EXPECT_REJECT(hp, req, err, msg) do {					\
	const char *__want = (msg);						\
	int __r = nlh_talk((hp), (req), NULL, NULL);				\
	ASSERT_EQ(-(err), __r)							\
		TH_LOG("expected %s, got %s (extack \"%s\")",			\
		       errname(err), errname(__r), (hp)->ext_msg);		\
	ASSERT_NE(0, __want[0]) TH_LOG("no extack message to look for");	\
	ASSERT_TRUE(has_substr((hp)->ext_msg, __want))				\
		TH_LOG("%s with extack \"%s\"%s, expected \"%s\" in it",	\
		       errname(err), (hp)->ext_msg, ext_miss_str(hp), __want);	\
	TH_LOG("%s, extack \"%s\"", errname(err), (hp)->ext_msg);		\
} while (0)

/* A call on handle @hp returning 0 or -errno must return -@want. */
#define ASSERT_NL(hp, want, call) do {						\
	int __r = (call);							\
	ASSERT_EQ(-(want), __r)							\
		TH_LOG("%s: expected %s, got %s (extack \"%s\")", #call,	\
		       errname(want), errname(__r), (hp)->ext_msg);		\
} while (0)

/* The same on the fixture's handle. */
#define ASSERT_ERR(want, call)	ASSERT_NL(&self->h, want, call)
#define ASSERT_OK(call)		ASSERT_NL(&self->h, 0, call)

/*
 * The attributes of reply @got, less those the module may report without
 * having been given them in @sent: MODE inherit (the default) and
 * L2TP_VERSION 2 where V2_TUNNEL_ID was given ("implies version 2").
 * binding.get_replies_only_the_attributes_given checks the first strictly.
 */
static inline uint32_t binding_reply_bits(const struct binding *sent,
					  const struct binding *got)
{
	uint32_t have = got->present;

	if (!(sent->present & B_BIT(MODE)) && got->mode == L2TP_IPSEC_MODE_INHERIT)
		have &= ~B_BIT(MODE);
	if (!(sent->present & B_BIT(L2TP_VERSION)) &&
	    (sent->present & B_BIT(V2_TUNNEL_ID)) && got->version == 2)
		have &= ~B_BIT(L2TP_VERSION);
	return have;
}

/* Bindings present in the namespace of @hp, from config-get. */
#define ASSERT_NUM_BINDINGS(hp, n) do {						\
	struct config __c;							\
	int __r = nlh_config_get((hp), &__c);					\
	ASSERT_EQ(0, __r) TH_LOG("config-get: %s", errname(__r));		\
	ASSERT_TRUE(__c.present & C_BIT(NUM_BINDINGS))				\
		TH_LOG("config-get reply without num-bindings");		\
	ASSERT_EQ((uint32_t)(n), __c.num_bindings);				\
} while (0)

#endif /* NLTEST_H */
