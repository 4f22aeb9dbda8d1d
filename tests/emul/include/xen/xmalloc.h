/* Host shim for <xen/xmalloc.h>: see tests/emul/emul-xen.h. */
#include "../../emul-xen.h"
