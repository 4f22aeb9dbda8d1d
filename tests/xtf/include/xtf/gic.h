/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A minimal GICv3 driver for the guest's vGIC: enough to enable an SPI,
 * route it to vCPU 0 and see whether it is signalled.
 *
 * Xen's vGICv3 reads GICD_ISPENDR as zero, so pending state cannot be read
 * back; instead the guest acknowledges interrupts through its (virtual) CPU
 * interface, ICC_IAR1_EL1, with PSTATE.I masked: an interrupt signalled to
 * the vCPU is returned by the read whether or not the vCPU would take it.
 * Every acknowledged interrupt is counted per INTID and completed (EOI).
 */
#ifndef XTF_GIC_H
#define XTF_GIC_H

#include <xtf/types.h>

#define GIC_SPURIOUS        1023U
#define GIC_MAX_COUNTED     128U

/* The distributor and the calling vCPU's CPU interface; clears the counts. */
void gic_init(void);
/* The calling vCPU's CPU interface (and the distributor's group enable). */
void gic_cpu_init(void);
void gic_enable_spi(unsigned int intid);
/* Enable PPI @intid in the calling vCPU's redistributor. */
void gic_enable_ppi(unsigned int intid);
void gic_disable_spi(unsigned int intid);

/* Acknowledge one interrupt: its INTID, or GIC_SPURIOUS if none. */
unsigned int gic_ack(void);
/*
 * For a level-sensitive device line: acknowledge (and count) one
 * interrupt without completing it, so that the handler can quieten the
 * device first; then gic_eoi() it.  GIC_SPURIOUS if none.
 */
unsigned int gic_iar(void);
void gic_eoi(unsigned int intid);
/* gic_iar() until @intid comes (others are completed), within @us. */
bool gic_wait_iar(unsigned int intid, uint64_t us);
/* Acknowledge everything signalled within @us; true if @intid was among them. */
bool gic_wait_irq(unsigned int intid, uint64_t us);
/* Interrupts of @intid acknowledged since the last gic_clear_counts(). */
unsigned int gic_count(unsigned int intid);
void gic_clear_counts(void);

#endif /* XTF_GIC_H */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
