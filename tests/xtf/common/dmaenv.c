/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The DMA tests' common set-up.
 */
#include <xtf.h>
#include <xtf/dmaenv.h>
#include <xtf/smmu.h>

bool dma_env_setup(struct dma_env *env, unsigned int nr_edu)
{
    unsigned int i, st_log2 = 5;

    memset(env, 0, sizeof(*env));
    gic_init();
    gic_enable_spi(GUEST_VSMMUV3_EVTQ_SPI);
    gic_enable_spi(GUEST_VSMMUV3_GERROR_SPI);

    if ( !pci_host_probe(&env->host) )
    {
        xtf_error("Error: the guest owns no PCIe host bridge (the test's "
                  "PCI_GUEST)\n");
        return false;
    }
    printk("pci: ECAM %#lx, buses %u-%u, memory %#lx (%lu MiB), iommu-map "
           "%s\n", (unsigned long)env->host.ecam, env->host.bus_first,
           env->host.bus_last, (unsigned long)env->host.mem_cpu,
           (unsigned long)(env->host.mem_size >> 20),
           env->host.has_iommu_map ? "to the vSMMU" : "none");
    if ( !env->host.has_iommu_map ||
         env->host.map_phandle != GUEST_PHANDLE_VSMMUV3 )
    {
        xtf_error("Error: the host bridge is not behind the vSMMU "
                  "(iommu-map)\n");
        return false;
    }

    for ( i = 0; i < nr_edu; i++ )
    {
        if ( !edu_probe(&env->host, i, &env->edu[i]) )
        {
            xtf_error("Error: edu #%u missing (the test's QEMU_DEVICES)\n", i);
            return false;
        }
        while ( env->edu[i].sid >= (1U << st_log2) )
            st_log2++;
    }
    env->nr_edu = nr_edu;

    for ( i = 0; i < 6; i++ )
        env->idr[i] = smmu_read32(SMMU_IDR0 + 4 * i);

    return smmu_reset(st_log2, 8, 8);
}

int dma_landed(void *const *bufs, unsigned int n, size_t off, size_t len,
               uint32_t seed)
{
    int where = DMA_NOWHERE;
    unsigned int i;

    for ( i = 0; i < n; i++ )
        if ( pattern_check((const uint8_t *)bufs[i] + off, len, seed) == len )
            where = where == DMA_NOWHERE ? (int)i : DMA_SEVERAL;

    return where;
}

void dma_clear(void *const *bufs, unsigned int n, size_t len, uint8_t byte)
{
    unsigned int i;

    for ( i = 0; i < n; i++ )
        memset(bufs[i], byte, len);
    dsb(sy);
}

const char *dma_where(int landed, const char *const *names)
{
    if ( landed == DMA_NOWHERE )
        return "nowhere";
    if ( landed == DMA_SEVERAL )
        return "several buffers";
    return names[landed];
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
