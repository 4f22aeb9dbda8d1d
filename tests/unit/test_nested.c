/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The pure half of the physical driver's nesting backend
 * (smmu-v3-nested.c), checked against the software SMMUv3 (tests/model/):
 *
 * - the STEs it composes translate, through the model's decoder of raw
 *   STEs, exactly as the model's own abort / stage-2-only / nested states
 *   do (S5.3, S8.9), and guest bits outside the whitelist are refused;
 * - the order in which it rewrites a live STE: whatever mix of old and new
 *   words an SMMU may read between two syncs, a transaction meets the old
 *   configuration, the new one or an abort (S8.4);
 * - the check of what reaches the shared physical command queue (S4.6,
 *   S8.4), and which SMMUs can nest at all;
 * - at the vSMMU level: a stream the physical driver refuses is never
 *   bound, and a released one is never touched again (S8.4, S8.10).
 */
#include "harness.h"
#include "machine-mem.h"
#include "pgtable.h"
#include "smmu-model.h"

#define RD              SMMU_MODEL_ACCESS_READ
#define WR              SMMU_MODEL_ACCESS_WRITE
#define PRIV            SMMU_MODEL_ACCESS_PRIV

#define VMID            7
#define OTHER_VMID      9
#define PSID            0x42U
/* Guest tables: two pools, each stage-2 mapped page by page in reverse. */
#define POOL_IPA        0x40000000ULL
#define POOL_SIZE       0x80000ULL
#define POOL_PA         0x900000000ULL
#define DATA_IPA        0x80000000ULL
#define DATA_SIZE       0x100000ULL
#define DATA_PA         0xa00000000ULL
#define IOVA            0x10000000ULL
#define IOVA_UNMAPPED   0x20000000ULL

static uint64_t ste0_config(unsigned int config)
{
    return SMMU_STE0_V | MASK_INSR(config, SMMU_STE0_CONFIG);
}

/* Guest words 0 and 1 as the vSMMU hands them over (S5.3 reduced). */
static void guest_words(uint64_t g[2], uint64_t ctxptr, unsigned int cir,
                        unsigned int cor, unsigned int csh)
{
    g[0] = ste0_config(SMMU_STE_CONFIG_S1_TRANS) |
           (ctxptr & SMMU_STE0_S1CTXPTR);
    g[1] = MASK_INSR(cir, SMMU_STE1_S1CIR) |
           MASK_INSR(cor, SMMU_STE1_S1COR) |
           MASK_INSR(csh, SMMU_STE1_S1CSH);
}

static void model_caps(const struct smmu_model *m,
                       struct vsmmuv3_phys_caps *caps)
{
    smmu_model_read_caps(m, caps->idr, &caps->iidr, &caps->aidr);
}

static void model_s2(const struct smmu_model_domain *d,
                     struct smmuv3_nested_s2 *s2)
{
    smmu_model_domain_s2_words(d, &s2->ste2, &s2->ste3);
}

/*
 * STE composition against the model.
 */
struct comp {
    enum smmu_model_stall stall;
    struct machine_mem *mem;
    struct smmu_model *m;
    struct smmu_model_domain *dom;
    struct guest_view gv;
    struct smmu_pgt *pgt[2];
    uint64_t cd[2];             /* CDs of ASIDs 1 and 2 */
    uint64_t cd_zero;           /* 64 zero bytes: CD.V = 0 */
    struct vsmmuv3_phys_caps caps;
    struct smmuv3_nested_s2 s2;
    unsigned int cases;
    unsigned int raw_refused;
};

static struct comp *comp_create(enum smmu_model_stall stall)
{
    struct comp *c = calloc(1, sizeof(*c));
    struct smmu_model_config mc = { .ril = true, .stall = stall };
    struct smmu_cd_params prm;
    uint64_t cd[SMMU_CD_DWORDS], i;
    unsigned int p;

    assert_non_null(c);
    c->stall = stall;
    c->mem = machine_mem_create();
    assert_int_equal(machine_mem_add(c->mem, POOL_PA, 2 * POOL_SIZE), 0);
    mc.read_pa = machine_mem_read;
    mc.mem_ctx = c->mem;
    c->m = smmu_model_create(&mc);
    assert_non_null(c->m);
    c->dom = smmu_model_domain_create(c->m, VMID);
    assert_non_null(c->dom);
    for ( i = 0; i < 2 * POOL_SIZE / SMMU_MODEL_S2_PAGE; i++ )
        assert_int_equal(smmu_model_s2_map(c->dom,
                             POOL_IPA + i * SMMU_MODEL_S2_PAGE,
                             POOL_PA + 2 * POOL_SIZE -
                             (i + 1) * SMMU_MODEL_S2_PAGE,
                             SMMU_MODEL_S2_PAGE, SMMU_MODEL_S2_RW), 0);
    assert_int_equal(smmu_model_s2_map(c->dom, DATA_IPA, DATA_PA, DATA_SIZE,
                                       SMMU_MODEL_S2_RW), 0);
    c->gv.mem = c->mem;
    c->gv.dom = c->dom;
    /* Two address spaces: IOVA -> DATA_IPA, and IOVA -> DATA_IPA + 64K. */
    for ( p = 0; p < 2; p++ )
    {
        c->pgt[p] = smmu_pgt_create(&(struct smmu_pgt_config){
            .granule = 0x1000, .ias = 48,
            .pool_base = POOL_IPA + p * POOL_SIZE, .pool_size = POOL_SIZE,
            .write_ipa = guest_view_write, .read_ipa = guest_view_read,
            .ctx = &c->gv,
        });
        assert_non_null(c->pgt[p]);
        c->cd[p] = smmu_pgt_alloc(c->pgt[p], SMMU_CD_SIZE, SMMU_CD_SIZE);
        assert_true(c->cd[p] != 0);
        smmu_pgt_cd_params(c->pgt[p], 1 + p, &prm);
        smmu_build_cd(cd, &prm);
        assert_int_equal(smmu_pgt_write_words(c->pgt[p], c->cd[p], cd,
                                              SMMU_CD_DWORDS), 0);
        assert_int_equal(smmu_pgt_map(c->pgt[p], IOVA,
                                      DATA_IPA + p * 0x10000, 0x1000,
                                      SMMU_PGT_WRITE), 0);
    }
    c->cd_zero = smmu_pgt_alloc(c->pgt[0], SMMU_CD_SIZE, SMMU_CD_SIZE);
    assert_true(c->cd_zero != 0);
    assert_int_equal(smmu_model_assign_stream(c->dom, PSID), 0);
    model_caps(c->m, &c->caps);
    model_s2(c->dom, &c->s2);
    return c;
}

static void comp_destroy(struct comp *c)
{
    smmu_pgt_destroy(c->pgt[0]);
    smmu_pgt_destroy(c->pgt[1]);
    smmu_model_domain_destroy(c->dom);
    smmu_model_destroy(c->m);
    machine_mem_destroy(c->mem);
    free(c);
}

/* What one transaction got. */
struct outcome {
    int status;
    uint64_t pa;
    uint64_t evt[4];
    const char *reason;
};

static const struct {
    uint64_t addr;
    unsigned int access;
} probes[] = {
    { IOVA + 0x10, RD },            /* stage 1 maps it */
    { IOVA + 0x20, WR | PRIV },
    { IOVA_UNMAPPED, RD },          /* a stage-1 fault */
    { DATA_IPA + 0x30, WR },        /* an IPA: what stage 2 alone maps */
};
#define NR_PROBES   ARRAY_SIZE(probes)

static void run_probes(struct comp *c, struct outcome out[NR_PROBES])
{
    uint64_t cmd[2] = {
        MASK_INSR(SMMU_OP_TLBI_S12_VMALL, SMMU_CMD_OPCODE) |
        MASK_INSR(VMID, SMMU_CMD0_TLBI_VMID), 0
    };
    unsigned int i;

    /* Nothing cached from the other installation can answer for this one. */
    assert_int_equal(smmu_model_queue_inval(c->dom,
                         (const uint64_t (*)[2])cmd, 1), 0);
    assert_int_equal(smmu_model_sync(c->dom), 0);
    for ( i = 0; i < NR_PROBES; i++ )
    {
        memset(&out[i], 0, sizeof(out[i]));
        out[i].status = smmu_model_dma(c->m, PSID, probes[i].addr,
                                       probes[i].access, 4, &out[i].pa,
                                       out[i].evt);
        assert_true(out[i].status >= 0);
        if ( out[i].status != SMMU_MODEL_DMA_OK )
            out[i].reason = smmu_model_last_fault_reason(c->m);
    }
}

static const char *mode_name(enum smmuv3_nested_mode mode)
{
    return mode == SMMUV3_NESTED_ABORT ? "abort" :
           mode == SMMUV3_NESTED_S2 ? "s2" : "s1s2";
}

