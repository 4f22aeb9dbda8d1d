/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared part of the libFuzzer targets: environment, checking physical
 * SMMUs, the guest-memory wrapper, the step wrappers with their invariants,
 * and a Linux-like guest driver.  The invariants are listed, with their
 * SPEC-NOTES references, in docs/fuzzing.md; each FZ_CHECK() below names
 * the rule it enforces in its message.
 */
#include <stdio.h>
#include <stdarg.h>

#include "fuzz.h"
#include "fuzz-ops.h"

/* The environment of the step in progress; NULL between steps. */
static struct fz_env *cur;

void fz_bytes(struct fz_in *in, void *buf, size_t len)
{
    uint8_t *b = buf;
    size_t i;

    for ( i = 0; i < len; i++ )
        b[i] = fz_u8(in);
}

void fz_fail(const char *file, int line, const char *expr,
             const char *fmt, ...)
{
    struct fz_env *e = cur;
    va_list ap;

    fprintf(stderr, "\n=== fuzz invariant violated at %s:%d: %s\n", file,
            line, expr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    (void)e;
    abort();
}

void fz_init(void)
{
    static bool done;

    if ( done )
        return;
    done = true;
    /*
     * The rate limit of guest messages keys on NOW(); starting well past one
     * period makes each input's log behaviour independent of the inputs run
     * before it (a new vSMMU's window starts at 0).
     */
    emul_clock_advance(SECONDS(3600));
}

void fz_config_decode(struct fz_config *c, uint8_t h0, uint8_t h1)
{
    static const unsigned int step_works[] = {
        CONFIG_VSMMUV3_STEP_WORK, VSMMUV3_WORK_MIN, FZ_STEP_WORK_MID, 4096 };
    static const unsigned int cmdqs[] = { CONFIG_VSMMUV3_CMDQS, 7, 8, 19 };
    static const unsigned int eventqs[] = {
        CONFIG_VSMMUV3_EVENTQS, 1, 3, 19 };
    static const unsigned int event_budgets[] = {
        CONFIG_VSMMUV3_EVENT_BUDGET, 1, 4, 64 };

    *c = (struct fz_config){
        .step_work = step_works[h0 & 3],
        .cmdqs = cmdqs[(h0 >> 2) & 3],
        .eventqs = eventqs[(h0 >> 4) & 3],
        .ipa_bits = (h1 & 0x10) ? 48 : 40,
        .fail = h1 & 0xf,
        .event_budget = event_budgets[h1 >> 6],
    };
    switch ( h0 >> 6 )
    {
    case 0:     /* one SMMU with range invalidation, one without */
        c->nr_backends = 2;
        c->ril[0] = true;
        break;
    case 1:     /* both with RIL; the second narrower (see fz_env_create) */
        c->nr_backends = 2;
        c->ril[0] = c->ril[1] = true;
        c->narrow = true;
        break;
    case 2:
        c->nr_backends = 1;
        c->ril[0] = (h1 & 0x20) != 0;
        break;
    default:    /* virtual streams only */
        c->nr_backends = 0;
        break;
    }
}

/* Guest RAM. */
bool fz_is_ram(paddr_t gpa, size_t len)
{
    paddr_t p, end = gpa + len;

    if ( !len || end < gpa )
        return false;
    for ( p = gpa & PAGE_MASK; p < end; p += PAGE_SIZE )
    {
        bool ram0 = p >= FZ_RAM0_BASE && p < FZ_RAM0_BASE + FZ_RAM0_SIZE &&
                    p != FZ_HOLE;
        bool ram1 = p >= FZ_RAM1_BASE && p < FZ_RAM1_BASE + FZ_RAM1_SIZE;

        if ( !ram0 && !ram1 )
            return false;
    }
    return true;
}

void fz_ram_write(struct fz_env *e, paddr_t gpa, const void *buf, size_t len)
{
    const uint8_t *b = buf;

    while ( len )
    {
        size_t chunk = min(len, PAGE_SIZE - (gpa & (PAGE_SIZE - 1)));

        if ( fz_is_ram(gpa, chunk) )
            emul_ram_write(e->d, gpa, b, chunk);
        gpa += chunk;
        b += chunk;
        len -= chunk;
    }
}

bool fz_ram_read(struct fz_env *e, paddr_t gpa, void *buf, size_t len)
{
    if ( !fz_is_ram(gpa, len) )
    {
        memset(buf, 0, len);
        return false;
    }
    emul_ram_read(e->d, gpa, buf, len);
    return true;
}

/*
 * A guest address: mostly RAM, sometimes the hole, the end of a bank, no
 * RAM at all, or an address beyond the output size.
 */
paddr_t fz_addr(uint8_t sel, uint32_t off)
{
    switch ( sel & 7 )
    {
    case 0: case 1: case 2:
        return FZ_RAM0_BASE + off % FZ_RAM0_SIZE;
    case 3:
        return FZ_RAM1_BASE + off % FZ_RAM1_SIZE;
    case 4:
        return FZ_HOLE + off % PAGE_SIZE;
    case 5:
        return FZ_RAM0_BASE + FZ_RAM0_SIZE - 0x100 + off % 0x200;
    case 6:
        return FZ_NOT_RAM + off;
    default:
        return FZ_RAM0_BASE | (uint64_t)(off | 1) << 36;
    }
}

/*
 * Checking physical SMMUs.  Each call is checked where it happens, so that
 * a violation aborts with the model's stack: S8.4 (a guest only affects
 * its own streams, never gets more than its stage 1 nested on Xen's stage
 * 2, never picks the VMID) and the ops contract of vsmmu-v3.h.
 */
static struct fz_stream *phys_stream(struct fz_phys *p, uint32_t psid,
                                     const char *op)
{
    struct fz_env *e = p->e;
    unsigned int i;

    FZ_CHECK(cur == e, "physical SMMU op %s outside a step", op);
    FZ_CHECK(spin_is_locked(&e->vs->lock),
             "physical SMMU op %s without the vSMMU lock", op);
    for ( i = 0; i < e->nr_streams; i++ )
        if ( e->streams[i].backend == (int)p->idx &&
             e->streams[i].psid == psid )
            return &e->streams[i];
    FZ_CHECK(false, "S8.4: %s on pSID %#x, not a stream of this domain on "
             "SMMU %u", op, psid, p->idx);
    return NULL;
}

static int phys_record(struct fz_phys *p, struct fz_stream *s,
                       enum vsmmuv3_ste_cfg cfg, const uint64_t ste[2],
                       unsigned int fail)
{
    p->installs++;
    p->e->step_installs++;
    if ( p->fail & fail )
    {
        /* What the stream does now is not known (nor need it be). */
        s->phys_unknown = true;
        return -EIO;
    }
    s->install_seq = ++p->e->seq;
    s->phys_unknown = false;
    s->phys_known = true;
    s->phys_cfg = cfg;
    s->phys_ste[0] = ste ? ste[0] : 0;
    s->phys_ste[1] = ste ? ste[1] : 0;
    return 0;
}

static int phys_install_nested(void *priv, uint32_t psid,
                               const uint64_t ste[2])
{
    struct fz_phys *p = priv;
    struct fz_stream *s = phys_stream(p, psid, "install_nested");
    struct vsmmuv3 *vs = p->e->vs;
    paddr_t ctx = ste[0] & SMMU_STE0_S1CTXPTR;

    FZ_CHECK(!vs->dying, "S8.4: nested configuration installed for vSID "
             "%#x after relinquish", s->vsid);
    FZ_CHECK(vs->cr0 & SMMU_CR0_SMMUEN,
             "S2/GBPA: nested configuration for vSID %#x while SMMUEN=0",
             s->vsid);
    FZ_CHECK(!(ste[0] & ~SMMU_STE0_GUEST_MASK) &&
             !(ste[1] & ~SMMU_STE1_GUEST_MASK),
             "S5.3: STE words %#lx %#lx for vSID %#x outside the guest masks",
             (unsigned long)ste[0], (unsigned long)ste[1], s->vsid);
    FZ_CHECK((ste[0] & SMMU_STE0_V) &&
             MASK_EXTR(ste[0], SMMU_STE0_CONFIG) ==
                 SMMU_STE_CONFIG_S1_TRANS,
             "S5.2: nested install of a non-S1 STE %#lx",
             (unsigned long)ste[0]);
    FZ_CHECK(fz_is_ram(ctx, SMMU_CD_SIZE),
             "S5.3: S1ContextPtr %#lx of vSID %#x is not guest RAM",
             (unsigned long)ctx, s->vsid);
    return phys_record(p, s, VSMMUV3_STE_NESTED, ste, FZ_FAIL_INSTALL);
}

static int phys_set_abort(void *priv, uint32_t psid)
{
    struct fz_phys *p = priv;
    struct fz_stream *s = phys_stream(p, psid, "set_abort");

    return phys_record(p, s, VSMMUV3_STE_ABORT, NULL, FZ_FAIL_ABORT);
}

static int phys_set_s2_only(void *priv, uint32_t psid)
{
    struct fz_phys *p = priv;
    struct fz_stream *s = phys_stream(p, psid, "set_s2_only");
    struct vsmmuv3 *vs = p->e->vs;

    FZ_CHECK(!vs->dying, "S8.4: stage-2 translation enabled for vSID %#x "
             "after relinquish", s->vsid);
    FZ_CHECK((vs->cr0 & SMMU_CR0_SMMUEN) || !(vs->gbpa & SMMU_GBPA_ABORT),
             "S2/GBPA: vSID %#x translated while SMMUEN=0 and GBPA.ABORT=1",
             s->vsid);
    return phys_record(p, s, VSMMUV3_STE_S2_ONLY, NULL, FZ_FAIL_INSTALL);
}

static bool backend_has_psid(const struct fz_env *e, unsigned int b,
                             uint32_t psid)
{
    unsigned int i;

    for ( i = 0; i < e->nr_streams; i++ )
        if ( e->streams[i].backend == (int)b && e->streams[i].psid == psid )
            return true;
    return false;
}

/* S4.6: every relayed command was rebuilt for this SMMU and this domain. */
static void check_relayed(const struct fz_phys *p, const uint64_t c[2])
{
    const struct fz_env *e = p->e;
    const struct vsmmuv3 *vs = e->vs;
    unsigned int op = MASK_EXTR(c[0], SMMU_CMD_OPCODE);
    unsigned int vmid = MASK_EXTR(c[0], SMMU_CMD0_TLBI_VMID);
    unsigned int tg = MASK_EXTR(c[1], SMMU_CMD1_TLBI_TG);
    static const uint32_t gran[] = {
        0, SMMU_IDR5_GRAN4K, SMMU_IDR5_GRAN16K, SMMU_IDR5_GRAN64K };
    uint64_t caps5 = vs->backends[p->idx].caps.idr[5];

    switch ( op )
    {
    case SMMU_OP_TLBI_NH_ALL:
        FZ_CHECK(c[0] == (MASK_INSR(op, SMMU_CMD_OPCODE) |
                          MASK_INSR(p->vmid, SMMU_CMD0_TLBI_VMID)) &&
                 c[1] == 0,
                 "S4.6: TLBI_NH_ALL %#lx %#lx not for VMID %#x only",
                 (unsigned long)c[0], (unsigned long)c[1], p->vmid);
        return;
    case SMMU_OP_TLBI_NH_ASID:
    case SMMU_OP_TLBI_NH_VA:
    case SMMU_OP_TLBI_NH_VAA:
        FZ_CHECK(vmid == p->vmid,
                 "S8.4: relayed TLBI %#x carries VMID %#x, SMMU %u has %#x",
                 op, vmid, p->idx, p->vmid);
        if ( !(vs->id.idr[0] & SMMU_IDR0_ASID16) )
            FZ_CHECK(MASK_EXTR(c[0], SMMU_CMD0_TLBI_ASID) <= 0xff,
                     "S4.6: 16-bit ASID relayed without ASID16");
        if ( op == SMMU_OP_TLBI_NH_ASID )
        {
            FZ_CHECK(!(c[0] & ~(SMMU_CMD_OPCODE | SMMU_CMD0_TLBI_VMID |
                                SMMU_CMD0_TLBI_ASID)) && c[1] == 0,
                     "S4.6: TLBI_NH_ASID %#lx %#lx has fields not rebuilt",
                     (unsigned long)c[0], (unsigned long)c[1]);
            return;
        }
        FZ_CHECK(!(c[0] & ~(SMMU_CMD_OPCODE | SMMU_CMD0_TLBI_NUM |
                            SMMU_CMD0_TLBI_SCALE | SMMU_CMD0_TLBI_VMID |
                            SMMU_CMD0_TLBI_ASID)) &&
                 !(c[1] & ~(SMMU_CMD1_TLBI_LEAF | SMMU_CMD1_TLBI_TTL |
                            SMMU_CMD1_TLBI_TG | SMMU_CMD1_TLBI_ADDR)),
                 "S4.6: TLBI VA %#lx %#lx has fields not rebuilt",
                 (unsigned long)c[0], (unsigned long)c[1]);
        if ( op == SMMU_OP_TLBI_NH_VAA )
            FZ_CHECK(!MASK_EXTR(c[0], SMMU_CMD0_TLBI_ASID),
                     "S4.6: TLBI_NH_VAA with an ASID");
        if ( tg )
        {
            FZ_CHECK(p->ril, "S3.1: range TLBI relayed to SMMU %u without "
                     "RIL", p->idx);
            FZ_CHECK(caps5 & gran[tg], "S4.6: range TLBI with TG %u the "
                     "SMMU does not support", tg);
        }
        else
            FZ_CHECK(!(c[0] & (SMMU_CMD0_TLBI_NUM | SMMU_CMD0_TLBI_SCALE)) &&
                     !(c[1] & SMMU_CMD1_TLBI_TTL),
                     "S4.6: NUM/SCALE/TTL relayed without TG");
        return;
    case SMMU_OP_CFGI_CD:
    case SMMU_OP_CFGI_CD_ALL:
        FZ_CHECK(!(c[0] & ~(SMMU_CMD_OPCODE | SMMU_CMD0_SID)) &&
                 !(c[1] & ~(op == SMMU_OP_CFGI_CD ? SMMU_CMD1_LEAF : 0)),
                 "S4.6: CFGI_CD %#lx %#lx has fields not rebuilt",
                 (unsigned long)c[0], (unsigned long)c[1]);
        FZ_CHECK(backend_has_psid(e, p->idx,
                                  MASK_EXTR(c[0], SMMU_CMD0_SID)),
                 "S8.4: CFGI_CD for pSID %#lx, not this domain's on SMMU %u",
                 (unsigned long)MASK_EXTR(c[0], SMMU_CMD0_SID), p->idx);
        return;
    default:
        FZ_CHECK(false, "S4.6: opcode %#x relayed to a physical SMMU", op);
    }
}

/*
 * S4.6: after a refused queue or a failed sync, nobody knows which of the
 * invalidations given to that SMMU took effect.  Before a guest CMD_SYNC
 * may complete, the SMMU must have accepted, after the failure, a
 * CFGI_CD_ALL for each of its streams that is nested (unless the stream
 * was installed afresh since), and then a TLBI_NH_ALL for the VMID.  The
 * guest's own commands count as well as the model's recovery.
 */
static void phys_failed(struct fz_phys *p)
{
    p->dirty = true;
    p->fail_seq = ++p->e->seq;
}

static void note_recovery(struct fz_phys *p, const uint64_t c[2])
{
    struct fz_env *e = p->e;
    unsigned int op = MASK_EXTR(c[0], SMMU_CMD_OPCODE), i;
    uint32_t sid = MASK_EXTR(c[0], SMMU_CMD0_SID);

    if ( op == SMMU_OP_CFGI_CD_ALL )
    {
        for ( i = 0; i < e->nr_streams; i++ )
            if ( e->streams[i].backend == (int)p->idx &&
                 e->streams[i].psid == sid )
                e->streams[i].cd_all_seq = ++e->seq;
        return;
    }
    if ( op != SMMU_OP_TLBI_NH_ALL || !p->dirty )
        return;
    for ( i = 0; i < e->nr_streams; i++ )
    {
        const struct fz_stream *s = &e->streams[i];

        if ( s->backend == (int)p->idx && s->phys_known &&
             !s->phys_unknown && s->phys_cfg == VSMMUV3_STE_NESTED &&
             s->cd_all_seq < p->fail_seq && s->install_seq < p->fail_seq )
            return;     /* not recovered: this TLBI is no recovery */
    }
    p->dirty = false;
}

static int phys_queue_inval(void *priv, const uint64_t (*cmds)[2],
                            unsigned int nr)
{
    struct fz_phys *p = priv;
    struct fz_env *e = p->e;
    unsigned int i;

    FZ_CHECK(cur == e, "queue_inval outside a step");
    FZ_CHECK(spin_is_locked(&e->vs->lock), "queue_inval without the lock");
    FZ_CHECK(nr >= 1 && nr <= VSMMUV3_BATCH, "queue_inval of %u commands",
             nr);
    for ( i = 0; i < nr; i++ )
        check_relayed(p, cmds[i]);
    p->queue_calls++;
    p->inval_cmds += nr;
    p->unsynced += nr;
    e->step_inval += nr;
    if ( p->fail & FZ_FAIL_QUEUE )
    {
        phys_failed(p);
        return -EIO;
    }
    for ( i = 0; i < nr; i++ )
        note_recovery(p, cmds[i]);
    return 0;
}

static int phys_sync(void *priv)
{
    struct fz_phys *p = priv;
    struct fz_env *e = p->e;

    FZ_CHECK(cur == e, "sync outside a step");
    FZ_CHECK(spin_is_locked(&e->vs->lock), "sync without the lock");
    p->syncs++;
    e->step_syncs++;
    if ( p->fail & FZ_FAIL_SYNC )
    {
        phys_failed(p);
        e->step_sync_failed = true;
        return -EIO;
    }
    p->unsynced = 0;
    return 0;
}

static const struct vsmmuv3_phys_ops fz_phys_ops = {
    .install_nested = phys_install_nested,
    .set_abort = phys_set_abort,
    .set_s2_only = phys_set_s2_only,
    .queue_inval = phys_queue_inval,
    .sync = phys_sync,
};

/* Work units of the step so far, as the harness observed it (S8.8). */
static unsigned long step_units(const struct fz_env *e)
{
    return e->step_mem * VSMMUV3_WORK_GUEST_MEM +
           e->step_inval * VSMMUV3_WORK_PHYS_CMD +
           e->step_syncs * VSMMUV3_WORK_PHYS_SYNC +
           e->step_installs * VSMMUV3_WORK_INSTALL;
}

/*
 * A fetch of @n commands: with the fetch itself and one unit for each
 * command, it fits in what the step has left (S8.8).
 */
static bool fetch_fits(const struct fz_env *e, uint32_t n)
{
    return n <= VSMMUV3_FETCH &&
           step_units(e) + VSMMUV3_WORK_GUEST_MEM + n * VSMMUV3_WORK_CMD <=
           e->vs->step_work;
}

/*
 * Guest memory.  The model may read only: commands at CONS, not past PROD
 * or the end of the queue, while the queue runs; a 64-byte STE inside the
 * linear table, or inside the level-2 table named by the L1 descriptor it
 * just read; an L1 descriptor inside the L1 table; the first word of the
 * CD the STE it just read points at.  It may write only a 32-byte record at
 * the event queue's PROD while the queue is on, not full and not in error
 * (4-byte MSI writes only with IDR0.MSI).  Always with the vSMMU lock held.
 */
int __real_access_guest_memory_by_gpa(struct domain *d, paddr_t gpa,
                                      void *buf, uint32_t size,
                                      bool is_write);

/* Is the interrupt configured by @cfg0 signalled by MSI (S3.3)? */
static bool msi_mode(const struct vsmmuv3 *vs, uint64_t cfg0)
{
    return (vs->id.idr[0] & SMMU_IDR0_MSI) && (cfg0 & SMMU_IRQ_CFG0_ADDR);
}

static bool is_cmd_fetch(const struct fz_env *e, paddr_t gpa, uint32_t size)
{
    const struct vsmmuv3 *vs = e->vs;
    const struct vsmmuv3_queue *q = &vs->cmdq;
    uint32_t n = size / SMMU_CMD_SIZE, nr = 1U << vsmmuv3_q_log2(q);
    uint32_t wm = vsmmuv3_q_wrap_mask(q);
    uint32_t idx = vsmmuv3_q_idx(q, q->cons);
    uint32_t avail = ((q->prod & wm) - (q->cons & wm)) & wm;

    return (vs->cr0 & SMMU_CR0_CMDQEN) && !vs->dying &&
           !((vs->gerror ^ vs->gerrorn) & SMMU_GERROR_CMDQ_ERR) &&
           size && !(size % SMMU_CMD_SIZE) &&
           gpa == vsmmuv3_q_addr(q) + (paddr_t)idx * SMMU_CMD_SIZE &&
           idx + n <= nr && n <= avail && fetch_fits(e, n);
}

/* A read at CONS that is no valid fetch: say which rule it breaks. */
static void explain_cmd_fetch(const struct fz_env *e, paddr_t gpa,
                              uint32_t size)
{
    const struct vsmmuv3 *vs = e->vs;
    const struct vsmmuv3_queue *q = &vs->cmdq;
    uint32_t n = size / SMMU_CMD_SIZE, nr = 1U << vsmmuv3_q_log2(q);
    uint32_t wm = vsmmuv3_q_wrap_mask(q);
    uint32_t idx = vsmmuv3_q_idx(q, q->cons);
    uint32_t avail = ((q->prod & wm) - (q->cons & wm)) & wm;

    if ( gpa != vsmmuv3_q_addr(q) + (paddr_t)idx * SMMU_CMD_SIZE ||
         size % SMMU_CMD_SIZE )
        return;
    FZ_CHECK((vs->cr0 & SMMU_CR0_CMDQEN) && !vs->dying,
             "S4.1: commands fetched with CMDQEN=0 or after relinquish");
    FZ_CHECK(!((vs->gerror ^ vs->gerrorn) & SMMU_GERROR_CMDQ_ERR),
             "S4.4: commands fetched while CMDQ_ERR is active");
    FZ_CHECK(fetch_fits(e, n), "S8.8: %u commands fetched at once with %lu "
             "of %u work units of the step used", n, step_units(e),
             vs->step_work);
    FZ_CHECK(n <= avail, "S4.1: %u commands fetched with %u between CONS "
             "%#x and PROD %#x", n, avail, q->cons, q->prod);
    FZ_CHECK(idx + n <= nr, "S4.2: fetch of %u commands at index %u runs "
             "past the end of a %u-entry queue", n, idx, nr);
}

static bool in_table(paddr_t gpa, paddr_t base, uint64_t entries,
                     unsigned int esize)
{
    return gpa >= base && !((gpa - base) % esize) &&
           (gpa - base) / esize < entries;
}

static bool is_ste_read(const struct fz_env *e, paddr_t gpa, uint32_t size)
{
    const struct vsmmuv3 *vs = e->vs;
    uint32_t cfg = vs->strtab_base_cfg;
    unsigned int log2 = MASK_EXTR(cfg, SMMU_STRTAB_BASE_CFG_LOG2SIZE);

    if ( size != SMMU_STE_SIZE )
        return false;
    /* IHI 0070 6.3.25: a reserved FMT behaves as linear. */
    if ( MASK_EXTR(cfg, SMMU_STRTAB_BASE_CFG_FMT) ==
         SMMU_STRTAB_FMT_2LVL )
        return e->l2_valid &&
               in_table(gpa, e->l2_base, e->l2_entries, SMMU_STE_SIZE);
    return in_table(gpa, vs->strtab_base & SMMU_STRTAB_BASE_ADDR,
                    1ULL << log2, SMMU_STE_SIZE);
}

static bool is_l1_read(const struct fz_env *e, paddr_t gpa, uint32_t size,
                       unsigned int *split)
{
    const struct vsmmuv3 *vs = e->vs;
    uint32_t cfg = vs->strtab_base_cfg;
    unsigned int log2 = MASK_EXTR(cfg, SMMU_STRTAB_BASE_CFG_LOG2SIZE);

    *split = MASK_EXTR(cfg, SMMU_STRTAB_BASE_CFG_SPLIT);
    /* IHI 0070 6.3.25: a reserved SPLIT behaves as 6. */
    if ( *split != 6 && *split != 8 && *split != 10 )
        *split = 6;
    if ( size != SMMU_L1STD_SIZE ||
         MASK_EXTR(cfg, SMMU_STRTAB_BASE_CFG_FMT) != SMMU_STRTAB_FMT_2LVL )
        return false;
    return in_table(gpa, vs->strtab_base & SMMU_STRTAB_BASE_ADDR,
                    log2 > *split ? 1ULL << (log2 - *split) : 1,
                    SMMU_L1STD_SIZE);
}

static bool is_cd_read(const struct fz_env *e, paddr_t gpa, uint32_t size)
{
    unsigned int oas = SMMU_OAS_BITS(MASK_EXTR(e->vs->id.idr[5],
                                               SMMU_IDR5_OAS));

    return size == sizeof(uint64_t) && e->cd_valid && gpa == e->cd_addr &&
           !(gpa >> oas);
}

/* Event records with an S2 field: S2=1 is a fault of Xen's stage 2. */
static bool has_s2_field(unsigned int id)
{
    return id == SMMU_EVT_F_WALK_EABT || id == SMMU_EVT_F_TRANSLATION ||
           id == SMMU_EVT_F_ADDR_SIZE || id == SMMU_EVT_F_ACCESS ||
           id == SMMU_EVT_F_PERMISSION;
}

/* S6.1: a record forwarded from the physical SMMU of FZ_STEP_PHYS. */
static void check_forwarded(struct fz_env *e, const uint64_t rec[4])
{
    const uint64_t *evt = e->phys_evt;
    unsigned int id = MASK_EXTR(evt[0], SMMU_EVT0_ID);

    FZ_CHECK(!(has_s2_field(id) && (evt[1] & SMMU_EVT1_S2)),
             "S6.1: event %#x of Xen's stage 2 (S2=1) forwarded to the "
             "guest as %#lx %#lx", id, (unsigned long)rec[0],
             (unsigned long)rec[1]);
    FZ_CHECK(id != SMMU_EVT_C_BAD_STREAMID && id != SMMU_EVT_F_STE_FETCH &&
             id != SMMU_EVT_F_UUT && id != SMMU_EVT_F_BAD_ATS_TREQ &&
             id != SMMU_EVT_F_TLB_CONFLICT && id != SMMU_EVT_F_CFG_CONFLICT &&
             id != SMMU_EVT_E_PAGE_REQUEST && id != SMMU_EVT_F_TRANSL_FORBIDDEN,
             "S6.1: event %#x about Xen's configuration forwarded", id);
    FZ_CHECK(MASK_EXTR(rec[0], SMMU_EVT0_ID) == id &&
             MASK_EXTR(rec[0], SMMU_EVT0_SID) == e->phys_vsid,
             "S6.1: forwarded record %#lx: not event %#x of vSID %#x",
             (unsigned long)rec[0], id, e->phys_vsid);
    FZ_CHECK(!(rec[1] & (SMMU_EVT1_S2 | SMMU_EVT1_NSIPA)) && !rec[3],
             "S6.1: forwarded record keeps stage-2 detail: %#lx %#lx",
             (unsigned long)rec[1], (unsigned long)rec[3]);
}

static void check_event_write(struct fz_env *e, paddr_t gpa,
                              const uint64_t evt[4])
{
    const struct vsmmuv3 *vs = e->vs;
    const struct vsmmuv3_queue *q = &vs->evtq;
    unsigned int id = MASK_EXTR(evt[0], SMMU_EVT0_ID);

    FZ_CHECK(vs->cr0 & SMMU_CR0_EVENTQEN,
             "S6.2: event written while EVENTQEN=0");
    FZ_CHECK(!((vs->gerror ^ vs->gerrorn) & SMMU_GERROR_EVENTQ_ABT_ERR),
             "S6.2: event written while EVENTQ_ABT_ERR is active");
    FZ_CHECK(!vsmmuv3_q_full(q), "S6.2: event written to a full queue");
    FZ_CHECK(gpa == vsmmuv3_q_addr(q) +
                    (paddr_t)vsmmuv3_q_idx(q, q->prod) * SMMU_EVT_SIZE,
             "S6.2: event written at %#lx, not at PROD %#x of queue %#lx",
             (unsigned long)gpa, q->prod, (unsigned long)q->base);
    if ( e->kind == FZ_STEP_PHYS )
    {
        check_forwarded(e, evt);
        return;
    }
    /*
     * S6.1: what the model synthesises; C_BAD_CD only about a CD it read
     * (one enabling what the vSMMU does not advertise).
     */
    FZ_CHECK(id == SMMU_EVT_C_BAD_STREAMID || id == SMMU_EVT_C_BAD_STE ||
             id == SMMU_EVT_F_STE_FETCH ||
             (id == SMMU_EVT_C_BAD_CD && e->step_cd_reads),
             "S6.1: event %#x synthesised (%u CD reads in the step)", id,
             e->step_cd_reads);
    FZ_CHECK(!(evt[0] & ~(SMMU_EVT0_ID | SMMU_EVT0_SID)) && !evt[1] &&
             !evt[2] &&
             (id == SMMU_EVT_F_STE_FETCH ? !(evt[3] & ~SMMU_EVT3_FETCH_ADDR)
                                         : !evt[3]),
             "S6.1: event %#x has stray fields: %#lx %#lx %#lx %#lx", id,
             (unsigned long)evt[0], (unsigned long)evt[1],
             (unsigned long)evt[2], (unsigned long)evt[3]);
}

/*
 * A 4-byte write is an MSI (S3.3, S4.5): MSIData of a CMD_SYNC just
 * fetched to its MSIAddr, or *_IRQ_CFG1 to *_IRQ_CFG0 of an enabled
 * interrupt in MSI mode.  Returns the GERROR bits its abort may raise.
 */
static uint32_t check_msi_write(struct fz_env *e, paddr_t gpa, uint32_t data)
{
    const struct vsmmuv3 *vs = e->vs;
    uint32_t classes = 0;
    unsigned int i;

    FZ_CHECK(vs->id.idr[0] & SMMU_IDR0_MSI,
             "S3.3: MSI write at %#lx without IDR0.MSI", (unsigned long)gpa);
    for ( i = 0; i < e->nr_sync_msi; i++ )
        if ( gpa == e->sync_msi_addr[i] && data == e->sync_msi_data[i] )
            classes |= SMMU_GERROR_MSI_CMDQ_ABT_ERR;
    if ( e->sync_msi_overflow )
        classes |= SMMU_GERROR_MSI_CMDQ_ABT_ERR;
    if ( (vs->irq_ctrl & SMMU_IRQ_CTRL_GERROR_IRQEN) &&
         msi_mode(vs, vs->gerror_irq_cfg0) &&
         gpa == (vs->gerror_irq_cfg0 & SMMU_IRQ_CFG0_ADDR) &&
         data == vs->gerror_irq_cfg1 )
        classes |= SMMU_GERROR_MSI_GERROR_ABT_ERR;
    if ( (vs->irq_ctrl & SMMU_IRQ_CTRL_EVENTQ_IRQEN) &&
         msi_mode(vs, vs->evtq_irq_cfg0) &&
         gpa == (vs->evtq_irq_cfg0 & SMMU_IRQ_CFG0_ADDR) &&
         data == vs->evtq_irq_cfg1 )
        classes |= SMMU_GERROR_MSI_EVENTQ_ABT_ERR;
    FZ_CHECK(classes, "S8.3: write of %#x at %#lx is no MSI the guest "
             "configured", data, (unsigned long)gpa);
    /*
     * S4.5: a CMD_SYNC completes the physical work before it; S4.6: after
     * a physical failure, only once the SMMU was given the recovery.
     */
    if ( classes == SMMU_GERROR_MSI_CMDQ_ABT_ERR )
        for ( i = 0; i < e->cfg.nr_backends; i++ )
        {
            FZ_CHECK(!e->phys[i].unsynced,
                     "S4.5: CMD_SYNC signalled with %lu invalidations not "
                     "synced on SMMU %u", e->phys[i].unsynced, i);
            FZ_CHECK(!e->phys[i].dirty,
                     "S4.6: CMD_SYNC signalled although SMMU %u failed "
                     "(seq %lu) and was not given CFGI_CD_ALL for each "
                     "nested stream then TLBI_NH_ALL since", i,
                     e->phys[i].fail_seq);
        }
    return classes;
}

/*
 * Note the CMD_SYNCs with CS=SIG_IRQ among @n commands just fetched at
 * @gpa, and whether the guest driver's polled CMD_SYNC was among them.
 * Notes add up over the step: the model runs a fetched batch while it
 * reads STEs, and a guest may lay its stream table over its queue, so a
 * later read of the same memory can look like a fetch too.
 * MSIAddr 0 asks for no MSI (IHI 0070 4.7.3): such a CMD_SYNC may write
 * nothing.
 */
static void note_sync_msi(struct fz_env *e, paddr_t addr, uint32_t data)
{
    unsigned int i;

    for ( i = 0; i < e->nr_sync_msi; i++ )
        if ( e->sync_msi_addr[i] == addr && e->sync_msi_data[i] == data )
            return;
    if ( e->nr_sync_msi == ARRAY_SIZE(e->sync_msi_addr) )
    {
        e->sync_msi_overflow = true;
        return;
    }
    e->sync_msi_addr[e->nr_sync_msi] = addr;
    e->sync_msi_data[e->nr_sync_msi++] = data;
}

static void note_sync_msis(struct fz_env *e, paddr_t gpa,
                           const uint64_t (*cmds)[2], unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n && i < VSMMUV3_FETCH; i++ )
    {
        bool sync = MASK_EXTR(cmds[i][0], SMMU_CMD_OPCODE) ==
                    SMMU_OP_CMD_SYNC &&
                    MASK_EXTR(cmds[i][0], SMMU_CMD0_SYNC_CS) ==
                    SMMU_SYNC_CS_IRQ;

        if ( e->guest_sync_slot &&
             gpa + (paddr_t)i * SMMU_CMD_SIZE == e->guest_sync_slot )
            e->guest_sync_fetched =
                sync && !MASK_EXTR(cmds[i][0], SMMU_CMD0_SYNC_MSIDATA) &&
                (cmds[i][1] & SMMU_CMD1_SYNC_MSIADDR) == e->guest_sync_slot;
        if ( sync && (cmds[i][1] & SMMU_CMD1_SYNC_MSIADDR) )
            note_sync_msi(e, cmds[i][1] & SMMU_CMD1_SYNC_MSIADDR,
                          MASK_EXTR(cmds[i][0], SMMU_CMD0_SYNC_MSIDATA));
    }
}

