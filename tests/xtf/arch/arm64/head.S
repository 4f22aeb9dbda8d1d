/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry of an arm64 bare-metal guest.
 *
 * The image starts with the arm64 Linux Image header, so Xen's dom0less
 * builder loads it at the start of guest RAM (text_offset 0) and enters
 * _start at EL1 with the MMU off, x0 = physical address of the guest's
 * device tree.
 */

        .section .text.head, "ax", %progbits
        .global _head
_head:
        b       _start                  /* code0 */
        .long   0                       /* code1 */
        .quad   0                       /* text_offset */
        .quad   _end - _head            /* image_size, .bss included */
        .quad   0xa                     /* flags: LE, 4K pages, anywhere */
        .quad   0                       /* res2 */
        .quad   0                       /* res3 */
        .quad   0                       /* res4 */
        .ascii  "ARM\x64"               /* magic */
        .long   0                       /* res5 */

        .text
        .global _start
_start:
        msr     daifset, #0xf           /* everything masked */
        mov     x19, x0                 /* keep the DTB pointer */

        /* Linked at a fixed address: anything else cannot work. */
        adr     x1, _head
        ldr     x2, =_head
        cmp     x1, x2
        b.ne    bad_load

        /* Zero .bss: Xen copies the file only. */
        ldr     x1, =__bss_start
        ldr     x2, =__bss_end
1:      cmp     x1, x2
        b.hs    2f
        str     xzr, [x1], #8
        b       1b
2:
        ldr     x1, =__stack_top
        mov     sp, x1

        ldr     x1, =exception_vectors
        msr     vbar_el1, x1
        /* No FP/SIMD traps (the compiler is told not to use them anyway). */
        mov     x1, #(3 << 20)
        msr     cpacr_el1, x1
        isb

        mov     x0, x19
        bl      xtf_main
        /* xtf_main does not return. */
3:      wfi
        b       3b

/*
 * A secondary vCPU started by xtf_cpu_on() (common/smp.c) through PSCI
 * CPU_ON: EL1, MMU off, x0 = its struct xtf_cpu_boot, whose first word is
 * the top of its stack.
 */
        .global xtf_secondary_entry
xtf_secondary_entry:
        msr     daifset, #0xf
        ldr     x1, [x0]
        mov     sp, x1
        ldr     x1, =exception_vectors
        msr     vbar_el1, x1
        mov     x1, #(3 << 20)
        msr     cpacr_el1, x1
        isb
        bl      xtf_secondary_main
        /* It powers the vCPU off and does not return. */
4:      wfi
        b       4b

bad_load:
        /* Cannot print: semihosting exit with the CRASH status (6). */
        adr     x1, bad_load_block
        mov     x0, #0x18
        hlt     #0xf000
        b       bad_load

        .balign 8
bad_load_block:
        .quad   0x20026
        .quad   6

/*
 * Exception vectors.  Each entry saves the general purpose registers and
 * the exception state into a struct cpu_regs on the stack and calls
 * do_exception(regs, kind); the handler may change the saved ELR (to skip
 * a faulting instruction) before the registers are restored.
 */
        .macro  entry kind
        .balign 0x80
        sub     sp, sp, #(36 * 8)
        stp     x0, x1, [sp, #(0 * 8)]
        stp     x2, x3, [sp, #(2 * 8)]
        mov     x0, #\kind
        b       save_and_handle
        .endm

        .balign 0x800
        .global exception_vectors
exception_vectors:
        entry   0       /* current EL, SP_EL0: synchronous */
        entry   1       /*                      IRQ */
        entry   2       /*                      FIQ */
        entry   3       /*                      SError */
        entry   4       /* current EL, SP_ELx: synchronous */
        entry   5       /*                      IRQ */
        entry   6       /*                      FIQ */
        entry   7       /*                      SError */
        entry   8       /* lower EL, AArch64 */
        entry   9
        entry   10
        entry   11
        entry   12      /* lower EL, AArch32 */
        entry   13
        entry   14
        entry   15

save_and_handle:
        /* x0 = kind; x0-x3 of the interrupted context are saved already. */
        stp     x4, x5, [sp, #(4 * 8)]
        stp     x6, x7, [sp, #(6 * 8)]
        stp     x8, x9, [sp, #(8 * 8)]
        stp     x10, x11, [sp, #(10 * 8)]
        stp     x12, x13, [sp, #(12 * 8)]
        stp     x14, x15, [sp, #(14 * 8)]
        stp     x16, x17, [sp, #(16 * 8)]
        stp     x18, x19, [sp, #(18 * 8)]
        stp     x20, x21, [sp, #(20 * 8)]
        stp     x22, x23, [sp, #(22 * 8)]
        stp     x24, x25, [sp, #(24 * 8)]
        stp     x26, x27, [sp, #(26 * 8)]
        stp     x28, x29, [sp, #(28 * 8)]
        add     x1, sp, #(36 * 8)
        stp     x30, x1, [sp, #(30 * 8)]        /* lr, sp at the exception */
        mrs     x2, elr_el1
        mrs     x3, spsr_el1
        stp     x2, x3, [sp, #(32 * 8)]
        mrs     x2, esr_el1
        mrs     x3, far_el1
        stp     x2, x3, [sp, #(34 * 8)]

        mov     x1, x0
        mov     x0, sp
        bl      do_exception

        ldp     x2, x3, [sp, #(32 * 8)]
        msr     elr_el1, x2
        msr     spsr_el1, x3
        ldp     x0, x1, [sp, #(0 * 8)]
        ldp     x2, x3, [sp, #(2 * 8)]
        ldp     x4, x5, [sp, #(4 * 8)]
        ldp     x6, x7, [sp, #(6 * 8)]
        ldp     x8, x9, [sp, #(8 * 8)]
        ldp     x10, x11, [sp, #(10 * 8)]
        ldp     x12, x13, [sp, #(12 * 8)]
        ldp     x14, x15, [sp, #(14 * 8)]
        ldp     x16, x17, [sp, #(16 * 8)]
        ldp     x18, x19, [sp, #(18 * 8)]
        ldp     x20, x21, [sp, #(20 * 8)]
        ldp     x22, x23, [sp, #(22 * 8)]
        ldp     x24, x25, [sp, #(24 * 8)]
        ldp     x26, x27, [sp, #(26 * 8)]
        ldp     x28, x29, [sp, #(28 * 8)]
        ldr     x30, [sp, #(30 * 8)]
        add     sp, sp, #(36 * 8)
        eret

/*
 * Local variables:
 * tab-width: 8
 * indent-tabs-mode: nil
 * End:
 */
