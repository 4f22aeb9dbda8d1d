/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stage-1 translation tables of the VMSAv8-64 format (Arm ARM D8), built
 * in guest RAM for the SMMU to walk: a CD's TTB0 points at the root, every
 * table and output address is a guest physical address (Xen's stage 2
 * translates them again).  4 KiB, 16 KiB and 64 KiB granules; as many
 * levels as the input size needs.
 *
 * Attributes of every mapping: AttrIndx 0 (the CD's MAIR gives it
 * Normal, write-back), inner shareable, access flag set (no access fault),
 * readable and, with S1_WRITE, writable at any privilege.
 */
#ifndef XTF_S1PT_H
#define XTF_S1PT_H

#include <xtf/types.h>

#define S1_READ         1U
#define S1_WRITE        2U
#define S1_RW           (S1_READ | S1_WRITE)

/* Descriptor bits (D8.3). */
#define S1_DESC_VALID   (1ULL << 0)
#define S1_DESC_TABLE   (1ULL << 1)         /* table, or page at level 3 */
#define S1_DESC_ATTRIDX(i) ((uint64_t)(i) << 2)
#define S1_DESC_AP_RO   (1ULL << 7)         /* AP[2] */
#define S1_DESC_AP_EL0  (1ULL << 6)         /* AP[1] */
#define S1_DESC_SH_IS   (3ULL << 8)
#define S1_DESC_AF      (1ULL << 10)

struct s1_pt {
    unsigned int gshift;        /* log2 of the granule: 12, 14 or 16 */
    unsigned int ias;           /* input address bits: 64 - T0SZ */
    unsigned int levels;        /* of a walk */
    unsigned int start_level;   /* 4 - levels */
    uint64_t *root;
    unsigned int tables;        /* allocated so far, the root included */
};

/*
 * Empty tables of @levels levels (2 to 4) with granule 1 << @gshift: the
 * input size is the most those levels resolve, at most 48 bits (4 KiB,
 * 2 levels: 30 bits; 3: 39; 64 KiB, 2 levels: 42; 3: 48).  False if the
 * combination does not exist.
 */
bool s1_pt_init(struct s1_pt *pt, unsigned int gshift, unsigned int levels);

/* Bytes one entry of @level maps. */
static inline uint64_t s1_level_size(const struct s1_pt *pt,
                                     unsigned int level)
{
    return 1ULL << (pt->gshift + (3 - level) * (pt->gshift - 3));
}

/*
 * Map @iova to @pa with a page (@level 3) or a block (@level 1 or 2, where
 * the granule has blocks), allocating tables on the way.  @iova and @pa
 * are aligned to s1_level_size(@level).  An existing leaf is overwritten
 * (the caller invalidates).  False if the walk meets a block above @level.
 */
bool s1_map(struct s1_pt *pt, uint64_t iova, uint64_t pa, unsigned int level,
            unsigned int prot);
/* Clear the leaf of @level that maps @iova (the caller invalidates). */
void s1_unmap(struct s1_pt *pt, uint64_t iova, unsigned int level);
/* The descriptor of @level for @iova, or NULL if a table is missing. */
volatile uint64_t *s1_entry(struct s1_pt *pt, uint64_t iova,
                            unsigned int level);

/* CD word 0 translation fields for TTB0: T0SZ, TG0, walk attributes, EPD1. */
uint64_t s1_cd0_tcr(const struct s1_pt *pt);
/* The root table's address for CD word 1 (TTB0). */
static inline uint64_t s1_ttb(const struct s1_pt *pt)
{
    return (uintptr_t)pt->root;
}

#endif /* XTF_S1PT_H */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
