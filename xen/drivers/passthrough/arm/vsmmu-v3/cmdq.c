/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vSMMUv3 command queue consumer.
 *
 * The register model calls vsmmuv3_cmdq_kick() whenever consumption may
 * start or continue (S4.1): a CMDQ_PROD write, CMDQEN 0->1, a GERRORN write
 * acknowledging CMDQ_ERR, and a CMDQ_CONS read.  The consumer itself is not
 * implemented yet; until it is, these hooks only keep the registers.
 */

#include <xen/sched.h>
#include <xen/tasklet.h>

#include "vsmmu-v3.h"

static void vsmmuv3_cmdq_tasklet(void *data)
{
}

void vsmmuv3_cmdq_init(struct vsmmuv3 *vs)
{
    tasklet_init(&vs->cmdq_tasklet, vsmmuv3_cmdq_tasklet, vs);
}

void vsmmuv3_cmdq_teardown(struct vsmmuv3 *vs)
{
    tasklet_kill(&vs->cmdq_tasklet);
}

void vsmmuv3_cmdq_kick(struct vsmmuv3 *vs)
{
    ASSERT(spin_is_locked(&vs->lock));
}

void vsmmuv3_bypass_policy_changed(struct vsmmuv3 *vs)
{
    ASSERT(spin_is_locked(&vs->lock));
}

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * indent-tabs-mode: nil
 * End:
 */
