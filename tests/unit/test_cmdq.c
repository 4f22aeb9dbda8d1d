/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Command queue consumer (SPEC-NOTES section 4, S7.4, S8.2): every opcode
 * with its CONS/ERR/GERROR outcome, CMD_SYNC variants, wrap, PROD beyond
 * the queue, the error/acknowledge/resume protocol, fetch aborts, and the
 * budget that bounds the work of one trap.
 */
#include "harness.h"

static int setup(void **state)
{
    *state = env_create(1, true, 8, NULL, 0);
    return 0;
}

static uint32_t cons_ptr(uint32_t cons)
{
    return cons & ~SMMU_CMDQ_CONS_ERR;
}

static unsigned int cons_err(uint32_t cons)
{
    return SMMU_FIELD_GET(SMMU_CMDQ_CONS_ERR, cons);
}

static bool cmdq_err_active(struct harness *h)
{
    return (h_read32(h, SMMU_GERROR) ^ h_read32(h, SMMU_GERRORN)) &
           SMMU_GERROR_CMDQ_ERR;
}

/* A well-formed instance of each legal opcode (fields valid). */
static void legal_cmd(unsigned int op, uint64_t c[2])
{
    c[0] = cmd_op(op);
    c[1] = 0;
    switch ( op )
    {
    case SMMU_OP_CFGI_STE_RANGE:
        c[1] = SMMU_CFGI_RANGE_ALL;
        break;
    case SMMU_OP_TLBI_NH_VA:
    case SMMU_OP_TLBI_NH_VAA:
        cmd_tlbi_va(c, op, 1, 0x1000, true, 0, 0, 0, 0);
        break;
    default:
        break;
    }
}

static bool opcode_is_legal(unsigned int op)
{
    switch ( op )
    {
    case SMMU_OP_PREFETCH_CONFIG:
    case SMMU_OP_PREFETCH_ADDR:
    case SMMU_OP_CFGI_STE:
    case SMMU_OP_CFGI_STE_RANGE:
    case SMMU_OP_CFGI_CD:
    case SMMU_OP_CFGI_CD_ALL:
    case SMMU_OP_TLBI_NH_ALL:
    case SMMU_OP_TLBI_NH_ASID:
    case SMMU_OP_TLBI_NH_VA:
    case SMMU_OP_TLBI_NH_VAA:
    case SMMU_OP_TLBI_NSNH_ALL:
    case SMMU_OP_CMD_SYNC:
        return true;
    default:
        return false;
    }
}

/* S4.3, S4.4: every one of the 256 opcodes, legal or CERROR_ILL. */
static void test_every_opcode(void **state)
{
    unsigned int op;

    for ( op = 0; op < 256; op++ )
    {
        struct env *e = *state;
        uint64_t c[2];
        uint32_t cons;

        legal_cmd(op, c);
        g_submit(&e->g, c[0], c[1]);
        cons = g_cons(&e->g);
        if ( opcode_is_legal(op) )
        {
            assert_int_equal(cons_ptr(cons), e->g.prod);
            assert_false(cmdq_err_active(e->h));
            continue;
        }
        /* Stopped at the command, CONS.ERR set, GERROR raised. */
        assert_int_equal(cons_ptr(cons), (e->g.prod - 1) & 0x1ff);
        assert_int_equal(cons_err(cons), SMMU_CERROR_ILL);
        assert_true(cmdq_err_active(e->h));
        assert_true(emul_vgic_level(e->h->d, H_GERROR_VIRQ));
        /* As Linux: rewrite the entry as CMD_SYNC and acknowledge. */
        emul_ram_write64(e->h->d, H_CMDQ_BASE +
                         cons_ptr(cons) % 256 * SMMU_CMD_SIZE,
                         cmd_op(SMMU_OP_CMD_SYNC));
        emul_ram_write64(e->h->d, H_CMDQ_BASE +
                         cons_ptr(cons) % 256 * SMMU_CMD_SIZE + 8, 0);
        h_write32(e->h, SMMU_GERRORN, h_read32(e->h, SMMU_GERROR));
        assert_int_equal(cons_ptr(g_cons(&e->g)), e->g.prod);
        assert_false(emul_vgic_level(e->h->d, H_GERROR_VIRQ));
    }
}

