/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * QEMU's edu device: its DMA engine.
 */
#include <xtf.h>
#include <xtf/edu.h>

bool edu_probe(struct pci_host *h, unsigned int index, struct edu *e)
{
    uint64_t size;
    uint32_t id;

    memset(e, 0, sizeof(*e));
    if ( !pci_find(h, EDU_VENDOR_ID, EDU_DEVICE_ID, index, &e->bdf) )
    {
        printk("edu: no edu device #%u on the host bridge\n", index);
        return false;
    }
    e->bar = pci_bar_assign(h, e->bdf, 0, &size);
    if ( !e->bar )
    {
        printk("edu %02x:%02x.%u: BAR0 does not fit the memory window\n",
               PCI_BUS(e->bdf), PCI_SLOT(e->bdf), PCI_FUNC(e->bdf));
        return false;
    }
    pci_command(h, e->bdf, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 0);
    e->sid = pci_sid(h, e->bdf);
    e->intid = pci_intx_intid(h, e->bdf);

    id = edu_read32(e, EDU_REG_ID);
    edu_write32(e, EDU_REG_LIVENESS, 0x12345678);
    if ( id != EDU_ID_VALUE || edu_read32(e, EDU_REG_LIVENESS) != ~0x12345678U )
    {
        printk("edu %02x:%02x.%u: BAR0 at %#lx does not answer (id %#x)\n",
               PCI_BUS(e->bdf), PCI_SLOT(e->bdf), PCI_FUNC(e->bdf),
               (unsigned long)e->bar, id);
        return false;
    }

    printk("edu %02x:%02x.%u: BAR0 %#lx (%lu KiB), vSID %#x, INTx %u\n",
           PCI_BUS(e->bdf), PCI_SLOT(e->bdf), PCI_FUNC(e->bdf),
           (unsigned long)e->bar, (unsigned long)(size >> 10), e->sid,
           e->intid);
    return true;
}

static void dma_start(const struct edu *e, uint64_t src, uint64_t dst,
                      unsigned int len, uint32_t cmd)
{
    dsb(sy);                    /* the buffers and tables before the DMA */
    mmio_write64(e->bar + EDU_REG_DMA_SRC, src);
    mmio_write64(e->bar + EDU_REG_DMA_DST, dst);
    mmio_write64(e->bar + EDU_REG_DMA_CNT, len);
    mmio_write64(e->bar + EDU_REG_DMA_CMD, cmd | EDU_DMA_RUN);
}

void edu_dma_from_mem_start(const struct edu *e, uint64_t iova,
                            unsigned int off, unsigned int len,
                            unsigned int flags)
{
    dma_start(e, iova, EDU_BUF + off, len, flags);
}

void edu_dma_to_mem_start(const struct edu *e, unsigned int off,
                          uint64_t iova, unsigned int len,
                          unsigned int flags)
{
    dma_start(e, EDU_BUF + off, iova, len, flags | EDU_DMA_TO_RAM);
}

bool edu_dma_wait(const struct edu *e, uint64_t us)
{
    uint64_t start = counter_now();

    do {
        if ( !(mmio_read64(e->bar + EDU_REG_DMA_CMD) & EDU_DMA_RUN) )
        {
            dsb(sy);
            return true;
        }
    } while ( counter_us_since(start) < us );

    return false;
}

bool edu_dma_from_mem(const struct edu *e, uint64_t iova, unsigned int off,
                      unsigned int len)
{
    edu_dma_from_mem_start(e, iova, off, len, 0);
    if ( edu_dma_wait(e, EDU_DMA_TIMEOUT_US) )
        return true;
    xtf_failure("Fail: edu %#x: DMA from %#lx did not end within %u us\n",
                e->bdf, (unsigned long)iova, EDU_DMA_TIMEOUT_US);
    return false;
}

bool edu_dma_to_mem(const struct edu *e, unsigned int off, uint64_t iova,
                    unsigned int len)
{
    edu_dma_to_mem_start(e, off, iova, len, 0);
    if ( edu_dma_wait(e, EDU_DMA_TIMEOUT_US) )
        return true;
    xtf_failure("Fail: edu %#x: DMA to %#lx did not end within %u us\n",
                e->bdf, (unsigned long)iova, EDU_DMA_TIMEOUT_US);
    return false;
}

static uint8_t pattern_byte(size_t i, uint32_t seed)
{
    uint32_t x = (uint32_t)i * 2654435761U + seed;

    return (x >> 24) ^ (x >> 8) ^ (uint8_t)i;
}

void pattern_fill(void *buf, size_t len, uint32_t seed)
{
    volatile uint8_t *b = buf;
    size_t i;

    for ( i = 0; i < len; i++ )
        b[i] = pattern_byte(i, seed);
    dsb(sy);
}

size_t pattern_check(const void *buf, size_t len, uint32_t seed)
{
    const volatile uint8_t *b = buf;
    size_t i;

    for ( i = 0; i < len; i++ )
        if ( b[i] != pattern_byte(i, seed) )
            return i;

    return len;
}

size_t bytes_check(const void *buf, size_t len, uint8_t byte)
{
    const volatile uint8_t *b = buf;
    size_t i;

    for ( i = 0; i < len; i++ )
        if ( b[i] != byte )
            return i;

    return len;
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
