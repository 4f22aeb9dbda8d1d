/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vSMMUv3 register model: page 0 and page 1 decode, register semantics,
 * the identification policy, and creation and destruction of a vSMMU.
 *
 * Every access takes the vSMMU lock, so that an access is atomic with
 * respect to other vCPUs.  Access sizes follow IHI 0070 6.2: a
 * 32-bit register takes only aligned 32-bit accesses; a 64-bit register an
 * aligned 64-bit access or a 32-bit access to either half.  Anything else
 * aimed at a register is a data abort for the guest.  Offsets that hold no
 * register are RAZ/WI for aligned 32- and 64-bit accesses: RES0 on page 0
 * (IHI 0070 6.2), our choice of CONSTRAINED UNPREDICTABLE behaviour on
 * page 1.
 */

#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/xmalloc.h>
#include <asm/event.h>          /* hypercall_preempt_check() */
#include <asm/mmio.h>
#include <asm/vgic.h>
#include <asm/vreg.h>

#include "vsmmu-v3.h"

/* What each 32-bit word of page 0 below 0x100 holds. */
enum vsmmuv3_word {
    WORD_NONE,                  /* RES0: RAZ/WI */
    WORD_REG32,                 /* a 32-bit register */
    WORD_REG64_LO,              /* the low half of a 64-bit register */
    WORD_REG64_HI,              /* the high half of a 64-bit register */
};

#define PAGE0_WORDS             (0x100 / 4)
#define REG32(off)              [(off) / 4] = WORD_REG32
#define REG64(off)              [(off) / 4] = WORD_REG64_LO, \
                                [(off) / 4 + 1] = WORD_REG64_HI

static const uint8_t page0_words[PAGE0_WORDS] = {
    REG32(SMMU_IDR0), REG32(SMMU_IDR1), REG32(SMMU_IDR2), REG32(SMMU_IDR3),
    REG32(SMMU_IDR4), REG32(SMMU_IDR5), REG32(SMMU_IIDR), REG32(SMMU_AIDR),
    REG32(SMMU_CR0), REG32(SMMU_CR0ACK), REG32(SMMU_CR1), REG32(SMMU_CR2),
    REG32(SMMU_STATUSR), REG32(SMMU_GBPA), REG32(SMMU_AGBPA),
    REG32(SMMU_IRQ_CTRL), REG32(SMMU_IRQ_CTRLACK),
    REG32(SMMU_GERROR), REG32(SMMU_GERRORN),
    REG64(SMMU_GERROR_IRQ_CFG0), REG32(SMMU_GERROR_IRQ_CFG1),
    REG32(SMMU_GERROR_IRQ_CFG2),
    REG64(SMMU_STRTAB_BASE), REG32(SMMU_STRTAB_BASE_CFG),
    REG64(SMMU_CMDQ_BASE), REG32(SMMU_CMDQ_PROD), REG32(SMMU_CMDQ_CONS),
    REG64(SMMU_EVENTQ_BASE),
    REG64(SMMU_EVENTQ_IRQ_CFG0), REG32(SMMU_EVENTQ_IRQ_CFG1),
    REG32(SMMU_EVENTQ_IRQ_CFG2),
};

#undef REG32
#undef REG64

static enum vsmmuv3_word vsmmuv3_word_at(uint32_t off)
{
    if ( off < PAGE0_WORDS * 4 )
        return page0_words[off / 4];
    if ( off == SMMU_EVENTQ_PROD || off == SMMU_EVENTQ_CONS )
        return WORD_REG32;
    return WORD_NONE;
}

/* Outcome of decoding one access. */
enum vsmmuv3_decode {
    DECODE_BAD,                 /* data abort */
    DECODE_RAZWI,               /* no register there */
    DECODE_REG32,               /* 32-bit register at .reg */
    DECODE_REG64,               /* 64-bit register at .reg */
};

/*
 * Classify an access of 2^@size bytes at frame offset @off (IHI 0070 6.2:
 * 32-bit registers take aligned 32-bit accesses, 64-bit registers aligned
 * 64-bit accesses or 32-bit accesses to either half).  Inline: it is the
 * first thing every trapped access does.
 */
static always_inline enum vsmmuv3_decode
vsmmuv3_decode_access(uint32_t off, unsigned int size, uint32_t *reg)
{
    enum vsmmuv3_word w0, w1;

    if ( likely(size == DABT_WORD) )
    {
        if ( off & 3 )
            return DECODE_BAD;
        w0 = vsmmuv3_word_at(off);
        if ( w0 == WORD_NONE )
            return DECODE_RAZWI;
        *reg = w0 == WORD_REG64_HI ? off - 4 : off;
        return w0 == WORD_REG32 ? DECODE_REG32 : DECODE_REG64;
    }
    if ( size != DABT_DOUBLE_WORD || (off & 7) )
        return DECODE_BAD;

    w0 = vsmmuv3_word_at(off);
    w1 = vsmmuv3_word_at(off + 4);
    if ( w0 == WORD_REG64_LO )
    {
        *reg = off;
        return DECODE_REG64;
    }
    if ( w0 == WORD_NONE && w1 == WORD_NONE )
        return DECODE_RAZWI;
    /* A 64-bit access that covers a 32-bit register. */
    return DECODE_BAD;
}

