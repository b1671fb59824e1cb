#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Netlink fuzzing of the l2tp_ipsec family (tests/netlink/nlfuzz.c): random
# and mutated requests as root and as an unprivileged user, and, on a kernel
# with fault injection (make check-debug), with the fuzzer's allocations
# failing. Each run is in its own network namespace, so the namespace exit
# path cleans up whatever the run left. Wanted: no splat, no leak, every
# message answered; vm-run fails the boot on any splat and the kmemleak
# scan after the suite.
#
# Environment: NLFUZZ_COUNT  messages per run (default 40000)
#              NLFUZZ_TIME   seconds per run instead of a count (long runs)
#              NLFUZZ_SEED   first seed (default: from the clock, printed)

set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
. "$TOP/tests/lib.sh"
t_suite fuzz-netlink

fuzz=$TOP/tests/netlink/nlfuzz
if [ ! -x "$fuzz" ]; then
	t_fail "nlfuzz" "$fuzz is not built (make)"
	exit 1
fi
mod_load || { t_fail "load the module" "insmod $L2TP_IPSEC_KO failed"; exit 1; }

seed=${NLFUZZ_SEED:-$(( $(date +%s%N) % 1000000007 ))}
if [ -n "${NLFUZZ_TIME:-}" ]; then
	amount=(--time "$NLFUZZ_TIME")
	what="${NLFUZZ_TIME} s"
else
	amount=(--count "${NLFUZZ_COUNT:-40000}")
	what="${NLFUZZ_COUNT:-40000} messages"
fi

# run NAME ARGS...: one fuzz run; its summary goes into the result line.
run()
{
	local name=$1 out rc summary

	shift
	out=$(mktemp)
	"$fuzz" --seed "$seed" "${amount[@]}" "$@" > "$out" 2>&1
	rc=$?
	sed 's/^/# /' "$out"
	summary=$(grep -m1 'messages (' "$out" | sed 's/^nlfuzz: //')
	if [ "$rc" -eq 0 ]; then
		t_pass "$name ($what): ${summary:-no summary}"
	else
		t_fail "$name ($what)" "exit $rc, seed $seed: $(grep -m3 FAIL "$out" | tr '\n' ' ')"
	fi
	rm -f "$out"
	seed=$((seed + 1))
}

run "root"
# The binary lives on the project's share: the unprivileged user must be
# able to run it (it drops privileges itself, after entering its netns).
run "unprivileged" --unpriv

fi_dir=/sys/kernel/debug
if [ -d "$fi_dir/failslab" ] && [ -d "$fi_dir/fail_page_alloc" ]; then
	# Fail 1 in 20 allocations of the fuzzer's own task (task-filter and
	# make-it-fail), sleeping ones included; no stack per failure.
	for f in failslab fail_page_alloc; do
		echo 5 > "$fi_dir/$f/probability"
		echo 1 > "$fi_dir/$f/interval"
		echo -1 > "$fi_dir/$f/times"
		echo 0 > "$fi_dir/$f/space"
		echo 0 > "$fi_dir/$f/verbose"
		echo Y > "$fi_dir/$f/task-filter"
	done
	echo N > "$fi_dir/failslab/ignore-gfp-wait"
	echo N > "$fi_dir/fail_page_alloc/ignore-gfp-wait"
	echo N > "$fi_dir/fail_page_alloc/ignore-gfp-highmem"
	run "root, allocations failing" --fail-alloc
	for f in failslab fail_page_alloc; do
		echo 0 > "$fi_dir/$f/probability"
		echo 0 > "$fi_dir/$f/times"
	done
elif [ -f "/boot/config-$(uname -r)" ] &&
     ! grep -q '^CONFIG_FAILSLAB=y' "/boot/config-$(uname -r)"; then
	# The one legitimate skip: the distro kernel is built without fault
	# injection (no CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC); the debug
	# kernel has both, and make check-debug runs this case there.
	t_skip "root, allocations failing" \
		"$(uname -r) is built without CONFIG_FAILSLAB (make check-debug runs it)"
else
	t_fail "root, allocations failing" \
		"$fi_dir/failslab or fail_page_alloc missing on a kernel that may have them"
fi
[ "$T_FAILED" -eq 0 ]
