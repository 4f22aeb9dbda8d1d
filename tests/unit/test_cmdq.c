/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Command queue consumer (SPEC-NOTES section 4, S7.4, S8.2): every opcode
 * with its CONS/ERR/GERROR outcome, CMD_SYNC variants, wrap, PROD beyond
 * the queue, the error/acknowledge/resume protocol, fetch aborts, and the
 * budget that bounds the work of one trap.
 */
#include <stdio.h>

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
    return MASK_EXTR(cons, SMMU_CMDQ_CONS_ERR);
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
                        MASK_INSR(cs, SMMU_CMD0_SYNC_CS), 0);
        assert_int_equal(g_cons(&e->g), e->g.prod);
    }
    g_submit(&e->g, cmd_op(SMMU_OP_CMD_SYNC) |
                    MASK_INSR(3, SMMU_CMD0_SYNC_CS), 0);
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
                    MASK_INSR(SMMU_SYNC_CS_IRQ, SMMU_CMD0_SYNC_CS) |
                    MASK_INSR(0x1234abcd, SMMU_CMD0_SYNC_MSIDATA),
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
                    MASK_INSR(SMMU_SYNC_CS_IRQ, SMMU_CMD0_SYNC_CS),
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
                    MASK_INSR(SMMU_SYNC_CS_IRQ, SMMU_CMD0_SYNC_CS) |
                    MASK_INSR(0x1234abcd, SMMU_CMD0_SYNC_MSIDATA),
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
                    MASK_INSR(SMMU_SYNC_CS_IRQ, SMMU_CMD0_SYNC_CS), 0);
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
        g_drain(e->h);
        assert_int_equal(g_cons(&e->g), e->g.prod);
    }
    /* 1000 commands through a 256-entry queue: wrapped several times. */
    assert_int_equal(e->g.prod, 1000 % 512);
    assert_int_equal(e->h->vs->stats.cmds, 1000);
}

/* The debug key's report (vsmmuv3_dump()) shows the counters as they are. */
static void test_dump_shows_counters(void **state)
{
    struct env *e = *state;
    struct vsmmuv3 *vs = e->h->vs;
    char line[160];
    unsigned int i;

    for ( i = 0; i < 200; i++ )
        g_cmd(&e->g, cmd_op(SMMU_OP_PREFETCH_CONFIG), 0);
    g_publish(&e->g);
    g_drain(e->h);
    g_submit(&e->g, cmd_op(0x7f), 0);           /* an illegal opcode */
    assert_int_equal(vs->stats.cmds, 200);
    assert_int_equal(vs->stats.cmd_errors, 1);

    emul_log_clear();
    vsmmuv3_dump(vs);
    assert_int_equal(emul_log_total(), 6);
    assert_int_equal(emul_log_count("commands 200, errors 1; steps "), 1);
    snprintf(line, sizeof(line),
             "CMDQ prod %#x cons %#x, EVTQ prod %#x cons %#x",
             vs->cmdq.prod, vs->cmdq.cons, vs->evtq.prod, vs->evtq.cons);
    assert_int_equal(emul_log_count(line), 1);
    snprintf(line, sizeof(line), "steps %lu, continuations %lu, "
             "largest step %lu work units", vs->stats.steps,
             vs->stats.continuations, vs->stats.max_step_work);
    assert_int_equal(emul_log_count(line), 1);
    snprintf(line, sizeof(line), "physical: commands %lu, syncs %lu, "
             "errors %lu", vs->stats.phys_cmds, vs->stats.phys_syncs,
             vs->stats.phys_errors);
    assert_int_equal(emul_log_count(line), 1);
    snprintf(line, sizeof(line), "GERROR active %#x, %u streams",
             vs->gerror ^ vs->gerrorn, vs->nr_streams);
    assert_int_equal(emul_log_count(line), 1);
    assert_int_equal(emul_log_count("GERROR active 0x1,"), 1);
    assert_int_equal(emul_log_count("events: written 0, lost 0"), 1);
    assert_int_equal(emul_log_count("restores 0, streams left aborting 0"), 1);
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
    g_drain(e->h);
    emul_mem_stats(e->h->d, &after);
    /* The guest queue was zero: four illegal 0x00 commands at most. */
    assert_int_equal(cons_ptr(g_cons(&e->g)), 0);
    assert_int_equal(h_read32(e->h, SMMU_CMDQ_PROD), 4);
    assert_true(after.bytes - before.bytes <= 4 * SMMU_CMD_SIZE);
}

