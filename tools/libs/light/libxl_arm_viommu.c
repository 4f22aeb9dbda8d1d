/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The virtual IOMMU of Arm guests (xl.cfg viommu="smmuv3").
 *
 * Xen emulates an Arm SMMUv3 at GUEST_VSMMUV3_BASE whose stage 1 the
 * guest's own arm-smmu-v3 driver programs; Xen keeps stage 2.  Here the
 * toolstack:
 *  - asks Xen for it in the domain configuration and reserves its two
 *    wired SPIs;
 *  - describes it in the guest device tree, with the node the dom0less
 *    builder makes too;
 *  - points the "iommus" of the partial device tree's passthrough nodes
 *    at it, with guest StreamIDs (vSIDs) allocated for the domain, and
 *    the "iommu-map" of a passed-through PCI host bridge, whose vSIDs
 *    the node names itself (xen,viommu-stream-ids); once the devices are
 *    assigned, tells Xen which physical stream each vSID stands for
 *    (XEN_DOMCTL_viommu_add_stream) and checks that no stream of the
 *    host node was left out.
 *
 * The virtual PCI host bridge (vPCI) gets no "iommu-map": a device the
 * guest is told is behind the vSMMUv3 must be bound to a physical stream
 * of the domain, or its IOVAs would be taken for guest addresses (by
 * stage 2 alone, or by a device model), and no vPCI function can be
 * bound (Xen has no PCI passthrough on Arm).  A whole host bridge passed
 * through as a device-tree device can be: its functions' streams are
 * the entries of the host node's "iommus".
 *
 * vSIDs: the "iommus" streams of the partial device tree get 0, 1, 2...
 * in the order of its nodes (depth first, the order in which they are
 * copied) and of their entries, below 0x8000.  The upper half is for PCI
 * functions: a host bridge's node maps requester IDs to vSIDs with its
 * "iommu-map" and gives in xen,viommu-stream-ids the vSID of each entry
 * of the host node's "iommus", all in [0x8000, 0xffff] (so they never
 * meet the allocated ones).  The allocation is made once per domain
 * build and kept in its build state: nothing survives the domain's
 * creation and nothing is shared between domains.
 */

#include "libxl_internal.h"
#include "libxl_arm.h"

#include <libfdt.h>
#include <xen/device_tree_defs.h>

/* Streams of device-tree devices: vSIDs [0, VIOMMU_DT_MAX_STREAMS). */
#define VIOMMU_DT_MAX_STREAMS   0x8000U
/* Streams of PCI functions: vSIDs [VIOMMU_DT_MAX_STREAMS, VIOMMU_SIDS). */
#define VIOMMU_SIDS             0x10000U

/* Cells of one "iommus" entry: <phandle StreamID> (#iommu-cells = 1). */
#define IOMMUS_ENTRY_CELLS      2
#define IOMMUS_ENTRY_SIZE       (IOMMUS_ENTRY_CELLS * sizeof(fdt32_t))

/* Cells of one "iommu-map" entry: <RID-base phandle vSID-base length>. */
#define IOMMU_MAP_ENTRY_CELLS   4
#define IOMMU_MAP_ENTRY_SIZE    (IOMMU_MAP_ENTRY_CELLS * sizeof(fdt32_t))

/*
 * The vSID that binds no stream: after a node's streams are bound, the
 * toolstack asks Xen to bind it to the host node's next "iommus" entry.
 * Xen answers ENOENT if there is none (the node listed every stream), and
 * refuses the vSID (EINVAL) if there is one.
 */
#define VIOMMU_PROBE_VSID       0xffffffffU

/* A stream of a host bridge's "iommu-map" (a PCI function), not "iommus". */
static bool is_pci_vsid(uint32_t vsid)
{
    return vsid >= VIOMMU_DT_MAX_STREAMS;
}

static bool viommu_enabled(const libxl_domain_build_info *info)
{
    return info->arch_arm.viommu_type != LIBXL_VIOMMU_TYPE_NONE;
}

