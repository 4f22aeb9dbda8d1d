/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/dt-no-viommu/main.c
 * @ref test-dt-no-viommu
 *
 * @page test-dt-no-viommu No vSMMUv3 unless asked for
 *
 * A domain built without the "viommu" property has no vSMMUv3: its device
 * tree has no "arm,smmu-v3" node and nothing uses the vSMMUv3 phandle, and
 * the guest frame is not emulated, so accesses to page 0 and page 1 abort
 * (Xen 4.20 injects a data abort for unhandled MMIO).
 */
#include <xtf.h>
#include <xtf/smmu.h>

const char test_title[] = "No vSMMUv3 without viommu";

static void expect_abort(unsigned int off, bool write)
{
    struct xtf_fault f;

    xtf_fault_expect();
    if ( write )
        smmu_write32(off, 0);
    else
        (void)mmio_read32_seed(smmu_reg(off), 0);
    f = xtf_fault_end();

    if ( !xtf_fault_is_dabt(&f) )
        xtf_failure("Fail: %s of frame offset %#x did not abort\n",
                    write ? "write" : "read", off);
    else if ( f.far != smmu_reg(off) )
        xtf_failure("Fail: abort at %#lx, expected %#lx\n",
                    (unsigned long)f.far, (unsigned long)smmu_reg(off));
}

void test_main(void)
{
    int node, n;

    node = fdt_find_compatible(xtf_fdt, -1, "arm,smmu-v3");
    if ( node >= 0 )
        xtf_failure("Fail: unexpected node %s\n", fdt_name(xtf_fdt, node));

    n = fdt_find_phandle(xtf_fdt, GUEST_PHANDLE_VSMMUV3);
    if ( n >= 0 )
        xtf_failure("Fail: node %s uses the vSMMUv3 phandle\n",
                    fdt_name(xtf_fdt, n));

    for ( n = fdt_first_child(xtf_fdt, fdt_root(xtf_fdt)); n >= 0;
          n = fdt_next_sibling(xtf_fdt, n) )
        if ( !strncmp(fdt_name(xtf_fdt, n), "iommu", 5) )
            xtf_failure("Fail: unexpected node %s\n", fdt_name(xtf_fdt, n));

    expect_abort(SMMU_IDR0, false);
    expect_abort(SMMU_CR0, true);
    expect_abort(SMMU_EVENTQ_PROD, false);

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
