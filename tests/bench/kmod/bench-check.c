// SPDX-License-Identifier: GPL-2.0
/* kmod/check.c, unchanged, for the benchmark module. */
#include "check.c"
