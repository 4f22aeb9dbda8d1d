/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's view of its virtual SMMUv3, driven as Linux's arm-smmu-v3
 * driver does (SPEC-NOTES S7).
 */
#include <xtf.h>
#include <xtf/smmu.h>
#include <xtf/s1pt.h>

struct smmu_queue smmu_cmdq = { .dwords = 2 }, smmu_evtq = { .dwords = 4 };
uint64_t *smmu_strtab;
unsigned int smmu_strtab_log2;
unsigned long smmu_traps;

bool smmu_write_ack(unsigned int off, unsigned int ack_off, uint32_t v)
{
    uint64_t start = counter_now();

    smmu_write32(off, v);
    do {
        if ( smmu_read32(ack_off) == v )
            return true;
    } while ( counter_us_since(start) < SMMU_POLL_US );

    return false;
}

bool smmu_cr0(uint32_t v)
{
    return smmu_write_ack(SMMU_CR0, SMMU_CR0ACK, v);
}

bool smmu_irq_ctrl(uint32_t v)
{
    return smmu_write_ack(SMMU_IRQ_CTRL, SMMU_IRQ_CTRLACK, v);
}

bool smmu_gbpa(uint32_t v)
{
    uint64_t start = counter_now();

    smmu_write32(SMMU_GBPA, v | SMMU_GBPA_UPDATE);
    do {
        if ( !(smmu_read32(SMMU_GBPA) & SMMU_GBPA_UPDATE) )
            return true;
    } while ( counter_us_since(start) < SMMU_POLL_US );

    return false;
}

unsigned int smmu_max_cmdq_log2(void)
{
    return MASK_EXTR(smmu_read32(SMMU_IDR1), SMMU_IDR1_CMDQS);
}

unsigned int smmu_max_evtq_log2(void)
{
    return MASK_EXTR(smmu_read32(SMMU_IDR1), SMMU_IDR1_EVENTQS);
}

static uint64_t q_base_reg(const struct smmu_queue *q)
{
    return SMMU_Q_BASE_RWA | ((uintptr_t)q->base & SMMU_Q_BASE_ADDR) |
           MASK_INSR(q->log2, SMMU_Q_BASE_LOG2SIZE);
}

static void q_alloc(struct smmu_queue *q, unsigned int log2)
{
    size_t bytes = ((size_t)8 * q->dwords) << log2;

    q->log2 = log2;
    /* The base is aligned to the queue size, at least 32 bytes. */
    q->base = xtf_alloc(bytes, MAX(bytes, (size_t)32));
    q->prod = q->cons = 0;
}

