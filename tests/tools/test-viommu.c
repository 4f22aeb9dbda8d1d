/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests of libxl's vIOMMU piece (tools/libs/light/libxl_arm_viommu.c),
 * compiled against the shim in shim/ and the real public headers of the
 * patched Xen tree.  Guest device trees are built the way
 * libxl__prepare_dtb() builds them (same calls, same order, same retry on
 * -FDT_ERR_NOSPACE), for a matrix of configurations, then checked by
 * reading them back with libfdt and by decompiling them with dtc.
 *
 * Arguments: DATA_DIR (compiled partial device trees, the documented node)
 * and WORK_DIR (where the guest device trees and dtc output go).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include "libxl_internal.h"
#include "libxl_arm.h"

#include <libfdt.h>
#include <xen/device_tree_defs.h>

static const char *data_dir, *work_dir;

/* ------------------------------------------------------------------ */
/* Shim implementation: gc, logging, libxc.                            */

void *libxl__zalloc(libxl__gc *gc, size_t size)
{
    void *p = calloc(1, size ? size : 1);

    assert_non_null(p);
    gc->ptrs = realloc(gc->ptrs, (gc->nr + 1) * sizeof(*gc->ptrs));
    assert_non_null(gc->ptrs);
    gc->ptrs[gc->nr++] = p;
    return p;
}

void *libxl__realloc(libxl__gc *gc, void *ptr, size_t size)
{
    void *p;
    size_t i;

    if (!ptr)
        return libxl__zalloc(gc, size);

    p = realloc(ptr, size ? size : 1);
    assert_non_null(p);
    for (i = 0; i < gc->nr; i++)
        if (gc->ptrs[i] == ptr)
            gc->ptrs[i] = p;
    return p;
}

char *libxl__strdup(libxl__gc *gc, const char *s)
{
    char *p = libxl__zalloc(gc, strlen(s) + 1);

    return strcpy(p, s);
}

