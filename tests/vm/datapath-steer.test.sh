#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Inbound steering (Documentation/l2tp_ipsec.rst, "Steering"): two bindings
# of one 4-tuple, each holding its tunnel's own connected UDP socket.
#
# Behind one NAT, clients A and B both reach the LNS as NAT:1701 ->
# LNS:1701 once ESP is removed; an L2TP daemon such as xl2tpd gives each
# tunnel a socket bound to LNS:1701 and connected to NAT:1701 (SO_REUSEADDR)
# — twins with one 4-tuple. Linux 6.1's UDP lookup gives every packet of
# that 4-tuple to one of the twins, and its L2TP takes the tunnel from the
# socket, so B's packets land in A's tunnel (or the other way round). With
# each binding holding its socket, a packet goes to the socket of the
# binding whose pin its SA passed: A's to A's socket, B's to B's.
#
# Same LAN as datapath-shared: $lac is client A (the NAT's address, NAT-T
# 4500->4500, spi 0x1001); $atk is client B (the NAT's address on lo,
# 4501->4500, spi 0x2001, chosen by mark 3). At the LNS both SAs have reqid
# 1: the bindings pin reqid 1 and their encap ports. The twins are two
# tests/tools/l2tp-udp.py "connected" processes in $lns.

set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
. "$TOP/tests/lib.sh"
. "$TOP/tests/datapath-lib.sh"
t_suite datapath-steer
require_tools

sw=dst-sw lac=dst-lac lns=dst-lns atk=dst-atk other=dst-other
LAC=10.0.0.1 LNS=10.0.0.2
ESPINUDP_A="encap espinudp 4500 4500 0.0.0.0"
ESPINUDP_B="encap espinudp 4501 4500 0.0.0.0"
N=5

cleanup()
{
	ip netns del "$other" 2>/dev/null || true
	dp_cleanup
}
trap cleanup EXIT

mod_load
attack_lan "$sw" "$lac" "$lns" "$atk"

{
	sa $LAC $LNS 0x1001 $DP_KEY1 1 $ESPINUDP_A
	pol $LAC $LNS out 1
} | ipb "$lac"
{
	sa $LAC $LNS 0x1001 $DP_KEY1 1 $ESPINUDP_A
	sa $LAC $LNS 0x2001 $DP_KEY2 1 $ESPINUDP_B
	pol $LAC $LNS in 1
} | ipb "$lns"
{
	sa $LAC $LNS 0x2001 $DP_KEY2 2 $ESPINUDP_B
	pol $LAC $LNS out 2 mark 3
} | ipb "$atk"
spawn "$lns" "$DP_TMP/encap" python3 "$DP_PKT" encap 0.0.0.0 4500
wait_for_line "$DP_TMP/encap" '^# listening'

key=(local "$LNS:1701" peer "$LAC:1701")
bind_a=("${key[@]}" reqid 1 encap 4500:4500)
bind_b=("${key[@]}" reqid 1 encap 4501:4500)

# twin NAME [echo] [l2tp TID PEERTID]: start a connected socket LNS:1701 ->
# NAT:1701 in $lns (with echo, it answers each datagram; with l2tp, it is
# kernel L2TP tunnel TID's, as xl2tpd makes them); sets twin_pid, twin_fd,
# twin_ino and its output file twin_out.
twin()
{
	local line re='pid ([0-9]+) fd ([0-9]+) ino ([0-9]+)'

	twin_out=$DP_TMP/twin-$1
	spawn "$lns" "$twin_out" python3 "$DP_PKT" connected $LNS 1701 $LAC 1701 "${@:2}"
	wait_for_line "$twin_out" '^# listening' || return 1
	line=$(head -n 1 "$twin_out")
	[[ $line =~ $re ]] || return 1
	twin_pid=${BASH_REMATCH[1]} twin_fd=${BASH_REMATCH[2]} twin_ino=${BASH_REMATCH[3]}
}

