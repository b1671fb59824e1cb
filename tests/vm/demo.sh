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
#   | eth0 10.1.0.2 ------- eth1 10.1.0.1      |
#   | ppp0 fe80::11    |   | eth0 10.0.0.1     |   MASQUERADE: charon
#   +------------------+   +---------+---------+   floats to UDP 4500
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
# charon and l2tp-ipsec agent in sc, si1 and si2. App. A.1: IPv6 over PPP
# over L2TPv2 (xl2tpd, kernel mode) over ESP transport over IPv4, SI-1 and
# SI-2 to the SC. App. A.2: IPv4 over a static L2TPv3 Ethernet tunnel
# ("l2tp-ipsec tunnel add") over ESP transport over IPv6, SI-2 to the SC.
#
# Attacks, each with l2tp_ipsec and then on the stock kernel (rmmod):
#   1. cleartext L2TPv2 data into SI-1's tunnel, the NAT's address spoofed;
#   2. wrong source port: SI-1's own SA, source port 1702;
#   3. wrong tunnel ID: SI-1's own SA and ports, SI-2's tunnel ID;
#   4. a StopCCN into SI-1's tunnel, carried by SI-2's own SA (SI-2 is a
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

sw=demo-sw nat=demo-nat sc=demo-sc si1=demo-si1 si2=demo-si2 atk=demo-atk
NATIP=10.0.0.1 SC=10.0.0.2 SI2=10.0.0.3 SI1=10.1.0.2
SC6=2001:db8::2 SI26=2001:db8::3
N=5
PSK6=0x64656d6f2073693220697076362070736b2121
P=$IKE_DIR/pki
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
	local ns f dst

	set +e
	if [ -n "${L2TP_IPSEC_RESULTS:-}" ]; then
		dst=${L2TP_IPSEC_RESULTS%/*}/demo
		mkdir -p "$dst"
		for f in "$DP_TMP"/*.log "$DP_TMP"/*.conf; do
			[ -f "$f" ] && cp "$f" "$dst/"
		done
	fi
	# bash would report every job killed here.
	exec 2> /dev/null
	for ns in "$si1" "$si2" "$sc"; do
		ip netns pids "$ns" | xargs -r kill -9
	done
	ike_cleanup
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
step "namespaces: SI-1 behind a NAT router (MASQUERADE), SI-2, the SC, an attacker"
lan -6 "$sw" "$nat" "$sc" "$si2" "$atk"
mkns "$si1"
ip link add eth0 netns "$si1" type veth peer name eth1 netns "$nat"
ipb "$si1" <<-EOF
	addr add $SI1/24 dev eth0
	link set eth0 up
	route add default via 10.1.0.1
EOF
ipb "$nat" <<-EOF
	addr add 10.1.0.1/24 dev eth1
	link set eth1 up
EOF
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
for ns in "$sc" "$si1" "$si2"; do
	n "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.default.router_solicitations=0
done
t_check "SI-1 reaches the SC through the NAT" quiet n "$si1" ping -q -c 1 -W 5 $SC

step "certificates with strongSwan's pki: a CA, sc.example, si1.example, si2.example (RSA 2048)"
ike_pki sc si1 si2 2> "$DP_TMP/pki.log" || fatal "pki makes the certificates" "pki failed"

step "charon in sc, si1 and si2 (own strongswan.conf, VICI socket, mount namespace)"
for ns in "$sc" "$si1" "$si2"; do
	ike_start "$ns" || fatal "charon starts in $ns" "see above"
done
t_pass "charon runs in sc, si1 and si2, each with its own VICI socket"

# --- the agents' configurations ---------------------------------------------
# pubkey PEER-SECTION-NAME REMOTE_ID LOCAL: a [peer] with certificates.
pubkey()
{
	printf '[peer %s]\nremote_id = %s\nauth = pubkey\nlocal_id = %s.example\n' "$1" "$2" "$3"
	printf 'local_cert = %s\nlocal_key = %s\nca_cert = %s\n' "$P/$3.pem" "$P/$3.key" "$P/ca.pem"
}
# agent_conf NS ROLE LOCAL... -- SECTION-LINES...
agent_conf()
{
	local ns=$1 role=$2 a

	shift 2
	mkdir -p "$IKE_DIR/$ns"
	{
		printf '[agent]\nrole = %s\nvici_socket = %s\n' "$role" "$(ike_socket "$ns")"
		while [ "$1" != -- ]; do
			printf 'local = %s\n' "$1"
			shift
		done
		shift
		printf '%s\n' "$@"
	} > "$IKE_DIR/$ns/agent.conf"
}
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

agent_conf "$sc" lns $SC $SC6 -- \
	"$(pubkey si1 si1.example sc)" \
	"$(pubkey si2 si2.example sc)" \
	"[peer si2-v6]" "remote_id = si2-v6.example" "auth = psk" "psk = $PSK6" \
	"local_id = sc-v6.example"
agent_conf "$si1" lac $SI1 -- "$(lac_agent_keys si1)" \
	"$(pubkey sc sc.example si1)" "remote_addrs = $SC" "$(lac_keys)"
agent_conf "$si2" lac $SI2 $SI26 -- "$(lac_agent_keys si2)" \
	"$(pubkey sc sc.example si2)" "remote_addrs = $SC" "$(lac_keys)" \
	"[peer sc-v6]" "remote_id = sc-v6.example" "remote_addrs = $SC6" "auth = psk" \
	"psk = $PSK6" "local_id = si2-v6.example"
for ns in "$sc" "$si1" "$si2"; do
	sed -i '/^$/d' "$IKE_DIR/$ns/agent.conf"
done

# --- xl2tpd and pppd ---------------------------------------------------------
# IPv6 only over PPP (noip, +ipv6), interface identifiers ::1 on the SC,
# ::11 on SI-1, ::12 on SI-2. debug network: the SC's xl2tpd logs one
# "recv packet from ADDR, port PORT" per datagram it reads, which is how
# the demo sees what reached it.
ppp_opts()
{
	cat > "$DP_TMP/$1.ppp" <<-EOF
		noauth
		nodefaultroute
		noccp
		noip
		+ipv6
		ipv6 $2
		lcp-echo-interval 0
		mtu 1400
		mru 1400
	EOF
}
ppp_opts sc "::1,"
ppp_opts si1 "::11,::1"
ppp_opts si2 "::12,::1"
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
for s in si1 si2; do
	if [ $s = si1 ]; then a=$SI1; else a=$SI2; fi
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
step "xl2tpd (kernel mode) in sc, si1, si2; LACs with autodial = no (dialled once IPsec is up)"
for s in sc si1 si2; do
	spawn "demo-$s" "$DP_TMP/$s.xl2tpd.log" xl2tpd -D -c "$DP_TMP/$s.conf" \
		-p "$DP_TMP/$s.pid" -C "$DP_TMP/$s.ctl"
done
for s in sc si1 si2; do
	for i in $(seq 100); do [ -p "$DP_TMP/$s.ctl" ] && break; sleep 0.1; done
done

# --- the agents, IKE -------------------------------------------------------
step "l2tp-ipsec agent in sc, si1, si2: PAD into charon; the SIs initiate their CHILD_SAs"
# The concentrator first: an SI that initiates before the SC's charon has
# its connection is refused ("no IKE config found"), and a LAC's agent
# does not initiate again by itself.
for ns in "$sc" "$si1" "$si2"; do
	spawn "$ns" "$IKE_DIR/$ns/agent.log" "$DP_CLI" agent -v -c "$IKE_DIR/$ns/agent.conf"
	eval "agent_${ns#demo-}=$spawned"
	[ "$ns" != "$sc" ] || ike_wait_log "$sc" "PAD loaded into charon: 3 of 3" 30 || true
done
for ns in "$sc:3" "$si1:1" "$si2:2"; do
	ike_wait_log "${ns%:*}" "PAD loaded into charon: ${ns#*:} of ${ns#*:}" 30 &&
		t_pass "${ns%:*}: the agent loads its PAD (${ns#*:} peers) into charon" ||
		t_fail "${ns%:*}: the agent loads its PAD (${ns#*:} peers) into charon" \
			"$(tail -5 "$IKE_DIR/${ns%:*}/agent.log")"
done
ok_sa=1
ike_wait_sa "$sc" $SC 2 || ok_sa=0
ike_wait_sa "$si1" $SI1 || ok_sa=0
ike_wait_sa "$si2" $SI2 || ok_sa=0
[ $ok_sa = 1 ] || fatal "IKE: CHILD_SAs of SI-1 and SI-2 with the SC" \
	"$(tail -3 "$IKE_DIR"/*/agent.log)"
