#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tunnels being set up (Documentation/l2tp_ipsec.rst, "Steering", "Tunnels
# being set up"): two L2TPv2 clients behind one NAT whose SAs the LNS tells
# apart by marks, before any binding names their tunnels.
#
# strongSwan with mark_in = mark_out = %unique and set_mark_in=%same gives
# each client's CHILD_SA its own mark: the inbound SA sets it on what it
# decrypts (XFRMA_SET_MARK), the outbound policy matches only it. xl2tpd
# makes its kernel tunnel, and so the agent its binding, at the SCCCN; its
# SCCRP leaves unmarked from its listener socket, finds no SA (the base SPD
# line holds it) and the set-up deadlocks. The module remembers the SA of
# each SCCRQ a listener accepted and marks the answers with it.
#
# Same LAN as datapath-steer: $lac is client A (the NAT's address, NAT-T
# 4500->4500, spi 0x1001, reqid 1, set-mark 1 at the LNS); $atk is client B
# (the NAT's address on lo, 4501->4500, spi 0x2001, reqid 2, set-mark 2).
# The LNS answers through spi 0x1002 (policy mark 1, to NAT:4500) or 0x2002
# (mark 2, to NAT:4501); an unmarked line without SA holds the rest. Counted
# where the NAT receives: UDP 4500 is A's SA, 4501 B's, 1701 cleartext.
#
# Tunnel IDs: A assigns 100, the LNS gives A 10; B assigns 200, the LNS
# gives B 20.

set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
. "$TOP/tests/lib.sh"
. "$TOP/tests/datapath-lib.sh"
t_suite datapath-pending
require_tools

sw=pnd-sw lac=pnd-lac lns=pnd-lns atk=pnd-atk
LAC=10.0.0.1 LNS=10.0.0.2
ESPINUDP_A="encap espinudp 4500 4500 0.0.0.0"
ESPINUDP_B="encap espinudp 4501 4500 0.0.0.0"
MARK_A="output-mark 0x1 mask 0xffffffff"
MARK_B="output-mark 0x2 mask 0xffffffff"

trap dp_cleanup EXIT

mod_load
attack_lan "$sw" "$lac" "$lns" "$atk"

{
	sa $LAC $LNS 0x1001 $DP_KEY1 1 $ESPINUDP_A
	pol $LAC $LNS out 1
} | ipb "$lac"
# A's inbound SA without set-mark first: nothing to learn from.
{
	sa $LAC $LNS 0x1001 $DP_KEY1 1 $ESPINUDP_A
	sa $LAC $LNS 0x2001 $DP_KEY2 2 $ESPINUDP_B $MARK_B
	pol $LAC $LNS in 0
	sa $LNS $LAC 0x1002 $DP_KEY3 11 $ESPINUDP_A
	sa $LNS $LAC 0x2002 $DP_KEY4 12 encap espinudp 4500 4501 0.0.0.0
	pol $LNS $LAC out 11 mark 0x1
	pol $LNS $LAC out 12 mark 0x2
	pol $LNS $LAC out 99 priority 10
} | ipb "$lns"
{
	sa $LAC $LNS 0x2001 $DP_KEY2 2 $ESPINUDP_B
	pol $LAC $LNS out 2 mark 3
} | ipb "$atk"
spawn "$lns" "$DP_TMP/encap" python3 "$DP_PKT" encap 0.0.0.0 4500
wait_for_line "$DP_TMP/encap" '^# listening'
# The LNS's listener socket: what it receives is what was delivered.
spawn "$lns" "$DP_TMP/rx" python3 "$DP_PKT" recv $LNS 1701
wait_for_line "$DP_TMP/rx" '^# listening'
n "$lac" nft -f - <<-EOF
	table netdev pnd_nat {
		counter to4500 { }
		counter to4501 { }
		counter clear { }
		chain in {
			type filter hook ingress device eth0 priority 0;
			udp dport 4500 counter name to4500;
			udp dport 4501 counter name to4501;
			udp dport 1701 counter name clear;
		}
	}
EOF

dp_judge=$lns
dp_rx=(rx_count "$DP_TMP/rx")
listener=(local "$LNS:1701" peer any)
bind_a=(local "$LNS:1701" peer "$LAC:1701" reqid 1 v2-tunnel-id 10)

