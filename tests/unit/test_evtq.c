/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event queue, interrupts, MSIs and forwarded physical events (SPEC-NOTES
 * section 6): record layout, wrap, overflow and its acknowledgement, write
 * failure, interrupt levels for every combination, MSI delivery and abort,
 * configuration errors in guest memory with the vSID, physical faults from
 * the software SMMU model, and the forwarding budget under a flood.
 */
#include "harness.h"
#include "pgtable.h"
#include "smmu-model.h"

#define PSID    0x900
#define VSID    9

static int setup(void **state)
{
    static const struct env_stream stream = { VSID, 0, PSID };

    *state = env_create(1, true, 4, &stream, 1);   /* 16-entry event queue */
    return 0;
}

/* A physical stage-1 translation fault record for @psid at @iova. */
static void phys_fault(uint64_t evt[4], unsigned int id, uint32_t psid,
                       uint64_t iova, bool s2)
{
    evt[0] = MASK_INSR(id, SMMU_EVT0_ID) |
             MASK_INSR(psid, SMMU_EVT0_SID);
    evt[1] = SMMU_EVT1_RNW | SMMU_EVT1_PNU |
             MASK_INSR(SMMU_EVT_CLASS_IN, SMMU_EVT1_CLASS) |
             (s2 ? SMMU_EVT1_S2 | SMMU_EVT1_NSIPA : 0);
    evt[2] = iova;
    evt[3] = 0x8123456000ULL;           /* an IPA / machine address */
}

static int forward(struct env *e, const uint64_t evt[4])
{
    return vsmmuv3_handle_phys_event(e->h->vs, FAKE_PHYS(&e->phys[0]), evt);
}

static uint32_t evtq_prod(struct env *e)
{
    return h_read32(e->h, SMMU_EVENTQ_PROD);
}

/* S6.1: 32-byte records; ID [7:0], StreamID [63:32]; vSID, not pSID. */
static void test_record_layout(void **state)
{
    struct env *e = *state;
    uint64_t evt[4], rec[4];

    phys_fault(evt, SMMU_EVT_F_TRANSLATION, PSID, 0xfeed000, false);
    assert_int_equal(forward(e, evt), 0);
    assert_int_equal(evtq_prod(e), 1);
    emul_ram_read(e->h->d, H_EVTQ_BASE, rec, sizeof(rec));
    assert_int_equal(rec[0], MASK_INSR(SMMU_EVT_F_TRANSLATION, SMMU_EVT0_ID) |
                             MASK_INSR(VSID, SMMU_EVT0_SID));
    assert_int_equal(rec[1], evt[1]);
    assert_int_equal(rec[2], 0xfeed000);
    /* No machine or stage-2 address reaches the guest. */
    assert_int_equal(rec[3], 0);
    /* The next record goes 32 bytes further. */
    assert_int_equal(forward(e, evt), 0);
    emul_ram_read(e->h->d, H_EVTQ_BASE + SMMU_EVT_SIZE, rec, sizeof(rec));
    assert_int_equal(MASK_EXTR(rec[0], SMMU_EVT0_SID), VSID);
}

/* S6.2: the producer wraps with the consumer. */
static void test_wrap(void **state)
{
    struct env *e = *state;
    uint64_t evt[4], evts[16][4];
    unsigned int round, i;

    for ( round = 0; round < 5; round++ )
    {
        for ( i = 0; i < 10; i++ )
        {
            phys_fault(evt, SMMU_EVT_F_PERMISSION, PSID, round * 100 + i,
                       false);
            assert_int_equal(forward(e, evt), 0);
        }
        assert_int_equal(g_events(&e->g, evts, 16), 10);
        for ( i = 0; i < 10; i++ )
            assert_int_equal(evts[i][2], round * 100 + i);
    }
    /* 50 records through 16 slots: index 2, wrap bit 1 (0x10 | 2). */
    assert_int_equal(evtq_prod(e), (50 % 32));
}

/*
 * S6.2, IHI 0070 7.4: a full queue drops the event and toggles OVFLG once;
 * it is never EVENTQ_ABT_ERR.  The guest acknowledges by copying OVFLG to
 * OVACKFLG; the next overflow toggles OVFLG again.
 */
