// SPDX-License-Identifier: GPL-2.0
/*
 * The transactions of "tunnel add" and "tunnel del" (tunnel_txn.h), apart
 * from the command line so that host tests can run every path against a
 * fake kernel (tests/host/test-tunnel-txn.c).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/tunnel_txn.h"
#include "kernel/modclient.h"
#include "kernel/xfrm.h"
#include "lib/vec.h"
#include "policy/reconcile.h"
#include "policy/spd.h"

/*
 * Per-tunnel filters of a static tunnel. It has no initiator and no
 * responder: no control connection, each end fixed and known to the other.
 * Its filters are the responder's after phase 2 (RFC 3193 section 4.2.2),
 * the local end as R-IPAddr1:R-Port: exactly the 4-tuple in both
 * directions. The initiator's set would add "from R-IPAddr, any port"
 * inbound, which is only there because a responder may answer from a new
 * port (4.2.4), something a static peer never does.
 */
#define STATIC_ROLE FILTER_RESPONDER

/*
 * Keep @err of the last request on @nl (NULL: not a request) before the
 * next request clears the kernel's message.
 */
static void keep(struct tunnel_txn_fault *f, const struct nl *nl, int err)
{
	f->err = err;
	f->kernel_err = 0;
	f->extack[0] = '\0';
	if (nl && nl->kernel_err == err) {
		f->kernel_err = err;
		memcpy(f->extack, nl->extack, sizeof(f->extack));
	}
}

static enum tunnel_txn_step fail(struct tunnel_txn_result *res,
				 enum tunnel_txn_step step,
				 const struct nl *nl, int err)
{
	res->step = step;
	keep(&res->fault, nl, err);
	return step;
}

/* Only the first failure of a rollback step is kept; each is flagged. */
static void undo_fail(struct tunnel_txn_result *res, enum tunnel_txn_step step,
		      const struct nl *nl, int err)
{
	if (!(res->undo_failed & TXN_BIT(step)))
		keep(&res->undo[step], nl, err);
	res->undo_failed |= TXN_BIT(step);
}

/*
 * Delete tunnel @id and wait for the kernel's deferred deletion: 0 once it
 * is gone, -ETIMEDOUT, or another error.
 */
static int tunnel_gone(const struct tunnel_txn *tx, uint32_t id)
{
	int ret = l2tp_tunnel_delete(tx->lc, id);

	/* -ENODEV: already deleted, maybe not yet gone. */
	if (ret && ret != -ENODEV)
		return ret;
	return l2tp_tunnel_wait_gone(tx->lc, id, tx->gone_ms);
}

/* ------------------------------------------------------------------------ */
/* tunnel add */

static int add_sa(const struct xsa *sa, void *data)
{
	return vec_push(data, sa, sizeof(*sa));
}

/* @t's filters into @set, pinned to the reqids of its SAs: how many. */
static int static_filters(const struct tunnel_txn *tx,
			  const struct l2tp_tunnel *t, const struct binding *b,
			  struct xpolicy *set, struct tunnel_txn_result *res)
{
	struct vec sas = { NULL, 0, 0 };
	uint32_t reqid_in, reqid_out;
	int ret;

	ret = xfrm_sa_dump(tx->xnl, add_sa, &sas);
	if (ret) {
		vec_free(&sas);
		fail(res, TXN_SAS, tx->xnl, ret);
		return ret;
	}
	reconcile_filter_reqids(t, b, sas.v, sas.n, &reqid_in, &reqid_out);
	vec_free(&sas);
	ret = reconcile_tunnel_filters(t, STATIC_ROLE, reqid_in, reqid_out, set,
				       RC_TUNNEL_FILTERS_MAX);
	if (ret < 0)
		fail(res, TXN_FILTER_SET, NULL, ret);
	return ret;
}

/*
 * Undo the steps of @made in reverse. The tunnel goes first and must be
 * gone: while it is there, its filters and binding stay to check it.
 */
static void rollback(const struct tunnel_txn *tx, unsigned int made,
		     const struct binding *b, const struct l2tp_tunnel *t,
		     const struct xpolicy *set, struct tunnel_txn_result *res)
{
	int i, ret;

	if (made & TXN_BIT(TXN_TUNNEL)) {
		ret = tunnel_gone(tx, t->tunnel_id);
		if (ret) {
			undo_fail(res, TXN_TUNNEL, tx->lc->nl, ret);
			return;
		}
		res->undone |= TXN_BIT(TXN_TUNNEL);
	}
	if (made & TXN_BIT(TXN_FILTERS)) {
		/* All it can: one left is no reason to keep the rest. */
		for (i = (int)res->nfilters - 1; i >= 0; i--) {
			ret = xfrm_policy_del(tx->xnl, &set[i]);
			if (ret && ret != -ENOENT) {
				undo_fail(res, TXN_FILTERS, tx->xnl, ret);
				res->filters_left++;
			}
		}
		if (!res->filters_left)
			res->undone |= TXN_BIT(TXN_FILTERS);
	}
	ret = binding_del(tx->mc, b);
	if (ret && ret != -ENOENT)
		undo_fail(res, TXN_BINDING, &tx->mc->nl, ret);
	else
		res->undone |= TXN_BIT(TXN_BINDING);
}