bool vsmmuv3_log_allowed(struct vsmmuv3 *vs)
{
    s_time_t now = NOW();

    ASSERT(spin_is_locked(&vs->lock));

    if ( now - vs->log_window >= VSMMUV3_LOG_PERIOD )
    {
        if ( vs->log_suppressed )
            printk(XENLOG_G_WARNING "%pd: vSMMUv3: %lu messages suppressed\n",
                   vs->d, vs->log_suppressed);
        vs->log_window = now;
        vs->log_count = 0;
        vs->log_suppressed = 0;
    }
    if ( vs->log_count < VSMMUV3_LOG_BURST )
    {
        vs->log_count++;
        return true;
    }
    vs->log_suppressed++;
    return false;
}

static bool vsmmuv3_msi_advertised(const struct vsmmuv3 *vs)
{
    return vs->id.idr[0] & SMMU_IDR0_MSI;
}

/*
 * Where each 32-bit word of page 0 reads from: a field of struct vsmmuv3,
 * by its offset.  A 64-bit register's words are the halves of its
 * uint64_t field (Xen on Arm is little-endian).  0, the offset of no
 * register, is a word that reads as zero: STATUSR, AGBPA, and the words
 * that hold no register.
 */
#define R32(off, f) \
    [(off) / 4] = offsetof(struct vsmmuv3, f) + \
                  BUILD_BUG_ON_ZERO(sizeof_field(struct vsmmuv3, f) != 4)
#define R64(off, f) \
    [(off) / 4] = offsetof(struct vsmmuv3, f) + \
                  BUILD_BUG_ON_ZERO(sizeof_field(struct vsmmuv3, f) != 8), \
    [(off) / 4 + 1] = offsetof(struct vsmmuv3, f) + 4

static const uint16_t page0_fields[PAGE0_WORDS] = {
    R32(SMMU_IDR0, id.idr[0]), R32(SMMU_IDR1, id.idr[1]),
    R32(SMMU_IDR2, id.idr[2]), R32(SMMU_IDR3, id.idr[3]),
    R32(SMMU_IDR4, id.idr[4]), R32(SMMU_IDR5, id.idr[5]),
    R32(SMMU_IIDR, id.iidr), R32(SMMU_AIDR, id.aidr),
    R32(SMMU_CR0, cr0), R32(SMMU_CR0ACK, cr0ack),
    R32(SMMU_CR1, cr1), R32(SMMU_CR2, cr2),
    R32(SMMU_GBPA, gbpa),
    /* Only accepted bits are kept, so IRQ_CTRLACK is IRQ_CTRL. */
    R32(SMMU_IRQ_CTRL, irq_ctrl), R32(SMMU_IRQ_CTRLACK, irq_ctrl),
    R32(SMMU_GERROR, gerror), R32(SMMU_GERRORN, gerrorn),
    R64(SMMU_GERROR_IRQ_CFG0, gerror_irq_cfg0),
    R32(SMMU_GERROR_IRQ_CFG1, gerror_irq_cfg1),
    R32(SMMU_GERROR_IRQ_CFG2, gerror_irq_cfg2),
    R64(SMMU_STRTAB_BASE, strtab_base),
    R32(SMMU_STRTAB_BASE_CFG, strtab_base_cfg),
    R64(SMMU_CMDQ_BASE, cmdq.base),
    R32(SMMU_CMDQ_PROD, cmdq.prod), R32(SMMU_CMDQ_CONS, cmdq.cons),
    R64(SMMU_EVENTQ_BASE, evtq.base),
    R64(SMMU_EVENTQ_IRQ_CFG0, evtq_irq_cfg0),
    R32(SMMU_EVENTQ_IRQ_CFG1, evtq_irq_cfg1),
    R32(SMMU_EVENTQ_IRQ_CFG2, evtq_irq_cfg2),
};

#undef R32
#undef R64

/* The field register @reg (a register's offset) reads from. */
static always_inline unsigned int vsmmuv3_reg_field(uint32_t reg)
{
    if ( reg < PAGE0_WORDS * 4 )
        return page0_fields[reg / 4];
    return reg == SMMU_EVENTQ_PROD ? offsetof(struct vsmmuv3, evtq.prod)
                                   : offsetof(struct vsmmuv3, evtq.cons);
}

/* The value of 32-bit register, or word, @reg; no side effect. */
static always_inline uint32_t vsmmuv3_read_reg32(const struct vsmmuv3 *vs,
                                                 uint32_t reg)
{
    unsigned int f = vsmmuv3_reg_field(reg);

    return f ? *(const uint32_t *)((const char *)vs + f) : 0;
}

/* The value of 64-bit register @reg; no side effect. */
static always_inline uint64_t vsmmuv3_read_reg64(const struct vsmmuv3 *vs,
                                                 uint32_t reg)
{
    return *(const uint64_t *)((const char *)vs + page0_fields[reg / 4]);
}

/* LOG2SIZE clamped to what IDR1 advertises for that queue. */
static uint64_t vsmmuv3_queue_base(uint64_t val, unsigned int max_log2)
{
    unsigned int log2 = MASK_EXTR(val, SMMU_Q_BASE_LOG2SIZE);

    return (val & (SMMU_Q_BASE_ADDR | SMMU_Q_BASE_RWA)) |
           MASK_INSR(min(log2, max_log2), SMMU_Q_BASE_LOG2SIZE);
}