static void report_case(const struct comp *c, enum smmuv3_nested_mode mode,
                        const uint64_t guest[2], const uint64_t ste[4])
{
    print_message("stall model %d, mode %s, guest %#lx %#lx\n", c->stall,
                  mode_name(mode), guest ? (unsigned long)guest[0] : 0,
                  guest ? (unsigned long)guest[1] : 0);
    print_message("  physical STE %#lx %#lx %#lx %#lx\n",
                  (unsigned long)ste[0], (unsigned long)ste[1],
                  (unsigned long)ste[2], (unsigned long)ste[3]);
    print_message("  model: %s\n", smmu_model_last_error(c->m));
}

static bool same_outcome(const struct outcome *a, const struct outcome *b)
{
    if ( a->status != b->status )
        return false;
    if ( a->status == SMMU_MODEL_DMA_OK )
        return a->pa == b->pa;
    return !memcmp(a->evt, b->evt, sizeof(a->evt)) &&
           !strcmp(a->reason, b->reason);
}

/*
 * S5.3, S8.9: the physical STE smmuv3_nested_make_ste() builds for @mode,
 * written raw, gives every probe what the model's own state for @mode
 * gives it.  Returns whether the model accepted the raw STE.
 */
static bool check_case(struct comp *c, enum smmuv3_nested_mode mode,
                       const uint64_t guest[2])
{
    struct outcome ref[NR_PROBES], raw[NR_PROBES];
    struct smmu_model_ste dec;
    uint64_t ste[4];
    int rc_ref, rc_raw;
    unsigned int i;

    c->cases++;
    assert_int_equal(smmu_model_set_abort(c->dom, PSID), 0);
    switch ( mode )
    {
    case SMMUV3_NESTED_ABORT:
        rc_ref = smmu_model_set_abort(c->dom, PSID);
        break;
    case SMMUV3_NESTED_S2:
        rc_ref = smmu_model_set_s2_only(c->dom, PSID);
        break;
    default:
        rc_ref = smmu_model_install_nested(c->dom, PSID, guest);
        break;
    }
    run_probes(c, ref);

    memset(ste, 0xa5, sizeof(ste));
    assert_int_equal(smmuv3_nested_make_ste(ste, mode, guest, &c->s2,
                                            &c->caps), 0);
    rc_raw = smmu_model_write_raw_ste(c->dom, PSID, ste);
    run_probes(c, raw);

    if ( c->stall == SMMU_MODEL_STALL_FORCED && mode != SMMUV3_NESTED_ABORT )
    {
        /* Nothing translates where every fault would stall: both refuse. */
        assert_int_equal(rc_ref, -EINVAL);
        assert_int_equal(rc_raw, -EINVAL);
        c->raw_refused++;
        return false;
    }
    assert_int_equal(rc_ref, 0);
    for ( i = 0; i < NR_PROBES; i++ )
    {
        if ( same_outcome(&ref[i], &raw[i]) )
            continue;
        report_case(c, mode, guest, ste);
        print_message("  probe %u: model's own state %d %#lx '%s', "
                      "raw STE %d %#lx '%s'\n", i, ref[i].status,
                      (unsigned long)(ref[i].status ? ref[i].evt[0]
                                                    : ref[i].pa),
                      ref[i].reason ?: "", raw[i].status,
                      (unsigned long)(raw[i].status ? raw[i].evt[0]
                                                    : raw[i].pa),
                      raw[i].reason ?: "");
        fail();
    }
    /*
     * The raw STE is refused only where the model's own state records
     * C_BAD_STE too (an S1ContextPtr beyond the OAS, say).
     */
    if ( rc_raw )
    {
        if ( ref[0].status != SMMU_MODEL_DMA_FAULT ||
             MASK_EXTR(ref[0].evt[0], SMMU_EVT0_ID) !=
             SMMU_EVT_C_BAD_STE )
        {
            report_case(c, mode, guest, ste);
            fail();
        }
        c->raw_refused++;
        return false;
    }
    /* What the model does not act on, read back through its decoder. */
    smmu_model_decode_ste(c->m, ste, &dec);
    switch ( mode )
    {
    case SMMUV3_NESTED_ABORT:
        assert_int_equal(dec.kind, SMMU_MODEL_STE_ABORT);
        break;
    case SMMUV3_NESTED_S2:
        assert_int_equal(dec.kind, SMMU_MODEL_STE_S2);
        break;
    default:
        assert_int_equal(dec.kind, SMMU_MODEL_STE_NESTED);
        assert_int_equal(dec.used[1] & (SMMU_STE1_S1CIR | SMMU_STE1_S1COR |
                                        SMMU_STE1_S1CSH), guest[1]);
        assert_int_equal(dec.used[0] & SMMU_STE0_S1CTXPTR,
                         guest[0] & SMMU_STE0_S1CTXPTR);
        break;
    }
    return true;
}

/* The S1ContextPtr values of the composition tests. */
static void ctxptrs(const struct comp *c, uint64_t v[6])
{
    v[0] = c->cd[0];
    v[1] = c->cd[1];
    v[2] = c->cd_zero;                      /* C_BAD_CD */
    v[3] = (1ULL << 47) | 0x40;             /* stage 2 maps nothing there */
    v[4] = (1ULL << 50) | 0x1000;           /* beyond the OAS */
    v[5] = SMMU_STE0_S1CTXPTR;              /* every bit up to 51 */
}

static void compose_every_combination(enum smmu_model_stall stall)
{
    struct comp *c = comp_create(stall);
    unsigned int p, cir, cor, csh, accepted = 0;
    uint64_t guest[2], ptr[6];

    ctxptrs(c, ptr);
    accepted += check_case(c, SMMUV3_NESTED_ABORT, NULL);
    accepted += check_case(c, SMMUV3_NESTED_S2, NULL);
    for ( p = 0; p < ARRAY_SIZE(ptr); p++ )
        for ( cir = 0; cir < 4; cir++ )
            for ( cor = 0; cor < 4; cor++ )
                for ( csh = 0; csh < 4; csh++ )
                {
                    guest_words(guest, ptr[p], cir, cor, csh);
                    accepted += check_case(c, SMMUV3_NESTED_S1S2, guest);
                }
    print_message("stall model %d: %u cases, %u raw STEs accepted, "
                  "%u refused (as the model's own state%s)\n", stall,
                  c->cases, accepted, c->raw_refused,
                  stall == SMMU_MODEL_STALL_FORCED ? "" : ": C_BAD_STE");
    /* Not vacuous: the translating cases were compared. */
    if ( stall != SMMU_MODEL_STALL_FORCED )
        assert_true(accepted >= 2 + 4 * 64);
    comp_destroy(c);
}

/* S5.3, S8.9: every guest attribute x every CD pointer x each mode. */
static void test_compose_term_only(void **state)
{
    compose_every_combination(SMMU_MODEL_STALL_TERM_ONLY);
}

static void test_compose_stall_optional(void **state)
{
    compose_every_combination(SMMU_MODEL_STALL_OPTIONAL);
}

static void test_compose_stall_forced(void **state)
{
    compose_every_combination(SMMU_MODEL_STALL_FORCED);
}

/*
 * S8.9: S1STALLD is set exactly when IDR0.STALL_MODEL says stalls are
 * possible but optional (0b00); it is RES0 with 0b01 and ILLEGAL with 0b10.
 */
static void test_s1stalld_by_stall_model(void **state)
{
    struct comp *c = comp_create(SMMU_MODEL_STALL_TERM_ONLY);
    struct vsmmuv3_phys_caps caps = c->caps;
    uint64_t guest[2], ste[4];
    unsigned int sm;

    guest_words(guest, c->cd[0], 1, 1, 3);
    for ( sm = 0; sm < 4; sm++ )
    {
        caps.idr[0] = (c->caps.idr[0] & ~SMMU_IDR0_STALL_MODEL) |
                      MASK_INSR(sm, SMMU_IDR0_STALL_MODEL);
        assert_int_equal(smmuv3_nested_make_ste(ste, SMMUV3_NESTED_S1S2,
                                                guest, &c->s2, &caps), 0);
        assert_int_equal(!!(ste[1] & SMMU_STE1_S1STALLD),
                         sm == SMMU_IDR0_STALL_MODEL_STALL_TERM);
    }
    comp_destroy(c);
}

/*
 * S5.3, S8.4: the guest owns V, Config, S1ContextPtr, S1CIR, S1COR and
 * S1CSH of the words it hands over, and nothing else: every other bit of
 * words 0 and 1 makes the STE -EINVAL.  The whitelist is written out here
 * from the header's contract, bit by bit.
 */
