/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vSMMUv3: a virtual Arm SMMUv3 for guests.
 *
 * The guest's own SMMUv3 driver owns stage 1 (IOVA -> guest physical); Xen
 * keeps stage 2.  The guest's register accesses trap to regs.c; commands it
 * queues in its RAM are validated by cmdq.c and strtab.c and relayed by
 * relay.c to the physical SMMU through the ops table below; events go back to
 * the guest's event queue through evtq.c.
 *
 * The Arm SMMUv3 architecture is cited as "IHI 0070 <section>"; section
 * numbers are those of IHI 0070 issue G.b.
 *
 * Locking.  One spinlock per vSMMU (vsmmuv3.lock) serialises every register
 * access, the command queue consumer and the event producer.  This is the
 * one statement of the lock order of the vIOMMU code (viommu.c, vsmmu-v3/,
 * and the nesting backend of smmu-v3.c behind smmu-v3-nested.h).
 *
 * Taken before the vSMMU lock, never inside it: the domctl lock, and
 * dt_host_lock (read) of XEN_DOMCTL_viommu_add_stream; the domain list's
 * RCU read lock of the debug key ('U', viommu.c).
 *
 * Taken inside the vSMMU lock, in this order where they nest:
 *
 *   vsmmuv3.lock
 *     > the physical SMMUv3 driver, through the ops of smmu-v3-nested.h:
 *         the domain's IOMMU lock (arm_smmu_xen_domain.lock)
 *           > the SMMU's masters_lock
 *           > the SMMU's command queue lock (cmdq.lock, IRQs off), which
 *             is also taken alone (invalidations, CMD_SYNC)
 *     > the p2m lock, read (p2m_read_lock() in p2m_get_page_from_gfn(),
 *         inside access_guest_memory_by_gpa(): every guest queue, table
 *         and MSI access)
 *     > the vGIC (vgic_inject_irq()): the target vCPU's vgic lock (IRQs
 *         off), or with CONFIG_NEW_VGIC the IRQ's irq_lock and the vCPU's
 *         ap_list_lock; then, from vcpu_kick() after those are dropped,
 *         the scheduler's locks and, inside them, the timer lock of a
 *         scheduler that arms a timer on wake-up (set_timer())
 *     > the console lock (printk() of the rate-limited messages)
 *     > the heap lock (xzalloc() of the record that the
 *         CONFIG_VSMMUV3_SELFTEST register saves)
 *
 * The vSMMU arms no timer and queues no tasklet or softirq of its own: its
 * work runs in the vCPUs that cause it (cmdq.c).  So the physical driver
 * must not hold any of its own locks while it calls into the vIOMMU
 * (viommu_handle_phys_event(), viommu_release_stream()), and the ops it
 * provides must not call back into it.
 */
#ifndef DRIVERS__PASSTHROUGH__ARM__VSMMU_V3__VSMMU_V3_H
#define DRIVERS__PASSTHROUGH__ARM__VSMMU_V3__VSMMU_V3_H

#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/time.h>
#include <xen/types.h>
#include <asm/mmio.h>

#include "../smmu-v3-arch.h"
#include "../smmu-v3-nested.h"

/*
 * Most physical SMMUs one vSMMU can front; it advertises the intersection
 * of their features.
 */
#define VSMMUV3_MAX_BACKENDS    4

/* How one vSMMU is created. */
struct vsmmuv3_params {
    paddr_t base;               /* guest physical base of the frame */
    unsigned int evtq_virq;     /* wired, level-sensitive SPIs */
    unsigned int gerror_virq;
    unsigned int ipa_bits;      /* stage 2 input size: bounds the OAS */
    unsigned int step_work;     /* work units one step may do */
    unsigned int cmdqs;         /* log2 of the largest queues advertised */
    unsigned int eventqs;
    unsigned int max_streams;   /* bound of the vSID map */
    unsigned int event_budget;  /* physical events forwarded per second */
    unsigned int nr_backends;   /* 0: virtual streams only */
    const struct vsmmuv3_backend *backends;
};

/*
 * The identification registers of one vSMMU, computed once from the physical
 * SMMUs and the model's limits (IHI 0070 6.3.1 to 6.3.8), then frozen.
 */
struct vsmmuv3_id {
    uint32_t idr[6];
    uint32_t iidr;
    uint32_t aidr;
};

/*
 * StreamID bits advertised (IDR1.SIDSIZE): the vSID space, not the
 * physical one.
 */
#define VSMMUV3_SIDSIZE         16

/*
 * IDR0.MSI: CMD_SYNC writes MSIData to MSIAddr and the EVTQ/GERROR
 * interrupts can be MSIs (IHI 0070 6.3.1).  Linux then polls a CMD_SYNC's
 * completion in memory instead of trapping on CMDQ_CONS.
 */
#define VSMMUV3_HAS_MSI         1

/* The AIDR this model reports: SMMUv3.2 (IHI 0070 6.3.8). */
#define VSMMUV3_AIDR            0x02U

