/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Benchmark of the vSMMUv3 device model: Linux's command sequences replayed
 * through the MMIO entry points, as a guest vCPU would trap into Xen, with
 * the harness's recording physical SMMU (fake_phys) as the backend.
 *
 * Phases (reference notes 2.1, 2.3-2.6):
 *   unmap          64 x TLBI_NH_VA (TG=0) + CMD_SYNC per CMDQ_PROD write,
 *                  then Linux's CONS polling, repeated
 *   unmap-msi      the same with Linux's MSI polling (ARM_SMMU_OPT_MSIPOLL,
 *                  what a coherent guest uses when IDR0.MSI is advertised):
 *                  CMD_SYNC CS=SIG_IRQ with MSIAddr = its own slot, then
 *                  polling that slot in memory, with no trap
 *   unmap-ril      the same with range TLBIs (RIL) as Linux computes them
 *                  for a mix of unmap sizes; RIL-capable physical SMMU
 *   unmap-ril-split the same guest stream to a physical SMMU without RIL
 *                  (the vSMMU always advertises RIL: the relay splits)
 *   reset-attach   probe reads + Linux's reset, then one device attach
 *                  (CD in two steps, STE abort->S1 in two steps,
 *                  PREFETCH_CONFIG), repeated as a kexec would; MSI
 *                  polling if the probe finds IDR0.MSI, as Linux decides
 *   regs           a register-access loop: CR0/CR0ACK, IRQ_CTRL/ACK, CONS
 *                  polling on an idle queue, event queue PROD/CONS, GERROR
 *
 * Each phase is set up, then measured between CALLGRIND_ZERO_STATS and
 * CALLGRIND_DUMP_STATS_AT(phase) (no-ops when not under callgrind), and
 * prints one "phase NAME key=value ..." line with the counts the figures
 * are divided by: guest commands, trapped accesses, and what the physical
 * SMMU was asked (counted by fake_phys, never by callgrind).
 *
 *   bench [-n SCALE] [-b STEP_WORK] [PHASE...]
 *                  run phases (all by default), SCALE times the default
 *                  repetitions, STEP_WORK work units per step instead of
 *                  CONFIG_VSMMUV3_STEP_WORK
 *   bench --check [-b STEP_WORK]
 *                  structural checks only; ends with "N passed, N failed"
 *
 * Nothing here is timed: instruction counts come from callgrind
 * (tests/bench/figures.py), and --check only tests properties of the design.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "pgtable.h"

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#endif
#endif
#ifndef CALLGRIND_DUMP_STATS_AT
#define CALLGRIND_ZERO_STATS            do { } while ( 0 )
#define CALLGRIND_DUMP_STATS_AT(s)      do { (void)(s); } while ( 0 )
#endif

#define VSID            8               /* the assigned device's StreamID */
#define PSID            0x42
#define VSID_VIRT       9               /* an emulated device: virtual */
#define ASID            3
#define IOVA            0x10000000ULL
#define SPLIT           8               /* Linux's 2-level SPLIT */
#define L2_IPA          (H_STRTAB_BASE + 0x10000)
#define CMDQ_LOG2       10              /* Linux: min(IDR1.CMDQS, ...) */
#define EVTQ_LOG2       10
#define LINUX_BATCH     64              /* CMDQ_BATCH_ENTRIES */

/* Physical commands that flush everything of the domain on an SMMU. */
static bool domain_wide(unsigned int op)
{
    return op == SMMU_OP_TLBI_NH_ALL || op == SMMU_OP_TLBI_S12_VMALL ||
           op == SMMU_OP_TLBI_NSNH_ALL;
}

struct counts {
    unsigned long reads, writes;        /* trapped accesses */
    unsigned long cons_reads;           /* of which CMDQ_CONS polls */
    unsigned long prod_writes;
    unsigned long guest_tlbis, guest_syncs, guest_other;
    unsigned long guest_cmds;           /* consumed, vs->stats.cmds */
    unsigned long phys_cmds, phys_syncs, phys_queue_calls, phys_installs;
    unsigned long domain_wide;          /* physical TLBI_NH_ALL & co */
    unsigned long asid_wide;            /* physical TLBI_NH_ASID */
    unsigned long max_phys_syncs_per_guest_sync;
    unsigned long continuations;        /* steps on the way to the guest */
    unsigned long cont_syncs;           /* CMD_SYNC not done in its trap */
    unsigned long max_step_work, step_work;     /* the model's, S8.8 */
    unsigned long steps;                /* traps' and continuations' */
    unsigned long mem_reads, mem_writes;    /* access_guest_memory_by_gpa */
    unsigned long errors;               /* CONS.ERR, GERROR: must be 0 */
};