# L2TPv2 data of tunnel 5 (A) or 6 (B), session 1, from NAT:1701.
client_a() { send "$lac" $LAC 1701 $LNS 1701 v2 5 1 --count $N; }
client_b() { send "$atk" $LAC 1701 $LNS 1701 v2 6 1 --count $N --mark 3; }

# deliveries NAME A_WANT B_WANT NS_WANT SEND...: after SEND, twin A's
# socket got A_WANT datagrams more, B's B_WANT, and the namespace's
# counters moved by NS_WANT.
deliveries()
{
	local name=$1 wa=$2 wb=$3 nsw=$4 a0 b0 s0 s1 a b

	shift 4
	a0=$(rx_count "$out_a") b0=$(rx_count "$out_b")
	s0=$(snap "$lns") || { t_fail "$name" "stats failed"; return 0; }
	"$@" || { t_fail "$name" "sending failed: $*"; return 0; }
	s1=$(snap_after "$lns" "$s0" "$(wanted_total $nsw)")
	# Wait for what should arrive, then a moment for what should not.
	poll_count $((a0 + wa)) rx_count "$out_a" > /dev/null
	poll_count $((b0 + wb)) rx_count "$out_b" > /dev/null
	sleep 0.3
	a=$(($(rx_count "$out_a") - a0)) b=$(($(rx_count "$out_b") - b0))
	expect "$name" "ns: $(delta "$s0" "$s1"); socket A got $a, socket B got $b" \
		"ns: $(want $nsw); socket A got $wa, socket B got $wb"
}

total_rx() { echo $(($(rx_count "$out_a") + $(rx_count "$out_b"))); }

# both_clients: A and B send N each; "misdelivered" when they did not each
# reach their own twin (A's, B's) but all arrived, with the split measured
# on a comment line. The lookup gives one twin (nearly) all of them.
both_clients()
{
	local a0 b0 ga gb

	a0=$(rx_count "$out_a") b0=$(rx_count "$out_b")
	client_a
	client_b
	poll_count $((a0 + b0 + 2 * N)) total_rx > /dev/null
	sleep 0.3
	ga=$(($(rx_count "$out_a") - a0)) gb=$(($(rx_count "$out_b") - b0))
	echo "# twin A got $ga, twin B got $gb of A's and B's $N each" >&2
	if [ "$ga" -ne "$N" ] && [ $((ga + gb)) -eq $((2 * N)) ]; then
		echo misdelivered
	else
		echo "socket A got $ga, socket B got $gb"
	fi
}

# sock_inode BINDING...: the socket inode binding get names, or nothing.
sock_inode()
{
	cli "$lns" -j binding get "$@" | tr -d '[:space:]' |
		grep -o '"sock_inode":[0-9]*' | cut -d: -f2 || true
}

# sockets_used NS: "sockets: used N" of /proc/net/sockstat in NS; a socket
# counts until its last reference goes, so a reference held is seen.
sockets_used()
{
	n "$1" awk '$1 == "sockets:" { print $3 }' /proc/net/sockstat
}

twin a; pid_a=$twin_pid fd_a=$twin_fd ino_a=$twin_ino out_a=$twin_out
twin b; pid_b=$twin_pid fd_b=$twin_fd ino_b=$twin_ino out_b=$twin_out

# -- with l2tp_ipsec, bindings without sockets: judged apart, not delivered
# apart. Which twin gets them is the UDP lookup's choice (the newest).
cli "$lns" binding add "${bind_a[@]}"
cli "$lns" binding add "${bind_b[@]}"
expect "no steering: A's and B's $N packets do not each reach their own twin (the lookup picks)" \
	"$(both_clients)" misdelivered
cli "$lns" binding flush

# -- refusals: the kernel says which socket does not do.
refused()
{
	local name=$1 msg=$2 out rc

	shift 2
	out=$(cli "$lns" binding add "${bind_a[@]}" "$@" 2>&1) && rc=0 || rc=$?
	expect "$name" "$rc:$([[ $out == *"$msg"* ]] && echo msg || echo "$out")" "1:msg"
}
refused "socket: a descriptor that is no socket (the twin's stdout): refused" \
	"sock-fd is not an open socket of the caller" socket "$pid_a:1"
