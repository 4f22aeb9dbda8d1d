/* Host shim for <xen/macros.h>: see tests/emul/emul-xen.h. */
#include "../../emul-xen.h"
