/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Register model tests: every row of SPEC-NOTES section 2, the decode and
 * access rules S1.1-S1.3, and the register handshakes Linux performs (S7.2).
 * The identification policy (section 3) is in test_idregs.c, concurrency
 * (S1.4) in test_concurrency.c.
 */
#include "harness.h"

/* Every register, its width, and whether the guest may write it. */
struct reg_desc {
    uint32_t off;
    unsigned int width;         /* 4 or 8 bytes */
    bool ro;
};

static const struct reg_desc regs[] = {
    { SMMU_IDR0, 4, true }, { SMMU_IDR1, 4, true }, { SMMU_IDR2, 4, true },
    { SMMU_IDR3, 4, true }, { SMMU_IDR4, 4, true }, { SMMU_IDR5, 4, true },
    { SMMU_IIDR, 4, true }, { SMMU_AIDR, 4, true },
    { SMMU_CR0, 4, false }, { SMMU_CR0ACK, 4, true },
    { SMMU_CR1, 4, false }, { SMMU_CR2, 4, false },
    { SMMU_STATUSR, 4, true }, { SMMU_GBPA, 4, false },
    { SMMU_AGBPA, 4, false },
    { SMMU_IRQ_CTRL, 4, false }, { SMMU_IRQ_CTRLACK, 4, true },
    { SMMU_GERROR, 4, true }, { SMMU_GERRORN, 4, false },
    { SMMU_GERROR_IRQ_CFG0, 8, false }, { SMMU_GERROR_IRQ_CFG1, 4, false },
    { SMMU_GERROR_IRQ_CFG2, 4, false },
    { SMMU_STRTAB_BASE, 8, false }, { SMMU_STRTAB_BASE_CFG, 4, false },
    { SMMU_CMDQ_BASE, 8, false }, { SMMU_CMDQ_PROD, 4, false },
    { SMMU_CMDQ_CONS, 4, false },
    { SMMU_EVENTQ_BASE, 8, false },
    { SMMU_EVENTQ_IRQ_CFG0, 8, false }, { SMMU_EVENTQ_IRQ_CFG1, 4, false },
    { SMMU_EVENTQ_IRQ_CFG2, 4, false },
    { SMMU_EVENTQ_PROD, 4, false }, { SMMU_EVENTQ_CONS, 4, false },
};

/* The register whose bytes include @off, or NULL. */
static const struct reg_desc *reg_at(uint32_t off)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(regs); i++ )
        if ( off >= regs[i].off && off < regs[i].off + regs[i].width )
            return &regs[i];
    return NULL;
}

static int setup(void **state)
{
    *state = harness_create(NULL);
    return 0;
}

static int teardown(void **state)
{
    harness_destroy(*state);
    return 0;
}

/* Snapshot of every register, read with 32-bit accesses. */
static void snapshot(struct harness *h, uint32_t *out)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(regs); i++ )
    {
        out[2 * i] = h_read32(h, regs[i].off);
        out[2 * i + 1] = regs[i].width == 8 ? h_read32(h, regs[i].off + 4)
                                            : 0;
    }
}

/* S1.1: the frame is exactly 128 KiB, two pages. */
static void test_frame_is_128k(void **state)
{
    struct harness *h = *state;
    uint64_t v = 0;

    assert_int_equal(h_access(h, 0, DABT_WORD, false, &v), 1);
    assert_int_equal(h_access(h, SMMU_FRAME_SIZE - 4, DABT_WORD, false, &v),
                     1);
    assert_int_equal(h_access(h, SMMU_FRAME_SIZE, DABT_WORD, false, &v), -1);
    assert_int_equal(emul_mmio_read(h->v, H_BASE - 4, DABT_WORD, &v), -1);
}

/* S1.1: EVENTQ_PROD/CONS live on page 1; page-0 0xA8/0xAC are RES0. */
static void test_page1_evtq_pointers_not_page0(void **state)
{
    struct harness *h = *state;

    h_write64(h, SMMU_EVENTQ_BASE, H_RAM_BASE | 4);
    h_write32(h, SMMU_EVENTQ_PROD, 0x5);
    h_write32(h, SMMU_EVENTQ_CONS, 0x3);
    assert_int_equal(h_read32(h, SMMU_EVENTQ_PROD), 0x5);
    assert_int_equal(h_read32(h, SMMU_EVENTQ_CONS), 0x3);
    assert_int_equal(h_read32(h, 0xA8), 0);
    assert_int_equal(h_read32(h, 0xAC), 0);

    h_write32(h, 0xA8, 0x7);
    h_write32(h, 0xAC, 0x7);
    assert_int_equal(h_read32(h, SMMU_EVENTQ_PROD), 0x5);
    assert_int_equal(h_read32(h, SMMU_EVENTQ_CONS), 0x3);
}

/* S1.1: page 1 does not alias page 0. */
static void test_page1_does_not_alias_page0(void **state)
{
    struct harness *h = *state;

    assert_int_equal(h_read32(h, SMMU_PAGE1 + SMMU_IDR0), 0);
    assert_int_equal(h_read32(h, SMMU_PAGE1 + SMMU_IIDR), 0);
    h_write32(h, SMMU_PAGE1 + SMMU_CR0, SMMU_CR0_CMDQEN);
    assert_int_equal(h_read32(h, SMMU_CR0), 0);
    h_write64(h, SMMU_PAGE1 + SMMU_CMDQ_BASE, H_RAM_BASE | 8);
    assert_int_equal(h_read64(h, SMMU_CMDQ_BASE), 0);
    h_write32(h, SMMU_PAGE1 + SMMU_CMDQ_PROD, 3);
    assert_int_equal(h_read32(h, SMMU_CMDQ_PROD), 0);
}

/* S1.2: every page-0 offset without a register is RAZ/WI. */
static void test_page0_undefined_razwi(void **state)
{
    struct harness *h = *state;
    uint32_t before[2 * ARRAY_SIZE(regs)], after[2 * ARRAY_SIZE(regs)];
    uint32_t off;
    unsigned int undefined = 0;

    snapshot(h, before);
    for ( off = 0; off < SMMU_PAGE_SIZE; off += 4 )
    {
        uint64_t v = ~0ULL;

        if ( reg_at(off) )
            continue;
        undefined++;
        assert_int_equal(h_access(h, off, DABT_WORD, true, &v), 1);
        v = 0x1234;
        assert_int_equal(h_access(h, off, DABT_WORD, false, &v), 1);
        assert_int_equal(v, 0);
    }
    snapshot(h, after);
    assert_memory_equal(before, after, sizeof(before));
    /* PRIQ, GATOS, secure bank, ID registers at 0xFD0...: all covered. */
    assert_true(undefined > 16000);
}

