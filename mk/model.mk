# SPDX-License-Identifier: GPL-2.0-only
#
# Tier "model": the software model of a physical SMMUv3 (tests/model/) and
# its own unit tests, built with ASan and UBSan.  `make test-model` ends with
# "N passed, N failed".

MODEL_DIR    := tests/model
MODEL_BUILD  := $(BUILD)/model
MODEL_CFLAGS := -std=c11 -O1 -g -fsanitize=address,undefined \
                -fno-omit-frame-pointer -fno-sanitize-recover=undefined \
                -Wall -Wextra -Werror \
                -I$(MODEL_DIR) -I$(MODEL_BUILD) \
                -Ixen/drivers/passthrough/arm
MODEL_LIB    := $(addprefix $(MODEL_DIR)/,smmu-model.c pgtable.c machine-mem.c)
MODEL_HDRS   := $(wildcard $(MODEL_DIR)/*.h) \
                xen/drivers/passthrough/arm/smmu-v3-arch.h tests/emul/xen-bits.h
NESTED_H     := xen/drivers/passthrough/arm/smmu-v3-nested.h

TEST_TIERS += model

.PHONY: test-model

# The ops table exactly as the driver and the device model declare it
# (smmu-v3-nested.h itself needs Xen's headers), so the tests drive the model through the real type.
$(MODEL_BUILD)/vsmmuv3-phys-ops.h: $(NESTED_H)
	@mkdir -p $(dir $@)
	awk '/^struct vsmmuv3_phys_ops \{/,/^\};/' $< > $@.tmp
	grep -q 'int (\*sync)' $@.tmp && mv $@.tmp $@

$(MODEL_BUILD)/test_model: $(MODEL_LIB) $(MODEL_DIR)/test_model.c $(MODEL_HDRS) \
                           $(MODEL_BUILD)/vsmmuv3-phys-ops.h
	$(CC) $(MODEL_CFLAGS) -o $@ $(MODEL_LIB) $(MODEL_DIR)/test_model.c -lcmocka

test-model: $(MODEL_BUILD)/test_model
	@scripts/run-cmocka.sh $<
