// SPDX-License-Identifier: GPL-2.0
/*
 * The renderer (render.h): text and JSON from one sequence of calls. JSON
 * is written as it is made; json-c writes every string, so that escaping is
 * json-c's, and its allocation failures end up in one flag.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "text/render.h"

#define JSON_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

void render_init(struct render *r, FILE *f, enum render_mode mode)
{
	memset(r, 0, sizeof(*r));
	r->f = f;
	r->mode = mode;
}

bool render_is_json(const struct render *r)
{
	return r->mode == RENDER_JSON;
}

bool render_failed(const struct render *r)
{
	return r->failed;
}

/* ---- JSON ---------------------------------------------------------------- */

/* @s as a JSON string; false (and failed) when json-c runs out of memory. */
static bool json_string(struct render *r, const char *s)
{
	json_object *obj = json_object_new_string(s);
	const char *text = obj ? json_object_to_json_string_ext(obj, JSON_FLAGS) : NULL;

	if (text)
		fputs(text, r->f);
	else
		r->failed = true;
	json_object_put(obj);
	return text;
}

/* The separator and the key of a new member of frame @i (-1: the top). */
static bool json_member(struct render *r, int i, const char *key)
{
	struct render_frame *p;

	if (i < 0)
		return true;
	p = &r->st[i];
	if (p->n++)
		fputc(',', r->f);
	if (p->array)
		return true;
	if (!json_string(r, key ? key : ""))
		return false;
	fputc(':', r->f);
	return true;
}

/* Write the openings still pending in frames 0..@top, outermost first. */
static bool json_open_pending(struct render *r, int top)
{
	struct render_frame *fr;
	int i;

	for (i = 0; i <= top; i++) {
		fr = &r->st[i];
		if (fr->written)
			continue;
		if (!json_member(r, i - 1, fr->key))
			return false;
		fputc(fr->array ? '[' : '{', r->f);
		fr->written = true;
	}
	return true;
}

/*
 * Begin a JSON value named @key in the innermost container. False when there
 * is nothing to write: text mode, a text-only value, no container, failed.
 */
static bool json_value(struct render *r, const char *key)
{
	int top = r->depth - 1;

	if (r->mode != RENDER_JSON || r->failed || top < 0 || top >= RENDER_DEPTH)
		return false;
	if (!key && !r->st[top].array)
		return false;
	return json_open_pending(r, top) && json_member(r, top, key);
}

/* ---- text ---------------------------------------------------------------- */

static void table_cell(struct render *r, const char *fmt, va_list ap)
{
	char *cell;

	if (r->row_cells >= r->ncols)
		return;		/* more cells than heads: no column to show them */
	if (vasprintf(&cell, fmt, ap) < 0) {
		r->failed = true;
		return;
	}
	if (vec_push(&r->cells, &cell, sizeof(cell))) {
		free(cell);
		r->failed = true;
		return;
	}
	r->row_cells++;
}

static void vtext(struct render *r, const char *fmt, va_list ap)
{
	if (r->mode != RENDER_TEXT || r->failed || !fmt)
		return;
	if (!r->table)
		vfprintf(r->f, fmt, ap);
	else if (r->depth > r->table)
		table_cell(r, fmt, ap);
}

static void text(struct render *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vtext(r, fmt, ap);
	va_end(ap);
}

void render_text(struct render *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vtext(r, fmt, ap);
	va_end(ap);
}

static void table_row(struct render *r, const char *const *cols, const int *width)
{
	unsigned int c, last = r->ncols - 1;

	for (c = 0; c < last; c++)
		fprintf(r->f, "%-*s  ", width[c], cols[c] ? cols[c] : "");
	fprintf(r->f, "%s\n", cols[last] ? cols[last] : "");
}

