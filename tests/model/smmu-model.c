/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Software model of a physical Arm SMMUv3: see smmu-model.h for what it is
 * and the modelling choices.  Section numbers are those of IHI 0070 (the
 * SMMUv3 specification); "Arm ARM" is the A-profile Architecture Reference
 * Manual, chapter D8 (VMSAv8-64 translation).
 *
 * Commands accepted by smmu_model_queue_inval() (what a physical SMMU gets
 * from the vSMMU relay): TLBI_NH_ALL, TLBI_NH_ASID, TLBI_NH_VA, TLBI_NH_VAA
 * (range forms only with RIL), TLBI_S12_VMALL, TLBI_NSNH_ALL, CFGI_STE,
 * CFGI_STE_RANGE (Range 31 = CFGI_ALL), CFGI_CD, CFGI_CD_ALL.  CMD_SYNC is
 * the sync op, never a queued command.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smmu-model.h"

#define OAS_BITS            SMMU_OAS_BITS(SMMU_MODEL_OAS_ENC)
#define SMALLEST_PAGE       0x1000ULL

/* Arm ARM D8.3: descriptor fields of VMSAv8-64 stage 1. */
#define DESC_VALID          BIT(0, ULL)
#define DESC_TABLE          BIT(1, ULL)     /* table (L0-2) or page (L3) */
#define DESC_AP_UNPRIV      BIT(6, ULL)     /* AP[1]: EL0 access */
#define DESC_AP_RDONLY      BIT(7, ULL)     /* AP[2]: read-only */
#define DESC_AF             BIT(10, ULL)
#define DESC_NG             BIT(11, ULL)
#define DESC_APTABLE_NO_EL0 BIT(61, ULL)    /* APTable[0] */
#define DESC_APTABLE_RDONLY BIT(62, ULL)    /* APTable[1] */

/* 5.4 CD.TG1, which smmu-v3-arch.h does not define (yet). */
#define CD0_TG1             GENMASK_ULL(23, 22)

/* Permissions a stage-1 leaf grants, after hierarchical APTable limits. */
#define S1_UNPRIV_READ      (1U << 0)
#define S1_UNPRIV_WRITE     (1U << 1)
#define S1_PRIV_READ        (1U << 2)
#define S1_PRIV_WRITE       (1U << 3)
#define S1_ALL              0xfU

/* Why the model refuses to translate with STALL_MODEL = 0b10. */
#define STALLS_FORCED \
    "IDR0.STALL_MODEL = 0b10 (stalls are not represented)"

/* An effectively unbounded command log would hide a runaway relay. */
#define CMD_LOG_MAX         (1U << 20)

enum ste_state {
    STE_INVALID,            /* V = 0: no configuration */
    STE_ABORT,              /* V = 1, Config = abort */
    STE_S2_ONLY,            /* V = 1, Config = S2 translate */
    STE_NESTED,             /* V = 1, Config = nested, guest stage 1 */
    STE_BAD,                /* a raw STE refused: C_BAD_STE */
};

/* 5.2: the STE fields the model decodes; any other bit is refused. */
#define STE0_S1_FIELDS      (SMMU_STE0_S1FMT | SMMU_STE0_S1CTXPTR | \
                             SMMU_STE0_S1CDMAX)
#define STE0_RES0           GENMASK_ULL(58, 52)
#define STE1_S1_FIELDS      (SMMU_STE1_S1DSS | SMMU_STE1_S1CIR | \
                             SMMU_STE1_S1COR | SMMU_STE1_S1CSH | \
                             SMMU_STE1_S1STALLD)
#define STE1_KNOWN          (STE1_S1_FIELDS | SMMU_STE1_EATS | \
                             SMMU_STE1_STRW | SMMU_STE1_SHCFG)
#define STE2_KNOWN          (SMMU_STE2_S2VMID | SMMU_STE2_VTCR | \
                             SMMU_STE2_S2AA64 | SMMU_STE2_S2ENDI | \
                             SMMU_STE2_S2AFFD | SMMU_STE2_S2PTW | \
                             SMMU_STE2_S2HD | SMMU_STE2_S2HA | \
                             SMMU_STE2_S2S | SMMU_STE2_S2R)

/* The nominal stage-2 root of the domain of VMID @vmid. */
#define S2TTB_OF(vmid)      ((1ULL << 40) + ((uint64_t)(vmid) << 12))

struct s2_range {
    uint64_t ipa;
    uint64_t pa;
    uint64_t size;
    unsigned int perms;
};

struct smmu_model_domain {
    struct smmu_model *m;
    uint16_t vmid;
    struct s2_range *ranges;        /* sorted by ipa, non-overlapping */
    size_t nr_ranges;
    size_t cap_ranges;
};

/* One physical stream: its STE and its slot of the configuration cache. */
struct stream {
    uint32_t psid;
    struct smmu_model_domain *owner;
    enum ste_state state;
    uint64_t s1_ste[2];             /* STE_NESTED: guest words 0 and 1 */
    const char *bad;                /* STE_BAD: why, for the event */
    bool cd_cached;                 /* 4.3.3: CDs are cached per StreamID */
    uint64_t cd[SMMU_CD_DWORDS];
};

/*
 * A TLB entry caches one complete translation: IOVA -> PA for nested
 * streams (tagged VMID/ASID, or VMID + global), IPA -> PA for stage-2-only
 * streams.  The stage-1 leaf it came from (level, granule, VA range) is
 * kept so invalidation by VA/TTL/TG matches as the architecture says even
 * when the entry covers less than the leaf (stage 2 splits it).
 */
struct tlb_entry {
    bool valid;
    bool s2_only;
    bool global;
    uint16_t vmid;
    uint16_t asid;
    unsigned int pgshift;           /* stage-1 granule, 0 for s2_only */
    unsigned int level;             /* stage-1 leaf level */
    uint64_t leaf_base;
    uint64_t leaf_size;
    uint64_t va_base;               /* what this entry translates */
    uint64_t size;
    uint64_t ipa_base;
    uint64_t pa_base;
    unsigned int s1_perms;
    unsigned int s2_perms;
};

/*
 * A walk-cache entry caches one stage-1 table descriptor: the table at
 * @level for VAs in [va_base, va_base + va_size) points at next_table
 * (an IPA, since the model re-translates every descriptor fetch through
 * stage 2), with the APTable limits accumulated so far.
 */
struct walk_entry {
    bool valid;
    uint16_t vmid;
    uint16_t asid;
    unsigned int pgshift;
    unsigned int level;
    uint64_t va_base;
    uint64_t va_size;
    uint64_t next_table;
    uint64_t aptable;
};

struct smmu_model {
    struct smmu_model_config cfg;
    smmu_model_event_fn event_fn;
    void *event_ctx;

    struct stream *streams;
    size_t nr_streams;
    size_t cap_streams;

    struct tlb_entry *tlb;
    unsigned int tlb_size;
    unsigned int tlb_victim;        /* round robin when full */
    struct walk_entry walk[SMMU_MODEL_WALK_ENTRIES];
    unsigned int walk_victim;

    /* Commands queued since the last sync, applied by the sync. */
    uint64_t (*pending)[2];
    size_t nr_pending;
    size_t cap_pending;

    struct smmu_model_cmd_record *log;
    size_t nr_log;
    size_t cap_log;

    struct smmu_model_stats stats;
    char last_error[160];
    const char *last_fault_reason;
    uint64_t last_event[4];
    bool have_event;
};

/*
 * Growable arrays.
 */
static int grow(void **array, size_t *cap, size_t need, size_t elem)
{
    size_t new_cap;
    void *p;

    if (need <= *cap)
        return 0;
    new_cap = *cap ? *cap * 2 : 16;
    while (new_cap < need)
        new_cap *= 2;
    p = realloc(*array, new_cap * elem);
    if (!p)
        return -ENOMEM;
    *array = p;
    *cap = new_cap;
    return 0;
}

static uint64_t le64_to_host(const uint8_t *b)
{
    uint64_t v = 0;

    for (int i = 7; i >= 0; i--)
        v = (v << 8) | b[i];
    return v;
}

static int refuse(struct smmu_model *m, int err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(m->last_error, sizeof(m->last_error), fmt, ap);
    va_end(ap);
    m->stats.errors++;
    return err;
}

/*
 * Model lifetime and identification.
 */
struct smmu_model *smmu_model_create(const struct smmu_model_config *cfg)
{
    struct smmu_model *m;

    if (!cfg || !cfg->read_pa)
        return NULL;
    m = calloc(1, sizeof(*m));
    if (!m)
        return NULL;
    m->cfg = *cfg;
    m->tlb_size = cfg->tlb_entries ? cfg->tlb_entries : SMMU_MODEL_TLB_ENTRIES;
    m->tlb = calloc(m->tlb_size, sizeof(*m->tlb));
    if (!m->tlb) {
        free(m);
        return NULL;
    }
    m->stats.last_vmid = -1;
    return m;
}

void smmu_model_destroy(struct smmu_model *m)
{
    if (!m)
        return;
    free(m->streams);
    free(m->tlb);
    free(m->pending);
    free(m->log);
    free(m);
}

