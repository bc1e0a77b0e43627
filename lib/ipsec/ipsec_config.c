/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "ipsec" config section: SAs, routes into SAs and the SPD, as
 * schema tables, and the checks shared by the loader and the CLI.
 * Errors read FILE:LINE: ipsec.sas.[0].key: "00ff": REASON; a key's
 * value is never repeated in an error (it would land in logs).
 */
#include <stdio.h>
#include <string.h>

#include <rte_common.h>

#include "ip6_hdr.h"
#include "ipsec_priv.h"

#define PATH_LEN 96
#define VAL_LEN 64

#define SCHEMA(n, type, f) { .name = n, .fields = f, \
	.n_fields = RTE_DIM(f), .size = sizeof(type) }

static const struct cfg_enum dirs[] = {
	{ "in", IPSEC_DIR_IN }, { "out", IPSEC_DIR_OUT }, { NULL, 0 },
};
static const struct cfg_enum modes[] = { { "tunnel", 0 }, { NULL, 0 } };
static const struct cfg_enum dscp_modes[] = {
	{ "copy", IPSEC_DSCP_COPY }, { "set", IPSEC_DSCP_SET }, { NULL, 0 },
};
static const struct cfg_enum df_modes[] = {
	{ "copy", IPSEC_DF_COPY }, { "set", IPSEC_DF_SET },
	{ "clear", IPSEC_DF_CLEAR }, { NULL, 0 },
};
static const struct cfg_enum inners[] = {
	{ "ipv4", IPSEC_INNER_IPV4 }, { "ipv6", IPSEC_INNER_IPV6 },
	{ NULL, 0 },
};
static const struct cfg_enum actions[] = {
	{ "protect", IPSEC_PROTECT }, { "bypass", IPSEC_BYPASS },
	{ "discard", IPSEC_DISCARD }, { NULL, 0 },
};

#define LT(f, what, u) { #f, CFG_UINT, \
	offsetof(struct ipsec_lifetime_conf, f), 8, \
	.doc = what " (0 = no limit)", .unit = u }

static const struct cfg_field lifetime_fields[] = {
	LT(soft_packets, "packets after which the SA is soft-expired",
	   CFG_UNIT_NONE),
	LT(hard_packets, "packets the SA carries at most; then it stops",
	   CFG_UNIT_NONE),
	LT(soft_bytes, "inner bytes after which the SA is soft-expired",
	   CFG_UNIT_BYTES),
	LT(hard_bytes, "inner bytes after which the SA stops",
	   CFG_UNIT_BYTES),
	LT(soft_seconds, "seconds after which the SA is soft-expired",
	   CFG_UNIT_NONE),
	LT(hard_seconds, "seconds after which the SA stops", CFG_UNIT_NONE),
};

static const struct cfg_schema lifetime_schema =
	SCHEMA("lifetime", struct ipsec_lifetime_conf, lifetime_fields);

#define SA(f) offsetof(struct ipsec_sa_conf, f)

