/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests: libxl_arch.h declares nothing the vIOMMU piece uses. */