/* Bits of CR0, IRQ_CTRL and GERROR this model implements. */
#define VSMMUV3_CR0_ACCEPTED \
    (SMMU_CR0_SMMUEN | SMMU_CR0_EVENTQEN | SMMU_CR0_CMDQEN)
#define VSMMUV3_IRQ_CTRL_ACCEPTED \
    (SMMU_IRQ_CTRL_GERROR_IRQEN | SMMU_IRQ_CTRL_EVENTQ_IRQEN)
#define VSMMUV3_GERROR_IMPLEMENTED \
    (SMMU_GERROR_CMDQ_ERR | SMMU_GERROR_EVENTQ_ABT_ERR | \
     SMMU_GERROR_MSI_CMDQ_ABT_ERR | SMMU_GERROR_MSI_EVENTQ_ABT_ERR | \
     SMMU_GERROR_MSI_GERROR_ABT_ERR)

/*
 * GBPA at reset: abort incoming traffic while SMMUEN=0, attributes as
 * incoming.  Never physical bypass: before the guest enables its vSMMU,
 * its devices must not reach memory as they please.
 */
#define VSMMUV3_GBPA_RESET \
    (SMMU_GBPA_ABORT | \
     MASK_INSR(SMMU_GBPA_SHCFG_INCOMING, SMMU_GBPA_SHCFG))
/* The bits of CR1 and CR2 the model keeps (E2H is RES0 without HYP). */
#define VSMMUV3_CR1_FIELDS \
    (SMMU_CR1_QUEUE_IC | SMMU_CR1_QUEUE_OC | SMMU_CR1_QUEUE_SH | \
     SMMU_CR1_TABLE_IC | SMMU_CR1_TABLE_OC | SMMU_CR1_TABLE_SH)
#define VSMMUV3_CR2_FIELDS      (SMMU_CR2_RECINVSID | SMMU_CR2_PTM)
#define VSMMUV3_GBPA_FIELDS \
    (SMMU_GBPA_MEMATTR | SMMU_GBPA_MTCFG | SMMU_GBPA_ALLOCCFG | \
     SMMU_GBPA_SHCFG | SMMU_GBPA_PRIVCFG | SMMU_GBPA_INSTCFG | \
     SMMU_GBPA_ABORT)

/* Guest-triggered log messages per vSMMU: a burst, then one per period. */
#define VSMMUV3_LOG_BURST       10
#define VSMMUV3_LOG_PERIOD      SECONDS(5)

/* Interrupt lines, for vsmmuv3_update_lines(). */
#define VSMMUV3_LINE_EVTQ       (1U << 0)
#define VSMMUV3_LINE_GERROR     (1U << 1)

/* How traffic of one stream is translated. */
enum vsmmuv3_ste_cfg {
    VSMMUV3_STE_ABORT,          /* abort every transaction */
    VSMMUV3_STE_S2_ONLY,        /* stage 2 only: the guest's "bypass" */
    VSMMUV3_STE_NESTED,         /* the guest's stage 1 on stage 2 */
};

/*
 * One guest StreamID the domain builder attached (their number is bounded
 * by params.max_streams).
 */
struct vsmmuv3_stream {
    uint32_t vsid;
    uint32_t psid;
    int backend;                        /* index in backends[]; -1 virtual */
    /* What the guest's STE says, as of the last time it was read. */
    enum vsmmuv3_ste_cfg guest_cfg;
    uint64_t guest_ste[2];              /* canonical words when NESTED */
    /* What the physical SMMU was last told (physical streams). */
    bool installed_valid;
    enum vsmmuv3_ste_cfg installed_cfg;
    uint64_t installed_ste[2];
};
/*
 * The members of struct vsmmuv3_stream, in order (checked at build time,
 * state.c).  vsid, psid and backend (as its SMMU's stable_id) are the
 * record's vSID map; the others are derived again by a restore, from the
 * guest's stream table and from what it installs.
 */
#define VSMMUV3_STREAM_MEMBERS(N)                                       \
    N(vsid) N(psid) N(backend) N(guest_cfg) N(guest_ste)               \
    N(installed_valid) N(installed_cfg) N(installed_ste)

/* Commands copied from guest memory with one access, at most. */
#define VSMMUV3_FETCH           64U

/*
 * Work units.  The work a guest causes is done in steps, each in the time
 * of one of its vCPUs (the trap that asked for it, then one step each time
 * that vCPU is about to return to the guest), and one step does at most
 * vsmmuv3.step_work units.  Each unit stands for a bounded amount of work:
 * what a command, a guest-memory access, a command written to a physical
 * queue, a physical sync or a physical STE update costs.  An operation
 * that cannot be split (one command, one stream) is started only if its
 * largest cost fits in what is left of the step.
 */
#define VSMMUV3_WORK_CMD        1U  /* decode and check one command */
#define VSMMUV3_WORK_GUEST_MEM  4U  /* one guest-memory access (P2M walk, map) */
#define VSMMUV3_WORK_PHYS_CMD   1U  /* one command to a physical queue */
#define VSMMUV3_WORK_PHYS_SYNC  16U /* one physical CMD_SYNC, waited for */
#define VSMMUV3_WORK_INSTALL    32U /* one physical STE update, synced */
/*
 * A range TLBI for a physical SMMU without range invalidation is split into
 * single-page TLBIs up to this many pages, and widened beyond it.
 */
