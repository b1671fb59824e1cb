/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host unit tests: every case prints exactly one line, "PASS host: <case>"
 * or "FAIL host: <case>"; details of a failure go to stderr. A test program
 * exits 1 if any of its cases failed.
 */
#ifndef HOST_HARNESS_H
#define HOST_HARNESS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int harness_failures;

__attribute__((format(printf, 2, 3)))
static inline bool check(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s host: ", ok ? "PASS" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!ok)
		harness_failures++;
	return ok;
}

/* Compare strings; on a difference say both on stderr. */
static inline bool same_str(const char *got, const char *want)
{
	if (got && want && !strcmp(got, want))
		return true;
	fprintf(stderr, "  got:  %s\n  want: %s\n", got ? got : "(null)",
		want ? want : "(null)");
	return false;
}

static inline int harness_exit(void)
{
	return harness_failures ? 1 : 0;
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
