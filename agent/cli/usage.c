// SPDX-License-Identifier: GPL-2.0
/*
 * The help text. It is the whole manual of the command line (the man page
 * is made from it), so it says everything a user needs. The synopsis comes
 * from the command tables (cli.h), the man page's SYNOPSIS must match them
 * (tests/host/check-synopsis.py).
 */

#include <string.h>

#include <linux/l2tp_ipsec.h>

#include "cli/cli.h"

/* A command's synopsis, or those of each of a group's subcommands. */
static void synopses(FILE *f, const struct cli_cmd *c)
{
	size_t i;

	if (!c->group) {
		fprintf(f, "  %s", c->synopsis);
		return;
	}
	for (i = 0; i < c->group->n; i++)
		synopses(f, &c->group->cmds[i]);
}

void usage_synopsis(FILE *f, const char *topic)
{
	size_t i;

	fputs("Usage:\n", f);
	for (i = 0; i < cli_commands.n; i++)
		if (!topic || !strcmp(topic, cli_commands.cmds[i].name))
			synopses(f, &cli_commands.cmds[i]);
	if (topic)
		fputs("Try 'l2tp-ipsec help' for more.\n", f);
}

void usage_full(FILE *f)
{
	usage_synopsis(f, NULL);
	fprintf(f,
"\n"
"Binds L2TP tunnels to the IPsec SAs that must protect them, through the\n"
"l2tp_ipsec kernel module: it checks that every L2TP/UDP packet of a bound\n"
"tunnel was decrypted by the tunnel's own ESP transport-mode SA and that its\n"
"addresses and ports are the tunnel's (RFC 3193 section 3.3). Everything\n"
"applies to the current network namespace; use 'ip netns exec NS l2tp-ipsec'\n"
"for another one.\n"
"\n"
"Commands:\n"
"  binding add     Bind the tunnel with these endpoints to the SA that must\n"
"                  protect it. Without pins, any valid ESP transport-mode SA\n"
"                  between the two addresses will do.\n"
"  binding del     Delete the binding with this key.\n"
"  binding get     Show one binding and its counters.\n"
"  binding show    Show every binding, with its counters, in id order.\n"
"  binding flush   Delete every binding.\n"
"  tunnel add      Create a static L2TPv3/UDP tunnel (no control connection)\n"
"                  with one Ethernet session (device l2tpethN, or NAME),\n"
"                  through the kernel's L2TP (l2tp_netlink, l2tp_eth). Its\n"
"                  binding, pinned to L2TP version 3 and to the pins given,\n"
"                  is added first, so the first packet is checked, then\n"
"                  its per-tunnel filters (the 4-tuple both ways, ESP\n"
"                  transport, pinned to its SAs' reqid; spd show); on a\n"
"                  failure what was made is undone. IDs are 1..4294967295.\n"
"                  l2spec-type: the session's L2-specific sublayer, default\n"
"                  (4 bytes, the kernel's default) or none; both ends agree.\n"
"  tunnel del      Delete the tunnel's sessions, the tunnel, its per-tunnel\n"
"                  filters, then the binding of its 4-tuple (if any);\n"
"                  returns once the kernel is done.\n"
"  tunnel show     Show the kernel's L2TP tunnels (also those of ip l2tp or\n"
"                  xl2tpd) with their sessions and the binding that judges\n"
"                  their packets: exact, else peer port any, else listener;\n"
"                  'unbound' if none. The tunnel commands all need\n"
"                  CAP_NET_ADMIN, and exit with status 3 also when\n"
"                  l2tp_netlink is missing.\n"
"  config set      Change the namespace's settings; those not given stay.\n"
"  config show     Show the namespace's settings.\n"
"  stats           Show the counters of the namespace, or of one binding.\n"
"  monitor         Print violation events as they happen, one line each,\n"
"                  flushed at once; stop after 'count N' events.\n"
"  agent           Run as a daemon: check the configuration file, apply it\n"
"                  to the namespace (policy, mode, ports, max_bindings), log\n"
"                  violations (warning) and L2TP traffic no tunnel binding\n"
"                  names (debug), and bind every UDP L2TP tunnel of the\n"
"                  namespace (any daemon's) to the ESP transport SA that\n"
"                  protects it: reqid, NAT-T ports, version, v2 tunnel ID,\n"
"                  owner 0x4c324147, and install its per-tunnel filters\n"
"                  (RFC 3193 4.2, role's set, pinned to its SA reqids). A\n"
"                  tunnel whose SA is gone for good is deleted; the\n"
"                  binding, filters and SAs of a deleted tunnel go. At\n"
"                  start missing bindings are added, stale ones of the\n"
"                  agent removed. SIGHUP re-reads the file: a bad one is\n"
"                  logged as FILE:LINE: reason and the configuration in\n"
"                  force stays. SIGTERM or SIGINT: exit 0, leaving the\n"
"                  kernel's state as it is. Logs go to stderr (the journal\n"
"                  under systemd). See l2tp-ipsec.conf.example.\n"
"  show            Every L2TP tunnel with its state (bound, unbound: an SA\n"
"                  but no binding, no-sa, other: not a connected UDP\n"
"                  tunnel), the ESP transport SA that protects it (reqid,\n"
"                  SPIs in and out, NAT-T ports; for an unbound tunnel only\n"
"                  if its SAs are all one) and its binding with the\n"
"                  binding's counters.\n"
"  spd install     Install the SPD entries (xfrm policies) of RFC 5619\n"
"                  section 3.5.4 and Appendix A for role si (initiator, LAC;\n"
"                  remote ADDR, the concentrator, is required) or sc\n"
"                  (responder, LNS; remote defaults to any): bypass for ESP\n"
"                  and IKE (UDP 500, and 4500 with nat-t), ESP in transport\n"
"                  mode required for L2TP (UDP 1701) both ways, the\n"
"                  responder's from any address and port. Installing again\n"
"                  changes nothing. A policy that is not ours with the same\n"
"                  selector is left alone (exit 1). Ours have priority 19506\n"
"                  (0x4c32, bypass) or 0x4c320000..0x4c32ffff (the rest:\n"
"                  0x4c320040.. per-tunnel filters, 0x4c320080.. base set).\n"
"  spd show        Show every xfrm policy of the namespace, ours marked,\n"
"                  per-tunnel ones 'yes (tunnel)'; needs CAP_NET_ADMIN.\n"
"  spd remove      Remove our policies (given a set's arguments: that set's,\n"
"                  not per-tunnel filters), never others'.\n"
"  help            Show this text.\n"
"  version         Show the program's version.\n"
"\n"
"Endpoints:\n"
"  ADDR:PORT       192.0.2.1:1701 or [2001:db8::1]:1701 (IPv6 in brackets),\n"
"                  port 1..65535; the local endpoint is always ADDR:PORT.\n"
"  PEER            ADDR:PORT, ADDR:any (any peer port, e.g. behind NAT), or\n"
"                  any (any peer: a listener binding, for a tunnel socket\n"
"                  that is not connected yet).\n"
"  Local and peer addresses are of one family; neither may be the wildcard\n"
"  address or a multicast address. The key of a binding is local and peer.\n"
"\n"
"Pins of 'binding add' (each optional):\n"
"  reqid N         reqid of the SA, 1..4294967295\n"
"  spi SPI         SPI of the SA, 256..4294967295, decimal or 0xHEX\n"
"  encap SPORT:DPORT\n"
"                  NAT-T (RFC 3948) UDP encapsulation ports of the SA: the\n"
"                  peer's as seen after NAT, and ours\n"
"  v2-tunnel-id N  local L2TPv2 tunnel ID the header must carry, 1..65535;\n"
"                  implies version 2; not with 'peer any'\n"
"  version 2|3     L2TP version the header must carry (default: either)\n"
"  allow-ah        accept AH as well as ESP\n"
"  mode MODE       enforce: drop a packet that fails a check; audit: count\n"
"                  and report it but let it through; inherit (default): the\n"
"                  namespace's mode\n"
"\n"
"Settings of 'config set':\n"
"  policy POLICY   for L2TP traffic that no binding matches: pass (default),\n"
"                  require-ipsec (only if a valid ESP transport-mode SA of\n"
"                  the packet's addresses decrypted it), or drop\n"
"  mode MODE       enforce (default) or audit, for bindings that inherit\n"
"  ports P[,P...]  UDP destination ports judged besides the local ports of\n"
"                  bindings, at most %d; 'none' for no others (default %d)\n"
"  max-bindings N  limit on bindings, 1..%d (default %d)\n"
"\n"
"Options of 'agent':\n"
"  -c, --config FILE  the configuration file (default\n"
"                  /etc/l2tp-ipsec/l2tp-ipsec.conf)\n"
"  --flush-on-exit on SIGTERM or SIGINT, delete the bindings the agent\n"
"                  made (owner 0x4c324147, \"L2AG\") and their per-tunnel\n"
"                  filters; others' stay\n"
"  --check         check the file, print its settings and exit: 0 if good,\n"
"                  2 if not; nothing is sent to the kernel\n"
"  -v, -q          one log level more (up to debug) or less (down to error)\n"
"                  than the file's log_level, per letter: -vv, -qq\n"
"\n"
"Options (before the command):\n"
"  -j, --json      JSON on stdout: one document per command (monitor: one\n"
"                  object per line per event). Commands that change state\n"
"                  print nothing. Errors stay text on stderr.\n"
"  -h, --help      Show this text.\n"
"\n"
"Output:\n"
"  Counters: accepted, accepted_unbound, dropped_cleartext,\n"
"  dropped_proto_mode, dropped_sa_mismatch, dropped_addr_mismatch,\n"
"  dropped_tunnel_id, dropped_malformed, dropped_policy, audited.\n"
"  accepted_unbound and dropped_policy belong to the namespace only. Every\n"
"  judged packet moves exactly one counter of the namespace.\n"
"  'stats' prints one 'name value' line per counter, 'config show' one\n"
"  'name value' line per setting, 'binding show' one line per binding with\n"
"  its counters on an indented line beneath.\n"
"  'tunnel show' prints one line per tunnel, ending in 'bound (binding N)'\n"
"  (with ', peer-port-any' or ', listener' when that is the binding that\n"
"  matches) or 'unbound', and its sessions on indented lines beneath.\n"
"  Violation reasons: cleartext, proto-mode, sa-mismatch, addr-mismatch,\n"
"  tunnel-id, malformed, policy.\n"
"  JSON:\n"
"    binding show  {\"bindings\":[BINDING,...]}\n"
"    binding get   BINDING\n"
"    tunnel show   {\"tunnels\":[{\"tunnel_id\":4,\"peer_tunnel_id\":4,\"version\":3,\n"
"                  \"encap\":\"udp\",\"family\":\"ipv4\",\"local\":\"192.0.2.1:1701\",\n"
"                  \"peer\":\"198.51.100.2:1701\",\"sessions\":[{\"session_id\":40,\n"
"                  \"peer_session_id\":40,\"pw_type\":\"eth\",\"ifname\":\"l2tpeth0\",\n"
"                  \"stats\":{...}}],\"stats\":{\"tx_packets\":0,...},\"bound\":true,\n"
"                  \"binding\":BINDING+{\"match\":\"exact\"} or null}]}\n"
"    BINDING       {\"id\":1,\"local\":\"192.0.2.1:1701\",\"peer\":\"198.51.100.2:1701\",\n"
"                  \"family\":\"ipv4\",\"reqid\":1,\"spi\":\"0x00000100\",\n"
"                  \"encap\":\"4500:4500\",\"version\":2,\"v2_tunnel_id\":1,\n"
"                  \"allow_ah\":false,\"mode\":\"inherit\",\"stats\":{COUNTERS}}\n"
"                  (reqid, spi, encap, version, v2_tunnel_id only if pinned)\n"
"    stats         {\"stats\":{\"accepted\":0,...}}\n"
"    config show   {\"policy\":\"pass\",\"mode\":\"enforce\",\"ports\":[1701],\n"
"                  \"max_bindings\":262144,\"num_bindings\":0}\n"
"    monitor       {\"event\":\"violation\",\"reason\":\"cleartext\",\"audit\":false,\n"
"                  \"src\":\"198.51.100.2:1701\",\"dst\":\"192.0.2.1:1701\",\n"
"                  \"spi\":\"0x00000100\",\"reqid\":1,\"encap\":\"4500:4500\",\n"
"                  \"binding_id\":1,\"suppressed\":0}\n"
"                  (spi, reqid, encap, binding_id, suppressed only if known)\n"
"    spd show      {\"policies\":[{\"dir\":\"in\",\"action\":\"protect\",\"family\":\"ipv4\",\n"
"                  \"proto\":\"udp\",\"src\":\"any\",\"sport\":\"any\",\"dst\":\"192.0.2.1\",\n"
"                  \"dport\":1701,\"priority\":1278345364,\"index\":8,\"templates\":\n"
"                  [{\"proto\":\"esp\",\"mode\":\"transport\",\"reqid\":0,\n"
"                  \"level\":\"required\"}],\"ours\":true,\"scope\":\"base\"},\n"
"                  ...]} (scope: ours only, \"base\" or \"tunnel\")\n"
"                  (a port is a number or \"any\"; mark, if_id, templates\n"
"                  only if set)\n"
"\n"
"Exit status:\n"
"  0  success\n"
"  1  the kernel refused the request (its reason follows the error), or\n"
"     netlink failed; also a dump that changed while it was read\n"
"  2  bad command line; nothing was sent\n"
"     (agent: also a bad configuration file, checked before anything is sent)\n"
"  3  the l2tp_ipsec module is not loaded\n"
"\n"
"Commands that change state need CAP_NET_ADMIN.\n",
		L2TP_IPSEC_MAX_PORTS, L2TP_IPSEC_DEFAULT_PORT,
		L2TP_IPSEC_MAX_BINDINGS_LIMIT, L2TP_IPSEC_DEFAULT_MAX_BINDINGS);
}