/* An interrupt of a vIOMMU: a wired, level-sensitive SPI. */
struct viommu_irq {
    uint32_t spi;               /* INTID */
    const char *name;           /* its entry of interrupt-names */
    const char *what;           /* what it signals, for messages */
};

#define VIOMMU_MAX_IRQS         4

/*
 * A vIOMMU type: its values in xl.cfg and the domain configuration, and
 * its guest device-tree node, the binding of Linux's
 * Documentation/devicetree/bindings/iommu/ it follows (the dom0less
 * builder makes the same node from Xen's description of the type).
 * Nothing outside this table names a type's node or interrupts.
 */
struct viommu_type {
    libxl_viommu_type type;
    const char *name;           /* xl.cfg's viommu= */
    uint8_t xen_type;           /* XEN_DOMCTL_CONFIG_VIOMMU_* */
    const char *compatible;
    uint64_t base;              /* its frame in the guest memory map */
    uint64_t size;
    unsigned int nr_irqs;       /* in the order of interrupt-names */
    struct viommu_irq irqs[VIOMMU_MAX_IRQS];
    uint32_t iommu_cells;       /* #iommu-cells */
    uint32_t phandle;
    bool coherent;              /* dma-coherent */
};

static const struct viommu_type viommu_types[] = {
    /*
     * dma-coherent is always there: the guest must write its queues and
     * stream table with cacheable attributes because Xen reads them
     * through cacheable mappings, and Xen only puts behind a vSMMUv3 the
     * streams of a coherent physical SMMUv3, which walks the guest's
     * context descriptors and stage-1 tables.
     */
    {
        .type = LIBXL_VIOMMU_TYPE_SMMUV3,
        .name = "smmuv3",
        .xen_type = XEN_DOMCTL_CONFIG_VIOMMU_SMMUV3,
        .compatible = "arm,smmu-v3",
        .base = GUEST_VSMMUV3_BASE,
        .size = GUEST_VSMMUV3_SIZE,
        .nr_irqs = 2,
        .irqs = {
            { GUEST_VSMMUV3_EVTQ_SPI, "eventq", "event queue" },
            { GUEST_VSMMUV3_GERROR_SPI, "gerror", "global error" },
        },
        .iommu_cells = 1,
        .phandle = GUEST_PHANDLE_VSMMUV3,
        .coherent = true,
    },
};

/* The domain's vIOMMU type; NULL for none or one libxl does not know. */
static const struct viommu_type *viommu_type(
    const libxl_domain_build_info *info)
{
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(viommu_types); i++)
        if (viommu_types[i].type == info->arch_arm.viommu_type)
            return &viommu_types[i];

    return NULL;
}

static uint32_t viommu_first_spi(const struct viommu_type *t)
{
    uint32_t spi = UINT32_MAX;
    unsigned int i;

    for (i = 0; i < t->nr_irqs; i++)
        spi = min(spi, t->irqs[i].spi);

    return spi;
}

static uint32_t viommu_last_spi(const struct viommu_type *t)
{
    uint32_t spi = 0;
    unsigned int i;

    for (i = 0; i < t->nr_irqs; i++)
        spi = max(spi, t->irqs[i].spi);

    return spi;
}

/*
 * Domain configuration: the domctl value of the vIOMMU type, the SPIs the
 * vIOMMU needs and the passthrough IRQs that would collide with them.
 * *nr_spis holds what the caller has computed so far; it only grows, to
 * cover the highest vIOMMU SPI (which also covers the vpl011 SPI).
 */
