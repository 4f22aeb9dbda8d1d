# SPDX-License-Identifier: GPL-2.0-only
#
# Benchmark of the device model (tests/bench/).  Built like the unit tests
# (same sources, include paths and autoconf.h) but with -O2 -g and no
# sanitizers, so that instruction counts are representative.  figures.py
# counts the functions whose source is under $(BENCH_VSMMU) as "the device
# model", and checks them against the symbols of its objects (one per file).
#
#   make bench        run every phase under callgrind and print the figures
#                     (instructions per guest command / trapped access in the
#                     device model only, physical commands and syncs)
#   make test-bench   tier "bench": the same workload natively, checking only
#                     structural properties (physical syncs per guest sync,
#                     no domain-wide flush for scoped TLBIs); never timing
#                     or instruction counts
#
# BENCH_SCALE multiplies the repetitions of every phase (default 1);
# BENCH_STEP_WORK overrides the work units per step (0: Kconfig default).

BENCH_DIR      := tests/bench
BENCH_OUT      := $(BUILD)/bench
BENCH_VSMMU    := xen/drivers/passthrough/arm/vsmmu-v3
BENCH_MODEL    := $(wildcard $(BENCH_VSMMU)/*.c)
BENCH_OTHER    := tests/unit/harness.c tests/emul/emul.c \
                  $(addprefix tests/model/,smmu-model.c pgtable.c machine-mem.c)
BENCH_CC       ?= $(or $(HOST_CC),gcc)
BENCH_CPPFLAGS := -Itests/emul/include -include $(AUTOCONF_H) \
                  -I$(BENCH_VSMMU) -Itests/emul -Itests/unit -Itests/model \
                  -Ixen/drivers/passthrough/arm
BENCH_CFLAGS   := -std=gnu11 -O2 -g -pthread -Wall -Wextra -Werror \
                  -Wno-unused-parameter -Wno-missing-field-initializers
BENCH_HDRS     := $(wildcard $(BENCH_VSMMU)/*.h tests/emul/*.h \
                    xen/drivers/passthrough/arm/smmu-v3-nested.h \
                    xen/drivers/passthrough/arm/smmu-v3-arch.h \
                    tests/emul/include/*/*.h tests/unit/harness.h \
                    tests/model/*.h) $(AUTOCONF_H)
BENCH_MODEL_OBJS := $(patsubst $(BENCH_VSMMU)/%.c,$(BENCH_OUT)/model/%.o,\
                      $(BENCH_MODEL))
BENCH_OTHER_OBJS := $(patsubst %.c,$(BENCH_OUT)/other/%.o,\
                      $(BENCH_OTHER) $(BENCH_DIR)/bench.c)
BENCH_SCALE    ?= 1
BENCH_STEP_WORK ?= 0

# The model as Xen compiles it: general-purpose registers only (Xen's arm64
# build has -mgeneral-regs-only), so no vectorised code the hypervisor
# would not get either.
$(BENCH_OUT)/model/%.o: $(BENCH_VSMMU)/%.c $(BENCH_HDRS)
	@mkdir -p $(dir $@)
	$(BENCH_CC) $(BENCH_CFLAGS) -mgeneral-regs-only $(BENCH_CPPFLAGS) \
	    -c -o $@ $<

$(BENCH_OUT)/other/%.o: %.c $(BENCH_HDRS)
	@mkdir -p $(dir $@)
	$(BENCH_CC) $(BENCH_CFLAGS) $(BENCH_CPPFLAGS) -c -o $@ $<

$(BENCH_OUT)/bench: $(BENCH_MODEL_OBJS) $(BENCH_OTHER_OBJS)
	$(BENCH_CC) $(BENCH_CFLAGS) -o $@ $^ -lcmocka

.PHONY: bench bench-build test-bench

bench-build: $(BENCH_OUT)/bench

bench: $(BENCH_OUT)/bench
	python3 $(BENCH_DIR)/figures.py --bench $< --scale $(BENCH_SCALE) \
	    --step-work $(BENCH_STEP_WORK) \
	    --out $(BENCH_OUT)/callgrind $(BENCH_MODEL_OBJS)

TEST_TIERS += bench
test-bench: $(BENCH_OUT)/bench
	@$< --check
