#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""IKE socket figures (doc/ike.md): tunnels installed per second (an
inbound and an outbound SA and an outbound policy each, as charon's
kernel-ferry installs a CHILD_SA) and the ADD_SA round trip, against a
ferry started on the ike-socket test's topology with replayed traffic.
Not a test: it prints figures.

Usage: /usr/bin/python3 scripts/bench/ike_socket_bench.py FERRY_BINARY [N]
"""

import os
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "../../test/integration/ipsec"))
import test_ike_socket as T  # noqa: E402

KEY = bytes.fromhex(T.NEW_KEY) + T.C.SALT


def sa_body(spi, reqid, direction):
    return struct.pack("!IIBBBIIHHIQQQQ", spi, reqid, direction, 0, 0,
                       T.ip(T.C.LOCAL), T.ip(T.C.PEER), 0, 0, 64,
                       0, 0, 0, 0) \
        + b"aes-gcm-128".ljust(24, b"\0") + struct.pack("!BB", len(KEY), 0) \
        + KEY


def policy_body(i, reqid):
    return struct.pack("!IBBBBIIHHHHI", reqid, 1, 0, 24, 24,
                       T.ip("10.9.%d.0" % (i % 250)),
                       T.ip("10.%d.%d.0" % (100 + i // 250, i % 250)),
                       0, 65535, 0, 65535, 100)


def main():
    binary, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 500
    ferry, path = T.start_ferry(binary, "ike-bench")
    try:
        p = T.Plugin(path)
        p.call(T.HELLO)
        t0 = time.monotonic()
        for i in range(n):
            for body, mtype in ((sa_body(0x200000 + 2 * i, 5000 + i, 0),
                                 T.ADD_SA),
                                (sa_body(0x200001 + 2 * i, 5000 + i, 1),
                                 T.ADD_SA),
                                (policy_body(i, 5000 + i), T.ADD_POLICY)):
                st = p.call(mtype, body)[0]
                if st != 0:
                    raise SystemExit("request failed: %d" % st)
        dt = time.monotonic() - t0
        print("tunnels: %d in %.2f s = %.0f tunnels/s" % (n, dt, n / dt))
        lat = []
        for i in range(50):
            t = time.monotonic()
            p.call(T.ADD_SA, sa_body(0x300000 + i, 9000 + i, 1))
            lat.append(time.monotonic() - t)
        lat.sort()
        print("ADD_SA round trip: median %.2f ms, p90 %.2f ms"
              % (lat[25] * 1e3, lat[45] * 1e3))
        p.close()
    finally:
        ferry.stop()


if __name__ == "__main__":
    main()
