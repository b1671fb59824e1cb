#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A VICI server that answers badly, one fault per round (tests/vm/ike).

usage: vici-bad-server.py PATH LOG N

Listens on PATH (unix stream, the wire format of strongSwan 5.9.8's
src/libcharon/plugins/vici/README.md). The first request of the kind of
FAULTS[N] (an event registration or a command) gets that fault, and the
connection is closed; every other request, before and after, a
well-formed answer: registrations are confirmed, commands answered
"success = no". The fault is written to LOG when sent. --list prints the
faults, one per line.
"""

import os
import socket
import struct
import sys
import threading

CMD_REQUEST, CMD_RESPONSE, EVENT_REGISTER, EVENT_CONFIRM, EVENT_UNKNOWN = 0, 1, 3, 5, 6
SECTION_START, SECTION_END, KEY_VALUE = 1, 2, 3


def pkt(payload):
    return struct.pack(">I", len(payload)) + payload


def kv(key, value):
    return bytes([KEY_VALUE, len(key)]) + key + struct.pack(">H", len(value)) + value


# (name, kind: "event" or "command", bytes sent in answer)
FAULTS = [
    ("length 0xffffffff", "event", struct.pack(">I", 0xFFFFFFFF)),
    ("length over 512 KiB", "event", struct.pack(">I", 512 * 1024 + 1) + b"\x05" * 64),
    ("truncated: 100 bytes announced, 3 sent", "event", struct.pack(">I", 100) + b"\x05ab"),
    ("unknown packet type 42", "event", pkt(b"\x2a")),
    ("section end at the top", "command", pkt(bytes([CMD_RESPONSE, SECTION_END]))),
    ("a value longer than the packet", "command",
     pkt(bytes([CMD_RESPONSE, KEY_VALUE, 7]) + b"success" + struct.pack(">H", 60000) + b"yes")),
    ("sections nested 200 deep", "command",
     pkt(bytes([CMD_RESPONSE]) + bytes([SECTION_START, 1, ord("s")]) * 200)),
    ("an unclosed section", "command",
     pkt(bytes([CMD_RESPONSE, SECTION_START, 1, ord("s")]) + kv(b"success", b"yes"))),
]

lock = threading.Lock()
state = {"fault": 0, "sent": False}


def recv_packet(conn):
    hdr = b""
    while len(hdr) < 4:
        b = conn.recv(4 - len(hdr))
        if not b:
            return None
        hdr += b
    (n,) = struct.unpack(">I", hdr)
    body = b""
    while len(body) < n:
        b = conn.recv(n - len(body))
        if not b:
            return None
        body += b
    return body


def serve(conn, log):
    with conn:
        while True:
            req = recv_packet(conn)
            if req is None:
                return
            kind = "event" if req[0] == EVENT_REGISTER else "command"
            with lock:
                fault = FAULTS[state["fault"]]
                fault = None if state["sent"] or fault[1] != kind else fault
                state["sent"] = state["sent"] or fault is not None
            if fault:
                log.write(f"fault sent: {fault[0]}\n")
                log.flush()
                conn.sendall(fault[2])
                return
            if kind == "event":
                conn.sendall(pkt(bytes([EVENT_CONFIRM])))
            else:
                conn.sendall(pkt(bytes([CMD_RESPONSE]) + kv(b"success", b"no") +
                                 kv(b"errmsg", b"vici-bad-server says no")))


def main():
    if sys.argv[1:] == ["--list"]:
        for name, kind, _ in FAULTS:
            print(f"{kind}: {name}")
        return
    path, logpath = sys.argv[1], sys.argv[2]
    state["fault"] = int(sys.argv[3])
    if os.path.exists(path):
        os.unlink(path)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(8)
    with open(logpath, "a") as log:
        while True:
            conn, _ = srv.accept()
            threading.Thread(target=serve, args=(conn, log), daemon=True).start()


if __name__ == "__main__":
    main()
