/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test builder for what a guest's SMMUv3 driver puts in its RAM: VMSAv8-64
 * stage-1 page tables (AArch64, 4K/16K/64K granules), context descriptors
 * and stream table entries, laid out the way Linux's io-pgtable-arm and
 * arm-smmu-v3 write them.
 *
 * Everything goes through the caller's IPA accessors, so a test can point
 * the builder at emulated guest RAM (whose IPAs stage 2 maps to machine
 * memory).  Tables come from a bump allocator over an IPA pool.
 */
#ifndef SMMU_PGTABLE_H
#define SMMU_PGTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../emul/xen-bits.h"
#include "smmu-v3-arch.h"

typedef int (*smmu_pgt_write_fn)(void *ctx, uint64_t ipa, const void *buf,
                                 size_t len);
typedef int (*smmu_pgt_read_fn)(void *ctx, uint64_t ipa, void *buf,
                                size_t len);

struct smmu_pgt_config {
    unsigned int granule;       /* 4096, 16384 or 65536 bytes */
    unsigned int ias;           /* input address bits, 25..48: T0SZ = 64-ias */
    uint64_t pool_base;         /* IPA range the allocator hands out */
    uint64_t pool_size;
    smmu_pgt_write_fn write_ipa;
    smmu_pgt_read_fn read_ipa;
    void *ctx;
};

struct smmu_pgt;

/* Creates the (zeroed) starting-level table.  NULL on bad config. */
struct smmu_pgt *smmu_pgt_create(const struct smmu_pgt_config *cfg);
void smmu_pgt_destroy(struct smmu_pgt *p);

uint64_t smmu_pgt_ttb(const struct smmu_pgt *p);
unsigned int smmu_pgt_t0sz(const struct smmu_pgt *p);
unsigned int smmu_pgt_start_level(const struct smmu_pgt *p);
/* Bytes mapped by one descriptor at @level (a block or a page). */
uint64_t smmu_pgt_level_size(const struct smmu_pgt *p, unsigned int level);

/* Zeroed IPA memory from the pool (for CDs, tables), 0 when exhausted. */
uint64_t smmu_pgt_alloc(struct smmu_pgt *p, uint64_t size, uint64_t align);

/* Leaf descriptor attributes. */
#define SMMU_PGT_WRITE      (1U << 0)   /* else read-only (AP[2] = 1) */
#define SMMU_PGT_PRIV       (1U << 1)   /* privileged only (AP[1] = 0) */
#define SMMU_PGT_NO_AF      (1U << 2)   /* AF = 0 */
#define SMMU_PGT_GLOBAL     (1U << 3)   /* nG = 0 (Linux always sets nG) */
#define SMMU_PGT_PAGES      (1U << 4)   /* never use block descriptors */

/*
 * Map [iova, iova + size) to [ipa, ipa + size), granule aligned, with
 * blocks where alignment allows (unless SMMU_PGT_PAGES) and pages
 * elsewhere.  -EEXIST if something is mapped there already.
 */
int smmu_pgt_map(struct smmu_pgt *p, uint64_t iova, uint64_t ipa,
                 uint64_t size, unsigned int flags);
/*
 * Clear the leaf descriptors of [iova, iova + size): no TLB invalidation,
 * tables are kept.  -EINVAL if the range cuts a block.
 */
int smmu_pgt_unmap(struct smmu_pgt *p, uint64_t iova, uint64_t size);
/*
 * IPA of the descriptor that translates @iova at @level (the tables above
 * it must exist), so tests can read or corrupt it.
 */
int smmu_pgt_desc_ipa(struct smmu_pgt *p, uint64_t iova, unsigned int level,
                      uint64_t *desc_ipa);

/* Write @n 64-bit words little-endian at @ipa (CDs, STEs, descriptors). */
int smmu_pgt_write_words(const struct smmu_pgt *p, uint64_t ipa,
                         const uint64_t *words, unsigned int n);
int smmu_pgt_read_word(const struct smmu_pgt *p, uint64_t ipa, uint64_t *w);

/*
 * Context descriptor as Linux's arm_smmu_make_s1_cd() writes it (reference
 * notes 2.5): T0SZ, TG0, IRGN0/ORGN0 = WBWA and SH0 = ISH (coherent walk)
 * or NC/OSH, EPD1 = 1, V = 1, IPS, AA64 = 1, R = 1, A = 1, ASET = 1, ASID;
 * TTB0 in word 1, Linux's MAIR in word 3.
 */
struct smmu_cd_params {
    uint64_t ttb0;
    unsigned int t0sz;
    unsigned int tg0;           /* SMMU_CD_TG0_* */
    unsigned int ips;           /* SMMU_IDR5_OAS_* encoding */
    uint16_t asid;
    bool noncoherent;
};

void smmu_build_cd(uint64_t cd[SMMU_CD_DWORDS],
                   const struct smmu_cd_params *prm);
/* The parameters of a CD for @p's tables: 48-bit IPS, coherent walk. */
void smmu_pgt_cd_params(const struct smmu_pgt *p, uint16_t asid,
                        struct smmu_cd_params *prm);

/* Stream table entries as Linux writes them (reference notes 2.5). */
void smmu_build_ste_abort(uint64_t ste[SMMU_STE_DWORDS]);
void smmu_build_ste_bypass(uint64_t ste[SMMU_STE_DWORDS]);
/*
 * V, Config = S1_TRANS, S1Fmt = linear, S1ContextPtr = @cd_ipa,
 * S1CDMax = 0, S1DSS = SSID0, S1CIR = S1COR = WBRA, S1CSH = ISH,
 * STRW = NS-EL1.
 */
void smmu_build_ste_s1(uint64_t ste[SMMU_STE_DWORDS], uint64_t cd_ipa);

#endif /* SMMU_PGTABLE_H */
