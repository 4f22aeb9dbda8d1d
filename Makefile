# SPDX-License-Identifier: GPL-2.0-only
#
# xen-vsmmu: top-level entry points.  Each test tier lives in its own
# fragment under mk/ and appends itself to TEST_TIERS; `make test` runs every
# tier, keeps going when one fails, and ends with the sum of all of them.

TOP       := $(CURDIR)
BUILD     ?= $(TOP)/build
XV_CACHE  ?= $(HOME)/.cache/xen-vsmmu
export TOP BUILD XV_CACHE

.DEFAULT_GOAL := help

TEST_TIERS :=

include mk/config.mk
include $(filter-out mk/config.mk,$(sort $(wildcard mk/*.mk)))

.PHONY: help setup test clean distclean

help:
	@echo "make setup        install every dependency (apt) and fetch the Xen source"
	@echo "make test         run every test tier: $(TEST_TIERS)"
	@echo "make run          boot Xen with the vSMMUv3 and a Linux guest in QEMU"
	@echo "make run MODE=xl  the same through a Linux dom0 and xl create"
	@echo "make defconfig | menuconfig | olddefconfig    configure (.config)"
	@echo "make test-<tier>  run one tier"
	@echo "make xen          build the hypervisor (build/xen/xen)"
	@echo "make test-tsan    the concurrency tests under ThreadSanitizer"
	@echo "make fuzz         run each fuzz target for CONFIG_TEST_FUZZ_SECONDS"
	@echo "make bench        callgrind figures of the device model"
	@echo "make tools-check  build the patched Xen toolstack"
	@echo "make toolstack    cross-build it for arm64 (the dom0 tier's xl)"
	@echo "make export-patches  the series for Xen (build/export-patches, git am form)"
	@echo "make check-series    git am it to Xen 4.20 and build every patch"

setup:
	LINUX_RELEASES="$(LINUX_RELEASES)" scripts/setup.sh

test:
	@scripts/run-tiers.sh $(TEST_TIERS)

clean:
	rm -rf $(BUILD)

distclean: clean
	rm -f .config .config.old
