#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Data path, shared 4-tuples: two bindings on one 4-tuple, told apart by
# their SA pins (Documentation/l2tp_ipsec.rst, "Bindings that share a
# 4-tuple").
#
# Behind one NAT, client A's and client B's L2TP packets have the same
# 4-tuple at the LNS (NAT:1701 -> LNS:1701) once ESP is removed, and an
# IKE daemon gives both CHILD_SAs the same reqid: only the NAT-T
# encapsulation ports of the SA that carried a packet (NAT:4500 for A,
# NAT:4501 for B) tell them apart. So the LNS binds the one 4-tuple twice:
# binding 1 pins reqid 1 and encap 4500:4500, binding 2 reqid 1 and encap
# 4501:4500. Each packet belongs to the binding whose pin its SA passes
# and moves that binding's counters; a third SA with the same addresses
# and reqid (C, NAT:4502), which no binding pins, gets sa-mismatch,
# counted on the 4-tuple's first binding. The stock kernel has no such
# check: C's packets are delivered like A's and B's.
#
# This item tells the packets apart; it does not steer them to separate
# sockets (one tunnel socket here, as on 6.1 with one 4-tuple).
#
# $lac stands in for client A (it holds the NAT's public address); $atk for
# clients B and C (its own address on the link and the NAT's address on lo,
# arp_ignore=1, arp_announce=2): B's SA is chosen by mark 3, C's by mark 4.
#
#   +--------------------------+     +--------------------------+     +--------------------------+
#   | $lac  client A           |     | $lns  concentrator       |     | $atk  clients B and C    |
#   | eth0 10.0.0.1/24         |     | eth0 10.0.0.2/24         |     | eth0 10.0.0.3/24         |
#   |   (the NAT's address)    |     |                          |     | lo   10.0.0.1/32         |
#   | ESP in UDP 4500->4500    |     | ESP-in-UDP socket :4500  |     |   (the NAT's address)    |
#   |   spi 0x1001, reqid 1    |     | bindings of one 4-tuple: |     | B: 4501->4500, mark 3    |
#   | l2tpeth0 192.168.0.1     |=====|  1 reqid 1 encap 4500    |     |   spi 0x2001, reqid 1    |
#   |                          |     |  2 reqid 1 encap 4501    |     | C: 4502->4500, mark 4    |
#   |                          |     | l2tpeth0 192.168.0.2     |     |   spi 0x3001, reqid 1    |
#   +-----------+--------------+     +-----------+--------------+     +-----------+--------------+
#               |                                |                                |
#   +-----------+--------------------------------+--------------------------------+--------------+
#   | $sw: br0                                                                                   |
#   +--------------------------------------------------------------------------------------------+

set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
. "$TOP/tests/lib.sh"
. "$TOP/tests/datapath-lib.sh"
t_suite datapath-shared
require_tools

sw=dps-sw lac=dps-lac lns=dps-lns atk=dps-atk
LAC=10.0.0.1 LNS=10.0.0.2
E_LAC=$LAC:1701 E_LNS=$LNS:1701
MAC=02:00:00:00:00:01	# $lac's l2tpeth0: B and C claim A's frames
ESPINUDP_A="encap espinudp 4500 4500 0.0.0.0"
ESPINUDP_B="encap espinudp 4501 4500 0.0.0.0"
ESPINUDP_C="encap espinudp 4502 4500 0.0.0.0"
N=5

cleanup()
{
	dp_cleanup
}
trap cleanup EXIT

mod_load
attack_lan "$sw" "$lac" "$lns" "$atk"

