// SPDX-License-Identifier: GPL-2.0
/* Strict parsing of unsigned numbers given on the command line. */

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include "lib/number.h"

int parse_u32(const char *s, uint32_t min, uint32_t max, bool allow_hex,
	      uint32_t *out)
{
	unsigned long long v;
	int base = 10;
	char *end;

	if (allow_hex && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	/* strtoull() would accept blanks, a sign and an empty string. */
	if (base == 16 ? !isxdigit((unsigned char)*s) :
			 !isdigit((unsigned char)*s))
		return -EINVAL;

	errno = 0;
	v = strtoull(s, &end, base);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

int parse_u16(const char *s, uint16_t min, uint16_t max, uint16_t *out)
{
	uint32_t v;
	int ret;

	ret = parse_u32(s, min, max, false, &v);
	if (ret)
		return ret;
	*out = (uint16_t)v;
	return 0;
}
