/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_IKE_CONN_H
#define AGENT_IKE_CONN_H

#include <stdbool.h>
#include <stddef.h>

#include "ike/pad.h"
#include "ike/vici.h"

/*
 * The VICI requests that put a PAD entry (pad.h) into charon: one IKEv2
 * connection per entry, named CONN_PREFIX + NAME, with one CHILD_SA,
 * IKE_CHILD_NAME, in transport mode for L2TP (RFC 3193 section 5, RFC
 * 5619 section 3.5.4.1), and its credentials. Everything the agent loads
 * carries CONN_PREFIX, so that what it did not load is never touched.
 */

#define CONN_PREFIX	"l2tp-ipsec-"
#define IKE_CHILD_NAME	"l2tp_spd_entry"
#define CONN_NAME_LEN	(sizeof(CONN_PREFIX) + PAD_NAME_MAX)

/**
 * struct ike_local - this host as every connection has it
 * @addrs: the local addresses tunnels use ([agent] local), as text
 * @naddrs: how many
 * @initiator: a LAC: it initiates, its peer is at a known address; an
 *	LNS answers and takes the L2TP peer's source port as it comes
 */
struct ike_local {
	const char *const *addrs;
	size_t naddrs;
	bool initiator;
};

/**
 * struct ike_blob - a credential file's bytes, read by the caller
 * @data: the bytes (PEM or DER: charon tells them apart)
 * @len: how many; 0: none
 */
struct ike_blob {
	const void *data;
	size_t len;
};

/**
 * struct ike_creds - what the files of a PAD entry hold
 * @cert: local_cert
 * @key: local_key
 * @ca: ca_cert
 */
struct ike_creds {
	struct ike_blob cert;
	struct ike_blob key;
	struct ike_blob ca;
};

/* CONN_PREFIX + @p's name into @buf (CONN_NAME_LEN bytes). */
const char *ike_conn_name(const struct pad_peer *p, char *buf);

/* Is @name (of a connection or a shared key) one the agent loads? */
bool ike_name_ours(const char *name);

/*
 * load-conn for @p as this host @l has it, with the certificates of @c
 * (pubkey, EAP). Errors are the builder's (vici.h): sticky in @m.
 */
int ike_load_conn_msg(struct vici_msg *m, const struct pad_peer *p,
		      const struct ike_local *l, const struct ike_creds *c);

/* load-shared of @p's PSK or EAP secret, owned by its remote identity alone. */
int ike_load_shared_msg(struct vici_msg *m, const struct pad_peer *p);

/* load-key of @key (any type: charon parses it). */
int ike_load_key_msg(struct vici_msg *m, const struct ike_blob *key);

/* load-cert of an X.509 certificate, a CA's if @ca. */
int ike_load_cert_msg(struct vici_msg *m, const struct ike_blob *cert, bool ca);

/* unload-conn / unload-shared of @name. */
int ike_unload_conn_msg(struct vici_msg *m, const char *name);
int ike_unload_shared_msg(struct vici_msg *m, const char *id);

/*
 * initiate / terminate the CHILD_SA of connection @name; terminate takes
 * a CHILD_SA's unique id (@child_id, list-sas "uniqueid") when not 0.
 * @timeout_ms: how long charon waits for the peer (-1: returns at once).
 */
int ike_initiate_msg(struct vici_msg *m, const char *name, int timeout_ms);
int ike_terminate_msg(struct vici_msg *m, const char *name,
		      unsigned long child_id, int timeout_ms);
/* terminate the IKE_SA of unique id @ike_id, with every CHILD_SA of it. */
int ike_terminate_ike_msg(struct vici_msg *m, unsigned long ike_id, int timeout_ms);

#endif