/* S1.2: page-1 reserved offsets are RAZ/WI (our documented choice). */
static void test_page1_reserved_razwi(void **state)
{
    struct harness *h = *state;
    uint32_t before[2 * ARRAY_SIZE(regs)], after[2 * ARRAY_SIZE(regs)];
    uint32_t off;

    snapshot(h, before);
    for ( off = SMMU_PAGE1; off < SMMU_FRAME_SIZE; off += 4 )
    {
        uint64_t v = ~0ULL;

        if ( off == SMMU_EVENTQ_PROD || off == SMMU_EVENTQ_CONS )
            continue;
        assert_int_equal(h_access(h, off, DABT_WORD, true, &v), 1);
        assert_int_equal(h_access(h, off, DABT_WORD, false, &v), 1);
        assert_int_equal(v, 0);
    }
    snapshot(h, after);
    assert_memory_equal(before, after, sizeof(before));
}

/* S1.2: aligned 64-bit accesses where no register is are RAZ/WI too. */
static void test_undefined_64bit_razwi(void **state)
{
    struct harness *h = *state;
    static const uint32_t offs[] = {
        0x30, 0x38, SMMU_PRIQ_BASE, 0xC8, 0xD0, 0xF8, 0x100, 0xFF8,
        SMMU_PAGE1, SMMU_PAGE1 + 0xC8,
    };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(offs); i++ )
    {
        uint64_t v = ~0ULL;

        assert_int_equal(h_access(h, offs[i], DABT_DOUBLE_WORD, true, &v), 1);
        assert_int_equal(h_access(h, offs[i], DABT_DOUBLE_WORD, false, &v), 1);
        assert_int_equal(v, 0);
    }
}

/* S1.3: byte and halfword accesses to any register abort. */
static void test_narrow_access_aborts(void **state)
{
    struct harness *h = *state;
    unsigned int i, b;

    for ( i = 0; i < ARRAY_SIZE(regs); i++ )
        for ( b = 0; b < regs[i].width; b++ )
        {
            uint64_t v = 0xff;

            assert_int_equal(h_access(h, regs[i].off + b, DABT_BYTE, false,
                                      &v), 0);
            assert_int_equal(h_access(h, regs[i].off + b, DABT_BYTE, true,
                                      &v), 0);
            if ( b % 2 )
                continue;
            assert_int_equal(h_access(h, regs[i].off + b, DABT_HALF_WORD,
                                      false, &v), 0);
            assert_int_equal(h_access(h, regs[i].off + b, DABT_HALF_WORD,
                                      true, &v), 0);
        }
}

/* S1.3: a 64-bit access that covers a 32-bit register aborts. */
static void test_64bit_access_to_32bit_register_aborts(void **state)
{
    struct harness *h = *state;
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(regs); i++ )
    {
        uint32_t off = regs[i].off & ~7U;
        uint64_t v = 0;

        if ( regs[i].width == 8 )
            continue;
        assert_int_equal(h_access(h, off, DABT_DOUBLE_WORD, false, &v), 0);
        v = ~0ULL;
        assert_int_equal(h_access(h, off, DABT_DOUBLE_WORD, true, &v), 0);
    }
    /* The failed writes changed nothing. */
    assert_int_equal(h_read32(h, SMMU_CR0), 0);
    assert_int_equal(h_read32(h, SMMU_IRQ_CTRL), 0);
    assert_int_equal(h_read32(h, SMMU_GBPA), VSMMUV3_GBPA_RESET);
}

/* S1.3: 64-bit registers take 64-bit accesses and 32-bit halves. */
static void test_64bit_register_halves(void **state)
{
    struct harness *h = *state;
    const uint64_t val = 0x4000000123456780ULL;

    h_write64(h, SMMU_STRTAB_BASE, val);
    assert_int_equal(h_read64(h, SMMU_STRTAB_BASE), val);
    assert_int_equal(h_read32(h, SMMU_STRTAB_BASE), (uint32_t)val);
    assert_int_equal(h_read32(h, SMMU_STRTAB_BASE + 4), val >> 32);

    h_write32(h, SMMU_STRTAB_BASE, 0x89abcdc0);
    assert_int_equal(h_read64(h, SMMU_STRTAB_BASE),
                     (val & ~0xffffffffULL) | 0x89abcdc0);
    h_write32(h, SMMU_STRTAB_BASE + 4, 0x00000042);
    assert_int_equal(h_read64(h, SMMU_STRTAB_BASE),
                     0x0000004289abcdc0ULL);
}

/* S1.3: unaligned accesses abort, even where a register is. */
static void test_unaligned_access_aborts(void **state)
{
    struct harness *h = *state;
    uint64_t v = 1;

    assert_int_equal(h_access(h, SMMU_CR0 + 1, DABT_WORD, true, &v), 0);
    assert_int_equal(h_access(h, SMMU_CR0 + 2, DABT_WORD, false, &v), 0);
    assert_int_equal(h_access(h, SMMU_STRTAB_BASE + 4, DABT_DOUBLE_WORD,
                              false, &v), 0);
    assert_int_equal(h_access(h, SMMU_CMDQ_BASE + 2, DABT_DOUBLE_WORD, true,
                              &v), 0);
    assert_int_equal(h_access(h, 0x31, DABT_WORD, false, &v), 0);
    assert_int_equal(h_read32(h, SMMU_CR0), 0);
}

/* S1.3: narrow accesses abort at undefined offsets too (documented). */
static void test_narrow_access_to_undefined_aborts(void **state)
{
    struct harness *h = *state;
    uint64_t v = 0;

    assert_int_equal(h_access(h, 0x30, DABT_BYTE, false, &v), 0);
    assert_int_equal(h_access(h, 0x30, DABT_HALF_WORD, true, &v), 0);
    assert_int_equal(h_access(h, SMMU_PAGE1 + 0x10, DABT_BYTE, true, &v), 0);
}