# What each client sends, through its own SA (B's: its policy's mark 3).
a() { send "$lac" $LAC 1701 $LNS 1701 "$@"; }
b() { send "$atk" $LAC 1701 $LNS 1701 "$@" --mark 3; }
# What the LNS sends from an unconnected socket on 1701, as xl2tpd does.
lns_tx() { send "$lns" $LNS 1701 $LAC 1701 "$@"; }

# rearm SENDER PEER_TID LOCAL_TID: SENDER's SCCRQ again (as xl2tpd
# retransmits it) and the LNS's SCCRP: the slot lives on, or is learned
# again with the same IDs if its 60 s ran out, so that no case depends on
# how fast the machine runs (on the debug kernel under TCG a few cases
# take longer than that).
rearm()
{
	"$1" sccrq "$2" > /dev/null && lns_tx sccrp "$2" "$3" > /dev/null
}

nat_rx() { echo "4500:$(nft_count "$lac" netdev pnd_nat to4500) 4501:$(nft_count "$lac" netdev pnd_nat to4501) clear:$(nft_count "$lac" netdev pnd_nat clear)"; }

# outbound NAME W4500 W4501 WCLEAR SEND...: after SEND, so many more
# packets reached the NAT on UDP 4500 (A's SA), 4501 (B's) and 1701.
outbound()
{
	local name=$1 w0=$2 w1=$3 wc=$4 b re='4500:([0-9]+) 4501:([0-9]+) clear:([0-9]+)'
	local -a x y

	shift 4
	b=$(nat_rx)
	[[ $b =~ $re ]] && x=("${BASH_REMATCH[@]:1}")
	"$@" || { t_fail "$name" "sending failed: $*"; return 0; }
	poll_output 5 "4500:$((x[0] + w0)) 4501:$((x[1] + w1)) clear:$((x[2] + wc))" nat_rx > /dev/null
	sleep 0.5
	[[ $(nat_rx) =~ $re ]] && y=("${BASH_REMATCH[@]:1}")
	expect "$name" "A's SA +$((y[0] - x[0])), B's SA +$((y[1] - x[1])), cleartext +$((y[2] - x[2]))" \
		"A's SA +$w0, B's SA +$w1, cleartext +$wc"
}

# -- one client, a listener only: no binding names the tunnel yet.
cli "$lns" binding add "${listener[@]}"
case_mod "one client, A's SA without set-mark: A's SCCRQ accepted by the listener" \
	1 "accepted+1" - 1 a sccrq 100
outbound "one client, nothing learned (no set-mark): the LNS's SCCRP is held, none in clear" \
	0 0 0 lns_tx sccrp 100 10
{
	echo "xfrm state del src $LAC dst $LNS proto esp spi 0x1001"
	sa $LAC $LNS 0x1001 $DP_KEY1 1 $ESPINUDP_A $MARK_A
} | ipb "$lns"
case_mod "one client, A's SA with set-mark 1: A's SCCRQ accepted (and learned)" \
	1 "accepted+1" - 1 a sccrq 100
outbound "one client: the LNS's SCCRP to A's tunnel ID 100 leaves through A's SA, none in clear" \
	1 0 0 lns_tx sccrp 100 10
outbound "one client: the LNS's next messages to A (HELLO-like, tid 100) through A's SA" \
	1 0 0 lns_tx scccn 100
outbound "one client: a tunnel ID nobody set up (300): held" 0 0 0 lns_tx scccn 300
case_mod "listener: A's SCCCN to the tunnel ID the LNS gave A (10), A's SA: accepted" \
	1 "accepted+1" - 1 a scccn 10
# Before this change a listener took it.
rearm a 100 10
case_mod "listener: B's SA with A's pending tunnel ID 10: dropped_tunnel_id" \
	1 "dropped_tunnel_id+1" - 0 b scccn 10
# First wins: B names A's tunnel ID in its own SCCRQ.
rearm a 100 10
case_mod "B's SCCRQ naming A's Assigned Tunnel ID 100 through B's SA: accepted by the listener" \
	1 "accepted+1" - 1 b sccrq 100