static uint32_t vsmmuv3_strtab_base_cfg(const struct vsmmuv3 *vs, uint32_t val)
{
    unsigned int sidsize = MASK_EXTR(vs->id.idr[1], SMMU_IDR1_SIDSIZE);
    unsigned int log2 = MASK_EXTR(val, SMMU_STRTAB_BASE_CFG_LOG2SIZE);

    /*
     * FMT and SPLIT are kept as written and interpreted at each walk, so
     * that the format is never sticky: a guest that re-initialises the
     * stream table may pick the other format (IHI 0070 6.3.25).
     */
    return (val & (SMMU_STRTAB_BASE_CFG_FMT | SMMU_STRTAB_BASE_CFG_SPLIT)) |
           MASK_INSR(min(log2, sidsize), SMMU_STRTAB_BASE_CFG_LOG2SIZE);
}

/* A queue pointer as written: index and wrap bit within the queue size. */
static uint32_t vsmmuv3_queue_ptr(const struct vsmmuv3_queue *q, uint32_t val)
{
    return val & vsmmuv3_q_wrap_mask(q);
}

/* Note a write the model ignores, for the debug log. */
static void vsmmuv3_ignored(struct vsmmuv3 *vs, uint32_t reg, const char *why)
{
    vsmmuv3_log(vs, XENLOG_G_DEBUG, "write to %#x ignored: %s\n", reg, why);
}

/*
 * CR0ACK follows CR0 at once, except for SMMUEN while the streams are
 * still being moved to the new policy (IHI 0070 6.3.10): Linux polls it.
 */
static void vsmmuv3_write_cr0(struct vsmmuv3 *vs, uint32_t val)
{
    uint32_t old = vs->cr0;

    /* PRIQEN, ATSCHK, VMW and RES0 bits are not implemented. */
    vs->cr0 = val & VSMMUV3_CR0_ACCEPTED;

    if ( (old ^ vs->cr0) & SMMU_CR0_SMMUEN )
        vsmmuv3_bypass_policy_changed(vs);
    vs->cr0ack = (vs->cr0 & ~SMMU_CR0_SMMUEN) |
                 ((vs->sweep_active ? vs->cr0ack : vs->cr0) &
                  SMMU_CR0_SMMUEN);
    /* A command that spanned steps is dropped with the queue. */
    if ( !(vs->cr0 & SMMU_CR0_CMDQEN) )
        vs->cmd_active = false;
    if ( (old ^ vs->cr0) & SMMU_CR0_EVENTQEN )
        vsmmuv3_update_lines(vs, VSMMUV3_LINE_EVTQ, 0);
}

/*
 * Only an update request changes GBPA.  It completes at once, or, when the
 * streams follow it (SMMUEN=0 and ABORT changed), once they all do: UPDATE
 * reads 1 until then (IHI 0070 6.3.14).
 */
static void vsmmuv3_write_gbpa(struct vsmmuv3 *vs, uint32_t val)
{
    uint32_t old = vs->gbpa;

    if ( !(val & SMMU_GBPA_UPDATE) )
    {
        vsmmuv3_ignored(vs, SMMU_GBPA, "UPDATE not set");
        return;
    }
    /* An update while one is in progress is CONSTRAINED UNPREDICTABLE. */
    vs->gbpa = (val & VSMMUV3_GBPA_FIELDS) | (old & SMMU_GBPA_UPDATE);
    if ( !(vs->cr0 & SMMU_CR0_SMMUEN) &&
         ((old ^ vs->gbpa) & SMMU_GBPA_ABORT) )
    {
        vsmmuv3_bypass_policy_changed(vs);
        vs->gbpa |= SMMU_GBPA_UPDATE;
    }
}

static void vsmmuv3_write_gerrorn(struct vsmmuv3 *vs, uint32_t val)
{
    uint32_t active = (vs->gerror ^ vs->gerrorn) & VSMMUV3_GERROR_IMPLEMENTED;

    /*
     * Toggling a bit whose error is not active is CONSTRAINED
     * UNPREDICTABLE; such bits keep their value, so a guest cannot create
     * an error that was never reported.
     */
    vs->gerrorn = (vs->gerrorn & ~active) | (val & active);

    /*
     * An acknowledged CMDQ_ERR resumes the consumer (the caller kicks it):
     * Linux rewrites the failed command and acks, and never writes PROD.
     */
    vsmmuv3_update_lines(vs, VSMMUV3_LINE_GERROR, VSMMUV3_LINE_GERROR);
}

static void vsmmuv3_write_irq_cfg(struct vsmmuv3 *vs, uint32_t reg,
                                  uint64_t val, uint64_t *cfg0,
                                  uint32_t *cfg1, uint32_t *cfg2,
                                  uint32_t irqen)
{
    if ( !vsmmuv3_msi_advertised(vs) )
        return;
    /* The MSI target of an enabled interrupt does not change under it. */
    if ( vs->irq_ctrl & irqen )
    {
        vsmmuv3_ignored(vs, reg, "interrupt enabled");
        return;
    }
    switch ( reg )
    {
    case SMMU_GERROR_IRQ_CFG0:
    case SMMU_EVENTQ_IRQ_CFG0:
        *cfg0 = val & SMMU_IRQ_CFG0_ADDR;
        break;
    case SMMU_GERROR_IRQ_CFG1:
    case SMMU_EVENTQ_IRQ_CFG1:
        *cfg1 = val;
        break;
    default:
        *cfg2 = val & (SMMU_IRQ_CFG2_SH | SMMU_IRQ_CFG2_MEMATTR);
        break;
    }
}