#define VSMMUV3_RIL_SPLIT_MAX   32U
/*
 * Re-reading one stream's STE and applying it: level 1 descriptor, STE and
 * CD reads; an install and, if the SMMU refuses it, a second one to abort;
 * one C_BAD_STE event, its MSI and the GERROR MSI if that aborts; a
 * CFGI_CD_ALL.
 */
#define VSMMUV3_WORK_STREAM \
    (6 * VSMMUV3_WORK_GUEST_MEM + 2 * VSMMUV3_WORK_INSTALL + \
     VSMMUV3_WORK_PHYS_CMD)
/* Least step_work: the costliest operation that cannot be split. */
#define VSMMUV3_WORK_MIN \
    (VSMMUV3_WORK_CMD + VSMMUV3_MAX_BACKENDS * \
     (VSMMUV3_RIL_SPLIT_MAX * VSMMUV3_WORK_PHYS_CMD + VSMMUV3_WORK_PHYS_SYNC) + \
     2 * VSMMUV3_WORK_GUEST_MEM + VSMMUV3_WORK_STREAM)

/* Invalidations queued for one physical SMMU, awaiting hand-over. */
#define VSMMUV3_BATCH           64
struct vsmmuv3_relay_batch {
    uint64_t cmds[VSMMUV3_BATCH][2];
    uint64_t tlbi_vmid;                 /* the domain's VMID, as a field */
    bool ril;                           /* the SMMU has range TLBIs */
    unsigned int nr;
    bool unsynced;                      /* handed over since the last sync */
    bool failed;                        /* the SMMU refused work: resync */
};

/* Queue register state as the guest programmed it. */
struct vsmmuv3_queue {
    uint64_t base;              /* *_BASE, LOG2SIZE clamped */
    uint32_t prod;
    uint32_t cons;
};

/*
 * The saved state of a vSMMU: ONE list, which makes the members of struct
 * vsmmuv3 that hold it, their place in the record, the save, the load and
 * the check of each value on restore (state.c), and the table of
 * record's documentation, which a host test compares with it.  Each entry is
 * F(section, kind, member): the record section the member goes to, and its
 * kind, which gives its C type and its encoding in the record (fixed
 * widths, little-endian):
 *
 *   U32    uint32_t                4 bytes
 *   U64    uint64_t                8 bytes
 *   BOOL   bool                    1 byte, 0 or 1
 *   U64X2  uint64_t [2]            2 x 8 bytes
 *   ID     struct vsmmuv3_id       IDR0-5, IIDR, AIDR: 8 x 4 bytes
 *   QUEUE  struct vsmmuv3_queue    BASE 8 bytes, PROD 4, CONS 4
 *
 * A member added here is saved, loaded and documented, and does not build
 * until state.c has a check for it (check_<member>()).  A member added to
 * struct vsmmuv3 anywhere else does not build either until it is listed in
 * VSMMUV3_NOT_SAVED below, with the reason it need not be saved.
 */
#define VSMMUV3_SAVED_STATE(F)                  \
    F(CORE, ID,    id)                          \
    F(CORE, U32,   cr0)                         \
    F(CORE, U32,   cr0ack)                      \
    F(CORE, U32,   cr1)                         \
    F(CORE, U32,   cr2)                         \
    F(CORE, U32,   gbpa)                        \
    F(CORE, U32,   irq_ctrl)                    \
    F(CORE, U32,   gerror)                      \
    F(CORE, U32,   gerrorn)                     \
    F(CORE, U64,   strtab_base)                 \
    F(CORE, U32,   strtab_base_cfg)             \
    F(CORE, QUEUE, cmdq)                        \
    F(CORE, QUEUE, evtq)                        \
    F(CORE, BOOL,  cmd_active)                  \
    F(CORE, U64X2, cmd_cur)                     \
    F(CORE, U32,   cmd_next_vsid)               \
    F(CORE, BOOL,  cmd_recovered)               \
    F(CORE, BOOL,  sweep_active)                \
    F(CORE, U32,   sweep_next_vsid)             \
    F(MSI,  U64,   gerror_irq_cfg0)             \
    F(MSI,  U32,   gerror_irq_cfg1)             \
    F(MSI,  U32,   gerror_irq_cfg2)             \
    F(MSI,  U64,   evtq_irq_cfg0)               \
    F(MSI,  U32,   evtq_irq_cfg1)               \
    F(MSI,  U32,   evtq_irq_cfg2)

/*
 * The record: a header, then sections, each a
 * header (type, flags, payload length) and a payload whose length is a
 * multiple of 8.  All fields are little-endian.
 */