bool smmu_reset(unsigned int st_log2, unsigned int cmdq_log2,
                unsigned int evtq_log2)
{
    size_t st_bytes = (size_t)SMMU_STE_SIZE << st_log2;

    /* S7.2: if the SMMU is enabled, abort incoming traffic first. */
    if ( smmu_read32(SMMU_CR0) & SMMU_CR0_SMMUEN )
    {
        if ( !smmu_gbpa(SMMU_GBPA_ABORT) )
        {
            xtf_failure("Fail: GBPA update did not complete\n");
            return false;
        }
    }

    if ( !smmu_cr0(0) )
    {
        xtf_failure("Fail: CR0ACK did not follow CR0 = 0 (%#x)\n",
                    smmu_read32(SMMU_CR0ACK));
        return false;
    }

    /* Linux's CR1 (queues and tables: inner/outer WB, inner shareable). */
    smmu_write32(SMMU_CR1, 0xd75);
    smmu_write32(SMMU_CR2, SMMU_CR2_PTM | SMMU_CR2_RECINVSID);

    smmu_strtab_log2 = st_log2;
    smmu_strtab = xtf_alloc(st_bytes, MAX(st_bytes, (size_t)64));
    smmu_write64(SMMU_STRTAB_BASE,
                 SMMU_STRTAB_BASE_RA |
                 ((uintptr_t)smmu_strtab & SMMU_STRTAB_BASE_ADDR));
    smmu_write32(SMMU_STRTAB_BASE_CFG,
                 MASK_INSR(SMMU_STRTAB_FMT_LINEAR, SMMU_STRTAB_BASE_CFG_FMT) |
                 MASK_INSR(st_log2, SMMU_STRTAB_BASE_CFG_LOG2SIZE));

    q_alloc(&smmu_cmdq, cmdq_log2);
    smmu_write64(SMMU_CMDQ_BASE, q_base_reg(&smmu_cmdq));
    smmu_write32(SMMU_CMDQ_PROD, 0);
    smmu_write32(SMMU_CMDQ_CONS, 0);

    if ( !smmu_cr0(SMMU_CR0_CMDQEN) )
    {
        xtf_failure("Fail: CR0ACK did not follow CR0 = CMDQEN (%#x)\n",
                    smmu_read32(SMMU_CR0ACK));
        return false;
    }

    {
        struct smmu_cmd c1[] = { cmd_cfgi_all(), cmd_sync() };
        struct smmu_cmd c2[] = { cmd_tlbi_nsnh_all(), cmd_sync() };
        enum smmu_wait w = SMMU_WAIT_TIMEOUT;

        if ( !smmu_cmdq_submit(c1, ARRAY_SIZE(c1)) ||
             (w = smmu_cmdq_wait(SMMU_POLL_US)) != SMMU_WAIT_DONE )
        {
            xtf_failure("Fail: CFGI_ALL + CMD_SYNC: %s\n",
                        smmu_wait_name(w));
            return false;
        }
        if ( !smmu_cmdq_submit(c2, ARRAY_SIZE(c2)) ||
             (w = smmu_cmdq_wait(SMMU_POLL_US)) != SMMU_WAIT_DONE )
        {
            xtf_failure("Fail: TLBI_NSNH_ALL + CMD_SYNC: %s\n",
                        smmu_wait_name(w));
            return false;
        }
    }

    q_alloc(&smmu_evtq, evtq_log2);
    smmu_write64(SMMU_EVENTQ_BASE, q_base_reg(&smmu_evtq));
    smmu_write32(SMMU_EVENTQ_PROD, 0);
    smmu_write32(SMMU_EVENTQ_CONS, 0);

    if ( !smmu_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN) )
    {
        xtf_failure("Fail: CR0ACK did not follow CR0 |= EVENTQEN (%#x)\n",
                    smmu_read32(SMMU_CR0ACK));
        return false;
    }

    if ( !smmu_irq_ctrl(0) )
    {
        xtf_failure("Fail: IRQ_CTRLACK did not follow IRQ_CTRL = 0\n");
        return false;
    }
    smmu_write64(SMMU_GERROR_IRQ_CFG0, 0);
    smmu_write64(SMMU_EVENTQ_IRQ_CFG0, 0);
    if ( !smmu_irq_ctrl(SMMU_IRQ_CTRL_GERROR_IRQEN |
                        SMMU_IRQ_CTRL_EVENTQ_IRQEN) )
    {
        xtf_failure("Fail: IRQ_CTRLACK did not follow IRQ_CTRL = %#x (%#x)\n",
                    (unsigned int)(SMMU_IRQ_CTRL_GERROR_IRQEN |
                                   SMMU_IRQ_CTRL_EVENTQ_IRQEN),
                    smmu_read32(SMMU_IRQ_CTRLACK));
        return false;
    }

    if ( !smmu_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN) )
    {
        xtf_failure("Fail: CR0ACK did not follow CR0 |= SMMUEN (%#x)\n",
                    smmu_read32(SMMU_CR0ACK));
        return false;
    }

    return true;
}

struct smmu_cmd cmd_raw(uint64_t w0, uint64_t w1)
{
    struct smmu_cmd c = { { w0, w1 } };

    return c;
}

struct smmu_cmd cmd_sync(void)
{
    return cmd_raw(MASK_INSR(SMMU_OP_CMD_SYNC, SMMU_CMD_OPCODE) |
                   MASK_INSR(SMMU_SYNC_CS_SEV, SMMU_CMD0_SYNC_CS), 0);
}