int libxl__arm_viommu_prepare_config(libxl__gc *gc,
                                     const libxl_domain_config *d_config,
                                     uint32_t *nr_spis,
                                     uint8_t *viommu_type_out)
{
    const libxl_domain_build_info *info = &d_config->b_info;
    const struct viommu_type *t;
    unsigned int i, j;

    if (!viommu_enabled(info)) {
        *viommu_type_out = XEN_DOMCTL_CONFIG_VIOMMU_NONE;
        return 0;
    }

    t = viommu_type(info);
    if (!t) {
        LOG(ERROR, "Unknown vIOMMU type %d: set viommu to \"none\" or \"smmuv3\"",
            info->arch_arm.viommu_type);
        return ERROR_FAIL;
    }
    *viommu_type_out = t->xen_type;

    for (i = 0; i < info->num_irqs; i++) {
        uint32_t irq = info->irqs[i];

        for (j = 0; j < t->nr_irqs; j++) {
            if (irq != t->irqs[j].spi)
                continue;
            LOG(ERROR, "irqs: IRQ %u is the %s SPI of viommu=\"%s\" (SPIs %u-%u): remove it from irqs or drop viommu",
                irq, t->irqs[j].what, t->name, viommu_first_spi(t),
                viommu_last_spi(t));
            return ERROR_FAIL;
        }
    }

    if (t->nr_irqs)
        *nr_spis = max(*nr_spis, viommu_last_spi(t) - 32 + 1);

    return 0;
}

/*
 * One rule for both builders (the dom0less builder applies it too): a
 * domain with a vIOMMU is IOMMU-enabled (XEN_DOMCTL_CDF_iommu) whenever
 * the host has an IOMMU, as a domain with passthrough devices is, since
 * the vIOMMU fronts them; Xen refuses a vIOMMU to a domain without an
 * IOMMU context there.  On a host without one no device can be passed
 * through and Xen gives the domain a vIOMMU that serves virtual streams
 * only.
 *
 * So libxl enables passthrough for a vIOMMU by default where the host has
 * an IOMMU (libxl__arch_passthrough_needed()), and refuses a domain whose
 * configuration disables it.
 */
bool libxl__arm_viommu_needs_passthrough(const libxl_domain_config *d_config,
                                         const libxl_physinfo *physinfo)
{
    return viommu_enabled(&d_config->b_info) && physinfo->cap_hvm_directio;
}

int libxl__arm_viommu_check_passthrough(libxl__gc *gc, uint32_t domid,
                                        const libxl_domain_config *d_config,
                                        const libxl_physinfo *physinfo)
{
    const struct viommu_type *t = viommu_type(&d_config->b_info);

    if (libxl__arm_viommu_needs_passthrough(d_config, physinfo) &&
        d_config->c_info.passthrough == LIBXL_PASSTHROUGH_DISABLED) {
        LOGD(ERROR, domid,
             "viommu=\"%s\" on a host with an IOMMU needs an IOMMU-enabled domain but passthrough=\"disabled\" is set: remove passthrough=\"disabled\"",
             t ? t->name : "?");
        return ERROR_INVAL;
    }

    return 0;
}

static void set_spi(fdt32_t *cells, unsigned int spi)
{
    cells[0] = cpu_to_fdt32(0);             /* SPI */
    cells[1] = cpu_to_fdt32(spi - 32);
    cells[2] = cpu_to_fdt32(DT_IRQ_TYPE_LEVEL_HIGH);
}

/*
 * The guest's node for the vIOMMU, from its type's entry of viommu_types.
 * For the virtual SMMUv3 (docs/configuration.md shows it):
 *
 *   iommu@4040000 {
 *       compatible = "arm,smmu-v3";
 *       reg = <0x0 0x4040000 0x0 0x20000>;
 *       interrupts = <0 12 4>, <0 13 4>;
 *       interrupt-names = "eventq", "gerror";
 *       interrupt-parent = <GUEST_PHANDLE_GIC>;
 *       #iommu-cells = <1>;
 *       phandle = <GUEST_PHANDLE_VSMMUV3>;
 *       dma-coherent;
 *   };
 */
