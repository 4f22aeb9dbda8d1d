/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Machine memory with holes for model tests, and a guest's view of it
 * through a model domain's stage 2.  The accessors have the shapes of the
 * model's read_pa and the page-table builder's read_ipa/write_ipa.
 */
#ifndef MACHINE_MEM_H
#define MACHINE_MEM_H

#include <stddef.h>
#include <stdint.h>

#include "smmu-model.h"

#define MACHINE_MEM_MAX_REGIONS 16

struct machine_mem;

struct machine_mem *machine_mem_create(void);
void machine_mem_destroy(struct machine_mem *mm);
/* Add zeroed RAM at [pa, pa + size); everything else is a hole. */
int machine_mem_add(struct machine_mem *mm, uint64_t pa, uint64_t size);

/* Nonzero if any byte of [pa, pa + len) is in a hole. */
int machine_mem_read(void *mm, uint64_t pa, void *buf, size_t len);
int machine_mem_write(void *mm, uint64_t pa, const void *buf, size_t len);

/* Guest physical accesses: stage 2 of @dom, page by page, then @mem. */
struct guest_view {
    struct machine_mem *mem;
    const struct smmu_model_domain *dom;
};

int guest_view_read(void *view, uint64_t ipa, void *buf, size_t len);
int guest_view_write(void *view, uint64_t ipa, const void *buf, size_t len);

#endif /* MACHINE_MEM_H */
