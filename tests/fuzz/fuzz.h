/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libFuzzer targets of the vSMMUv3 device model: the environment they share
 * (a domain with guest RAM and holes, a vSMMU with checking physical SMMUs
 * behind it), the input reader, the step wrappers that check every
 * invariant after each MMIO trap and each continuation step a vCPU makes
 * on its way back to the guest, and a Linux-like guest driver.
 * docs/fuzzing.md lists the invariants.
 *
 * The device model's .c files and tests/emul/emul.c are compiled unchanged,
 * as for the unit tests.  Every guest memory access of the model goes
 * through __wrap_access_guest_memory_by_gpa() (-Wl,--wrap), which checks it
 * against the structures the guest configured before calling the emulation.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "emul.h"
#include "vsmmu-v3.h"
#include "fuzz-ops.h"

/* Guest layout: the frame and SPIs of DESIGN.md section 5. */
#define FZ_BASE             0x04040000ULL
#define FZ_EVTQ_VIRQ        44
#define FZ_GERROR_VIRQ      45
#define FZ_NR_SPIS          32

/*
 * Guest RAM: 256 KiB with a one-page hole in the middle, and a second small
 * bank.  Everything else is not RAM.  Small, so that a domain per input is
 * cheap.
 */
#define FZ_RAM0_BASE        0x40000000ULL
#define FZ_RAM0_SIZE        0x40000ULL
#define FZ_HOLE             (FZ_RAM0_BASE + 0x20000)
#define FZ_RAM1_BASE        0x50000000ULL
#define FZ_RAM1_SIZE        0x4000ULL
#define FZ_NOT_RAM          0x60000000ULL

#define FZ_MAX_BACKENDS     2
#define FZ_MAX_STREAMS      16

/*
 * The step_work choice between the least the model accepts and the
 * default: odd, so that step boundaries fall between the multiples of the
 * costs of a stream or a physical sync.
 */
#define FZ_STEP_WORK_MID    (VSMMUV3_WORK_MIN + 97)

/* Input reader: reads past the end return zeros. */
struct fz_in {
    const uint8_t *p;
    size_t n, pos;
};

static inline bool fz_more(const struct fz_in *in)
{
    return in->pos < in->n;
}

static inline uint8_t fz_u8(struct fz_in *in)
{
    return in->pos < in->n ? in->p[in->pos++] : 0;
}

static inline uint16_t fz_u16(struct fz_in *in)
{
    return fz_u8(in) | (uint16_t)fz_u8(in) << 8;
}

static inline uint32_t fz_u32(struct fz_in *in)
{
    return fz_u16(in) | (uint32_t)fz_u16(in) << 16;
}

static inline uint64_t fz_u64(struct fz_in *in)
{
    return fz_u32(in) | (uint64_t)fz_u32(in) << 32;
}

void fz_bytes(struct fz_in *in, void *buf, size_t len);

/* How one input's vSMMU is built. */
struct fz_config {
    unsigned int step_work;         /* work units of one step */
    unsigned int cmdqs, eventqs;    /* IDR1 queue sizes */
    unsigned int ipa_bits;
    unsigned int event_budget;      /* physical events per second */
    unsigned int nr_backends;       /* 0: virtual streams only */
    bool ril[FZ_MAX_BACKENDS];
    bool narrow;                    /* SMMU 1: no ASID16, OAS 40, 4K */
    unsigned int fail;              /* FZ_FAIL_* of backend 0 at start */
};


/* One checking physical SMMU. */
struct fz_env;
struct fz_phys {
    struct fz_env *e;
    unsigned int idx;
    uint16_t vmid;
    bool ril;
    unsigned int fail;
    unsigned long installs, inval_cmds, queue_calls, syncs;
    unsigned long unsynced;             /* invalidations since a sync */
    /*
     * Refused a queue or failed a sync (at fail_seq) and not yet told,
     * after that, CFGI_CD_ALL for each of its nested streams and then
     * TLBI_NH_ALL for the VMID: no CMD_SYNC may complete meanwhile.
     */
    bool dirty;
    unsigned long fail_seq;
};

