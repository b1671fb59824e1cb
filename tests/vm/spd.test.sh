#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "l2tp-ipsec spd install|show|remove": the static SPD of RFC 5619 section
# 3.5.4 and Appendix A in the kernel, for the initiator (role si, LAC) and
# the responder (role sc, LNS), IPv4 and IPv6.
#
# RFC 5619 section 3.5.4.1: "Note that IKEv2 and ESP traffic MUST be
# allowed (bypass). These include IP protocol 50 and UDP port 500 and 4500."
# and Appendix A: L2TP (UDP 1701) PROTECT(ESP, transport), at the
# concentrator "* IPv4-SC UDP, src * , dst 1701".
#
# Part 1, in $m alone (no links): the sets as the kernel holds them, "ours"
# marked, install twice = the same SPD, a policy of someone else's listed
# as not ours and kept by "spd remove", one in the place of ours stops an
# install before it changes anything, bad input refused with exit 2.
#
#   +------------------------+
#   | $m   (no interfaces)   |      10.1.0.1 / 2001:db8:1::1 play the SI,
#   |  policies only         |      10.1.0.2 / 2001:db8:1::2 the SC
#   +------------------------+
#
#   +------------------------+
#   | $m2  (no interfaces)   |      a policy not ours in the place of the
#   |  policies only         |      SC's listener, before any install
#   +------------------------+
#
# Part 2, traffic between $si and $sc, per family:
#
#   +----------------------------+                +----------------------------+
#   | $si  initiator (LAC)       |      veth      | $sc  concentrator (LNS)    |
#   |  eth0 10.1.0.1/24          +----------------+  eth0 10.1.0.2/24          |
#   |       2001:db8:1::1/64     |                |       2001:db8:1::2/64     |
#   |  recv UDP :1701            |                |  recv UDP :1701, :500      |
#   +----------------------------+                +----------------------------+
#
# ESP transport SAs, rfc4106(gcm(aes)), empty selectors, in both namespaces:
# si -> sc spi 0xF01, sc -> si spi 0xF02 (F = 4 or 6), reqid 0: an outbound
# template with reqid 0 uses only SAs with reqid 0 (xfrm_state_find()
# compares reqids exactly); a static SA stands in for one IKE would make.
#
#   a. no SPD: L2TP goes in clear (the SA counters stay), as on any host
#   b. SC set on $sc only: clear-text L2TP from $si is dropped by the
#      responder's Any-Addr/Any-Port inbound filter (XfrmInTmplMismatch)
#   c. SI set on $si too: L2TP $si -> $sc is carried in ESP and delivered
#   d. and $sc -> $si (the SC's outbound line, the SI's inbound ones)
#   e. IKE bypass: with a wider PROTECT for all UDP between the two, made by
#      someone else at priority 100000 (where strongSwan's policies live),
#      UDP 500 goes through ESP without our sets and in clear with them;
#      "spd remove" leaves that wider policy alone

set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
. "$TOP/tests/lib.sh"
. "$TOP/tests/datapath-lib.sh"
t_suite spd

if [ ! -x "$DP_CLI" ]; then
	t_fail "agent/l2tp-ipsec built" "$DP_CLI is not built (make)"
	exit 1
fi

m=spd-m m2=spd-m2 si=spd-si sc=spd-sc
N=5

cleanup()
{
	dp_cleanup
}
trap cleanup EXIT

spd() # NS ARGS...: l2tp-ipsec spd ARGS in NS
{
	local ns=$1

	shift
	cli "$ns" spd "$@"
}

# jq_ JSON EXPR: EXPR (python) of the "spd show -j" document JSON, with
# P its policies, ours and other those that are ours and those not.
PY_SPD='import json, sys
P = json.loads(sys.argv[1])["policies"]
ours = [p for p in P if p["ours"]]
other = [p for p in P if not p["ours"]]
def line(p):
    return "%s %s %s %s:%s -> %s:%s" % (p["dir"], p["action"], p["proto"],
        p["src"], p["sport"], p["dst"], p["dport"])
print(eval(sys.argv[2]))'
jq_()
{
	python3 -c "$PY_SPD" "$1" "$2"
}

show() # NS: spd show -j, or an empty document if it failed
{
	cli "$1" -j spd show || echo '{"policies":[]}'
}

# has_policy NS SELECTOR...: ip xfrm policy get finds it in NS
has_policy()
{
	local ns=$1

	shift
	ip -n "$ns" xfrm policy get "$@" > /dev/null
}