/* S4.3: the illegal families, named. */
static void test_illegal_families(void **state)
{
    static const unsigned int ops[] = {
        SMMU_OP_TLBI_EL2_ALL, SMMU_OP_TLBI_EL2_ASID, SMMU_OP_TLBI_EL2_VA,
        SMMU_OP_TLBI_EL2_VAA, SMMU_OP_TLBI_EL3_ALL, SMMU_OP_TLBI_EL3_VA,
        SMMU_OP_TLBI_S12_VMALL, SMMU_OP_TLBI_S2_IPA, SMMU_OP_ATC_INV,
        SMMU_OP_PRI_RESP, SMMU_OP_RESUME, SMMU_OP_STALL_TERM,
        SMMU_OP_CFGI_VMS_PIDM, 0x00, 0xff,
    };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(ops); i++ )
    {
        struct env *e = *state;
        uint32_t cons;

        g_submit(&e->g, cmd_op(ops[i]), 0);
        cons = g_cons(&e->g);
        assert_int_equal(cons_err(cons), SMMU_CERROR_ILL);
        /* Nothing reached the physical SMMU. */
        assert_int_equal(e->phys[0].nr_cmds, 0);
        h_write32(e->h, SMMU_CR0, 0);
        h_write32(e->h, SMMU_GERRORN, h_read32(e->h, SMMU_GERROR));
        h_write32(e->h, SMMU_CMDQ_CONS, e->g.prod);
        h_write32(e->h, SMMU_CR0, 0xd);
    }
}

/* S4.3: SSec=1 on a configuration command is illegal. */
static void test_ssec_illegal(void **state)
{
    static const unsigned int ops[] = {
        SMMU_OP_PREFETCH_CONFIG, SMMU_OP_PREFETCH_ADDR, SMMU_OP_CFGI_STE,
        SMMU_OP_CFGI_STE_RANGE, SMMU_OP_CFGI_CD, SMMU_OP_CFGI_CD_ALL,
    };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(ops); i++ )
    {
        struct env *e = *state;

        g_submit(&e->g, cmd_op(ops[i]) | SMMU_CMD0_SSEC, 0);
        assert_int_equal(cons_err(g_cons(&e->g)), SMMU_CERROR_ILL);
        h_write32(e->h, SMMU_CR0, 0);
        h_write32(e->h, SMMU_GERRORN, h_read32(e->h, SMMU_GERROR));
        h_write32(e->h, SMMU_CMDQ_CONS, e->g.prod);
        h_write32(e->h, SMMU_CR0, 0xd);
    }
}

/* S4.5: CMD_SYNC with CS = none, IRQ, SEV completes; 0b11 is illegal. */
static void test_cmd_sync_cs_variants(void **state)
{
    struct env *e = *state;
    unsigned int cs;

    for ( cs = 0; cs < 3; cs++ )
    {
        g_submit(&e->g, cmd_op(SMMU_OP_CMD_SYNC) |
                        SMMU_FIELD_PREP(SMMU_CMD0_SYNC_CS, cs), 0);
        assert_int_equal(g_cons(&e->g), e->g.prod);
    }
    g_submit(&e->g, cmd_op(SMMU_OP_CMD_SYNC) |
                    SMMU_FIELD_PREP(SMMU_CMD0_SYNC_CS, 3), 0);
    assert_int_equal(cons_err(g_cons(&e->g)), SMMU_CERROR_ILL);
}

