#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Small peers the control-plane tests run inside namespaces (IPv4 or
IPv6: the address says which).

  echo-server ADDR PORT SECONDS    TCP echo, one line per connection, exits
                                   after SECONDS
  echo-client ADDR PORT TEXT TIMEOUT   prints what came back, or ERROR ...
  udp-count ADDR PORT IDLE MAX [SKIP]
                                   counts distinct sequence numbers (after
                                   SKIP bytes) until IDLE s pass without
                                   one (at most MAX s)
  udp-send DST PORT COUNT PPS [HEX]
                                   COUNT datagrams carrying their number
                                   (after the bytes HEX, e.g. 00000000:
                                   the non-ESP marker of RFC 3948)
  syn-flood IFACE SRCMAC DSTMAC SRC DST DPORT COUNT PPS
                                   raw TCP SYNs (AF_PACKET), sources ports
                                   varied; prints how many were sent
  vlan-syn IFACE SRCMAC DSTMAC SRC DST DPORT VLAN TIMEOUT
                                   a TCP SYN tagged VLAN (scapy: this
                                   kernel has no 802.1Q devices); prints
                                   the tag and flags of the answer
Every loop is bounded in count and time.
"""

import socket
import struct
import sys
import time


def family(addr):
    """AF_INET6 for an IPv6 address (it has a colon), else AF_INET."""
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def echo_server(addr, port, seconds):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if ":" in addr:  # IPV6_FREEBIND: the TAP may come later
        s.setsockopt(socket.IPPROTO_IPV6, 78, 1)
    else:            # IP_FREEBIND
        s.setsockopt(socket.IPPROTO_IP, 15, 1)
    s.bind((addr, port))
    s.listen(16)
    s.settimeout(0.5)
    print("listening", flush=True)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            c, _ = s.accept()
        except socket.timeout:
            continue
        c.settimeout(5)
        try:
            c.sendall(c.recv(1024))
        except OSError:
            pass
        c.close()


def echo_client(addr, port, text, timeout):
    try:
        c = socket.create_connection((addr, port), timeout=timeout)
        c.sendall(text.encode())
        print(c.recv(1024).decode())
    except OSError as e:
        print("ERROR %s" % e)


def udp_count(addr, port, idle, most, skip=0):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    s.bind((addr, port))
    s.settimeout(0.2)
    seen = set()
    print("listening", flush=True)
    end = time.monotonic() + most
    last = time.monotonic()
    while time.monotonic() < end and time.monotonic() - last < idle:
        try:
            data = s.recv(2048)
        except socket.timeout:
            continue
        seen.add(struct.unpack("!I", data[skip:skip + 4])[0])
        last = time.monotonic()
    print("received %d" % len(seen), flush=True)


def udp_send(dst, port, count, pps, prefix=b""):
    s = socket.socket(family(dst), socket.SOCK_DGRAM)
    t0 = time.monotonic()
    for i in range(count):
        s.sendto(prefix + struct.pack("!I", i) + b"x" * 60, (dst, port))
        delay = t0 + (i + 1) / pps - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    print("sent %d" % count)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def syn_frame(smac, dmac, src, dst, sport, dport):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, sport * 7919, 0, 5 << 4,
                      0x02, 64240, 0, 0)
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), sport, 0, 64,
                     6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return dmac + smac + b"\x08\x00" + ip + tcp


def syn_flood(iface, smac, dmac, src, dst, dport, count, pps):
    mac = lambda m: bytes(int(x, 16) for x in m.split(":"))  # noqa: E731
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    frames = [syn_frame(mac(smac), mac(dmac), socket.inet_aton(src),
                        socket.inet_aton(dst), 20000 + i, dport)
              for i in range(1024)]
    t0 = time.monotonic()
    sent = 0
    for i in range(count):
        try:
            s.send(frames[i % len(frames)])
            sent += 1
        except OSError:
            pass
        delay = t0 + (i + 1) / pps - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    print("sent %d in %.2f s" % (sent, time.monotonic() - t0))


def vlan_syn(iface, smac, dmac, src, dst, dport, vlan, timeout):
    from scapy.all import Dot1Q, Ether, IP, TCP, conf, srp1
    conf.verb = 0
    syn = (Ether(src=smac, dst=dmac) / Dot1Q(vlan=vlan) /
           IP(src=src, dst=dst) / TCP(sport=40000, dport=dport, flags="S",
                                      seq=1000))
    ans = srp1(syn, iface=iface, timeout=timeout)
    if ans is None or Dot1Q not in ans or TCP not in ans:
        print("none" if ans is None else "other %s" % ans.summary())
        return
    print("answer vlan=%d flags=%s from %s" % (ans[Dot1Q].vlan, ans[TCP].flags,
                                               ans[IP].src))


def main():
    a = sys.argv[1:]
    if a[0] == "echo-server":
        echo_server(a[1], int(a[2]), float(a[3]))
    elif a[0] == "echo-client":
        echo_client(a[1], int(a[2]), a[3], float(a[4]))
    elif a[0] == "udp-count":
        udp_count(a[1], int(a[2]), float(a[3]), float(a[4]),
                  int(a[5]) if len(a) > 5 else 0)
    elif a[0] == "udp-send":
        udp_send(a[1], int(a[2]), int(a[3]), float(a[4]),
                 bytes.fromhex(a[5]) if len(a) > 5 else b"")
    elif a[0] == "syn-flood":
        syn_flood(a[1], a[2], a[3], a[4], a[5], int(a[6]), int(a[7]),
                  float(a[8]))
    elif a[0] == "vlan-syn":
        vlan_syn(a[1], a[2], a[3], a[4], a[5], int(a[6]), int(a[7]),
                 float(a[8]))
    else:
        sys.exit("unknown mode %s" % a[0])


if __name__ == "__main__":
    main()