struct smmu_cmd cmd_sync_msi(uint64_t addr, uint32_t data)
{
    /* Linux: MSH inner shareable (3), MSIAttr Inner+Outer WB (0xf). */
    return cmd_raw(MASK_INSR(SMMU_OP_CMD_SYNC, SMMU_CMD_OPCODE) |
                   MASK_INSR(SMMU_SYNC_CS_IRQ, SMMU_CMD0_SYNC_CS) |
                   MASK_INSR(3ULL, SMMU_CMD0_SYNC_MSH) |
                   MASK_INSR(0xfULL, SMMU_CMD0_SYNC_MSIATTR) |
                   MASK_INSR((uint64_t)data, SMMU_CMD0_SYNC_MSIDATA),
                   addr & SMMU_CMD1_SYNC_MSIADDR);
}

struct smmu_cmd cmd_cfgi_all(void)
{
    return cmd_raw(MASK_INSR(SMMU_OP_CFGI_STE_RANGE, SMMU_CMD_OPCODE),
                   MASK_INSR(SMMU_CFGI_RANGE_ALL, SMMU_CMD1_CFGI_RANGE));
}

struct smmu_cmd cmd_cfgi_ste(uint32_t sid)
{
    return cmd_raw(MASK_INSR(SMMU_OP_CFGI_STE, SMMU_CMD_OPCODE) |
                   MASK_INSR((uint64_t)sid, SMMU_CMD0_SID),
                   SMMU_CMD1_LEAF);
}

struct smmu_cmd cmd_tlbi_nsnh_all(void)
{
    return cmd_raw(MASK_INSR(SMMU_OP_TLBI_NSNH_ALL, SMMU_CMD_OPCODE), 0);
}

struct smmu_cmd cmd_tlbi_nh_all(void)
{
    return cmd_raw(MASK_INSR(SMMU_OP_TLBI_NH_ALL, SMMU_CMD_OPCODE), 0);
}

bool smmu_cmdq_put(const struct smmu_cmd *cmds, unsigned int n)
{
    struct smmu_queue *q = &smmu_cmdq;
    unsigned int i;

    /* Re-read CONS: the SMMU moves it. */
    q->cons = smmu_read32(SMMU_CMDQ_CONS) & ((2U << q->log2) - 1);
    for ( i = 0; i < n; i++ )
    {
        uint64_t *e;

        if ( q_full(q) )
            return false;
        e = q->base + q_idx(q, q->prod) * 2;
        e[0] = cmds[i].w[0];
        e[1] = cmds[i].w[1];
        q->prod = q_inc(q, q->prod);
    }
    dsb(sy);

    return true;
}

bool smmu_cmdq_put_lazy(const struct smmu_cmd *cmds, unsigned int n)
{
    struct smmu_queue *q = &smmu_cmdq;
    uint32_t used = (q->prod - q->cons) & ((2U << q->log2) - 1);

    if ( used + n > (1U << q->log2) )
        return smmu_cmdq_put(cmds, n);
    for ( ; n; n--, cmds++ )
    {
        uint64_t *e = q->base + q_idx(q, q->prod) * 2;

        e[0] = cmds->w[0];
        e[1] = cmds->w[1];
        q->prod = q_inc(q, q->prod);
    }
    dsb(sy);

    return true;
}

void smmu_cmdq_doorbell(void)
{
    smmu_write32(SMMU_CMDQ_PROD, smmu_cmdq.prod);
}

bool smmu_cmdq_submit(const struct smmu_cmd *cmds, unsigned int n)
{
    if ( !smmu_cmdq_put(cmds, n) )
        return false;
    smmu_cmdq_doorbell();

    return true;
}

enum smmu_wait smmu_cmdq_wait(uint64_t us)
{
    uint64_t start = counter_now();
    uint32_t mask = (2U << smmu_cmdq.log2) - 1;

