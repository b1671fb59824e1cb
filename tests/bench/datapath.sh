#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# datapath.sh OUT.jsonl - the data-path benchmark (runs in the VM as root).
#
# One sender/receiver namespace pair per configuration, each with a veth
# link and an ESP transport SA pair (rfc4106(gcm(aes)), reqid 1) under an
# SPD entry for UDP to port 1701, like a concentrator's tunnel:
#
#   m1   "none": l2tp_ipsec unloaded; "mod-1": loaded, the measured
#        tunnel's binding alone
#   mM   "mod-$MID", mB "mod-$BIG": the measured tunnel's binding among
#        $MID or $BIG (bindings are per namespace, so all three stand side
#        by side); the others are other peers' exact 4-tuples on the same
#        local endpoint, as on a concentrator
#   m0   "inert": loaded, no binding and no port judged in the namespace
#        (config ports none): the price of the hook being there at all
#   rN   "nft-rules-N": one nftables rule per tunnel (meta secpath, ipsec
#        in reqid, addresses, ports) for N tunnels, the measured one in the
#        middle (a packet walks half the list on average), then a drop
#   sN   "nft-set-N": one rule looking the same key up in a set of N
#
# The nft pairs are measured with the module unloaded, so each is the
# ruleset alone. udpflood sends for $SECS seconds per measurement; what the
# receiver's UDP layer saw (Udp InDatagrams + InErrors, after LOCAL_IN)
# divided by the time is the rate.
#
# The host is shared: its load swings within seconds, far more than the
# hook costs. So the configurations to compare are measured right after
# one another, many times: a round is a module phase (load, bind, then
# $SUBROUNDS times: inert mod-1 mod-MID mod-BIG, per size; unload) and an
# nft phase ($SUBROUNDS times: none and every ruleset, per size). report.py
# divides each rate by its phase's baseline in the same sub-round: the
# module's configurations by "inert", the rulesets by "none"; and "inert"
# by "none" per round, which links the two (loosely: they are a phase
# apart). Odd rounds run the module phase first, even rounds last. The
# module is loaded and unloaded only between measurements, with the nft
# namespaces' input chains keeping the nf_hooks_needed static key set
# (flipping it under traffic can livelock TCG).
#
# Each measurement is one JSON line: round, sub, config, size, sent,
# received, seconds, pps.
#
# Environment: ROUNDS (4), SUBROUNDS (4), SECS (0.5), SIZES ("64 1400"),
# MID (10000), BIG (100000), NFT_SIZES ("1 1000 10000").

set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
. "$TOP/tests/lib.sh"

OUT=$1
ROUNDS=${ROUNDS:-4}
SUBROUNDS=${SUBROUNDS:-4}
SECS=${SECS:-0.5}
SIZES=${SIZES:-64 1400}
MID=${MID:-10000}
BIG=${BIG:-100000}
NFT_SIZES=${NFT_SIZES:-1 1000 10000}
FLOOD=$TOP/tests/bench/udpflood
NLB=$TOP/tests/bench/nlbench
CLI=$TOP/agent/l2tp-ipsec
KEY1=0x0101010101010101010101010101010101010101
KEY2=0x0202020202020202020202020202020202020202
TMP=$(mktemp -d /tmp/bench-dp.XXXXXX)
pairs=()
sinks=()