static void test_overflow_protocol(void **state)
{
    struct env *e = *state;
    uint64_t evt[4], evts[16][4];
    unsigned int i;
    uint32_t prod;

    phys_fault(evt, SMMU_EVT_F_TRANSLATION, PSID, 0, false);
    for ( i = 0; i < 16; i++ )
        assert_int_equal(forward(e, evt), 0);
    prod = evtq_prod(e);
    assert_int_equal(prod, 16);                 /* full: wrap set, idx 0 */
    forward(e, evt);
    forward(e, evt);
    prod = evtq_prod(e);
    assert_int_equal(prod, SMMU_EVENTQ_PROD_OVFLG | 16);
    assert_int_equal(h_read32(e->h, SMMU_GERROR), 0);
    assert_int_equal(e->h->vs->stats.events_lost, 2);

    /* Drain and acknowledge the overflow, as Linux does. */
    assert_int_equal(g_events(&e->g, evts, 16), 16);
    e->g.evtq_cons |= SMMU_EVENTQ_CONS_OVACKFLG;
    h_write32(e->h, SMMU_EVENTQ_CONS, e->g.evtq_cons);
    /* Not full any more: recorded, OVFLG unchanged. */
    assert_int_equal(forward(e, evt), 0);
    assert_int_equal(evtq_prod(e), SMMU_EVENTQ_PROD_OVFLG | 17);
    /* A second overflow toggles OVFLG back (now != OVACKFLG again). */
    for ( i = 0; i < 16; i++ )
        forward(e, evt);
    assert_int_equal(evtq_prod(e) & SMMU_EVENTQ_PROD_OVFLG, 0);
    /* Unacknowledged: further drops do not toggle it. */
    forward(e, evt);
    assert_int_equal(evtq_prod(e) & SMMU_EVENTQ_PROD_OVFLG, 0);
}

/* S6.2, S8.3: a record that cannot be written raises EVENTQ_ABT_ERR. */
static void test_write_failure(void **state)
{
    struct env *e = *state;
    uint64_t evt[4];

    assert_int_equal(emul_ram_punch_hole(e->h->d, H_EVTQ_BASE, PAGE_SIZE),
                     0);
    phys_fault(evt, SMMU_EVT_F_TRANSLATION, PSID, 0, false);
    assert_int_equal(forward(e, evt), 0);
    assert_int_equal(evtq_prod(e), 0);
    assert_int_equal(h_read32(e->h, SMMU_GERROR) ^
                     h_read32(e->h, SMMU_GERRORN),
                     SMMU_GERROR_EVENTQ_ABT_ERR);
    assert_true(emul_vgic_level(e->h->d, H_GERROR_VIRQ));
    /* Until acknowledged, nothing more is written (or attempted). */
    forward(e, evt);
    assert_int_equal(e->h->vs->stats.events_lost, 2);
    h_write32(e->h, SMMU_GERRORN, h_read32(e->h, SMMU_GERROR));
    assert_int_equal(emul_ram_add(e->h->d, 0x90000000ULL, PAGE_SIZE), 0);
    h_write32(e->h, SMMU_CR0, 0xb);
    h_write64(e->h, SMMU_EVENTQ_BASE, 0x90000000ULL | 4);
    h_write32(e->h, SMMU_CR0, 0xf);
    assert_int_equal(forward(e, evt), 0);
    assert_int_equal(evtq_prod(e), 1);
}

/* S6.2: nothing is recorded while EVENTQEN=0. */
static void test_disabled_queue(void **state)
{
    struct env *e = *state;
    uint64_t evt[4];

    h_write32(e->h, SMMU_CR0, SMMU_CR0_SMMUEN | SMMU_CR0_CMDQEN);
    phys_fault(evt, SMMU_EVT_F_TRANSLATION, PSID, 0, false);
    assert_int_equal(forward(e, evt), 0);
    assert_int_equal(evtq_prod(e), 0);
    assert_int_equal(e->h->vs->stats.events_lost, 1);
}

