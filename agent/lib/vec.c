// SPDX-License-Identifier: GPL-2.0
/* Growing arrays for dumps. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/vec.h"

int vec_push(struct vec *vec, const void *item, size_t size)
{
	size_t cap;
	void *v;

	if (vec->n == vec->cap) {
		cap = vec->cap ? 2 * vec->cap : 16;
		v = realloc(vec->v, cap * size);
		if (!v)
			return -ENOMEM;
		vec->v = v;
		vec->cap = cap;
	}
	memcpy((char *)vec->v + vec->n * size, item, size);
	vec->n++;
	return 0;
}

void vec_free(struct vec *vec)
{
	free(vec->v);
	vec->v = NULL;
	vec->n = vec->cap = 0;
}
