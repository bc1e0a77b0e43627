# SPDX-License-Identifier: BSD-3-Clause
"""Addresses of the "routing" topology (ferry.cfg.in in this folder), shared
by its test scripts."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import ferrytest as ft  # noqa: E402  (path set just above)

TEMPLATE = os.path.join(HERE, "ferry.cfg.in")
PORTS = ["p0", "p1", "p2"]

# ferry's own MACs, one per port
P0_MAC = "02:00:00:00:00:10"
P1_MAC = "02:00:00:00:00:11"
P2_MAC = "02:00:00:00:00:12"
BCAST = "ff:ff:ff:ff:ff:ff"

GW = "192.168.101.1"          # ferry's address on a (cust-a) and b (cust-b)
HOST = "192.168.101.10"       # a CE host, static neighbour on a and on b
HOST_A_MAC = "02:00:00:00:01:0a"   # its MAC in customer A's site (port p0)
HOST_B_MAC = "02:00:00:00:02:0a"   # its MAC in customer B's site (port p1)
CORE_A_MAC = "02:00:00:00:aa:01"   # 10.0.10.2, next hop of cust-a (p2 VLAN 10)
CORE_B_MAC = "02:00:00:00:bb:01"   # 10.0.20.2, next hop of cust-b (p2 VLAN 20)
VLAN_A, VLAN_B = 10, 20
MTU_A = 1400                  # MTU of p2.10


def from_ce_a(src_mac=HOST_A_MAC):
    """Ethernet header of a frame from customer A's site into p0."""
    return ft.eth(P0_MAC, src_mac)


def from_ce_b(src_mac=HOST_B_MAC):
    return ft.eth(P1_MAC, src_mac)


def from_core_a():
    """A frame from the core router into p2 on VLAN 10 (cust-a)."""
    return ft.eth(P2_MAC, CORE_A_MAC, vlan=VLAN_A)


def from_core_b():
    return ft.eth(P2_MAC, CORE_B_MAC, vlan=VLAN_B)