/*
 * S8.9: the vSMMU offers no stalls, so a forwarded record never says a
 * transaction stalled, nor carries the physical STAG to resume it with.
 */
static void test_forwarded_never_stalled(void **state)
{
    struct env *e = *state;
    uint64_t evt[4], rec[4];

    phys_fault(evt, SMMU_EVT_F_PERMISSION, PSID, 0xbeef000, false);
    evt[1] |= SMMU_EVT1_STALL | MASK_INSR(0xa5c3, SMMU_EVT1_STAG);
    assert_int_equal(forward(e, evt), 0);
    emul_ram_read(e->h->d, H_EVTQ_BASE, rec, sizeof(rec));
    assert_int_equal(MASK_EXTR(rec[0], SMMU_EVT0_ID),
                     SMMU_EVT_F_PERMISSION);
    assert_false(rec[1] & SMMU_EVT1_STALL);
    assert_int_equal(MASK_EXTR(rec[1], SMMU_EVT1_STAG), 0);
    /* The rest of the word is the guest's: untouched. */
    assert_int_equal(rec[1], evt[1] & ~(SMMU_EVT1_STALL | SMMU_EVT1_STAG));
    assert_int_equal(rec[2], 0xbeef000);
}

/* S6.1: stage-2 faults are Xen's; only stage-1 event types forwarded. */
static void test_forwarding_filter(void **state)
{
    struct env *e = *state;
    static const unsigned int fwd[] = {
        SMMU_EVT_F_TRANSLATION, SMMU_EVT_F_ADDR_SIZE, SMMU_EVT_F_ACCESS,
        SMMU_EVT_F_PERMISSION, SMMU_EVT_C_BAD_CD, SMMU_EVT_F_CD_FETCH,
        SMMU_EVT_F_WALK_EABT, SMMU_EVT_F_STREAM_DISABLED,
        SMMU_EVT_C_BAD_SUBSTREAMID, SMMU_EVT_C_BAD_STE,
    };
    static const unsigned int drop[] = {
        SMMU_EVT_F_UUT, SMMU_EVT_C_BAD_STREAMID, SMMU_EVT_F_STE_FETCH,
        SMMU_EVT_F_BAD_ATS_TREQ, SMMU_EVT_F_TRANSL_FORBIDDEN,
        SMMU_EVT_F_TLB_CONFLICT, SMMU_EVT_F_CFG_CONFLICT,
        SMMU_EVT_E_PAGE_REQUEST, 0xff,
    };
    uint64_t evt[4];
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(fwd); i++ )
    {
        phys_fault(evt, fwd[i], PSID, 0, false);
        assert_int_equal(forward(e, evt), 0);
    }
    for ( i = 0; i < ARRAY_SIZE(drop); i++ )
    {
        phys_fault(evt, drop[i], PSID, 0, false);
        assert_int_equal(forward(e, evt), -EPERM);
    }
    /*
     * The four translation faults, from stage 2, and an abort fetching a
     * descriptor of Xen's stage-2 tables (F_WALK_EABT with S2, IHI 0070
     * 7.3.12; found by fuzz_mmio).
     */
    for ( i = 0; i < 4; i++ )
    {
        phys_fault(evt, fwd[i], PSID, 0, true);
        assert_int_equal(forward(e, evt), -EPERM);
    }
    phys_fault(evt, SMMU_EVT_F_WALK_EABT, PSID, 0, true);
    assert_int_equal(forward(e, evt), -EPERM);
    assert_int_equal(evtq_prod(e), ARRAY_SIZE(fwd));
}

/* Events of streams that are not the vSMMU's never reach the guest. */
static void test_unknown_stream_or_smmu(void **state)
{
    struct env *e = *state;
    struct fake_phys other;
    uint64_t evt[4];

    phys_fault(evt, SMMU_EVT_F_TRANSLATION, PSID + 1, 0, false);
    assert_int_equal(forward(e, evt), -ENOENT);
    phys_fault(evt, SMMU_EVT_F_TRANSLATION, PSID, 0, false);
    assert_int_equal(vsmmuv3_handle_phys_event(e->h->vs, FAKE_PHYS(&other), evt),
                     -ENOENT);
    assert_int_equal(evtq_prod(e), 0);
}

