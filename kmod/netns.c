// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: created with the namespace, its hooks
 * registered with it, all of it freed when the namespace or the module goes.
 */

#include <linux/netfilter.h>
#include <linux/slab.h>
#include <net/net_namespace.h>

#include "binding.h"
#include "event.h"
#include "hook.h"
#include "steer.h"
#include "netns.h"

unsigned int l2tp_ipsec_net_id __read_mostly;

/**
 * l2tp_ipsec_watch_update - recompute whether the hook judges @port
 * @ln: the namespace's state
 * @port: a UDP port
 *
 * A port is watched while it is configured or some binding's local port.
 * Context: ln->lock held, or the namespace being set up.
 */
void l2tp_ipsec_watch_update(struct l2tp_ipsec_net *ln, u16 port)
{
	bool on = xa_load(&ln->port_refs, port);
	unsigned int i;

	for (i = 0; i < ln->nports && !on; i++)
		on = ln->ports[i] == port;
	if (on)
		set_bit(port, ln->watch);
	else
		clear_bit(port, ln->watch);
}

/**
 * l2tp_ipsec_stats_read - sum the namespace's per-CPU counters
 * @ln: the namespace's state
 * @out: the sums, indexed by enum l2tp_ipsec_counter
 */
void l2tp_ipsec_stats_read(struct l2tp_ipsec_net *ln,
			   u64 out[L2TP_IPSEC_CNT_NUM])
{
	u64 v[L2TP_IPSEC_CNT_NUM];
	unsigned int start, i;
	int cpu;

	memset(out, 0, sizeof(v));
	for_each_possible_cpu(cpu) {
		const struct l2tp_ipsec_pcpu_stats *s;

		s = per_cpu_ptr(ln->stats, cpu);
		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < L2TP_IPSEC_CNT_NUM; i++)
				v[i] = u64_stats_read(&s->cnt[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < L2TP_IPSEC_CNT_NUM; i++)
			out[i] += v[i];
	}
}

static int __net_init l2tp_ipsec_net_init(struct net *net)
{
	struct l2tp_ipsec_net *ln = l2tp_ipsec_pernet(net);
	int cpu, err;

	mutex_init(&ln->lock);
	ln->policy = L2TP_IPSEC_POLICY_PASS;
	ln->mode = L2TP_IPSEC_MODE_ENFORCE;
	ln->max_bindings = L2TP_IPSEC_DEFAULT_MAX_BINDINGS;
	ln->ports[0] = L2TP_IPSEC_DEFAULT_PORT;
	ln->nports = 1;
	__set_bit(L2TP_IPSEC_DEFAULT_PORT, ln->watch);
	l2tp_ipsec_event_limit_init(&ln->violations);
	l2tp_ipsec_event_limit_init(&ln->unbound);

	ln->stats = alloc_percpu_gfp(struct l2tp_ipsec_pcpu_stats,
				     GFP_KERNEL_ACCOUNT);
	if (!ln->stats)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(ln->stats, cpu)->syncp);

	err = l2tp_ipsec_steer_init(ln);
	if (err)
		goto free_stats;
	err = l2tp_ipsec_bindings_init(ln);
	if (err)
		goto destroy_steer;

	err = nf_register_net_hooks(net, l2tp_ipsec_nf_ops,
				    L2TP_IPSEC_NF_OPS_NUM);
	if (err)
		goto destroy_bindings;
	return 0;

destroy_bindings:
	l2tp_ipsec_bindings_destroy(ln);
destroy_steer:
	l2tp_ipsec_steer_destroy(ln);
free_stats:
	free_percpu(ln->stats);
	return err;
}

/* The core waits for an RCU grace period between pre_exit and exit, so
 * no packet is left in the hook when exit frees the tables.
 */
static void __net_exit l2tp_ipsec_net_pre_exit(struct net *net)
{
	nf_unregister_net_hooks(net, l2tp_ipsec_nf_ops, L2TP_IPSEC_NF_OPS_NUM);
}

static void __net_exit l2tp_ipsec_net_exit(struct net *net)
{
	struct l2tp_ipsec_net *ln = l2tp_ipsec_pernet(net);

	l2tp_ipsec_steer_destroy(ln);
	l2tp_ipsec_bindings_destroy(ln);
	free_percpu(ln->stats);
	mutex_destroy(&ln->lock);
}

static struct pernet_operations l2tp_ipsec_net_ops = {
	.init = l2tp_ipsec_net_init,
	.pre_exit = l2tp_ipsec_net_pre_exit,
	.exit = l2tp_ipsec_net_exit,
	.id = &l2tp_ipsec_net_id,
	.size = sizeof(struct l2tp_ipsec_net),
};

/**
 * l2tp_ipsec_netns_register - set up every namespace, now and to come
 *
 * Return: 0 or -errno.
 */
int l2tp_ipsec_netns_register(void)
{
	return register_pernet_subsys(&l2tp_ipsec_net_ops);
}

/**
 * l2tp_ipsec_netns_unregister - tear down every namespace's state
 */
void l2tp_ipsec_netns_unregister(void)
{
	unregister_pernet_subsys(&l2tp_ipsec_net_ops);
}
