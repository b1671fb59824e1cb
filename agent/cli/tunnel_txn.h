/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_TUNNEL_TXN_H
#define AGENT_TUNNEL_TXN_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/binding.h"
#include "kernel/l2tp.h"
#include "kernel/nl.h"

/*
 * The transactions of static tunnels, "tunnel add" and "tunnel del": which
 * requests go in which order, and what is undone when one fails. They say
 * nothing themselves: the result names the step, the errno and the
 * kernel's message, and the command line puts words on them.
 */

struct modclient;

/* How long to wait for the kernel's deferred tunnel deletion. */
#define TXN_GONE_TIMEOUT_MS 2000

/**
 * enum tunnel_txn_step - a step of "tunnel add" or "tunnel del"
 * @TXN_OK: none failed
 * @TXN_BINDING: add: BINDING_ADD; del and rollback: BINDING_DEL (-ENOENT,
 *	already gone, is no failure)
 * @TXN_SAS: add: the SA dump the filters' reqids come from
 * @TXN_FILTER_SET: add: the per-tunnel filter set (-ENOSPC)
 * @TXN_FILTERS: add: installing a filter (-EEXIST: a policy not ours holds
 *	its selector); del and rollback: deleting one (-ENOENT is no failure)
 * @TXN_SPD: del: the SPD dump the tunnel's filters are found in
 * @TXN_LOOKUP: del: TUNNEL_GET (-ENODEV: no such tunnel)
 * @TXN_TUNNEL: add: TUNNEL_CREATE; del and rollback: TUNNEL_DELETE and the
 *	wait until the kernel has done it (-ETIMEDOUT)
 * @TXN_SESSIONS: del: the session dump
 * @TXN_SESSION: add: SESSION_CREATE; del: SESSION_DELETE
 * @TXN_STEP_COUNT: number of the above
 *
 * "tunnel add" runs BINDING, SAS, FILTER_SET, FILTERS, TUNNEL, SESSION;
 * "tunnel del" LOOKUP, SESSIONS, SESSION, TUNNEL, SPD, FILTERS, BINDING.
 */
enum tunnel_txn_step {
	TXN_OK,
	TXN_BINDING,
	TXN_SAS,
	TXN_FILTER_SET,
	TXN_FILTERS,
	TXN_SPD,
	TXN_LOOKUP,
	TXN_TUNNEL,
	TXN_SESSIONS,
	TXN_SESSION,
	TXN_STEP_COUNT,
};

#define TXN_BIT(step) (1u << (step))

/**
 * struct tunnel_txn - the open clients a transaction talks to
 * @mc: the module's family: bindings
 * @lc: the kernel's L2TP family: tunnels and sessions
 * @xnl: a NETLINK_XFRM socket: SAs and policies
 * @gone_ms: how long to wait for a deleted tunnel to go, e.g.
 *	TXN_GONE_TIMEOUT_MS
 */
struct tunnel_txn {
	struct modclient *mc;
	struct l2tp_client *lc;
	struct nl *xnl;
	unsigned int gone_ms;
};

/**
 * struct tunnel_txn_fault - a request that failed, kept as the error
 *	messages need it: later requests on the socket clear its extack
 * @err: negative errno
 * @kernel_err: @err if the kernel answered with it, 0 if it is ours (a
 *	malformed reply, a timeout...)
 * @extack: the kernel's message about the request, empty if none
 */
struct tunnel_txn_fault {
	int err;
	int kernel_err;
	char extack[NL_EXTACK_LEN];
};

/**
 * struct tunnel_txn_result - how a transaction went
 * @step: the step that failed, TXN_OK if none
 * @fault: why it failed
 * @holder_priority: add, TXN_FILTERS with -EEXIST: the priority of the
 *	policy, not ours, that holds the filter's selector
 * @session_id: del, TXN_SESSION: the session that was not deleted
 * @key: del: the tunnel's binding key, zero if it has none (not UDP, not
 *	connected)
 * @nfilters: add: filters installed; del: filters deleted
 * @nheld: add: filters whose place an equal policy not ours holds (an IKE
 *	daemon's for the same SA: spd_protects_as()), left to it
 * @undone: add: TXN_BIT() of each step the rollback undid, wholly
 * @undo_failed: add: TXN_BIT() of each step whose undoing failed, wholly
 *	or partly; after TXN_TUNNEL nothing more is undone (a tunnel that is
 *	still there keeps its filters and binding)
 * @undo: the first failure of each step in @undo_failed
 * @filters_left: add: filters the rollback failed to delete
 * @lingered: del: the tunnel was still there after @gone_ms; its filters
 *	and binding were deleted all the same
 */
struct tunnel_txn_result {
	enum tunnel_txn_step step;
	struct tunnel_txn_fault fault;
	uint32_t holder_priority;
	uint32_t session_id;
	struct binding key;
	unsigned int nfilters;
	unsigned int nheld;
	unsigned int undone;
	unsigned int undo_failed;
	struct tunnel_txn_fault undo[TXN_STEP_COUNT];
	unsigned int filters_left;
	bool lingered;
};

/**
 * tunnel_txn_add() - make a static tunnel, or leave nothing behind
 * @tx: the clients
 * @b: the binding of the tunnel's 4-tuple
 * @t: the tunnel
 * @s: its session
 * @res: how it went (overwritten)
 *
 * The binding comes first, so that the tunnel's first packet is checked;
 * then the per-tunnel filters (the responder's set, RFC 3193 section
 * 4.2.2, pinned to the SAs' reqids), so that it is protected; then the
 * tunnel and its session. When a step fails, those before it are undone
 * in reverse: the tunnel deleted and waited for, the filters installed
 * deleted last first, the binding deleted. A tunnel that cannot be
 * deleted keeps its filters and binding, so that it never carries an
 * unchecked packet. Every failure of the rollback is in @res.
 *
 * Return: the step that failed, TXN_OK if none (also @res->step).
 */
enum tunnel_txn_step tunnel_txn_add(const struct tunnel_txn *tx,
				    const struct binding *b,
				    const struct l2tp_tunnel *t,
				    const struct l2tp_session *s,
				    struct tunnel_txn_result *res);

/**
 * tunnel_txn_del() - delete a tunnel with all it was made with
 * @tx: the clients
 * @tunnel_id: the tunnel
 * @res: how it went (overwritten)
 *
 * Its sessions one by one (listeners hear of each), the tunnel, waited
 * for, then its per-tunnel filters (whoever installed them) and last its
 * binding, so that its last packet was checked too. Stops at the first
 * failure; what is left still checks the tunnel's packets. A tunnel that
 * is still there after @tx->gone_ms loses its filters and binding anyway
 * (@res->lingered).
 *
 * Return: the step that failed, TXN_OK if none (also @res->step).
 */
enum tunnel_txn_step tunnel_txn_del(const struct tunnel_txn *tx,
				    uint32_t tunnel_id,
				    struct tunnel_txn_result *res);

#endif
