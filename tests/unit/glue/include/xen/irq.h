/* Host shim for <xen/irq.h>: see tests/unit/glue/glue.h. */
#include "../../glue.h"
