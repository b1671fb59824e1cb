#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The listener hole, measured with a real L2TP daemon: xl2tpd 1.3.18 in
# kernel mode (PPPoL2TP) with pppd as LAC and LNS, in ESP transport mode.
# xl2tpd keeps one unconnected UDP socket on 1701 and dispatches every
# control message it reads there by the header's tunnel ID alone (call.c
# get_call(): no address check without the old KLIPS SAref patch). A third
# peer, with its own address and its own valid SA pair to the LNS (as any
# other client of the concentrator has), sends an L2TPv2 StopCCN (RFC 2661
# sections 4.4.2 and 6.4: Message Type 4, Assigned Tunnel ID, Result Code)
# addressed to the established tunnel's LNS tunnel ID. No binding names
# its 4-tuple, so it meets the LNS's listener binding: RFC 3193 section
# 4.2.2,
#
#      Inbound-1:  From Any-Addr,  to R-IPAddr1, UDP, src Any-Port, dst
#         1701
#
# which must take new tunnels' SCCRQs but not another tunnel's ID.
#
#   +------------------------+     +------------------------+     +------------------------+
#   | $lac  xl2tpd + pppd    |     | $lns  xl2tpd + pppd    |     | $atk  third peer       |
#   | eth0 10.0.0.1/24       |     | eth0 10.0.0.2/24       |     | eth0 10.0.0.3/24       |
#   | ppp0 192.168.100.10 ========== ppp0 192.168.100.1     |     | l2tp-udp.py send       |
#   |   L2TPv2 over UDP      |     | bindings:              |     |   stopccn from         |
#   |   10.0.0.1:1701        |     |  :1701 <- 10.0.0.1:1701|     |   10.0.0.3:1701        |
#   |                        |     |   reqid 1, v2-tunnel-id|     |   its own SA pair,     |
#   |                        |     |   (the LNS's tunnel ID)|     |   reqid 3              |
#   |                        |     |  :1701 <- any (listener|     |                        |
#   |                        |     |   version 2)           |     |                        |
#   +-----------+------------+     +-----------+------------+     +-----------+------------+
#               |                              |                              |
#   +-----------+------------------------------+------------------------------+------------+
#   | $sw: br0                                                                             |
#   +--------------------------------------------------------------------------------------+
#
# ESP transport SAs, rfc4106(gcm(aes)): LAC -> LNS spi 0x101, LNS -> LAC
# 0x102, reqid 1; third peer -> LNS spi 0x301, LNS -> third peer 0x302,
# reqid 3. SPD entries for UDP to port 1701, out and in, on each side of
# both pairs, so the stock kernel takes the third peer's packets too (they
# arrive through its own SA, as its policy requires). IPv6 off.
#
# Cases, in one run:
#   1. xl2tpd + pppd up, bindings added (the LAC's tunnel with its LNS
#      tunnel ID, and the listener); ping over ppp0.
#   2. with l2tp_ipsec: the StopCCN is dropped as tunnel-id (namespace and
#      listener dropped_tunnel_id +1), xl2tpd never reads it, nothing
#      answers the third peer, the tunnel and PPP stay, ping works.
#   3. without it (stock kernel): the same StopCCN reaches xl2tpd's
#      listener socket, and xl2tpd (measured: 1.3.18) takes it for the
#      LAC's: it logs "Connection closed to 10.0.0.1" (the tunnel's peer,
#      not the sender), closes the tunnel down, TERMs its pppd; ppp0 goes
#      down in the LNS and in the LAC, ping fails, and nothing answers the
#      third peer. The LAC keeps a kernel tunnel the LNS has forgotten.
# The Ns of the StopCCN: the LAC sent SCCRQ, SCCCN, ICRQ and ICCN, so the
# LNS expects 4, unless a HELLO went since (every 60 s): if xl2tpd logs
# the StopCCN as out of order, the third peer sends one more with the Ns
# it logged (an attacker counts these too).
#
# xl2tpd or pppd missing is a FAIL: this suite exists to measure them.

set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
. "$TOP/tests/lib.sh"
. "$TOP/tests/datapath-lib.sh"
. "$TOP/tests/xl2tpd-lib.sh"
t_suite listener-xl2tpd
require_tools

