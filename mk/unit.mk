# SPDX-License-Identifier: GPL-2.0-only
#
# Host unit tests: the device model's .c files, unchanged, compiled against
# the emulation of Xen internals in tests/emul/, with ASan and UBSan.

VSMMU_DIR    := xen/drivers/passthrough/arm/vsmmu-v3
VSMMU_SRCS   := $(wildcard $(VSMMU_DIR)/*.c)
# The architecture's definitions, shared with the driver (smmu-v3-arch.h).
ARCH_DIR     := xen/drivers/passthrough/arm
ARCH_H       := $(ARCH_DIR)/smmu-v3-arch.h
# The pure half of the driver's nesting backend (STEs, checks, order).
NESTED_SRCS  := xen/drivers/passthrough/arm/smmu-v3-nested.c
NESTED_H     := xen/drivers/passthrough/arm/smmu-v3-nested.h
EMUL_SRCS    := tests/emul/emul.c
# The software SMMUv3 (tests/model/) is the physical SMMU of e2e tests.
UNIT_MODEL   := $(addprefix tests/model/,smmu-model.c pgtable.c machine-mem.c)
UNIT_HARNESS := tests/unit/harness.c $(UNIT_MODEL)
UNIT_TESTS   := $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))

UNIT_OUT     := $(BUILD)/unit
TSAN_OUT     := $(BUILD)/tsan
FREE_OUT     := $(BUILD)/freestanding

HOST_CC      ?= gcc
WARN_CFLAGS  := -Wall -Wextra -Werror -Wno-unused-parameter \
                -Wno-missing-field-initializers
comma        := ,
SAN_CFLAGS   := $(if $(CONFIG_TEST_SANITIZERS),\
                -fsanitize=address$(comma)undefined -fno-sanitize-recover=all)
MODEL_CPPFLAGS := -Itests/emul/include -include $(AUTOCONF_H) -I$(VSMMU_DIR)
TEST_CPPFLAGS  := $(MODEL_CPPFLAGS) -Itests/emul -Itests/unit -Itests/model \
                  -I$(ARCH_DIR)
UNIT_CFLAGS  := -std=gnu11 -g -O1 -fno-omit-frame-pointer -pthread \
                $(WARN_CFLAGS) $(SAN_CFLAGS)

UNIT_BINS    := $(addprefix $(UNIT_OUT)/,$(UNIT_TESTS))
UNIT_DEPS    := $(VSMMU_SRCS) $(wildcard $(VSMMU_DIR)/*.h) $(EMUL_SRCS) \
                $(NESTED_SRCS) $(NESTED_H) $(ARCH_H) \
                $(wildcard tests/emul/*.h) $(UNIT_HARNESS) tests/unit/harness.h \
                $(wildcard tests/model/*.h) \
                $(AUTOCONF_H)

$(UNIT_OUT)/%: tests/unit/%.c $(UNIT_DEPS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(UNIT_CFLAGS) $(TEST_CPPFLAGS) -o $@ $< $(UNIT_HARNESS) \
	    $(VSMMU_SRCS) $(NESTED_SRCS) $(EMUL_SRCS) -lcmocka

# The vIOMMU framework's domctl handler (viommu.c and the SMMUv3 type of
# viommu-smmuv3.c, unchanged) with the model
# behind it: tests/unit/glue/ stands in for the rest of Xen, ahead of
# tests/emul/include, and the domctl layout is the public header's as
# xen/patches makes it (the prepared Xen tree's, linked as public/).
GLUE_DIR     := tests/unit/glue
GLUE_SRCS    := xen/drivers/passthrough/arm/viommu.c \
                xen/drivers/passthrough/arm/viommu-smmuv3.c $(GLUE_DIR)/glue.c
GLUE_PUBLIC  := $(UNIT_OUT)/glue-public
GLUE_DEPS    := $(GLUE_SRCS) $(GLUE_DIR)/glue.h \
                $(shell find $(GLUE_DIR)/include -name '*.h') \
                xen/arch/arm/include/asm/viommu.h \
                xen/drivers/passthrough/arm/viommu-ops.h \
                $(wildcard xen/patches/*.patch)
$(UNIT_OUT)/test_domctl: tests/unit/test_domctl.c $(UNIT_DEPS) $(GLUE_DEPS) \
                         | xen-prepare
	@mkdir -p $(GLUE_PUBLIC)
	ln -sfn $(XEN_SRC)/xen/include/public $(GLUE_PUBLIC)/public
	$(HOST_CC) $(UNIT_CFLAGS) -I$(GLUE_DIR)/include -I$(GLUE_DIR) \
	    $(TEST_CPPFLAGS) -I$(GLUE_PUBLIC) -o $@ $< $(GLUE_SRCS) \
	    $(UNIT_HARNESS) $(VSMMU_SRCS) $(NESTED_SRCS) $(EMUL_SRCS) -lcmocka

.PHONY: unit-build test-unit test-tsan freestanding-check citation-check \
        guard-check prefix-check abi-check

unit-build: $(UNIT_BINS)

TEST_TIERS += unit
test-unit: $(UNIT_BINS) freestanding-check citation-check guard-check \
           prefix-check abi-check
	@scripts/run-cmocka.sh $(UNIT_BINS) -- $(FREE_OUT)/result \
	    $(FREE_OUT)/citations $(FREE_OUT)/guards $(FREE_OUT)/prefixes \
	    $(FREE_OUT)/abi

# ThreadSanitizer build of the tests that exercise concurrency.
TSAN_TESTS := $(filter %concurrency,$(UNIT_TESTS))
TSAN_BINS  := $(addprefix $(TSAN_OUT)/,$(TSAN_TESTS))
$(TSAN_OUT)/%: tests/unit/%.c $(UNIT_DEPS)
	@mkdir -p $(dir $@)
	clang -std=gnu11 -g -O1 -pthread -fsanitize=thread $(WARN_CFLAGS) \
	    $(TEST_CPPFLAGS) -o $@ $< $(UNIT_HARNESS) $(VSMMU_SRCS) \
	    $(NESTED_SRCS) $(EMUL_SRCS) -lcmocka

TEST_TIERS += tsan
test-tsan: $(TSAN_BINS)
	@TSAN_OPTIONS=halt_on_error=1 scripts/run-cmocka.sh $(TSAN_BINS)

# The device model is freestanding (DESIGN.md section 4): no libc, no
# floating point.  Build it as Xen would (no sanitizers, general registers
# only) and check every symbol it needs is a Xen internal it may call.
freestanding-check: $(VSMMU_SRCS) $(NESTED_SRCS) $(NESTED_H) $(ARCH_H) \
                    $(wildcard $(VSMMU_DIR)/*.h) $(AUTOCONF_H)
	@mkdir -p $(FREE_OUT)
	@scripts/check-freestanding.sh $(FREE_OUT) $(HOST_CC) \
	    "$(MODEL_CPPFLAGS) -std=gnu11 -O2 -mgeneral-regs-only -ffreestanding \
	     -fno-builtin -fno-stack-protector $(WARN_CFLAGS)" $(VSMMU_SRCS) \
	    $(NESTED_SRCS)

# Comments under xen/ cite IHI 0070 and Xen's documents only, never this
# project's notes (rule numbers, review labels, docs/*.md): one check per
# file of the overlay and per patch (the lines it adds), counted in the
# unit tier's line.
CITE_FILES := $(shell find xen -type f ! -path 'xen/patches/*' | sort)
CITE_PATCHES := $(sort $(wildcard xen/patches/*.patch))
citation-check: $(CITE_FILES) $(CITE_PATCHES)
	@mkdir -p $(FREE_OUT)
	@scripts/check-citations.sh $(FREE_OUT)/citations $(CITE_FILES) \
	    $(CITE_PATCHES)

# Every header under xen/ has the inclusion guard CODING_STYLE derives from
# its path (one check per header, counted in the unit tier's line).
GUARD_HDRS := $(filter %.h,$(CITE_FILES))
guard-check: $(GUARD_HDRS)
	@mkdir -p $(FREE_OUT)
	@scripts/check-guards.sh $(FREE_OUT)/guards $(GUARD_HDRS)

# The public structures the series adds have one layout on x86_64, i686,
# aarch64 and armv7, so Xen needs no compat translation for them (counted
# in the unit tier's line).
abi-check: $(wildcard xen/patches/*.patch) | xen-prepare
	@mkdir -p $(FREE_OUT)
	@scripts/check-abi-layout.sh $(FREE_OUT)/abi \
	    $(XEN_SRC)/xen/include/public $(FREE_OUT)/abi-work

# Every static function of the vIOMMU code has its module's prefix (one
# check per file, counted in the unit tier's line).
PREFIX_SRCS := $(VSMMU_SRCS) $(NESTED_SRCS) xen/drivers/passthrough/arm/viommu.c
prefix-check: $(PREFIX_SRCS)
	@mkdir -p $(FREE_OUT)
	@scripts/check-prefixes.sh $(FREE_OUT)/prefixes $(PREFIX_SRCS)
