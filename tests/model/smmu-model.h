/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A software model of a physical Arm SMMUv3 (IHI 0070), used as the test
 * oracle behind the vSMMUv3 device model.
 *
 * It implements the ops table the device model drives (struct
 * vsmmuv3_phys_ops in vsmmu-v3.h) for real: physical STEs per StreamID,
 * nested stage 1 over a per-domain stage 2, a configuration cache for CDs,
 * a TLB and a walk cache tagged by VMID/ASID, and the invalidation commands
 * a physical SMMU receives from the relay.  A simulated device DMA walks
 * STE -> CD -> stage-1 tables -> stage 2 and yields a machine address or a
 * 32-byte event record, exactly as hardware would report it.
 *
 * Wiring into a device-model test (the ops functions take the domain as
 * their priv, so the backend of one vSMMU is one model domain):
 *
 *     static const struct vsmmuv3_phys_ops model_ops = SMMU_MODEL_PHYS_OPS;
 *     struct vsmmuv3_backend be = {
 *         .phys_id = model, .ops = &model_ops, .priv = dom,
 *         .vmid = smmu_model_domain_vmid(dom),
 *     };
 *     smmu_model_read_caps(model, be.caps.idr, &be.caps.iidr, &be.caps.aidr);
 *     smmu_model_set_event_handler(model, route_to_vsmmu, vs);
 *
 * where route_to_vsmmu() calls vsmmuv3_handle_phys_event(vs, model, evt).
 *
 * Modelling choices (each one is what a real SMMU may do; tests rely on
 * them being deterministic):
 * - Queued commands take effect at smmu_model_sync(), never earlier: a relay
 *   that forgets the physical sync leaves stale translations behind.
 * - The STE-changing ops (install_nested, set_abort, set_s2_only) stand for
 *   the physical driver's "write STE, CMD_CFGI_STE, CMD_SYNC": they take
 *   effect at once and drop the CDs cached for that StreamID (4.3.1).
 *   They do not touch the TLB (4.3.1: "not required to affect TLB").
 * - Invalidations do exactly their minimum architectural scope (4.3, 4.4):
 *   no over-invalidation, so a relay that narrows or widens a command's
 *   scope is visible.
 * - Only legal CDs are cached; faulting translations are never cached.
 * - CDs are checked as 5.4 says, which is looser than some emulators:
 *   EPD0 = 1 is legal (TTB0 addresses then take F_TRANSLATION), and a
 *   CD.IPS above the OAS is capped to it, not ILLEGAL.  ILLEGAL, hence
 *   C_BAD_CD: V = 0, AA64 = 0, TxSZ outside [16, 39], a reserved TGx,
 *   TTBx beyond the effective IPS (or 48 bits), ENDI = 1, HA/HD (no HTTU),
 *   S = 1 (no stalls), A = 0 (TERM_MODEL = 1), for each enabled region.
 * - STE checks at transaction time (C_BAD_STE): S1CDMax != 0 (SSIDSIZE is
 *   0), S1STALLD = 1 while STALL_MODEL = 0b01 (5.5), S1ContextPtr beyond
 *   the OAS.  S1Fmt, S1DSS, S1CIR/COR/CSH and EATS are stored and have no
 *   effect (no substreams, no ATS, no cache model).
 * - Stalls are never modelled.  With SMMU_MODEL_STALL_OPTIONAL the STE-
 *   changing ops stand for a driver that disables them (S1STALLD = 1), so
 *   the guest words' S1STALLD has no effect; with SMMU_MODEL_STALL_FORCED
 *   every translating configuration is refused (-EINVAL).
 * - Raw STEs (smmu_model_write_raw_ste()) are decoded as 5.2 says, more
 *   strictly where the model cannot represent something: see there.
 * - A TLB entry holds a complete translation (stage 1 and stage 2
 *   combined); the walk cache holds stage-1 table descriptors.  Stage-2
 *   lookups of descriptor and CD addresses are not cached, so a stage-2
 *   change reaches walks at once but cached translations only through
 *   TLBI_S12_VMALL or TLBI_NSNH_ALL.
 * - Device transactions are unprivileged data accesses unless the access
 *   carries SMMU_MODEL_ACCESS_PRIV; instruction fetches are not modelled.
 * - Stage 2 is a range map, not page tables: it has no access flag, and its
 *   faults are reported with S2 = 1 and the faulting IPA.
 */
