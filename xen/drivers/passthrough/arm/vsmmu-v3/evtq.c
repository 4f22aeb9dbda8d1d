/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vSMMUv3 global errors and interrupt lines.
 *
 * Both interrupts are wired, level-sensitive SPIs (S6.4).  Their level is a
 * function of register state, recomputed after every change that can move
 * it, and driven into the vGIC when it changes.  Xen's default vGIC ignores
 * a falling level and behaves as edge-triggered, so a line that is still
 * high after the guest acknowledged it is driven again: the guest then sees
 * it pending again, as it would with a real level-sensitive line.
 */

#include <xen/guest_access.h>
#include <xen/sched.h>
#include <asm/vgic.h>

#include "vsmmu-v3.h"

static bool evtq_line_level(const struct vsmmuv3 *vs)
{
    return (vs->cr0 & SMMU_CR0_EVENTQEN) &&
           (vs->irq_ctrl & SMMU_IRQ_CTRL_EVENTQ_IRQEN) &&
           !vsmmuv3_q_empty(&vs->evtq);
}

static bool gerror_line_level(const struct vsmmuv3 *vs)
{
    return (vs->irq_ctrl & SMMU_IRQ_CTRL_GERROR_IRQEN) &&
           ((vs->gerror ^ vs->gerrorn) & VSMMUV3_GERROR_IMPLEMENTED);
}

static void drive_line(struct vsmmuv3 *vs, unsigned int virq, bool *line,
                       bool level, bool reassert)
{
    if ( level != *line || (level && reassert) )
        vgic_inject_irq(vs->d, NULL, virq, level);
    *line = level;
}

void vsmmuv3_update_lines(struct vsmmuv3 *vs, unsigned int reassert)
{
    ASSERT(spin_is_locked(&vs->lock));

    drive_line(vs, vs->evtq_virq, &vs->evtq_line, evtq_line_level(vs),
               reassert & VSMMUV3_LINE_EVTQ);
    drive_line(vs, vs->gerror_virq, &vs->gerror_line, gerror_line_level(vs),
               reassert & VSMMUV3_LINE_GERROR);
}

void vsmmuv3_raise_gerror(struct vsmmuv3 *vs, uint32_t errors)
{
    uint32_t active = vs->gerror ^ vs->gerrorn;

    ASSERT(spin_is_locked(&vs->lock));

    /* An error already active is not toggled again (S2, GERROR). */
    vs->gerror ^= errors & ~active & VSMMUV3_GERROR_IMPLEMENTED;
    vsmmuv3_update_lines(vs, 0);
}

/*
 * Record @evt in the guest's event queue (S6.2).  Nothing is recorded while
 * the queue is disabled, or while an EVENTQ_ABT_ERR is unacknowledged.  A
 * full queue is an overflow, never an abort (IHI 0070 7.4): the event is
 * dropped and OVFLG toggled, unless an earlier overflow is not yet
 * acknowledged through OVACKFLG.  A record that cannot be written to guest
 * memory raises GERROR.EVENTQ_ABT_ERR.
 */
void vsmmuv3_post_event(struct vsmmuv3 *vs, const uint64_t evt[4])
{
    struct vsmmuv3_queue *q = &vs->evtq;
    uint64_t rec[4] = { evt[0], evt[1], evt[2], evt[3] };
    paddr_t addr;

    ASSERT(spin_is_locked(&vs->lock));

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
    vsmmuv3_update_lines(vs, 0);
}

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * indent-tabs-mode: nil
 * End:
 */
