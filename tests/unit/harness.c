/* SPDX-License-Identifier: GPL-2.0-only */
#include "harness.h"

void harness_default_params(struct vsmmuv3_params *p)
{
    *p = (struct vsmmuv3_params){
        .base = H_BASE,
        .evtq_virq = H_EVTQ_VIRQ,
        .gerror_virq = H_GERROR_VIRQ,
        .ipa_bits = 40,
        .cmdq_budget = CONFIG_VSMMUV3_CMDQ_BUDGET,
        .cmdqs = CONFIG_VSMMUV3_CMDQS,
        .eventqs = CONFIG_VSMMUV3_EVENTQS,
        .max_streams = CONFIG_VSMMUV3_MAX_STREAMS,
    };
}

struct harness *harness_create(const struct vsmmuv3_params *p)
{
    struct harness *h = calloc(1, sizeof(*h));
    struct vsmmuv3_params def;

    assert_non_null(h);
    if ( !p )
    {
        harness_default_params(&def);
        p = &def;
    }
    h->d = emul_domain_create(1, 4, H_NR_SPIS);
    h->v = h->d->vcpu[0];
    assert_int_equal(emul_ram_add(h->d, H_RAM_BASE, H_RAM_SIZE), 0);
    assert_int_equal(vsmmuv3_domain_init(h->d, p, &h->vs), 0);
    emul_log_clear();
    return h;
}

void harness_destroy(struct harness *h)
{
    vsmmuv3_domain_free(h->vs);
    emul_domain_destroy(h->d);
    free(h);
}

uint32_t h_read32(struct harness *h, uint32_t off)
{
    return emul_read32(h->v, H_BASE + off);
}

uint64_t h_read64(struct harness *h, uint32_t off)
{
    return emul_read64(h->v, H_BASE + off);
}

void h_write32(struct harness *h, uint32_t off, uint32_t val)
{
    emul_write32(h->v, H_BASE + off, val);
}

void h_write64(struct harness *h, uint32_t off, uint64_t val)
{
    emul_write64(h->v, H_BASE + off, val);
}

int h_access(struct harness *h, uint32_t off, unsigned int size, bool write,
             uint64_t *val)
{
    return write ? emul_mmio_write(h->v, H_BASE + off, size, *val)
                 : emul_mmio_read(h->v, H_BASE + off, size, val);
}

void h_raise_gerror(struct harness *h, uint32_t errors)
{
    spin_lock(&h->vs->lock);
    vsmmuv3_raise_gerror(h->vs, errors);
    spin_unlock(&h->vs->lock);
}
