/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz_guest_ram: the contents of guest RAM (commands, STEs, L1
 * descriptors, CDs) come from the input.  A Linux-like driver sets the
 * vSMMU up (SPEC-NOTES S7.2) with a linear or a 2-level stream table as the
 * header says, then the input fills the command queue, the stream table,
 * the L1 table, the level-2 tables and the CDs, publishes PROD (possibly
 * beyond the queue) from any vCPU, makes the continuation steps of the
 * vCPUs with work in the order it says, acknowledges errors through
 * GERRORN as Linux does and consumes events.  Every step is checked
 * (fuzz-common.c).
 *
 * Header after h0/h1 (fuzz-ops.h):
 *   h2  bits 0-1 CMDQ log2 {7, 8, 10, 0}; 2-3 EVTQ log2 {1, 3, 5, 10};
 *       bit 4 2-level table; bits 5-6 SPLIT {8, 6, 10, 7 (reserved)};
 *       bit 7 attached streams start as S1 translate (else abort)
 *   h3  bits 0-2 LOG2SIZE {9, 16, 10, 6, 0, 8, 2, 20}; bits 3-5 placement
 *       (0-3 normal; 4 CMDQ runs into the hole; 5 EVTQ at the end of a
 *       bank; 6 stream table at the hole; 7 everything in the small bank);
 *       bit 6 SMMUEN stays 0 after reset; bit 7 interrupts disabled
 */
#include <stdio.h>

#include "fuzz.h"
#include "fuzz-ops.h"

#define GR_CMDQ     (FZ_RAM0_BASE + 0x0)
#define GR_EVTQ     (FZ_RAM0_BASE + 0x4000)
#define GR_STRTAB   (FZ_RAM0_BASE + 0xc000)
#define GR_L2       (FZ_RAM0_BASE + 0x14000)
#define GR_L2_SIZE  0xc000
#define GR_CD       (FZ_RAM0_BASE + 0x21000)
#define GR_CD_SLOTS 64
#define GR_TTB      (FZ_RAM0_BASE + 0x30000)

struct gr {
    struct fz_env *e;
    struct fz_guest g;
    unsigned int split;
    bool two_level;
    bool dead;
};

static unsigned int l1_entries(const struct gr *r)
{
    unsigned int log2 = r->g.strtab_cfg & SMMU_STRTAB_BASE_CFG_LOG2SIZE;

    return log2 > r->split ? 1U << min(log2 - r->split, 16U) : 1;
}

/* The guest's own walk of its stream table, as it wrote it. */
static paddr_t ste_addr(struct gr *r, uint32_t vsid)
{
    uint64_t l1;

    if ( !r->two_level )
        return r->g.strtab + (paddr_t)vsid * SMMU_STE_SIZE;
    fz_ram_read(r->e, r->g.strtab + (paddr_t)(vsid >> r->split) *
                                    SMMU_L1STD_SIZE, &l1, sizeof(l1));
    return (l1 & SMMU_L1STD_L2PTR) +
           (paddr_t)(vsid & ((1U << r->split) - 1)) * SMMU_STE_SIZE;
}

static paddr_t cd_addr(unsigned int slot)
{
    return GR_CD + (paddr_t)(slot % GR_CD_SLOTS) * SMMU_CD_SIZE;
}

/* A CD as Linux writes it (the model only checks it is guest RAM). */
static void write_cd(struct gr *r, unsigned int slot, uint16_t asid)
{
    uint64_t cd[SMMU_CD_DWORDS] = {
        MASK_INSR(16, SMMU_CD0_T0SZ) |
        MASK_INSR(SMMU_CD_TG0_4K, SMMU_CD0_TG0) |
        MASK_INSR(1, SMMU_CD0_IRGN0) |
        MASK_INSR(1, SMMU_CD0_ORGN0) |
        MASK_INSR(3, SMMU_CD0_SH0) | SMMU_CD0_EPD1 | SMMU_CD0_V |
        MASK_INSR(2, SMMU_CD0_IPS) | SMMU_CD0_AA64 | SMMU_CD0_R |
        SMMU_CD0_A | SMMU_CD0_ASET | MASK_INSR(asid, SMMU_CD0_ASID),
        GR_TTB + (paddr_t)(slot % 8) * PAGE_SIZE,
        0, 0xff04, 0, 0, 0, 0,
    };

    fz_ram_write(r->e, cd_addr(slot), cd, sizeof(cd));
}

