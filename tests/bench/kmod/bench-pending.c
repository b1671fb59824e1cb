// SPDX-License-Identifier: GPL-2.0
/* kmod/pending.c, unchanged, for the benchmark module (check.c calls it). */
#include "pending.c"