/* An attached stream as the domain builder made it, and what the physical
 * SMMU was last told about it (physical streams). */
struct fz_stream {
    uint32_t vsid, psid;
    int backend;
    bool phys_known;
    bool phys_unknown;                  /* the last install failed */
    enum vsmmuv3_ste_cfg phys_cfg;
    uint64_t phys_ste[2];
    unsigned long install_seq;          /* last successful install */
    unsigned long cd_all_seq;           /* last CFGI_CD_ALL accepted */
};

/* What a step is, for the transition checks. */
enum fz_step_kind {
    FZ_STEP_MMIO,           /* a vCPU's trap */
    FZ_STEP_CONT,           /* a vCPU's continuation step */
    FZ_STEP_PHYS,           /* a physical SMMU reports an event */
    FZ_STEP_OTHER,          /* builder, teardown */
};

/* State before a step. */
struct fz_snap {
    uint32_t cr0, cr0ack, gerror, gerrorn, gbpa;
    uint64_t cmdq_base, evtq_base;
    uint32_t cmdq_prod, cmdq_cons, evtq_prod, evtq_cons;
    unsigned long cmds, cmd_errors, events, events_lost, forwarded;
    unsigned long steps, continuations;
    unsigned int logs;
    bool pending;                       /* fz_work_pending() */
    /* Where multi-step work got to (progress of a continuation step). */
    bool sweep_active, cmd_active, cmd_recovered;
    uint32_t sweep_next_vsid, cmd_next_vsid;
};

struct fz_env {
    struct domain *d;
    struct vcpu *v;                     /* the vCPU making accesses */
    struct vsmmuv3 *vs;
    struct fz_config cfg;
    struct vsmmuv3_id id0;              /* IDRs at creation: frozen */
    struct fz_phys phys[FZ_MAX_BACKENDS];
    struct fz_stream streams[FZ_MAX_STREAMS];
    unsigned int nr_streams;
    bool dying;                         /* vsmmuv3_relinquish() called */
    bool relinquished;                  /* ... and it returned 0 */
    unsigned int relinquish_restarts;   /* -ERESTART returns */
    unsigned int preempt_every;         /* emul_preempt_every() */
    bool failures;                      /* any injected this input */
    unsigned long seq;                  /* orders physical SMMU calls */
    unsigned long no_vcpu;              /* accesses outside a vCPU's step */
    unsigned int rr;                    /* next vCPU of a round robin */
    s_time_t clock;                     /* advanced during this input */
    unsigned long allocs0;

    /* Current step. */
    enum fz_step_kind kind;
    struct vcpu *step_vcpu;             /* MMIO, CONT: whose step it is */
    unsigned int hook_traps, hook_conts;    /* emul's step hook calls */
    uint32_t mmio_off;                  /* FZ_STEP_MMIO: frame offset */
    unsigned int mmio_size;
    bool mmio_write;
    uint64_t mmio_val;                  /* the value written */
    struct fz_snap before;
    unsigned long step_mem, step_installs, step_inval, step_syncs;
    bool step_evt_failed;               /* an event write failed */
    bool step_sync_failed;              /* a physical sync failed */
    uint32_t step_msi_failed;           /* GERROR bits of failed MSIs */
    const uint64_t *phys_evt;           /* FZ_STEP_PHYS: the record */
    uint32_t phys_vsid;
    unsigned long forwarded;            /* events forwarded this input */

