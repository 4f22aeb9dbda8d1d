/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host test harness: a domain with guest RAM and one vSMMU, and register
 * accessors by frame offset.  The vSMMU is reached only through the MMIO
 * handler it registered, as a guest vCPU would.
 */
#ifndef HARNESS_H
#define HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "emul.h"
#include "vsmmu-v3.h"

#define H_BASE          0x04040000ULL
#define H_RAM_BASE      0x40000000ULL
#define H_RAM_SIZE      (16ULL << 20)
#define H_EVTQ_VIRQ     44
#define H_GERROR_VIRQ   45
#define H_NR_SPIS       32

struct harness {
    struct domain *d;
    struct vcpu *v;
    struct vsmmuv3 *vs;
};

/* Parameters as Xen's glue passes them with the default configuration. */
void harness_default_params(struct vsmmuv3_params *p);
/* A domain with RAM and a vSMMU made from @p (NULL: defaults). */
struct harness *harness_create(const struct vsmmuv3_params *p);
void harness_destroy(struct harness *h);

/* Register access by frame offset; these fail the test on an abort. */
uint32_t h_read32(struct harness *h, uint32_t off);
uint64_t h_read64(struct harness *h, uint32_t off);
void h_write32(struct harness *h, uint32_t off, uint32_t val);
void h_write64(struct harness *h, uint32_t off, uint64_t val);
/* Raw access: 1 handled, 0 data abort, -1 outside every handler. */
int h_access(struct harness *h, uint32_t off, unsigned int size, bool write,
             uint64_t *val);

/* Run model-internal code with the vSMMU lock held, as Xen would. */
void h_raise_gerror(struct harness *h, uint32_t errors);

#endif /* HARNESS_H */