enum tunnel_txn_step tunnel_txn_add(const struct tunnel_txn *tx,
				    const struct binding *b,
				    const struct l2tp_tunnel *t,
				    const struct l2tp_session *s,
				    struct tunnel_txn_result *res)
{
	struct xpolicy set[RC_TUNNEL_FILTERS_MAX], holder;
	unsigned int made = 0;
	int n, i, ret;

	memset(res, 0, sizeof(*res));
	ret = binding_add(tx->mc, b);
	if (ret)
		return fail(res, TXN_BINDING, &tx->mc->nl, ret);
	made |= TXN_BIT(TXN_BINDING);

	n = static_filters(tx, t, b, set, res);
	if (n < 0)
		goto undo;
	for (i = 0; i < n; i++) {
		ret = spd_policy_install(tx->xnl, &set[i], &holder);
		/* The IKE daemon's own filter for this SA: as good as ours. */
		if (ret == -EEXIST && spd_protects_as(&holder, &set[i])) {
			res->nheld++;
			continue;
		}
		if (ret == -EEXIST)
			res->holder_priority = holder.priority;
		if (ret) {
			fail(res, TXN_FILTERS, tx->xnl, ret);
			goto undo;
		}
		/*
		 * Only those installed here, first in @set: a holder's is not
		 * ours to delete (a delete goes by selector).
		 */
		made |= TXN_BIT(TXN_FILTERS);
		set[res->nfilters++] = set[i];
	}

	ret = l2tp_tunnel_create(tx->lc, t);
	if (ret) {
		fail(res, TXN_TUNNEL, tx->lc->nl, ret);
		goto undo;
	}
	made |= TXN_BIT(TXN_TUNNEL);

	ret = l2tp_session_create(tx->lc, s);
	if (ret) {
		fail(res, TXN_SESSION, tx->lc->nl, ret);
		goto undo;
	}
	return TXN_OK;

undo:
	rollback(tx, made, b, t, set, res);
	return res->step;
}

/* ------------------------------------------------------------------------ */
/* tunnel del */

struct session_ids {
	struct vec ids;
	uint32_t tunnel_id;
};

static int add_session_id(const struct l2tp_session *s, void *data)
{
	struct session_ids *si = data;

	if (s->tunnel_id != si->tunnel_id)
		return 0;
	return vec_push(&si->ids, &s->session_id, sizeof(s->session_id));
}

/* The dump first: no request can go while it is read. */
static enum tunnel_txn_step del_sessions(const struct tunnel_txn *tx,
					 uint32_t tunnel_id,
					 struct tunnel_txn_result *res)
{
	struct session_ids si = { .ids = { NULL, 0, 0 }, .tunnel_id = tunnel_id };
	const uint32_t *id;
	size_t i;
	int ret;

	ret = l2tp_session_dump(tx->lc, add_session_id, &si);
	if (ret)
		fail(res, TXN_SESSIONS, tx->lc->nl, ret);
	for (i = 0; !ret && i < si.ids.n; i++) {
		id = (const uint32_t *)si.ids.v + i;
		ret = l2tp_session_delete(tx->lc, tunnel_id, *id);
		if (ret == -ENODEV) {
			ret = 0;	/* gone meanwhile */
		} else if (ret) {
			res->session_id = *id;
			fail(res, TXN_SESSION, tx->lc->nl, ret);
		}
	}
	vec_free(&si.ids);
	return res->step;
}

/* Every filter of @t (reconcile_filter_of()), whoever installed it. */
static enum tunnel_txn_step del_filters(const struct tunnel_txn *tx,
					const struct l2tp_tunnel *t,
					struct tunnel_txn_result *res)
{
	struct xpolicy *list = NULL;
	size_t i, n = 0;
	int ret;

	/* -EINTR comes with a list, to be freed. */
	ret = xfrm_policy_list(tx->xnl, &list, &n);
	if (ret)
		fail(res, TXN_SPD, tx->xnl, ret);
	for (i = 0; !res->step && i < n; i++) {
		if (!reconcile_filter_of(&list[i], t))
			continue;
		ret = xfrm_policy_del(tx->xnl, &list[i]);
		if (ret && ret != -ENOENT)
			fail(res, TXN_FILTERS, tx->xnl, ret);
		else
			res->nfilters++;
	}
	free(list);
	return res->step;
}

enum tunnel_txn_step tunnel_txn_del(const struct tunnel_txn *tx,
				    uint32_t tunnel_id,
				    struct tunnel_txn_result *res)
{
	struct l2tp_tunnel t;
	bool keyed;
	int ret;

	memset(res, 0, sizeof(*res));
	ret = l2tp_tunnel_get(tx->lc, tunnel_id, &t);
	if (ret)
		return fail(res, TXN_LOOKUP, tx->lc->nl, ret);
	keyed = reconcile_tunnel_key(&t, &res->key);

	if (del_sessions(tx, tunnel_id, res))
		return res->step;
	ret = tunnel_gone(tx, tunnel_id);
	if (ret == -ETIMEDOUT)
		res->lingered = true;
	else if (ret)
		return fail(res, TXN_TUNNEL, tx->lc->nl, ret);

	/* Without a 4-tuple it has neither. */
	if (!keyed)
		return TXN_OK;
	if (del_filters(tx, &t, res))
		return res->step;
	ret = binding_del(tx->mc, &res->key);
	if (ret && ret != -ENOENT)	/* -ENOENT: an unbound tunnel */
		return fail(res, TXN_BINDING, &tx->mc->nl, ret);
	return TXN_OK;
}
