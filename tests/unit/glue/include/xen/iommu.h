/* Host shim for <xen/iommu.h>: see tests/unit/glue/glue.h. */
#include "../../glue.h"
