/* Host shim for <asm/vgic.h>: see tests/emul/emul-xen.h. */
#include "../../emul-xen.h"
