#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: the RFC 5619 Hub and Spokes softwire concentrator, from
# nothing, with real strongSwan, xl2tpd and pppd, and the attacks that
# RFC 3193 section 3.3 asks L2TP to refuse. Runs in the VM as root
# (scripts/demo-guest prints the report; tests/vm/demo.test.sh runs the
# same script as a suite). Every assertion is a result line
# (tests/lib.sh); the exit status is non-zero if any failed, so if any
# attack gets through with l2tp_ipsec loaded.
#
#   +------------------+   +-------------------+
#   | si1  SI-1        |   | nat  router       |
#   | eth0 10.1.0.2 ------- br1  10.1.0.1      |
#   | ppp0 fe80::11    |   |                   |   MASQUERADE: each
#   +------------------+   |                   |   charon floats to
#   | si3  SI-3        |   |                   |   UDP 4500, one of
#   | eth0 10.1.0.3 -------                    |   them mapped to
#   | ppp0 fe80::13    |   | eth0 10.0.0.1     |   another port
#   +------------------+   +---------+---------+
#                                    |
#   +--------------------------------+--------------------------------------+
#   | sw: br0  (WAN, 10.0.0.0/24, 2001:db8::/64)                            |
#   +------------+-------------------------+------------------------+-------+
#                |                         |                        |
#   +------------+-----------+  +----------+-------------+  +-------+---------------+
#   | sc  SC (concentrator)  |  | si2  SI-2              |  | atk  attacker         |
#   | eth0 10.0.0.2          |  | eth0 10.0.0.3          |  | eth0 10.0.0.4         |
#   |      2001:db8::2       |  |      2001:db8::3       |  | lo   10.0.0.1/32      |
#   | xl2tpd LNS, pppd       |  | xl2tpd LAC, pppd       |  |   (the NAT's address, |
#   |   ppp fe80::1 (each)   |  |   ppp0 fe80::12        |  |    spoofed)           |
#   | l2tpv6 192.168.60.1 ==== l2tpv6 192.168.60.2       |  |                       |
#   +------------------------+  +------------------------+  +-----------------------+
#
# charon and l2tp-ipsec agent in sc, si1, si2 and si3. App. A.1: IPv6 over
# PPP over L2TPv2 (xl2tpd, kernel mode) over ESP transport over IPv4, SI-1,
# SI-2 and SI-3 to the SC. App. A.2: IPv4 over a static L2TPv3 Ethernet
# tunnel ("l2tp-ipsec tunnel add") over ESP transport over IPv6, SI-2 to
# the SC.
#
# SI-1 and SI-3 sit behind one NAT and both send from UDP port 1701 (what
# Windows clients do): after NAT-T decapsulation the SC sees one 4-tuple,
# NAT:1701 -> SC:1701, for two tunnels. The SC's agent marks their
# CHILD_SAs ([peer] shared_nat = yes) and binds each tunnel with its own
# SA, socket and outbound mark, so each softwire runs beside the other.
#
# Attacks, each with l2tp_ipsec and then on the stock kernel (rmmod):
#   1. cleartext L2TPv2 data into SI-1's tunnel, the NAT's address spoofed;
#   2. wrong source port: SI-1's own SA, source port 1702;
#   3. wrong tunnel ID: SI-1's own SA and ports, SI-2's tunnel ID;
#   4. SI-1's tunnel and session IDs through SI-3's own SA: the same outer
#      addresses and ports as SI-1's (one NAT), only the SA tells them apart;
#   5. a StopCCN into SI-1's tunnel, carried by SI-2's own SA (SI-2 is a
#      client of the SC too: it holds a valid SA of its own). On the stock
#      kernel xl2tpd takes it for SI-1's and tears SI-1's tunnel down, so
#      it runs last.

set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
# shellcheck source=tests/lib.sh
. "$TOP/tests/lib.sh"
# shellcheck source=tests/datapath-lib.sh
. "$TOP/tests/datapath-lib.sh"
# shellcheck source=tests/xl2tpd-lib.sh
. "$TOP/tests/xl2tpd-lib.sh"
# shellcheck source=tests/ike-lib.sh
. "$TOP/tests/ike-lib.sh"
t_suite demo
[ -z "${DEMO_TRACE:-}" ] || set -x

# The report is for a person: without DEMO_SUITE (tests/vm/demo.test.sh
# sets it) the result lines go to the results file only, and a FAIL is
# printed as a "!!" line where it happened.
if [ -z "${DEMO_SUITE:-}" ]; then
	t_result()
	{
		if [ -n "${L2TP_IPSEC_RESULTS:-}" ]; then
			echo "$1" >> "$L2TP_IPSEC_RESULTS"
		fi
		case $1 in
		FAIL*) echo "  !! $1" ;;
		esac
	}
fi

sw=demo-sw nat=demo-nat sc=demo-sc si1=demo-si1 si2=demo-si2 si3=demo-si3 atk=demo-atk
NATIP=10.0.0.1 SC=10.0.0.2 SI2=10.0.0.3 SI1=10.1.0.2 SI3=10.1.0.3
SC6=2001:db8::2 SI26=2001:db8::3
N=5
PSK6=0x64656d6f2073693220697076362070736b2121
T0=${EPOCHREALTIME/./}

# say TEXT: one line of the report.
say() { printf '%s\n' "$*"; }

# step TEXT: a progress line with the time since the start.
step()
{
	local us=$((${EPOCHREALTIME/./} - T0))

	printf '[%4d.%01ds] %s\n' $((us / 1000000)) $((us / 100000 % 10)) "$*"
}

