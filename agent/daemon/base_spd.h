/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_DAEMON_BASE_SPD_H
#define AGENT_DAEMON_BASE_SPD_H

struct agent_config;

/*
 * With a PAD (IKE mode), the agent installs the base SPD set of RFC 5619
 * section 3.5.4 itself, what "l2tp-ipsec spd install" does by hand: on an
 * LNS, for each local address, "role sc local ADDR remote any"; on a LAC,
 * for each peer, "role si local ADDR remote REMOTE_ADDRS" from the local
 * addresses of its family; with nat_t, UDP 4500 passes too. Policies of
 * ours in the base scope that the configuration no longer wants go; a
 * policy not ours that holds the place of one is left alone and logged.
 * Left in place at exit (the SPD fails closed), but with --flush-on-exit.
 *
 * An IKE daemon's own filters for an SA (RFC 3193 section 4.2.2: "IKE
 * should inject a specific filter set") may have the selector of a base
 * line: a LAC's charon installs 1701 <-> 1701 to its LNS, as Outbound-1 and
 * Inbound-1 of the base set. The kernel keys a policy by its selector, not
 * its priority, so charon's update replaces ours, and its delete, when
 * the SA goes, leaves the line missing (the wider Any-Port lines still
 * protect meanwhile). So every policy deletion has the set checked, and
 * what is missing put back.
 */

/* Put the set of @cfg in force: 0, or -errno (logged). */
int base_spd_apply(const struct agent_config *cfg);

/* Put back the lines of @cfg's set that no policy holds: 0, or -errno. */
int base_spd_restore(const struct agent_config *cfg);

/* Remove every base-scope policy of ours: 0, or -errno (logged). */
int base_spd_remove(void);

#endif
