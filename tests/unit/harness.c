/* SPDX-License-Identifier: GPL-2.0-only */
#include "harness.h"

void harness_default_params(struct vsmmuv3_params *p)
{
    *p = (struct vsmmuv3_params){
        .base = H_BASE,
        .evtq_virq = H_EVTQ_VIRQ,
        .gerror_virq = H_GERROR_VIRQ,
        .ipa_bits = 40,
        .step_work = CONFIG_VSMMUV3_STEP_WORK,
        .cmdqs = CONFIG_VSMMUV3_CMDQS,
        .eventqs = CONFIG_VSMMUV3_EVENTQS,
        .max_streams = CONFIG_VSMMUV3_MAX_STREAMS,
        .event_budget = CONFIG_VSMMUV3_EVENT_BUDGET,
    };
}

struct harness *harness_create(const struct vsmmuv3_params *p)
{
    struct harness *h = calloc(1, sizeof(*h));
    struct vsmmuv3_params def;

    assert_non_null(h);
    if ( !p )
    {
        harness_default_params(&def);
        p = &def;
    }
    /* A test that failed half-way may have left these changed. */
    emul_auto_return(true);
    emul_preempt_every(0);
    emul_set_step_hook(NULL, NULL);
    h->d = emul_domain_create(1, 4, H_NR_SPIS);
    h->v = h->d->vcpu[0];
    assert_int_equal(emul_ram_add(h->d, H_RAM_BASE, H_RAM_SIZE), 0);
    assert_int_equal(vsmmuv3_domain_init(h->d, p, &h->vs), 0);
    harness_attach_vcpu_work(h);
    emul_log_clear();
    return h;
}

/* Xen's way back to the guest reaches the vSMMU through the framework. */
static bool model_vcpu_work(void *priv, struct vcpu *v)
{
    return vsmmuv3_vcpu_work(priv, v);
}

static bool model_vcpu_pending(void *priv, const struct vcpu *v)
{
    const struct vsmmuv3 *vs = priv;

    return vs->vcpu_work[v->vcpu_id];
}

void harness_attach_vcpu_work(struct harness *h)
{
    emul_set_vcpu_work(h->d, model_vcpu_work, h->vs);
    emul_set_vcpu_pending(h->d, model_vcpu_pending);
}

void harness_destroy(struct harness *h)
{
    vsmmuv3_domain_free(h->vs);
    emul_domain_destroy(h->d);
    free(h);
}

uint32_t h_read32(struct harness *h, uint32_t off)
{
    return emul_read32(h->v, H_BASE + off);
}

uint64_t h_read64(struct harness *h, uint32_t off)
{
    return emul_read64(h->v, H_BASE + off);
}

void h_write32(struct harness *h, uint32_t off, uint32_t val)
{
    emul_write32(h->v, H_BASE + off, val);
}

void h_write64(struct harness *h, uint32_t off, uint64_t val)
{
    emul_write64(h->v, H_BASE + off, val);
}

int h_access(struct harness *h, uint32_t off, unsigned int size, bool write,
             uint64_t *val)
{
    return write ? emul_mmio_write(h->v, H_BASE + off, size, *val)
                 : emul_mmio_read(h->v, H_BASE + off, size, val);
}

void h_raise_gerror(struct harness *h, uint32_t errors)
{
    spin_lock(&h->vs->lock);
    vsmmuv3_raise_gerror(h->vs, errors);
    spin_unlock(&h->vs->lock);
}

