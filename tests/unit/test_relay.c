/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The relay (S4.6, S8.4): what the physical SMMUs are asked to do for a
 * guest's commands.  The physical SMMU here records everything; the
 * end-to-end tests (test_e2e.c) use the software SMMUv3 model instead.
 */
#include "harness.h"

#define VMID0   0x71            /* harness_create_fake: 0x71, 0x72, ... */
#define VMID1   0x72

/* vSID 5 and 6 behind the first and second physical SMMU; 7 is virtual. */
static const struct env_stream streams[] = {
    { 5, 0, 0x500 }, { 7, -1, 0 }, { 6, 1, 0x600 },
};

static int setup(void **state)
{
    *state = env_create(1, true, 8, streams, 2);
    return 0;
}

static int setup_two(void **state)
{
    *state = env_create(2, true, 8, streams, 3);
    return 0;
}

static int setup_no_ril(void **state)
{
    *state = env_create(1, false, 8, streams, 2);
    return 0;
}

/* Submit @c then CMD_SYNC; returns the first physical command index. */
static unsigned int run(struct env *e, uint64_t c0, uint64_t c1)
{
    unsigned int first = e->phys[0].nr_cmds;

    g_cmd(&e->g, c0, c1);
    g_sync_and_wait(&e->g);
    return first;
}

static unsigned int op_of(const uint64_t c[2])
{
    return MASK_EXTR(c[0], SMMU_CMD_OPCODE);
}

/* S4.6, S8.4: every TLBI carries the domain's VMID, whatever the guest's. */
static void test_vmid_substituted(void **state)
{
    static const unsigned int ops[] = {
        SMMU_OP_TLBI_NH_ALL, SMMU_OP_TLBI_NH_ASID, SMMU_OP_TLBI_NH_VA,
        SMMU_OP_TLBI_NH_VAA, SMMU_OP_TLBI_NSNH_ALL,
    };
    struct env *e = *state;
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(ops); i++ )
    {
        uint64_t c[2];
        unsigned int n;

        cmd_tlbi_va(c, ops[i], 3, 0x7000, true, 0, 0, 0, 0);
        c[0] |= MASK_INSR(0xbad, SMMU_CMD0_TLBI_VMID);
        n = run(e, c[0], c[1]);
        assert_int_equal(e->phys[0].nr_cmds, n + 1);
        assert_int_equal(MASK_EXTR(e->phys[0].cmds[n][0],
                                   SMMU_CMD0_TLBI_VMID), VMID0);
    }
}

/* S4.6: scope kept: ASID, VA, LEAF; never widened to the whole domain. */
static void test_scope_kept(void **state)
{
    struct env *e = *state;
    uint64_t c[2];
    unsigned int n;

    c[0] = cmd_op(SMMU_OP_TLBI_NH_ASID) |
           MASK_INSR(0xbeef, SMMU_CMD0_TLBI_ASID);
    n = run(e, c[0], 0);
    assert_int_equal(op_of(e->phys[0].cmds[n]), SMMU_OP_TLBI_NH_ASID);
    assert_int_equal(MASK_EXTR(e->phys[0].cmds[n][0],
                               SMMU_CMD0_TLBI_ASID), 0xbeef);

    cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VA, 42, 0xffff800012345000ULL, true,
                0, 0, 0, 0);
    n = run(e, c[0], c[1]);
    assert_int_equal(op_of(e->phys[0].cmds[n]), SMMU_OP_TLBI_NH_VA);
    assert_int_equal(MASK_EXTR(e->phys[0].cmds[n][0],
                               SMMU_CMD0_TLBI_ASID), 42);
    assert_int_equal(e->phys[0].cmds[n][1],
                     0xffff800012345000ULL | SMMU_CMD1_TLBI_LEAF);

    cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VAA, 42, 0x9000, false, 0, 0, 0, 0);
    n = run(e, c[0], c[1]);
    assert_int_equal(op_of(e->phys[0].cmds[n]), SMMU_OP_TLBI_NH_VAA);
    /* NH_VAA has no ASID. */
    assert_int_equal(MASK_EXTR(e->phys[0].cmds[n][0], SMMU_CMD0_TLBI_ASID), 0);
    assert_int_equal(e->phys[0].cmds[n][1], 0x9000);
}

/* S4.6: TLBI_NSNH_ALL is the guest's everything: NH_ALL of its VMID. */
static void test_nsnh_all_scoped(void **state)
{
    struct env *e = *state;
    unsigned int n = run(e, cmd_op(SMMU_OP_TLBI_NSNH_ALL), 0);

    assert_int_equal(e->phys[0].cmds[n][0],
                     cmd_op(SMMU_OP_TLBI_NH_ALL) |
                     MASK_INSR(VMID0, SMMU_CMD0_TLBI_VMID));
    assert_int_equal(e->phys[0].cmds[n][1], 0);
}

