# SPDX-License-Identifier: GPL-2.0-only
#
# The set-up's own tests: the pinned Xen source fetch and the private APT
# configurations, against file:// archives in a temporary folder (no
# network, a few seconds).

TEST_TIERS += fetch

.PHONY: test-fetch

test-fetch:
	@python3 tests/setup/test_fetch.py