static void vsmmuv3_write_reg(struct vsmmuv3 *vs, uint32_t reg, uint64_t val)
{
    switch ( reg )
    {
    case SMMU_CR0:
        vsmmuv3_write_cr0(vs, val);
        break;
    case SMMU_CR1:
        vs->cr1 = val & VSMMUV3_CR1_FIELDS;
        break;
    case SMMU_CR2:
        /* E2H is RES0 without IDR0.HYP. */
        vs->cr2 = val & VSMMUV3_CR2_FIELDS;
        break;
    case SMMU_GBPA:
        vsmmuv3_write_gbpa(vs, val);
        break;
    case SMMU_IRQ_CTRL:
        val &= VSMMUV3_IRQ_CTRL_ACCEPTED;
        if ( val == vs->irq_ctrl )
            break;
        vs->irq_ctrl = val;
        vsmmuv3_update_lines(vs, VSMMUV3_LINE_EVTQ | VSMMUV3_LINE_GERROR, 0);
        break;
    case SMMU_GERRORN:
        vsmmuv3_write_gerrorn(vs, val);
        break;
    case SMMU_GERROR_IRQ_CFG0:
    case SMMU_GERROR_IRQ_CFG1:
    case SMMU_GERROR_IRQ_CFG2:
        vsmmuv3_write_irq_cfg(vs, reg, val, &vs->gerror_irq_cfg0,
                              &vs->gerror_irq_cfg1, &vs->gerror_irq_cfg2,
                              SMMU_IRQ_CTRL_GERROR_IRQEN);
        break;
    case SMMU_EVENTQ_IRQ_CFG0:
    case SMMU_EVENTQ_IRQ_CFG1:
    case SMMU_EVENTQ_IRQ_CFG2:
        vsmmuv3_write_irq_cfg(vs, reg, val, &vs->evtq_irq_cfg0,
                              &vs->evtq_irq_cfg1, &vs->evtq_irq_cfg2,
                              SMMU_IRQ_CTRL_EVENTQ_IRQEN);
        break;
    case SMMU_STRTAB_BASE:
        /* IHI 0070 6.3.24 (SMMU_STRTAB_BASE): ignored while SMMUEN=1. */
        if ( vs->cr0 & SMMU_CR0_SMMUEN )
            vsmmuv3_ignored(vs, reg, "SMMUEN=1");
        else
            vs->strtab_base = val & (SMMU_STRTAB_BASE_ADDR |
                                     SMMU_STRTAB_BASE_RA);
        break;
    case SMMU_STRTAB_BASE_CFG:
        if ( vs->cr0 & SMMU_CR0_SMMUEN )
            vsmmuv3_ignored(vs, reg, "SMMUEN=1");
        else
            vs->strtab_base_cfg = vsmmuv3_strtab_base_cfg(vs, val);
        break;
    case SMMU_CMDQ_BASE:
        if ( vs->cr0 & SMMU_CR0_CMDQEN )
            vsmmuv3_ignored(vs, reg, "CMDQEN=1");
        else
        {
            vs->cmdq.base = vsmmuv3_queue_base(val,
                                               MASK_EXTR(vs->id.idr[1],
                                                         SMMU_IDR1_CMDQS));
            /*
             * IHI 0070 6.3.27/6.3.28: with a smaller queue the pointers
             * are the truncation of their old values; bits above the
             * wrap flag read as zero.
             */
            vs->cmdq.prod = vsmmuv3_queue_ptr(&vs->cmdq, vs->cmdq.prod);
            vs->cmdq.cons = (vs->cmdq.cons & SMMU_CMDQ_CONS_ERR) |
                            vsmmuv3_queue_ptr(&vs->cmdq, vs->cmdq.cons);
        }
        break;
    case SMMU_CMDQ_PROD:
        vs->cmdq.prod = vsmmuv3_queue_ptr(&vs->cmdq, val);
        /*
         * PROD moved back over the command in progress: the queue no
         * longer holds it, and it is dropped as with the queue.
         */
        if ( !vsmmuv3_cmdq_holds(&vs->cmdq) )
            vs->cmd_active = false;
        break;
    case SMMU_CMDQ_CONS:
        /* Software owns CONS only while the queue is off; ERR is RO. */
        if ( vs->cr0 & SMMU_CR0_CMDQEN )
            vsmmuv3_ignored(vs, reg, "CMDQEN=1");
        else
            vs->cmdq.cons = (vs->cmdq.cons & SMMU_CMDQ_CONS_ERR) |
                            vsmmuv3_queue_ptr(&vs->cmdq, val);
        break;
    case SMMU_EVENTQ_BASE:
        if ( vs->cr0 & SMMU_CR0_EVENTQEN )
            vsmmuv3_ignored(vs, reg, "EVENTQEN=1");
        else
        {
            vs->evtq.base = vsmmuv3_queue_base(val,
                                               MASK_EXTR(vs->id.idr[1],
                                                         SMMU_IDR1_EVENTQS));
            vs->evtq.prod = (vs->evtq.prod & SMMU_EVENTQ_PROD_OVFLG) |
                            vsmmuv3_queue_ptr(&vs->evtq, vs->evtq.prod);
            vs->evtq.cons = (vs->evtq.cons & SMMU_EVENTQ_CONS_OVACKFLG) |
                            vsmmuv3_queue_ptr(&vs->evtq, vs->evtq.cons);
        }
        break;
    case SMMU_EVENTQ_PROD:
        /* The SMMU owns PROD while the queue is on. */
        if ( vs->cr0 & SMMU_CR0_EVENTQEN )
            vsmmuv3_ignored(vs, reg, "EVENTQEN=1");
        else
        {
            vs->evtq.prod = (val & SMMU_EVENTQ_PROD_OVFLG) |
                            vsmmuv3_queue_ptr(&vs->evtq, val);
            vsmmuv3_update_lines(vs, VSMMUV3_LINE_EVTQ, 0);
        }
        break;
    case SMMU_EVENTQ_CONS:
        val = (val & SMMU_EVENTQ_CONS_OVACKFLG) | vsmmuv3_queue_ptr(&vs->evtq,
                                                                    val);
        /* Unchanged, and the line low: nothing can have moved. */
        if ( val == vs->evtq.cons && !vs->evtq_line )
            break;
        vs->evtq.cons = val;
        vsmmuv3_update_lines(vs, VSMMUV3_LINE_EVTQ, VSMMUV3_LINE_EVTQ);
        break;
    case SMMU_AGBPA:
        /* RAZ/WI: no alternate bypass attributes. */
        break;
    default:
        /* IDRs, IIDR, AIDR, CR0ACK, STATUSR, IRQ_CTRLACK, GERROR: RO. */
        vsmmuv3_ignored(vs, reg, "read-only register");
        break;
    }
}

