/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/tlbi/main.c
 * @ref test-tlbi
 *
 * @page test-tlbi Invalidations reach the physical SMMU, scoped
 *
 * Two edu devices behind the vSMMU, each with its own CD and tables
 * (ASIDs 1 and 2).  For each invalidation the relay forwards (S4.6):
 * TLBI_NH_VA, its range form (IDR3.RIL), TLBI_NH_ASID, TLBI_NH_VAA,
 * TLBI_NH_ALL, TLBI_NSNH_ALL, CFGI_CD and CFGI_CD_ALL, the test
 *
 *  1. DMAs through every IOVA of the case (the SMMU caches the old
 *     translations) and checks they land in the old buffers;
 *  2. remaps them to new buffers (unmap, then map, in its tables; or a
 *     new ASID and new tables in the CD, rewritten in place), with no
 *     invalidation: one DMA through the IOVA to be invalidated may still
 *     use the old translation (the architecture allows it; QEMU's SMMU
 *     caches, so it does, and the test says so);
 *  3. sends the invalidation and a CMD_SYNC, which completes it on the
 *     physical SMMU (S4.5): every DMA through a covered IOVA must land in
 *     its new buffer, never the old one;
 *  4. counts: every IOVA the invalidation does not cover (the other ASID,
 *     another page, the other stream's CD) must still use its cached old
 *     translation whenever step 2 showed that the SMMU caches, so an
 *     invalidation widened on its way (an ASID turned into the VMID, an
 *     address into its ASID) is caught (S4.6: never a domain-wide flush
 *     for a single-ASID TLBI).
 *
 * Each case has its own IOVAs, so no case sees another's cached entries.
 */
#include <xtf.h>
#include <xtf/dmaenv.h>
#include <xtf/s1pt.h>
#include <xtf/smmu.h>

const char test_title[] = "vSMMUv3 nested: invalidations reach the physical "
                          "SMMU, no wider than asked";

#define PAGE            4096U
#define ASID_A          1
#define ASID_B          2
#define MAX_SLOTS       6

static struct dma_env env;
static struct s1_pt pt[2];
static uint64_t *cd[2];
static uint32_t seed[2] = { 0xa11ce000, 0xb0b00000 };
/* After the caching was first seen (step 2): the counting applies. */
static unsigned int cached_seen, cases_run;

struct slot {
    unsigned int edu;           /* 0: ASID_A's stream, 1: ASID_B's */
    uint64_t iova;
    bool covered;               /* by the case's invalidation */
    uint8_t *old, *new;
};

struct tcase {
    const char *name;
    unsigned int nr;
    struct slot s[MAX_SLOTS];
    bool cd;                    /* remap by rewriting the CDs */
    struct smmu_cmd cmd;
};

static const char *const where_names[] = { "the old buffer", "the new one" };

/* DMA the device buffer to each slot's IOVA, both edus at once. */
static bool dma_slots(struct tcase *c, int *landed, bool probe_first)
{
    unsigned int done = 0, i, n = probe_first ? 1 : c->nr;
    bool busy[2];
    unsigned int cur[2];

    while ( done < n )
    {
        busy[0] = busy[1] = false;
        for ( i = 0; i < n; i++ )
        {
            struct slot *s = &c->s[i];

            if ( landed[i] != -3 || busy[s->edu] )
                continue;
            busy[s->edu] = true;
            cur[s->edu] = i;
            landed[i] = -4;
            edu_dma_to_mem_start(&env.edu[s->edu], 0, s->iova, PAGE, 0);
        }
        for ( i = 0; i < 2; i++ )
        {
            struct slot *s;
            void *bufs[2];

            if ( !busy[i] )
                continue;
            s = &c->s[cur[i]];
            if ( !edu_dma_wait(&env.edu[i], EDU_DMA_TIMEOUT_US) )
                return xtf_failure("Fail: %s: DMA did not end\n", c->name),
                       false;
            bufs[0] = s->old;
            bufs[1] = s->new;
            landed[cur[i]] = dma_landed(bufs, 2, 0, PAGE, seed[s->edu]);
            dma_clear(bufs, 2, PAGE, 0);
            done++;
        }
    }

    return true;
}

static void slot_name(const struct slot *s, char *buf, size_t len)
{
    snprintf(buf, len, "vSID %#x IOVA %#lx", env.edu[s->edu].sid,
             (unsigned long)s->iova);
}

static bool run_case(struct tcase *c)
{
    int landed[MAX_SLOTS];
    bool stale;
    unsigned int i;
    char name[48];

    printk("%s:\n", c->name);
    for ( i = 0; i < c->nr; i++ )
    {
        struct slot *s = &c->s[i];

        s->old = xtf_alloc(PAGE, PAGE);
        s->new = xtf_alloc(PAGE, PAGE);
        /* A new mapping in the live tables: nothing to invalidate. */
        if ( !s1_map(&pt[s->edu], s->iova, (uintptr_t)s->old, 3, S1_RW) )
            return xtf_error("Error: mapping failed\n"), false;
        landed[i] = -3;
    }

    /* 1. The old translations, cached. */
    if ( !dma_slots(c, landed, false) )
        return false;
    for ( i = 0; i < c->nr; i++ )
        if ( landed[i] != 0 )
        {
            slot_name(&c->s[i], name, sizeof(name));
            return xtf_failure("Fail: %s: before any change, DMA to %s "
                               "landed in %s\n", c->name, name,
                               dma_where(landed[i], where_names)), false;
        }

    /* 2. Remap, no invalidation. */
    if ( c->cd )
    {
        for ( i = 0; i < 2; i++ )
        {
            unsigned int j;

            if ( !s1_pt_init(&pt[i], 12, 3) )
                return xtf_error("Error: tables\n"), false;
            for ( j = 0; j < c->nr; j++ )
                if ( c->s[j].edu == i &&
                     !s1_map(&pt[i], c->s[j].iova, (uintptr_t)c->s[j].new, 3,
                             S1_RW) )
                    return xtf_error("Error: mapping failed\n"), false;
            /* A new ASID too: no TLB entry can stand in for the CD. */
            smmu_cd_write(cd[i], &pt[i], 10 * (cases_run + 1) + i);
        }
    }
    else
        for ( i = 0; i < c->nr; i++ )
        {
            s1_unmap(&pt[c->s[i].edu], c->s[i].iova, 3);
            if ( !s1_map(&pt[c->s[i].edu], c->s[i].iova,
                         (uintptr_t)c->s[i].new, 3, S1_RW) )
                return xtf_error("Error: mapping failed\n"), false;
        }
    for ( i = 0; i < c->nr; i++ )
        landed[i] = -3;
    if ( !dma_slots(c, landed, true) )
        return false;
    slot_name(&c->s[0], name, sizeof(name));
    if ( landed[0] != 0 && landed[0] != 1 )
        return xtf_failure("Fail: %s: remapped, not invalidated, DMA to %s "
                           "landed in %s\n", c->name, name,
                           dma_where(landed[0], where_names)), false;
    stale = landed[0] == 0;
    cached_seen += stale;
    printk("  remapped, not invalidated: %s went to %s%s\n", name,
           where_names[landed[0]],
           stale ? " (cached: allowed)" : "");

    /* 3. Invalidate and sync; 4. count. */
    if ( !smmu_cmd1(c->cmd, c->name) )
        return false;
    landed[0] = -3;
    if ( !dma_slots(c, landed, false) )
        return false;
    for ( i = 0; i < c->nr; i++ )
    {
        struct slot *s = &c->s[i];

        slot_name(s, name, sizeof(name));
        printk("  after %s: %s %s went to %s\n", c->name,
               s->covered ? "covered" : "not covered", name,
               dma_where(landed[i], where_names));
        if ( s->covered && landed[i] != 1 )
            xtf_failure("Fail: %s + CMD_SYNC: DMA to %s landed in %s, not "
                        "the new buffer%s\n", c->name, name,
                        dma_where(landed[i], where_names),
                        landed[i] == 0 ? ": the invalidation did not reach "
                        "the physical SMMU" : "");
        else if ( !s->covered && landed[i] == 1 && stale )
            xtf_failure("Fail: %s widened: %s, which it does not cover, lost "
                        "its cached translation\n", c->name, name);
        else if ( !s->covered && landed[i] != 0 && landed[i] != 1 )
            xtf_failure("Fail: %s: DMA to %s landed in %s\n", c->name, name,
                        dma_where(landed[i], where_names));
    }
    cases_run++;

    /*
     * A CD left rewritten but not invalidated (the stream the case does
     * not cover) is made consistent before the next case.
     */
    if ( c->cd &&
         (!smmu_cmd1(cmd_cfgi_cd_all(env.edu[0].sid), "CFGI_CD_ALL") ||
          !smmu_cmd1(cmd_cfgi_cd_all(env.edu[1].sid), "CFGI_CD_ALL")) )
        return false;

    return xtf_status() != STATUS_FAILURE;
}

/* IOVAs of case @n: their own 16 MiB region. */
static uint64_t va(unsigned int n, unsigned int page)
{
    return ((uint64_t)(n + 1) << 24) + (uint64_t)page * PAGE;
}

static struct slot slot(unsigned int edu, uint64_t iova, bool covered)
{
    return (struct slot){ .edu = edu, .iova = iova, .covered = covered };
}

void test_main(void)
{
    static struct tcase cases[8];
    unsigned int i, n = 0, nr_cases;
    uint8_t *load;
    uint64_t evt[4];
    struct tcase *c;

    if ( !dma_env_setup(&env, 2) )
        return;

    /* Each stream: its tables, its CD, its STE; the device buffers. */
    load = xtf_alloc(PAGE, PAGE);
    for ( i = 0; i < 2; i++ )
    {
        cd[i] = xtf_alloc(SMMU_CD_SIZE, SMMU_CD_SIZE);
        if ( !s1_pt_init(&pt[i], 12, 3) ||
             !s1_map(&pt[i], 0x1000, (uintptr_t)load, 3, S1_READ) )
            return xtf_error("Error: tables\n");
        smmu_cd_write(cd[i], &pt[i], i ? ASID_B : ASID_A);
        smmu_ste_s1(env.edu[i].sid, cd[i]);
        if ( !smmu_cmd1(cmd_cfgi_ste(env.edu[i].sid), "CFGI_STE") )
            return;
        pattern_fill(load, PAGE, seed[i]);
        if ( !edu_dma_from_mem(&env.edu[i], 0x1000, 0, PAGE) )
            return;
    }

    c = &cases[n++];
    c->name = "TLBI_NH_VA";
    c->cmd = cmd_tlbi_nh_va(ASID_A, va(n, 0), true);
    c->s[c->nr++] = slot(0, va(n, 0), true);
    c->s[c->nr++] = slot(1, va(n, 0), false);
    c->s[c->nr++] = slot(0, va(n, 1), false);

    if ( env.idr[3] & SMMU_IDR3_RIL )
    {
        c = &cases[n++];
        c->name = "TLBI_NH_VA, range of 2 pages";
        c->cmd = cmd_tlbi_nh_va_range(ASID_A, va(n, 1), 12, 1, 0, true);
        c->s[c->nr++] = slot(0, va(n, 1), true);
        c->s[c->nr++] = slot(1, va(n, 1), false);
        c->s[c->nr++] = slot(0, va(n, 2), true);
        c->s[c->nr++] = slot(0, va(n, 3), false);
        c->s[c->nr++] = slot(0, va(n, 0), false);
    }
    else
        printk("IDR3.RIL not advertised: no range TLBI\n");

    c = &cases[n++];
    c->name = "TLBI_NH_ASID";
    c->cmd = cmd_tlbi_nh_asid(ASID_A);
    c->s[c->nr++] = slot(0, va(n, 0), true);
    c->s[c->nr++] = slot(1, va(n, 0), false);
    c->s[c->nr++] = slot(0, va(n, 1), true);

    c = &cases[n++];
    c->name = "TLBI_NH_VAA";
    c->cmd = cmd_tlbi_nh_vaa(va(n, 0), true);
    c->s[c->nr++] = slot(0, va(n, 0), true);
    c->s[c->nr++] = slot(1, va(n, 0), true);
    c->s[c->nr++] = slot(0, va(n, 1), false);

    c = &cases[n++];
    c->name = "TLBI_NH_ALL";
    c->cmd = cmd_tlbi_nh_all();
    c->s[c->nr++] = slot(0, va(n, 0), true);
    c->s[c->nr++] = slot(1, va(n, 0), true);
    c->s[c->nr++] = slot(0, va(n, 1), true);

    c = &cases[n++];
    c->name = "TLBI_NSNH_ALL";
    c->cmd = cmd_tlbi_nsnh_all();
    c->s[c->nr++] = slot(0, va(n, 0), true);
    c->s[c->nr++] = slot(1, va(n, 0), true);

    /* Last: these change the ASIDs. */
    c = &cases[n++];
    c->name = "CFGI_CD";
    c->cd = true;
    c->cmd = cmd_cfgi_cd(env.edu[0].sid, true);
    c->s[c->nr++] = slot(0, va(n, 0), true);
    c->s[c->nr++] = slot(1, va(n, 0), false);

    c = &cases[n++];
    c->name = "CFGI_CD_ALL";
    c->cd = true;
    c->cmd = cmd_cfgi_cd_all(env.edu[1].sid);
    c->s[c->nr++] = slot(1, va(n, 0), true);
    c->s[c->nr++] = slot(0, va(n, 0), false);
    nr_cases = n;

    for ( i = 0; i < nr_cases; i++ )
        if ( !run_case(&cases[i]) )
            break;

    if ( xtf_status() != STATUS_FAILURE && !cached_seen )
        xtf_error("Error: the SMMU never used a translation after it was "
                  "remapped: the test cannot tell an invalidation from none\n");
    printk("the SMMU kept a remapped translation until invalidated in %u "
           "of %u cases\n", cached_seen, cases_run);

    if ( smmu_evtq_pop(evt) )
        xtf_failure("Fail: unexpected event %s (%#lx)\n",
                    smmu_event_name(MASK_EXTR(evt[0], SMMU_EVT0_ID)),
                    (unsigned long)evt[0]);
    if ( smmu_gerror_active() )
        xtf_failure("Fail: global errors %#x\n", smmu_gerror_active());

    xtf_success(NULL);
}

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
