/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_OUTPUT_H
#define AGENT_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

#include "lib/endpoint.h"

struct binding;
struct counters;
struct nsconfig;
struct render;
struct violation;

/*
 * The module's objects on the renderer (render.h), text and JSON from one
 * printer each. Words are those of the command line, so that a binding's
 * line reads like the command that made it; JSON keys use '_':
 *
 * binding:   binding 1: local 192.0.2.1:1701 peer 198.51.100.2:any reqid 7 mode inherit
 *                [spi SPI] [encap S:D] [version N] [v2-tunnel-id N] [allow-ah]
 *                [owner 0x4c324147]
 *                accepted 12 dropped_cleartext 0 ... audited 0   (indented)
 *            {"id":1,"local":"192.0.2.1:1701","peer":"198.51.100.2:any",
 *             "family":"ipv4","reqid":7,"spi":"0x00000100","encap":"4500:4500",
 *             "version":2,"v2_tunnel_id":5,"allow_ah":false,"mode":"inherit",
 *             "owner":1278361927,"stats":{...}}   (pins and stats when present)
 * counters:  "name value" pieces; {"accepted":0,...} (those the kernel sent)
 * config:    "name value" lines;
 *            {"policy":"pass","mode":"enforce","ports":[1701],
 *             "max_bindings":262144,"num_bindings":0}
 * violation: violation cleartext dropped src 198.51.100.2:1701 dst 192.0.2.1:1701 binding 1
 *            [tunnel-identity ID|none sa-identity ID|none]
 *            {"event":"violation","reason":"cleartext","audit":false,
 *             "src":"198.51.100.2:1701","dst":"192.0.2.1:1701","spi":"0x...",
 *             "reqid":1,"encap":"4500:4500","binding_id":1,"suppressed":0,
 *             "tunnel_identity":"si.example","sa_identity":null}
 */

/* A binding as an object named @key (NULL: a document of its own). */
void render_binding(struct render *r, const char *key, const struct binding *b);
/* Its members only, into the object open. */
void render_binding_fields(struct render *r, const struct binding *b);
/*
 * Counters as an object named @key; text: @lead, then "name value" pieces
 * with @sep between them and a newline after (nothing if none was sent).
 */
void render_counters(struct render *r, const char *key, const struct counters *c,
		     const char *lead, const char *sep);
/* The namespace's settings, a document. */
void render_nsconfig(struct render *r, const struct nsconfig *c);
/**
 * struct violation_identities - who a violation concerns, as IKE says it
 * @tunnel: the peer's identity of the attacked tunnel (its binding's SA)
 * @sa: the peer's identity of the SA that carried the packet
 *
 * NULL where there is none: a cleartext packet, an SA that is not the IKE
 * daemon's, a binding gone since. Never guessed from addresses.
 */
struct violation_identities {
	const char *tunnel;
	const char *sa;
};

/*
 * A violation event, a document (one line); with @ids (the IKE daemon was
 * asked), both identities, "none" (JSON null) where there is none.
 */
void render_violation(struct render *r, const struct violation *v,
		      const struct violation_identities *ids);

#define SPI_STRLEN 11		/* "0x" + 8 digits + NUL */
#define ENCAP_STRLEN 12		/* "65535:65535" + NUL */
#define BINDING_KEY_STRLEN (2 * ENDPOINT_STRLEN + 12)	/* "local EP peer EP" */

const char *spi_str(uint32_t spi, char *buf);
const char *encap_str(uint16_t sport, uint16_t dport, char *buf);
/* "local ADDR:PORT peer PEER", a binding's key as the command line says it. */
const char *binding_key_str(const struct binding *b, char *buf, size_t len);

#endif
