/* SPDX-License-Identifier: GPL-2.0-only */
#include <guest-abi.h>
/*
 * Bare-metal arm64 guest: linked at GUEST_RAM0_BASE, where Xen's dom0less
 * builder loads an Image with text_offset 0 (from the public guest memory
 * map, through the generated guest-abi.h).
 */
OUTPUT_FORMAT("elf64-littleaarch64")
OUTPUT_ARCH(aarch64)
ENTRY(_head)

SECTIONS
{
    . = GUEST_RAM0_BASE;
    .text : {
        *(.text.head)
        *(.text .text.*)
    }
    .rodata : { *(.rodata .rodata.*) }
    .data : { *(.data .data.*) }
    . = ALIGN(8);
    __bss_start = .;
    .bss : {
        *(.bss .bss.*)
        *(COMMON)
        . = ALIGN(16);
        . += 0x10000;
        __stack_top = .;
    }
    . = ALIGN(8);
    __bss_end = .;
    . = ALIGN(4096);
    _end = .;

    /DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
