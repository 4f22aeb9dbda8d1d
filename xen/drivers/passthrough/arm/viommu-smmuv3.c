/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen/drivers/passthrough/arm/viommu-smmuv3.c
 *
 * The virtual Arm SMMUv3 as a type of the vIOMMU framework
 * (XEN_DOMCTL_CONFIG_VIOMMU_SMMUV3): its operations for viommu.c, the
 * parameters its model (vsmmu-v3/) is created with, the physical SMMUv3s
 * that nest for it (smmu-v3-nested.h) and its guest device-tree node.
 */

#include <xen/device_tree.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>

#include <public/arch-arm.h>
#include <public/device_tree_defs.h>

#include <asm/p2m.h>

#include "viommu-ops.h"
#include "vsmmu-v3/vsmmu-v3.h"

static int vsmmuv3_viommu_init(struct domain *d, void **priv)
{
    struct vsmmuv3_backend backends[VSMMUV3_MAX_BACKENDS];
    struct vsmmuv3_params p = {
        .base = GUEST_VSMMUV3_BASE,
        .evtq_virq = GUEST_VSMMUV3_EVTQ_SPI,
        .gerror_virq = GUEST_VSMMUV3_GERROR_SPI,
        .ipa_bits = p2m_ipa_bits,
        .step_work = CONFIG_VSMMUV3_STEP_WORK,
        .cmdqs = CONFIG_VSMMUV3_CMDQS,
        .eventqs = CONFIG_VSMMUV3_EVENTQS,
        .max_streams = CONFIG_VSMMUV3_MAX_STREAMS,
        .event_budget = CONFIG_VSMMUV3_EVENT_BUDGET,
        .backends = backends,
    };
    struct vsmmuv3 *vs;
    int rc;

    /* The guest frame the ABI reserves is the frame the model decodes. */
    BUILD_BUG_ON(GUEST_VSMMUV3_SIZE != SMMU_FRAME_SIZE);

    /*
     * The physical SMMUv3s that can nest the guest's stage 1 on the
     * domain's stage 2, each with the domain's context (its VMID) held for
     * the vSMMU's lifetime.  None where Xen drives no SMMUv3 or none can
     * nest (QEMU 7.2's has no stage 2): the vSMMU then serves virtual
     * streams only, which needs no physical SMMU.
     */
    rc = smmuv3_nested_get_backends(d, backends, ARRAY_SIZE(backends));
    if ( rc < 0 )
    {
        printk(XENLOG_ERR "%pd: cannot set up nesting for the vSMMUv3 (%d)\n",
               d, rc);
        return rc;
    }
    p.nr_backends = rc;
    if ( !p.nr_backends )
        p.backends = NULL;

    rc = vsmmuv3_domain_init(d, &p, &vs);
    if ( rc )
    {
        smmuv3_nested_put_backends(d, backends, p.nr_backends);
        printk(XENLOG_ERR "%pd: cannot create the vSMMUv3 (%d)\n", d, rc);
        return rc;
    }

    printk(XENLOG_INFO
           "%pd: vSMMUv3 at %#"PRIpaddr", SPIs %u/%u, %u physical SMMU(s)%s\n",
           d, p.base, p.evtq_virq, p.gerror_virq, p.nr_backends,
           p.nr_backends ? "" : ": virtual streams only");

    *priv = vs;

    return 0;
}

static int vsmmuv3_viommu_relinquish(void *priv)
{
    return vsmmuv3_relinquish(priv);
}

static void vsmmuv3_viommu_free(void *priv)
{
    struct vsmmuv3 *vs = priv;
    struct vsmmuv3_backend backends[VSMMUV3_MAX_BACKENDS];
    unsigned int nr = vs->nr_backends;
    struct domain *d = vs->d;

    memcpy(backends, vs->backends, nr * sizeof(*backends));
    vsmmuv3_domain_free(vs);
    smmuv3_nested_put_backends(d, backends, nr);
}

/*
 * The guest node of Linux's
 * Documentation/devicetree/bindings/iommu/arm,smmu-v3.yaml: the frame, the
 * two wired interrupts the model drives (the event queue's and the global
 * errors'; no PRI queue, no combined or MSI interrupts), one StreamID cell
 * per "iommus" entry, and dma-coherent when the model advertises coherent
 * table walks (IDR0.COHACC, IHI 0070 6.3.1).
 */
