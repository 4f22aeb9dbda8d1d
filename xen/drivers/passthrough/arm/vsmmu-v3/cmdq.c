/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vSMMUv3 command queue consumer, and the steps in which all the work a
 * guest causes is done.
 *
 * Consumption starts or continues on a CMDQ_PROD write, on CMDQEN 0->1, on
 * the GERRORN write that acknowledges CMDQ_ERR (Linux rewrites the failed
 * entry and never writes PROD for it), and on a CMDQ_CONS read while
 * commands are pending.  A change of SMMUEN, or of GBPA.ABORT while SMMUEN
 * is 0, makes every stream follow the new policy.  CONS only ever moves
 * forward, never past PROD.
 *
 * Work is charged to the guest that causes it, and bounded in work, not in
 * commands.  The access that asked for it does one step in its own trap;
 * if work is left, that vCPU does one more step each time it is about to
 * return to the guest (vsmmuv3_vcpu_work(), from Xen's
 * check_for_vcpu_work()), with softirqs processed in between, so the
 * scheduler accounts for the time and can preempt it between steps.
 * Nothing runs in a timer, tasklet or softirq on the guest's behalf.  A
 * step does at most step_work units (vsmmu-v3.h): each command is started
 * only if its largest cost fits, and the commands that walk streams
 * (CFGI_STE_RANGE, CFGI_ALL, a CMD_SYNC recovering from a physical
 * failure) stop between streams and continue at the next step.  Linux's
 * doorbell (64 TLBIs and a CMD_SYNC) fits in one step with the default
 * bound, so it completes in its own trap.
 *
 * Every command is copied out of guest memory before it is looked at, and
 * checked field by field: unknown opcodes, features the vSMMU does not
 * advertise and reserved encodings are CERROR_ILL; a command that cannot be
 * fetched is CERROR_ABT.  On an error consumption stops at the command, CONS
 * points at it with CONS.ERR set, and GERROR.CMDQ_ERR is raised (IHI 0070
 * 7.1).  A command whose work spans steps is kept as it was fetched.
 *
 * The consumer runs with the vSMMU lock held.
 */

#include <xen/errno.h>
#include <xen/guest_access.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/xmalloc.h>

#include "vsmmu-v3.h"

/* A command was started and continues at the next step. */
#define CMD_MORE                (~0U)

static bool cmdq_stalled(const struct vsmmuv3 *vs)
{
    return (vs->gerror ^ vs->gerrorn) & SMMU_GERROR_CMDQ_ERR;
}

static bool cmdq_runnable(const struct vsmmuv3 *vs)
{
    return (vs->cr0 & SMMU_CR0_CMDQEN) && !cmdq_stalled(vs) &&
           (vs->cmd_active || !vsmmuv3_q_empty(&vs->cmdq));
}

static bool work_pending(const struct vsmmuv3 *vs)
{
    return !vs->dying && (vs->sweep_active || cmdq_runnable(vs));
}

/* Advance a queue pointer by one entry, keeping the wrap bit right. */
static uint32_t q_inc(const struct vsmmuv3_queue *q, uint32_t ptr)
{
    return (ptr + 1) & vsmmuv3_q_wrap_mask(q);
}

static void cmdq_error(struct vsmmuv3 *vs, unsigned int cerror,
                       const uint64_t cmd[2])
{
    vs->cmdq.cons = (vs->cmdq.cons & ~SMMU_CMDQ_CONS_ERR) |
                    SMMU_FIELD_PREP(SMMU_CMDQ_CONS_ERR, cerror);
    vs->stats.cmd_errors++;
    if ( cmd )
        vsmmuv3_log(vs, XENLOG_G_WARNING,
                    "command %#lx %#lx at CONS %#x: CERROR %u\n",
                    (unsigned long)cmd[0], (unsigned long)cmd[1],
                    vsmmuv3_q_idx(&vs->cmdq, vs->cmdq.cons), cerror);
    else
        vsmmuv3_log(vs, XENLOG_G_WARNING,
                    "command fetch at CONS %#x aborted\n",
                    vsmmuv3_q_idx(&vs->cmdq, vs->cmdq.cons));
    vsmmuv3_raise_gerror(vs, SMMU_GERROR_CMDQ_ERR);
}

