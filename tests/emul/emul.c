/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host emulation of the Xen internals used by the vSMMUv3 device model.
 * See emul-xen.h for what is emulated and how faithfully.
 */
#include <stdio.h>
#include <inttypes.h>

#include "emul.h"

#define EMUL_MAX_REGIONS    16
#define EMUL_MAX_HANDLERS   16
#define EMUL_MAX_VIRQ       1024
#define EMUL_LOG_ENTRIES    4096
#define EMUL_LOG_LINE       256

struct emul_region {
    paddr_t base;
    size_t size;
    uint8_t *mem;
    uint8_t *hole;              /* one byte per page: nonzero = not RAM */
};

struct emul_handler {
    paddr_t addr;
    paddr_t size;
    const struct mmio_handler_ops *ops;
    void *priv;
};

struct emul_domain {
    pthread_mutex_t lock;       /* regions, handlers, vGIC, stats */
    unsigned int nr_regions;
    struct emul_region regions[EMUL_MAX_REGIONS];
    unsigned int nr_handlers;
    struct emul_handler handlers[EMUL_MAX_HANDLERS];
    unsigned int nr_irqs;       /* 32 + nr_spis, as vgic_num_irqs() */
    bool reserved[EMUL_MAX_VIRQ];
    bool level[EMUL_MAX_VIRQ];
    unsigned long asserts[EMUL_MAX_VIRQ];
    struct emul_mem_stats stats;
    bool (*vcpu_work)(void *priv, struct vcpu *v);
    bool (*vcpu_pending)(void *priv, const struct vcpu *v);
    void *vcpu_work_priv;
};

__thread struct vcpu *emul_current;

void emul_assert_failed(const char *expr, const char *file, int line)
{
    fprintf(stderr, "Assertion '%s' failed at %s:%d\n", expr, file, line);
    abort();
}

/* Clock. */
static s_time_t emul_clock;

s_time_t NOW(void)
{
    return __atomic_load_n(&emul_clock, __ATOMIC_RELAXED);
}

void emul_clock_advance(s_time_t ns)
{
    __atomic_fetch_add(&emul_clock, ns, __ATOMIC_RELAXED);
}

/* Allocations. */
static long fail_alloc_after = -1;
static unsigned long live_allocations;
static pthread_mutex_t alloc_lock = PTHREAD_MUTEX_INITIALIZER;

static bool alloc_should_fail(void)
{
    bool fail = false;

    pthread_mutex_lock(&alloc_lock);
    if ( fail_alloc_after == 0 )
        fail = true;
    else if ( fail_alloc_after > 0 )
        fail_alloc_after--;
    if ( !fail )
        live_allocations++;
    pthread_mutex_unlock(&alloc_lock);
    return fail;
}

void emul_fail_alloc_after(long n)
{
    pthread_mutex_lock(&alloc_lock);
    fail_alloc_after = n;
    pthread_mutex_unlock(&alloc_lock);
}

unsigned long emul_live_allocations(void)
{
    unsigned long n;

    pthread_mutex_lock(&alloc_lock);
    n = live_allocations;
    pthread_mutex_unlock(&alloc_lock);
    return n;
}

void *_xmalloc(size_t size, size_t align)
{
    void *p;

    if ( alloc_should_fail() )
        return NULL;
    if ( align < sizeof(void *) )
        align = sizeof(void *);
    if ( posix_memalign(&p, align, size ? size : 1) )
        abort();
    return p;
}

void *_xzalloc(size_t size, size_t align)
{
    void *p = _xmalloc(size, align);

    if ( p )
        memset(p, 0, size);
    return p;
}

void *emul_xzalloc_array(size_t size, size_t align, unsigned long n)
{
    if ( n && size > SIZE_MAX / n )
        return NULL;
    return _xzalloc(size * n, align);
}

void xfree(void *p)
{
    if ( !p )
        return;
    pthread_mutex_lock(&alloc_lock);
    live_allocations--;
    pthread_mutex_unlock(&alloc_lock);
    free(p);
}

/* Spinlocks. */
void emul_spin_lock_init(spinlock_t *l)
{
    pthread_mutexattr_t a;

    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&l->m, &a);
    pthread_mutexattr_destroy(&a);
    l->held = false;
}

