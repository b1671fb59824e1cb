#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "l2tp-ipsec agent": its configuration file and its life cycle, in one
# namespace with the module loaded.
#
#   - a bad file at start: exit 2, file:line on stderr, the namespace's
#     settings untouched;
#   - a good file: policy, mode, ports and max_bindings applied
#     ("config show"), READY=1 to $NOTIFY_SOCKET only then;
#   - a UDP datagram to port 1701: an unbound event (debug) and, under
#     require-ipsec + audit, a violation (warning) in the log;
#   - SIGHUP with a changed file: applied; with a broken one: file:line
#     logged, the agent runs on, the settings stay;
#   - SIGTERM: exit 0, settings and bindings left as they are;
#     --flush-on-exit + SIGINT: exit 0, the agent's bindings gone (none
#     here), an operator's binding and the settings stay;
#   - under systemd ($JOURNAL_STREAM naming stderr) lines carry "<N>".

set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
. "$TOP/tests/lib.sh"
t_suite agent-config

AGENT=$TOP/agent/l2tp-ipsec
ns=agc-ns
tmp=$(mktemp -d /tmp/agent-config.XXXXXX)
conf=$tmp/agent.conf
log=$tmp/agent.log
pid=""
lpid=""

cleanup()
{
	if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi
	if [ -n "$lpid" ]; then kill -9 "$lpid" 2>/dev/null || true; fi
	ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

# settings: "POLICY MODE PORTS MAX_BINDINGS NUM_BINDINGS" of the namespace
settings()
{
	n "$ns" "$AGENT" -j config show | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["policy"], d["mode"], ",".join(map(str, d["ports"])) or "none",
      d["max_bindings"], d["num_bindings"])'
}

# settings_are WANT: the namespace's settings are WANT (else say both)
settings_are()
{
	local got

	got=$(settings)
	[ "$got" = "$1" ] && return 0
	echo "# settings: got '$got', want '$1'" >&2
	return 1
}

# wait_for FILE TEXT [SECONDS]: TEXT (fixed string) shows up in FILE
wait_for()
{
	local _

	for _ in $(seq 1 $((${3:-5} * 10))); do
		grep -qF -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "# '$2' not in $1:" >&2
	sed 's/^/#   /' "$1" >&2 || true
	return 1
}

alive()
{
	kill -0 "$pid" 2>/dev/null
}

# stopped_with STATUS: the agent exits, with STATUS
stopped_with()
{
	local rc=0 _

	for _ in $(seq 1 50); do
		alive || break
		sleep 0.1
	done
	wait "$pid" || rc=$?
	pid=""
	[ "$rc" -eq "$1" ] && return 0
	echo "# agent exit status $rc, want $1" >&2
	return 1
}

send_l2tp()
{
	n "$ns" python3 "$TOP/tests/tools/l2tp-udp.py" send 127.0.0.1 "$1" \
		127.0.0.1 1701 v2 1 1 > /dev/null
}

# shellcheck disable=SC2119 # no module parameters
mod_load
ip netns add "$ns"
ip -n "$ns" link set lo up
n "$ns" "$AGENT" config set policy pass mode enforce ports 1701 max-bindings 262144
n "$ns" "$AGENT" binding add local 192.0.2.1:1701 peer 198.51.100.2:1701
base="pass enforce 1701 262144 1"
t_check "baseline settings and one binding" settings_are "$base"

# --- a bad file at start ----------------------------------------------------
cat > "$conf" <<-EOF
	[agent]
	role = lac
	local = 127.0.0.1
	bogus = 1
	policy = drop
EOF
rc=0
n "$ns" timeout 10 "$AGENT" agent -c "$conf" 2> "$log" || rc=$?
t_check "bad file at start: exit status 2" test "$rc" -eq 2
t_check "bad file at start: file:line: reason on stderr" \
	grep -qxF "l2tp-ipsec: error: $conf:4: unknown key 'bogus' in [agent]" "$log"
t_check "bad file at start: settings untouched" settings_are "$base"

rc=0
n "$ns" "$AGENT" agent --check -c "$conf" 2> /dev/null || rc=$?
t_check "--check of the bad file: exit status 2" test "$rc" -eq 2

# --- a good file ------------------------------------------------------------
cat > "$conf" <<-EOF
	# the agent of the test
	[agent]
	role = lac
	local = 127.0.0.1
	policy = require-ipsec
	mode = audit
	ports = 1701,1702
	max_bindings = 100
	log_level = debug
EOF
# A listener for sd_notify datagrams: one line per datagram.
python3 -u -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("# listening", flush=True)
while True:
    print(s.recv(4096).decode().replace("\n", " "), flush=True)
' "$tmp/notify" > "$tmp/notify.out" &
lpid=$!
wait_for "$tmp/notify.out" "# listening"

: > "$log"
# Not through n(): $! must be the agent's pid, not a subshell's.
ip netns exec "$ns" env NOTIFY_SOCKET="$tmp/notify" "$AGENT" agent -c "$conf" 2> "$log" &
pid=$!
t_check "good file: started" wait_for "$log" "l2tp-ipsec: info: started: role lac local 127.0.0.1 policy require-ipsec mode audit ports 1701,1702 max_bindings 100 log_level debug nat_t yes"
t_check "good file: \$! is the agent" \
	test "$(readlink "/proc/$pid/exe")" = "$(readlink -f "$AGENT")"
