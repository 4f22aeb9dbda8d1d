/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a test provides, and what the framework tells it.
 */
#ifndef XTF_TEST_H
#define XTF_TEST_H

#include <xtf/types.h>

/* Provided by each test. */
extern const char test_title[];
void test_main(void);
/* Optional, run before test_main(). */
void test_setup(void);

/*
 * The guest's place in a multi-guest test: instance 1..guests, from the
 * "xtf.instance=" and "xtf.guests=" boot arguments the runner gives each
 * guest (1 of 1 when absent).
 */
extern unsigned int xtf_instance, xtf_guests;

/* The guest's device tree, as Xen built it. */
extern const void *xtf_fdt;

#endif /* XTF_TEST_H */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
