/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Save and restore (S9): the record, its checks and the restore's
 * re-installation of every stream, through the software SMMUv3 model
 * (tests/model/) as the physical SMMU and through the recording fake.
 *
 * - round trips in the middle of activity: pending events, an
 *   unacknowledged CMDQ error, a 2-level stream table, bound streams, a
 *   command and a sweep that span steps: every register reads back the
 *   same, a second save gives the same bytes, DMA translates the same;
 * - restore into a fresh vSMMU of another domain: the nested
 *   configuration is installed again, DMA translates through the new
 *   domain's stage 2 with nothing done by the guest;
 * - every class of bad record is refused with its own errno, and the
 *   vSMMU is left exactly as it was (the whole struct, its streams, the
 *   physical SMMU, guest memory);
 * - the table of docs/save-restore.md is the field list (S9.2);
 * - the debug self-test register.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "pgtable.h"
#include "smmu-model.h"

#define MO1             0x800000000ULL      /* domain 1's stage 2 offset */
#define MO2             0xc00000000ULL      /* domain 2's */
#define SMMU_KEY        0x2b400000ULL       /* the model SMMU's stable_id */
#define VSID            8
#define VSID_VIRT       0x20
#define VSID_NONE       0x1234              /* no L2 table: BAD_STREAMID */
#define PSID            0x42
#define ASID            3
#define IOVA            0x10000000ULL
#define BUF_IPA         (H_RAM_BASE + 0x20000)
#define POOL_IPA        (H_RAM_BASE + 0x800000)
#define POOL_SIZE       0x400000ULL
#define CD_IPA          H_CD_BASE
#define L2_IPA          (H_STRTAB_BASE + 0x10000)
#define SPLIT           8
#define NREGS           (0x100 / 4 + 2)

/*
 * The record's field layout, made from the field list as a reader of
 * docs/save-restore.md sees it: section, offset in the section's payload,
 * width, name.
 */
struct rec_field {
    unsigned int sect;
    char name[32];
    unsigned int off, width;
};
static struct rec_field layout[64];
static unsigned int nr_layout;

static void lay(unsigned int sect, const char *name, unsigned int width)
{
    unsigned int off = 0, i;

    for ( i = 0; i < nr_layout; i++ )
        if ( layout[i].sect == sect )
            off = layout[i].off + layout[i].width;
    assert_true(nr_layout < ARRAY_SIZE(layout));
    layout[nr_layout].sect = sect;
    snprintf(layout[nr_layout].name, sizeof(layout[0].name), "%s", name);
    layout[nr_layout].off = off;
    layout[nr_layout].width = width;
    nr_layout++;
}

static void lay_sub(unsigned int sect, const char *m, const char *sub,
                    unsigned int width)
{
    char n[32];

    snprintf(n, sizeof(n), "%s%s", m, sub);
    lay(sect, n, width);
}

static void lay_U32(unsigned int s, const char *m) { lay(s, m, 4); }
static void lay_U64(unsigned int s, const char *m) { lay(s, m, 8); }
static void lay_BOOL(unsigned int s, const char *m) { lay(s, m, 1); }
static void lay_U64X2(unsigned int s, const char *m)
{
    lay_sub(s, m, "[0]", 8);
    lay_sub(s, m, "[1]", 8);
}
static void lay_ID(unsigned int s, const char *m)
{
    static const char *sub[] = { ".idr[0]", ".idr[1]", ".idr[2]", ".idr[3]",
                                 ".idr[4]", ".idr[5]", ".iidr", ".aidr" };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(sub); i++ )
        lay_sub(s, m, sub[i], 4);
}
static void lay_QUEUE(unsigned int s, const char *m)
{
    lay_sub(s, m, ".base", 8);
    lay_sub(s, m, ".prod", 4);
    lay_sub(s, m, ".cons", 4);
}

static void make_layout(void)
{
    if ( nr_layout )
        return;
#define LAY(s, k, m)    lay_##k(VSMMUV3_SEC_##s, #m);
    VSMMUV3_SAVED_STATE(LAY)
#undef LAY
}

static const struct rec_field *field(const char *name)
{
    unsigned int i;

    make_layout();
    for ( i = 0; i < nr_layout; i++ )
        if ( !strcmp(layout[i].name, name) )
            return &layout[i];
    fail_msg("no field %s", name);
    return NULL;
}

