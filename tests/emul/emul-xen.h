/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host emulation of exactly the Xen internals the vSMMUv3 device model calls
 * (DESIGN.md section 4), so that its .c files compile unchanged for the host.
 * The shim headers under include/xen/ and include/asm/ all lead here.
 *
 * Semantics follow Xen 4.20 where a test could tell the difference:
 * - access_guest_memory_by_gpa() copies page by page and stops at the first
 *   page that is not RAM, returning -EINVAL after a partial copy, as
 *   copy_guest() does;
 * - the vGIC records the level of every interrupt line and how often it was
 *   asserted, and refuses to reserve an interrupt twice or out of range;
 * - MMIO handlers are dispatched as io.c does (1 handled, 0 abort), and a
 *   read result wider than the access is reported as a bug (Xen master
 *   asserts on it);
 * - spinlocks are real (pthread) locks; timers fire only when the test runs
 *   them (emul_run_timers()), on the clock the test moves, and kill_timer()
 *   waits for a handler in progress, as Xen's does;
 * - printk() captures every message with its level for assertions.
 */
#ifndef EMUL_XEN_H
#define EMUL_XEN_H

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* GENMASK_ULL(), BIT(), MASK_EXTR(), MASK_INSR(): Xen's, one copy. */
#include "xen-bits.h"

/*
 * Types.  glibc's <sys/types.h> has a signed register_t of its own; Xen's
 * (arm64) is unsigned, and the model must see Xen's.
 */
#define register_t xen_register_t
typedef uint64_t xen_register_t;
typedef uint64_t paddr_t;
#define PRIpaddr "016lx"
typedef uint16_t domid_t;
typedef int64_t s_time_t;

/* Compiler and library macros. */
#define likely(x)               __builtin_expect(!!(x), 1)
#define unlikely(x)             __builtin_expect(!!(x), 0)
#define ARRAY_SIZE(a)           (sizeof(a) / sizeof((a)[0]))
#define BUILD_BUG_ON(c)         _Static_assert(!(c), "BUILD_BUG_ON(" #c ")")
#define BUILD_BUG_ON_ZERO(c)    ((int)sizeof(struct { int:-!!(c); }))
#define sizeof_field(t, m)      sizeof(((t *)NULL)->m)
#define ACCESS_ONCE(x)          (*(volatile __typeof__(x) *)&(x))
#define fallthrough             __attribute__((__fallthrough__))
#define noinline                __attribute__((__noinline__))
#define always_inline           inline __attribute__((__always_inline__))
#define __read_mostly
#define __ro_after_init
#define __init
/* Type-checking, as Xen's: mixing types is a compile error under -Werror. */
#define min(x, y)                               \
    ({                                          \
        const typeof(x) _x = (x);               \
        const typeof(y) _y = (y);               \
        (void)(&_x == &_y);                     \
        _x < _y ? _x : _y;                      \
    })
#define max(x, y)                               \
    ({                                          \
        const typeof(x) _x = (x);               \
        const typeof(y) _y = (y);               \
        (void)(&_x == &_y);                     \
        _x > _y ? _x : _y;                      \
    })
#define GENMASK(h, l) \
    (((~0UL) << (l)) & (~0UL >> (sizeof(long) * 8 - 1 - (h))))
#define IS_ALIGNED(x, a)        (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define ROUNDUP(x, a)           (((x) + (a) - 1) & ~((a) - 1))
#define PAGE_SHIFT              12
#define PAGE_SIZE               (1UL << PAGE_SHIFT)
#define PAGE_MASK               (~(PAGE_SIZE - 1))
#define BITS_PER_LONG           64

void emul_assert_failed(const char *expr, const char *file, int line)
    __attribute__((noreturn));