void spin_lock(spinlock_t *l)
{
    if ( pthread_mutex_lock(&l->m) )
        emul_assert_failed("spin_lock: recursion or bad lock", __FILE__,
                           __LINE__);
    l->owner = pthread_self();
    __atomic_store_n(&l->held, true, __ATOMIC_RELAXED);
}

void spin_unlock(spinlock_t *l)
{
    __atomic_store_n(&l->held, false, __ATOMIC_RELAXED);
    if ( pthread_mutex_unlock(&l->m) )
        emul_assert_failed("spin_unlock: not the owner", __FILE__, __LINE__);
}

bool spin_is_locked(const spinlock_t *l)
{
    /* Xen's ASSERT(spin_is_locked()) means "held by this CPU" in practice. */
    return __atomic_load_n(&l->held, __ATOMIC_RELAXED) &&
           pthread_equal(l->owner, pthread_self());
}

/* Log capture: every printk() with its level, optionally echoed. */
struct emul_log_entry {
    int level;
    bool guest;
    char text[EMUL_LOG_LINE];
};

static struct emul_log_entry log_ring[EMUL_LOG_ENTRIES];
static unsigned int log_total;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * Format @fmt with Xen's extensions %pd (domain) and %pv (vCPU), the rest
 * as C does.  One conversion at a time so that each argument is fetched with
 * its own type.
 */
static void emul_vformat(char *out, size_t len, const char *fmt, va_list ap)
{
    size_t n = 0;

    while ( *fmt && n + 1 < len )
    {
        char spec[32], piece[EMUL_LOG_LINE];
        const char *start = fmt;
        size_t sl;
        char conv;
        int lmod = 0;           /* number of 'l' */
        bool zmod = false, hmod = false;

        if ( *fmt != '%' )
        {
            out[n++] = *fmt++;
            continue;
        }
        fmt++;
        if ( *fmt == '%' )
        {
            out[n++] = '%';
            fmt++;
            continue;
        }
        while ( *fmt && strchr("-+ #0", *fmt) )
            fmt++;
        while ( (*fmt >= '0' && *fmt <= '9') || *fmt == '.' || *fmt == '*' )
            fmt++;
        while ( *fmt && strchr("hlzjt", *fmt) )
        {
            if ( *fmt == 'l' )
                lmod++;
            else if ( *fmt == 'h' )
                hmod = true;
            else
                zmod = true;
            fmt++;
        }
        conv = *fmt ? *fmt++ : 'd';
        sl = (size_t)(fmt - start);
        if ( sl >= sizeof(spec) )
            sl = sizeof(spec) - 1;
        memcpy(spec, start, sl);
        spec[sl] = '\0';
        if ( strchr(spec, '*') )
            emul_assert_failed("emul printk: '*' width unsupported",
                               __FILE__, __LINE__);

        if ( conv == 'p' && (*fmt == 'd' || *fmt == 'v') )
        {
            const void *p = va_arg(ap, const void *);

            if ( *fmt == 'd' )
            {
                const struct domain *d = p;

                snprintf(piece, sizeof(piece), "d%u",
                         d ? d->domain_id : 32767);
            }
            else
            {
                const struct vcpu *v = p;

                snprintf(piece, sizeof(piece), "d%uv%u",
                         v ? v->domain->domain_id : 32767,
                         v ? v->vcpu_id : 0);
            }
            fmt++;
        }
        else if ( conv == 's' )
            snprintf(piece, sizeof(piece), spec, va_arg(ap, const char *));
        else if ( conv == 'p' )
            snprintf(piece, sizeof(piece), spec, va_arg(ap, void *));
        else if ( conv == 'c' )
            snprintf(piece, sizeof(piece), spec, va_arg(ap, int));
        else if ( lmod >= 1 || zmod )
            snprintf(piece, sizeof(piece), spec, va_arg(ap, long));
        else
        {
            (void)hmod;
            snprintf(piece, sizeof(piece), spec, va_arg(ap, int));
        }
        for ( sl = 0; piece[sl] && n + 1 < len; sl++ )
            out[n++] = piece[sl];
    }
    out[n] = '\0';
}