int __wrap_access_guest_memory_by_gpa(struct domain *d, paddr_t gpa,
                                      void *buf, uint32_t size,
                                      bool is_write);
int __wrap_access_guest_memory_by_gpa(struct domain *d, paddr_t gpa,
                                      void *buf, uint32_t size,
                                      bool is_write)
{
    struct fz_env *e = cur;
    bool cmd, ste, l1, cd;
    unsigned int split;
    int rc;

    FZ_CHECK(e && d == e->d, "guest memory access outside a step");
    FZ_CHECK(spin_is_locked(&e->vs->lock),
             "S1.4: guest memory access without the vSMMU lock");
    /*
     * S8.7: the work a guest causes is done in its own vCPU's time: in a
     * trap or a continuation step, by that vCPU.  Only a physical event
     * (Xen's interrupt) and the builder/teardown run outside any vCPU.
     */
    if ( e->kind == FZ_STEP_MMIO || e->kind == FZ_STEP_CONT )
        FZ_CHECK(current == e->step_vcpu,
                 "S8.7: guest memory accessed in the %s of vCPU %u while "
                 "vCPU %d is current", e->kind == FZ_STEP_MMIO ? "trap"
                                                              : "continuation",
                 e->step_vcpu->vcpu_id, current ? current->vcpu_id : -1);
    else
    {
        FZ_CHECK(!current, "a vCPU is current in a %s step",
                 e->kind == FZ_STEP_PHYS ? "physical event" : "builder");
        e->no_vcpu++;
    }

    if ( is_write )
    {
        uint32_t classes = 0, data;

        FZ_CHECK(size == SMMU_EVT_SIZE || size == sizeof(data),
                 "S8.3: write of %u bytes at %#lx", size, (unsigned long)gpa);
        e->step_mem++;
        if ( size == SMMU_EVT_SIZE )
            check_event_write(e, gpa, buf);
        else
        {
            memcpy(&data, buf, sizeof(data));
            classes = check_msi_write(e, gpa, data);
        }
        rc = __real_access_guest_memory_by_gpa(d, gpa, buf, size, true);
        if ( rc && size == SMMU_EVT_SIZE )
            e->step_evt_failed = true;
        if ( rc )
            e->step_msi_failed |= classes;
        else if ( size == sizeof(data) && gpa == e->guest_sync_slot &&
                  !data && (classes & SMMU_GERROR_MSI_CMDQ_ABT_ERR) )
            e->guest_sync_signalled = true;
        return rc;
    }

    cmd = is_cmd_fetch(e, gpa, size);
    ste = is_ste_read(e, gpa, size);
    l1 = is_l1_read(e, gpa, size, &split);
    cd = is_cd_read(e, gpa, size);
    if ( cmd )
    {
        e->step_fetches++;
        e->step_ambiguous |= ste || l1 || cd;
    }
    if ( cd )
        e->step_cd_reads++;
    if ( !(cmd || ste || l1 || cd) )
        explain_cmd_fetch(e, gpa, size);
    FZ_CHECK(cmd || ste || l1 || cd,
             "S8.3: read of %u bytes at %#lx is none of the guest's "
             "structures (CMDQ %#lx P %#x C %#x, STRTAB %#lx cfg %#x)",
             size, (unsigned long)gpa, (unsigned long)e->vs->cmdq.base,
             e->vs->cmdq.prod, e->vs->cmdq.cons,
             (unsigned long)e->vs->strtab_base, e->vs->strtab_base_cfg);
    e->l2_valid = false;
    e->cd_valid = false;

    /* Counted after the checks above, which look at the work before it. */
    e->step_mem++;
    if ( cmd )
        e->fetch_n = 0;
    rc = __real_access_guest_memory_by_gpa(d, gpa, buf, size, false);
    if ( rc )
        return rc;
    if ( cmd )
    {
        note_sync_msis(e, gpa, buf, size / SMMU_CMD_SIZE);
        e->fetch_gpa = gpa;
        e->fetch_n = size / SMMU_CMD_SIZE;
        memcpy(e->fetch_cmds, buf, size);
    }
    if ( l1 )
    {
        uint64_t desc;
        unsigned int span;

        memcpy(&desc, buf, sizeof(desc));
        span = MASK_EXTR(desc, SMMU_L1STD_SPAN);
        if ( span && span <= split + 1 )
        {
            e->l2_valid = true;
            e->l2_base = desc & SMMU_L1STD_L2PTR;
            e->l2_entries = 1ULL << (span - 1);
        }
    }
    if ( ste )
    {
        uint64_t w0;

        memcpy(&w0, buf, sizeof(w0));
        e->cd_valid = true;
        e->cd_addr = w0 & SMMU_STE0_S1CTXPTR;
    }
    return rc;
}