/* S6.3: a flood of 100000 faults forwards one budget per period. */
static void test_flood_budget(void **state)
{
    struct env *e = *state;
    unsigned int i, forwarded = 0, budget = e->h->vs->event_budget;
    uint64_t evt[4], evts[16][4];

    emul_log_clear();
    phys_fault(evt, SMMU_EVT_F_TRANSLATION, PSID, 0, false);
    for ( i = 0; i < 100000; i++ )
    {
        if ( forward(e, evt) == 0 )
            forwarded++;
        g_events(&e->g, evts, 16);              /* the guest keeps up */
    }
    assert_int_equal(forwarded, budget);
    assert_int_equal(e->h->vs->stats.events_throttled, 100000 - budget);
    /* The next period forwards again, and the drop count is reported. */
    emul_clock_advance(SECONDS(1));
    assert_int_equal(forward(e, evt), 0);
    assert_int_equal(emul_log_count("physical events over budget dropped"),
                     1);
    assert_true(emul_log_total() <= VSMMUV3_LOG_BURST + 1);
}

/* S6.4: the EVTQ line for every combination of enables and pending. */
static void test_evtq_line_every_combination(void **state)
{
    struct env *e = *state;
    unsigned int c;

    for ( c = 0; c < 16; c++ )
    {
        bool en = c & 1, irqen = c & 2, pending = c & 4, msi = c & 8;
        uint64_t evt[4], evts[16][4];

        h_write32(e->h, SMMU_IRQ_CTRL, 0);
        h_write32(e->h, SMMU_CR0, 0xd);
        h_write64(e->h, SMMU_EVENTQ_IRQ_CFG0, msi ? H_RAM_BASE + 0x7000 : 0);
        while ( g_events(&e->g, evts, 16) )
            continue;
        if ( pending )
        {
            phys_fault(evt, SMMU_EVT_F_TRANSLATION, PSID, 0, false);
            assert_int_equal(forward(e, evt), 0);
        }
        h_write32(e->h, SMMU_CR0, en ? 0xd : 0x9);
        h_write32(e->h, SMMU_IRQ_CTRL,
                  irqen ? SMMU_IRQ_CTRL_EVENTQ_IRQEN : 0);
        /* Wired only when not signalled by MSI. */
        assert_int_equal(emul_vgic_level(e->h->d, H_EVTQ_VIRQ),
                         en && irqen && pending && !msi);
    }
}

/* S6.4: the GERROR line for every combination (with the error first). */
static void test_gerror_line_every_combination(void **state)
{
    struct env *e = *state;
    unsigned int c;

    for ( c = 0; c < 8; c++ )
    {
        bool irqen = c & 1, active = c & 2, msi = c & 4;

        h_write32(e->h, SMMU_IRQ_CTRL, 0);
        h_write64(e->h, SMMU_GERROR_IRQ_CFG0, msi ? H_RAM_BASE + 0x7000 : 0);
        h_write32(e->h, SMMU_GERRORN, h_read32(e->h, SMMU_GERROR));
        if ( active )
            h_raise_gerror(e->h, SMMU_GERROR_CMDQ_ERR);
        h_write32(e->h, SMMU_IRQ_CTRL,
                  irqen ? SMMU_IRQ_CTRL_GERROR_IRQEN : 0);
        assert_int_equal(emul_vgic_level(e->h->d, H_GERROR_VIRQ),
                         irqen && active && !msi);
        assert_false(emul_vgic_level(e->h->d, H_EVTQ_VIRQ));
    }
}

