#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The agent drives real strongSwan (charon, over VICI): the PAD of its
# configuration becomes charon's connections and keys (RFC 5619 section
# 3.5.4.1), a LAC brings its CHILD_SA up itself, the L2TP tunnel is bound to
# the SA charon made, a violation's log names the tunnel's IKE identity, a
# peer with an identity the PAD does not name gets no SA, a group PSK is
# refused, and a charon that restarts under the agent gets everything again.
#
#   sc (LNS, 10.1.0.1) ---- si (LAC, 10.1.0.2)
#
# One charon and one agent in each; certificates from pki at run time.

set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/lib.sh
. "$TOP/tests/lib.sh"
# shellcheck source=tests/datapath-lib.sh
. "$TOP/tests/datapath-lib.sh"
# shellcheck source=tests/ike-lib.sh
. "$TOP/tests/ike-lib.sh"
# shellcheck source=tests/xl2tpd-lib.sh
. "$TOP/tests/xl2tpd-lib.sh"
t_suite ike
[ -z "${IKE_TRACE:-}" ] || set -x

require_tools
ike_require
xl2tpd_require
trap ike_cleanup EXIT
mod_load

PSK=0x6c3274702d697073656320746573742070736b21
P=$IKE_DIR/pki

# conf NS ROLE LOCAL PEER-SECTION...: the agent's configuration for NS.
conf()
{
	local ns=$1 role=$2 local=$3

	shift 3
	mkdir -p "$IKE_DIR/$ns"
	{
		printf '[agent]\nrole = %s\nlocal = %s\nvici_socket = %s\n' \
			"$role" "$local" "$(ike_socket "$ns")"
		printf '%s\n' "$@"
	} > "$IKE_DIR/$ns/agent.conf"
}

# agent_start NS: the agent in NS with its configuration, log in NS/agent.log.
agent_start()
{
	spawn "$1" "$IKE_DIR/$1/agent.log" "$DP_CLI" agent -v -c "$IKE_DIR/$1/agent.conf"
	eval "agent_$1=$spawned"
}


pair sc si
ike_pki

# --- a group PSK never reaches charon ---------------------------------------
conf bad lns 10.1.0.1 "[peer a]" "remote_id = a.example" "auth = psk" "psk = $PSK" \
	"[peer b]" "remote_id = b.example" "auth = psk" "psk = $PSK"
out=$("$DP_CLI" agent --check -c "$IKE_DIR/bad/agent.conf" 2>&1)
st=$?
expect "config: a group PSK is refused, exit 2, with file:line" \
	"$st $(echo "$out" | grep -c "agent.conf:12: psk of \\[peer b\\] is also \\[peer a\\]'s (line 8)")" "2 1"

# --- PSK: the PAD loaded, the LAC initiates, charon makes the SA -----------
ike_start sc || { t_fail "charon starts in sc" "see above"; exit 1; }
ike_start si || { t_fail "charon starts in si" "see above"; exit 1; }
t_pass "charon runs in sc and si, each with its own VICI socket"

# An operator's own connection: the agent must leave it alone.
ike_operator_conn sc || t_fail "sc: an operator's connection loaded" "swanctl --load-conns failed"
conf sc lns 10.1.0.1 \
	"[peer si]" "remote_id = si.example" "auth = psk" "psk = $PSK" "local_id = sc.example"
conf si lac 10.1.0.2 \
	"[peer sc]" "remote_id = sc.example" "remote_addrs = 10.1.0.1" "auth = psk" \
	"psk = $PSK" "local_id = si.example"
agent_start sc
ike_wait_log sc "PAD loaded into charon: 1 of 1" &&
	t_pass "sc: the agent loads its PAD into charon" ||
	t_fail "sc: the agent loads its PAD into charon" "$(tail -5 "$IKE_DIR/sc/agent.log")"
expect "sc: charon has the connection l2tp-ipsec-si, and the operator's" \
	"$(ike_conns sc | sort | tr '\n' ' ')" "l2tp-ipsec-si operator "
agent_start si
if ike_wait_sa si 10.1.0.2 && ike_wait_sa sc 10.1.0.1; then
	t_pass "si: the agent initiates; charon sets up the CHILD_SA l2tp_spd_entry"
else
	t_fail "si: the agent initiates; charon sets up the CHILD_SA l2tp_spd_entry" \
		"$(cat "$IKE_DIR/si/agent.log"; echo "-- si charon"; cat "$IKE_DIR/si/charon.log"; echo "-- sc charon"; cat "$IKE_DIR/sc/charon.log"; ip -n si xfrm state; ip -n si xfrm policy)"