/* S4.5, S3.3: CS=SIG_IRQ writes MSIData to MSIAddr only with IDR0.MSI. */
static void test_cmd_sync_msi_write(void **state)
{
    struct env *e = *state;
    bool msi = h_read32(e->h, SMMU_IDR0) & SMMU_IDR0_MSI;
    paddr_t slot = H_RAM_BASE + 0x5000;

    emul_ram_write64(e->h->d, slot, 0xffffffffffffffffULL);
    g_submit(&e->g, cmd_op(SMMU_OP_CMD_SYNC) |
                    SMMU_FIELD_PREP(SMMU_CMD0_SYNC_CS, SMMU_SYNC_CS_IRQ) |
                    SMMU_FIELD_PREP(SMMU_CMD0_SYNC_MSIDATA, 0x1234abcd),
             slot);
    assert_int_equal(g_cons(&e->g), e->g.prod);
    /* Exactly 32 bits written, and only with MSIs advertised. */
    assert_int_equal(emul_ram_read64(e->h->d, slot),
                     msi ? 0xffffffff1234abcdULL : 0xffffffffffffffffULL);
}

/* S4.5: a failed MSI write raises MSI_CMDQ_ABT_ERR; the sync completes. */
static void test_cmd_sync_msi_abort(void **state)
{
    struct env *e = *state;
    bool msi = h_read32(e->h, SMMU_IDR0) & SMMU_IDR0_MSI;

    g_submit(&e->g, cmd_op(SMMU_OP_CMD_SYNC) |
                    SMMU_FIELD_PREP(SMMU_CMD0_SYNC_CS, SMMU_SYNC_CS_IRQ),
             0x8000000);                         /* not RAM */
    assert_int_equal(g_cons(&e->g), e->g.prod);
    assert_int_equal(!!((h_read32(e->h, SMMU_GERROR) ^
                         h_read32(e->h, SMMU_GERRORN)) &
                        SMMU_GERROR_MSI_CMDQ_ABT_ERR), msi);
    assert_false(cmdq_err_active(e->h));
}

/*
 * S4.5, IHI 0070 4.7.3: with SIG_IRQ, MSIData is written to MSIAddress "if
 * MSIAddress is non-zero".  MSIAddress 0 asks for no write, even with guest
 * RAM at IPA 0 where one would land.
 */
static void test_cmd_sync_msi_addr_zero_no_write(void **state)
{
    struct env *e = *state;

    assert_int_equal(emul_ram_add(e->h->d, 0, 0x1000), 0);
    emul_ram_write64(e->h->d, 0, 0xffffffffffffffffULL);
    g_submit(&e->g, cmd_op(SMMU_OP_CMD_SYNC) |
                    SMMU_FIELD_PREP(SMMU_CMD0_SYNC_CS, SMMU_SYNC_CS_IRQ) |
                    SMMU_FIELD_PREP(SMMU_CMD0_SYNC_MSIDATA, 0x1234abcd),
             0);
    assert_int_equal(g_cons(&e->g), e->g.prod);
    assert_int_equal(emul_ram_read64(e->h->d, 0), 0xffffffffffffffffULL);
    assert_false((h_read32(e->h, SMMU_GERROR) ^ h_read32(e->h, SMMU_GERRORN)) &
                 SMMU_GERROR_MSI_CMDQ_ABT_ERR);
}

/*
 * S4.5, IHI 0070 4.7.3: MSIAddress 0 with no RAM there is no write that
 * aborts either: no MSI_CMDQ_ABT_ERR.
 */
static void test_cmd_sync_msi_addr_zero_no_abort(void **state)
{
    struct env *e = *state;

    g_submit(&e->g, cmd_op(SMMU_OP_CMD_SYNC) |
                    SMMU_FIELD_PREP(SMMU_CMD0_SYNC_CS, SMMU_SYNC_CS_IRQ), 0);
    assert_int_equal(g_cons(&e->g), e->g.prod);
    assert_false((h_read32(e->h, SMMU_GERROR) ^ h_read32(e->h, SMMU_GERRORN)) &
                 SMMU_GERROR_MSI_CMDQ_ABT_ERR);
}

