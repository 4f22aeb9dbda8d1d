/* Host shim for <asm/p2m.h>: see tests/unit/glue/glue.h. */
#include "../../glue.h"
