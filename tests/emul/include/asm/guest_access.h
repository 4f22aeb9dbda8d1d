/* Host shim for <asm/guest_access.h>: see tests/emul/emul-xen.h. */
#include "../../emul-xen.h"