/* Steps. */

/*
 * S4.1, S4.2: the commands between CONS and PROD.  A PROD behind CONS
 * would make a queue hold more than its size: it holds none.
 */
static uint32_t cmdq_avail(uint32_t prod, uint32_t cons, uint32_t wm)
{
    uint32_t n = (prod - cons) & wm;

    return n <= (wm >> 1) + 1 ? n : 0;
}

bool fz_work_pending(const struct vsmmuv3 *vs)
{
    bool stalled = (vs->gerror ^ vs->gerrorn) & SMMU_GERROR_CMDQ_ERR;
    uint32_t wm = vsmmuv3_q_wrap_mask(&vs->cmdq);

    /* A command spanning steps is one the queue still holds, at CONS. */
    return !vs->dying &&
           (vs->sweep_active ||
            ((vs->cr0 & SMMU_CR0_CMDQEN) && !stalled &&
             cmdq_avail(vs->cmdq.prod, vs->cmdq.cons, wm)));
}

static bool any_vcpu_work(const struct fz_env *e)
{
    unsigned int i;

    for ( i = 0; i < e->d->max_vcpus; i++ )
        if ( e->vs->vcpu_work[i] )
            return true;
    return false;
}

static void snap(const struct fz_env *e, struct fz_snap *s)
{
    const struct vsmmuv3 *vs = e->vs;

    *s = (struct fz_snap){
        .cr0 = vs->cr0, .cr0ack = vs->cr0ack, .gerror = vs->gerror,
        .gerrorn = vs->gerrorn, .gbpa = vs->gbpa,
        .cmdq_base = vs->cmdq.base, .evtq_base = vs->evtq.base,
        .cmdq_prod = vs->cmdq.prod, .cmdq_cons = vs->cmdq.cons,
        .evtq_prod = vs->evtq.prod, .evtq_cons = vs->evtq.cons,
        .cmds = vs->stats.cmds, .cmd_errors = vs->stats.cmd_errors,
        .events = vs->stats.events, .events_lost = vs->stats.events_lost,
        .forwarded = vs->stats.events_forwarded,
        .steps = vs->stats.steps, .continuations = vs->stats.continuations,
        .logs = emul_log_total(),
        .pending = fz_work_pending(vs),
        .sweep_active = vs->sweep_active, .cmd_active = vs->cmd_active,
        .cmd_recovered = vs->cmd_recovered,
        .sweep_next_vsid = vs->sweep_next_vsid,
        .cmd_next_vsid = vs->cmd_next_vsid,
    };
}

/* Guest address of the command queue entry CONS points at. */
static paddr_t cons_addr(const struct vsmmuv3 *vs)
{
    return vsmmuv3_q_addr(&vs->cmdq) +
           (paddr_t)vsmmuv3_q_idx(&vs->cmdq, vs->cmdq.cons) * SMMU_CMD_SIZE;
}

/*
 * The emulation's hook after each trap and each continuation step: the
 * harness makes every step itself (no automatic return to the guest), and
 * each is the step it expects.
 */
static void step_hook(void *arg, struct vcpu *v, bool trap)
{
    struct fz_env *e = cur;

    (void)arg;
    FZ_CHECK(e && v->domain == e->d && v == e->step_vcpu &&
             (trap ? e->kind == FZ_STEP_MMIO : e->kind == FZ_STEP_CONT),
             "the emulation made a %s of vCPU %u the harness did not ask "
             "for", trap ? "trap" : "continuation step", v->vcpu_id);
    if ( trap )
        e->hook_traps++;
    else
        e->hook_conts++;
}

static void step_begin(struct fz_env *e, enum fz_step_kind kind,
                       struct vcpu *v)
{
    const struct vsmmuv3 *vs = e->vs;

    FZ_CHECK(!cur, "nested step");
    cur = e;
    e->kind = kind;
    e->step_vcpu = v;
    snap(e, &e->before);
    e->step_mem = e->step_installs = e->step_inval = e->step_syncs = 0;
    e->step_evt_failed = e->step_sync_failed = false;
    e->step_msi_failed = 0;
    e->nr_sync_msi = 0;
    e->sync_msi_overflow = false;
    e->l2_valid = e->cd_valid = false;
    e->hook_traps = e->hook_conts = 0;
    e->step_fetches = 0;
    e->step_ambiguous = false;
    e->step_cd_reads = 0;
    /*
     * A command that spans steps (a CMD_SYNC recovering from a physical
     * failure) was fetched at CONS in an earlier step, where it was
     * checked against the fetch (check_cmdq()): its MSI is allowed in
     * this one too.
     */
    if ( vs->cmd_active )
        note_sync_msis(e, cons_addr(vs),
                       (const uint64_t (*)[2])vs->cmd_cur, 1);
}