t_pass "IKE: the CHILD_SAs l2tp_spd_entry of SI-1 and SI-2 with the SC"
step "IKEv2 done: CHILD_SAs of SI-1 (through the NAT) and SI-2 with the SC"
expect "SI-1's SA at the SC: from the NAT's address, ESP in UDP 4500 (NAT-T)" \
	"$(ip -n "$sc" xfrm state list src $NATIP proto esp | grep -c 'encap type espinudp sport 4500')" 1
expect "the NAT router translated SI-1's IKE and ESP (its masquerade counter moved)" \
	"$(n "$nat" nft list chain ip nat post | grep -c 'packets 0 ')" 0

if [ $dial = demo ]; then
	for s in si1 si2; do
		echo "c sc" > "$DP_TMP/$s.ctl"
	done
fi
step "L2TP: the LACs dialled by the $dial; PPP with IPv6CP on each"
for s in si1 si2; do
	ppp6_up "demo-$s" || fatal "${s^^}: ppp0 up with an IPv6 link-local address" \
		"$(tail -5 "$DP_TMP/$s.xl2tpd.log")"
done
t_pass "SI-1 and SI-2: PPP up over L2TPv2, IPv6CP done"

ok6=""
for s in si1 si2; do
	if n "demo-$s" ping -6 -q -c 3 -i 0.3 -W 3 "fe80::1%ppp0" > "$DP_TMP/$s.ping" 2>&1; then
		t_pass "${s^^}: ping6 fe80::1%ppp0 (the SC) through the softwire"
		ok6+="${s^^} $(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$DP_TMP/$s.ping")/3 "
	else
		t_fail "${s^^}: ping6 fe80::1%ppp0 (the SC) through the softwire" "$(cat "$DP_TMP/$s.ping")"
		ok6+="${s^^} FAILED "
	fi
