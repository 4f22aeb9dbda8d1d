# SPDX-License-Identifier: GPL-2.0-only
#
# libFuzzer targets (tests/fuzz/, docs/fuzzing.md): the device model's .c
# files and tests/emul/emul.c, unchanged and with the unit tests' include
# paths and autoconf.h, built with clang's -fsanitize=fuzzer,address,undefined.
#
#   make fuzz          each target for CONFIG_TEST_FUZZ_SECONDS, from the
#                      committed corpus into $(BUILD)/fuzz/corpus/<target>
#   make test-fuzz     tier "fuzz": CONFIG_TEST_FUZZ_SMOKE_RUNS inputs per
#                      target from the committed corpus (fixed seed)
#   make fuzz-cov      line and branch coverage of the device model by the
#                      corpora (llvm-cov report)
#   make fuzz-corpus   regenerate tests/fuzz/corpus/ and repro/ (gen-corpus.c)
#   make fuzz-repro    run the reproducers of model bugs (tests/fuzz/repro/)
#
# Crashes are written to $(BUILD)/fuzz/crashes/.  This file is read before
# unit.mk: variables taken from it (MODEL_CPPFLAGS, WARN_CFLAGS) are only
# used in recipes, and prerequisites are spelled out here.

CONFIG_TEST_FUZZ_SECONDS    ?= 300
CONFIG_TEST_FUZZ_SMOKE_RUNS ?= 20000

FUZZ_DIR      := tests/fuzz
FUZZ_OUT      := $(BUILD)/fuzz
FUZZ_TARGETS  := fuzz_mmio fuzz_guest_ram fuzz_restore
FUZZ_CC       ?= clang
FUZZ_PROFDATA ?= llvm-profdata-14
FUZZ_COV      ?= llvm-cov-14

FUZZ_MODEL    := $(wildcard xen/drivers/passthrough/arm/vsmmu-v3/*.c)
FUZZ_LIB      := $(FUZZ_MODEL) tests/emul/emul.c $(FUZZ_DIR)/fuzz-common.c
FUZZ_DEPS     := $(wildcard xen/drivers/passthrough/arm/vsmmu-v3/*.h) \
                 xen/drivers/passthrough/arm/smmu-v3-nested.h \
                 xen/drivers/passthrough/arm/smmu-v3-arch.h \
                 $(wildcard tests/emul/*.h tests/emul/include/*/*.h) \
                 $(wildcard $(FUZZ_DIR)/*.h) $(AUTOCONF_H) mk/fuzz.mk

FUZZ_CPPFLAGS  = $(MODEL_CPPFLAGS) -Itests/emul -I$(FUZZ_DIR) \
                 -Ixen/drivers/passthrough/arm
FUZZ_CFLAGS    = -std=gnu11 -g -O1 -fno-omit-frame-pointer -pthread \
                 $(WARN_CFLAGS) $(FUZZ_CPPFLAGS)
# Every guest memory access of the model goes through the target's checks.
FUZZ_LDFLAGS  := -pthread -Wl,--wrap=access_guest_memory_by_gpa
# Variants: sanitized fuzzing builds, and source-based coverage builds.
# The emulation and the checks (FUZZ_PLAIN) get the sanitizers but no
# coverage instrumentation: libFuzzer's feedback is then the model's and
# the targets' own, and the checks cost a third of what they would.
FUZZ_SAN      := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_SAN_PLAIN := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_COVFLAGS := -fsanitize=fuzzer -fprofile-instr-generate -fcoverage-mapping
FUZZ_COV_PLAIN :=
FUZZ_PLAIN    := tests/emul/emul.c $(FUZZ_DIR)/fuzz-common.c

fuzz_obj = $(1)/obj/$(notdir $(2:.c=.o))

# $(1): output directory, $(2): variant flags, $(3): flags for FUZZ_PLAIN,
# $(4): link flags.
define FUZZ_VARIANT
$(foreach s,$(FUZZ_LIB) $(FUZZ_TARGETS:%=$(FUZZ_DIR)/%.c),
$(call fuzz_obj,$(1),$(s)): $(s) $(FUZZ_DEPS)
	@mkdir -p $$(dir $$@)
	$$(FUZZ_CC) $$(FUZZ_CFLAGS) $(if $(filter $(s),$(FUZZ_PLAIN)),$(3),$(2)) \
	    -c -o $$@ $(s)
)
$(1)/bin/%: $(1)/obj/%.o $(foreach s,$(FUZZ_LIB),$(call fuzz_obj,$(1),$(s)))
	@mkdir -p $$(dir $$@)
	$$(FUZZ_CC) $(4) -o $$@ $$^ $$(FUZZ_LDFLAGS)
endef

$(eval $(call FUZZ_VARIANT,$(FUZZ_OUT),$(FUZZ_SAN),$(FUZZ_SAN_PLAIN),$(FUZZ_SAN)))
$(eval $(call FUZZ_VARIANT,$(FUZZ_OUT)/cov,$(FUZZ_COVFLAGS),$(FUZZ_COV_PLAIN),$(FUZZ_COVFLAGS)))

FUZZ_BINS     := $(FUZZ_TARGETS:%=$(FUZZ_OUT)/bin/%)
FUZZ_COV_BINS := $(FUZZ_TARGETS:%=$(FUZZ_OUT)/cov/bin/%)
FUZZ_RUN       = FUZZ_OUT=$(FUZZ_OUT) FUZZ_CORPUS=$(FUZZ_DIR)/corpus \
                 $(FUZZ_DIR)/run.sh

.PHONY: fuzz fuzz-build test-fuzz fuzz-cov fuzz-corpus fuzz-repro

fuzz-build: $(FUZZ_BINS)

TEST_TIERS += fuzz
test-fuzz: $(FUZZ_BINS)
	@$(FUZZ_RUN) smoke $(CONFIG_TEST_FUZZ_SMOKE_RUNS) $(FUZZ_TARGETS)

fuzz: $(FUZZ_BINS)
	@$(FUZZ_RUN) long $(CONFIG_TEST_FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-cov: $(FUZZ_COV_BINS)
	@FUZZ_PROFDATA=$(FUZZ_PROFDATA) FUZZ_COV=$(FUZZ_COV) \
	    FUZZ_MODEL="$(FUZZ_MODEL)" $(FUZZ_RUN) cov 0 $(FUZZ_TARGETS)

$(FUZZ_OUT)/gen-corpus: $(FUZZ_DIR)/gen-corpus.c $(FUZZ_DIR)/fuzz-ops.h \
                        xen/drivers/passthrough/arm/smmu-v3-arch.h \
                        tests/emul/xen-bits.h
	@mkdir -p $(dir $@)
	$(HOST_CC) -std=gnu11 -Wall -Wextra -Werror -O1 \
	    -Ixen/drivers/passthrough/arm -o $@ $<

fuzz-corpus: $(FUZZ_OUT)/gen-corpus
	rm -rf $(FUZZ_DIR)/corpus $(FUZZ_DIR)/repro
	$< $(FUZZ_DIR)

# Reproducers of model bugs found by the targets (tests/fuzz/repro/): each
# one is expected to crash until the model is fixed.
fuzz-repro: $(FUZZ_BINS)
	@FUZZ_REPRO=$(FUZZ_DIR)/repro $(FUZZ_RUN) repro 0 $(FUZZ_TARGETS)
