/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * QEMU's "edu" PCI device (1234:11e8, QEMU docs/specs/edu.rst): a DMA engine
 * that copies between memory (through the IOMMU: its DMAs carry its
 * requester ID as StreamID) and a 4 KiB buffer of its own at device address
 * 0x40000.
 *
 * A DMA runs 100 ms of QEMU's virtual clock after it is started (a timer),
 * then clears the RUN bit of its command register.  A DMA the IOMMU refuses
 * still "completes": the device does not know; what it read is then
 * nothing (zeros) and what it wrote went nowhere.  Its DMA addresses are
 * ANDed with its dma_mask property (28 bits unless the test's QEMU_DEVICES
 * give it more).
 */
#ifndef XTF_EDU_H
#define XTF_EDU_H

#include <xtf/types.h>
#include <arch/arm64.h>
#include <xtf/pci.h>

#define EDU_VENDOR_ID           0x1234
#define EDU_DEVICE_ID           0x11e8

/* BAR0 registers. */
#define EDU_REG_ID              0x00    /* 0x010000ed: version 1.0 */
#define   EDU_ID_VALUE          0x010000edU
#define EDU_REG_LIVENESS        0x04    /* reads back the inverse */
#define EDU_REG_IRQ_STATUS      0x24
#define EDU_REG_IRQ_RAISE       0x60
#define EDU_REG_IRQ_ACK         0x64
#define EDU_REG_DMA_SRC         0x80    /* 64-bit */
#define EDU_REG_DMA_DST         0x88
#define EDU_REG_DMA_CNT         0x90
#define EDU_REG_DMA_CMD         0x98
#define   EDU_DMA_RUN           0x1
#define   EDU_DMA_TO_RAM        0x2     /* direction: buffer -> memory */
#define   EDU_DMA_IRQ           0x4     /* raise EDU_IRQ_DMA when done */
#define EDU_IRQ_DMA             0x100

/* The device's own buffer, as a DMA address. */
#define EDU_BUF                 0x40000U
#define EDU_BUF_SIZE            4096U

/* A DMA takes 100 ms of virtual time; allow for a loaded host. */
#define EDU_DMA_TIMEOUT_US      3000000U

struct edu {
    pci_bdf_t bdf;
    uintptr_t bar;              /* BAR0, CPU address */
    uint32_t sid;               /* StreamID at the vSMMU (iommu-map) */
    unsigned int intid;         /* INTx, GIC INTID */
};

/*
 * The @index'th edu on @h: BAR0 assigned, memory decoding and bus
 * mastering on, identity and liveness checked.  False (with the reason
 * printed) if there is none or it does not answer.
 */
bool edu_probe(struct pci_host *h, unsigned int index, struct edu *e);

/*
 * Start a DMA of @len bytes: from memory at DMA address @iova into the
 * device buffer at @off (edu_dma_from_mem), or from the buffer at @off to
 * memory at @iova (edu_dma_to_mem).  @flags: EDU_DMA_IRQ or 0.
 */
void edu_dma_from_mem_start(const struct edu *e, uint64_t iova,
                            unsigned int off, unsigned int len,
                            unsigned int flags);
void edu_dma_to_mem_start(const struct edu *e, unsigned int off,
                          uint64_t iova, unsigned int len,
                          unsigned int flags);
/* Poll the RUN bit until it clears: false after @us. */
bool edu_dma_wait(const struct edu *e, uint64_t us);
/* Start and wait (EDU_DMA_TIMEOUT_US); false, with a failure, on timeout. */
bool edu_dma_from_mem(const struct edu *e, uint64_t iova, unsigned int off,
                      unsigned int len);
bool edu_dma_to_mem(const struct edu *e, unsigned int off, uint64_t iova,
                    unsigned int len);

static inline uint32_t edu_read32(const struct edu *e, unsigned int reg)
{
    return mmio_read32(e->bar + reg);
}

static inline void edu_write32(const struct edu *e, unsigned int reg,
                               uint32_t v)
{
    mmio_write32(e->bar + reg, v);
}

/* Test buffers: a byte pattern of @seed, and where it is wrong. */
void pattern_fill(void *buf, size_t len, uint32_t seed);
/* Offset of the first byte that is not pattern @seed, or @len. */
size_t pattern_check(const void *buf, size_t len, uint32_t seed);
/* Offset of the first byte that is not @byte, or @len. */
size_t bytes_check(const void *buf, size_t len, uint8_t byte);

#endif /* XTF_EDU_H */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