/* S3.3, S6.4: with an MSI address, each new event writes MSI data there. */
static void test_evtq_msi(void **state)
{
    struct env *e = *state;
    paddr_t doorbell = H_RAM_BASE + 0x7000;
    uint64_t evt[4];

    assert_true(h_read32(e->h, SMMU_IDR0) & SMMU_IDR0_MSI);
    h_write32(e->h, SMMU_IRQ_CTRL, 0);
    h_write64(e->h, SMMU_EVENTQ_IRQ_CFG0, doorbell);
    h_write32(e->h, SMMU_EVENTQ_IRQ_CFG1, 0xa5a50001);
    h_write32(e->h, SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_EVENTQ_IRQEN);
    emul_ram_write64(e->h->d, doorbell, 0);
    phys_fault(evt, SMMU_EVT_F_TRANSLATION, PSID, 0, false);
    assert_int_equal(forward(e, evt), 0);
    assert_int_equal(emul_ram_read64(e->h->d, doorbell), 0xa5a50001);
    assert_false(emul_vgic_level(e->h->d, H_EVTQ_VIRQ));
    /* Disabled interrupt: no MSI. */
    emul_ram_write64(e->h->d, doorbell, 0);
    h_write32(e->h, SMMU_IRQ_CTRL, 0);
    assert_int_equal(forward(e, evt), 0);
    assert_int_equal(emul_ram_read64(e->h->d, doorbell), 0);
}

/*
 * The MSI fallback: a target that is not guest RAM (a doorbell in MMIO)
 * aborts; MSI_EVENTQ_ABT_ERR is raised and signalled on the wired GERROR
 * line.  The event itself was recorded.
 */
static void test_evtq_msi_abort_fallback(void **state)
{
    struct env *e = *state;
    uint64_t evt[4];

    h_write32(e->h, SMMU_IRQ_CTRL, 0);
    h_write64(e->h, SMMU_EVENTQ_IRQ_CFG0, 0x08020040ULL);  /* a GITS page */
    h_write32(e->h, SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_EVENTQ_IRQEN |
                                   SMMU_IRQ_CTRL_GERROR_IRQEN);
    phys_fault(evt, SMMU_EVT_F_TRANSLATION, PSID, 0, false);
    assert_int_equal(forward(e, evt), 0);
    assert_int_equal(evtq_prod(e), 1);
    assert_int_equal(h_read32(e->h, SMMU_GERROR) ^
                     h_read32(e->h, SMMU_GERRORN),
                     SMMU_GERROR_MSI_EVENTQ_ABT_ERR);
    assert_true(emul_vgic_level(e->h->d, H_GERROR_VIRQ));
}

/* An aborted GERROR MSI is reported, and does not loop. */
static void test_gerror_msi_abort_no_loop(void **state)
{
    struct env *e = *state;
    struct emul_mem_stats before, after;

    h_write32(e->h, SMMU_IRQ_CTRL, 0);
    h_write64(e->h, SMMU_GERROR_IRQ_CFG0, 0x08020040ULL);
    h_write32(e->h, SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_GERROR_IRQEN);
    emul_mem_stats(e->h->d, &before);
    h_raise_gerror(e->h, SMMU_GERROR_CMDQ_ERR);
    emul_mem_stats(e->h->d, &after);
    assert_int_equal(after.writes - before.writes, 1);
    assert_int_equal(h_read32(e->h, SMMU_GERROR),
                     SMMU_GERROR_CMDQ_ERR | SMMU_GERROR_MSI_GERROR_ABT_ERR);
    /* With a RAM target the GERROR MSI is written. */
    h_write32(e->h, SMMU_IRQ_CTRL, 0);
    h_write32(e->h, SMMU_GERRORN, h_read32(e->h, SMMU_GERROR));
    h_write64(e->h, SMMU_GERROR_IRQ_CFG0, H_RAM_BASE + 0x7100);
    h_write32(e->h, SMMU_GERROR_IRQ_CFG1, 0x77);
    h_write32(e->h, SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_GERROR_IRQEN);
    h_raise_gerror(e->h, SMMU_GERROR_CMDQ_ERR);
    assert_int_equal(emul_ram_read32(e->h->d, H_RAM_BASE + 0x7100), 0x77);
}