static const struct cfg_field sa_fields[] = {
	{ "spi", CFG_UINT, SA(spi), 4, 256, UINT32_MAX, .required = true,
	  .doc = "Security Parameter Index (RFC 4303 2.1; 1-255 reserved)" },
	{ "direction", CFG_ENUM, SA(direction), sizeof(int), .required = true,
	  .enums = dirs, .doc = "in (decrypt) or out (encrypt)" },
	{ "mode", CFG_ENUM, SA(mode), sizeof(int), .def = "\"tunnel\"",
	  .enums = modes, .doc = "tunnel (IP in IP ESP, RFC 4303 3.1.2)" },
	{ "local", CFG_IPV4, SA(local), 4,
	  .doc = "this end of the tunnel (a local address in underlay_vrf); "
		 "IPv4 end points: local and remote, or IPv6 ones: local6 "
		 "and remote6" },
	{ "remote", CFG_IPV4, SA(remote), 4,
	  .doc = "the peer's end of the tunnel (IPv4)" },
	{ "local6", CFG_IPV6, SA(local6), 16,
	  .doc = "this end of an IPv6 tunnel (a global address of "
		 "underlay_vrf); ESP then travels in IPv6 (no NAT-T)" },
	{ "remote6", CFG_IPV6, SA(remote6), 16,
	  .doc = "the peer's end of an IPv6 tunnel" },
	{ "inner", CFG_ENUM, SA(inner), sizeof(int), .def = "\"ipv4\"",
	  .enums = inners,
	  .doc = "what the SA carries: ipv4 (ESP next header 4; routes) or "
		 "ipv6 (next header 41; routes6)" },
	{ "underlay_vrf", CFG_STRING, SA(underlay_vrf), VRF_NAME_LEN,
	  .def = "\"default\"", .doc = "VRF the ESP packets travel in" },
	{ "inner_vrf", CFG_STRING, SA(inner_vrf), VRF_NAME_LEN,
	  .def = "\"default\"",
	  .doc = "VRF of the protected traffic (decrypted packets are "
		 "routed there)" },
	{ "algorithm", CFG_STRING,
	  SA(algorithm), IPSEC_ALG_LEN, .required = true,
	  .doc = "aes-gcm-128, aes-gcm-256, aes-cbc-128-sha1, "
		 "aes-cbc-256-sha1, aes-cbc-128-sha256, aes-cbc-256-sha256, "
		 "chacha20-poly1305, null-sha256" },
	{ "key", CFG_STRING, SA(key), IPSEC_KEY_HEX_LEN,
	  .doc = "cipher or AEAD key, hex (16 or 32 bytes); not for null",
	  .secret = true },
	{ "salt", CFG_STRING, SA(salt), 9,
	  .doc = "AEAD salt, hex, 4 bytes (RFC 4106 4, RFC 7634 2)",
	  .secret = true },
	{ "auth_key", CFG_STRING, SA(auth_key), IPSEC_AUTH_HEX_LEN,
	  .doc = "HMAC key, hex (20 bytes SHA1, 32 bytes SHA256)",
	  .secret = true },
	{ "replay_window", CFG_UINT, SA(replay_window), 4, 0, 4096,
	  .def = "64", .doc = "inbound anti-replay window, packets, 64..4096 "
			      "(RFC 4303 3.4.3); 0 turns anti-replay off "
			      "(benchmarks replaying one capture; not with "
			      "esn)" },
	{ "esn", CFG_BOOL, SA(esn), 1, .def = "false",
	  .doc = "64-bit extended sequence numbers (RFC 4304)" },
	{ "dscp", CFG_ENUM, SA(dscp), sizeof(int), .def = "\"copy\"",
	  .enums = dscp_modes,
	  .doc = "outer DSCP: copy the inner one, or set dscp_value" },
	{ "dscp_value", CFG_UINT, SA(dscp_value), 4, 0, 63, .def = "0",
	  .doc = "outer DSCP with dscp = set" },
	{ "df", CFG_ENUM, SA(df), sizeof(int), .def = "\"copy\"",
	  .enums = df_modes, .doc = "outer DF bit: copy, set or clear" },
	{ "ttl", CFG_UINT, SA(ttl), 4, 1, 255, .def = "64",
	  .doc = "outer TTL" },
	{ "nat_t", CFG_BOOL, SA(nat_t), 1, .def = "false",
	  .doc = "ESP in UDP (RFC 3948)" },
	{ "nat_t_sport", CFG_UINT, SA(nat_t_sport), 4, 1, 65535,
	  .def = "4500", .doc = "outbound NAT-T UDP source port" },
	{ "nat_t_dport", CFG_UINT, SA(nat_t_dport), 4, 1, 65535,
	  .def = "4500", .doc = "outbound NAT-T UDP destination port" },
	{ "lifetime", CFG_GROUP, SA(lifetime),
	  sizeof(struct ipsec_lifetime_conf), .sub = &lifetime_schema,
	  .doc = "soft and hard lifetimes (RFC 4301 4.4.2.1)" },
	{ "seq_start", CFG_UINT, SA(seq_start), 8, .def = "0",
	  .doc = "outbound: first sequence number sent (0 and 1 both "
		 "start at 1; for tests of overflow and rekey)" },
};

const struct cfg_schema ipsec_sa_schema = {
	.name = "ipsec_sa", .fields = sa_fields, .n_fields = RTE_DIM(sa_fields),
	.size = sizeof(struct ipsec_sa_conf),
	.keys = (const char *const[]){ "spi", "direction", NULL },
	.ops = &ipsec_sa_ops,
};

