/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Console output and string formatting.
 */
#ifndef XTF_CONSOLE_H
#define XTF_CONSOLE_H

#include <xtf/types.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
void vprintk(const char *fmt, va_list args);
void printk(const char *fmt, ...) __printf(1, 2);

#endif /* XTF_CONSOLE_H */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
