/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The libxl internals that libxl_arm_viommu.c uses, for host tests without
 * a hypervisor.  The public side is the real one: libxl.h with the types
 * generated from the patched libxl_types.idl, Xen's public headers of the
 * patched tree, libfdt.  Only the gc, the logging macros and the two
 * build-state fields are stand-ins, with libxl's names and semantics:
 *  - the gc frees everything at once (test_gc_free());
 *  - log messages are recorded (test_log[]) instead of printed, so tests
 *    can compare them word for word;
 *  - xc_domain_viommu_add_stream() is the test's (records its calls).
 */
#ifndef TEST_LIBXL_INTERNAL_H
#define TEST_LIBXL_INTERNAL_H

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xentoollog.h>
#include <xen-tools/common-macros.h>

/* The Arm guest ABI, whatever the host's architecture. */
#include <xen/arch-arm.h>
#ifndef xen_mk_ullong
#define xen_mk_ullong(x) x ## ULL
#endif

#include "libxl.h"

#define _hidden

/* The context: only what the piece reaches through CTX. */
typedef struct xc_interface_core xc_interface;
struct xc_dom_image;
struct libxl__ctx {
    xc_interface *xch;
};

typedef struct {
    void **ptrs;
    size_t nr;
    libxl_ctx *owner;
} libxl__gc;

void *libxl__zalloc(libxl__gc *gc, size_t size);
void *libxl__realloc(libxl__gc *gc, void *ptr, size_t size);
char *libxl__strdup(libxl__gc *gc, const char *s);
char *libxl__sprintf(libxl__gc *gc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void test_gc_free(libxl__gc *gc);

#define CTX (gc->owner)
#define GCSPRINTF(fmt, ...) (libxl__sprintf((gc), (fmt), __VA_ARGS__))
#define GCREALLOC_ARRAY(var, nmemb)                                   \
    ((var) = libxl__realloc((gc), (var), (nmemb) * sizeof(*(var))))

/* Logging: level, domid (-1 if none), errno (-1 if none), message. */
void test_log(xentoollog_level level, int domid, int errnoval,
              const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#define INVALID_DOMID_LOG (-1)
#define LOG(l, f, ...)                                                \
    test_log(XTL_##l, INVALID_DOMID_LOG, -1, (f), ##__VA_ARGS__)
#define LOGD(l, d, f, ...)                                            \
    test_log(XTL_##l, (d), -1, (f), ##__VA_ARGS__)
#define LOGED(l, d, f, ...)                                           \
    test_log(XTL_##l, (d), errno, (f), ##__VA_ARGS__)

/* Arm: a stream of a passthrough device behind the guest's vIOMMU. */
typedef struct {
    const char *node;
    const char *path;
    uint32_t index;
    uint32_t vsid;
} libxl__viommu_stream;

typedef struct {
    libxl__viommu_stream *viommu_streams;
    unsigned int num_viommu_streams;
} libxl__domain_build_state;

/* libxc */
int xc_domain_viommu_add_stream(xc_interface *xch, uint32_t domid,
                                uint32_t vsid, const char *path,
                                uint32_t index);

#endif /* TEST_LIBXL_INTERNAL_H */