static bool guest_may_flip(unsigned int word, unsigned int bit)
{
    if ( word == 0 )
        return bit >= 6 && bit <= 51;       /* S1ContextPtr */
    return bit >= 2 && bit <= 7;            /* S1CIR, S1COR, S1CSH */
}

static void test_guest_whitelist_every_bit(void **state)
{
    struct comp *c = comp_create(SMMU_MODEL_STALL_TERM_ONLY);
    uint64_t base[2], guest[2], ste[4];
    unsigned int w, b, cfg, ok = 0;

    guest_words(base, c->cd[0], 1, 1, 3);
    for ( w = 0; w < 2; w++ )
        for ( b = 0; b < 64; b++ )
        {
            guest[0] = base[0];
            guest[1] = base[1];
            guest[w] ^= 1ULL << b;
            if ( !guest_may_flip(w, b) )
            {
                if ( smmuv3_nested_make_ste(ste, SMMUV3_NESTED_S1S2, guest,
                                            &c->s2, &c->caps) != -EINVAL )
                {
                    print_message("word %u bit %u accepted\n", w, b);
                    fail();
                }
                continue;
            }
            /* Allowed: it reaches the physical STE, and behaves as such. */
            check_case(c, SMMUV3_NESTED_S1S2, guest);
            ok++;
        }
    assert_int_equal(ok, 46 + 6);
    /* Every Config but S1 translate, and V = 0. */
    for ( cfg = 0; cfg < 8; cfg++ )
    {
        guest[0] = (base[0] & ~SMMU_STE0_CONFIG) |
                   MASK_INSR(cfg, SMMU_STE0_CONFIG);
        guest[1] = base[1];
        assert_int_equal(smmuv3_nested_make_ste(ste, SMMUV3_NESTED_S1S2,
                                                guest, &c->s2, &c->caps),
                         cfg == SMMU_STE_CONFIG_S1_TRANS ? 0 : -EINVAL);
        guest[0] &= ~SMMU_STE0_V;
        assert_int_equal(smmuv3_nested_make_ste(ste, SMMUV3_NESTED_S1S2,
                                                guest, &c->s2, &c->caps),
                         -EINVAL);
    }
    /* A mode that does not exist. */
    assert_int_equal(smmuv3_nested_make_ste(ste, SMMUV3_NESTED_S1S2 + 1,
                                            base, &c->s2, &c->caps),
                     -EINVAL);
    comp_destroy(c);
}

/*
 * S8.4: words 2 and 3 (VMID, stage 2) are the caller's @s2 exactly, never
 * the guest's; and the model refuses another domain's stage 2 on a stream.
 */
static void test_stage2_is_the_drivers(void **state)
{
    struct comp *c = comp_create(SMMU_MODEL_STALL_TERM_ONLY);
    struct smmu_model_domain *other =
        smmu_model_domain_create(c->m, OTHER_VMID);
    struct smmuv3_nested_s2 s2_other;
    uint64_t guest[2], ste[4];

    model_s2(other, &s2_other);
    guest_words(guest, c->cd[0], 3, 3, 3);
    assert_int_equal(smmuv3_nested_make_ste(ste, SMMUV3_NESTED_S1S2, guest,
                                            &s2_other, &c->caps), 0);
    assert_int_equal(ste[2], s2_other.ste2);
    assert_int_equal(ste[3], s2_other.ste3);
    /* On our domain's stream, another domain's stage 2 is refused. */
    assert_int_equal(smmu_model_write_raw_ste(c->dom, PSID, ste), -EINVAL);
    assert_non_null(strstr(smmu_model_last_error(c->m), "S2VMID"));
    smmu_model_domain_destroy(other);
    comp_destroy(c);
}

/*
 * STE update order (S8.4).
 */
enum {
    CFG_INVALID, CFG_ABORT, CFG_S2_A, CFG_S2_B, CFG_S2_C, CFG_NESTED_1,
    CFG_NESTED_2, CFG_NESTED_3, CFG_NESTED_B, NR_CFGS
};

static const char *const cfg_names[NR_CFGS] = {
    "invalid", "abort", "s2(vmid 7)", "s2(vmid 9)", "s2(vmid 9,root 7)",
    "nested(cd0,cir1)", "nested(cd1,cir2)", "nested(cd1,cir1)",
    "nested(cd0,cir1,vmid 9)",
};

struct plan_env {
    struct comp *c;
    struct smmu_model_domain *other;
    uint64_t cfg[NR_CFGS][4];
    struct smmu_model_ste dec[NR_CFGS];
};

static void plan_env_init(struct plan_env *pe)
{
    struct smmuv3_nested_s2 s2b;
    uint64_t guest[2];
    struct comp *c;

    pe->c = c = comp_create(SMMU_MODEL_STALL_TERM_ONLY);
    pe->other = smmu_model_domain_create(c->m, OTHER_VMID);
    model_s2(pe->other, &s2b);
    memset(pe->cfg, 0, sizeof(pe->cfg));
    assert_int_equal(smmuv3_nested_make_ste(pe->cfg[CFG_ABORT],
                         SMMUV3_NESTED_ABORT, NULL, NULL, &c->caps), 0);
    assert_int_equal(smmuv3_nested_make_ste(pe->cfg[CFG_S2_A],
                         SMMUV3_NESTED_S2, NULL, &c->s2, &c->caps), 0);
    assert_int_equal(smmuv3_nested_make_ste(pe->cfg[CFG_S2_B],
                         SMMUV3_NESTED_S2, NULL, &s2b, &c->caps), 0);
    /* Only word 2 (the VMID) differs from CFG_S2_A. */
    s2b.ste3 = c->s2.ste3;
    assert_int_equal(smmuv3_nested_make_ste(pe->cfg[CFG_S2_C],
                         SMMUV3_NESTED_S2, NULL, &s2b, &c->caps), 0);
    model_s2(pe->other, &s2b);
    guest_words(guest, c->cd[0], 1, 1, 3);
    assert_int_equal(smmuv3_nested_make_ste(pe->cfg[CFG_NESTED_1],
                         SMMUV3_NESTED_S1S2, guest, &c->s2, &c->caps), 0);
    assert_int_equal(smmuv3_nested_make_ste(pe->cfg[CFG_NESTED_B],
                         SMMUV3_NESTED_S1S2, guest, &s2b, &c->caps), 0);
    guest_words(guest, c->cd[1], 2, 1, 3);
    assert_int_equal(smmuv3_nested_make_ste(pe->cfg[CFG_NESTED_2],
                         SMMUV3_NESTED_S1S2, guest, &c->s2, &c->caps), 0);
    guest_words(guest, c->cd[1], 1, 1, 3);
    assert_int_equal(smmuv3_nested_make_ste(pe->cfg[CFG_NESTED_3],
                         SMMUV3_NESTED_S1S2, guest, &c->s2, &c->caps), 0);
}

static void plan_env_free(struct plan_env *pe)
{
    smmu_model_domain_destroy(pe->other);
    comp_destroy(pe->c);
}

/* May an SMMU that reads @obs give a transaction what it gets there? */
static bool observable_ok(const struct plan_env *pe, const uint64_t obs[4],
                          const struct smmu_model_ste *old,
                          const struct smmu_model_ste *new)
{
    struct smmu_model_ste d;

    /* Never a physical bypass, whatever else. */
    if ( (obs[0] & SMMU_STE0_V) &&
         MASK_EXTR(obs[0], SMMU_STE0_CONFIG) == SMMU_STE_CONFIG_BYPASS )
        return false;
    smmu_model_decode_ste(pe->c->m, obs, &d);
    return smmu_model_same_ste(&d, old) || smmu_model_same_ste(&d, new) ||
           d.kind == SMMU_MODEL_STE_ABORT;
}

/*
 * Every STE an SMMU may read while word w has one of vals[w][0..nr[w]-1]:
 * each word is read on its own, at any time since the last sync.
 */
static bool all_mixes_ok(const struct plan_env *pe,
                         uint64_t vals[4][SMMUV3_NESTED_PLAN_MAX + 1],
                         const unsigned int nr[4],
                         const struct smmu_model_ste *old,
                         const struct smmu_model_ste *new, uint64_t bad[4])
{
    unsigned int i[4];
    uint64_t obs[4];

    for ( i[0] = 0; i[0] < nr[0]; i[0]++ )
        for ( i[1] = 0; i[1] < nr[1]; i[1]++ )
            for ( i[2] = 0; i[2] < nr[2]; i[2]++ )
                for ( i[3] = 0; i[3] < nr[3]; i[3]++ )
                {
                    obs[0] = vals[0][i[0]];
                    obs[1] = vals[1][i[1]];
                    obs[2] = vals[2][i[2]];
                    obs[3] = vals[3][i[3]];
                    if ( !observable_ok(pe, obs, old, new) )
                    {
                        memcpy(bad, obs, sizeof(obs));
                        return false;
                    }
                }
    return true;
}