static void write_ste(struct gr *r, uint32_t vsid, uint64_t w0, uint64_t w1)
{
    uint64_t ste[SMMU_STE_DWORDS] = { w0, w1 };

    fz_ram_write(r->e, ste_addr(r, vsid), ste, sizeof(ste));
}

static uint64_t linux_ste1(void)
{
    return MASK_INSR(2, SMMU_STE1_S1DSS) |
           MASK_INSR(1, SMMU_STE1_S1CIR) |
           MASK_INSR(1, SMMU_STE1_S1COR) |
           MASK_INSR(3, SMMU_STE1_S1CSH);
}

static uint64_t linux_s1_ste0(paddr_t cd)
{
    return SMMU_STE0_V |
           MASK_INSR(SMMU_STE_CONFIG_S1_TRANS, SMMU_STE0_CONFIG) | cd;
}

/* Lay out the tables as Linux would, before the reset. */
static void setup(struct gr *r, uint8_t h2, uint8_t h3)
{
    static const unsigned int cmdq_log2[] = { 7, 8, 10, 0 };
    static const unsigned int evtq_log2[] = { 1, 3, 5, 10 };
    static const unsigned int splits[] = { 8, 6, 10, 7 };
    static const unsigned int log2sizes[] = { 9, 16, 10, 6, 0, 8, 2, 20 };
    struct fz_env *e = r->e;
    paddr_t l1_used[FZ_MAX_STREAMS];
    unsigned int i, j, nr_l1 = 0;
    bool s1 = h2 & 0x80;

    r->two_level = h2 & 0x10;
    r->split = splits[(h2 >> 5) & 3];
    r->g = (struct fz_guest){
        .e = e,
        .cmdq = GR_CMDQ,
        .cmdq_log2 = min(cmdq_log2[h2 & 3], e->cfg.cmdqs),
        .evtq = GR_EVTQ,
        .evtq_log2 = min(evtq_log2[(h2 >> 2) & 3], e->cfg.eventqs),
        .strtab = GR_STRTAB,
        .strtab_cfg = MASK_INSR(r->two_level, SMMU_STRTAB_BASE_CFG_FMT) |
                      MASK_INSR(r->split, SMMU_STRTAB_BASE_CFG_SPLIT) |
                      min(log2sizes[h3 & 7], (unsigned int)VSMMUV3_SIDSIZE),
        .irq_ctrl = (h3 & 0x80) ? 0 : SMMU_IRQ_CTRL_GERROR_IRQEN |
                                      SMMU_IRQ_CTRL_EVENTQ_IRQEN,
    };
    switch ( (h3 >> 3) & 7 )
    {
    case 4:
        r->g.cmdq = FZ_HOLE - 0x100;
        break;
    case 5:
        r->g.evtq = FZ_RAM1_BASE + FZ_RAM1_SIZE - 2 * SMMU_EVT_SIZE;
        break;
    case 6:
        r->g.strtab = FZ_HOLE - 0x400;
        break;
    case 7:
        r->g.cmdq = FZ_RAM1_BASE;
        r->g.evtq = FZ_RAM1_BASE + 0x1000;
        r->g.strtab = FZ_RAM1_BASE + 0x2000;
        break;
    default:
        break;
    }

    for ( i = 0; i < e->nr_streams; i++ )
    {
        uint32_t vsid = e->streams[i].vsid;

        if ( r->two_level )
        {
            paddr_t l1 = vsid >> r->split;
            uint64_t desc;

            for ( j = 0; j < nr_l1 && l1_used[j] != l1; j++ )
                ;
            if ( j == nr_l1 )
            {
                l1_used[nr_l1++] = l1;
                /* One level-2 table per slot of 16 KiB, as SPLIT 8 has. */
                desc = (GR_L2 + (paddr_t)(j % 3) * 0x4000) |
                       MASK_INSR(r->split + 1, SMMU_L1STD_SPAN);
                fz_ram_write(e, r->g.strtab + l1 * SMMU_L1STD_SIZE, &desc,
                             sizeof(desc));
            }
        }
        write_cd(r, i, i + 1);
        if ( s1 )
            write_ste(r, vsid, linux_s1_ste0(cd_addr(i)), linux_ste1());
        else
            write_ste(r, vsid, SMMU_STE0_V, 0);
    }
}

static void cmd(struct gr *r, unsigned int op, uint64_t c0, uint64_t c1)
{
    fz_guest_cmd(&r->g, c0 | MASK_INSR(op, SMMU_CMD_OPCODE), c1);
}

/* Queue a CMD_SYNC and wait for it as Linux does (S7.5). */
static void sync_wait(struct gr *r)
{
    fz_guest_sync(&r->g);
}