/*
 * S4.1, S4.2: a PROD written back behind CONS makes a queue that holds
 * more than its size, which cannot be: nothing is consumed, CONS never
 * passes PROD, and no stale entry is read.  A later PROD ahead of CONS
 * resumes consumption where it was.
 */
static void test_prod_backwards(void **state)
{
    struct env *e = *state;
    struct emul_mem_stats before, after;
    unsigned long cmds;
    unsigned int i;

    for ( i = 0; i < 10; i++ )
        g_cmd(&e->g, cmd_op(SMMU_OP_PREFETCH_CONFIG), 0);
    g_publish(&e->g);
    g_drain(e->h);
    assert_int_equal(g_cons(&e->g), 10);
    cmds = e->h->vs->stats.cmds;

    emul_mem_stats(e->h->d, &before);
    h_write32(e->h, SMMU_CMDQ_PROD, 3);
    g_drain(e->h);
    emul_mem_stats(e->h->d, &after);
    assert_int_equal(g_cons(&e->g), 10);
    assert_int_equal(e->h->vs->stats.cmds, cmds);
    assert_int_equal(after.reads, before.reads);
    assert_int_equal(h_read32(e->h, SMMU_GERROR), 0);

    /* PROD ahead again: the two new commands, from CONS on. */
    g_cmd(&e->g, cmd_op(SMMU_OP_PREFETCH_CONFIG), 0);
    g_cmd(&e->g, cmd_op(SMMU_OP_PREFETCH_CONFIG), 0);
    g_publish(&e->g);
    g_drain(e->h);
    assert_int_equal(g_cons(&e->g), 12);
    assert_int_equal(e->h->vs->stats.cmds, cmds + 2);
    assert_int_equal(h_read32(e->h, SMMU_GERROR), 0);
}

/*
 * S4.1: PROD pulled back over a command whose work spans steps: the queue
 * no longer holds it, it is dropped, and CONS does not move past PROD.
 */
static void test_prod_backwards_over_active(void **state)
{
    struct env_stream s[40];
    struct env *e;
    unsigned int i;
    uint32_t cons;

    for ( i = 0; i < ARRAY_SIZE(s); i++ )
        s[i] = (struct env_stream){ .vsid = i, .backend = 0,
                                    .psid = 0x100 + i };
    e = env_create(1, true, 8, s, ARRAY_SIZE(s));
    for ( i = 0; i < ARRAY_SIZE(s); i++ )
        g_write_s1_ste(&e->g, i, H_CD_BASE);
    emul_auto_return(false);
    g_cmd(&e->g, cmd_op(SMMU_OP_CFGI_STE_RANGE), SMMU_CFGI_RANGE_ALL);
    g_publish(&e->g);
    assert_true(e->h->vs->cmd_active);
    cons = e->h->vs->cmdq.cons;
    h_write32(e->h, SMMU_CMDQ_PROD, cons);
    assert_false(e->h->vs->cmd_active);
    g_drain(e->h);
    emul_auto_return(true);
    assert_int_equal(g_cons(&e->g), cons);
    assert_int_equal(h_read32(e->h, SMMU_CMDQ_PROD), cons);
    *state = e;
    env_teardown(state);
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
    g_drain(e->h);
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
    g_drain(e->h);
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
    g_drain(e->h);
    assert_int_equal(g_cons(&e->g), 0);
    h_write32(e->h, SMMU_CR0, 0xd);
    assert_int_equal(g_cons(&e->g), 1);
}

/* Commands of the guest queue by their cost. */
static void cheap(struct guest *g, unsigned int n)
{
    while ( n-- )
        g_cmd(g, cmd_op(SMMU_OP_PREFETCH_CONFIG), 0);
}

static void cfgi_all(struct guest *g, unsigned int n)
{
    while ( n-- )
        g_cmd(g, cmd_op(SMMU_OP_CFGI_STE_RANGE), SMMU_CFGI_RANGE_ALL);
}

/* A CMD_SYNC that signals by writing @data to @slot, as Linux polls it. */
static void msi_sync(struct guest *g, paddr_t slot, uint32_t data)
{
    g_cmd(g, cmd_op(SMMU_OP_CMD_SYNC) |
             MASK_INSR(SMMU_SYNC_CS_IRQ, SMMU_CMD0_SYNC_CS) |
             MASK_INSR(data, SMMU_CMD0_SYNC_MSIDATA),
          slot & SMMU_CMD1_SYNC_MSIADDR);
}

