// SPDX-License-Identifier: GPL-2.0
/* charon's CHILD_SAs from list-sas (sas.h). */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ike/sas.h"

/*
 * A list-sa event: { CONN { uniqueid, remote-port, remote-id,
 * child-sas { NAME-ID { uniqueid, reqid, state, spi-in, spi-out } } } }.
 */
int ike_sas_parse(const struct vici_packet *ev, struct vec *out)
{
	const struct vici_node *sa, *children, *ch;
	struct ike_child c;
	const char *state, *id;
	uint32_t port;

	for (sa = ev->root ? ev->root->child : NULL; sa; sa = sa->next) {
		if (sa->type != VICI_SECTION_START)
			continue;
		memset(&c, 0, sizeof(c));
		if (vici_u32(sa, "uniqueid", 10, &c.ike_id))
			continue;
		if (!vici_u32(sa, "remote-port", 10, &port) && port <= 0xffff)
			c.remote_port = (uint16_t)port;
		id = vici_str(sa, "remote-id");
		snprintf(c.remote_id, sizeof(c.remote_id), "%s", id ? id : "");
		snprintf(c.conn, sizeof(c.conn), "%s", sa->name);
		children = vici_find(sa, "child-sas");
		c.children = (uint32_t)vici_count(children);
		for (ch = children ? children->child : NULL; ch; ch = ch->next) {
			state = vici_str(ch, "state");
			if (!state || strcmp(state, "INSTALLED") ||
			    vici_u32(ch, "uniqueid", 10, &c.child_id) ||
			    vici_u32(ch, "reqid", 10, &c.reqid) ||
			    vici_u32(ch, "spi-in", 16, &c.spi_in) ||
			    vici_u32(ch, "spi-out", 16, &c.spi_out))
				continue;
			if (vec_push(out, &c, sizeof(c)))
				return -ENOMEM;
		}
	}
	return 0;
}

static int collect(void *arg, const struct vici_packet *ev)
{
	return ike_sas_parse(ev, arg);
}

int ike_list_sas(struct vici_conn *c, struct vec *out)
{
	struct vici_packet resp;
	struct vici_msg m;
	int ret;

	vici_begin(&m, "list-sas");
	vici_kv(&m, "noblock", "yes");
	ret = vici_end(&m);
	if (ret) {
		/* Cannot happen: a fixed request. */
		vici_msg_free(&m);
		return ret;
	}
	ret = vici_call_stream(c, &m, "list-sa", collect, out, &resp);
	vici_msg_free(&m);
	if (!ret)
		vici_packet_free(&resp);
	return ret;
}

const struct ike_child *ike_child_of_spi(const struct vec *sas, uint32_t spi)
{
	const struct ike_child *c = sas->v;
	size_t i;

	for (i = 0; spi && i < sas->n; i++)
		if (c[i].spi_in == spi || c[i].spi_out == spi)
			return &c[i];
	return NULL;
}