void smmu_model_read_caps(const struct smmu_model *m, uint32_t idr[6],
                          uint32_t *iidr, uint32_t *aidr)
{
    memset(idr, 0, 6 * sizeof(idr[0]));
    /* 6.3.1 */
    idr[0] = SMMU_IDR0_S2P | SMMU_IDR0_S1P |
             MASK_INSR(SMMU_IDR0_TTF_AARCH64, SMMU_IDR0_TTF) |
             SMMU_IDR0_COHACC | SMMU_IDR0_ASID16 | SMMU_IDR0_VMID16 |
             MASK_INSR(SMMU_IDR0_TTENDIAN_LE, SMMU_IDR0_TTENDIAN) |
             MASK_INSR(m->cfg.stall == SMMU_MODEL_STALL_OPTIONAL ?
                       SMMU_IDR0_STALL_MODEL_STALL_TERM :
                       m->cfg.stall == SMMU_MODEL_STALL_FORCED ?
                       SMMU_IDR0_STALL_MODEL_STALL_FORCE :
                       SMMU_IDR0_STALL_MODEL_TERM_ONLY,
                       SMMU_IDR0_STALL_MODEL) |
             SMMU_IDR0_TERM_MODEL |
             MASK_INSR(SMMU_IDR0_ST_LEVEL_2LVL, SMMU_IDR0_ST_LEVEL);
    /* 6.3.2: SSIDSIZE 0, queues as large as the architecture allows. */
    idr[1] = MASK_INSR(SMMU_MODEL_SIDSIZE, SMMU_IDR1_SIDSIZE) |
             MASK_INSR(SMMU_MAX_QUEUE_LOG2, SMMU_IDR1_EVENTQS) |
             MASK_INSR(SMMU_MAX_QUEUE_LOG2, SMMU_IDR1_CMDQS);
    /* 6.3.4 */
    idr[3] = m->cfg.ril ? SMMU_IDR3_RIL : 0;
    /* 6.3.6 */
    idr[5] = MASK_INSR(SMMU_MODEL_OAS_ENC, SMMU_IDR5_OAS) |
             SMMU_IDR5_GRAN4K | SMMU_IDR5_GRAN16K | SMMU_IDR5_GRAN64K;
    /* 6.3.7/6.3.8: Arm implementer, a product matching no erratum; v3.2. */
    *iidr = MASK_INSR(SMMU_IIDR_IMPLEMENTER_ARM, SMMU_IIDR_IMPLEMENTER);
    *aidr = 0x02;
}

void smmu_model_set_event_handler(struct smmu_model *m,
                                  smmu_model_event_fn fn, void *ctx)
{
    m->event_fn = fn;
    m->event_ctx = ctx;
}

/*
 * Streams.
 */
static struct stream *find_stream(const struct smmu_model *m, uint32_t psid)
{
    for (size_t i = 0; i < m->nr_streams; i++)
        if (m->streams[i].psid == psid)
            return &m->streams[i];
    return NULL;
}

/* The stream @psid if @d owns it, else NULL with the refusal recorded. */
static struct stream *owned_stream(struct smmu_model_domain *d,
                                   uint32_t psid, int *err)
{
    struct stream *st = find_stream(d->m, psid);

    if (!st || st->owner != d) {
        *err = refuse(d->m, -EPERM,
                      "pSID %u is not assigned to the domain of VMID %u",
                      psid, d->vmid);
        return NULL;
    }
    return st;
}

/* The driver's STE write + CFGI_STE + CMD_SYNC (4.3.1): CDs go too. */
static void write_ste(struct stream *st, enum ste_state state,
                      const uint64_t s1_ste[2])
{
    st->state = state;
    st->s1_ste[0] = s1_ste ? s1_ste[0] : 0;
    st->s1_ste[1] = s1_ste ? s1_ste[1] : 0;
    st->bad = NULL;
    st->cd_cached = false;
}

int smmu_model_assign_stream(struct smmu_model_domain *d, uint32_t psid)
{
    struct smmu_model *m = d->m;
    struct stream *st;

    if (psid >= (1U << SMMU_MODEL_SIDSIZE))
        return -EINVAL;
    st = find_stream(m, psid);
    if (st && st->owner && st->owner != d)
        return -EBUSY;
    if (!st) {
        if (grow((void **)&m->streams, &m->cap_streams, m->nr_streams + 1,
                 sizeof(*m->streams)))
            return -ENOMEM;
        st = &m->streams[m->nr_streams++];
        memset(st, 0, sizeof(*st));
        st->psid = psid;
    }
    st->owner = d;
    write_ste(st, STE_ABORT, NULL);
    return 0;
}

int smmu_model_unassign_stream(struct smmu_model_domain *d, uint32_t psid)
{
    struct stream *st;
    int err;

    st = owned_stream(d, psid, &err);
    if (!st)
        return err;
    st->owner = NULL;
    write_ste(st, STE_INVALID, NULL);
    return 0;
}

/*
 * Domains and their stage 2.
 */
struct smmu_model_domain *smmu_model_domain_create(struct smmu_model *m,
                                                   uint16_t vmid)
{
    struct smmu_model_domain *d = calloc(1, sizeof(*d));

    if (!d)
        return NULL;
    d->m = m;
    d->vmid = vmid;
    return d;
}

void smmu_model_domain_destroy(struct smmu_model_domain *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->m->nr_streams; i++) {
        struct stream *st = &d->m->streams[i];

        if (st->owner == d) {
            st->owner = NULL;
            write_ste(st, STE_INVALID, NULL);
        }
    }
    free(d->ranges);
    free(d);
}

uint16_t smmu_model_domain_vmid(const struct smmu_model_domain *d)
{
    return d->vmid;
}

void smmu_model_domain_s2_words(const struct smmu_model_domain *d,
                                uint64_t *ste2, uint64_t *ste3)
{
    *ste2 = MASK_INSR(d->vmid, SMMU_STE2_S2VMID) |
            MASK_INSR(64 - 48, SMMU_STE2_S2T0SZ) |
            MASK_INSR(2, SMMU_STE2_S2SL0) |
            MASK_INSR(1, SMMU_STE2_S2IR0) |
            MASK_INSR(1, SMMU_STE2_S2OR0) |
            MASK_INSR(3, SMMU_STE2_S2SH0) |
            MASK_INSR(SMMU_STE_S2TG_4K, SMMU_STE2_S2TG) |
            MASK_INSR(SMMU_MODEL_OAS_ENC, SMMU_STE2_S2PS) |
            SMMU_STE2_S2AA64 | SMMU_STE2_S2PTW | SMMU_STE2_S2R;
    *ste3 = S2TTB_OF(d->vmid) & SMMU_STE3_S2TTB;
}

static const struct s2_range *s2_find(const struct smmu_model_domain *d,
                                      uint64_t ipa)
{
    size_t lo = 0, hi = d->nr_ranges;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct s2_range *r = &d->ranges[mid];

        if (ipa < r->ipa)
            hi = mid;
        else if (ipa - r->ipa >= r->size)
            lo = mid + 1;
        else
            return r;
    }
    return NULL;
}

static bool s2_args_ok(uint64_t ipa, uint64_t size)
{
    uint64_t mask = SMMU_MODEL_S2_PAGE - 1;

    return size && !(ipa & mask) && !(size & mask) && ipa + size > ipa;
}

int smmu_model_s2_map(struct smmu_model_domain *d, uint64_t ipa, uint64_t pa,
                      uint64_t size, unsigned int perms)
{
    size_t pos = 0;

    if (!s2_args_ok(ipa, size) || (pa & (SMMU_MODEL_S2_PAGE - 1)) ||
        (perms & ~SMMU_MODEL_S2_RW))
        return -EINVAL;
    while (pos < d->nr_ranges && d->ranges[pos].ipa < ipa)
        pos++;
    if ((pos > 0 && d->ranges[pos - 1].ipa + d->ranges[pos - 1].size > ipa) ||
        (pos < d->nr_ranges && d->ranges[pos].ipa < ipa + size))
        return -EEXIST;
    if (grow((void **)&d->ranges, &d->cap_ranges, d->nr_ranges + 1,
             sizeof(*d->ranges)))
        return -ENOMEM;
    memmove(&d->ranges[pos + 1], &d->ranges[pos],
            (d->nr_ranges - pos) * sizeof(*d->ranges));
    d->ranges[pos] = (struct s2_range){ ipa, pa, size, perms };
    d->nr_ranges++;
    return 0;
}

int smmu_model_s2_unmap(struct smmu_model_domain *d, uint64_t ipa,
                        uint64_t size)
{
    uint64_t end = ipa + size;

    if (!s2_args_ok(ipa, size))
        return -EINVAL;
    for (size_t i = 0; i < d->nr_ranges; i++) {
        struct s2_range *r = &d->ranges[i];
        uint64_t r_end = r->ipa + r->size;

        if (r_end <= ipa || r->ipa >= end)
            continue;
        if (r->ipa < ipa && r_end > end) {
            /* A hole in the middle: keep the head here, insert the tail. */
            struct s2_range tail = {
                end, r->pa + (end - r->ipa), r_end - end, r->perms
            };

            if (grow((void **)&d->ranges, &d->cap_ranges, d->nr_ranges + 1,
                     sizeof(*d->ranges)))
                return -ENOMEM;
            r = &d->ranges[i];
            r->size = ipa - r->ipa;
            memmove(&d->ranges[i + 2], &d->ranges[i + 1],
                    (d->nr_ranges - i - 1) * sizeof(*d->ranges));
            d->ranges[i + 1] = tail;
            d->nr_ranges++;
            return 0;
        }
        if (r->ipa < ipa) {
            r->size = ipa - r->ipa;             /* keep the head */
        } else if (r_end > end) {
            r->pa += end - r->ipa;              /* keep the tail */
            r->size = r_end - end;
            r->ipa = end;
        } else {
            memmove(r, r + 1, (d->nr_ranges - i - 1) * sizeof(*r));
            d->nr_ranges--;
            i--;
        }
    }
    return 0;
}

