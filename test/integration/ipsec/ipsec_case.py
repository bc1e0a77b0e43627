# SPDX-License-Identifier: BSD-3-Clause
"""Shared pieces of the ipsec integration tests: the topology of
gw.cfg.in, SA settings per algorithm, the matching scapy
SecurityAssociation and tshark esp_sa rows, and checks of ESP output.

Keys here are test vectors of our own, not secrets."""

import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ferrytest as ft  # noqa: E402

from scapy.layers.ipsec import ESP, SecurityAssociation  # noqa: E402
from scapy.layers.inet import IP, UDP  # noqa: E402
from scapy.layers.l2 import Ether  # noqa: E402

P0_MAC, P1_MAC = "02:00:00:00:05:10", "02:00:00:00:05:11"
HOST_MAC, PEER_MAC = "02:00:00:00:0a:01", "02:00:00:00:0b:01"
HOST, REMOTE_NET_HOST = "192.168.1.10", "10.2.0.5"
LOCAL, PEER = "203.0.113.1", "203.0.113.2"
SPI_OUT, SPI_IN = 0x1001, 0x2001

KEY16 = bytes(range(0x10, 0x20))
KEY32 = bytes(range(0x20, 0x40))
SALT = bytes.fromhex("cafebabe")
AUTH20 = bytes(range(0x40, 0x54))
AUTH32 = bytes(range(0x60, 0x80))

# ferry name -> (scapy crypt, cipher key, salt, scapy auth, auth key,
#                tshark encryption, tshark authentication)
ALGS = {
    "aes-gcm-128": ("AES-GCM", KEY16, SALT, None, b"",
                    "AES-GCM with 16 octet ICV [RFC4106]", "NULL"),
    "aes-gcm-256": ("AES-GCM", KEY32, SALT, None, b"",
                    "AES-GCM with 16 octet ICV [RFC4106]", "NULL"),
    "aes-cbc-128-sha1": ("AES-CBC", KEY16, b"", "HMAC-SHA1-96", AUTH20,
                         "AES-CBC [RFC3602]", "HMAC-SHA-1-96 [RFC2404]"),
    "aes-cbc-256-sha1": ("AES-CBC", KEY32, b"", "HMAC-SHA1-96", AUTH20,
                         "AES-CBC [RFC3602]", "HMAC-SHA-1-96 [RFC2404]"),
    "aes-cbc-128-sha256": ("AES-CBC", KEY16, b"", "SHA2-256-128", AUTH32,
                           "AES-CBC [RFC3602]", "HMAC-SHA-256-128 [RFC4868]"),
    "aes-cbc-256-sha256": ("AES-CBC", KEY32, b"", "SHA2-256-128", AUTH32,
                           "AES-CBC [RFC3602]", "HMAC-SHA-256-128 [RFC4868]"),
    "chacha20-poly1305": ("CHACHA20-POLY1305", KEY32, SALT, None, b"",
                          None, None),  # tshark 4.0: no ChaCha20 in ESP
    "null-sha256": ("NULL", b"", b"", "SHA2-256-128", AUTH32,
                    "NULL", "HMAC-SHA-256-128 [RFC4868]"),
}


def sa_cfg(spi, direction, alg, local, remote, **extra):
    """One element of ipsec.sas in libconfig syntax."""
    _, key, salt, _, akey, _, _ = ALGS[alg]
    s = ('spi = %d; direction = "%s"; local = "%s"; remote = "%s"; '
         'underlay_vrf = "default"; inner_vrf = "cust"; algorithm = "%s"; '
         % (spi, direction, local, remote, alg))
    if key:
        s += 'key = "%s"; ' % key.hex()
    if salt:
        s += 'salt = "%s"; ' % salt.hex()
    if akey:
        s += 'auth_key = "%s"; ' % akey.hex()
    for k, v in extra.items():
        if isinstance(v, bool):
            v = "true" if v else "false"
        elif isinstance(v, str) and not v.startswith("{"):
            v = '"%s"' % v
        elif isinstance(v, int) and v > 2147483647:
            v = "%dL" % v  # libconfig 1.5: 64-bit integers need an L
        s += "%s = %s; " % (k, v)
    return "{ " + s + "}"