/* S1.3, S8.6: a bad access is logged, rate-limited, as guest-triggered. */
static void test_bad_access_log_ratelimited(void **state)
{
    struct harness *h = *state;
    unsigned int i;
    uint64_t v = 0;
    int level;
    bool guest;

    emul_log_clear();
    assert_int_equal(h_access(h, SMMU_CR0, DABT_BYTE, false, &v), 0);
    assert_int_equal(emul_log_count("bad read of 1 bytes at offset 0x20"), 1);
    emul_log_last_level(&level, &guest);
    assert_true(guest);
    assert_int_equal(level, 1);                 /* warning */

    for ( i = 0; i < 1000; i++ )
        assert_int_equal(h_access(h, SMMU_CR0, DABT_BYTE, true, &v), 0);
    assert_true(emul_log_total() <= VSMMUV3_LOG_BURST);

    /* After the period, the drop count is reported once. */
    emul_clock_advance(VSMMUV3_LOG_PERIOD);
    assert_int_equal(h_access(h, SMMU_CR0, DABT_BYTE, true, &v), 0);
    assert_int_equal(emul_log_count("messages suppressed"), 1);
}

/* S1.3: a 32-bit write uses only the low 32 bits of the register. */
static void test_32bit_write_ignores_upper_register_bits(void **state)
{
    struct harness *h = *state;
    uint64_t v = 0xffffffff00000d75ULL;

    assert_int_equal(h_access(h, SMMU_CR1, DABT_WORD, true, &v), 1);
    assert_int_equal(h_read32(h, SMMU_CR1), 0xd75);
    v = 0xffffffff00000000ULL | SMMU_GBPA_UPDATE;
    assert_int_equal(h_access(h, SMMU_GBPA, DABT_WORD, true, &v), 1);
    assert_int_equal(h_read32(h, SMMU_GBPA), 0);
}

/* S2: read-only registers ignore writes. */
static void test_ro_registers_ignore_writes(void **state)
{
    struct harness *h = *state;
    static const uint32_t ro[] = {
        SMMU_IDR0, SMMU_IDR1, SMMU_IDR2, SMMU_IDR3, SMMU_IDR4, SMMU_IDR5,
        SMMU_IIDR, SMMU_AIDR, SMMU_CR0ACK, SMMU_STATUSR, SMMU_IRQ_CTRLACK,
        SMMU_GERROR,
    };
    uint32_t before[ARRAY_SIZE(ro)];
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(ro); i++ )
        before[i] = h_read32(h, ro[i]);
    for ( i = 0; i < ARRAY_SIZE(ro); i++ )
    {
        h_write32(h, ro[i], 0xffffffff);
        h_write32(h, ro[i], 0x5a5a5a5a);
    }
    for ( i = 0; i < ARRAY_SIZE(ro); i++ )
        assert_int_equal(h_read32(h, ro[i]), before[i]);
    /* Writing the RO mirrors changed nothing else either. */
    assert_int_equal(h_read32(h, SMMU_CR0), 0);
    assert_int_equal(h_read32(h, SMMU_IRQ_CTRL), 0);
    assert_int_equal(h_read32(h, SMMU_GERRORN), 0);
}

/* S2: reset values of every guest-writable register. */
static void test_reset_values(void **state)
{
    struct harness *h = *state;
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(regs); i++ )
    {
        uint64_t expect = 0;

        if ( regs[i].ro )
            continue;
        if ( regs[i].off == SMMU_GBPA )
            expect = VSMMUV3_GBPA_RESET;
        if ( regs[i].width == 8 )
            assert_int_equal(h_read64(h, regs[i].off), expect);
        else
            assert_int_equal(h_read32(h, regs[i].off), expect);
    }
    assert_int_equal(h_read32(h, SMMU_CR0ACK), 0);
    assert_int_equal(h_read32(h, SMMU_IRQ_CTRLACK), 0);
    assert_int_equal(h_read32(h, SMMU_STATUSR), 0);
    assert_int_equal(h_read32(h, SMMU_GERROR), 0);
}

/* S2 IIDR: a neutral Arm value that matches no erratum. */
static void test_iidr_neutral(void **state)
{
    struct harness *h = *state;
    uint32_t iidr = h_read32(h, SMMU_IIDR);

    assert_int_equal(MASK_EXTR(iidr, SMMU_IIDR_IMPLEMENTER), 0x43B);
    assert_int_equal(MASK_EXTR(iidr, SMMU_IIDR_PRODUCTID), 0);
    assert_int_equal(MASK_EXTR(iidr, SMMU_IIDR_VARIANT), 0);
    assert_int_equal(MASK_EXTR(iidr, SMMU_IIDR_REVISION), 0);
}

/* S2 AIDR: SMMUv3.2, as docs/registers.md says. */
static void test_aidr(void **state)
{
    struct harness *h = *state;

    assert_int_equal(h_read32(h, SMMU_AIDR), 0x02);
}

/* S2 CR0: only SMMUEN, EVENTQEN, CMDQEN are accepted. */
static void test_cr0_accepted_bits(void **state)
{
    struct harness *h = *state;

    h_write32(h, SMMU_CR0, 0xffffffff);
    assert_int_equal(h_read32(h, SMMU_CR0), 0xd);
    assert_int_equal(h_read32(h, SMMU_CR0ACK), 0xd);
    h_write32(h, SMMU_CR0, SMMU_CR0_PRIQEN | SMMU_CR0_ATSCHK | SMMU_CR0_VMW);
    assert_int_equal(h_read32(h, SMMU_CR0), 0);
    assert_int_equal(h_read32(h, SMMU_CR0ACK), 0);
}

/*
 * S2 CR0ACK, R-B5: never an unadvertised bit, for any CR0 value.  Each bit
 * of CR0ACK depends on the same bit of CR0 only, so every combination of the
 * defined low 12 bits with a spread of upper-half patterns, plus every
 * single bit, covers all 32-bit values.
 */
static void test_cr0ack_never_unadvertised_bits(void **state)
{
    struct harness *h = *state;
    static const uint32_t upper[] = {
        0, 0xfffff000, 0x80000000, 0x55555000, 0xaaaaa000, 0x0001f000,
        0x12345000, 0xfedcb000,
    };
    uint32_t low, i;

    for ( i = 0; i < ARRAY_SIZE(upper); i++ )
        for ( low = 0; low < 0x1000; low++ )
        {
            uint32_t v = upper[i] | low;

            h_write32(h, SMMU_CR0, v);
            assert_int_equal(h_read32(h, SMMU_CR0ACK),
                             v & VSMMUV3_CR0_ACCEPTED);
            h_write32(h, SMMU_CR0, 0);
        }
    for ( i = 0; i < 32; i++ )
    {
        h_write32(h, SMMU_CR0, 1U << i);
        assert_int_equal(h_read32(h, SMMU_CR0ACK),
                         (1U << i) & VSMMUV3_CR0_ACCEPTED);
    }
}

