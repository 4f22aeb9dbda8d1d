/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A PCIe host bridge the guest owns (a "pci-host-ecam-generic" node of its
 * device tree, as the runner passes QEMU's through: tests/xtf/xtf-runner,
 * xvqemu.pcie_partial_dts()): ECAM configuration accesses, enumeration,
 * BAR assignment from the bridge's 32-bit memory window, the INTx lines of
 * its interrupt-map and the StreamIDs of its iommu-map.
 *
 * Everything is read from the guest's own device tree; the tree is the
 * one the runner writes (cell counts of 2 for addresses and sizes above
 * the bridge, 3 + 1 + 1 + 3 cells per interrupt-map entry).
 */
#ifndef XTF_PCI_H
#define XTF_PCI_H

#include <xtf/types.h>

/* A function: bus << 8 | device << 3 | function, its requester ID. */
typedef uint32_t pci_bdf_t;

#define PCI_BDF(bus, dev, fn)   (((bus) << 8) | ((dev) << 3) | (fn))
#define PCI_BUS(bdf)            (((bdf) >> 8) & 0xff)
#define PCI_SLOT(bdf)           (((bdf) >> 3) & 0x1f)
#define PCI_FUNC(bdf)           ((bdf) & 7)

/* Configuration space (PCI Local Bus 3.0, 6.1). */
#define PCI_VENDOR_ID           0x00
#define PCI_DEVICE_ID           0x02
#define PCI_COMMAND             0x04
#define   PCI_COMMAND_MEMORY    (1U << 1)
#define   PCI_COMMAND_MASTER    (1U << 2)
#define   PCI_COMMAND_INTX_OFF  (1U << 10)
#define PCI_HEADER_TYPE         0x0e
#define   PCI_HEADER_MULTI      0x80
#define PCI_BAR0                0x10
#define   PCI_BAR_IO            (1U << 0)
#define   PCI_BAR_MEM64         (2U << 1)
#define   PCI_BAR_MEM_MASK      (~0xfU)
#define PCI_INTERRUPT_PIN       0x3d

#define PCI_NO_SID              (~0U)

struct pci_host {
    uint64_t ecam;              /* CPU address of the ECAM window */
    uint64_t ecam_size;
    unsigned int bus_first, bus_last;
    uint64_t mem_cpu;           /* 32-bit memory window: CPU address, */
    uint64_t mem_pci;           /* bus address and size */
    uint64_t mem_size;
    uint64_t mem_used;          /* bytes handed out by pci_bar_assign() */
    int node;                   /* its node in the guest's tree */
    /* iommu-map (one entry): RIDs [rid, rid + len) are IOMMU IDs from sid */
    bool has_iommu_map;
    uint32_t map_rid, map_phandle, map_sid, map_len;
};

/* Find the host bridge in the guest's tree; false (and why) if none. */
bool pci_host_probe(struct pci_host *h);

uint32_t pci_cfg_read32(const struct pci_host *h, pci_bdf_t bdf,
                        unsigned int off);
uint16_t pci_cfg_read16(const struct pci_host *h, pci_bdf_t bdf,
                        unsigned int off);
uint8_t pci_cfg_read8(const struct pci_host *h, pci_bdf_t bdf,
                      unsigned int off);
void pci_cfg_write32(const struct pci_host *h, pci_bdf_t bdf,
                     unsigned int off, uint32_t v);
void pci_cfg_write16(const struct pci_host *h, pci_bdf_t bdf,
                     unsigned int off, uint16_t v);

/*
 * The @index'th function (0 first, in bus/device/function order) with
 * @vendor:@device on the bridge's buses; false if there is none.
 */
bool pci_find(const struct pci_host *h, uint16_t vendor, uint16_t device,
              unsigned int index, pci_bdf_t *bdf);

/*
 * Size memory BAR @bar of @bdf, give it naturally aligned space from the
 * memory window and program it (memory decoding is left as it was).
 * Returns its CPU address, or 0 if it is no memory BAR or does not fit;
 * its size in *size if @size is not NULL.
 */
uint64_t pci_bar_assign(struct pci_host *h, pci_bdf_t bdf, unsigned int bar,
                        uint64_t *size);

/* Set or clear COMMAND bits (memory decoding, bus mastering). */
void pci_command(const struct pci_host *h, pci_bdf_t bdf, uint16_t set,
                 uint16_t clear);

/* The IOMMU ID (vSID) of requester @bdf through iommu-map, or PCI_NO_SID. */
uint32_t pci_sid(const struct pci_host *h, pci_bdf_t bdf);

/* The GIC INTID of @bdf's INTx pin (its Interrupt Pin), or 0 if none. */
unsigned int pci_intx_intid(const struct pci_host *h, pci_bdf_t bdf);

#endif /* XTF_PCI_H */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