#define VSMMUV3_REC_MAGIC           0x334D5356U     /* "VSM3" */
#define VSMMUV3_REC_VERSION         1
#define VSMMUV3_REC_HDR_SIZE        16  /* magic, version, hdr size, length */
#define VSMMUV3_SEC_HDR_SIZE        8   /* type 16, flags 16, length 32 */
#define VSMMUV3_SEC_SKIPPABLE       (1U << 0)   /* a reader may skip it */
/* Section types. */
#define VSMMUV3_SEC_CORE            1   /* required, always */
#define VSMMUV3_SEC_STREAMS         2   /* required, always: the vSID map */
#define VSMMUV3_SEC_MSI             3   /* required, iff IDR0.MSI */
#define VSMMUV3_SEC_VCPU_WORK       4   /* skippable, iff a vCPU has work */
/* One entry of the vSID map. */
#define VSMMUV3_REC_STREAM_SIZE     24  /* vsid, flags, stable_id, psid, 0 */
#define VSMMUV3_REC_STREAM_PHYSICAL (1U << 0)

/* The C type of each kind, and the bytes it takes in the record. */
#define VSMMUV3_CTYPE_U32(m)    uint32_t m
#define VSMMUV3_CTYPE_U64(m)    uint64_t m
#define VSMMUV3_CTYPE_BOOL(m)   bool m
#define VSMMUV3_CTYPE_U64X2(m)  uint64_t m[2]
#define VSMMUV3_CTYPE_ID(m)     struct vsmmuv3_id m
#define VSMMUV3_CTYPE_QUEUE(m)  struct vsmmuv3_queue m
#define VSMMUV3_RECSZ_U32       4
#define VSMMUV3_RECSZ_U64       8
#define VSMMUV3_RECSZ_BOOL      1
#define VSMMUV3_RECSZ_U64X2     16
#define VSMMUV3_RECSZ_ID        32
#define VSMMUV3_RECSZ_QUEUE     16
#define VSMMUV3_DECLARE(sect, kind, m) VSMMUV3_CTYPE_##kind(m);

struct vsmmuv3 {
    struct domain *d;
    spinlock_t lock;
    paddr_t base;

    /*
     * Guest-visible state (IHI 0070 6.3), under lock, and the command
     * consumer's place in a command whose work spans steps (cmdq.c):
     *
     * id               frozen at creation
     * cr0              accepted bits only
     * cr0ack           CR0 once its update has completed
     * gbpa             UPDATE set while streams follow it
     * irq_ctrl         accepted bits only; IRQ_CTRLACK mirrors
     * cmdq, evtq       *_BASE (LOG2SIZE clamped), PROD, CONS
     * cmd_active       a command spans steps: its copy (cmd_cur) and where
     * cmd_cur          it got to (cmd_next_vsid, the first stream not yet
     * cmd_next_vsid    done; cmd_recovered, CMD_SYNC's recovery is done)
     * cmd_recovered
     * sweep_active     streams still to follow a change of SMMUEN or
     * sweep_next_vsid  GBPA.ABORT, from this vSID on
     * *_irq_cfg*       MSI targets (IDR0.MSI)
     */
    VSMMUV3_SAVED_STATE(VSMMUV3_DECLARE)

    /* Interrupt lines and their last level driven into the vGIC. */
    unsigned int evtq_virq;
    unsigned int gerror_virq;
    bool evtq_line;
    bool gerror_line;

    /*
     * Work in steps (cmdq.c).  A vCPU whose step ended with work left has
     * vcpu_work[vcpu_id] set and does one more step each time it is about
     * to return to the guest, until none is left.
     */
    unsigned int step_work;
    unsigned int work_used;     /* in the current step */
    bool *vcpu_work;            /* d->max_vcpus entries */
    /*
     * What each opcode may cost (fit: checked before it starts) and what is
     * charged for it when it starts (charge: the command and the physical
     * commands it relays; syncs, guest-memory accesses and installs are
     * charged as they happen).  Index 256 + op: a range TLBI (cmdq.c).
     */
    struct {
        uint16_t fit;
        uint16_t charge;
    } op_work[256 + 2];
    uint64_t tlbi_asid_mask;    /* ASID field of a TLBI, 8 bits or 16 */
    /*
     * The fields of TLBI_NH_ALL, _ASID, _VA and _VAA that reach a physical
     * SMMU, by opcode - TLBI_NH_ALL, and the TG values of the granules the
     * vSMMU advertises, as bits (relay.c).
     */
    uint64_t tlbi_keep[4][2];
    unsigned int tlbi_tg_ok;
    uint64_t cmd_buf[VSMMUV3_FETCH][2]; /* commands copied from the guest */

    /* Rate limit of guest-triggered messages. */
    s_time_t log_window;
    unsigned int log_count;
    unsigned long log_suppressed;

    /* Budget of events forwarded from physical SMMUs: no flood of Xen. */
    unsigned int event_budget;
    s_time_t event_window;
    unsigned int events_in_window;
    unsigned int events_over;

    /* Physical SMMUs behind this vSMMU, and the work queued for each. */
    unsigned int nr_backends;
    struct vsmmuv3_backend backends[VSMMUV3_MAX_BACKENDS];
    struct vsmmuv3_relay_batch batch[VSMMUV3_MAX_BACKENDS];
    unsigned int ipa_bits;

