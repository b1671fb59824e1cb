#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# micro.sh OUT.jsonl - the micro benchmark of the check (in the VM as root).
#
# Loads tests/bench/kmod/l2tp_ipsec_bench.ko once per table size in
# $MICRO_BINDINGS; its init times each case (empty call, exact hit,
# wildcard hit, miss, cleartext) and logs one line per case, which become
# one JSON line each. l2tp_ipsec itself is unloaded first: both create a
# slab cache named l2tp_ipsec_binding. Whether the VM counts instructions
# and cycles ("perf stat") is recorded too; under TCG it does not.
#
# Environment: MICRO_BINDINGS ("1 100000"), ITERS (200000).

set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
. "$TOP/tests/lib.sh"

OUT=$1
MICRO_BINDINGS=${MICRO_BINDINGS:-1 100000}
ITERS=${ITERS:-200000}
# make check-debug names the debug kernel's build.
KO=${L2TP_IPSEC_BENCH_KO:-$TOP/tests/bench/kmod/l2tp_ipsec_bench.ko}

pmu=false
if perf stat -x, -e instructions true 2>&1 | grep -q '^[0-9]'; then
	pmu=true
fi
printf '{"part": "micro", "op": "pmu", "instructions_counted": %s}\n' "$pmu" >> "$OUT"

mod_unload
for nb in $MICRO_BINDINGS; do
	mark="l2tp_ipsec_bench run $nb $$"
	echo "$mark" > /dev/kmsg
	insmod "$KO" bindings="$nb" iters="$ITERS"
	rmmod l2tp_ipsec_bench
	dmesg | sed -n "/$mark/,\$p" | sed -n 's/.*l2tp_ipsec_bench: //p' |
	awk -v nb="$nb" '
	/^case=/ {
		for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
		printf "{\"part\": \"micro\", \"op\": \"case\", \"case\": \"%s\", \"extra_bindings\": %d, \"bindings\": %d, \"iters\": %d, \"ns\": %s, \"tsc\": %s, \"ratio\": %s}\n",
		       f["case"], nb, f["bindings"], f["iters"], f["ns"], f["tsc"], f["ratio"]
	}
	/^sizeof binding=/ {
		split($2, kv, "=")
		printf "{\"part\": \"micro\", \"op\": \"sizeof\", \"bytes\": %d}\n", kv[2]
	}' >> "$OUT"
done