done

# nv2 NS: the SC's IPv4 (xl2tpd's) tunnels, from ip l2tp: the CLI needs
# the module, and this counts without it too.
nv2() { ip -n "$1" l2tp show tunnel | grep -c "From $SC to"; }

# Bound? The SC's agent binds each xl2tpd tunnel (its traffic was seen).
# tunnels_json NS: "tunnel_id peer_tunnel_id peer session_id peer_session_id"
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
# bound_v2 NS: "peer v2-tunnel-id" of the agent's tunnel bindings in NS.
bound_v2()
{
	cli "$1" -j binding show | python3 -c '
import json, sys
for b in sorted(json.load(sys.stdin)["bindings"], key=lambda b: b["peer"]):
    if b.get("owner") == 1278361927 and b["peer"] != "any" and b.get("version") == 2:
        print(b["peer"], b.get("v2_tunnel_id"))'
}
expect "SC: two xl2tpd tunnels" "$(poll_output 10 2 nv2 "$sc")" 2
read -r T1 PT1 _ S1 PS1 < <(tunnels_v2 "$sc" | grep " $NATIP:")
read -r T2 _ _ _ _ < <(tunnels_v2 "$sc" | grep " $SI2:")
want_b="$NATIP:1701 ${T1:-?}
$SI2:1701 ${T2:-?}"
expect "SC: the agent bound both xl2tpd tunnels, each pinned to its own tunnel ID" \
	"$(poll_output 20 "$want_b" bound_v2 "$sc")" "$want_b"

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
for s in si1 si2; do
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
want_id=$(printf '%s\n' "${T1:-?} si1.example" "${T2:-?} si2.example" "100 si2-v6.example" |
	sort -n | tr '\n' ' ')
expect "SC: show -j lists each tunnel with the identity of its peer" \
	"$(identities "$sc" | tr '\n' ' ')" "$want_id"
say ""
say "Traffic: ping6 through each softwire: $ok6; IPv4 over the A.2 tunnel: $ok4"

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
ns_stop=4
atk_4() { send "$si2" $SI2 1701 $SC 1701 stopccn "$T1" "$PT1" "$ns_stop" > /dev/null; }
declare -a mod_v mod_c stock_v
what=(""
	"cleartext into SI-1's tunnel, the NAT's address spoofed"
	"wrong source port: SI-1's own SA, port 1702"
	"wrong tunnel ID: SI-1's own SA and ports, SI-2's ID"
	"StopCCN for SI-1's tunnel through SI-2's own SA")