#ifndef SMMU_MODEL_H
#define SMMU_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../emul/xen-bits.h"
#include "smmu-v3-arch.h"

struct smmu_model;
struct smmu_model_domain;

/* Machine memory: nonzero when [pa, pa + len) is (partly) a hole. */
typedef int (*smmu_model_read_pa_fn)(void *ctx, uint64_t pa, void *buf,
                                     size_t len);
/* Receives each event record the model writes to its event queue. */
typedef void (*smmu_model_event_fn)(void *ctx, const uint64_t evt[4]);

/* IDR0.STALL_MODEL the model reports (and enforces on raw STEs). */
enum smmu_model_stall {
    SMMU_MODEL_STALL_TERM_ONLY = 0, /* 0b01: no stalls (the default) */
    SMMU_MODEL_STALL_OPTIONAL,      /* 0b00: stalls unless S1STALLD */
    SMMU_MODEL_STALL_FORCED,        /* 0b10: every fault stalls */
};

struct smmu_model_config {
    smmu_model_read_pa_fn read_pa;
    void *mem_ctx;
    bool ril;                   /* IDR3.RIL: range invalidation + TTL */
    unsigned int tlb_entries;   /* 0: SMMU_MODEL_TLB_ENTRIES */
    enum smmu_model_stall stall;
};

#define SMMU_MODEL_TLB_ENTRIES      256
#define SMMU_MODEL_WALK_ENTRIES     64
/* IDR values the model reports (see smmu_model_read_caps()). */
#define SMMU_MODEL_SIDSIZE          16
#define SMMU_MODEL_OAS_ENC          SMMU_IDR5_OAS_48

struct smmu_model *smmu_model_create(const struct smmu_model_config *cfg);
void smmu_model_destroy(struct smmu_model *m);

/*
 * The identification registers, as the physical driver would read them
 * (fields of struct vsmmuv3_phys_caps): S1P and S2P, AArch64 tables, little
 * endian, ASID16, VMID16, COHACC, STALL_MODEL as configured (0b01, no
 * stalls, by default), TERM_MODEL=1,
 * 2-level stream table, SIDSIZE 16, SSIDSIZE 0, no HTTU, no ATS/PRI, RIL as
 * configured, 4K/16K/64K granules, OAS 48 bits.
 */
void smmu_model_read_caps(const struct smmu_model *m, uint32_t idr[6],
                          uint32_t *iidr, uint32_t *aidr);

void smmu_model_set_event_handler(struct smmu_model *m,
                                  smmu_model_event_fn fn, void *ctx);

/*
 * Domains: what Xen owns.  A domain is a VMID and a stage-2 map from IPA to
 * machine address with read/write permissions, at 4 KiB granularity.
 */
#define SMMU_MODEL_S2_READ          (1U << 0)
#define SMMU_MODEL_S2_WRITE         (1U << 1)
#define SMMU_MODEL_S2_RW            (SMMU_MODEL_S2_READ | SMMU_MODEL_S2_WRITE)
#define SMMU_MODEL_S2_PAGE          0x1000ULL

struct smmu_model_domain *smmu_model_domain_create(struct smmu_model *m,
                                                   uint16_t vmid);
/* Streams still assigned to the domain go back to "no valid STE". */
void smmu_model_domain_destroy(struct smmu_model_domain *d);
uint16_t smmu_model_domain_vmid(const struct smmu_model_domain *d);

/*
 * Map [ipa, ipa + size) to [pa, pa + size); page aligned.  -EEXIST if any
 * page is mapped already.  Neither call invalidates anything: like Xen,
 * the caller follows a change of a live mapping with TLBI_S12_VMALL.
 */
int smmu_model_s2_map(struct smmu_model_domain *d, uint64_t ipa, uint64_t pa,
                      uint64_t size, unsigned int perms);
int smmu_model_s2_unmap(struct smmu_model_domain *d, uint64_t ipa,
                        uint64_t size);
/* Current stage-2 mapping of @ipa (no permission check, no caching). */
int smmu_model_s2_lookup(const struct smmu_model_domain *d, uint64_t ipa,
                         uint64_t *pa, unsigned int *perms);

/*
 * Give physical stream @psid to @d (the domain builder's job).  Its STE
 * starts as abort.  -EBUSY if another domain owns it.
 */
int smmu_model_assign_stream(struct smmu_model_domain *d, uint32_t psid);
/*
 * Take @psid back from @d (deassign): no owner, no valid STE.  -EPERM if
 * @d does not own it.
 */
