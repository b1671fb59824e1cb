// SPDX-License-Identifier: GPL-2.0
/* Error reporting and exit status of the command line. */

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include <linux/l2tp_ipsec.h>

#include "cli/cli.h"
#include "kernel/l2tp.h"
#include "kernel/modclient.h"
#include "kernel/xfrm.h"
#include "text/args.h"

static void verror(const char *fmt, va_list ap)
{
	/* What was printed before the error comes before it on a terminal. */
	fflush(stdout);
	fputs("l2tp-ipsec: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(fmt, ap);
	va_end(ap);
}

int cli_usage_error(const char *topic, bool with_usage, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(fmt, ap);
	va_end(ap);
	if (with_usage)
		usage_synopsis(stderr, topic);
	return EXIT_USAGE;
}

int cli_args_error(const char *topic, int args_ret, const char *err)
{
	return cli_usage_error(topic, args_ret == ARGS_BAD_SYNTAX, "%s", err);
}

int cli_no_more_args(const char *topic, int argc, char **argv)
{
	if (!argc)
		return EXIT_OK;
	return cli_usage_error(topic, true, "unexpected argument '%s'%s", argv[0],
			       argv[0][0] == '-' ?
			       " (options go before the command)" : "");
}

int cli_open(struct modclient *mc)
{
	int ret = modclient_open(mc);

	if (ret == -ENOENT) {
		cli_error("l2tp_ipsec module not loaded (genl family '%s' not found)",
			  L2TP_IPSEC_GENL_NAME);
		return EXIT_NO_MODULE;
	}
	if (ret) {
		cli_error("generic netlink family '%s': %s", L2TP_IPSEC_GENL_NAME,
			  strerror(-ret));
		return EXIT_KERNEL;
	}
	return EXIT_OK;
}

int cli_open_l2tp(struct modclient *mc, struct l2tp_client *lc)
{
	int ret;

	ret = cli_open(mc);
	if (ret)
		return ret;
	ret = l2tp_client_init(lc, &mc->nl);
	if (!ret)
		return EXIT_OK;
	if (ret == -ENOENT) {
		cli_error("kernel L2TP not available (genl family '%s' not found; modprobe l2tp_netlink l2tp_eth)",
			  L2TP_GENL_NAME);
		ret = EXIT_NO_MODULE;
	} else {
		ret = cli_kernel_error(mc, "generic netlink family '" L2TP_GENL_NAME "'", ret);
	}
	modclient_close(mc);
	return ret;
}

int cli_kernel_error(const struct modclient *mc, const char *what, int err)
{
	if (err == mc->nl.kernel_err && mc->nl.extack[0])
		cli_error("%s: %s: %s", what, strerror(-err), mc->nl.extack);
	else if (err == mc->nl.kernel_err)
		cli_error("%s: %s", what, strerror(-err));
	else if (err == -EPROTO)
		cli_error("%s: malformed reply from the kernel", what);
	else if (err == -ENODATA)
		cli_error("%s: the kernel sent no reply", what);
	else if (err == -ELOOP)
		cli_error("%s: the kernel's dump repeated itself (binding ids not increasing); gave up",
			  what);
	else if (err == -EINTR)
		cli_error("%s: the table changed while it was read; the output may be inconsistent, run it again",
			  what);
	else
		cli_error("%s: %s", what, strerror(-err));
	return EXIT_KERNEL;
}

int cli_open_xfrm(struct nl *nl)
{
	int ret = xfrm_open(nl);

	if (!ret)
		return EXIT_OK;
	cli_error("NETLINK_XFRM socket: %s%s", strerror(-ret),
		  ret == -EPROTONOSUPPORT ? " (is the xfrm_user module loaded?)" : "");
	return EXIT_KERNEL;
}

int cli_xfrm_error(const struct nl *nl, const char *what, int err)
{
	if (err == nl->kernel_err && nl->extack[0])
		cli_error("%s: %s: %s", what, strerror(-err), nl->extack);
	else if (err == -EPROTO)
		cli_error("%s: malformed reply from the kernel", what);
	else if (err == -EINTR)
		cli_error("%s: the table changed while it was read; the output may be inconsistent, run it again",
			  what);
	else
		cli_error("%s: %s", what, strerror(-err));
	return EXIT_KERNEL;
}