static void vsmmuv3_viommu_guest_info(const void *priv,
                                      struct viommu_guest_info *info)
{
    const struct vsmmuv3 *vs = priv;

    info->compatible = "arm,smmu-v3";
    info->base = vs->base;
    info->size = GUEST_VSMMUV3_SIZE;
    info->nr_irqs = 2;
    info->irqs[0].spi = vs->evtq_virq;
    info->irqs[0].name = "eventq";
    info->irqs[1].spi = vs->gerror_virq;
    info->irqs[1].name = "gerror";
    info->iommu_cells = 1;
    info->phandle = GUEST_PHANDLE_VSMMUV3;
    info->coherent = vs->id.idr[0] & SMMU_IDR0_COHACC;
}

static int vsmmuv3_viommu_add_stream(void *priv, uint32_t vsid,
                                     const viommu_phys_t *phys, uint32_t psid)
{
    struct vsmmuv3 *vs = priv;
    const char *why;
    unsigned int i;

    if ( !phys )
        return vsmmuv3_add_stream(vs, vsid, -1, 0);

    for ( i = 0; i < vs->nr_backends; i++ )
        if ( vs->backends[i].phys_id == phys )
            return vsmmuv3_add_stream(vs, vsid, i, psid);

    /* The stream is behind an IOMMU this vSMMU does not front. */
    why = smmuv3_nested_phys_refusal(phys);
    printk(XENLOG_ERR "%pd: vSID %#x: %s stream %#x: %s\n", vs->d, vsid,
           dt_node_full_name(phys), psid,
           why ?: "not an SMMUv3 that nests for this domain");
    return -ENODEV;
}

static void vsmmuv3_viommu_release_stream(void *priv,
                                          const viommu_phys_t *phys,
                                          uint32_t psid)
{
    struct vsmmuv3 *vs = priv;
    unsigned int i;

    for ( i = 0; i < vs->nr_backends; i++ )
        if ( vs->backends[i].phys_id == phys )
            vsmmuv3_release_stream(vs, i, psid);
}

static int vsmmuv3_viommu_phys_event(void *priv, const viommu_phys_t *phys,
                                     const uint64_t evt[4])
{
    return vsmmuv3_handle_phys_event(priv, phys, evt);
}

static bool vsmmuv3_viommu_vcpu_work(void *priv, struct vcpu *v)
{
    return vsmmuv3_vcpu_work(priv, v);
}

static size_t vsmmuv3_viommu_record_size(void *priv)
{
    /* The vSID map, the record's only part that grows, fits with room. */
    BUILD_BUG_ON(CONFIG_VSMMUV3_MAX_STREAMS * VSMMUV3_REC_STREAM_SIZE >
                 VIOMMU_RECORD_MAX / 2);

    return vsmmuv3_record_size(priv);
}

static int vsmmuv3_viommu_save(void *priv, void *buf, size_t len,
                               size_t *written)
{
    return vsmmuv3_save(priv, buf, len, written);
}

static int vsmmuv3_viommu_restore(void *priv, const void *buf, size_t len,
                                  unsigned int *aborted)
{
    return vsmmuv3_restore(priv, buf, len, aborted);
}

static void vsmmuv3_viommu_dump(void *priv)
{
    vsmmuv3_dump(priv);
}

const struct viommu_ops vsmmuv3_viommu_ops = {
    .name = "smmuv3",
    .mmio_regions = 1,
    .last_spi = MAX(GUEST_VSMMUV3_EVTQ_SPI, GUEST_VSMMUV3_GERROR_SPI),
    .domain_init = vsmmuv3_viommu_init,
    .relinquish = vsmmuv3_viommu_relinquish,
    .domain_free = vsmmuv3_viommu_free,
    .guest_info = vsmmuv3_viommu_guest_info,
    .add_stream = vsmmuv3_viommu_add_stream,
    .release_stream = vsmmuv3_viommu_release_stream,
    .phys_event = vsmmuv3_viommu_phys_event,
    .vcpu_work = vsmmuv3_viommu_vcpu_work,
    .record_size = vsmmuv3_viommu_record_size,
    .save = vsmmuv3_viommu_save,
    .restore = vsmmuv3_viommu_restore,
    .dump = vsmmuv3_viommu_dump,
};

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * indent-tabs-mode: nil
 * End:
 */
