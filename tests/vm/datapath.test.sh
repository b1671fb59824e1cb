#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Data path, IPv4 and IPv6: L2TPv3/UDP in ESP transport mode between a LAC
# and an LNS, and an attacker on the same link.
#
# RFC 3193 section 3.3 (the checks), quoted in Documentation/l2tp_ipsec.rst.
#
# Every attack is shown twice in one run: with l2tp_ipsec and the tunnel's
# binding it is dropped (the counter named in the semantics moves by exactly
# the number sent, nothing is delivered), and after "rmmod l2tp_ipsec" the
# same packets are delivered by the stock kernel. Where the stock kernel
# already refuses an attack in some setup, a case says so, with the MIB
# counter that proves it, and the attack is then shown in the setup where
# the stock kernel lets it through.
#
#   +------------------------+     +------------------------+     +------------------------+
#   | $lac  legit peer       |     | $lns  concentrator     |     | $atk  attacker         |
#   | eth0 10.0.0.1/24       |     | eth0 10.0.0.2/24       |     | eth0 10.0.0.3/24       |
#   |      2001:db8::1/64    |     |      2001:db8::2/64    |     |      2001:db8::3/64    |
#   | l2tpeth4 192.168.4.1   |=====| l2tpeth4 192.168.4.2   |     | lo   10.0.0.1/32       |
#   |   tunnel 4, over IPv4  |     |                        |     |      2001:db8::1/128   |
#   | l2tpeth6 192.168.6.1   |=====| l2tpeth6 192.168.6.2   |     |   (the LAC's, spoofed; |
#   |   tunnel 6, over IPv6  |     |                        |     |    arp_ignore=1,       |
#   |                        |     |                        |     |    arp_announce=2)     |
#   +-----------+------------+     +-----------+------------+     +-----------+------------+
#               |                              |                              |
#   +-----------+------------------------------+------------------------------+------------+
#   | $sw: br0                                                                             |
#   +--------------------------------------------------------------------------------------+
#
# ESP transport SAs (rfc4106(gcm(aes)), empty selectors), F = 4 or 6:
#   LAC <-> LNS  spi 0xF101 (in at the LNS) / 0xF102 (out), reqid 1
#   ATK  -> LNS  spi 0xF301, reqid 3: the LNS knows it as the attacker's
#                (saddr ATK); the attacker installed it with saddr = the
#                LAC's address, so it can send packets with the LAC's source
#   ATK  -> LNS  spi 0xF401, reqid 4: the attacker's own address
# The attacker's SPD entries carry mark 3: packets it sends with SO_MARK 3
# go through its SAs, the others leave in clear text.
#
# Phase A, per family: kernel tunnels (ip l2tp, connected sockets LAC:1701 <->
# LNS:1701), Ethernet sessions, ping through l2tpeth. Attack packets carry
# L2TPv3 data headers for the LNS's session and an Ethernet frame from
# 02:00:00:00:0a:0a; an nft netdev ingress counter on the LNS's l2tpeth
# device counts exactly those frames.
# Phase B, per family: the tunnels are gone; an unconnected UDP socket on
# LNS:1701 (tests/tools/l2tp-udp.py recv, standing in for an unconnected
# tunnel socket such as an L2TP daemon's listener) counts the datagrams.
# There the stock kernel delivers a wrong source port or peer address, and
# truncated headers; and fragmented packets (3000 bytes) show that
# reassembly neither hides an attack nor breaks legit traffic.

set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
. "$TOP/tests/lib.sh"
. "$TOP/tests/datapath-lib.sh"
t_suite datapath
require_tools

sw=dp-sw lac=dp-lac lns=dp-lns atk=dp-atk
ATKMAC=02:00:00:00:0a:0a
N=5

cleanup()
{
	dp_cleanup
}
trap cleanup EXIT

# ---------------------------------------------------------------------------
# Topology

mod_load
attack_lan -6 "$sw" "$lac" "$lns" "$atk"

# fam F: the addresses of family F in LAC LNS ATK, and the endpoints E_*.
fam()
{
	if [ "$1" = 4 ]; then
		LAC=10.0.0.1 LNS=10.0.0.2 ATK=10.0.0.3
		E_LAC=$LAC:1701 E_LNS=$LNS:1701
	else
		LAC=2001:db8::1 LNS=2001:db8::2 ATK=2001:db8::3
		E_LAC=[$LAC]:1701 E_LNS=[$LNS]:1701
	fi
}

for f in 4 6; do
	fam $f
	{
		sa $LAC $LNS 0x${f}101 $DP_KEY1 1
		sa $LNS $LAC 0x${f}102 $DP_KEY1 1
		pol $LAC $LNS out 1
		pol $LNS $LAC in 1
	} | ipb "$lac"
	{
		sa $LAC $LNS 0x${f}101 $DP_KEY1 1
		sa $LNS $LAC 0x${f}102 $DP_KEY1 1
		sa $ATK $LNS 0x${f}301 $DP_KEY3 3
		sa $ATK $LNS 0x${f}401 $DP_KEY4 4
		pol $LNS $LAC out 1
	} | ipb "$lns"
	{
		sa $LAC $LNS 0x${f}301 $DP_KEY3 3
		sa $ATK $LNS 0x${f}401 $DP_KEY4 4
		pol $LAC $LNS out 3 mark 3
		pol $ATK $LNS out 4 mark 3
	} | ipb "$atk"
