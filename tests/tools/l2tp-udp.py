#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Small L2TP/UDP packet tools for the data-path tests.

  l2tp-udp.py send SRC SPORT DST DPORT KIND [ARGS] [--count N] [--mark M]
                   [--size BYTES] [--answers SECONDS] [--raw]
      Send N crafted L2TP datagrams from SRC:SPORT (bound, so SRC must be a
      local address; the kernel's xfrm policies apply as to any UDP socket),
      with SO_MARK M if given, padded with zeros to BYTES if given (larger
      than the MTU: the kernel fragments them). With --answers, then print
      what the socket receives for SECONDS, as recv does, and "# answers N".
      With --raw, through a raw socket, the UDP header built here: SPORT
      may be a live tunnel's, and no xfrm policy selecting ports matches
      (the kernel sees none in a raw socket's flow): cleartext even where
      IPsec is required, as an attacker's would be.
      KIND:
        v3 SESSION SMAC    L2TPv3 data header (no cookie, no L2-specific
                           sublayer) + an Ethernet frame from SMAC to
                           ff:ff:ff:ff:ff:ff, ethertype 0x88b5
        v2 TUNNEL SESSION  L2TPv2 data header (no optional fields) + PPP
        v3ctl CCID         L2TPv3 control message over UDP (T, L, S; RFC 3931
                           section 3.2.1) to control connection CCID, Ns 0,
                           Nr 0, with a Message Type AVP: SCCRQ if CCID is 0,
                           else HELLO
        stopccn TUNNEL ASSIGNED NS
                           L2TPv2 StopCCN (RFC 2661 sections 4.4.2, 6.4) to
                           tunnel TUNNEL, session 0, with Ns NS, Nr 0 and the
                           AVPs Message Type 4, Assigned Tunnel ID ASSIGNED,
                           Result Code 1 ("general request to clear control
                           connection")
        sccrq ASSIGNED     L2TPv2 SCCRQ (RFC 2661 section 6.1) to tunnel 0,
                           Ns 0, Nr 0: Message Type 1, Protocol Version,
                           Host Name, Framing Capabilities, then Assigned
                           Tunnel ID ASSIGNED (as a LAC opens a tunnel)
        sccrp TUNNEL ASSIGNED
                           L2TPv2 SCCRP (section 6.2) to tunnel TUNNEL (the
                           peer's Assigned Tunnel ID), Ns 0, Nr 1: Message
                           Type 2, Protocol Version, Framing Capabilities,
                           Host Name, Assigned Tunnel ID ASSIGNED (as an
                           LNS answers from its unconnected socket)
        scccn TUNNEL       L2TPv2 SCCCN (section 6.3) to tunnel TUNNEL, Ns 1,
                           Nr 1: Message Type 3
        hex HEX[,HEX...]   these payloads verbatim (truncated headers, ...),
                           N of each
  l2tp-udp.py recv ADDR PORT
      Bind an unconnected UDP socket to ADDR:PORT (standing in for an
      unconnected tunnel socket such as an L2TP daemon's listener), print
      "# listening", then one line per datagram: "SRC SPORT LEN HEXPREFIX".
  l2tp-udp.py connected ADDR PORT PEER PEERPORT [echo] [l2tp TID PEERTID]
                   [--mark M]
      Like recv, but the socket is also connected to PEER:PEERPORT, as an
      L2TP daemon's per-tunnel socket is (SO_REUSEADDR: several may share
      one 4-tuple, twins). Prints "# listening pid PID fd FD ino INODE"
      first, so that a test can give the socket to the module. With echo,
      sends each datagram back through the socket, as a tunnel answers.
      With l2tp, makes the socket kernel L2TPv2 tunnel TID (peer's ID
      PEERTID) first, as xl2tpd does: a PPPoL2TP socket connected with
      session 0 (needs l2tp_ppp); packets of no session still come up.
      With --mark, the socket has SO_MARK M, as an agent could set it.
  l2tp-udp.py encap ADDR PORT
      Bind a UDP socket with UDP_ENCAP_ESPINUDP (the socket the kernel needs
      to decapsulate ESP-in-UDP, RFC 3948, as an IKE daemon would hold),
      print "# listening", then sleep until killed.

Every output line is flushed at once: tests poll the output files.
"""

import ctypes
import errno
import os
import socket
import struct
import sys
import time

UDP_ENCAP = 100                 # linux/udp.h
UDP_ENCAP_ESPINUDP = 2
AF_PPPOX = 24                   # linux/socket.h
PX_PROTO_OL2TP = 1              # linux/if_pppox.h


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def usage():
    sys.stderr.write(__doc__)
    sys.exit(2)


def mac(text):
    b = bytes(int(x, 16) for x in text.split(":"))
    if len(b) != 6:
        raise ValueError("bad MAC " + text)
    return b


def avp(attr, value):
    """An IETF AVP (RFC 2661 section 4.1): M bit, length, vendor 0."""
    return struct.pack("!HHH", 0x8000 | (6 + len(value)), 0, attr) + value


def payloads(kind, args):
    if kind == "v3":
        session, smac = int(args[0], 0), mac(args[1])
        frame = b"\xff" * 6 + smac + b"\x88\xb5" + b"l2tp-ipsec-test".ljust(46, b".")
        # flags/version word: T=0, version 3; 16 reserved bits; session ID.
        return [struct.pack("!HHI", 0x0003, 0, session) + frame], 2
    if kind == "v2":
        tunnel, session = int(args[0], 0), int(args[1], 0)
        # flags/version word: T=0, L=0, S=0, O=0, version 2; then PPP
        # (address/control ff03, protocol 0x0021) and a short body.
        return [struct.pack("!HHH", 0x0002, tunnel, session) +
                b"\xff\x03\x00\x21" + b"l2tp-ipsec-test"], 2
    if kind == "v3ctl":
        ccid = int(args[0], 0)
        # Message Type AVP: M bit, length 8, vendor 0, attribute 0.
        body = struct.pack("!HHHH", 0x8008, 0, 0, 6 if ccid else 1)
        return [struct.pack("!HHIHH", 0xc803, 12 + len(body), ccid, 0, 0) +
                body], 1
    if kind == "stopccn":
        tunnel, assigned, ns = (int(a, 0) for a in args[:3])
        # AVPs (M bit set): Message Type (0) = 4 StopCCN, Assigned Tunnel
        # ID (9), Result Code (1) = 1 without an error code.
        body = struct.pack("!HHHH", 0x8008, 0, 0, 4) + \
            struct.pack("!HHHH", 0x8008, 0, 9, assigned) + \
            struct.pack("!HHHH", 0x8008, 0, 1, 1)
        # T, L, S, version 2; length; tunnel, session 0; Ns, Nr.
        return [struct.pack("!HHHHHH", 0xc802, 12 + len(body), tunnel, 0,
                            ns, 0) + body], 3
    if kind in ("sccrq", "sccrp", "scccn"):
        vals = [int(a, 0) for a in args[:{"sccrq": 1, "sccrp": 2, "scccn": 1}[kind]]]
        if kind == "sccrq":
            tunnel, ns, nr, avps = 0, 0, 0, [
                avp(0, struct.pack("!H", 1)),
                avp(2, struct.pack("!H", 0x0100)),
                avp(7, b"lac"),
                avp(3, struct.pack("!I", 3)),
                avp(9, struct.pack("!H", vals[0]))]
        elif kind == "sccrp":
            tunnel, ns, nr, avps = vals[0], 0, 1, [
                avp(0, struct.pack("!H", 2)),
                avp(2, struct.pack("!H", 0x0100)),
                avp(3, struct.pack("!I", 3)),
                avp(7, b"lns"),
                avp(9, struct.pack("!H", vals[1]))]
        else:
            tunnel, ns, nr, avps = vals[0], 1, 1, [avp(0, struct.pack("!H", 3))]
        body = b"".join(avps)
        # T, L, S, version 2; length; tunnel, session 0; Ns, Nr.
        return [struct.pack("!HHHHHH", 0xc802, 12 + len(body), tunnel, 0,
                            ns, nr) + body], len(vals)
    if kind == "hex":
        return [bytes.fromhex(h) for h in args[0].split(",")], 1
    usage()


def opt(argv, name, default):
    if name in argv:
        i = argv.index(name)
        val = argv[i + 1]
        del argv[i:i + 2]
        return int(val, 0)
    return default


def bind(addr, port):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # A kernel L2TP tunnel socket just deleted is released from a work
    # queue: give it a moment to free the port.
    for _ in range(30):
        try:
            s.bind((addr, port))
            return s
        except OSError as e:
            if e.errno != errno.EADDRINUSE:
                raise
            time.sleep(0.1)
    s.bind((addr, port))
    return s


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff or 0xffff


def send_raw(src, sport, dst, dport, datas, count, mark):
    fam = family(src)
    s = socket.socket(fam, socket.SOCK_RAW, socket.IPPROTO_UDP)
    s.bind((src, 0))
    if mark:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_MARK, mark)
    for data in datas:
        length = 8 + len(data)
        pseudo = socket.inet_pton(fam, src) + socket.inet_pton(fam, dst)
        # RFC 768 and RFC 8200 section 8.1 pseudo-headers.
        if fam == socket.AF_INET:
            pseudo += struct.pack("!xBH", socket.IPPROTO_UDP, length)
        else:
            pseudo += struct.pack("!I3xB", length, socket.IPPROTO_UDP)
        hdr = struct.pack("!HHHH", sport, dport, length, 0)
        csum = checksum(pseudo + hdr + data)
        pkt = struct.pack("!HHHH", sport, dport, length, csum) + data
        for _ in range(count):
            s.sendto(pkt, (dst, 0))


def cmd_send(argv):
    raw = "--raw" in argv
    if raw:
        argv.remove("--raw")
    count = opt(argv, "--count", 1)
    mark = opt(argv, "--mark", 0)
    size = opt(argv, "--size", 0)
    answers = opt(argv, "--answers", 0)
    if len(argv) < 5:
        usage()
    src, sport, dst, dport, kind = argv[0], int(argv[1]), argv[2], int(argv[3]), argv[4]
    datas, nargs = payloads(kind, argv[5:])
    if len(argv) != 5 + nargs:
        usage()
    datas = [d.ljust(size, b"\0") for d in datas]
    if raw:
        send_raw(src, sport, dst, dport, datas, count, mark)
        return
    s = bind(src, sport)
    if mark:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_MARK, mark)
    for data in datas:
        for _ in range(count):
            s.sendto(data, (dst, dport))
    if answers:
        n = 0
        end = time.monotonic() + answers
        while True:
            left = end - time.monotonic()
            if left <= 0:
                break
            s.settimeout(left)
            try:
                data, peer = s.recvfrom(65535)
            except socket.timeout:
                break
            except ConnectionRefusedError:
                continue
            n += 1
            print(peer[0], peer[1], len(data), data[:16].hex(), flush=True)
        print("# answers", n, flush=True)


def cmd_recv(argv):
    if len(argv) != 2:
        usage()
    s = bind(argv[0], int(argv[1]))
    print("# listening", flush=True)
    while True:
        data, peer = s.recvfrom(65535)
        print(peer[0], peer[1], len(data), data[:16].hex(), flush=True)


def pppol2tp_tunnel(udp, tid, peer_tid):
    """A PPPoL2TP socket making @udp kernel L2TPv2 tunnel @tid."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.socket(AF_PPPOX, socket.SOCK_DGRAM, PX_PROTO_OL2TP)
    if fd < 0:
        raise OSError(ctypes.get_errno(), "socket(AF_PPPOX)")
    peer = udp.getpeername()
    sin = struct.pack("=H", socket.AF_INET) + struct.pack("!H", peer[1]) + \
        socket.inet_aton(peer[0]) + bytes(8)
    # struct sockaddr_pppol2tp (linux/if_pppol2tp.h), packed.
    addr = struct.pack("=HIii16sHHHH", AF_PPPOX, PX_PROTO_OL2TP, 0,
                       udp.fileno(), sin, tid, 0, peer_tid, 0)
    if libc.connect(fd, addr, len(addr)) < 0:
        raise OSError(ctypes.get_errno(), "connect(PPPoL2TP tunnel %d)" % tid)
    return fd


def cmd_connected(argv):
    mark = opt(argv, "--mark", 0)
    l2tp = None
    if "l2tp" in argv:
        i = argv.index("l2tp")
        l2tp = (int(argv[i + 1]), int(argv[i + 2]))
        del argv[i:i + 3]
    echo = argv[4:] == ["echo"]
    if len(argv) != 4 + echo:
        usage()
    s = bind(argv[0], int(argv[1]))
    if mark:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_MARK, mark)
    s.connect((argv[2], int(argv[3])))
    if l2tp:
        pppol2tp_tunnel(s, *l2tp)
    print("# listening pid", os.getpid(), "fd", s.fileno(),
          "ino", os.fstat(s.fileno()).st_ino, flush=True)
    while True:
        try:
            data, peer = s.recvfrom(65535)
            if echo:
                s.send(data)
        except ConnectionRefusedError:
            continue
        print(peer[0], peer[1], len(data), data[:16].hex(), flush=True)


def cmd_encap(argv):
    if len(argv) != 2:
        usage()
    s = bind(argv[0], int(argv[1]))
    s.setsockopt(socket.IPPROTO_UDP, UDP_ENCAP, UDP_ENCAP_ESPINUDP)
    print("# listening", flush=True)
    while True:
        time.sleep(3600)


def main():
    if len(sys.argv) < 2:
        usage()
    cmd = {"send": cmd_send, "recv": cmd_recv, "connected": cmd_connected,
           "encap": cmd_encap}.get(sys.argv[1])
    if cmd is None:
        usage()
    cmd(sys.argv[2:])


if __name__ == "__main__":
    main()
