/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz_mmio: sequences of guest MMIO accesses to the vSMMUv3 frame, of any
 * width and at any offset in or just outside the 128 KiB frame, aligned or
 * not, with any value, from any of the domain's vCPUs, interleaved with
 * the continuation steps those vCPUs make on their way back to the guest,
 * clock steps, stores to guest RAM, Linux's handlers and the domain's
 * (preemptible) death.  The vSMMU has
 * five streams (physical on two checking SMMUs, and virtual); the guest RAM
 * has a hole and a second bank.  Every step is checked (fuzz-common.c).
 *
 * Encoding: fuzz-ops.h.  Seeds: gen-corpus.c.
 */
#include <stdio.h>

#include "fuzz.h"
#include "fuzz-ops.h"

/* What the guest driver knows about its own set-up: the registers. */
static void guest_from_regs(struct fz_env *e, struct fz_guest *g)
{
    const struct vsmmuv3 *vs = e->vs;

    *g = (struct fz_guest){
        .e = e,
        .cmdq = vsmmuv3_q_addr(&vs->cmdq),
        .cmdq_log2 = vsmmuv3_q_log2(&vs->cmdq),
        .evtq = vsmmuv3_q_addr(&vs->evtq),
        .evtq_log2 = vsmmuv3_q_log2(&vs->evtq),
        .strtab = vs->strtab_base & SMMU_STRTAB_BASE_ADDR,
        .strtab_cfg = vs->strtab_base_cfg,
        .irq_ctrl = vs->irq_ctrl,
        .prod = vs->cmdq.prod,
        .evtq_cons = vs->evtq.cons,
    };
}

static int64_t decode_offset(struct fz_in *in, unsigned int mode)
{
    uint8_t b;
    uint32_t v;

    switch ( mode )
    {
    case OFF_PAGE0_LOW:
        return fz_u8(in);
    case OFF_PAGE1_LOW:
        return SMMU_PAGE1 + 0x80 + fz_u8(in);
    case OFF_ANY:
        v = fz_u32(in);
        return (int64_t)(v % (SMMU_FRAME_SIZE + 512)) - 256;
    default:
        b = fz_u8(in);
        return fz_regs[(b & 0x3f) % FZ_NR_REGS] + (b >> 6);
    }
}

/* Where the guest would put the STE of @vsid: its own table walk. */
static paddr_t ste_addr(struct fz_env *e, uint32_t vsid)
{
    const struct vsmmuv3 *vs = e->vs;
    paddr_t base = vs->strtab_base & SMMU_STRTAB_BASE_ADDR;
    unsigned int split = MASK_EXTR(vs->strtab_base_cfg,
                                   SMMU_STRTAB_BASE_CFG_SPLIT);
    uint64_t l1;

    if ( MASK_EXTR(vs->strtab_base_cfg, SMMU_STRTAB_BASE_CFG_FMT) !=
         SMMU_STRTAB_FMT_2LVL || split > 16 )
        return base + (paddr_t)vsid * SMMU_STE_SIZE;
    fz_ram_read(e, base + (paddr_t)(vsid >> split) * SMMU_L1STD_SIZE, &l1,
                sizeof(l1));
    return (l1 & SMMU_L1STD_L2PTR) +
           (paddr_t)(vsid & ((1U << split) - 1)) * SMMU_STE_SIZE;
}

static void enqueue(struct fz_env *e, const uint64_t c[2])
{
    struct fz_guest g;

    guest_from_regs(e, &g);
    fz_guest_cmd(&g, c[0], c[1]);
}

static void publish_next(struct fz_env *e, unsigned int n)
{
    const struct vsmmuv3_queue *q = &e->vs->cmdq;

    fz_write(e, SMMU_CMDQ_PROD, DABT_WORD,
             (q->prod + n) & vsmmuv3_q_wrap_mask(q));
}

static void linux_reset(struct fz_env *e, unsigned int arg, uint8_t b)
{
    static const unsigned int log2sizes[] = { 9, 16, 6, 0 };
    struct fz_guest g = {
        .e = e,
        .cmdq = FZ_RAM0_BASE,
        .cmdq_log2 = min(7U + (b & 3), e->cfg.cmdqs),
        .evtq = FZ_RAM0_BASE + 0x4000,
        .evtq_log2 = min(1U + ((b >> 2) & 7), e->cfg.eventqs),
        .strtab = FZ_RAM0_BASE + 0xc000,
        .strtab_cfg = MASK_INSR(arg & 1, SMMU_STRTAB_BASE_CFG_FMT) |
                      MASK_INSR(8, SMMU_STRTAB_BASE_CFG_SPLIT) |
                      log2sizes[(b >> 5) & 3],
        .irq_ctrl = (b & 0x80) ? 0 : SMMU_IRQ_CTRL_GERROR_IRQEN |
                                     SMMU_IRQ_CTRL_EVENTQ_IRQEN,
        .msi_poll = arg & 4,
    };

    fz_linux_reset(&g, arg & 2);
}

