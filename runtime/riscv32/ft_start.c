/* A minimal riscv32 Linux runtime for models compiled by ft-compile: no libc.
 * It reads every input from standard input (raw bytes, in order) into the
 * model's arena, runs the model and writes every output to standard output;
 * then again for as many complete sets of inputs as standard input holds,
 * state (SVDF, LSTM) carried from one invocation to the next as on a device.
 * qemu-riscv32 runs the static ELF it links into.
 *
 *   clang --target=riscv32-unknown-elf -march=rv32gc -mabi=ilp32d -O2 \
 *     -ffreestanding -fno-builtin -nostdlib -static -fuse-ld=lld \
 *     -Wl,--no-relax -include model.h ft_start.c model.o -o model.elf
 *
 * The header must declare the entry point `model` (ft-compile's default
 * name), in any calling convention. */

#include <stdint.h>

#include "../ft_driver.h"
#include "../ft_memory.h"

enum { SYS_READ = 63, SYS_WRITE = 64, SYS_EXIT = 93 };

static long syscall3(long number, long a, long b, long c) {
  register long a0 __asm__("a0") = a;
  register long a1 __asm__("a1") = b;
  register long a2 __asm__("a2") = c;
  register long a7 __asm__("a7") = number;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
  return a0;
}

__attribute__((noreturn)) static void exit_with(int code) {
  syscall3(SYS_EXIT, code, 0, 0);
  for (;;) {
  }
}


/* Moves `bytes` bytes; returns 0 if the input ended before the first one
 * (and `endAllowed`), 1 otherwise. */
static int transfer(int fd, uint8_t *data, uint32_t bytes, int isRead,
                    int endAllowed) {
  int first = 1;
  while (bytes > 0) {
    long done = syscall3(isRead ? SYS_READ : SYS_WRITE, fd, (long)data, bytes);
    if (done == 0 && first && endAllowed)
      return 0;
    if (done <= 0)
      exit_with(isRead ? 2 : 3); /* short input, or output failed */
    data += done;
    bytes -= (uint32_t)done;
    first = 0;
  }
  return 1;
}

void _start(void) {
  uint32_t inputBytes = 0;
  for (unsigned i = 0; i < MODEL_NUM_INPUTS; ++i)
    inputBytes += model_input_bytes[i];
  for (unsigned run = 0;; ++run) {
    for (unsigned i = 0; i < MODEL_NUM_INPUTS; ++i)
      if (!transfer(0, ft_input(i), model_input_bytes[i], 1, run > 0 && i == 0))
        exit_with(0);
    ft_invoke();
    for (unsigned i = 0; i < MODEL_NUM_OUTPUTS; ++i)
      transfer(1, ft_output(i), model_output_bytes[i], 0, 0);
    if (inputBytes == 0)
      exit_with(0);
  }
}
