/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/s1-fault/main.c
 * @ref test-s1-fault
 *
 * @page test-s1-fault A stage-1 fault is the guest's, in its own terms
 *
 * The physical SMMU walks the guest's stage 1; a fault there is the
 * guest's (S6.1): Xen forwards the physical event with the physical
 * StreamID rewritten to the vSID and nothing of stage 2 left in it (no
 * IPA, S2 and NSIPA clear, no stall tag), and the guest's EVTQ line rises
 * (S6.4).  The streams are renumbered (the Makefile's PCI_VSID_BASE:
 * vSID = requester ID + 0x100, through xen,viommu-stream-ids), so a record
 * that kept the physical StreamID shows.  The test's CD asks for fault
 * records (CD.R).  Cases, one DMA each:
 *
 *  - a DMA write to an IOVA its tables do not map: F_TRANSLATION, RnW 0;
 *  - a DMA read from one: F_TRANSLATION, RnW 1;
 *  - a write to a read-only page: F_PERMISSION, the page unchanged;
 *  - a write above the input size (T0SZ): F_TRANSLATION.
 *
 * Each event: exactly one record, its vSID, its IOVA (InputAddr), its
 * direction, word 3 zero.  Nothing lands anywhere.  Then the device's next
 * DMA through a mapped IOVA works: a fault does not leave the stream
 * broken.
 *
 * The faulting DMAs are 4 bytes long: QEMU retries a refused access in
 * 4-byte pieces, each translated (and faulting, and recorded) on its own,
 * so a DMA of n bytes makes n / 4 records.
 */
#include <xtf.h>
#include <xtf/dmaenv.h>
#include <xtf/s1pt.h>
#include <xtf/smmu.h>

const char test_title[] = "vSMMUv3 nested: stage-1 faults reach the guest "
                          "with its vSID and IOVA";

#define PAGE            4096U
#define EVENT_WAIT_US   1000000U
#define FAULT_LEN       4U
/* Where a faulting read puts what it got: not what the last DMA sends. */
#define READ_OFF        0xff0U
#define GOOD_LEN        0xf00U

static struct dma_env env;

/*
 * A DMA that must fault: @write (buffer -> memory) or a read, at @iova;
 * expect one event @id.
 */
static void fault(const char *what, bool write, uint64_t iova, unsigned int id)
{
    const struct edu *e = &env.edu[0];
    uint64_t evt[4];
    unsigned int got;
    bool rnw, spi;

    gic_clear_counts();
    if ( write )
        edu_dma_to_mem_start(e, 0, iova, FAULT_LEN, 0);
    else
        edu_dma_from_mem_start(e, iova, READ_OFF, FAULT_LEN, 0);
    if ( !edu_dma_wait(e, EDU_DMA_TIMEOUT_US) )
        return xtf_failure("Fail: %s: the DMA did not end\n", what);

    /*
     * S6.4: the EVTQ line is high while the record is unread: take the
     * interrupt before reading the queue, complete it after.
     */
    spi = gic_wait_iar(GUEST_VSMMUV3_EVTQ_SPI, EVENT_WAIT_US);
    if ( !spi )
        xtf_failure("Fail: %s: EVTQ SPI not signalled within %u us\n", what,
                    EVENT_WAIT_US);

    if ( !smmu_evtq_wait(evt, EVENT_WAIT_US) )
    {
        if ( spi )
            gic_eoi(GUEST_VSMMUV3_EVTQ_SPI);
        return xtf_failure("Fail: %s: no event within %u us (EVENTQ_PROD "
                           "%#x)\n", what, EVENT_WAIT_US,
                           smmu_read32(SMMU_EVENTQ_PROD));
    }
    got = MASK_EXTR(evt[0], SMMU_EVT0_ID);
    rnw = evt[1] & SMMU_EVT1_RNW;
    printk("%s: %s vSID %#x InputAddr %#lx RnW %u (%#lx %#lx %#lx %#lx)\n",
           what, smmu_event_name(got),
           (unsigned int)MASK_EXTR(evt[0], SMMU_EVT0_SID),
           (unsigned long)evt[2], rnw, (unsigned long)evt[0],
           (unsigned long)evt[1], (unsigned long)evt[2],
           (unsigned long)evt[3]);

    if ( got != id )
        xtf_failure("Fail: %s: event %s, expected %s\n", what,
                    smmu_event_name(got), smmu_event_name(id));
    if ( MASK_EXTR(evt[0], SMMU_EVT0_SID) != e->sid )
        xtf_failure("Fail: %s: the event names StreamID %#x, not the "
                    "device's vSID %#x\n", what,
                    (unsigned int)MASK_EXTR(evt[0], SMMU_EVT0_SID),
                    e->sid);
    if ( evt[0] & SMMU_EVT0_SSV )
        xtf_failure("Fail: %s: SSV set (no substreams)\n", what);
    if ( evt[2] != iova )
        xtf_failure("Fail: %s: InputAddr %#lx, not the IOVA %#lx\n", what,
                    (unsigned long)evt[2], (unsigned long)iova);
    if ( rnw == write )
        xtf_failure("Fail: %s: RnW %u for a DMA %s\n", what, rnw,
                    write ? "write" : "read");
    if ( evt[1] & (SMMU_EVT1_S2 | SMMU_EVT1_NSIPA) )
        xtf_failure("Fail: %s: stage-2 flags in the record (%#lx)\n", what,
                    (unsigned long)evt[1]);
    if ( evt[1] & (SMMU_EVT1_STALL | SMMU_EVT1_STAG) )
        xtf_failure("Fail: %s: a stall in the record (%#lx): the vSMMU "
                    "offers none\n", what, (unsigned long)evt[1]);
    if ( evt[3] )
        xtf_failure("Fail: %s: word 3 (IPA) is %#lx: Xen's addresses reach "
                    "the guest\n", what, (unsigned long)evt[3]);
    if ( spi )
        gic_eoi(GUEST_VSMMUV3_EVTQ_SPI);

    if ( smmu_evtq_wait(evt, 200000) )
        xtf_failure("Fail: %s: a second event %s (InputAddr %#lx)\n", what,
                    smmu_event_name(MASK_EXTR(evt[0], SMMU_EVT0_ID)),
                    (unsigned long)evt[2]);
}

