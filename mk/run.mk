# SPDX-License-Identifier: GPL-2.0-only
#
# make run: the main job (MODE=dom0less, the default).  Builds the
# hypervisor with the vSMMUv3, the Linux guest and the guest tests; boots
# Xen in QEMU with a Linux guest that has a vSMMUv3 and shows its kernel's
# vSMMU lines; runs the XTF-style guest tests; prints a summary and where
# the logs are.

# The newest of the Linux guests (make test boots them all).
RUN_RELEASE := $(lastword $(LINUX_RELEASES))

.PHONY: run run-dom0less

# make run MODE=xl: Xen with a Linux dom0 running the arm64 toolstack, and
# guests created with xl (mk/dom0.mk, run-xl).
# Only MODE= on make's command line counts (not a MODE in the environment).
RUN_MODES := dom0less xl
RUN_MODE  := $(if $(filter command line,$(origin MODE)),$(MODE),dom0less)

run:
	@case " $(RUN_MODES) " in *" $(RUN_MODE) "*) ;; *) \
	    echo "run: MODE=$(RUN_MODE): one of $(RUN_MODES)"; exit 1;; esac
	@$(MAKE) --no-print-directory run-$(RUN_MODE)

run-dom0less:
	@scripts/inputs.sh
	@echo "=== building: hypervisor, Linux guest initramfs, guest tests"
	@mkdir -p $(BUILD)/logs
	@$(MAKE) --no-print-directory xen linux-guest xtf > $(BUILD)/logs/run-build.log 2>&1 || { \
	    tail -n 30 $(BUILD)/logs/run-build.log; \
	    echo "run: build failed (log: $(BUILD)/logs/run-build.log)"; exit 1; }
	@echo "    $(XEN_IMAGE)"
	@echo "=== Xen + Linux $(RUN_RELEASE) ($(notdir $(realpath $(call linux_image,$(RUN_RELEASE))))) with viommu = \"smmuv3\""
	@scripts/qemu/linux-guest.py $(LINUX_RUN_ARGS) $(call linux_guest_arg,$(RUN_RELEASE)) \
	    | tee $(BUILD)/logs/run-linux.txt; \
	    echo "=== XTF-style guest tests (dom0less guests, $(XTF_JOBS) at a time)"; \
	    tests/xtf/xtf-runner --xen $(XEN_IMAGE) --tests $(XTF_OUT)/tests \
	        --out $(XTF_OUT)/run --timeout $(XTF_TIMEOUT) --jobs $(XTF_JOBS) \
	        --source tests/xtf/tests | tee $(BUILD)/logs/run-xtf.txt; \
	    echo "=== summary"; \
	    echo "  Linux guest:  $$(tail -n 1 $(BUILD)/logs/run-linux.txt)"; \
	    echo "  guest tests:  $$(tail -n 1 $(BUILD)/logs/run-xtf.txt)"; \
	    echo "  logs:         $(LINUX_OUT)/run/$(RUN_RELEASE)/console.log (Xen + Linux)"; \
	    echo "                $(XTF_OUT)/run/<test>/console.log (guest tests)"; \
	    echo "                $(BUILD)/logs/run-build.log (build)"; \
	    grep -q '^1 passed, 0 failed$$' $(BUILD)/logs/run-linux.txt && \
	    grep -q ' 0 failed$$' $(BUILD)/logs/run-xtf.txt