struct bench {
    bool msipoll;                       /* Linux's ARM_SMMU_OPT_MSIPOLL */
    struct fake_phys *phys;
    struct harness *h;
    struct guest g;
    struct counts c;
    unsigned long stats_cmds0, stats_cont0;
    struct emul_mem_stats mem0;
};

/* Trapped accesses, counted. */
static uint32_t r32(struct bench *b, uint32_t off)
{
    b->c.reads++;
    return h_read32(b->h, off);
}

static void w32(struct bench *b, uint32_t off, uint32_t val)
{
    b->c.writes++;
    h_write32(b->h, off, val);
}

static void w64(struct bench *b, uint32_t off, uint64_t val)
{
    b->c.writes++;
    h_write64(b->h, off, val);
}

/*
 * What the physical SMMU was asked since the last call, then forget it so
 * that fake_phys keeps every command of the next step (FAKE_MAX_CMDS).
 */
static void collect_phys(struct bench *b)
{
    struct fake_phys *f = b->phys;
    unsigned int i;

    for ( i = 0; i < f->nr_cmds && i < FAKE_MAX_CMDS; i++ )
    {
        unsigned int op = MASK_EXTR(f->cmds[i][0], SMMU_CMD_OPCODE);

        if ( domain_wide(op) )
            b->c.domain_wide++;
        else if ( op == SMMU_OP_TLBI_NH_ASID )
            b->c.asid_wide++;
    }
    b->c.phys_cmds += f->nr_cmds;
    b->c.phys_queue_calls += f->queue_calls;
    b->c.phys_installs += f->nr_installs;
    f->nr_cmds = f->queue_calls = f->nr_installs = 0;
}

/* Queue one command at the shadow PROD, Linux's queue_write(). */
static void cmd(struct bench *b, uint64_t c0, uint64_t c1)
{
    unsigned int op = MASK_EXTR(c0, SMMU_CMD_OPCODE);

    if ( op == SMMU_OP_CMD_SYNC )
        b->c.guest_syncs++;
    else if ( op >= SMMU_OP_TLBI_NH_ALL && op <= SMMU_OP_TLBI_NSNH_ALL )
        b->c.guest_tlbis++;
    else
        b->c.guest_other++;
    g_cmd(&b->g, c0, c1);
}

/*
 * Linux's arm_smmu_cmdq_issue_cmdlist() (reference notes 2.3, 2.4): one
 * PROD write; with a sync, wait for it.  Without MSI polling, poll CONS
 * until it passed the CMD_SYNC (one read when the vSMMU completes the sync
 * in a trap).  With it, the CMD_SYNC asks for MSIData 0 to be written to its
 * own slot and Linux spins on that word in memory: no trap.  A sync that
 * its trap left undone completes in the continuation steps the vCPU makes
 * before it returns to the guest; it is counted, and so are the steps.
 */
static void issue(struct bench *b, bool sync)
{
    unsigned long syncs0 = b->phys->syncs;
    paddr_t slot = H_CMDQ_BASE +
                   (b->g.prod & ((1U << CMDQ_LOG2) - 1)) * SMMU_CMD_SIZE;
    unsigned long n;

    if ( sync )
    {
        uint64_t s[2];

        cmd_sync(s);
        s[0] |= MASK_INSR(3, SMMU_CMD0_SYNC_MSH) |       /* ISH */
                MASK_INSR(0xf, SMMU_CMD0_SYNC_MSIATTR);   /* OIWB */
        if ( b->msipoll )
        {
            s[0] |= MASK_INSR(SMMU_SYNC_CS_IRQ, SMMU_CMD0_SYNC_CS);
            s[1] = slot & SMMU_CMD1_SYNC_MSIADDR;
        }
        else
            s[0] |= MASK_INSR(2, SMMU_CMD0_SYNC_CS);      /* SIG_SEV */
        cmd(b, s[0], s[1]);
    }
    b->c.prod_writes++;
    w32(b, SMMU_CMDQ_PROD, b->g.prod);
    if ( sync && b->msipoll && emul_ram_read32(b->h->d, slot) )
        b->c.cont_syncs++;
    else if ( sync && !b->msipoll &&
              (b->h->vs->cmdq.cons & ~SMMU_CMDQ_CONS_ERR) != b->g.prod )
        b->c.cont_syncs++;
    /* The way back to the guest (steps counted by the model). */
    while ( emul_vcpu_continue(b->h->v) )
        continue;
    if ( sync && b->msipoll )
    {
        if ( emul_ram_read32(b->h->d, slot) )
            b->c.errors++;
    }
    else if ( sync )
    {
        /* Linux gives up after a second; here after a queue's worth. */
        unsigned int polls = 2U << CMDQ_LOG2;
        uint32_t cons;

        do
        {
            b->c.cons_reads++;
            cons = r32(b, SMMU_CMDQ_CONS);
            if ( (cons & SMMU_CMDQ_CONS_ERR) || !--polls )
            {
                b->c.errors++;
                break;
            }
        } while ( cons != b->g.prod );
    }
    n = b->phys->syncs - syncs0;
    if ( sync && n > b->c.max_phys_syncs_per_guest_sync )
        b->c.max_phys_syncs_per_guest_sync = n;
    collect_phys(b);
}

