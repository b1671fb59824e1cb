// SPDX-License-Identifier: GPL-2.0
/*
 * splat_warn - self-test of the VM harness's kernel log scan.
 *
 * Loading it raises a kernel WARNING and fails with -EAGAIN, so it never
 * stays loaded. scripts/vm-run must see the WARNING and fail the run.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/module.h>

static int __init splat_warn_init(void)
{
	WARN(1, "l2tp_ipsec harness self-test");
	return -EAGAIN;
}
module_init(splat_warn_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Raise one kernel WARNING to test the VM harness");
