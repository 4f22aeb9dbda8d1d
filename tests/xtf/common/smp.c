/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Secondary vCPUs through PSCI CPU_ON (include/xtf/smp.h).
 */
#include <xtf.h>
#include <xtf/smp.h>
#include <arch/psci.h>

/* What head.S's xtf_secondary_entry gets in x0; stack_top first. */
struct xtf_cpu_boot {
    uint64_t stack_top;
    void (*fn)(void *arg);
    void *arg;
    volatile uint64_t busy;
};

static uint8_t cpu_stacks[XTF_MAX_CPUS - 1][XTF_CPU_STACK_SIZE] __aligned(16);
static struct xtf_cpu_boot cpu_boot[XTF_MAX_CPUS];

extern char xtf_secondary_entry[];
void xtf_secondary_main(struct xtf_cpu_boot *b);

unsigned int xtf_nr_cpus(void)
{
    int cpus = fdt_child(xtf_fdt, fdt_root(xtf_fdt), "cpus"), n;
    unsigned int nr = 0;

    if ( cpus < 0 )
        return 1;
    for ( n = fdt_first_child(xtf_fdt, cpus); n >= 0;
          n = fdt_next_sibling(xtf_fdt, n) )
    {
        int len;
        const char *type = fdt_prop(xtf_fdt, n, "device_type", &len);

        if ( type && !strcmp(type, "cpu") )
            nr++;
    }

    return nr ? nr : 1;
}

unsigned int xtf_cpu_id(void)
{
    return read_sysreg(mpidr_el1) & 0xff;
}

int xtf_cpu_on(unsigned int cpu, void (*fn)(void *arg), void *arg)
{
    struct xtf_cpu_boot *b;
    int rc;

    if ( cpu == 0 || cpu >= XTF_MAX_CPUS )
        return PSCI_INVALID_PARAMETERS;
    b = &cpu_boot[cpu];
    if ( b->busy )
        return PSCI_ALREADY_ON;

    b->stack_top = (uintptr_t)cpu_stacks[cpu - 1] + XTF_CPU_STACK_SIZE;
    b->fn = fn;
    b->arg = arg;
    b->busy = 1;
    dsb(sy);

    rc = psci_cpu_on(cpu, (uintptr_t)xtf_secondary_entry, (uintptr_t)b);
    if ( rc != PSCI_SUCCESS )
        b->busy = 0;

    return rc;
}

bool xtf_cpu_busy(unsigned int cpu)
{
    return cpu < XTF_MAX_CPUS && cpu_boot[cpu].busy;
}

/* From head.S, on the vCPU's own stack. */
void xtf_secondary_main(struct xtf_cpu_boot *b)
{
    b->fn(b->arg);
    dsb(sy);
    b->busy = 0;
    dsb(sy);
    psci_cpu_off();
    panic("vCPU %u: PSCI CPU_OFF returned\n", xtf_cpu_id());
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
