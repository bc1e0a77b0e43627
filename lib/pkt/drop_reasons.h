/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every reason ferry drops a packet, written once. The list drives the
 * enum, the names shown by `show drops` and the per-worker counters of
 * the one drop node (lib/graph), so adding a reason is one line here.
 *
 * Columns: enum suffix, name shown to operators, description.
 * Names are stable: tests and operators' scripts match on them.
 */
#ifndef FERRY_DROP_REASONS_H
#define FERRY_DROP_REASONS_H

#define FOREACH_DROP_REASON(_)                                                \
	_(NONE, "none", "not dropped (a bug if ever counted)")               \
	_(ETH_TRUNCATED, "eth_truncated",                                     \
	  "frame shorter than its Ethernet/802.1Q header")                   \
	_(L2_OTHER_HOST, "l2_other_host",                                     \
	  "unicast frame for another MAC address")                           \
	_(NO_INTERFACE, "no_interface",                                       \
	  "no interface configured for the port and VLAN")                   \
	_(IFACE_DOWN, "iface_down",                                           \
	  "interface administratively down (in or out)")                     \
	_(ETHERTYPE_UNKNOWN, "ethertype_unknown", "ethertype not handled")   \
	_(IPV6_UNSUPPORTED, "ipv6_unsupported",                               \
	  "IPv6 on an interface without address6")                          \
	_(MPLS_UNSUPPORTED, "mpls_unsupported",                               \
	  "multicast MPLS (ethertype 0x8848) is not switched")               \
	_(MPLS_DISABLED, "mpls_disabled",                                     \
	  "MPLS on an interface not in mpls.interfaces (RFC 4364 sec. 10)")  \
	_(MPLS_TRUNCATED, "mpls_truncated",                                   \
	  "label stack runs past the end of the frame")                      \
	_(MPLS_TOO_MANY_LABELS, "mpls_too_many_labels",                       \
	  "label stack deeper than mpls.max_labels")                         \
	_(MPLS_UNKNOWN_LABEL, "mpls_unknown_label",                           \
	  "no LFIB entry for the top label")                                 \
	_(MPLS_RESERVED_LABEL, "mpls_reserved_label",                         \
	  "reserved label where RFC 3032/6790/7274 do not allow it")         \
	_(MPLS_ROUTER_ALERT, "mpls_router_alert",                             \
	  "router alert label (1): no local module takes it")                \
	_(MPLS_OAM, "mpls_oam",                                               \
	  "MPLS OAM (GAL 13, OAM alert 14) is not handled")                  \
	_(MPLS_BAD_PAYLOAD, "mpls_bad_payload",                               \
	  "VRF label not at the bottom, or no IPv4 under the stack")         \
	_(MPLS_TTL_EXPIRED, "mpls_ttl_expired",                               \
	  "label TTL expired in transit")                                    \
	_(MPLS_NO_LSP, "mpls_no_lsp",                                         \
	  "VPN route to a remote PE that has no LSP")                        \
	_(MPLS_NEXTHOP_UNRESOLVED, "mpls_nexthop_unresolved",                 \
	  "LSP/LFIB next hop has no MAC yet (ARP in progress)")              \
	_(MPLS_MTU_EXCEEDED, "mpls_mtu_exceeded",                             \
	  "too big for the egress MTU with its labels")                      \
	_(VXLAN_TRUNCATED, "vxlan_truncated",                                 \
	  "UDP shorter than a VXLAN header and inner Ethernet header")      \
	_(VXLAN_BAD_UDP_CHECKSUM, "vxlan_bad_udp_checksum",                   \
	  "VXLAN UDP checksum wrong (over IPv4: and not zero)")             \
	_(VXLAN_ZERO_UDP_CHECKSUM6, "vxlan_zero_udp_checksum6",               \
	  "VXLAN over IPv6 with UDP checksum 0 (RFC 8200 8.1, RFC 6935)")   \
	_(VXLAN_BAD_FLAGS, "vxlan_bad_flags",                                 \
	  "VXLAN I flag clear or reserved bits set (RFC 7348 5)")           \
	_(VXLAN_UNKNOWN_VNI, "vxlan_unknown_vni",                             \
	  "VNI of no bridge domain or L3 VNI")                              \
	_(VXLAN_BAD_INNER, "vxlan_bad_inner",                                 \
	  "inner frame: multicast or zero source MAC, or not IPv4/IPv6 on " \
	  "an L3 VNI")                                                      \
	_(VXLAN_NO_TUNNEL, "vxlan_no_tunnel",                                 \
	  "tunnel removed while the packet was on its way")                 \
	_(VXLAN_NEXTHOP_UNRESOLVED, "vxlan_nexthop_unresolved",               \
	  "no underlay route or MAC (ARP) for the remote VTEP")             \
	_(VXLAN_MTU_EXCEEDED, "vxlan_mtu_exceeded",                           \
	  "too big for the underlay MTU with the 50-byte VXLAN overhead")   \
	_(L2_HAIRPIN, "l2_hairpin",                                           \
	  "destination MAC behind the port (or overlay) it came from")      \
	_(L2_BAD_SOURCE, "l2_bad_source",                                     \
	  "bridged frame with a multicast or zero source MAC")              \
	_(L2_FLOOD_NONE, "l2_flood_none",                                     \
	  "BUM frame with nowhere to flood to")                             \
	_(ARP_MALFORMED, "arp_malformed",                                     \
	  "ARP not Ethernet/IPv4, bad lengths or opcode")                    \
	_(ARP_NOT_FOR_US, "arp_not_for_us",                                   \
	  "ARP for an address that is not ours")                             \
	_(ARP_UNRESOLVED, "arp_unresolved",                                   \
	  "next hop did not answer ARP")                                     \
	_(ARP_HOLD_FULL, "arp_hold_full",                                     \
	  "too many packets waiting for one ARP resolution")                 \
	_(IP4_TRUNCATED, "ip4_truncated",                                     \
	  "frame shorter than the IPv4 header or total length")              \
	_(IP4_BAD_VERSION, "ip4_bad_version", "IP version is not 4")         \
	_(IP4_BAD_IHL, "ip4_bad_ihl", "IPv4 header length below 20 bytes")   \
	_(IP4_BAD_CHECKSUM, "ip4_bad_checksum", "IPv4 header checksum wrong")\
	_(IP4_BAD_LENGTH, "ip4_bad_length",                                   \
	  "IPv4 total length smaller than its header")                       \
	_(IP4_BAD_SOURCE, "ip4_bad_source",                                   \
	  "martian source: 0/8, 127/8, multicast or broadcast (RFC 1812)")   \
	_(IP4_BAD_DEST, "ip4_bad_dest",                                       \
	  "destination 0/8, 127/8 or class E (RFC 1812)")                    \
	_(IP4_MULTICAST, "ip4_multicast",                                     \
	  "multicast or broadcast destination is not routed")                \
	_(IP4_TTL_EXPIRED, "ip4_ttl_expired", "TTL expired in transit")      \
	_(IP4_NO_ROUTE, "ip4_no_route", "no route in the VRF")               \
	_(IP4_BLACKHOLE, "ip4_blackhole", "route is a blackhole")            \
	_(IP4_MTU_EXCEEDED, "ip4_mtu_exceeded",                               \
	  "too big for the egress MTU (ferry does not fragment)")            \
	_(IP4_FRAGMENT_LOCAL, "ip4_fragment_local",                           \
	  "fragment addressed to ferry (no reassembly)")                     \
	_(IP4_LOCAL_UNHANDLED, "ip4_local_unhandled",                         \
	  "addressed to ferry, protocol not served")                         \
	_(ICMP_BAD, "icmp_bad", "ICMP to ferry malformed or bad checksum")   \
	_(PUNT_FULL, "punt_full", "control-plane queue full")                \
	_(NO_HEADROOM, "no_headroom", "no mbuf headroom for a header")       \
	_(TX_FULL, "tx_full", "port transmit queue full")                    \
	_(IP4_OWN_SOURCE, "ip4_own_source",                                   \
	  "source is one of ferry's addresses in the VRF (spoofed, looped)")  \
	_(ARP_OWN_SOURCE, "arp_own_source",                                   \
	  "ARP sender is one of ferry's addresses: an address conflict")      \
	_(RX_CHAINED, "rx_chained",                                           \
	  "frame longer than one buffer (buffers.data_room) arrived chained") \
	/* lib/classify */                                                    \
	_(ACL_DENY, "acl_deny",                                               \
	  "denied by an ACL rule or an ACL's default (see show acl)")         \
	_(ACL_IPV6_DEFAULT_DENY, "acl_ipv6_default_deny",                     \
	  "IPv6 packet on an interface whose ACL defaults to deny")          \
	/* lib/qos: egress scheduler and policers */                         \
	_(QOS_QUEUE_FULL, "qos_queue_full",                                   \
	  "scheduler class queue at its queue_limit (tail drop)")            \
	_(QOS_RING_FULL, "qos_ring_full",                                     \
	  "hand-off ring to the port scheduler's lcore full")                \
	_(QOS_POLICED, "qos_policed",                                         \
	  "policer colour whose action is drop")                             \
	_(QOS_RED, "qos_red",                                                 \
	  "early drop by the class's RED (rte_red) before its queue fills")   \
	_(QOS_STOPPED, "qos_stopped",                                         \
	  "held by a QoS scheduler when ferry stopped (freed, not sent)")     \
	_(QOS_CLASS_REMOVED, "qos_class_removed",                             \
	  "queued in a scheduler class a live change removed (or whose "     \
	  "queue limit it lowered)")                                         \
	/* lib/ipsec (RFC 4301/4303/3948) */                                  \
	_(ESP_TRUNCATED, "esp_truncated",                                     \
	  "ESP shorter than header, IV, trailer and ICV")                    \
	_(ESP_BAD_LENGTH, "esp_bad_length",                                   \
	  "ESP payload not a multiple of the cipher block")                  \
	_(ESP_CHAINED, "esp_chained", "ESP in a multi-segment mbuf")         \
	_(ESP_UNKNOWN_SPI, "esp_unknown_spi",                                 \
	  "no inbound SA for the SPI and destination")                       \
	_(ESP_REPLAY, "esp_replay",                                           \
	  "sequence number replayed or left of the window (RFC 4303 3.4.3)") \
	_(ESP_BAD_ICV, "esp_bad_icv", "integrity check (ICV) failed")        \
	_(ESP_BAD_PAD, "esp_bad_pad",                                         \
	  "padding bytes or length wrong (RFC 4303 2.4)")                    \
	_(ESP_BAD_NEXT_HEADER, "esp_bad_next_header",                         \
	  "next header not the SA's inner (4 or 41), or a dummy packet")     \
	_(ESP_NATT_KEEPALIVE, "esp_natt_keepalive",                           \
	  "NAT-keepalive on UDP 4500 (RFC 3948 2.3)")                        \
	_(ESP_NATT_IKE, "esp_natt_ike",                                       \
	  "IKE (non-ESP marker) on UDP 4500: no IKE daemon")                 \
	_(ESP_NO_SA, "esp_no_sa", "route or SPD names an SA that is gone")  \
	_(ESP_INNER_FAMILY, "esp_inner_family",                               \
	  "IPv4 into an SA carrying IPv6 or the reverse (ipsec inner)")      \
	_(ESP_ENCRYPT_FAILED, "esp_encrypt_failed",                           \
	  "no room for ESP headers/trailer, or the cipher failed")           \
	_(SA_EXPIRED, "sa_expired",                                           \
	  "SA past its hard lifetime: stopped, never sent in clear")         \
	_(SA_SEQ_OVERFLOW, "sa_seq_overflow",                                 \
	  "sequence number would wrap without ESN: SA stopped")              \
	_(IPSEC_SPD_DISCARD, "ipsec_spd_discard", "SPD rule says discard")   \
	_(IPSEC_SPD_MISMATCH, "ipsec_spd_mismatch",                           \
	  "decrypted packet not allowed on the SA it came in on")           \
	_(IPSEC_CLEARTEXT, "ipsec_cleartext",                                 \
	  "cleartext that an inbound protect rule says must come in ESP")    \
	/* lib/control_plane: the TAP representors' exception path */        \
	_(CP_POLICED, "cp_policed",                                           \
	  "punted packet over its CoPP class rate (show control-plane)")     \
	_(CP_QUEUE_FULL, "cp_queue_full",                                     \
	  "control-plane punt ring to the management lcore full")            \
	_(CP_TAP_WRITE, "cp_tap_write",                                       \
	  "TAP write failed, or its representor was removed")               \
	_(CP_TAP_FRAME, "cp_tap_frame",                                       \
	  "frame from a TAP ferry does not send (IPv6, tagged, ARP reply)")  \
	_(IP6_TRUNCATED, "ip6_truncated",                                      \
	  "IPv6 header or extension header runs past the frame")               \
	_(IP6_BAD_VERSION, "ip6_bad_version",                                  \
	  "IP version is not 6 (RFC 8200 3)")                                  \
	_(IP6_BAD_LENGTH, "ip6_bad_length",                                    \
	  "payload length beyond the frame")                                   \
	_(IP6_JUMBOGRAM, "ip6_jumbogram",                                      \
	  "payload length 0 or a jumbo option (RFC 2675): not taken")          \
	_(IP6_BAD_SOURCE, "ip6_bad_source",                                    \
	  "source multicast, or unspecified/loopback routed")                  \
	_(IP6_BAD_DEST, "ip6_bad_dest",                                        \
	  "destination unspecified or loopback (RFC 4291 2.5.2/3)")            \
	_(IP6_MULTICAST, "ip6_multicast",                                      \
	  "multicast not for ferry's ND groups (not routed)")                  \
	_(IP6_LINK_LOCAL, "ip6_link_local",                                    \
	  "link-local packet not for ferry (never routed, RFC 4291 2.5.6)")    \
	_(IP6_EXT_CHAIN, "ip6_ext_chain",                                      \
	  "extension header chain too long or hop-by-hop not first")           \
	_(IP6_BAD_OPTION, "ip6_bad_option",                                    \
	  "hop-by-hop option ferry must not skip (RFC 8200 4.2)")              \
	_(IP6_RH0, "ip6_rh0",                                                  \
	  "routing header type 0 with segments left (RFC 5095)")               \
	_(IP6_HOP_LIMIT, "ip6_hop_limit",                                      \
	  "hop limit expired in transit")                                      \
	_(IP6_NO_ROUTE, "ip6_no_route",                                        \
	  "no IPv6 route in the VRF")                                          \
	_(IP6_BLACKHOLE, "ip6_blackhole",                                      \
	  "IPv6 route is a blackhole")                                         \
	_(IP6_TOO_BIG, "ip6_too_big",                                          \
	  "larger than the egress MTU (packet too big sent)")                  \
	_(IP6_FRAGMENT_LOCAL, "ip6_fragment_local",                            \
	  "IPv6 fragment to ferry (no reassembly)")                            \
	_(IP6_LOCAL_UNHANDLED, "ip6_local_unhandled",                          \
	  "IPv6 to ferry with a protocol it does not serve")                   \
	_(ICMP6_BAD, "icmp6_bad",                                              \
	  "ICMPv6 to ferry malformed or bad checksum")                         \
	_(ND_MALFORMED, "nd_malformed",                                        \
	  "ND message failing RFC 4861 7.1.1/7.1.2 checks")                    \
	_(ND_NOT_FOR_US, "nd_not_for_us",                                      \
	  "neighbour solicitation for an address not ours (or tentative)")     \
	_(ND_UNRESOLVED, "nd_unresolved",                                      \
	  "next hop did not answer neighbour solicitation")                    \
	_(ND_HOLD_FULL, "nd_hold_full",                                        \
	  "too many packets waiting for one neighbour")                        \
	_(ND_IGNORED, "nd_ignored",                                            \
	  "router solicitation/advertisement or redirect (RAs are off)")

/** Why a packet was dropped. DROP_MAX is the number of reasons. */
enum drop_reason {
#define _DROP_ENUM(e, name, desc) DROP_##e,
	FOREACH_DROP_REASON(_DROP_ENUM)
#undef _DROP_ENUM
	DROP_MAX
};

#endif /* FERRY_DROP_REASONS_H */
