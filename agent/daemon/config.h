/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_CONFIG_H
#define AGENT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ike/pad.h"
#include "kernel/nsconfig.h"
#include "lib/endpoint.h"
#include "lib/log.h"

#define CONFIG_DEFAULT_PATH	"/etc/l2tp-ipsec/l2tp-ipsec.conf"
#define CONFIG_MAX_LOCAL	16
#define CONFIG_XL2TPD_CONTROL_DEFAULT	"/var/run/xl2tpd/l2tp-control"

/* Room for any error message of config_load(), the file name included. */
#define CONFIG_ERR_LEN		(4096 + 1024)

/*
 * The side of the tunnels this host plays (RFC 3193 section 4, RFC 5619
 * section 3.5.4): it sets which filter set the agent installs.
 */
enum agent_role {
	ROLE_LAC,	/* L2TP Access Concentrator, "si" (softwire initiator) */
	ROLE_LNS,	/* L2TP Network Server, "sc" (softwire concentrator) */
};

/* "lac", "lns" by role. */
extern const char *const role_names[ROLE_LNS + 1];

/**
 * struct agent_config - the agent's configuration file, checked
 * @role: LAC or LNS
 * @local: the local addresses tunnels use (family AF_INET or AF_INET6,
 *	port 0), in file order, no duplicates; "local" is the one key that
 *	may be given on several lines, its addresses add up
 * @nlocal: how many, at least one
 * @ns: what the agent applies to the namespace with CONFIG_SET: policy,
 *	mode, ports and max_bindings, every has_* set (a key left out of the
 *	file has the module's default, so that the file is the whole state)
 * @log_level: the level of log messages written
 * @nat_t: peers may be behind NAT: UDP-encapsulated ESP (RFC 3948) is
 *	expected on port 4500
 * @vici_socket: where charon's VICI socket is (with peers only)
 * @xl2tpd_control: xl2tpd's control file (FIFO), where a LAC's agent
 *	writes "c NAME" for the peers with an xl2tpd_lac
 * @pad: the [peer NAME] sections: the identities that may set up
 *	tunnels, and how they authenticate (ike/pad.h); owned, freed by
 *	config_free()
 */
struct agent_config {
	enum agent_role role;
	struct endpoint local[CONFIG_MAX_LOCAL];
	unsigned int nlocal;
	struct nsconfig ns;
	enum log_level log_level;
	bool nat_t;
	char vici_socket[108];
	char xl2tpd_control[108];
	struct pad pad;
};

/* Every optional key at its default; role and local unset. */
void config_defaults(struct agent_config *cfg);

/**
 * config_load() - read and check a configuration file
 * @path: the file
 * @cfg: filled on success only
 * @err: on failure, "PATH:LINE: reason" for a fault on a line, or
 *	"PATH: reason" for one of the file as a whole (cannot be read, a
 *	required key is missing)
 * @errlen: size of @err (CONFIG_ERR_LEN holds any message)
 *
 * The first fault found is reported. The file is INI (parsed by libinih):
 * "[section]" lines, "key = value" lines, comment lines starting with '#'
 * or ';', blank lines. Leading blanks are ignored (no continuation lines).
 *
 * Return: 0, or -EINVAL (bad file), or the negative errno of opening or
 * reading it.
 */
int config_load(const char *path, struct agent_config *cfg, char *err,
		size_t errlen);

/* Same, from an open stream; @name stands for the file in messages. */
int config_load_file(FILE *f, const char *name, struct agent_config *cfg,
		     char *err, size_t errlen);

/* Free what config_load() allocated in @cfg (its PAD). */
void config_free(struct agent_config *cfg);

/*
 * One line for the log: "role lns local 192.0.2.1,2001:db8::1 policy
 * require-ipsec mode enforce ports 1701 max_bindings 262144 log_level info
 * nat_t yes".
 */
const char *config_str(const struct agent_config *cfg, char *buf, size_t len);

#endif
