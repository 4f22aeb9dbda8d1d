/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest stage-1 page tables, CDs and STEs for tests: see pgtable.h.
 * Descriptor formats: Arm ARM D8.3 (VMSAv8-64); attribute choices follow
 * Linux's io-pgtable-arm for ARM_64_LPAE_S1 (AF, nG, AP[1] unprivileged,
 * SH = inner shareable, AttrIndx = the cacheable MAIR slot).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pgtable.h"

#define PTE_VALID           BIT(0, ULL)
#define PTE_TABLE           BIT(1, ULL)     /* table (L0-2) or page (L3) */
#define PTE_ATTRINDX        GENMASK_ULL(4, 2)
#define PTE_AP_UNPRIV       BIT(6, ULL)
#define PTE_AP_RDONLY       BIT(7, ULL)
#define PTE_SH              GENMASK_ULL(9, 8)
#define PTE_AF              BIT(10, ULL)
#define PTE_NG              BIT(11, ULL)
#define PTE_SH_IS           3
/* io-pgtable-arm's MAIR: NC, WBRWA, DEVICE_nGnRE, INC_OWBRWA. */
#define LINUX_MAIR          0xf404ff44ULL
#define LINUX_ATTRIDX_CACHE 1

/* Linux's STE cache/shareability encodings (arm-smmu-v3.h). */
#define STE_S1C_WBRA        1
#define STE_S1DSS_SSID0     2
#define CD_CACHE_WBWA       1
#define SH_OSH              2
#define SH_ISH              3

struct smmu_pgt {
    struct smmu_pgt_config cfg;
    unsigned int pgshift;
    unsigned int start_level;
    uint64_t root;
    uint64_t next_free;
};

static unsigned int level_shift(const struct smmu_pgt *p, unsigned int level)
{
    return p->pgshift + (p->pgshift - 3) * (3 - level);
}

/* Index bits resolved at @level: the start level takes what is left. */
static unsigned int level_bits(const struct smmu_pgt *p, unsigned int level)
{
    return level == p->start_level ? p->cfg.ias - level_shift(p, level)
                                   : p->pgshift - 3;
}

static bool block_allowed(const struct smmu_pgt *p, unsigned int level)
{
    return level == 2 || (level == 1 && p->pgshift == 12);
}

int smmu_pgt_write_words(const struct smmu_pgt *p, uint64_t ipa,
                         const uint64_t *words, unsigned int n)
{
    uint8_t buf[8 * SMMU_STE_DWORDS];

    if (n > SMMU_STE_DWORDS)
        return -EINVAL;
    for (unsigned int i = 0; i < n; i++)
        for (unsigned int b = 0; b < 8; b++)
            buf[8 * i + b] = words[i] >> (8 * b);
    return p->cfg.write_ipa(p->cfg.ctx, ipa, buf, 8 * n) ? -EIO : 0;
}

int smmu_pgt_read_word(const struct smmu_pgt *p, uint64_t ipa, uint64_t *w)
{
    uint8_t buf[8];

    if (p->cfg.read_ipa(p->cfg.ctx, ipa, buf, sizeof(buf)))
        return -EIO;
    *w = 0;
    for (int b = 7; b >= 0; b--)
        *w = (*w << 8) | buf[b];
    return 0;
}

uint64_t smmu_pgt_alloc(struct smmu_pgt *p, uint64_t size, uint64_t align)
{
    uint64_t at = (p->next_free + align - 1) & ~(align - 1);
    void *zero;
    int err;

    if (!size || at < p->next_free ||
        at + size > p->cfg.pool_base + p->cfg.pool_size)
        return 0;
    zero = calloc(1, size);
    if (!zero)
        return 0;
    err = p->cfg.write_ipa(p->cfg.ctx, at, zero, size);
    free(zero);
    if (err)
        return 0;
    p->next_free = at + size;
    return at;
}

struct smmu_pgt *smmu_pgt_create(const struct smmu_pgt_config *cfg)
{
    struct smmu_pgt *p;
    unsigned int stride;

    if (cfg->granule != 0x1000 && cfg->granule != 0x4000 &&
        cfg->granule != 0x10000)
        return NULL;
    if (cfg->ias < 25 || cfg->ias > 48 || !cfg->write_ipa || !cfg->read_ipa)
        return NULL;
    p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    p->cfg = *cfg;
    p->pgshift = __builtin_ctz(cfg->granule);
    stride = p->pgshift - 3;
    p->start_level = 4 - (cfg->ias - 4) / stride;
    p->next_free = cfg->pool_base;
    /* Every table gets a whole granule, which also aligns the root. */
    p->root = smmu_pgt_alloc(p, cfg->granule, cfg->granule);
    if (!p->root) {
        free(p);
        return NULL;
    }
    return p;
}

void smmu_pgt_destroy(struct smmu_pgt *p)
{
    free(p);
}