t_check "good file: policy, mode, ports, max_bindings applied" \
	settings_are "require-ipsec audit 1701,1702 100 1"
t_check "good file: READY=1 to NOTIFY_SOCKET" \
	wait_for "$tmp/notify.out" "READY=1 STATUS=configuration applied, watching events"

# --- events -----------------------------------------------------------------
send_l2tp 40001
t_check "datagram to 1701: unbound event logged (debug)" \
	wait_for "$log" "l2tp-ipsec: debug: unbound src 127.0.0.1:40001 dst 127.0.0.1:1701 audited policy"
t_check "datagram to 1701: violation logged (warning)" \
	wait_for "$log" "l2tp-ipsec: warning: violation policy audited src 127.0.0.1:40001 dst 127.0.0.1:1701"

# --- SIGHUP, a changed file -------------------------------------------------
cat > "$conf" <<-EOF
	[agent]
	role = lac
	local = 127.0.0.1
	max_bindings = 200
	log_level = debug
EOF
kill -HUP "$pid"
t_check "SIGHUP, changed file: reloaded" \
	wait_for "$log" "l2tp-ipsec: info: configuration reloaded: role lac local 127.0.0.1 policy pass mode enforce ports 1701 max_bindings 200 log_level debug nat_t yes"
t_check "SIGHUP, changed file: applied (keys left out: defaults)" \
	settings_are "pass enforce 1701 200 1"
# ready_again: RELOADING=1, then a READY=1 of its own after it
ready_again()
{
	local _

	for _ in $(seq 1 50); do
		sed -n '/^RELOADING=1$/,$p' "$tmp/notify.out" | grep -qx "READY=1" &&
			return 0
		sleep 0.1
	done
	sed 's/^/#   /' "$tmp/notify.out" >&2
	return 1
}
t_check "SIGHUP: RELOADING=1, then READY=1" ready_again

# --- SIGHUP, a broken file --------------------------------------------------
cat > "$conf" <<-EOF
	[agent]
	role = lac
	policy = maybe
	local = 127.0.0.1
EOF
kill -HUP "$pid"
t_check "SIGHUP, broken file: file:line: reason logged" \
	wait_for "$log" "l2tp-ipsec: error: $conf:3: bad policy 'maybe': must be pass, require-ipsec or drop"
t_check "SIGHUP, broken file: previous configuration kept" \
	wait_for "$log" "l2tp-ipsec: error: reload failed: the previous configuration stays in force"
t_check "SIGHUP, broken file: still running" alive
t_check "SIGHUP, broken file: settings stay" settings_are "pass enforce 1701 200 1"
send_l2tp 40002
t_check "SIGHUP, broken file: events still served" \
	wait_for "$log" "l2tp-ipsec: debug: unbound src 127.0.0.1:40002 dst 127.0.0.1:1701 accepted none"

# --- SIGTERM ----------------------------------------------------------------
kill -TERM "$pid"
t_check "SIGTERM: exit status 0" stopped_with 0
t_check "SIGTERM: logged" grep -qF "l2tp-ipsec: info: SIGTERM: exiting" "$log"
t_check "SIGTERM: settings and binding left as they are" \
	settings_are "pass enforce 1701 200 1"
t_check "SIGTERM: STOPPING=1" wait_for "$tmp/notify.out" "STOPPING=1"
kill "$lpid" 2>/dev/null || true
wait "$lpid" 2>/dev/null || true
lpid=""

# --- --flush-on-exit, SIGINT -------------------------------------------------
cat > "$conf" <<-EOF
	[agent]
	role = lac
	local = 127.0.0.1
	ports = 1702
	log_level = warning
EOF
: > "$log"
ip netns exec "$ns" "$AGENT" agent --flush-on-exit -v -c "$conf" 2> "$log" &
pid=$!
# -v: info despite log_level = warning
t_check "--flush-on-exit -v: started" wait_for "$log" "l2tp-ipsec: info: started: role lac"
t_check "--flush-on-exit: settings applied" settings_are "pass enforce 1702 262144 1"
kill -INT "$pid"
t_check "SIGINT: exit status 0" stopped_with 0
t_check "--flush-on-exit: others' binding and settings stay" \
	settings_are "pass enforce 1702 262144 1"

# --- under systemd: journal priority prefixes -------------------------------
cat > "$conf" <<-EOF
	[agent]
	role = lac
EOF
: > "$log"
stream=$(stat -c '%d:%i' "$log")
JOURNAL_STREAM=$stream "$AGENT" agent --check -c "$conf" 2>> "$log" || true
t_check "JOURNAL_STREAM names stderr: '<3>' prefix" \
	grep -qxF "<3>$conf: missing required key 'local' in [agent]" "$log"
: > "$log"
JOURNAL_STREAM=1:1 "$AGENT" agent --check -c "$conf" 2>> "$log" || true
t_check "JOURNAL_STREAM names another stream: human prefix" \
	grep -qxF "l2tp-ipsec: error: $conf: missing required key 'local' in [agent]" "$log"

[ "$T_FAILED" -eq 0 ]
