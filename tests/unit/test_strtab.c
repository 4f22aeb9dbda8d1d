/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stream table walk and STE validation (SPEC-NOTES section 5), the vSID map
 * (S8.5), the SMMUEN/GBPA policy for physical streams (S2 GBPA, S8.4), and
 * hostile STEs (S8.1, S8.3).
 */
#include "harness.h"

#define PSID    0x1234          /* the physical stream behind vSID 5 */
#define VSID    5

static int setup(void **state)
{
    static const struct env_stream stream = { VSID, 0, PSID };

    *state = env_create(1, true, 8, &stream, 1);
    return 0;
}

static void cfgi_ste(struct env *e, uint32_t vsid)
{
    g_cmd(&e->g, cmd_sid(SMMU_OP_CFGI_STE, vsid), SMMU_CMD1_LEAF);
    g_sync_and_wait(&e->g);
}

/* The one event expected since the last call, checked for @id and @sid. */
static void expect_event(struct env *e, unsigned int id, uint32_t sid)
{
    uint64_t evts[4][4];

    assert_int_equal(g_events(&e->g, evts, 4), 1);
    assert_int_equal(MASK_EXTR(evts[0][0], SMMU_EVT0_ID), id);
    assert_int_equal(MASK_EXTR(evts[0][0], SMMU_EVT0_SID), sid);
}

static void expect_no_event(struct env *e)
{
    uint64_t evts[4][4];

    assert_int_equal(g_events(&e->g, evts, 4), 0);
}

static const struct fake_install *last(struct env *e)
{
    const struct fake_install *in = fake_last_install(&e->phys[0], PSID);

    assert_non_null(in);
    return in;
}

/* S2 GBPA, S8.4: an attached stream aborts from reset; never bypass. */
static void test_stream_aborts_from_reset(void **state)
{
    struct fake_phys phys = { 0 };
    struct harness *h = harness_create_fake(&phys, 1, true);

    assert_int_equal(vsmmuv3_add_stream(h->vs, 3, 0, 77), 0);
    assert_int_equal(phys.nr_installs, 1);
    assert_int_equal(phys.installs[0].psid, 77);
    assert_int_equal(phys.installs[0].cfg, VSMMUV3_STE_ABORT);
    harness_destroy(h);
}

/* S5.2, S5.3: an S1 STE is installed nested with the whitelist only. */
static void test_s1_ste_nested_whitelist(void **state)
{
    struct env *e = *state;
    uint64_t ste[SMMU_STE_DWORDS];
    const struct fake_install *in;

    /* Everything a hostile guest could add beyond stage 1. */
    memset(ste, 0xff, sizeof(ste));
    ste[0] = SMMU_STE0_V |
             MASK_INSR(SMMU_STE_CONFIG_S1_TRANS, SMMU_STE0_CONFIG) |
             MASK_INSR(2, SMMU_STE0_S1FMT) | H_CD_BASE |
             GENMASK_ULL(58, 52);         /* RES0 bits between fields */
    ste[1] = ~0ULL;                     /* S1DSS..SHCFG, STRW, EATS, ... */
    emul_ram_write(e->h->d, H_STRTAB_BASE + VSID * SMMU_STE_SIZE, ste,
                   sizeof(ste));
    cfgi_ste(e, VSID);
    in = last(e);
    assert_int_equal(in->cfg, VSMMUV3_STE_NESTED);
    assert_int_equal(in->ste[0], SMMU_STE0_V |
                     MASK_INSR(SMMU_STE_CONFIG_S1_TRANS,
                               SMMU_STE0_CONFIG) | H_CD_BASE);
    assert_int_equal(in->ste[1], SMMU_STE1_S1CIR | SMMU_STE1_S1COR |
                                 SMMU_STE1_S1CSH);
    /* Nothing outside the kernel's nesting whitelist, ever. */
    assert_int_equal(in->ste[0] & ~SMMU_STE0_GUEST_MASK, 0);
    assert_int_equal(in->ste[1] & ~SMMU_STE1_GUEST_MASK, 0);
    expect_no_event(e);
}

