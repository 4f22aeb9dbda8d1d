/* Host shim for <xen/errno.h>: see tests/emul/emul-xen.h. */
#include "../../emul-xen.h"
