#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Packet fuzzing: random and mutated L2TP/UDP packets, in clear text and
# through ESP, IPv4 and IPv6, truncated at every layer, with odd flags and
# lying lengths, and as IP fragments (tiny, overlapping, duplicated,
# missing), to bound and unbound watched ports and to ports the module does
# not watch. No splat (scripts/vm-run checks the kernel log), and every
# packet is accounted for, class by class.
#
#   +--------------------------------+            +-----------------------------------+
#   | $snd  the fuzzer               |            | $lns  concentrator, no UDP socket |
#   | eth0 02:00:00:00:f0:01         |--- veth ---| eth0 02:00:00:00:f0:02            |
#   |   A1 10.1.0.1   2001:db8:1::1  |            |   10.1.0.2  2001:db8:1::2         |
#   |   A2 10.1.0.11  2001:db8:1::11 |            | bindings (each family):           |
#   |   A3 10.1.0.12  2001:db8:1::12 |            |   :1701 <- A1:1701 reqid 1        |
#   | tests/tools/pktfuzz.py send    |            |   :1701 <- A1:1702 reqid 1,       |
#   |   UDP and raw sockets,         |            |          v2-tunnel-id 100         |
#   |   AF_PACKET on eth0            |            |   :1701 <- A2:any  reqid 2        |
#   +--------------------------------+            |   :1702 <- any (listener), v2     |
#                                                 | ports 1701,1703 (1703 unbound)    |
#                                                 +-----------------------------------+
#
# ESP transport SAs (rfc4106(gcm(aes)), empty selectors), F = 4 or 6, in
# both namespaces; the fuzzer's SPD entries (proto udp, any port, so that
# raw IPPROTO_UDP sockets use them too) pick them by SO_MARK:
#   mark 1: A1 spi 0xF11 reqid 1, A2 0xF12 reqid 2, A3 0xF13 reqid 3
#           (each source's own SA; A3 has no binding)
#   mark 2: A1 spi 0xF21 reqid 2 (tunnel A2's), A2 0xF22 reqid 1 (tunnel
#           A1's), A3 spi 0xF13 (its own)
# The concentrator has no inbound SPD entry: the module is the check.
#
# Accounting (tests/tools/pktfuzz.py, "ACCOUNTING", has the details). The
# fuzzer marks every packet with DSCP CS1; the concentrator counts the
# marked frames arriving on eth0 (nft netdev ingress). Nothing listens on
# UDP there, so each arriving frame ends in exactly one of:
#   the IP layer's refusals (In{Hdr,Addr}Errors, InTruncatedPkts,
#   InDiscards), xfrm_input()'s (XfrmIn*Error...), reassembly
#   (ReasmReqds - ReasmOKs), the
#   module's dropped_* counters, UDP's NoPorts or InErrors;
# per class: sent frames (datagrams + the sender's FragCreates - FragOKs,
# less veth's tx_dropped) == arrived == the sum of those. Two nft input
# chains around the module's hook (priority -20 and 0) count the packets for
# watched ports with a full UDP header, which must equal the sum of the
# module's counters (it judged each such packet exactly once) and its
# accepted ones. A mismatch is a FAIL naming the class, the seed and the
# numbers. The nft input chains are also the other LOCAL_IN hook that keeps
# the TCG livelock away (tests/vm/unload.test.sh).
#
# Environment:
#   PKTFUZZ_SEED   master seed (default: random, printed); class i of the
#                  run uses seed + i
#   PKTFUZZ_COUNT  datagrams per class (default 1500)
#   PKTFUZZ_CLASSES  the classes to run (default: all of them)
#   PKTFUZZ_FAMILIES "4 6" (default), "4" or "6"
#   PKTFUZZ_TIME   seconds of fuzzing in all, split evenly among the
#                  classes (a long run; overrides PKTFUZZ_COUNT; raise
#                  run-all's T_TIMEOUT, 900 s per test, to match)
# Figures go to $VM_RESULTS/fuzz-packets.txt too.

set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
. "$TOP/tests/lib.sh"
. "$TOP/tests/datapath-lib.sh"
t_suite fuzz-packets
require_tools