/*
 * CMD_SYNC (IHI 0070 4.7.3).  After a physical failure the recovery is
 * queued first, in steps; then everything before the sync completes,
 * physical work included.
 */
static unsigned int cmd_sync(struct vsmmuv3 *vs, const uint64_t cmd[2])
{
    unsigned int cs = SMMU_FIELD_GET(SMMU_CMD0_SYNC_CS, cmd[0]);
    paddr_t msi_addr = cmd[1] & SMMU_CMD1_SYNC_MSIADDR;
    uint32_t msi_data = SMMU_FIELD_GET(SMMU_CMD0_SYNC_MSIDATA, cmd[0]);

    if ( cs == 3 )
        return SMMU_CERROR_ILL;         /* reserved completion signal */

    if ( !vs->cmd_recovered )
    {
        if ( !vsmmuv3_relay_recover(vs, &vs->cmd_next_vsid) )
            return CMD_MORE;
        vs->cmd_recovered = true;
        /* The sync itself is one more operation that cannot be split. */
        if ( !vsmmuv3_work_fits(vs, vs->op_work[SMMU_OP_CMD_SYNC]) )
            return CMD_MORE;
    }

    /*
     * A physical sync that failed is an abort: Linux then fetches the
     * CMD_SYNC again, and the next attempt covers what the failed one
     * did not (relay.c).
     */
    if ( vsmmuv3_relay_sync(vs) )
        return SMMU_CERROR_ABT;

    /*
     * With MSIs, completion is signalled by writing MSIData to MSIAddr: Linux
     * points MSIAddr at the CMD_SYNC itself and polls it in memory.  An
     * MSIAddr of 0 asks for no write at all (IHI 0070 4.7.3).  Without MSIs
     * there is no CMD_SYNC interrupt: CS=SIG_IRQ completes like SIG_NONE,
     * and SIG_SEV (no IDR0.SEV) does too.
     */
    if ( cs == SMMU_SYNC_CS_IRQ && (vs->id.idr[0] & SMMU_IDR0_MSI) &&
         msi_addr )
    {
        vsmmuv3_work(vs, VSMMUV3_WORK_GUEST_MEM);
        if ( access_guest_memory_by_gpa(vs->d, msi_addr, &msi_data,
                                        sizeof(msi_data), true) )
            vsmmuv3_raise_gerror(vs, SMMU_GERROR_MSI_CMDQ_ABT_ERR);
    }

    return SMMU_CERROR_NONE;
}

/* CFGI_STE_RANGE: Range 31 is every StreamID, else 2^(Range+1) aligned. */
static unsigned int cfgi_ste_range(struct vsmmuv3 *vs, const uint64_t cmd[2],
                                   bool start)
{
    unsigned int range = SMMU_FIELD_GET(SMMU_CMD1_CFGI_RANGE, cmd[1]);
    uint64_t sid = SMMU_FIELD_GET(SMMU_CMD0_SID, cmd[0]);
    uint64_t size = range == SMMU_CFGI_RANGE_ALL ? 1ULL << 32
                                                 : 2ULL << range;
    uint64_t first = sid & ~(size - 1);

    if ( start )
        vs->cmd_next_vsid = first;
    return vsmmuv3_cfgi_ste_range(vs, &vs->cmd_next_vsid, first + size - 1)
           ? SMMU_CERROR_NONE : CMD_MORE;
}

/*
 * Check and carry out one command; @start is false when a command that
 * spans steps continues.  Returns a CERROR code, or CMD_MORE.
 */
