/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Identification policy (SPEC-NOTES section 3, docs/registers.md) and the
 * lifecycle of a vSMMU: creation from physical capabilities, failure paths,
 * freeing.
 */
#include "harness.h"

/* A physical SMMUv3 as a typical nesting-capable implementation reports. */
static struct vsmmuv3_phys_caps phys_caps(void)
{
    struct vsmmuv3_phys_caps c = {
        .idr = {
            [0] = SMMU_IDR0_S1P | SMMU_IDR0_S2P | SMMU_IDR0_COHACC |
                  SMMU_IDR0_ASID16 | SMMU_IDR0_VMID16 | SMMU_IDR0_MSI |
                  SMMU_IDR0_ATS | SMMU_IDR0_PRI | SMMU_IDR0_HYP |
                  SMMU_IDR0_SEV | SMMU_IDR0_BTM | SMMU_IDR0_CD2L |
                  SMMU_IDR0_VATOS | SMMU_IDR0_ATOS | SMMU_IDR0_NS1ATS |
                  SMMU_IDR0_DORMHINT | SMMU_IDR0_VMW |
                  MASK_INSR(2, SMMU_IDR0_HTTU) |
                  MASK_INSR(SMMU_IDR0_TTF_BOTH, SMMU_IDR0_TTF) |
                  MASK_INSR(SMMU_IDR0_TTENDIAN_MIXED, SMMU_IDR0_TTENDIAN) |
                  MASK_INSR(0, SMMU_IDR0_STALL_MODEL) |
                  MASK_INSR(1, SMMU_IDR0_ST_LEVEL),
            [1] = MASK_INSR(32, SMMU_IDR1_SIDSIZE) |
                  MASK_INSR(20, SMMU_IDR1_SSIDSIZE) |
                  MASK_INSR(19, SMMU_IDR1_CMDQS) |
                  MASK_INSR(19, SMMU_IDR1_EVENTQS) |
                  MASK_INSR(19, SMMU_IDR1_PRIQS) |
                  SMMU_IDR1_ATTR_TYPES_OVR | SMMU_IDR1_ATTR_PERMS_OVR,
            [3] = SMMU_IDR3_RIL | SMMU_IDR3_HAD | SMMU_IDR3_FWB |
                  SMMU_IDR3_XNX | SMMU_IDR3_PPS |
                  MASK_INSR(2, SMMU_IDR3_BBML),
            [5] = MASK_INSR(SMMU_IDR5_OAS_48, SMMU_IDR5_OAS) |
                  SMMU_IDR5_GRAN4K | SMMU_IDR5_GRAN64K |
                  MASK_INSR(1, SMMU_IDR5_VAX) |
                  MASK_INSR(64, SMMU_IDR5_STALL_MAX),
        },
        .iidr = 0x4874243B,     /* an MMU-700 revision with errata */
        .aidr = 0x03,
    };

    return c;
}

static int fake_op(void *priv, uint32_t psid)
{
    return 0;
}

static const struct vsmmuv3_phys_ops no_ops = {
    .set_abort = fake_op,
    .set_s2_only = fake_op,
};

static struct vsmmuv3_backend backend(struct vsmmuv3_phys_caps caps)
{
    return (struct vsmmuv3_backend){
        .phys_id = FAKE_PHYS(&no_ops), .ops = &no_ops, .caps = caps, .vmid = 1 };
}

/* Compute the identification for one or two backends. */
static int compute(const struct vsmmuv3_phys_caps *a,
                   const struct vsmmuv3_phys_caps *b, unsigned int ipa_bits,
                   struct vsmmuv3_id *id)
{
    struct vsmmuv3_backend be[2];
    struct vsmmuv3_params p;

    harness_default_params(&p);
    p.ipa_bits = ipa_bits;
    if ( a )
        be[p.nr_backends++] = backend(*a);
    if ( b )
        be[p.nr_backends++] = backend(*b);
    p.backends = be;
    return vsmmuv3_compute_id(&p, id);
}