static bool mmio_write_to(const struct fz_env *e, uint32_t reg)
{
    return e->kind == FZ_STEP_MMIO && e->mmio_write &&
           e->mmio_size == DABT_WORD && e->mmio_off == reg;
}

/*
 * A step of work that spans steps got further: a command was consumed or
 * failed, or a sweep or a command walking streams moved on.
 */
static bool made_progress(const struct fz_snap *b, const struct vsmmuv3 *vs)
{
    return vs->stats.cmds != b->cmds || vs->stats.cmd_errors != b->cmd_errors ||
           vs->sweep_active != b->sweep_active ||
           vs->sweep_next_vsid != b->sweep_next_vsid ||
           vs->cmd_active != b->cmd_active ||
           vs->cmd_next_vsid != b->cmd_next_vsid ||
           vs->cmd_recovered != b->cmd_recovered;
}

/* The command queue across one step (S4.1, S4.2, S4.4, S4.6, S8.8). */
static void check_cmdq(struct fz_env *e)
{
    const struct fz_snap *b = &e->before;
    const struct vsmmuv3 *vs = e->vs;
    unsigned long d_cmds = vs->stats.cmds - b->cmds;
    unsigned long d_err = vs->stats.cmd_errors - b->cmd_errors;
    uint32_t wm = vsmmuv3_q_wrap_mask(&vs->cmdq);
    uint32_t old_ptr = b->cmdq_cons & wm, new_ptr = vs->cmdq.cons & wm;
    uint32_t avail = cmdq_avail(vs->cmdq.prod, old_ptr, wm);
    uint32_t err_old = b->cmdq_cons & SMMU_CMDQ_CONS_ERR;
    uint32_t err_new = vs->cmdq.cons & SMMU_CMDQ_CONS_ERR;
    bool stalled_before = (b->gerror ^ b->gerrorn) & SMMU_GERROR_CMDQ_ERR;
    bool stalled = (vs->gerror ^ vs->gerrorn) & SMMU_GERROR_CMDQ_ERR;
    unsigned int cerror = MASK_EXTR(vs->cmdq.cons, SMMU_CMDQ_CONS_ERR);

    FZ_CHECK(d_err <= 1, "S4.4: %lu command errors in one step", d_err);

    if ( mmio_write_to(e, SMMU_CMDQ_CONS) && !(b->cr0 & SMMU_CR0_CMDQEN) )
    {
        /* Software owns CONS while the queue is off. */
        FZ_CHECK(!d_cmds && !d_err, "commands consumed by a CONS write");
        FZ_CHECK(!(vs->cmdq.cons & ~(SMMU_CMDQ_CONS_ERR | wm)),
                 "S4.2: CONS %#x written outside queue of mask %#x",
                 vs->cmdq.cons, wm);
        FZ_CHECK(err_new == err_old, "CONS.ERR changed by a guest write");
        return;
    }

    FZ_CHECK(((new_ptr - old_ptr) & wm) == (d_cmds & wm),
             "S4.1: CONS moved from %#x to %#x for %lu commands (mask %#x): "
             "backwards or skipping", b->cmdq_cons, vs->cmdq.cons, d_cmds,
             wm);
    FZ_CHECK(d_cmds <= avail,
             "S4.1: %lu commands consumed with %u between CONS %#x and PROD "
             "%#x: CONS passed PROD", d_cmds, avail, b->cmdq_cons,
             vs->cmdq.prod);
    if ( vs->cmdq.cons != b->cmdq_cons )
        FZ_CHECK(!(vs->cmdq.cons & ~(SMMU_CMDQ_CONS_ERR | wm)),
                 "S4.2: CONS %#x outside the queue (mask %#x)",
                 vs->cmdq.cons, wm);
    /*
     * A trap's register write comes before its step: a step that ends
     * with CMDQEN=0 ran no command, and dropped the one spanning steps.
     */
    if ( !(vs->cr0 & SMMU_CR0_CMDQEN) )
    {
        FZ_CHECK(!d_cmds && !d_err,
                 "S4.1: commands consumed in a step that ends with CMDQEN=0");
        FZ_CHECK(!vs->cmd_active,
                 "S4.1: a command spanning steps survives CMDQEN=0");
    }
    if ( stalled_before && !mmio_write_to(e, SMMU_GERRORN) )
        FZ_CHECK(!d_cmds && !d_err,
                 "S4.4: commands consumed while CMDQ_ERR is active");
    if ( e->dying )
        FZ_CHECK(!d_cmds && !d_err, "commands consumed after relinquish");
    /* Streams follow a change of SMMUEN or GBPA.ABORT before any command. */
    if ( vs->sweep_active )
        FZ_CHECK(!d_cmds && !d_err,
                 "S2: %lu commands ran in a step that left the streams "
                 "following a policy change", d_cmds + d_err);
    if ( d_err )
    {
        FZ_CHECK(stalled, "S4.4: command error without GERROR.CMDQ_ERR");
        FZ_CHECK(cerror == SMMU_CERROR_ILL || cerror == SMMU_CERROR_ABT,
                 "S4.4: CONS.ERR %u", cerror);
    }
    else
        FZ_CHECK(err_new == err_old, "S4.4: CONS.ERR changed without error");
    /* A physical sync that fails fails the guest's CMD_SYNC with ABT. */
    if ( e->step_sync_failed )
        FZ_CHECK(d_err == 1 && cerror == SMMU_CERROR_ABT,
                 "S4.6: a physical sync failed and the step ended with %lu "
                 "command errors, CONS.ERR %u (CERROR_ABT expected)", d_err,
                 cerror);

    /*
     * The command the model continues in later steps is the one at CONS,
     * as it fetched it: when it was fetched in this step, the last fetch
     * holds it (unless a stream table read looked like a fetch since).
     */
    if ( vs->cmd_active && e->step_fetches && !e->step_ambiguous )
    {
        paddr_t a = cons_addr(vs);
        unsigned int i = (a - e->fetch_gpa) / SMMU_CMD_SIZE;

        FZ_CHECK(a >= e->fetch_gpa && i < e->fetch_n &&
                 e->fetch_cmds[i][0] == vs->cmd_cur[0] &&
                 e->fetch_cmds[i][1] == vs->cmd_cur[1],
                 "S4.1: the command %#lx %#lx continued in later steps is "
                 "not the one fetched at CONS %#x",
                 (unsigned long)vs->cmd_cur[0], (unsigned long)vs->cmd_cur[1],
                 vs->cmdq.cons);
    }
    else if ( vs->cmd_active && b->cmd_active && !e->step_fetches )
        FZ_CHECK(vs->cmdq.cons == b->cmdq_cons,
                 "S4.1: CONS moved while a command spans steps");
}

/* GERROR across one step (S2 GERROR/GERRORN, S4.4, S6.2). */
static void check_gerror(struct fz_env *e)
{
    const struct fz_snap *b = &e->before;
    const struct vsmmuv3 *vs = e->vs;
    uint32_t active_b = b->gerror ^ b->gerrorn;
    /* Active once the step's own GERRORN write (if any) was taken. */
    uint32_t active_mid = b->gerror ^ vs->gerrorn;
    uint32_t raised = vs->gerror ^ b->gerror;
    unsigned long d_err = vs->stats.cmd_errors - b->cmd_errors;

    FZ_CHECK(!(vs->gerror & ~VSMMUV3_GERROR_IMPLEMENTED) &&
             !(vs->gerrorn & ~VSMMUV3_GERROR_IMPLEMENTED),
             "GERROR %#x / GERRORN %#x have unimplemented bits", vs->gerror,
             vs->gerrorn);
    FZ_CHECK(!(raised & active_mid),
             "GERROR %#x toggled an active error (was %#x, GERRORN %#x)",
             vs->gerror, b->gerror, b->gerrorn);
    if ( mmio_write_to(e, SMMU_GERRORN) )
        FZ_CHECK(!((vs->gerrorn ^ b->gerrorn) & ~active_b),
                 "GERRORN write created an error: %#x -> %#x (GERROR %#x)",
                 b->gerrorn, vs->gerrorn, b->gerror);
    else
        FZ_CHECK(vs->gerrorn == b->gerrorn, "GERRORN changed by the model");
    FZ_CHECK(!(raised & SMMU_GERROR_CMDQ_ERR) == !d_err,
             "GERROR.CMDQ_ERR toggled %s a command error",
             d_err ? "without" : "with no");
    if ( raised & SMMU_GERROR_EVENTQ_ABT_ERR )
        FZ_CHECK(e->step_evt_failed,
                 "EVENTQ_ABT_ERR without a failed event write");
    if ( e->step_evt_failed )
        FZ_CHECK((vs->gerror ^ vs->gerrorn) & SMMU_GERROR_EVENTQ_ABT_ERR,
                 "S6.2: failed event write without EVENTQ_ABT_ERR");
    FZ_CHECK(!(raised & ~(SMMU_GERROR_CMDQ_ERR | SMMU_GERROR_EVENTQ_ABT_ERR |
                          e->step_msi_failed)),
             "GERROR %#x raised without cause (MSI aborts %#x)", raised,
             e->step_msi_failed);
    /* An MSI write that aborts must be reported (S4.5, S6.4). */
    if ( e->step_msi_failed )
        FZ_CHECK((vs->gerror ^ vs->gerrorn) & e->step_msi_failed,
                 "aborted MSI (%#x) not reported in GERROR %#x / %#x",
                 e->step_msi_failed, vs->gerror, vs->gerrorn);
}

/* The event queue across one step (S6.2). */
static void check_evtq(struct fz_env *e)
{
    const struct fz_snap *b = &e->before;
    const struct vsmmuv3 *vs = e->vs;
    unsigned long d_events = vs->stats.events - b->events;
    unsigned long d_lost = vs->stats.events_lost - b->events_lost;
    uint32_t wm = vsmmuv3_q_wrap_mask(&vs->evtq);

    if ( mmio_write_to(e, SMMU_EVENTQ_PROD) )
        return;
    FZ_CHECK(((vs->evtq.prod - b->evtq_prod) & wm) == (d_events & wm),
             "S6.2: EVENTQ_PROD moved %#x -> %#x for %lu events",
             b->evtq_prod, vs->evtq.prod, d_events);
    /*
     * IHI 0070 7.4: an overflow toggles OVFLG only once the previous one
     * was acknowledged (OVACKFLG == OVFLG); it loses an event.
     */
    if ( (vs->evtq.prod ^ b->evtq_prod) & SMMU_EVENTQ_PROD_OVFLG )
    {
        FZ_CHECK(d_lost, "S6.2: OVFLG toggled with no event lost");
        FZ_CHECK(!((b->evtq_prod ^ b->evtq_cons) & SMMU_EVENTQ_PROD_OVFLG),
                 "S6.2: OVFLG toggled again before the guest acknowledged "
                 "the last overflow (PROD %#x CONS %#x)", b->evtq_prod,
                 b->evtq_cons);
    }
    if ( vs->evtq.prod != b->evtq_prod )
        FZ_CHECK(!(vs->evtq.prod & ~(SMMU_EVENTQ_PROD_OVFLG | wm)),
                 "S6.2: EVENTQ_PROD %#x outside the queue", vs->evtq.prod);
}


/*
 * The interrupt lines the registers imply (S6.4), recomputed from the
 * register values, against the levels the vGIC recorded; what reads back
 * from the accepted-value registers.
 */
static void check_registers(struct fz_env *e)
{
    const struct vsmmuv3 *vs = e->vs;
    uint32_t ewm = vsmmuv3_q_wrap_mask(&vs->evtq);
    /* An interrupt in MSI mode keeps its wired line low (evtq.c). */
    bool evtq_level = (vs->cr0 & SMMU_CR0_EVENTQEN) &&
                      (vs->irq_ctrl & SMMU_IRQ_CTRL_EVENTQ_IRQEN) &&
                      !msi_mode(vs, vs->evtq_irq_cfg0) &&
                      ((vs->evtq.prod ^ vs->evtq.cons) & ewm);
    bool gerror_level = (vs->irq_ctrl & SMMU_IRQ_CTRL_GERROR_IRQEN) &&
                        !msi_mode(vs, vs->gerror_irq_cfg0) &&
                        ((vs->gerror ^ vs->gerrorn) &
                         VSMMUV3_GERROR_IMPLEMENTED);

    FZ_CHECK(!(vs->cr0 & ~VSMMUV3_CR0_ACCEPTED), "S2: CR0 %#x", vs->cr0);
    FZ_CHECK(!(vs->irq_ctrl & ~VSMMUV3_IRQ_CTRL_ACCEPTED),
             "S2: IRQ_CTRL %#x", vs->irq_ctrl);
    FZ_CHECK(!memcmp(&vs->id, &e->id0, sizeof(e->id0)),
             "S2: identification registers changed");
    /* No stage 2 for the guest, so no VMID16 either: VMIDs are Xen's. */
    FZ_CHECK(!(vs->id.idr[0] & (SMMU_IDR0_S2P | SMMU_IDR0_VMID16)),
             "S3.1: IDR0 %#x advertises S2P or VMID16", vs->id.idr[0]);
    FZ_CHECK(emul_vgic_level(e->d, FZ_EVTQ_VIRQ) == evtq_level,
             "S6.4: EVTQ line %d, registers say %d (CR0 %#x IRQ_CTRL %#x "
             "PROD %#x CONS %#x)", emul_vgic_level(e->d, FZ_EVTQ_VIRQ),
             evtq_level, vs->cr0, vs->irq_ctrl, vs->evtq.prod, vs->evtq.cons);
    FZ_CHECK(emul_vgic_level(e->d, FZ_GERROR_VIRQ) == gerror_level,
             "S6.4: GERROR line %d, registers say %d (IRQ_CTRL %#x GERROR "
             "%#x GERRORN %#x)", emul_vgic_level(e->d, FZ_GERROR_VIRQ),
             gerror_level, vs->irq_ctrl, vs->gerror, vs->gerrorn);
}

/*
 * CR0ACK and GBPA.UPDATE across one step (S2, IHI 0070 6.3.10, 6.3.14).
 * CR0ACK follows CR0 at once except for SMMUEN, which keeps its old value
 * while the streams are moved to the new policy (a sweep); GBPA.UPDATE
 * reads 1 while a sweep that a GBPA write started goes on.  The sweep is
 * done in steps; its end is the only time CR0ACK.SMMUEN changes.
 */
