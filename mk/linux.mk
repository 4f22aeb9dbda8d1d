# SPDX-License-Identifier: GPL-2.0-only
#
# The Linux guest: Debian bookworm's arm64 kernel and a busybox initramfs,
# booted as a dom0less guest with viommu = "smmuv3" and a vpl011 console.
# Its arm-smmu-v3 driver must probe the vSMMUv3 and finish its reset with
# no error, timeout or warning (scripts/qemu/linux-guest.py).
#
#   make linux-guest     build the initramfs ($(LINUX_INITRD))
#   make test-linux      the tier: build Xen and the initramfs, boot, judge
#
# The kernel and busybox are fetched by make setup into $(LINUX_CACHE).
# Logs: $(LINUX_OUT)/run/linux/console.log.

LINUX_CACHE   := $(XV_CACHE)/linux
LINUX_IMAGE   := $(LINUX_CACHE)/Image
LINUX_BUSYBOX := $(LINUX_CACHE)/busybox-arm64
LINUX_OUT     := $(BUILD)/linux
LINUX_INITRD  := $(LINUX_OUT)/initramfs.cpio.gz
# Linux boots in 10-20 s here; twice the guest-test timeout is generous.
LINUX_TIMEOUT  = $(shell echo $$(( 2 * $(or $(CONFIG_TEST_GUEST_TIMEOUT),60) )))
LINUX_RUN      = scripts/qemu/linux-guest.py --xen $(XEN_IMAGE) \
                 --kernel $(LINUX_IMAGE) --initrd $(LINUX_INITRD) \
                 --out $(LINUX_OUT)/run --timeout $(LINUX_TIMEOUT)

TEST_TIERS += linux

.PHONY: linux-guest linux-check-cache test-linux

linux-check-cache:
	@test -e $(LINUX_IMAGE) -a -e $(LINUX_BUSYBOX) || { \
	    echo "linux: $(LINUX_CACHE) has no guest kernel/busybox: run 'make setup'"; \
	    exit 1; }

linux-guest: linux-check-cache $(LINUX_INITRD)

$(LINUX_INITRD): scripts/qemu/initramfs/init scripts/qemu/mkinitramfs.py \
                 $(LINUX_BUSYBOX)
	@mkdir -p $(dir $@)
	@scripts/qemu/mkinitramfs.py $(LINUX_BUSYBOX) \
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