void printk(const char *fmt, ...)
{
    struct emul_log_entry e = { .level = 1 };   /* Xen's default: WARNING */
    va_list ap;

    /* Xen's prefixes: "<G>" marks guest-triggered, "<0>".."<3>" the level. */
    while ( fmt[0] == '<' && fmt[1] && fmt[2] == '>' )
    {
        if ( fmt[1] == 'G' )
            e.guest = true;
        else if ( fmt[1] >= '0' && fmt[1] <= '3' )
            e.level = fmt[1] - '0';
        fmt += 3;
    }
    va_start(ap, fmt);
    emul_vformat(e.text, sizeof(e.text), fmt, ap);
    va_end(ap);

    pthread_mutex_lock(&log_lock);
    log_ring[log_total % EMUL_LOG_ENTRIES] = e;
    log_total++;
    pthread_mutex_unlock(&log_lock);

    if ( getenv("EMUL_LOG") )
        fprintf(stderr, "(xen)%s %s", e.guest ? " G" : "", e.text);
}

void emul_log_clear(void)
{
    pthread_mutex_lock(&log_lock);
    log_total = 0;
    pthread_mutex_unlock(&log_lock);
}

unsigned int emul_log_total(void)
{
    unsigned int n;

    pthread_mutex_lock(&log_lock);
    n = log_total;
    pthread_mutex_unlock(&log_lock);
    return n;
}

unsigned int emul_log_count(const char *substr)
{
    unsigned int i, n = 0, first;

    pthread_mutex_lock(&log_lock);
    first = log_total > EMUL_LOG_ENTRIES ? log_total - EMUL_LOG_ENTRIES : 0;
    for ( i = first; i < log_total; i++ )
        if ( strstr(log_ring[i % EMUL_LOG_ENTRIES].text, substr) )
            n++;
    pthread_mutex_unlock(&log_lock);
    return n;
}

const char *emul_log_last(void)
{
    const char *s = "";

    pthread_mutex_lock(&log_lock);
    if ( log_total )
        s = log_ring[(log_total - 1) % EMUL_LOG_ENTRIES].text;
    pthread_mutex_unlock(&log_lock);
    return s;
}

void emul_log_last_level(int *level, bool *guest)
{
    pthread_mutex_lock(&log_lock);
    *level = -1;
    *guest = false;
    if ( log_total )
    {
        *level = log_ring[(log_total - 1) % EMUL_LOG_ENTRIES].level;
        *guest = log_ring[(log_total - 1) % EMUL_LOG_ENTRIES].guest;
    }
    pthread_mutex_unlock(&log_lock);
}

/* Domains. */
struct domain *emul_domain_create(domid_t id, unsigned int nr_vcpus,
                                  unsigned int nr_spis)
{
    struct domain *d = calloc(1, sizeof(*d));
    unsigned int i;

    if ( !d || nr_vcpus > EMUL_MAX_VCPUS || 32 + nr_spis > EMUL_MAX_VIRQ )
        abort();
    d->domain_id = id;
    d->max_vcpus = nr_vcpus;
    d->emul = calloc(1, sizeof(*d->emul));
    if ( !d->emul )
        abort();
    pthread_mutex_init(&d->emul->lock, NULL);
    d->emul->nr_irqs = 32 + nr_spis;
    for ( i = 0; i < nr_vcpus; i++ )
    {
        d->vcpu[i] = calloc(1, sizeof(struct vcpu));
        if ( !d->vcpu[i] )
            abort();
        d->vcpu[i]->vcpu_id = i;
        d->vcpu[i]->domain = d;
    }
    return d;
}

void emul_domain_destroy(struct domain *d)
{
    unsigned int i;

    for ( i = 0; i < d->emul->nr_regions; i++ )
    {
        free(d->emul->regions[i].mem);
        free(d->emul->regions[i].hole);
    }
    for ( i = 0; i < d->max_vcpus; i++ )
        free(d->vcpu[i]);
    pthread_mutex_destroy(&d->emul->lock);
    free(d->emul);
    free(d);
}

/* Guest RAM. */
int emul_ram_add(struct domain *d, paddr_t base, size_t size)
{
    struct emul_region *r;

    if ( (base | size) & (PAGE_SIZE - 1) || !size ||
         d->emul->nr_regions == EMUL_MAX_REGIONS )
        return -EINVAL;
    r = &d->emul->regions[d->emul->nr_regions];
    r->mem = calloc(1, size);
    r->hole = calloc(1, size >> PAGE_SHIFT);
    if ( !r->mem || !r->hole )
        abort();
    r->base = base;
    r->size = size;
    d->emul->nr_regions++;
    return 0;
}

