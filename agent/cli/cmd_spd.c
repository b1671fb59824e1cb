// SPDX-License-Identifier: GPL-2.0
/*
 * l2tp-ipsec spd install|show|remove: the static SPD of RFC 5619 section
 * 3.5.4 and Appendix A (filters.c) in the kernel (xfrm.c).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/xfrm.h>

#include "cli/cli.h"
#include "kernel/xfrm.h"
#include "policy/filters.h"
#include "policy/spd.h"
#include "text/args.h"
#include "text/xfrm.h"

#define ERRLEN 256

/* A unicast host address of either family, into @family and @ip. */
static int parse_addr(const char *kw, const char *s, int *family,
		      union inet_addr *ip, char *err, size_t errlen)
{
	uint32_t v4;

	memset(ip, 0, sizeof(*ip));
	if (inet_pton(AF_INET, s, &ip->v4) == 1) {
		*family = AF_INET;
		v4 = ntohl(ip->v4.s_addr);
		if ((v4 >> 24) == 0 || IN_MULTICAST(v4) || v4 == INADDR_BROADCAST)
			return args_fail(ARGS_BAD_VALUE, err, errlen,
					 "bad %s '%s': not a unicast address", kw, s);
		return 0;
	}
	if (inet_pton(AF_INET6, s, &ip->v6) == 1) {
		*family = AF_INET6;
		if (IN6_IS_ADDR_UNSPECIFIED(&ip->v6) || IN6_IS_ADDR_MULTICAST(&ip->v6))
			return args_fail(ARGS_BAD_VALUE, err, errlen,
					 "bad %s '%s': not a unicast address", kw, s);
		if (IN6_IS_ADDR_V4MAPPED(&ip->v6))
			return args_fail(ARGS_BAD_VALUE, err, errlen,
					 "bad %s '%s': IPv4-mapped IPv6 addresses are not allowed; write the IPv4 address",
					 kw, s);
		return 0;
	}
	return args_fail(ARGS_BAD_VALUE, err, errlen,
			 "bad %s '%s': not an IPv4 or IPv6 address", kw, s);
}

/* "role si|sc local ADDR [remote ADDR|any] [nat-t]" */
static int spd_args(int argc, char **argv, struct filter_base *b, char *err,
		    size_t errlen)
{
	const char *role = NULL, *local = NULL, *remote = NULL;
	bool nat_t = false;
	const char **val;
	int i, family = 0, rfamily = 0, ret;

	memset(b, 0, sizeof(*b));
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "nat-t")) {
			if (nat_t)
				return args_fail(ARGS_BAD_SYNTAX, err, errlen,
						 "'nat-t' given twice");
			nat_t = true;
			continue;
		}
		if (!strcmp(argv[i], "role"))
			val = &role;
		else if (!strcmp(argv[i], "local"))
			val = &local;
		else if (!strcmp(argv[i], "remote"))
			val = &remote;
		else
			return args_fail(ARGS_BAD_SYNTAX, err, errlen,
					 "unknown keyword '%s'", argv[i]);
		if (*val)
			return args_fail(ARGS_BAD_SYNTAX, err, errlen, "'%s' given twice", argv[i]);
		if (i + 1 >= argc)
			return args_fail(ARGS_BAD_SYNTAX, err, errlen,
					 "'%s' needs a value", argv[i]);
		*val = argv[++i];
	}
	if (!role)
		return args_fail(ARGS_BAD_SYNTAX, err, errlen, "'role si|sc' is missing");
	if (!local)
		return args_fail(ARGS_BAD_SYNTAX, err, errlen, "'local ADDR' is missing");

	if (!strcmp(role, "si"))
		b->role = FILTER_INITIATOR;
	else if (!strcmp(role, "sc"))
		b->role = FILTER_RESPONDER;
	else
		return args_fail(ARGS_BAD_VALUE, err, errlen,
				 "bad role '%s': must be si (initiator, LAC) or sc (responder, LNS)",
				 role);
	ret = parse_addr("local", local, &family, &b->local, err, errlen);
	if (ret)
		return ret;
	b->family = family;
	b->nat_t = nat_t;
	b->remote.any = true;
	if (remote && strcmp(remote, "any")) {
		ret = parse_addr("remote", remote, &rfamily, &b->remote.ip, err, errlen);
		if (ret)
			return ret;
		if (rfamily != family)
			return args_fail(ARGS_BAD_VALUE, err, errlen,
					 "local '%s' and remote '%s' are of different address families",
					 local, remote);
		b->remote.any = false;
	}
	if (b->role == FILTER_INITIATOR && b->remote.any)
		return args_fail(ARGS_BAD_VALUE, err, errlen,
				 "role si needs 'remote ADDR', the concentrator's address%s",
				 remote ? ", not 'any'" : "");
	return 0;
}

/* ---- spd install ------------------------------------------------------ */

/* A policy not ours that holds the place of one of @set, or NULL. */
static const struct xpolicy *conflict(const struct xpolicy *list, size_t n,
				      const struct filter *set, int nset,
				      struct xpolicy *want)
{
	size_t i;
	int j;

	for (j = 0; j < nset; j++) {
		spd_from_filter(&set[j], want);
		for (i = 0; i < n; i++)
			if (xfrm_policy_same_id(&list[i], want) &&
			    !spd_ours(&list[i]))
				return &list[i];
	}
	return NULL;
}

/*
 * All or nothing as far as we can: the whole set is checked against the
 * SPD first, and a policy of someone else's with the place of one of ours
 * stops the install before anything changes. One that appears meanwhile
 * is caught by spd_policy_install() and stops it there.
 */