/* S3.1: IDR0 advertises S1P only, and nothing that is not implemented. */
static void test_idr0_policy(void **state)
{
    struct vsmmuv3_phys_caps c = phys_caps();
    struct vsmmuv3_id id;
    uint32_t idr0;

    assert_int_equal(compute(&c, NULL, 48, &id), 0);
    idr0 = id.idr[0];
    assert_true(idr0 & SMMU_IDR0_S1P);
    assert_false(idr0 & SMMU_IDR0_S2P);
    /* AArch64 only, though the SMMU has AArch32 too (not enforced). */
    assert_int_equal(MASK_EXTR(idr0, SMMU_IDR0_TTF),
                     SMMU_IDR0_TTF_AARCH64);
    assert_int_equal(MASK_EXTR(idr0, SMMU_IDR0_ST_LEVEL),
                     SMMU_IDR0_ST_LEVEL_2LVL);
    assert_int_equal(MASK_EXTR(idr0, SMMU_IDR0_STALL_MODEL),
                     SMMU_IDR0_STALL_MODEL_TERM_ONLY);
    assert_true(idr0 & SMMU_IDR0_TERM_MODEL);
    /* Always coherent (a non-coherent SMMU is refused). */
    assert_true(idr0 & SMMU_IDR0_COHACC);
    /* From the physical SMMU. */
    assert_true(idr0 & SMMU_IDR0_ASID16);
    /* S3.1: no S2P, so no VMID16, whatever the physical SMMU has. */
    assert_false(idr0 & SMMU_IDR0_VMID16);
    assert_int_equal(MASK_EXTR(idr0, SMMU_IDR0_TTENDIAN),
                     SMMU_IDR0_TTENDIAN_MIXED);
    /* Never, whatever the physical SMMU has. */
    assert_int_equal(idr0 & (SMMU_IDR0_ATS | SMMU_IDR0_PRI | SMMU_IDR0_HYP |
                             SMMU_IDR0_SEV | SMMU_IDR0_BTM | SMMU_IDR0_CD2L |
                             SMMU_IDR0_VATOS | SMMU_IDR0_ATOS |
                             SMMU_IDR0_NS1ATS | SMMU_IDR0_DORMHINT |
                             SMMU_IDR0_VMW | SMMU_IDR0_HTTU |
                             SMMU_IDR0_ATSRECERR | SMMU_IDR0_RME_IMPL), 0);
    /* S3.3: MSI only with the CMD_SYNC MSI write. */
    assert_int_equal(!!(idr0 & SMMU_IDR0_MSI), VSMMUV3_HAS_MSI);
}

/* S3.2: IDR1 sizes and no embedded-implementation bits. */
static void test_idr1_policy(void **state)
{
    struct vsmmuv3_phys_caps c = phys_caps();
    struct vsmmuv3_id id;
    uint32_t idr1;

    assert_int_equal(compute(&c, NULL, 48, &id), 0);
    idr1 = id.idr[1];
    assert_int_equal(MASK_EXTR(idr1, SMMU_IDR1_SIDSIZE), 16);
    assert_int_equal(MASK_EXTR(idr1, SMMU_IDR1_SSIDSIZE), 0);
    assert_int_equal(MASK_EXTR(idr1, SMMU_IDR1_CMDQS),
                     CONFIG_VSMMUV3_CMDQS);
    assert_int_equal(MASK_EXTR(idr1, SMMU_IDR1_EVENTQS),
                     CONFIG_VSMMUV3_EVENTQS);
    assert_int_equal(MASK_EXTR(idr1, SMMU_IDR1_PRIQS), 0);
    assert_int_equal(idr1 & (SMMU_IDR1_TABLES_PRESET |
                             SMMU_IDR1_QUEUES_PRESET | SMMU_IDR1_REL |
                             SMMU_IDR1_ATTR_TYPES_OVR |
                             SMMU_IDR1_ATTR_PERMS_OVR | SMMU_IDR1_ECMDQ), 0);
}

/* S3.1: IDR2/IDR4 zero; IDR3 range invalidation only. */
static void test_idr2_3_4_policy(void **state)
{
    struct vsmmuv3_phys_caps c = phys_caps();
    struct vsmmuv3_id id;

    assert_int_equal(compute(&c, NULL, 48, &id), 0);
    assert_int_equal(id.idr[2], 0);
    assert_int_equal(id.idr[4], 0);
    assert_int_equal(id.idr[3], SMMU_IDR3_RIL);

    /* RIL stays advertised without physical RIL: ranges are split. */
    c.idr[3] = 0;
    assert_int_equal(compute(&c, NULL, 48, &id), 0);
    assert_int_equal(id.idr[3], SMMU_IDR3_RIL);
}

