#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Data path, L2TPv2: tunnel IDs and header sanity for an L2TPv2 daemon's
# unconnected socket.
#
# RFC 3193 section 3.3 (the checks), quoted in Documentation/l2tp_ipsec.rst.
#
# RFC 3193 section 4.2.2, the responder's filter for the first SCCRQ:
#
#      Inbound-1:  From Any-Addr,  to R-IPAddr1, UDP, src Any-Port, dst
#         1701
#
# An L2TPv2 daemon reading one unconnected socket on 1701 tells its tunnels
# apart by the tunnel ID in the header: a peer with a valid SA can address
# another tunnel's ID. The binding of the LAC's tunnel records its tunnel ID
# (v2-tunnel-id 100); a listener binding (peer any, the Inbound-1 filter)
# takes the SCCRQs, which carry tunnel ID 0, and new tunnels' IDs, but not
# an ID that another binding of LNS:1701 pins: the LAC sending tunnel 100's
# ID from a port no binding names (1702), so through the listener, is the
# attack (xl2tpd's listener socket dispatches by tunnel ID alone). The
# index follows binding add, delete (two bindings pinning one ID: it stays
# until both are gone) and flush. L2TPv3: control connection ID 0 (an
# SCCRQ, RFC 3931 section 3.2.1) only through a listener. The receiver
# (tests/tools/l2tp-udp.py recv on LNS:1701, not connected) stands in for
# the daemon and counts what it would read.
#
#   +---------------------------+            +---------------------------------+
#   | $lac                      |            | $lns                            |
#   | eth0 10.0.0.1/24 ---------+--- veth ---+-- eth0 10.0.0.2/24              |
#   | l2tp-udp.py send          |            | l2tp-udp.py recv 10.0.0.2:1701  |
#   |   from ports 1701, 1702   |            | bindings:                       |
#   | ESP transport, spi 0x1001 |            |  10.0.0.1:1701 v2-tunnel-id 100 |
#   |   reqid 1, SPD: dport 1701|            |  any (listener), version 2      |
#   +---------------------------+            |  (later 10.0.0.9:1701 v2-tunnel-|
#                                            |   id 100; for v3: 10.0.0.1:1701 |
#                                            |   version 3, listener any)      |
#                                            +---------------------------------+

set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
. "$TOP/tests/lib.sh"
. "$TOP/tests/datapath-lib.sh"
t_suite datapath-v2
require_tools

lac=dp2-lac lns=dp2-lns
LAC=10.0.0.1 LNS=10.0.0.2
E_LAC=$LAC:1701 E_LNS=$LNS:1701
N=5

cleanup()
{
	dp_cleanup
}
trap cleanup EXIT

mod_load
mkns "$lac" "$lns"
ip link add eth0 netns "$lac" type veth peer name eth0 netns "$lns"
ip -n "$lac" addr add $LAC/24 dev eth0
ip -n "$lns" addr add $LNS/24 dev eth0
ip -n "$lac" link set eth0 up
ip -n "$lns" link set eth0 up
for ns in "$lac" "$lns"; do
	{
		sa $LAC $LNS 0x1001 $DP_KEY1 1
		sa $LNS $LAC 0x1002 $DP_KEY1 1
		if [ "$ns" = "$lac" ]; then
			pol $LAC $LNS out 1
		else
			pol $LAC $LNS in 1
		fi
	} | ipb "$ns"
done

rx=$DP_TMP/rx
spawn "$lns" "$rx" python3 "$DP_PKT" recv $LNS 1701
wait_for_line "$rx" '^# listening'

dp_judge=$lns
dp_rx=(rx_count "$rx")
dp_bind=(local "$E_LNS" peer "$E_LAC")

v2() # TUNNEL [SPORT]: N L2TPv2 data packets from the LAC through its SA
{
	send "$lac" $LAC "${2:-1701}" $LNS 1701 v2 "$1" 1 --count $N
}
own_tunnel() { v2 100; }
other_tunnel() { v2 200; }
probe() { send "$lac" $LAC 1701 $LNS 1701 v2 300 1; }
tunnel0() { send "$lac" $LAC 1701 $LNS 1701 v2 0 1 --count 2; }
# SCCRQ: T, L, S, version 2; length 20; tunnel 0, session 0; Ns 0, Nr 0;
# Message Type AVP (M bit, length 8, vendor 0, type 0) = 1 (SCCRQ).
sccrq() # SPORT
{
	send "$lac" $LAC "$1" $LNS 1701 hex c802001400000000000000008008000000000001 --count 2
}
truncated() # 6 packets
{
	# L and S set, so 12 bytes needed, 8 given; 4 bytes of a plain data
	# header; an L2TPv3 data header where the binding says version 2.
	send "$lac" $LAC 1701 $LNS 1701 \
		hex 4802000c00640001,00020064,0003000000000028 --count 2
}

cli "$lns" binding add local "$E_LNS" peer "$E_LAC" reqid 1 v2-tunnel-id 100
cli "$lns" binding add local "$E_LNS" peer any version 2

# -- with l2tp_ipsec
case_mod "packets for the peer's own tunnel ID 100 are accepted" \
	$N "accepted+$N" "accepted+$N" $N own_tunnel