fi
expect "sc: the kernel has the SA pair in transport mode" \
	"$(ip -n sc xfrm state | grep -c 'mode transport')" 2

# --- the base SPD, installed by the agent from its configuration -----------
# ours NS: the agent's filters in NS (its priorities, filters.h), one line
# each, without what the kernel numbers.
ours()
{
	ip -n "$1" xfrm policy | awk '
		/^(src|[0-9a-f:.]+\/)/ { if (p) print p; p = $0; next }
		{ p = p " " $0 }
		END { if (p) print p }' |
		grep -E 'priority (19506|12783[0-9]{5}) ' | sed 's/ index [0-9]*//; s/  */ /g' | sort
}
mkns spdref
cli spdref spd install role sc local 10.1.0.1 remote any nat-t
expect "sc: the agent installed the base SPD of RFC 5619 section 3.5.4 itself, as 'spd install role sc local 10.1.0.1 nat-t' does" \
	"$(ours sc | md5sum) $(ours sc | grep -c .)" "$(ours spdref | md5sum) $(ours spdref | grep -c .)"
cli spdref spd remove
cli spdref spd install role si local 10.1.0.2 remote 10.1.0.1 nat-t
# charon's own filters for its SA (udp/1701 both ways) have the selectors
# of two base lines of the SI: its update replaced them.
expect "si: the agent installed the base SPD itself; charon's filters for its SA took the place of the two 1701 <-> 1701 lines" \
	"$(ours si | grep -c .)" "$(($(ours spdref | grep -c .) - 2))"

# --- the tunnel is bound to charon's SA -------------------------------------
read -r reqid spi_in < <(ike_sas sc 10.1.0.1 | head -1)
ipb sc <<-EOF
	l2tp add tunnel tunnel_id 1 peer_tunnel_id 1 encap udp local 10.1.0.1 remote 10.1.0.2 udp_sport 1701 udp_dport 1701
	l2tp add session tunnel_id 1 session_id 10 peer_session_id 10
	link set l2tpeth0 up
	addr add 192.168.0.1/24 dev l2tpeth0
EOF
ipb si <<-EOF
	l2tp add tunnel tunnel_id 1 peer_tunnel_id 1 encap udp local 10.1.0.2 remote 10.1.0.1 udp_sport 1701 udp_dport 1701
	l2tp add session tunnel_id 1 session_id 10 peer_session_id 10
	link set l2tpeth0 up
	addr add 192.168.0.2/24 dev l2tpeth0
EOF
n si ping -c 3 -i 0.2 -W 2 192.168.0.1 > /dev/null 2>&1
if n si ping -c 3 -i 0.2 -W 2 192.168.0.1 > /dev/null 2>&1; then
	t_pass "ping through the L2TP tunnel over charon's SA"
else
	t_fail "ping through the L2TP tunnel over charon's SA" "no answer"
fi
bound=0
for i in $(seq 100); do
	cli sc binding show | grep -q "peer 10.1.0.2:1701 reqid $reqid " && bound=1 && break
	sleep 0.1
done
expect "sc: the tunnel is bound with the reqid of charon's CHILD_SA ($reqid)" "$bound" 1

# --- the identity of each tunnel, from charon, and after a crash ------------
# shown NS: what "show -j" says of each tunnel's state and SA (the binding's
# counters move with traffic; the identity must not).
shown()
{
	cli "$1" -j show vici "$(ike_socket "$1")" | python3 -c '
import json, sys
for t in json.load(sys.stdin)["tunnels"]:
    print(t["tunnel_id"], t["state"], json.dumps(t["sa"], sort_keys=True))'
}
before=$(shown sc)
expect "sc: show -j names the IKE identity of the peer whose CHILD_SA carries the tunnel" \
	"$(echo "$before" | grep -c '"identity": "si.example"')" 1
kill -9 "$agent_sc"
wait "$agent_sc" 2>/dev/null
agent_start sc
ike_wait_log sc "PAD loaded into charon" || true
expect "sc: after kill -9 and a restart of the agent, show -j says the same" \
	"$(shown sc)" "$before"

