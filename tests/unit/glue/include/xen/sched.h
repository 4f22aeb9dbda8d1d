/* Host shim for <xen/sched.h>: see tests/unit/glue/glue.h. */
#include "../../glue.h"