uint64_t smmu_pgt_ttb(const struct smmu_pgt *p)
{
    return p->root;
}

unsigned int smmu_pgt_t0sz(const struct smmu_pgt *p)
{
    return 64 - p->cfg.ias;
}

unsigned int smmu_pgt_start_level(const struct smmu_pgt *p)
{
    return p->start_level;
}

uint64_t smmu_pgt_level_size(const struct smmu_pgt *p, unsigned int level)
{
    return 1ULL << level_shift(p, level);
}

static uint64_t desc_addr(const struct smmu_pgt *p, uint64_t table,
                          uint64_t iova, unsigned int level)
{
    uint64_t index = (iova >> level_shift(p, level)) &
                     ((1ULL << level_bits(p, level)) - 1);

    return table + 8 * index;
}

/* Next-level table address in a table descriptor. */
static uint64_t table_of(const struct smmu_pgt *p, uint64_t desc)
{
    return desc & GENMASK_ULL(47, p->pgshift);
}

static bool is_leaf(uint64_t desc, unsigned int level)
{
    return level == 3 || !(desc & PTE_TABLE);
}

static uint64_t leaf_desc(const struct smmu_pgt *p, uint64_t ipa,
                          unsigned int level, unsigned int flags)
{
    uint64_t d = PTE_VALID | (level == 3 ? PTE_TABLE : 0) |
                 (ipa & GENMASK_ULL(47, level_shift(p, level))) |
                 MASK_INSR(LINUX_ATTRIDX_CACHE, PTE_ATTRINDX) |
                 MASK_INSR(PTE_SH_IS, PTE_SH);

    if (!(flags & SMMU_PGT_PRIV))
        d |= PTE_AP_UNPRIV;
    if (!(flags & SMMU_PGT_WRITE))
        d |= PTE_AP_RDONLY;
    if (!(flags & SMMU_PGT_NO_AF))
        d |= PTE_AF;
    if (!(flags & SMMU_PGT_GLOBAL))
        d |= PTE_NG;
    return d;
}

/* Map one block or page at @iova; returns the bytes it covers, or <0. */
static int64_t map_one(struct smmu_pgt *p, uint64_t iova, uint64_t ipa,
                       uint64_t remaining, unsigned int flags)
{
    uint64_t table = p->root;

    for (unsigned int level = p->start_level; level <= 3; level++) {
        uint64_t size = smmu_pgt_level_size(p, level);
        uint64_t at = desc_addr(p, table, iova, level), desc;
        bool fits = !((iova | ipa) & (size - 1)) && remaining >= size;

        if (smmu_pgt_read_word(p, at, &desc))
            return -EIO;
        if (level == 3 ||
            (fits && block_allowed(p, level) && !(flags & SMMU_PGT_PAGES) &&
             !(desc & PTE_VALID))) {
            uint64_t leaf = leaf_desc(p, ipa, level, flags);

            if (desc & PTE_VALID)
                return -EEXIST;
            return smmu_pgt_write_words(p, at, &leaf, 1) ? -EIO
                                                         : (int64_t)size;
        }
        if (!(desc & PTE_VALID)) {
            uint64_t next = smmu_pgt_alloc(p, p->cfg.granule,
                                           p->cfg.granule);

            if (!next)
                return -ENOMEM;
            desc = next | PTE_TABLE | PTE_VALID;
            if (smmu_pgt_write_words(p, at, &desc, 1))
                return -EIO;
        } else if (is_leaf(desc, level)) {
            return -EEXIST;
        }
        table = table_of(p, desc);
    }
    return -EINVAL;     /* not reached: level 3 always maps */
}

int smmu_pgt_map(struct smmu_pgt *p, uint64_t iova, uint64_t ipa,
                 uint64_t size, unsigned int flags)
{
    uint64_t mask = p->cfg.granule - 1;

    if (((iova | ipa | size) & mask) || !size ||
        (iova + size - 1) >> p->cfg.ias)
        return -EINVAL;
    while (size) {
        int64_t done = map_one(p, iova, ipa, size, flags);

        if (done < 0)
            return (int)done;
        iova += done;
        ipa += done;
        size -= done;
    }
    return 0;
}

/*
 * Clear the leaf translating @iova; returns the bytes to skip (the leaf,
 * or the unmapped region at the level where the walk stopped), or <0.
 */
static int64_t unmap_one(struct smmu_pgt *p, uint64_t iova,
                         uint64_t remaining)
{
    uint64_t table = p->root;

    for (unsigned int level = p->start_level; level <= 3; level++) {
        uint64_t size = smmu_pgt_level_size(p, level);
        uint64_t at = desc_addr(p, table, iova, level), desc, zero = 0;
        uint64_t to_boundary = size - (iova & (size - 1));

        if (smmu_pgt_read_word(p, at, &desc))
            return -EIO;
        if (!(desc & PTE_VALID))
            return to_boundary < remaining ? to_boundary : remaining;
        if (is_leaf(desc, level)) {
            if ((iova & (size - 1)) || remaining < size)
                return -EINVAL;
            return smmu_pgt_write_words(p, at, &zero, 1) ? -EIO
                                                         : (int64_t)size;
        }
        table = table_of(p, desc);
    }
    return -EINVAL;
}

