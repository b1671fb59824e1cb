// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_reconcile: the kernel's state as the agent's dumps see it, from one
 * datagram mixing the families: "l2tp" tunnel messages (FUZZ_L2TP_FAMILY)
 * are the tunnel dump, l2tp_ipsec binding messages (FUZZ_MOD_FAMILY) the
 * binding dump, XFRM_MSG_NEWSA the SAD and XFRM_MSG_NEWPOLICY the SPD, each
 * parsed by the agent's parser. reconcile() plans from them for both roles
 * with per-tunnel filters and once without, with two listeners; "show"'s
 * reconcile_tunnel_state() runs on every tunnel.
 *
 * Checked, the promises of reconcile.h: the agent binds and unbinds only
 * bindings of its owner tag, installs and removes only policies of its
 * tunnel sub-band, deletes only SAs of the dump; the same input gives the
 * same plan; a tunnel is bound only to an SA of the dump that was seen
 * carrying its 4-tuple and that its pins accept; the SA dump in reverse
 * order binds the same tunnels with the same pins (the order of the dump
 * must decide nothing).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/l2tp_ipsec.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>

#include "kernel/binding.h"
#include "fuzz.h"
#include "kernel/l2tp.h"
#include "kernel/modclient.h"
#include "kernel/violation.h"
#include "kernel/xfrm.h"
#include "lib/vec.h"
#include "policy/reconcile.h"
#include "policy/sighting.h"
#include "policy/spd.h"

#define ITEMS_MAX 256	/* of each kind: more says nothing new */

struct state {
	struct l2tp_tunnel tunnels[ITEMS_MAX];
	struct xsa sas[ITEMS_MAX];
	struct xpolicy policies[ITEMS_MAX];
	struct binding bindings[ITEMS_MAX];
	struct sighting sightings[ITEMS_MAX];
	struct xsa reversed[ITEMS_MAX];
	size_t nt, ns, np, nb, nv;
};

static struct state st;
static struct endpoint listeners[2];
static const uint16_t ports[] = { 1701 };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	listeners[0].family = AF_INET;
	inet_pton(AF_INET, "192.0.2.1", &listeners[0].addr);
	listeners[0].port = 1701;
	listeners[1].family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", &listeners[1].addr);
	listeners[1].port = 1701;
	return 0;
}

static void parse(const uint8_t *data, size_t size)
{
	const struct modclient mc = { .family = FUZZ_MOD_FAMILY };
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)data;
	const struct nlattr *a;
	struct violation v;
	int rem = (int)size;
	size_t i;

	memset(&st, 0, sizeof(st));
	for (; nl_msg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
		switch (nlh->nlmsg_type) {
		case FUZZ_L2TP_FAMILY:
			if (st.nt < ITEMS_MAX &&
			    !l2tp_parse_tunnel(nlh, &st.tunnels[st.nt]))
				st.nt++;
			break;
		case FUZZ_MOD_FAMILY:
			if (st.nv < ITEMS_MAX && !violation_parse(&mc, nlh, &v) &&
			    v.unbound &&
			    sighting_from_event(&v, st.nv, &st.sightings[st.nv])) {
				st.nv++;
				break;
			}
			a = modclient_attr(&mc, nlh, L2TP_IPSEC_A_BINDING);
			if (a && st.nb < ITEMS_MAX &&
			    !binding_parse(a, &st.bindings[st.nb]))
				st.nb++;
			break;
		case XFRM_MSG_NEWSA:
			if (st.ns < ITEMS_MAX && !xfrm_sa_parse(nlh, &st.sas[st.ns]))
				st.ns++;
			break;
		case XFRM_MSG_NEWPOLICY:
			if (st.np < ITEMS_MAX &&
			    !xfrm_policy_parse(nlh, &st.policies[st.np]))
				st.np++;
			break;
		}
	}
	for (i = 0; i < st.ns; i++)
		st.reversed[i] = st.sas[st.ns - 1 - i];
}

/* Was @sa (its SPI and reqid) seen carrying the 4-tuple of @b? */
static bool sa_seen(const struct binding *b, const struct xsa *sa)
{
	size_t i;

	for (i = 0; i < st.nv; i++)
		if (st.sightings[i].spi == sa->spi &&
		    st.sightings[i].reqid == sa->reqid &&
		    endpoint_equal(&st.sightings[i].local, &b->local) &&
		    endpoint_equal(&st.sightings[i].peer, &b->peer))
			return true;
	return false;
}

static bool sa_in_dump(const struct xsa *sa)
{
	size_t i;

	for (i = 0; i < st.ns; i++)
		if (st.sas[i].spi == sa->spi && st.sas[i].proto == sa->proto &&
		    st.sas[i].family == sa->family &&
		    !memcmp(&st.sas[i].daddr, &sa->daddr, sizeof(sa->daddr)))
			return true;
	return false;
}

