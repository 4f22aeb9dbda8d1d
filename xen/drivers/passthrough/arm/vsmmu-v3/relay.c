/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vSMMUv3 relay: the work a guest's commands cause on physical SMMUs (S4.6).
 *
 * - Invalidations are rebuilt, never copied: every field a physical SMMU
 *   sees comes from a checked guest field, the VMID is always the domain's
 *   on that SMMU (a guest never sets it, S8.4), and StreamIDs are physical.
 *   A guest TLBI keeps its scope: never a domain-wide flush for an ASID or
 *   an address.
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

static uint64_t opcode(unsigned int op)
{
    return SMMU_FIELD_PREP(SMMU_CMD_OPCODE, op);
}

static uint64_t tlbi_vmid(const struct vsmmuv3_backend *be)
{
    return SMMU_FIELD_PREP(SMMU_CMD0_TLBI_VMID, be->vmid);
}

static int batch_push(struct vsmmuv3 *vs, unsigned int b)
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

static int batch_add(struct vsmmuv3 *vs, unsigned int b, uint64_t c0,
                     uint64_t c1)
{
    struct vsmmuv3_relay_batch *q = &vs->batch[b];
    int rc = 0;

    if ( q->nr == VSMMUV3_BATCH )
        rc = batch_push(vs, b);
    vsmmuv3_work(vs, VSMMUV3_WORK_PHYS_CMD);
    q->cmds[q->nr][0] = c0;
    q->cmds[q->nr][1] = c1;
    q->nr++;
    return rc;
}

int vsmmuv3_relay_push(struct vsmmuv3 *vs)
{
    unsigned int b;
    int rc = 0;

    for ( b = 0; b < vs->nr_backends; b++ )
        rc |= batch_push(vs, b);
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
        batch_add(vs, s->backend, opcode(SMMU_OP_CFGI_CD_ALL) |
                                  SMMU_FIELD_PREP(SMMU_CMD0_SID, s->psid), 0);
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
        batch_add(vs, b, opcode(SMMU_OP_TLBI_NH_ALL) |
                         tlbi_vmid(&vs->backends[b]), 0);
    }
    return true;
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

        if ( batch_push(vs, b) )
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

static uint64_t tlbi_asid(const struct vsmmuv3 *vs, const uint64_t cmd[2])
{
    uint64_t asid = SMMU_FIELD_GET(SMMU_CMD0_TLBI_ASID, cmd[0]);

    /* Without ASID16 the upper byte is RES0. */
    if ( !(vs->id.idr[0] & SMMU_IDR0_ASID16) )
        asid &= 0xff;
    return SMMU_FIELD_PREP(SMMU_CMD0_TLBI_ASID, asid);
}

/* log2 of the granule of a range TLBI's TG, 0 if not advertised. */
static unsigned int tg_shift(const struct vsmmuv3 *vs, unsigned int tg)
{
    static const unsigned int shift[] = { 0, 12, 14, 16 };
    static const uint32_t gran[] = {
        0, SMMU_IDR5_GRAN4K, SMMU_IDR5_GRAN16K, SMMU_IDR5_GRAN64K,
    };

    return (vs->id.idr[5] & gran[tg]) ? shift[tg] : 0;
}

/*
 * Range forms of TLBI_NH_VA and TLBI_NH_VAA (TG != 0, IDR3.RIL), for a
 * guest that computed them as Linux does.
 */
