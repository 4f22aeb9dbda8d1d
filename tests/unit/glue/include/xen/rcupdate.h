/* Host shim for <xen/rcupdate.h>: see tests/unit/glue/glue.h. */
#include "../../glue.h"