# refused NAME RC TEXT CMD...: CMD exits with RC and says TEXT on stderr.
refused()
{
	local name=$1 want=$2 text=$3 rc=0

	shift 3
	"$@" > /dev/null 2> "$DP_TMP/err" || rc=$?
	if [ "$rc" = "$want" ] && grep -qF -- "$text" "$DP_TMP/err"; then
		t_pass "$name"
	else
		t_fail "$name" "status $rc, stderr: $(tr '\n' ' ' < "$DP_TMP/err")"
	fi
}

# ---------------------------------------------------------------------------
# Part 1: the sets in the kernel

mkns "$m" "$m2"

t_check "install role sc, IPv4" spd "$m" install role sc local 10.1.0.2
doc=$(show "$m")
expect "sc IPv4: 6 policies, all ours" "$(jq_ "$doc" 'len(ours), len(other)')" "(6, 0)"
expect "sc IPv4: PROTECT(ESP, transport) from Any-Addr/Any-Port to 10.1.0.2:1701 and back" \
	"$(jq_ "$doc" 'sorted((line(p), [(t["proto"], t["mode"], t["level"]) for t in p["templates"]]) for p in ours if p["action"] == "protect")')" \
	"[('in protect udp any:any -> 10.1.0.2:1701', [('esp', 'transport', 'required')]), ('out protect udp 10.1.0.2:1701 -> any:any', [('esp', 'transport', 'required')])]"
expect "sc IPv4: bypass for ESP and IKE (UDP 500) both ways, priority 19506" \
	"$(jq_ "$doc" 'sorted((line(p), p["priority"]) for p in ours if p["action"] == "bypass")')" \
	"[('in bypass esp any:any -> 10.1.0.2:any', 19506), ('in bypass udp any:any -> 10.1.0.2:500', 19506), ('out bypass esp 10.1.0.2:any -> any:any', 19506), ('out bypass udp 10.1.0.2:500 -> any:any', 19506)]"

t_check "install role sc, IPv6, nat-t" spd "$m" install role sc local 2001:db8:1::2 nat-t
t_check "install role si, IPv4" spd "$m" install role si local 10.1.0.1 remote 10.1.0.2
t_check "install role si, IPv6" spd "$m" install role si local 2001:db8:1::1 remote 2001:db8:1::2
doc=$(show "$m")
expect "sc IPv6 nat-t: UDP 4500 bypassed too" \
	"$(jq_ "$doc" 'sorted(line(p) for p in ours if p["family"] == "ipv6" and p["action"] == "bypass" and "4500" in line(p))')" \
	"['in bypass udp any:any -> 2001:db8:1::2:4500', 'out bypass udp 2001:db8:1::2:4500 -> any:any']"
expect "si IPv4: L2TP protected 1701 <-> 1701 and 1701 <-> Any-Port (RFC 5619 A.1, 3.5.4.1)" \
	"$(jq_ "$doc" '[line(p) for p in ours if p["family"] == "ipv4" and p["action"] == "protect" and p["src"] != "any" and p["dst"] != "any"]')" \
	"['out protect udp 10.1.0.1:1701 -> 10.1.0.2:1701', 'out protect udp 10.1.0.1:1701 -> 10.1.0.2:any', 'in protect udp 10.1.0.2:1701 -> 10.1.0.1:1701', 'in protect udp 10.1.0.2:any -> 10.1.0.1:1701']"
expect "four sets: 6 + 8 + 8 + 8 policies, all ours" "$(jq_ "$doc" 'len(ours), len(other)')" "(30, 0)"
expect "the kernel holds the same 30 (ip xfrm policy), 18 at the BYPASS priority" \
	"$(ip -n "$m" -o xfrm policy | grep -c '^src'), $(ip -n "$m" -o xfrm policy | grep -c 'priority 19506 ')" \
	"30, 18"

spd "$m" install role sc local 10.1.0.2
spd "$m" install role sc local 2001:db8:1::2 nat-t
spd "$m" install role si local 10.1.0.1 remote 10.1.0.2
rc=0
spd "$m" install role si local 2001:db8:1::1 remote 2001:db8:1::2 || rc=$?
expect "install again: exit 0, the same SPD to the byte (indexes too)" \
	"$rc $(show "$m")" "0 $doc"

ip -n "$m" xfrm policy add src 10.9.9.9 dst 10.9.9.8 proto udp dport 1701 dir out
doc=$(show "$m")
expect "a policy added by ip xfrm is listed as not ours" \
	"$(jq_ "$doc" 'len(ours), [(line(p), p["priority"], p["ours"]) for p in other]')" \
	"(30, [('out bypass udp 10.9.9.9:any -> 10.9.9.8:1701', 0, False)])"
