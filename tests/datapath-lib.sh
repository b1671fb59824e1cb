# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers shared by tests/vm/datapath*.test.sh and tests/vm/demo.sh, sourced
# after tests/lib.sh (which gives n, t_pass, t_fail, mod_load, mod_unload).
# They build namespaces and SAs, read the module's counters through the CLI,
# and count what was delivered. Every wait polls; none sleeps for long.
#
# Conventions: a "snapshot" is the namespace's (or a binding's) ten counters
# as one line of numbers in the order of DP_COUNTERS; a "delta" is the list
# "counter+N" of the counters that moved between two snapshots, in that order,
# or "none". Exactly one namespace counter moves per judged packet, so a
# delta names everything the hook did.

# DP_CLI in the environment overrides the CLI's path.
DP_CLI=${DP_CLI:-$TOP/agent/l2tp-ipsec}
DP_PKT=$TOP/tests/tools/l2tp-udp.py
DP_COUNTERS=(accepted accepted_unbound dropped_cleartext dropped_proto_mode
	     dropped_sa_mismatch dropped_addr_mismatch dropped_tunnel_id
	     dropped_malformed dropped_policy audited)
# AES-GCM-128 keys (16 bytes + 4 bytes salt), one per SA pair.
# shellcheck disable=SC2034 # for the scripts that source this file
{
	DP_KEY1=0x0101010101010101010101010101010101010101
	DP_KEY2=0x0202020202020202020202020202020202020202
	DP_KEY3=0x0303030303030303030303030303030303030303
	DP_KEY4=0x0404040404040404040404040404040404040404
}
DP_TMP=$(mktemp -d /tmp/datapath.XXXXXX)
dp_netns=()
dp_pids=()
# For the case_* helpers below.
dp_judge=""
dp_rx=()
dp_bind=()

# cleanup for "trap dp_cleanup EXIT": stop what we started, delete our
# namespaces, leave the module loaded for the suites that run after us.
dp_cleanup()
{
	local p ns

	set +e
	for p in "${dp_pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${dp_pids[@]}"; do
		wait "$p" 2>/dev/null
	done
	for ns in "${dp_netns[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$DP_TMP"
	mod_load 2>/dev/null || echo "# could not reload l2tp_ipsec" >&2
}

# mkns NS...: new namespaces with lo up.
mkns()
{
	local ns

	for ns; do
		ip netns add "$ns"
		dp_netns+=("$ns")
		n "$ns" ip link set lo up
	done
}

# cli NS ARGS...: the l2tp-ipsec CLI in namespace NS.
cli()
{
	local ns=$1

	shift
	n "$ns" "$DP_CLI" "$@"
}

# tfilters NS: the per-tunnel filters in NS ("spd show -j", ours with scope
# tunnel) as "dir src sport dst dport rREQID", sorted, "; " between.
tfilters()
{
	cli "$1" -j spd show | python3 -c '
import json, sys
d = json.load(sys.stdin)
print("; ".join(sorted("%s %s %s %s %s r%s" % (p["dir"], p["src"], p["sport"],
      p["dst"], p["dport"], p["templates"][0]["reqid"])
      for p in d["policies"] if p["ours"] and p.get("scope") == "tunnel")))'
}

# tfilters_wait NS WANT: tfilters NS once it is WANT, or after 5 s what it
# is (the agent installs and removes them a moment after it binds, unbinds).
tfilters_wait()
{
	local i got

	for i in $(seq 50); do
		got=$(tfilters "$1")
		[ "$got" = "$2" ] && break
		sleep 0.1
	done
	echo "$got"
}

# spawn NS OUTFILE CMD...: start CMD in NS in the background, its output to
# OUTFILE; its pid goes into dp_pids (cleanup stops it) and into $spawned.
spawn()
{
	local ns=$1 out=$2

	shift 2
	# Not through n(): $! must be the process itself (ip netns exec execs).
	ip netns exec "$ns" "$@" > "$out" 2>&1 &
	spawned=$!
	dp_pids+=("$spawned")
}