/* A data abort for the guest; noted at a limited rate. */
static noinline int vsmmuv3_bad_access(struct vsmmuv3 *vs,
                                       const mmio_info_t *info, uint32_t off)
{
    spin_lock(&vs->lock);
    vsmmuv3_log(vs, XENLOG_G_WARNING,
                "bad %s of %u bytes at offset %#x: data abort\n",
                info->dabt.write ? "write" : "read", 1U << info->dabt.size,
                off);
    spin_unlock(&vs->lock);
    return 0;
}

/*
 * The trapped accesses.  Decoding needs no lock (it depends on the offset
 * and size only); the register is read or written under the vSMMU lock, so
 * every access is atomic with respect to the others.  A 32-bit register
 * takes only aligned 32-bit accesses: its value is the access's.
 */
/* Any read but the common case below. */
static noinline int vsmmuv3_mmio_read_other(struct vsmmuv3 *vs,
                                            struct vcpu *v,
                                            const mmio_info_t *info,
                                            register_t *r, uint32_t off)
{
    uint32_t reg = 0;
    enum vsmmuv3_decode kind = vsmmuv3_decode_access(off, info->dabt.size,
                                                     &reg);
    uint64_t val;

    if ( kind == DECODE_BAD )
        return vsmmuv3_bad_access(vs, info, off);
    if ( kind == DECODE_RAZWI )
    {
        *r = 0;
#ifdef CONFIG_VSMMUV3_SELFTEST
        if ( off == VSMMUV3_SELFTEST_REG && info->dabt.size == DABT_WORD )
        {
            spin_lock(&vs->lock);
            *r = vs->selftest_result;
            spin_unlock(&vs->lock);
        }
#endif
        return 1;
    }

    spin_lock(&vs->lock);
    /* A guest polling CONS drives pending work (IHI 0070 4.1.4). */
    if ( reg == SMMU_CMDQ_CONS && vsmmuv3_work_pending(vs) )
        vsmmuv3_kick(vs, v);
    if ( info->dabt.size == DABT_WORD )
        /* A register, or a word of one. */
        val = vsmmuv3_read_reg32(vs, off);
    else
        val = vsmmuv3_read_reg64(vs, reg);
    spin_unlock(&vs->lock);

    *r = val;
    return 1;
}

/*
 * The field a word that a 32-bit access may read without more ado reads
 * from, 0 for a word that reads as zero, or -1 for any other access.
 */
static always_inline int vsmmuv3_word_field(uint32_t off)
{
    if ( off < PAGE0_WORDS * 4 )
        return page0_fields[off / 4];
    if ( off == SMMU_EVENTQ_PROD )
        return offsetof(struct vsmmuv3, evtq.prod);
    if ( off == SMMU_EVENTQ_CONS )
        return offsetof(struct vsmmuv3, evtq.cons);
    return -1;
}

static int vsmmuv3_mmio_read(struct vcpu *v, mmio_info_t *info,
                             register_t *r, void *priv)
{
    struct vsmmuv3 *vs = priv;
    uint32_t off = info->gpa - vs->base;
    int f;
    uint32_t val;

    /*
     * The common case, kept short: an aligned 32-bit read of a word of a
     * register, whose field says it all (a register, a half of one, or
     * zero).  A guest polling CONS drives pending work (IHI 0070 4.1.4).
     */
    if ( unlikely(info->dabt.size != DABT_WORD || (off & 3)) ||
         unlikely((f = vsmmuv3_word_field(off)) < 0) )
        return vsmmuv3_mmio_read_other(vs, v, info, r, off);
    if ( !f )
    {
        *r = 0;
        return 1;
    }
    spin_lock(&vs->lock);
    if ( unlikely(off == SMMU_CMDQ_CONS) && vsmmuv3_work_pending(vs) )
        vsmmuv3_kick(vs, v);
    val = *(const uint32_t *)((const char *)vs + f);
    spin_unlock(&vs->lock);
    *r = val;
    return 1;
}

