/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Input encoding of the fuzz targets, shared by the targets and by the seed
 * corpus generator (gen-corpus.c).  Every input starts with a header, then
 * a sequence of operations: one byte whose low 5 bits are the kind and
 * whose top 3 bits are a small argument, followed by the operation's
 * operands (integers little-endian; a short input reads as zeros).  Kinds
 * not listed are no-ops, reserved so that new operations (for instance
 * physical events) can be added without invalidating the corpus.
 *
 * Header (both targets), see fz_config_decode():
 *   h0  bits 0-1 step_work {CONFIG, VSMMUV3_WORK_MIN, FZ_STEP_WORK_MID,
 *       4096}; 2-3 IDR1.CMDQS {CONFIG, 7, 8, 19}; 4-5 IDR1.EVENTQS
 *       {CONFIG, 1, 3, 19}; 6-7 physical SMMUs
 *       {2 (RIL, no RIL), 2 (RIL; the second without ASID16, OAS 40,
 *       4K only), 1, none}
 *   h1  bits 0-3 failures injected into SMMU 0 from the start (FZ_FAIL_*);
 *       bit 4 IPA size 48 (else 40); bit 5 RIL on a single SMMU; bits 6-7
 *       forwarded-event budget {CONFIG, 1, 4, 64} per second
 * fuzz_guest_ram adds h2 and h3 (see fuzz_guest_ram.c).
 *
 * The domain has FZ_NR_VCPUS vCPUs; MMIO accesses are made by the current
 * one (vCPU 0 at first, M_VCPU / G_VCPU switch).  A vCPU whose trap left
 * work does one continuation step at each M_CONTINUE / G_CONTINUE that
 * picks it, and all of it before its own next access (Xen returns to the
 * guest only once check_for_vcpu_work() says nothing is left).
 */
#ifndef FUZZ_OPS_H
#define FUZZ_OPS_H

#include <stdint.h>

#define FZ_OP(kind, arg)    ((uint8_t)((kind) | ((arg) << 5)))
#define FZ_OP_KIND(b)       ((b) & 0x1f)
#define FZ_OP_ARG(b)        ((b) >> 5)

/* Failure injection of a checking physical SMMU (header h1, M_FAIL). */
#define FZ_FAIL_INSTALL     (1U << 0)   /* install_nested, set_s2_only */
#define FZ_FAIL_ABORT       (1U << 1)   /* set_abort */
#define FZ_FAIL_QUEUE       (1U << 2)   /* queue_inval */
#define FZ_FAIL_SYNC        (1U << 3)   /* sync */

/* fuzz_mmio. */
enum {
    M_READ = 0,         /* u8 a (size a&3, offset mode a>>2&3), offset */
    M_WRITE,            /* u8 a, offset, u64 value */
    M_READ_REG,         /* arg: size; u8 register index */
    M_WRITE_REG,        /* arg: size; u8 register index, u64 value */
    M_WRITE_ADDR,       /* arg: base register; u8 sel, u32 off, u8 low */
    M_WRITE_STRTAB_CFG, /* u8 a (bit 0 2-level, bits 1-2 split), u8 log2 */
    M_CONTINUE,         /* arg: continuation steps, fz_continue_op() */
    M_CLOCK,            /* arg: fz_clock_steps[] */
    M_POKE,             /* u8 sel, u32 off, (arg+1)*8 bytes */
    M_CMD,              /* u8 opsel, u64 w0, u64 w1; arg bit 0: at PROD and
                           publish, else u16 slot first */
    M_STE,              /* vsid sel, u8 cfg, u8 ctx sel, u16 off, u64 w1;
                           arg bit 0: then CFGI_STE + CMD_SYNC */
    M_L1,               /* u16 index, u8 sel, u32 off, u8 span */
    M_PUBLISH,          /* PROD += arg+1; arg 7: u32 raw PROD */
    M_GERROR,           /* Linux's GERROR handler */
    M_EVENTS,           /* Linux's event thread; arg bit 0: no OVACK */
    M_RELINQUISH,       /* the domain dies: no more guest accesses; arg:
                           fz_relinquish_op() */
    M_FAIL,             /* arg bit 0: SMMU; u8 FZ_FAIL_* */
    M_LINUX_RESET,      /* arg bit 0 2-level, bit 1 SMMUEN, bit 2 CMD_SYNC
                           completion by MSI; u8 log2s */
    M_ADD_STREAM,       /* u16 vsid, u8 b: backend b % (nr + 3) - 2 (so
                           also invalid ones), bit 7 vSID + 0x10000;
                           u16 psid */
    M_POLL_CONS,        /* read CMDQ_CONS arg+1 times */
    M_PHYS_EVENT,       /* fz_phys_events_op(): fz_event_counts[arg] events */
    M_VCPU,             /* arg: the vCPU making the accesses from now on */
    M_CMDS,             /* fz_guest_cmds(): a run of commands at PROD */
    M_RELEASE,          /* fz_release_op(): u8 b: stream b % nr, bit 7
                           SMMU b & 1 and u16 pSID instead */
    M_NR
};