int libxl__arm_viommu_make_node(libxl__gc *gc, void *fdt,
                                const libxl_domain_build_info *info)
{
    const struct viommu_type *t = viommu_type(info);
    fdt32_t reg[GUEST_ROOT_ADDRESS_CELLS + GUEST_ROOT_SIZE_CELLS];
    fdt32_t intr[VIOMMU_MAX_IRQS * 3];
    char names[VIOMMU_MAX_IRQS * 16];
    size_t len = 0, n;
    unsigned int i;
    int res;

    if (!viommu_enabled(info) || !t)
        return 0;

    BUILD_BUG_ON(GUEST_ROOT_ADDRESS_CELLS != 2 || GUEST_ROOT_SIZE_CELLS != 2);
    reg[0] = cpu_to_fdt32(t->base >> 32);
    reg[1] = cpu_to_fdt32(t->base);
    reg[2] = cpu_to_fdt32(t->size >> 32);
    reg[3] = cpu_to_fdt32(t->size);

    for (i = 0; i < t->nr_irqs; i++) {
        n = strlen(t->irqs[i].name) + 1;
        assert(n <= sizeof(names) - len);
        memcpy(&names[len], t->irqs[i].name, n);
        len += n;
        set_spi(&intr[i * 3], t->irqs[i].spi);
    }

    res = fdt_begin_node(fdt, GCSPRINTF("iommu@%"PRIx64, t->base));
    if (res) return res;

    res = fdt_property_string(fdt, "compatible", t->compatible);
    if (res) return res;

    res = fdt_property(fdt, "reg", reg, sizeof(reg));
    if (res) return res;

    if (t->nr_irqs) {
        res = fdt_property(fdt, "interrupts", intr,
                           t->nr_irqs * 3 * sizeof(intr[0]));
        if (res) return res;

        res = fdt_property(fdt, "interrupt-names", names, len);
        if (res) return res;

        res = fdt_property_cell(fdt, "interrupt-parent", GUEST_PHANDLE_GIC);
        if (res) return res;
    }

    res = fdt_property_cell(fdt, "#iommu-cells", t->iommu_cells);
    if (res) return res;

    res = fdt_property_cell(fdt, "phandle", t->phandle);
    if (res) return res;

    if (t->coherent) {
        res = fdt_property(fdt, "dma-coherent", NULL, 0);
        if (res) return res;
    }

    return fdt_end_node(fdt);
}

static bool is_dtdev(const libxl_domain_config *d_config, const char *path)
{
    int i;

    for (i = 0; i < d_config->num_dtdevs; i++)
        if (!strcmp(d_config->dtdevs[i].path, path))
            return true;

    return false;
}

static int get_node_path(libxl__gc *gc, const void *pfdt, int off,
                         const char **node)
{
    size_t size = 64;
    char *buf = NULL;
    int r;

    for (;;) {
        buf = libxl__realloc(gc, buf, size);
        r = fdt_get_path(pfdt, off, buf, size);
        if (r != -FDT_ERR_NOSPACE || size >= 4096)
            break;
        size <<= 1;
    }

    if (r) {
        LOG(ERROR, "Partial device tree: cannot get the path of a node: %s",
            fdt_strerror(r));
        return ERROR_FAIL;
    }

    *node = buf;
    return 0;
}

/* The xen,path of pfdt node @off, or NULL if it has none. */
static int get_xen_path(libxl__gc *gc, const void *pfdt, int off,
                        const char *node, const char **path)
{
    const char *p;
    int len;

    p = fdt_getprop(pfdt, off, "xen,path", &len);
    if (!p) {
        *path = NULL;
        return 0;
    }

    if (len < 2 || p[0] != '/' || memchr(p, '\0', len) != p + len - 1) {
        LOG(ERROR, "Partial device tree node %s: xen,path must be the host device-tree path of the device as one string: fix xen,path",
            node);
        return ERROR_FAIL;
    }

    *path = p;
    return 0;
}

/*
 * The "iommus" streams of a node: entries [0, @entries) of the host node
 * @path, with the vSIDs allocated from *next.
 */
static int add_iommus_streams(libxl__gc *gc, libxl__viommu_stream **streams,
                              unsigned int *num, unsigned int *next,
                              const char *node, const char *path,
                              unsigned int entries)
{
    unsigned int e;

    if (entries > VIOMMU_DT_MAX_STREAMS - *next) {
        LOG(ERROR, "Partial device tree: more than %u streams behind viommu=\"smmuv3\": assign fewer devices",
            VIOMMU_DT_MAX_STREAMS);
        return ERROR_FAIL;
    }

    GCREALLOC_ARRAY(*streams, *num + entries);
    for (e = 0; e < entries; e++) {
        (*streams)[*num].node = node;
        (*streams)[*num].path = path;
        (*streams)[*num].index = e;
        (*streams)[*num].vsid = (*next)++;
        (*num)++;
    }

    return 0;
}