/* S2 CR1/CR2: stored (defined fields only), no effect on emulation. */
static void test_cr1_cr2_stored(void **state)
{
    struct harness *h = *state;

    h_write32(h, SMMU_CR1, 0xffffffff);
    assert_int_equal(h_read32(h, SMMU_CR1), 0xfff);
    h_write32(h, SMMU_CR1, 0xd75);              /* Linux's value */
    assert_int_equal(h_read32(h, SMMU_CR1), 0xd75);
    h_write32(h, SMMU_CR2, 0xffffffff);
    /* E2H is RES0 without IDR0.HYP. */
    assert_int_equal(h_read32(h, SMMU_CR2), SMMU_CR2_PTM | SMMU_CR2_RECINVSID);
    h_write32(h, SMMU_CR2, 0x6);                /* Linux's value */
    assert_int_equal(h_read32(h, SMMU_CR2), 0x6);
}

/* S2 GBPA: reset aborts incoming traffic; never physical bypass. */
static void test_gbpa_reset_aborts(void **state)
{
    struct harness *h = *state;
    uint32_t gbpa = h_read32(h, SMMU_GBPA);

    assert_true(gbpa & SMMU_GBPA_ABORT);
    assert_false(gbpa & SMMU_GBPA_UPDATE);
}

/* S2 GBPA: a write without UPDATE is ignored. */
static void test_gbpa_write_without_update_ignored(void **state)
{
    struct harness *h = *state;

    h_write32(h, SMMU_GBPA, 0);
    assert_int_equal(h_read32(h, SMMU_GBPA), VSMMUV3_GBPA_RESET);
    h_write32(h, SMMU_GBPA, MASK_INSR(2, SMMU_GBPA_SHCFG));
    assert_int_equal(h_read32(h, SMMU_GBPA), VSMMUV3_GBPA_RESET);
}

/* S2 GBPA: an update completes at once; UPDATE reads 0; RES0 dropped. */
static void test_gbpa_update_completes(void **state)
{
    struct harness *h = *state;

    h_write32(h, SMMU_GBPA, SMMU_GBPA_UPDATE);
    assert_int_equal(h_read32(h, SMMU_GBPA), 0);
    /* Linux's kexec path: poll UPDATE, write ABORT|UPDATE, poll again. */
    h_write32(h, SMMU_GBPA, h_read32(h, SMMU_GBPA) | SMMU_GBPA_ABORT |
                            SMMU_GBPA_UPDATE);
    assert_int_equal(h_read32(h, SMMU_GBPA), SMMU_GBPA_ABORT);
    h_write32(h, SMMU_GBPA, 0xffffffff);
    assert_int_equal(h_read32(h, SMMU_GBPA), VSMMUV3_GBPA_FIELDS);
}

/* S2 AGBPA: RAZ/WI. */
static void test_agbpa_razwi(void **state)
{
    struct harness *h = *state;

    h_write32(h, SMMU_AGBPA, 0xffffffff);
    assert_int_equal(h_read32(h, SMMU_AGBPA), 0);
}

/* S2 STATUSR: reads 0. */
static void test_statusr_zero(void **state)
{
    struct harness *h = *state;

    h_write32(h, SMMU_STATUSR, 1);
    assert_int_equal(h_read32(h, SMMU_STATUSR), 0);
}

/* S2 IRQ_CTRL/IRQ_CTRLACK: the two implemented enables; ACK mirrors. */
static void test_irq_ctrl_ack(void **state)
{
    struct harness *h = *state;

    h_write32(h, SMMU_IRQ_CTRL, 0xffffffff);
    assert_int_equal(h_read32(h, SMMU_IRQ_CTRL), VSMMUV3_IRQ_CTRL_ACCEPTED);
    assert_int_equal(h_read32(h, SMMU_IRQ_CTRLACK), VSMMUV3_IRQ_CTRL_ACCEPTED);
    h_write32(h, SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_PRIQ_IRQEN);
    assert_int_equal(h_read32(h, SMMU_IRQ_CTRLACK), 0);
    h_write32(h, SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_EVENTQ_IRQEN);
    assert_int_equal(h_read32(h, SMMU_IRQ_CTRLACK),
                     SMMU_IRQ_CTRL_EVENTQ_IRQEN);
}

/* S2 GERROR/GERRORN: an error is active while the bits differ. */
static void test_gerror_toggle_protocol(void **state)
{
    struct harness *h = *state;
    uint32_t gerror;

    h_raise_gerror(h, SMMU_GERROR_CMDQ_ERR);
    gerror = h_read32(h, SMMU_GERROR);
    assert_int_equal(gerror ^ h_read32(h, SMMU_GERRORN), SMMU_GERROR_CMDQ_ERR);

    /* Acknowledge as Linux does: GERRORN = GERROR. */
    h_write32(h, SMMU_GERRORN, gerror);
    assert_int_equal(h_read32(h, SMMU_GERROR) ^ h_read32(h, SMMU_GERRORN), 0);

    /* The next error toggles GERROR back: active again. */
    h_raise_gerror(h, SMMU_GERROR_CMDQ_ERR);
    assert_int_equal(h_read32(h, SMMU_GERROR), 0);
    assert_int_equal(h_read32(h, SMMU_GERROR) ^ h_read32(h, SMMU_GERRORN),
                     SMMU_GERROR_CMDQ_ERR);
}

/* S2 GERROR: a new error toggles GERROR only if not already active. */
static void test_gerror_active_not_toggled_again(void **state)
{
    struct harness *h = *state;

    h_raise_gerror(h, SMMU_GERROR_CMDQ_ERR);
    h_raise_gerror(h, SMMU_GERROR_CMDQ_ERR);
    h_raise_gerror(h, SMMU_GERROR_CMDQ_ERR | SMMU_GERROR_EVENTQ_ABT_ERR);
    assert_int_equal(h_read32(h, SMMU_GERROR),
                     SMMU_GERROR_CMDQ_ERR | SMMU_GERROR_EVENTQ_ABT_ERR);
    /* Acknowledge one of the two: the other stays active. */
    h_write32(h, SMMU_GERRORN, SMMU_GERROR_CMDQ_ERR);
    assert_int_equal(h_read32(h, SMMU_GERROR) ^ h_read32(h, SMMU_GERRORN),
                     SMMU_GERROR_EVENTQ_ABT_ERR);
}

