/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test-facing side of the host emulation: build domains with guest RAM,
 * act as a guest vCPU doing MMIO, inspect interrupt lines, fire timers,
 * read the captured log, move the clock, make allocations fail.
 */
#ifndef EMUL_H
#define EMUL_H

#include "emul-xen.h"

/* Domains. */
struct domain *emul_domain_create(domid_t id, unsigned int nr_vcpus,
                                  unsigned int nr_spis);
void emul_domain_destroy(struct domain *d);

/* Guest RAM: page-aligned regions, and page-granular holes inside them. */
int emul_ram_add(struct domain *d, paddr_t base, size_t size);
int emul_ram_punch_hole(struct domain *d, paddr_t gpa, size_t size);
/* Direct access for tests (bypasses the accessor and its counters). */
void *emul_ram_ptr(struct domain *d, paddr_t gpa, size_t len);
void emul_ram_write(struct domain *d, paddr_t gpa, const void *buf,
                    size_t len);
void emul_ram_read(struct domain *d, paddr_t gpa, void *buf, size_t len);
void emul_ram_write64(struct domain *d, paddr_t gpa, uint64_t val);
uint64_t emul_ram_read64(struct domain *d, paddr_t gpa);
uint32_t emul_ram_read32(struct domain *d, paddr_t gpa);

/* Counters of access_guest_memory_by_gpa() calls on @d. */
struct emul_mem_stats {
    unsigned long reads;
    unsigned long writes;
    unsigned long faults;       /* calls that returned -EINVAL */
    unsigned long bytes;
    unsigned long no_vcpu;      /* calls in no vCPU's trap or continuation */
};
void emul_mem_stats(const struct domain *d, struct emul_mem_stats *st);

/*
 * Guest MMIO through the registered handlers, as io.c dispatches it.
 * @size is a DABT_* value.  Return 1 handled, 0 data abort, -1 no handler.
 */
int emul_mmio_read(struct vcpu *v, paddr_t gpa, unsigned int size,
                   uint64_t *val);
int emul_mmio_write(struct vcpu *v, paddr_t gpa, unsigned int size,
                    uint64_t val);
/*
 * Convenience accessors that fail the test on an abort.  The 32-bit write
 * puts junk in the upper half of the register, as a guest's "str wN" leaves
 * whatever Xn held: handlers must mask.
 */
uint32_t emul_read32(struct vcpu *v, paddr_t gpa);
uint64_t emul_read64(struct vcpu *v, paddr_t gpa);
void emul_write32(struct vcpu *v, paddr_t gpa, uint32_t val);
void emul_write64(struct vcpu *v, paddr_t gpa, uint64_t val);

/*
 * The way back to the guest (Xen's check_for_vcpu_work()).  After each
 * handled MMIO access, the domain's vCPU-work function is called for the
 * vCPU until it returns false, one continuation step per call, unless the
 * test turned that off with emul_auto_return(false) to interleave the
 * steps with other accesses itself (emul_vcpu_continue()).
 */
void emul_set_vcpu_work(struct domain *d,
                        bool (*fn)(void *priv, struct vcpu *v), void *priv);
/*
 * Whether @v has work left (the model's own flag): lets
 * emul_vcpus_continue() count, and hook, the step that finishes it.
 */
void emul_set_vcpu_pending(struct domain *d,
                           bool (*fn)(void *priv, const struct vcpu *v));
void emul_auto_return(bool on);
/* One continuation step of @v; true if @v has more work. */
bool emul_vcpu_continue(struct vcpu *v);
/*
 * Continuation steps of every vCPU of @d in turn until none has work, at
 * most @max; returns how many were made.
 */
unsigned int emul_vcpus_continue(struct domain *d, unsigned int max);
/*
 * Called after each step: a trap (@trap), or one continuation.  One hook
 * for all domains; NULL to remove.
 */
void emul_set_step_hook(void (*fn)(void *arg, struct vcpu *v, bool trap),
                        void *arg);
/* hypercall_preempt_check() is true at every @n-th call (0: never). */
void emul_preempt_every(unsigned int n);
unsigned long emul_preempt_checks(void);

/* vGIC. */
bool emul_vgic_level(const struct domain *d, unsigned int virq);
unsigned long emul_vgic_asserts(const struct domain *d, unsigned int virq);
bool emul_vgic_reserved(const struct domain *d, unsigned int virq);

/*
 * Timers: fire at most @max timers that are due (earliest first); returns
 * how many fired.  emul_run_deferred() also moves the clock to the next
 * expiry whenever nothing is due, until no timer is armed or @max fired.
 */
unsigned int emul_run_timers(unsigned int max);
unsigned int emul_run_deferred(unsigned int max);
unsigned int emul_timers_armed(void);
bool emul_timer_next(s_time_t *expires);     /* false: none armed */

/* Captured log. */
void emul_log_clear(void);
unsigned int emul_log_count(const char *substr);
unsigned int emul_log_total(void);
const char *emul_log_last(void);
/* Level of the last message: 0 ERR .. 3 DEBUG; guest is set for <G>. */
void emul_log_last_level(int *level, bool *guest);

/* Clock. */
void emul_clock_advance(s_time_t ns);

/* Allocations: fail the allocation after @n more succeed (-1: never). */
void emul_fail_alloc_after(long n);
unsigned long emul_live_allocations(void);

/*
 * A fake physical SMMU (a model, a test's own object) as the vSMMU names
 * a physical one: Xen gives it the SMMU's host device-tree node
 * (smmuv3_phys_t), which the model only compares.
 */
#define FAKE_PHYS(p)    ((const smmuv3_phys_t *)(const void *)(p))

#endif /* EMUL_H */
