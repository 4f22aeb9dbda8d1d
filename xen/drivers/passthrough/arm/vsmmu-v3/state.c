/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vSMMUv3 save and restore.
 *
 * The record is versioned and self-describing: a
 * header (magic, version, length), then sections, each with a type, flags
 * that say whether a reader that does not know the type may skip it, and
 * a length.  Widths and byte order (little-endian) are the format's, not
 * the host's.  The sections:
 *
 * - CORE: every guest-writable register, the queue pointers, GERROR and
 *   GERRORN, the event queue's overflow flags (in EVENTQ_PROD/CONS), the
 *   frozen identification registers, and where the command consumer and
 *   the stream sweep are in work that spans steps;
 * - STREAMS: the vSID map, each physical stream named by its SMMU's
 *   stable_id (the host address of its registers, never a pointer) and
 *   its physical StreamID;
 * - MSI: the MSI targets, present only when IDR0.MSI is advertised;
 * - VCPU_WORK: which vCPUs still have steps of work to do, present only
 *   when one has (skippable: a reader that drops it gives the work to
 *   vCPU 0).
 *
 * VSMMUV3_SAVED_STATE (vsmmu-v3.h) is the one list of the saved members:
 * it declares them, and here makes their save, their load and the call of
 * their checks.  Every member of struct vsmmuv3 is either in it or in
 * VSMMUV3_NOT_SAVED, which vsmmuv3_check_layout() holds against the struct at
 * build time, member by member.
 *
 * Restore checks the whole record before it changes anything: its
 * structure, then the identification registers, which must be the
 * destination's own, then every value against the architecture's limits
 * and what the register model could have produced, then the vSID map,
 * which must be the destination's.  Each class of error has its own
 * errno.  Only then is the state loaded, the
 * interrupt lines derived again (level-sensitive by choice, evtq.c), every
 * stream's STE read again from guest memory as an SMMU with empty caches
 * would (IHI 0070 3.21.3), installed on the physical SMMU, and what the
 * physical SMMU may have cached for the domain invalidated (CFGI_CD_ALL
 * per nested stream, TLBI_NH_ALL for the domain's VMID, then a sync).
 *
 * Everything here runs with the vSMMU lock held.  Restore re-installs at
 * most max_streams streams without preemption: it is for a paused domain
 * (the toolstack) or a debug build's self-test.
 */

#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/xmalloc.h>

#include "vsmmu-v3.h"

/* The saved members, as a record's sections decode to them. */
struct vsmmuv3_image {
    VSMMUV3_SAVED_STATE(VSMMUV3_DECLARE)
};

/*
 * Build-time completeness: VSMMUV3_SAVED_STATE and VSMMUV3_NOT_SAVED
 * together are struct vsmmuv3, member for member, in order.  A mirror made
 * from the two lists must put each member where struct vsmmuv3 has it and
 * be as large: a member added to struct vsmmuv3 and to neither list moves
 * the next one or grows the struct, and the build fails.  The same holds
 * for struct vsmmuv3_stream, and the compound kinds' types have the size
 * their encodings assume.
 */
#define MIRROR(m)           __typeof__(((struct vsmmuv3 *)0)->m) m;
#define MIRROR_SAVED(s, k, m) MIRROR(m)
#define MIRROR_SAVED_ALL()  VSMMUV3_SAVED_STATE(MIRROR_SAVED)
struct vsmmuv3_mirror {
    VSMMUV3_NOT_SAVED(MIRROR, MIRROR_SAVED_ALL)
};
#define SMIRROR(m)          __typeof__(((struct vsmmuv3_stream *)0)->m) m;
struct vsmmuv3_stream_mirror {
    VSMMUV3_STREAM_MEMBERS(SMIRROR)
};

static void vsmmuv3_check_layout(void)
{
#define AT(m) \
    BUILD_BUG_ON(offsetof(struct vsmmuv3_mirror, m) != \
                 offsetof(struct vsmmuv3, m));
#define AT_SAVED(s, k, m)   AT(m)
#define AT_SAVED_ALL()      VSMMUV3_SAVED_STATE(AT_SAVED)
#define SAT(m) \
    BUILD_BUG_ON(offsetof(struct vsmmuv3_stream_mirror, m) != \
                 offsetof(struct vsmmuv3_stream, m));
    VSMMUV3_NOT_SAVED(AT, AT_SAVED_ALL)
    BUILD_BUG_ON(sizeof(struct vsmmuv3_mirror) != sizeof(struct vsmmuv3));
    VSMMUV3_STREAM_MEMBERS(SAT)
    BUILD_BUG_ON(sizeof(struct vsmmuv3_stream_mirror) !=
                 sizeof(struct vsmmuv3_stream));
    BUILD_BUG_ON(sizeof(struct vsmmuv3_id) != VSMMUV3_RECSZ_ID);
    BUILD_BUG_ON(sizeof(struct vsmmuv3_queue) != VSMMUV3_RECSZ_QUEUE);
    BUILD_BUG_ON(sizeof(((struct vsmmuv3 *)0)->cmd_cur) !=
                 VSMMUV3_RECSZ_U64X2);
#undef AT
#undef AT_SAVED
#undef AT_SAVED_ALL
#undef SAT
}

/* Little-endian encoding, byte by byte: no alignment assumed. */
static void vsmmuv3_put32(uint8_t *p, uint32_t v)
{
    unsigned int i;

    for ( i = 0; i < 4; i++ )
        p[i] = v >> (8 * i);
}

static void vsmmuv3_put64(uint8_t *p, uint64_t v)
{
    vsmmuv3_put32(p, v);
    vsmmuv3_put32(p + 4, v >> 32);
}

static void vsmmuv3_put16(uint8_t *p, uint16_t v)
{
    p[0] = v;
    p[1] = v >> 8;
}

static uint32_t vsmmuv3_get32(const uint8_t *p)
{
    return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t vsmmuv3_get64(const uint8_t *p)
{
    return vsmmuv3_get32(p) | ((uint64_t)vsmmuv3_get32(p + 4) << 32);
}

static uint16_t vsmmuv3_get16(const uint8_t *p)
{
    return p[0] | (p[1] << 8);
}

/*
 * Each kind's encoding: vsmmuv3_put_K() writes, vsmmuv3_get_K() reads
 * (-EINVAL: bad).
 */
static void vsmmuv3_put_U32(uint8_t *p, const uint32_t *v)
{
    vsmmuv3_put32(p, *v);
}

static int vsmmuv3_get_U32(const uint8_t *p, uint32_t *v)
{
    *v = vsmmuv3_get32(p);
    return 0;
}

static void vsmmuv3_put_U64(uint8_t *p, const uint64_t *v)
{
    vsmmuv3_put64(p, *v);
}

static int vsmmuv3_get_U64(const uint8_t *p, uint64_t *v)
{
    *v = vsmmuv3_get64(p);
    return 0;
}

static void vsmmuv3_put_BOOL(uint8_t *p, const bool *v)
{
    *p = *v;
}

static int vsmmuv3_get_BOOL(const uint8_t *p, bool *v)
{
    if ( *p > 1 )
        return -EINVAL;
    *v = *p;
    return 0;
}

static void vsmmuv3_put_U64X2(uint8_t *p, const uint64_t (*v)[2])
{
    vsmmuv3_put64(p, (*v)[0]);
    vsmmuv3_put64(p + 8, (*v)[1]);
}

static int vsmmuv3_get_U64X2(const uint8_t *p, uint64_t (*v)[2])
{
    (*v)[0] = vsmmuv3_get64(p);
    (*v)[1] = vsmmuv3_get64(p + 8);
    return 0;
}

static void vsmmuv3_put_ID(uint8_t *p, const struct vsmmuv3_id *v)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(v->idr); i++ )
        vsmmuv3_put32(p + 4 * i, v->idr[i]);
    vsmmuv3_put32(p + 24, v->iidr);
    vsmmuv3_put32(p + 28, v->aidr);
}

