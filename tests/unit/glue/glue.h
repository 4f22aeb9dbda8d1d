/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host glue for the vIOMMU framework (xen/drivers/passthrough/arm/viommu.c):
 * what it calls of Xen beyond the device model's internals (tests/emul/),
 * so that viommu.c compiles unchanged and its domctl handler can be driven
 * from a test with the real model behind it.  The shim headers under
 * include/ lead here; they shadow tests/emul/include.
 *
 * Semantics follow Xen 4.20 where the handler could tell the difference:
 * - copy_{to,from}_guest() keep Xen's type check and return the bytes not
 *   copied; a handle pointing into the range glue_fault_at() names faults;
 * - domain_pause()/domain_unpause() count, and the pause depth is kept
 *   (glue.depth);
 * - rcu_lock_domain_by_id() finds the domains the test registered;
 * - the device tree (include/xen/device_tree.h) has no node;
 * - __initcall()s run before main(); register_keyhandler() records the
 *   handler, which glue_key() runs as a key press would;
 * - for_each_domain() walks the domains the test registered, in order.
 */
#ifndef GLUE_H
#define GLUE_H

#include <inttypes.h>

#include "emul-xen.h"

/* xen/lib.h, xen/macros.h */
#define dprintk(lvl, fmt, ...)  printk(lvl fmt, ## __VA_ARGS__)
#ifndef MAX
#define MAX(x, y)               ((x) > (y) ? (x) : (y))
#endif
#define __maybe_unused          __attribute__((__unused__))

/* xen/sizes.h */
#define SZ_1M                   0x00100000

/* xen/xvmalloc.h */
#define xvmalloc_array(t, n)    xmalloc_array(t, n)
#define xvfree                  xfree

/* xen/irq.h, xen/iommu.h, asm/p2m.h */
#define in_irq()                false
extern bool iommu_enabled;
extern unsigned int p2m_ipa_bits;

/* xen/sched.h */
void domain_pause(struct domain *d);
void domain_unpause(struct domain *d);
struct domain *rcu_lock_domain_by_id(domid_t dom);
void rcu_unlock_domain(struct domain *d);
#define is_domain_direct_mapped(d)  false

/* xen/init.h, xen/keyhandler.h, xen/rcupdate.h, xen/softirq.h */
#define cf_check
#define __initcall(fn)                                          \
    static void __attribute__((__constructor__)) fn##_ctor(void) \
    {                                                           \
        fn();                                                   \
    }
typedef void keyhandler_fn_t(unsigned char key);
void register_keyhandler(unsigned char key, keyhandler_fn_t *fn,
                         const char *desc, bool diagnostic);
extern int domlist_read_lock;
#define rcu_read_lock(l)            ((void)(l))
#define rcu_read_unlock(l)          ((void)(l))
#define process_pending_softirqs()  ((void)0)
struct domain *glue_next_domain(const struct domain *d);
#define for_each_domain(d) \
    for ( (d) = glue_next_domain(NULL); (d); (d) = glue_next_domain(d) )

/* xen/guest_access.h, as Xen's. */
unsigned long raw_copy_to_guest(void *to, const void *from, unsigned long n);
unsigned long raw_copy_from_guest(void *to, const void *from,
                                  unsigned long n);
#define guest_handle_is_null(hnd)        ((hnd).p == NULL)
#define copy_to_guest_offset(hnd, off, ptr, nr) ({      \
    const typeof(*(ptr)) *_s = (ptr);                   \
    unsigned long d_ = (unsigned long)(hnd).p;          \
    void *__maybe_unused _t = (hnd).p;                  \
    (void)((hnd).p == _s);                              \
    raw_copy_to_guest((void *)(d_ + (off) * sizeof(*_s)), \
                      _s, (nr) * sizeof(*_s));          \
})
#define copy_from_guest_offset(ptr, hnd, off, nr) ({    \
    unsigned long s_ = (unsigned long)(hnd).p;          \
    typeof(*(ptr)) *_d = (ptr);                         \
    (void)((hnd).p == _d);                              \
    raw_copy_from_guest(_d,                             \
                        (const void *)(s_ + (off) * sizeof(*_d)), \
                        (nr) * sizeof(*_d));            \
})
#define copy_to_guest(hnd, ptr, nr)     copy_to_guest_offset(hnd, 0, ptr, nr)
#define copy_from_guest(ptr, hnd, nr)   copy_from_guest_offset(ptr, hnd, 0, nr)

/* For the tests. */
struct glue_state {
    unsigned int pauses, unpauses;      /* domain_pause(), domain_unpause() */
    int depth;                          /* pauses - unpauses */
    void *fault_lo, *fault_hi;          /* guest accesses here fault */
};
extern struct glue_state glue;
void glue_reset(void);
void glue_register_domain(struct domain *d);
/* Press @key: run its handler; false if none is registered. */
bool glue_key(unsigned char key);
/* The description @key was registered with, or NULL. */
const char *glue_key_desc(unsigned char key);

#endif /* GLUE_H */
