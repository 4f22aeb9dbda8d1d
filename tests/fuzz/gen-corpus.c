/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Seed corpus of the fuzz targets: small inputs that reach deep paths
 * quickly (Linux's reset, CFGI_ALL + TLBI_NSNH_ALL + CMD_SYNC, an attach,
 * an illegal command acknowledged through GERRORN, 2-level tables, queue
 * wrap, overflow, failures, teardown).  `make fuzz-corpus` rewrites
 * tests/fuzz/corpus/<target>/ and tests/fuzz/repro/<target>/ from this
 * program; the encoding is fuzz-ops.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../emul/xen-bits.h"
#include "smmu-v3-arch.h"
#include "fuzz-ops.h"

/* Access sizes (DABT_*). */
enum { DABT_BYTE, DABT_HALF_WORD, DABT_WORD, DABT_DOUBLE_WORD };

struct buf {
    uint8_t b[8192];
    size_t n;
};

static const char *outdir;

static void u8(struct buf *b, uint8_t v)
{
    if ( b->n == sizeof(b->b) )
    {
        fprintf(stderr, "gen-corpus: seed too long\n");
        exit(1);
    }
    b->b[b->n++] = v;
}

static void u16(struct buf *b, uint16_t v)
{
    u8(b, v);
    u8(b, v >> 8);
}

static void u32(struct buf *b, uint32_t v)
{
    u16(b, v);
    u16(b, v >> 16);
}

static void u64(struct buf *b, uint64_t v)
{
    u32(b, v);
    u32(b, v >> 32);
}

static void mkdir_p(const char *path)
{
    if ( mkdir(path, 0755) && errno != EEXIST )
    {
        perror(path);
        exit(1);
    }
}

/* Write @b as @outdir/@kind/@target/@name. */
static void save_in(const char *kind, const char *target, const char *name,
                    const struct buf *b)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", outdir, kind);
    mkdir_p(path);
    snprintf(path, sizeof(path), "%s/%s/%s", outdir, kind, target);
    mkdir_p(path);
    snprintf(path, sizeof(path), "%s/%s/%s/%s", outdir, kind, target, name);
    f = fopen(path, "wb");
    if ( !f || fwrite(b->b, 1, b->n, f) != b->n || fclose(f) )
    {
        perror(path);
        exit(1);
    }
}

static void save(const char *target, const char *name, const struct buf *b)
{
    save_in("corpus", target, name, b);
}

/* Stream selectors: the streams fz_env_create() attaches. */
enum { S0, S1_VIRT, S2, S47, S1C3 };
#define RAW16       0xf0

/* Guest addresses through fz_addr(): selector 0 is RAM0 + offset. */
#define RAM0_OFF_CD     0x21000
#define RAM0_OFF_L2     0x14000

/* Well-formed command selectors (bit 7: fields reduced to the opcode's). */
#define OPSEL(op)   (0x80 | fz_opcode_index(op))
#define RAWSEL(op)  (fz_opcode_index(op))

static const uint64_t ste1_linux =
    MASK_INSR(2, SMMU_STE1_S1DSS) | MASK_INSR(1, SMMU_STE1_S1CIR) |
    MASK_INSR(1, SMMU_STE1_S1COR) | MASK_INSR(3, SMMU_STE1_S1CSH);

/* STE cfg byte of fz_ste_w0(): V | Config << 1. */
#define CFG(v, config)  ((v) | ((config) << 1))

/* ---- fuzz_mmio ---- */

static void hdr2(struct buf *b, uint8_t h0, uint8_t h1)
{
    b->n = 0;
    u8(b, h0);
    u8(b, h1);
}

/* M_LINUX_RESET: @arg bit 0 2-level, 1 SMMUEN, 2 CMD_SYNC by MSI. */
static void m_reset_arg(struct buf *b, unsigned int arg, uint8_t sizes)
{
    u8(b, FZ_OP(M_LINUX_RESET, arg));
    u8(b, sizes);
}

static void m_reset(struct buf *b, bool two_level, bool enable, uint8_t sizes)
{
    m_reset_arg(b, (two_level ? 1 : 0) | (enable ? 2 : 0), sizes);
}

static void m_cmd(struct buf *b, uint8_t opsel, uint8_t vsid, uint64_t w0,
                  uint64_t w1)
{
    u8(b, FZ_OP(M_CMD, 1));
    u8(b, opsel);
    u8(b, vsid);
    u64(b, w0);
    u64(b, w1);
}

static void m_cmd_slot(struct buf *b, uint16_t slot, uint8_t opsel,
                       uint8_t vsid, uint64_t w0, uint64_t w1)
{
    u8(b, FZ_OP(M_CMD, 0));
    u16(b, slot);
    u8(b, opsel);
    u8(b, vsid);
    u64(b, w0);
    u64(b, w1);
}

static void m_ste(struct buf *b, uint8_t vsid, uint8_t cfg, uint8_t sel,
                  uint16_t coff, uint64_t w1, bool cfgi)
{
    u8(b, FZ_OP(M_STE, cfgi));
    u8(b, vsid);
    u8(b, cfg);
    u8(b, sel);
    u16(b, coff);
    u64(b, w1);
}

static void m_s1(struct buf *b, uint8_t vsid, unsigned int slot)
{
    m_ste(b, vsid, CFG(1, SMMU_STE_CONFIG_S1_TRANS), 0,
          (RAM0_OFF_CD >> 6) + slot, ste1_linux, true);
}

static void m_l1(struct buf *b, uint16_t idx, uint8_t sel, uint32_t off,
                 uint8_t span)
{
    u8(b, FZ_OP(M_L1, 0));
    u16(b, idx);
    u8(b, sel);
    u32(b, off);
    u8(b, span);
}

static void m_rreg(struct buf *b, unsigned int size, uint32_t reg)
{
    u8(b, FZ_OP(M_READ_REG, size));
    u8(b, fz_reg_index(reg));
}

static void m_wreg(struct buf *b, unsigned int size, uint32_t reg,
                   uint64_t v)
{
    u8(b, FZ_OP(M_WRITE_REG, size));
    u8(b, fz_reg_index(reg));
    u64(b, v);
}

static void m_any(struct buf *b, bool write, unsigned int size, int32_t off,
                  uint64_t v)
{
    u8(b, FZ_OP(write ? M_WRITE : M_READ, 0));
    u8(b, size | (OFF_ANY << 2));
    u32(b, (uint32_t)(off + 256));
    if ( write )
        u64(b, v);
}

static void m_simple(struct buf *b, unsigned int kind, unsigned int arg)
{
    u8(b, FZ_OP(kind, arg));
}

/* M_CMDS / G_CMDS: a run of @n commands (fz_guest_cmds()). */
static void cmds(struct buf *b, unsigned int kind, unsigned int arg,
                 unsigned int n, uint8_t opsel, uint8_t vsid, uint64_t w0,
                 uint64_t w1)
{
    u8(b, FZ_OP(kind, arg));
    u8(b, n - 1);
    u8(b, opsel);
    u8(b, vsid);
    u64(b, w0);
    u64(b, w1);
}

/* Three more physical streams: eight in all, the vSMMU's most. */
static void m_streams8(struct buf *b)
{
    unsigned int i;

    for ( i = 0; i < 3; i++ )
    {
        u8(b, FZ_OP(M_ADD_STREAM, 0));
        u16(b, 0x10 + 0x31 * i);
        u8(b, 2 + (i & 1));       /* SMMU 0 or 1 */
        u16(b, 0x30 + i);
    }
}

static void m_fail(struct buf *b, unsigned int backend, uint8_t flags)
{
    u8(b, FZ_OP(M_FAIL, backend));
    u8(b, flags);
}

static void m_addr(struct buf *b, unsigned int reg, uint8_t sel, uint32_t off,
                   uint8_t low)
{
    u8(b, FZ_OP(M_WRITE_ADDR, reg));
    u8(b, sel);
    u32(b, off);
    u8(b, low);
}

static void m_publish_raw(struct buf *b, uint32_t prod)
{
    u8(b, FZ_OP(M_PUBLISH, 7));
    u32(b, prod);
}

static void m_tlbi_va(struct buf *b, unsigned int op, uint16_t asid,
                      uint64_t va, unsigned int tg, unsigned int ttl,
                      unsigned int num, unsigned int scale)
{
    m_cmd(b, OPSEL(op), S0,
          MASK_INSR(asid, SMMU_CMD0_TLBI_ASID) |
          MASK_INSR(num, SMMU_CMD0_TLBI_NUM) |
          MASK_INSR(scale, SMMU_CMD0_TLBI_SCALE),
          (va & SMMU_CMD1_TLBI_ADDR) | SMMU_CMD1_TLBI_LEAF |
          MASK_INSR(tg, SMMU_CMD1_TLBI_TG) |
          MASK_INSR(ttl, SMMU_CMD1_TLBI_TTL));
}

/* Physical events: @kind M_PHYS_EVENT or G_PHYS_EVENT. */
static void phys_evt(struct buf *b, unsigned int kind, unsigned int count,
                     uint8_t smmu, uint8_t id, uint8_t flags, uint64_t w2,
                     uint64_t w3)
{
    unsigned int i;

    for ( i = 0; i < sizeof(fz_event_ids) && fz_event_ids[i] != id; i++ )
        ;
    u8(b, FZ_OP(kind, count));
    u8(b, smmu);
    u8(b, i);
    u8(b, flags);
    u64(b, w2);
    u64(b, w3);
}