/* The heads and the rows collected, then the cells are freed. */
static void table_print(struct render *r)
{
	char **cells = r->cells.v;
	int width[RENDER_COLS], len;
	size_t i;
	unsigned int c;

	if (!r->failed) {
		for (c = 0; c < r->ncols; c++)
			width[c] = (int)strlen(r->heads[c]);
		for (i = 0; i < r->cells.n; i++) {
			len = cells[i] ? (int)strlen(cells[i]) : 0;
			if (len > width[i % r->ncols])
				width[i % r->ncols] = len;
		}
		table_row(r, r->heads, width);
		for (i = 0; i + r->ncols <= r->cells.n; i += r->ncols)
			table_row(r, (const char *const *)cells + i, width);
	}
	for (i = 0; i < r->cells.n; i++)
		free(cells[i]);
	vec_free(&r->cells);
	r->table = 0;
}

/* A row's missing cells are empty, so that every row has one per column. */
static void table_row_end(struct render *r)
{
	char *none = NULL;

	for (; r->row_cells < r->ncols && !r->failed; r->row_cells++)
		if (vec_push(&r->cells, &none, sizeof(none)))
			r->failed = true;
	r->row_cells = 0;
}

/* ---- containers ---------------------------------------------------------- */

static void open_frame(struct render *r, const char *key, bool array)
{
	/* Deeper than any printer nests: cut the output short, keep count. */
	if (r->depth >= RENDER_DEPTH) {
		r->failed = true;
		r->depth++;
		return;
	}
	r->st[r->depth++] = (struct render_frame){ .key = key, .array = array };
}

/*
 * Close the innermost container. @complete: write it even if nothing of it
 * is out yet (then its opening too), else only if its opening is out.
 */
static void close_frame(struct render *r, bool complete)
{
	struct render_frame *fr;

	if (!r->depth)
		return;
	if (r->depth > RENDER_DEPTH) {
		r->depth--;
		return;
	}
	fr = &r->st[r->depth - 1];
	if (r->mode == RENDER_JSON && !r->failed && (complete || fr->written) &&
	    json_open_pending(r, r->depth - 1)) {
		fputc(fr->array ? ']' : '}', r->f);
		if (r->depth == 1)
			fputc('\n', r->f);
	}
	if (r->table && r->depth == r->table + 1)
		table_row_end(r);
	if (r->table == r->depth)
		table_print(r);
	r->depth--;
}

void render_open_object(struct render *r, const char *key)
{
	open_frame(r, key, false);
}

void render_close_object(struct render *r)
{
	close_frame(r, true);
}

void render_open_array(struct render *r, const char *key)
{
	open_frame(r, key, true);
}

void render_close_array(struct render *r)
{
	close_frame(r, true);
}

void render_open_table(struct render *r, const char *key,
		       const char *const *heads, unsigned int ncols)
{
	open_frame(r, key, true);
	if (r->mode != RENDER_TEXT || r->table || !ncols || ncols > RENDER_COLS)
		return;
	r->table = r->depth;
	r->heads = heads;
	r->ncols = ncols;
	r->row_cells = 0;
}

int render_end(struct render *r)
{
	while (r->depth)
		close_frame(r, false);
	return r->failed ? -ENOMEM : 0;
}

/* ---- values -------------------------------------------------------------- */

void render_uint(struct render *r, const char *key, const char *fmt,
		 unsigned int v)
{
	if (json_value(r, key))
		fprintf(r->f, "%u", v);
	else
		text(r, fmt, v);
}

void render_u64(struct render *r, const char *key, const char *fmt,
		uint64_t v)
{
	if (json_value(r, key))
		fprintf(r->f, "%" PRIu64, v);
	else
		text(r, fmt, v);
}

void render_string(struct render *r, const char *key, const char *fmt,
		   const char *s)
{
	if (json_value(r, key))
		json_string(r, s);
	else
		text(r, fmt, s);
}

void render_hex(struct render *r, const char *key, const char *fmt,
		uint32_t v)
{
	char word[11];

	snprintf(word, sizeof(word), "0x%08" PRIx32, v);
	render_string(r, key, fmt, word);
}

void render_bool(struct render *r, const char *key, const char *word, bool v)
{
	if (json_value(r, key))
		fputs(v ? "true" : "false", r->f);
	else if (v && word)
		text(r, "%s", word);
}

void render_null(struct render *r, const char *key)
{
	if (json_value(r, key))
		fputs("null", r->f);
}
