/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stage-1 VMSAv8-64 translation tables (Arm ARM D8.2, D8.3) for the SMMU.
 */
#include <xtf.h>
#include <xtf/s1pt.h>
#include <smmu-v3-arch.h>

/* Output address bits [47:granule] of a descriptor (no 52-bit OA). */
#define OA_MASK(pt)     (((1ULL << 48) - 1) & ~((1ULL << (pt)->gshift) - 1))

static uint64_t *new_table(struct s1_pt *pt)
{
    size_t bytes = (size_t)1 << pt->gshift;

    pt->tables++;
    return xtf_alloc(bytes, bytes);
}

bool s1_pt_init(struct s1_pt *pt, unsigned int gshift, unsigned int levels)
{
    unsigned int stride = gshift - 3, ias;

    memset(pt, 0, sizeof(*pt));
    if ( (gshift != 12 && gshift != 14 && gshift != 16) ||
         levels < 2 || levels > 4 )
        return false;
    ias = MIN(48U, gshift + levels * stride);
    /* The levels must all be needed (16/64 KiB: fewer than 4 for 48 bits). */
    if ( ias <= gshift + (levels - 1) * stride )
        return false;

    pt->gshift = gshift;
    pt->ias = ias;
    pt->levels = levels;
    pt->start_level = 4 - levels;
    pt->root = new_table(pt);
    return true;
}

static unsigned int index_of(const struct s1_pt *pt, uint64_t iova,
                             unsigned int level)
{
    unsigned int shift = pt->gshift + (3 - level) * (pt->gshift - 3);
    unsigned int bits = pt->gshift - 3;

    /* The start level resolves what is left of the input size. */
    if ( level == pt->start_level )
        bits = pt->ias - shift;
    return (iova >> shift) & ((1ULL << bits) - 1);
}

static volatile uint64_t *walk(struct s1_pt *pt, uint64_t iova,
                               unsigned int level, bool alloc)
{
    volatile uint64_t *table = pt->root;
    unsigned int l;

    for ( l = pt->start_level; l < level; l++ )
    {
        volatile uint64_t *e = &table[index_of(pt, iova, l)];

        if ( !(*e & S1_DESC_VALID) )
        {
            uint64_t *next;

            if ( !alloc )
                return NULL;
            next = new_table(pt);
            dsb(sy);
            *e = ((uintptr_t)next & OA_MASK(pt)) | S1_DESC_TABLE |
                 S1_DESC_VALID;
        }
        else if ( !(*e & S1_DESC_TABLE) )
            return NULL;                /* a block above @level */
        table = (volatile uint64_t *)(uintptr_t)(*e & OA_MASK(pt));
    }

    return &table[index_of(pt, iova, level)];
}

volatile uint64_t *s1_entry(struct s1_pt *pt, uint64_t iova,
                            unsigned int level)
{
    return walk(pt, iova, level, false);
}

bool s1_map(struct s1_pt *pt, uint64_t iova, uint64_t pa, unsigned int level,
            unsigned int prot)
{
    volatile uint64_t *e;
    uint64_t d;

    if ( level < pt->start_level || level > 3 )
        return false;
    e = walk(pt, iova, level, true);
    if ( !e )
        return false;

    d = (pa & OA_MASK(pt)) | S1_DESC_VALID | S1_DESC_ATTRIDX(0) |
        S1_DESC_SH_IS | S1_DESC_AF | S1_DESC_AP_EL0 |
        (prot & S1_WRITE ? 0 : S1_DESC_AP_RO) |
        (level == 3 ? S1_DESC_TABLE : 0);
    *e = d;
    dsb(sy);

    return true;
}

void s1_unmap(struct s1_pt *pt, uint64_t iova, unsigned int level)
{
    volatile uint64_t *e = walk(pt, iova, level, false);

    if ( e )
    {
        *e = 0;
        dsb(sy);
    }
}

uint64_t s1_cd0_tcr(const struct s1_pt *pt)
{
    unsigned int tg0 = pt->gshift == 12 ? SMMU_CD_TG0_4K :
                       pt->gshift == 16 ? SMMU_CD_TG0_64K : SMMU_CD_TG0_16K;

    /* Walks write-back cacheable, inner shareable (as Linux's). */
    return MASK_INSR((uint64_t)(64 - pt->ias), SMMU_CD0_T0SZ) |
           MASK_INSR((uint64_t)tg0, SMMU_CD0_TG0) |
           MASK_INSR(1ULL, SMMU_CD0_IRGN0) |
           MASK_INSR(1ULL, SMMU_CD0_ORGN0) |
           MASK_INSR(3ULL, SMMU_CD0_SH0) |
           SMMU_CD0_EPD1;
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
