/*
 * Xen's public domctl.h as patched by the project (the build links the
 * prepared tree's public headers next to these shims), seen as on arm64:
 * the layout an Arm hypervisor and toolstack share.  __XEN_TOOLS__ rather
 * than __XEN__, whose view pulls in the hypervisor's own headers; the two
 * views of the structures viommu.c uses are the same.
 */
#ifndef GLUE_PUBLIC_DOMCTL_H
#define GLUE_PUBLIC_DOMCTL_H

#pragma push_macro("__x86_64__")
#undef __x86_64__
#define __aarch64__ 1
#define __XEN_TOOLS__ 1
#include_next <public/domctl.h>
#undef __XEN_TOOLS__
#undef __aarch64__
#pragma pop_macro("__x86_64__")

#endif
