#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Data path, NAT-T: two L2TP clients behind one NAT (RFC 3948 ESP in UDP).
#
# RFC 3193 section 3.3 (the checks), quoted in Documentation/l2tp_ipsec.rst.
#
# Behind one NAT, client A's and client B's L2TP packets have the same
# 5-tuple at the LNS (NAT:1701 -> LNS:1701) once ESP is removed: only the
# SA that carried them (its NAT-T encapsulation ports NAT:4500 vs NAT:4501)
# tells them apart. An IKE daemon gives CHILD_SAs with the same traffic
# selectors the same reqid, so reqid does not tell them apart either. On
# the stock kernel B's packets go into A's tunnel even though the LNS's
# tunnel socket is connected and its inbound SPD entry requires ESP with
# that reqid: the only identity of A's SA that B cannot share is its
# encapsulation ports, which the binding records.
#
# The test stands the NAT's two clients in for what the LNS sees: $lac (A)
# holds the NAT's public address; $atk (B) has its own address on the link
# and the same public address on lo (arp_ignore=1, arp_announce=2), and
# sends its ESP in UDP from port 4501.
#
#   +--------------------------+     +--------------------------+     +--------------------------+
#   | $lac  client A           |     | $lns  concentrator       |     | $atk  client B           |
#   | eth0 10.0.0.1/24         |     | eth0 10.0.0.2/24         |     | eth0 10.0.0.3/24         |
#   |   (the NAT's address)    |     |                          |     | lo   10.0.0.1/32         |
#   | ESP in UDP 4500->4500    |     | ESP-in-UDP socket :4500  |     |   (the NAT's address,    |
#   |   spi 0x1001, reqid 1    |     |   (l2tp-udp.py encap,    |     |    arp_ignore=1,         |
#   | ESP-in-UDP socket :4500  |     |    as charon's)          |     |    arp_announce=2)       |
#   | l2tpeth0 192.168.0.1     |=====| l2tpeth0 192.168.0.2     |     | ESP in UDP 4501->4500    |
#   |                          |     |                          |     |   spi 0x2001, reqid 1    |
#   +-----------+--------------+     +-----------+--------------+     +-----------+--------------+
#               |                                |                                |
#   +-----------+--------------------------------+--------------------------------+--------------+
#   | $sw: br0                                                                                   |
#   +--------------------------------------------------------------------------------------------+

set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
. "$TOP/tests/lib.sh"
. "$TOP/tests/datapath-lib.sh"
t_suite datapath-natt
require_tools

sw=dpn-sw lac=dpn-lac lns=dpn-lns atk=dpn-atk
LAC=10.0.0.1 LNS=10.0.0.2
E_LAC=$LAC:1701 E_LNS=$LNS:1701
ATKMAC=02:00:00:00:0a:0a
ESPINUDP_A="encap espinudp 4500 4500 0.0.0.0"
ESPINUDP_B="encap espinudp 4501 4500 0.0.0.0"
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
	pol $LNS $LAC out 1
	pol $LAC $LNS in 1
} | ipb "$lns"
{
	sa $LAC $LNS 0x2001 $DP_KEY2 1 $ESPINUDP_B
	pol $LAC $LNS out 1 mark 3
} | ipb "$atk"

for ns in "$lac" "$lns"; do
	spawn "$ns" "$DP_TMP/encap-$ns" python3 "$DP_PKT" encap 0.0.0.0 4500
	wait_for_line "$DP_TMP/encap-$ns" '^# listening'
done

pseudowire "$lac" "$LAC" "$lns" "$LNS"
eth_watch "$lns" l2tpeth0 $ATKMAC

dp_judge=$lns
dp_rx=(eth_rx "$lns" l2tpeth0)
dp_bind=(local "$E_LNS" peer "$E_LAC")

# Client B's L2TPv3 data for A's session, through B's own SA.
client_b() { send "$atk" $LAC 1701 $LNS 1701 v3 10 $ATKMAC --count $N --mark 3; }
probe() { send "$atk" $LAC 1701 $LNS 1701 v3 10 $ATKMAC --mark 3; }

rebind() # ARGS...: the LNS's binding of A's tunnel, anew
{
	cli "$lns" binding flush
	cli "$lns" binding add local "$E_LNS" peer "${dp_bind[3]}" "$@"
}

# -- with l2tp_ipsec
rebind reqid 1 encap 4500:4500
b=$(snap "$lns")
if n "$lac" ping -q -c 3 -i 0.2 -W 2 192.168.0.2 > /dev/null; then
	a=$(snap_after "$lns" "$b" 3)
	expect "client A's ping through its bound tunnel (ESP in UDP): 3 accepted" \
		"$(delta "$b" "$a")" "$(want accepted+3)"
else
	t_fail "client A's ping through its bound tunnel (ESP in UDP): 3 accepted" "ping failed"
fi

monitor_start "$lns" "$DP_TMP/mon" -- probe
case_mod "(5) client B through its own SA (encap 4501:4500), binding records 4500:4500: dropped_sa_mismatch" \
	$N "dropped_sa_mismatch+$N" "dropped_sa_mismatch+$N" 0 client_b
expect "(5) monitor -j reports each drop as sa-mismatch" \
	"$(monitor_summary "$DP_TMP/mon" $N)" "$N x sa-mismatch/false"

dp_bind=(local "$E_LNS" peer "$LAC:any")
rebind reqid 1 encap 4500:4500
case_mod "(5) same, binding with any peer port (NAT may move it): dropped_sa_mismatch" \
	$N "dropped_sa_mismatch+$N" "dropped_sa_mismatch+$N" 0 client_b

dp_bind=(local "$E_LNS" peer "$E_LAC")
rebind spi 0x1001
case_mod "(5) same, binding pins A's SPI instead: dropped_sa_mismatch" \
	$N "dropped_sa_mismatch+$N" "dropped_sa_mismatch+$N" 0 client_b

rebind reqid 1
case_mod "reqid alone cannot tell two clients behind one NAT apart: B's packets accepted (bind the encap ports)" \
	$N "accepted+$N" "accepted+$N" $N client_b

# -- the stock kernel
mod_unload
case_stock "(5) client B into A's tunnel: delivered without l2tp_ipsec (connected socket, inbound SPD entry with reqid)" \
	$N $N client_b
mod_load

[ "$T_FAILED" -eq 0 ]
