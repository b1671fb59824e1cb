/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nlhelp - small libmnl helpers for the l2tp_ipsec generic netlink selftests.
 *
 * One struct nlh per socket. Every request goes through nlh_talk(), which
 * returns 0 or a negative errno and keeps the kernel's extended ACK (message,
 * offset, missing attribute) of the last request in the struct.
 */
#ifndef NLHELP_H
#define NLHELP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <libmnl/libmnl.h>
#include <linux/l2tp_ipsec.h>

#define NLH_BUFSZ	(1 << 16)
#define NLH_BIT(n)	(1u << (n))

/* Present bits of struct binding, struct config and struct stats. */
#define B_BIT(A)	NLH_BIT(L2TP_IPSEC_A_BINDING_##A)
#define C_BIT(A)	NLH_BIT(L2TP_IPSEC_A_CONFIG_##A)
#define S_BIT(A)	NLH_BIT(L2TP_IPSEC_A_STATS_##A)

/* The key attributes of a binding. */
#define B_KEY_BITS	(B_BIT(LOCAL_IPV4) | B_BIT(LOCAL_IPV6) | B_BIT(LOCAL_PORT) | \
			 B_BIT(PEER_IPV4) | B_BIT(PEER_IPV6) | B_BIT(PEER_PORT))

/* The pin of a binding: with the key, it names one of a shared 4-tuple. */
#define B_PIN_BITS	(B_BIT(REQID) | B_BIT(SPI) | B_BIT(ENCAP_SPORT) | B_BIT(ENCAP_DPORT))
/* What binding-del, binding-get and stats-get helpers send. */
#define B_NAME_BITS	(B_KEY_BITS | B_PIN_BITS)

/* Counters every stats nest carries; the namespace has two more. */
#define S_BINDING_BITS	(S_BIT(ACCEPTED) | S_BIT(DROPPED_CLEARTEXT) | \
			 S_BIT(DROPPED_PROTO_MODE) | S_BIT(DROPPED_SA_MISMATCH) | \
			 S_BIT(DROPPED_ADDR_MISMATCH) | S_BIT(DROPPED_TUNNEL_ID) | \
			 S_BIT(DROPPED_MALFORMED) | S_BIT(AUDITED))
#define S_NS_BITS	(S_BINDING_BITS | S_BIT(ACCEPTED_UNBOUND) | S_BIT(DROPPED_POLICY))

struct stats {
	uint32_t present;			/* S_BIT() of each counter seen */
	uint64_t v[L2TP_IPSEC_A_STATS_MAX + 1];
};

struct binding {
	uint32_t present;			/* B_BIT() of each attribute */
	uint32_t id;
	uint32_t local4, peer4;			/* network byte order */
	struct in6_addr local6, peer6;
	uint16_t local_port, peer_port;
	uint32_t reqid, spi;
	uint16_t encap_sport, encap_dport;
	uint8_t version;
	uint16_t v2_tunnel_id;
	uint8_t mode;
	uint32_t owner;
	struct stats stats;			/* reply only */
};

/* Set one attribute of a binding and mark it present. */
#define BSET(b, A, field, val) \
	((b)->field = (val), (b)->present |= B_BIT(A))

struct config {
	uint32_t present;			/* C_BIT() of each attribute */
	uint8_t policy, mode;
	int nports;
	uint16_t ports[64];
	uint32_t max_bindings, num_bindings;
};

#define CSET(c, A, field, val) \
	((c)->field = (val), (c)->present |= C_BIT(A))

struct nlh_op {
	bool present;
	uint32_t flags;				/* GENL_ADMIN_PERM, GENL_CMD_CAP_* */
};

struct nlh {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	char *buf;				/* request buffer */
	char *rbuf;				/* receive buffer */
	int recvs;				/* recvmsg() calls of the last request */

	/* genl family, filled by nlh_open() */
	uint16_t family;
	uint32_t version;
	uint32_t maxattr;
	uint32_t events_grp;			/* 0 if the family has none */
	struct nlh_op ops[L2TP_IPSEC_CMD_MAX + 1];

