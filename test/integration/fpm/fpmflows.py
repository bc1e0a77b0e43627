#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Flow helpers of test_fpm_zebra.py, run inside a namespace:

  send IFACE SMAC DMAC SRC DST ROUNDS  64 UDP flows (source ports 40000..
                                       40063, dport 7777) as raw frames
  sniff IFACE SECONDS                  source ports of UDP to port 7777
                                       received on IFACE (not sent), with
                                       how many packets each

Raw AF_PACKET sockets: no routing on the sender's side (its own kernel
blackholes the destination) and the direction of each frame is known.
"""
import socket
import struct
import sys
import time

ETH_P_IP = 0x0800
PACKET_OUTGOING = 4
DPORT = 7777
FLOWS = 64


def csum(data):
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff


def frame(smac, dmac, src, dst, sport):
    payload = b"ferry-ecmp-flow"
    udp = struct.pack("!HHHH", sport, DPORT, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), sport, 0, 64, 17,
                     0, socket.inet_aton(src), socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    mac = lambda m: bytes(int(x, 16) for x in m.split(":"))  # noqa: E731
    return mac(dmac) + mac(smac) + struct.pack("!H", ETH_P_IP) + ip + udp


def send(iface, smac, dmac, src, dst, rounds):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    for _ in range(int(rounds)):
        for i in range(FLOWS):
            s.send(frame(smac, dmac, src, dst, 40000 + i))
            time.sleep(0.005)
    print("sent %d" % (FLOWS * int(rounds)))


def sniff(iface, seconds):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_IP))
    s.bind((iface, 0))
    s.settimeout(0.2)
    seen = {}
    deadline = time.monotonic() + float(seconds)
    while time.monotonic() < deadline:
        try:
            data, addr = s.recvfrom(2048)
        except socket.timeout:
            continue
        if addr[2] == PACKET_OUTGOING or len(data) < 14 + 28:
            continue
        ip = data[14:]
        ihl = (ip[0] & 15) * 4
        if ip[9] != 17:
            continue
        sport, dport = struct.unpack("!HH", ip[ihl:ihl + 4])
        if dport == DPORT:
            seen[sport] = seen.get(sport, 0) + 1
    print("seen " + " ".join("%d:%d" % kv for kv in sorted(seen.items())))
    sys.stdout.flush()


def main():
    cmd = sys.argv[1]
    if cmd == "send":
        send(*sys.argv[2:8])
    elif cmd == "sniff":
        sniff(*sys.argv[2:4])
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