/* S4.2: the queue wraps; CONS carries the wrap bit. */
static void test_queue_wrap(void **state)
{
    struct env *e = *state;
    unsigned int round, i;

    for ( round = 0; round < 5; round++ )
    {
        for ( i = 0; i < 200; i++ )
            g_cmd(&e->g, cmd_op(SMMU_OP_PREFETCH_CONFIG), 0);
        g_publish(&e->g);
        g_drain_deferred();
        assert_int_equal(g_cons(&e->g), e->g.prod);
    }
    /* 1000 commands through a 256-entry queue: wrapped several times. */
    assert_int_equal(e->g.prod, 1000 % 512);
    assert_int_equal(e->h->vs->stats.cmds, 1000);
}

/* S4.2: PROD beyond the queue is masked; nothing outside it is read. */
static void test_prod_beyond_queue(void **state)
{
    struct env *e = *state;
    struct emul_mem_stats before, after;

    /* Poison the RAM after the 256-entry queue: it must never be read. */
    memset(emul_ram_ptr(e->h->d, H_CMDQ_BASE + 256 * SMMU_CMD_SIZE, 0x1000),
           0xff, 0x1000);
    emul_mem_stats(e->h->d, &before);
    h_write32(e->h, SMMU_CMDQ_PROD, 0xfffff000 | 4);
    g_drain_deferred();
    emul_mem_stats(e->h->d, &after);
    /* The guest queue was zero: four illegal 0x00 commands at most. */
    assert_int_equal(cons_ptr(g_cons(&e->g)), 0);
    assert_int_equal(h_read32(e->h, SMMU_CMDQ_PROD), 4);
    assert_true(after.bytes - before.bytes <= 4 * SMMU_CMD_SIZE);
}

/* S4.2: a full queue (indexes equal, wraps differ) is consumed whole. */
static void test_full_queue(void **state)
{
    struct env *e = *state;
    unsigned int i;

    for ( i = 0; i < 256; i++ )
        g_cmd(&e->g, cmd_op(SMMU_OP_PREFETCH_CONFIG), 0);
    assert_int_equal(e->g.prod, 256);           /* idx 0, wrap 1 */
    g_publish(&e->g);
    g_drain_deferred();
    assert_int_equal(g_cons(&e->g), 256);
}

/*
 * S4.4, S7.4: an error stops consumption at the failing command; after the
 * guest rewrites it and acknowledges through GERRORN, consumption resumes
 * without any PROD write, and the rest completes.
 */
static void test_resume_after_gerrorn_without_prod(void **state)
{
    struct env *e = *state;
    uint32_t cons, prod_writes_before;

    g_cmd(&e->g, cmd_op(SMMU_OP_TLBI_NH_ALL), 0);
    g_cmd(&e->g, cmd_op(SMMU_OP_ATC_INV), 0);               /* illegal */
    g_cmd(&e->g, cmd_op(SMMU_OP_TLBI_NH_ASID), 0);
    g_cmd_sync(&e->g);
    g_publish(&e->g);
    g_drain_deferred();
    cons = g_cons(&e->g);
    assert_int_equal(cons_ptr(cons), 1);
    assert_int_equal(cons_err(cons), SMMU_CERROR_ILL);
    assert_true(emul_vgic_level(e->h->d, H_GERROR_VIRQ));
    /* Stalled: more PROD-less polling does not move it. */
    assert_int_equal(cons_ptr(g_cons(&e->g)), 1);

    emul_ram_write64(e->h->d, H_CMDQ_BASE + 1 * SMMU_CMD_SIZE,
                     cmd_op(SMMU_OP_CMD_SYNC));
    prod_writes_before = h_read32(e->h, SMMU_CMDQ_PROD);
    h_write32(e->h, SMMU_GERRORN, h_read32(e->h, SMMU_GERROR));
    assert_int_equal(h_read32(e->h, SMMU_CMDQ_PROD), prod_writes_before);
    /*
     * Consumed to the end in the GERRORN trap itself.  Looked at without a
     * CONS read, which would continue the work by itself: a guest polling
     * its CMD_SYNC in memory (MSI) never reads CONS.
     */
    assert_int_equal(cons_ptr(e->h->vs->cmdq.cons), 4);
    assert_int_equal(e->phys[0].nr_cmds, 2);
    assert_int_equal(cons_ptr(h_read32(e->h, SMMU_CMDQ_CONS)), 4);
    assert_false(emul_vgic_level(e->h->d, H_GERROR_VIRQ));
    /* CONS.ERR keeps the last error (it is not cleared by the ack). */
    assert_int_equal(cons_err(g_cons(&e->g)), SMMU_CERROR_ILL);
    /* Both TLBIs reached the SMMU and were synced. */
    assert_int_equal(e->phys[0].nr_cmds, 2);
    assert_true(e->phys[0].syncs >= 1);
}