/* Offset modes of M_READ / M_WRITE. */
enum {
    OFF_PAGE0_LOW,      /* u8: the register area of page 0 */
    OFF_PAGE1_LOW,      /* u8: page 1 from 0x10080 */
    OFF_ANY,            /* u32: anywhere in, or 256 bytes around, the frame */
    OFF_REG,            /* u8: fz_regs[] plus (byte >> 6) */
};

/* fuzz_guest_ram. */
enum {
    G_CMDS_RAW = 0,     /* arg+1 commands of 16 raw bytes at PROD */
    G_CMD,              /* u8 opsel, vsid sel, u64 f0, u64 f1; arg bit 0
                           publish, bit 1 add a CMD_SYNC */
    G_STE,              /* vsid sel, u8 cfg, u8 ctx sel, u16 off, u64 w1;
                           arg bit 0: then CFGI_STE + CMD_SYNC, publish */
    G_L1,               /* u16 index; arg bit 0: u64 raw, else u8 sel,
                           u32 off, u8 span */
    G_FILL,             /* arg: region; u16 off, u8 len, bytes */
    G_PUBLISH,          /* arg 0 PROD; 1-5 PROD + u8; 6 u32 raw;
                           7 PROD with the wrap bit flipped */
    G_SERVICE,          /* continuation steps (arg as G_CONTINUE), GERROR,
                           events */
    G_GERROR,           /* Linux's GERROR handler */
    G_EVENTS,           /* arg bit 0: do not acknowledge overflow */
    G_POLL,             /* read CMDQ_CONS arg+1 times */
    G_CONTINUE,         /* arg: continuation steps, fz_continue_op() */
    G_CONTROL,          /* arg: 0 SMMUEN off, 1 on, 2 GBPA abort, 3 GBPA
                           bypass, 4 EVENTQEN off, 5 on, 6 CMDQEN off+on,
                           7 Linux reset */
    G_FAIL,             /* arg bit 0: SMMU; u8 FZ_FAIL_* */
    G_CLOCK,            /* arg: fz_clock_steps[] */
    G_IRQ_CTRL,         /* IRQ_CTRL = arg (bits 0 and 2 matter) */
    G_ATTACH,           /* vsid sel, u16 asid: Linux's attach (S7.3) */
    G_UNMAP,            /* arg*8+1 TLBI_NH_VA: u16 asid, u64 va, u8 range */
    G_RELINQUISH,       /* the domain dies; arg: fz_relinquish_op() */
    G_MSI,              /* arg bit 0: EVTQ (else GERROR) MSI target: u8 sel,
                           u32 off, u32 data; arg bit 1: back to wired */
    G_PHYS_EVENT,       /* fz_phys_events_op(): fz_event_counts[arg] events */
    G_SYNC_MODE,        /* arg bit 0: CMD_SYNC completion by MSI polling */
    G_VCPU,             /* arg: the vCPU making the accesses from now on */
    G_CMDS,             /* fz_guest_cmds(): a run of commands at PROD */
    G_RELEASE,          /* as M_RELEASE */
    G_NR
};

/*
 * Argument of M_CONTINUE, G_CONTINUE and G_SERVICE (fz_continue_op()):
 * which vCPUs make continuation steps, as Xen does on their way back to
 * the guest.  A vCPU without work is stepped too where it is named (it
 * must do nothing).
 */
enum {
    C_CUR_1,            /* one step of the current vCPU */
    C_CUR_2,            /* two steps of the current vCPU */
    C_EACH,             /* one step of each vCPU, 0 first */
    C_EACH_REV,         /* one step of each vCPU, the last first */
    C_RR_4,             /* up to 4 steps, round robin over vCPUs with work */
    C_RR_16,            /* up to 16 */
    C_RR_64,            /* up to 64 */
    C_ALL,              /* until no vCPU has work */
};

/*
 * M_CMDS and G_CMDS (fz_guest_cmds()): u8 n, u8 opsel, vSID selector, u64
 * w0, u64 w1: n + 1 commands as fz_build_cmd() makes them, written from
 * PROD on; arg bit 0: then publish them, bit 1: vary them (the i-th has
 * vSID + i, ASID ^ i, address + i pages), bit 2: then a CMD_SYNC.  Runs
 * of commands put the step boundaries anywhere in a doorbell.
 */
#define FZ_CMDS_PUBLISH     1
#define FZ_CMDS_VARY        2
#define FZ_CMDS_SYNC        4

/*
 * Argument of M_RELINQUISH and G_RELINQUISH (fz_relinquish_op()): bits 0-1
 * hypercall_preempt_check() true every {never, 1, 2, 3} calls; bit 2 one
 * call of vsmmuv3_relinquish() only (the rest at a later relinquish
 * operation or at teardown), else calls until it returns 0.
 */
#define FZ_RELINQUISH_ONE_CALL  4

/* Regions of G_FILL. */
enum {
    R_CMDQ, R_EVTQ, R_STRTAB, R_L2, R_CD, R_RAM1, R_RAM0, R_AT_PROD,
};