    /* Guest memory classification (see fuzz-common.c). */
    bool l2_valid;
    paddr_t l2_base;
    uint64_t l2_entries;
    bool cd_valid;
    paddr_t cd_addr;
    /*
     * The Linux driver's CMD_SYNC polled by MSI: its slot (0: none), whether
     * the model's last fetch of the slot found it, and whether its MSI was
     * written.
     */
    paddr_t guest_sync_slot;
    bool guest_sync_fetched, guest_sync_signalled;
    /*
     * The distinct MSIs (address, data) of the CMD_SYNCs fetched in this
     * step; past the array, any CMD_SYNC MSI is taken as fetched.
     */
    unsigned int nr_sync_msi;
    bool sync_msi_overflow;
    paddr_t sync_msi_addr[4 * VSMMUV3_FETCH];
    uint32_t sync_msi_data[4 * VSMMUV3_FETCH];
    /*
     * The commands of the model's last fetch, where they came from: a
     * command it continues in a later step (a CMD_SYNC whose recovery
     * spans steps) is the one it fetched at CONS.
     */
    paddr_t fetch_gpa;
    unsigned int fetch_n;
    unsigned int step_fetches;          /* fetches in this step */
    bool step_ambiguous;                /* a table read looked like one */
    unsigned int step_cd_reads;         /* CD words read in this step */
    uint64_t fetch_cmds[VSMMUV3_FETCH][2];
};

/* Abort with a message: a violated invariant is a crash for libFuzzer. */
void fz_fail(const char *file, int line, const char *expr,
             const char *fmt, ...)
    __attribute__((noreturn, format(printf, 4, 5)));
