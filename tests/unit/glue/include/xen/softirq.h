/* Host shim for <xen/softirq.h>: see tests/unit/glue/glue.h. */
#include "../../glue.h"
