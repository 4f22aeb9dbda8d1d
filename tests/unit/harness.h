/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host test harness: a domain with guest RAM and one vSMMU, and register
 * accessors by frame offset.  The vSMMU is reached only through the MMIO
 * handler it registered, as a guest vCPU would.
 */
#ifndef HARNESS_H
#define HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "emul.h"
#include "vsmmu-v3.h"

#define H_BASE          0x04040000ULL
#define H_RAM_BASE      0x40000000ULL
#define H_RAM_SIZE      (16ULL << 20)
#define H_EVTQ_VIRQ     44
#define H_GERROR_VIRQ   45
#define H_NR_SPIS       32

struct harness {
    struct domain *d;
    struct vcpu *v;
    struct vsmmuv3 *vs;
};

/* Parameters as Xen's glue passes them with the default configuration. */
void harness_default_params(struct vsmmuv3_params *p);
/* A domain with RAM and a vSMMU made from @p (NULL: defaults). */
struct harness *harness_create(const struct vsmmuv3_params *p);
void harness_destroy(struct harness *h);
/* Route the emulated way back to the guest to h->vs (done by create). */
void harness_attach_vcpu_work(struct harness *h);

/* Register access by frame offset; these fail the test on an abort. */
uint32_t h_read32(struct harness *h, uint32_t off);
uint64_t h_read64(struct harness *h, uint32_t off);
void h_write32(struct harness *h, uint32_t off, uint32_t val);
void h_write64(struct harness *h, uint32_t off, uint64_t val);
/* Raw access: 1 handled, 0 data abort, -1 outside every handler. */
int h_access(struct harness *h, uint32_t off, unsigned int size, bool write,
             uint64_t *val);

/* Run model-internal code with the vSMMU lock held, as Xen would. */
void h_raise_gerror(struct harness *h, uint32_t errors);

/*
 * The guest driver's side, laid out as Linux does it: queues and a stream
 * table in guest RAM, commands written at the shadow PROD and published by
 * a CMDQ_PROD write.
 */
#define H_CMDQ_BASE     (H_RAM_BASE + 0x100000)
#define H_EVTQ_BASE     (H_RAM_BASE + 0x200000)
#define H_STRTAB_BASE   (H_RAM_BASE + 0x300000)
#define H_CD_BASE       (H_RAM_BASE + 0x400000)

struct guest {
    struct harness *h;
    unsigned int cmdq_log2;
    unsigned int evtq_log2;
    uint32_t prod;                      /* shadow CMDQ_PROD */
    uint32_t evtq_cons;                 /* shadow EVENTQ_CONS */
};

/*
 * Linux's reset (S7.2) with a linear stream table of 2^@strtab_log2 STEs,
 * all aborting: queues enabled, interrupts enabled, SMMUEN=1 if @enable.
 */
void g_reset(struct guest *g, struct harness *h, unsigned int cmdq_log2,
             unsigned int evtq_log2, unsigned int strtab_log2, bool enable);
void g_cmd(struct guest *g, uint64_t c0, uint64_t c1);     /* queue only */
void g_publish(struct guest *g);                           /* PROD write */
/* Queue, publish, and run every continuation. */
void g_submit(struct guest *g, uint64_t c0, uint64_t c1);
void g_cmd_sync(struct guest *g);       /* queue a CMD_SYNC (CS=NONE) */
/* Queue a CMD_SYNC, publish, drain; the whole queue must be consumed. */
void g_sync_and_wait(struct guest *g);
uint32_t g_cons(struct guest *g);       /* CMDQ_CONS (a trapped read) */
/*
 * Continue every vCPU's pending work until none is left (needed only with
 * emul_auto_return(false)); returns the steps made.
 */
unsigned int g_drain(struct harness *h);
/* Write the STE of @vsid in the linear table (words 2-7 zero). */
void g_write_ste(struct guest *g, uint32_t vsid, uint64_t w0, uint64_t w1);
/* An S1 translate STE pointing at CD @cd, as Linux writes it. */
void g_write_s1_ste(struct guest *g, uint32_t vsid, paddr_t cd);
/* Events the guest has not consumed; returns how many were copied. */
unsigned int g_events(struct guest *g, uint64_t (*evts)[4], unsigned int max);

/* Command builders. */
uint64_t cmd_op(unsigned int op);
uint64_t cmd_sid(unsigned int op, uint32_t sid);
void cmd_sync(uint64_t c[2]);
void cmd_tlbi_va(uint64_t c[2], unsigned int op, uint16_t asid,
                 uint64_t addr, bool leaf, unsigned int tg, unsigned int ttl,
                 unsigned int num, unsigned int scale);

/*
 * A physical SMMU that records what the relay asks of it, and can be made to
 * fail.  Its caps are those of a nesting-capable SMMU with RIL.
 */
#define FAKE_MAX_CMDS   8192
struct fake_install {
    uint32_t psid;
    enum vsmmuv3_ste_cfg cfg;
    uint64_t ste[2];
};
struct fake_phys {
    uint64_t cmds[FAKE_MAX_CMDS][2];
    unsigned int nr_cmds;
    unsigned int queue_calls;
    unsigned int syncs;
    unsigned int cmds_at_sync;          /* nr_cmds at the last sync */
    struct fake_install installs[256];
    unsigned int nr_installs;
    unsigned int install_calls;         /* refused ones too */
    int fail_queue;                     /* errno returned by queue_inval */
    int fail_sync;
    int fail_install;                   /* by install_nested/set_s2_only */
    int fail_abort;                     /* by set_abort */
};
extern const struct vsmmuv3_phys_ops fake_phys_ops;
struct vsmmuv3_backend fake_backend(struct fake_phys *f, uint16_t vmid,
                                    bool ril);
/* Harness with @n fake backends (VMIDs 0x71, 0x72, ...). */
struct harness *harness_create_fake(struct fake_phys *f, unsigned int n,
                                    bool ril);
/* The last installation recorded for @psid, or NULL. */
const struct fake_install *fake_last_install(const struct fake_phys *f,
                                             uint32_t psid);

/*
 * What most tests start from: a vSMMU fronting @nr_phys (1 or 2) fake
 * physical SMMUs, @streams mapped (backend -1: a virtual stream), and the
 * guest after Linux's reset with 2^8-entry command queue and stream table,
 * a 2^@evtq_log2-entry event queue, SMMUEN=1.
 */
struct env_stream {
    uint32_t vsid;
    int backend;
    uint32_t psid;
};
struct env {
    struct fake_phys phys[2];
    struct harness *h;
    struct guest g;
};
struct env *env_create(unsigned int nr_phys, bool ril, unsigned int evtq_log2,
                       const struct env_stream *streams,
                       unsigned int nr_streams);
int env_teardown(void **state);         /* a cmocka teardown */

/*
 * S8.7, S8.8: the work of each step (a trap, or a continuation on the way
 * back to the guest), measured from what the emulated guest memory and the
 * fake physical SMMUs saw, never from the model's own accounting, in the
 * model's units: a guest-memory access 4, a physical command 1, a physical
 * sync 16, a physical STE update 32.
 */
struct step_meter {
    struct harness *h;
    struct fake_phys *phys;
    unsigned int nr_phys;
    unsigned long mem, cmds, syncs, installs;   /* totals at the last step */
    unsigned long traps, continuations;
    unsigned long max_work;                     /* the costliest step */
    unsigned long over;                         /* steps over step_work */
};
void step_meter_start(struct step_meter *m, struct harness *h,
                      struct fake_phys *phys, unsigned int nr_phys);
void step_meter_stop(struct step_meter *m);

#endif /* HARNESS_H */
