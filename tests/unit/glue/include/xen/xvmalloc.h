/* Host shim for <xen/xvmalloc.h>: see tests/unit/glue/glue.h. */
#include "../../glue.h"
