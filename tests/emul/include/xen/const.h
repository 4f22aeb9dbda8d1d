/* Host shim for <xen/const.h>: see tests/emul/emul-xen.h. */
#include "../../emul-xen.h"