/* S4.4, S8.3: a queue in a hole of guest RAM is CERROR_ABT. */
static void test_fetch_abort(void **state)
{
    struct env *e = *state;
    uint32_t cons;

    assert_int_equal(emul_ram_punch_hole(e->h->d, H_CMDQ_BASE, PAGE_SIZE), 0);
    g_submit(&e->g, cmd_op(SMMU_OP_TLBI_NH_ALL), 0);
    cons = g_cons(&e->g);
    assert_int_equal(cons_ptr(cons), 0);
    assert_int_equal(cons_err(cons), SMMU_CERROR_ABT);
    assert_true(cmdq_err_active(e->h));
}

/* S4.4: a queue base outside guest RAM altogether: CERROR_ABT. */
static void test_queue_base_outside_ram(void **state)
{
    struct env *e = *state;

    h_write32(e->h, SMMU_CR0, SMMU_CR0_SMMUEN | SMMU_CR0_EVENTQEN);
    h_write64(e->h, SMMU_CMDQ_BASE, 0x0f00000000ULL | 8);
    h_write32(e->h, SMMU_CR0, 0xd);
    h_write32(e->h, SMMU_CMDQ_PROD, 1);
    assert_int_equal(cons_err(g_cons(&e->g)), SMMU_CERROR_ABT);
}

/* S4.1: nothing is consumed while CMDQEN=0; CMDQEN 0->1 starts it. */
static void test_cmdqen_gates_and_starts(void **state)
{
    struct env *e = *state;

    h_write32(e->h, SMMU_CR0, SMMU_CR0_SMMUEN | SMMU_CR0_EVENTQEN);
    g_cmd(&e->g, cmd_op(SMMU_OP_TLBI_NH_ALL), 0);
    g_publish(&e->g);
    g_drain_deferred();
    assert_int_equal(g_cons(&e->g), 0);
    h_write32(e->h, SMMU_CR0, 0xd);
    assert_int_equal(g_cons(&e->g), 1);
}

/*
 * S8.2, S4.1: a queue full of commands is consumed in budget-sized steps,
 * CONS moving forward monotonically; the total is right.
 */
static void test_budget_bounds_each_step(void **state)
{
    struct env *e = *state;
    unsigned int budget = e->h->vs->cmdq_budget, i, steps = 0;
    uint32_t last = 0;
    unsigned long cmds;

    for ( i = 0; i < 256; i++ )
        g_cmd(&e->g, cmd_op(SMMU_OP_PREFETCH_CONFIG), 0);
    g_publish(&e->g);
    /* The PROD write consumed one budget and deferred the rest. */
    assert_int_equal(e->h->vs->stats.cmds, budget);
    assert_int_equal(emul_timers_armed(), 1);
    cmds = e->h->vs->stats.cmds;
    while ( emul_run_deferred(1) )
    {
        unsigned long now = e->h->vs->stats.cmds;

        assert_true(now - cmds <= budget);
        assert_true(now > cmds);
        cmds = now;
        steps++;
        /* CONS, read without the harness's kick, moves forward only. */
        assert_true(e->h->vs->cmdq.cons >= last);
        last = e->h->vs->cmdq.cons;
    }
    assert_int_equal(steps, 256 / budget - 1);
    assert_int_equal(g_cons(&e->g), 256);
}