/*
 * The streams of a host bridge, pfdt node @off with an "iommu-map" of
 * @maplen bytes: entry e of the host node's "iommus" is vSID e of the
 * node's xen,viommu-stream-ids, which must be a vSID of PCI functions
 * that its iommu-map reaches and that no other stream has (@pci_used, a
 * bitmap of the PCI vSIDs given so far).
 */
static int add_iommu_map_streams(libxl__gc *gc, const void *pfdt, int off,
                                 libxl__viommu_stream **streams,
                                 unsigned int *num, uint8_t *pci_used,
                                 const char *node, const char *path,
                                 int maplen)
{
    const fdt32_t *map, *vsids;
    unsigned int nr_map, nr, e, m;
    int len;

    if (maplen <= 0 || maplen % IOMMU_MAP_ENTRY_SIZE) {
        LOG(ERROR, "Partial device tree node %s: \"iommu-map\" must be <RID-base phandle vSID-base length> entries: fix iommu-map",
            node);
        return ERROR_FAIL;
    }
    map = fdt_getprop(pfdt, off, "iommu-map", NULL);
    nr_map = maplen / IOMMU_MAP_ENTRY_SIZE;

    vsids = fdt_getprop(pfdt, off, "xen,viommu-stream-ids", &len);
    if (!vsids) {
        LOG(ERROR, "Partial device tree node %s has \"iommu-map\" but no xen,viommu-stream-ids: add xen,viommu-stream-ids = <vSID ...>, the vSID of each entry of the host node's iommus",
            node);
        return ERROR_FAIL;
    }
    if (len <= 0 || len % sizeof(fdt32_t)) {
        LOG(ERROR, "Partial device tree node %s: xen,viommu-stream-ids must be one vSID cell per entry of the host node's iommus: fix xen,viommu-stream-ids",
            node);
        return ERROR_FAIL;
    }
    nr = len / sizeof(fdt32_t);

    for (e = 0; e < nr; e++) {
        uint32_t vsid = fdt32_to_cpu(vsids[e]);

        if (!is_pci_vsid(vsid) || vsid >= VIOMMU_SIDS) {
            LOG(ERROR, "Partial device tree node %s: vSID %#x of xen,viommu-stream-ids is outside the vSIDs of PCI functions (%#x-%#x): fix xen,viommu-stream-ids and iommu-map",
                node, vsid, VIOMMU_DT_MAX_STREAMS, VIOMMU_SIDS - 1);
            return ERROR_FAIL;
        }

        for (m = 0; m < nr_map; m++) {
            uint64_t base = fdt32_to_cpu(map[m * IOMMU_MAP_ENTRY_CELLS + 2]);
            uint64_t size = fdt32_to_cpu(map[m * IOMMU_MAP_ENTRY_CELLS + 3]);

            if (vsid >= base && vsid < base + size)
                break;
        }
        if (m == nr_map) {
            LOG(ERROR, "Partial device tree node %s: vSID %#x of xen,viommu-stream-ids is not in its iommu-map, so no function could use it: fix xen,viommu-stream-ids or iommu-map",
                node, vsid);
            return ERROR_FAIL;
        }

        vsid -= VIOMMU_DT_MAX_STREAMS;
        if (pci_used[vsid / 8] & (1U << (vsid % 8))) {
            LOG(ERROR, "Partial device tree node %s: vSID %#x of xen,viommu-stream-ids is given to two streams: give each stream its own vSID",
                node, vsid + VIOMMU_DT_MAX_STREAMS);
            return ERROR_FAIL;
        }
        pci_used[vsid / 8] |= 1U << (vsid % 8);
    }

    GCREALLOC_ARRAY(*streams, *num + nr);
    for (e = 0; e < nr; e++) {
        (*streams)[*num].node = node;
        (*streams)[*num].path = path;
        (*streams)[*num].index = e;
        (*streams)[*num].vsid = fdt32_to_cpu(vsids[e]);
        (*num)++;
    }

    return 0;
}

