/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/s2-fault/main.c
 * @ref test-s2-fault
 *
 * @page test-s2-fault A stage-2 fault is Xen's, and nothing escapes
 *
 * Two guests.  Instance 1 owns two edu devices behind its vSMMU; its stage
 * 1 maps IOVAs to guest-physical addresses outside its RAM: just past its
 * end (which are the RAM of instance 2, whose guest-physical map starts at
 * the same place and is larger), 8 TiB (no memory at all), and QEMU's
 * fw_cfg at 0x9020000 (machine MMIO, no guest memory).  Xen's stage 2
 * stops every such DMA:
 *
 *  - the writes land nowhere: instance 2, the canary, fills its RAM past
 *    instance 1's size with a pattern before the first fault and checks it
 *    until after the last (judge.py checks the order on the physical
 *    counter both print); a stage 2 of the wrong domain would write there;
 *  - the read returns nothing: not fw_cfg's "QEMU" signature, which an
 *    IOVA or IPA taken as a machine address (no stage 2) would give;
 *  - nothing reaches the guest's event queue, no EVTQ SPI: stage-2 faults
 *    are Xen's (S6.1);
 *  - Xen logs them rate-limited (S8.6): judge.py counts the physical event
 *    records Xen prints (printk_ratelimit: a burst of 10, then one per 5
 *    s) against the faults the guest caused (each 16-byte DMA is four
 *    faults: QEMU retries in 4-byte pieces), checks each is a stage-2
 *    fault (S2 set) of one of the device's streams at one of those IPAs,
 *    and that the vIOMMU refused to forward every one.
 *
 * Then the device still works: a DMA through a mapped IOVA lands.
 */
#include <xtf.h>
#include <xtf/dmaenv.h>
#include <xtf/s1pt.h>
#include <xtf/smmu.h>

const char test_title[] = "vSMMUv3 nested: stage-2 faults stay in Xen, "
                          "another guest's memory untouched";

#define PAGE            4096U
#define FAULT_LEN       16U
#define GOOD_IOVA       0x300000UL
#define READ_IOVA       0x200000UL
#define FAULT_IOVA      0x100000UL
#define FW_CFG_DATA     0x09020000UL
#define FW_CFG_SIG      0x554d4551U     /* "QEMU", little-endian */
/* The canary's watch: from its start, long enough for instance 1. */
#define CANARY_SECS     6
#define CANARY_MAGIC    0xca4a41e5c0de0000ULL

static struct dma_env env;

static uint64_t secs_to_ticks(uint64_t s)
{
    return s * counter_freq();
}

/* The region the canary watches: its RAM past instance 1's, to its tree. */
static void canary_region(volatile uint64_t **a, volatile uint64_t **b)
{
    *a = (volatile uint64_t *)(uintptr_t)(GUEST_RAM0_BASE + (32ULL << 20));
    *b = (volatile uint64_t *)((uintptr_t)xtf_fdt & ~(uintptr_t)(PAGE - 1));
}

static void canary(void)
{
    volatile uint64_t *a, *b, *p;
    uint64_t start = counter_phys_now(), now;
    unsigned int checks = 0;

    canary_region(&a, &b);
    if ( b <= a + (0x80000 / 8) )
        return xtf_error("Error: canary region %p-%p too small (memory?)\n",
                         a, b);
    for ( p = a; p < b; p++ )
        *p = CANARY_MAGIC ^ (uintptr_t)p;
    dsb(sy);
    printk("canary: filled %#lx-%#lx at %lu\n", (unsigned long)(uintptr_t)a,
           (unsigned long)(uintptr_t)b, (unsigned long)counter_phys_now());

    do {
        for ( p = a; p < b; p++ )
            if ( *p != (CANARY_MAGIC ^ (uintptr_t)p) )
                return xtf_failure("Fail: canary: %#lx holds %#lx: another "
                                   "guest's DMA reached this guest's RAM\n",
                                   (unsigned long)(uintptr_t)p,
                                   (unsigned long)*p);
        checks++;
        now = counter_phys_now();
        sleep_until_phys(now + counter_freq() / 10);
    } while ( now < start + secs_to_ticks(CANARY_SECS) );

    printk("canary: intact, last checked at %lu (%u checks)\n",
           (unsigned long)now, checks);
    xtf_success(NULL);
}

