/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/raz-wi/main.c
 * @ref test-raz-wi
 *
 * @page test-raz-wi Unused and reserved vSMMUv3 offsets are RAZ/WI
 *
 * S1.2: undefined page-0 offsets are RES0 (read as zero, writes ignored),
 * never an abort; the model chose the same for page 1's reserved offsets.
 * S1.1: page 1 is decoded on its own: page-0 offsets 0xA8/0xAC are not the
 * event queue pointers, and page 1 does not alias page 0.  AGBPA is RAZ/WI,
 * STATUSR reads 0, and the PRI queue registers (no PRI) are RAZ/WI.
 */
#include <xtf.h>
#include <xtf/smmu.h>

const char test_title[] = "vSMMUv3 RAZ/WI offsets";

/* Page-0 offsets with no register, and registers of absent features. */
static const unsigned int razwi32[] = {
    0x30, 0x34, 0x38, 0x3C,             /* reserved after CR2 */
    SMMU_AGBPA, 0x4C,                   /* AGBPA: RAZ/WI */
    0x58, 0x5C, 0x78, 0x7C, 0x8C,
    0xA8, 0xAC,                         /* not EVENTQ_PROD/CONS (S1.1) */
    0xC8, 0xCC, 0xD0, 0xDC, 0xE0,       /* PRIQ_* (IDR0.PRI = 0) */
    0x100, 0xE00, 0xFFC, 0x4000, 0x8000, 0xFFFC,
    /* Page 1: all but EVENTQ_PROD/CONS (S1.2 choice: RAZ/WI). */
    SMMU_PAGE1 + 0x00, SMMU_PAGE1 + 0x20, SMMU_PAGE1 + 0x98,
    SMMU_PAGE1 + 0x9C, SMMU_PAGE1 + 0xA0, SMMU_PAGE1 + 0xB0,
    SMMU_PAGE1 + 0xC8, SMMU_PAGE1 + 0xCC, SMMU_PAGE1 + 0xFFFC,
};

static const unsigned int razwi64[] = {
    SMMU_PRIQ_BASE, 0xD8 & ~7U, 0x30, 0x8000, SMMU_PAGE1 + 0x80,
    SMMU_PAGE1 + 0xFFF8,
};

void test_main(void)
{
    unsigned int i;
    uint64_t v;

    if ( !smmu_expect32(SMMU_STATUSR, 0, "STATUSR") )
        return;

    for ( i = 0; i < ARRAY_SIZE(razwi32); i++ )
    {
        unsigned int off = razwi32[i];

        if ( !smmu_try_read(off, 32, &v, NULL) )
        {
            xtf_failure("Fail: 32-bit read of %#x aborted (S1.2)\n", off);
            continue;
        }
        if ( v )
            xtf_failure("Fail: %#x reads %#x before any write\n", off,
                        (uint32_t)v);
        if ( !smmu_try_write(off, 32, 0xffffffff, NULL) )
        {
            xtf_failure("Fail: 32-bit write of %#x aborted (S1.2)\n", off);
            continue;
        }
        if ( smmu_read32(off) )
            xtf_failure("Fail: %#x reads %#x after a write (S1.2 WI)\n", off,
                        smmu_read32(off));
    }

    for ( i = 0; i < ARRAY_SIZE(razwi64); i++ )
    {
        unsigned int off = razwi64[i];

        if ( !smmu_try_write(off, 64, ~0ULL, NULL) ||
             !smmu_try_read(off, 64, &v, NULL) )
            xtf_failure("Fail: 64-bit access to %#x aborted (S1.2)\n", off);
        else if ( v )
            xtf_failure("Fail: %#x reads %#lx after a write\n", off,
                        (unsigned long)v);
    }

    /*
     * S1.1: page-0 0xA8/0xAC are not the event queue pointers.  Program
     * the event queue (disabled) and move PROD through page 1: page 0
     * must not show it, and page 1 must (no aliasing either way).
     */
    smmu_write64(SMMU_EVENTQ_BASE,
                 (xtf_ram_base() & SMMU_Q_BASE_ADDR) |
                 MASK_INSR(3, SMMU_Q_BASE_LOG2SIZE));
    smmu_write32(SMMU_EVENTQ_PROD, 5);
    smmu_write32(SMMU_EVENTQ_CONS, 3);
    if ( smmu_read32(0xA8) || smmu_read32(0xAC) )
        xtf_failure("Fail: page-0 0xA8/0xAC show the event queue\n");
    smmu_expect32(SMMU_EVENTQ_PROD, 5, "EVENTQ_PROD (page 1)");
    smmu_expect32(SMMU_EVENTQ_CONS, 3, "EVENTQ_CONS (page 1)");
    /* Page 1 does not alias page-0 registers. */
    smmu_write32(SMMU_CR1, 0x5);
    if ( smmu_read32(SMMU_PAGE1 + SMMU_CR1) )
        xtf_failure("Fail: page 1 + CR1 aliases CR1\n");
    smmu_write32(SMMU_EVENTQ_PROD, 0);
    smmu_write32(SMMU_EVENTQ_CONS, 0);

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
