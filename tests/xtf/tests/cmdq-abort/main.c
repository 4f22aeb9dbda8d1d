/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/cmdq-abort/main.c
 * @ref test-cmdq-abort
 *
 * @page test-cmdq-abort Command queue outside guest RAM: CERROR_ABT
 *
 * S8.3: the vSMMU reaches guest memory only through the domain's P2M, and a
 * failure becomes a guest-visible error, never a hypervisor fault.  A
 * command queue based outside the guest's RAM stops with CONS.ERR =
 * CERROR_ABT and GERROR.CMDQ_ERR (S4.4).  Rebased into RAM (CMDQEN off, as
 * the base is ignored while enabled), the queue works again.
 */
#include <xtf.h>
#include <xtf/smmu.h>

const char test_title[] = "vSMMUv3 command fetch abort: CERROR_ABT";

void test_main(void)
{
    uint64_t hole = xtf_ram_end() + (16ULL << 20);
    struct smmu_cmd c[] = { cmd_tlbi_nsnh_all(), cmd_sync() };
    enum smmu_wait w;
    uint32_t cons;

    gic_init();
    gic_enable_spi(GUEST_VSMMUV3_GERROR_SPI);

    if ( !smmu_reset(4, 5, 4) )
        return;

    /* Disable the command queue, point it at unmapped guest space. */
    if ( !smmu_cr0(SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN) )
        return xtf_failure("Fail: CR0ACK did not follow CMDQEN = 0\n");
    smmu_write64(SMMU_CMDQ_BASE, SMMU_Q_BASE_RWA | (hole & SMMU_Q_BASE_ADDR) |
                 MASK_INSR(5, SMMU_Q_BASE_LOG2SIZE));
    smmu_write32(SMMU_CMDQ_PROD, 0);
    smmu_write32(SMMU_CMDQ_CONS, 0);
    if ( !smmu_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN) )
        return xtf_failure("Fail: CR0ACK did not follow CMDQEN = 1\n");

    /* Two commands "in" the hole: PROD = 2. */
    smmu_cmdq.prod = 2;
    smmu_cmdq.cons = 0;
    smmu_cmdq_doorbell();
    w = smmu_cmdq_wait(SMMU_POLL_US);
    cons = smmu_read32(SMMU_CMDQ_CONS);
    if ( w != SMMU_WAIT_ERROR )
        return xtf_failure("Fail: queue outside RAM %s (CONS %#x)\n",
                           smmu_wait_name(w), cons);
    if ( MASK_EXTR(cons, SMMU_CMDQ_CONS_ERR) != SMMU_CERROR_ABT )
        xtf_failure("Fail: CONS.ERR = %u, expected CERROR_ABT (S4.4)\n",
                    (unsigned int)MASK_EXTR(cons, SMMU_CMDQ_CONS_ERR));
    if ( (cons & 0x3f) != 0 )
        xtf_failure("Fail: CONS %#x moved past the failed fetch\n", cons);
    if ( !gic_wait_irq(GUEST_VSMMUV3_GERROR_SPI, 100000) )
        xtf_failure("Fail: GERROR SPI not signalled\n");

    /* Recover: disable, rebase into RAM, acknowledge, enable. */
    if ( !smmu_cr0(SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN) )
        return xtf_failure("Fail: CR0ACK did not follow CMDQEN = 0\n");
    smmu_write64(SMMU_CMDQ_BASE, SMMU_Q_BASE_RWA |
                 ((uintptr_t)smmu_cmdq.base & SMMU_Q_BASE_ADDR) |
                 MASK_INSR(smmu_cmdq.log2, SMMU_Q_BASE_LOG2SIZE));
    smmu_write32(SMMU_CMDQ_PROD, 0);
    smmu_write32(SMMU_CMDQ_CONS, 0);
    smmu_write32(SMMU_GERRORN, smmu_read32(SMMU_GERROR));
    if ( !smmu_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN) )
        return xtf_failure("Fail: CR0ACK did not follow CMDQEN = 1\n");
    smmu_cmdq.prod = smmu_cmdq.cons = 0;

    if ( !smmu_cmdq_submit(c, ARRAY_SIZE(c)) ||
         (w = smmu_cmdq_wait(SMMU_POLL_US)) != SMMU_WAIT_DONE )
        return xtf_failure("Fail: rebased queue %s\n", smmu_wait_name(w));
    if ( smmu_gerror_active() )
        return xtf_failure("Fail: errors %#x still active\n",
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