static unsigned int relay_tlbi_range(struct vsmmuv3 *vs, const uint64_t cmd[2],
                                     uint64_t asid)
{
    unsigned int op = SMMU_FIELD_GET(SMMU_CMD_OPCODE, cmd[0]);
    unsigned int tg = SMMU_FIELD_GET(SMMU_CMD1_TLBI_TG, cmd[1]);
    unsigned int ttl = SMMU_FIELD_GET(SMMU_CMD1_TLBI_TTL, cmd[1]);
    unsigned int num = SMMU_FIELD_GET(SMMU_CMD0_TLBI_NUM, cmd[0]);
    unsigned int scale = SMMU_FIELD_GET(SMMU_CMD0_TLBI_SCALE, cmd[0]);
    unsigned int shift = tg_shift(vs, tg);
    uint64_t addr = cmd[1] & SMMU_CMD1_TLBI_ADDR;
    uint64_t leaf = cmd[1] & SMMU_CMD1_TLBI_LEAF;
    uint64_t range0, range1, pages;
    unsigned int b, i;

    /* A range over a granule this vSMMU does not advertise. */
    if ( !shift )
        return SMMU_CERROR_ILL;

    /*
     * Normalise before anything reaches a physical SMMU: TTL 0b01 (level 1)
     * with the 16KB granule is reserved without IDR5.DS (IHI 0070
     * 4.4.1.1), which this vSMMU does not advertise, so it is dropped,
     * which only widens the scope; 4KB and 64KB tables have level-1 leaves
     * and keep it.  A one-page range with no
     * TTL, an encoding implementations get wrong, is sent as the
     * single-page TLBI it stands for.
     */
    if ( ttl == 1 && tg == 2 )
        ttl = 0;
    if ( !ttl && !num && !scale )
    {
        for ( b = 0; b < vs->nr_backends; b++ )
            batch_add(vs, b, opcode(op) | tlbi_vmid(&vs->backends[b]) | asid,
                      leaf | addr);
        return SMMU_CERROR_NONE;
    }

    pages = (uint64_t)(num + 1) << scale;
    range0 = SMMU_FIELD_PREP(SMMU_CMD0_TLBI_NUM, num) |
             SMMU_FIELD_PREP(SMMU_CMD0_TLBI_SCALE, scale);
    range1 = SMMU_FIELD_PREP(SMMU_CMD1_TLBI_TTL, ttl) |
             SMMU_FIELD_PREP(SMMU_CMD1_TLBI_TG, tg);

    for ( b = 0; b < vs->nr_backends; b++ )
    {
        const struct vsmmuv3_backend *be = &vs->backends[b];
        uint64_t c0 = opcode(op) | tlbi_vmid(be) | asid;

        if ( be->caps.idr[3] & SMMU_IDR3_RIL )
            batch_add(vs, b, c0 | range0, leaf | range1 | addr);
        else if ( pages <= VSMMUV3_RIL_SPLIT_MAX )
            for ( i = 0; i < pages; i++ )
                batch_add(vs, b, c0,
                          leaf | ((addr + ((uint64_t)i << shift)) &
                                  SMMU_CMD1_TLBI_ADDR));
        else if ( op == SMMU_OP_TLBI_NH_VA )
            batch_add(vs, b, opcode(SMMU_OP_TLBI_NH_ASID) | tlbi_vmid(be) |
                             asid, 0);
        else
            batch_add(vs, b, opcode(SMMU_OP_TLBI_NH_ALL) | tlbi_vmid(be), 0);
    }
    return SMMU_CERROR_NONE;
}

/* TLBI_NH_VA and TLBI_NH_VAA. */
static unsigned int relay_tlbi_va(struct vsmmuv3 *vs, const uint64_t cmd[2])
{
    unsigned int op = SMMU_FIELD_GET(SMMU_CMD_OPCODE, cmd[0]);
    uint64_t asid = op == SMMU_OP_TLBI_NH_VA ? tlbi_asid(vs, cmd) : 0;
    uint64_t c1 = cmd[1] & (SMMU_CMD1_TLBI_ADDR | SMMU_CMD1_TLBI_LEAF);
    unsigned int b;

    if ( cmd[1] & SMMU_CMD1_TLBI_TG )
        return relay_tlbi_range(vs, cmd, asid);

    /* A single address: NUM, SCALE and TTL are RES0, not forwarded. */
    for ( b = 0; b < vs->nr_backends; b++ )
        batch_add(vs, b, opcode(op) | tlbi_vmid(&vs->backends[b]) | asid, c1);
    return SMMU_CERROR_NONE;
}

