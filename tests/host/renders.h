/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RENDERS(mode, want, call): run @call, which prints through the renderer
 * "&r" (agent/text/render.h) in @mode, into memory, and compare what it
 * printed with @want. A JSON document's final newline is not part of
 * @want, and the document must parse back.
 */
#ifndef HOST_RENDERS_H
#define HOST_RENDERS_H

#include <stdlib.h>

#include <json-c/json.h>

#include "harness.h"
#include "text/render.h"

static inline bool renders_check(enum render_mode mode, char *text,
				 const char *want, int end)
{
	size_t len = text ? strlen(text) : 0;
	json_object *back;
	bool ok = !end;

	if (mode == RENDER_JSON && len && text[len - 1] == '\n') {
		text[len - 1] = '\0';
		back = json_tokener_parse(text);
		ok = ok && back;
		json_object_put(back);
	} else if (mode == RENDER_JSON) {
		ok = false;
	}
	return same_str(text, want) && ok;
}

#define RENDERS(mode, want, call)					\
	({								\
		char *text_ = NULL;					\
		size_t len_ = 0;					\
		FILE *f_ = open_memstream(&text_, &len_);		\
		struct render r;					\
		bool ok_;						\
		int end_;						\
									\
		render_init(&r, f_, mode);				\
		call;							\
		end_ = render_end(&r);					\
		fclose(f_);						\
		ok_ = renders_check(mode, text_, want, end_);		\
		free(text_);						\
		ok_;							\
	})

#endif
