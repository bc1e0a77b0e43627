#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ipsec/ike_charon: strongSwan's charon loads kernel-ferry
(drivers/strongswan/kernel-ferry) and resyncs with a running ferry.

An IKE SA and policy are installed through the socket first, as a
charon that died would leave them. charon is then started in a network
namespace of its own with its own strongswan.conf (piddir, vici socket,
log) and its own /run (charon.pid), loading kernel-ferry with ferry's
socket: the plugin connects, says HELLO and flushes IKE SAs and
policies, so the stale SA leaves ferry while the configured SA keeps
forwarding (doc/ike.md, "Restarts").

Exits 77 (skip) when charon or the built plugin is not installed
(scripts/build-kernel-ferry.sh --install builds and installs it).

Usage: /usr/bin/python3 test_ike_charon.py FERRY_BINARY
"""

import os
import re
import subprocess
import sys
import time

from test_ike_socket import (ADD_SA, ADD_POLICY, HELLO, IKE_SPI, NEW_KEY,
                             Plugin, add_sa, delta, ft, ike_counter, policy,
                             start_ferry, C)

CHARON = "/usr/lib/ipsec/charon"
PLUGIN = "/usr/lib/ipsec/plugins/libstrongswan-kernel-ferry.so"

CONF = """charon {
  load = random nonce aes sha1 sha2 hmac kdf kernel-ferry kernel-netlink socket-default vici
  piddir = %(work)s
  filelog {
    log {
      path = %(work)s/charon.log
      flush_line = yes
      default = 1
      knl = 2
    }
  }
  plugins {
    kernel-ferry { socket = %(sock)s }
    vici { socket = unix://%(work)s/charon.vici }
  }
}
"""


def skip_reason():
    for f, what in ((CHARON, "strongswan-charon"),
                    (PLUGIN, "kernel-ferry (scripts/build-kernel-ferry.sh "
                     "--install)")):
        if not os.path.exists(f):
            return "%s not installed (%s missing)" % (what, f)
    if subprocess.run(["ip", "netns", "list"],
                      capture_output=True).returncode != 0:
        return "no network namespaces (ip netns)"
    return None


def start_charon(work, sock, ns):
    conf = os.path.join(work, "strongswan.conf")
    with open(conf, "w") as f:
        f.write(CONF % {"work": work, "sock": sock})
    env = dict(os.environ, STRONGSWAN_CONF=conf)
    # charon's pid file (/var/run/charon.pid) is compiled in: a /run of
    # its own (bind mount in the mount namespace `ip netns exec` makes),
    # as iketopo.py does, so two runs (or a system charon) never meet.
    run = os.path.join(work, "run")
    os.makedirs(run, exist_ok=True)
    return subprocess.Popen(["ip", "netns", "exec", ns, "sh", "-c",
                             'mount --bind "$0" /run && exec "$1"', run,
                             CHARON], env=env,
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def wait(cond, timeout=60):
    deadline = time.monotonic() + timeout
    while not cond() and time.monotonic() < deadline:
        time.sleep(0.3)
    return cond()


def main():
    why = skip_reason()
    if why:
        print("SKIP: " + why)
        return 77
    binary = ft.setup()
    chk = ft.Checks("ike-charon")
    ns = "ikec%d" % os.getpid()
    ferry, sock = start_ferry(binary, "ike-charon")
    work = os.path.dirname(sock)
    charon = None
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        cli = ferry.cli()
        chk.set_group("stale state from an earlier charon")
        p = Plugin(sock)
        p.call(HELLO)
        key = bytes.fromhex(NEW_KEY) + C.SALT
        chk.eq(p.call(ADD_SA, add_sa(IKE_SPI, 0, key))[0], 0, "an IKE SA")
        chk.eq(p.call(ADD_POLICY, policy(1))[0], 0, "an IKE policy")
        p.close()
        chk.ok("ike reqid" in cli.cmd("show ipsec sa"), "it is in ferry")
        before = ike_counter(cli, "requests")
        chk.set_group("charon starts with kernel-ferry")
        charon = start_charon(work, sock, ns)
        chk.ok(wait(lambda: ike_counter(cli, "requests") >= before + 3),
               "the plugin connected: HELLO, FLUSH_SAS, FLUSH_POLICIES")
        chk.ok(wait(lambda: "ike reqid" not in cli.cmd("show ipsec sa")),
               "no stale IKE SA is left")
        chk.ok("ike tun" not in cli.cmd("show ipsec spd"),
               "no stale IKE policy is left")
        log = os.path.join(work, "charon.log")

        def logged():
            return os.path.exists(log) and re.search(
                r"ferry: connected to .* \(protocol 1\)", open(log).read())
        chk.ok(wait(logged), "charon's log: connected")
        chk.ok("sa 8193 in" in cli.cmd("show ipsec sa") and
               delta(cli).get("tx lan", 0) > 0,
               "the configured SA still forwards")
        cli.close()
    finally:
        if charon is not None:
            charon.terminate()
            try:
                charon.wait(timeout=20)
            except subprocess.TimeoutExpired:
                charon.kill()
                charon.wait()
        subprocess.run(["ip", "netns", "del", ns])
        status = ferry.stop()[0]
    chk.eq(status, 0, "ferry exit status")
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