#define ASSERT(p) \
    do { if ( !(p) ) emul_assert_failed(#p, __FILE__, __LINE__); } while ( 0 )
#define ASSERT_UNREACHABLE()    ASSERT(!"unreachable")
#define BUG()                   emul_assert_failed("BUG", __FILE__, __LINE__)
#define BUG_ON(p) \
    do { if ( p ) emul_assert_failed(#p, __FILE__, __LINE__); } while ( 0 )

/* Time: a clock the tests move (emul_clock_advance()). */
s_time_t NOW(void);
#define MICROSECS(us)           ((s_time_t)(us) * 1000LL)
#define MILLISECS(ms)           ((s_time_t)(ms) * 1000000LL)
#define SECONDS(s)              ((s_time_t)(s) * 1000000000LL)

/* Logging (xen/config.h, xen/lib.h). */
#define XENLOG_ERR              "<0>"
#define XENLOG_WARNING          "<1>"
#define XENLOG_INFO             "<2>"
#define XENLOG_DEBUG            "<3>"
#define XENLOG_GUEST            "<G>"
#define XENLOG_G_ERR            XENLOG_GUEST XENLOG_ERR
#define XENLOG_G_WARNING        XENLOG_GUEST XENLOG_WARNING
#define XENLOG_G_INFO           XENLOG_GUEST XENLOG_INFO
#define XENLOG_G_DEBUG          XENLOG_GUEST XENLOG_DEBUG

void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Domains and vCPUs: only what the device model and the harness touch. */
struct domain;
struct emul_domain;

struct vcpu {
    unsigned int vcpu_id;
    struct domain *domain;
};

#define EMUL_MAX_VCPUS          8

struct arch_domain {
    void *viommu;
};

struct domain {
    domid_t domain_id;
    unsigned int max_vcpus;
    unsigned char is_dying;         /* DOMDYING_alive (0) or later */
    bool creation_finished;
    struct vcpu *vcpu[EMUL_MAX_VCPUS];
    struct arch_domain arch;
    struct emul_domain *emul;
};

extern __thread struct vcpu *emul_current;
#define current                 emul_current

/*
 * xen/sched.h: should a long operation stop here and continue later?  The
 * test decides (emul_preempt_every()).
 */
bool hypercall_preempt_check(void);

/* Spinlocks (xen/spinlock.h), backed by pthread mutexes. */
typedef struct {
    pthread_mutex_t m;
    pthread_t owner;
    bool held;
} spinlock_t;

#define SPIN_LOCK_UNLOCKED      { PTHREAD_MUTEX_INITIALIZER, 0, false }
#define DEFINE_SPINLOCK(l)      spinlock_t l = SPIN_LOCK_UNLOCKED
#define spin_lock_init(l)       emul_spin_lock_init(l)
void emul_spin_lock_init(spinlock_t *l);
void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
bool spin_is_locked(const spinlock_t *l);
#define spin_lock_irqsave(l, f) \
    do { (f) = 0; spin_lock(l); } while ( 0 )
#define spin_unlock_irqrestore(l, f) \
    do { (void)(f); spin_unlock(l); } while ( 0 )

/* Allocation (xen/xmalloc.h); tests can make allocations fail. */
void *_xzalloc(size_t size, size_t align);
void *_xmalloc(size_t size, size_t align);
void xfree(void *p);
#define xzalloc(t)              ((t *)_xzalloc(sizeof(t), __alignof__(t)))
#define xmalloc(t)              ((t *)_xmalloc(sizeof(t), __alignof__(t)))
#define xzalloc_array(t, n) \
    ((t *)emul_xzalloc_array(sizeof(t), __alignof__(t), (n)))
#define xmalloc_array(t, n)     xzalloc_array(t, n)
#define xzalloc_bytes(n)        _xzalloc((n), sizeof(long))
void *emul_xzalloc_array(size_t size, size_t align, unsigned long n);

/* Timers (xen/timer.h). */
struct timer {
    struct timer *next;         /* in the list of armed timers */
    s_time_t expires;
    bool armed;
    bool running;
    bool killed;
    void (*function)(void *data);
    void *data;
};
void init_timer(struct timer *t, void (*function)(void *data), void *data,
                unsigned int cpu);
void set_timer(struct timer *t, s_time_t expires);
void stop_timer(struct timer *t);
void kill_timer(struct timer *t);
unsigned int smp_processor_id(void);

/* Guest memory (asm/guest_access.h). */
int access_guest_memory_by_gpa(struct domain *d, paddr_t gpa, void *buf,
                               uint32_t size, bool is_write);

/* vGIC (asm/vgic.h). */
bool vgic_reserve_virq(struct domain *d, unsigned int virq);
void vgic_free_virq(struct domain *d, unsigned int virq);
void vgic_inject_irq(struct domain *d, struct vcpu *v, unsigned int virq,
                     bool level);

/* MMIO (asm/hsr.h, asm/mmio.h). */
enum dabt_size {
    DABT_BYTE        = 0,
    DABT_HALF_WORD   = 1,
    DABT_WORD        = 2,
    DABT_DOUBLE_WORD = 3,
};

struct hsr_dabt {
    unsigned long write:1;
    unsigned long reg:5;
    unsigned long sign:1;
    unsigned long size:2;
};

typedef struct {
    struct hsr_dabt dabt;
    paddr_t gpa;
} mmio_info_t;

enum io_state {
    IO_ABORT,
    IO_HANDLED,
    IO_UNHANDLED,
    IO_RETRY,
};

typedef int (*mmio_read_t)(struct vcpu *v, mmio_info_t *info,
                           register_t *r, void *priv);
typedef int (*mmio_write_t)(struct vcpu *v, mmio_info_t *info,
                            register_t r, void *priv);

struct mmio_handler_ops {
    mmio_read_t read;
    mmio_write_t write;
};

void register_mmio_handler(struct domain *d,
                           const struct mmio_handler_ops *ops,
                           paddr_t addr, paddr_t size, void *priv);

/* asm/vreg.h: same arithmetic as Xen's VREG_REG_HELPERS. */
#define VREG_REG_MASK(size) ((~0UL) >> (BITS_PER_LONG - ((1 << (size)) * 8)))

#define VREG_REG_HELPERS(sz, offmask)                                   \
static inline register_t vreg_reg##sz##_extract(uint##sz##_t reg,       \
                                                const mmio_info_t *info)\
{                                                                       \
    unsigned int offset = info->gpa & (offmask);                        \
                                                                        \
    reg >>= 8 * offset;                                                 \
    reg &= VREG_REG_MASK(info->dabt.size);                              \
                                                                        \
    return reg;                                                         \
}                                                                       \
                                                                        \
static inline void vreg_reg##sz##_update(uint##sz##_t *reg,             \
                                         register_t val,                \
                                         const mmio_info_t *info)       \
{                                                                       \
    unsigned int offset = info->gpa & (offmask);                        \
    uint##sz##_t mask = VREG_REG_MASK(info->dabt.size);                 \
    unsigned int shift = offset * 8;                                    \
                                                                        \
    *reg &= ~(mask << shift);                                           \
    *reg |= ((uint##sz##_t)val & mask) << shift;                        \
}

VREG_REG_HELPERS(64, 0x7)
VREG_REG_HELPERS(32, 0x3)

#undef VREG_REG_HELPERS

#endif /* EMUL_XEN_H */