    /* Streams, sorted by vSID. */
    struct vsmmuv3_stream *streams;
    unsigned int nr_streams;
    unsigned int max_streams;
    bool dying;
    uint32_t dying_next_vsid;   /* relinquish: first stream not yet aborted */

    /*
     * A restore is re-installing the streams (state.c): what it finds
     * reaches no guest event queue, the guest saw it before the save.
     */
    bool restoring;
    /* The debug self-test register (CONFIG_VSMMUV3_SELFTEST). */
    uint32_t selftest_result;

    /* Counters for tests, benchmarks and the debug key (vsmmuv3_dump()). */
    struct {
        unsigned long cmds;             /* commands consumed */
        unsigned long cmd_errors;
        unsigned long steps;            /* steps, traps included */
        unsigned long continuations;    /* steps on the way to the guest */
        unsigned long max_step_work;    /* most work units of one step */
        unsigned long phys_cmds;        /* commands handed to SMMUs */
        unsigned long phys_syncs;
        unsigned long phys_errors;
        unsigned long events;           /* events written to the guest */
        unsigned long events_lost;      /* dropped: disabled, full, error */
        unsigned long events_forwarded; /* from physical SMMUs */
        unsigned long events_throttled; /* over the budget */
        unsigned long restores;         /* records restored */
        unsigned long restore_aborted;  /* streams a restore left aborting */
    } stats;
};

/*
 * Every other member of struct vsmmuv3, in order, with why a record need
 * not carry it (state.c checks at build time that the two lists together
 * are struct vsmmuv3, member for member).  H: the host's configuration of
 * this vSMMU, the destination's own; D: derived from saved state, and
 * derived again by a restore; T: transient, empty between steps; R: the
 * record carries it in a section of its own (the vSID map, the vCPUs with
 * work left); X: host diagnostics.  S() stands for the saved members.
 */
#define VSMMUV3_NOT_SAVED(N, S)                                         \
    N(d) /* H */ N(lock) /* H */ N(base) /* H */                        \
    S()                                                                 \
    N(evtq_virq) /* H */ N(gerror_virq) /* H */                         \
    N(evtq_line) /* D */ N(gerror_line) /* D */                         \
    N(step_work) /* H */ N(work_used) /* T */ N(vcpu_work) /* R */      \
    N(op_work) /* D */ N(tlbi_asid_mask) /* D */ N(tlbi_keep) /* D */   \
    N(tlbi_tg_ok) /* D */ N(cmd_buf) /* T */                            \
    N(log_window) /* X */ N(log_count) /* X */ N(log_suppressed) /* X */ \
    N(event_budget) /* H */ N(event_window) /* X */                     \
    N(events_in_window) /* X */ N(events_over) /* X */                  \
    N(nr_backends) /* H */ N(backends) /* H */ N(batch) /* T */         \
    N(ipa_bits) /* H */ N(streams) /* R */ N(nr_streams) /* R */        \
    N(max_streams) /* H */ N(dying) /* H */ N(dying_next_vsid) /* H */  \
    N(restoring) /* T */ N(selftest_result) /* X */ N(stats) /* X */

/*
 * Entry points used by the vIOMMU framework and the physical driver.
 */
int vsmmuv3_compute_id(const struct vsmmuv3_params *p,
                       struct vsmmuv3_id *id);
/*
 * Create the vSMMU of @d: compute and freeze its identification, reserve its
 * interrupts and register its MMIO frame.  On failure nothing is left behind.
 */
int vsmmuv3_domain_init(struct domain *d, const struct vsmmuv3_params *p,
                        struct vsmmuv3 **out);
/*
 * The domain is dying: stop command processing and drive every physical
 * stream to abort.  Preemptible: -ERESTART when hypercall_preempt_check()
 * asks for it, to be called again; 0 once done, and from then on.
 * Registers keep answering until vsmmuv3_domain_free().
 */
int vsmmuv3_relinquish(struct vsmmuv3 *vs);
/* Free everything vsmmuv3_domain_init() and the guest's use allocated. */
void vsmmuv3_domain_free(struct vsmmuv3 *vs);

/*
 * Save and restore (state.c).  Each takes the vSMMU
 * lock; the _locked variants are for callers that hold it.  Whether the
 * domain is paused is the caller's business.
 *
 * vsmmuv3_record_size(): the bytes a save would write now.
 * vsmmuv3_save(): write the record to @buf; -ENOBUFS if @len is too small.
 * *@written is the record's size either way.
 * vsmmuv3_restore(): check the whole record against this vSMMU first (its
 * frozen identification, the architecture's limits, its vSID map): any
 * error returns a negative errno and leaves the vSMMU exactly as it was.
 * Then load it, derive the interrupt lines again, read the guest's STE of
 * every stream again and install it on the physical SMMU, and invalidate
 * what the physical SMMUs may have cached for the domain.  A stream whose
 * install fails is left aborting and counted in *@streams_aborted (may be
 * NULL); the restore still succeeds.
 */
