# SPDX-License-Identifier: BSD-3-Clause
"""Shared by ferry's TRex stateless profiles (scripts/traffic/trex): the
example configurations' addresses and small builders. TRex adds a
profile's directory to sys.path, so the profiles import this module.

These profiles run against ferry on real NICs (port 0 of TRex cabled to
the port named in each profile). They cannot run on the project's
development VMs, which have no NIC; see doc/operations.md."""
from trex_stl_lib.api import (STLPktBuilder, STLProfile, STLStream,
                              STLTXCont, STLVM)


def tunable(kwargs, name, default, kind=int):
    """A `-t name=value` tunable of trex-console's start command."""
    return kind(kwargs.get(name, default))


def udp_fill(pkt, size):
    """Pad @p pkt with 'x' to an IP total length of @p size bytes."""
    from trex_stl_lib.api import IP
    n = size - len(pkt[IP])
    return pkt / ("x" * max(0, n))


def flows_vm(ip_field, first, flows, sport_field=None):
    """Field engine: @p flows addresses from @p first in @p ip_field (and
    as many UDP source ports), IPv4 checksum fixed."""
    import ipaddress
    last = str(ipaddress.ip_address(first) + max(flows, 1) - 1)
    vm = STLVM()
    vm.var(name="ip", min_value=first, max_value=last, size=4, op="inc")
    vm.write(fv_name="ip", pkt_offset=ip_field)
    if sport_field is not None:
        vm.var(name="sport", min_value=1024, max_value=1024 + max(flows, 1) - 1,
               size=2, op="inc")
        vm.write(fv_name="sport", pkt_offset=sport_field)
    vm.fix_chksum()
    return vm


def stream(pkt, vm=None, pps=None, percent=None, name=None):
    mode = STLTXCont(pps=pps) if pps else STLTXCont(percentage=percent or 100)
    return STLStream(name=name, packet=STLPktBuilder(pkt=pkt, vm=vm), mode=mode)


def pcap_profile(path, ipg_usec=1.0):
    """Replay a capture of gen_hw_pcaps.py, looping."""
    return STLProfile.load_pcap(path, ipg_usec=ipg_usec, loop_count=0)
