// SPDX-License-Identifier: GPL-2.0
/*
 * A PAD entry as charon's VICI requests (conn.h). The keys are those of
 * swanctl.conf's "connections" section, which load-conn takes as they are.
 */

#include <stdio.h>
#include <string.h>

#include "ike/conn.h"

/*
 * The L2TP control port on our side always; the peer's too on a LAC (it
 * talks to an LNS's 1701), any source port on an LNS, whose clients may
 * send from another (RFC 3193 section 4.2.2, Inbound-1).
 */
#define TS_L2TP		"dynamic[udp/1701]"
#define TS_ANY_PORT	"dynamic[udp]"

const char *ike_conn_name(const struct pad_peer *p, char *buf)
{
	snprintf(buf, CONN_NAME_LEN, "%s%s", CONN_PREFIX, p->name);
	return buf;
}

bool ike_name_ours(const char *name)
{
	return !strncmp(name, CONN_PREFIX, strlen(CONN_PREFIX));
}

static void put_blob_list(struct vici_msg *m, const char *key,
			  const struct ike_blob *b)
{
	if (!b->len)
		return;
	vici_list_start(m, key);
	vici_list_item_bytes(m, b->data, b->len);
	vici_list_end(m);
}

/* Our side: a certificate, or the PSK of the peer's entry. */
static void put_local(struct vici_msg *m, const struct pad_peer *p,
		      const struct ike_creds *c)
{
	vici_section_start(m, "local");
	vici_kv(m, "auth", p->auth == PAD_AUTH_PSK ? "psk" : "pubkey");
	if (p->local_id)
		vici_kv(m, "id", p->local_id);
	if (p->auth != PAD_AUTH_PSK)
		put_blob_list(m, "certs", &c->cert);
	vici_section_end(m);
}

/* The peer's side: exactly the identity of the entry. */
static void put_remote(struct vici_msg *m, const struct pad_peer *p,
		       const struct ike_creds *c)
{
	vici_section_start(m, "remote");
	vici_kv(m, "auth", pad_auth_str(p));
	vici_kv(m, "id", p->remote_id);
	if (p->auth == PAD_AUTH_EAP)
		vici_kv(m, "eap_id", p->remote_id);
	if (p->auth != PAD_AUTH_PSK)
		put_blob_list(m, "cacerts", &c->ca);
	vici_section_end(m);
}

static void put_child(struct vici_msg *m, const struct pad_peer *p,
		      const struct ike_local *l)
{
	vici_section_start(m, "children");
	vici_section_start(m, IKE_CHILD_NAME);
	vici_kv(m, "mode", "transport");
	vici_list_start(m, "local_ts");
	vici_list_item(m, TS_L2TP);
	vici_list_end(m);
	vici_list_start(m, "remote_ts");
	vici_list_item(m, l->initiator ? TS_L2TP : TS_ANY_PORT);
	vici_list_end(m);
	/*
	 * The agent starts and stops the CHILD_SA (the L2TP daemon may not
	 * speak before it is up, RFC 3193 section 4.2.2); charon only
	 * clears what a dead peer leaves.
	 */
	vici_kv(m, "start_action", "none");
	vici_kv(m, "close_action", "none");
	vici_kv(m, "dpd_action", "clear");
	/*
	 * A responder's clients may sit behind one NAT (shared_nat): their
	 * CHILD_SAs have one selector pair, so each gets its own mark, the same both
	 * ways (reqid and policies per client), and marks what it decrypts
	 * with it, which is how the module tells whose a packet is
	 * (Documentation/l2tp_ipsec.rst, "Steering").
	 */
	if (!l->initiator && p->shared_nat) {
		vici_kv(m, "mark_in", "%unique");
		vici_kv(m, "mark_out", "%unique");
		vici_kv(m, "set_mark_in", "%same");
	}
	vici_section_end(m);
	vici_section_end(m);
}

