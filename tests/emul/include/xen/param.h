/* Host shim for <xen/param.h>: see tests/emul/emul-xen.h. */
#include "../../emul-xen.h"