void test_main(void)
{
    const struct edu *e;
    struct s1_pt pt;
    uint64_t *cd, good_iova = 0x100000, ro_iova = 0x200000;
    uint8_t *good, *ro, *load;
    uint64_t evt[4];

    if ( !dma_env_setup(&env, 1) )
        return;
    e = &env.edu[0];

    good = xtf_alloc(PAGE, PAGE);
    ro = xtf_alloc(PAGE, PAGE);
    load = xtf_alloc(PAGE, PAGE);
    cd = xtf_alloc(SMMU_CD_SIZE, SMMU_CD_SIZE);
    if ( !s1_pt_init(&pt, 12, 3) ||
         !s1_map(&pt, 0x1000, (uintptr_t)load, 3, S1_READ) ||
         !s1_map(&pt, good_iova, (uintptr_t)good, 3, S1_RW) ||
         !s1_map(&pt, ro_iova, (uintptr_t)ro, 3, S1_READ) )
        return xtf_error("Error: tables\n");
    smmu_cd_write(cd, &pt, 1);
    smmu_ste_s1(e->sid, cd);
    if ( !smmu_cmd1(cmd_cfgi_ste(e->sid), "CFGI_STE") )
        return;

    /* The device buffer: a pattern, through stage 1. */
    pattern_fill(load, PAGE, 0x51f);
    if ( !edu_dma_from_mem(e, 0x1000, 0, PAGE) )
        return;
    memset(ro, 0x77, PAGE);

    fault("write to an unmapped IOVA", true, 0x300000 + 0x40,
          SMMU_EVT_F_TRANSLATION);
    fault("read from an unmapped IOVA", false, 0x7654000 + 0x80,
          SMMU_EVT_F_TRANSLATION);
    fault("write to a read-only page", true, ro_iova + 0x100,
          SMMU_EVT_F_PERMISSION);
    if ( bytes_check(ro, PAGE, 0x77) != PAGE )
        xtf_failure("Fail: the read-only page was written\n");
    fault("write above the input size", true, 1ULL << pt.ias,
          SMMU_EVT_F_TRANSLATION);

    /* Written where the tables say only: the mapped page stays empty. */
    if ( bytes_check(good, PAGE, 0) != PAGE )
        xtf_failure("Fail: a faulting DMA wrote to the mapped page\n");

    /* The stream still works. */
    if ( edu_dma_to_mem(e, 0, good_iova, GOOD_LEN) &&
         pattern_check(good, GOOD_LEN, 0x51f) != GOOD_LEN )
        xtf_failure("Fail: after the faults, a DMA to a mapped IOVA did not "
                    "land\n");
    if ( smmu_evtq_wait(evt, 200000) )
        xtf_failure("Fail: an event for a good DMA: %s\n",
                    smmu_event_name(MASK_EXTR(evt[0], SMMU_EVT0_ID)));
    if ( smmu_gerror_active() )
        xtf_failure("Fail: global errors %#x\n", smmu_gerror_active());

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
