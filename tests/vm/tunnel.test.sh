#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Static L2TPv3/UDP tunnels made by "l2tp-ipsec tunnel add|del|show", IPv4
# and IPv6, in ESP transport mode: the binding of the tunnel's 4-tuple is in
# place before the tunnel carries a packet, traffic flows and is accepted
# under it, "tunnel del" leaves nothing behind, and a failed "tunnel add"
# undoes what it did (and only that).
#
#   +----------------------------+                +----------------------------+
#   | $a                         |      veth      | $b                         |
#   |  eth0 10.1.0.1/24          +----------------+  eth0 10.1.0.2/24          |
#   |       2001:db8:1::1/64     |                |       2001:db8:1::2/64     |
#   |                            |                |                            |
#   |  l2tp4 192.168.4.1/24 ~~~~~~~~~ tunnel 4 ~~~~~~~~~ l2tp4 192.168.4.2/24  |
#   |  l2tp6 192.168.6.1/24 ~~~~~~~~~ tunnel 6 ~~~~~~~~~ l2tp6 192.168.6.2/24  |
#   +----------------------------+                +----------------------------+
#
#   tunnel 4, session 40: UDP 10.1.0.1:1701 <-> 10.1.0.2:1701
#   tunnel 6, session 60: UDP [2001:db8:1::1]:1701 <-> [2001:db8:1::2]:1701
#
# ESP transport SAs, rfc4106(gcm(aes)), F = 4 or 6: a -> b spi 0xF01, b -> a
# spi 0xF02, reqid F; SPD entries "out" and "in" on both sides for UDP to
# port 1701. The tunnel of $a pins reqid F, the one of $b spi 0xF01 (the SA
# it receives through). IPv6 is off on the l2tp devices and neighbours are
# static: the only packets in a tunnel are the pings a case sends, so the
# counters are exact.
#
# Rollback cases run in $a over IPv4 next to a tunnel made by "ip l2tp"
# (tunnel 99, UDP 1799), which must survive every one of them.

set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
. "$TOP/tests/lib.sh"
. "$TOP/tests/datapath-lib.sh"
t_suite tunnel
require_tools

a=tn-a b=tn-b

cleanup()
{
	dp_cleanup
}
trap cleanup EXIT

# The document d of a JSON argument, for jtrue and jget; tunnel(i) is the
# list of the tunnels with ID i in a "tunnel show -j" document.
PY_DOC='import json, sys
d = json.loads(sys.argv[1])
def tunnel(i):
    return [t for t in d["tunnels"] if t["tunnel_id"] == i]
'

# jtrue JSON PYEXPR: true if PYEXPR holds for the document (python3).
jtrue()
{
	python3 -c "$PY_DOC"'
sys.exit(0 if eval("(" + sys.argv[2] + ")") else 1)' "$1" "$2"
}

# jget JSON PYEXPR: print PYEXPR of the document.
jget()
{
	python3 -c "$PY_DOC"'
print(eval("(" + sys.argv[2] + ")"))' "$1" "$2"
}

# has_tunnel NS ID: does "ip l2tp show tunnel" (which ignores tunnel_id)
# list tunnel ID in NS? Prints 0 or 1.
has_tunnel()
{
	n "$1" ip l2tp show tunnel | grep -c "^Tunnel $2,"
}

# status CMD...: print CMD's exit status, its stderr into $DP_TMP/err.
status()
{
	local rc=0

	"$@" > /dev/null 2> "$DP_TMP/err" || rc=$?
	echo "$rc"
}

# ---------------------------------------------------------------------------
# Topology

mod_load
pair "$a" "$b"

# fam F: the addresses of family F, the endpoints E_A and E_B.
fam()
{
	if [ "$1" = 4 ]; then
		A=10.1.0.1 B=10.1.0.2
		E_A=$A:1701 E_B=$B:1701
	else
		A=2001:db8:1::1 B=2001:db8:1::2
		E_A=[$A]:1701 E_B=[$B]:1701
	fi
}

for f in 4 6; do
	fam $f
	for ns in "$a" "$b"; do
		{
			sa $A $B 0x${f}01 $DP_KEY1 $f
			sa $B $A 0x${f}02 $DP_KEY2 $f
			if [ "$ns" = "$a" ]; then
				pol $A $B out $f
				pol $B $A in $f
			else
				pol $B $A out $f
				pol $A $B in $f
			fi
		} | ipb "$ns"
	done
done

# ---------------------------------------------------------------------------
# Tunnels made, used and deleted, per family

