# SPDX-License-Identifier: GPL-2.0-only
#
# Real DMA through a physical SMMUv3 with nesting: the built hypervisor on
# QEMU 10's virt machine (its SMMUv3 has stage 1 and stage 2), a dom0less
# Linux guest with viommu = "smmuv3" that owns QEMU's PCIe host bridge and
# reads a virtio-blk disk of random bytes through its vSMMU, the guest's
# stage 1 nested on Xen's stage 2; in strict and lazy invalidation mode, for
# each release of DMA_RELEASES.  Plus a baseline boot without the vSMMU
# (stage-2 passthrough, for the throughput ratio) and the fail-closed
# fallback on stage-1-only SMMUs (QEMU 10's virt-9.1, the machine's QEMU
# 7.2).  scripts/qemu/dma-guest.py boots and judges.
#
#   make dma-guest     build the initramfs of each release (dma-init, busybox,
#                      the kernel's virtio modules from its package)
#   make test-dma      the tier: build Xen and the initramfs, boot, judge
#   make test-dma DMA_ARGS="--break no-iommus"    show that it fails
#
# Needs QEMU 10 (make setup: $(XV_CACHE)/qemu10).  Logs and the run's disk
# image: $(DMA_OUT)/run/<release>-<mode>/console.log, $(DMA_OUT)/run/disk.img.

# (mk/linux.mk is read after this file: nothing of it is used at parse time.)
DMA_RELEASES ?= bookworm trixie
DMA_CACHE    := $(XV_CACHE)/linux
DMA_OUT      := $(BUILD)/dma
# The virtio transport and the disk driver, and what they need: modules in
# bookworm's 6.1, virtio_pci built in (with its libraries) in trixie's 6.12.
DMA_KMODS    := virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk
DMA_ARGS     ?=
dma_initrd    = $(DMA_OUT)/$(1)/initramfs.cpio.gz
dma_kdeb      = $(firstword $(wildcard $(DMA_CACHE)/$(1)/debs/linux-image-*.deb))
DMA_INITRDS  := $(foreach r,$(DMA_RELEASES),$(call dma_initrd,$(r)))
# A boot with modules, an md5 pass and the timed reads: 6-40 s here; a
# guest silent for 60 s is given up earlier (dma-guest.py --idle).
DMA_TIMEOUT   = $(shell echo $$(( 4 * $(or $(CONFIG_TEST_GUEST_TIMEOUT),60) )))
DMA_RUN       = scripts/qemu/dma-guest.py --xen $(XEN_IMAGE) \
                --out $(DMA_OUT)/run --timeout $(DMA_TIMEOUT) \
                $(foreach r,$(DMA_RELEASES),--guest $(r):$(DMA_CACHE)/$(r)/Image:$(call dma_initrd,$(r))) \
                $(DMA_ARGS)

TEST_TIERS += dma

.PHONY: dma-guest dma-check-cache test-dma

dma-check-cache:
	@for r in $(DMA_RELEASES); do \
	    test -e $(DMA_CACHE)/$$r/Image -a -e $(DMA_CACHE)/$$r/busybox-arm64 && \
	    ls $(DMA_CACHE)/$$r/debs/linux-image-*.deb >/dev/null 2>&1 || { \
	        echo "dma: $(DMA_CACHE)/$$r has no guest kernel, package or busybox: run 'make setup'"; \
	        exit 1; }; \
	done
	@scripts/qemu/qemu10 --version >/dev/null || { \
	    echo "dma: QEMU 10 is needed (scripts/qemu/qemu10): run 'make setup'"; exit 1; }

dma-guest: dma-check-cache $(DMA_INITRDS)

# The kernel's modules, uncompressed, dependencies first (kmods/order); kept
# (reading the package takes 5-15 s).
.PRECIOUS: $(DMA_OUT)/%/kmods/order
.SECONDEXPANSION:
$(DMA_OUT)/%/kmods/order: $$(call dma_kdeb,$$*) scripts/qemu/kmods.py
	@scripts/qemu/kmods.py $< $(dir $@) $(DMA_KMODS)

$(DMA_OUT)/%/initramfs.cpio.gz: scripts/qemu/initramfs/dma-init \
                                scripts/qemu/mkinitramfs.py \
                                $(DMA_CACHE)/%/busybox-arm64 \
                                $(DMA_OUT)/%/kmods/order
	@scripts/qemu/mkinitramfs.py $(DMA_CACHE)/$*/busybox-arm64 \
	    scripts/qemu/initramfs/dma-init $@ $(DMA_OUT)/$*/kmods:lib/modules
	@echo "dma: $@"

test-dma:
	@mkdir -p $(DMA_OUT)
	@if ! $(MAKE) --no-print-directory xen dma-guest > $(DMA_OUT)/build.log 2>&1; then \
	    tail -n 30 $(DMA_OUT)/build.log; \
	    echo "dma: build failed (log: $(DMA_OUT)/build.log)"; \
	    echo "0 passed, 1 failed"; exit 1; \
	fi
	@$(DMA_RUN)
