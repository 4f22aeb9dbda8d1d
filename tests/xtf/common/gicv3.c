/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * GICv3 guest helper (IHI 0069: GICD registers in chapter 12, the CPU
 * interface system registers in chapter 12.11).
 */
#include <xtf.h>

#define GICD_CTLR               0x0000
#define   GICD_CTLR_ENABLE_G1A  (1U << 1)
#define GICD_ISENABLER(n)       (0x0100 + 4 * (n))
#define GICD_ICENABLER(n)       (0x0180 + 4 * (n))
#define GICD_ICPENDR(n)         (0x0280 + 4 * (n))
#define GICD_IPRIORITYR(n)      (0x0400 + 4 * (n))
#define GICD_ICFGR(n)           (0x0C00 + 4 * (n))
#define GICD_IROUTER(n)         (0x6000 + 8 * (n))

/* Redistributors: RD_base and SGI_base frames of 64 KiB each (no VLPIs). */
#define GICR_STRIDE             0x20000
#define GICR_SGI_FRAME          0x10000
#define GICR_ISENABLER0         0x0100
#define GICR_IPRIORITYR(n)      (0x0400 + 4 * (n))

#define SPI_PRIORITY            0xa0

static unsigned int counts[GIC_MAX_COUNTED];

static uintptr_t gicd(unsigned int reg)
{
    return GUEST_GICV3_GICD_BASE + reg;
}

void gic_cpu_init(void)
{
    write_sysreg(read_sysreg(icc_sre_el1) | 1, icc_sre_el1);
    isb();
    write_sysreg(0xff, icc_pmr_el1);
    write_sysreg(0, icc_bpr1_el1);
    write_sysreg(1, icc_igrpen1_el1);
    isb();
    mmio_write32(gicd(GICD_CTLR),
                 mmio_read32(gicd(GICD_CTLR)) | GICD_CTLR_ENABLE_G1A);
}

void gic_init(void)
{
    gic_cpu_init();
    gic_clear_counts();
}

/* The SGI/PPI frame of the calling vCPU's redistributor (MPIDR Aff0 = n). */
static uintptr_t gicr_sgi(unsigned int reg)
{
    unsigned int cpu = read_sysreg(mpidr_el1) & 0xff;

    return GUEST_GICV3_GICR0_BASE + (uintptr_t)cpu * GICR_STRIDE +
           GICR_SGI_FRAME + reg;
}

void gic_enable_ppi(unsigned int intid)
{
    unsigned int shift = (intid % 4) * 8;
    uint32_t v;

    v = mmio_read32(gicr_sgi(GICR_IPRIORITYR(intid / 4)));
    v = (v & ~(0xffU << shift)) | ((uint32_t)SPI_PRIORITY << shift);
    mmio_write32(gicr_sgi(GICR_IPRIORITYR(intid / 4)), v);
    mmio_write32(gicr_sgi(GICR_ISENABLER0), 1U << intid);
    dsb(sy);
}

void gic_enable_spi(unsigned int intid)
{
    uint32_t v;
    unsigned int shift = (intid % 4) * 8;

    /* Level-sensitive (ICFGR bit 2n+1 clear), to vCPU 0, mid priority. */
    v = mmio_read32(gicd(GICD_ICFGR(intid / 16)));
    v &= ~(2U << ((intid % 16) * 2));
    mmio_write32(gicd(GICD_ICFGR(intid / 16)), v);
    mmio_write64(gicd(GICD_IROUTER(intid)), 0);
    v = mmio_read32(gicd(GICD_IPRIORITYR(intid / 4)));
    v = (v & ~(0xffU << shift)) | ((uint32_t)SPI_PRIORITY << shift);
    mmio_write32(gicd(GICD_IPRIORITYR(intid / 4)), v);
    mmio_write32(gicd(GICD_ISENABLER(intid / 32)), 1U << (intid % 32));
    dsb(sy);
}

void gic_disable_spi(unsigned int intid)
{
    mmio_write32(gicd(GICD_ICENABLER(intid / 32)), 1U << (intid % 32));
    dsb(sy);
}

unsigned int gic_iar(void)
{
    unsigned int intid = read_sysreg(icc_iar1_el1) & 0xffffff;

    if ( intid >= 1020 && intid <= 1023 )
        return GIC_SPURIOUS;

    if ( intid < GIC_MAX_COUNTED )
        counts[intid]++;

    return intid;
}

void gic_eoi(unsigned int intid)
{
    write_sysreg(intid, icc_eoir1_el1);
    isb();
}

unsigned int gic_ack(void)
{
    unsigned int intid = gic_iar();

    if ( intid != GIC_SPURIOUS )
        gic_eoi(intid);

    return intid;
}

bool gic_wait_iar(unsigned int intid, uint64_t us)
{
    uint64_t start = counter_now();

    do {
        unsigned int i = gic_iar();

        if ( i == intid )
            return true;
        if ( i != GIC_SPURIOUS )
            gic_eoi(i);
    } while ( counter_us_since(start) < us );

    return false;
}

bool gic_wait_irq(unsigned int intid, uint64_t us)
{
    uint64_t start = counter_now();
    bool seen = false;

    do {
        unsigned int i = gic_ack();

        if ( i == intid )
            seen = true;
        else if ( i == GIC_SPURIOUS && seen )
            break;
    } while ( counter_us_since(start) < us );

    return seen;
}

unsigned int gic_count(unsigned int intid)
{
    return intid < GIC_MAX_COUNTED ? counts[intid] : 0;
}

void gic_clear_counts(void)
{
    memset(counts, 0, sizeof(counts));
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
