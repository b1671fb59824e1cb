/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_PAD_H
#define AGENT_PAD_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The Peer Authorization Database (RFC 4301 section 4.4.3, RFC 5619
 * section 3.5.4.1): which IKE identities may set up CHILD_SAs for L2TP, and
 * how each proves itself. One [peer NAME] section of the configuration
 * file is one entry; the agent loads each into the IKE daemon as one
 * connection with one CHILD_SA, "l2tp_spd_entry".
 *
 * RFC 3193 section 5.1.4 and RFC 5619 section 3.5.2: a pre-shared key
 * belongs to exactly one identity. So a PSK entry names one identity (no
 * wildcard), and no two entries share a PSK or an identity.
 */

#define PAD_NAME_MAX	48	/* of a [peer NAME]: a conn name for charon */
#define PAD_LAC_MAX	64	/* of an xl2tpd_lac */

union inet_addr;

/* The keys of a [peer] section. */
enum pad_key {
	PAD_KEY_REMOTE_ID,
	PAD_KEY_REMOTE_ADDRS,
	PAD_KEY_AUTH,
	PAD_KEY_PSK,
	PAD_KEY_LOCAL_ID,
	PAD_KEY_LOCAL_CERT,
	PAD_KEY_LOCAL_KEY,
	PAD_KEY_CA_CERT,
	PAD_KEY_XL2TPD_LAC,
	PAD_KEY_EAP_SECRET,
	PAD_KEY_SHARED_NAT,
	PAD_KEY_COUNT,
};

enum pad_auth {
	PAD_AUTH_NONE,		/* not given yet */
	PAD_AUTH_PUBKEY,	/* X.509 certificates both ways */
	PAD_AUTH_PSK,		/* a key of this identity only */
	PAD_AUTH_EAP,		/* the peer by EAP (@eap), we by certificate */
};

/**
 * struct pad_peer - one [peer NAME] section
 * @name: NAME
 * @line: line of its section header, for messages
 * @remote_id: the peer's IKE identity (a DN, FQDN, e-mail or address; a
 *	DN may hold '*' wildcards, for certificates only)
 * @remote_addrs: the peer's address, or NULL for any (a concentrator's
 *	peers come from anywhere, through NAT too)
 * @auth: how the peer proves @remote_id
 * @eap: with PAD_AUTH_EAP, the method: "eap-mschapv2", "eap-tls", ...
 * @psk: with PAD_AUTH_PSK, the key's bytes (@psk_len of them)
 * @psk_len: see @psk
 * @local_id: our identity towards this peer; NULL: our certificate's
 *	subject, or our address with a PSK
 * @local_cert: our certificate (PEM or DER file), with PAD_AUTH_PUBKEY
 *	and PAD_AUTH_EAP
 * @local_key: its private key (file)
 * @ca_cert: the CA the peer's certificate must chain to (file), with
 *	PAD_AUTH_PUBKEY
 * @eap_secret: with PAD_AUTH_EAP by a password method (not eap-tls or
 *	eap-radius), the peer's EAP secret (@eap_secret_len bytes), owned
 *	by its identity alone
 * @eap_secret_len: see @eap_secret
 * @xl2tpd_lac: on a LAC, the [lac NAME] of xl2tpd's configuration that
 *	dials this peer; the agent tells xl2tpd to connect it ("c NAME" on
 *	its control file) once the CHILD_SA is up, and not before
 * @shared_nat: on an LNS, clients of this entry may share one NAT (and
 *	source port 1701): each CHILD_SA gets its own marks, which tell the
 *	twin tunnels' SAs apart (Documentation/agent.rst, "Twin tunnels")
 * @key_line: line of each key given, 0 if not (enum pad_key)
 */
struct pad_peer {
	char name[PAD_NAME_MAX + 1];
	int line;
	char *remote_id;
	char *remote_addrs;
	enum pad_auth auth;
	char *eap;
	unsigned char *psk;
	size_t psk_len;
	char *local_id;
	char *local_cert;
	char *local_key;
	char *ca_cert;
	char *xl2tpd_lac;
	unsigned char *eap_secret;
	size_t eap_secret_len;
	bool shared_nat;
	int key_line[PAD_KEY_COUNT];
};

/**
 * struct pad - every [peer] section, in file order
 * @peers: the entries (malloc()ed; pad_free() frees them)
 * @n: how many
 */
struct pad {
	struct pad_peer *peers;
	size_t n;
};

/*
 * Start entry NAME at @line: 0, or -EINVAL with the reason in @err (a bad
 * or duplicate name), -ENOMEM.
 */
int pad_add_peer(struct pad *pad, const char *name, int line, char *err,
		 size_t errlen);

/*
 * Key @key = @value of the last entry started, from @line: 0, or -EINVAL
 * with the reason in @err (unknown key, bad value, given twice), -ENOMEM.
 */
int pad_set(struct pad *pad, const char *key, const char *value, int line,
	    char *err, size_t errlen);

/*
 * Check the whole database once every key is read: each entry complete
 * and consistent with @initiator (a LAC must know its peer's address), no
 * identity twice, no PSK for a wildcard or shared by two entries. 0, or
 * -EINVAL with the line at fault in *@line and the reason in @err.
 */
int pad_check(const struct pad *pad, bool initiator, int *line, char *err,
	      size_t errlen);

/*
 * @s as one IPv4 or IPv6 address into @ip (unless NULL): AF_INET or
 * AF_INET6, 0 if it is not one (or NULL: any).
 */
int pad_addr(const char *s, union inet_addr *ip);

/*
 * Does @p's EAP method check a secret of ours (eap-md5, eap-mschapv2, ...)?
 * Not eap-tls (a certificate) nor eap-radius (the RADIUS server's).
 */
bool pad_eap_has_secret(const struct pad_peer *p);

/* Is @id a wildcard identity ('*' in it, or "%any")? */
bool pad_id_wildcard(const char *id);

/* "pubkey", "psk", "eap-..." for @p. */
const char *pad_auth_str(const struct pad_peer *p);

void pad_free(struct pad *pad);

#endif
