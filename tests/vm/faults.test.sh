#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Faults under traffic. Module unload/reload under
# traffic is unload.test.sh; netlink with failing allocations is
# fuzz-netlink.test.sh. Here:
#
#   1. a namespace with 100,000 bindings deleted while packets cross the
#      hook: the bindings' slab objects all come back, exactly (counted
#      in the cache's own slab, the VM booted with slub_nomerge: make
#      vm-check and check-debug do, by hand "scripts/vm-run --append
#      slub_nomerge"), the module unloads later (run-all), kmemleak (debug
#      kernel) finds nothing;
#   2. bindings added and removed in a loop on one CPU while traffic for
#      exactly those bindings flows on the other (RCU lookups racing
#      call_rcu frees and per-binding counters);
#   3. the agent killed (SIGKILL) at random moments while it binds 100
#      tunnels whose peers send through their SAs (each tunnel is bound
#      when the module has seen its SA carry it, through a probe listener
#      on its port), tunnels coming and going between the kills; the last
#      start leaves exactly one binding per tunnel, none for a tunnel that
#      is gone, and no probe.
#
# Environment: FAULTS_BIG (default 100000) bindings in case 1,
#              FAULTS_CHURN (default 20) seconds of case 2,
#              FAULTS_TUNNELS (default 100) tunnels in case 3.

set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
. "$TOP/tests/lib.sh"
. "$TOP/tests/datapath-lib.sh"
t_suite faults
require_tools

BULK=$TOP/tests/netlink/nlbulk
BENCH=$TOP/tests/bench/nlbench
AGENT=$TOP/agent/l2tp-ipsec
OWNER=0x4c324147	# "L2AG", the agent's owner tag
big=${FAULTS_BIG:-100000}
churn=${FAULTS_CHURN:-20}
apid=""

for tool in "$BULK" "$BENCH"; do
	if [ ! -x "$tool" ]; then
		t_fail "tools built" "$tool is not built (make)"
		exit 1
	fi
done
cleanup()
{
	[ -z "$apid" ] || kill -9 "$apid" 2> /dev/null
	dp_cleanup
}
trap cleanup EXIT

# slab_objs: objects in use in the bindings' slab cache now, exactly.
#
# The count must be the bindings' own: at 128 bytes, SLAB_ACCOUNT, SLUB
# merges the cache with the others of its size and flags: on Debian's 6.1
# /sys/kernel/slab/l2tp_ipsec_binding is a symlink to :A-0000128, the
# accounted 128-byte caches' shared one (61 objects of others in it when
# this case starts), whose "objects" every other user moves at any time;
# no quiescing of the guest makes that exact. So the VM boots with
# slub_nomerge (the module's KMEM_CACHE() flags are not ours to change):
# the cache is a directory of its own, which slab_own checks, and
#  - "objects" counts every object of the per-CPU slabs as in use: the
#    shrink first flushes them to the node lists, where the free ones are
#    counted free;
#  - KASAN (debug kernel) keeps freed objects in its quarantine, in use to
#    the slab: the shrink takes the cache's ones out (kasan_cache_shrink);
#  - the bindings are freed after an RCU grace period (call_rcu): callers
#    poll until the figure they want.
# Then the figure is the number of bindings allocated and not yet freed,
# with no tolerance. The base is taken once the tests before have left
# only the initial namespace's bindings (theirs die asynchronously, like
# fb's below); then $big more after the adds, back to the base after.
slab_dir=/sys/kernel/slab/l2tp_ipsec_binding
slab_objs()
{
	echo 1 > "$slab_dir/shrink" 2> /dev/null
	cut -d' ' -f1 "$slab_dir/objects"
}

# slab_own: the cache is not merged (a directory, not a symlink to one).
slab_own()
{
	[ -d "$slab_dir" ] && [ ! -L "$slab_dir" ]
}

# slab_expect NAME GOT WANT: expect, if the figures are the bindings' own.
slab_expect()
{
	if [ "$own" = true ]; then
		expect "$@"
	else
		t_fail "$1" "slab figure $2 (want $3) is the merged cache's, not the bindings' alone"
	fi
}

# A cleartext L2TPv3 data header from each of NPORTS source ports from
# PORT0 on, to DST:1701, in bursts, for at most 300 s (stopped earlier).
traffic()
{
	local ns=$1 cpu=$2 src=$3 dst=$4 port0=$5 nports=$6

	spawn "$ns" "$DP_TMP/traffic-$ns" taskset -c "$cpu" python3 -c '
import socket, sys, time
src, dst, port0, nports = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
p = bytes([0x00, 0x03, 0, 0, 0, 0, 0, 1])
socks = []
for i in range(nports):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, port0 + i))
    socks.append(s)
end = time.monotonic() + 300
while time.monotonic() < end:
    for s in socks:
        s.sendto(p, (dst, 1701))
    time.sleep(0.0005)
' "$src" "$dst" "$port0" "$nports"
}

# ns_total NS: packets the namespace's counters have judged so far.
ns_total()
{
	total "$(snap "$1")"
}