/* S2 GERRORN: toggling an inactive bit does not create an error. */
static void test_gerrorn_cannot_create_errors(void **state)
{
    struct harness *h = *state;

    h_write32(h, SMMU_GERRORN, 0xffffffff);
    assert_int_equal(h_read32(h, SMMU_GERRORN), 0);
    assert_int_equal(h_read32(h, SMMU_GERROR), 0);
    h_write32(h, SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_GERROR_IRQEN);
    assert_false(emul_vgic_level(h->d, H_GERROR_VIRQ));
}

/* S6.4: the GERROR line is high while an error is active and enabled. */
static void test_gerror_line_level(void **state)
{
    struct harness *h = *state;

    h_raise_gerror(h, SMMU_GERROR_CMDQ_ERR);
    assert_false(emul_vgic_level(h->d, H_GERROR_VIRQ));     /* not enabled */
    h_write32(h, SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_GERROR_IRQEN);
    assert_true(emul_vgic_level(h->d, H_GERROR_VIRQ));
    h_write32(h, SMMU_IRQ_CTRL, 0);
    assert_false(emul_vgic_level(h->d, H_GERROR_VIRQ));
    h_write32(h, SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_GERROR_IRQEN);
    assert_true(emul_vgic_level(h->d, H_GERROR_VIRQ));
    h_write32(h, SMMU_GERRORN, h_read32(h, SMMU_GERROR));
    assert_false(emul_vgic_level(h->d, H_GERROR_VIRQ));
    /* The EVTQ line never moved. */
    assert_int_equal(emul_vgic_asserts(h->d, H_EVTQ_VIRQ), 0);
}

/* S6.4: acknowledging one of two errors drives the still-high line again. */
static void test_gerror_line_reasserted_after_partial_ack(void **state)
{
    struct harness *h = *state;
    unsigned long asserts;

    h_write32(h, SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_GERROR_IRQEN);
    h_raise_gerror(h, SMMU_GERROR_CMDQ_ERR | SMMU_GERROR_EVENTQ_ABT_ERR);
    asserts = emul_vgic_asserts(h->d, H_GERROR_VIRQ);
    assert_int_equal(asserts, 1);
    h_write32(h, SMMU_GERRORN, SMMU_GERROR_CMDQ_ERR);
    assert_true(emul_vgic_level(h->d, H_GERROR_VIRQ));
    assert_int_equal(emul_vgic_asserts(h->d, H_GERROR_VIRQ), asserts + 1);
}

/* S2 *_IRQ_CFG0/1/2: MSI targets, only meaningful with IDR0.MSI. */
static void test_irq_cfg_registers(void **state)
{
    struct harness *h = *state;
    bool msi = h_read32(h, SMMU_IDR0) & SMMU_IDR0_MSI;

    h_write64(h, SMMU_GERROR_IRQ_CFG0, ~0ULL);
    h_write32(h, SMMU_GERROR_IRQ_CFG1, 0xcafe);
    h_write32(h, SMMU_GERROR_IRQ_CFG2, 0xffffffff);
    h_write64(h, SMMU_EVENTQ_IRQ_CFG0, 0x40001004ULL);
    h_write32(h, SMMU_EVENTQ_IRQ_CFG1, 0xbeef);
    h_write32(h, SMMU_EVENTQ_IRQ_CFG2, 0x31);
    if ( !msi )
    {
        /* Without MSIs these registers are RES0. */
        assert_int_equal(h_read64(h, SMMU_GERROR_IRQ_CFG0), 0);
        assert_int_equal(h_read32(h, SMMU_GERROR_IRQ_CFG1), 0);
        assert_int_equal(h_read32(h, SMMU_GERROR_IRQ_CFG2), 0);
        assert_int_equal(h_read64(h, SMMU_EVENTQ_IRQ_CFG0), 0);
        assert_int_equal(h_read32(h, SMMU_EVENTQ_IRQ_CFG1), 0);
        return;
    }
    assert_int_equal(h_read64(h, SMMU_GERROR_IRQ_CFG0), SMMU_IRQ_CFG0_ADDR);
    assert_int_equal(h_read32(h, SMMU_GERROR_IRQ_CFG1), 0xcafe);
    assert_int_equal(h_read32(h, SMMU_GERROR_IRQ_CFG2), 0x3f);
    assert_int_equal(h_read64(h, SMMU_EVENTQ_IRQ_CFG0), 0x40001004ULL);
    assert_int_equal(h_read32(h, SMMU_EVENTQ_IRQ_CFG1), 0xbeef);
    assert_int_equal(h_read32(h, SMMU_EVENTQ_IRQ_CFG2), 0x31);
    /* Frozen while the interrupt is enabled. */
    h_write32(h, SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_EVENTQ_IRQEN);
    h_write32(h, SMMU_EVENTQ_IRQ_CFG1, 1);
    assert_int_equal(h_read32(h, SMMU_EVENTQ_IRQ_CFG1), 0xbeef);
}

/* S2 STRTAB_BASE: ADDR and RA stored, RES0 bits dropped. */
static void test_strtab_base_fields(void **state)
{
    struct harness *h = *state;

    h_write64(h, SMMU_STRTAB_BASE, ~0ULL);
    assert_int_equal(h_read64(h, SMMU_STRTAB_BASE),
                     SMMU_STRTAB_BASE_ADDR | SMMU_STRTAB_BASE_RA);
}

/* S2 STRTAB_BASE(_CFG): ignored while SMMUEN=1, writable after. */
static void test_strtab_frozen_while_enabled(void **state)
{
    struct harness *h = *state;
    uint32_t cfg = MASK_INSR(1, SMMU_STRTAB_BASE_CFG_FMT) |
                   MASK_INSR(8, SMMU_STRTAB_BASE_CFG_SPLIT) | 16;

    h_write64(h, SMMU_STRTAB_BASE, H_RAM_BASE);
    h_write32(h, SMMU_STRTAB_BASE_CFG, cfg);
    h_write32(h, SMMU_CR0, SMMU_CR0_SMMUEN);
    h_write64(h, SMMU_STRTAB_BASE, H_RAM_BASE + 0x10000);
    h_write32(h, SMMU_STRTAB_BASE + 4, 0x1);
    h_write32(h, SMMU_STRTAB_BASE_CFG, 5);
    assert_int_equal(h_read64(h, SMMU_STRTAB_BASE), H_RAM_BASE);
    assert_int_equal(h_read32(h, SMMU_STRTAB_BASE_CFG), cfg);

    h_write32(h, SMMU_CR0, 0);
    h_write64(h, SMMU_STRTAB_BASE, H_RAM_BASE + 0x10000);
    h_write32(h, SMMU_STRTAB_BASE_CFG, 5);
    assert_int_equal(h_read64(h, SMMU_STRTAB_BASE), H_RAM_BASE + 0x10000);
    assert_int_equal(h_read32(h, SMMU_STRTAB_BASE_CFG), 5);
}