static struct emul_region *find_region(struct domain *d, paddr_t gpa)
{
    unsigned int i;

    for ( i = 0; i < d->emul->nr_regions; i++ )
    {
        struct emul_region *r = &d->emul->regions[i];

        if ( gpa >= r->base && gpa - r->base < r->size )
            return r;
    }
    return NULL;
}

int emul_ram_punch_hole(struct domain *d, paddr_t gpa, size_t size)
{
    paddr_t p;

    if ( (gpa | size) & (PAGE_SIZE - 1) )
        return -EINVAL;
    for ( p = gpa; p < gpa + size; p += PAGE_SIZE )
    {
        struct emul_region *r = find_region(d, p);

        if ( !r )
            return -ENOENT;
        r->hole[(p - r->base) >> PAGE_SHIFT] = 1;
    }
    return 0;
}

void *emul_ram_ptr(struct domain *d, paddr_t gpa, size_t len)
{
    struct emul_region *r = find_region(d, gpa);

    if ( !r || len > r->size - (gpa - r->base) )
        emul_assert_failed("emul_ram_ptr: outside guest RAM", __FILE__,
                           __LINE__);
    return r->mem + (gpa - r->base);
}

void emul_ram_write(struct domain *d, paddr_t gpa, const void *buf,
                    size_t len)
{
    memcpy(emul_ram_ptr(d, gpa, len), buf, len);
}

void emul_ram_read(struct domain *d, paddr_t gpa, void *buf, size_t len)
{
    memcpy(buf, emul_ram_ptr(d, gpa, len), len);
}

void emul_ram_write64(struct domain *d, paddr_t gpa, uint64_t val)
{
    emul_ram_write(d, gpa, &val, sizeof(val));
}

uint64_t emul_ram_read64(struct domain *d, paddr_t gpa)
{
    uint64_t v;

    emul_ram_read(d, gpa, &v, sizeof(v));
    return v;
}

uint32_t emul_ram_read32(struct domain *d, paddr_t gpa)
{
    uint32_t v;

    emul_ram_read(d, gpa, &v, sizeof(v));
    return v;
}

void emul_mem_stats(const struct domain *d, struct emul_mem_stats *st)
{
    pthread_mutex_lock(&d->emul->lock);
    *st = d->emul->stats;
    pthread_mutex_unlock(&d->emul->lock);
}

/*
 * As Xen's copy_guest(): page by page; the first page that is not RAM ends
 * the copy with -EINVAL, leaving the pages before it copied.
 */
int access_guest_memory_by_gpa(struct domain *d, paddr_t gpa, void *buf,
                               uint32_t size, bool is_write)
{
    uint8_t *p = buf;
    size_t left = size;
    int rc = 0;

    pthread_mutex_lock(&d->emul->lock);
    if ( is_write )
        d->emul->stats.writes++;
    else
        d->emul->stats.reads++;
    if ( !emul_current )
        d->emul->stats.no_vcpu++;
    while ( left )
    {
        size_t offset = gpa & (PAGE_SIZE - 1);
        size_t chunk = min(left, PAGE_SIZE - offset);
        struct emul_region *r = find_region(d, gpa);

        if ( !r || r->hole[(gpa - r->base) >> PAGE_SHIFT] )
        {
            d->emul->stats.faults++;
            rc = -EINVAL;
            break;
        }
        if ( is_write )
            memcpy(r->mem + (gpa - r->base), p, chunk);
        else
            memcpy(p, r->mem + (gpa - r->base), chunk);
        d->emul->stats.bytes += chunk;
        p += chunk;
        gpa += chunk;
        left -= chunk;
    }
    pthread_mutex_unlock(&d->emul->lock);
    return rc;
}

/* vGIC. */
bool vgic_reserve_virq(struct domain *d, unsigned int virq)
{
    bool ok;

    pthread_mutex_lock(&d->emul->lock);
    ok = virq < d->emul->nr_irqs && !d->emul->reserved[virq];
    if ( ok )
        d->emul->reserved[virq] = true;
    pthread_mutex_unlock(&d->emul->lock);
    return ok;
}