# indent: the report's inner lines.
indent() { sed 's/^/      /'; }

# quiet CMD...: CMD without its output.
quiet() { "$@" > /dev/null 2>&1; }

# fatal NAME WHY: a FAIL the rest cannot run without; the logs follow.
fatal()
{
	t_fail "$1" "$2"
	say "  demo stopped: $1 failed; logs in ${L2TP_IPSEC_RESULTS%/*}/ike/ and demo/"
	exit 1
}

demo_cleanup()
{
	ike_cleanup_saving demo "$si1" "$si2" "$si3" "$sc"
}

require_tools
ike_require
xl2tpd_require
trap demo_cleanup EXIT
for m in esp4 esp6 xfrm_user l2tp_core l2tp_netlink l2tp_eth l2tp_ppp veth bridge \
	nf_tables nft_masq nft_nat; do
	modprobe -q "$m" || true
done
mod_load

say "l2tp_ipsec demo: the RFC 5619 Hub and Spokes softwire concentrator"
say "  App. A.1 IPv6 over PPP over L2TPv2 over ESP transport over IPv4 (xl2tpd, pppd)"
say "  App. A.2 IPv4 over L2TPv3 over ESP transport over IPv6 (static tunnel)"
say "  IKEv2 by strongSwan's charon, driven by l2tp-ipsec agent (RFC 5619 3.5.4.1)"
say ""

# ---------------------------------------------------------------------------
step "namespaces: SI-1 and SI-3 behind one NAT router (MASQUERADE), SI-2, the SC, an attacker"
lan -6 "$sw" "$nat" "$sc" "$si2" "$atk"
ipb "$nat" <<-EOF
	link add name br1 type bridge
	addr add 10.1.0.1/24 dev br1
	link set br1 up