/* Guest driver side. */
void g_reset(struct guest *g, struct harness *h, unsigned int cmdq_log2,
             unsigned int evtq_log2, unsigned int strtab_log2, bool enable)
{
    uint32_t vsid;

    *g = (struct guest){ .h = h, .cmdq_log2 = cmdq_log2,
                         .evtq_log2 = evtq_log2 };
    /* Every STE aborts, as Linux initialises them. */
    for ( vsid = 0; vsid < (1U << strtab_log2); vsid++ )
        g_write_ste(g, vsid, SMMU_STE0_V, 0);
    h_write32(h, SMMU_CR0, 0);
    h_write32(h, SMMU_CR1, 0xd75);
    h_write32(h, SMMU_CR2, 0x6);
    h_write64(h, SMMU_STRTAB_BASE, SMMU_STRTAB_BASE_RA | H_STRTAB_BASE);
    h_write32(h, SMMU_STRTAB_BASE_CFG, strtab_log2);
    h_write64(h, SMMU_CMDQ_BASE, SMMU_Q_BASE_RWA | H_CMDQ_BASE | cmdq_log2);
    h_write32(h, SMMU_CMDQ_PROD, 0);
    h_write32(h, SMMU_CMDQ_CONS, 0);
    h_write32(h, SMMU_CR0, SMMU_CR0_CMDQEN);
    h_write64(h, SMMU_EVENTQ_BASE, SMMU_Q_BASE_RWA | H_EVTQ_BASE | evtq_log2);
    h_write32(h, SMMU_EVENTQ_PROD, 0);
    h_write32(h, SMMU_EVENTQ_CONS, 0);
    h_write32(h, SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    h_write32(h, SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_EVENTQ_IRQEN |
                                SMMU_IRQ_CTRL_GERROR_IRQEN);
    if ( enable )
        h_write32(h, SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN |
                               SMMU_CR0_SMMUEN);
}

void g_cmd(struct guest *g, uint64_t c0, uint64_t c1)
{
    uint32_t idx = g->prod & ((1U << g->cmdq_log2) - 1);
    uint64_t c[2] = { c0, c1 };

    emul_ram_write(g->h->d, H_CMDQ_BASE + idx * SMMU_CMD_SIZE, c, sizeof(c));
    g->prod = (g->prod + 1) & ((2U << g->cmdq_log2) - 1);
}

void g_publish(struct guest *g)
{
    h_write32(g->h, SMMU_CMDQ_PROD, g->prod);
}

unsigned int g_drain(struct harness *h)
{
    return emul_vcpus_continue(h->d, ~0U);
}

void g_submit(struct guest *g, uint64_t c0, uint64_t c1)
{
    g_cmd(g, c0, c1);
    g_publish(g);
    g_drain(g->h);
}

void g_cmd_sync(struct guest *g)
{
    uint64_t c[2];

    cmd_sync(c);
    g_cmd(g, c[0], c[1]);
}

void g_sync_and_wait(struct guest *g)
{
    g_cmd_sync(g);
    g_publish(g);
    g_drain(g->h);
    assert_int_equal(g_cons(g), g->prod);
}

uint32_t g_cons(struct guest *g)
{
    return h_read32(g->h, SMMU_CMDQ_CONS);
}

void g_write_ste(struct guest *g, uint32_t vsid, uint64_t w0, uint64_t w1)
{
    uint64_t ste[SMMU_STE_DWORDS] = { w0, w1 };

    emul_ram_write(g->h->d, H_STRTAB_BASE + (paddr_t)vsid * SMMU_STE_SIZE,
                   ste, sizeof(ste));
}

void g_write_s1_ste(struct guest *g, uint32_t vsid, paddr_t cd)
{
    /* Linux: S1DSS=SSID0, S1CIR/S1COR=WBRA, S1CSH=ISH, STRW=NSEL1. */
    g_write_ste(g, vsid,
                SMMU_STE0_V |
                MASK_INSR(SMMU_STE_CONFIG_S1_TRANS, SMMU_STE0_CONFIG) |
                cd,
                MASK_INSR(2, SMMU_STE1_S1DSS) |
                MASK_INSR(1, SMMU_STE1_S1CIR) |
                MASK_INSR(1, SMMU_STE1_S1COR) |
                MASK_INSR(3, SMMU_STE1_S1CSH));
}

unsigned int g_events(struct guest *g, uint64_t (*evts)[4], unsigned int max)
{
    uint32_t mask = (2U << g->evtq_log2) - 1;
    uint32_t prod = h_read32(g->h, SMMU_EVENTQ_PROD) & mask;
    unsigned int n = 0;

    while ( (g->evtq_cons & mask) != prod && n < max )
    {
        uint32_t idx = g->evtq_cons & ((1U << g->evtq_log2) - 1);

        emul_ram_read(g->h->d, H_EVTQ_BASE + idx * SMMU_EVT_SIZE, evts[n],
                      SMMU_EVT_SIZE);
        n++;
        g->evtq_cons = (g->evtq_cons + 1) & mask;
    }
    h_write32(g->h, SMMU_EVENTQ_CONS, g->evtq_cons);
    return n;
}

uint64_t cmd_op(unsigned int op)
{
    return MASK_INSR(op, SMMU_CMD_OPCODE);
}

uint64_t cmd_sid(unsigned int op, uint32_t sid)
{
    return cmd_op(op) | MASK_INSR(sid, SMMU_CMD0_SID);
}

void cmd_sync(uint64_t c[2])
{
    c[0] = cmd_op(SMMU_OP_CMD_SYNC);
    c[1] = 0;
}

void cmd_tlbi_va(uint64_t c[2], unsigned int op, uint16_t asid,
                 uint64_t addr, bool leaf, unsigned int tg, unsigned int ttl,
                 unsigned int num, unsigned int scale)
{
    c[0] = cmd_op(op) | MASK_INSR(asid, SMMU_CMD0_TLBI_ASID) |
           MASK_INSR(num, SMMU_CMD0_TLBI_NUM) |
           MASK_INSR(scale, SMMU_CMD0_TLBI_SCALE);
    c[1] = (addr & SMMU_CMD1_TLBI_ADDR) | (leaf ? SMMU_CMD1_TLBI_LEAF : 0) |
           MASK_INSR(tg, SMMU_CMD1_TLBI_TG) |
           MASK_INSR(ttl, SMMU_CMD1_TLBI_TTL);
}

/* The recording physical SMMU. */
static int fake_record(void *priv, uint32_t psid, enum vsmmuv3_ste_cfg cfg,
                       const uint64_t ste[2])
{
    struct fake_phys *f = priv;
    struct fake_install *in;

    f->install_calls++;
    if ( cfg != VSMMUV3_STE_ABORT && f->fail_install )
        return f->fail_install;
    if ( cfg == VSMMUV3_STE_ABORT && f->fail_abort )
        return f->fail_abort;
    /* A ring: the latest installations are the ones tests look at. */
    in = &f->installs[f->nr_installs++ % ARRAY_SIZE(f->installs)];
    *in = (struct fake_install){ .psid = psid, .cfg = cfg };
    if ( ste )
    {
        in->ste[0] = ste[0];
        in->ste[1] = ste[1];
    }
    return 0;
}

static int fake_install_nested(void *priv, uint32_t psid,
                               const uint64_t ste[2])
{
    return fake_record(priv, psid, VSMMUV3_STE_NESTED, ste);
}

static int fake_set_abort(void *priv, uint32_t psid)
{
    return fake_record(priv, psid, VSMMUV3_STE_ABORT, NULL);
}

static int fake_set_s2_only(void *priv, uint32_t psid)
{
    return fake_record(priv, psid, VSMMUV3_STE_S2_ONLY, NULL);
}

static int fake_queue_inval(void *priv, const uint64_t (*cmds)[2],
                            unsigned int nr)
{
    struct fake_phys *f = priv;
    unsigned int i;

    f->queue_calls++;
    if ( f->fail_queue )
        return f->fail_queue;
    assert_true(nr <= VSMMUV3_BATCH);
    /* Counted always, kept while there is room. */
    for ( i = 0; i < nr; i++ )
    {
        if ( f->nr_cmds < FAKE_MAX_CMDS )
        {
            f->cmds[f->nr_cmds][0] = cmds[i][0];
            f->cmds[f->nr_cmds][1] = cmds[i][1];
        }
        f->nr_cmds++;
    }
    return 0;
}

static int fake_sync(void *priv)
{
    struct fake_phys *f = priv;

    f->syncs++;
    f->cmds_at_sync = f->nr_cmds;
    return f->fail_sync;
}

const struct vsmmuv3_phys_ops fake_phys_ops = {
    .install_nested = fake_install_nested,
    .set_abort = fake_set_abort,
    .set_s2_only = fake_set_s2_only,
    .queue_inval = fake_queue_inval,
    .sync = fake_sync,
};

struct vsmmuv3_backend fake_backend(struct fake_phys *f, uint16_t vmid,
                                    bool ril)
{
    return (struct vsmmuv3_backend){
        .phys_id = FAKE_PHYS(f),
        /* As a host's SMMU base address: one per VMID here. */
        .stable_id = 0x2b000000ULL + ((uint64_t)vmid << 20),
        .ops = &fake_phys_ops,
        .priv = f,
        .caps = {
            .idr = {
                [0] = SMMU_IDR0_S1P | SMMU_IDR0_S2P | SMMU_IDR0_COHACC |
                      SMMU_IDR0_ASID16 | SMMU_IDR0_VMID16 |
                      MASK_INSR(SMMU_IDR0_TTF_AARCH64, SMMU_IDR0_TTF),
                [3] = ril ? SMMU_IDR3_RIL : 0,
                [5] = MASK_INSR(SMMU_IDR5_OAS_48, SMMU_IDR5_OAS) |
                      SMMU_IDR5_GRAN4K | SMMU_IDR5_GRAN64K,
            },
        },
        .vmid = vmid,
    };
}

struct harness *harness_create_fake(struct fake_phys *f, unsigned int n,
                                    bool ril)
{
    struct vsmmuv3_backend be[VSMMUV3_MAX_BACKENDS];
    struct vsmmuv3_params p;
    unsigned int i;

    harness_default_params(&p);
    for ( i = 0; i < n; i++ )
        be[i] = fake_backend(&f[i], 0x71 + i, ril);
    p.nr_backends = n;
    p.backends = be;
    return harness_create(&p);
}

const struct fake_install *fake_last_install(const struct fake_phys *f,
                                             uint32_t psid)
{
    unsigned int n = min(f->nr_installs, (unsigned int)ARRAY_SIZE(f->installs));
    unsigned int i;

    for ( i = 1; i <= n; i++ )
    {
        const struct fake_install *in =
            &f->installs[(f->nr_installs - i) % ARRAY_SIZE(f->installs)];

        if ( in->psid == psid )
            return in;
    }
    return NULL;
}

struct env *env_create(unsigned int nr_phys, bool ril, unsigned int evtq_log2,
                       const struct env_stream *streams,
                       unsigned int nr_streams)
{
    struct env *e = calloc(1, sizeof(*e));
    unsigned int i;

    assert_non_null(e);
    assert_true(nr_phys >= 1 && nr_phys <= ARRAY_SIZE(e->phys));
    e->h = harness_create_fake(e->phys, nr_phys, ril);
    for ( i = 0; i < nr_streams; i++ )
        assert_int_equal(vsmmuv3_add_stream(e->h->vs, streams[i].vsid,
                                            streams[i].backend,
                                            streams[i].psid), 0);
    g_reset(&e->g, e->h, 8, evtq_log2, 8, true);
    return e;
}

int env_teardown(void **state)
{
    struct env *e = *state;

    g_drain(e->h);
    harness_destroy(e->h);
    free(e);
    return 0;
}

/* Step meter. */
static void meter_totals(const struct step_meter *m, unsigned long *mem,
                         unsigned long *cmds, unsigned long *syncs,
                         unsigned long *installs)
{
    struct emul_mem_stats st;
    unsigned int i;

    emul_mem_stats(m->h->d, &st);
    *mem = st.reads + st.writes;
    *cmds = *syncs = *installs = 0;
    for ( i = 0; i < m->nr_phys; i++ )
    {
        *cmds += m->phys[i].nr_cmds;
        *syncs += m->phys[i].syncs;
        *installs += m->phys[i].install_calls;
    }
}

static void meter_step(void *arg, struct vcpu *v, bool trap)
{
    struct step_meter *m = arg;
    unsigned long mem, cmds, syncs, installs, work;

    if ( v->domain != m->h->d )
        return;
    meter_totals(m, &mem, &cmds, &syncs, &installs);
    work = (mem - m->mem) * VSMMUV3_WORK_GUEST_MEM +
           (cmds - m->cmds) * VSMMUV3_WORK_PHYS_CMD +
           (syncs - m->syncs) * VSMMUV3_WORK_PHYS_SYNC +
           (installs - m->installs) * VSMMUV3_WORK_INSTALL;
    m->mem = mem;
    m->cmds = cmds;
    m->syncs = syncs;
    m->installs = installs;
    if ( trap )
        m->traps++;
    else
        m->continuations++;
    if ( work > m->max_work )
        m->max_work = work;
    if ( work > m->h->vs->step_work )
        m->over++;
}

void step_meter_start(struct step_meter *m, struct harness *h,
                      struct fake_phys *phys, unsigned int nr_phys)
{
    *m = (struct step_meter){ .h = h, .phys = phys, .nr_phys = nr_phys };
    meter_totals(m, &m->mem, &m->cmds, &m->syncs, &m->installs);
    emul_set_step_hook(meter_step, m);
}

void step_meter_stop(struct step_meter *m)
{
    emul_set_step_hook(NULL, NULL);
}