sw=lx-sw lac=lx-lac lns=lx-lns atk=lx-atk
LAC=10.0.0.1 LNS=10.0.0.2 ATK=10.0.0.3
E_LNS=$LNS:1701 E_LAC=$LAC:1701
LNSLOG=$DP_TMP/$lns.xl2tpd.log

xl2tpd_require

cleanup()
{
	set +e
	for ns in "$lac" "$lns" "$atk"; do
		ip netns pids "$ns" 2> /dev/null | xargs -r kill -9 2> /dev/null
	done
	dp_cleanup
}
trap cleanup EXIT

# ---------------------------------------------------------------------------
# Topology, SAs, SPD entries

# shellcheck disable=SC2119 # no module parameters
mod_load
modprobe -q l2tp_ppp || true
lan "$sw" "$lac" "$lns" "$atk"
for ns in "$lac" "$lns" "$atk"; do
	n "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
done

for ns in "$lac" "$lns"; do
	{ sa $LAC $LNS 0x101 $DP_KEY1 1; sa $LNS $LAC 0x102 $DP_KEY2 1; } | ipb "$ns"
done
for ns in "$atk" "$lns"; do
	{ sa $ATK $LNS 0x301 $DP_KEY3 3; sa $LNS $ATK 0x302 $DP_KEY4 3; } | ipb "$ns"
done
{ pol $LAC $LNS out 1; pol $LNS $LAC in 1; } | ipb "$lac"
{ pol $LNS $LAC out 1; pol $LAC $LNS in 1; } | ipb "$lns"
{ pol $ATK $LNS out 3; pol $LNS $ATK in 3; } | ipb "$atk"
{ pol $LNS $ATK out 3; pol $ATK $LNS in 3; } | ipb "$lns"

# ---------------------------------------------------------------------------
# xl2tpd: one config, pid and control file per instance (VM-NOTES)

# debug network: one "recv packet from ADDR" line per datagram it reads.
xl2tpd_configs $LAC $LNS $'debug network = yes\ndebug tunnel = yes\ndebug state = yes' \
	"debug tunnel = yes"

has_ppp() # NS: "up" if ppp0 has an address, else "down"
{
	if n "$1" ip -4 addr show dev ppp0 2> /dev/null | grep -q inet; then
		echo up
	else
		echo down
	fi
}

ping_ok() # "ok" if 3 pings over ppp0 from the LAC get answers
{
	if n "$lac" ping -q -c 3 -i 0.2 -W 2 192.168.100.1 > /dev/null 2>&1; then
		echo ok
	else
		echo fails
	fi
}

# from_atk: datagrams from the third peer that xl2tpd in the LNS has read.
from_atk()
{
	grep -c "recv packet from $ATK," "$LNSLOG" || true
}

# log_since LINE: the LNS's xl2tpd log after line LINE, for the record.
log_since()
{
	tail -n +$(($1 + 1)) "$LNSLOG" | sed 's/^/# xl2tpd(lns): /'
}

xl2tpd_start "$lns" lns
sleep 0.5
xl2tpd_start "$lac" lac
t_check "xl2tpd + pppd: ppp0 up in the LAC" ppp_up "$lac"
t_check "xl2tpd + pppd: ppp0 up in the LNS" ppp_up "$lns"
# "Tunnel T, encap UDP" ... "Peer tunnel P": the LNS's ID and the LAC's.
read -r tid ptid <<< "$(n "$lns" ip l2tp show tunnel | awk '
	/^Tunnel/ { sub(",", "", $2); t = $2 }
	/Peer tunnel/ { p = $3 }
	END { print t, p }')"
echo "# LNS tunnel ID $tid, the LAC's (peer) tunnel ID $ptid"
expect "one xl2tpd tunnel in the LNS" "$(ntunnels "$lns")" 1

cli "$lns" binding add local "$E_LNS" peer "$E_LAC" reqid 1 v2-tunnel-id "$tid"
cli "$lns" binding add local "$E_LNS" peer any version 2
expect "ping over ppp0, bound" "$(ping_ok)" ok

dp_judge=$lns
dp_rx=(from_atk)
dp_bind=(local "$E_LNS" peer any)
ns=4
stopccn() # the third peer's StopCCN for tunnel $tid, Ns $ns; answers to $ans
{
	send "$atk" $ATK 1701 $LNS 1701 stopccn "$tid" "$ptid" "$ns" \
		--answers 2 > "$ans"
}
answers() { sed -n 's/^# answers //p' "$ans"; }

