#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Packet fuzzer for l2tp_ipsec: random and mutated L2TP/UDP packets.

  pktfuzz.py send --topo FILE --class CLASS --family 4|6 [--seed S]
                  [--count N | --time SECONDS]
      Run in the sender's namespace. Send random and mutated L2TPv2/v3
      control and data packets of one class (below) to the concentrator
      described by the topology file (JSON, see tests/vm/fuzz-packets.test.sh)
      and print one JSON line: class, family, seed, datagrams and frames
      sent, seconds, and how often each mutation was used. The same seed
      and --count send the same packets again; --time stops after SECONDS
      (the printed count then reproduces the run).
  pktfuzz.py snap [--cli PATH]
      Print the counters of the current namespace as one JSON object:
      /proc/net/snmp, netstat, snmp6, xfrm_stat, eth0's statistics, the
      nft named counters and (with --cli) "l2tp-ipsec -j stats".
  pktfuzz.py check --class CLASS --family 4|6 --sent FILE
                   --rx-before FILE --rx-after FILE
                   --tx-before FILE --tx-after FILE
      Check the accounting of one class (see ACCOUNTING below); print a
      summary line; exit 0 if exact, 1 if not.
  pktfuzz.py run --topo FILE --snd NS --lns NS --cli PATH --seed S
                 [--count N | --time SECONDS] [--classes "C..."]
                 [--families "4 6"]
      All of the above in one process, which enters the named namespaces
      with setns(2): for each family and class (the i-th gets seed S + i)
      snapshot, send (--time is the whole run's, split evenly), check; one
      line per class, "PASS|FAIL summary", then "#" lines: mismatches with
      what reproduces them, and what was sent.

Classes (every packet carries DSCP CS1, the mark the receiver's ingress
counter looks for):
  clear      UDP sockets, clear text, to watched ports (bound, listener,
             configured unbound), L2TP payloads, no IP fragmentation
  unwatched  UDP sockets, clear text, to ports the module does not watch
  esp        UDP sockets with SO_MARK 1 (each source's own SA) or 2 (another
             tunnel's SA) and raw IPPROTO_UDP sockets (UDP header crafted:
             short, lying length, bad checksum) through the same SAs; sizes
             up to 3000 bytes, so some ESP packets are fragmented
  raw        crafted Ethernet frames (AF_PACKET), clear text: bad IP
             version, header length, checksum, total length, truncated
             frames, odd TTL/flags, IPv4 options; UDP header short, length
             lying, checksum zero/wrong; L2TP payloads
  frag       crafted IP fragments (AF_PACKET), clear text: in order, out of
             order, tiny first fragment, overlapping, duplicated, missing,
             never-ending, atomic (IPv6), misaligned
"""

import json
import os
import random
import socket
import struct
import subprocess
import sys
import time

DSCP_TOS = 0x20                 # CS1
ETH_P_IP = 0x0800
ETH_P_IPV6 = 0x86DD
CLASSES = ("clear", "unwatched", "esp", "raw", "frag")


# ---------------------------------------------------------------------------
# Checksums

def csum(data):
    if len(data) & 1:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def pseudo(fam, src, dst, length):
    if fam == 4:
        return socket.inet_pton(socket.AF_INET, src) + \
            socket.inet_pton(socket.AF_INET, dst) + struct.pack("!BBH", 0, 17, length)
    return socket.inet_pton(socket.AF_INET6, src) + \
        socket.inet_pton(socket.AF_INET6, dst) + struct.pack("!IxxxB", length, 17)


# ---------------------------------------------------------------------------
# L2TP payloads

class Gen:
    def __init__(self, rng, topo, fam):
        self.r = rng
        self.topo = topo
        self.fam = fam
        self.kinds = {}
        t = topo["v%d" % fam]
        self.lns = t["lns"]
        self.peers = t["peers"]
        self.watched = topo["watched"]
        self.sports = [1701, 1702, rng.randrange(20000, 30000),
                       rng.randrange(30000, 60000)]

    def kind(self, k):
        self.kinds[k] = self.kinds.get(k, 0) + 1

    def tid(self):
        r = self.r
        return r.choice([0, 1, 100, 200, 0xffff, r.randrange(0x10000)])

    def sid32(self):
        r = self.r
        return r.choice([0, 1, 10, 0xffffffff, r.randrange(1 << 32)])

    def avps(self):
        r = self.r
        out = b""
        for _ in range(r.randrange(4)):
            body = r.randbytes(r.randrange(0, 12))
            flags = r.choice([0x8000, 0, r.randrange(0x10000) & 0xfc00])
            length = len(body) + 6
            if r.random() < 0.2:
                length = r.randrange(0x400)
            out += struct.pack("!HHH", flags | (length & 0x3ff),
                               r.choice([0, 0, r.randrange(0x10000)]),
                               r.randrange(64)) + body
        return out

    def l2tp_valid(self):
        """A well-formed L2TPv2 or v3, control or data header and body."""
        r = self.r
        k = r.randrange(4)
        if k == 0:      # v2 data, optional L, S, O
            flags = 0x0002
            opt = b""
            L, S, O = r.random() < 0.5, r.random() < 0.3, r.random() < 0.3
            if S:
                flags |= 0x0800
            if O:
                flags |= 0x0200
            if r.random() < 0.1:
                flags |= 0x0100         # P (priority)
            body = b"\xff\x03\x00\x21" + r.randbytes(r.randrange(0, 48))
            tail = struct.pack("!HH", self.tid(), r.randrange(0x10000))
            if S:
                tail += struct.pack("!HH", r.randrange(0x10000), r.randrange(0x10000))
            if O:
                pad = r.randrange(0, 8)
                tail += struct.pack("!H", pad) + b"\0" * pad
            if L:
                flags |= 0x4000
                opt = struct.pack("!H", 4 + len(tail) + len(body))
            self.kind("v2-data")
            return struct.pack("!H", flags) + opt + tail + body
        if k == 1:      # v2 control: T L S, version 2
            body = struct.pack("!HH", self.tid(), r.randrange(0x10000)) + \
                struct.pack("!HH", r.randrange(0x10000), r.randrange(0x10000)) + \
                self.avps()
            self.kind("v2-control")
            return struct.pack("!HH", 0xc802, 4 + len(body)) + body
        if k == 2:      # v3 data over UDP
            self.kind("v3-data")
            return struct.pack("!HHI", 0x0003, 0, self.sid32()) + \
                r.randbytes(r.randrange(0, 64))
        body = struct.pack("!IHH", self.sid32(), r.randrange(0x10000),
                           r.randrange(0x10000)) + self.avps()
        self.kind("v3-control")
        return struct.pack("!HH", 0xc803, 4 + len(body)) + body

    def l2tp(self):
        """Valid, random, or mutated L2TP payload."""
        r = self.r
        x = r.random()
        if x < 0.15:
            self.kind("random-bytes")
            return r.randbytes(r.choice([0, 1, 2, 3, r.randrange(64), r.randrange(600)]))
        p = bytearray(self.l2tp_valid())
        if x < 0.45:
            return bytes(p)
        m = r.randrange(6)
        if m == 0:      # truncated anywhere, including inside the header
            self.kind("l2tp-truncated")
            return bytes(p[:r.randrange(0, min(len(p), 20) + 1)])
        if m == 1:      # odd flag bits / version
            self.kind("l2tp-odd-flags")
            w = struct.unpack("!H", p[:2])[0]
            w ^= r.choice([0x8000, 0x4000, 0x0800, 0x0200, 0x0100, 0x3000,
                           0x00f0, r.randrange(0x10000)])
            if r.random() < 0.5:
                w = (w & 0xfff0) | r.randrange(16)
            p[:2] = struct.pack("!H", w)
            return bytes(p)
        if m == 2:      # lying length field (v2 L or control)
            self.kind("l2tp-length-lies")
            if len(p) >= 4:
                p[2:4] = struct.pack("!H", r.choice([0, 1, 6, 0xffff, r.randrange(0x10000)]))
            return bytes(p)
        if m == 3:      # bit flips in the first bytes
            self.kind("l2tp-bitflips")
            for _ in range(r.randrange(1, 6)):
                if p:
                    i = r.randrange(min(len(p), 16))
                    p[i] ^= 1 << r.randrange(8)
            return bytes(p)
        if m == 4:      # huge and zero tunnel/session ids
            self.kind("l2tp-ids")
            if len(p) >= 8:
                i = r.choice([2, 4, 6])
                p[i:i + 2] = struct.pack("!H", r.choice([0, 0xffff]))
            return bytes(p)
        self.kind("l2tp-big")
        return bytes(p) + r.randbytes(r.randrange(600, 1200))

    # -- ports and addresses

    def dport_watched(self):
        return self.r.choice(self.watched)

    def dport_unwatched(self):
        r = self.r
        while True:
            p = r.choice([1, 7, 1700, 1704, 4501, 65535, r.randrange(1, 65536)])
            if p not in self.watched:
                return p

    def src(self):
        return self.r.choice(self.peers)

    def sport(self):
        return self.r.choice(self.sports)

    def udp_hdr(self, src, sport, dport, payload, mutate=True):
        """UDP header + payload; length and checksum right, or mutated."""
        r = self.r
        ulen = 8 + len(payload)
        x = r.random() if mutate else 1.0
        if x < 0.08:
            self.kind("udp-len-lies")
            ulen = r.choice([0, 1, 7, 8, ulen + 1, ulen - 1, 0xffff, r.randrange(0x10000)]) & 0xffff
        hdr = struct.pack("!HHHH", sport, dport, ulen, 0)
        c = csum(pseudo(self.fam, src, self.lns, 8 + len(payload)) + hdr + payload) or 0xffff
        if mutate and r.random() < 0.05:
            self.kind("udp-csum-zero")
            c = 0
        elif mutate and r.random() < 0.05:
            self.kind("udp-csum-wrong")
            c ^= 1 + r.randrange(0xfffe)
        pkt = struct.pack("!HHHH", sport, dport, ulen, c) + payload
        if mutate and r.random() < 0.05:
            self.kind("udp-short")
            pkt = pkt[:r.randrange(8)]
        return pkt


# ---------------------------------------------------------------------------
# Senders

class Sockets:
    def __init__(self, fam):
        self.fam = fam
        self.af = socket.AF_INET if fam == 4 else socket.AF_INET6
        self.cache = {}

    def udp(self, src, sport, mark):
        key = ("udp", src, sport, mark)
        s = self.cache.get(key)
        if s is None:
            s = socket.socket(self.af, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.mark_tos(s, mark)
            s.bind((src, sport))
            self.cache[key] = s
        return s

    def raw_udp(self, src, mark):
        key = ("raw", src, mark)
        s = self.cache.get(key)
        if s is None:
            s = socket.socket(self.af, socket.SOCK_RAW, socket.IPPROTO_UDP)
            self.mark_tos(s, mark)
            s.bind((src, 0))
            self.cache[key] = s
        return s

    def mark_tos(self, s, mark):
        s.settimeout(2)         # never hang on a full send buffer
        if mark:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_MARK, mark)
        if self.fam == 4:
            s.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, DSCP_TOS)
        else:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_TCLASS, DSCP_TOS)


def mac(text):
    return bytes(int(x, 16) for x in text.split(":"))


class Fuzzer:
    def __init__(self, topo, cls, fam, seed):
        self.r = random.Random(seed)
        self.g = Gen(self.r, topo, fam)
        self.fam = fam
        self.cls = cls
        self.topo = topo
        self.socks = Sockets(fam)
        self.datagrams = 0
        self.frames = 0
        self.errors = {}
        self.pkt = None
        self.r.randrange(0x10000)   # unused; kept so that recorded seeds replay
        self.frag_id = self.r.randrange(1 << 32)
        if cls in ("raw", "frag"):
            self.pkt = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
            self.pkt.settimeout(2)
            self.pkt.bind((topo["ifname"], 0))
            self.eth = mac(topo["dmac"]) + mac(topo["smac"]) + \
                struct.pack("!H", ETH_P_IP if fam == 4 else ETH_P_IPV6)

    def close(self):
        for s in self.socks.cache.values():
            s.close()
        if self.pkt:
            self.pkt.close()

    def err(self, e):
        k = getattr(e, "errno", None) or type(e).__name__
        self.errors[str(k)] = self.errors.get(str(k), 0) + 1

    def sendto(self, s, data, addr):
        try:
            s.sendto(data, addr)
        except OSError as e:
            self.err(e)
            return False
        return True

    def frame(self, l3):
        try:
            self.pkt.send(self.eth + l3)
        except OSError as e:
            self.err(e)
            return False
        self.frames += 1
        return True

    # -- classes: each call sends one datagram (one or more frames)

    def one_udp(self, dport, mark, maxsize):
        g = self.g
        payload = g.l2tp()[:maxsize]
        src = g.src()
        s = self.socks.udp(src, g.sport(), mark)
        if self.sendto(s, payload, (g.lns, dport)):
            self.datagrams += 1
            self.frames += 1    # fragments: see the sender's Frag* counters

    def one_clear(self):
        self.one_udp(self.g.dport_watched(), 0, 1200)

    def one_unwatched(self):
        self.one_udp(self.g.dport_unwatched(), 0, 1200)

    def one_esp(self):
        r, g = self.r, self.g
        mark = r.choice([1, 2])
        dport = g.dport_watched() if r.random() < 0.85 else g.dport_unwatched()
        if r.random() < 0.2:
            # Crafted UDP header through the SA: IPPROTO_UDP raw socket.
            src = g.src()
            pkt = g.udp_hdr(src, g.sport(), dport, g.l2tp())
            g.kind("esp-raw-udp")
            if self.sendto(self.socks.raw_udp(src, mark), pkt, (g.lns, 0)):
                self.datagrams += 1
                self.frames += 1
            return
        if r.random() < 0.1:
            g.kind("esp-big")
            maxsize = 3000
            payload = g.l2tp() + r.randbytes(r.randrange(1400, 3000))
            src = g.src()
            s = self.socks.udp(src, g.sport(), mark)
            if self.sendto(s, payload[:maxsize], (g.lns, dport)):
                self.datagrams += 1
                self.frames += 1
            return
        self.one_udp(dport, mark, 1200)

    def ip4(self, src, payload, ident=0, frag=0, proto=17, mutate=True):
        r, g = self.r, self.g
        ihl = 5
        opts = b""
        tos = DSCP_TOS | r.randrange(4)
        ttl = r.choice([64, 64, 1, 0, 255])
        flags = r.choice([0, 0x4000]) if mutate else 0
        if mutate and r.random() < 0.05:
            g.kind("ip4-evil-bit")
            flags |= 0x8000
        if mutate and r.random() < 0.08:
            g.kind("ip4-options")
            n = r.randrange(1, 11)
            ihl += n
            opts = b"\x01" * (4 * n - 1) + r.choice([b"\x00", b"\x01"])
        tot = 4 * ihl + len(payload)
        version = 4
        bad_csum = False
        if mutate:
            x = r.random()
            if x < 0.03:
                g.kind("ip4-version")
                version = r.choice([0, 6, 15, r.randrange(16)])
            elif x < 0.06:
                g.kind("ip4-ihl-small")
                ihl = r.randrange(5)
            elif x < 0.09:
                g.kind("ip4-csum")
                bad_csum = True
            elif x < 0.12:
                g.kind("ip4-totlen-long")
                tot = tot + r.randrange(1, 2000)
            elif x < 0.15:
                g.kind("ip4-totlen-short")
                tot = r.randrange(0, tot)
        hdr = struct.pack("!BBHHHBBH4s4s", (version << 4) | (ihl & 0xf), tos,
                          tot & 0xffff, ident or r.randrange(0x10000), flags | frag,
                          ttl, proto, 0,
                          socket.inet_pton(socket.AF_INET, src),
                          socket.inet_pton(socket.AF_INET, g.lns)) + opts
        c = csum(hdr)
        if bad_csum:
            c ^= 1 + r.randrange(0xfffe)
        hdr = hdr[:10] + struct.pack("!H", c) + hdr[12:]
        return hdr + payload

    def ip6(self, src, nexthdr, payload, mutate=True):
        r, g = self.r, self.g
        version = 6
        plen = len(payload)
        if mutate:
            x = r.random()
            if x < 0.03:
                g.kind("ip6-version")
                version = r.choice([0, 4, 15, r.randrange(16)])
            elif x < 0.07:
                g.kind("ip6-plen-long")
                plen += r.randrange(1, 2000)
            elif x < 0.11:
                g.kind("ip6-plen-short")
                plen = r.randrange(0, plen + 1)
        tc = DSCP_TOS | r.randrange(4)
        flow = r.randrange(1 << 20) if r.random() < 0.3 else 0
        hop = r.choice([64, 64, 1, 0, 255])
        return struct.pack("!IHBB16s16s", (version << 28) | (tc << 20) | flow,
                           plen & 0xffff, nexthdr, hop,
                           socket.inet_pton(socket.AF_INET6, src),
                           socket.inet_pton(socket.AF_INET6, g.lns)) + payload

    def one_raw(self):
        r, g = self.r, self.g
        src = g.src()
        dport = g.dport_watched() if r.random() < 0.7 else g.dport_unwatched()
        udp = g.udp_hdr(src, g.sport(), dport, g.l2tp()[:1200])
        if self.fam == 4:
            l3 = self.ip4(src, udp)
        elif r.random() < 0.1:
            # Hop-by-hop (parsed before LOCAL_IN) or destination options
            # (after it) with padding only: valid, so the packet goes on.
            nh = r.choice([0, 60])
            g.kind("ip6-hbh" if nh == 0 else "ip6-dstopts")
            n = r.randrange(0, 4)
            pad = 8 * n + 6
            opt = bytes([17, n]) + (bytes([1, pad - 2]) + b"\0" * (pad - 2))
            l3 = self.ip6(src, nh, opt + udp)
        else:
            l3 = self.ip6(src, 17, udp)
        x = r.random()
        if x < 0.04:
            g.kind("frame-truncated")
            l3 = l3[:r.randrange(2, len(l3) + 1)]
        elif x < 0.08:
            g.kind("frame-trailer")
            l3 += r.randbytes(r.randrange(1, 40))
        if self.frame(l3):
            self.datagrams += 1

    def one_frag(self):
        r, g = self.r, self.g
        src = g.src()
        dport = g.dport_watched() if r.random() < 0.8 else g.dport_unwatched()
        payload = g.l2tp() + r.randbytes(r.choice([0, r.randrange(64), r.randrange(3000)]))
        udp = g.udp_hdr(src, g.sport(), dport, payload, mutate=False)
        # Split into pieces of multiples of 8 bytes (except the last).
        pieces = []
        off = 0
        if self.fam == 6 and r.random() < 0.1:
            # RFC 8200 4.5: the first fragment lacks the UDP header's end.
            g.kind("frag-tiny-first")
            pieces.append((0, udp[:r.randrange(1, 8)]))
            off = 8
        first = r.choice([8, 8, 16, 24, 1232, r.randrange(1, 150) * 8])
        while off < len(udp):
            size = first if not pieces else r.choice([8, 16, 512, 1232, r.randrange(1, 155) * 8])
            pieces.append((off, udp[off:off + size]))
            off += size
        x = r.random()
        if x < 0.2:
            g.kind("frag-reversed")
            order = list(range(len(pieces)))[::-1]
        elif x < 0.4:
            g.kind("frag-shuffled")
            order = list(range(len(pieces)))
            r.shuffle(order)
        else:
            g.kind("frag-in-order")
            order = list(range(len(pieces)))
        more = {i: i < len(pieces) - 1 for i in range(len(pieces))}
        x = r.random()
        if x < 0.08 and len(order) > 1:
            g.kind("frag-missing")
            order.remove(r.choice(order))
        elif x < 0.16:
            g.kind("frag-duplicate")
            order.insert(r.randrange(len(order) + 1), r.choice(order))
        elif x < 0.24 and len(pieces) > 1:
            g.kind("frag-overlap")
            i = r.randrange(1, len(pieces))
            o, d = pieces[i]
            pieces.append((max(0, o - 8), udp[max(0, o - 8):o - 8 + len(d) + 8]))
            more[len(pieces) - 1] = True
            order.insert(r.randrange(len(order) + 1), len(pieces) - 1)
        elif x < 0.28:
            g.kind("frag-never-ends")
            more[len(pieces) - 1] = True
        elif x < 0.32:
            g.kind("frag-misaligned")
            i = r.randrange(len(pieces))
            o, d = pieces[i]
            if len(d) > 1:
                pieces[i] = (o, d[:-1])
        elif x < 0.36 and self.fam == 6:
            g.kind("frag-atomic")
            pieces, order, more = [(0, udp[:1400])], [0], {0: False}
        elif x < 0.40:
            g.kind("frag-beyond-64k")
            o, d = pieces[-1]
            pieces[-1] = ((0xfff8 - 8 * r.randrange(4)) & ~7, d)
        self.frag_id = (self.frag_id + 1) & 0xffffffff
        ident = (self.frag_id & 0xffff) or 1
        sent = 0
        for i in order:
            o, d = pieces[i]
            if self.fam == 4:
                fo = (o >> 3) & 0x1fff
                l3 = self.ip4(src, d, ident=ident,
                              frag=fo | (0x2000 if more[i] else 0), mutate=False)
            else:
                fh = struct.pack("!BBHI", 17, 0,
                                 ((o >> 3) << 3) & 0xfff8 | (1 if more[i] else 0),
                                 self.frag_id)
                l3 = self.ip6(src, 44, fh + d, mutate=False)
            sent += self.frame(l3)
        if sent:
            self.datagrams += 1

    def run(self, count, seconds):
        fn = getattr(self, "one_" + self.cls)
        t0 = time.monotonic()
        n = 0
        while True:
            if count is not None and n >= count:
                break
            if seconds is not None and time.monotonic() - t0 >= seconds:
                break
            fn()
            n += 1
        return n, time.monotonic() - t0


def cmd_send(a):
    topo = json.load(open(a["--topo"]))
    cls, fam = a["--class"], int(a["--family"])
    if cls not in CLASSES or fam not in (4, 6):
        usage()
    seed = int(a["--seed"], 0) if "--seed" in a else random.SystemRandom().randrange(1 << 32)
    count = int(a["--count"]) if "--count" in a else None
    secs = float(a["--time"]) if "--time" in a else None
    if count is None and secs is None:
        count = 1000
    f = Fuzzer(topo, cls, fam, seed)
    n, took = f.run(count, secs)
    print(json.dumps({"class": cls, "family": fam, "seed": seed, "count": n,
                      "datagrams": f.datagrams, "frames": f.frames,
                      "seconds": round(took, 2), "errors": f.errors,
                      "kinds": dict(sorted(f.g.kinds.items()))}), flush=True)


# ---------------------------------------------------------------------------
# Counters

def read_table(path, out, prefix=""):
    """Pairs of "Name: k1 k2..." / "Name: v1 v2..." lines (snmp, netstat)."""
    try:
        lines = open(path).read().splitlines()
    except OSError:
        return
    for i in range(0, len(lines) - 1, 2):
        k, v = lines[i].split(), lines[i + 1].split()
        if not k or k[0] != v[0]:
            continue
        sec = k[0].rstrip(":")
        for name, val in zip(k[1:], v[1:]):
            out[prefix + sec + "." + name] = int(val)


def read_pairs(path, out, prefix):
    try:
        for line in open(path):
            f = line.split()
            if len(f) == 2:
                out[prefix + f[0]] = int(f[1])
    except OSError:
        pass


def read_netdev(out):
    """eth0's packet and drop counters from /proc/net/dev (this netns)."""
    try:
        for line in open("/proc/net/dev"):
            name, _, rest = line.partition(":")
            if name.strip() == "eth0":
                f = [int(x) for x in rest.split()]
                out["eth0.rx_packets"], out["eth0.rx_dropped"] = f[1], f[3]
                out["eth0.tx_packets"], out["eth0.tx_dropped"] = f[9], f[11]
    except OSError:
        pass


def snapshot(cli=None):
    """Every counter of the current namespace the accounting uses."""
    out = {}
    read_table("/proc/net/snmp", out)
    read_table("/proc/net/netstat", out)
    read_pairs("/proc/net/snmp6", out, "")
    read_pairs("/proc/net/xfrm_stat", out, "")
    read_netdev(out)
    try:
        j = json.loads(subprocess.run(["nft", "-j", "list", "counters"], check=True,
                                      capture_output=True, text=True).stdout)
        for o in j.get("nftables", []):
            c = o.get("counter")
            if c:
                out["nft." + c["name"]] = c["packets"]
    except (OSError, subprocess.CalledProcessError, ValueError):
        pass
    if cli:
        j = json.loads(subprocess.run([cli, "-j", "stats"], check=True,
                                      capture_output=True, text=True).stdout)
        for k, v in j.get("stats", {}).items():
            if isinstance(v, int):
                out["mod." + k] = v
    return out


def cmd_snap(a):
    print(json.dumps(snapshot(a.get("--cli")), sort_keys=True))


MOD_PASSED = ("accepted", "accepted_unbound", "audited")
MOD_DROPPED = ("dropped_cleartext", "dropped_proto_mode", "dropped_sa_mismatch",
               "dropped_addr_mismatch", "dropped_tunnel_id", "dropped_malformed",
               "dropped_policy")

# ACCOUNTING. Every frame the sender puts on the wire arrives on the
# concentrator's eth0 (nft netdev ingress counter "arrivedF", DSCP CS1), less
# the frames veth dropped (sender's tx_dropped). There each one meets exactly
# one end, all in the concentrator's namespace, where nothing listens on UDP:
#   - the IP layer refuses it before LOCAL_IN (IPv4: Ip InHdrErrors, IpExt
#     InTruncatedPkts, Ip InAddrErrors, Ip InDiscards; IPv6 the same Ip6*,
#     also for extension headers after LOCAL_IN), or xfrm_input() refuses
#     an ESP packet (XfrmIn* of XFRM_INPUT_DROPS, /proc/net/xfrm_stat);
#   - it is a fragment, and reassembly consumes it: ReasmReqds counts every
#     fragment that enters reassembly, ReasmOKs every datagram that leaves
#     it, so ReasmReqds - ReasmOKs frames end there (IPv4 reassembles before
#     LOCAL_IN, IPv6 after: an IPv6 first fragment the module drops never
#     reaches reassembly; IPv6's own refusals of fragments (tiny first
#     fragment, misaligned) come after ReasmReqds, and count in Ip6InHdrErrors
#     too, so the "frag" class leaves Ip6InHdrErrors out of the sum);
#   - the module drops it at LOCAL_IN (its dropped_* counters);
#   - UDP receives it (module accepted it, or did not judge it) and, with
#     no socket there, counts it under NoPorts or InErrors (short header,
#     lying length, bad checksum).
# ESP packets are decrypted and re-enter as one UDP packet each, so they end
# as their payload does. Hence, per class:
#   arrived == dropped_by_module + ip_refused + reasm_consumed + udp_ended
# and, as the hook runs between an nft chain at priority -20 ("preF":
# watched UDP ports, full UDP header, no IPv6 fragment but the first; see
# tests/vm/fuzz-packets.test.sh for why the rule says so) and one at 0
# ("postF"):
#   sum of the module's counters == preF;  its passed counters == postF.


XFRM_INPUT_DROPS = ("XfrmInError", "XfrmInBufferError", "XfrmInHdrError",
                    "XfrmInNoStates", "XfrmInStateProtoError", "XfrmInStateModeError",
                    "XfrmInStateSeqError", "XfrmInStateExpired", "XfrmInStateMismatch",
                    "XfrmInStateInvalid")


def delta(b, a, k):
    return a.get(k, 0) - b.get(k, 0)


def account(cls, fam, sent, rb, ra, tb, ta):
    """Return (summary, [problems]) for one class; see ACCOUNTING."""

    def rx(k):
        return delta(rb, ra, k)

    def tx(k):
        return delta(tb, ta, k)

    mod_total = sum(rx("mod." + k) for k in MOD_PASSED + MOD_DROPPED)
    mod_passed = sum(rx("mod." + k) for k in MOD_PASSED)
    mod_dropped = mod_total - mod_passed
    if fam == 4:
        split = tx("Ip.FragCreates") - tx("Ip.FragOKs")
        ip_parts = {"InHdrErrors": rx("Ip.InHdrErrors"),
                    "InTruncatedPkts": rx("IpExt.InTruncatedPkts"),
                    "InAddrErrors": rx("Ip.InAddrErrors"),
                    "InDiscards": rx("Ip.InDiscards")}
        reasm = rx("Ip.ReasmReqds") - rx("Ip.ReasmOKs")
        udp = {"NoPorts": rx("Udp.NoPorts"), "InErrors": rx("Udp.InErrors")}
    else:
        split = tx("Ip6FragCreates") - tx("Ip6FragOKs")
        ip_parts = {"InHdrErrors": rx("Ip6InHdrErrors"),
                    "InTruncatedPkts": rx("Ip6InTruncatedPkts"),
                    "InAddrErrors": rx("Ip6InAddrErrors"),
                    "InDiscards": rx("Ip6InDiscards")}
        if cls == "frag":
            del ip_parts["InHdrErrors"]
        reasm = rx("Ip6ReasmReqds") - rx("Ip6ReasmOKs")
        udp = {"NoPorts": rx("Udp6NoPorts"), "InErrors": rx("Udp6InErrors")}
    # ESP packets xfrm_input() refuses (each such drop counts one of these,
    # and nothing else): e.g. an empty payload is "garbage padlen".
    for k in XFRM_INPUT_DROPS:
        ip_parts[k] = rx(k)
    ip_refused = sum(ip_parts.values())
    ip_parts = {k: v for k, v in ip_parts.items() if v}
    udp_ended = sum(udp.values())
    frames = sent["frames"] + split
    txdrop = tx("eth0.tx_dropped")
    arrived = rx("nft.arrived%d" % fam)
    pre, post = rx("nft.pre%d" % fam), rx("nft.post%d" % fam)
    rhs = mod_dropped + ip_refused + reasm + udp_ended
    # What the module did not judge reached UDP (udp_ended - mod_passed)
    # or ended before LOCAL_IN.
    unjudged = arrived - mod_total
    problems = []
    if frames - txdrop != arrived:
        problems.append("sent %d frames (%d datagrams%s), veth dropped %d, but %d arrived"
                        % (frames, sent["datagrams"],
                           ", +%d by fragmentation" % split if split else "", txdrop, arrived))
    if arrived != rhs:
        problems.append("%d arrived != %d accounted" % (arrived, rhs))
    if mod_total != pre:
        problems.append("module judged %d, nft saw %d reach the hook for watched ports"
                        % (mod_total, pre))
    if mod_passed != post:
        problems.append("module passed %d, nft saw %d pass the hook" % (mod_passed, post))
    if cls == "clear" and mod_total != arrived:
        problems.append("clear: every packet must be judged (%d of %d)" % (mod_total, arrived))
    if cls == "unwatched" and mod_total != 0:
        problems.append("unwatched: the module judged %d" % mod_total)
    mods = {k: rx("mod." + k) for k in MOD_PASSED + MOD_DROPPED if rx("mod." + k)}
    xfrm = {k: rx(k) for k in ra if k.startswith("Xfrm") and rx(k)}
    summary = ("%s v%d seed %d: sent %d datagrams, %d frames; arrived %d = module dropped %d"
               " + IP/ESP refused %d %s + reassembly consumed %d + UDP ended %d %s;"
               " module judged %d (passed %d) %s; unjudged %d%s"
               % (cls, fam, sent["seed"], sent["datagrams"], frames, arrived, mod_dropped,
                  ip_refused, json.dumps(ip_parts, separators=(",", ":")), reasm, udp_ended,
                  json.dumps(udp, separators=(",", ":")), mod_total, mod_passed,
                  json.dumps(mods, separators=(",", ":")), unjudged,
                  "; xfrm " + json.dumps(xfrm, separators=(",", ":")) if xfrm else ""))
    return summary, problems


def cmd_check(a):
    summary, problems = account(
        a["--class"], int(a["--family"]), json.load(open(a["--sent"])),
        json.load(open(a["--rx-before"])), json.load(open(a["--rx-after"])),
        json.load(open(a["--tx-before"])), json.load(open(a["--tx-after"])))
    print(summary)
    for p in problems:
        print("MISMATCH: " + p)
    sys.exit(1 if problems else 0)


# ---------------------------------------------------------------------------
# One process for a whole run: it moves between the two namespaces with
# setns(2) instead of paying an interpreter start per snapshot (TCG).

CLONE_NEWNET = 0x40000000
_libc = []


def enter(ns):
    import ctypes
    if not _libc:
        _libc.append(ctypes.CDLL(None, use_errno=True))
    fd = os.open("/run/netns/" + ns, os.O_RDONLY)
    try:
        if _libc[0].setns(fd, CLONE_NEWNET) != 0:
            e = ctypes.get_errno()
            raise OSError(e, "setns %s: %s" % (ns, os.strerror(e)))
    finally:
        os.close(fd)


def cmd_run(a):
    topo = json.load(open(a["--topo"]))
    snd, lns, cli = a["--snd"], a["--lns"], a["--cli"]
    classes = a.get("--classes", " ".join(CLASSES)).split()
    fams = [int(f) for f in a.get("--families", "4 6").split()]
    seed = int(a["--seed"], 0)
    count = int(a["--count"]) if "--count" in a else None
    secs = float(a["--time"]) / (len(classes) * len(fams)) if "--time" in a else None
    if count is None and secs is None:
        count = 1000
    i = 0
    for fam in fams:
        for cls in classes:
            cseed = (seed + i) & 0xffffffff
            i += 1
            enter(lns)
            rb = snapshot(cli)
            enter(snd)
            tb = snapshot()
            f = Fuzzer(topo, cls, fam, cseed)
            n, took = f.run(count, secs)
            f.close()
            sent = {"class": cls, "family": fam, "seed": cseed, "count": n,
                    "datagrams": f.datagrams, "frames": f.frames,
                    "seconds": round(took, 2), "errors": f.errors,
                    "kinds": dict(sorted(f.g.kinds.items()))}
            t0 = time.monotonic()
            while True:
                enter(snd)
                ta = snapshot()
                enter(lns)
                ra = snapshot(cli)
                summary, problems = account(cls, fam, sent, rb, ra, tb, ta)
                if not problems or time.monotonic() - t0 > 20:
                    break
                time.sleep(0.5)
            print("%s %s" % ("FAIL" if problems else "PASS", summary))
            for p in problems:
                print("#  MISMATCH: %s (reproduce: --class %s --family %d --seed %d --count %d)"
                      % (p, cls, fam, cseed, n))
            print("#  sent " + json.dumps(sent), flush=True)


def usage():
    sys.stderr.write(__doc__)
    sys.exit(2)


def main():
    if len(sys.argv) < 2:
        usage()
    args = sys.argv[2:]
    if len(args) % 2:
        usage()
    a = dict(zip(args[0::2], args[1::2]))
    cmd = {"send": cmd_send, "snap": cmd_snap, "check": cmd_check, "run": cmd_run}.get(sys.argv[1])
    if cmd is None:
        usage()
    cmd(a)


if __name__ == "__main__":
    main()