/* S4.6, S7.3: range TLBIs keep TG/TTL/NUM/SCALE with a RIL SMMU. */
static void test_range_tlbi_kept(void **state)
{
    struct env *e = *state;
    uint64_t c[2];
    unsigned int n;

    /* Linux: a 2 MiB block, NUM=0 SCALE=9 TG=4K TTL=2. */
    cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VA, 7, 0x40200000, true, 1, 2, 0, 9);
    n = run(e, c[0], c[1]);
    assert_int_equal(e->phys[0].nr_cmds, n + 1);
    assert_int_equal(e->phys[0].cmds[n][0],
                     cmd_op(SMMU_OP_TLBI_NH_VA) |
                     MASK_INSR(VMID0, SMMU_CMD0_TLBI_VMID) |
                     MASK_INSR(7, SMMU_CMD0_TLBI_ASID) |
                     MASK_INSR(9, SMMU_CMD0_TLBI_SCALE));
    assert_int_equal(e->phys[0].cmds[n][1], c[1]);
    /* 64 x 4K: NUM=0 SCALE=6 TTL=3. */
    cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VA, 7, 0x1000000, true, 1, 3, 0, 6);
    n = run(e, c[0], c[1]);
    assert_int_equal(e->phys[0].cmds[n][1], c[1]);
    assert_int_equal(MASK_EXTR(e->phys[0].cmds[n][0],
                               SMMU_CMD0_TLBI_SCALE), 6);
}

/* Without TG, NUM/SCALE/TTL are RES0 and never reach the SMMU. */
static void test_non_range_drops_res0_fields(void **state)
{
    struct env *e = *state;
    uint64_t c[2];
    unsigned int n;

    cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VA, 7, 0x3000, true, 0, 3, 31, 31);
    c[0] |= GENMASK_ULL(31, 25) | GENMASK_ULL(19, 17) | GENMASK_ULL(11, 8);
    c[1] |= GENMASK_ULL(7, 1);
    n = run(e, c[0], c[1]);
    assert_int_equal(e->phys[0].cmds[n][0],
                     cmd_op(SMMU_OP_TLBI_NH_VA) |
                     MASK_INSR(VMID0, SMMU_CMD0_TLBI_VMID) |
                     MASK_INSR(7, SMMU_CMD0_TLBI_ASID));
    assert_int_equal(e->phys[0].cmds[n][1], 0x3000 | SMMU_CMD1_TLBI_LEAF);
}

/* Reserved encodings are normalised, never passed on. */
static void test_range_normalised(void **state)
{
    struct env *e = *state;
    uint64_t c[2];
    unsigned int n;

    /* One page, TG=4K, no TTL: sent as the plain single-page TLBI. */
    cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VA, 7, 0x5000, false, 1, 0, 0, 0);
    n = run(e, c[0], c[1]);
    assert_int_equal(MASK_EXTR(e->phys[0].cmds[n][1], SMMU_CMD1_TLBI_TG),
                     0);
    assert_int_equal(e->phys[0].cmds[n][1], 0x5000);
    /* TTL=1 (level 1) exists for 64K and 4K: kept (IHI 0070 4.4.1.1). */
    cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VA, 7, 0x50000, true, 3, 1, 3, 2);
    n = run(e, c[0], c[1]);
    assert_int_equal(MASK_EXTR(e->phys[0].cmds[n][1], SMMU_CMD1_TLBI_TTL), 1);
    assert_int_equal(MASK_EXTR(e->phys[0].cmds[n][1], SMMU_CMD1_TLBI_TG),
                     3);
    cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VA, 7, 0x40000000, true, 1, 1, 1, 0);
    n = run(e, c[0], c[1]);
    assert_int_equal(MASK_EXTR(e->phys[0].cmds[n][1], SMMU_CMD1_TLBI_TTL), 1);
}

/*
 * TTL=1 with the 16K granule is reserved without IDR5.DS (IHI 0070
 * 4.4.1.1): dropped, which only widens the scope.
 */
