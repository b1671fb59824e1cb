#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Automatic binding by "l2tp-ipsec agent" of the tunnels of a real L2TP
# daemon: xl2tpd 1.3.18 in kernel mode (PPPoL2TP) with pppd as LAC and LNS,
# in ESP transport mode, and the agent in the LNS. xl2tpd's kernel tunnels
# raise no L2TP multicast event (6.1): the agent learns of them from the
# module's UNBOUND_NTF.
#
#   +------------------------+     +------------------------+     +------------------------+
#   | $lac  xl2tpd + pppd    |     | $lns  xl2tpd + pppd    |     | $atk  attacker         |
#   | eth0 10.0.0.1/24       |     | eth0 10.0.0.2/24       |     | eth0 10.0.0.3/24       |
#   | ppp0 192.168.100.10 ========== ppp0 192.168.100.1     |     | lo   10.0.0.1/32       |
#   |   L2TPv2 over UDP      |     | l2tp-ipsec agent       |     |   (the LAC's, spoofed; |
#   |   10.0.0.1:1701        |     |   10.0.0.2:1701        |     |    arp_ignore=1,       |
#   |                        |     |                        |     |    arp_announce=2)     |
#   +-----------+------------+     +-----------+------------+     +-----------+------------+
#               |                              |                              |
#   +-----------+------------------------------+------------------------------+------------+
#   | $sw: br0                                                                             |
#   +--------------------------------------------------------------------------------------+
#
# ESP transport SAs, rfc4106(gcm(aes)), reqid 1: LAC -> LNS spi 0x101,
# LNS -> LAC spi 0x102; after the rekey 0x201 / 0x202, same reqid; for
# cases 6 and 7 0x301 ... 0x502, for case 8 0x1001 / 0x1002 and the foreign
# pair 0x9001 / 0x9002 (reqid 9). SPD entries for UDP to port 1701, out and in, on
# both sides. IPv6 is off in LAC and LNS, so that nothing but the test's own
# packets moves the tunnel's counters.
#
# Cases, in order:
#   1. the agent runs first; xl2tpd makes its tunnel; the agent binds it on
#      its own (reqid 1, owner 0x4c324147, version 2, v2 tunnel ID) and
#      installs its per-tunnel filters (spd show: scope tunnel); ping
#      over ppp0 works; the delay trigger -> binding is printed; "show -j"
#      gives state, SA and binding;
#   2. attack: the attacker sends cleartext L2TPv2 data with the LAC's
#      address to the tunnel's 4-tuple, the LNS's inbound SPD entry removed
#      (else the stock kernel drops it itself): with the binding dropped as
#      cleartext, after --flush-on-exit delivered into the tunnel;
#   3. restart: the tunnel's next packet binds it again; kill -9 and
#      restart: bindings equal before and after;
#   4. rekey: new SA pair with the same reqid, old one deleted: ping with
#      zero loss, binding unchanged;
#   5. SAs deleted in the LNS: the tunnel is torn down, its binding gone;
#   6. a tunnel made with "ip l2tp" (announced over L2TP multicast) on a
#      port the module does not judge: a probe listener on its endpoint,
#      not bound until its first packet is seen (delay printed), then the
#      probe gone; deleted: its binding and SA pair are gone; the same
#      with the agent killed before the deletion: its restart cleans up;
#      an operator's binding (no owner) stays untouched throughout;
#   7. NAT-T SAs: the binding pins their ports and follows an SA update
#      with a new port (what an IKE daemon does on XFRM_MSG_MAPPING);
#   8. two inbound ESP SAs with the tunnel's addresses, its own (reqid 1)
#      and a foreign one (reqid 9) that an attacker holds, installed in
#      both orders: the agent binds the SA the module saw carrying the
#      tunnel (reqid 1) whatever the order, PPP comes up, the attacker's
#      packets through the foreign SA are dropped as sa_mismatch, and
#      delivered into the tunnel by the stock kernel (module unloaded).
#      The kernel dumps the newest SA first: an agent that bound the first
#      SA of the dump took reqid 9 in the own-first order, and PPP never
#      came up.
# After each case the bindings, SAs and policies are dumped (stale: none).

