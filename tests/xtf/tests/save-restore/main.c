/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/save-restore/main.c
 * @ref test-save-restore
 *
 * @page test-save-restore Save, reset, abort and restore under a running guest
 *
 * S9.1, S9.3: a restored vSMMU is indistinguishable from the one that was
 * saved, to the guest and to the physical SMMU.  The guest owns an edu
 * device behind its vSMMU, nested on the physical SMMUv3 (streams
 * renumbered: vSID = requester ID + 0x100, so a vSID map that lost the
 * difference shows), and:
 *
 *  - installs a stage-1 STE and CD and DMAs through its own tables;
 *  - leaves two F_TRANSLATION records pending in its event queue (DMAs to
 *    an unmapped IOVA, not consumed) and an unacknowledged CMDQ error
 *    (CERROR_ILL: GERROR.CMDQ_ERR active, CONS.ERR set, the queue stopped);
 *  - reads every register of page 0 and page 1 and its event queue's
 *    memory;
 *  - writes the debug build's self-test register (VSMMUV3_SELFTEST_REG):
 *    inside that trap Xen saves the vSMMU, resets it to its power-on state
 *    with every bound stream's physical STE driven to abort, and restores
 *    it from the record.  The register must then read "ran, no stream left
 *    aborting, no error";
 *  - takes the EVTQ and GERROR interrupts before the save; after the
 *    restore both come again (S6.4: level lines; Xen's vGIC makes a level
 *    interrupt pending again only when it is driven again, so this shows
 *    that the restore derived the lines and drove them);
 *  - reads everything back: every register identical, the event queue
 *    unchanged (the two records still pending, nothing added);
 *  - DMAs again with no action of its own (no CFGI, no TLBI; its command
 *    queue is stopped by the error anyway): the DMA reads and writes
 *    through its stage 1 again, so restore re-installed the guest's nested
 *    configuration on the physical SMMU;
 *  - replaces the bad command with a CMD_SYNC and acknowledges the error:
 *    the queue resumes where it stopped;
 *  - remaps the IOVA to another buffer, TLBI_NH_VA + CMD_SYNC: the next DMA
 *    lands in the new buffer only;
 *  - consumes the two pending records: those that were there before.
 *
 * Without the self-test register (CONFIG_VSMMUV3_SELFTEST, on by default
 * in debug builds, which the project's are unless told otherwise) the test
 * cannot run and says so (SKIP, which the runner does not count as a
 * pass); a build with it that does not answer fails.
 */
#include <xtf.h>
#include <xtf/dmaenv.h>
#include <xtf/s1pt.h>
#include <xtf/smmu.h>

const char test_title[] = "vSMMUv3 nested: save, reset, abort and restore "
                          "under a running guest";

#define PAGE            4096U
#define ASID            7
#define IOVA_LOAD       0x1000ULL
#define IOVA_DST        0x100000ULL
#define IOVA_HOLE       0x300000ULL     /* mapped by nothing */
#define NR_PENDING      2
#define FAULT_LEN       4U
#define DMA_LEN         0x800U
#define EVENT_WAIT_US   1000000U
#define BAD_OPCODE      0x7f

/* What the guest can read of its vSMMU: page 0's registers and page 1's. */
#define P0_WORDS        (0x1000U / 4)
#define P1_WORDS        (0x100U / 4)

struct regs {
    uint32_t p0[P0_WORDS];
    uint32_t p1[P1_WORDS];
};

static struct dma_env env;

/*
 * Every 32-bit word of the register pages (64-bit registers as two
 * halves), but the self-test register itself.
 */
static void read_regs(struct regs *r)
{
    unsigned int i;

    for ( i = 0; i < P0_WORDS; i++ )
        r->p0[i] = i * 4 == VSMMUV3_SELFTEST_REG ? 0 : smmu_read32(i * 4);
    for ( i = 0; i < P1_WORDS; i++ )
        r->p1[i] = smmu_read32(SMMU_PAGE1 + i * 4);
}

static unsigned int compare_regs(const struct regs *a, const struct regs *b)
{
    unsigned int i, bad = 0;

    for ( i = 0; i < P0_WORDS; i++ )
        if ( a->p0[i] != b->p0[i] && bad++ < 16 )
            printk("  page 0 +%#05x: %#010x before, %#010x after\n", i * 4,
                   a->p0[i], b->p0[i]);
    for ( i = 0; i < P1_WORDS; i++ )
        if ( a->p1[i] != b->p1[i] && bad++ < 16 )
            printk("  page 1 +%#05x: %#010x before, %#010x after\n", i * 4,
                   a->p1[i], b->p1[i]);

    return bad;
}

/* Wait until the event queue holds @n unread records. */
static bool evtq_wait_pending(unsigned int n)
{
    uint32_t mask = (2U << smmu_evtq.log2) - 1, prod;
    uint64_t t0 = counter_now();

    do {
        prod = smmu_read32(SMMU_EVENTQ_PROD) & mask;
        if ( ((prod - smmu_evtq.cons) & mask) >= n )
            return true;
    } while ( counter_us_since(t0) < EVENT_WAIT_US );

    return false;
}

/* One DMA that must fault: 4 bytes from the device buffer to @iova. */
static bool fault_dma(uint64_t iova)
{
    edu_dma_to_mem_start(&env.edu[0], 0, iova, FAULT_LEN, 0);
    if ( !edu_dma_wait(&env.edu[0], EDU_DMA_TIMEOUT_US) )
        return xtf_failure("Fail: the faulting DMA did not end\n"), false;

    return true;
}

/*
 * Load @seed through IOVA_LOAD into the device and send it to IOVA_DST:
 * true if the DMAs ended (where it landed is the caller's to check).
 */
static bool dma_round_trip(uint8_t *load, uint32_t seed)
{
    pattern_fill(load, PAGE, seed);
    dsb(sy);

    return edu_dma_from_mem(&env.edu[0], IOVA_LOAD, 0, DMA_LEN) &&
           edu_dma_to_mem(&env.edu[0], 0, IOVA_DST, DMA_LEN);
}

/* Where pattern @seed went, of dst1 and dst2: DMA_NOWHERE etc. */
static int landed(uint8_t *dst1, uint8_t *dst2, uint32_t seed)
{
    void *const bufs[] = { dst1, dst2 };

    return dma_landed(bufs, 2, 0, DMA_LEN, seed);
}

static const char *const dst_names[] = { "the mapped buffer",
                                         "the other buffer" };

void test_main(void)
{
    const struct edu *e;
    struct s1_pt pt;
    struct regs *before, *after;
    uint64_t *cd, *evtq_before, evt[4];
    uint8_t *load, *dst1, *dst2;
    size_t evtq_bytes;
    uint32_t st, gerror, cons, bad_idx;
    unsigned int i, bad;
    enum smmu_wait w;
    int where;
    const struct smmu_cmd bad_cmds[] = {
        cmd_raw(MASK_INSR(BAD_OPCODE, SMMU_CMD_OPCODE), 0),
        cmd_sync(),
    };

    if ( !dma_env_setup(&env, 1) )
        return;
    e = &env.edu[0];

    load = xtf_alloc(PAGE, PAGE);
    dst1 = xtf_alloc(PAGE, PAGE);
    dst2 = xtf_alloc(PAGE, PAGE);
    cd = xtf_alloc(SMMU_CD_SIZE, SMMU_CD_SIZE);
    before = xtf_alloc(sizeof(*before), 8);
    after = xtf_alloc(sizeof(*after), 8);
    evtq_bytes = (size_t)(1U << smmu_evtq.log2) * 4 * sizeof(uint64_t);
    evtq_before = xtf_alloc(evtq_bytes, 8);

    /* Stage 1: IOVA_LOAD -> load (read), IOVA_DST -> dst1. */
    if ( !s1_pt_init(&pt, 12, 3) ||
         !s1_map(&pt, IOVA_LOAD, (uintptr_t)load, 3, S1_READ) ||
         !s1_map(&pt, IOVA_DST, (uintptr_t)dst1, 3, S1_RW) )
        return xtf_error("Error: tables\n");
    smmu_cd_write(cd, &pt, ASID);
    smmu_ste_s1(e->sid, cd);
    if ( !smmu_cmd1(cmd_cfgi_ste(e->sid), "CFGI_STE") )
        return;

    /* The stream translates before anything else. */
    memset(dst1, 0, PAGE);
    memset(dst2, 0, PAGE);
    if ( !dma_round_trip(load, 0x5a1) )
        return;
    where = landed(dst1, dst2, 0x5a1);
    if ( where != 0 )
        return xtf_failure("Fail: before the save, the DMA to the IOVA "
                           "landed: %s\n", dma_where(where, dst_names));

    /* Pending events: two faults, not consumed. */
    for ( i = 0; i < NR_PENDING; i++ )
        if ( !fault_dma(IOVA_HOLE + i * 0x40) )
            return;
    if ( !evtq_wait_pending(NR_PENDING) )
        return xtf_failure("Fail: %u fault records did not arrive (EVENTQ_PROD "
                           "%#x, CONS %#x)\n", NR_PENDING,
                           smmu_read32(SMMU_EVENTQ_PROD),
                           smmu_read32(SMMU_EVENTQ_CONS));
    /* Forwarded records come a little after their DMA: let all arrive. */
    udelay(200000);

    /* An unacknowledged command error: the queue stops at the bad entry. */
    bad_idx = q_idx(&smmu_cmdq, smmu_cmdq.prod);
    if ( !smmu_cmdq_submit(bad_cmds, ARRAY_SIZE(bad_cmds)) )
        return xtf_error("Error: command queue full\n");
    w = smmu_cmdq_wait(SMMU_POLL_US);
    if ( w != SMMU_WAIT_ERROR )
        return xtf_failure("Fail: the illegal command: queue %s, expected an "
                           "error\n", smmu_wait_name(w));
    cons = smmu_read32(SMMU_CMDQ_CONS);
    if ( q_idx(&smmu_cmdq, cons) != bad_idx ||
         MASK_EXTR(cons, SMMU_CMDQ_CONS_ERR) != SMMU_CERROR_ILL )
        return xtf_failure("Fail: CMDQ_CONS %#x after the illegal command at "
                           "%#x\n", cons, bad_idx);

    /*
     * S6.4: both lines are high (records unread, the error active).  Take
     * and complete both interrupts now: Xen's vGIC makes a level interrupt
     * pending again only when the line is driven again, so they come back
     * only if the restore drives the lines it derives.
     */
    gic_clear_counts();
    gic_wait_irq(GUEST_VSMMUV3_EVTQ_SPI, 200000);
    if ( !gic_count(GUEST_VSMMUV3_EVTQ_SPI) ||
         !gic_count(GUEST_VSMMUV3_GERROR_SPI) )
        return xtf_failure("Fail: before the save, EVTQ SPI %u times, GERROR "
                           "SPI %u times, expected both\n",
                           gic_count(GUEST_VSMMUV3_EVTQ_SPI),
                           gic_count(GUEST_VSMMUV3_GERROR_SPI));
    gic_clear_counts();

    /* Everything the guest can see. */
    read_regs(before);
    memcpy(evtq_before, smmu_evtq.base, evtq_bytes);
    printk("before: CR0 %#x GERROR %#x GERRORN %#x CMDQ_PROD %#x CONS %#x "
           "EVENTQ_PROD %#x CONS %#x\n", before->p0[SMMU_CR0 / 4],
           before->p0[SMMU_GERROR / 4], before->p0[SMMU_GERRORN / 4],
           before->p0[SMMU_CMDQ_PROD / 4], before->p0[SMMU_CMDQ_CONS / 4],
           before->p1[(SMMU_EVENTQ_PROD - SMMU_PAGE1) / 4],
           before->p1[(SMMU_EVENTQ_CONS - SMMU_PAGE1) / 4]);

    /* S9.3: save, reset with the physical streams aborting, restore. */
    smmu_write32(VSMMUV3_SELFTEST_REG, VSMMUV3_SELFTEST_RUN);
    st = smmu_read32(VSMMUV3_SELFTEST_REG);
    printk("self-test register: %#010x\n", st);
    if ( !(st & VSMMUV3_SELFTEST_RAN) )
    {
#ifdef CONFIG_VSMMUV3_SELFTEST
        return xtf_failure("Fail: built with CONFIG_VSMMUV3_SELFTEST, and the "
                           "self-test register did not run (%#x)\n", st);
#else
        return xtf_skip("Skip: no self-test register: Xen was built without "
                        "CONFIG_VSMMUV3_SELFTEST (a debug build has it)\n");
#endif
    }
    if ( st != VSMMUV3_SELFTEST_RAN )
        return xtf_failure("Fail: the self-test ran with %u stream(s) left "
                           "aborting, error -%u\n",
                           (unsigned int)MASK_EXTR(st,
                                                   VSMMUV3_SELFTEST_ABORTED),
                           (unsigned int)MASK_EXTR(st,
                                                   VSMMUV3_SELFTEST_ERRNO));

    /* S9.3: the lines derived again and driven: both interrupts again. */
    gic_wait_irq(GUEST_VSMMUV3_EVTQ_SPI, 200000);
    if ( !gic_count(GUEST_VSMMUV3_EVTQ_SPI) )
        xtf_failure("Fail: no EVTQ SPI after the restore, with two records "
                    "unread\n");
    if ( !gic_count(GUEST_VSMMUV3_GERROR_SPI) )
        xtf_failure("Fail: no GERROR SPI after the restore, with CMDQ_ERR "
                    "active\n");

    /* Identical, to the guest. */
    read_regs(after);
    bad = compare_regs(before, after);
    if ( bad )
        xtf_failure("Fail: %u register word(s) changed across the restore\n",
                    bad);
    if ( memcmp(evtq_before, smmu_evtq.base, evtq_bytes) )
        xtf_failure("Fail: the event queue's memory changed across the "
                    "restore\n");

    /* S9.3: translates through the guest's stage 1, no guest action. */
    memset(dst1, 0, PAGE);
    memset(dst2, 0, PAGE);
    if ( !dma_round_trip(load, 0x6b2) )
        return;
    where = landed(dst1, dst2, 0x6b2);
    if ( where != 0 )
        return xtf_failure("Fail: after the restore, with no action of the "
                           "guest's, the DMA through its stage 1 landed: "
                           "%s\n", dma_where(where, dst_names));
    printk("after the restore: the DMA read and wrote through stage 1\n");

    /* The restored command error: Linux's recovery resumes the queue. */
    smmu_cmdq.base[bad_idx * 2] = cmd_sync().w[0];
    smmu_cmdq.base[bad_idx * 2 + 1] = cmd_sync().w[1];
    dsb(sy);
    gerror = smmu_read32(SMMU_GERROR);
    if ( !((gerror ^ smmu_read32(SMMU_GERRORN)) & SMMU_GERROR_CMDQ_ERR) )
        xtf_failure("Fail: CMDQ_ERR no longer active after the restore\n");
    smmu_write32(SMMU_GERRORN, gerror);
    w = smmu_cmdq_wait(SMMU_POLL_US);
    if ( w != SMMU_WAIT_DONE )
        return xtf_failure("Fail: after the GERRORN ack the queue %s (CONS %#x "
                           "PROD %#x)\n", smmu_wait_name(w),
                           smmu_read32(SMMU_CMDQ_CONS), smmu_cmdq.prod);

    /* A remap and its invalidation still reach the physical SMMU. */
    if ( !s1_map(&pt, IOVA_DST, (uintptr_t)dst2, 3, S1_RW) )
        return xtf_error("Error: remap\n");
    dsb(sy);
    if ( !smmu_cmd1(cmd_tlbi_nh_va(ASID, IOVA_DST, true), "TLBI_NH_VA") )
        return;
    memset(dst1, 0, PAGE);
    memset(dst2, 0, PAGE);
    if ( !dma_round_trip(load, 0x7c3) )
        return;
    where = landed(dst1, dst2, 0x7c3);
    if ( where != 1 )
        return xtf_failure("Fail: after a remap and TLBI_NH_VA, the DMA "
                           "landed: %s, not the new buffer\n",
                           dma_where(where, dst_names));

    /* The pending records: the same two, then nothing. */
    for ( i = 0; i < NR_PENDING; i++ )
    {
        const uint64_t *was = evtq_before +
            q_idx(&smmu_evtq, smmu_evtq.cons) * 4;
        uint64_t w0[4];

        memcpy(w0, was, sizeof(w0));
        if ( !smmu_evtq_pop(evt) )
        {
            xtf_failure("Fail: pending record %u is gone\n", i);
            break;
        }
        printk("record %u: %s vSID %#x InputAddr %#lx\n", i,
               smmu_event_name(MASK_EXTR(evt[0], SMMU_EVT0_ID)),
               (unsigned int)MASK_EXTR(evt[0], SMMU_EVT0_SID),
               (unsigned long)evt[2]);
        if ( memcmp(evt, w0, sizeof(w0)) )
            xtf_failure("Fail: pending record %u changed\n", i);
        if ( MASK_EXTR(evt[0], SMMU_EVT0_ID) != SMMU_EVT_F_TRANSLATION ||
             MASK_EXTR(evt[0], SMMU_EVT0_SID) != e->sid ||
             evt[2] != IOVA_HOLE + i * 0x40 )
            xtf_failure("Fail: pending record %u is not the fault at %#lx of "
                        "vSID %#x\n", i, (unsigned long)(IOVA_HOLE + i * 0x40),
                        e->sid);
    }
    if ( smmu_evtq_wait(evt, 200000) )
        xtf_failure("Fail: an extra event %s (InputAddr %#lx)\n",
                    smmu_event_name(MASK_EXTR(evt[0], SMMU_EVT0_ID)),
                    (unsigned long)evt[2]);
    if ( smmu_gerror_active() )
        xtf_failure("Fail: global errors %#x still active\n",
                    smmu_gerror_active());

    xtf_success(NULL);
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
