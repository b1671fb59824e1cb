// SPDX-License-Identifier: GPL-2.0
/*
 * l2tp-ipsec show: every L2TP tunnel of the namespace with its binding, the
 * SA that protects it and its state, as the agent's reconcile sees them
 * (reconcile.h): bound, unbound (an SA but no binding), no-sa, other (not
 * a connected UDP tunnel), and the IKE identity of the peer whose
 * CHILD_SA the SA is, when charon answers on its VICI socket.
 */

#include <errno.h>
#include <string.h>

#include "cli/cli.h"
#include "ike/sas.h"
#include "ike/vici_client.h"
#include "kernel/binding.h"
#include "kernel/l2tp.h"
#include "kernel/modclient.h"
#include "kernel/xfrm.h"
#include "lib/vec.h"
#include "policy/reconcile.h"
#include "text/l2tp.h"
#include "text/render.h"

/*
 * charon's CHILD_SAs, for the identity of each tunnel's SA. Without charon
 * there is none to show: no identity is ever guessed from addresses.
 */
static void ike_children(const char *path, struct vec *out)
{
	struct vici_conn c;

	if (!vici_connect(&c, path, 2000) && ike_list_sas(&c, out))
		cli_error("show: %s (identities left out)", c.err);
	vici_close(&c);
}

int cmd_show(const struct cli *cli, int argc, char **argv)
{
	struct vec tunnels = { NULL, 0, 0 }, sas = { NULL, 0, 0 };
	struct vec bindings = { NULL, 0, 0 };
	const struct l2tp_tunnel *t;
	const struct binding *b;
	const struct xsa *in, *out;
	struct l2tp_client lc;
	struct rc_input rin;
	struct modclient mc;
	enum rc_state st;
	struct vec children = { NULL, 0, 0 };
	const char *vici = VICI_SOCKET_DEFAULT;
	struct nl xfrm;
	const char *what;
	size_t i;
	int ret;

	if (argc >= 1 && !strcmp(argv[0], "vici")) {
		if (argc < 2)
			return cli_usage_error("show", true, "'vici' needs a socket path");
		vici = argv[1];
		argc -= 2;
		argv += 2;
	}
	ret = cli_no_more_args("show", argc, argv);
	if (ret)
		return ret;
	ret = cli_open_l2tp(&mc, &lc);
	if (ret)
		return ret;
	ret = xfrm_open(&xfrm);
	if (ret) {
		cli_error("show: NETLINK_XFRM: %s", strerror(-ret));
		modclient_close(&mc);
		return EXIT_KERNEL;
	}
	what = "show: L2TP tunnels";
	ret = l2tp_tunnel_dump(&lc, l2tp_tunnel_collect, &tunnels);
	if (!ret) {
		what = "show: bindings";
		ret = binding_dump(&mc, binding_collect, &bindings);
	}
	if (ret) {
		ret = cli_kernel_error(&mc, what, ret);
		goto out;
	}
	ret = xfrm_sa_dump(&xfrm, xfrm_sa_collect, &sas);
	if (ret) {
		cli_error("show: SAs: %s", strerror(-ret));
		ret = EXIT_KERNEL;
		goto out;
	}

	ike_children(vici, &children);

	rin = (struct rc_input) {
		.tunnels = tunnels.v, .ntunnels = tunnels.n,
		.sas = sas.v, .nsas = sas.n,
		.bindings = bindings.v, .nbindings = bindings.n,
		.owner = RECONCILE_OWNER,
	};
	render_open_object(cli->out, NULL);
	render_open_array(cli->out, "tunnels");
	t = tunnels.v;
	for (i = 0; i < tunnels.n; i++) {
		st = reconcile_tunnel_state(&t[i], &rin, &b, &in);
		out = in ? reconcile_outbound_sa(&t[i], sas.v, sas.n, in->reqid) : NULL;
		/* By its inbound SPI, ours alone to choose. */
		render_tunnel_state(cli->out, &t[i], st, b, in, out,
				    in ? ike_identity_of_spi_in(&children, in->spi) : NULL);
	}
	render_close_array(cli->out);
	render_close_object(cli->out);
out:
	vec_free(&tunnels);
	vec_free(&sas);
	vec_free(&bindings);
	vec_free(&children);
	nl_close(&xfrm);
	modclient_close(&mc);
	return ret;
}