/*
 * Operands of the physical-event operations (fz_phys_events_op()):
 *   u8 b   SMMU b % (nr + 1) (the last: an SMMU not behind this vSMMU);
 *          bit 7: u16 raw pSID follows, else the pSID of stream b >> 2
 *   u8     index in fz_event_ids[]
 *   u8     bit 0 S2, 1 NSIPA, 2 SSV, 3-4 CLASS, 5 RnW, 6 InD, 7 PnU
 *   u64    word 2 (input address), u64 word 3 (IPA / fetch address)
 */
static const unsigned int fz_event_counts[8] = { 1, 2, 4, 8, 16, 64, 300, 1 };
static const uint8_t fz_event_ids[] = {
    0x10 /* F_TRANSLATION */, 0x11 /* F_ADDR_SIZE */, 0x12 /* F_ACCESS */,
    0x13 /* F_PERMISSION */, 0x0b /* F_WALK_EABT */, 0x04 /* C_BAD_STE */,
    0x06 /* F_STREAM_DISABLED */, 0x08 /* C_BAD_SUBSTREAMID */,
    0x09 /* F_CD_FETCH */, 0x0a /* C_BAD_CD */, 0x02 /* C_BAD_STREAMID */,
    0x03 /* F_STE_FETCH */, 0x01 /* F_UUT */, 0x07 /* F_TRANSL_FORBIDDEN */,
    0x05 /* F_BAD_ATS_TREQ */, 0x20 /* F_TLB_CONFLICT */,
    0x21 /* F_CFG_CONFLICT */, 0x24 /* E_PAGE_REQUEST */, 0x00, 0xff,
};
#define FZ_NR_EVENT_IDS (sizeof(fz_event_ids) / sizeof(fz_event_ids[0]))

/* vCPUs of the domain. */
#define FZ_NR_VCPUS     4

/* Steps of the clock, in ns. */
static const int64_t fz_clock_steps[8] = {
    1000, 1000000, 100000000, 1000000000LL, 5000000000LL, 6000000000LL,
    60000000000LL, 3600000000000LL,
};

/* Opcodes the structured command operations choose from. */
static const uint8_t fz_opcodes[] = {
    0x46 /* CMD_SYNC */, 0x03 /* CFGI_STE */, 0x04 /* CFGI_STE_RANGE */,
    0x05 /* CFGI_CD */, 0x06 /* CFGI_CD_ALL */, 0x10 /* TLBI_NH_ALL */,
    0x11 /* TLBI_NH_ASID */, 0x12 /* TLBI_NH_VA */, 0x13 /* TLBI_NH_VAA */,
    0x30 /* TLBI_NSNH_ALL */, 0x01 /* PREFETCH_CONFIG */,
    0x02 /* PREFETCH_ADDR */, 0x07 /* CFGI_VMS_PIDM */,
    0x18 /* TLBI_EL3_ALL */, 0x1a /* TLBI_EL3_VA */, 0x20 /* TLBI_EL2_ALL */,
    0x21 /* TLBI_EL2_ASID */, 0x22 /* TLBI_EL2_VA */,
    0x23 /* TLBI_EL2_VAA */, 0x28 /* TLBI_S12_VMALL */,
    0x2a /* TLBI_S2_IPA */, 0x40 /* ATC_INV */, 0x41 /* PRI_RESP */,
    0x44 /* RESUME */, 0x45 /* STALL_TERM */, 0x00, 0xff,
};
#define FZ_NR_OPCODES   (sizeof(fz_opcodes) / sizeof(fz_opcodes[0]))

/* Register words of the frame (and a few RES0 ones) for OFF_REG. */
static const uint32_t fz_regs[] = {
    0x00, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c,     /* IDRs, IIDR, AIDR */
    0x20, 0x24, 0x28, 0x2c, 0x40, 0x44, 0x48,           /* CR0..AGBPA */
    0x50, 0x54, 0x60, 0x64, 0x68, 0x6c, 0x70, 0x74,     /* IRQ, GERROR */
    0x80, 0x84, 0x88, 0x90, 0x94, 0x98, 0x9c,           /* STRTAB, CMDQ */
    0xa0, 0xa4, 0xa8, 0xac, 0xb0, 0xb4, 0xb8, 0xbc,     /* EVENTQ */
    0xc0, 0xfc, 0x100, 0x100a8, 0x100ac, 0x100a0, 0x100c8, 0x1fffc,
};
#define FZ_NR_REGS      (sizeof(fz_regs) / sizeof(fz_regs[0]))

/* Index of a register in fz_regs[], for the generator. */
static inline uint8_t fz_reg_index(uint32_t off)
{
    unsigned int i;

    for ( i = 0; i < FZ_NR_REGS; i++ )
        if ( fz_regs[i] == off )
            return i;
    return 0;
}

static inline uint8_t fz_opcode_index(uint8_t op)
{
    unsigned int i;

    for ( i = 0; i < FZ_NR_OPCODES; i++ )
        if ( fz_opcodes[i] == op )
            return i;
    return 0;
}

#endif /* FUZZ_OPS_H */
