/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reporting a test's verdict, as XTF does.  The status only ever gets
 * worse: RUNNING < SUCCESS < SKIP < ERROR < FAILURE.
 *
 *  xtf_success()  the test passed (usually the last call of test_main())
 *  xtf_skip()     the test cannot run in this configuration
 *  xtf_error()    a problem with the test or its environment
 *  xtf_failure()  a bug in the code under test
 *  xtf_warning()  passed, but something deserves a look
 *
 * A NULL format prints nothing.  The last line of the test's output is
 * "Test result: SUCCESS|SKIP|ERROR|FAILURE"; the same verdict is the exit
 * status (0, 3, 4, 5; a crash is 6).
 */
#ifndef XTF_REPORT_H
#define XTF_REPORT_H

#include <xtf/types.h>

enum test_status {
    STATUS_RUNNING,
    STATUS_SUCCESS,
    STATUS_SKIP,
    STATUS_ERROR,
    STATUS_FAILURE,
};

void xtf_success(const char *fmt, ...) __printf(1, 2);
void xtf_warning(const char *fmt, ...) __printf(1, 2);
void xtf_skip(const char *fmt, ...) __printf(1, 2);
void xtf_error(const char *fmt, ...) __printf(1, 2);
void xtf_failure(const char *fmt, ...) __printf(1, 2);

bool xtf_status_reported(void);
enum test_status xtf_status(void);

/* Print the verdict and end the guest (and QEMU, when it is alone). */
void __noreturn xtf_exit(void);
/* End the guest as a crash: no "Test result:" line. */
void __noreturn xtf_crash(const char *fmt, ...) __printf(1, 2);

#endif /* XTF_REPORT_H */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