static void test_range_16k_ttl1_dropped(void **state)
{
    struct fake_phys phys = { 0 };
    struct vsmmuv3_backend be = fake_backend(&phys, 3, true);
    struct vsmmuv3_params p;
    struct harness *h;
    struct guest g;
    uint64_t c[2];

    be.caps.idr[5] |= SMMU_IDR5_GRAN16K;
    harness_default_params(&p);
    p.nr_backends = 1;
    p.backends = &be;
    h = harness_create(&p);
    assert_true(h_read32(h, SMMU_IDR5) & SMMU_IDR5_GRAN16K);
    g_reset(&g, h, 8, 8, 8, true);
    cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VA, 7, 0x4000000, true, 2, 1, 3, 0);
    g_submit(&g, c[0], c[1]);
    assert_int_equal(phys.nr_cmds, 1);
    assert_int_equal(MASK_EXTR(phys.cmds[0][1], SMMU_CMD1_TLBI_TTL), 0);
    assert_int_equal(MASK_EXTR(phys.cmds[0][1], SMMU_CMD1_TLBI_TG), 2);
    assert_int_equal(MASK_EXTR(phys.cmds[0][0], SMMU_CMD0_TLBI_NUM), 3);
    harness_destroy(h);
}

/* A range over a granule not advertised (16K here) is CERROR_ILL. */
static void test_range_unadvertised_granule(void **state)
{
    struct env *e = *state;
    uint64_t c[2];

    cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VA, 7, 0x4000, true, 2, 3, 1, 0);
    g_submit(&e->g, c[0], c[1]);
    assert_int_equal(MASK_EXTR(h_read32(e->h, SMMU_CMDQ_CONS),
                               SMMU_CMDQ_CONS_ERR),
                     SMMU_CERROR_ILL);
    assert_int_equal(e->phys[0].nr_cmds, 0);
}

/* S3.1: without physical RIL, small ranges are split into pages... */
static void test_no_ril_split(void **state)
{
    struct env *e = *state;
    uint64_t c[2];
    unsigned int n, i;

    /* NUM=3 SCALE=2: 16 pages of 4K. */
    cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VA, 9, 0x100000, true, 1, 3, 3, 2);
    n = run(e, c[0], c[1]);
    assert_int_equal(e->phys[0].nr_cmds - n, 16);
    for ( i = 0; i < 16; i++ )
    {
        assert_int_equal(op_of(e->phys[0].cmds[n + i]), SMMU_OP_TLBI_NH_VA);
        assert_int_equal(MASK_EXTR(e->phys[0].cmds[n + i][0],
                                   SMMU_CMD0_TLBI_ASID), 9);
        assert_int_equal(e->phys[0].cmds[n + i][1],
                         (0x100000 + i * 0x1000ULL) | SMMU_CMD1_TLBI_LEAF);
    }
    /* One physical sync for all of it. */
    assert_int_equal(e->phys[0].syncs, 1);
}

/* ...and large ones widened to the ASID, never to the domain. */
static void test_no_ril_widen(void **state)
{
    struct env *e = *state;
    uint64_t c[2];
    unsigned int n;

    /* 2 MiB of 4K pages: 512 pages. */
    cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VA, 9, 0x200000, true, 1, 2, 0, 9);
    n = run(e, c[0], c[1]);
    assert_int_equal(e->phys[0].nr_cmds - n, 1);
    assert_int_equal(e->phys[0].cmds[n][0],
                     cmd_op(SMMU_OP_TLBI_NH_ASID) |
                     MASK_INSR(VMID0, SMMU_CMD0_TLBI_VMID) |
                     MASK_INSR(9, SMMU_CMD0_TLBI_ASID));
    /* NH_VAA covers every ASID already: widened to the VMID. */
    cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VAA, 0, 0x200000, true, 1, 2, 0, 9);
    n = run(e, c[0], c[1]);
    assert_int_equal(e->phys[0].cmds[n][0],
                     cmd_op(SMMU_OP_TLBI_NH_ALL) |
                     MASK_INSR(VMID0, SMMU_CMD0_TLBI_VMID));
}

/*
 * S4.6, S8.9: CFGI_CD and CFGI_CD_ALL make the vSMMU read the stream's STE
 * and CD again (the physical SMMU walks the CD: what it may not enable is
 * checked each time); an unchanged nested stream gets CFGI_CD_ALL for its
 * pSID, whatever SSID and Leaf said.  A stream without a CD in use (abort
 * here), a virtual stream and an unattached vSID: nothing physical.
 */