void vgic_free_virq(struct domain *d, unsigned int virq)
{
    pthread_mutex_lock(&d->emul->lock);
    if ( virq < EMUL_MAX_VIRQ )
    {
        d->emul->reserved[virq] = false;
        d->emul->level[virq] = false;
    }
    pthread_mutex_unlock(&d->emul->lock);
}

void vgic_inject_irq(struct domain *d, struct vcpu *v, unsigned int virq,
                     bool level)
{
    pthread_mutex_lock(&d->emul->lock);
    /* As Xen: an SPI injected with no vCPU must exist and be reserved. */
    if ( v == NULL && (virq < 32 || virq >= d->emul->nr_irqs) )
        emul_assert_failed("vgic_inject_irq: SPI out of range", __FILE__,
                           __LINE__);
    if ( !d->emul->reserved[virq] )
        emul_assert_failed("vgic_inject_irq: unreserved interrupt",
                           __FILE__, __LINE__);
    d->emul->level[virq] = level;
    if ( level )
        d->emul->asserts[virq]++;
    pthread_mutex_unlock(&d->emul->lock);
}

bool emul_vgic_level(const struct domain *d, unsigned int virq)
{
    bool l;

    pthread_mutex_lock(&d->emul->lock);
    l = virq < EMUL_MAX_VIRQ && d->emul->level[virq];
    pthread_mutex_unlock(&d->emul->lock);
    return l;
}

unsigned long emul_vgic_asserts(const struct domain *d, unsigned int virq)
{
    unsigned long n;

    pthread_mutex_lock(&d->emul->lock);
    n = virq < EMUL_MAX_VIRQ ? d->emul->asserts[virq] : 0;
    pthread_mutex_unlock(&d->emul->lock);
    return n;
}

bool emul_vgic_reserved(const struct domain *d, unsigned int virq)
{
    bool r;

    pthread_mutex_lock(&d->emul->lock);
    r = virq < EMUL_MAX_VIRQ && d->emul->reserved[virq];
    pthread_mutex_unlock(&d->emul->lock);
    return r;
}

/* MMIO. */
void register_mmio_handler(struct domain *d,
                           const struct mmio_handler_ops *ops,
                           paddr_t addr, paddr_t size, void *priv)
{
    struct emul_domain *e = d->emul;
    unsigned int i;

    pthread_mutex_lock(&e->lock);
    /* Xen BUG_ON()s on both: a caller must have sized and placed it. */
    if ( e->nr_handlers == EMUL_MAX_HANDLERS )
        emul_assert_failed("register_mmio_handler: table full", __FILE__,
                           __LINE__);
    for ( i = 0; i < e->nr_handlers; i++ )
        if ( addr < e->handlers[i].addr + e->handlers[i].size &&
             e->handlers[i].addr < addr + size )
            emul_assert_failed("register_mmio_handler: overlap", __FILE__,
                               __LINE__);
    e->handlers[e->nr_handlers++] = (struct emul_handler){
        .addr = addr, .size = size, .ops = ops, .priv = priv };
    pthread_mutex_unlock(&e->lock);
}

static const struct emul_handler *find_handler(struct domain *d, paddr_t gpa)
{
    const struct emul_handler *h = NULL;
    unsigned int i;

    pthread_mutex_lock(&d->emul->lock);
    for ( i = 0; i < d->emul->nr_handlers; i++ )
        if ( gpa >= d->emul->handlers[i].addr &&
             gpa - d->emul->handlers[i].addr < d->emul->handlers[i].size )
            h = &d->emul->handlers[i];
    pthread_mutex_unlock(&d->emul->lock);
    return h;
}

/* The way back to the guest. */
static bool auto_return = true;
static void (*step_hook)(void *arg, struct vcpu *v, bool trap);
static void *step_hook_arg;
static unsigned int preempt_every;
static unsigned long preempt_checks;

void emul_set_vcpu_work(struct domain *d,
                        bool (*fn)(void *priv, struct vcpu *v), void *priv)
{
    d->emul->vcpu_work = fn;
    d->emul->vcpu_work_priv = priv;
}

void emul_set_vcpu_pending(struct domain *d,
                           bool (*fn)(void *priv, const struct vcpu *v))
{
    d->emul->vcpu_pending = fn;
}

void emul_auto_return(bool on)
{
    auto_return = on;
}

