/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vSMMUv3 streams and the guest's stream table.
 *
 * The domain builder attaches guest StreamIDs (vSIDs) to the vSMMU, each
 * either backed by a physical stream of a device assigned to the domain or
 * virtual.  Their number is bounded by params.max_streams; nothing is sized
 * by the 16-bit vSID space.
 *
 * A stream's STE is read from guest memory when the guest invalidates it
 * (CFGI_STE, CFGI_STE_RANGE) and when it enables the vSMMU, with the
 * guest's own table format, SPLIT and size (IHI 0070 3.3).  Level 1
 * descriptors are never cached: Linux writes them without any command.
 * The STE is then reduced to what the guest may own under nesting and
 * installed on the physical SMMU by relay.c.
 *
 * Work over many streams (CFGI_STE_RANGE, CFGI_ALL, a policy change) goes
 * stream by stream while a stream's work fits in the step, and records the
 * vSID to continue from: stream indexes could move, vSIDs do not.
 */

#include <xen/errno.h>
#include <xen/guest_access.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/xmalloc.h>

#include "vsmmu-v3.h"

int vsmmuv3_streams_init(struct vsmmuv3 *vs)
{
    vs->streams = xzalloc_array(struct vsmmuv3_stream, vs->max_streams);
    return vs->streams ? 0 : -ENOMEM;
}

void vsmmuv3_streams_free(struct vsmmuv3 *vs)
{
    xfree(vs->streams);
    vs->streams = NULL;
    vs->nr_streams = 0;
}

