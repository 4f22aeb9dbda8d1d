/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * printk() over Xen's console_io hypercall (output appears on Xen's console
 * as "(dN) ..."), and a small vsnprintf(): %d %i %u %x %X %o %c %s %p %%
 * with the '-', '0' and '#' flags, a field width, and the l, ll, z length
 * modifiers.
 */
#include <xtf.h>

static char *put(char *p, char *end, char c)
{
    if ( p < end )
        *p = c;

    return p + 1;
}

static char *number(char *p, char *end, unsigned long long v, bool neg,
                    unsigned int base, bool upper, int width, bool zero,
                    bool left, bool alt)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0, len;
    char pad = zero && !left ? '0' : ' ';

    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while ( v );

    len = n + (neg ? 1 : 0) + (alt && base == 16 ? 2 : 0);

    if ( !left && pad == ' ' )
        for ( ; width > len; width-- )
            p = put(p, end, ' ');
    if ( neg )
        p = put(p, end, '-');
    if ( alt && base == 16 )
    {
        p = put(p, end, '0');
        p = put(p, end, upper ? 'X' : 'x');
    }
    if ( !left && pad == '0' )
        for ( ; width > len; width-- )
            p = put(p, end, '0');
    while ( n )
        p = put(p, end, tmp[--n]);
    for ( ; left && width > len; width-- )
        p = put(p, end, ' ');

    return p;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
    char *p = buf, *end = buf + (size ? size - 1 : 0);

    for ( ; *fmt; fmt++ )
    {
        bool zero = false, left = false, alt = false, neg = false;
        int width = 0, lng = 0;
        unsigned long long v;
        const char *s;

        if ( *fmt != '%' )
        {
            p = put(p, end, *fmt);
            continue;
        }

        for ( ;; )
        {
            fmt++;
            if ( *fmt == '0' )
                zero = true;
            else if ( *fmt == '-' )
                left = true;
            else if ( *fmt == '#' )
                alt = true;
            else
                break;
        }
        while ( *fmt >= '0' && *fmt <= '9' )
            width = width * 10 + (*fmt++ - '0');
        while ( *fmt == 'l' || *fmt == 'z' )
        {
            lng++;
            fmt++;
        }

        switch ( *fmt )
        {
        case 'd':
        case 'i':
        {
            long long sv = lng ? va_arg(args, long) : va_arg(args, int);

            neg = sv < 0;
            v = neg ? -(unsigned long long)sv : (unsigned long long)sv;
            p = number(p, end, v, neg, 10, false, width, zero, left, false);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o':
            v = lng ? va_arg(args, unsigned long) : va_arg(args, unsigned int);
            p = number(p, end, v, false,
                       *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16,
                       *fmt == 'X', width, zero, left, alt);
            break;
        case 'p':
            v = (unsigned long)va_arg(args, void *);
            p = number(p, end, v, false, 16, false, width, zero, left, true);
            break;
        case 'c':
            p = put(p, end, (char)va_arg(args, int));
            break;
        case 's':
        {
            int len;

            s = va_arg(args, const char *);
            if ( !s )
                s = "(null)";
            len = strlen(s);
            for ( ; !left && width > len; width-- )
                p = put(p, end, ' ');
            while ( *s )
                p = put(p, end, *s++);
            for ( ; left && width > len; width-- )
                p = put(p, end, ' ');
            break;
        }
        case '%':
            p = put(p, end, '%');
            break;
        case '\0':
            fmt--;
            break;
        default:
            p = put(p, end, '%');
            p = put(p, end, *fmt);
            break;
        }
    }

    if ( size )
        *(p < end ? p : end) = '\0';

    return p - buf;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list args;
    int n;

    va_start(args, fmt);
    n = vsnprintf(buf, size, fmt, args);
    va_end(args);

    return n;
}

void vprintk(const char *fmt, va_list args)
{
    /* On the stack: any vCPU may print (include/xtf/smp.h). */
    char buf[1024];
    int n = vsnprintf(buf, sizeof(buf), fmt, args);

    if ( n >= (int)sizeof(buf) )
        n = sizeof(buf) - 1;
    hypercall_console_write(buf, n);
}

void printk(const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    vprintk(fmt, args);
    va_end(args);
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
