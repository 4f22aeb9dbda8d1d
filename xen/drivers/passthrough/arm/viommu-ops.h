/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen/drivers/passthrough/arm/viommu-ops.h
 *
 * The interface between the vIOMMU framework (viommu.c) and each vIOMMU
 * type: one table of operations per type, listed by the framework under
 * its XEN_DOMCTL_CONFIG_VIOMMU_* number.  Everything a type is made of
 * (its model, its guest device-tree node, its interrupts, the parameters
 * it is created with) is behind these operations, so the framework and the
 * domain builders name no type.
 */
#ifndef DRIVERS__PASSTHROUGH__ARM__VIOMMU_OPS_H
#define DRIVERS__PASSTHROUGH__ARM__VIOMMU_OPS_H

#include <xen/sizes.h>
#include <xen/types.h>

#include <asm/viommu.h>

/* One vIOMMU type: its model and how the guest sees it. */
struct viommu_ops {
    const char *name;
    /* MMIO regions the model registers with register_mmio_handler(). */
    unsigned int mmio_regions;
    /* Highest SPI (INTID) the model drives: sizes the domain's nr_spis. */
    unsigned int last_spi;
    /*
     * Create the model with the parameters of the type (its guest frame,
     * interrupts, limits) and the physical IOMMUs it fronts.
     */
    int (*domain_init)(struct domain *d, void **priv);
    /*
     * Stop the model's work, drive physical streams to abort.  0 when done,
     * -ERESTART to be called again; then idempotent.
     */
    int (*relinquish)(void *priv);
    void (*domain_free)(void *priv);
    /* The guest device-tree node of the type (asm/viommu.h). */
    void (*guest_info)(const void *priv, struct viommu_guest_info *info);
    int (*add_stream)(void *priv, uint32_t vsid, const viommu_phys_t *phys,
                      uint32_t psid);
    void (*release_stream)(void *priv, const viommu_phys_t *phys,
                           uint32_t psid);
    int (*phys_event)(void *priv, const viommu_phys_t *phys,
                      const uint64_t evt[4]);
    /* One more step of the work @v left; true if some is still left. */
    bool (*vcpu_work)(void *priv, struct vcpu *v);
    /*
     * Save and restore (XEN_DOMCTL_viommu_{get,set}_record), with the
     * domain paused: the bytes of the record now; the record into @buf
     * (-ENOBUFS if @len is short, *@written the bytes written or needed);
     * the state from a record, all or nothing, *@aborted the bound streams
     * left aborting because their physical re-install failed.
     */
    size_t (*record_size)(void *priv);
    int (*save)(void *priv, void *buf, size_t len, size_t *written);
    int (*restore)(void *priv, const void *buf, size_t len,
                   unsigned int *aborted);
    /* The debug key: print the model's state and counters. */
    void (*dump)(void *priv);
};

/*
 * The largest record XEN_DOMCTL_viommu_set_record takes in: far more than a
 * vIOMMU's state (registers, queue pointers and one entry per bound
 * stream), little enough to allocate for a toolstack's call.
 */
#define VIOMMU_RECORD_MAX   SZ_1M

#ifdef CONFIG_VIRTUAL_ARM_SMMU_V3
/* The virtual Arm SMMUv3 (viommu-smmuv3.c). */
extern const struct viommu_ops vsmmuv3_viommu_ops;
#endif

#endif /* DRIVERS__PASSTHROUGH__ARM__VIOMMU_OPS_H */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * indent-tabs-mode: nil
 * End:
 */
