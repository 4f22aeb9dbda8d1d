/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/id-regs/main.c
 * @ref test-id-regs
 *
 * @page test-id-regs vSMMUv3 identification registers
 *
 * IDR0-5, IIDR and AIDR follow the documented identification policy
 * (docs/registers.md, SPEC-NOTES S3): the guest gets stage 1 only, 2-level
 * stream tables, no stalls, no ATS/PRI/HYP, MSIs (S3.3), a 16-bit StreamID
 * space without substreams, the configured queue sizes, no PRESET/REL bits,
 * and values Linux's probe accepts (S7.1).  The values are frozen: they read
 * the same every time.
 */
#include <xtf.h>
#include <xtf/smmu.h>

const char test_title[] = "vSMMUv3 ID registers match the policy";

static uint32_t id[8];

#define EXPECT_FIELD(reg, mask, want, why)                              \
    do {                                                                \
        uint32_t v_ = MASK_EXTR(id[reg], mask);                    \
        if ( v_ != (uint32_t)(want) )                                   \
            xtf_failure("Fail: %s %s = %u, expected %u (%s)\n",         \
                        names[reg], #mask, v_, (uint32_t)(want), why);  \
    } while ( 0 )

static const char *const names[] = {
    "IDR0", "IDR1", "IDR2", "IDR3", "IDR4", "IDR5", "IIDR", "AIDR",
};

void test_main(void)
{
    unsigned int i, r, oas;

    for ( i = 0; i < 8; i++ )
    {
        uint64_t v;

        if ( !smmu_try_read(SMMU_IDR0 + 4 * i, 32, &v, NULL) )
            return xtf_failure("Fail: reading %s aborted\n", names[i]);
        id[i] = v;
        printk("%s = %#010x\n", names[i], id[i]);
    }

    /* S3.1: stage 1 only, AArch64 tables, 2-level stream tables. */
    EXPECT_FIELD(0, SMMU_IDR0_S1P, 1, "S3.1 guest owns stage 1");
    EXPECT_FIELD(0, SMMU_IDR0_S2P, 0, "S3.1 stage 2 is Xen's");
    EXPECT_FIELD(0, SMMU_IDR0_TTF, SMMU_IDR0_TTF_AARCH64, "S3.1");
    EXPECT_FIELD(0, SMMU_IDR0_ST_LEVEL, SMMU_IDR0_ST_LEVEL_2LVL, "S3.1");
    EXPECT_FIELD(0, SMMU_IDR0_STALL_MODEL, SMMU_IDR0_STALL_MODEL_TERM_ONLY,
                 "S3.1 no stalls");
    EXPECT_FIELD(0, SMMU_IDR0_TERM_MODEL, 1, "S3.1");
    /*
     * S3.3: MSI only with CMD_SYNC's MSI write implemented, which the model
     * does (docs/registers.md; cmdq-msi checks the write itself).
     */
    EXPECT_FIELD(0, SMMU_IDR0_MSI, 1, "S3.3, docs/registers.md");
    /* S3.1: nothing that is not implemented and enforced. */
    EXPECT_FIELD(0, SMMU_IDR0_ATS, 0, "S3.1 no ATS");
    EXPECT_FIELD(0, SMMU_IDR0_NS1ATS, 0, "S3.1");
    EXPECT_FIELD(0, SMMU_IDR0_PRI, 0, "S3.1 no PRI");
    EXPECT_FIELD(0, SMMU_IDR0_HYP, 0, "S3.1 no HYP");
    EXPECT_FIELD(0, SMMU_IDR0_SEV, 0, "S3.1 no SEV");
    EXPECT_FIELD(0, SMMU_IDR0_BTM, 0, "S3.1 no BTM");
    EXPECT_FIELD(0, SMMU_IDR0_HTTU, 0, "S3.1 no HTTU");
    EXPECT_FIELD(0, SMMU_IDR0_CD2L, 0, "S3.1 no CD2L");
    EXPECT_FIELD(0, SMMU_IDR0_ATOS, 0, "S3.1");
    EXPECT_FIELD(0, SMMU_IDR0_VATOS, 0, "S3.1");
    EXPECT_FIELD(0, SMMU_IDR0_VMW, 0, "S3.1");
    EXPECT_FIELD(0, SMMU_IDR0_DORMHINT, 0, "S3.1");
    EXPECT_FIELD(0, SMMU_IDR0_RME_IMPL, 0, "S3.1");
    /* S7.1: Linux refuses big-endian-only table walks. */
    if ( MASK_EXTR(id[0], SMMU_IDR0_TTENDIAN) == SMMU_IDR0_TTENDIAN_BE ||
         MASK_EXTR(id[0], SMMU_IDR0_TTENDIAN) == 1 )
        xtf_failure("Fail: IDR0.TTENDIAN %u (S7.1: mixed or LE)\n",
                    (unsigned int)MASK_EXTR(id[0], SMMU_IDR0_TTENDIAN));

    /* S3.2: the vSID space, no substreams, the configured queue sizes. */
    EXPECT_FIELD(1, SMMU_IDR1_SIDSIZE, 16, "S3.2");
    EXPECT_FIELD(1, SMMU_IDR1_SSIDSIZE, 0, "S3.2 no substreams");
    EXPECT_FIELD(1, SMMU_IDR1_CMDQS, CONFIG_VSMMUV3_CMDQS,
                 "S3.2 CONFIG_VSMMUV3_CMDQS");
    EXPECT_FIELD(1, SMMU_IDR1_EVENTQS, CONFIG_VSMMUV3_EVENTQS,
                 "S3.2 CONFIG_VSMMUV3_EVENTQS");
    EXPECT_FIELD(1, SMMU_IDR1_PRIQS, 0, "S3.1 no PRI");
    EXPECT_FIELD(1, SMMU_IDR1_ATTR_PERMS_OVR, 0, "S3.1");
    EXPECT_FIELD(1, SMMU_IDR1_ATTR_TYPES_OVR, 0, "S3.1");
    EXPECT_FIELD(1, SMMU_IDR1_REL, 0, "S3.1/S7.1");
    EXPECT_FIELD(1, SMMU_IDR1_QUEUES_PRESET, 0, "S3.1/S7.1");
    EXPECT_FIELD(1, SMMU_IDR1_TABLES_PRESET, 0, "S3.1/S7.1");
    EXPECT_FIELD(1, SMMU_IDR1_ECMDQ, 0, "S3.1");
    if ( MASK_EXTR(id[1], SMMU_IDR1_CMDQS) <= 6 )
        xtf_failure("Fail: IDR1.CMDQS <= 6: Linux refuses it (S7.1)\n");

    if ( id[2] )
        xtf_failure("Fail: IDR2 = %#x, expected 0\n", id[2]);
    if ( id[4] )
        xtf_failure("Fail: IDR4 = %#x, expected 0\n", id[4]);
    /* IDR3: range invalidation at most (relayed or split). */
    if ( id[3] & ~(uint32_t)SMMU_IDR3_RIL )
        xtf_failure("Fail: IDR3 = %#x: only RIL may be set\n", id[3]);

    /* IDR5: a valid OAS, the 4K granule Linux uses, no VAX, no stalls. */
    oas = MASK_EXTR(id[5], SMMU_IDR5_OAS);
    if ( oas > SMMU_IDR5_OAS_52 )
        xtf_failure("Fail: IDR5.OAS encoding %u is reserved\n", oas);
    else if ( (1ULL << SMMU_OAS_BITS(oas)) < xtf_ram_end() )
        xtf_failure("Fail: IDR5.OAS %u bits does not cover guest RAM\n",
                    SMMU_OAS_BITS(oas));
    EXPECT_FIELD(5, SMMU_IDR5_GRAN4K, 1, "Linux 4K pages");
    EXPECT_FIELD(5, SMMU_IDR5_VAX, 0, "no 52-bit VA");
    EXPECT_FIELD(5, SMMU_IDR5_STALL_MAX, 0, "no stalls");

    /* IIDR: Arm, product/variant/revision 0 (no guest errata paths). */
    if ( id[6] != SMMU_IIDR_IMPLEMENTER_ARM )
        xtf_failure("Fail: IIDR = %#x, expected %#x\n", id[6],
                    SMMU_IIDR_IMPLEMENTER_ARM);
    /* AIDR: the documented architecture revision. */
    if ( id[7] != VSMMUV3_AIDR )
        xtf_failure("Fail: AIDR = %#x, expected %#x\n", id[7], VSMMUV3_AIDR);

    /* Frozen: the same values, read after read. */
    for ( r = 0; r < 64; r++ )
        for ( i = 0; i < 8; i++ )
            if ( smmu_read32(SMMU_IDR0 + 4 * i) != id[i] )
                return xtf_failure("Fail: %s changed between reads\n",
                                   names[i]);

    xtf_success(NULL);
}

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