void emul_set_step_hook(void (*fn)(void *arg, struct vcpu *v, bool trap),
                        void *arg)
{
    step_hook = fn;
    step_hook_arg = arg;
}

bool emul_vcpu_continue(struct vcpu *v)
{
    struct emul_domain *e = v->domain->emul;
    bool more;

    if ( !e->vcpu_work )
        return false;
    emul_current = v;
    more = e->vcpu_work(e->vcpu_work_priv, v);
    emul_current = NULL;
    if ( step_hook )
        step_hook(step_hook_arg, v, false);
    return more;
}

unsigned int emul_vcpus_continue(struct domain *d, unsigned int max)
{
    unsigned int n = 0, i;
    bool any = true;

    struct emul_domain *e = d->emul;

    while ( any && n < max )
    {
        any = false;
        for ( i = 0; i < d->max_vcpus && n < max; i++ )
        {
            bool more;

            if ( !e->vcpu_work )
                return 0;
            /*
             * A vCPU without work returns at once and makes no step.  Only
             * the pending query tells it from a vCPU whose step finished
             * its work (false too); without one, the latter goes uncounted.
             */
            if ( e->vcpu_pending &&
                 !e->vcpu_pending(e->vcpu_work_priv, d->vcpu[i]) )
                continue;
            emul_current = d->vcpu[i];
            more = e->vcpu_work(e->vcpu_work_priv, d->vcpu[i]);
            emul_current = NULL;
            if ( !more && !e->vcpu_pending )
                continue;
            n++;
            any |= more;
            if ( step_hook )
                step_hook(step_hook_arg, d->vcpu[i], false);
        }
    }
    return n;
}

/* After a trap: the trap's step is done; continue as Xen would. */
static void trap_done(struct vcpu *v)
{
    if ( step_hook )
        step_hook(step_hook_arg, v, true);
    if ( auto_return )
        while ( emul_vcpu_continue(v) )
            continue;
}

void emul_preempt_every(unsigned int n)
{
    preempt_every = n;
    preempt_checks = 0;
}

unsigned long emul_preempt_checks(void)
{
    return preempt_checks;
}

bool hypercall_preempt_check(void)
{
    preempt_checks++;
    return preempt_every && preempt_checks % preempt_every == 0;
}

int emul_mmio_read(struct vcpu *v, paddr_t gpa, unsigned int size,
                   uint64_t *val)
{
    const struct emul_handler *h = find_handler(v->domain, gpa);
    mmio_info_t info = { .dabt = { .write = 0, .size = size }, .gpa = gpa };
    register_t r = 0;
    int ret;

    if ( !h )
        return -1;
    emul_current = v;
    ret = h->ops->read(v, &info, &r, h->priv);
    emul_current = NULL;
    if ( ret && size < DABT_DOUBLE_WORD && (r >> (8U << size)) )
        emul_assert_failed("MMIO read result wider than the access",
                           __FILE__, __LINE__);
    *val = r;
    trap_done(v);
    return ret ? 1 : 0;
}

int emul_mmio_write(struct vcpu *v, paddr_t gpa, unsigned int size,
                    uint64_t val)
{
    const struct emul_handler *h = find_handler(v->domain, gpa);
    mmio_info_t info = { .dabt = { .write = 1, .size = size }, .gpa = gpa };
    int ret;

    if ( !h )
        return -1;
    emul_current = v;
    ret = h->ops->write(v, &info, val, h->priv);
    emul_current = NULL;
    trap_done(v);
    return ret ? 1 : 0;
}

uint32_t emul_read32(struct vcpu *v, paddr_t gpa)
{
    uint64_t val;

    if ( emul_mmio_read(v, gpa, DABT_WORD, &val) != 1 )
        emul_assert_failed("emul_read32: access aborted", __FILE__,
                           __LINE__);
    return val;
}

uint64_t emul_read64(struct vcpu *v, paddr_t gpa)
{
    uint64_t val;

    if ( emul_mmio_read(v, gpa, DABT_DOUBLE_WORD, &val) != 1 )
        emul_assert_failed("emul_read64: access aborted", __FILE__,
                           __LINE__);
    return val;
}

void emul_write32(struct vcpu *v, paddr_t gpa, uint32_t val)
{
    if ( emul_mmio_write(v, gpa, DABT_WORD,
                         0xdead5a5a00000000ULL | val) != 1 )
        emul_assert_failed("emul_write32: access aborted", __FILE__,
                           __LINE__);
}