cleanup()
{
	local p

	set +e
	for p in "${sinks[@]}"; do
		kill "$p" 2> /dev/null
		wait "$p" 2> /dev/null
	done
	for p in "${pairs[@]}"; do
		ip netns del "s$p" 2> /dev/null
		ip netns del "r$p" 2> /dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT

# pair NAME IDX: namespaces sNAME (10.IDX.0.1) and rNAME (10.IDX.0.2), ESP
# between them for UDP to 1701, a sink on rNAME's 1701.
pair()
{
	local p=$1 s=10.$2.0.1 r=10.$2.0.2 ns

	pairs+=("$p")
	ip netns add "s$p"
	ip netns add "r$p"
	ip link add eth0 netns "s$p" type veth peer name eth0 netns "r$p"
	ip -n "s$p" addr add "$s/24" dev eth0
	ip -n "r$p" addr add "$r/24" dev eth0
	for ns in "s$p" "r$p"; do
		ip -n "$ns" link set lo up
		ip -n "$ns" link set eth0 up
		ip -n "$ns" -batch - <<-EOF
			xfrm state add src $s dst $r proto esp spi 0x101 reqid 1 mode transport aead rfc4106(gcm(aes)) $KEY1 128
			xfrm state add src $r dst $s proto esp spi 0x102 reqid 1 mode transport aead rfc4106(gcm(aes)) $KEY2 128
		EOF
	done
	ip -n "s$p" xfrm policy add src "$s" dst "$r" proto udp dport 1701 dir out \
		tmpl src "$s" dst "$r" proto esp mode transport reqid 1
	ip -n "r$p" xfrm policy add src "$s" dst "$r" proto udp dport 1701 dir in \
		tmpl src "$s" dst "$r" proto esp mode transport reqid 1
	ip netns exec "r$p" "$FLOOD" sink "$r" 1701 > "$TMP/sink.$p" 2>&1 &
	sinks+=($!)
	for _ in $(seq 50); do
		grep -q ready "$TMP/sink.$p" && break
		sleep 0.1
	done
	n "s$p" ping -c 1 -W 2 "$r" > /dev/null
}

# nft_rules N IDX: the per-tunnel ruleset for N tunnels in pair IDX.
nft_rules()
{
	local n=$1 r=10.$2.0.2 mid=$(($1 / 2)) i peer

	echo "table ip bench {"
	echo "  chain in {"
	echo "    type filter hook input priority filter; policy accept;"
	for ((i = 0; i < n; i++)); do
		if [ "$i" -eq "$mid" ]; then
			echo "    meta secpath exists ipsec in reqid 1 ip saddr 10.$2.0.1 ip daddr $r udp sport 1701 udp dport 1701 accept"
		else
			peer="172.16.$((i / 250)).$((i % 250 + 1))"
			echo "    meta secpath exists ipsec in reqid $((1000 + i)) ip saddr $peer ip daddr $r udp sport 1701 udp dport 1701 accept"
		fi
	done
	echo "    udp dport 1701 drop"
	echo "  }"
	echo "}"
}

# nft_set N IDX: the same as one lookup in a set keyed on the whole tunnel.
nft_set()
{
	local n=$1 r=10.$2.0.2 i

	echo "table ip bench {"
	echo "  set tunnels {"
	echo "    typeof ip saddr . ip daddr . udp sport . udp dport . ipsec in reqid"
	echo "    elements = {"
	echo "      10.$2.0.1 . $r . 1701 . 1701 . 1"
	for ((i = 1; i < n; i++)); do
		echo "      , 172.16.$((i / 250)).$((i % 250 + 1)) . $r . 1701 . 1701 . $((1000 + i))"
	done
	echo "    }"
	echo "  }"
	echo "  chain in {"
	echo "    type filter hook input priority filter; policy accept;"
	echo "    udp dport 1701 meta secpath exists ip saddr . ip daddr . udp sport . udp dport . ipsec in reqid @tunnels accept"
	echo "    udp dport 1701 drop"
	echo "  }"
	echo "}"
}

# udp_seen NS: packets that reached NS's UDP layer: InDatagrams + InErrors
# (which counts the RcvbufErrors of the sink's full buffer).
udp_seen()
{
	n "$1" awk '/^Udp: [0-9]/ { print $2 + $4 }' /proc/net/snmp
}

# measure ROUND SUB SIZE CONFIG PAIR: one JSON line.
measure()
{
	local round=$1 sub=$2 size=$3 cfg=$4 p=$5 before after sent

	before=$(udp_seen "r$p")
	sent=$(n "s$p" "$FLOOD" send 10.1.0.1 1701 10.1.0.2 1701 "$size" "$SECS")
	after=$(udp_seen "r$p")
	printf '{"part": "datapath", "round": %d, "sub": %d, "config": "%s", "size": %d, "sent": %d, "received": %d, "seconds": %s, "pps": %s}\n' \
		"$round" "$sub" "$cfg" "$size" "$sent" "$((after - before))" "$SECS" \
		"$(awk -v r=$((after - before)) -v s="$SECS" 'BEGIN { printf "%.1f", r / s }')" >> "$OUT"
}

module_phase()
{
	local round=$1 sub size p

	mod_load
	n rm0 "$CLI" config set ports none > /dev/null
	for p in m1 mM mB; do
		n "r$p" "$CLI" binding add local 10.1.0.2:1701 peer 10.1.0.1:1701 reqid 1 > /dev/null
	done
	n rmM "$NLB" add $((MID - 1)) 0 10.1.0.2 > /dev/null
	n rmB "$NLB" add $((BIG - 1)) 0 10.1.0.2 > /dev/null
	for sub in $(seq "$SUBROUNDS"); do
		for size in $SIZES; do
			measure "$round" "$sub" "$size" inert m0
			measure "$round" "$sub" "$size" mod-1 m1
			measure "$round" "$sub" "$size" "mod-$MID" mM
			measure "$round" "$sub" "$size" "mod-$BIG" mB
		done
	done
	mod_unload
}

nft_phase()
{
	local round=$1 sub size k

	for sub in $(seq "$SUBROUNDS"); do
		for size in $SIZES; do
			measure "$round" "$sub" "$size" none m1
			for k in $NFT_SIZES; do
				measure "$round" "$sub" "$size" "nft-rules-$k" "r$k"
				measure "$round" "$sub" "$size" "nft-set-$k" "s$k"
			done
		done
	done
}

mod_unload
# Every pair has the same addresses: the namespaces keep them apart.
for p in m0 m1 mM mB; do
	pair "$p" 1
done
for k in $NFT_SIZES; do
	pair "r$k" 1
	pair "s$k" 1
	nft_rules "$k" 1 > "$TMP/rules.nft"
	n "rr$k" nft -f "$TMP/rules.nft"
	nft_set "$k" 1 > "$TMP/set.nft"
	n "rs$k" nft -f "$TMP/set.nft"
done

for round in $(seq "$ROUNDS"); do
	if [ $((round % 2)) -eq 1 ]; then
		module_phase "$round"
		nft_phase "$round"
	else
		nft_phase "$round"
		module_phase "$round"
	fi
	echo "# datapath: round $round of $ROUNDS done" >&2
done
