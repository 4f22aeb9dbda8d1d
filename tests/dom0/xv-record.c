/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xv-record DOMID: drive XEN_DOMCTL_viommu_{get,set}_record on a running
 * domain from the dom0 of the dom0 tier, through libxc, and print what
 * happened as "XV-RECORD: <what> <facts>" lines.  It judges nothing
 * (scripts/qemu/xl-guest.py does):
 *
 *   size <n> <errno>              get with no buffer: the size asked for
 *   short <rc> <errno> <size>     get with a buffer one byte short
 *   copy <rc> <errno> <size> <magic>   get with the size asked for
 *   set <rc> <errno> <aborted>    set with what copy gave
 *   again <rc> <errno> <same>     get again: 1 if the same bytes
 *   bad <rc> <errno>              set with the magic changed
 *   after-bad <rc> <errno> <same> get again: 1 if still the same bytes
 *   truncated <rc> <errno>        set with one byte less
 *   no-viommu <rc> <errno>        get on domain 0, which has none
 *   pci-stream <rc> <errno>       bind a vSID to PCI function 0000:00:01.0
 *
 * errno is printed as a name where the tier cares.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenctrl.h>

static const char *ename(int e)
{
    switch ( e )
    {
    case 0:         return "0";
    case ENOBUFS:   return "ENOBUFS";
    case EINVAL:    return "EINVAL";
    case ENODEV:    return "ENODEV";
    case EILSEQ:    return "EILSEQ";
    case EBADMSG:   return "EBADMSG";
    case ENODATA:   return "ENODATA";
    case EPERM:     return "EPERM";
    case EFAULT:    return "EFAULT";
    case E2BIG:     return "E2BIG";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    default:        return "other";
    }
}

static uint32_t le32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

int main(int argc, char **argv)
{
    xc_interface *xch;
    uint32_t domid;
    uint64_t size = 0, len, got;
    uint8_t *rec, *again;
    unsigned int aborted = 0xdead;
    int rc;

    if ( argc != 2 )
    {
        fprintf(stderr, "usage: %s DOMID\n", argv[0]);
        return 2;
    }
    domid = strtoul(argv[1], NULL, 0);
    xch = xc_interface_open(NULL, NULL, 0);
    if ( !xch )
    {
        printf("XV-RECORD: open failed %s\n", strerror(errno));
        return 1;
    }

    errno = 0;
    rc = xc_domain_viommu_get_record(xch, domid, NULL, &size);
    printf("XV-RECORD: size %" PRIu64 " %s\n", size,
           rc ? ename(errno) : "0");
    if ( rc || !size || size > (1 << 20) )
        return 1;
    len = size;
    rec = calloc(1, len + 1);
    again = calloc(1, len + 1);
    if ( !rec || !again )
        return 1;

    got = len - 1;
    errno = 0;
    rc = xc_domain_viommu_get_record(xch, domid, rec, &got);
    printf("XV-RECORD: short %d %s %" PRIu64 "\n", rc, ename(rc ? errno : 0),
           got);

    got = len;
    errno = 0;
    rc = xc_domain_viommu_get_record(xch, domid, rec, &got);
    printf("XV-RECORD: copy %d %s %" PRIu64 " %#x\n", rc,
           ename(rc ? errno : 0), got, le32(rec));
    if ( rc )
        return 1;

    errno = 0;
    rc = xc_domain_viommu_set_record(xch, domid, rec, len, &aborted);
    printf("XV-RECORD: set %d %s %u\n", rc, ename(rc ? errno : 0), aborted);

    got = len;
    errno = 0;
    rc = xc_domain_viommu_get_record(xch, domid, again, &got);
    printf("XV-RECORD: again %d %s %d\n", rc, ename(rc ? errno : 0),
           !rc && got == len && !memcmp(rec, again, len));

    rec[0] ^= 0xff;
    errno = 0;
    rc = xc_domain_viommu_set_record(xch, domid, rec, len, &aborted);
    printf("XV-RECORD: bad %d %s\n", rc, ename(rc ? errno : 0));
    rec[0] ^= 0xff;

    got = len;
    memset(again, 0, len);
    errno = 0;
    rc = xc_domain_viommu_get_record(xch, domid, again, &got);
    printf("XV-RECORD: after-bad %d %s %d\n", rc, ename(rc ? errno : 0),
           !rc && got == len && !memcmp(rec, again, len));

    errno = 0;
    rc = xc_domain_viommu_set_record(xch, domid, rec, len - 1, &aborted);
    printf("XV-RECORD: truncated %d %s\n", rc, ename(rc ? errno : 0));

    got = 0;
    errno = 0;
    rc = xc_domain_viommu_get_record(xch, 0, NULL, &got);
    printf("XV-RECORD: no-viommu %d %s\n", rc, ename(rc ? errno : 0));

    errno = 0;
    rc = xc_domain_viommu_add_pci_stream(xch, domid, 0x8000, 0, 0, 0x08);
    printf("XV-RECORD: pci-stream %d %s\n", rc, ename(rc ? errno : 0));

    xc_interface_close(xch);
    free(rec);
    free(again);

    return 0;
}
