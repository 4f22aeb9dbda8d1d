/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Small arm64 helpers.
 */
#include <xtf.h>

void udelay(uint64_t us)
{
    uint64_t start = counter_now();

    while ( counter_us_since(start) < us )
        cpu_relax();
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
