/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen/drivers/passthrough/arm/viommu.c
 *
 * vIOMMU framework for Arm guests: the glue between Xen's domain lifecycle
 * and the emulated IOMMU models.  It validates what a domain asks for,
 * picks the type (viommu-ops.h; today only the virtual SMMUv3 of
 * viommu-smmuv3.c), creates and destroys it with the domain, describes it
 * to the domain builders, binds guest StreamIDs to physical streams on
 * behalf of the toolstack (XEN_DOMCTL_viommu_add_stream), saves and
 * restores the model's state for it (XEN_DOMCTL_viommu_{get,set}_record)
 * and routes physical events from the physical IOMMU drivers.
 *
 * Everything the guest can trigger happens inside the model; the framework
 * only runs on domain creation and destruction, domctls and physical
 * events, so its own messages are rate-limited where a guest's device could
 * cause them (physical events) and dprintk()s elsewhere, as in domain.c.
 */

#include <xen/device_tree.h>
#include <xen/errno.h>
#include <xen/guest_access.h>
#include <xen/init.h>
#include <xen/iommu.h>
#include <xen/irq.h>
#include <xen/keyhandler.h>
#include <xen/lib.h>
#include <xen/rcupdate.h>
#include <xen/sched.h>
#include <xen/sizes.h>
#include <xen/softirq.h>
#include <xen/xmalloc.h>
#include <xen/xvmalloc.h>

#include <public/domctl.h>

#include <asm/p2m.h>
#include <asm/viommu.h>

#include "viommu-ops.h"

/* d->arch.viommu */
struct viommu {
    const struct viommu_ops *ops;
    void *priv;
    bool relinquished;
};

/* The types built into this hypervisor, by XEN_DOMCTL_CONFIG_VIOMMU_*. */
static const struct viommu_ops *const viommu_backends[] = {
#ifdef CONFIG_VIRTUAL_ARM_SMMU_V3
    [XEN_DOMCTL_CONFIG_VIOMMU_SMMUV3] = &vsmmuv3_viommu_ops,
#endif
    [XEN_DOMCTL_CONFIG_VIOMMU_NONE] = NULL,
};

static const struct viommu_ops *viommu_backend(uint8_t type)
{
    if ( type >= ARRAY_SIZE(viommu_backends) )
        return NULL;

    return viommu_backends[type];
}

int viommu_sanitise_config(const struct xen_domctl_createdomain *config)
{
    uint8_t type = config->arch.viommu_type;
    const struct viommu_ops *ops;

    if ( type == XEN_DOMCTL_CONFIG_VIOMMU_NONE )
        return 0;

    ops = viommu_backend(type);
    if ( !ops )
    {
        dprintk(XENLOG_INFO, "Unsupported vIOMMU type %u\n", type);
        return -EINVAL;
    }

    /*
     * On a host with I/O virtualisation the vIOMMU fronts the domain's
     * passthrough devices: their streams nest the guest's stage 1 on the
     * domain's IOMMU context, so the domain must have one.  A host without
     * (no IOMMU, or its driver declined the hardware) cannot give any
     * domain XEN_DOMCTL_CDF_iommu; the vIOMMU then serves virtual streams
     * only.
     */
    if ( iommu_enabled && !(config->flags & XEN_DOMCTL_CDF_iommu) )
    {
        dprintk(XENLOG_INFO,
                "vIOMMU %s requires an IOMMU-enabled domain (XEN_DOMCTL_CDF_iommu)\n",
                ops->name);
        return -EINVAL;
    }

    if ( config->arch.nr_spis < viommu_min_nr_spis(config) )
    {
        dprintk(XENLOG_INFO,
                "vIOMMU %s needs nr_spis >= %u (SPI %u), got %u\n",
                ops->name, viommu_min_nr_spis(config), ops->last_spi,
                config->arch.nr_spis);
        return -EINVAL;
    }

    return 0;
}

unsigned int viommu_min_nr_spis(const struct xen_domctl_createdomain *config)
{
    const struct viommu_ops *ops = viommu_backend(config->arch.viommu_type);

    return ops ? ops->last_spi - 32 + 1 : 0;
}

unsigned int viommu_mmio_count(const struct xen_domctl_createdomain *config)
{
    const struct viommu_ops *ops = viommu_backend(config->arch.viommu_type);

    return ops ? ops->mmio_regions : 0;
}

