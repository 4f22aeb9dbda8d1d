/* Host shim for <asm/event.h>: see tests/emul/emul-xen.h. */
#include "../../emul-xen.h"
