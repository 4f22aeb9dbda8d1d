/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Concurrency.
 *
 * S1.4: register accesses are atomic with respect to other vCPUs.  Several
 * threads, each a vCPU of the same domain, hammer CR0, IRQ_CTRL and
 * STRTAB_BASE through the MMIO entry points; every value read back must be
 * one that some thread wrote (or the reset value), never a mix.  The same
 * test built with -fsanitize=thread (make test-tsan) proves the accesses
 * are properly serialised.
 */
#include <pthread.h>
#include <sched.h>

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

/*
 * Everything at once (S1.4, S4, S6): two domains, 4 vCPUs on the first
 * vSMMU and 2 on the second, submitting commands (some illegal, recovered
 * as Linux does), consuming events, toggling interrupts and polling; a
 * "physical" thread forwarding numbered faults to both; a thread running
 * deferred work.  At the end: every forwarded event was either received
 * once, in order, or accounted as dropped; all commands were consumed;
 * CONS never passed PROD; GERROR is consistent.
 */
#define MIX_OPS         3000
#define MIX_EVENTS      20000
#define MIX_PSID        0x77
#define MIX_VSID        7

struct mix_domain {
    struct harness *h;
    struct fake_phys phys;
    struct guest g;
    pthread_mutex_t guest_lock;         /* the guest driver's own lock */
    uint64_t next_seq;                  /* next event number expected */
    unsigned long received;
    unsigned long forwarded;            /* accepted by the vSMMU */
    unsigned long order_errors;
    unsigned long cons_past_prod;
    unsigned long cmd_errors_seen;
};

struct mix_vcpu {
    struct mix_domain *md;
    struct vcpu *v;
    unsigned int seed;
};

static volatile bool mix_stop;

static uint32_t q_distance(uint32_t from, uint32_t to, unsigned int log2)
{
    return (to - from) & ((2U << log2) - 1);
}

/* Drain events as Linux's event thread does, checking their order. */
static void mix_consume_events(struct mix_domain *md, struct vcpu *v)
{
    struct guest *g = &md->g;
    uint32_t mask = (2U << g->evtq_log2) - 1;
    uint32_t prod = emul_read32(v, H_BASE + SMMU_EVENTQ_PROD);

    while ( (g->evtq_cons & mask) != (prod & mask) )
    {
        uint32_t idx = g->evtq_cons & ((1U << g->evtq_log2) - 1);
        uint64_t rec[4];

        emul_ram_read(md->h->d, H_EVTQ_BASE + idx * SMMU_EVT_SIZE, rec,
                      sizeof(rec));
        if ( rec[2] < md->next_seq ||
             MASK_EXTR(rec[0], SMMU_EVT0_SID) != MIX_VSID )
            md->order_errors++;
        md->next_seq = rec[2] + 1;
        md->received++;
        g->evtq_cons = (g->evtq_cons & SMMU_EVENTQ_CONS_OVACKFLG) |
                       ((g->evtq_cons + 1) & mask);
    }
    /* Acknowledge any overflow. */
    g->evtq_cons = (g->evtq_cons & ~SMMU_EVENTQ_CONS_OVACKFLG) |
                   (prod & SMMU_EVENTQ_PROD_OVFLG);
    emul_write32(v, H_BASE + SMMU_EVENTQ_CONS, g->evtq_cons);
}

