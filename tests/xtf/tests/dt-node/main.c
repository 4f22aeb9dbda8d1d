/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/dt-node/main.c
 * @ref test-dt-node
 *
 * @page test-dt-node vSMMUv3 device-tree node
 *
 * A domain built with viommu = "smmuv3" finds exactly one vSMMUv3 node in
 * the device tree Xen made for it, with what Linux's arm-smmu-v3 binding
 * needs (S7.1: #iommu-cells = <1>, a 128 KiB frame) and what the public ABI
 * promises: the frame at GUEST_VSMMUV3_BASE, the "eventq" and "gerror"
 * wired level-high SPIs GUEST_VSMMUV3_{EVTQ,GERROR}_SPI routed to the GIC,
 * phandle GUEST_PHANDLE_VSMMUV3, and dma-coherent exactly when IDR0.COHACC
 * says so.  The frame answers at that address.
 */
#include <xtf.h>
#include <xtf/smmu.h>

const char test_title[] = "vSMMUv3 device-tree node (viommu = \"smmuv3\")";

static const void *prop(int node, const char *name, int *len)
{
    const void *p = fdt_prop(xtf_fdt, node, name, len);

    if ( !p )
        xtf_failure("Fail: property %s missing\n", name);

    return p;
}

static bool cells_eq(const void *p, int len, const uint32_t *want,
                     unsigned int n, const char *name)
{
    unsigned int i;

    if ( !p )
        return false;
    if ( len != (int)(n * 4) )
    {
        xtf_failure("Fail: %s is %d bytes, expected %u\n", name, len, n * 4);
        return false;
    }
    for ( i = 0; i < n; i++ )
        if ( fdt32_at((const uint8_t *)p + 4 * i) != want[i] )
        {
            xtf_failure("Fail: %s cell %u is %#x, expected %#x\n", name, i,
                        fdt32_at((const uint8_t *)p + 4 * i), want[i]);
            return false;
        }

    return true;
}

void test_main(void)
{
    const void *fdt = xtf_fdt;
    int root = fdt_root(fdt), node, gic, other, len;
    char want_name[32];
    const void *p;
    uint32_t idr0;
    bool coherent;
    /* Linux's binding: interrupts = <GIC_SPI n IRQ_TYPE_LEVEL_HIGH>. */
    const uint32_t want_reg[] = {
        GUEST_VSMMUV3_BASE >> 32, (uint32_t)GUEST_VSMMUV3_BASE,
        GUEST_VSMMUV3_SIZE >> 32, (uint32_t)GUEST_VSMMUV3_SIZE,
    };
    const uint32_t want_irqs[] = {
        0, GUEST_VSMMUV3_EVTQ_SPI - 32, 4,
        0, GUEST_VSMMUV3_GERROR_SPI - 32, 4,
    };
    const uint32_t one = 1, ph_gic = GUEST_PHANDLE_GIC;
    const uint32_t ph_smmu = GUEST_PHANDLE_VSMMUV3;
    static const char names[] = "eventq\0gerror";

    node = fdt_find_compatible(fdt, -1, "arm,smmu-v3");
    if ( node < 0 )
        return xtf_failure("Fail: no node compatible with \"arm,smmu-v3\"\n");

    other = fdt_find_compatible(fdt, node, "arm,smmu-v3");
    if ( other >= 0 )
        xtf_failure("Fail: a second vSMMUv3 node %s\n", fdt_name(fdt, other));

    snprintf(want_name, sizeof(want_name), "iommu@%llx",
             (unsigned long long)GUEST_VSMMUV3_BASE);
    if ( strcmp(fdt_name(fdt, node), want_name) )
        xtf_failure("Fail: node is %s, expected %s\n", fdt_name(fdt, node),
                    want_name);
    if ( fdt_child(fdt, root, want_name) != node )
        xtf_failure("Fail: %s is not a child of the root\n", want_name);

    /* The root's cells size reg (GUEST_ROOT_{ADDRESS,SIZE}_CELLS = 2). */
    p = prop(root, "#address-cells", &len);
    if ( p && fdt32_at(p) != 2 )
        xtf_error("Error: root #address-cells %u\n", fdt32_at(p));
    p = prop(root, "#size-cells", &len);
    if ( p && fdt32_at(p) != 2 )
        xtf_error("Error: root #size-cells %u\n", fdt32_at(p));

    p = prop(node, "reg", &len);
    cells_eq(p, len, want_reg, ARRAY_SIZE(want_reg), "reg");

    p = prop(node, "interrupts", &len);
    cells_eq(p, len, want_irqs, ARRAY_SIZE(want_irqs), "interrupts");

    p = prop(node, "interrupt-names", &len);
    if ( p && (len != sizeof(names) || memcmp(p, names, sizeof(names))) )
        xtf_failure("Fail: interrupt-names is not \"eventq\", \"gerror\"\n");

    /* The interrupt parent is the guest's GIC, by phandle. */
    p = prop(node, "interrupt-parent", &len);
    if ( cells_eq(p, len, &ph_gic, 1, "interrupt-parent") )
    {
        gic = fdt_find_phandle(fdt, GUEST_PHANDLE_GIC);
        if ( gic < 0 || !fdt_compatible(fdt, gic, "arm,gic-v3") )
            xtf_failure("Fail: interrupt-parent is not the GICv3 node\n");
    }

    p = prop(node, "#iommu-cells", &len);
    cells_eq(p, len, &one, 1, "#iommu-cells");

    p = prop(node, "phandle", &len);
    if ( cells_eq(p, len, &ph_smmu, 1, "phandle") &&
         fdt_find_phandle(fdt, GUEST_PHANDLE_VSMMUV3) != node )
        xtf_failure("Fail: phandle %u is not unique\n", ph_smmu);

    /* The frame answers: dma-coherent follows the advertised COHACC. */
    xtf_fault_expect();
    idr0 = mmio_read32_seed(smmu_reg(SMMU_IDR0), 0xdeadbeef);
    {
        struct xtf_fault f = xtf_fault_end();

        if ( f.count )
            return xtf_failure("Fail: reading IDR0 faulted (ESR %#lx)\n",
                               (unsigned long)f.esr);
    }
    coherent = fdt_prop(fdt, node, "dma-coherent", &len) != NULL;
    if ( coherent != !!(idr0 & SMMU_IDR0_COHACC) )
        xtf_failure("Fail: dma-coherent %s but IDR0.COHACC=%u\n",
                    coherent ? "present" : "absent",
                    !!(idr0 & SMMU_IDR0_COHACC));
    if ( coherent && len != 0 )
        xtf_failure("Fail: dma-coherent has a value (%d bytes)\n", len);

    printk("%s: IDR0 %#x, dma-coherent %s\n", want_name, idr0,
           coherent ? "yes" : "no");
    xtf_success(NULL);
}

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