static const struct cfg_field route_fields[] = {
	{ "vrf", CFG_STRING, offsetof(struct ipsec_route_conf, vrf),
	  VRF_NAME_LEN, .def = "\"default\"", .doc = "VRF of the route" },
	{ "prefix", CFG_IPV4_PREFIX, offsetof(struct ipsec_route_conf, prefix),
	  sizeof(struct cfg_ipv4_prefix), .required = true,
	  .doc = "destinations sent into the SA" },
	{ "sa", CFG_UINT, offsetof(struct ipsec_route_conf, sa), 4, 256,
	  UINT32_MAX, .required = true, .doc = "SPI of an outbound SA" },
};

const struct cfg_schema ipsec_route_schema = {
	.name = "ipsec_route", .fields = route_fields,
	.n_fields = RTE_DIM(route_fields),
	.size = sizeof(struct ipsec_route_conf),
	.keys = (const char *const[]){ "vrf", "prefix", NULL },
	.ops = &ipsec_route_ops,
};

static const struct cfg_field route6_fields[] = {
	{ "vrf", CFG_STRING, offsetof(struct ipsec_route6_conf, vrf),
	  VRF_NAME_LEN, .def = "\"default\"", .doc = "VRF of the route" },
	{ "prefix", CFG_IPV6_PREFIX,
	  offsetof(struct ipsec_route6_conf, prefix),
	  sizeof(struct cfg_ipv6_prefix), .required = true,
	  .doc = "IPv6 destinations sent into the SA" },
	{ "sa", CFG_UINT, offsetof(struct ipsec_route6_conf, sa), 4, 256,
	  UINT32_MAX, .required = true,
	  .doc = "SPI of an outbound SA with inner = \"ipv6\"" },
};

const struct cfg_schema ipsec_route6_schema = {
	.name = "ipsec_route6", .fields = route6_fields,
	.n_fields = RTE_DIM(route6_fields),
	.size = sizeof(struct ipsec_route6_conf),
	.keys = (const char *const[]){ "vrf", "prefix", NULL },
	.ops = &ipsec_route6_ops,
};

#define SP(f) offsetof(struct ipsec_spd_conf, f)

static const struct cfg_field spd_fields[] = {
	{ "direction", CFG_ENUM, SP(direction), sizeof(int), .required = true,
	  .enums = dirs, .doc = "in (checked after decryption) or out" },
	{ "src", CFG_IPV4_PREFIX, SP(src), sizeof(struct cfg_ipv4_prefix),
	  .def = "\"0.0.0.0/0\"", .doc = "inner source prefix" },
	{ "dst", CFG_IPV4_PREFIX, SP(dst), sizeof(struct cfg_ipv4_prefix),
	  .def = "\"0.0.0.0/0\"", .doc = "inner destination prefix" },
	{ "proto", CFG_UINT, SP(proto), 4, 0, 255, .def = "0",
	  .doc = "IP protocol; 0 = any" },
	{ "sport", CFG_STRING, SP(sport), IPSEC_PORTS_LEN, .def = "\"any\"",
	  .doc = "source ports \"lo-hi\", \"port\" or \"any\"" },
	{ "dport", CFG_STRING, SP(dport), IPSEC_PORTS_LEN, .def = "\"any\"",
	  .doc = "destination ports \"lo-hi\", \"port\" or \"any\"" },
	{ "action", CFG_ENUM, SP(action), sizeof(int), .required = true,
	  .enums = actions, .doc = "protect (with sa), bypass or discard" },
	{ "sa", CFG_UINT, SP(sa), 4, 0, UINT32_MAX, .def = "0",
	  .doc = "protect: SPI of the SA in the same direction" },
};

static const struct cfg_schema spd_schema =
	SCHEMA("ipsec_spd", struct ipsec_spd_conf, spd_fields);

static const struct cfg_field if_id_fields[] = {
	{ "id", CFG_UINT, offsetof(struct ipsec_if_id_conf, id), 4, 1,
	  UINT32_MAX, .required = true,
	  .doc = "charon's interface id (if_id_in / if_id_out of a CHILD_SA, "
		 "swanctl.conf)" },
	{ "vrf", CFG_STRING, offsetof(struct ipsec_if_id_conf, vrf),
	  VRF_NAME_LEN, .required = true,
	  .doc = "VRF of the inner traffic of its SAs and policies" },
};