/* S5.2: every Config value: abort, stage 2 only, nested, or C_BAD_STE. */
static void test_every_config_value(void **state)
{
    static const int expect[8] = {
        [0] = VSMMUV3_STE_ABORT, [1] = -1, [2] = -1, [3] = -1,
        [4] = VSMMUV3_STE_S2_ONLY, [5] = VSMMUV3_STE_NESTED,
        [6] = -1, [7] = -1,
    };
    unsigned int cfg;

    for ( cfg = 0; cfg < 8; cfg++ )
    {
        struct env *e = *state;

        g_write_ste(&e->g, VSID, SMMU_STE0_V |
                    MASK_INSR(cfg, SMMU_STE0_CONFIG) | H_CD_BASE, 0);
        cfgi_ste(e, VSID);
        if ( expect[cfg] < 0 )
        {
            /* Reserved, S2, nested: stage 2 is Xen's. */
            expect_event(e, SMMU_EVT_C_BAD_STE, VSID);
            assert_int_equal(last(e)->cfg, VSMMUV3_STE_ABORT);
        }
        else
        {
            expect_no_event(e);
            assert_int_equal(last(e)->cfg, (unsigned int)expect[cfg]);
        }
    }
}

/* S5.2: V=0 aborts without an event (Linux uses it mid-update). */
static void test_invalid_ste_aborts_silently(void **state)
{
    struct env *e = *state;

    g_write_s1_ste(&e->g, VSID, H_CD_BASE);
    cfgi_ste(e, VSID);
    assert_int_equal(last(e)->cfg, VSMMUV3_STE_NESTED);
    g_write_ste(&e->g, VSID, MASK_INSR(5, SMMU_STE0_CONFIG) | H_CD_BASE,
                0);
    cfgi_ste(e, VSID);
    assert_int_equal(last(e)->cfg, VSMMUV3_STE_ABORT);
    expect_no_event(e);
}

/* S5.3: S1CDMax beyond IDR1.SSIDSIZE (0) is C_BAD_STE. */
static void test_s1cdmax_rejected(void **state)
{
    struct env *e = *state;

    g_write_ste(&e->g, VSID, SMMU_STE0_V |
                MASK_INSR(5, SMMU_STE0_CONFIG) | H_CD_BASE |
                MASK_INSR(1, SMMU_STE0_S1CDMAX), 0);
    cfgi_ste(e, VSID);
    expect_event(e, SMMU_EVT_C_BAD_STE, VSID);
    assert_int_equal(last(e)->cfg, VSMMUV3_STE_ABORT);
}

/* S5.3, S8.3: S1ContextPtr outside guest RAM is C_BAD_STE. */
static void test_ctxptr_outside_ram(void **state)
{
    struct env *e = *state;

    g_write_s1_ste(&e->g, VSID, 0x08000000);    /* a hole: not RAM */
    cfgi_ste(e, VSID);
    expect_event(e, SMMU_EVT_C_BAD_STE, VSID);
    assert_int_equal(last(e)->cfg, VSMMUV3_STE_ABORT);
    /* A page of RAM punched out. */
    assert_int_equal(emul_ram_punch_hole(e->h->d, H_CD_BASE, PAGE_SIZE), 0);
    g_write_s1_ste(&e->g, VSID, H_CD_BASE + 0x40);
    cfgi_ste(e, VSID);
    expect_event(e, SMMU_EVT_C_BAD_STE, VSID);
}

/* S5.3: S1ContextPtr above the OAS (40 bits here) is C_BAD_STE. */
static void test_ctxptr_beyond_oas(void **state)
{
    struct env *e = *state;

    g_write_s1_ste(&e->g, VSID, (1ULL << 40) | H_CD_BASE);
    cfgi_ste(e, VSID);
    expect_event(e, SMMU_EVT_C_BAD_STE, VSID);
    assert_int_equal(last(e)->cfg, VSMMUV3_STE_ABORT);
}

/* S5.1: vSID at or beyond 2^LOG2SIZE is C_BAD_STREAMID. */
static void test_sid_beyond_table(void **state)
{
    struct env *e = *state;

    cfgi_ste(e, 256);                   /* the table has 2^8 STEs */
    expect_event(e, SMMU_EVT_C_BAD_STREAMID, 256);
    cfgi_ste(e, 0xffffffff);
    expect_event(e, SMMU_EVT_C_BAD_STREAMID, 0xffffffff);
}