{
	sa $LAC $LNS 0x1001 $DP_KEY1 1 $ESPINUDP_A
	sa $LNS $LAC 0x1002 $DP_KEY1 1 $ESPINUDP_A
	pol $LAC $LNS out 1
	pol $LNS $LAC in 1
} | ipb "$lac"
{
	sa $LAC $LNS 0x1001 $DP_KEY1 1 $ESPINUDP_A
	sa $LNS $LAC 0x1002 $DP_KEY1 1 $ESPINUDP_A
	sa $LAC $LNS 0x2001 $DP_KEY2 1 $ESPINUDP_B
	sa $LAC $LNS 0x3001 $DP_KEY3 1 $ESPINUDP_C
	pol $LNS $LAC out 1
	pol $LAC $LNS in 1
} | ipb "$lns"
# The sender's reqids are its own: at the LNS all three SAs have reqid 1.
{
	sa $LAC $LNS 0x2001 $DP_KEY2 2 $ESPINUDP_B
	sa $LAC $LNS 0x3001 $DP_KEY3 3 $ESPINUDP_C
	pol $LAC $LNS out 2 mark 3
	pol $LAC $LNS out 3 mark 4
} | ipb "$atk"

for ns in "$lac" "$lns"; do
	spawn "$ns" "$DP_TMP/encap-$ns" python3 "$DP_PKT" encap 0.0.0.0 4500
	wait_for_line "$DP_TMP/encap-$ns" '^# listening'
done

pseudowire "$lac" "$LAC" "$lns" "$LNS"
eth_watch "$lns" l2tpeth0 $MAC

dp_judge=$lns
dp_rx=(eth_rx "$lns" l2tpeth0)
key=(local "$E_LNS" peer "$E_LAC")
bind1=("${key[@]}" reqid 1 encap 4500:4500)
bind2=("${key[@]}" reqid 1 encap 4501:4500)

# Session 10's L2TPv3 data through A's, B's or C's SA. A's goes through
# its own tunnel (its socket holds 1701): pings, which fail when blocked.
client_a() { n "$lac" ping -q -c $N -i 0.2 -W 1 192.168.0.2 > /dev/null || true; }
client_b() { send "$atk" $LAC 1701 $LNS 1701 v3 10 $MAC --count $N --mark 3; }
client_c() { send "$atk" $LAC 1701 $LNS 1701 v3 10 $MAC --count $N --mark 4; }
probe_c() { send "$atk" $LAC 1701 $LNS 1701 v3 10 $MAC --mark 4; }

# two NAME NS_WANT B1_WANT B2_WANT DELIVERED SEND...: N packets SEND sends
# move exactly NS_WANT in the namespace, B1_WANT on binding 1, B2_WANT on
# binding 2 ("-": that binding is gone), and DELIVERED of them arrive.
two()
{
	local name=$1 nsw=$2 w1=$3 w2=$4 dw=$5 b a b1 a1 b2 a2 d0 d got exp

	shift 5
	b=$(snap "$lns") || { t_fail "$name" "stats failed"; return 0; }
	[ "$w1" = - ] || b1=$(snap "$lns" "${bind1[@]}")
	[ "$w2" = - ] || b2=$(snap "$lns" "${bind2[@]}")
	d0=$("${dp_rx[@]}")
	"$@" || { t_fail "$name" "sending failed: $*"; return 0; }
	a=$(snap_after "$lns" "$b" "$(wanted_total $nsw)")
	d=$(($(poll_count $((d0 + dw)) "${dp_rx[@]}") - d0))
	got="ns: $(delta "$b" "$a")"
	exp="ns: $(want $nsw)"
	if [ "$w1" != - ]; then
		a1=$(snap "$lns" "${bind1[@]}")
		got+="; binding 1: $(delta "$b1" "$a1")"
		exp+="; binding 1: $(want $w1)"
	fi
	if [ "$w2" != - ]; then
		a2=$(snap "$lns" "${bind2[@]}")
		got+="; binding 2: $(delta "$b2" "$a2")"
		exp+="; binding 2: $(want $w2)"
	fi
	expect "$name" "$got; delivered $d/$N" "$exp; delivered $dw/$N"
}

# -- with l2tp_ipsec
cli "$lns" binding add "${bind1[@]}"
if cli "$lns" binding add "${bind2[@]}"; then
	t_pass "a second binding of the 4-tuple, another encap pin: added"
else
	t_fail "a second binding of the 4-tuple, another encap pin: added" "refused"
fi
out=$(cli "$lns" binding add "${key[@]}" reqid 1 encap 4501:4500 2>&1) && rc=0 || rc=$?
expect "the same 4-tuple and pin again: refused (EEXIST, the kernel says why)" \
	"$rc:$([[ $out == *"A binding with this 4-tuple and pin exists"* ]] && echo msg)" "1:msg"
