# SPDX-License-Identifier: GPL-2.0-only
#
# Per-test rules, included at the end of tests/<name>/Makefile after it set:
#
#   NAME       the test's name (= its directory)
#   CATEGORY   one of $(ALL_CATEGORIES)
#   TEST-ENVS  environments, here arm64
#   obj-perenv objects built from the test's sources (main.o)
#
# and optionally the configuration the runner boots it in:
#
#   VIOMMU     smmuv3 (default) or none: the dom0less "viommu" property;
#              one word per guest, or one for all
#   GUESTS     1 (default) or more guests of this image, told their instance
#   MEMORY_MB  guest memory (default 32); one word per guest, or one for all
#   VCPUS      vCPUs per guest (default 1)
#   QEMU_SMP   physical CPUs of the emulated machine (default 2)
#
# and, for tests that need a particular machine (whatever XV_QEMU,
# XV_MACHINE and XV_QEMU_ARGS say):
#
#   QEMU_USE      the QEMU: qemu10 (scripts/qemu/qemu10, whose virt SMMUv3
#                 nests), or a command; empty (default): the runner's
#   QEMU_MACHINE  its machine type (default virt)
#   QEMU_DEVICES  "-device" values, one word each, e.g.
#                 edu,addr=01.0,dma_mask=0xffffffffffffffff: PCI devices
#                 behind the physical SMMUv3 (addr= gives the requester ID,
#                 which is the StreamID)
#   PCI_GUEST     the instance (1..GUESTS) given QEMU's whole PCIe host
#                 bridge, its devices' streams behind the physical SMMU and,
#                 if it has a vSMMU, behind that (vSID = requester ID);
#                 0 (default): none
#   PCI_VSID_BASE with PCI_GUEST: renumber the streams, vSID = requester ID
#                 + this (xen,viommu-stream-ids and iommu-map), so that
#                 vSID and physical StreamID differ; 0 (default): equal
#
# A test directory may hold judge.py: the runner calls its judge(con)
# with the run's console (tests/xtf/xtf-runner) on a run that passed
# otherwise, e.g. to check Xen's own console lines.
#
# Produces $(O)/tests/$(NAME)/test-arm64-$(NAME) (an arm64 Image) and
# $(O)/tests/$(NAME)/info.json (and judge.py).

ifeq ($(NAME),)
$(error NAME missing)
endif
ifeq ($(filter $(CATEGORY),$(ALL_CATEGORIES)),)
$(error CATEGORY '$(CATEGORY)' of $(NAME) not one of $(ALL_CATEGORIES))
endif
ifeq ($(TEST-ENVS),)
$(error TEST-ENVS missing)
endif
ifneq ($(filter-out $(ALL_ENVIRONMENTS),$(TEST-ENVS)),)
$(error TEST-ENVS '$(TEST-ENVS)' of $(NAME): only $(ALL_ENVIRONMENTS))
endif

VIOMMU       ?= smmuv3
GUESTS       ?= 1
MEMORY_MB    ?= 32
VCPUS        ?= 1
QEMU_SMP     ?= 2
QEMU_USE     ?=
QEMU_MACHINE ?= $(if $(QEMU_USE),virt)
QEMU_DEVICES ?=
PCI_GUEST    ?= 0
PCI_VSID_BASE ?= 0

ifneq ($(filter-out smmuv3 none,$(VIOMMU)),)
$(error VIOMMU '$(VIOMMU)' of $(NAME): smmuv3 or none, per guest)
endif
ifeq ($(VIOMMU),)
$(error VIOMMU of $(NAME) is empty)
endif
ifneq ($(shell test $(PCI_GUEST) -le $(GUESTS) 2>/dev/null && echo ok),ok)
$(error PCI_GUEST '$(PCI_GUEST)' of $(NAME): 0 or an instance 1..$(GUESTS))
endif

# JSON: one word, or a list of them.
json_str   = "$(1)"
json_words = $(if $(word 2,$(1)),[$(subst $(space),$(comma) ,$(strip $(foreach w,$(1),$(call $(2),$(w)))))],$(call $(2),$(1)))
json_num   = $(1)
json_list  = [$(subst $(space),$(comma) ,$(strip $(foreach w,$(1),"$(w)")))]
comma := ,
empty :=
space := $(empty) $(empty)

TDIR   := $(ROOT)/tests/$(NAME)
TOUT   := $(O)/tests/$(NAME)
TOBJS  := $(addprefix $(TOUT)/,$(obj-perenv))
TBIN   := $(TOUT)/test-arm64-$(NAME)
TINFO  := $(TOUT)/info.json

TJUDGE := $(if $(wildcard $(TDIR)/judge.py),$(TOUT)/judge.py)

.PHONY: build
build: $(TBIN) $(TINFO) $(TJUDGE)

$(TOUT)/%.o: $(TDIR)/%.c $(O)/include/guest-abi.h $(AUTOCONF) \
             $(wildcard $(ROOT)/include/*.h $(ROOT)/include/xtf/*.h \
                        $(ROOT)/arch/arm64/include/arch/*.h \
                        $(SMMU_ARCH)/smmu-v3-arch.h \
                        $(ROOT)/../emul/xen-bits.h)
	@mkdir -p $(dir $@)
	@echo '  CC      $(patsubst $(O)/%,%,$@)'
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(TOUT)/$(NAME).elf: $(COMMON_OBJS) $(TOBJS) $(O)/link.lds
	@echo '  LD      $(patsubst $(O)/%,%,$@)'
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(COMMON_OBJS) $(TOBJS) -o $@

$(TBIN): $(TOUT)/$(NAME).elf
	$(Q)$(OBJCOPY) -O binary $< $@

$(TINFO): $(TDIR)/Makefile $(ROOT)/build/gen.mk $(wildcard $(TDIR)/judge.py)
	@mkdir -p $(dir $@)
	@printf '{"name": "%s", "category": "%s", "environments": [%s], "variations": [], "viommu": %s, "guests": %u, "memory_mb": %s, "vcpus": %u, "qemu_smp": %u, "binary": "%s"%s}\n' \
	    '$(NAME)' '$(CATEGORY)' '$(patsubst %,"%",$(TEST-ENVS))' \
	    '$(call json_words,$(VIOMMU),json_str)' $(GUESTS) \
	    '$(call json_words,$(MEMORY_MB),json_num)' $(VCPUS) $(QEMU_SMP) \
	    'test-arm64-$(NAME)' \
	    '$(if $(QEMU_USE),$(comma) "qemu": "$(QEMU_USE)"$(comma) "machine": "$(QEMU_MACHINE)")$(if $(QEMU_DEVICES),$(comma) "qemu_devices": $(call json_list,$(QEMU_DEVICES)))$(if $(filter-out 0,$(PCI_GUEST)),$(comma) "pci_guest": $(PCI_GUEST))$(if $(filter-out 0,$(PCI_VSID_BASE)),$(comma) "pci_vsid_base": $(shell printf %u $(PCI_VSID_BASE)))$(if $(TJUDGE),$(comma) "judge": "judge.py")' \
	    > $@

$(TOUT)/judge.py: $(TDIR)/judge.py
	@mkdir -p $(dir $@)
	$(Q)cp $< $@