# --- a violation names the identities of its tunnel and SA -------------------
# Cleartext L2TP from si's tunnel address and port (a raw socket: no xfrm
# policy selects it) into sc's tunnel: dropped, and the agent's log line
# names the peer whose CHILD_SA the tunnel is bound to; no SA carried it.
monitor_start sc "$IKE_DIR/sc/monitor" -j monitor vici "$(ike_socket sc)" count 1 ||
	t_fail "sc: monitor vici PATH joins the events group" "$(cat "$IKE_DIR/sc/monitor")"
send si 10.1.0.2 1701 10.1.0.1 1701 v3 10 02:00:00:00:00:02 --raw
ike_wait_log sc "violation cleartext dropped src 10.1.0.2:1701 dst 10.1.0.1:1701 binding [0-9]* tunnel-identity si.example sa-identity none" &&
	t_pass "sc: the log of a cleartext violation names the tunnel's IKE identity (si.example), and no SA's" ||
	t_fail "sc: the log of a cleartext violation names the tunnel's IKE identity (si.example), and no SA's" \
		"$(grep violation "$IKE_DIR/sc/agent.log" | tail -3)"
grep -m1 -- "tunnel-identity" "$IKE_DIR/sc/agent.log"
expect "sc: monitor vici PATH -j names them too" \
	"$(monitor_events "$IKE_DIR/sc/monitor" 1 | grep -c '"tunnel_identity":"si.example","sa_identity":null')" 1

# --- a CHILD_SA rekey under the tunnel ---------------------------------------
# strongSwan keeps the reqid across a rekey: the binding (pinned to it)
# follows, and no packet is judged by a stale SA.
b0=$(snap sc)
swan si --rekey --child l2tp_spd_entry > /dev/null 2>&1 ||
	t_fail "si: swanctl --rekey --child l2tp_spd_entry" "swanctl failed"
rekeyed=0
end=$((SECONDS + 90))
while [ "$SECONDS" -le "$end" ]; do
	read -r r2 s2 < <(ike_sas sc 10.1.0.1 | head -1)
	[ "$(ike_sas sc 10.1.0.1 | wc -l)" = 1 ] && [ "${s2:-}" != "$spi_in" ] &&
		[ "${r2:-}" = "$reqid" ] && rekeyed=1 && break
	sleep 0.5
done
expect "sc: the CHILD_SA rekeyed: one new SPI, the same reqid ($reqid)" "$rekeyed" 1
if n si ping -c 3 -i 0.2 -W 2 192.168.0.1 > /dev/null 2>&1; then
	t_pass "ping through the tunnel after the rekey"
else
	t_fail "ping through the tunnel after the rekey" "no answer"
fi
expect "sc: the binding kept its reqid across the rekey" \
	"$(cli sc binding show | grep -c "peer 10.1.0.2:1701 reqid $reqid ")" 1
expect "sc: no packet dropped by the module across the rekey" \
	"$(delta "$b0" "$(snap sc)" | grep -c dropped)" 0

# --- an IKE_SA rekey under traffic -------------------------------------------
# IKEv2 moves the CHILD_SAs to the new IKE_SA (RFC 7296 section 2.18): the
# kernel SAs and the binding stay, the identity follows the new IKE_SA, and
# a ping running through it loses nothing.
ike_uid() { swan "$1" --list-sas --raw 2>/dev/null | grep -o 'uniqueid=[0-9]*' | head -1; }
uid0=$(ike_uid sc)
b0=$(snap sc)
n si ping -q -c 60 -i 0.1 -W 3 192.168.0.1 > "$DP_TMP/rekey-ping" 2>&1 &
pinger=$!
sleep 1
swan si --rekey --ike l2tp-ipsec-sc > /dev/null 2>&1 ||
	t_fail "si: swanctl --rekey --ike l2tp-ipsec-sc" "swanctl failed"
end=$((SECONDS + 90))
while [ "$SECONDS" -le "$end" ]; do
	uid1=$(ike_uid sc)
	[ -n "$uid1" ] && [ "$uid1" != "$uid0" ] && break
	sleep 0.5
done
wait "$pinger"
expect "sc: the IKE_SA rekeyed under traffic (charon's IKE_SA $uid0 became another)" \
	"$([ -n "$uid1" ] && [ "$uid1" != "$uid0" ] && echo yes)" yes
expect "ping through the tunnel during the IKE rekey: 60 sent, 60 answered" \
	"$(grep -o '[0-9]* packets transmitted, [0-9]* received' "$DP_TMP/rekey-ping")" \
	"60 packets transmitted, 60 received"
