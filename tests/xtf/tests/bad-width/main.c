/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/bad-width/main.c
 * @ref test-bad-width
 *
 * @page test-bad-width Bad access widths abort, Xen keeps running
 *
 * S1.3: a 32-bit register accepts only 32-bit accesses; a 64-bit register a
 * 64-bit access or a 32-bit access to either half.  Byte and halfword
 * accesses anywhere in the frame, and a 64-bit access to a 32-bit register,
 * give the guest a data abort at the accessed address and change nothing.
 * Many of them in a row (the model logs them rate-limited, S8.6) leave the
 * hypervisor and the vSMMU working.
 */
#include <xtf.h>
#include <xtf/smmu.h>

const char test_title[] = "vSMMUv3 access widths";

static unsigned int aborts_seen;

static void expect_abort(unsigned int off, unsigned int bits, bool write)
{
    struct xtf_fault f;
    bool ok = write ? smmu_try_write(off, bits, ~0ULL, &f)
                    : smmu_try_read(off, bits, NULL, &f);

    if ( ok )
        xtf_failure("Fail: %u-bit %s of %#x did not abort (S1.3)\n", bits,
                    write ? "write" : "read", off);
    else if ( !xtf_fault_is_dabt(&f) || f.far != smmu_reg(off) )
        xtf_failure("Fail: %u-bit %s of %#x: ESR %#lx FAR %#lx\n", bits,
                    write ? "write" : "read", off, (unsigned long)f.esr,
                    (unsigned long)f.far);
    else
        aborts_seen++;
}

void test_main(void)
{
    static const unsigned int regs32[] = {
        SMMU_IDR0, SMMU_CR0, SMMU_CR1, SMMU_GBPA, SMMU_IRQ_CTRL,
        SMMU_GERRORN, SMMU_STRTAB_BASE_CFG, SMMU_CMDQ_PROD, SMMU_CMDQ_CONS,
        SMMU_EVENTQ_PROD, SMMU_EVENTQ_CONS,
    };
    static const unsigned int regs64[] = {
        SMMU_STRTAB_BASE, SMMU_CMDQ_BASE, SMMU_EVENTQ_BASE,
    };
    unsigned int i, n;
    uint64_t v;

    for ( i = 0; i < ARRAY_SIZE(regs32); i++ )
    {
        unsigned int off = regs32[i];

        expect_abort(off, 8, false);
        expect_abort(off, 8, true);
        expect_abort(off + 1, 8, false);
        expect_abort(off, 16, false);
        expect_abort(off + 2, 16, true);
        /* A 64-bit access covering a 32-bit register. */
        if ( !(off & 7) )
        {
            expect_abort(off, 64, false);
            expect_abort(off, 64, true);
        }
    }

    /* Byte and halfword accesses to unused offsets abort too. */
    expect_abort(0x30, 8, false);
    expect_abort(SMMU_PAGE1 + 0x20, 16, true);

    /* Nothing changed: the aborted writes were all-ones. */
    smmu_expect32(SMMU_CR0, 0, "CR0 after aborted writes");
    smmu_expect32(SMMU_CR1, 0, "CR1 after aborted writes");
    smmu_expect32(SMMU_IRQ_CTRL, 0, "IRQ_CTRL after aborted writes");

    /* 64-bit registers: 64-bit, and 32-bit halves, both work. */
    for ( i = 0; i < ARRAY_SIZE(regs64); i++ )
    {
        unsigned int off = regs64[i];
        uint64_t lo = 0x40001000 & ~0x3fULL, hi = 0;

        expect_abort(off, 8, false);
        expect_abort(off + 4, 16, true);

        if ( !smmu_try_write(off, 32, lo, NULL) ||
             !smmu_try_write(off + 4, 32, hi, NULL) )
        {
            xtf_failure("Fail: 32-bit halves of %#x aborted (S1.3)\n", off);
            continue;
        }
        if ( !smmu_try_read(off, 64, &v, NULL) )
            xtf_failure("Fail: 64-bit read of %#x aborted\n", off);
        else if ( (v & 0xffffffc0ULL) != lo )
            xtf_failure("Fail: %#x = %#lx after 32-bit writes of %#lx\n", off,
                        (unsigned long)v, (unsigned long)lo);
        if ( !smmu_try_read(off + 4, 32, &v, NULL) || (uint32_t)v != hi )
            xtf_failure("Fail: upper half of %#x\n", off);
        if ( !smmu_try_write(off, 64, 0, NULL) )
            xtf_failure("Fail: 64-bit write of %#x aborted\n", off);
    }

    /* A burst of bad accesses: the hypervisor must shrug them off. */
    for ( n = 0; n < 500; n++ )
        expect_abort(SMMU_CR0, n & 1 ? 8 : 16, n & 2);

    /* Still alive and still decoding. */
    if ( !smmu_cr0(0) || !smmu_expect32(SMMU_IIDR, SMMU_IIDR_IMPLEMENTER_ARM,
                                        "IIDR after aborts") )
        return xtf_failure("Fail: vSMMU not answering after aborts\n");

    printk("%u aborts taken as expected\n", aborts_seen);
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