/*
 * Before the guest device tree is built: find the streams of the partial
 * device tree's (@pfdt, may be NULL) passthrough nodes and give each a
 * vSID, in state->viommu_streams: allocated for "iommus", read from
 * xen,viommu-stream-ids for the "iommu-map" of a host bridge.  With no
 * vIOMMU, leave both alone (and say so, since the guest then sees an
 * IOMMU reference it cannot resolve).
 */
int libxl__arm_viommu_scan_pfdt(libxl__gc *gc,
                                const libxl_domain_config *d_config,
                                const void *pfdt,
                                libxl__domain_build_state *state)
{
    libxl__viommu_stream *streams = NULL;
    uint8_t *pci_used = NULL;
    unsigned int num = 0, num_dt = 0, i;
    int root, off, depth, len, maplen, rc;

    state->viommu_streams = NULL;
    state->num_viommu_streams = 0;

    if (!pfdt)
        return 0;

    root = fdt_path_offset(pfdt, "/passthrough");
    if (root < 0)
        return 0;

    for (depth = 0, off = fdt_next_node(pfdt, root, &depth);
         off >= 0 && depth > 0;
         off = fdt_next_node(pfdt, off, &depth)) {
        const char *node, *path, *prop;
        bool iommus, iommu_map, vsids;

        iommus = fdt_getprop(pfdt, off, "iommus", &len);
        iommu_map = fdt_getprop(pfdt, off, "iommu-map", &maplen);
        vsids = fdt_getprop(pfdt, off, "xen,viommu-stream-ids", NULL);
        if (!iommus && !iommu_map && !vsids)
            continue;
        prop = iommus ? "iommus" : "iommu-map";

        rc = get_node_path(gc, pfdt, off, &node);
        if (rc) return rc;

        if (!viommu_enabled(&d_config->b_info)) {
            if (iommus)
                LOG(WARN, "Partial device tree node %s has \"iommus\" but viommu is not set: copied as is; set viommu=\"smmuv3\" to put the device behind a vSMMUv3",
                    node);
            if (iommu_map)
                LOG(WARN, "Partial device tree node %s has \"iommu-map\" but viommu is not set: copied as is; set viommu=\"smmuv3\" to put the host bridge behind a vSMMUv3",
                    node);
            continue;
        }

        if (iommus && iommu_map) {
            LOG(ERROR, "Partial device tree node %s has both \"iommus\" and \"iommu-map\": keep iommu-map for a PCI host bridge, iommus for any other device",
                node);
            return ERROR_FAIL;
        }

        if (!iommus && !iommu_map) {
            LOG(ERROR, "Partial device tree node %s has xen,viommu-stream-ids but no \"iommu-map\": it gives the vSIDs of a PCI host bridge's streams; remove it or add the host bridge's iommu-map",
                node);
            return ERROR_FAIL;
        }

        if (iommus && vsids) {
            LOG(ERROR, "Partial device tree node %s has xen,viommu-stream-ids with \"iommus\": the toolstack allocates the vSIDs of iommus; remove xen,viommu-stream-ids",
                node);
            return ERROR_FAIL;
        }

        if (iommus && (len <= 0 || len % IOMMUS_ENTRY_SIZE)) {
            LOG(ERROR, "Partial device tree node %s: \"iommus\" must be <phandle StreamID> entries (#iommu-cells = <1>), one per entry of the host node: fix iommus",
                node);
            return ERROR_FAIL;
        }

        rc = get_xen_path(gc, pfdt, off, node, &path);
        if (rc) return rc;

        if (!path) {
            LOG(ERROR, "Partial device tree node %s has \"%s\" but no xen,path: add xen,path = \"<host device-tree path>\" naming its dtdev",
                node, prop);
            return ERROR_FAIL;
        }

        if (!is_dtdev(d_config, path)) {
            LOG(ERROR, "Partial device tree node %s: xen,path \"%s\" is not assigned to the guest: add \"%s\" to dtdev",
                node, path, path);
            return ERROR_FAIL;
        }

        for (i = 0; i < num; i++) {
            if (!strcmp(streams[i].path, path)) {
                LOG(ERROR, "Partial device tree nodes %s and %s have the same xen,path \"%s\": keep one node per host device",
                    streams[i].node, node, path);
                return ERROR_FAIL;
            }
        }
        path = libxl__strdup(gc, path);

        if (iommus) {
            rc = add_iommus_streams(gc, &streams, &num, &num_dt, node, path,
                                    len / IOMMUS_ENTRY_SIZE);
            if (rc) return rc;
        } else {
            if (!pci_used)
                pci_used = libxl__zalloc(gc, VIOMMU_DT_MAX_STREAMS / 8);
            rc = add_iommu_map_streams(gc, pfdt, off, &streams, &num,
                                       pci_used, node, path, maplen);
            if (rc) return rc;
        }
    }

    if (off < 0 && off != -FDT_ERR_NOTFOUND) {
        LOG(ERROR, "Partial device tree: cannot walk /passthrough: %s",
            fdt_strerror(off));
        return ERROR_FAIL;
    }

    state->viommu_streams = streams;
    state->num_viommu_streams = num;

    return 0;
}

