/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A read-only flattened device tree reader, enough to inspect the tree Xen
 * built for the guest.  Nodes are named by the offset of their BEGIN_NODE
 * token in the structure block; negative values are errors.
 */
#ifndef XTF_FDT_H
#define XTF_FDT_H

#include <xtf/types.h>

#define FDT_ERR_NOTFOUND    (-1)
#define FDT_ERR_BADTREE     (-2)

/* Big-endian cells, read byte by byte (any alignment). */
uint32_t fdt32_at(const void *p);
uint64_t fdt64_at(const void *p);

/* 0 if @fdt has a valid header. */
int fdt_check(const void *fdt);
/* The root node. */
int fdt_root(const void *fdt);
/* Children of @node: first, then next after @child; FDT_ERR_NOTFOUND at the end. */
int fdt_first_child(const void *fdt, int node);
int fdt_next_sibling(const void *fdt, int child);
/* "name@unit" as written in the tree. */
const char *fdt_name(const void *fdt, int node);
/* A child of @parent whose name is exactly @name. */
int fdt_child(const void *fdt, int parent, const char *name);
/* Property @name of @node, its length in *len. */
const void *fdt_prop(const void *fdt, int node, const char *name, int *len);
/* True if @node's compatible list holds @compat. */
bool fdt_compatible(const void *fdt, int node, const char *compat);
/* The first node anywhere below @fdt's root, after @from (or -1), compatible with @compat. */
int fdt_find_compatible(const void *fdt, int from, const char *compat);
/* The node whose "phandle" is @ph. */
int fdt_find_phandle(const void *fdt, uint32_t ph);

#endif /* XTF_FDT_H */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