spawn "$lns" "$DP_TMP/elsewhere" python3 "$DP_PKT" connected $LNS 1701 $LAC 1702
wait_for_line "$DP_TMP/elsewhere" '^# listening'
fd_re='pid ([0-9]+) fd ([0-9]+)'
[[ $(head -n 1 "$DP_TMP/elsewhere") =~ $fd_re ]]
refused "socket: connected to another peer port: refused" \
	"not bound and connected to the binding's 4-tuple" \
	socket "${BASH_REMATCH[1]}:${BASH_REMATCH[2]}"
stop "$spawned"
spawn "$lac" "$DP_TMP/foreign" python3 "$DP_PKT" connected $LAC 1701 $LNS 1701
wait_for_line "$DP_TMP/foreign" '^# listening'
[[ $(head -n 1 "$DP_TMP/foreign") =~ $fd_re ]]
refused "socket: a socket of another network namespace: refused" \
	"in another network namespace" socket "${BASH_REMATCH[1]}:${BASH_REMATCH[2]}"
stop "$spawned"
out=$(cli "$lns" binding add "${bind_a[@]}" socket 999999:3 2>&1) && rc=0 || rc=$?
expect "socket: no such process: refused before anything is sent (exit 2)" \
	"$rc:$([[ $out == *"process 999999: No such process"* ]] && echo msg || echo "$out")" "2:msg"
nb=$(cli "$lns" -j binding show | tr -d '[:space:]' | grep -o '"id":' | wc -l || true)
expect "socket: nothing refused was added" "$nb" 0

# -- steering.
cli "$lns" binding add "${bind_a[@]}" socket "$pid_a:$fd_a"
cli "$lns" binding add "${bind_b[@]}" socket "$pid_b:$fd_b"
expect "binding get names the socket it steers to: A's inode" \
	"$(sock_inode "${bind_a[@]}")" "$ino_a"
txt=$(cli "$lns" binding get "${bind_b[@]}")
expect "binding get, text: 'socket socket:[INODE]' as /proc/PID/fd shows B's" \
	"$([[ $txt == *"socket socket:[$ino_b]"* ]] && echo yes || echo "$txt")" yes
deliveries "steering: A's packets reach A's socket only" $N 0 "accepted+$N" client_a
deliveries "steering: B's packets reach B's socket only" 0 $N "accepted+$N" client_b

# Steering follows the SA, not the header: B sends tunnel 5's ID (A's).
deliveries "steering: B's packets with A's tunnel ID still reach B's socket" 0 $N \
	"accepted+$N" send "$atk" $LAC 1701 $LNS 1701 v2 5 1 --count $N --mark 3

# -- outbound: each twin's answers, and what the LNS's unconnected
# listener sends, through the SA of its own client. The LNS's SAs to the
# NAT: A's (spi 0x1002, to NAT:4500) and B's (spi 0x2002, to NAT:4501),
# their policies told apart by marks 0x10 and 0x20, as strongSwan's
# mark_out=%unique makes them; an unmarked line of the base SPD (RFC 5619
# section 3.5.4: L2TP to a peer needs ESP) without SA holds the rest. At the
# NAT ($lac's eth0) the mapping that a packet reaches says whose SA carried
# it: UDP 4500 is A's, 4501 B's; UDP 1701 would be cleartext.
{
	sa $LNS $LAC 0x1002 $DP_KEY1 11 $ESPINUDP_A
	sa $LNS $LAC 0x2002 $DP_KEY2 12 encap espinudp 4500 4501 0.0.0.0
	pol $LNS $LAC out 11 mark 0x10
	pol $LNS $LAC out 12 mark 0x20
	pol $LNS $LAC out 99 priority 10
} | ipb "$lns"
n "$lac" nft -f - <<-EOF
	table netdev dst_nat {
		counter to4500 { }
		counter to4501 { }
		counter clear { }
		chain in {
			type filter hook ingress device eth0 priority 0;
			udp dport 4500 counter name to4500;
			udp dport 4501 counter name to4501;
			udp dport 1701 counter name clear;
		}
	}