# dev_up NS F ME: address 192.168.F.ME on l2tpF, no IPv6, static neighbour.
dev_up()
{
	local ns=$1 f=$2 me=$3 peer=$((3 - $3))

	n "$ns" sysctl -qw net.ipv6.conf.l2tp$f.disable_ipv6=1
	ipb "$ns" <<-EOF
		link set l2tp$f address 02:00:00:00:0$f:0$me up
		addr add 192.168.$f.$me/24 dev l2tp$f
		neigh replace 192.168.$f.$peer lladdr 02:00:00:00:0$f:0$peer dev l2tp$f nud permanent
	EOF
}

# rx_packets NS F: the rx_packets counter of tunnel F's session in NS.
rx_packets()
{
	jget "$(cli "$1" -j tunnel show tunnel-id $2)" \
		'tunnel('$2')[0]["sessions"][0]["stats"]["rx_packets"]'
}

# accepted NS LOCAL PEER: the accepted counter of that binding.
accepted()
{
	jget "$(cli "$1" -j binding get local $2 peer $3)" 'd["stats"]["accepted"]'
}

family_cases()
{
	local f=$1 v=v$1 ids json ba bb aa ab na nb

	ids="tunnel-id $f peer-tunnel-id $f session-id ${f}0 peer-session-id ${f}0 ifname l2tp$f"
	t_check "$v tunnel add in $a (reqid pinned)" \
		cli "$a" tunnel add local $E_A peer $E_B $ids reqid $f
	t_check "$v tunnel add in $b (spi pinned, mode enforce)" \
		cli "$b" tunnel add local $E_B peer $E_A $ids spi 0x${f}01 mode enforce

	json=$(cli "$a" -j binding get local $E_A peer $E_B) || json='{}'
	t_check "$v binding of $a's tunnel: its 4-tuple, L2TP version 3, reqid $f" \
		jtrue "$json" 'd.get("version") == 3 and d.get("reqid") == '$f' and "spi" not in d'
	json=$(cli "$b" -j binding get local $E_B peer $E_A) || json='{}'
	t_check "$v binding of $b's tunnel: its 4-tuple, L2TP version 3, spi 0x${f}01, enforce" \
		jtrue "$json" 'd.get("version") == 3 and d.get("spi") == "0x00000'${f}'01" and d.get("mode") == "enforce"'

	# Its filters (RFC 3193 4.2.2, responder's after phase 2): exactly the
	# 4-tuple both ways, pinned to the reqid of its SAs (spi 0x${f}01 has
	# reqid $f too).
	expect "$v per-tunnel filters of $a's tunnel: the 4-tuple both ways, reqid $f" \
		"$(tfilters "$a")" "in $B 1701 $A 1701 r$f; out $A 1701 $B 1701 r$f"
	expect "$v per-tunnel filters of $b's tunnel (spi pinned): the same, reqid $f" \
		"$(tfilters "$b")" "in $A 1701 $B 1701 r$f; out $B 1701 $A 1701 r$f"

	json=$(cli "$a" -j tunnel show) || json='{"tunnels":[]}'
	t_check "$v tunnel show -j: tunnel $f bound (exact) with session ${f}0 on l2tp$f" \
		jtrue "$json" 'len(tunnel('$f')) == 1 and tunnel('$f')[0]["bound"] and
tunnel('$f')[0]["binding"]["match"] == "exact" and
tunnel('$f')[0]["local"] == "'$E_A'" and tunnel('$f')[0]["peer"] == "'$E_B'" and
tunnel('$f')[0]["version"] == 3 and tunnel('$f')[0]["encap"] == "udp" and
tunnel('$f')[0]["peer_tunnel_id"] == '$f' and
[(s["session_id"], s["peer_session_id"], s["pw_type"], s["ifname"]) for s in tunnel('$f')[0]["sessions"]] == [('$f'0, '$f'0, "eth", "l2tp'$f'")]'
	t_check "$v tunnel show: a text line says bound" \
		grep -qF "tunnel $f: peer-tunnel-id $f version 3 encap udp local $E_A peer $E_B bound (binding " \
		<(cli "$a" tunnel show)

	dev_up "$a" $f 1
	dev_up "$b" $f 2
	na=$(snap "$a") nb=$(snap "$b")
	ba=$(snap "$a" local $E_A peer $E_B) bb=$(snap "$b" local $E_B peer $E_A)
	if n "$a" ping -q -c 3 -i 0.2 -W 2 192.168.$f.2 > /dev/null; then
		t_pass "$v ping over l2tp$f through ESP"
	else
		t_fail "$v ping over l2tp$f through ESP" "ping failed"
	fi
	aa=$(snap_after "$a" "$na" 3 local $E_A peer $E_B)
	ab=$(snap_after "$b" "$nb" 3 local $E_B peer $E_A)
	expect "$v counters: 3 accepted under each side's binding, nothing dropped" \
		"a: $(delta "$ba" "$aa"), ns $(delta "$na" "$(snap "$a")"); b: $(delta "$bb" "$ab"), ns $(delta "$nb" "$(snap "$b")")" \
		"a: $(want accepted+3), ns $(want accepted+3); b: $(want accepted+3), ns $(want accepted+3)"
	# The binding was there before the tunnel's first packet: every packet
	# the session received was accepted under it.
	expect "$v every packet the tunnel received was accepted under its binding (from the first)" \
		"a: $(rx_packets "$a" $f)/$(accepted "$a" $E_A $E_B), b: $(rx_packets "$b" $f)/$(accepted "$b" $E_B $E_A)" \
		"a: 3/3, b: 3/3"

	# The test's own SPD entries (priority 0) outrank the per-tunnel
	# filters: without them, the filters alone carry the tunnel.
	for ns in "$a" "$b"; do
		n "$ns" ip xfrm policy del src $A dst $B proto udp dport 1701 \
			dir "$([ "$ns" = "$a" ] && echo out || echo in)"
		n "$ns" ip xfrm policy del src $B dst $A proto udp dport 1701 \
			dir "$([ "$ns" = "$a" ] && echo in || echo out)"
	done
	if n "$a" ping -q -c 3 -i 0.2 -W 2 192.168.$f.2 > /dev/null; then
		t_pass "$v ping with the per-tunnel filters as the only SPD entries for it"
	else
		t_fail "$v ping with the per-tunnel filters as the only SPD entries for it" "ping failed"
	fi
	{ pol $A $B out $f; pol $B $A in $f; } | ipb "$a"
	{ pol $B $A out $f; pol $A $B in $f; } | ipb "$b"

	t_check "$v tunnel del in $a" cli "$a" tunnel del tunnel-id $f
	t_check "$v tunnel del in $b" cli "$b" tunnel del tunnel-id $f
	for ns in "$a" "$b"; do
		expect "$v after tunnel del in $ns: no tunnel, session, binding or device left" \
			"tunnels [$(n "$ns" ip l2tp show tunnel)] sessions [$(n "$ns" ip l2tp show session)] bindings [$(cli "$ns" binding show)] dev [$(n "$ns" ip -br link show l2tp$f 2> /dev/null)] cli [$(cli "$ns" tunnel show)]" \
			"tunnels [] sessions [] bindings [] dev [] cli []"
		expect "$v after tunnel del in $ns: its per-tunnel filters are gone" \
			"$(tfilters "$ns")" ""
	done
}

