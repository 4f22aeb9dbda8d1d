# SPDX-License-Identifier: GPL-2.0-only
#
# XTF-style guest tests (tests/xtf/): bare-metal arm64 guests booted as
# dom0less domains of the built hypervisor in QEMU.  The DMA tests among
# them (translate, tlbi, s1-fault, s2-fault, abort-bypass, cd-switch,
# hostile-ste, perf, save-restore) boot QEMU 10 with edu devices whatever
# XV_QEMU says: make setup fetches it (docs/testing-guests.md).
#
#   make xtf                 build every test into $(XTF_OUT)/tests/
#   make test-xtf            build, run them all (CONFIG_TEST_GUEST_TIMEOUT
#                            per test, $(XTF_JOBS) at a time)
#   make test-xtf XTF_TESTS="cmdq-sync bad-ste"   a subset
#
# Logs: $(XTF_OUT)/run/<test>/console.log (and test.dts, qemu.cmd).

XTF_OUT    := $(BUILD)/xtf
XTF_JOBS   ?= 2
XTF_TESTS  ?=
XTF_TIMEOUT = $(or $(CONFIG_TEST_GUEST_TIMEOUT),60)
XTF_MAKE    = $(MAKE) --no-print-directory -C tests/xtf O=$(XTF_OUT) \
              XEN_PUBLIC=$(XEN_SRC)/xen/include/public \
              SMMU_ARCH=$(TOP)/xen/drivers/passthrough/arm \
              AUTOCONF=$(AUTOCONF_H) CROSS_COMPILE=$(XV_CROSS_COMPILE)

TEST_TIERS += xtf

.PHONY: xtf test-xtf xtf-clean

xtf: xen-prepare $(AUTOCONF_H)
	@$(XTF_MAKE) $(if $(XTF_TESTS),TESTS="$(XTF_TESTS)")

# The tier: a failing build counts as one failure, not as a silent pass.
test-xtf:
	@mkdir -p $(BUILD)/logs
	@if ! $(MAKE) --no-print-directory xen xtf > $(BUILD)/logs/xtf-build.log 2>&1; then \
	    tail -n 30 $(BUILD)/logs/xtf-build.log; \
	    echo "xtf: build failed (log: $(BUILD)/logs/xtf-build.log)"; \
	    echo "0 passed, 1 failed"; exit 1; \
	fi
	@tests/xtf/xtf-runner --xen $(XEN_IMAGE) --tests $(XTF_OUT)/tests \
	    --out $(XTF_OUT)/run --timeout $(XTF_TIMEOUT) --jobs $(XTF_JOBS) \
	    --source tests/xtf/tests \
	    $(XTF_TESTS)

xtf-clean:
	rm -rf $(XTF_OUT)