int smmu_pgt_unmap(struct smmu_pgt *p, uint64_t iova, uint64_t size)
{
    if (((iova | size) & (p->cfg.granule - 1)) || !size)
        return -EINVAL;
    while (size) {
        int64_t done = unmap_one(p, iova, size);

        if (done < 0)
            return (int)done;
        iova += done;
        size -= done;
    }
    return 0;
}

int smmu_pgt_desc_ipa(struct smmu_pgt *p, uint64_t iova, unsigned int level,
                      uint64_t *desc_ipa)
{
    uint64_t table = p->root;

    if (level < p->start_level || level > 3)
        return -EINVAL;
    for (unsigned int l = p->start_level; ; l++) {
        uint64_t at = desc_addr(p, table, iova, l), desc;

        if (l == level) {
            *desc_ipa = at;
            return 0;
        }
        if (smmu_pgt_read_word(p, at, &desc))
            return -EIO;
        if (!(desc & PTE_VALID) || is_leaf(desc, l))
            return -ENOENT;
        table = table_of(p, desc);
    }
}

/*
 * Context descriptors and stream table entries.
 */
void smmu_build_cd(uint64_t cd[SMMU_CD_DWORDS],
                   const struct smmu_cd_params *prm)
{
    unsigned int cache = prm->noncoherent ? 0 : CD_CACHE_WBWA;

    memset(cd, 0, SMMU_CD_SIZE);
    cd[0] = MASK_INSR(prm->t0sz, SMMU_CD0_T0SZ) |
            MASK_INSR(prm->tg0, SMMU_CD0_TG0) |
            MASK_INSR(cache, SMMU_CD0_IRGN0) |
            MASK_INSR(cache, SMMU_CD0_ORGN0) |
            MASK_INSR(prm->noncoherent ? SH_OSH : SH_ISH, SMMU_CD0_SH0) |
            SMMU_CD0_EPD1 | SMMU_CD0_V |
            MASK_INSR(prm->ips, SMMU_CD0_IPS) |
            SMMU_CD0_AA64 | SMMU_CD0_R | SMMU_CD0_A | SMMU_CD0_ASET |
            MASK_INSR(prm->asid, SMMU_CD0_ASID);
    cd[1] = prm->ttb0 & SMMU_CD1_TTB0;
    cd[3] = LINUX_MAIR;
}

void smmu_pgt_cd_params(const struct smmu_pgt *p, uint16_t asid,
                        struct smmu_cd_params *prm)
{
    memset(prm, 0, sizeof(*prm));
    prm->ttb0 = p->root;
    prm->t0sz = smmu_pgt_t0sz(p);
    prm->tg0 = p->pgshift == 12 ? SMMU_CD_TG0_4K :
               p->pgshift == 14 ? SMMU_CD_TG0_16K : SMMU_CD_TG0_64K;
    prm->ips = SMMU_IDR5_OAS_48;
    prm->asid = asid;
}

void smmu_build_ste_abort(uint64_t ste[SMMU_STE_DWORDS])
{
    memset(ste, 0, SMMU_STE_SIZE);
    ste[0] = SMMU_STE0_V |
             MASK_INSR(SMMU_STE_CONFIG_ABORT, SMMU_STE0_CONFIG);
}

void smmu_build_ste_bypass(uint64_t ste[SMMU_STE_DWORDS])
{
    memset(ste, 0, SMMU_STE_SIZE);
    ste[0] = SMMU_STE0_V |
             MASK_INSR(SMMU_STE_CONFIG_BYPASS, SMMU_STE0_CONFIG);
}

void smmu_build_ste_s1(uint64_t ste[SMMU_STE_DWORDS], uint64_t cd_ipa)
{
    memset(ste, 0, SMMU_STE_SIZE);
    ste[0] = SMMU_STE0_V |
             MASK_INSR(SMMU_STE_CONFIG_S1_TRANS, SMMU_STE0_CONFIG) |
             MASK_INSR(SMMU_STE_S1FMT_LINEAR, SMMU_STE0_S1FMT) |
             (cd_ipa & SMMU_STE0_S1CTXPTR);
    ste[1] = MASK_INSR(STE_S1DSS_SSID0, SMMU_STE1_S1DSS) |
             MASK_INSR(STE_S1C_WBRA, SMMU_STE1_S1CIR) |
             MASK_INSR(STE_S1C_WBRA, SMMU_STE1_S1COR) |
             MASK_INSR(SH_ISH, SMMU_STE1_S1CSH);
}
