# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Real strongSwan for the VM suites, sourced after tests/lib.sh and
# tests/datapath-lib.sh: one charon per namespace, certificates made
# with strongSwan's pki at run time, and the agent with a PAD.
#
# charon writes its pid to a fixed /run/charon.pid and listens on one VICI
# socket: each instance runs in a mount namespace of its own with a private
# /run, its own strongswan.conf (STRONGSWAN_CONF) and its VICI socket in
# IKE_DIR/NS/charon.vici, which every namespace can reach (a socket is a
# path, not scoped by network namespace).

IKE_CHARON=${IKE_CHARON:-/usr/lib/ipsec/charon}
# On tmpfs: the results directory is 9p, where no unix socket can be made.
IKE_DIR=$DP_TMP/ike
# Debian 12's strongswan-charon and libstrongswan: no openssl plugin, so RSA
# (gmp) and MODP groups; eap-md5 from libcharon-extra-plugins.
IKE_PLUGINS="random nonce aes sha1 sha2 hmac kdf gmp mgf1 drbg pem pkcs1 pkcs8 x509 revocation constraints pubkey kernel-netlink socket-default vici md5 eap-md5"
declare -A ike_pid

# ike_require: charon, swanctl and pki must be there (scripts/install-deps);
# a suite without them fails, it does not skip.
ike_require()
{
	local tool

	for tool in "$IKE_CHARON" "$(command -v swanctl)" "$(command -v pki)"; do
		if [ ! -x "$tool" ]; then
			t_fail "strongSwan installed" "charon, swanctl or pki missing (scripts/install-deps)"
			exit 1
		fi
	done
}

