# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Helpers for the project's shell tests. Source it:
#
#	. "$(dirname "$0")/../lib.sh"
#
# The other shell libraries sit beside it, in tests/, and are sourced
# after it: datapath-lib.sh (namespaces, SAs, counters, the data-path
# cases) and xl2tpd-lib.sh (real xl2tpd and pppd as LAC and LNS).
#
# Result protocol: every test case writes exactly one line
#
#	PASS <suite>: <case>
#	FAIL <suite>: <case>
#	SKIP <suite>: <case> (<why>)
#
# to stdout and appends it to the file named by $L2TP_IPSEC_RESULTS (if set).
# POSIX sh; safe under "set -eu". Variables starting with _t_ are its own.

if [ -z "${TOP:-}" ]; then
	if [ -n "${BASH_VERSION:-}" ]; then
		eval 'TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)'
	elif [ -f tests/lib.sh ]; then
		TOP=$(pwd -P)	# POSIX sh cannot tell where a sourced file is
	else
		echo "tests/lib.sh: set TOP to the project directory" >&2
		exit 1
	fi
fi
T_SUITE=${T_SUITE:-${0##*/}}
T_FAILED=${T_FAILED:-0}

# t_suite NAME: name the suite of the following results.
t_suite()
{
	T_SUITE=$1
}

t_result()
{
	echo "$1"
	if [ -n "${L2TP_IPSEC_RESULTS:-}" ]; then
		echo "$1" >> "$L2TP_IPSEC_RESULTS"
	fi
}

# t_pass NAME
t_pass()
{
	t_result "PASS $T_SUITE: $1"
}

# t_fail NAME [WHY]: WHY goes to stderr, not into the result line.
t_fail()
{
	if [ $# -gt 1 ] && [ -n "$2" ]; then
		echo "# $T_SUITE: $1: $2" >&2
	fi
	T_FAILED=$((T_FAILED + 1))
	t_result "FAIL $T_SUITE: $1"
}

# t_skip NAME WHY
t_skip()
{
	t_result "SKIP $T_SUITE: $1 (${2:-no reason given})"
}

# t_check NAME CMD [ARGS...]: PASS if CMD exits 0, else FAIL. Returns 0 either
# way so that "set -e" callers carry on; $T_FAILED counts the failures.
t_check()
{
	_t_name=$1
	shift
	_t_rc=0
	"$@" || _t_rc=$?
	if [ "$_t_rc" -eq 0 ]; then
		t_pass "$_t_name"
	else
		t_fail "$_t_name" "'$*' exited with status $_t_rc"
	fi
	return 0
}

# n NS CMD [ARGS...]: run CMD in network namespace NS (WireGuard style).
n()
{
	ip netns exec "$@"
}

mod_loaded()
{
	[ -d /sys/module/l2tp_ipsec ]
}

# The module under test: kmod/l2tp_ipsec.ko, or the one built for another
# kernel (make check-debug sets L2TP_IPSEC_KO to the debug kernel's build).
L2TP_IPSEC_KO=${L2TP_IPSEC_KO:-$TOP/kmod/l2tp_ipsec.ko}

# mod_load [PARAM=VALUE...]: insmod $L2TP_IPSEC_KO unless it is loaded.
mod_load()
{
	mod_loaded && return 0
	insmod "$L2TP_IPSEC_KO" "$@"
}

# mod_unload: rmmod l2tp_ipsec if it is loaded.
mod_unload()
{
	mod_loaded || return 0
	rmmod l2tp_ipsec
}