/*
 * S8.2: deferred runs, on time no domain pays for, are paced while a
 * backlog lasts: the first is immediate, each later one a period after the
 * previous, one budget each; guest traps in between do their own budget
 * and never bring the next deferred run forward.
 */
static void test_deferred_runs_paced(void **state)
{
    struct env *e = *state;
    struct vsmmuv3 *vs = e->h->vs;
    unsigned int budget = vs->cmdq_budget, i;
    s_time_t period = vs->cmdq_defer_period, next;

    for ( i = 0; i < 5 * budget; i++ )
        g_cmd(&e->g, cmd_op(SMMU_OP_PREFETCH_CONFIG), 0);
    g_publish(&e->g);
    assert_int_equal(vs->stats.cmds, budget);

    /* The first deferred run is due at once. */
    assert_true(emul_timer_next(&next));
    assert_true(next <= NOW());
    assert_int_equal(emul_run_timers(8), 1);
    assert_int_equal(vs->stats.cmds, 2 * budget);

    /* The backlog outlasted it: nothing more is due before a period. */
    assert_true(emul_timer_next(&next));
    assert_true(next == NOW() + period);
    emul_clock_advance(period - 1);
    assert_int_equal(emul_run_timers(8), 0);
    assert_int_equal(vs->stats.cmds, 2 * budget);

    /* A PROD write meanwhile consumes its budget, paid by the guest... */
    g_publish(&e->g);
    assert_int_equal(vs->stats.cmds, 3 * budget);
    /* ...and leaves the deferred run where it was. */
    assert_int_equal(emul_timers_armed(), 1);
    assert_true(emul_timer_next(&next));
    assert_true(next == NOW() + 1);
    assert_int_equal(emul_run_timers(8), 0);

    emul_clock_advance(1);
    assert_int_equal(emul_run_timers(8), 1);
    assert_int_equal(vs->stats.cmds, 4 * budget);
    emul_clock_advance(period);
    assert_int_equal(emul_run_timers(8), 1);
    assert_int_equal(g_cons(&e->g), 5 * budget);
    assert_int_equal(emul_timers_armed(), 0);
    assert_int_equal(vs->stats.deferred_runs, 3);
}

/*
 * S8.2, S7.5: pacing never delays Linux's doorbells (64 commands and a
 * CMD_SYNC, one budget plus one command), back to back on the same clock:
 * every CMD_SYNC completes in one immediate deferred run.
 */
static void test_doorbells_not_paced(void **state)
{
    struct env *e = *state;
    struct vsmmuv3 *vs = e->h->vs;
    unsigned int budget = vs->cmdq_budget, i, round;
    uint32_t prod;

    for ( round = 0; round < 8; round++ )
    {
        for ( i = 0; i < budget; i++ )
            g_cmd(&e->g, cmd_op(SMMU_OP_TLBI_NH_ASID), 0);
        g_cmd_sync(&e->g);
        prod = e->g.prod;
        g_publish(&e->g);
        assert_int_equal(emul_run_timers(8), 1);
        assert_int_equal(vs->cmdq.cons, prod);
    }
    assert_int_equal(vs->stats.deferred_paced, 0);
    assert_int_equal(vs->stats.deferred_runs, 8);
}