size_t vsmmuv3_record_size(struct vsmmuv3 *vs);
size_t vsmmuv3_record_size_locked(const struct vsmmuv3 *vs);
int vsmmuv3_save(struct vsmmuv3 *vs, void *buf, size_t len,
                 size_t *written);
int vsmmuv3_save_locked(const struct vsmmuv3 *vs, void *buf, size_t len,
                        size_t *written);
int vsmmuv3_restore(struct vsmmuv3 *vs, const void *buf, size_t len,
                    unsigned int *streams_aborted);
int vsmmuv3_restore_locked(struct vsmmuv3 *vs, const void *buf, size_t len,
                           unsigned int *streams_aborted);
/*
 * The vSMMU as at power-on (registers, queues, no work in progress, lines
 * low), every physical stream driven to abort; its vSID map is kept.
 * Under the vSMMU lock.
 */
void vsmmuv3_reset_locked(struct vsmmuv3 *vs);

/*
 * The debug self-test register (CONFIG_VSMMUV3_SELFTEST):
 * a 32-bit write of VSMMUV3_SELFTEST_RUN saves the vSMMU, resets it, drives
 * its physical streams to abort and restores it, in that trap.  A 32-bit
 * read returns the outcome of the last run.
 */
#define VSMMUV3_SELFTEST_REG        0xE00
#define VSMMUV3_SELFTEST_RUN        0x52535452U     /* 'RSTR' */
#define VSMMUV3_SELFTEST_RAN        (1U << 31)
#define VSMMUV3_SELFTEST_ABORTED    GENMASK(27, 16) /* streams aborting */
#define VSMMUV3_SELFTEST_ERRNO      GENMASK(15, 0)  /* -errno, 0: success */
uint32_t vsmmuv3_selftest_locked(struct vsmmuv3 *vs);

/*
 * Domain builder: guest StreamID @vsid is physical stream @psid behind
 * backends[@backend], or a virtual stream if @backend < 0.  -EEXIST if @vsid
 * is bound, -ENOSPC beyond params.max_streams, -EPERM if the physical
 * driver refuses the stream (not one of the domain's devices).
 */
int vsmmuv3_add_stream(struct vsmmuv3 *vs, uint32_t vsid, int backend,
                       uint32_t psid);

/*
 * Physical driver, before the device of physical stream @psid behind
 * backends[@backend] leaves the domain: unbind the vSID bound to it, if
 * any.  The vSMMU never touches the stream again; the guest's commands for
 * that vSID then find no stream, as for any vSID never bound.
 */
void vsmmuv3_release_stream(struct vsmmuv3 *vs, unsigned int backend,
                            uint32_t psid);

/*
 * Xen, on @v's way back to the guest: do one more step of the work @v's
 * earlier accesses left.  Returns true if @v still has work.  The step is
 * charged to @v; softirqs run between steps, so @v can be preempted.
 */
bool vsmmuv3_vcpu_work(struct vsmmuv3 *vs, struct vcpu *v);

/*
 * Physical driver: event record @evt was reported for a stream that the
 * physical SMMU @phys_id assigned to this vSMMU's domain.  Stage-1 events
 * are forwarded to the guest with the StreamID rewritten to the vSID;
 * stage-2 events are Xen's and are dropped.  0 if forwarded.
 */
int vsmmuv3_handle_phys_event(struct vsmmuv3 *vs,
                              const smmuv3_phys_t *phys_id,
                              const uint64_t evt[4]);

/*
 * Internal interfaces between the files of the device model.
 */

/* regs.c */
extern const struct mmio_handler_ops vsmmuv3_mmio_handler;
void vsmmuv3_regs_reset(struct vsmmuv3 *vs);
/*
 * The debug key's report of @vs (viommu.c): its state and its counters,
 * printed at once, taken under the vSMMU lock, printed outside it.
 */
void vsmmuv3_dump(struct vsmmuv3 *vs);

/* strtab.c: streams and the guest's stream table (IHI 0070 5.1, 5.2). */
struct vsmmuv3_stream *vsmmuv3_find_stream(struct vsmmuv3 *vs, uint32_t vsid);
/* Index of the first stream whose vSID is @vsid or above. */
unsigned int vsmmuv3_stream_from(const struct vsmmuv3 *vs, uint32_t vsid);
void vsmmuv3_cfgi_ste(struct vsmmuv3 *vs, uint32_t vsid);
/* CFGI_CD and CFGI_CD_ALL: the stream's STE and CD read and checked again. */
void vsmmuv3_cfgi_cd(struct vsmmuv3 *vs, uint32_t vsid);
/*
 * CFGI_STE_RANGE: reload the streams of [*@next, @last] while a stream's
 * work fits in the step.  Returns true when done, else *@next is where to
 * continue.
 */
bool vsmmuv3_cfgi_ste_range(struct vsmmuv3 *vs, uint32_t *next,
                            uint32_t last);
/*
 * SMMUEN, or GBPA.ABORT while SMMUEN=0, changed: apply the new policy to
 * the streams from *@next on, as for vsmmuv3_cfgi_ste_range().
 */
