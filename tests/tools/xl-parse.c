/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Runs xl's own configuration parser (tools/xl/xl_parse.o of the patched
 * tree) on one configuration file, without a hypervisor, and prints what
 * it made of the vIOMMU setting and the passthrough devices:
 *     xl-parse FILE   ->   viommu_type=<name>
 *                          dtdev=<path>...
 *                          device_tree=<path>
 * Errors are xl's own: its message on stderr and its exit status.
 *
 * xl_parse.o needs xl's globals (defined in xl.c) and a few helpers of
 * xl_utils.c and xl_nic.c, defined here the way xl defines them, and
 * libxl_get_physinfo() and libxl_cpu_bitmap_alloc(), which need a libxl
 * context and so Xen: they are replaced by ones that need neither.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxl.h>
#include <libxl_utils.h>
#include <libxlutil.h>

#include "xl.h"
#include "xl_utils.h"
#include "xl_parse.h"

libxl_ctx *ctx;
char *blkdev_start;
int run_hotplug_scripts = 1;
int claim_mode = 1;
int max_grant_frames = -1;
int max_maptrack_frames = -1;
int max_grant_version = LIBXL_MAX_GRANT_DEFAULT;
libxl_defbool bootloader_restrict;

int libxl_get_physinfo(libxl_ctx *c, libxl_physinfo *physinfo)
{
    memset(physinfo, 0, sizeof(*physinfo));
    return 0;
}

/* libxl's needs the context; xl passes the number of vCPUs, so no host. */
int libxl_cpu_bitmap_alloc(libxl_ctx *c, libxl_bitmap *cpumap, int max_cpus)
{
    if (max_cpus <= 0) {
        fprintf(stderr, "xl-parse: the host's CPUs are unknown here\n");
        exit(2);
    }
    cpumap->size = (max_cpus + 7) / 8;
    cpumap->map = xcalloc(cpumap->size, 1);
    return 0;
}

void set_default_nic_values(libxl_device_nic *nic)
{
}

void *xmalloc(size_t sz)
{
    void *r = malloc(sz);

    if (!r) {
        fprintf(stderr, "xl-parse: out of memory\n");
        exit(2);
    }
    return r;
}

void *xcalloc(size_t n, size_t sz)
{
    void *r = calloc(n, sz);

    if (!r && n && sz) {
        fprintf(stderr, "xl-parse: out of memory\n");
        exit(2);
    }
    return r;
}

void *xrealloc(void *ptr, size_t sz)
{
    void *r = realloc(ptr, sz);

    if (!r && sz) {
        fprintf(stderr, "xl-parse: out of memory\n");
        exit(2);
    }
    return r;
}

char *xstrdup(const char *x)
{
    char *r = strdup(x);

    if (!r) {
        fprintf(stderr, "xl-parse: out of memory\n");
        exit(2);
    }
    return r;
}

void xasprintf(char **strp, const char *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = vasprintf(strp, fmt, ap);
    va_end(ap);
    if (r < 0) {
        fprintf(stderr, "xl-parse: out of memory\n");
        exit(2);
    }
}

int main(int argc, char **argv)
{
    libxl_domain_config d_config;
    FILE *f;
    char *buf;
    long len;
    int i;

    if (argc != 2) {
        fprintf(stderr, "usage: xl-parse FILE\n");
        return 2;
    }

    f = fopen(argv[1], "r");
    if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET)) {
        fprintf(stderr, "xl-parse: %s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    buf = xmalloc(len + 1);
    if (fread(buf, 1, len, f) != (size_t)len) {
        fprintf(stderr, "xl-parse: %s: short read\n", argv[1]);
        return 2;
    }
    buf[len] = '\0';
    fclose(f);

    libxl_domain_config_init(&d_config);
    parse_config_data(argv[1], buf, len, &d_config);

    printf("viommu_type=%s\n",
           libxl_viommu_type_to_string(d_config.b_info.arch_arm.viommu_type));
    for (i = 0; i < d_config.num_dtdevs; i++)
        printf("dtdev=%s\n", d_config.dtdevs[i].path);
    if (d_config.b_info.device_tree)
        printf("device_tree=%s\n", d_config.b_info.device_tree);

    libxl_domain_config_dispose(&d_config);
    free(buf);
    return 0;
}
