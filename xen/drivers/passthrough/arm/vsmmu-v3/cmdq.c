/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vSMMUv3 command queue consumer (S4).
 *
 * Consumption starts or continues on a CMDQ_PROD write, on CMDQEN 0->1, on
 * the GERRORN write that acknowledges CMDQ_ERR (Linux rewrites the failed
 * entry and never writes PROD for it), and on a CMDQ_CONS read while
 * commands are pending.  One call consumes at most vs->cmdq_budget
 * commands; the rest continues in deferred runs of one budget each.  CONS
 * only ever moves forward, never past PROD.
 *
 * Deferred runs are a timer, and Xen fires timers ahead of every vCPU, on
 * time no domain is charged for.  So they are paced (S8.2): the first one
 * after the queue was drained is immediate (Linux's doorbell, 64 commands
 * and a CMD_SYNC, completes at once), but while a backlog outlasts a
 * deferred run the next one waits vs->cmdq_defer_period.  A guest thus gets
 * at most one budget of uncharged work per period however many vCPUs ring
 * the doorbell; the work its own traps do (PROD writes, CONS polls) is done
 * in its vCPUs' time.
 *
 * Every command is copied out of guest memory before it is looked at, and
 * checked field by field: unknown opcodes, features the vSMMU does not
 * advertise and reserved encodings are CERROR_ILL; a command that cannot be
 * fetched is CERROR_ABT.  On an error consumption stops at the command, CONS
 * points at it with CONS.ERR set, and GERROR.CMDQ_ERR is raised (S4.4).
 *
 * The consumer runs with the vSMMU lock held.
 */

#include <xen/guest_access.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/timer.h>

#include "vsmmu-v3.h"


static bool cmdq_stalled(const struct vsmmuv3 *vs)
{
    return (vs->gerror ^ vs->gerrorn) & SMMU_GERROR_CMDQ_ERR;
}

static bool cmdq_runnable(const struct vsmmuv3 *vs)
{
    return !vs->dying && (vs->cr0 & SMMU_CR0_CMDQEN) && !cmdq_stalled(vs) &&
           !vsmmuv3_q_empty(&vs->cmdq);
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

/* CMD_SYNC (S4.5). */
static unsigned int cmd_sync(struct vsmmuv3 *vs, const uint64_t cmd[2])
{
    unsigned int cs = SMMU_FIELD_GET(SMMU_CMD0_SYNC_CS, cmd[0]);
    paddr_t msi_addr = cmd[1] & SMMU_CMD1_SYNC_MSIADDR;
    uint32_t msi_data = SMMU_FIELD_GET(SMMU_CMD0_SYNC_MSIDATA, cmd[0]);

    if ( cs == 3 )
        return SMMU_CERROR_ILL;         /* reserved completion signal */

    /* Everything before the sync is complete, physical work included. */
    if ( vsmmuv3_relay_sync(vs) )
        return SMMU_CERROR_ILL;

    /*
     * With MSIs, completion is signalled by writing MSIData to MSIAddr: Linux
     * points MSIAddr at the CMD_SYNC itself and polls it in memory.  An
     * MSIAddr of 0 asks for no write at all (IHI 0070 4.7.3).  Without MSIs
     * there is no CMD_SYNC interrupt: CS=SIG_IRQ completes like SIG_NONE,
     * and SIG_SEV (no IDR0.SEV) does too.
     */
    if ( cs == SMMU_SYNC_CS_IRQ && (vs->id.idr[0] & SMMU_IDR0_MSI) &&
         msi_addr &&
         access_guest_memory_by_gpa(vs->d, msi_addr, &msi_data,
                                    sizeof(msi_data), true) )
        vsmmuv3_raise_gerror(vs, SMMU_GERROR_MSI_CMDQ_ABT_ERR);

    return SMMU_CERROR_NONE;
}

/* CFGI_STE_RANGE: Range 31 is every StreamID, else 2^(Range+1) aligned. */
static void cfgi_ste_range(struct vsmmuv3 *vs, const uint64_t cmd[2])
{
    unsigned int range = SMMU_FIELD_GET(SMMU_CMD1_CFGI_RANGE, cmd[1]);
    uint64_t sid = SMMU_FIELD_GET(SMMU_CMD0_SID, cmd[0]);
    uint64_t size = range == SMMU_CFGI_RANGE_ALL ? 1ULL << 32
                                                 : 2ULL << range;
    uint64_t first = sid & ~(size - 1);

    vsmmuv3_cfgi_ste_range(vs, first, first + size - 1);
}

/* Check and carry out one command.  Returns a CERROR code. */
static unsigned int cmd_run(struct vsmmuv3 *vs, const uint64_t cmd[2])
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
        cfgi_ste_range(vs, cmd);
        return SMMU_CERROR_NONE;

    case SMMU_OP_CFGI_CD:
    case SMMU_OP_CFGI_CD_ALL:
        return vsmmuv3_relay_cmd(vs, cmd);

    /*
     * Everything else is illegal here (S4.3): EL2/EL3 invalidations (no
     * IDR0.HYP), stage 2 (no S2P), ATC_INV (no ATS), PRI_RESP (no PRI),
     * RESUME and STALL_TERM (no stalls), CFGI_VMS_PIDM, unknown opcodes.
     */
    default:
        return SMMU_CERROR_ILL;
    }
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

