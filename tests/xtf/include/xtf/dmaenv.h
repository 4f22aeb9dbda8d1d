/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The set-up every DMA test shares: a guest that owns QEMU's PCIe host
 * bridge (its test's Makefile: QEMU_USE := qemu10, QEMU_DEVICES with edu
 * devices, PCI_GUEST), edu devices behind its vSMMU, which is nested on
 * the physical SMMUv3 (docs/testing-guests.md, the DMA tests).
 */
#ifndef XTF_DMAENV_H
#define XTF_DMAENV_H

#include <xtf/types.h>
#include <xtf/pci.h>
#include <xtf/edu.h>

#define DMA_MAX_EDU     2

struct dma_env {
    struct pci_host host;
    struct edu edu[DMA_MAX_EDU];
    unsigned int nr_edu;
    uint32_t idr[6];            /* the vSMMU's IDR0-5 */
};

/*
 * The GIC (EVTQ and GERROR SPIs enabled), the host bridge, @nr_edu edu
 * devices, and the vSMMU reset as Linux does it (S7.2) with a linear
 * stream table that covers their vSIDs, every STE V=0 (abort).  Reports
 * why and returns false if anything is missing.
 */
bool dma_env_setup(struct dma_env *env, unsigned int nr_edu);

#define DMA_NOWHERE     (-1)
#define DMA_SEVERAL     (-2)

/*
 * Where pattern @seed (@len bytes at @off) is: the index of the one buffer
 * of @bufs that holds it, DMA_NOWHERE, or DMA_SEVERAL.
 */
int dma_landed(void *const *bufs, unsigned int n, size_t off, size_t len,
               uint32_t seed);
/* Fill each of @bufs with @byte over @len bytes. */
void dma_clear(void *const *bufs, unsigned int n, size_t len, uint8_t byte);
/* "buffer 2", "nowhere", "several buffers" */
const char *dma_where(int landed, const char *const *names);

#endif /* XTF_DMAENV_H */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
