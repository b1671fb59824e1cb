#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vici-charon.sh [SEED_DIR] - agent/ike's VICI client against the host's own
# charon (strongSwan 5.9.8 on Debian 12), through tests/host/vici-charon.c.
# Not part of "make check": it needs root and strongswan-charon +
# strongswan-swanctl (for the vici plugin). Result lines as tests/lib.sh,
# suite "vici-charon"; charon's answers as text in between.
#
# charon runs in a mount and a network namespace of its own: its fixed pid
# file (/var/run/charon.pid) lands on a private tmpfs, its IKE sockets in a
# netns with only lo, its vici socket and log in a temporary directory. The
# plugins are few (no openssl, gmp and friends do the crypto); kernel-netlink
# needs XFRM in the kernel, nothing more, for what is done here.
#
# With SEED_DIR, what charon sent is written there as fuzz_vici seeds
# (tests/fuzz/corpus/fuzz_vici/charon-*).

set -eu

TOP=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd -P)
# shellcheck source=tests/lib.sh
. "$TOP/tests/lib.sh"
t_suite vici-charon

CHARON=${CHARON:-/usr/lib/ipsec/charon}
VICI_PLUGIN=/usr/lib/ipsec/plugins/libstrongswan-vici.so
seeds=${1:-}

if [ "$(id -u)" -ne 0 ]; then
	t_fail "setup" "needs root (namespaces, charon)"
	exit 1
fi
for f in "$CHARON" "$VICI_PLUGIN"; do
	if [ ! -e "$f" ]; then
		t_fail "setup" "$f missing (strongswan-charon, strongswan-swanctl)"
		exit 1
	fi
done

work=$(mktemp -d /tmp/vici-charon.XXXXXX)
charon_pid=""
cleanup()
{
	if [ -n "$charon_pid" ] && kill -0 "$charon_pid" 2>/dev/null; then
		kill "$charon_pid" 2>/dev/null || true
		wait "$charon_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

"${CC:-cc}" -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -g \
	-I"$TOP/agent" -o "$work/vici-charon" "$TOP/tests/host/vici-charon.c" \
	"$TOP/agent/ike/vici.c" "$TOP/agent/ike/vici_client.c"

cat > "$work/strongswan.conf" <<EOF
charon {
	load_modular = no
	load = random nonce aes sha1 sha2 hmac kdf gmp pem pkcs1 x509 revocation constraints pubkey socket-default kernel-netlink vici
	install_routes = no
	plugins {
		vici {
			socket = unix://$work/charon.vici
		}
	}
	filelog {
		log {
			path = $work/charon.log
			default = 1
			cfg = 2
		}
	}
}
EOF

# unshare and sh exec: $! is charon's pid.
STRONGSWAN_CONF=$work/strongswan.conf unshare -m -n sh -c \
	"mount -t tmpfs tmpfs /run && ip link set lo up && exec $CHARON" \
	> "$work/charon.out" 2>&1 &
charon_pid=$!
for _ in $(seq 100); do
	[ -S "$work/charon.vici" ] && break
	kill -0 "$charon_pid" 2>/dev/null || break
	sleep 0.1
done
if [ ! -S "$work/charon.vici" ]; then
	cat "$work/charon.out" "$work/charon.log" >&2 2>/dev/null || true
	t_fail "charon starts and opens its vici socket" \
	       "no $work/charon.vici after 10 s"
	exit 1
fi
t_pass "charon starts and opens its vici socket (pid $charon_pid)"

[ -z "$seeds" ] || mkdir -p "$seeds"
rc=0
"$work/vici-charon" "$work/charon.vici" "$charon_pid" ${seeds:+"$seeds"} \
	> "$work/client.out" 2>&1 || rc=$?
while IFS= read -r line; do
	case $line in
	PASS\ *|FAIL\ *) t_result "$line" ;;
	*) echo "$line" ;;
	esac
done < "$work/client.out"

# The client stopped charon last; it must be gone.
for _ in $(seq 50); do
	kill -0 "$charon_pid" 2>/dev/null || break
	sleep 0.1
done
if kill -0 "$charon_pid" 2>/dev/null; then
	t_fail "charon stops on SIGTERM" "pid $charon_pid still there"
	rc=1
fi
# What the agent meets when charon is gone: its socket file stays.
crc=0
out=$("$work/vici-charon" --connect "$work/charon.vici") || crc=$?
echo "$out"
if [ -S "$work/charon.vici" ] && [ "$crc" -eq 111 ]; then	# ECONNREFUSED
	t_pass "charon gone: its socket file stays, connect -> ECONNREFUSED"
elif [ ! -e "$work/charon.vici" ] && [ "$crc" -eq 2 ]; then	# ENOENT
	t_pass "charon gone: its socket file removed, connect -> ENOENT"
else
	t_fail "charon gone: connect fails" "exit status $crc: $out"
	rc=1
fi
echo "# charon's log (cfg level 2):"
sed 's/^/#   /' "$work/charon.log"
exit "$rc"