static void add_val(uint64_t vals[SMMUV3_NESTED_PLAN_MAX + 1],
                    unsigned int *nr, uint64_t v)
{
    unsigned int i;

    for ( i = 0; i < *nr; i++ )
        if ( vals[i] == v )
            return;
    assert_true(*nr < SMMUV3_NESTED_PLAN_MAX + 1);
    vals[(*nr)++] = v;
}

/*
 * The fewest syncs any plan needs under the same observation rules: a
 * search over batches of writes (word 0 to abort, if @via_abort, or to its
 * new value, the other words to their new values), each batch ended by a
 * sync, except that a last batch may go unsynced if whatever the SMMU
 * reads of it is the new configuration already.  ~0U if there is none.
 */
static unsigned int min_syncs(const struct plan_env *pe, const uint64_t *old,
                              const uint64_t *new, bool via_abort)
{
    const uint64_t abort0 = ste0_config(SMMU_STE_CONFIG_ABORT);
    struct smmu_model_ste dold, dnew;
    /* State: word 0 (0 old, 1 abort, 2 new) x words 1-3 written (mask). */
    unsigned int dist[3][8], queue[24], head = 0, tail = 0, best = ~0U;
    unsigned int s, t, w0, m, w0n, mn, i;

    smmu_model_decode_ste(pe->c->m, old, &dold);
    smmu_model_decode_ste(pe->c->m, new, &dnew);
    memset(dist, 0xff, sizeof(dist));
    dist[0][0] = 0;
    queue[tail++] = 0;
    while ( head < tail )
    {
        s = queue[head++];
        w0 = s / 8;
        m = s % 8;
        for ( t = 0; t < 24; t++ )
        {
            uint64_t vals[4][SMMUV3_NESTED_PLAN_MAX + 1], bad[4];
            unsigned int nr[4] = { 0 };
            uint64_t v0[3] = { old[0], abort0, new[0] };
            bool done;

            w0n = t / 8;
            mn = t % 8;
            if ( (mn & m) != m || t == s || (w0n == 1 && !via_abort) )
                continue;
            add_val(vals[0], &nr[0], v0[w0]);
            add_val(vals[0], &nr[0], v0[w0n]);
            for ( i = 1; i < 4; i++ )
            {
                add_val(vals[i], &nr[i], (m >> (i - 1)) & 1 ? new[i] : old[i]);
                add_val(vals[i], &nr[i], (mn >> (i - 1)) & 1 ? new[i]
                                                             : old[i]);
            }
            if ( !all_mixes_ok(pe, vals, nr, &dold, &dnew, bad) )
                continue;
            done = w0n == 2 && mn == 7;
            if ( done )
            {
                struct smmu_model_ste dpre;
                uint64_t pre[4] = {
                    v0[w0], m & 1 ? new[1] : old[1], m & 2 ? new[2] : old[2],
                    m & 4 ? new[3] : old[3],
                };

                /* Synced last batch, or an unsynced one of unused bits. */
                best = min(best, dist[w0][m] + 1);
                smmu_model_decode_ste(pe->c->m, pre, &dpre);
                if ( smmu_model_same_ste(&dpre, &dnew) &&
                     all_mixes_ok(pe, vals, nr, &dnew, &dnew, bad) )
                    best = min(best, dist[w0][m]);
                continue;
            }
            if ( dist[w0n][mn] == ~0U )
            {
                dist[w0n][mn] = dist[w0][m] + 1;
                queue[tail++] = t;
            }
        }
    }
    /* Nothing to write at all. */
    if ( !memcmp(old, new, 4 * sizeof(*old)) )
        best = 0;
    return best;
}

/*
 * Run the plan from @old to @new on an SMMU that may read each word at any
 * time: after every write, every mix of the values each word has had since
 * the last sync must be safe.  Returns the syncs, @writes the writes.
 */
static unsigned int simulate_plan(const struct plan_env *pe,
                                  unsigned int from, unsigned int to,
                                  unsigned int *writes, bool *via_abort)
{
    const uint64_t abort0 = ste0_config(SMMU_STE_CONFIG_ABORT);
    const uint64_t *old = pe->cfg[from], *new = pe->cfg[to];
    struct smmuv3_nested_write plan[SMMUV3_NESTED_PLAN_MAX];
    uint64_t mem[4], vals[4][SMMUV3_NESTED_PLAN_MAX + 1], bad[4];
    unsigned int nr[4], n, k, w, syncs = 0;

    memset(plan, 0, sizeof(plan));
    n = smmuv3_nested_plan(old, new, plan);
    assert_true(n <= SMMUV3_NESTED_PLAN_MAX);
    memcpy(mem, old, sizeof(mem));
    *via_abort = false;
    for ( w = 0; w < 4; w++ )
    {
        nr[w] = 0;
        add_val(vals[w], &nr[w], mem[w]);
    }
    for ( k = 0; k < n; k++ )
    {
        assert_true(plan[k].word < SMMUV3_NESTED_STE_WORDS);
        if ( plan[k].word == 0 && plan[k].val == abort0 && new[0] != abort0 )
            *via_abort = true;
        mem[plan[k].word] = plan[k].val;
        add_val(vals[plan[k].word], &nr[plan[k].word], plan[k].val);
        if ( !all_mixes_ok(pe, vals, nr, &pe->dec[from], &pe->dec[to], bad) )
        {
            struct smmu_model_ste d;

            smmu_model_decode_ste(pe->c->m, bad, &d);
            print_message("%s -> %s: after write %u of %u an SMMU may read "
                          "%#lx %#lx %#lx %#lx (kind %d%s%s)\n",
                          cfg_names[from], cfg_names[to], k + 1, n,
                          (unsigned long)bad[0], (unsigned long)bad[1],
                          (unsigned long)bad[2], (unsigned long)bad[3],
                          d.kind, d.bad ? ", " : "", d.bad ?: "");
            fail();
        }
        if ( plan[k].sync )
        {
            syncs++;
            for ( w = 0; w < 4; w++ )
            {
                nr[w] = 0;
                add_val(vals[w], &nr[w], mem[w]);
            }
        }
    }
    /* The entry is the new one, and the SMMU was told. */
    assert_memory_equal(mem, new, sizeof(mem));
    if ( n )
        assert_true(plan[n - 1].sync);
    *writes = n;
    return syncs;
}

/*
 * S8.4: between any two of invalid, abort, stage 2 (two VMIDs and roots)
 * and nested (CD pointers, S1CIR, stage 2), every state an SMMU may
 * observe is the old configuration, the new one or an abort.
 */
static void test_plan_every_pair(void **state)
{
    struct plan_env pe;
    unsigned int from, to, writes, syncs, best, hitless, total = 0;
    unsigned int above = 0, windows = 0;
    bool via_abort;

    plan_env_init(&pe);
    for ( from = 0; from < NR_CFGS; from++ )
    {
        smmu_model_decode_ste(pe.c->m, pe.cfg[from], &pe.dec[from]);
        /* Every configuration is one the SMMU takes as meant. */
        assert_int_equal(pe.dec[from].kind,
                         from == CFG_INVALID ? SMMU_MODEL_STE_INVALID :
                         from == CFG_ABORT ? SMMU_MODEL_STE_ABORT :
                         from <= CFG_S2_C ? SMMU_MODEL_STE_S2 :
                         SMMU_MODEL_STE_NESTED);
    }
    for ( from = 0; from < NR_CFGS; from++ )
        for ( to = 0; to < NR_CFGS; to++ )
        {
            syncs = simulate_plan(&pe, from, to, &writes, &via_abort);
            best = min_syncs(&pe, pe.cfg[from], pe.cfg[to], true);
            hitless = min_syncs(&pe, pe.cfg[from], pe.cfg[to], false);
            total += syncs;
            print_message("%-24s -> %-24s %u writes, %u syncs%s (fewest "
                          "possible %u", cfg_names[from], cfg_names[to],
                          writes, syncs, via_abort ? " via abort" : "",
                          best);
            if ( hitless != ~0U )
                print_message(", %u without abort", hitless);
            print_message(")\n");
            /* The search found a plan, and none beats one that works. */
            assert_true(best <= syncs);
            /* Abort, the other words, the switch: never more. */
            assert_true(syncs <= 3);
            if ( from == to )
                assert_int_equal(writes, 0);
            above += syncs - best;
            windows += via_abort && hitless != ~0U;
        }
    print_message("%u syncs in all, %u above the fewest possible; %u "
                  "transitions abort where a hitless order exists\n",
                  total, above, windows);
    /* A CD pointer change is hitless: one write of word 0, one sync. */
    assert_int_equal(simulate_plan(&pe, CFG_NESTED_1, CFG_NESTED_3, &writes,
                                   &via_abort), 1);
    assert_int_equal(writes, 1);
    /* The guest enabling stage 1 on a stage-2 stream: no abort either. */
    simulate_plan(&pe, CFG_S2_A, CFG_NESTED_1, &writes, &via_abort);
    assert_false(via_abort);
    plan_env_free(&pe);
}