for f in 4 6; do
	fam $f
	family_cases $f
done

# ---------------------------------------------------------------------------
# Tunnels made by others, and rollback, in $a over IPv4

fam 4
X_A=$A:1799 X_B=$B:1799
n "$a" ip l2tp add tunnel tunnel_id 99 peer_tunnel_id 99 encap udp \
	local $A remote $B udp_sport 1799 udp_dport 1799
n "$a" ip l2tp add session name ipl2tp tunnel_id 99 session_id 990 peer_session_id 990

# others_intact: tunnel 99 still there, as it was made.
others_intact()
{
	n "$a" ip l2tp show tunnel | grep -A1 "^Tunnel 99," | grep -q "From $A to $B" &&
		n "$a" ip l2tp show session | grep -q "Session 990 in tunnel 99"
}

# bindings NS: the bindings' "local peer" keys, one line each.
bindings()
{
	jget "$(cli "$1" -j binding show)" '" ".join(b["local"] + "-" + b["peer"] for b in d["bindings"])'
}

t_check "tunnel show lists a tunnel made by ip l2tp, unbound, with its session" \
	grep -qxF "tunnel 99: peer-tunnel-id 99 version 3 encap udp local $X_A peer $X_B unbound" \
	<(cli "$a" tunnel show)
cli "$a" binding add local $X_A peer $X_B
json=$(cli "$a" -j tunnel show) || json='{"tunnels":[]}'
t_check "tunnel show -j: after 'binding add' of its 4-tuple the ip l2tp tunnel is bound (exact)" \
	jtrue "$json" 'tunnel(99)[0]["bound"] and tunnel(99)[0]["binding"]["match"] == "exact" and