char *libxl__sprintf(libxl__gc *gc, const char *fmt, ...)
{
    va_list ap;
    char *p;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    assert_true(n >= 0);
    p = libxl__zalloc(gc, n + 1);
    va_start(ap, fmt);
    vsnprintf(p, n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void test_gc_free(libxl__gc *gc)
{
    size_t i;

    for (i = 0; i < gc->nr; i++)
        free(gc->ptrs[i]);
    free(gc->ptrs);
    gc->ptrs = NULL;
    gc->nr = 0;
}

#define MAX_LOGS 16
static struct {
    xentoollog_level level;
    int domid, errnoval;
    char msg[512];
} logs[MAX_LOGS];
static unsigned int nr_logs;

void test_log(xentoollog_level level, int domid, int errnoval,
              const char *fmt, ...)
{
    va_list ap;

    if (level == XTL_DEBUG)
        return;
    assert_true(nr_logs < MAX_LOGS);
    logs[nr_logs].level = level;
    logs[nr_logs].domid = domid;
    logs[nr_logs].errnoval = errnoval;
    va_start(ap, fmt);
    vsnprintf(logs[nr_logs].msg, sizeof(logs[nr_logs].msg), fmt, ap);
    va_end(ap);
    nr_logs++;
}

#define MAX_BINDS 8
static struct {
    uint32_t domid, vsid, index;
    char path[128];
} binds[MAX_BINDS], probes[MAX_BINDS];
static unsigned int nr_binds, nr_probes;
static int bind_fail_at = -1, bind_errno;
/* The host node whose "iommus" has an entry beyond those bound. */
static const char *host_has_more;

/*
 * Xen's XEN_DOMCTL_viommu_add_stream, as the toolstack sees it.  The
 * vSID 0xffffffff binds nothing: Xen says ENOENT if the host node has no
 * entry @index, EINVAL (a vSID out of range) if it has one.
 */
int xc_domain_viommu_add_stream(xc_interface *xch, uint32_t domid,
                                uint32_t vsid, const char *path,
                                uint32_t index)
{
    assert_ptr_equal(xch, (xc_interface *)0x1234);
    if (vsid == 0xffffffffU) {
        assert_true(nr_probes < MAX_BINDS);
        probes[nr_probes].domid = domid;
        probes[nr_probes].index = index;
        snprintf(probes[nr_probes].path, sizeof(probes[nr_probes].path),
                 "%s", path);
        nr_probes++;
        errno = host_has_more && !strcmp(path, host_has_more) ? EINVAL
                                                              : ENOENT;
        return -1;
    }
    if ((int)nr_binds == bind_fail_at) {
        errno = bind_errno;
        return -1;
    }
    assert_true(nr_binds < MAX_BINDS);
    binds[nr_binds].domid = domid;
    binds[nr_binds].vsid = vsid;
    binds[nr_binds].index = index;
    snprintf(binds[nr_binds].path, sizeof(binds[nr_binds].path), "%s",
             path);
    nr_binds++;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Fixtures                                                            */

static struct libxl__ctx test_ctx = { .xch = (xc_interface *)0x1234 };

struct fixture {
    libxl__gc gc;
    libxl_domain_config cfg;
    libxl_device_dtdev dtdevs[4];
    uint32_t irqs[4];
    libxl__domain_build_state state;
};

static int setup(void **st)
{
    struct fixture *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    f->gc.owner = &test_ctx;
    f->cfg.c_info.passthrough = LIBXL_PASSTHROUGH_SHARE_PT;
    f->cfg.b_info.arch_arm.viommu_type = LIBXL_VIOMMU_TYPE_NONE;
    f->cfg.b_info.arch_arm.gic_version = LIBXL_GIC_VERSION_V3;
    f->cfg.dtdevs = f->dtdevs;
    f->cfg.b_info.irqs = f->irqs;
    nr_logs = 0;
    nr_binds = 0;
    nr_probes = 0;
    bind_fail_at = -1;
    host_has_more = NULL;
    *st = f;
    return 0;
}

static int teardown(void **st)
{
    struct fixture *f = *st;

    test_gc_free(&f->gc);
    free(f);
    return 0;
}

static void set_dtdevs(struct fixture *f, unsigned int n, ...)
{
    va_list ap;
    unsigned int i;

    va_start(ap, n);
    for (i = 0; i < n; i++)
        f->dtdevs[i].path = va_arg(ap, char *);
    va_end(ap);
    f->cfg.num_dtdevs = n;
}

static void smmuv3(struct fixture *f)
{
    f->cfg.b_info.arch_arm.viommu_type = LIBXL_VIOMMU_TYPE_SMMUV3;
}

static void expect_log(unsigned int i, xentoollog_level level,
                       const char *msg)
{
    assert_true(i < nr_logs);
    assert_int_equal(logs[i].level, level);
    assert_string_equal(logs[i].msg, msg);
}

static void *load(libxl__gc *gc, const char *name)
{
    char *path = GCSPRINTF("%s/%s", data_dir, name);
    FILE *fp = fopen(path, "rb");
    struct stat sb;
    void *buf;

    if (!fp)
        fail_msg("cannot open %s", path);
    assert_int_equal(fstat(fileno(fp), &sb), 0);
    buf = libxl__zalloc(gc, sb.st_size);
    assert_int_equal(fread(buf, 1, sb.st_size, fp), (size_t)sb.st_size);
    fclose(fp);
    assert_int_equal(fdt_check_header(buf), 0);
    return buf;
}

/* ------------------------------------------------------------------ */
/* A guest device tree, built as libxl__prepare_dtb() does.            */

static void set_interrupt(fdt32_t *cells, unsigned int irq)
{
    cells[0] = cpu_to_fdt32(0);
    cells[1] = cpu_to_fdt32(irq - 32);
    cells[2] = cpu_to_fdt32((0xf << 8) | DT_IRQ_TYPE_LEVEL_HIGH);
}

static int make_gicv3_node(void *fdt)
{
    fdt32_t reg[] = {
        cpu_to_fdt32(0), cpu_to_fdt32(GUEST_GICV3_GICD_BASE),
        cpu_to_fdt32(0), cpu_to_fdt32(GUEST_GICV3_GICD_SIZE),
        cpu_to_fdt32(0), cpu_to_fdt32(GUEST_GICV3_GICR0_BASE),
        cpu_to_fdt32(0), cpu_to_fdt32(GUEST_GICV3_GICR0_SIZE),
    };
    int res;

    res = fdt_begin_node(fdt, "interrupt-controller@3001000");
    if (res) return res;
    res = fdt_property_string(fdt, "compatible", "arm,gic-v3");
    if (res) return res;
    res = fdt_property_cell(fdt, "#interrupt-cells", 3);
    if (res) return res;
    res = fdt_property_cell(fdt, "#address-cells", 0);
    if (res) return res;
    res = fdt_property(fdt, "interrupt-controller", NULL, 0);
    if (res) return res;
    res = fdt_property(fdt, "reg", reg, sizeof(reg));
    if (res) return res;
    res = fdt_property_cell(fdt, "phandle", GUEST_PHANDLE_GIC);
    if (res) return res;
    return fdt_end_node(fdt);
}

static int make_vpl011_node(void *fdt)
{
    fdt32_t reg[] = {
        cpu_to_fdt32(0), cpu_to_fdt32(GUEST_PL011_BASE),
        cpu_to_fdt32(0), cpu_to_fdt32(GUEST_PL011_SIZE),
    };
    fdt32_t intr[3];
    int res;

    res = fdt_begin_node(fdt, "sbsa-pl011");
    if (res) return res;
    res = fdt_property_string(fdt, "compatible", "arm,sbsa-uart");
    if (res) return res;
    res = fdt_property(fdt, "reg", reg, sizeof(reg));
    if (res) return res;
    set_interrupt(intr, GUEST_VPL011_SPI);
    res = fdt_property(fdt, "interrupts", intr, sizeof(intr));
    if (res) return res;
    res = fdt_property_cell(fdt, "interrupt-parent", GUEST_PHANDLE_GIC);
    if (res) return res;
    return fdt_end_node(fdt);
}

/* As libxl's make_vpci_node(): the vIOMMU adds nothing to it (S8.10). */
static int make_vpci_node(void *fdt)
{
    fdt32_t reg[] = {
        cpu_to_fdt32(0), cpu_to_fdt32(GUEST_VPCI_ECAM_BASE),
        cpu_to_fdt32(0), cpu_to_fdt32(GUEST_VPCI_ECAM_SIZE),
    };
    fdt32_t bus_range[] = { cpu_to_fdt32(0), cpu_to_fdt32(255) };
    int res;

    res = fdt_begin_node(fdt, "pcie@10000000");
    if (res) return res;
    res = fdt_property_string(fdt, "compatible", "pci-host-ecam-generic");
    if (res) return res;
    res = fdt_property_string(fdt, "device_type", "pci");
    if (res) return res;
    res = fdt_property(fdt, "reg", reg, sizeof(reg));
    if (res) return res;
    res = fdt_property(fdt, "bus-range", bus_range, sizeof(bus_range));
    if (res) return res;
    res = fdt_property_cell(fdt, "#address-cells", 3);
    if (res) return res;
    res = fdt_property_cell(fdt, "#size-cells", 2);
    if (res) return res;
    res = fdt_property(fdt, "ranges", NULL, 0);
    if (res) return res;
    return fdt_end_node(fdt);
}

/* libxl's copy_node(): the partial device tree's node, as is. */
static int copy_node(void *fdt, const void *pfdt, int nodeoff)
{
    int r, prop;

    r = fdt_begin_node(fdt, fdt_get_name(pfdt, nodeoff, NULL));
    if (r) return r;

    fdt_for_each_property_offset(prop, pfdt, nodeoff) {
        const char *name;
        const void *val;
        int len;

        val = fdt_getprop_by_offset(pfdt, prop, &name, &len);
        if (!val) return len;
        r = fdt_property(fdt, name, val, len);
        if (r) return r;
    }

    fdt_for_each_subnode(nodeoff, pfdt, nodeoff) {
        r = copy_node(fdt, pfdt, nodeoff);
        if (r) return r;
    }

    return fdt_end_node(fdt);
}

static int copy_partial_fdt(void *fdt, const void *pfdt)
{
    int off = fdt_path_offset(pfdt, "/passthrough");

    if (off < 0) return off;
    return copy_node(fdt, pfdt, off);
}

/*
 * The libxl__prepare_dtb() sequence for what the vIOMMU touches: scan the
 * partial device tree once, build with retries from 256 bytes (so every
 * piece sees -FDT_ERR_NOSPACE and the whole tree is remade), fix up.
 * Returns the libxl error of the piece, or 0 with *out set.
 */
static int build_dt(struct fixture *f, const void *pfdt, void **out)
{
    libxl__gc *gc = &f->gc;
    libxl_domain_build_info *info = &f->cfg.b_info;
    size_t size = 256;
    void *fdt = NULL;
    int rc, res;

#define FDT(call) do {                                              \
        res = (call);                                               \
        if (res == -FDT_ERR_NOSPACE && size < (1 << 20))            \
            goto next;                                              \
        if (res) {                                                  \
            print_error("%s: %s\n", #call, fdt_strerror(res));      \
            return ERROR_FAIL;                                      \
        }                                                           \
    } while (0)

    rc = libxl__arm_viommu_scan_pfdt(gc, &f->cfg, pfdt, &f->state);
    if (rc) return rc;

    for (;;) {
        fdt = libxl__realloc(gc, fdt, size);
        FDT( fdt_create(fdt, size) );
        FDT( fdt_finish_reservemap(fdt) );
        FDT( fdt_begin_node(fdt, "") );
        FDT( fdt_property_cell(fdt, "interrupt-parent", GUEST_PHANDLE_GIC) );
        FDT( fdt_property_cell(fdt, "#address-cells",
                               GUEST_ROOT_ADDRESS_CELLS) );
        FDT( fdt_property_cell(fdt, "#size-cells", GUEST_ROOT_SIZE_CELLS) );
        FDT( make_gicv3_node(fdt) );
        if (info->arch_arm.vuart == LIBXL_VUART_TYPE_SBSA_UART)
            FDT( make_vpl011_node(fdt) );
        FDT( libxl__arm_viommu_make_node(gc, fdt, info) );
        if (f->cfg.num_pcidevs)
            FDT( make_vpci_node(fdt) );
        if (pfdt)
            FDT( copy_partial_fdt(fdt, pfdt) );
        FDT( fdt_end_node(fdt) );
        FDT( fdt_finish(fdt) );
        break;
next:
        size <<= 1;
    }
#undef FDT

    rc = libxl__arm_viommu_fixup_fdt(gc, fdt, info, &f->state);
    if (rc) return rc;

    *out = fdt;
    return 0;
}

/* ------------------------------------------------------------------ */
/* dtc                                                                 */

static int run(const char *cmd)
{
    int st = system(cmd);

    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *slurp(libxl__gc *gc, const char *path)
{
    FILE *fp = fopen(path, "r");
    char *text;
    long len;

    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    len = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    text = libxl__zalloc(gc, len + 1);
    assert_int_equal(fread(text, 1, len, fp), (size_t)len);
    fclose(fp);
    return text;
}

/*
 * Decompile @fdt with dtc (which checks the binary tree, phandles
 * resolved), then compile the result again.  Returns the warnings of the
 * first step, NULL if dtc rejected either step.  The second step's
 * warnings are not returned: for a raw number in "iommus" dtc 1.6 always
 * says "cell N is not a phandle reference", whatever the number.
 */
static char *dtc_check(libxl__gc *gc, const void *fdt, const char *name)
{
    char *dtb = GCSPRINTF("%s/%s.dtb", work_dir, name);
    char *dts = GCSPRINTF("%s/%s.dts", work_dir, name);
    char *warn = GCSPRINTF("%s/%s.dtc-warnings", work_dir, name);
    FILE *fp;

    fp = fopen(dtb, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(fdt, 1, fdt_totalsize(fdt), fp),
                     fdt_totalsize(fdt));
    fclose(fp);

    if (run(GCSPRINTF("dtc -I dtb -O dts -o %s %s 2> %s", dts, dtb, warn)))
        return NULL;
    if (run(GCSPRINTF("dtc -I dts -O dtb -o /dev/null %s 2> %s.again",
                      dts, warn)))
        return NULL;

    return slurp(gc, warn);
}

/* dtc accepts the tree and has nothing to say about the vIOMMU parts. */
static void assert_dtc_clean(libxl__gc *gc, const void *fdt,
                             const char *name)
{
    char *w = dtc_check(gc, fdt, name), *line, *save = NULL;

    if (!w)
        fail_msg("dtc rejects %s/%s.dtb", work_dir, name);
    for (line = strtok_r(w, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save))
        if (strstr(line, "iommu"))
            fail_msg("dtc warns about %s: %s", name, line);
}

/* ------------------------------------------------------------------ */
/* Reading back                                                        */

static const char VSMMU_NODE[] = "/iommu@4040000";

static uint32_t cell(const void *prop, unsigned int i)
{
    return fdt32_to_cpu(((const fdt32_t *)prop)[i]);
}

static const void *getprop(const void *fdt, const char *node,
                           const char *name, int *len)
{
    int off = fdt_path_offset(fdt, node);

    if (off < 0)
        fail_msg("no node %s: %s", node, fdt_strerror(off));
    return fdt_getprop(fdt, off, name, len);
}

/* ------------------------------------------------------------------ */
/* Domain configuration                                                */

static void test_config_none(void **st)
{
    struct fixture *f = *st;
    libxl__gc *gc = &f->gc;
    uint32_t nr_spis = 5;
    uint8_t type = 0xff;

    f->irqs[0] = GUEST_VSMMUV3_EVTQ_SPI;
    f->cfg.b_info.num_irqs = 1;

    assert_int_equal(libxl__arm_viommu_prepare_config(gc, &f->cfg,
                                                      &nr_spis, &type), 0);
    assert_int_equal(type, XEN_DOMCTL_CONFIG_VIOMMU_NONE);
    assert_int_equal(nr_spis, 5);
    assert_int_equal(nr_logs, 0);
}

static void test_config_smmuv3_spis(void **st)
{
    struct fixture *f = *st;
    libxl__gc *gc = &f->gc;
    uint32_t nr_spis = 0;
    uint8_t type = 0xff;

    smmuv3(f);
    assert_int_equal(libxl__arm_viommu_prepare_config(gc, &f->cfg,
                                                      &nr_spis, &type), 0);
    assert_int_equal(type, XEN_DOMCTL_CONFIG_VIOMMU_SMMUV3);
    /* Covers both SPIs: INTIDs 44 and 45 are SPIs 12 and 13. */
    assert_int_equal(nr_spis, GUEST_VSMMUV3_GERROR_SPI - 32 + 1);
    assert_true(nr_spis > GUEST_VSMMUV3_EVTQ_SPI - 32);
    assert_int_equal(nr_logs, 0);
}

/* libxl_arm.c counts the vpl011 first; the vSMMUv3 must not add to it. */
static void test_config_vpl011_not_inflated(void **st)
{
    struct fixture *f = *st;
    libxl__gc *gc = &f->gc;
    uint32_t nr_spis = GUEST_VPL011_SPI - 32 + 1;
    uint8_t type;

    smmuv3(f);
    f->cfg.b_info.arch_arm.vuart = LIBXL_VUART_TYPE_SBSA_UART;
    assert_int_equal(libxl__arm_viommu_prepare_config(gc, &f->cfg,
                                                      &nr_spis, &type), 0);
    assert_int_equal(nr_spis, GUEST_VSMMUV3_GERROR_SPI - 32 + 1);
}

/* More SPIs already needed (a passthrough IRQ above them): kept. */
static void test_config_higher_kept(void **st)
{
    struct fixture *f = *st;
    libxl__gc *gc = &f->gc;
    uint32_t nr_spis = 100 - 32 + 1;
    uint8_t type;

    smmuv3(f);
    f->irqs[0] = 100;
    f->irqs[1] = GUEST_VSMMUV3_EVTQ_SPI - 1;
    f->irqs[2] = GUEST_VSMMUV3_GERROR_SPI + 1;
    f->cfg.b_info.num_irqs = 3;
    assert_int_equal(libxl__arm_viommu_prepare_config(gc, &f->cfg,
                                                      &nr_spis, &type), 0);
    assert_int_equal(nr_spis, 100 - 32 + 1);
    assert_int_equal(nr_logs, 0);
}

static void test_config_irq_evtq(void **st)
{
    struct fixture *f = *st;
    libxl__gc *gc = &f->gc;
    uint32_t nr_spis = 0;
    uint8_t type;

    smmuv3(f);
    f->irqs[0] = 100;
    f->irqs[1] = 44;
    f->cfg.b_info.num_irqs = 2;
    assert_int_equal(libxl__arm_viommu_prepare_config(gc, &f->cfg,
                                                      &nr_spis, &type),
                     ERROR_FAIL);
    assert_int_equal(nr_logs, 1);
    expect_log(0, XTL_ERROR,
               "irqs: IRQ 44 is the event queue SPI of viommu=\"smmuv3\" (SPIs 44-45): remove it from irqs or drop viommu");
}

static void test_config_irq_gerror(void **st)
{
    struct fixture *f = *st;
    libxl__gc *gc = &f->gc;
    uint32_t nr_spis = 0;
    uint8_t type;

    smmuv3(f);
    f->irqs[0] = 45;
    f->cfg.b_info.num_irqs = 1;
    assert_int_equal(libxl__arm_viommu_prepare_config(gc, &f->cfg,
                                                      &nr_spis, &type),
                     ERROR_FAIL);
    assert_int_equal(nr_logs, 1);
    expect_log(0, XTL_ERROR,
               "irqs: IRQ 45 is the global error SPI of viommu=\"smmuv3\" (SPIs 44-45): remove it from irqs or drop viommu");
}

static void test_config_unknown_type(void **st)
{
    struct fixture *f = *st;
    libxl__gc *gc = &f->gc;
    uint32_t nr_spis = 0;
    uint8_t type;

    f->cfg.b_info.arch_arm.viommu_type = 7;
    assert_int_equal(libxl__arm_viommu_prepare_config(gc, &f->cfg,
                                                      &nr_spis, &type),
                     ERROR_FAIL);
    assert_int_equal(nr_spis, 0);
    assert_int_equal(nr_logs, 1);
    expect_log(0, XTL_ERROR,
               "Unknown vIOMMU type 7: set viommu to \"none\" or \"smmuv3\"");
}

static void test_config_passthrough(void **st)
{
    struct fixture *f = *st;
    libxl__gc *gc = &f->gc;
    libxl_physinfo host = { .cap_hvm_directio = true };
    libxl_physinfo no_iommu = { .cap_hvm_directio = false };

    /* No vIOMMU: passthrough does not matter. */
    f->cfg.c_info.passthrough = LIBXL_PASSTHROUGH_DISABLED;
    assert_false(libxl__arm_viommu_needs_passthrough(&f->cfg, &host));
    assert_int_equal(libxl__arm_viommu_check_passthrough(gc, 3, &f->cfg,
                                                         &host), 0);

    /*
     * docs/configuration.md: a vIOMMU needs passthrough where the host
     * has an IOMMU, as a device does (the dom0less builder's rule):
     * libxl enables it by default.
     */
    smmuv3(f);
    assert_true(libxl__arm_viommu_needs_passthrough(&f->cfg, &host));
    f->cfg.c_info.passthrough = LIBXL_PASSTHROUGH_SHARE_PT;
    assert_int_equal(libxl__arm_viommu_check_passthrough(gc, 3, &f->cfg,
                                                         &host), 0);
    assert_int_equal(nr_logs, 0);

    /* A host without an IOMMU: Xen gives a virtual-streams-only vIOMMU. */
    assert_false(libxl__arm_viommu_needs_passthrough(&f->cfg, &no_iommu));
    f->cfg.c_info.passthrough = LIBXL_PASSTHROUGH_DISABLED;
    assert_int_equal(libxl__arm_viommu_check_passthrough(gc, 3, &f->cfg,
                                                         &no_iommu), 0);
    assert_int_equal(nr_logs, 0);

    /* With one, only a configuration that disables passthrough is refused. */
    assert_int_equal(libxl__arm_viommu_check_passthrough(gc, 3, &f->cfg,
                                                         &host),
                     ERROR_INVAL);
    assert_int_equal(nr_logs, 1);
    assert_int_equal(logs[0].domid, 3);
    expect_log(0, XTL_ERROR,
               "viommu=\"smmuv3\" on a host with an IOMMU needs an IOMMU-enabled domain but passthrough=\"disabled\" is set: remove passthrough=\"disabled\"");
}

/* ------------------------------------------------------------------ */
/* The vSMMUv3 node                                                    */

/* The node, property by property, as documented (docs/configuration.md). */
static void test_node_is_documented(void **st)
{
    struct fixture *f = *st;
    libxl__gc *gc = &f->gc;
    const void *doc = load(gc, "documented-node.dtb");
    void *fdt;
    int doff, goff, dprop, gprop, n = 0;

    smmuv3(f);
    assert_int_equal(build_dt(f, NULL, &fdt), 0);

    doff = fdt_first_subnode(doc, 0);
    assert_true(doff >= 0);
    goff = fdt_path_offset(fdt, GCSPRINTF("/%s",
                                          fdt_get_name(doc, doff, NULL)));
    if (goff < 0)
        fail_msg("the guest has no node %s", fdt_get_name(doc, doff, NULL));
    assert_string_equal(fdt_get_name(fdt, goff, NULL),
                        fdt_get_name(doc, doff, NULL));

    /* Same properties, same order, same bytes. */
    for (dprop = fdt_first_property_offset(doc, doff),
         gprop = fdt_first_property_offset(fdt, goff);
         dprop >= 0 && gprop >= 0;
         dprop = fdt_next_property_offset(doc, dprop),
         gprop = fdt_next_property_offset(fdt, gprop), n++) {
        const char *dname, *gname;
        const void *dval, *gval;
        int dlen, glen;

        dval = fdt_getprop_by_offset(doc, dprop, &dname, &dlen);
        gval = fdt_getprop_by_offset(fdt, gprop, &gname, &glen);
        assert_string_equal(gname, dname);
        if (glen != dlen || memcmp(gval, dval, glen))
            fail_msg("property %s differs from the documented one", gname);
    }
    assert_int_equal(dprop, -FDT_ERR_NOTFOUND);
    assert_int_equal(gprop, -FDT_ERR_NOTFOUND);
    assert_int_equal(n, 8);
    assert_int_equal(fdt_first_subnode(fdt, goff), -FDT_ERR_NOTFOUND);
}

/* The same node read back against the public ABI. */
static void test_node_abi(void **st)
{
    struct fixture *f = *st;
    libxl__gc *gc = &f->gc;
    const void *p;
    void *fdt;
    int len, off;
    uint64_t base, size;

    smmuv3(f);
    assert_int_equal(build_dt(f, NULL, &fdt), 0);
    assert_int_equal(nr_logs, 0);

    off = fdt_node_offset_by_phandle(fdt, GUEST_PHANDLE_VSMMUV3);
    assert_int_equal(off, fdt_path_offset(fdt, VSMMU_NODE));
    assert_int_equal(fdt_node_check_compatible(fdt, off, "arm,smmu-v3"), 0);

    p = getprop(fdt, VSMMU_NODE, "reg", &len);
    assert_int_equal(len, 16);
    base = ((uint64_t)cell(p, 0) << 32) | cell(p, 1);
    size = ((uint64_t)cell(p, 2) << 32) | cell(p, 3);
    assert_true(base == GUEST_VSMMUV3_BASE);
    assert_true(size == GUEST_VSMMUV3_SIZE);

    p = getprop(fdt, VSMMU_NODE, "interrupts", &len);
    assert_int_equal(len, 24);
    assert_int_equal(cell(p, 0), 0);
    assert_int_equal(cell(p, 1) + 32, GUEST_VSMMUV3_EVTQ_SPI);
    assert_int_equal(cell(p, 2), DT_IRQ_TYPE_LEVEL_HIGH);
    assert_int_equal(cell(p, 3), 0);
    assert_int_equal(cell(p, 4) + 32, GUEST_VSMMUV3_GERROR_SPI);
    assert_int_equal(cell(p, 5), DT_IRQ_TYPE_LEVEL_HIGH);

    assert_int_equal(fdt_stringlist_search(fdt, off, "interrupt-names",
                                           "eventq"), 0);
    assert_int_equal(fdt_stringlist_search(fdt, off, "interrupt-names",
                                           "gerror"), 1);
    assert_int_equal(fdt_stringlist_count(fdt, off, "interrupt-names"), 2);

    p = getprop(fdt, VSMMU_NODE, "interrupt-parent", &len);
    assert_int_equal(len, 4);
    assert_int_equal(fdt_node_offset_by_phandle(fdt, cell(p, 0)),
                     fdt_path_offset(fdt, "/interrupt-controller@3001000"));

    p = getprop(fdt, VSMMU_NODE, "#iommu-cells", &len);
    assert_int_equal(len, 4);
    assert_int_equal(cell(p, 0), 1);

    assert_non_null(getprop(fdt, VSMMU_NODE, "dma-coherent", &len));
    assert_int_equal(len, 0);

    assert_dtc_clean(gc, fdt, "smmuv3");
}

static void test_node_absent_without_viommu(void **st)
{
    struct fixture *f = *st;
    libxl__gc *gc = &f->gc;
    void *fdt;

    f->cfg.num_pcidevs = 1;
    assert_int_equal(build_dt(f, NULL, &fdt), 0);
    assert_int_equal(fdt_path_offset(fdt, VSMMU_NODE), -FDT_ERR_NOTFOUND);
    assert_int_equal(fdt_node_offset_by_phandle(fdt, GUEST_PHANDLE_VSMMUV3),
                     -FDT_ERR_NOTFOUND);
    assert_null(getprop(fdt, "/pcie@10000000", "iommu-map", NULL));
    assert_int_equal(nr_logs, 0);
    assert_dtc_clean(gc, fdt, "none-pci");
}

static void test_node_with_vpl011(void **st)
{
    struct fixture *f = *st;
    libxl__gc *gc = &f->gc;
    void *fdt;

    smmuv3(f);
    f->cfg.b_info.arch_arm.vuart = LIBXL_VUART_TYPE_SBSA_UART;
    assert_int_equal(build_dt(f, NULL, &fdt), 0);
    assert_true(fdt_path_offset(fdt, VSMMU_NODE) >= 0);
    assert_true(fdt_path_offset(fdt, "/sbsa-pl011") >= 0);
    assert_dtc_clean(gc, fdt, "smmuv3-vpl011");
}

/* A buffer too small: the libfdt error, for libxl's FDT() to retry. */
static void test_node_nospace(void **st)
{
    struct fixture *f = *st;
    libxl__gc *gc = &f->gc;
    char buf[160];

    smmuv3(f);
    assert_int_equal(fdt_create(buf, sizeof(buf)), 0);
    assert_int_equal(fdt_finish_reservemap(buf), 0);
    assert_int_equal(fdt_begin_node(buf, ""), 0);
    assert_int_equal(libxl__arm_viommu_make_node(gc, buf, &f->cfg.b_info),
                     -FDT_ERR_NOSPACE);
}

/* ------------------------------------------------------------------ */
/* Passthrough                                                         */

static void test_passthrough_rewrite(void **st)
{
    struct fixture *f = *st;
    libxl__gc *gc = &f->gc;
    const void *pfdt = load(gc, "two-devices.dtb");
    const libxl__viommu_stream *s;
    const void *p;
    void *fdt;
    int len, i;
    static const struct {
        const char *node, *path;
        uint32_t index, vsid;
    } want[] = {
        { "/passthrough/dma@10000000", "/soc/dma@fd500000", 0, 0 },
        { "/passthrough/dma@10000000", "/soc/dma@fd500000", 1, 1 },
        { "/passthrough/bus@10100000/ethernet@10100000",
          "/soc/ethernet@ff0e0000", 0, 2 },
    };

    smmuv3(f);
    set_dtdevs(f, 3, "/soc/serial@ff010000", "/soc/ethernet@ff0e0000",
               "/soc/dma@fd500000");
    assert_int_equal(build_dt(f, pfdt, &fdt), 0);
    assert_int_equal(nr_logs, 0);

    /* The allocation, in the build state. */
    assert_int_equal(f->state.num_viommu_streams, 3);
    for (i = 0; i < 3; i++) {
        s = &f->state.viommu_streams[i];
        assert_string_equal(s->node, want[i].node);
        assert_string_equal(s->path, want[i].path);
        assert_int_equal(s->index, want[i].index);
        assert_int_equal(s->vsid, want[i].vsid);
    }

    /* The guest's iommus point at the vSMMUv3 with those vSIDs. */
    p = getprop(fdt, want[0].node, "iommus", &len);
    assert_int_equal(len, 16);
    assert_int_equal(cell(p, 0), GUEST_PHANDLE_VSMMUV3);
    assert_int_equal(cell(p, 1), 0);
    assert_int_equal(cell(p, 2), GUEST_PHANDLE_VSMMUV3);
    assert_int_equal(cell(p, 3), 1);
    p = getprop(fdt, want[2].node, "iommus", &len);
    assert_int_equal(len, 8);
    assert_int_equal(cell(p, 0), GUEST_PHANDLE_VSMMUV3);
    assert_int_equal(cell(p, 1), 2);
    assert_null(getprop(fdt, "/passthrough/serial@10200000", "iommus",
                        NULL));
    /* docs/configuration.md: no xen,path reaches the guest. */
    assert_null(getprop(fdt, want[0].node, "xen,path", NULL));
    assert_null(getprop(fdt, want[2].node, "xen,path", NULL));
    assert_non_null(getprop(fdt, "/passthrough/serial@10200000",
                            "interrupts", NULL));

    assert_dtc_clean(gc, fdt, "smmuv3-passthrough");

    /* Once assigned: one domctl per stream, path and entry index. */
    assert_int_equal(nr_binds, 0);
    assert_int_equal(libxl__arm_viommu_bind_streams(gc, 7, &f->state), 0);
    assert_int_equal(nr_binds, 3);
    for (i = 0; i < 3; i++) {
        assert_int_equal(binds[i].domid, 7);
        assert_int_equal(binds[i].vsid, want[i].vsid);
        assert_int_equal(binds[i].index, want[i].index);
        assert_string_equal(binds[i].path, want[i].path);
    }

    /* After each node: is there an entry after its last?  No. */
    assert_int_equal(nr_probes, 2);
    assert_string_equal(probes[0].path, want[0].path);
    assert_int_equal(probes[0].index, 2);
    assert_string_equal(probes[1].path, want[2].path);
    assert_int_equal(probes[1].index, 1);
    assert_int_equal(nr_logs, 0);
}

/* Everything together, and dtc. */
static void test_passthrough_all(void **st)
{
    struct fixture *f = *st;
    libxl__gc *gc = &f->gc;
    const void *pfdt = load(gc, "two-devices.dtb");
    void *fdt;

    smmuv3(f);
    f->cfg.b_info.arch_arm.vuart = LIBXL_VUART_TYPE_SBSA_UART;
    f->cfg.num_pcidevs = 1;
    set_dtdevs(f, 3, "/soc/dma@fd500000", "/soc/ethernet@ff0e0000",
               "/soc/serial@ff010000");
    assert_int_equal(build_dt(f, pfdt, &fdt), 0);
    assert_int_equal(f->state.num_viommu_streams, 3);
    assert_dtc_clean(gc, fdt, "smmuv3-all");
    /* S8.10: the vPCI bridge's functions are bound to nothing. */
    assert_null(getprop(fdt, "/pcie@10000000", "iommu-map", NULL));
}

/* docs/examples/vsmmu-passthrough.{cfg,dts} */
static void test_example(void **st)
{
    struct fixture *f = *st;
    libxl__gc *gc = &f->gc;
    const void *pfdt = load(gc, "example-vsmmu-passthrough.dtb");
    const char *node = "/passthrough/dma-controller@33000000";
    const void *p;
    void *fdt;
    int len;

    smmuv3(f);
    f->cfg.b_info.arch_arm.vuart = LIBXL_VUART_TYPE_SBSA_UART;
    f->irqs[0] = 156;
    f->cfg.b_info.num_irqs = 1;
    set_dtdevs(f, 1, "/axi/dma-controller@fd500000");
    assert_int_equal(build_dt(f, pfdt, &fdt), 0);
    assert_int_equal(nr_logs, 0);

    p = getprop(fdt, node, "iommus", &len);
    assert_int_equal(len, 16);
    assert_int_equal(cell(p, 0), GUEST_PHANDLE_VSMMUV3);
    assert_int_equal(cell(p, 1), 0);
    assert_int_equal(cell(p, 2), GUEST_PHANDLE_VSMMUV3);
    assert_int_equal(cell(p, 3), 1);
    assert_dtc_clean(gc, fdt, "example");

    assert_int_equal(libxl__arm_viommu_bind_streams(gc, 1, &f->state), 0);
    assert_int_equal(nr_binds, 2);
    assert_string_equal(binds[1].path, "/axi/dma-controller@fd500000");
    assert_int_equal(binds[1].index, 1);
    assert_int_equal(binds[1].vsid, 1);
}

/*
 * The allocation depends only on the domain's configuration: made again
 * for another domain (or the same one) it is the same, and one domain's
 * does not show in another's.
 */
static void test_vsids_per_domain(void **st)
{
    struct fixture *f = *st;
    libxl__gc *gc = &f->gc;
    const void *pfdt = load(gc, "two-devices.dtb");
    libxl__domain_build_state a, b, c;
    libxl_domain_config other;
    unsigned int i;

    smmuv3(f);
    set_dtdevs(f, 2, "/soc/dma@fd500000", "/soc/ethernet@ff0e0000");
    assert_int_equal(libxl__arm_viommu_scan_pfdt(gc, &f->cfg, pfdt, &a), 0);

    other = f->cfg;
    other.b_info.arch_arm.viommu_type = LIBXL_VIOMMU_TYPE_NONE;
    assert_int_equal(libxl__arm_viommu_scan_pfdt(gc, &other, NULL, &c), 0);
    assert_int_equal(c.num_viommu_streams, 0);

    assert_int_equal(libxl__arm_viommu_scan_pfdt(gc, &f->cfg, pfdt, &b), 0);
    assert_int_equal(a.num_viommu_streams, 3);
    assert_int_equal(b.num_viommu_streams, 3);
    assert_ptr_not_equal(a.viommu_streams, b.viommu_streams);
    for (i = 0; i < 3; i++) {
        assert_int_equal(a.viommu_streams[i].vsid, i);
        assert_int_equal(b.viommu_streams[i].vsid, i);
        assert_string_equal(a.viommu_streams[i].path,
                            b.viommu_streams[i].path);
        assert_int_equal(a.viommu_streams[i].index,
                         b.viommu_streams[i].index);
    }
}

static void test_passthrough_without_viommu(void **st)
{
    struct fixture *f = *st;
    libxl__gc *gc = &f->gc;
    const void *pfdt = load(gc, "two-devices.dtb");
    const void *p, *q;
    void *fdt;
    char *w;
    int len, qlen;

    set_dtdevs(f, 2, "/soc/dma@fd500000", "/soc/ethernet@ff0e0000");
    assert_int_equal(build_dt(f, pfdt, &fdt), 0);
    assert_int_equal(f->state.num_viommu_streams, 0);
    assert_int_equal(nr_logs, 2);
    expect_log(0, XTL_WARN,
               "Partial device tree node /passthrough/dma@10000000 has \"iommus\" but viommu is not set: copied as is; set viommu=\"smmuv3\" to put the device behind a vSMMUv3");
    expect_log(1, XTL_WARN,
               "Partial device tree node /passthrough/bus@10100000/ethernet@10100000 has \"iommus\" but viommu is not set: copied as is; set viommu=\"smmuv3\" to put the device behind a vSMMUv3");

    p = getprop(fdt, "/passthrough/dma@10000000", "iommus", &len);
    q = getprop(pfdt, "/passthrough/dma@10000000", "iommus", &qlen);
    assert_int_equal(len, qlen);
    assert_memory_equal(p, q, len);

    /*
     * dtc accepts it, but sees that the phandle resolves to nothing (as
     * it would for a vSMMUv3 node or iommus gone wrong).
     */
    w = dtc_check(gc, fdt, "none-passthrough");
    assert_non_null(w);
    assert_non_null(strstr(w, "/passthrough/dma@10000000:iommus: Could not get phandle node"));

    assert_int_equal(libxl__arm_viommu_bind_streams(gc, 7, &f->state), 0);
    assert_int_equal(nr_binds, 0);
}

static void expect_scan_error(struct fixture *f, const char *dtb,
                              const char *msg)
{
    libxl__gc *gc = &f->gc;
    const void *pfdt = load(gc, dtb);
    void *fdt = NULL;

    assert_int_equal(build_dt(f, pfdt, &fdt), ERROR_FAIL);
    assert_null(fdt);
    assert_int_equal(f->state.num_viommu_streams, 0);
    assert_int_equal(nr_logs, 1);
    expect_log(0, XTL_ERROR, msg);
}

static void test_error_no_xen_path(void **st)
{
    struct fixture *f = *st;

    smmuv3(f);
    set_dtdevs(f, 1, "/soc/dma@fd500000");
    expect_scan_error(f, "no-xen-path.dtb",
        "Partial device tree node /passthrough/dma@10000000 has \"iommus\" but no xen,path: add xen,path = \"<host device-tree path>\" naming its dtdev");
}

static void test_error_not_dtdev(void **st)
{
    struct fixture *f = *st;

    smmuv3(f);
    set_dtdevs(f, 1, "/soc/dma@fd500000");
    expect_scan_error(f, "two-devices.dtb",
        "Partial device tree node /passthrough/bus@10100000/ethernet@10100000: xen,path \"/soc/ethernet@ff0e0000\" is not assigned to the guest: add \"/soc/ethernet@ff0e0000\" to dtdev");
}

static void test_error_bad_iommus(void **st)
{
    struct fixture *f = *st;

    smmuv3(f);
    set_dtdevs(f, 1, "/soc/dma@fd500000");
    expect_scan_error(f, "bad-iommus.dtb",
        "Partial device tree node /passthrough/dma@10000000: \"iommus\" must be <phandle StreamID> entries (#iommu-cells = <1>), one per entry of the host node: fix iommus");
}

static void test_error_dup_path(void **st)
{
    struct fixture *f = *st;

    smmuv3(f);
    set_dtdevs(f, 1, "/soc/dma@fd500000");
    expect_scan_error(f, "dup-path.dtb",
        "Partial device tree nodes /passthrough/dma@10000000 and /passthrough/dma@10001000 have the same xen,path \"/soc/dma@fd500000\": keep one node per host device");
}

static void test_error_bad_xen_path(void **st)
{
    struct fixture *f = *st;

    smmuv3(f);
    set_dtdevs(f, 1, "/soc/dma@fd500000");
    expect_scan_error(f, "bad-xen-path.dtb",
        "Partial device tree node /passthrough/dma@10000000: xen,path must be the host device-tree path of the device as one string: fix xen,path");
}

/* More streams than the device-tree half of the vSID space. */
static void test_error_too_many_streams(void **st)
{
    struct fixture *f = *st;
    libxl__gc *gc = &f->gc;
    const unsigned int n = 0x8000 + 1;
    fdt32_t *iommus = libxl__zalloc(gc, n * 8);
    size_t size = n * 8 + 4096;
    void *pfdt = libxl__zalloc(gc, size);
    unsigned int i;

    for (i = 0; i < n; i++) {
        iommus[2 * i] = cpu_to_fdt32(1);
        iommus[2 * i + 1] = cpu_to_fdt32(i);
    }
    assert_int_equal(fdt_create(pfdt, size), 0);
    assert_int_equal(fdt_finish_reservemap(pfdt), 0);
    assert_int_equal(fdt_begin_node(pfdt, ""), 0);
    assert_int_equal(fdt_begin_node(pfdt, "passthrough"), 0);
    assert_int_equal(fdt_begin_node(pfdt, "dev@0"), 0);
    assert_int_equal(fdt_property_string(pfdt, "xen,path", "/soc/dev@0"),
                     0);
    assert_int_equal(fdt_property(pfdt, "iommus", iommus, n * 8), 0);
    assert_int_equal(fdt_end_node(pfdt), 0);
    assert_int_equal(fdt_end_node(pfdt), 0);
    assert_int_equal(fdt_end_node(pfdt), 0);
    assert_int_equal(fdt_finish(pfdt), 0);

    smmuv3(f);
    set_dtdevs(f, 1, "/soc/dev@0");
    assert_int_equal(libxl__arm_viommu_scan_pfdt(gc, &f->cfg, pfdt,
                                                 &f->state), ERROR_FAIL);
    assert_int_equal(f->state.num_viommu_streams, 0);
    assert_int_equal(nr_logs, 1);
    expect_log(0, XTL_ERROR,
               "Partial device tree: more than 32768 streams behind viommu=\"smmuv3\": assign fewer devices");
}

static void test_bind_failure(void **st)
{
    struct fixture *f = *st;
    libxl__gc *gc = &f->gc;
    const void *pfdt = load(gc, "two-devices.dtb");
    void *fdt;

    smmuv3(f);
    set_dtdevs(f, 2, "/soc/dma@fd500000", "/soc/ethernet@ff0e0000");
    assert_int_equal(build_dt(f, pfdt, &fdt), 0);

    bind_fail_at = 2;
    bind_errno = EINVAL;
    assert_int_equal(libxl__arm_viommu_bind_streams(gc, 9, &f->state),
                     ERROR_FAIL);
    assert_int_equal(nr_binds, 2);
    assert_int_equal(nr_logs, 1);
    assert_int_equal(logs[0].domid, 9);
    assert_int_equal(logs[0].errnoval, EINVAL);
    expect_log(0, XTL_ERROR,
               "viommu=\"smmuv3\": cannot bind vSID 2 to entry 0 of the iommus of host node /soc/ethernet@ff0e0000 (partial device tree node /passthrough/bus@10100000/ethernet@10100000): check that its iommus lists the host node's entries");
}

/* ------------------------------------------------------------------ */
/* A PCIe host bridge passed through: "iommu-map"                      */

static const char BRIDGE[] = "/passthrough/pcie@4010000000";

/* pci-bridge.dts: the bridge's vSIDs are its own, the device's allocated. */
static void test_pci_bridge(void **st)
{
    struct fixture *f = *st;
    libxl__gc *gc = &f->gc;
    const void *pfdt = load(gc, "pci-bridge.dtb");
    const libxl__viommu_stream *s;
    const uint32_t *q;
    const void *p;
    void *fdt;
    int len, qlen, i;
    static const struct {
        const char *node, *path;
        uint32_t index, vsid;
    } want[] = {
        { "/passthrough/dma@10000000", "/soc/dma@fd500000", 0, 0 },
        { "/passthrough/pcie@4010000000", "/pcie@10000000", 0, 0x8008 },
        { "/passthrough/pcie@4010000000", "/pcie@10000000", 1, 0x8010 },
    };

    smmuv3(f);
    set_dtdevs(f, 2, "/pcie@10000000", "/soc/dma@fd500000");
    assert_int_equal(build_dt(f, pfdt, &fdt), 0);
    assert_int_equal(nr_logs, 0);

    assert_int_equal(f->state.num_viommu_streams, 3);
    for (i = 0; i < 3; i++) {
        s = &f->state.viommu_streams[i];
        assert_string_equal(s->node, want[i].node);
        assert_string_equal(s->path, want[i].path);
        assert_int_equal(s->index, want[i].index);
        assert_int_equal(s->vsid, want[i].vsid);
    }

    /* The iommu-map names the vSMMUv3; RIDs, vSIDs, lengths unchanged. */
    p = getprop(fdt, BRIDGE, "iommu-map", &len);
    q = getprop(pfdt, BRIDGE, "iommu-map", &qlen);
    assert_int_equal(len, 32);
    assert_int_equal(qlen, 32);
    for (i = 0; i < 8; i++)
        assert_int_equal(cell(p, i), i % 4 == 1 ? GUEST_PHANDLE_VSMMUV3
                                                : cell(q, i));
    p = getprop(fdt, want[0].node, "iommus", &len);
    assert_int_equal(len, 8);
    assert_int_equal(cell(p, 0), GUEST_PHANDLE_VSMMUV3);
    assert_int_equal(cell(p, 1), 0);
    assert_null(getprop(fdt, BRIDGE, "iommus", NULL));
    assert_dtc_clean(gc, fdt, "smmuv3-pci-bridge");

    assert_int_equal(libxl__arm_viommu_bind_streams(gc, 3, &f->state), 0);
    assert_int_equal(nr_logs, 0);
    assert_int_equal(nr_binds, 3);
    for (i = 0; i < 3; i++) {
        assert_int_equal(binds[i].domid, 3);
        assert_int_equal(binds[i].vsid, want[i].vsid);
        assert_int_equal(binds[i].index, want[i].index);
        assert_string_equal(binds[i].path, want[i].path);
    }
    assert_int_equal(nr_probes, 2);
    assert_string_equal(probes[1].path, "/pcie@10000000");
    assert_int_equal(probes[1].index, 2);
}

/* The host bridge has a stream xen,viommu-stream-ids gives no vSID. */
static void test_pci_host_has_more(void **st)
{
    struct fixture *f = *st;
    libxl__gc *gc = &f->gc;
    const void *pfdt = load(gc, "pci-bridge.dtb");
    void *fdt;

    smmuv3(f);
    set_dtdevs(f, 2, "/pcie@10000000", "/soc/dma@fd500000");
    assert_int_equal(build_dt(f, pfdt, &fdt), 0);
    host_has_more = "/pcie@10000000";
    assert_int_equal(libxl__arm_viommu_bind_streams(gc, 3, &f->state),
                     ERROR_FAIL);
    assert_int_equal(nr_binds, 3);
    assert_int_equal(nr_logs, 1);
    assert_int_equal(logs[0].errnoval, EINVAL);
    expect_log(0, XTL_ERROR,
               "viommu=\"smmuv3\": host node /pcie@10000000 has more streams than the 2 of partial device tree node /passthrough/pcie@4010000000: give xen,viommu-stream-ids one vSID per entry of the host node's iommus");
}

/* The same for a device's "iommus". */
static void test_iommus_host_has_more(void **st)
{
    struct fixture *f = *st;
    libxl__gc *gc = &f->gc;
    const void *pfdt = load(gc, "two-devices.dtb");
    void *fdt;

    smmuv3(f);
    set_dtdevs(f, 2, "/soc/dma@fd500000", "/soc/ethernet@ff0e0000");
    assert_int_equal(build_dt(f, pfdt, &fdt), 0);
    host_has_more = "/soc/dma@fd500000";
    assert_int_equal(libxl__arm_viommu_bind_streams(gc, 3, &f->state),
                     ERROR_FAIL);
    assert_int_equal(nr_binds, 2);
    assert_int_equal(nr_logs, 1);
    expect_log(0, XTL_ERROR,
               "viommu=\"smmuv3\": host node /soc/dma@fd500000 has more streams than the 2 of partial device tree node /passthrough/dma@10000000: give its iommus one entry per entry of the host node's iommus");
}

static void test_pci_bind_failure(void **st)
{
    struct fixture *f = *st;
    libxl__gc *gc = &f->gc;
    const void *pfdt = load(gc, "pci-bridge.dtb");
    void *fdt;

    smmuv3(f);
    set_dtdevs(f, 2, "/pcie@10000000", "/soc/dma@fd500000");
    assert_int_equal(build_dt(f, pfdt, &fdt), 0);
    bind_fail_at = 2;
    bind_errno = ENOENT;
    assert_int_equal(libxl__arm_viommu_bind_streams(gc, 4, &f->state),
                     ERROR_FAIL);
    assert_int_equal(nr_logs, 1);
    assert_int_equal(logs[0].errnoval, ENOENT);
    expect_log(0, XTL_ERROR,
               "viommu=\"smmuv3\": cannot bind vSID 0x8010 to entry 1 of the iommus of host node /pcie@10000000 (partial device tree node /passthrough/pcie@4010000000): check that its xen,viommu-stream-ids has one vSID per entry of the host node's iommus");
}

static void test_pci_without_viommu(void **st)
{
    struct fixture *f = *st;
    libxl__gc *gc = &f->gc;
    const void *pfdt = load(gc, "pci-bridge.dtb");
    const void *p, *q;
    void *fdt;
    int len, qlen;

    set_dtdevs(f, 2, "/pcie@10000000", "/soc/dma@fd500000");
    assert_int_equal(build_dt(f, pfdt, &fdt), 0);
    assert_int_equal(f->state.num_viommu_streams, 0);
    assert_int_equal(nr_logs, 2);
    expect_log(1, XTL_WARN,
               "Partial device tree node /passthrough/pcie@4010000000 has \"iommu-map\" but viommu is not set: copied as is; set viommu=\"smmuv3\" to put the host bridge behind a vSMMUv3");
    p = getprop(fdt, BRIDGE, "iommu-map", &len);
    q = getprop(pfdt, BRIDGE, "iommu-map", &qlen);
    assert_int_equal(len, qlen);
    assert_memory_equal(p, q, len);
}

/*
 * A partial device tree with one node, /passthrough/pcie@4010000000, and
 * the properties given (NULL: absent): xen,path, iommus (one entry),
 * iommu-map and xen,viommu-stream-ids (@len bytes each).
 */
static void *bridge_pfdt(libxl__gc *gc, const char *path, bool iommus,
                         const fdt32_t *map, int maplen,
                         const void *vsids, int vsidlen)
{
    const size_t size = 4096;
    void *pfdt = libxl__zalloc(gc, size);
    fdt32_t entry[2] = { cpu_to_fdt32(1), cpu_to_fdt32(8) };

    assert_int_equal(fdt_create(pfdt, size), 0);
    assert_int_equal(fdt_finish_reservemap(pfdt), 0);
    assert_int_equal(fdt_begin_node(pfdt, ""), 0);
    assert_int_equal(fdt_begin_node(pfdt, "passthrough"), 0);
    assert_int_equal(fdt_begin_node(pfdt, "pcie@4010000000"), 0);
    if (path)
        assert_int_equal(fdt_property_string(pfdt, "xen,path", path), 0);
    if (iommus)
        assert_int_equal(fdt_property(pfdt, "iommus", entry, sizeof(entry)),
                         0);
    if (map)
        assert_int_equal(fdt_property(pfdt, "iommu-map", map, maplen), 0);
    if (vsids)
        assert_int_equal(fdt_property(pfdt, "xen,viommu-stream-ids", vsids,
                                      vsidlen), 0);
    assert_int_equal(fdt_end_node(pfdt), 0);
    assert_int_equal(fdt_end_node(pfdt), 0);
    assert_int_equal(fdt_end_node(pfdt), 0);
    assert_int_equal(fdt_finish(pfdt), 0);
    return pfdt;
}

/* RIDs 0-0xff are vSIDs 0x8000-0x80ff (filled in by main()). */
static fdt32_t good_map[4];

static void expect_bridge_error(struct fixture *f, const void *pfdt,
                                const char *msg)
{
    void *fdt = NULL;

    smmuv3(f);
    set_dtdevs(f, 1, "/pcie@10000000");
    assert_int_equal(build_dt(f, pfdt, &fdt), ERROR_FAIL);
    assert_null(fdt);
    assert_int_equal(f->state.num_viommu_streams, 0);
    assert_int_equal(nr_logs, 1);
    expect_log(0, XTL_ERROR, msg);
}

static void test_pci_error_both(void **st)
{
    struct fixture *f = *st;
    fdt32_t v = cpu_to_fdt32(0x8008);

    expect_bridge_error(f, bridge_pfdt(&f->gc, "/pcie@10000000", true,
                                       good_map, sizeof(good_map), &v, 4),
        "Partial device tree node /passthrough/pcie@4010000000 has both \"iommus\" and \"iommu-map\": keep iommu-map for a PCI host bridge, iommus for any other device");
}

static void test_pci_error_no_vsids(void **st)
{
    struct fixture *f = *st;

    expect_bridge_error(f, bridge_pfdt(&f->gc, "/pcie@10000000", false,
                                       good_map, sizeof(good_map), NULL, 0),
        "Partial device tree node /passthrough/pcie@4010000000 has \"iommu-map\" but no xen,viommu-stream-ids: add xen,viommu-stream-ids = <vSID ...>, the vSID of each entry of the host node's iommus");
}

static void test_pci_error_vsids_no_map(void **st)
{
    struct fixture *f = *st;
    fdt32_t v = cpu_to_fdt32(0x8008);

    expect_bridge_error(f, bridge_pfdt(&f->gc, "/pcie@10000000", false,
                                       NULL, 0, &v, 4),
        "Partial device tree node /passthrough/pcie@4010000000 has xen,viommu-stream-ids but no \"iommu-map\": it gives the vSIDs of a PCI host bridge's streams; remove it or add the host bridge's iommu-map");
}

static void test_pci_error_vsids_with_iommus(void **st)
{
    struct fixture *f = *st;
    fdt32_t v = cpu_to_fdt32(0x8008);

    expect_bridge_error(f, bridge_pfdt(&f->gc, "/pcie@10000000", true,
                                       NULL, 0, &v, 4),
        "Partial device tree node /passthrough/pcie@4010000000 has xen,viommu-stream-ids with \"iommus\": the toolstack allocates the vSIDs of iommus; remove xen,viommu-stream-ids");
}

static void test_pci_error_bad_map(void **st)
{
    struct fixture *f = *st;
    fdt32_t v = cpu_to_fdt32(0x8008);

    expect_bridge_error(f, bridge_pfdt(&f->gc, "/pcie@10000000", false,
                                       good_map, 12, &v, 4),
        "Partial device tree node /passthrough/pcie@4010000000: \"iommu-map\" must be <RID-base phandle vSID-base length> entries: fix iommu-map");
}

static void test_pci_error_bad_vsids(void **st)
{
    struct fixture *f = *st;
    static const uint8_t v[3] = { 0, 0x80, 0x08 };

    expect_bridge_error(f, bridge_pfdt(&f->gc, "/pcie@10000000", false,
                                       good_map, sizeof(good_map), v, 3),
        "Partial device tree node /passthrough/pcie@4010000000: xen,viommu-stream-ids must be one vSID cell per entry of the host node's iommus: fix xen,viommu-stream-ids");
}

/* A vSID of the device-tree half, and one beyond the vSMMUv3's. */
static void test_pci_error_vsid_range(void **st)
{
    struct fixture *f = *st;
    fdt32_t v[2] = { cpu_to_fdt32(0x8008), cpu_to_fdt32(0x8) };

    expect_bridge_error(f, bridge_pfdt(&f->gc, "/pcie@10000000", false,
                                       good_map, sizeof(good_map), v, 8),
        "Partial device tree node /passthrough/pcie@4010000000: vSID 0x8 of xen,viommu-stream-ids is outside the vSIDs of PCI functions (0x8000-0xffff): fix xen,viommu-stream-ids and iommu-map");
    nr_logs = 0;
    v[1] = cpu_to_fdt32(0x10000);
    expect_bridge_error(f, bridge_pfdt(&f->gc, "/pcie@10000000", false,
                                       good_map, sizeof(good_map), v, 8),
        "Partial device tree node /passthrough/pcie@4010000000: vSID 0x10000 of xen,viommu-stream-ids is outside the vSIDs of PCI functions (0x8000-0xffff): fix xen,viommu-stream-ids and iommu-map");
}

/* Just past the map's range; the range's last vSID is fine. */
static void test_pci_error_vsid_unmapped(void **st)
{
    struct fixture *f = *st;
    libxl__gc *gc = &f->gc;
    fdt32_t v = cpu_to_fdt32(0x8100);
    void *fdt;

    expect_bridge_error(f, bridge_pfdt(gc, "/pcie@10000000", false,
                                       good_map, sizeof(good_map), &v, 4),
        "Partial device tree node /passthrough/pcie@4010000000: vSID 0x8100 of xen,viommu-stream-ids is not in its iommu-map, so no function could use it: fix xen,viommu-stream-ids or iommu-map");
    nr_logs = 0;
    v = cpu_to_fdt32(0x80ff);
    assert_int_equal(build_dt(f, bridge_pfdt(gc, "/pcie@10000000", false,
                                             good_map, sizeof(good_map),
                                             &v, 4), &fdt), 0);
    assert_int_equal(f->state.num_viommu_streams, 1);
    assert_int_equal(f->state.viommu_streams[0].vsid, 0x80ff);
}

static void test_pci_error_vsid_twice(void **st)
{
    struct fixture *f = *st;
    fdt32_t v[2] = { cpu_to_fdt32(0x8008), cpu_to_fdt32(0x8008) };

    expect_bridge_error(f, bridge_pfdt(&f->gc, "/pcie@10000000", false,
                                       good_map, sizeof(good_map), v, 8),
        "Partial device tree node /passthrough/pcie@4010000000: vSID 0x8008 of xen,viommu-stream-ids is given to two streams: give each stream its own vSID");
}

static void test_pci_error_no_xen_path(void **st)
{
    struct fixture *f = *st;
    fdt32_t v = cpu_to_fdt32(0x8008);

    expect_bridge_error(f, bridge_pfdt(&f->gc, NULL, false, good_map,
                                       sizeof(good_map), &v, 4),
        "Partial device tree node /passthrough/pcie@4010000000 has \"iommu-map\" but no xen,path: add xen,path = \"<host device-tree path>\" naming its dtdev");
}

static void test_pci_error_not_dtdev(void **st)
{
    struct fixture *f = *st;
    fdt32_t v = cpu_to_fdt32(0x8008);

    expect_bridge_error(f, bridge_pfdt(&f->gc, "/pcie@30000000", false,
                                       good_map, sizeof(good_map), &v, 4),
        "Partial device tree node /passthrough/pcie@4010000000: xen,path \"/pcie@30000000\" is not assigned to the guest: add \"/pcie@30000000\" to dtdev");
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_config_none, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config_smmuv3_spis, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_config_vpl011_not_inflated,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_config_higher_kept, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_config_irq_evtq, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_config_irq_gerror, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_config_unknown_type, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_config_passthrough, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_node_is_documented, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_node_abi, setup, teardown),
        cmocka_unit_test_setup_teardown(test_node_absent_without_viommu,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_node_with_vpl011, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_node_nospace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_passthrough_rewrite, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_passthrough_all, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_example, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vsids_per_domain, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_passthrough_without_viommu,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_no_xen_path, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_error_not_dtdev, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_error_bad_iommus, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_error_dup_path, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_error_bad_xen_path, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_error_too_many_streams, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bind_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pci_bridge, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pci_host_has_more, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_iommus_host_has_more, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pci_bind_failure, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pci_without_viommu, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pci_error_both, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pci_error_no_vsids, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pci_error_vsids_no_map, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pci_error_vsids_with_iommus, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pci_error_bad_map, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pci_error_bad_vsids, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pci_error_vsid_range, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pci_error_vsid_unmapped, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pci_error_vsid_twice, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pci_error_no_xen_path, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pci_error_not_dtdev, setup,
                                        teardown),
    };
    const size_t total = sizeof(tests) / sizeof(tests[0]);
    int failed;

    if (argc != 3) {
        fprintf(stderr, "usage: %s DATA_DIR WORK_DIR\n", argv[0]);
        return 2;
    }
    data_dir = argv[1];
    work_dir = argv[2];
    good_map[0] = cpu_to_fdt32(0);
    good_map[1] = cpu_to_fdt32(1);
    good_map[2] = cpu_to_fdt32(0x8000);
    good_map[3] = cpu_to_fdt32(0x100);

    failed = cmocka_run_group_tests_name("libxl vIOMMU", tests, NULL, NULL);
    printf("%zu passed, %d failed\n", total - failed, failed);
    return failed ? 1 : 0;
}