/* S5.1, S8.3: an STE in a hole of guest RAM is a fetch abort event. */
static void test_ste_fetch_abort(void **state)
{
    struct env *e = *state;
    uint64_t evts[2][4];

    assert_int_equal(emul_ram_punch_hole(e->h->d, H_STRTAB_BASE, PAGE_SIZE),
                     0);
    cfgi_ste(e, VSID);
    assert_int_equal(g_events(&e->g, evts, 2), 1);
    assert_int_equal(MASK_EXTR(evts[0][0], SMMU_EVT0_ID),
                     SMMU_EVT_F_STE_FETCH);
    assert_int_equal(MASK_EXTR(evts[0][0], SMMU_EVT0_SID), VSID);
    assert_int_equal(evts[0][3], H_STRTAB_BASE + VSID * SMMU_STE_SIZE);
    assert_int_equal(last(e)->cfg, VSMMUV3_STE_ABORT);
}

static void drain_events(struct env *e)
{
    uint64_t evts[16][4];

    while ( g_events(&e->g, evts, 16) )
        continue;
}

/*
 * Switch to a two-level table with SPLIT @split.  Re-enabling reloads the
 * attached streams from whatever the table holds then; those events are
 * dropped so that each test sees only its own.
 */
static void two_level(struct env *e, unsigned int split, unsigned int log2)
{
    h_write32(e->h, SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    h_write32(e->h, SMMU_STRTAB_BASE_CFG,
              MASK_INSR(SMMU_STRTAB_FMT_2LVL, SMMU_STRTAB_BASE_CFG_FMT) |
              MASK_INSR(split, SMMU_STRTAB_BASE_CFG_SPLIT) | log2);
    h_write32(e->h, SMMU_CR0, 0xd);
    drain_events(e);
}

static void write_l1(struct env *e, uint32_t index, paddr_t l2, unsigned int span)
{
    emul_ram_write64(e->h->d, H_STRTAB_BASE + index * SMMU_L1STD_SIZE,
                     l2 | span);
}

static void write_l2_s1_ste(struct env *e, paddr_t l2, uint32_t index)
{
    uint64_t ste[SMMU_STE_DWORDS] = {
        SMMU_STE0_V | MASK_INSR(5, SMMU_STE0_CONFIG) | H_CD_BASE,
    };

    emul_ram_write(e->h->d, l2 + index * SMMU_STE_SIZE, ste, sizeof(ste));
}

/* S5.1: two-level tables with the guest's own SPLIT (6, 8, 10). */
static void test_two_level_each_split(void **state)
{
    static const unsigned int splits[] = { 6, 8, 10 };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(splits); i++ )
    {
        struct env *e = *state;
        unsigned int split = splits[i];
        paddr_t l2 = H_RAM_BASE + 0x600000;
        uint32_t vsid = (3U << split) | VSID;

        assert_int_equal(vsmmuv3_add_stream(e->h->vs, vsid, -1, 0), 0);
        two_level(e, split, 16);
        memset(emul_ram_ptr(e->h->d, H_STRTAB_BASE, 0x8000), 0, 0x8000);
        write_l1(e, 3, l2, split + 1);
        write_l2_s1_ste(e, l2, VSID);
        cfgi_ste(e, vsid);
        expect_no_event(e);
        assert_int_equal(vsmmuv3_find_stream(e->h->vs, vsid)->guest_cfg,
                         VSMMUV3_STE_NESTED);
        env_teardown(state);
        setup(state);
    }
}

/* S5.1: SPAN 0, an index beyond SPAN, SPAN above SPLIT+1: C_BAD_STREAMID. */
static void test_two_level_span_checks(void **state)
{
    struct env *e = *state;
    paddr_t l2 = H_RAM_BASE + 0x600000;
    uint32_t vsid = (1U << 8) | 2;          /* L1 index 1, L2 index 2 */

    two_level(e, 8, 16);
    write_l2_s1_ste(e, l2, 2);
    write_l1(e, 1, l2, 0);
    cfgi_ste(e, vsid);
    expect_event(e, SMMU_EVT_C_BAD_STREAMID, vsid);
    write_l1(e, 1, l2, 2);                  /* two STEs: index 2 is out */
    cfgi_ste(e, vsid);
    expect_event(e, SMMU_EVT_C_BAD_STREAMID, vsid);
    write_l1(e, 1, l2, 10);                 /* SPAN > SPLIT + 1 */
    cfgi_ste(e, vsid);
    expect_event(e, SMMU_EVT_C_BAD_STREAMID, vsid);
    write_l1(e, 1, l2, 3);                  /* four STEs: valid */
    cfgi_ste(e, vsid);
    expect_no_event(e);
}