static void test_cfgi_cd_translated(void **state)
{
    struct env *e = *state;
    unsigned int n, installs;

    n = run(e, cmd_sid(SMMU_OP_CFGI_CD, 5), SMMU_CMD1_LEAF);
    assert_int_equal(e->phys[0].nr_cmds, n);

    g_write_s1_ste(&e->g, 5, H_CD_BASE);
    run(e, cmd_sid(SMMU_OP_CFGI_STE, 5), 0);
    installs = e->phys[0].nr_installs;

    n = run(e, cmd_sid(SMMU_OP_CFGI_CD, 5) |
               MASK_INSR(0x77, SMMU_CMD0_SSID), SMMU_CMD1_LEAF | 0xf0);
    assert_int_equal(e->phys[0].nr_cmds, n + 1);
    assert_int_equal(e->phys[0].cmds[n][0],
                     cmd_sid(SMMU_OP_CFGI_CD_ALL, 0x500));
    assert_int_equal(e->phys[0].cmds[n][1], 0);
    n = run(e, cmd_sid(SMMU_OP_CFGI_CD_ALL, 5), 0);
    assert_int_equal(e->phys[0].nr_cmds, n + 1);
    assert_int_equal(e->phys[0].cmds[n][0],
                     cmd_sid(SMMU_OP_CFGI_CD_ALL, 0x500));
    assert_int_equal(e->phys[0].nr_installs, installs);

    n = run(e, cmd_sid(SMMU_OP_CFGI_CD, 7), 0);
    n = run(e, cmd_sid(SMMU_OP_CFGI_CD, 0x1234), 0);
    assert_int_equal(e->phys[0].nr_cmds, n);
}

/* Write word 0 of the CD at @cd (the rest stays zero). */
static void write_cd0(struct env *e, paddr_t cd, uint64_t cd0)
{
    emul_ram_write(e->h->d, cd, &cd0, sizeof(cd0));
}

/* The configuration last installed for pSID 0x500 and the events since. */
static enum vsmmuv3_ste_cfg cd_outcome(struct env *e, unsigned int *bad_cd)
{
    uint64_t evts[16][4];
    unsigned int i, n = g_events(&e->g, evts, 16);

    *bad_cd = 0;
    for ( i = 0; i < n; i++ )
    {
        assert_int_equal(MASK_EXTR(evts[i][0], SMMU_EVT0_SID), 5);
        if ( MASK_EXTR(evts[i][0], SMMU_EVT0_ID) == SMMU_EVT_C_BAD_CD )
            (*bad_cd)++;
    }
    return fake_last_install(&e->phys[0], 0x500)->cfg;
}

/*
 * S8.9: the physical SMMU walks the guest's CD itself, so what the vSMMU
 * does not advertise must not reach it through a CD: AArch32 tables
 * (AA64 = 0), HTTU (HA, HD), a granule IDR5 does not list (TG0 3 is none)
 * for a table that is walked.  Such a CD is C_BAD_CD and the stream aborts,
 * checked when the STE is loaded and again at each CFGI_CD; a CD with
 * V = 0 is the physical SMMU's to report.
 */
static void test_cd_not_advertised(void **state)
{
    const uint64_t good = SMMU_CD0_V | SMMU_CD0_AA64 | SMMU_CD0_EPD1 |
                          MASK_INSR(16, SMMU_CD0_T0SZ) |
                          MASK_INSR(SMMU_CD_TG0_4K, SMMU_CD0_TG0);
    const uint64_t bad[] = {
        good & ~SMMU_CD0_AA64,
        good | SMMU_CD0_HA,
        good | SMMU_CD0_HD,
        (good & ~SMMU_CD0_TG0) | MASK_INSR(3, SMMU_CD0_TG0),
        (good & ~SMMU_CD0_EPD1) | MASK_INSR(0, SMMU_CD0_TG1),
    };
    struct env *e = *state;
    unsigned int i, nbad;

    write_cd0(e, H_CD_BASE, good);
    g_write_s1_ste(&e->g, 5, H_CD_BASE);
    run(e, cmd_sid(SMMU_OP_CFGI_STE, 5), 0);
    assert_int_equal(cd_outcome(e, &nbad), VSMMUV3_STE_NESTED);
    assert_int_equal(nbad, 0);

    for ( i = 0; i < ARRAY_SIZE(bad); i++ )
    {
        /* Loaded with the STE... */
        write_cd0(e, H_CD_BASE, bad[i]);
        run(e, cmd_sid(SMMU_OP_CFGI_STE, 5), 0);
        assert_int_equal(cd_outcome(e, &nbad), VSMMUV3_STE_ABORT);
        assert_int_equal(nbad, 1);
        /* ... or rewritten in place under a nested stream: CFGI_CD. */
        write_cd0(e, H_CD_BASE, good);
        run(e, cmd_sid(SMMU_OP_CFGI_CD, 5), SMMU_CMD1_LEAF);
        assert_int_equal(cd_outcome(e, &nbad), VSMMUV3_STE_NESTED);
        assert_int_equal(nbad, 0);
        write_cd0(e, H_CD_BASE, bad[i]);
        run(e, cmd_sid(SMMU_OP_CFGI_CD_ALL, 5), 0);
        assert_int_equal(cd_outcome(e, &nbad), VSMMUV3_STE_ABORT);
        assert_int_equal(nbad, 1);
        write_cd0(e, H_CD_BASE, good);
        run(e, cmd_sid(SMMU_OP_CFGI_CD, 5), 0);
        assert_int_equal(cd_outcome(e, &nbad), VSMMUV3_STE_NESTED);
    }

    /* V = 0: installed; the physical SMMU records C_BAD_CD itself. */
    write_cd0(e, H_CD_BASE, bad[0] & ~SMMU_CD0_V);
    run(e, cmd_sid(SMMU_OP_CFGI_CD, 5), 0);
    assert_int_equal(cd_outcome(e, &nbad), VSMMUV3_STE_NESTED);
    assert_int_equal(nbad, 0);
}

