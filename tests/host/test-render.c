// SPDX-License-Identifier: GPL-2.0
/*
 * The renderer of agent/text/render.c: one sequence of calls, its text and
 * its JSON; nesting, tables, what a failed command prints, and out of memory
 * through a malloc() that fails on a count.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "harness.h"
#include "text/render.h"

/* ---- malloc() failing after a count, for json-c and vasprintf() alike ---- */

void *__libc_malloc(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t size);

static long allocs_left = -1;	/* -1: no limit */

static bool alloc_fails(void)
{
	if (allocs_left < 0)
		return false;
	if (!allocs_left)
		return true;
	allocs_left--;
	return false;
}

void *malloc(size_t size)
{
	return alloc_fails() ? NULL : __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	return alloc_fails() ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
	return alloc_fails() ? NULL : __libc_realloc(p, size);
}

/* ---- running a printer into memory --------------------------------------- */

typedef void (*printer)(struct render *r);

/*
 * @print's output in @mode, its render_end() in *@end. With @allocs >= 0
 * only that many allocations succeed while it runs (the stream is
 * unbuffered in a fixed buffer, so that they are all the renderer's).
 */
static char *run(printer print, enum render_mode mode, long allocs, int *end)
{
	static char buf[4096];
	struct render r;
	FILE *f;

	memset(buf, 0, sizeof(buf));
	f = fmemopen(buf, sizeof(buf) - 1, "w");
	if (!f)
		return NULL;
	setvbuf(f, NULL, _IONBF, 0);
	render_init(&r, f, mode);
	allocs_left = allocs;
	print(&r);
	*end = render_end(&r);
	allocs_left = -1;
	fclose(f);
	return buf;
}

static bool prints(printer print, const char *text, const char *json)
{
	bool ok;
	int end;
	json_object *back;

	ok = same_str(run(print, RENDER_TEXT, -1, &end), text) && !end;
	ok = same_str(run(print, RENDER_JSON, -1, &end), json) && !end && ok;
	/* What we print must parse back as JSON. */
	if (*json) {
		back = json_tokener_parse(json);
		ok = ok && back;
		json_object_put(back);
	}
	return ok;
}

/* ---- printers ------------------------------------------------------------ */

static void one_of_each(struct render *r)
{
	render_open_object(r, NULL);
	render_uint(r, "id", "item %u:", 4294967295u);
	render_u64(r, "big", " big %" PRIu64, 18446744073709551615ull);
	render_string(r, "name", " name %s", "x\"y\\z/\n\x01" "\xc3\xa9");
	render_hex(r, "spi", " spi %s", 0x100);
	render_bool(r, "on", " on", true);
	render_bool(r, "off", " off", false);
	render_null(r, "none");
	render_uint(r, "json_only", NULL, 7);
	render_uint(r, NULL, " text-only %u", 8);
	render_text(r, "\n");
	render_close_object(r);
}

static void nested(struct render *r)
{
	unsigned int i;

	render_open_object(r, NULL);
	render_open_array(r, "list");
	for (i = 1; i <= 2; i++) {
		render_open_object(r, NULL);
		render_uint(r, "n", "n %u", i);
		render_open_object(r, "inner");
		render_open_array(r, "ports");
		render_uint(r, NULL, " %u", 1700 + i);
		render_uint(r, "ignored in an array", ",%u", 1800 + i);
		render_close_array(r);
		render_close_object(r);
		render_open_array(r, "empty");
		render_close_array(r);
		render_open_object(r, "nothing");
		render_close_object(r);
		render_text(r, "\n");
		render_close_object(r);
	}
	render_close_array(r);
	render_close_object(r);
	/* a second document: one line each (monitor's events) */
	render_open_object(r, NULL);
	render_string(r, "event", "event %s\n", "second");
	render_close_object(r);
}

/* A dump that fails before its first item, and one after it. */
static void failed_at_once(struct render *r)
{
	render_open_object(r, NULL);
	render_open_array(r, "items");
}

static void failed_later(struct render *r)
{
	failed_at_once(r);
	render_open_object(r, NULL);
	render_uint(r, "n", "n %u\n", 1);
	render_close_object(r);
	render_open_object(r, NULL);
	render_open_object(r, "half");
}

static void empty_list(struct render *r)
{
	failed_at_once(r);
	render_close_array(r);
	render_close_object(r);
}

static const char *const heads[] = { "A", "LONG HEAD", "C" };

static void table(struct render *r)
{
	render_open_object(r, NULL);
	render_open_table(r, "rows", heads, 3);
	render_open_object(r, NULL);
	render_string(r, "a", "%s", "wide cell");
	render_uint(r, "b", "%u", 1);
	render_uint(r, "json_only", NULL, 2);
	render_string(r, NULL, "%s", "last");
	render_close_object(r);
	render_open_object(r, NULL);
	render_string(r, "a", "%s", "x");
	render_close_object(r);
	render_open_object(r, NULL);
	render_uint(r, "a", "%u", 1);
	render_uint(r, "b", "%u", 2);
	render_uint(r, "c", "%u", 3);
	render_uint(r, "d", "%u", 4);
	render_close_object(r);
	render_close_array(r);
	render_close_object(r);
}

