/* Host shim for <xen/keyhandler.h>: see tests/unit/glue/glue.h. */
#include "../../glue.h"
