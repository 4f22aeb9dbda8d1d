# SPDX-License-Identifier: GPL-2.0-only
#
# The hypervisor: Xen 4.20 with the project's overlay and patches, built out
# of tree for arm64.
#
#   make xen           prepare $(XEN_SRC), configure, build $(XEN_IMAGE)
#   make test-xen-build  the build as a test tier (module in, -Werror)
#
# $(XEN_SRC)  a clean copy of the cached tarball + overlay + patches
# $(XEN_OBJ)  Xen's object directory; $(XEN_IMAGE) is the arm64 Image that
#             QEMU boots, $(XEN_OBJ)/xen-syms the ELF with symbols.

# The tarball make setup fetched and checked (scripts/xen/source.pin).
XEN_TARBALL   ?= $(XV_CACHE)/src/xen-source.tar.xz
XEN_SRC       := $(BUILD)/xen-src
XEN_OBJ       := $(BUILD)/xen
XEN_IMAGE     := $(XEN_OBJ)/xen
XEN_JOBS      ?= 2
# The arm64 cross toolchain, given explicitly to what needs it (never
# exported: other tiers build natively).
XV_CROSS_COMPILE ?= aarch64-linux-gnu-

XEN_MAKE = CROSS_COMPILE=$(XV_CROSS_COMPILE) \
           scripts/xen/xmake.sh $(XEN_SRC) $(XEN_OBJ) -s

TEST_TIERS += xen-build

.PHONY: xen xen-prepare xen-config xen-clean test-xen-build

xen-prepare:
	@scripts/xen/prepare-tree.sh "$(XEN_TARBALL)" $(XEN_SRC) $(XEN_OBJ)

xen-config: xen-prepare $(KCONFIG_CONFIG)
	@CROSS_COMPILE=$(XV_CROSS_COMPILE) \
	    scripts/xen/config.sh $(XEN_SRC) $(XEN_OBJ) $(KCONFIG_CONFIG)

xen: xen-config
	@echo "xen: building $(XEN_IMAGE)"
	@$(XEN_MAKE) -j$(XEN_JOBS)
	@test -f $(XEN_IMAGE) && echo "xen: $(XEN_IMAGE) ($$(stat -c %s $(XEN_IMAGE)) bytes)"

xen-clean:
	rm -rf $(XEN_SRC) $(XEN_OBJ)

# One test: the hypervisor builds (Xen always compiles with -Werror) with
# every module object the configuration asks for linked in.
test-xen-build:
	@CROSS_COMPILE=$(XV_CROSS_COMPILE) \
	    scripts/xen/test-build.sh $(KCONFIG_CONFIG)
