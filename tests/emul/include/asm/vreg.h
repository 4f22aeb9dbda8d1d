/* Host shim for <asm/vreg.h>: see tests/emul/emul-xen.h. */
#include "../../emul-xen.h"