int smmu_model_s2_lookup(const struct smmu_model_domain *d, uint64_t ipa,
                         uint64_t *pa, unsigned int *perms)
{
    const struct s2_range *r = s2_find(d, ipa);

    if (!r)
        return -ENOENT;
    if (pa)
        *pa = r->pa + (ipa - r->ipa);
    if (perms)
        *perms = r->perms;
    return 0;
}

/*
 * Faults and event records (7.3).
 */
struct txn {
    uint32_t psid;
    uint64_t iova;
    unsigned int access;
};

struct fault {
    uint8_t id;
    bool s2;
    unsigned int class;
    uint64_t ipa;               /* S2 faults: the IPA that faulted */
    uint64_t fetch_addr;        /* F_CD_FETCH, F_WALK_EABT */
    const char *reason;
};

static int set_fault(struct fault *f, uint8_t id, const char *reason)
{
    memset(f, 0, sizeof(*f));
    f->id = id;
    f->reason = reason;
    return -1;
}

/* 7.3.12-7.3.15: the four translation-related faults (5.5). */
static bool is_translation_fault(uint8_t id)
{
    return id == SMMU_EVT_F_TRANSLATION || id == SMMU_EVT_F_ADDR_SIZE ||
           id == SMMU_EVT_F_ACCESS || id == SMMU_EVT_F_PERMISSION;
}

static void build_event(const struct txn *t, const struct fault *f,
                        uint64_t evt[4])
{
    memset(evt, 0, 4 * sizeof(evt[0]));
    evt[0] = MASK_INSR(f->id, SMMU_EVT0_ID) |
             MASK_INSR(t->psid, SMMU_EVT0_SID);
    switch (f->id) {
    case SMMU_EVT_C_BAD_STREAMID:
    case SMMU_EVT_C_BAD_STE:
    case SMMU_EVT_C_BAD_CD:
        break;
    case SMMU_EVT_F_CD_FETCH:
        evt[3] = f->fetch_addr & GENMASK_ULL(55, 3);
        break;
    default:
        evt[1] = (t->access & SMMU_MODEL_ACCESS_PRIV ? SMMU_EVT1_PNU : 0) |
                 (t->access & SMMU_MODEL_ACCESS_WRITE ? 0 : SMMU_EVT1_RNW) |
                 (f->s2 ? SMMU_EVT1_S2 : 0) |
                 MASK_INSR(f->class, SMMU_EVT1_CLASS);
        evt[2] = t->iova;
        if (f->id == SMMU_EVT_F_WALK_EABT)
            evt[3] = f->fetch_addr & GENMASK_ULL(55, 3);
        else if (f->s2)
            evt[3] = f->ipa & SMMU_EVT3_IPA;
        break;
    }
}

/*
 * Record (or, for a stage-1 translation fault with CD.R = 0, suppress) the
 * event of a terminated transaction.
 */
static int terminate(struct smmu_model *m, const struct txn *t,
                     const struct fault *f, bool record_s1, uint64_t evt_out[4])
{
    uint64_t evt[4];

    m->last_fault_reason = f->reason;
    if (!f->s2 && is_translation_fault(f->id) && !record_s1) {
        m->stats.silent_aborts++;
        return SMMU_MODEL_DMA_ABORTED;
    }
    build_event(t, f, evt);
    memcpy(m->last_event, evt, sizeof(evt));
    m->have_event = true;
    m->stats.events++;
    if (evt_out)
        memcpy(evt_out, evt, sizeof(evt));
    if (m->event_fn)
        m->event_fn(m->event_ctx, evt);
    return SMMU_MODEL_DMA_FAULT;
}

/*
 * Stage 2: the domain's range map.  Every stage-2 fault is recorded
 * (Xen's STEs set S2R), with the IPA and the class of access (7.3).
 */
static int s2_translate(const struct smmu_model_domain *d, uint64_t ipa,
                        bool write, unsigned int class, uint64_t *pa,
                        struct fault *f)
{
    const struct s2_range *r = s2_find(d, ipa);
    unsigned int need = write ? SMMU_MODEL_S2_WRITE : SMMU_MODEL_S2_READ;

    if (!r || !(r->perms & need)) {
        set_fault(f, r ? SMMU_EVT_F_PERMISSION : SMMU_EVT_F_TRANSLATION,
                  r ? "S2 permission" : "S2 unmapped");
        f->s2 = true;
        f->class = class;
        f->ipa = ipa;
        return -1;
    }
    *pa = r->pa + (ipa - r->ipa);
    return 0;
}

/* Read @len bytes at IPA @ipa of @d: stage 2, then machine memory. */
static int read_ipa(struct smmu_model *m, const struct smmu_model_domain *d,
                    uint64_t ipa, unsigned int class, void *buf, size_t len,
                    struct fault *f)
{
    uint64_t pa;

    if (s2_translate(d, ipa, false, class, &pa, f))
        return -1;
    if (m->cfg.read_pa(m->cfg.mem_ctx, pa, buf, len)) {
        set_fault(f, class == SMMU_EVT_CLASS_CD ? SMMU_EVT_F_CD_FETCH
                                                : SMMU_EVT_F_WALK_EABT,
                  class == SMMU_EVT_CLASS_CD ? "CD fetch abort"
                                             : "walk fetch abort");
        f->class = class;
        f->fetch_addr = pa;
        return -1;
    }
    return 0;
}

/*
 * Context descriptors (5.4): decode and validate.
 */
struct tt_region {
    bool disabled;              /* EPDx */
    unsigned int tsz;
    unsigned int pgshift;
    uint64_t ttb;
};

struct cd_cfg {
    uint16_t asid;
    unsigned int eff_ips;
    bool affd;
    bool tbi[2];
    bool pan;
    bool record_faults;         /* CD.R */
    struct tt_region tt[2];
};

/* TG0 and TG1 encode granules differently (5.4); 0 if reserved. */
static unsigned int tg0_pgshift(unsigned int tg)
{
    return tg == SMMU_CD_TG0_4K ? 12 : tg == SMMU_CD_TG0_16K ? 14 :
           tg == SMMU_CD_TG0_64K ? 16 : 0;
}

static unsigned int tg1_pgshift(unsigned int tg)
{
    return tg == 2 ? 12 : tg == 1 ? 14 : tg == 3 ? 16 : 0;
}

/*
 * One TTBx region.  5.4: TxSZ in [16, 39] (no STT, no VAX); a granule the
 * SMMU supports (all three here); TTBx within the effective IPS and, for
 * 4K/16K granules, within 48 bits.  TTBx is aligned down to its table.
 */
static const char *decode_region(struct tt_region *tt, bool epd,
                                 unsigned int tsz, unsigned int pgshift,
                                 uint64_t ttb, unsigned int eff_ips)
{
    unsigned int inputsize, stride, start_level, top_bits;

    tt->disabled = epd;
    if (epd)
        return NULL;
    if (!pgshift)
        return "TG";
    if (tsz < 16 || tsz > 39)
        return "TSZ";
    if (ttb >> eff_ips || (pgshift < 16 && ttb >> 48))
        return "TTB";
    tt->tsz = tsz;
    tt->pgshift = pgshift;
    inputsize = 64 - tsz;
    stride = pgshift - 3;
    start_level = 4 - (inputsize - 4) / stride;
    top_bits = inputsize - (pgshift + stride * (3 - start_level));
    /* Aligned to the starting table, of 2^top_bits 8-byte entries. */
    tt->ttb = ttb & ~((1ULL << (top_bits + 3)) - 1);
    return NULL;
}

static const char *decode_cd(const uint64_t cd[SMMU_CD_DWORDS],
                             struct cd_cfg *c)
{
    uint64_t w0 = cd[0];
    unsigned int ips = MASK_EXTR(w0, SMMU_CD0_IPS);
    const char *bad;

    memset(c, 0, sizeof(*c));
    if (!(w0 & SMMU_CD0_V))
        return "CD.V";
    /* Only VMSAv8-64 tables (IDR0.TTF = AArch64). */
    if (!(w0 & SMMU_CD0_AA64))
        return "CD.AA64";
    /*
     * eff_IPS = min(IPS, OAS): a larger IPS is capped, never ILLEGAL (5.4);
     * 0b111 behaves as 0b110 (52 bits) before SMMUv3.4.
     */
    c->eff_ips = SMMU_OAS_BITS(ips > 6 ? 6 : ips);
    if (c->eff_ips > OAS_BITS)
        c->eff_ips = OAS_BITS;

