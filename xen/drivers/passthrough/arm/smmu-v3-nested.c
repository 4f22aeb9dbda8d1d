/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Nesting a guest's stage 1 on Xen's stage 2: capabilities, STE
 * composition, STE update order and invalidation checks (see the header).
 * Pure functions of their arguments: the host tests compile this file.
 */

#include <xen/errno.h>
#include <xen/lib.h>

#include "smmu-v3-nested.h"

/* IIDR product IDs of Arm's own SMMUs (their TRMs). */
#define IIDR_PRODUCT_ARM_MMU_600    0x483
#define IIDR_PRODUCT_ARM_MMU_700    0x487

const char *smmuv3_nested_refusal(const struct vsmmuv3_phys_caps *caps)
{
    uint32_t idr0 = caps->idr[0];
    unsigned int product = MASK_EXTR(caps->iidr, SMMU_IIDR_PRODUCTID);
    unsigned int variant = MASK_EXTR(caps->iidr, SMMU_IIDR_VARIANT);

    if ( !(idr0 & SMMU_IDR0_S1P) || !(idr0 & SMMU_IDR0_S2P) )
        return "stage 1 and stage 2 are not both implemented";
    if ( !(MASK_EXTR(idr0, SMMU_IDR0_TTF) & SMMU_IDR0_TTF_AARCH64) )
        return "no AArch64 translation tables";
    if ( !(idr0 & SMMU_IDR0_COHACC) )
        return "table walks are not coherent";
    /* Every fault would stall, and no stall is offered to the guest. */
    if ( MASK_EXTR(idr0, SMMU_IDR0_STALL_MODEL) ==
         SMMU_IDR0_STALL_MODEL_STALL_FORCE )
        return "stalls cannot be disabled (IDR0.STALL_MODEL)";

    /* The errata Linux's driver also disables nesting for. */
    if ( MASK_EXTR(caps->iidr, SMMU_IIDR_IMPLEMENTER) ==
         SMMU_IIDR_IMPLEMENTER_ARM )
    {
        if ( product == IIDR_PRODUCT_ARM_MMU_600 && variant < 2 )
            return "Arm MMU-600 before r2p0 (erratum 1209401)";
        if ( product == IIDR_PRODUCT_ARM_MMU_700 )
            return "Arm MMU-700 (errata 2268618 and 2812531)";
    }
    return NULL;
}

int smmuv3_nested_make_ste(uint64_t ste[SMMUV3_NESTED_STE_WORDS],
                           enum smmuv3_nested_mode mode,
                           const uint64_t guest[2],
                           const struct smmuv3_nested_s2 *s2,
                           const struct vsmmuv3_phys_caps *caps)
{
    const uint64_t shcfg = MASK_INSR(SMMU_STE_SHCFG_INCOMING, SMMU_STE1_SHCFG);
    const uint64_t guest1 = SMMU_STE1_S1CIR | SMMU_STE1_S1COR |
                            SMMU_STE1_S1CSH;

    switch ( mode )
    {
    case SMMUV3_NESTED_ABORT:
        /* Abort uses no other field (IHI 0070 5.2). */
        ste[0] = SMMU_STE0_V |
                 MASK_INSR(SMMU_STE_CONFIG_ABORT, SMMU_STE0_CONFIG);
        ste[1] = 0;
        ste[2] = 0;
        ste[3] = 0;
        return 0;

    case SMMUV3_NESTED_S2:
        ste[0] = SMMU_STE0_V |
                 MASK_INSR(SMMU_STE_CONFIG_S2_TRANS, SMMU_STE0_CONFIG);
        ste[1] = shcfg;
        ste[2] = s2->ste2;
        ste[3] = s2->ste3;
        return 0;

    case SMMUV3_NESTED_S1S2:
        /*
         * Fail closed: only a valid, linear, single-CD stage-1
         * configuration, and only the fields of it a guest may own.
         */
        if ( (guest[0] & ~(SMMU_STE0_V | SMMU_STE0_CONFIG |
                           SMMU_STE0_S1CTXPTR)) ||
             !(guest[0] & SMMU_STE0_V) ||
             MASK_EXTR(guest[0], SMMU_STE0_CONFIG) !=
             SMMU_STE_CONFIG_S1_TRANS ||
             (guest[1] & ~guest1) )
            return -EINVAL;
        ste[0] = SMMU_STE0_V |
                 MASK_INSR(SMMU_STE_CONFIG_NESTED, SMMU_STE0_CONFIG) |
                 (guest[0] & SMMU_STE0_S1CTXPTR);
        /*
         * EL1 stream world (STRW 0), no ATS (EATS 0).  S1STALLD is RES0
         * unless the SMMU can stall: then it disables stalls, and a CD
         * asking for them (CD.S) is C_BAD_CD (IHI 0070 5.4).
         */
        ste[1] = (guest[1] & guest1) | shcfg;
        if ( MASK_EXTR(caps->idr[0], SMMU_IDR0_STALL_MODEL) ==
             SMMU_IDR0_STALL_MODEL_STALL_TERM )
            ste[1] |= SMMU_STE1_S1STALLD;
        ste[2] = s2->ste2;
        ste[3] = s2->ste3;
        return 0;
    }

    return -EINVAL;
}