static void check_plan(const struct rc_input *in, const struct vec *plan)
{
	const struct rc_action *act = plan->v;
	size_t i;

	for (i = 0; i < plan->n; i++) {
		switch (act[i].op) {
		case RC_BIND:
			FUZZ_ASSERT(act[i].b.owner == in->owner);
			if (!act[i].tunnel_id)
				break;	/* a listener: no SA */
			FUZZ_ASSERT(sa_in_dump(&act[i].sa));
			/* Re-made with the pins it had (a new L2TP version or ID)? */
			if (i && act[i - 1].op == RC_UNBIND &&
			    act[i - 1].b.reqid == act[i].b.reqid &&
			    act[i - 1].b.spi == act[i].b.spi &&
			    act[i - 1].b.encap_sport == act[i].b.encap_sport &&
			    act[i - 1].b.encap_dport == act[i].b.encap_dport)
				break;
			FUZZ_ASSERT(sa_seen(&act[i].b, &act[i].sa));
			FUZZ_ASSERT(!act[i].b.reqid || act[i].b.reqid == act[i].sa.reqid);
			FUZZ_ASSERT(!act[i].b.spi || act[i].b.spi == act[i].sa.spi);
			break;
		case RC_UNBIND:
		case RC_DEL_TUNNEL:
			FUZZ_ASSERT(act[i].b.owner == in->owner);
			break;
		case RC_DEL_SA:
			FUZZ_ASSERT(act[i].b.owner == in->owner);
			FUZZ_ASSERT(sa_in_dump(&act[i].sa));
			break;
		case RC_ADD_FILTER:
		case RC_DEL_FILTER:
			FUZZ_ASSERT(in->filters);
			FUZZ_ASSERT(spd_ours_tunnel(&act[i].pol));
			break;
		case RC_NO_SA:
		case RC_NOT_SEEN:
		case RC_AMBIGUOUS:
			break;
		default:
			FUZZ_ASSERT(!"unknown op");
		}
		FUZZ_ASSERT(rc_op_name(act[i].op));
	}
}

static void plan(bool filters, enum filter_role role)
{
	struct rc_input in = {
		.tunnels = st.tunnels, .ntunnels = st.nt,
		.sas = st.sas, .nsas = st.ns,
		.bindings = st.bindings, .nbindings = st.nb,
		.owner = RECONCILE_OWNER, .filters = filters, .role = role,
		.policies = st.policies, .npolicies = st.np,
		.listeners = listeners, .nlisteners = 2,
		.sightings = st.sightings, .nsightings = st.nv,
		.ports = ports, .nports = 1,
	};
	struct vec p1 = { NULL, 0, 0 }, p2 = { NULL, 0, 0 };
	const struct rc_action *a1, *a2;
	const struct binding *b;
	const struct xsa *sa;
	size_t i, j;

	FUZZ_ASSERT(!reconcile(&in, &p1));
	FUZZ_ASSERT(!reconcile(&in, &p2));
	check_plan(&in, &p1);
	FUZZ_ASSERT(p1.n == p2.n);
	a1 = p1.v;
	a2 = p2.v;
	for (i = 0; i < p1.n; i++)
		FUZZ_ASSERT(a1[i].op == a2[i].op && a1[i].tunnel_id == a2[i].tunnel_id);
	vec_free(&p2);

	/* The SA dump reversed: the same tunnels bound with the same pins. */
	in.sas = st.reversed;
	FUZZ_ASSERT(!reconcile(&in, &p2));
	check_plan(&in, &p2);
	a2 = p2.v;
	for (i = 0, j = 0; i < p1.n || j < p2.n; i++, j++) {
		while (i < p1.n && a1[i].op != RC_BIND)
			i++;
		while (j < p2.n && a2[j].op != RC_BIND)
			j++;
		FUZZ_ASSERT((i < p1.n) == (j < p2.n));
		if (i >= p1.n)
			break;
		FUZZ_ASSERT(a1[i].tunnel_id == a2[j].tunnel_id &&
			    a1[i].b.reqid == a2[j].b.reqid &&
			    !!a1[i].b.spi == !!a2[j].b.spi &&
			    a1[i].b.encap_sport == a2[j].b.encap_sport &&
			    a1[i].b.encap_dport == a2[j].b.encap_dport);
	}
	in.sas = st.sas;
	vec_free(&p1);
	vec_free(&p2);

	for (i = 0; i < st.nt; i++)
		FUZZ_ASSERT(rc_state_names[reconcile_tunnel_state(&st.tunnels[i],
								  &in, &b, &sa)]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parse(data, size);
	plan(true, FILTER_RESPONDER);
	plan(true, FILTER_INITIATOR);
	plan(false, FILTER_RESPONDER);
	return 0;
}