EOF
mkns "$si1" "$si3"
for s in si1:$SI1 si3:$SI3; do
	ip link add eth0 netns "demo-${s%:*}" type veth peer name "${s%:*}" netns "$nat"
	ip -n "$nat" link set "${s%:*}" master br1 up
	ipb "demo-${s%:*}" <<-EOF
		addr add ${s#*:}/24 dev eth0
		link set eth0 up
		route add default via 10.1.0.1
	EOF
done
n "$nat" sysctl -qw net.ipv4.ip_forward=1
n "$nat" nft -f - <<-EOF
	table ip nat {
		chain post {
			type nat hook postrouting priority srcnat;
			oifname "eth0" counter masquerade
		}
	}
EOF
# The attacker may send with the NAT's public address (VM-NOTES: without
# answering ARP for it).
spoofer "$atk"
ip -n "$atk" addr add $NATIP/32 dev lo
# IPv6 over PPP without DAD or router solicitations: nothing waits.
for ns in "$sc" "$si1" "$si2" "$si3"; do
	n "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.default.router_solicitations=0
done
t_check "SI-1 reaches the SC through the NAT" quiet n "$si1" ping -q -c 1 -W 5 $SC
t_check "SI-3 reaches the SC through the same NAT" quiet n "$si3" ping -q -c 1 -W 5 $SC

step "certificates with strongSwan's pki: a CA, sc, si1, si2, si3 .example (RSA 2048)"
ike_pki sc si1 si2 si3 2> "$DP_TMP/pki.log" || fatal "pki makes the certificates" "pki failed"

step "charon in sc, si1, si2 and si3 (own strongswan.conf, VICI socket, mount namespace)"
for ns in "$sc" "$si1" "$si2" "$si3"; do
	ike_start "$ns" || fatal "charon starts in $ns" "see above"
done
t_pass "charon runs in sc, si1, si2 and si3, each with its own VICI socket"

# --- the agents' configurations ---------------------------------------------
# The agent dials xl2tpd's LAC itself once the CHILD_SA is up (RFC 3193
# section 4.2.2) where it knows how ([peer] xl2tpd_lac); else the demo
# does, after the SA is there.
printf '[agent]\nrole = lac\nlocal = %s\nxl2tpd_control = %s\n[peer x]\nremote_id = x\nremote_addrs = %s\nauth = psk\npsk = 0x1234567890abcdef\nxl2tpd_lac = sc\n' \
	$SI1 "$DP_TMP/x.ctl" $SC > "$DP_TMP/probe.conf"
if "$DP_CLI" agent --check -c "$DP_TMP/probe.conf" > /dev/null 2>&1; then
	dial=agent
else
	dial=demo
fi
# lac_keys NS: the agent's keys that dial NS's xl2tpd LAC "sc".
lac_keys()
{
	[ $dial = agent ] || return 0
	printf 'xl2tpd_lac = sc\n'
}
lac_agent_keys()
{
	[ $dial = agent ] || return 0
	printf 'xl2tpd_control = %s\n' "$DP_TMP/$1.ctl"
}

# SI-1 and SI-3 share the NAT's address: their CHILD_SAs are marked so
# that each tunnel has its own (shared_nat); SI-2 has an address of its
# own and its static L2TPv3 tunnel (App. A.2) has no mark to follow.
ike_agent_conf "$sc" lns $SC $SC6 -- \
	"$(ike_peer_pubkey si1 si1.example sc)" "shared_nat = yes" \
	"$(ike_peer_pubkey si3 si3.example sc)" "shared_nat = yes" \
	"$(ike_peer_pubkey si2 si2.example sc)" \
	"[peer si2-v6]" "remote_id = si2-v6.example" "auth = psk" "psk = $PSK6" \
	"local_id = sc-v6.example"
for s in si1:$SI1 si3:$SI3; do
	ike_agent_conf "demo-${s%:*}" lac "${s#*:}" -- "$(lac_agent_keys "${s%:*}")" \
		"$(ike_peer_pubkey sc sc.example "${s%:*}")" "remote_addrs = $SC" "$(lac_keys)"
done
ike_agent_conf "$si2" lac $SI2 $SI26 -- "$(lac_agent_keys si2)" \
	"$(ike_peer_pubkey sc sc.example si2)" "remote_addrs = $SC" "$(lac_keys)" \
	"[peer sc-v6]" "remote_id = sc-v6.example" "remote_addrs = $SC6" "auth = psk" \
	"psk = $PSK6" "local_id = si2-v6.example"

# --- xl2tpd and pppd ---------------------------------------------------------
# IPv6 only over PPP (noip, +ipv6), interface identifiers ::1 on the SC,
# ::11 on SI-1, ::12 on SI-2, ::13 on SI-3. debug network: the SC's xl2tpd logs one
# "recv packet from ADDR, port PORT" per datagram it reads, which is how
# the demo sees what reached it.
xl2tpd_ppp6_opts sc "::1,"
xl2tpd_ppp6_opts si1 "::11,::1"
xl2tpd_ppp6_opts si2 "::12,::1"
xl2tpd_ppp6_opts si3 "::13,::1"
cat > "$DP_TMP/sc.conf" <<-EOF
	[global]
	listen-addr = $SC
	port = 1701
	access control = no
	debug network = yes
	debug tunnel = yes
	[lns default]
	assign ip = no
	require authentication = no
	length bit = yes
	pppoptfile = $DP_TMP/sc.ppp
EOF
for s in si1:$SI1 si2:$SI2 si3:$SI3; do
	a=${s#*:} s=${s%:*}
	cat > "$DP_TMP/$s.conf" <<-EOF
		[global]
		listen-addr = $a
		port = 1701
		access control = no
		[lac sc]
		lns = $SC
		autodial = no
		redial = no
		require authentication = no
		length bit = yes
		pppoptfile = $DP_TMP/$s.ppp
	EOF
done
step "xl2tpd (kernel mode) in sc, si1, si2, si3; LACs from port 1701, autodial = no (dialled once IPsec is up)"
for s in sc si1 si2 si3; do
	spawn "demo-$s" "$DP_TMP/$s.xl2tpd.log" xl2tpd -D -c "$DP_TMP/$s.conf" \
		-p "$DP_TMP/$s.pid" -C "$DP_TMP/$s.ctl"
done
for s in sc si1 si2 si3; do
	for i in $(seq 100); do [ -p "$DP_TMP/$s.ctl" ] && break; sleep 0.1; done
done

# --- the agents, IKE -------------------------------------------------------
step "l2tp-ipsec agent in sc, si1, si2, si3: PAD into charon; the SIs initiate their CHILD_SAs"
# The concentrator first: an SI that initiates before the SC's charon has
# its connection is refused ("no IKE config found"), and a LAC's agent
# does not initiate again by itself.
for ns in "$sc" "$si1" "$si2" "$si3"; do
	spawn "$ns" "$IKE_DIR/$ns/agent.log" "$DP_CLI" agent -v -c "$IKE_DIR/$ns/agent.conf"
	eval "agent_${ns#demo-}=$spawned"
	[ "$ns" != "$sc" ] || ike_wait_log "$sc" "PAD loaded into charon: 4 of 4" 30 || true
done
for ns in "$sc:4" "$si1:1" "$si2:2" "$si3:1"; do
	ike_wait_log "${ns%:*}" "PAD loaded into charon: ${ns#*:} of ${ns#*:}" 30 &&
		t_pass "${ns%:*}: the agent loads its PAD (${ns#*:} peers) into charon" ||
		t_fail "${ns%:*}: the agent loads its PAD (${ns#*:} peers) into charon" \
			"$(tail -5 "$IKE_DIR/${ns%:*}/agent.log")"
done
ok_sa=1
ike_wait_sa "$sc" $SC 3 || ok_sa=0
for s in si1:$SI1 si2:$SI2 si3:$SI3; do
	ike_wait_sa "demo-${s%:*}" "${s#*:}" || ok_sa=0
done
[ $ok_sa = 1 ] || fatal "IKE: CHILD_SAs of SI-1, SI-2 and SI-3 with the SC" \
	"$(tail -3 "$IKE_DIR"/*/agent.log)"
t_pass "IKE: the CHILD_SAs l2tp_spd_entry of SI-1, SI-2 and SI-3 with the SC"
step "IKEv2 done: CHILD_SAs of SI-1 and SI-3 (through one NAT) and SI-2 with the SC"
# natt_sas: "sport mark" of each inbound SA from the NAT's address, the
# mark the one it sets on what it decrypts (set_mark_in=%same: strongSwan
# puts mark_in on the inbound policy, not on the SA).
natt_sas()
{
	local sp m

	ip -n "$sc" xfrm state list src $NATIP proto esp | awk '
		/^src/ { if (NR > 1) print sp, m; sp = m = "" }
		/encap type espinudp/ { sp = $5 }
		/^[ \t]*output-mark / { split($2, v, "/"); m = v[1] }
		END { if (NR) print sp, m }' |
		while read -r sp m; do
			echo "$sp" $((m))
		done | sort
}
nat_sas=$(natt_sas)
expect "SI-1's and SI-3's SAs at the SC: from the NAT's address, ESP in UDP, two NAT ports" \
	"$(awk '$1 != "" { print $1 }' <<< "$nat_sas" | sort -u | wc -l)" 2
expect "the SC's agent marked SI-1's and SI-3's CHILD_SAs, each its own mark (shared_nat)" \
	"$(awk '$2 != 0 { print $2 }' <<< "$nat_sas" | sort -u | wc -l)" 2
expect "the NAT router translated the SIs' IKE and ESP (its masquerade counter moved)" \
	"$(n "$nat" nft list chain ip nat post | grep -c 'packets 0 ')" 0

if [ $dial = demo ]; then
	for s in si1 si2 si3; do
		echo "c sc" > "$DP_TMP/$s.ctl"
	done
fi
step "L2TP: the LACs dialled by the $dial; PPP with IPv6CP on each"
for s in si1 si2 si3; do
	ppp6_up "demo-$s" 90 || fatal "${s^^}: ppp0 up with an IPv6 link-local address" \
		"$(tail -5 "$DP_TMP/$s.xl2tpd.log")"
done
t_pass "SI-1, SI-2 and SI-3: PPP up over L2TPv2, IPv6CP done"

# nv2 NS: the SC's IPv4 (xl2tpd's) tunnels, from ip l2tp: the CLI needs
# the module, and this counts without it too.
nv2() { ip -n "$1" l2tp show tunnel | grep -c "From $SC to"; }

# tunnels_v2 NS: "tunnel_id peer_tunnel_id peer session_id peer_session_id"
# per L2TPv2 tunnel of NS.
tunnels_v2()
{
	cli "$1" -j tunnel show | python3 -c '
import json, sys
for t in json.load(sys.stdin)["tunnels"]:
    if t["version"] != 2:
        continue
    s = [x for x in t["sessions"] if x["session_id"]]
    print(t["tunnel_id"], t["peer_tunnel_id"], t.get("peer", "?"),
          s[0]["session_id"] if s else 0, s[0]["peer_session_id"] if s else 0)'
}
expect "SC: three xl2tpd tunnels" "$(poll_output 10 3 nv2 "$sc")" 3
# SI-1's and SI-3's tunnels at the SC have one peer, NAT:1701; what tells
# them apart is the tunnel ID each SI assigned (the SC's peer tunnel ID).
# sc_tunnel SI: "T PT S PS" of SI's tunnel at the SC.
sc_tunnel()
{
	local own

	read -r own _ < <(tunnels_v2 "demo-$1")
	tunnels_v2 "$sc" | awk -v p="${own:-x}" '$2 == p { print $1, $2, $4, $5 }'
}
read -r T1 PT1 S1 PS1 < <(sc_tunnel si1)
read -r T2 _ _ _ < <(sc_tunnel si2)
read -r T3 _ _ _ < <(sc_tunnel si3)
expect "SC: SI-1's and SI-3's tunnels both from $NATIP:1701, SI-2's from $SI2:1701" \
	"$(tunnels_v2 "$sc" | awk '{ print $3 }' | sort | tr '\n' ' ')" \
	"$NATIP:1701 $NATIP:1701 $SI2:1701 "

# Bound? The SC's agent binds each xl2tpd tunnel (its traffic was seen),
# the two behind the NAT with their tunnel's socket and CHILD_SA's mark.
# bound_v2 NS: "peer v2-tunnel-id steering" of the agent's tunnel
# bindings in NS, steering "socket out-mark" or "-".
bound_v2()
{
	cli "$1" -j binding show | python3 -c '
import json, sys
for b in json.load(sys.stdin)["bindings"]:
    if b.get("owner") == 1278361927 and b["peer"] != "any" and b.get("version") == 2:
        st = "socket out-mark" if b.get("sock_inode") and b.get("out_mark") else "-"
        print(b["peer"], b.get("v2_tunnel_id"), st)' | sort
}
want_b=$(printf '%s\n' "$NATIP:1701 ${T1:-?} socket out-mark" "$NATIP:1701 ${T3:-?} socket out-mark" \
	"$SI2:1701 ${T2:-?} -" | sort)
expect "SC: the agent bound the three tunnels, each pinned to its own tunnel ID; SI-1's and SI-3's with their own socket and mark" \
	"$(poll_output 30 "$want_b" bound_v2 "$sc")" "$want_b"
# out_marks NS: the out-marks of NS's bindings, sorted.
out_marks()
{
	cli "$1" -j binding show | python3 -c '
import json, sys
for b in json.load(sys.stdin)["bindings"]:
    if b.get("out_mark"):
        print(int(str(b["out_mark"]), 0))' | sort -n | tr '\n' ' '
}
expect "SC: the two bindings' out-marks are the marks of SI-1's and SI-3's CHILD_SAs" \
	"$(out_marks "$sc")" \
	"$(awk '$2 != 0 { print $2 }' <<< "$nat_sas" | sort -n | tr '\n' ' ')"

# Traffic: every SI pings the SC and the SC pings every SI, all at once,
# each echo counted on the SC's ppp device it arrived on: each SI's
# echoes in its own PPP session only (RFC 3193 section 3.3: each tunnel
# its own SA), none in another's.
# sc_ppp ID: the SC's ppp device whose peer is fe80::ID.
sc_ppp()
{
	local d

	for d in $(n "$sc" ip -o link show type ppp | awk -F': ' '{ print $2 }'); do
		if n "$sc" ip -6 addr show dev "$d" | grep -q "peer fe80::$1/" ||
			n "$sc" ip -6 route show dev "$d" | grep -q "^fe80::$1 "; then
			echo "$d"
			return 0
		fi
	done
	return 1
}
# sess_watch: counters "DEV_ID" of ICMPv6 echoes from fe80::ID arriving on
# the SC's ppp device DEV, for every device and every SI.
sess_watch()
{
	local dev id

	{
		echo "table netdev demo_sess {"
		for dev in $(n "$sc" ip -o link show type ppp | awk -F': ' '{ print $2 }'); do
			for id in 11 12 13; do
				echo "	counter ${dev}_$id { }"
			done
			echo "	chain $dev { type filter hook ingress device $dev priority 0;"
			for id in 11 12 13; do
				echo "		ip6 saddr fe80::$id icmpv6 type { echo-request, echo-reply } counter name ${dev}_$id"
			done
			echo "	}"
		done
		echo "}"
	} | n "$sc" nft -f -
}
# sess_rx ID: "DEV:COUNT" of echoes from fe80::ID per SC ppp device.
sess_rx()
{
	local dev

	for dev in $(n "$sc" ip -o link show type ppp | awk -F': ' '{ print $2 }'); do
		printf '%s:%s ' "$dev" "$(nft_count "$sc" netdev demo_sess "${dev}_$1")"
	done
}
# received FILE: "R/N" from a ping's summary.
received() { sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\2\/\1/p' "$1"; }
# two_ways [stock]: the pings, all at once; with the module their result
# lines; the report's traffic lines in ok6; in own[SI] the echoes that
# reached SI's own session at the SC.
declare -A own
two_ways()
{
	local s id dev pids=() want got d c name

	sess_watch
	for s in si1:11 si2:12 si3:13; do
		id=${s#*:} s=${s%:*}
		dev=$(sc_ppp "$id") || dev=none
		eval "dev_$s=$dev"
		n "demo-$s" ping -6 -q -c $N -i 0.2 -W 3 "fe80::1%ppp0" > "$DP_TMP/$s.ping" 2>&1 &
		pids+=($!)
		n "$sc" ping -6 -q -c $N -i 0.2 -W 3 "fe80::$id%$dev" > "$DP_TMP/sc-$s.ping" 2>&1 &
		pids+=($!)
	done
	wait "${pids[@]}"
	ok6=""
	for s in si1:11 si2:12 si3:13; do
		id=${s#*:} s=${s%:*} name=SI-${s#si}
		eval "dev=\$dev_$s"
		got=$(sess_rx "$id")
		own[$s]=$(tr ' ' '\n' <<< "$got" | sed -n "s/^$dev://p")
		ok6+="$name $(received "$DP_TMP/$s.ping") $(received "$DP_TMP/sc-$s.ping"), at the SC ${got% } | "
		[ "${1:-}" != stock ] || continue
		expect "$name: ping6 to the SC and from it through its softwire, all SIs at once" \
			"$(received "$DP_TMP/$s.ping") $(received "$DP_TMP/sc-$s.ping")" "$N/$N $N/$N"
		want=$(for d in $(n "$sc" ip -o link show type ppp | awk -F': ' '{ print $2 }'); do
			if [ "$d" = "$dev" ]; then c=$((2 * N)); else c=0; fi
			printf '%s:%s ' "$d" "$c"
		done)
		expect "$name: its $((2 * N)) echoes in its own PPP session at the SC ($dev), none in another" \
			"$got" "$want"
	done
	ok6=${ok6% | }
	n "$sc" nft delete table netdev demo_sess
}
two_ways

# --- App. A.2 -----------------------------------------------------------------
step "App. A.2: static L2TPv3 tunnel over IPv6, SI-2 [$SI26] to the SC [$SC6]"
ike_wait_sa "$sc" $SC6 || t_fail "IKE over IPv6: the CHILD_SA of SI-2's [peer sc-v6]" \
	"$(tail -3 "$IKE_DIR/$si2/agent.log")"
ike_wait_sa "$si2" $SI26 || true
# "l2tp-ipsec tunnel add": the tunnel, its session, its binding pinned to
# the reqid of charon's CHILD_SA and its filters; where charon's own filter
# for the CHILD_SA has a filter's selector (1701 <-> 1701), that one is
# left to charon.
for s in sc si2; do
	if [ $s = sc ]; then me=$SC6 peer=$SI26 a=1; else me=$SI26 peer=$SC6 a=2; fi
	read -r rq _ < <(ike_sas "demo-$s" "$me" | head -1)
	cli "demo-$s" tunnel add local "[$me]:1701" peer "[$peer]:1701" tunnel-id 100 \
		peer-tunnel-id 100 session-id 100 peer-session-id 100 ifname l2tpv6 reqid "${rq:-0}" \
		> "$DP_TMP/tunnel-add.$s" 2>&1 ||
		t_fail "${s^^}: l2tp-ipsec tunnel add (IPv6, keyed by IKEv2)" "$(cat "$DP_TMP/tunnel-add.$s")"
	ipb "demo-$s" <<-EOF
		link set l2tpv6 up
		addr add 192.168.60.$a/24 dev l2tpv6
	EOF
done
if n "$si2" ping -q -c 3 -i 0.3 -W 3 192.168.60.1 > "$DP_TMP/v6.ping" 2>&1; then
	t_pass "SI-2: ping 192.168.60.1 (the SC) over L2TPv3 over ESP over IPv6"
	ok4="SI-2 $(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$DP_TMP/v6.ping")/3"
else
	t_fail "SI-2: ping 192.168.60.1 (the SC) over L2TPv3 over ESP over IPv6" "$(cat "$DP_TMP/v6.ping")"
	ok4="SI-2 FAILED"
fi
# v6_bound NS PEER: "peer version" of the agent's binding of PEER in NS.
v6_bound()
{
	cli "$1" -j binding show | python3 -c '
import json, sys
for b in json.load(sys.stdin)["bindings"]:
    if b["peer"] == sys.argv[1]:
        print(b["peer"], "version", b.get("version"), "reqid", b.get("reqid") is not None)' "$2"
}
for s in sc si2; do
	if [ $s = sc ]; then peer="[$SI26]:1701"; else peer="[$SC6]:1701"; fi
	want="$peer version 3 reqid True"
	expect "${s^^}: tunnel add bound the IPv6 tunnel to charon's SA (version 3, its reqid)" \
		"$(poll_output 20 "$want" v6_bound "demo-$s" "$peer")" "$want"
done

# --- what was set up ---------------------------------------------------------
step "what was set up"
say "  PAD (the SC's [peer] sections, loaded into its charon):"
awk '/^\[peer/ { if (s) print s; s = $0 } /^(remote_id|auth|remote_addrs)/ { s = s " " $0 }
	END { print s }' "$IKE_DIR/$sc/agent.conf" | indent
for s in si1 si2 si3; do
	say "  PAD of ${s^^}:"
	awk '/^\[peer/ { if (s) print s; s = $0 } /^(remote_id|auth|remote_addrs)/ { s = s " " $0 }
		END { print s }' "$IKE_DIR/demo-$s/agent.conf" | indent
done
say "  charon's IKE_SAs at the SC (swanctl --list-sas):"
swan "$sc" --list-sas 2>/dev/null | grep -E '^[a-z0-9-]+: #|remote |local |l2tp_spd_entry|  in |  out ' |
	sed 's/^ *//' | indent
say "  SPD at the SC (ip xfrm policy; charon's per-CHILD_SA entries and any of the agent's):"
ip -n "$sc" xfrm policy | awk '
	function flush() { if (sel != "") print dir " " sel (t ? " => " t : " (no template)") "  [priority " pri "]"; sel = ""; t = "" }
	/^src/ { flush(); sel = $0; sub(/ *$/, "", sel) }
	/^[ \t]*(dir|socket) / { if ($1 == "socket") { sock++; sel = "" } else { dir = $2; pri = $4 } }
	/tmpl/ { t = "" }
	/proto esp/ { t = "ESP " ($0 ~ /mode transport/ ? "transport" : "") }
	/reqid/ { for (i = 1; i <= NF; i++) if ($i == "reqid") t = t " reqid " $(i + 1) }
	END { flush(); if (sock) print "+ " sock " per-socket bypass entries (charon'"'"'s IKE sockets)" }' | indent
say "  SAs at the SC (ip xfrm state):"
ip -n "$sc" xfrm state | awk '/^src/ { s = $0 } /proto esp spi/ { print s ", " $3 " " $4 " " $5 " " $6 " " $7 " " $8 }
	/encap type/ { print "    " $0 }' | indent
say "  tunnels and bindings at the SC (l2tp-ipsec show vici $(ike_socket "$sc")):"
cli "$sc" show vici "$(ike_socket "$sc")" | indent
# identities NS: the IKE identity of each tunnel's SA, by tunnel ID.
identities()
{
	cli "$1" -j show vici "$(ike_socket "$1")" | python3 -c '
import json, sys
for t in sorted(json.load(sys.stdin)["tunnels"], key=lambda t: t["tunnel_id"]):
    print(t["tunnel_id"], (t.get("sa") or {}).get("identity", "-"))'
}
want_id=$(printf '%s\n' "${T1:-?} si1.example" "${T2:-?} si2.example" "${T3:-?} si3.example" \
	"100 si2-v6.example" |
	sort -n | tr '\n' ' ')
expect "SC: show -j lists each tunnel with the identity of its peer" \
	"$(identities "$sc" | tr '\n' ' ')" "$want_id"
say ""
say "Traffic (received/sent: SI to SC, SC to SI; echoes per SC ppp device):"
tr '|' '\n' <<< "$ok6" | sed 's/^ *//' | indent
say "  IPv4 over the A.2 tunnel: $ok4"

# --- the attacks --------------------------------------------------------------
# SI-1's own SA with source port 1702 (attack 2): SI-1, compromised, adds
# an SPD entry that sends its port 1702 through its CHILD_SA's reqid.
R1=$(ip -n "$si1" xfrm state list src $SI1 dst $SC proto esp | sed -n 's/.*reqid \([0-9]*\) .*/\1/p' | head -1)
ip -n "$si1" xfrm policy add src $SI1 dst $SC proto udp sport 1702 dport 1701 dir out \
	priority 1 tmpl src $SI1 dst $SC proto esp mode transport reqid "${R1:-0}"

# What reached what at the SC: the attack packets' PPP frames (body
# "l2tp", tests/tools/l2tp-udp.py) on the SC's ppp devices, and the
# datagrams the SC's xl2tpd read.
ppp_watch()
{
	local dev

	n "$sc" nft delete table netdev demo_ppp 2> /dev/null
	{
		echo "table netdev demo_ppp {"
		echo "	counter rx { }"
		for dev in $(n "$sc" ip -o link show type ppp | awk -F': ' '{ print $2 }'); do
			echo "	chain $dev { type filter hook ingress device $dev priority 0; @nh,0,32 0x6c327470 counter name rx; }"
		done
		echo "}"
	} | n "$sc" nft -f -
}
ppp_rx() { nft_count "$sc" netdev demo_ppp rx; }
# xl2tpd_read SRC SIZE TUNNEL: datagrams from SRC of SIZE bytes with
# TUNNEL in the header that the SC's xl2tpd read.
xl2tpd_read() { grep -c "recv packet from $1, size = $2, tunnel = $3," "$DP_TMP/sc.xl2tpd.log"; }
ppp_watch

atk_1() { send "$atk" $NATIP 1701 $SC 1701 v2 "$T1" "$S1" --count $N > /dev/null; }
atk_2() { send "$si1" $SI1 1702 $SC 1701 v2 "$T1" "$S1" --count $N > /dev/null; }
atk_3() { send "$si1" $SI1 1701 $SC 1701 v2 "$T2" "$S1" --count $N > /dev/null; }
atk_4() { send "$si3" $SI3 1701 $SC 1701 v2 "$T1" "$S1" --count $N > /dev/null; }
ns_stop=4
atk_5() { send "$si2" $SI2 1701 $SC 1701 stopccn "$T1" "$PT1" "$ns_stop" > /dev/null; }
declare -a mod_v mod_c stock_v
what=(""
	"cleartext into SI-1's tunnel, the NAT's address spoofed"
	"wrong source port: SI-1's own SA, port 1702"
	"wrong tunnel ID: SI-1's own SA and ports, SI-2's ID"
	"SI-1's IDs through SI-3's SA (same NAT, same ports)"
	"StopCCN for SI-1's tunnel through SI-2's own SA")
# Attack 4 comes in through SI-3's SA with SI-1's 4-tuple: of the two
# bindings on that 4-tuple the SA picks SI-3's, whose tunnel ID it lacks.
verdict=("" "dropped_cleartext+$N" "dropped_tunnel_id+$N" "dropped_tunnel_id+$N"
	"dropped_tunnel_id+$N" "dropped_tunnel_id+1")
# Where each goes on the stock kernel, and what is measured there.
# reached K: "ppp P, xl2tpd X" for attack K.
reached()
{
	local x=0

	case $1 in
	1|2|4) x=$(xl2tpd_read $NATIP 25 "$T1") ;;
	3) x=$(xl2tpd_read $NATIP 25 "$T2") ;;
	5) x=$(xl2tpd_read $SI2 36 "$T1") ;;
	esac
	echo "$(ppp_rx) $x"
}
# drops DELTA: the dropped_* and audited terms of a delta.
drops()
{
	local t out=""

	for t in $1; do
		case $t in
		dropped_*|audited*) out+="$t " ;;
		esac
	done
	out=${out% }
	echo "${out:-none}"
}
# wait_drops BEFORE WANT: the drops in the SC since BEFORE, once WANT (<= 10 s).
wait_drops()
{
	local i got

	for i in $(seq 100); do
		got=$(drops "$(delta "$1" "$(snap "$sc")")")
		[ "$got" = "$2" ] && break
		sleep 0.1
	done
	echo "$got"
}