verdict=("" "dropped_cleartext+$N" "dropped_tunnel_id+$N" "dropped_tunnel_id+$N" "dropped_tunnel_id+1")
# Where each goes on the stock kernel, and what is measured there.
# reached K: "ppp P, xl2tpd X" for attack K.
reached()
{
	local x=0

	case $1 in
	1|2) x=$(xl2tpd_read $NATIP 25 "$T1") ;;
	3) x=$(xl2tpd_read $NATIP 25 "$T2") ;;
	4) x=$(xl2tpd_read $SI2 36 "$T1") ;;
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
for k in 1 2 3 4; do
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
	"$(nv2 "$sc") $(ppp6_up "$si1" && echo up)" "2 up"
t_check "with l2tp_ipsec: ping6 through SI-1's softwire after the attacks" \
	quiet n "$si1" ping -6 -q -c 2 -i 0.3 -W 3 "fe80::1%ppp0"

say ""
say "The same attacks on the stock kernel (rmmod l2tp_ipsec):"
mod_unload || t_fail "rmmod l2tp_ipsec" "it stays loaded"
printf '  %-2s %-56s %-9s %s\n' "#" "attack" "verdict" "what the SC did with it"
# Where each gets to without the module (measured, 6.1 and xl2tpd 1.3.18):
# 1 refused by charon's inbound SPD entry for SI-1 (ESP required);
# 2 read by xl2tpd (its listening socket); 3 into SI-1's PPP session (the
# kernel ignores the header's tunnel ID); 4 read by xl2tpd, which closes
# SI-1's tunnel.
stock_want=("" "refused" "passed" "passed" "passed")
l0=$(wc -l < "$DP_TMP/sc.xl2tpd.log")
for k in 1 2 3 4; do
	read -r p0 x0 < <(reached $k)
	m0=$(mib "$sc" xfrm_stat XfrmInTmplMismatch)
	"atk_$k"
	if [ $k = 4 ]; then
		sleep 1
		got=$(tail -n +$((l0 + 1)) "$DP_TMP/sc.xl2tpd.log" |
			sed -n 's/.*out of order control packet on tunnel .* expected \([0-9]*\)).*/\1/p' | tail -n 1)
		if [ -n "$got" ]; then
			ns_stop=$got
			"atk_$k"
		fi
		for i in $(seq 100); do
			[ "$(nv2 "$sc")" = 1 ] && break
			sleep 0.1
		done
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
	3) if [ $p = $N ]; then v=passed; else v=refused; fi
	   note="into a PPP session of the SC: $p/$N (6.1 ignores the tunnel ID)" ;;
	4) closed=$(tail -n +$((l0 + 1)) "$DP_TMP/sc.xl2tpd.log" | grep -c "Connection closed to $NATIP")
	   if [ "$x" -ge 1 ] && [ "$closed" -ge 1 ] && [ "$(nv2 "$sc")" = 1 ]; then
		   v=passed
	   else
		   v=refused
	   fi
	   note="read by xl2tpd ($x), which closed SI-1's tunnel: xl2tpd tunnels left $(nv2 "$sc")" ;;
	esac
	printf '  %-2s %-56s %-9s %s\n' $k "${what[k]}" $v "$note"
	stock_v[k]=$v
	expect "stock kernel, attack $k (${what[k]}): ${stock_want[k]}" "$v" "${stock_want[k]}"
done
mod_load || t_fail "insmod l2tp_ipsec again" "insmod failed"

say ""
say "Summary (l2tp_ipsec loaded | stock 6.1 kernel, same packets):"
printf '  %-2s %-56s %-30s %s\n' "#" "attack" "with l2tp_ipsec (counter)" "stock kernel"
for k in 1 2 3 4; do
	printf '  %-2s %-56s %-30s %s\n' $k "${what[k]}" "${mod_v[k]:-?} (${mod_c[k]:-?})" "${stock_v[k]:-?}"
done
say ""
step "done"
if [ "$T_FAILED" -eq 0 ]; then
	say "Result: both softwires carried traffic; all 4 attacks were blocked by l2tp_ipsec"
	say "and counted; on the stock kernel 3 of them got through (one refused by the SPD)."
	exit 0
fi
say "Result: FAILED: $T_FAILED checks (the lines marked !! above)"
exit 1
