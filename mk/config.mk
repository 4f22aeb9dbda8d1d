# SPDX-License-Identifier: GPL-2.0-only
#
# Configuration with kconfig-frontends.  The project's .config holds the
# module's Kconfig symbols (shared with Xen's build) and the test options.
# A missing .config is created from configs/defconfig.

KCONFIG_CONFIG ?= $(TOP)/.config
KCONFIG_ENV    := srctree=$(TOP) KCONFIG_CONFIG=$(KCONFIG_CONFIG)
AUTOCONF_H     := $(BUILD)/include/generated/autoconf.h

.PHONY: defconfig menuconfig olddefconfig

defconfig:
	$(KCONFIG_ENV) kconfig-conf --defconfig=configs/defconfig Kconfig

olddefconfig:
	$(KCONFIG_ENV) kconfig-conf --olddefconfig Kconfig

menuconfig:
	$(KCONFIG_ENV) kconfig-mconf Kconfig

$(KCONFIG_CONFIG):
	$(KCONFIG_ENV) kconfig-conf --defconfig=configs/defconfig Kconfig

# Every symbol becomes a CONFIG_ macro, as Xen's generated autoconf.h does.
# A symbol added to the Kconfig files since .config was written gets its
# default first (olddefconfig keeps every value already chosen).
KCONFIG_FILES := Kconfig xen/drivers/passthrough/arm/Kconfig.viommu
$(AUTOCONF_H): $(KCONFIG_CONFIG) $(KCONFIG_FILES) scripts/kconfig-header.sh
	@mkdir -p $(dir $@)
	$(KCONFIG_ENV) kconfig-conf --olddefconfig Kconfig >/dev/null
	scripts/kconfig-header.sh $< > $@.tmp && mv $@.tmp $@

# Read the configuration into make (for test options).  Not for make setup:
# on a fresh machine kconfig-conf is one of the packages it installs.
ifneq ($(MAKECMDGOALS),setup)
-include $(KCONFIG_CONFIG)
endif