/* S8.4: an STE that does not change is not written at all. */
static void test_plan_no_change(void **state)
{
    struct plan_env pe;
    struct smmuv3_nested_write plan[SMMUV3_NESTED_PLAN_MAX];
    unsigned int i;

    plan_env_init(&pe);
    for ( i = 0; i < NR_CFGS; i++ )
        assert_int_equal(smmuv3_nested_plan(pe.cfg[i], pe.cfg[i], plan), 0);
    plan_env_free(&pe);
}

/*
 * The invalidations that may reach the shared command queue (S4.6, S8.4).
 */
#define CHK_VMID    0x1234

struct owner {
    uint32_t sids[3];
    unsigned int calls;
    uint32_t last;
};

static bool owns(const void *ctx, uint32_t sid)
{
    struct owner *o = (struct owner *)ctx;
    unsigned int i;

    o->calls++;
    o->last = sid;
    for ( i = 0; i < ARRAY_SIZE(o->sids); i++ )
        if ( o->sids[i] == sid )
            return true;
    return false;
}

static struct owner owner_init(void)
{
    return (struct owner){ .sids = { PSID, 0, 0xffffffffU } };
}

static int check(const uint64_t c0, const uint64_t c1, uint16_t vmid,
                 struct owner *o)
{
    const uint64_t cmd[2] = { c0, c1 };

    return smmuv3_nested_check_cmd(cmd, vmid, owns, o);
}

/* One TLBI as IHI 0070 4.4 defines it: its fields besides VMID. */
struct tlbi_form {
    const char *name;
    uint64_t c0, c1;            /* without the VMID */
    uint64_t fields0, fields1;
};

#define VA_FIELDS1  (SMMU_CMD1_TLBI_ADDR | SMMU_CMD1_TLBI_LEAF | \
                     SMMU_CMD1_TLBI_TTL | SMMU_CMD1_TLBI_TG)
#define RANGE0      (SMMU_CMD0_TLBI_NUM | SMMU_CMD0_TLBI_SCALE)

static unsigned int tlbi_forms(struct tlbi_form *f)
{
    unsigned int n = 0, tg, ttl, op;

    f[n++] = (struct tlbi_form){ "NH_ALL", cmd_op(SMMU_OP_TLBI_NH_ALL), 0,
                                 0, 0 };
    f[n++] = (struct tlbi_form){ "NH_ASID 0", cmd_op(SMMU_OP_TLBI_NH_ASID),
                                 0, SMMU_CMD0_TLBI_ASID, 0 };
    f[n++] = (struct tlbi_form){ "NH_ASID ffff",
                                 cmd_op(SMMU_OP_TLBI_NH_ASID) |
                                 SMMU_CMD0_TLBI_ASID, 0,
                                 SMMU_CMD0_TLBI_ASID, 0 };
    for ( op = SMMU_OP_TLBI_NH_VA; op <= SMMU_OP_TLBI_NH_VAA; op++ )
    {
        uint64_t asid = op == SMMU_OP_TLBI_NH_VA
                        ? MASK_INSR(0x9876, SMMU_CMD0_TLBI_ASID) : 0;
        uint64_t f0 = RANGE0 | (op == SMMU_OP_TLBI_NH_VA
                                ? SMMU_CMD0_TLBI_ASID : 0);

        /* Not a range: one address, leaf or not. */
        f[n++] = (struct tlbi_form){ "VA/VAA", cmd_op(op) | asid,
                                     0xfffffffff000ULL, f0, VA_FIELDS1 };
        f[n++] = (struct tlbi_form){ "VA/VAA leaf", cmd_op(op) | asid,
                                     0x12345000ULL | SMMU_CMD1_TLBI_LEAF, f0,
                                     VA_FIELDS1 };
        /* Ranges: each granule and level hint, leaf or not. */
        for ( tg = 1; tg < 4; tg++ )
            for ( ttl = 0; ttl < 4; ttl++ )
                f[n++] = (struct tlbi_form){
                    "VA/VAA range", cmd_op(op) | asid |
                    MASK_INSR(31, SMMU_CMD0_TLBI_NUM) |
                    MASK_INSR(tg + ttl, SMMU_CMD0_TLBI_SCALE),
                    0x40000000ULL | MASK_INSR(tg, SMMU_CMD1_TLBI_TG) |
                    MASK_INSR(ttl, SMMU_CMD1_TLBI_TTL) |
                    (ttl & 1 ? SMMU_CMD1_TLBI_LEAF : 0), f0, VA_FIELDS1 };
    }
    return n;
}

/* S4.6, S8.4: every TLBI form with the domain's VMID, and only it. */
static void test_check_tlbi_vmid(void **state)
{
    struct tlbi_form f[64];
    struct owner o = owner_init();
    unsigned int n = tlbi_forms(f), i, v, passed;

    assert_true(n <= ARRAY_SIZE(f));
    for ( i = 0; i < n; i++ )
    {
        passed = 0;
        for ( v = 0; v <= 0xffff; v++ )
        {
            int rc = check(f[i].c0 | MASK_INSR(v, SMMU_CMD0_TLBI_VMID),
                           f[i].c1, CHK_VMID, &o);

            if ( v == CHK_VMID )
                assert_int_equal(rc, 0);
            else if ( rc != -EPERM )
            {
                print_message("%s with VMID %#x: %d\n", f[i].name, v, rc);
                fail();
            }
            passed += !rc;
        }
        assert_int_equal(passed, 1);
        /* The extremes of the VMID space, as the domain's. */
        assert_int_equal(check(f[i].c0, f[i].c1, 0, &o), 0);
        assert_int_equal(check(f[i].c0 | SMMU_CMD0_TLBI_VMID, f[i].c1,
                               0xffff, &o), 0);
        assert_int_equal(check(f[i].c0, f[i].c1, 0xffff, &o), -EPERM);
    }
    /* TLBIs name no stream. */
    assert_int_equal(o.calls, 0);
}

/* S4.6: a TLBI carries only its opcode's fields. */
static void test_check_tlbi_fields(void **state)
{
    const uint64_t vmid = MASK_INSR(CHK_VMID, SMMU_CMD0_TLBI_VMID);
    struct tlbi_form f[64];
    struct owner o = owner_init();
    unsigned int n = tlbi_forms(f), i, b, w;

    for ( i = 0; i < n; i++ )
        for ( w = 0; w < 2; w++ )
            for ( b = 0; b < 64; b++ )
            {
                uint64_t c[2] = { f[i].c0 | vmid, f[i].c1 };
                uint64_t field = w ? f[i].fields1 : f[i].fields0;
                int rc, want;

                /* The opcode and the VMID have tests of their own. */
                if ( !w && (b < 8 || (b >= 32 && b < 48)) )
                    continue;
                c[w] ^= 1ULL << b;
                want = (field >> b) & 1 ? 0 : -EINVAL;
                rc = check(c[0], c[1], CHK_VMID, &o);
                if ( rc != want )
                {
                    print_message("%s, word %u bit %u: %d, not %d\n",
                                  f[i].name, w, b, rc, want);
                    fail();
                }
            }
}

