/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * XTF-style test framework for arm64 guests of Xen: everything a test needs.
 */
#ifndef XTF_H
#define XTF_H

#include <xtf/types.h>
#include <guest-abi.h>
#include <arch/arm64.h>
#include <arch/hypercall.h>
#include <xtf/console.h>
#include <xtf/fdt.h>
#include <xtf/gic.h>
#include <xtf/lib.h>
#include <xtf/mem.h>
#include <xtf/report.h>
#include <xtf/test.h>
#include <xtf/traps.h>

#endif /* XTF_H */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
