/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_DAEMON_XL2TPD_H
#define AGENT_DAEMON_XL2TPD_H

/*
 * RFC 3193 section 4.2.2: the initiator must not send its SCCRQ before
 * the SA is up. On a LAC, xl2tpd's [lac NAME] sections have "autodial =
 * no" and the agent dials them, "c NAME" on xl2tpd's control file (a
 * FIFO xl2tpd reads), once charon reports the peer's CHILD_SA up. xl2tpd
 * ignores a "c" for a LAC whose tunnel is already up ("Session ...
 * already active"), so dialling again is harmless.
 */

/*
 * Write "c @lac" to the FIFO @control: 0, or -errno (logged: -ENXIO if
 * xl2tpd does not read it, -ENOENT if it does not exist, -EINVAL if it is
 * not a FIFO).
 */
int xl2tpd_dial(const char *control, const char *lac, const char *peer);

#endif
