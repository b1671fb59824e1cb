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
t_suite ike
[ -z "${IKE_TRACE:-}" ] || set -x

require_tools
ike_require
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

# wait_log NS PATTERN: poll (<= 20 s) the agent's log of NS for PATTERN.
wait_log()
{
	local end=$((SECONDS + 20))

	while [ "$SECONDS" -le "$end" ]; do
		grep -q -- "$2" "$IKE_DIR/$1/agent.log" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
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
wait_log sc "PAD loaded into charon: 1 of 1" &&
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
wait_log sc "PAD loaded into charon" || true
expect "sc: after kill -9 and a restart of the agent, show -j says the same" \
	"$(shown sc)" "$before"

# --- a violation names the identities of its tunnel and SA -------------------
# Cleartext L2TP from si's tunnel address and port (a raw socket: no xfrm
# policy selects it) into sc's tunnel: dropped, and the agent's log line
# names the peer whose CHILD_SA the tunnel is bound to; no SA carried it.
monitor_start sc "$IKE_DIR/sc/monitor" -j monitor vici "$(ike_socket sc)" count 1 ||
	t_fail "sc: monitor vici PATH joins the events group" "$(cat "$IKE_DIR/sc/monitor")"
send si 10.1.0.2 1701 10.1.0.1 1701 v3 10 02:00:00:00:00:02 --raw
wait_log sc "violation cleartext dropped src 10.1.0.2:1701 dst 10.1.0.1:1701 binding [0-9]* tunnel-identity si.example sa-identity none" &&
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

# --- teardown both ways (RFC 3193 section 3.1) ------------------------------
# The SC's tunnel goes: its SAs go through charon (an IKE Delete), so the
# SI's charon drops them too, and the SI's agent takes the SI's tunnel down.
n sc ip l2tp del tunnel tunnel_id 1
wait_log sc "its tunnel is gone (IKE Delete to the peer)" &&
	t_pass "sc: tunnel deleted: the agent terminates its SA through charon, not behind its back" ||
	t_fail "sc: tunnel deleted: the agent terminates its SA through charon, not behind its back" \
		"$(tail -5 "$IKE_DIR/sc/agent.log")"
gone=0
end=$((SECONDS + 60))
while [ "$SECONDS" -le "$end" ]; do
	[ -z "$(ip -n si xfrm state)" ] && [ -z "$(ip -n si l2tp show tunnel)" ] && gone=1 && break
	sleep 0.5
done
expect "si: the IKE Delete removed its SAs, and its agent took its tunnel down" "$gone" 1

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
wait_log si2 "PAD loaded into charon" || true
sleep 3
expect "si2: an identity the SC's PAD does not name (si2.example, the same PSK) gets no SA" \
	"$(ip -n sc xfrm state | grep -c '10.2.0.2')" 0

# --- charon restarted under the agent ---------------------------------------
ike_kill sc
ike_start sc || t_fail "charon restarts in sc" "see above"
if wait_log sc "charon closed the VICI socket" && sleep 2 &&
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
wait_log sc "'l2tp-ipsec-si' unloaded" || true
expect "sc: after SIGHUP, the peer the file no longer names is unloaded, the new one loaded, the operator's kept" \
	"$(ike_conns sc | sort | tr '\n' ' ')" "l2tp-ipsec-other operator "

stop "$agent_si2"
stop "$agent_si"
stop "$agent_sc"
t_pass "agents stopped"
[ "$T_FAILED" -eq 0 ]