/* S2 STRTAB_BASE_CFG: LOG2SIZE clamped to IDR1.SIDSIZE. */
static void test_strtab_log2size_clamped(void **state)
{
    struct harness *h = *state;

    h_write32(h, SMMU_STRTAB_BASE_CFG, 63);
    assert_int_equal(h_read32(h, SMMU_STRTAB_BASE_CFG), VSMMUV3_SIDSIZE);
    h_write32(h, SMMU_STRTAB_BASE_CFG, 12);
    assert_int_equal(h_read32(h, SMMU_STRTAB_BASE_CFG), 12);
}

/* S2 STRTAB_BASE_CFG: FMT and SPLIT as written each time, never sticky. */
static void test_strtab_fmt_not_sticky(void **state)
{
    struct harness *h = *state;
    uint32_t two_level = MASK_INSR(1, SMMU_STRTAB_BASE_CFG_FMT) |
                         MASK_INSR(6, SMMU_STRTAB_BASE_CFG_SPLIT) | 10;

    h_write32(h, SMMU_STRTAB_BASE_CFG, two_level);
    assert_int_equal(h_read32(h, SMMU_STRTAB_BASE_CFG), two_level);
    h_write32(h, SMMU_STRTAB_BASE_CFG, 10);
    assert_int_equal(h_read32(h, SMMU_STRTAB_BASE_CFG), 10);
    /* RES0 bits are dropped. */
    h_write32(h, SMMU_STRTAB_BASE_CFG, 0xfffc0000 | 10);
    assert_int_equal(h_read32(h, SMMU_STRTAB_BASE_CFG), 10);
}

/* S2 CMDQ_BASE: stored, LOG2SIZE clamped to IDR1.CMDQS. */
static void test_cmdq_base_clamped(void **state)
{
    struct harness *h = *state;
    unsigned int cmdqs = MASK_EXTR(h_read32(h, SMMU_IDR1), SMMU_IDR1_CMDQS);

    h_write64(h, SMMU_CMDQ_BASE, SMMU_Q_BASE_RWA | H_RAM_BASE | 31);
    assert_int_equal(h_read64(h, SMMU_CMDQ_BASE),
                     SMMU_Q_BASE_RWA | H_RAM_BASE | cmdqs);
    h_write64(h, SMMU_CMDQ_BASE, H_RAM_BASE | 7);
    assert_int_equal(h_read64(h, SMMU_CMDQ_BASE), H_RAM_BASE | 7);
    h_write64(h, SMMU_CMDQ_BASE, ~0ULL);
    assert_int_equal(h_read64(h, SMMU_CMDQ_BASE),
                     SMMU_Q_BASE_RWA | SMMU_Q_BASE_ADDR | cmdqs);
}

/* S2 CMDQ_BASE: ignored while CMDQEN=1, writable after. */
static void test_cmdq_base_frozen_while_enabled(void **state)
{
    struct harness *h = *state;

    h_write64(h, SMMU_CMDQ_BASE, H_RAM_BASE | 8);
    h_write32(h, SMMU_CR0, SMMU_CR0_CMDQEN);
    h_write64(h, SMMU_CMDQ_BASE, (H_RAM_BASE + 0x1000) | 7);
    assert_int_equal(h_read64(h, SMMU_CMDQ_BASE), H_RAM_BASE | 8);
    h_write32(h, SMMU_CR0, 0);
    h_write64(h, SMMU_CMDQ_BASE, (H_RAM_BASE + 0x1000) | 7);
    assert_int_equal(h_read64(h, SMMU_CMDQ_BASE), (H_RAM_BASE + 0x1000) | 7);
}

/* S4.2: PROD is masked to index + wrap bit of the queue size. */
static void test_cmdq_prod_masked(void **state)
{
    struct harness *h = *state;

    h_write64(h, SMMU_CMDQ_BASE, H_RAM_BASE | 8);
    h_write32(h, SMMU_CMDQ_PROD, 0xffffffff);
    assert_int_equal(h_read32(h, SMMU_CMDQ_PROD), 0x1ff);
    h_write32(h, SMMU_CMDQ_PROD, 0x80000105);
    assert_int_equal(h_read32(h, SMMU_CMDQ_PROD), 0x105);
}

/*
 * IHI 0070 6.3.27/6.3.28: when LOG2SIZE shrinks, PROD and CONS become the
 * truncation of their old values (found by fuzz_mmio).
 */
static void test_queue_pointers_truncated_by_smaller_base(void **state)
{
    struct harness *h = *state;

    h_write64(h, SMMU_CMDQ_BASE, H_RAM_BASE | 9);
    h_write32(h, SMMU_CMDQ_CONS, 0x3f0);
    h_write32(h, SMMU_CMDQ_PROD, 0x2f1);
    h_write64(h, SMMU_CMDQ_BASE, H_RAM_BASE | 7);
    assert_int_equal(h_read32(h, SMMU_CMDQ_CONS), 0xf0);
    assert_int_equal(h_read32(h, SMMU_CMDQ_PROD), 0xf1);
    h_write64(h, SMMU_EVENTQ_BASE, H_RAM_BASE | 6);
    h_write32(h, SMMU_EVENTQ_PROD, SMMU_EVENTQ_PROD_OVFLG | 0x7e);
    h_write32(h, SMMU_EVENTQ_CONS, SMMU_EVENTQ_CONS_OVACKFLG | 0x55);
    h_write64(h, SMMU_EVENTQ_BASE, H_RAM_BASE | 4);
    assert_int_equal(h_read32(h, SMMU_EVENTQ_PROD),
                     SMMU_EVENTQ_PROD_OVFLG | 0x1e);
    assert_int_equal(h_read32(h, SMMU_EVENTQ_CONS),
                     SMMU_EVENTQ_CONS_OVACKFLG | 0x15);
}