/* CFGI_CD and CFGI_CD_ALL: for the physical stream behind the vSID. */
static unsigned int relay_cfgi_cd(struct vsmmuv3 *vs, const uint64_t cmd[2])
{
    unsigned int op = SMMU_FIELD_GET(SMMU_CMD_OPCODE, cmd[0]);
    const struct vsmmuv3_stream *s =
        vsmmuv3_find_stream(vs, SMMU_FIELD_GET(SMMU_CMD0_SID, cmd[0]));
    uint64_t c0, c1 = 0;

    /* Virtual or unattached: the vSMMU caches no CD. */
    if ( !s || s->backend < 0 )
        return SMMU_CERROR_NONE;

    /* SSID is RES0 without substreams. */
    c0 = opcode(op) | SMMU_FIELD_PREP(SMMU_CMD0_SID, s->psid);
    if ( op == SMMU_OP_CFGI_CD )
        c1 = cmd[1] & SMMU_CMD1_LEAF;
    batch_add(vs, s->backend, c0, c1);
    return SMMU_CERROR_NONE;
}

/*
 * Translate one forwardable guest command (the caller has decoded it) and
 * queue it.  Returns a CERROR code.
 */
unsigned int vsmmuv3_relay_cmd(struct vsmmuv3 *vs, const uint64_t cmd[2])
{
    unsigned int b;

    switch ( SMMU_FIELD_GET(SMMU_CMD_OPCODE, cmd[0]) )
    {
    case SMMU_OP_TLBI_NH_ALL:
    case SMMU_OP_TLBI_NSNH_ALL:
        /* Everything of the guest's is everything of its VMID. */
        for ( b = 0; b < vs->nr_backends; b++ )
            batch_add(vs, b, opcode(SMMU_OP_TLBI_NH_ALL) |
                             tlbi_vmid(&vs->backends[b]), 0);
        return SMMU_CERROR_NONE;

    case SMMU_OP_TLBI_NH_ASID:
        for ( b = 0; b < vs->nr_backends; b++ )
            batch_add(vs, b, opcode(SMMU_OP_TLBI_NH_ASID) |
                             tlbi_vmid(&vs->backends[b]) |
                             tlbi_asid(vs, cmd), 0);
        return SMMU_CERROR_NONE;

    case SMMU_OP_TLBI_NH_VA:
    case SMMU_OP_TLBI_NH_VAA:
        return relay_tlbi_va(vs, cmd);

    case SMMU_OP_CFGI_CD:
    case SMMU_OP_CFGI_CD_ALL:
        return relay_cfgi_cd(vs, cmd);

    default:
        ASSERT_UNREACHABLE();
        return SMMU_CERROR_ILL;
    }
}

static bool same_config(const struct vsmmuv3_stream *s,
                        enum vsmmuv3_ste_cfg cfg, const uint64_t ste[2])
{
    return s->installed_valid && s->installed_cfg == cfg &&
           (cfg != VSMMUV3_STE_NESTED ||
            (s->installed_ste[0] == ste[0] && s->installed_ste[1] == ste[1]));
}

static int install(struct vsmmuv3 *vs, const struct vsmmuv3_backend *be,
                   uint32_t psid, enum vsmmuv3_ste_cfg cfg,
                   const uint64_t ste[2])
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
 * CFGI_ALL), which also invalidates every CD cached for it (IHI 0070 4.3.1,
 * S4.6).  Installing a configuration does that on the physical SMMU; an
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
    /* After relinquish nothing but abort reaches a physical SMMU (S8.4). */
    if ( vs->dying )
    {
        cfg = VSMMUV3_STE_ABORT;
        ste = NULL;
    }
    if ( same_config(s, cfg, ste) )
    {
        if ( cfgi && cfg == VSMMUV3_STE_NESTED )
            batch_add(vs, s->backend, opcode(SMMU_OP_CFGI_CD_ALL) |
                                      SMMU_FIELD_PREP(SMMU_CMD0_SID, s->psid),
                      0);
        return;
    }
    be = &vs->backends[s->backend];

    /* Invalidations the guest queued before this change go first. */
    vsmmuv3_relay_push(vs);

    rc = install(vs, be, s->psid, cfg, ste);
    if ( rc && cfg != VSMMUV3_STE_ABORT )
    {
        vs->stats.phys_errors++;
        vsmmuv3_log(vs, XENLOG_G_WARNING,
                    "vSID %#x: physical SMMU refused the configuration (%d): aborting\n",
                    s->vsid, rc);
        vsmmuv3_config_event(evt, SMMU_EVT_C_BAD_STE, s->vsid);
        vsmmuv3_post_event(vs, evt);
        cfg = VSMMUV3_STE_ABORT;
        rc = install(vs, be, s->psid, cfg, NULL);
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
