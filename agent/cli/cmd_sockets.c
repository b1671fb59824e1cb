// SPDX-License-Identifier: GPL-2.0
/*
 * l2tp-ipsec sockets PID: the kernel L2TPv2 tunnels a process (an L2TP
 * daemon in kernel mode, such as xl2tpd) holds, each with the descriptor
 * of its UDP socket: what "binding add ... v2-tunnel-id T socket PID:FD"
 * takes to steer that tunnel's packets to it.
 */

#include "cli/cli.h"
#include "kernel/pppol2tp.h"
#include "lib/number.h"
#include "lib/status.h"
#include "lib/vec.h"
#include "text/render.h"

int cmd_sockets(const struct cli *cli, int argc, char **argv)
{
	char err[256], ep[ENDPOINT_STRLEN];
	struct vec tunnels = { 0 };
	const struct l2tp_sock *t;
	struct render *r = cli->out;
	uint32_t pid;
	size_t i;
	int ret;

	if (argc < 1)
		return cli_usage_error("sockets", true, "'PID' is missing");
	if (parse_u32(argv[0], 1, INT32_MAX, false, &pid))
		return cli_usage_error("sockets", false,
				       "bad PID '%s': must be 1..2147483647", argv[0]);
	ret = cli_no_more_args("sockets", argc - 1, argv + 1);
	if (ret)
		return ret;
	ret = pppol2tp_tunnels((int)pid, &tunnels, err, sizeof(err));
	if (ret) {
		cli_error("sockets: %s", err);
		vec_free(&tunnels);
		return EXIT_USAGE;
	}
	render_open_object(r, NULL);
	render_uint(r, "pid", NULL, pid);
	render_open_array(r, "tunnels");
	for (i = 0; i < tunnels.n; i++) {
		t = (const struct l2tp_sock *)tunnels.v + i;
		render_open_object(r, NULL);
		render_uint(r, "tunnel_id", "tunnel %u", t->tunnel_id);
		render_uint(r, "peer_tunnel_id", " peer-tunnel-id %u", t->peer_tunnel_id);
		render_string(r, "peer", " peer %s", endpoint_str(&t->peer, ep, sizeof(ep)));
		render_text(r, " socket %u:", pid);
		render_uint(r, "fd", "%u", (unsigned int)t->fd);
		render_uint(r, "pppox_fd", " (PPPoL2TP %u)\n", (unsigned int)t->pppox_fd);
		render_close_object(r);
	}
	render_close_array(r);
	render_close_object(r);
	vec_free(&tunnels);
	return EXIT_OK;
}
