/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Freestanding string helpers.  The compiler may emit calls to memset()
 * and memcpy() itself, so these are plain byte loops (the guest runs with
 * its MMU off: no unaligned wide accesses).
 */
#include <xtf.h>

void *memset(void *s, int c, size_t n)
{
    volatile unsigned char *p = s;

    while ( n-- )
        *p++ = c;

    return s;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    volatile unsigned char *d = dst;
    const volatile unsigned char *s = src;

    while ( n-- )
        *d++ = *s++;

    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;

    for ( ; n; n--, x++, y++ )
        if ( *x != *y )
            return *x - *y;

    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while ( s[n] )
        n++;

    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;

    while ( n < max && s[n] )
        n++;

    return n;
}

int strcmp(const char *a, const char *b)
{
    while ( *a && *a == *b )
    {
        a++;
        b++;
    }

    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for ( ; n; n--, a++, b++ )
    {
        if ( *a != *b )
            return (unsigned char)*a - (unsigned char)*b;
        if ( !*a )
            break;
    }

    return 0;
}

const char *strstr(const char *hay, const char *needle)
{
    size_t n = strlen(needle);

    for ( ; *hay; hay++ )
        if ( !strncmp(hay, needle, n) )
            return hay;

    return n ? NULL : hay;
}

unsigned long strtoul(const char *s, const char **end, unsigned int base)
{
    unsigned long v = 0;

    if ( base == 0 )
    {
        base = 10;
        if ( s[0] == '0' && (s[1] == 'x' || s[1] == 'X') )
        {
            base = 16;
            s += 2;
        }
    }

    for ( ;; s++ )
    {
        unsigned int d;

        if ( *s >= '0' && *s <= '9' )
            d = *s - '0';
        else if ( *s >= 'a' && *s <= 'f' )
            d = *s - 'a' + 10;
        else if ( *s >= 'A' && *s <= 'F' )
            d = *s - 'A' + 10;
        else
            break;
        if ( d >= base )
            break;
        v = v * base + d;
    }

    if ( end )
        *end = s;

    return v;
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
