/* SPDX-License-Identifier: GPL-2.0-only */
/* Machine memory with holes, and a guest's view of it: see machine-mem.h. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "machine-mem.h"

struct mem_region {
    uint64_t pa;
    uint64_t size;
    uint8_t *bytes;
};

struct machine_mem {
    struct mem_region regions[MACHINE_MEM_MAX_REGIONS];
    unsigned int nr;
};

struct machine_mem *machine_mem_create(void)
{
    return calloc(1, sizeof(struct machine_mem));
}

void machine_mem_destroy(struct machine_mem *mm)
{
    if (!mm)
        return;
    for (unsigned int i = 0; i < mm->nr; i++)
        free(mm->regions[i].bytes);
    free(mm);
}

int machine_mem_add(struct machine_mem *mm, uint64_t pa, uint64_t size)
{
    struct mem_region *r;

    if (mm->nr == MACHINE_MEM_MAX_REGIONS || !size || pa + size < pa)
        return -ENOSPC;
    r = &mm->regions[mm->nr];
    r->bytes = calloc(1, size);
    if (!r->bytes)
        return -ENOMEM;
    r->pa = pa;
    r->size = size;
    mm->nr++;
    return 0;
}

/* The bytes backing [pa, pa + len), or NULL if that is not all RAM. */
static uint8_t *backing(struct machine_mem *mm, uint64_t pa, size_t len)
{
    for (unsigned int i = 0; i < mm->nr; i++) {
        struct mem_region *r = &mm->regions[i];

        if (pa >= r->pa && pa - r->pa < r->size && len <= r->size - (pa - r->pa))
            return r->bytes + (pa - r->pa);
    }
    return NULL;
}

int machine_mem_read(void *ctx, uint64_t pa, void *buf, size_t len)
{
    uint8_t *src = backing(ctx, pa, len);

    if (!src)
        return -EFAULT;
    memcpy(buf, src, len);
    return 0;
}

int machine_mem_write(void *ctx, uint64_t pa, const void *buf, size_t len)
{
    uint8_t *dst = backing(ctx, pa, len);

    if (!dst)
        return -EFAULT;
    memcpy(dst, buf, len);
    return 0;
}

/* Split at stage-2 page boundaries: each page may live anywhere. */
static int guest_access(struct guest_view *v, uint64_t ipa, uint8_t *buf,
                        size_t len, bool write)
{
    while (len) {
        uint64_t in_page = SMMU_MODEL_S2_PAGE - (ipa & (SMMU_MODEL_S2_PAGE - 1));
        size_t chunk = len < in_page ? len : (size_t)in_page;
        uint64_t pa;
        int err;

        if (smmu_model_s2_lookup(v->dom, ipa, &pa, NULL))
            return -EFAULT;
        err = write ? machine_mem_write(v->mem, pa, buf, chunk)
                    : machine_mem_read(v->mem, pa, buf, chunk);
        if (err)
            return err;
        ipa += chunk;
        buf += chunk;
        len -= chunk;
    }
    return 0;
}

int guest_view_read(void *view, uint64_t ipa, void *buf, size_t len)
{
    return guest_access(view, ipa, buf, len, false);
}

int guest_view_write(void *view, uint64_t ipa, const void *buf, size_t len)
{
    return guest_access(view, ipa, (uint8_t *)buf, len, true);
}