static void run(struct fz_env *e, struct fz_in *in)
{
    static const uint32_t addr_regs[] = {
        SMMU_STRTAB_BASE, SMMU_CMDQ_BASE, SMMU_EVENTQ_BASE,
        SMMU_GERROR_IRQ_CFG0, SMMU_EVENTQ_IRQ_CFG0,
    };
    bool guest_after_death = getenv("FUZZ_GUEST_AFTER_RELINQUISH");
    unsigned int ops = 0;

    while ( fz_more(in) && ops++ < 4096 )
    {
        uint8_t op = fz_u8(in);
        unsigned int kind = FZ_OP_KIND(op), arg = FZ_OP_ARG(op);
        bool guest = !e->dying || guest_after_death;
        struct fz_guest g;
        uint64_t v, c[2];
        uint8_t a, b, sel;
        uint32_t off, vsid;
        int64_t o;

        switch ( kind )
        {
        case M_READ:
        case M_WRITE:
            a = fz_u8(in);
            o = decode_offset(in, (a >> 2) & 3);
            v = kind == M_WRITE ? fz_u64(in) : 0;
            if ( guest )
                fz_mmio(e, kind == M_WRITE, o, a & 3, &v);
            break;

        case M_READ_REG:
        case M_WRITE_REG:
            b = fz_u8(in);
            v = kind == M_WRITE_REG ? fz_u64(in) : 0;
            if ( guest )
                fz_mmio(e, kind == M_WRITE_REG, fz_regs[b % FZ_NR_REGS],
                        arg & 3, &v);
            break;

        case M_WRITE_ADDR:
            sel = fz_u8(in);
            off = fz_u32(in);
            b = fz_u8(in);
            v = fz_addr(sel, off);
            switch ( addr_regs[arg % 5] )
            {
            case SMMU_STRTAB_BASE:
                v = (v & ~63ULL) | (b & 1 ? SMMU_STRTAB_BASE_RA : 0);
                break;
            case SMMU_CMDQ_BASE:
            case SMMU_EVENTQ_BASE:
                v = (v & ~31ULL) | (b & 0x1f) |
                    (b & 0x80 ? SMMU_Q_BASE_RWA : 0);
                break;
            default:
                v &= ~3ULL;
                break;
            }
            if ( !guest )
                break;
            if ( arg < 5 )
                fz_mmio(e, true, addr_regs[arg], DABT_DOUBLE_WORD, &v);
            else
            {
                uint64_t lo = (uint32_t)v, hi = v >> 32;

                fz_mmio(e, true, addr_regs[arg - 5], DABT_WORD, &lo);
                fz_mmio(e, true, addr_regs[arg - 5] + 4, DABT_WORD, &hi);
            }
            break;

        case M_WRITE_STRTAB_CFG:
        {
            static const unsigned int splits[] = { 6, 8, 10, 0 };
            unsigned int split;

            a = fz_u8(in);
            b = fz_u8(in);
            split = splits[(a >> 1) & 3];
            if ( !split )
                split = (a >> 3) & 0x1f;
            v = MASK_INSR((a & 0x80) ? (a >> 5) & 3 : a & 1,
                          SMMU_STRTAB_BASE_CFG_FMT) |
                MASK_INSR(split, SMMU_STRTAB_BASE_CFG_SPLIT) |
                (b & 0x3f);
            if ( guest )
                fz_mmio(e, true, SMMU_STRTAB_BASE_CFG, DABT_WORD, &v);
            break;
        }

        case M_CONTINUE:
            fz_continue_op(e, arg);
            break;

        case M_VCPU:
            fz_set_vcpu(e, arg);
            break;

        case M_RELEASE:
            /* The physical driver, while the domain lives. */
            if ( !e->dying )
                fz_release_op(e, in);
            break;

        case M_CMDS:
            /* After death the commands land in RAM, unpublished. */
            guest_from_regs(e, &g);
            fz_guest_cmds(&g, in, guest ? arg : 0);
            break;

        case M_CLOCK:
            fz_clock(e, fz_clock_steps[arg]);
            break;

        case M_POKE:
        {
            uint8_t buf[64];

            sel = fz_u8(in);
            off = fz_u32(in);
            fz_bytes(in, buf, (arg + 1) * 8);
            if ( guest )
                fz_ram_write(e, fz_addr(sel, off), buf, (arg + 1) * 8);
            break;
        }

        case M_CMD:
        {
            uint16_t slot = (arg & 1) ? 0 : fz_u16(in);
            uint8_t opsel = fz_u8(in);
            uint64_t w0, w1;

            vsid = fz_vsid(e, in);
            w0 = fz_u64(in);
            w1 = fz_u64(in);
            fz_build_cmd(opsel, vsid, w0, w1, c);
            if ( !guest )
                break;
            if ( arg & 1 )
            {
                enqueue(e, c);
                publish_next(e, 1);
            }
            else
            {
                guest_from_regs(e, &g);
                fz_ram_write(e, g.cmdq + (paddr_t)(slot &
                                 ((1U << g.cmdq_log2) - 1)) * SMMU_CMD_SIZE,
                             c, sizeof(c));
            }
            break;
        }

        case M_STE:
        {
            uint64_t ste[SMMU_STE_DWORDS] = { 0 };
            uint8_t cfg;
            uint16_t coff;

            vsid = fz_vsid(e, in);
            cfg = fz_u8(in);
            sel = fz_u8(in);
            coff = fz_u16(in);
            ste[1] = fz_u64(in);
            ste[0] = fz_ste_w0(cfg, fz_addr(sel, (uint32_t)coff * 64));
            if ( !guest )
                break;
            fz_ram_write(e, ste_addr(e, vsid), ste, sizeof(ste));
            if ( arg & 1 )
            {
                fz_build_cmd(0x80 | fz_opcode_index(SMMU_OP_CFGI_STE), vsid,
                             0, 0, c);
                enqueue(e, c);
                fz_build_cmd(0x80, 0, 0, 0, c);
                guest_from_regs(e, &g);
                g.prod = (g.prod + 1) & ((2U << g.cmdq_log2) - 1);
                fz_guest_cmd(&g, c[0], c[1]);
                publish_next(e, 2);
            }
            break;
        }

        case M_L1:
        {
            uint16_t idx = fz_u16(in);
            uint8_t span;

            sel = fz_u8(in);
            off = fz_u32(in);
            span = fz_u8(in);
            v = (fz_addr(sel, off) & SMMU_L1STD_L2PTR) | (span & 0x1f);
            if ( guest )
                fz_ram_write(e, (e->vs->strtab_base & SMMU_STRTAB_BASE_ADDR) +
                                (paddr_t)idx * SMMU_L1STD_SIZE, &v,
                             sizeof(v));
            break;
        }

        case M_PUBLISH:
            if ( arg == 7 )
            {
                v = fz_u32(in);
                if ( guest )
                    fz_mmio(e, true, SMMU_CMDQ_PROD, DABT_WORD, &v);
            }
            else if ( guest )
                publish_next(e, arg + 1);
            break;

        case M_GERROR:
            if ( guest )
            {
                guest_from_regs(e, &g);
                fz_guest_gerror(&g);
            }
            break;

        case M_EVENTS:
            if ( guest )
            {
                guest_from_regs(e, &g);
                fz_guest_events(&g, !(arg & 1));
            }
            break;

        case M_RELINQUISH:
            fz_relinquish_op(e, arg);
            break;

        case M_FAIL:
            b = fz_u8(in);
            fz_set_fail(e, arg & 1, b & 0xf);
            break;

        case M_LINUX_RESET:
            b = fz_u8(in);
            if ( guest )
                linux_reset(e, arg, b);
            break;

        case M_ADD_STREAM:
        {
            uint16_t vs16 = fz_u16(in);
            uint16_t psid;

            b = fz_u8(in);
            psid = fz_u16(in);
            /* The domain builder (or a hot-plug) while the domain lives. */
            if ( !e->dying )
                fz_add_stream(e, vs16 | (b & 0x80 ? 0x10000 : 0),
                              (int)((b & 0x7f) % (e->cfg.nr_backends + 3)) - 2,
                              psid);
            break;
        }

        case M_POLL_CONS:
            if ( guest )
            {
                unsigned int i;

                for ( i = 0; i <= arg; i++ )
                    fz_read(e, SMMU_CMDQ_CONS, DABT_WORD);
            }
            break;

        case M_PHYS_EVENT:
            /* The physical SMMU reports faults whatever the guest does. */
            fz_phys_events_op(e, in, fz_event_counts[arg]);
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
    struct fz_env *e;
    uint8_t h0 = fz_u8(&in), h1 = fz_u8(&in);

    fz_config_decode(&c, h0, h1);
    e = fz_env_create(&c);
    run(e, &in);
    if ( !e->dying )
        fz_drain(e);
    fz_env_destroy(e);
    return 0;
}