/* Linux's arm_smmu_write_reg_sync(): write, then poll the ACK register. */
static void write_sync(struct bench *b, uint32_t reg, uint32_t ack,
                       uint32_t val)
{
    w32(b, reg, val);
    if ( r32(b, ack) != val )
        b->c.errors++;
}

/* The guest's stream table: 2-level, SPLIT 8, every STE aborting. */
static void guest_strtab_init(struct bench *b)
{
    uint64_t ste[SMMU_STE_DWORDS];
    unsigned int i;

    smmu_build_ste_abort(ste);
    for ( i = 0; i < (1U << SPLIT); i++ )
        emul_ram_write(b->h->d, L2_IPA + i * SMMU_STE_SIZE, ste, sizeof(ste));
    /* insert_master(): the L1 descriptor, one store and no command. */
    emul_ram_write64(b->h->d, H_STRTAB_BASE + (VSID >> SPLIT) * 8,
                     L2_IPA | (SPLIT + 1));
    emul_ram_write(b->h->d, H_CD_BASE, (uint64_t[SMMU_CD_DWORDS]){ 0 },
                   SMMU_CD_SIZE);
}

/*
 * Linux's probe register reads and arm_smmu_device_reset() in order
 * (reference notes 2.1), with a 2-level stream table.
 */
static void linux_reset(struct bench *b)
{
    uint32_t cr0;

    /* arm_smmu_device_hw_probe(): IDR0, IDR1, IDR3, IDR5, IIDR. */
    b->msipoll = r32(b, SMMU_IDR0) & SMMU_IDR0_MSI;     /* dma-coherent */
    r32(b, SMMU_IDR1);
    r32(b, SMMU_IDR3);
    r32(b, SMMU_IDR5);
    r32(b, SMMU_IIDR);

    cr0 = r32(b, SMMU_CR0);
    if ( cr0 & SMMU_CR0_SMMUEN )
    {
        /* arm_smmu_update_gbpa(ABORT): poll, write with UPDATE, poll. */
        uint32_t gbpa = r32(b, SMMU_GBPA);

        w32(b, SMMU_GBPA, gbpa | SMMU_GBPA_ABORT | SMMU_GBPA_UPDATE);
        if ( r32(b, SMMU_GBPA) & SMMU_GBPA_UPDATE )
            b->c.errors++;
    }
    write_sync(b, SMMU_CR0, SMMU_CR0ACK, 0);
    w32(b, SMMU_CR1, 0xd75);
    w32(b, SMMU_CR2, 0x6);
    w64(b, SMMU_STRTAB_BASE, SMMU_STRTAB_BASE_RA | H_STRTAB_BASE);
    w32(b, SMMU_STRTAB_BASE_CFG,
        MASK_INSR(SMMU_STRTAB_FMT_2LVL, SMMU_STRTAB_BASE_CFG_FMT) |
        MASK_INSR(SPLIT, SMMU_STRTAB_BASE_CFG_SPLIT) |
        MASK_INSR(16, SMMU_STRTAB_BASE_CFG_LOG2SIZE));
    w64(b, SMMU_CMDQ_BASE, SMMU_Q_BASE_RWA | H_CMDQ_BASE | CMDQ_LOG2);
    w32(b, SMMU_CMDQ_PROD, 0);
    w32(b, SMMU_CMDQ_CONS, 0);
    b->g = (struct guest){ .h = b->h, .cmdq_log2 = CMDQ_LOG2,
                           .evtq_log2 = EVTQ_LOG2 };
    write_sync(b, SMMU_CR0, SMMU_CR0ACK, SMMU_CR0_CMDQEN);

    /* CFGI_ALL + SYNC, TLBI_NSNH_ALL + SYNC (no IDR0.HYP: no EL2). */
    cmd(b, cmd_op(SMMU_OP_CFGI_STE_RANGE), SMMU_CFGI_RANGE_ALL);
    issue(b, true);
    cmd(b, cmd_op(SMMU_OP_TLBI_NSNH_ALL), 0);
    issue(b, true);

    w64(b, SMMU_EVENTQ_BASE, SMMU_Q_BASE_RWA | H_EVTQ_BASE | EVTQ_LOG2);
    w32(b, SMMU_EVENTQ_PROD, 0);
    w32(b, SMMU_EVENTQ_CONS, 0);
    write_sync(b, SMMU_CR0, SMMU_CR0ACK,
               SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);

    /* arm_smmu_setup_irqs(): wired interrupts (no IDR0.MSI). */
    write_sync(b, SMMU_IRQ_CTRL, SMMU_IRQ_CTRLACK, 0);
    w64(b, SMMU_GERROR_IRQ_CFG0, 0);
    w64(b, SMMU_EVENTQ_IRQ_CFG0, 0);
    write_sync(b, SMMU_IRQ_CTRL, SMMU_IRQ_CTRLACK,
               SMMU_IRQ_CTRL_EVENTQ_IRQEN | SMMU_IRQ_CTRL_GERROR_IRQEN);
    write_sync(b, SMMU_CR0, SMMU_CR0ACK,
               SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN);
}

