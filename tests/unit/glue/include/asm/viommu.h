/* The real <asm/viommu.h>: the framework's interface is under test. */
#include "../../../../../xen/arch/arm/include/asm/viommu.h"