bool vsmmuv3_sweep_streams(struct vsmmuv3 *vs, uint32_t *next);
/*
 * Restore: read the STE of @s again (no event: the guest had those before
 * the save) and install what the registers say on the physical SMMU, even
 * if the vSMMU believes it is there already.
 */
void vsmmuv3_stream_reinstall(struct vsmmuv3 *vs, struct vsmmuv3_stream *s);
int vsmmuv3_streams_init(struct vsmmuv3 *vs);
void vsmmuv3_streams_free(struct vsmmuv3 *vs);

/* relay.c: translation, batching and hand-over to physical SMMUs. */
void vsmmuv3_relay_init(struct vsmmuv3 *vs);
/* TLBI_NH_* and TLBI_NSNH_ALL, rewritten and queued: a CERROR code. */
unsigned int vsmmuv3_relay_tlbi(struct vsmmuv3 *vs, const uint64_t cmd[2]);
/* Queue @c0, @c1, made by vsmmuv3_tlbi_canon(), on every physical SMMU. */
void vsmmuv3_relay_tlbi_canon(struct vsmmuv3 *vs, uint64_t c0, uint64_t c1);

/*
 * relay.c's rules for TLBI_NH_ALL, _ASID, _VA and _VAA, the invalidations
 * of every unmap: the command as it reaches a physical SMMU, but for the
 * VMID.  Only the fields the opcode defines are kept, from the masks
 * vsmmuv3_relay_init() made: the guest's scope, never its VMID; NUM, SCALE
 * and TTL only for a range (TG != 0, IHI 0070 4.4.1.1), normalised: TTL
 * 0b01 with the 16KB granule is reserved without IDR5.DS, which this vSMMU
 * does not advertise, so it is dropped, which only widens the scope (4KB
 * and 64KB tables have level-1 leaves and keep it); a one-page range with
 * no TTL, an encoding implementations get wrong, becomes the single-page
 * TLBI it stands for.  False for anything else, and for a range over a
 * granule the vSMMU does not advertise (c0 is 0 then: a command always has
 * an opcode): vsmmuv3_relay_tlbi() decides.  Inline and returned by value,
 * so that the command loop applies it without a call or a memory access.
 */
struct vsmmuv3_pcmd {
    uint64_t c0, c1;
};
struct vsmmuv3_pcmd vsmmuv3_tlbi_canon_range(const struct vsmmuv3 *vs,
                                             const uint64_t cmd[2],
                                             struct vsmmuv3_pcmd c);
static inline struct vsmmuv3_pcmd vsmmuv3_tlbi_canon(const struct vsmmuv3 *vs,
                                                     const uint64_t cmd[2])
{
    unsigned int k = (uint8_t)(cmd[0] - SMMU_OP_TLBI_NH_ALL);
    struct vsmmuv3_pcmd c = { 0, 0 };

    if ( k > 3 )
        return c;
    c.c0 = cmd[0] & vs->tlbi_keep[k][0];
    c.c1 = cmd[1] & vs->tlbi_keep[k][1];
    /* No TG: ALL and ASID have no second word, VA and VAA no range. */
    if ( likely(!(c.c1 & SMMU_CMD1_TLBI_TG)) )
        return c;
    return vsmmuv3_tlbi_canon_range(vs, cmd, c);
}

int vsmmuv3_relay_push(struct vsmmuv3 *vs);
/*
 * Restore: drop whatever each physical SMMU may have cached for the
 * domain (the CDs of each nested stream, the VMID's TLB entries) and sync.
 */
int vsmmuv3_relay_invalidate_all(struct vsmmuv3 *vs);
/*
 * CMD_SYNC, first part: after a physical failure, queue what recovers the
 * streams from *@next on while it fits in the step.  True when done.
 */
bool vsmmuv3_relay_recover(struct vsmmuv3 *vs, uint32_t *next);
/* CMD_SYNC, second part: hand over and sync (-EIO if an SMMU failed). */
int vsmmuv3_relay_sync(struct vsmmuv3 *vs);
void vsmmuv3_stream_install(struct vsmmuv3 *vs, struct vsmmuv3_stream *s,
                            enum vsmmuv3_ste_cfg cfg, const uint64_t ste[2],
                            bool cfgi);

/*
 * cmdq.c: an access by @v may have given the vSMMU work (IHI 0070 3.5): do
 * one step now, in @v's trap, and leave @v the rest.
 */
void vsmmuv3_kick(struct vsmmuv3 *vs, struct vcpu *v);
/*
 * SMMUEN, or GBPA.ABORT while SMMUEN=0, changed: every physical stream is
 * to follow, in steps (the caller kicks).
 */
void vsmmuv3_bypass_policy_changed(struct vsmmuv3 *vs);
int vsmmuv3_cmdq_init(struct vsmmuv3 *vs);
void vsmmuv3_cmdq_free(struct vsmmuv3 *vs);

/* Charge @units of work to the current step. */
static inline void vsmmuv3_work(struct vsmmuv3 *vs, unsigned int units)
{
    vs->work_used += units;
}

