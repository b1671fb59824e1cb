/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_TEXT_XFRM_H
#define AGENT_TEXT_XFRM_H

#include <stddef.h>
#include <netinet/in.h>

struct render;
struct xpolicy;

/* Room for policy_str(): two addresses with prefixes, ports and words. */
#define POLICY_STRLEN (2 * (INET6_ADDRSTRLEN + 8) + 64)

/* "out protect udp 192.0.2.1 port 1701 -> any port any", for messages */
const char *policy_str(const struct xpolicy *p, char *buf, size_t len);

/*
 * spd show: @list[0..@n) in that order, the document {"policies":[...]};
 * text: a table under "DIR ACTION PROTO SRC SPORT DST DPORT PRIORITY OURS",
 * ours marked "yes" or "yes (tunnel)". A port is a number or a word ("any",
 * "N/0xMASK"); mark, if_id and templates are JSON only, and only if set.
 */
void render_policies(struct render *r, const struct xpolicy *list, size_t n);

#endif