static void check_policy(struct fz_env *e)
{
    const struct fz_snap *b = &e->before;
    const struct vsmmuv3 *vs = e->vs;

    FZ_CHECK(!((vs->cr0ack ^ vs->cr0) & ~SMMU_CR0_SMMUEN),
             "S2: CR0ACK %#x differs from CR0 %#x in more than SMMUEN",
             vs->cr0ack, vs->cr0);
    if ( !vs->sweep_active )
        FZ_CHECK(vs->cr0ack == vs->cr0 && !(vs->gbpa & SMMU_GBPA_UPDATE),
                 "S2: no update in progress, yet CR0ACK %#x (CR0 %#x), GBPA "
                 "%#x", vs->cr0ack, vs->cr0, vs->gbpa);
    if ( (vs->cr0ack ^ b->cr0ack) & SMMU_CR0_SMMUEN )
        FZ_CHECK(!vs->sweep_active &&
                 !((vs->cr0ack ^ vs->cr0) & SMMU_CR0_SMMUEN),
                 "S2: CR0ACK.SMMUEN changed (%#x -> %#x, CR0 %#x) before the "
                 "streams followed", b->cr0ack, vs->cr0ack, vs->cr0);
    if ( mmio_write_to(e, SMMU_GBPA) )
    {
        if ( !(e->mmio_val & SMMU_GBPA_UPDATE) )
            FZ_CHECK(vs->gbpa == b->gbpa,
                     "S2: GBPA written without UPDATE changed %#x -> %#x",
                     b->gbpa, vs->gbpa);
        else if ( !(vs->cr0 & SMMU_CR0_SMMUEN) && !e->dying &&
                  ((e->mmio_val ^ b->gbpa) & SMMU_GBPA_ABORT) )
            FZ_CHECK(!!(vs->gbpa & SMMU_GBPA_UPDATE) == vs->sweep_active,
                     "S2: GBPA.ABORT changed with SMMUEN=0: GBPA %#x while "
                     "the streams %s", vs->gbpa,
                     vs->sweep_active ? "are still following"
                                      : "all follow");
    }
}

/* A guest read of a register with state: it reads what the model holds. */
static void check_read(struct fz_env *e, uint32_t off, uint64_t val)
{
    const struct vsmmuv3 *vs = e->vs;
    uint64_t expect;

    switch ( off )
    {
    case SMMU_CR0:
        expect = vs->cr0;
        break;
    case SMMU_CR0ACK:
        expect = vs->cr0ack;
        break;
    case SMMU_GBPA:
        expect = vs->gbpa;
        break;
    case SMMU_IRQ_CTRL: case SMMU_IRQ_CTRLACK:
        expect = vs->irq_ctrl;
        break;
    case SMMU_GERROR:
        expect = vs->gerror;
        break;
    case SMMU_GERRORN:
        expect = vs->gerrorn;
        break;
    case SMMU_EVENTQ_PROD:
        expect = vs->evtq.prod;
        break;
    case SMMU_EVENTQ_CONS:
        expect = vs->evtq.cons;
        break;
    case SMMU_CMDQ_CONS:
        expect = vs->cmdq.cons;
        break;
    default:
        return;
    }
    FZ_CHECK(val == expect, "S2: register %#x reads %#lx, holds %#lx", off,
             (unsigned long)val, (unsigned long)expect);
}

/*
 * What each physical stream gets (S8.4, S2 GBPA): abort after relinquish,
 * GBPA's choice once an update with SMMUEN=0 has completed (never more),
 * and always what the model believes it installed.  Skipped once failures
 * were injected: the state of a stream whose SMMU refused is then
 * deliberately unknown.
 */
static void check_physical(struct fz_env *e)
{
    struct vsmmuv3 *vs = e->vs;
    unsigned int i;

    if ( e->failures )
        return;
    for ( i = 0; i < e->nr_streams; i++ )
    {
        const struct fz_stream *s = &e->streams[i];
        const struct vsmmuv3_stream *ms;

        if ( s->backend < 0 )
            continue;
        FZ_CHECK(s->phys_known, "vSID %#x never configured", s->vsid);
        if ( e->relinquished )
            FZ_CHECK(s->phys_cfg == VSMMUV3_STE_ABORT,
                     "S8.4: vSID %#x not aborting after relinquish",
                     s->vsid);
        else if ( !e->dying && !(vs->cr0 & SMMU_CR0_SMMUEN) &&
                  !vs->sweep_active )
            FZ_CHECK(s->phys_cfg == ((vs->gbpa & SMMU_GBPA_ABORT) ?
                                     VSMMUV3_STE_ABORT : VSMMUV3_STE_S2_ONLY),
                     "S2 GBPA: vSID %#x has config %d with SMMUEN=0 (CR0ACK "
                     "%#x), GBPA %#x", s->vsid, s->phys_cfg, vs->cr0ack,
                     vs->gbpa);
        ms = vsmmuv3_find_stream(vs, s->vsid);
        FZ_CHECK(ms && ms->installed_valid && ms->installed_cfg == s->phys_cfg &&
                 (s->phys_cfg != VSMMUV3_STE_NESTED ||
                  (ms->installed_ste[0] == s->phys_ste[0] &&
                   ms->installed_ste[1] == s->phys_ste[1])),
                 "vSID %#x: the model's view of the physical stream differs "
                 "from the SMMU's", s->vsid);
    }
}

/*
 * S8.8: the work of each step, as the harness saw it (guest memory
 * accesses, commands handed to physical SMMUs, physical syncs and STE
 * installs, in the model's units), within step_work; the model's own
 * account agrees.  Forwarded events (S6.3) and messages (S8.6) are rate
 * limited.
 */
static void check_bounds(struct fz_env *e)
{
    const struct vsmmuv3 *vs = e->vs;
    const struct fz_snap *b = &e->before;
    unsigned long units = step_units(e);
    unsigned long d_fwd = vs->stats.events_forwarded - b->forwarded;
    unsigned long done = vs->stats.cmds - b->cmds +
                         vs->stats.cmd_errors - b->cmd_errors;
    unsigned long d_steps = vs->stats.steps - b->steps;
    unsigned long d_cont = vs->stats.continuations - b->continuations;
    unsigned int logs = emul_log_total() - b->logs;
    const char *what = e->kind == FZ_STEP_MMIO ? "trap" :
                       e->kind == FZ_STEP_CONT ? "continuation step" :
                       e->kind == FZ_STEP_PHYS ? "physical event" :
                                                 "builder call";

    switch ( e->kind )
    {
    case FZ_STEP_MMIO:
    case FZ_STEP_CONT:
        FZ_CHECK(units <= vs->step_work,
                 "S8.8: a %s of vCPU %u did %lu work units (%lu guest memory "
                 "accesses, %lu physical commands, %lu syncs, %lu installs), "
                 "step_work %u", what, e->step_vcpu->vcpu_id, units,
                 e->step_mem, e->step_inval, e->step_syncs, e->step_installs,
                 vs->step_work);
        /*
         * One more unit for each command started in the step: all those
         * that ended in it but one continued from an earlier step, and a
         * fetch abort.
         */
        FZ_CHECK(done <= 2 ||
                 units + (done - 2) * VSMMUV3_WORK_CMD <= vs->step_work,
                 "S8.8: a %s consumed %lu commands besides %lu work units, "
                 "step_work %u", what, done, units, vs->step_work);
        FZ_CHECK(vs->stats.max_step_work <= vs->step_work,
                 "S8.8: the model counts a step of %lu units, step_work %u",
                 vs->stats.max_step_work, vs->step_work);
        FZ_CHECK(d_steps <= 1 && d_cont == (e->kind == FZ_STEP_CONT ? d_steps
                                                                    : 0),
                 "a %s made %lu steps, %lu of them continuations", what,
                 d_steps, d_cont);
        break;
    case FZ_STEP_PHYS:
        /* An event record, its MSI, and the GERROR MSI of an abort. */
        FZ_CHECK(!e->step_installs && !e->step_inval && !e->step_syncs &&
                 e->step_mem <= 3,
                 "S6.3: a physical event made %lu installs, %lu commands, "
                 "%lu syncs, %lu guest memory accesses", e->step_installs,
                 e->step_inval, e->step_syncs, e->step_mem);
        FZ_CHECK(!d_steps, "a physical event made a step");
        break;
    default:
        /*
         * A stream attached: its install, and an abort if that fails, with
         * a C_BAD_STE event and its MSIs.  Relinquish: checked by its
         * caller.
         */
        FZ_CHECK(!e->step_inval && !e->step_syncs && e->step_mem <= 3 &&
                 e->step_installs <= max(2U, e->nr_streams),
                 "S8.8: a builder call made %lu installs, %lu commands, %lu "
                 "syncs, %lu guest memory accesses", e->step_installs,
                 e->step_inval, e->step_syncs, e->step_mem);
        FZ_CHECK(!d_steps, "a builder call made a step");
        break;
    }

    FZ_CHECK(d_fwd <= (e->kind == FZ_STEP_PHYS),
             "S6.3: %lu events forwarded by one call", d_fwd);
    e->forwarded += d_fwd;
    FZ_CHECK(e->forwarded <= (unsigned long)e->cfg.event_budget *
                             (2 + e->clock / SECONDS(1)),
             "S6.3: %lu events forwarded in %ld ns with a budget of %u/s",
             e->forwarded, (long)e->clock, e->cfg.event_budget);
    FZ_CHECK(logs <= VSMMUV3_LOG_BURST + 1,
             "S8.6: %u messages in one call", logs);
    FZ_CHECK(emul_log_total() <= (VSMMUV3_LOG_BURST + 1) *
                                 (2 + e->clock / VSMMUV3_LOG_PERIOD),
             "S8.6: %u messages in %ld ns", emul_log_total(),
             (long)e->clock);
}

/*
 * S8.7, S8.8: the model's work runs only in the steps of the vCPUs whose
 * accesses caused it.  No timer, and no guest memory access outside a
 * vCPU but in the steps that have none; whatever a step queued for a
 * physical SMMU is handed over by its end; and work that is pending is
 * always some vCPU's to continue.
 */
static void check_progress(struct fz_env *e)
{
    const struct vsmmuv3 *vs = e->vs;
    struct emul_mem_stats st;
    unsigned int i;

    FZ_CHECK(!emul_timers_armed(),
             "S8.7: %u timers armed: the model's work is to run in vCPUs' "
             "steps only", emul_timers_armed());
    emul_mem_stats(e->d, &st);
    FZ_CHECK(st.no_vcpu == e->no_vcpu,
             "S8.7: %lu guest memory accesses outside any vCPU, %lu of them "
             "by physical events and the builder", st.no_vcpu, e->no_vcpu);
    for ( i = 0; i < vs->nr_backends; i++ )
        FZ_CHECK(!vs->batch[i].nr,
                 "S4.6: %u invalidations for SMMU %u not handed over by the "
                 "end of the step that queued them", vs->batch[i].nr, i);
    FZ_CHECK(!fz_work_pending(vs) || any_vcpu_work(e),
             "S8.8: work pending (sweep %d, CR0 %#x, GERROR %#x GERRORN %#x, "
             "command active %d, PROD %#x CONS %#x) and no vCPU will "
             "continue it", vs->sweep_active, vs->cr0, vs->gerror,
             vs->gerrorn, vs->cmd_active, vs->cmdq.prod, vs->cmdq.cons);
}

static void step_end(struct fz_env *e)
{
    cur = NULL;
    check_cmdq(e);
    check_gerror(e);
    check_evtq(e);
    check_registers(e);
    check_policy(e);
    check_physical(e);
    check_bounds(e);
    check_progress(e);
}


/* Offsets of registers on page 1 and the words that hold page-0 ones. */
static bool is_page0_reg_word(uint32_t off)
{
    return off < 0x100 &&
           ((off >= SMMU_IDR0 && off <= SMMU_CR2) || off == SMMU_STATUSR ||
            off == SMMU_GBPA || off == SMMU_AGBPA ||
            off == SMMU_IRQ_CTRL || off == SMMU_IRQ_CTRLACK ||
            (off >= SMMU_GERROR && off <= SMMU_GERROR_IRQ_CFG2) ||
            (off >= SMMU_STRTAB_BASE && off <= SMMU_STRTAB_BASE_CFG) ||
            (off >= SMMU_CMDQ_BASE && off <= SMMU_EVENTQ_BASE + 4) ||
            (off >= SMMU_EVENTQ_IRQ_CFG0 && off <= SMMU_EVENTQ_IRQ_CFG2));
}


/*
 * Accesses that may give the vSMMU work, and so do a step in their trap
 * (IHI 0070 4.1.4: CONS may be polled; a CONS read also drives pending
 * work).
 */
static bool kicks(bool write, uint32_t off, unsigned int size)
{
    if ( size != DABT_WORD )
        return false;
    if ( !write )
        return off == SMMU_CMDQ_CONS;
    return off == SMMU_CMDQ_PROD || off == SMMU_CR0 || off == SMMU_GBPA ||
           off == SMMU_GERRORN;
}

