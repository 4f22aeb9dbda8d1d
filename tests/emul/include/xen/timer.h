/* Host shim for <xen/tasklet.h>: see tests/emul/emul-xen.h. */
#include "../../emul-xen.h"