/* Writes that can give the vSMMU work: commands, or streams to update. */
static bool vsmmuv3_write_kicks(uint32_t reg)
{
    return reg == SMMU_CMDQ_PROD || reg == SMMU_CR0 || reg == SMMU_GBPA ||
           reg == SMMU_GERRORN;
}

/* Any write but an aligned 32-bit one to a page-0 word. */
static noinline int vsmmuv3_mmio_write_other(struct vsmmuv3 *vs,
                                             struct vcpu *v,
                                             const mmio_info_t *info,
                                             register_t r, uint32_t off)
{
    uint32_t reg = 0;
    enum vsmmuv3_decode kind = vsmmuv3_decode_access(off, info->dabt.size,
                                                     &reg);
    uint64_t val64;

    if ( kind == DECODE_BAD )
        return vsmmuv3_bad_access(vs, info, off);
    if ( kind == DECODE_RAZWI )
    {
#ifdef CONFIG_VSMMUV3_SELFTEST
        /*
         * Debug builds: save, reset and restore the vSMMU in this trap
         * (CONFIG_VSMMUV3_SELFTEST).
         */
        if ( off == VSMMUV3_SELFTEST_REG && info->dabt.size == DABT_WORD &&
             (uint32_t)r == VSMMUV3_SELFTEST_RUN )
        {
            spin_lock(&vs->lock);
            vsmmuv3_selftest_locked(vs);
            spin_unlock(&vs->lock);
        }
#endif
        return 1;
    }

    spin_lock(&vs->lock);
    if ( kind == DECODE_REG32 )
        vsmmuv3_write_reg(vs, reg, (uint32_t)r);
    else
    {
        val64 = vsmmuv3_read_reg64(vs, reg);
        vreg_reg64_update(&val64, r, info);
        vsmmuv3_write_reg(vs, reg, val64);
    }
    spin_unlock(&vs->lock);

    return 1;
}

static int vsmmuv3_mmio_write(struct vcpu *v, mmio_info_t *info,
                              register_t r, void *priv)
{
    struct vsmmuv3 *vs = priv;
    uint32_t off = info->gpa - vs->base;

    if ( unlikely(info->dabt.size != DABT_WORD || (off & 3) ||
                  vsmmuv3_word_at(off) != WORD_REG32) )
        return vsmmuv3_mmio_write_other(vs, v, info, r, off);

    spin_lock(&vs->lock);
    vsmmuv3_write_reg(vs, off, (uint32_t)r);
    if ( vsmmuv3_write_kicks(off) && vsmmuv3_work_pending(vs) )
        vsmmuv3_kick(vs, v);
    spin_unlock(&vs->lock);

    return 1;
}

const struct mmio_handler_ops vsmmuv3_mmio_handler = {
    .read = vsmmuv3_mmio_read,
    .write = vsmmuv3_mmio_write,
};

void vsmmuv3_dump(struct vsmmuv3 *vs)
{
    typeof(vs->stats) st;
    uint32_t cr0, gerror, cmdq_prod, cmdq_cons, evtq_prod, evtq_cons;
    unsigned int nr_streams;
    bool dying;

    spin_lock(&vs->lock);
    st = vs->stats;
    cr0 = vs->cr0;
    gerror = vs->gerror ^ vs->gerrorn;
    cmdq_prod = vs->cmdq.prod;
    cmdq_cons = vs->cmdq.cons;
    evtq_prod = vs->evtq.prod;
    evtq_cons = vs->evtq.cons;
    nr_streams = vs->nr_streams;
    dying = vs->dying;
    spin_unlock(&vs->lock);

    printk("    vSMMUv3 at %#"PRIpaddr": CR0 %#x, GERROR active %#x, "
           "%u streams%s\n", vs->base, cr0, gerror, nr_streams,
           dying ? ", relinquished" : "");
    printk("    CMDQ prod %#x cons %#x, EVTQ prod %#x cons %#x\n",
           cmdq_prod, cmdq_cons, evtq_prod, evtq_cons);
    printk("    commands %lu, errors %lu; steps %lu, continuations %lu, "
           "largest step %lu work units\n", st.cmds, st.cmd_errors,
           st.steps, st.continuations, st.max_step_work);
    printk("    physical: commands %lu, syncs %lu, errors %lu\n",
           st.phys_cmds, st.phys_syncs, st.phys_errors);
    printk("    events: written %lu, lost %lu, forwarded %lu, throttled %lu\n",
           st.events, st.events_lost, st.events_forwarded,
           st.events_throttled);
    printk("    restores %lu, streams left aborting %lu\n",
           st.restores, st.restore_aborted);
}

/* Architectural reset values (IHI 0070 6.3). */
void vsmmuv3_regs_reset(struct vsmmuv3 *vs)
{
    vs->cr0 = 0;
    vs->cr0ack = 0;
    vs->cr1 = 0;
    vs->cr2 = 0;
    vs->gbpa = VSMMUV3_GBPA_RESET;
    vs->irq_ctrl = 0;
    vs->gerror = 0;
    vs->gerrorn = 0;
    vs->gerror_irq_cfg0 = 0;
    vs->gerror_irq_cfg1 = 0;
    vs->gerror_irq_cfg2 = 0;
    vs->strtab_base = 0;
    vs->strtab_base_cfg = 0;
    vs->cmdq = (struct vsmmuv3_queue){ 0 };
    vs->evtq = (struct vsmmuv3_queue){ 0 };
    vs->evtq_irq_cfg0 = 0;
    vs->evtq_irq_cfg1 = 0;
    vs->evtq_irq_cfg2 = 0;
}

