/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_XFRM_H
#define AGENT_XFRM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/nl.h"
#include "lib/endpoint.h"

/*
 * The kernel's SPD and SAD over NETLINK_XFRM: install, read and delete
 * policies; read and delete SAs. The socket is a struct nl (nl.h) opened by
 * xfrm_open(), so nl_transact() and its extended acks work as for generic
 * netlink.
 */

/* The kernel's XFRM_MAX_DEPTH (include/net/xfrm.h, not in the UAPI). */
#define XPOLICY_MAX_TMPL 6

/**
 * struct xtmpl - a template of a policy: the SA a packet must use
 * @family: of the SA's addresses
 * @proto: IPPROTO_ESP, IPPROTO_AH or IPPROTO_COMP
 * @mode: XFRM_MODE_TRANSPORT, XFRM_MODE_TUNNEL, ...
 * @optional: "level use" rather than "level required"
 * @reqid: 0: any
 * @spi: host order, 0: any
 * @saddr: the SA's addresses; tunnel mode only
 * @daddr: see @saddr
 */
struct xtmpl {
	int family;
	uint8_t proto;
	uint8_t mode;
	bool optional;
	uint32_t reqid;
	uint32_t spi;
	union inet_addr saddr;
	union inet_addr daddr;
};

/**
 * struct xpolicy - an xfrm policy (SPD entry) as the agent sees it
 * @family: AF_INET or AF_INET6, of the selector
 * @dir: XFRM_POLICY_IN, _OUT or _FWD
 * @action: XFRM_POLICY_ALLOW (with templates: protect; without: bypass)
 *	or XFRM_POLICY_BLOCK
 * @type: XFRM_POLICY_TYPE_MAIN or _SUB
 * @proto: selector's IP protocol, 0: any
 * @saddr: selector's source address
 * @daddr: selector's destination address
 * @prefixlen_s: of @saddr; 0: any address
 * @prefixlen_d: of @daddr
 * @sport: selector's ports and masks, host order; mask 0: any port
 * @sport_mask: see @sport
 * @dport: see @sport
 * @dport_mask: see @sport
 * @ifindex: selector's interface, 0: any
 * @priority: lower wins
 * @index: the kernel's id of the policy (replies only)
 * @mark_v: mark and mask the policy matches packets by; 0/0: all packets
 * @mark_m: see @mark_v
 * @if_id: xfrm interface id, 0: none
 * @has_sec_ctx: it carries an LSM security context
 * @ntmpl: number of templates
 * @tmpl: the templates, outermost last
 */
struct xpolicy {
	int family;
	uint8_t dir;
	uint8_t action;
	uint8_t type;
	uint8_t proto;
	union inet_addr saddr;
	union inet_addr daddr;
	uint8_t prefixlen_s;
	uint8_t prefixlen_d;
	uint16_t sport;
	uint16_t sport_mask;
	uint16_t dport;
	uint16_t dport_mask;
	int ifindex;
	uint32_t priority;
	uint32_t index;
	uint32_t mark_v;
	uint32_t mark_m;
	uint32_t if_id;
	bool has_sec_ctx;
	unsigned int ntmpl;
	struct xtmpl tmpl[XPOLICY_MAX_TMPL];
};

/**
 * struct xsa - an xfrm state (SA), what the agent needs of it
 * @family: of its addresses
 * @saddr: source address (the peer's, for an inbound SA)
 * @daddr: destination address
 * @spi: host order
 * @proto: IPPROTO_ESP, IPPROTO_AH, IPPROTO_COMP
 * @mode: XFRM_MODE_TRANSPORT, ...
 * @reqid: 0: none
 * @has_encap: UDP encapsulation (NAT-T, RFC 3948)
 * @encap_type: UDP_ENCAP_ESPINUDP, ...
 * @encap_sport: host order
 * @encap_dport: host order
 * @mark_v: the SA's mark and mask, 0/0: none
 * @mark_m: see @mark_v
 * @if_id: xfrm interface id, 0: none
 * @set_mark: the mark it gives the packets it decrypts (XFRMA_SET_MARK
 *	under its mask; strongSwan's set_mark_in=%same: its CHILD_SA's
 *	mark), 0: none
 */
struct xsa {
	int family;
	union inet_addr saddr;
	union inet_addr daddr;
	uint32_t spi;
	uint8_t proto;
	uint8_t mode;
	uint32_t reqid;
	bool has_encap;
	uint16_t encap_type;
	uint16_t encap_sport;
	uint16_t encap_dport;
	uint32_t mark_v;
	uint32_t mark_m;
	uint32_t if_id;
	uint32_t set_mark;
};

/*
 * Open a NETLINK_XFRM socket with extended acks. -EPROTONOSUPPORT: the
 * kernel has no xfrm_user. Close it with nl_close().
 */
int xfrm_open(struct nl *nl);

/*
 * Are @a and @b the same policy to the kernel: same direction, selector,
 * type, mark and interface id (what XFRM_MSG_NEWPOLICY calls "exists")?
 */
bool xfrm_policy_same_id(const struct xpolicy *a, const struct xpolicy *b);

/*
 * Build XFRM_MSG_NEWPOLICY or XFRM_MSG_UPDPOLICY (@type) for @p in @buf
 * (NL_REQ_SIZE bytes).
 */
struct nlmsghdr *xfrm_policy_msg(void *buf, uint16_t type,
				 const struct xpolicy *p);
/*
 * Build XFRM_MSG_GETPOLICY or XFRM_MSG_DELPOLICY (@type) for the policy
 * with @p's selector, direction, type and mark.
 */
struct nlmsghdr *xfrm_policy_id_msg(void *buf, uint16_t type,
				    const struct xpolicy *p);
/* Parse an XFRM_MSG_NEWPOLICY message: 0, -ENOMSG (other type), -EPROTO. */
int xfrm_policy_parse(const struct nlmsghdr *nlh, struct xpolicy *p);

/* XFRM_MSG_NEWPOLICY, or XFRM_MSG_UPDPOLICY if @update. */
int xfrm_policy_add(struct nl *nl, const struct xpolicy *p, bool update);
/* The policy with @key's selector, direction, type and mark; -ENOENT. */
int xfrm_policy_get(struct nl *nl, const struct xpolicy *key,
		    struct xpolicy *out);
int xfrm_policy_del(struct nl *nl, const struct xpolicy *key);

/*
 * Every policy of the namespace into a malloc()ed array @list of @n (free()
 * it; NULL when empty). -EINTR: the table changed while it was read.
 */
int xfrm_policy_list(struct nl *nl, struct xpolicy **list, size_t *n);

/* Parse an XFRM_MSG_NEWSA message: 0, -ENOMSG (other type), -EPROTO. */
int xfrm_sa_parse(const struct nlmsghdr *nlh, struct xsa *sa);
/* Build XFRM_MSG_DELSA for @sa (daddr, spi, proto, mark) in @buf. */
struct nlmsghdr *xfrm_sa_del_msg(void *buf, const struct xsa *sa);

/*
 * Called once per SA of a dump; return 0, or a negative errno to stop
 * being called (the dump is still read to its end and that error
 * returned).
 */
typedef int (*xsa_fn)(const struct xsa *sa, void *data);

int xfrm_sa_dump(struct nl *nl, xsa_fn fn, void *data);
/* An xfrm_sa_dump() callback: appends each SA to the struct vec @vec. */
int xfrm_sa_collect(const struct xsa *sa, void *vec);
int xfrm_sa_del(struct nl *nl, const struct xsa *sa);

#endif