int fz_mmio(struct fz_env *e, bool write, int64_t off, unsigned int size,
            uint64_t *val)
{
    struct vcpu *v = e->v;
    bool in = off >= 0 && off < SMMU_FRAME_SIZE, pending0;
    uint32_t o = off;
    int r;

    FZ_CHECK(size <= DABT_DOUBLE_WORD);
    /*
     * Xen returns @v to the guest, where it makes this access, only once
     * check_for_vcpu_work() says @v has no work left.
     */
    fz_finish_vcpu(e, v);
    pending0 = fz_work_pending(e->vs);
    step_begin(e, FZ_STEP_MMIO, v);
    e->mmio_off = o;
    e->mmio_size = size;
    e->mmio_write = write;
    e->mmio_val = write ? *val : 0;
    r = write ? emul_mmio_write(v, FZ_BASE + off, size, *val)
              : emul_mmio_read(v, FZ_BASE + off, size, val);
    step_end(e);

    FZ_CHECK(e->hook_traps == (r != -1) && !e->hook_conts,
             "%u traps and %u continuation steps in one access",
             e->hook_traps, e->hook_conts);
    /*
     * S8.8: a trap that leaves work leaves it to its own vCPU; an access
     * that does not kick gives no work.
     */
    if ( fz_work_pending(e->vs) )
    {
        if ( r == 1 && in && kicks(write, o, size) )
            FZ_CHECK(e->vs->vcpu_work[v->vcpu_id],
                     "S8.8: the %s of %#x by vCPU %u left work, and no "
                     "continuation for that vCPU", write ? "write" : "read",
                     o, v->vcpu_id);
        else
            FZ_CHECK(pending0, "S8.8: a %u-byte %s of %#x made work pending "
                     "without a step", 1U << size, write ? "write" : "read",
                     o);
    }

    /* S1.1-S1.3: decode. */
    if ( !in )
        FZ_CHECK(r == -1, "access at frame offset %ld handled",
                 (long)off);
    else if ( size < DABT_WORD || (o & ((1U << size) - 1)) )
        FZ_CHECK(r == 0, "S1.3: %u-byte access at %#x not aborted",
                 1U << size, o);
    else if ( size == DABT_WORD )
        FZ_CHECK(r == 1, "S1.2: 32-bit access at %#x aborted", o);
    else if ( !is_page0_reg_word(o) && !is_page0_reg_word(o + 4) &&
              o != SMMU_EVENTQ_PROD && o + 4 != SMMU_EVENTQ_PROD &&
              o != SMMU_EVENTQ_CONS && o + 4 != SMMU_EVENTQ_CONS )
        FZ_CHECK(r == 1, "S1.2: 64-bit access to RES0 %#x aborted", o);

    if ( r == 1 && !write )
    {
        bool page1 = o >= SMMU_PAGE1;

        if ( (!page1 && !is_page0_reg_word(o) &&
              (size == DABT_WORD || !is_page0_reg_word(o + 4))) ||
             (page1 && o != SMMU_EVENTQ_PROD && o != SMMU_EVENTQ_CONS &&
              o + 4 != SMMU_EVENTQ_PROD) )
            FZ_CHECK(*val == 0, "S1.2: RES0 offset %#x reads %#lx", o,
                     (unsigned long)*val);
        /* Bits above the wrap flag of SMMU-written pointers are RAZ
         * (IHI 0070 6.3.28, 6.3.95). */
        if ( o == SMMU_CMDQ_CONS && size == DABT_WORD )
            FZ_CHECK(!(*val & ~(SMMU_CMDQ_CONS_ERR |
                                vsmmuv3_q_wrap_mask(&e->vs->cmdq))),
                     "S4.2: CMDQ_CONS reads %#lx with CMDQ LOG2SIZE %u: RD "
                     "bits above the wrap flag are RAZ", (unsigned long)*val,
                     vsmmuv3_q_log2(&e->vs->cmdq));
        if ( o == SMMU_EVENTQ_PROD && size == DABT_WORD )
            FZ_CHECK(!(*val & ~(SMMU_EVENTQ_PROD_OVFLG |
                                vsmmuv3_q_wrap_mask(&e->vs->evtq))),
                     "S6.2: EVENTQ_PROD reads %#lx with EVENTQ LOG2SIZE %u: "
                     "WR bits above the wrap flag are RAZ",
                     (unsigned long)*val, vsmmuv3_q_log2(&e->vs->evtq));
        if ( size == DABT_WORD )
            check_read(e, o, *val);
        if ( o <= SMMU_AIDR && size == DABT_WORD )
        {
            const uint32_t *idr = o < SMMU_IIDR ? &e->id0.idr[o / 4]
                                  : o == SMMU_IIDR ? &e->id0.iidr
                                                   : &e->id0.aidr;

            FZ_CHECK(*val == *idr, "S2: ID register %#x reads %#lx, was %#x",
                     o, (unsigned long)*val, *idr);
        }
    }
    return r;
}

uint64_t fz_read(struct fz_env *e, uint32_t off, unsigned int size)
{
    uint64_t v = 0;

    FZ_CHECK(fz_mmio(e, false, off, size, &v) == 1,
             "read of %#x aborted", off);
    return v;
}

void fz_write(struct fz_env *e, uint32_t off, unsigned int size,
              uint64_t val)
{
    FZ_CHECK(fz_mmio(e, true, off, size, &val) == 1,
             "write of %#x aborted", off);
}

/*
 * Most continuation steps one vCPU may need: far more than the largest
 * queue the inputs can fill (guest RAM holds 17408 commands; a command
 * walks at most 8 streams), and every step is checked to make progress.
 */
#define FZ_MAX_CONT     (1U << 18)

bool fz_continue(struct fz_env *e, struct vcpu *v)
{
    struct vsmmuv3 *vs = e->vs;
    const struct fz_snap *b = &e->before;
    bool had = vs->vcpu_work[v->vcpu_id], more;

    step_begin(e, FZ_STEP_CONT, v);
    more = emul_vcpu_continue(v);
    step_end(e);

    FZ_CHECK(e->hook_conts == 1 && !e->hook_traps,
             "%u continuation steps and %u traps in one continuation",
             e->hook_conts, e->hook_traps);
    FZ_CHECK(more == vs->vcpu_work[v->vcpu_id],
             "vsmmuv3_vcpu_work() returned %d, vCPU %u's flag is %d", more,
             v->vcpu_id, vs->vcpu_work[v->vcpu_id]);
    if ( !had || !b->pending )
        /* Nothing for @v to do: nothing done. */
        FZ_CHECK(!more && !step_units(e) && vs->stats.steps == b->steps &&
                 !made_progress(b, vs),
                 "S8.8: vCPU %u (work flag %d, work pending %d) made a step "
                 "of %lu units", v->vcpu_id, had, b->pending, step_units(e));
    else
        FZ_CHECK(made_progress(b, vs),
                 "S8.8: a continuation step of vCPU %u made no progress "
                 "(%lu units; CONS %#x, sweep %d at %#x, command active %d "
                 "at %#x)", v->vcpu_id, step_units(e), vs->cmdq.cons,
                 vs->sweep_active, vs->sweep_next_vsid, vs->cmd_active,
                 vs->cmd_next_vsid);
    return more;
}

void fz_finish_vcpu(struct fz_env *e, struct vcpu *v)
{
    unsigned int n = 0;

    while ( e->vs->vcpu_work[v->vcpu_id] )
    {
        fz_continue(e, v);
        FZ_CHECK(++n < FZ_MAX_CONT, "S8.8: vCPU %u still has work after %u "
                 "continuation steps", v->vcpu_id, n);
    }
}

/* Up to @max steps, round robin over the vCPUs with work. */
static unsigned int continue_rr(struct fz_env *e, unsigned int max)
{
    unsigned int n = 0, nr = e->d->max_vcpus, i;

    while ( n < max )
    {
        for ( i = 0; i < nr; i++ )
            if ( e->vs->vcpu_work[(e->rr + i) % nr] )
                break;
        if ( i == nr )
            break;
        i = (e->rr + i) % nr;
        fz_continue(e, e->d->vcpu[i]);
        e->rr = (i + 1) % nr;
        n++;
    }
    return n;
}

void fz_drain(struct fz_env *e)
{
    const struct vsmmuv3 *vs = e->vs;
    unsigned int n = 0;

    while ( continue_rr(e, 64) )
        FZ_CHECK((n += 64) < FZ_MAX_CONT,
                 "S8.8: work left after %u continuation steps", n);
    /*
     * Every vCPU is back in the guest: what the guest asked for is done,
     * as the registers tell it (or the queue is stopped).
     */
    FZ_CHECK(!fz_work_pending(vs), "S8.8: work pending with every vCPU "
             "back in the guest");
    if ( vs->dying )
        return;
    FZ_CHECK(vs->cr0ack == vs->cr0 && !(vs->gbpa & SMMU_GBPA_UPDATE),
             "S2: every vCPU is back in the guest, and CR0ACK %#x (CR0 %#x) "
             "or GBPA %#x still report an update in progress", vs->cr0ack,
             vs->cr0, vs->gbpa);
    FZ_CHECK(!(vs->cr0 & SMMU_CR0_CMDQEN) ||
             ((vs->gerror ^ vs->gerrorn) & SMMU_GERROR_CMDQ_ERR) ||
             !cmdq_avail(vs->cmdq.prod, vs->cmdq.cons,
                         vsmmuv3_q_wrap_mask(&vs->cmdq)),
             "S4.1: every vCPU is back in the guest with commands left "
             "(PROD %#x CONS %#x)", vs->cmdq.prod, vs->cmdq.cons);
}

void fz_continue_op(struct fz_env *e, unsigned int arg)
{
    unsigned int nr = e->d->max_vcpus, i;

    switch ( arg )
    {
    case C_CUR_1:
        fz_continue(e, e->v);
        break;
    case C_CUR_2:
        fz_continue(e, e->v);
        fz_continue(e, e->v);
        break;
    case C_EACH:
        for ( i = 0; i < nr; i++ )
            fz_continue(e, e->d->vcpu[i]);
        break;
    case C_EACH_REV:
        for ( i = nr; i-- > 0; )
            fz_continue(e, e->d->vcpu[i]);
        break;
    case C_RR_4:
        continue_rr(e, 4);
        break;
    case C_RR_16:
        continue_rr(e, 16);
        break;
    case C_RR_64:
        continue_rr(e, 64);
        break;
    default:
        fz_drain(e);
        break;
    }
}

void fz_set_vcpu(struct fz_env *e, unsigned int idx)
{
    e->v = e->d->vcpu[idx % e->d->max_vcpus];
}

void fz_clock(struct fz_env *e, s_time_t ns)
{
    emul_clock_advance(ns);
    e->clock += ns;
}

/*
 * fuzz_restore: everything a refused restore could have changed (S9.3):
 * the vSMMU but its lock, its streams and vCPU flags, the physical SMMUs,
 * guest memory accesses, the interrupt lines, the log.
 */
struct fz_restore_snap {
    uint8_t vs[sizeof(struct vsmmuv3)];
    struct vsmmuv3_stream streams[FZ_MAX_STREAMS];
    bool vcpu_work[FZ_NR_VCPUS];
    struct fz_phys phys[FZ_MAX_BACKENDS];
    struct fz_stream fz_streams[FZ_MAX_STREAMS];
    struct emul_mem_stats mem;
    unsigned long asserts[2];
    unsigned int logs;
};

static void restore_snap(const struct fz_env *e, struct fz_restore_snap *s)
{
    const struct vsmmuv3 *vs = e->vs;

    memset(s, 0, sizeof(*s));
    memcpy(s->vs, vs, sizeof(*vs));
    memset(s->vs + offsetof(struct vsmmuv3, lock), 0, sizeof(vs->lock));
    memcpy(s->streams, vs->streams,
           min(vs->max_streams, (unsigned int)FZ_MAX_STREAMS) *
           sizeof(*vs->streams));
    memcpy(s->vcpu_work, vs->vcpu_work, sizeof(s->vcpu_work));
    memcpy(s->phys, e->phys, sizeof(s->phys));
    memcpy(s->fz_streams, e->streams, sizeof(s->fz_streams));
    emul_mem_stats(e->d, &s->mem);
    s->asserts[0] = emul_vgic_asserts(e->d, FZ_EVTQ_VIRQ);
    s->asserts[1] = emul_vgic_asserts(e->d, FZ_GERROR_VIRQ);
    s->logs = emul_log_total();
}

/*
 * One restore, outside any vCPU as a toolstack's is.  Refused: nothing at
 * all changed.  Accepted: the state may be anywhere a record allows, so
 * the checks across a step do not apply, but what must hold of any state
 * does (registers and lines, CR0ACK and GBPA, the physical streams as the
 * registers say, progress), and its work is bounded by the streams.
 */
int fz_restore(struct fz_env *e, const void *rec, size_t len,
               unsigned int *aborted)
{
    static struct fz_restore_snap before, after;
    const struct vsmmuv3 *vs = e->vs;
    int rc;

    restore_snap(e, &before);
    step_begin(e, FZ_STEP_OTHER, NULL);
    rc = vsmmuv3_restore(e->vs, rec, len, aborted);
    cur = NULL;
    FZ_CHECK(rc <= 0 && rc > -4096, "restore returned %d", rc);
    if ( rc )
    {
        restore_snap(e, &after);
        FZ_CHECK(!memcmp(&before, &after, sizeof(before)),
                 "S9.3: a restore refused with %d changed the vSMMU", rc);
        FZ_CHECK(!*aborted, "S9.3: a refused restore reports %u streams "
                 "aborting", *aborted);
        return rc;
    }
    snap(e, &e->before);
    check_registers(e);
    check_policy(e);
    check_physical(e);
    check_progress(e);
    FZ_CHECK(e->step_installs <= e->nr_streams * 2 &&
             e->step_mem <= e->nr_streams * 3 &&
             e->step_syncs <= vs->nr_backends &&
             e->step_inval <= e->nr_streams + vs->nr_backends,
             "S9.3: a restore made %lu installs, %lu guest memory accesses, "
             "%lu syncs, %lu commands for %u streams", e->step_installs,
             e->step_mem, e->step_syncs, e->step_inval, e->nr_streams);
    FZ_CHECK(*aborted <= e->nr_streams, "S9.3: %u streams aborting of %u",
             *aborted, e->nr_streams);
    return 0;
}

/*
 * One call of vsmmuv3_relinquish(), as domain destruction makes it (S8.4,
 * S8.8): preemptible, each call covering at least one stream, at most one
 * abort installed per stream and no more streams than preemption allows;
 * once it returns 0 every physical stream aborts, and later calls do
 * nothing.
 */
static int relinquish_call(struct fz_env *e)
{
    const struct vsmmuv3 *vs = e->vs;
    unsigned long checks0 = emul_preempt_checks(), checks;
    bool done = e->relinquished;
    unsigned int i;
    int rc;

    step_begin(e, FZ_STEP_OTHER, NULL);
    e->dying = true;
    rc = vsmmuv3_relinquish(e->vs);
    if ( !rc )
        e->relinquished = true;
    step_end(e);
    checks = emul_preempt_checks() - checks0;

    FZ_CHECK(vs->dying && (!rc || rc == -ERESTART),
             "vsmmuv3_relinquish() returned %d", rc);
    FZ_CHECK(!e->step_mem, "relinquish accessed guest memory");
    if ( done )
        FZ_CHECK(!rc && !e->step_installs,
                 "relinquish after it completed: %d, %lu installs", rc,
                 e->step_installs);
    if ( rc == -ERESTART )
    {
        FZ_CHECK(e->preempt_every && checks,
                 "S8.8: relinquish asked to be called again (%lu preemption "
                 "checks, preemption every %u)", checks, e->preempt_every);
        FZ_CHECK(++e->relinquish_restarts < max(1U, e->nr_streams),
                 "S8.8: relinquish restarted %u times for %u streams: a call "
                 "covered none", e->relinquish_restarts, e->nr_streams);
    }
    if ( e->preempt_every )
        FZ_CHECK(e->step_installs <= e->preempt_every,
                 "S8.8: %lu installs in one relinquish call, with a "
                 "preemption request every %u checks", e->step_installs,
                 e->preempt_every);
    FZ_CHECK(e->step_installs <= e->nr_streams,
             "S8.8: %lu installs in one relinquish call for %u streams",
             e->step_installs, e->nr_streams);
    if ( !rc )
        for ( i = 0; i < e->nr_streams; i++ )
        {
            const struct fz_stream *s = &e->streams[i];

            /* A stream whose abort was refused stays unknown. */
            FZ_CHECK(s->backend < 0 || s->phys_unknown ||
                     (s->phys_known && s->phys_cfg == VSMMUV3_STE_ABORT),
                     "S8.4: vSID %#x not aborting after relinquish (config "
                     "%d)", s->vsid, s->phys_cfg);
        }
    return rc;
}

