/* Host shim for <xen/string.h>: see tests/emul/emul-xen.h. */
#include "../../emul-xen.h"