EOF
nat_rx() { echo "4500:$(nft_count "$lac" netdev dst_nat to4500) 4501:$(nft_count "$lac" netdev dst_nat to4501) clear:$(nft_count "$lac" netdev dst_nat clear)"; }

# outbound NAME W4500 W4501 WCLEAR SEND...: after SEND, so many more
# packets reached the NAT on UDP 4500 (A's SA), 4501 (B's) and 1701.
outbound()
{
	local name=$1 w0=$2 w1=$3 wc=$4 b re='4500:([0-9]+) 4501:([0-9]+) clear:([0-9]+)'
	local -a x y

	shift 4
	b=$(nat_rx)
	[[ $b =~ $re ]] && x=("${BASH_REMATCH[@]:1}")
	"$@" || { t_fail "$name" "sending failed: $*"; return 0; }
	# What should arrive, then a moment for what should not.
	poll_output 5 "4500:$((x[0] + w0)) 4501:$((x[1] + w1)) clear:$((x[2] + wc))" nat_rx > /dev/null
	sleep 0.5
	[[ $(nat_rx) =~ $re ]] && y=("${BASH_REMATCH[@]:1}")
	expect "$name" "A's SA +$((y[0] - x[0])), B's SA +$((y[1] - x[1])), cleartext +$((y[2] - x[2]))" \
		"A's SA +$w0, B's SA +$w1, cleartext +$wc"
}
listener() { send "$lns" $LNS 1701 $LAC 1701 v2 "$1" 0 --count $N; }

cli "$lns" binding flush
stop "$pid_a"
stop "$pid_b"
twin ea echo; pid_a=$twin_pid fd_a=$twin_fd out_a=$twin_out
twin eb echo; pid_b=$twin_pid fd_b=$twin_fd out_b=$twin_out
cli "$lns" binding add "${bind_a[@]}" socket "$pid_a:$fd_a"
cli "$lns" binding add "${bind_b[@]}" socket "$pid_b:$fd_b"
outbound "no out-mark: the twins' answers to A match no marked policy: held by the base SPD, none in clear" \
	0 0 0 client_a
cli "$lns" binding flush
cli "$lns" binding add "${bind_a[@]}" socket "$pid_a:$fd_a" out-mark 0x10 v2-peer-tunnel-id 500
cli "$lns" binding add "${bind_b[@]}" socket "$pid_b:$fd_b" out-mark 0x20 v2-peer-tunnel-id 600
txt=$(cli "$lns" binding get "${bind_a[@]}")
expect "binding get shows out-mark and v2-peer-tunnel-id" \
	"$([[ $txt == *"out-mark 0x00000010 v2-peer-tunnel-id 500"* ]] && echo yes || echo "$txt")" yes
outbound "out-mark: twin A's answers to A's $N packets leave through A's SA" $N 0 0 client_a
outbound "out-mark: twin B's answers to B's $N packets leave through B's SA" 0 $N 0 client_b
outbound "out-mark: the unconnected listener's packets to A's tunnel ID (500) through A's SA" \
	$N 0 0 listener 500
outbound "out-mark: the listener's packets to B's tunnel ID (600) through B's SA" \
	0 $N 0 listener 600
outbound "out-mark: the listener's packets to a tunnel ID no binding has (700): held, none in clear" \
	0 0 0 listener 700
out=$(cli "$lns" binding add "${key[@]}" reqid 1 encap 4502:4500 out-mark 0x30 v2-peer-tunnel-id 500 2>&1) && rc=0 || rc=$?
expect "a third binding of the 4-tuple with A's peer tunnel ID: refused (EEXIST)" \
	"$rc:$([[ $out == *"Another binding of this 4-tuple has this peer tunnel ID"* ]] && echo msg || echo "$out")" "1:msg"