void test_main(void)
{
    static const uint64_t ipas[] = {
        GUEST_RAM0_BASE + (32ULL << 20),
        GUEST_RAM0_BASE + (32ULL << 20) + 0x1000,
        GUEST_RAM0_BASE + (32ULL << 20) + 0x40000,
        GUEST_RAM0_BASE + (32ULL << 20) + 0x7f000,
        1ULL << 43,
        (1ULL << 43) + 0x1000,
    };
    uint64_t start = counter_phys_now(), first, done, evt[4], *cd;
    struct s1_pt pt;
    uint8_t *load, *good;
    uint32_t *w;
    unsigned int i, e;

    if ( xtf_instance != 1 )
        return canary();

    if ( !dma_env_setup(&env, 2) )
        return;
    load = xtf_alloc(PAGE, PAGE);
    good = xtf_alloc(PAGE, PAGE);
    cd = xtf_alloc(SMMU_CD_SIZE, SMMU_CD_SIZE);
    if ( !s1_pt_init(&pt, 12, 3) ||
         !s1_map(&pt, 0x1000, (uintptr_t)load, 3, S1_READ) ||
         !s1_map(&pt, GOOD_IOVA, (uintptr_t)good, 3, S1_RW) ||
         !s1_map(&pt, READ_IOVA, FW_CFG_DATA, 3, S1_READ) )
        return xtf_error("Error: tables\n");
    for ( i = 0; i < ARRAY_SIZE(ipas); i++ )
        if ( !s1_map(&pt, FAULT_IOVA + i * PAGE, ipas[i], 3, S1_RW) )
            return xtf_error("Error: tables\n");
    smmu_cd_write(cd, &pt, 1);
    for ( e = 0; e < 2; e++ )
    {
        smmu_ste_s1(env.edu[e].sid, cd);
        if ( !smmu_cmd1(cmd_cfgi_ste(env.edu[e].sid), "CFGI_STE") )
            return;
        pattern_fill(load, PAGE, 0x52f0 + e);
        if ( !edu_dma_from_mem(&env.edu[e], 0x1000, 0, PAGE) )
            return;
    }

    /* The canary fills its memory meanwhile. */
    sleep_until_phys(start + secs_to_ticks(1));
    gic_clear_counts();

    first = counter_phys_now();
    for ( i = 0; i < ARRAY_SIZE(ipas); i += 2 )
    {
        for ( e = 0; e < 2; e++ )
            edu_dma_to_mem_start(&env.edu[e], 0, FAULT_IOVA + (i + e) * PAGE,
                                 FAULT_LEN, 0);
        for ( e = 0; e < 2; e++ )
            if ( !edu_dma_wait(&env.edu[e], EDU_DMA_TIMEOUT_US) )
                return xtf_failure("Fail: a DMA did not end\n");
    }

    /* A read from fw_cfg's machine address, through the same stage 2. */
    if ( !edu_dma_from_mem(&env.edu[0], READ_IOVA, 0x800, 8) )
        return;
    done = counter_phys_now();
    printk("s2-fault: faults %u len %u first %lu done %lu hz %lu\n",
           (unsigned int)ARRAY_SIZE(ipas) * FAULT_LEN / 4 + 2, FAULT_LEN,
           (unsigned long)first, (unsigned long)done,
           (unsigned long)counter_freq());
    for ( i = 0; i < ARRAY_SIZE(ipas); i++ )
        printk("s2-fault: IPA %#lx\n", (unsigned long)ipas[i]);
    printk("s2-fault: IPA %#lx\n", FW_CFG_DATA);

    if ( !edu_dma_to_mem(&env.edu[0], 0, GOOD_IOVA, PAGE) )
        return;
    w = (uint32_t *)good;
    printk("read from IPA %#lx: %#x %#x\n", FW_CFG_DATA, w[0x200], w[0x201]);
    if ( w[0x200] == FW_CFG_SIG )
        xtf_failure("Fail: a DMA read from IPA %#lx returned fw_cfg's "
                    "signature: no stage 2\n", FW_CFG_DATA);
    else if ( (w[0x200] || w[0x201]) &&
              pattern_check(good, 0x808, 0x52f0) != 0x808 )
        xtf_failure("Fail: a DMA read from IPA %#lx returned %#x %#x\n",
                    FW_CFG_DATA, w[0x200], w[0x201]);
    /* The rest of the buffer is the device's pattern: the device works. */
    if ( pattern_check(good, 0x800, 0x52f0) != 0x800 )
        xtf_failure("Fail: after the faults, a DMA to a mapped IOVA did not "
                    "land\n");

    /* Stage-2 faults are Xen's. */
    if ( smmu_evtq_wait(evt, 500000) )
        xtf_failure("Fail: a stage-2 fault reached the guest: %s vSID %#x "
                    "(%#lx %#lx %#lx %#lx)\n",
                    smmu_event_name(MASK_EXTR(evt[0], SMMU_EVT0_ID)),
                    (unsigned int)MASK_EXTR(evt[0], SMMU_EVT0_SID),
                    (unsigned long)evt[0], (unsigned long)evt[1],
                    (unsigned long)evt[2], (unsigned long)evt[3]);
    if ( gic_wait_irq(GUEST_VSMMUV3_EVTQ_SPI, 100000) ||
         gic_count(GUEST_VSMMUV3_EVTQ_SPI) )
        xtf_failure("Fail: the EVTQ SPI was signalled\n");
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