# ---------------------------------------------------------------------------
# 1. A namespace with $big bindings deleted under traffic

mkns fb
n fb ip addr add 127.0.0.2/8 dev lo
own=true
if ! slab_own; then
	own=false
	t_fail "the bindings' slab cache is its own (slub_nomerge)" \
		"$slab_dir -> $(readlink "$slab_dir" 2> /dev/null): merged, its objects are not only bindings; boot with slub_nomerge (scripts/vm-run --append slub_nomerge)"
else
	t_pass "the bindings' slab cache is its own (slub_nomerge)"
fi
init=$("$BULK" count)
for _ in $(seq 600); do
	base=$(slab_objs)
	[ "$base" -eq "${init:-0}" ] && break
	sleep 0.1
done
slab_expect "slab: before the adds, only the initial namespace's bindings" "$base" "${init:-?}"
out=$(n fb "$BENCH" add "$big" 0 127.0.0.1 2>&1)
rc=$?
echo "# $out"
t_check "$big bindings added in one namespace" test "$rc" -eq 0
expect "the namespace counts $big bindings" "$(n fb "$BULK" count)" "$big"
added=$(slab_objs)
echo "# slab: $added l2tp_ipsec_binding objects (was $base)"
slab_expect "slab: exactly $big objects more after the adds" "$((added - base))" "$big"
traffic fb 1 127.0.0.2 127.0.0.1 3000 16
judged=0
for _ in $(seq 200); do
	judged=$(ns_total fb)
	[ "${judged:-0}" -gt 1000 ] && break
	sleep 0.1
done
t_check "traffic crosses the hook ($judged packets judged)" test "${judged:-0}" -gt 1000
ip netns pids fb | xargs -r kill -9 2> /dev/null
ip netns del fb		# dp_cleanup's second try fails quietly
# The namespace dies in a workqueue, its bindings after an RCU grace
# period: wait up to 60 s for the slab to be back at its base, exactly.
for _ in $(seq 600); do
	now=$(slab_objs)
	[ "$now" -eq "$base" ] && break
	sleep 0.1
done
echo "# slab: $base objects before the adds, $added after, $now after the namespace went:" \
	"$((added - now)) of $((added - base)) back"
slab_expect "namespace deleted: all $big binding objects freed" "$now" "$base"
mkns fb2
expect "the module answers in a new namespace" "$(n fb2 "$BULK" count)" 0

# ---------------------------------------------------------------------------
# 2. Bindings added and removed in a loop while their traffic flows

mkns fc
n fc ip addr add 127.0.0.2/8 dev lo
traffic fc 1 127.0.0.2 127.0.0.1 4000 32
sleep 1
out=$(n fc taskset -c 0 "$BULK" churn "$churn" 127.0.0.1 1701 127.0.0.2 4000 32 2>&1)
rc=$?
echo "# $out"
t_check "add/delete loop under traffic (${churn} s)" test "$rc" -eq 0
judged=$(ns_total fc)
echo "# $judged packets judged during the loop"
t_check "traffic was judged during the loop" test "${judged:-0}" -gt 0
expect "no binding left after the loop" "$(n fc "$BULK" count)" 0
ip netns pids fc | xargs -r kill -9 2> /dev/null

# ---------------------------------------------------------------------------
# 3. The agent killed during its start-up reconciliation

#   +---------------------------------+            +--------------------+
#   | fp: the peers 10.77.1.1-120/16  |            | fa: LNS 10.77.0.1  |
#   |   each sends one L2TPv3 header  |--- veth ---|   agent (lns), the |
#   |   from :1701 to LNS:2000+I in   |            |   tunnels and SAs  |
#   |   ESP (SPI 0x1000+I, reqid I)   |            |                    |
#   +---------------------------------+            +--------------------+
LNS=10.77.0.1
npeers=$((${FAULTS_TUNNELS:-100} + 20))
mkns fa fp
ip link add eth0 netns fa type veth peer name eth0 netns fp
n fa ip addr add $LNS/16 dev eth0
n fa ip link set eth0 up
n fp ip link set eth0 up
for i in $(seq 1 "$npeers"); do
	echo "addr add 10.77.1.$i/16 dev eth0"
	sa 10.77.1.$i $LNS "0x$((1000 + i))" "$DP_KEY1" "$i"
	echo "xfrm policy add src 10.77.1.$i dst $LNS proto udp dir out" \
		"tmpl src 10.77.1.$i dst $LNS proto esp mode transport reqid $i"
done | ipb fp
spawn fp "$DP_TMP/peers" python3 -c '
import socket, sys, time
lns, n = sys.argv[1], int(sys.argv[2])
socks = []
for i in range(1, n + 1):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("10.77.1.%d" % i, 1701))
    socks.append((s, 2000 + i))
end = time.monotonic() + 900
while time.monotonic() < end:
    for s, port in socks:
        try:
            s.sendto(bytes([0x00, 0x03, 0, 0, 0, 0, 0, 1]), (lns, port))
        except OSError:
            pass	# an ICMP error of a port without a tunnel
    time.sleep(0.5)
