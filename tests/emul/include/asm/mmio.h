/* Host shim for <asm/mmio.h>: see tests/emul/emul-xen.h. */
#include "../../emul-xen.h"
