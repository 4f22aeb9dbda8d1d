/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Verdicts.
 */
#include <xtf.h>

static enum test_status status = STATUS_RUNNING;
static bool warnings;

static const char *const names[] = {
    [STATUS_RUNNING] = "RUNNING",
    [STATUS_SUCCESS] = "SUCCESS",
    [STATUS_SKIP]    = "SKIP",
    [STATUS_ERROR]   = "ERROR",
    [STATUS_FAILURE] = "FAILURE",
};

static void set_status(enum test_status s, const char *fmt, va_list args)
{
    if ( s > status )
        status = s;
    if ( fmt )
        vprintk(fmt, args);
}

#define REPORTER(fn, st)                        \
void fn(const char *fmt, ...)                   \
{                                               \
    va_list args;                               \
                                                \
    va_start(args, fmt);                        \
    set_status(st, fmt, args);                  \
    va_end(args);                               \
}

REPORTER(xtf_success, STATUS_SUCCESS)
REPORTER(xtf_skip, STATUS_SKIP)
REPORTER(xtf_error, STATUS_ERROR)
REPORTER(xtf_failure, STATUS_FAILURE)

void xtf_warning(const char *fmt, ...)
{
    va_list args;

    warnings = true;
    va_start(args, fmt);
    if ( fmt )
        vprintk(fmt, args);
    va_end(args);
}

bool xtf_status_reported(void)
{
    return status != STATUS_RUNNING;
}

enum test_status xtf_status(void)
{
    return status;
}

/* Set by setup.c from the boot arguments. */
bool xtf_exit_semihost = true;

static void __noreturn leave(unsigned int code)
{
    if ( xtf_exit_semihost )
        semihost_exit(code);
    hypercall_shutdown(code == 6 ? SHUTDOWN_crash : SHUTDOWN_poweroff);
    for ( ;; )
        __asm__ __volatile__ ( "wfi" );
}

void xtf_exit(void)
{
    static const unsigned int codes[] = {
        [STATUS_SUCCESS] = 0, [STATUS_SKIP] = 3,
        [STATUS_ERROR] = 4, [STATUS_FAILURE] = 5,
    };

    if ( status == STATUS_RUNNING )
    {
        printk("Test did not report a status\n");
        status = STATUS_ERROR;
    }

    printk("Test result: %s%s\n", names[status],
           status == STATUS_SUCCESS && warnings ? " with warnings" : "");
    leave(codes[status]);
}

void xtf_crash(const char *fmt, ...)
{
    va_list args;

    printk("PANIC: ");
    va_start(args, fmt);
    vprintk(fmt, args);
    va_end(args);
    leave(6);
}

void panic(const char *fmt, ...)
{
    va_list args;

    printk("PANIC: ");
    va_start(args, fmt);
    vprintk(fmt, args);
    va_end(args);
    leave(6);
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
