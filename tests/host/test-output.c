// SPDX-License-Identifier: GPL-2.0
/* Text output of agent/text/output.c, compared as exact text. */

#include <arpa/inet.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "kernel/binding.h"
#include "endpoints.h"
#include "harness.h"
#include "kernel/nsconfig.h"
#include "kernel/violation.h"
#include "renders.h"
#include "text/output.h"

/* The text of @call, which prints through "&r", is @want. */
#define PRINTS(want, call) RENDERS(RENDER_TEXT, want, call)

int main(void)
{
	struct binding b;
	struct counters c;
	struct nsconfig cfg;
	struct violation v;
	unsigned int t;

	memset(&b, 0, sizeof(b));
	b.id = 3;
	set_ep(&b.local, AF_INET, "192.0.2.1", 1701);
	set_ep(&b.peer, AF_INET, "198.51.100.2", 0);
	b.reqid = 7;
	b.spi = 0x100;
	b.encap_sport = 4500;
	b.encap_dport = 4501;
	b.l2tp_version = 2;
	b.v2_tunnel_id = 5;
	b.allow_ah = true;
	b.mode = L2TP_IPSEC_MODE_ENFORCE;
	b.has_stats = true;
	for (t = L2TP_IPSEC_A_STATS_ACCEPTED; t <= L2TP_IPSEC_A_STATS_AUDITED; t++) {
		if (t == L2TP_IPSEC_A_STATS_ACCEPTED_UNBOUND ||
		    t == L2TP_IPSEC_A_STATS_DROPPED_POLICY)
			continue;
		b.stats.present |= 1u << t;
		b.stats.val[t] = t * 10;
	}
	check(PRINTS("binding 3: local 192.0.2.1:1701 peer 198.51.100.2:any reqid 7 "
		     "spi 0x00000100 encap 4500:4501 version 2 v2-tunnel-id 5 allow-ah "
		     "mode enforce\n"
		     "    accepted 20 dropped_cleartext 40 dropped_proto_mode 50 "
		     "dropped_sa_mismatch 60 dropped_addr_mismatch 70 dropped_tunnel_id 80 "
		     "dropped_malformed 90 audited 110\n", render_binding(&r, NULL, &b)),
	      "human binding line with pins, counters indented beneath");

	memset(&b, 0, sizeof(b));
	b.id = 4;
	set_ep(&b.local, AF_INET6, "2001:db8::1", 1701);
	check(PRINTS("binding 4: local [2001:db8::1]:1701 peer any mode inherit\n",
		     render_binding(&r, NULL, &b)),
	      "human binding line of an IPv6 listener without stats");

	memset(&c, 0, sizeof(c));
	c.present = (1u << L2TP_IPSEC_A_STATS_ACCEPTED) |
		    (1u << L2TP_IPSEC_A_STATS_ACCEPTED_UNBOUND) |
		    (1u << L2TP_IPSEC_A_STATS_AUDITED);
	c.val[L2TP_IPSEC_A_STATS_ACCEPTED] = 18446744073709551615ull;
	c.val[L2TP_IPSEC_A_STATS_AUDITED] = 2;
	check(PRINTS("accepted 18446744073709551615\naccepted_unbound 0\naudited 2\n",
		     render_counters(&r, "stats", &c, "", "\n")),
	      "human stats: 'name value' lines");
	memset(&c, 0, sizeof(c));
	check(PRINTS("", render_counters(&r, "stats", &c, "", "\n")),
	      "human stats without counters prints nothing");

	memset(&cfg, 0, sizeof(cfg));
	cfg.has_policy = cfg.has_mode = cfg.has_ports = true;
	cfg.has_max_bindings = cfg.has_num_bindings = true;
	cfg.policy = L2TP_IPSEC_POLICY_REQUIRE_IPSEC;
	cfg.mode = L2TP_IPSEC_MODE_AUDIT;
	cfg.nports = 2;
	cfg.ports[0] = 1701;
	cfg.ports[1] = 1702;
	cfg.max_bindings = 262144;
	cfg.num_bindings = 1;
	check(PRINTS("policy require-ipsec\nmode audit\nports 1701,1702\n"
		     "max_bindings 262144\nnum_bindings 1\n", render_nsconfig(&r, &cfg)),
	      "human config show");
	cfg.nports = 0;
	cfg.policy = 5;
	check(PRINTS("policy 5\nmode audit\nports none\nmax_bindings 262144\n"
		     "num_bindings 1\n", render_nsconfig(&r, &cfg)),
	      "human config show: no ports, unknown policy as a number");

	memset(&v, 0, sizeof(v));
	v.reason = L2TP_IPSEC_REASON_ADDR_MISMATCH;
	set_ep(&v.src, AF_INET, "198.51.100.9", 1701);
	set_ep(&v.dst, AF_INET, "192.0.2.1", 1701);
	v.has_spi = v.has_reqid = v.has_encap = v.has_binding_id = true;
	v.has_suppressed = true;
	v.spi = 0xc0ffee;
	v.reqid = 2;
	v.encap_sport = 4500;
	v.encap_dport = 4500;
	v.binding_id = 1;
	v.suppressed = 3;
	check(PRINTS("violation addr-mismatch dropped src 198.51.100.9:1701 "
		     "dst 192.0.2.1:1701 spi 0x00c0ffee reqid 2 encap 4500:4500 "
		     "binding 1 suppressed 3\n", render_violation(&r, &v, NULL)),
	      "human violation line with every field");
	check(PRINTS("violation addr-mismatch dropped src 198.51.100.9:1701 "
		     "dst 192.0.2.1:1701 spi 0x00c0ffee reqid 2 encap 4500:4500 "
		     "binding 1 suppressed 3 tunnel-identity si.example sa-identity none\n",
		     render_violation(&r, &v, (&(struct violation_identities){ "si.example", NULL }))),
	      "human violation line with IKE identities: the tunnel's, none for the SA");
	memset(&v, 0, sizeof(v));
	v.reason = L2TP_IPSEC_REASON_POLICY;
	v.audit = true;
	set_ep(&v.src, AF_INET6, "2001:db8::9", 1701);
	set_ep(&v.dst, AF_INET6, "2001:db8::1", 1701);
	check(PRINTS("violation policy audited src [2001:db8::9]:1701 "
		     "dst [2001:db8::1]:1701\n", render_violation(&r, &v, NULL)),
	      "human violation line, audited, IPv6");
	return harness_exit();
}