void fz_relinquish_op(struct fz_env *e, unsigned int arg)
{
    e->preempt_every = arg & 3;
    emul_preempt_every(e->preempt_every);
    if ( arg & FZ_RELINQUISH_ONE_CALL )
        relinquish_call(e);
    else
        while ( relinquish_call(e) == -ERESTART )
            continue;
}

void fz_set_fail(struct fz_env *e, unsigned int backend, unsigned int fail)
{
    if ( backend >= e->cfg.nr_backends )
        return;
    e->phys[backend].fail = fail;
    if ( fail )
        e->failures = true;
}

int fz_phys_event(struct fz_env *e, int backend, const uint64_t evt[4])
{
    static const int foreign_smmu;
    uint32_t psid = MASK_EXTR(evt[0], SMMU_EVT0_SID);
    const struct fz_stream *s = NULL;
    unsigned long fwd;
    unsigned int i;
    int rc;

    for ( i = 0; backend >= 0 && i < e->nr_streams; i++ )
        if ( e->streams[i].backend == backend && e->streams[i].psid == psid )
            s = &e->streams[i];
    step_begin(e, FZ_STEP_PHYS, NULL);
    e->phys_evt = evt;
    e->phys_vsid = s ? s->vsid : ~0U;
    rc = vsmmuv3_handle_phys_event(e->vs, backend >= 0 ?
                                          FAKE_PHYS(&e->phys[backend]) :
                                          FAKE_PHYS(&foreign_smmu), evt);
    fwd = e->vs->stats.events_forwarded - e->before.forwarded;
    step_end(e);
    e->phys_evt = NULL;
    FZ_CHECK(!rc == (fwd == 1), "handle_phys_event returned %d, %lu "
             "forwarded", rc, fwd);
    if ( has_s2_field(MASK_EXTR(evt[0], SMMU_EVT0_ID)) &&
         (evt[1] & SMMU_EVT1_S2) )
        FZ_CHECK(rc && !fwd, "S6.1: event %#lx of Xen's stage 2 (S2=1) "
                 "forwarded to the guest",
                 (unsigned long)MASK_EXTR(evt[0], SMMU_EVT0_ID));
    if ( !s || e->dying )
        FZ_CHECK(rc && !fwd, "S8.4: event of pSID %#x on SMMU %d (%s) "
                 "forwarded", psid, backend,
                 s ? "after relinquish" : "not the domain's");
    return rc;
}

void fz_phys_events_op(struct fz_env *e, struct fz_in *in, unsigned int n)
{
    uint8_t b = fz_u8(in), idsel = fz_u8(in), fl = fz_u8(in);
    uint16_t raw = (b & 0x80) ? fz_u16(in) : 0;
    uint64_t w2 = fz_u64(in), w3 = fz_u64(in), evt[4];
    int backend = b % (e->cfg.nr_backends + 1);
    uint32_t psid = raw, cand[FZ_MAX_STREAMS];
    unsigned int i, nr = 0;

    if ( backend == (int)e->cfg.nr_backends )
        backend = -1;
    for ( i = 0; i < e->nr_streams; i++ )
        if ( e->streams[i].backend == backend && backend >= 0 )
            cand[nr++] = e->streams[i].psid;
    if ( !(b & 0x80) )
        psid = nr ? cand[((b >> 2) & 0x1f) % nr] : (b >> 2) & 0x1f;
    evt[0] = MASK_INSR(fz_event_ids[idsel % FZ_NR_EVENT_IDS], SMMU_EVT0_ID) |
             (fl & 4 ? SMMU_EVT0_SSV |
                       MASK_INSR(w2 & 0xfffff, SMMU_EVT0_SSID) : 0) |
             MASK_INSR(psid, SMMU_EVT0_SID);
    evt[1] = (fl & 1 ? SMMU_EVT1_S2 : 0) | (fl & 2 ? SMMU_EVT1_NSIPA : 0) |
             MASK_INSR((fl >> 3) & 3, SMMU_EVT1_CLASS) |
             (fl & 0x20 ? SMMU_EVT1_RNW : 0) | (fl & 0x40 ? SMMU_EVT1_IND : 0) |
             (fl & 0x80 ? SMMU_EVT1_PNU : 0);
    evt[2] = w2;
    evt[3] = w3;
    for ( i = 0; i < n; i++ )
        fz_phys_event(e, backend, evt);
}

/* The domain builder, with the outcome predicted independently. */
int fz_add_stream(struct fz_env *e, uint32_t vsid, int backend,
                  uint32_t psid)
{
    unsigned int i;
    int expect = 0, rc;
    bool bound;

    if ( backend >= (int)e->cfg.nr_backends || backend < -1 ||
         vsid >= (1U << VSMMUV3_SIDSIZE) )
        expect = -EINVAL;
    for ( i = 0; !expect && i < e->nr_streams; i++ )
        if ( e->streams[i].vsid == vsid ||
             (backend >= 0 && e->streams[i].backend == backend &&
              e->streams[i].psid == psid) )
            expect = -EEXIST;
    if ( !expect && e->nr_streams == e->vs->max_streams )
        expect = -ENOSPC;

    bound = vsid < (1U << VSMMUV3_SIDSIZE) &&
            vsmmuv3_find_stream(e->vs, vsid);
    step_begin(e, FZ_STEP_OTHER, NULL);
    if ( !expect )
        e->streams[e->nr_streams++] = (struct fz_stream){
            .vsid = vsid, .psid = psid, .backend = backend };
    rc = vsmmuv3_add_stream(e->vs, vsid, backend, psid);
    /*
     * S8.4: a physical stream is bound only once its SMMU took the first
     * configuration (the driver refuses streams of devices the domain does
     * not own): what the fake SMMU answered to the last install decides.
     */
    if ( !expect && backend >= 0 &&
         !(e->streams[e->nr_streams - 1].phys_known &&
           !e->streams[e->nr_streams - 1].phys_unknown) )
        expect = -EPERM;
    if ( rc && !expect )
        e->nr_streams--;
    else if ( expect == -EPERM )
        e->nr_streams--;
    step_end(e);
    FZ_CHECK(rc == expect, "add_stream(%#x, %d, %#x) = %d, expected %d",
             vsid, backend, psid, rc, expect);
    FZ_CHECK(!!vsmmuv3_find_stream(e->vs, vsid) == (!rc || bound),
             "add_stream(%#x) = %d, and the vSID is %sbound (was %d)", vsid,
             rc, vsmmuv3_find_stream(e->vs, vsid) ? "" : "not ", bound);
    FZ_CHECK(e->vs->nr_streams == e->nr_streams,
             "%u streams bound, %u expected", e->vs->nr_streams,
             e->nr_streams);
    return rc;
}

/*
 * The physical driver releases a stream (its device leaves the domain):
 * from then on the vSMMU never touches it (the fake SMMU fails any call
 * for a pSID not in e->streams), and its vSID is no stream any more.
 */
void fz_release_stream(struct fz_env *e, unsigned int backend, uint32_t psid)
{
    unsigned int i;

    step_begin(e, FZ_STEP_OTHER, NULL);
    vsmmuv3_release_stream(e->vs, backend, psid);
    for ( i = 0; i < e->nr_streams; i++ )
        if ( e->streams[i].backend == (int)backend &&
             e->streams[i].psid == psid )
        {
            uint32_t vsid = e->streams[i].vsid;

            memmove(&e->streams[i], &e->streams[i + 1],
                    (e->nr_streams - i - 1) * sizeof(e->streams[0]));
            e->nr_streams--;
            FZ_CHECK(!vsmmuv3_find_stream(e->vs, vsid),
                     "vSID %#x still bound after its release", vsid);
            break;
        }
    step_end(e);
    FZ_CHECK(!e->step_installs && !e->step_mem,
             "releasing a stream made %lu installs and %lu guest memory "
             "accesses", e->step_installs, e->step_mem);
    FZ_CHECK(e->vs->nr_streams == e->nr_streams,
             "%u streams bound, %u expected", e->vs->nr_streams,
             e->nr_streams);
}

void fz_release_op(struct fz_env *e, struct fz_in *in)
{
    uint8_t b = fz_u8(in);
    const struct fz_stream *s;

    if ( !e->nr_streams || (b & 0x80) )
    {
        /* Anything: a pSID that may be bound to none. */
        fz_release_stream(e, b & 1, fz_u16(in));
        return;
    }
    s = &e->streams[b % e->nr_streams];
    if ( s->backend >= 0 )
        fz_release_stream(e, s->backend, s->psid);
}

static bool vcpu_work(void *priv, struct vcpu *v)
{
    return vsmmuv3_vcpu_work(priv, v);
}

struct fz_env *fz_env_create(const struct fz_config *c)
{
    static const struct { uint32_t vsid; int backend; uint32_t psid; }
    streams[] = {
        { 0x0, 0, 0x10 }, { 0x1, -1, 0 }, { 0x2, 1, 0x20 },
        { 0x47, 0, 0x11 }, { 0x1c3, 1, 0x21 },
    };
    struct vsmmuv3_backend be[FZ_MAX_BACKENDS];
    struct vsmmuv3_params p;
    struct fz_env *e = calloc(1, sizeof(*e));
    unsigned int i;
    int rc;

    FZ_CHECK(e && c->nr_backends <= FZ_MAX_BACKENDS);
    fz_init();
    e->cfg = *c;
    emul_log_clear();
    e->allocs0 = emul_live_allocations();
    e->d = emul_domain_create(1, FZ_NR_VCPUS, FZ_NR_SPIS);
    e->v = e->d->vcpu[0];
    /*
     * The harness makes each vCPU's continuation steps itself, in the
     * order the input says, and checks each one.
     */
    emul_auto_return(false);
    emul_preempt_every(0);
    emul_set_step_hook(step_hook, NULL);
    FZ_CHECK(!emul_ram_add(e->d, FZ_RAM0_BASE, FZ_RAM0_SIZE) &&
             !emul_ram_add(e->d, FZ_RAM1_BASE, FZ_RAM1_SIZE) &&
             !emul_ram_punch_hole(e->d, FZ_HOLE, PAGE_SIZE));

    for ( i = 0; i < c->nr_backends; i++ )
    {
        e->phys[i] = (struct fz_phys){
            .e = e, .idx = i, .vmid = 0x71 + i, .ril = c->ril[i] };
        be[i] = (struct vsmmuv3_backend){
            .phys_id = FAKE_PHYS(&e->phys[i]),
            .stable_id = 0x2b000000ULL + ((uint64_t)i << 20),
            .ops = &fz_phys_ops,
            .priv = &e->phys[i],
            .caps = { .idr = {
                [0] = SMMU_IDR0_S1P | SMMU_IDR0_S2P | SMMU_IDR0_COHACC |
                      SMMU_IDR0_ASID16 | SMMU_IDR0_VMID16 |
                      MASK_INSR(SMMU_IDR0_TTF_AARCH64, SMMU_IDR0_TTF),
                [3] = c->ril[i] ? SMMU_IDR3_RIL : 0,
                [5] = MASK_INSR(SMMU_IDR5_OAS_48, SMMU_IDR5_OAS) |
                      SMMU_IDR5_GRAN4K | SMMU_IDR5_GRAN64K,
            } },
            .vmid = 0x71 + i,
        };
        /* 8-bit ASIDs, 40-bit OAS, 4K only: the vSMMU advertises less. */
        if ( c->narrow && i == 1 )
        {
            be[i].caps.idr[0] &= ~SMMU_IDR0_ASID16;
            be[i].caps.idr[5] = MASK_INSR(SMMU_IDR5_OAS_40, SMMU_IDR5_OAS) |
                                SMMU_IDR5_GRAN4K;
        }
    }
    p = (struct vsmmuv3_params){
        .base = FZ_BASE,
        .evtq_virq = FZ_EVTQ_VIRQ,
        .gerror_virq = FZ_GERROR_VIRQ,
        .ipa_bits = c->ipa_bits,
        .step_work = c->step_work,
        .cmdqs = c->cmdqs,
        .eventqs = c->eventqs,
        .max_streams = 8,
        .event_budget = c->event_budget,
        .nr_backends = c->nr_backends,
        .backends = be,
    };
    rc = vsmmuv3_domain_init(e->d, &p, &e->vs);
    FZ_CHECK(!rc, "vsmmuv3_domain_init: %d", rc);
    FZ_CHECK(e->vs->step_work == c->step_work, "step_work %u, asked %u",
             e->vs->step_work, c->step_work);
    /* Xen's way back to the guest reaches the vSMMU (viommu.c). */
    emul_set_vcpu_work(e->d, vcpu_work, e->vs);
    e->id0 = e->vs->id;
    fz_set_fail(e, 0, c->fail);

    for ( i = 0; i < ARRAY_SIZE(streams); i++ )
    {
        int b = streams[i].backend < (int)c->nr_backends ?
                streams[i].backend : -1;

        fz_add_stream(e, streams[i].vsid, b, b < 0 ? 0 : streams[i].psid);
    }
    return e;
}

void fz_env_destroy(struct fz_env *e)
{
    static int verbose = -1;

    if ( verbose < 0 )
        verbose = getenv("FUZZ_VERBOSE") != NULL;
    if ( verbose )
    {
        const struct vsmmuv3 *vs = e->vs;

        fprintf(stderr, "cmds %lu errors %lu steps %lu continuations %lu "
                "max_step_work %lu/%u phys_cmds %lu "
                "phys_syncs %lu phys_errors %lu events %lu lost %lu "
                "installs %lu/%lu logs %u\n", vs->stats.cmds,
                vs->stats.cmd_errors, vs->stats.steps,
                vs->stats.continuations, vs->stats.max_step_work,
                vs->step_work,
                vs->stats.phys_cmds, vs->stats.phys_syncs,
                vs->stats.phys_errors, vs->stats.events,
                vs->stats.events_lost, e->phys[0].installs,
                e->phys[1].installs, emul_log_total());
    }
    /* The rest of the domain's destruction, preemptible as it was. */
    while ( !e->relinquished )
        relinquish_call(e);
    /* Idempotent: once more, then nothing may reach a physical SMMU. */
    relinquish_call(e);
    vsmmuv3_domain_free(e->vs);
    emul_set_step_hook(NULL, NULL);
    FZ_CHECK(!emul_timers_armed(), "timer armed after free");
    FZ_CHECK(!emul_vgic_reserved(e->d, FZ_EVTQ_VIRQ) &&
             !emul_vgic_reserved(e->d, FZ_GERROR_VIRQ),
             "interrupts still reserved after free");
    emul_domain_destroy(e->d);
    FZ_CHECK(emul_live_allocations() == e->allocs0,
             "S8.5: %lu allocations left after free",
             emul_live_allocations() - e->allocs0);
    free(e);
}