/* S3.1: IDR5 granules from the SMMU; OAS bounded by the domain's IPA. */
static void test_idr5_policy(void **state)
{
    struct vsmmuv3_phys_caps c = phys_caps();
    struct vsmmuv3_id id;

    assert_int_equal(compute(&c, NULL, 48, &id), 0);
    assert_int_equal(id.idr[5], SMMU_IDR5_GRAN4K | SMMU_IDR5_GRAN64K |
                     MASK_INSR(SMMU_IDR5_OAS_48, SMMU_IDR5_OAS));
    /* Stage-1 output is stage-2 input: never wider than the p2m. */
    assert_int_equal(compute(&c, NULL, 40, &id), 0);
    assert_int_equal(MASK_EXTR(id.idr[5], SMMU_IDR5_OAS),
                     SMMU_IDR5_OAS_40);
    assert_int_equal(compute(&c, NULL, 41, &id), 0);
    assert_int_equal(MASK_EXTR(id.idr[5], SMMU_IDR5_OAS),
                     SMMU_IDR5_OAS_40);
    assert_int_equal(compute(&c, NULL, 33, &id), 0);
    assert_int_equal(MASK_EXTR(id.idr[5], SMMU_IDR5_OAS),
                     SMMU_IDR5_OAS_32);
    /* The SMMU's own OAS bounds it too. */
    c.idr[5] = (c.idr[5] & ~SMMU_IDR5_OAS) |
               MASK_INSR(SMMU_IDR5_OAS_44, SMMU_IDR5_OAS);
    assert_int_equal(compute(&c, NULL, 48, &id), 0);
    assert_int_equal(MASK_EXTR(id.idr[5], SMMU_IDR5_OAS),
                     SMMU_IDR5_OAS_44);
}

/* S3.1: a physical SMMU that cannot nest AArch64 tables is refused. */
static void test_unusable_backend_refused(void **state)
{
    struct vsmmuv3_phys_caps c = phys_caps();
    struct vsmmuv3_id id;

    c.idr[0] &= ~SMMU_IDR0_S2P;
    assert_int_equal(compute(&c, NULL, 48, &id), -ENODEV);
    c = phys_caps();
    c.idr[0] &= ~SMMU_IDR0_S1P;
    assert_int_equal(compute(&c, NULL, 48, &id), -ENODEV);
    c = phys_caps();
    c.idr[0] = (c.idr[0] & ~SMMU_IDR0_TTF) |
               MASK_INSR(SMMU_IDR0_TTF_AARCH32, SMMU_IDR0_TTF);
    assert_int_equal(compute(&c, NULL, 48, &id), -ENODEV);
    c = phys_caps();
    c.idr[5] &= ~(SMMU_IDR5_GRAN4K | SMMU_IDR5_GRAN64K);
    assert_int_equal(compute(&c, NULL, 48, &id), -ENODEV);
    /* Not coherent: the guest's tables and Xen's cacheable accesses. */
    c = phys_caps();
    c.idr[0] &= ~SMMU_IDR0_COHACC;
    assert_int_equal(compute(&c, NULL, 48, &id), -ENODEV);
}