/*
 * A vSMMU fronting one fake physical SMMU with @nr nested streams (vSID i,
 * pSID 0x100 + i), each with an S1 STE, SMMUEN=1, a 2^@cmdq_log2-entry
 * queue and a 2^@strtab_log2-entry linear stream table; @step_work units
 * per step (0: the default).
 */
struct big {
    struct fake_phys *phys;
    struct harness *h;
    struct guest g;
};

static void big_create_ril(struct big *b, unsigned int nr, unsigned int max,
                           unsigned int cmdq_log2, unsigned int strtab_log2,
                           unsigned int step_work, bool ril)
{
    struct vsmmuv3_backend be;
    struct vsmmuv3_params p;
    unsigned int i;

    b->phys = calloc(1, sizeof(*b->phys));
    be = fake_backend(b->phys, 0x71, ril);
    harness_default_params(&p);
    p.nr_backends = 1;
    p.backends = &be;
    p.max_streams = max;
    p.cmdqs = cmdq_log2 > p.cmdqs ? cmdq_log2 : p.cmdqs;
    if ( step_work )
        p.step_work = step_work;
    b->h = harness_create(&p);
    for ( i = 0; i < nr; i++ )
        assert_int_equal(vsmmuv3_add_stream(b->h->vs, i, 0, 0x100 + i), 0);
    g_reset(&b->g, b->h, cmdq_log2, 8, strtab_log2, false);
    for ( i = 0; i < nr; i++ )
        g_write_s1_ste(&b->g, i, H_CD_BASE);
    h_write32(b->h, SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN |
                              SMMU_CR0_SMMUEN);
    assert_int_equal(h_read32(b->h, SMMU_CR0ACK), 0xd);
}

static void big_create(struct big *b, unsigned int nr, unsigned int max,
                       unsigned int cmdq_log2, unsigned int strtab_log2,
                       unsigned int step_work)
{
    big_create_ril(b, nr, max, cmdq_log2, strtab_log2, step_work, true);
}

static void big_destroy(struct big *b)
{
    emul_auto_return(true);
    harness_destroy(b->h);
    free(b->phys);
}

/* @n TLBI_NH_ASIDs: two units each with one physical SMMU. */
static void tlbis(struct guest *g, unsigned int n)
{
    while ( n-- )
        g_cmd(g, cmd_op(SMMU_OP_TLBI_NH_ASID) |
                 MASK_INSR(n & 0xff, SMMU_CMD0_TLBI_ASID), 0);
}

/*
 * S8.7, S8.8: a queue of 1000 TLBIs is consumed in steps of at most
 * step_work units: one in the PROD trap, the rest in that vCPU's
 * continuations on its way back to the guest.  CONS moves forward only,
 * and the vCPU is done when the queue is.
 */
static void test_steps_drain_the_queue(void **state)
{
    struct big b;
    struct vsmmuv3 *vs;
    unsigned int steps = 0;
    uint32_t last;

    big_create(&b, 0, 1, 10, 8, 0);
    vs = b.h->vs;
    emul_auto_return(false);
    tlbis(&b.g, 1000);
    g_publish(&b.g);
    last = vs->cmdq.cons;
    assert_true(last > 0 && last < 1000);
    while ( emul_vcpu_continue(b.h->v) )
    {
        /* CONS, read without a trap, moves forward only. */
        assert_true(vs->cmdq.cons > last);
        last = vs->cmdq.cons;
        steps++;
    }
    assert_int_equal(g_cons(&b.g), 1000);
    /* Two units a command, a fetch every 64: at least 4 steps in all. */
    assert_true(steps + 1 >= 2000 / vs->step_work);
    assert_true(vs->stats.max_step_work <= vs->step_work);
    /* Done: no vCPU has work any more. */
    assert_int_equal(emul_vcpus_continue(b.h->d, 100), 0);
    big_destroy(&b);
}

/*
 * S8.7, S7.5: Linux's doorbell, 64 x TLBI_NH_VA and a CMD_SYNC, and the
 * same with range TLBIs, completes in its own trap with the default bound:
 * no continuation, no work left for later.  100 doorbells in a row.
 */