#define FZ_CHECK(cond, ...)                                             \
    do {                                                                \
        if ( !(cond) )                                                  \
            fz_fail(__FILE__, __LINE__, #cond, "" __VA_ARGS__);         \
    } while ( 0 )

/* Once per process. */
void fz_init(void);

/* Decode a fuzz_config from two header bytes. */
void fz_config_decode(struct fz_config *c, uint8_t h0, uint8_t h1);

/*
 * A domain with RAM, a vSMMU per @c, and its streams: vSID 0 on backend 0,
 * vSID 1 virtual, vSID 2 on backend 1, vSID 0x47 on backend 0, vSID 0x1c3
 * on backend 1 (virtual where the backend does not exist).
 */
struct fz_env *fz_env_create(const struct fz_config *c);
/* Relinquish (as domain destruction does), free, check nothing leaked. */
void fz_env_destroy(struct fz_env *e);

/* The domain builder (later hot-plug): vsmmuv3_add_stream() and bookkeeping. */
int fz_add_stream(struct fz_env *e, uint32_t vsid, int backend,
                  uint32_t psid);
/* The physical driver: vsmmuv3_release_stream() (a device leaves). */
void fz_release_stream(struct fz_env *e, unsigned int backend, uint32_t psid);
/* Operands of M_RELEASE / G_RELEASE (fuzz-ops.h). */
void fz_release_op(struct fz_env *e, struct fz_in *in);

/*
 * Steps.  Each checks every invariant afterwards.  fz_mmio() takes a frame
 * offset (outside the frame is allowed) and a DABT_* size; it returns what
 * emul_mmio_*() returned.  The access is made by e->v, once that vCPU's
 * own continuation steps are done.
 */
int fz_mmio(struct fz_env *e, bool write, int64_t off, unsigned int size,
            uint64_t *val);
uint64_t fz_read(struct fz_env *e, uint32_t off, unsigned int size);
void fz_write(struct fz_env *e, uint32_t off, unsigned int size,
              uint64_t val);
/* The vSMMU has work a vCPU should do (the model's own definition). */
bool fz_work_pending(const struct vsmmuv3 *vs);
/* One continuation step of @v (Xen: check_for_vcpu_work()); true if more. */
bool fz_continue(struct fz_env *e, struct vcpu *v);
/* Continuation steps of @v until it has no work left. */
void fz_finish_vcpu(struct fz_env *e, struct vcpu *v);
/* Continuation steps as C_* (fuzz-ops.h) says. */
void fz_continue_op(struct fz_env *e, unsigned int arg);
/* Every vCPU until none has work; then nothing may be pending. */
void fz_drain(struct fz_env *e);
/*
 * fuzz_restore: vsmmuv3_restore() of @rec, checked: refused, nothing
 * changed; accepted, the resulting state holds every invariant.
 */
int fz_restore(struct fz_env *e, const void *rec, size_t len,
               unsigned int *aborted);
/* The vCPU making the accesses from now on: vCPU @idx % FZ_NR_VCPUS. */
void fz_set_vcpu(struct fz_env *e, unsigned int idx);
void fz_clock(struct fz_env *e, s_time_t ns);
/*
 * The domain dies: vsmmuv3_relinquish() as domain destruction calls it,
 * preemptible; @arg as M_RELINQUISH says (0: no preemption, to the end).
 */
void fz_relinquish_op(struct fz_env *e, unsigned int arg);
void fz_set_fail(struct fz_env *e, unsigned int backend, unsigned int fail);
/*
 * Physical SMMU @backend (-1: one that is not behind this vSMMU) reports
 * @evt (StreamID physical); returns vsmmuv3_handle_phys_event()'s result.
 */
int fz_phys_event(struct fz_env *e, int backend, const uint64_t evt[4]);
/* Operands of M_PHYS_EVENT / G_PHYS_EVENT (fuzz-ops.h): @n events. */
void fz_phys_events_op(struct fz_env *e, struct fz_in *in, unsigned int n);

/* Guest RAM helpers: stores to pages that are not RAM are dropped. */
bool fz_is_ram(paddr_t gpa, size_t len);
void fz_ram_write(struct fz_env *e, paddr_t gpa, const void *buf,
                  size_t len);
bool fz_ram_read(struct fz_env *e, paddr_t gpa, void *buf, size_t len);
/* A guest address from a selector and an offset (see fuzz-common.c). */
paddr_t fz_addr(uint8_t sel, uint32_t off);

/*
 * A Linux-like guest driver (SPEC-NOTES S7): its layout, shadow pointers
 * and the handlers it runs.
 */
struct fz_guest {
    struct fz_env *e;
    paddr_t cmdq, evtq, strtab;
    unsigned int cmdq_log2, evtq_log2;
    uint32_t strtab_cfg;
    uint32_t irq_ctrl;
    bool msi_poll;                      /* CMD_SYNC completion by MSI */
    uint32_t prod;                      /* shadow CMDQ_PROD */
    uint32_t evtq_cons;                 /* shadow EVENTQ_CONS */
};

/* S7.2: reset and enable with the layout in @g (SMMUEN if @enable). */
void fz_linux_reset(struct fz_guest *g, bool enable);
/* Write a command at the shadow PROD (not published). */
void fz_guest_cmd(struct fz_guest *g, uint64_t c0, uint64_t c1);
/* Operands of M_CMDS / G_CMDS (fuzz-ops.h): a run of commands. */
void fz_guest_cmds(struct fz_guest *g, struct fz_in *in, unsigned int arg);
void fz_guest_publish(struct fz_guest *g);
/*
 * Queue a CMD_SYNC, publish and wait for it as Linux does (S7.5): by MSI
 * polling of the CMD_SYNC's own slot if g->msi_poll, else by reading CONS.
 */
void fz_guest_sync(struct fz_guest *g);
/* S7.4: Linux's GERROR handler: fix the failed command, ack GERRORN. */
void fz_guest_gerror(struct fz_guest *g);
/* Linux's event queue thread: consume records, ack overflow if @ack. */
unsigned int fz_guest_events(struct fz_guest *g, bool ack);

/*
 * Operand decoders shared by the targets.  A vSID selector is one byte:
 * below 0xf0 an attached stream, 0xf0-0xf7 a raw u16, 0xf8- a raw u32.
 */
uint32_t fz_vsid(struct fz_env *e, struct fz_in *in);
/*
 * A command from fz_opcodes[@opsel & 0x7f], the vSID for the commands that
 * carry one, and raw fields; with @opsel bit 7 the fields are reduced to
 * the ones the opcode defines (a well-formed command).
 */
void fz_build_cmd(uint8_t opsel, uint32_t vsid, uint64_t f0, uint64_t f1,
                  uint64_t c[2]);
/* STE word 0: cfg bit 0 V, 1-3 Config, 4-5 S1Fmt, 6 S1CDMax, 7 RES0 junk. */
uint64_t fz_ste_w0(uint8_t cfg, paddr_t ctx);

#endif /* FUZZ_H */