/* S3.4: with several physical SMMUs, the intersection is advertised. */
static void test_two_backends_intersection(void **state)
{
    struct vsmmuv3_phys_caps a = phys_caps(), b = phys_caps();
    struct vsmmuv3_id id, id2;

    b.idr[0] &= ~(SMMU_IDR0_VMID16 | SMMU_IDR0_ASID16);
    b.idr[3] &= ~SMMU_IDR3_RIL;
    b.idr[5] = MASK_INSR(SMMU_IDR5_OAS_42, SMMU_IDR5_OAS) |
               SMMU_IDR5_GRAN4K | SMMU_IDR5_GRAN16K;
    assert_int_equal(compute(&a, &b, 48, &id), 0);
    assert_true(id.idr[0] & SMMU_IDR0_COHACC);
    assert_false(id.idr[0] & SMMU_IDR0_ASID16);
    assert_false(id.idr[0] & SMMU_IDR0_VMID16);
    assert_true(id.idr[0] & SMMU_IDR0_S1P);
    assert_int_equal(id.idr[5], SMMU_IDR5_GRAN4K |
                     MASK_INSR(SMMU_IDR5_OAS_42, SMMU_IDR5_OAS));
    /* S3.1: one has RIL, one not: ranges are split for the other. */
    assert_int_equal(id.idr[3], SMMU_IDR3_RIL);
    /* Whichever comes first. */
    assert_int_equal(compute(&b, &a, 48, &id2), 0);
    assert_memory_equal(&id, &id2, sizeof(id));
    /* The smaller OAS and the common granules, from either side. */
    a.idr[5] = MASK_INSR(SMMU_IDR5_OAS_36, SMMU_IDR5_OAS) |
               SMMU_IDR5_GRAN16K | SMMU_IDR5_GRAN64K;
    b.idr[5] = MASK_INSR(SMMU_IDR5_OAS_44, SMMU_IDR5_OAS) |
               SMMU_IDR5_GRAN4K | SMMU_IDR5_GRAN16K | SMMU_IDR5_GRAN64K;
    assert_int_equal(compute(&a, &b, 48, &id), 0);
    assert_int_equal(id.idr[5], SMMU_IDR5_GRAN16K | SMMU_IDR5_GRAN64K |
                     MASK_INSR(SMMU_IDR5_OAS_36, SMMU_IDR5_OAS));
    assert_int_equal(compute(&b, &a, 48, &id2), 0);
    assert_memory_equal(&id, &id2, sizeof(id));
    /* ASID16 only where both have it. */
    b.idr[0] |= SMMU_IDR0_ASID16;
    assert_int_equal(compute(&a, &b, 48, &id), 0);
    assert_true(id.idr[0] & SMMU_IDR0_ASID16);
    a.idr[0] &= ~SMMU_IDR0_ASID16;
    assert_int_equal(compute(&a, &b, 48, &id), 0);
    assert_false(id.idr[0] & SMMU_IDR0_ASID16);
    a = phys_caps();
    b = phys_caps();
    /* No granule in common: refused. */
    b.idr[5] = MASK_INSR(SMMU_IDR5_OAS_42, SMMU_IDR5_OAS) |
               SMMU_IDR5_GRAN16K;
    assert_int_equal(compute(&a, &b, 48, &id), -ENODEV);
}

/* S3.4: translation table endianness is the meet of the SMMUs'. */
static void test_ttendian_meet(void **state)
{
    struct vsmmuv3_phys_caps a = phys_caps(), b = phys_caps();
    struct vsmmuv3_id id;

    b.idr[0] = (b.idr[0] & ~SMMU_IDR0_TTENDIAN) |
               MASK_INSR(SMMU_IDR0_TTENDIAN_LE, SMMU_IDR0_TTENDIAN);
    assert_int_equal(compute(&a, &b, 48, &id), 0);
    assert_int_equal(MASK_EXTR(id.idr[0], SMMU_IDR0_TTENDIAN),
                     SMMU_IDR0_TTENDIAN_LE);
    assert_int_equal(compute(&b, &a, 48, &id), 0);      /* either order */
    assert_int_equal(MASK_EXTR(id.idr[0], SMMU_IDR0_TTENDIAN),
                     SMMU_IDR0_TTENDIAN_LE);
    a.idr[0] = (a.idr[0] & ~SMMU_IDR0_TTENDIAN) |
               MASK_INSR(SMMU_IDR0_TTENDIAN_BE, SMMU_IDR0_TTENDIAN);
    assert_int_equal(compute(&a, &b, 48, &id), -ENODEV);
}

/* S3.2: queue sizes outside what Linux and the model can use are refused. */
static void test_queue_size_limits(void **state)
{
    struct vsmmuv3_params p;
    struct vsmmuv3_id id;

    harness_default_params(&p);
    p.cmdqs = 6;
    assert_int_equal(vsmmuv3_compute_id(&p, &id), -EINVAL);
    p.cmdqs = 20;
    assert_int_equal(vsmmuv3_compute_id(&p, &id), -EINVAL);
    p.cmdqs = 19;
    p.eventqs = 0;
    assert_int_equal(vsmmuv3_compute_id(&p, &id), -EINVAL);
    p.eventqs = 19;
    assert_int_equal(vsmmuv3_compute_id(&p, &id), 0);
    assert_int_equal(MASK_EXTR(id.idr[1], SMMU_IDR1_CMDQS), 19);
}

