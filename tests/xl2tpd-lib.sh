# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for the suites that run real xl2tpd 1.3.18 (kernel mode) with
# pppd as LAC and LNS in two namespaces, sourced after tests/lib.sh and
# tests/datapath-lib.sh. Files live in $DP_TMP: SIDE.conf, SIDE.ppp,
# SIDE.pid, SIDE.ctl (one config, pid and control file per instance,
# VM-NOTES), NS.xl2tpd.log.

# xl2tpd_require: FAIL and exit unless xl2tpd and pppd are installed (the
# suites exist to measure them; scripts/install-deps installs them).
xl2tpd_require()
{
	command -v xl2tpd > /dev/null && command -v pppd > /dev/null && return 0
	t_fail "xl2tpd and pppd installed" "the real peer is missing (scripts/install-deps)"
	exit 1
}

# xl2tpd_configs LAC LNS [LNS_GLOBAL [LAC_GLOBAL]]: write both configs, the
# LNS handing out 192.168.100.10-20 as 192.168.100.1; LNS_GLOBAL and
# LAC_GLOBAL are extra [global] lines (debug switches).
xl2tpd_configs()
{
	local lac=$1 lns=$2 lns_extra=${3:-} lac_extra=${4:-} side

	for side in lac lns; do
		cat > "$DP_TMP/$side.ppp" <<-EOF
			noauth
			nodefaultroute
			noccp
			lcp-echo-interval 0
			ipcp-accept-local
			ipcp-accept-remote
			mtu 1400
			mru 1400
		EOF
	done
	cat > "$DP_TMP/lns.conf" <<-EOF
		[global]
		listen-addr = $lns
		port = 1701
		access control = no
		$lns_extra
		[lns default]
		ip range = 192.168.100.10-192.168.100.20
		local ip = 192.168.100.1
		require authentication = no
		length bit = yes
		pppoptfile = $DP_TMP/lns.ppp
	EOF
	cat > "$DP_TMP/lac.conf" <<-EOF
		[global]
		listen-addr = $lac
		port = 1701
		access control = no
		$lac_extra
		[lac lns]
		lns = $lns
		autodial = yes
		redial = no
		require authentication = no
		length bit = yes
		pppoptfile = $DP_TMP/lac.ppp
	EOF
}

# xl2tpd_start NS SIDE: xl2tpd in NS with SIDE's files, in the foreground.
xl2tpd_start()
{
	spawn "$1" "$DP_TMP/$1.xl2tpd.log" xl2tpd -D -c "$DP_TMP/$2.conf" \
		-p "$DP_TMP/$2.pid" -C "$DP_TMP/$2.ctl"
}

# xl2tpd_quiet CMD...: CMD with both xl2tpd stopped (SIGSTOP), so that no
# Hello or ZLB of theirs (every 60 s) moves the counters a case counts;
# kernel-mode data still flows, and what reached their sockets meanwhile
# is read once they go on.
xl2tpd_quiet()
{
	local rc=0

	# shellcheck disable=SC2046 # one pid per file
	kill -STOP $(cat "$DP_TMP/lac.pid" "$DP_TMP/lns.pid")
	"$@" || rc=$?
	# shellcheck disable=SC2046
	kill -CONT $(cat "$DP_TMP/lac.pid" "$DP_TMP/lns.pid")
	return $rc
}

# ppp_up NS [SECONDS]: poll (default <= 30 s) until ppp0 in NS has an
# address; the bound is in seconds, whatever one poll costs.
ppp_up()
{
	local end=$((SECONDS + ${2:-30}))

	until n "$1" ip -4 addr show dev ppp0 2> /dev/null | grep -q inet; do
		if [ "$SECONDS" -gt "$end" ]; then
			sed 's/^/#   /' "$DP_TMP"/*.xl2tpd.log >&2
			return 1
		fi
		sleep 0.1
	done
}

# ntunnels NS: the kernel L2TP tunnels of NS.
ntunnels()
{
	n "$1" ip l2tp show tunnel | grep -c '^Tunnel' || true
}

# ppp6_up NS [SECONDS]: poll (default <= 30 s) until ppp0 in NS has a
# usable (not tentative) IPv6 link-local address: IPv6CP is up (pppd
# +ipv6). The bound is in seconds, whatever one poll costs.
ppp6_up()
{
	local end=$((SECONDS + ${2:-30}))

	while :; do
		n "$1" ip -6 addr show dev ppp0 scope link 2> /dev/null |
			grep 'inet6 fe80' | grep -qv tentative && return 0
		[ "$SECONDS" -le "$end" ] || return 1
		sleep 0.1
	done
}

# xl2tpd_ppp6_opts SIDE IPV6: SIDE.ppp, pppd options with IPv6CP only
# (noip, +ipv6), interface identifiers IPV6 ("local,remote").
xl2tpd_ppp6_opts()
{
	cat > "$DP_TMP/$1.ppp" <<-EOF
		noauth
		nodefaultroute
		noccp
		noip
		+ipv6
		ipv6 $2
		lcp-echo-interval 0
		mtu 1400
		mru 1400
	EOF
}
