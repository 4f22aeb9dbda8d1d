# SPDX-License-Identifier: GPL-2.0-only
#
# Toolstack: the xl.cfg "viommu" option and its libxl piece.
#
#   make tools-tree    Xen 4.20 with xen/patches, tools/patches and the
#                      tools/ overlay, under $(BUILD)/tools/xen
#   make tools-check   configure it and build tools/libs and tools/xl
#                      natively, compile the Arm-only libxl files for
#                      arm64, check the Go bindings, run xl's parser
#   make test-tools    host tests of the libxl piece (no hypervisor):
#                      guest device trees for a matrix of configurations,
#                      checked with dtc and libfdt
#
# Tiers: tools (host tests, a few seconds) and tools-check (about 100 s on
# 2 cores from scratch, mostly tools/libs; about 10 s when nothing changed).

TEST_TIERS += tools tools-check

TOOLS_WORK        := $(BUILD)/tools
TOOLS_TREE        := $(TOOLS_WORK)/xen
TOOLS_XEN_TARBALL ?= $(XEN_TARBALL)

# Everything the patched tree is made of.
TOOLS_TREE_INPUTS := $(sort $(wildcard xen/patches/*.patch) \
                      $(shell find tools -type f 2>/dev/null)) \
                     tests/tools/xen-tree.sh

.PHONY: tools-tree tools-check test-tools test-tools-check

tools-tree: $(TOOLS_TREE)/.stamp

$(TOOLS_TREE)/.stamp: $(TOOLS_TREE_INPUTS) $(wildcard $(TOOLS_XEN_TARBALL))
	tests/tools/xen-tree.sh $(TOOLS_XEN_TARBALL) $(TOOLS_TREE)
	touch $@

tools-check: $(TOOLS_TREE)/.stamp
	tests/tools/tools-check.sh $(TOOLS_TREE) $(TOOLS_WORK)/check

test-tools-check: tools-check

test-tools: $(TOOLS_TREE)/.stamp
	$(MAKE) --no-print-directory -f tests/tools/Makefile \
	    TREE=$(TOOLS_TREE) OUT=$(TOOLS_WORK)/test run
