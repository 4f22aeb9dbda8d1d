# SPDX-License-Identifier: GPL-2.0-only
#
# The Linux guests: for each Debian release in LINUX_RELEASES, its arm64
# kernel and a busybox initramfs, booted as a dom0less guest with
# viommu = "smmuv3" and a vpl011 console, once per DMA invalidation mode
# (strict and lazy).  Each kernel's arm-smmu-v3 driver must probe the
# vSMMUv3 and finish its reset with no error, timeout or warning
# (scripts/qemu/linux-guest.py).
#
#   make linux-guest     build the initramfs of each release
#   make test-linux      the tier: build Xen and the initramfs, boot, judge
#
# make setup fetches the kernels and busybox into $(LINUX_CACHE)/<release>.
# Logs: $(LINUX_OUT)/run/<release>-<mode>/console.log.

# bookworm's 6.1 and trixie's 6.12.
LINUX_RELEASES := bookworm trixie
LINUX_MODES    := strict lazy
LINUX_CACHE    := $(XV_CACHE)/linux
LINUX_OUT      := $(BUILD)/linux
linux_image     = $(LINUX_CACHE)/$(1)/Image
linux_busybox   = $(LINUX_CACHE)/$(1)/busybox-arm64
linux_initrd    = $(LINUX_OUT)/$(1)/initramfs.cpio.gz
LINUX_INITRDS  := $(foreach r,$(LINUX_RELEASES),$(call linux_initrd,$(r)))
# Linux boots in 10-20 s here; twice the guest-test timeout is generous.
LINUX_TIMEOUT   = $(shell echo $$(( 2 * $(or $(CONFIG_TEST_GUEST_TIMEOUT),60) )))
linux_guest_arg = --guest $(1):$(call linux_image,$(1)):$(call linux_initrd,$(1))
LINUX_RUN_ARGS  = --xen $(XEN_IMAGE) --out $(LINUX_OUT)/run \
                  --timeout $(LINUX_TIMEOUT)
LINUX_RUN       = scripts/qemu/linux-guest.py $(LINUX_RUN_ARGS) \
                  $(foreach r,$(LINUX_RELEASES),$(call linux_guest_arg,$(r))) \
                  $(foreach m,$(LINUX_MODES),--mode $(m))

TEST_TIERS += linux

.PHONY: linux-guest linux-check-cache test-linux

linux-check-cache:
	@for r in $(LINUX_RELEASES); do \
	    test -e $(LINUX_CACHE)/$$r/Image -a -e $(LINUX_CACHE)/$$r/busybox-arm64 || { \
	        echo "linux: $(LINUX_CACHE)/$$r has no guest kernel/busybox: run 'make setup'"; \
	        exit 1; }; \
	done

linux-guest: linux-check-cache $(LINUX_INITRDS)

$(LINUX_OUT)/%/initramfs.cpio.gz: scripts/qemu/initramfs/init \
                                  scripts/qemu/mkinitramfs.py \
                                  $(LINUX_CACHE)/%/busybox-arm64
	@mkdir -p $(dir $@)
	@scripts/qemu/mkinitramfs.py $(LINUX_CACHE)/$*/busybox-arm64 \
	    scripts/qemu/initramfs/init $@
	@echo "linux: $@"

test-linux:
	@mkdir -p $(LINUX_OUT)
	@if ! $(MAKE) --no-print-directory xen linux-guest > $(LINUX_OUT)/build.log 2>&1; then \
	    tail -n 30 $(LINUX_OUT)/build.log; \
	    echo "linux: build failed (log: $(LINUX_OUT)/build.log)"; \
	    echo "0 passed, 1 failed"; exit 1; \
	fi
	@$(LINUX_RUN)