/* arm_smmu_attach_dev() of the default DMA domain (reference notes 2.5). */
static void linux_attach(struct bench *b)
{
    paddr_t ste_ipa = L2_IPA + (VSID & ((1U << SPLIT) - 1)) * SMMU_STE_SIZE;
    struct smmu_cd_params prm = {
        .ttb0 = H_RAM_BASE + 0x800000, .t0sz = 16, .tg0 = SMMU_CD_TG0_4K,
        .ips = SMMU_IDR5_OAS_48, .asid = ASID,
    };
    uint64_t cd[SMMU_CD_DWORDS], ste[SMMU_STE_DWORDS];

    /* CD, V=0 -> V=1: qwords 1-7, then qword 0; each CFGI_CD + SYNC. */
    smmu_build_cd(cd, &prm);
    emul_ram_write(b->h->d, H_CD_BASE + 8, &cd[1], 7 * 8);
    cmd(b, cmd_sid(SMMU_OP_CFGI_CD, VSID), SMMU_CMD1_LEAF);
    issue(b, true);
    emul_ram_write64(b->h->d, H_CD_BASE, cd[0]);
    cmd(b, cmd_sid(SMMU_OP_CFGI_CD, VSID), SMMU_CMD1_LEAF);
    issue(b, true);

    /* STE abort -> S1: qword 1 first, then qword 0; each CFGI_STE + SYNC. */
    smmu_build_ste_s1(ste, H_CD_BASE);
    emul_ram_write64(b->h->d, ste_ipa + 8, ste[1]);
    cmd(b, cmd_sid(SMMU_OP_CFGI_STE, VSID), SMMU_CMD1_LEAF);
    issue(b, true);
    emul_ram_write64(b->h->d, ste_ipa, ste[0]);
    cmd(b, cmd_sid(SMMU_OP_CFGI_STE, VSID), SMMU_CMD1_LEAF);
    issue(b, true);

    /* PREFETCH_CFG, issued without a sync. */
    cmd(b, cmd_sid(SMMU_OP_PREFETCH_CONFIG, VSID), 0);
    issue(b, false);
}

/* Work units per step: 0 for the configured default. */
static unsigned int step_work;

static struct bench *bench_create(bool ril)
{
    struct bench *b = calloc(1, sizeof(*b));
    struct vsmmuv3_backend be;
    struct vsmmuv3_params p;

    if ( !b || !(b->phys = calloc(1, sizeof(*b->phys))) )
        abort();
    /* harness_create_fake(), with the step of the command line. */
    be = fake_backend(b->phys, 0x71, ril);
    harness_default_params(&p);
    p.nr_backends = 1;
    p.backends = &be;
    if ( step_work )
        p.step_work = step_work;
    b->h = harness_create(&p);
    /* Continuation steps are counted by issue(). */
    emul_auto_return(false);
    if ( vsmmuv3_add_stream(b->h->vs, VSID, 0, PSID) ||
         vsmmuv3_add_stream(b->h->vs, VSID_VIRT, -1, 0) )
        abort();
    guest_strtab_init(b);
    return b;
}

/* A booted guest with its device attached: the state unmaps start from. */
static struct bench *bench_create_attached(bool ril)
{
    struct bench *b = bench_create(ril);

    linux_reset(b);
    linux_attach(b);
    return b;
}