/*
 * Capabilities assumed when no physical SMMU backs the vSMMU (virtual
 * streams only): everything the policy can advertise, so that the result
 * is bounded by the model's own limits alone.
 */
static const struct vsmmuv3_phys_caps virtual_caps = {
    .idr = {
        [0] = SMMU_IDR0_S1P | SMMU_IDR0_S2P | SMMU_IDR0_COHACC |
              SMMU_IDR0_ASID16 | SMMU_IDR0_VMID16 |
              MASK_INSR(SMMU_IDR0_TTF_AARCH64, SMMU_IDR0_TTF) |
              MASK_INSR(SMMU_IDR0_TTENDIAN_MIXED, SMMU_IDR0_TTENDIAN),
        [3] = SMMU_IDR3_RIL,
        [5] = MASK_INSR(SMMU_IDR5_OAS_52, SMMU_IDR5_OAS) |
              SMMU_IDR5_GRAN4K | SMMU_IDR5_GRAN16K | SMMU_IDR5_GRAN64K,
    },
};

/* Both MIXED, or equal, or one MIXED and the other single-endian. */
static int vsmmuv3_ttendian_meet(unsigned int a, unsigned int b,
                                 unsigned int *out)
{
    if ( a == SMMU_IDR0_TTENDIAN_MIXED )
        *out = b;
    else if ( b == SMMU_IDR0_TTENDIAN_MIXED || a == b )
        *out = a;
    else
        return -ENODEV;
    return 0;
}

/* The largest IDR5.OAS encoding whose size does not exceed @bits. */
static unsigned int vsmmuv3_oas_encoding(unsigned int bits)
{
    unsigned int enc = SMMU_IDR5_OAS_52;

    while ( enc > SMMU_IDR5_OAS_32 && SMMU_OAS_BITS(enc) > bits )
        enc--;
    return enc;
}

/*
 * The identification policy (IHI 0070 6.3.1 to 6.3.8):
 * advertise only what the model implements and enforces, intersected over
 * every physical SMMU behind the vSMMU.
 */
int vsmmuv3_compute_id(const struct vsmmuv3_params *p, struct vsmmuv3_id *id)
{
    uint32_t idr0 = ~0U, idr5 = ~0U;
    unsigned int ttendian = SMMU_IDR0_TTENDIAN_MIXED;
    unsigned int oas_bits = p->ipa_bits;
    unsigned int i, n = p->nr_backends ? p->nr_backends : 1;

    if ( p->nr_backends > VSMMUV3_MAX_BACKENDS ||
         (p->nr_backends && !p->backends) )
        return -EINVAL;
    /*
     * Linux's arm-smmu-v3 driver refuses an SMMU with 64 command queue
     * entries or fewer (IDR1.CMDQS, IHI 0070 6.3.2).
     */
    if ( p->cmdqs < 7 || p->cmdqs > SMMU_MAX_QUEUE_LOG2 ||
         p->eventqs < 1 || p->eventqs > SMMU_MAX_QUEUE_LOG2 ||
         p->ipa_bits < 32 )
        return -EINVAL;

    for ( i = 0; i < n; i++ )
    {
        const struct vsmmuv3_phys_caps *c =
            p->nr_backends ? &p->backends[i].caps : &virtual_caps;
        unsigned int ttf = MASK_EXTR(c->idr[0], SMMU_IDR0_TTF);

        /*
         * Nesting needs both stages, and the guest's tables are AArch64.
         * The SMMU must be coherent: Xen reads and writes the emulated
         * queues and stream table through cacheable mappings, so the guest
         * must use cacheable memory for them (dma-coherent), and the
         * physical SMMU walks the guest's own CDs and page tables.
         */
        if ( !(c->idr[0] & SMMU_IDR0_S1P) || !(c->idr[0] & SMMU_IDR0_S2P) ||
             !(ttf & SMMU_IDR0_TTF_AARCH64) ||
             !(c->idr[0] & SMMU_IDR0_COHACC) )
            return -ENODEV;
        if ( vsmmuv3_ttendian_meet(ttendian,
                                   MASK_EXTR(c->idr[0], SMMU_IDR0_TTENDIAN),
                                   &ttendian) )
            return -ENODEV;
        idr0 &= c->idr[0];
        idr5 &= c->idr[5];
        oas_bits = min(oas_bits,
                       (unsigned int)SMMU_OAS_BITS(MASK_EXTR(c->idr[5],
                                                             SMMU_IDR5_OAS)));
    }
    if ( !(idr5 & (SMMU_IDR5_GRAN4K | SMMU_IDR5_GRAN16K | SMMU_IDR5_GRAN64K)) )
        return -ENODEV;

    memset(id, 0, sizeof(*id));
    /*
     * No S2P, so no VMID16 either: it means nothing to software without
     * stage 2 (IHI 0070 6.3.1), and VMIDs are Xen's.
     */
    id->idr[0] = SMMU_IDR0_S1P | SMMU_IDR0_COHACC |
                 MASK_INSR(SMMU_IDR0_TTF_AARCH64, SMMU_IDR0_TTF) |
                 (idr0 & SMMU_IDR0_ASID16) |
                 MASK_INSR(ttendian, SMMU_IDR0_TTENDIAN) |
                 MASK_INSR(SMMU_IDR0_STALL_MODEL_TERM_ONLY,
                           SMMU_IDR0_STALL_MODEL) |
                 SMMU_IDR0_TERM_MODEL |
                 MASK_INSR(SMMU_IDR0_ST_LEVEL_2LVL, SMMU_IDR0_ST_LEVEL);
    if ( VSMMUV3_HAS_MSI )
        id->idr[0] |= SMMU_IDR0_MSI;
    id->idr[1] = MASK_INSR(VSMMUV3_SIDSIZE, SMMU_IDR1_SIDSIZE) |
                 MASK_INSR(p->cmdqs, SMMU_IDR1_CMDQS) |
                 MASK_INSR(p->eventqs, SMMU_IDR1_EVENTQS);
    /* Range invalidation is relayed, or split where the SMMU lacks it. */
    id->idr[3] = SMMU_IDR3_RIL;
    id->idr[5] = MASK_INSR(vsmmuv3_oas_encoding(oas_bits), SMMU_IDR5_OAS) |
                 (idr5 & (SMMU_IDR5_GRAN4K | SMMU_IDR5_GRAN16K |
                          SMMU_IDR5_GRAN64K));
    /*
     * Arm as implementer, no product (IHI 0070 6.3.7): matches no
     * erratum workaround in a guest's driver; errata of the physical
     * SMMUs are Xen's to handle.
     */
    id->iidr = MASK_INSR(SMMU_IIDR_IMPLEMENTER_ARM, SMMU_IIDR_IMPLEMENTER);
    id->aidr = VSMMUV3_AIDR;

    return 0;
}

