/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_RENDER_H
#define AGENT_RENDER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/vec.h"

/*
 * One code path for the text and the JSON form of everything the command
 * line prints, after iproute2's json_print: a printer names each value once,
 * with its JSON key and its text format,
 *
 *	render_uint(r, "tunnel_id", "tunnel %u:", t->tunnel_id);
 *
 * and the renderer writes whichever form it was made for.
 *
 * - @fmt is a printf format taking the value (NULL: the value is JSON only);
 *   render_text() writes text alone.
 * - @key names the value in the open JSON object (NULL: it is text only); in
 *   an array it is not used.
 * - JSON is written as it is made, so that a dump of any size is printed in
 *   constant memory, and compact, as json-c's JSON_C_TO_STRING_PLAIN (json-c
 *   escapes every string). A container's opening is written with
 *   its first member or at its close, so that a command that fails before
 *   its first value prints nothing; a top-level container ends with a
 *   newline.
 * - Out of memory (json-c, or the cells of a text table) is sticky: nothing
 *   more is written, and render_end() says so, once for the whole command.
 * - Text has no containers, but for the table of render_open_table().
 */

#define RENDER_DEPTH 8		/* deepest nesting: spd show's templates, 5 */
#define RENDER_COLS 16

enum render_mode {
	RENDER_TEXT,
	RENDER_JSON,
};

/**
 * struct render_frame - an open container
 * @key: its name in its parent object
 * @array: an array (else an object)
 * @written: JSON: its opening is out
 * @n: JSON: members written so far
 */
struct render_frame {
	const char *key;
	bool array;
	bool written;
	unsigned int n;
};

/**
 * struct render - where and how a command prints
 * @mode: text or JSON
 * @f: the output
 * @failed: out of memory once; nothing is written since
 * @depth: containers open, @st[0..depth)
 * @st: the open containers, outermost first
 * @table: text: 1 + depth of the table being collected, 0 if none
 * @heads: its column heads, @ncols of them
 * @ncols: see @heads
 * @row_cells: cells of the row being collected
 * @cells: char * of each cell, rows one after the other (NULL: empty)
 */
struct render {
	enum render_mode mode;
	FILE *f;
	bool failed;
	int depth;
	struct render_frame st[RENDER_DEPTH];
	int table;
	const char *const *heads;
	unsigned int ncols;
	unsigned int row_cells;
	struct vec cells;
};

void render_init(struct render *r, FILE *f, enum render_mode mode);
bool render_is_json(const struct render *r);
/* Out of memory: the output is cut short (a reason to stop early). */
bool render_failed(const struct render *r);

/*
 * Close what is still open: a container whose opening was written gets its
 * closing (what was printed stays one JSON document), one that was not is
 * dropped; a text table is printed. Returns -ENOMEM if the renderer ran out
 * of memory at any point, else 0.
 */
int render_end(struct render *r);

/* @key: NULL at the top level and in arrays; a name in an object. */
void render_open_object(struct render *r, const char *key);
void render_close_object(struct render *r);
void render_open_array(struct render *r, const char *key);
void render_close_array(struct render *r);
/*
 * An array whose text form is a table: each object in it is a row, each
 * text piece of a row a cell, under @heads (@ncols <= RENDER_COLS), columns
 * as wide as their widest cell and two spaces apart. Closed with
 * render_close_array(), which prints it.
 */
void render_open_table(struct render *r, const char *key,
		       const char *const *heads, unsigned int ncols);

void render_uint(struct render *r, const char *key, const char *fmt,
		 unsigned int v);
void render_u64(struct render *r, const char *key, const char *fmt,
		uint64_t v);
void render_string(struct render *r, const char *key, const char *fmt,
		   const char *s);
/* JSON: the string "0x%08x" of @v; text: @fmt of that string ("%s"). */
void render_hex(struct render *r, const char *key, const char *fmt,
		uint32_t v);
/* JSON: true or false; text: @word (no conversion) only when @v holds. */
void render_bool(struct render *r, const char *key, const char *word, bool v);
/* JSON only: null. */
void render_null(struct render *r, const char *key);
/* Text only. */
void render_text(struct render *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
