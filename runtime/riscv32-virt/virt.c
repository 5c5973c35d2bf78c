/* A bare-metal runtime for models compiled by ft-compile for riscv32, on
 * qemu-system-riscv32's `virt` machine: no libc, no OS. It reads every
 * input from the UART (raw bytes, in order), counts the instructions the
 * model call retires (the minstret CSR: exact under `-icount shift=0`),
 * and writes one text line, "instructions N\n", then every output (raw
 * bytes) to the UART; it exits through the virt test device. run.sh in
 * this folder builds and runs it. A model compiled with --profile-layers
 * gets the profiling hooks defined here, and one line per layer,
 * "layer N NAME", before the count.
 *
 * The header must declare the entry point `model` (ft-compile's default
 * name), in any calling convention, and is included with -include. */

#include <stdint.h>

#include "../ft_driver.h"
#include "../ft_memory.h"
#include "../ft_report.h"

/* The virt machine's NS16550A UART and SiFive test (exit) device. */
#define UART ((volatile uint8_t *)0x10000000u)
#define UART_LSR 5
#define UART_LSR_DATA_READY 0x01
#define UART_LSR_THR_EMPTY 0x20
#define TEST_DEVICE ((volatile uint32_t *)0x00100000u)

static uint8_t read_byte(void) {
  while (!(UART[UART_LSR] & UART_LSR_DATA_READY)) {
  }
  return UART[0];
}

static void write_byte(uint8_t byte) {
  while (!(UART[UART_LSR] & UART_LSR_THR_EMPTY)) {
  }
  UART[0] = byte;
}

/* Exit status `code`: 0 passes (qemu exits 0), anything else fails with it. */
__attribute__((noreturn)) void ft_virt_exit(int code) {
  *TEST_DEVICE = code == 0 ? 0x5555u : ((uint32_t)code << 16) | 0x3333u;
  for (;;) {
  }
}

/* Retired instructions so far (minstreth:minstret, read consistently). */
static uint64_t retired(void) {
  uint32_t high, low, again;
  do {
    __asm__ volatile("csrr %0, minstreth" : "=r"(high));
    __asm__ volatile("csrr %0, minstret" : "=r"(low));
    __asm__ volatile("csrr %0, minstreth" : "=r"(again));
  } while (high != again);
  return ((uint64_t)high << 32) | low;
}

#ifdef MODEL_NUM_PROFILED_LAYERS
/* The per-layer profile (ft-compile --profile-layers): instructions retired
 * between each ft_profile_begin and ft_profile_end, summed per slot. */
static uint64_t profile_start;

void ft_profile_begin(int32_t slot) {
  (void)slot;
  profile_start = retired();
}

void ft_profile_end(int32_t slot) {
  ft_profile[ft_profile_slot(slot)] += retired() - profile_start;
}
#endif

int main(void) {
  ft_read_inputs();
  /* The counter's own reads cost a few instructions: measure them once
   * and subtract, so the figure is the model call alone. */
  const uint64_t empty0 = retired();
  const uint64_t empty1 = retired();
  const uint64_t start = retired();
  ft_invoke();
  const uint64_t end = retired();
  ft_write_report((end - start) - (empty1 - empty0));
  return 0;
}
