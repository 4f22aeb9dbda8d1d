# SPDX-License-Identifier: GPL-2.0-only
#
# The toolstack for real: the patched Xen 4.20 tools cross-built for arm64,
# a Linux dom0 running them under the built Xen in QEMU, and guests created
# with xl from configuration files.
#
#   make toolstack     cross-build libxl, xl, libxenctrl/guest/store...,
#                      xenstored (C), xenconsoled, xen-init-dom0 for arm64
#                      into $(TOOLSTACK_DEST) (scripts/toolstack/build.sh),
#                      against the arm64 sysroot make setup unpacked
#   make dom0-kmods    the dom0 kernel's Xen modules, from its package
#   make test-dom0     the tier: Xen + dom0 (Debian's $(DOM0_RELEASE) kernel);
#                      xl create with viommu = "smmuv3" (the guest's
#                      arm-smmu-v3 probes the vSMMU), without it, refusals,
#                      xl create/destroy ten times with Xen's heap figures;
#                      then, on QEMU 10, the PCIe host bridge passed through
#                      by xl to a guest with a vSMMU that reads a disk
#                      pattern through its own stage 1 (the dma tier's
#                      trixie initramfs), xl destroy, again; two refused
#                      passthrough configurations (scripts/qemu/xl-guest.py)
#   make run MODE=xl   the same, as a show (mk/run.mk)
#
# Logs: $(DOM0_OUT)/run/xl/console.log and $(DOM0_OUT)/run/xl-pt/console.log
# (Xen, dom0, every guest's console through the dom0's markers), $(DOM0_OUT)/build.log, the toolstack's
# $(TOOLSTACK_WORK)/log/.

# (Read before mk/linux.mk, mk/tools.mk and mk/xen.mk: their variables are
# used in recipes only.)
DOM0_RELEASE   ?= trixie
DOM0_CACHE     := $(XV_CACHE)/linux/$(DOM0_RELEASE)
DOM0_OUT       := $(BUILD)/dom0
DOM0_KMODS     := $(DOM0_OUT)/$(DOM0_RELEASE)/kmods
# The Xen modules xencommons loads (those built into the kernel are skipped
# by kmods.py): xenfs, privcmd, evtchn, gntdev, gntalloc.
DOM0_KMOD_LIST := xenfs xen_privcmd xen_evtchn xen_gntdev xen_gntalloc
DOM0_ARGS      ?=
dom0_kdeb       = $(firstword $(wildcard $(DOM0_CACHE)/debs/linux-image-*.deb))