# The stock kernel. Even with each twin marked for its own SA (SO_MARK,
# as an agent could set it), the UDP lookup, not the SA, picks the twin:
# for fresh twins (no CPU of their own yet, which compute_score() would
# prefer) the newest, B's, so A's first packet at least lands in B's tunnel
# and is answered through B's SA, to B's NAT mapping.
mod_unload
stop "$pid_a"
stop "$pid_b"
twin ma echo --mark 0x10; pid_a=$twin_pid
twin mb echo --mark 0x20; pid_b=$twin_pid
nat_re='4500:([0-9]+) 4501:([0-9]+) clear:([0-9]+)'
both() { client_a && client_b; }
[[ $(nat_rx) =~ $nat_re ]] && x=("${BASH_REMATCH[@]:1}")
client_a
sleep 3
[[ $(nat_rx) =~ $nat_re ]] && y=("${BASH_REMATCH[@]:1}")
d0=$((y[0] - x[0])) d1=$((y[1] - x[1])) dc=$((y[2] - x[2]))
echo "# stock kernel, fresh marked twins, A sends $N: A's SA +$d0, B's SA +$d1, cleartext +$dc"
expect "stock kernel, twins marked for their SAs: answers to A's packets leave through B's SA" \
	"$([ "$d1" -ge 1 ] && [ $((d0 + d1)) -eq $N ] && [ "$dc" -eq 0 ] && echo "some through B's" || echo "A's SA +$d0, B's SA +$d1, cleartext +$dc")" \
	"some through B's"
stop "$pid_a"
stop "$pid_b"
twin sa echo; pid_a=$twin_pid
twin sb echo; pid_b=$twin_pid
outbound "stock kernel, twins unmarked: the answers match no marked policy: held, none reach a client" \
	0 0 0 both
outbound "stock kernel: the listener's packets to A's tunnel ID: held" 0 0 0 listener 500
n "$lns" ip xfrm policy del src $LNS dst $LAC proto udp dport 1701 dir out
outbound "stock kernel without the base SPD line: the listener's packets to A leave in clear" \
	0 0 $N listener 500
mod_load
pol $LNS $LAC out 99 priority 10 | ipb "$lns"
cli "$lns" binding flush
stop "$pid_a"
stop "$pid_b"
twin a; pid_a=$twin_pid fd_a=$twin_fd out_a=$twin_out
twin b; pid_b=$twin_pid fd_b=$twin_fd out_b=$twin_out
cli "$lns" binding add "${bind_a[@]}" socket "$pid_a:$fd_a"
cli "$lns" binding add "${bind_b[@]}" socket "$pid_b:$fd_b"

# -- the socket closes first: the binding steers nowhere, the lookup
# delivers, and the kernel lets the socket go.
used0=$(sockets_used "$lns")
stop "$pid_a"
expect "A's socket closed: binding get names no socket" \
	"$(poll_output 10 "" sock_inode "${bind_a[@]}")" ""
deliveries "A's socket closed: A still accepted, delivered by the lookup (B's twin)" \
	0 $N "accepted+$N" client_a
got=$(poll_output 15 $((used0 - 1)) sockets_used "$lns")
expect "A's socket closed: the kernel lets it go (sockets used $used0 -> $((used0 - 1)))" \
	"$got" $((used0 - 1))
deliveries "A's socket closed: B still steered to B's socket" 0 $N "accepted+$N" client_b

# -- binding del lets go of the socket: B's socket, held by the binding and
# by its process; after del and the process's exit, nothing holds it.
used0=$(sockets_used "$lns")
cli "$lns" binding del "${bind_b[@]}"
stop "$pid_b"
got=$(poll_output 10 $((used0 - 1)) sockets_used "$lns")
expect "binding del, then B's process exits: B's socket is freed" "$got" $((used0 - 1))
cli "$lns" binding flush