/* Submit a few commands and wait for them, recovering from errors. */
static void mix_submit(struct mix_domain *md, struct vcpu *v, unsigned int r)
{
    struct guest *g = &md->g;
    uint32_t cons, err_idx;
    /* Mostly a few commands; sometimes a burst beyond one budget. */
    unsigned int i, n = (r >> 4) % 8 ? 1 + r % 6 : 100;

    for ( i = 0; i < n; i++ )
    {
        if ( (r >> 8) % 16 == 0 && i == 0 )
            g_cmd(g, cmd_op(SMMU_OP_TLBI_EL2_ALL), 0);  /* illegal */
        else
            g_cmd(g, cmd_op(SMMU_OP_TLBI_NH_ASID) |
                     MASK_INSR(i, SMMU_CMD0_TLBI_ASID), 0);
    }
    g_cmd_sync(g);
    emul_write32(v, H_BASE + SMMU_CMDQ_PROD, g->prod);
    for ( ;; )
    {
        cons = emul_read32(v, H_BASE + SMMU_CMDQ_CONS);
        if ( q_distance(cons & 0xfffff, g->prod, g->cmdq_log2) >
             (1U << g->cmdq_log2) )
            md->cons_past_prod++;
        if ( (cons & 0xfffff) == g->prod )
            break;
        if ( (emul_read32(v, H_BASE + SMMU_GERROR) ^
              emul_read32(v, H_BASE + SMMU_GERRORN)) & SMMU_GERROR_CMDQ_ERR )
        {
            /* Linux's GERROR handler: rewrite as CMD_SYNC and ack. */
            err_idx = cons & ((1U << g->cmdq_log2) - 1);
            emul_ram_write64(md->h->d, H_CMDQ_BASE + err_idx * SMMU_CMD_SIZE,
                             cmd_op(SMMU_OP_CMD_SYNC));
            md->cmd_errors_seen++;
            emul_write32(v, H_BASE + SMMU_GERRORN,
                         emul_read32(v, H_BASE + SMMU_GERROR));
        }
    }
}

static void *mix_vcpu_thread(void *arg)
{
    struct mix_vcpu *w = arg;
    struct mix_domain *md = w->md;
    unsigned int i;

    for ( i = 0; i < MIX_OPS; i++ )
    {
        unsigned int r = rand_r(&w->seed);

        pthread_mutex_lock(&md->guest_lock);
        switch ( r % 5 )
        {
        case 0:
        case 1:
            mix_submit(md, w->v, r >> 3);
            break;
        case 2:
            mix_consume_events(md, w->v);
            break;
        case 3:
            /* Interrupt enables on and off, as a kernel masking them. */
            emul_write32(w->v, H_BASE + SMMU_IRQ_CTRL,
                         (r >> 3) & 1 ? VSMMUV3_IRQ_CTRL_ACCEPTED : 0);
            break;
        default:
            (void)emul_read32(w->v, H_BASE + SMMU_CR0ACK);
            (void)emul_read32(w->v, H_BASE + SMMU_IRQ_CTRLACK);
            (void)emul_read32(w->v, H_BASE + SMMU_EVENTQ_PROD);
            break;
        }
        pthread_mutex_unlock(&md->guest_lock);
    }
    return NULL;
}

/*
 * The physical SMMU's event thread: numbered faults for both domains,
 * interleaved with the vCPUs until they are done.
 */
static volatile bool mix_vcpus_done;

static void *mix_phys_thread(void *arg)
{
    struct mix_domain **mds = arg;
    unsigned int i;

    for ( i = 0; i < MIX_EVENTS &&
                 !__atomic_load_n(&mix_vcpus_done, __ATOMIC_RELAXED); i++ )
    {
        struct mix_domain *md = mds[i & 1];
        uint64_t evt[4] = {
            MASK_INSR(SMMU_EVT_F_TRANSLATION, SMMU_EVT0_ID) |
            MASK_INSR(MIX_PSID, SMMU_EVT0_SID),
            0, i / 2, 0,
        };

        if ( !vsmmuv3_handle_phys_event(md->h->vs, FAKE_PHYS(&md->phys), evt) )
            __atomic_fetch_add(&md->forwarded, 1, __ATOMIC_RELAXED);
        if ( i % 64 == 0 )
            emul_clock_advance(MILLISECS(100));
        sched_yield();
    }
    return NULL;
}