    bad = decode_region(&c->tt[0], w0 & SMMU_CD0_EPD0,
                        MASK_EXTR(w0, SMMU_CD0_T0SZ),
                        tg0_pgshift(MASK_EXTR(w0, SMMU_CD0_TG0)),
                        cd[1] & SMMU_CD1_TTB0, c->eff_ips);
    if (bad)
        return !strcmp(bad, "TG") ? "CD.TG0" :
               !strcmp(bad, "TSZ") ? "CD.T0SZ" : "CD.TTB0";
    bad = decode_region(&c->tt[1], w0 & SMMU_CD0_EPD1,
                        MASK_EXTR(w0, SMMU_CD0_T1SZ),
                        tg1_pgshift(MASK_EXTR(w0, CD0_TG1)),
                        cd[2] & SMMU_CD2_TTB1, c->eff_ips);
    if (bad)
        return !strcmp(bad, "TG") ? "CD.TG1" :
               !strcmp(bad, "TSZ") ? "CD.T1SZ" : "CD.TTB1";
    /* IDR0.TTENDIAN = little endian only. */
    if ((w0 & SMMU_CD0_ENDI) && !(c->tt[0].disabled && c->tt[1].disabled))
        return "CD.ENDI";
    /* IDR0.HTTU = 0: setting HA or HD is ILLEGAL. */
    if (w0 & (SMMU_CD0_HA | SMMU_CD0_HD))
        return "CD.HA/HD";
    /* 5.5: STALL_MODEL = 0b01 makes S = 1 ILLEGAL, TERM_MODEL = 1 A = 0. */
    if (w0 & SMMU_CD0_S)
        return "CD.S";
    if (!(w0 & SMMU_CD0_A))
        return "CD.A";
    /* ASID16: every ASID is legal. */
    c->asid = MASK_EXTR(w0, SMMU_CD0_ASID);
    c->affd = w0 & SMMU_CD0_AFFD;
    c->tbi[0] = w0 & SMMU_CD0_TBI0;
    c->tbi[1] = w0 & SMMU_CD0_TBI1;
    c->pan = w0 & SMMU_CD0_PAN;
    c->record_faults = w0 & SMMU_CD0_R;
    return NULL;
}

/*
 * The CD of a nested stream: from the configuration cache, or fetched from
 * S1ContextPtr through stage 2 (CLASS = CD) and cached if legal.
 */
static int get_cd(struct smmu_model *m, struct stream *st, struct cd_cfg *c,
                  struct fault *f)
{
    uint8_t raw[SMMU_CD_SIZE];
    uint64_t cd[SMMU_CD_DWORDS];
    const char *bad;

    if (st->cd_cached) {
        decode_cd(st->cd, c);       /* only legal CDs are cached */
        return 0;
    }
    m->stats.cd_fetches++;
    if (read_ipa(m, st->owner, st->s1_ste[0] & SMMU_STE0_S1CTXPTR,
                 SMMU_EVT_CLASS_CD, raw, sizeof(raw), f))
        return -1;
    for (unsigned int i = 0; i < SMMU_CD_DWORDS; i++)
        cd[i] = le64_to_host(raw + 8 * i);
    bad = decode_cd(cd, c);
    if (bad)
        return set_fault(f, SMMU_EVT_C_BAD_CD, bad);
    memcpy(st->cd, cd, sizeof(cd));
    st->cd_cached = true;
    return 0;
}

/*
 * Caches.
 */
static void tlb_insert(struct smmu_model *m, const struct tlb_entry *e)
{
    unsigned int slot = m->tlb_size;

    for (unsigned int i = 0; i < m->tlb_size; i++) {
        if (!m->tlb[i].valid) {
            slot = i;
            break;
        }
    }
    if (slot == m->tlb_size) {
        slot = m->tlb_victim;
        m->tlb_victim = (m->tlb_victim + 1) % m->tlb_size;
        m->stats.tlb_evictions++;
    }
    m->tlb[slot] = *e;
    m->tlb[slot].valid = true;
}

static struct tlb_entry *tlb_lookup(struct smmu_model *m, bool s2_only,
                                    uint16_t vmid, uint16_t asid,
                                    uint64_t addr)
{
    for (unsigned int i = 0; i < m->tlb_size; i++) {
        struct tlb_entry *e = &m->tlb[i];

        if (e->valid && e->s2_only == s2_only && e->vmid == vmid &&
            (s2_only || e->global || e->asid == asid) &&
            addr - e->va_base < e->size)
            return e;
    }
    return NULL;
}

unsigned int smmu_model_tlb_occupancy(const struct smmu_model *m)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < m->tlb_size; i++)
        n += m->tlb[i].valid;
    return n;
}

static void walk_insert(struct smmu_model *m, const struct walk_entry *e)
{
    unsigned int slot = SMMU_MODEL_WALK_ENTRIES;

    for (unsigned int i = 0; i < SMMU_MODEL_WALK_ENTRIES; i++) {
        if (!m->walk[i].valid) {
            slot = i;
            break;
        }
    }
    if (slot == SMMU_MODEL_WALK_ENTRIES) {
        slot = m->walk_victim;
        m->walk_victim = (m->walk_victim + 1) % SMMU_MODEL_WALK_ENTRIES;
    }
    m->walk[slot] = *e;
    m->walk[slot].valid = true;
}

/* The deepest cached table descriptor on the walk of @va, if any. */
static const struct walk_entry *walk_lookup(const struct smmu_model *m,
                                            uint16_t vmid, uint16_t asid,
                                            unsigned int pgshift, uint64_t va)
{
    const struct walk_entry *best = NULL;

    for (unsigned int i = 0; i < SMMU_MODEL_WALK_ENTRIES; i++) {
        const struct walk_entry *e = &m->walk[i];

        if (e->valid && e->vmid == vmid && e->asid == asid &&
            e->pgshift == pgshift && va - e->va_base < e->va_size &&
            (!best || e->level > best->level))
            best = e;
    }
    return best;
}

/*
 * Stage-1 walk (Arm ARM D8.2, VMSAv8-64; SMMUv3 3.4 and 5.4 for the
 * address checks), every descriptor address translated through stage 2
 * (CLASS = TTD).
 */
struct s1_leaf {
    uint64_t ipa;               /* output of stage 1 */
    unsigned int level;
    uint64_t leaf_base;
    uint64_t leaf_size;
    unsigned int perms;         /* S1_* */
    bool global;
    unsigned int pgshift;
};

static unsigned int level_shift(unsigned int pgshift, unsigned int level)
{
    return pgshift + (pgshift - 3) * (3 - level);
}

/* Block descriptors exist at L1/L2 for 4K, at L2 for 16K and 64K. */
static bool block_allowed(unsigned int pgshift, unsigned int level)
{
    return level == 2 || (level == 1 && pgshift == 12);
}

/*
 * Arm ARM D8.4 (AP[2:1], APTable) and CD.PAN.  Unprivileged access needs
 * AP[1] = 1 and no APTable[0] above; writes need AP[2] = 0 and no
 * APTable[1] above.
 */
static unsigned int s1_perms(uint64_t desc, uint64_t aptable, bool pan)
{
    bool el0 = (desc & DESC_AP_UNPRIV) && !(aptable & DESC_APTABLE_NO_EL0);
    bool ro = (desc & DESC_AP_RDONLY) || (aptable & DESC_APTABLE_RDONLY);
    unsigned int perms = 0;

    if (el0)
        perms |= S1_UNPRIV_READ | (ro ? 0 : S1_UNPRIV_WRITE);
    if (!(pan && el0))
        perms |= S1_PRIV_READ | (ro ? 0 : S1_PRIV_WRITE);
    return perms;
}

static unsigned int s1_needed(unsigned int access)
{
    bool write = access & SMMU_MODEL_ACCESS_WRITE;

    if (access & SMMU_MODEL_ACCESS_PRIV)
        return write ? S1_PRIV_WRITE : S1_PRIV_READ;
    return write ? S1_UNPRIV_WRITE : S1_UNPRIV_READ;
}

static int s1_walk(struct smmu_model *m, const struct stream *st,
                   const struct cd_cfg *c, const struct txn *t,
                   struct s1_leaf *leaf, struct fault *f)
{
    /* Arm ARM D8.1.3: VA[55] selects the region, TBI ignores [63:56]. */
    unsigned int region = (t->iova >> 55) & 1;
    const struct tt_region *tt = &c->tt[region];
    unsigned int top = c->tbi[region] ? 55 : 63;
    uint64_t va = t->iova, table, aptable = 0, upper, ones;
    unsigned int pgshift, stride, inputsize, start_level, level;
    uint16_t vmid = st->owner->vmid;
    const struct walk_entry *we;

    if (tt->disabled)
        return set_fault(f, SMMU_EVT_F_TRANSLATION, region ? "CD.EPD1"
                                                           : "CD.EPD0");
    pgshift = tt->pgshift;
    stride = pgshift - 3;
    inputsize = 64 - tt->tsz;
    /* Bits [top:inputsize] must all equal VA[55]. */
    upper = (va >> inputsize) & ((2ULL << (top - inputsize)) - 1);
    ones = (2ULL << (top - inputsize)) - 1;
    if (upper != (region ? ones : 0))
        return set_fault(f, SMMU_EVT_F_TRANSLATION, "VA outside TxSZ");

    /* Arm ARM D8.2.6: the start level resolves the remaining top bits. */
    start_level = 4 - (inputsize - 4) / stride;
    level = start_level;
    table = tt->ttb;
    we = walk_lookup(m, vmid, c->asid, pgshift, va);
    if (we) {
        m->stats.walk_cache_hits++;
        level = we->level + 1;
        table = we->next_table;
        aptable = we->aptable;
    }

