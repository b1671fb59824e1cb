/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_SIGHTING_H
#define AGENT_SIGHTING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/endpoint.h"
#include "lib/vec.h"

struct binding;
struct violation;
struct xsa;

/*
 * Which SA carried a tunnel's traffic, as the module saw it: every
 * UNBOUND_NTF names the 4-tuple of a packet that no tunnel binding took
 * and the SPI and reqid of the SA that decrypted it. These sightings are
 * the agent's evidence when it binds a tunnel (reconcile.h): addresses
 * alone do not tell two SAs of one address pair apart (two clients behind
 * one NAT, or a peer holding a second SA with the tunnel's addresses), and
 * the order of the SA dump says nothing (Documentation/agent.rst, "Which SA
 * a tunnel is bound to").
 *
 * The table lives in the agent's memory only: the kernel's bindings are
 * the decisions it made; after a restart, a tunnel without a binding is
 * bound again at its next packet.
 */

/* Sightings of a tuple with no binding of ours are forgotten after this. */
#define SIGHTING_TTL_MS 120000u
/* At most this many are kept; the oldest go first. */
#define SIGHTING_MAX 65536u

/**
 * struct sighting - one SA seen decrypting one tunnel's packets
 * @local: the packet's destination address and port
 * @peer: its source address and port
 * @spi: the SA's SPI (host order)
 * @reqid: the SA's reqid as the module reported it, 0 if none
 * @has_encap: the SA has NAT-T encapsulation (RFC 3948)
 * @encap_sport: its ports, host order
 * @encap_dport: see @encap_sport
 * @has_tid: the packet was L2TPv2: @tid is its header's tunnel ID (0 for
 *	an SCCRQ), which tells twin tunnels of one 4-tuple apart
 * @tid: see @has_tid
 * @seen_ms: when, log_now_ms()
 */
struct sighting {
	struct endpoint local;
	struct endpoint peer;
	uint32_t spi;
	uint32_t reqid;
	bool has_encap;
	uint16_t encap_sport;
	uint16_t encap_dport;
	bool has_tid;
	uint16_t tid;
	uint64_t seen_ms;
};

/*
 * The sighting an UNBOUND_NTF event @v makes, in @s: false if it names no
 * SA or no usable 4-tuple (cleartext, or a malformed event).
 */
bool sighting_from_event(const struct violation *v, uint64_t now_ms,
			 struct sighting *s);

/* Append @s to @tab (struct sighting items): 0 or -ENOMEM. */
int sightings_add(struct vec *tab, const struct sighting *s);

/*
 * Keep what is still evidence: one sighting per (4-tuple, SPI), the
 * latest; only those whose SA is still in @sas (the SA dump) from the
 * peer to the local address; those older than SIGHTING_TTL_MS only if
 * @bindings holds a binding with their exact 4-tuple and owner @owner (a
 * mapping change of a bound tunnel's SA is followed by its SPI); at most
 * SIGHTING_MAX, the newest. Leaves @tab sorted by 4-tuple, then SPI, as
 * reconcile() wants it.
 */
void sightings_prune(struct vec *tab, uint64_t now_ms, const struct xsa *sas,
		     size_t nsas, const struct binding *bindings,
		     size_t nbindings, uint32_t owner);

/* Order of struct sighting by (local, peer) with ports, then SPI. */
int sighting_cmp(const void *a, const void *b);

#endif