/* The streams from @i on that belong to the same node as stream @i. */
static unsigned int node_streams(const libxl__domain_build_state *state,
                                 unsigned int i)
{
    const libxl__viommu_stream *s = state->viommu_streams;
    unsigned int n;

    for (n = 1; i + n < state->num_viommu_streams &&
                !strcmp(s[i + n].node, s[i].node); n++)
        ;

    return n;
}

/*
 * xen,path names a node of the host's device tree, for the toolstack
 * only: the guest must not learn the host's topology from it.  Overwrite
 * it with NOPs in every node of the guest's /passthrough (offsets and
 * sizes do not change).
 */
static int strip_xen_path(libxl__gc *gc, void *fdt)
{
    int root, off, depth, res;

    root = fdt_path_offset(fdt, "/passthrough");
    if (root < 0)
        return 0;

    for (depth = 0, off = fdt_next_node(fdt, root, &depth);
         off >= 0 && depth > 0;
         off = fdt_next_node(fdt, off, &depth)) {
        res = fdt_nop_property(fdt, off, "xen,path");
        if (res && res != -FDT_ERR_NOTFOUND) {
            LOG(ERROR, "Guest device tree: cannot remove xen,path: %s",
                fdt_strerror(res));
            return ERROR_FAIL;
        }
    }

    return 0;
}

/*
 * After the guest device tree is built (its /passthrough is a copy of the
 * partial device tree's): rewrite "iommus" of the nodes found by
 * libxl__arm_viommu_scan_pfdt() to <GUEST_PHANDLE_VSMMUV3 vSID> entries,
 * and point each entry of a host bridge's "iommu-map" at the vSMMUv3
 * (its RIDs and vSIDs are the partial device tree's).  The sizes do not
 * change.  Then remove every xen,path, vIOMMU or not.
 */