/* Batching: 64 TLBIs + CMD_SYNC are 64 physical commands and one sync. */
static void test_batch_64_one_sync(void **state)
{
    struct env *e = *state;
    unsigned int i;
    uint64_t c[2];

    for ( i = 0; i < 64; i++ )
    {
        cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VA, 1, 0x10000 + i * 0x1000ULL, true,
                    0, 0, 0, 0);
        g_cmd(&e->g, c[0], c[1]);
    }
    g_cmd_sync(&e->g);
    g_publish(&e->g);
    /* The budget (64) ends before the sync; the guest polls CONS. */
    while ( h_read32(e->h, SMMU_CMDQ_CONS) != e->g.prod )
        continue;
    assert_int_equal(e->phys[0].nr_cmds, 64);
    assert_int_equal(e->phys[0].syncs, 1);
    assert_int_equal(e->phys[0].queue_calls, 1);
    /* Every command was handed over before the sync. */
    assert_int_equal(e->phys[0].cmds_at_sync, 64);
    /* Another sync with nothing new costs no physical sync. */
    run(e, cmd_op(SMMU_OP_PREFETCH_CONFIG), 0);
    assert_int_equal(e->phys[0].syncs, 1);
}

/* Batching: more than a batch is handed over in batch-sized parts. */
static void test_batch_overflow(void **state)
{
    struct env *e = *state;
    unsigned int i;

    for ( i = 0; i < 100; i++ )
        g_cmd(&e->g, cmd_op(SMMU_OP_TLBI_NH_ASID) |
                     MASK_INSR(i, SMMU_CMD0_TLBI_ASID), 0);
    g_cmd_sync(&e->g);
    g_publish(&e->g);
    g_drain(e->h);
    assert_int_equal(e->phys[0].nr_cmds, 100);
    assert_int_equal(e->phys[0].queue_calls, 2);
    assert_int_equal(e->phys[0].syncs, 1);
    for ( i = 0; i < 100; i++ )
        assert_int_equal(MASK_EXTR(e->phys[0].cmds[i][0],
                                   SMMU_CMD0_TLBI_ASID), i);
}

/* S4.6: a non-forwardable command hands the batch over first (order). */
static void test_batch_flushed_before_config(void **state)
{
    struct env *e = *state;

    g_write_s1_ste(&e->g, 5, H_CD_BASE);
    g_cmd(&e->g, cmd_op(SMMU_OP_TLBI_NH_ASID), 0);
    g_cmd(&e->g, cmd_sid(SMMU_OP_CFGI_STE, 5), 0);
    g_publish(&e->g);
    g_drain(e->h);
    /* The TLBI was handed over (not synced) by the time of the install. */
    assert_int_equal(e->phys[0].queue_calls, 1);
    assert_int_equal(e->phys[0].nr_cmds, 1);
    assert_int_equal(e->phys[0].syncs, 0);
    assert_int_equal(fake_last_install(&e->phys[0], 0x500)->cfg,
                     VSMMUV3_STE_NESTED);
}

/*
 * S4.6, IHI 0070 4.3.1, 4.3.2: CFGI_ALL also invalidates every cached CD.
 * Unchanged nested streams are not reinstalled, so each gets one
 * CFGI_CD_ALL for its pSID on its own SMMU, batched and completed by the
 * guest's CMD_SYNC; abort, stage-2-only and virtual streams get nothing.
 * The first CFGI_ALL changes every configuration: installs only.
 */
