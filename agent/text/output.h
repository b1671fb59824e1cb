/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_OUTPUT_H
#define AGENT_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

struct binding;
struct counters;
struct nsconfig;
struct violation;

/*
 * Human-readable output. Words are those of the command line, so that a
 * binding's line reads like the command that made it:
 *
 *   binding 1: local 192.0.2.1:1701 peer 198.51.100.2:any reqid 7 mode inherit
 *       [owner 0x4c324147, when it has one]
 *       accepted 12 dropped_cleartext 0 ... audited 0
 */
void print_binding(FILE *f, const struct binding *b);
/* "name value" lines, for the stats command */
void print_counters(FILE *f, const struct counters *c);
void print_nsconfig(FILE *f, const struct nsconfig *c);
/*
 *   violation cleartext dropped src 198.51.100.2:1701 dst 192.0.2.1:1701 binding 1
 */
void print_violation(FILE *f, const struct violation *v);

#define SPI_STRLEN 11		/* "0x" + 8 digits + NUL */
#define ENCAP_STRLEN 12		/* "65535:65535" + NUL */

const char *spi_str(uint32_t spi, char *buf);
const char *encap_str(uint16_t sport, uint16_t dport, char *buf);

#endif