static void test_linux_doorbell_in_its_trap(void **state)
{
    struct env *e = *state;
    struct vsmmuv3 *vs = e->h->vs;
    unsigned int round, i;
    uint64_t c[2];

    emul_auto_return(false);
    for ( round = 0; round < 100; round++ )
    {
        for ( i = 0; i < 64; i++ )
        {
            if ( round & 1 )
                cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VA, 3, 0x100000 * i, true,
                            1, 3, 3, 0);
            else
                cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VA, 3, 0x1000 * i, true,
                            0, 0, 0, 0);
            g_cmd(&e->g, c[0], c[1]);
        }
        msi_sync(&e->g, H_CMDQ_BASE + 0x80000, round);
        g_publish(&e->g);
        assert_int_equal(vs->cmdq.cons, e->g.prod);
        assert_int_equal(emul_ram_read32(e->h->d, H_CMDQ_BASE + 0x80000),
                         round);
    }
    assert_int_equal(vs->stats.continuations, 0);
    assert_int_equal(emul_vcpus_continue(e->h->d, 100), 0);
    assert_int_equal(e->phys[0].nr_cmds, 64 * 100);
    emul_auto_return(true);
}

/*
 * S8.7, S8.2: the doorbell attack on a paced timer.  Each doorbell
 * publishes 64 cheap commands then 64 CFGI_ALLs over 64 nested streams and
 * a CMD_SYNC polled by MSI in memory; the clock never moves.  All of the
 * work is done in the guest's own steps: no guest memory is touched outside
 * a trap or a continuation of the vCPU that rang, no timer is armed, and
 * every step stays within its bound.
 */
static void test_doorbell_attack_charged(void **state)
{
    struct big b;
    struct step_meter m;
    struct emul_mem_stats st;
    unsigned int round;
    paddr_t slot = H_CMDQ_BASE + 0x80000;

    big_create(&b, 64, 64, 10, 8, 0);
    step_meter_start(&m, b.h, b.phys, 1);
    for ( round = 0; round < 100; round++ )
    {
        cheap(&b.g, 64);
        cfgi_all(&b.g, 64);
        msi_sync(&b.g, slot, round + 1);
        g_publish(&b.g);
        /* Back in the guest: its CMD_SYNC has completed, no trap needed. */
        assert_int_equal(emul_ram_read32(b.h->d, slot), round + 1);
        assert_int_equal(b.h->vs->cmdq.cons, b.g.prod);
        assert_int_equal(emul_timers_armed(), 0);
    }
    step_meter_stop(&m);
    emul_mem_stats(b.h->d, &st);
    assert_int_equal(st.no_vcpu, 0);
    assert_int_equal(m.traps, 100);
    /* 64 CFGI_ALLs of 64 streams each cannot fit in one step. */
    assert_true(m.continuations >= 100);
    assert_int_equal(m.over, 0);
    assert_true(m.max_work <= b.h->vs->step_work);
    assert_true(b.h->vs->stats.max_step_work <= b.h->vs->step_work);
    print_message("100 doorbells: %lu continuation steps, costliest step "
                  "%lu units (bound %u)\n", m.continuations, m.max_work,
                  b.h->vs->step_work);
    big_destroy(&b);
}

/*
 * S8.8: alternating cheap and expensive commands never exceed the bound of
 * a step, whatever the mix, the stream count or the physical SMMU (no RIL:
 * range TLBIs become many physical commands).
 */
static void test_mixes_within_bound(void **state)
{
    static const unsigned int streams[] = { 0, 1, 64, 512 };
    struct big b;
    struct step_meter m;
    unsigned int s, i;
    uint64_t c[2];

    for ( s = 0; s < ARRAY_SIZE(streams); s++ )
    {
        /* A physical SMMU without range invalidation. */
        big_create_ril(&b, streams[s], 512, 10, 10, 0, false);
        step_meter_start(&m, b.h, b.phys, 1);
        for ( i = 0; i < 600; i++ )
        {
            switch ( i % 6 )
            {
            case 0:
                cheap(&b.g, 1);
                break;
            case 1:
                cfgi_all(&b.g, 1);
                break;
            case 2:
                cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VA, 1, 0x10000, true, 1, 3,
                            31, 0);
                g_cmd(&b.g, c[0], c[1]);
                break;
            case 3:
                g_cmd(&b.g, cmd_sid(SMMU_OP_CFGI_STE, i % 600), 0);
                break;
            case 4:
                g_cmd(&b.g, cmd_sid(SMMU_OP_CFGI_CD_ALL, i % 600), 0);
                break;
            default:
                msi_sync(&b.g, H_CMDQ_BASE + 0x80000, i);
                break;
            }
            if ( i % 150 == 149 )
                g_publish(&b.g);
        }
        step_meter_stop(&m);
        assert_int_equal(b.h->vs->cmdq.cons, b.g.prod);
        assert_int_equal(m.over, 0);
        assert_true(b.h->vs->stats.max_step_work <= b.h->vs->step_work);
        print_message("%u streams: %lu traps, %lu continuations, costliest "
                      "step %lu units\n", streams[s], m.traps,
                      m.continuations, m.max_work);
        big_destroy(&b);
    }
}