# cleanup for "trap ike_cleanup EXIT": the logs of charon and the agents
# go next to the results (they outlive the guest), then dp_cleanup.
ike_cleanup()
{
	local f dst

	if [ -n "${L2TP_IPSEC_RESULTS:-}" ]; then
		dst=${L2TP_IPSEC_RESULTS%/*}/ike
		rm -rf "$dst"
		for f in "$IKE_DIR"/*/*.log "$IKE_DIR"/*/*.conf; do
			[ -f "$f" ] || continue
			mkdir -p "$dst/$(basename "$(dirname "$f")")"
			cp "$f" "$dst/$(basename "$(dirname "$f")")/"
		done
	fi
	dp_cleanup
}

# ike_cleanup_saving NAME NS...: cleanup for a suite with real daemons:
# its logs, configs and ping outputs into the results' NAME/ directory,
# every process in the NSs killed (xl2tpd, pppd, agents), then ike_cleanup.
ike_cleanup_saving()
{
	local name=$1 ns f dst

	shift
	trap - EXIT
	set +eu
	if [ -n "${L2TP_IPSEC_RESULTS:-}" ]; then
		dst=${L2TP_IPSEC_RESULTS%/*}/$name
		rm -rf "$dst"
		mkdir -p "$dst"
		for f in "$DP_TMP"/*.log "$DP_TMP"/*.conf "$DP_TMP"/*.ping; do
			[ -f "$f" ] && cp "$f" "$dst/"
		done
	fi
	# bash would report every job killed here.
	exec 2> /dev/null
	for ns; do
		ip netns pids "$ns" | xargs -r kill -9
	done
	ike_cleanup
}

# ike_socket NS: the VICI socket of NS's charon.
ike_socket()
{
	echo "$IKE_DIR/$1/charon.vici"
}

# swan NS COMMAND [ARGS...]: swanctl COMMAND against NS's charon (--uri
# is an option of the command, so it goes after it). Bounded: a charon
# that accepted and never answers must not hang the suite.
swan()
{
	local ns=$1 cmd=$2

	shift 2
	timeout 20 swanctl "$cmd" --uri "unix://$(ike_socket "$ns")" "$@"
}

# ike_start NS: start a charon in NS and wait (<= 20 s) for its VICI socket.
ike_start()
{
	local ns=$1 d=$IKE_DIR/$1 end

	mkdir -p "$d"
	cat > "$d/strongswan.conf" <<-EOF
		charon {
			load = $IKE_PLUGINS
			install_routes = no
			install_virtual_ip = no
			# TCG is slow: give a peer time before retransmitting.
			retransmit_tries = 4
			retransmit_timeout = 8.0
			plugins {
				vici {
					socket = unix://$d/charon.vici
				}
			}
			filelog {
				log {
					path = $d/charon.log
					flush_line = yes
					time_format = %T
					default = 1
					ike = 2
					cfg = 2
					knl = 1
				}
			}
		}
	EOF
	rm -f "$d/charon.vici"
	ip netns exec "$ns" env STRONGSWAN_CONF="$d/strongswan.conf" \
		unshare -m sh -c 'mount -t tmpfs none /run && exec "$0"' "$IKE_CHARON" \
		> "$d/charon.out" 2>&1 &
	ike_pid[$ns]=$!
	dp_pids+=("${ike_pid[$ns]}")
	end=$((SECONDS + 20))
	while [ "$SECONDS" -le "$end" ]; do
		[ -S "$d/charon.vici" ] && swan "$ns" --stats > /dev/null 2>&1 && return 0
		kill -0 "${ike_pid[$ns]}" 2>/dev/null || break
		sleep 0.1
	done
	echo "# charon in $ns did not come up:" >&2
	sed 's/^/#   /' "$d/charon.out" "$d/charon.log" >&2 2>/dev/null
	return 1
}

# ike_wait_log NS PATTERN [SECONDS]: poll (default 20 s) the log of NS's
# agent, IKE_DIR/NS/agent.log, for PATTERN.
ike_wait_log()
{
	local end=$((SECONDS + ${3:-20}))

	while [ "$SECONDS" -le "$end" ]; do
		grep -q -- "$2" "$IKE_DIR/$1/agent.log" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# ike_kill NS [SIGNAL]: stop NS's charon (default SIGKILL, as a crash).
ike_kill()
{
	kill "-${2:-KILL}" "${ike_pid[$1]}" 2>/dev/null || true
	wait "${ike_pid[$1]}" 2>/dev/null || true
}

# ike_pki [NAME...]: a CA and certificates in IKE_DIR/pki: without NAMEs
# for sc.example, si.example and si2.example, and mallory.example from
# another CA (with the CN si.example); with NAMEs for NAME.example each
# (NAME.pem, NAME.key), nothing else.
ike_pki()
{
	local p=$IKE_DIR/pki name names=("$@") pids=()

	[ $# -gt 0 ] || names=(sc si si2)
	mkdir -p "$p"
	pki --gen --type rsa --size 2048 --outform pem > "$p/ca.key"
	pki --self --ca --lifetime 30 --in "$p/ca.key" --type rsa \
		--dn "C=CH, O=l2tp-ipsec test, CN=Test CA" --outform pem > "$p/ca.pem"
	# RSA key generation is most of the time under TCG: one per guest CPU.
	for name in "${names[@]}"; do
		{
			pki --gen --type rsa --size 2048 --outform pem > "$p/$name.key"
			pki --pub --in "$p/$name.key" --type rsa |
				pki --issue --lifetime 30 --cacert "$p/ca.pem" --cakey "$p/ca.key" \
					--dn "C=CH, O=l2tp-ipsec test, CN=$name.example" \
					--san "$name.example" --outform pem > "$p/$name.pem"
		} &
		pids+=($!)
	done
	wait "${pids[@]}"
	for name in "${names[@]}"; do
		[ -s "$p/$name.pem" ] || return 1
	done
	[ $# -eq 0 ] || return 0
	pki --gen --type rsa --size 2048 --outform pem > "$p/evil-ca.key"
	pki --self --ca --lifetime 30 --in "$p/evil-ca.key" --type rsa \
		--dn "C=CH, O=l2tp-ipsec test, CN=Test CA" --outform pem > "$p/evil-ca.pem"
	pki --gen --type rsa --size 2048 --outform pem > "$p/mallory.key"
	pki --pub --in "$p/mallory.key" --type rsa |
		pki --issue --lifetime 30 --cacert "$p/evil-ca.pem" --cakey "$p/evil-ca.key" \
			--dn "C=CH, O=l2tp-ipsec test, CN=si.example" \
			--san "si.example" --outform pem > "$p/mallory.pem"
}

# ike_sas NS LOCAL: "reqid spi" of every inbound ESP transport SA of NS
# (destination LOCAL), as the kernel has them, one per line.
ike_sas()
{
	ip -n "$1" xfrm state list dst "$2" proto esp 2>/dev/null |
		sed -n 's/.*proto esp spi \(0x[0-9a-f]*\) reqid \([0-9]*\) mode transport.*/\2 \1/p'
}

# ike_wait_sa NS LOCAL [N]: poll (<= 90 s; IKE under TCG is slow) until NS has N (default 1)
# inbound ESP transport SAs to LOCAL.
ike_wait_sa()
{
	local end=$((SECONDS + 90)) want=${3:-1}

	while [ "$SECONDS" -le "$end" ]; do
		[ "$(ike_sas "$1" "$2" | wc -l)" -ge "$want" ] && return 0
		sleep 0.2
	done
	return 1
}

# ike_operator_conn NS: load a connection "operator" as an operator would
# (swanctl --load-conns): the agent must never touch it.
ike_operator_conn()
{
	cat > "$IKE_DIR/$1/operator.conf" <<-EOF
		connections {
			operator {
				remote_addrs = 192.0.2.99
				local {
					auth = psk
				}
				remote {
					auth = psk
				}
				children {
					op {
					}
				}
			}
		}
	EOF
	swan "$1" --load-conns --file "$IKE_DIR/$1/operator.conf" > /dev/null
}

# ike_conns NS: the connections NS's charon has, one name per line.
ike_conns()
{
	swan "$1" --list-conns --raw 2>/dev/null | grep -o '^list-conn event {[^ ]*' |
		sed 's/^list-conn event {//'
}

# ike_peer_pubkey SECTION REMOTE_ID LOCAL: the lines of an agent's
# "[peer SECTION]" authenticated with certificates from ike_pki, LOCAL's
# own (LOCAL.pem, LOCAL.key) and the CA's.
ike_peer_pubkey()
{
	local p=$IKE_DIR/pki

	printf '[peer %s]\nremote_id = %s\nauth = pubkey\nlocal_id = %s.example\n' "$1" "$2" "$3"
	printf 'local_cert = %s\nlocal_key = %s\nca_cert = %s\n' "$p/$3.pem" "$p/$3.key" "$p/ca.pem"
}

# ike_agent_conf NS ROLE LOCAL... -- LINE...: write IKE_DIR/NS/agent.conf,
# an [agent] section for ROLE with NS's VICI socket and the LOCAL
# addresses, then the LINEs (more [agent] keys first, then [peer]
# sections, e.g. from ike_peer_pubkey); empty lines are left out.
ike_agent_conf()
{
	local ns=$1 role=$2

	shift 2
	mkdir -p "$IKE_DIR/$ns"
	{
		printf '[agent]\nrole = %s\nvici_socket = %s\n' "$role" "$(ike_socket "$ns")"
		while [ "$1" != -- ]; do
			printf 'local = %s\n' "$1"
			shift
		done
		shift
		printf '%s\n' "$@"
	} | sed '/^$/d' > "$IKE_DIR/$ns/agent.conf"
}
