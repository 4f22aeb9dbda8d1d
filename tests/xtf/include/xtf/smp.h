/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Secondary vCPUs.  A test's guest boots on vCPU 0; xtf_cpu_on() starts
 * vCPU @cpu (MPIDR Aff0 = @cpu, as Xen numbers a guest's vCPUs) through
 * PSCI CPU_ON with its own stack, the exception vectors and FP access set
 * up as on vCPU 0, and runs fn(arg) there; when fn returns, the vCPU powers
 * itself off (PSCI CPU_OFF).  The guest's "cpus" property (the test's
 * VCPUS) says how many vCPUs there are.
 *
 * What is shared: memory is Device memory (MMU off), so plain loads and
 * stores of aligned words are seen by the other vCPUs in program order;
 * hand data over with a dsb(sy) before the flag that publishes it.
 * printk() may be called from any vCPU; xtf_alloc(), the verdict functions
 * and xtf_fault_expect()/xtf_fault_end() belong to vCPU 0 (call xtf_alloc()
 * before starting the others).  Interrupts stay masked on secondaries.
 */
#ifndef XTF_SMP_H
#define XTF_SMP_H

#include <xtf/types.h>
#include <arch/psci.h>

#define XTF_MAX_CPUS        4
#define XTF_CPU_STACK_SIZE  16384

/* vCPUs of this guest (the /cpus nodes of its device tree), at least 1. */
unsigned int xtf_nr_cpus(void);

/* The calling vCPU's number (MPIDR_EL1.Aff0). */
unsigned int xtf_cpu_id(void);

/*
 * Start vCPU @cpu (1 .. XTF_MAX_CPUS - 1) running fn(arg).  Returns the
 * PSCI status: PSCI_SUCCESS (0), or PSCI_ALREADY_ON while it still runs an
 * earlier function, PSCI_INVALID_PARAMETERS for a vCPU that does not exist.
 */
int xtf_cpu_on(unsigned int cpu, void (*fn)(void *arg), void *arg);

/* True from xtf_cpu_on() until fn has returned on @cpu. */
bool xtf_cpu_busy(unsigned int cpu);

#endif /* XTF_SMP_H */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