' "$LNS" "$npeers"
conf=$DP_TMP/agent.conf
alog=$DP_TMP/agent.log
cat > "$conf" <<-EOF
	[agent]
	role = lns
	local = $LNS
EOF

# tunnel_lines I...: "ip -batch" lines for tunnel I (peer 10.77.1.I) and
# its SA pair; one ip process for all of them.
tunnel_lines()
{
	local i peer

	for i; do
		peer=10.77.1.$i
		sa $peer $LNS "0x$((1000 + i))" "$DP_KEY1" "$i"
		sa $LNS $peer "0x$((2000 + i))" "$DP_KEY2" "$i"
		echo "l2tp add tunnel tunnel_id $i peer_tunnel_id $i encap udp" \
			"local $LNS remote $peer udp_sport $((2000 + i)) udp_dport 1701"
	done
}
tunnel_add()
{
	tunnel_lines "$@" | ipb fa
}
tunnel_del()
{
	n fa ip l2tp del tunnel tunnel_id "$1"
}

# run_killed K: start the agent and SIGKILL it once its log shows K bound
# tunnels (or after 20 s); prints how many it had bound. A python poller
# that starts the agent itself: quicker than the agent, unlike a shell loop.
run_killed()
{
	n fa python3 -c '
import os, signal, subprocess, sys, time
agent, conf, log, k = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
with open(log, "w") as f:
    p = subprocess.Popen([agent, "agent", "-c", conf], stderr=f)
end, seen = time.monotonic() + 20, 0
with open(log, "rb") as f:
    buf = b""
    while seen < k and time.monotonic() < end:
        buf += f.read()
        seen = buf.count(b"bound tunnel")
p.send_signal(signal.SIGKILL)
p.wait()
print(open(log, "rb").read().count(b"bound tunnel"))
' "$AGENT" "$conf" "$alog" "$1"
}

# bound: our tunnel bindings as "local peer reqid", sorted.
bound()
{
	cli fa -j binding show | python3 -c '
import json, sys
for b in sorted(json.load(sys.stdin)["bindings"], key=lambda b: b["peer"]):
    if b.get("owner") == '"$OWNER"' and b["peer"] != "any":
        print(b["local"], b["peer"], b.get("reqid"))'
}

# wanted: what bound() must say for the tunnels that exist now.
wanted()
{
	n fa ip l2tp show tunnel | sed -n 's/^Tunnel \([0-9]*\),.*/\1/p' | sort -n |
		while read -r i; do
			echo "$LNS:$((2000 + i)) 10.77.1.$i:1701 $i"
		done | sort -k2
}

ntun=${FAULTS_TUNNELS:-100}
tunnel_add $(seq 1 "$ntun")
next=$((ntun + 1))
for round in 1 2 3 4 5 6; do
	# Odd rounds start from no binding (as after a module reload): the
	# whole reconciliation is to do. Even rounds start from what the
	# kill left: the unbound rest, two new tunnels, two stale bindings.
	if [ $((round % 2)) -eq 1 ]; then
		cli fa binding flush
		k=$((RANDOM % (ntun - 10) + 1))
	else
		k=1
	fi
	got=$(run_killed "$k")
	echo "# round $round: killed after $got tunnels bound (aimed at $k)"
	# Between two starts: two tunnels go, two come.
	tunnel_del $((round * 7))
	tunnel_del $((round * 7 + 3))
	tunnel_add $next $((next + 1))
	next=$((next + 2))
done
: > "$alog"
n fa "$AGENT" agent -c "$conf" 2>> "$alog" &
apid=$!
want=$(wanted)
got=$(poll_output 30 "$want" bound)
expect "after 6 kills: exactly one binding per tunnel, none stale ($(echo "$want" | grep -c .) tunnels)" \
	"$got" "$want"
# Per-tunnel SPD filters: every tunnel has some, none is left for a gone
# one (the filters carry the tunnel's reqid, which is its tunnel ID here).
want_ids=$(echo "$want" | awk '{ print $3 }' | sort -n | tr '\n' ' ')
filter_ids()
{
	tfilters fa | tr ';' '\n' | sed -n 's/.* r\([0-9]*\)$/\1/p' | sort -nu | tr '\n' ' '
}
ids=$(poll_output 10 "$want_ids" filter_ids)
expect "after 6 kills: per-tunnel filters for exactly the tunnels there" "$ids" "$want_ids"
# listeners: our listener bindings; the probes go once their tunnel is bound.
listeners()
{
	cli fa -j binding show | python3 -c '
import json, sys
print(" ".join(b["local"] for b in json.load(sys.stdin)["bindings"]
               if b.get("owner") == '"$OWNER"' and b["peer"] == "any"))'
}
got=$(poll_output 10 "$LNS:1701" listeners)
expect "after 6 kills: no probe listener left, the responder's own listener there" "$got" "$LNS:1701"
t_check "the agent runs on" kill -0 "$apid"
kill -TERM "$apid"
wait "$apid"
apid=""
[ "$T_FAILED" -eq 0 ]