int domain_viommu_init(struct domain *d,
                       const struct xen_domctl_createdomain *config)
{
    const struct viommu_ops *ops = viommu_backend(config->arch.viommu_type);
    struct viommu *viommu;
    int rc;

    ASSERT(!d->arch.viommu);

    /* Sanitised already: no backend means no vIOMMU was asked for. */
    if ( !ops )
        return 0;

    /*
     * A direct-mapped domain has the host's memory map and interrupt
     * numbers, so the vIOMMU's fixed guest frame and SPIs may be host RAM
     * or a host device's interrupts.  CDF_directmap is not part of the
     * domctl configuration, so arch_sanitise_domain_config() cannot see
     * it: this is the first place that can, before anything is built.
     */
    if ( is_domain_direct_mapped(d) )
    {
        printk(XENLOG_ERR
               "%pd: vIOMMU %s is not supported for a direct-mapped domain: its fixed guest frame and SPIs (up to %u) may clash with host RAM and interrupts\n",
               d, ops->name, ops->last_spi);
        return -EINVAL;
    }

    viommu = xzalloc(struct viommu);
    if ( !viommu )
        return -ENOMEM;

    viommu->ops = ops;
    rc = ops->domain_init(d, &viommu->priv);
    if ( rc )
    {
        xfree(viommu);
        return rc;
    }

    d->arch.viommu = viommu;

    return 0;
}

int viommu_relinquish_resources(struct domain *d)
{
    struct viommu *viommu = d->arch.viommu;
    int rc;

    if ( !viommu || viommu->relinquished )
        return 0;

    rc = viommu->ops->relinquish(viommu->priv);
    if ( !rc )
        viommu->relinquished = true;

    return rc;
}

void domain_viommu_free(struct domain *d)
{
    struct viommu *viommu = d->arch.viommu;

    /* Nothing was created, or creation failed and cleaned up after itself. */
    if ( !viommu )
        return;

    /*
     * A domain whose creation failed after arch_domain_create() is destroyed
     * here before domain_teardown() runs (and without
     * domain_relinquish_resources()): stop the model first.  No stream can
     * have been bound yet, so there is nothing to preempt.
     */
    while ( viommu_relinquish_resources(d) == -ERESTART )
        continue;
    viommu->ops->domain_free(viommu->priv);
    d->arch.viommu = NULL;
    xfree(viommu);
}

bool viommu_vcpu_work(struct vcpu *v)
{
    const struct viommu *viommu = v->domain->arch.viommu;

    return viommu && viommu->ops->vcpu_work &&
           viommu->ops->vcpu_work(viommu->priv, v);
}

/*
 * Debug key 'U': every domain's vIOMMU, as its model reports it.  A listed
 * domain's vIOMMU lives as long as the domain structure does (it is freed
 * by arch_domain_destroy(), after an RCU grace period), so the domain
 * list's RCU read lock keeps it.
 */
static void cf_check viommu_dump(unsigned char key)
{
    struct domain *d;

    printk("'%c' pressed -> dumping vIOMMU state\n", key);

    rcu_read_lock(&domlist_read_lock);
    for_each_domain ( d )
    {
        const struct viommu *viommu = d->arch.viommu;

        process_pending_softirqs();
        if ( !viommu )
            continue;
        printk("%pd: vIOMMU %s\n", d, viommu->ops->name);
        if ( viommu->ops->dump )
            viommu->ops->dump(viommu->priv);
    }
    rcu_read_unlock(&domlist_read_lock);
}

static int __init cf_check viommu_keyhandler_init(void)
{
    register_keyhandler('U', viommu_dump, "dump vIOMMU state", 1);
    return 0;
}
__initcall(viommu_keyhandler_init);

bool viommu_get_guest_info(const struct domain *d,
                           struct viommu_guest_info *info)
{
    const struct viommu *viommu = d->arch.viommu;

    if ( !viommu )
        return false;

    viommu->ops->guest_info(viommu->priv, info);
    ASSERT(info->nr_irqs <= ARRAY_SIZE(info->irqs));

    return true;
}

int viommu_add_stream(struct domain *d, uint32_t vsid,
                      const viommu_phys_t *phys, uint32_t psid)
{
    struct viommu *viommu = d->arch.viommu;

    if ( !viommu )
        return -ENODEV;

    if ( viommu->relinquished )
        return -EINVAL;

    return viommu->ops->add_stream(viommu->priv, vsid, phys, psid);
}

void viommu_release_stream(struct domain *d, const viommu_phys_t *phys,
                           uint32_t psid)
{
    struct viommu *viommu = d->arch.viommu;

    if ( viommu && viommu->ops->release_stream )
        viommu->ops->release_stream(viommu->priv, phys, psid);
}