    for (;; level++) {
        unsigned int shift = level_shift(pgshift, level);
        unsigned int bits = level == start_level ? inputsize - shift
                                                 : stride;
        uint64_t index = (va >> shift) & ((1ULL << bits) - 1);
        uint64_t desc_ipa = table + index * 8, desc, oa;
        uint8_t raw[8];

        m->stats.desc_fetches++;
        if (read_ipa(m, st->owner, desc_ipa, SMMU_EVT_CLASS_TTD, raw,
                     sizeof(raw), f))
            return -1;
        desc = le64_to_host(raw);
        if (!(desc & DESC_VALID))
            return set_fault(f, SMMU_EVT_F_TRANSLATION, "S1 invalid desc");
        /* Output address bits [51:shift]; above eff_IPS is a fault (5.4). */
        oa = desc & GENMASK_ULL(51, (desc & DESC_TABLE) ? pgshift : shift);
        if (level < 3 && (desc & DESC_TABLE)) {
            struct walk_entry e = {
                .vmid = vmid, .asid = c->asid, .pgshift = pgshift,
                .level = level,
                .va_base = va & ~((1ULL << shift) - 1),
                .va_size = 1ULL << shift,
                .next_table = oa,
                .aptable = aptable | (desc & (DESC_APTABLE_NO_EL0 |
                                              DESC_APTABLE_RDONLY)),
            };

            if (oa >> c->eff_ips)
                return set_fault(f, SMMU_EVT_F_ADDR_SIZE, "S1 table OA");
            walk_insert(m, &e);
            table = oa;
            aptable = e.aptable;
            continue;
        }
        if (level == 3 ? !(desc & DESC_TABLE)
                       : !block_allowed(pgshift, level))
            return set_fault(f, SMMU_EVT_F_TRANSLATION, "S1 reserved desc");
        if (oa >> c->eff_ips)
            return set_fault(f, SMMU_EVT_F_ADDR_SIZE, "S1 output OA");
        /* 5.4 AFFD; HA is ILLEGAL here, so AF = 0 always faults. */
        if (!(desc & DESC_AF) && !c->affd)
            return set_fault(f, SMMU_EVT_F_ACCESS, "S1 AF");
        leaf->perms = s1_perms(desc, aptable, c->pan);
        if (!(leaf->perms & s1_needed(t->access)))
            return set_fault(f, SMMU_EVT_F_PERMISSION, "S1 AP");
        leaf->level = level;
        leaf->pgshift = pgshift;
        leaf->leaf_size = 1ULL << shift;
        leaf->leaf_base = va & ~(leaf->leaf_size - 1);
        leaf->ipa = oa | (va & (leaf->leaf_size - 1));
        leaf->global = !(desc & DESC_NG);
        return 0;
    }
}

/*
 * The data path.
 */
static int dma_s2_only(struct smmu_model *m, const struct stream *st,
                       const struct txn *t, uint64_t *pa,
                       uint64_t evt_out[4])
{
    bool write = t->access & SMMU_MODEL_ACCESS_WRITE;
    unsigned int need = write ? SMMU_MODEL_S2_WRITE : SMMU_MODEL_S2_READ;
    struct tlb_entry *hit = tlb_lookup(m, true, st->owner->vmid, 0, t->iova);
    struct tlb_entry e = { 0 };
    struct fault f;

    if (hit) {
        m->stats.tlb_hits++;
        if (!(hit->s2_perms & need)) {
            set_fault(&f, SMMU_EVT_F_PERMISSION, "S2 permission (TLB)");
            f.s2 = true;
            f.class = SMMU_EVT_CLASS_IN;
            f.ipa = t->iova;
            return terminate(m, t, &f, true, evt_out);
        }
        *pa = hit->pa_base + (t->iova - hit->va_base);
        return SMMU_MODEL_DMA_OK;
    }
    m->stats.tlb_misses++;
    if (s2_translate(st->owner, t->iova, write, SMMU_EVT_CLASS_IN, pa, &f))
        return terminate(m, t, &f, true, evt_out);
    /* Stage 2 is mapped at 4 KiB granularity: cache that page. */
    e.s2_only = true;
    e.vmid = st->owner->vmid;
    e.va_base = e.ipa_base = t->iova & ~(SMALLEST_PAGE - 1);
    e.size = SMALLEST_PAGE;
    e.pa_base = *pa & ~(SMALLEST_PAGE - 1);
    e.s1_perms = S1_ALL;
    e.s2_perms = s2_find(st->owner, t->iova)->perms;
    tlb_insert(m, &e);
    return SMMU_MODEL_DMA_OK;
}

/*
 * The TLB entry for a completed nested walk: the whole stage-1 leaf when
 * its IPA range lies in one stage-2 range, else the 4 KiB page.
 */
static void tlb_fill_nested(struct smmu_model *m, const struct stream *st,
                            const struct cd_cfg *c, const struct s1_leaf *l,
                            uint64_t iova, uint64_t pa)
{
    uint64_t leaf_ipa = l->ipa & ~(l->leaf_size - 1);
    const struct s2_range *r = s2_find(st->owner, leaf_ipa);
    struct tlb_entry e = {
        .vmid = st->owner->vmid, .asid = c->asid, .global = l->global,
        .pgshift = l->pgshift, .level = l->level,
        .leaf_base = l->leaf_base, .leaf_size = l->leaf_size,
        .s1_perms = l->perms,
    };

    if (r && leaf_ipa + l->leaf_size - r->ipa <= r->size) {
        e.va_base = l->leaf_base;
        e.size = l->leaf_size;
        e.ipa_base = leaf_ipa;
    } else {
        e.va_base = iova & ~(SMALLEST_PAGE - 1);
        e.size = SMALLEST_PAGE;
        e.ipa_base = l->ipa & ~(SMALLEST_PAGE - 1);
        r = s2_find(st->owner, e.ipa_base);
    }
    e.pa_base = pa - (iova - e.va_base);
    e.s2_perms = r->perms;
    tlb_insert(m, &e);
}

static int dma_nested(struct smmu_model *m, struct stream *st,
                      const struct txn *t, uint64_t *pa, uint64_t evt_out[4])
{
    bool write = t->access & SMMU_MODEL_ACCESS_WRITE;
    uint64_t ste0 = st->s1_ste[0], ste1 = st->s1_ste[1];
    struct tlb_entry *hit;
    struct s1_leaf leaf = { 0 };
    struct cd_cfg c;
    struct fault f;

    /*
     * 5.2: SSIDSIZE = 0 admits S1CDMax = 0 only; 5.5: S1STALLD with
     * STALL_MODEL = 0b01 (with 0b00 the driver sets it anyway);
     * S1ContextPtr beyond the OAS.
     */
    if (MASK_EXTR(ste0, SMMU_STE0_S1CDMAX)) {
        set_fault(&f, SMMU_EVT_C_BAD_STE, "STE.S1CDMax");
        return terminate(m, t, &f, true, evt_out);
    }
    if ((ste1 & SMMU_STE1_S1STALLD) &&
        m->cfg.stall != SMMU_MODEL_STALL_OPTIONAL) {
        set_fault(&f, SMMU_EVT_C_BAD_STE, "STE.S1STALLD");
        return terminate(m, t, &f, true, evt_out);
    }
    if ((ste0 & SMMU_STE0_S1CTXPTR) >> OAS_BITS) {
        set_fault(&f, SMMU_EVT_C_BAD_STE, "STE.S1ContextPtr");
        return terminate(m, t, &f, true, evt_out);
    }
    if (get_cd(m, st, &c, &f))
        return terminate(m, t, &f, true, evt_out);

    hit = tlb_lookup(m, false, st->owner->vmid, c.asid, t->iova);
    if (hit) {
        m->stats.tlb_hits++;
        if (!(hit->s1_perms & s1_needed(t->access))) {
            set_fault(&f, SMMU_EVT_F_PERMISSION, "S1 AP (TLB)");
            return terminate(m, t, &f, c.record_faults, evt_out);
        }
        if (!(hit->s2_perms & (write ? SMMU_MODEL_S2_WRITE
                                     : SMMU_MODEL_S2_READ))) {
            set_fault(&f, SMMU_EVT_F_PERMISSION, "S2 permission (TLB)");
            f.s2 = true;
            f.class = SMMU_EVT_CLASS_IN;
            f.ipa = hit->ipa_base + (t->iova - hit->va_base);
            return terminate(m, t, &f, true, evt_out);
        }
        *pa = hit->pa_base + (t->iova - hit->va_base);
        return SMMU_MODEL_DMA_OK;
    }
    m->stats.tlb_misses++;
    if (s1_walk(m, st, &c, t, &leaf, &f)) {
        /* Stage-1 faults are stage 1's, CLASS = IN (7.3). */
        if (!f.s2 && f.id != SMMU_EVT_F_WALK_EABT)
            f.class = SMMU_EVT_CLASS_IN;
        return terminate(m, t, &f, c.record_faults, evt_out);
    }
    if (s2_translate(st->owner, leaf.ipa, write, SMMU_EVT_CLASS_IN, pa, &f))
        return terminate(m, t, &f, true, evt_out);
    tlb_fill_nested(m, st, &c, &leaf, t->iova, *pa);
    return SMMU_MODEL_DMA_OK;
}