static int setup_mix(void **state)
{
    static const struct env_stream mix[] = {
        { 1, 0, 0x100 },                /* nested */
        { 2, 0, 0x200 },                /* nested */
        { 3, 0, 0x300 },                /* abort (V=0) */
        { 4, 0, 0x400 },                /* bypass: stage 2 only */
        { 6, 1, 0x600 },                /* nested, the second SMMU */
        { 7, -1, 0 },                   /* virtual, nested STE */
    };

    *state = env_create(2, true, 8, mix, ARRAY_SIZE(mix));
    return 0;
}

static void test_cfgi_all_cd_all_per_nested_stream(void **state)
{
    struct env *e = *state;
    unsigned int installs0, installs1;

    g_write_s1_ste(&e->g, 1, H_CD_BASE);
    g_write_s1_ste(&e->g, 2, H_CD_BASE + 0x40);
    g_write_ste(&e->g, 4, SMMU_STE0_V |
                          MASK_INSR(SMMU_STE_CONFIG_BYPASS,
                                    SMMU_STE0_CONFIG), 0);
    g_write_s1_ste(&e->g, 6, H_CD_BASE + 0x80);
    g_write_s1_ste(&e->g, 7, H_CD_BASE + 0xc0);

    g_cmd(&e->g, cmd_op(SMMU_OP_CFGI_STE_RANGE), SMMU_CFGI_RANGE_ALL);
    g_sync_and_wait(&e->g);
    assert_int_equal(fake_last_install(&e->phys[0], 0x100)->cfg,
                     VSMMUV3_STE_NESTED);
    assert_int_equal(fake_last_install(&e->phys[0], 0x400)->cfg,
                     VSMMUV3_STE_S2_ONLY);
    assert_int_equal(fake_last_install(&e->phys[1], 0x600)->cfg,
                     VSMMUV3_STE_NESTED);
    assert_int_equal(e->phys[0].nr_cmds, 0);
    assert_int_equal(e->phys[1].nr_cmds, 0);
    installs0 = e->phys[0].nr_installs;
    installs1 = e->phys[1].nr_installs;

    /*
     * Handed over at the end of the step that queued them (S8.8: the work
     * is done where it is charged), synced only by the CMD_SYNC.
     */
    g_cmd(&e->g, cmd_op(SMMU_OP_CFGI_STE_RANGE), SMMU_CFGI_RANGE_ALL);
    g_publish(&e->g);
    g_drain(e->h);
    assert_int_equal(e->phys[0].queue_calls, 1);
    assert_int_equal(e->phys[1].queue_calls, 1);
    assert_int_equal(e->phys[0].syncs, 0);
    assert_int_equal(e->phys[1].syncs, 0);
    g_sync_and_wait(&e->g);

    assert_int_equal(e->phys[0].nr_installs, installs0);
    assert_int_equal(e->phys[1].nr_installs, installs1);
    assert_int_equal(e->phys[0].nr_cmds, 2);
    assert_int_equal(e->phys[0].cmds[0][0],
                     cmd_sid(SMMU_OP_CFGI_CD_ALL, 0x100));
    assert_int_equal(e->phys[0].cmds[0][1], 0);
    assert_int_equal(e->phys[0].cmds[1][0],
                     cmd_sid(SMMU_OP_CFGI_CD_ALL, 0x200));
    assert_int_equal(e->phys[0].cmds[1][1], 0);
    assert_int_equal(e->phys[0].queue_calls, 1);
    assert_int_equal(e->phys[0].syncs, 1);
    assert_int_equal(e->phys[1].nr_cmds, 1);
    assert_int_equal(e->phys[1].cmds[0][0],
                     cmd_sid(SMMU_OP_CFGI_CD_ALL, 0x600));
    assert_int_equal(e->phys[1].syncs, 1);
}