outbound "... it does not redirect: the SCCRP to 100 still leaves through A's SA" \
	1 0 0 lns_tx sccrp 100 10
outbound "binding flush forgets the tunnels being set up: the SCCRP to 100 is held" \
	0 0 0 eval 'cli "$lns" binding flush && lns_tx sccrp 100 10'

# -- A's tunnel bound (the agent saw xl2tpd's kernel tunnel 10); B sets up
# its own on the same 4-tuple.
cli "$lns" binding add "${listener[@]}"
case_mod "A sets up again: SCCRQ accepted" 1 "accepted+1" - 1 a sccrq 100
outbound "A's SCCRP through A's SA" 1 0 0 lns_tx sccrp 100 10
cli "$lns" binding add "${bind_a[@]}" out-mark 0x1 v2-peer-tunnel-id 100
dp_bind=(local "$LNS:1701" peer "$LAC:1701")
case_mod "A bound: A's data (tunnel 10) accepted on A's binding" \
	1 "accepted+1" "accepted+1" 1 a v2 10 1
# Before this change: dropped_sa_mismatch on A's binding (its 4-tuple, not
# its SA), and B could never set up a tunnel behind A's NAT.
case_mod "A bound: B's SCCRQ (tid 0) through B's SA: accepted by the listener, not A's binding" \
	1 "accepted+1" none 1 b sccrq 200
outbound "A bound: the LNS's SCCRP to B (tid 200) leaves through B's SA" \
	0 1 0 lns_tx sccrp 200 20
rearm b 200 20
case_mod "A bound: B's SCCCN to the LNS's tunnel ID for B (20), B's SA: accepted" \
	1 "accepted+1" none 1 b scccn 20
rearm b 200 20
case_mod "A bound: tunnel ID 20 through A's SA: dropped_tunnel_id on A's binding" \
	1 "dropped_tunnel_id+1" "dropped_tunnel_id+1" 0 a scccn 20
case_mod "A bound: B's SA with A's tunnel ID 10: dropped_sa_mismatch on A's binding" \
	1 "dropped_sa_mismatch+1" "dropped_sa_mismatch+1" 0 b scccn 10
case_mod "A bound: B's SA with a tunnel ID nobody has (30): dropped_sa_mismatch as before" \
	1 "dropped_sa_mismatch+1" "dropped_sa_mismatch+1" 0 b scccn 30
outbound "A bound: A's binding marks A's tunnel (100) through A's SA" \
	1 0 0 lns_tx scccn 100

# -- the TTL: B's slot goes 60 s after its SCCRQ.
sleep 61
case_mod "after the TTL: B's SCCCN to 20 through B's SA: dropped_sa_mismatch again" \
	1 "dropped_sa_mismatch+1" "dropped_sa_mismatch+1" 0 b scccn 20
outbound "after the TTL: the SCCRP to B (200) is held" 0 0 0 lns_tx sccrp 200 20
cli "$lns" binding flush

# -- the stock kernel, the same packets.
mod_unload
case_stock "stock: B's SCCRQ through B's SA: delivered" 1 1 b sccrq 200
outbound "stock: the LNS's SCCRP to B is unmarked: held, none in clear (set-up deadlocks)" \
	0 0 0 lns_tx sccrp 200 20
outbound "stock: the LNS's SCCRP to A is held as well" 0 0 0 lns_tx sccrp 100 10
case_stock "stock: B's SCCCN to 20 through B's SA: delivered" 1 1 b scccn 20
case_stock "stock: tunnel ID 20 through A's SA: delivered" 1 1 a scccn 20
case_stock "stock: B's SA with A's tunnel ID 10: delivered" 1 1 b scccn 10
case_stock "stock: B's SA with a tunnel ID nobody has (30): delivered" 1 1 b scccn 30
case_stock "stock: B's SCCRQ naming A's tunnel ID 100: delivered" 1 1 b sccrq 100
n "$lns" ip xfrm policy del src $LNS dst $LAC proto udp dport 1701 dir out
outbound "stock without the base SPD line: the SCCRP to A leaves in clear" \
	0 0 1 lns_tx sccrp 100 10
mod_load
