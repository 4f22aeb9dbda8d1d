/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A PCIe host bridge with an ECAM window (PCI Firmware 3.2 / PCIe 4.1:
 * function config space at bus << 20 | device << 15 | function << 12),
 * described by the guest's device tree (IEEE 1275 PCI bus binding; the
 * iommu-map binding of Linux's Documentation/devicetree/bindings/pci/
 * pci-iommu.txt).
 */
#include <xtf.h>
#include <xtf/pci.h>

/* ranges: phys.hi space code 0b10 = 32-bit memory (the binding's "ss"). */
#define RANGE_SPACE(hi)         (((hi) >> 24) & 3)
#define RANGE_SPACE_MEM32       2
/* interrupt-map: child unit address (3), child pin (1), parent, GIC (3). */
#define IMAP_CELLS              8

static uintptr_t cfg_addr(const struct pci_host *h, pci_bdf_t bdf,
                          unsigned int off)
{
    return h->ecam + ((uint64_t)(PCI_BUS(bdf) - h->bus_first) << 20) +
           ((uint64_t)(bdf & 0xff) << 12) + (off & 0xfff);
}

uint32_t pci_cfg_read32(const struct pci_host *h, pci_bdf_t bdf,
                        unsigned int off)
{
    return mmio_read32(cfg_addr(h, bdf, off & ~3U));
}

uint16_t pci_cfg_read16(const struct pci_host *h, pci_bdf_t bdf,
                        unsigned int off)
{
    return pci_cfg_read32(h, bdf, off) >> ((off & 2) * 8);
}

uint8_t pci_cfg_read8(const struct pci_host *h, pci_bdf_t bdf,
                      unsigned int off)
{
    return pci_cfg_read32(h, bdf, off) >> ((off & 3) * 8);
}

void pci_cfg_write32(const struct pci_host *h, pci_bdf_t bdf,
                     unsigned int off, uint32_t v)
{
    mmio_write32(cfg_addr(h, bdf, off & ~3U), v);
    dsb(sy);
}

void pci_cfg_write16(const struct pci_host *h, pci_bdf_t bdf,
                     unsigned int off, uint16_t v)
{
    mmio_write16(cfg_addr(h, bdf, off & ~1U), v);
    dsb(sy);
}

bool pci_host_probe(struct pci_host *h)
{
    const uint8_t *p;
    int len, i;

    memset(h, 0, sizeof(*h));
    h->node = fdt_find_compatible(xtf_fdt, -1, "pci-host-ecam-generic");
    if ( h->node < 0 )
    {
        printk("pci: no pci-host-ecam-generic node in the guest's tree\n");
        return false;
    }

    p = fdt_prop(xtf_fdt, h->node, "reg", &len);
    if ( !p || len < 16 )
    {
        printk("pci: %s has no reg\n", fdt_name(xtf_fdt, h->node));
        return false;
    }
    h->ecam = fdt64_at(p);
    h->ecam_size = fdt64_at(p + 8);

    h->bus_first = 0;
    h->bus_last = (h->ecam_size >> 20) - 1;
    p = fdt_prop(xtf_fdt, h->node, "bus-range", &len);
    if ( p && len == 8 )
    {
        h->bus_first = fdt32_at(p);
        h->bus_last = MIN((unsigned int)fdt32_at(p + 4),
                          h->bus_first + (unsigned int)(h->ecam_size >> 20) -
                          1);
    }

    /* ranges: pci address (3), cpu address (2), size (2). */
    p = fdt_prop(xtf_fdt, h->node, "ranges", &len);
    for ( i = 0; p && i + 28 <= len; i += 28 )
    {
        if ( RANGE_SPACE(fdt32_at(p + i)) != RANGE_SPACE_MEM32 )
            continue;
        h->mem_pci = fdt64_at(p + i + 4);
        h->mem_cpu = fdt64_at(p + i + 12);
        h->mem_size = fdt64_at(p + i + 20);
        break;
    }
    if ( !h->mem_size )
    {
        printk("pci: %s has no 32-bit memory window in ranges\n",
               fdt_name(xtf_fdt, h->node));
        return false;
    }

    p = fdt_prop(xtf_fdt, h->node, "iommu-map", &len);
    if ( p && len >= 16 )
    {
        h->has_iommu_map = true;
        h->map_rid = fdt32_at(p);
        h->map_phandle = fdt32_at(p + 4);
        h->map_sid = fdt32_at(p + 8);
        h->map_len = fdt32_at(p + 12);
    }

    return true;
}

