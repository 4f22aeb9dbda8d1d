/* Host shim for <xen/guest_access.h>: see tests/emul/emul-xen.h. */
#include "../../emul-xen.h"
