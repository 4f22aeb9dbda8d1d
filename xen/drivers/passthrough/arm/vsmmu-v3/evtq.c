/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vSMMUv3 event queue, global errors, interrupts, and events forwarded from
 * the physical SMMU (IHI 0070 chapter 7, 3.18).
 *
 * Interrupts.  Both are wired SPIs (IHI 0070 3.18), level-sensitive by this
 * model's choice: the architecture's wired outputs are edge-triggered.  Their
 * level is a function of register state, recomputed after every change that
 * can move it, and driven into the vGIC when it changes.  Xen's default vGIC
 * ignores a falling level and behaves as edge-triggered, so a line that is
 * still high after the guest acknowledged it is driven again: the guest then
 * sees it pending again, as with a real level-sensitive line.
 *
 * MSIs (IDR0.MSI).  When the guest programs a non-zero *_IRQ_CFG0 address,
 * that interrupt is signalled by writing *_IRQ_CFG1 (32 bits) to it, one
 * write per new event and per newly active global error, and its wired
 * line stays low.  The write is a guest memory write: a target that is not
 * guest RAM (a GIC ITS doorbell, say) cannot be reached, the write aborts
 * and GERROR.MSI_*_ABT_ERR is raised, which the guest sees through its
 * GERROR interrupt: that is the fallback, as the architecture defines an
 * aborted MSI.  Memory attributes (*_IRQ_CFG2) do not change how Xen
 * writes guest memory.
 *
 * Forwarded events.  The physical SMMU driver hands over the event records
 * of streams assigned to the domain.  Stage-1 events are the guest's and
 * are forwarded with the StreamID rewritten to the vSID and no machine
 * address left in them; stage-2 events are Xen's and are dropped.  At most
 * CONFIG_VSMMUV3_EVENT_BUDGET are forwarded per vSMMU and second; the
 * excess is counted and reported at a limited rate: a guest cannot flood
 * Xen with the faults of its devices.
 */

#include <xen/errno.h>
#include <xen/guest_access.h>
#include <xen/sched.h>
#include <asm/vgic.h>

#include "vsmmu-v3.h"

/* Period of the forwarded-event budget. */
#define VSMMUV3_EVENT_PERIOD    SECONDS(1)

/* Is the interrupt configured by @cfg0 signalled by MSI? */
static bool vsmmuv3_msi_mode(const struct vsmmuv3 *vs, uint64_t cfg0)
{
    return (vs->id.idr[0] & SMMU_IDR0_MSI) && (cfg0 & SMMU_IRQ_CFG0_ADDR);
}

static bool vsmmuv3_evtq_line_level(const struct vsmmuv3 *vs)
{
    return (vs->cr0 & SMMU_CR0_EVENTQEN) &&
           (vs->irq_ctrl & SMMU_IRQ_CTRL_EVENTQ_IRQEN) &&
           !vsmmuv3_msi_mode(vs, vs->evtq_irq_cfg0) &&
           !vsmmuv3_q_empty(&vs->evtq);
}

static bool vsmmuv3_gerror_line_level(const struct vsmmuv3 *vs)
{
    return (vs->irq_ctrl & SMMU_IRQ_CTRL_GERROR_IRQEN) &&
           !vsmmuv3_msi_mode(vs, vs->gerror_irq_cfg0) &&
           ((vs->gerror ^ vs->gerrorn) & VSMMUV3_GERROR_IMPLEMENTED);
}

/* Write MSI @data to the address in @cfg0; an abort is @abort_err. */
static void vsmmuv3_send_msi(struct vsmmuv3 *vs, uint64_t cfg0, uint32_t data,
                             uint32_t abort_err)
{
    paddr_t addr = cfg0 & SMMU_IRQ_CFG0_ADDR;

    vsmmuv3_work(vs, VSMMUV3_WORK_GUEST_MEM);
    if ( !access_guest_memory_by_gpa(vs->d, addr, &data, sizeof(data), true) )
        return;
    vsmmuv3_log(vs, XENLOG_G_WARNING,
                "MSI write to %#"PRIpaddr" aborted\n", addr);
    vsmmuv3_raise_gerror(vs, abort_err);
}

static void vsmmuv3_drive_line(struct vsmmuv3 *vs, unsigned int virq,
                               bool *line, bool level, bool reassert)
{
    if ( level != *line || (level && reassert) )
    {
        vgic_inject_irq(vs->d, NULL, virq, level);
        *line = level;
    }
}