/*
 * S8.8: CFGI_ALL over the largest number of streams a vSMMU may have is
 * itself split across steps, each within its bound, and reloads every
 * stream once.
 */
static void test_cfgi_all_max_streams_split(void **state)
{
    const unsigned int n = 4096;
    struct big b;
    struct step_meter m;
    unsigned int installs;

    big_create(&b, n, n, 8, 12, 0);
    /* A new configuration for each, so that each is installed again. */
    for ( installs = 0; installs < n; installs++ )
        g_write_s1_ste(&b.g, installs, H_CD_BASE + 0x40);
    installs = b.phys->install_calls;
    step_meter_start(&m, b.h, b.phys, 1);
    cfgi_all(&b.g, 1);
    g_sync_and_wait(&b.g);
    step_meter_stop(&m);
    assert_int_equal(b.phys->install_calls - installs, n);
    assert_int_equal(m.over, 0);
    assert_true(m.continuations >= n * VSMMUV3_WORK_INSTALL /
                                   b.h->vs->step_work);
    print_message("CFGI_ALL of %u streams: %lu steps, costliest %lu units\n",
                  n, m.traps + m.continuations, m.max_work);
    big_destroy(&b);
}

/*
 * S8.8, S4.1: with the smallest step a vSMMU may have, every continuation
 * ends with the queue drained and the same guest-visible result (CONS,
 * events, GERROR, what the physical SMMU was told) as in one big step.
 */
static void run_mix(struct big *b)
{
    unsigned int i;
    uint64_t c[2];

    for ( i = 0; i < 300; i++ )
    {
        switch ( i % 7 )
        {
        case 0:
            cfgi_all(&b->g, 1);
            break;
        case 1:
            /* Alternately broken and fixed: events, then installs. */
            if ( i % 2 )
                g_write_ste(&b->g, i % 40, SMMU_STE0_V |
                            MASK_INSR(6, SMMU_STE0_CONFIG), 0);
            else
                g_write_s1_ste(&b->g, i % 40, H_CD_BASE + (i % 4) * 64);
            g_cmd(&b->g, cmd_sid(SMMU_OP_CFGI_STE, i % 40), 0);
            break;
        case 2:
            cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VA, i, 0x1000 * i, true, 0, 0, 0,
                        0);
            g_cmd(&b->g, c[0], c[1]);
            break;
        case 3:
            g_cmd(&b->g, cmd_op(SMMU_OP_CFGI_STE_RANGE) |
                         MASK_INSR(i % 32, SMMU_CMD0_SID), 3);
            break;
        case 4:
            g_cmd(&b->g, cmd_sid(SMMU_OP_CFGI_CD, i % 40), 0);
            break;
        case 5:
            msi_sync(&b->g, H_CMDQ_BASE + 0x80000, i);
            break;
        default:
            cheap(&b->g, 1);
            break;
        }
        if ( i % 50 == 49 )
            g_publish(&b->g);
    }
    g_sync_and_wait(&b->g);
}