SYSROOT         := $(XV_CACHE)/sysroot/arm64-bookworm/root
TOOLSTACK_WORK  := $(BUILD)/toolstack
TOOLSTACK_DEST  := $(TOOLSTACK_WORK)/dest
# Everything the toolstack is made of: the same tree as tools-check's
# (tests/tools/xen-tree.sh), cross-built.
TOOLSTACK_INPUTS := $(sort $(wildcard xen/patches/*.patch) \
                      $(shell find tools -type f 2>/dev/null)) \
                    tests/tools/xen-tree.sh scripts/toolstack/build.sh \
                    $(wildcard $(XV_CACHE)/src/xen-source.tar.xz) \
                    $(wildcard $(XV_CACHE)/sysroot/arm64-bookworm/.complete)

# The whole run takes 1.5-2 min here (dom0 up in 5 s, each guest 2-8 s);
# a guest is given twice the guest-test timeout to report, the whole run
# five times that.
DOM0_GUEST_TIMEOUT = $(shell echo $$(( 2 * $(or $(CONFIG_TEST_GUEST_TIMEOUT),60) )))
# xv-record: the record domctls driven through libxc from the dom0
# (tests/dom0/xv-record.c), against the toolstack's headers and libxenctrl.
DOM0_RECORD    := $(DOM0_OUT)/xv-record
DOM0_RUN = scripts/qemu/xl-guest.py --xen $(XEN_IMAGE) \
           --record-tool $(DOM0_RECORD) \
           --kernel $(DOM0_CACHE)/Image --busybox $(DOM0_CACHE)/busybox-arm64 \
           --kmods $(DOM0_KMODS) --toolstack $(TOOLSTACK_DEST) \
           --sysroot $(SYSROOT) --out $(DOM0_OUT)/run \
           --guest-timeout $(DOM0_GUEST_TIMEOUT) \
           --timeout $$(( 5 * $(DOM0_GUEST_TIMEOUT) )) \
           --pt-initrd $(call dma_initrd,$(DOM0_RELEASE)) $(DOM0_ARGS)

TEST_TIERS += dom0

.PHONY: toolstack dom0-kmods dom0-check-cache test-dom0 run-xl

toolstack: $(TOOLSTACK_WORK)/.stamp

# A changed input makes the tree, the configuration and the build anew.
$(TOOLSTACK_WORK)/.stamp: $(TOOLSTACK_INPUTS)
	@test -e $(SYSROOT)/lib/ld-linux-aarch64.so.1 || { \
	    echo "toolstack: no arm64 sysroot in $(SYSROOT): run 'make setup'"; exit 1; }
	@rm -rf $(TOOLSTACK_WORK)/xen
	@scripts/toolstack/build.sh $(XEN_TARBALL) $(SYSROOT) $(TOOLSTACK_WORK)
	@touch $@

dom0-check-cache:
	@test -e $(DOM0_CACHE)/Image -a -e $(DOM0_CACHE)/busybox-arm64 && \
	    ls $(DOM0_CACHE)/debs/linux-image-*.deb >/dev/null 2>&1 || { \
	    echo "dom0: $(DOM0_CACHE) has no kernel, package or busybox: run 'make setup'"; \
	    exit 1; }

dom0-kmods: dom0-check-cache $(DOM0_KMODS)/order

$(DOM0_RECORD): tests/dom0/xv-record.c $(TOOLSTACK_WORK)/.stamp
	@mkdir -p $(dir $@)
	$(XV_CROSS_COMPILE)gcc --sysroot=$(SYSROOT) -std=gnu11 -O2 -Wall \
	    -Wextra -Werror -D__XEN_TOOLS__ \
	    -I$(TOOLSTACK_WORK)/xen/tools/include -o $@ $< \
	    -L$(TOOLSTACK_DEST)/usr/lib -lxenctrl \
	    -Wl,-rpath-link=$(TOOLSTACK_DEST)/usr/lib

# Kept: reading the package takes 5-15 s.
$(DOM0_KMODS)/order: $(call dom0_kdeb) scripts/qemu/kmods.py
	@scripts/qemu/kmods.py $< $(dir $@) $(DOM0_KMOD_LIST)

test-dom0:
	@mkdir -p $(DOM0_OUT)
	@t0=$$(date +%s); \
	if ! $(MAKE) --no-print-directory xen toolstack dom0-kmods $(DOM0_RECORD) dma-guest \
	        DMA_RELEASES=$(DOM0_RELEASE) > $(DOM0_OUT)/build.log 2>&1; then \
	    tail -n 30 $(DOM0_OUT)/build.log; \
	    echo "dom0: build failed (log: $(DOM0_OUT)/build.log)"; \
	    echo "0 passed, 1 failed"; exit 1; \
	fi; \
	grep '^toolstack: ' $(DOM0_OUT)/build.log | sed 's/^/  /'; \
	echo "dom0: hypervisor, toolstack and modules ready in $$(( $$(date +%s) - t0 ))s"
	@$(DOM0_RUN)

run-xl:
	@scripts/inputs.sh
	@echo "=== building: hypervisor, arm64 toolstack, the dom0 kernel's Xen modules"
	@mkdir -p $(BUILD)/logs
	@$(MAKE) --no-print-directory xen toolstack dom0-kmods $(DOM0_RECORD) dma-guest \
	    DMA_RELEASES=$(DOM0_RELEASE) > $(BUILD)/logs/run-xl-build.log 2>&1 || { \
	    tail -n 30 $(BUILD)/logs/run-xl-build.log; \
	    echo "run: build failed (log: $(BUILD)/logs/run-xl-build.log)"; exit 1; }
	@echo "    $(XEN_IMAGE)"
	@echo "    $(TOOLSTACK_DEST) (xl, xenstored, xenconsoled: arm64)"
	@echo "=== Xen + dom0 (Linux $(DOM0_RELEASE)) running xl; guests from xl configuration files"
	@$(DOM0_RUN) --show | tee $(BUILD)/logs/run-xl.txt; \
	    echo "=== summary"; \
	    echo "  xl path:  $$(tail -n 1 $(BUILD)/logs/run-xl.txt)"; \
	    echo "  logs:     $(DOM0_OUT)/run/xl/console.log (Xen, dom0, guests)"; \
	    echo "            $(DOM0_OUT)/run/xl/*.cfg (the xl configurations)"; \
	    echo "            $(BUILD)/logs/run-xl-build.log (build)"; \
	    grep -q ' 0 failed$$' $(BUILD)/logs/run-xl.txt