say ""
say "Attacks with l2tp_ipsec loaded ($N packets each, the StopCCN 1):"
printf '  %-2s %-56s %-9s %s\n' "#" "attack" "verdict" "counter that moved (SC)"
for k in 1 2 3 4 5; do
	b=$(snap "$sc")
	read -r p0 x0 < <(reached $k)
	"atk_$k"
	got=$(wait_drops "$b" "${verdict[k]}")
	sleep 0.5
	read -r p1 x1 < <(reached $k)
	d=$(((p1 - p0) + (x1 - x0)))
	if [ "$got" = "${verdict[k]}" ] && [ $d = 0 ]; then v=blocked; else v=PASSED; fi
	printf '  %-2s %-56s %-9s %s\n' $k "${what[k]}" "$v" "$got"
	mod_v[k]=$v mod_c[k]=$got
	expect "with l2tp_ipsec, attack $k (${what[k]}): blocked, ${verdict[k]}" \
		"$got, delivered $d" "${verdict[k]}, delivered 0"
done
expect "with l2tp_ipsec: SI-1's tunnel survived the StopCCN, PPP up" \
	"$(nv2 "$sc") $(ppp6_up "$si1" && echo up)" "3 up"
for s in si1 si3; do
	t_check "with l2tp_ipsec: ping6 through ${s^^}'s softwire after the attacks" \
		quiet n "demo-$s" ping -6 -q -c 2 -i 0.3 -W 3 "fe80::1%ppp0"