int viommu_handle_phys_event(domid_t domid, const viommu_phys_t *phys,
                             const uint64_t evt[4])
{
    struct domain *d;
    const struct viommu *viommu;
    int rc;

    /* The model takes its lock with interrupts on and writes guest RAM. */
    ASSERT(!in_irq());

    /*
     * The RCU reference keeps arch_domain_destroy(), hence
     * domain_viommu_free(), from running until we are done: d->arch.viommu
     * is set before the domain can be found and cleared only there.  A
     * dying domain still has it; its model refuses the event (and so does
     * the relinquished check, which is only a shortcut).
     */
    d = rcu_lock_domain_by_id(domid);
    if ( !d )
        return -ESRCH;

    viommu = d->arch.viommu;
    if ( !viommu || viommu->relinquished )
        rc = -ENODEV;
    else
    {
        rc = viommu->ops->phys_event(viommu->priv, phys, evt);
        if ( rc )
            printk(XENLOG_G_DEBUG
                   "%pd: vIOMMU dropped physical event %#"PRIx64" (%d)\n",
                   d, evt[0], rc);
    }

    rcu_unlock_domain(d);

    return rc;
}

/*
 * XEN_DOMCTL_viommu_add_stream: StreamID @vsid of the domain's vIOMMU is a
 * physical stream of a device assigned to the domain.  XEN_DOMCTL_DEV_DT:
 * entry @u.dt.index of the "iommus" property of host device-tree node
 * @u.dt.path.  XEN_DOMCTL_DEV_PCI: Xen on Arm passes no PCI device through
 * to a domU yet, so there is no stream to bind.
 */
static int viommu_domctl_add_stream(struct domain *d,
                                    struct xen_domctl_viommu_add_stream *op)
{
    struct dt_device_node *dev;
    struct dt_phandle_args args;
    unsigned int i;
    int rc;

    switch ( op->dev )
    {
    case XEN_DOMCTL_DEV_DT:
        break;

    case XEN_DOMCTL_DEV_PCI:
        for ( i = 0; i < ARRAY_SIZE(op->u.pci.pad); i++ )
            if ( op->u.pci.pad[i] )
                return -EINVAL;
        return -EOPNOTSUPP;

    default:
        return -EINVAL;
    }

    if ( !op->u.dt.size || op->u.dt.size > PAGE_SIZE )
        return -EINVAL;

    if ( !d->arch.viommu )
    {
        dprintk(XENLOG_INFO, "%pd: viommu_add_stream: domain has no vIOMMU\n",
                d);
        return -ENODEV;
    }

    /* Streams are bound while the domain is built, before it first runs. */
    if ( d->creation_finished || d->is_dying )
        return -EPERM;

    read_lock(&dt_host_lock);

    /* -ESRCH: no such node; -EFAULT, -ENOMEM: the path could not be read. */
    rc = dt_find_node_by_gpath(op->u.dt.path, op->u.dt.size, &dev);
    if ( rc )
    {
        if ( rc == -ESRCH )
            dprintk(XENLOG_INFO,
                    "%pd: viommu_add_stream: no such device node\n", d);
        else
            dprintk(XENLOG_INFO,
                    "%pd: viommu_add_stream: cannot read the path: %d\n",
                    d, rc);
        goto out;
    }

    if ( !dt_device_is_protected(dev) ||
         dt_device_used_by(dev) != d->domain_id )
    {
        dprintk(XENLOG_INFO,
                "%pd: viommu_add_stream: %s is not assigned to the domain\n",
                d, dt_node_full_name(dev));
        rc = -EPERM;
        goto out;
    }

    if ( op->u.dt.index > INT_MAX ||
         dt_parse_phandle_with_args(dev, "iommus", "#iommu-cells",
                                    op->u.dt.index, &args) )
    {
        dprintk(XENLOG_INFO, "%pd: viommu_add_stream: %s has no iommus[%u]\n",
                d, dt_node_full_name(dev), op->u.dt.index);
        rc = -ENOENT;
        goto out;
    }

    if ( args.args_count != 1 )
    {
        dprintk(XENLOG_INFO,
                "%pd: viommu_add_stream: %s iommus[%u] has %d cells, not 1\n",
                d, dt_node_full_name(dev), op->u.dt.index, args.args_count);
        rc = -EINVAL;
        goto out;
    }

    rc = viommu_add_stream(d, op->vsid, args.np, args.args[0]);
    if ( rc )
        dprintk(XENLOG_INFO,
                "%pd: viommu_add_stream: vSID %#x -> %s stream %#x: %d\n",
                d, op->vsid, dt_node_full_name(args.np), args.args[0], rc);
    else
        /* As the dom0less builder says it; once per stream of the domain. */
        printk(XENLOG_G_INFO "%pd: %s: vIOMMU vSID %#x is %s stream %#x\n",
               d, dt_node_full_name(dev), op->vsid,
               dt_node_full_name(args.np), args.args[0]);

 out:
    read_unlock(&dt_host_lock);

    return rc;
}