int ike_load_conn_msg(struct vici_msg *m, const struct pad_peer *p,
		      const struct ike_local *l, const struct ike_creds *c)
{
	char name[CONN_NAME_LEN];
	size_t i;

	vici_begin(m, "load-conn");
	vici_section_start(m, ike_conn_name(p, name));
	/* RFC 5619 section 3.4.2: IKEv2 MUST be used. */
	vici_kv(m, "version", "2");
	vici_list_start(m, "local_addrs");
	for (i = 0; i < l->naddrs; i++)
		vici_list_item(m, l->addrs[i]);
	vici_list_end(m);
	vici_list_start(m, "remote_addrs");
	vici_list_item(m, p->remote_addrs ? p->remote_addrs : "%any");
	vici_list_end(m);
	/*
	 * A tunnel is bound to its SA's addresses and NAT-T ports: MOBIKE
	 * would move the SA under it. NAT traversal (RFC 5619 section 3.5)
	 * is charon's own: it floats to UDP 4500 when it detects a NAT
	 * ([agent] nat_t opens that port in the base SPD set).
	 */
	vici_kv(m, "mobike", "no");
	vici_kv(m, "dpd_delay", "30s");
	/* A peer that comes back replaces its old IKE_SA. */
	vici_kv(m, "unique", "replace");
	put_local(m, p, c);
	put_remote(m, p, c);
	put_child(m, p, l);
	vici_section_end(m);
	return vici_end(m);
}

int ike_load_shared_msg(struct vici_msg *m, const struct pad_peer *p)
{
	char name[CONN_NAME_LEN];

	vici_begin(m, "load-shared");
	vici_kv(m, "id", ike_conn_name(p, name));
	if (p->eap_secret) {
		vici_kv(m, "type", "EAP");
		vici_kv_bytes(m, "data", p->eap_secret, p->eap_secret_len);
	} else {
		vici_kv(m, "type", "IKE");
		vici_kv_bytes(m, "data", p->psk, p->psk_len);
	}
	/* RFC 3193 section 5.1.4: the key of this one identity. */
	vici_list_start(m, "owners");
	vici_list_item(m, p->remote_id);
	vici_list_end(m);
	return vici_end(m);
}

int ike_load_key_msg(struct vici_msg *m, const struct ike_blob *key)
{
	vici_begin(m, "load-key");
	vici_kv(m, "type", "any");
	vici_kv_bytes(m, "data", key->data, key->len);
	return vici_end(m);
}

int ike_load_cert_msg(struct vici_msg *m, const struct ike_blob *cert, bool ca)
{
	vici_begin(m, "load-cert");
	vici_kv(m, "type", "X509");
	vici_kv(m, "flag", ca ? "CA" : "NONE");
	vici_kv_bytes(m, "data", cert->data, cert->len);
	return vici_end(m);
}

int ike_unload_conn_msg(struct vici_msg *m, const char *name)
{
	vici_begin(m, "unload-conn");
	vici_kv(m, "name", name);
	return vici_end(m);
}

int ike_unload_shared_msg(struct vici_msg *m, const char *id)
{
	vici_begin(m, "unload-shared");
	vici_kv(m, "id", id);
	return vici_end(m);
}

int ike_initiate_msg(struct vici_msg *m, const char *name, int timeout_ms)
{
	vici_begin(m, "initiate");
	vici_kv(m, "child", IKE_CHILD_NAME);
	vici_kv(m, "ike", name);
	vici_kvf(m, "timeout", "%d", timeout_ms);
	vici_kv(m, "init-limits", "no");
	return vici_end(m);
}

int ike_terminate_ike_msg(struct vici_msg *m, unsigned long ike_id, int timeout_ms)
{
	vici_begin(m, "terminate");
	vici_kvf(m, "ike-id", "%lu", ike_id);
	vici_kvf(m, "timeout", "%d", timeout_ms);
	return vici_end(m);
}

int ike_terminate_msg(struct vici_msg *m, const char *name,
		      unsigned long child_id, int timeout_ms)
{
	vici_begin(m, "terminate");
	if (child_id)
		vici_kvf(m, "child-id", "%lu", child_id);
	else
		vici_kv(m, "child", IKE_CHILD_NAME);
	vici_kv(m, "ike", name);
	vici_kvf(m, "timeout", "%d", timeout_ms);
	return vici_end(m);
}
