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
#   VIOMMU     smmuv3 (default) or none: the dom0less "viommu" property
#   GUESTS     1 (default) or more identical guests, told their instance
#   MEMORY_MB  guest memory (default 32)
#   VCPUS      vCPUs per guest (default 1)
#   QEMU_SMP   physical CPUs of the emulated machine (default 2)
#
# Produces $(O)/tests/$(NAME)/test-arm64-$(NAME) (an arm64 Image) and
# $(O)/tests/$(NAME)/info.json.

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

VIOMMU    ?= smmuv3
GUESTS    ?= 1
MEMORY_MB ?= 32
VCPUS     ?= 1
QEMU_SMP  ?= 2

ifeq ($(filter $(VIOMMU),smmuv3 none),)
$(error VIOMMU '$(VIOMMU)' of $(NAME): smmuv3 or none)
endif

TDIR   := $(ROOT)/tests/$(NAME)
TOUT   := $(O)/tests/$(NAME)
TOBJS  := $(addprefix $(TOUT)/,$(obj-perenv))
TBIN   := $(TOUT)/test-arm64-$(NAME)
TINFO  := $(TOUT)/info.json

.PHONY: build
build: $(TBIN) $(TINFO)

$(TOUT)/%.o: $(TDIR)/%.c $(O)/include/guest-abi.h $(AUTOCONF) \
             $(wildcard $(ROOT)/include/*.h $(ROOT)/include/xtf/*.h \
                        $(ROOT)/arch/arm64/include/arch/*.h \
                        $(SMMU_ARCH)/smmu-v3-arch.h)
	@mkdir -p $(dir $@)
	@echo '  CC      $(patsubst $(O)/%,%,$@)'
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(TOUT)/$(NAME).elf: $(COMMON_OBJS) $(TOBJS) $(O)/link.lds
	@echo '  LD      $(patsubst $(O)/%,%,$@)'
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(COMMON_OBJS) $(TOBJS) -o $@

$(TBIN): $(TOUT)/$(NAME).elf
	$(Q)$(OBJCOPY) -O binary $< $@

$(TINFO): $(TDIR)/Makefile $(ROOT)/build/gen.mk
	@mkdir -p $(dir $@)
	@printf '{"name": "%s", "category": "%s", "environments": [%s], "variations": [], "viommu": "%s", "guests": %u, "memory_mb": %u, "vcpus": %u, "qemu_smp": %u, "binary": "%s"}\n' \
	    '$(NAME)' '$(CATEGORY)' '$(patsubst %,"%",$(TEST-ENVS))' \
	    '$(VIOMMU)' $(GUESTS) $(MEMORY_MB) $(VCPUS) $(QEMU_SMP) \
	    'test-arm64-$(NAME)' > $@
