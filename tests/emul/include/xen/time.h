/* Host shim for <xen/time.h>: see tests/emul/emul-xen.h. */
#include "../../emul-xen.h"
