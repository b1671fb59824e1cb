/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_VEC_H
#define AGENT_VEC_H

#include <stddef.h>

/**
 * struct vec - a growing array of fixed-size items, for dumps
 * @v: the items, malloc()ed (NULL while empty); free() it when done
 * @n: number of items
 * @cap: room for this many
 */
struct vec {
	void *v;
	size_t n;
	size_t cap;
};

/* Append a copy of the @size bytes at @item: 0 or -ENOMEM. */
int vec_push(struct vec *vec, const void *item, size_t size);
/* Free the items, leave @vec empty. */
void vec_free(struct vec *vec);

#endif
