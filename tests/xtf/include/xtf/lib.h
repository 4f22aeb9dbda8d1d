/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Freestanding string helpers.
 */
#ifndef XTF_LIB_H
#define XTF_LIB_H

#include <xtf/types.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
const char *strstr(const char *hay, const char *needle);
unsigned long strtoul(const char *s, const char **end, unsigned int base);

/* Fatal: print "PANIC: ...", end the test as a crash. */
void __noreturn panic(const char *fmt, ...) __printf(1, 2);

#endif /* XTF_LIB_H */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