tunnel(99)[0]["sessions"][0]["ifname"] == "ipl2tp"'
cli "$a" binding del local $X_A peer $X_B
cli "$a" binding add local $X_A peer $B:any
json=$(cli "$a" -j tunnel show) || json='{"tunnels":[]}'
t_check "tunnel show -j: a peer-port-any binding is shown as what judges the tunnel" \
	jtrue "$json" 'tunnel(99)[0]["bound"] and tunnel(99)[0]["binding"]["match"] == "peer-port-any"'
cli "$a" binding del local $X_A peer $B:any
cli "$a" binding add local $X_A peer $X_B

before=$(bindings "$a")
expect "rollback: tunnel-id in use: exit 1, the error names it" \
	"$(status cli "$a" tunnel add local $A:1798 peer $B:1798 tunnel-id 99 peer-tunnel-id 1 session-id 1 peer-session-id 1) $(grep -c 'tunnel-id 99 is in use' "$DP_TMP/err")" \
	"1 1"
expect "rollback: tunnel-id in use: no binding left behind" "$(bindings "$a")" "$before"
t_check "rollback: tunnel-id in use: the other tunnel 99 is untouched" others_intact

expect "rollback: local port in use: exit 1, the error names it" \
	"$(status cli "$a" tunnel add local $X_A peer $B:1800 tunnel-id 98 peer-tunnel-id 1 session-id 1 peer-session-id 1) $(grep -c "local $X_A is in use" "$DP_TMP/err")" \
	"1 1"
expect "rollback: local port in use: no binding, no tunnel left behind" \
	"$(bindings "$a") $(has_tunnel "$a" 98)" "$before 0"

expect "rollback: session fails (ifname eth0 exists): exit 1, the error names it" \
	"$(status cli "$a" tunnel add local $A:1796 peer $B:1796 tunnel-id 97 peer-tunnel-id 1 session-id 1 peer-session-id 1 ifname eth0) $(grep -c 'ifname eth0' "$DP_TMP/err")" \
	"1 1"
expect "rollback: session fails: no binding, tunnel or session left behind, eth0 intact" \
	"$(bindings "$a") $(has_tunnel "$a" 97) $(n "$a" ip l2tp show session | grep -c '^Session') $(n "$a" ip -br addr show eth0 | grep -c 10.1.0.1/24)" \
	"$before 0 1 1"

expect "rollback: no per-tunnel filter left behind" "$(tfilters "$a")" ""

# Binding first: when the binding cannot be made, no tunnel is.
max=$(jget "$(cli "$a" -j config show)" 'd["max_bindings"]')
cli "$a" config set max-bindings 1
expect "binding first: with max-bindings reached, tunnel add fails at the binding (exit 1)" \
	"$(status cli "$a" tunnel add local $A:1797 peer $B:1797 tunnel-id 96 peer-tunnel-id 1 session-id 1 peer-session-id 1) $(grep -c 'tunnel add: binding local' "$DP_TMP/err")" \
	"1 1"
expect "binding first: ... and no tunnel was made" \
	"$(has_tunnel "$a" 96) $(bindings "$a")" "0 $before"
cli "$a" config set max-bindings "$max"

expect "bad input: exit 2, nothing sent" \
	"$(status cli "$a" tunnel add local $A:1795 peer $B:any tunnel-id 95 peer-tunnel-id 1 session-id 1 peer-session-id 1) $(bindings "$a") $(has_tunnel "$a" 95)" \
	"2 $before 0"
expect "tunnel del of a tunnel that does not exist: exit 1" \
	"$(status cli "$a" tunnel del tunnel-id 12345) $(grep -c 'tunnel-id 12345: no such tunnel' "$DP_TMP/err")" \
	"1 1"

t_check "the ip l2tp tunnel 99 survived every failed tunnel add" others_intact
t_check "tunnel del of the ip l2tp tunnel" cli "$a" tunnel del tunnel-id 99
expect "after it: no tunnel, session or binding left" \
	"tunnels [$(n "$a" ip l2tp show tunnel)] sessions [$(n "$a" ip l2tp show session)] bindings [$(cli "$a" binding show)]" \
	"tunnels [] sessions [] bindings []"

mod_unload
expect "without l2tp_ipsec: tunnel show exits 3" "$(status cli "$a" tunnel show)" 3
mod_load

[ "$T_FAILED" -eq 0 ]
