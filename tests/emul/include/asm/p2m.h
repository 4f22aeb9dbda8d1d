/* Host shim for <asm/p2m.h>: see tests/emul/emul-xen.h. */
#include "../../emul-xen.h"