int smmu_model_dma(struct smmu_model *m, uint32_t psid, uint64_t iova,
                   unsigned int access, size_t size, uint64_t *pa_out,
                   uint64_t evt_out[4])
{
    unsigned int rw = access & (SMMU_MODEL_ACCESS_READ |
                                SMMU_MODEL_ACCESS_WRITE);
    struct txn t = { psid, iova, access };
    struct stream *st;
    struct fault f;
    uint64_t pa = 0;
    int ret;

    if ((rw != SMMU_MODEL_ACCESS_READ && rw != SMMU_MODEL_ACCESS_WRITE) ||
        (access & ~(rw | SMMU_MODEL_ACCESS_PRIV)) || !size ||
        size > SMALLEST_PAGE - (iova & (SMALLEST_PAGE - 1)))
        return -EINVAL;
    m->stats.dmas++;
    if (evt_out)
        memset(evt_out, 0, 4 * sizeof(evt_out[0]));

    /* 7.3.3: StreamID beyond the stream table. */
    if (psid >= (1U << SMMU_MODEL_SIDSIZE)) {
        set_fault(&f, SMMU_EVT_C_BAD_STREAMID, "StreamID out of range");
        return terminate(m, &t, &f, true, evt_out);
    }
    st = find_stream(m, psid);
    switch (st ? st->state : STE_INVALID) {
    case STE_INVALID:
        /* 5.2: STE.V = 0. */
        set_fault(&f, SMMU_EVT_C_BAD_STE, "STE.V");
        return terminate(m, &t, &f, true, evt_out);
    case STE_ABORT:
        /* 5.2: Config = abort terminates without an event. */
        m->last_fault_reason = "STE.Config=abort";
        m->stats.silent_aborts++;
        return SMMU_MODEL_DMA_ABORTED;
    case STE_S2_ONLY:
        ret = dma_s2_only(m, st, &t, &pa, evt_out);
        break;
    case STE_BAD:
        set_fault(&f, SMMU_EVT_C_BAD_STE, st->bad);
        return terminate(m, &t, &f, true, evt_out);
    case STE_NESTED:
    default:
        ret = dma_nested(m, st, &t, &pa, evt_out);
        break;
    }
    if (ret == SMMU_MODEL_DMA_OK && pa_out)
        *pa_out = pa;
    return ret;
}

/*
 * The ops table.
 */
int smmu_model_install_nested(void *priv, uint32_t psid,
                              const uint64_t ste[2])
{
    struct smmu_model_domain *d = priv;
    struct smmu_model *m = d->m;
    struct stream *st;
    int err;

    m->stats.installs_nested++;
    st = owned_stream(d, psid, &err);
    if (!st)
        return err;
    if ((ste[0] & ~SMMU_STE0_GUEST_MASK) || (ste[1] & ~SMMU_STE1_GUEST_MASK))
        return refuse(m, -EINVAL,
                      "install_nested(pSID %u): bits outside the nesting "
                      "whitelist (%#llx %#llx)", psid,
                      (unsigned long long)(ste[0] & ~SMMU_STE0_GUEST_MASK),
                      (unsigned long long)(ste[1] & ~SMMU_STE1_GUEST_MASK));
    if (!(ste[0] & SMMU_STE0_V) ||
        MASK_EXTR(ste[0], SMMU_STE0_CONFIG) != SMMU_STE_CONFIG_S1_TRANS)
        return refuse(m, -EINVAL,
                      "install_nested(pSID %u): not V=1 Config=S1_TRANS", psid);
    if (m->cfg.stall == SMMU_MODEL_STALL_FORCED)
        return refuse(m, -EINVAL, "install_nested(pSID %u): %s", psid,
                      STALLS_FORCED);
    write_ste(st, STE_NESTED, ste);
    return 0;
}

int smmu_model_set_abort(void *priv, uint32_t psid)
{
    struct smmu_model_domain *d = priv;
    struct stream *st;
    int err;

    d->m->stats.sets_abort++;
    st = owned_stream(d, psid, &err);
    if (!st)
        return err;
    write_ste(st, STE_ABORT, NULL);
    return 0;
}

int smmu_model_set_s2_only(void *priv, uint32_t psid)
{
    struct smmu_model_domain *d = priv;
    struct stream *st;
    int err;

    d->m->stats.sets_s2_only++;
    st = owned_stream(d, psid, &err);
    if (!st)
        return err;
    if (d->m->cfg.stall == SMMU_MODEL_STALL_FORCED)
        return refuse(d->m, -EINVAL, "set_s2_only(pSID %u): %s", psid,
                      STALLS_FORCED);
    write_ste(st, STE_S2_ONLY, NULL);
    return 0;
}

/*
 * Raw STEs (5.2).  The checks of a stage-1 half; NULL if it is legal.
 */
static const char *decode_s1(const struct smmu_model *m, const uint64_t ste[4])
{
    if (ste[0] & SMMU_STE0_S1FMT)
        return "STE.S1Fmt";
    /* SSIDSIZE = 0. */
    if (MASK_EXTR(ste[0], SMMU_STE0_S1CDMAX))
        return "STE.S1CDMax";
    if ((ste[0] & SMMU_STE0_S1CTXPTR) >> OAS_BITS)
        return "STE.S1ContextPtr";
    /* Only NS-EL1 without IDR0.HYP. */
    if (ste[1] & SMMU_STE1_STRW)
        return "STE.STRW";
    /* 5.5: RES0 (here ILLEGAL) without stalls, ILLEGAL with forced ones. */
    if ((ste[1] & SMMU_STE1_S1STALLD) &&
        m->cfg.stall != SMMU_MODEL_STALL_OPTIONAL)
        return "STE.S1STALLD";
    return NULL;
}

/* The checks of a stage-2 half: AArch64, little endian, no HTTU. */
static const char *decode_s2(const struct smmu_model *m, const uint64_t ste[4])
{
    uint64_t w2 = ste[2];
    unsigned int t0sz = MASK_EXTR(w2, SMMU_STE2_S2T0SZ);

    if (w2 & ~STE2_KNOWN)
        return "STE word 2 RES0";
    if (ste[3] & ~SMMU_STE3_S2TTB)
        return "STE word 3 RES0";
    if (!(w2 & SMMU_STE2_S2AA64))
        return "STE.S2AA64";
    if (w2 & SMMU_STE2_S2ENDI)
        return "STE.S2ENDI";
    if (w2 & (SMMU_STE2_S2HA | SMMU_STE2_S2HD))
        return "STE.S2HA/S2HD";
    if (MASK_EXTR(w2, SMMU_STE2_S2TG) == 3)
        return "STE.S2TG";
    if (t0sz < 16 || t0sz > 39)
        return "STE.S2T0SZ";
    if (MASK_EXTR(w2, SMMU_STE2_S2SL0) == 3)
        return "STE.S2SL0";
    if ((w2 & SMMU_STE2_S2S) && m->cfg.stall == SMMU_MODEL_STALL_TERM_ONLY)
        return "STE.S2S";
    if ((ste[3] & SMMU_STE3_S2TTB) >> OAS_BITS)
        return "STE.S2TTB";
    return NULL;
}

void smmu_model_decode_ste(const struct smmu_model *m, const uint64_t ste[4],
                           struct smmu_model_ste *out)
{
    unsigned int config = MASK_EXTR(ste[0], SMMU_STE0_CONFIG);
    const char *bad = NULL;

    memset(out, 0, sizeof(*out));
    if (!(ste[0] & SMMU_STE0_V)) {
        out->kind = SMMU_MODEL_STE_INVALID;
        return;
    }
    /* Abort uses V and Config only. */
    if (config == SMMU_STE_CONFIG_ABORT) {
        out->kind = SMMU_MODEL_STE_ABORT;
        out->used[0] = ste[0] & (SMMU_STE0_V | SMMU_STE0_CONFIG);
        return;
    }

    if (config < SMMU_STE_CONFIG_BYPASS)
        bad = "STE.Config";
    else if (ste[0] & STE0_RES0)
        bad = "STE word 0 RES0";
    else if (ste[1] & ~STE1_KNOWN)
        bad = "STE word 1 (unmodelled field)";
    else if (ste[1] & SMMU_STE1_EATS)
        bad = "STE.EATS";       /* IDR0.ATS = 0 */
    else if (config & 1)        /* stage 1 */
        bad = decode_s1(m, ste);
    if (!bad && (config & 2))   /* stage 2 */
        bad = decode_s2(m, ste);
    if (bad) {
        out->kind = SMMU_MODEL_STE_ILLEGAL;
        out->bad = bad;
        memcpy(out->used, ste, sizeof(out->used));
        return;
    }

    out->used[0] = ste[0] & (SMMU_STE0_V | SMMU_STE0_CONFIG);
    /* S1DSS matters only with substreams (S1CDMax != 0). */
    out->used[1] = ste[1] & ~(config & 1 ? SMMU_STE1_S1DSS : STE1_S1_FIELDS);
    if (config & 1)
        out->used[0] |= ste[0] & STE0_S1_FIELDS;
    if (config & 2) {
        out->used[2] = ste[2];
        out->used[3] = ste[3];
    }
    out->kind = config == SMMU_STE_CONFIG_BYPASS ? SMMU_MODEL_STE_BYPASS :
                config == SMMU_STE_CONFIG_S1_TRANS ? SMMU_MODEL_STE_S1 :
                config == SMMU_STE_CONFIG_S2_TRANS ? SMMU_MODEL_STE_S2 :
                SMMU_MODEL_STE_NESTED;
}

