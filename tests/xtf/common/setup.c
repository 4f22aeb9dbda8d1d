/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Start-up of a test guest: read the boot arguments, print the banner, run
 * the test, report.
 */
#include <xtf.h>

unsigned int xtf_instance = 1, xtf_guests = 1;
const void *xtf_fdt;
extern bool xtf_exit_semihost;

void __weak test_setup(void)
{
}

/*
 * Boot arguments (the dom0less module's "bootargs", in /chosen/bootargs):
 *   xtf.instance=N xtf.guests=M   this guest's place in a multi-guest test
 *   xtf.exit=semihost|shutdown    how to leave: end QEMU, or power off
 */
static void parse_bootargs(void)
{
    int chosen, len;
    const char *args, *p;

    if ( fdt_check(xtf_fdt) )
        return;
    chosen = fdt_child(xtf_fdt, fdt_root(xtf_fdt), "chosen");
    if ( chosen < 0 )
        return;
    args = fdt_prop(xtf_fdt, chosen, "bootargs", &len);
    if ( !args || !len || args[len - 1] )
        return;

    for ( p = args; *p; )
    {
        while ( *p == ' ' )
            p++;
        if ( !strncmp(p, "xtf.instance=", 13) )
            xtf_instance = strtoul(p + 13, &p, 0);
        else if ( !strncmp(p, "xtf.guests=", 11) )
            xtf_guests = strtoul(p + 11, &p, 0);
        else if ( !strncmp(p, "xtf.exit=shutdown", 17) )
            xtf_exit_semihost = false;
        else if ( !strncmp(p, "xtf.exit=semihost", 17) )
            xtf_exit_semihost = true;
        while ( *p && *p != ' ' )
            p++;
    }
}

void xtf_main(const void *fdt);
void xtf_main(const void *fdt)
{
    xtf_fdt = fdt;
    parse_bootargs();

    printk("--- Xen Test Framework ---\n");
    printk("Environment: arm64 dom0less guest (instance %u of %u)\n",
           xtf_instance, xtf_guests);
    printk("%s\n", test_title);

    if ( fdt_check(xtf_fdt) )
        xtf_error("Error: no valid device tree at %p\n", fdt);
    else
    {
        test_setup();
        if ( !xtf_status_reported() )
            test_main();
    }

    xtf_exit();
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
