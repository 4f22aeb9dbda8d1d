/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vIOMMU framework: per-domain selection and lifecycle of a virtual IOMMU
 * (today only the virtual SMMUv3) for Arm guests.  Called by the domain
 * creation and destruction code, the dom0less builder, the domctl handler
 * and the physical IOMMU drivers.  A domain has at most one vIOMMU, chosen
 * at creation by xen_arch_domainconfig.viommu_type.
 *
 * Lifecycle (xen/arch/arm/domain.c):
 *
 *   arch_sanitise_domain_config()  viommu_sanitise_config()
 *   arch_domain_create()           viommu_mmio_count(), then, once the vGIC
 *                                  and the MMIO handlers exist,
 *                                  domain_viommu_init()
 *   arch_domain_teardown()         viommu_relinquish_resources(), first,
 *                                  before domain_relinquish_resources()
 *                                  releases the passthrough devices
 *   check_for_vcpu_work()          viommu_vcpu_work() (xen/arch/arm/traps.c),
 *                                  on every return to a guest with a vIOMMU
 *   arch_domain_destroy()          domain_viommu_free(), first of all
 */
#ifndef ASM__ARM__VIOMMU_H
#define ASM__ARM__VIOMMU_H

#include <xen/errno.h>
#include <xen/types.h>

#include <public/domctl.h>

struct domain;
struct dt_device_node;
struct vcpu;

/*
 * A physical IOMMU, as the physical drivers, the framework and the vIOMMU
 * types name it to each other: its host device-tree node.  Only compared,
 * and handed back to the physical driver that owns it.
 */
typedef struct dt_device_node viommu_phys_t;

/* The most interrupts a vIOMMU type wires to the guest. */
#define VIOMMU_MAX_GUEST_IRQS   4

/* One interrupt of a vIOMMU: a wired, level-sensitive SPI. */
struct viommu_guest_irq {
    unsigned int spi;           /* INTID */
    const char *name;           /* its entry of interrupt-names */
};

/*
 * What the domain builders need to describe the vIOMMU to the guest: the
 * device-tree node of its type's binding (Linux's
 * Documentation/devicetree/bindings/iommu/), which the type fills in and
 * the builders write as given, with no knowledge of the type.
 */
struct viommu_guest_info {
    const char *compatible;
    paddr_t base;               /* frame in guest physical address space */
    paddr_t size;
    unsigned int nr_irqs;       /* interrupts, in the order of their names */
    struct viommu_guest_irq irqs[VIOMMU_MAX_GUEST_IRQS];
    unsigned int iommu_cells;   /* #iommu-cells */
    uint32_t phandle;           /* the node's phandle in the guest tree */
    bool coherent;              /* dma-coherent */
};

#ifdef CONFIG_ARM_VIRTUAL_IOMMU

/*
 * arch_sanitise_domain_config(): -EINVAL with a message if the requested
 * vIOMMU is unknown, not built, lacks an IOMMU-enabled domain on a host with
 * I/O virtualisation, or does not fit in the domain's nr_spis.
 */
int viommu_sanitise_config(const struct xen_domctl_createdomain *config);

/*
 * The smallest nr_spis that covers the interrupts of the vIOMMU the
 * configuration asks for (0 if none).  Domain builders widen nr_spis to at
 * least this, never shrink it.
 */
unsigned int viommu_min_nr_spis(const struct xen_domctl_createdomain *config);

/* Extra MMIO handlers the requested vIOMMU registers (domain_io_init()). */
unsigned int viommu_mmio_count(const struct xen_domctl_createdomain *config);

/*
 * arch_domain_create(): build the vIOMMU the configuration asks for.  Needs
 * the domain's vGIC and MMIO handler array.  On failure nothing is left.
 */
int domain_viommu_init(struct domain *d,
                       const struct xen_domctl_createdomain *config);

/*
 * arch_domain_teardown(): stop all the vIOMMU's work and drive every physical
 * stream of the domain to abort.  It runs before domain_relinquish_resources()
 * releases the passthrough devices (iommu_release_dt_devices(),
 * pci_release_devices(), which can take many continuations), so that nothing
 * the vIOMMU does reaches a physical stream Xen has already taken back.
 * Preemptible: -ERESTART (one physical update per stream, each synced) until
 * done, then 0 and idempotent.  0 for a domain without a vIOMMU:
 * domain_create()'s error path runs it after arch_domain_destroy(), where it
 * must not fail.
 */
int viommu_relinquish_resources(struct domain *d);

