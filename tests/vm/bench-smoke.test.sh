#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark in smoke mode (tests/bench/run --smoke: tiny sizes, short
# runs): it still builds its namespaces, rulesets and bindings, runs every
# part and writes well-formed results. Timings are never judged here: a
# slow machine passes, a benchmark that no longer runs fails.

set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
. "$TOP/tests/lib.sh"
t_suite bench-smoke

out=$(mktemp -d /tmp/bench-smoke.XXXXXX)
trap 'rm -rf "$out"; mod_load 2> /dev/null' EXIT

for f in udpflood nlbench kmod/l2tp_ipsec_bench.ko; do
	if [ ! -e "$TOP/tests/bench/$f" ]; then
		t_fail "built" "tests/bench/$f missing (make tests-bench)"
		exit 1
	fi
done

rc=0
"$TOP/tests/bench/run" --smoke --out "$out" > "$out/log" 2>&1 || rc=$?
sed 's/^/# /' "$out/log"
t_check "runs every part (exit status $rc)" test "$rc" -eq 0
t_check "results.json well formed" \
	python3 "$TOP/tests/bench/report.py" --check "$out/results.json"
t_check "table printed" grep -q '^Targets' "$out/table.txt"
