// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_config: bytes as the configuration file, through config_load_file()
 * (our line reader, libinih, every key's parser).
 *
 * Checked for any input: a second reading, as a reload (SIGHUP) does, gives
 * the same verdict, message and configuration; a short error buffer only
 * cuts the message; an accepted file is within bounds, and written back
 * as a file it reads as the same configuration.
 */

#include <arpa/inet.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/config.h"
#include "fuzz.h"
#include "lib/names.h"

static int load(const uint8_t *data, size_t size, struct agent_config *cfg,
		char *err, size_t errlen)
{
	FILE *f;
	int ret;

	/* glibc's fmemopen() refuses a 0-byte buffer. */
	f = size ? fmemopen((void *)data, size, "r") : fopen("/dev/null", "r");
	FUZZ_ASSERT(f);
	ret = config_load_file(f, "fuzz.conf", cfg, err, errlen);
	fclose(f);
	return ret;
}

static bool same_config(const struct agent_config *a, const struct agent_config *b)
{
	unsigned int i;

	if (a->role != b->role || a->nlocal != b->nlocal ||
	    a->log_level != b->log_level || a->nat_t != b->nat_t ||
	    a->ns.policy != b->ns.policy || a->ns.mode != b->ns.mode ||
	    a->ns.nports != b->ns.nports ||
	    a->ns.max_bindings != b->ns.max_bindings)
		return false;
	for (i = 0; i < a->nlocal; i++)
		if (a->local[i].family != b->local[i].family ||
		    a->local[i].port != b->local[i].port ||
		    memcmp(&a->local[i].addr, &b->local[i].addr,
			   sizeof(a->local[i].addr)))
			return false;
	for (i = 0; i < a->ns.nports; i++)
		if (a->ns.ports[i] != b->ns.ports[i])
			return false;
	return true;
}

/* The file that says @cfg, every key written out. */
static size_t write_back(const struct agent_config *cfg, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	size_t n = 0;
	unsigned int i;
	int r;

#define PUT(...) do {							\
		r = snprintf(buf + n, len - n, __VA_ARGS__);		\
		FUZZ_ASSERT(r > 0 && (size_t)r < len - n);		\
		n += (size_t)r;						\
	} while (0)

	PUT("[agent]\nrole = %s\n", role_names[cfg->role]);
	/* One line each: 16 IPv6 addresses do not fit on one. */
	for (i = 0; i < cfg->nlocal; i++) {
		FUZZ_ASSERT(inet_ntop(cfg->local[i].family, &cfg->local[i].addr,
				      a, sizeof(a)));
		PUT("local = %s\n", a);
	}
	PUT("ports = ");
	for (i = 0; i < cfg->ns.nports; i++)
		PUT("%s%u", i ? "," : "", cfg->ns.ports[i]);
	PUT("%s\n", cfg->ns.nports ? "" : "none");
	PUT("policy = %s\nmode = %s\nmax_bindings = %u\nlog_level = %s\nnat_t = %s\n",
	    policy_names[cfg->ns.policy], mode_names[cfg->ns.mode],
	    cfg->ns.max_bindings, log_level_names[cfg->log_level],
	    cfg->nat_t ? "yes" : "no");
#undef PUT
	return n;
}

static void check_accepted(const struct agent_config *cfg)
{
	struct agent_config again;
	char buf[4096], err[CONFIG_ERR_LEN];
	size_t n;

	FUZZ_ASSERT(cfg->role == ROLE_LAC || cfg->role == ROLE_LNS);
	FUZZ_ASSERT(cfg->nlocal >= 1 && cfg->nlocal <= CONFIG_MAX_LOCAL);
	FUZZ_ASSERT(cfg->ns.nports <= L2TP_IPSEC_MAX_PORTS);
	FUZZ_ASSERT(cfg->ns.policy < NAMES_LEN(policy_names) &&
		    cfg->ns.mode < NAMES_LEN(mode_names));
	FUZZ_ASSERT(cfg->ns.max_bindings >= 1 &&
		    cfg->ns.max_bindings <= L2TP_IPSEC_MAX_BINDINGS_LIMIT);
	FUZZ_ASSERT((unsigned int)cfg->log_level <= LOG_LEVEL_DEBUG);
	config_str(cfg, buf, sizeof(buf));
	FUZZ_ASSERT(strlen(buf) < sizeof(buf));
	config_str(cfg, buf, 7);	/* cut short: still terminated */
	FUZZ_ASSERT(strlen(buf) < 7);

	n = write_back(cfg, buf, sizeof(buf));
	if (load((const uint8_t *)buf, n, &again, err, sizeof(err))) {
		fprintf(stderr, "written back:\n%s---\n%s\n", buf, err);
		FUZZ_ASSERT(!"an accepted configuration, written back, is refused");
	}
	FUZZ_ASSERT(same_config(cfg, &again));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char err1[CONFIG_ERR_LEN], err2[CONFIG_ERR_LEN];
	struct agent_config cfg1, cfg2;
	char small[24];
	int ret1, ret2, ret3;

	memset(&cfg1, 0, sizeof(cfg1));
	memset(&cfg2, 0, sizeof(cfg2));
	ret1 = load(data, size, &cfg1, err1, sizeof(err1));
	ret2 = load(data, size, &cfg2, err2, sizeof(err2));
	ret3 = load(data, size, &cfg2, small, sizeof(small));

	FUZZ_ASSERT(ret1 == ret2 && ret1 == ret3);
	if (ret1) {
		/* "fuzz.conf:LINE: reason" or "fuzz.conf: reason" */
		FUZZ_ASSERT(ret1 < 0 && !strcmp(err1, err2));
		FUZZ_ASSERT(!strncmp(err1, "fuzz.conf:", 10) && strlen(err1) > 11);
		FUZZ_ASSERT(strlen(small) < sizeof(small) && !strncmp(small, err1, strlen(small)));
		return 0;
	}
	FUZZ_ASSERT(same_config(&cfg1, &cfg2));
	check_accepted(&cfg1);
	return 0;
}