# stop PID: stop one process this script started.
stop()
{
	kill "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# wait_for_line FILE PATTERN: poll (<= 10 s) until a line of FILE matches.
wait_for_line()
{
	local i

	for i in $(seq 100); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "# no line matching '$2' in $1 after 10 s:" >&2
	sed 's/^/#   /' "$1" >&2 2>/dev/null
	return 1
}

# sa SRC DST SPI KEY REQID [ARGS...]: print an "ip -batch" line for a
# transport-mode ESP SA with an empty selector (ARGS, e.g. "encap espinudp
# 4500 4500 0.0.0.0", are appended). Feed the lines to "ipb NS".
sa()
{
	local src=$1 dst=$2 spi=$3 key=$4 reqid=$5

	shift 5
	echo "xfrm state add src $src dst $dst proto esp spi $spi reqid $reqid" \
		"mode transport aead rfc4106(gcm(aes)) $key 128 $*"
}

# pol SRC DST DIR REQID [ARGS...]: print an "ip -batch" line for an SPD
# entry for L2TP (UDP to port 1701) from SRC to DST that requires ESP in
# transport mode with that reqid (0: any SA); ARGS go before the template
# (e.g. "mark 3"). Port 1701 only: an entry for all of UDP would also
# catch ESP in UDP on port 4500, which the kernel checks against the SPD
# before it decapsulates (IKE daemons exempt their sockets from it).
pol()
{
	local src=$1 dst=$2 dir=$3 reqid=$4

	shift 4
	echo "xfrm policy add src $src dst $dst proto udp dport 1701 dir $dir $*" \
		"tmpl src $src dst $dst proto esp mode transport reqid $reqid"
}

# ipb NS: run the ip commands on stdin (without "ip") in NS, one process.
ipb()
{
	ip -n "$1" -batch -
}

# lan [-6] SW HOST...: namespaces SW, holding bridge br0, and HOSTs, each with
# eth0 on br0 and 10.0.0.<i>/24 (with -6 also 2001:db8::<i>/64), i counting
# from 1 in the order given.
lan()
{
	local v6='' sw ns i=1

	if [ "$1" = -6 ]; then
		v6=1
		shift
	fi
	sw=$1
	shift
	mkns "$sw" "$@"
	ipb "$sw" <<-EOF
		link add name br0 type bridge
		link set br0 up
	EOF
	for ns; do
		ip link add eth0 netns "$ns" type veth peer name "p$i" netns "$sw"
		ip -n "$sw" link set "p$i" master br0 up
		ip -n "$ns" addr add "10.0.0.$i/24" dev eth0
		if [ -n "$v6" ]; then
			ip -n "$ns" addr add "2001:db8::$i/64" dev eth0 nodad
		fi
		ip -n "$ns" link set eth0 up
		i=$((i + 1))
	done
}

# pair A B: namespaces A and B joined by one veth (eth0 in each), with
# 10.1.0.1/24 and 2001:db8:1::1/64 in A, .2 and ::2 in B.
pair()
{
	local ns i=1

	mkns "$1" "$2"
	ip link add eth0 netns "$1" type veth peer name eth0 netns "$2"
	for ns in "$1" "$2"; do
		ipb "$ns" <<-EOF
			addr add 10.1.0.$i/24 dev eth0
			addr add 2001:db8:1::$i/64 dev eth0 nodad
			link set eth0 up
		EOF
		i=2
	done
}

# pseudowire LAC LAC_ADDR LNS LNS_ADDR: an ip l2tp L2TPv3/UDP tunnel 1
# (connected sockets, port 1701 both ends) with Ethernet session 10,
# l2tpeth0 in each, 192.168.0.1 (MAC 02:00:00:00:00:01) in LAC and .2 (:02)
# in LNS, static neighbours, IPv6 off on it so nothing else moves counters.
pseudowire()
{
	local ns me peer i=1

	for ns in "$1" "$3"; do
		if [ $i = 1 ]; then me=$2 peer=$4; else me=$4 peer=$2; fi
		ipb "$ns" <<-EOF
			l2tp add tunnel tunnel_id 1 peer_tunnel_id 1 encap udp local $me remote $peer udp_sport 1701 udp_dport 1701
			l2tp add session name l2tpeth0 tunnel_id 1 session_id 10 peer_session_id 10 l2spec_type none
		EOF
		n "$ns" sysctl -qw net.ipv6.conf.l2tpeth0.disable_ipv6=1
		ipb "$ns" <<-EOF
			link set l2tpeth0 address 02:00:00:00:00:0$i up
			addr add 192.168.0.$i/24 dev l2tpeth0
			neigh replace 192.168.0.$((3 - i)) lladdr 02:00:00:00:00:0$((3 - i)) dev l2tpeth0 nud permanent
		EOF
		i=2
	done
}

# spoofer NS: NS may hold another host's address on lo without answering ARP
# for it or putting it in its own ARP requests (VM-NOTES).
spoofer()
{
	n "$1" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2
}

# attack_lan [-6] SW LAC LNS ATK: the attack suites' three hosts on one LAN
# (lan: LAC 10.0.0.1, LNS .2, ATK .3, with -6 2001:db8::1 to ::3 too), ATK a
# spoofer that also holds the LAC's address(es) on lo, so that it can send
# with the LAC's source address and get the LNS's answers.
attack_lan()
{
	local v6=''

	if [ "$1" = -6 ]; then
		v6=-6
		shift
	fi
	lan ${v6:+"$v6"} "$@"
	spoofer "$4"
	ip -n "$4" addr add 10.0.0.1/32 dev lo
	if [ -n "$v6" ]; then
		ip -n "$4" addr add 2001:db8::1/128 dev lo nodad
	fi
}

# send NS ARGS...: tests/tools/l2tp-udp.py send ARGS in NS.
send()
{
	local ns=$1

	shift
	n "$ns" python3 "$DP_PKT" send "$@"
}

# snap NS [local A:P peer A:P]: the namespace's (or a binding's) counters.
snap()
{
	local ns=$1 json c re out=""

	shift
	json=$(cli "$ns" -j stats "$@") || return 1
	json=${json//[[:space:]]/}
	for c in "${DP_COUNTERS[@]}"; do
		re="\"$c\":([0-9]+)"
		if [[ $json =~ $re ]]; then
			out+="${BASH_REMATCH[1]} "
		else
			out+="0 "
		fi
	done
	echo "${out% }"
}

# delta BEFORE AFTER: the counters that moved, "name+N ...", or "none".
delta()
{
	local -a b a
	local i d out=""

	read -r -a b <<< "$1"
	read -r -a a <<< "$2"
	for i in "${!DP_COUNTERS[@]}"; do
		d=$((a[i] - b[i]))
		[ "$d" -eq 0 ] || out+="${DP_COUNTERS[i]}+$d "
	done
	out=${out% }
	echo "${out:-none}"
}

# want NAME+N...: the same list in DP_COUNTERS order (what delta would say).
want()
{
	local c kv out=""

	for c in "${DP_COUNTERS[@]}"; do
		for kv; do
			[ "${kv%+*}" = "$c" ] && out+="$kv "
		done
	done
	out=${out% }
	echo "${out:-none}"
}

# wanted_total NAME+N...: the sum of the Ns (0 for "none").
wanted_total()
{
	local kv s=0

	for kv; do
		[ "$kv" = none ] || s=$((s + ${kv##*+}))
	done
	echo "$s"
}

# total SNAPSHOT: the sum of its counters (packets judged so far).
total()
{
	local -a v
	local x s=0

	read -r -a v <<< "$1"
	for x in "${v[@]}"; do
		s=$((s + x))
	done
	echo "$s"
}

# snap_after NS BEFORE N [local A:P peer A:P]: poll (<= 10 s) until N more
# packets were judged in NS since the namespace snapshot BEFORE, then print
# the namespace's snapshot, or with the key, that binding's.
snap_after()
{
	local ns=$1 before=$2 n=$3 s i goal

	shift 3
	goal=$(($(total "$before") + n))
	for i in $(seq 100); do
		s=$(snap "$ns") || return 1
		[ "$(total "$s")" -ge "$goal" ] && break
		sleep 0.1
	done
	if [ $# -gt 0 ]; then
		snap "$ns" "$@"
	else
		echo "$s"
	fi
}

# nft_count NS FAMILY TABLE COUNTER: packets of a named nft counter.
nft_count()
{
	local out re='packets ([0-9]+)'

	out=$(n "$1" nft list counter "$2" "$3" "$4") || return 1
	[[ $out =~ $re ]] || return 1
	echo "${BASH_REMATCH[1]}"
}

# eth_watch NS DEV MAC: count frames from MAC arriving on DEV (an l2tpeth
# device) in nft counter "netdev dp_<DEV> rx"; eth_rx NS DEV reads it.
eth_watch()
{
	n "$1" nft -f - <<-EOF
	table netdev dp_$2 {
		counter rx { }
		chain in {
			type filter hook ingress device $2 priority 0;
			ether saddr $3 counter name rx;
		}
	}
	EOF
}

eth_rx()
{
	nft_count "$1" netdev "dp_$2" rx
}

# rx_count FILE: datagrams a tests/tools/l2tp-udp.py receiver has printed.
rx_count()
{
	local line c=0

	while IFS= read -r line; do
		case "$line" in
		"#"*) ;;
		*) c=$((c + 1)) ;;
		esac
	done < "$1"
	echo "$c"
}

# poll_count GOAL CMD...: poll CMD (<= 5 s) until it prints >= GOAL; print
# the last value. For GOAL 0 it reads once.
poll_count()
{
	local goal=$1 v i

	shift
	for i in $(seq 50); do
		v=$("$@") || return 1
		[ "$v" -ge "$goal" ] && break
		sleep 0.1
	done
	echo "$v"
}

# poll_output SECONDS WANT CMD...: CMD's output once it is WANT (polled
# every 0.1 s for at most SECONDS), else its last output.
poll_output()
{
	local end=$((SECONDS + $1)) want=$2 got

	shift 2
	while :; do
		got=$("$@")
		[ "$got" = "$want" ] || [ "$SECONDS" -gt "$end" ] && break
		sleep 0.1
	done
	echo "$got"
}

# mib NS FILE NAME: a counter of /proc/net/snmp, snmp6 or xfrm_stat in NS.
mib()
{
	local ns=$1 file=$2 name=$3 line re

	re="^${name}[[:space:]]+([0-9]+)"
	if [ "$file" = snmp ]; then
		# "Udp: InDatagrams NoPorts ..." then "Udp: 1 2 ...".
		n "$ns" awk -v k="${name#Udp}" '$1 == "Udp:" {
			if (!h) { for (i = 2; i <= NF; i++) if ($i == k) c = i; h = 1 }
			else print $c }' /proc/net/snmp
		return
	fi
	while IFS= read -r line; do
		if [[ $line =~ $re ]]; then
			echo "${BASH_REMATCH[1]}"
			return 0
		fi
	done < <(n "$ns" cat "/proc/net/$file")
	return 1
}

# poll_mib GOAL NS FILE NAME: poll_count for a MIB counter.
poll_mib()
{
	poll_count "$1" mib "$2" "$3" "$4"
}

# expect NAME GOT WANT: one result line; GOT and WANT are exact strings.
expect()
{
	if [ "$2" = "$3" ]; then
		t_pass "$1"
	else
		t_fail "$1" "got '$2', want '$3'"
	fi
}

# nl_joined NS PID: has process PID's netlink socket in NS joined a
# multicast group? (/proc/net/netlink shows the first 32 groups.)
nl_joined()
{
	n "$1" awk -v pid="$2" '$3 == pid && $4 != "00000000" { j = 1 }
		END { exit !j }' /proc/net/netlink
}

# monitor_start NS FILE [ARGS...] [-- PROBE...]: start "l2tp-ipsec -j
# monitor" (or with ARGS, e.g. "monitor" for text) in NS and wait until it
# listens: until its socket has joined the events group, or, should the
# group's number be past 31, until the PROBE command (which must cause one
# violation) shows up. Sets $monitor_pid and $monitor_skip (probe lines to
# skip when reading the events that follow).
monitor_start()
{
	local ns=$1 out=$2 i args=()

	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		args+=("$1")
		shift
	done
	[ $# -eq 0 ] || shift
	[ ${#args[@]} -gt 0 ] || args=(-j monitor)
	spawn "$ns" "$out" "$DP_CLI" "${args[@]}"
	monitor_pid=$spawned
	monitor_skip=0
	for i in $(seq 30); do
		nl_joined "$ns" "$monitor_pid" && return 0
		sleep 0.1
	done
	[ $# -gt 0 ] || return 1
	for i in $(seq 20); do
		"$@" > /dev/null
		sleep 0.2
		[ -s "$out" ] && break
	done
	# Let a probe that passes (audit mode) reach its receiver too.
	sleep 0.5
	monitor_skip=$(grep -c . "$out")
	[ "$monitor_skip" -gt 0 ]
}

# monitor_events FILE N: wait (<= 5 s) for N events after the skipped ones,
# stop the monitor and print "reason/audit" per event, one per line, with
# every other field kept after a tab.
monitor_events()
{
	local out=$1 goal=$(($2 + monitor_skip)) i line re_r re_a r a

	# Up to 20 s: on the debug kernel under TCG the last event can reach
	# the monitor seconds after the counters moved.
	for i in $(seq 200); do
		[ "$(grep -c . "$out")" -ge "$goal" ] && break
		sleep 0.1
	done
	stop "$monitor_pid"
	re_r='"reason":"([a-z-]+)"'
	re_a='"audit":(true|false)'
	tail -n +$((monitor_skip + 1)) "$out" |
	while IFS= read -r line; do
		r="?" a="?"
		[[ $line =~ $re_r ]] && r=${BASH_REMATCH[1]}
		[[ $line =~ $re_a ]] && a=${BASH_REMATCH[1]}
		printf '%s/%s\t%s\n' "$r" "$a" "$line"
	done
}

# monitor_summary FILE N: "N x reason/audit[, M x reason/audit]" of the events.
monitor_summary()
{
	monitor_events "$1" "$2" | cut -f1 | uniq -c |
		awk '{ printf "%s%s x %s", (NR > 1 ? ", " : ""), $1, $2 } END { if (!NR) printf "no events" }'
}

# require_tools: the CLI and the module must be there; else the file fails
# (a test of what was not built has not passed).
require_tools()
{
	if [ ! -x "$DP_CLI" ]; then
		t_fail "agent/l2tp-ipsec built" "$DP_CLI is not built (make)"
		exit 1
	fi
	if [ ! -f "$L2TP_IPSEC_KO" ] && ! mod_loaded; then
		t_fail "l2tp_ipsec.ko built" "$L2TP_IPSEC_KO is not built (make)"
		exit 1
	fi
}

# The three kinds of case every attack is shown with. Before using them set
#   dp_judge  the namespace whose module counters judge the packets
#   dp_rx     a command printing how many attack packets were delivered
#             (eth_rx NS DEV for an l2tpeth device, rx_count FILE for a
#             receiver socket)
#   dp_bind   (optional array) "local A:P peer A:P" of the binding whose own
#             counters are checked as well

# case_mod NAME N NSWANT BINDWANT DELIVERED SEND...: with the module: run
# SEND (N packets), then the namespace counters must have moved by exactly
# NSWANT ("counter+N ..." or "none"), the binding's by BINDWANT ("-": not
# checked) and exactly DELIVERED packets must have arrived. It waits until
# the counters have moved by the sum of NSWANT and DELIVERED have arrived.
case_mod()
{
	local name=$1 n=$2 nsw=$3 bw=$4 dw=$5 b bb="" a ab d0 d got exp judged

	shift 5
	b=$(snap "$dp_judge") || { t_fail "$name" "stats failed"; return 0; }
	[ "$bw" = - ] || bb=$(snap "$dp_judge" "${dp_bind[@]}")
	d0=$("${dp_rx[@]}")
	"$@" || { t_fail "$name" "sending failed: $*"; return 0; }
	judged=$(wanted_total $nsw)
	a=$(snap_after "$dp_judge" "$b" "$judged")
	d=$(($(poll_count $((d0 + dw)) "${dp_rx[@]}") - d0))
	# Nothing to wait for on the counters: look again once delivered.
	[ "$judged" -gt 0 ] || a=$(snap "$dp_judge")
	got="ns: $(delta "$b" "$a"); delivered $d/$n"
	exp="ns: $(want $nsw); delivered $dw/$n"
	if [ "$bw" != - ]; then
		ab=$(snap "$dp_judge" "${dp_bind[@]}")
		got+="; binding: $(delta "$bb" "$ab")"
		exp+="; binding: $(want $bw)"
	fi
	expect "$name" "$got" "$exp"
}

# case_stock NAME N DELIVERED SEND...: without the module, exactly
# DELIVERED of the N packets SEND sends must arrive.
case_stock()
{
	local name=$1 n=$2 dw=$3 d0 d

	shift 3
	if mod_loaded; then
		t_fail "$name" "l2tp_ipsec is still loaded"
		return 0
	fi
	d0=$("${dp_rx[@]}")
	"$@" || { t_fail "$name" "sending failed: $*"; return 0; }
	d=$(($(poll_count $((d0 + dw)) "${dp_rx[@]}") - d0))
	expect "$name" "delivered $d/$n" "delivered $dw/$n"
}

# case_refused NAME N NS MIBFILE MIBNAME SEND...: without the module the
# stock kernel refuses all N packets by itself: the MIB counter that says
# why moves by exactly N in NS and nothing is delivered.
case_refused()
{
	local name=$1 n=$2 ns=$3 file=$4 mibname=$5 m0 m d0 d

	shift 5
	if mod_loaded; then
		t_fail "$name" "l2tp_ipsec is still loaded"
		return 0
	fi
	m0=$(mib "$ns" "$file" "$mibname")
	d0=$("${dp_rx[@]}")
	"$@" || { t_fail "$name" "sending failed: $*"; return 0; }
	m=$(($(poll_mib $((m0 + n)) "$ns" "$file" "$mibname") - m0))
	d=$(($("${dp_rx[@]}") - d0))
	expect "$name" "$mibname+$m, delivered $d/$n" "$mibname+$n, delivered 0/$n"
}