out=$(cli "$lns" binding add "${key[@]}" 2>&1) && rc=0 || rc=$?
expect "an unpinned binding on the shared 4-tuple: refused, it would match every SA" \
	"$rc:$([[ $out == *"unpinned binding would match every SA"* ]] && echo msg)" "1:msg"
nb=$(cli "$lns" -j binding show | tr -d '[:space:]' | grep -o '"id":' | wc -l)
expect "binding show lists both bindings of the 4-tuple" "$nb" 2

two "client A through its SA (encap 4500): binding 1's accepted, binding 2 untouched" \
	"accepted+$N" "accepted+$N" none $N client_a
two "client B through its SA (encap 4501): binding 2's accepted, binding 1 untouched" \
	"accepted+$N" none "accepted+$N" $N client_b
id1=$(cli "$lns" -j binding get "${bind1[@]}" | tr -d '[:space:]' | grep -o '"id":[0-9]*')
monitor_start "$lns" "$DP_TMP/mon" -- probe_c
two "client C through a third SA (encap 4502, same reqid): dropped_sa_mismatch on binding 1 (the 4-tuple's first)" \
	"dropped_sa_mismatch+$N" "dropped_sa_mismatch+$N" none 0 client_c
ev=$(monitor_events "$DP_TMP/mon" $N |
     while IFS=$'\t' read -r ra line; do
	     re='"binding_id":([0-9]+)'
	     [[ $line =~ $re ]] && echo "$ra binding ${BASH_REMATCH[1]}" || echo "$ra no binding"
     done | sort | uniq -c | awk '{ $1 = $1 " x"; print }')
expect "monitor -j: each of C's $N drops an sa-mismatch event naming binding 1" \
	"$ev" "$N x sa-mismatch/false binding ${id1#\"id\":}"

out=$(cli "$lns" binding del "${key[@]}" 2>&1) && rc=0 || rc=$?
nb=$(cli "$lns" -j binding show | tr -d '[:space:]' | grep -o '"id":' | wc -l)
expect "binding del by the shared 4-tuple alone: refused (ENOTUNIQ), nothing deleted" \
	"$rc:$([[ $out == *"Several bindings share this 4-tuple"* ]] && echo msg):$nb" "1:msg:2"

# The 4-tuple's first binding goes: the other one takes its place.
cli "$lns" binding del "${bind1[@]}"
two "binding 1 deleted by its pin: client B still binding 2's accepted" \
	"accepted+$N" - "accepted+$N" $N client_b
two "binding 1 deleted: client A's SA now fails binding 2's pin: dropped_sa_mismatch" \
	"dropped_sa_mismatch+$N" - "dropped_sa_mismatch+$N" 0 client_a
cli "$lns" binding add "${bind1[@]}"
two "binding 1 back: client A binding 1's accepted again" \
	"accepted+$N" "accepted+$N" none $N client_a

# Plain pins by SPI: the same three SAs, bound by SPI instead.
cli "$lns" binding flush
bind1=("${key[@]}" spi 0x1001)
bind2=("${key[@]}" spi 0x2001)
cli "$lns" binding add "${bind1[@]}"
cli "$lns" binding add "${bind2[@]}"
two "bound by SPI: client A binding 1's accepted" "accepted+$N" "accepted+$N" none $N client_a
two "bound by SPI: client B binding 2's accepted" "accepted+$N" none "accepted+$N" $N client_b
two "bound by SPI: client C (spi 0x3001): dropped_sa_mismatch on binding 1" \
	"dropped_sa_mismatch+$N" "dropped_sa_mismatch+$N" none 0 client_c
cli "$lns" binding flush

# -- the stock kernel: no per-tunnel check at all, C's packets go in.
mod_unload
case_stock "without l2tp_ipsec: client A's packets delivered" $N $N client_a
case_stock "without l2tp_ipsec: client B's packets delivered" $N $N client_b
case_stock "without l2tp_ipsec: client C's packets (an SA no tunnel owns) delivered too" \
	$N $N client_c
mod_load

[ "$T_FAILED" -eq 0 ]
