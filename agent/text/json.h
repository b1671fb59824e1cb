/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_JSON_H
#define AGENT_JSON_H

#include <stdio.h>

#include <json-c/json.h>

struct binding;
struct counters;
struct nsconfig;
struct violation;

/*
 * JSON objects (json-c) of the agent's data; the caller owns them. Keys use
 * '_' and values the command line's words:
 *
 * binding:   {"id":1,"local":"192.0.2.1:1701","peer":"198.51.100.2:any",
 *             "family":"ipv4","reqid":7,"spi":"0x00000100","encap":"4500:4500",
 *             "version":2,"v2_tunnel_id":5,"allow_ah":false,"mode":"inherit",
 *             "owner":1278361927,
 *             "stats":{...}}   (optional pins and stats only when present)
 * counters:  {"accepted":0,...,"audited":0}   (those the kernel sent)
 * config:    {"policy":"pass","mode":"enforce","ports":[1701],
 *             "max_bindings":262144,"num_bindings":0}
 * violation: {"event":"violation","reason":"cleartext","audit":false,
 *             "src":"198.51.100.2:1701","dst":"192.0.2.1:1701","spi":"0x...",
 *             "reqid":1,"encap":"4500:4500","binding_id":1,"suppressed":0}
 *
 * Out of memory ends the program: there is nothing better to do then.
 */
json_object *json_binding(const struct binding *b);
json_object *json_counters(const struct counters *c);
json_object *json_nsconfig(const struct nsconfig *c);
json_object *json_violation(const struct violation *v);

/* New empty object, exits when out of memory like the above. */
json_object *json_new_object(void);
/* Add @val (owned by @obj afterwards) under @key. */
void json_put(json_object *obj, const char *key, json_object *val);

/* Compact one-line text of @obj, owned by @obj. */
const char *json_text(json_object *obj);
/* Print @obj and a newline to @f, then release @obj. */
void json_print(FILE *f, json_object *obj);

#endif
