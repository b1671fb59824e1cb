// SPDX-License-Identifier: GPL-2.0
/* Command-line words of binding and config commands: agent/text/args.c. */

#include <stdlib.h>
#include <sys/socket.h>

#include "kernel/binding.h"
#include "text/args.h"
#include "harness.h"
#include "kernel/nsconfig.h"

#define MAXW 32

/* Split @line on spaces into @argv (modifies a copy kept in @buf). */
static int split(const char *line, char *buf, size_t len, char **argv)
{
	int argc = 0;
	char *tok, *save;

	snprintf(buf, len, "%s", line);
	for (tok = strtok_r(buf, " ", &save); tok && argc < MAXW;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	return argc;
}

static int run_binding(const char *line, enum binding_args which,
		       struct binding *b, char *err, size_t errlen)
{
	static char buf[1024];
	char *argv[MAXW];
	int argc = split(line, buf, sizeof(buf), argv);

	err[0] = '\0';
	return args_binding(argc, argv, which, b, err, errlen);
}

static int run_config(const char *line, struct nsconfig *c, char *err,
		      size_t errlen)
{
	static char buf[1024];
	char *argv[MAXW];
	int argc = split(line, buf, sizeof(buf), argv);

	err[0] = '\0';
	return args_nsconfig(argc, argv, c, err, errlen);
}

/* Rejected command lines and the exact message each must give. */
static const struct {
	const char *line;
	enum binding_args which;
	int ret;
	const char *err;
} bad_bindings[] = {
	{ "local 1.2.3.4:0 peer any", BINDING_ARGS_FULL, ARGS_BAD_VALUE,
	  "bad endpoint '1.2.3.4:0': port must be 1..65535" },
	{ "peer any", BINDING_ARGS_FULL, ARGS_BAD_SYNTAX,
	  "'local ADDR:PORT' is missing" },
	{ "local 192.0.2.1:1701", BINDING_ARGS_FULL, ARGS_BAD_SYNTAX,
	  "'peer ADDR:PORT|ADDR:any|any' is missing" },
	{ "", BINDING_ARGS_KEY, ARGS_BAD_SYNTAX, "'local ADDR:PORT' is missing" },
	{ "local 192.0.2.1:1701 peer any foo 1", BINDING_ARGS_FULL,
	  ARGS_BAD_SYNTAX, "unknown keyword 'foo'" },
	{ "local 192.0.2.1:1701 peer any v2-tunnel-id 5", BINDING_ARGS_KEY,
	  ARGS_BAD_SYNTAX, "unknown keyword 'v2-tunnel-id'" },
	{ "local 192.0.2.1:1701 peer any mode audit", BINDING_ARGS_KEY,
	  ARGS_BAD_SYNTAX, "unknown keyword 'mode'" },
	{ "local 192.0.2.1:1701 local 192.0.2.2:1701 peer any", BINDING_ARGS_FULL,
	  ARGS_BAD_SYNTAX, "'local' given twice" },
	{ "local 192.0.2.1:1701 peer any allow-ah allow-ah", BINDING_ARGS_FULL,
	  ARGS_BAD_SYNTAX, "'allow-ah' given twice" },
	{ "local 192.0.2.1:1701 peer any reqid", BINDING_ARGS_FULL,
	  ARGS_BAD_SYNTAX, "'reqid' needs a value" },
	{ "local", BINDING_ARGS_KEY, ARGS_BAD_SYNTAX, "'local' needs a value" },
	{ "local 192.0.2.1:1701 peer any reqid 0", BINDING_ARGS_FULL,
	  ARGS_BAD_VALUE, "bad reqid '0': must be 1..4294967295" },
	{ "local 192.0.2.1:1701 peer any reqid 4294967296", BINDING_ARGS_FULL,
	  ARGS_BAD_VALUE, "bad reqid '4294967296': must be 1..4294967295" },
	{ "local 192.0.2.1:1701 peer any reqid -1", BINDING_ARGS_FULL,
	  ARGS_BAD_VALUE, "bad reqid '-1': must be 1..4294967295" },
	{ "local 192.0.2.1:1701 peer any spi 255", BINDING_ARGS_FULL,
	  ARGS_BAD_VALUE, "bad spi '255': must be 256..4294967295 (0x100..0xffffffff)" },
	{ "local 192.0.2.1:1701 peer any spi 0xff", BINDING_ARGS_FULL,
	  ARGS_BAD_VALUE, "bad spi '0xff': must be 256..4294967295 (0x100..0xffffffff)" },
	{ "local 192.0.2.1:1701 peer any spi 0x1zz", BINDING_ARGS_FULL,
	  ARGS_BAD_VALUE, "bad spi '0x1zz': must be 256..4294967295 (0x100..0xffffffff)" },
	{ "local 192.0.2.1:1701 peer any encap 4500", BINDING_ARGS_FULL,
	  ARGS_BAD_VALUE, "bad encap '4500': must be SPORT:DPORT, each 1..65535" },
	{ "local 192.0.2.1:1701 peer any encap 0:4500", BINDING_ARGS_FULL,
	  ARGS_BAD_VALUE, "bad encap '0:4500': must be SPORT:DPORT, each 1..65535" },
	{ "local 192.0.2.1:1701 peer any encap 4500:65536", BINDING_ARGS_FULL,
	  ARGS_BAD_VALUE, "bad encap '4500:65536': must be SPORT:DPORT, each 1..65535" },
	{ "local 192.0.2.1:1701 peer any encap :4500", BINDING_ARGS_FULL,
	  ARGS_BAD_VALUE, "bad encap ':4500': must be SPORT:DPORT, each 1..65535" },
	{ "local 192.0.2.1:1701 peer any encap 4500:", BINDING_ARGS_FULL,
	  ARGS_BAD_VALUE, "bad encap '4500:': must be SPORT:DPORT, each 1..65535" },
	{ "local 192.0.2.1:1701 peer any encap 123456789:1", BINDING_ARGS_FULL,
	  ARGS_BAD_VALUE, "bad encap '123456789:1': must be SPORT:DPORT, each 1..65535" },
	{ "local 192.0.2.1:1701 peer any encap 1:2:3", BINDING_ARGS_FULL,
	  ARGS_BAD_VALUE, "bad encap '1:2:3': must be SPORT:DPORT, each 1..65535" },
	{ "local 192.0.2.1:1701 peer any version 4", BINDING_ARGS_FULL,
	  ARGS_BAD_VALUE, "bad version '4': must be 2 or 3" },
	{ "local 192.0.2.1:1701 peer any version 02", BINDING_ARGS_FULL,
	  ARGS_BAD_VALUE, "bad version '02': must be 2 or 3" },
	{ "local 192.0.2.1:1701 peer 192.0.2.2:1701 v2-tunnel-id 0", BINDING_ARGS_FULL,
	  ARGS_BAD_VALUE, "bad v2-tunnel-id '0': must be 1..65535" },
	{ "local 192.0.2.1:1701 peer 192.0.2.2:1701 v2-tunnel-id 65536", BINDING_ARGS_FULL,
	  ARGS_BAD_VALUE, "bad v2-tunnel-id '65536': must be 1..65535" },
	{ "local 192.0.2.1:1701 peer 192.0.2.2:1701 v2-tunnel-id 5 version 3",
	  BINDING_ARGS_FULL, ARGS_BAD_VALUE, "v2-tunnel-id needs L2TP version 2, not 3" },
	{ "local 192.0.2.1:1701 peer any v2-tunnel-id 5", BINDING_ARGS_FULL,
	  ARGS_BAD_VALUE,
	  "v2-tunnel-id is not allowed with 'peer any' (a listener binding)" },
	{ "local 192.0.2.1:1701 peer any mode strict", BINDING_ARGS_FULL,
	  ARGS_BAD_VALUE, "bad mode 'strict': must be enforce, audit or inherit" },
	{ "local 192.0.2.1:1701 peer [2001:db8::1]:1701", BINDING_ARGS_FULL,
	  ARGS_BAD_VALUE,
	  "local '192.0.2.1:1701' and peer '[2001:db8::1]:1701' are of different address families" },
	{ "local [2001:db8::1]:1701 peer 192.0.2.2:any", BINDING_ARGS_KEY,
	  ARGS_BAD_VALUE,
	  "local '[2001:db8::1]:1701' and peer '192.0.2.2:any' are of different address families" },
	{ "local 192.0.2.1:1701 peer any -j", BINDING_ARGS_KEY, ARGS_BAD_SYNTAX,
	  "unknown keyword '-j'" },
	{ "local 192.0.2.1:1701 peer 192.0.2.2:1701 socket 5", BINDING_ARGS_FULL,
	  ARGS_BAD_VALUE,
	  "bad socket '5': must be PID:FD, a process and one of its descriptors" },
	{ "local 192.0.2.1:1701 peer 192.0.2.2:1701 socket 0:5", BINDING_ARGS_FULL,
	  ARGS_BAD_VALUE,
	  "bad socket '0:5': must be PID:FD, a process and one of its descriptors" },
	{ "local 192.0.2.1:1701 peer 192.0.2.2:1701 socket 12:-1", BINDING_ARGS_FULL,
	  ARGS_BAD_VALUE,
	  "bad socket '12:-1': must be PID:FD, a process and one of its descriptors" },
	{ "local 192.0.2.1:1701 peer 192.0.2.2:1701 socket 2147483648:3",
	  BINDING_ARGS_FULL, ARGS_BAD_VALUE,
	  "bad socket '2147483648:3': must be PID:FD, a process and one of its descriptors" },
	{ "local 192.0.2.1:1701 peer any socket 12:3", BINDING_ARGS_FULL,
	  ARGS_BAD_VALUE,
	  "socket needs 'peer ADDR:PORT', not 'any': only a connected socket steers" },
	{ "local 192.0.2.1:1701 peer 192.0.2.2:any socket 12:3", BINDING_ARGS_FULL,
	  ARGS_BAD_VALUE,
	  "socket needs 'peer ADDR:PORT', not '192.0.2.2:any': only a connected socket steers" },
	{ "local 192.0.2.1:1701 peer 192.0.2.2:1701 socket 12:3", BINDING_ARGS_KEY,
	  ARGS_BAD_SYNTAX, "unknown keyword 'socket'" },
	{ "local 192.0.2.1:1701 peer 192.0.2.2:1701 out-mark 0", BINDING_ARGS_FULL,
	  ARGS_BAD_VALUE,
	  "bad out-mark '0': must be 1..4294967295 (0x1..0xffffffff)" },
	{ "local 192.0.2.1:1701 peer 192.0.2.2:1701 v2-peer-tunnel-id 65536",
	  BINDING_ARGS_FULL, ARGS_BAD_VALUE,
	  "bad v2-peer-tunnel-id '65536': must be 1..65535" },
	{ "local 192.0.2.1:1701 peer 192.0.2.2:1701 v2-peer-tunnel-id 7",
	  BINDING_ARGS_FULL, ARGS_BAD_VALUE,
	  "v2-peer-tunnel-id needs out-mark: it says which packets get the mark" },
	{ "local 192.0.2.1:1701 peer 192.0.2.2:1701 out-mark 1 v2-peer-tunnel-id 7 version 3",
	  BINDING_ARGS_FULL, ARGS_BAD_VALUE,
	  "v2-peer-tunnel-id needs L2TP version 2, not 3" },
	{ "local 192.0.2.1:1701 peer 192.0.2.2:any out-mark 1 v2-peer-tunnel-id 7",
	  BINDING_ARGS_FULL, ARGS_BAD_VALUE,
	  "v2-peer-tunnel-id needs 'peer ADDR:PORT', not '192.0.2.2:any'" },
};

static void test_good_bindings(void)
{
	struct binding b;
	char err[256];
	int ret;

	ret = run_binding("peer 198.51.100.2:any local 192.0.2.1:1701 reqid 7 "
			  "spi 0x1000 encap 4500:4501 v2-tunnel-id 9 version 2 "
			  "allow-ah mode audit", BINDING_ARGS_FULL, &b, err, sizeof(err));
	check(!ret && b.local.family == AF_INET && b.local.port == 1701 &&
	      b.peer.family == AF_INET && b.peer.port == 0 && b.reqid == 7 &&
	      b.spi == 0x1000 && b.encap_sport == 4500 && b.encap_dport == 4501 &&
	      b.v2_tunnel_id == 9 && b.l2tp_version == 2 && b.allow_ah &&
	      b.mode_set && b.mode == L2TP_IPSEC_MODE_AUDIT,
	      "binding add with every pin, keywords in any order");

	ret = run_binding("local 192.0.2.1:1701 peer any", BINDING_ARGS_FULL, &b,
			  err, sizeof(err));
	check(!ret && b.peer.family == AF_UNSPEC && !b.reqid && !b.spi &&
	      !b.encap_sport && !b.l2tp_version && !b.v2_tunnel_id &&
	      !b.allow_ah && !b.mode_set,
	      "binding add listener without pins leaves every pin unset");

	ret = run_binding("local [2001:db8::1]:1701 peer any", BINDING_ARGS_KEY, &b,
			  err, sizeof(err));
	check(!ret && b.local.family == AF_INET6 && b.peer.family == AF_UNSPEC,
	      "binding key IPv6 local with peer any");

	ret = run_binding("local 192.0.2.1:1701 peer 192.0.2.2:1701 encap 4501:4500 reqid 7 spi 0x1001",
			  BINDING_ARGS_KEY, &b, err, sizeof(err));
	check(!ret && b.reqid == 7 && b.spi == 0x1001 && b.encap_sport == 4501 &&
	      b.encap_dport == 4500 && !b.v2_tunnel_id && !b.mode_set,
	      "binding key with a pin: one of a shared 4-tuple");

	ret = run_binding("local 192.0.2.1:1701 peer 192.0.2.2:1701 out-mark 0xffffffff "
			  "v2-peer-tunnel-id 65535", BINDING_ARGS_FULL, &b, err, sizeof(err));
	check(!ret && b.out_mark == 0xffffffff && b.v2_peer_tunnel_id == 65535,
	      "binding add out-mark and v2-peer-tunnel-id at their largest");

	ret = run_binding("local 192.0.2.1:1701 peer 192.0.2.2:1701 socket 4242:0",
			  BINDING_ARGS_FULL, &b, err, sizeof(err));
	check(!ret && b.sock_pid == 4242 && b.sock_fd == 0 && !b.has_sock,
	      "binding add socket PID:FD: descriptor 0 of process 4242, not yet ours");

	ret = run_binding("local 192.0.2.1:1701 peer 192.0.2.2:any v2-tunnel-id 65535",
			  BINDING_ARGS_FULL, &b, err, sizeof(err));
	check(!ret && b.v2_tunnel_id == 65535,
	      "binding add v2-tunnel-id with peer ADDR:any (not a listener)");

	ret = run_binding("local 192.0.2.1:1701 peer 192.0.2.2:1701 spi 4294967295 mode inherit",
			  BINDING_ARGS_FULL, &b, err, sizeof(err));
	check(!ret && b.spi == 4294967295u && b.mode_set &&
	      b.mode == L2TP_IPSEC_MODE_INHERIT,
	      "binding add spi 4294967295 and explicit mode inherit");
}

static const struct {
	const char *line;
	int ret;
	const char *err;
} bad_configs[] = {
	{ "", ARGS_BAD_SYNTAX,
	  "nothing to set: give policy, mode, ports or max-bindings" },
	{ "colour blue", ARGS_BAD_SYNTAX, "unknown keyword 'colour'" },
	{ "policy", ARGS_BAD_SYNTAX, "'policy' needs a value" },
	{ "policy drop policy pass", ARGS_BAD_SYNTAX, "'policy' given twice" },
	{ "policy allow", ARGS_BAD_VALUE,
	  "bad policy 'allow': must be pass, require-ipsec or drop" },
	{ "mode inherit", ARGS_BAD_VALUE, "bad mode 'inherit': must be enforce or audit" },
	{ "ports 0", ARGS_BAD_VALUE, "bad ports '0': '0' is not a port 1..65535" },
	{ "ports 1701,,1702", ARGS_BAD_VALUE,
	  "bad ports '1701,,1702': '' is not a port 1..65535" },
	{ "ports 1701,", ARGS_BAD_VALUE, "bad ports '1701,': '' is not a port 1..65535" },
	{ "ports 1701,65536", ARGS_BAD_VALUE,
	  "bad ports '1701,65536': '65536' is not a port 1..65535" },
	{ "ports 1701,123456789", ARGS_BAD_VALUE,
	  "bad ports '1701,123456789': '123456789' is not a port 1..65535" },
	{ "ports 1701,1702,1701", ARGS_BAD_VALUE,
	  "bad ports '1701,1702,1701': 1701 is listed twice" },
	{ "ports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", ARGS_BAD_VALUE,
	  "bad ports '1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17': at most 16 ports" },
	{ "ports None", ARGS_BAD_VALUE, "bad ports 'None': 'None' is not a port 1..65535" },
	{ "max-bindings 0", ARGS_BAD_VALUE, "bad max-bindings '0': must be 1..1048576" },
	{ "max-bindings 1048577", ARGS_BAD_VALUE,
	  "bad max-bindings '1048577': must be 1..1048576" },
};

static void test_good_configs(void)
{
	struct nsconfig c;
	char err[256];
	int ret;

	ret = run_config("policy require-ipsec mode audit ports 1701,1702 max-bindings 1048576",
			 &c, err, sizeof(err));
	check(!ret && c.has_policy && c.policy == L2TP_IPSEC_POLICY_REQUIRE_IPSEC &&
	      c.has_mode && c.mode == L2TP_IPSEC_MODE_AUDIT && c.has_ports &&
	      c.nports == 2 && c.ports[0] == 1701 && c.ports[1] == 1702 &&
	      c.has_max_bindings && c.max_bindings == 1048576,
	      "config set with every setting");

	ret = run_config("ports none", &c, err, sizeof(err));
	check(!ret && c.has_ports && c.nports == 0 && !c.has_policy && !c.has_mode &&
	      !c.has_max_bindings, "config set ports none empties the set, nothing else");

	ret = run_config("policy drop", &c, err, sizeof(err));
	check(!ret && c.has_policy && c.policy == L2TP_IPSEC_POLICY_DROP && !c.has_ports,
	      "config set policy drop alone");

	ret = run_config("ports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16", &c, err,
			 sizeof(err));
	check(!ret && c.nports == 16 && c.ports[15] == 16, "config set 16 ports");
}

int main(void)
{
	struct binding b;
	struct nsconfig c;
	char err[256];
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(bad_bindings); i++) {
		ret = run_binding(bad_bindings[i].line, bad_bindings[i].which, &b,
				  err, sizeof(err));
		if (ret != bad_bindings[i].ret)
			fprintf(stderr, "  ret %d, want %d\n", ret, bad_bindings[i].ret);
		check(ret == bad_bindings[i].ret && same_str(err, bad_bindings[i].err),
		      "binding %s '%s' rejected",
		      bad_bindings[i].which == BINDING_ARGS_FULL ? "add" : "key",
		      bad_bindings[i].line);
	}
	test_good_bindings();

	for (i = 0; i < ARRAY_SIZE(bad_configs); i++) {
		ret = run_config(bad_configs[i].line, &c, err, sizeof(err));
		if (ret != bad_configs[i].ret)
			fprintf(stderr, "  ret %d, want %d\n", ret, bad_configs[i].ret);
		check(ret == bad_configs[i].ret && same_str(err, bad_configs[i].err),
		      "config set '%s' rejected", bad_configs[i].line);
	}
	test_good_configs();
	return harness_exit();
}
