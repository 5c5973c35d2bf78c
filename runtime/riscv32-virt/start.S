/* Reset entry for qemu-system-riscv32 -M virt -bios none: the hart starts
 * in machine mode at the start of RAM (0x80000000), where link.ld puts
 * this section. Sets the stack, turns the FPU on if there is one
 * (mstatus.FS = initial; the model's float code traps otherwise) and the
 * vector unit likewise (mstatus.VS = initial), zeroes
 * .bss (the model's arena is there) and calls main; its return value is
 * the exit status. */
  .section .text.start, "ax"
  .globl _start
_start:
  .option push
  .option norelax
  la sp, __stack_top
  .option pop
#ifdef __riscv_flen
  li t0, 0x2000
  csrs mstatus, t0
  fscsr zero
#endif
#ifdef __riscv_vector
  li t0, 0x200
  csrs mstatus, t0
#endif
  la t0, __bss_start
  la t1, __bss_end
1:
  bgeu t0, t1, 2f
  sw zero, 0(t0)
  addi t0, t0, 4
  j 1b
2:
  call main
  call ft_virt_exit
3:
  j 3b