/* S2 CMDQ_CONS: writable only while CMDQEN=0. */
static void test_cmdq_cons_writable_only_disabled(void **state)
{
    struct harness *h = *state;

    h_write64(h, SMMU_CMDQ_BASE, H_RAM_BASE | 8);
    h_write32(h, SMMU_CMDQ_CONS, 0x102);
    assert_int_equal(h_read32(h, SMMU_CMDQ_CONS), 0x102);
    h_write32(h, SMMU_CMDQ_PROD, 0x102);
    h_write32(h, SMMU_CR0, SMMU_CR0_CMDQEN);
    h_write32(h, SMMU_CMDQ_CONS, 0);
    assert_int_equal(h_read32(h, SMMU_CMDQ_CONS), 0x102);
    h_write32(h, SMMU_CR0, 0);
    h_write32(h, SMMU_CMDQ_CONS, 0);
    assert_int_equal(h_read32(h, SMMU_CMDQ_CONS), 0);
    /* ERR is not writable, and RES0 bits are dropped. */
    h_write32(h, SMMU_CMDQ_CONS, 0x7f000000 | 0x3);
    assert_int_equal(h_read32(h, SMMU_CMDQ_CONS), 0x3);
}

/* S2 EVENTQ_BASE: clamped to IDR1.EVENTQS, ignored while EVENTQEN=1. */
static void test_eventq_base(void **state)
{
    struct harness *h = *state;
    unsigned int evtqs = MASK_EXTR(h_read32(h, SMMU_IDR1), SMMU_IDR1_EVENTQS);

    h_write64(h, SMMU_EVENTQ_BASE, H_RAM_BASE | 31);
    assert_int_equal(h_read64(h, SMMU_EVENTQ_BASE), H_RAM_BASE | evtqs);
    h_write64(h, SMMU_EVENTQ_BASE, H_RAM_BASE | 4);
    h_write32(h, SMMU_CR0, SMMU_CR0_EVENTQEN);
    h_write64(h, SMMU_EVENTQ_BASE, (H_RAM_BASE + 0x1000) | 5);
    assert_int_equal(h_read64(h, SMMU_EVENTQ_BASE), H_RAM_BASE | 4);
    h_write32(h, SMMU_CR0, 0);
    h_write64(h, SMMU_EVENTQ_BASE, (H_RAM_BASE + 0x1000) | 5);
    assert_int_equal(h_read64(h, SMMU_EVENTQ_BASE), (H_RAM_BASE + 0x1000) | 5);
}

/* S2 EVENTQ_PROD (page 1): OVFLG kept; owned by the SMMU while enabled. */
static void test_eventq_prod(void **state)
{
    struct harness *h = *state;

    h_write64(h, SMMU_EVENTQ_BASE, H_RAM_BASE | 4);
    h_write32(h, SMMU_EVENTQ_PROD, 0xffffffff);
    assert_int_equal(h_read32(h, SMMU_EVENTQ_PROD),
                     SMMU_EVENTQ_PROD_OVFLG | 0x1f);
    h_write32(h, SMMU_EVENTQ_PROD, 0);
    h_write32(h, SMMU_CR0, SMMU_CR0_EVENTQEN);
    h_write32(h, SMMU_EVENTQ_PROD, 3);
    assert_int_equal(h_read32(h, SMMU_EVENTQ_PROD), 0);
}

/* S2 EVENTQ_CONS (page 1): writable always, OVACKFLG kept, masked. */
static void test_eventq_cons(void **state)
{
    struct harness *h = *state;

    h_write64(h, SMMU_EVENTQ_BASE, H_RAM_BASE | 4);
    h_write32(h, SMMU_CR0, SMMU_CR0_EVENTQEN);
    h_write32(h, SMMU_EVENTQ_CONS, 0x80000013);
    assert_int_equal(h_read32(h, SMMU_EVENTQ_CONS), 0x80000013);
    h_write32(h, SMMU_EVENTQ_CONS, 0x7fffffff);
    assert_int_equal(h_read32(h, SMMU_EVENTQ_CONS), 0x1f);
}

/* S6.4: EVTQ line high iff EVENTQEN, EVENTQ_IRQEN and PROD != CONS. */
static void test_evtq_line_level_combinations(void **state)
{
    struct harness *h = *state;
    unsigned int combo;

    h_write64(h, SMMU_EVENTQ_BASE, H_RAM_BASE | 4);
    for ( combo = 0; combo < 8; combo++ )
    {
        bool en = combo & 1, irqen = combo & 2, pending = combo & 4;

        h_write32(h, SMMU_CR0, 0);
        h_write32(h, SMMU_EVENTQ_PROD, pending ? 3 : 1);
        h_write32(h, SMMU_EVENTQ_CONS, 1);
        h_write32(h, SMMU_IRQ_CTRL, irqen ? SMMU_IRQ_CTRL_EVENTQ_IRQEN : 0);
        h_write32(h, SMMU_CR0, en ? SMMU_CR0_EVENTQEN : 0);
        assert_int_equal(emul_vgic_level(h->d, H_EVTQ_VIRQ),
                         en && irqen && pending);
        assert_false(emul_vgic_level(h->d, H_GERROR_VIRQ));
    }
}

/* S6.4: the EVTQ line follows CONS, and is driven again while pending. */
static void test_evtq_line_follows_cons(void **state)
{
    struct harness *h = *state;
    unsigned long n;

    h_write64(h, SMMU_EVENTQ_BASE, H_RAM_BASE | 4);
    h_write32(h, SMMU_EVENTQ_PROD, 2);
    h_write32(h, SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_EVENTQ_IRQEN);
    h_write32(h, SMMU_CR0, SMMU_CR0_EVENTQEN);
    assert_true(emul_vgic_level(h->d, H_EVTQ_VIRQ));
    n = emul_vgic_asserts(h->d, H_EVTQ_VIRQ);

    h_write32(h, SMMU_EVENTQ_CONS, 1);          /* one entry left */
    assert_true(emul_vgic_level(h->d, H_EVTQ_VIRQ));
    assert_int_equal(emul_vgic_asserts(h->d, H_EVTQ_VIRQ), n + 1);
    h_write32(h, SMMU_EVENTQ_CONS, 2);          /* drained */
    assert_false(emul_vgic_level(h->d, H_EVTQ_VIRQ));
    /* OVACKFLG is not part of the comparison. */
    h_write32(h, SMMU_EVENTQ_CONS, 0x80000002);
    assert_false(emul_vgic_level(h->d, H_EVTQ_VIRQ));
}