static unsigned int cmd_run(struct vsmmuv3 *vs, const uint64_t cmd[2],
                            bool start)
{
    unsigned int op = SMMU_FIELD_GET(SMMU_CMD_OPCODE, cmd[0]);

    switch ( op )
    {
    case SMMU_OP_TLBI_NH_ALL:
    case SMMU_OP_TLBI_NH_ASID:
    case SMMU_OP_TLBI_NH_VA:
    case SMMU_OP_TLBI_NH_VAA:
    case SMMU_OP_TLBI_NSNH_ALL:
        return vsmmuv3_relay_cmd(vs, cmd);

    case SMMU_OP_CMD_SYNC:
        if ( start )
        {
            vs->cmd_next_vsid = 0;
            vs->cmd_recovered = false;
        }
        return cmd_sync(vs, cmd);
    }

    /* Not an invalidation: hand over what is batched before acting. */
    vsmmuv3_relay_push(vs);

    switch ( op )
    {
    case SMMU_OP_PREFETCH_CONFIG:
    case SMMU_OP_PREFETCH_ADDR:
    case SMMU_OP_CFGI_STE:
    case SMMU_OP_CFGI_STE_RANGE:
    case SMMU_OP_CFGI_CD:
    case SMMU_OP_CFGI_CD_ALL:
        /* A Secure stream from the Non-secure queue is illegal (4.3). */
        if ( cmd[0] & SMMU_CMD0_SSEC )
            return SMMU_CERROR_ILL;
        break;
    default:
        break;
    }

    switch ( op )
    {
    case SMMU_OP_PREFETCH_CONFIG:
    case SMMU_OP_PREFETCH_ADDR:
        /* Prefetching is a hint; nothing is cached ahead. */
        return SMMU_CERROR_NONE;

    case SMMU_OP_CFGI_STE:
        vsmmuv3_cfgi_ste(vs, SMMU_FIELD_GET(SMMU_CMD0_SID, cmd[0]));
        return SMMU_CERROR_NONE;

    case SMMU_OP_CFGI_STE_RANGE:
        return cfgi_ste_range(vs, cmd, start);

    case SMMU_OP_CFGI_CD:
    case SMMU_OP_CFGI_CD_ALL:
        return vsmmuv3_relay_cmd(vs, cmd);

    /*
     * Everything else is illegal here: EL2/EL3 invalidations (no IDR0.HYP),
     * stage 2 (no S2P), ATC_INV (no ATS), PRI_RESP (no PRI), RESUME and
     * STALL_TERM (no stalls), CFGI_VMS_PIDM, unknown opcodes.
     */
    default:
        return SMMU_CERROR_ILL;
    }
}

/*
 * The largest cost of starting command @cmd: all of it for a command that
 * cannot be split, the first stream's share for one that walks streams.
 */
static unsigned int cmd_work(const struct vsmmuv3 *vs, const uint64_t cmd[2])
{
    unsigned int op = SMMU_FIELD_GET(SMMU_CMD_OPCODE, cmd[0]);

    if ( op == SMMU_OP_TLBI_NH_VA || op == SMMU_OP_TLBI_NH_VAA )
        if ( cmd[1] & SMMU_CMD1_TLBI_TG )
            return vs->tlbi_range_work;
    return vs->op_work[op];
}

