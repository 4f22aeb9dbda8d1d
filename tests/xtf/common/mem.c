/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest memory.
 */
#include <xtf.h>

extern char _end[];

static uintptr_t next;

static void ram_bank(uint64_t *base, uint64_t *size)
{
    int root = fdt_root(xtf_fdt), n;

    *base = GUEST_RAM0_BASE;
    *size = 0;
    for ( n = fdt_first_child(xtf_fdt, root); n >= 0;
          n = fdt_next_sibling(xtf_fdt, n) )
    {
        int len;
        const char *type = fdt_prop(xtf_fdt, n, "device_type", &len);
        const uint8_t *reg;

        if ( !type || strcmp(type, "memory") )
            continue;
        reg = fdt_prop(xtf_fdt, n, "reg", &len);
        if ( reg && len >= 16 )
        {
            *base = fdt64_at(reg);
            *size = fdt64_at(reg + 8);
            return;
        }
    }
}

uint64_t xtf_ram_base(void)
{
    uint64_t base, size;

    ram_bank(&base, &size);

    return base;
}

uint64_t xtf_ram_end(void)
{
    uint64_t base, size;

    ram_bank(&base, &size);

    return base + size;
}

void *xtf_alloc(size_t size, size_t align)
{
    uintptr_t p, limit = (uintptr_t)xtf_fdt;

    if ( !next )
        next = ROUNDUP((uintptr_t)_end, 4096);
    if ( limit < next )
        limit = xtf_ram_end();

    p = ROUNDUP(next, align);
    if ( p + size > limit || p + size < p )
        panic("xtf_alloc: out of memory (%#lx bytes, align %#lx)\n",
              (unsigned long)size, (unsigned long)align);
    next = p + size;
    memset((void *)p, 0, size);

    return (void *)p;
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