# -- kernel L2TP tunnel sockets, as xl2tpd makes them: twins that only the
# kernel's tunnel table tells apart. Such a socket is taken only for the
# binding that names its tunnel (v2-tunnel-id), checked by the kernel.
modprobe l2tp_ppp
twin la l2tp 5 500; pid_a=$twin_pid fd_a=$twin_fd out_a=$twin_out
twin lb l2tp 6 600; pid_b=$twin_pid fd_b=$twin_fd out_b=$twin_out
tun=$(n "$lns" ip l2tp show tunnel | grep -c "^Tunnel [56]," || true)
expect "two kernel L2TP tunnels (5, 6) on twin sockets of one 4-tuple" "$tun" 2
js=$(cli "$lns" -j sockets "$pid_a" | tr -d '[:space:]')
expect "sockets PID: the kernel says tunnel 5 (peer's 500, peer NAT:1701) has twin A's UDP descriptor" \
	"$js" "{\"pid\":$pid_a,\"tunnels\":[{\"tunnel_id\":5,\"peer_tunnel_id\":500,\"peer\":\"$LAC:1701\",\"fd\":$fd_a,\"pppox_fd\":$((fd_a + 1))}]}"
txt=$(cli "$lns" sockets "$pid_b")
expect "sockets PID, text: what binding add takes for tunnel 6" \
	"$txt" "tunnel 6 peer-tunnel-id 600 peer $LAC:1701 socket $pid_b:$fd_b (PPPoL2TP $((fd_b + 1)))"
refused "L2TP tunnel 5's socket without v2-tunnel-id: refused" \
	"give the tunnel's v2-tunnel-id" socket "$pid_a:$fd_a"
refused "L2TP tunnel 5's socket for v2-tunnel-id 6 (the twin's tunnel): refused" \
	"not the socket of L2TP tunnel v2-tunnel-id" v2-tunnel-id 6 socket "$pid_a:$fd_a"
refused "L2TP tunnel 5's socket for v2-tunnel-id 7 (no such tunnel): refused" \
	"not the socket of L2TP tunnel v2-tunnel-id" v2-tunnel-id 7 socket "$pid_a:$fd_a"
if cli "$lns" binding add "${bind_a[@]}" v2-tunnel-id 5 socket "$pid_a:$fd_a" &&
   cli "$lns" binding add "${bind_b[@]}" v2-tunnel-id 6 socket "$pid_b:$fd_b"; then
	t_pass "each L2TP tunnel's socket for the binding of its own tunnel: added"
else
	t_fail "each L2TP tunnel's socket for the binding of its own tunnel: added" "refused"
fi
deliveries "L2TP tunnel sockets: A's packets reach tunnel 5's socket only" $N 0 "accepted+$N" client_a
deliveries "L2TP tunnel sockets: B's packets reach tunnel 6's socket only" 0 $N "accepted+$N" client_b
cli "$lns" binding flush
stop "$pid_a"
stop "$pid_b"

# -- a namespace deleted with a steering binding whose process is gone.
mkns "$other"
ip -n "$other" link add d0 type dummy
ip -n "$other" addr add 10.9.0.1/24 dev d0
ip -n "$other" link set d0 up
spawn "$other" "$DP_TMP/other" python3 "$DP_PKT" connected 10.9.0.1 1701 10.9.0.2 1701
pid_o=$spawned
wait_for_line "$DP_TMP/other" '^# listening'
[[ $(head -n 1 "$DP_TMP/other") =~ $fd_re ]]
if cli "$other" binding add local 10.9.0.1:1701 peer 10.9.0.2:1701 socket "${BASH_REMATCH[1]}:${BASH_REMATCH[2]}"; then
	t_pass "a namespace's own socket: bound with steering"
else
	t_fail "a namespace's own socket: bound with steering" "refused"
fi
stop "$pid_o"
ip netns del "$other"
# Its pernet exit runs once the socket is let go; nothing may be left.
sleep 4
if mod_unload && mod_load; then
	t_pass "namespace deleted with a steering binding: the module unloads clean"
else
	t_fail "namespace deleted with a steering binding: the module unloads clean" "rmmod failed"
fi

# -- the stock kernel: no steering, one twin gets both clients' packets.
twin a2; out_a=$twin_out
twin b2; out_b=$twin_out
mod_unload
expect "stock kernel: A's and B's $N packets do not each reach their own twin (one client's land in the other's tunnel)" \
	"$(both_clients)" misdelivered
mod_load