int vsmmuv3_domain_init(struct domain *d, const struct vsmmuv3_params *p,
                        struct vsmmuv3 **out)
{
    struct vsmmuv3 *vs;
    struct vsmmuv3_id id;
    int rc;

    if ( p->base & (SMMU_PAGE_SIZE - 1) || p->step_work < VSMMUV3_WORK_MIN ||
         p->step_work > UINT16_MAX || !p->max_streams || !p->event_budget ||
         p->evtq_virq == p->gerror_virq ||
         p->evtq_virq < 32 || p->gerror_virq < 32 )
        return -EINVAL;

    rc = vsmmuv3_compute_id(p, &id);
    if ( rc )
        return rc;

    vs = xzalloc(struct vsmmuv3);
    if ( !vs )
        return -ENOMEM;

    spin_lock_init(&vs->lock);
    vs->d = d;
    vs->base = p->base;
    vs->id = id;
    vs->evtq_virq = p->evtq_virq;
    vs->gerror_virq = p->gerror_virq;
    vs->step_work = p->step_work;
    vs->ipa_bits = p->ipa_bits;
    vs->max_streams = p->max_streams;
    vs->event_budget = p->event_budget;
    vs->nr_backends = p->nr_backends;
    if ( p->nr_backends )
        memcpy(vs->backends, p->backends,
               p->nr_backends * sizeof(*p->backends));
    vsmmuv3_regs_reset(vs);
    vsmmuv3_relay_init(vs);

    rc = vsmmuv3_streams_init(vs);
    if ( !rc )
        rc = vsmmuv3_cmdq_init(vs);
    if ( rc )
        goto fail;
    if ( !vgic_reserve_virq(d, p->evtq_virq) )
    {
        rc = -EBUSY;
        goto fail;
    }
    if ( !vgic_reserve_virq(d, p->gerror_virq) )
    {
        vgic_free_virq(d, p->evtq_virq);
        rc = -EBUSY;
        goto fail;
    }

    /* Last: a registered handler cannot be removed before domain_io_free. */
    register_mmio_handler(d, &vsmmuv3_mmio_handler, p->base, SMMU_FRAME_SIZE,
                          vs);
    *out = vs;
    return 0;

 fail:
    vsmmuv3_cmdq_free(vs);
    vsmmuv3_streams_free(vs);
    xfree(vs);
    return rc;
}

/* No vSID is this large: relinquish is done. */
#define RELINQUISH_DONE         (~0U)

int vsmmuv3_relinquish(struct vsmmuv3 *vs)
{
    unsigned int i;
    int rc = 0;

    spin_lock(&vs->lock);
    /*
     * No more commands, and no physical stream keeps the guest's tables:
     * one install (and physical sync) per stream, so a preemption point
     * after each.
     */
    vs->dying = true;
    for ( i = vsmmuv3_stream_from(vs, vs->dying_next_vsid);
          i < vs->nr_streams; i++ )
    {
        vsmmuv3_stream_install(vs, &vs->streams[i], VSMMUV3_STE_ABORT, NULL,
                               false);
        if ( i + 1 < vs->nr_streams && hypercall_preempt_check() )
        {
            vs->dying_next_vsid = vs->streams[i + 1].vsid;
            rc = -ERESTART;
            break;
        }
    }
    if ( !rc )
        vs->dying_next_vsid = RELINQUISH_DONE;
    spin_unlock(&vs->lock);

    return rc;
}

void vsmmuv3_domain_free(struct vsmmuv3 *vs)
{
    if ( !vs )
        return;
    /* Normally done already, preemptibly; here it need not be. */
    while ( vsmmuv3_relinquish(vs) == -ERESTART )
        continue;
    vgic_free_virq(vs->d, vs->evtq_virq);
    vgic_free_virq(vs->d, vs->gerror_virq);
    vsmmuv3_cmdq_free(vs);
    vsmmuv3_streams_free(vs);
    xfree(vs);
}

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * indent-tabs-mode: nil
 * End:
 */
