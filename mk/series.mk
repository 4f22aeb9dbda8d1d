# SPDX-License-Identifier: GPL-2.0-only
#
# The patch series a Xen maintainer would take: the design document, the
# hypervisor patches and the toolstack patches, each new file in the first
# patch that needs it (scripts/xen/export-patches.py).  Generated from
# xen/, tools/ and docs/designs/, which stay the source of truth.
#
#   make export-patches  write $(SERIES_OUT): 0000-cover-letter.patch,
#                        0001-... (git format-patch form); unsigned, or
#                        with SIGNOFF="Full Name <email>" signed off and
#                        authored by that person (the submitter)
#   make check-series    apply it with git am to a fresh Xen 4.20 tree and
#                        build the hypervisor after every patch and the
#                        toolstack after every tools patch (about 7 min)
#   make test-series     the tier: the same without the toolstack builds
#                        (the tools-check tier builds the same tree):
#                        git am of every patch, every prefix has the files
#                        its build asks for, the hypervisor builds after
#                        every patch, the series' tree is the one the
#                        other tiers build (2-3 min).
#                        SERIES_BUILD=final builds the whole series only
#                        (about 1 min).

SERIES_OUT  := $(BUILD)/export-patches
SERIES_WORK := $(BUILD)/export-work
SERIES_BUILD ?= xen

TEST_TIERS += series

.PHONY: export-patches check-series test-series

export-patches:
	@scripts/xen/export-patches.py "$(XEN_TARBALL)" $(SERIES_OUT) $(SERIES_WORK)

check-series: export-patches $(KCONFIG_CONFIG)
	@CROSS_COMPILE=$(XV_CROSS_COMPILE) \
	    scripts/xen/check-series.sh $(SERIES_OUT) $(KCONFIG_CONFIG) all

test-series: export-patches $(KCONFIG_CONFIG)
	@CROSS_COMPILE=$(XV_CROSS_COMPILE) \
	    scripts/xen/check-series.sh $(SERIES_OUT) $(KCONFIG_CONFIG) $(SERIES_BUILD)
