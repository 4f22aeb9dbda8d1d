/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Driving the guest's virtual SMMUv3 the way Linux's arm-smmu-v3 driver
 * does.  Register offsets, fields and command layouts all come from the
 * project's smmu-v3-arch.h, the same file the device model uses.
 */
#ifndef XTF_SMMU_H
#define XTF_SMMU_H

#include <xtf/types.h>
#include <xtf/traps.h>
#include <smmu-v3-arch.h>

/* Linux's poll timeout for CR0ACK, GBPA, IRQ_CTRLACK and CMD_SYNC (S7.5). */
#define SMMU_POLL_US            1000000U

/*
 * Accesses to the vSMMU's frame so far: each one traps to Xen (the frame
 * is emulated), so this counts the guest's vSMMU traps.
 */
extern unsigned long smmu_traps;

static inline uintptr_t smmu_reg(unsigned int off)
{
    return GUEST_VSMMUV3_BASE + off;
}

static inline uint32_t smmu_read32(unsigned int off)
{
    smmu_traps++;
    return mmio_read32(smmu_reg(off));
}

static inline void smmu_write32(unsigned int off, uint32_t v)
{
    smmu_traps++;
    mmio_write32(smmu_reg(off), v);
}

static inline uint64_t smmu_read64(unsigned int off)
{
    smmu_traps++;
    return mmio_read64(smmu_reg(off));
}

static inline void smmu_write64(unsigned int off, uint64_t v)
{
    smmu_traps++;
    mmio_write64(smmu_reg(off), v);
}

/* Write @off and poll @ack_off until it reads @v: false on timeout. */
bool smmu_write_ack(unsigned int off, unsigned int ack_off, uint32_t v);
/* CR0 and IRQ_CTRL handshakes. */
bool smmu_cr0(uint32_t v);
bool smmu_irq_ctrl(uint32_t v);
/* GBPA update: write with UPDATE, poll UPDATE clear. */
bool smmu_gbpa(uint32_t v);

/* A queue in guest memory and the driver's copy of its pointers. */
struct smmu_queue {
    uint64_t *base;             /* entries */
    unsigned int log2;          /* entries = 1 << log2 */
    unsigned int dwords;        /* 64-bit words per entry */
    uint32_t prod, cons;        /* index + wrap */
};

static inline uint32_t q_idx(const struct smmu_queue *q, uint32_t p)
{
    return p & ((1U << q->log2) - 1);
}

static inline uint32_t q_wrap(const struct smmu_queue *q, uint32_t p)
{
    return p & (1U << q->log2);
}

static inline uint32_t q_inc(const struct smmu_queue *q, uint32_t p)
{
    return (p + 1) & ((2U << q->log2) - 1);
}

static inline bool q_empty(const struct smmu_queue *q)
{
    return q->prod == q->cons;
}

static inline bool q_full(const struct smmu_queue *q)
{
    return q_idx(q, q->prod) == q_idx(q, q->cons) &&
           q_wrap(q, q->prod) != q_wrap(q, q->cons);
}

extern struct smmu_queue smmu_cmdq, smmu_evtq;
extern uint64_t *smmu_strtab;
extern unsigned int smmu_strtab_log2;

/* IDR1 queue sizes (the largest the vSMMU accepts). */
unsigned int smmu_max_cmdq_log2(void);
unsigned int smmu_max_evtq_log2(void);

/*
 * Linux's reset (S7.2) with a linear stream table of 1 << @st_log2 STEs
 * (all zero: V=0), a command queue of 1 << @cmdq_log2 and an event queue of
 * 1 << @evtq_log2 entries, and both interrupts enabled.  It ends with
 * SMMUEN set.  Reports a failure and returns false if any step misbehaves.
 */
bool smmu_reset(unsigned int st_log2, unsigned int cmdq_log2,
                unsigned int evtq_log2);

/* Commands (4.1.1): two 64-bit words. */
struct smmu_cmd {
    uint64_t w[2];
};

struct smmu_cmd cmd_sync(void);
/* CS=SIG_IRQ: MSIData @data written to @addr on completion (S4.5). */
struct smmu_cmd cmd_sync_msi(uint64_t addr, uint32_t data);
struct smmu_cmd cmd_cfgi_all(void);
struct smmu_cmd cmd_cfgi_ste(uint32_t sid);
struct smmu_cmd cmd_tlbi_nsnh_all(void);
struct smmu_cmd cmd_tlbi_nh_all(void);
struct smmu_cmd cmd_raw(uint64_t w0, uint64_t w1);