/* S7.3: attach a device: CD in two steps, STE in two, prefetch, TLBI. */
static void attach(struct gr *r, uint32_t vsid, uint16_t asid)
{
    unsigned int slot = vsid % GR_CD_SLOTS;
    uint64_t sid = MASK_INSR(vsid, SMMU_CMD0_SID);
    uint64_t cd[SMMU_CD_DWORDS];

    write_cd(r, slot, asid);
    fz_ram_read(r->e, cd_addr(slot), cd, sizeof(cd));
    cd[0] &= ~SMMU_CD0_V;
    fz_ram_write(r->e, cd_addr(slot), cd, sizeof(cd));
    cmd(r, SMMU_OP_CFGI_CD, sid, SMMU_CMD1_LEAF);
    sync_wait(r);
    cd[0] |= SMMU_CD0_V;
    fz_ram_write(r->e, cd_addr(slot), cd, sizeof(cd));
    cmd(r, SMMU_OP_CFGI_CD, sid, SMMU_CMD1_LEAF);
    sync_wait(r);

    write_ste(r, vsid, SMMU_STE0_V, linux_ste1());
    cmd(r, SMMU_OP_CFGI_STE, sid, SMMU_CMD1_LEAF);
    sync_wait(r);
    write_ste(r, vsid, linux_s1_ste0(cd_addr(slot)), linux_ste1());
    cmd(r, SMMU_OP_CFGI_STE, sid, SMMU_CMD1_LEAF);
    sync_wait(r);
    cmd(r, SMMU_OP_PREFETCH_CONFIG, sid, 0);
    cmd(r, SMMU_OP_TLBI_NH_ASID, MASK_INSR(asid, SMMU_CMD0_TLBI_ASID),
        0);
    sync_wait(r);
}

/* S7.3: unmap: TLBI_NH_VA commands (range forms with RIL), then a sync. */
static void unmap(struct gr *r, struct fz_in *in, unsigned int n)
{
    uint16_t asid = fz_u16(in);
    unsigned int i;

    for ( i = 0; i < n; i++ )
    {
        uint64_t va = fz_u64(in);
        uint8_t range = fz_u8(in);
        uint64_t c0 = MASK_INSR(asid, SMMU_CMD0_TLBI_ASID);
        uint64_t c1 = (va & SMMU_CMD1_TLBI_ADDR) | SMMU_CMD1_TLBI_LEAF;

        if ( range & 0x80 )
        {
            c0 |= MASK_INSR(range & 0x1f, SMMU_CMD0_TLBI_NUM) |
                  MASK_INSR((range >> 5) & 3, SMMU_CMD0_TLBI_SCALE);
            c1 |= MASK_INSR(1 + ((range >> 5) & 1), SMMU_CMD1_TLBI_TG) |
                  MASK_INSR(3, SMMU_CMD1_TLBI_TTL);
        }
        cmd(r, range & 0x40 ? SMMU_OP_TLBI_NH_VAA : SMMU_OP_TLBI_NH_VA,
            range & 0x40 ? c0 & ~SMMU_CMD0_TLBI_ASID : c0, c1);
    }
    sync_wait(r);
}

static void fill(struct gr *r, struct fz_in *in, unsigned int region)
{
    uint8_t buf[128];
    uint16_t off = fz_u16(in);
    unsigned int len = (fz_u8(in) % sizeof(buf)) + 1;
    paddr_t base;
    uint64_t size;

    switch ( region )
    {
    case R_CMDQ:
        base = r->g.cmdq;
        size = (uint64_t)SMMU_CMD_SIZE << r->g.cmdq_log2;
        break;
    case R_EVTQ:
        base = r->g.evtq;
        size = (uint64_t)SMMU_EVT_SIZE << r->g.evtq_log2;
        break;
    case R_STRTAB:
        base = r->g.strtab;
        size = 0x8000;
        break;
    case R_L2:
        base = GR_L2;
        size = GR_L2_SIZE;
        break;
    case R_CD:
        base = GR_CD;
        size = GR_CD_SLOTS * SMMU_CD_SIZE;
        break;
    case R_RAM1:
        base = FZ_RAM1_BASE;
        size = FZ_RAM1_SIZE;
        break;
    case R_RAM0:
        base = FZ_RAM0_BASE;
        size = FZ_RAM0_SIZE;
        break;
    default:    /* R_AT_PROD: the next commands the guest will publish */
        base = r->g.cmdq + (paddr_t)(r->g.prod & ((1U << r->g.cmdq_log2) - 1)) *
                           SMMU_CMD_SIZE;
        size = len;
        break;
    }
    fz_bytes(in, buf, len);
    fz_ram_write(r->e, base + off % size, buf, len);
}