void vsmmuv3_update_lines(struct vsmmuv3 *vs, unsigned int lines,
                          unsigned int reassert)
{
    ASSERT(spin_is_locked(&vs->lock));

    if ( lines & VSMMUV3_LINE_EVTQ )
        vsmmuv3_drive_line(vs, vs->evtq_virq, &vs->evtq_line,
                           vsmmuv3_evtq_line_level(vs),
                           reassert & VSMMUV3_LINE_EVTQ);
    if ( lines & VSMMUV3_LINE_GERROR )
        vsmmuv3_drive_line(vs, vs->gerror_virq, &vs->gerror_line,
                           vsmmuv3_gerror_line_level(vs),
                           reassert & VSMMUV3_LINE_GERROR);
}

void vsmmuv3_raise_gerror(struct vsmmuv3 *vs, uint32_t errors)
{
    uint32_t active = vs->gerror ^ vs->gerrorn;
    uint32_t fresh = errors & ~active & VSMMUV3_GERROR_IMPLEMENTED;

    ASSERT(spin_is_locked(&vs->lock));

    /* An error already active is not toggled again (IHI 0070 7.5). */
    if ( !fresh )
        return;
    vs->gerror ^= fresh;
    vsmmuv3_update_lines(vs, VSMMUV3_LINE_GERROR, 0);

    /*
     * An aborted GERROR MSI is reported in GERROR but sends no MSI itself:
     * a GERROR MSI target that is not RAM cannot make a loop.
     */
    if ( (vs->irq_ctrl & SMMU_IRQ_CTRL_GERROR_IRQEN) &&
         vsmmuv3_msi_mode(vs, vs->gerror_irq_cfg0) &&
         (fresh & ~SMMU_GERROR_MSI_GERROR_ABT_ERR) )
        vsmmuv3_send_msi(vs, vs->gerror_irq_cfg0, vs->gerror_irq_cfg1,
                         SMMU_GERROR_MSI_GERROR_ABT_ERR);
}

/*
 * Record @evt in the guest's event queue (IHI 0070 7.2).  Nothing is
 * recorded while the queue is disabled, or while an EVENTQ_ABT_ERR is
 * unacknowledged.  A full queue is an overflow, never an abort (IHI 0070
 * 7.4): the event is dropped and OVFLG toggled, unless an earlier overflow
 * is not yet acknowledged through OVACKFLG.  A record that cannot be
 * written to guest memory raises GERROR.EVENTQ_ABT_ERR.
 */
void vsmmuv3_post_event(struct vsmmuv3 *vs, const uint64_t evt[4])
{
    struct vsmmuv3_queue *q = &vs->evtq;
    uint64_t rec[4] = { evt[0], evt[1], evt[2], evt[3] };
    paddr_t addr;

    ASSERT(spin_is_locked(&vs->lock));

    /* A restore finds again what the guest was told before the save. */
    if ( vs->restoring )
        return;
    if ( !(vs->cr0 & SMMU_CR0_EVENTQEN) ||
         ((vs->gerror ^ vs->gerrorn) & SMMU_GERROR_EVENTQ_ABT_ERR) )
    {
        vs->stats.events_lost++;
        return;
    }
    if ( vsmmuv3_q_full(q) )
    {
        if ( !((q->prod ^ q->cons) & SMMU_EVENTQ_PROD_OVFLG) )
            q->prod ^= SMMU_EVENTQ_PROD_OVFLG;
        vs->stats.events_lost++;
        return;
    }

    addr = vsmmuv3_q_addr(q) +
           (paddr_t)vsmmuv3_q_idx(q, q->prod) * SMMU_EVT_SIZE;
    vsmmuv3_work(vs, VSMMUV3_WORK_GUEST_MEM);
    if ( access_guest_memory_by_gpa(vs->d, addr, rec, sizeof(rec), true) )
    {
        vs->stats.events_lost++;
        vsmmuv3_log(vs, XENLOG_G_WARNING,
                    "event queue write at %#"PRIpaddr" aborted\n", addr);
        vsmmuv3_raise_gerror(vs, SMMU_GERROR_EVENTQ_ABT_ERR);
        return;
    }
    q->prod = (q->prod & SMMU_EVENTQ_PROD_OVFLG) |
              ((q->prod + 1) & vsmmuv3_q_wrap_mask(q));
    vs->stats.events++;
    vsmmuv3_update_lines(vs, VSMMUV3_LINE_EVTQ, 0);
    if ( (vs->irq_ctrl & SMMU_IRQ_CTRL_EVENTQ_IRQEN) &&
         vsmmuv3_msi_mode(vs, vs->evtq_irq_cfg0) )
        vsmmuv3_send_msi(vs, vs->evtq_irq_cfg0, vs->evtq_irq_cfg1,
                         SMMU_GERROR_MSI_EVENTQ_ABT_ERR);
}

