/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The vIOMMU framework's record domctls (viommu.c, unchanged, with the
 * device model behind it): XEN_DOMCTL_viommu_get_record's size query,
 * copy and -ENOBUFS, XEN_DOMCTL_viommu_set_record's round trip and
 * refusals, the -EINVAL/-ENODEV/-E2BIG/-EFAULT paths, what is copied back
 * to the caller's domctl and when, and the domain paused around every call
 * into the model (tests/unit/glue/ stands in for the rest of Xen; the
 * domctl layout is the patched public header's, as on arm64).  S9.1, S9.3.
 */
#include <xen/device_tree.h>
#include <asm/viommu.h>
#include <public/device_tree_defs.h>

#include "harness.h"

#define NR_VCPUS        2
#define RECORD_MAX      0x100000UL      /* viommu-ops.h's VIOMMU_RECORD_MAX */
#define POISON          0xa5

struct dctl {
    struct domain *d0;                  /* the toolstack's */
    struct domain *d1;                  /* with a vSMMU */
    struct domain *d2;                  /* without */
    struct fake_phys phys;
    struct harness h;                   /* d1, for the guest's accesses */
    struct guest g;
};

/*
 * The physical SMMU the framework asks for: the harness's fake, through
 * ops that count the calls made during a domctl, and those made while the
 * domain was not paused.
 */
static struct fake_phys *the_phys;
static bool in_domctl;
static unsigned int phys_calls, phys_calls_unpaused;

static void phys_call(void)
{
    if ( !in_domctl )
        return;
    phys_calls++;
    if ( glue.depth <= 0 )
        phys_calls_unpaused++;
}

static int w_install_nested(void *priv, uint32_t psid, const uint64_t ste[2])
{
    phys_call();
    return fake_phys_ops.install_nested(priv, psid, ste);
}

static int w_set_abort(void *priv, uint32_t psid)
{
    phys_call();
    return fake_phys_ops.set_abort(priv, psid);
}

static int w_set_s2_only(void *priv, uint32_t psid)
{
    phys_call();
    return fake_phys_ops.set_s2_only(priv, psid);
}

static int w_queue_inval(void *priv, const uint64_t (*cmds)[2],
                         unsigned int nr)
{
    phys_call();
    return fake_phys_ops.queue_inval(priv, cmds, nr);
}

static int w_sync(void *priv)
{
    phys_call();
    return fake_phys_ops.sync(priv);
}

static const struct vsmmuv3_phys_ops counted_ops = {
    .install_nested = w_install_nested,
    .set_abort = w_set_abort,
    .set_s2_only = w_set_s2_only,
    .queue_inval = w_queue_inval,
    .sync = w_sync,
};

int smmuv3_nested_get_backends(struct domain *d, struct vsmmuv3_backend *b,
                               unsigned int max)
{
    if ( !the_phys || !max )
        return 0;
    b[0] = fake_backend(the_phys, 0x33, false);
    b[0].ops = &counted_ops;
    b[0].stable_id = 0x9050000;

    return 1;
}

void smmuv3_nested_put_backends(struct domain *d,
                                const struct vsmmuv3_backend *b,
                                unsigned int nr) {}

const char *smmuv3_nested_phys_refusal(const smmuv3_phys_t *phys_id)
{
    return NULL;
}

static bool framework_vcpu_work(void *priv, struct vcpu *v)
{
    return viommu_vcpu_work(v);
}

static int setup(void **state)
{
    struct dctl *t = calloc(1, sizeof(*t));
    struct xen_domctl_createdomain cfg = {
        .flags = XEN_DOMCTL_CDF_iommu,
        .arch = {
            .viommu_type = XEN_DOMCTL_CONFIG_VIOMMU_SMMUV3,
            .nr_spis = 64,
        },
    };

    assert_non_null(t);
    glue_reset();
    emul_auto_return(true);
    emul_preempt_every(0);
    emul_set_step_hook(NULL, NULL);
    the_phys = &t->phys;

    t->d0 = emul_domain_create(0, 1, 32);
    t->d1 = emul_domain_create(1, NR_VCPUS, 64);
    t->d2 = emul_domain_create(2, 1, 32);
    assert_int_equal(emul_ram_add(t->d1, H_RAM_BASE, H_RAM_SIZE), 0);
    glue_register_domain(t->d0);
    glue_register_domain(t->d1);
    glue_register_domain(t->d2);

    assert_int_equal(viommu_sanitise_config(&cfg), 0);
    assert_int_equal(domain_viommu_init(t->d1, &cfg), 0);
    emul_set_vcpu_work(t->d1, framework_vcpu_work, NULL);
    t->d1->creation_finished = true;

    /* A guest that has done something: Linux's reset and a bound stream. */
    t->h = (struct harness){ .d = t->d1, .v = t->d1->vcpu[0] };
    current = t->h.v;
    g_reset(&t->g, &t->h, 6, 5, 5, true);
    assert_int_equal(viommu_add_stream(t->d1, 8, FAKE_PHYS(&t->phys), 0x42),
                     0);
    g_write_ste(&t->g, 8, SMMU_STE0_V |
                MASK_INSR(SMMU_STE_CONFIG_BYPASS, SMMU_STE0_CONFIG),
                0);
    g_submit(&t->g, cmd_sid(SMMU_OP_CFGI_STE, 8), 0);
    g_sync_and_wait(&t->g);
    assert_int_equal(h_read32(&t->h, SMMU_GERROR), 0);

    current = t->d0->vcpu[0];
    emul_log_clear();
    *state = t;

    return 0;
}

static int teardown(void **state)
{
    struct dctl *t = *state;

    current = t->d0->vcpu[0];
    domain_viommu_free(t->d1);
    emul_domain_destroy(t->d2);
    emul_domain_destroy(t->d1);
    emul_domain_destroy(t->d0);
    the_phys = NULL;
    free(t);

    return 0;
}

/* One domctl as do_domctl() hands it to arch_do_domctl(). */
static int domctl(struct domain *d, struct xen_domctl *caller,
                  uint32_t cmd, void *buf, uint64_t size)
{
    struct xen_domctl op;

    caller->cmd = cmd;
    caller->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    caller->domain = d->domain_id;
    caller->u.viommu_record.buffer.p = buf;
    caller->u.viommu_record.size = size;
    op = *caller;
    {
        XEN_GUEST_HANDLE_PARAM(xen_domctl_t) u = { .p = caller };
        int rc;

        in_domctl = true;
        rc = viommu_do_domctl(&op, d, u);
        in_domctl = false;

        return rc;
    }
}

static int get(struct dctl *t, struct xen_domctl *c, void *buf, uint64_t size)
{
    return domctl(t->d1, c, XEN_DOMCTL_viommu_get_record, buf, size);
}

static int set(struct dctl *t, struct xen_domctl *c, void *buf, uint64_t size)
{
    return domctl(t->d1, c, XEN_DOMCTL_viommu_set_record, buf, size);
}

/* The record now, through the domctl: its size in *@len. */
static uint8_t *record(struct dctl *t, uint64_t *len)
{
    struct xen_domctl c = { 0 };
    uint8_t *buf;

    assert_int_equal(get(t, &c, NULL, 0), 0);
    *len = c.u.viommu_record.size;
    assert_true(*len > 0 && *len <= RECORD_MAX);
    buf = malloc(*len);
    assert_non_null(buf);
    assert_int_equal(get(t, &c, buf, *len), 0);
    assert_int_equal(c.u.viommu_record.size, *len);

    return buf;
}

static void assert_balanced(unsigned int min_pauses)
{
    assert_int_equal(glue.depth, 0);
    assert_int_equal(glue.pauses, glue.unpauses);
    assert_true(glue.pauses >= min_pauses);
}

/* A NULL buffer or a zero size asks for the size; nothing else moves. */
static void test_size_query(void **state)
{
    struct dctl *t = *state;
    struct xen_domctl c;
    uint8_t buf[16];
    uint64_t len;

    memset(&c, POISON, sizeof(c));
    c.u.viommu_record.pad = 0;
    assert_int_equal(get(t, &c, NULL, 12345), 0);
    len = c.u.viommu_record.size;
    assert_true(len > 0 && len <= RECORD_MAX);
    assert_int_equal(c.u.viommu_record.streams_aborted, 0);
    assert_balanced(1);

    memset(buf, POISON, sizeof(buf));
    assert_int_equal(get(t, &c, buf, 0), 0);
    assert_int_equal(c.u.viommu_record.size, len);
    for ( unsigned int i = 0; i < sizeof(buf); i++ )
        assert_int_equal(buf[i], POISON);
}

/* Exactly the record, nothing past it; the same twice. */
static void test_copy(void **state)
{
    struct dctl *t = *state;
    struct xen_domctl c = { 0 };
    uint64_t len, i;
    uint8_t *a, *b;
    bool nonzero = false;

    a = record(t, &len);
    b = malloc(len + 64);
    assert_non_null(b);
    memset(b, POISON, len + 64);
    glue.pauses = glue.unpauses = 0;
    assert_int_equal(get(t, &c, b, len + 64), 0);
    assert_int_equal(c.u.viommu_record.size, len);
    assert_memory_equal(a, b, len);
    for ( i = len; i < len + 64; i++ )
        assert_int_equal(b[i], POISON);
    for ( i = 0; i < len; i++ )
        nonzero |= a[i] != 0;
    assert_true(nonzero);
    assert_balanced(1);
    free(a);
    free(b);
}

/* Short by one byte: -ENOBUFS, the size needed, the buffer untouched. */
static void test_enobufs(void **state)
{
    struct dctl *t = *state;
    struct xen_domctl c = { 0 };
    uint64_t len, i;
    uint8_t *a, *b;

    a = record(t, &len);
    b = malloc(len);
    assert_non_null(b);
    memset(b, POISON, len);
    assert_int_equal(get(t, &c, b, len - 1), -ENOBUFS);
    assert_int_equal(c.u.viommu_record.size, len);
    for ( i = 0; i < len; i++ )
        assert_int_equal(b[i], POISON);
    assert_int_equal(get(t, &c, b, 1), -ENOBUFS);
    assert_int_equal(c.u.viommu_record.size, len);
    assert_balanced(0);
    free(a);
    free(b);
}

/*
 * Refusals before anything is done: nothing copied back, the domain never
 * paused, the model never asked.
 */
static void expect_refused(struct dctl *t, struct domain *d, uint32_t cmd,
                           void *buf, uint64_t size, uint32_t pad, int rc)
{
    struct xen_domctl c;

    memset(&c, POISON, sizeof(c));
    c.u.viommu_record.pad = pad;
    glue.pauses = glue.unpauses = 0;
    assert_int_equal(domctl(d, &c, cmd, buf, size), rc);
    /* Nothing copied back: the OUT fields keep what the caller had. */
    assert_int_equal(c.u.viommu_record.streams_aborted, 0xa5a5a5a5U);
    assert_int_equal(c.u.viommu_record.size, size);
    assert_int_equal(glue.pauses, 0);
}

static void test_einval(void **state)
{
    struct dctl *t = *state;
    uint8_t *rec, big;
    uint64_t len;

    rec = record(t, &len);

    /* Padding not zero. */
    expect_refused(t, t->d1, XEN_DOMCTL_viommu_get_record, rec, len, 1,
                   -EINVAL);
    expect_refused(t, t->d1, XEN_DOMCTL_viommu_set_record, rec, len,
                   0x80000000U, -EINVAL);
    /* No record to set. */
    expect_refused(t, t->d1, XEN_DOMCTL_viommu_set_record, NULL, len, 0,
                   -EINVAL);
    expect_refused(t, t->d1, XEN_DOMCTL_viommu_set_record, rec, 0, 0,
                   -EINVAL);
    /* More than any record (the buffer is never read). */
    expect_refused(t, t->d1, XEN_DOMCTL_viommu_set_record, &big,
                   RECORD_MAX + 1, 0, -E2BIG);
    expect_refused(t, t->d1, XEN_DOMCTL_viommu_set_record, &big,
                   UINT64_MAX, 0, -E2BIG);
    /* A domain without a vIOMMU. */
    expect_refused(t, t->d2, XEN_DOMCTL_viommu_get_record, NULL, 0, 0,
                   -ENODEV);
    expect_refused(t, t->d2, XEN_DOMCTL_viommu_set_record, rec, len, 0,
                   -ENODEV);
    /* A domain's own: domain_pause() would never return. */
    current = t->d1->vcpu[1];
    expect_refused(t, t->d1, XEN_DOMCTL_viommu_get_record, NULL, 0, 0,
                   -EINVAL);
    expect_refused(t, t->d1, XEN_DOMCTL_viommu_set_record, rec, len, 0,
                   -EINVAL);
    current = t->d0->vcpu[0];
    /* A dying domain. */
    t->d1->is_dying = 1;
    expect_refused(t, t->d1, XEN_DOMCTL_viommu_get_record, NULL, 0, 0,
                   -EINVAL);
    expect_refused(t, t->d1, XEN_DOMCTL_viommu_set_record, rec, len, 0,
                   -EINVAL);
    t->d1->is_dying = 0;
    /* Not a record domctl: the framework says so. */
    expect_refused(t, t->d1, 0x7fff, rec, len, 0, -EOPNOTSUPP);
    free(rec);
}

/* A buffer the caller cannot reach: -EFAULT, the state as it was. */
static void test_efault(void **state)
{
    struct dctl *t = *state;
    struct xen_domctl c = { 0 };
    uint8_t *rec, *again;
    uint64_t len, len2;

    rec = record(t, &len);
    glue.fault_lo = rec;
    glue.fault_hi = rec + len;
    assert_int_equal(get(t, &c, rec, len), -EFAULT);
    assert_int_equal(set(t, &c, rec, len), -EFAULT);
    glue.fault_lo = glue.fault_hi = NULL;
    assert_balanced(0);
    again = record(t, &len2);
    assert_int_equal(len2, len);
    assert_memory_equal(rec, again, len);
    free(rec);
    free(again);
}

/* Set what get gave: accepted, the state (and so the record) the same. */
static void test_round_trip(void **state)
{
    struct dctl *t = *state;
    struct xen_domctl c;
    uint8_t *rec, *again;
    uint64_t len, len2;
    uint32_t cons;

    rec = record(t, &len);
    current = t->h.v;
    cons = h_read32(&t->h, SMMU_CMDQ_CONS);
    current = t->d0->vcpu[0];

    memset(&c, POISON, sizeof(c));
    c.u.viommu_record.pad = 0;
    glue.pauses = glue.unpauses = 0;
    phys_calls = phys_calls_unpaused = 0;
    assert_int_equal(set(t, &c, rec, len), 0);
    assert_int_equal(c.u.viommu_record.streams_aborted, 0);
    assert_balanced(1);
    /* S9.3: the bound stream re-installed, with the domain paused. */
    assert_true(phys_calls > 0);
    assert_int_equal(phys_calls_unpaused, 0);
    assert_int_equal(fake_last_install(&t->phys, 0x42)->cfg,
                     VSMMUV3_STE_S2_ONLY);

    again = record(t, &len2);
    assert_int_equal(len2, len);
    assert_memory_equal(rec, again, len);
    current = t->h.v;
    assert_int_equal(h_read32(&t->h, SMMU_CMDQ_CONS), cons);
    /* The guest carries on: a command round trip. */
    g_submit(&t->g, cmd_op(SMMU_OP_TLBI_NSNH_ALL), 0);
    g_sync_and_wait(&t->g);
    assert_int_equal(h_read32(&t->h, SMMU_GERROR), 0);
    current = t->d0->vcpu[0];
    free(rec);
    free(again);
}

/* A record the model refuses: its error, nothing copied back or changed. */
static void test_refused_record(void **state)
{
    struct dctl *t = *state;
    struct xen_domctl c;
    uint8_t *rec, *again;
    uint64_t len, len2;
    int rc;

    rec = record(t, &len);
    rec[0] ^= 0xff;                     /* the header's magic */
    memset(&c, POISON, sizeof(c));
    c.u.viommu_record.pad = 0;
    rc = set(t, &c, rec, len);
    assert_true(rc < 0);
    assert_int_equal(c.u.viommu_record.streams_aborted, 0xa5a5a5a5U);
    assert_true(emul_log_count("record refused") >= 1);
    rec[0] ^= 0xff;

    /* Truncated. */
    assert_true(set(t, &c, rec, len - 1) < 0);
    assert_true(set(t, &c, rec, 1) < 0);

    again = record(t, &len2);
    assert_int_equal(len2, len);
    assert_memory_equal(rec, again, len);
    assert_balanced(0);
    free(rec);
    free(again);
}

/*
 * A stream whose physical re-install fails: the restore completes, the
 * stream is left aborting, and the caller learns how many.
 */
static void test_streams_aborted(void **state)
{
    struct dctl *t = *state;
    struct xen_domctl c;
    uint8_t *rec;
    uint64_t len;

    rec = record(t, &len);
    t->phys.fail_install = -EIO;
    memset(&c, POISON, sizeof(c));
    c.u.viommu_record.pad = 0;
    emul_log_clear();
    assert_int_equal(set(t, &c, rec, len), 0);
    assert_int_equal(c.u.viommu_record.streams_aborted, 1);
    assert_int_equal(emul_log_count("1 stream(s) left aborting"), 1);
    assert_int_equal(fake_last_install(&t->phys, 0x42)->cfg,
                     VSMMUV3_STE_ABORT);
    t->phys.fail_install = 0;
    assert_balanced(1);
    free(rec);
}

/*
 * XEN_DOMCTL_viommu_add_stream names its device by type, as
 * XEN_DOMCTL_assign_device does: PCI is refused as not implemented (after
 * its padding is checked), an unknown type as invalid, before anything
 * else is read; a device-tree request goes on to its own checks.  The
 * layout is fixed (the same for 32-bit callers).  S9.3.
 */
static int add_stream(struct domain *d, struct xen_domctl *c)
{
    struct xen_domctl op;
    XEN_GUEST_HANDLE_PARAM(xen_domctl_t) u = { .p = c };

    c->cmd = XEN_DOMCTL_viommu_add_stream;
    c->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    c->domain = d->domain_id;
    op = *c;

    return viommu_do_domctl(&op, d, u);
}

static void test_add_stream_device_type(void **state)
{
    struct dctl *t = *state;
    struct xen_domctl c;
    static char path[] = "/soc/dma@9000000";

    BUILD_BUG_ON(offsetof(struct xen_domctl_viommu_add_stream, vsid) != 0);
    BUILD_BUG_ON(offsetof(struct xen_domctl_viommu_add_stream, dev) != 4);
    BUILD_BUG_ON(offsetof(struct xen_domctl_viommu_add_stream, u.dt.index)
                 != 8);
    BUILD_BUG_ON(offsetof(struct xen_domctl_viommu_add_stream, u.dt.size)
                 != 12);
    BUILD_BUG_ON(offsetof(struct xen_domctl_viommu_add_stream, u.dt.path)
                 != 16);
    BUILD_BUG_ON(offsetof(struct xen_domctl_viommu_add_stream, u.pci.seg)
                 != 8);
    BUILD_BUG_ON(offsetof(struct xen_domctl_viommu_add_stream, u.pci.devfn)
                 != 11);
    BUILD_BUG_ON(sizeof(struct xen_domctl_viommu_add_stream) != 24);
    BUILD_BUG_ON(offsetof(struct xen_arch_domainconfig, viommu_type) != 15);
    BUILD_BUG_ON(sizeof(struct xen_arch_domainconfig) != 16);

    memset(&c, 0, sizeof(c));
    c.u.viommu_add_stream.vsid = 1;
    c.u.viommu_add_stream.dev = XEN_DOMCTL_DEV_PCI;
    c.u.viommu_add_stream.u.pci.bus = 1;
    assert_int_equal(add_stream(t->d1, &c), -EOPNOTSUPP);
    /* Not even a domain without a vIOMMU gets further. */
    assert_int_equal(add_stream(t->d2, &c), -EOPNOTSUPP);
    for ( unsigned int i = 0; i < 3; i++ )
    {
        c.u.viommu_add_stream.u.pci.pad[i] = 1;
        assert_int_equal(add_stream(t->d1, &c), -EINVAL);
        c.u.viommu_add_stream.u.pci.pad[i] = 0;
    }

    /*
     * An unknown type is refused for its type alone: the rest of the
     * request is one a device-tree request would take as far as the host
     * tree lookup (-ESRCH below).
     */
    memset(&c, 0, sizeof(c));
    c.u.viommu_add_stream.u.dt.path.p = path;
    c.u.viommu_add_stream.u.dt.size = sizeof(path) - 1;
    t->d1->creation_finished = false;
    for ( uint32_t dev = 2; dev; dev = dev < 8 ? dev + 1 : dev << 1 )
    {
        c.u.viommu_add_stream.dev = dev;
        assert_int_equal(add_stream(t->d1, &c), -EINVAL);
    }
    t->d1->creation_finished = true;

    memset(&c, 0, sizeof(c));
    c.u.viommu_add_stream.dev = XEN_DOMCTL_DEV_DT;
    c.u.viommu_add_stream.u.dt.path.p = path;
    c.u.viommu_add_stream.u.dt.size = 0;
    assert_int_equal(add_stream(t->d1, &c), -EINVAL);
    c.u.viommu_add_stream.u.dt.size = PAGE_SIZE + 1;
    assert_int_equal(add_stream(t->d1, &c), -EINVAL);
    c.u.viommu_add_stream.u.dt.size = sizeof(path) - 1;
    assert_int_equal(add_stream(t->d2, &c), -ENODEV);
    /* Streams are bound while the domain is built, not once it has run. */
    assert_true(t->d1->creation_finished);
    assert_int_equal(add_stream(t->d1, &c), -EPERM);
    /* Past the type and bounds, the host tree is asked (none here). */
    t->d1->creation_finished = false;
    assert_int_equal(add_stream(t->d1, &c), -ESRCH);
    t->d1->creation_finished = true;
}

/*
 * Debug key 'U' (viommu.c): registered at boot, it reports each domain that
 * has a vIOMMU, with the model's state and counters, and no other domain.
 */
static void test_debug_key(void **state)
{
    struct dctl *t = *state;
    int i;

    assert_string_equal(glue_key_desc('U'), "dump vIOMMU state");
    emul_log_clear();
    assert_true(glue_key('U'));
    assert_int_equal(emul_log_count("'U' pressed -> dumping vIOMMU state"), 1);
    assert_int_equal(emul_log_count(": vIOMMU "), 1);
    assert_int_equal(emul_log_count("d1: vIOMMU smmuv3"), 1);
    /* The model's report: its six lines, the bound stream among them. */
    assert_int_equal(emul_log_total(), 2 + 6);
    assert_int_equal(emul_log_count("CR0 0x"), 1);
    assert_int_equal(emul_log_count(", 1 streams"), 1);
    assert_int_equal(emul_log_count("    commands "), 1);

    /* Relinquished, the vIOMMU is still reported until it is freed. */
    do
        i = viommu_relinquish_resources(t->d1);
    while ( i == -ERESTART );
    assert_int_equal(i, 0);
    emul_log_clear();
    assert_true(glue_key('U'));
    assert_int_equal(emul_log_count(", relinquished"), 1);
}

/*
 * The guest device-tree node, as the SMMUv3 type describes it to the
 * builders (viommu-smmuv3.c): the binding of Linux's arm,smmu-v3.yaml
 * with the frame and SPIs of the guest memory map (docs/configuration.md
 * shows the node; the dom0less builder writes what it is given).
 */
static void test_guest_info(void **state)
{
    struct dctl *t = *state;
    struct viommu_guest_info info;

    assert_false(viommu_get_guest_info(t->d2, &info));

    memset(&info, 0, sizeof(info));
    assert_true(viommu_get_guest_info(t->d1, &info));
    assert_string_equal(info.compatible, "arm,smmu-v3");
    assert_int_equal(info.base, GUEST_VSMMUV3_BASE);
    assert_int_equal(info.size, GUEST_VSMMUV3_SIZE);
    assert_int_equal(info.nr_irqs, 2);
    assert_int_equal(info.irqs[0].spi, GUEST_VSMMUV3_EVTQ_SPI);
    assert_string_equal(info.irqs[0].name, "eventq");
    assert_int_equal(info.irqs[1].spi, GUEST_VSMMUV3_GERROR_SPI);
    assert_string_equal(info.irqs[1].name, "gerror");
    assert_int_equal(info.iommu_cells, 1);
    assert_int_equal(info.phandle, GUEST_PHANDLE_VSMMUV3);
    /* The harness's physical SMMU walks coherently (IDR0.COHACC). */
    assert_true(info.coherent);
    /* The SPIs it names are the ones nr_spis is sized for. */
    assert_int_equal(viommu_min_nr_spis(&(struct xen_domctl_createdomain){
                         .arch.viommu_type = XEN_DOMCTL_CONFIG_VIOMMU_SMMUV3 }),
                     GUEST_VSMMUV3_GERROR_SPI - 32 + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_size_query, setup, teardown),
        cmocka_unit_test_setup_teardown(test_guest_info, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add_stream_device_type, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_copy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enobufs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_einval, setup, teardown),
        cmocka_unit_test_setup_teardown(test_efault, setup, teardown),
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_record, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_streams_aborted, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_debug_key, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
