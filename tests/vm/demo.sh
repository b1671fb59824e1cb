#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: RFC 3193 section 3.3 enforced by l2tp_ipsec, on one screen.
# Runs in the VM as root (scripts/demo-guest); exits 0 when legit traffic
# passes and every attack is blocked.
#
# RFC 3193 section 3.3 is quoted in Documentation/l2tp_ipsec.rst.
#
#   +--------------------------+     +--------------------------+     +--------------------------+
#   | lac  legit peer          |     | lns  concentrator        |     | atk  attacker            |
#   | eth0 10.0.0.1/24         |     | eth0 10.0.0.2/24         |     | eth0 10.0.0.3/24         |
#   | ESP spi 0x1001, reqid 1  |     | binding: local           |     | lo   10.0.0.1/32         |
#   |                          |     |   10.0.0.2:1701, peer    |     |   (the LAC's, spoofed)   |
#   |                          |     |   10.0.0.1:1701, reqid 1 |     | ESP spi 0x3001/0x3002:   |
#   | l2tpeth0 192.168.0.1     |=====| l2tpeth0 192.168.0.2     |     |   its own SAs with       |
#   |   L2TPv3/UDP 1701        |     |                          |     |   the LNS                |
#   +-----------+--------------+     +-----------+--------------+     +-----------+--------------+
#               |                                |                                |
#   +-----------+--------------------------------+--------------------------------+--------------+
#   | sw: br0                                                                                    |
#   +--------------------------------------------------------------------------------------------+

set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
. "$TOP/tests/lib.sh"
. "$TOP/tests/datapath-lib.sh"

sw=demo-sw lac=demo-lac lns=demo-lns atk=demo-atk
LAC=10.0.0.1 LNS=10.0.0.2 ATK=10.0.0.3
E_LAC=$LAC:1701 E_LNS=$LNS:1701
ATKMAC=02:00:00:00:0a:0a
N=5
ok=1

trap dp_cleanup EXIT

say() { printf '%s\n' "$*"; }
bad() { ok=0; say "  !! $*"; }

for m in esp4 xfrm_user l2tp_core l2tp_netlink l2tp_eth veth bridge nf_tables; do
	modprobe -q "$m" || true
done
if [ ! -x "$DP_CLI" ] || { [ ! -f "$L2TP_IPSEC_KO" ] && ! mod_loaded; }; then
	say "demo: build first (make): agent/l2tp-ipsec and kmod/l2tp_ipsec.ko are needed" >&2
	exit 1
fi
mod_load

# ---------------------------------------------------------------------------
attack_lan "$sw" "$lac" "$lns" "$atk"
{
	sa $LAC $LNS 0x1001 $DP_KEY1 1
	sa $LNS $LAC 0x1002 $DP_KEY1 1
	pol $LAC $LNS out 1
	pol $LNS $LAC in 1
} | ipb "$lac"
{
	sa $LAC $LNS 0x1001 $DP_KEY1 1
	sa $LNS $LAC 0x1002 $DP_KEY1 1
	sa $ATK $LNS 0x3001 $DP_KEY3 3
	sa $ATK $LNS 0x3002 $DP_KEY3 3
	pol $LNS $LAC out 1
} | ipb "$lns"
# The attacker's SAs with the LNS: 0x3001 (the LNS knows it as 10.0.0.3's;
# the attacker installed it with the LAC's address) and 0x3002.
{
	sa $LAC $LNS 0x3001 $DP_KEY3 3
	sa $ATK $LNS 0x3002 $DP_KEY3 3
	pol $LAC $LNS out 3 mark 3
	pol $ATK $LNS out 3 mark 3
} | ipb "$atk"
pseudowire "$lac" "$LAC" "$lns" "$LNS"
eth_watch "$lns" l2tpeth0 $ATKMAC

# The attacks: N L2TPv3 data packets for the LNS's session 10, each carrying
# an Ethernet frame from ATKMAC, which nft counts on the LNS's l2tpeth0.
v3() { local ns=$1 src=$2 sport=$3; shift 3; send "$ns" $src $sport $LNS 1701 v3 10 $ATKMAC --count $N "$@"; }
attack_1() { v3 "$atk" $LAC 1701; }
attack_2() { v3 "$atk" $LAC 1701 --mark 3; }
attack_3() { v3 "$lac" $LAC 1702; }
attack_4() { v3 "$atk" $ATK 1701 --mark 3; }
what=(""
	"clear text into the tunnel, the LAC's address spoofed"
	"through the attacker's own SA, the LAC's address spoofed"
	"the LAC's own SA, but source port 1702"
	"the attacker's own SA and address, to the LAC's tunnel")