done

say ""
say "The same attacks on the stock kernel (rmmod l2tp_ipsec):"
mod_unload || t_fail "rmmod l2tp_ipsec" "it stays loaded"
printf '  %-2s %-56s %-9s %s\n' "#" "attack" "verdict" "what the SC did with it"
# Where each gets to without the module (measured, 6.1 and xl2tpd 1.3.18):
# 1 refused by the inbound SPD (ESP required); 2 read by xl2tpd (its
# listening socket); 3 and 4 taken by the kernel for one of the two
# tunnels on NAT:1701 (by the order the kernel finds their sockets in;
# 6.1 ignores the header's tunnel ID), and there into SI-1's PPP session
# or, where that tunnel has no such session, up to xl2tpd: nothing
# refuses them; 5 read by xl2tpd, which closes SI-1's control connection
# (if that tunnel has not timed out already, see t1_alive).
stock_want=("" "refused" "passed" "passed" "passed" "passed")
# The softwires first: the kernel gives NAT:1701 to one of the two
# tunnels behind the NAT, by the order it finds their sockets in, and
# there the other SI's session IDs are unknown: its packets go up to
# xl2tpd.
two_ways stock
say "  the softwires, all at once (received/sent: SI to SC, SC to SI; echoes per SC ppp device):"
tr '|' '\n' <<< "$ok6" | sed 's/^ *//' | indent
lost=""
[ "${own[si1]:-0}" = $((2 * N)) ] || lost+="SI-1 "
[ "${own[si3]:-0}" = $((2 * N)) ] || lost+="SI-3 "
# Measured: which of the two loses what depends on the order the kernel
# found their sockets in; one run lost SI-1's echoes both ways and the
# SC's echoes to SI-3 (SI-1 0/5 1/5, SI-3 5/5 0/5).
expect "stock kernel: the tunnels behind the NAT lose traffic (not every echo in its own session)" \
	"$(($(wc -w <<< "$lost") >= 1))" 1