static void test_small_steps_same_result(void **state)
{
    struct big small, large;
    uint64_t es[64][4], el[64][4];
    unsigned int ns, nl, i;

    big_create(&small, 40, 64, 10, 8, VSMMUV3_WORK_MIN);
    big_create(&large, 40, 64, 10, 8, UINT16_MAX);
    run_mix(&small);
    run_mix(&large);
    assert_true(small.h->vs->stats.continuations > 100);
    assert_int_equal(large.h->vs->stats.continuations, 0);
    assert_int_equal(g_cons(&small.g), g_cons(&large.g));
    assert_int_equal(h_read32(small.h, SMMU_GERROR),
                     h_read32(large.h, SMMU_GERROR));
    ns = g_events(&small.g, es, 64);
    nl = g_events(&large.g, el, 64);
    assert_int_equal(ns, nl);
    assert_memory_equal(es, el, ns * sizeof(es[0]));
    assert_int_equal(small.phys->nr_cmds, large.phys->nr_cmds);
    assert_memory_equal(small.phys->cmds, large.phys->cmds,
                        min(small.phys->nr_cmds, (unsigned int)FAKE_MAX_CMDS) *
                        sizeof(small.phys->cmds[0]));
    assert_int_equal(small.phys->syncs, large.phys->syncs);
    assert_int_equal(small.phys->install_calls, large.phys->install_calls);
    for ( i = 0; i < 40; i++ )
        assert_memory_equal(fake_last_install(small.phys, 0x100 + i),
                            fake_last_install(large.phys, 0x100 + i),
                            sizeof(struct fake_install));
    big_destroy(&small);
    big_destroy(&large);
}

/*
 * S8.7: a CONS read drives pending work too, one step per read, in the
 * reading vCPU's time (another vCPU than the one that rang).
 */
static void test_cons_read_continues(void **state)
{
    struct env *e = *state;
    struct vcpu *other = e->h->d->vcpu[1];
    unsigned long before;

    emul_auto_return(false);
    tlbis(&e->g, 255);
    g_publish(&e->g);
    before = e->h->vs->cmdq.cons;
    assert_true(before < 255);
    /* One step per read, in @other's trap. */
    assert_true(emul_read32(other, H_BASE + SMMU_CMDQ_CONS) > before);
    while ( emul_read32(other, H_BASE + SMMU_CMDQ_CONS) != 255 )
        continue;
    /* Both vCPUs find nothing left on their way back to the guest. */
    assert_false(emul_vcpu_continue(other));
    assert_false(emul_vcpu_continue(e->h->v));
    emul_auto_return(true);
}

/*
 * S4.1, S8.2: a 2^19-entry queue full of commands is consumed step by step
 * by the vCPU that published it.
 */
static void test_max_queue_bounded(void **state)
{
    struct fake_phys *phys = calloc(1, sizeof(*phys));
    struct vsmmuv3_backend be = fake_backend(phys, 9, true);
    struct vsmmuv3_params p;
    struct harness *h;
    struct guest g;
    const unsigned int n = 1U << 19;
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
                   MASK_INSR(i & 0xffff, SMMU_CMD0_TLBI_ASID);
        q[2 * i + 1] = 0;
    }
    h_write32(h, SMMU_CMDQ_PROD, n);            /* full: wrap set, idx 0 */
    assert_int_equal(h->vs->cmdq.cons, n);
    assert_true(h->vs->stats.max_step_work <= h->vs->step_work);
    /* Every step but the last was full: the work is all in steps. */
    assert_true(h->vs->stats.steps >= (unsigned long)n * 2 /
                                      h->vs->step_work);
    assert_int_equal(phys->nr_cmds, n);
    harness_destroy(h);
    free(phys);
}

/*
 * S2: CR0ACK.SMMUEN and GBPA.UPDATE tell another vCPU that the streams are
 * still being moved to the new policy; they follow once the vCPU that
 * wrote is done.
 */
