/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/example/main.c
 * @ref test-example
 *
 * @page test-example Example
 *
 * The smallest test: boots, prints, succeeds.  Checks the framework itself
 * (console, verdict, exit path) and that Xen runs a dom0less guest.
 */
#include <xtf.h>

const char test_title[] = "Hello World";

void test_main(void)
{
    printk("Instance %u of %u, device tree at %p\n", xtf_instance,
           xtf_guests, xtf_fdt);
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