	/* extended ACK of the last request */
	char ext_msg[512];
	bool has_offs;
	uint32_t ext_offs;
	bool has_miss_type;
	uint32_t miss_type;
};

/*
 * Open a generic netlink socket in the caller's network namespace (with
 * NETLINK_EXT_ACK and NETLINK_CAP_ACK) and resolve @family_name.
 * Returns 0 or -errno (-ENOENT: no such family here).
 */
int nlh_open(struct nlh *h, const char *family_name);
void nlh_close(struct nlh *h);

/* Begin a request for @cmd of the family in h->buf; flags add to NLM_F_REQUEST. */
struct nlmsghdr *nlh_req(struct nlh *h, uint8_t cmd, uint16_t flags);

/* Called for every reply message of the request (not for ACK/DONE). */
typedef int (*nlh_cb)(const struct nlmsghdr *nlh, void *data);

/*
 * Send @req (NLM_F_ACK is added unless it is a dump) and read replies until
 * the ACK or NLMSG_DONE. Returns 0, the kernel's negative errno, or a local
 * negative errno. h->ext_msg etc. describe the kernel's extended ACK.
 */
int nlh_talk(struct nlh *h, struct nlmsghdr *req, nlh_cb cb, void *data);

/* A command with no attributes (flush, config get, namespace stats). */
int nlh_simple(struct nlh *h, uint8_t cmd, nlh_cb cb, void *data);

/* Bindings. */
void binding_v4(struct binding *b, const char *local, uint16_t lport,
		const char *peer, uint16_t pport);
void binding_v6(struct binding *b, const char *local, uint16_t lport,
		const char *peer, uint16_t pport);
/* Put the inner attributes (@mask selects which of b->present). */
void binding_put_attrs(struct nlmsghdr *nlh, const struct binding *b, uint32_t mask);
/* Put the L2TP_IPSEC_A_BINDING nest. */
void binding_put(struct nlmsghdr *nlh, const struct binding *b, uint32_t mask);
int binding_parse(const struct nlattr *nest, struct binding *b);
/* Parse a binding-get reply message. */
int binding_parse_msg(const struct nlmsghdr *nlh, struct binding *b);
int stats_parse(const struct nlattr *nest, struct stats *s);
/* Human readable form of a binding key, for logs. */
const char *binding_str(const struct binding *b, char *buf, size_t len);

int nlh_binding_add(struct nlh *h, const struct binding *b);
int nlh_binding_del(struct nlh *h, const struct binding *key);
int nlh_binding_get(struct nlh *h, const struct binding *key, struct binding *out);
/* The same, naming the binding by the attributes @mask of @key. */
int nlh_binding_get_by(struct nlh *h, const struct binding *key, uint32_t mask,
		       struct binding *out);
int nlh_binding_flush(struct nlh *h);

/*
 * Add @n bindings, @per_send requests per sendmsg(), every one acked.
 * Returns 0 or the first error; *failed (if not NULL) is its index.
 */
int nlh_binding_add_many(struct nlh *h, const struct binding *b, int n,
			 int per_send, int *failed);

struct dump {
	int count;			/* bindings seen */
	int parts;			/* recvmsg() calls that carried data */
	int bad;			/* messages that did not parse */
	uint32_t *ids;			/* if not NULL, filled up to cap */
	struct binding *bindings;	/* if not NULL, filled up to cap */
	int cap;
};

int nlh_binding_dump(struct nlh *h, struct dump *d);

int config_parse(const struct nlattr *nest, struct config *c);
void config_put(struct nlmsghdr *nlh, const struct config *c);
int nlh_config_get(struct nlh *h, struct config *c);
int nlh_config_set(struct nlh *h, const struct config *c);

/* @key NULL: the namespace's counters. */
int nlh_stats_get(struct nlh *h, const struct binding *key, struct stats *s);

/* Seconds on CLOCK_MONOTONIC, for the tools' timings. */
double nlh_now(void);

/* Join the family's "events" group on this socket. */
int nlh_join_events(struct nlh *h);

#endif /* NLHELP_H */
