/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/queue-regs/main.c
 * @ref test-queue-regs
 *
 * @page test-queue-regs Base and pointer registers: locks and clamps
 *
 * S2: STRTAB_BASE and STRTAB_BASE_CFG are ignored while SMMUEN=1, CMDQ_BASE
 * while CMDQEN=1, EVENTQ_BASE while EVENTQEN=1; CMDQ_CONS is writable only
 * while CMDQEN=0 (and its ERR field never); EVENTQ_PROD only while
 * EVENTQEN=0.  LOG2SIZE fields are clamped to IDR1.CMDQS, IDR1.EVENTQS and
 * IDR1.SIDSIZE.  S4.2: a PROD value outside the queue keeps only the index
 * and wrap bits.
 */
#include <xtf.h>
#include <xtf/smmu.h>

const char test_title[] = "vSMMUv3 base registers, locks and clamps";

#define Q_BASE(addr, log2) \
    (((addr) & SMMU_Q_BASE_ADDR) | MASK_INSR((uint64_t)(log2), \
                                             SMMU_Q_BASE_LOG2SIZE))

static void expect64(unsigned int off, uint64_t want, const char *what)
{
    uint64_t v = smmu_read64(off);

    if ( v != want )
        xtf_failure("Fail: %s: %#x = %#lx, expected %#lx\n", what, off,
                    (unsigned long)v, (unsigned long)want);
}

void test_main(void)
{
    unsigned int cmdqs = smmu_max_cmdq_log2(), evtqs = smmu_max_evtq_log2();
    uint64_t a = xtf_ram_base() + 0x100000, b = xtf_ram_base() + 0x200000;
    uint32_t cfg;

    /* Clamps (everything disabled, so everything is writable). */
    smmu_write64(SMMU_CMDQ_BASE, Q_BASE(a, 31));
    expect64(SMMU_CMDQ_BASE, Q_BASE(a, cmdqs), "CMDQ LOG2SIZE clamp");
    smmu_write64(SMMU_EVENTQ_BASE, Q_BASE(a, 31));
    expect64(SMMU_EVENTQ_BASE, Q_BASE(a, evtqs), "EVENTQ LOG2SIZE clamp");
    smmu_write32(SMMU_STRTAB_BASE_CFG,
                 MASK_INSR(63ULL, SMMU_STRTAB_BASE_CFG_LOG2SIZE));
    cfg = smmu_read32(SMMU_STRTAB_BASE_CFG);
    if ( MASK_EXTR(cfg, SMMU_STRTAB_BASE_CFG_LOG2SIZE) != 16 )
        xtf_failure("Fail: STRTAB LOG2SIZE 63 reads %u, expected 16 (SIDSIZE)\n",
                    (unsigned int)MASK_EXTR(cfg,
                                            SMMU_STRTAB_BASE_CFG_LOG2SIZE));

    /* S4.2: PROD keeps index + wrap within LOG2SIZE (here 4). */
    smmu_write64(SMMU_CMDQ_BASE, Q_BASE(a, 4));
    smmu_write32(SMMU_CMDQ_PROD, 0xfffff);
    smmu_expect32(SMMU_CMDQ_PROD, 0x1f, "CMDQ_PROD masked to index + wrap");
    smmu_write32(SMMU_CMDQ_PROD, 0);
    smmu_write32(SMMU_CMDQ_CONS, 0x13);
    smmu_expect32(SMMU_CMDQ_CONS, 0x13, "CMDQ_CONS while CMDQEN=0");
    smmu_write32(SMMU_CMDQ_CONS, 0);
    if ( xtf_status_reported() )
        return;

    /* Locks. */
    if ( !smmu_reset(4, 4, 4) )
        return;

    {
        uint64_t st = smmu_read64(SMMU_STRTAB_BASE);
        uint32_t stc = smmu_read32(SMMU_STRTAB_BASE_CFG);
        uint64_t cq = smmu_read64(SMMU_CMDQ_BASE);
        uint64_t eq = smmu_read64(SMMU_EVENTQ_BASE);
        uint32_t cons = smmu_read32(SMMU_CMDQ_CONS);
        uint32_t eprod = smmu_read32(SMMU_EVENTQ_PROD);

        smmu_write64(SMMU_STRTAB_BASE, b);
        smmu_write32(SMMU_STRTAB_BASE_CFG, 3);
        smmu_write64(SMMU_CMDQ_BASE, Q_BASE(b, 2));
        smmu_write64(SMMU_EVENTQ_BASE, Q_BASE(b, 2));
        smmu_write32(SMMU_CMDQ_CONS, cons ^ 5);
        smmu_write32(SMMU_EVENTQ_PROD, eprod ^ 3);

        expect64(SMMU_STRTAB_BASE, st, "STRTAB_BASE while SMMUEN=1");
        smmu_expect32(SMMU_STRTAB_BASE_CFG, stc,
                      "STRTAB_BASE_CFG while SMMUEN=1");
        expect64(SMMU_CMDQ_BASE, cq, "CMDQ_BASE while CMDQEN=1");
        expect64(SMMU_EVENTQ_BASE, eq, "EVENTQ_BASE while EVENTQEN=1");
        smmu_expect32(SMMU_CMDQ_CONS, cons, "CMDQ_CONS while CMDQEN=1");
        smmu_expect32(SMMU_EVENTQ_PROD, eprod, "EVENTQ_PROD while EVENTQEN=1");

        /* Unlocked one by one as each enable goes. */
        if ( !smmu_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN) )
            return xtf_failure("Fail: CR0ACK\n");
        smmu_write64(SMMU_STRTAB_BASE, b);
        expect64(SMMU_STRTAB_BASE, b, "STRTAB_BASE with SMMUEN=0");
        expect64(SMMU_CMDQ_BASE, cq, "CMDQ_BASE still with CMDQEN=1");
        if ( !smmu_cr0(SMMU_CR0_EVENTQEN) )
            return xtf_failure("Fail: CR0ACK\n");
        smmu_write64(SMMU_CMDQ_BASE, Q_BASE(b, 2));
        expect64(SMMU_CMDQ_BASE, Q_BASE(b, 2), "CMDQ_BASE with CMDQEN=0");
        expect64(SMMU_EVENTQ_BASE, eq, "EVENTQ_BASE still with EVENTQEN=1");
        if ( !smmu_cr0(0) )
            return xtf_failure("Fail: CR0ACK\n");
        smmu_write64(SMMU_EVENTQ_BASE, Q_BASE(b, 2));
        expect64(SMMU_EVENTQ_BASE, Q_BASE(b, 2), "EVENTQ_BASE with EVENTQEN=0");
    }

    /* CONS.ERR is not writable. */
    smmu_write32(SMMU_CMDQ_CONS, SMMU_CMDQ_CONS_ERR | 1);
    smmu_expect32(SMMU_CMDQ_CONS, 1, "CMDQ_CONS.ERR written");

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
