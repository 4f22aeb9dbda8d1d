/* Host shim for <xen/lib.h>: see tests/emul/emul-xen.h. */
#include "../../emul-xen.h"
