/* Host shim for <xen/bitops.h>: see tests/emul/emul-xen.h. */
#include "../../emul-xen.h"