expect "stock kernel: SI-2's softwire (an address of its own) carries its traffic" \
	"${own[si2]:-0}" $((2 * N))
# t1_alive: SI-1's tunnel still at the SC. Without the module the SC's
# control messages to the SIs behind the NAT leave unmarked, and the SPD
# holds them: at their first Hello (60 s) the two tunnels time out.
t1_alive() { ip -n "$sc" l2tp show tunnel tunnel_id "$T1" | grep -q '^Tunnel'; }
# t1_closed: 1 once the SC's xl2tpd closed SI-1's control connection on a
# StopCCN since line l0 of its log (not on a timeout), else 0.
t1_closed()
{
	tail -n +$((l0 + 1)) "$DP_TMP/sc.xl2tpd.log" | grep -v '(Timeout)' |
		grep -q "Connection closed to $NATIP, port 1701 .*Local: $T1," && echo 1 || echo 0
}
l0=$(wc -l < "$DP_TMP/sc.xl2tpd.log")
for k in 1 2 3 4 5; do
	read -r p0 x0 < <(reached $k)
	m0=$(mib "$sc" xfrm_stat XfrmInTmplMismatch)
	gone=""
	if [ $k != 5 ]; then
		"atk_$k"
	elif ! t1_alive; then
		gone=1
	else
		l0=$(wc -l < "$DP_TMP/sc.xl2tpd.log")
		"atk_$k"
		sleep 1
		got=$(tail -n +$((l0 + 1)) "$DP_TMP/sc.xl2tpd.log" |
			sed -n 's/.*out of order control packet on tunnel .* expected \([0-9]*\)).*/\1/p' | tail -n 1)
		if [ -n "$got" ]; then
			ns_stop=$got
			"atk_$k"
		fi
		poll_output 10 1 t1_closed > /dev/null
	fi
	sleep 1
	read -r p1 x1 < <(reached $k)
	m=$(($(mib "$sc" xfrm_stat XfrmInTmplMismatch) - m0))
	p=$((p1 - p0)) x=$((x1 - x0))
	case $k in
	1) if [ $m = $N ] && [ $p = 0 ] && [ $x = 0 ]; then v=refused; else v=passed; fi
	   note="charon's SPD entry wants ESP: XfrmInTmplMismatch +$m, delivered $((p + x))/$N" ;;
	2) if [ $x = $N ]; then v=passed; else v=refused; fi
	   note="read by the SC's xl2tpd: $x/$N (its listening socket)" ;;
	3|4) if [ $((p + x)) = $N ]; then v=passed; else v=refused; fi
	   note="into a PPP session of the SC: $p, up to xl2tpd: $x (of $N)" ;;
	5) closed=$(t1_closed)
	   if [ -n "$gone" ]; then
		   v=lost
		   note="not sent: SI-1's tunnel had timed out already (its control, unmarked, held)"
	   elif [ "$x" -ge 1 ] && [ "$closed" = 1 ]; then
		   v=passed
		   note="read by xl2tpd ($x), which closed SI-1's control connection (and its session)"
	   else
		   v=refused
		   note="read by xl2tpd ($x), SI-1's tunnel closed by it: $closed"
	   fi ;;
	esac
	printf '  %-2s %-56s %-9s %s\n' $k "${what[k]}" $v "$note"
	stock_v[k]=$v
	if [ $k = 5 ]; then
		expect "stock kernel, attack 5 (${what[5]}): passed, unless the tunnel was lost before" \
			"${v/lost/passed}" passed
	else
		expect "stock kernel, attack $k (${what[k]}): ${stock_want[k]}" "$v" "${stock_want[k]}"
	fi
done
mod_load || t_fail "insmod l2tp_ipsec again" "insmod failed"

say ""
say "Summary (l2tp_ipsec loaded | stock 6.1 kernel, same packets):"
printf '  %-2s %-56s %-30s %s\n' "#" "attack" "with l2tp_ipsec (counter)" "stock kernel"
for k in 1 2 3 4 5; do
	printf '  %-2s %-56s %-30s %s\n' $k "${what[k]}" "${mod_v[k]:-?} (${mod_c[k]:-?})" "${stock_v[k]:-?}"
done
say ""
step "done"
if [ "$T_FAILED" -eq 0 ]; then
	say "Result: the three softwires carried traffic at once, SI-1's and SI-3's from"
	say "behind one NAT each in its own tunnel; all 5 attacks were blocked by l2tp_ipsec"
	say "and counted; on the stock kernel 4 of them got through (one refused by the SPD)."
	exit 0
fi
say "Result: FAILED: $T_FAILED checks (the lines marked !! above)"
exit 1