/* Does an operation costing at most @units fit in the current step? */
static inline bool vsmmuv3_work_fits(const struct vsmmuv3 *vs,
                                     unsigned int units)
{
    return vs->work_used + units <= vs->step_work;
}

/*
 * evtq.c: recompute the interrupt lines in @lines (VSMMUV3_LINE_*) after a
 * state change that may move them (IHI 0070 3.18).  A line in @reassert is
 * driven again if it is still high: the guest just acknowledged it, and
 * Xen's vGIC treats a level-sensitive line that stays high after the
 * guest's EOI as edge.
 */
void vsmmuv3_update_lines(struct vsmmuv3 *vs, unsigned int lines,
                          unsigned int reassert);
/* evtq.c: report global errors (toggle protocol, IHI 0070 7.5). */
void vsmmuv3_raise_gerror(struct vsmmuv3 *vs, uint32_t errors);
/* evtq.c: record an event in the guest's event queue (IHI 0070 7.3, 7.4). */
void vsmmuv3_post_event(struct vsmmuv3 *vs, const uint64_t evt[4]);
/* Build the record of a configuration error about @vsid. */
static inline void vsmmuv3_config_event(uint64_t evt[4], unsigned int id,
                                        uint32_t vsid)
{
    evt[0] = MASK_INSR(id, SMMU_EVT0_ID) |
             MASK_INSR(vsid, SMMU_EVT0_SID);
    evt[1] = 0;
    evt[2] = 0;
    evt[3] = 0;
}

/* Queue pointer helpers (IHI 0070 3.5.1): index + wrap bit within LOG2SIZE. */
static inline unsigned int vsmmuv3_q_log2(const struct vsmmuv3_queue *q)
{
    return MASK_EXTR(q->base, SMMU_Q_BASE_LOG2SIZE);
}

static inline uint32_t vsmmuv3_q_wrap_mask(const struct vsmmuv3_queue *q)
{
    return (2U << vsmmuv3_q_log2(q)) - 1;
}

static inline uint32_t vsmmuv3_q_idx(const struct vsmmuv3_queue *q,
                                     uint32_t ptr)
{
    return ptr & ((1U << vsmmuv3_q_log2(q)) - 1);
}

static inline bool vsmmuv3_q_empty(const struct vsmmuv3_queue *q)
{
    uint32_t m = vsmmuv3_q_wrap_mask(q);

    return (q->prod & m) == (q->cons & m);
}

static inline bool vsmmuv3_q_full(const struct vsmmuv3_queue *q)
{
    uint32_t m = vsmmuv3_q_wrap_mask(q);

    return ((q->prod ^ q->cons) & m) == (1U << vsmmuv3_q_log2(q));
}

/*
 * Entries between CONS and PROD: more than the queue holds if PROD was
 * written behind CONS.
 */
static inline uint32_t vsmmuv3_q_entries(const struct vsmmuv3_queue *q)
{
    return (q->prod - q->cons) & vsmmuv3_q_wrap_mask(q);
}

/*
 * The command queue holds commands: PROD is ahead of CONS by at most the
 * queue's size.  A PROD written behind CONS (IHI 0070 3.5.1: CONSTRAINED
 * UNPREDICTABLE) makes a queue that holds nothing, so CONS never passes it.
 */
static inline bool vsmmuv3_cmdq_holds(const struct vsmmuv3_queue *q)
{
    uint32_t n = vsmmuv3_q_entries(q);

    return n && n <= (1U << vsmmuv3_q_log2(q));
}

static inline paddr_t vsmmuv3_q_addr(const struct vsmmuv3_queue *q)
{
    return q->base & SMMU_Q_BASE_ADDR;
}

/* Commands are waiting, and the queue may be consumed (IHI 0070 4.1.2). */
static inline bool vsmmuv3_cmdq_runnable(const struct vsmmuv3 *vs)
{
    return (vs->cr0 & SMMU_CR0_CMDQEN) &&
           !((vs->gerror ^ vs->gerrorn) & SMMU_GERROR_CMDQ_ERR) &&
           vsmmuv3_cmdq_holds(&vs->cmdq);
}

/* The vSMMU has work to do in steps (cmdq.c). */
static inline bool vsmmuv3_work_pending(const struct vsmmuv3 *vs)
{
    return !vs->dying && (vs->sweep_active || vsmmuv3_cmdq_runnable(vs));
}

/*
 * Guest-triggered messages: XENLOG_G_* levels, and a per-vSMMU rate
 * limit on top of the console's, so that one guest cannot flood the
 * console whatever guest_loglvl says.  Call with the vSMMU lock held.
 */
bool vsmmuv3_log_allowed(struct vsmmuv3 *vs);
#define vsmmuv3_log(vs, lvl, fmt, ...)                                   \
    do {                                                                \
        if ( vsmmuv3_log_allowed(vs) )                                  \
            printk(lvl "%pd: vSMMUv3: " fmt, (vs)->d, ## __VA_ARGS__);  \
    } while ( 0 )

#endif /* DRIVERS__PASSTHROUGH__ARM__VSMMU_V3__VSMMU_V3_H */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * indent-tabs-mode: nil
 * End:
 */