bool pci_find(const struct pci_host *h, uint16_t vendor, uint16_t device,
              unsigned int index, pci_bdf_t *bdf)
{
    unsigned int bus, dev, fn;

    for ( bus = h->bus_first; bus <= h->bus_last; bus++ )
        for ( dev = 0; dev < 32; dev++ )
            for ( fn = 0; fn < 8; fn++ )
            {
                pci_bdf_t b = PCI_BDF(bus, dev, fn);
                uint32_t id = pci_cfg_read32(h, b, PCI_VENDOR_ID);

                if ( (id & 0xffff) == 0xffff )
                {
                    if ( fn == 0 )
                        break;
                    continue;
                }
                if ( (id & 0xffff) == vendor && (id >> 16) == device &&
                     index-- == 0 )
                {
                    *bdf = b;
                    return true;
                }
                if ( fn == 0 && !(pci_cfg_read8(h, b, PCI_HEADER_TYPE) &
                                  PCI_HEADER_MULTI) )
                    break;
            }

    return false;
}

uint64_t pci_bar_assign(struct pci_host *h, pci_bdf_t bdf, unsigned int bar,
                        uint64_t *size)
{
    unsigned int off = PCI_BAR0 + 4 * bar;
    uint32_t orig = pci_cfg_read32(h, bdf, off), lo, hi = ~0U;
    bool is64 = (orig & 6) == PCI_BAR_MEM64;
    uint16_t cmd = pci_cfg_read16(h, bdf, PCI_COMMAND);
    uint64_t sz, pci;

    if ( orig & PCI_BAR_IO )
        return 0;

    /* Size it with decoding off (PCI 3.0, 6.2.5.1). */
    pci_cfg_write16(h, bdf, PCI_COMMAND, cmd & ~PCI_COMMAND_MEMORY);
    pci_cfg_write32(h, bdf, off, ~0U);
    lo = pci_cfg_read32(h, bdf, off) & PCI_BAR_MEM_MASK;
    if ( is64 )
    {
        pci_cfg_write32(h, bdf, off + 4, ~0U);
        hi = pci_cfg_read32(h, bdf, off + 4);
    }
    sz = ~(((uint64_t)hi << 32) | lo) + 1;
    if ( !lo && !(is64 && hi) )
        sz = 0;

    pci = ROUNDUP(h->mem_pci + h->mem_used, sz ? sz : 1);
    if ( !sz || pci + sz > h->mem_pci + h->mem_size )
    {
        pci_cfg_write32(h, bdf, off, orig);
        pci_cfg_write16(h, bdf, PCI_COMMAND, cmd);
        return 0;
    }
    h->mem_used = pci + sz - h->mem_pci;

    pci_cfg_write32(h, bdf, off, (uint32_t)pci | (orig & 0xf));
    if ( is64 )
        pci_cfg_write32(h, bdf, off + 4, pci >> 32);
    pci_cfg_write16(h, bdf, PCI_COMMAND, cmd);
    if ( size )
        *size = sz;

    return pci - h->mem_pci + h->mem_cpu;
}

void pci_command(const struct pci_host *h, pci_bdf_t bdf, uint16_t set,
                 uint16_t clear)
{
    uint16_t cmd = pci_cfg_read16(h, bdf, PCI_COMMAND);

    pci_cfg_write16(h, bdf, PCI_COMMAND, (cmd & ~clear) | set);
}

uint32_t pci_sid(const struct pci_host *h, pci_bdf_t bdf)
{
    if ( !h->has_iommu_map || bdf < h->map_rid ||
         bdf - h->map_rid >= h->map_len )
        return PCI_NO_SID;

    return bdf - h->map_rid + h->map_sid;
}

unsigned int pci_intx_intid(const struct pci_host *h, pci_bdf_t bdf)
{
    unsigned int pin = pci_cfg_read8(h, bdf, PCI_INTERRUPT_PIN);
    const uint8_t *map, *mask;
    uint32_t want[4];
    int len, mlen, i, c;

    map = fdt_prop(xtf_fdt, h->node, "interrupt-map", &len);
    mask = fdt_prop(xtf_fdt, h->node, "interrupt-map-mask", &mlen);
    if ( !pin || !map || !mask || mlen != 16 )
        return 0;

    want[0] = (bdf << 8) & fdt32_at(mask);
    want[1] = 0;
    want[2] = 0;
    want[3] = pin & fdt32_at(mask + 12);
    for ( i = 0; i + IMAP_CELLS * 4 <= len; i += IMAP_CELLS * 4 )
    {
        for ( c = 0; c < 4; c++ )
            if ( fdt32_at(map + i + 4 * c) != want[c] )
                break;
        /* GIC specifier: type (0: SPI), number, flags. */
        if ( c == 4 && fdt32_at(map + i + 20) == 0 )
            return 32 + fdt32_at(map + i + 24);
    }

    return 0;
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
