/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * S1.4: register accesses are atomic with respect to other vCPUs.  Several
 * threads, each a vCPU of the same domain, hammer CR0, IRQ_CTRL and
 * STRTAB_BASE through the MMIO entry points; every value read back must be
 * one that some thread wrote (or the reset value), never a mix.  The same
 * test built with -fsanitize=thread (make test-tsan) proves the accesses
 * are properly serialised.
 */
#include <pthread.h>

#include "harness.h"

#define THREADS     4
#define ITERATIONS  20000

static const uint32_t cr0_values[] = {
    0, SMMU_CR0_SMMUEN, SMMU_CR0_EVENTQEN, SMMU_CR0_CMDQEN,
    SMMU_CR0_SMMUEN | SMMU_CR0_CMDQEN, SMMU_CR0_EVENTQEN | SMMU_CR0_CMDQEN,
    SMMU_CR0_SMMUEN | SMMU_CR0_EVENTQEN | SMMU_CR0_CMDQEN,
};

static const uint32_t irq_values[] = {
    0, SMMU_IRQ_CTRL_GERROR_IRQEN, SMMU_IRQ_CTRL_EVENTQ_IRQEN,
    SMMU_IRQ_CTRL_GERROR_IRQEN | SMMU_IRQ_CTRL_EVENTQ_IRQEN,
};

/* Halves that only ever appear together: a mix is detectable. */
static uint64_t strtab_value(unsigned int k)
{
    uint64_t addr = (uint64_t)(k + 1) << 32 | (uint64_t)(k + 1) << 12;

    return addr & SMMU_STRTAB_BASE_ADDR;
}

static bool in_set(const uint32_t *set, unsigned int n, uint32_t v)
{
    unsigned int i;

    for ( i = 0; i < n; i++ )
        if ( set[i] == v )
            return true;
    return false;
}

static bool strtab_ok(uint64_t v)
{
    unsigned int k;

    if ( v == 0 )
        return true;
    for ( k = 0; k < 16; k++ )
        if ( v == strtab_value(k) )
            return true;
    return false;
}

struct worker {
    struct harness *h;
    struct vcpu *v;
    unsigned int seed;
    unsigned long bad_reads;
};

static void *hammer(void *arg)
{
    struct worker *w = arg;
    paddr_t base = H_BASE;
    unsigned int i;

    for ( i = 0; i < ITERATIONS; i++ )
    {
        unsigned int r = rand_r(&w->seed);
        uint64_t v;

        switch ( r % 6 )
        {
        case 0:
            emul_write32(w->v, base + SMMU_CR0,
                         cr0_values[(r >> 8) % ARRAY_SIZE(cr0_values)]);
            break;
        case 1:
            emul_write32(w->v, base + SMMU_IRQ_CTRL,
                         irq_values[(r >> 8) % ARRAY_SIZE(irq_values)]);
            break;
        case 2:
            emul_write64(w->v, base + SMMU_STRTAB_BASE,
                         strtab_value((r >> 8) % 16));
            break;
        case 3:
            if ( !in_set(cr0_values, ARRAY_SIZE(cr0_values),
                         emul_read32(w->v, base + SMMU_CR0)) ||
                 !in_set(cr0_values, ARRAY_SIZE(cr0_values),
                         emul_read32(w->v, base + SMMU_CR0ACK)) )
                w->bad_reads++;
            break;
        case 4:
            if ( !in_set(irq_values, ARRAY_SIZE(irq_values),
                         emul_read32(w->v, base + SMMU_IRQ_CTRLACK)) )
                w->bad_reads++;
            break;
        default:
            v = emul_read64(w->v, base + SMMU_STRTAB_BASE);
            if ( !strtab_ok(v) )
                w->bad_reads++;
            break;
        }
    }
    return NULL;
}

/* S1.4: every read observes a value some vCPU wrote. */
static void test_concurrent_register_access(void **state)
{
    struct harness *h = harness_create(NULL);
    struct worker w[THREADS];
    pthread_t t[THREADS];
    unsigned int i;

    for ( i = 0; i < THREADS; i++ )
    {
        w[i] = (struct worker){ .h = h, .v = h->d->vcpu[i], .seed = i + 1 };
        assert_int_equal(pthread_create(&t[i], NULL, hammer, &w[i]), 0);
    }
    for ( i = 0; i < THREADS; i++ )
    {
        pthread_join(t[i], NULL);
        assert_int_equal(w[i].bad_reads, 0);
    }
    /* Quiescent: the acknowledgements match the controls. */
    assert_int_equal(h_read32(h, SMMU_CR0), h_read32(h, SMMU_CR0ACK));
    assert_int_equal(h_read32(h, SMMU_IRQ_CTRL), h_read32(h, SMMU_IRQ_CTRLACK));
    harness_destroy(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_register_access),
    };

    return cmocka_run_group_tests_name("concurrency", tests, NULL, NULL);
}
