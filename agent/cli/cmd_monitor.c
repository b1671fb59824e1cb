// SPDX-License-Identifier: GPL-2.0
/*
 * l2tp-ipsec monitor [vici PATH] [count N]
 *
 * With vici PATH, each event names the IKE identity of the attacked tunnel
 * and of the SA that carried the packet, from charon's CHILD_SAs: listed
 * at most once a second (monitor sees no IKE events), and a binding asked
 * of the kernel per event, on a socket of its own beside the events'.
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "cli/cli.h"
#include "ike/sas.h"
#include "ike/vici_client.h"
#include "kernel/binding.h"
#include "kernel/modclient.h"
#include "kernel/violation.h"
#include "lib/log.h"
#include "lib/number.h"
#include "text/output.h"
#include "text/render.h"

struct monitor {
	const struct modclient *mc;
	struct render *out;
	uint32_t left;		/* events still to print; 0: no limit */
	bool ike;		/* vici PATH given: identities too */
	struct modclient req;	/* binding requests */
	struct vici_conn vici;
	struct ike_sas_cache sas;
	char tunnel[IKE_ID_LEN];
};

/*
 * What the agent's log says of a violation (daemon.c): the same lookups;
 * false if charon could not say. Nothing tells monitor of IKE events: a
 * list a second old is stale.
 */
static bool identities(struct monitor *m, const struct violation *v,
		       struct violation_identities *ids)
{
	uint64_t now = log_now_ms();
	struct binding b;
	int ret;

	ret = violation_binding(&m->req, v, &b);
	if (ret && ret != -ENOENT)
		cli_kernel_error(&m->req, "monitor: the binding of a violation", ret);
	if (now - m->sas.listed_ms >= IKE_SAS_RETRY_MS)
		ike_sas_cache_stale(&m->sas);
	ids->tunnel = ids->sa = NULL;
	if (!vici_connected(&m->vici))
		return false;
	if (ike_sas_cache_identities(&m->sas, &m->vici, now, b.reqid, b.spi,
				     v->has_spi ? v->spi : 0, &ids->tunnel, &ids->sa,
				     m->tunnel)) {
		cli_error("monitor: charon at %s: %s", m->vici.path, m->vici.err);
		return false;
	}
	return true;
}

static int monitor_cb(const struct nlmsghdr *nlh, void *data)
{
	struct monitor *m = data;
	struct violation_identities ids;
	struct violation v;
	bool asked;
	int ret;

	ret = violation_parse(m->mc, nlh, &v);
	if (ret == -ENOMSG || (!ret && v.unbound))
		return MNL_CB_OK;
	if (ret) {
		cli_error("monitor: malformed event from the kernel, skipped");
		return MNL_CB_OK;
	}
	/* charon gone: no identities rather than "none" for each. */
	asked = m->ike && identities(m, &v, &ids);
	render_violation(m->out, &v, asked ? &ids : NULL);
	/* Readers are often scripts behind a pipe: every event at once. */
	fflush(stdout);
	/* Out of memory: stop, main() says so. */
	if (render_failed(m->out) || (m->left && !--m->left))
		return MNL_CB_STOP;
	return MNL_CB_OK;
}

int cmd_monitor(const struct cli *cli, int argc, char **argv)
{
	struct monitor m = { .out = cli->out };
	const char *vici = NULL;
	struct modclient mc;
	int ret;

	if (argc >= 1 && !strcmp(argv[0], "vici")) {
		if (argc < 2)
			return cli_usage_error("monitor", true, "'vici' needs a socket path");
		vici = argv[1];
		argc -= 2;
		argv += 2;
	}
	if (argc >= 1 && !strcmp(argv[0], "count")) {
		if (argc < 2)
			return cli_usage_error("monitor", true, "'count' needs a value");
		if (parse_u32(argv[1], 1, UINT32_MAX, false, &m.left))
			return cli_usage_error("monitor", false,
					       "bad count '%s': must be 1..4294967295",
					       argv[1]);
		argc -= 2;
		argv += 2;
	}
	if (argc && !strcmp(argv[0], "count"))
		return cli_usage_error("monitor", true, "'count' given twice");
	if (argc && !strcmp(argv[0], "vici"))
		return cli_usage_error("monitor", true, "'vici' goes before 'count'");
	if (argc)
		return cli_usage_error("monitor", true, "unknown keyword '%s'", argv[0]);

	ike_sas_cache_init(&m.sas);
	m.vici.fd = -1;
	/* Subscribed first: no event goes unseen while charon is reached. */
	ret = cli_open(&mc);
	if (ret)
		return ret;
	m.mc = &mc;
	ret = violation_subscribe(&mc);
	if (ret) {
		cli_error("monitor: joining multicast group 'events': %s",
			  ret == -EOPNOTSUPP ? "the family has no such group" :
			  strerror(-ret));
		ret = EXIT_KERNEL;
		goto out;
	}
	if (vici) {
		ret = vici_connect(&m.vici, vici, 2000);
		if (ret) {
			cli_error("monitor: charon at %s: %s", vici, m.vici.err);
			vici_close(&m.vici);
			ret = EXIT_KERNEL;
			goto out;
		}
		ret = cli_open(&m.req);
		if (ret) {
			vici_close(&m.vici);
			goto out;
		}
		m.ike = true;
	}

	for (;;) {
		ret = nl_recv_events(&mc.nl, monitor_cb, &m);
		if (ret == 1) {
			ret = EXIT_OK;
			break;
		}
		if (ret == -ENOBUFS) {
			cli_error("monitor: events were lost: the socket's receive buffer overran");
			continue;
		}
		if (ret) {
			cli_error("monitor: %s", strerror(-ret));
			ret = EXIT_KERNEL;
			break;
		}
	}
	if (m.ike) {
		modclient_close(&m.req);
		vici_close(&m.vici);
	}
out:
	modclient_close(&mc);
	ike_sas_cache_free(&m.sas);
	return ret;
}
