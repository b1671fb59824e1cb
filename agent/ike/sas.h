/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_IKE_SAS_H
#define AGENT_IKE_SAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike/vici_client.h"
#include "lib/vec.h"

/*
 * Which IKE identity owns which kernel SA, as charon's list-sas says it:
 * every CHILD_SA with its SPIs, reqid and IKE_SA. The kernel SA of an SPI
 * is one CHILD_SA's; so the identity of a tunnel's binding is read from
 * the SA it is bound to, never guessed from addresses. Nothing is kept:
 * after a restart of the agent, the same list gives the same identities.
 */

/* Room for an IKE identity as charon prints it, NUL included. */
#define IKE_ID_LEN 256

/**
 * struct ike_child - one CHILD_SA
 * @spi_in: its inbound SPI (host order)
 * @spi_out: its outbound SPI
 * @reqid: its reqid (the kernel SAs' and policies')
 * @child_id: its unique id (terminate child-id)
 * @ike_id: its IKE_SA's unique id
 * @children: CHILD_SAs of that IKE_SA
 * @remote_port: the IKE_SA's remote port: 4500 or a NAT's for NAT-T,
 *	the inbound SA's encapsulation source port then
 * @conn: the connection's name
 * @remote_id: the peer's IKE identity
 */
struct ike_child {
	uint32_t spi_in;
	uint32_t spi_out;
	uint32_t reqid;
	uint32_t child_id;
	uint32_t ike_id;
	uint32_t children;
	uint16_t remote_port;
	char conn[VICI_NAME_MAX + 1];
	char remote_id[IKE_ID_LEN];
};

/*
 * Every installed CHILD_SA of one list-sa event into @out (struct
 * ike_child): 0, -ENOMEM. What does not parse is skipped.
 */
int ike_sas_parse(const struct vici_packet *ev, struct vec *out);

/* list-sas over @c into @out (vec_free() it): 0 or -errno (c->err). */
int ike_list_sas(struct vici_conn *c, struct vec *out);

/*
 * The one CHILD_SA with @spi inbound or outbound, or NULL. A peer chooses
 * our outbound SPIs, so one may be another CHILD_SA's inbound SPI: then
 * NULL, and *@ambiguous (unless NULL) is set; nothing is picked.
 */
const struct ike_child *ike_child_of_spi(const struct vec *sas, uint32_t spi,
					 bool *ambiguous);

/*
 * The identity of a tunnel or of the SA that carried a packet, for the
 * log of a violation: the peer's IKE identity of the CHILD_SAs that match
 * exactly, NULL if none does (or charon gives no identity), and
 * ike_identity_ambiguous if they belong to more than one identity: then
 * none is picked. Several CHILD_SAs of one identity (a rekey's overlap)
 * name it.
 */
extern const char ike_identity_ambiguous[];

/* Of the CHILD_SAs with @reqid (a binding's). */
const char *ike_identity_of_reqid(const struct vec *sas, uint32_t reqid);
/*
 * Of the CHILD_SAs whose inbound SPI is @spi: what a packet's SA (and a
 * binding's pin) is. The outbound SPI is the peer's choice, so it names
 * nothing here.
 */
const char *ike_identity_of_spi_in(const struct vec *sas, uint32_t spi);

/* A list-sas not older than this is not asked again for a key it lacks. */
#define IKE_SAS_RETRY_MS 1000

/**
 * struct ike_sas_cache - charon's CHILD_SAs as one list-sas gave them, so
 *	that a flood of violations does not become a flood of list-sas
 * @sas: struct ike_child of each
 * @stale: charon may have changed them since (an IKE event, a reconnect):
 *	listed again before the next lookup
 * @listed_ms: when @sas was listed (log_now_ms())
 */
struct ike_sas_cache {
	struct vec sas;
	bool stale;
	uint64_t listed_ms;
};

/* Empty and stale. */
void ike_sas_cache_init(struct ike_sas_cache *c);
void ike_sas_cache_free(struct ike_sas_cache *c);
static inline void ike_sas_cache_stale(struct ike_sas_cache *c)
{
	c->stale = true;
}

/*
 * ike_identity_of_reqid() and ike_identity_of_spi_in() on @c at
 * @now_ms, listed again over @conn first if stale, or if the key is not
 * found and the list is IKE_SAS_RETRY_MS old (a CHILD_SA whose packets
 * come before charon's event). 0 and *@id (valid until the next lookup),
 * or -errno (conn->err) with *@id NULL. A key of 0 or a @conn not
 * connected: 0 and NULL, nothing asked.
 */
int ike_sas_cache_reqid(struct ike_sas_cache *c, struct vici_conn *conn,
			uint64_t now_ms, uint32_t reqid, const char **id);
int ike_sas_cache_spi(struct ike_sas_cache *c, struct vici_conn *conn,
		      uint64_t now_ms, uint32_t spi, const char **id);

/*
 * Both identities of a violation, by the lookups above: *@tunnel of the
 * attacked tunnel's binding, by its @reqid, else by the inbound @spi it
 * pins (both 0: none), copied into @buf (IKE_ID_LEN bytes) since the next
 * lookup may list again; *@sa of the SA whose inbound SPI is @carrier, the
 * packet's (0: it came in cleartext). 0, or the first -errno (conn->err),
 * the other still looked up.
 */
int ike_sas_cache_identities(struct ike_sas_cache *c, struct vici_conn *conn,
			     uint64_t now_ms, uint32_t reqid, uint32_t spi,
			     uint32_t carrier, const char **tunnel,
			     const char **sa, char *buf);

#endif
