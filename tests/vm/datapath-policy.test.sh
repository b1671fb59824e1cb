#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Data path: the namespace policy for unbound L2TP traffic (pass,
# require-ipsec, drop), the judged port set, audit mode (namespace and
# binding), AH versus ESP, the monitor's events and the stats counters.
#
# RFC 3193 section 3.3 (the checks), quoted in Documentation/l2tp_ipsec.rst.
#
# Traffic no binding matches is not "a tunnel which requires security" as
# far as the module knows; the namespace policy decides: pass (default),
# require-ipsec (decrypted by a valid ESP transport SA whose addresses are
# the packet's) or drop. The LNS here has no inbound SPD entry, so without
# the module everything below is delivered.
#
#   +--------------------------+     +--------------------------+     +--------------------------+
#   | $lac  peer               |     | $lns                     |     | $atk  attacker           |
#   | eth0 10.0.0.1/24         |     | eth0 10.0.0.2/24         |     | eth0 10.0.0.3/24         |
#   | ESP spi 0x1001, reqid 1, |     | l2tp-udp.py recv :1701   |     | lo   10.0.0.1/32         |
#   |   SPD entry with mark 1  |     | l2tp-udp.py recv :1703   |     |   (the LAC's, spoofed;   |
#   | AH spi 0x1101, reqid 1,  |     |   (unconnected sockets)  |     |    arp_ignore=1,         |
#   |   SPD entry with mark 2  |     | knows spi 0x3001 as      |     |    arp_announce=2)       |
#   | else clear text          |     |   the attacker's (.3)    |     | ESP spi 0x3001 with      |
#   |                          |     |                          |     |   saddr 10.0.0.1, mark 3 |
#   +-----------+--------------+     +-----------+--------------+     +-----------+--------------+
#               |                                |                                |
#   +-----------+--------------------------------+--------------------------------+--------------+
#   | $sw: br0                                                                                   |
#   +--------------------------------------------------------------------------------------------+

set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
. "$TOP/tests/lib.sh"
. "$TOP/tests/datapath-lib.sh"
t_suite datapath-policy
require_tools

sw=dpp-sw lac=dpp-lac lns=dpp-lns atk=dpp-atk
LAC=10.0.0.1 LNS=10.0.0.2 ATK=10.0.0.3
E_LAC=$LAC:1701 E_LNS=$LNS:1701
N=5

cleanup()
{
	dp_cleanup
}
trap cleanup EXIT

mod_load
attack_lan "$sw" "$lac" "$lns" "$atk"
# The LAC's AH transport SA, used with mark 2.
AH_SA="xfrm state add src $LAC dst $LNS proto ah spi 0x1101 reqid 1 mode transport auth hmac(sha256) 0x$(printf '11%.0s' $(seq 32))"
{
	sa $LAC $LNS 0x1001 $DP_KEY1 1
	pol $LAC $LNS out 1 mark 1
	echo "$AH_SA"
	pol $LAC $LNS out 1 mark 2 | sed 's/proto esp/proto ah/'
} | ipb "$lac"
{
	sa $LAC $LNS 0x1001 $DP_KEY1 1
	sa $ATK $LNS 0x3001 $DP_KEY3 3
	echo "$AH_SA"
} | ipb "$lns"
{
	sa $LAC $LNS 0x3001 $DP_KEY3 3
	pol $LAC $LNS out 3 mark 3
} | ipb "$atk"

for port in 1701 1703; do
	spawn "$lns" "$DP_TMP/rx$port" python3 "$DP_PKT" recv $LNS $port
	wait_for_line "$DP_TMP/rx$port" '^# listening'
done

dp_judge=$lns
dp_rx=(rx_count "$DP_TMP/rx1701")
dp_bind=()

v3() # NS DPORT [ARGS...]: N L2TPv3 data packets from 10.0.0.1:1701
{
	local ns=$1 dport=$2

	shift 2
	send "$ns" $LAC 1701 $LNS "$dport" v3 1 02:00:00:00:00:01 --count $N "$@"
}
cleartext() { v3 "$lac" 1701; }
esp() { v3 "$lac" 1701 --mark 1; }
ah() { v3 "$lac" 1701 --mark 2; }
spoof() { v3 "$atk" 1701 --mark 3; }
cleartext_1703() { v3 "$lac" 1703; }
probe() { send "$lac" $LAC 1701 $LNS 1701 v3 1 02:00:00:00:00:01; }
config() { cli "$lns" config set "$@"; }