/* S3: with no physical SMMU, the virtual-stream defaults apply. */
static void test_virtual_only_policy(void **state)
{
    struct vsmmuv3_params p;
    struct vsmmuv3_id id;

    harness_default_params(&p);
    assert_int_equal(vsmmuv3_compute_id(&p, &id), 0);
    assert_true(id.idr[0] & SMMU_IDR0_COHACC);
    assert_int_equal(MASK_EXTR(id.idr[0], SMMU_IDR0_TTF),
                     SMMU_IDR0_TTF_AARCH64);
    assert_int_equal(MASK_EXTR(id.idr[5], SMMU_IDR5_OAS),
                     SMMU_IDR5_OAS_40);
    assert_int_equal(id.idr[5] & (SMMU_IDR5_GRAN4K | SMMU_IDR5_GRAN16K |
                                  SMMU_IDR5_GRAN64K),
                     SMMU_IDR5_GRAN4K | SMMU_IDR5_GRAN16K | SMMU_IDR5_GRAN64K);
}

/* S3, R-B10: IIDR and AIDR ignore the physical SMMU's. */
static void test_iidr_aidr_not_physical(void **state)
{
    struct vsmmuv3_phys_caps c = phys_caps();
    struct vsmmuv3_id id;

    assert_int_equal(compute(&c, NULL, 48, &id), 0);
    assert_int_equal(id.iidr, SMMU_IIDR_IMPLEMENTER_ARM);
    assert_int_equal(id.aidr, VSMMUV3_AIDR);
}

/* S3: what the guest reads is what the policy computed, and it is frozen. */
static void test_idrs_frozen(void **state)
{
    struct vsmmuv3_phys_caps c = phys_caps();
    struct vsmmuv3_backend be = backend(c);
    struct vsmmuv3_params p;
    struct vsmmuv3_id id;
    struct harness *h;
    unsigned int i;

    harness_default_params(&p);
    p.nr_backends = 1;
    p.backends = &be;
    assert_int_equal(vsmmuv3_compute_id(&p, &id), 0);
    h = harness_create(&p);
    /* The caller's copy may change; the vSMMU's may not. */
    be.caps.idr[0] = 0;
    for ( i = 0; i < 6; i++ )
        assert_int_equal(h_read32(h, SMMU_IDR0 + 4 * i), id.idr[i]);
    h_write32(h, SMMU_CR0, 0xd);
    h_write32(h, SMMU_IDR0, 0);
    h_write32(h, SMMU_CR0, 0);
    for ( i = 0; i < 6; i++ )
        assert_int_equal(h_read32(h, SMMU_IDR0 + 4 * i), id.idr[i]);
    assert_int_equal(h_read32(h, SMMU_IIDR), id.iidr);
    assert_int_equal(h_read32(h, SMMU_AIDR), id.aidr);
    harness_destroy(h);
}

/* Creation reserves both interrupts and registers the frame. */
static void test_init_reserves_and_registers(void **state)
{
    struct harness *h = harness_create(NULL);

    assert_true(emul_vgic_reserved(h->d, H_EVTQ_VIRQ));
    assert_true(emul_vgic_reserved(h->d, H_GERROR_VIRQ));
    assert_int_equal(h_read32(h, SMMU_AIDR), VSMMUV3_AIDR);
    harness_destroy(h);
}

/* A taken interrupt fails creation and leaves nothing behind (R-F2). */
static void test_init_virq_taken(void **state)
{
    struct domain *d = emul_domain_create(2, 1, H_NR_SPIS);
    struct vsmmuv3_params p;
    struct vsmmuv3 *vs = NULL;
    unsigned long live = emul_live_allocations();
    uint64_t v;

    harness_default_params(&p);
    assert_true(vgic_reserve_virq(d, H_GERROR_VIRQ));
    assert_int_equal(vsmmuv3_domain_init(d, &p, &vs), -EBUSY);
    assert_null(vs);
    assert_false(emul_vgic_reserved(d, H_EVTQ_VIRQ));
    /* The other owner's reservation was not freed. */
    assert_true(emul_vgic_reserved(d, H_GERROR_VIRQ));
    assert_int_equal(emul_live_allocations(), live);
    assert_int_equal(emul_mmio_read(d->vcpu[0], H_BASE, DABT_WORD, &v), -1);
    emul_domain_destroy(d);
}

/* An SPI beyond the domain's nr_spis fails creation cleanly. */
static void test_init_virq_out_of_range(void **state)
{
    struct domain *d = emul_domain_create(2, 1, 8);     /* INTIDs < 40 */
    struct vsmmuv3_params p;
    struct vsmmuv3 *vs = NULL;

    harness_default_params(&p);
    assert_int_equal(vsmmuv3_domain_init(d, &p, &vs), -EBUSY);
    assert_false(emul_vgic_reserved(d, H_EVTQ_VIRQ));
    emul_domain_destroy(d);
}