static void control(struct gr *r, unsigned int arg)
{
    struct fz_env *e = r->e;
    uint32_t cr0 = fz_read(e, SMMU_CR0, DABT_WORD);

    switch ( arg )
    {
    case 0:
        fz_write(e, SMMU_CR0, DABT_WORD, cr0 & ~SMMU_CR0_SMMUEN);
        break;
    case 1:
        fz_write(e, SMMU_CR0, DABT_WORD, cr0 | SMMU_CR0_SMMUEN);
        break;
    case 2:
        fz_write(e, SMMU_GBPA, DABT_WORD, SMMU_GBPA_UPDATE | SMMU_GBPA_ABORT);
        break;
    case 3:
        fz_write(e, SMMU_GBPA, DABT_WORD, SMMU_GBPA_UPDATE);
        break;
    case 4:
        fz_write(e, SMMU_CR0, DABT_WORD, cr0 & ~SMMU_CR0_EVENTQEN);
        break;
    case 5:
        fz_write(e, SMMU_CR0, DABT_WORD, cr0 | SMMU_CR0_EVENTQEN);
        break;
    case 6:
        fz_write(e, SMMU_CR0, DABT_WORD, cr0 & ~SMMU_CR0_CMDQEN);
        fz_write(e, SMMU_CR0, DABT_WORD, cr0 | SMMU_CR0_CMDQEN);
        break;
    default:
        fz_linux_reset(&r->g, true);
        break;
    }
}

static void service(struct gr *r, unsigned int arg)
{
    fz_continue_op(r->e, arg);
    fz_guest_gerror(&r->g);
    fz_guest_events(&r->g, true);
}

