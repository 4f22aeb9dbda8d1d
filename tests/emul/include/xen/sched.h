/* Host shim for <xen/sched.h>: see tests/emul/emul-xen.h. */
#include "../../emul-xen.h"