int smmu_model_unassign_stream(struct smmu_model_domain *d, uint32_t psid);

/*
 * Words 2 and 3 of every STE with stage 2 of @d, as the physical driver
 * builds them: S2VMID = the domain's VMID, VTCR for a 48-bit IPA space
 * with 4 KiB granule (T0SZ 16, SL0 level 0, walks WBWA inner shareable,
 * PS 48 bits), S2AA64, S2PTW, S2R; S2TTB names the domain's stage 2 (a
 * range map here, so the root is nominal: distinct per VMID, 4 KiB
 * aligned, below the OAS).
 */
void smmu_model_domain_s2_words(const struct smmu_model_domain *d,
                                uint64_t *ste2, uint64_t *ste3);

/*
 * struct vsmmuv3_phys_ops, for real.  @priv is the struct smmu_model_domain
 * the backend was created with; a stream it does not own is refused
 * (-EPERM, recorded as an error), as is anything the relay should never
 * pass (-EINVAL, recorded): an STE with bits outside the nesting whitelist
 * or not V=1 Config=S1_TRANS, a command other than the invalidations listed
 * in smmu-model.c, a range TLBI while RIL is off.
 */
int smmu_model_install_nested(void *priv, uint32_t psid,
                              const uint64_t ste[2]);
int smmu_model_set_abort(void *priv, uint32_t psid);
int smmu_model_set_s2_only(void *priv, uint32_t psid);
int smmu_model_queue_inval(void *priv, const uint64_t (*cmds)[2],
                           unsigned int nr);
int smmu_model_sync(void *priv);

/* Initialiser for a struct vsmmuv3_phys_ops backed by this model. */
#define SMMU_MODEL_PHYS_OPS {                       \
    .install_nested = smmu_model_install_nested,    \
    .set_abort = smmu_model_set_abort,              \
    .set_s2_only = smmu_model_set_s2_only,          \
    .queue_inval = smmu_model_queue_inval,          \
    .sync = smmu_model_sync,                        \
}

/*
 * Raw stream table entries (5.2): words 0-3 as a physical driver writes
 * them (words 4-7 hold nothing any configuration here uses).
 *
 * smmu_model_decode_ste() says what this SMMU (its IDRs, not a domain)
 * makes of them.  A field a configuration does not use is left out of
 * .used, so two entries that differ only there behave the same.  ILLEGAL
 * is what a transaction meets as C_BAD_STE (.bad names the field); the
 * model is stricter than the architecture where it cannot represent a
 * field: a RES0 or unmodelled bit set (attribute overrides, MPAM, ...),
 * S1Fmt != 0, EATS != 0 (no ATS), STRW != 0, S2ENDI, S2HA/S2HD (no
 * HTTU), S2S or S1STALLD = 1 while STALL_MODEL = 0b01, S1STALLD = 1 while
 * 0b10, a reserved S2TG or S2SL0, S2T0SZ outside [16, 39], S2AA64 = 0,
 * S2TTB or S1ContextPtr beyond the OAS, S1CDMax != 0.
 */
enum smmu_model_ste_kind {
    SMMU_MODEL_STE_INVALID,     /* V = 0: C_BAD_STE */
    SMMU_MODEL_STE_ILLEGAL,     /* C_BAD_STE */
    SMMU_MODEL_STE_ABORT,
    SMMU_MODEL_STE_BYPASS,
    SMMU_MODEL_STE_S1,          /* stage 1 only */
    SMMU_MODEL_STE_S2,          /* stage 2 only */
    SMMU_MODEL_STE_NESTED,
};

struct smmu_model_ste {
    enum smmu_model_ste_kind kind;
    const char *bad;            /* ILLEGAL: "STE.S2AA64", ...; else NULL */
    uint64_t used[4];           /* the words, masked to what .kind uses */
};

void smmu_model_decode_ste(const struct smmu_model *m, const uint64_t ste[4],
                           struct smmu_model_ste *out);
/* Do @a and @b treat every transaction the same? */
bool smmu_model_same_ste(const struct smmu_model_ste *a,
                         const struct smmu_model_ste *b);

