// SPDX-License-Identifier: GPL-2.0
/*
 * l2tp-ipsec show: every L2TP tunnel of the namespace with its binding, the
 * SA that protects it and its state, as the agent's reconcile sees them
 * (reconcile.h): bound, unbound (an SA but no binding), no-sa, other (not
 * a connected UDP tunnel).
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "cli/cli.h"
#include "kernel/binding.h"
#include "kernel/l2tp.h"
#include "kernel/modclient.h"
#include "kernel/xfrm.h"
#include "lib/vec.h"
#include "policy/reconcile.h"
#include "text/json.h"
#include "text/render.h"
#include "text/output.h"

static int add_tunnel(const struct l2tp_tunnel *t, void *data)
{
	return vec_push(data, t, sizeof(*t));
}

static int add_sa(const struct xsa *sa, void *data)
{
	return vec_push(data, sa, sizeof(*sa));
}

static int add_binding(const struct binding *b, void *data)
{
	return vec_push(data, b, sizeof(*b));
}

static void print_one(const struct l2tp_tunnel *t, enum rc_state st,
		      const struct binding *b, const struct xsa *in,
		      const struct xsa *out)
{
	char local[ENDPOINT_STRLEN], peer[ENDPOINT_STRLEN];
	char spi[SPI_STRLEN], encap[ENCAP_STRLEN];

	printf("tunnel %u: version %u", t->tunnel_id, t->version);
	if (st != RC_STATE_OTHER)
		printf(" local %s peer %s",
		       endpoint_str(&t->local, local, sizeof(local)),
		       endpoint_str(&t->peer, peer, sizeof(peer)));
	printf(" %s\n", rc_state_names[st]);
	if (in) {
		printf("    sa reqid %u spi-in %s", in->reqid, spi_str(in->spi, spi));
		if (out)
			printf(" spi-out %s", spi_str(out->spi, spi));
		if (in->has_encap)
			printf(" encap %s", encap_str(in->encap_sport, in->encap_dport,
						      encap));
		putchar('\n');
	}
	if (b) {
		struct render r;

		fputs("    ", stdout);
		render_init(&r, stdout, RENDER_TEXT);
		render_binding(&r, NULL, b);
	}
}

static json_object *json_one(const struct l2tp_tunnel *t, enum rc_state st,
			     const struct binding *b, const struct xsa *in,
			     const struct xsa *out)
{
	char ep[ENDPOINT_STRLEN], spi[SPI_STRLEN], encap[ENCAP_STRLEN];
	json_object *obj = json_new_object(), *sa;

	json_put(obj, "tunnel_id", json_object_new_uint64(t->tunnel_id));
	json_put(obj, "version", json_object_new_uint64(t->version));
	if (st != RC_STATE_OTHER) {
		json_put(obj, "local", json_object_new_string(
				 endpoint_str(&t->local, ep, sizeof(ep))));
		json_put(obj, "peer", json_object_new_string(
				 endpoint_str(&t->peer, ep, sizeof(ep))));
	}
	json_put(obj, "state", json_object_new_string(rc_state_names[st]));
	if (in) {
		sa = json_new_object();
		json_put(sa, "reqid", json_object_new_uint64(in->reqid));
		json_put(sa, "spi_in", json_object_new_string(spi_str(in->spi, spi)));
		if (out)
			json_put(sa, "spi_out",
				 json_object_new_string(spi_str(out->spi, spi)));
		if (in->has_encap)
			json_put(sa, "encap", json_object_new_string(
					 encap_str(in->encap_sport, in->encap_dport,
						   encap)));
		json_put(obj, "sa", sa);
	} else {
		json_object_object_add(obj, "sa", NULL);
	}
	if (b)
		json_put(obj, "binding", json_binding(b));
	else
		json_object_object_add(obj, "binding", NULL);
	return obj;
}

int cmd_show(const struct cli *cli, int argc, char **argv)
{
	struct vec tunnels = { NULL, 0, 0 }, sas = { NULL, 0, 0 };
	struct vec bindings = { NULL, 0, 0 };
	const struct l2tp_tunnel *t;
	const struct binding *b;
	const struct xsa *in, *out;
	json_object *doc = NULL, *list = NULL;
	struct l2tp_client lc;
	struct rc_input rin;
	struct modclient mc;
	enum rc_state st;
	struct nl xfrm;
	const char *what;
	size_t i;
	int ret;

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
	ret = l2tp_tunnel_dump(&lc, add_tunnel, &tunnels);
	if (!ret) {
		what = "show: bindings";
		ret = binding_dump(&mc, add_binding, &bindings);
	}
	if (ret) {
		ret = cli_kernel_error(&mc, what, ret);
		goto out;
	}
	ret = xfrm_sa_dump(&xfrm, add_sa, &sas);
	if (ret) {
		cli_error("show: SAs: %s", strerror(-ret));
		ret = EXIT_KERNEL;
		goto out;
	}

	rin = (struct rc_input) {
		.tunnels = tunnels.v, .ntunnels = tunnels.n,
		.sas = sas.v, .nsas = sas.n,
		.bindings = bindings.v, .nbindings = bindings.n,
		.owner = RECONCILE_OWNER,
	};
	if (render_is_json(cli->out)) {
		doc = json_new_object();
		list = json_object_new_array();
		json_put(doc, "tunnels", list);
	}
	t = tunnels.v;
	for (i = 0; i < tunnels.n; i++) {
		st = reconcile_tunnel_state(&t[i], &rin, &b, &in);
		out = in ? reconcile_outbound_sa(&t[i], sas.v, sas.n, in->reqid) : NULL;
		if (render_is_json(cli->out))
			json_object_array_add(list, json_one(&t[i], st, b, in, out));
		else
			print_one(&t[i], st, b, in, out);
	}
	if (doc)
		json_print(stdout, doc);
out:
	vec_free(&tunnels);
	vec_free(&sas);
	vec_free(&bindings);
	nl_close(&xfrm);
	modclient_close(&mc);
	return ret;
}