/* S7.2: Linux's reset sequence, every handshake it polls for. */
static void test_linux_reset_handshakes(void **state)
{
    struct harness *h = *state;
    const uint32_t irqs = SMMU_IRQ_CTRL_EVENTQ_IRQEN |
                          SMMU_IRQ_CTRL_GERROR_IRQEN;

    /* Probe reads. */
    assert_true(h_read32(h, SMMU_IDR0) & SMMU_IDR0_S1P);
    (void)h_read32(h, SMMU_IDR1);
    (void)h_read32(h, SMMU_IDR3);
    (void)h_read32(h, SMMU_IDR5);
    (void)h_read32(h, SMMU_IIDR);

    assert_false(h_read32(h, SMMU_CR0) & SMMU_CR0_SMMUEN);
    h_write32(h, SMMU_CR0, 0);
    assert_int_equal(h_read32(h, SMMU_CR0ACK), 0);
    h_write32(h, SMMU_CR1, 0xd75);
    h_write32(h, SMMU_CR2, 0x6);
    h_write64(h, SMMU_STRTAB_BASE, SMMU_STRTAB_BASE_RA | H_RAM_BASE);
    h_write32(h, SMMU_STRTAB_BASE_CFG,
              MASK_INSR(1, SMMU_STRTAB_BASE_CFG_FMT) |
              MASK_INSR(8, SMMU_STRTAB_BASE_CFG_SPLIT) | 16);
    h_write64(h, SMMU_CMDQ_BASE, SMMU_Q_BASE_RWA | (H_RAM_BASE + 0x10000) |
                                 8);
    h_write32(h, SMMU_CMDQ_PROD, 0);
    h_write32(h, SMMU_CMDQ_CONS, 0);
    h_write32(h, SMMU_CR0, SMMU_CR0_CMDQEN);
    assert_int_equal(h_read32(h, SMMU_CR0ACK), SMMU_CR0_CMDQEN);
    h_write64(h, SMMU_EVENTQ_BASE, SMMU_Q_BASE_RWA | (H_RAM_BASE + 0x20000) |
                                   8);
    h_write32(h, SMMU_EVENTQ_PROD, 0);
    h_write32(h, SMMU_EVENTQ_CONS, 0);
    h_write32(h, SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    assert_int_equal(h_read32(h, SMMU_CR0ACK),
                     SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    h_write32(h, SMMU_IRQ_CTRL, 0);
    assert_int_equal(h_read32(h, SMMU_IRQ_CTRLACK), 0);
    h_write64(h, SMMU_GERROR_IRQ_CFG0, 0);
    h_write64(h, SMMU_EVENTQ_IRQ_CFG0, 0);
    h_write32(h, SMMU_IRQ_CTRL, irqs);
    assert_int_equal(h_read32(h, SMMU_IRQ_CTRLACK), irqs);
    h_write32(h, SMMU_CR0, 0xd);
    assert_int_equal(h_read32(h, SMMU_CR0ACK), 0xd);
    /* No interrupt was raised by a clean reset. */
    assert_false(emul_vgic_level(h->d, H_EVTQ_VIRQ));
    assert_false(emul_vgic_level(h->d, H_GERROR_VIRQ));
    /* Shutdown: CR0=0, poll. */
    h_write32(h, SMMU_CR0, 0);
    assert_int_equal(h_read32(h, SMMU_CR0ACK), 0);
}

/* S7.2 kexec: a second reset while SMMUEN=1 goes through GBPA first. */
static void test_linux_reset_while_enabled(void **state)
{
    struct harness *h = *state;

    h_write32(h, SMMU_GBPA, SMMU_GBPA_UPDATE);  /* bypass */
    h_write32(h, SMMU_CR0, SMMU_CR0_SMMUEN);
    assert_false(h_read32(h, SMMU_GBPA) & SMMU_GBPA_UPDATE);
    h_write32(h, SMMU_GBPA, h_read32(h, SMMU_GBPA) | SMMU_GBPA_ABORT |
                            SMMU_GBPA_UPDATE);
    assert_false(h_read32(h, SMMU_GBPA) & SMMU_GBPA_UPDATE);
    assert_true(h_read32(h, SMMU_GBPA) & SMMU_GBPA_ABORT);
    h_write32(h, SMMU_CR0, 0);
    assert_int_equal(h_read32(h, SMMU_CR0ACK), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_frame_is_128k),
        T(test_page1_evtq_pointers_not_page0),
        T(test_page1_does_not_alias_page0),
        T(test_page0_undefined_razwi),
        T(test_page1_reserved_razwi),
        T(test_undefined_64bit_razwi),
        T(test_narrow_access_aborts),
        T(test_64bit_access_to_32bit_register_aborts),
        T(test_64bit_register_halves),
        T(test_unaligned_access_aborts),
        T(test_narrow_access_to_undefined_aborts),
        T(test_bad_access_log_ratelimited),
        T(test_32bit_write_ignores_upper_register_bits),
        T(test_ro_registers_ignore_writes),
        T(test_reset_values),
        T(test_iidr_neutral),
        T(test_aidr),
        T(test_cr0_accepted_bits),
        T(test_cr0ack_never_unadvertised_bits),
        T(test_cr1_cr2_stored),
        T(test_gbpa_reset_aborts),
        T(test_gbpa_write_without_update_ignored),
        T(test_gbpa_update_completes),
        T(test_agbpa_razwi),
        T(test_statusr_zero),
        T(test_irq_ctrl_ack),
        T(test_gerror_toggle_protocol),
        T(test_gerror_active_not_toggled_again),
        T(test_gerrorn_cannot_create_errors),
        T(test_gerror_line_level),
        T(test_gerror_line_reasserted_after_partial_ack),
        T(test_irq_cfg_registers),
        T(test_strtab_base_fields),
        T(test_strtab_frozen_while_enabled),
        T(test_strtab_log2size_clamped),
        T(test_strtab_fmt_not_sticky),
        T(test_cmdq_base_clamped),
        T(test_cmdq_base_frozen_while_enabled),
        T(test_cmdq_prod_masked),
        T(test_cmdq_cons_writable_only_disabled),
        T(test_queue_pointers_truncated_by_smaller_base),
        T(test_eventq_base),
        T(test_eventq_prod),
        T(test_eventq_cons),
        T(test_evtq_line_level_combinations),
        T(test_evtq_line_follows_cons),
        T(test_linux_reset_handshakes),
        T(test_linux_reset_while_enabled),
    };

    return cmocka_run_group_tests_name("registers", tests, NULL, NULL);
}
