/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vSMMUv3 relay: the work a guest's commands cause on physical SMMUs
 * (IHI 0070 4.3 and 4.4: configuration and TLB invalidation).
 *
 * - Invalidations are rebuilt, never copied: every field a physical SMMU sees
 *   comes from a checked guest field, the VMID is always the domain's on that
 *   SMMU (a guest never sets it: stage 2 is Xen's), and StreamIDs are
 *   physical.  A guest TLBI keeps its scope: never a domain-wide flush for
 *   an ASID or an address.
 * - They are batched per physical SMMU and handed over when a batch fills,
 *   before a command that is not an invalidation, and at CMD_SYNC, which
 *   syncs each SMMU that was handed work since its last sync: at most one
 *   physical sync per guest CMD_SYNC and SMMU.
 * - Stream configuration changes are installed with the physical driver's
 *   ops; if one fails, the stream is driven to abort.
 *
 * Every command queued, sync and install is charged to the step it is done
 * in (vsmmuv3_work()); cmdq.c starts nothing whose cost does not fit.
 */

#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>

#include "vsmmu-v3.h"

static uint64_t vsmmuv3_opcode(unsigned int op)
{
    return MASK_INSR(op, SMMU_CMD_OPCODE);
}

static int vsmmuv3_batch_push(struct vsmmuv3 *vs, unsigned int b)
{
    struct vsmmuv3_relay_batch *q = &vs->batch[b];
    const struct vsmmuv3_backend *be = &vs->backends[b];
    int rc;

    if ( !q->nr )
        return 0;
    rc = be->ops->queue_inval(be->priv, (const uint64_t (*)[2])q->cmds,
                              q->nr);
    vs->stats.phys_cmds += q->nr;
    q->nr = 0;
    q->unsynced = true;
    if ( rc )
    {
        vs->stats.phys_errors++;
        q->failed = true;
        vsmmuv3_log(vs, XENLOG_G_ERR,
                    "physical SMMU %u refused invalidations: %d\n", b, rc);
    }
    return rc;
}

/*
 * Queue one rewritten command for SMMU @b.  Its work was charged by the
 * caller (commands up front, from cmdq.c's cost table).
 */
static inline void vsmmuv3_batch_add(struct vsmmuv3 *vs, unsigned int b,
                                     uint64_t c0, uint64_t c1)
{
    struct vsmmuv3_relay_batch *q = &vs->batch[b];

    if ( unlikely(q->nr == VSMMUV3_BATCH) )
        vsmmuv3_batch_push(vs, b);
    q->cmds[q->nr][0] = c0;
    q->cmds[q->nr][1] = c1;
    q->nr++;
}

void vsmmuv3_relay_init(struct vsmmuv3 *vs)
{
    unsigned int b;

    for ( b = 0; b < vs->nr_backends; b++ )
    {
        vs->batch[b].tlbi_vmid = MASK_INSR(vs->backends[b].vmid,
                                           SMMU_CMD0_TLBI_VMID);
        vs->batch[b].ril = vs->backends[b].caps.idr[3] & SMMU_IDR3_RIL;
    }
    vs->tlbi_tg_ok = ((vs->id.idr[5] & SMMU_IDR5_GRAN4K) ? 1U << 1 : 0) |
                     ((vs->id.idr[5] & SMMU_IDR5_GRAN16K) ? 1U << 2 : 0) |
                     ((vs->id.idr[5] & SMMU_IDR5_GRAN64K) ? 1U << 3 : 0);
    /* Without ASID16 the upper byte of an ASID is RES0 (IHI 0070 4.4). */
    vs->tlbi_asid_mask = (vs->id.idr[0] & SMMU_IDR0_ASID16)
                         ? SMMU_CMD0_TLBI_ASID
                         : SMMU_CMD0_TLBI_ASID & ~(SMMU_CMD0_TLBI_ASID << 8);

    /*
     * What reaches a physical SMMU of a TLBI: the guest's scope (ASID,
     * address, Leaf, and TG and TTL for a range), never its VMID.
     */
#define KEEP(op, k0, k1) \
    (vs->tlbi_keep[(op) - SMMU_OP_TLBI_NH_ALL][0] = SMMU_CMD_OPCODE | (k0), \
     vs->tlbi_keep[(op) - SMMU_OP_TLBI_NH_ALL][1] = (k1))
    KEEP(SMMU_OP_TLBI_NH_ALL, 0, 0);
    KEEP(SMMU_OP_TLBI_NH_ASID, vs->tlbi_asid_mask, 0);
    KEEP(SMMU_OP_TLBI_NH_VA, vs->tlbi_asid_mask,
         SMMU_CMD1_TLBI_ADDR | SMMU_CMD1_TLBI_LEAF | SMMU_CMD1_TLBI_TG);
    KEEP(SMMU_OP_TLBI_NH_VAA, 0,
         SMMU_CMD1_TLBI_ADDR | SMMU_CMD1_TLBI_LEAF | SMMU_CMD1_TLBI_TG);
#undef KEEP
}

int vsmmuv3_relay_push(struct vsmmuv3 *vs)
{
    unsigned int b;
    int rc = 0;

    for ( b = 0; b < vs->nr_backends; b++ )
        if ( vs->batch[b].nr )
            rc |= vsmmuv3_batch_push(vs, b);
    return rc;
}

/*
 * After a refused batch or a failed sync nobody knows which invalidations
 * took effect: before its next sync, such an SMMU is told to invalidate
 * everything they could have covered, the CDs cached for each nested
 * stream on it, then the VMID's TLB entries.  The streams go one physical
 * command each while it fits in the step; true when every failed SMMU has
 * been given all of it.
 */
bool vsmmuv3_relay_recover(struct vsmmuv3 *vs, uint32_t *next)
{
    unsigned int b, i;
    bool any = false;

    for ( b = 0; b < vs->nr_backends; b++ )
        any |= vs->batch[b].failed;
    if ( !any )
        return true;

    for ( i = vsmmuv3_stream_from(vs, *next); i < vs->nr_streams; i++ )
    {
        const struct vsmmuv3_stream *s = &vs->streams[i];

        if ( s->backend < 0 || !vs->batch[s->backend].failed ||
             !s->installed_valid || s->installed_cfg != VSMMUV3_STE_NESTED )
            continue;
        if ( !vsmmuv3_work_fits(vs, VSMMUV3_WORK_PHYS_CMD) )
        {
            *next = s->vsid;
            return false;
        }
        vsmmuv3_work(vs, VSMMUV3_WORK_PHYS_CMD);
        vsmmuv3_batch_add(vs, s->backend,
                          vsmmuv3_opcode(SMMU_OP_CFGI_CD_ALL) |
                          MASK_INSR(s->psid, SMMU_CMD0_SID), 0);
    }

    if ( !vsmmuv3_work_fits(vs, vs->nr_backends * VSMMUV3_WORK_PHYS_CMD) )
    {
        *next = ~0U;
        return false;
    }
    for ( b = 0; b < vs->nr_backends; b++ )
    {
        if ( !vs->batch[b].failed )
            continue;
        vs->batch[b].failed = false;
        vsmmuv3_work(vs, VSMMUV3_WORK_PHYS_CMD);
        vsmmuv3_batch_add(vs, b,
                          vsmmuv3_opcode(SMMU_OP_TLBI_NH_ALL) |
                          vs->batch[b].tlbi_vmid, 0);
    }
    return true;
}

int vsmmuv3_relay_invalidate_all(struct vsmmuv3 *vs)
{
    unsigned int b, i;

    for ( i = 0; i < vs->nr_streams; i++ )
    {
        const struct vsmmuv3_stream *s = &vs->streams[i];

        if ( s->backend >= 0 && s->installed_valid &&
             s->installed_cfg == VSMMUV3_STE_NESTED )
        {
            vsmmuv3_work(vs, VSMMUV3_WORK_PHYS_CMD);
            vsmmuv3_batch_add(vs, s->backend,
                              vsmmuv3_opcode(SMMU_OP_CFGI_CD_ALL) |
                              MASK_INSR(s->psid, SMMU_CMD0_SID), 0);
        }
    }
    /* This is all a recovery would queue (vsmmuv3_relay_recover()). */
    for ( b = 0; b < vs->nr_backends; b++ )
    {
        vs->batch[b].failed = false;
        vsmmuv3_work(vs, VSMMUV3_WORK_PHYS_CMD);
        vsmmuv3_batch_add(vs, b,
                          vsmmuv3_opcode(SMMU_OP_TLBI_NH_ALL) |
                          vs->batch[b].tlbi_vmid, 0);
    }
    return vsmmuv3_relay_sync(vs);
}

/*
 * Complete everything handed over so far (CMD_SYNC), one physical sync for
 * each SMMU given work since its last.  A failure marks the SMMU for
 * vsmmuv3_relay_recover(), so that a sync that succeeds later does cover
 * every invalidation the guest asked for.
 */
int vsmmuv3_relay_sync(struct vsmmuv3 *vs)
{
    unsigned int b;
    int rc = 0;

    for ( b = 0; b < vs->nr_backends; b++ )
    {
        struct vsmmuv3_relay_batch *q = &vs->batch[b];
        const struct vsmmuv3_backend *be = &vs->backends[b];
        int err;

        if ( vsmmuv3_batch_push(vs, b) )
            rc = -EIO;
        /*
         * Refused since its recovery was queued (by the push at the end of
         * the step that queued it, the sync then not fitting): this sync
         * cannot vouch for anything; the guest's retry recovers again.
         */
        if ( q->failed )
            rc = -EIO;
        if ( !q->unsynced )
            continue;
        vsmmuv3_work(vs, VSMMUV3_WORK_PHYS_SYNC);
        err = be->ops->sync(be->priv);
        vs->stats.phys_syncs++;
        q->unsynced = false;
        if ( err )
        {
            vs->stats.phys_errors++;
            q->failed = true;
            rc = -EIO;
            vsmmuv3_log(vs, XENLOG_G_ERR,
                        "physical SMMU %u sync failed: %d\n", b, err);
        }
    }
    return rc;
}

/*
 * The rest of vsmmuv3_tlbi_canon() for a range: @out holds the kept fields
 * with TG.  TTL and NUM/SCALE are added, normalised.
 */
struct vsmmuv3_pcmd vsmmuv3_tlbi_canon_range(const struct vsmmuv3 *vs,
                                             const uint64_t cmd[2],
                                             struct vsmmuv3_pcmd c)
{
    unsigned int tg = MASK_EXTR(cmd[1], SMMU_CMD1_TLBI_TG);
    unsigned int ttl = MASK_EXTR(cmd[1], SMMU_CMD1_TLBI_TTL);
    uint64_t range = cmd[0] & (SMMU_CMD0_TLBI_NUM | SMMU_CMD0_TLBI_SCALE);

    if ( !(vs->tlbi_tg_ok & (1U << tg)) )
        return (struct vsmmuv3_pcmd){ 0, 0 };
    if ( ttl == 1 && tg == 2 )
        ttl = 0;
    if ( !ttl && !range )
        c.c1 &= ~(uint64_t)SMMU_CMD1_TLBI_TG;
    else
    {
        c.c0 |= range;
        c.c1 |= MASK_INSR(ttl, SMMU_CMD1_TLBI_TTL);
    }
    return c;
}

/*
 * A range (@r0, @r1, canonical) for a physical SMMU without range
 * invalidation: split into single-page TLBIs up to VSMMUV3_RIL_SPLIT_MAX
 * pages, beyond that widened to the ASID (TLBI_NH_VA) or to the domain's
 * VMID (TLBI_NH_VAA).
 */
static noinline void vsmmuv3_relay_range_split(struct vsmmuv3 *vs,
                                               unsigned int b, uint64_t r0,
                                               uint64_t r1)
{
    static const unsigned int shift[] = { 0, 12, 14, 16 };
    unsigned int op = r0 & SMMU_CMD_OPCODE;
    unsigned int num = MASK_EXTR(r0, SMMU_CMD0_TLBI_NUM);
    unsigned int scale = MASK_EXTR(r0, SMMU_CMD0_TLBI_SCALE);
    unsigned int tg = MASK_EXTR(r1, SMMU_CMD1_TLBI_TG);
    uint64_t pages = (uint64_t)(num + 1) << scale, i;
    uint64_t addr = r1 & SMMU_CMD1_TLBI_ADDR;
    uint64_t leaf = r1 & SMMU_CMD1_TLBI_LEAF;
    uint64_t c0 = (r0 & ~(uint64_t)(SMMU_CMD0_TLBI_NUM |
                                   SMMU_CMD0_TLBI_SCALE)) |
                  vs->batch[b].tlbi_vmid;

    if ( pages <= VSMMUV3_RIL_SPLIT_MAX )
    {
        struct vsmmuv3_relay_batch *q = &vs->batch[b];
        uint64_t granule = 1ULL << shift[tg];
        unsigned int n;

        /* Room for all the pages first: no call in the loop. */
        BUILD_BUG_ON(VSMMUV3_RIL_SPLIT_MAX > VSMMUV3_BATCH);
        if ( q->nr + pages > VSMMUV3_BATCH )
            vsmmuv3_batch_push(vs, b);
        n = q->nr;
        for ( i = 0; i < pages; i++, addr += granule )
        {
            q->cmds[n + i][0] = c0;
            q->cmds[n + i][1] = leaf | (addr & SMMU_CMD1_TLBI_ADDR);
        }
        q->nr = n + pages;
    }
    else if ( op == SMMU_OP_TLBI_NH_VA )
        vsmmuv3_batch_add(vs, b, (c0 & ~(uint64_t)SMMU_CMD_OPCODE) |
                                 vsmmuv3_opcode(SMMU_OP_TLBI_NH_ASID), 0);
    else
        vsmmuv3_batch_add(vs, b, vsmmuv3_opcode(SMMU_OP_TLBI_NH_ALL) |
                                 vs->batch[b].tlbi_vmid, 0);
}

/*
 * TLBI_NH_ALL, TLBI_NSNH_ALL, TLBI_NH_ASID, TLBI_NH_VA and TLBI_NH_VAA: the
 * invalidations of every unmap.  The guest's scope is kept (never a
 * domain-wide flush for an ASID or an address), with the domain's VMID on
 * each SMMU.  Returns a CERROR code.
 */
unsigned int vsmmuv3_relay_tlbi(struct vsmmuv3 *vs, const uint64_t cmd[2])
{
    struct vsmmuv3_pcmd c = vsmmuv3_tlbi_canon(vs, cmd);

    if ( !c.c0 )
    {
        /* A range over a granule this vSMMU does not advertise. */
        if ( MASK_EXTR(cmd[0], SMMU_CMD_OPCODE) != SMMU_OP_TLBI_NSNH_ALL )
            return SMMU_CERROR_ILL;
        /* Everything of the guest's is everything of its VMID. */
        c.c0 = vsmmuv3_opcode(SMMU_OP_TLBI_NH_ALL);
        c.c1 = 0;
    }
    vsmmuv3_relay_tlbi_canon(vs, c.c0, c.c1);
    return SMMU_CERROR_NONE;
}

void vsmmuv3_relay_tlbi_canon(struct vsmmuv3 *vs, uint64_t c0, uint64_t c1)
{
    unsigned int b;

    for ( b = 0; b < vs->nr_backends; b++ )
    {
        if ( (c1 & SMMU_CMD1_TLBI_TG) && !vs->batch[b].ril )
            vsmmuv3_relay_range_split(vs, b, c0, c1);
        else
            vsmmuv3_batch_add(vs, b, c0 | vs->batch[b].tlbi_vmid, c1);
    }
}

static bool vsmmuv3_same_config(const struct vsmmuv3_stream *s,
                                enum vsmmuv3_ste_cfg cfg,
                                const uint64_t ste[2])
{
    return s->installed_valid && s->installed_cfg == cfg &&
           (cfg != VSMMUV3_STE_NESTED ||
            (s->installed_ste[0] == ste[0] && s->installed_ste[1] == ste[1]));
}

static int vsmmuv3_install(struct vsmmuv3 *vs,
                           const struct vsmmuv3_backend *be, uint32_t psid,
                           enum vsmmuv3_ste_cfg cfg, const uint64_t ste[2])
{
    vsmmuv3_work(vs, VSMMUV3_WORK_INSTALL);
    switch ( cfg )
    {
    case VSMMUV3_STE_NESTED:
        return be->ops->install_nested(be->priv, psid, ste);
    case VSMMUV3_STE_S2_ONLY:
        return be->ops->set_s2_only(be->priv, psid);
    default:
        return be->ops->set_abort(be->priv, psid);
    }
}

/*
 * Give physical stream @s configuration @cfg (with @ste for NESTED).
 * Repeating what the SMMU already has installs nothing: Linux invalidates
 * STEs far more often than it changes them.  A failure leaves the stream
 * aborting and tells the guest with C_BAD_STE.
 *
 * @cfgi: the guest invalidated the stream's STE (CFGI_STE, CFGI_STE_RANGE,
 * CFGI_ALL), which also invalidates every CD cached for it (IHI 0070
 * 4.3.1).  Installing a configuration does that on the physical SMMU; an
 * unchanged nested one is not installed, but the guest may have rewritten
 * its CD in place, so CFGI_CD_ALL is forwarded for the physical stream,
 * batched like the guest's own and completed by its CMD_SYNC.
 */
void vsmmuv3_stream_install(struct vsmmuv3 *vs, struct vsmmuv3_stream *s,
                            enum vsmmuv3_ste_cfg cfg, const uint64_t ste[2],
                            bool cfgi)
{
    const struct vsmmuv3_backend *be;
    uint64_t evt[4];
    int rc;

    if ( s->backend < 0 )
        return;
    /*
     * After relinquish nothing but abort reaches a physical SMMU: the
     * domain may no longer own the stream.
     */
    if ( vs->dying )
    {
        cfg = VSMMUV3_STE_ABORT;
        ste = NULL;
    }
    if ( vsmmuv3_same_config(s, cfg, ste) )
    {
        if ( cfgi && cfg == VSMMUV3_STE_NESTED )
        {
            vsmmuv3_work(vs, VSMMUV3_WORK_PHYS_CMD);
            vsmmuv3_batch_add(vs, s->backend,
                              vsmmuv3_opcode(SMMU_OP_CFGI_CD_ALL) |
                              MASK_INSR(s->psid, SMMU_CMD0_SID), 0);
        }
        return;
    }
    be = &vs->backends[s->backend];

    /* Invalidations the guest queued before this change go first. */
    vsmmuv3_relay_push(vs);

    rc = vsmmuv3_install(vs, be, s->psid, cfg, ste);
    if ( rc && cfg != VSMMUV3_STE_ABORT )
    {
        vs->stats.phys_errors++;
        vsmmuv3_log(vs, XENLOG_G_WARNING,
                    "vSID %#x: physical SMMU refused the configuration (%d): aborting\n",
                    s->vsid, rc);
        vsmmuv3_config_event(evt, SMMU_EVT_C_BAD_STE, s->vsid);
        vsmmuv3_post_event(vs, evt);
        cfg = VSMMUV3_STE_ABORT;
        rc = vsmmuv3_install(vs, be, s->psid, cfg, NULL);
    }
    if ( rc )
    {
        /* Unknown state: try again at the next change. */
        vs->stats.phys_errors++;
        s->installed_valid = false;
        vsmmuv3_log(vs, XENLOG_G_ERR,
                    "vSID %#x: physical SMMU failed to abort the stream (%d)\n",
                    s->vsid, rc);
        return;
    }
    s->installed_valid = true;
    s->installed_cfg = cfg;
    s->installed_ste[0] = cfg == VSMMUV3_STE_NESTED ? ste[0] : 0;
    s->installed_ste[1] = cfg == VSMMUV3_STE_NESTED ? ste[1] : 0;
}

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * indent-tabs-mode: nil
 * End:
 */