/* S4.6: CFGI_CD and CFGI_CD_ALL for the domain's own streams only. */
static void test_check_cfgi_cd(void **state)
{
    static const unsigned int ops[] = {
        SMMU_OP_CFGI_CD, SMMU_OP_CFGI_CD_ALL,
    };
    static const uint32_t foreign[] = { 1, PSID + 1, 0x7fffffffU };
    struct owner o = owner_init();
    unsigned int i, j, b, w;

    for ( i = 0; i < ARRAY_SIZE(ops); i++ )
    {
        unsigned int op = ops[i];
        uint64_t leaf = op == SMMU_OP_CFGI_CD ? SMMU_CMD1_LEAF : 0;

        for ( j = 0; j < ARRAY_SIZE(o.sids); j++ )
        {
            o.calls = 0;
            assert_int_equal(check(cmd_sid(op, o.sids[j]), leaf, CHK_VMID,
                                   &o), 0);
            assert_int_equal(o.calls, 1);
            assert_int_equal(o.last, o.sids[j]);
            assert_int_equal(check(cmd_sid(op, o.sids[j]), 0, 0, &o), 0);
        }
        for ( j = 0; j < ARRAY_SIZE(foreign); j++ )
        {
            assert_int_equal(check(cmd_sid(op, foreign[j]), 0, CHK_VMID, &o),
                             -EPERM);
            assert_int_equal(o.last, foreign[j]);
        }
        /* Every bit outside SID (and CFGI_CD's Leaf), on an owned SID. */
        for ( w = 0; w < 2; w++ )
            for ( b = 0; b < (w ? 64 : 32); b++ )
            {
                uint64_t c[2] = { cmd_sid(op, PSID), 0 };
                int want;

                if ( !w && b < 8 )
                    continue;
                c[w] ^= 1ULL << b;
                want = w && b == 0 && op == SMMU_OP_CFGI_CD ? 0 : -EINVAL;
                assert_int_equal(check(c[0], c[1], CHK_VMID, &o), want);
            }
        /* No substreams: an SSID is refused, SSV or not. */
        assert_int_equal(check(cmd_sid(op, PSID) |
                               MASK_INSR(1, SMMU_CMD0_SSID), 0,
                               CHK_VMID, &o), -EINVAL);
        assert_int_equal(check(cmd_sid(op, PSID) | SMMU_CMD0_SSV |
                               MASK_INSR(0xfffff, SMMU_CMD0_SSID), 0,
                               CHK_VMID, &o), -EINVAL);
    }
}

/* S4.6, S8.4: nothing else reaches the shared queue. */
static void test_check_other_opcodes(void **state)
{
    const uint64_t vmid = MASK_INSR(CHK_VMID, SMMU_CMD0_TLBI_VMID);
    struct owner o = owner_init();
    unsigned int op, refused = 0;

    for ( op = 0; op <= 0xff; op++ )
    {
        if ( op == SMMU_OP_TLBI_NH_ALL || op == SMMU_OP_TLBI_NH_ASID ||
             op == SMMU_OP_TLBI_NH_VA || op == SMMU_OP_TLBI_NH_VAA ||
             op == SMMU_OP_CFGI_CD || op == SMMU_OP_CFGI_CD_ALL )
            continue;
        /* Bare, with the domain's VMID, with an owned SID, all bits. */
        assert_int_equal(check(cmd_op(op), 0, CHK_VMID, &o), -EPERM);
        assert_int_equal(check(cmd_op(op) | vmid, 0, CHK_VMID, &o), -EPERM);
        assert_int_equal(check(cmd_sid(op, PSID), SMMU_CMD1_LEAF, CHK_VMID,
                               &o), -EPERM);
        assert_int_equal(check(cmd_op(op) | ~(uint64_t)SMMU_CMD_OPCODE, ~0ULL,
                               CHK_VMID, &o), -EPERM);
        refused++;
    }
    assert_int_equal(refused, 256 - 6);
}

/*
 * Which SMMUs can nest (S3.1, S8.9): both stages, AArch64 tables, coherent
 * walks, stalls that can be disabled, and none of the errata for which
 * Linux disables nesting.
 */
static uint32_t iidr(unsigned int impl, unsigned int product,
                     unsigned int variant, unsigned int revision)
{
    return MASK_INSR(impl, SMMU_IIDR_IMPLEMENTER) |
           MASK_INSR(product, SMMU_IIDR_PRODUCTID) |
           MASK_INSR(variant, SMMU_IIDR_VARIANT) |
           MASK_INSR(revision, SMMU_IIDR_REVISION);
}

static struct vsmmuv3_phys_caps good_caps(void)
{
    struct vsmmuv3_phys_caps c = {
        .idr = {
            [0] = SMMU_IDR0_S1P | SMMU_IDR0_S2P | SMMU_IDR0_COHACC |
                  MASK_INSR(SMMU_IDR0_TTF_AARCH64, SMMU_IDR0_TTF) |
                  MASK_INSR(SMMU_IDR0_STALL_MODEL_TERM_ONLY,
                            SMMU_IDR0_STALL_MODEL),
            [5] = MASK_INSR(SMMU_IDR5_OAS_48, SMMU_IDR5_OAS) |
                  SMMU_IDR5_GRAN4K,
        },
        .iidr = iidr(SMMU_IIDR_IMPLEMENTER_ARM, 0, 0, 0),
    };

    return c;
}

/* S3.1, S8.9: the ID registers. */
static void test_refusal_idrs(void **state)
{
    struct vsmmuv3_phys_caps c = good_caps();
    unsigned int v;

    assert_null(smmuv3_nested_refusal(&c));
    c.idr[0] &= ~SMMU_IDR0_S1P;
    assert_non_null(smmuv3_nested_refusal(&c));
    c = good_caps();
    c.idr[0] &= ~SMMU_IDR0_S2P;
    assert_non_null(smmuv3_nested_refusal(&c));
    c = good_caps();
    c.idr[0] &= ~(SMMU_IDR0_S1P | SMMU_IDR0_S2P);
    assert_non_null(smmuv3_nested_refusal(&c));
    /* TTF: AArch64 needed, AArch32 alone is not enough. */
    for ( v = 0; v < 4; v++ )
    {
        c = good_caps();
        c.idr[0] = (c.idr[0] & ~SMMU_IDR0_TTF) |
                   MASK_INSR(v, SMMU_IDR0_TTF);
        if ( v == SMMU_IDR0_TTF_AARCH64 || v == SMMU_IDR0_TTF_BOTH )
            assert_null(smmuv3_nested_refusal(&c));
        else
            assert_non_null(smmuv3_nested_refusal(&c));
    }
    c = good_caps();
    c.idr[0] &= ~SMMU_IDR0_COHACC;
    assert_non_null(smmuv3_nested_refusal(&c));
    /* S8.9: stalls that cannot be disabled. */
    for ( v = 0; v < 3; v++ )
    {
        c = good_caps();
        c.idr[0] = (c.idr[0] & ~SMMU_IDR0_STALL_MODEL) |
                   MASK_INSR(v, SMMU_IDR0_STALL_MODEL);
        if ( v == SMMU_IDR0_STALL_MODEL_STALL_FORCE )
            assert_non_null(smmuv3_nested_refusal(&c));
        else
            assert_null(smmuv3_nested_refusal(&c));
    }
    /* Everything else an SMMU may have does not matter. */
    c = good_caps();
    c.idr[0] = ~(uint32_t)(SMMU_IDR0_STALL_MODEL);
    c.idr[1] = c.idr[2] = c.idr[3] = c.idr[4] = c.idr[5] = ~0U;
    assert_null(smmuv3_nested_refusal(&c));
}

/* S8.4: the errata (IIDR) for which nesting is not safe. */
static void test_refusal_errata(void **state)
{
    const unsigned int arm = SMMU_IIDR_IMPLEMENTER_ARM;
    static const unsigned int others[] = { 0x000, 0x43c, 0x53b, 0x83b };
    struct vsmmuv3_phys_caps c = good_caps();
    unsigned int v, r, i;

    for ( v = 0; v < 16; v++ )
        for ( r = 0; r < 16; r += 5 )
        {
            /* MMU-600 before r2p0: erratum 1209401. */
            c.iidr = iidr(arm, 0x483, v, r);
            if ( v < 2 )
                assert_non_null(smmuv3_nested_refusal(&c));
            else
                assert_null(smmuv3_nested_refusal(&c));
            /* MMU-700, every revision: errata 2268618, 2812531. */
            c.iidr = iidr(arm, 0x487, v, r);
            assert_non_null(smmuv3_nested_refusal(&c));
            /* The same product numbers from another implementer. */
            for ( i = 0; i < ARRAY_SIZE(others); i++ )
            {
                c.iidr = iidr(others[i], 0x483, v, r);
                assert_null(smmuv3_nested_refusal(&c));
                c.iidr = iidr(others[i], 0x487, v, r);
                assert_null(smmuv3_nested_refusal(&c));
            }
            /* Arm's other products. */
            c.iidr = iidr(arm, 0x482, v, r);
            assert_null(smmuv3_nested_refusal(&c));
            c.iidr = iidr(arm, 0x488, v, r);
            assert_null(smmuv3_nested_refusal(&c));
        }
    /* The software model's own identification passes. */
    {
        struct comp *m = comp_create(SMMU_MODEL_STALL_TERM_ONLY);

        assert_null(smmuv3_nested_refusal(&m->caps));
        comp_destroy(m);
    }
}

/*
 * S3.4: two physical SMMUs with different features behind one vSMMU.  The
 * vSMMU advertises what both support, and what each is sent is what it
 * accepts: its own VMID, its own streams, no range fields without RIL.
 */
static bool owns_fake(const void *ctx, uint32_t sid)
{
    return sid == *(const uint32_t *)ctx;
}