# -- stats -j
keys=$(cli "$lns" -j stats | python3 -c '
import json, sys
print(" ".join(sorted(json.load(sys.stdin)["stats"])))')
expect "stats -j names the ten namespace counters" \
	"$keys" "$(printf '%s\n' "${DP_COUNTERS[@]}" | sort | tr '\n' ' ' | sed 's/ $//')"

# -- namespace policies, no binding
case_mod "policy pass (default): clear-text unbound L2TP is accepted_unbound" \
	$N "accepted_unbound+$N" - $N cleartext

config policy require-ipsec
case_mod "policy require-ipsec: clear text is dropped_policy" \
	$N "dropped_policy+$N" - 0 cleartext
case_mod "policy require-ipsec: ESP from the packet's own source is accepted_unbound" \
	$N "accepted_unbound+$N" - $N esp
monitor_start "$lns" "$DP_TMP/mon1" -- probe
case_mod "policy require-ipsec: spoofed source through the attacker's SA is dropped_policy" \
	$N "dropped_policy+$N" - 0 spoof
expect "policy require-ipsec: monitor -j reports each drop as policy" \
	"$(monitor_summary "$DP_TMP/mon1" $N)" "$N x policy/false"

config policy drop
case_mod "policy drop: even valid ESP is dropped_policy" \
	$N "dropped_policy+$N" - 0 esp

# -- the judged ports
dp_rx=(rx_count "$DP_TMP/rx1703")
case_mod "port 1703 is not judged by default: no counter moves" \
	$N none - $N cleartext_1703
config ports 1701,1703
case_mod "config ports 1701,1703: port 1703 is judged (policy drop): dropped_policy" \
	$N "dropped_policy+$N" - 0 cleartext_1703
config ports 1701
dp_bind=(local "$LNS:1703" peer "$E_LAC")
cli "$lns" binding add "${dp_bind[@]}"
case_mod "a binding's local port (1703) is judged without being in the port set: dropped_cleartext" \
	$N "dropped_cleartext+$N" "dropped_cleartext+$N" 0 cleartext_1703
cli "$lns" binding flush
case_mod "... and is not judged any more once the binding is gone" \
	$N none - $N cleartext_1703
dp_rx=(rx_count "$DP_TMP/rx1701")

# -- audit mode
config mode audit
monitor_start "$lns" "$DP_TMP/mon2" -- probe
case_mod "namespace audit mode, policy drop: ESP is audited and delivered" \
	$N "audited+$N" - $N esp
expect "namespace audit mode: monitor -j reports each as policy with audit true" \
	"$(monitor_summary "$DP_TMP/mon2" $N)" "$N x policy/true"

config policy pass mode enforce
dp_bind=(local "$E_LNS" peer "$E_LAC")
cli "$lns" binding add local "$E_LNS" peer "$E_LAC" mode audit
monitor_start "$lns" "$DP_TMP/mon3" -- probe
case_mod "binding in audit mode: clear text is audited and delivered" \
	$N "audited+$N" "audited+$N" $N cleartext
expect "binding in audit mode: monitor -j reports each as cleartext with audit true" \
	"$(monitor_summary "$DP_TMP/mon3" $N)" "$N x cleartext/true"

config mode audit
cli "$lns" binding flush
cli "$lns" binding add local "$E_LNS" peer "$E_LAC" mode enforce
case_mod "binding in enforce mode overrides the namespace's audit mode: dropped_cleartext" \
	$N "dropped_cleartext+$N" "dropped_cleartext+$N" 0 cleartext
cli "$lns" binding flush
cli "$lns" binding add local "$E_LNS" peer "$E_LAC"
case_mod "binding that inherits takes the namespace's audit mode: audited" \
	$N "audited+$N" "audited+$N" $N cleartext

# -- the SA must be ESP (AH only with allow-ah), transport mode
config mode enforce
cli "$lns" binding flush
cli "$lns" binding add local "$E_LNS" peer "$E_LAC"
case_mod "AH instead of ESP on a bound tunnel: dropped_proto_mode" \
	$N "dropped_proto_mode+$N" "dropped_proto_mode+$N" 0 ah
cli "$lns" binding flush
cli "$lns" binding add local "$E_LNS" peer "$E_LAC" allow-ah
case_mod "AH on a binding with allow-ah: accepted" \
	$N "accepted+$N" "accepted+$N" $N ah

# -- the stock kernel
mod_unload
case_stock "clear text (dropped under require-ipsec and drop): delivered without l2tp_ipsec" \
	$N $N cleartext
case_stock "spoofed source through the attacker's SA (dropped under require-ipsec): delivered without l2tp_ipsec" \
	$N $N spoof
case_stock "AH instead of ESP (dropped on a binding without allow-ah): delivered without l2tp_ipsec" \
	$N $N ah
mod_load

[ "$T_FAILED" -eq 0 ]