# ---------------------------------------------------------------------------
# 2. With l2tp_ipsec

ans=$DP_TMP/answers.mod
l0=$(wc -l < "$LNSLOG")
# Both xl2tpd stopped meanwhile, so that a Hello cannot move the counters;
# a StopCCN that got through would be read, and logged, once they go on.
xl2tpd_quiet case_mod "StopCCN to the established tunnel's ID through the listener, third peer's own SA: dropped_tunnel_id" \
	1 "dropped_tunnel_id+1" "dropped_tunnel_id+1" 0 stopccn
expect "with l2tp_ipsec: no answer to the third peer" "$(answers)" 0
sleep 2
log_since "$l0"
expect "with l2tp_ipsec: xl2tpd logged no teardown" \
	"$(tail -n +$((l0 + 1)) "$LNSLOG" | grep -c 'Connection closed' || true)" 0
expect "with l2tp_ipsec: the tunnel stays" "$(ntunnels "$lns")" 1
expect "with l2tp_ipsec: PPP stays up (LNS, LAC)" \
	"$(has_ppp "$lns") $(has_ppp "$lac")" "up up"
expect "with l2tp_ipsec: ping over ppp0 still works" "$(ping_ok)" ok

# ---------------------------------------------------------------------------
# 3. The stock kernel

mod_unload
ans=$DP_TMP/answers.stock
l0=$(wc -l < "$LNSLOG")
case_stock "StopCCN to the established tunnel's ID: read by xl2tpd's listener socket without l2tp_ipsec" \
	1 1 stopccn
sleep 1
got=$(tail -n +$((l0 + 1)) "$LNSLOG" |
	sed -n 's/.*out of order control packet on tunnel .* expected \([0-9]*\)).*/\1/p' | tail -n 1)
if [ -n "$got" ]; then
	echo "# xl2tpd took Ns $ns as out of order, expecting $got: the third peer sends Ns $got"
	ns=$got
	ans=$DP_TMP/answers.stock2
	case_stock "StopCCN with the Ns xl2tpd expects: read by xl2tpd without l2tp_ipsec" \
		1 1 stopccn
fi
# Torn down within 10 s?
for i in $(seq 100); do
	[ "$(ntunnels "$lns")" -eq 0 ] && [ "$(has_ppp "$lns")" = down ] &&
		[ "$(has_ppp "$lac")" = down ] && break
	sleep 0.1
done
log_since "$l0"
# xl2tpd takes the StopCCN as the tunnel peer's: it logs the close under
# the LAC's address, not the sender's, tears the tunnel down and TERMs its
# pppd, and answers nobody (its ZLB, if any, goes to the LAC). The LAC is
# left with a tunnel the LNS no longer knows ("Can not find tunnel").
expect "stock kernel: xl2tpd takes the third peer's StopCCN as the LAC's (\"Connection closed to $LAC\")" \
	"$(tail -n +$((l0 + 1)) "$LNSLOG" |
	   grep -c "Connection closed to $LAC, port 1701 (.*), Local: $tid, Remote: $ptid" || true)" 1
expect "stock kernel: xl2tpd closes down the tunnel and TERMs its pppd" \
	"$(tail -n +$((l0 + 1)) "$LNSLOG" | grep -c -e "closing down tunnel $tid" \
	   -e "Terminating pppd" || true)" 2
expect "stock kernel: xl2tpd sends the third peer nothing" "$(answers)" 0
expect "stock kernel: the LNS's kernel tunnel is gone" "$(ntunnels "$lns")" 0
expect "stock kernel: PPP dies: ppp0 down in the LNS and in the LAC" \
	"$(has_ppp "$lns") $(has_ppp "$lac")" "down down"
expect "stock kernel: ping over ppp0 fails" "$(ping_ok)" fails
echo "# LAC after the attack: $(ntunnels "$lac") L2TP tunnel(s) left, ppp0 $(has_ppp "$lac")"
# shellcheck disable=SC2119 # no module parameters
mod_load

[ "$T_FAILED" -eq 0 ]