expect "sc: after the IKE rekey, the binding is the same, no packet dropped by the module" \
	"$(cli sc binding show | grep -c "peer 10.1.0.2:1701 reqid $reqid ") $(delta "$b0" "$(snap sc)" | grep -c dropped)" "1 0"
expect "sc: show -j names the same identity, now from the new IKE_SA" \
	"$(shown sc | grep -c '"identity": "si.example"')" 1

# --- teardown both ways (RFC 3193 section 3.1) ------------------------------
# The SC's tunnel goes: its SAs go through charon (an IKE Delete), so the
# SI's charon drops them too, and the SI's agent takes the SI's tunnel down.
n sc ip l2tp del tunnel tunnel_id 1
ike_wait_log sc "its tunnel is gone (IKE Delete to the peer)" &&
	t_pass "sc: tunnel deleted: the agent terminates its SA through charon, not behind its back" ||
	t_fail "sc: tunnel deleted: the agent terminates its SA through charon, not behind its back" \
		"$(tail -5 "$IKE_DIR/sc/agent.log")"
gone=0
end=$((SECONDS + 60))
while [ "$SECONDS" -le "$end" ]; do
	# A larval state (spi 0) is the base SPD holding a packet of the
	# tunnel back while no SA exists: not an SA.
	! ip -n si xfrm state | grep -q 'spi 0x0*[1-9a-f]' &&
		[ -z "$(ip -n si l2tp show tunnel)" ] && gone=1 && break
	sleep 0.5
done
expect "si: the IKE Delete removed its SAs, and its agent took its tunnel down" "$gone" 1
expect "si: the SA gone, charon's filters went, and the agent put the base lines back: the set is whole, as 'spd install' makes it" \
	"$(ours si | md5sum) $(ours si | grep -c .)" "$(ours spdref | md5sum) $(ours spdref | grep -c .)"

# --- xl2tpd dials only once the SA is up (RFC 3193 section 4.2.2) -----------
# xl2tpd on both, the LAC's with autodial = no: the agent says "c lns" on
# its control file when charon reports the CHILD_SA up. Every packet from
# si is counted on the wire (sc's eth0 ingress, where ESP is still ESP):
# no UDP 1701 in clear may come.
stop "$agent_si"
xl2tpd_configs 10.1.0.2 10.1.0.1
sed -i 's/^autodial = yes/autodial = no/' "$DP_TMP/lac.conf"
n sc nft -f - <<-EOF
	table netdev wire {
		chain in {
			type filter hook ingress device eth0 priority 0;
			udp dport 1701 counter
			udp sport 1701 counter
			meta l4proto esp counter
		}
	}
EOF
xl2tpd_start sc lns
xl2tpd_start si lac
for i in $(seq 100); do [ -p "$DP_TMP/lac.ctl" ] && break; sleep 0.1; done
conf si lac 10.1.0.2 \
	"xl2tpd_control = $DP_TMP/lac.ctl" \
	"[peer sc]" "remote_id = sc.example" "remote_addrs = 10.1.0.1" "auth = psk" \
	"psk = $PSK" "local_id = si.example" "xl2tpd_lac = lns"
agent_start si
if ike_wait_sa si 10.1.0.2 && ppp_up si && ppp_up sc; then
	t_pass "si: the agent brings the SA up, then xl2tpd dials: PPP up over L2TPv2 over ESP"
else
	t_fail "si: the agent brings the SA up, then xl2tpd dials: PPP up over L2TPv2 over ESP" \
		"$(tail -20 "$IKE_DIR/si/agent.log")"
fi
expect "si: the agent said 'c lns' once charon reported the CHILD_SA up" \
	"$(grep -c "the CHILD_SA of \\[peer sc\\] is up: 'c lns'" "$IKE_DIR/si/agent.log")" 1
n si ping -c 2 -i 0.3 -W 3 192.168.100.1 > /dev/null 2>&1 || true
counts=$(n sc nft list table netdev wire | sed -n 's/.*counter packets \([0-9]*\).*/\1/p' | tr '\n' ' ')
read -r clear_d clear_s esp _ <<< "$counts"
expect "si: no L2TP packet came in clear on the wire: UDP 1701, by destination and by source port" \
	"$clear_d $clear_s" "0 0"
if [ "${esp:-0}" -gt 0 ]; then
	t_pass "si: L2TP came in ESP ($esp packets)"
