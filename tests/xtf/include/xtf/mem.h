/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest memory: a bump allocator over the RAM between the end of the image
 * and the device tree Xen placed near the end of the first bank.
 */
#ifndef XTF_MEM_H
#define XTF_MEM_H

#include <xtf/types.h>

/* Zeroed memory aligned to @align (a power of two); panics when exhausted. */
void *xtf_alloc(size_t size, size_t align);

/* The guest's first RAM bank, from its device tree's memory node. */
uint64_t xtf_ram_base(void);
uint64_t xtf_ram_end(void);

#endif /* XTF_MEM_H */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