def template(alg_out, alg_in=None, out_extra=None, in_extra=None, spd="",
             extra_sas=()):
    """Render gw.cfg.in with one outbound and one inbound SA (and
    @p extra_sas, rendered by sa_cfg())."""
    alg_in = alg_in or alg_out
    with open(ft.here(__file__, "gw.cfg.in")) as f:
        text = f.read()
    sas = ",\n\t\t".join([
        sa_cfg(SPI_OUT, "out", alg_out, LOCAL, PEER, **(out_extra or {})),
        sa_cfg(SPI_IN, "in", alg_in, LOCAL, PEER, **(in_extra or {}))]
        + list(extra_sas))
    text = text.replace("@SAS@", sas).replace("@SPD@", spd)
    text = text.replace("@SPI_OUT@", str(SPI_OUT))
    fd, path = tempfile.mkstemp(prefix="ferry-ipsec-", suffix=".cfg.in")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


def live_ferry(binary, template_text, frames, name):
    """ft.Running on a config rendered from @p template_text (harness
    placeholders) with @p frames replayed from in.pcap."""
    fd, tmpl = tempfile.mkstemp(suffix=".cfg.in")
    with os.fdopen(fd, "w") as f:
        f.write(template_text)
    try:
        _, cfg, _ = ft.live_case(tmpl, frames, name)
    finally:
        os.unlink(tmpl)
    return ft.Running(binary, cfg)


def scapy_sa(alg, spi, src, dst, nat_t=False, esn=False):
    """The peer's view of an SA: scapy's SecurityAssociation."""
    crypt, key, salt, auth, akey, _, _ = ALGS[alg]
    kw = dict(crypt_algo=crypt, crypt_key=key + salt,
              tunnel_header=IP(src=src, dst=dst))
    if auth:
        kw.update(auth_algo=auth, auth_key=akey)
    if nat_t:
        kw["nat_t_header"] = UDP(sport=4500, dport=4500)
    if esn:
        kw.update(esn_en=True, esn=0)
    return SecurityAssociation(ESP, spi=spi, **kw)


def inner(tag, src=HOST, dst=REMOTE_NET_HOST, size=100, ttl=64, tos=0,
          df=False):
    return ft.ip_packet(tag, src, dst, size, ttl=ttl, tos=tos, df=df)


def lan_frame(pkt):
    return ft.eth(P0_MAC, HOST_MAC) / pkt


def wan_frame(pkt):
    return ft.eth(P1_MAC, PEER_MAC) / pkt


def peer_esp(sa, pkt, seq):
    """The peer encrypts @p pkt with @p sa at sequence number @p seq."""
    sa.seq_num = seq
    return sa.encrypt(pkt)


def tshark_check(pcap, rows, fields=("ip.dst",)):
    """Decrypt @p pcap with tshark's ESP dissector and the esp_sa rows
    @p rows; return [(icv_good, addresses of @p fields, outer and
    decrypted inner)] per ESP packet."""
    with tempfile.TemporaryDirectory() as home:
        conf = os.path.join(home, ".config", "wireshark")
        os.makedirs(conf)
        with open(os.path.join(conf, "esp_sa"), "w") as f:
            for r in rows:
                f.write(",".join('"%s"' % x for x in r) + "\n")
        env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"))
        p = subprocess.run(
            ["tshark", "-r", pcap, "-o", "esp.enable_encryption_decode:TRUE",
             "-o", "esp.enable_authentication_check:TRUE",
             "-o", "esp.enable_null_encryption_decode_heuristic:FALSE",
             "-Y", "esp", "-T", "fields", "-e", "esp.icv_good"] +
            [a for f in fields for a in ("-e", f)],
            env=env, capture_output=True, text=True, timeout=60)
        out = []
        for line in p.stdout.splitlines():
            good, _, dsts = line.partition("\t")
            out.append((good, dsts.replace("\t", ",").split(",")))
        return out, p.stderr


def tshark_row(alg, spi, src, dst):
    _, key, salt, _, akey, enc, auth = ALGS[alg]
    return ["IPv4", src, dst, "0x%08x" % spi, enc,
            "0x" + (key + salt).hex() if key else "", auth,
            "0x" + akey.hex() if akey else ""]