/* Two physical SMMUs: each its VMID, CFGI_CD only to its owner. */
static void test_two_backends(void **state)
{
    struct env *e = *state;

    g_write_s1_ste(&e->g, 6, H_CD_BASE);
    g_cmd(&e->g, cmd_sid(SMMU_OP_CFGI_STE, 6), 0);
    g_sync_and_wait(&e->g);
    e->phys[0].nr_cmds = e->phys[1].nr_cmds = 0;
    e->phys[0].syncs = e->phys[1].syncs = 0;

    g_cmd(&e->g, cmd_op(SMMU_OP_TLBI_NH_ASID) |
                 MASK_INSR(4, SMMU_CMD0_TLBI_ASID), 0);
    g_cmd(&e->g, cmd_sid(SMMU_OP_CFGI_CD, 6), 0);
    g_cmd_sync(&e->g);
    g_publish(&e->g);
    g_drain(e->h);
    assert_int_equal(e->phys[0].nr_cmds, 1);
    assert_int_equal(MASK_EXTR(e->phys[0].cmds[0][0], SMMU_CMD0_TLBI_VMID),
                     VMID0);
    assert_int_equal(e->phys[1].nr_cmds, 2);
    assert_int_equal(MASK_EXTR(e->phys[1].cmds[0][0], SMMU_CMD0_TLBI_VMID),
                     VMID1);
    assert_int_equal(e->phys[1].cmds[1][0],
                     cmd_sid(SMMU_OP_CFGI_CD_ALL, 0x600));
    assert_int_equal(e->phys[0].syncs, 1);
    assert_int_equal(e->phys[1].syncs, 1);
}

/*
 * The first physical SMMU refuses invalidations: submit @c0/@c1 and a
 * CMD_SYNC, which fails with CERROR_ABT (Linux then fetches the CMD_SYNC
 * again; CERROR_ILL would make it rewrite the sync without its MSI); the
 * SMMU then works again.  Returns the physical command count before the
 * guest's GERRORN ack.
 */
static unsigned int submit_refused(struct env *e, uint64_t c0, uint64_t c1)
{
    e->phys[0].fail_queue = -EIO;
    g_cmd(&e->g, c0, c1);
    g_cmd_sync(&e->g);
    g_publish(&e->g);
    g_drain(e->h);
    assert_int_equal(MASK_EXTR(h_read32(e->h, SMMU_CMDQ_CONS),
                               SMMU_CMDQ_CONS_ERR),
                     SMMU_CERROR_ABT);
    e->phys[0].fail_queue = 0;
    return e->phys[0].nr_cmds;
}

/*
 * A physical failure is a guest-visible command error, never a hypervisor
 * fault; the next sync first flushes the whole VMID so nothing is lost.
 */
static void test_physical_failure(void **state)
{
    struct env *e = *state;
    unsigned int n = submit_refused(e, cmd_op(SMMU_OP_TLBI_NH_ASID), 0);

    assert_int_equal(h_read32(e->h, SMMU_CMDQ_CONS) & 0x1ff, 1);
    /* Linux retries the sync after the ack; the SMMU works again. */
    h_write32(e->h, SMMU_GERRORN, h_read32(e->h, SMMU_GERROR));
    assert_int_equal(h_read32(e->h, SMMU_CMDQ_CONS) & 0x1ff, 2);
    assert_int_equal(e->phys[0].cmds[n][0],
                     cmd_op(SMMU_OP_TLBI_NH_ALL) |
                     MASK_INSR(VMID0, SMMU_CMD0_TLBI_VMID));
    assert_true(e->phys[0].syncs >= 1);
}

/*
 * S4.6: a refused batch may have held a CFGI_CD: the recovery before the
 * next sync also drops the CDs cached for every nested stream of that SMMU.
 */
static void test_physical_failure_drops_cds(void **state)
{
    struct env *e = *state;
    unsigned int n;

    g_write_s1_ste(&e->g, 5, H_CD_BASE);
    g_cmd(&e->g, cmd_sid(SMMU_OP_CFGI_STE, 5), SMMU_CMD1_LEAF);
    g_sync_and_wait(&e->g);
    assert_int_equal(fake_last_install(&e->phys[0], 0x500)->cfg,
                     VSMMUV3_STE_NESTED);

    n = submit_refused(e, cmd_sid(SMMU_OP_CFGI_CD, 5), SMMU_CMD1_LEAF);
    h_write32(e->h, SMMU_GERRORN, h_read32(e->h, SMMU_GERROR));
    assert_int_equal(g_cons(&e->g) & 0x1ff, e->g.prod);
    /*
     * The one nested stream's CDs (7 is virtual), then the VMID's TLB, so
     * that nothing walked through a stale CD survives.
     */
    assert_int_equal(e->phys[0].nr_cmds - n, 2);
    assert_int_equal(e->phys[0].cmds[n][0],
                     cmd_sid(SMMU_OP_CFGI_CD_ALL, 0x500));
    assert_int_equal(e->phys[0].cmds[n + 1][0],
                     cmd_op(SMMU_OP_TLBI_NH_ALL) |
                     MASK_INSR(VMID0, SMMU_CMD0_TLBI_VMID));
}

/*
 * A failed physical sync is reported on the guest's CMD_SYNC as
 * CERROR_ABT: Linux acknowledges and the SMMU fetches the same CMD_SYNC
 * again, which then succeeds after the recovery.
 */