static void bench_start(struct bench *b)
{
    collect_phys(b);
    b->c = (struct counts){ 0 };
    b->phys->syncs = 0;
    b->stats_cmds0 = b->h->vs->stats.cmds;
    b->stats_cont0 = b->h->vs->stats.continuations;
    emul_mem_stats(b->h->d, &b->mem0);
}

static void bench_destroy(struct bench *b)
{
    g_drain(b->h);
    emul_auto_return(true);
    harness_destroy(b->h);
    free(b->phys);
    free(b);
}

/* Phase (a): Linux's unmap of 64 pages, one TLBI_NH_VA per page. */
static void noinline run_unmap(struct bench *b,
                                                unsigned int bursts)
{
    unsigned int i, j;

    for ( i = 0; i < bursts; i++ )
    {
        for ( j = 0; j < LINUX_BATCH; j++ )
        {
            uint64_t c[2];

            cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VA, ASID,
                        IOVA + ((uint64_t)(i * LINUX_BATCH + j) << 12),
                        true, 0, 0, 0, 0);
            cmd(b, c[0], c[1]);
        }
        issue(b, true);
    }
}

/*
 * Linux's __arm_smmu_tlb_inv_range() with RIL for a leaf unmap of @pages
 * pages of 4 KiB at @iova mapped with @granule blocks: appends its range
 * TLBIs to @out, returns how many.
 */
static unsigned int linux_range_tlbis(uint64_t (*out)[2], uint64_t iova,
                                      unsigned long pages,
                                      unsigned long granule)
{
    const unsigned int tg_log2 = 12, tg = (tg_log2 - 10) / 2;
    unsigned int ttl = 4 - ((__builtin_ctzl(granule) - 3) / (tg_log2 - 3));
    unsigned int n = 0;

    while ( pages )
    {
        unsigned int scale = __builtin_ctzl(pages);
        unsigned long num = (pages >> scale) & 31;

        cmd_tlbi_va(out[n++], SMMU_OP_TLBI_NH_VA, ASID, iova, true, tg, ttl,
                    num - 1, scale);
        iova += (uint64_t)num << (scale + tg_log2);
        pages -= num << scale;
    }
    return n;
}

/*
 * The range TLBIs of one batch: unmaps of a mix of sizes (1, 2, 3, 16,
 * 33 pages, a 2 MiB block), until 64 commands are queued.
 */
static unsigned int ril_batch(uint64_t (*out)[2], unsigned int burst)
{
    static const struct { unsigned long pages, granule; } mix[] = {
        { 1, 4096 }, { 2, 4096 }, { 3, 4096 }, { 16, 4096 },
        { 33, 4096 }, { 512, 2UL << 20 }, { 1, 4096 }, { 64, 4096 },
    };
    uint64_t tmp[8][2];
    uint64_t iova = IOVA + ((uint64_t)burst << 30);
    unsigned int n = 0, k = 0;

    while ( n < LINUX_BATCH )
    {
        unsigned int m = linux_range_tlbis(tmp, iova, mix[k].pages,
                                           mix[k].granule);
        unsigned int i;

        for ( i = 0; i < m && n < LINUX_BATCH; i++ )
        {
            out[n][0] = tmp[i][0];
            out[n][1] = tmp[i][1];
            n++;
        }
        iova += (uint64_t)mix[k].pages << 12;
        iova = (iova + (2UL << 20) - 1) & ~((2UL << 20) - 1);
        k = (k + 1) % ARRAY_SIZE(mix);
    }
    return n;
}

/* Phase (b): the same with RIL range TLBIs. */
static void noinline run_unmap_ril(struct bench *b,
                                                    unsigned int bursts)
{
    uint64_t c[LINUX_BATCH][2];
    unsigned int i, j, n;

    for ( i = 0; i < bursts; i++ )
    {
        n = ril_batch(c, i);
        for ( j = 0; j < n; j++ )
            cmd(b, c[j][0], c[j][1]);
        issue(b, true);
    }
}

/* Phase (c): probe + reset + attach, as after a kexec. */
static void noinline run_reset_attach(struct bench *b,
                                                       unsigned int cycles)
{
    unsigned int i;

    for ( i = 0; i < cycles; i++ )
    {
        guest_strtab_init(b);           /* guest memory only */
        linux_reset(b);
        linux_attach(b);
    }
}

/*
 * Phase (d): register accesses of a running guest on an idle queue.  Each
 * iteration: CR0 write + CR0ACK poll, IRQ_CTRL write + ACK poll, CMDQ_CONS
 * poll, EVENTQ_PROD read + EVENTQ_CONS write (the event thread on an empty
 * queue), GERROR + GERRORN reads (the gerror handler with nothing active):
 * 9 accesses.
 */