done

# The LNS's inbound SPD entry for the LAC: present only where a case says so.
lns_in_pol() # add|del
{
	if [ "$1" = add ]; then
		pol $LAC $LNS in 1 | ipb "$lns"
	else
		ip -n "$lns" xfrm policy del src $LAC dst $LNS proto udp dport 1701 dir in
	fi
}

# tunnel F: kernel L2TPv3 tunnel F, session F0, device l2tpethF, 192.168.F.x,
# static neighbours (no ARP), no IPv6 on l2tpethF: the only L2TP packets
# are the ones a case sends.
tunnel()
{
	local f=$1 ns me peer i=1

	for ns in "$lac" "$lns"; do
		if [ $i = 1 ]; then me=$LAC peer=$LNS; else me=$LNS peer=$LAC; fi
		ipb "$ns" <<-EOF
			l2tp add tunnel tunnel_id $f peer_tunnel_id $f encap udp local $me remote $peer udp_sport 1701 udp_dport 1701
			l2tp add session name l2tpeth$f tunnel_id $f session_id ${f}0 peer_session_id ${f}0 l2spec_type none
		EOF
		n "$ns" sysctl -qw net.ipv6.conf.l2tpeth$f.disable_ipv6=1
		ipb "$ns" <<-EOF
			link set l2tpeth$f address 02:00:00:00:0$f:0$i up
			addr add 192.168.$f.$i/24 dev l2tpeth$f
			neigh replace 192.168.$f.$((3 - i)) lladdr 02:00:00:00:0$f:0$((3 - i)) dev l2tpeth$f nud permanent
		EOF
		i=2
	done
}

bind_lac() # [ARGS...]: bind the LNS's endpoint to the LAC's
{
	cli "$lns" binding add local "$E_LNS" peer "$E_LAC" "$@"
}

# The packets. Each sends N unless told otherwise.
v3() # NS SRC SPORT [ARGS...]: L2TPv3 data for session F0 from ATKMAC
{
	local ns=$1 src=$2 sport=$3

	shift 3
	send "$ns" $src $sport $LNS 1701 v3 ${f}0 $ATKMAC --count $N "$@"
}
cleartext_spoof() { v3 "$atk" $LAC 1701; }
sa_spoof() { v3 "$atk" $LAC 1701 --mark 3; }
wrong_sport() { v3 "$lac" $LAC 1702; }
wrong_peer() { v3 "$atk" $ATK 1701 --mark 3; }
legit() { v3 "$lac" $LAC 1701; }
# 3000 bytes: IP fragments them (IPv4 reassembles before LOCAL_IN; IPv6
# after it, so the module judges the first fragment, which holds the
# headers, and the others die in reassembly if it is dropped).
cleartext_frag() { v3 "$atk" $LAC 1701 --size 3000; }
legit_frag() { v3 "$lac" $LAC 1701 --size 3000; }
probe() { send "$atk" $LAC 1701 $LNS 1701 v3 ${f}0 $ATKMAC; }
truncated() # 8 packets from the LAC through its SA
{
	# 1 byte; v3 data header of 4 bytes; v3 control header of 8 bytes;
	# an L2TPv2 header where the binding says version 3.
	send "$lac" $LAC 1701 $LNS 1701 \
		hex 03,00030000,8003000000000000,000200640001ff030021 --count 2
}

ping_lns() # F COUNT: ping the LNS's l2tpethF address from the LAC
{
	n "$lac" ping -q -c "$2" -i 0.2 -W 2 192.168.$1.2 > /dev/null
}

# ---------------------------------------------------------------------------
# Phase A: kernel tunnels (connected sockets)

