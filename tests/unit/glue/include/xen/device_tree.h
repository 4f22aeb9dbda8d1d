/* SPDX-License-Identifier: GPL-2.0-only */
/* Host shim for <xen/device_tree.h>: see tests/unit/glue/glue.h. */
#ifndef GLUE_DEVICE_TREE_H
#define GLUE_DEVICE_TREE_H

#include "../../glue.h"
#include <public/domctl.h>

/* xen/device_tree.h: only what viommu.c names; no node is ever found. */
struct dt_device_node {
    const char *full_name;
};
#define MAX_PHANDLE_ARGS        16
struct dt_phandle_args {
    struct dt_device_node *np;
    int args_count;
    uint32_t args[MAX_PHANDLE_ARGS];
};
typedef struct { int unused; } rwlock_t;
extern rwlock_t dt_host_lock;
#define read_lock(l)            ((void)(l))
#define read_unlock(l)          ((void)(l))
static inline const char *dt_node_full_name(const struct dt_device_node *np)
{
    return np ? np->full_name : "<no-node>";
}
int dt_find_node_by_gpath(XEN_GUEST_HANDLE(char) u_path, uint32_t u_plen,
                          struct dt_device_node **node);
bool dt_device_is_protected(const struct dt_device_node *device);
domid_t dt_device_used_by(const struct dt_device_node *device);
int dt_parse_phandle_with_args(const struct dt_device_node *np,
                               const char *list_name, const char *cells_name,
                               int index, struct dt_phandle_args *out_args);

#endif