int libxl__arm_viommu_fixup_fdt(libxl__gc *gc, void *fdt,
                                const libxl_domain_build_info *info,
                                const libxl__domain_build_state *state)
{
    const struct viommu_type *t = viommu_type(info);
    const libxl__viommu_stream *s = state->viommu_streams;
    unsigned int i = 0, n, e;
    const char *prop;
    fdt32_t *cells;
    int off, res, len;

    /* Streams are only found for a domain with a vIOMMU. */
    assert(t || !state->num_viommu_streams);

    while (i < state->num_viommu_streams) {
        const char *node = s[i].node;

        n = node_streams(state, i);

        off = fdt_path_offset(fdt, node);
        if (off < 0) {
            LOG(ERROR, "Guest device tree: no node %s: %s", node,
                fdt_strerror(off));
            return ERROR_FAIL;
        }

        if (is_pci_vsid(s[i].vsid)) {
            const fdt32_t *map;

            prop = "iommu-map";
            map = fdt_getprop(fdt, off, prop, &len);
            if (!map || len <= 0 || len % IOMMU_MAP_ENTRY_SIZE) {
                LOG(ERROR, "Guest device tree: %s has no iommu-map", node);
                return ERROR_FAIL;
            }
            cells = libxl__zalloc(gc, len);
            memcpy(cells, map, len);
            for (e = 0; e < len / IOMMU_MAP_ENTRY_SIZE; e++)
                cells[e * IOMMU_MAP_ENTRY_CELLS + 1] =
                    cpu_to_fdt32(t->phandle);
        } else {
            prop = "iommus";
            len = n * IOMMUS_ENTRY_SIZE;
            cells = libxl__zalloc(gc, len);
            for (e = 0; e < n; e++) {
                cells[e * IOMMUS_ENTRY_CELLS] = cpu_to_fdt32(t->phandle);
                cells[e * IOMMUS_ENTRY_CELLS + 1] =
                    cpu_to_fdt32(s[i + e].vsid);
            }
        }

        res = fdt_setprop_inplace(fdt, off, prop, cells, len);
        if (res) {
            LOG(ERROR, "Guest device tree: cannot rewrite %s of %s: %s",
                prop, node, fdt_strerror(res));
            return ERROR_FAIL;
        }

        i += n;
    }

    return strip_xen_path(gc, fdt);
}

/*
 * Once the devices are assigned: bind each vSID to its physical stream,
 * named by the host node and the entry of its "iommus"; then ask Xen for
 * the entry after a node's last (VIOMMU_PROBE_VSID): a host node with
 * more streams than the partial device tree's node gave vSIDs for would
 * leave a stream of the device out of the vSMMUv3, with its IOVAs taken
 * for guest addresses.
 */
int libxl__arm_viommu_bind_streams(libxl__gc *gc, uint32_t domid,
                                   const libxl__domain_build_state *state)
{
    const libxl__viommu_stream *s;
    unsigned int i = 0, n, e;
    bool pci;
    int r;

    while (i < state->num_viommu_streams) {
        n = node_streams(state, i);
        pci = is_pci_vsid(state->viommu_streams[i].vsid);

        for (e = 0; e < n; e++) {
            s = &state->viommu_streams[i + e];

            LOGD(DEBUG, domid, "vSID %#x: entry %u of the iommus of %s",
                 s->vsid, s->index, s->path);

            r = xc_domain_viommu_add_stream(CTX->xch, domid, s->vsid,
                                            s->path, s->index);
            if (r < 0 && pci) {
                LOGED(ERROR, domid,
                      "viommu=\"smmuv3\": cannot bind vSID %#x to entry %u of the iommus of host node %s (partial device tree node %s): check that its xen,viommu-stream-ids has one vSID per entry of the host node's iommus",
                      s->vsid, s->index, s->path, s->node);
                return ERROR_FAIL;
            }
            if (r < 0) {
                LOGED(ERROR, domid,
                      "viommu=\"smmuv3\": cannot bind vSID %u to entry %u of the iommus of host node %s (partial device tree node %s): check that its iommus lists the host node's entries",
                      s->vsid, s->index, s->path, s->node);
                return ERROR_FAIL;
            }
        }

        s = &state->viommu_streams[i];
        r = xc_domain_viommu_add_stream(CTX->xch, domid, VIOMMU_PROBE_VSID,
                                        s->path, n);
        if (r >= 0 || errno != ENOENT) {
            LOGED(ERROR, domid,
                  "viommu=\"smmuv3\": host node %s has more streams than the %u of partial device tree node %s: give %s",
                  s->path, n, s->node,
                  pci ? "xen,viommu-stream-ids one vSID per entry of the host node's iommus"
                      : "its iommus one entry per entry of the host node's iommus");
            return ERROR_FAIL;
        }

        i += n;
    }

    return 0;
}

/*
 * Local variables:
 * mode: C
 * c-basic-offset: 4
 * indent-tabs-mode: nil
 * End:
 */