unsigned int vsmmuv3_stream_from(const struct vsmmuv3 *vs, uint32_t vsid)
{
    unsigned int lo = 0, hi = vs->nr_streams;

    while ( lo < hi )
    {
        unsigned int mid = lo + (hi - lo) / 2;

        if ( vs->streams[mid].vsid < vsid )
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

struct vsmmuv3_stream *vsmmuv3_find_stream(struct vsmmuv3 *vs, uint32_t vsid)
{
    unsigned int i = vsmmuv3_stream_from(vs, vsid);

    if ( i < vs->nr_streams && vs->streams[i].vsid == vsid )
        return &vs->streams[i];
    return NULL;
}

/*
 * What incoming traffic of @s gets now: while SMMUEN=0, GBPA decides
 * (abort, or stage 2 only: never physical bypass); then the guest's STE.
 * @cfgi: the guest invalidated the STE, and with it the stream's CDs.
 */
static void vsmmuv3_stream_apply(struct vsmmuv3 *vs, struct vsmmuv3_stream *s,
                                 bool cfgi)
{
    if ( vs->cr0 & SMMU_CR0_SMMUEN )
        vsmmuv3_stream_install(vs, s, s->guest_cfg, s->guest_ste, cfgi);
    else if ( vs->gbpa & SMMU_GBPA_ABORT )
        vsmmuv3_stream_install(vs, s, VSMMUV3_STE_ABORT, NULL, cfgi);
    else
        vsmmuv3_stream_install(vs, s, VSMMUV3_STE_S2_ONLY, NULL, cfgi);
}

int vsmmuv3_add_stream(struct vsmmuv3 *vs, uint32_t vsid, int backend,
                       uint32_t psid)
{
    struct vsmmuv3_stream *s;
    unsigned int i, pos;
    int rc = 0;

    if ( backend >= (int)vs->nr_backends || backend < -1 ||
         vsid >= (1U << VSMMUV3_SIDSIZE) )
        return -EINVAL;

    spin_lock(&vs->lock);
    if ( vsmmuv3_find_stream(vs, vsid) )
    {
        rc = -EEXIST;
        goto out;
    }
    /* A physical stream stands behind one vSID only. */
    for ( i = 0; backend >= 0 && i < vs->nr_streams; i++ )
        if ( vs->streams[i].backend == backend &&
             vs->streams[i].psid == psid )
        {
            rc = -EEXIST;
            goto out;
        }
    if ( vs->nr_streams == vs->max_streams )
    {
        rc = -ENOSPC;
        goto out;
    }

    pos = vsmmuv3_stream_from(vs, vsid);
    memmove(&vs->streams[pos + 1], &vs->streams[pos],
            (vs->nr_streams - pos) * sizeof(*vs->streams));
    vs->nr_streams++;
    s = &vs->streams[pos];
    *s = (struct vsmmuv3_stream){
        .vsid = vsid,
        .psid = psid,
        .backend = backend,
        .guest_cfg = VSMMUV3_STE_ABORT,
    };
    /* From now on the device's DMA follows the vSMMU, starting at reset. */
    vsmmuv3_stream_apply(vs, s, false);

    /*
     * The physical driver refused the stream: it is not one of a device
     * assigned to the domain behind that SMMU.
     */
    if ( backend >= 0 && !s->installed_valid )
    {
        vs->nr_streams--;
        memmove(&vs->streams[pos], &vs->streams[pos + 1],
                (vs->nr_streams - pos) * sizeof(*vs->streams));
        rc = -EPERM;
    }

 out:
    spin_unlock(&vs->lock);
    return rc;
}

void vsmmuv3_release_stream(struct vsmmuv3 *vs, unsigned int backend,
                            uint32_t psid)
{
    unsigned int i;

    spin_lock(&vs->lock);
    for ( i = 0; i < vs->nr_streams; i++ )
    {
        if ( vs->streams[i].backend != (int)backend ||
             vs->streams[i].psid != psid )
            continue;

        /* Invalidations queued for it go while the stream is still ours. */
        vsmmuv3_relay_push(vs);
        vs->nr_streams--;
        memmove(&vs->streams[i], &vs->streams[i + 1],
                (vs->nr_streams - i) * sizeof(*vs->streams));
        break;
    }
    spin_unlock(&vs->lock);
}

/*
 * Locate the STE of @vsid (IHI 0070 3.3.1, 5.1).  Returns false, with @evt
 * filled with the event a real SMMU would record, if there is none.
 */
static bool vsmmuv3_ste_address(struct vsmmuv3 *vs, uint32_t vsid,
                                paddr_t *addr, uint64_t evt[4])
{
    uint32_t cfg = vs->strtab_base_cfg;
    unsigned int log2size = MASK_EXTR(cfg, SMMU_STRTAB_BASE_CFG_LOG2SIZE);
    unsigned int split = MASK_EXTR(cfg, SMMU_STRTAB_BASE_CFG_SPLIT);
    paddr_t base = vs->strtab_base & SMMU_STRTAB_BASE_ADDR;
    paddr_t l1_addr;
    uint64_t l1;
    unsigned int span;
    uint32_t l2_index;

    if ( vsid >= (1ULL << log2size) )
        goto bad_streamid;

    /* Reserved FMT values behave as linear, reserved SPLITs as 6 (6.3.25). */
    switch ( MASK_EXTR(cfg, SMMU_STRTAB_BASE_CFG_FMT) )
    {
    case SMMU_STRTAB_FMT_2LVL:
        if ( split != 6 && split != 8 && split != 10 )
            split = 6;
        l1_addr = base + (paddr_t)(vsid >> split) * SMMU_L1STD_SIZE;
        vsmmuv3_work(vs, VSMMUV3_WORK_GUEST_MEM);
        if ( access_guest_memory_by_gpa(vs->d, l1_addr, &l1, sizeof(l1),
                                        false) )
        {
            vsmmuv3_config_event(evt, SMMU_EVT_F_STE_FETCH, vsid);
            evt[3] = l1_addr & SMMU_EVT3_FETCH_ADDR;
            return false;
        }
        span = MASK_EXTR(l1, SMMU_L1STD_SPAN);
        l2_index = vsid & ((1U << split) - 1);
        /* SPAN 0 is an invalid descriptor; above SPLIT + 1 is reserved. */
        if ( span == 0 || span > split + 1 ||
             l2_index >= (1U << (span - 1)) )
            goto bad_streamid;
        *addr = (l1 & SMMU_L1STD_L2PTR) + (paddr_t)l2_index * SMMU_STE_SIZE;
        return true;

    default:
        *addr = base + (paddr_t)vsid * SMMU_STE_SIZE;
        return true;
    }

 bad_streamid:
    vsmmuv3_config_event(evt, SMMU_EVT_C_BAD_STREAMID, vsid);
    return false;
}

/*
 * Would a physical SMMU honour something of CD word 0 @cd0 that the vSMMU
 * does not advertise (IHI 0070 5.4)?  AArch32 tables (AA64 = 0; IDR0.TTF
 * says AArch64 only), hardware access and dirty flags (HA, HD; no
 * IDR0.HTTU), or a granule IDR5 does not list for a table that is walked.
 * The physical SMMU reads the CD itself, through stage 2, so the vSMMU
 * checks it before it installs the stream and again at each CFGI_CD.  A CD
 * with V = 0 is the physical SMMU's to report (C_BAD_CD, forwarded).
 */
static bool vsmmuv3_cd_advertised(const struct vsmmuv3 *vs, uint64_t cd0)
{
    static const uint32_t tg0_gran[4] = {
        [SMMU_CD_TG0_4K] = SMMU_IDR5_GRAN4K,
        [SMMU_CD_TG0_64K] = SMMU_IDR5_GRAN64K,
        [SMMU_CD_TG0_16K] = SMMU_IDR5_GRAN16K,
    };
    static const uint32_t tg1_gran[4] = {
        [SMMU_CD_TG1_16K] = SMMU_IDR5_GRAN16K,
        [SMMU_CD_TG1_4K] = SMMU_IDR5_GRAN4K,
        [SMMU_CD_TG1_64K] = SMMU_IDR5_GRAN64K,
    };
    uint32_t gran = vs->id.idr[5];

    if ( !(cd0 & SMMU_CD0_V) )
        return true;
    if ( !(cd0 & SMMU_CD0_AA64) || (cd0 & (SMMU_CD0_HA | SMMU_CD0_HD)) )
        return false;
    if ( !(cd0 & SMMU_CD0_EPD0) &&
         !(gran & tg0_gran[MASK_EXTR(cd0, SMMU_CD0_TG0)]) )
        return false;
    if ( !(cd0 & SMMU_CD0_EPD1) &&
         !(gran & tg1_gran[MASK_EXTR(cd0, SMMU_CD0_TG1)]) )
        return false;
    return true;
}

/*
 * Reduce a guest STE to the configuration the vSMMU gives the stream
 * (IHI 0070 5.2).  Returns true if the STE is well formed; otherwise @evt
 * holds C_BAD_STE and the stream aborts.  For NESTED, @words receives the
 * canonical stage-1 words handed to the physical SMMU: only the fields of
 * the nesting whitelist that mean something under the advertised IDRs.
 */
static bool vsmmuv3_ste_decode(struct vsmmuv3 *vs, uint32_t vsid,
                               const uint64_t ste[SMMU_STE_DWORDS],
                               enum vsmmuv3_ste_cfg *cfg, uint64_t words[2],
                               uint64_t evt[4])
{
    unsigned int oas = SMMU_OAS_BITS(MASK_EXTR(vs->id.idr[5], SMMU_IDR5_OAS));
    paddr_t ctxptr = ste[0] & SMMU_STE0_S1CTXPTR;
    uint64_t cd0;

    words[0] = words[1] = 0;
    *cfg = VSMMUV3_STE_ABORT;

    /*
     * V=0: transactions would record C_BAD_STE.  Linux writes V=0 in the
     * middle of non-hitless updates, so no event is made here: the stream
     * just aborts.
     */
    if ( !(ste[0] & SMMU_STE0_V) )
        return true;

    switch ( MASK_EXTR(ste[0], SMMU_STE0_CONFIG) )
    {
    case SMMU_STE_CONFIG_ABORT:
        return true;
    case SMMU_STE_CONFIG_BYPASS:
        *cfg = VSMMUV3_STE_S2_ONLY;
        return true;
    case SMMU_STE_CONFIG_S1_TRANS:
        break;
    default:
        /* Stage 2 is Xen's; the other encodings are reserved. */
        goto bad_ste;
    }

    /* No substreams: IDR1.SSIDSIZE is 0. */
    if ( MASK_EXTR(ste[0], SMMU_STE0_S1CDMAX) )
        goto bad_ste;
    /*
     * The context descriptor must be guest RAM within the OAS.  It is
     * 64-byte aligned, so its first word tells for the whole of it; its
     * contents are the physical SMMU's to check (IHI 0070 5.4).
     */
    if ( ctxptr >> oas )
        goto bad_ste;
    vsmmuv3_work(vs, VSMMUV3_WORK_GUEST_MEM);
    if ( access_guest_memory_by_gpa(vs->d, ctxptr, &cd0, sizeof(cd0), false) )
        goto bad_ste;
    if ( !vsmmuv3_cd_advertised(vs, cd0) )
    {
        vsmmuv3_config_event(evt, SMMU_EVT_C_BAD_CD, vsid);
        return false;
    }

    /*
     * S1Fmt and S1DSS are ignored with S1CDMax 0, EATS without ATS, and
     * S1STALLD without stalls: keep none of them, so a physical SMMU with
     * those features is not steered by bits the guest does not own.
     */
    words[0] = SMMU_STE0_V |
               MASK_INSR(SMMU_STE_CONFIG_S1_TRANS, SMMU_STE0_CONFIG) |
               ctxptr;
    words[1] = ste[1] & (SMMU_STE1_S1CIR | SMMU_STE1_S1COR |
                         SMMU_STE1_S1CSH);
    *cfg = VSMMUV3_STE_NESTED;
    return true;

 bad_ste:
    vsmmuv3_config_event(evt, SMMU_EVT_C_BAD_STE, vsid);
    return false;
}

/*
 * Read and decode the STE of @vsid.  Returns false, with @evt filled, if the
 * guest's configuration is in error; the stream then aborts.
 */
static bool vsmmuv3_ste_read(struct vsmmuv3 *vs, uint32_t vsid,
                             enum vsmmuv3_ste_cfg *cfg, uint64_t words[2],
                             uint64_t evt[4])
{
    uint64_t ste[SMMU_STE_DWORDS];
    paddr_t addr;

    *cfg = VSMMUV3_STE_ABORT;
    words[0] = words[1] = 0;

    if ( !vsmmuv3_ste_address(vs, vsid, &addr, evt) )
        return false;
    vsmmuv3_work(vs, VSMMUV3_WORK_GUEST_MEM);
    if ( access_guest_memory_by_gpa(vs->d, addr, ste, sizeof(ste), false) )
    {
        vsmmuv3_config_event(evt, SMMU_EVT_F_STE_FETCH, vsid);
        evt[3] = addr & SMMU_EVT3_FETCH_ADDR;
        return false;
    }
    return vsmmuv3_ste_decode(vs, vsid, ste, cfg, words, evt);
}

/*
 * Re-read the STE of an attached stream and apply it; @cfgi as for
 * vsmmuv3_stream_apply().
 */
static void vsmmuv3_stream_reload(struct vsmmuv3 *vs, struct vsmmuv3_stream *s,
                                  bool cfgi)
{
    uint64_t evt[4];

    if ( !vsmmuv3_ste_read(vs, s->vsid, &s->guest_cfg, s->guest_ste, evt) )
        vsmmuv3_post_event(vs, evt);
    vsmmuv3_stream_apply(vs, s, cfgi);
}

void vsmmuv3_stream_reinstall(struct vsmmuv3 *vs, struct vsmmuv3_stream *s)
{
    uint64_t evt[4];

    /* Whatever the physical SMMU holds, it is told again. */
    s->installed_valid = false;
    if ( vs->cr0 & SMMU_CR0_SMMUEN )
        vsmmuv3_ste_read(vs, s->vsid, &s->guest_cfg, s->guest_ste, evt);
    else
    {
        /* Read when SMMUEN is set: the sweep reads every STE then. */
        s->guest_cfg = VSMMUV3_STE_ABORT;
        s->guest_ste[0] = s->guest_ste[1] = 0;
    }
    vsmmuv3_stream_apply(vs, s, false);
}

/*
 * CFGI_STE: the guest changed the STE of @vsid.  The STE of any vSID is
 * checked, so that a guest sees its configuration errors in its event
 * queue; only attached streams keep state.
 */
void vsmmuv3_cfgi_ste(struct vsmmuv3 *vs, uint32_t vsid)
{
    struct vsmmuv3_stream *s = vsmmuv3_find_stream(vs, vsid);
    enum vsmmuv3_ste_cfg cfg;
    uint64_t words[2], evt[4];

    if ( s )
    {
        vsmmuv3_stream_reload(vs, s, true);
        return;
    }
    if ( !vsmmuv3_ste_read(vs, vsid, &cfg, words, evt) )
        vsmmuv3_post_event(vs, evt);
}

/*
 * CFGI_CD, CFGI_CD_ALL: the guest changed a CD of @vsid.  The physical SMMU
 * walks CDs itself, so the vSMMU reads the CD again (with the STE it hangs
 * off, which an SMMU may also fetch again at any time) to check what it
 * may not enable; an unchanged configuration only forwards CFGI_CD_ALL for
 * the physical stream.  Virtual streams: the vSMMU caches no CD.
 */
void vsmmuv3_cfgi_cd(struct vsmmuv3 *vs, uint32_t vsid)
{
    struct vsmmuv3_stream *s = vsmmuv3_find_stream(vs, vsid);

    if ( s && s->backend >= 0 )
        vsmmuv3_stream_reload(vs, s, true);
}

/*
 * CFGI_STE_RANGE and CFGI_ALL: reload the attached streams in the range.
 * Bounded by the number of attached streams, never by the range.
 */
bool vsmmuv3_cfgi_ste_range(struct vsmmuv3 *vs, uint32_t *next, uint32_t last)
{
    unsigned int i;

    for ( i = vsmmuv3_stream_from(vs, *next);
          i < vs->nr_streams && vs->streams[i].vsid <= last; i++ )
    {
        if ( !vsmmuv3_work_fits(vs, VSMMUV3_WORK_STREAM) )
        {
            *next = vs->streams[i].vsid;
            return false;
        }
        vsmmuv3_stream_reload(vs, &vs->streams[i], true);
    }
    return true;
}

/*
 * SMMUEN changed, or GBPA.ABORT while SMMUEN=0.  Enabling reads every
 * attached stream's STE afresh, as an SMMU with empty caches would.
 */
bool vsmmuv3_sweep_streams(struct vsmmuv3 *vs, uint32_t *next)
{
    unsigned int i;

    ASSERT(spin_is_locked(&vs->lock));

    for ( i = vsmmuv3_stream_from(vs, *next); i < vs->nr_streams; i++ )
    {
        if ( !vsmmuv3_work_fits(vs, VSMMUV3_WORK_STREAM) )
        {
            *next = vs->streams[i].vsid;
            return false;
        }
        if ( vs->cr0 & SMMU_CR0_SMMUEN )
            vsmmuv3_stream_reload(vs, &vs->streams[i], false);
        else
            vsmmuv3_stream_apply(vs, &vs->streams[i], false);
    }
    return true;
}

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * indent-tabs-mode: nil
 * End:
 */
