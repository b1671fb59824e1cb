/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_IKE_SAS_H
#define AGENT_IKE_SAS_H

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
	char remote_id[256];
};

/*
 * Every installed CHILD_SA of one list-sa event into @out (struct
 * ike_child): 0, -ENOMEM. What does not parse is skipped.
 */
int ike_sas_parse(const struct vici_packet *ev, struct vec *out);

/* list-sas over @c into @out (vec_free() it): 0 or -errno (c->err). */
int ike_list_sas(struct vici_conn *c, struct vec *out);

/* The CHILD_SA with @spi inbound or outbound, or NULL. */
const struct ike_child *ike_child_of_spi(const struct vec *sas, uint32_t spi);

#endif