static void empty_table(struct render *r)
{
	render_open_object(r, NULL);
	render_open_table(r, "rows", heads, 3);
	render_close_array(r);
	render_close_object(r);
}

static void too_deep(struct render *r)
{
	int i;

	for (i = 0; i <= RENDER_DEPTH; i++)
		render_open_object(r, "o");
	render_uint(r, "n", "%u", 1);
	for (i = 0; i <= RENDER_DEPTH; i++)
		render_close_object(r);
}

/* ---- out of memory ------------------------------------------------------- */

/*
 * For every count of allocations that succeed: either the whole output and
 * success, or a prefix of it and -ENOMEM (nothing written after the
 * failure, however many values follow).
 */
static bool oom_is_clean(printer print, enum render_mode mode, int *failures)
{
	char full[4096], *got;
	long n;
	int end;

	*failures = 0;
	got = run(print, mode, -1, &end);
	if (!got || end)
		return false;
	snprintf(full, sizeof(full), "%s", got);
	for (n = 0; n < 1000; n++) {
		got = run(print, mode, n, &end);
		if (!got)
			return false;
		if (!end)
			return !strcmp(got, full) && *failures > 0;
		if (end != -ENOMEM || strncmp(got, full, strlen(got)) ||
		    !strcmp(got, full)) {
			fprintf(stderr, "  %ld allocations: %d, '%s'\n", n, end, got);
			return false;
		}
		(*failures)++;
	}
	return false;
}

int main(void)
{
	int failures, end;
	char *got;
	bool ok;

	check(prints(one_of_each,
		     "item 4294967295: big 18446744073709551615 name x\"y\\z/\n\x01\xc3\xa9"
		     " spi 0x00000100 on text-only 8\n",
		     "{\"id\":4294967295,\"big\":18446744073709551615,"
		     "\"name\":\"x\\\"y\\\\z/\\n\\u0001\xc3\xa9\",\"spi\":\"0x00000100\","
		     "\"on\":true,\"off\":false,\"none\":null,\"json_only\":7}\n"),
	      "render: one call per value, text and JSON; NULL key text only, NULL format JSON only");
	check(prints(nested,
		     "n 1 1701,1801\nn 2 1702,1802\nevent second\n",
		     "{\"list\":[{\"n\":1,\"inner\":{\"ports\":[1701,1801]},\"empty\":[],"
		     "\"nothing\":{}},{\"n\":2,\"inner\":{\"ports\":[1702,1802]},"
		     "\"empty\":[],\"nothing\":{}}]}\n{\"event\":\"second\"}\n"),
	      "render: nesting, empty containers, keys unused in arrays, a line per document");
	check(prints(failed_at_once, "", ""),
	      "render: a command that fails before its first value prints nothing");
	check(prints(failed_later, "n 1\n", "{\"items\":[{\"n\":1}]}\n"),
	      "render: one that fails later leaves one JSON document, what is open but empty dropped");
	check(prints(empty_list, "", "{\"items\":[]}\n"),
	      "render: an empty list closed is written");
	check(prints(table,
		     "A          LONG HEAD  C\n"
		     "wide cell  1          last\n"
		     "x                     \n"
		     "1          2          3\n",
		     "{\"rows\":[{\"a\":\"wide cell\",\"b\":1,\"json_only\":2},{\"a\":\"x\"},"
		     "{\"a\":1,\"b\":2,\"c\":3,\"d\":4}]}\n"),
	      "render: a table: columns as wide as their cells, short rows padded, extra cells dropped");
	check(prints(empty_table, "A  LONG HEAD  C\n", "{\"rows\":[]}\n"),
	      "render: an empty table is its heads");
	ok = oom_is_clean(one_of_each, RENDER_JSON, &failures);
	check(ok, "render: out of memory in JSON (%d counts fail): a prefix, then -ENOMEM",
	      failures);
	ok = oom_is_clean(nested, RENDER_JSON, &failures);
	check(ok, "render: out of memory in nested JSON (%d counts fail)", failures);
	ok = oom_is_clean(table, RENDER_TEXT, &failures);
	check(ok, "render: out of memory in a text table (%d counts fail)", failures);
	got = run(nested, RENDER_TEXT, 0, &end);
	check(got && !strcmp(got, "n 1 1701,1801\nn 2 1702,1802\nevent second\n") && !end,
	      "render: text without a table allocates nothing");
	got = run(too_deep, RENDER_JSON, -1, &end);
	check(got && !*got && end == -ENOMEM,
	      "render: nesting deeper than RENDER_DEPTH fails, prints nothing");
	return harness_exit();
}
