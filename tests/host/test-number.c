// SPDX-License-Identifier: GPL-2.0
/* Strict number parsing of agent/lib/number.c. */

#include <errno.h>
#include <stdint.h>

#include "harness.h"
#include "lib/number.h"

static const struct {
	const char *in;
	uint32_t min, max;
	bool hex;
	int ret;
	uint32_t val;
} u32_cases[] = {
	{ "0", 0, UINT32_MAX, false, 0, 0 },
	{ "1701", 1, 65535, false, 0, 1701 },
	{ "4294967295", 0, UINT32_MAX, false, 0, UINT32_MAX },
	{ "4294967296", 0, UINT32_MAX, false, -ERANGE, 0 },
	{ "99999999999999999999999", 0, UINT32_MAX, false, -ERANGE, 0 },
	{ "010", 0, UINT32_MAX, false, 0, 10 },		/* decimal, not octal */
	{ "0", 1, 10, false, -ERANGE, 0 },
	{ "11", 1, 10, false, -ERANGE, 0 },
	{ "", 0, UINT32_MAX, false, -EINVAL, 0 },
	{ "-1", 0, UINT32_MAX, false, -EINVAL, 0 },
	{ "+1", 0, UINT32_MAX, false, -EINVAL, 0 },
	{ " 1", 0, UINT32_MAX, false, -EINVAL, 0 },
	{ "1 ", 0, UINT32_MAX, false, -EINVAL, 0 },
	{ "1x", 0, UINT32_MAX, false, -EINVAL, 0 },
	{ "1.0", 0, UINT32_MAX, false, -EINVAL, 0 },
	{ "0x100", 0, UINT32_MAX, false, -EINVAL, 0 },	/* hex not allowed */
	{ "0x100", 256, UINT32_MAX, true, 0, 256 },
	{ "0X1f", 0, UINT32_MAX, true, 0, 31 },
	{ "0xffffffff", 0, UINT32_MAX, true, 0, UINT32_MAX },
	{ "0x100000000", 0, UINT32_MAX, true, -ERANGE, 0 },
	{ "0xff", 256, UINT32_MAX, true, -ERANGE, 0 },
	{ "0x", 0, UINT32_MAX, true, -EINVAL, 0 },
	{ "0x-1", 0, UINT32_MAX, true, -EINVAL, 0 },
	{ "0x 1", 0, UINT32_MAX, true, -EINVAL, 0 },
	{ "0xg", 0, UINT32_MAX, true, -EINVAL, 0 },
	{ "4096", 0, UINT32_MAX, true, 0, 4096 },	/* decimal still */
};

static const struct {
	const char *in;
	int ret;
	uint16_t val;
} u16_cases[] = {
	{ "1", 0, 1 },
	{ "65535", 0, 65535 },
	{ "65536", -ERANGE, 0 },
	{ "0", -ERANGE, 0 },
	{ "0x10", -EINVAL, 0 },
	{ "", -EINVAL, 0 },
};

int main(void)
{
	uint32_t v32;
	uint16_t v16;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(u32_cases); i++) {
		v32 = 0;
		ret = parse_u32(u32_cases[i].in, u32_cases[i].min, u32_cases[i].max,
				u32_cases[i].hex, &v32);
		if (ret != u32_cases[i].ret || (!ret && v32 != u32_cases[i].val))
			fprintf(stderr, "  ret %d val %u\n", ret, v32);
		check(ret == u32_cases[i].ret && (ret || v32 == u32_cases[i].val),
		      "parse_u32 '%s' %u..%u%s -> %s", u32_cases[i].in,
		      u32_cases[i].min, u32_cases[i].max,
		      u32_cases[i].hex ? " hex" : "",
		      u32_cases[i].ret == 0 ? "ok" :
		      u32_cases[i].ret == -ERANGE ? "ERANGE" : "EINVAL");
	}
	for (i = 0; i < ARRAY_SIZE(u16_cases); i++) {
		v16 = 0;
		ret = parse_u16(u16_cases[i].in, 1, 65535, &v16);
		check(ret == u16_cases[i].ret && (ret || v16 == u16_cases[i].val),
		      "parse_u16 port '%s' -> %s", u16_cases[i].in,
		      u16_cases[i].ret == 0 ? "ok" :
		      u16_cases[i].ret == -ERANGE ? "ERANGE" : "EINVAL");
	}
	return harness_exit();
}