bool smmu_model_same_ste(const struct smmu_model_ste *a,
                         const struct smmu_model_ste *b)
{
    return a->kind == b->kind &&
           (a->kind == SMMU_MODEL_STE_INVALID ||
            !memcmp(a->used, b->used, sizeof(a->used)));
}

/* Why words 2 and 3 are not @d's stage 2, or NULL. */
static const char *s2_mismatch(const struct smmu_model_domain *d,
                               const uint64_t ste[4])
{
    uint64_t s2[2];

    smmu_model_domain_s2_words(d, &s2[0], &s2[1]);
    if ((ste[2] ^ s2[0]) & SMMU_STE2_S2VMID)
        return "STE.S2VMID (not the domain's)";
    if ((ste[2] ^ s2[0]) & SMMU_STE2_VTCR)
        return "STE.VTCR (not the domain's stage 2)";
    if (ste[3] != s2[1])
        return "STE.S2TTB (not the domain's stage 2)";
    if (ste[2] != s2[0])
        return "STE word 2 (not the domain's stage-2 flags)";
    return NULL;
}

int smmu_model_write_raw_ste(struct smmu_model_domain *d, uint32_t psid,
                             const uint64_t ste[4])
{
    struct smmu_model *m = d->m;
    struct smmu_model_ste dec;
    const char *why = NULL;
    struct stream *st;
    uint64_t words[2];
    int err;

    m->stats.raw_writes++;
    st = owned_stream(d, psid, &err);
    if (!st)
        return err;

    smmu_model_decode_ste(m, ste, &dec);
    switch (dec.kind) {
    case SMMU_MODEL_STE_INVALID:
        write_ste(st, STE_INVALID, NULL);
        return refuse(m, -EINVAL, "write_raw_ste(pSID %u): STE.V = 0", psid);
    case SMMU_MODEL_STE_ILLEGAL:
        why = dec.bad;
        break;
    case SMMU_MODEL_STE_ABORT:
        write_ste(st, STE_ABORT, NULL);
        return 0;
    case SMMU_MODEL_STE_BYPASS:
        /* S8.4: never a physical bypass. */
        why = "STE.Config = bypass (not represented)";
        break;
    case SMMU_MODEL_STE_S1:
        why = "STE.Config = stage 1 only (not represented)";
        break;
    case SMMU_MODEL_STE_S2:
    case SMMU_MODEL_STE_NESTED:
        why = s2_mismatch(d, ste);
        if (!why && MASK_EXTR(ste[1], SMMU_STE1_SHCFG) !=
                    SMMU_STE_SHCFG_INCOMING)
            why = "STE.SHCFG (only incoming attributes are represented)";
        if (!why && m->cfg.stall == SMMU_MODEL_STALL_FORCED)
            why = STALLS_FORCED;
        if (!why && dec.kind == SMMU_MODEL_STE_NESTED &&
            m->cfg.stall == SMMU_MODEL_STALL_OPTIONAL &&
            !(ste[1] & SMMU_STE1_S1STALLD))
            why = "STE.S1STALLD = 0 (stalls are not represented)";
        if (why)
            break;
        if (dec.kind == SMMU_MODEL_STE_S2) {
            write_ste(st, STE_S2_ONLY, NULL);
            return 0;
        }
        /* The guest words install_nested would have been given. */
        words[0] = SMMU_STE0_V |
                   MASK_INSR(SMMU_STE_CONFIG_S1_TRANS, SMMU_STE0_CONFIG) |
                   (ste[0] & SMMU_STE0_S1CTXPTR);
        words[1] = ste[1] & (SMMU_STE1_S1CIR | SMMU_STE1_S1COR |
                             SMMU_STE1_S1CSH);
        write_ste(st, STE_NESTED, words);
        return 0;
    }
    write_ste(st, STE_BAD, NULL);
    st->bad = why;
    return refuse(m, -EINVAL, "write_raw_ste(pSID %u): %s", psid, why);
}

/*
 * 4.4.1.1: a TLBI_NH_VA/VAA names either one address (TG = 0: entries
 * containing it, any granule, no level hint) or, with RIL, the range
 * [ADDR, ADDR + (NUM + 1) * 2^SCALE * granule(TG)) with an optional level
 * hint TTL for entries of granule TG.
 */
struct va_scope {
    uint64_t start;
    uint64_t end;               /* exclusive, saturated at 2^64 - 1 */
    unsigned int pgshift;       /* 0: any granule */
    unsigned int ttl;           /* 0: any level */
};

static void va_scope(const uint64_t cmd[2], struct va_scope *s)
{
    unsigned int tg = MASK_EXTR(cmd[1], SMMU_CMD1_TLBI_TG);
    uint64_t pages, len;

    s->start = cmd[1] & SMMU_CMD1_TLBI_ADDR;
    s->pgshift = 0;
    s->ttl = 0;
    if (!tg) {
        s->end = s->start + 1;
        return;
    }
    s->pgshift = 10 + 2 * tg;
    s->ttl = MASK_EXTR(cmd[1], SMMU_CMD1_TLBI_TTL);
    /* TTL = 1 is reserved for 16K without DS and behaves as 0. */
    if (s->pgshift == 14 && s->ttl == 1)
        s->ttl = 0;
    pages = (MASK_EXTR(cmd[0], SMMU_CMD0_TLBI_NUM) + 1) <<
            MASK_EXTR(cmd[0], SMMU_CMD0_TLBI_SCALE);
    len = pages << s->pgshift;
    /* The address does not wrap (4.4.1.1). */
    s->end = s->start + len < s->start ? UINT64_MAX : s->start + len;
}

/* Does [base, base + size) meet the scope?  (Inclusive ends: no wrap.) */
static bool overlaps(uint64_t base, uint64_t size, const struct va_scope *s)
{
    return base <= s->end - 1 && base + (size - 1) >= s->start;
}

static void inval_va(struct smmu_model *m, const uint64_t cmd[2], bool by_asid)
{
    uint16_t vmid = MASK_EXTR(cmd[0], SMMU_CMD0_TLBI_VMID);
    uint16_t asid = MASK_EXTR(cmd[0], SMMU_CMD0_TLBI_ASID);
    bool leaf_only = cmd[1] & SMMU_CMD1_TLBI_LEAF;
    struct va_scope s;

    va_scope(cmd, &s);
    for (unsigned int i = 0; i < m->tlb_size; i++) {
        struct tlb_entry *e = &m->tlb[i];

        /* 4.4.2.4: NH_VA also removes global entries of the VMID. */
        if (e->valid && !e->s2_only && e->vmid == vmid &&
            (!by_asid || e->global || e->asid == asid) &&
            (!s.pgshift || e->pgshift == s.pgshift) &&
            (!s.ttl || e->level == s.ttl) &&
            overlaps(e->leaf_base, e->leaf_size, &s))
            e->valid = false;
    }
    if (leaf_only)
        return;
    /* Leaf = 0: the table entries walked, above the TTL level if given. */
    for (unsigned int i = 0; i < SMMU_MODEL_WALK_ENTRIES; i++) {
        struct walk_entry *e = &m->walk[i];

        if (e->valid && e->vmid == vmid && (!by_asid || e->asid == asid) &&
            (!s.pgshift || e->pgshift == s.pgshift) &&
            (!s.ttl || e->level < s.ttl) &&
            overlaps(e->va_base, e->va_size, &s))
            e->valid = false;
    }
}

/*
 * Drop TLB and walk-cache entries of @vmid (all VMIDs if @all_vmids); of
 * one ASID if @asid >= 0 (non-global ones only, 4.4.2.2); stage-1 derived
 * ones only unless @with_s2_only.
 */
static void inval_context(struct smmu_model *m, bool all_vmids, uint16_t vmid,
                          int asid, bool with_s2_only)
{
    for (unsigned int i = 0; i < m->tlb_size; i++) {
        struct tlb_entry *e = &m->tlb[i];

        if (e->valid && (all_vmids || e->vmid == vmid) &&
            (with_s2_only || !e->s2_only) &&
            (asid < 0 || (!e->s2_only && !e->global && e->asid == asid)))
            e->valid = false;
    }
    for (unsigned int i = 0; i < SMMU_MODEL_WALK_ENTRIES; i++) {
        struct walk_entry *e = &m->walk[i];

        if (e->valid && (all_vmids || e->vmid == vmid) &&
            (asid < 0 || e->asid == asid))
            e->valid = false;
    }
}

static void inval_cds(struct smmu_model *m, uint32_t first, uint64_t count)
{
    for (size_t i = 0; i < m->nr_streams; i++)
        if (m->streams[i].psid - (uint64_t)first < count)
            m->streams[i].cd_cached = false;
}

