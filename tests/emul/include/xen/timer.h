/* Host shim for <xen/timer.h>: see tests/emul/emul-xen.h. */
#include "../../emul-xen.h"
