// SPDX-License-Identifier: GPL-2.0
/* kmod/binding.c, unchanged, for the benchmark module. */
#include "binding.c"