else
	t_fail "si: L2TP came in ESP" "nft: $counts"
fi
kill "$(cat "$DP_TMP/lac.pid")" "$(cat "$DP_TMP/lns.pid")" 2>/dev/null || true
n sc nft delete table netdev wire

# --- a peer the PAD does not name gets no SA --------------------------------
mkns si2
ip link add eth1 netns sc type veth peer name eth0 netns si2
ipb sc <<-EOF
	addr add 10.2.0.1/24 dev eth1
	link set eth1 up
EOF
ipb si2 <<-EOF
	addr add 10.2.0.2/24 dev eth0
	link set eth0 up
EOF
ike_start si2 || t_fail "charon starts in si2" "see above"
conf si2 lac 10.2.0.2 \
	"[peer sc]" "remote_id = sc.example" "remote_addrs = 10.2.0.1" "auth = psk" \
	"psk = $PSK" "local_id = si2.example"
agent_start si2
ike_wait_log si2 "PAD loaded into charon" || true
sleep 3
expect "si2: an identity the SC's PAD does not name (si2.example, the same PSK) gets no SA" \
	"$(ip -n sc xfrm state | grep -c '10.2.0.2')" 0

# --- bad VICI answers ----------------------------------------------------------
# A server that speaks VICI and answers one request badly (oversized or
# truncated packets, unknown types, malformed messages), one agent each:
# the agent says what was wrong, drops the connection, reconnects and goes
# on (the server answers well from then on); it never crashes or hangs.
nfaults=$(python3 "$TOP/tests/tools/vici-bad-server.py" --list | wc -l)
for f in $(seq 0 $((nfaults - 1))); do
	mkns "bad$f"
	mkdir -p "$IKE_DIR/bad$f"
	spawn "bad$f" "$IKE_DIR/bad$f/server.log" python3 "$TOP/tests/tools/vici-bad-server.py" \
		"$IKE_DIR/bad$f/charon.vici" "$IKE_DIR/bad$f/server.log" "$f"
	for i in $(seq 50); do [ -S "$IKE_DIR/bad$f/charon.vici" ] && break; sleep 0.1; done
	conf "bad$f" lns 10.9.0.1 "[peer x]" "remote_id = x.example" "auth = psk" "psk = $PSK"
	agent_start "bad$f"
done
for f in $(seq 0 $((nfaults - 1))); do
	what=$(python3 "$TOP/tests/tools/vici-bad-server.py" --list | sed -n "$((f + 1))p")
	end=$((SECONDS + 20))
	while [ "$SECONDS" -le "$end" ]; do
		grep -q "PAD loaded into charon" "$IKE_DIR/bad$f/agent.log" 2>/dev/null && break
		sleep 0.2
	done
	eval "pid=\$agent_bad$f"
	expect "bad VICI answer ($what): sent, the agent drops the connection and says why, reconnects and goes on, still running" \
		"$(grep -c '^fault sent' "$IKE_DIR/bad$f/server.log") $(grep -c 'warning: IKE: .*retrying in 1 s' "$IKE_DIR/bad$f/agent.log") $(grep -c 'PAD loaded into charon: 0 of 1' "$IKE_DIR/bad$f/agent.log") $(kill -0 "$pid" 2>/dev/null && echo alive)" \
		"1 1 1 alive"
	stop "$pid"
done

# --- EAP: a peer by eap-md5, its secret loaded with load-shared -------------
# RFC 5619 section 3.5.4.1 with EAP: carol proves herself by EAP-MD5 with the
# secret of her one identity, the SC by its certificate. Her client is an
# operator's swanctl connection (a LAC of ours does not do EAP).
mkns si3
ip link add eth2 netns sc type veth peer name eth0 netns si3
ipb sc <<-EOF
	addr add 10.3.0.1/24 dev eth2
	link set eth2 up
EOF
ipb si3 <<-EOF
	addr add 10.3.0.2/24 dev eth0
	link set eth0 up
	route add default via 10.3.0.1
EOF
ike_start si3 || t_fail "charon starts in si3" "see above"
conf sc lns 10.1.0.1 \
	"[peer si]" "remote_id = si.example" "auth = psk" "psk = $PSK" "local_id = sc.example" \
	"[peer carol]" "remote_id = carol@example.org" "auth = eap-md5" \
	"eap_secret = carol's secret" "local_id = sc.example" \
	"local_cert = $P/sc.pem" "local_key = $P/sc.key"