verdict=("" "dropped_cleartext+$N" "dropped_sa_mismatch+$N" "dropped_addr_mismatch+$N" "dropped_addr_mismatch+$N")

# ---------------------------------------------------------------------------
say "l2tp_ipsec demo: RFC 3193 section 3.3 checks for L2TP/UDP in ESP transport mode"
say ""
say "LAC 10.0.0.1 and LNS 10.0.0.2 run an L2TPv3 Ethernet pseudowire over UDP 1701,"
say "protected by ESP transport-mode SAs. The LNS has no inbound SPD entry for L2TP"
say "(as the kernel's own l2tp.sh after IPsec teardown); the attacker 10.0.0.3 has a"
say "valid SA of its own with the LNS and can spoof the LAC's address."
say ""
say "# l2tp-ipsec binding add local $E_LNS peer $E_LAC reqid 1"
cli "$lns" binding add local "$E_LNS" peer "$E_LAC" reqid 1

b=$(snap "$lns")
if n "$lac" ping -q -c 3 -i 0.2 -W 2 192.168.0.2 > /dev/null; then
	a=$(snap_after "$lns" "$b" 3)
	say "legit traffic: ping 192.168.0.2 through the tunnel: 3/3 replies; counters: $(delta "$b" "$a")"
	[ "$(delta "$b" "$a")" = "accepted+3" ] || bad "expected accepted+3"
else
	bad "legit ping through the tunnel failed"
fi

mon=$DP_TMP/monitor
monitor_start "$lns" "$mon" monitor || bad "l2tp-ipsec monitor did not start listening"
say ""
say "Attacks, $N packets each, with l2tp_ipsec loaded:"
printf '  %-2s %-58s %-10s %s\n' "#" "attack" "delivered" "counter"
for k in 1 2 3 4; do
	b=$(snap "$lns")
	d0=$(eth_rx "$lns" l2tpeth0)
	attack_$k
	a=$(snap_after "$lns" "$b" $N)
	d=$(($(eth_rx "$lns" l2tpeth0) - d0))
	printf '  %-2s %-58s %-10s %s\n' $k "${what[k]}" "$d/$N" "$(delta "$b" "$a")"
	[ "$d" = 0 ] && [ "$(delta "$b" "$a")" = "${verdict[k]}" ] ||
		bad "attack $k: expected 0/$N delivered and ${verdict[k]}"
done
for i in $(seq 50); do
	[ "$(grep -c . "$mon")" -ge $((4 * N)) ] && break
	sleep 0.1
done
stop "$monitor_pid"

say ""
say "# l2tp-ipsec stats      (the LNS's namespace)"
cli "$lns" stats | sed 's/^/  /'
say "# l2tp-ipsec binding show"
cli "$lns" binding show | sed 's/^/  /'
say "# l2tp-ipsec monitor    ($(grep -c . "$mon") events; repeated lines counted)"
uniq -c "$mon" | sed 's/^ *\([0-9]*\) /  \1 x /'

say ""
say "The same attacks on the stock kernel (rmmod l2tp_ipsec):"
mod_unload
printf '  %-2s %-58s %s\n' "#" "attack" "delivered to the LNS's l2tpeth0"
for k in 1 2 3 4; do
	d0=$(eth_rx "$lns" l2tpeth0)
	m0=$(mib "$lns" snmp UdpNoPorts)
	attack_$k
	if [ $k -le 2 ]; then
		d=$(($(poll_count $((d0 + N)) eth_rx "$lns" l2tpeth0) - d0))
		note="injected into the LAC's tunnel"
		[ "$d" = $N ] || bad "attack $k: expected $N/$N delivered on the stock kernel"
	else
		m=$(($(poll_mib $((m0 + N)) "$lns" snmp UdpNoPorts) - m0))
		d=$(($(eth_rx "$lns" l2tpeth0) - d0))
		note="refused by the stock kernel too: the tunnel socket is connected (UdpNoPorts +$m)"
		[ "$d" = 0 ] && [ "$m" = $N ] || bad "attack $k: expected the stock kernel to refuse it"
	fi
	printf '  %-2s %-58s %s\n' $k "${what[k]}" "$d/$N  $note"
done
mod_load

say ""
if [ $ok = 1 ]; then
	say "Result: legit traffic passed; all 4 attacks were dropped by l2tp_ipsec and"
	say "counted; 2 of them reach the tunnel on the stock kernel."
	exit 0
fi
say "Result: FAILED (see the lines marked !! above)"
exit 1