/* Sizes byte of M_LINUX_RESET: CMDQ 2^(7+c), EVTQ 2^(1+e), LOG2SIZE idx. */
#define SIZES(c, e, l)  ((c) | ((e) << 2) | ((l) << 5))

/*
 * SMMU 0 fails a sync, then refuses a queue; then 80 TLBIs and a CMD_SYNC
 * polled by MSI, whose recovery (CFGI_CD_ALL of two nested streams,
 * TLBI_NH_ALL) fits in the doorbell's step but the sync itself does not.
 * With @refuse_in_trap the queue refuses everything in that step, the
 * recovery included, and accepts again before the next.
 */
static void failure_recovery(struct buf *b, bool refuse_in_trap)
{
    unsigned int i;

    hdr2(b, 1, 0);
    m_streams8(b);
    m_reset_arg(b, 2 | 4, SIZES(0, 4, 0));
    m_s1(b, S0, 0);
    m_s1(b, S47, 1);
    m_s1(b, S2, 2);
    m_fail(b, 0, FZ_FAIL_SYNC);
    m_tlbi_va(b, SMMU_OP_TLBI_NH_VA, 1, 0x1000, 0, 0, 0, 0);
    m_cmd(b, OPSEL(SMMU_OP_CMD_SYNC), S0, 0, 0);        /* PROD 12 */
    m_simple(b, M_GERROR, 0);
    m_fail(b, 0, 0);
    m_simple(b, M_GERROR, 0);
    m_fail(b, 0, FZ_FAIL_QUEUE);
    m_tlbi_va(b, SMMU_OP_TLBI_NH_VA, 1, 0x2000, 0, 0, 0, 0);
    m_fail(b, 0, 0);
    for ( i = 0; i < 80; i++ )
        m_cmd_slot(b, 13 + i, OPSEL(SMMU_OP_TLBI_NH_ASID), S0,
                   MASK_INSR(i, SMMU_CMD0_TLBI_ASID), 0);
    m_cmd_slot(b, 93, OPSEL(SMMU_OP_CMD_SYNC), S0,
               MASK_INSR(1, SMMU_CMD0_SYNC_CS) |
               MASK_INSR(0x77, SMMU_CMD0_SYNC_MSIDATA), 0x3f000);
    if ( refuse_in_trap )
        m_fail(b, 0, FZ_FAIL_QUEUE);
    m_publish_raw(b, 94);
    if ( refuse_in_trap )
        m_fail(b, 0, 0);
    m_simple(b, M_CONTINUE, C_ALL);
    m_simple(b, M_GERROR, 0);
    m_simple(b, M_POLL_CONS, 0);
}