/*
 * The bits of word @i an SMMU uses for the configuration of STE @ste.  A
 * change of a bit it does not use cannot be observed, whenever it is
 * made.  Abort uses only V and Config; stage 2 only does not use the
 * stage-1 fields of word 1.
 */
static uint64_t
smmuv3_nested_used_bits(const uint64_t ste[SMMUV3_NESTED_STE_WORDS],
                        unsigned int i)
{
    const uint64_t s1_fields = SMMU_STE1_S1DSS | SMMU_STE1_S1CIR |
                               SMMU_STE1_S1COR | SMMU_STE1_S1CSH |
                               SMMU_STE1_S1STALLD;

    if ( !(ste[0] & SMMU_STE0_V) )
        return i == 0 ? SMMU_STE0_V : 0;

    switch ( MASK_EXTR(ste[0], SMMU_STE0_CONFIG) )
    {
    case SMMU_STE_CONFIG_ABORT:
        return i == 0 ? SMMU_STE0_V | SMMU_STE0_CONFIG : 0;
    case SMMU_STE_CONFIG_S2_TRANS:
        if ( i == 0 )
            return SMMU_STE0_V | SMMU_STE0_CONFIG;
        return i == 1 ? ~s1_fields : ~0ULL;
    default:
        /* Nested, and anything else: every bit matters. */
        return ~0ULL;
    }
}

/*
 * Append the writes that make words [@first, @last) of @cur equal to @val,
 * then a sync if there was any.
 */
static unsigned int
smmuv3_nested_plan_set(uint64_t cur[SMMUV3_NESTED_STE_WORDS],
                       const uint64_t val[SMMUV3_NESTED_STE_WORDS],
                       unsigned int first, unsigned int last,
                       struct smmuv3_nested_write *plan, unsigned int n)
{
    unsigned int i, start = n;

    for ( i = first; i < last; i++ )
        if ( cur[i] != val[i] )
        {
            plan[n++] = (struct smmuv3_nested_write){ i, false, val[i] };
            cur[i] = val[i];
        }
    if ( n > start )
        plan[n - 1].sync = true;

    return n;
}

unsigned int smmuv3_nested_plan(const uint64_t old[SMMUV3_NESTED_STE_WORDS],
                                const uint64_t new[SMMUV3_NESTED_STE_WORDS],
                                struct smmuv3_nested_write *plan)
{
    const uint64_t abort = SMMU_STE0_V |
        MASK_INSR(SMMU_STE_CONFIG_ABORT, SMMU_STE0_CONFIG);
    uint64_t cur[SMMUV3_NESTED_STE_WORDS], step[SMMUV3_NESTED_STE_WORDS];
    unsigned int i, n = 0, critical = 0, nr_critical = 0;