static void noinline run_regs(struct bench *b,
                                               unsigned int iters)
{
    const uint32_t cr0 = SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN |
                         SMMU_CR0_SMMUEN;
    const uint32_t irq = SMMU_IRQ_CTRL_EVENTQ_IRQEN |
                         SMMU_IRQ_CTRL_GERROR_IRQEN;
    unsigned int i;

    for ( i = 0; i < iters; i++ )
    {
        uint32_t prod;

        write_sync(b, SMMU_CR0, SMMU_CR0ACK, cr0);
        write_sync(b, SMMU_IRQ_CTRL, SMMU_IRQ_CTRLACK, irq);
        b->c.cons_reads++;
        if ( r32(b, SMMU_CMDQ_CONS) != b->g.prod )
            b->c.errors++;
        prod = r32(b, SMMU_EVENTQ_PROD);
        w32(b, SMMU_EVENTQ_CONS, prod);
        if ( r32(b, SMMU_GERROR) != r32(b, SMMU_GERRORN) )
            b->c.errors++;
    }
}

static void print_phase(const char *name, struct bench *b, unsigned int reps)
{
    const struct counts *c = &b->c;

    printf("phase %s reps=%u guest_cmds=%lu guest_tlbis=%lu "
           "guest_syncs=%lu guest_other=%lu traps=%lu reads=%lu writes=%lu "
           "prod_writes=%lu cons_reads=%lu phys_cmds=%lu phys_syncs=%lu "
           "phys_queue_calls=%lu phys_installs=%lu domain_wide=%lu "
           "asid_wide=%lu max_phys_syncs_per_guest_sync=%lu "
           "continuations=%lu cont_syncs=%lu "
           "msipoll=%d mem_reads=%lu mem_writes=%lu step_work=%u "
           "max_step_work=%lu steps=%lu errors=%lu\n",
           name, reps, c->guest_cmds, c->guest_tlbis, c->guest_syncs,
           c->guest_other, c->reads + c->writes, c->reads, c->writes,
           c->prod_writes, c->cons_reads, c->phys_cmds, c->phys_syncs,
           c->phys_queue_calls, c->phys_installs, c->domain_wide,
           c->asid_wide, c->max_phys_syncs_per_guest_sync, c->continuations,
           c->cont_syncs, b->msipoll, c->mem_reads, c->mem_writes,
           b->h->vs->step_work, b->h->vs->stats.max_step_work, c->steps,
           c->errors);
}

enum phase {
    UNMAP, UNMAP_MSI, UNMAP_RIL, UNMAP_RIL_SPLIT, RESET_ATTACH, REGS,
    STEP_CHEAP, STEP_SPLIT, STEP_RELOAD, STEP_EVENTS,
    NR_PHASES
};

static const struct {
    const char *name;
    unsigned int reps;                  /* at scale 1 */
} phases[NR_PHASES] = {
    [UNMAP]           = { "unmap", 1000 },
    [UNMAP_MSI]       = { "unmap-msi", 1000 },
    [UNMAP_RIL]       = { "unmap-ril", 1000 },
    [UNMAP_RIL_SPLIT] = { "unmap-ril-split", 1000 },
    [RESET_ATTACH]    = { "reset-attach", 200 },
    [REGS]            = { "regs", 5000 },
    [STEP_CHEAP]      = { "step-cheap", 20 },
    [STEP_SPLIT]      = { "step-split", 20 },
    [STEP_RELOAD]     = { "step-reload", 4 },
    [STEP_EVENTS]     = { "step-events", 20 },
};

/*
 * The step phases (S8.8): doorbells whose work is all of one costly kind,
 * so that every step but the last of each is full; figures.py divides by
 * the steps made.  A vSMMU fronting one physical SMMU (without RIL for
 * step-split), STEP_STREAMS nested streams, a 1024-entry queue filled to
 * the brim each time.
 */
#define STEP_STREAMS    512
#define STEP_QLOG2      10

static struct bench *bench_create_steps(enum phase p)
{
    struct bench *b = calloc(1, sizeof(*b));
    struct vsmmuv3_backend be;
    struct vsmmuv3_params par;
    unsigned int i;

    if ( !b || !(b->phys = calloc(1, sizeof(*b->phys))) )
        abort();
    be = fake_backend(b->phys, 0x71, p != STEP_SPLIT);
    harness_default_params(&par);
    par.nr_backends = 1;
    par.backends = &be;
    par.max_streams = STEP_STREAMS;
    if ( step_work )
        par.step_work = step_work;
    b->h = harness_create(&par);
    for ( i = 0; i < STEP_STREAMS; i++ )
        if ( vsmmuv3_add_stream(b->h->vs, i, 0, 0x100 + i) )
            abort();
    g_reset(&b->g, b->h, STEP_QLOG2, 10, 12, true);
    for ( i = 0; i < STEP_STREAMS; i++ )
        g_write_s1_ste(&b->g, i, H_CD_BASE);
    g_cmd(&b->g, cmd_op(SMMU_OP_CFGI_STE_RANGE), SMMU_CFGI_RANGE_ALL);
    g_sync_and_wait(&b->g);
    emul_auto_return(false);
    return b;
}