/* S5, S6.1: C_BAD_STE and C_BAD_STREAMID reach guest memory with the vSID. */
static void test_config_events_in_guest_memory(void **state)
{
    struct env *e = *state;
    uint64_t evts[4][4];

    g_write_ste(&e->g, VSID, SMMU_STE0_V |
                MASK_INSR(SMMU_STE_CONFIG_S2_TRANS, SMMU_STE0_CONFIG),
                0);
    g_cmd(&e->g, cmd_sid(SMMU_OP_CFGI_STE, VSID), 0);
    g_cmd(&e->g, cmd_sid(SMMU_OP_CFGI_STE, 0x4000), 0);     /* > 2^8 */
    g_cmd_sync(&e->g);
    g_publish(&e->g);
    assert_true(emul_vgic_level(e->h->d, H_EVTQ_VIRQ));
    assert_int_equal(g_events(&e->g, evts, 4), 2);
    assert_int_equal(evts[0][0], MASK_INSR(SMMU_EVT_C_BAD_STE, SMMU_EVT0_ID) |
                                 MASK_INSR(VSID, SMMU_EVT0_SID));
    assert_int_equal(evts[1][0], MASK_INSR(SMMU_EVT_C_BAD_STREAMID,
                                           SMMU_EVT0_ID) |
                                 MASK_INSR(0x4000, SMMU_EVT0_SID));
    assert_false(emul_vgic_level(e->h->d, H_EVTQ_VIRQ));
}

/*
 * S6.1: a DMA fault in the software SMMU model reaches the guest as
 * F_TRANSLATION with the vSID: stage-1 tables in guest RAM, the model as
 * the physical SMMU, its fault routed through vsmmuv3_handle_phys_event().
 */
struct model_env {
    struct harness *h;
    struct vsmmuv3_phys_ops ops;
    struct smmu_model *m;
};

static int model_read_pa(void *ctx, uint64_t pa, void *buf, size_t len)
{
    struct model_env *me = ctx;

    return access_guest_memory_by_gpa(me->h->d, pa, buf, len, false) ? -1
                                                                     : 0;
}

static int model_write_ipa(void *ctx, uint64_t ipa, const void *buf,
                           size_t len)
{
    struct model_env *me = ctx;

    emul_ram_write(me->h->d, ipa, buf, len);
    return 0;
}

static int model_read_ipa(void *ctx, uint64_t ipa, void *buf, size_t len)
{
    struct model_env *me = ctx;

    emul_ram_read(me->h->d, ipa, buf, len);
    return 0;
}

static void model_event(void *ctx, const uint64_t evt[4])
{
    struct model_env *me = ctx;

    vsmmuv3_handle_phys_event(me->h->vs, FAKE_PHYS(me->m), evt);
}