/* Copy @n commands in at PROD (no doorbell); false if the queue is full. */
bool smmu_cmdq_put(const struct smmu_cmd *cmds, unsigned int n);
/*
 * The same, reading CMDQ_CONS only when the queue looks full with the
 * driver's copy of it (Linux's way: no trap to learn CONS otherwise).
 */
bool smmu_cmdq_put_lazy(const struct smmu_cmd *cmds, unsigned int n);
/* Write CMDQ_PROD with the driver's PROD. */
void smmu_cmdq_doorbell(void);
/* Put and ring. */
bool smmu_cmdq_submit(const struct smmu_cmd *cmds, unsigned int n);

enum smmu_wait {
    SMMU_WAIT_DONE,             /* CONS reached PROD */
    SMMU_WAIT_ERROR,            /* GERROR.CMDQ_ERR became active */
    SMMU_WAIT_TIMEOUT,
};
/* Poll CMDQ_CONS until the queue drains (or an error, or @us pass). */
enum smmu_wait smmu_cmdq_wait(uint64_t us);

/* Active global errors: GERROR ^ GERRORN. */
static inline uint32_t smmu_gerror_active(void)
{
    return smmu_read32(SMMU_GERROR) ^ smmu_read32(SMMU_GERRORN);
}

/* Take the next event record from the event queue, false if empty. */
bool smmu_evtq_pop(uint64_t evt[4]);
/*
 * Wait up to @us for an event record (events forwarded from the physical
 * SMMU come a little after the DMA that caused them), take it; false if
 * none came.
 */
bool smmu_evtq_wait(uint64_t evt[4], uint64_t us);
/* "F_TRANSLATION" and so on, or "?" */
const char *smmu_event_name(unsigned int id);

/*
 * Commands the way a driver sends them: @n commands, then a CMD_SYNC, wait
 * for completion.  A failure is reported (with @what) and false returned.
 */
bool smmu_cmds(const struct smmu_cmd *cmds, unsigned int n, const char *what);
/* One command and a CMD_SYNC. */
bool smmu_cmd1(struct smmu_cmd c, const char *what);

struct smmu_cmd cmd_cfgi_cd(uint32_t sid, bool leaf);
struct smmu_cmd cmd_cfgi_cd_all(uint32_t sid);
struct smmu_cmd cmd_tlbi_nh_asid(uint16_t asid);
struct smmu_cmd cmd_tlbi_nh_va(uint16_t asid, uint64_t va, bool leaf);
struct smmu_cmd cmd_tlbi_nh_vaa(uint64_t va, bool leaf);
/*
 * The range form (IDR3.RIL): (@num + 1) << @scale pages of granule
 * 1 << @gshift from @va (TG from @gshift; TTL 0: no level hint).
 */
struct smmu_cmd cmd_tlbi_nh_va_range(uint16_t asid, uint64_t va,
                                     unsigned int gshift, unsigned int num,
                                     unsigned int scale, bool leaf);

/* Context descriptors and STEs, as Linux's driver writes them. */
struct s1_pt;
/*
 * A stage-1 CD for the tables of @pt, ASID @asid: valid, AArch64, faults
 * recorded (R) and terminated with an abort (A), IPS as IDR5.OAS, TTB1
 * walks disabled, MAIR index 0 Normal write-back.  Word 0 last.
 */
void smmu_cd_write(uint64_t *cd, const struct s1_pt *pt, uint16_t asid);
/* The STE of @sid in the linear stream table. */
static inline volatile uint64_t *smmu_ste(uint32_t sid)
{
    return smmu_strtab + (size_t)sid * SMMU_STE_DWORDS;
}
/* Write an STE: words 1-7 first, word 0 last (Linux's order). */
void smmu_ste_write(uint32_t sid, const uint64_t ste[SMMU_STE_DWORDS]);
/* Config abort, bypass (stage 2 only under Xen), S1 with @cd. */
void smmu_ste_abort(uint32_t sid);
void smmu_ste_bypass(uint32_t sid);
void smmu_ste_s1(uint32_t sid, const void *cd);
/* The write and CFGI_STE + CMD_SYNC. */
bool smmu_ste_install(uint32_t sid, const uint64_t ste[SMMU_STE_DWORDS]);

const char *smmu_wait_name(enum smmu_wait w);

/*
 * Accesses that may abort: each returns true if the access completed,
 * false if it took a data abort (recorded in *f when f is not NULL).
 */
bool smmu_try_read(unsigned int off, unsigned int bits, uint64_t *val,
                   struct xtf_fault *f);
bool smmu_try_write(unsigned int off, unsigned int bits, uint64_t val,
                    struct xtf_fault *f);

/* Report a failure unless the 32-bit register at @off reads @want. */
bool smmu_expect32(unsigned int off, uint32_t want, const char *what);

#endif /* XTF_SMMU_H */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