static const struct cfg_schema if_id_schema = {
	.name = "ipsec_if_id", .fields = if_id_fields,
	.n_fields = RTE_DIM(if_id_fields),
	.size = sizeof(struct ipsec_if_id_conf),
	.keys = (const char *const[]){ "id", NULL },
};

#define SP6(f) offsetof(struct ipsec_spd6_conf, f)

static const struct cfg_field spd6_fields[] = {
	{ "direction", CFG_ENUM, SP6(direction), sizeof(int), .required = true,
	  .enums = dirs, .doc = "in (checked after decryption) or out" },
	{ "src", CFG_IPV6_PREFIX, SP6(src), sizeof(struct cfg_ipv6_prefix),
	  .def = "\"::/0\"", .doc = "inner IPv6 source prefix" },
	{ "dst", CFG_IPV6_PREFIX, SP6(dst), sizeof(struct cfg_ipv6_prefix),
	  .def = "\"::/0\"", .doc = "inner IPv6 destination prefix" },
	{ "proto", CFG_UINT, SP6(proto), 4, 0, 255, .def = "0",
	  .doc = "upper-layer protocol after the extension headers; 0 = any" },
	{ "sport", CFG_STRING, SP6(sport), IPSEC_PORTS_LEN, .def = "\"any\"",
	  .doc = "source ports \"lo-hi\", \"port\" or \"any\"" },
	{ "dport", CFG_STRING, SP6(dport), IPSEC_PORTS_LEN, .def = "\"any\"",
	  .doc = "destination ports \"lo-hi\", \"port\" or \"any\"" },
	{ "action", CFG_ENUM, SP6(action), sizeof(int), .required = true,
	  .enums = actions, .doc = "protect (with sa), bypass or discard" },
	{ "sa", CFG_UINT, SP6(sa), 4, 0, UINT32_MAX, .def = "0",
	  .doc = "protect: SPI of the SA in the same direction, with "
		 "inner = \"ipv6\"" },
};

static const struct cfg_schema spd6_schema =
	SCHEMA("ipsec_spd6", struct ipsec_spd6_conf, spd6_fields);

static const struct cfg_field ipsec_fields[] = {
	{ "sas", CFG_LIST, offsetof(struct ipsec_conf, sas),
	  sizeof(struct ipsec_sa_conf), 0, IPSEC_SA_MAX, .sub = &ipsec_sa_schema,
	  .doc = "security associations (keys are never shown by the CLI)" },
	{ "routes", CFG_LIST, offsetof(struct ipsec_conf, routes),
	  sizeof(struct ipsec_route_conf), 0, IPSEC_ROUTE_MAX,
	  .sub = &ipsec_route_schema,
	  .doc = "VRF routes whose packets are encrypted into an SA" },
	{ "routes6", CFG_LIST, offsetof(struct ipsec_conf, routes6),
	  sizeof(struct ipsec_route6_conf), 0, IPSEC_ROUTE_MAX,
	  .sub = &ipsec_route6_schema,
	  .doc = "IPv6 VRF routes whose packets are encrypted into an SA "
		 "(inner = \"ipv6\")" },
	{ "spd", CFG_LIST, offsetof(struct ipsec_conf, spd),
	  sizeof(struct ipsec_spd_conf), 0, IPSEC_SPD_MAX, .sub = &spd_schema,
	  .doc = "security policy, in order, first match wins" },
	{ "if_ids", CFG_LIST, offsetof(struct ipsec_conf, if_ids),
	  sizeof(struct ipsec_if_id_conf), 0, IPSEC_IF_ID_MAX,
	  .sub = &if_id_schema,
	  .doc = "IKE: the VRF of each charon if_id (doc/ike.md); an SA or "
		 "policy with an if_id not listed is refused, one with none "
		 "is in VRF default" },
	{ "spd6", CFG_LIST, offsetof(struct ipsec_conf, spd6),
	  sizeof(struct ipsec_spd6_conf), 0, IPSEC_SPD_MAX,
	  .sub = &spd6_schema,
	  .doc = "security policy for IPv6 packets (IPv6 selectors), in "
		 "order, first match wins; the same actions as spd" },
	{ "ike_socket", CFG_STRING, offsetof(struct ipsec_conf, ike_socket),
	  sizeof(((struct ipsec_conf *)0)->ike_socket),
	  .doc = "Unix socket path for charon's kernel-ferry plugin "
		 "(doc/ike.md); absent: no IKE" },
};

