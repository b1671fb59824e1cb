// SPDX-License-Identifier: GPL-2.0
/*
 * l2tp_ipsec: RFC 3193 section 3.3 per-packet checks for L2TP/UDP carried
 * in IPsec ESP transport mode.
 */

#include <linux/module.h>
#include <net/genetlink.h>

#include "binding.h"
#include "event.h"
#include "netlink.h"
#include "netns.h"

static int __init l2tp_ipsec_init(void)
{
	int err;

	BUILD_BUG_ON(L2TP_IPSEC_A_STATS_ACCEPTED + L2TP_IPSEC_CNT_NUM - 1 !=
		     L2TP_IPSEC_A_STATS_MAX);

	err = l2tp_ipsec_binding_cache_init();
	if (err)
		return err;
	err = l2tp_ipsec_netns_register();
	if (err)
		goto destroy_cache;
	err = l2tp_ipsec_nl_register();
	if (err)
		goto unregister_netns;
	l2tp_ipsec_events_start();

	pr_info("RFC 3193 checks for L2TP/UDP in IPsec transport mode\n");
	return 0;

unregister_netns:
	l2tp_ipsec_netns_unregister();
destroy_cache:
	l2tp_ipsec_binding_cache_destroy();
	return err;
}

static void __exit l2tp_ipsec_exit(void)
{
	l2tp_ipsec_events_stop();
	l2tp_ipsec_nl_unregister();
	l2tp_ipsec_netns_unregister();
	l2tp_ipsec_binding_cache_destroy();
}

module_init(l2tp_ipsec_init);
module_exit(l2tp_ipsec_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("RFC 3193 section 3.3 checks for L2TP/UDP in IPsec ESP transport mode");
MODULE_ALIAS_GENL_FAMILY(L2TP_IPSEC_GENL_NAME);
