/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/ro-regs/main.c
 * @ref test-ro-regs
 *
 * @page test-ro-regs Read-only vSMMUv3 registers ignore writes
 *
 * S2: IDR0-5, IIDR, AIDR, CR0ACK, STATUSR, IRQ_CTRLACK and GERROR are read
 * only.  Writing them (all ones, then all zeros) neither aborts nor changes
 * what they read, nor the registers they acknowledge.
 */
#include <xtf.h>
#include <xtf/smmu.h>

const char test_title[] = "vSMMUv3 read-only registers";

static const struct {
    unsigned int off;
    const char *name;
} ro[] = {
    { SMMU_IDR0, "IDR0" }, { SMMU_IDR1, "IDR1" }, { SMMU_IDR2, "IDR2" },
    { SMMU_IDR3, "IDR3" }, { SMMU_IDR4, "IDR4" }, { SMMU_IDR5, "IDR5" },
    { SMMU_IIDR, "IIDR" }, { SMMU_AIDR, "AIDR" },
    { SMMU_CR0ACK, "CR0ACK" }, { SMMU_STATUSR, "STATUSR" },
    { SMMU_IRQ_CTRLACK, "IRQ_CTRLACK" }, { SMMU_GERROR, "GERROR" },
};

void test_main(void)
{
    uint32_t before[ARRAY_SIZE(ro)];
    unsigned int i, pass;

    /* Something non-zero to acknowledge. */
    if ( !smmu_irq_ctrl(SMMU_IRQ_CTRL_GERROR_IRQEN) )
        return xtf_failure("Fail: IRQ_CTRLACK did not follow IRQ_CTRL\n");

    for ( i = 0; i < ARRAY_SIZE(ro); i++ )
        before[i] = smmu_read32(ro[i].off);

    for ( pass = 0; pass < 2; pass++ )
    {
        uint32_t val = pass ? 0 : ~0U;

        for ( i = 0; i < ARRAY_SIZE(ro); i++ )
            if ( !smmu_try_write(ro[i].off, 32, val, NULL) )
                xtf_failure("Fail: writing %s aborted\n", ro[i].name);

        for ( i = 0; i < ARRAY_SIZE(ro); i++ )
        {
            uint32_t now = smmu_read32(ro[i].off);

            if ( now != before[i] )
                xtf_failure("Fail: %s changed from %#x to %#x after writing %#x\n",
                            ro[i].name, before[i], now, val);
        }
    }

    /* Writing the ACKs did not change what they acknowledge. */
    smmu_expect32(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_GERROR_IRQEN, "IRQ_CTRL");
    smmu_expect32(SMMU_CR0, 0, "CR0");
    /* No error became active by writing GERROR. */
    if ( smmu_gerror_active() )
        xtf_failure("Fail: GERROR ^ GERRORN = %#x\n", smmu_gerror_active());

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