static void test_physical_sync_failure(void **state)
{
    struct env *e = *state;
    unsigned int syncs;

    e->phys[0].fail_sync = -ETIMEDOUT;
    g_cmd(&e->g, cmd_op(SMMU_OP_TLBI_NH_ALL), 0);
    g_cmd_sync(&e->g);
    g_publish(&e->g);
    assert_int_equal(MASK_EXTR(h_read32(e->h, SMMU_CMDQ_CONS),
                               SMMU_CMDQ_CONS_ERR),
                     SMMU_CERROR_ABT);
    assert_int_equal(h_read32(e->h, SMMU_CMDQ_CONS) & 0x1ff, 1);
    assert_true(e->h->vs->stats.phys_errors > 0);
    /* Linux's CERROR_ABT handling: acknowledge, rewrite nothing. */
    e->phys[0].fail_sync = 0;
    syncs = e->phys[0].syncs;
    h_write32(e->h, SMMU_GERRORN, h_read32(e->h, SMMU_GERROR));
    assert_int_equal(h_read32(e->h, SMMU_CMDQ_CONS) & 0x1ff, 2);
    assert_int_equal(e->phys[0].syncs, syncs + 1);
}

/* Without ASID16 on a physical SMMU, ASIDs are 8 bits (RES0 above). */
static void test_asid8(void **state)
{
    struct fake_phys phys = { 0 };
    struct vsmmuv3_backend be = fake_backend(&phys, 3, true);
    struct vsmmuv3_params p;
    struct harness *h;
    struct guest g;
    uint64_t c[2];

    be.caps.idr[0] &= ~SMMU_IDR0_ASID16;
    harness_default_params(&p);
    p.nr_backends = 1;
    p.backends = &be;
    h = harness_create(&p);
    assert_false(h_read32(h, SMMU_IDR0) & SMMU_IDR0_ASID16);
    g_reset(&g, h, 8, 8, 8, true);
    cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VA, 0x1234, 0x5000, true, 0, 0, 0, 0);
    g_cmd(&g, c[0], c[1]);
    g_cmd_sync(&g);
    g_publish(&g);
    assert_int_equal(phys.nr_cmds, 1);
    assert_int_equal(MASK_EXTR(phys.cmds[0][0], SMMU_CMD0_TLBI_ASID),
                     0x34);
    harness_destroy(h);
}

/* Virtual streams only: nothing is relayed, syncs complete. */
static void test_no_backend(void **state)
{
    struct harness *h = harness_create(NULL);
    struct guest g;

    g_reset(&g, h, 8, 8, 8, true);
    g_cmd(&g, cmd_op(SMMU_OP_TLBI_NH_ALL), 0);
    g_cmd(&g, cmd_sid(SMMU_OP_CFGI_CD, 1), 0);
    g_cmd_sync(&g);
    g_publish(&g);
    assert_int_equal(h_read32(h, SMMU_CMDQ_CONS), 3);
    assert_int_equal(h->vs->stats.phys_syncs, 0);
    harness_destroy(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_vmid_substituted, setup,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_scope_kept, setup, env_teardown),
        cmocka_unit_test_setup_teardown(test_nsnh_all_scoped, setup,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_range_tlbi_kept, setup,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_non_range_drops_res0_fields,
                                        setup, env_teardown),
        cmocka_unit_test_setup_teardown(test_range_normalised, setup,
                                        env_teardown),
        cmocka_unit_test(test_range_16k_ttl1_dropped),
        cmocka_unit_test_setup_teardown(test_range_unadvertised_granule,
                                        setup, env_teardown),
        cmocka_unit_test_setup_teardown(test_no_ril_split, setup_no_ril,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_no_ril_widen, setup_no_ril,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_cd_not_advertised, setup,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_cfgi_cd_translated, setup,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_batch_64_one_sync, setup,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_batch_overflow, setup,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_batch_flushed_before_config,
                                        setup, env_teardown),
        cmocka_unit_test_setup_teardown(test_cfgi_all_cd_all_per_nested_stream,
                                        setup_mix, env_teardown),
        cmocka_unit_test_setup_teardown(test_two_backends, setup_two,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_physical_failure, setup,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_physical_failure_drops_cds,
                                        setup, env_teardown),
        cmocka_unit_test_setup_teardown(test_physical_sync_failure, setup,
                                        env_teardown),
        cmocka_unit_test(test_asid8),
        cmocka_unit_test(test_no_backend),
    };

    return cmocka_run_group_tests_name("relay", tests, NULL, NULL);
}