/*
 * S5.1, IHI 0070 6.3.25: a reserved SPLIT behaves as 6, a reserved FMT as
 * linear.
 */
static void test_reserved_split_and_fmt(void **state)
{
    struct env *e = *state;
    paddr_t l2_split6 = H_RAM_BASE + 0x600000;
    paddr_t l2_split7 = H_RAM_BASE + 0x700000;
    uint32_t vsid = (1U << 6) | VSID;   /* SPLIT 6: L1 1, L2 5; 7: L1 0 */
    uint64_t abort_ste[SMMU_STE_DWORDS] = {
        SMMU_STE0_V | MASK_INSR(SMMU_STE_CONFIG_ABORT, SMMU_STE0_CONFIG),
    };
    unsigned int fmt;

    assert_int_equal(vsmmuv3_add_stream(e->h->vs, vsid, -1, 0), 0);
    memset(emul_ram_ptr(e->h->d, H_STRTAB_BASE, 0x1000), 0, 0x1000);
    /* Read as SPLIT 6, vSID 0x45 is an S1 STE... */
    write_l1(e, 1, l2_split6, 7);
    write_l2_s1_ste(e, l2_split6, VSID);
    /* ...read as SPLIT 7 (what was written), an abort STE. */
    write_l1(e, 0, l2_split7, 8);
    emul_ram_write(e->h->d, l2_split7 + vsid * SMMU_STE_SIZE, abort_ste,
                   sizeof(abort_ste));
    two_level(e, 7, 16);
    cfgi_ste(e, vsid);
    expect_no_event(e);
    assert_int_equal(vsmmuv3_find_stream(e->h->vs, vsid)->guest_cfg,
                     VSMMUV3_STE_NESTED);

    /* FMT 2 and 3 walk the table as linear. */
    for ( fmt = 2; fmt <= 3; fmt++ )
    {
        g_write_ste(&e->g, VSID, 0, 0);
        h_write32(e->h, SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
        h_write32(e->h, SMMU_STRTAB_BASE_CFG,
                  MASK_INSR(fmt, SMMU_STRTAB_BASE_CFG_FMT) | 8);
        h_write32(e->h, SMMU_CR0, 0xd);
        drain_events(e);
        assert_int_equal(last(e)->cfg, VSMMUV3_STE_ABORT);
        g_write_s1_ste(&e->g, VSID, H_CD_BASE);
        cfgi_ste(e, VSID);
        expect_no_event(e);
        assert_int_equal(last(e)->cfg, VSMMUV3_STE_NESTED);
    }
}

/* S5.1, S8.3: an L1 descriptor in a hole of guest RAM: fetch abort. */
static void test_l1_fetch_abort(void **state)
{
    struct env *e = *state;
    uint64_t evts[2][4];

    two_level(e, 8, 16);
    expect_no_event(e);
    assert_int_equal(emul_ram_punch_hole(e->h->d, H_STRTAB_BASE, PAGE_SIZE),
                     0);
    cfgi_ste(e, VSID);
    assert_int_equal(g_events(&e->g, evts, 2), 1);
    assert_int_equal(MASK_EXTR(evts[0][0], SMMU_EVT0_ID),
                     SMMU_EVT_F_STE_FETCH);
    assert_int_equal(evts[0][3], H_STRTAB_BASE);
}

/* S5.1: L1 descriptors are never cached: Linux writes them unannounced. */
static void test_l1_never_cached(void **state)
{
    struct env *e = *state;
    paddr_t l2a = H_RAM_BASE + 0x600000, l2b = H_RAM_BASE + 0x700000;

    two_level(e, 8, 16);
    write_l1(e, 0, l2a, 9);
    write_l2_s1_ste(e, l2a, VSID);
    cfgi_ste(e, VSID);
    assert_int_equal(last(e)->cfg, VSMMUV3_STE_NESTED);
    /* A new L2 table, L1 rewritten with no command; its STE aborts. */
    emul_ram_write64(e->h->d, l2b + VSID * SMMU_STE_SIZE, SMMU_STE0_V);
    write_l1(e, 0, l2b, 9);
    cfgi_ste(e, VSID);
    assert_int_equal(last(e)->cfg, VSMMUV3_STE_ABORT);
}

/* S2 STRTAB_BASE_CFG: the format is the guest's choice each time. */
static void test_format_not_sticky(void **state)
{
    struct env *e = *state;

    two_level(e, 8, 16);
    g_write_s1_ste(&e->g, VSID, H_CD_BASE);     /* linear layout */
    /* With FMT=2-level, the linear STE area is read as L1 descriptors. */
    cfgi_ste(e, VSID);
    assert_int_equal(last(e)->cfg, VSMMUV3_STE_ABORT);
    drain_events(e);
    h_write32(e->h, SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    h_write32(e->h, SMMU_STRTAB_BASE_CFG, 8);   /* back to linear */
    h_write32(e->h, SMMU_CR0, 0xd);
    assert_int_equal(last(e)->cfg, VSMMUV3_STE_NESTED);
}

/* S4.3: CFGI_STE_RANGE reloads attached streams in the range only. */
static void test_cfgi_range_scope(void **state)
{
    struct env *e = *state;
    unsigned int before;

    g_write_s1_ste(&e->g, VSID, H_CD_BASE);
    /* Range 1 is 2^2 StreamIDs, aligned: SID 1 means 0-3, not vSID 5. */
    before = e->phys[0].nr_installs;
    g_cmd(&e->g, cmd_sid(SMMU_OP_CFGI_STE_RANGE, 1), 1);
    g_cmd_sync(&e->g);
    g_publish(&e->g);
    assert_int_equal(e->phys[0].nr_installs, before);
    /* SID 6, Range 1: 4-7. */
    g_cmd(&e->g, cmd_sid(SMMU_OP_CFGI_STE_RANGE, 6), 1);
    g_publish(&e->g);
    assert_int_equal(last(e)->cfg, VSMMUV3_STE_NESTED);
}

/* S4.3, S8.2: CFGI_ALL reads the attached streams only, not 2^32 STEs. */
static void test_cfgi_all_bounded(void **state)
{
    struct env *e = *state;
    struct emul_mem_stats before, after;

    g_write_s1_ste(&e->g, VSID, H_CD_BASE);
    emul_mem_stats(e->h->d, &before);
    g_cmd(&e->g, cmd_op(SMMU_OP_CFGI_STE_RANGE), SMMU_CFGI_RANGE_ALL);
    g_cmd_sync(&e->g);
    g_publish(&e->g);
    emul_mem_stats(e->h->d, &after);
    assert_int_equal(last(e)->cfg, VSMMUV3_STE_NESTED);
    /* One command fetch, one STE, one CD probe. */
    assert_true(after.reads - before.reads <= 3);
}

/* An unchanged STE is not reinstalled: CFGI_STE is frequent. */
static void test_unchanged_ste_not_reinstalled(void **state)
{
    struct env *e = *state;
    unsigned int n;

    g_write_s1_ste(&e->g, VSID, H_CD_BASE);
    cfgi_ste(e, VSID);
    n = e->phys[0].nr_installs;
    cfgi_ste(e, VSID);
    cfgi_ste(e, VSID);
    assert_int_equal(e->phys[0].nr_installs, n);
    g_write_s1_ste(&e->g, VSID, H_CD_BASE + 0x40);
    cfgi_ste(e, VSID);
    assert_int_equal(e->phys[0].nr_installs, n + 1);
}

/*
 * S2 GBPA, S8.4: SMMUEN=0 traffic follows GBPA (abort, or stage 2 only),
 * SMMUEN=1 follows the STE, read afresh at the enable.
 */
static void test_smmuen_and_gbpa_policy(void **state)
{
    struct env *e = *state;

    g_write_s1_ste(&e->g, VSID, H_CD_BASE);
    h_write32(e->h, SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    assert_int_equal(last(e)->cfg, VSMMUV3_STE_ABORT);       /* GBPA abort */
    h_write32(e->h, SMMU_GBPA, SMMU_GBPA_UPDATE);            /* "bypass" */
    assert_int_equal(last(e)->cfg, VSMMUV3_STE_S2_ONLY);
    h_write32(e->h, SMMU_CR0, 0xd);
    assert_int_equal(last(e)->cfg, VSMMUV3_STE_NESTED);      /* STE read */
    /* GBPA changes while enabled do not touch the streams. */
    h_write32(e->h, SMMU_GBPA, SMMU_GBPA_UPDATE | SMMU_GBPA_ABORT);
    assert_int_equal(last(e)->cfg, VSMMUV3_STE_NESTED);
    h_write32(e->h, SMMU_CR0, SMMU_CR0_CMDQEN);
    assert_int_equal(last(e)->cfg, VSMMUV3_STE_ABORT);
}

/* A physical refusal drives the stream to abort and tells the guest. */
static void test_install_failure_aborts(void **state)
{
    struct env *e = *state;

    e->phys[0].fail_install = -EINVAL;
    g_write_s1_ste(&e->g, VSID, H_CD_BASE);
    cfgi_ste(e, VSID);
    assert_int_equal(last(e)->cfg, VSMMUV3_STE_ABORT);
    expect_event(e, SMMU_EVT_C_BAD_STE, VSID);
    /* The command itself completed: the config plane stays error-free. */
    assert_int_equal(MASK_EXTR(h_read32(e->h, SMMU_CMDQ_CONS),
                               SMMU_CMDQ_CONS_ERR), 0);
    e->phys[0].fail_install = 0;
    cfgi_ste(e, VSID);
    assert_int_equal(last(e)->cfg, VSMMUV3_STE_NESTED);
}

/*
 * A physical SMMU that cannot even abort the stream: the state is unknown,
 * reported, and installed again at the next change (never assumed).
 */
static void test_abort_failure_retried(void **state)
{
    struct env *e = *state;
    unsigned int n;

    g_write_s1_ste(&e->g, VSID, H_CD_BASE);
    cfgi_ste(e, VSID);
    e->phys[0].fail_install = -EIO;
    e->phys[0].fail_abort = -EIO;
    emul_log_clear();
    g_write_s1_ste(&e->g, VSID, H_CD_BASE + 0x40);
    cfgi_ste(e, VSID);
    assert_int_equal(emul_log_count("failed to abort the stream"), 1);
    assert_false(vsmmuv3_find_stream(e->h->vs, VSID)->installed_valid);
    e->phys[0].fail_install = 0;
    e->phys[0].fail_abort = 0;
    n = e->phys[0].nr_installs;
    cfgi_ste(e, VSID);                  /* same STE: still reinstalled */
    assert_int_equal(e->phys[0].nr_installs, n + 1);
    assert_int_equal(last(e)->cfg, VSMMUV3_STE_NESTED);
    assert_int_equal(last(e)->ste[0] & SMMU_STE0_S1CTXPTR, H_CD_BASE + 0x40);
}

/* S8.4: relinquishing the domain aborts every physical stream. */
static void test_relinquish_aborts_streams(void **state)
{
    struct env *e = *state;

    g_write_s1_ste(&e->g, VSID, H_CD_BASE);
    cfgi_ste(e, VSID);
    assert_int_equal(last(e)->cfg, VSMMUV3_STE_NESTED);
    vsmmuv3_relinquish(e->h->vs);
    assert_int_equal(last(e)->cfg, VSMMUV3_STE_ABORT);
    /* Nothing but abort reaches the SMMU any more (found by fuzz_mmio). */
    h_write32(e->h, SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    h_write32(e->h, SMMU_GBPA, SMMU_GBPA_UPDATE);
    h_write32(e->h, SMMU_CR0, 0xd);
    assert_int_equal(last(e)->cfg, VSMMUV3_STE_ABORT);
    /* Dying: commands are no longer consumed. */
    g_cmd(&e->g, cmd_op(SMMU_OP_TLBI_NH_ALL), 0);
    g_publish(&e->g);
    g_drain(e->h);
    assert_int_equal(e->phys[0].nr_cmds, 0);
}

/* S8.5: the vSID map is bounded and refuses duplicates and bad input. */
static void test_stream_map_bounds(void **state)
{
    struct fake_phys phys = { 0 };
    struct vsmmuv3_backend be = fake_backend(&phys, 1, true);
    struct vsmmuv3_params p;
    struct harness *h;
    unsigned int i;

    harness_default_params(&p);
    p.max_streams = 4;
    p.nr_backends = 1;
    p.backends = &be;
    h = harness_create(&p);
    assert_int_equal(vsmmuv3_add_stream(h->vs, 10, 0, 100), 0);
    assert_int_equal(vsmmuv3_add_stream(h->vs, 10, 0, 101), -EEXIST);
    assert_int_equal(vsmmuv3_add_stream(h->vs, 11, 0, 100), -EEXIST);
    assert_int_equal(vsmmuv3_add_stream(h->vs, 12, 1, 102), -EINVAL);
    assert_int_equal(vsmmuv3_add_stream(h->vs, 1U << 16, -1, 0), -EINVAL);
    for ( i = 0; i < 3; i++ )
        assert_int_equal(vsmmuv3_add_stream(h->vs, 3 - i, -1, 0), 0);
    assert_int_equal(vsmmuv3_add_stream(h->vs, 20, -1, 0), -ENOSPC);
    /* Sorted whatever the insertion order. */
    for ( i = 1; i < h->vs->nr_streams; i++ )
        assert_true(h->vs->streams[i - 1].vsid < h->vs->streams[i].vsid);
    harness_destroy(h);
}

/* S8.1: random STE contents never crash and never install out-of-mask. */
static void test_random_stes(void **state)
{
    struct env *e = *state;
    unsigned int seed = 7, i, w;

    for ( i = 0; i < 2000; i++ )
    {
        uint64_t ste[SMMU_STE_DWORDS], evts[8][4];
        const struct fake_install *in;

        for ( w = 0; w < SMMU_STE_DWORDS; w++ )
            ste[w] = (uint64_t)rand_r(&seed) << 33 ^
                     (uint64_t)rand_r(&seed) << 11 ^ rand_r(&seed);
        if ( i & 1 )                    /* half of them point at RAM */
            ste[0] = (ste[0] & ~SMMU_STE0_S1CTXPTR) | H_CD_BASE;
        emul_ram_write(e->h->d, H_STRTAB_BASE + VSID * SMMU_STE_SIZE, ste,
                       sizeof(ste));
        cfgi_ste(e, VSID);
        g_events(&e->g, evts, 8);
        in = last(e);
        assert_int_equal(in->ste[0] & ~SMMU_STE0_GUEST_MASK, 0);
        assert_int_equal(in->ste[1] & ~SMMU_STE1_GUEST_MASK, 0);
        assert_false(h_read32(e->h, SMMU_CMDQ_CONS) & SMMU_CMDQ_CONS_ERR);
    }
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, env_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stream_aborts_from_reset),
        T(test_s1_ste_nested_whitelist),
        T(test_every_config_value),
        T(test_invalid_ste_aborts_silently),
        T(test_s1cdmax_rejected),
        T(test_ctxptr_outside_ram),
        T(test_ctxptr_beyond_oas),
        T(test_sid_beyond_table),
        T(test_ste_fetch_abort),
        T(test_two_level_each_split),
        T(test_two_level_span_checks),
        T(test_reserved_split_and_fmt),
        T(test_l1_fetch_abort),
        T(test_l1_never_cached),
        T(test_format_not_sticky),
        T(test_cfgi_range_scope),
        T(test_cfgi_all_bounded),
        T(test_unchanged_ste_not_reinstalled),
        T(test_smmuen_and_gbpa_policy),
        T(test_install_failure_aborts),
        T(test_abort_failure_retried),
        T(test_relinquish_aborts_streams),
        cmocka_unit_test(test_stream_map_bounds),
        T(test_random_stes),
    };

    return cmocka_run_group_tests_name("stream table", tests, NULL, NULL);
}