snd=pf-snd lns=pf-lns
SMAC=02:00:00:00:f0:01 LMAC=02:00:00:00:f0:02
PF=$TOP/tests/tools/pktfuzz.py
read -r -a CLASSES <<< "${PKTFUZZ_CLASSES:-clear unwatched esp raw frag}"
read -r -a FAMILIES <<< "${PKTFUZZ_FAMILIES:-4 6}"
COUNT=${PKTFUZZ_COUNT:-1500}
TIME=${PKTFUZZ_TIME:-}
SEED=${PKTFUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
FIGURES=${VM_RESULTS:+$VM_RESULTS/fuzz-packets.txt}
N=5

cleanup()
{
	dp_cleanup
}
trap cleanup EXIT

say()
{
	echo "# $*"
	if [ -n "$FIGURES" ]; then
		echo "$*" >> "$FIGURES"
	fi
}

# ---------------------------------------------------------------------------
# Topology

mod_load
mkns "$snd" "$lns"
ip link add eth0 netns "$snd" address $SMAC type veth peer name eth0 netns "$lns" address $LMAC
for ns in "$snd" "$lns"; do
	# Short reassembly timeouts: the fragments a class leaves behind must
	# not complete (or collide with) another class's.
	n "$ns" sysctl -qw net.ipv4.ipfrag_time=2 net.ipv6.ip6frag_time=2 \
		net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0
done
for i in 1 11 12; do
	ipb "$snd" <<-EOF
		addr add 10.1.0.$i/24 dev eth0
		addr add 2001:db8:1::$i/64 dev eth0 nodad
	EOF
	ipb "$lns" <<-EOF
		neigh replace 10.1.0.$i lladdr $SMAC dev eth0 nud permanent
		neigh replace 2001:db8:1::$i lladdr $SMAC dev eth0 nud permanent
	EOF
done
ipb "$lns" <<-EOF
	addr add 10.1.0.2/24 dev eth0
	addr add 2001:db8:1::2/64 dev eth0 nodad
EOF
ipb "$snd" <<-EOF
	neigh replace 10.1.0.2 lladdr $LMAC dev eth0 nud permanent
	neigh replace 2001:db8:1::2 lladdr $LMAC dev eth0 nud permanent
EOF
ip -n "$snd" link set eth0 up
ip -n "$lns" link set eth0 up

# The counters around the hook. "udp checksum >= 0" only loads the last two
# bytes of the UDP header: a packet too short for them does not match, as
# the module does not judge it. IPv6 fragments other than the first are
# excluded explicitly: Linux 6.1's payload fast path
# (nft_payload_fast_eval) does not check the fragment offset, so "udp
# dport" on such a fragment reads its payload, and a fragment whose bytes 2
# and 3 read 1701 to 1703 would match (the fuzzer found one, seed
# 778945790, class frag v6, datagram 17927 of 28270).
n "$lns" nft -f - <<-EOF
	table netdev pf_in {
		counter arrived4 { }
		counter arrived6 { }
		chain in {
			type filter hook ingress device eth0 priority 0;
			ip dscp cs1 counter name arrived4
			ip6 dscp cs1 counter name arrived6
		}
	}
	table inet pf {
		counter pre4 { }
		counter pre6 { }
		counter post4 { }
		counter post6 { }
		set watched { type inet_service; elements = { 1701, 1702, 1703 }; }
		chain pre {
			type filter hook input priority -20;
			meta nfproto ipv4 udp dport @watched udp checksum >= 0 counter name pre4
			exthdr frag missing udp dport @watched udp checksum >= 0 counter name pre6
			frag frag-off 0 udp dport @watched udp checksum >= 0 counter name pre6
		}
		chain post {
			type filter hook input priority 0;
			meta nfproto ipv4 udp dport @watched udp checksum >= 0 counter name post4
			exthdr frag missing udp dport @watched udp checksum >= 0 counter name post6
			frag frag-off 0 udp dport @watched udp checksum >= 0 counter name post6
		}
	}
EOF

for f in 4 6; do
	if [ $f = 4 ]; then
		L=10.1.0.2 A1=10.1.0.1 A2=10.1.0.11 A3=10.1.0.12
	else
		L=2001:db8:1::2 A1=2001:db8:1::1 A2=2001:db8:1::11 A3=2001:db8:1::12
	fi
	for ns in "$snd" "$lns"; do
		{
			sa $A1 $L 0x${f}11 $DP_KEY1 1
			sa $A2 $L 0x${f}12 $DP_KEY2 2
			sa $A3 $L 0x${f}13 $DP_KEY3 3
			sa $A1 $L 0x${f}21 $DP_KEY4 2
			sa $A2 $L 0x${f}22 $DP_KEY4 1
		} | ipb "$ns"
	done
	for x in "$A1 1 1" "$A2 1 2" "$A3 1 3" "$A1 2 2" "$A2 2 1" "$A3 2 3"; do
		# shellcheck disable=SC2086
		set -- $x
		echo "xfrm policy add src $1 dst $L proto udp dir out mark $2" \
			"tmpl src $1 dst $L proto esp mode transport reqid $3"
	done | ipb "$snd"
	if [ $f = 4 ]; then
		E_L=$L:1701 E_L2=$L:1702 E_A1=$A1:1701 E_A1b=$A1:1702 E_A2=$A2:any
	else
		E_L=[$L]:1701 E_L2=[$L]:1702 E_A1=[$A1]:1701 E_A1b=[$A1]:1702 E_A2=[$A2]:any
	fi
	cli "$lns" binding add local "$E_L" peer "$E_A1" reqid 1
	cli "$lns" binding add local "$E_L" peer "$E_A1b" reqid 1 v2-tunnel-id 100
	cli "$lns" binding add local "$E_L" peer "$E_A2" reqid 2
	cli "$lns" binding add local "$E_L2" peer any version 2
done
cli "$lns" config set ports 1701,1703

cat > "$DP_TMP/topo.json" <<-EOF
	{"ifname": "eth0", "dmac": "$LMAC", "smac": "$SMAC",
	 "watched": [1701, 1702, 1703],
	 "v4": {"lns": "10.1.0.2", "peers": ["10.1.0.1", "10.1.0.11", "10.1.0.12"]},
	 "v6": {"lns": "2001:db8:1::2",
		"peers": ["2001:db8:1::1", "2001:db8:1::11", "2001:db8:1::12"]}}
EOF

# ---------------------------------------------------------------------------
# Fuzzing

# One process for all classes (tests/tools/pktfuzz.py run): it enters the
# two namespaces with setns(2) to read the counters before and after each
# class, sends, and polls (<= 20 s) until the class's accounting is exact.
if [ -n "$TIME" ]; then
	lim=(--time "$TIME")
else
	lim=(--count "$COUNT")
fi
if [ -n "$TIME" ]; then
	say "fuzz-packets: seed $SEED, $TIME s of sending in all, $(uname -r)"
else
	say "fuzz-packets: seed $SEED, $COUNT datagrams per class, $(uname -r)"
fi
start=$SECONDS
rc=0
timeout -k 5 $((${TIME:-0} + 600)) python3 "$PF" run --topo "$DP_TMP/topo.json" --snd "$snd" --lns "$lns" --cli "$DP_CLI" \
	--seed "$SEED" --classes "${CLASSES[*]}" --families "${FAMILIES[*]}" "${lim[@]}" > "$DP_TMP/run" 2>&1 || rc=$?
say "fuzz-packets: $((SECONDS - start)) s, status $rc"
while IFS= read -r line; do
	say "$line"
done < "$DP_TMP/run"
# "PASS clear v4 seed 123: ..." -> "v4 clear: every packet accounted for"
while IFS= read -r line; do
	what=${line#???? }
	what=${what%%:*}
	# shellcheck disable=SC2086 # "CLASS vF seed S"
	set -- $what
	name="$2 $1: every packet accounted for"
	case "$line" in
	"PASS "*) t_pass "$name" ;;
	*) t_fail "$name" "${what}: see the MISMATCH lines above; rerun with PKTFUZZ_SEED=$SEED" ;;
	esac