/*
 * Consume at most @budget commands.  Returns true if more are waiting (the
 * queue is not empty and not stopped by an error).
 */
static bool cmdq_consume(struct vsmmuv3 *vs, unsigned int budget)
{
    struct vsmmuv3_queue *q = &vs->cmdq;
    uint64_t (*cmds)[2] = vs->cmd_buf;

    while ( budget && cmdq_runnable(vs) )
    {
        paddr_t addr = vsmmuv3_q_addr(q) +
                       (paddr_t)vsmmuv3_q_idx(q, q->cons) * SMMU_CMD_SIZE;
        unsigned int n = fetch_count(vs, addr, min(budget, VSMMUV3_FETCH));
        unsigned int i, cerror;

        if ( access_guest_memory_by_gpa(vs->d, addr, vs->cmd_buf,
                                        n * SMMU_CMD_SIZE, false) )
        {
            cmdq_error(vs, SMMU_CERROR_ABT, NULL);
            return false;
        }
        for ( i = 0; i < n; i++ )
        {
            cerror = cmd_run(vs, cmds[i]);
            if ( cerror )
            {
                cmdq_error(vs, cerror, cmds[i]);
                return false;
            }
            q->cons = (q->cons & SMMU_CMDQ_CONS_ERR) | q_inc(q, q->cons);
            vs->stats.cmds++;
        }
        budget -= n;
    }
    return cmdq_runnable(vs);
}

static void cmdq_defer(struct vsmmuv3 *vs)
{
    s_time_t now;

    if ( vs->cmdq_deferred )
        return;
    vs->cmdq_deferred = true;
    now = NOW();
    if ( vs->cmdq_next_run > now )
    {
        vs->stats.deferred_paced++;
        now = vs->cmdq_next_run;
    }
    set_timer(&vs->cmdq_timer, now);
}

void vsmmuv3_cmdq_kick(struct vsmmuv3 *vs)
{
    ASSERT(spin_is_locked(&vs->lock));

    if ( cmdq_runnable(vs) && cmdq_consume(vs, vs->cmdq_budget) )
        cmdq_defer(vs);
}

static void vsmmuv3_cmdq_deferred(void *data)
{
    struct vsmmuv3 *vs = data;

    spin_lock(&vs->lock);
    vs->cmdq_deferred = false;
    vs->stats.deferred_runs++;
    if ( cmdq_runnable(vs) && cmdq_consume(vs, vs->cmdq_budget) )
    {
        /* A backlog outlasted a whole deferred run: the next one waits. */
        vs->cmdq_next_run = NOW() + vs->cmdq_defer_period;
        cmdq_defer(vs);
    }
    spin_unlock(&vs->lock);
}

void vsmmuv3_cmdq_init(struct vsmmuv3 *vs)
{
    /* Any CPU will do: the pacing, not the placement, bounds the cost. */
    init_timer(&vs->cmdq_timer, vsmmuv3_cmdq_deferred, vs,
               smp_processor_id());
}

void vsmmuv3_cmdq_teardown(struct vsmmuv3 *vs)
{
    /* Not under the lock: the handler takes it, and kill waits for it. */
    kill_timer(&vs->cmdq_timer);
}

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * indent-tabs-mode: nil
 * End:
 */
