/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz_restore: records given to vsmmuv3_restore() (S9.1, S9.3), into the
 * vSMMU of fuzz_mmio's domain (five streams on checking physical SMMUs).
 *
 * Input:
 *   h0 h1  the vSMMU's configuration (fuzz-ops.h, fz_config_decode())
 *   m      bit 0: the rest of the input is the record, as it is;
 *          else the guest first runs Linux's reset (SMMUEN if bit 1) and,
 *          per bits 2-4, leaves a CMDQ error unacknowledged (2), a
 *          CFGI_ALL spanning steps (3), a sync in progress with the MSI
 *          address of a command (4); the vSMMU is saved, and the rest of
 *          the input edits that record, R_* operations below, before it
 *          is restored.
 *
 * Every restore is checked (fz_restore()): a refused record changed
 * nothing at all; an accepted one leaves a state that holds every
 * invariant, which is saved and restored again to the same record (a
 * fixpoint), and then runs to completion with Linux's handlers, each step
 * checked as in fuzz_mmio.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "fuzz-ops.h"

#define REC_MAX         4096

/* Edits of the saved record: u8 op (kind low 3 bits), then operands. */
enum {
    R_XOR8 = 0,         /* u16 offset, u8 value XORed in */
    R_SET32,            /* u16 offset, u32 value */
    R_SET64,            /* u16 offset, u64 value */
    R_TRUNCATE,         /* u16 new length (at most the length) */
    R_APPEND,           /* u8 type, u8 flags, u8 payload words (u64 each);
                           the header's length follows */
    R_FIX_LENGTH,       /* the header's length := the record's */
    R_FIELD,            /* u8 field (CORE offset / 4), u32 value */
    R_STREAM,           /* u8 entry, u8 word, u32 value */
};

static void put32(uint8_t *p, uint32_t v)
{
    unsigned int i;

    for ( i = 0; i < 4; i++ )
        p[i] = v >> (8 * i);
}

/* The payload of the first section of @type, or NULL. */
static uint8_t *find_section(uint8_t *rec, size_t len, unsigned int type)
{
    size_t off = VSMMUV3_REC_HDR_SIZE;

    while ( off + VSMMUV3_SEC_HDR_SIZE <= len )
    {
        uint32_t l = rec[off + 4] | rec[off + 5] << 8 | rec[off + 6] << 16 |
                     (uint32_t)rec[off + 7] << 24;

        if ( (unsigned int)(rec[off] | rec[off + 1] << 8) == type )
            return off + VSMMUV3_SEC_HDR_SIZE + l <= len
                   ? rec + off + VSMMUV3_SEC_HDR_SIZE : NULL;
        off += VSMMUV3_SEC_HDR_SIZE + (size_t)l;
    }
    return NULL;
}

static void edit(uint8_t *rec, size_t *len, struct fz_in *in)
{
    uint8_t op = fz_u8(in), *p;
    unsigned int off, n, i;
    uint64_t v;

    switch ( op & 7 )
    {
    case R_XOR8:
        off = fz_u16(in);
        v = fz_u8(in);
        if ( off < *len )
            rec[off] ^= v;
        break;
    case R_SET32:
        off = fz_u16(in);
        v = fz_u32(in);
        if ( off + 4 <= *len )
            put32(rec + off, v);
        break;
    case R_SET64:
        off = fz_u16(in);
        v = fz_u64(in);
        if ( off + 8 <= *len )
        {
            put32(rec + off, v);
            put32(rec + off + 4, v >> 32);
        }
        break;
    case R_TRUNCATE:
        n = fz_u16(in);
        if ( n < *len )
            *len = n;
        break;
    case R_APPEND:
        p = rec + *len;
        n = VSMMUV3_SEC_HDR_SIZE + 8 * (fz_u8(in) & 0xf);
        if ( *len + n + 3 > REC_MAX )
            break;
        memset(p, 0, n);
        p[0] = fz_u8(in);
        p[2] = fz_u8(in) & 3;
        put32(p + 4, n - VSMMUV3_SEC_HDR_SIZE);
        for ( i = VSMMUV3_SEC_HDR_SIZE; i < n; i++ )
            p[i] = fz_u8(in);
        *len += n;
        put32(rec + 8, *len);
        break;
    case R_FIX_LENGTH:
        if ( *len >= 12 )
            put32(rec + 8, *len);
        break;
    case R_FIELD:
        off = (fz_u8(in) % 34) * 4;
        v = fz_u32(in);
        p = find_section(rec, *len, VSMMUV3_SEC_CORE);
        if ( p && off + 4 <= 136 )
            put32(p + off, v);
        break;
    default:
        n = fz_u8(in);
        off = (fz_u8(in) % 6) * 4;
        v = fz_u32(in);
        p = find_section(rec, *len, VSMMUV3_SEC_STREAMS);
        if ( p && p + 8 + (n % 8) * VSMMUV3_REC_STREAM_SIZE + off + 4 <=
                  rec + *len )
            put32(p + 8 + (n % 8) * VSMMUV3_REC_STREAM_SIZE + off, v);
        break;
    }
}