/* The Linux-like guest driver. */
static void w32(struct fz_guest *g, uint32_t off, uint32_t val)
{
    fz_write(g->e, off, DABT_WORD, val);
}

static void w64(struct fz_guest *g, uint32_t off, uint64_t val)
{
    fz_write(g->e, off, DABT_DOUBLE_WORD, val);
}

static uint32_t r32(struct fz_guest *g, uint32_t off)
{
    return fz_read(g->e, off, DABT_WORD);
}

void fz_guest_cmd(struct fz_guest *g, uint64_t c0, uint64_t c1)
{
    uint32_t n = 1U << g->cmdq_log2;
    uint64_t c[2] = { c0, c1 };

    fz_ram_write(g->e, g->cmdq + (paddr_t)(g->prod & (n - 1)) * SMMU_CMD_SIZE,
                 c, sizeof(c));
    g->prod = (g->prod + 1) & (2 * n - 1);
}

void fz_guest_cmds(struct fz_guest *g, struct fz_in *in, unsigned int arg)
{
    unsigned int n = fz_u8(in) + 1U, i;
    uint8_t opsel = fz_u8(in);
    uint32_t vsid = fz_vsid(g->e, in);
    uint64_t w0 = fz_u64(in), w1 = fz_u64(in), c[2];

    for ( i = 0; i < n; i++ )
    {
        if ( arg & FZ_CMDS_VARY )
            fz_build_cmd(opsel, vsid + i, w0 ^ ((uint64_t)i << 48),
                         w1 + ((uint64_t)i << 12), c);
        else
            fz_build_cmd(opsel, vsid, w0, w1, c);
        fz_guest_cmd(g, c[0], c[1]);
    }
    if ( arg & FZ_CMDS_SYNC )
        fz_guest_cmd(g, MASK_INSR(SMMU_OP_CMD_SYNC, SMMU_CMD_OPCODE),
                     0);
    if ( arg & FZ_CMDS_PUBLISH )
        fz_guest_publish(g);
}

void fz_guest_publish(struct fz_guest *g)
{
    w32(g, SMMU_CMDQ_PROD, g->prod);
}

/*
 * S4.5: the guest's CMD_SYNC, with its MSI, sits at @slot; CONS was @cons0
 * when it was published.  If the model consumed that slot since, and its
 * last fetch of the slot found that CMD_SYNC (the guest's own event queue
 * may overlap its command queue), the MSI must have been written, or its
 * abort reported.  Only while the model sees the queue where the guest
 * put it.
 */
static void check_sync_msi(struct fz_guest *g, paddr_t slot, uint32_t cons0)
{
    const struct vsmmuv3 *vs = g->e->vs;
    const struct vsmmuv3_queue *q = &vs->cmdq;
    uint32_t n = 1U << vsmmuv3_q_log2(q), wm = 2 * n - 1;
    uint32_t done = (q->cons - cons0) & wm;
    uint32_t idx = (slot - g->cmdq) / SMMU_CMD_SIZE;

    if ( vsmmuv3_q_addr(q) != g->cmdq || vsmmuv3_q_log2(q) != g->cmdq_log2 ||
         !g->e->guest_sync_fetched )
        return;
    /* Consumed: one of the entries CONS moved over is the slot. */
    if ( done < n && ((idx - cons0) & (n - 1)) >= done )
        return;
    FZ_CHECK(g->e->guest_sync_signalled ||
             ((vs->gerror ^ vs->gerrorn) & SMMU_GERROR_MSI_CMDQ_ABT_ERR),
             "S4.5: CMD_SYNC in slot %u consumed (CONS %#x -> %#x) without "
             "its MSI", idx, cons0, q->cons);
}

void fz_guest_sync(struct fz_guest *g)
{
    uint32_t n = 1U << g->cmdq_log2, cons0;
    paddr_t slot = g->cmdq + (paddr_t)(g->prod & (n - 1)) * SMMU_CMD_SIZE;
    unsigned int i;

    if ( !g->msi_poll )
    {
        fz_guest_cmd(g, MASK_INSR(SMMU_OP_CMD_SYNC, SMMU_CMD_OPCODE), 0);
        fz_guest_publish(g);
        for ( i = 0; i < 2; i++ )
            r32(g, SMMU_CMDQ_CONS);
        fz_finish_vcpu(g->e, g->e->v);
        return;
    }
    /* Linux: MSIAddr is the CMD_SYNC's own slot, MSIData 0; it polls it. */
    fz_guest_cmd(g, MASK_INSR(SMMU_OP_CMD_SYNC, SMMU_CMD_OPCODE) |
                    MASK_INSR(SMMU_SYNC_CS_IRQ, SMMU_CMD0_SYNC_CS) |
                    MASK_INSR(3, SMMU_CMD0_SYNC_MSH) |
                    MASK_INSR(0xf, SMMU_CMD0_SYNC_MSIATTR),
                 slot & SMMU_CMD1_SYNC_MSIADDR);
    cons0 = g->e->vs->cmdq.cons;
    g->e->guest_sync_slot = slot;
    g->e->guest_sync_fetched = g->e->guest_sync_signalled = false;
    fz_guest_publish(g);
    /* Back in the guest, which polls the slot. */
    fz_finish_vcpu(g->e, g->e->v);
    check_sync_msi(g, slot, cons0);
    g->e->guest_sync_slot = 0;
}

static void sync_and_wait(struct fz_guest *g)
{
    fz_guest_sync(g);
}

void fz_linux_reset(struct fz_guest *g, bool enable)
{
    uint32_t cr0 = r32(g, SMMU_CR0);

    if ( cr0 & SMMU_CR0_SMMUEN )
    {
        w32(g, SMMU_GBPA, SMMU_GBPA_UPDATE | SMMU_GBPA_ABORT);
        r32(g, SMMU_GBPA);
    }
    w32(g, SMMU_CR0, 0);
    r32(g, SMMU_CR0ACK);
    w32(g, SMMU_CR1, 0xd75);
    w32(g, SMMU_CR2, 0x6);
    w64(g, SMMU_STRTAB_BASE, SMMU_STRTAB_BASE_RA | g->strtab);
    w32(g, SMMU_STRTAB_BASE_CFG, g->strtab_cfg);
    w64(g, SMMU_CMDQ_BASE, SMMU_Q_BASE_RWA | g->cmdq | g->cmdq_log2);
    w32(g, SMMU_CMDQ_PROD, 0);
    w32(g, SMMU_CMDQ_CONS, 0);
    g->prod = 0;
    w32(g, SMMU_CR0, SMMU_CR0_CMDQEN);
    r32(g, SMMU_CR0ACK);

    fz_guest_cmd(g, MASK_INSR(SMMU_OP_CFGI_STE_RANGE, SMMU_CMD_OPCODE),
                 SMMU_CFGI_RANGE_ALL);
    sync_and_wait(g);
    fz_guest_cmd(g, MASK_INSR(SMMU_OP_TLBI_NSNH_ALL, SMMU_CMD_OPCODE),
                 0);
    sync_and_wait(g);

    w64(g, SMMU_EVENTQ_BASE, SMMU_Q_BASE_RWA | g->evtq | g->evtq_log2);
    w32(g, SMMU_EVENTQ_PROD, 0);
    w32(g, SMMU_EVENTQ_CONS, 0);
    g->evtq_cons = 0;
    w32(g, SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    r32(g, SMMU_CR0ACK);

    w32(g, SMMU_IRQ_CTRL, 0);
    r32(g, SMMU_IRQ_CTRLACK);
    w64(g, SMMU_GERROR_IRQ_CFG0, 0);
    w64(g, SMMU_EVENTQ_IRQ_CFG0, 0);
    w32(g, SMMU_IRQ_CTRL, g->irq_ctrl);
    r32(g, SMMU_IRQ_CTRLACK);

    if ( enable )
    {
        w32(g, SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN |
                         SMMU_CR0_SMMUEN);
        r32(g, SMMU_CR0ACK);
    }
}

void fz_guest_gerror(struct fz_guest *g)
{
    uint32_t gerror = r32(g, SMMU_GERROR), gerrorn = r32(g, SMMU_GERRORN);
    uint32_t active = gerror ^ gerrorn;

    if ( !active )
        return;
    if ( active & SMMU_GERROR_CMDQ_ERR )
    {
        uint32_t cons = r32(g, SMMU_CMDQ_CONS);
        uint32_t n = 1U << g->cmdq_log2;

        /* Linux: an illegal command is replaced by a CMD_SYNC; a fetch
         * abort is retried as it is. */
        if ( MASK_EXTR(cons, SMMU_CMDQ_CONS_ERR) != SMMU_CERROR_ABT )
        {
            uint64_t c[2] = {
                MASK_INSR(SMMU_OP_CMD_SYNC, SMMU_CMD_OPCODE), 0 };

            fz_ram_write(g->e, g->cmdq + (paddr_t)(cons & (n - 1)) *
                                         SMMU_CMD_SIZE, c, sizeof(c));
        }
    }
    w32(g, SMMU_GERRORN, gerror);
}

unsigned int fz_guest_events(struct fz_guest *g, bool ack)
{
    uint32_t n = 1U << g->evtq_log2, wm = 2 * n - 1;
    uint32_t prod = r32(g, SMMU_EVENTQ_PROD);
    unsigned int got = 0;

    while ( ((g->evtq_cons ^ prod) & wm) && got < n )
    {
        uint64_t evt[4];

        fz_ram_read(g->e, g->evtq + (paddr_t)(g->evtq_cons & (n - 1)) *
                                    SMMU_EVT_SIZE, evt, sizeof(evt));
        g->evtq_cons = (g->evtq_cons & SMMU_EVENTQ_CONS_OVACKFLG) |
                       ((g->evtq_cons + 1) & wm);
        got++;
    }
    if ( ack )
        g->evtq_cons = (g->evtq_cons & wm) | (prod & SMMU_EVENTQ_PROD_OVFLG);
    w32(g, SMMU_EVENTQ_CONS, g->evtq_cons);
    return got;
}

/* Operand decoders. */
uint32_t fz_vsid(struct fz_env *e, struct fz_in *in)
{
    uint8_t b = fz_u8(in);

    if ( b < 0xf0 )
        return e->nr_streams ? e->streams[b % e->nr_streams].vsid : b;
    if ( b < 0xf8 )
        return fz_u16(in);
    return fz_u32(in);
}

void fz_build_cmd(uint8_t opsel, uint32_t vsid, uint64_t f0, uint64_t f1,
                  uint64_t c[2])
{
    unsigned int op = fz_opcodes[(opsel & 0x7f) % FZ_NR_OPCODES];
    bool clean = opsel & 0x80;
    uint64_t m0 = ~0ULL, m1 = ~0ULL;
    bool sid = false;

    switch ( op )
    {
    case SMMU_OP_CFGI_STE:
    case SMMU_OP_CFGI_CD:
        sid = true;
        m0 = 0;
        m1 = SMMU_CMD1_LEAF;
        break;
    case SMMU_OP_CFGI_STE_RANGE:
        sid = true;
        m0 = 0;
        m1 = SMMU_CMD1_CFGI_RANGE;
        break;
    case SMMU_OP_CFGI_CD_ALL:
    case SMMU_OP_PREFETCH_CONFIG:
        sid = true;
        m0 = m1 = 0;
        break;
    case SMMU_OP_PREFETCH_ADDR:
        sid = true;
        m0 = 0;
        m1 = SMMU_CMD1_PREFETCH_ADDR | SMMU_CMD1_PREFETCH_SIZE;
        break;
    case SMMU_OP_TLBI_NH_ASID:
        m0 = SMMU_CMD0_TLBI_ASID;
        m1 = 0;
        break;
    case SMMU_OP_TLBI_NH_VA:
    case SMMU_OP_TLBI_NH_VAA:
        m0 = (op == SMMU_OP_TLBI_NH_VA ? SMMU_CMD0_TLBI_ASID : 0) |
             SMMU_CMD0_TLBI_NUM | SMMU_CMD0_TLBI_SCALE;
        m1 = SMMU_CMD1_TLBI_ADDR | SMMU_CMD1_TLBI_LEAF |
             SMMU_CMD1_TLBI_TTL | SMMU_CMD1_TLBI_TG;
        break;
    case SMMU_OP_CMD_SYNC:
        m0 = MASK_INSR(1, SMMU_CMD0_SYNC_CS) | SMMU_CMD0_SYNC_MSH |
             SMMU_CMD0_SYNC_MSIATTR | SMMU_CMD0_SYNC_MSIDATA;
        m1 = SMMU_CMD1_SYNC_MSIADDR;
        break;
    default:
        m0 = m1 = 0;
        break;
    }
    if ( !clean )
        m0 = m1 = ~0ULL;
    /* A well-formed CMD_SYNC signals to an address that is mostly RAM. */
    else if ( op == SMMU_OP_CMD_SYNC )
        f1 = fz_addr(f1, f1 >> 8);
    c[0] = (f0 & m0 & ~SMMU_CMD_OPCODE) |
           MASK_INSR(op, SMMU_CMD_OPCODE);
    c[1] = f1 & m1;
    if ( sid )
        c[0] = (c[0] & ~SMMU_CMD0_SID) | MASK_INSR(vsid, SMMU_CMD0_SID);
}

uint64_t fz_ste_w0(uint8_t cfg, paddr_t ctx)
{
    return (cfg & 1 ? SMMU_STE0_V : 0) |
           MASK_INSR((cfg >> 1) & 7, SMMU_STE0_CONFIG) |
           MASK_INSR((cfg >> 4) & 3, SMMU_STE0_S1FMT) |
           (ctx & SMMU_STE0_S1CTXPTR) |
           (cfg & 0x40 ? MASK_INSR(1, SMMU_STE0_S1CDMAX) : 0) |
           (cfg & 0x80 ? GENMASK_ULL(58, 52) : 0);
}
