# SPDX-License-Identifier: GPL-2.0-only
#
# Shared by the framework build and every test's Makefile (XTF's layout:
# build/common.mk before the test's settings, build/gen.mk after them).
#
# Inputs (absolute paths, given by ../Makefile):
#   ROOT        tests/xtf
#   O           output directory ($(BUILD)/xtf)
#   XEN_PUBLIC  the patched Xen public headers (xen/include/public)
#   SMMU_ARCH   the directory of smmu-v3-arch.h (xen/drivers/passthrough/arm),
#               with the device model's vsmmu-v3/vsmmu-v3.h under it
#   AUTOCONF    the project's generated autoconf.h (CONFIG_* values)

CROSS_COMPILE ?= aarch64-linux-gnu-
V ?= 0
Q := $(if $(filter 1,$(V)),,@)
CC      := $(CROSS_COMPILE)gcc
OBJCOPY := $(CROSS_COMPILE)objcopy

ALL_CATEGORIES   := special functional xsa utility in-development
ALL_ENVIRONMENTS := arm64

# The guest runs at EL1 with its MMU off: every access is to Device memory,
# so no unaligned accesses, no FP/SIMD, no compiler-generated libc calls.
CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
          -ffreestanding -fno-builtin -nostdlib -mgeneral-regs-only \
          -mstrict-align -fno-tree-loop-distribute-patterns -fno-pic \
          -fno-pie -fno-stack-protector -fno-common \
          -I$(ROOT)/include -I$(ROOT)/arch/arm64/include -I$(O)/include \
          -I$(SMMU_ARCH) -include $(AUTOCONF)
ASFLAGS := -D__ASSEMBLY__ -I$(O)/include
LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none \
           -Wl,--no-warn-rwx-segments -T $(O)/link.lds

COMMON_OBJS := $(addprefix $(O)/common/, head.o traps.o lib-arm64.o \
               setup.o report.o console.o lib.o fdt.o mem.o gicv3.o smmu.o \
               pci.o edu.o s1pt.o dmaenv.o \
               smp.o)