/* Fill the cost table: what each opcode may do on this vSMMU's SMMUs. */
static void cmdq_init_work(struct vsmmuv3 *vs)
{
    /* Every command may fail and raise GERROR, whose MSI is a write. */
    const unsigned int base = VSMMUV3_WORK_CMD + VSMMUV3_WORK_GUEST_MEM;
    const unsigned int nb = vs->nr_backends;
    unsigned int op, b, range = 0;

    for ( b = 0; b < nb; b++ )
        range += (vs->backends[b].caps.idr[3] & SMMU_IDR3_RIL)
                 ? VSMMUV3_WORK_PHYS_CMD
                 : VSMMUV3_RIL_SPLIT_MAX * VSMMUV3_WORK_PHYS_CMD;

    for ( op = 0; op < ARRAY_SIZE(vs->op_work); op++ )
        vs->op_work[op] = base;
    vs->op_work[SMMU_OP_TLBI_NH_ALL] = base + nb * VSMMUV3_WORK_PHYS_CMD;
    vs->op_work[SMMU_OP_TLBI_NSNH_ALL] = base + nb * VSMMUV3_WORK_PHYS_CMD;
    vs->op_work[SMMU_OP_TLBI_NH_ASID] = base + nb * VSMMUV3_WORK_PHYS_CMD;
    vs->op_work[SMMU_OP_TLBI_NH_VA] = base + nb * VSMMUV3_WORK_PHYS_CMD;
    vs->op_work[SMMU_OP_TLBI_NH_VAA] = base + nb * VSMMUV3_WORK_PHYS_CMD;
    vs->op_work[SMMU_OP_CFGI_CD] = base + VSMMUV3_WORK_PHYS_CMD;
    vs->op_work[SMMU_OP_CFGI_CD_ALL] = base + VSMMUV3_WORK_PHYS_CMD;
    vs->op_work[SMMU_OP_CFGI_STE] = base + VSMMUV3_WORK_STREAM;
    vs->op_work[SMMU_OP_CFGI_STE_RANGE] = base + VSMMUV3_WORK_STREAM;
    /* The MSI write, and its abort's GERROR MSI. */
    vs->op_work[SMMU_OP_CMD_SYNC] = base + nb * VSMMUV3_WORK_PHYS_SYNC +
                                    VSMMUV3_WORK_GUEST_MEM;
    vs->tlbi_range_work = base + range;
}

/*
 * How many commands can be fetched with one access from CONS: not past
 * PROD, the end of the queue, the end of the page (guest memory fails page
 * by page) or @max.
 */
static unsigned int fetch_count(const struct vsmmuv3 *vs, paddr_t addr,
                                unsigned int max)
{
    const struct vsmmuv3_queue *q = &vs->cmdq;
    uint32_t cons = vsmmuv3_q_idx(q, q->cons);
    uint32_t prod = vsmmuv3_q_idx(q, q->prod);
    unsigned int n, to_page;

    if ( prod > cons )
        n = prod - cons;
    else
        n = (1U << vsmmuv3_q_log2(q)) - cons;   /* to the end, then wrap */
    to_page = (PAGE_SIZE - (addr & (PAGE_SIZE - 1))) / SMMU_CMD_SIZE;
    return min(min(n, to_page), max);
}

/* The command at CONS is done: CONS moves past it. */
static void cmd_done(struct vsmmuv3 *vs)
{
    struct vsmmuv3_queue *q = &vs->cmdq;

    q->cons = (q->cons & SMMU_CMDQ_CONS_ERR) | q_inc(q, q->cons);
    vs->stats.cmds++;
}

/*
 * Run @cmd, the command at CONS, or continue it.  False if consumption
 * stops here: the step is over, or the command failed.
 */
static bool cmd_step(struct vsmmuv3 *vs, const uint64_t cmd[2], bool start)
{
    unsigned int cerror;

    if ( start )
        vsmmuv3_work(vs, VSMMUV3_WORK_CMD);
    cerror = cmd_run(vs, cmd, start);
    if ( cerror == CMD_MORE )
    {
        if ( start )
        {
            vs->cmd_active = true;
            vs->cmd_cur[0] = cmd[0];
            vs->cmd_cur[1] = cmd[1];
        }
        return false;
    }
    vs->cmd_active = false;
    if ( cerror )
    {
        cmdq_error(vs, cerror, cmd);
        return false;
    }
    cmd_done(vs);
    return true;
}

