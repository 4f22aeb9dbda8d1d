/* Host shim for <xen/sizes.h>: see tests/unit/glue/glue.h. */
#include "../../glue.h"