/* The SPDs have no key: they change as a whole with the section
 * (ipsec_rows.c). */
static const struct cfg_schema ipsec_schema = {
	.name = "ipsec", .fields = ipsec_fields,
	.n_fields = RTE_DIM(ipsec_fields), .size = sizeof(struct ipsec_conf),
	.ops = &ipsec_group_ops,
};

static const char *
sa_keys_check(const struct ipsec_sa_conf *sc, const struct crypto_alg_info *a,
	      const char **key)
{
	uint8_t buf[64];

	*key = "key";
	if (a->cipher_key_len == 0 && sc->key[0] != '\0')
		return "this algorithm takes no cipher key";
	if (a->cipher_key_len != 0 &&
	    ipsec_hex_decode(sc->key, buf, sizeof(buf)) != a->cipher_key_len)
		return a->cipher_key_len == 16 ?
		       "must be 16 bytes of hex (32 digits)" :
		       "must be 32 bytes of hex (64 digits)";
	*key = "salt";
	if (a->salt_len != 0 && ipsec_hex_decode(sc->salt, buf, 4) != 4)
		return "must be 4 bytes of hex (8 digits)";
	if (a->salt_len == 0 && sc->salt[0] != '\0')
		return "only AEAD algorithms take a salt";
	*key = "auth_key";
	if (a->auth_key_len != 0 &&
	    ipsec_hex_decode(sc->auth_key, buf, sizeof(buf)) !=
		    a->auth_key_len)
		return a->auth_key_len == 20 ?
		       "must be 20 bytes of hex (40 digits)" :
		       "must be 32 bytes of hex (64 digits)";
	if (a->auth_key_len == 0 && sc->auth_key[0] != '\0')
		return "AEAD algorithms take no separate auth_key";
	return NULL;
}

static const char *
lifetime_check(const struct ipsec_lifetime_conf *l, const char **key)
{
	*key = "lifetime.soft_packets";
	if (l->soft_packets != 0 && l->hard_packets != 0 &&
	    l->soft_packets > l->hard_packets)
		return "soft limit above the hard one";
	*key = "lifetime.soft_bytes";
	if (l->soft_bytes != 0 && l->hard_bytes != 0 &&
	    l->soft_bytes > l->hard_bytes)
		return "soft limit above the hard one";
	*key = "lifetime.soft_seconds";
	if (l->soft_seconds != 0 && l->hard_seconds != 0 &&
	    l->soft_seconds > l->hard_seconds)
		return "soft limit above the hard one";
	return NULL;
}

static const char *
ends4_check(const struct ipsec_sa_conf *sc, const char **key)
{
	*key = "local";
	if (sc->local == 0 || sc->remote == 0)
		return "tunnel end points must be set (local and remote, or "
		       "local6 and remote6)";
	if (cfg_ipv4_unusable(sc->local) != NULL)
		return cfg_ipv4_unusable(sc->local);
	*key = "remote";
	if (sc->remote == sc->local)
		return "equal to local: a tunnel has two different ends";
	if (cfg_ipv4_unusable(sc->remote) != NULL)
		return cfg_ipv4_unusable(sc->remote);
	*key = "remote6";
	if (!ip6_is_unspecified(sc->remote6))
		return "IPv4 end points (local, remote) take no remote6";
	return NULL;
}

/* An IPv6 tunnel end: a global unicast address (RFC 4291 2.4). */
static const char *
end6_unusable(const uint8_t *a)
{
	if (ip6_is_unspecified(a))
		return "must be set";
	if (ip6_is_multicast(a) || ip6_is_loopback(a))
		return "not a unicast address";
	if (ip6_is_link_local(a))
		return "link-local: a tunnel end must be routable";
	return NULL;
}

static const char *
ends6_check(const struct ipsec_sa_conf *sc, const char **key)
{
	*key = "local";
	if (sc->local != 0 || sc->remote != 0)
		return "IPv4 end points and local6 together: choose one family";
	*key = "local6";
	if (end6_unusable(sc->local6) != NULL)
		return end6_unusable(sc->local6);
	*key = "remote6";
	if (end6_unusable(sc->remote6) != NULL)
		return end6_unusable(sc->remote6);
	if (memcmp(sc->local6, sc->remote6, 16) == 0)
		return "equal to local6: a tunnel has two different ends";
	/* RFC 3948 is for IPv4 NATs; UDP over IPv6 would also need a
	 * checksum librte_ipsec 22.11 does not write (RFC 8200 8.1) */
	*key = "nat_t";
	if (sc->nat_t)
		return "NAT-T is IPv4 only (RFC 3948)";
	return NULL;
}