/*
 * Install raw STE words 0-3 on @psid: the physical driver's "write STE,
 * CFGI_STE, CMD_SYNC", decoded as above and mapped onto the states the
 * ops table gives (abort, stage 2 only, nested).  -EPERM, recorded and
 * with nothing changed, if @d does not own @psid.  -EINVAL, recorded
 * (smmu_model_last_error()), if the entry is V = 0 or ILLEGAL, or if it
 * is one the model does not represent for @d: bypass, stage 1 without
 * stage 2, words 2-3 other than smmu_model_domain_s2_words() (S2VMID
 * first), SHCFG other than "incoming", stalls possible (S1STALLD = 0
 * while STALL_MODEL = 0b00; anything translating while 0b10).  Every
 * transaction of the stream then records C_BAD_STE, with the reason as
 * smmu_model_last_fault_reason().
 */
int smmu_model_write_raw_ste(struct smmu_model_domain *d, uint32_t psid,
                             const uint64_t ste[4]);

/*
 * A device transaction of @size bytes at @iova from stream @psid.  It must
 * not cross a 4 KiB boundary (as PCIe and AXI transactions do not).
 * Returns SMMU_MODEL_DMA_OK with *pa_out, SMMU_MODEL_DMA_FAULT with the
 * event record in evt_out (also delivered to the event handler), or
 * SMMU_MODEL_DMA_ABORTED for a transaction terminated without a record
 * (abort STE, or a stage-1 fault while CD.R = 0).  -EINVAL for bad
 * arguments.
 */
#define SMMU_MODEL_ACCESS_READ      (1U << 0)
#define SMMU_MODEL_ACCESS_WRITE     (1U << 1)
#define SMMU_MODEL_ACCESS_PRIV      (1U << 2)

enum smmu_model_dma_status {
    SMMU_MODEL_DMA_OK = 0,
    SMMU_MODEL_DMA_FAULT = 1,
    SMMU_MODEL_DMA_ABORTED = 2,
};

int smmu_model_dma(struct smmu_model *m, uint32_t psid, uint64_t iova,
                   unsigned int access, size_t size, uint64_t *pa_out,
                   uint64_t evt_out[4]);

/*
 * Observation.  Counters accumulate until smmu_model_reset_stats().
 */
struct smmu_model_stats {
    /* Commands received by queue_inval, accepted or not, per opcode. */
    unsigned long cmds[256];
    unsigned long cmds_total;
    unsigned long syncs;
    unsigned long pending;          /* queued, not yet synced */
    unsigned long errors;           /* refused ops and commands */
    int last_vmid;                  /* VMID field of the last TLBI; -1 */
    unsigned long vmid_mismatches;  /* TLBI VMID != issuing domain's */
    unsigned long foreign_sids;     /* CFGI for a stream not the issuer's */
    unsigned long installs_nested;
    unsigned long sets_abort;
    unsigned long sets_s2_only;
    unsigned long raw_writes;       /* smmu_model_write_raw_ste() calls */
    /* Data path. */
    unsigned long dmas;
    unsigned long tlb_hits;
    unsigned long tlb_misses;
    unsigned long tlb_evictions;
    unsigned long walk_cache_hits;
    unsigned long cd_fetches;       /* CD reads from memory (cache misses) */
    unsigned long desc_fetches;     /* stage-1 descriptor reads */
    unsigned long events;
    unsigned long silent_aborts;
};

const struct smmu_model_stats *smmu_model_stats(const struct smmu_model *m);

/* One command as received by queue_inval. */
struct smmu_model_cmd_record {
    uint64_t cmd[2];
    uint16_t issuer_vmid;       /* VMID of the domain passed as priv */
    unsigned long sync_epoch;   /* number of syncs before it arrived */
    bool refused;
};

size_t smmu_model_log_count(const struct smmu_model *m);
const struct smmu_model_cmd_record *
smmu_model_log_entry(const struct smmu_model *m, size_t i);
/* Why the last op or command was refused; "" if none was. */
const char *smmu_model_last_error(const struct smmu_model *m);
/*
 * Which check produced the last event or silent abort ("CD.T0SZ",
 * "S1 AP", ...): lets a test tell apart events with the same number.
 */
const char *smmu_model_last_fault_reason(const struct smmu_model *m);
/* The last event record written, or NULL if none yet. */
const uint64_t *smmu_model_last_event(const struct smmu_model *m);

/* Clear every counter and the command log (not the caches). */
void smmu_model_reset_stats(struct smmu_model *m);

/* Number of valid TLB entries, for tests of eviction. */
unsigned int smmu_model_tlb_occupancy(const struct smmu_model *m);

#endif /* SMMU_MODEL_H */