void emul_write64(struct vcpu *v, paddr_t gpa, uint64_t val)
{
    if ( emul_mmio_write(v, gpa, DABT_DOUBLE_WORD, val) != 1 )
        emul_assert_failed("emul_write64: access aborted", __FILE__,
                           __LINE__);
}

/*
 * Timers.  Xen fires them from a softirq once their time has come; here the
 * test (or a harness thread) fires the due ones with emul_run_timers() and
 * moves the clock itself.  Setting a running timer arms it again; a killed
 * timer is never armed again; kill_timer() waits for a handler in progress.
 * The CPU a timer is bound to makes no difference on the host.
 */
static struct timer *timer_head;
static pthread_mutex_t timer_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t timer_done = PTHREAD_COND_INITIALIZER;

unsigned int smp_processor_id(void)
{
    return 0;
}

void init_timer(struct timer *t, void (*function)(void *data), void *data,
                unsigned int cpu)
{
    memset(t, 0, sizeof(*t));
    t->function = function;
    t->data = data;
}

static void timer_unlink_locked(struct timer *t)
{
    struct timer **pp = &timer_head;

    while ( *pp && *pp != t )
        pp = &(*pp)->next;
    if ( *pp )
        *pp = t->next;
    t->next = NULL;
    t->armed = false;
}

void set_timer(struct timer *t, s_time_t expires)
{
    pthread_mutex_lock(&timer_lock);
    if ( !t->killed )
    {
        if ( t->armed )
            timer_unlink_locked(t);
        t->expires = expires;
        t->armed = true;
        t->next = timer_head;
        timer_head = t;
    }
    pthread_mutex_unlock(&timer_lock);
}

void stop_timer(struct timer *t)
{
    pthread_mutex_lock(&timer_lock);
    if ( t->armed )
        timer_unlink_locked(t);
    pthread_mutex_unlock(&timer_lock);
}

void kill_timer(struct timer *t)
{
    pthread_mutex_lock(&timer_lock);
    if ( t->armed )
        timer_unlink_locked(t);
    t->killed = true;
    while ( t->running )
        pthread_cond_wait(&timer_done, &timer_lock);
    pthread_mutex_unlock(&timer_lock);
}

/* The armed timer that expires first (the oldest armed among equals). */
static struct timer *timer_first_locked(void)
{
    struct timer *t, *first = NULL;

    for ( t = timer_head; t; t = t->next )
        if ( !first || t->expires <= first->expires )
            first = t;
    return first;
}

unsigned int emul_run_timers(unsigned int max)
{
    unsigned int ran = 0;

    while ( ran < max )
    {
        struct timer *t;

        pthread_mutex_lock(&timer_lock);
        t = timer_first_locked();
        if ( t && t->expires <= NOW() )
        {
            timer_unlink_locked(t);
            t->running = true;
        }
        else
            t = NULL;
        pthread_mutex_unlock(&timer_lock);
        if ( !t )
            break;
        t->function(t->data);
        pthread_mutex_lock(&timer_lock);
        t->running = false;
        pthread_cond_broadcast(&timer_done);
        pthread_mutex_unlock(&timer_lock);
        ran++;
    }
    return ran;
}

unsigned int emul_timers_armed(void)
{
    unsigned int n = 0;
    const struct timer *t;

    pthread_mutex_lock(&timer_lock);
    for ( t = timer_head; t; t = t->next )
        n++;
    pthread_mutex_unlock(&timer_lock);
    return n;
}

bool emul_timer_next(s_time_t *expires)
{
    const struct timer *t;

    pthread_mutex_lock(&timer_lock);
    t = timer_first_locked();
    if ( t )
        *expires = t->expires;
    pthread_mutex_unlock(&timer_lock);
    return t;
}

unsigned int emul_run_deferred(unsigned int max)
{
    unsigned int ran = 0, n;
    s_time_t next;

    while ( ran < max )
    {
        n = emul_run_timers(max - ran);
        ran += n;
        if ( n )
            continue;
        if ( !emul_timer_next(&next) )
            break;
        if ( next > NOW() )
            emul_clock_advance(next - NOW());
    }
    return ran;
}