static void run(struct gr *r, struct fz_in *in)
{
    struct fz_env *e = r->e;
    unsigned int ops = 0;

    while ( fz_more(in) && ops++ < 2048 )
    {
        uint8_t op = fz_u8(in);
        unsigned int kind = FZ_OP_KIND(op), arg = FZ_OP_ARG(op), i;
        uint64_t c[2], w0, w1, v;
        uint32_t vsid;
        uint8_t b, sel;

        /*
         * After the domain died only Xen's own work goes on: the rest of
         * relinquish, physical SMMUs failing and reporting faults.  (No
         * vCPU returns to the guest then; a continuation step must do
         * nothing.)
         */
        if ( r->dead && kind != G_CONTINUE && kind != G_CLOCK &&
             kind != G_PHYS_EVENT && kind != G_RELINQUISH && kind != G_FAIL )
            continue;

        switch ( kind )
        {
        case G_CMDS_RAW:
            for ( i = 0; i <= arg; i++ )
            {
                w0 = fz_u64(in);
                w1 = fz_u64(in);
                fz_guest_cmd(&r->g, w0, w1);
            }
            break;

        case G_CMD:
            b = fz_u8(in);
            vsid = fz_vsid(e, in);
            w0 = fz_u64(in);
            w1 = fz_u64(in);
            fz_build_cmd(b, vsid, w0, w1, c);
            fz_guest_cmd(&r->g, c[0], c[1]);
            if ( arg & 2 )
                cmd(r, SMMU_OP_CMD_SYNC, 0, 0);
            if ( arg & 1 )
                fz_guest_publish(&r->g);
            break;

        case G_STE:
        {
            uint8_t cfg;
            uint16_t off;
            paddr_t ctx;

            vsid = fz_vsid(e, in);
            cfg = fz_u8(in);
            sel = fz_u8(in);
            off = fz_u16(in);
            w1 = fz_u64(in);
            ctx = (sel & 7) < 3 ? cd_addr(off) : fz_addr(sel, off * 64);
            write_ste(r, vsid, fz_ste_w0(cfg, ctx), w1);
            if ( arg & 1 )
            {
                cmd(r, SMMU_OP_CFGI_STE, MASK_INSR(vsid, SMMU_CMD0_SID),
                    SMMU_CMD1_LEAF);
                sync_wait(r);
            }
            break;
        }

        case G_L1:
        {
            uint16_t idx = fz_u16(in);

            if ( arg & 1 )
                v = fz_u64(in);
            else
            {
                uint32_t off;
                uint8_t span;

                sel = fz_u8(in);
                off = fz_u32(in);
                span = fz_u8(in);
                v = ((sel & 7) < 3 ? GR_L2 + off % GR_L2_SIZE
                                   : fz_addr(sel, off)) & SMMU_L1STD_L2PTR;
                v |= span & 0x1f;
            }
            if ( !(arg & 2) )
                idx %= l1_entries(r);
            fz_ram_write(e, r->g.strtab + (paddr_t)idx * SMMU_L1STD_SIZE, &v,
                         sizeof(v));
            break;
        }

        case G_FILL:
            fill(r, in, arg);
            break;

        case G_PUBLISH:
        {
            uint32_t wm = (2U << r->g.cmdq_log2) - 1;

            if ( arg == 0 )
                v = r->g.prod;
            else if ( arg <= 5 )
                v = (r->g.prod + fz_u8(in)) & wm;
            else if ( arg == 6 )
                v = fz_u32(in);
            else
                v = r->g.prod ^ (1U << r->g.cmdq_log2);
            fz_write(e, SMMU_CMDQ_PROD, DABT_WORD, v);
            break;
        }

        case G_SERVICE:
            service(r, arg);
            break;

        case G_GERROR:
            fz_guest_gerror(&r->g);
            break;

        case G_EVENTS:
            fz_guest_events(&r->g, !(arg & 1));
            break;

        case G_POLL:
            for ( i = 0; i <= arg; i++ )
                fz_read(e, SMMU_CMDQ_CONS, DABT_WORD);
            break;

        case G_CONTINUE:
            fz_continue_op(e, arg);
            break;

        case G_VCPU:
            fz_set_vcpu(e, arg);
            break;

        case G_RELEASE:
            fz_release_op(e, in);
            break;

        case G_CMDS:
            fz_guest_cmds(&r->g, in, arg);
            break;

        case G_CONTROL:
            control(r, arg);
            break;

        case G_FAIL:
            b = fz_u8(in);
            fz_set_fail(e, arg & 1, b & 0xf);
            break;

        case G_CLOCK:
            fz_clock(e, fz_clock_steps[arg]);
            break;

        case G_IRQ_CTRL:
            fz_write(e, SMMU_IRQ_CTRL, DABT_WORD, arg);
            break;

        case G_ATTACH:
        {
            uint16_t asid;

            vsid = fz_vsid(e, in);
            asid = fz_u16(in);
            attach(r, vsid, asid);
            break;
        }

        case G_UNMAP:
            unmap(r, in, arg * 8 + 1);
            break;

        case G_RELINQUISH:
            fz_relinquish_op(e, arg);
            r->dead = true;
            break;

        case G_MSI:
        {
            /* Linux's order: interrupts off, targets, interrupts on. */
            uint32_t cfg0 = arg & 1 ? SMMU_EVENTQ_IRQ_CFG0
                                    : SMMU_GERROR_IRQ_CFG0;
            uint32_t off, data;

            sel = fz_u8(in);
            off = fz_u32(in);
            data = fz_u32(in);
            fz_write(e, SMMU_IRQ_CTRL, DABT_WORD, 0);
            fz_write(e, cfg0, DABT_DOUBLE_WORD,
                     arg & 2 ? 0 : fz_addr(sel, off) & ~3ULL);
            fz_write(e, cfg0 + 8, DABT_WORD, data);
            fz_write(e, SMMU_IRQ_CTRL, DABT_WORD, r->g.irq_ctrl);
            break;
        }

        case G_PHYS_EVENT:
            fz_phys_events_op(e, in, fz_event_counts[arg]);
            break;

        case G_SYNC_MODE:
            r->g.msi_poll = arg & 1;
            break;

        default:
            /* Reserved for new operations. */
            break;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_in in = { .p = data, .n = size };
    struct fz_config c;
    struct gr r = { 0 };
    uint8_t h[4];

    fz_bytes(&in, h, sizeof(h));
    fz_config_decode(&c, h[0], h[1]);
    r.e = fz_env_create(&c);
    setup(&r, h[2], h[3]);
    /* S7.1: Linux polls CMD_SYNCs in memory when the SMMU has MSIs. */
    r.g.msi_poll = fz_read(r.e, SMMU_IDR0, DABT_WORD) & SMMU_IDR0_MSI;
    fz_linux_reset(&r.g, !(h[3] & 0x40));
    run(&r, &in);
    if ( !r.dead )
    {
        /* Linux keeps servicing the vSMMU. */
        service(&r, C_ALL);
        fz_drain(r.e);
    }
    fz_env_destroy(r.e);
    return 0;
}
