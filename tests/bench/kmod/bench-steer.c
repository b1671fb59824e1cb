// SPDX-License-Identifier: GPL-2.0
/* kmod/steer.c, unchanged, for the benchmark module (binding.c calls it). */
#include "steer.c"
