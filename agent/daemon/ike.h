/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_DAEMON_IKE_H
#define AGENT_DAEMON_IKE_H

#include <stdbool.h>
#include <stdint.h>

struct daemon;

/*
 * The agent drives the IKE daemon, strongSwan's charon, over VICI: it loads
 * the PAD of the configuration ([peer NAME] sections, ike/pad.h) as one
 * connection per peer with its credentials (ike/conn.h), removes those of
 * its own that the configuration no longer names, and, on a LAC, brings
 * each peer's CHILD_SA up. Two connections: one for commands, one for
 * events, which joins the loop. When charon goes away (its socket closes
 * or cannot be reached), the agent retries with a growing delay and loads
 * everything again once it is back: a restarted charon knows nothing. It
 * never touches a connection or key it did not load (ike_name_ours()).
 *
 * Without [peer] sections, none of this runs.
 */

/* Set up (a configuration with peers) and load. 0, or -errno (logged). */
int ike_open(struct daemon *d);

/* After a reload put a new configuration in force: load it. */
void ike_reload(struct daemon *d);

/*
 * Close the connections; with @unload (--flush-on-exit), remove every
 * connection and key the agent loaded first.
 */
void ike_close(struct daemon *d, bool unload);

/*
 * RFC 3193 section 3.1: the SA of a tunnel that went away goes through
 * IKE (a Delete to the peer), not behind charon's back. 1 if charon has
 * a CHILD_SA with @spi (inbound or outbound): the agent asked charon to
 * terminate it, if it is one of its own connections, and the caller must
 * not delete the SA itself; 0 if charon does not know it (or IKE is off):
 * the caller deletes it; -errno if asking failed.
 */
int ike_terminate_spi(struct daemon *d, uint32_t spi);

struct violation_identities;
/*
 * RFC 3193 section 3.3, for the log of a violation: which tunnel was
 * attacked, and whose SA carried the packet. @ids->tunnel: the peer's IKE
 * identity of charon's CHILD_SAs with @reqid, the tunnel's binding's (else
 * the inbound SPI @spi it pins; both 0: no binding); @ids->sa: of the one
 * whose inbound SPI is @carrier, the packet's (0: cleartext). NULL where
 * charon has none; ike_identity_ambiguous (ike/sas.h) if CHILD_SAs of two
 * identities claim one. Valid until the next call. false if charon could
 * not be asked (IKE off, not connected, list-sas failed): then nothing is
 * known, not even that there is none. charon's CHILD_SAs are listed once
 * and kept until an IKE event or a reconnect, so that a flood of
 * violations does not flood charon.
 */
bool ike_identities(struct daemon *d, uint32_t reqid, uint32_t spi,
		    uint32_t carrier, struct violation_identities *ids);

/* Is charon connected and the PAD loaded (tests, logs)? */
bool ike_ready(const struct daemon *d);

#endif