kill -HUP "$agent_sc"
ike_wait_log sc "PAD loaded into charon: 2 of 2" &&
	t_pass "sc: SIGHUP: [peer carol] (eap-md5) loaded with her EAP secret" ||
	t_fail "sc: SIGHUP: [peer carol] (eap-md5) loaded with her EAP secret" \
		"$(tail -5 "$IKE_DIR/sc/agent.log")"
# carol SECRET: si3's charon gets carol's connection and SECRET, and initiates.
carol()
{
	cat > "$IKE_DIR/si3/carol.conf" <<-EOF
		connections {
			carol {
				version = 2
				local_addrs = 10.3.0.2
				remote_addrs = 10.1.0.1
				local {
					auth = eap-md5
					id = carol@example.org
					eap_id = carol@example.org
				}
				remote {
					auth = pubkey
					id = sc.example
					cacerts = $P/ca.pem
				}
				children {
					l2tp_spd_entry {
						mode = transport
						local_ts = dynamic[udp/1701]
						remote_ts = dynamic[udp/1701]
					}
				}
			}
		}
		secrets {
			eap-carol {
				id = carol@example.org
				secret = "$1"
			}
		}
	EOF
	swan si3 --load-all --file "$IKE_DIR/si3/carol.conf" >> "$IKE_DIR/si3/swanctl.log" 2>&1
	swan si3 --initiate --child l2tp_spd_entry --ike carol >> "$IKE_DIR/si3/swanctl.log" 2>&1 || true
}
carol "not carol's secret"
failed="EAP method EAP_MD5 failed for peer carol@example.org"
for i in $(seq 150); do
	grep -q "$failed" "$IKE_DIR/sc/charon.log" 2>/dev/null && break
	sleep 0.2
done
expect "si3: carol with a wrong EAP secret: the SC's EAP-MD5 fails her, no SA" \
	"$(grep -c "$failed" "$IKE_DIR/sc/charon.log") $(ip -n sc xfrm state | grep -c '10.3.0.2')" "1 0"
swan si3 --terminate --ike carol > /dev/null 2>&1 || true
carol "carol's secret"
if ike_wait_sa si3 10.3.0.2; then
	t_pass "si3: carol by EAP-MD5 with her secret: charon sets up the CHILD_SA l2tp_spd_entry"
else
	t_fail "si3: carol by EAP-MD5 with her secret: charon sets up the CHILD_SA l2tp_spd_entry" \
		"$(tail -20 "$IKE_DIR/si3/swanctl.log"; grep -E 'EAP|IKE_SA' "$IKE_DIR/sc/charon.log" | tail -20)"
fi
# (list-sas names a remote-eap-id only when it is not the IKE identity.)
expect "sc: the SA is the one of [peer carol], with her identity" \
	"$(swan sc --list-sas --raw 2>/dev/null | grep -o 'l2tp-ipsec-carol {[^}]*remote-id=carol@example.org' | grep -c .)" 1
swan si3 --terminate --ike carol > /dev/null 2>&1 || true

# --- charon restarted under the agent ---------------------------------------
ike_kill sc
ike_start sc || t_fail "charon restarts in sc" "see above"
if ike_wait_log sc "charon closed the VICI socket" && sleep 2 &&
   [ "$(ike_conns sc | grep -c '^l2tp-ipsec-si$')" = 1 ]; then
	t_pass "sc: charon killed and restarted: the agent loads its PAD again"
else
	t_fail "sc: charon killed and restarted: the agent loads its PAD again" \
		"$(tail -5 "$IKE_DIR/sc/agent.log")"
fi

# --- SIGHUP: a peer removed is unloaded, nothing else is --------------------
ike_operator_conn sc || t_fail "sc: the operator's connection loaded again" "swanctl failed"
conf sc lns 10.1.0.1 \
	"[peer other]" "remote_id = other.example" "auth = psk" "psk = 0x1234567890" \
	"local_id = sc.example"
kill -HUP "$agent_sc"
ike_wait_log sc "'l2tp-ipsec-si' unloaded" || true
expect "sc: after SIGHUP, the peer the file no longer names is unloaded, the new one loaded, the operator's kept" \
	"$(ike_conns sc | sort | tr '\n' ' ')" "l2tp-ipsec-other operator "

stop "$agent_si2"
stop "$agent_si"
stop "$agent_sc"
t_pass "agents stopped"
[ "$T_FAILED" -eq 0 ]