static void test_policy_change_in_steps(void **state)
{
    struct big b;
    struct vcpu *other;
    unsigned int i;

    /* 200: the fake SMMU keeps the last 256 installations. */
    big_create(&b, 200, 512, 8, 10, VSMMUV3_WORK_MIN);
    other = b.h->d->vcpu[1];
    emul_auto_return(false);

    h_write32(b.h, SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    assert_int_equal(emul_read32(other, H_BASE + SMMU_CR0), 0xc);
    assert_int_equal(emul_read32(other, H_BASE + SMMU_CR0ACK), 0xd);
    while ( emul_vcpu_continue(b.h->v) )
        continue;
    assert_int_equal(emul_read32(other, H_BASE + SMMU_CR0ACK), 0xc);
    /* SMMUEN=0, GBPA abort: every stream aborts. */
    for ( i = 0; i < 200; i++ )
        assert_int_equal(fake_last_install(b.phys, 0x100 + i)->cfg,
                         VSMMUV3_STE_ABORT);

    h_write32(b.h, SMMU_GBPA, SMMU_GBPA_UPDATE);         /* to bypass */
    assert_true(emul_read32(other, H_BASE + SMMU_GBPA) & SMMU_GBPA_UPDATE);
    while ( emul_vcpu_continue(b.h->v) )
        continue;
    assert_false(emul_read32(other, H_BASE + SMMU_GBPA) & SMMU_GBPA_UPDATE);
    for ( i = 0; i < 200; i++ )
        assert_int_equal(fake_last_install(b.phys, 0x100 + i)->cfg,
                         VSMMUV3_STE_S2_ONLY);
    assert_true(b.h->vs->stats.max_step_work <= b.h->vs->step_work);
    big_destroy(&b);
}

/*
 * A command whose work spans steps belongs to the queue: disabling the
 * queue drops it, and nothing continues it while CMDQEN is 0.
 */
static void test_cmdqen_off_drops_active_command(void **state)
{
    struct big b;
    unsigned long installs;

    big_create(&b, 512, 512, 8, 10, VSMMUV3_WORK_MIN);
    for ( installs = 0; installs < 512; installs++ )
        g_write_s1_ste(&b.g, installs, H_CD_BASE + 0x40);
    emul_auto_return(false);
    cfgi_all(&b.g, 1);
    g_publish(&b.g);
    assert_true(b.h->vs->cmd_active);
    h_write32(b.h, SMMU_CR0, SMMU_CR0_SMMUEN | SMMU_CR0_EVENTQEN);
    assert_false(b.h->vs->cmd_active);
    installs = b.phys->install_calls;
    assert_false(emul_vcpu_continue(b.h->v));
    assert_int_equal(b.phys->install_calls, installs);
    assert_int_equal(b.h->vs->cmdq.cons, 0);
    big_destroy(&b);
}

/*
 * S8.8: teardown of many streams is preemptible: with a preemption
 * pending after every stream, each call aborts one more stream and asks to
 * be called again; the last returns 0, and so does every later call.
 */
static void test_relinquish_preemptible(void **state)
{
    struct big b;
    unsigned int calls = 0, i;
    int rc;

    big_create(&b, 64, 64, 8, 8, 0);
    emul_preempt_every(1);
    while ( (rc = vsmmuv3_relinquish(b.h->vs)) == -ERESTART )
        calls++;
    assert_int_equal(rc, 0);
    assert_int_equal(calls, 63);
    for ( i = 0; i < 64; i++ )
        assert_int_equal(fake_last_install(b.phys, 0x100 + i)->cfg,
                         VSMMUV3_STE_ABORT);
    i = b.phys->install_calls;
    assert_int_equal(vsmmuv3_relinquish(b.h->vs), 0);
    assert_int_equal(b.phys->install_calls, i);
    emul_preempt_every(0);
    /* Dying: the registers answer, nothing runs. */
    cheap(&b.g, 1);
    g_publish(&b.g);
    assert_int_equal(b.h->vs->cmdq.cons, 0);
    big_destroy(&b);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, env_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_every_opcode),
        T(test_steps_drain_the_queue),
        T(test_linux_doorbell_in_its_trap),
        cmocka_unit_test(test_prod_backwards_over_active),
        cmocka_unit_test(test_doorbell_attack_charged),
        cmocka_unit_test(test_mixes_within_bound),
        cmocka_unit_test(test_cfgi_all_max_streams_split),
        cmocka_unit_test(test_small_steps_same_result),
        cmocka_unit_test(test_policy_change_in_steps),
        cmocka_unit_test(test_cmdqen_off_drops_active_command),
        cmocka_unit_test(test_relinquish_preemptible),
        T(test_prod_backwards),
        T(test_illegal_families),
        T(test_ssec_illegal),
        T(test_cmd_sync_cs_variants),
        T(test_cmd_sync_msi_write),
        T(test_cmd_sync_msi_abort),
        T(test_cmd_sync_msi_addr_zero_no_write),
        T(test_cmd_sync_msi_addr_zero_no_abort),
        T(test_queue_wrap),
        T(test_dump_shows_counters),
        T(test_prod_beyond_queue),
        T(test_full_queue),
        T(test_resume_after_gerrorn_without_prod),
        T(test_fetch_abort),
        T(test_queue_base_outside_ram),
        T(test_cmdqen_gates_and_starts),
        T(test_cons_read_continues),
        cmocka_unit_test(test_max_queue_bounded),
    };

    return cmocka_run_group_tests_name("command queue", tests, NULL, NULL);
}