static void gen_mmio(void)
{
    struct buf b;
    unsigned int i;

    /* Linux's reset with a linear table, then attaches. */
    hdr2(&b, 0, 0);
    m_reset(&b, false, true, SIZES(0, 4, 0));
    m_s1(&b, S0, 0);
    m_s1(&b, S1_VIRT, 1);
    m_s1(&b, S2, 2);
    m_simple(&b, M_POLL_CONS, 1);
    m_simple(&b, M_CONTINUE, C_ALL);
    m_cmd(&b, OPSEL(SMMU_OP_CFGI_CD), S0, 0, SMMU_CMD1_LEAF);
    m_cmd(&b, OPSEL(SMMU_OP_TLBI_NH_ASID), S0,
          MASK_INSR(1, SMMU_CMD0_TLBI_ASID), 0);
    m_cmd(&b, OPSEL(SMMU_OP_CMD_SYNC), S0, 0, 0);
    m_simple(&b, M_EVENTS, 0);
    m_simple(&b, M_GERROR, 0);
    save("fuzz_mmio", "linux-reset-linear", &b);

    /* A 2-level table (SPLIT 8, LOG2SIZE 16) with L1 descriptors. */
    hdr2(&b, 0, 0);
    m_reset(&b, true, true, SIZES(1, 4, 1));
    m_l1(&b, 0, 0, RAM0_OFF_L2, 9);
    m_l1(&b, 1, 0, RAM0_OFF_L2 + 0x4000, 9);
    m_s1(&b, S0, 0);
    m_s1(&b, S47, 1);
    m_s1(&b, S1C3, 2);
    m_ste(&b, RAW16, CFG(1, 0), 0, 0, 0, true);     /* raw vSID follows */
    u16(&b, 0x900);
    m_simple(&b, M_CONTINUE, C_ALL);
    m_simple(&b, M_EVENTS, 0);
    save("fuzz_mmio", "linux-reset-2level", &b);

    /* CFGI_ALL + TLBI_NSNH_ALL + CMD_SYNC, and the other invalidations. */
    hdr2(&b, 0, 0);
    m_reset(&b, false, true, SIZES(0, 4, 0));
    m_cmd(&b, OPSEL(SMMU_OP_CFGI_STE_RANGE), S0, 0, SMMU_CFGI_RANGE_ALL);
    m_cmd(&b, OPSEL(SMMU_OP_TLBI_NSNH_ALL), S0, 0, 0);
    m_cmd(&b, OPSEL(SMMU_OP_CMD_SYNC), S0, 0, 0);
    m_cmd(&b, OPSEL(SMMU_OP_CFGI_STE_RANGE), S47, 0, 6);
    m_cmd(&b, OPSEL(SMMU_OP_CFGI_CD_ALL), S2, 0, 0);
    m_cmd(&b, OPSEL(SMMU_OP_PREFETCH_CONFIG), S0, 0, 0);
    m_cmd(&b, OPSEL(SMMU_OP_TLBI_NH_ALL), S0, 0, 0);
    m_tlbi_va(&b, SMMU_OP_TLBI_NH_VA, 3, 0x12345000, 0, 0, 0, 0);
    m_tlbi_va(&b, SMMU_OP_TLBI_NH_VAA, 0, 0x7000, 0, 0, 0, 0);
    m_cmd(&b, OPSEL(SMMU_OP_CMD_SYNC), S0, 0, 0);
    m_simple(&b, M_POLL_CONS, 0);
    save("fuzz_mmio", "cfgi-all-tlbi-sync", &b);

    /* An illegal command, Linux's GERROR handler, GERRORN ack, more. */
    hdr2(&b, 0, 0);
    m_reset(&b, false, true, SIZES(0, 4, 0));
    m_cmd(&b, OPSEL(SMMU_OP_TLBI_EL2_ALL), S0, 0, 0);
    m_simple(&b, M_POLL_CONS, 0);
    m_simple(&b, M_GERROR, 0);
    m_simple(&b, M_POLL_CONS, 1);
    m_cmd(&b, RAWSEL(SMMU_OP_CFGI_STE), S0, SMMU_CMD0_SSEC, 0);
    m_simple(&b, M_GERROR, 0);
    m_cmd(&b, RAWSEL(0xff), S0, 0, 0);
    m_simple(&b, M_GERROR, 0);
    m_cmd(&b, OPSEL(SMMU_OP_CMD_SYNC), S0, 3ULL << 12, 0);  /* CS=3 */
    m_simple(&b, M_GERROR, 0);
    m_simple(&b, M_EVENTS, 0);
    save("fuzz_mmio", "illegal-then-gerrorn", &b);

    /* Every register, 32 and 64 bits, read and written. */
    hdr2(&b, 0, 0);
    for ( i = 0; i < FZ_NR_REGS; i++ )
    {
        m_rreg(&b, DABT_WORD, fz_regs[i]);
        m_rreg(&b, DABT_DOUBLE_WORD, fz_regs[i]);
        m_wreg(&b, DABT_WORD, fz_regs[i], 0xffffffffffffffffULL);
        m_rreg(&b, DABT_WORD, fz_regs[i]);
    }
    save("fuzz_mmio", "register-sweep", &b);

    /* Decode edges: sizes, alignment, outside the frame, page 1. */
    hdr2(&b, 0, 0);
    m_any(&b, false, DABT_WORD, -4, 0);
    m_any(&b, false, DABT_DOUBLE_WORD, -8, 0);
    m_any(&b, false, DABT_WORD, SMMU_FRAME_SIZE, 0);
    m_any(&b, false, DABT_DOUBLE_WORD, SMMU_FRAME_SIZE - 8, 0);
    m_any(&b, false, DABT_BYTE, SMMU_CR0, 0);
    m_any(&b, true, DABT_HALF_WORD, SMMU_CR0, 0xffff);
    m_any(&b, false, DABT_WORD, SMMU_CR0 + 2, 0);
    m_any(&b, true, DABT_DOUBLE_WORD, SMMU_CMDQ_PROD, ~0ULL);
    m_any(&b, false, DABT_DOUBLE_WORD, SMMU_EVENTQ_PROD, 0);
    m_any(&b, true, DABT_WORD, SMMU_EVENTQ_CONS, 0x80000001);
    m_any(&b, false, DABT_WORD, 0xa8, 0);
    m_any(&b, true, DABT_DOUBLE_WORD, SMMU_STRTAB_BASE + 4, 1);
    m_any(&b, true, DABT_WORD, SMMU_STRTAB_BASE + 4, 0xffff);
    m_any(&b, false, DABT_DOUBLE_WORD, 0x1000, 0);
    save("fuzz_mmio", "decode-edges", &b);

    /*
     * The least step_work: a batch of 40 TLBIs and a CMD_SYNC published at
     * once, continued step by step.
     */
    hdr2(&b, 1, 0);
    m_reset(&b, false, true, SIZES(0, 4, 0));
    for ( i = 0; i < 40; i++ )
        m_cmd_slot(&b, 4 + i, OPSEL(SMMU_OP_TLBI_NH_VA), S0,
                   MASK_INSR(1, SMMU_CMD0_TLBI_ASID),
                   0x40000000ULL + i * 0x1000);
    m_cmd_slot(&b, 44, OPSEL(SMMU_OP_CMD_SYNC), S0, 0, 0);
    m_publish_raw(&b, 45);
    m_simple(&b, M_CONTINUE, C_CUR_1);
    m_simple(&b, M_CONTINUE, C_RR_4);
    m_simple(&b, M_POLL_CONS, 0);
    m_simple(&b, M_CONTINUE, C_ALL);
    save("fuzz_mmio", "min-step-batch", &b);

    /* A 2-entry event queue overflowing, acknowledged late. */
    hdr2(&b, 0x10, 0);
    m_reset(&b, false, true, SIZES(0, 0, 0));
    for ( i = 0; i < 5; i++ )
    {
        m_cmd(&b, OPSEL(SMMU_OP_CFGI_STE), RAW16, 0, 0);
        u16(&b, 0x300 + i);
    }
    m_simple(&b, M_EVENTS, 1);
    m_cmd(&b, OPSEL(SMMU_OP_CFGI_STE), RAW16, 0, 0);
    u16(&b, 0x400);
    m_simple(&b, M_EVENTS, 0);
    m_simple(&b, M_EVENTS, 0);
    save("fuzz_mmio", "evtq-overflow", &b);

    /* The command queue moved into the hole: fetch aborts, retried. */
    hdr2(&b, 0, 0);
    m_reset(&b, false, true, SIZES(0, 4, 0));
    m_wreg(&b, DABT_WORD, SMMU_CR0, SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN);
    m_addr(&b, 1, 4, 0, 7);
    m_wreg(&b, DABT_WORD, SMMU_CMDQ_PROD, 0);
    m_wreg(&b, DABT_WORD, SMMU_CMDQ_CONS, 0);
    m_wreg(&b, DABT_WORD, SMMU_CR0, SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN |
                                    SMMU_CR0_CMDQEN);
    m_simple(&b, M_PUBLISH, 2);
    m_simple(&b, M_GERROR, 0);
    m_simple(&b, M_POLL_CONS, 0);
    m_addr(&b, 2, 5, 0xf0, 3);      /* EVENTQ_BASE: ignored, EVENTQEN=1 */
    m_simple(&b, M_GERROR, 0);
    save("fuzz_mmio", "cmdq-in-hole", &b);

    /* Physical SMMU failures around an attach and invalidations. */
    hdr2(&b, 0, 0);
    m_fail(&b, 0, 0xf);
    m_reset(&b, false, true, SIZES(0, 4, 0));
    m_s1(&b, S0, 0);
    m_s1(&b, S47, 1);
    m_tlbi_va(&b, SMMU_OP_TLBI_NH_VA, 1, 0x1000, 0, 0, 0, 0);
    m_cmd(&b, OPSEL(SMMU_OP_CMD_SYNC), S0, 0, 0);
    m_fail(&b, 0, 0);
    m_cmd(&b, OPSEL(SMMU_OP_CMD_SYNC), S0, 0, 0);
    m_fail(&b, 1, FZ_FAIL_SYNC);
    m_s1(&b, S2, 2);
    m_simple(&b, M_EVENTS, 0);
    save("fuzz_mmio", "phys-failures", &b);

    /* The domain dies with commands pending. */
    hdr2(&b, 1, 0);
    m_reset(&b, false, true, SIZES(0, 4, 0));
    m_s1(&b, S0, 0);
    for ( i = 0; i < 20; i++ )
        m_cmd_slot(&b, 6 + i, OPSEL(SMMU_OP_CFGI_STE), S0, 0, 0);
    m_publish_raw(&b, 26);
    m_simple(&b, M_RELINQUISH, 0);
    m_simple(&b, M_CONTINUE, C_EACH);
    m_simple(&b, M_POLL_CONS, 0);
    save("fuzz_mmio", "relinquish-pending", &b);

    /* GBPA while SMMUEN=0, and SMMUEN toggles. */
    hdr2(&b, 0, 0);
    m_wreg(&b, DABT_WORD, SMMU_GBPA, SMMU_GBPA_UPDATE);
    m_wreg(&b, DABT_WORD, SMMU_GBPA, SMMU_GBPA_ABORT);
    m_wreg(&b, DABT_WORD, SMMU_GBPA, SMMU_GBPA_UPDATE | SMMU_GBPA_ABORT);
    m_wreg(&b, DABT_WORD, SMMU_GBPA, SMMU_GBPA_UPDATE);
    m_reset(&b, false, false, SIZES(0, 4, 0));
    m_s1(&b, S0, 0);
    m_wreg(&b, DABT_WORD, SMMU_CR0, SMMU_CR0_SMMUEN | SMMU_CR0_CMDQEN |
                                    SMMU_CR0_EVENTQEN);
    m_wreg(&b, DABT_WORD, SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    m_wreg(&b, DABT_WORD, SMMU_GBPA, SMMU_GBPA_UPDATE | SMMU_GBPA_ABORT);
    save("fuzz_mmio", "gbpa-smmuen", &b);

    /* Range TLBIs: relayed with RIL, split or widened without. */
    hdr2(&b, 0, 0);
    m_reset(&b, false, true, SIZES(0, 4, 0));
    m_tlbi_va(&b, SMMU_OP_TLBI_NH_VA, 5, 0x100000, 1, 3, 3, 0);
    m_tlbi_va(&b, SMMU_OP_TLBI_NH_VA, 5, 0x100000, 1, 0, 31, 5);
    m_tlbi_va(&b, SMMU_OP_TLBI_NH_VAA, 0, 0x200000, 3, 2, 1, 1);
    m_tlbi_va(&b, SMMU_OP_TLBI_NH_VAA, 0, 0x200000, 1, 0, 0, 0);
    m_tlbi_va(&b, SMMU_OP_TLBI_NH_VA, 5, 0x100000, 2, 1, 1, 0);
    m_simple(&b, M_GERROR, 0);
    m_cmd(&b, OPSEL(SMMU_OP_CMD_SYNC), S0, 0, 0);
    save("fuzz_mmio", "range-tlbi", &b);

    /* A narrower second SMMU: 8-bit ASIDs, 40-bit OAS, 4K pages only. */
    hdr2(&b, 0x40, 0x10);
    m_reset(&b, false, true, SIZES(0, 4, 0));
    m_cmd(&b, OPSEL(SMMU_OP_TLBI_NH_ASID), S0,
          MASK_INSR(0x1234, SMMU_CMD0_TLBI_ASID), 0);
    m_tlbi_va(&b, SMMU_OP_TLBI_NH_VA, 0x1234, 0x100000, 1, 3, 3, 0);
    m_tlbi_va(&b, SMMU_OP_TLBI_NH_VA, 0x1234, 0x100000, 3, 3, 3, 0);
    m_simple(&b, M_GERROR, 0);
    m_ste(&b, S2, CFG(1, SMMU_STE_CONFIG_S1_TRANS), 7, 0x10, ste1_linux,
          true);
    m_cmd(&b, OPSEL(SMMU_OP_CMD_SYNC), S0, 0, 0);
    m_simple(&b, M_EVENTS, 0);
    save("fuzz_mmio", "narrow-caps", &b);

    /* Streams attached while the guest runs. */
    hdr2(&b, 0, 0);
    m_reset(&b, false, true, SIZES(0, 4, 0));
    for ( i = 0; i < 4; i++ )
    {
        u8(&b, FZ_OP(M_ADD_STREAM, 0));
        u16(&b, 0x30 + i);
        u8(&b, 2 + (i & 1));      /* SMMU 0 or 1 */
        u16(&b, 0x40 + i);
    }
    u8(&b, FZ_OP(M_ADD_STREAM, 0));
    u16(&b, 0x30);
    u8(&b, 0);
    u16(&b, 0);
    m_ste(&b, RAW16, CFG(1, SMMU_STE_CONFIG_S1_TRANS), 0,
          RAM0_OFF_CD >> 6, ste1_linux, true);
    u16(&b, 0x30);
    save("fuzz_mmio", "hotplug-streams", &b);

    /* Interrupt lines: IRQ_CTRL, event queue pointers, errors. */
    hdr2(&b, 0, 0);
    m_reset(&b, false, true, SIZES(0, 4, 0));
    m_cmd(&b, OPSEL(SMMU_OP_CFGI_STE), RAW16, 0, 0);
    u16(&b, 0x777);
    m_wreg(&b, DABT_WORD, SMMU_IRQ_CTRL, 0);
    m_wreg(&b, DABT_WORD, SMMU_IRQ_CTRL, 7);
    m_wreg(&b, DABT_WORD, SMMU_EVENTQ_CONS, 1);
    m_wreg(&b, DABT_WORD, SMMU_EVENTQ_CONS, 0);
    m_cmd(&b, RAWSEL(0), S0, 0, 0);
    m_wreg(&b, DABT_WORD, SMMU_IRQ_CTRL, 1);
    m_wreg(&b, DABT_WORD, SMMU_GERRORN, 1);
    m_wreg(&b, DABT_WORD, SMMU_CR0, 0);
    m_wreg(&b, DABT_WORD, SMMU_EVENTQ_PROD, 0x80000003);
    m_wreg(&b, DABT_WORD, SMMU_CR0, SMMU_CR0_EVENTQEN);
    save("fuzz_mmio", "irq-lines", &b);

    /* MSIs for GERROR and the event queue; one target is not RAM. */
    hdr2(&b, 0, 0);
    m_reset(&b, false, true, SIZES(0, 4, 0));
    m_wreg(&b, DABT_WORD, SMMU_IRQ_CTRL, 0);
    m_addr(&b, 3, 0, 0x3f000, 0);
    m_wreg(&b, DABT_WORD, SMMU_GERROR_IRQ_CFG1, 0x1234);
    m_addr(&b, 4, 6, 0x40, 0);
    m_wreg(&b, DABT_WORD, SMMU_EVENTQ_IRQ_CFG1, 0x5678);
    m_wreg(&b, DABT_WORD, SMMU_IRQ_CTRL, 5);
    m_cmd(&b, OPSEL(SMMU_OP_CFGI_STE), RAW16, 0, 0);
    u16(&b, 0x999);
    m_cmd(&b, RAWSEL(SMMU_OP_TLBI_S2_IPA), S0, 0, 0);
    m_simple(&b, M_GERROR, 0);
    m_simple(&b, M_EVENTS, 0);
    m_addr(&b, 4, 0, 0x3f100, 0);               /* ignored: IRQ enabled */
    m_wreg(&b, DABT_WORD, SMMU_IRQ_CTRL, 0);
    m_addr(&b, 4, 0, 0x3f100, 0);
    m_wreg(&b, DABT_WORD, SMMU_IRQ_CTRL, 5);
    m_cmd(&b, OPSEL(SMMU_OP_CFGI_STE), RAW16, 0, 0);
    u16(&b, 0x998);
    m_simple(&b, M_GERROR, 0);
    save("fuzz_mmio", "msi-irq", &b);

    /* CMD_SYNC completion by MSI: to RAM, to the hole, to its own slot. */
    hdr2(&b, 0, 0);
    m_reset_arg(&b, 2 | 4, SIZES(0, 4, 0));
    m_cmd(&b, OPSEL(SMMU_OP_CMD_SYNC), S0,
          MASK_INSR(1, SMMU_CMD0_SYNC_CS) |
          MASK_INSR(0xabcd, SMMU_CMD0_SYNC_MSIDATA), 0x3f0000);
    m_cmd(&b, OPSEL(SMMU_OP_CMD_SYNC), S0,
          MASK_INSR(1, SMMU_CMD0_SYNC_CS), 0x100004);
    m_simple(&b, M_GERROR, 0);
    m_tlbi_va(&b, SMMU_OP_TLBI_NH_VA, 1, 0x5000, 0, 0, 0, 0);
    m_cmd(&b, RAWSEL(SMMU_OP_CMD_SYNC), S0,
          MASK_INSR(1, SMMU_CMD0_SYNC_CS), 0x40000090);
    m_simple(&b, M_POLL_CONS, 0);
    save("fuzz_mmio", "sync-msi", &b);

    /* Faults from the physical SMMUs: stage 1, stage 2, others. */
    hdr2(&b, 0, 0);
    m_reset(&b, false, true, SIZES(0, 4, 0));
    m_s1(&b, S0, 0);
    phys_evt(&b, M_PHYS_EVENT, 0, 0, SMMU_EVT_F_TRANSLATION, 0x28,
             0x12345000, 0);
    phys_evt(&b, M_PHYS_EVENT, 0, 0, SMMU_EVT_F_PERMISSION, 0x01,
             0x12345000, 0x80000000);
    phys_evt(&b, M_PHYS_EVENT, 0, 1, SMMU_EVT_C_BAD_CD, 0, 0, 0);
    phys_evt(&b, M_PHYS_EVENT, 0, 2, SMMU_EVT_F_TRANSLATION, 0, 0, 0);
    phys_evt(&b, M_PHYS_EVENT, 0, 0, SMMU_EVT_C_BAD_STREAMID, 0, 0, 0);
    phys_evt(&b, M_PHYS_EVENT, 0, 0x80, SMMU_EVT_F_TRANSLATION, 0, 0, 0);
    u16(&b, 0x777);
    phys_evt(&b, M_PHYS_EVENT, 2, 0, SMMU_EVT_F_CD_FETCH, 0x04, 0x3,
             0x40001000);
    m_simple(&b, M_EVENTS, 0);
    phys_evt(&b, M_PHYS_EVENT, 6, 4, SMMU_EVT_F_ACCESS, 0x20, 0x9000, 0);
    m_simple(&b, M_EVENTS, 0);
    u8(&b, FZ_OP(M_CLOCK, 3));
    phys_evt(&b, M_PHYS_EVENT, 3, 0, SMMU_EVT_F_STREAM_DISABLED, 0, 0, 0);
    m_simple(&b, M_RELINQUISH, 0);
    phys_evt(&b, M_PHYS_EVENT, 0, 0, SMMU_EVT_F_TRANSLATION, 0, 0, 0);
    save("fuzz_mmio", "phys-events", &b);

    /* No physical SMMU: virtual streams only. */
    hdr2(&b, 0xc0, 0);
    m_reset(&b, false, true, SIZES(0, 4, 0));
    m_s1(&b, S0, 0);
    m_s1(&b, S2, 1);
    m_cmd(&b, OPSEL(SMMU_OP_TLBI_NH_ALL), S0, 0, 0);
    m_cmd(&b, OPSEL(SMMU_OP_CFGI_CD), S0, 0, 0);
    m_cmd(&b, OPSEL(SMMU_OP_CMD_SYNC), S0, 0, 0);
    save("fuzz_mmio", "virtual-only", &b);

    /* A 128-entry queue wrapping around. */
    hdr2(&b, 0, 0);
    m_reset(&b, false, true, SIZES(0, 4, 0));
    for ( i = 0; i < 130; i++ )
        m_cmd(&b, OPSEL(i % 3 ? SMMU_OP_TLBI_NH_ALL : SMMU_OP_CMD_SYNC),
              S0, 0, 0);
    m_simple(&b, M_POLL_CONS, 0);
    save("fuzz_mmio", "cmdq-wrap", &b);

    /*
     * Doorbells of 78 to 96 TLBIs and a CMD_SYNC with the least step_work
     * and two SMMUs (3 units a TLBI): the CMD_SYNC falls on either side of
     * the step's end, and so does its physical work.
     */
    hdr2(&b, 1, 0);
    m_reset(&b, false, true, SIZES(1, 4, 0));
    for ( i = 78; i <= 96; i += 3 )
        cmds(&b, M_CMDS, FZ_CMDS_PUBLISH | FZ_CMDS_VARY | FZ_CMDS_SYNC, i,
             OPSEL(SMMU_OP_TLBI_NH_ASID), S0, 0, 0);
    m_simple(&b, M_POLL_CONS, 0);
    m_simple(&b, M_VCPU, 1);
    cmds(&b, M_CMDS, FZ_CMDS_VARY, 90, OPSEL(SMMU_OP_TLBI_NH_VA), S0,
         MASK_INSR(1, SMMU_CMD0_TLBI_ASID), 0x10000);
    m_cmd_slot(&b, 0, OPSEL(SMMU_OP_CMD_SYNC), S0,
               MASK_INSR(1, SMMU_CMD0_SYNC_CS) |
               MASK_INSR(0x5a, SMMU_CMD0_SYNC_MSIDATA), 0x3f000);
    m_simple(&b, M_PUBLISH, 7);
    u32(&b, 0x100 | 0x7f);
    m_simple(&b, M_CONTINUE, C_CUR_1);
    m_simple(&b, M_CONTINUE, C_ALL);
    save("fuzz_mmio", "doorbell-edges", &b);

    /* The same with 4096 work units a step: in the doorbells' traps. */
    b.b[0] = 3;
    save("fuzz_mmio", "cmdq-wrap-big-step", &b);

    /*
     * The least step_work, eight streams: CFGI_ALLs span steps.  vCPU 0
     * rings; vCPUs 1 and 2 poll CONS, ring again and read CR0ACK while
     * vCPU 0's continuation steps go on, in several orders.
     */
    hdr2(&b, 1, 0);
    m_streams8(&b);
    m_reset(&b, false, true, SIZES(0, 4, 0));
    for ( i = 0; i < 8; i++ )
        m_s1(&b, i, i);
    for ( i = 0; i < 48; i++ )
        m_cmd_slot(&b, 16 + i, OPSEL(i % 4 == 3 ? SMMU_OP_TLBI_NH_ALL
                                                : SMMU_OP_CFGI_STE_RANGE),
                   S0, 0, SMMU_CFGI_RANGE_ALL);
    m_cmd_slot(&b, 64, OPSEL(SMMU_OP_CMD_SYNC), S0, 0, 0);
    m_publish_raw(&b, 65);
    m_simple(&b, M_CONTINUE, C_CUR_1);
    m_simple(&b, M_VCPU, 1);
    m_simple(&b, M_POLL_CONS, 1);
    m_simple(&b, M_CONTINUE, C_EACH);
    m_simple(&b, M_VCPU, 2);
    m_cmd(&b, OPSEL(SMMU_OP_CFGI_STE_RANGE), S0, 0, SMMU_CFGI_RANGE_ALL);
    m_rreg(&b, DABT_WORD, SMMU_CR0ACK);
    m_simple(&b, M_CONTINUE, C_EACH_REV);
    m_simple(&b, M_CONTINUE, C_RR_4);
    m_simple(&b, M_VCPU, 0);
    m_simple(&b, M_POLL_CONS, 0);
    m_simple(&b, M_CONTINUE, C_ALL);
    save("fuzz_mmio", "vcpus-interleave", &b);

    /*
     * SMMUEN and GBPA.ABORT changes followed by eight streams in steps:
     * CR0ACK.SMMUEN and GBPA.UPDATE seen from other vCPUs meanwhile, the
     * policy changed again half-way.
     */
    hdr2(&b, 1, 0);
    m_streams8(&b);
    m_reset(&b, false, true, SIZES(0, 4, 0));
    for ( i = 0; i < 8; i++ )
        m_s1(&b, i, i);
    m_wreg(&b, DABT_WORD, SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    m_simple(&b, M_VCPU, 1);
    m_rreg(&b, DABT_WORD, SMMU_CR0ACK);
    m_simple(&b, M_CONTINUE, C_EACH);
    m_rreg(&b, DABT_WORD, SMMU_CR0ACK);
    m_wreg(&b, DABT_WORD, SMMU_GBPA, SMMU_GBPA_UPDATE);
    m_simple(&b, M_VCPU, 2);
    m_rreg(&b, DABT_WORD, SMMU_GBPA);
    m_wreg(&b, DABT_WORD, SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN |
                                    SMMU_CR0_SMMUEN);
    m_simple(&b, M_CONTINUE, C_CUR_1);
    m_wreg(&b, DABT_WORD, SMMU_GBPA, SMMU_GBPA_UPDATE | SMMU_GBPA_ABORT);
    m_simple(&b, M_VCPU, 3);
    m_wreg(&b, DABT_WORD, SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    m_rreg(&b, DABT_WORD, SMMU_GBPA);
    m_simple(&b, M_CONTINUE, C_RR_4);
    m_rreg(&b, DABT_WORD, SMMU_CR0ACK);
    m_simple(&b, M_CONTINUE, C_ALL);
    m_rreg(&b, DABT_WORD, SMMU_GBPA);
    save("fuzz_mmio", "policy-sweep-steps", &b);

    /* A CFGI_ALL spanning steps, dropped by CMDQEN=0 from another vCPU. */
    hdr2(&b, 1, 0);
    m_streams8(&b);
    m_reset(&b, false, true, SIZES(0, 4, 0));
    /* New STEs for every stream, so that each reload installs. */
    for ( i = 0; i < 8; i++ )
        m_ste(&b, i, CFG(1, SMMU_STE_CONFIG_S1_TRANS), 0,
              (RAM0_OFF_CD >> 6) + i, ste1_linux, false);
    m_cmd(&b, OPSEL(SMMU_OP_CFGI_STE_RANGE), S0, 0, SMMU_CFGI_RANGE_ALL);
    m_simple(&b, M_VCPU, 1);
    m_wreg(&b, DABT_WORD, SMMU_CR0, SMMU_CR0_SMMUEN | SMMU_CR0_EVENTQEN);
    m_simple(&b, M_CONTINUE, C_EACH);
    m_wreg(&b, DABT_WORD, SMMU_CR0, SMMU_CR0_SMMUEN | SMMU_CR0_EVENTQEN |
                                    SMMU_CR0_CMDQEN);
    m_simple(&b, M_CONTINUE, C_EACH_REV);
    m_simple(&b, M_POLL_CONS, 0);
    save("fuzz_mmio", "cmdqen-drops-active", &b);

    /*
     * Physical failures and their recovery: a failed sync is CERROR_ABT on
     * the guest's CMD_SYNC; the next one first gives the SMMU CFGI_CD_ALL
     * for each nested stream, then TLBI_NH_ALL, and completes in the next
     * step.
     */
    failure_recovery(&b, false);
    save("fuzz_mmio", "phys-failure-recovery", &b);

    /*
     * The physical driver releases streams while a CFGI_ALL and a sweep
     * walk them in steps, then binds one again.
     */
    hdr2(&b, 1, 0);
    m_streams8(&b);
    m_reset(&b, false, true, SIZES(0, 4, 0));
    for ( i = 0; i < 8; i++ )
        m_ste(&b, i, CFG(1, SMMU_STE_CONFIG_S1_TRANS), 0,
              (RAM0_OFF_CD >> 6) + i, ste1_linux, false);
    m_cmd(&b, OPSEL(SMMU_OP_CFGI_STE_RANGE), S0, 0, SMMU_CFGI_RANGE_ALL);
    u8(&b, FZ_OP(M_RELEASE, 0));
    u8(&b, 3);                                  /* vSID 0x47 */
    m_simple(&b, M_CONTINUE, C_CUR_1);
    u8(&b, FZ_OP(M_RELEASE, 0));
    u8(&b, 0);                                  /* vSID 0 */
    m_simple(&b, M_VCPU, 1);
    m_wreg(&b, DABT_WORD, SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    u8(&b, FZ_OP(M_RELEASE, 0));
    u8(&b, 0x80 | 1);                           /* SMMU 1, pSID 0x21 */
    u16(&b, 0x21);
    m_simple(&b, M_CONTINUE, C_EACH);
    u8(&b, FZ_OP(M_ADD_STREAM, 0));
    u16(&b, 0x47);
    u8(&b, 2);                                  /* SMMU 0 */
    u16(&b, 0x11);
    m_wreg(&b, DABT_WORD, SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN |
                                    SMMU_CR0_SMMUEN);
    m_simple(&b, M_CONTINUE, C_ALL);
    save("fuzz_mmio", "release-streams", &b);

    /*
     * The domain dies with work pending on two vCPUs: relinquish one call
     * at a time with a preemption request after every stream, physical
     * faults and (no-op) continuation steps in between.
     */
    hdr2(&b, 1, 0);
    m_streams8(&b);
    m_reset(&b, false, true, SIZES(0, 4, 0));
    m_s1(&b, S0, 0);
    m_s1(&b, S2, 1);
    for ( i = 0; i < 6; i++ )
        m_cmd_slot(&b, 6 + i, OPSEL(SMMU_OP_CFGI_STE_RANGE), S0, 0,
                   SMMU_CFGI_RANGE_ALL);
    m_publish_raw(&b, 12);
    m_simple(&b, M_VCPU, 1);
    m_simple(&b, M_POLL_CONS, 0);
    m_simple(&b, M_RELINQUISH, FZ_RELINQUISH_ONE_CALL | 1);
    phys_evt(&b, M_PHYS_EVENT, 0, 0, SMMU_EVT_F_TRANSLATION, 0, 0x1000, 0);
    m_simple(&b, M_CONTINUE, C_EACH);
    m_simple(&b, M_RELINQUISH, FZ_RELINQUISH_ONE_CALL | 2);
    m_simple(&b, M_CONTINUE, C_ALL);
    m_simple(&b, M_RELINQUISH, 1);
    save("fuzz_mmio", "relinquish-preempt", &b);
}

/* ---- fuzz_guest_ram ---- */

static void hdr4(struct buf *b, uint8_t h0, uint8_t h1, uint8_t h2,
                 uint8_t h3)
{
    b->n = 0;
    u8(b, h0);
    u8(b, h1);
    u8(b, h2);
    u8(b, h3);
}

/* h2: CMDQ log2 sel, EVTQ log2 sel, 2-level, SPLIT sel, S1 streams. */
#define H2(cq, eq, two, split, s1) \
    ((cq) | ((eq) << 2) | ((two) << 4) | ((split) << 5) | ((s1) << 7))
/* h3: LOG2SIZE sel, placement, no SMMUEN, no interrupts. */
#define H3(log2, place, off, noirq) \
    ((log2) | ((place) << 3) | ((off) << 6) | ((noirq) << 7))

static void g_cmd(struct buf *b, unsigned int flags, uint8_t opsel,
                  uint8_t vsid, uint64_t f0, uint64_t f1)
{
    u8(b, FZ_OP(G_CMD, flags));
    u8(b, opsel);
    u8(b, vsid);
    u64(b, f0);
    u64(b, f1);
}

static void g_ste(struct buf *b, uint8_t vsid, uint8_t cfg, uint8_t sel,
                  uint16_t off, uint64_t w1, bool cfgi)
{
    u8(b, FZ_OP(G_STE, cfgi));
    u8(b, vsid);
    u8(b, cfg);
    u8(b, sel);
    u16(b, off);
    u64(b, w1);
}

static void g_attach(struct buf *b, uint8_t vsid, uint16_t asid)
{
    u8(b, FZ_OP(G_ATTACH, 0));
    u8(b, vsid);
    u16(b, asid);
}

static void g_unmap(struct buf *b, unsigned int arg, uint16_t asid,
                    uint8_t range)
{
    unsigned int i;

    u8(b, FZ_OP(G_UNMAP, arg));
    u16(b, asid);
    for ( i = 0; i < arg * 8 + 1; i++ )
    {
        u64(b, 0x8000000ULL + i * 0x1000);
        u8(b, range);
    }
}

static void g_l1(struct buf *b, uint16_t idx, uint8_t sel, uint32_t off,
                 uint8_t span)
{
    u8(b, FZ_OP(G_L1, 0));
    u16(b, idx);
    u8(b, sel);
    u32(b, off);
    u8(b, span);
}

static void g_simple(struct buf *b, unsigned int kind, unsigned int arg)
{
    u8(b, FZ_OP(kind, arg));
}

static void g_raw_cmds(struct buf *b, const uint64_t (*c)[2], unsigned int n)
{
    unsigned int i;

    u8(b, FZ_OP(G_CMDS_RAW, n - 1));
    for ( i = 0; i < n; i++ )
    {
        u64(b, c[i][0]);
        u64(b, c[i][1]);
    }
}

static uint64_t op0(unsigned int op, uint32_t sid)
{
    return MASK_INSR(op, SMMU_CMD_OPCODE) |
           MASK_INSR(sid, SMMU_CMD0_SID);
}

static void gen_guest_ram(void)
{
    struct buf b;
    unsigned int i;

    /* Linear table, streams translating, an attach and an unmap. */
    hdr4(&b, 0, 0, H2(0, 2, 0, 0, 1), H3(0, 0, 0, 0));
    g_simple(&b, G_SERVICE, C_ALL);
    g_attach(&b, S0, 5);
    g_unmap(&b, 1, 5, 0);
    g_simple(&b, G_SERVICE, C_ALL);
    save("fuzz_guest_ram", "linear-attach-unmap", &b);

    /* 2-level, SPLIT 8, LOG2SIZE 16: attach every stream, range unmap. */
    hdr4(&b, 0, 0, H2(1, 2, 1, 0, 0), H3(1, 0, 0, 0));
    g_attach(&b, S0, 1);
    g_attach(&b, S47, 2);
    g_attach(&b, S1C3, 3);
    g_attach(&b, S1_VIRT, 4);
    g_unmap(&b, 0, 2, 0x80 | 3);
    g_unmap(&b, 0, 2, 0xc0 | 0x25);
    g_simple(&b, G_SERVICE, C_ALL);
    save("fuzz_guest_ram", "2level-attach", &b);

    /* An illegal command, Linux's handler rewrites it, GERRORN ack. */
    hdr4(&b, 0, 0, H2(0, 2, 0, 0, 1), H3(0, 0, 0, 0));
    g_cmd(&b, 3, OPSEL(SMMU_OP_TLBI_EL2_ALL), S0, 0, 0);
    g_simple(&b, G_POLL, 0);
    g_simple(&b, G_SERVICE, C_ALL);
    g_cmd(&b, 3, RAWSEL(SMMU_OP_CFGI_STE), S0, SMMU_CMD0_SSEC, 0);
    g_simple(&b, G_SERVICE, C_ALL);
    g_cmd(&b, 3, RAWSEL(SMMU_OP_ATC_INV), S0, 0, 0);
    g_simple(&b, G_SERVICE, C_ALL);
    save("fuzz_guest_ram", "illegal-gerrorn", &b);

    /* The command queue runs into the hole: CERROR_ABT, retried. */
    hdr4(&b, 0, 0, H2(0, 2, 0, 0, 1), H3(0, 4, 0, 0));
    for ( i = 0; i < 20; i++ )
        g_cmd(&b, 0, OPSEL(SMMU_OP_CFGI_STE), S0, 0, 0);
    g_cmd(&b, 3, OPSEL(SMMU_OP_TLBI_NH_ALL), S0, 0, 0);
    g_simple(&b, G_SERVICE, C_ALL);
    g_simple(&b, G_SERVICE, C_ALL);
    save("fuzz_guest_ram", "cmdq-into-hole", &b);

    /* The event queue at the end of a bank: EVENTQ_ABT_ERR and ack. */
    hdr4(&b, 0, 0, H2(0, 1, 0, 0, 1), H3(0, 5, 0, 0));
    for ( i = 0; i < 4; i++ )
    {
        g_cmd(&b, 0, OPSEL(SMMU_OP_CFGI_STE), RAW16, 0, 0);
        u16(&b, 0x200 + i);
    }
    g_cmd(&b, 3, OPSEL(SMMU_OP_CMD_SYNC), S0, 0, 0);
    g_simple(&b, G_SERVICE, C_ALL);
    g_cmd(&b, 3, OPSEL(SMMU_OP_CFGI_STE), RAW16, 0, 0);
    u16(&b, 0x300);
    g_simple(&b, G_SERVICE, C_ALL);
    save("fuzz_guest_ram", "evtq-bank-end", &b);

    /* PROD published beyond the queue, with the wrap flipped, raw. */
    hdr4(&b, 0, 0, H2(0, 2, 0, 0, 1), H3(0, 0, 0, 0));
    g_cmd(&b, 0, OPSEL(SMMU_OP_CMD_SYNC), S0, 0, 0);
    u8(&b, FZ_OP(G_PUBLISH, 1));
    u8(&b, 200);
    g_simple(&b, G_SERVICE, C_ALL);
    g_simple(&b, G_PUBLISH, 7);
    g_simple(&b, G_SERVICE, C_ALL);
    u8(&b, FZ_OP(G_PUBLISH, 6));
    u32(&b, 0xfffff);
    g_simple(&b, G_SERVICE, C_ALL);
    save("fuzz_guest_ram", "publish-beyond", &b);

    /* 2-level with broken L1 descriptors. */
    hdr4(&b, 0, 0, H2(0, 2, 1, 0, 1), H3(1, 0, 0, 0));
    g_l1(&b, 0, 0, 0, 0);                   /* SPAN 0 */
    g_l1(&b, 1, 0, 0x4000, 15);             /* SPAN > SPLIT + 1 */
    g_l1(&b, 2, 4, 0, 9);                   /* level 2 in the hole */
    g_l1(&b, 3, 5, 0x80, 9);                /* across the end of RAM */
    u8(&b, FZ_OP(G_L1, 1));                 /* raw */
    u16(&b, 1);
    u64(&b, 0x40018000ULL | 2);
    g_cmd(&b, 0, OPSEL(SMMU_OP_CFGI_STE), S0, 0, 0);
    g_cmd(&b, 0, OPSEL(SMMU_OP_CFGI_STE), S1C3, 0, 0);
    g_cmd(&b, 0, OPSEL(SMMU_OP_CFGI_STE), RAW16, 0, 0);
    u16(&b, 0x201);
    g_cmd(&b, 3, OPSEL(SMMU_OP_CFGI_STE_RANGE), S0, 0, SMMU_CFGI_RANGE_ALL);
    g_simple(&b, G_SERVICE, C_ALL);
    save("fuzz_guest_ram", "2level-bad-l1", &b);

    /* STE configurations and context pointers. */
    hdr4(&b, 0, 0, H2(0, 2, 0, 0, 0), H3(0, 0, 0, 0));
    {
        static const uint8_t cfgs[] = {
            CFG(1, SMMU_STE_CONFIG_BYPASS), CFG(1, SMMU_STE_CONFIG_S2_TRANS),
            CFG(1, SMMU_STE_CONFIG_NESTED), CFG(1, 1),
            0x40 | CFG(1, SMMU_STE_CONFIG_S1_TRANS),
            0x80 | CFG(1, SMMU_STE_CONFIG_S1_TRANS),
            CFG(0, SMMU_STE_CONFIG_S1_TRANS), 0x30 | CFG(1, 5),
        };
        static const uint8_t sels[] = { 0, 3, 4, 5, 6, 7 };

        for ( i = 0; i < sizeof(cfgs); i++ )
            g_ste(&b, S0, cfgs[i], 0, i, ste1_linux | ~0ULL << 8, true);
        for ( i = 0; i < sizeof(sels); i++ )
            g_ste(&b, S2, CFG(1, SMMU_STE_CONFIG_S1_TRANS), sels[i], 0x40,
                  ste1_linux, true);
    }
    g_simple(&b, G_SERVICE, C_ALL);
    save("fuzz_guest_ram", "ste-zoo", &b);

    /* Raw commands straight into the queue. */
    hdr4(&b, 0, 0, H2(0, 2, 0, 0, 1), H3(0, 0, 0, 0));
    {
        const uint64_t c[8][2] = {
            { op0(SMMU_OP_CFGI_STE, 0), 1 },
            { op0(SMMU_OP_CFGI_CD, 2), 1 },
            { op0(SMMU_OP_CFGI_STE_RANGE, 0x40), 7 },
            { op0(SMMU_OP_TLBI_NH_ASID, 0) | (5ULL << 48), 0 },
            { op0(SMMU_OP_TLBI_NSNH_ALL, 0), 0 },
            { op0(SMMU_OP_PREFETCH_ADDR, 0x47), 0x1234000 },
            { op0(SMMU_OP_CFGI_CD_ALL, 0x1c3), 0 },
            { op0(SMMU_OP_CMD_SYNC, 0), 0 },
        };

        g_raw_cmds(&b, c, 8);
    }
    g_simple(&b, G_PUBLISH, 0);
    g_simple(&b, G_SERVICE, C_ALL);
    save("fuzz_guest_ram", "raw-commands", &b);

    /* The least step_work, 57 invalidations in one doorbell. */
    hdr4(&b, 1, 0, H2(0, 2, 0, 0, 1), H3(0, 0, 0, 0));
    g_unmap(&b, 7, 9, 0);
    g_simple(&b, G_CONTINUE, C_ALL);
    g_simple(&b, G_SERVICE, C_ALL);
    save("fuzz_guest_ram", "min-step-unmap", &b);

    /* SMMU 0 refuses everything, then recovers. */
    hdr4(&b, 0, 0xf, H2(0, 2, 0, 0, 1), H3(0, 0, 0, 0));
    g_attach(&b, S0, 3);
    g_unmap(&b, 0, 3, 0);
    u8(&b, FZ_OP(G_FAIL, 0));
    u8(&b, 0);
    g_cmd(&b, 3, OPSEL(SMMU_OP_CMD_SYNC), S0, 0, 0);
    u8(&b, FZ_OP(G_FAIL, 1));
    u8(&b, 0x5);
    g_attach(&b, S2, 4);
    g_simple(&b, G_SERVICE, C_ALL);
    save("fuzz_guest_ram", "phys-failures", &b);

    /* SMMUEN, GBPA, EVENTQEN and CMDQEN toggled under traffic. */
    hdr4(&b, 0, 0, H2(0, 2, 0, 0, 1), H3(0, 0, 1, 0));
    g_simple(&b, G_CONTROL, 3);
    g_simple(&b, G_CONTROL, 1);
    g_cmd(&b, 3, OPSEL(SMMU_OP_CFGI_STE), RAW16, 0, 0);
    u16(&b, 0x999);
    g_simple(&b, G_CONTROL, 4);
    g_cmd(&b, 3, OPSEL(SMMU_OP_CFGI_STE), RAW16, 0, 0);
    u16(&b, 0x998);
    g_simple(&b, G_CONTROL, 5);
    g_simple(&b, G_CONTROL, 0);
    g_simple(&b, G_CONTROL, 2);
    g_simple(&b, G_CONTROL, 6);
    g_simple(&b, G_CONTROL, 7);
    g_simple(&b, G_IRQ_CTRL, 0);
    g_simple(&b, G_IRQ_CTRL, 5);
    g_simple(&b, G_SERVICE, C_ALL);
    save("fuzz_guest_ram", "controls", &b);

    /* A 2-entry event queue overflowing; overflow acknowledged late. */
    hdr4(&b, 0x10, 0, H2(0, 0, 0, 0, 1), H3(0, 0, 0, 0));
    for ( i = 0; i < 6; i++ )
    {
        g_cmd(&b, 0, OPSEL(SMMU_OP_CFGI_STE), RAW16, 0, 0);
        u16(&b, 0x300 + i);
    }
    g_cmd(&b, 3, OPSEL(SMMU_OP_CMD_SYNC), S0, 0, 0);
    g_simple(&b, G_CONTINUE, C_ALL);
    g_simple(&b, G_EVENTS, 1);
    g_cmd(&b, 3, OPSEL(SMMU_OP_CFGI_STE), RAW16, 0, 0);
    u16(&b, 0x400);
    g_simple(&b, G_EVENTS, 0);
    save("fuzz_guest_ram", "evtq-overflow", &b);

    /* The domain dies with work pending. */
    hdr4(&b, 1, 0, H2(0, 2, 0, 0, 1), H3(0, 0, 0, 0));
    g_unmap(&b, 3, 1, 0);
    g_cmd(&b, 3, OPSEL(SMMU_OP_CFGI_STE_RANGE), S0, 0, SMMU_CFGI_RANGE_ALL);
    g_simple(&b, G_RELINQUISH, 0);
    g_simple(&b, G_CONTINUE, C_ALL);
    save("fuzz_guest_ram", "relinquish-pending", &b);

    /* SPLIT 6, SPLIT 10 and the reserved SPLIT 7. */
    for ( i = 1; i <= 3; i++ )
    {
        char name[32];

        hdr4(&b, 0, 0, H2(0, 2, 1, i, i & 1), H3(i == 3 ? 2 : 1, 0, 0, 0));
        g_attach(&b, S1C3, 7);
        g_attach(&b, S47, 8);
        g_cmd(&b, 3, OPSEL(SMMU_OP_CFGI_STE_RANGE), S0, 0,
              SMMU_CFGI_RANGE_ALL);
        g_simple(&b, G_SERVICE, C_ALL);
        snprintf(name, sizeof(name), "2level-split-%s",
                 i == 1 ? "6" : i == 2 ? "10" : "7");
        save("fuzz_guest_ram", name, &b);
    }

    /* Everything in the small bank; queues and table run off its end. */
    hdr4(&b, 0, 0x10, H2(2, 3, 0, 0, 1), H3(2, 7, 0, 0));
    g_attach(&b, S0, 1);
    g_unmap(&b, 1, 1, 0);
    g_simple(&b, G_SERVICE, C_ALL);
    save("fuzz_guest_ram", "small-bank", &b);

    /* A device faulting in a loop: budget 4 events per second. */
    hdr4(&b, 0, 0x80, H2(0, 2, 0, 0, 1), H3(0, 0, 0, 0));
    g_attach(&b, S0, 2);
    phys_evt(&b, G_PHYS_EVENT, 6, 0, SMMU_EVT_F_TRANSLATION, 0x28,
             0x1000, 0);
    g_simple(&b, G_EVENTS, 0);
    g_simple(&b, G_CLOCK, 3);
    phys_evt(&b, G_PHYS_EVENT, 3, 4, SMMU_EVT_F_PERMISSION, 0x20, 0x2000,
             0);
    phys_evt(&b, G_PHYS_EVENT, 0, 0, SMMU_EVT_F_WALK_EABT, 0x00, 0x3000,
             0x40005000);
    g_simple(&b, G_SERVICE, C_ALL);
    save("fuzz_guest_ram", "phys-fault-flood", &b);

    /* MSI targets for the event queue and GERROR; CMD_SYNCs by CONS. */
    hdr4(&b, 0, 0, H2(0, 2, 0, 0, 1), H3(0, 0, 0, 0));
    u8(&b, FZ_OP(G_MSI, 1));
    u8(&b, 0);
    u32(&b, 0x3f000);
    u32(&b, 0x11);
    u8(&b, FZ_OP(G_MSI, 0));
    u8(&b, 4);
    u32(&b, 0);
    u32(&b, 0x22);
    g_cmd(&b, 3, OPSEL(SMMU_OP_CFGI_STE), RAW16, 0, 0);
    u16(&b, 0x999);
    g_cmd(&b, 3, OPSEL(SMMU_OP_TLBI_EL2_ASID), S0, 0, 0);
    g_simple(&b, G_SERVICE, C_ALL);
    g_simple(&b, G_SYNC_MODE, 0);
    g_attach(&b, S2, 6);
    u8(&b, FZ_OP(G_MSI, 3));
    u8(&b, 0);
    u32(&b, 0);
    u32(&b, 0);
    g_simple(&b, G_SERVICE, C_ALL);
    save("fuzz_guest_ram", "msi-targets", &b);

    /* No physical SMMU, one queue entry, interrupts off. */
    hdr4(&b, 0xc0, 0, H2(3, 0, 0, 0, 1), H3(0, 0, 0, 1));
    g_cmd(&b, 1, OPSEL(SMMU_OP_CFGI_STE), S1_VIRT, 0, 0);
    g_simple(&b, G_SERVICE, C_ALL);
    g_cmd(&b, 1, OPSEL(SMMU_OP_CMD_SYNC), S0, 0, 0);
    g_simple(&b, G_SERVICE, C_ALL);
    save("fuzz_guest_ram", "virtual-tiny-queue", &b);

    /*
     * The least step_work: CFGI_ALLs and an unmap published by vCPU 0 and
     * continued in steps while vCPU 1 polls CONS and turns SMMUEN off and
     * on, and vCPU 2 rings too.
     */
    hdr4(&b, 1, 0, H2(0, 2, 0, 0, 1), H3(0, 0, 0, 0));
    for ( i = 0; i < 6; i++ )
        g_cmd(&b, 0, OPSEL(SMMU_OP_CFGI_STE_RANGE), S0, 0,
              SMMU_CFGI_RANGE_ALL);
    g_cmd(&b, 3, OPSEL(SMMU_OP_TLBI_NH_ASID), S0,
          MASK_INSR(1, SMMU_CMD0_TLBI_ASID), 0);
    g_simple(&b, G_CONTINUE, C_CUR_1);
    g_simple(&b, G_VCPU, 1);
    g_simple(&b, G_POLL, 0);
    g_simple(&b, G_CONTROL, 0);
    g_simple(&b, G_CONTINUE, C_EACH);
    g_simple(&b, G_CONTROL, 1);
    g_simple(&b, G_VCPU, 2);
    g_cmd(&b, 3, OPSEL(SMMU_OP_CFGI_STE_RANGE), S0, 0, SMMU_CFGI_RANGE_ALL);
    g_simple(&b, G_CONTINUE, C_RR_4);
    g_simple(&b, G_VCPU, 0);
    g_unmap(&b, 2, 4, 0);
    g_simple(&b, G_SERVICE, C_ALL);
    save("fuzz_guest_ram", "vcpus-interleave", &b);

    /* Doorbells around a step's end (see fuzz_mmio's doorbell-edges). */
    hdr4(&b, 1, 0, H2(1, 2, 0, 0, 1), H3(0, 0, 0, 0));
    for ( i = 79; i <= 96; i += 4 )
    {
        cmds(&b, G_CMDS, FZ_CMDS_VARY, i, OPSEL(SMMU_OP_TLBI_NH_VA), S0,
             MASK_INSR(3, SMMU_CMD0_TLBI_ASID), 0x20000);
        g_cmd(&b, 3, OPSEL(SMMU_OP_CMD_SYNC), S0,
              MASK_INSR(1, SMMU_CMD0_SYNC_CS), 0);
        g_simple(&b, G_SERVICE, i & 1 ? C_CUR_1 : C_EACH);
    }
    g_simple(&b, G_SERVICE, C_ALL);
    save("fuzz_guest_ram", "doorbell-edges", &b);

    /* Relinquish in preemptible calls, faults and continuations between. */
    hdr4(&b, 0, 0, H2(0, 2, 0, 0, 1), H3(0, 0, 0, 0));
    g_attach(&b, S0, 2);
    g_attach(&b, S2, 3);
    g_cmd(&b, 3, OPSEL(SMMU_OP_CFGI_STE_RANGE), S0, 0, SMMU_CFGI_RANGE_ALL);
    g_simple(&b, G_RELINQUISH, FZ_RELINQUISH_ONE_CALL | 1);
    phys_evt(&b, G_PHYS_EVENT, 0, 0, SMMU_EVT_F_PERMISSION, 0x20, 0x2000, 0);
    g_simple(&b, G_CONTINUE, C_EACH);
    u8(&b, FZ_OP(G_FAIL, 1));
    u8(&b, FZ_FAIL_ABORT);
    g_simple(&b, G_RELINQUISH, FZ_RELINQUISH_ONE_CALL | 1);
    g_simple(&b, G_RELINQUISH, 2);
    save("fuzz_guest_ram", "relinquish-preempt", &b);
}

/*
 * Reproducers of model bugs the targets found (tests/fuzz/repro/), run by
 * `make fuzz-repro`.  A new one stays out of the corpus until the model is
 * fixed, so that the smoke run keeps testing everything else; once fixed
 * it is a corpus seed too.
 */
/* ---- fuzz_restore (fuzz_restore.c: h0 h1 m, then edits) ---- */

static void r_hdr(struct buf *b, uint8_t h0, uint8_t h1, uint8_t m)
{
    b->n = 0;
    u8(b, h0);
    u8(b, h1);
    u8(b, m);
}

static void gen_restore(void)
{
    static const struct {
        const char *name;
        uint8_t h0, h1, m;
    } saved[] = {
        { "saved-linux", 0x80, 0x20, 0x02 },
        { "saved-smmuen-off", 0x80, 0x20, 0x00 },
        { "saved-cmdq-error", 0x80, 0x20, 0x06 },
        { "saved-cfgi-all-steps", 0x81, 0x20, 0x0a },
        { "saved-sync-msi-steps", 0x41, 0x00, 0x1a },
        { "saved-two-smmus", 0x00, 0x00, 0x02 },
        { "saved-virtual-only", 0xc0, 0x00, 0x02 },
        { "saved-install-fails", 0x80, 0x21, 0x02 },
    };
    struct buf b;
    unsigned int i;

    for ( i = 0; i < sizeof(saved) / sizeof(saved[0]); i++ )
    {
        r_hdr(&b, saved[i].h0, saved[i].h1, saved[i].m);
        save("fuzz_restore", saved[i].name, &b);
    }

    /* A register (CR0, CORE word 8) rewritten. */
    r_hdr(&b, 0x80, 0x20, 0x02);
    u8(&b, 6);
    u8(&b, 8);
    u32(&b, 0x1234);
    save("fuzz_restore", "edit-cr0", &b);
    /* Sections appended: skippable, then required. */
    r_hdr(&b, 0x80, 0x20, 0x02);
    u8(&b, 4);
    u8(&b, 1);
    u8(&b, 0x55);
    u8(&b, 1);
    u64(&b, 0x0123456789abcdefULL);
    save("fuzz_restore", "append-skippable", &b);
    r_hdr(&b, 0x80, 0x20, 0x02);
    u8(&b, 4);
    u8(&b, 1);
    u8(&b, 0x56);
    u8(&b, 0);
    u64(&b, 0);
    save("fuzz_restore", "append-required", &b);
    /* Truncated, then the header's length fixed up. */
    r_hdr(&b, 0x80, 0x20, 0x02);
    u8(&b, 3);
    u16(&b, 100);
    u8(&b, 5);
    save("fuzz_restore", "truncate-fixed", &b);
    /* A stream's pSID changed. */
    r_hdr(&b, 0x80, 0x20, 0x02);
    u8(&b, 7);
    u8(&b, 0);
    u8(&b, 4);
    u32(&b, 0x99);
    save("fuzz_restore", "stream-psid", &b);
    /* Raw: a header and an empty CORE, as bytes. */
    r_hdr(&b, 0x80, 0x20, 0x01);
    u32(&b, 0x334D5356);
    u16(&b, 1);
    u16(&b, 16);
    u32(&b, 16 + 8 + 136);
    u32(&b, 0);
    u16(&b, 1);
    u16(&b, 0);
    u32(&b, 136);
    for ( i = 0; i < 136; i++ )
        u8(&b, 0);
    save("fuzz_restore", "raw-core-only", &b);
}

static void gen_repro(void)
{
    struct buf b;

    /*
     * CMDQ_CONS written while the queue is off, then CMDQ_BASE.LOG2SIZE
     * decreased: CONS must read as the truncation of the old value (bits
     * above the wrap flag RAZ, IHI 0070 6.3.28), the model returns them.
     */
    hdr2(&b, 0, 0);
    m_addr(&b, 1, 0, 0, 8);
    m_wreg(&b, DABT_WORD, SMMU_CMDQ_CONS, 0x1f0);
    m_addr(&b, 1, 0, 0, 7);
    m_rreg(&b, DABT_WORD, SMMU_CMDQ_CONS);
    save_in("repro", "fuzz_mmio", "cmdq-cons-after-shrink", &b);
    save("fuzz_mmio", "cmdq-cons-after-shrink", &b);

    /*
     * F_WALK_EABT with S2=1, an external abort walking Xen's stage-2
     * tables, is forwarded to the guest (with S2 cleared) although
     * stage-2 events are Xen's (S6.1).
     */
    hdr2(&b, 0, 0);
    phys_evt(&b, M_PHYS_EVENT, 0, 0, SMMU_EVT_F_WALK_EABT, 0x01, 0x1000,
             0x40005000);
    save_in("repro", "fuzz_mmio", "walk-eabt-s2-forwarded", &b);
    save("fuzz_mmio", "walk-eabt-s2-forwarded", &b);

    /*
     * Hardening (needs FUZZ_GUEST_AFTER_RELINQUISH=1: Xen pauses a domain
     * before relinquishing, so no vCPU traps afterwards): a CR0 write after
     * vsmmuv3_relinquish() installs the guest's stage 1 again.
     */
    hdr2(&b, 0, 0);
    m_reset(&b, false, true, SIZES(0, 4, 0));
    m_s1(&b, S0, 0);
    m_simple(&b, M_RELINQUISH, 0);
    m_wreg(&b, DABT_WORD, SMMU_CR0, 0);
    m_wreg(&b, DABT_WORD, SMMU_CR0, SMMU_CR0_SMMUEN | SMMU_CR0_EVENTQEN |
                                    SMMU_CR0_CMDQEN);
    save_in("repro", "fuzz_mmio", "install-after-relinquish", &b);

    /*
     * A CMD_SYNC whose recovery from a physical failure was refused by the
     * queue (the end-of-step hand-over, the SMMU's queue refusing only in
     * that step) completes in the next step, MSI written, although none of
     * the 80 TLBIs before it nor the recovery reached the SMMU (S4.6).
     */
    failure_recovery(&b, true);
    save_in("repro", "fuzz_mmio", "recovery-refused-then-sync", &b);

    /*
     * The same with a queue that refuses for good (found by a long run of
     * fuzz_guest_ram, minimised): SMMU 1 refuses its queue, SMMU 0 fails
     * its syncs; two Linux resets; SMMU 0 recovers.  With the least
     * step_work, the CMD_SYNC of Linux's reset queues the recovery
     * (TLBI_NH_ALL for both SMMUs) and has no room left for its syncs: the
     * end of the step hands the recovery over, SMMU 1 refuses it, and the
     * next step syncs both SMMUs and signals the CMD_SYNC.
     */
    hdr4(&b, 1, 0, H2(1, 2, 0, 0, 1), H3(0, 0, 0, 0));
    u8(&b, FZ_OP(G_FAIL, 1));
    u8(&b, FZ_FAIL_INSTALL | FZ_FAIL_QUEUE);
    u8(&b, FZ_OP(G_FAIL, 0));
    u8(&b, FZ_FAIL_INSTALL | FZ_FAIL_ABORT | FZ_FAIL_SYNC);
    g_simple(&b, G_CONTROL, 7);
    g_simple(&b, G_CONTROL, 7);
    u8(&b, FZ_OP(G_FAIL, 0));
    u8(&b, 0);
    save_in("repro", "fuzz_guest_ram", "recovery-refused-persistent", &b);

    /*
     * fuzz_restore: a record with a sweep in progress and a VCPU_WORK
     * section naming no vCPU: the restored vSMMU had work and no vCPU to
     * do it (S8.8).
     */
    r_hdr(&b, 0x80, 0x20, 0x02);
    u8(&b, 6);                  /* R_FIELD: CORE 0x80-0x83 */
    u8(&b, 0x80 / 4);
    u32(&b, 0x00010000);        /* sweep_active = 1 */
    u8(&b, 4);                  /* R_APPEND: VCPU_WORK, skippable */
    u8(&b, 2);
    u8(&b, 4);
    u8(&b, 1);
    u64(&b, 4);                 /* four vCPUs */
    u64(&b, 0);                 /* none of them */
    save_in("repro", "fuzz_restore", "vcpu-work-names-none", &b);
    save("fuzz_restore", "vcpu-work-names-none", &b);
}

int main(int argc, char **argv)
{
    if ( argc != 2 )
    {
        fprintf(stderr, "usage: %s FUZZ-DIR\n", argv[0]);
        return 2;
    }
    outdir = argv[1];
    gen_mmio();
    gen_guest_ram();
    gen_restore();
    gen_repro();
    return 0;
}