static void test_two_smmus_intersection(void **state)
{
    static const uint32_t psid[2] = { 0x500, 0x600 };
    struct fake_phys f[2] = { 0 };
    struct vsmmuv3_backend be[2];
    struct vsmmuv3_params p;
    struct harness *h;
    struct guest g;
    uint32_t idr0, idr5;
    unsigned int b, i, ranges = 0;
    uint64_t c[2];

    be[0] = fake_backend(&f[0], 0x71, true);
    be[1] = fake_backend(&f[1], 0x72, false);
    /* The second: no ASID16, 36-bit OAS, 4K and 16K granules. */
    be[1].caps.idr[0] &= ~SMMU_IDR0_ASID16;
    be[1].caps.idr[5] = MASK_INSR(SMMU_IDR5_OAS_36, SMMU_IDR5_OAS) |
                        SMMU_IDR5_GRAN4K | SMMU_IDR5_GRAN16K;
    for ( b = 0; b < 2; b++ )
        assert_null(smmuv3_nested_refusal(&be[b].caps));
    harness_default_params(&p);
    p.nr_backends = 2;
    p.backends = be;
    h = harness_create(&p);
    idr0 = h_read32(h, SMMU_IDR0);
    idr5 = h_read32(h, SMMU_IDR5);
    assert_false(idr0 & SMMU_IDR0_ASID16);
    assert_int_equal(MASK_EXTR(idr5, SMMU_IDR5_OAS), SMMU_IDR5_OAS_36);
    assert_int_equal(idr5 & (SMMU_IDR5_GRAN4K | SMMU_IDR5_GRAN16K |
                             SMMU_IDR5_GRAN64K), SMMU_IDR5_GRAN4K);
    /* Ranges are relayed to one, split for the other (S3.1). */
    assert_true(h_read32(h, SMMU_IDR3) & SMMU_IDR3_RIL);

    assert_int_equal(vsmmuv3_add_stream(h->vs, 5, 0, psid[0]), 0);
    assert_int_equal(vsmmuv3_add_stream(h->vs, 6, 1, psid[1]), 0);
    g_reset(&g, h, 8, 8, 8, true);
    g_write_s1_ste(&g, 5, H_CD_BASE);
    g_write_s1_ste(&g, 6, H_CD_BASE + 0x40);
    g_cmd(&g, cmd_sid(SMMU_OP_CFGI_STE, 5), SMMU_CMD1_LEAF);
    g_cmd(&g, cmd_sid(SMMU_OP_CFGI_STE, 6), SMMU_CMD1_LEAF);
    g_sync_and_wait(&g);
    /* Unchanged STEs: CFGI_CD_ALL for the streams. */
    g_cmd(&g, cmd_sid(SMMU_OP_CFGI_STE, 5), SMMU_CMD1_LEAF);
    g_cmd(&g, cmd_sid(SMMU_OP_CFGI_STE_RANGE, 0), SMMU_CFGI_RANGE_ALL);
    g_cmd(&g, cmd_sid(SMMU_OP_CFGI_CD, 5), SMMU_CMD1_LEAF);
    g_cmd(&g, cmd_sid(SMMU_OP_CFGI_CD_ALL, 6), 0);
    g_cmd(&g, cmd_op(SMMU_OP_TLBI_NH_ALL), 0);
    g_cmd(&g, cmd_op(SMMU_OP_TLBI_NSNH_ALL), 0);
    g_cmd(&g, cmd_op(SMMU_OP_TLBI_NH_ASID) |
              MASK_INSR(0x1ab, SMMU_CMD0_TLBI_ASID), 0);
    cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VA, 3, 0x100000, true, 0, 0, 0, 0);
    g_cmd(&g, c[0], c[1]);
    cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VA, 3, 0x100000, true, 1, 3, 3, 1);
    g_cmd(&g, c[0], c[1]);
    cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VAA, 0, 0x200000, false, 1, 2, 1, 0);
    g_cmd(&g, c[0], c[1]);
    g_sync_and_wait(&g);
    assert_int_equal(MASK_EXTR(h_read32(h, SMMU_CMDQ_CONS),
                               SMMU_CMDQ_CONS_ERR), 0);

    for ( b = 0; b < 2; b++ )
    {
        assert_true(f[b].nr_cmds > 0);
        for ( i = 0; i < f[b].nr_cmds; i++ )
        {
            int rc = smmuv3_nested_check_cmd(f[b].cmds[i], be[b].vmid,
                                             owns_fake, &psid[b]);

            if ( rc )
            {
                print_message("SMMU %u, command %u (%#lx %#lx): %d\n", b, i,
                              (unsigned long)f[b].cmds[i][0],
                              (unsigned long)f[b].cmds[i][1], rc);
                fail();
            }
            if ( f[b].cmds[i][1] & SMMU_CMD1_TLBI_TG )
                ranges++;
            /* Without RIL: no NUM, SCALE, TG or TTL (4.4.1.1). */
            if ( b == 1 )
            {
                assert_int_equal(f[b].cmds[i][0] & RANGE0, 0);
                assert_int_equal(f[b].cmds[i][1] & (SMMU_CMD1_TLBI_TG |
                                                    SMMU_CMD1_TLBI_TTL), 0);
            }
        }
    }
    /* The first did get ranges, or the split was never tested. */
    assert_true(ranges >= 2);
    harness_destroy(h);
}

/*
 * The vSMMU and the physical driver's ownership (S8.4, S8.10), with the
 * software model as the physical SMMU.
 */
#define OWN_VSID        8
#define OWN_PSID        0x42U
#define FOREIGN_PSID    0x43U
#define UNOWNED_PSID    0x44U
#define MACHINE_OFFSET  0x800000000ULL

struct own {
    struct harness *h;
    struct guest g;
    struct smmu_model *m;
    struct smmu_model_domain *md;
    struct smmu_model_domain *other;
    struct vsmmuv3_phys_ops ops;
};

static int own_read_pa(void *ctx, uint64_t pa, void *buf, size_t len)
{
    struct own *o = ctx;

    if ( pa < MACHINE_OFFSET )
        return -1;
    return access_guest_memory_by_gpa(o->h->d, pa - MACHINE_OFFSET, buf, len,
                                      false) ? -1 : 0;
}

static struct own *own_create(void)
{
    struct own *o = calloc(1, sizeof(*o));
    struct smmu_model_config mc = { .read_pa = own_read_pa, .ril = true };
    struct vsmmuv3_backend be = { 0 };
    struct vsmmuv3_params p;

    assert_non_null(o);
    mc.mem_ctx = o;
    o->ops = (struct vsmmuv3_phys_ops)SMMU_MODEL_PHYS_OPS;
    o->m = smmu_model_create(&mc);
    o->md = smmu_model_domain_create(o->m, 0x33);
    o->other = smmu_model_domain_create(o->m, 0x34);
    assert_int_equal(smmu_model_s2_map(o->md, H_RAM_BASE,
                                       H_RAM_BASE + MACHINE_OFFSET,
                                       H_RAM_SIZE, SMMU_MODEL_S2_RW), 0);
    assert_int_equal(smmu_model_assign_stream(o->md, OWN_PSID), 0);
    assert_int_equal(smmu_model_assign_stream(o->other, FOREIGN_PSID), 0);
    be.phys_id = FAKE_PHYS(o->m);
    be.ops = &o->ops;
    be.priv = o->md;
    be.vmid = smmu_model_domain_vmid(o->md);
    model_caps(o->m, &be.caps);
    harness_default_params(&p);
    p.nr_backends = 1;
    p.backends = &be;
    o->h = harness_create(&p);
    return o;
}

static void own_destroy(struct own *o)
{
    g_drain(o->h);
    harness_destroy(o->h);
    smmu_model_domain_destroy(o->md);
    smmu_model_domain_destroy(o->other);
    smmu_model_destroy(o->m);
    free(o);
}

/* Does any command the model received since entry @from name @psid? */
static bool log_names(const struct smmu_model *m, size_t from, uint32_t psid)
{
    size_t i;

    for ( i = from; i < smmu_model_log_count(m); i++ )
    {
        const struct smmu_model_cmd_record *r = smmu_model_log_entry(m, i);
        unsigned int op = MASK_EXTR(r->cmd[0], SMMU_CMD_OPCODE);

        if ( (op == SMMU_OP_CFGI_CD || op == SMMU_OP_CFGI_CD_ALL ||
              op == SMMU_OP_CFGI_STE) &&
             MASK_EXTR(r->cmd[0], SMMU_CMD0_SID) == psid )
            return true;
    }
    return false;
}

static unsigned long ste_ops(const struct smmu_model *m)
{
    const struct smmu_model_stats *s = smmu_model_stats(m);

    return s->installs_nested + s->sets_abort + s->sets_s2_only +
           s->raw_writes;
}

