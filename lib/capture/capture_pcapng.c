/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The capture file (pcapng, draft-ietf-opsawg-pcapng). rte_pcapng_copy()
 * still makes each packet's Enhanced Packet Block; the file's header
 * and interfaces are written here because DPDK 22.11's rte_pcapng names
 * every interface "dpdk:<port id>" (it has no call to add interfaces of
 * one's own) and converts TSC to time with a base it takes lazily after
 * the first packet's TSC was read: that first difference wraps and adds
 * about 2^64 / tsc_hz seconds (the year 2281 on a 2.6 GHz TSC) to every
 * stamp from then on. Here the base is taken when the capture starts,
 * the difference is signed (another lcore's TSC may be a little behind),
 * and each block gets the interface this capture means: a port, or a
 * node (its before and after sides are the in and out directions).
 */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_mbuf.h>

#include "capture_priv.h"

/* Block types and option codes (pcapng sections 4.1-4.3). */
#define PCAPNG_SHB 0x0A0D0D0A
#define PCAPNG_IDB 0x00000001
#define PCAPNG_EPB 0x00000006
#define PCAPNG_BYTE_ORDER 0x1A2B3C4D
#define OPT_END 0
#define OPT_COMMENT 1
#define SHB_HARDWARE 2
#define SHB_OS 3
#define SHB_USERAPPL 4
#define IF_NAME 2
#define IF_DESCRIPTION 3
#define IF_TSRESOL 9
#define LINKTYPE_ETHERNET 1

/* The head of an Enhanced Packet Block, as rte_pcapng_copy() puts it
 * at the start of the copy. */
struct epb_head {
	uint32_t type;
	uint32_t len;
	uint32_t interface;
	uint32_t ts_hi;
	uint32_t ts_lo;
} __rte_packed;

/* A block being built: at most one per call, small. */
struct blk {
	uint8_t b[1024];
	size_t n;
};

static void
blk_put(struct blk *k, const void *p, size_t len)
{
	if (len != 0 && k->n + len <= sizeof(k->b)) /* memcpy(NULL, 0): UB */
		memcpy(k->b + k->n, p, len);
	k->n += len;
}

static void
blk_u32(struct blk *k, uint32_t v)
{
	blk_put(k, &v, sizeof(v));
}

/* Option @p code with @p len bytes of @p val, padded to 32 bits. */
static void
blk_opt(struct blk *k, uint16_t code, const void *val, size_t len)
{
	static const uint8_t zero[4];
	uint16_t h[2] = { code, (uint16_t)len };

	blk_put(k, h, sizeof(h));
	blk_put(k, val, len);
	blk_put(k, zero, RTE_ALIGN_CEIL(len, 4) - len);
}

static void
blk_opt_str(struct blk *k, uint16_t code, const char *s)
{
	if (s != NULL && *s != '\0')
		blk_opt(k, code, s, strnlen(s, 256));
}

/* Close the block: end of options, both lengths; write it. */
static int
blk_write(int fd, struct blk *k)
{
	uint32_t total;

	blk_opt(k, OPT_END, NULL, 0);
	total = (uint32_t)k->n + sizeof(uint32_t);
	blk_u32(k, total);
	if (k->n > sizeof(k->b))
		return -E2BIG;
	memcpy(k->b + 4, &total, sizeof(total));
	return write(fd, k->b, k->n) == (ssize_t)k->n ? 0 : -EIO;
}

int
capture_file_header(int fd, const char *hardware, const char *app,
		    const char *comment)
{
	struct blk k = { .n = 0 };
	uint16_t version[2] = { 1, 0 };
	int64_t section_len = -1;

	blk_u32(&k, PCAPNG_SHB);
	blk_u32(&k, 0); /* length, filled by blk_write() */
	blk_u32(&k, PCAPNG_BYTE_ORDER);
	blk_put(&k, version, sizeof(version));
	blk_put(&k, &section_len, sizeof(section_len));
	blk_opt_str(&k, OPT_COMMENT, comment);
	blk_opt_str(&k, SHB_HARDWARE, hardware);
	blk_opt_str(&k, SHB_OS, "Linux");
	blk_opt_str(&k, SHB_USERAPPL, app);
	return blk_write(fd, &k);
}

int
capture_file_interface(int fd, const char *name, const char *description,
		       uint32_t snaplen)
{
	struct blk k = { .n = 0 };
	uint16_t link[2] = { LINKTYPE_ETHERNET, 0 };
	uint8_t tsresol = 9; /* nanoseconds */

	blk_u32(&k, PCAPNG_IDB);
	blk_u32(&k, 0);
	blk_put(&k, link, sizeof(link));
	blk_u32(&k, snaplen);
	blk_opt_str(&k, IF_NAME, name);
	blk_opt_str(&k, IF_DESCRIPTION, description);
	blk_opt(&k, IF_TSRESOL, &tsresol, sizeof(tsresol));
	return blk_write(fd, &k);
}

void
capture_clock_start(struct capture_clock *c)
{
	struct timespec ts;
	uint64_t t0 = rte_get_tsc_cycles();

	clock_gettime(CLOCK_REALTIME, &ts);
	c->tsc = (t0 + rte_get_tsc_cycles()) / 2;
	c->ns = (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
	c->hz = rte_get_tsc_hz();
}

/* Nanoseconds since the epoch at TSC @p tsc; whole seconds are split
 * off first so that nothing overflows however long the capture runs. */
uint64_t
capture_clock_ns(const struct capture_clock *c, uint64_t tsc)
{
	bool behind = tsc < c->tsc;
	uint64_t d = behind ? c->tsc - tsc : tsc - c->tsc;
	uint64_t ns = d / c->hz * NS_PER_S + d % c->hz * NS_PER_S / c->hz;

	return behind ? c->ns - ns : c->ns + ns;
}

void
capture_block_stamp(struct rte_mbuf *copy, uint32_t interface, uint64_t ns)
{
	struct epb_head *h = rte_pktmbuf_mtod(copy, struct epb_head *);

	h->interface = interface;
	h->ts_hi = (uint32_t)(ns >> 32);
	h->ts_lo = (uint32_t)ns;
}

int
capture_file_blocks(int fd, struct rte_mbuf **m, unsigned int n)
{
	struct iovec iov[64];
	unsigned int i, cnt = 0;
	size_t want = 0;
	struct rte_mbuf *s;

	for (i = 0; i < n; i++) {
		for (s = m[i]; s != NULL; s = s->next) {
			if (cnt == RTE_DIM(iov))
				return -E2BIG;
			iov[cnt].iov_base = rte_pktmbuf_mtod(s, void *);
			iov[cnt].iov_len = s->data_len;
			want += s->data_len;
			cnt++;
		}
	}
	return writev(fd, iov, (int)cnt) == (ssize_t)want ? 0 : -EIO;
}