/*
 * check_for_vcpu_work(), on @v's way back to the guest, with interrupts
 * enabled: do one more step of the vIOMMU work @v's own accesses left (a
 * command queue its doorbell did not finish in its trap).  True if @v has
 * more: Xen then processes softirqs and calls again, so the work is charged
 * to @v and the scheduler can preempt it between steps.
 */
bool viommu_vcpu_work(struct vcpu *v);

/* arch_domain_destroy(): free everything; copes with partial init. */
void domain_viommu_free(struct domain *d);

/* Domain builders: false if the domain has no vIOMMU. */
bool viommu_get_guest_info(const struct domain *d,
                           struct viommu_guest_info *info);

/*
 * Bind guest StreamID @vsid to physical stream @psid of the physical IOMMU
 * @phys, or to a virtual stream if @phys is NULL.
 */
int viommu_add_stream(struct domain *d, uint32_t vsid,
                      const viommu_phys_t *phys, uint32_t psid);

/*
 * Physical IOMMU drivers, before a device leaves @d (deassign): physical
 * stream @psid of IOMMU @phys is no longer the domain's.  If a vSID of
 * the vIOMMU is bound to it, the binding ends: the vIOMMU never touches the
 * stream again, and the driver gives it its own configuration back.  Call
 * with none of the driver's locks held.
 */
void viommu_release_stream(struct domain *d, const viommu_phys_t *phys,
                           uint32_t psid);

/*
 * Physical IOMMU drivers: an event record for a stream of the physical IOMMU
 * @phys that is assigned to domain @domid.  The domain is looked up and
 * held (RCU) for the call, so the caller needs no reference of its own, and
 * a domain that is gone or dying, or has no vIOMMU, is not an error for the
 * caller: -ESRCH or -ENODEV, the event is dropped.  Never from IRQ
 * context: the model takes its lock with interrupts enabled and writes
 * guest RAM, so call it from the driver's event tasklet.  0 if the event
 * was forwarded to the guest.
 */
int viommu_handle_phys_event(domid_t domid, const viommu_phys_t *phys,
                             const uint64_t evt[4]);

/*
 * arch_do_domctl(): XEN_DOMCTL_viommu_add_stream and
 * XEN_DOMCTL_viommu_{get,set}_record; copies @domctl back to @u_domctl
 * itself where the operation has something to return.
 */
int viommu_do_domctl(struct xen_domctl *domctl, struct domain *d,
                     XEN_GUEST_HANDLE_PARAM(xen_domctl_t) u_domctl);

#else /* !CONFIG_ARM_VIRTUAL_IOMMU */

#include <xen/lib.h>

static inline int viommu_sanitise_config(
    const struct xen_domctl_createdomain *config)
{
    if ( config->arch.viommu_type != XEN_DOMCTL_CONFIG_VIOMMU_NONE )
    {
        dprintk(XENLOG_INFO,
                "vIOMMU type %u requested: vIOMMU support not built\n",
                config->arch.viommu_type);
        return -EINVAL;
    }

    return 0;
}

static inline unsigned int viommu_min_nr_spis(
    const struct xen_domctl_createdomain *config)
{
    return 0;
}

static inline unsigned int viommu_mmio_count(
    const struct xen_domctl_createdomain *config)
{
    return 0;
}

static inline int domain_viommu_init(
    struct domain *d, const struct xen_domctl_createdomain *config)
{
    return 0;
}

static inline int viommu_relinquish_resources(struct domain *d)
{
    return 0;
}

static inline bool viommu_vcpu_work(struct vcpu *v)
{
    return false;
}

static inline void domain_viommu_free(struct domain *d) {}

static inline bool viommu_get_guest_info(const struct domain *d,
                                         struct viommu_guest_info *info)
{
    return false;
}

static inline int viommu_add_stream(struct domain *d, uint32_t vsid,
                                    const viommu_phys_t *phys, uint32_t psid)
{
    return -EOPNOTSUPP;
}

static inline void viommu_release_stream(struct domain *d,
                                         const viommu_phys_t *phys,
                                         uint32_t psid) {}

static inline int viommu_handle_phys_event(domid_t domid,
                                           const viommu_phys_t *phys,
                                           const uint64_t evt[4])
{
    return -EOPNOTSUPP;
}

static inline int viommu_do_domctl(
    struct xen_domctl *domctl, struct domain *d,
    XEN_GUEST_HANDLE_PARAM(xen_domctl_t) u_domctl)
{
    return -EOPNOTSUPP;
}

#endif /* CONFIG_ARM_VIRTUAL_IOMMU */

#endif /* ASM__ARM__VIOMMU_H */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * indent-tabs-mode: nil
 * End:
 */