static int spd_install(const struct cli *cli, int argc, char **argv)
{
	struct filter set[FILTER_SET_MAX];
	char err[ERRLEN], what[POLICY_STRLEN];
	const struct xpolicy *other;
	struct xpolicy p, holder, *list;
	struct filter_base b;
	struct nl nl;
	size_t nlist;
	int i, n, ret;

	(void)cli;
	ret = spd_args(argc, argv, &b, err, sizeof(err));
	if (ret)
		return cli_args_error("spd", ret, err);
	n = filter_base_set(&b, set, FILTER_SET_MAX);
	if (n < 0) {
		cli_error("spd install: no filter set for these arguments: %s", strerror(-n));
		return EXIT_USAGE;
	}
	ret = cli_open_xfrm(&nl);
	if (ret)
		return ret;
	ret = xfrm_policy_list(&nl, &list, &nlist);
	if (ret) {
		ret = cli_xfrm_error(&nl, "spd install: reading the SPD", ret);
		goto out;
	}
	other = conflict(list, nlist, set, n, &p);
	if (other) {
		cli_error("spd install: %s: a policy that is not ours (priority %" PRIu32
			  ", index %" PRIu32 ") has this selector; nothing installed",
			  policy_str(&p, what, sizeof(what)), other->priority, other->index);
		ret = EXIT_KERNEL;
	}
	free(list);
	for (i = 0; i < n && !ret; i++) {
		spd_from_filter(&set[i], &p);
		ret = spd_policy_install(&nl, &p, &holder);
		if (ret == -EEXIST) {
			cli_error("spd install: %s: a policy that is not ours (priority %" PRIu32
				  ", index %" PRIu32 ") appeared with this selector; left alone",
				  policy_str(&p, what, sizeof(what)), holder.priority, holder.index);
			ret = EXIT_KERNEL;
		} else if (ret) {
			snprintf(err, sizeof(err), "spd install: %s", policy_str(&p, what, sizeof(what)));
			ret = cli_xfrm_error(&nl, err, ret);
		}
	}
out:
	nl_close(&nl);
	return ret;
}

/* ---- spd show --------------------------------------------------------- */

/* By family, direction (out, in, fwd), then the order the kernel uses. */
static int order(const void *a, const void *b)
{
	static const int rank[] = { [XFRM_POLICY_OUT] = 0, [XFRM_POLICY_IN] = 1,
				    [XFRM_POLICY_FWD] = 2 };
	const struct xpolicy *x = a, *y = b;
	int rx = x->dir < 3 ? rank[x->dir] : 3, ry = y->dir < 3 ? rank[y->dir] : 3;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if (rx != ry)
		return rx < ry ? -1 : 1;
	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	return 0;
}

static int spd_show(const struct cli *cli, int argc, char **argv)
{
	struct xpolicy *list;
	struct nl nl;
	size_t n;
	int ret;

	ret = cli_no_more_args("spd", argc, argv);
	if (ret)
		return ret;
	ret = cli_open_xfrm(&nl);
	if (ret)
		return ret;
	ret = xfrm_policy_list(&nl, &list, &n);
	if (ret && ret != -EINTR) {
		ret = cli_xfrm_error(&nl, "spd show", ret);
		goto out;
	}
	qsort(list, n, sizeof(*list), order);
	render_policies(cli->out, list, n);
	ret = ret ? cli_xfrm_error(&nl, "spd show", ret) : EXIT_OK;
	free(list);
out:
	nl_close(&nl);
	return ret;
}

/* ---- spd remove ------------------------------------------------------- */

/*
 * Is @p to go: every policy of ours when @n is negative, else those of the
 * base set @set (a tunnel's filters are the agent's to remove).
 */
static bool selected(const struct xpolicy *p, const struct filter *set, int n)
{
	if (n < 0)
		return spd_ours(p);
	return spd_base_member(p, set, (size_t)n);
}

static int spd_remove(const struct cli *cli, int argc, char **argv)
{
	struct filter set[FILTER_SET_MAX];
	char err[ERRLEN], what[POLICY_STRLEN];
	struct xpolicy *list;
	struct filter_base b;
	struct nl nl;
	int nset = -1, ret;
	size_t n, i;

	(void)cli;
	if (argc) {
		ret = spd_args(argc, argv, &b, err, sizeof(err));
		if (ret)
			return cli_args_error("spd", ret, err);
		nset = filter_base_set(&b, set, FILTER_SET_MAX);
		if (nset < 0) {
			cli_error("spd remove: no filter set for these arguments: %s",
				  strerror(-nset));
			return EXIT_USAGE;
		}
	}
	ret = cli_open_xfrm(&nl);
	if (ret)
		return ret;
	ret = xfrm_policy_list(&nl, &list, &n);
	if (ret) {
		ret = cli_xfrm_error(&nl, "spd remove", ret);
		goto out;
	}
	for (i = 0; i < n && !ret; i++) {
		if (!selected(&list[i], set, nset))
			continue;
		ret = xfrm_policy_del(&nl, &list[i]);
		if (ret == -ENOENT)	/* gone meanwhile: fine */
			ret = 0;
		if (ret) {
			snprintf(err, sizeof(err), "spd remove: %s",
				 policy_str(&list[i], what, sizeof(what)));
			ret = cli_xfrm_error(&nl, err, ret);
		}
	}
	free(list);
out:
	nl_close(&nl);
	return ret;
}

static const struct cli_cmd rows[] = {
	CLI_CMD("install", spd_install,
		"l2tp-ipsec spd install role si|sc local ADDR [remote ADDR|any] [nat-t]\n"),
	CLI_CMD("show", spd_show, "l2tp-ipsec [-j] spd show\n"),
	CLI_CMD("remove", spd_remove,
		"l2tp-ipsec spd remove [role si|sc local ADDR [remote ADDR|any] [nat-t]]\n"),
};

const struct cli_group spd_cmds = CLI_GROUP("spd", rows);