/* A deferred run left armed at teardown never fires after the vSMMU died. */
static void test_deferred_run_killed(void **state)
{
    struct env *e = *state;
    unsigned int i;

    for ( i = 0; i < 3 * e->h->vs->cmdq_budget; i++ )
        g_cmd(&e->g, cmd_op(SMMU_OP_PREFETCH_CONFIG), 0);
    g_publish(&e->g);
    assert_int_equal(emul_timers_armed(), 1);
    vsmmuv3_relinquish(e->h->vs);
    assert_int_equal(emul_timers_armed(), 0);
    emul_clock_advance(SECONDS(1));
    assert_int_equal(emul_run_deferred(8), 0);
}

/* S4.1: a CONS read continues pending work, one budget per read. */
static void test_cons_read_continues(void **state)
{
    struct env *e = *state;
    unsigned int budget = e->h->vs->cmdq_budget, i;

    for ( i = 0; i < 3 * budget; i++ )
        g_cmd(&e->g, cmd_op(SMMU_OP_PREFETCH_CONFIG), 0);
    g_publish(&e->g);
    assert_int_equal(h_read32(e->h, SMMU_CMDQ_CONS), 2 * budget);
    assert_int_equal(h_read32(e->h, SMMU_CMDQ_CONS), 3 * budget);
}

/* S8.2: a 2^19-entry queue full of commands, one budget per trap. */
static void test_max_queue_bounded(void **state)
{
    struct fake_phys *phys = calloc(1, sizeof(*phys));
    struct vsmmuv3_backend be = fake_backend(phys, 9, true);
    struct vsmmuv3_params p;
    struct harness *h;
    struct guest g;
    const unsigned int n = 1U << 19;
    unsigned long before, runs;
    unsigned int i;
    uint64_t *q;

    harness_default_params(&p);
    p.cmdqs = 19;
    p.nr_backends = 1;
    p.backends = &be;
    h = harness_create(&p);
    assert_int_equal(emul_ram_add(h->d, 0x80000000ULL, 16ULL << 20), 0);
    g_reset(&g, h, 8, 4, 4, true);
    h_write32(h, SMMU_CR0, SMMU_CR0_SMMUEN);
    h_write64(h, SMMU_CMDQ_BASE, 0x80000000ULL | 19);
    h_write32(h, SMMU_CR0, 0xd);
    q = emul_ram_ptr(h->d, 0x80000000ULL, (size_t)n * SMMU_CMD_SIZE);
    for ( i = 0; i < n; i++ )
    {
        q[2 * i] = cmd_op(SMMU_OP_TLBI_NH_ASID) |
                   SMMU_FIELD_PREP(SMMU_CMD0_TLBI_ASID, i & 0xffff);
        q[2 * i + 1] = 0;
    }
    before = h->vs->stats.cmds;
    h_write32(h, SMMU_CMDQ_PROD, n);            /* full: wrap set, idx 0 */
    assert_int_equal(h->vs->stats.cmds - before, h->vs->cmdq_budget);
    runs = g_drain_deferred();
    assert_int_equal(runs, n / h->vs->cmdq_budget - 1);
    assert_int_equal(h_read32(h, SMMU_CMDQ_CONS), n);
    harness_destroy(h);
    free(phys);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, env_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_every_opcode),
        T(test_deferred_runs_paced),
        T(test_doorbells_not_paced),
        T(test_deferred_run_killed),
        T(test_illegal_families),
        T(test_ssec_illegal),
        T(test_cmd_sync_cs_variants),
        T(test_cmd_sync_msi_write),
        T(test_cmd_sync_msi_abort),
        T(test_cmd_sync_msi_addr_zero_no_write),
        T(test_cmd_sync_msi_addr_zero_no_abort),
        T(test_queue_wrap),
        T(test_prod_beyond_queue),
        T(test_full_queue),
        T(test_resume_after_gerrorn_without_prod),
        T(test_fetch_abort),
        T(test_queue_base_outside_ram),
        T(test_cmdqen_gates_and_starts),
        T(test_budget_bounds_each_step),
        T(test_cons_read_continues),
        cmocka_unit_test(test_max_queue_bounded),
    };

    return cmocka_run_group_tests_name("command queue", tests, NULL, NULL);
}