    for ( i = 0; i < SMMUV3_NESTED_STE_WORDS; i++ )
    {
        uint64_t old_used = smmuv3_nested_used_bits(old, i);

        cur[i] = old[i];
        /* Bits the configuration in force ignores can change at any time. */
        step[i] = (old[i] & old_used) | (new[i] & ~old_used);
        /* A bit the new configuration uses is still to change. */
        if ( (step[i] ^ new[i]) & smmuv3_nested_used_bits(new, i) )
        {
            critical = i;
            nr_critical++;
        }
    }

    if ( nr_critical <= 1 )
    {
        /*
         * The ignored bits first; then the one word whose used bits change,
         * by one 64-bit store, which switches from the old configuration
         * to the new; then the bits the new one ignores.
         */
        if ( nr_critical )
            step[critical] = old[critical];
        n = smmuv3_nested_plan_set(cur, step, 0, SMMUV3_NESTED_STE_WORDS,
                                   plan, n);
        if ( nr_critical )
            n = smmuv3_nested_plan_set(cur, new, critical, critical + 1, plan,
                                       n);
        n = smmuv3_nested_plan_set(cur, new, 0, SMMUV3_NESTED_STE_WORDS, plan,
                                   n);
    }
    else
    {
        /*
         * Used bits of several words change: abort meanwhile, so that no
         * transaction sees half of each configuration.  Abort uses word 0
         * alone, which one store writes whole.
         */
        step[0] = abort;
        n = smmuv3_nested_plan_set(cur, step, 0, 1, plan, n);
        n = smmuv3_nested_plan_set(cur, new, 1, SMMUV3_NESTED_STE_WORDS, plan,
                                   n);
        n = smmuv3_nested_plan_set(cur, new, 0, 1, plan, n);
    }

    return n;
}

int smmuv3_nested_check_cmd(const uint64_t cmd[2], uint16_t vmid,
                            bool (*owns)(const void *ctx, uint32_t sid),
                            const void *ctx)
{
    const uint64_t vmid_field = MASK_INSR(vmid, SMMU_CMD0_TLBI_VMID);
    const uint64_t range0 = SMMU_CMD0_TLBI_NUM | SMMU_CMD0_TLBI_SCALE;
    const uint64_t va1 = SMMU_CMD1_TLBI_ADDR | SMMU_CMD1_TLBI_LEAF |
                         SMMU_CMD1_TLBI_TG | SMMU_CMD1_TLBI_TTL;
    uint64_t allowed0, allowed1;

    switch ( cmd[0] & SMMU_CMD_OPCODE )
    {
    case SMMU_OP_TLBI_NH_ALL:
        allowed0 = 0;
        allowed1 = 0;
        break;
    case SMMU_OP_TLBI_NH_ASID:
        allowed0 = SMMU_CMD0_TLBI_ASID;
        allowed1 = 0;
        break;
    case SMMU_OP_TLBI_NH_VA:
        allowed0 = SMMU_CMD0_TLBI_ASID | range0;
        allowed1 = va1;
        break;
    case SMMU_OP_TLBI_NH_VAA:
        allowed0 = range0;
        allowed1 = va1;
        break;
    case SMMU_OP_CFGI_CD:
    case SMMU_OP_CFGI_CD_ALL:
        if ( cmd[0] & ~(SMMU_CMD_OPCODE | SMMU_CMD0_SID) ||
             cmd[1] & ~((cmd[0] & SMMU_CMD_OPCODE) == SMMU_OP_CFGI_CD
                        ? SMMU_CMD1_LEAF : 0) )
            return -EINVAL;
        return owns(ctx, MASK_EXTR(cmd[0], SMMU_CMD0_SID)) ? 0
                                                                : -EPERM;
    default:
        return -EPERM;
    }

    /* A TLBI: the domain's VMID, the fields of its opcode only. */
    if ( (cmd[0] & SMMU_CMD0_TLBI_VMID) != vmid_field )
        return -EPERM;
    if ( cmd[0] & ~(SMMU_CMD_OPCODE | SMMU_CMD0_TLBI_VMID | allowed0) ||
         cmd[1] & ~allowed1 )
        return -EINVAL;
    return 0;
}

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * indent-tabs-mode: nil
 * End:
 */