/* Linux's set-up, and some work it has not finished. */
static void prepare(struct fz_env *e, struct fz_guest *g, uint8_t m)
{
    *g = (struct fz_guest){
        .e = e,
        .cmdq = FZ_RAM0_BASE,
        .cmdq_log2 = min(7U, e->cfg.cmdqs),
        .evtq = FZ_RAM0_BASE + 0x4000,
        .evtq_log2 = min(3U, e->cfg.eventqs),
        .strtab = FZ_RAM0_BASE + 0xc000,
        .strtab_cfg = 9,
        .irq_ctrl = SMMU_IRQ_CTRL_GERROR_IRQEN | SMMU_IRQ_CTRL_EVENTQ_IRQEN,
    };
    fz_linux_reset(g, m & 2);
    if ( m & 4 )
    {
        /* An illegal command, not acknowledged, and one behind it. */
        fz_guest_cmd(g, MASK_INSR(0x7f, SMMU_CMD_OPCODE), 0);
        fz_guest_cmd(g, MASK_INSR(SMMU_OP_CMD_SYNC, SMMU_CMD_OPCODE),
                     0);
        fz_guest_publish(g);
    }
    else if ( m & 8 )
    {
        /* CFGI_ALL and a sync: with a small step_work, it spans steps. */
        fz_guest_cmd(g, MASK_INSR(SMMU_OP_CFGI_STE_RANGE, SMMU_CMD_OPCODE),
                     MASK_INSR(SMMU_CFGI_RANGE_ALL, SMMU_CMD1_CFGI_RANGE));
        fz_guest_cmd(g, MASK_INSR(SMMU_OP_CMD_SYNC, SMMU_CMD_OPCODE) |
                        MASK_INSR((m & 0x10) ? SMMU_SYNC_CS_IRQ : 0,
                                  SMMU_CMD0_SYNC_CS),
                     g->cmdq);
        fz_guest_publish(g);
    }
}

/* Save @e's vSMMU into @buf; its length. */
static size_t save(struct fz_env *e, uint8_t *buf, size_t max)
{
    size_t w = 0;
    int rc = vsmmuv3_save(e->vs, buf, max, &w);

    FZ_CHECK(!rc && w == vsmmuv3_record_size(e->vs) && w <= max,
             "save: %d, %zu bytes", rc, w);
    return w;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t rec[REC_MAX + 64], rec2[REC_MAX], rec3[REC_MAX];
    struct fz_in in = { .p = data, .n = size };
    struct fz_config c;
    struct fz_env *e;
    struct fz_guest g;
    uint8_t h0 = fz_u8(&in), h1 = fz_u8(&in), m = fz_u8(&in);
    unsigned int aborted, ops = 0;
    size_t len, len2, len3;
    int rc;

    fz_config_decode(&c, h0, h1);
    e = fz_env_create(&c);
    if ( m & 1 )
    {
        len = min(in.n, (size_t)REC_MAX);
        memcpy(rec, in.p, len);
    }
    else
    {
        prepare(e, &g, m);
        len = save(e, rec, REC_MAX);
        while ( fz_more(&in) && ops++ < 64 )
            edit(rec, &len, &in);
    }

    rc = fz_restore(e, rec, len, &aborted);
    if ( !rc )
    {
        /* A fixpoint: what was restored saves and restores the same. */
        len2 = save(e, rec2, sizeof(rec2));
        FZ_CHECK(!fz_restore(e, rec2, len2, &aborted),
                 "S9.1: a record saved from a restored state is refused");
        len3 = save(e, rec3, sizeof(rec3));
        FZ_CHECK(len3 == len2 && !memcmp(rec2, rec3, len2),
                 "S9.1: save, restore, save: the records differ");
        /* The guest carries on; every step is checked. */
        fz_drain(e);
        memset(&g, 0, sizeof(g));
        g.e = e;
        g.cmdq = vsmmuv3_q_addr(&e->vs->cmdq);
        g.cmdq_log2 = vsmmuv3_q_log2(&e->vs->cmdq);
        g.prod = e->vs->cmdq.prod;
        if ( (e->vs->gerror ^ e->vs->gerrorn) & SMMU_GERROR_CMDQ_ERR )
            fz_guest_gerror(&g);
        fz_drain(e);
    }
    fz_env_destroy(e);
    return 0;
}