done < <(grep -E '^(PASS|FAIL) ' "$DP_TMP/run")
expect "the fuzzer ran every class and exited 0" \
	"$(grep -cE '^(PASS|FAIL) ' "$DP_TMP/run") classes, status $rc" \
	"$((${#FAMILIES[@]} * ${#CLASSES[@]})) classes, status 0"
t_check "the module is still loaded" mod_loaded

# ---------------------------------------------------------------------------
# The bound tunnels still work

spawn "$lns" "$DP_TMP/rx4" python3 "$DP_PKT" recv 10.1.0.2 1701
wait_for_line "$DP_TMP/rx4" '^# listening'
spawn "$lns" "$DP_TMP/rx6" python3 "$DP_PKT" recv 2001:db8:1::2 1701
wait_for_line "$DP_TMP/rx6" '^# listening'
dp_judge=$lns

legit_v3() { send "$snd" "$1" 1701 "$2" 1701 v3 10 02:00:00:00:0a:0a --count $N --mark 1; }
legit_v2() { send "$snd" "$1" 1702 "$2" 1701 v2 100 1 --count $N --mark 1; }

dp_rx=(rx_count "$DP_TMP/rx4")
dp_bind=(local 10.1.0.2:1701 peer 10.1.0.1:1701)
case_mod "after the fuzz, v4 L2TPv3 through the tunnel's SA is accepted and delivered" \
	$N "accepted+$N" "accepted+$N" $N legit_v3 10.1.0.1 10.1.0.2
dp_bind=(local 10.1.0.2:1701 peer 10.1.0.1:1702)
case_mod "after the fuzz, v4 L2TPv2 for tunnel ID 100 is accepted and delivered" \
	$N "accepted+$N" "accepted+$N" $N legit_v2 10.1.0.1 10.1.0.2
dp_rx=(rx_count "$DP_TMP/rx6")
dp_bind=(local "[2001:db8:1::2]:1701" peer "[2001:db8:1::1]:1701")
case_mod "after the fuzz, v6 L2TPv3 through the tunnel's SA is accepted and delivered" \
	$N "accepted+$N" "accepted+$N" $N legit_v3 2001:db8:1::1 2001:db8:1::2