phase_a()
{
	local f=$1 v=v$1 b a

	tunnel $f
	eth_watch "$lns" l2tpeth$f $ATKMAC
	dp_judge=$lns
	dp_rx=(eth_rx "$lns" "l2tpeth$f")
	dp_bind=(local "$E_LNS" peer "$E_LAC")

	# -- with l2tp_ipsec, no inbound SPD entry on the LNS
	bind_lac reqid 1
	b=$(snap "$lns")
	if ping_lns $f 3; then
		a=$(snap_after "$lns" "$b" 3)
		expect "$v legit ping through the bound tunnel: 3 accepted, nothing dropped" \
			"$(delta "$b" "$a")" "$(want accepted+3)"
	else
		t_fail "$v legit ping through the bound tunnel: 3 accepted, nothing dropped" "ping failed"
	fi

	case_mod "$v (1) cleartext spoofed into a bound tunnel: dropped_cleartext" \
		$N "dropped_cleartext+$N" "dropped_cleartext+$N" 0 cleartext_spoof

	monitor_start "$lns" "$DP_TMP/mon$f" -- probe
	case_mod "$v (2) spoof through another peer's SA, reqid pinned: dropped_sa_mismatch" \
		$N "dropped_sa_mismatch+$N" "dropped_sa_mismatch+$N" 0 sa_spoof
	expect "$v (2) monitor -j reports each drop as sa-mismatch" \
		"$(monitor_summary "$DP_TMP/mon$f" $N)" "$N x sa-mismatch/false"

	cli "$lns" binding del local "$E_LNS" peer "$E_LAC"
	bind_lac
	case_mod "$v (2) spoof through another peer's SA, no pins: dropped_addr_mismatch" \
		$N "dropped_addr_mismatch+$N" "dropped_addr_mismatch+$N" 0 sa_spoof

	b=$(snap "$lns")
	if ping_lns $f 3; then
		a=$(snap_after "$lns" "$b" 3)
		expect "$v legit ping still passes after the attacks" \
			"$(delta "$b" "$a")" "$(want accepted+3)"
	else
		t_fail "$v legit ping still passes after the attacks" "ping failed"
	fi

	# -- the same attacks on the stock kernel
	mod_unload
	case_stock "$v (1) cleartext spoofed into the tunnel: delivered without l2tp_ipsec" \
		$N $N cleartext_spoof
	case_stock "$v (2) spoof through another peer's SA: delivered without l2tp_ipsec" \
		$N $N sa_spoof

	# -- what the stock kernel refuses by itself
	lns_in_pol add
	case_refused "$v stock kernel refuses cleartext when an inbound SPD entry requires ESP (no module needed)" \
		$N "$lns" xfrm_stat XfrmInTmplMismatch cleartext_spoof
	case_refused "$v stock kernel refuses another peer's SA when the inbound SPD entry pins the reqid (no module needed)" \
		$N "$lns" xfrm_stat XfrmInTmplMismatch sa_spoof
	lns_in_pol del
	if [ $f = 4 ]; then
		noports=(snmp UdpNoPorts)
	else
		noports=(snmp6 Udp6NoPorts)
	fi
	case_refused "$v stock kernel refuses a wrong source port on a connected tunnel socket (no module needed)" \
		$N "$lns" "${noports[@]}" wrong_sport
	case_refused "$v stock kernel refuses a wrong peer address on a connected tunnel socket (no module needed)" \
		$N "$lns" "${noports[@]}" wrong_peer
	mod_load
}

# ---------------------------------------------------------------------------
# Phase B: an unconnected socket on LNS:1701

phase_b()
{
	local f=$1 v=v$1 rx=$DP_TMP/rx$1

	ip -n "$lac" l2tp del tunnel tunnel_id $f
	ip -n "$lns" l2tp del tunnel tunnel_id $f
	spawn "$lns" "$rx" python3 "$DP_PKT" recv $LNS 1701
	wait_for_line "$rx" '^# listening'
	dp_judge=$lns
	dp_rx=(rx_count "$rx")
	dp_bind=(local "$E_LNS" peer "$E_LAC")

	bind_lac reqid 1 version 3
	case_mod "$v unconnected socket: the bound peer's packets are accepted" \
		$N "accepted+$N" "accepted+$N" $N legit
	case_mod "$v unconnected socket: the bound peer's fragmented packets are accepted" \
		$N "accepted+$N" "accepted+$N" $N legit_frag
	case_mod "$v (1) unconnected socket, cleartext spoofed and fragmented: dropped_cleartext" \
		$N "dropped_cleartext+$N" "dropped_cleartext+$N" 0 cleartext_frag
	case_mod "$v (3) unconnected socket, wrong source port: dropped_addr_mismatch" \
		$N "dropped_addr_mismatch+$N" none 0 wrong_sport
	case_mod "$v (4) unconnected socket, wrong peer address (its own valid SA): dropped_addr_mismatch" \
		$N "dropped_addr_mismatch+$N" none 0 wrong_peer
	case_mod "$v (7) truncated or wrong-version L2TP headers: dropped_malformed" \
		8 "dropped_malformed+8" "dropped_malformed+8" 0 truncated

	mod_unload
	case_stock "$v (1) unconnected socket, cleartext spoofed and fragmented: delivered without l2tp_ipsec" \
		$N $N cleartext_frag
	case_stock "$v (3) unconnected socket, wrong source port: delivered without l2tp_ipsec" \
		$N $N wrong_sport
	case_stock "$v (4) unconnected socket, wrong peer address: delivered without l2tp_ipsec" \
		$N $N wrong_peer
	case_stock "$v (7) truncated or wrong-version L2TP headers: delivered without l2tp_ipsec" \
		8 8 truncated
	mod_load
}

for f in 4 6; do
	fam $f
	phase_a $f
	phase_b $f
done

[ "$T_FAILED" -eq 0 ]