    do {
        uint32_t cons = smmu_read32(SMMU_CMDQ_CONS);

        smmu_cmdq.cons = cons & mask;
        if ( smmu_cmdq.cons == smmu_cmdq.prod )
            return SMMU_WAIT_DONE;
        if ( smmu_gerror_active() & SMMU_GERROR_CMDQ_ERR )
            return SMMU_WAIT_ERROR;
    } while ( counter_us_since(start) < us );

    return SMMU_WAIT_TIMEOUT;
}

const char *smmu_wait_name(enum smmu_wait w)
{
    switch ( w )
    {
    case SMMU_WAIT_DONE:    return "completed";
    case SMMU_WAIT_ERROR:   return "command error";
    case SMMU_WAIT_TIMEOUT: return "timed out";
    }

    return "?";
}

bool smmu_evtq_pop(uint64_t evt[4])
{
    struct smmu_queue *q = &smmu_evtq;
    uint32_t mask = (2U << q->log2) - 1;
    const uint64_t *e;
    unsigned int i;

    q->prod = smmu_read32(SMMU_EVENTQ_PROD) & mask;
    if ( q_empty(q) )
        return false;

    e = q->base + q_idx(q, q->cons) * 4;
    for ( i = 0; i < 4; i++ )
        evt[i] = e[i];
    q->cons = q_inc(q, q->cons);
    smmu_write32(SMMU_EVENTQ_CONS,
                 q->cons | (smmu_read32(SMMU_EVENTQ_PROD) &
                            SMMU_EVENTQ_PROD_OVFLG));

    return true;
}

bool smmu_evtq_wait(uint64_t evt[4], uint64_t us)
{
    uint64_t start = counter_now();

    do {
        if ( smmu_evtq_pop(evt) )
            return true;
    } while ( counter_us_since(start) < us );

    return false;
}

const char *smmu_event_name(unsigned int id)
{
    switch ( id )
    {
    case SMMU_EVT_F_UUT:              return "F_UUT";
    case SMMU_EVT_C_BAD_STREAMID:     return "C_BAD_STREAMID";
    case SMMU_EVT_F_STE_FETCH:        return "F_STE_FETCH";
    case SMMU_EVT_C_BAD_STE:          return "C_BAD_STE";
    case SMMU_EVT_F_STREAM_DISABLED:  return "F_STREAM_DISABLED";
    case SMMU_EVT_F_TRANSL_FORBIDDEN: return "F_TRANSL_FORBIDDEN";
    case SMMU_EVT_C_BAD_SUBSTREAMID:  return "C_BAD_SUBSTREAMID";
    case SMMU_EVT_F_CD_FETCH:         return "F_CD_FETCH";
    case SMMU_EVT_C_BAD_CD:           return "C_BAD_CD";
    case SMMU_EVT_F_WALK_EABT:        return "F_WALK_EABT";
    case SMMU_EVT_F_TRANSLATION:      return "F_TRANSLATION";
    case SMMU_EVT_F_ADDR_SIZE:        return "F_ADDR_SIZE";
    case SMMU_EVT_F_ACCESS:           return "F_ACCESS";
    case SMMU_EVT_F_PERMISSION:       return "F_PERMISSION";
    case SMMU_EVT_F_TLB_CONFLICT:     return "F_TLB_CONFLICT";
    case SMMU_EVT_F_CFG_CONFLICT:     return "F_CFG_CONFLICT";
    }

    return "?";
}

bool smmu_cmds(const struct smmu_cmd *cmds, unsigned int n, const char *what)
{
    struct smmu_cmd sync = cmd_sync();
    enum smmu_wait w = SMMU_WAIT_TIMEOUT;

    if ( !smmu_cmdq_put(cmds, n) || !smmu_cmdq_put(&sync, 1) )
    {
        xtf_error("Error: %s: command queue full\n", what);
        return false;
    }
    smmu_cmdq_doorbell();
    w = smmu_cmdq_wait(SMMU_POLL_US);
    if ( w != SMMU_WAIT_DONE )
    {
        xtf_failure("Fail: %s + CMD_SYNC: %s (CONS %#x, CONS.ERR %#x)\n",
                    what, smmu_wait_name(w), smmu_read32(SMMU_CMDQ_CONS),
                    (unsigned int)MASK_EXTR(smmu_read32(SMMU_CMDQ_CONS),
                                            SMMU_CMDQ_CONS_ERR));
        return false;
    }

    return true;
}