static void test_model_fault_reaches_guest(void **state)
{
    struct model_env me = { 0 };
    struct smmu_model_config mc = {
        .read_pa = model_read_pa, .mem_ctx = &me, .ril = true,
    };
    struct smmu_pgt_config pc = {
        .granule = 4096, .ias = 48, .pool_base = H_RAM_BASE + 0x800000,
        .pool_size = 0x100000, .write_ipa = model_write_ipa,
        .read_ipa = model_read_ipa, .ctx = &me,
    };
    struct vsmmuv3_backend be = { 0 };
    struct smmu_model_domain *md;
    struct vsmmuv3_params p;
    struct smmu_cd_params prm;
    struct smmu_pgt *pgt;
    struct guest g;
    uint64_t cd[SMMU_CD_DWORDS], ste[SMMU_STE_DWORDS], evts[4][4], pa;

    me.ops = (struct vsmmuv3_phys_ops)SMMU_MODEL_PHYS_OPS;
    me.m = smmu_model_create(&mc);
    md = smmu_model_domain_create(me.m, 5);
    assert_int_equal(smmu_model_s2_map(md, H_RAM_BASE, H_RAM_BASE,
                                       H_RAM_SIZE, SMMU_MODEL_S2_RW), 0);
    assert_int_equal(smmu_model_assign_stream(md, PSID), 0);
    smmu_model_set_event_handler(me.m, model_event, &me);
    be = (struct vsmmuv3_backend){ .phys_id = FAKE_PHYS(me.m), .ops = &me.ops,
                                   .priv = md, .vmid = 5 };
    smmu_model_read_caps(me.m, be.caps.idr, &be.caps.iidr, &be.caps.aidr);
    harness_default_params(&p);
    p.nr_backends = 1;
    p.backends = &be;
    me.h = harness_create(&p);
    assert_int_equal(vsmmuv3_add_stream(me.h->vs, VSID, 0, PSID), 0);
    g_reset(&g, me.h, 8, 4, 8, true);

    pgt = smmu_pgt_create(&pc);
    assert_int_equal(smmu_pgt_map(pgt, 0x100000, H_RAM_BASE + 0x20000,
                                  0x1000, SMMU_PGT_WRITE), 0);
    smmu_pgt_cd_params(pgt, 1, &prm);
    smmu_build_cd(cd, &prm);
    emul_ram_write(me.h->d, H_CD_BASE, cd, sizeof(cd));
    smmu_build_ste_s1(ste, H_CD_BASE);
    g_write_ste(&g, VSID, ste[0], ste[1]);
    g_cmd(&g, cmd_sid(SMMU_OP_CFGI_STE, VSID), 0);
    g_cmd_sync(&g);
    g_publish(&g);

    /* Mapped: translates.  Unmapped: the guest gets F_TRANSLATION. */
    assert_int_equal(smmu_model_dma(me.m, PSID, 0x100010,
                                    SMMU_MODEL_ACCESS_READ, 4, &pa,
                                    evts[0]), SMMU_MODEL_DMA_OK);
    assert_int_equal(pa, H_RAM_BASE + 0x20010);
    assert_int_equal(smmu_model_dma(me.m, PSID, 0x200000,
                                    SMMU_MODEL_ACCESS_WRITE, 4, &pa,
                                    evts[0]), SMMU_MODEL_DMA_FAULT);
    assert_true(emul_vgic_level(me.h->d, H_EVTQ_VIRQ));
    assert_int_equal(g_events(&g, evts, 4), 1);
    assert_int_equal(MASK_EXTR(evts[0][0], SMMU_EVT0_ID),
                     SMMU_EVT_F_TRANSLATION);
    assert_int_equal(MASK_EXTR(evts[0][0], SMMU_EVT0_SID), VSID);
    assert_int_equal(evts[0][2], 0x200000);
    assert_false(evts[0][1] & SMMU_EVT1_RNW);   /* a write */

    /*
     * A stage-2 fault is Xen's: a new mapping (never cached) whose output
     * page is not in the domain's stage 2.
     */
    assert_int_equal(smmu_pgt_map(pgt, 0x300000, H_RAM_BASE + 0x30000,
                                  0x1000, SMMU_PGT_WRITE), 0);
    assert_int_equal(smmu_model_s2_unmap(md, H_RAM_BASE + 0x30000, 0x1000),
                     0);
    assert_int_equal(smmu_model_dma(me.m, PSID, 0x300020,
                                    SMMU_MODEL_ACCESS_READ, 4, &pa,
                                    evts[0]), SMMU_MODEL_DMA_FAULT);
    assert_true(evts[0][1] & SMMU_EVT1_S2);
    assert_int_equal(g_events(&g, evts, 4), 0);

    smmu_pgt_destroy(pgt);
    harness_destroy(me.h);
    smmu_model_domain_destroy(md);
    smmu_model_destroy(me.m);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, env_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_record_layout),
        T(test_wrap),
        T(test_overflow_protocol),
        T(test_write_failure),
        T(test_disabled_queue),
        T(test_forwarding_filter),
        T(test_forwarded_never_stalled),
        T(test_unknown_stream_or_smmu),
        T(test_flood_budget),
        T(test_evtq_line_every_combination),
        T(test_gerror_line_every_combination),
        T(test_evtq_msi),
        T(test_evtq_msi_abort_fallback),
        T(test_gerror_msi_abort_no_loop),
        T(test_config_events_in_guest_memory),
        cmocka_unit_test(test_model_fault_reaches_guest),
    };

    return cmocka_run_group_tests_name("events and interrupts", tests, NULL,
                                       NULL);
}