const char *
sa_conf_check(const struct ipsec_sa_conf *sc, const char **key)
{
	int alg = crypto_alg_find(sc->algorithm);
	const char *why;

	*key = "algorithm";
	if (alg < 0)
		return "unknown algorithm (see doc/configuration.md)";
	why = sa_keys_check(sc, crypto_alg_get((enum crypto_alg)alg), key);
	if (why != NULL)
		return why;
	*key = "replay_window";
	if (sc->replay_window != 0 && sc->replay_window < 64)
		return "must be 0 (off) or 64..4096";
	if (sc->replay_window == 0 && sc->esn)
		return "esn needs an anti-replay window (RFC 4304 2)";
	*key = "seq_start";
	if (sc->direction == IPSEC_DIR_IN && sc->seq_start != 0)
		return "only outbound SAs have a starting sequence number";
	if (!sc->esn && sc->seq_start > UINT32_MAX)
		return "above 2^32-1 without esn";
	why = ipsec_conf_outer6(sc) ? ends6_check(sc, key) :
				      ends4_check(sc, key);
	return why != NULL ? why : lifetime_check(&sc->lifetime, key);
}

static int
row_error(struct cfg_ctx *ctx, const char *list, unsigned int i,
	  const char *key, const char *val, const char *why)
{
	char path[PATH_LEN];

	snprintf(path, sizeof(path), "ipsec.%s.[%u].%s", list, i, key);
	cfg_error(ctx, path, val, "%s", why);
	return 1;
}

static bool
vrf_known(const struct cfg_model *m, const char *name)
{
	const struct cfg_array *vrfs = cfg_model_section(m, "vrfs");
	const struct vrf_conf *vc = vrfs != NULL ? vrfs->items : NULL;
	unsigned int i;

	if (strcmp(name, VRF_DEFAULT_NAME) == 0)
		return true;
	for (i = 0; vc != NULL && i < vrfs->n; i++)
		if (strcmp(vc[i].name, name) == 0)
			return true;
	return false;
}

static int
check_sas(struct cfg_ctx *ctx, const struct cfg_model *m,
	  const struct ipsec_conf *c)
{
	const struct ipsec_sa_conf *sc = c->sas.items;
	char val[VAL_LEN];
	const char *why, *key;
	unsigned int i;
	int errors = 0;

	/* an SPI twice in one direction: the loader's "duplicate key" */
	for (i = 0; i < c->sas.n; i++) {
		why = sa_conf_check(&sc[i], &key);
		if (why != NULL)
			errors += row_error(ctx, "sas", i, key, NULL, why);
		if (!vrf_known(m, sc[i].underlay_vrf) ||
		    !vrf_known(m, sc[i].inner_vrf)) {
			bool u = !vrf_known(m, sc[i].underlay_vrf);

			snprintf(val, sizeof(val), "\"%s\"", u ?
				 sc[i].underlay_vrf : sc[i].inner_vrf);
			errors += row_error(ctx, "sas", i, u ? "underlay_vrf" :
					    "inner_vrf", val, "unknown VRF");
		}
	}
	return errors;
}

/* The SA with @p spi in direction @p dir, or NULL. */
static const struct ipsec_sa_conf *
sa_known(const struct ipsec_conf *c, uint32_t spi, int dir)
{
	const struct ipsec_sa_conf *sc = c->sas.items;
	unsigned int i;

	for (i = 0; i < c->sas.n; i++)
		if (sc[i].spi == spi && sc[i].direction == dir)
			return &sc[i];
	return NULL;
}

/* A route of family @p inner into SA @p spi: NULL or why not. */
static const char *
route_sa_check(const struct ipsec_conf *c, uint32_t spi, int inner)
{
	const struct ipsec_sa_conf *sa = sa_known(c, spi, IPSEC_DIR_OUT);

	if (sa == NULL)
		return "no outbound SA with this SPI";
	if (sa->inner != inner)
		return inner == IPSEC_INNER_IPV6 ?
		       "the SA carries IPv4 (inner = \"ipv4\"): an IPv6 "
		       "route needs an SA with inner = \"ipv6\"" :
		       "the SA carries IPv6 (inner = \"ipv6\"): put its "
		       "routes in routes6";
	return NULL;
}