/* Consume commands while their work fits in the step. */
static void cmdq_consume(struct vsmmuv3 *vs)
{
    struct vsmmuv3_queue *q = &vs->cmdq;
    uint64_t (*cmds)[2] = vs->cmd_buf;

    if ( vs->cmd_active && !cmd_step(vs, vs->cmd_cur, false) )
        return;

    while ( cmdq_runnable(vs) )
    {
        paddr_t addr = vsmmuv3_q_addr(q) +
                       (paddr_t)vsmmuv3_q_idx(q, q->cons) * SMMU_CMD_SIZE;
        unsigned int left = vs->step_work - vs->work_used, n, i;

        /* Fetch no more than the step could run, if every one were cheap. */
        if ( left <= VSMMUV3_WORK_GUEST_MEM + VSMMUV3_WORK_CMD )
            return;
        n = fetch_count(vs, addr,
                        min((left - VSMMUV3_WORK_GUEST_MEM) / VSMMUV3_WORK_CMD,
                            VSMMUV3_FETCH));
        vsmmuv3_work(vs, VSMMUV3_WORK_GUEST_MEM);
        if ( access_guest_memory_by_gpa(vs->d, addr, vs->cmd_buf,
                                        n * SMMU_CMD_SIZE, false) )
        {
            cmdq_error(vs, SMMU_CERROR_ABT, NULL);
            return;
        }
        for ( i = 0; i < n; i++ )
        {
            if ( !vsmmuv3_work_fits(vs, cmd_work(vs, cmds[i])) ||
                 !cmd_step(vs, cmds[i], true) )
                return;
        }
    }
}

/*
 * One step: at most step_work units of work.  Streams follow a policy
 * change before any command runs.  Returns true if work is left.
 */
static bool vsmmuv3_step(struct vsmmuv3 *vs)
{
    ASSERT(spin_is_locked(&vs->lock));

    vs->work_used = 0;
    vs->stats.steps++;
    if ( vs->sweep_active &&
         vsmmuv3_sweep_streams(vs, &vs->sweep_next_vsid) )
    {
        /* The update of CR0 or GBPA has completed (IHI 0070 6.3.2). */
        vs->sweep_active = false;
        vs->cr0ack = vs->cr0;
        vs->gbpa &= ~SMMU_GBPA_UPDATE;
    }
    if ( !vs->sweep_active )
        cmdq_consume(vs);
    /* What a step queued, it hands over: the work is done where charged. */
    vsmmuv3_relay_push(vs);
    if ( vs->work_used > vs->stats.max_step_work )
        vs->stats.max_step_work = vs->work_used;
    return work_pending(vs);
}

void vsmmuv3_kick(struct vsmmuv3 *vs, struct vcpu *v)
{
    ASSERT(spin_is_locked(&vs->lock));

    if ( !work_pending(vs) )
        return;
    if ( vsmmuv3_step(vs) )
        vs->vcpu_work[v->vcpu_id] = true;
}

bool vsmmuv3_vcpu_work(struct vsmmuv3 *vs, struct vcpu *v)
{
    bool more;

    /* Only @v sets or clears its own flag: no lock needed to look. */
    if ( likely(!ACCESS_ONCE(vs->vcpu_work[v->vcpu_id])) )
        return false;

    spin_lock(&vs->lock);
    more = work_pending(vs);
    if ( more )
    {
        vs->stats.continuations++;
        more = vsmmuv3_step(vs);
    }
    vs->vcpu_work[v->vcpu_id] = more;
    spin_unlock(&vs->lock);

    return more;
}

void vsmmuv3_bypass_policy_changed(struct vsmmuv3 *vs)
{
    ASSERT(spin_is_locked(&vs->lock));

    /* From the first stream again, with the policy as it is now. */
    vs->sweep_active = true;
    vs->sweep_next_vsid = 0;
}

int vsmmuv3_cmdq_init(struct vsmmuv3 *vs)
{
    vs->vcpu_work = xzalloc_array(bool, vs->d->max_vcpus);
    if ( !vs->vcpu_work )
        return -ENOMEM;
    cmdq_init_work(vs);
    return 0;
}

void vsmmuv3_cmdq_free(struct vsmmuv3 *vs)
{
    xfree(vs->vcpu_work);
    vs->vcpu_work = NULL;
}

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * indent-tabs-mode: nil
 * End:
 */
