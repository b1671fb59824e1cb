/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the libFuzzer harnesses share. Each fuzz_<target>.c defines
 * LLVMFuzzerTestOneInput(): bytes in, the agent's real parser on them, and
 * checks of what must hold for any input (a violated one aborts, which
 * libFuzzer reports as a crash like a sanitizer's).
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "text/render.h"

/*
 * Netlink ids as the seeds carry them (gen-corpus.c writes them): the
 * kernel picks family ids at run time; these are the test-msg.c and
 * test-l2tp.c ones, and differ from every XFRM_MSG_* type so that one
 * datagram can mix the families (fuzz_reconcile).
 */
#define FUZZ_MOD_FAMILY		0x20	/* l2tp_ipsec */
#define FUZZ_L2TP_FAMILY	0x1b	/* l2tp */
#define FUZZ_PORTID		0x4c32	/* our socket's port id */
#define FUZZ_SEQ		1	/* every request's sequence number */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Where printers write: their output is not checked, only their run. */
static inline FILE *fuzz_sink(void)
{
	static FILE *f;

	if (!f)
		f = fopen("/dev/null", "w");
	if (!f)
		abort();
	return f;
}

/*
 * Run @call, which prints through the renderer "&r", in text and in JSON;
 * the renderer must never fail.
 */
#define FUZZ_RENDER(call)						\
	do {								\
		struct render r;					\
		int mode_;						\
									\
		for (mode_ = RENDER_TEXT; mode_ <= RENDER_JSON; mode_++) { \
			render_init(&r, fuzz_sink(), mode_);		\
			call;						\
			FUZZ_ASSERT(!render_end(&r));			\
		}							\
	} while (0)

/* A property of the parsers that does not hold: report it as a crash. */
#define FUZZ_ASSERT(cond)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: FUZZ_ASSERT(%s) failed\n", \
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

#endif