/* Row @p i of list @p list: its VRF and SA; the number of errors. */
static int
check_route_row(struct cfg_ctx *ctx, const struct cfg_model *m,
		const struct ipsec_conf *c, const char *list, unsigned int i,
		const char *vrf, uint32_t spi, int inner)
{
	const char *why = route_sa_check(c, spi, inner);
	char val[VAL_LEN];
	int errors = 0;

	if (!vrf_known(m, vrf)) {
		snprintf(val, sizeof(val), "\"%s\"", vrf);
		errors += row_error(ctx, list, i, "vrf", val, "unknown VRF");
	}
	if (why != NULL) {
		snprintf(val, sizeof(val), "%u", spi);
		errors += row_error(ctx, list, i, "sa", val, why);
	}
	return errors;
}

static int
check_routes(struct cfg_ctx *ctx, const struct cfg_model *m,
	     const struct ipsec_conf *c)
{
	const struct ipsec_route_conf *rc = c->routes.items;
	const struct ipsec_route6_conf *r6 = c->routes6.items;
	unsigned int i;
	int errors = 0;

	for (i = 0; i < c->routes.n; i++)
		errors += check_route_row(ctx, m, c, "routes", i, rc[i].vrf,
					  rc[i].sa, IPSEC_INNER_IPV4);
	for (i = 0; i < c->routes6.n; i++)
		errors += check_route_row(ctx, m, c, "routes6", i, r6[i].vrf,
					  r6[i].sa, IPSEC_INNER_IPV6);
	return errors;
}

static int
check_if_ids(struct cfg_ctx *ctx, const struct cfg_model *m,
	     const struct ipsec_conf *c)
{
	const struct ipsec_if_id_conf *ic = c->if_ids.items;
	char val[VAL_LEN];
	unsigned int i;
	int errors = 0;

	for (i = 0; i < c->if_ids.n; i++) {
		if (vrf_known(m, ic[i].vrf))
			continue;
		snprintf(val, sizeof(val), "\"%s\"", ic[i].vrf);
		errors += row_error(ctx, "if_ids", i, "vrf", val,
				    "unknown VRF");
	}
	return errors;
}

static int
check_spd(struct cfg_ctx *ctx, const struct ipsec_conf *c)
{
	const struct ipsec_spd_conf *rc = c->spd.items;
	const char *why, *key;
	unsigned int i;
	int errors = 0;

	for (i = 0; i < c->spd.n; i++) {
		why = spd_conf_check(&rc[i], c, &key);
		if (why != NULL)
			errors += row_error(ctx, "spd", i, key, NULL, why);
	}
	return errors;
}

static int
check_spd6(struct cfg_ctx *ctx, const struct ipsec_conf *c)
{
	const struct ipsec_spd6_conf *rc = c->spd6.items;
	const char *why, *key;
	unsigned int i;
	int errors = 0;

	for (i = 0; i < c->spd6.n; i++) {
		why = spd6_conf_check(&rc[i], c, &key);
		if (why != NULL)
			errors += row_error(ctx, "spd6", i, key, NULL, why);
	}
	return errors;
}

static int
ipsec_check(struct cfg_ctx *ctx, struct cfg_model *model)
{
	const struct ipsec_conf *c = cfg_model_section(model, "ipsec");

	return check_sas(ctx, model, c) + check_routes(ctx, model, c) +
	       check_if_ids(ctx, model, c) + check_spd(ctx, c) +
	       check_spd6(ctx, c);
}

const struct cfg_section ipsec_cfg_section = {
	.key = "ipsec",
	.type = CFG_GROUP,
	.schema = &ipsec_schema,
	.doc = "IPsec ESP tunnel gateway (RFC 4301/4303): security "
	       "associations with their keys, lifetimes and NAT-T, VRF "
	       "routes into outbound SAs, and the security policy database "
	       "checked on both directions. SAs are added and deleted live "
	       "(not changed: a rekey is a new SPI; the first inbound SA "
	       "needs a restart), routes and the SPD (swapped whole) change "
	       "live. See doc/ipsec.md.",
	.check = ipsec_check,
	/* Live: SAs are added and deleted (not changed: a rekey is a new
	 * SPI), routes and the SPD change (ipsec_rows.c). */
};
