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

static void vsmmuv3_cmdq_error(struct vsmmuv3 *vs, unsigned int cerror,
                               const uint64_t cmd[2])
{
    vs->cmdq.cons = (vs->cmdq.cons & ~SMMU_CMDQ_CONS_ERR) |
                    MASK_INSR(cerror, SMMU_CMDQ_CONS_ERR);
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
static unsigned int vsmmuv3_cmd_sync(struct vsmmuv3 *vs, const uint64_t cmd[2])
{
    unsigned int cs = MASK_EXTR(cmd[0], SMMU_CMD0_SYNC_CS);
    paddr_t msi_addr = cmd[1] & SMMU_CMD1_SYNC_MSIADDR;
    uint32_t msi_data = MASK_EXTR(cmd[0], SMMU_CMD0_SYNC_MSIDATA);

    if ( cs == 3 )
        return SMMU_CERROR_ILL;         /* reserved completion signal */

    if ( !vs->cmd_recovered )
    {
        if ( !vsmmuv3_relay_recover(vs, &vs->cmd_next_vsid) )
            return CMD_MORE;
        vs->cmd_recovered = true;
        /* The sync itself is one more operation that cannot be split. */
        if ( !vsmmuv3_work_fits(vs, vs->op_work[SMMU_OP_CMD_SYNC].fit) )
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
static unsigned int vsmmuv3_cmd_cfgi_ste_range(struct vsmmuv3 *vs,
                                               const uint64_t cmd[2],
                                               bool start)
{
    unsigned int range = MASK_EXTR(cmd[1], SMMU_CMD1_CFGI_RANGE);
    uint64_t sid = MASK_EXTR(cmd[0], SMMU_CMD0_SID);
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
static unsigned int vsmmuv3_cmd_run(struct vsmmuv3 *vs, const uint64_t cmd[2],
                                    bool start)
{
    unsigned int op = MASK_EXTR(cmd[0], SMMU_CMD_OPCODE);

    switch ( op )
    {
    case SMMU_OP_TLBI_NH_ALL:
    case SMMU_OP_TLBI_NH_ASID:
    case SMMU_OP_TLBI_NH_VA:
    case SMMU_OP_TLBI_NH_VAA:
    case SMMU_OP_TLBI_NSNH_ALL:
        return vsmmuv3_relay_tlbi(vs, cmd);

    case SMMU_OP_CMD_SYNC:
        if ( start )
        {
            vs->cmd_next_vsid = 0;
            vs->cmd_recovered = false;
        }
        return vsmmuv3_cmd_sync(vs, cmd);
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
        /* A Secure stream from the Non-secure queue is illegal (4.1.6). */
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
        vsmmuv3_cfgi_ste(vs, MASK_EXTR(cmd[0], SMMU_CMD0_SID));
        return SMMU_CERROR_NONE;

    case SMMU_OP_CFGI_STE_RANGE:
        return vsmmuv3_cmd_cfgi_ste_range(vs, cmd, start);

    case SMMU_OP_CFGI_CD:
    case SMMU_OP_CFGI_CD_ALL:
        /* SSID is RES0 without substreams; Leaf only narrows the scope. */
        vsmmuv3_cfgi_cd(vs, MASK_EXTR(cmd[0], SMMU_CMD0_SID));
        return SMMU_CERROR_NONE;

    /*
     * Everything else is illegal here: EL2/EL3 invalidations (no IDR0.HYP),
     * stage 2 (no S2P), ATC_INV (no ATS), PRI_RESP (no PRI), RESUME and
     * STALL_TERM (no stalls), CFGI_VMS_PIDM, unknown opcodes.
     */
    default:
        return SMMU_CERROR_ILL;
    }
}

/* Index in op_work[] of a range TLBI_NH_VA and TLBI_NH_VAA. */
#define OP_WORK_RANGE(op)       (256 + (op) - SMMU_OP_TLBI_NH_VA)

/*
 * Fill the cost table: what each opcode may do on this vSMMU's SMMUs, and
 * what is charged for it up front.
 */
static void vsmmuv3_cmdq_init_work(struct vsmmuv3 *vs)
{
    /* Every command may fail and raise GERROR, whose MSI is a write. */
    const unsigned int err = VSMMUV3_WORK_GUEST_MEM;
    const unsigned int nb = vs->nr_backends;
    const unsigned int tlbi = VSMMUV3_WORK_CMD + nb * VSMMUV3_WORK_PHYS_CMD;
    unsigned int op, b, range = VSMMUV3_WORK_CMD;

    for ( b = 0; b < nb; b++ )
        range += (vs->backends[b].caps.idr[3] & SMMU_IDR3_RIL)
                 ? VSMMUV3_WORK_PHYS_CMD
                 : VSMMUV3_RIL_SPLIT_MAX * VSMMUV3_WORK_PHYS_CMD;

#define SET(op, f, c) \
    (vs->op_work[op].fit = (f), vs->op_work[op].charge = (c))
    for ( op = 0; op < ARRAY_SIZE(vs->op_work); op++ )
        SET(op, VSMMUV3_WORK_CMD + err, VSMMUV3_WORK_CMD);
    SET(SMMU_OP_TLBI_NH_ALL, tlbi + err, tlbi);
    SET(SMMU_OP_TLBI_NSNH_ALL, tlbi + err, tlbi);
    SET(SMMU_OP_TLBI_NH_ASID, tlbi + err, tlbi);
    SET(SMMU_OP_TLBI_NH_VA, tlbi + err, tlbi);
    SET(SMMU_OP_TLBI_NH_VAA, tlbi + err, tlbi);
    SET(OP_WORK_RANGE(SMMU_OP_TLBI_NH_VA), range + err, range);
    SET(OP_WORK_RANGE(SMMU_OP_TLBI_NH_VAA), range + err, range);
    /* The stream's STE and CD read again, as for CFGI_STE. */
    SET(SMMU_OP_CFGI_CD, VSMMUV3_WORK_CMD + VSMMUV3_WORK_STREAM + err,
        VSMMUV3_WORK_CMD);
    SET(SMMU_OP_CFGI_CD_ALL, VSMMUV3_WORK_CMD + VSMMUV3_WORK_STREAM + err,
        VSMMUV3_WORK_CMD);
    /* The first stream's share: the others go one by one. */
    SET(SMMU_OP_CFGI_STE, VSMMUV3_WORK_CMD + VSMMUV3_WORK_STREAM + err,
        VSMMUV3_WORK_CMD);
    SET(SMMU_OP_CFGI_STE_RANGE, VSMMUV3_WORK_CMD + VSMMUV3_WORK_STREAM + err,
        VSMMUV3_WORK_CMD);
    /* A sync per SMMU, the MSI write and its abort's GERROR MSI. */
    SET(SMMU_OP_CMD_SYNC, VSMMUV3_WORK_CMD + nb * VSMMUV3_WORK_PHYS_SYNC +
                          VSMMUV3_WORK_GUEST_MEM + err, VSMMUV3_WORK_CMD);
#undef SET
}

/*
 * How many commands can be fetched with one access from CONS: not past
 * PROD, the end of the queue, the end of the page (guest memory fails page
 * by page) or @max.
 */
static unsigned int vsmmuv3_fetch_count(const struct vsmmuv3 *vs, paddr_t addr,
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
 * Run @cmd, the command at CONS, or continue it (@start false).  False if
 * consumption stops here: the step is over, or the command failed.
 */
static bool vsmmuv3_cmd_step(struct vsmmuv3 *vs, const uint64_t cmd[2],
                             bool start)
{
    struct vsmmuv3_queue *q = &vs->cmdq;
    unsigned int cerror = vsmmuv3_cmd_run(vs, cmd, start);

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
        vsmmuv3_cmdq_error(vs, cerror, cmd);
        return false;
    }
    q->cons = (q->cons & SMMU_CMDQ_CONS_ERR) |
              ((q->cons + 1) & vsmmuv3_q_wrap_mask(q));
    vs->stats.cmds++;
    return true;
}

/*
 * Run the @n commands just fetched into cmd_buf, from CONS on, while their
 * work fits in the step.  The hot path of every guest doorbell: each cost is
 * looked up, invalidations go straight to the relay, and the work used,
 * CONS and the count live in registers until something else needs them.
 * Returns false if consumption stops (the step is over, or an error).
 */
static bool vsmmuv3_cmdq_run_fetched(struct vsmmuv3 *vs, unsigned int n)
{
    struct vsmmuv3_queue *q = &vs->cmdq;
    const uint64_t (*cmds)[2] = (const uint64_t (*)[2])vs->cmd_buf;
    const uint32_t wrap = vsmmuv3_q_wrap_mask(q);
    const unsigned int limit = vs->step_work;
    /*
     * With one physical SMMU, a TLBI goes to its batch right here while it
     * has room; a TLBI that is not a range always costs the same.
     */
    struct vsmmuv3_relay_batch *b0 = &vs->batch[0];
    unsigned int nr = b0->nr;
    unsigned int room = vs->nr_backends == 1 ? VSMMUV3_BATCH - nr : 0;
    const unsigned int tlbi_fit = vs->op_work[SMMU_OP_TLBI_NH_VA].fit;
    const unsigned int tlbi_charge = vs->op_work[SMMU_OP_TLBI_NH_VA].charge;
    unsigned int used = vs->work_used, i, done = 0;
    bool more = true;

/* Commands done since the last write-back move CONS; the batch is b0's. */
#define SYNC_STATE()                                                    \
    do {                                                                \
        q->cons = (q->cons & SMMU_CMDQ_CONS_ERR) |                      \
                  ((q->cons + done) & wrap);                            \
        vs->stats.cmds += done;                                         \
        done = 0;                                                       \
        vs->work_used = used;                                           \
        b0->nr = nr;                                                    \
    } while ( 0 )

    for ( i = 0; i < n; i++ )
    {
        const uint64_t *cmd = cmds[i];
        unsigned int op = cmd[0] & SMMU_CMD_OPCODE, w = op;
        struct vsmmuv3_pcmd c = vsmmuv3_tlbi_canon(vs, cmd);

        if ( likely(c.c0) )
        {
            if ( likely(!(c.c1 & SMMU_CMD1_TLBI_TG)) && likely(room) )
            {
                if ( used + tlbi_fit > limit )
                {
                    more = false;
                    break;
                }
                used += tlbi_charge;
                b0->cmds[nr][0] = c.c0 | b0->tlbi_vmid;
                b0->cmds[nr][1] = c.c1;
                nr++;
                room--;
                done++;
                continue;
            }
            if ( c.c1 & SMMU_CMD1_TLBI_TG )
                w = OP_WORK_RANGE(op);
            if ( used + vs->op_work[w].fit > limit )
            {
                more = false;
                break;
            }
            used += vs->op_work[w].charge;
            if ( room && b0->ril )
            {
                b0->cmds[nr][0] = c.c0 | b0->tlbi_vmid;
                b0->cmds[nr][1] = c.c1;
                nr++;
                room--;
            }
            else
            {
                /* Only the batch is the relay's business. */
                b0->nr = nr;
                vsmmuv3_relay_tlbi_canon(vs, c.c0, c.c1);
                nr = b0->nr;
                room = vs->nr_backends == 1 ? VSMMUV3_BATCH - nr : 0;
            }
            done++;
            continue;
        }

        /*
         * Prefetching is a hint and nothing is cached ahead: a legal one
         * (no Secure stream from the Non-secure queue, 4.1.6) is done.
         */
        if ( (op == SMMU_OP_PREFETCH_CONFIG || op == SMMU_OP_PREFETCH_ADDR) &&
             !(cmd[0] & SMMU_CMD0_SSEC) )
        {
            if ( used + vs->op_work[op].fit > limit )
            {
                more = false;
                break;
            }
            used += vs->op_work[op].charge;
            done++;
            continue;
        }

        /* Anything else: with the state written back. */
        if ( (op & ~1U) == SMMU_OP_TLBI_NH_VA )
            w = OP_WORK_RANGE(op);      /* a range TLBI that fails */
        if ( used + vs->op_work[w].fit > limit )
        {
            more = false;
            break;
        }
        used += vs->op_work[w].charge;
        SYNC_STATE();
        more = vsmmuv3_cmd_step(vs, cmd, true);
        used = vs->work_used;
        nr = b0->nr;
        room = vs->nr_backends == 1 ? VSMMUV3_BATCH - nr : 0;
        if ( !more )
            break;
    }
    SYNC_STATE();
#undef SYNC_STATE
    return more;
}

/*
 * Consume commands while their work fits in the step.
 */
static void vsmmuv3_cmdq_consume(struct vsmmuv3 *vs)
{
    struct vsmmuv3_queue *q = &vs->cmdq;

    if ( vs->cmd_active && !vsmmuv3_cmd_step(vs, vs->cmd_cur, false) )
        return;

    while ( vsmmuv3_cmdq_runnable(vs) )
    {
        paddr_t addr = vsmmuv3_q_addr(q) +
                       (paddr_t)vsmmuv3_q_idx(q, q->cons) * SMMU_CMD_SIZE;
        unsigned int left = vs->step_work - vs->work_used, n;

        /* Fetch no more than the step could run, if every one were cheap. */
        if ( left <= VSMMUV3_WORK_GUEST_MEM + VSMMUV3_WORK_CMD )
            return;
        n = vsmmuv3_fetch_count(vs, addr,
                                min((left - VSMMUV3_WORK_GUEST_MEM) /
                                    VSMMUV3_WORK_CMD, VSMMUV3_FETCH));
        vsmmuv3_work(vs, VSMMUV3_WORK_GUEST_MEM);
        if ( access_guest_memory_by_gpa(vs->d, addr, vs->cmd_buf,
                                        n * SMMU_CMD_SIZE, false) )
        {
            vsmmuv3_cmdq_error(vs, SMMU_CERROR_ABT, NULL);
            return;
        }
        if ( !vsmmuv3_cmdq_run_fetched(vs, n) )
            return;
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
        /* The update of CR0 or GBPA has completed (IHI 0070 6.3.10, 6.3.14). */
        vs->sweep_active = false;
        vs->cr0ack = vs->cr0;
        vs->gbpa &= ~SMMU_GBPA_UPDATE;
    }
    if ( !vs->sweep_active )
        vsmmuv3_cmdq_consume(vs);
    /* What a step queued, it hands over: the work is done where charged. */
    vsmmuv3_relay_push(vs);
    if ( vs->work_used > vs->stats.max_step_work )
        vs->stats.max_step_work = vs->work_used;
    return vsmmuv3_work_pending(vs);
}

void vsmmuv3_kick(struct vsmmuv3 *vs, struct vcpu *v)
{
    ASSERT(spin_is_locked(&vs->lock));

    if ( !vsmmuv3_work_pending(vs) )
        return;
    if ( vsmmuv3_step(vs) )
        vs->vcpu_work[v->vcpu_id] = true;
}

bool vsmmuv3_vcpu_work(struct vsmmuv3 *vs, struct vcpu *v)
{
    bool more;

    /*
     * Flags change under the lock only (@v's own steps, a restore): a
     * stale look just moves the step to @v's next way back to the guest.
     */
    if ( likely(!ACCESS_ONCE(vs->vcpu_work[v->vcpu_id])) )
        return false;

    spin_lock(&vs->lock);
    more = vsmmuv3_work_pending(vs);
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
    vsmmuv3_cmdq_init_work(vs);
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
