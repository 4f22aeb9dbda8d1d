/* Host shim for <xen/lib.h>: see tests/unit/glue/glue.h. */
#include "../../glue.h"