bool smmu_cmd1(struct smmu_cmd c, const char *what)
{
    return smmu_cmds(&c, 1, what);
}

struct smmu_cmd cmd_cfgi_cd(uint32_t sid, bool leaf)
{
    return cmd_raw(MASK_INSR(SMMU_OP_CFGI_CD, SMMU_CMD_OPCODE) |
                   MASK_INSR((uint64_t)sid, SMMU_CMD0_SID),
                   leaf ? SMMU_CMD1_LEAF : 0);
}

struct smmu_cmd cmd_cfgi_cd_all(uint32_t sid)
{
    return cmd_raw(MASK_INSR(SMMU_OP_CFGI_CD_ALL, SMMU_CMD_OPCODE) |
                   MASK_INSR((uint64_t)sid, SMMU_CMD0_SID), 0);
}

struct smmu_cmd cmd_tlbi_nh_asid(uint16_t asid)
{
    return cmd_raw(MASK_INSR(SMMU_OP_TLBI_NH_ASID, SMMU_CMD_OPCODE) |
                   MASK_INSR((uint64_t)asid, SMMU_CMD0_TLBI_ASID), 0);
}

struct smmu_cmd cmd_tlbi_nh_va(uint16_t asid, uint64_t va, bool leaf)
{
    return cmd_raw(MASK_INSR(SMMU_OP_TLBI_NH_VA, SMMU_CMD_OPCODE) |
                   MASK_INSR((uint64_t)asid, SMMU_CMD0_TLBI_ASID),
                   (va & SMMU_CMD1_TLBI_ADDR) |
                   (leaf ? SMMU_CMD1_TLBI_LEAF : 0));
}

struct smmu_cmd cmd_tlbi_nh_vaa(uint64_t va, bool leaf)
{
    return cmd_raw(MASK_INSR(SMMU_OP_TLBI_NH_VAA, SMMU_CMD_OPCODE),
                   (va & SMMU_CMD1_TLBI_ADDR) |
                   (leaf ? SMMU_CMD1_TLBI_LEAF : 0));
}

struct smmu_cmd cmd_tlbi_nh_va_range(uint16_t asid, uint64_t va,
                                     unsigned int gshift, unsigned int num,
                                     unsigned int scale, bool leaf)
{
    /* TG: 1 = 4 KiB, 2 = 16 KiB, 3 = 64 KiB (4.4.1.1). */
    uint64_t tg = gshift == 12 ? 1 : gshift == 14 ? 2 : 3;

    return cmd_raw(MASK_INSR(SMMU_OP_TLBI_NH_VA, SMMU_CMD_OPCODE) |
                   MASK_INSR((uint64_t)asid, SMMU_CMD0_TLBI_ASID) |
                   MASK_INSR((uint64_t)num, SMMU_CMD0_TLBI_NUM) |
                   MASK_INSR((uint64_t)scale, SMMU_CMD0_TLBI_SCALE),
                   (va & SMMU_CMD1_TLBI_ADDR) |
                   MASK_INSR(tg, SMMU_CMD1_TLBI_TG) |
                   (leaf ? SMMU_CMD1_TLBI_LEAF : 0));
}

void smmu_cd_write(uint64_t *cd, const struct s1_pt *pt, uint16_t asid)
{
    volatile uint64_t *w = cd;
    unsigned int i;

    for ( i = 1; i < SMMU_CD_DWORDS; i++ )
        w[i] = 0;
    w[1] = s1_ttb(pt) & SMMU_CD1_TTB0;
    w[3] = 0xff;                        /* MAIR0 attr 0: Normal WB */
    dsb(sy);
    w[0] = s1_cd0_tcr(pt) | SMMU_CD0_V | SMMU_CD0_AA64 | SMMU_CD0_R |
           SMMU_CD0_A | SMMU_CD0_ASET |
           MASK_INSR((uint64_t)MASK_EXTR(smmu_read32(SMMU_IDR5),
                                         SMMU_IDR5_OAS),
                     SMMU_CD0_IPS) |
           MASK_INSR((uint64_t)asid, SMMU_CD0_ASID);
    dsb(sy);
}

