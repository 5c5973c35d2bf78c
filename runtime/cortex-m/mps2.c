/* A bare-metal runtime for models compiled by ft-compile for Arm Cortex-M
 * (thumbv7em-none-eabihf: --target=cortex-m4 or cortex-m7), on
 * qemu-system-arm's mps2-an386 board: no libc, no OS. It reads every input
 * from UART0 (raw bytes, in order), runs the model once, writes the line
 * "done\n" and every output (raw bytes) to UART0, and exits through
 * semihosting. run.sh in this folder builds and runs it.
 *
 * The header must declare the entry point `model` (ft-compile's default
 * name), in any calling convention, and is included with -include. */

#include <stdint.h>

#include "../ft_driver.h"
#include "../ft_memory.h"

/* The board's CMSDK APB UART0. */
#define UART0 0x40004000u
#define UART_DATA (*(volatile uint32_t *)(UART0 + 0x00))
#define UART_STATE (*(volatile uint32_t *)(UART0 + 0x04))
#define UART_CTRL (*(volatile uint32_t *)(UART0 + 0x08))
#define UART_BAUDDIV (*(volatile uint32_t *)(UART0 + 0x10))
enum { STATE_TX_FULL = 1, STATE_RX_FULL = 2, CTRL_TX_ON = 1, CTRL_RX_ON = 2 };

/* The System Control Block's coprocessor access control (the FPU). */
#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)

static void write_byte(uint8_t byte) {
  while (UART_STATE & STATE_TX_FULL) {
  }
  UART_DATA = byte;
}

static uint8_t read_byte(void) {
  while (!(UART_STATE & STATE_RX_FULL)) {
  }
  return (uint8_t)UART_DATA;
}

/* Semihosting SYS_EXIT: qemu (with -semihosting) exits 0 for
 * ADP_Stopped_ApplicationExit, 1 otherwise. */
__attribute__((noreturn)) static void exit_with(int failed) {
  register uint32_t operation __asm__("r0") = 0x18;
  register uint32_t reason __asm__("r1") = failed ? 0x20023u : 0x20026u;
  __asm__ volatile("bkpt 0xab" : : "r"(operation), "r"(reason) : "memory");
  for (;;) {
  }
}

int main(void) {
  UART_BAUDDIV = 16;
  UART_CTRL = CTRL_TX_ON | CTRL_RX_ON;
  for (unsigned i = 0; i < MODEL_NUM_INPUTS; ++i) {
    uint8_t *input = ft_input(i);
    for (uint32_t b = 0; b < model_input_bytes[i]; ++b)
      input[b] = read_byte();
  }
  ft_invoke();
  static const char done[] = "done\n";
  for (const char *c = done; *c; ++c)
    write_byte((uint8_t)*c);
  for (unsigned i = 0; i < MODEL_NUM_OUTPUTS; ++i) {
    const uint8_t *output = ft_output(i);
    for (uint32_t b = 0; b < model_output_bytes[i]; ++b)
      write_byte(output[b]);
  }
  return 0;
}

extern uint32_t __stack_top, __bss_start, __bss_end;

/* Reset: the FPU on (the model's float code faults otherwise), .bss (the
 * arena) zeroed, main. */
__attribute__((noreturn)) void ft_reset(void) {
  SCB_CPACR |= 0xFu << 20; /* CP10 and CP11: full access */
  __asm__ volatile("dsb\n\tisb" ::: "memory");
  for (uint32_t *word = &__bss_start; word < &__bss_end; ++word)
    *word = 0;
  exit_with(main() != 0);
}

/* A fault ends the run with a failure. */
__attribute__((noreturn)) static void ft_fault(void) { exit_with(1); }

/* The vector table: initial stack pointer, reset, and every fault. */
__attribute__((section(".vectors"),
               used)) static void (*const vectors[16])(void) = {
    (void (*)(void))(&__stack_top),
    ft_reset,
    ft_fault, /* NMI */
    ft_fault, /* HardFault */
    ft_fault, /* MemManage */
    ft_fault, /* BusFault */
    ft_fault, /* UsageFault */
};
