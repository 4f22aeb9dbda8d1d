/* Host shim for <xen/types.h>: see tests/emul/emul-xen.h. */
#include "../../emul-xen.h"
