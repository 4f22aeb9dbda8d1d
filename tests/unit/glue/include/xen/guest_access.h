/* Host shim for <xen/guest_access.h>: see tests/unit/glue/glue.h. */
#include "../../glue.h"