/* The guest's commands about @vsid: STE, CDs, TLBs, then a CMD_SYNC. */
static void guest_touches(struct own *o, uint32_t vsid)
{
    g_write_s1_ste(&o->g, vsid, H_CD_BASE);
    g_cmd(&o->g, cmd_sid(SMMU_OP_CFGI_STE, vsid), SMMU_CMD1_LEAF);
    g_cmd(&o->g, cmd_sid(SMMU_OP_CFGI_CD, vsid), SMMU_CMD1_LEAF);
    g_cmd(&o->g, cmd_sid(SMMU_OP_CFGI_CD_ALL, vsid), 0);
    g_cmd(&o->g, cmd_sid(SMMU_OP_CFGI_STE_RANGE, vsid), 0);
    g_cmd(&o->g, cmd_op(SMMU_OP_TLBI_NH_ASID), 0);
    g_sync_and_wait(&o->g);
    assert_int_equal(MASK_EXTR(h_read32(o->h, SMMU_CMDQ_CONS),
                               SMMU_CMDQ_CONS_ERR), 0);
}

/*
 * S8.4: a physical stream the driver refuses (another domain's, or no
 * domain's) is never bound: -EPERM, no stream, and the guest's commands
 * for that vSID reach nothing physical.
 */
static void test_add_stream_refused(void **state)
{
    struct own *o = own_create();
    const struct smmu_model_stats *s = smmu_model_stats(o->m);
    static const uint32_t refused[] = { FOREIGN_PSID, UNOWNED_PSID };
    unsigned long ops;
    unsigned int i;
    size_t log;

    for ( i = 0; i < ARRAY_SIZE(refused); i++ )
    {
        unsigned long errors = s->errors;

        assert_int_equal(vsmmuv3_add_stream(o->h->vs, OWN_VSID + i, 0,
                                            refused[i]), -EPERM);
        assert_null(vsmmuv3_find_stream(o->h->vs, OWN_VSID + i));
        assert_int_equal(o->h->vs->nr_streams, 0);
        /* The driver was asked, and refused. */
        assert_true(s->errors > errors);
    }
    /* The same with GBPA at stage 2 only: set_s2_only is refused too. */
    h_write32(o->h, SMMU_GBPA, SMMU_GBPA_UPDATE);
    assert_int_equal(vsmmuv3_add_stream(o->h->vs, OWN_VSID, 0, FOREIGN_PSID),
                     -EPERM);
    assert_int_equal(o->h->vs->nr_streams, 0);
    h_write32(o->h, SMMU_GBPA, SMMU_GBPA_UPDATE | SMMU_GBPA_ABORT);

    /* The guest's commands for those vSIDs: nothing physical. */
    g_reset(&o->g, o->h, 8, 8, 8, true);
    ops = ste_ops(o->m);
    log = smmu_model_log_count(o->m);
    for ( i = 0; i < ARRAY_SIZE(refused); i++ )
        guest_touches(o, OWN_VSID + i);
    assert_int_equal(ste_ops(o->m), ops);
    assert_false(log_names(o->m, log, FOREIGN_PSID));
    assert_false(log_names(o->m, log, UNOWNED_PSID));
    assert_int_equal(s->foreign_sids, 0);
    /* The other domain's stream was never changed: it still aborts. */
    assert_int_equal(smmu_model_dma(o->m, FOREIGN_PSID, 0x1000, RD, 4, NULL,
                                    NULL), SMMU_MODEL_DMA_ABORTED);

    /* The vSID can still be bound to a stream the domain owns. */
    assert_int_equal(vsmmuv3_add_stream(o->h->vs, OWN_VSID, 0, OWN_PSID), 0);
    guest_touches(o, OWN_VSID);
    assert_int_equal(s->installs_nested, 1);
    own_destroy(o);
}

/*
 * S8.10: the driver releases a stream (deassign).  Invalidations the guest
 * queued for it have reached the physical SMMU while the stream was still
 * the domain's (every step hands over what it batched), and nothing is
 * left batched; afterwards nothing the guest does reaches the stream, the
 * commands handed over complete at the guest's next CMD_SYNC, and the
 * vSID can be bound again.
 */
static void test_release_stream(void **state)
{
    struct own *o = own_create();
    const struct smmu_model_stats *s = smmu_model_stats(o->m);
    unsigned long ops, errors;
    size_t log;

    assert_int_equal(vsmmuv3_add_stream(o->h->vs, OWN_VSID, 0, OWN_PSID), 0);
    g_reset(&o->g, o->h, 8, 8, 8, true);
    guest_touches(o, OWN_VSID);
    assert_int_equal(s->installs_nested, 1);

    /*
     * Invalidations for the stream, with no CMD_SYNC yet: each step hands
     * over what it batched (S8.7), so they reach the physical SMMU now,
     * while the stream is the domain's, and wait there for a sync.
     */
    log = smmu_model_log_count(o->m);
    g_cmd(&o->g, cmd_sid(SMMU_OP_CFGI_CD, OWN_VSID), SMMU_CMD1_LEAF);
    g_cmd(&o->g, cmd_op(SMMU_OP_TLBI_NH_ASID) |
                 MASK_INSR(5, SMMU_CMD0_TLBI_ASID), 0);
    g_publish(&o->g);
    g_drain(o->h);
    assert_true(log_names(o->m, log, OWN_PSID));
    assert_int_equal(s->pending, 2);
    assert_int_equal(o->h->vs->batch[0].nr, 0);

    /* Releasing an unbound stream, or on another backend, is nothing. */
    vsmmuv3_release_stream(o->h->vs, 0, UNOWNED_PSID);
    vsmmuv3_release_stream(o->h->vs, 1, OWN_PSID);
    assert_non_null(vsmmuv3_find_stream(o->h->vs, OWN_VSID));

    vsmmuv3_release_stream(o->h->vs, 0, OWN_PSID);
    assert_null(vsmmuv3_find_stream(o->h->vs, OWN_VSID));
    assert_int_equal(o->h->vs->nr_streams, 0);
    /* Nothing was left batched, and nothing named a stream not ours. */
    assert_int_equal(o->h->vs->batch[0].nr, 0);
    assert_int_equal(s->foreign_sids, 0);
    /* The driver takes the stream back. */
    assert_int_equal(smmu_model_unassign_stream(o->md, OWN_PSID), 0);

    /* Everything the guest does about the vSID now reaches nothing. */
    ops = ste_ops(o->m);
    errors = s->errors;
    log = smmu_model_log_count(o->m);
    guest_touches(o, OWN_VSID);
    g_cmd(&o->g, cmd_op(SMMU_OP_CFGI_STE_RANGE), SMMU_CFGI_RANGE_ALL);
    g_sync_and_wait(&o->g);
    h_write32(o->h, SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    h_write32(o->h, SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN |
                              SMMU_CR0_SMMUEN);
    g_drain(o->h);
    assert_int_equal(ste_ops(o->m), ops);
    assert_int_equal(s->errors, errors);
    assert_false(log_names(o->m, log, OWN_PSID));
    assert_int_equal(s->foreign_sids, 0);
    /* What was handed over before the release was completed since. */
    assert_int_equal(s->pending, 0);

    /* Given back to the domain, the vSID binds again. */
    assert_int_equal(smmu_model_assign_stream(o->md, OWN_PSID), 0);
    assert_int_equal(vsmmuv3_add_stream(o->h->vs, OWN_VSID, 0, OWN_PSID), 0);
    guest_touches(o, OWN_VSID);
    assert_int_equal(s->installs_nested, 2);
    assert_int_equal(s->errors, errors);
    own_destroy(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compose_term_only),
        cmocka_unit_test(test_compose_stall_optional),
        cmocka_unit_test(test_compose_stall_forced),
        cmocka_unit_test(test_s1stalld_by_stall_model),
        cmocka_unit_test(test_guest_whitelist_every_bit),
        cmocka_unit_test(test_stage2_is_the_drivers),
        cmocka_unit_test(test_plan_every_pair),
        cmocka_unit_test(test_plan_no_change),
        cmocka_unit_test(test_check_tlbi_vmid),
        cmocka_unit_test(test_check_tlbi_fields),
        cmocka_unit_test(test_check_cfgi_cd),
        cmocka_unit_test(test_check_other_opcodes),
        cmocka_unit_test(test_refusal_idrs),
        cmocka_unit_test(test_refusal_errata),
        cmocka_unit_test(test_two_smmus_intersection),
        cmocka_unit_test(test_add_stream_refused),
        cmocka_unit_test(test_release_stream),
    };

    return cmocka_run_group_tests_name("nested", tests, NULL, NULL);
}