t_check "spd show (text): a line per policy under a header, ours marked yes" \
	grep -qE '^in +protect +udp +any +any +10\.1\.0\.2 +1701 +1278345364 +yes$' \
	<(spd "$m" show)

t_check "spd remove of one set (si, IPv4)" \
	spd "$m" remove role si local 10.1.0.1 remote 10.1.0.2
doc=$(show "$m")
expect "only that set went" \
	"$(jq_ "$doc" 'len(ours), len(other), [line(p) for p in ours if p["src"] == "10.1.0.1" or p["dst"] == "10.1.0.1"]')" \
	"(22, 1, [])"
t_check "spd remove" spd "$m" remove
doc=$(show "$m")
expect "spd remove: no policy of ours left, the other one kept" \
	"$(jq_ "$doc" 'len(ours), len(other)')" "(0, 1)"
t_check "the other policy is still in the kernel" \
	has_policy "$m" src 10.9.9.9 dst 10.9.9.8 proto udp dport 1701 dir out

ip -n "$m2" xfrm policy add src 0.0.0.0/0 dst 10.1.0.2 proto udp dport 1701 dir in priority 7
refused "install over a policy not ours with the selector of our listener: exit 1, named" \
	1 "in protect udp any port any -> 10.1.0.2 port 1701: a policy that is not ours (priority 7" \
	spd "$m2" install role sc local 10.1.0.2
expect "... and nothing was installed" "$(jq_ "$(show "$m2")" 'len(ours), len(other)')" "(0, 1)"

refused "bad role: exit 2, named" 2 "bad role 'lns'" spd "$m" install role lns local 10.1.0.2
refused "role si without remote: exit 2" 2 "role si needs 'remote ADDR'" \
	spd "$m" install role si local 10.1.0.1
refused "remote of another family: exit 2, both named" 2 \
	"local '10.1.0.1' and remote '2001:db8:1::2' are of different address families" \
	spd "$m" install role si local 10.1.0.1 remote 2001:db8:1::2
refused "bad address: exit 2, named" 2 "bad local '10.1.0.300'" \
	spd "$m" install role sc local 10.1.0.300
refused "unknown keyword: exit 2, named" 2 "unknown keyword 'peer'" \
	spd "$m" install role sc local 10.1.0.2 peer any
expect "... and nothing was installed" "$(jq_ "$(show "$m")" 'len(ours)')" "0"

# ---------------------------------------------------------------------------
# Part 2: traffic

pair "$si" "$sc"

# fam F: the addresses of family F.
fam()
{
	if [ "$1" = 4 ]; then
		SI=10.1.0.1 SC=10.1.0.2
	else
		SI=2001:db8:1::1 SC=2001:db8:1::2
	fi
}

for f in 4 6; do
	fam $f
	for ns in "$si" "$sc"; do
		{
			sa $SI $SC 0x${f}01 $DP_KEY1 0
			sa $SC $SI 0x${f}02 $DP_KEY2 0
		} | ipb "$ns"
	done
	spawn "$sc" "$DP_TMP/sc$f-1701" python3 "$DP_PKT" recv $SC 1701
	spawn "$sc" "$DP_TMP/sc$f-500" python3 "$DP_PKT" recv $SC 500
	spawn "$si" "$DP_TMP/si$f-1701" python3 "$DP_PKT" recv $SI 1701
done
for f in 4 6; do
	for r in sc$f-1701 sc$f-500 si$f-1701; do
		wait_for_line "$DP_TMP/$r" '^# listening'
	done
done

# sa_packets NS SRC DST SPI: the packets an SA has carried in NS.
sa_packets()
{
	local out re='([0-9]+)\(packets\)'

	out=$(ip -n "$1" -s xfrm state list src "$2" dst "$3" proto esp spi "$4")
	[[ $out =~ $re ]] || { echo "# no counters for SA $4 in $1" >&2; return 1; }
	echo "${BASH_REMATCH[1]}"
}

# rx FILE: datagrams a receiver has printed
rx() { rx_count "$DP_TMP/$1"; }

# udp NS SRC SPORT DST DPORT: N datagrams
udp()
{
	send "$1" "$2" "$3" "$4" "$5" hex 0002000100010001 --count $N
}

