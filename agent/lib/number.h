/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_NUMBER_H
#define AGENT_NUMBER_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Strict unsigned integer parsing for command-line values: digits only (no
 * sign, no blanks, no trailing junk), decimal, or hexadecimal after "0x" when
 * @allow_hex. Returns 0, -EINVAL if @s is not such a number, -ERANGE if it
 * lies outside [@min, @max].
 */
int parse_u32(const char *s, uint32_t min, uint32_t max, bool allow_hex,
	      uint32_t *out);
int parse_u16(const char *s, uint16_t min, uint16_t max, uint16_t *out);

#endif
