#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module unloaded, and a namespace deleted, while L2TP traffic flows
# into bound sockets and a listener is subscribed to the events group:
# bindings are freed with their namespace and on module unload, and
# unloading while traffic flows is safe. Every packet here fails a check
# (cleartext into a listener binding), so the hook, the counters and the
# event path all run while the module goes away. vm-run fails the whole run
# on any kernel splat; this file checks what the kernel reports back.
#
#   +------------------------------------+   +------------------------------------+
#   | $a                                 |   | $b                                 |
#   |  lo 127.0.0.1, ::1                 |   |  lo 127.0.0.1, ::1                 |
#   |  sender -> 127.0.0.1:1701, [::1]   |   |  sender -> 127.0.0.1:1701, [::1]   |
#   |  bindings: 2 listeners + 8 exact   |   |  bindings: 2 listeners + 8 exact   |
#   |  l2tp-ipsec monitor -j             |   |  l2tp-ipsec monitor -j             |
#   |  (module unloaded and reloaded 3x) |   |  (namespace deleted under traffic) |
#   +------------------------------------+   +------------------------------------+

set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
. "$TOP/tests/lib.sh"
. "$TOP/tests/datapath-lib.sh"
t_suite unload
require_tools

a=ul-a b=ul-b
out=$(mktemp -d)

cleanup()
{
	dp_cleanup
	rm -rf "$out"
	mod_load
}
trap cleanup EXIT

# A cleartext L2TPv3 data header to both loopbacks in bursts of 32 every
# millisecond, for at most 120 s (the test stops it long before).
sender()
{
	spawn "$1" "$out/sender-$1" python3 -c '
import socket, time
p = bytes([0x00, 0x03, 0, 0, 0, 0, 0, 1])
s4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
end = time.monotonic() + 120
while time.monotonic() < end:
    for _ in range(32):
        s4.sendto(p, ("127.0.0.1", 1701))
        s6.sendto(p, ("::1", 1701))
    time.sleep(0.001)
'
}

bind_all()
{
	local ns=$1 i

	cli "$ns" binding add local 127.0.0.1:1701 peer any
	cli "$ns" binding add local '[::1]:1701' peer any
	for i in 1 2 3 4; do
		cli "$ns" binding add local 127.0.0.1:1701 peer "127.0.0.$((i + 1)):$((4000 + i))"
		cli "$ns" binding add local '[::1]:1701' peer "[2001:db8::$i]:1701"
	done
}

# cleartext NS: the namespace's dropped_cleartext counter.
cleartext()
{
	cli "$1" -j stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["stats"]["dropped_cleartext"])'
}

# moving NS: dropped_cleartext grows within 10 s.
moving()
{
	local n0 n i

	n0=$(cleartext "$1")
	for i in $(seq 100); do
		n=$(cleartext "$1")
		[ "$n" -gt "$n0" ] && return 0
		sleep 0.1
	done
	return 1
}

nbindings()
{
	cli "$1" -j config show | python3 -c 'import json,sys; print(json.load(sys.stdin)["num_bindings"])'
}

mod_load
mkns "$a" "$b"
# Another LOCAL_IN hook stays registered throughout (a concentrator's
# firewall would be one), so the kernel's nf_hooks_needed static key never
# drops to 0 when our hooks go, and no code is repatched under traffic.
# Without it, TCG livelocked 1 run in 3: rmmod's text_poke of the static
# branch in ip_local_deliver left both vCPUs looping on that NOP (a stale
# translation of the transient int3; the kernel rewinds to the NOP and
# retries). Packets still cross our hook during every unload.
n "$a" nft -f - <<-EOF
	table inet keep {
		chain in { type filter hook input priority 0; policy accept; }
	}
EOF
bind_all "$a"
bind_all "$b"
t_check "10 bindings in $a" test "$(nbindings "$a")" = 10
t_check "10 bindings in $b" test "$(nbindings "$b")" = 10
spawn "$a" "$out/mon-a" "$DP_CLI" -j monitor
spawn "$b" "$out/mon-b" "$DP_CLI" -j monitor
sender "$a"
sender "$b"
t_check "traffic judged in $a" moving "$a"
t_check "traffic judged in $b" moving "$b"
t_check "events reach the monitor" wait_for_line "$out/mon-a" '"reason":"cleartext"'

for round in 1 2 3; do
	t_check "round $round: rmmod under traffic" rmmod l2tp_ipsec
	t_check "round $round: module gone" test ! -d /sys/module/l2tp_ipsec
	t_check "round $round: insmod under traffic" mod_load
	t_check "round $round: bindings died with the module" \
		test "$(nbindings "$a")" = 0
	cli "$a" binding add local 127.0.0.1:1701 peer any
	t_check "round $round: traffic judged again" moving "$a"
done

# Namespace $b dies with its bindings while packets are still in flight: its
# last processes go, then the name.
stop "${dp_pids[3]}"
stop "${dp_pids[1]}"
ip netns del "$b"
dp_netns=("$a")
t_check "a namespace deleted with bindings leaves the module healthy" \
	moving "$a"
mkns ul-c
t_check "a new namespace starts with no bindings" test "$(nbindings ul-c)" = 0

t_check "final rmmod under traffic" rmmod l2tp_ipsec
t_check "final insmod" mod_load
