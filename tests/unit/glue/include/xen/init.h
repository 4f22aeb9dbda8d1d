/* Host shim for <xen/init.h>: see tests/unit/glue/glue.h. */
#include "../../glue.h"