/* Apply one command that queue_inval accepted (at sync time). */
static void apply_cmd(struct smmu_model *m, const uint64_t cmd[2])
{
    uint16_t vmid = MASK_EXTR(cmd[0], SMMU_CMD0_TLBI_VMID);
    uint32_t sid = MASK_EXTR(cmd[0], SMMU_CMD0_SID);
    unsigned int range;

    switch (MASK_EXTR(cmd[0], SMMU_CMD_OPCODE)) {
    case SMMU_OP_TLBI_NH_ALL:           /* 4.4.2.1: VMALLE1 */
        inval_context(m, false, vmid, -1, false);
        break;
    case SMMU_OP_TLBI_NH_ASID:          /* 4.4.2.2: ASIDE1 */
        inval_context(m, false, vmid,
                      MASK_EXTR(cmd[0], SMMU_CMD0_TLBI_ASID), false);
        break;
    case SMMU_OP_TLBI_NH_VA:            /* 4.4.2.4: VA{L}E1 */
        inval_va(m, cmd, true);
        break;
    case SMMU_OP_TLBI_NH_VAA:           /* 4.4.2.3: VAA{L}E1 */
        inval_va(m, cmd, false);
        break;
    case SMMU_OP_TLBI_S12_VMALL:        /* 4.4.3: stage 1 and 2 of VMID */
        inval_context(m, false, vmid, -1, true);
        break;
    case SMMU_OP_TLBI_NSNH_ALL:         /* 4.4.4: all NS non-hyp entries */
        inval_context(m, true, 0, -1, true);
        break;
    case SMMU_OP_CFGI_STE:              /* 4.3.1: STE and its CDs */
    case SMMU_OP_CFGI_CD_ALL:           /* 4.3.4 */
        inval_cds(m, sid, 1);
        break;
    case SMMU_OP_CFGI_STE_RANGE:        /* 4.3.2: aligned 2^(Range+1) */
        range = MASK_EXTR(cmd[1], SMMU_CMD1_CFGI_RANGE);
        sid &= ~(uint32_t)((2ULL << range) - 1);
        inval_cds(m, sid, 2ULL << range);
        break;
    case SMMU_OP_CFGI_CD:
        /*
         * 4.3.3: SSIDSIZE = 0, so only SubstreamID 0 names a CD; another
         * value is out of range and the model lets it do nothing.
         */
        if (!MASK_EXTR(cmd[0], SMMU_CMD0_SSID))
            inval_cds(m, sid, 1);
        break;
    }
}

/* Does a CFGI reach a stream that the issuing domain does not own? */
static bool cfgi_is_foreign(const struct smmu_model *m,
                            const struct smmu_model_domain *d,
                            const uint64_t cmd[2])
{
    uint32_t sid = MASK_EXTR(cmd[0], SMMU_CMD0_SID);
    uint64_t count = 1;

    if (MASK_EXTR(cmd[0], SMMU_CMD_OPCODE) == SMMU_OP_CFGI_STE_RANGE) {
        unsigned int range = MASK_EXTR(cmd[1], SMMU_CMD1_CFGI_RANGE);

        count = 2ULL << range;
        sid &= ~(uint32_t)(count - 1);
    } else {
        const struct stream *st = find_stream(m, sid);

        return !st || st->owner != d;
    }
    for (size_t i = 0; i < m->nr_streams; i++)
        if (m->streams[i].psid - (uint64_t)sid < count &&
            m->streams[i].owner != d)
            return true;
    return false;
}

/*
 * Is this a command the physical SMMU would execute?  NULL if so, else why
 * not (what a physical SMMU would answer with CERROR_ILL, or what the
 * relay must never send).
 */
static const char *check_cmd(const struct smmu_model *m, const uint64_t cmd[2])
{
    unsigned int op = MASK_EXTR(cmd[0], SMMU_CMD_OPCODE);
    unsigned int tg, ttl, num, scale;

    switch (op) {
    case SMMU_OP_TLBI_NH_ALL:
    case SMMU_OP_TLBI_NH_ASID:
    case SMMU_OP_TLBI_S12_VMALL:
    case SMMU_OP_TLBI_NSNH_ALL:
        return NULL;
    case SMMU_OP_TLBI_NH_VA:
    case SMMU_OP_TLBI_NH_VAA:
        tg = MASK_EXTR(cmd[1], SMMU_CMD1_TLBI_TG);
        ttl = MASK_EXTR(cmd[1], SMMU_CMD1_TLBI_TTL);
        num = MASK_EXTR(cmd[0], SMMU_CMD0_TLBI_NUM);
        scale = MASK_EXTR(cmd[0], SMMU_CMD0_TLBI_SCALE);
        if (!m->cfg.ril && (tg || ttl || num || scale))
            return "range/TTL fields set while IDR3.RIL = 0";
        if (!tg && (ttl || num || scale))
            return "TTL/NUM/SCALE set with TG = 0 (RES0)";
        /* 4.4.1.1: TG != 0 with NUM = SCALE = TTL = 0 is Reserved. */
        if (tg && !ttl && !num && !scale)
            return "TG set with NUM = SCALE = TTL = 0 (Reserved)";
        return NULL;
    case SMMU_OP_CFGI_STE:
    case SMMU_OP_CFGI_STE_RANGE:
    case SMMU_OP_CFGI_CD:
    case SMMU_OP_CFGI_CD_ALL:
        /* Non-secure only: SSec = 1 is CERROR_ILL (4.1.6). */
        return (cmd[0] & SMMU_CMD0_SSEC) ? "SSec = 1 on the NS queue" : NULL;
    case SMMU_OP_CMD_SYNC:
        return "CMD_SYNC queued (the sync op completes commands)";
    default:
        return "not a command the relay may send";
    }
}

static bool op_has_vmid(unsigned int op)
{
    return op == SMMU_OP_TLBI_NH_ALL || op == SMMU_OP_TLBI_NH_ASID ||
           op == SMMU_OP_TLBI_NH_VA || op == SMMU_OP_TLBI_NH_VAA ||
           op == SMMU_OP_TLBI_S12_VMALL;
}

static bool op_has_sid(unsigned int op)
{
    return op == SMMU_OP_CFGI_STE || op == SMMU_OP_CFGI_STE_RANGE ||
           op == SMMU_OP_CFGI_CD || op == SMMU_OP_CFGI_CD_ALL;
}

int smmu_model_queue_inval(void *priv, const uint64_t (*cmds)[2],
                           unsigned int nr)
{
    struct smmu_model_domain *d = priv;
    struct smmu_model *m = d->m;
    int ret = 0;

    for (unsigned int i = 0; i < nr; i++) {
        unsigned int op = MASK_EXTR(cmds[i][0], SMMU_CMD_OPCODE);
        const char *why = check_cmd(m, cmds[i]);
        struct smmu_model_cmd_record *rec = NULL;

        m->stats.cmds[op]++;
        m->stats.cmds_total++;
        if (m->nr_log < CMD_LOG_MAX &&
            !grow((void **)&m->log, &m->cap_log, m->nr_log + 1,
                  sizeof(*m->log))) {
            rec = &m->log[m->nr_log++];
            rec->cmd[0] = cmds[i][0];
            rec->cmd[1] = cmds[i][1];
            rec->issuer_vmid = d->vmid;
            rec->sync_epoch = m->stats.syncs;
            rec->refused = why != NULL;
        }
        if (why) {
            /* Like Linux's CERROR_ILL skip: drop it, carry on. */
            ret = refuse(m, -EINVAL, "command %u (opcode %#x): %s", i, op,
                         why);
            continue;
        }
        if (op_has_vmid(op)) {
            uint16_t vmid = MASK_EXTR(cmds[i][0], SMMU_CMD0_TLBI_VMID);

            m->stats.last_vmid = vmid;
            if (vmid != d->vmid)
                m->stats.vmid_mismatches++;
        }
        if (op_has_sid(op) && cfgi_is_foreign(m, d, cmds[i]))
            m->stats.foreign_sids++;
        if (grow((void **)&m->pending, &m->cap_pending, m->nr_pending + 1,
                 sizeof(*m->pending))) {
            if (rec)
                rec->refused = true;
            ret = refuse(m, -ENOMEM, "command queue allocation failed");
            continue;
        }
        m->pending[m->nr_pending][0] = cmds[i][0];
        m->pending[m->nr_pending][1] = cmds[i][1];
        m->nr_pending++;
        m->stats.pending = m->nr_pending;
    }
    return ret;
}

/* 4.7.3 CMD_SYNC: every earlier command has taken effect afterwards. */
int smmu_model_sync(void *priv)
{
    struct smmu_model_domain *d = priv;
    struct smmu_model *m = d->m;

    for (size_t i = 0; i < m->nr_pending; i++)
        apply_cmd(m, m->pending[i]);
    m->nr_pending = 0;
    m->stats.pending = 0;
    m->stats.syncs++;
    return 0;
}

/*
 * Observation.
 */
const struct smmu_model_stats *smmu_model_stats(const struct smmu_model *m)
{
    return &m->stats;
}

size_t smmu_model_log_count(const struct smmu_model *m)
{
    return m->nr_log;
}

const struct smmu_model_cmd_record *
smmu_model_log_entry(const struct smmu_model *m, size_t i)
{
    return i < m->nr_log ? &m->log[i] : NULL;
}

const char *smmu_model_last_error(const struct smmu_model *m)
{
    return m->last_error;
}

const char *smmu_model_last_fault_reason(const struct smmu_model *m)
{
    return m->last_fault_reason ? m->last_fault_reason : "";
}

const uint64_t *smmu_model_last_event(const struct smmu_model *m)
{
    return m->have_event ? m->last_event : NULL;
}

void smmu_model_reset_stats(struct smmu_model *m)
{
    unsigned long pending = m->stats.pending;

    memset(&m->stats, 0, sizeof(m->stats));
    m->stats.last_vmid = -1;
    m->stats.pending = pending;
    m->nr_log = 0;
    m->last_error[0] = '\0';
    m->last_fault_reason = NULL;
    m->have_event = false;
}
