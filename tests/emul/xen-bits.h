/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Xen 4.20's bit and field helpers, for the builds that are not Xen: the
 * host tests (through emul-xen.h), the software SMMU model, the fuzz corpus
 * generator and the XTF guests.  smmu-v3-arch.h, shared by all of them and
 * by Xen, defines its fields with these, so each definition here is Xen's,
 * token for token (a different definition is a redefinition error):
 *
 *   xen/include/xen/bitops.h  GENMASK(), GENMASK_ULL()
 *   xen/include/xen/const.h   _AC(), BIT(pos, sfx)
 *   xen/include/xen/macros.h  ISOLATE_LSB(), MASK_EXTR(), MASK_INSR()
 *
 * No libc: the XTF guests include it too.
 */
#ifndef TESTS_XEN_BITS_H
#define TESTS_XEN_BITS_H

#define BITS_PER_LLONG 64

#define __AC(X,Y)	(X##Y)
#define _AC(X,Y)	__AC(X,Y)

#define BIT(pos, sfx)   (_AC(1, sfx) << (pos))

#define GENMASK_ULL(h, l) \
    (((~0ULL) << (l)) & (~0ULL >> (BITS_PER_LLONG - 1 - (h))))

#define ISOLATE_LSB(x) ((x) & -(x))

#define MASK_EXTR(v, m) (((v) & (m)) / ISOLATE_LSB(m))
#define MASK_INSR(v, m) (((v) * ISOLATE_LSB(m)) & (m))

#endif /* TESTS_XEN_BITS_H */