/*
 * XEN_DOMCTL_viommu_get_record: the size of the record (a NULL buffer or a
 * zero size), or the record itself (-ENOBUFS and the size needed if the
 * buffer is short).  *@copyback: @op has something for the caller, even
 * on -ENOBUFS.
 */
static int viommu_domctl_get_record(struct domain *d,
                                    const struct viommu *viommu,
                                    struct xen_domctl_viommu_record *op,
                                    bool *copyback)
{
    size_t len, written = 0;
    void *buf;
    int rc;

    op->streams_aborted = 0;

    domain_pause(d);
    len = viommu->ops->record_size(viommu->priv);
    domain_unpause(d);

    if ( guest_handle_is_null(op->buffer) || !op->size )
    {
        op->size = len;
        *copyback = true;
        return 0;
    }

    if ( op->size < len )
    {
        op->size = len;
        *copyback = true;
        return -ENOBUFS;
    }

    buf = xvmalloc_array(uint8_t, len);
    if ( !buf )
        return -ENOMEM;

    /* Its state may have grown since the size was taken: the model says. */
    domain_pause(d);
    rc = viommu->ops->save(viommu->priv, buf, len, &written);
    domain_unpause(d);

    if ( !rc )
    {
        ASSERT(written <= len);
        if ( copy_to_guest(op->buffer, (uint8_t *)buf, written) )
            rc = -EFAULT;
        else
        {
            op->size = written;
            *copyback = true;
        }
    }
    else if ( rc == -ENOBUFS )
    {
        op->size = written;
        *copyback = true;
    }

    xvfree(buf);

    return rc;
}

/* XEN_DOMCTL_viommu_set_record: the vIOMMU's state from a record. */
static int viommu_domctl_set_record(struct domain *d,
                                    const struct viommu *viommu,
                                    struct xen_domctl_viommu_record *op,
                                    bool *copyback)
{
    unsigned int aborted = 0;
    void *buf;
    int rc;

    if ( guest_handle_is_null(op->buffer) || !op->size )
        return -EINVAL;

    if ( op->size > VIOMMU_RECORD_MAX )
        return -E2BIG;

    buf = xvmalloc_array(uint8_t, op->size);
    if ( !buf )
        return -ENOMEM;

    if ( copy_from_guest((uint8_t *)buf, op->buffer, op->size) )
    {
        xvfree(buf);
        return -EFAULT;
    }

    domain_pause(d);
    rc = viommu->ops->restore(viommu->priv, buf, op->size, &aborted);
    domain_unpause(d);

    xvfree(buf);

    if ( rc )
    {
        dprintk(XENLOG_INFO, "%pd: viommu_set_record: record refused: %d\n",
                d, rc);
        return rc;
    }

    if ( aborted )
        printk(XENLOG_WARNING
               "%pd: vIOMMU restored, %u stream(s) left aborting\n",
               d, aborted);

    op->streams_aborted = aborted;
    *copyback = true;

    return 0;
}

static int viommu_domctl_record(struct domain *d, unsigned int cmd,
                                struct xen_domctl_viommu_record *op,
                                bool *copyback)
{
    const struct viommu *viommu = d->arch.viommu;

    if ( op->pad )
        return -EINVAL;

    if ( !viommu )
        return -ENODEV;

    if ( !viommu->ops->save || !viommu->ops->restore )
        return -EOPNOTSUPP;

    /* domain_pause() of the caller's own domain would never return. */
    if ( d == current->domain )
        return -EINVAL;

    /* A dying domain's vIOMMU has stopped; its streams are Xen's again. */
    if ( d->is_dying || viommu->relinquished )
        return -EINVAL;

    if ( cmd == XEN_DOMCTL_viommu_get_record )
        return viommu_domctl_get_record(d, viommu, op, copyback);

    return viommu_domctl_set_record(d, viommu, op, copyback);
}

int viommu_do_domctl(struct xen_domctl *domctl, struct domain *d,
                     XEN_GUEST_HANDLE_PARAM(xen_domctl_t) u_domctl)
{
    bool copyback = false;
    int rc;

    switch ( domctl->cmd )
    {
    case XEN_DOMCTL_viommu_add_stream:
        return viommu_domctl_add_stream(d, &domctl->u.viommu_add_stream);

    case XEN_DOMCTL_viommu_get_record:
    case XEN_DOMCTL_viommu_set_record:
        rc = viommu_domctl_record(d, domctl->cmd, &domctl->u.viommu_record,
                                  &copyback);
        break;

    default:
        return -EOPNOTSUPP;
    }

    if ( copyback && copy_to_guest(u_domctl, domctl, 1) )
        rc = -EFAULT;

    return rc;
}

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * indent-tabs-mode: nil
 * End:
 */
