/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/cmdq-flood/main.c
 * @ref test-cmdq-flood
 *
 * @page test-cmdq-flood A full maximum-size command queue
 *
 * S8.2: every loop over guest sizes is bounded; a queue full of commands
 * does not stall the physical CPU.  Two guests share one physical CPU.
 * Guest 1 asks for a 2^19-entry queue (clamped to IDR1.CMDQS, the largest
 * the vSMMU serves), fills every slot and rings the doorbell, again and
 * again for a few seconds; each flood must drain well within Linux's
 * timeout budget for the test.  Meanwhile guest 2 keeps doing small
 * CMD_SYNC round trips on its own vSMMU: it must keep making progress, each
 * round trip within Linux's 1 s CMD_SYNC timeout (S7.5).
 */
#include <xtf.h>
#include <xtf/smmu.h>

const char test_title[] = "vSMMUv3 full command queue vs. a second guest";

#define RUN_US          4000000ULL      /* how long each guest keeps going */
#define FLOOD_US        10000000ULL     /* one full queue must drain in this */

static void flooder(void)
{
    unsigned int log2 = smmu_max_cmdq_log2(), entries, i, floods = 0;
    uint64_t start = counter_now(), worst = 0;
    struct smmu_cmd c[3] = { cmd_cfgi_all(), cmd_tlbi_nsnh_all(),
                             cmd_tlbi_nh_all() };

    if ( !smmu_reset(4, log2, 4) )
        return;

    /* Ask for the architectural maximum: the vSMMU clamps (S2). */
    smmu_cr0(SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN);
    smmu_write64(SMMU_CMDQ_BASE, SMMU_Q_BASE_RWA |
                 ((uintptr_t)smmu_cmdq.base & SMMU_Q_BASE_ADDR) |
                 MASK_INSR(19ULL, SMMU_Q_BASE_LOG2SIZE));
    if ( MASK_EXTR(smmu_read64(SMMU_CMDQ_BASE), SMMU_Q_BASE_LOG2SIZE) != log2 )
        return xtf_failure("Fail: CMDQ LOG2SIZE 19 not clamped to %u\n", log2);
    smmu_write32(SMMU_CMDQ_PROD, 0);
    smmu_write32(SMMU_CMDQ_CONS, 0);
    smmu_cmdq.prod = smmu_cmdq.cons = 0;
    smmu_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN);
    entries = 1U << log2;

    do {
        uint64_t t0, us;
        enum smmu_wait w;

        /* Every slot: the queue is full (same index, other wrap). */
        for ( i = 0; i < entries - 1; i++ )
            if ( !smmu_cmdq_put(&c[i % 3], 1) )
                return xtf_error("Error: queue full after %u\n", i);
        {
            struct smmu_cmd s = cmd_sync();

            if ( !smmu_cmdq_put(&s, 1) || !q_full(&smmu_cmdq) )
                return xtf_error("Error: queue not full\n");
        }

        t0 = counter_now();
        smmu_cmdq_doorbell();
        w = smmu_cmdq_wait(FLOOD_US);
        us = counter_us_since(t0);
        if ( w != SMMU_WAIT_DONE )
            return xtf_failure("Fail: flood %u of %u commands %s after %lu us (CONS %#x)\n",
                               floods, entries, smmu_wait_name(w),
                               (unsigned long)us, smmu_read32(SMMU_CMDQ_CONS));
        worst = MAX(worst, us);
        floods++;
    } while ( counter_us_since(start) < RUN_US );

    printk("%u floods of %u commands, slowest drained in %lu us\n", floods,
           entries, (unsigned long)worst);
    if ( smmu_gerror_active() )
        return xtf_failure("Fail: global errors %#x\n", smmu_gerror_active());
    xtf_success(NULL);
}

static void observer(void)
{
    uint64_t start, worst = 0;
    unsigned int rounds = 0;

    if ( !smmu_reset(4, 6, 4) )
        return;

    start = counter_now();
    do {
        struct smmu_cmd c[] = { cmd_tlbi_nh_all(), cmd_sync() };
        uint64_t t0 = counter_now(), us;
        enum smmu_wait w;

        if ( !smmu_cmdq_submit(c, 2) )
            return xtf_error("Error: queue full\n");
        w = smmu_cmdq_wait(SMMU_POLL_US);
        us = counter_us_since(t0);
        if ( w != SMMU_WAIT_DONE )
            return xtf_failure("Fail: round trip %u %s after %lu us (S7.5)\n",
                               rounds, smmu_wait_name(w), (unsigned long)us);
        worst = MAX(worst, us);
        rounds++;
    } while ( counter_us_since(start) < RUN_US );

    printk("%u CMD_SYNC round trips, slowest %lu us\n", rounds,
           (unsigned long)worst);
    /* Progress: at least one round trip per 100 ms on average. */
    if ( rounds < RUN_US / 100000 )
        return xtf_failure("Fail: only %u round trips in %lu us\n", rounds,
                           (unsigned long)RUN_US);
    xtf_success(NULL);
}

void test_main(void)
{
    if ( xtf_guests != 2 )
        return xtf_error("Error: needs 2 guests, got %u\n", xtf_guests);

    if ( xtf_instance == 1 )
        flooder();
    else
        observer();
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