/* Allocation failure fails creation with nothing reserved. */
static void test_init_alloc_failure(void **state)
{
    struct domain *d = emul_domain_create(2, 1, H_NR_SPIS);
    unsigned long live = emul_live_allocations();
    struct vsmmuv3_params p;
    struct vsmmuv3 *vs = NULL;

    harness_default_params(&p);
    emul_fail_alloc_after(0);
    assert_int_equal(vsmmuv3_domain_init(d, &p, &vs), -ENOMEM);
    /* The stream map, the second allocation, failing. */
    emul_fail_alloc_after(1);
    assert_int_equal(vsmmuv3_domain_init(d, &p, &vs), -ENOMEM);
    /* The vCPUs' continuation flags, the third. */
    emul_fail_alloc_after(2);
    assert_int_equal(vsmmuv3_domain_init(d, &p, &vs), -ENOMEM);
    emul_fail_alloc_after(-1);
    assert_int_equal(emul_live_allocations(), live);
    assert_false(emul_vgic_reserved(d, H_EVTQ_VIRQ));
    assert_false(emul_vgic_reserved(d, H_GERROR_VIRQ));
    emul_domain_destroy(d);
}

/* Bad creation parameters are refused. */
static void test_init_bad_params(void **state)
{
    struct domain *d = emul_domain_create(2, 1, H_NR_SPIS);
    struct vsmmuv3_params p;
    struct vsmmuv3 *vs = NULL;

    harness_default_params(&p);
    p.base += 0x1000;
    assert_int_equal(vsmmuv3_domain_init(d, &p, &vs), -EINVAL);
    harness_default_params(&p);
    p.gerror_virq = p.evtq_virq;
    assert_int_equal(vsmmuv3_domain_init(d, &p, &vs), -EINVAL);
    harness_default_params(&p);
    p.evtq_virq = 27;
    assert_int_equal(vsmmuv3_domain_init(d, &p, &vs), -EINVAL);
    /* S8.8: a step must fit the costliest operation that cannot split. */
    harness_default_params(&p);
    p.step_work = VSMMUV3_WORK_MIN - 1;
    assert_int_equal(vsmmuv3_domain_init(d, &p, &vs), -EINVAL);
    harness_default_params(&p);
    p.step_work = UINT16_MAX + 1;
    assert_int_equal(vsmmuv3_domain_init(d, &p, &vs), -EINVAL);
    harness_default_params(&p);
    p.nr_backends = VSMMUV3_MAX_BACKENDS + 1;
    assert_int_equal(vsmmuv3_domain_init(d, &p, &vs), -EINVAL);
    assert_null(vs);
    emul_domain_destroy(d);
}

/* Freeing releases the interrupts and every allocation. */
static void test_free_releases_everything(void **state)
{
    unsigned long live = emul_live_allocations();
    struct harness *h = harness_create(NULL);
    struct domain *d = h->d;

    vsmmuv3_domain_free(h->vs);
    assert_false(emul_vgic_reserved(d, H_EVTQ_VIRQ));
    assert_false(emul_vgic_reserved(d, H_GERROR_VIRQ));
    assert_int_equal(emul_live_allocations(), live);
    emul_domain_destroy(d);
    free(h);
    /* Freeing nothing is fine (a partial init). */
    vsmmuv3_domain_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idr0_policy),
        cmocka_unit_test(test_idr1_policy),
        cmocka_unit_test(test_idr2_3_4_policy),
        cmocka_unit_test(test_idr5_policy),
        cmocka_unit_test(test_unusable_backend_refused),
        cmocka_unit_test(test_two_backends_intersection),
        cmocka_unit_test(test_ttendian_meet),
        cmocka_unit_test(test_queue_size_limits),
        cmocka_unit_test(test_virtual_only_policy),
        cmocka_unit_test(test_iidr_aidr_not_physical),
        cmocka_unit_test(test_idrs_frozen),
        cmocka_unit_test(test_init_reserves_and_registers),
        cmocka_unit_test(test_init_virq_taken),
        cmocka_unit_test(test_init_virq_out_of_range),
        cmocka_unit_test(test_init_alloc_failure),
        cmocka_unit_test(test_init_bad_params),
        cmocka_unit_test(test_free_releases_everything),
    };

    return cmocka_run_group_tests_name("identification", tests, NULL, NULL);
}