/* Stage-1 events a guest gets from the physical SMMU (IHI 0070 7.3). */
static bool vsmmuv3_forwardable(const uint64_t evt[4])
{
    switch ( MASK_EXTR(evt[0], SMMU_EVT0_ID) )
    {
    case SMMU_EVT_F_TRANSLATION:
    case SMMU_EVT_F_ADDR_SIZE:
    case SMMU_EVT_F_ACCESS:
    case SMMU_EVT_F_PERMISSION:
    case SMMU_EVT_F_WALK_EABT:
        /*
         * A fault of Xen's stage 2 (the walk's or the output's), or an
         * abort fetching one of its descriptors (7.3.12: S2=1).
         */
        return !(evt[1] & SMMU_EVT1_S2);
    case SMMU_EVT_C_BAD_STE:
    case SMMU_EVT_F_STREAM_DISABLED:
    case SMMU_EVT_C_BAD_SUBSTREAMID:
    case SMMU_EVT_F_CD_FETCH:
    case SMMU_EVT_C_BAD_CD:
        return true;
    default:
        /* StreamIDs, STE fetches, ATS, conflicts: Xen's configuration. */
        return false;
    }
}

/* Is one more forwarded event within this period's budget? */
static bool vsmmuv3_event_budget(struct vsmmuv3 *vs)
{
    s_time_t now = NOW();

    if ( now - vs->event_window >= VSMMUV3_EVENT_PERIOD )
    {
        if ( vs->events_over )
            vsmmuv3_log(vs, XENLOG_G_WARNING,
                        "%u physical events over budget dropped\n",
                        vs->events_over);
        vs->event_window = now;
        vs->events_in_window = 0;
        vs->events_over = 0;
    }
    if ( vs->events_in_window < vs->event_budget )
    {
        vs->events_in_window++;
        return true;
    }
    vs->events_over++;
    vs->stats.events_throttled++;
    return false;
}

int vsmmuv3_handle_phys_event(struct vsmmuv3 *vs,
                              const smmuv3_phys_t *phys_id,
                              const uint64_t evt[4])
{
    uint32_t psid = MASK_EXTR(evt[0], SMMU_EVT0_SID);
    const struct vsmmuv3_stream *s = NULL;
    uint64_t rec[4];
    unsigned int i;
    int b, rc = 0;

    spin_lock(&vs->lock);

    for ( b = 0; b < (int)vs->nr_backends; b++ )
        if ( vs->backends[b].phys_id == phys_id )
            break;
    for ( i = 0; b < (int)vs->nr_backends && i < vs->nr_streams; i++ )
        if ( vs->streams[i].backend == b && vs->streams[i].psid == psid )
        {
            s = &vs->streams[i];
            break;
        }

    if ( vs->dying || !s )
        rc = -ENOENT;
    else if ( !vsmmuv3_forwardable(evt) )
        rc = -EPERM;
    else if ( !vsmmuv3_event_budget(vs) )
        rc = -EBUSY;
    else
    {
        /*
         * The record as the guest's SMMU would have made it: its StreamID,
         * no stage-2 detail (IPA, fetch addresses are machine or Xen's),
         * and never a stalled transaction: the vSMMU offers no stalls
         * (IDR0.STALL_MODEL), so the guest has no STAG to resume.
         */
        rec[0] = (evt[0] & ~SMMU_EVT0_SID) |
                 MASK_INSR(s->vsid, SMMU_EVT0_SID);
        rec[1] = evt[1] & ~(SMMU_EVT1_S2 | SMMU_EVT1_NSIPA |
                            SMMU_EVT1_STALL | SMMU_EVT1_STAG);
        rec[2] = evt[2];
        rec[3] = 0;
        vs->stats.events_forwarded++;
        vsmmuv3_post_event(vs, rec);
    }

    spin_unlock(&vs->lock);
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