static noinline void run_steps(struct bench *b, enum phase p,
                               unsigned int reps)
{
    unsigned int r, i, n = (1U << STEP_QLOG2) - 1;
    uint64_t c[2];

    for ( r = 0; r < reps; r++ )
    {
        if ( p == STEP_RELOAD )
        {
            /* Every STE changed: each reload is an install. */
            for ( i = 0; i < STEP_STREAMS; i++ )
                g_write_s1_ste(&b->g, i, H_CD_BASE + ((r & 1) ? 0 : 64));
            n = 2;
        }
        for ( i = 0; i < n - 1; i++ )
        {
            switch ( p )
            {
            case STEP_CHEAP:
                cmd(b, cmd_op(SMMU_OP_PREFETCH_CONFIG), 0);
                break;
            case STEP_SPLIT:
                /* 32 pages of 4K each: 32 physical TLBIs without RIL. */
                cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VA, 1, 0x100000 * i, true, 1,
                            3, 31, 0);
                cmd(b, c[0], c[1]);
                break;
            case STEP_RELOAD:
                cmd(b, cmd_op(SMMU_OP_CFGI_STE_RANGE), SMMU_CFGI_RANGE_ALL);
                break;
            default:
                /* Bad STEs of vSIDs no stream is bound to: an event each. */
                g_write_ste(&b->g, STEP_STREAMS + (i & 255), SMMU_STE0_V |
                            MASK_INSR(6, SMMU_STE0_CONFIG), 0);
                cmd(b, cmd_sid(SMMU_OP_CFGI_STE, STEP_STREAMS + (i & 255)),
                    0);
                break;
            }
        }
        issue(b, true);
        if ( p == STEP_EVENTS )
        {
            /* The guest consumes its events. */
            uint32_t prod = r32(b, SMMU_EVENTQ_PROD);

            w32(b, SMMU_EVENTQ_CONS, prod & ~SMMU_EVENTQ_PROD_OVFLG);
        }
    }
}

/* Set up, measure and count one phase; returns its counts. */
static struct counts run_phase(enum phase p, unsigned int reps, bool print)
{
    struct bench *b = p >= STEP_CHEAP ? bench_create_steps(p)
                                      : bench_create_attached(p != UNMAP_RIL_SPLIT);
    unsigned long steps0 = b->h->vs->stats.steps;
    struct counts c;

    /* The unmap phases as specified: CONS polling, whatever IDR0 says. */
    if ( p != RESET_ATTACH )
        b->msipoll = p == UNMAP_MSI;
    bench_start(b);
    CALLGRIND_ZERO_STATS;
    switch ( p )
    {
    case UNMAP:
    case UNMAP_MSI:
        run_unmap(b, reps);
        break;
    case UNMAP_RIL:
    case UNMAP_RIL_SPLIT:
        run_unmap_ril(b, reps);
        break;
    case RESET_ATTACH:
        run_reset_attach(b, reps);
        break;
    case REGS:
        run_regs(b, reps);
        break;
    case STEP_CHEAP:
    case STEP_SPLIT:
    case STEP_RELOAD:
    case STEP_EVENTS:
        run_steps(b, p, reps);
        break;
    default:
        abort();
    }
    CALLGRIND_DUMP_STATS_AT(phases[p].name);
    collect_phys(b);
    b->c.phys_syncs = b->phys->syncs;
    b->c.guest_cmds = b->h->vs->stats.cmds - b->stats_cmds0;
    b->c.max_step_work = b->h->vs->stats.max_step_work;
    b->c.continuations = b->h->vs->stats.continuations - b->stats_cont0;
    b->c.step_work = b->h->vs->step_work;
    b->c.steps = b->h->vs->stats.steps - steps0;
    {
        struct emul_mem_stats m;

        emul_mem_stats(b->h->d, &m);
        b->c.mem_reads = m.reads - b->mem0.reads;
        b->c.mem_writes = m.writes - b->mem0.writes;
    }
    if ( (b->h->vs->gerror ^ b->h->vs->gerrorn) || b->h->vs->stats.cmd_errors )
        b->c.errors++;
    if ( print )
        print_phase(phases[p].name, b, reps);
    c = b->c;
    bench_destroy(b);
    return c;
}