static void mix_domain_init(struct mix_domain *md, domid_t id)
{
    struct vsmmuv3_backend be = fake_backend(&md->phys, 0x30 + id, true);
    struct vsmmuv3_params p;
    struct vsmmuv3 *vs;

    harness_default_params(&p);
    p.nr_backends = 1;
    p.backends = &be;
    md->h = calloc(1, sizeof(*md->h));
    md->h->d = emul_domain_create(id, 4, H_NR_SPIS);
    md->h->v = md->h->d->vcpu[0];
    assert_int_equal(emul_ram_add(md->h->d, H_RAM_BASE, H_RAM_SIZE), 0);
    assert_int_equal(vsmmuv3_domain_init(md->h->d, &p, &vs), 0);
    md->h->vs = vs;
    harness_attach_vcpu_work(md->h);
    assert_int_equal(vsmmuv3_add_stream(vs, MIX_VSID, 0, MIX_PSID), 0);
    g_reset(&md->g, md->h, 7, 8, 8, true);
    pthread_mutex_init(&md->guest_lock, NULL);
}

static void test_concurrent_everything(void **state)
{
    struct mix_domain a = { 0 }, b = { 0 };
    struct mix_domain *both[2] = { &a, &b };
    struct mix_vcpu w[6];
    pthread_t t[6], phys;
    unsigned int i;

    mix_domain_init(&a, 1);
    mix_domain_init(&b, 2);
    for ( i = 0; i < 6; i++ )
    {
        struct mix_domain *md = i < 4 ? &a : &b;

        w[i] = (struct mix_vcpu){ .md = md, .v = md->h->d->vcpu[i % 4],
                                  .seed = 100 + i };
    }
    mix_stop = false;
    mix_vcpus_done = false;
    assert_int_equal(pthread_create(&phys, NULL, mix_phys_thread, both), 0);
    for ( i = 0; i < 6; i++ )
        assert_int_equal(pthread_create(&t[i], NULL, mix_vcpu_thread, &w[i]),
                         0);
    for ( i = 0; i < 6; i++ )
        pthread_join(t[i], NULL);
    __atomic_store_n(&mix_vcpus_done, true, __ATOMIC_RELAXED);
    pthread_join(phys, NULL);
    __atomic_store_n(&mix_stop, true, __ATOMIC_RELAXED);

    for ( i = 0; i < 2; i++ )
    {
        struct mix_domain *md = both[i];
        struct vsmmuv3 *vs = md->h->vs;

        mix_consume_events(md, md->h->v);
        print_message("domain %u: %lu events forwarded, %lu received, "
                      "%lu lost, %lu throttled; %lu commands, %lu errors "
                      "recovered, %lu continuation steps\n", i + 1,
                      md->forwarded, md->received, vs->stats.events_lost,
                      vs->stats.events_throttled, vs->stats.cmds,
                      md->cmd_errors_seen, vs->stats.continuations);
        assert_int_equal(md->order_errors, 0);
        assert_int_equal(md->cons_past_prod, 0);
        /* Each forwarded event was received once or counted as lost. */
        assert_int_equal(md->received + vs->stats.events_lost,
                         md->forwarded);
        assert_int_equal(vs->stats.events_forwarded, md->forwarded);
        assert_true(md->received > 0);
        /* Every command consumed; every error acknowledged. */
        assert_int_equal(h_read32(md->h, SMMU_CMDQ_CONS) & 0xfffff,
                         md->g.prod);
        assert_int_equal(h_read32(md->h, SMMU_GERROR),
                         h_read32(md->h, SMMU_GERRORN));
        assert_int_equal(h_read32(md->h, SMMU_GERROR) &
                         ~VSMMUV3_GERROR_IMPLEMENTED, 0);
        assert_true(md->cmd_errors_seen > 0);
        assert_int_equal(vs->stats.cmd_errors, md->cmd_errors_seen);
        /* Only this domain's VMID ever reached its physical SMMU. */
        assert_true(md->phys.nr_cmds > 0);
        harness_destroy(md->h);
        pthread_mutex_destroy(&md->guest_lock);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_register_access),
        cmocka_unit_test(test_concurrent_everything),
    };

    return cmocka_run_group_tests_name("concurrency", tests, NULL, NULL);
}