static int vsmmuv3_get_ID(const uint8_t *p, struct vsmmuv3_id *v)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(v->idr); i++ )
        v->idr[i] = vsmmuv3_get32(p + 4 * i);
    v->iidr = vsmmuv3_get32(p + 24);
    v->aidr = vsmmuv3_get32(p + 28);
    return 0;
}

static void vsmmuv3_put_QUEUE(uint8_t *p, const struct vsmmuv3_queue *v)
{
    vsmmuv3_put64(p, v->base);
    vsmmuv3_put32(p + 8, v->prod);
    vsmmuv3_put32(p + 12, v->cons);
}

static int vsmmuv3_get_QUEUE(const uint8_t *p, struct vsmmuv3_queue *v)
{
    v->base = vsmmuv3_get64(p);
    v->prod = vsmmuv3_get32(p + 8);
    v->cons = vsmmuv3_get32(p + 12);
    return 0;
}

/* Payload bytes of the fields of section @sect, before padding. */
#define FIELDS_SIZE(sect) (0 VSMMUV3_SAVED_STATE(FIELD_SIZE_##sect))
#define FIELD_SIZE_CORE(s, k, m) \
    + (VSMMUV3_SEC_##s == VSMMUV3_SEC_CORE ? VSMMUV3_RECSZ_##k : 0)
#define FIELD_SIZE_MSI(s, k, m) \
    + (VSMMUV3_SEC_##s == VSMMUV3_SEC_MSI ? VSMMUV3_RECSZ_##k : 0)
#define CORE_SIZE               ROUNDUP(FIELDS_SIZE(CORE), 8)
#define MSI_SIZE                ROUNDUP(FIELDS_SIZE(MSI), 8)

/* The fields of section @sect of @img, in list order, at @p. */
static void vsmmuv3_put_fields(uint8_t *p, const struct vsmmuv3_image *img,
                               unsigned int sect)
{
    unsigned int off = 0;

#define PUT(s, k, m)                                                    \
    if ( VSMMUV3_SEC_##s == sect )                                      \
    {                                                                   \
        vsmmuv3_put_##k(p + off, &img->m);                              \
        off += VSMMUV3_RECSZ_##k;                                       \
    }
    VSMMUV3_SAVED_STATE(PUT)
#undef PUT
}

static int vsmmuv3_get_fields(const uint8_t *p, struct vsmmuv3_image *img,
                              unsigned int sect)
{
    unsigned int off = 0;
    int rc = 0;

#define GET(s, k, m)                                                    \
    if ( VSMMUV3_SEC_##s == sect )                                      \
    {                                                                   \
        rc = rc ?: vsmmuv3_get_##k(p + off, &img->m);                   \
        off += VSMMUV3_RECSZ_##k;                                       \
    }
    VSMMUV3_SAVED_STATE(GET)
#undef GET
    return rc;
}

/* The saved members of @vs into @img, and back. */
static void vsmmuv3_image_save(struct vsmmuv3_image *img,
                               const struct vsmmuv3 *vs)
{
#define SAVE(s, k, m)   memcpy(&img->m, &vs->m, sizeof(img->m));
    VSMMUV3_SAVED_STATE(SAVE)
#undef SAVE
}

static void vsmmuv3_image_load(struct vsmmuv3 *vs,
                               const struct vsmmuv3_image *img)
{
#define LOAD(s, k, m)   memcpy(&vs->m, &img->m, sizeof(vs->m));
    VSMMUV3_SAVED_STATE(LOAD)
#undef LOAD
}

static bool vsmmuv3_msi_advertised(const struct vsmmuv3_id *id)
{
    return id->idr[0] & SMMU_IDR0_MSI;
}

static bool vsmmuv3_any_vcpu_work(const struct vsmmuv3 *vs)
{
    unsigned int i;

    for ( i = 0; i < vs->d->max_vcpus; i++ )
        if ( vs->vcpu_work[i] )
            return true;
    return false;
}

static unsigned int vsmmuv3_vcpu_words(unsigned int nr)
{
    return (nr + 63) / 64;
}

size_t vsmmuv3_record_size_locked(const struct vsmmuv3 *vs)
{
    size_t len = VSMMUV3_REC_HDR_SIZE;

    vsmmuv3_check_layout();
    len += VSMMUV3_SEC_HDR_SIZE + CORE_SIZE;
    if ( vsmmuv3_msi_advertised(&vs->id) )
        len += VSMMUV3_SEC_HDR_SIZE + MSI_SIZE;
    len += VSMMUV3_SEC_HDR_SIZE + 8 +
           (size_t)vs->nr_streams * VSMMUV3_REC_STREAM_SIZE;
    if ( vsmmuv3_any_vcpu_work(vs) )
        len += VSMMUV3_SEC_HDR_SIZE + 8 +
               8 * vsmmuv3_vcpu_words(vs->d->max_vcpus);
    return len;
}

size_t vsmmuv3_record_size(struct vsmmuv3 *vs)
{
    size_t len;

    spin_lock(&vs->lock);
    len = vsmmuv3_record_size_locked(vs);
    spin_unlock(&vs->lock);
    return len;
}

/* A section header at @p; returns where its payload starts. */
static uint8_t *vsmmuv3_put_section(uint8_t *p, unsigned int type,
                                    unsigned int flags, uint32_t len)
{
    vsmmuv3_put16(p, type);
    vsmmuv3_put16(p + 2, flags);
    vsmmuv3_put32(p + 4, len);
    return p + VSMMUV3_SEC_HDR_SIZE;
}

int vsmmuv3_save_locked(const struct vsmmuv3 *vs, void *buf, size_t len,
                        size_t *written)
{
    size_t need = vsmmuv3_record_size_locked(vs);
    struct vsmmuv3_image img;
    uint8_t *p = buf;
    unsigned int i, nr;

    ASSERT(spin_is_locked(&vs->lock));

    *written = need;
    if ( len < need )
        return -ENOBUFS;
    /* Padding and reserved fields are zero. */
    memset(buf, 0, need);
    vsmmuv3_image_save(&img, vs);

    vsmmuv3_put32(p, VSMMUV3_REC_MAGIC);
    vsmmuv3_put16(p + 4, VSMMUV3_REC_VERSION);
    vsmmuv3_put16(p + 6, VSMMUV3_REC_HDR_SIZE);
    vsmmuv3_put32(p + 8, need);
    p += VSMMUV3_REC_HDR_SIZE;

    p = vsmmuv3_put_section(p, VSMMUV3_SEC_CORE, 0, CORE_SIZE);
    vsmmuv3_put_fields(p, &img, VSMMUV3_SEC_CORE);
    p += CORE_SIZE;

    if ( vsmmuv3_msi_advertised(&vs->id) )
    {
        p = vsmmuv3_put_section(p, VSMMUV3_SEC_MSI, 0, MSI_SIZE);
        vsmmuv3_put_fields(p, &img, VSMMUV3_SEC_MSI);
        p += MSI_SIZE;
    }

    p = vsmmuv3_put_section(p, VSMMUV3_SEC_STREAMS, 0,
                            8 + vs->nr_streams * VSMMUV3_REC_STREAM_SIZE);
    vsmmuv3_put32(p, vs->nr_streams);
    p += 8;
    for ( i = 0; i < vs->nr_streams; i++, p += VSMMUV3_REC_STREAM_SIZE )
    {
        const struct vsmmuv3_stream *s = &vs->streams[i];

        vsmmuv3_put32(p, s->vsid);
        if ( s->backend < 0 )
            continue;
        vsmmuv3_put32(p + 4, VSMMUV3_REC_STREAM_PHYSICAL);
        vsmmuv3_put64(p + 8, vs->backends[s->backend].stable_id);
        vsmmuv3_put32(p + 16, s->psid);
    }

    if ( vsmmuv3_any_vcpu_work(vs) )
    {
        nr = vs->d->max_vcpus;
        p = vsmmuv3_put_section(p, VSMMUV3_SEC_VCPU_WORK,
                                VSMMUV3_SEC_SKIPPABLE,
                                8 + 8 * vsmmuv3_vcpu_words(nr));
        vsmmuv3_put32(p, nr);
        p += 8;
        for ( i = 0; i < nr; i++ )
            if ( vs->vcpu_work[i] )
                p[i / 8] |= 1U << (i % 8);
        p += 8 * vsmmuv3_vcpu_words(nr);
    }

    ASSERT(p == (uint8_t *)buf + need);
    return 0;
}

int vsmmuv3_save(struct vsmmuv3 *vs, void *buf, size_t len, size_t *written)
{
    int rc;

    spin_lock(&vs->lock);
    rc = vsmmuv3_save_locked(vs, buf, len, written);
    spin_unlock(&vs->lock);
    return rc;
}

/*
 * The checks of each saved member, called in list order from
 * vsmmuv3_check_image() once the record is well formed: @r is the record's
 * state, @vs the destination.  Each returns 0 or -EINVAL, but
 * vsmmuv3_check_id(): -ENODEV.  A value passes if the register model could
 * hold it: what a register write keeps (regs.c), within the limits the
 * destination's IDRs advertise.
 */
static int vsmmuv3_check_id(const struct vsmmuv3 *vs,
                            const struct vsmmuv3_image *r)
{
    /* The guest saw these: the destination must be the same SMMU. */
    return memcmp(&r->id, &vs->id, sizeof(r->id)) ? -ENODEV : 0;
}

static int vsmmuv3_check_cr0(const struct vsmmuv3 *vs,
                             const struct vsmmuv3_image *r)
{
    return (r->cr0 & ~VSMMUV3_CR0_ACCEPTED) ? -EINVAL : 0;
}

static int vsmmuv3_check_cr0ack(const struct vsmmuv3 *vs,
                                const struct vsmmuv3_image *r)
{
    /* CR0ACK follows CR0 but for SMMUEN while a sweep is under way. */
    if ( (r->cr0ack ^ r->cr0) & ~(r->sweep_active ? SMMU_CR0_SMMUEN : 0) )
        return -EINVAL;
    return 0;
}

static int vsmmuv3_check_cr1(const struct vsmmuv3 *vs,
                             const struct vsmmuv3_image *r)
{
    return (r->cr1 & ~VSMMUV3_CR1_FIELDS) ? -EINVAL : 0;
}

static int vsmmuv3_check_cr2(const struct vsmmuv3 *vs,
                             const struct vsmmuv3_image *r)
{
    return (r->cr2 & ~VSMMUV3_CR2_FIELDS) ? -EINVAL : 0;
}

static int vsmmuv3_check_gbpa(const struct vsmmuv3 *vs,
                              const struct vsmmuv3_image *r)
{
    if ( r->gbpa & ~(VSMMUV3_GBPA_FIELDS | SMMU_GBPA_UPDATE) )
        return -EINVAL;
    /* An update completes with the sweep it started. */
    if ( (r->gbpa & SMMU_GBPA_UPDATE) && !r->sweep_active )
        return -EINVAL;
    return 0;
}

static int vsmmuv3_check_irq_ctrl(const struct vsmmuv3 *vs,
                                  const struct vsmmuv3_image *r)
{
    return (r->irq_ctrl & ~VSMMUV3_IRQ_CTRL_ACCEPTED) ? -EINVAL : 0;
}

static int vsmmuv3_check_gerror(const struct vsmmuv3 *vs,
                                const struct vsmmuv3_image *r)
{
    return (r->gerror & ~VSMMUV3_GERROR_IMPLEMENTED) ? -EINVAL : 0;
}

static int vsmmuv3_check_gerrorn(const struct vsmmuv3 *vs,
                                 const struct vsmmuv3_image *r)
{
    return (r->gerrorn & ~VSMMUV3_GERROR_IMPLEMENTED) ? -EINVAL : 0;
}

static int vsmmuv3_check_strtab_base(const struct vsmmuv3 *vs,
                                     const struct vsmmuv3_image *r)
{
    return (r->strtab_base & ~(SMMU_STRTAB_BASE_ADDR | SMMU_STRTAB_BASE_RA))
           ? -EINVAL : 0;
}

static int vsmmuv3_check_strtab_base_cfg(const struct vsmmuv3 *vs,
                                         const struct vsmmuv3_image *r)
{
    uint32_t v = r->strtab_base_cfg;

    /*
     * FMT and SPLIT are kept as written, reserved values included (they
     * are interpreted at each walk, IHI 0070 6.3.25); LOG2SIZE is clamped
     * to IDR1.SIDSIZE.
     */
    if ( v & ~(SMMU_STRTAB_BASE_CFG_FMT | SMMU_STRTAB_BASE_CFG_SPLIT |
               SMMU_STRTAB_BASE_CFG_LOG2SIZE) )
        return -EINVAL;
    if ( MASK_EXTR(v, SMMU_STRTAB_BASE_CFG_LOG2SIZE) >
         MASK_EXTR(vs->id.idr[1], SMMU_IDR1_SIDSIZE) )
        return -EINVAL;
    return 0;
}

/* *_BASE as written (address, RWA) with LOG2SIZE at most @max_log2. */
static int vsmmuv3_check_queue_base(uint64_t base, unsigned int max_log2)
{
    if ( base & ~(SMMU_Q_BASE_ADDR | SMMU_Q_BASE_RWA |
                  SMMU_Q_BASE_LOG2SIZE) )
        return -EINVAL;
    if ( MASK_EXTR(base, SMMU_Q_BASE_LOG2SIZE) > max_log2 )
        return -EINVAL;
    return 0;
}

static int vsmmuv3_check_cmdq(const struct vsmmuv3 *vs,
                              const struct vsmmuv3_image *r)
{
    const struct vsmmuv3_queue *q = &r->cmdq;
    uint32_t wrap;

    if ( vsmmuv3_check_queue_base(q->base,
                                  MASK_EXTR(vs->id.idr[1], SMMU_IDR1_CMDQS)) )
        return -EINVAL;
    wrap = vsmmuv3_q_wrap_mask(q);
    if ( (q->prod & ~wrap) || (q->cons & ~(wrap | SMMU_CMDQ_CONS_ERR)) )
        return -EINVAL;
    /* The errors this model reports (IHI 0070 7.1; no ATS). */
    if ( MASK_EXTR(q->cons, SMMU_CMDQ_CONS_ERR) > SMMU_CERROR_ABT )
        return -EINVAL;
    return 0;
}

static int vsmmuv3_check_evtq(const struct vsmmuv3 *vs,
                              const struct vsmmuv3_image *r)
{
    const struct vsmmuv3_queue *q = &r->evtq;
    uint32_t wrap;

    if ( vsmmuv3_check_queue_base(q->base, MASK_EXTR(vs->id.idr[1],
                                                     SMMU_IDR1_EVENTQS)) )
        return -EINVAL;
    wrap = vsmmuv3_q_wrap_mask(q);
    if ( (q->prod & ~(wrap | SMMU_EVENTQ_PROD_OVFLG)) ||
         (q->cons & ~(wrap | SMMU_EVENTQ_CONS_OVACKFLG)) )
        return -EINVAL;
    return 0;
}

static int vsmmuv3_check_cmd_active(const struct vsmmuv3 *vs,
                                    const struct vsmmuv3_image *r)
{
    if ( !r->cmd_active )
        return 0;
    /*
     * A command in progress is the one at CONS: the queue is enabled,
     * holds it (CMDQEN=0 and a PROD write that uncovers it drop it), and
     * no command error stopped consumption.
     */
    if ( !(r->cr0 & SMMU_CR0_CMDQEN) || !vsmmuv3_cmdq_holds(&r->cmdq) ||
         ((r->gerror ^ r->gerrorn) & SMMU_GERROR_CMDQ_ERR) )
        return -EINVAL;
    return 0;
}

static int vsmmuv3_check_cmd_cur(const struct vsmmuv3 *vs,
                                 const struct vsmmuv3_image *r)
{
    uint64_t c0 = r->cmd_cur[0];

    /* Not in progress: what is left of a command long done is unused. */
    if ( !r->cmd_active )
        return 0;
    /* Only a legal CMD_SYNC or CFGI_STE_RANGE spans steps (cmdq.c). */
    switch ( MASK_EXTR(c0, SMMU_CMD_OPCODE) )
    {
    case SMMU_OP_CMD_SYNC:
        return MASK_EXTR(c0, SMMU_CMD0_SYNC_CS) == 3 ? -EINVAL : 0;
    case SMMU_OP_CFGI_STE_RANGE:
        return (c0 & SMMU_CMD0_SSEC) ? -EINVAL : 0;
    default:
        return -EINVAL;
    }
}

static int vsmmuv3_check_cmd_next_vsid(const struct vsmmuv3 *vs,
                                       const struct vsmmuv3_image *r)
{
    /*
     * Any value is safe: it only says from which vSID a walk over the
     * bound streams continues (CFGI_STE_RANGE's range start comes from a
     * 32-bit StreamID field; CMD_SYNC's recovery ends at ~0).
     */
    return 0;
}

static int vsmmuv3_check_cmd_recovered(const struct vsmmuv3 *vs,
                                       const struct vsmmuv3_image *r)
{
    /* 0 or 1, checked as it is read; meaningful for a CMD_SYNC only. */
    return 0;
}

static int vsmmuv3_check_sweep_active(const struct vsmmuv3 *vs,
                                      const struct vsmmuv3_image *r)
{
    /* With CR0ACK and GBPA.UPDATE, which say whether one may be active. */
    return 0;
}

static int vsmmuv3_check_sweep_next_vsid(const struct vsmmuv3 *vs,
                                         const struct vsmmuv3_image *r)
{
    /* The first vSID, or that of a bound stream. */
    return r->sweep_next_vsid >> VSMMUV3_SIDSIZE ? -EINVAL : 0;
}

static int vsmmuv3_check_irq_cfg0(const struct vsmmuv3_image *r, uint64_t cfg0)
{
    /* Not advertised: RAZ/WI, and the record has no MSI section. */
    return (cfg0 & ~SMMU_IRQ_CFG0_ADDR) ||
           (cfg0 && !vsmmuv3_msi_advertised(&r->id)) ? -EINVAL : 0;
}

static int vsmmuv3_check_irq_cfg2(const struct vsmmuv3_image *r, uint32_t cfg2)
{
    return (cfg2 & ~(SMMU_IRQ_CFG2_SH | SMMU_IRQ_CFG2_MEMATTR)) ||
           (cfg2 && !vsmmuv3_msi_advertised(&r->id)) ? -EINVAL : 0;
}

static int vsmmuv3_check_gerror_irq_cfg0(const struct vsmmuv3 *vs,
                                         const struct vsmmuv3_image *r)
{
    return vsmmuv3_check_irq_cfg0(r, r->gerror_irq_cfg0);
}

static int vsmmuv3_check_gerror_irq_cfg1(const struct vsmmuv3 *vs,
                                         const struct vsmmuv3_image *r)
{
    /* MSI data: any 32 bits. */
    return 0;
}

static int vsmmuv3_check_gerror_irq_cfg2(const struct vsmmuv3 *vs,
                                         const struct vsmmuv3_image *r)
{
    return vsmmuv3_check_irq_cfg2(r, r->gerror_irq_cfg2);
}

static int vsmmuv3_check_evtq_irq_cfg0(const struct vsmmuv3 *vs,
                                       const struct vsmmuv3_image *r)
{
    return vsmmuv3_check_irq_cfg0(r, r->evtq_irq_cfg0);
}

static int vsmmuv3_check_evtq_irq_cfg1(const struct vsmmuv3 *vs,
                                       const struct vsmmuv3_image *r)
{
    return 0;
}

static int vsmmuv3_check_evtq_irq_cfg2(const struct vsmmuv3 *vs,
                                       const struct vsmmuv3_image *r)
{
    return vsmmuv3_check_irq_cfg2(r, r->evtq_irq_cfg2);
}

/* Every member's check, in list order: the identification first. */
static int vsmmuv3_check_image(const struct vsmmuv3 *vs,
                               const struct vsmmuv3_image *r)
{
    int rc;

#define CHECK(s, k, m)                                                  \
    rc = vsmmuv3_check_##m(vs, r);                                      \
    if ( rc )                                                           \
        return rc;
    VSMMUV3_SAVED_STATE(CHECK)
#undef CHECK
    return 0;
}

/* The sections of a record, located and checked for form. */
struct parsed {
    const uint8_t *sec[VSMMUV3_SEC_VCPU_WORK + 1];      /* payloads */
    uint32_t len[VSMMUV3_SEC_VCPU_WORK + 1];
};

static int vsmmuv3_parse(const struct vsmmuv3 *vs, const uint8_t *buf,
                         size_t len, struct parsed *ps)
{
    uint32_t total, off;

    memset(ps, 0, sizeof(*ps));
    if ( len < VSMMUV3_REC_HDR_SIZE )
        return -ENODATA;
    if ( vsmmuv3_get32(buf) != VSMMUV3_REC_MAGIC )
        return -EBADMSG;
    if ( vsmmuv3_get16(buf + 4) != VSMMUV3_REC_VERSION )
        return -ENOEXEC;
    if ( vsmmuv3_get16(buf + 6) != VSMMUV3_REC_HDR_SIZE ||
         vsmmuv3_get32(buf + 12) )
        return -EILSEQ;
    total = vsmmuv3_get32(buf + 8);
    if ( total > len )
        return -ENODATA;
    if ( total < len )
        return -EMSGSIZE;

    for ( off = VSMMUV3_REC_HDR_SIZE; off < total; )
    {
        unsigned int type, flags, want;
        uint32_t slen;

        if ( total - off < VSMMUV3_SEC_HDR_SIZE )
            return -ENODATA;
        type = vsmmuv3_get16(buf + off);
        flags = vsmmuv3_get16(buf + off + 2);
        slen = vsmmuv3_get32(buf + off + 4);
        off += VSMMUV3_SEC_HDR_SIZE;
        if ( slen > total - off )
            return -ENODATA;
        if ( (flags & ~VSMMUV3_SEC_SKIPPABLE) || (slen & 7) )
            return -EILSEQ;
        switch ( type )
        {
        case VSMMUV3_SEC_CORE:
        case VSMMUV3_SEC_STREAMS:
        case VSMMUV3_SEC_MSI:
            want = 0;
            break;
        case VSMMUV3_SEC_VCPU_WORK:
            want = VSMMUV3_SEC_SKIPPABLE;
            break;
        default:
            /* A newer writer's: skip it only if it says a reader may. */
            if ( !(flags & VSMMUV3_SEC_SKIPPABLE) )
                return -EOPNOTSUPP;
            off += slen;
            continue;
        }
        if ( flags != want || ps->sec[type] )
            return -EILSEQ;
        ps->sec[type] = buf + off;
        ps->len[type] = slen;
        off += slen;
    }

    if ( !ps->sec[VSMMUV3_SEC_CORE] || !ps->sec[VSMMUV3_SEC_STREAMS] ||
         ps->len[VSMMUV3_SEC_CORE] != CORE_SIZE ||
         (ps->sec[VSMMUV3_SEC_MSI] && ps->len[VSMMUV3_SEC_MSI] != MSI_SIZE) )
        return -EILSEQ;
    return 0;
}

/* The padding after a section's fields is zero. */
static bool vsmmuv3_padding_zero(const uint8_t *p, unsigned int from,
                                 unsigned int to)
{
    for ( ; from < to; from++ )
        if ( p[from] )
            return false;
    return true;
}

/*
 * The vSID map must be the destination's: the same vSIDs, each physical
 * one the same stream (SMMU and StreamID) of a device the destination
 * domain owns: the domain builder bound it, and the physical driver
 * accepted it as one of the domain's (vsmmuv3_add_stream()).
 */
static int vsmmuv3_check_streams(const struct vsmmuv3 *vs, const uint8_t *p,
                                 uint32_t len)
{
    uint32_t nr, i, prev = 0;

    if ( len < 8 )
        return -EILSEQ;
    nr = vsmmuv3_get32(p);
    if ( vsmmuv3_get32(p + 4) || (len - 8) / VSMMUV3_REC_STREAM_SIZE != nr ||
         (len - 8) % VSMMUV3_REC_STREAM_SIZE )
        return -EILSEQ;
    for ( i = 0, p += 8; i < nr; i++, p += VSMMUV3_REC_STREAM_SIZE )
    {
        uint32_t vsid = vsmmuv3_get32(p), flags = vsmmuv3_get32(p + 4);
        uint64_t smmu = vsmmuv3_get64(p + 8);
        uint32_t psid = vsmmuv3_get32(p + 16);
        const struct vsmmuv3_stream *s;
        bool phys = flags & VSMMUV3_REC_STREAM_PHYSICAL;

        if ( (flags & ~VSMMUV3_REC_STREAM_PHYSICAL) || vsmmuv3_get32(p + 20) ||
             (!phys && (smmu || psid)) )
            return -EILSEQ;
        if ( vsid >> VSMMUV3_SIDSIZE || (i && vsid <= prev) )
            return -EINVAL;
        prev = vsid;
        s = vsmmuv3_find_stream((struct vsmmuv3 *)vs, vsid);
        if ( phys && (!s || s->backend < 0 ||
                      vs->backends[s->backend].stable_id != smmu ||
                      s->psid != psid) )
            return -EPERM;
        if ( !phys && (!s || s->backend >= 0) )
            return -EXDEV;
    }
    /* Every record vSID is bound: are they all the destination binds? */
    return nr == vs->nr_streams ? 0 : -EXDEV;
}

static int vsmmuv3_check_vcpu_work(const struct vsmmuv3 *vs, const uint8_t *p,
                                   uint32_t len)
{
    uint32_t nr, i;

    if ( len < 8 )
        return -EILSEQ;
    nr = vsmmuv3_get32(p);
    if ( vsmmuv3_get32(p + 4) || len != 8 + 8 * vsmmuv3_vcpu_words(nr) )
        return -EILSEQ;
    if ( nr != vs->d->max_vcpus )
        return -EINVAL;
    for ( i = nr; i < 64 * vsmmuv3_vcpu_words(nr); i++ )
        if ( p[8 + i / 8] & (1U << (i % 8)) )
            return -EINVAL;
    return 0;
}

/* The configuration the streams get under the restored registers. */
static enum vsmmuv3_ste_cfg vsmmuv3_wanted_cfg(const struct vsmmuv3 *vs,
                                               const struct vsmmuv3_stream *s)
{
    if ( vs->cr0 & SMMU_CR0_SMMUEN )
        return s->guest_cfg;
    return (vs->gbpa & SMMU_GBPA_ABORT) ? VSMMUV3_STE_ABORT
                                        : VSMMUV3_STE_S2_ONLY;
}

int vsmmuv3_restore_locked(struct vsmmuv3 *vs, const void *buf, size_t len,
                           unsigned int *streams_aborted)
{
    struct vsmmuv3_image img;
    struct parsed ps;
    const uint8_t *vw;
    unsigned int i, aborted = 0;
    bool any;
    int rc;

    ASSERT(spin_is_locked(&vs->lock));

    if ( streams_aborted )
        *streams_aborted = 0;
    if ( vs->dying )
        return -EBUSY;

    /* Everything is checked before anything changes. */
    rc = vsmmuv3_parse(vs, buf, len, &ps);
    if ( rc )
        return rc;
    memset(&img, 0, sizeof(img));
    rc = vsmmuv3_get_fields(ps.sec[VSMMUV3_SEC_CORE], &img, VSMMUV3_SEC_CORE);
    if ( !rc && ps.sec[VSMMUV3_SEC_MSI] )
        rc = vsmmuv3_get_fields(ps.sec[VSMMUV3_SEC_MSI], &img,
                                VSMMUV3_SEC_MSI);
    if ( rc )
        return rc;
    if ( !vsmmuv3_padding_zero(ps.sec[VSMMUV3_SEC_CORE], FIELDS_SIZE(CORE),
                               CORE_SIZE) ||
         (ps.sec[VSMMUV3_SEC_MSI] &&
          !vsmmuv3_padding_zero(ps.sec[VSMMUV3_SEC_MSI], FIELDS_SIZE(MSI),
                                MSI_SIZE)) )
        return -EILSEQ;
    rc = vsmmuv3_check_id(vs, &img);
    if ( rc )
        return rc;
    /* The MSI section is there exactly when MSIs are advertised. */
    if ( !ps.sec[VSMMUV3_SEC_MSI] != !vsmmuv3_msi_advertised(&img.id) )
        return -EILSEQ;
    rc = vsmmuv3_check_image(vs, &img);
    if ( !rc )
        rc = vsmmuv3_check_streams(vs, ps.sec[VSMMUV3_SEC_STREAMS],
                                   ps.len[VSMMUV3_SEC_STREAMS]);
    vw = ps.sec[VSMMUV3_SEC_VCPU_WORK];
    if ( !rc && vw )
        rc = vsmmuv3_check_vcpu_work(vs, vw, ps.len[VSMMUV3_SEC_VCPU_WORK]);
    if ( rc )
        return rc;

    /* Load.  Work the vSMMU had queued belongs to the state it leaves. */
    vsmmuv3_relay_push(vs);
    vsmmuv3_image_load(vs, &img);
    vs->work_used = 0;
    for ( i = 0, any = false; i < vs->d->max_vcpus; i++ )
    {
        vs->vcpu_work[i] = vw && (vw[8 + i / 8] & (1U << (i % 8)));
        any |= vs->vcpu_work[i];
    }
    /*
     * Work is left and the record names no vCPU to do it (it has no
     * VCPU_WORK section, or one with no vCPU): the first vCPU does.
     */
    if ( !any && vsmmuv3_work_pending(vs) )
        vs->vcpu_work[0] = true;

    /* The streams, as an SMMU with empty caches would find them. */
    vs->restoring = true;
    for ( i = 0; i < vs->nr_streams; i++ )
        vsmmuv3_stream_reinstall(vs, &vs->streams[i]);
    vsmmuv3_relay_invalidate_all(vs);
    vs->restoring = false;

    for ( i = 0; i < vs->nr_streams; i++ )
    {
        const struct vsmmuv3_stream *s = &vs->streams[i];

        if ( s->backend >= 0 &&
             (!s->installed_valid ||
              s->installed_cfg != vsmmuv3_wanted_cfg(vs, s)) )
        {
            aborted++;
            vsmmuv3_log(vs, XENLOG_G_WARNING,
                        "restore: vSID %#x left aborting\n", s->vsid);
        }
    }

    vsmmuv3_update_lines(vs, VSMMUV3_LINE_EVTQ | VSMMUV3_LINE_GERROR, 0);
    vs->work_used = 0;
    vs->stats.restores++;
    vs->stats.restore_aborted += aborted;
    if ( streams_aborted )
        *streams_aborted = aborted;
    return 0;
}

int vsmmuv3_restore(struct vsmmuv3 *vs, const void *buf, size_t len,
                    unsigned int *streams_aborted)
{
    int rc;

    spin_lock(&vs->lock);
    rc = vsmmuv3_restore_locked(vs, buf, len, streams_aborted);
    spin_unlock(&vs->lock);
    return rc;
}

void vsmmuv3_reset_locked(struct vsmmuv3 *vs)
{
    struct vsmmuv3_id id = vs->id;
    unsigned int i;

    ASSERT(spin_is_locked(&vs->lock));

    vsmmuv3_relay_push(vs);
    /* Every saved member as at creation: zero, then the reset values. */
#define RESET(s, k, m)  memset(&vs->m, 0, sizeof(vs->m));
    VSMMUV3_SAVED_STATE(RESET)
#undef RESET
    vs->id = id;
    vsmmuv3_regs_reset(vs);
    for ( i = 0; i < vs->d->max_vcpus; i++ )
        vs->vcpu_work[i] = false;
    for ( i = 0; i < vs->nr_streams; i++ )
    {
        struct vsmmuv3_stream *s = &vs->streams[i];

        s->guest_cfg = VSMMUV3_STE_ABORT;
        s->guest_ste[0] = s->guest_ste[1] = 0;
        vsmmuv3_stream_install(vs, s, VSMMUV3_STE_ABORT, NULL, false);
    }
    vsmmuv3_update_lines(vs, VSMMUV3_LINE_EVTQ | VSMMUV3_LINE_GERROR, 0);
    vs->work_used = 0;
}

uint32_t vsmmuv3_selftest_locked(struct vsmmuv3 *vs)
{
    size_t len = vsmmuv3_record_size_locked(vs), written;
    void *buf = xzalloc_bytes(len);
    unsigned int aborted = 0;
    int rc = -ENOMEM;

    ASSERT(spin_is_locked(&vs->lock));

    if ( buf )
    {
        rc = vsmmuv3_save_locked(vs, buf, len, &written);
        if ( !rc )
        {
            vsmmuv3_reset_locked(vs);
            rc = vsmmuv3_restore_locked(vs, buf, written, &aborted);
        }
        xfree(buf);
    }
    vs->selftest_result = VSMMUV3_SELFTEST_RAN |
        MASK_INSR(min(aborted, 0xfffU), VSMMUV3_SELFTEST_ABORTED) |
        MASK_INSR((unsigned int)-rc & 0xffff, VSMMUV3_SELFTEST_ERRNO);
    return vs->selftest_result;
}

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * indent-tabs-mode: nil
 * End:
 */