/* --check: properties of the design, never timing or instruction counts. */
static unsigned int passed, failed;

static void check(bool ok, const char *phase, const char *what)
{
    printf("%s %s: %s\n", ok ? "ok  " : "FAIL", phase, what);
    if ( ok )
        passed++;
    else
        failed++;
}

static int run_checks(void)
{
    enum phase p;

    for ( p = 0; p < NR_PHASES; p++ )
    {
        const char *n = phases[p].name;
        unsigned int reps = phases[p].reps >= 10 ? phases[p].reps / 10 : 1;
        struct counts c = run_phase(p, reps, true);
        /* The default step fits Linux's doorbell (S8.7). */
        bool linux_fits = !step_work ||
                          step_work >= CONFIG_VSMMUV3_STEP_WORK;

        check(!c.errors, n, "no command error, ACKs as written");
        check(c.guest_cmds == c.guest_tlbis + c.guest_syncs + c.guest_other,
              n, "every queued command consumed");
        check(c.phys_syncs <= c.guest_syncs, n,
              "physical syncs <= guest CMD_SYNCs");
        check(c.max_phys_syncs_per_guest_sync <= 1, n,
              "at most 1 physical sync per guest CMD_SYNC");
        if ( p <= UNMAP_RIL_SPLIT )
        {
            check(c.domain_wide == 0, n,
                  "no domain-wide flush for scoped TLBIs");
            check(c.phys_syncs == c.guest_syncs, n,
                  "every guest CMD_SYNC after TLBIs syncs the SMMU");
            check(c.prod_writes == reps, n, "one PROD write per burst");
        }
        if ( (p == UNMAP || p == UNMAP_RIL) && linux_fits )
            check(c.cons_reads == reps && !c.cont_syncs && !c.continuations,
                  n, "Linux's doorbell completes in its PROD trap: one CONS "
                  "poll finds the CMD_SYNC done, no continuation");
        if ( p == UNMAP_MSI && linux_fits )
            check(!c.cons_reads && !c.cont_syncs && !c.continuations, n,
                  "MSI polling: no CONS trap, and the CMD_SYNC completes in "
                  "its PROD trap");
        if ( p == UNMAP || p == UNMAP_MSI || p == UNMAP_RIL )
            check(c.phys_cmds == c.guest_tlbis, n,
                  "one physical command per guest TLBI");
        if ( p == UNMAP_RIL_SPLIT )
            check(c.phys_cmds >= c.guest_tlbis, n,
                  "every guest TLBI relayed without RIL");
        if ( p == RESET_ATTACH && linux_fits )
            check(!c.cont_syncs, n,
                  "command + CMD_SYNC completes in its PROD trap");
        /* S8.8: no step of the phase did more work than a step may. */
        check(c.max_step_work <= c.step_work, n,
              "every step within the work bound");
        if ( p >= STEP_CHEAP )
            check(c.continuations > 0 && c.steps > c.prod_writes, n,
                  "a full queue of this work takes several steps");
    }
    printf("%u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}

static int usage(const char *argv0)
{
    fprintf(stderr, "usage: %s [-n SCALE] [-b STEP_WORK] [--check] [PHASE...]\n"
            "phases:", argv0);
    for ( unsigned int p = 0; p < NR_PHASES; p++ )
        fprintf(stderr, " %s", phases[p].name);
    fprintf(stderr, "\n");
    return 2;
}

int main(int argc, char **argv)
{
    unsigned int scale = 1, p;
    bool checks = false, wanted[NR_PHASES] = { false }, any = false;
    int i;

    setvbuf(stdout, NULL, _IOLBF, 0);
    for ( i = 1; i < argc; i++ )
    {
        if ( !strcmp(argv[i], "--check") )
            checks = true;
        else if ( !strcmp(argv[i], "-n") && i + 1 < argc )
            scale = strtoul(argv[++i], NULL, 0);
        else if ( !strcmp(argv[i], "-b") && i + 1 < argc )
            step_work = strtoul(argv[++i], NULL, 0);
        else
        {
            for ( p = 0; p < NR_PHASES; p++ )
                if ( !strcmp(argv[i], phases[p].name) )
                    break;
            if ( p == NR_PHASES )
                return usage(argv[0]);
            wanted[p] = any = true;
        }
    }
    if ( !scale )
        return usage(argv[0]);
    if ( checks )
        return run_checks();
    for ( p = 0; p < NR_PHASES; p++ )
        if ( wanted[p] || !any )
            run_phase(p, phases[p].reps * scale, true);
    return 0;
}