monitor_start "$lns" "$DP_TMP/mon" -- probe
case_mod "(6) packets for another tunnel's ID 200 through the peer's valid SA: dropped_tunnel_id" \
	$N "dropped_tunnel_id+$N" "dropped_tunnel_id+$N" 0 other_tunnel
expect "(6) monitor -j reports each drop as tunnel-id" \
	"$(monitor_summary "$DP_TMP/mon" $N)" "$N x tunnel-id/false"
case_mod "tunnel ID 0 (SCCRQ) on a connected tunnel's binding: dropped_tunnel_id" \
	2 "dropped_tunnel_id+2" "dropped_tunnel_id+2" 0 tunnel0
dp_bind=(local "$E_LNS" peer any)
case_mod "an SCCRQ (tunnel ID 0) from a new source port goes to the listener binding: accepted" \
	2 "accepted+2" "accepted+2" 2 sccrq 1702
dp_bind=(local "$E_LNS" peer "$E_LAC")
case_mod "(7) truncated L2TPv2 headers, or version 3 on a version 2 binding: dropped_malformed" \
	6 "dropped_malformed+6" "dropped_malformed+6" 0 truncated

# The listener (RFC 3193 4.2.2 Inbound-1) and the tunnel IDs of its endpoint
dp_bind=(local "$E_LNS" peer any)
case_mod "listener: tunnel 100's ID from a new source port through the peer's valid SA: dropped_tunnel_id" \
	$N "dropped_tunnel_id+$N" "dropped_tunnel_id+$N" 0 v2 100 1702
case_mod "listener: an ID no binding pins (300) from a new source port: accepted" \
	$N "accepted+$N" "accepted+$N" $N v2 300 1702
cli "$lns" binding add local "$E_LNS" peer 10.0.0.9:1701 v2-tunnel-id 100
cli "$lns" binding del local "$E_LNS" peer "$E_LAC"
case_mod "listener: ID 100 still pinned by a second binding after the first is deleted: dropped_tunnel_id" \
	$N "dropped_tunnel_id+$N" "dropped_tunnel_id+$N" 0 v2 100 1702
cli "$lns" binding del local "$E_LNS" peer 10.0.0.9:1701
case_mod "listener: ID 100 after both bindings pinning it are deleted: accepted" \
	$N "accepted+$N" "accepted+$N" $N v2 100 1702
cli "$lns" binding add local "$E_LNS" peer "$E_LAC" reqid 1 v2-tunnel-id 100
case_mod "listener: ID 100 once its binding is back: dropped_tunnel_id" \
	$N "dropped_tunnel_id+$N" "dropped_tunnel_id+$N" 0 v2 100 1702
cli "$lns" binding add local $LNS:1799 peer "$E_LAC" v2-tunnel-id 300
case_mod "listener: ID 300 pinned on another local port (1799) only: accepted" \
	$N "accepted+$N" "accepted+$N" $N v2 300 1702
cli "$lns" binding flush
cli "$lns" binding add local "$E_LNS" peer any version 2
case_mod "listener: ID 100 after a flush (listener added again alone): accepted" \
	$N "accepted+$N" "accepted+$N" $N v2 100 1702
expect "after the flush the listener is the only binding" \
	"$(cli "$lns" -j binding show |
	   python3 -c 'import json, sys; print(len(json.load(sys.stdin)["bindings"]))')" 1

# L2TPv3 control connection ID 0 (SCCRQ): listeners only
cli "$lns" binding flush
cli "$lns" binding add local "$E_LNS" peer "$E_LAC" reqid 1 version 3
cli "$lns" binding add local "$E_LNS" peer any
v3ctl() { send "$lac" $LAC "$1" $LNS 1701 v3ctl "$2" --count 2; }
dp_bind=(local "$E_LNS" peer "$E_LAC")
case_mod "L2TPv3 control message, connection ID 0 (SCCRQ), on an exact binding: dropped_tunnel_id" \
	2 "dropped_tunnel_id+2" "dropped_tunnel_id+2" 0 v3ctl 1701 0
case_mod "L2TPv3 control message, connection ID 5, on an exact binding: accepted" \
	2 "accepted+2" "accepted+2" 2 v3ctl 1701 5
dp_bind=(local "$E_LNS" peer any)
case_mod "L2TPv3 control message, connection ID 0 (SCCRQ), from a new port to the listener: accepted" \
	2 "accepted+2" "accepted+2" 2 v3ctl 1702 0
case_mod "L2TPv3 control message, connection ID 5, to the listener (no v3 ID is pinned): accepted" \
	2 "accepted+2" "accepted+2" 2 v3ctl 1702 5

# -- the stock kernel
mod_unload
case_stock "(6) packets for another tunnel's ID: delivered without l2tp_ipsec" \
	$N $N other_tunnel
case_stock "an established tunnel's ID 100 from a new source port (the listener's path): delivered without l2tp_ipsec" \
	$N $N v2 100 1702
case_stock "L2TPv3 control message, connection ID 0, from the exact binding's peer: delivered without l2tp_ipsec" \
	2 2 v3ctl 1701 0
case_stock "tunnel ID 0 from a connected tunnel's peer: delivered without l2tp_ipsec" \
	2 2 tunnel0
case_stock "(7) truncated L2TPv2 headers: delivered without l2tp_ipsec" \
	6 6 truncated
mod_load

[ "$T_FAILED" -eq 0 ]
