/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/cmdq-full-msi/main.c
 * @ref test-cmdq-full-msi
 *
 * @page test-cmdq-full-msi A full queue completes with no trap after the doorbell
 *
 * S4.1, S8.7: the doorbell's trap does one step of the work; the vCPU that
 * rang does the rest, step by step, before it returns to the guest, without
 * the guest doing anything more.  The guest here fills the largest command queue,
 * ends it with a CMD_SYNC that writes an MSI to a word of its memory
 * (S4.5), rings the doorbell once and then only reads that word, as Linux
 * does with MSI polling: the word must change within Linux's 1 s CMD_SYNC
 * timeout (S7.5), for several full queues in a row.
 */
#include <xtf.h>
#include <xtf/smmu.h>

const char test_title[] = "vSMMUv3 full command queue, no trap after the doorbell";

#define ROUNDS          4
#define SYNC_TIMEOUT_US 1000000ULL      /* Linux's ARM_SMMU_POLL_TIMEOUT_US */

void test_main(void)
{
    unsigned int log2 = smmu_max_cmdq_log2(), entries = 1U << log2, i, round;
    struct smmu_cmd c[2] = { cmd_tlbi_nh_all(), cmd_cfgi_all() };
    volatile uint32_t *word;
    uint64_t worst = 0;
    enum smmu_wait w;

    if ( !(smmu_read32(SMMU_IDR0) & SMMU_IDR0_MSI) )
        return xtf_failure("Fail: IDR0.MSI not advertised (docs/registers.md)\n");
    if ( !smmu_reset(4, log2, 4) )
        return;

    word = xtf_alloc(64, 64);
    for ( round = 0; round < ROUNDS; round++ )
    {
        uint32_t data = 0xd0d00000U + round;
        struct smmu_cmd s = cmd_sync_msi((uintptr_t)word, data);
        uint64_t t0, us;

        for ( i = 0; i < entries - 1; i++ )
            if ( !smmu_cmdq_put(&c[i & 1], 1) )
                return xtf_error("Error: queue full after %u\n", i);
        if ( !smmu_cmdq_put(&s, 1) || !q_full(&smmu_cmdq) )
            return xtf_error("Error: queue not full\n");
        *word = 0;
        dsb(sy);

        t0 = counter_now();
        smmu_cmdq_doorbell();
        /* From here on, guest memory only: no access to the vSMMU. */
        while ( *word != data )
            if ( counter_us_since(t0) > SYNC_TIMEOUT_US )
                return xtf_failure("Fail: round %u: %u commands not consumed "
                                   "within %llu us without a trap\n", round,
                                   entries,
                                   (unsigned long long)SYNC_TIMEOUT_US);
        us = counter_us_since(t0);
        worst = MAX(worst, us);

        /* The CMD_SYNC was the last command: CONS is at PROD. */
        w = smmu_cmdq_wait(0);
        if ( w != SMMU_WAIT_DONE )
            return xtf_failure("Fail: round %u: queue %s after the MSI\n",
                               round, smmu_wait_name(w));
    }

    printk("%u full queues of %u commands, slowest completed in %lu us\n",
           ROUNDS, entries, (unsigned long)worst);
    if ( smmu_gerror_active() )
        return xtf_failure("Fail: global errors %#x\n", smmu_gerror_active());
    xtf_success(NULL);
}
