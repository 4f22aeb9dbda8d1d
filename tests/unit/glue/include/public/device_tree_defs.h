/*
 * Xen's public device_tree_defs.h as patched by the project (the guest
 * phandles), seen as the hypervisor and the toolstack see it: its
 * definitions are for __XEN__ and __XEN_TOOLS__ only (see domctl.h here).
 */
#ifndef GLUE_PUBLIC_DEVICE_TREE_DEFS_H
#define GLUE_PUBLIC_DEVICE_TREE_DEFS_H

#define __XEN_TOOLS__ 1
#include_next <public/device_tree_defs.h>
#undef __XEN_TOOLS__

#endif