/* Little-endian access to a record. */
static uint64_t rd(const uint8_t *p, unsigned int w)
{
    uint64_t v = 0;
    unsigned int i;

    for ( i = 0; i < w; i++ )
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static void wr(uint8_t *p, unsigned int w, uint64_t v)
{
    unsigned int i;

    for ( i = 0; i < w; i++ )
        p[i] = v >> (8 * i);
}

/* The payload of section @type in @rec, or NULL; its length in *@len. */
static uint8_t *section(uint8_t *rec, unsigned int type, uint32_t *len)
{
    uint32_t total = rd(rec + 8, 4), off = VSMMUV3_REC_HDR_SIZE;

    while ( off + VSMMUV3_SEC_HDR_SIZE <= total )
    {
        uint32_t l = rd(rec + off + 4, 4);

        if ( rd(rec + off, 2) == type )
        {
            if ( len )
                *len = l;
            return rec + off + VSMMUV3_SEC_HDR_SIZE;
        }
        off += VSMMUV3_SEC_HDR_SIZE + l;
    }
    return NULL;
}

static uint8_t *field_ptr(uint8_t *rec, const char *name)
{
    const struct rec_field *f = field(name);
    uint8_t *p = section(rec, f->sect, NULL);

    assert_non_null(p);
    return p + f->off;
}

static uint64_t get_field(uint8_t *rec, const char *name)
{
    return rd(field_ptr(rec, name), field(name)->width);
}

static void set_field(uint8_t *rec, const char *name, uint64_t v)
{
    wr(field_ptr(rec, name), field(name)->width, v);
}

/* Save @vs into a fresh buffer; its length in *@len. */
static uint8_t *save(struct vsmmuv3 *vs, size_t *len)
{
    size_t need = vsmmuv3_record_size(vs), w = 0;
    uint8_t *buf = calloc(1, need + 64);

    assert_non_null(buf);
    /* Too small: -ENOBUFS, and the size needed. */
    assert_int_equal(vsmmuv3_save(vs, buf, need - 1, &w), -ENOBUFS);
    assert_int_equal(w, need);
    assert_int_equal(vsmmuv3_save(vs, buf, need + 64, &w), 0);
    assert_int_equal(w, need);
    *len = need;
    return buf;
}

/* Every guest-visible register, read as the guest reads it. */
static void read_regs(struct harness *h, uint32_t r[NREGS])
{
    unsigned int i;

    for ( i = 0; i < 0x100 / 4; i++ )
        r[i] = h_read32(h, 4 * i);
    r[i++] = h_read32(h, SMMU_EVENTQ_PROD);
    r[i] = h_read32(h, SMMU_EVENTQ_CONS);
}

static void expect_regs(struct harness *h, const uint32_t want[NREGS])
{
    uint32_t r[NREGS];
    unsigned int i;

    read_regs(h, r);
    for ( i = 0; i < NREGS; i++ )
        if ( r[i] != want[i] )
            fail_msg("register word %u: %#x, want %#x", i, r[i], want[i]);
}

/*
 * The software SMMU behind two domains, each a vSMMU: domain 1 runs
 * Linux's sequences, domain 2 is where its state goes.
 */
struct rt {
    struct smmu_model *m;
    struct smmu_model_domain *md[2];
    struct harness *h[2];
    struct guest g;
    struct smmu_pgt *pgt;
    struct vsmmuv3_phys_ops ops;
};

static int read_pa(void *ctx, uint64_t pa, void *buf, size_t len)
{
    struct rt *t = ctx;
    unsigned int i;
    static const uint64_t mo[2] = { MO1, MO2 };

    for ( i = 0; i < 2; i++ )
        if ( t->h[i] && pa >= mo[i] + H_RAM_BASE &&
             pa + len <= mo[i] + H_RAM_BASE + H_RAM_SIZE )
            return access_guest_memory_by_gpa(t->h[i]->d, pa - mo[i], buf,
                                              len, false) ? -1 : 0;
    return -1;
}

static int write_ipa(void *ctx, uint64_t ipa, const void *buf, size_t len)
{
    struct rt *t = ctx;

    emul_ram_write(t->h[0]->d, ipa, buf, len);
    return 0;
}

static int read_ipa(void *ctx, uint64_t ipa, void *buf, size_t len)
{
    struct rt *t = ctx;

    emul_ram_read(t->h[0]->d, ipa, buf, len);
    return 0;
}

/* Domain @i, with a vSMMU on the model for the model's domain @i. */
static void rt_domain(struct rt *t, unsigned int i)
{
    struct vsmmuv3_backend be = { 0 };
    struct vsmmuv3_params p;
    struct harness *h = calloc(1, sizeof(*h));

    assert_non_null(h);
    /* What a test that failed half-way may have left (harness_create). */
    emul_auto_return(true);
    emul_preempt_every(0);
    emul_set_step_hook(NULL, NULL);
    t->md[i] = smmu_model_domain_create(t->m, 0x33 + i);
    assert_non_null(t->md[i]);
    assert_int_equal(smmu_model_s2_map(t->md[i], H_RAM_BASE,
                                       H_RAM_BASE + (i ? MO2 : MO1),
                                       H_RAM_SIZE, SMMU_MODEL_S2_RW), 0);
    assert_int_equal(smmu_model_assign_stream(t->md[i], PSID), 0);
    be.phys_id = FAKE_PHYS(t->m);
    be.stable_id = SMMU_KEY;
    be.ops = &t->ops;
    be.priv = t->md[i];
    be.vmid = smmu_model_domain_vmid(t->md[i]);
    smmu_model_read_caps(t->m, be.caps.idr, &be.caps.iidr, &be.caps.aidr);
    harness_default_params(&p);
    p.nr_backends = 1;
    p.backends = &be;
    h->d = emul_domain_create(1 + i, 4, H_NR_SPIS);
    h->v = h->d->vcpu[0];
    assert_int_equal(emul_ram_add(h->d, H_RAM_BASE, H_RAM_SIZE), 0);
    assert_int_equal(vsmmuv3_domain_init(h->d, &p, &h->vs), 0);
    harness_attach_vcpu_work(h);
    t->h[i] = h;
    assert_int_equal(vsmmuv3_add_stream(h->vs, VSID, 0, PSID), 0);
    assert_int_equal(vsmmuv3_add_stream(h->vs, VSID_VIRT, -1, 0), 0);
}

static void submit_sync(struct rt *t, uint64_t c0, uint64_t c1)
{
    g_cmd(&t->g, c0, c1);
    g_cmd_sync(&t->g);
    g_publish(&t->g);
    g_drain(t->h[0]);
    assert_int_equal(g_cons(&t->g), t->g.prod);
}

/* The STE of @vsid in the 2-level table (one L2 table, vSIDs 0-255). */
static paddr_t ste_ipa(uint32_t vsid)
{
    return L2_IPA + (paddr_t)(vsid & ((1U << SPLIT) - 1)) * SMMU_STE_SIZE;
}

/*
 * Domain 1 after Linux's reset with a 2-level stream table (SPLIT 8, one
 * L2 table for vSIDs 0-255) and the attach of VSID: its DMA translates.
 */
static struct rt *rt_create(void)
{
    struct rt *t = calloc(1, sizeof(*t));
    struct smmu_model_config mc = { .read_pa = read_pa, .ril = true };
    struct smmu_pgt_config pc = {
        .granule = 4096, .ias = 48, .pool_base = POOL_IPA,
        .pool_size = POOL_SIZE, .write_ipa = write_ipa, .read_ipa = read_ipa,
    };
    struct smmu_cd_params prm;
    uint64_t cd[SMMU_CD_DWORDS], ste[SMMU_STE_DWORDS];
    uint32_t v;

    assert_non_null(t);
    mc.mem_ctx = t;
    pc.ctx = t;
    t->ops = (struct vsmmuv3_phys_ops)SMMU_MODEL_PHYS_OPS;
    t->m = smmu_model_create(&mc);
    rt_domain(t, 0);
    t->pgt = smmu_pgt_create(&pc);
    assert_non_null(t->pgt);

    /* S7.2 with a 2-level table: every STE aborts, then SMMUEN. */
    g_reset(&t->g, t->h[0], 8, 4, 8, false);
    h_write32(t->h[0], SMMU_STRTAB_BASE_CFG,
              MASK_INSR(SMMU_STRTAB_FMT_2LVL, SMMU_STRTAB_BASE_CFG_FMT) |
              MASK_INSR(SPLIT, SMMU_STRTAB_BASE_CFG_SPLIT) | 16);
    for ( v = 0; v < (1U << SPLIT); v++ )
    {
        uint64_t abort_ste[SMMU_STE_DWORDS] = { SMMU_STE0_V };

        emul_ram_write(t->h[0]->d, ste_ipa(v), abort_ste, sizeof(abort_ste));
    }
    for ( v = 0; v < (1U << (16 - SPLIT)); v++ )
        emul_ram_write64(t->h[0]->d, H_STRTAB_BASE + v * SMMU_L1STD_SIZE,
                         v ? 0 : L2_IPA | (SPLIT + 1));
    submit_sync(t, cmd_op(SMMU_OP_CFGI_STE_RANGE), SMMU_CFGI_RANGE_ALL);
    submit_sync(t, cmd_op(SMMU_OP_TLBI_NSNH_ALL), 0);
    h_write32(t->h[0], SMMU_CR0, 0xd);
    assert_int_equal(h_read32(t->h[0], SMMU_CR0ACK), 0xd);

    /* S7.3: the CD, then the STE, each followed by its CFGI + sync. */
    assert_int_equal(smmu_pgt_map(t->pgt, IOVA, BUF_IPA, 16 * 0x1000,
                                  SMMU_PGT_WRITE), 0);
    smmu_pgt_cd_params(t->pgt, ASID, &prm);
    smmu_build_cd(cd, &prm);
    emul_ram_write(t->h[0]->d, CD_IPA, cd, sizeof(cd));
    submit_sync(t, cmd_sid(SMMU_OP_CFGI_CD, VSID), SMMU_CMD1_LEAF);
    smmu_build_ste_s1(ste, CD_IPA);
    emul_ram_write(t->h[0]->d, ste_ipa(VSID), ste, sizeof(ste));
    submit_sync(t, cmd_sid(SMMU_OP_CFGI_STE, VSID), SMMU_CMD1_LEAF);
    return t;
}

static void rt_destroy(struct rt *t)
{
    unsigned int i;

    for ( i = 0; i < 2; i++ )
    {
        if ( !t->h[i] )
            continue;
        g_drain(t->h[i]);
        harness_destroy(t->h[i]);
        smmu_model_domain_destroy(t->md[i]);
    }
    smmu_pgt_destroy(t->pgt);
    smmu_model_destroy(t->m);
    free(t);
}

/* DMA of PSID at @iova: the status, and the IPA reached in *@ipa. */
static int dma(struct rt *t, uint64_t iova, uint64_t mo, uint64_t *ipa)
{
    uint64_t pa = 0, evt[4];
    int rc = smmu_model_dma(t->m, PSID, iova, SMMU_MODEL_ACCESS_READ, 4, &pa,
                            evt);

    *ipa = rc == SMMU_MODEL_DMA_OK ? pa - mo : 0;
    return rc;
}

/* What PSID's DMA does at a few IOVAs, mapped and not. */
#define NPROBE 18
static void probe(struct rt *t, uint64_t mo, int st[NPROBE],
                  uint64_t ipa[NPROBE])
{
    unsigned int i;

    for ( i = 0; i < NPROBE; i++ )
        st[i] = dma(t, IOVA + i * 0x1000 + 0x10, mo, &ipa[i]);
}

/*
 * Activity the guest has not finished: an event it has not consumed (a
 * CFGI_STE for a vSID with no L2 table: C_BAD_STREAMID), and a command
 * error it has not acknowledged, with a command queued behind it.
 */
static void mid_activity(struct rt *t)
{
    uint64_t evts[4][4];

    submit_sync(t, cmd_sid(SMMU_OP_CFGI_STE, VSID_NONE), 0);
    g_cmd(&t->g, cmd_op(0x7f), 0);
    g_cmd_sync(&t->g);
    g_publish(&t->g);
    g_drain(t->h[0]);
    assert_int_equal(MASK_EXTR(g_cons(&t->g), SMMU_CMDQ_CONS_ERR),
                     SMMU_CERROR_ILL);
    assert_int_equal((h_read32(t->h[0], SMMU_GERROR) ^
                      h_read32(t->h[0], SMMU_GERRORN)) & SMMU_GERROR_CMDQ_ERR,
                     SMMU_GERROR_CMDQ_ERR);
    assert_int_not_equal(h_read32(t->h[0], SMMU_EVENTQ_PROD),
                         h_read32(t->h[0], SMMU_EVENTQ_CONS));
    assert_true(emul_vgic_level(t->h[0]->d, H_EVTQ_VIRQ));
    assert_true(emul_vgic_level(t->h[0]->d, H_GERROR_VIRQ));
    (void)evts;
}

/* Linux's GERROR handler: the bad command becomes a CMD_SYNC, then ack. */
static void ack_cmdq_error(struct harness *h, struct guest *g)
{
    uint32_t cons = h_read32(h, SMMU_CMDQ_CONS);
    uint32_t idx = cons & ((1U << g->cmdq_log2) - 1);
    uint64_t c[2];

    cmd_sync(c);
    emul_ram_write(h->d, H_CMDQ_BASE + idx * SMMU_CMD_SIZE, c, sizeof(c));
    h_write32(h, SMMU_GERRORN, h_read32(h, SMMU_GERROR));
    g_drain(h);
    assert_int_equal(h_read32(h, SMMU_CMDQ_CONS) & ~SMMU_CMDQ_CONS_ERR,
                     g->prod);
}

/*
 * S9.1, S9.3: save in the middle of activity, reset (DMA aborts), restore:
 * every register reads back as before, a second save is the same record,
 * and DMA translates again, as before, with nothing done by the guest.
 */
static void test_roundtrip_same_vsmmu(void **state)
{
    struct rt *t = rt_create();
    int st0[NPROBE], st1[NPROBE];
    uint64_t ipa0[NPROBE], ipa1[NPROBE];
    uint32_t regs[NREGS];
    unsigned int aborted = 99, i;
    unsigned long nested;
    uint8_t *rec, *rec2;
    size_t len, len2;
    uint64_t ipa;

    mid_activity(t);
    probe(t, MO1, st0, ipa0);
    assert_int_equal(st0[0], SMMU_MODEL_DMA_OK);
    assert_int_equal(ipa0[0], BUF_IPA + 0x10);
    assert_int_equal(st0[17], SMMU_MODEL_DMA_FAULT);
    read_regs(t->h[0], regs);
    rec = save(t->h[0]->vs, &len);

    /* Power-on state: registers reset, the physical stream aborts. */
    spin_lock(&t->h[0]->vs->lock);
    vsmmuv3_reset_locked(t->h[0]->vs);
    spin_unlock(&t->h[0]->vs->lock);
    assert_int_equal(h_read32(t->h[0], SMMU_CR0), 0);
    assert_int_equal(h_read32(t->h[0], SMMU_GBPA), VSMMUV3_GBPA_RESET);
    assert_false(emul_vgic_level(t->h[0]->d, H_GERROR_VIRQ));
    assert_int_equal(dma(t, IOVA, MO1, &ipa), SMMU_MODEL_DMA_ABORTED);

    nested = smmu_model_stats(t->m)->installs_nested;
    assert_int_equal(vsmmuv3_restore(t->h[0]->vs, rec, len, &aborted), 0);
    assert_int_equal(aborted, 0);
    /* A real install, not a belief that it is there. */
    assert_int_equal(smmu_model_stats(t->m)->installs_nested, nested + 1);
    assert_int_equal(smmu_model_stats(t->m)->vmid_mismatches, 0);
    assert_int_equal(smmu_model_stats(t->m)->errors, 0);
    expect_regs(t->h[0], regs);
    assert_true(emul_vgic_level(t->h[0]->d, H_EVTQ_VIRQ));
    assert_true(emul_vgic_level(t->h[0]->d, H_GERROR_VIRQ));
    rec2 = save(t->h[0]->vs, &len2);
    assert_int_equal(len2, len);
    assert_memory_equal(rec2, rec, len);
    probe(t, MO1, st1, ipa1);
    for ( i = 0; i < NPROBE; i++ )
    {
        assert_int_equal(st1[i], st0[i]);
        assert_int_equal(ipa1[i], ipa0[i]);
    }

    /* The guest carries on: its error handler resumes the queue. */
    ack_cmdq_error(t->h[0], &t->g);
    free(rec);
    free(rec2);
    rt_destroy(t);
}

/*
 * S9.3: the record restored into a fresh vSMMU of another domain, which
 * owns the device now: the guest's nested configuration is installed
 * again and DMA translates through the new domain's stage 2 (MO2) with
 * nothing done by the guest; registers and events read back the same.
 */
static void test_restore_other_domain(void **state)
{
    struct rt *t = rt_create();
    int st0[NPROBE], st1[NPROBE];
    uint64_t ipa0[NPROBE], ipa1[NPROBE], tlbi, cfgi;
    uint32_t regs[NREGS];
    unsigned int aborted = 99, i;
    uint8_t *rec, *rec2;
    size_t len, len2;
    uint64_t ipa;

    mid_activity(t);
    probe(t, MO1, st0, ipa0);
    read_regs(t->h[0], regs);
    rec = save(t->h[0]->vs, &len);

    /* The device leaves domain 1 for domain 2, whose RAM is a copy. */
    vsmmuv3_release_stream(t->h[0]->vs, 0, PSID);
    assert_int_equal(smmu_model_unassign_stream(t->md[0], PSID), 0);
    rt_domain(t, 1);
    memcpy(emul_ram_ptr(t->h[1]->d, H_RAM_BASE, H_RAM_SIZE),
           emul_ram_ptr(t->h[0]->d, H_RAM_BASE, H_RAM_SIZE), H_RAM_SIZE);
    assert_int_equal(dma(t, IOVA, MO2, &ipa), SMMU_MODEL_DMA_ABORTED);

    tlbi = smmu_model_stats(t->m)->cmds[SMMU_OP_TLBI_NH_ALL];
    cfgi = smmu_model_stats(t->m)->cmds[SMMU_OP_CFGI_CD_ALL];
    /* A record naming the stream domain 1 still had cannot go there. */
    assert_int_equal(vsmmuv3_restore(t->h[0]->vs, rec, len, &aborted),
                     -EPERM);
    assert_int_equal(vsmmuv3_restore(t->h[1]->vs, rec, len, &aborted), 0);
    assert_int_equal(aborted, 0);
    assert_int_equal(smmu_model_stats(t->m)->cmds[SMMU_OP_TLBI_NH_ALL],
                     tlbi + 1);
    assert_int_equal(smmu_model_stats(t->m)->cmds[SMMU_OP_CFGI_CD_ALL],
                     cfgi + 1);
    assert_int_equal(smmu_model_stats(t->m)->last_vmid,
                     smmu_model_domain_vmid(t->md[1]));
    assert_int_equal(smmu_model_stats(t->m)->vmid_mismatches, 0);
    assert_int_equal(smmu_model_stats(t->m)->foreign_sids, 0);

    probe(t, MO2, st1, ipa1);
    for ( i = 0; i < NPROBE; i++ )
    {
        assert_int_equal(st1[i], st0[i]);
        assert_int_equal(ipa1[i], ipa0[i]);
    }
    expect_regs(t->h[1], regs);
    assert_true(emul_vgic_level(t->h[1]->d, H_EVTQ_VIRQ));
    assert_true(emul_vgic_level(t->h[1]->d, H_GERROR_VIRQ));
    /* No event was added: the event queue in RAM is the copy's. */
    assert_memory_equal(emul_ram_ptr(t->h[1]->d, H_EVTQ_BASE, 0x1000),
                        emul_ram_ptr(t->h[0]->d, H_EVTQ_BASE, 0x1000),
                        0x1000);
    rec2 = save(t->h[1]->vs, &len2);
    assert_int_equal(len2, len);
    assert_memory_equal(rec2, rec, len);

    /* Domain 2's guest carries on where domain 1's left off. */
    t->g.h = t->h[1];
    ack_cmdq_error(t->h[1], &t->g);
    free(rec);
    free(rec2);
    rt_destroy(t);
}

/* Fake-backed vSMMUs with many streams: work that spans steps. */
#define NSTREAMS        40
static const struct env_stream *many_streams(void)
{
    static struct env_stream s[NSTREAMS];
    unsigned int i;

    for ( i = 0; i < NSTREAMS; i++ )
        s[i] = (struct env_stream){ .vsid = 2 * i, .backend = 0,
                                    .psid = 0x100 + i };
    return s;
}

static struct env *env_many(void)
{
    struct env *e = env_create(1, true, 8, many_streams(), NSTREAMS);
    unsigned int i;

    for ( i = 0; i < NSTREAMS; i++ )
        g_write_s1_ste(&e->g, 2 * i, CD_IPA);
    return e;
}

static void copy_ram(struct env *to, struct env *from)
{
    memcpy(emul_ram_ptr(to->h->d, H_RAM_BASE, H_RAM_SIZE),
           emul_ram_ptr(from->h->d, H_RAM_BASE, H_RAM_SIZE), H_RAM_SIZE);
}

/*
 * S9.1, S9.3: CFGI_ALL over 40 streams spans steps; saved after the first
 * (cmd_active, cmd_next_vsid, the vCPU with work left), restored into
 * another vSMMU: the same record, and both finish the same way.
 */
static void test_roundtrip_continuation(void **state)
{
    struct env *a = env_many(), *b;
    uint32_t ra[NREGS], rb[NREGS];
    unsigned int aborted, i;
    uint8_t *rec, *rec2;
    size_t len, len2;
    const struct fake_install *in;

    emul_auto_return(false);
    g_cmd(&a->g, cmd_op(SMMU_OP_CFGI_STE_RANGE), SMMU_CFGI_RANGE_ALL);
    g_cmd_sync(&a->g);
    g_publish(&a->g);
    assert_true(a->h->vs->cmd_active);
    assert_true(a->h->vs->vcpu_work[0]);
    assert_int_not_equal(a->h->vs->cmd_next_vsid, 0);
    rec = save(a->h->vs, &len);
    assert_non_null(section(rec, VSMMUV3_SEC_VCPU_WORK, NULL));
    assert_int_equal(get_field(rec, "cmd_active"), 1);

    b = env_many();
    copy_ram(b, a);
    assert_int_equal(vsmmuv3_restore(b->h->vs, rec, len, &aborted), 0);
    assert_int_equal(aborted, 0);
    assert_true(b->h->vs->cmd_active);
    assert_true(b->h->vs->vcpu_work[0]);
    assert_int_equal(b->h->vs->cmd_next_vsid, a->h->vs->cmd_next_vsid);
    /* Every stream is nested on b's SMMU already. */
    for ( i = 0; i < NSTREAMS; i++ )
    {
        in = fake_last_install(&b->phys[0], 0x100 + i);
        assert_non_null(in);
        assert_int_equal(in->cfg, VSMMUV3_STE_NESTED);
    }
    rec2 = save(b->h->vs, &len2);
    assert_int_equal(len2, len);
    assert_memory_equal(rec2, rec, len);

    /* Both finish the command and the sync, in their vCPU's steps. */
    assert_true(g_drain(a->h) > 0);
    assert_true(g_drain(b->h) > 0);
    emul_auto_return(true);
    read_regs(a->h, ra);
    read_regs(b->h, rb);
    assert_memory_equal(ra, rb, sizeof(ra));
    assert_int_equal(rb[SMMU_CMDQ_CONS / 4], a->g.prod);
    free(rec);
    free(rec2);
    *state = a;
    env_teardown(state);
    *state = b;
    env_teardown(state);
}

/*
 * S9.1: a change of SMMUEN whose sweep spans steps, saved half-way:
 * CR0ACK lags CR0 in the restored vSMMU too, until its sweep completes.
 */
static void test_roundtrip_sweep(void **state)
{
    struct env *a = env_many(), *b;
    unsigned int aborted;
    uint8_t *rec;
    size_t len;

    h_write32(a->h, SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    emul_auto_return(false);
    h_write32(a->h, SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN |
                              SMMU_CR0_SMMUEN);
    assert_true(a->h->vs->sweep_active);
    assert_false(h_read32(a->h, SMMU_CR0ACK) & SMMU_CR0_SMMUEN);
    rec = save(a->h->vs, &len);

    b = env_many();
    copy_ram(b, a);
    assert_int_equal(vsmmuv3_restore(b->h->vs, rec, len, &aborted), 0);
    assert_int_equal(aborted, 0);
    assert_true(b->h->vs->sweep_active);
    assert_int_equal(b->h->vs->sweep_next_vsid, a->h->vs->sweep_next_vsid);
    assert_false(h_read32(b->h, SMMU_CR0ACK) & SMMU_CR0_SMMUEN);
    g_drain(b->h);
    g_drain(a->h);
    emul_auto_return(true);
    assert_true(h_read32(b->h, SMMU_CR0ACK) & SMMU_CR0_SMMUEN);
    assert_int_equal(h_read32(b->h, SMMU_CR0ACK), h_read32(a->h, SMMU_CR0ACK));
    free(rec);
    *state = a;
    env_teardown(state);
    *state = b;
    env_teardown(state);
}

/*
 * Everything a failed restore could have changed: the vSMMU (all of it but
 * its lock), its streams and vCPU flags, the physical SMMU's calls, guest
 * memory accesses, interrupt lines.
 */
struct snap {
    uint8_t vs[sizeof(struct vsmmuv3)];
    struct vsmmuv3_stream streams[CONFIG_VSMMUV3_MAX_STREAMS];
    bool vcpu_work[4];
    unsigned int installs, install_calls, cmds, queue_calls, syncs;
    struct emul_mem_stats mem;
    unsigned long asserts[2];
};

static void snap(struct env *e, struct snap *s)
{
    struct vsmmuv3 *vs = e->h->vs;

    memset(s, 0, sizeof(*s));
    memcpy(s->vs, vs, sizeof(*vs));
    memset(s->vs + offsetof(struct vsmmuv3, lock), 0, sizeof(vs->lock));
    memcpy(s->streams, vs->streams, vs->max_streams * sizeof(*vs->streams));
    memcpy(s->vcpu_work, vs->vcpu_work, sizeof(s->vcpu_work));
    s->installs = e->phys[0].nr_installs;
    s->install_calls = e->phys[0].install_calls;
    s->cmds = e->phys[0].nr_cmds;
    s->queue_calls = e->phys[0].queue_calls;
    s->syncs = e->phys[0].syncs;
    emul_mem_stats(e->h->d, &s->mem);
    s->asserts[0] = emul_vgic_asserts(e->h->d, H_EVTQ_VIRQ);
    s->asserts[1] = emul_vgic_asserts(e->h->d, H_GERROR_VIRQ);
}

/* Restore @rec into @e: it must fail with @err and change nothing. */
static void expect_refused(struct env *e, const uint8_t *rec, size_t len,
                           int err, const char *what)
{
    struct snap *before = malloc(sizeof(*before));
    struct snap *after = malloc(sizeof(*after));
    unsigned int aborted = 77;
    int rc;

    assert_non_null(before);
    assert_non_null(after);
    snap(e, before);
    rc = vsmmuv3_restore(e->h->vs, rec, len, &aborted);
    if ( rc != err )
        fail_msg("%s: restore returned %d, want %d", what, rc, err);
    assert_int_equal(aborted, 0);
    snap(e, after);
    if ( memcmp(before, after, sizeof(*before)) )
        fail_msg("%s: the vSMMU changed", what);
    free(before);
    free(after);
}

/* Fix up the header's length after an edit that moved the end. */
static void set_total(uint8_t *rec, size_t len)
{
    wr(rec + 8, 4, len);
}

/* A vSMMU with a physical and a virtual stream, and its record. */
static const struct env_stream two_streams[] = {
    { .vsid = 3, .backend = 0, .psid = 0x33 },
    { .vsid = 9, .backend = -1 },
};

static struct env *env_two(void)
{
    struct env *e = env_create(1, true, 8, two_streams, 2);

    g_write_s1_ste(&e->g, 3, CD_IPA);
    g_submit(&e->g, cmd_sid(SMMU_OP_CFGI_STE, 3), 0);
    g_sync_and_wait(&e->g);
    return e;
}

/* S9.1, S9.3: the structure of the record. */
static void test_bad_structure(void **state)
{
    struct env *e = env_two();
    uint8_t *rec, *bad;
    size_t len;
    uint8_t *core;
    uint32_t clen;

    rec = save(e->h->vs, &len);
    bad = calloc(1, len + 256);
    assert_non_null(bad);

#define RESET()     memcpy(bad, rec, len)
    /* Truncated: shorter than the header, than its length. */
    RESET();
    expect_refused(e, bad, 10, -ENODATA, "shorter than the header");
    expect_refused(e, bad, len - 1, -ENODATA, "one byte short");
    expect_refused(e, bad, len - 24, -ENODATA, "a stream short");
    /* A section running past the end, the header's length fixed up. */
    set_total(bad, len - 8);
    expect_refused(e, bad, len - 8, -ENODATA, "section past the end");
    /* Longer than the header says. */
    RESET();
    expect_refused(e, bad, len + 8, -EMSGSIZE, "trailing bytes");
    /* Magic. */
    RESET();
    bad[0] ^= 1;
    expect_refused(e, bad, len, -EBADMSG, "bad magic");
    /* A version from the future. */
    RESET();
    wr(bad + 4, 2, VSMMUV3_REC_VERSION + 1);
    expect_refused(e, bad, len, -ENOEXEC, "future version");
    wr(bad + 4, 2, 0);
    expect_refused(e, bad, len, -ENOEXEC, "version 0");
    /* Header size, reserved word. */
    RESET();
    wr(bad + 6, 2, 24);
    expect_refused(e, bad, len, -EILSEQ, "header size");
    RESET();
    bad[12] = 1;
    expect_refused(e, bad, len, -EILSEQ, "header reserved");

    /* An unknown section a reader must understand. */
    RESET();
    wr(bad + len, 2, 0x77);
    wr(bad + len + 2, 2, 0);
    wr(bad + len + 4, 4, 8);
    set_total(bad, len + 16);
    expect_refused(e, bad, len + 16, -EOPNOTSUPP, "unknown required");
    /* Unknown flag bits; a length not a multiple of 8. */
    wr(bad + len + 2, 2, 2);
    expect_refused(e, bad, len + 16, -EILSEQ, "unknown flags");
    wr(bad + len + 2, 2, VSMMUV3_SEC_SKIPPABLE);
    wr(bad + len + 4, 4, 4);
    set_total(bad, len + 12);
    expect_refused(e, bad, len + 12, -EILSEQ, "length not 8-aligned");

    /* A known section twice, or flagged otherwise than defined. */
    RESET();
    core = section(bad, VSMMUV3_SEC_CORE, &clen);
    memcpy(bad + len, core - VSMMUV3_SEC_HDR_SIZE,
           clen + VSMMUV3_SEC_HDR_SIZE);
    set_total(bad, len + clen + VSMMUV3_SEC_HDR_SIZE);
    expect_refused(e, bad, len + clen + VSMMUV3_SEC_HDR_SIZE, -EILSEQ,
                   "CORE twice");
    RESET();
    core = section(bad, VSMMUV3_SEC_CORE, &clen);
    wr(core - 6, 2, VSMMUV3_SEC_SKIPPABLE);
    expect_refused(e, bad, len, -EILSEQ, "CORE skippable");
    /* A required section missing: CORE renamed as an unknown one. */
    wr(core - 6, 2, 0);
    wr(core - 8, 2, 0x7000);
    expect_refused(e, bad, len, -EOPNOTSUPP, "CORE renamed, required");
    wr(core - 6, 2, VSMMUV3_SEC_SKIPPABLE);
    expect_refused(e, bad, len, -EILSEQ, "CORE missing");
    /* CORE's padding, and the MSI section where MSIs are advertised. */
    RESET();
    core = section(bad, VSMMUV3_SEC_CORE, &clen);
    core[clen - 1] = 1;
    expect_refused(e, bad, len, -EILSEQ, "CORE padding");
    RESET();
    core = section(bad, VSMMUV3_SEC_MSI, &clen);
    assert_non_null(core);
    wr(core - 6, 2, VSMMUV3_SEC_SKIPPABLE);
    wr(core - 8, 2, 0x7001);
    expect_refused(e, bad, len, -EILSEQ, "MSI missing");

    /* The identification registers are not the destination's. */
    RESET();
    set_field(bad, "id.idr[1]", get_field(bad, "id.idr[1]") ^ 1);
    expect_refused(e, bad, len, -ENODEV, "IDR1");
    RESET();
    set_field(bad, "id.iidr", 0x12345678);
    expect_refused(e, bad, len, -ENODEV, "IIDR");
#undef RESET

    free(bad);
    free(rec);
    *state = e;
    env_teardown(state);
}

/* S9.1: an unknown section marked skippable is skipped. */
static void test_unknown_skippable_accepted(void **state)
{
    struct env *e = env_two();
    uint8_t *rec, *ext, *rec2;
    size_t len, len2;
    unsigned int aborted;

    rec = save(e->h->vs, &len);
    ext = calloc(1, len + 32);
    assert_non_null(ext);
    /* In the middle: after the header, before CORE. */
    memcpy(ext, rec, VSMMUV3_REC_HDR_SIZE);
    wr(ext + 16, 2, 0x7abc);
    wr(ext + 18, 2, VSMMUV3_SEC_SKIPPABLE);
    wr(ext + 20, 4, 24);
    memset(ext + 24, 0xa5, 24);
    memcpy(ext + 48, rec + VSMMUV3_REC_HDR_SIZE, len - VSMMUV3_REC_HDR_SIZE);
    set_total(ext, len + 32);
    g_write_s1_ste(&e->g, 3, CD_IPA + 0x1000);
    assert_int_equal(vsmmuv3_restore(e->h->vs, ext, len + 32, &aborted), 0);
    rec2 = save(e->h->vs, &len2);
    assert_int_equal(len2, len);
    assert_memory_equal(rec2, rec, len);
    /* The STE was read again: the stream follows what RAM says now. */
    assert_int_equal(fake_last_install(&e->phys[0], 0x33)->ste[0] &
                     SMMU_STE0_S1CTXPTR, CD_IPA + 0x1000);
    free(rec);
    free(rec2);
    free(ext);
    *state = e;
    env_teardown(state);
}

/* S9.3: every field out of range, one at a time: -EINVAL. */
static void test_bad_fields(void **state)
{
    struct env *e = env_two();
    static const struct {
        const char *name;
        uint64_t val;       /* XORed into the field... */
        bool set;           /* ...or written */
        const char *also;   /* and XORed into this one too */
    } bad[] = {
        /* CR0ACK follows, so that CR0's own check is the one to catch it. */
        { "cr0", 1U << 31, false, "cr0ack" },
        { "cr0", SMMU_CR0_ATSCHK, false, "cr0ack" },
        { "cr0ack", SMMU_CR0_EVENTQEN },
        { "cr0ack", SMMU_CR0_SMMUEN },      /* no sweep under way */
        { "cr1", 1U << 12 },
        { "cr2", 1U << 0 },                 /* E2H without HYP */
        { "gbpa", 1U << 30 },
        { "gbpa", SMMU_GBPA_UPDATE },       /* no sweep under way */
        { "irq_ctrl", 1U << 1 },            /* PRIQ_IRQEN: no PRI */
        { "irq_ctrl", 1U << 3 },
        { "gerror", 1U << 1 },              /* RES0 */
        { "gerror", SMMU_GERROR_PRIQ_ABT_ERR },     /* no PRI */
        { "gerrorn", 1U << 31 },
        { "strtab_base", 1U << 3 },
        { "strtab_base", 1ULL << 63 },
        { "strtab_base_cfg", 17, true },    /* LOG2SIZE > SIDSIZE */
        { "strtab_base_cfg", 1U << 20 },
        { "cmdq.base", MASK_INSR(CONFIG_VSMMUV3_CMDQS + 1,
                                 SMMU_Q_BASE_LOG2SIZE) |
                       H_CMDQ_BASE, true },
        { "cmdq.base", 1ULL << 63 },
        { "cmdq.base", 1ULL << 55 },
        { "cmdq.prod", 1U << 9 },           /* beyond wrap (2^8 queue) */
        { "cmdq.cons", 1U << 20 },
        { "cmdq.cons", MASK_INSR(3, SMMU_CMDQ_CONS_ERR) },
        { "evtq.base", MASK_INSR(CONFIG_VSMMUV3_EVENTQS + 1,
                                 SMMU_Q_BASE_LOG2SIZE) |
                       H_EVTQ_BASE, true },
        { "evtq.prod", 1U << 30 },
        { "evtq.cons", 1U << 9 },
        { "cmd_active", 2, true },          /* a bool */
        { "cmd_recovered", 0x80, true },
        { "sweep_active", 3, true },
        { "sweep_next_vsid", 0x10000, true },
        { "gerror_irq_cfg0", 1U << 0 },
        { "gerror_irq_cfg0", 1ULL << 60 },
        { "gerror_irq_cfg2", 1U << 8 },
        { "evtq_irq_cfg0", 3 },
        { "evtq_irq_cfg2", 1U << 31 },
    };
    uint8_t *rec, *r;
    unsigned int i;
    size_t len;
    char what[64];

    rec = save(e->h->vs, &len);
    r = malloc(len);
    assert_non_null(r);
    for ( i = 0; i < ARRAY_SIZE(bad); i++ )
    {
        memcpy(r, rec, len);
        set_field(r, bad[i].name, bad[i].set ? bad[i].val :
                  get_field(r, bad[i].name) ^ bad[i].val);
        if ( bad[i].also )
            set_field(r, bad[i].also, get_field(r, bad[i].also) ^ bad[i].val);
        snprintf(what, sizeof(what), "%s %#llx", bad[i].name,
                 (unsigned long long)bad[i].val);
        expect_refused(e, r, len, -EINVAL, what);
    }

    /* A command in progress the queue does not hold, or cannot be. */
    memcpy(r, rec, len);
    assert_int_equal(get_field(r, "cmdq.prod"),
                     get_field(r, "cmdq.cons") & 0x1ff);
    set_field(r, "cmd_active", 1);
    set_field(r, "cmd_cur[0]", cmd_op(SMMU_OP_CMD_SYNC));
    expect_refused(e, r, len, -EINVAL, "in progress, empty queue");
    set_field(r, "cmdq.prod", get_field(r, "cmdq.prod") + 1);
    /* ...that one is fine; now with CMDQEN clear, or a TLBI. */
    set_field(r, "cr0", get_field(r, "cr0") & ~SMMU_CR0_CMDQEN);
    set_field(r, "cr0ack", get_field(r, "cr0"));
    expect_refused(e, r, len, -EINVAL, "in progress, CMDQEN=0");
    set_field(r, "cr0", get_field(r, "cr0") | SMMU_CR0_CMDQEN);
    set_field(r, "cr0ack", get_field(r, "cr0"));
    set_field(r, "cmd_cur[0]", cmd_op(SMMU_OP_TLBI_NH_ALL));
    expect_refused(e, r, len, -EINVAL, "in progress, a TLBI");
    set_field(r, "cmd_cur[0]", cmd_op(SMMU_OP_CMD_SYNC) |
                               MASK_INSR(3, SMMU_CMD0_SYNC_CS));
    expect_refused(e, r, len, -EINVAL, "in progress, CS=3");
    set_field(r, "cmd_cur[0]", cmd_op(SMMU_OP_CMD_SYNC));
    set_field(r, "gerror", get_field(r, "gerrorn") ^ SMMU_GERROR_CMDQ_ERR);
    expect_refused(e, r, len, -EINVAL, "in progress, CMDQ_ERR active");

    free(r);
    free(rec);
    *state = e;
    env_teardown(state);
}

/* S9.3: the vSID map must be the destination's. */
static void test_bad_streams(void **state)
{
    struct env *e = env_two();
    uint8_t *rec, *r, *st;
    uint32_t slen;
    size_t len;

    rec = save(e->h->vs, &len);
    r = malloc(len + 24);
    assert_non_null(r);

#define RESET() (memcpy(r, rec, len), \
                 st = section(r, VSMMUV3_SEC_STREAMS, &slen) + 8)
    /* Entry 0 is vSID 3 -> (SMMU 0x71's key, 0x33), entry 1 vSID 9. */
    RESET();
    assert_int_equal(rd(st, 4), 3);
    assert_int_equal(rd(st + 16, 4), 0x33);
    wr(st + 16, 4, 0x34);
    expect_refused(e, r, len, -EPERM, "another pSID");
    RESET();
    wr(st + 8, 8, rd(st + 8, 8) + 0x10000);
    expect_refused(e, r, len, -EPERM, "another SMMU");
    RESET();
    wr(st, 4, 4);
    expect_refused(e, r, len, -EPERM, "a vSID the domain did not bind");
    RESET();
    wr(st + 24 + 4, 4, VSMMUV3_REC_STREAM_PHYSICAL);
    wr(st + 24 + 8, 8, rd(st + 8, 8));
    wr(st + 24 + 16, 4, 0x99);
    expect_refused(e, r, len, -EPERM, "virtual vSID as physical");
    RESET();
    wr(st + 4, 4, 0);
    wr(st + 8, 8, 0);
    wr(st + 16, 4, 0);
    expect_refused(e, r, len, -EXDEV, "physical vSID as virtual");
    RESET();
    wr(st + 4, 4, 2);
    expect_refused(e, r, len, -EILSEQ, "unknown stream flag");
    RESET();
    wr(st + 20, 4, 1);
    expect_refused(e, r, len, -EILSEQ, "stream reserved word");
    RESET();
    wr(st + 24 + 8, 8, 1);
    expect_refused(e, r, len, -EILSEQ, "virtual stream with an SMMU");
    RESET();
    wr(st + 24, 4, 0x10000);
    expect_refused(e, r, len, -EINVAL, "vSID beyond SIDSIZE");
    RESET();
    wr(st + 24, 4, 3);
    expect_refused(e, r, len, -EINVAL, "vSIDs not ascending");
    /* One stream fewer: the destination binds a vSID the record lacks. */
    RESET();
    wr(st - 8, 4, 1);
    wr(st - 8 - 4, 4, slen - 24);
    set_total(r, len - 24);
    expect_refused(e, r, len - 24, -EXDEV, "destination has more");
    RESET();
    wr(st - 8, 4, 3);
    expect_refused(e, r, len, -EILSEQ, "count and length disagree");
#undef RESET

    /* A dying vSMMU takes no record. */
    assert_int_equal(vsmmuv3_relinquish(e->h->vs), 0);
    expect_refused(e, rec, len, -EBUSY, "dying");
    free(r);
    free(rec);
    *state = e;
    env_teardown(state);
}

/* S9.3: the VCPU_WORK section is checked like the others. */
static void test_bad_vcpu_work(void **state)
{
    struct env *a = env_many();
    uint8_t *rec, *vw;
    uint32_t vlen;
    size_t len;

    emul_auto_return(false);
    g_cmd(&a->g, cmd_op(SMMU_OP_CFGI_STE_RANGE), SMMU_CFGI_RANGE_ALL);
    g_publish(&a->g);
    rec = save(a->h->vs, &len);
    vw = section(rec, VSMMUV3_SEC_VCPU_WORK, &vlen);
    assert_non_null(vw);
    assert_int_equal(rd(vw, 4), 4);
    assert_int_equal(vw[8], 1);
    vw[8] |= 1U << 4;                   /* vCPU 4 of 4 */
    expect_refused(a, rec, len, -EINVAL, "vCPU beyond max_vcpus");
    vw[8] = 1;
    wr(vw, 4, 5);
    expect_refused(a, rec, len, -EINVAL, "vCPU count");
    wr(vw, 4, 4);
    wr(vw + 4, 4, 1);
    expect_refused(a, rec, len, -EILSEQ, "VCPU_WORK reserved");
    wr(vw + 4, 4, 0);
    wr(vw - 6, 2, 0);
    expect_refused(a, rec, len, -EILSEQ, "VCPU_WORK required");
    g_drain(a->h);
    emul_auto_return(true);
    free(rec);
    *state = a;
    env_teardown(state);
}

/*
 * S9.3: work left and no vCPU named to do it (a VCPU_WORK section with no
 * vCPU, or none at all): vCPU 0 gets it, so that it is done (found by
 * fuzz_restore: the work was left to nobody).
 */
static void test_vcpu_work_fallback(void **state)
{
    struct env *a = env_many(), *b;
    unsigned int aborted, drop;
    uint8_t *rec, *vw, *r;
    uint32_t vlen;
    size_t len;

    emul_auto_return(false);
    g_cmd(&a->g, cmd_op(SMMU_OP_CFGI_STE_RANGE), SMMU_CFGI_RANGE_ALL);
    g_cmd_sync(&a->g);
    g_publish(&a->g);
    rec = save(a->h->vs, &len);
    b = env_many();
    copy_ram(b, a);
    for ( drop = 0; drop < 2; drop++ )
    {
        r = malloc(len);
        assert_non_null(r);
        memcpy(r, rec, len);
        vw = section(r, VSMMUV3_SEC_VCPU_WORK, &vlen);
        assert_non_null(vw);
        vw[8] = 0;
        /* Or the section skipped by its type: unknown and skippable. */
        if ( drop )
            wr(vw - 8, 2, 0x7fff);
        b->h->vs->vcpu_work[0] = false;
        assert_int_equal(vsmmuv3_restore(b->h->vs, r, len, &aborted), 0);
        assert_true(b->h->vs->vcpu_work[0]);
        free(r);
    }
    assert_true(g_drain(b->h) > 0);
    g_drain(a->h);
    emul_auto_return(true);
    assert_int_equal(g_cons(&b->g), a->g.prod);
    free(rec);
    *state = a;
    env_teardown(state);
    *state = b;
    env_teardown(state);
}

/*
 * S9.3: a stream whose re-install the physical SMMU refuses is left
 * aborting and counted; the restore completes, and no event reaches the
 * guest for it (the guest had its events before the save).
 */
static void test_reinstall_failure(void **state)
{
    struct env *e = env_two();
    const struct fake_install *in;
    unsigned int aborted = 0;
    uint32_t prod;
    uint8_t *rec;
    size_t len;

    rec = save(e->h->vs, &len);
    prod = h_read32(e->h, SMMU_EVENTQ_PROD);
    e->phys[0].fail_install = -EIO;
    assert_int_equal(vsmmuv3_restore(e->h->vs, rec, len, &aborted), 0);
    assert_int_equal(aborted, 1);
    in = fake_last_install(&e->phys[0], 0x33);
    assert_int_equal(in->cfg, VSMMUV3_STE_ABORT);
    assert_int_equal(h_read32(e->h, SMMU_EVENTQ_PROD), prod);
    assert_int_equal(e->h->vs->stats.restore_aborted, 1);
    /* Once the SMMU takes it again, the next restore puts it back. */
    e->phys[0].fail_install = 0;
    assert_int_equal(vsmmuv3_restore(e->h->vs, rec, len, &aborted), 0);
    assert_int_equal(aborted, 0);
    assert_int_equal(fake_last_install(&e->phys[0], 0x33)->cfg,
                     VSMMUV3_STE_NESTED);
    free(rec);
    *state = e;
    env_teardown(state);
}

/*
 * The debug self-test register (docs/registers.md): 'RSTR' at 0xE00 saves,
 * resets, aborts the streams and restores in the trap; 0xE00 reads
 * 0x80000000 after a clean run, the count of streams left aborting and
 * the errno otherwise.  Other values and sizes do nothing.
 */
static void test_selftest_register(void **state)
{
    struct rt *t = rt_create();
    uint32_t regs[NREGS];
    unsigned long aborts, nested;
    uint64_t v = 0, ipa;

    mid_activity(t);
    read_regs(t->h[0], regs);
#ifdef CONFIG_VSMMUV3_SELFTEST
    assert_int_equal(h_read32(t->h[0], VSMMUV3_SELFTEST_REG), 0);
    h_write32(t->h[0], VSMMUV3_SELFTEST_REG, 0x12345678);
    assert_int_equal(h_read32(t->h[0], VSMMUV3_SELFTEST_REG), 0);
    assert_int_equal(h_access(t->h[0], VSMMUV3_SELFTEST_REG,
                              DABT_DOUBLE_WORD, true, &v), 1);
    assert_int_equal(h_read32(t->h[0], VSMMUV3_SELFTEST_REG), 0);

    aborts = smmu_model_stats(t->m)->sets_abort;
    nested = smmu_model_stats(t->m)->installs_nested;
    h_write32(t->h[0], VSMMUV3_SELFTEST_REG, VSMMUV3_SELFTEST_RUN);
    assert_int_equal(h_read32(t->h[0], VSMMUV3_SELFTEST_REG), 0x80000000);
    /* The stream was driven to abort, then nested again. */
    assert_int_equal(smmu_model_stats(t->m)->sets_abort, aborts + 1);
    assert_int_equal(smmu_model_stats(t->m)->installs_nested, nested + 1);
    expect_regs(t->h[0], regs);
    assert_int_equal(dma(t, IOVA + 0x3000, MO1, &ipa), SMMU_MODEL_DMA_OK);
    assert_int_equal(ipa, BUF_IPA + 0x3000);

    /* A stream the SMMU will not take back: counted in bits 27:16. */
    smmu_model_unassign_stream(t->md[0], PSID);
    h_write32(t->h[0], VSMMUV3_SELFTEST_REG, VSMMUV3_SELFTEST_RUN);
    assert_int_equal(h_read32(t->h[0], VSMMUV3_SELFTEST_REG),
                     0x80000000 | (1U << 16));
    expect_regs(t->h[0], regs);
#else
    h_write32(t->h[0], VSMMUV3_SELFTEST_REG, VSMMUV3_SELFTEST_RUN);
    assert_int_equal(h_read32(t->h[0], VSMMUV3_SELFTEST_REG), 0);
    (void)aborts; (void)nested; (void)v; (void)ipa;
#endif
    ack_cmdq_error(t->h[0], &t->g);
    rt_destroy(t);
}

/*
 * S9.2: docs/save-restore.md documents every field: its CORE and MSI
 * tables are the field list, row for row (name, offset, width).
 */
static void test_docs_table(void **state)
{
    const char *path = getenv("XV_DOCS") ? getenv("XV_DOCS")
                                         : "docs/save-restore.md";
    FILE *f = fopen(path, "r");
    char line[512];
    unsigned int n = 0;

    if ( !f )
        fail_msg("cannot open %s", path);
    make_layout();
    while ( fgets(line, sizeof(line), f) )
    {
        char sect[16], off[16], width[16], name[48];
        const struct rec_field *lf;

        /* | CORE | 0x00 | 4 | `id.idr[0]` | ... */
        if ( sscanf(line, "| %15[A-Z] | %15[0-9a-fx] | %15[0-9] | `%47[^`]`",
                    sect, off, width, name) != 4 )
            continue;
        if ( strcmp(sect, "CORE") && strcmp(sect, "MSI") )
            continue;
        if ( n >= nr_layout )
            fail_msg("%s: extra row %s", path, name);
        lf = &layout[n++];
        if ( strcmp(name, lf->name) ||
             strcmp(sect, lf->sect == VSMMUV3_SEC_CORE ? "CORE" : "MSI") ||
             strtoul(off, NULL, 0) != lf->off ||
             strtoul(width, NULL, 0) != lf->width )
            fail_msg("%s: row %s %s %s %s, the field list has %s %#x %u %s",
                     path, sect, off, width, name,
                     lf->sect == VSMMUV3_SEC_CORE ? "CORE" : "MSI",
                     lf->off, lf->width, lf->name);
    }
    fclose(f);
    if ( n != nr_layout )
        fail_msg("%s: %u rows, the field list has %u fields (next: %s)",
                 path, n, nr_layout, layout[n].name);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_same_vsmmu),
        cmocka_unit_test(test_restore_other_domain),
        cmocka_unit_test(test_roundtrip_continuation),
        cmocka_unit_test(test_roundtrip_sweep),
        cmocka_unit_test(test_bad_structure),
        cmocka_unit_test(test_unknown_skippable_accepted),
        cmocka_unit_test(test_bad_fields),
        cmocka_unit_test(test_bad_streams),
        cmocka_unit_test(test_bad_vcpu_work),
        cmocka_unit_test(test_vcpu_work_fallback),
        cmocka_unit_test(test_reinstall_failure),
        cmocka_unit_test(test_selftest_register),
        cmocka_unit_test(test_docs_table),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