traffic_cases()
{
	local f=$1 v=v$1 r0 r1 s0 s1 m0 m1

	fam $f

	# a. no SPD
	r0=$(rx sc$f-1701) s0=$(sa_packets "$sc" $SI $SC 0x${f}01)
	udp "$si" $SI 1701 $SC 1701
	r1=$(poll_count $((r0 + N)) rx sc$f-1701)
	expect "$v a. no SPD: $N L2TP datagrams delivered in clear, the SA unused" \
		"$((r1 - r0)) $(($(sa_packets "$sc" $SI $SC 0x${f}01) - s0))" "$N 0"

	# b. the SC's set only
	t_check "$v b. install role sc in $sc" spd "$sc" install role sc local $SC
	r0=$(rx sc$f-1701) m0=$(mib "$sc" xfrm_stat XfrmInTmplMismatch)
	udp "$si" $SI 1701 $SC 1701
	m1=$(poll_mib $((m0 + N)) "$sc" xfrm_stat XfrmInTmplMismatch)
	expect "$v b. SC set: $N clear-text L2TP datagrams dropped by the Any-Addr inbound filter" \
		"$((m1 - m0)) $(($(rx sc$f-1701) - r0))" "$N 0"

	# c. and the SI's
	t_check "$v c. install role si in $si" spd "$si" install role si local $SI remote $SC
	r0=$(rx sc$f-1701) s0=$(sa_packets "$si" $SI $SC 0x${f}01)
	s1=$(sa_packets "$sc" $SI $SC 0x${f}01)
	udp "$si" $SI 1701 $SC 1701
	r1=$(poll_count $((r0 + N)) rx sc$f-1701)
	expect "$v c. SI -> SC: $N L2TP datagrams delivered, each through SA 0x${f}01 (out at the SI, in at the SC)" \
		"$((r1 - r0)) $(($(sa_packets "$si" $SI $SC 0x${f}01) - s0)) $(($(sa_packets "$sc" $SI $SC 0x${f}01) - s1))" \
		"$N $N $N"

	# d. the other way
	r0=$(rx si$f-1701) s0=$(sa_packets "$sc" $SC $SI 0x${f}02)
	s1=$(sa_packets "$si" $SC $SI 0x${f}02)
	udp "$sc" $SC 1701 $SI 1701
	r1=$(poll_count $((r0 + N)) rx si$f-1701)
	expect "$v d. SC -> SI: $N L2TP datagrams delivered, each through SA 0x${f}02" \
		"$((r1 - r0)) $(($(sa_packets "$sc" $SC $SI 0x${f}02) - s0)) $(($(sa_packets "$si" $SC $SI 0x${f}02) - s1))" \
		"$N $N $N"

	# e. IKE bypass under someone else's wider PROTECT
	spd "$si" remove
	spd "$sc" remove
	ip -n "$si" xfrm policy add src $SI dst $SC proto udp dir out priority 100000 \
		tmpl src $SI dst $SC proto esp mode transport
	ip -n "$sc" xfrm policy add src $SI dst $SC proto udp dir in priority 100000 \
		tmpl src $SI dst $SC proto esp mode transport
	r0=$(rx sc$f-500) s0=$(sa_packets "$sc" $SI $SC 0x${f}01)
	udp "$si" $SI 500 $SC 500
	r1=$(poll_count $((r0 + N)) rx sc$f-500)
	expect "$v e. without our sets, the wider PROTECT puts UDP 500 in ESP" \
		"$((r1 - r0)) $(($(sa_packets "$sc" $SI $SC 0x${f}01) - s0))" "$N $N"
	spd "$si" install role si local $SI remote $SC
	spd "$sc" install role sc local $SC
	r0=$(rx sc$f-500) s0=$(sa_packets "$sc" $SI $SC 0x${f}01)
	udp "$si" $SI 500 $SC 500
	r1=$(poll_count $((r0 + N)) rx sc$f-500)
	expect "$v e. with them, IKE (UDP 500) passes in clear both ways past it: delivered, SA unused" \
		"$((r1 - r0)) $(($(sa_packets "$sc" $SI $SC 0x${f}01) - s0))" "$N 0"
	spd "$si" remove
	spd "$sc" remove
	t_check "$v e. spd remove leaves the wider policy alone" \
		has_policy "$si" src $SI dst $SC proto udp dir out
	expect "$v e. and removes all of ours" \
		"$(jq_ "$(show "$si")" 'len(ours), len(other)') $(jq_ "$(show "$sc")" 'len(ours), len(other)')" \
		"(0, 1) (0, 1)"
	ip -n "$si" xfrm policy del src $SI dst $SC proto udp dir out
	ip -n "$sc" xfrm policy del src $SI dst $SC proto udp dir in
}

traffic_cases 4
traffic_cases 6

[ "$T_FAILED" -eq 0 ]