void smmu_ste_write(uint32_t sid, const uint64_t ste[SMMU_STE_DWORDS])
{
    volatile uint64_t *e = smmu_ste(sid);
    unsigned int i;

    for ( i = 1; i < SMMU_STE_DWORDS; i++ )
        e[i] = ste[i];
    dsb(sy);
    e[0] = ste[0];
    dsb(sy);
}

static void ste_config(uint32_t sid, unsigned int config, uint64_t ctxptr)
{
    uint64_t ste[SMMU_STE_DWORDS] = {
        SMMU_STE0_V | MASK_INSR((uint64_t)config, SMMU_STE0_CONFIG) |
        (ctxptr & SMMU_STE0_S1CTXPTR),
    };

    /* Linux's S1 words: CD fetches write-back, inner shareable. */
    if ( config == SMMU_STE_CONFIG_S1_TRANS )
        ste[1] = MASK_INSR(1ULL, SMMU_STE1_S1CIR) |
                 MASK_INSR(1ULL, SMMU_STE1_S1COR) |
                 MASK_INSR(3ULL, SMMU_STE1_S1CSH);
    smmu_ste_write(sid, ste);
}

void smmu_ste_abort(uint32_t sid)
{
    ste_config(sid, SMMU_STE_CONFIG_ABORT, 0);
}

void smmu_ste_bypass(uint32_t sid)
{
    ste_config(sid, SMMU_STE_CONFIG_BYPASS, 0);
}

void smmu_ste_s1(uint32_t sid, const void *cd)
{
    ste_config(sid, SMMU_STE_CONFIG_S1_TRANS, (uintptr_t)cd);
}

bool smmu_ste_install(uint32_t sid, const uint64_t ste[SMMU_STE_DWORDS])
{
    smmu_ste_write(sid, ste);
    return smmu_cmd1(cmd_cfgi_ste(sid), "CFGI_STE");
}

bool smmu_try_read(unsigned int off, unsigned int bits, uint64_t *val,
                   struct xtf_fault *f)
{
    struct xtf_fault seen;
    uintptr_t a = smmu_reg(off);
    uint64_t v;

    smmu_traps++;
    xtf_fault_expect();
    switch ( bits )
    {
    case 8:  v = mmio_read8_seed(a, 0xa5); break;
    case 16: v = mmio_read16_seed(a, 0xa5a5); break;
    case 32: v = mmio_read32_seed(a, 0xa5a5a5a5U); break;
    default: v = mmio_read64_seed(a, 0xa5a5a5a5a5a5a5a5ULL); break;
    }
    seen = xtf_fault_end();
    if ( f )
        *f = seen;
    if ( val )
        *val = v;

    return seen.count == 0;
}

bool smmu_try_write(unsigned int off, unsigned int bits, uint64_t val,
                    struct xtf_fault *f)
{
    struct xtf_fault seen;
    uintptr_t a = smmu_reg(off);

    smmu_traps++;
    xtf_fault_expect();
    switch ( bits )
    {
    case 8:  mmio_write8(a, val); break;
    case 16: mmio_write16(a, val); break;
    case 32: mmio_write32(a, val); break;
    default: mmio_write64(a, val); break;
    }
    seen = xtf_fault_end();
    if ( f )
        *f = seen;

    return seen.count == 0;
}

bool smmu_expect32(unsigned int off, uint32_t want, const char *what)
{
    uint64_t v;

    if ( !smmu_try_read(off, 32, &v, NULL) )
    {
        xtf_failure("Fail: %s (%#x): read aborted\n", what, off);
        return false;
    }
    if ( (uint32_t)v != want )
    {
        xtf_failure("Fail: %s (%#x) = %#x, expected %#x\n", what, off,
                    (uint32_t)v, want);
        return false;
    }

    return true;
}

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
