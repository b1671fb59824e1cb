#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# control.sh OUT.jsonl - the control-plane benchmark (runs in the VM as root).
#
#   install  $BIG bindings added over batched netlink (nlbench: 100 requests
#            per sendmsg, each acked), bindings per second
#   dump     all of them dumped
#   flush    all of them deleted in one request
#   memory   per binding: the slab cache l2tp_ipsec_binding (object and slab
#            size, objects; its own cache only with slub_nomerge, which
#            "make bench" puts on the guest's command line) and the growth
#            of the kernel's memory (MemTotal - MemAvailable) over the
#            install, which adds the hash table, the id xarray and slab
#            slack
#   agent    "l2tp-ipsec agent" (role lns) binding $TUNNELS tunnels made
#            one after the other with "ip l2tp add tunnel", each bound at
#            its first packet through its SA (the agent binds the SA the
#            module saw carrying it): its log gives the time from that
#            packet's unbound event reaching it to the binding in place
#            (the method of tests/vm/agent-xl2tpd.test.sh)
#
# One JSON line per figure. Environment: BIG (100000), TUNNELS (50).

set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
. "$TOP/tests/lib.sh"

OUT=$1
BIG=${BIG:-100000}
TUNNELS=${TUNNELS:-50}
NLB=$TOP/tests/bench/nlbench
AGENT=$TOP/agent/l2tp-ipsec
KEY1=0x0101010101010101010101010101010101010101
KEY2=0x0202020202020202020202020202020202020202
TMP=$(mktemp -d /tmp/bench-cp.XXXXXX)
LNS=10.9.0.2 LAC=10.9.0.1
apid=""

cleanup()
{
	set +e
	[ -z "$apid" ] || { kill "$apid"; wait "$apid"; } 2> /dev/null
	ip netns del bcp-lns 2> /dev/null
	ip netns del bcp-lac 2> /dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

# used_kb: kernel memory in use, in kB.
used_kb()
{
	awk '/^MemTotal:/ { t = $2 } /^MemAvailable:/ { a = $2 }
	     END { print t - a }' /proc/meminfo
}

# slab FIELD: a figure of the binding cache, or null if there is none.
slab()
{
	local v

	v=$(cut -d' ' -f1 < "/sys/kernel/slab/l2tp_ipsec_binding/$1" 2> /dev/null) || v=""
	echo "${v:-null}"
}

mod_load
ip netns add bcp-lns
ip netns add bcp-lac
ip link add eth0 netns bcp-lns type veth peer name eth0 netns bcp-lac
ip -n bcp-lns addr add $LNS/24 dev eth0
ip -n bcp-lac addr add $LAC/24 dev eth0
for ns in bcp-lns bcp-lac; do
	ip -n $ns link set lo up
	ip -n $ns link set eth0 up
done

# --- install, dump, flush, memory
sync
echo 3 > /proc/sys/vm/drop_caches
sleep 1
kb0=$(used_kb)
ip netns exec bcp-lns "$NLB" add "$BIG" 0 $LNS >> "$OUT"
sleep 1
kb1=$(used_kb)
ip netns exec bcp-lns "$NLB" dump >> "$OUT"
merged=false
[ -L /sys/kernel/slab/l2tp_ipsec_binding ] && merged=true
printf '{"op": "memory", "n": %d, "object_size": %s, "slab_size": %s, "objects": %s, "merged": %s, "kernel_kb": %d, "bytes_per_binding": %.1f}\n' \
	"$BIG" "$(slab object_size)" "$(slab slab_size)" \
	"$(slab objects)" "$merged" "$((kb1 - kb0))" \
	"$(awk -v k=$((kb1 - kb0)) -v n="$BIG" 'BEGIN { printf "%.1f", k * 1024 / n }')" >> "$OUT"
ip netns exec bcp-lns "$NLB" flush >> "$OUT"

# --- agent reaction: event -> binding
{
	for ns in bcp-lns bcp-lac; do
		echo "xfrm state add src $LAC dst $LNS proto esp spi 0x301 reqid 1 mode transport aead rfc4106(gcm(aes)) $KEY1 128" | ip -n $ns -batch -
		echo "xfrm state add src $LNS dst $LAC proto esp spi 0x302 reqid 1 mode transport aead rfc4106(gcm(aes)) $KEY2 128" | ip -n $ns -batch -
	done
	ip -n bcp-lac xfrm policy add src $LAC dst $LNS proto udp dir out \
		tmpl src $LAC dst $LNS proto esp mode transport reqid 1
}
cat > "$TMP/agent.conf" <<-EOF
	[agent]
	role = lns
	local = $LNS
EOF
ip netns exec bcp-lns "$AGENT" agent --flush-on-exit -c "$TMP/agent.conf" 2> "$TMP/agent.log" &
apid=$!
for _ in $(seq 100); do
	grep -q "info: started" "$TMP/agent.log" && break
	sleep 0.1
done
for i in $(seq "$TUNNELS"); do
	port=$((2000 + i))
	ip -n bcp-lns l2tp add tunnel tunnel_id "$i" peer_tunnel_id "$i" encap udp \
		local $LNS remote $LAC udp_sport "$port" udp_dport "$port"
	# Its probe listener first (the port is judged), then its packet.
	for _ in $(seq 100); do
		grep -q "probe listener bound: local $LNS:$port " "$TMP/agent.log" && break
		sleep 0.02
	done
	ip netns exec bcp-lac python3 "$TOP/tests/tools/l2tp-udp.py" send \
		$LAC "$port" $LNS "$port" v3 "$i" 02:00:00:00:00:01 > /dev/null
	for _ in $(seq 100); do
		grep -q "bound tunnel $i:" "$TMP/agent.log" && break
		sleep 0.02
	done
done
sed -n 's/.*bound tunnel \([0-9]*\): .*(\([0-9]*\) us after unbound traffic).*/\2/p' "$TMP/agent.log" |
	sort -n | awk -v want="$TUNNELS" '
	{ v[NR] = $1 }
	END {
		n = NR
		med = n ? (n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2) : -1
		# Nearest rank: with fewer than 100 samples, the largest.
		r = int(0.99 * n); if (r < 0.99 * n) r++
		p99 = n ? v[r] : -1
		printf "{\"op\": \"agent\", \"tunnels\": %d, \"bound\": %d, \"median_us\": %s, \"p99_us\": %s, \"min_us\": %s, \"max_us\": %s}\n",
		       want, n, med, p99, n ? v[1] : -1, n ? v[n] : -1
	}' >> "$OUT"
kill "$apid"
wait "$apid" 2> /dev/null || true
apid=""