set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
. "$TOP/tests/lib.sh"
. "$TOP/tests/datapath-lib.sh"
. "$TOP/tests/xl2tpd-lib.sh"
t_suite agent-xl2tpd
require_tools

sw=ax-sw lac=ax-lac lns=ax-lns atk=ax-atk
LAC=10.0.0.1 LNS=10.0.0.2
OWNER=1278361927	# 0x4c324147, "L2AG"
N=5
AGENT=$DP_CLI
conf=$DP_TMP/agent.conf
alog=$DP_TMP/agent.log
apid=""

xl2tpd_require

cleanup()
{
	set +e
	[ -z "$apid" ] || kill -9 "$apid" 2> /dev/null
	for ns in "$lac" "$lns"; do
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
attack_lan "$sw" "$lac" "$lns" "$atk"
# No IPv6 on ppp0: its router solicitations would move the tunnel's counters.
for ns in "$lac" "$lns"; do
	n "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
done

# sa_pair SPI_OUT_OF_LAC SPI_OUT_OF_LNS: both SAs, in both namespaces.
sa_pair()
{
	local ns

	for ns in "$lac" "$lns"; do
		{
			sa $LAC $LNS "$1" $DP_KEY1 1
			sa $LNS $LAC "$2" $DP_KEY2 1
		} | ipb "$ns"
	done
}
sa_pair 0x101 0x102
{ pol $LAC $LNS out 1; pol $LNS $LAC in 1; } | ipb "$lac"
{ pol $LNS $LAC out 1; pol $LAC $LNS in 1; } | ipb "$lns"

# ---------------------------------------------------------------------------
# Helpers

# state NS: bindings, SAs, policies, L2TP tunnels of NS, for the log.
state()
{
	echo "# --- $1: $2"
	{
		cli "$1" binding show
		n "$1" ip xfrm state | grep -E '^src|reqid' || true
		n "$1" ip xfrm policy | grep -E '^src|dir' || true
		n "$1" ip l2tp show tunnel | grep '^Tunnel' || true
	} | sed 's/^/#   /'
}

# ours NS: our tunnel bindings as "local peer reqid version v2id", one per
# line (our listener, peer any, is listed by listeners()).
ours()
{
	cli "$1" -j binding show | python3 -c '
import json, sys
for b in json.load(sys.stdin)["bindings"]:
    if b.get("owner") == '"$OWNER"' and b["peer"] != "any":
        print(b["id"], b["local"], b["peer"], b.get("reqid"), b.get("spi"),
              b.get("encap"), b.get("version"), b.get("v2_tunnel_id"))'
}

# listeners_wait NS WANT: listeners() once it is WANT (<= 20 s), else as is.
listeners_wait()
{
	local end=$((SECONDS + 20)) got

	while :; do
		got=$(listeners "$1")
		[ "$got" = "$2" ] || [ "$SECONDS" -gt "$end" ] && break
		sleep 0.1
	done
	echo "$got"
}

# listeners NS: our listener bindings as "local pins", one per line.
listeners()
{
	cli "$1" -j binding show | python3 -c '
import json, sys
for b in json.load(sys.stdin)["bindings"]:
    if b.get("owner") == '"$OWNER"' and b["peer"] == "any":
        print(b["local"], b.get("reqid"), b.get("spi"), b.get("version"))'
}

# wait_ours NS COUNT: poll (<= 20 s) until NS has COUNT bindings of ours.
wait_ours()
{
	local end=$((SECONDS + 20))

	while [ "$SECONDS" -le "$end" ]; do
		[ "$(ours "$1" | grep -c .)" -eq "$2" ] && return 0
		sleep 0.1
	done
	echo "# $(ours "$1" | grep -c .) bindings of ours, want $2" >&2
	return 1
}

# tunnel_ids NS: "TUNNEL_ID SESSION_ID" of the first tunnel of NS;
# xl2tpd's kernel mode makes a session 0 beside the PPP one: not that one.
tunnel_ids()
{
	cli "$1" -j tunnel show | python3 -c '
import json, sys
t = json.load(sys.stdin)["tunnels"][0]
ids = [s["session_id"] for s in t["sessions"] if s["session_id"]]
print(t["tunnel_id"], ids[0] if ids else 0)'
}

# tunnel_rx NS: rx_packets of the first tunnel of NS.
tunnel_rx()
{
	cli "$1" -j tunnel show | python3 -c '
import json, sys
print(json.load(sys.stdin)["tunnels"][0]["stats"].get("rx_packets", 0))'
}

# nsas NS: SAs of NS
nsas()
{
	n "$1" ip xfrm state | grep -c '^src' || true
}

agent_start()
{
	: > "$alog"
	ip netns exec "$lns" "$AGENT" agent --flush-on-exit -c "$conf" 2>> "$alog" &
	apid=$!
	wait_for_line "$alog" "info: started"
}

# delay WHAT: the latest "bound ... (N us after WHAT)" of the agent's log.
delay()
{
	sed -n "s/.*bound tunnel .*(\([0-9]*\) us after $1).*/\1/p" "$alog" | tail -n 1
}

cat > "$conf" <<-EOF
	[agent]
	role = lns
	local = $LNS
	log_level = debug
EOF

xl2tpd_configs $LAC $LNS

# ---------------------------------------------------------------------------
# 1. Automatic binding of xl2tpd's tunnel

# An operator's binding (no owner): the agent never touches it.
cli "$lns" binding add local $LNS:1799 peer 10.0.0.9:1799 reqid 9
foreign=$(cli "$lns" binding show | head -n 1)
agent_start
t_check "agent started in the LNS, nothing to bind" wait_ours "$lns" 0
# RFC 3193 4.2.2 Inbound-1: the LNS keeps taking new tunnels on the socket
# that its bound tunnels share, so the agent keeps a listener there.
expect "the responder's listener on $LNS:1701, unpinned (RFC 3193 4.2.2)" \
	"$(listeners_wait "$lns" "$LNS:1701 None None None")" "$LNS:1701 None None None"
xl2tpd_start "$lns" lns
sleep 0.5
xl2tpd_start "$lac" lac
t_check "xl2tpd + pppd: ppp0 up in the LAC" ppp_up "$lac"
t_check "xl2tpd + pppd: ppp0 up in the LNS" ppp_up "$lns"
t_check "xl2tpd's tunnel bound by the agent" wait_ours "$lns" 1
read -r tid sid <<< "$(tunnel_ids "$lns")"
got=$(ours "$lns" | cut -d' ' -f2-)
expect "binding: 4-tuple, reqid 1, version 2, v2 tunnel ID (owner L2AG)" \
	"$got" "$LNS:1701 $LAC:1701 1 None None 2 $tid"
wait_for_line "$alog" "bound tunnel" > /dev/null || true
grep -E "bound tunnel|reconcile after" "$alog" | sed 's/^/# agent: /'
expect "bound through an unbound-traffic event" \
	"$(grep -c 'bound tunnel .* us after unbound traffic' "$alog")" 1
echo "# delay: tunnel $tid bound $(delay 'unbound traffic') us after the unbound-traffic event reached the agent"
t_check "ping over ppp0" n "$lac" ping -q -c 3 -i 0.2 -W 2 192.168.100.1
got=$(cli "$lns" -j show | python3 -c '
import json, sys
t = json.load(sys.stdin)["tunnels"][0]
b = t["binding"]
print(t["state"], t["sa"]["reqid"], t["sa"]["spi_in"], t["sa"]["spi_out"],
      b["owner"], b["stats"]["accepted"] > 0)')
expect "show -j: state, SA (reqid, SPIs in and out), binding with counters" \
	"$got" "bound 1 0x00000101 0x00000102 $OWNER True"
cli "$lns" show | sed 's/^/# show: /'
# Its per-tunnel filters (RFC 3193 4.2.2, the LNS is the responder): the
# 4-tuple both ways, pinned to reqid 1; the ping above went through them.
filters1="in $LAC 1701 $LNS 1701 r1; out $LNS 1701 $LAC 1701 r1"
expect "per-tunnel filters: spd show lists the tunnel's, exact selectors, ours, reqid 1" \
	"$(tfilters_wait "$lns" "$filters1")" "$filters1"
state "$lns" "after case 1"

# ---------------------------------------------------------------------------
# 2. Cleartext with the LAC's address into the tunnel, inbound SPD entry
#    removed: dropped with the binding, delivered without it.

n "$lns" ip xfrm policy del src $LAC/32 dst $LNS/32 proto udp dport 1701 dir in
# ... and the agent's per-tunnel one for it (the case makes no event that
# would put it back; case 3's restart does).
n "$lns" ip xfrm policy del src $LAC/32 dst $LNS/32 proto udp sport 1701 dport 1701 dir in
dp_judge=$lns
dp_rx=(tunnel_rx "$lns")
dp_bind=(local "$LNS:1701" peer "$LAC:1701")
attack()
{
	send "$atk" $LAC 1701 $LNS 1701 v2 "$tid" "$sid" --count $N > /dev/null
}
xl2tpd_quiet case_mod "cleartext into xl2tpd's tunnel, bound: dropped" $N \
	"dropped_cleartext+$N" "dropped_cleartext+$N" 0 attack
kill -TERM "$apid"
wait "$apid" || true
apid=""
t_check "--flush-on-exit: the agent's binding deleted" wait_ours "$lns" 0
expect "--flush-on-exit: the agent's per-tunnel filters deleted" "$(tfilters_wait "$lns" "")" ""
dp_bind=()
xl2tpd_quiet case_mod "cleartext into xl2tpd's tunnel, after --flush-on-exit: delivered" $N \
	"accepted_unbound+$N" - $N attack
{ pol $LAC $LNS in 1; } | ipb "$lns"

# ---------------------------------------------------------------------------
# 3. Restart safety

agent_start
# Its start knows of no SA seen carrying the tunnel (the bindings are the
# kernel's memory, and --flush-on-exit took them): its next packet binds it.
n "$lac" ping -q -c 2 -i 0.2 -W 2 192.168.100.1 > /dev/null || true
t_check "restart: the tunnel's next packet binds it again" wait_ours "$lns" 1
expect "restart: and installs its per-tunnel filters again" "$(tfilters_wait "$lns" "$filters1")" "$filters1"
before=$(ours "$lns")
expect "restart: the listener is there again" \
	"$(listeners_wait "$lns" "$LNS:1701 None None None")" "$LNS:1701 None None None"
kill -9 "$apid"
wait "$apid" 2> /dev/null || true
apid=""
t_check "kill -9: the binding stays" test "$(ours "$lns")" = "$before"
agent_start
wait_for_line "$alog" "reconcile after start" > /dev/null || true
expect "kill -9, restart: bindings equal before and after" "$(ours "$lns")" "$before"
expect "kill -9, restart: per-tunnel filters unchanged" "$(tfilters_wait "$lns" "$filters1")" "$filters1"
# The test's own SPD entries (priority 0) outrank the agent's: without the
# LNS's, its per-tunnel filters alone carry the tunnel there.
n "$lns" ip xfrm policy del src $LNS dst $LAC proto udp dport 1701 dir out
n "$lns" ip xfrm policy del src $LAC dst $LNS proto udp dport 1701 dir in
t_check "ping over ppp0 with the LNS's per-tunnel filters as its only SPD entries for it" \
	n "$lac" ping -q -c 3 -i 0.2 -W 2 192.168.100.1
{ pol $LNS $LAC out 1; pol $LAC $LNS in 1; } | ipb "$lns"
state "$lns" "after case 3"

# ---------------------------------------------------------------------------
# 4. Rekey with the same reqid: no loss, binding unchanged

# As an IKE daemon rekeys: the new inbound SAs first, then the new outbound
# ones (the kernel sends through the newest), then the old outbound SAs, then
# the old inbound ones.
n "$lac" ping -c 40 -i 0.1 -W 2 192.168.100.1 > "$DP_TMP/ping" 2>&1 &
ping_pid=$!
sleep 1
sa $LAC $LNS 0x201 $DP_KEY1 1 | ipb "$lns"
sa $LNS $LAC 0x202 $DP_KEY2 1 | ipb "$lac"
sa $LAC $LNS 0x201 $DP_KEY1 1 | ipb "$lac"
sa $LNS $LAC 0x202 $DP_KEY2 1 | ipb "$lns"
sleep 0.5
n "$lac" ip xfrm state del src $LAC dst $LNS proto esp spi 0x101
n "$lns" ip xfrm state del src $LNS dst $LAC proto esp spi 0x102
sleep 0.5
n "$lns" ip xfrm state del src $LAC dst $LNS proto esp spi 0x101
n "$lac" ip xfrm state del src $LNS dst $LAC proto esp spi 0x102
rc=0
wait "$ping_pid" || rc=$?
loss=$(sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p' "$DP_TMP/ping")
expect "rekey, same reqid: ping loss" "$loss% (exit $rc)" "0% (exit 0)"
expect "rekey: binding unchanged" "$(ours "$lns")" "$before"
state "$lns" "after case 4"

# ---------------------------------------------------------------------------
# 5. The SAs go: the tunnel is torn down

n "$lns" ip xfrm state flush
t_check "SAs deleted: the agent's binding removed" wait_ours "$lns" 0
# shellcheck disable=SC2317 # through poll_count
ntun() { ntunnels "$lns"; }
expect "SAs deleted: xl2tpd's tunnel torn down" \
	"$(for i in $(seq 50); do [ "$(ntun)" -eq 0 ] && break; sleep 0.1; done; ntun)" 0
t_check "SAs deleted: teardown logged" grep -q "tearing the tunnel down" "$alog"
expect "SAs deleted: the tunnel's per-tunnel filters removed" "$(tfilters_wait "$lns" "")" ""
state "$lns" "after case 5"

# ---------------------------------------------------------------------------
# 6. A tunnel announced over L2TP multicast; its deletion takes its SAs

for ns in "$lac" "$lns"; do
	ip netns pids "$ns" | while read -r p; do
		[ "$p" = "$apid" ] || kill -9 "$p" 2> /dev/null || true
	done
done
sleep 0.5
# The LAC sends through the SA pair of each case: its SAs are the LNS's, its
# outbound SPD entry takes every UDP port.
n "$lac" ip xfrm state flush
{ pol $LAC $LNS out 1 | sed 's/ dport 1701//'; } | ipb "$lac"
# lac_sa SPI_IN SPI_OUT [ENCAP...]: the pair in both, as the LNS's.
lac_sa()
{
	local in=$1 out=$2 ns

	shift 2
	for ns in "$lns" "$lac"; do
		{ sa $LAC $LNS "$in" $DP_KEY1 1 "$@"; sa $LNS $LAC "$out" $DP_KEY2 1 "$@"; } |
			ipb "$ns"
	done
}
# from_lac PORT: one L2TPv3 packet LAC:PORT -> LNS:PORT, through the SA.
from_lac()
{
	send "$lac" $LAC "$1" $LNS "$1" v3 0x77 02:00:00:00:00:01 > /dev/null
}
lac_sa 0x301 0x302
n "$lns" ip l2tp add tunnel tunnel_id 77 peer_tunnel_id 77 encap udp \
	local $LNS remote $LAC udp_sport 1702 udp_dport 1702
# Nothing has seen which SA carries it yet: a probe listener makes the
# module judge and report its port.
expect "ip l2tp tunnel, no packet yet: a probe listener on its endpoint, not bound" \
	"$(listeners_wait "$lns" "$LNS:1701 None None None
$LNS:1702 None None None"; ours "$lns" | grep -c . || true)" \
	"$LNS:1701 None None None
$LNS:1702 None None None
0"
t0=$(date +%s%N)
from_lac 1702
t_check "ip l2tp tunnel: bound at its first packet" wait_ours "$lns" 1
t1=$(date +%s%N)
echo "# delay: ip l2tp tunnel bound $(delay 'unbound traffic') us after its first packet's unbound event reached the agent; $(((t1 - t0) / 1000)) us from the packet sent to the binding seen by polling (TCG)"
expect "ip l2tp tunnel: binding" "$(ours "$lns" | cut -d' ' -f2-)" \
	"$LNS:1702 $LAC:1702 1 None None 3 None"
expect "ip l2tp tunnel bound: the probe gone, the responder's listener stays" \
	"$(listeners_wait "$lns" "$LNS:1701 None None None")" "$LNS:1701 None None None"
# R-Port 1702 (RFC 3193 4.2.4): the 1701 lines of the responder's set too.
filters77="in $LAC 1702 $LNS 1701 r1; in $LAC 1702 $LNS 1702 r1; out $LNS 1701 $LAC 1702 r1; out $LNS 1702 $LAC 1702 r1"
expect "ip l2tp tunnel: its per-tunnel filters (4.2.4, R-Port 1702)" \
	"$(tfilters_wait "$lns" "$filters77")" "$filters77"
n "$lns" ip l2tp del tunnel tunnel_id 77
t_check "tunnel deleted: its binding removed" wait_ours "$lns" 0
expect "tunnel deleted: its per-tunnel filters removed (nothing stale)" "$(tfilters_wait "$lns" "")" ""
expect "tunnel deleted: its SA pair deleted" \
	"$(for i in $(seq 50); do [ "$(nsas "$lns")" -eq 0 ] && break; sleep 0.1; done; nsas "$lns")" 0

# The same while the agent is down: its restart finds the stale binding.
n "$lac" ip xfrm state flush
lac_sa 0x401 0x402
n "$lns" ip l2tp add tunnel tunnel_id 78 peer_tunnel_id 78 encap udp \
	local $LNS remote $LAC udp_sport 1703 udp_dport 1703
listeners_wait "$lns" "$LNS:1701 None None None
$LNS:1703 None None None" > /dev/null
from_lac 1703
t_check "second ip l2tp tunnel: bound at its first packet" wait_ours "$lns" 1
kill -9 "$apid"
wait "$apid" 2> /dev/null || true
apid=""
n "$lns" ip l2tp del tunnel tunnel_id 78
for i in $(seq 50); do [ "$(ntunnels "$lns")" -eq 0 ] && break; sleep 0.1; done
agent_start
t_check "tunnel deleted while the agent was down: restart removes its binding" \
	wait_ours "$lns" 0
expect "tunnel deleted while the agent was down: restart removes its filters" \
	"$(tfilters_wait "$lns" "")" ""
expect "tunnel deleted while the agent was down: restart deletes its SA pair" \
	"$(for i in $(seq 50); do [ "$(nsas "$lns")" -eq 0 ] && break; sleep 0.1; done; nsas "$lns")" 0
expect "the operator's binding untouched throughout" \
	"$(cli "$lns" binding show | grep -F "local $LNS:1799 ")" "$foreign"
state "$lns" "after case 6"

# ---------------------------------------------------------------------------
# 7. NAT-T: the SA's encapsulation ports are pinned, and followed when the
#    IKE daemon updates the SA after a mapping change (XFRM_MSG_UPDSA)

# encap_is NS ENCAP: poll (<= 20 s) until our only binding pins ENCAP.
encap_is()
{
	local end=$((SECONDS + 20)) got=""

	while [ "$SECONDS" -le "$end" ]; do
		got=$(ours "$1" | cut -d' ' -f6)
		[ "$got" = "$2" ] && return 0
		sleep 0.1
	done
	echo "# encap: got '$got', want '$2'" >&2
	return 1
}
natt="encap espinudp 4500 4500 0.0.0.0"
n "$lac" ip xfrm state flush
# shellcheck disable=SC2086 # $natt: several words
lac_sa 0x501 0x502 $natt
# The LNS decapsulates ESP in UDP on 4500 through a socket, as charon's.
spawn "$lns" "$DP_TMP/encap" python3 "$DP_PKT" encap 0.0.0.0 4500
wait_for_line "$DP_TMP/encap" '^# listening'
n "$lns" ip l2tp add tunnel tunnel_id 79 peer_tunnel_id 79 encap udp \
	local $LNS remote $LAC udp_sport 1704 udp_dport 1704
listeners_wait "$lns" "$LNS:1701 None None None
$LNS:1704 None None None" > /dev/null
from_lac 1704
t_check "NAT-T SA: the binding pins its encapsulation ports" encap_is "$lns" 4500:4500
sa $LAC $LNS 0x501 $DP_KEY1 1 encap espinudp 4501 4500 0.0.0.0 |
	sed 's/state add/state update/' | ipb "$lns"
t_check "NAT mapping change (SA updated): the binding follows" encap_is "$lns" 4501:4500
n "$lns" ip l2tp del tunnel tunnel_id 79
t_check "NAT-T tunnel deleted: binding removed" wait_ours "$lns" 0
state "$lns" "after case 7"
t_check "agent still running" kill -0 "$apid"
kill -TERM "$apid"
wait "$apid" || true
apid=""

# ---------------------------------------------------------------------------
# 8. Two inbound SAs with the tunnel's addresses, in both install orders
#
# The LNS holds the tunnel's own pair (reqid 1) and a foreign pair (reqid 9)
# between the same addresses; the attacker, spoofing the LAC's address, holds
# the foreign SA's key. The LNS's inbound SPD entry asks for ESP from the
# LAC, any reqid, as "-m policy --pol ipsec" would: the stock kernel cannot
# tell the two SAs apart. Only what the module saw on the tunnel's 4-tuple
# (UNBOUND_NTF: SPI 0x1001, reqid 1) names the tunnel's own.

own_sas()
{
	sa $LAC $LNS 0x1001 $DP_KEY1 1
	sa $LNS $LAC 0x1002 $DP_KEY2 1
}
foreign_sas()
{
	sa $LAC $LNS 0x9001 $DP_KEY3 9
	sa $LNS $LAC 0x9002 $DP_KEY4 9
}
# xl2tpd_stop: xl2tpd and pppd gone from the LAC and the LNS.
xl2tpd_stop()
{
	local ns

	for ns in "$lac" "$lns"; do
		ip netns pids "$ns" | xargs -r kill -9 2> /dev/null || true
	done
	for _ in $(seq 50); do
		[ -z "$(ip netns pids "$lac")$(ip netns pids "$lns")" ] && break
		sleep 0.1
	done
}
spoof()
{
	send "$atk" $LAC 1701 $LNS 1701 v2 "$tid" "$sid" --count $N > /dev/null
}
# ppp_watch: count the test's PPP frames (their body starts "l2tp") that
# reach the LNS's ppp0, with or without the module; ppp_rx reads it.
ppp_watch()
{
	n "$lns" nft delete table netdev ax_ppp 2> /dev/null || true
	n "$lns" nft -f - <<-EOF
	table netdev ax_ppp {
		counter rx { }
		chain in {
			type filter hook ingress device ppp0 priority 0;
			@nh,0,32 0x6c327470 counter name rx;
		}
	}
	EOF
}
ppp_rx()
{
	nft_count "$lns" netdev ax_ppp rx
}
xl2tpd_stop
for ns in "$lac" "$lns" "$atk"; do
	n "$ns" ip xfrm state flush
	n "$ns" ip xfrm policy flush
done
{ pol $LAC $LNS out 1; pol $LNS $LAC in 1; } | ipb "$lac"
{ pol $LNS $LAC out 1; pol $LAC $LNS in 0; } | ipb "$lns"
{ foreign_sas; pol $LAC $LNS out 9; } | ipb "$atk"
own_sas | ipb "$lac"
dp_judge=$lns
dp_rx=(ppp_rx)
for order in foreign-first own-first; do
	n "$lns" ip xfrm state flush
	if [ $order = foreign-first ]; then
		{ foreign_sas; own_sas; } | ipb "$lns"
	else
		{ own_sas; foreign_sas; } | ipb "$lns"
	fi
	echo "# $order: the LNS's SA dump, in the kernel's order:"
	n "$lns" ip xfrm state | awk '/^src/ { sd = $0 }
		/proto esp spi/ { print "#   " sd " spi " $4 " reqid " $6 }'
	agent_start
	xl2tpd_start "$lns" lns
	sleep 0.5
	xl2tpd_start "$lac" lac
	t_check "$order: xl2tpd + pppd: ppp0 up in the LAC" ppp_up "$lac"
	t_check "$order: ppp0 up in the LNS" ppp_up "$lns"
	t_check "$order: the test's frames counted on the LNS's ppp0 (nft)" ppp_watch
	t_check "$order: the tunnel bound" wait_ours "$lns" 1
	read -r tid sid <<< "$(tunnel_ids "$lns")"
	expect "$order: bound to the SA seen carrying it: reqid 1, not the foreign reqid 9" \
		"$(ours "$lns" | cut -d' ' -f2-)" "$LNS:1701 $LAC:1701 1 None None 2 $tid"
	grep "bound tunnel" "$alog" | sed 's/^/# agent: /'
	t_check "$order: ping over ppp0" n "$lac" ping -q -c 3 -i 0.2 -W 2 192.168.100.1
	dp_bind=(local "$LNS:1701" peer "$LAC:1701")
	xl2tpd_quiet case_mod "$order: the attacker through the foreign SA into the tunnel: dropped_sa_mismatch" $N \
		"dropped_sa_mismatch+$N" "dropped_sa_mismatch+$N" 0 spoof
	t_check "$order: ping over ppp0 after the attack" n "$lac" ping -q -c 3 -i 0.2 -W 2 192.168.100.1
	kill -TERM "$apid"
	wait "$apid" || true
	apid=""
	[ $order = own-first ] || xl2tpd_stop
done
# The stock kernel: the same packets go into xl2tpd's tunnel.
mod_unload
xl2tpd_quiet case_stock "stock kernel (no l2tp_ipsec): the attacker's packets through the foreign SA delivered into the tunnel" \
	$N $N spoof
# What the LNS's kernel did with them, for the record.
{
	echo "ppp0 frames counted: $(ppp_rx)"
	n "$lns" ip -s link show ppp0
	n "$lns" ip -s xfrm state | grep -E 'spi|replay|stats|lifetime current' -A1 | grep -v '^--'
	n "$lns" awk '$2 != 0' /proc/net/xfrm_stat
	n "$lns" ip xfrm policy
	n "$lns" ip l2tp show session
} 2>&1 | sed 's/^/#   /'
mod_load
state "$lns" "after case 8"
[ "$T_FAILED" -eq 0 ]
