// SPDX-License-Identifier: GPL-2.0
/* The base SPD set of the configuration in force (base_spd.h). */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/base_spd.h"
#include "daemon/config.h"
#include "kernel/nl.h"
#include "kernel/xfrm.h"
#include "lib/log.h"
#include "lib/vec.h"
#include "policy/filters.h"
#include "policy/spd.h"
#include "text/xfrm.h"

/* One host's set into @want, lines another set already has left out. */
static int add_set(struct vec *want, const struct filter_base *b)
{
	struct filter set[FILTER_SET_MAX];
	struct xpolicy p;
	int n, i;

	n = filter_base_set(b, set, FILTER_SET_MAX);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		spd_from_filter(&set[i], &p);
		if (spd_base_member(&p, want->v, want->n))
			continue;
		if (vec_push(want, &set[i], sizeof(set[i])))
			return -ENOMEM;
	}
	return 0;
}

/* Every line the configuration wants, each once. */
static int wanted(const struct agent_config *cfg, struct vec *want)
{
	struct filter_base b;
	unsigned int i;
	size_t j;
	int ret = 0;

	for (i = 0; i < cfg->nlocal && !ret; i++) {
		memset(&b, 0, sizeof(b));
		b.family = cfg->local[i].family;
		memcpy(&b.local, &cfg->local[i].addr, sizeof(b.local));
		b.nat_t = cfg->nat_t;
		if (cfg->role == ROLE_LNS) {
			b.role = FILTER_RESPONDER;
			b.remote.any = true;
			ret = add_set(want, &b);
			continue;
		}
		b.role = FILTER_INITIATOR;
		for (j = 0; j < cfg->pad.n && !ret; j++)
			if (pad_addr(cfg->pad.peers[j].remote_addrs, &b.remote.ip) == b.family)
				ret = add_set(want, &b);
	}
	return ret;
}

static int open_xfrm(struct nl *nl)
{
	int ret = xfrm_open(nl);

	if (ret)
		log_error("base SPD: XFRM netlink socket: %s", strerror(-ret));
	return ret;
}

/* Our base-scope policies of @list not in @want (all if NULL) go. */
static int remove_stale(struct nl *nl, const struct xpolicy *list, size_t n,
			const struct vec *want, size_t *removed)
{
	char what[POLICY_STRLEN];
	size_t i;
	int ret;

	for (i = 0; i < n; i++) {
		if (!spd_ours_base(&list[i]))
			continue;
		if (want && spd_base_member(&list[i], want->v, want->n))
			continue;
		ret = xfrm_policy_del(nl, &list[i]);
		if (ret == -ENOENT)	/* gone meanwhile */
			continue;
		if (ret) {
			log_error("base SPD: removing %s: %s",
				  policy_str(&list[i], what, sizeof(what)), strerror(-ret));
			return ret;
		}
		(*removed)++;
	}
	return 0;
}

int base_spd_apply(const struct agent_config *cfg)
{
	struct vec want = { NULL, 0, 0 };
	char what[POLICY_STRLEN];
	const struct filter *f;
	struct xpolicy p, holder, *list = NULL;
	size_t i, nlist = 0, installed = 0, held = 0, removed = 0;
	struct nl nl;
	int ret;

	if (!cfg->pad.n)
		return 0;
	ret = wanted(cfg, &want);
	if (ret) {
		log_error("base SPD: no filter set for this configuration: %s", strerror(-ret));
		vec_free(&want);
		return ret;
	}
	ret = open_xfrm(&nl);
	if (ret) {
		vec_free(&want);
		return ret;
	}
	f = want.v;
	for (i = 0; i < want.n && !ret; i++) {
		spd_from_filter(&f[i], &p);
		ret = spd_policy_install(&nl, &p, &holder);
		if (ret == -EEXIST) {
			/* The operator's: theirs wins, and they are told. */
			log_warning("base SPD: %s: a policy that is not ours (priority %" PRIu32
				    ", index %" PRIu32 ") has this selector; left alone",
				    policy_str(&p, what, sizeof(what)), holder.priority,
				    holder.index);
			held++;
			ret = 0;
		} else if (ret) {
			log_error("base SPD: installing %s: %s%s%s",
				  policy_str(&p, what, sizeof(what)), strerror(-ret),
				  nl.extack[0] ? ": " : "", nl.extack);
		} else {
			installed++;
		}
	}
	if (!ret)
		ret = xfrm_policy_list(&nl, &list, &nlist);
	if (!ret)
		ret = remove_stale(&nl, list, nlist, &want, &removed);
	else if (ret != -EEXIST)
		log_error("base SPD: reading the SPD: %s", strerror(-ret));
	if (!ret)
		log_info("base SPD (RFC 5619 section 3.5.4): %zu filters in force%s, %zu held by others, %zu stale removed",
			 installed, cfg->nat_t ? " (NAT-T: UDP 4500 passes)" : "", held,
			 removed);
	free(list);
	nl_close(&nl);
	vec_free(&want);
	return ret;
}

/* Does a policy of @list, ours or not, have the place of @p? */
static bool held(const struct xpolicy *list, size_t n, const struct xpolicy *p)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (xfrm_policy_same_id(&list[i], p))
			return true;
	return false;
}

int base_spd_restore(const struct agent_config *cfg)
{
	struct vec want = { NULL, 0, 0 };
	char what[POLICY_STRLEN];
	const struct filter *f;
	struct xpolicy p, *list = NULL;
	size_t i, nlist = 0;
	struct nl nl;
	int ret;

	if (!cfg->pad.n)
		return 0;
	ret = wanted(cfg, &want);
	if (!ret)
		ret = open_xfrm(&nl);
	if (ret) {
		vec_free(&want);
		return ret;
	}
	ret = xfrm_policy_list(&nl, &list, &nlist);
	if (ret)
		log_error("base SPD: reading the SPD: %s", strerror(-ret));
	f = want.v;
	for (i = 0; i < want.n && !ret; i++) {
		spd_from_filter(&f[i], &p);
		if (held(list, nlist, &p))
			continue;
		ret = spd_policy_install(&nl, &p, NULL);
		if (ret == -EEXIST) {	/* someone else's meanwhile */
			ret = 0;
			continue;
		}
		if (ret)
			log_error("base SPD: putting back %s: %s",
				  policy_str(&p, what, sizeof(what)), strerror(-ret));
		else
			log_info("base SPD: %s put back (the policy that had its place is gone)",
				 policy_str(&p, what, sizeof(what)));
	}
	free(list);
	nl_close(&nl);
	vec_free(&want);
	return ret;
}

int base_spd_remove(void)
{
	struct xpolicy *list = NULL;
	size_t n = 0, removed = 0;
	struct nl nl;
	int ret;

	ret = open_xfrm(&nl);
	if (ret)
		return ret;
	ret = xfrm_policy_list(&nl, &list, &n);
	if (ret)
		log_error("base SPD: reading the SPD: %s", strerror(-ret));
	else
		ret = remove_stale(&nl, list, n, NULL, &removed);
	if (!ret)
		log_info("--flush-on-exit: removed the %zu filters of the base SPD", removed);
	free(list);
	nl_close(&nl);
	return ret;
}
