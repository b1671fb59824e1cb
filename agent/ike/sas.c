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

const struct ike_child *ike_child_of_spi(const struct vec *sas, uint32_t spi,
					 bool *ambiguous)
{
	const struct ike_child *c = sas->v, *found = NULL;
	size_t i;

	if (ambiguous)
		*ambiguous = false;
	for (i = 0; spi && i < sas->n; i++) {
		if (c[i].spi_in != spi && c[i].spi_out != spi)
			continue;
		if (found) {
			if (ambiguous)
				*ambiguous = true;
			return NULL;
		}
		found = &c[i];
	}
	return found;
}

const char ike_identity_ambiguous[] = "ambiguous";

/* The identity of the CHILD_SAs whose reqid (else inbound SPI) is @key. */
static const char *identity_of(const struct vec *sas, bool reqid, uint32_t key)
{
	const struct ike_child *c = sas->v;
	const char *id = NULL;
	size_t i;

	for (i = 0; key && i < sas->n; i++) {
		if ((reqid ? c[i].reqid : c[i].spi_in) != key)
			continue;
		if (id && strcmp(id, c[i].remote_id))
			return ike_identity_ambiguous;
		id = c[i].remote_id;
	}
	return id && id[0] ? id : NULL;
}

const char *ike_identity_of_reqid(const struct vec *sas, uint32_t reqid)
{
	return identity_of(sas, true, reqid);
}

const char *ike_identity_of_spi_in(const struct vec *sas, uint32_t spi)
{
	return identity_of(sas, false, spi);
}

void ike_sas_cache_init(struct ike_sas_cache *c)
{
	memset(c, 0, sizeof(*c));
	c->stale = true;
}

void ike_sas_cache_free(struct ike_sas_cache *c)
{
	vec_free(&c->sas);
	ike_sas_cache_init(c);
}

static int relist(struct ike_sas_cache *c, struct vici_conn *conn, uint64_t now_ms)
{
	int ret;

	vec_free(&c->sas);
	ret = ike_list_sas(conn, &c->sas);
	if (ret) {
		/* Half a list would name less than charon knows: none. */
		vec_free(&c->sas);
		c->stale = true;
		return ret;
	}
	c->stale = false;
	c->listed_ms = now_ms;
	return 0;
}

static int cached(struct ike_sas_cache *c, struct vici_conn *conn, uint64_t now_ms,
		  bool reqid, uint32_t key, const char **id)
{
	int ret;

	*id = NULL;
	if (!key || !vici_connected(conn))
		return 0;
	if (c->stale) {
		ret = relist(c, conn, now_ms);
		if (ret)
			return ret;
	} else if (!identity_of(&c->sas, reqid, key) &&
		   now_ms - c->listed_ms >= IKE_SAS_RETRY_MS) {
		ret = relist(c, conn, now_ms);
		if (ret)
			return ret;
	}
	*id = identity_of(&c->sas, reqid, key);
	return 0;
}

int ike_sas_cache_reqid(struct ike_sas_cache *c, struct vici_conn *conn,
			uint64_t now_ms, uint32_t reqid, const char **id)
{
	return cached(c, conn, now_ms, true, reqid, id);
}

int ike_sas_cache_spi(struct ike_sas_cache *c, struct vici_conn *conn,
		      uint64_t now_ms, uint32_t spi, const char **id)
{
	return cached(c, conn, now_ms, false, spi, id);
}

int ike_sas_cache_identities(struct ike_sas_cache *c, struct vici_conn *conn,
			     uint64_t now_ms, uint32_t reqid, uint32_t spi,
			     uint32_t carrier, const char **tunnel,
			     const char **sa, char *buf)
{
	int ret, ret2;

	if (reqid)
		ret = ike_sas_cache_reqid(c, conn, now_ms, reqid, tunnel);
	else
		ret = ike_sas_cache_spi(c, conn, now_ms, spi, tunnel);
	if (*tunnel && *tunnel != ike_identity_ambiguous) {
		snprintf(buf, IKE_ID_LEN, "%s", *tunnel);
		*tunnel = buf;
	}
	ret2 = ike_sas_cache_spi(c, conn, now_ms, carrier, sa);
	return ret ? ret : ret2;
}
