/* Host shim for <xen/spinlock.h>: see tests/emul/emul-xen.h. */
#include "../../emul-xen.h"
